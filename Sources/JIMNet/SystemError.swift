#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failed system call: which call, and the errno it left.
///
/// `description` reads like `connect: Connection refused`; `reason` is the strerror text alone.
public struct SystemError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The system call that failed, for example `"connect"`.
    public var call: String
    /// The errno value it left.
    public var errno: Int32

    public init(_ call: String, errno: Int32) {
        self.call = call
        self.errno = errno
    }

    /// The strerror text, for example `Connection refused`.
    public var reason: String { String(cString: strerror(errno)) }

    public var description: String { "\(call): \(reason)" }
}
