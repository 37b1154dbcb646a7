import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A 200 for a `msg` means every online recipient's copy has been handed to the kernel.
///
/// What the kernel holds survives a SIGKILL of jim-serve (it still sends it); what jim-serve holds
/// in its own write queues does not. So a lagging reader must slow its senders (their answers wait)
/// rather than pile acknowledged frames up in the server's memory.
@Suite struct ServeAcknowledgementEndToEndTests {
    /// What a pipelining sender saw when it stopped.
    struct Outcome {
        /// Requests answered 200 (every answer was 200).
        var acknowledged: Int
        /// Requests sent and not answered yet.
        var unanswered: Int
        /// Whether it stopped because no answer came in time (rather than reaching its count).
        var stalled: Bool
    }

    /// The text of msg number `n`: its number, then padding to 200 characters.
    static func text(_ n: Int) -> String {
        let head = "n\(n) "
        return head + String(repeating: "x", count: 200 - head.count)
    }

    /// A server, a reader that has stopped reading, and a sender whose pipeline to it has stalled
    /// with answers held: the scene every held-answer test starts from.
    static func heldAnswers() throws -> (ServerUnderTest, LaggingReader, TestClient, Outcome) {
        let server = try ServerUnderTest()
        let reader = try LaggingReader(port: server.port, name: "reader")
        let sender = try server.connect()
        #expect(try sender.request(JIMFrames.presence("sender")) == 200)
        let outcome = try pipeline(sender, from: "sender", to: "reader", limit: 200_000, stall: 0.5)
        try #require(outcome.stalled && outcome.unanswered > 0)
        return (server, reader, sender, outcome)
    }

    /// Sends msgs numbered from 0 to `to`, at most `window` unanswered, until `limit` are answered
    /// or no answer comes for `stall` seconds. Every answer must be 200.
    static func pipeline(
        _ sender: TestClient, from: String, to: String, limit: Int, window: Int = 64, stall: Double
    ) throws -> Outcome {
        var sent = 0
        var answered = 0
        while answered < limit {
            var batch = ""
            while sent < limit && sent - answered < window {
                batch += JIMFrames.msg(to: to, from: from, text(sent))
                sent += 1
            }
            if !batch.isEmpty { try sender.send(batch) }
            guard let line = try? sender.readLine(timeout: stall) else {
                return Outcome(acknowledged: answered, unanswered: sent - answered, stalled: true)
            }
            guard line.hasPrefix(#"{"response":200"#) else {
                throw TestClient.Failure(description: "msg \(answered) answered \(line)")
            }
            answered += 1
        }
        return Outcome(acknowledged: answered, unanswered: sent - answered, stalled: false)
    }

    /// Whether `lines` are exactly msgs number 0, 1, 2... from `from`, intact; else the first bad index.
    static func firstOutOfOrder(_ lines: [String], from: String) -> Int? {
        for (i, line) in lines.enumerated() {
            guard line.contains(#""message":"\#(text(i))""#), line.contains(#""from":"\#(from)""#) else { return i }
        }
        return nil
    }

    @Test(.timeLimit(.minutes(2)))
    func everyAcknowledgedMsgSurvivesASigkillWhileItsReaderLags() throws {
        // A queue bound far above what the kernel's buffers take: the bound is not what stops the sender.
        let server = try ServerUnderTest(["--max-queue", "67108864"])
        let sink = try LaggingReader(port: server.port, name: "sink")
        let sender = try server.connect()
        #expect(try sender.request(JIMFrames.presence("sender")) == 200)
        // 60,000 msgs of about 260 bytes: 15 MB, several times what the kernel holds for a
        // reader with a 4 KiB receive buffer. The sink reads nothing meanwhile.
        let outcome = try Self.pipeline(sender, from: "sender", to: "sink", limit: 60_000, stall: 1)
        #expect(outcome.stalled, "all 60,000 msgs answered 200 while their reader read nothing")
        #expect(outcome.acknowledged > 1000)
        server.process.signal(SIGKILL)
        #expect(server.process.wait() == 128 + SIGKILL)
        // What the server had handed to the kernel still arrives; then end of file.
        let lines = try sink.linesToEnd(timeout: 30)
        #expect(
            lines.count >= outcome.acknowledged,
            "\(outcome.acknowledged) msgs answered 200, \(lines.count) reached the reader: \(outcome.acknowledged - lines.count) lost"
        )
        #expect(lines.count <= outcome.acknowledged + outcome.unanswered)
        #expect(Self.firstOutOfOrder(lines, from: "sender") == nil)
    }

    @Test func answersStayInOrderBehindAHeldAnswer() throws {
        let (server, reader, sender, outcome) = try Self.heldAnswers()
        // A request with nothing to forward is answered behind the held 200s, not before them.
        try sender.send(JIMFrames.msg(to: "nobody"))
        #expect((try? sender.readLine(timeout: 0.5)) == nil, "an answer overtook the held ones")
        // The reader catches up: every msg arrives, and the answers follow, in order.
        var received = 0
        while received < outcome.acknowledged + outcome.unanswered {
            let line = try reader.readLine(timeout: 10)
            #expect(line.contains(#""message":"\#(Self.text(received))""#))
            received += 1
        }
        var codes: [Int] = []
        for _ in 0...outcome.unanswered { codes.append(try sender.readCode(timeout: 10)) }
        #expect(codes == Array(repeating: 200, count: outcome.unanswered) + [404])
        withExtendedLifetime(server) {}
    }

    @Test func heldAnswersAreReleasedWhenTheReaderGoesAway() throws {
        let (server, reader, sender, outcome) = try Self.heldAnswers()
        try sender.send(JIMFrames.msg(to: "nobody"))
        // The reader vanishes with unread input (a reset): nothing can reach it any more, so
        // nothing is waited for; the held answers go out, still in order.
        reader.closeNow()
        var codes: [Int] = []
        for _ in 0...outcome.unanswered { codes.append(try sender.readCode(timeout: 10)) }
        #expect(codes == Array(repeating: 200, count: outcome.unanswered) + [404])
        #expect(try sender.request(JIMFrames.msg(to: "reader")) == 410)
        #expect(server.process.waitForStderr(containing: "(reader) disconnected") != nil)
    }

    @Test func heldAnswersAreReleasedWhenTheReaderQuitsWithoutReading() throws {
        let (server, reader, sender, outcome) = try Self.heldAnswers()
        // quit: the server flushes what it can for the reader during its bounded close, then gives up on it.
        let quit = Array(JIMFrames.quit.utf8)
        #expect(quit.withUnsafeBytes { send(reader.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == quit.count)
        var codes: [Int] = []
        for _ in 0..<outcome.unanswered { codes.append(try sender.readCode(timeout: 10)) }
        #expect(codes == Array(repeating: 200, count: outcome.unanswered))
        #expect(try sender.request(JIMFrames.msg(to: "reader")) == 410)
        withExtendedLifetime(server) {}
    }

    @Test func sigtermWithAnswersHeldAnswersExactlyWhatIsDelivered() throws {
        let (server, reader, sender, outcome) = try Self.heldAnswers()
        // The server stops while answers are held; the reader then catches up.
        server.process.signal(SIGTERM)
        let lines = try reader.linesToEnd(timeout: 20)
        #expect(Self.firstOutOfOrder(lines, from: "sender") == nil)
        // The held answers went out as their forwards were written, before the sender's close.
        var answers = 0
        for line in String(decoding: try sender.readToEnd(timeout: 20), as: UTF8.self).split(separator: "\n") {
            #expect(line.hasPrefix(#"{"response":200"#))
            answers += 1
        }
        #expect(outcome.acknowledged + answers == lines.count)
        #expect(server.process.wait() == 0)
    }

    @Test func aQuietPairsRoundTripStaysFastWhileAnotherSendersAnswersAreHeld() throws {
        let (server, reader, sender, _) = try Self.heldAnswers()
        let alice = try server.connect()
        #expect(try alice.request(JIMFrames.presence("alice")) == 200)
        let bob = try server.connect()
        #expect(try bob.request(JIMFrames.presence("bob")) == 200)
        var worst = 0.0
        for i in 0..<100 {
            let start = Date()
            #expect(try alice.request(JIMFrames.msg(to: "bob", "ping \(i)")) == 200)
            #expect(try bob.readFrame()["message"] as? String == "ping \(i)")
            #expect(try bob.request(JIMFrames.msg(to: "alice", "pong \(i)")) == 200)
            #expect(try alice.readFrame()["message"] as? String == "pong \(i)")
            worst = max(worst, Date().timeIntervalSince(start))
        }
        #expect(worst < 0.25, "worst round trip \(worst) s")
        // The lagging pair is still stuck: nothing released the sender's answers.
        #expect((try? sender.readLine(timeout: 0.1)) == nil)
        withExtendedLifetime(reader) {}
    }
}
