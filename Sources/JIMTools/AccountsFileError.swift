/// Why an accounts file could not be used.
public enum AccountsFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened or read.
    case unreadable(path: String, reason: String)
    /// The file has bad lines (every one is listed).
    case badLines(path: String, [AccountsFile.Problem])

    /// One line per fault: `accounts: 3: expected name:HASH`.
    public var lines: [String] {
        switch self {
        case .unreadable(let path, let reason): ["\(path): \(reason)"]
        case .badLines(let path, let problems): problems.map { "\(path): line \($0.line): \($0.reason)" }
        }
    }

    public var description: String { lines.joined(separator: "\n") }
}
