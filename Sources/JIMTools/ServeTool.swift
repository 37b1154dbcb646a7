#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
public import JIMCLI
import JIMCore
import JIMNet

/// `jim-serve`: the JIM server.
///
/// Runs in-process (tests call `main(arguments:streams:)`); the executable only hands off. It
/// parses and checks the command line, loads the accounts file, binds every listening address
/// (printing `jim-serve: listening on ADDR` for each, with the real port when port 0 was asked),
/// then runs `ServeServer` until SIGTERM or SIGINT.
public enum ServeTool {
    /// Runs jim-serve with `arguments` (program name first) on `streams`.
    public static func main(arguments: [String], streams: Streams) -> ExitStatus {
        let start = spec.start(arguments: arguments, streams: streams) { parsed, _ in try ServeOptions(parsed) }
        guard case .run(let options, let streams, let diagnostics) = start else { return start.exitStatus }
        if options.hashPassword { return hashPassword(streams: streams, diagnostics: diagnostics) }
        let log = ServeLog(diagnostics: diagnostics, level: options.logLevel)

        var accounts: AccountsFile?
        if let path = options.accountsPath {
            do {
                accounts = try AccountsFile.load(path: path, limits: options.configuration.limits)
            } catch {
                for line in error.lines { diagnostics.error(line) }
                if case .unreadable = error { return .noInput }
                return .dataError
            }
        }
        raiseDescriptorLimit()

        let listeners: [Listener]
        do {
            listeners = try listen(on: options, log: log)
        } catch {
            diagnostics.error(error.message)
            return error.status
        }
        do {
            let server = try ServeServer(options: options, listeners: listeners, accounts: accounts, log: log)
            // Announced only now that signals are watched: a script that sends SIGTERM on seeing this
            // line gets the orderly stop, never the default death that leaves a socket file behind.
            for listener in listeners { log.always("listening on \(listener.address)") }
            if let accounts, let path = options.accountsPath { log.write(.info, "\(path): \(accounts.count) accounts") }
            try server.run()
        } catch {
            for listener in listeners { listener.removeSocketFile() }
            diagnostics.report(error)
            return .failure
        }
        log.write(.info, "stopped")
        return .ok
    }

    /// Why listening failed, and the exit status that goes with it.
    struct ListenError: Error {
        var message: String
        var status: ExitStatus
    }

    /// Binds every endpoint. Port 0 is chosen once by the kernel and shared by the later addresses.
    static func listen(on options: ServeOptions, log: ServeLog) throws(ListenError) -> [Listener] {
        var listeners: [Listener] = []
        var chosenPort: UInt16?
        for endpoint in options.endpoints {
            let addresses: [SocketAddress]
            do {
                addresses = try endpoint.resolve()
            } catch {
                throw ListenError(message: "\(error)", status: .usage)
            }
            for var address in addresses {
                if address.port == 0, let port = chosenPort { address = address.withPort(port) }
                do {
                    let listener = try Listener(address: address)
                    if address.port == 0 { chosenPort = listener.address.port }
                    listeners.append(listener)
                } catch {
                    if case .failed(_, let system) = error, options.usesDefaultAddresses, address.family == .ipv6,
                        system.errno == EAFNOSUPPORT || system.errno == EADDRNOTAVAIL
                    {
                        log.write(.info, "\(address): \(system.reason); IPv4 only")
                        continue
                    }
                    for listener in listeners { listener.removeSocketFile() }
                    if case .failed(_, let system) = error, system.errno == EACCES {
                        throw ListenError(message: "\(error)", status: .noPermission)
                    }
                    throw ListenError(message: "\(error)", status: .unavailable)
                }
            }
        }
        return listeners
    }

    /// `--hash-password`: a password from standard input (not echoed on a terminal), its yescrypt hash on standard output.
    static func hashPassword(streams: Streams, diagnostics: Diagnostics) -> ExitStatus {
        let terminal = isatty(streams.input) == 1
        var saved = termios()
        if terminal {
            tcgetattr(streams.input, &saved)
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(streams.input, TCSAFLUSH, &quiet)
            diagnostics.emit("Password: ")
        }
        let reader = LineReader(descriptor: streams.input, maximumRecordLength: 4096)
        var line: [UInt8]?
        var failure: StreamError?
        do {
            line = try reader.nextBytes()
        } catch {
            failure = error
        }
        if terminal {
            tcsetattr(streams.input, TCSAFLUSH, &saved)
            diagnostics.emit("\n")
        }
        if let failure {
            diagnostics.report(failure, context: "standard input")
            return failure.exitStatus
        }
        var bytes = line ?? []
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        guard !bytes.isEmpty else {
            diagnostics.error("standard input", "empty password")
            return .dataError
        }
        guard let password = String(validating: bytes, as: UTF8.self), !bytes.contains(0) else {
            diagnostics.error("standard input", "the password is not valid UTF-8 text")
            return .dataError
        }
        guard let hash = AccountsCrypt.yescrypt(password) else {
            diagnostics.error("crypt", "libcrypt could not make a yescrypt hash")
            return .failure
        }
        let writer = OutputWriter(descriptor: streams.output)
        do {
            try writer.write(hash + "\n")
            try writer.flush()
        } catch {
            if error == .closed { return .ok }
            diagnostics.report(error)
            return error.exitStatus
        }
        return .ok
    }

    /// Lifts the soft limit on open descriptors to the hard one: every client needs one.
    static func raiseDescriptorLimit() {
        var limit = rlimit()
        #if canImport(Glibc)
            let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
            let resource = RLIMIT_NOFILE
        #endif
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = min(limit.rlim_max, 1 << 20)
        _ = setrlimit(resource, &limit)
    }
}
