import JIMCore
import JIMNet

/// One client of jim-serve: its socket and write queue, the partial frame read so far, and the
/// answers held for it (and held for others on its writes) until forwards are written.
///
/// Kept small for idle connections: no read buffer and no decoder of its own (reads go into the
/// server's shared buffer and decoder; only an unfinished frame is kept, in `input`).
final class ServeConnection {
    /// The id the state machine knows it by; also its event-loop token.
    let id: ConnectionID
    /// The socket with its bounded write queue.
    let connection: Connection
    /// Input kept between reads: a partial frame, or frames left for the next turn. Nil when
    /// idle: reads then go through the server's shared decoder, and only what is left over moves here.
    var input: ServeInput?
    /// Waiting for a password check: no frames are handled meanwhile.
    var paused = false
    /// The peer has ended its sending side.
    var endOfInput = false
    /// A graceful close is under way.
    var closing = false
    /// Frames are waiting in the decoder for the next turn (its budget ran out).
    var inBacklog = false
    /// Output was queued this turn and needs a flush.
    var inDirty = false
    /// Bounds a graceful close.
    var linger: TimerID?
    /// Listed for `continueClose` at the end of the turn (its held answers moved on).
    var inCloseReady = false
    /// Listed for the storage sweep (its write queue, held answers or waiters emptied, keeping storage).
    var inSpareList = false
    /// Listed for the write-stall check (output was pending when last looked at).
    var inStallWatch = false
    /// `connection.bytesWritten` when the write-stall check last saw progress.
    var stallMark = 0
    /// What the kernel held for the peer at the write-stall check's last look (`Int.max`: not
    /// looked at since the last write); less at the next look means the peer read.
    var stallKernelMark = Int.max
    /// When the write-stall check last saw progress (or listed the connection).
    var stallSince = MonotonicTime(nanoseconds: 0)
    /// Closed and forgotten by the server.
    var finished = false
    /// Answers to this client waiting for forwards to be written (nil, or empty, when none are held).
    var held: HeldResponses?
    /// Answers to other clients waiting for this connection's writes, in offset order, from `waitersHead` on.
    var waiters: [HeldWaiter] = []
    /// The first waiter not yet satisfied.
    var waitersHead = 0

    init(id: ConnectionID, connection: Connection) {
        self.id = id
        self.connection = connection
    }

    /// The descriptor registered with the loop.
    var fileDescriptor: Int32 { connection.fileDescriptor }

    /// Bytes owed to this client: queued for writing, or held in answers.
    var owedBytes: Int { connection.pendingBytes + (held?.byteCount ?? 0) }

    /// Whether answers are held for this client.
    var holdsAnswers: Bool { !(held?.isEmpty ?? true) }

    /// Makes answer `sequence` of `owner` (held in `held`) wait until this connection's writes
    /// reach `offset`. The previous answer of the same client, waiting here for a forward queued
    /// in the same loop turn, shares its waiter (see `HeldWaiter`).
    func addWaiter(offset: Int, held: HeldResponses, owner: ConnectionID, sequence: Int, turn: Int) {
        let last = waiters.count - 1
        if last >= waitersHead && waiters[last].extends(owner: owner, sequence: sequence, turn: turn) {
            waiters[last].extend(to: sequence, offset: offset)
        } else {
            waiters.append(
                HeldWaiter(offset: offset, held: held, owner: owner, first: sequence, last: sequence, turn: turn))
        }
    }
}
