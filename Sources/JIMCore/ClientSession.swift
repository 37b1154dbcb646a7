/// The protocol engine of a JIM client (`jim-send`, `jim-listen`), with no I/O.
///
/// The tool's event loop tells it what happened (`Event`: connected, a frame received, an input record
/// to send, end of input, a signal, a lost connection) and carries out what it asks (`Action`), and
/// writes out `outbox`, where every frame to send collects, in large batches. The session keeps the
/// rules of PROTOCOL.md sections 4 to 6:
/// - The identity (`presence`, or `authenticate` with a password) goes first, alone.
/// - One request in flight (send, wait for its answer, send the next) unless the 200 to the identity
///   carries `"pipelining": true`; then up to `configuration.window` requests are in flight.
/// - Answers (frames with `response`, 2xx to 5xx) match the requests in flight in order; frames with
///   `action` are pushes: `msg` is handed on, `probe` is answered with `presence` without the tool
///   seeing it, and 1xx notices and other actions are handed on as pushes.
/// - A message to a room the session is not in is preceded by a `join` of that room.
/// - After a reconnection it identifies again and rejoins every room it was in (and the configured ones).
/// - At end of input it waits for every answer, then sends `quit` and says `finished`.
public struct ClientSession {
    /// What the session was started with.
    public let configuration: Configuration
    /// Where the session is.
    public internal(set) var phase = Phase.offline
    /// The most requests in flight now: 1 until the server says it takes pipelined requests.
    public internal(set) var window = 1
    /// Frames to send, in order; the tool writes them out and calls `removeOutbox()` (or `moveOutbox(to:)`).
    public internal(set) var outbox: [UInt8] = []

    /// Requests waiting for the window.
    var pending = ClientSessionQueue<Outgoing>()
    /// Requests sent and not yet answered, oldest first.
    var inFlight = ClientSessionQueue<InFlight>()
    /// Rooms the session is in or means to be in, in the order first wanted.
    var roomOrder: [String] = []
    var roomStates: [String: RoomState] = [:]
    /// Whether the tool has no more input (`endOfInput` or `stop`).
    var inputEnded = false
    /// Whether a probe came while an `authenticate` was in flight (answer it once identified).
    var probeOwed = false
    /// Whether `ready` was said on this connection.
    var readySaid = false

    /// A request waiting to be sent.
    struct Outgoing {
        var kind: RequestKind
        var record: Int?
        /// Whether the request is a submission itself (not the session's own, nor a join ahead of one).
        var submitted: Bool
        var bytes: ArraySlice<UInt8>
    }

    /// A request sent and waiting for its answer.
    struct InFlight {
        var kind: RequestKind
        var record: Int?
        var submitted: Bool
    }

    /// Where the session stands with a room.
    enum RoomState {
        /// To be joined on the next connection.
        case wanted
        /// A join is queued or in flight.
        case joining
        /// Joined on this connection.
        case joined
    }

    /// A session that has not connected yet.
    public init(configuration: Configuration) {
        self.configuration = configuration
        for room in configuration.rooms where roomStates[room] == nil {
            roomOrder.append(room)
            roomStates[room] = .wanted
        }
    }

    /// Handles one event, appending what to do to `actions` (which it does not clear).
    public mutating func handle(_ event: Event, into actions: inout [Action]) {
        switch event {
        case .connected:
            connected(into: &actions)
        case .received(let view):
            received(view, into: &actions)
        case .receivedPlainOK:
            receivedPlainOK(into: &actions)
        case .badFrame(let error):
            actions.append(.unexpected("bad frame from the server: \(error.reason)"))
        case .submit(let submission):
            submit(submission, into: &actions)
        case .endOfInput:
            inputEnded = true
            pump(into: &actions)
        case .stop:
            inputEnded = true
            pending.removeAll(where: { $0.record != nil })
            pump(into: &actions)
        case .quit:
            quitNow(into: &actions)
        case .disconnected(let reason):
            disconnected(reason: reason, into: &actions)
        }
    }

    /// Handles one event and returns what to do (a convenience for tests).
    public mutating func handle(_ event: Event) -> [Action] {
        var actions: [Action] = []
        handle(event, into: &actions)
        return actions
    }

    // MARK: - Queries

    /// Whether the tool should read and submit more input now: identified, nothing waiting for the
    /// window, and room in it. Reading only then keeps memory bounded and frames going straight out.
    public var wantsInput: Bool {
        phase == .identified && !inputEnded && pending.isEmpty && inFlight.count < window
    }

    /// How many requests are sent and not yet answered.
    public var inFlightCount: Int { inFlight.count }

    /// How many requests wait for the window.
    public var pendingCount: Int { pending.count }

    /// Whether the server said it takes pipelined requests (on this connection).
    public var isPipelining: Bool { window > 1 }

    /// The rooms the session has joined on this connection, in the order first wanted.
    public var joinedRooms: [String] { roomOrder.filter { roomStates[$0] == .joined } }

    /// The input records sent or queued and not yet answered, sorted, each once.
    public var unacknowledgedRecords: [Int] {
        var records: [Int] = []
        for entry in inFlight.elements { if let r = entry.record { records.append(r) } }
        for entry in pending.elements { if let r = entry.record { records.append(r) } }
        records.sort()
        var unique: [Int] = []
        unique.reserveCapacity(records.count)
        for r in records where unique.last != r { unique.append(r) }
        return unique
    }

    // MARK: - Outbox

    /// Empties `outbox` after the tool has written it out (capacity kept).
    public mutating func removeOutbox() {
        outbox.removeAll(keepingCapacity: true)
    }

    /// Appends `outbox` to `buffer` and empties it.
    public mutating func moveOutbox(to buffer: inout [UInt8]) {
        buffer.append(contentsOf: outbox)
        outbox.removeAll(keepingCapacity: true)
    }
}
