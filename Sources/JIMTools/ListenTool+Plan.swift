import JIMCLI
import JIMCore

extension ListenTool {
    /// A parsed and checked `jim-listen` command line: every conflict is found here, before connecting.
    struct Plan {
        var settings: ClientSettings
        /// The rooms to join, each with its `#`, in the order given, each once.
        var rooms: [String]
        /// `-C`: exit after this many messages.
        var count: Int?
        /// `-W`: the longest wait for a message, in seconds.
        var timeout: Double?
        /// How messages are written, or nil for `--json`.
        var formatter: FrameFormatter?
        /// Whether the format can be rendered from a `FrameView` (no `%j`, no `%T`): decided once.
        var viewCanRender = true
        /// The byte after each record: LF, or NUL with `-0`.
        var terminator: UInt8
        var reconnect: Bool

        /// Checks the command line; throws `UsageError`, or `StreamError` for an unreadable password file.
        init(_ parsed: ParsedArguments) throws {
            settings = try ClientSettings(parsed)
            rooms = []
            for value in parsed.values("room") {
                let room = value.utf8.first == UInt8(ascii: "#") ? value : "#" + value
                if let problem = Names.roomProblem(room) { throw UsageError("--room: \(value): \(problem)") }
                if !rooms.contains(room) { rooms.append(room) }
            }
            count = try parsed.integer("count", in: 1...Int.max)
            timeout = try parsed.duration("timeout")
            if let timeout, timeout <= 0 { throw UsageError("--timeout: must be more than 0") }
            terminator = parsed.flag("null") ? 0 : 0x0A
            reconnect = parsed.flag("reconnect")
            formatter = try FrameFormatter.fromOptions(parsed, terminator: terminator)
            viewCanRender = formatter?.tokens.map(FrameFormatter.viewCanRender) ?? true
        }
    }
}
