import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// How jim-serve runs: limits, slow readers, timeouts, signals, accounts reloads, command line.
@Suite struct ServeOperationsEndToEndTests {
    @Test func aClientThatStopsReadingIsDroppedAtItsQueueBoundAndOthersCarryOn() throws {
        let server = try ServerUnderTest(["--max-queue", "65536"])
        let sender = try server.connect()
        #expect(try sender.request(JIMFrames.presence("sender")) == 200)
        let slow = try server.connect()
        #expect(try slow.request(JIMFrames.presence("slow")) == 200)
        let text = String(repeating: "z", count: 400)
        // Send until the server gives up on the slow reader (its kernel buffers fill first).
        var gone = false
        var batches = 0
        var outstanding = 0
        func take(_ code: Int) {
            outstanding -= 1
            if code == 410 { gone = true } else { #expect(code == 200) }
        }
        while !gone && batches < 400 {
            batches += 1
            try sender.send(String(repeating: JIMFrames.msg(to: "slow", text), count: 200))
            outstanding += 200
            // Answers come as slow's copies reach its kernel buffer. Once that buffer is full they
            // are held, however large it is, until the queue passes its bound and slow is dropped:
            // so the next batch goes out without waiting for them.
            while outstanding > 0, let code = try? sender.readCode(timeout: 0.2) { take(code) }
        }
        // The drop releases every held answer.
        while outstanding > 0 { take(try sender.readCode(timeout: 10)) }
        #expect(gone)
        #expect(server.process.waitForStderr(containing: "(slow) disconnected: write queue over 65536 bytes") != nil)
        // Everyone else is unaffected.
        let other = try server.connect()
        #expect(try other.request(JIMFrames.presence("other")) == 200)
        #expect(try sender.request(JIMFrames.msg(to: "other", "still here")) == 200)
        #expect(try other.readFrame()["message"] as? String == "still here")
    }

    @Test func aQuietClientStaysFastWhileAnotherFloods() throws {
        let server = try ServerUnderTest(["--max-queue", "33554432"])
        let flooder = try server.connect()
        #expect(try flooder.request(JIMFrames.presence("flooder")) == 200)
        let quiet = try server.connect()
        #expect(try quiet.request(JIMFrames.presence("quiet")) == 200)
        // 100,000 pipelined requests in a few large writes, from another thread, never reading the answers.
        let flood = Array(String(repeating: JIMFrames.join("#flood"), count: 100_000).utf8)
        let done = DispatchSemaphore(value: 0)
        let fd = flooder.fd
        DispatchQueue.global().async {
            var offset = 0
            while offset < flood.count {
                let n = flood[offset...].withUnsafeBytes { send(fd, $0.baseAddress, min($0.count, 1 << 20), Int32(MSG_NOSIGNAL)) }
                if n <= 0 { break }
                offset += n
            }
            done.signal()
        }
        var worst = 0.0
        for _ in 0..<20 {
            let start = Date()
            #expect(try quiet.request(JIMFrames.msg(to: "nobody")) == 404)
            worst = max(worst, Date().timeIntervalSince(start))
        }
        #expect(worst < 0.25, "worst round trip \(worst) s while another client floods")
        flooder.shutdownWrite()
        done.wait()
    }

    @Test func pastMaxClientsANewcomerGets500AndIsClosed() throws {
        let server = try ServerUnderTest(["--max-clients", "2"])
        let a = try server.connect()
        let b = try server.connect()
        #expect(try a.request(JIMFrames.presence("a")) == 200)
        #expect(try b.request(JIMFrames.presence("b")) == 200)
        let c = try server.connect()
        let refused = try c.readFrame()
        #expect(refused["response"] as? Int == 500)
        #expect(refused["error"] as? String == "server full: 2 clients connected")
        #expect(c.isClosedByServer())
    }

    @Test func aConnectionThatNeverSendsPresenceIsDropped() throws {
        let server = try ServerUnderTest(["--presence-timeout", "0.2"])
        let c = try server.connect()
        #expect(c.isClosedByServer(timeout: 5))
        #expect(server.process.waitForStderr(containing: "closed: no presence within 0.20 s") != nil)
    }

    @Test func aSilentClientIsProbedAndKeptWhenItAnswers() throws {
        let server = try ServerUnderTest(["--probe-interval", "0.5", "--probe-timeout", "1"])
        let answers = try server.connect()
        #expect(try answers.request(JIMFrames.presence("answers")) == 200)
        let silent = try server.connect()
        #expect(try silent.request(JIMFrames.presence("silent")) == 200)
        let probe = try answers.readFrame()
        #expect(probe["action"] as? String == "probe")
        #expect(probe["time"] is Double)
        #expect(try answers.request(JIMFrames.presence("answers")) == 200)
        #expect(try silent.readFrame()["action"] as? String == "probe")
        #expect(silent.isClosedByServer(timeout: 5))
        #expect(server.process.waitForStderr(containing: "(silent) closed: no answer to probe within 1 s") != nil)
        // Probed again since its answer, and still there to answer.
        #expect(try answers.readFrame()["action"] as? String == "probe")
        #expect(try answers.request(JIMFrames.presence("answers")) == 200)
        #expect(!server.log.contains("(answers) closed"))
    }

    @Test func sigtermDeliversWhatIsQueuedThenExits0() throws {
        let server = try ServerUnderTest()
        let alice = try server.connect()
        #expect(try alice.request(JIMFrames.presence("alice")) == 200)
        let bob = try server.connect()
        #expect(try bob.request(JIMFrames.presence("bob")) == 200)
        for i in 0..<100 { #expect(try alice.request(JIMFrames.msg(to: "bob", "m\(i)")) == 200) }
        // Bob has read none of them yet.
        #expect(server.stop() == 0)
        let lines = String(decoding: try bob.readToEnd(), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 100)
        #expect(lines.last?.contains(#""message":"m99""#) == true)
        #expect(server.log.contains("SIGTERM: stopping"))
    }

    @Test func sighupReloadsAccountsWithoutDroppingAnyone() throws {
        let first = try ServeProtocolEndToEndTests.yescrypt("one")
        let file = try TemporaryFile("erin:\(first)\n")
        let server = try ServerUnderTest(["--accounts", file.path])
        let guest = try server.connect()
        #expect(try guest.request(JIMFrames.presence("frank")) == 200)
        let erin = try server.connect()
        #expect(try erin.request(JIMFrames.authenticate("erin", "one")) == 200)

        // A bad line: reported with its number, the old accounts stay.
        try file.write("erin:\(first)\nthis line is bad\n")
        server.process.signal(SIGHUP)
        #expect(server.process.waitForStderr(containing: "line 2: expected name:HASH") != nil)
        #expect(server.process.waitForStderr(containing: "not reloaded") != nil)

        let second = try ServeProtocolEndToEndTests.yescrypt("two")
        try file.write("erin:\(first)\nfrank:\(second)\n")
        server.process.signal(SIGHUP)
        #expect(server.process.waitForStderr(containing: "reloaded \(file.path): 2 accounts") != nil)
        // Nobody was dropped, the guest keeps the name, and newcomers need the password.
        #expect(try guest.request(JIMFrames.msg(to: "erin")) == 200)
        #expect(try erin.readFrame()["from"] as? String == "frank")
        let newcomer = try server.connect()
        #expect(try newcomer.request(JIMFrames.presence("grace")) == 200)
        let late = try server.connect()
        #expect(try late.request(JIMFrames.authenticate("frank", "two")) == 409)
    }

    @Test func aBadAccountsFileStopsTheServerNamingEveryBadLine() throws {
        let file = try TemporaryFile("ok:!\nbad\n#comment\nx y:$6$abc$def\nbob:nohash\n")
        let p = try JIMProcess("jim-serve", ["-a", "127.0.0.1", "-p", "0", "--accounts", file.path])
        #expect(p.wait() == 65)
        #expect(p.stderr.contains("\(file.path): line 2: expected name:HASH"))
        #expect(p.stderr.contains("\(file.path): line 4: bad name"))
        #expect(p.stderr.contains("\(file.path): line 5: bob: not a crypt(3) hash"))
        #expect(!p.stderr.contains("line 1:"))
    }

    @Test func aPortInUseExits69AndABadAddressExits64() throws {
        let server = try ServerUnderTest()
        let clash = try JIMProcess("jim-serve", ["-a", "127.0.0.1", "-p", String(server.port)])
        #expect(clash.wait() == 69)
        #expect(clash.stderr.contains("jim-serve: 127.0.0.1:\(server.port): Address already in use"))
        let bad = try JIMProcess("jim-serve", ["-a", "[::1", "-p", "0"])
        #expect(bad.wait() == 64)
        #expect(bad.stderr.hasPrefix("jim-serve: -a: bad address"))
    }

    @Test func aUnixSocketServesAndIsRemovedAtExit() throws {
        let dir = try TemporaryFile("")
        let path = dir.directory.appendingPathComponent("jim.sock").path
        let p = try JIMProcess("jim-serve", ["--unix", path])
        #expect(p.waitForStderr(containing: "listening on unix:\(path)") != nil, "\(p.stderr)")
        #expect(FileManager.default.fileExists(atPath: path))
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in path.utf8.enumerated() { raw[i] = b }
        }
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(status == 0)
        let request = Array(JIMFrames.presence("local").utf8)
        _ = request.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        var reply = [UInt8](repeating: 0, count: 512)
        let n = reply.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        #expect(n > 0 && String(decoding: reply[..<max(n, 0)], as: UTF8.self).hasPrefix(#"{"response":200"#))
        p.signal(SIGTERM)
        #expect(p.wait() == 0)
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
