import CJIMSys

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A single-threaded readiness loop: descriptors (epoll on Linux, poll elsewhere), one-shot
/// timers, and signals, all dispatched to one `EventHandler` by integer token.
///
/// - Descriptors are level-triggered: a descriptor stays reported while it is ready, so an owner
///   may stop after a budget of work per turn (fairness) and be called again next turn.
///   Descriptors that cannot be polled (regular files, `/dev/null` as stdin) are reported ready
///   on every turn for their interest, as poll(2) would.
/// - Timers are one-shot, in a binary heap: schedule and cancel are O(log n), due timers fire
///   in deadline order (ties in scheduling order) after the turn's I/O events.
/// - Idle deadlines for many connections: keep one timer per connection and a last-activity
///   time stamped from `now` (no system call); when the timer fires, if there was activity since,
///   schedule it again for the time left. Traffic then never touches the heap.
/// - Signals (`watchSignals`) arrive through a self-pipe written by a `sigaction` handler, so
///   they work whatever the threads' signal masks; one loop per process should watch signals.
///
/// Not thread-safe: make every call on the thread that runs the loop.
public final class EventLoop {
    private struct Registration {
        var token = 0
        var interest: IOEvents = []
        var active = false
        var alwaysReady = false
    }

    /// How many events one wait returns at most (epoll).
    static let batchSize = Int(CJIM_EPOLL_BATCH)

    private let epollFD: Int32
    private var registrations: [Registration] = []
    private var registered = 0
    private var alwaysReady: [Int32] = []
    private var pollSet: [pollfd] = []
    private var pollSetStale = true

    private var readyFDs: [Int32]
    private var readyEvents: [UInt32]
    private var readyCount = 0
    private var dispatchIndex = 0

    private var timers = TimerHeap()
    private var signalRead: Int32 = -1
    private var signalWrite: Int32 = -1
    private var watchedSignals: [Int32] = []
    private var stopRequested = false

    /// The time of the latest wake-up: cheap to read, for stamping activity.
    public private(set) var now: MonotonicTime

    /// A loop on epoll (Linux) or poll(2) (elsewhere).
    public convenience init() throws(SystemError) {
        #if os(Linux)
            try self.init(usePoll: false)
        #else
            try self.init(usePoll: true)
        #endif
    }

    /// A loop on poll(2) when `usePoll`, else on epoll (Linux only). Tests run both.
    init(usePoll: Bool) throws(SystemError) {
        #if os(Linux)
            epollFD = usePoll ? -1 : try Syscall.call("epoll_create1") { cjim_epoll_create() }
        #else
            epollFD = -1
        #endif
        readyFDs = Array(repeating: -1, count: EventLoop.batchSize)
        readyEvents = Array(repeating: 0, count: EventLoop.batchSize)
        now = MonotonicTime.now()
    }

    deinit {
        for signal in watchedSignals {
            _ = cjim_signal_unwatch(signal, signalWrite)
        }
        if signalRead >= 0 { Syscall.close(signalRead) }
        if signalWrite >= 0 { Syscall.close(signalWrite) }
        if epollFD >= 0 { Syscall.close(epollFD) }
    }

    /// How many descriptors are registered.
    public var registeredCount: Int { registered }

    /// How many timers are pending.
    public var pendingTimers: Int { timers.count }

    // MARK: Descriptors

    /// Watches `fd` for `interest` (readable, writable, both, or neither: errors and hangups
    /// are reported anyway), reporting it to the handler with `token`.
    public func register(_ fd: Int32, token: Int, interest: IOEvents) throws(SystemError) {
        guard fd >= 0 else { throw SystemError("epoll_ctl", errno: EBADF) }
        if Int(fd) >= registrations.count {
            registrations.append(
                contentsOf: repeatElement(
                    Registration(), count: max(Int(fd) + 1, registrations.count * 2) - registrations.count))
        }
        if registrations[Int(fd)].active { throw SystemError("epoll_ctl", errno: EEXIST) }
        var entry = Registration(token: token, interest: interest.intersection([.readable, .writable]), active: true)
        #if os(Linux)
            if epollFD >= 0 {
                let epfd = epollFD
                let bits = entry.interest.rawValue
                do {
                    _ = try Syscall.call("epoll_ctl") { cjim_epoll_add(epfd, fd, bits) }
                } catch let error where error.errno == EPERM {
                    // A regular file or similar: always ready, as poll(2) reports it.
                    entry.alwaysReady = true
                    alwaysReady.append(fd)
                }
            }
        #endif
        registrations[Int(fd)] = entry
        registered += 1
        pollSetStale = true
    }

    /// Changes the interest of a registered descriptor (no system call when unchanged).
    public func modify(_ fd: Int32, interest: IOEvents) throws(SystemError) {
        guard fd >= 0, Int(fd) < registrations.count, registrations[Int(fd)].active else {
            throw SystemError("epoll_ctl", errno: ENOENT)
        }
        let wanted = interest.intersection([.readable, .writable])
        guard registrations[Int(fd)].interest != wanted else { return }
        #if os(Linux)
            if epollFD >= 0 && !registrations[Int(fd)].alwaysReady {
                let epfd = epollFD
                _ = try Syscall.call("epoll_ctl") { cjim_epoll_modify(epfd, fd, wanted.rawValue) }
            }
        #endif
        registrations[Int(fd)].interest = wanted
        pollSetStale = true
    }

    /// The interest registered for `fd`, or nil when it is not registered.
    public func interest(of fd: Int32) -> IOEvents? {
        guard fd >= 0, Int(fd) < registrations.count, registrations[Int(fd)].active else { return nil }
        return registrations[Int(fd)].interest
    }

    /// Stops watching `fd`; events for it still pending in this turn are dropped. Call it
    /// before closing the descriptor. Unknown descriptors are ignored.
    public func unregister(_ fd: Int32) {
        guard fd >= 0, Int(fd) < registrations.count, registrations[Int(fd)].active else { return }
        let entry = registrations[Int(fd)]
        if entry.alwaysReady {
            if let index = alwaysReady.firstIndex(of: fd) { alwaysReady.remove(at: index) }
        } else {
            #if os(Linux)
                if epollFD >= 0 {
                    let epfd = epollFD
                    _ = try? Syscall.call("epoll_ctl") { cjim_epoll_delete(epfd, fd) }
                }
            #endif
        }
        registrations[Int(fd)] = Registration()
        registered -= 1
        pollSetStale = true
        var index = dispatchIndex + 1
        while index < readyCount {
            if readyFDs[index] == fd { readyFDs[index] = -1 }
            index += 1
        }
    }

    // MARK: Timers

    /// Schedules a one-shot timer reporting `token` after `delay` (from the current time).
    @discardableResult
    public func schedule(after delay: Duration, token: Int) -> TimerID {
        timers.schedule(at: MonotonicTime.now() + delay, token: token)
    }

    /// Schedules a one-shot timer reporting `token` at `deadline`.
    @discardableResult
    public func schedule(at deadline: MonotonicTime, token: Int) -> TimerID {
        timers.schedule(at: deadline, token: token)
    }

    /// Cancels a pending timer; returns false when it already fired or was cancelled.
    @discardableResult
    public func cancel(_ timer: TimerID) -> Bool {
        timers.cancel(timer)
    }

    // MARK: Signals

    /// Delivers `signals` (for example `[SIGTERM, SIGINT, SIGHUP]`) to the handler's
    /// `signalReceived` instead of their default action, until the loop is deinitialised (which
    /// restores the previous action). Also unblocks them in the calling thread, so that the
    /// loop's own thread can always take them.
    public func watchSignals(_ signals: [Int32]) throws(SystemError) {
        if signalRead < 0 {
            var fds: (Int32, Int32) = (-1, -1)
            _ = try withUnsafeMutableBytes(of: &fds) { (raw) throws(SystemError) -> Int32 in
                let pointer = raw.baseAddress!.assumingMemoryBound(to: Int32.self)
                return try Syscall.call("pipe") { cjim_pipe(pointer) }
            }
            signalRead = fds.0
            signalWrite = fds.1
            #if os(Linux)
                if epollFD >= 0 {
                    let epfd = epollFD
                    let fd = signalRead
                    _ = try Syscall.call("epoll_ctl") { cjim_epoll_add(epfd, fd, UInt32(CJIM_READABLE)) }
                }
            #endif
            pollSetStale = true
        }
        for signal in signals where !watchedSignals.contains(signal) {
            let fd = signalWrite
            _ = try Syscall.call("sigaction") { cjim_signal_watch(signal, fd) }
            watchedSignals.append(signal)
        }
    }

    // MARK: Running

    /// Runs turns until `stop()` is called (a `stop()` made before `run` ends it after one turn).
    public func run(_ handler: some EventHandler) throws(SystemError) {
        defer { stopRequested = false }
        while !stopRequested {
            try runOnce(handler, timeout: nil)
        }
    }

    /// Makes `run` return after the current turn.
    public func stop() {
        stopRequested = true
    }

    /// One turn: waits for readiness (at most until the next timer, or `timeout`), dispatches
    /// the ready descriptors and signals, then the due timers.
    public func runOnce(_ handler: some EventHandler, timeout: Duration?) throws(SystemError) {
        var deadline = timeout.map { MonotonicTime.now() + $0 }
        if let earliest = timers.earliest, deadline.map({ earliest < $0 }) ?? true {
            deadline = earliest
        }
        if hasAlwaysReadyInterest {
            deadline = MonotonicTime(nanoseconds: 0)
        }
        try wait(until: deadline)
        now = MonotonicTime.now()
        dispatchIndex = 0
        while dispatchIndex < readyCount {
            let fd = readyFDs[dispatchIndex]
            if fd == signalRead && fd >= 0 {
                drainSignals(handler)
            } else if fd >= 0 && Int(fd) < registrations.count && registrations[Int(fd)].active {
                handler.ready(
                    token: registrations[Int(fd)].token, events: IOEvents(rawValue: readyEvents[dispatchIndex]),
                    loop: self)
            }
            dispatchIndex += 1
        }
        readyCount = 0
        dispatchIndex = 0
        var index = 0
        while index < alwaysReady.count {
            let fd = alwaysReady[index]
            index += 1
            let entry = registrations[Int(fd)]
            if entry.active && !entry.interest.isEmpty {
                handler.ready(token: entry.token, events: entry.interest, loop: self)
            }
        }
        let mark = timers.sequenceMark
        while let token = timers.popDue(at: now, before: mark) {
            handler.timerFired(token: token, loop: self)
        }
    }

    private var hasAlwaysReadyInterest: Bool {
        alwaysReady.contains { !registrations[Int($0)].interest.isEmpty }
    }

    /// Fills `readyFDs`/`readyEvents`; an interrupted wait resumes with the time left.
    private func wait(until deadline: MonotonicTime?) throws(SystemError) {
        #if os(Linux)
            if epollFD >= 0 {
                let epfd = epollFD
                let count = readyFDs.withUnsafeMutableBufferPointer { fds in
                    readyEvents.withUnsafeMutableBufferPointer { events in
                        Result { () throws(SystemError) -> Int32 in
                            try Syscall.call("epoll_wait") {
                                let ms = deadline.map { MonotonicTime.now().milliseconds(until: $0) } ?? -1
                                return cjim_epoll_wait(epfd, fds.baseAddress, events.baseAddress, Int32(fds.count), ms)
                            }
                        }
                    }
                }
                readyCount = Int(try count.get())
                return
            }
        #endif
        try waitWithPoll(until: deadline)
    }

    private func waitWithPoll(until deadline: MonotonicTime?) throws(SystemError) {
        if pollSetStale {
            pollSet.removeAll(keepingCapacity: true)
            if signalRead >= 0 { pollSet.append(pollfd(fd: signalRead, events: Int16(POLLIN), revents: 0)) }
            for fd in registrations.indices where registrations[fd].active {
                var events: Int16 = 0
                if registrations[fd].interest.contains(.readable) { events |= Int16(POLLIN) }
                if registrations[fd].interest.contains(.writable) { events |= Int16(POLLOUT) }
                pollSet.append(pollfd(fd: Int32(fd), events: events, revents: 0))
            }
            pollSetStale = false
        }
        let result = pollSet.withUnsafeMutableBufferPointer { entries in
            Result { () throws(SystemError) -> Int32 in
                try Syscall.call("poll") {
                    let ms = deadline.map { MonotonicTime.now().milliseconds(until: $0) } ?? -1
                    #if canImport(Glibc)
                        return Glibc.poll(entries.baseAddress, nfds_t(entries.count), ms)
                    #else
                        return Darwin.poll(entries.baseAddress, nfds_t(entries.count), ms)
                    #endif
                }
            }
        }
        var remaining = Int(try result.get())
        readyCount = 0
        for entry in pollSet where remaining > 0 && entry.revents != 0 {
            remaining -= 1
            if readyCount == readyFDs.count {
                readyFDs.append(-1)
                readyEvents.append(0)
            }
            readyFDs[readyCount] = entry.fd
            readyEvents[readyCount] = IOEvents(pollEvents: entry.revents).rawValue
            readyCount += 1
        }
    }

    private func drainSignals(_ handler: some EventHandler) {
        let fd = signalRead
        var bytes: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        while true {
            let count = withUnsafeMutableBytes(of: &bytes) { raw in
                (try? Syscall.nonblocking("read") { read(fd, raw.baseAddress, raw.count) }) ?? nil
            }
            guard let count, count > 0 else { return }
            withUnsafeBytes(of: &bytes) { raw in
                for index in 0..<count {
                    handler.signalReceived(Int32(raw[index]), loop: self)
                }
            }
        }
    }
}
