import JIMCLI
import JIMCore

extension EncodeTool {
    /// What `msg` encoding needs, checked.
    struct MessagePlan {
        var to: String?
        var from: String
        var route: Bool
        var split: Bool
        var delimiter: UInt8
        var time: JSONNumber?
        var files: [String]
    }

    /// A parsed and checked command line: every conflict is found here, before any output.
    struct Plan {
        /// The work to do.
        enum Work {
            /// Write this one frame (presence, authenticate, join, leave, quit).
            case frame([UInt8])
            /// Encode lines of text as msg frames.
            case messages(MessagePlan)
        }

        var work: Work

        /// Checks the command line; throws `UsageError`, or `StreamError` for a password file.
        init(_ parsed: ParsedArguments) throws {
            let action = parsed.action ?? "msg"
            let allowed = EncodeTool.optionsByAction[action] ?? []
            for occurrence in parsed.occurrences where !allowed.contains(occurrence.name) {
                let option = parsed.spec.option(named: occurrence.name)
                let spelled = option?.spellings.joined(separator: "/") ?? "--\(occurrence.name)"
                throw UsageError("\(spelled) does not apply to \(action)")
            }
            let time = try parsed.number("time").map { JSONNumber($0) }
            let request: Request
            switch action {
            case "msg":
                let to = try parsed.value("to").map { (to) throws(UsageError) -> String in
                    let problem = to.utf8.first == UInt8(ascii: "#") ? Names.roomProblem(to) : Names.userProblem(to)
                    if let problem { throw UsageError("--to: \(to): \(problem)") }
                    return to
                }
                if to == nil && !parsed.flag("route") { throw UsageError("msg needs -t TARGET or -R") }
                work = .messages(
                    MessagePlan(
                        to: to, from: try Self.name(parsed.value("from"), option: "--from"),
                        route: parsed.flag("route"),
                        split: parsed.flag("split"), delimiter: parsed.flag("null") ? 0 : UInt8(ascii: "\n"),
                        time: time,
                        files: parsed.positionals))
                return
            case "presence":
                let user = try Self.name(parsed.value("user"), option: "--user")
                request = .presence(
                    Presence(
                        accountName: user, status: parsed.value("status") ?? "online", type: "status",
                        time: time ?? Self.now()))
            case "authenticate":
                let user = try Self.name(parsed.value("user"), option: "--user")
                let password: String
                if let file = parsed.value("password-file") {
                    password = try Secret.read(file: file)
                } else if let secret = Secret.fromEnvironment("JIM_PASSWORD") {
                    password = secret
                } else {
                    throw UsageError("authenticate needs --password-file FILE or JIM_PASSWORD")
                }
                request = .authenticate(Credentials(accountName: user, password: password, time: time ?? Self.now()))
            case "join", "leave":
                var room = parsed.positionals[0]
                if room.utf8.first != UInt8(ascii: "#") { room = "#" + room }
                if let problem = Names.roomProblem(room) { throw UsageError("\(room): \(problem)") }
                let r = RoomRequest(room: room, time: time ?? Self.now())
                request = action == "join" ? .join(r) : .leave(r)
            default:
                request = .quit
            }
            let frame = Frame(request).encoded()
            let characters = frame.withUnsafeBytes { Names.scalarCount(utf8: $0) } - 1
            if characters > Limits.standard.frame {
                throw UsageError("\(action): frame is \(characters) characters, the limit is \(Limits.standard.frame)")
            }
            work = .frame(frame)
        }

        /// The clock, as a time literal.
        static func now() -> JSONNumber { JSONNumber(SystemTime.now()) }

        /// A checked user name: `value`, or the login name when the option was not given.
        static func name(_ value: String?, option: String) throws(UsageError) -> String {
            guard let name = value ?? Environment.loginName() else {
                throw UsageError("cannot tell your login name: give \(option) NAME")
            }
            if let problem = Names.userProblem(name) {
                throw UsageError(
                    value == nil
                        ? "login name \(name): \(problem): give \(option) NAME" : "\(option): \(name): \(problem)")
            }
            return name
        }
    }
}
