import JIMCLI
import JIMCore
import Testing

@testable import JIMTools

/// jim-serve's command line, run in-process.
@Suite struct ServeToolTests {
    func run(_ arguments: [String], stdin: String = "") -> (JIMCLI.ExitStatus, TestStreams) {
        let streams = TestStreams(stdin: stdin, toolName: "jim-serve")
        let status = ServeTool.main(arguments: ["jim-serve"] + arguments, streams: streams.streams)
        return (status, streams)
    }

    @Test func helpListsEveryOption() {
        let (status, streams) = run(["--help"])
        #expect(status == .ok)
        for option in ServeTool.spec.options {
            #expect(streams.stdout.contains("--\(option.long)"), "--\(option.long) missing from --help")
        }
    }

    @Test(arguments: [
        (["-v", "-q"], "jim-serve: -v and -q cannot be used together"),
        (["-p", "70000"], "jim-serve: --port: must be between 0 and 65535: 70000"),
        (["-a", "[::1"], "jim-serve: -a: bad address \"[::1\": missing ] after IPv6 address"),
        (["--max-message", "900"], "jim-serve: --max-message 900 does not fit in a frame of 640 characters: raise --max-frame"),
        (["--max-queue", "2000"], "jim-serve: --max-queue 2000 cannot hold one frame of 640 characters: raise it"),
        (["--presence-timeout", "0"], "jim-serve: --presence-timeout: must be more than 0"),
        (["--hash-password", "-p", "1"], "jim-serve: --hash-password cannot be used with --port"),
        (["extra"], "jim-serve: unexpected argument: extra"),
    ])
    func aBadCommandLineExits64NamingTheFault(_ arguments: [String], _ message: String) {
        let (status, streams) = run(arguments)
        #expect(status == .usage)
        #expect(streams.stderr.hasPrefix(message + "\n"), "\(streams.stderr)" as Comment)
    }

    @Test func optionsBecomeTheStateMachinesConfiguration() throws {
        let parsed = try OptionParser(spec: ServeTool.spec).parse([
            "-a", "127.0.0.1", "-a", "[::1]:9000", "-p", "8000", "-v", "--max-clients", "5", "--max-queue", "100000",
            "--max-message", "1000", "--max-frame", "1200", "--presence-timeout", "2s", "--probe-interval", "0",
            "--probe-timeout", "250ms",
        ])
        let options = try ServeOptions(parsed)
        #expect(options.endpoints.map(\.description) == ["127.0.0.1:8000", "[::1]:9000"])
        #expect(options.logLevel == .debug)
        #expect(options.maxQueue == 100_000)
        let c = options.configuration
        #expect(c.maxClients == 5)
        #expect(c.limits.message == 1000)
        #expect(c.limits.frame == 1200)
        #expect(c.presenceTimeout == 2)
        #expect(c.probeInterval == 0)
        #expect(c.probeTimeout == 0.25)
    }

    @Test func withoutAddressesItListensOnEveryIPv4AndIPv6Address() throws {
        let plain = try ServeOptions(try OptionParser(spec: ServeTool.spec).parse([]))
        #expect(plain.endpoints.map(\.description) == ["0.0.0.0:7777", "[::]:7777"])
        #expect(plain.usesDefaultAddresses)
        let unixOnly = try ServeOptions(try OptionParser(spec: ServeTool.spec).parse(["--unix", "/tmp/x.sock"]))
        #expect(unixOnly.endpoints.map(\.description) == ["unix:/tmp/x.sock"])
        let both = try ServeOptions(try OptionParser(spec: ServeTool.spec).parse(["--unix", "/tmp/x.sock", "-p", "0"]))
        #expect(both.endpoints.map(\.description) == ["0.0.0.0:0", "[::]:0", "unix:/tmp/x.sock"])
    }

    @Test func hashPasswordReadsStdinAndPrintsAYescryptHash() {
        let (status, streams) = run(["--hash-password"], stdin: "correct horse\n")
        #expect(status == .ok)
        let hash = String(streams.stdout.dropLast())
        #expect(hash.hasPrefix("$y$"))
        #expect(streams.stdout.hasSuffix("\n"))
        #expect(AccountsCrypt.check("correct horse", against: hash))
        #expect(!AccountsCrypt.check("correct horse\n", against: hash))
    }

    @Test func hashPasswordRefusesAnEmptyPassword() {
        let (status, streams) = run(["--hash-password"], stdin: "\n")
        #expect(status == .dataError)
        #expect(streams.stderr == "jim-serve: standard input: empty password\n")
        #expect(streams.stdout.isEmpty)
    }

    @Test func anUnreadableAccountsFileExits66() {
        let (status, streams) = run(["-a", "127.0.0.1", "-p", "0", "--accounts", "/nonexistent/accounts"])
        #expect(status == .noInput)
        #expect(streams.stderr == "jim-serve: /nonexistent/accounts: No such file or directory\n")
    }
}
