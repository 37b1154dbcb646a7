/// How important a server log line is; `-q` shows errors only, `-v` adds debug lines.
public enum ServerLogLevel: Int, Sendable, Comparable {
    /// Something failed: a connection dropped for misbehaving, a reload that did not apply.
    case error = 0
    /// One line per ordinary event: listening, connect, name bound, disconnect with its reason.
    case info = 1
    /// Detail for diagnosis: refused frames and their reasons.
    case debug = 2

    public static func < (a: ServerLogLevel, b: ServerLogLevel) -> Bool { a.rawValue < b.rawValue }
}
