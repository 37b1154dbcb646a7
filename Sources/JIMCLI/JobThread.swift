/// A second thread that runs one job at a time beside the caller: to split a step of work in two, the
/// caller hands one part to `begin`, does the other itself, then `finish`es.
///
/// The thread starts with the first job. If the system cannot start one, `begin` runs the job on the
/// caller's thread before it returns, so the result is the same either way. The owner calls `stop()`
/// before it goes (the thread holds this object until it ends).
public final class JobThread: @unchecked Sendable {
    private let lock = ConditionLock()
    // Guarded by `lock`:
    private var job: (@Sendable () -> Void)?
    private var running = false
    private var stopping = false
    private var thread: WorkerThread?
    private var inline = false

    public init() {}

    /// Hands `job` to the thread; the previous job must have been `finish`ed.
    public func begin(_ job: @escaping @Sendable () -> Void) {
        lock.lock()
        precondition(self.job == nil && !running, "JobThread.begin before the last job was finished")
        if thread == nil && !inline {
            thread = WorkerThread.start { [self] in work() }
            if thread == nil { inline = true }
        }
        if inline {
            lock.unlock()
            job()
            return
        }
        self.job = job
        running = true
        lock.signalAll()
        lock.unlock()
    }

    /// Waits until the job handed over last has returned.
    public func finish() {
        lock.lock()
        while running { lock.wait() }
        lock.unlock()
    }

    /// Lets the job in hand finish, ends the thread and waits for it.
    public func stop() {
        lock.lock()
        stopping = true
        let ending = thread
        thread = nil
        inline = true
        lock.signalAll()
        lock.unlock()
        ending?.join()
    }

    private func work() {
        lock.lock()
        while true {
            while job == nil && !stopping { lock.wait() }
            guard let next = job else { break }
            job = nil
            lock.unlock()
            next()
            lock.lock()
            running = false
            lock.signalAll()
        }
        lock.unlock()
    }
}
