import JIMCLI
import JIMCore
import JIMNet

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One run of `jim-send`: the event loop over the input and the socket.
///
/// Each turn: wait; serve the socket (answers in, the outbox out) or read the input once; then, after
/// the turn, submit as many records as the session wants (`wantsInput`: the window has room), write
/// them in one system call, and wait on the input only while the session wants more. At the end of
/// input the session waits for every answer and quits; the link closes without loss.
final class SendRun: EventHandler {
    private static let inputToken = 2
    private static let timeoutToken = 3

    let plan: SendTool.Plan
    let diagnostics: Diagnostics
    private let loop: EventLoop
    private let link: ClientLink
    private let input: SendTool.Input
    private var status = ExitStatus.ok
    private var watchedInput: Int32?
    private var inputEnded = false
    private var stopRequested = false
    private var stopped = false
    private var closeRequested = false
    private var done = false
    private var lastReported = 0
    private var lastProgress: MonotonicTime

    init(plan: SendTool.Plan, streams: Streams, diagnostics: Diagnostics) throws(SystemError) {
        self.plan = plan
        self.diagnostics = diagnostics
        loop = try EventLoop()
        let configuration = ClientSession.Configuration(
            identity: plan.settings.identity, window: plan.window, clock: { SystemTime.now() })
        link = ClientLink(
            settings: plan.settings, session: ClientSession(configuration: configuration), loop: loop,
            diagnostics: diagnostics)
        input = SendTool.Input(plan: plan, streams: streams)
        lastProgress = MonotonicTime.now()
    }

    /// Connects, sends everything, waits for every answer; returns the worst status seen.
    func run() throws(SystemError) -> ExitStatus {
        do {
            try link.connect { self.handle($0) }
        } catch {
            diagnostics.report(error)
            if case .timedOut = error { return .tempFail }
            if case .badAddress = error { return .usage }
            return .unavailable
        }
        try loop.watchSignals([SIGINT, SIGTERM])
        if let timeout = plan.timeout { loop.schedule(after: Self.duration(timeout), token: Self.timeoutToken) }
        afterTurn()
        while !done {
            try loop.runOnce(self, timeout: nil)
            afterTurn()
        }
        return status
    }

    // MARK: - EventHandler

    func ready(token: Int, events: IOEvents, loop: EventLoop) {
        switch token {
        case ClientLink.socketToken:
            let outcome = link.serviceSocket(events: events) { action in
                self.handle(action)
                return true
            }
            lastProgress = loop.now
            switch outcome {
            case .more, .drained, .stopped: break
            case .lost(let reason): connectionLost(reason)
            case .closed: done = true
            }
        case Self.inputToken:
            do {
                try input.fill()
            } catch {
                report(error)
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
            guard let timeout = plan.timeout, !done else { return }
            let waited = Double(loop.now.nanoseconds - min(lastProgress.nanoseconds, loop.now.nanoseconds)) / 1e9
            if link.session.inFlightCount == 0 || link.closing {
                lastProgress = loop.now
                loop.schedule(after: Self.duration(timeout), token: Self.timeoutToken)
            } else if waited >= timeout {
                timedOut(timeout)
            } else {
                loop.schedule(after: Self.duration(timeout - waited), token: Self.timeoutToken)
            }
        default:
            break
        }
    }

    func signalReceived(_ signal: Int32, loop: EventLoop) {
        stopped = true
        if link.connection == nil {
            done = true
            return
        }
        if !link.closing { link.handle(.quit) { self.handle($0) } }
    }

    // MARK: - After each turn

    /// Submits what the window allows, then decides what to wait for.
    private func afterTurn() {
        if done { return }
        if stopRequested && !stopped {
            stopped = true
            link.handle(.stop) { self.handle($0) }
        }
        if link.connection != nil && !link.closing && !stopped && !inputEnded {
            pumpInput()
        }
        if closeRequested && !link.closing && link.connection != nil {
            if link.beginClose() == .closed { done = true }
        }
        updateInputInterest()
    }

    /// Submits records while the session wants them; at the end of input tells the session.
    private func pumpInput() {
        while link.session.wantsInput && !stopRequested {
            guard let item = input.next() else { break }
            switch item {
            case .submission(let submission):
                link.handle(.submit(submission), flush: false) { self.handle($0) }
            case .bad(let label, let reason):
                diagnostics.error(label, reason)
                status = ClientStatus.worst(status, .dataError)
                if !plan.keepGoing { stopRequested = true }
            case .failed(let error):
                report(error)
            }
        }
        if stopRequested && !stopped {
            stopped = true
            link.handle(.stop, flush: false) { self.handle($0) }
        } else if input.isFinished && !inputEnded && !stopRequested {
            inputEnded = true
            link.handle(.endOfInput, flush: false) { self.handle($0) }
        }
        if !link.flush() { connectionLost("connection lost") }
    }

    /// Watches the input only while the session wants more.
    ///
    /// Not wanted, the descriptor is unregistered rather than left with no interest: a pipe whose
    /// writer has gone would report its hangup on every turn.
    private func updateInputInterest() {
        let wanted =
            !done && !stopped && !inputEnded && link.connection != nil && !link.closing
            && link.session.wantsInput
        let fd = wanted ? input.descriptor : nil
        if let watched = watchedInput, watched != fd {
            loop.unregister(watched)
            watchedInput = nil
        }
        guard let fd, watchedInput == nil else { return }
        do {
            try loop.register(fd, token: Self.inputToken, interest: .readable)
            watchedInput = fd
        } catch {
            report(StreamError.system(call: "epoll_ctl", code: error.errno))
        }
    }

    // MARK: - Session actions

    private func handle(_ action: ClientSession.Action) {
        switch action {
        case .answered(let answer):
            answered(answer)
        case .joined(let room, _):
            if plan.settings.verbose { diagnostics.emit("jim-send: joined \(room)\n") }
        case .unexpected(let text):
            if !plan.settings.quiet { diagnostics.error(link.address, text) }
        case .unacknowledged(let records, let reason):
            for text in input.labels.describe(records) { diagnostics.error("\(text) not acknowledged", reason) }
        case .finished:
            closeRequested = true
        case .identified, .ready, .message, .push:
            break
        }
    }

    private func answered(_ answer: ClientSession.Answer) {
        guard !answer.isSuccess else { return }
        let refusal = ClientStatus.describe(answer.response)
        status = ClientStatus.worst(status, ClientStatus.status(for: answer))
        guard let record = answer.record else {
            switch answer.request {
            case .identify:
                let action = plan.settings.identity.password == nil ? "presence" : "authenticate"
                diagnostics.error(link.address, "\(action) as \(plan.settings.identity.name)", refusal)
                stopped = true
            default:
                if !plan.settings.quiet { diagnostics.error(link.address, refusal) }
            }
            return
        }
        guard record != lastReported else { return }
        lastReported = record
        if case .join(let room) = answer.request {
            diagnostics.error(input.labels.label(of: record), "join \(room)", refusal)
        } else {
            diagnostics.error(input.labels.label(of: record), refusal)
        }
        if !plan.keepGoing { stopRequested = true }
    }

    // MARK: - Endings

    private func connectionLost(_ reason: String) {
        let finished = link.session.phase == .finished
        let unanswered = link.session.unacknowledgedRecords
        link.lost(reason) { self.handle($0) }
        if !finished {
            if unanswered.isEmpty { diagnostics.error(link.address, reason) }
            status = ClientStatus.worst(status, .unavailable)
        }
        done = true
    }

    private func timedOut(_ timeout: Double) {
        let seconds = timeout == timeout.rounded() ? "\(Int(timeout))" : "\(timeout)"
        let unanswered = link.session.unacknowledgedRecords
        diagnostics.error(link.address, "no answer within \(seconds) s")
        for text in input.labels.describe(unanswered) { diagnostics.error("\(text) not acknowledged", "timed out") }
        link.finishClose()
        status = ClientStatus.worst(status, .tempFail)
        done = true
    }

    private func report(_ error: StreamError) {
        diagnostics.report(error)
        status = ClientStatus.worst(status, error.exitStatus)
        stopRequested = true
    }

    private static func duration(_ seconds: Double) -> Duration {
        .nanoseconds(Int64(seconds * 1e9))
    }
}
