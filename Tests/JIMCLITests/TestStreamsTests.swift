import JIMCLI
import Testing

@Test func testStreamsRoundTrip() throws {
    let streams = TestStreams(stdin: "one\ntwo 🙂\n", toolName: "jim-test")
    let reader = LineReader(descriptor: streams.streams.input)
    let writer = OutputWriter(descriptor: streams.streams.output)
    while let line = try reader.next() {
        try writer.write(UnsafeRawBufferPointer(rebasing: line[...]))
        try writer.write("|")
    }
    try writer.flush()
    Diagnostics(streams: streams.streams).error("input", "done")
    #expect(streams.stdout == "one|two 🙂|")
    #expect(streams.stderr == "jim-test: input: done\n")
    #expect(streams.streams.toolName == "jim-test")
}

@Test func testStreamsHoldBinaryInput() throws {
    let bytes: [UInt8] = [0, 1, 0xFF, 10, 0]
    let streams = TestStreams(stdinBytes: bytes)
    let reader = LineReader(descriptor: streams.streams.input, delimiter: 0)
    #expect(try reader.nextBytes() == [])
    #expect(try reader.nextBytes() == [1, 0xFF, 10])
    #expect(try reader.nextBytes() == nil)
    #expect(streams.stdoutBytes == [])
}

@Test func largeOutputDoesNotBlock() throws {
    let streams = TestStreams()
    let writer = OutputWriter(descriptor: streams.streams.output)
    let line = Array(String(repeating: "x", count: 99).utf8) + [10]
    for _ in 0..<50_000 { try writer.write(line) }
    try writer.flush()
    #expect(streams.stdoutBytes.count == 5_000_000)
}

@Test func parseCommandLinePrintsHelpAndVersion() {
    let help = TestStreams()
    guard case .exit(.ok) = SampleSpecs.send.parse(commandLine: ["jim-send", "--help"], streams: help.streams) else {
        Issue.record("--help did not exit 0")
        return
    }
    #expect(help.stdout == HelpFormatter(spec: SampleSpecs.send).render())
    #expect(help.stderr == "")

    let version = TestStreams()
    guard case .exit(.ok) = SampleSpecs.send.parse(commandLine: ["jim-send", "--version"], streams: version.streams)
    else {
        Issue.record("--version did not exit 0")
        return
    }
    #expect(version.stdout == "jim-send 0.1.0\n")
}

@Test func parseCommandLinePrintsCompletionScripts() {
    let streams = TestStreams()
    guard
        case .exit(.ok) = SampleSpecs.encode.parse(
            commandLine: ["jim-encode", "--generate-completion", "fish"], streams: streams.streams)
    else {
        Issue.record("--generate-completion did not exit 0")
        return
    }
    #expect(streams.stdout == CompletionGenerator(spec: SampleSpecs.encode).script(for: .fish))
}

@Test func parseCommandLineReportsUsageErrors() {
    let streams = TestStreams(toolName: "whatever")
    guard case .exit(.usage) = SampleSpecs.send.parse(commandLine: ["./jim-send", "--frob"], streams: streams.streams)
    else {
        Issue.record("a usage error did not exit 64")
        return
    }
    #expect(streams.stdout == "")
    #expect(streams.stderr == "jim-send: unknown option: --frob\nTry 'jim-send --help'.\n")
}

@Test func parseCommandLineRunsOtherwise() {
    let streams = TestStreams()
    guard
        case .run(let parsed) = SampleSpecs.send.parse(
            commandLine: ["jim-send", "-t", "bob", "host"], streams: streams.streams)
    else {
        Issue.record("did not run")
        return
    }
    #expect(parsed.value("to") == "bob")
    #expect(parsed.positionals == ["host"])
    #expect(streams.stdout == "" && streams.stderr == "")
}

@Test func diagnosticsFormatErrors() {
    let streams = TestStreams(toolName: "jim-listen")
    let diagnostics = Diagnostics(streams: streams.streams)
    diagnostics.error("127.0.0.1:7777", "Connection refused")
    diagnostics.report(StreamError.recordTooLong(record: 3, limit: 500), context: "stdin")
    diagnostics.report(UsageError("plain"))
    #expect(diagnostics.usage(UsageError("--count: not a number: x")) == .usage)
    #expect(
        streams.stderr == """
            jim-listen: 127.0.0.1:7777: Connection refused
            jim-listen: stdin: record 3: longer than 500 bytes
            jim-listen: plain
            jim-listen: --count: not a number: x
            Try 'jim-listen --help'.

            """)
}
