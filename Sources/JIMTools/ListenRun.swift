import JIMCLI
import JIMCore
import JIMNet

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One run of `jim-listen`: the event loop over the socket, with standard output watched for its
/// reader going away.
///
/// Messages are rendered into one buffer as they are decoded and written out whenever the socket has
/// nothing more to read (about to block), so every line is visible at once and a flood is written in
/// large blocks.
final class ListenRun: EventHandler {
    private static let outputToken = 2
    private static let timeoutToken = 3
    private static let reconnectToken = 4
    /// The first wait before reconnecting, and the longest.
    static let firstBackoff = 0.1
    static let longestBackoff = 5.0
    /// SO_RCVBUF for the listener's socket (the kernel caps it at net.core.rmem_max and doubles it).
    static let receiveBuffer = 4 << 20

    let plan: ListenTool.Plan
    let diagnostics: Diagnostics
    private let loop: EventLoop
    private let link: ClientLink
    private let writer: OutputWriter
    private let output: Int32
    private var out: [UInt8] = []
    private var status = ExitStatus.ok
    private var received = 0
    private var quitting = false
    private var done = false
    private var everReady = false
    private var reconnecting = false
    private var backoff = ListenRun.firstBackoff
    private var lastMessage: MonotonicTime

    init(plan: ListenTool.Plan, streams: Streams, diagnostics: Diagnostics) throws(SystemError) {
        self.plan = plan
        self.diagnostics = diagnostics
        loop = try EventLoop()
        let configuration = ClientSession.Configuration(
            identity: plan.settings.identity, rooms: plan.rooms, clock: { SystemTime.now() })
        link = ClientLink(
            settings: plan.settings, session: ClientSession(configuration: configuration), loop: loop,
            diagnostics: diagnostics,
            receiveBuffer: Self.receiveBuffer)
        writer = OutputWriter(descriptor: streams.output)
        output = streams.output
        out.reserveCapacity(1 << 17)
        lastMessage = MonotonicTime.now()
    }

    /// Connects and prints messages until the count, a timeout, a signal, a closed output or a lost
    /// connection (without `--reconnect`) ends the run.
    func run() throws(SystemError) -> ExitStatus {
        do {
            try link.connect { self.handle($0) }
        } catch {
            diagnostics.report(error)
            if case .timedOut = error { return .tempFail }
            return .unavailable
        }
        try loop.watchSignals([SIGINT, SIGTERM])
        // Errors and hangups are reported whatever the interest: the reader of a pipe going away.
        try? loop.register(output, token: Self.outputToken, interest: [])
        if let timeout = plan.timeout { loop.schedule(after: Self.duration(timeout), token: Self.timeoutToken) }
        while !done {
            try loop.runOnce(self, timeout: nil)
        }
        loop.unregister(output)
        if !writeOut() { return status }
        return status
    }

    // MARK: - EventHandler

    func ready(token: Int, events: IOEvents, loop: EventLoop) {
        switch token {
        case ClientLink.socketToken:
            let outcome = link.serviceSocket(events: events) { action in self.handle(action) }
            switch outcome {
            case .more:
                if out.count >= 1 << 16 { _ = writeOut(flush: false) }
            case .drained:
                _ = writeOut()
            case .stopped:
                _ = writeOut()
                quit()
            case .lost(let reason):
                _ = writeOut()
                connectionLost(reason)
            case .closed:
                done = true
            }
        case Self.outputToken:
            if events.contains(.error) || events.contains(.hangup) {
                loop.unregister(output)
                outputClosed()
            }
        default:
            break
        }
    }

    func timerFired(token: Int, loop: EventLoop) {
        switch token {
        case ClientLink.lingerToken:
            link.finishClose()
            done = true
        case Self.timeoutToken:
            guard let timeout = plan.timeout, !done, !quitting else { return }
            let waited = Double(loop.now.nanoseconds - min(lastMessage.nanoseconds, loop.now.nanoseconds)) / 1e9
            if waited >= timeout {
                let seconds = timeout == timeout.rounded() ? "\(Int(timeout))" : "\(timeout)"
                diagnostics.error("no message within \(seconds) s")
                status = ClientStatus.worst(status, .tempFail)
                quit()
            } else {
                loop.schedule(after: Self.duration(timeout - waited), token: Self.timeoutToken)
            }
        case Self.reconnectToken:
            reconnect()
        default:
            break
        }
    }

    func signalReceived(_ signal: Int32, loop: EventLoop) {
        _ = writeOut()
        quit()
    }

    // MARK: - Session actions

    /// Handles one action; false stops reading (the count is reached, or the output is gone).
    @discardableResult
    private func handle(_ action: ClientSession.Action) -> Bool {
        switch action {
        case .message(let view):
            guard !quitting else { return false }
            render(view)
            lastMessage = loop.now
            if out.count >= 1 << 16 && !writeOut(flush: false) { return false }
            if let count = plan.count, received >= count { return false }
        case .ready:
            ready()
        case .answered(let answer):
            answered(answer)
        case .push(let view):
            if plan.settings.verbose { showPush(view) }
        case .unexpected(let text):
            if !plan.settings.quiet { diagnostics.error(link.address, text) }
        case .finished:
            if link.beginClose() == .closed { done = true }
        case .joined(let room, _):
            if plan.settings.verbose { diagnostics.emit("jim-listen: joined \(room)\n") }
        case .identified, .unacknowledged:
            break
        }
        return true
    }

    /// Appends the record of one pushed msg.
    private func render(_ view: FrameView) {
        guard let formatter = plan.formatter else {
            let raw = view.bytes
            if raw.contains(0x0A) || raw.contains(0x0D), let frame = try? view.frame(limits: ClientLink.receiveLimits) {
                frame.encode(to: &out)
                out[out.count - 1] = plan.terminator
            } else {
                out.append(contentsOf: raw)
                out.append(plan.terminator)
            }
            received += 1
            return
        }
        if plan.viewCanRender, FrameFormatter.isValidMessage(view, limits: ClientLink.receiveLimits) {
            formatter.render(message: view, into: &out)
            received += 1
            return
        }
        do {
            let frame = try view.frame(limits: ClientLink.receiveLimits)
            formatter.render(frame, into: &out)
            received += 1
        } catch {
            if !plan.settings.quiet { diagnostics.error(link.address, "a msg that is not valid: \(error.reason)") }
        }
    }

    private func ready() {
        backoff = Self.firstBackoff
        lastMessage = loop.now
        let name = plan.settings.identity.name
        if everReady {
            if !plan.settings.quiet { diagnostics.error("reconnected to \(link.address) as \(name)") }
        } else if plan.settings.verbose {
            let rooms = plan.rooms.isEmpty ? "" : " in " + plan.rooms.joined(separator: ", ")
            diagnostics.error("listening as \(name)\(rooms)")
        }
        everReady = true
    }

    private func answered(_ answer: ClientSession.Answer) {
        guard !answer.isSuccess else { return }
        let refusal = ClientStatus.describe(answer.response)
        switch answer.request {
        case .identify:
            let action = plan.settings.identity.password == nil ? "presence" : "authenticate"
            diagnostics.error(link.address, "\(action) as \(plan.settings.identity.name)", refusal)
        case .join(let room):
            diagnostics.error(link.address, "join \(room)", refusal)
        default:
            if !plan.settings.quiet { diagnostics.error(link.address, refusal) }
            return
        }
        status = ClientStatus.worst(status, ClientStatus.status(for: answer))
        quit()
    }

    private func showPush(_ view: FrameView) {
        if view[.response] != nil {
            let code = view.withRawBytes(.response) { String(decoding: $0, as: UTF8.self) } ?? "?"
            let text = view.string(.alert) ?? view.string(.error) ?? ""
            diagnostics.error("notice \(code)", text)
        } else {
            diagnostics.error("push", String(decoding: view.bytes, as: UTF8.self))
        }
    }

    // MARK: - Endings

    /// Sends quit (once) and closes without loss; the run ends when the close is done.
    private func quit() {
        guard !quitting else { return }
        quitting = true
        loop.unregister(output)
        if link.connection == nil {
            done = true
            return
        }
        link.handle(.quit) { self.handle($0) }
        if link.connection == nil { done = true }
    }

    /// Writes out what is rendered (and flushes, unless told not to); false when the output is gone.
    @discardableResult
    private func writeOut(flush: Bool = true) -> Bool {
        do {
            if !out.isEmpty {
                try writer.write(out)
                out.removeAll(keepingCapacity: true)
            }
            if flush { try writer.flush() }
            return true
        } catch {
            out.removeAll(keepingCapacity: true)
            if error == .closed {
                outputClosed()
            } else {
                diagnostics.report(error)
                status = ClientStatus.worst(status, error.exitStatus)
                quit()
            }
            return false
        }
    }

    /// The reader of standard output went away: quit quietly, status unchanged.
    private func outputClosed() {
        quit()
    }

    private func connectionLost(_ reason: String) {
        let wasQuitting = quitting
        link.lost(reason) { self.handle($0) }
        if wasQuitting {
            done = true
            return
        }
        guard plan.reconnect else {
            diagnostics.error(link.address, reason)
            status = ClientStatus.worst(status, .unavailable)
            done = true
            return
        }
        if !plan.settings.quiet { diagnostics.error(link.address, "\(reason); reconnecting") }
        scheduleReconnect()
    }

    private func scheduleReconnect() {
        reconnecting = true
        loop.schedule(after: Self.duration(backoff), token: Self.reconnectToken)
    }

    private func reconnect() {
        guard reconnecting, !quitting, !done else { return }
        reconnecting = false
        do {
            try link.connect { self.handle($0) }
        } catch {
            backoff = min(backoff * 2, Self.longestBackoff)
            if plan.settings.verbose { diagnostics.error("\(error); retrying in \(backoff) s") }
            scheduleReconnect()
        }
    }

    private static func duration(_ seconds: Double) -> Duration {
        .nanoseconds(Int64(seconds * 1e9))
    }
}
