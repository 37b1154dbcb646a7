import JIMCLI
import JIMCore
import JIMNet

/// What `jim-send` and `jim-listen` share from their command lines: where the server is, who to be,
/// how long to wait for a connection, and how much to say on stderr.
///
/// Built by `ClientSettings(parsed)`, which checks every shared option and finds every conflict at once.
struct ClientSettings {
    /// Where to connect.
    var endpoint: Endpoint
    /// Who to be.
    var identity: ClientSession.Identity
    /// The longest a connection attempt may take, in seconds.
    var connectTimeout: Double
    /// `-v`: frames exchanged and status lines on stderr.
    var verbose: Bool
    /// `-q`: nothing on stderr but errors.
    var quiet: Bool

    /// The default port, from the lesson.
    static let defaultPort: UInt16 = 7777
    /// The default connect timeout in seconds.
    static let defaultConnectTimeout = 10.0

    /// The options both tools take, in the order help lists them (after each tool's own).
    static let options: [OptionSpec] = [
        .value("u", "user", "NAME", help: "the name to take (default: $JIM_USER, then your login name)"),
        .value("s", "status", "TEXT", help: "the status sent with presence (default: online)"),
        .value(
            "password-file", "FILE", help: "authenticate with the password in FILE (or set JIM_PASSWORD)",
            completion: .file),
        .value("connect-timeout", "SECONDS", help: "give up connecting after SECONDS (default 10)"),
        .flag("v", "verbose", help: "show the frames exchanged (and status lines) on standard error"),
        .flag("q", "quiet", help: "say nothing on standard error but errors"),
    ]

    /// The positionals both tools take.
    static let positionals: [PositionalSpec] = [
        PositionalSpec(
            "ADDR",
            help:
                "server: host, IPv4, [IPv6], host:port, [IPv6]:port or unix:/path (default: $JIM_SERVER, then localhost)",
            optional: true, completion: .host),
        PositionalSpec("PORT", help: "TCP port (default 7777)", optional: true),
    ]

    /// The environment section of both tools' help.
    static let environmentHelp = """

        Environment:
          JIM_SERVER     the server when no ADDR is given (ADDR syntax)
          JIM_USER       the name when -u is not given
          JIM_PASSWORD   the password when --password-file is not given; with either,
                         the tool authenticates instead of sending presence
        There is no option that takes a password on the command line.

        """

    /// Checks the shared options; throws `UsageError`, or `StreamError` for an unreadable password file.
    init(_ parsed: ParsedArguments) throws {
        if parsed.flag("verbose") && parsed.flag("quiet") { throw UsageError("-v and -q cannot be combined") }
        verbose = parsed.flag("verbose")
        quiet = parsed.flag("quiet")
        endpoint = try Self.endpoint(parsed.positionals)
        let timeout = try parsed.duration("connect-timeout") ?? Self.defaultConnectTimeout
        if timeout <= 0 { throw UsageError("--connect-timeout: must be more than 0") }
        connectTimeout = timeout
        let name = try Self.userName(parsed.value("user"))
        let status = parsed.value("status")
        if let status, status.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw UsageError("--status: control characters are not allowed")
        }
        if let status, Names.scalarCount(status) > Limits.standard.message {
            throw UsageError("--status: longer than \(Limits.standard.message) characters")
        }
        var password: String?
        if let file = parsed.value("password-file") {
            password = try Secret.read(file: file)
        } else {
            password = Secret.fromEnvironment("JIM_PASSWORD")
        }
        identity = ClientSession.Identity(name: name, status: status, password: password)
    }

    /// The server from `ADDR [PORT]`, else `$JIM_SERVER`, else localhost.
    static func endpoint(_ positionals: [String]) throws(UsageError) -> Endpoint {
        var address = positionals.first ?? "localhost"
        var prefix = ""
        if positionals.isEmpty, let server = Environment.nonEmptyValue("JIM_SERVER") {
            address = server
            prefix = "JIM_SERVER: "
        }
        func parse(_ port: UInt16) throws(UsageError) -> Endpoint {
            do {
                return try Endpoint(parsing: address, defaultPort: port)
            } catch {
                throw UsageError("\(prefix)\(error)")
            }
        }
        guard positionals.count > 1 else { return try parse(defaultPort) }
        let port = try ValueParser.integer(positionals[1], for: "PORT", in: 1...65535)
        let endpoint = try parse(UInt16(port))
        if case .unix = endpoint { throw UsageError("PORT cannot be given with a unix: address") }
        // An address that names its own port parses the same whatever the default.
        if try parse(port == 1 ? 2 : 1) == endpoint {
            throw UsageError("\(address) already has a port: give PORT once")
        }
        return endpoint
    }

    /// `-u`, else `$JIM_USER`, else the login name; checked against the naming rules.
    static func userName(_ option: String?) throws(UsageError) -> String {
        let fromEnvironment = option == nil ? Environment.nonEmptyValue("JIM_USER") : nil
        guard let name = option ?? fromEnvironment ?? Environment.loginName() else {
            throw UsageError("cannot tell your login name: give -u NAME")
        }
        if let problem = Names.userProblem(name) {
            let source = option != nil ? "--user" : fromEnvironment != nil ? "JIM_USER" : "login name"
            throw UsageError("\(source): \(name): \(problem)")
        }
        return name
    }
}
