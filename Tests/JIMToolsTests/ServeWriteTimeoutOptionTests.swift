import JIMCLI
import Testing

@testable import JIMTools

/// `--write-timeout`: parsed, defaulted and checked like jim-serve's other durations.
@Suite struct ServeWriteTimeoutOptionTests {
    func options(_ arguments: [String]) throws -> ServeOptions {
        try ServeOptions(try OptionParser(spec: ServeTool.spec).parse(arguments))
    }

    @Test func defaultsToThirtySeconds() throws {
        #expect(try options([]).writeTimeout == 30)
    }

    @Test(arguments: [("1", 1.0), ("250ms", 0.25), ("2m", 120.0), ("0", 0.0), ("1.5", 1.5)])
    func takesADuration(_ text: String, _ seconds: Double) throws {
        #expect(try options(["--write-timeout", text]).writeTimeout == seconds)
    }

    @Test(arguments: [
        (["--write-timeout", "soon"], "jim-serve: --write-timeout: not a duration: soon"),
        (["--write-timeout", "-1"], "jim-serve: --write-timeout: not a duration: -1"),
        (["--write-timeout", "2000000"], "jim-serve: --write-timeout: at most 1000000 seconds"),
    ])
    func aBadValueExits64NamingTheFault(_ arguments: [String], _ message: String) {
        let streams = TestStreams(toolName: "jim-serve")
        let status = ServeTool.main(arguments: ["jim-serve"] + arguments, streams: streams.streams)
        #expect(status == .usage)
        #expect(streams.stderr.hasPrefix(message + "\n"), "\(streams.stderr)" as Comment)
    }

    @Test func helpDescribesTheDefaultAndZero() {
        let streams = TestStreams(toolName: "jim-serve")
        #expect(ServeTool.main(arguments: ["jim-serve", "--help"], streams: streams.streams) == .ok)
        #expect(streams.stdout.contains("--write-timeout SECONDS"))
        #expect(streams.stdout.contains("default 30; 0: never"))
    }
}
