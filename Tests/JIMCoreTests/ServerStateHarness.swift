import Testing
@testable import JIMCore

/// Drives a `ServerState` the way the event loop does, and reads back what it asked for.
///
/// `verify` actions are answered at once with the state's own accounts, like jim-serve does.
struct ServerStateHarness {
    var state: ServerState
    var wall = 1_732_460_000.5
    var monotonic = 100.0

    init(_ configuration: ServerConfiguration = ServerConfiguration(logLevel: .debug), accounts: any AccountStore = NoAccounts()) {
        state = ServerState(configuration: configuration, accounts: accounts, now: ServerTime(wall: wall, monotonic: monotonic))
    }

    /// Everything one step produced.
    struct Outcome {
        var actions: [ServerAction] = []

        /// Frames sent, as (connection, JSON text).
        var sent: [(Int, String)] {
            actions.compactMap { if case .send(let id, let b) = $0 { (id.rawValue, String(decoding: b, as: UTF8.self)) } else { nil } }
        }
        /// Connections closed.
        var closed: [Int] { actions.compactMap { if case .close(let id, _) = $0 { id.rawValue } else { nil } } }
        /// Log lines.
        var logs: [String] { actions.compactMap { if case .log(_, let s) = $0 { s } else { nil } } }

        /// The frames sent to `id`, parsed.
        func frames(to id: Int) -> [Frame] {
            sent.filter { $0.0 == id }.map { try! Frame(parsing: Array($0.1.utf8), limits: Limits(message: 100_000, frame: 100_000)) }
        }
        /// The responses sent to `id`.
        func responses(to id: Int) -> [Response] { frames(to: id).compactMap(\.response) }
        /// The codes of the responses sent to `id`.
        func codes(to id: Int) -> [Int] { responses(to: id).map(\.code.rawValue) }
        /// The single response to `id`; fails the test when there is not exactly one.
        func response(to id: Int, sourceLocation: SourceLocation = #_sourceLocation) -> Response? {
            let r = responses(to: id)
            #expect(r.count == 1, "expected one response to \(id), got \(sent)", sourceLocation: sourceLocation)
            return r.first
        }
        /// The pushes (`action` frames) sent to `id`.
        func pushes(to id: Int) -> [Request] { frames(to: id).compactMap(\.request) }
    }

    @discardableResult
    mutating func step(_ event: ServerEvent) -> Outcome {
        var out = Outcome()
        var pending = [event]
        while !pending.isEmpty {
            let e = pending.removeFirst()
            let actions = state.handle(e)
            for a in actions {
                if case .verify(let id, let c) = a {
                    pending.append(.verified(id, accountName: c.accountName, state.accounts.verify(c.accountName, password: c.password)))
                }
            }
            out.actions += actions
        }
        return out
    }

    @discardableResult
    mutating func open(_ id: Int, peer: String = "127.0.0.1:40000") -> Outcome { step(.opened(ConnectionID(id), peer: peer)) }

    @discardableResult
    mutating func send(_ id: Int, _ json: String) -> Outcome { step(.frame(ConnectionID(id), Array(json.utf8)[...])) }

    /// Opens `id` and binds `name` as a guest, expecting 200.
    @discardableResult
    mutating func guest(_ id: Int, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) -> Outcome {
        open(id)
        let out = send(id, presence(name))
        #expect(out.codes(to: id) == [200], sourceLocation: sourceLocation)
        return out
    }

    /// Advances both clocks by `seconds` and ticks.
    @discardableResult
    mutating func advance(_ seconds: Double) -> Outcome {
        wall += seconds
        monotonic += seconds
        return step(.tick(ServerTime(wall: wall, monotonic: monotonic)))
    }

    func presence(_ name: String) -> String {
        #"{"action":"presence","time":1.5,"type":"status","user":{"account_name":"\#(name)","status":"here"}}"#
    }

    func authenticate(_ name: String, _ password: String) -> String {
        #"{"action":"authenticate","time":1.5,"user":{"account_name":"\#(name)","password":"\#(password)"}}"#
    }

    func msg(to: String, from: String? = nil, _ text: String = "hi", encoding: String? = "ascii") -> String {
        var s = #"{"action":"msg","time":1.5,"to":"\#(to)""#
        if let from { s += #","from":"\#(from)""# }
        if let encoding { s += #","encoding":"\#(encoding)""# }
        return s + #","message":"\#(text)"}"#
    }

    func join(_ room: String) -> String { #"{"action":"join","time":1.5,"room":"\#(room)"}"# }
    func leave(_ room: String) -> String { #"{"action":"leave","time":1.5,"room":"\#(room)"}"# }
}
