#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one system call wrapper: every call in JIMNet goes through it.
///
/// A call that fails with `EINTR` is made again; any other failure throws a `SystemError` naming
/// the call. `nonblocking` also reports `EAGAIN`/`EWOULDBLOCK` as `nil`, for nonblocking I/O.
/// `close` is the one exception to the retry: on Linux the descriptor is gone even when close
/// reports `EINTR`, so retrying could close a descriptor that another part of the process just got.
enum Syscall {
    /// Calls `body` until it does not fail with `EINTR`; throws when it returns -1.
    @inline(__always)
    static func call<T: FixedWidthInteger>(_ name: String, _ body: () -> T) throws(SystemError) -> T {
        while true {
            let result = body()
            if result != -1 { return result }
            let code = errno
            if code == EINTR { continue }
            throw SystemError(name, errno: code)
        }
    }

    /// Like `call`, but a call that would block returns `nil` instead of throwing.
    @inline(__always)
    static func nonblocking<T: FixedWidthInteger>(_ name: String, _ body: () -> T) throws(SystemError) -> T? {
        while true {
            let result = body()
            if result != -1 { return result }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return nil }
            throw SystemError(name, errno: code)
        }
    }

    /// Closes `fd` exactly once, ignoring the result (the descriptor is released either way).
    static func close(_ fd: Int32) {
        #if canImport(Glibc)
            _ = Glibc.close(fd)
        #elseif canImport(Darwin)
            _ = Darwin.close(fd)
        #endif
    }
}
