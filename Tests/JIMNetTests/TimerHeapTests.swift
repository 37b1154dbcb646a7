import Testing

@testable import JIMNet

@Suite struct TimerHeapTests {
    /// A deterministic generator, so a failure can be replayed.
    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func popsInDeadlineOrderAcrossRandomSchedulesAndCancels() {
        var heap = TimerHeap()
        var random = SplitMix(state: 42)
        var live: [(id: TimerID, deadline: UInt64, order: Int, token: Int)] = []
        var order = 0
        for step in 0..<5000 {
            if random.next() % 3 == 0, !live.isEmpty {
                let index = Int(random.next() % UInt64(live.count))
                let cancelled = heap.cancel(live[index].id)
                #expect(cancelled)
                live.remove(at: index)
            } else {
                let deadline = random.next() % 500
                let id = heap.schedule(at: MonotonicTime(nanoseconds: deadline), token: step)
                live.append((id, deadline, order, step))
                order += 1
            }
        }
        #expect(heap.count == live.count)
        let expected = live.sorted { ($0.deadline, $0.order) < ($1.deadline, $1.order) }.map(\.token)
        var popped: [Int] = []
        while let token = heap.popDue(at: MonotonicTime(nanoseconds: .max), before: .max) {
            popped.append(token)
        }
        #expect(popped == expected)
        #expect(heap.count == 0)
        let staleCancels = live.filter { heap.cancel($0.id) }.count
        #expect(staleCancels == 0)
    }

    @Test func popsOnlyWhatIsDue() {
        var heap = TimerHeap()
        _ = heap.schedule(at: MonotonicTime(nanoseconds: 100), token: 1)
        _ = heap.schedule(at: MonotonicTime(nanoseconds: 200), token: 2)
        #expect(heap.earliest == MonotonicTime(nanoseconds: 100))
        #expect(heap.popDue(at: MonotonicTime(nanoseconds: 99), before: .max) == nil)
        #expect(heap.popDue(at: MonotonicTime(nanoseconds: 150), before: .max) == 1)
        #expect(heap.popDue(at: MonotonicTime(nanoseconds: 150), before: .max) == nil)
        #expect(heap.earliest == MonotonicTime(nanoseconds: 200))
    }

    @Test func slotsAreReusedSoMemoryStaysBounded() {
        var heap = TimerHeap()
        for round in 0..<1000 {
            let id = heap.schedule(at: MonotonicTime(nanoseconds: UInt64(round)), token: round)
            let cancelled = heap.cancel(id)
            #expect(id.slot == 0)
            #expect(cancelled)
        }
    }
}
