import Foundation
import JIMCLI
import JIMCore
import Testing

@testable import JIMTools

/// Runs jim-listen in-process with `arguments` (after the program name).
func runListen(_ arguments: [String]) -> ClientRun {
    let streams = TestStreams()
    let status = ListenTool.main(arguments: ["jim-listen"] + arguments, streams: streams.streams)
    return ClientRun(status: status, stdout: streams.stdout, stderr: streams.stderr, stdoutBytes: streams.stdoutBytes)
}

/// A msg frame as a server forwards it.
func pushed(_ text: String, from: String = "bob", to: String = "#ops", time: String = "1732460002.25") -> String {
    var out: [UInt8] = []
    JSONWriter.appendString(text, to: &out)
    let encoding = Message.encoding(of: text)
    return #"{"action":"msg","time":\#(time),"to":"\#(to)","from":"\#(from)","encoding":"\#(encoding)","message":"#
        + String(decoding: out, as: UTF8.self) + "}"
}

@Suite struct ListenToolTests {
    func listen(_ arguments: [String], to server: ScriptedServer) -> ClientRun {
        runListen(["-u", "carol"] + arguments + ["127.0.0.1", String(server.port)])
    }

    /// Welcomes the client and answers its joins of `rooms`, in order.
    static func join(_ peer: ScriptedServer.Peer, _ rooms: [String], pipelining: Bool = true) throws {
        try peer.welcome(pipelining: pipelining)
        for room in rooms {
            let frame = try peer.expect("join")
            guard case .join(let r)? = frame.request, r.room == room else {
                throw ScriptedServer.Failure(description: "join \(peer.received)")
            }
            peer.answer(201, "created \(room)")
        }
    }

    @Test func specHasNoProblemsAndHelpDocumentsTheReadyLine() {
        #expect(ListenTool.spec.problems() == [])
        let help = runListen(["--help"])
        #expect(help.status == .ok)
        for text in ["listening as NAME", "Exit status:", "75  timed out", "Format tokens", "--reconnect"] {
            #expect(help.stdout.contains(text), "help lacks \(text)")
        }
    }

    @Test func usageErrorsExit64() {
        let cases: [([String], String)] = [
            (["-r", "a b"], "--room: a b"),
            (["-C", "0"], "--count"),
            (["--json", "-F", "%m"], "--json and -F"),
            (["-F", "%q"], "-F: unknown token %q"),
            (["-W", "soon"], "--timeout"),
        ]
        for (arguments, message) in cases {
            let run = runListen(arguments + ["127.0.0.1", String(closedPort())])
            #expect(run.status == .usage, "\(arguments)")
            #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
        }
    }

    @Test func printsEachMessageAsOneLineThenQuitsAtTheCount() throws {
        let server = try ScriptedServer { accept in
            let peer = try accept[0]()
            try Self.join(peer, ["#ops", "#dev"])
            peer.send(pushed("deploy\tdone\nok"))
            peer.send(pushed("direct", to: "carol"))
            peer.send(pushed("not printed"))
            _ = try peer.closesAfterQuit()
        }
        // Rooms without their # are taken too.
        let run = listen(["-r", "#ops", "-r", "dev", "-C", "2"], to: server)
        #expect(server.finish() == [])
        #expect(run.status == .ok)
        #expect(run.lines == ["1732460002.25\tbob\t#ops\tdeploy\\tdone\\nok", "1732460002.25\tbob\tcarol\tdirect"])
        #expect(run.stderr == "")
    }

    @Test func formatsJsonAndNulRecords() throws {
        let text = "say \"hi\"\nпривет\t!"
        for (options, expected) in [
            (["-F", "%f>%t: %m"], Array("bob>#ops: say \"hi\"\\nпривет\\t!\n".utf8)),
            (["-0", "--raw", "-F", "%m"], Array(text.utf8) + [0]),
            (["--json"], Array((pushed(text) + "\n").utf8)),
        ] {
            let server = try ScriptedServer { accept in
                let peer = try accept[0]()
                try Self.join(peer, ["#ops"])
                peer.send(pushed(text))
                _ = try peer.closesAfterQuit()
            }
            let run = listen(["-r", "ops", "-C", "1"] + options, to: server)
            #expect(server.finish() == [])
            #expect(run.status == .ok)
            #expect(run.stdoutBytes == expected, "\(options): \(run.stdout)")
        }
    }

    @Test func aProbeIsAnsweredAndNothingIsPrinted() throws {
        let server = try ScriptedServer { accept in
            let peer = try accept[0]()
            try Self.join(peer, [])
            peer.send(#"{"action":"probe","time":1732460003.5}"#)
            try peer.expect("presence")
            peer.answer(200)
            peer.send(pushed("after the probe", to: "carol"))
            _ = try peer.closesAfterQuit()
        }
        let run = listen(["-C", "1"], to: server)
        #expect(server.finish() == [])
        #expect(run.status == .ok)
        #expect(run.lines == ["1732460002.25\tbob\tcarol\tafter the probe"])
    }

    @Test func verboseShowsFramesNoticesAndTheReadyLine() throws {
        let server = try ScriptedServer { accept in
            let peer = try accept[0]()
            try Self.join(peer, ["#ops"])
            peer.send(#"{"response":101,"time":1732460003.5,"alert":"server restarting soon"}"#)
            peer.send(pushed("m"))
            _ = try peer.closesAfterQuit()
        }
        let run = listen(["-v", "-r", "#ops", "-C", "1"], to: server)
        #expect(server.finish() == [])
        #expect(run.status == .ok)
        let lines = run.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains("jim-listen: listening as carol in #ops"))
        #expect(lines.contains("jim-listen: notice 101: server restarting soon"))
        #expect(lines.contains { $0.hasPrefix("> {\"action\":\"presence\"") })
        #expect(lines.contains { $0.hasPrefix("< {\"response\":101") })
        #expect(lines.last == #"> {"action":"quit"}"#)
        // The ready line comes after the join's answer.
        let ready = lines.firstIndex(of: "jim-listen: listening as carol in #ops") ?? 0
        let joined = lines.firstIndex { $0.hasPrefix("< {\"response\":201") } ?? Int.max
        #expect(joined < ready)
    }

    @Test func aRefusedRoomExits77() throws {
        let server = try ScriptedServer { accept in
            let peer = try accept[0]()
            try peer.welcome()
            try peer.expect("join")
            peer.answer(403, "too many rooms")
            _ = try peer.closesAfterQuit()
        }
        let run = listen(["-r", "#ops"], to: server)
        #expect(server.finish() == [])
        #expect(run.status == .noPermission)
        #expect(run.stderr == "jim-listen: 127.0.0.1:\(server.port): join #ops: 403 too many rooms\n")
    }

    @Test func aLostConnectionExits69() throws {
        let server = try ScriptedServer { accept in
            let peer = try accept[0]()
            try Self.join(peer, [])
            peer.send(pushed("one", to: "carol"))
            peer.hangUp()
        }
        let run = listen([], to: server)
        #expect(server.finish() == [])
        #expect(run.status == .unavailable)
        #expect(run.lines.count == 1)
        #expect(run.stderr == "jim-listen: 127.0.0.1:\(server.port): connection closed by the server\n")
    }

    @Test func reconnectIdentifiesAgainAndRejoins() throws {
        let server = try ScriptedServer { accept in
            let first = try accept[0]()
            try Self.join(first, ["#ops"])
            first.send(pushed("before"))
            first.hangUp()
            let second = try accept[1]()
            try Self.join(second, ["#ops"])
            second.send(pushed("after"))
            _ = try second.closesAfterQuit()
        }
        let run = listen(["--reconnect", "-r", "#ops", "-C", "2", "-F", "%m"], to: server)
        #expect(server.finish() == [])
        #expect(run.status == .ok)
        #expect(run.lines == ["before", "after"])
        #expect(
            run.stderr.contains("jim-listen: 127.0.0.1:\(server.port): connection closed by the server; reconnecting\n")
        )
        #expect(run.stderr.contains("jim-listen: reconnected to 127.0.0.1:\(server.port) as carol\n"))
    }

    @Test func noMessageWithinTheTimeoutExits75() throws {
        let server = try ScriptedServer { accept in
            let peer = try accept[0]()
            try Self.join(peer, [])
            _ = try peer.closesAfterQuit()
        }
        let run = listen(["-W", "0.3"], to: server)
        #expect(server.finish() == [])
        #expect(run.status == .tempFail)
        #expect(run.stderr == "jim-listen: no message within 0.3 s\n")
    }

    @Test func aRefusedNameExits77() throws {
        let server = try ScriptedServer { accept in
            let peer = try accept[0]()
            try peer.expect("presence")
            peer.answer(401, "carol is a registered account: authenticate first")
            _ = try peer.closesAfterQuit()
        }
        let run = listen([], to: server)
        #expect(server.finish() == [])
        #expect(run.status == .noPermission)
        #expect(run.stderr.contains("presence as carol: 401 carol is a registered account"))
    }
}
