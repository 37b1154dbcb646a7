extension ServerState {
    /// Routes a well-formed `msg` that can be forwarded as received, without parsing it into values.
    ///
    /// Returns false, having done nothing, whenever the full path must decide: the frame is not
    /// in `MessageScan`'s common shape, it needs `from` or `encoding` filled in, or the answer is
    /// not 200 (no name, a `from` mismatch, an unknown or offline recipient, a room not joined).
    /// What it does is exactly what the full path would do for the same frame.
    mutating func forwardFast(
        _ bytes: ArraySlice<UInt8>, from id: ConnectionID, client index: Dictionary<ConnectionID, Client>.Index,
        into actions: inout [ServerAction]
    ) -> Bool {
        guard let name = clients.values[index].name else { return false }
        let limits = configuration.limits
        return bytes.withUnsafeBytes { (p) -> Bool in
            guard let scan = MessageScan.scan(p, limits: limits), scan.hasEncoding, !scan.hasNewline,
                let from = scan.from, Self.equal(name, UnsafeRawBufferPointer(rebasing: p[from]))
            else { return false }
            let to = String(decoding: UnsafeRawBufferPointer(rebasing: p[scan.to]), as: UTF8.self)
            if p[scan.to.lowerBound] == UInt8(ascii: "#") {
                guard clients.values[index].rooms.contains(to), let room = rooms[to] else { return false }
                for member in room.members where member != id { actions.append(.send(member, bytes)) }
            } else {
                guard let recipient = online[to] else { return false }
                actions.append(.send(recipient, bytes))
            }
            respondOK(id, into: &actions)
            return true
        }
    }

    /// Whether `name`'s UTF-8 is exactly `bytes`.
    @inline(__always)
    static func equal(_ name: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var name = name
        return name.withUTF8 { utf8 in
            guard utf8.count == bytes.count else { return false }
            for k in 0..<utf8.count where utf8[k] != bytes[k] { return false }
            return true
        }
    }
}
