/// Something that happened, told to `ServerState.handle(_:into:)` by the event loop.
public enum ServerEvent {
    /// The clock moved: sets the state's time and runs due timeouts and probes. Send one per loop turn.
    case tick(ServerTime)
    /// A client connected from `peer` (an address as log lines show it).
    case opened(ConnectionID, peer: String)
    /// A frame arrived: its JSON text, `{` to `}`, as `FrameDecoder` cut it out (not yet parsed).
    case frame(ConnectionID, ArraySlice<UInt8>)
    /// The frame decoder refused part of the stream; `.unrecoverable` also closes the connection.
    case badFrame(ConnectionID, FrameError)
    /// The answer to a `ServerAction.verify` for `accountName`.
    case verified(ConnectionID, accountName: String, AccountCheck)
    /// The connection is gone (peer closed, reset, write queue overflow): frees its name and rooms.
    case closed(ConnectionID, reason: String)
    /// The server is stopping (SIGTERM, SIGINT): every connection gets a graceful close.
    case shutdown
}
