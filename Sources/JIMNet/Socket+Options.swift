#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Socket {
    /// Turns Nagle's algorithm off (TCP_NODELAY), so small frames go out at once.
    public func setNoDelay(_ on: Bool = true) throws(SystemError) {
        try setOption(Int32(IPPROTO_TCP), TCP_NODELAY, on ? 1 : 0, name: "setsockopt(TCP_NODELAY)")
    }

    /// Sets the kernel's send buffer size (SO_SNDBUF; Linux doubles the value for bookkeeping).
    public func setSendBufferSize(_ bytes: Int) throws(SystemError) {
        try setOption(SOL_SOCKET, SO_SNDBUF, Int32(clamping: bytes), name: "setsockopt(SO_SNDBUF)")
    }

    /// Sets the kernel's receive buffer size (SO_RCVBUF; Linux doubles the value for bookkeeping).
    public func setReceiveBufferSize(_ bytes: Int) throws(SystemError) {
        try setOption(SOL_SOCKET, SO_RCVBUF, Int32(clamping: bytes), name: "setsockopt(SO_RCVBUF)")
    }

    /// The address this socket is bound to: a listener's actual port after binding port 0.
    public func localAddress() throws(SystemError) -> SocketAddress {
        let fd = fileDescriptor
        return try SocketAddress.query("getsockname") { getsockname(fd, $0, $1) }
    }

    /// The address of the connected peer.
    public func peerAddress() throws(SystemError) -> SocketAddress {
        let fd = fileDescriptor
        return try SocketAddress.query("getpeername") { getpeername(fd, $0, $1) }
    }

    /// The socket's pending error (SO_ERROR), clearing it: how a nonblocking connect reports.
    func takePendingError() throws(SystemError) -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        let fd = fileDescriptor
        _ = try Syscall.call("getsockopt(SO_ERROR)") { getsockopt(fd, SOL_SOCKET, SO_ERROR, &value, &length) }
        return value
    }

    func setOption(_ level: Int32, _ option: Int32, _ value: Int32, name: String) throws(SystemError) {
        var value = value
        let fd = fileDescriptor
        _ = try Syscall.call(name) {
            setsockopt(fd, level, option, &value, socklen_t(MemoryLayout<Int32>.size))
        }
    }
}
