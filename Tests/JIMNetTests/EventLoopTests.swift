import Testing

@testable import JIMNet

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct EventLoopTests {
    /// Both back ends: epoll (Linux) and poll(2), the Darwin one.
    static let backends = [false, true]

    /// Runs turns until `done` or a 5 s safety limit.
    private func run(_ loop: EventLoop, _ handler: RecordingHandler, until done: () -> Bool) throws {
        let deadline = MonotonicTime.now() + .seconds(5)
        while !done() && MonotonicTime.now() < deadline {
            try loop.runOnce(handler, timeout: .milliseconds(100))
        }
    }

    @Test(arguments: backends)
    func timersFireInDeadlineOrderThenSchedulingOrder(usePoll: Bool) throws {
        let loop = try EventLoop(usePoll: usePoll)
        let handler = RecordingHandler()
        let base = MonotonicTime.now()
        loop.schedule(at: base + .milliseconds(30), token: 3)
        loop.schedule(at: base + .milliseconds(10), token: 1)
        loop.schedule(at: base + .milliseconds(20), token: 2)
        loop.schedule(at: base + .milliseconds(40), token: 4)
        loop.schedule(at: base + .milliseconds(40), token: 5)
        loop.schedule(at: base + .milliseconds(40), token: 6)
        try run(loop, handler) { handler.timerTokens.count == 6 }
        #expect(handler.timerTokens == [1, 2, 3, 4, 5, 6])
        #expect(MonotonicTime.now() - base >= .milliseconds(40))
        #expect(loop.pendingTimers == 0)
    }

    @Test(arguments: backends)
    func cancelledTimerNeverFires(usePoll: Bool) throws {
        let loop = try EventLoop(usePoll: usePoll)
        let handler = RecordingHandler()
        let cancelled = loop.schedule(after: .milliseconds(10), token: 1)
        loop.schedule(after: .milliseconds(30), token: 2)
        #expect(loop.cancel(cancelled))
        #expect(!loop.cancel(cancelled))
        try run(loop, handler) { handler.timerTokens.count == 1 }
        try loop.runOnce(handler, timeout: .milliseconds(20))
        #expect(handler.timerTokens == [2])
    }

    @Test func staleTimerIDDoesNotCancelTheTimerReusingItsSlot() throws {
        let loop = try EventLoop()
        let handler = RecordingHandler()
        let first = loop.schedule(after: .zero, token: 1)
        try loop.runOnce(handler, timeout: .milliseconds(100))
        #expect(handler.timerTokens == [1])
        loop.schedule(after: .milliseconds(1), token: 2)  // reuses the first timer's slot
        #expect(!loop.cancel(first))
        try run(loop, handler) { handler.timerTokens.count == 2 }
        #expect(handler.timerTokens == [1, 2])
    }

    @Test func timerScheduledWhileFiringWaitsForTheNextTurn() throws {
        let loop = try EventLoop()
        let handler = RecordingHandler()
        var rescheduled = 0
        handler.onTimer = { _, loop in
            rescheduled += 1
            if rescheduled < 100 { loop.schedule(after: .zero, token: 9) }
        }
        loop.schedule(after: .zero, token: 9)
        try loop.runOnce(handler, timeout: .milliseconds(100))
        #expect(handler.timerTokens == [9])
    }

    @Test(arguments: backends)
    func dispatchesReadinessByToken(usePoll: Bool) throws {
        let loop = try EventLoop(usePoll: usePoll)
        let handler = RecordingHandler()
        let (a, b) = try Socket.pair()
        try loop.register(a.fileDescriptor, token: 42, interest: .readable)
        #expect(loop.registeredCount == 1)
        #expect(loop.interest(of: a.fileDescriptor) == .readable)
        try loop.runOnce(handler, timeout: .milliseconds(20))
        #expect(handler.events.isEmpty)

        try TestSupport.writeAll(b, [1, 2, 3])
        try loop.runOnce(handler, timeout: .seconds(5))
        #expect(handler.events == [.ready(42, .readable)])

        handler.events = []
        try loop.modify(a.fileDescriptor, interest: .writable)
        try loop.runOnce(handler, timeout: .seconds(5))
        #expect(handler.events == [.ready(42, .writable)])

        handler.events = []
        loop.unregister(a.fileDescriptor)
        #expect(loop.registeredCount == 0)
        #expect(loop.interest(of: a.fileDescriptor) == nil)
        try loop.runOnce(handler, timeout: .milliseconds(20))
        #expect(handler.events.isEmpty)
    }

    @Test(arguments: backends)
    func registeringTwiceFails(usePoll: Bool) throws {
        let loop = try EventLoop(usePoll: usePoll)
        let (a, _) = try Socket.pair()
        try loop.register(a.fileDescriptor, token: 1, interest: .readable)
        #expect(throws: SystemError("epoll_ctl", errno: EEXIST)) {
            try loop.register(a.fileDescriptor, token: 2, interest: .readable)
        }
        #expect(throws: SystemError("epoll_ctl", errno: ENOENT)) {
            try loop.modify(a.fileDescriptor + 1000, interest: .readable)
        }
    }

    @Test(arguments: backends)
    func unregisteringDropsEventsStillPendingInTheTurn(usePoll: Bool) throws {
        let loop = try EventLoop(usePoll: usePoll)
        let handler = RecordingHandler()
        let (a, b) = try Socket.pair()
        let (c, d) = try Socket.pair()
        try loop.register(a.fileDescriptor, token: 1, interest: .readable)
        try loop.register(c.fileDescriptor, token: 2, interest: .readable)
        try TestSupport.writeAll(b, [1])
        try TestSupport.writeAll(d, [1])
        #expect(try a.wait(for: .readable, timeout: .seconds(5)).contains(.readable))
        #expect(try c.wait(for: .readable, timeout: .seconds(5)).contains(.readable))
        handler.onReady = { token, _, loop in
            // Whichever comes first closes the other, as a server dropping a client would.
            loop.unregister(token == 1 ? c.fileDescriptor : a.fileDescriptor)
        }
        try loop.runOnce(handler, timeout: .seconds(5))
        #expect(handler.events.count == 1)
    }

    @Test(arguments: backends)
    func peerCloseIsReportedAsReadableThenEndOfFile(usePoll: Bool) throws {
        let loop = try EventLoop(usePoll: usePoll)
        let handler = RecordingHandler()
        let (a, b) = try Socket.pair()
        try loop.register(a.fileDescriptor, token: 5, interest: .readable)
        b.close()
        try loop.runOnce(handler, timeout: .seconds(5))
        guard case .ready(5, let events) = handler.events.first else {
            Issue.record("no event: \(handler.events)")
            return
        }
        #expect(events.contains(.readable))
        var byte: UInt8 = 0
        #expect(try withUnsafeMutableBytes(of: &byte) { try a.read(into: $0) } == .endOfFile)
    }

    @Test(arguments: backends)
    func regularFileIsAlwaysReady(usePoll: Bool) throws {
        let directory = TestSupport.temporaryDirectory()
        defer { TestSupport.remove(directory: directory, files: ["f"]) }
        let fd = open("\(directory)/f", O_CREAT | O_RDWR, 0o600)
        #expect(fd >= 0)
        defer { close(fd) }
        let loop = try EventLoop(usePoll: usePoll)
        let handler = RecordingHandler()
        // stdin redirected from a file: epoll refuses it (EPERM), poll(2) says it is ready.
        try loop.register(fd, token: 0, interest: .readable)
        let started = MonotonicTime.now()
        try loop.runOnce(handler, timeout: .seconds(5))
        #expect(handler.events.count == 1)
        #expect(
            handler.events.first.map { if case .ready(0, let e) = $0 { e.contains(.readable) } else { false } } == true)
        #expect(MonotonicTime.now() - started < .seconds(2))

        // With no interest it is not reported, and the loop waits.
        handler.events = []
        try loop.modify(fd, interest: [])
        try loop.runOnce(handler, timeout: .milliseconds(20))
        #expect(handler.events.isEmpty)
        loop.unregister(fd)
        #expect(loop.registeredCount == 0)
    }

    @Test func signalsArriveAsEvents() throws {
        let loop = try EventLoop()
        let handler = RecordingHandler()
        try loop.watchSignals([SIGHUP, SIGUSR2])
        raise(SIGHUP)  // to this thread
        raise(SIGUSR2)
        try run(loop, handler) { handler.events.count >= 2 }
        #expect(handler.events == [.signal(SIGHUP), .signal(SIGUSR2)])
        // To the process, as `kill -HUP` sends it: any thread may run the handler.
        handler.events = []
        kill(getpid(), SIGHUP)
        try run(loop, handler) { handler.events.count >= 1 }
        #expect(handler.events == [.signal(SIGHUP)])
    }

    @Test func runReturnsAfterStop() throws {
        let loop = try EventLoop()
        let handler = RecordingHandler()
        handler.onTimer = { token, loop in
            if token == 2 { loop.stop() }
        }
        loop.schedule(after: .milliseconds(1), token: 1)
        loop.schedule(after: .milliseconds(2), token: 2)
        loop.schedule(after: .seconds(30), token: 3)
        try loop.run(handler)
        #expect(handler.timerTokens == [1, 2])
        #expect(loop.pendingTimers == 1)
    }

    @Test func nowAdvancesWithEachTurn() throws {
        let loop = try EventLoop()
        let before = loop.now
        try loop.runOnce(RecordingHandler(), timeout: .milliseconds(5))
        #expect(loop.now - before >= .milliseconds(5))
    }
}
