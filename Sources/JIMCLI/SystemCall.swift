#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The module's one wrapper around read(2), write(2) and poll(2): retries `EINTR`, waits out
/// `EAGAIN` on non-blocking descriptors, and throws errors naming the call.
enum SystemCall {
    /// The text of an errno value, as strerror(3) gives it.
    static func message(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }

    /// Reads at most `count` bytes; returns 0 at end of input.
    static func readSome(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) throws(StreamError) -> Int {
        while true {
            let result = read(fd, buffer, count)
            if result >= 0 { return result }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK {
                try wait(fd, for: Int16(POLLIN))
                continue
            }
            throw .system(call: "read", code: code)
        }
    }

    /// Writes every byte, in as many write(2) calls as it takes; `EPIPE` throws `.closed`.
    static func writeAll(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) throws(StreamError) {
        var offset = 0
        while offset < count {
            let result = write(fd, buffer + offset, count - offset)
            if result >= 0 {
                offset += result
                continue
            }
            let code = errno
            if code == EINTR { continue }
            if code == EPIPE { throw .closed }
            if code == EAGAIN || code == EWOULDBLOCK {
                try wait(fd, for: Int16(POLLOUT))
                continue
            }
            throw .system(call: "write", code: code)
        }
    }

    /// Whether a read(2) on `fd` would return at once (data, end of input or an error).
    static func isReadable(_ fd: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            let result = poll(&entry, 1, 0)
            if result >= 0 { return result > 0 }
            if errno != EINTR { return true }
        }
    }

    /// Blocks until `fd` is ready for `events`.
    static func wait(_ fd: Int32, for events: Int16) throws(StreamError) {
        var entry = pollfd(fd: fd, events: events, revents: 0)
        while true {
            if poll(&entry, 1, -1) >= 0 { return }
            let code = errno
            if code != EINTR { throw .system(call: "poll", code: code) }
        }
    }
}
