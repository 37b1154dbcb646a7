import JIMCore

/// Held answers waiting for one connection's writes to pass one offset.
///
/// Kept by the recipient, in the order its frames were queued (so in offset order): when the
/// recipient's `bytesWritten` reaches `offset`, or the recipient is gone, each answer `first...last`
/// in `held` waits for one forward fewer. Consecutive answers of one client to forwards queued in
/// the same loop turn share one waiter, whose offset is the last forward's: those forwards go out
/// in one write at the end of the turn, so the earlier answers would rarely be released sooner.
struct HeldWaiter {
    /// The recipient's `bytesEnqueued` just after the last forward: written once `bytesWritten` reaches it.
    var offset: Int
    /// Where the answers are held.
    var held: HeldResponses
    /// The client the answers are for.
    var owner: ConnectionID
    /// The first answer's sequence number in `held`.
    var first: Int
    /// The last answer's sequence number in `held`.
    var last: Int
    /// The loop turn in which the forwards were queued.
    var turn: Int

    /// Whether answer `sequence` of `owner`, for a forward queued in `turn`, can join this waiter:
    /// it is the same client's next answer, in the same turn.
    func extends(owner: ConnectionID, sequence: Int, turn: Int) -> Bool {
        self.owner == owner && last == sequence - 1 && self.turn == turn
    }

    /// Adds answer `sequence`, whose forward ends at `offset`.
    mutating func extend(to sequence: Int, offset: Int) {
        last = sequence
        self.offset = offset
    }
}
