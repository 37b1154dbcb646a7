import JIMCore
import JIMNet
import Testing

@testable import JIMTools

/// The queue of answers jim-serve holds for one client until their forwards are written.
@Suite struct HeldResponsesTests {
    /// A held queue for a client on one end of a socket pair (the pair is kept alive with it).
    func makeHeld() throws -> (HeldResponses, Socket) {
        let (a, b) = try Socket.pair()
        let owner = ServeConnection(id: ConnectionID(1), connection: Connection(socket: a, maxQueue: 1 << 20))
        return (HeldResponses(owner: owner), b)
    }

    /// Holds `text` as an answer waiting for `forwards` forwards; its sequence number.
    @discardableResult
    func hold(_ held: HeldResponses, _ text: String, waitingFor forwards: Int) -> Int {
        let sequence = held.nextSequence
        held.pendingWaits = forwards
        held.append(Array(text.utf8)[...])
        return sequence
    }

    /// What `release` hands over now, as text.
    func released(_ held: HeldResponses) -> String {
        var out: [UInt8] = []
        held.release { out += $0 }
        return String(decoding: out, as: UTF8.self)
    }

    @Test func answersLeaveInOrderEachOnceItsForwardsAreWritten() throws {
        let (held, peer) = try makeHeld()
        let first = hold(held, "A", waitingFor: 2)
        let second = hold(held, "B", waitingFor: 1)
        #expect(held.byteCount == 4)
        #expect(released(held) == "")
        // The second answer's forward is written first: it still waits behind the first answer.
        #expect(!held.satisfy(second, through: second))
        #expect(released(held) == "")
        #expect(!held.satisfy(first, through: first))
        #expect(held.satisfy(first, through: first))
        #expect(released(held) == "A\nB\n")
        #expect(held.isEmpty)
        #expect(held.byteCount == 0)
        withExtendedLifetime(peer) {}
    }

    @Test func anAnswerWaitingForNothingStillWaitsBehindAHeldOne() throws {
        let (held, peer) = try makeHeld()
        let msg = hold(held, "200", waitingFor: 1)
        #expect(!held.append(Array("404".utf8)[...]))
        #expect(released(held) == "")
        #expect(held.satisfy(msg, through: msg))
        #expect(released(held) == "200\n404\n")
        // Nothing held: an answer with nothing to wait for is free at once.
        #expect(held.append(Array("201".utf8)[...]))
        #expect(released(held) == "201\n")
        withExtendedLifetime(peer) {}
    }

    @Test func releaseStopsAtTheFirstAnswerThatStillWaits() throws {
        let (held, peer) = try makeHeld()
        let a = hold(held, "a", waitingFor: 1)
        hold(held, "b", waitingFor: 0)
        let c = hold(held, "c", waitingFor: 1)
        hold(held, "d", waitingFor: 0)
        #expect(held.satisfy(a, through: a))
        #expect(released(held) == "a\nb\n")
        #expect(!held.isEmpty)
        #expect(held.byteCount == 4)
        #expect(held.satisfy(c, through: c))
        #expect(released(held) == "c\nd\n")
        #expect(held.isEmpty)
        withExtendedLifetime(peer) {}
    }

    @Test func oneWriteCanFreeARunOfAnswers() throws {
        let (held, peer) = try makeHeld()
        // Three answers wait on one recipient (one shared waiter), the middle one on another too.
        let a = hold(held, "a", waitingFor: 1)
        let b = hold(held, "b", waitingFor: 2)
        let c = hold(held, "c", waitingFor: 1)
        #expect(held.satisfy(a, through: c))
        #expect(released(held) == "a\n")
        #expect(held.satisfy(b, through: b))
        #expect(released(held) == "b\nc\n")
        #expect(held.isEmpty)
        withExtendedLifetime(peer) {}
    }

    @Test func aForwardWrittenBeforeItsAnswerIsHeldCountsForIt() throws {
        let (held, peer) = try makeHeld()
        let a = hold(held, "a", waitingFor: 1)
        // The next request's forwards are queued (two of them) before its answer comes.
        let next = held.nextSequence
        held.pendingWaits = 2
        // One recipient is gone already; its waiter covered the previous answer too.
        #expect(held.satisfy(a, through: next))
        #expect(held.pendingWaits == 1)
        #expect(released(held) == "a\n")
        #expect(!held.append(Array("b".utf8)[...]))
        #expect(held.satisfy(next, through: next))
        #expect(released(held) == "b\n")
        withExtendedLifetime(peer) {}
    }

    @Test func droppedAnswersIgnoreLateWrites() throws {
        let (held, peer) = try makeHeld()
        let a = hold(held, "a", waitingFor: 1)
        let pending = held.nextSequence
        held.pendingWaits = 1
        held.removeAll()
        #expect(held.isEmpty)
        #expect(held.pendingWaits == 0)
        #expect(!held.satisfy(a, through: pending))
        // New answers get new sequence numbers: the old ones cannot release them.
        let b = hold(held, "b", waitingFor: 1)
        #expect(b > pending)
        #expect(!held.satisfy(a, through: pending))
        #expect(released(held) == "")
        #expect(held.satisfy(b, through: b))
        #expect(released(held) == "b\n")
        withExtendedLifetime(peer) {}
    }

    @Test func aLongRunNeverEmptyKeepsEveryAnswerInOrder() throws {
        let (held, peer) = try makeHeld()
        // One answer always waits at the back while thousands go through ahead of it (compaction).
        var waiting = hold(held, "0", waitingFor: 1)
        var out = ""
        for n in 1...3000 {
            let next = hold(held, "\(n)", waitingFor: 1)
            #expect(held.satisfy(waiting, through: waiting))
            out += released(held)
            waiting = next
        }
        #expect(held.byteCount == "3000\n".utf8.count)
        #expect(held.satisfy(waiting, through: waiting))
        out += released(held)
        #expect(out == (0...3000).map { "\($0)\n" }.joined())
        withExtendedLifetime(peer) {}
    }
}
