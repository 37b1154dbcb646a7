/// A process exit status, based on sysexits(3).
///
/// Tools return one of these from `main`; the executable passes `rawValue` to `exit(3)`.
/// Every tool's man page lists the statuses it can return.
public enum ExitStatus: Int32, Sendable, CaseIterable, CustomStringConvertible {
    /// 0: success.
    case ok = 0
    /// 1: a general failure, e.g. a message that was not delivered.
    case failure = 1
    /// 64 (`EX_USAGE`): the command line was wrong.
    case usage = 64
    /// 65 (`EX_DATAERR`): the input data was bad (an invalid frame, a line past a limit).
    case dataError = 65
    /// 66 (`EX_NOINPUT`): an input file did not exist or could not be read.
    case noInput = 66
    /// 69 (`EX_UNAVAILABLE`): a service was unavailable: cannot connect or cannot bind.
    case unavailable = 69
    /// 70 (`EX_SOFTWARE`): an internal error, a bug.
    case software = 70
    /// 74 (`EX_IOERR`): an error reading or writing a stream.
    case ioError = 74
    /// 75 (`EX_TEMPFAIL`): a timeout expired; trying again later may succeed.
    case tempFail = 75
    /// 77 (`EX_NOPERM`): permission denied, e.g. an identity the server refused.
    case noPermission = 77

    /// A short description, as a man page's EXIT STATUS section would give it.
    public var description: String {
        switch self {
        case .ok: "success"
        case .failure: "failure"
        case .usage: "usage error"
        case .dataError: "bad input data"
        case .noInput: "cannot open input"
        case .unavailable: "service unavailable"
        case .software: "internal error"
        case .ioError: "input/output error"
        case .tempFail: "timed out"
        case .noPermission: "permission denied"
        }
    }

    /// The worse of two statuses: any failure beats `ok`, otherwise the first failure is kept.
    ///
    /// Tools that go on after an error (`jim-decode`, `jim-send -k`) fold statuses with this.
    public func worst(_ other: ExitStatus) -> ExitStatus {
        self == .ok ? other : self
    }
}
