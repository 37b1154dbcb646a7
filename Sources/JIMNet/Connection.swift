#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A connected nonblocking socket with a bounded, coalescing write queue and a graceful close.
///
/// Reading goes into a buffer the caller supplies (one scratch buffer, such as 64 KiB, shared by
/// every connection of a loop), so an idle connection holds no read buffer. Writing goes
/// through the queue: `enqueue` copies bytes in (refusing past `maxQueue`), `flush` sends
/// everything pending with one system call and reports whether the queue drained, so the owner
/// turns write interest on while it has not. A drained queue keeps at most `retainedCapacity`
/// bytes of storage for the next burst (no allocation per burst on a busy connection); an owner
/// with many connections calls `releaseStorage()` on those that stay drained, so that idle
/// connections hold none (10,000 after a fan-out would otherwise keep up to 16 KiB each).
///
/// Two monotonic counters tell how far a frame has gone: `bytesEnqueued` just after a frame's
/// `enqueue` is that frame's end offset, and once `bytesWritten` reaches it, the whole frame is
/// in the kernel (which still sends it if this process dies; the write queue dies with it).
///
/// Closing without loss (PROTOCOL.md section 7) is `beginClose()`, then `continueClose` on
/// every event until it says `.finished`: it flushes the queue, shuts down the sending side,
/// then reads and discards what the peer still sends until end of file. On `.finished`,
/// unregister and `close()`. Bound it with a timer of `lingerTimeout` that closes it anyway.
public final class Connection {
    /// Where the connection is in its life.
    public enum State: Sendable, Equatable {
        /// Reading and writing.
        case open
        /// `beginClose()` was called: flushing what is queued, discarding input.
        case flushingBeforeClose
        /// The sending side is shut down; reading and discarding until the peer's end of file.
        case draining
        /// The descriptor is closed.
        case closed
    }

    /// How long a graceful close should be given before `close()` cuts it short.
    public static let lingerTimeout: Duration = .seconds(2)
    /// A drained queue releases its storage when it had grown past this many bytes.
    static let retainedCapacity = 16 * 1024
    /// The most bytes one `continueClose` call discards before yielding to other connections.
    static let discardBudget = 1 << 20

    /// The socket. Its descriptor is what to register with the event loop.
    public let socket: Socket
    /// The most bytes the write queue may hold; `enqueue` past it fails.
    public var maxQueue: Int
    /// Where the connection is in its life.
    public private(set) var state: State = .open

    /// Bytes ever queued: the end offset of the last frame enqueued.
    public private(set) var bytesEnqueued = 0
    /// Bytes ever handed to the kernel: every frame ending at or before this offset is written.
    public private(set) var bytesWritten = 0

    private var queue: [UInt8] = []
    private var queueHead = 0

    /// Wraps a connected nonblocking socket, with a write queue of at most `maxQueue` bytes.
    public init(socket: Socket, maxQueue: Int) {
        self.socket = socket
        self.maxQueue = maxQueue
    }

    /// The socket's descriptor (-1 once closed).
    public var fileDescriptor: Int32 { socket.fileDescriptor }

    /// Bytes queued and not yet sent.
    public var pendingBytes: Int { queue.count - queueHead }

    /// Whether bytes are waiting to be sent.
    public var hasPendingWrites: Bool { queue.count > queueHead }

    /// Reads what is available into `buffer` (a shared scratch buffer; 64 KiB is a good size).
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> ReadResult {
        try socket.read(into: buffer)
    }

    /// Queues bytes for the next `flush`. Returns false, queueing nothing, when they would take
    /// the queue past `maxQueue` (the owner then drops this slow client) or when the sending
    /// side is already shut down or closed. (The result may be ignored only by a caller that
    /// checked `pendingBytes` against `maxQueue` first.)
    @discardableResult
    public func enqueue(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard state == .open || state == .flushingBeforeClose else { return false }
        guard bytes.count <= maxQueue - pendingBytes else { return false }
        if bytes.isEmpty { return true }
        if queueHead > 0 && queue.count + bytes.count > queue.capacity {
            // Reuse the space already sent rather than growing.
            queue.removeSubrange(0..<queueHead)
            queueHead = 0
        }
        queue.append(contentsOf: bytes)
        bytesEnqueued += bytes.count
        return true
    }

    /// Queues bytes for the next `flush`; see `enqueue(_:)` for when it returns false.
    @discardableResult
    public func enqueue(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { enqueue($0) }
    }

    /// Queues bytes for the next `flush`; see `enqueue(_:)` for when it returns false.
    @discardableResult
    public func enqueue(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.withUnsafeBytes { enqueue($0) }
    }

    /// Sends everything pending with one system call. Returns true when the queue is empty
    /// afterwards (drop write interest), false when bytes remain (wait for writability).
    /// A peer that is gone throws (`EPIPE`, `ECONNRESET`); close the connection then.
    @discardableResult
    public func flush() throws(SystemError) -> Bool {
        guard hasPendingWrites else { return true }
        let socket = self.socket
        let head = queueHead
        let result = queue.withUnsafeBytes { raw in
            Result { () throws(SystemError) -> Int? in
                try socket.write(UnsafeRawBufferPointer(rebasing: raw[head...]))
            }
        }
        let sent = try result.get()
        guard let sent else { return false }
        queueHead += sent
        bytesWritten += sent
        if queueHead < queue.count { return false }
        if queue.capacity > Connection.retainedCapacity {
            queue = []
        } else {
            queue.removeAll(keepingCapacity: true)
        }
        queueHead = 0
        return true
    }

    /// Starts a graceful close: nothing more is read for the owner; what is queued (and what is
    /// enqueued before the sending side shuts down) is still sent. Drive it with `continueClose`.
    public func beginClose() {
        if state == .open { state = .flushingBeforeClose }
    }

    /// Advances a graceful close as far as it can without blocking; see `CloseStep`.
    ///
    /// Input is read and discarded in every phase (into `scratch`, at most 1 MiB per call), so
    /// that a peer blocked writing to us can go on to read what we send. A socket error
    /// finishes the close: the peer is gone and nothing more can be delivered.
    public func continueClose(scratch: UnsafeMutableRawBufferPointer) -> CloseStep {
        switch state {
        case .open: state = .flushingBeforeClose
        case .closed: return .finished
        case .flushingBeforeClose, .draining: break
        }
        do {
            let peerDone = try discardInput(scratch: scratch)
            if state == .flushingBeforeClose {
                guard try flush() else {
                    // Waiting for room to write; once the peer has ended, only writability matters.
                    return .waiting(peerDone ? .writable : [.readable, .writable])
                }
                try socket.shutdownWrite()
                state = .draining
            }
            return peerDone ? .finished : .waiting(.readable)
        } catch {
            return .finished
        }
    }

    /// Reads and discards input; true once the peer's end of file has been seen.
    private func discardInput(scratch: UnsafeMutableRawBufferPointer) throws(SystemError) -> Bool {
        var discarded = 0
        while discarded < Connection.discardBudget {
            switch try socket.read(into: scratch) {
            case .bytes(let count):
                if count == 0 { return false }
                discarded += count
            case .wouldBlock:
                return false
            case .endOfFile:
                return true
            }
        }
        return false
    }

    /// Whether the queue is drained but keeps more than a little storage (over 1 KiB, a few
    /// frames' worth, which an idle connection may as well keep), for `releaseStorage()` to free.
    public var hasSpareStorage: Bool { queue.capacity > 1024 && !hasPendingWrites }

    /// Frees the queue's storage if it is drained (for a connection gone quiet); the next
    /// `enqueue` allocates afresh. Does nothing while bytes are pending.
    public func releaseStorage() {
        guard !hasPendingWrites else { return }
        queue = []
        queueHead = 0
    }

    /// Bytes the kernel still holds for the peer (written and not yet acknowledged by it); nil
    /// where the system cannot tell. One system call: for occasional checks, not for every write.
    /// It shrinks as the peer reads, even while the kernel has no room for more of the write queue.
    public var kernelQueuedBytes: Int? {
        var count: Int32 = 0
        #if os(Linux)
            guard ioctl(socket.fileDescriptor, UInt(TIOCOUTQ), &count) == 0 else { return nil }
        #elseif canImport(Darwin)
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(socket.fileDescriptor, SOL_SOCKET, SO_NWRITE, &count, &length) == 0 else { return nil }
        #else
            return nil
        #endif
        return Int(count)
    }

    /// The write queue's storage in bytes (for tests of how much a drained queue keeps).
    var storageCapacity: Int { queue.capacity }

    /// Closes at once, dropping anything queued. Unregister the descriptor first.
    public func close() {
        socket.close()
        state = .closed
        queue = []
        queueHead = 0
    }
}
