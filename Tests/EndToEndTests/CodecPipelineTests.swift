import Foundation
import Testing

/// `jim-encode` and `jim-decode` as built binaries, in shell pipelines.
@Suite struct CodecPipelineTests {
    /// Runs `script` with `sh -c`, where `$ENC` and `$DEC` are the built tools; stdin is `input`.
    func shell(_ script: String, input: Data = Data(), keepStdinOpen: Bool = false) throws -> JIMProcess {
        let prelude = "ENC='\(JIMProcess.path(of: "jim-encode"))'; DEC='\(JIMProcess.path(of: "jim-decode"))'; "
        return try JIMProcess(
            executable: "/bin/sh", ["-c", prelude + script], stdin: input, keepStdinOpen: keepStdinOpen)
    }

    static let lines = [
        "plain ASCII text",
        "Кириллица: съешь же ещё этих мягких французских булок",
        "emoji 😀👍🏽🇺🇦 and 𝄞",
        "tabs\there\tand\tthere",
        #"back\slashes \\ and \n not a newline"#,
        #""quotes" and 'apostrophes'"#,
        "",
        "control \u{1}\u{1B}[0m and DEL \u{7F}",
        "",
        String(repeating: "long line ", count: 50),
    ]

    @Test func encodeThenDecodeGivesTheLinesBackByteForByte() throws {
        let input = Self.lines.joined(separator: "\n") + "\n"
        let run = try shell(#""$ENC" -t '#ops' -f alice | "$DEC" --raw -F '%m'"#, input: Data(input.utf8))
        #expect(run.wait() == 0)
        #expect(run.stdout == input)
        #expect(run.stderr == "")
    }

    @Test func routedLinesKeepTheirTargets() throws {
        let run = try shell(
            #""$ENC" -R -t carol -f alice | "$DEC" -F '%t %m'"#, input: Data("@bob hi\n#ops yo\nplain\n".utf8))
        #expect(run.wait() == 0)
        #expect(run.stdout == "bob hi\n#ops yo\ncarol plain\n")
    }

    @Test func nulRecordsCarryNewlines() throws {
        let records = ["first\nsecond line", "", "tab\tand\\backslash", "ж😀"]
        let input = records.joined(separator: "\u{0}") + "\u{0}"
        let run = try shell(#""$ENC" -0 -t bob -f alice | "$DEC" -0 --raw -F '%m'"#, input: Data(input.utf8))
        #expect(run.wait() == 0)
        #expect(run.stdout == input)
        let escaped = try shell(#""$ENC" -0 -t bob -f alice | "$DEC" -F '%m'"#, input: Data(input.utf8))
        #expect(escaped.wait() == 0)
        #expect(escaped.stdout == "first\\nsecond line\n\ntab\\tand\\\\backslash\nж😀\n")
    }

    @Test func closedOutputEndsBothToolsWithStatusZero() throws {
        let file = try TemporaryFile(String(repeating: "a line of text that goes on for a while\n", count: 200_000))
        let run = try shell(
            #"("$ENC" -t bob -f alice "\#(file.path)"; echo "enc=$?" >&2) | ("$DEC"; echo "dec=$?" >&2) | head -1"#)
        #expect(run.wait(timeout: 60) == 0)
        #expect(run.stdout.split(separator: "\n").count == 1)
        #expect(run.stdout.hasSuffix("\tbob\ta line of text that goes on for a while\n"))
        #expect(run.stderr.contains("enc=0"))
        #expect(run.stderr.contains("dec=0"))
        #expect(!run.stderr.contains("jim-"))
    }

    /// A file named on the command line is mapped, not read. If it is cut short under the tool, the
    /// kernel raises SIGBUS; jim-decode then says so and exits 74 instead of dumping core. The signal
    /// is sent by hand once records are coming out, so the tool is surely reading the mapped file.
    /// Not under the sanitizers: the thread sanitizer holds back asynchronous signals, and a sanitized
    /// jim-decode takes too long over a file large enough for this test.
    @Test(.enabled(if: !StressEndToEndTests.sanitized))
    func busErrorOnAMappedFileEndsWithStatus74AndAMessage() throws {
        let dir = try PackageFiles.temporaryDirectory("sigbus")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("big.ndjson")
        var text = ""
        let padding = String(repeating: "x", count: 100)
        for i in 0..<400_000 {
            text += #"{"action":"msg","time":1,"to":"bob","from":"al","message":"m\#(i) \#(padding)"}"# + "\n"
        }
        try Data(text.utf8).write(to: file)
        let decode = try JIMProcess("jim-decode", ["-F", "%m", file.path])
        #expect(decode.waitForStdout(containing: "m20000 ") != nil)
        decode.signal(SIGBUS)
        #expect(decode.wait(timeout: 60) == 74)
        #expect(decode.stderr == "jim-decode: an input file was cut short while it was being read\n")
    }

    @Test func badFramesAreReportedWithPositionWhileGoodOnesPrint() throws {
        let frames = """
            {"action":"msg","time":1.5,"to":"bob","from":"alice","message":"one"}
            {"action":"msg","time":1.5,"to":"bob","message":nope}
            {"action":"msg","time":1.5,"to":"bob","from":"alice","message":"two"}{"action":"msg","time":1.5,"to":"bob"}
              {"response":200,"time":2,"alert":"OK"}

            """
        let file = try TemporaryFile(frames, name: "frames.jim")
        let run = try shell(#""$DEC" -F '%m%c' "\#(file.path)""#)
        #expect(run.wait() == 65)
        #expect(run.stdout == "one\ntwo\n200\n")
        #expect(
            run.stderr == """
                jim-decode: \(file.path):2:49: unexpected 'n'
                jim-decode: \(file.path):3:70: message: missing

                """)
    }

    @Test func lineOverTheLimitFailsAfterTheEarlierLinesAreWritten() throws {
        let file = try TemporaryFile("ok\n" + String(repeating: "ж", count: 501) + "\nnever\n", name: "text")
        let run = try shell(#""$ENC" -t bob -f alice --time 1 "\#(file.path)" | "$DEC" -F '%m'; echo "status=$?""#)
        // The pipeline's status is jim-decode's; jim-encode's own is checked on its own below.
        #expect(run.wait() == 0)
        #expect(run.stdout == "ok\nstatus=0\n")
        #expect(run.stderr == "jim-encode: \(file.path):2: message is 501 characters, the limit is 500\n")
        let alone = try shell(#""$ENC" -t bob -f alice "\#(file.path)" >/dev/null"#)
        #expect(alone.wait() == 65)
    }

    @Test func liveInputIsFlushedWhileTheToolsWaitForMore() throws {
        let run = try shell(#""$ENC" -t bob -f alice | "$DEC" -F '%m'"#, keepStdinOpen: true)
        run.write(Data("first\n".utf8))
        #expect(run.waitForStdout(containing: "first") == "first")
        run.write(Data("second\n".utf8))
        #expect(run.waitForStdout(containing: "second") == "second")
        run.closeStdin()
        #expect(run.wait() == 0)
    }

    @Test func unknownFormatTokenIsAUsageError() throws {
        let run = try shell(#""$DEC" -F '%m %x' </dev/null"#)
        #expect(run.wait() == 64)
        #expect(run.stderr.hasPrefix("jim-decode: -F: unknown token %x\n"))
    }

    @Test func otherActionsDecodeToOneLineEach() throws {
        let script =
            #"{ "$ENC" presence -u alice -s here --time 1; "$ENC" join ops --time 2; "$ENC" leave '#ops' --time 3; "$ENC" quit; } | "$DEC""#
        let run = try shell(script)
        #expect(run.wait() == 0)
        #expect(run.stdout == "1.00\tpresence\talice here\n2.00\tjoin\t#ops\n3.00\tleave\t#ops\n\tquit\t\n")
    }
}
