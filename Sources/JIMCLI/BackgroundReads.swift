/// A second thread that reads a regular file ahead while the tool works, for a `LineReader` in bulk
/// use: the kernel's copying then overlaps the tool's own work.
///
/// Only for regular files, whose read(2) never waits for a writer: a read always finishes, so
/// `stop()` can join the thread. Double-buffered in blocks of 1 MiB: a `JobThread` reads the next
/// block while `take` hands out the current one a piece at a time; only a used-up block waits for the
/// thread (one hand-over per MiB). A read error is kept and thrown by every later `take`; after end of
/// file `take` returns 0.
final class BackgroundReads: @unchecked Sendable {
    private let descriptor: Int32
    private let size: Int
    /// The thread reads this many bytes at a time: one hand-over per block, not per `take`.
    private let blockSize: Int
    private let thread = JobThread()
    /// The block the thread reads into (touched by the caller only between reads).
    private var block: UnsafeMutableRawPointer
    /// The block `take` hands out, its length, and how much of it has been taken.
    private var current: UnsafeMutableRawPointer
    private var currentCount = 0
    private var currentTaken = 0
    /// Whether a read into `block` has been handed to the thread and not yet finished.
    private var reading = false
    /// Set by the read: bytes read, or the error; read by the caller after `finish()`.
    private var readCount = 0
    private var failure: StreamError?
    private var atEnd = false

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
        thread.stop()
        reading = false
    }

    /// Copies the next piece of the file, at most `size` bytes (`maximum` must allow that), to
    /// `destination` and returns its length, 0 at end of file. Only a finished block waits.
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
        if let failure { throw failure }
        if atEnd {
            currentCount = 0
            currentTaken = 0
            return
        }
        if !reading { startRead() }
        thread.finish()
        reading = false
        if let failure { throw failure }
        swap(&block, &current)
        currentCount = readCount
        currentTaken = 0
        if readCount == 0 {
            atEnd = true
        } else {
            startRead()
        }
    }

    /// Hands the thread one read into `block`.
    private func startRead() {
        reading = true
        thread.begin { [self] in
            do throws(StreamError) {
                readCount = try SystemCall.readSome(descriptor, block, blockSize)
            } catch {
                readCount = 0
                failure = error
            }
        }
    }
}
