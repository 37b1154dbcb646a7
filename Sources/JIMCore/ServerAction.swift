/// Something `ServerState` wants done; the event loop carries it out in order.
public enum ServerAction {
    /// Queue one frame for the connection: `bytes` is the JSON text without the final LF, which the
    /// writer appends. The same bytes go to every member of a room, and a forwarded `msg` may be a
    /// slice of the sender's input, so copy them into the connection's queue before reading more.
    case send(ConnectionID, ArraySlice<UInt8>)
    /// Close gracefully (PROTOCOL.md section 7): flush the queue, shut down the sending side, read and
    /// discard for a bounded time, then close. The state has already forgotten the connection.
    case close(ConnectionID, reason: String)
    /// Check this password (maybe slowly, maybe on another thread) and answer with
    /// `ServerEvent.verified`. Until then, deliver no more frames from this connection, so that
    /// requests are still answered in order.
    case verify(ConnectionID, Credentials)
    /// A line for the server log (without the program name or a newline).
    case log(ServerLogLevel, String)
}
