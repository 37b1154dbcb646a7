import CJIMSys

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A listening socket: binds, listens and accepts nonblocking, close-on-exec connections.
///
/// TCP listeners set SO_REUSEADDR, and IPv6 ones IPV6_V6ONLY, so that a server can listen on
/// `0.0.0.0` and `::` on the same port side by side. A Unix listener replaces a stale socket
/// file (one that no process answers on) and fails with EADDRINUSE when a server answers; call
/// `removeSocketFile()` at exit.
///
/// Running out of descriptors (EMFILE, ENFILE) does not make the loop spin: the listener keeps
/// one spare descriptor, and on those errors gives it up to accept the waiting connection and
/// close it at once (the client sees end of file), then throws so that the owner can log the
/// dropped connection; with nothing pending it returns nil. Should `accept()` throw anything
/// else, or keep throwing, pause accepting for a moment (drop read interest, re-add it from a
/// 100 ms timer).
public final class Listener {
    /// The listening socket.
    public let socket: Socket
    /// The bound address, as the kernel reports it: the real port when port 0 was asked for.
    public let address: SocketAddress
    private var spare: Int32
    private var unixFile: (device: UInt64, inode: UInt64)?

    /// Binds `address` and listens with room for `backlog` pending connections.
    ///
    /// Errors name the address: `127.0.0.1:7777: Address already in use`.
    public init(address: SocketAddress, backlog: Int32 = 1024) throws(NetworkError) {
        let display = address.description
        do {
            socket = try Socket.make(address.systemFamily)
            if address.family != .unix {
                try socket.setOption(SOL_SOCKET, SO_REUSEADDR, 1, name: "setsockopt(SO_REUSEADDR)")
            }
            if address.family == .ipv6 {
                try socket.setOption(Int32(IPPROTO_IPV6), IPV6_V6ONLY, 1, name: "setsockopt(IPV6_V6ONLY)")
            }
        } catch {
            throw .failed(address: display, error)
        }
        let fd = socket.fileDescriptor
        do {
            try Listener.bind(fd, address)
        } catch let error where error.errno == EADDRINUSE && address.family == .unix {
            // A socket file left by a server that died is replaced; a live server's is not.
            guard let path = address.unixPath, Listener.isStaleUnixSocket(at: path) else {
                throw .failed(address: display, error)
            }
            _ = try? Syscall.call("unlink") { unlink(path) }
            do {
                try Listener.bind(fd, address)
            } catch {
                throw .failed(address: display, error)
            }
        } catch {
            throw .failed(address: display, error)
        }
        do {
            _ = try Syscall.call("listen") { listen(fd, backlog) }
            self.address = try socket.localAddress()
        } catch {
            if let path = address.unixPath { _ = try? Syscall.call("unlink") { unlink(path) } }
            throw .failed(address: display, error)
        }
        if let path = address.unixPath {
            unixFile = Listener.identity(of: path)
        }
        spare = Listener.openSpare()
    }

    deinit {
        if spare >= 0 { Syscall.close(spare) }
    }

    /// The listening descriptor, to register for readability.
    public var fileDescriptor: Int32 { socket.fileDescriptor }

    /// Accepts one pending connection: the new nonblocking socket and its peer's address, or
    /// nil when none is pending. Connections that died while pending are skipped.
    public func accept() throws(SystemError) -> (socket: Socket, peer: SocketAddress)? {
        let fd = socket.fileDescriptor
        var storage = sockaddr_storage()
        while true {
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let accepted: Int32?
            do {
                accepted = try withUnsafeMutableBytes(of: &storage) { (raw) throws(SystemError) -> Int32? in
                    let pointer = raw.baseAddress!.assumingMemoryBound(to: sockaddr.self)
                    return try Syscall.nonblocking("accept") { cjim_accept(fd, pointer, &length) }
                }
            } catch {
                switch error.errno {
                case ECONNABORTED, EPROTO, ENETDOWN, ENOPROTOOPT, EHOSTDOWN, EHOSTUNREACH, EOPNOTSUPP, ENETUNREACH,
                    EPERM:
                    // That connection is gone (or refused by a firewall); take the next.
                    continue
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    // The kernel reserves the descriptor before it looks at the queue, so this
                    // also happens with nothing pending: then there is nothing to report.
                    guard spare >= 0 else { throw error }
                    if shedOne() { throw error }
                    if spare >= 0 { return nil }
                    throw error
                default:
                    throw error
                }
            }
            guard let accepted else { return nil }
            let peer = withUnsafeBytes(of: &storage) { raw in
                SocketAddress(kernel: raw.baseAddress!, length: length)
            }
            return (Socket(adopting: accepted), peer ?? SocketAddress(.unix(path: "")))
        }
    }

    /// Removes the Unix socket file this listener created, if it is still that file (another
    /// server may have replaced it). Does nothing for TCP listeners or when already removed.
    public func removeSocketFile() {
        guard let path = address.unixPath, let mine = unixFile else { return }
        unixFile = nil
        if let now = Listener.identity(of: path), now == mine {
            _ = try? Syscall.call("unlink") { unlink(path) }
        }
    }

    /// Stops listening: closes the socket and the spare descriptor. Unregister it first.
    public func close() {
        socket.close()
        if spare >= 0 {
            Syscall.close(spare)
            spare = -1
        }
    }

    /// With no descriptor left: frees the spare, accepts the first pending connection and
    /// closes it, then takes the spare back, so the pending queue drains instead of spinning.
    /// Returns whether a connection was shed.
    private func shedOne() -> Bool {
        guard spare >= 0 else { return false }
        Syscall.close(spare)
        let fd = socket.fileDescriptor
        var shed = false
        if let connection = try? Syscall.nonblocking("accept", { cjim_accept(fd, nil, nil) }) {
            Syscall.close(connection)
            shed = true
        }
        spare = Listener.openSpare()
        return shed
    }

    private static func openSpare() -> Int32 {
        (try? Syscall.call("open") { open("/dev/null", O_RDONLY | O_CLOEXEC) }) ?? -1
    }

    private static func bind(_ fd: Int32, _ address: SocketAddress) throws(SystemError) {
        _ = try address.withSockAddr { (pointer, length) throws(SystemError) -> Int32 in
            try Syscall.call("bind") { systemBind(fd, pointer, length) }
        }
    }

    /// Whether `path` is a socket file that nothing answers on.
    private static func isStaleUnixSocket(at path: String) -> Bool {
        var info = stat()
        guard (try? Syscall.call("lstat") { lstat(path, &info) }) != nil,
            cjim_mode_is_socket(info.st_mode) != 0,
            let address = SocketAddress(unixPath: path),
            let probe = try? Socket.make(AF_UNIX)
        else { return false }
        let fd = probe.fileDescriptor
        do {
            _ = try address.withSockAddr { (pointer, length) throws(SystemError) -> Int32 in
                try Syscall.call("connect") { connectProbe(fd, pointer, length) }
            }
            return false
        } catch {
            return error.errno == ECONNREFUSED || error.errno == ENOENT
        }
    }

    private static func identity(of path: String) -> (device: UInt64, inode: UInt64)? {
        var info = stat()
        guard (try? Syscall.call("lstat") { lstat(path, &info) }) != nil else { return nil }
        return (UInt64(truncatingIfNeeded: info.st_dev), UInt64(truncatingIfNeeded: info.st_ino))
    }
}

private func systemBind(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
    #if canImport(Glibc)
        Glibc.bind(fd, address, length)
    #else
        Darwin.bind(fd, address, length)
    #endif
}

private func connectProbe(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
    #if canImport(Glibc)
        Glibc.connect(fd, address, length)
    #else
        Darwin.connect(fd, address, length)
    #endif
}
