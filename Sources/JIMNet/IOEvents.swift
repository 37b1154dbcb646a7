import CJIMSys

/// Readiness of a descriptor, and the interest registered for it.
///
/// Interest uses `readable` and `writable`. Reported events may also carry `hangup` and `error`,
/// which the kernel reports whatever the interest: the owner must then close or unregister the
/// descriptor (a read or write on it reports what happened), or the loop reports it again.
public struct IOEvents: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// Data (or end of file, or a pending connection) can be read without blocking.
    public static let readable = IOEvents(rawValue: UInt32(CJIM_READABLE))
    /// Data can be written without blocking.
    public static let writable = IOEvents(rawValue: UInt32(CJIM_WRITABLE))
    /// Both directions are closed (the peer is gone and our side shut down, or a reset).
    public static let hangup = IOEvents(rawValue: UInt32(CJIM_HANGUP))
    /// The socket has a pending error (for example a reset); reading or writing reports it.
    public static let error = IOEvents(rawValue: UInt32(CJIM_ERROR))

    public var description: String {
        var names: [String] = []
        if contains(.readable) { names.append("readable") }
        if contains(.writable) { names.append("writable") }
        if contains(.hangup) { names.append("hangup") }
        if contains(.error) { names.append("error") }
        return "[" + names.joined(separator: ", ") + "]"
    }
}
