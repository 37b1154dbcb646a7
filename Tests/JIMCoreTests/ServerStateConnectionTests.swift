import Testing
@testable import JIMCore

/// `quit`, `probe`, unknown actions, bad frames, limits on clients, timeouts and shutdown.
@Suite struct ServerStateConnectionTests {
    @Test func quitIsNotAnsweredAndClosesGracefully() {
        var h = ServerStateHarness()
        h.guest(1, "alice")
        h.send(1, h.join("#ops"))
        let out = h.send(1, #"{"action":"quit"}"#)
        #expect(out.sent.isEmpty)
        #expect(out.closed == [1])
        #expect(out.logs == ["conn 1 (alice) closed: quit"])
        #expect(h.state.connection(named: "alice") == nil)
        #expect(h.state.roomCount == 0)
        // What the loop reports afterwards is ignored.
        #expect(h.step(.closed(ConnectionID(1), reason: "closed")).actions.isEmpty)
        #expect(h.send(1, h.presence("alice")).actions.isEmpty)
    }

    @Test func quitWithoutANameAlsoCloses() {
        var h = ServerStateHarness()
        h.open(1)
        #expect(h.send(1, #"{"action":"quit","time":2}"#).closed == [1])
    }

    @Test func aProbeFromAClientIs400() {
        var h = ServerStateHarness()
        h.guest(1, "alice")
        let r = h.send(1, #"{"action":"probe","time":1.5}"#).response(to: 1)
        #expect(r?.code == .badRequest)
        #expect(r?.text == "probe: only servers send it; answer a probe with presence")
    }

    @Test(arguments: [#"{"action":"message","time":1.5,"mess_text":"x"}"#, #"{"action":"Presence","time":1.5}"#])
    func anUnknownActionIs400(_ text: String) {
        var h = ServerStateHarness()
        h.open(1)
        let r = h.send(1, text).response(to: 1)
        #expect(r?.code == .badRequest)
        #expect(r?.text?.hasPrefix("unknown action: ") == true)
    }

    @Test func aResponseFromAClientIs400() {
        var h = ServerStateHarness()
        h.open(1)
        #expect(h.send(1, #"{"response":200,"time":1,"alert":"OK"}"#).response(to: 1)?.text == "a client sends requests, not responses")
    }

    @Test(arguments: [
        (#"{"action":"presence","time":1,"user":{"account_name":"a"},}"#, "trailing comma"),
        (#"{"action":"msg","to":"bob","message":"x"}"#, "time: missing"),
        (##"{"action":"join","time":1,"room":"#ops","room":"#dev"}"##, "duplicate"),
        (#"{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{}}}}}}}}}"#, "deeper"),
    ])
    func aBadFrameIs400WithTheReason(_ text: String, _ fragment: String) {
        var h = ServerStateHarness()
        h.open(1)
        let out = h.send(1, text)
        let r = out.response(to: 1)
        #expect(r?.code == .badRequest)
        #expect(r?.text?.contains(fragment) == true, "\(r?.text ?? "nil")")
        #expect(out.closed.isEmpty)
        #expect(out.logs.count == 1)
    }

    @Test func aDecoderFaultIs400AndAnUnrecoverableOneAlsoCloses() {
        var h = ServerStateHarness()
        h.guest(1, "alice")
        let soft = h.step(.badFrame(ConnectionID(1), FrameError(.tooLong, "frame longer than 640 characters")))
        #expect(soft.response(to: 1)?.text == "frame longer than 640 characters")
        #expect(soft.closed.isEmpty)
        let hard = h.step(.badFrame(ConnectionID(1), FrameError(.unrecoverable, "oversized frame does not end")))
        #expect(hard.response(to: 1)?.code == .badRequest)
        #expect(hard.closed == [1])
        #expect(h.state.connection(named: "alice") == nil)
    }

    @Test func everyResponseCarriesTheTimeOfTheLastTick() {
        var h = ServerStateHarness()
        h.open(1)
        h.wall = 1_800_000_000.25
        h.step(.tick(ServerTime(wall: h.wall, monotonic: h.monotonic)))
        let out = h.send(1, h.presence("alice"))
        #expect(out.response(to: 1)?.time == JSONNumber(literal: "1800000000.25"))
        let error = h.send(1, h.msg(to: "nobody")).sent.first?.1
        #expect(error == #"{"response":404,"time":1800000000.25,"error":"no such user: nobody"}"#)
    }

    @Test func requestsAreAnsweredInTheOrderReceived() {
        var h = ServerStateHarness()
        h.open(1)
        var codes: [Int] = []
        for text in [h.msg(to: "x"), h.presence("alice"), h.join("#a"), h.join("#a"), h.msg(to: "zed"), h.leave("#a")] {
            codes += h.send(1, text).codes(to: 1)
        }
        #expect(codes == [401, 200, 201, 200, 404, 200])
    }

    @Test func pastMaxClientsANewcomerGets500NamingTheReasonAndIsClosed() {
        var h = ServerStateHarness(ServerConfiguration(maxClients: 2))
        h.open(1)
        h.open(2)
        let out = h.open(3)
        let r = out.response(to: 3)
        #expect(r?.code == .serverError)
        #expect(r?.text == "server full: 2 clients connected")
        #expect(out.closed == [3])
        #expect(h.state.connectionCount == 2)
        h.step(.closed(ConnectionID(1), reason: "end of file"))
        #expect(h.open(4).closed.isEmpty)
    }

    @Test func aConnectionWithoutPresenceIsDroppedAfterTheTimeout() {
        var h = ServerStateHarness(ServerConfiguration(presenceTimeout: 10, probeInterval: 0))
        h.open(1)
        h.guest(2, "alice")
        #expect(h.advance(9).closed.isEmpty)
        let out = h.advance(1.5)
        #expect(out.closed == [1])
        #expect(out.logs == ["conn 1 closed: no presence within 10 s"])
        #expect(h.state.connectionCount == 1)
    }

    @Test func aSilentNamedClientIsProbedAndDroppedWhenItDoesNotAnswer() {
        var h = ServerStateHarness(ServerConfiguration(presenceTimeout: 100, probeInterval: 20, probeTimeout: 5))
        h.guest(1, "alice")
        h.send(1, h.join("#ops"))
        #expect(h.advance(19).sent.isEmpty)
        let probe = h.advance(2)
        #expect(probe.pushes(to: 1) == [.probe(time: JSONNumber(literal: "1732460021.50"))])
        // Only one probe while waiting for the answer.
        #expect(h.advance(2).sent.isEmpty)
        let drop = h.advance(4)
        #expect(drop.closed == [1])
        #expect(drop.logs == ["conn 1 (alice) closed: no answer to probe within 5 s"])
        #expect(h.state.connection(named: "alice") == nil)
        #expect(h.state.roomCount == 0)
    }

    @Test func aProbeAnsweredWithPresenceKeepsTheClient() {
        var h = ServerStateHarness(ServerConfiguration(presenceTimeout: 100, probeInterval: 20, probeTimeout: 5))
        h.guest(1, "alice")
        #expect(h.advance(21).pushes(to: 1).count == 1)
        #expect(h.send(1, h.presence("alice")).codes(to: 1) == [200])
        #expect(h.advance(10).closed.isEmpty)
        // And the silence clock started again from the answer.
        #expect(h.advance(11).pushes(to: 1).count == 1)
    }

    @Test func theNextDeadlineTellsTheLoopWhenToTick() {
        var h = ServerStateHarness(ServerConfiguration(presenceTimeout: 2, probeInterval: 0))
        h.advance(0)
        #expect(h.state.nextDeadline == h.monotonic + 0.5)
    }

    @Test func shutdownClosesEveryConnection() {
        var h = ServerStateHarness()
        h.guest(1, "alice")
        h.open(2)
        let out = h.step(.shutdown)
        #expect(out.closed == [1, 2])
        #expect(out.sent.isEmpty)
        #expect(h.state.connectionCount == 0)
    }

    @Test func logLinesBelowTheConfiguredLevelAreNotProduced() {
        var quiet = ServerStateHarness(ServerConfiguration(logLevel: .error))
        #expect(quiet.open(1).logs.isEmpty)
        #expect(quiet.send(1, "{}").logs.isEmpty)
        var normal = ServerStateHarness(ServerConfiguration(logLevel: .info))
        #expect(normal.open(1, peer: "[::1]:5000").logs == ["conn 1 connected from [::1]:5000"])
        #expect(normal.send(1, "{}").logs.isEmpty)
        var verbose = ServerStateHarness(ServerConfiguration(logLevel: .debug))
        verbose.open(1)
        #expect(verbose.send(1, "{}").logs == ["conn 1 refused frame: action: missing"])
    }
}
