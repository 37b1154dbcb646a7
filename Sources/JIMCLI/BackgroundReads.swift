#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A second thread that reads a regular file ahead while the tool works, for a `LineReader` in bulk
/// use: the kernel's copying then overlaps the tool's own work.
///
/// Only for regular files, whose read(2) never waits for a writer: the thread always finishes its
/// read, so `stop()` can join it. Double-buffered in blocks of 1 MiB: the thread reads the next
/// block while `take` hands out the current one a piece at a time, without locking; only a used-up
/// block takes the lock (one wake-up per MiB). A read error is kept and thrown by `take`; after end
/// of file `take` returns 0.
final class BackgroundReads: @unchecked Sendable {
    private let descriptor: Int32
    private let size: Int
    /// The thread reads this many bytes at a time: one wake-up per block, not per `take`.
    private let blockSize: Int
    /// The block the thread reads into (touched only while a read is wanted or under way).
    private var block: UnsafeMutableRawPointer
    /// The block `take` hands out, its length, and how much of it has been taken.
    private var current: UnsafeMutableRawPointer
    private var currentCount = 0
    private var currentTaken = 0
    private let lock = ConditionLock()
    // Guarded by `lock`:
    /// Bytes in `block` ready to take (0: end of file), or nil while a read is wanted or under way.
    private var ready: Int?
    private var failure: StreamError?
    private var wanted = false
    private var stopping = false
    private var thread: WorkerThread?
    /// Set when the thread could not be started: `take` then reads on the caller's thread.
    private var inline = false

    /// Reads `descriptor` (a regular file) in blocks of `blockSize` bytes (at least `size`) and hands
    /// them out `size` bytes at a time.
    init(descriptor: Int32, size: Int, blockSize: Int = 1 << 20) {
        self.descriptor = descriptor
        self.size = size
        self.blockSize = max(size, blockSize)
        self.block = UnsafeMutableRawPointer.allocate(byteCount: self.blockSize, alignment: 16)
        self.current = UnsafeMutableRawPointer.allocate(byteCount: self.blockSize, alignment: 16)
    }

    deinit {
        block.deallocate()
        current.deallocate()
    }

    /// Ends the thread after the read in hand and waits for it; the owner calls this before it goes
    /// (the thread holds a reference of its own, so this object's `deinit` cannot do it).
    func stop() {
        lock.lock()
        stopping = true
        let running = thread
        thread = nil
        inline = true
        lock.signalAll()
        lock.unlock()
        running?.join()
    }

    /// Copies the next piece of the file, at most `size` bytes (`maximum` must allow that), to
    /// `destination` and returns its length, 0 at end of file. Only a finished block takes the lock.
    func take(into destination: UnsafeMutableRawPointer, maximum: Int) throws(StreamError) -> Int {
        precondition(maximum >= size, "BackgroundReads.take: room for less than a piece")
        if currentTaken == currentCount {
            try nextBlock()
            if currentCount == 0 { return 0 }
        }
        let count = min(size, currentCount - currentTaken)
        destination.copyMemory(from: current + currentTaken, byteCount: count)
        currentTaken += count
        return count
    }

    /// Makes the block the thread has read current (waiting for it if need be), and sets the
    /// thread reading the next one into the block just used up.
    private func nextBlock() throws(StreamError) {
        lock.lock()
        if thread == nil && !inline {
            start()
            wanted = true
            lock.signalAll()
        }
        if inline {
            lock.unlock()
            currentCount = try SystemCall.readSome(descriptor, current, blockSize)
            currentTaken = 0
            return
        }
        while ready == nil && failure == nil { lock.wait() }
        if let failure {
            lock.unlock()
            throw failure
        }
        let count = ready ?? 0
        swap(&block, &current)
        currentCount = count
        currentTaken = 0
        if count > 0 {
            ready = nil
            wanted = true
            lock.signalAll()
        }
        lock.unlock()
    }

    /// Starts the thread; called with `lock` held. The thread's closure holds this object until it
    /// ends, which `stop()` brings about.
    private func start() {
        thread = WorkerThread.start { [self] in work() }
        if thread == nil { inline = true }
    }

    /// The thread: one read each time a block is wanted, until end of file, an error or `stop()`.
    private func work() {
        lock.lock()
        while true {
            while !wanted && !stopping { lock.wait() }
            if stopping { break }
            wanted = false
            lock.unlock()
            var count = 0
            var error: StreamError?
            do {
                count = try SystemCall.readSome(descriptor, block, blockSize)
            } catch let caught {
                error = caught
            }
            lock.lock()
            if let error { failure = error } else { ready = count }
            lock.signalAll()
            if error != nil || count == 0 { break }
        }
        lock.unlock()
    }
}
