import JIMCLI
import JIMCore
import JIMNet

/// The connection of a client tool to its server: connects, moves bytes between the socket and a
/// `ClientSession`, shows frames at `-v`, and closes without loss.
///
/// The tool owns the `EventLoop` and registers the socket under `ClientLink.socketToken`; on every
/// readiness event it calls `serviceSocket(events:_:)`, which reads (at most `readsPerTurn` times 64 KiB),
/// decodes the frames, hands each to the session and each resulting action to the tool's closure at
/// once, and writes the session's outbox in one system call. Received frames are checked with
/// `FrameView` under `receiveLimits`, generous on purpose: a server may raise its limits, and a
/// listener should show what it is sent.
final class ClientLink {
    /// The event-loop token of the socket.
    static let socketToken = 0
    /// The event-loop token of the linger timer of a graceful close.
    static let lingerToken = 1
    /// Reads of 64 KiB per readiness event before the loop serves the tool's other descriptors.
    static let readsPerTurn = 16
    /// Limits for frames received: the standard names, large messages and frames.
    static let receiveLimits = Limits(message: 1 << 16, frame: 1 << 18)
    /// The write queue's bound; the session's window keeps it far below.
    static let maxQueue = 64 << 20

    /// What a socket event led to.
    enum Outcome: Equatable {
        /// More may be readable (the read budget ran out): keep reading next turn.
        case more
        /// Everything available was read: the tool may block now (flush its output first).
        case drained
        /// The tool's closure asked to stop reading (it has what it came for).
        case stopped
        /// The connection is gone; the reason reads like `connection closed by the server`.
        case lost(String)
        /// A graceful close has completed: unregistered and closed.
        case closed
    }

    let settings: ClientSettings
    let loop: EventLoop
    let diagnostics: Diagnostics
    var session: ClientSession
    /// The open connection, nil before `connect()` and after a loss or close.
    private(set) var connection: Connection?
    /// Whether a graceful close is under way.
    private(set) var closing = false
    private var decoder = FrameDecoder(limits: ClientLink.receiveLimits)
    private var actions: [ClientSession.Action] = []
    private var dispatching = false
    private let scratch: UnsafeMutableRawBufferPointer
    private var linger: TimerID?
    /// The socket receive buffer to ask for, or nil for the kernel's autotuning.
    let receiveBuffer: Int?

    /// A link for `session`; `receiveBuffer` (SO_RCVBUF) lets a listener absorb a burst while it is
    /// not scheduled, instead of the server's queue for it overflowing.
    init(
        settings: ClientSettings, session: ClientSession, loop: EventLoop, diagnostics: Diagnostics,
        receiveBuffer: Int? = nil
    ) {
        self.settings = settings
        self.receiveBuffer = receiveBuffer
        self.session = session
        self.loop = loop
        self.diagnostics = diagnostics
        scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        actions.reserveCapacity(16)
    }

    deinit {
        if let connection {
            loop.unregister(connection.fileDescriptor)
            connection.close()
        }
        scratch.deallocate()
    }

    /// The server as the user wrote it, for diagnostics.
    var address: String { settings.endpoint.description }

    /// Connects (blocking, within the connect timeout), registers the socket and tells the session,
    /// whose identity frame goes out at once.
    func connect(_ body: (ClientSession.Action) -> Void) throws(NetworkError) {
        let timeout = Duration.milliseconds(Int64(settings.connectTimeout * 1000))
        let socket = try Socket.connect(to: settings.endpoint, timeout: timeout)
        // Frames are written in batches already; Nagle's algorithm would only hold the last one back.
        if case .host = settings.endpoint { try? socket.setNoDelay() }
        if let receiveBuffer { try? socket.setReceiveBufferSize(receiveBuffer) }
        let connection = Connection(socket: socket, maxQueue: Self.maxQueue)
        do {
            try loop.register(connection.fileDescriptor, token: Self.socketToken, interest: .readable)
        } catch {
            throw .failed(address: address, error)
        }
        self.connection = connection
        closing = false
        decoder = FrameDecoder(limits: Self.receiveLimits)
        if settings.verbose { diagnostics.emit("\(diagnostics.toolName): connected to \(address)\n") }
        handle(.connected, body)
    }

    /// Hands `event` to the session, each action to `body`, then writes what the session queued.
    ///
    /// With `flush` false the outbox is left for a later `flush()`, so that many records go out in one
    /// write. Returns false when the write found the connection gone (the tool then calls `lost(_:_:)`).
    @discardableResult
    func handle(_ event: ClientSession.Event, flush: Bool = true, _ body: (ClientSession.Action) -> Void) -> Bool {
        _ = dispatch(event) { action in
            body(action)
            return true
        }
        return flush ? self.flush() : true
    }

    /// Hands `event` to the session and its actions to `body` until `body` returns false; returns
    /// whether every action was taken.
    ///
    /// The shared action buffer serves the outermost call; a call made from inside `body` (a tool that
    /// quits on an answer) gets its own, so no action is seen twice.
    private func dispatch(_ event: ClientSession.Event, _ body: (ClientSession.Action) -> Bool) -> Bool {
        var keepGoing = true
        if dispatching {
            var nested: [ClientSession.Action] = []
            session.handle(event, into: &nested)
            for action in nested where keepGoing { keepGoing = body(action) }
            return keepGoing
        }
        session.handle(event, into: &actions)
        dispatching = true
        for action in actions where keepGoing { keepGoing = body(action) }
        dispatching = false
        if !actions.isEmpty { actions.removeAll(keepingCapacity: true) }
        return keepGoing
    }

    /// Serves a readiness event of the socket: reads and decodes, or writes, or goes on closing.
    ///
    /// `body` gets each action as it comes and returns false to stop reading (say after the last
    /// message wanted); frames after it in the same read are dropped.
    func serviceSocket(events: IOEvents, _ body: (ClientSession.Action) -> Bool) -> Outcome {
        guard let connection else { return .closed }
        if closing { return continueClose() }
        if events.contains(.writable) && !flush() { return .lost(writeFailure ?? "connection lost") }
        guard events.contains(.readable) || events.contains(.hangup) || events.contains(.error) else { return .drained }
        for _ in 0..<Self.readsPerTurn {
            let result: ReadResult
            do {
                result = try connection.read(into: scratch)
            } catch {
                return .lost(error.reason)
            }
            switch result {
            case .wouldBlock:
                return flush() ? .drained : .lost(writeFailure ?? "connection lost")
            case .endOfFile:
                return .lost("connection closed by the server")
            case .bytes(let count):
                decoder.feed(UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
                if let outcome = decodeFrames(body) { return outcome }
                if closing { return continueClose() }
            }
        }
        return flush() ? .more : .lost(writeFailure ?? "connection lost")
    }

    /// Hands every complete frame to the session; nil to go on reading.
    private func decodeFrames(_ body: (ClientSession.Action) -> Bool) -> Outcome? {
        var keepGoing = true
        while let output = decoder.next() {
            switch output {
            case .frame(let raw):
                if settings.verbose { trace("< ", raw.bytes) }
                if ClientSession.isPlainOK(raw.bytes) {
                    keepGoing = dispatch(.receivedPlainOK, body)
                    break
                }
                let view: FrameView
                do {
                    view = try FrameView(parsing: raw.bytes, limits: Self.receiveLimits)
                } catch {
                    keepGoing = dispatch(.badFrame(error), body)
                    break
                }
                // A pushed msg changes nothing in the session: straight to the tool.
                if view.string(.action, equals: "msg") {
                    keepGoing = body(.message(view))
                } else {
                    keepGoing = dispatch(.received(view), body)
                }
            case .error(let error):
                keepGoing = dispatch(.badFrame(error), body)
                if error.kind == .unrecoverable {
                    return .lost("the server's stream cannot be decoded: \(error.reason)")
                }
            }
            if !keepGoing { return flush() ? .stopped : .lost(writeFailure ?? "connection lost") }
        }
        return nil
    }

    private var writeFailure: String?

    /// Writes the session's outbox (straight from it when nothing is queued) and sets write interest.
    ///
    /// Returns false when the connection is gone.
    func flush() -> Bool {
        guard let connection else { return true }
        if !session.outbox.isEmpty {
            if settings.verbose { traceOutbox() }
            var sent = 0
            if !connection.hasPendingWrites {
                let result = session.outbox.withUnsafeBytes { raw in
                    Result { () throws(SystemError) -> Int? in try connection.socket.write(raw) }
                }
                do {
                    sent = try result.get() ?? 0
                } catch {
                    writeFailure = error.reason
                    return false
                }
            }
            if sent < session.outbox.count {
                guard session.outbox[sent...].withUnsafeBytes({ connection.enqueue($0) }) else {
                    writeFailure = "write queue full"
                    return false
                }
            }
            session.removeOutbox()
        }
        do {
            let drained = try connection.flush()
            if !closing {
                try loop.modify(connection.fileDescriptor, interest: drained ? .readable : [.readable, .writable])
            }
        } catch {
            writeFailure = error.reason
            return false
        }
        return true
    }

    /// The connection is gone: forgets it and tells the session, whose actions go to `body`.
    func lost(_ reason: String, _ body: (ClientSession.Action) -> Void) {
        if let connection {
            loop.unregister(connection.fileDescriptor)
            connection.close()
        }
        connection = nil
        closing = false
        if let linger { loop.cancel(linger) }
        linger = nil
        _ = dispatch(.disconnected(reason: reason)) { action in
            body(action)
            return true
        }
    }

    /// Starts a graceful close after the session's `finished`: what is queued is sent, the sending
    /// side shut down, input drained until the server closes (at most `Connection.lingerTimeout`).
    func beginClose() -> Outcome {
        guard let connection, !closing else { return connection == nil ? .closed : .more }
        _ = flush()
        closing = true
        connection.beginClose()
        linger = loop.schedule(after: Connection.lingerTimeout, token: Self.lingerToken)
        return continueClose()
    }

    /// Advances a graceful close; `.closed` when done.
    func continueClose() -> Outcome {
        guard let connection else { return .closed }
        switch connection.continueClose(scratch: scratch) {
        case .waiting(let events):
            try? loop.modify(connection.fileDescriptor, interest: events)
            return .more
        case .finished:
            finishClose()
            return .closed
        }
    }

    /// Ends a graceful close now (its linger timer fired, or it finished).
    func finishClose() {
        if let connection {
            loop.unregister(connection.fileDescriptor)
            connection.close()
        }
        connection = nil
        closing = false
        if let linger { loop.cancel(linger) }
        linger = nil
    }

    // MARK: - Tracing (-v)

    /// Writes `prefix` and one frame's text to stderr.
    private func trace(_ prefix: String, _ frame: ArraySlice<UInt8>) {
        var line = Array(prefix.utf8)
        line.reserveCapacity(frame.count + 3)
        line += frame
        line.append(0x0A)
        diagnostics.emit(String(decoding: line, as: UTF8.self))
    }

    /// Shows each frame of the outbox, the password of `authenticate` hidden.
    private func traceOutbox() {
        for frame in session.outbox.split(separator: 0x0A) {
            if let view = try? FrameView(parsing: frame), view.string(.action, equals: "authenticate"),
                var parsed = try? view.frame(limits: Self.receiveLimits), var user = parsed.object["user"]?.object
            {
                user["password"] = .string("********")
                parsed.object["user"] = .object(user)
                trace("> ", parsed.encoded().dropLast())
            } else {
                trace("> ", frame)
            }
        }
    }
}
