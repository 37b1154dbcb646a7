/// The `server` fuzz target: `ServerState` driven by arbitrary event sequences from eight connections.
///
/// Input layout: a sequence of steps. Each step starts with one byte: bits 0-2 pick a connection slot,
/// bits 3-7 an operation (modulo 8):
/// - 0 `opened` (a new connection on the slot when it has none; ids are never reused);
/// - 1 a raw frame: two bytes of length (big-endian), then that many bytes;
/// - 2 a request built from three bytes (action, target, variant), with names and rooms from a small pool
///   so that sequences meet each other: presence, authenticate, msg, join, leave, quit, probe, unknown;
/// - 3 a `badFrame` from the frame decoder (one byte picks the kind, `.unrecoverable` included);
/// - 4 the answer to the slot's pending `verify` (one byte: even is the accounts' real answer, odd any);
/// - 5 `closed` (the peer went away);
/// - 6 a `tick` (one byte: seconds to advance, in quarters);
/// - 7 `shutdown`, rarely (only when the byte's bits 3-7 are 31).
///
/// The event loop's duty is played as jim-serve plays it: frames of a connection waiting for `verified`
/// are held and delivered after it. Two states run side by side, one with the `msg` fast path and one
/// without. Invariants after every event:
/// - the two states ask for the same sends and closes, in the same order (for a `tick`, in any order:
///   probes go out in dictionary order);
/// - a name is held by at most one connection, and `online` and each client's name agree;
/// - every room member is connected and lists the room, every room a client lists has it as a member, and
///   no room is empty;
/// - the state knows exactly the connections opened and not closed;
/// - nothing is sent to a connection after it was closed, or to one never opened;
/// - every frame sent is one valid JSON object within the frame limit, with no raw LF;
/// - every request and every refused frame gets exactly one response (1xx notices are not answers), except
///   `quit`, and an `authenticate` only once `verified` comes.
enum ServerTarget {
    static let pool = ["alice", "bob", "carol", "dave", "Вася", "#ops", "#dev", "#общий", "x"]
    static let accounts = InMemoryAccounts(["carol": "pw", "dave": nil])

    /// What the target knows about one connection.
    struct Connection {
        var id: ConnectionID
        /// Requests and refused frames delivered, quit excluded.
        var requests = 0
        /// Responses received (not 1xx).
        var answers = 0
        /// Whether a `verify` is outstanding, and for which credentials.
        var verifying: Credentials?
        /// Frames held while verifying.
        var held: [[UInt8]] = []
    }

    /// The two states and the target's view of the connections.
    struct World {
        var fast: ServerState
        var slow: ServerState
        var slots: [Connection?] = Array(repeating: nil, count: 8)
        var closedIDs: Set<ConnectionID> = []
        var nextID = 1
        var mono = 100.0
        let input: [UInt8]

        init(input: [UInt8]) {
            let configuration = ServerConfiguration(
                maxClients: 6, presenceTimeout: 5, probeInterval: 3, probeTimeout: 2, maxRoomsPerClient: 2,
                seenNamesCapacity: 3, logLevel: .debug)
            let now = ServerTime(wall: 1_732_460_000, monotonic: mono)
            fast = ServerState(configuration: configuration, accounts: ServerTarget.accounts, now: now)
            slow = ServerState(configuration: configuration, accounts: ServerTarget.accounts, now: now)
            slow.fastPath = false
            self.input = input
        }
    }

    static func run(_ bytes: UnsafeRawBufferPointer) {
        var world = World(input: Array(bytes))
        var i = 0
        func next() -> UInt8 {
            guard i < bytes.count else { return 0 }
            defer { i += 1 }
            return bytes[i]
        }
        var steps = 0
        while i < bytes.count && steps < 400 {
            steps += 1
            let op = next()
            let slot = Int(op & 7)
            switch (op >> 3) % 8 {
            case 0:
                if world.slots[slot] == nil {
                    let id = ConnectionID(world.nextID)
                    world.nextID += 1
                    world.slots[slot] = Connection(id: id)
                    deliver(.opened(id, peer: "127.0.0.1:\(40000 + slot)"), slot: slot, &world)
                }
            case 1:
                let n = min(Int(next()) << 8 | Int(next()), bytes.count - i)
                let frame = Array(bytes[i..<(i + n)])
                i += n
                send(frame, slot: slot, &world)
            case 2:
                let frame = request(next(), next(), next(), slot: slot, world)
                send(frame, slot: slot, &world)
            case 3:
                guard let c = world.slots[slot], c.verifying == nil else { continue }
                let kinds: [FrameError.Kind] = [.syntax, .tooLong, .tooDeep, .field, .unrecoverable]
                let kind = kinds[Int(next()) % kinds.count]
                world.slots[slot]!.requests += 1
                deliver(.badFrame(c.id, FrameError(kind, "fuzzed \(kind) fault", at: StreamPosition())), slot: slot, &world)
            case 4:
                let pick = next()
                guard let c = world.slots[slot], let credentials = c.verifying else { continue }
                let checks: [AccountCheck] = [.ok, .wrongPassword, .blocked, .noSuchAccount]
                let check =
                    pick & 1 == 0
                    ? accounts.verify(credentials.accountName, password: credentials.password) : checks[Int(pick >> 1) % checks.count]
                world.slots[slot]!.verifying = nil
                deliver(.verified(c.id, accountName: credentials.accountName, check), slot: slot, &world)
                // The held frames go in now, in order, until one of them starts another verify.
                while let c = world.slots[slot], c.verifying == nil, !c.held.isEmpty {
                    let frame = world.slots[slot]!.held.removeFirst()
                    send(frame, slot: slot, &world)
                }
            case 5:
                guard let c = world.slots[slot] else { continue }
                world.slots[slot] = nil
                world.closedIDs.insert(c.id)
                deliver(.closed(c.id, reason: "peer closed"), slot: nil, &world)
            case 6:
                world.mono += Double(next()) / 4
                deliver(.tick(ServerTime(wall: 1_732_460_000 + world.mono, monotonic: world.mono)), slot: nil, &world)
            default:
                guard op >> 3 == 31 else { continue }
                deliver(.shutdown, slot: nil, &world)
                FuzzCheck.require(world.fast.connectionCount == 0, "connections left after shutdown")
            }
        }
    }

    /// Delivers a frame from `slot`, or holds it while the connection waits for `verified`.
    static func send(_ frame: [UInt8], slot: Int, _ world: inout World) {
        guard let c = world.slots[slot] else { return }
        if c.verifying != nil {
            world.slots[slot]!.held.append(frame)
            return
        }
        let isQuit = (try? Frame(parsing: frame, limits: world.fast.configuration.limits))?.request == .quit
        if !isQuit { world.slots[slot]!.requests += 1 }
        deliver(.frame(c.id, frame[...]), slot: slot, &world)
    }

    /// A request from three fuzzed bytes, with names from the pool.
    static func request(_ a: UInt8, _ b: UInt8, _ c: UInt8, slot: Int, _ world: World) -> [UInt8] {
        let target = pool[Int(b) % pool.count]
        let own = world.slots[slot].flatMap { world.fast.name(of: $0.id) }
        let time = c & 8 != 0 ? "1732460000.25" : "1"
        var fields: [String]
        switch a % 9 {
        case 0: fields = [#""action":"presence""#, #""time":\#(time)"#, #""type":"status""#, #""user":{"account_name":"\#(target)","status":"here"}"#]
        case 1:
            let password = c & 1 == 0 ? "pw" : "wrong"
            fields = [#""action":"authenticate""#, #""time":\#(time)"#, #""user":{"account_name":"\#(target)","password":"\#(password)"}"#]
        case 2, 3:
            fields = [#""action":"msg""#, #""time":\#(time)"#, #""to":"\#(target)""#]
            switch c % 4 {
            case 0: break
            case 1, 2: fields.append(#""from":"\#(own ?? "alice")""#)
            default: fields.append(#""from":"\#(pool[Int(c >> 4) % pool.count])""#)
            }
            if c & 16 != 0 { fields.append(#""encoding":"utf-8""#) }
            let message = c & 32 != 0 ? String(repeating: "ж", count: 290) : c & 64 != 0 ? "line\nbreak \"q\"" : "hi"
            var text: [UInt8] = []
            JSONWriter.appendString(message, to: &text)
            fields.append(#""message":"# + String(decoding: text, as: UTF8.self))
        case 4: fields = [#""action":"join""#, #""time":\#(time)"#, #""room":"\#(target)""#]
        case 5: fields = [#""action":"leave""#, #""time":\#(time)"#, #""room":"\#(target)""#]
        case 6: fields = [#""action":"quit""#]
        case 7: fields = [#""action":"probe""#, #""time":\#(time)"#]
        default: fields = [#""response":200"#, #""time":\#(time)"#, #""alert":"OK""#]
        }
        if c & 128 != 0 { fields.reverse() }
        return Array(("{" + fields.joined(separator: c & 4 != 0 ? ", " : ",") + "}").utf8)
    }

    /// Hands `event` to both states, compares what they ask for, carries it out and checks the invariants.
    static func deliver(_ event: ServerEvent, slot: Int?, _ world: inout World) {
        let fastActions = world.fast.handle(event)
        let slowActions = world.slow.handle(event)
        var a = fastActions.compactMap(Effect.init)
        var b = slowActions.compactMap(Effect.init)
        if case .tick = event {
            // A sweep probes in dictionary order, which differs between two dictionaries with the same keys.
            a.sort { $0.description < $1.description }
            b.sort { $0.description < $1.description }
        }
        FuzzCheck.require(a == b, "fast path and full parser differ on \(event): \(a) vs \(b) in \(FuzzCheck.literal(world.input))")

        var open = Set(world.slots.compactMap { $0?.id })
        for action in fastActions {
            switch action {
            case .send(let id, let bytes):
                FuzzCheck.require(open.contains(id), "sent to \(id), which is not open, in \(FuzzCheck.literal(world.input))")
                checkSent(bytes, world.fast.configuration.limits, world.input)
                if let frame = try? Frame(parsing: bytes, limits: Limits(message: 1 << 20, frame: 1 << 20)),
                    let response = frame.response, response.code.rawValue >= 200,
                    let s = world.slots.firstIndex(where: { $0?.id == id })
                {
                    world.slots[s]!.answers += 1
                }
            case .close(let id, _):
                FuzzCheck.require(open.contains(id), "closed \(id), which is not open, in \(FuzzCheck.literal(world.input))")
                open.remove(id)
                world.closedIDs.insert(id)
                if let s = world.slots.firstIndex(where: { $0?.id == id }) { world.slots[s] = nil }
            case .verify(let id, let credentials):
                guard let s = world.slots.firstIndex(where: { $0?.id == id }) else {
                    FuzzCheck.require(false, "verify for \(id), which is not open")
                    return
                }
                FuzzCheck.require(world.slots[s]!.verifying == nil, "a second verify for \(id) before the first was answered")
                world.slots[s]!.verifying = credentials
            case .log:
                break
            }
        }
        checkState(world)
    }

    /// Every frame the server sends: one JSON object within the frame limit, on one line.
    static func checkSent(_ bytes: ArraySlice<UInt8>, _ limits: Limits, _ input: [UInt8]) {
        FuzzCheck.require(!bytes.contains(0x0A), "a frame sent with a raw LF: \(FuzzCheck.literal(bytes)) for \(FuzzCheck.literal(input))")
        let characters = bytes.count(where: { $0 & 0xC0 != 0x80 })
        FuzzCheck.require(
            characters <= limits.frame,
            "a frame sent with \(characters) characters: \(FuzzCheck.literal(bytes)) for \(FuzzCheck.literal(input))")
        FuzzCheck.require(
            (try? FrameView(parsing: Array(bytes)[...], limits: limits)) != nil,
            "a frame sent is not valid JSON: \(FuzzCheck.literal(bytes)) for \(FuzzCheck.literal(input))")
    }

    /// Names, rooms, connections and answers, checked against the state's own tables.
    static func checkState(_ world: World) {
        let state = world.fast
        let open = Set(world.slots.compactMap { $0?.id })
        FuzzCheck.require(Set(state.clients.keys) == open, "the state knows \(state.clients.keys.sorted()), open are \(open.sorted())")
        var names: [String: ConnectionID] = [:]
        for (id, client) in state.clients {
            if let name = client.name {
                FuzzCheck.require(names[name] == nil, "\(name) is held by \(names[name]!) and \(id) in \(FuzzCheck.literal(world.input))")
                names[name] = id
                FuzzCheck.require(state.online[name] == id, "online[\(name)] is \(String(describing: state.online[name])), not \(id)")
            }
            for room in client.rooms {
                FuzzCheck.require(state.rooms[room]?.members.contains(id) == true, "\(id) lists \(room) but is not a member")
            }
            FuzzCheck.require(Set(client.rooms).count == client.rooms.count, "\(id) lists a room twice")
        }
        for (name, id) in state.online {
            FuzzCheck.require(names[name] == id, "online[\(name)] is \(id), which does not hold it, in \(FuzzCheck.literal(world.input))")
        }
        for (room, r) in state.rooms {
            FuzzCheck.require(!r.members.isEmpty, "room \(room) is empty but kept")
            FuzzCheck.require(Set(r.members).count == r.members.count, "room \(room) lists a member twice")
            for id in r.members {
                FuzzCheck.require(open.contains(id), "room \(room) has \(id), which is not connected, in \(FuzzCheck.literal(world.input))")
                FuzzCheck.require(state.clients[id]?.rooms.contains(room) == true, "\(id) is in \(room) but does not list it")
                FuzzCheck.require(state.clients[id]?.name != nil, "\(id) is in \(room) without a name")
            }
        }
        for c in world.slots.compactMap({ $0 }) {
            let owed = c.requests - (c.verifying != nil ? 1 : 0)
            FuzzCheck.require(
                c.answers == owed,
                "\(c.id) got \(c.answers) answers for \(owed) requests answerable so far in \(FuzzCheck.literal(world.input))")
        }
    }
}

/// An action without its log lines' wording: what the two states must agree on.
enum Effect: Equatable, CustomStringConvertible {
    case send(ConnectionID, [UInt8])
    case close(ConnectionID)
    case verify(ConnectionID, String, String)

    init?(_ action: ServerAction) {
        switch action {
        case .send(let id, let bytes): self = .send(id, Array(bytes))
        case .close(let id, _): self = .close(id)
        case .verify(let id, let c): self = .verify(id, c.accountName, c.password)
        case .log: return nil
        }
    }

    var description: String {
        switch self {
        case .send(let id, let b): "send(\(id), \(String(decoding: b, as: UTF8.self)))"
        case .close(let id): "close(\(id))"
        case .verify(let id, let name, _): "verify(\(id), \(name))"
        }
    }
}

/// libFuzzer's entry point.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    ServerTarget.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
