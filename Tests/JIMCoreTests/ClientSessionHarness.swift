import Testing

@testable import JIMCore

/// Drives one `ClientSession` with frames written as JSON text, and reads back what it sent.
struct ClientSessionHarness {
    var session: ClientSession
    /// Every action so far.
    var actions: [ClientSession.Action] = []
    /// Frames the session wrote since the last `takeSent()`.
    private var sentBytes: [UInt8] = []
    private var record = 0

    init(
        name: String = "alice", status: String? = nil, password: String? = nil, rooms: [String] = [], window: Int = 4
    ) {
        session = ClientSession(
            configuration: ClientSession.Configuration(
                identity: ClientSession.Identity(name: name, status: status, password: password), rooms: rooms,
                window: window, clock: { 1_732_460_000.25 }))
    }

    /// Handles `event`; returns only the actions it produced.
    @discardableResult
    mutating func step(_ event: ClientSession.Event) -> [ClientSession.Action] {
        let new = session.handle(event)
        actions += new
        session.moveOutbox(to: &sentBytes)
        return new
    }

    /// Connects and answers the identity with 200, with or without `pipelining`.
    @discardableResult
    mutating func identify(pipelining: Bool = true) -> [ClientSession.Action] {
        step(.connected)
        return reply(
            pipelining
                ? #"{"response":200,"time":1.5,"alert":"OK","pipelining":true}"#
                : #"{"response":200,"time":1.5,"alert":"OK"}"#)
    }

    /// Feeds the server frame `json`.
    @discardableResult
    mutating func reply(_ json: String) -> [ClientSession.Action] {
        step(.received(try! FrameView(parsing: Array(json.utf8)[...])))
    }

    /// Answers with `code` (200 by default) `count` times.
    @discardableResult
    mutating func answer(_ code: Int = 200, count: Int = 1) -> [ClientSession.Action] {
        var out: [ClientSession.Action] = []
        for _ in 0..<count {
            out += reply(
                code < 400
                    ? #"{"response":\#(code),"time":1.5,"alert":"OK"}"#
                    : #"{"response":\#(code),"time":1.5,"error":"no"}"#)
        }
        return out
    }

    /// Submits a message `text` to `to` as the next record (numbered from 1).
    @discardableResult
    mutating func send(_ text: String, to: String = "bob") -> [ClientSession.Action] {
        record += 1
        let frame = Frame(.msg(Message(to: to, from: "alice", message: text, encoding: "ascii", time: JSONNumber(1.5))))
            .encoded()
        return step(.submit(ClientSession.Submission(record: record, kind: .message(to: to), bytes: frame)))
    }

    /// The frames written since the last call, parsed.
    mutating func takeSent() -> [Frame] {
        defer { sentBytes.removeAll() }
        return sentBytes.split(separator: 0x0A).map { try! Frame(parsing: Array($0)) }
    }

    /// The actions of the frames written since the last call (`presence`, `msg`, ...).
    mutating func takeSentActions() -> [String] {
        takeSent().map { $0.request?.action ?? "response" }
    }
}

extension ClientSession.Action {
    /// The answer, if this is `.answered`.
    var answer: ClientSession.Answer? {
        if case .answered(let a) = self { return a }
        return nil
    }

    /// A short name for the case, for comparing sequences of actions.
    var name: String {
        switch self {
        case .identified: "identified"
        case .ready: "ready"
        case .joined(let room, _): "joined \(room)"
        case .answered(let a): "answered \(a.record.map(String.init) ?? "-") \(a.response.code)"
        case .message: "message"
        case .push: "push"
        case .unexpected: "unexpected"
        case .unacknowledged(let records, _): "unacknowledged \(records)"
        case .finished: "finished"
        }
    }
}
