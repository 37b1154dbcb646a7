#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A second thread that writes full buffers for an `OutputWriter`, so that a bulk run overlaps its
/// own work with the kernel's copying of what it already produced.
///
/// Double buffering: the writer fills one buffer while this thread writes the other. `handOff`
/// gives a full buffer and returns the spare one once it is free; `wait` returns when nothing is in
/// flight. A write error is kept and reported by the next `handOff` or `wait`. The thread starts on
/// the first hand-off, so a run that never fills a buffer never starts it.
final class BackgroundWrites: @unchecked Sendable {
    private let descriptor: Int32
    private let lock = ConditionLock()
    // Guarded by `lock`:
    private var spare: UnsafeMutableRawPointer
    private var pending: (base: UnsafeMutableRawPointer, count: Int)?
    private var failure: StreamError?
    private var stopping = false
    private var thread: WorkerThread?
    /// Set when the thread could not be started: hand-offs are then written on the caller's thread.
    private var inline = false

    /// Takes ownership of `spare`, a buffer as large as the writer's.
    init(descriptor: Int32, spare: UnsafeMutableRawPointer) {
        self.descriptor = descriptor
        self.spare = spare
    }

    deinit {
        spare.deallocate()
    }

    /// Queues `count` bytes of `base` for writing and returns the free buffer, which the caller now
    /// owns (`base` is owned by this object until it comes back from a later call). Throws the error
    /// of an earlier write, if one failed.
    func handOff(_ base: UnsafeMutableRawPointer, count: Int) throws(StreamError) -> UnsafeMutableRawPointer {
        lock.lock()
        while pending != nil { lock.wait() }
        if let failure {
            lock.unlock()
            throw failure
        }
        if thread == nil && !inline { start() }
        if inline {
            lock.unlock()
            try SystemCall.writeAll(descriptor, base, count)
            return base
        }
        let free = spare
        spare = base
        pending = (base, count)
        lock.signalAll()
        lock.unlock()
        return free
    }

    /// Returns once everything handed off is written; throws the error of a write that failed.
    func wait() throws(StreamError) {
        lock.lock()
        while pending != nil { lock.wait() }
        let failure = self.failure
        lock.unlock()
        if let failure { throw failure }
    }

    /// Ends the thread after the write in hand and waits for it; the owner calls this before it goes
    /// (the thread holds a reference of its own, so this object's `deinit` cannot do it).
    func stop() {
        lock.lock()
        stopping = true
        let running = thread
        thread = nil
        lock.signalAll()
        lock.unlock()
        running?.join()
    }

    /// Starts the thread; called with `lock` held. The thread's closure holds this object until it
    /// ends, which `stop()` brings about.
    private func start() {
        thread = WorkerThread.start { [self] in work() }
        if thread == nil { inline = true }
    }

    /// The thread: write each buffer handed off, until `stop()`.
    private func work() {
        lock.lock()
        while true {
            while pending == nil && !stopping { lock.wait() }
            guard let job = pending else { break }
            lock.unlock()
            var result: StreamError?
            if failure == nil {
                do {
                    try SystemCall.writeAll(descriptor, job.base, job.count)
                } catch {
                    result = error
                }
            }
            lock.lock()
            if let result { failure = result }
            pending = nil
            lock.signalAll()
        }
        lock.unlock()
    }
}
