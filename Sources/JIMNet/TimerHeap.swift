/// One-shot timers in a binary min-heap ordered by deadline, then by scheduling order.
///
/// Timers live in a slot table; the heap holds slot numbers and each slot knows its heap
/// position, so cancelling is O(log n) without searching, and memory is bounded by the number
/// of timers pending at once (slots are reused). No allocation once the arrays have grown.
struct TimerHeap {
    private struct Slot {
        var deadline: UInt64 = 0
        var sequence: UInt64 = 0
        var token: Int = 0
        var heapIndex: Int = -1
        var generation: UInt32 = 0
    }

    private var slots: [Slot] = []
    private var free: [UInt32] = []
    private var heap: [UInt32] = []
    private var nextSequence: UInt64 = 0

    /// How many timers are pending.
    var count: Int { heap.count }

    /// The earliest deadline, if any timer is pending.
    var earliest: MonotonicTime? {
        heap.first.map { MonotonicTime(nanoseconds: slots[Int($0)].deadline) }
    }

    /// The sequence number the next scheduled timer will get.
    var sequenceMark: UInt64 { nextSequence }

    /// Adds a timer that reports `token` at `deadline`.
    mutating func schedule(at deadline: MonotonicTime, token: Int) -> TimerID {
        let slot: UInt32
        if let reused = free.popLast() {
            slot = reused
        } else {
            slot = UInt32(slots.count)
            slots.append(Slot())
        }
        let index = Int(slot)
        slots[index].deadline = deadline.nanoseconds
        slots[index].sequence = nextSequence
        slots[index].token = token
        nextSequence &+= 1
        slots[index].heapIndex = heap.count
        heap.append(slot)
        siftUp(heap.count - 1)
        return TimerID(slot: slot, generation: slots[index].generation)
    }

    /// Removes a pending timer; returns false when it already fired or was cancelled.
    @discardableResult
    mutating func cancel(_ id: TimerID) -> Bool {
        let index = Int(id.slot)
        guard index < slots.count, slots[index].generation == id.generation, slots[index].heapIndex >= 0 else {
            return false
        }
        remove(at: slots[index].heapIndex)
        return true
    }

    /// Removes and returns the earliest timer's token if it is due at `now` and was scheduled
    /// before sequence `mark` (so timers scheduled while firing wait for the next pass).
    mutating func popDue(at now: MonotonicTime, before mark: UInt64) -> Int? {
        guard let top = heap.first else { return nil }
        let slot = slots[Int(top)]
        guard slot.deadline <= now.nanoseconds, slot.sequence < mark else { return nil }
        remove(at: 0)
        return slot.token
    }

    private mutating func remove(at position: Int) {
        let slot = Int(heap[position])
        let last = heap.count - 1
        if position != last {
            heap.swapAt(position, last)
            slots[Int(heap[position])].heapIndex = position
        }
        heap.removeLast()
        slots[slot].heapIndex = -1
        slots[slot].generation &+= 1
        free.append(UInt32(slot))
        if position < heap.count {
            siftDown(position)
            siftUp(position)
        }
    }

    private func earlier(_ a: Int, _ b: Int) -> Bool {
        let x = slots[Int(heap[a])]
        let y = slots[Int(heap[b])]
        return x.deadline < y.deadline || (x.deadline == y.deadline && x.sequence < y.sequence)
    }

    private mutating func swap(_ a: Int, _ b: Int) {
        heap.swapAt(a, b)
        slots[Int(heap[a])].heapIndex = a
        slots[Int(heap[b])].heapIndex = b
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard earlier(child, parent) else { return }
            swap(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { return }
            var smallest = left
            if left + 1 < heap.count, earlier(left + 1, left) { smallest = left + 1 }
            guard earlier(smallest, parent) else { return }
            swap(parent, smallest)
            parent = smallest
        }
    }
}
