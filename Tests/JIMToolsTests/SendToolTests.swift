import Foundation
import JIMCLI
import JIMCore
import Testing

@testable import JIMTools

#if canImport(Glibc)
    import Glibc
#endif

/// What an in-process run of jim-send or jim-listen gave.
struct ClientRun {
    var status: JIMCLI.ExitStatus
    var stdout: String
    var stderr: String
    var stdoutBytes: [UInt8]

    /// The stdout lines, without their LFs.
    var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
}

/// Runs jim-send in-process with `arguments` (after the program name) and `stdin`.
func runSend(_ arguments: [String], stdin: String = "") -> ClientRun {
    let streams = TestStreams(stdin: stdin)
    let status = SendTool.main(arguments: ["jim-send"] + arguments, streams: streams.streams)
    return ClientRun(status: status, stdout: streams.stdout, stderr: streams.stderr, stdoutBytes: streams.stdoutBytes)
}

/// A TCP port on 127.0.0.1 with nothing listening (bound, then closed).
func closedPort() -> UInt16 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    _ = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return UInt16(bigEndian: address.sin_port)
}

@Suite struct SendToolTests {
    func send(_ arguments: [String], stdin: String = "", to server: ScriptedServer) -> ClientRun {
        runSend(["-u", "alice"] + arguments + ["127.0.0.1", String(server.port)], stdin: stdin)
    }

    // MARK: - Command line

    @Test func specHasNoProblemsAndHelpDocumentsStatusesAndEnvironment() {
        #expect(SendTool.spec.problems() == [])
        let help = runSend(["--help"])
        #expect(help.status == .ok)
        for text in [
            "Exit status:", "77  the identity", "69  the server", "JIM_PASSWORD", "JIM_SERVER", "JIM_USER", "--window",
        ] {
            #expect(help.stdout.contains(text), "help lacks \(text)")
        }
        #expect(!SendTool.spec.options.contains { $0.long == "password" })
    }

    @Test func usageErrorsExit64BeforeConnecting() {
        let port = String(closedPort())
        let cases: [([String], String)] = [
            (["127.0.0.1", port], "give -t TARGET"),
            (["-t", "bob", "-m", "x", "--frames", "127.0.0.1", port], "-m and --frames"),
            (["--frames", "-t", "bob", "127.0.0.1", port], "--frames and -t/--to"),
            (["-t", "bo b", "127.0.0.1", port], "--to: bo b"),
            (["-t", "bob", "-v", "-q", "127.0.0.1", port], "-v and -q"),
            (["-t", "bob", "127.0.0.1:\(port)", port], "already has a port"),
            (["-t", "bob", "127.0.0.1", "70000"], "PORT: must be between"),
            (["-t", "bob", "-u", "#x", "127.0.0.1", port], "--user: #x"),
            (["-t", "bob", "--window", "0", "127.0.0.1", port], "--window"),
            (["-t", "bob", "unix:/tmp/x.sock", "7777"], "PORT cannot be given"),
            (["-t", "bob", "--password", "x", "127.0.0.1", port], "--password"),
        ]
        for (arguments, message) in cases {
            let run = runSend(arguments)
            #expect(run.status == .usage, "\(arguments)")
            #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
        }
    }

    @Test func anUnreachableServerExits69NamingIt() {
        let port = closedPort()
        let run = runSend(["-u", "alice", "-t", "bob", "127.0.0.1", String(port)], stdin: "x\n")
        #expect(run.status == .unavailable)
        #expect(run.stderr == "jim-send: 127.0.0.1:\(port): Connection refused\n")
    }

    @Test func aConnectionThatCannotCompleteTimesOutWith75() throws {
        // A listener whose backlog is full: the kernel drops further SYNs, so connect waits.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        listen(fd, 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let port = UInt16(bigEndian: address.sin_port)
        var fillers: [Int32] = []
        defer { for c in fillers { close(c) } }
        for _ in 0..<2 {
            let c = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(c, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            fillers.append(c)
        }
        let run = runSend([
            "-u", "alice", "-t", "bob", "-m", "x", "--connect-timeout", "0.3", "127.0.0.1", String(port),
        ])
        #expect(run.status == .tempFail)
        #expect(run.stderr == "jim-send: 127.0.0.1:\(port): connection timed out\n")
    }

    @Test func inputFilesAreReadInTurnAndNamedInReports() throws {
        let first = try TemporaryPasswordFile("a\nb\n")
        let second = try TemporaryPasswordFile("c\nd\n")
        let server = try ScriptedServer { accept in
            let peer = try accept[0]()
            try peer.welcome()
            let frames = try (0..<4).map { _ in try peer.expect("msg") }
            guard messages(in: frames) == ["a", "b", "c", "d"] else {
                throw ScriptedServer.Failure(description: "\(peer.received)")
            }
            peer.answer(200)
            peer.answer(410, "bob is offline")
            peer.answer(200)
            peer.hangUp()
        }
        let run = send(["-k", "-t", "bob", "-i", first.path, "-i", second.path], to: server)
        #expect(server.finish() == [])
        #expect(run.status == .unavailable)
        #expect(
            run.stderr
                == "jim-send: \(first.path):2: 410 bob is offline\njim-send: \(second.path): line 2 not acknowledged: connection closed by the server\n"
        )
    }

    @Test func aMissingInputFileExits66() throws {
        let server = try ScriptedServer { accept in
            let peer = try accept[0]()
            try peer.welcome()
            _ = try peer.closesAfterQuit()
        }
        let run = send(["-t", "bob", "-i", "/nonexistent/jim-input"], to: server)
        #expect(server.finish() == [])
        #expect(run.status == .noInput)
        #expect(run.stderr == "jim-send: /nonexistent/jim-input: No such file or directory\n")
    }

    // MARK: - The window

    @Test func aCourseServerGetsOneRequestAtATime() throws {
        let server = try ScriptedServer { accept in
            let peer = try accept[0]()
            try peer.welcome(pipelining: false)
            for _ in 0..<3 {
                try peer.expect("msg")
                guard peer.staysQuiet(for: 0.2) else {
                    throw ScriptedServer.Failure(description: "a second request before the answer")
                }
                peer.answer(200)
            }
            _ = try peer.closesAfterQuit()
        }
        let run = send(["-t", "bob"], stdin: "one\ntwo\nthree\n", to: server)
        #expect(server.finish() == [])
        #expect(run.status == .ok)
        #expect(run.stderr == "")
    }

    @Test func aPipeliningServerGetsAWindowOfRequests() throws {
        let server = try ScriptedServer { accept in
            let peer = try accept[0]()
            try peer.welcome(pipelining: true)
            // Nothing is answered until all five arrived: a client waiting per line would stall here.
            let frames = try (0..<5).map { _ in try peer.expect("msg") }
            guard messages(in: frames) == ["1", "2", "3", "4", "5"] else {
                throw ScriptedServer.Failure(description: "order")
            }
            for _ in 0..<5 { peer.answer(200) }
            _ = try peer.closesAfterQuit()
        }
        let run = send(["-t", "bob", "-W", "10"], stdin: "1\n2\n3\n4\n5\n", to: server)
        #expect(server.finish() == [])
        #expect(run.status == .ok)
    }

    @Test func theWindowOptionBoundsRequestsInFlight() throws {
        let server = try ScriptedServer { accept in
            let peer = try accept[0]()
            try peer.welcome(pipelining: true)
            try peer.expect("msg")
            try peer.expect("msg")
            guard peer.staysQuiet(for: 0.2) else {
                throw ScriptedServer.Failure(description: "a third request in a window of 2")
            }
            peer.answer(200)
            try peer.expect("msg")
            peer.answer(200)
            peer.answer(200)
            _ = try peer.closesAfterQuit()
        }
        let run = send(["-t", "bob", "--window", "2"], stdin: "1\n2\n3\n", to: server)
        #expect(server.finish() == [])
        #expect(run.status == .ok)
    }

    // MARK: - Answers

    @Test func aRefusedLineIsReportedAndStopsTheRun() throws {
        let server = try ScriptedServer { accept in
            let peer = try accept[0]()
            try peer.welcome(pipelining: false)
            try peer.expect("msg")
            peer.answer(200)
            try peer.expect("msg")
            peer.answer(410, "bob is offline")
            // Line 3 is never sent.
            _ = try peer.closesAfterQuit()
        }
        let run = send(["-t", "bob"], stdin: "a\nb\nc\n", to: server)
        #expect(server.finish() == [])
        #expect(run.status == .failure)
        #expect(run.stderr == "jim-send: line 2: 410 bob is offline\n")
    }

    @Test func keepGoingReportsEveryRefusalAndExitsWithTheWorst() throws {
        let server = try ScriptedServer { accept in
            let peer = try accept[0]()
            try peer.welcome(pipelining: true)
            let frames = try (0..<4).map { _ in try peer.read() }
            guard frames.map({ $0.request?.action }) == ["msg", "msg", "msg", "msg"] else {
                throw ScriptedServer.Failure(description: "\(peer.received)")
            }
            peer.answer(404, "no such user: nobody")
            peer.answer(200)
            peer.answer(400, "message: too long for this server")
            peer.answer(410, "bob is offline")
            _ = try peer.closesAfterQuit()
        }
        let run = send(["-k", "-R"], stdin: "@nobody a\n@bob b\n@bob c\n@bob d\n", to: server)
        #expect(server.finish() == [])
        #expect(run.status == .dataError)
        #expect(
            run.stderr == """
                jim-send: line 1: 404 no such user: nobody
                jim-send: line 3: 400 message: too long for this server
                jim-send: line 4: 410 bob is offline

                """)
    }

    @Test func aRefusedIdentityExits77() throws {
        let server = try ScriptedServer { accept in
            let peer = try accept[0]()
            try peer.expect("presence")
            peer.answer(409, "alice is already in use")
            _ = try peer.closesAfterQuit()
        }
        let run = send(["-t", "bob"], stdin: "a\n", to: server)
        #expect(server.finish() == [])
        #expect(run.status == .noPermission)
        #expect(run.stderr == "jim-send: 127.0.0.1:\(server.port): presence as alice: 409 alice is already in use\n")
    }

    @Test func aProbeIsAnsweredWithPresenceBetweenRequests() throws {
        let server = try ScriptedServer { accept in
            let peer = try accept[0]()
            try peer.welcome(pipelining: false)
            try peer.expect("msg")
            peer.send(#"{"action":"probe","time":1732460001.5}"#)
            peer.answer(200)
            let presence = try peer.expect("presence")
            guard case .presence(let p)? = presence.request, p.accountName == "alice", p.status == "busy" else {
                throw ScriptedServer.Failure(description: "bad presence \(peer.received.last ?? "")")
            }
            peer.answer(200)
            try peer.expect("msg")
            peer.answer(200)
            _ = try peer.closesAfterQuit()
        }
        let run = send(["-t", "bob", "-s", "busy"], stdin: "a\nb\n", to: server)
        #expect(server.finish() == [])
        #expect(run.status == .ok)
        #expect(run.stderr == "")
    }

    @Test func aLostConnectionNamesTheLinesNotAcknowledged() throws {
        let server = try ScriptedServer { accept in
            let peer = try accept[0]()
            try peer.welcome(pipelining: true)
            for _ in 0..<4 { try peer.expect("msg") }
            peer.answer(200)
            peer.hangUp()
        }
        let run = send(["-t", "bob"], stdin: "a\nb\nc\nd\n", to: server)
        #expect(server.finish() == [])
        #expect(run.status == .unavailable)
        #expect(run.stderr == "jim-send: lines 2-4 not acknowledged: connection closed by the server\n")
    }

    @Test func noAnswerWithinTheTimeoutExits75() throws {
        let server = try ScriptedServer { accept in
            let peer = try accept[0]()
            try peer.welcome()
            try peer.expect("msg")
            while try peer.nextText(timeout: 10) != nil {}
        }
        let run = send(["-t", "bob", "-W", "0.3"], stdin: "a\n", to: server)
        #expect(server.finish() == [])
        #expect(run.status == .tempFail)
        #expect(
            run.stderr
                == "jim-send: 127.0.0.1:\(server.port): no answer within 0.3 s\njim-send: line 1 not acknowledged: timed out\n"
        )
    }

    // MARK: - What is sent

    @Test func aRoomIsJoinedBeforeItsFirstMessage() throws {
        let server = try ScriptedServer { accept in
            let peer = try accept[0]()
            try peer.welcome(pipelining: false)
            let join = try peer.expect("join")
            guard case .join(let r)? = join.request, r.room == "#ops" else {
                throw ScriptedServer.Failure(description: "join")
            }
            peer.answer(201, "created #ops")
            for _ in 0..<2 {
                try peer.expect("msg")
                peer.answer(200)
            }
            _ = try peer.closesAfterQuit()
        }
        let run = send(["-t", "#ops"], stdin: "x\ny\n", to: server)
        #expect(server.finish() == [])
        #expect(run.status == .ok)
    }

    @Test func routedLinesGoWhereTheySayAndRoomsAreJoinedAsTheyAppear() throws {
        let server = try ScriptedServer { accept in
            let peer = try accept[0]()
            try peer.welcome()
            let frames = try (0..<5).map { _ in try peer.read() }
            for _ in 0..<5 { peer.answer(200) }
            _ = try peer.closesAfterQuit()
            let got = frames.map { frame -> String in
                switch frame.request {
                case .msg(let m)?: "\(m.to) \(m.from ?? "-") \(m.message)"
                case .join(let r)?: "join \(r.room)"
                default: "?"
                }
            }
            guard
                got == ["bob alice hi bob", "join #ops", "#ops alice deploy", "carol alice plain", "#ops alice again"]
            else {
                throw ScriptedServer.Failure(description: "\(got)")
            }
        }
        let run = send(["-R", "-t", "carol"], stdin: "@bob hi bob\n#ops deploy\nplain\n#ops again\n", to: server)
        #expect(server.finish() == [])
        #expect(run.status == .ok)
    }

    @Test func framesAreSentAsTheyAreAfterChecking() throws {
        let first =
            #"{"action": "msg", "time": 1.5, "to": "bob", "from": "alice", "encoding": "ascii", "message": "course style"}"#
        let second = ##"{"action":"join","time":2.5,"room":"#r"}"##
        let third = ##"{"action":"msg","time":3.5,"to":"#r","message":"no from"}"##
        let server = try ScriptedServer { accept in
            let peer = try accept[0]()
            try peer.welcome()
            let texts = try (0..<3).map { _ in try peer.readText() }
            for _ in 0..<3 { peer.answer(200) }
            _ = try peer.closesAfterQuit()
            guard texts == [first, second, third] else { throw ScriptedServer.Failure(description: "\(texts)") }
        }
        let run = send(
            ["--frames"], stdin: first + "\n" + second + third + "\n" + #"{"action":"quit"}"# + "\n", to: server)
        #expect(server.finish() == [])
        #expect(run.status == .ok)
        #expect(run.stderr == "")
    }

    @Test func aBadFrameInFramesInputIsNamedAndExits65() throws {
        let server = try ScriptedServer { accept in
            let peer = try accept[0]()
            try peer.welcome()
            try peer.expect("msg")
            peer.answer(200)
            _ = try peer.closesAfterQuit()
        }
        let run = send(
            ["--frames"],
            stdin: #"{"action":"msg","time":1.5,"to":"bob","message":"ok"}"# + "\n" + #"{"action":"probe","time":1}"#
                + "\n", to: server)
        #expect(server.finish() == [])
        #expect(run.status == .dataError)
        #expect(run.stderr == "jim-send: line 2: probe: only servers send it\n")
    }

    @Test func aLinePastTheLimitIsNamedAfterTheLinesBeforeItAreSent() throws {
        let server = try ScriptedServer { accept in
            let peer = try accept[0]()
            try peer.welcome()
            try peer.expect("msg")
            peer.answer(200)
            _ = try peer.closesAfterQuit()
        }
        let run = send(["-t", "bob"], stdin: "fine\n" + String(repeating: "x", count: 501) + "\nnever\n", to: server)
        #expect(server.finish() == [])
        #expect(run.status == .dataError)
        #expect(run.stderr == "jim-send: line 2: message is 501 characters, the limit is 500\n")
    }

    @Test func splitCutsALongLineIntoSeveralMessages() throws {
        let server = try ScriptedServer { accept in
            let peer = try accept[0]()
            try peer.welcome(pipelining: false)
            var texts: [String] = []
            for _ in 0..<2 {
                texts += messages(in: [try peer.expect("msg")])
                peer.answer(200)
            }
            _ = try peer.closesAfterQuit()
            guard texts.joined() == String(repeating: "я", count: 700), texts.count == 2 else {
                throw ScriptedServer.Failure(description: "\(texts.map(\.count))")
            }
        }
        let run = send(["-t", "bob", "--split"], stdin: String(repeating: "я", count: 700) + "\n", to: server)
        #expect(server.finish() == [])
        #expect(run.status == .ok)
    }

    @Test func oneMessageWithDashM() throws {
        let server = try ScriptedServer { accept in
            let peer = try accept[0]()
            try peer.welcome()
            let frame = try peer.expect("msg")
            peer.answer(410, "bob is offline")
            _ = try peer.closesAfterQuit()
            guard messages(in: [frame]) == ["hello there"] else {
                throw ScriptedServer.Failure(description: "\(peer.received)")
            }
        }
        let run = send(["-t", "bob", "-m", "hello there"], to: server)
        #expect(server.finish() == [])
        #expect(run.status == .failure)
        #expect(run.stderr == "jim-send: -m: 410 bob is offline\n")
    }

    @Test func aPasswordFileAuthenticatesAndVerboseHidesThePassword() throws {
        let file = try TemporaryPasswordFile("s3cret-pw\n")
        let server = try ScriptedServer { accept in
            let peer = try accept[0]()
            let frame = try peer.welcome()
            guard case .authenticate(let c)? = frame.request, c.accountName == "alice", c.password == "s3cret-pw" else {
                throw ScriptedServer.Failure(description: "\(peer.received)")
            }
            try peer.expect("msg")
            peer.answer(200)
            _ = try peer.closesAfterQuit()
        }
        let run = send(["-t", "bob", "-v", "--password-file", file.path], stdin: "a\n", to: server)
        #expect(server.finish() == [])
        #expect(run.status == .ok)
        #expect(!run.stderr.contains("s3cret-pw"))
        #expect(run.stderr.contains(#""password":"********""#))
        #expect(run.stderr.contains("> {\"action\":\"msg\""))
        #expect(run.stderr.contains("< {\"response\":200"))
    }

    @Test func endOfInputWaitsForEveryAnswerThenQuitsAndClosesItsSendingSide() throws {
        let server = try ScriptedServer { accept in
            let peer = try accept[0]()
            try peer.welcome()
            try peer.expect("msg")
            try peer.expect("msg")
            guard peer.staysQuiet(for: 0.2) else {
                throw ScriptedServer.Failure(description: "quit before the answers")
            }
            peer.answer(200)
            peer.answer(200)
            try peer.expect("quit")
            // The client shuts down its side: end of file, with nothing after quit.
            guard try peer.nextText() == nil else { throw ScriptedServer.Failure(description: "more after quit") }
        }
        let run = send(["-t", "bob"], stdin: "a\nb", to: server)
        #expect(server.finish() == [])
        #expect(run.status == .ok)
    }
}

/// A password file in the temporary directory, removed when dropped.
final class TemporaryPasswordFile {
    let path: String

    init(_ content: String) throws {
        path = NSTemporaryDirectory() + "/jim-send-test-\(UUID().uuidString)"
        try Data(content.utf8).write(to: URL(fileURLWithPath: path))
    }

    deinit { unlink(path) }
}
