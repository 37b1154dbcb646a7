import Glibc
import JIMCLI
import JIMCore
import Testing

@testable import JIMTools

@Suite struct DecodeToolTests {
    func decode(_ arguments: [String], stdin: String) -> CodecRun { decode(arguments, stdinBytes: Array(stdin.utf8)) }

    func decode(_ arguments: [String], stdinBytes: [UInt8]) -> CodecRun {
        let streams = TestStreams(stdinBytes: stdinBytes)
        let status = DecodeTool.main(arguments: ["jim-decode"] + arguments, streams: streams.streams)
        return CodecRun(
            status: status, stdout: streams.stdout, stderr: streams.stderr, stdoutBytes: streams.stdoutBytes)
    }

    static let frames = [
        ##"{"action":"msg","time":1732460002.00,"to":"#ops","from":"alice","encoding":"ascii","message":"deploy done"}"##,
        #"{"response":200,"time":1732460002.01,"alert":"OK"}"#,
        ##"{"action":"join","time":1732460001.50,"room":"#ops"}"##,
        #"{"action":"msg","time":1732460003.00,"to":"bob","from":"alice","message":"ping"}"#,
        #"{"response":410,"time":1732460003.01,"error":"bob is offline"}"#,
        #"{"action":"quit"}"#,
    ]

    @Test func specHasNoProblems() {
        #expect(DecodeTool.spec.problems() == [])
    }

    @Test func writesTheDefaultLinePerFrame() {
        let run = decode([], stdin: Self.frames.joined(separator: "\n") + "\n")
        #expect(run.status == .ok)
        #expect(run.stderr == "")
        #expect(
            run.lines == [
                "1732460002.00\talice\t#ops\tdeploy done",
                "200\tOK",
                "1732460001.50\tjoin\t#ops",
                "1732460003.00\talice\tbob\tping",
                "410\tbob is offline",
                "\tquit\t",
            ])
    }

    @Test func readsFramesBackToBackAndAsPythonWritesThem() {
        let python =
            #"{"action": "msg", "time": 1732460000.5, "to": "bob", "from": "alice", "message": "\u043f\u0440\u0438\u0432\u0435\u0442 \ud83d\ude00"}"#
        let run = decode(["-F", "%m"], stdin: python + python + "  \r\n\t" + python)
        #expect(run.status == .ok)
        #expect(run.stdout == "привет 😀\nпривет 😀\nпривет 😀\n")
    }

    @Test func formatSelectsFields() {
        let run = decode(["-F", #"%a|%f|%t|%c|%e\t%s"#], stdin: Self.frames.joined())
        #expect(
            run.lines == [
                "msg|alice|#ops||\t1732460002.00",
                "|||200|OK\t1732460002.01",
                "join||#ops||\t1732460001.50",
                "msg|alice|bob||\t1732460003.00",
                "|||410|bob is offline\t1732460003.01",
                "quit||||\t",
            ])
    }

    @Test func unknownTokenIsAUsageError() {
        let run = decode(["-F", "%m %x"], stdin: Self.frames[0])
        #expect(run.status == .usage)
        #expect(run.stderr.hasPrefix("jim-decode: -F: unknown token %x\n"))
        #expect(run.stdout == "")
    }

    @Test func jsonReemitsCanonicalCompactFrames() {
        let spaced = #"{ "action" : "msg" , "time" : 1.50 , "to" : "bob" , "message" : "\u0436\/" }"#
        let run = decode(["--json"], stdin: spaced + "\n" + Self.frames[1])
        #expect(run.stdout == #"{"action":"msg","time":1.50,"to":"bob","message":"ж/"}"# + "\n" + Self.frames[1] + "\n")
    }

    @Test func jsonWithNulTerminators() {
        let run = decode(["--json", "-0"], stdin: Self.frames[5] + Self.frames[5])
        #expect(run.stdout == Self.frames[5] + "\u{0}" + Self.frames[5] + "\u{0}")
    }

    @Test func actionFilterKeepsOnlyThoseActions() {
        #expect(decode(["-a", "msg", "-F", "%m"], stdin: Self.frames.joined()).lines == ["deploy done", "ping"])
        #expect(
            decode(["-a", "response", "-a", "quit", "-F", "%c%a"], stdin: Self.frames.joined()).lines == [
                "200", "410", "quit",
            ])
    }

    @Test func escapesTextUnlessRaw() {
        let frame = #"{"action":"msg","time":1,"to":"bob","message":"a\nb\tc\\d\u0007"}"#
        #expect(decode(["-F", "%m"], stdin: frame).stdout == #"a\nb\tc\\d\x07"# + "\n")
        #expect(decode(["--raw", "-F", "%m"], stdin: frame).stdout == "a\nb\tc\\d\u{7}\n")
        #expect(decode([], stdin: frame).stdout == "1\t\tbob\t" + #"a\nb\tc\\d\x07"# + "\n")
    }

    @Test func nulEndsRecords() {
        let frame = #"{"action":"msg","time":1,"to":"bob","message":"two\nlines"}"#
        #expect(
            decode(["-0", "--raw", "-F", "%m"], stdin: frame + frame).stdoutBytes
                == Array("two\nlines\u{0}two\nlines\u{0}".utf8))
    }

    @Test func badFramesAreReportedWithLineAndColumnAndDecodingGoesOn() {
        let input =
            [
                Self.frames[0],
                #"{"action":"msg","time":1,"to":"bob","message":x}"#,
                #"{"action":"msg","time":1,"to":"b b","message":"x"}"#,
                "garbage " + Self.frames[1],
                #"{"action":"msg","time":1,"to":"bob","message":""# + String(repeating: "x", count: 600) + "\"}",
                "   " + Self.frames[2],
            ].joined(separator: "\n") + "\n"
        let run = decode(["-F", "%a%c"], stdin: input)
        #expect(run.status == .dataError)
        #expect(run.lines == ["msg", "200", "join"])
        #expect(
            run.stderr == """
                jim-decode: <stdin>:2:47: unexpected 'x'
                jim-decode: <stdin>:3:1: to: whitespace is not allowed in a name
                jim-decode: <stdin>:4:1: expected '{' between frames, found 'g'
                jim-decode: <stdin>:5:1: frame longer than 640 characters

                """)
    }

    @Test func errorInsideAMultiLineFrameNamesItsOwnLine() {
        let run = decode([], stdin: "{\"action\":\"msg\",\n\"time\":1,\n  \"to\":\"bob\",\"message\":tru}\n")
        #expect(run.stderr == "jim-decode: <stdin>:3:24: unexpected 't'\n")
        #expect(run.status == .dataError)
    }

    @Test func invalidUTF8IsABadFrame() {
        let bytes =
            Array(#"{"action":"msg","time":1,"to":"bob","message":"a"#.utf8) + [0xC3, 0x28] + Array("\"}\n".utf8)
        let run = decode(["-F", "%m"], stdinBytes: bytes + Array(Self.frames[0].utf8))
        #expect(run.status == .dataError)
        #expect(run.stderr.hasPrefix("jim-decode: <stdin>:1:"))
        #expect(run.stderr.contains("invalid UTF-8"))
        #expect(run.stdout == "deploy done\n")
    }

    @Test func truncatedLastFrameIsReported() {
        let run = decode(["-F", "%m"], stdin: Self.frames[0] + "\n" + #"{"action":"msg","#)
        #expect(run.status == .dataError)
        #expect(run.stdout == "deploy done\n")
        #expect(run.stderr == "jim-decode: <stdin>: unexpected end of input inside a frame\n")
    }

    /// A file of several MiB is read in 1 MiB chunks, and the whole lines of each are taken in two halves
    /// on two threads; bad frames, frames over several lines and lines cut by a chunk's end then fall to
    /// the decoder. Every record must still come out once, in input order, and every fault be named at
    /// its own line, whichever half or chunk it lands in.
    @Test func largeInputSplitAcrossThreadsKeepsOrderAndFaultLines() {
        var input: [UInt8] = []
        var expected: [String] = []
        var badLines: [Int] = []
        var line = 1
        let padding = String(repeating: "ж", count: 60) + String(repeating: "x", count: 40)
        // Faults are sparse, so that most halves hold none and are taken whole, and some fall in a
        // first half, some in a second (a chunk holds about 5,800 of these lines).
        let bad: Set = [1_000, 4_300, 4_900, 12_000, 21_500, 28_000]
        let multiLine: Set = [3_900, 9_000, 17_700, 29_999]
        for i in 0..<30_000 {
            if bad.contains(i) {
                input += Array(##"{"action":"msg","time":1,"to":"#r","from":"a","message":"bad \##(i)",}"##.utf8) + [0x0A]
                badLines.append(line)
                line += 1
            } else if multiLine.contains(i) {
                input += Array("{\"action\":\"msg\",\n \"time\":1,\"to\":\"#r\",\"from\":\"a\",\n \"message\":\"multi \(i)\"}\n".utf8)
                expected.append("multi \(i)")
                line += 3
            } else {
                let message = "\(i) \(padding.prefix(i % 97))"
                input += Array(##"{"action":"msg","time":1,"to":"#r","from":"a","encoding":"utf-8","message":"\##(message)"}"##.utf8) + [0x0A]
                expected.append(message)
                line += 1
            }
        }
        #expect(input.count > 4 * DecodeTool.LineParts.chunkSize)
        let run = decode(["-F", "%m"], stdinBytes: input)
        #expect(run.status == .dataError)
        // Compared by count and first difference: a failure then prints two lines, not thirty thousand.
        let lines = run.lines
        #expect(lines.count == expected.count)
        let firstDifference = zip(lines, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(firstDifference == nil, "first difference at record \(firstDifference ?? 0)")
        let faultLines = run.stderr.split(separator: "\n").map { $0.split(separator: ":")[2] }.map { Int($0) }
        #expect(faultLines == badLines)
        #expect(run.stderr.split(separator: "\n").allSatisfy { $0.hasSuffix("trailing comma in an object") })
    }

    @Test func readsFilesAndGoesOnPastAMissingOne() throws {
        let dir = try CodecScratchDirectory()
        let a = dir.file("a.jim", Self.frames[0] + "\n")
        let b = dir.file("b.jim", "\n\n  {\"response\":9}\n")
        let run = decode(["-F", "%m", a, "/nonexistent/x.jim", b, "-"], stdin: Self.frames[3])
        #expect(run.stdout == "deploy done\nping\n")
        #expect(
            run.stderr == """
                jim-decode: /nonexistent/x.jim: No such file or directory
                jim-decode: \(b):3:3: response: not a 3-digit integer

                """)
        #expect(run.status == .noInput)
    }

    @Test(arguments: [
        (["--json", "-F", "%m"], "jim-decode: --json and -F cannot be combined"),
        (["--json", "--raw"], "jim-decode: --json and --raw cannot be combined"),
        (["-F", "%"], "jim-decode: -F: format ends with a lone %"),
        (["--frob"], "jim-decode: unknown option: --frob"),
    ])
    func usageErrorsExit64(_ arguments: [String], _ message: String) {
        let run = decode(arguments, stdin: "")
        #expect(run.status == .usage)
        #expect(run.stderr.hasPrefix(message + "\n"))
    }

    @Test func helpDocumentsTheDefaultLineAndTokens() {
        let run = decode(["--help"], stdin: "")
        #expect(run.status == .ok)
        #expect(run.stdout.contains("TIME  FROM  TO  MESSAGE"))
        for token in ["%a", "%f", "%t", "%m", "%s", "%T", "%c", "%e", "%j", "%%"] {
            #expect(run.stdout.contains(token), "\(token)")
        }
    }

    @Test func closedOutputEndsQuietlyWithStatusZero() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        close(fds[0])
        defer { close(fds[1]) }
        let input = TestStreams(stdin: String(repeating: Self.frames[0] + "\n", count: 20_000))
        var streams = input.streams
        streams.output = fds[1]
        let status = DecodeTool.main(arguments: ["jim-decode"], streams: streams)
        #expect(status == .ok)
        #expect(input.stderr == "")
    }

    @Test func roundTripsEncodedLines() {
        let lines = [
            "plain ASCII", "кириллица", "emoji 😀👍🏽", "tab\there", #"back\slash"#, #""quotes""#, "", "\u{1}\u{7F}",
        ]
        let encode = TestStreams(stdin: lines.joined(separator: "\n") + "\n")
        #expect(EncodeTool.main(arguments: ["jim-encode", "-t", "bob", "-f", "al"], streams: encode.streams) == .ok)
        let run = decode(["--raw", "-F", "%m"], stdinBytes: encode.stdoutBytes)
        #expect(run.stdout == lines.joined(separator: "\n") + "\n")
    }
}
