import Foundation
import Testing

/// PROTOCOL.md section 3, row by row, against the built jim-serve over loopback.
@Suite struct ServeProtocolEndToEndTests {
    /// A client that has taken `name` as a guest.
    func guest(_ server: ServerUnderTest, _ name: String) throws -> TestClient {
        let c = try server.connect()
        let answer = try { () throws -> [String: Any] in
            try c.send(JIMFrames.presence(name))
            return try c.readFrame()
        }()
        #expect(answer["response"] as? Int == 200)
        #expect(answer["pipelining"] as? Bool == true)
        #expect(answer["alert"] as? String == "OK")
        #expect(answer["time"] is Double)
        return c
    }

    @Test func presenceIs200AndAHeldNameIs409() throws {
        let server = try ServerUnderTest()
        let alice = try guest(server, "alice")
        let other = try server.connect()
        try other.send(JIMFrames.presence("alice"))
        let answer = try other.readFrame()
        #expect(answer["response"] as? Int == 409)
        #expect(answer["error"] as? String == "alice is already in use")
        withExtendedLifetime(alice) {}
    }

    @Test func aRequestBeforeANameIs401() throws {
        let server = try ServerUnderTest()
        let c = try server.connect()
        #expect(try c.request(JIMFrames.msg(to: "bob")) == 401)
        #expect(try c.request(JIMFrames.join("#ops")) == 401)
        #expect(try c.request(JIMFrames.leave("#ops")) == 401)
    }

    @Test func msgToAUserIsDeliveredWithFromFilledIn() throws {
        let server = try ServerUnderTest()
        let alice = try guest(server, "alice")
        let bob = try guest(server, "bob")
        #expect(try alice.request(JIMFrames.msg(to: "bob", "hello bob")) == 200)
        let push = try bob.readFrame()
        #expect(push["action"] as? String == "msg")
        #expect(push["from"] as? String == "alice")
        #expect(push["to"] as? String == "bob")
        #expect(push["message"] as? String == "hello bob")
        #expect(push["encoding"] as? String == "ascii")
        #expect(push["time"] is Double)
        // With from already right, the bytes go through untouched.
        let exact = #"{"action":"msg","time":1.5,"to":"bob","from":"alice","encoding":"ascii","message":"as sent","x":{"y":[1,2]}}"#
        #expect(try alice.request(exact) == 200)
        #expect(try bob.readLine() == exact)
    }

    @Test func msgWithSomebodyElsesFromIs403AndNothingIsDelivered() throws {
        let server = try ServerUnderTest()
        let alice = try guest(server, "alice")
        let bob = try guest(server, "bob")
        #expect(try alice.request(JIMFrames.msg(to: "bob", from: "bob")) == 403)
        #expect(try alice.request(JIMFrames.msg(to: "bob", from: "alice", "real")) == 200)
        #expect(try bob.readFrame()["message"] as? String == "real")
    }

    @Test func msgToAnUnknownUserIs404AndToAnOfflineOneIs410() throws {
        let server = try ServerUnderTest()
        let alice = try guest(server, "alice")
        #expect(try alice.request(JIMFrames.msg(to: "bob")) == 404)
        let bob = try guest(server, "bob")
        try bob.send(JIMFrames.quit)
        #expect(bob.isClosedByServer())
        #expect(try alice.request(JIMFrames.msg(to: "bob")) == 410)
    }

    @Test func roomsJoinWith201Then200AndMessagesReachEveryOtherMember() throws {
        let server = try ServerUnderTest()
        let alice = try guest(server, "alice")
        let bob = try guest(server, "bob")
        let carol = try guest(server, "carol")
        #expect(try alice.request(JIMFrames.join("#ops")) == 201)
        #expect(try bob.request(JIMFrames.join("#ops")) == 200)
        #expect(try carol.request(JIMFrames.msg(to: "#ops")) == 403)
        #expect(try carol.request(JIMFrames.msg(to: "#dev")) == 404)
        #expect(try alice.request(JIMFrames.msg(to: "#ops", "deploy done")) == 200)
        let push = try bob.readFrame()
        #expect(push["message"] as? String == "deploy done")
        #expect(push["to"] as? String == "#ops")
        // The sender gets no copy: its next frame is the answer to its next request.
        #expect(try alice.request(JIMFrames.leave("#ops")) == 200)
        #expect(try alice.request(JIMFrames.leave("#ops")) == 404)
        #expect(try carol.request(JIMFrames.join("#bad name")) == 400)
    }

    @Test func quitIsNotAnsweredAndTheServerClosesAfterWhatItOwes() throws {
        let server = try ServerUnderTest()
        let bob = try guest(server, "bob")
        let alice = try server.connect()
        // Pipelined: presence, a message, quit, in one write.
        try alice.send(JIMFrames.presence("alice") + JIMFrames.msg(to: "bob", "bye") + JIMFrames.quit)
        let rest = String(decoding: try alice.readToEnd(), as: UTF8.self).split(separator: "\n")
        #expect(rest.count == 2)
        #expect(rest.allSatisfy { $0.contains(#""response":200"#) })
        #expect(try bob.readFrame()["message"] as? String == "bye")
    }

    @Test func aProbeOrAnUnknownActionFromAClientIs400() throws {
        let server = try ServerUnderTest()
        let c = try guest(server, "alice")
        try c.send(#"{"action":"probe","time":1.5}"# + "\n")
        let probe = try c.readFrame()
        #expect(probe["response"] as? Int == 400)
        #expect((probe["error"] as? String)?.contains("probe") == true)
        #expect(try c.request(#"{"action":"message","time":1.5,"mess_text":"x"}"#) == 400)
    }

    @Test func registeredAccountsAuthenticateAndGuestsCannotTakeTheirNames() throws {
        let hash = try Self.yescrypt("s3cret")
        let file = try TemporaryFile("carol:\(hash)\nmallory:!\(hash)\n")
        let server = try ServerUnderTest(["--accounts", file.path])
        let c = try server.connect()
        #expect(try c.request(JIMFrames.presence("carol")) == 401)
        #expect(try c.request(JIMFrames.authenticate("carol", "wrong")) == 402)
        #expect(try c.request(JIMFrames.authenticate("nobody", "x")) == 402)
        #expect(try c.request(JIMFrames.authenticate("mallory", "s3cret")) == 403)
        try c.send(JIMFrames.authenticate("carol", "s3cret"))
        let ok = try c.readFrame()
        #expect(ok["response"] as? Int == 200)
        #expect(ok["pipelining"] as? Bool == true)
        let other = try server.connect()
        #expect(try other.request(JIMFrames.authenticate("carol", "s3cret")) == 409)
        // A registered account that is offline is 410, not 404.
        #expect(try c.request(JIMFrames.msg(to: "mallory")) == 410)
    }

    @Test func aSHA512HashFromOpenSSLWorks() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") else { return }
        let openssl = try JIMProcess(executable: "/usr/bin/openssl", ["passwd", "-6", "-stdin"], stdin: Data("hunter2\n".utf8))
        #expect(openssl.wait() == 0)
        let hash = openssl.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(hash.hasPrefix("$6$"))
        let file = try TemporaryFile("# accounts\n\ndave:\(hash)\neve:!\(hash)\n")
        let server = try ServerUnderTest(["--accounts", file.path])
        let c = try server.connect()
        #expect(try c.request(JIMFrames.authenticate("dave", "hunter3")) == 402)
        #expect(try c.request(JIMFrames.authenticate("eve", "hunter2")) == 403)
        #expect(try c.request(JIMFrames.presence("eve")) == 401)
        #expect(try c.request(JIMFrames.authenticate("dave", "hunter2")) == 200)
    }

    /// A yescrypt hash made by `jim-serve --hash-password`, the password on stdin.
    static func yescrypt(_ password: String) throws -> String {
        let p = try JIMProcess("jim-serve", ["--hash-password"], stdin: Data((password + "\n").utf8))
        #expect(p.wait() == 0)
        let hash = p.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(hash.hasPrefix("$y$"))
        return hash
    }
}
