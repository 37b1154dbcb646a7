/// A first-in, first-out queue for `ClientSession`: amortised O(1) at both ends of use.
///
/// Elements are appended at the back and taken from the front through a moving head index; the
/// storage is compacted when the head has passed half of it, so a long run costs no more memory than
/// the most elements held at once. `pushFront` is rare (a probe's answer jumps the queue) and cheap
/// when something was taken before it.
struct ClientSessionQueue<Element> {
    private var storage: [Element] = []
    private var head = 0

    /// Whether the queue holds nothing.
    var isEmpty: Bool { head == storage.count }

    /// How many elements the queue holds.
    var count: Int { storage.count - head }

    /// The element at the front, if any.
    var first: Element? { isEmpty ? nil : storage[head] }

    /// Appends `element` at the back.
    mutating func append(_ element: Element) {
        storage.append(element)
    }

    /// Puts `element` at the front.
    mutating func pushFront(_ element: Element) {
        if head > 0 {
            head -= 1
            storage[head] = element
        } else {
            storage.insert(element, at: 0)
        }
    }

    /// Removes and returns the element at the front, if any.
    mutating func popFirst() -> Element? {
        guard head < storage.count else { return nil }
        let element = storage[head]
        head += 1
        if head == storage.count {
            storage.removeAll(keepingCapacity: storage.capacity <= 4096)
            head = 0
        } else if head >= 1024 && head * 2 >= storage.count {
            storage.removeSubrange(0..<head)
            head = 0
        }
        return element
    }

    /// Removes every element.
    mutating func removeAll() {
        storage.removeAll(keepingCapacity: storage.capacity <= 4096)
        head = 0
    }

    /// The elements, front first.
    var elements: ArraySlice<Element> { storage[head...] }

    /// Removes the elements for which `drop` is true, keeping the others in order.
    mutating func removeAll(where drop: (Element) -> Bool) {
        var kept = Array(storage[head...])
        kept.removeAll(where: drop)
        storage = kept
        head = 0
    }
}
