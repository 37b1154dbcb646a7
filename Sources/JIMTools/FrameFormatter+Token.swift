extension FrameFormatter {
    /// One piece of a compiled format.
    public enum Token: Sendable, Equatable {
        /// Bytes written as they are (plain text and the escapes `\t`, `\n`, `\0`, `\\`, `%%`).
        case literal([UInt8])
        /// `%a`: the action; empty for a response.
        case action
        /// `%f`: `from` of a `msg`, the account name of `presence` and `authenticate`.
        case from
        /// `%t`: `to` of a `msg`, the room of `join` and `leave`.
        case to
        /// `%m`: the message of a `msg`.
        case message
        /// `%s`: `time` exactly as sent.
        case sentTime
        /// `%T`: `time` as local ISO 8601 with the fraction as sent.
        case localTime
        /// `%c`: the response code.
        case code
        /// `%e`: the alert or error text of a response.
        case text
        /// `%j`: the whole frame as canonical compact JSON.
        case json
        /// The last field of the default line for actions other than `msg` (no `%` form).
        case detail
    }

    /// Compiles a format string into tokens, merging adjacent literal text.
    static func compile(_ format: String) throws(FormatError) -> [Token] {
        var tokens: [Token] = []
        var literal: [UInt8] = []
        func flush() {
            if !literal.isEmpty {
                tokens.append(.literal(literal))
                literal.removeAll()
            }
        }
        func field(_ token: Token) {
            flush()
            tokens.append(token)
        }
        var scalars = format.unicodeScalars.makeIterator()
        while let c = scalars.next() {
            if c != "%" && c != "\\" {
                literal.append(contentsOf: String(c).utf8)
                continue
            }
            guard let next = scalars.next() else {
                throw FormatError.danglingIntroducer(Character(c))
            }
            if c == "%" {
                switch next {
                case "a": field(.action)
                case "f": field(.from)
                case "t": field(.to)
                case "m": field(.message)
                case "s": field(.sentTime)
                case "T": field(.localTime)
                case "c": field(.code)
                case "e": field(.text)
                case "j": field(.json)
                case "%": literal.append(UInt8(ascii: "%"))
                default: throw FormatError.unknownToken("%\(Character(next))")
                }
            } else {
                switch next {
                case "t": literal.append(0x09)
                case "n": literal.append(0x0A)
                case "0": literal.append(0x00)
                case "\\": literal.append(UInt8(ascii: "\\"))
                default: throw FormatError.unknownEscape("\\\(Character(next))")
                }
            }
        }
        flush()
        return tokens
    }
}
