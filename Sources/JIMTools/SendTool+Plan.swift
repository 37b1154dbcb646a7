import JIMCLI
import JIMCore

extension SendTool {
    /// A parsed and checked `jim-send` command line: every conflict is found here, before connecting.
    struct Plan {
        /// What the input is.
        enum Mode: Equatable {
            /// Text records, one message each (to `to`, or routed).
            case lines
            /// JIM frames, sent as they are.
            case frames
            /// The one message of `-m`.
            case message(String)
        }

        var settings: ClientSettings
        var mode: Mode
        /// `-t`: where unrouted lines go.
        var to: String?
        var route: Bool
        var split: Bool
        /// The byte that ends a record: LF, or NUL with `-0`.
        var delimiter: UInt8
        var keepGoing: Bool
        /// `-W`: the longest a request may wait for its answer, in seconds.
        var timeout: Double?
        var window: Int
        /// The inputs to read in turn (`-` is standard input).
        var inputs: [String]

        /// The default window.
        static let defaultWindow = 256

        /// Checks the command line; throws `UsageError`, or `StreamError` for an unreadable password file.
        init(_ parsed: ParsedArguments) throws {
            settings = try ClientSettings(parsed)
            let frames = parsed.flag("frames")
            let message = parsed.value("message")
            route = parsed.flag("route")
            split = parsed.flag("split")
            keepGoing = parsed.flag("keep-going")
            delimiter = parsed.flag("null") ? 0 : UInt8(ascii: "\n")
            inputs = parsed.values("input")
            if let message {
                if frames { throw UsageError("-m and --frames cannot be combined") }
                if !inputs.isEmpty { throw UsageError("-m and -i cannot be combined") }
                if route { throw UsageError("-m and -R cannot be combined: give -t") }
                if parsed.flag("null") { throw UsageError("-m and -0 cannot be combined") }
                mode = .message(message)
            } else if frames {
                for name in ["to", "route", "split", "null"] where parsed.flag(name) {
                    let spelled = parsed.spec.option(named: name)?.spellings.joined(separator: "/") ?? name
                    throw UsageError("--frames and \(spelled) cannot be combined: the frames say where they go")
                }
                mode = .frames
            } else {
                mode = .lines
            }
            to = try parsed.value("to").map { (to) throws(UsageError) -> String in
                let problem = to.utf8.first == UInt8(ascii: "#") ? Names.roomProblem(to) : Names.userProblem(to)
                if let problem { throw UsageError("--to: \(to): \(problem)") }
                return to
            }
            if mode != .frames && to == nil && !route {
                throw UsageError(message == nil ? "give -t TARGET, or -R to route each line" : "-m needs -t TARGET")
            }
            if inputs.isEmpty { inputs = ["-"] }
            if inputs.filter({ $0 == "-" }).count > 1 { throw UsageError("-i -: standard input can be read once") }
            timeout = try parsed.duration("timeout")
            if let timeout, timeout <= 0 { throw UsageError("--timeout: must be more than 0") }
            window = try parsed.integer("window", in: 1...65536) ?? Self.defaultWindow
        }
    }
}
