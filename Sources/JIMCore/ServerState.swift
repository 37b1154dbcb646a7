/// The chat logic of a JIM server as a state machine with no I/O and no clock.
///
/// The event loop turns what happens on its sockets into `ServerEvent`s and carries out the
/// `ServerAction`s that `handle(_:into:)` appends, in order. Everything PROTOCOL.md sections 3, 4
/// and 6 ask of a server lives here: names (guest and registered), rooms, `msg` routing with `from`
/// verified, every response code, probes and timeouts. Requests are answered in the order they are
/// handled; a room message is encoded once and the same bytes go to every member, and a `msg` whose
/// `from` and `encoding` are already right is forwarded as the bytes received.
public struct ServerState {
    /// The limits, timeouts and capacities in force.
    public let configuration: ServerConfiguration
    /// The registered accounts; replace it to reload (nobody connected is dropped).
    public var accounts: any AccountStore
    /// The time of the last `tick`.
    public internal(set) var now: ServerTime

    var clients: [ConnectionID: Client] = [:]
    /// Name to the connection holding it.
    var online: [String: ConnectionID] = [:]
    var rooms: [String: Room] = [:]
    var seen: SeenNames
    /// When the next timeout sweep is due (monotonic seconds).
    var nextSweep: Double
    /// `now.wall` as JSON number text, for `time` fields.
    var timeText: [UInt8] = []
    /// The wall time `timeText` was made from.
    var formattedWall = 0.0
    /// The encoded `{"response":200,...,"alert":"OK"}` for `now`, built on first use after a tick.
    var okResponse: [UInt8]?
    /// Whether `msg` frames that can be forwarded as received skip the full parser (tests turn it off to compare).
    var fastPath = true

    /// A server with nobody connected.
    public init(
        configuration: ServerConfiguration = ServerConfiguration(), accounts: any AccountStore = NoAccounts(),
        now: ServerTime = ServerTime(wall: 0, monotonic: 0)
    ) {
        self.configuration = configuration
        self.accounts = accounts
        self.now = now
        self.seen = SeenNames(capacity: configuration.seenNamesCapacity)
        self.nextSweep = now.monotonic
        setTime(now)
    }

    /// Handles one event, appending what to do to `actions` (which it does not clear).
    public mutating func handle(_ event: ServerEvent, into actions: inout [ServerAction]) {
        switch event {
        case .tick(let time):
            tick(time, into: &actions)
        case .opened(let id, let peer):
            opened(id, peer: peer, into: &actions)
        case .frame(let id, let bytes):
            received(bytes, from: id, into: &actions)
        case .badFrame(let id, let error):
            refused(error, from: id, into: &actions)
        case .verified(let id, let name, let check):
            verified(id, name: name, check: check, into: &actions)
        case .closed(let id, let reason):
            if let client = clients[id] {
                log(.info, into: &actions) { "\(id)\(client.nameForLog) disconnected: \(reason)" }
                forget(id)
            }
        case .shutdown:
            log(.info, into: &actions) { "shutting down: closing \(clients.count) connections" }
            for id in clients.keys.sorted() { close(id, reason: "server shutting down", level: .debug, into: &actions) }
        }
    }

    /// Handles one event and returns what to do (a convenience for tests).
    public mutating func handle(_ event: ServerEvent) -> [ServerAction] {
        var actions: [ServerAction] = []
        handle(event, into: &actions)
        return actions
    }

    // MARK: - Queries

    /// How many connections the state knows.
    public var connectionCount: Int { clients.count }

    /// The name bound to a connection, if any.
    public func name(of id: ConnectionID) -> String? { clients[id]?.name }

    /// The connection holding `name`, if it is online.
    public func connection(named name: String) -> ConnectionID? { online[name] }

    /// The members of `room` in the order they joined, or nil when there is no such room.
    public func members(of room: String) -> [ConnectionID]? { rooms[room]?.members }

    /// How many rooms exist.
    public var roomCount: Int { rooms.count }

    /// Whether `name` counts as existing for a 410: a registered account or a name seen since start.
    public func isKnown(_ name: String) -> Bool { seen.contains(name) || accounts.isRegistered(name) }

    /// When the state next needs a `tick` to run timeouts (monotonic seconds): the event loop's wait limit.
    public var nextDeadline: Double { nextSweep }

    // MARK: - Connections

    private mutating func opened(_ id: ConnectionID, peer: String, into actions: inout [ServerAction]) {
        guard clients[id] == nil else { return }
        if clients.count >= configuration.maxClients {
            let reason = "server full: \(configuration.maxClients) clients connected"
            respond(id, .serverError, reason, into: &actions)
            actions.append(.close(id, reason: reason))
            log(.error, into: &actions) { "\(id) from \(peer) refused: \(reason)" }
            return
        }
        clients[id] = Client(now: now.monotonic)
        log(.info, into: &actions) { "\(id) connected from \(peer)" }
    }

    private mutating func refused(_ error: FrameError, from id: ConnectionID, into actions: inout [ServerAction]) {
        guard clients[id] != nil else { return }
        respond(id, .badRequest, error.reason, into: &actions)
        if error.kind == .unrecoverable {
            close(id, reason: error.reason, level: .error, into: &actions)
        } else {
            log(.debug, into: &actions) { "\(id) refused frame: \(error.reason)" }
        }
    }

    /// Drops a connection the state decided to close, logging why at `level`.
    mutating func close(_ id: ConnectionID, reason: String, level: ServerLogLevel, into actions: inout [ServerAction]) {
        guard let client = clients[id] else { return }
        log(level, into: &actions) { "\(id)\(client.nameForLog) closed: \(reason)" }
        forget(id)
        actions.append(.close(id, reason: reason))
    }

    /// Frees a connection's name and rooms; rooms left empty are deleted.
    private mutating func forget(_ id: ConnectionID) {
        guard let client = clients.removeValue(forKey: id) else { return }
        if let name = client.name, online[name] == id {
            online[name] = nil
            // Remembered from now on for 410 answers (while online, `online` knows the name).
            seen.insert(name)
        }
        for room in client.rooms { removeMember(id, from: room) }
    }

    mutating func removeMember(_ id: ConnectionID, from room: String) {
        guard let i = rooms[room]?.members.firstIndex(of: id) else { return }
        rooms[room]?.members.remove(at: i)
        if rooms[room]?.members.isEmpty == true { rooms[room] = nil }
    }

    // MARK: - Logging

    /// Appends a log line at `level`, formatting it only when that level is shown.
    @inline(__always)
    func log(_ level: ServerLogLevel, into actions: inout [ServerAction], _ text: () -> String) {
        if level <= configuration.logLevel { actions.append(.log(level, text())) }
    }
}

extension ServerState.Client {
    /// ` (alice)` when named, empty otherwise.
    var nameForLog: String { name.map { " (\($0))" } ?? "" }
}
