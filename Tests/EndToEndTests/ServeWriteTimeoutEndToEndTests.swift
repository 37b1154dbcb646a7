import Foundation
import Testing

/// `--write-timeout`: a reader that stops reading is dropped once its queued output has made no
/// progress for the timeout, and the answers its senders wait for come back.
///
/// Without it, a sender that keeps a window (as jim-send does) stalls with the reader: its answers
/// wait for forwards that are never written, and the reader's queue never reaches its bound.
@Suite struct ServeWriteTimeoutEndToEndTests {
    /// What a windowed sender saw, sending msgs to one reader until an answer was not 200.
    struct Run {
        /// Answers 200, in the order they came.
        var acknowledged = 0
        /// The 200s that came before the longest wait between two answers (the stall).
        var acknowledgedBeforeStall = 0
        /// The longest wait between two answers, in seconds.
        var longestGap = 0.0
        /// Msgs sent and not answered when the first answer other than 200 came.
        var unanswered = 0
        /// The first answer other than 200.
        var firstOther: Int?
    }

    /// Sends msgs numbered from 0 to `to`, at most `window` unanswered, until an answer is not
    /// 200 or `limit` are sent; every wait for an answer is a readiness wait of up to `timeout` s.
    static func sendUntilRefused(_ sender: TestClient, to: String, window: Int, limit: Int, timeout: Double) throws -> Run {
        var run = Run()
        var sent = 0
        var last = Date()
        while run.firstOther == nil {
            var batch = ""
            while sent < limit && sent - run.acknowledged < window {
                batch += JIMFrames.msg(to: to, from: "sender", ServeAcknowledgementEndToEndTests.text(sent))
                sent += 1
            }
            if !batch.isEmpty { try sender.send(batch) }
            let code = try sender.readCode(timeout: timeout)
            let now = Date()
            let gap = now.timeIntervalSince(last)
            last = now
            if gap > run.longestGap {
                run.longestGap = gap
                run.acknowledgedBeforeStall = run.acknowledged
            }
            if code == 200 {
                run.acknowledged += 1
            } else {
                run.firstOther = code
            }
        }
        run.unanswered = sent - run.acknowledged - 1
        return run
    }

    @Test(.timeLimit(.minutes(1)))
    func aReaderThatStopsReadingIsDroppedAndItsSendersAnswersComeBack() throws {
        let server = try ServerUnderTest(["--write-timeout", "1"])
        let reader = try LaggingReader(port: server.port, name: "reader")
        let sender = try server.connect()
        #expect(try sender.request(JIMFrames.presence("sender")) == 200)
        // The reader reads nothing from here on; the sender keeps 256 msgs in flight, as jim-send does.
        let run = try Self.sendUntilRefused(sender, to: "reader", window: 256, limit: 200_000, timeout: 10)
        // The sender stalled with the reader, for about the timeout, until the reader was dropped:
        // then its held answers came back 200, and the msgs after them found the reader offline.
        #expect(run.firstOther == 410, "the sender's msgs to the reader were answered \(run.firstOther ?? 0)")
        #expect(run.acknowledgedBeforeStall > 0)
        #expect(run.acknowledged > run.acknowledgedBeforeStall, "no held answer came back after the stall")
        #expect(run.longestGap >= 0.8, "the reader was dropped after \(run.longestGap) s, not about 1 s")
        #expect(run.longestGap < 5, "the reader was dropped only after \(run.longestGap) s")
        var codes: [Int] = []
        for _ in 0..<run.unanswered { codes.append(try sender.readCode(timeout: 10)) }
        #expect(codes == Array(repeating: 410, count: run.unanswered))
        #expect(try sender.request(JIMFrames.msg(to: "reader", from: "sender", "still there?")) == 410)
        let logLine = server.process.waitForStderr(containing: "(reader) disconnected")
        #expect(logLine?.contains("did not read for 1 s") == true, "\(logLine ?? server.log)" as Comment)
        // The server closed the reader; what it had handed to the kernel before the stall still
        // arrives, in order: every msg answered 200 before the stall reached the reader.
        let lines = try reader.linesToEnd(timeout: 20)
        #expect(lines.count >= run.acknowledgedBeforeStall)
        #expect(lines.count <= run.acknowledged)
        #expect(ServeAcknowledgementEndToEndTests.firstOutOfOrder(lines, from: "sender") == nil)
        // The sender is still served.
        #expect(try sender.request(JIMFrames.msg(to: "nobody")) == 404)
    }

    @Test(.timeLimit(.minutes(1)))
    func aReaderThatKeepsReadingSlowlyIsNotDropped() throws {
        let server = try ServerUnderTest(["--write-timeout", "2"])
        let reader = try LaggingReader(port: server.port, name: "reader")
        let sender = try server.connect()
        #expect(try sender.request(JIMFrames.presence("sender")) == 200)
        let stalled = try ServeAcknowledgementEndToEndTests.pipeline(
            sender, from: "sender", to: "reader", limit: 200_000, stall: 0.5)
        try #require(stalled.stalled && stalled.unanswered > 0)
        // The reader now reads slowly, pausing for less than the timeout: the kernel's buffer for
        // it (megabytes on loopback) drains for longer than the timeout before jim-serve can write
        // again, yet the reader is reading, so it stays connected and every msg arrives.
        let total = stalled.acknowledged + stalled.unanswered
        var received = 0
        let start = Date()
        while received < total {
            let line: String
            do {
                line = try reader.readLine(timeout: 10)
            } catch {
                _ = server.process.waitForStderr(containing: "disconnected", timeout: 3)
                Issue.record("line \(received) of \(total): \(error); the server's log: \(server.log)")
                return
            }
            #expect(line.contains(#""message":"\#(ServeAcknowledgementEndToEndTests.text(received))""#))
            received += 1
            if Date().timeIntervalSince(start) < 4 && received % 50 == 0 { usleep(400_000) }
        }
        for _ in 0..<stalled.unanswered { #expect(try sender.readCode(timeout: 10) == 200) }
        #expect(try sender.request(JIMFrames.msg(to: "reader", from: "sender", "still there?")) == 200)
        #expect(try reader.readLine(timeout: 10).contains("still there?"))
        #expect(!server.log.contains("did not read"))
    }
}
