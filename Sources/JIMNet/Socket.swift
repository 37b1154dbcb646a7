import CJIMSys

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The owner of one nonblocking, close-on-exec socket descriptor; closes it exactly once.
///
/// Every socket JIMNet makes is nonblocking: reads and writes report `wouldBlock` (or `nil`)
/// instead of waiting, and sends never raise SIGPIPE (MSG_NOSIGNAL). Use an `EventLoop`, or
/// `wait(for:timeout:)` for a single socket, to wait for readiness. Not thread-safe.
public final class Socket {
    /// The descriptor, or -1 once closed.
    public private(set) var fileDescriptor: Int32

    /// Takes ownership of `fd`, which should already be nonblocking and close-on-exec.
    public init(adopting fd: Int32) {
        fileDescriptor = fd
    }

    deinit {
        if fileDescriptor >= 0 { Syscall.close(fileDescriptor) }
    }

    /// A new nonblocking, close-on-exec stream socket of `family`.
    static func make(_ family: Int32) throws(SystemError) -> Socket {
        Socket(adopting: try Syscall.call("socket") { cjim_socket(family) })
    }

    /// A connected pair of Unix stream sockets: a loopback wire for tests and in-process peers.
    public static func pair() throws(SystemError) -> (Socket, Socket) {
        var fds: (Int32, Int32) = (-1, -1)
        _ = try withUnsafeMutableBytes(of: &fds) { (raw) throws(SystemError) -> Int32 in
            let pointer = raw.baseAddress!.assumingMemoryBound(to: Int32.self)
            return try Syscall.call("socketpair") { cjim_socketpair(pointer) }
        }
        return (Socket(adopting: fds.0), Socket(adopting: fds.1))
    }

    /// Whether the descriptor is still open.
    public var isOpen: Bool { fileDescriptor >= 0 }

    /// Closes the descriptor; later calls do nothing. Unregister it from any event loop first.
    public func close() {
        guard fileDescriptor >= 0 else { return }
        Syscall.close(fileDescriptor)
        fileDescriptor = -1
    }

    /// Reads what is available, up to the buffer's size.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> ReadResult {
        let fd = fileDescriptor
        guard let count = try Syscall.nonblocking("read", { recv(fd, buffer.baseAddress, buffer.count, 0) }) else {
            return .wouldBlock
        }
        return count == 0 ? (buffer.isEmpty ? .bytes(0) : .endOfFile) : .bytes(count)
    }

    /// Writes what the kernel takes now: the count written (maybe fewer than asked), or nil
    /// when it would block. Never raises SIGPIPE; a closed peer throws `EPIPE` or `ECONNRESET`.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(SystemError) -> Int? {
        let fd = fileDescriptor
        return try Syscall.nonblocking("send") { cjim_send(fd, bytes.baseAddress, bytes.count) }
    }

    /// Writes several buffers with one system call (writev semantics, without SIGPIPE); at most
    /// the first 64 buffers are used. Returns the count written, or nil when it would block.
    public func write(gathering buffers: some Collection<UnsafeRawBufferPointer>) throws(SystemError) -> Int? {
        let fd = fileDescriptor
        let count = min(buffers.count, 64)
        return try withUnsafeTemporaryAllocation(of: iovec.self, capacity: count) {
            (vectors) throws(SystemError) -> Int? in
            for (index, buffer) in buffers.prefix(count).enumerated() {
                vectors[index] = iovec(
                    iov_base: UnsafeMutableRawPointer(mutating: buffer.baseAddress), iov_len: buffer.count)
            }
            return try Syscall.nonblocking("sendmsg") { cjim_sendv(fd, vectors.baseAddress, Int32(count)) }
        }
    }

    /// Shuts down the sending side (the peer reads end of file); reading still works.
    public func shutdownWrite() throws(SystemError) {
        let fd = fileDescriptor
        #if canImport(Glibc)
            let how = Int32(SHUT_WR)
        #else
            let how = SHUT_WR
        #endif
        _ = try Syscall.call("shutdown") { shutdown(fd, how) }
    }

    /// Waits with poll(2) until one of `events` is ready or the timeout passes (nil: no limit).
    ///
    /// Returns the ready events (including `hangup` and `error`), empty on timeout. For
    /// one-socket waits in clients and tests; servers use an `EventLoop`.
    public func wait(for events: IOEvents, timeout: Duration?) throws(SystemError) -> IOEvents {
        try Socket.poll(fileDescriptor, for: events, until: timeout.map { MonotonicTime.now() + $0 })
    }

    /// poll(2) on one descriptor until `deadline` (nil: no limit); EINTR resumes with the time left.
    static func poll(_ fd: Int32, for events: IOEvents, until deadline: MonotonicTime?) throws(SystemError) -> IOEvents
    {
        var entry = pollfd(fd: fd, events: 0, revents: 0)
        if events.contains(.readable) { entry.events |= Int16(POLLIN) }
        if events.contains(.writable) { entry.events |= Int16(POLLOUT) }
        let ready = try Syscall.call("poll") {
            let timeout = deadline.map { MonotonicTime.now().milliseconds(until: $0) } ?? -1
            #if canImport(Glibc)
                return Glibc.poll(&entry, 1, timeout)
            #else
                return Darwin.poll(&entry, 1, timeout)
            #endif
        }
        return ready == 0 ? [] : IOEvents(pollEvents: entry.revents)
    }
}

extension Socket {
    /// Waits `milliseconds` with poll(2) on no descriptors: a back-off, never a synchronisation.
    static func pause(milliseconds: Int32) throws(SystemError) {
        let deadline = MonotonicTime.now() + .milliseconds(milliseconds)
        _ = try Syscall.call("poll") {
            let timeout = MonotonicTime.now().milliseconds(until: deadline)
            #if canImport(Glibc)
                return Glibc.poll(nil, 0, timeout)
            #else
                return Darwin.poll(nil, 0, timeout)
            #endif
        }
    }
}

extension IOEvents {
    /// Translates poll(2) `revents`.
    init(pollEvents revents: Int16) {
        var events: IOEvents = []
        if revents & Int16(POLLIN) != 0 { events.insert(.readable) }
        if revents & Int16(POLLOUT) != 0 { events.insert(.writable) }
        if revents & Int16(POLLHUP) != 0 { events.insert(.hangup) }
        if revents & Int16(POLLERR | POLLNVAL) != 0 { events.insert(.error) }
        self = events
    }
}
