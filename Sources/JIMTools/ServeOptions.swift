import JIMCLI
import JIMCore
import JIMNet

/// jim-serve's command line, parsed and checked in one place.
struct ServeOptions {
    /// Where to listen.
    var endpoints: [Endpoint] = []
    /// The most detailed log level shown.
    var logLevel: ServerLogLevel = .info
    /// The accounts file, if any.
    var accountsPath: String?
    /// `--hash-password`: print a hash and exit.
    var hashPassword = false
    /// The state machine's settings.
    var configuration = ServerConfiguration()
    /// A client's write queue limit in bytes.
    var maxQueue = 256 * 1024
    /// Seconds a connection's queued output may make no progress before it is dropped; 0: never.
    var writeTimeout: Double = 30
    /// Whether `endpoints` starts with the default wildcards (no `-a`): IPv6 may then be missing.
    var usesDefaultAddresses = false

    /// The default port, from the course.
    static let defaultPort: UInt16 = 7777

    init(_ parsed: ParsedArguments) throws(UsageError) {
        if !parsed.positionals.isEmpty {
            throw UsageError("unexpected argument: \(parsed.positionals[0])")
        }
        if parsed.flag("verbose") && parsed.flag("quiet") { throw UsageError("-v and -q cannot be used together") }
        logLevel = parsed.flag("verbose") ? .debug : parsed.flag("quiet") ? .error : .info
        hashPassword = parsed.flag("hash-password")
        if hashPassword {
            let others = parsed.occurrences.map(\.name).filter { $0 != "hash-password" }
            if let other = others.first { throw UsageError("--hash-password cannot be used with --\(other)") }
            return
        }
        accountsPath = parsed.value("accounts")
        if accountsPath == "" { throw UsageError("--accounts: empty file name") }

        let port = try parsed.integer("port", in: 0...65535).map { UInt16($0) }
        let addresses = parsed.values("address")
        for text in addresses {
            do {
                endpoints.append(try Endpoint(parsing: text, defaultPort: port ?? Self.defaultPort))
            } catch {
                throw UsageError("-a: \(error)")
            }
        }
        if let path = parsed.value("unix") {
            do {
                endpoints.append(try Endpoint(parsing: "unix:" + path, defaultPort: 0))
            } catch {
                throw UsageError("--unix: \(error)")
            }
        }
        // No -a: every address, IPv4 and IPv6; with only --unix, just the Unix socket unless -p asks for TCP.
        if addresses.isEmpty && (parsed.value("unix") == nil || port != nil) {
            usesDefaultAddresses = true
            endpoints.insert(contentsOf: [.host("0.0.0.0", port: port ?? Self.defaultPort), .host("::", port: port ?? Self.defaultPort)], at: 0)
        }

        var limits = Limits.standard
        if let n = try parsed.integer("max-message", in: 1...1_000_000) { limits.message = n }
        if let n = try parsed.integer("max-frame", in: 64...4_000_000) { limits.frame = n }
        if limits.message > limits.frame {
            throw UsageError("--max-message \(limits.message) does not fit in a frame of \(limits.frame) characters: raise --max-frame")
        }
        configuration.limits = limits
        configuration.logLevel = logLevel
        if let n = try parsed.integer("max-clients", in: 1...10_000_000) { configuration.maxClients = n }
        if let n = try parsed.integer("max-queue", in: 1024...(1 << 30)) { maxQueue = n }
        if maxQueue < limits.frameBytes + 1 {
            throw UsageError("--max-queue \(maxQueue) cannot hold one frame of \(limits.frame) characters: raise it")
        }
        if let s = try parsed.duration("presence-timeout") {
            guard s > 0 else { throw UsageError("--presence-timeout: must be more than 0") }
            configuration.presenceTimeout = s
        }
        if let s = try parsed.duration("probe-interval") { configuration.probeInterval = s }
        if let s = try parsed.duration("probe-timeout") {
            guard s > 0 else { throw UsageError("--probe-timeout: must be more than 0") }
            configuration.probeTimeout = s
        }
        if let s = try parsed.duration("write-timeout") {
            guard s <= 1_000_000 else { throw UsageError("--write-timeout: at most 1000000 seconds") }
            writeTimeout = s
        }
    }
}
