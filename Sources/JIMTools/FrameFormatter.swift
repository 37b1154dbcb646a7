public import JIMCore
import JIMCLI

/// Renders frames as one text record each: the `-F` format engine and the default line, shared by
/// `jim-decode` and `jim-listen`.
///
/// A format string is compiled once into `tokens`. `render(checking:limits:keep:into:)` takes a raw frame
/// (as `FrameDecoder` cuts it out), checks it as strictly as `Frame(parsing:)` and appends its record to a
/// byte buffer; a `msg` frame takes a fast path that builds no strings. `render(_:into:)` renders a frame
/// already typed.
///
/// Format tokens: `%a` action, `%f` from (the account name of `presence` and `authenticate`), `%t` to
/// (the room of `join` and `leave`), `%m` message, `%s` time as sent, `%T` time as local ISO 8601
/// (`2024-11-24T17:33:20.25+03:00`, the fraction as sent), `%c` response code, `%e` alert or error
/// text, `%j` the whole frame as canonical compact JSON, `%%` a percent sign; escapes `\t`, `\n`,
/// `\0` and `\\`. A field the frame does not have renders as nothing. Any other `%x` or `\x` is a
/// `FormatError`, which tools report as a usage error (64). For an action this project does not know,
/// `%f`, `%t`, `%m` and `%s` show its `from`, `to`, `message` and `time` members when it has them.
///
/// The default line (no format), chosen so that a person reads it and `cut -f`/`awk -F'\t'` split it,
/// and so that the number of tab-separated fields tells the kinds apart (text is escaped, so it never
/// holds a raw tab unless `raw` is set):
/// - `msg`: `TIME<TAB>FROM<TAB>TO<TAB>MESSAGE` (4 fields), TIME as sent;
/// - a response: `CODE<TAB>TEXT` (2 fields), TEXT the alert or error;
/// - any other action: `TIME<TAB>ACTION<TAB>DETAIL` (3 fields), DETAIL being the account name and
///   status of `presence`, the account name of `authenticate` (never the password), the room of `join`
///   and `leave`, and empty otherwise.
///
/// Text fields are escaped unless `raw` is set, so that one frame is always one line: newline as `\n`,
/// tab as `\t`, backslash as `\\`, other control characters (and DEL) as `\xHH`. `%j` is never escaped:
/// compact JSON has no raw control characters. Every record ends with `terminator` (LF, or NUL for `-0`).
public struct FrameFormatter: Sendable {
    /// The compiled format, or nil for the default line.
    public let tokens: [Token]?
    /// Whether text is written as it is, without line escaping.
    public var raw: Bool
    /// The byte that ends each record.
    public var terminator: UInt8

    /// The default line for `msg` frames.
    static let msgLine: [Token] = [
        .sentTime, .literal([0x09]), .from, .literal([0x09]), .to, .literal([0x09]), .message,
    ]
    /// The default line for responses.
    static let responseLine: [Token] = [.code, .literal([0x09]), .text]
    /// The default line for other actions.
    static let actionLine: [Token] = [.sentTime, .literal([0x09]), .action, .literal([0x09]), .detail]

    /// Compiles `format` (nil for the default line).
    public init(format: String? = nil, raw: Bool = false, terminator: UInt8 = 0x0A) throws(FormatError) {
        self.tokens = try format.map { (f) throws(FormatError) in try Self.compile(f) }
        self.raw = raw
        self.terminator = terminator
        if tokens?.contains(.localTime) ?? false { LocalTime.prepare() }
    }

    /// Text for a tool's `--help` epilogue describing the default line and the format tokens.
    public static let help = """
        One tab-separated line per frame by default; the field count tells kinds apart:
          msg            TIME  FROM  TO  MESSAGE      (TIME as sent)
          response       CODE  TEXT                    (TEXT is the alert or error)
          other actions  TIME  ACTION  DETAIL          (account and status, or room)
        Text is escaped unless --raw: newline \\n, tab \\t, backslash \\\\, other control
        characters \\xHH; so one frame is always one line.

        Format tokens (-F): %a action, %f from, %t to, %m message, %s time as sent,
        %T time as local ISO 8601, %c response code, %e alert or error text,
        %j the frame as compact JSON, %% a percent sign; escapes \\t \\n \\0 \\\\.
        A field the frame does not have is empty; an unknown token is a usage error.

        """

    /// What the output options jim-decode and jim-listen share ask for: nil for `--json` (which
    /// neither `-F` nor `--raw` may join), else the `-F` format (or the default lines), raw or escaped.
    static func fromOptions(_ parsed: ParsedArguments, terminator: UInt8) throws(UsageError) -> FrameFormatter? {
        if parsed.flag("json") {
            if parsed.value("format") != nil { throw UsageError("--json and -F cannot be combined") }
            if parsed.flag("raw") { throw UsageError("--json and --raw cannot be combined") }
            return nil
        }
        do throws(FrameFormatter.FormatError) {
            return try FrameFormatter(format: parsed.value("format"), raw: parsed.flag("raw"), terminator: terminator)
        } catch {
            throw UsageError("-F: \(error)")
        }
    }

    /// Appends one record for `frame`, ending with `terminator`.
    public func render(_ frame: Frame, into out: inout [UInt8]) {
        let line: [Token]
        if let tokens {
            line = tokens
        } else {
            switch frame.kind {
            case .response: line = Self.responseLine
            case .request(.msg): line = Self.msgLine
            case .request: line = Self.actionLine
            }
        }
        for token in line {
            append(token, of: frame, into: &out)
        }
        out.append(terminator)
    }

    /// Appends one record for `frame` and returns it, for tests and one-off use.
    public func render(_ frame: Frame) -> [UInt8] {
        var out: [UInt8] = []
        render(frame, into: &out)
        return out
    }

    private func append(_ token: Token, of frame: Frame, into out: inout [UInt8]) {
        switch token {
        case .literal(let bytes):
            out.append(contentsOf: bytes)
        case .json:
            frame.encode(to: &out)
            out.removeLast()  // the LF that ends a frame on the wire
        case .localTime:
            if let time = Self.time(of: frame) { LocalTime.append(time, into: &out) }
        case .code:
            if case .response(let r) = frame.kind { LineEscaper.appendDecimal(r.code.rawValue, into: &out) }
        default:
            if let text = Self.text(token, of: frame) {
                LineEscaper.append(text, raw: raw, into: &out)
            }
        }
    }

    /// The text of a text token, or nil if the frame has no such field.
    static func text(_ token: Token, of frame: Frame) -> String? {
        switch frame.kind {
        case .response(let response):
            switch token {
            case .sentTime: return response.time?.text
            case .text: return response.text
            default: return nil
            }
        case .request(let request):
            switch token {
            case .action: return request.action
            case .sentTime: return time(of: request, in: frame)?.text
            case .from:
                switch request {
                case .msg(let m): return m.from
                case .presence(let p): return p.accountName
                case .authenticate(let c): return c.accountName
                case .unknown: return frame.object["from"]?.string
                default: return nil
                }
            case .to:
                switch request {
                case .msg(let m): return m.to
                case .join(let r), .leave(let r): return r.room
                case .unknown: return frame.object["to"]?.string
                default: return nil
                }
            case .message:
                switch request {
                case .msg(let m): return m.message
                case .unknown: return frame.object["message"]?.string
                default: return nil
                }
            case .detail:
                switch request {
                case .presence(let p): return p.status.map { "\(p.accountName) \($0)" } ?? p.accountName
                case .authenticate(let c): return c.accountName
                case .join(let r), .leave(let r): return r.room
                default: return nil
                }
            default:
                return nil
            }
        }
    }

    /// The `time` of a frame, when it has one.
    static func time(of frame: Frame) -> JSONNumber? {
        switch frame.kind {
        case .response(let r): r.time
        case .request(let r): time(of: r, in: frame)
        }
    }

    private static func time(of request: Request, in frame: Frame) -> JSONNumber? {
        switch request {
        case .presence(let p): p.time
        case .authenticate(let c): c.time
        case .msg(let m): m.time
        case .join(let r), .leave(let r): r.time
        case .probe(let t): t
        case .quit, .unknown: frame.object["time"]?.number
        }
    }
}
