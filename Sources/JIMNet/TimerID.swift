/// Names a scheduled timer, for `EventLoop.cancel(_:)`. Stale IDs (fired or cancelled) are harmless.
public struct TimerID: Sendable, Hashable {
    /// The timer's slot in the loop's table.
    let slot: UInt32
    /// Which use of the slot this is: a reused slot gets a new generation.
    let generation: UInt32
}
