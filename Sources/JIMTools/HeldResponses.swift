/// Answers to one client held until the forwards they acknowledge have been written.
///
/// jim-serve answers a `msg` with 200 only once every online recipient's copy is in the kernel
/// (written to its socket) or that recipient is gone: the kernel still sends what it holds when
/// the server dies, the server's own write queues die with it. An answer whose forwards are still
/// queued waits here, counting them down as the recipients' writes pass their offsets. Answers
/// leave in order: one that waits for nothing still waits behind an earlier one that does.
///
/// The bytes are copied in (each answer with its LF), so a held answer never pins the input
/// buffer it may have come from. Emptied, the queue keeps its storage for the next turn's
/// answers; the server drops the whole object once its client has gone quiet.
final class HeldResponses {
    /// One held answer.
    private struct Entry {
        /// Where the answer (with its LF) ends in `bytes`.
        var end: Int
        /// Forwards it still waits for.
        var waiting: Int
    }

    /// The client the answers are for.
    let owner: ServeConnection
    private var bytes: [UInt8] = []
    /// Where the first answer not yet released starts in `bytes`.
    private var bytesHead = 0
    /// The answers, from `head` to `count`; slots past `count` are storage kept for reuse.
    private var entries: [Entry] = []
    /// How many slots of `entries` are in use.
    private var count = 0
    /// The first entry not yet released.
    private var head = 0
    /// The sequence number of `entries[0]`.
    private var base = 0

    /// Forwards that the next answer, not appended yet, waits for: its request's forwards are
    /// queued (and get their waiters) before the answer itself comes.
    var pendingWaits = 0

    /// Compaction moves the live entries down once this many have been released before them.
    private static let compactAfter = 256

    init(owner: ServeConnection) {
        self.owner = owner
    }

    /// Whether every answer has been released (or dropped).
    var isEmpty: Bool { head == count }

    /// Bytes held: they count toward the owner's write-queue bound.
    var byteCount: Int { bytes.count - bytesHead }

    /// Holds `frame` and an LF behind the answers held before it, waiting for the `pendingWaits`
    /// forwards counted for it (as answer `nextSequence`); true when it is free to go at once
    /// (nothing held before it, and nothing to wait for).
    @discardableResult
    func append(_ frame: ArraySlice<UInt8>) -> Bool {
        bytes.append(contentsOf: frame)
        bytes.append(0x0A)
        let entry = Entry(end: bytes.count, waiting: pendingWaits)
        pendingWaits = 0
        if count < entries.count {
            entries[count] = entry
        } else {
            entries.append(entry)
        }
        count += 1
        return head == count - 1 && entry.waiting == 0
    }

    /// The sequence number the next answer appended gets.
    var nextSequence: Int { base + count }

    /// One forward that each answer `first...last` waited for is written (or its recipient is
    /// gone); true when that makes the first held answer free to go. Answers no longer held
    /// (released, or dropped by `removeAll`) are skipped; the next answer, not appended yet,
    /// counts as pending.
    func satisfy(_ first: Int, through last: Int) -> Bool {
        if last - base >= count && first - base <= count { pendingWaits -= 1 }
        let from = max(first - base, head)
        let to = min(last - base, count - 1)
        guard from <= to else { return false }
        for i in from...to { entries[i].waiting -= 1 }
        return from == head && entries[head].waiting == 0
    }

    /// Hands the answers free to go (the first ones, up to one that still waits) to `body` as
    /// one run of bytes, and forgets them; false, doing nothing, when the first answer still waits.
    @discardableResult
    func release(_ body: (UnsafeRawBufferPointer) -> Void) -> Bool {
        var last = head
        while last < count && entries[last].waiting == 0 { last += 1 }
        guard last > head else { return false }
        let start = bytesHead
        let end = entries[last - 1].end
        bytes.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
        bytesHead = end
        head = last
        if head == count {
            base += count
            count = 0
            bytes.removeAll(keepingCapacity: true)
            head = 0
            bytesHead = 0
        } else if head >= Self.compactAfter && head * 2 >= count {
            entries.removeSubrange(0..<head)
            base += head
            count -= head
            head = 0
            bytes.removeSubrange(0..<bytesHead)
            for k in 0..<count { entries[k].end -= bytesHead }
            bytesHead = 0
        }
        return true
    }

    /// Drops every answer held (the client is gone) and the storage with them.
    func removeAll() {
        base += count + 1
        count = 0
        pendingWaits = 0
        entries = []
        bytes = []
        head = 0
        bytesHead = 0
    }
}
