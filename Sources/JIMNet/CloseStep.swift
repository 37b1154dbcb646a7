/// Where a graceful close stands after `Connection.continueClose(scratch:)`.
public enum CloseStep: Sendable, Equatable {
    /// Not done: set the descriptor's interest to these events and call `continueClose` again
    /// when they come (and `close()` when the linger timer fires first).
    case waiting(IOEvents)
    /// Done (everything was delivered and the peer finished, or the peer is gone): unregister
    /// the descriptor and call `close()`.
    case finished
}
