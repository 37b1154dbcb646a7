import Glibc
import JIMCLI
import JIMCore
import Testing

@testable import JIMTools

/// What an in-process run of a tool gave.
struct CodecRun {
    var status: JIMCLI.ExitStatus
    var stdout: String
    var stderr: String
    var stdoutBytes: [UInt8]

    /// The stdout lines, without their LFs.
    var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
}

@Suite struct EncodeToolTests {
    func encode(_ arguments: [String], stdin: String) -> CodecRun { encode(arguments, stdinBytes: Array(stdin.utf8)) }

    func encode(_ arguments: [String], stdinBytes: [UInt8]) -> CodecRun {
        let streams = TestStreams(stdinBytes: stdinBytes)
        let status = EncodeTool.main(arguments: ["jim-encode"] + arguments, streams: streams.streams)
        return CodecRun(
            status: status, stdout: streams.stdout, stderr: streams.stderr, stdoutBytes: streams.stdoutBytes)
    }

    /// The frame our typed writer gives for the same message, to compare the fast encoder against.
    func expected(_ message: String, to: String = "bob", from: String = "alice", time: String = "5.00") -> String {
        let m = Message(
            to: to, from: from, message: message, encoding: Message.encoding(of: message),
            time: JSONNumber(literal: time))
        return String(decoding: Frame(Request.msg(m)).encoded(), as: UTF8.self)
    }

    @Test func specHasNoProblems() {
        #expect(EncodeTool.spec.problems() == [])
    }

    @Test func writesOneMsgFramePerLine() {
        let run = encode(["-t", "bob", "-f", "alice", "--time", "5"], stdin: "hello\nпривет\n\nlast")
        #expect(run.status == .ok)
        #expect(run.stderr == "")
        #expect(run.stdout == expected("hello") + expected("привет") + expected("") + expected("last"))
        #expect(
            run.lines[0]
                == #"{"action":"msg","time":5.00,"to":"bob","from":"alice","encoding":"ascii","message":"hello"}"#)
        #expect(run.lines[1].contains(#""encoding":"utf-8""#))
    }

    @Test func escapesExactlyAsTheJSONWriterDoes() throws {
        var tricky = (0..<0x20).filter { $0 != 0x0A }.map { String(UnicodeScalar(UInt8($0))) }
        tricky += ["\"", "\\", "\u{7F}", "/", "ж", "€", "😀", "\u{10FFFF}", "\u{FEFF}", "a\"b\\c\"\"\"\\\\\\\\d"]
        tricky.append(String(repeating: "0123456789", count: 20) + "\"")
        tricky.append(String(repeating: "жж\t", count: 100))
        let input = tricky.joined(separator: "\n") + "\n"
        let run = encode(["-t", "bob", "-f", "alice", "--time", "5"], stdin: input)
        #expect(run.status == .ok)
        #expect(run.lines == tricky.map { String(expected($0).dropLast()) })
        for line in run.lines {
            #expect(throws: Never.self) { try Frame(parsing: Array(line.utf8)) }
        }
    }

    @Test func namesWithQuotesAreEscaped() {
        let run = encode(["-t", #"b"o\b"#, "-f", "жора", "--time", "5"], stdin: "x\n")
        #expect(run.stdout == expected("x", to: #"b"o\b"#, from: "жора"))
    }

    @Test func clockTimeHasAFractionalPart() throws {
        let before = SystemTime.now()
        let run = encode(["-t", "bob", "-f", "alice"], stdin: "a\nb\n")
        let after = SystemTime.now()
        for line in run.lines {
            let frame = try Frame(parsing: Array(line.utf8))
            let time = try #require(frame.request.flatMap { if case .msg(let m) = $0 { m.time } else { nil } })
            #expect(time.text.contains("."))
            #expect(time.double >= before - 0.001 && time.double <= after + 0.001)
        }
    }

    @Test func timeTextMatchesJSONNumber() {
        var text = EncodeTool.TimeText()
        var values: [Double] = [
            0, 1, 0.5, 1.25, 1_732_460_000, 1732460000.1, 1732460000.123456, 1732460000.9999996, 99.999999,
        ]
        var state: UInt64 = 0x1234_5678
        for _ in 0..<2000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            values.append(Double(state >> 11) / Double(1 << 53) * 2_000_000_000)
        }
        for value in values {
            text.update(value)
            #expect(String(decoding: text.bytes, as: UTF8.self) == JSONNumber(value).text, "\(value)")
        }
    }

    @Test(arguments: ["x", "ж", "😀"])
    func messageLimitIsInCharacters(_ unit: String) {
        let ok = String(repeating: unit, count: 500)
        let long = String(repeating: unit, count: 501)
        let run = encode(["-t", "bob", "-f", "alice", "--time", "5"], stdin: "first\n\(ok)\n\(long)\nnever\n")
        #expect(run.status == .dataError)
        #expect(run.stderr == "jim-encode: <stdin>:3: message is 501 characters, the limit is 500\n")
        #expect(run.stdout == expected("first") + expected(ok))
    }

    @Test func frameLimitCountsEscapes() {
        let quotes = String(repeating: "\"", count: 500)
        let run = encode(["-t", "bob", "-f", "alice", "--time", "5"], stdin: quotes + "\n")
        #expect(run.status == .dataError)
        #expect(
            run.stderr == "jim-encode: <stdin>:1: frame is \(expected(quotes).count - 1) characters, the limit is 640\n"
        )
        #expect(run.stdout == "")
    }

    @Test(arguments: ["x", "ж", "😀"])
    func frameLimitIsAt640Characters(_ unit: String) {
        // The frame around an empty message, without its LF, is `fixed` characters; a quote takes two.
        let fixed = expected("").count - 1
        func text(quotes: Int) -> String {
            String(repeating: "\"", count: quotes) + String(repeating: unit, count: 500 - quotes)
        }
        let fits = text(quotes: 640 - fixed - 500)
        let over = text(quotes: 641 - fixed - 500)
        #expect(expected(fits).unicodeScalars.count - 1 == 640)
        let run = encode(["-t", "bob", "-f", "alice", "--time", "5"], stdin: fits + "\n" + over + "\n")
        #expect(run.stdout == expected(fits))
        #expect(run.stderr == "jim-encode: <stdin>:2: frame is 641 characters, the limit is 640\n")
        #expect(run.status == .dataError)
    }

    @Test(arguments: ["x", "ж", "😀", "\"", "\u{1}", "a\u{1}ж\"😀"])
    func splitCutsIntoFramesThatFitBothLimits(_ unit: String) throws {
        let text = String(repeating: unit, count: 1234)
        let run = encode(["-t", "bob", "-f", "alice", "--time", "5", "--split"], stdin: text + "\nnext\n")
        #expect(run.status == .ok)
        var joined = ""
        for line in run.lines.dropLast() {
            #expect(line.unicodeScalars.count <= 640)
            let frame = try Frame(parsing: Array(line.utf8))
            guard case .msg(let m) = frame.request else {
                Issue.record("not a msg")
                continue
            }
            #expect(m.message.unicodeScalars.count <= 500)
            #expect(m.encoding == Message.encoding(of: m.message))
            joined += m.message
        }
        #expect(joined == text)
        #expect(run.lines.last == String(expected("next").dropLast()))
        // The fewest frames: each but the last is full by one of the limits.
        let first = try Frame(parsing: Array(run.lines[0].utf8))
        if case .msg(let m) = first.request {
            let full = m.message.unicodeScalars.count == 500 || run.lines[0].unicodeScalars.count > 640 - 6
            #expect(full)
        }
    }

    @Test func splitKeepsShortAndEmptyLinesWhole() {
        let run = encode(["-t", "bob", "-f", "alice", "--time", "5", "--split"], stdin: "a\n\nb\n")
        #expect(run.stdout == expected("a") + expected("") + expected("b"))
    }

    @Test func invalidUTF8NamesTheLine() {
        let run = encode(
            ["-t", "bob", "-f", "alice", "--time", "5"], stdinBytes: Array("ok\n".utf8) + [0x61, 0xC3, 0x28, 0x0A])
        #expect(run.status == .dataError)
        #expect(run.stderr == "jim-encode: <stdin>:2: not valid UTF-8 (byte 2)\n")
        #expect(run.stdout == expected("ok"))
    }

    @Test(
        arguments: [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80], [0xFF]]
            as [[UInt8]])
    func rejectsEveryKindOfBadUTF8(_ bad: [UInt8]) {
        for split in [false, true] {
            let run = encode(
                ["-t", "bob", "-f", "alice", "--time", "5"] + (split ? ["--split"] : []), stdinBytes: bad + [0x0A])
            #expect(run.status == .dataError)
            #expect(run.stderr.hasPrefix("jim-encode: <stdin>:1: not valid UTF-8"))
        }
    }

    @Test func endlessLineIsRefusedWithoutTakingAllMemory() {
        let bytes = Array("ok\n".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: EncodeTool.maximumLineLength + 10)
        let run = encode(["--split", "-t", "bob", "-f", "alice", "--time", "5"], stdinBytes: bytes)
        #expect(run.status == .dataError)
        #expect(run.stderr == "jim-encode: <stdin>:2: line longer than \(EncodeTool.maximumLineLength) bytes\n")
        #expect(run.stdout == expected("ok"))
    }

    @Test func nulRecordsKeepNewlines() {
        let run = encode(["-0", "-t", "bob", "-f", "alice", "--time", "5"], stdin: "two\nlines\u{0}one\u{0}")
        #expect(run.stdout == expected("two\nlines") + expected("one"))
    }

    @Test func routesEachLine() {
        let run = encode(["-R", "-t", "carol", "-f", "alice", "--time", "5"], stdin: "@bob hi\n#ops yo\nplain\n")
        #expect(run.stdout == expected("hi", to: "bob") + expected("yo", to: "#ops") + expected("plain", to: "carol"))
    }

    @Test func unroutedLineWithoutDefaultIsAnError() {
        let run = encode(["-R", "-f", "alice", "--time", "5"], stdin: "@bob hi\nplain\n")
        #expect(run.status == .dataError)
        #expect(run.stdout == expected("hi", to: "bob"))
        #expect(run.stderr.hasPrefix("jim-encode: <stdin>:2: no target"))
    }

    @Test func invalidUTF8AfterARouteCountsFromTheLineStart() {
        let run = encode(["-R", "-f", "alice", "--time", "5"], stdinBytes: Array("@bob ".utf8) + [0xFF, 0x0A])
        #expect(run.stderr == "jim-encode: <stdin>:1: not valid UTF-8 (byte 6)\n")
    }

    @Test func readsFilesInOrderAndNamesThem() throws {
        let dir = try CodecScratchDirectory()
        let a = dir.file("a.txt", "one\n")
        let b = dir.file("b.txt", "two\n" + String(repeating: "x", count: 501) + "\n")
        let run = encode(["-t", "bob", "-f", "alice", "--time", "5", a, "-", b], stdin: "stdin\n")
        #expect(run.stdout == expected("one") + expected("stdin") + expected("two"))
        #expect(run.stderr == "jim-encode: \(b):2: message is 501 characters, the limit is 500\n")
        #expect(run.status == .dataError)
    }

    @Test func missingFileExits66() {
        let run = encode(["-t", "bob", "-f", "alice", "/nonexistent/jim-in"], stdin: "")
        #expect(run.status == .noInput)
        #expect(run.stderr == "jim-encode: /nonexistent/jim-in: No such file or directory\n")
    }

    @Test func presenceHasTypeAndStatus() {
        let run = encode(["presence", "-u", "alice", "--time", "1"], stdin: "")
        #expect(
            run.stdout
                == #"{"action":"presence","time":1.00,"type":"status","user":{"account_name":"alice","status":"online"}}"#
                + "\n")
        let away = encode(["presence", "-u", "alice", "-s", "away", "--time", "1"], stdin: "")
        #expect(away.stdout.contains(#""status":"away""#))
    }

    @Test func joinAndLeaveTakeARoomWithOrWithoutHash() {
        #expect(
            encode(["join", "ops", "--time", "2"], stdin: "").stdout
                == ##"{"action":"join","time":2.00,"room":"#ops"}"## + "\n")
        #expect(
            encode(["leave", "#ops", "--time", "2"], stdin: "").stdout
                == ##"{"action":"leave","time":2.00,"room":"#ops"}"## + "\n")
        let bad = encode(["join", "a:b"], stdin: "")
        #expect(bad.status == .usage)
        #expect(bad.stderr.hasPrefix("jim-encode: #a:b: ':' is not allowed in a name\n"))
    }

    @Test func quitIsOneFrame() {
        #expect(encode(["quit"], stdin: "").stdout == #"{"action":"quit"}"# + "\n")
    }

    @Test func authenticateReadsThePasswordFile() throws {
        let dir = try CodecScratchDirectory()
        let file = dir.file("pw", "s3cr\"et\n")
        let run = encode(["authenticate", "-u", "alice", "--password-file", file, "--time", "3"], stdin: "")
        #expect(run.status == .ok)
        #expect(
            run.stdout
                == #"{"action":"authenticate","time":3.00,"user":{"account_name":"alice","password":"s3cr\"et"}}"#
                + "\n")
        let missing = encode(["authenticate", "-u", "alice", "--password-file", "/nonexistent/pw"], stdin: "")
        #expect(missing.status == .noInput)
        #expect(missing.stderr == "jim-encode: /nonexistent/pw: No such file or directory\n")
    }

    @Test func authenticateTakesThePasswordFromTheEnvironment() {
        setenv("JIM_PASSWORD", "from-env", 1)
        defer { unsetenv("JIM_PASSWORD") }
        let run = encode(["authenticate", "-u", "alice", "--time", "3"], stdin: "")
        #expect(run.stdout.contains(#""password":"from-env""#))
    }

    @Test(arguments: [
        (["-f", "alice"], "jim-encode: msg needs -t TARGET or -R"),
        (["-t", "bob bob", "-f", "alice"], "jim-encode: --to: bob bob: whitespace is not allowed in a name"),
        (["-t", "bob", "-f", "#al"], "jim-encode: --from: #al: a user name cannot start with '#'"),
        (["join", "#ops", "-t", "bob"], "jim-encode: -t/--to does not apply to join"),
        (["-t", "bob", "-s", "away"], "jim-encode: -s/--status does not apply to msg"),
        (["quit", "--time", "1"], "jim-encode: --time does not apply to quit"),
        (["-t", "bob", "--time", "soon"], "jim-encode: --time: not a number: soon"),
        (
            ["presence", "-u", "al", "--time", "1", "-s", String(repeating: "s", count: 600)],
            "jim-encode: presence: frame is 690 characters, the limit is 640"
        ),
    ])
    func usageErrorsExit64(_ arguments: [String], _ message: String) {
        let run = encode(arguments, stdin: "")
        #expect(run.status == .usage)
        #expect(run.stderr.hasPrefix(message + "\n"))
        #expect(run.stdout == "")
    }

    @Test func closedOutputEndsQuietlyWithStatusZero() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        close(fds[0])
        defer { close(fds[1]) }
        let input = TestStreams(stdin: String(repeating: "hello\n", count: 100_000))
        var streams = input.streams
        streams.output = fds[1]
        let status = EncodeTool.main(arguments: ["jim-encode", "-t", "bob", "-f", "al"], streams: streams)
        #expect(status == .ok)
        #expect(input.stderr == "")
    }

    @Test func messageEncoderAppendsToArrays() throws {
        var encoder = EncodeTool.MessageEncoder(from: "alice", split: true)
        var out: [UInt8] = []
        let time = Array("5.00".utf8)
        let line = Array(String(repeating: "ж", count: 700).utf8)
        let frames = try line.withUnsafeBytes { text in
            try time.withUnsafeBytes { t in try encoder.encode(text, to: "bob", time: t, into: &out) }
        }
        #expect(frames == 2)
        #expect(
            String(decoding: out, as: UTF8.self)
                == expected(String(repeating: "ж", count: 500)) + expected(String(repeating: "ж", count: 200)))
    }
}

/// A scratch directory removed when the value goes away.
final class CodecScratchDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/jim-tools-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw CodecScratchError()
        }
        path = String(cString: made)
    }

    deinit {
        if let dir = opendir(path) {
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) {
                    String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name != "." && name != ".." { unlink(path + "/" + name) }
            }
            closedir(dir)
        }
        rmdir(path)
    }

    /// Writes a file and returns its path.
    func file(_ name: String, _ content: String) -> String { file(name, bytes: Array(content.utf8)) }

    /// Writes a file and returns its path.
    func file(_ name: String, bytes: [UInt8]) -> String {
        let full = path + "/" + name
        let fd = open(full, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        precondition(fd >= 0)
        bytes.withUnsafeBytes { _ = write(fd, $0.baseAddress, $0.count) }
        close(fd)
        return full
    }
}

struct CodecScratchError: Error {}
