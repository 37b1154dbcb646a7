import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// jim-send and jim-listen against a real jim-serve on a free loopback port, run the way a user types
/// them (pipelines through /bin/sh). A listener is waited for with `-v`, whose
/// `jim-listen: listening as NAME` line says that its rooms are joined: no sleeps.
@Suite struct SendListenEndToEndTests {
    /// Runs `script` with /bin/sh; `$SEND`, `$LISTEN`, `$ENCODE` name the built tools and `$PORT` the server's port.
    func sh(_ script: String, server: ServerUnderTest, keepStdinOpen: Bool = false) throws -> JIMProcess {
        let tools = ["SEND": "jim-send", "LISTEN": "jim-listen", "ENCODE": "jim-encode"]
        let prelude = tools.map { "\($0.key)='\(JIMProcess.path(of: $0.value))'; " }.joined() + "PORT=\(server.port); "
        return try JIMProcess(executable: "/bin/sh", ["-c", prelude + script], keepStdinOpen: keepStdinOpen)
    }

    /// Starts `jim-listen -v` as `name` with `arguments` and waits until it is listening.
    func listener(_ name: String, _ arguments: [String], server: ServerUnderTest) throws -> JIMProcess {
        let p = try JIMProcess("jim-listen", ["-v", "-u", name] + arguments + ["127.0.0.1", String(server.port)])
        let ready = p.waitForStderr(containing: "jim-listen: listening as \(name)")
        #expect(ready != nil, "listener \(name) not ready: \(p.stderr)")
        return p
    }

    /// The messages a listener printed (the last tab-separated field of the default line).
    func messages(_ p: JIMProcess) -> [String] {
        p.stdout.split(separator: "\n").map {
            String($0.split(separator: "\t", omittingEmptySubsequences: false).last ?? "")
        }
    }

    @Test func linesArriveInOrderAtTheListener() throws {
        let server = try ServerUnderTest()
        let bob = try listener("bob", ["-C", "2"], server: server)
        let send = try sh(#"printf 'a\nb\n' | "$SEND" -u alice -t bob 127.0.0.1 "$PORT""#, server: server)
        #expect(send.wait() == 0)
        #expect(send.stderr == "")
        #expect(bob.wait() == 0)
        let lines = bob.stdout.split(separator: "\n").map {
            $0.split(separator: "\t").dropFirst().joined(separator: " ")
        }
        #expect(lines == ["alice bob a", "alice bob b"])
    }

    @Test func aRoomWithThreeListenersGetsEveryLineInOrder() throws {
        let server = try ServerUnderTest()
        let listeners = try ["l1", "l2", "l3"].map {
            try listener($0, ["-r", "#ops", "-C", "50", "-F", "%f %t %m"], server: server)
        }
        let send = try sh(#"seq 1 50 | "$SEND" -u sender -t '#ops' "127.0.0.1:$PORT""#, server: server)
        #expect(send.wait() == 0)
        #expect(send.stderr == "")
        for l in listeners {
            #expect(l.wait() == 0)
            #expect(l.stdout == (1...50).map { "sender #ops \($0)\n" }.joined())
        }
    }

    @Test func everyRefusalHasItsExitStatus() throws {
        let erin = try ServeProtocolEndToEndTests.yescrypt("right")
        let accounts = try TemporaryFile("erin:\(erin)\nblocked:!\n")
        let server = try ServerUnderTest(["--accounts", accounts.path, "--max-message", "10"])
        let holder = try listener("held", [], server: server)
        // A name seen on this server, then gone: 410.
        let seen = try sh(#""$SEND" -u gone -t gone -m hello 127.0.0.1 "$PORT""#, server: server)
        #expect(seen.wait() == 0)
        let password = try TemporaryFile("right\n")
        let cases: [(String, Int32, String)] = [
            (#""$SEND" -u a1 -t nobody -m x 127.0.0.1 "$PORT""#, 1, "jim-send: -m: 404 "),
            (#""$SEND" -u a2 -t gone -m x 127.0.0.1 "$PORT""#, 1, "jim-send: -m: 410 "),
            (
                #"printf 'short\nthis is too long here\n' | "$SEND" -u a3 -t held 127.0.0.1 "$PORT""#, 65,
                "jim-send: line 2: 400 "
            ),
            (#""$SEND" -u held -t bob -m x 127.0.0.1 "$PORT""#, 77, "presence as held: 409 "),
            (#""$SEND" -u erin -t held -m x 127.0.0.1 "$PORT""#, 77, "presence as erin: 401 "),
            (#"JIM_PASSWORD=wrong "$SEND" -u erin -t held -m x 127.0.0.1 "$PORT""#, 77, "authenticate as erin: 402 "),
            (
                #"JIM_PASSWORD=any "$SEND" -u blocked -t held -m x 127.0.0.1 "$PORT""#, 77,
                "authenticate as blocked: 403 "
            ),
            (#""$SEND" -u erin --password-file '\#(password.path)' -t held -m 'from erin' 127.0.0.1 "$PORT""#, 0, ""),
            (
                #"printf '%0600d\n' 0 | "$SEND" -u a4 -t held 127.0.0.1 "$PORT""#, 65,
                "jim-send: line 1: message is 600 characters"
            ),
            (#""$SEND" -u a5 -t held 127.0.0.1 1"#, 69, "jim-send: 127.0.0.1:1: Connection refused"),
            (#""$SEND" -u a6 127.0.0.1 "$PORT""#, 64, "give -t TARGET"),
            (#""$LISTEN" -u a7 -W 0.2 127.0.0.1 "$PORT""#, 75, "jim-listen: no message within 0.2 s"),
            (#""$LISTEN" -u held 127.0.0.1 "$PORT""#, 77, "presence as held: 409 "),
        ]
        for (script, status, message) in cases {
            let p = try sh(script, server: server)
            #expect(p.wait() == status, "\(script): \(p.stderr)")
            #expect(message.isEmpty ? p.stderr.isEmpty : p.stderr.contains(message), "\(script): \(p.stderr)")
        }
        holder.signal(SIGTERM)
        #expect(holder.wait() == 0)
        #expect(messages(holder) == ["short", "from erin"])
    }

    @Test func routeSendsEachLineWhereItSays() throws {
        let server = try ServerUnderTest()
        let bob = try listener("bob", ["-C", "2", "-F", "%t %m"], server: server)
        let ops = try listener("opsy", ["-r", "#ops", "-C", "1", "-F", "%t %m"], server: server)
        let send = try sh(
            #"printf '@bob hi bob\n#ops deploy done\nto the default\n' | "$SEND" -R -t bob -u r 127.0.0.1 "$PORT""#,
            server: server)
        #expect(send.wait() == 0)
        #expect(bob.wait() == 0)
        #expect(ops.wait() == 0)
        #expect(bob.stdout == "bob hi bob\nbob to the default\n")
        #expect(ops.stdout == "#ops deploy done\n")
    }

    @Test func encodeThenSendFramesComposes() throws {
        let server = try ServerUnderTest()
        let bob = try listener("bob", ["-C", "2", "-F", "%f %m"], server: server)
        let send = try sh(
            #"printf 'one\nдва\n' | "$ENCODE" -t bob -f enc | "$SEND" --frames -u enc 127.0.0.1 "$PORT""#,
            server: server)
        #expect(send.wait() == 0)
        #expect(send.stderr == "")
        #expect(bob.wait() == 0)
        #expect(bob.stdout == "enc one\nenc два\n")
    }

    @Test func aListenerPipedIntoHeadEndsPromptly() throws {
        let server = try ServerUnderTest()
        let pipeline = try sh(#""$LISTEN" -v -u h 127.0.0.1 "$PORT" | head -1"#, server: server)
        #expect(pipeline.waitForStderr(containing: "jim-listen: listening as h") != nil)
        let send = try sh(#""$SEND" -u s -t h -m first 127.0.0.1 "$PORT""#, server: server)
        #expect(send.wait() == 0)
        // head exits after one line; the listener sees its output close and quits without another message.
        #expect(pipeline.wait(timeout: 5) == 0)
        #expect(pipeline.stdout.hasSuffix("\ts\th\tfirst\n"))
        #expect(pipeline.stderr.contains(#"> {"action":"quit"}"#))
    }

    @Test func aListenerReconnectsAcrossAServerRestart() throws {
        let first = try ServerUnderTest()
        let port = first.port
        let l = try JIMProcess(
            "jim-listen",
            ["-v", "--reconnect", "-u", "rita", "-r", "#ops", "-C", "1", "-F", "%m", "127.0.0.1", String(port)])
        #expect(l.waitForStderr(containing: "listening as rita in #ops") != nil)
        #expect(first.stop() == 0)
        #expect(l.waitForStderr(containing: "reconnecting") != nil)
        let second = try JIMProcess("jim-serve", ["-a", "127.0.0.1", "-p", String(port)])
        #expect(second.waitForStderr(containing: "listening on 127.0.0.1:\(port)") != nil)
        #expect(l.waitForStderr(containing: "reconnected to 127.0.0.1:\(port) as rita") != nil)
        let send = try JIMProcess(
            "jim-send", ["-u", "s", "-t", "#ops", "-m", "after the restart", "127.0.0.1", String(port)])
        #expect(send.wait() == 0)
        #expect(l.wait() == 0)
        #expect(l.stdout == "after the restart\n")
        second.signal(SIGTERM)
        #expect(second.wait() == 0)
    }

    @Test func textSurvivesTheTripByteForByteWithNul() throws {
        let server = try ServerUnderTest()
        let records = [
            "line one\nline two", "\ttabs\tand \"quotes\" and \\backslashes\\", "Кириллица: съешь же ещё", "",
            "emoji 🙂 end",
        ]
        let l = try JIMProcess(
            "jim-listen",
            [
                "-v", "-0", "--raw", "-F", "%m", "-C", String(records.count), "-u", "zero", "127.0.0.1",
                String(server.port),
            ])
        #expect(l.waitForStderr(containing: "listening as zero") != nil)
        let input = records.joined(separator: "\0") + "\0"
        let send = try JIMProcess(
            "jim-send", ["-0", "-u", "z", "-t", "zero", "127.0.0.1", String(server.port)], stdin: Data(input.utf8))
        #expect(send.wait() == 0)
        #expect(send.stderr == "")
        #expect(l.wait() == 0)
        #expect(l.stdout == input)
    }

    @Test func aKilledServerLeavesTheSenderNamingWhatWasNotAcknowledged() throws {
        let server = try ServerUnderTest()
        let bob = try listener("bob", ["-C", "3"], server: server)
        let send = try JIMProcess(
            "jim-send", ["-v", "-u", "k", "-t", "bob", "127.0.0.1", String(server.port)], keepStdinOpen: true)
        send.write(Data("1\n2\n3\n".utf8))
        #expect(bob.wait() == 0)
        #expect(send.waitForStderr(containing: "< {\"response\":200") != nil)
        // Stopped, the server takes lines 4 and 5 into its socket but never answers; then it is killed.
        server.process.signal(SIGSTOP)
        send.write(Data("4\n5\n".utf8))
        #expect(send.waitForStderr(containing: #""message":"5""#) != nil)
        server.process.signal(SIGKILL)
        server.process.wait()
        send.closeStdin()
        #expect(send.wait() == 69)
        let report = send.stderr.split(separator: "\n").filter {
            $0.hasPrefix("jim-send: ") && !$0.hasPrefix("jim-send: connected")
        }
        #expect(report.count == 1, "\(send.stderr)")
        #expect(report.first?.hasPrefix("jim-send: lines 4-5 not acknowledged: ") == true, "\(send.stderr)")
    }

    @Test func theEnvironmentNamesServerAndUserAndUnixSocketsWork() throws {
        let path = NSTemporaryDirectory() + "/jim-e2e-\(UUID().uuidString.prefix(8)).sock"
        let server = try ServerUnderTest(["--unix", path])
        let viaUnix = try JIMProcess("jim-listen", ["-v", "-u", "ux", "-C", "2", "-F", "%f %m", "unix:\(path)"])
        #expect(viaUnix.waitForStderr(containing: "listening as ux") != nil)
        let send = try sh(#"JIM_SERVER="127.0.0.1:$PORT" JIM_USER=fromenv "$SEND" -t ux -m 'over tcp'"#, server: server)
        #expect(send.wait() == 0)
        let unixSend = try sh(#"JIM_USER=fromenv2 "$SEND" -t ux -m 'over unix' "unix:\#(path)""#, server: server)
        #expect(unixSend.wait() == 0)
        #expect(viaUnix.wait() == 0)
        #expect(viaUnix.stdout == "fromenv over tcp\nfromenv2 over unix\n")
    }

    @Test func sigtermEndsAListenerWithQuitAndStatus0() throws {
        let server = try ServerUnderTest()
        let l = try listener("t", ["-r", "#x"], server: server)
        l.signal(SIGTERM)
        #expect(l.wait() == 0)
        #expect(l.stderr.contains(#"> {"action":"quit"}"#))
    }
}
