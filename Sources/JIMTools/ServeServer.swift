#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import JIMCLI
import JIMCore
import JIMNet

/// jim-serve's event loop: moves bytes between sockets and the `ServerState` machine.
///
/// Per turn: wait for readiness; for each ready client read once (into one shared 64 KiB buffer),
/// handle at most `framesPerTurn` frames, then move on (fairness: a flooding client keeps its
/// extra frames for later turns); then one write per client with output (coalesced). Actions are
/// carried out as the state returns them: a send copies the frame into the recipient's bounded
/// queue (past the bound, that client is dropped), a close is graceful (flush, shut down the
/// sending side, drain, close, bounded by a linger timer). Password checks run on a worker thread.
///
/// An answer is sent only once the forwards of its request are in the kernel (see
/// `ServeServer+Held.swift`): answers wait in `HeldResponses` until the recipients' writes pass
/// their forwards, and the end of each turn flushes the recipients, releases what that freed,
/// and flushes again, so that the common case adds no latency.
final class ServeServer: EventHandler {
    /// The most frames handled for one connection in one turn.
    static let framesPerTurn = 64
    /// The shared read buffer's size.
    static let readSize = 64 * 1024
    /// The most connections accepted from one listener in one turn.
    static let acceptsPerTurn = 64

    private static let verifierToken = -1_000_000
    private static let resumeAcceptToken = -2_000_000
    static let sweepToken = -3_000_000
    static let stallToken = -4_000_000

    let options: ServeOptions
    let log: ServeLog
    var state: ServerState
    let loop: EventLoop
    private var listeners: [Listener]
    private let verifier: ServeVerifier
    private var accountsPath: String?

    /// Every connection by its id, which is also its event-loop and timer token.
    private var connections: [Int: ServeConnection] = [:]
    private var lastID = 0

    private var actions: [ServerAction] = []
    private var pending: [ServerEvent] = []
    private var backlog: [ServeConnection] = []
    private var backlogSpare: [ServeConnection] = []
    /// Connections with output queued this turn: flushed at its end.
    var dirty: [ServeConnection] = []
    /// The connection whose frame (or password check) is being handled: answers to it may be held.
    var requester: ConnectionID?
    /// The requester's held answers, once looked up for this event (see `awaitForward`).
    var requesterHeld: Unmanaged<HeldResponses>?
    /// Keeps `requesterHeld` alive until the end of the event.
    var requesterHeldKeeper: HeldResponses?
    /// The requester's connection when the caller of `dispatch` had it at hand (saves lookups).
    var requesterSource: ServeConnection?
    /// Counts loop turns: answers held in one turn share waiters (see `HeldWaiter`).
    var turn = 0
    /// Closing connections whose held answers moved on: their close goes on at the end of the turn.
    var closeReady: [ServeConnection] = []
    var closeReadySpare: [ServeConnection] = []
    /// Connections that emptied a write queue, held answers or waiters and kept the storage:
    /// the sweep frees it from those still empty (see `sweepSpareStorage`).
    var spare: [ServeConnection] = []
    /// Whether the sweep's timer is pending.
    var sweepScheduled = false
    /// Live connections with output pending, for the write-stall check (see `ServeServer+Stall.swift`).
    var stallWatch: [ServeConnection] = []
    var stallWatchSpare: [ServeConnection] = []
    /// Whether the write-stall check's timer is pending.
    var stallScheduled = false
    /// `--write-timeout` in nanoseconds; 0: never.
    let writeTimeoutNanoseconds: UInt64
    private let readBuffer: UnsafeMutableRawBufferPointer
    /// Where a frame and its LF are put together before they are queued.
    private let frameScratch: UnsafeMutableRawBufferPointer
    /// The decoder for connections with nothing pending, so idle connections need none.
    private var shared: FrameDecoder
    private var lastTick = MonotonicTime(nanoseconds: 0)
    private var acceptPaused = false
    private var shuttingDown = false
    private var shutdownDeadline: MonotonicTime?
    private static let newline: [UInt8] = [0x0A]

    init(options: ServeOptions, listeners: [Listener], accounts: (any AccountStore)?, log: ServeLog) throws(SystemError) {
        self.options = options
        self.log = log
        self.writeTimeoutNanoseconds = UInt64(max(0, options.writeTimeout) * 1e9)
        self.listeners = listeners
        self.accountsPath = options.accountsPath
        self.loop = try EventLoop()
        self.verifier = try ServeVerifier()
        let now = MonotonicTime.now()
        self.state = ServerState(
            configuration: options.configuration, accounts: accounts ?? NoAccounts(),
            now: ServerTime(wall: SystemTime.now(), monotonic: Self.seconds(now)))
        self.readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.readSize, alignment: 16)
        self.shared = FrameDecoder(limits: options.configuration.limits)
        self.frameScratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 16)
        for (i, listener) in listeners.enumerated() {
            try loop.register(listener.fileDescriptor, token: -1 - i, interest: .readable)
        }
        try loop.register(verifier.wakeSocket.fileDescriptor, token: Self.verifierToken, interest: .readable)
        try loop.watchSignals([SIGTERM, SIGINT, SIGHUP])
    }

    deinit {
        readBuffer.deallocate()
        frameScratch.deallocate()
    }

    /// Serves until SIGTERM or SIGINT, then closes every connection gracefully.
    func run() throws(SystemError) {
        defer {
            verifier.stop()
            for listener in listeners { listener.removeSocketFile() }
        }
        while true {
            let timeout: Duration
            if !backlog.isEmpty {
                timeout = .zero
            } else {
                let wait = max(0, state.nextDeadline - Self.seconds(MonotonicTime.now()))
                timeout = .nanoseconds(Int64(min(wait, 3600) * 1e9))
            }
            turn &+= 1
            try loop.runOnce(self, timeout: timeout)
            tickIfNeeded()
            runBacklog()
            settle()
            if shuttingDown {
                if connections.isEmpty { return }
                if let deadline = shutdownDeadline, loop.now >= deadline {
                    log.write(.error, "shutdown: \(connections.count) connections did not finish closing; closing them now")
                    for c in Array(connections.values) { finish(c) }
                    return
                }
            }
        }
    }

    // MARK: - EventHandler

    func ready(token: Int, events: IOEvents, loop: EventLoop) {
        tickIfNeeded()
        if token >= 0 {
            guard let c = connection(token: token) else { return }
            if c.closing {
                if c.holdsAnswers && (events.contains(.hangup) || events.contains(.error)) {
                    // Gone while answers wait to be released for it: nothing more can reach it.
                    finish(c)
                } else {
                    continueClose(c)
                }
            } else {
                serviceIO(c, events: events)
            }
        } else if token == Self.verifierToken {
            for result in verifier.takeResults() {
                dispatch(.verified(result.id, accountName: result.accountName, result.check))
                if let c = connection(token: result.id.rawValue), !c.closing {
                    c.paused = false
                    addBacklog(c)
                }
            }
        } else if -token - 1 < listeners.count {
            accept(from: listeners[-token - 1])
        }
    }

    func timerFired(token: Int, loop: EventLoop) {
        tickIfNeeded()
        if token == Self.sweepToken {
            sweepSpareStorage()
        } else if token == Self.stallToken {
            checkWriteStalls()
        } else if token == Self.resumeAcceptToken {
            acceptPaused = false
            guard !shuttingDown else { return }
            for listener in listeners { try? loop.modify(listener.fileDescriptor, interest: .readable) }
        } else if let c = connection(token: token), c.closing {
            c.linger = nil
            finish(c)
        }
    }

    func signalReceived(_ signal: Int32, loop: EventLoop) {
        tickIfNeeded()
        switch signal {
        case SIGHUP:
            reloadAccounts()
        case SIGTERM, SIGINT:
            guard !shuttingDown else { return }
            shuttingDown = true
            log.write(.info, "\(signal == SIGTERM ? "SIGTERM" : "SIGINT"): stopping")
            for listener in listeners {
                loop.unregister(listener.fileDescriptor)
                listener.removeSocketFile()
                listener.close()
            }
            shutdownDeadline = loop.now + Connection.lingerTimeout + .seconds(1)
            dispatch(.shutdown)
            // Connections the state no longer knows (refused, already closing) close too.
            for c in connections.values.sorted(by: { $0.id < $1.id }) where !c.closing { beginClose(c) }
        default:
            break
        }
    }

    // MARK: - Accounts

    private func reloadAccounts() {
        guard let path = accountsPath else {
            log.write(.info, "SIGHUP: no --accounts file to reload")
            return
        }
        do {
            let file = try AccountsFile.load(path: path, limits: options.configuration.limits)
            state.accounts = file
            log.write(.info, "SIGHUP: reloaded \(path): \(file.count) accounts")
        } catch {
            for line in error.lines { log.write(.error, line) }
            log.write(.error, "SIGHUP: \(path) not reloaded; the accounts loaded before stay in force")
        }
    }

    // MARK: - Accepting

    private func accept(from listener: Listener) {
        guard !shuttingDown else { return }
        for _ in 0..<Self.acceptsPerTurn {
            let accepted: (socket: Socket, peer: SocketAddress)?
            do {
                accepted = try listener.accept()
            } catch {
                log.write(.error, "accept: \(error.reason); pausing accepts for 100 ms")
                if !acceptPaused {
                    acceptPaused = true
                    for l in listeners { try? loop.modify(l.fileDescriptor, interest: []) }
                    loop.schedule(after: .milliseconds(100), token: Self.resumeAcceptToken)
                }
                return
            }
            guard let (socket, peer) = accepted else { return }
            if peer.family != .unix { try? socket.setNoDelay() }
            lastID += 1
            let id = ConnectionID(lastID)
            let c = ServeConnection(
                id: id, connection: Connection(socket: socket, maxQueue: options.maxQueue))
            do {
                try loop.register(c.fileDescriptor, token: id.rawValue, interest: .readable)
            } catch {
                log.write(.error, "\(id): \(error)")
                continue
            }
            connections[id.rawValue] = c
            dispatch(.opened(id, peer: peer.family == .unix ? "unix socket" : peer.description))
        }
    }

    // MARK: - Reading

    private func serviceIO(_ c: ServeConnection, events: IOEvents) {
        if c.paused && (events.contains(.hangup) || events.contains(.error)) {
            // Gone while its password is checked: nothing can reach it, and level-triggered
            // readiness would report it on every turn until the check ends.
            drop(c, reason: "connection lost")
            return
        }
        if events.contains(.writable) && c.connection.hasPendingWrites {
            do {
                try c.connection.flush()
            } catch {
                drop(c, reason: "\(error)")
                return
            }
            wroteMore(c)
            if c.connection.hasSpareStorage { noteSpare(c) }
        }
        if !c.paused && !c.inBacklog && !c.endOfInput
            && (events.contains(.readable) || events.contains(.hangup) || events.contains(.error))
        {
            read(c)
        }
        if isLive(c) { updateInterest(c) }
    }

    /// One read into the shared buffer, then the frames it completes.
    private func read(_ c: ServeConnection) {
        let result: ReadResult
        do {
            result = try c.connection.read(into: readBuffer)
        } catch {
            drop(c, reason: "\(error)")
            return
        }
        switch result {
        case .bytes(let n):
            let bytes = UnsafeRawBufferPointer(rebasing: readBuffer[0..<n])
            if let input = c.input { input.decoder.feed(bytes) } else { shared.feed(bytes) }
        case .wouldBlock:
            return
        case .endOfFile:
            c.endOfInput = true
        }
        handleFrames(c)
    }

    /// Handles up to `framesPerTurn` frames of `c`'s input; what is left waits in `c.input`; at
    /// the end of the input, acts on the end of file.
    private func handleFrames(_ c: ServeConnection) {
        let budgetLeft: Bool
        let insideFrame: Bool
        if let input = c.input {
            (budgetLeft, _) = drain(c, &input.decoder)
            insideFrame = input.decoder.isInsideFrame
            if isLive(c) && budgetLeft && !c.paused && !insideFrame && input.decoder.bufferedCount == 0 {
                c.input = nil
            }
        } else {
            let sawError: Bool
            (budgetLeft, sawError) = drain(c, &shared)
            insideFrame = shared.isInsideFrame
            let pending = !budgetLeft || c.paused || insideFrame || shared.bufferedCount > 0
            if isLive(c) && pending {
                // Keep what is left with the connection; the shared decoder starts afresh.
                c.input = ServeInput(shared)
                shared = FrameDecoder(limits: options.configuration.limits)
            } else if !isLive(c) || sawError {
                // Whatever state a fault left (skipping garbage, dead) must not reach the next connection.
                shared = FrameDecoder(limits: options.configuration.limits)
            }
        }
        guard isLive(c), !c.paused else { return }
        if !budgetLeft {
            addBacklog(c)
            return
        }
        if c.endOfInput {
            let reason = insideFrame ? "disconnected in the middle of a frame" : "end of file"
            c.input = nil
            dispatch(.closed(c.id, reason: reason))
            if isLive(c) { beginClose(c) }
            return
        }
        updateInterest(c)
    }

    /// Hands frames from `decoder` to the state until the budget, a pause or the end of the
    /// decoded input; whether budget is left, and whether a fault was reported.
    private func drain(_ c: ServeConnection, _ decoder: inout FrameDecoder) -> (budgetLeft: Bool, sawError: Bool) {
        var budget = Self.framesPerTurn
        var sawError = false
        while budget > 0 {
            guard isLive(c), !c.paused, let output = decoder.next() else { return (true, sawError) }
            budget -= 1
            switch output {
            case .frame(let raw):
                dispatch(.frame(c.id, raw.bytes), from: c)
            case .error(let error):
                sawError = true
                dispatch(.badFrame(c.id, error))
            }
        }
        return (false, sawError)
    }

    private func addBacklog(_ c: ServeConnection) {
        guard !c.inBacklog else { return }
        c.inBacklog = true
        backlog.append(c)
        updateInterest(c)
    }

    private func runBacklog() {
        guard !backlog.isEmpty else { return }
        swap(&backlog, &backlogSpare)
        for c in backlogSpare {
            c.inBacklog = false
            if isLive(c) && !c.paused { handleFrames(c) }
        }
        backlogSpare.removeAll(keepingCapacity: true)
    }

    // MARK: - The state machine

    private func tickIfNeeded() {
        let now = loop.now
        guard now != lastTick else { return }
        lastTick = now
        dispatch(.tick(ServerTime(wall: SystemTime.now(), monotonic: Self.seconds(now))))
    }

    /// Hands an event to the state and carries out its actions, then any events those caused.
    /// `source` is the connection a frame event came from, when the caller has it at hand.
    private func dispatch(_ event: ServerEvent, from source: ServeConnection? = nil) {
        var next: ServerEvent? = event
        requesterSource = source
        while let e = next {
            switch e {
            case .frame(let id, _), .badFrame(let id, _), .verified(let id, _, _), .opened(let id, _):
                requester = id
            case .tick, .closed, .shutdown:
                requester = nil
            }
            state.handle(e, into: &actions)
            perform()
            actions.removeAll(keepingCapacity: true)
            requesterHeld = nil
            requesterHeldKeeper = nil
            requesterSource = nil
            next = pending.isEmpty ? nil : pending.removeFirst()
        }
        requester = nil
    }

    private func perform() {
        for action in actions {
            switch action {
            case .send(let id, let bytes):
                if id == requester, let c = requesterSource {
                    if !c.closing { answer(bytes, to: c) }
                    continue
                }
                guard let c = connection(token: id.rawValue), !c.closing else { continue }
                if id == requester {
                    answer(bytes, to: c)
                } else if enqueue(bytes, to: c), let requester {
                    awaitForward(to: c, from: requester)
                }
            case .close(let id, _):
                guard let c = connection(token: id.rawValue), !c.closing else { continue }
                beginClose(c)
            case .verify(let id, let credentials):
                guard let c = connection(token: id.rawValue), !c.closing else { continue }
                c.paused = true
                verifier.submit(ServeVerifier.Job(id: id, credentials: credentials, accounts: state.accounts))
                updateInterest(c)
            case .log(let level, let text):
                log.write(level, text)
            }
        }
    }

    // MARK: - Writing

    /// Queues one frame and its LF for `c`; false when that took `c` past its bound (it is dropped).
    @discardableResult
    func enqueue(_ bytes: ArraySlice<UInt8>, to c: ServeConnection) -> Bool {
        let queue = c.connection
        if c.owedBytes + bytes.count + 1 > queue.maxQueue {
            overflow(c)
            return false
        }
        // One enqueue per frame: the frame and its LF are put together in the scratch buffer first.
        let count = bytes.count
        if count > 0 && count < frameScratch.count {
            bytes.withUnsafeBytes { frameScratch.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: count) }
            frameScratch[count] = 0x0A
            _ = queue.enqueue(UnsafeRawBufferPointer(rebasing: frameScratch[0...count]))
        } else {
            _ = queue.enqueue(bytes)
            _ = queue.enqueue(Self.newline)
        }
        if !c.inDirty {
            c.inDirty = true
            dirty.append(c)
        }
        return true
    }

    /// Drops `c`, whose queue (with its held answers) would go past its bound, and tells the state why.
    func overflow(_ c: ServeConnection) {
        let reason = "write queue over \(c.connection.maxQueue) bytes: not reading fast enough"
        abort(c)
        pending.append(.closed(c.id, reason: reason))
    }

    /// One write per connection with output: everything queued this turn goes out together.
    /// Connections appended meanwhile (answers released by these writes) are flushed in the same pass.
    func flushDirty() {
        var i = 0
        while i < dirty.count {
            let c = dirty[i]
            i += 1
            c.inDirty = false
            guard isLive(c) else { continue }
            do {
                try c.connection.flush()
            } catch {
                drop(c, reason: "\(error)")
                continue
            }
            wroteMore(c)
            if c.connection.hasSpareStorage { noteSpare(c) }
            updateInterest(c)
        }
        dirty.removeAll(keepingCapacity: true)
    }

    func updateInterest(_ c: ServeConnection) {
        guard !c.closing else { return }
        var interest: IOEvents = []
        // A connection in the backlog keeps its read interest (no epoll_ctl back and forth); its
        // readiness is ignored until the backlog is handled.
        if !c.paused && !c.endOfInput && c.owedBytes <= c.connection.maxQueue / 2 {
            interest.insert(.readable)
        }
        if c.connection.hasPendingWrites {
            interest.insert(.writable)
            if !c.inStallWatch { watchStall(c) }
        }
        try? loop.modify(c.fileDescriptor, interest: interest)
    }

    // MARK: - Closing

    /// Starts a graceful close (PROTOCOL.md section 7), bounded by the linger timeout.
    private func beginClose(_ c: ServeConnection) {
        c.closing = true
        c.connection.beginClose()
        continueClose(c)
    }

    /// Advances a graceful close. While answers are held for `c`, its sending side stays open for
    /// them: only what is queued is flushed (the linger timer still bounds the whole close).
    func continueClose(_ c: ServeConnection) {
        if c.holdsAnswers {
            do {
                try c.connection.flush()
            } catch {
                finish(c)
                return
            }
            wroteMore(c)
            try? loop.modify(c.fileDescriptor, interest: c.connection.hasPendingWrites ? .writable : [])
            if c.linger == nil { c.linger = loop.schedule(after: Connection.lingerTimeout, token: c.id.rawValue) }
            return
        }
        let step = c.connection.continueClose(scratch: readBuffer)
        wroteMore(c)
        switch step {
        case .finished:
            finish(c)
        case .waiting(let events):
            try? loop.modify(c.fileDescriptor, interest: events)
            if c.linger == nil { c.linger = loop.schedule(after: Connection.lingerTimeout, token: c.id.rawValue) }
        }
    }

    /// A connection that failed (reset, write error): closed at once, and the state told why.
    func drop(_ c: ServeConnection, reason: String) {
        abort(c)
        dispatch(.closed(c.id, reason: reason))
    }

    /// Closes at once, dropping whatever is queued.
    private func abort(_ c: ServeConnection) {
        finish(c)
    }

    /// Unregisters and closes the socket, and forgets the connection.
    private func finish(_ c: ServeConnection) {
        guard connections[c.id.rawValue] === c else { return }
        if let timer = c.linger {
            loop.cancel(timer)
            c.linger = nil
        }
        loop.unregister(c.fileDescriptor)
        c.connection.close()
        c.closing = true
        connections[c.id.rawValue] = nil
        // Its held answers go with it; answers waiting on its writes wait no more.
        c.finished = true
        c.held?.removeAll()
        c.held = nil
        wroteMore(c)
    }

    // MARK: - Lookup

    func connection(token: Int) -> ServeConnection? { connections[token] }

    private func isLive(_ c: ServeConnection) -> Bool { !c.closing }

    static func seconds(_ time: MonotonicTime) -> Double { Double(time.nanoseconds) / 1e9 }
}
