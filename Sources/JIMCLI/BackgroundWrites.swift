/// A second thread that writes full buffers for an `OutputWriter`, so that a bulk run overlaps its
/// own work with the kernel's copying of what it already produced.
///
/// Double buffering: the writer fills one buffer while a `JobThread` writes the other. `handOff`
/// gives a full buffer and returns the spare one once it is free; `wait` returns when nothing is in
/// flight. A write error is kept and reported by the next `handOff` or `wait`, and nothing more is
/// written after it. The thread starts on the first hand-off, so a run that never fills a buffer
/// never starts it.
final class BackgroundWrites: @unchecked Sendable {
    private let descriptor: Int32
    private let thread = JobThread()
    /// The buffer not being filled: free, or being written while `writing`.
    private var spare: UnsafeMutableRawPointer
    private var writing = false
    /// What the thread writes next (set before it is handed the job).
    private var pending: (base: UnsafeMutableRawPointer, count: Int)?
    /// Set by a write that failed; read by the caller after `finish()`.
    private var failure: StreamError?

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
        try wait()
        let free = spare
        spare = base
        pending = (base, count)
        writing = true
        thread.begin { [self] in
            guard let (base, count) = pending else { return }
            do throws(StreamError) {
                try SystemCall.writeAll(descriptor, base, count)
            } catch {
                failure = error
            }
        }
        return free
    }

    /// Returns once everything handed off is written; throws the error of a write that failed.
    func wait() throws(StreamError) {
        if writing {
            thread.finish()
            writing = false
        }
        if let failure { throw failure }
    }

    /// Ends the thread after the write in hand and waits for it; the owner calls this before it goes
    /// (the thread holds a reference of its own, so this object's `deinit` cannot do it).
    func stop() {
        thread.stop()
        writing = false
    }
}
