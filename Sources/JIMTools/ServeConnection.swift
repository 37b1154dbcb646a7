import JIMCore
import JIMNet

/// One client of jim-serve: its socket and write queue, and the partial frame read so far.
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

    init(id: ConnectionID, connection: Connection) {
        self.id = id
        self.connection = connection
    }

    /// The descriptor registered with the loop.
    var fileDescriptor: Int32 { connection.fileDescriptor }
}
