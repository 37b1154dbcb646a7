import JIMCore
import JIMNet

/// Answers held until the forwards they acknowledge are in the kernel.
///
/// A 200 for a `msg` promises delivery. What jim-serve has written to a socket survives a SIGKILL
/// of the server (the kernel still sends it); what waits in its own write queues does not. So
/// while the actions of one request are carried out, every forward to another connection gets a
/// waiter at its end offset in that connection's stream (`HeldWaiter`), and the answer to the
/// requester that follows is held (`HeldResponses`) until each recipient's `bytesWritten` has
/// passed its offset, or that recipient is gone. Later answers to the same client queue behind a
/// held one (answers stay in order); pushes (forwards to it, probes) go out at once, as
/// PROTOCOL.md section 4 allows.
///
/// Writes happen at the end of a loop turn (`settle`): the recipients are flushed, the answers
/// that frees are released, and flushed in the same pass, so a reader that keeps up adds no
/// latency. Held bytes count toward the client's write-queue bound and its backpressure (reading
/// stops at half the bound), so a client that pipelines without end cannot grow them without
/// bound; a reader that lags slows its senders down instead of piling acknowledged frames up in
/// memory, and one that stops reading altogether is cut by the write-stall timeout
/// (`ServeServer+Stall.swift`), at its queue bound (when senders pipeline past it) or at the probe timeout.
extension ServeServer {
    /// Makes the requester's next answer wait for the forward just queued to `recipient`.
    ///
    /// The answer follows the forwards of its request, so its sequence number is known before it
    /// is held: the recipient gets a waiter for it now, and the held answers count it as pending.
    /// The requester's held answers are looked up once per event, kept alive for the event by
    /// `requesterHeldKeeper`, and used unretained (no reference counting per forward).
    @inline(__always)
    func awaitForward(to recipient: ServeConnection, from requester: ConnectionID) {
        if requesterHeld == nil {
            // A requester already closing gets no answers, so nothing waits for it.
            guard let owner = requesterSource ?? connection(token: requester.rawValue), !owner.closing else { return }
            let held: HeldResponses
            if let existing = owner.held {
                held = existing
            } else {
                held = HeldResponses(owner: owner)
                owner.held = held
            }
            requesterHeldKeeper = held
            requesterHeld = .passUnretained(held)
        }
        let turn = self.turn
        let offset = recipient.connection.bytesEnqueued
        requesterHeld.unsafelyUnwrapped._withUnsafeGuaranteedRef { held in
            guard !held.owner.closing else { return }
            recipient.addWaiter(offset: offset, held: held, owner: requester, sequence: held.nextSequence, turn: turn)
            held.pendingWaits += 1
        }
    }

    /// Queues an answer for the requester `c`, or holds it while forwards of this request are
    /// unwritten or earlier answers are held.
    func answer(_ bytes: ArraySlice<UInt8>, to c: ServeConnection) {
        guard let held = c.held, held.pendingWaits > 0 || !held.isEmpty else {
            enqueue(bytes, to: c)
            return
        }
        if c.owedBytes + bytes.count + 1 > c.connection.maxQueue {
            overflow(c)
            return
        }
        // Free at once only if every recipient closed meanwhile and nothing is held before it.
        if held.append(bytes) { release(held) }
    }

    /// After `r`'s writes moved on (or `r` closed): answers waiting on what is now written wait
    /// for one forward fewer, and those free to go are released to their clients.
    func wroteMore(_ r: ServeConnection) {
        guard r.waitersHead < r.waiters.count else { return }
        let written = r.finished ? Int.max : r.connection.bytesWritten
        while r.waitersHead < r.waiters.count {
            let waiter = r.waiters[r.waitersHead]
            guard waiter.offset <= written else { break }
            r.waitersHead += 1
            if waiter.held.satisfy(waiter.first, through: waiter.last) { release(waiter.held) }
        }
        if r.waitersHead == r.waiters.count {
            r.waiters.removeAll(keepingCapacity: !r.finished)
            r.waitersHead = 0
            if !r.finished { noteSpare(r) }
        } else if r.waitersHead >= 256 && r.waitersHead * 2 >= r.waiters.count {
            r.waiters.removeSubrange(0..<r.waitersHead)
            r.waitersHead = 0
        }
    }

    /// Moves the answers of `held` that are free to go into its client's write queue.
    ///
    /// They were counted toward the client's bound while held, so the queue takes them. A
    /// client that is closing goes on with its close at the end of the turn; any other is flushed then.
    func release(_ held: HeldResponses) {
        let c = held.owner
        guard c.held === held, !c.finished else { return }
        guard held.release({ bytes in _ = c.connection.enqueue(bytes) }) else { return }
        if held.isEmpty { noteSpare(c) }
        if c.closing {
            if !c.inCloseReady {
                c.inCloseReady = true
                closeReady.append(c)
            }
        } else if !c.inDirty {
            c.inDirty = true
            dirty.append(c)
        }
    }

    /// The end of a turn: flushes every connection with output; answers those writes release go
    /// out in the same turn (flushed in the same pass), and closes they unblock go on, until
    /// nothing is left to do.
    func settle() {
        repeat {
            flushDirty()
            while !closeReady.isEmpty {
                swap(&closeReady, &closeReadySpare)
                for c in closeReadySpare {
                    c.inCloseReady = false
                    if c.closing && connection(token: c.id.rawValue) === c { continueClose(c) }
                }
                closeReadySpare.removeAll(keepingCapacity: true)
            }
        } while !dirty.isEmpty
    }

    // MARK: - Spare storage

    /// Lists `c` for the storage sweep, which runs a second later: a connection busy meanwhile
    /// reuses its storage, one gone quiet gives it back.
    func noteSpare(_ c: ServeConnection) {
        guard !c.inSpareList else { return }
        c.inSpareList = true
        spare.append(c)
        if !sweepScheduled {
            sweepScheduled = true
            loop.schedule(after: .seconds(1), token: Self.sweepToken)
        }
    }

    /// Frees the storage that listed connections keep for write queues, held answers and
    /// waiters that are still empty (10,000 connections after a fan-out would otherwise keep
    /// up to 16 KiB each).
    func sweepSpareStorage() {
        sweepScheduled = false
        let listed = spare
        spare = []
        for c in listed {
            c.inSpareList = false
            guard !c.finished else { continue }
            c.connection.releaseStorage()
            if let held = c.held, held.isEmpty { c.held = nil }
            if c.waitersHead == c.waiters.count {
                c.waiters = []
                c.waitersHead = 0
            }
        }
    }
}
