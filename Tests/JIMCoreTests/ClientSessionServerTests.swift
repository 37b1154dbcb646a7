import Testing

@testable import JIMCore

/// `ClientSession` against the real `ServerState`, bytes carried in memory: the two state machines agree.
@Suite struct ClientSessionServerTests {
    /// Several sessions wired to one server; `run()` moves bytes both ways until nothing moves.
    struct Wire {
        var server = ServerState(now: ServerTime(wall: 1_732_460_000, monotonic: 10))
        var clients: [ClientSession] = []
        var decoders: [FrameDecoder] = []
        var actions: [[ClientSession.Action]] = []
        /// The most requests a client had in flight at once.
        var peakInFlight: [Int] = []
        private var inbound: [[UInt8]] = []

        @discardableResult
        mutating func connect(_ name: String, rooms: [String] = [], window: Int = 16) -> Int {
            let id = clients.count
            clients.append(
                ClientSession(
                    configuration: .init(
                        identity: .init(name: name), rooms: rooms, window: window, clock: { 1_732_460_000.5 })))
            decoders.append(FrameDecoder())
            actions.append([])
            peakInFlight.append(0)
            inbound.append([])
            _ = server.handle(.opened(ConnectionID(id + 1), peer: "test"))
            actions[id] += clients[id].handle(.connected)
            run()
            return id
        }

        mutating func submit(_ id: Int, record: Int, to: String, _ text: String) {
            let frame = Frame(
                .msg(
                    Message(
                        to: to, from: clients[id].configuration.identity.name, message: text, encoding: "ascii",
                        time: JSONNumber(1.5)))
            ).encoded()
            actions[id] += clients[id].handle(.submit(.init(record: record, kind: .message(to: to), bytes: frame)))
        }

        mutating func handle(_ id: Int, _ event: ClientSession.Event) {
            actions[id] += clients[id].handle(event)
        }

        mutating func run() {
            var moved = true
            while moved {
                moved = false
                for id in clients.indices {
                    peakInFlight[id] = max(peakInFlight[id], clients[id].inFlightCount)
                    guard !clients[id].outbox.isEmpty else { continue }
                    moved = true
                    decoders[id].feed(clients[id].outbox)
                    clients[id].removeOutbox()
                    while let output = decoders[id].next() {
                        guard case .frame(let raw) = output else { continue }
                        for action in server.handle(.frame(ConnectionID(id + 1), raw.bytes)) {
                            if case .send(let to, let bytes) = action { inbound[to.rawValue - 1] += bytes + [0x0A] }
                        }
                    }
                }
                for id in clients.indices where !inbound[id].isEmpty {
                    moved = true
                    var decoder = FrameDecoder()
                    decoder.feed(inbound[id])
                    inbound[id].removeAll()
                    while let output = decoder.next() {
                        guard case .frame(let raw) = output else { continue }
                        actions[id] += clients[id].handle(.received(try! FrameView(parsing: raw.bytes)))
                    }
                }
            }
        }

        /// The texts of the messages client `id` was handed.
        func messages(_ id: Int) -> [String] {
            actions[id].compactMap { if case .message(let v) = $0 { v.string(.message) } else { nil } }
        }

        /// Client `id`'s answers as (record, code).
        func answers(_ id: Int) -> [[Int]] {
            actions[id].compactMap(\.answer).map { [$0.record ?? 0, $0.response.code.rawValue] }
        }
    }

    @Test func linesArriveInOrderThroughAPipelinedWindow() {
        var wire = Wire()
        let bob = wire.connect("bob")
        let alice = wire.connect("alice", window: 8)
        #expect(wire.clients[alice].isPipelining)
        for i in 1...50 { wire.submit(alice, record: i, to: "bob", "line \(i)") }
        wire.handle(alice, .endOfInput)
        wire.run()
        #expect(wire.messages(bob) == (1...50).map { "line \($0)" })
        #expect(wire.answers(alice) == (1...50).map { [$0, 200] })
        #expect(wire.peakInFlight[alice] == 8)
        #expect(wire.actions[alice].last.map(\.name) == "finished")
        #expect(wire.server.name(of: ConnectionID(alice + 1)) == nil)
    }

    @Test func aRoomWithThreeListenersGetsEveryMessage() {
        var wire = Wire()
        let listeners = ["l1", "l2", "l3"].map { wire.connect($0, rooms: ["#ops"]) }
        for id in listeners { #expect(wire.actions[id].contains { $0.name == "ready" }) }
        let sender = wire.connect("s")
        wire.submit(sender, record: 1, to: "#ops", "deploy")
        wire.submit(sender, record: 2, to: "#ops", "done")
        wire.run()
        for id in listeners { #expect(wire.messages(id) == ["deploy", "done"]) }
        #expect(wire.answers(sender) == [[1, 200], [2, 200]])
        #expect(wire.clients[sender].joinedRooms == ["#ops"])
    }

    @Test func failuresComeBackForTheRightRecords() {
        var wire = Wire()
        wire.connect("bob")
        let alice = wire.connect("alice")
        wire.submit(alice, record: 1, to: "bob", "ok")
        wire.submit(alice, record: 2, to: "nobody", "404")
        wire.submit(alice, record: 3, to: "bob", "ok again")
        wire.run()
        #expect(wire.answers(alice) == [[1, 200], [2, 404], [3, 200]])
    }

    @Test func aNameInUseIsRefused() {
        var wire = Wire()
        wire.connect("bob")
        let second = wire.connect("bob")
        #expect(wire.answers(second) == [[0, 409]])
        #expect(wire.clients[second].phase == .finished)
    }

    @Test func aServerProbeIsAnsweredAndKeepsTheConnection() {
        var wire = Wire()
        let bob = wire.connect("bob")
        // Silence past the server's probe interval: the server probes, the session answers.
        var actions: [ServerAction] = []
        let config = wire.server.configuration
        wire.server.handle(
            .tick(ServerTime(wall: 1_732_460_000 + config.probeInterval + 1, monotonic: 10 + config.probeInterval + 1)),
            into: &actions)
        let probes = actions.compactMap {
            if case .send(_, let b) = $0 { String(decoding: b, as: UTF8.self) } else { nil }
        }
        #expect(probes.count == 1 && probes[0].contains("probe"))
        actions.removeAll()
        var decoder = FrameDecoder()
        decoder.feed(Array(probes[0].utf8) + [0x0A])
        if case .frame(let raw)? = decoder.next() {
            wire.handle(bob, .received(try! FrameView(parsing: raw.bytes)))
        }
        wire.run()
        #expect(wire.actions[bob].allSatisfy { $0.name != "unexpected" })
        // Well past the probe timeout, bob is still there: the presence answered it.
        wire.server.handle(
            .tick(
                ServerTime(
                    wall: 1_732_460_000 + config.probeInterval + config.probeTimeout + 2,
                    monotonic: 10 + config.probeInterval + config.probeTimeout + 2)), into: &actions)
        #expect(wire.server.name(of: ConnectionID(bob + 1)) == "bob")
    }
}
