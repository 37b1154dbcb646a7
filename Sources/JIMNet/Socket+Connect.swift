#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Socket {
    /// Connects to `endpoint`, trying each resolved address in turn, within `timeout` in all
    /// (nil: the kernel's own limits). Returns a connected nonblocking socket.
    ///
    /// Errors name the endpoint as written: `.failed` (`localhost:7777: Connection refused`)
    /// for the last address's failure, `.timedOut` when the time ran out, `.unresolved` or
    /// `.badAddress` before any attempt.
    public static func connect(to endpoint: Endpoint, timeout: Duration?) throws(NetworkError) -> Socket {
        let addresses = try endpoint.resolve()
        let deadline = timeout.map { MonotonicTime.now() + $0 }
        var failure = NetworkError.unresolved(address: endpoint.description, reason: "no address")
        for address in addresses {
            do {
                return try attempt(address, until: deadline, display: endpoint.description)
            } catch {
                failure = error
                if case .timedOut = error { break }
            }
        }
        throw failure
    }

    /// Connects to one address within `timeout` (nil: the kernel's own limits); errors name it.
    public static func connect(to address: SocketAddress, timeout: Duration?) throws(NetworkError) -> Socket {
        try attempt(address, until: timeout.map { MonotonicTime.now() + $0 }, display: address.description)
    }

    private static func attempt(_ address: SocketAddress, until deadline: MonotonicTime?, display: String)
        throws(NetworkError) -> Socket
    {
        let socket: Socket
        do {
            socket = try Socket.make(address.systemFamily)
        } catch {
            throw .failed(address: display, error)
        }
        let fd = socket.fileDescriptor
        while true {
            do {
                _ = try address.withSockAddr { (pointer, length) throws(SystemError) -> Int32 in
                    try Syscall.call("connect") { connectSystemCall(fd, pointer, length) }
                }
                return socket
            } catch {
                switch error.errno {
                case EISCONN:
                    // A connect interrupted and retried: the first one completed.
                    return socket
                case EINPROGRESS, EALREADY:
                    return try finish(socket, until: deadline, display: display)
                case EAGAIN where address.family == .unix:
                    // The listener's backlog is full: a Unix connect cannot wait for it, so retry.
                    if let deadline, MonotonicTime.now() >= deadline { throw .timedOut(address: display) }
                    do {
                        try Socket.pause(milliseconds: 10)
                    } catch {
                        throw .failed(address: display, error)
                    }
                default:
                    throw .failed(address: display, error)
                }
            }
        }
    }

    /// Waits for a nonblocking connect to complete and reads its outcome.
    private static func finish(_ socket: Socket, until deadline: MonotonicTime?, display: String)
        throws(NetworkError) -> Socket
    {
        let ready: IOEvents
        do {
            ready = try Socket.poll(socket.fileDescriptor, for: .writable, until: deadline)
        } catch {
            throw .failed(address: display, error)
        }
        if ready.isEmpty { throw .timedOut(address: display) }
        let code: Int32
        do {
            code = try socket.takePendingError()
        } catch {
            throw .failed(address: display, error)
        }
        if code != 0 { throw .failed(address: display, SystemError("connect", errno: code)) }
        return socket
    }
}

/// connect(2), out of reach of the `connect` methods' names.
private func connectSystemCall(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
    #if canImport(Glibc)
        Glibc.connect(fd, address, length)
    #else
        Darwin.connect(fd, address, length)
    #endif
}
