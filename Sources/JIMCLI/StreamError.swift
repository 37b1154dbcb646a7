/// An error reading, writing or opening a stream.
///
/// `description` is the text after `tool: `, e.g. `write: Input/output error` or
/// `/etc/jim/pass: No such file or directory`; the tool adds context in front if it has some.
public enum StreamError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The reader of our output went away (`EPIPE`): the tool should stop quietly with status 0.
    case closed
    /// A system call failed: `call` names it (`read`, `write`, `poll`), `code` is the errno.
    case system(call: String, code: Int32)
    /// A file could not be opened or read: `code` is the errno.
    case file(path: String, code: Int32)
    /// A file was opened but its content is unusable (empty, too large, not UTF-8).
    case badFile(path: String, reason: String)
    /// A record was longer than the reader's `maximumRecordLength`; the record was skipped.
    case recordTooLong(record: Int, limit: Int)

    /// The message, without the tool name.
    public var description: String {
        switch self {
        case .closed:
            "output closed"
        case .system(let call, let code):
            "\(call): \(SystemCall.message(code))"
        case .file(let path, let code):
            "\(path): \(SystemCall.message(code))"
        case .badFile(let path, let reason):
            "\(path): \(reason)"
        case .recordTooLong(let record, let limit):
            "record \(record): longer than \(limit) bytes"
        }
    }

    /// The exit status a tool should end with after this error: 0 for `.closed`, 74 for a
    /// failed system call, 66 for a file that cannot be opened, 65 for unusable content.
    public var exitStatus: ExitStatus {
        switch self {
        case .closed: .ok
        case .system: .ioError
        case .file: .noInput
        case .badFile: .dataError
        case .recordTooLong: .dataError
        }
    }
}
