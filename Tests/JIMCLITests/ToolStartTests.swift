import JIMCLI
import Testing

/// `CommandSpec.start`, the beginning every tool shares.
@Suite struct ToolStartTests {
    struct Failure: Error, CustomStringConvertible {
        var description: String { "something broke" }
    }

    func start(_ arguments: [String], _ makePlan: @escaping (ParsedArguments) throws -> String) -> (ToolStart<String>, TestStreams) {
        let streams = TestStreams()
        let result = SampleSpecs.minimal.start(arguments: ["jim-min"] + arguments, streams: streams.streams) { parsed, _ in
            try makePlan(parsed)
        }
        return (result, streams)
    }

    @Test func givesThePlanTheNamedStreamsAndDiagnostics() {
        let (result, test) = start(["alice"]) { $0.positionals.joined() }
        guard case .run(let plan, let streams, let diagnostics) = result else {
            Issue.record("expected a run, got \(result.exitStatus)")
            return
        }
        #expect(plan == "alice")
        #expect(streams.toolName == "jim-min")
        diagnostics.error("ctx", "why")
        #expect(test.stderr == "jim-min: ctx: why\n")
    }

    @Test func stopsAfterHelpWithoutMakingAPlan() {
        let (result, streams) = start(["--help"]) { _ in
            Issue.record("no plan after --help")
            return ""
        }
        #expect(result.exitStatus == .ok)
        #expect(streams.stdout.contains("Usage: jim-min"))
    }

    @Test func mapsEachKindOfRefusalToItsStatus() {
        let usage = start(["x"]) { _ in throw UsageError("-t: not a name") }
        #expect(usage.0.exitStatus == .usage)
        #expect(usage.1.stderr.hasPrefix("jim-min: -t: not a name\n"))
        let missing = start(["x"]) { _ in throw StreamError.file(path: "in.txt", code: 2) }
        #expect(missing.0.exitStatus == StreamError.file(path: "in.txt", code: 2).exitStatus)
        #expect(missing.1.stderr.contains("in.txt"))
        let other = start(["x"]) { _ in throw Failure() }
        #expect(other.0.exitStatus == .software)
        #expect(other.1.stderr == "jim-min: something broke\n")
        let badLine = start([]) { _ in "never" }
        #expect(badLine.0.exitStatus == .usage)
    }
}
