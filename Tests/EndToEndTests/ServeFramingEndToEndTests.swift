import Foundation
import Testing

/// PROTOCOL.md sections 1 and 5 on the wire: splits, batches, garbage, half frames, course clients.
@Suite struct ServeFramingEndToEndTests {
    @Test func aFrameSplitAcrossManyWritesIsOneFrame() throws {
        let server = try ServerUnderTest()
        let c = try server.connect()
        for byte in Array(JIMFrames.presence("alice").utf8) {
            try c.send([byte])
        }
        #expect(try c.readCode() == 200)
    }

    @Test func severalFramesInOneWriteAreAnsweredInOrder() throws {
        let server = try ServerUnderTest()
        let c = try server.connect()
        // NDJSON and objects back to back with no delimiter, in one write.
        let batch = JIMFrames.msg(to: "x") + JIMFrames.presence("alice").dropLast() + JIMFrames.join("#a").dropLast()
            + JIMFrames.join("#a") + JIMFrames.msg(to: "nobody") + JIMFrames.leave("#a")
        try c.send(batch)
        var codes: [Int] = []
        for _ in 0..<6 { codes.append(try c.readCode()) }
        #expect(codes == [401, 200, 201, 200, 404, 200])
    }

    @Test func garbageIsAnswered400AndTheNextFrameStillWorks() throws {
        let server = try ServerUnderTest()
        let c = try server.connect()
        try c.send([0xEF, 0xBB, 0xBF] + Array("not json at all\n".utf8) + Array(JIMFrames.presence("alice").utf8))
        let bad = try c.readFrame()
        #expect(bad["response"] as? Int == 400)
        #expect(bad["error"] is String)
        #expect(try c.readCode() == 200)
        try c.send(##"{"action":"join","time":1,"room":"#a",}"## + "\n" + ##"{"action":"join","time":1,"room":"#a"}"## + "\n")
        #expect(try c.readCode() == 400)
        #expect(try c.readCode() == 201)
    }

    @Test func anOversizedFrameIs400WithoutBreakingTheConnection() throws {
        let server = try ServerUnderTest()
        let c = try server.connect()
        let huge = #"{"action":"presence","time":1,"pad":""# + String(repeating: "x", count: 5000) + "\"}\n"
        try c.send(huge + JIMFrames.presence("alice"))
        let refused = try c.readFrame()
        #expect(refused["response"] as? Int == 400)
        #expect((refused["error"] as? String)?.contains("640") == true)
        #expect(try c.readCode() == 200)
    }

    @Test func aClientThatVanishesMidFrameDisturbsNobody() throws {
        let server = try ServerUnderTest()
        let alice = try server.connect()
        #expect(try alice.request(JIMFrames.presence("alice")) == 200)
        do {
            let ghost = try server.connect()
            #expect(try ghost.request(JIMFrames.presence("ghost")) == 200)
            try ghost.send(#"{"action":"msg","time":1,"to":"alice","mess"#)
        }
        #expect(server.process.waitForStderr(containing: "(ghost) disconnected: disconnected in the middle of a frame") != nil)
        #expect(try alice.request(JIMFrames.msg(to: "ghost")) == 410)
        // The name is free again.
        let again = try server.connect()
        #expect(try again.request(JIMFrames.presence("ghost")) == 200)
    }

    @Test func aCourseStylePythonClientTalksToAnother() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/course_client.py").path
        let server = try ServerUnderTest()
        let port = String(server.port)
        let listener = try JIMProcess(executable: "python3", [script, "127.0.0.1", port, "bob", "listen"])
        #expect(listener.waitForStdout(containing: "presence 200 OK") != nil, "\(listener.stderr)")
        let sender = try JIMProcess(executable: "python3", [script, "127.0.0.1", port, "alice", "send", "bob", "привет, Боб"])
        #expect(sender.wait() == 0, "\(sender.stderr)")
        #expect(sender.stdout == "presence 200 OK\nmsg 200 OK\n")
        #expect(listener.wait() == 0, "\(listener.stderr)")
        #expect(listener.stdout.hasSuffix("alice: привет, Боб (utf-8)\n"))
    }
}
