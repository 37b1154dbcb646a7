/// A bounded memory of names: the most recent `capacity` names inserted, oldest forgotten first.
///
/// The server remembers every name that has been online since it started, for the 410 answer
/// ("exists but is offline"); this bounds what a client cycling through fresh names can make it
/// hold. Names are added when they go offline (while online, the server knows them anyway).
struct SeenNames {
    let capacity: Int
    private var members: Set<String> = []
    private var order: [String] = []
    private var head = 0

    init(capacity: Int) { self.capacity = max(0, capacity) }

    var count: Int { members.count }

    func contains(_ name: String) -> Bool { members.contains(name) }

    /// Remembers `name`; when full, forgets the oldest name.
    mutating func insert(_ name: String) {
        guard capacity > 0, !members.contains(name) else { return }
        if order.count < capacity {
            order.append(name)
        } else {
            members.remove(order[head])
            order[head] = name
            head = (head + 1) % capacity
        }
        members.insert(name)
    }
}
