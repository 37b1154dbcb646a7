extension ClientSession {
    /// A new connection: identity first, then a join for every room the session is in or wants, then
    /// whatever was waiting.
    mutating func connected(into actions: inout [Action]) {
        guard phase != .finished else { return }
        phase = .identifying
        window = 1
        readySaid = false
        probeOwed = false
        outbox.removeAll(keepingCapacity: true)
        inFlight.removeAll()
        // The identity, then a join per room, go in front of what waits (each pushed to the front, so in reverse).
        let identity = identityFrame()
        for room in roomOrder.reversed() where roomStates[room] != .joining {
            roomStates[room] = .joining
            pending.pushFront(
                Outgoing(kind: .join(room), record: nil, submitted: false, bytes: roomFrame(join: true, room)[...]))
        }
        pending.pushFront(Outgoing(kind: .identify, record: nil, submitted: false, bytes: identity[...]))
        pump(into: &actions)
    }

    /// Queues an input record, preceded by a join when it is a message to a room the session is not in.
    mutating func submit(_ submission: Submission, into actions: inout [Action]) {
        guard phase != .finished else { return }
        switch submission.kind {
        case .message(let to) where to.utf8.first == UInt8(ascii: "#"):
            let state = roomStates[to]
            if state == nil || state == .wanted {
                want(to)
                if phase != .offline {
                    roomStates[to] = .joining
                    pending.append(
                        Outgoing(
                            kind: .join(to), record: submission.record, submitted: false,
                            bytes: roomFrame(join: true, to)[...]))
                }
            }
        case .join(let room):
            want(room)
            if phase != .offline { roomStates[room] = .joining }
        default:
            break
        }
        if submission.frames <= 1 {
            pending.append(
                Outgoing(
                    kind: submission.kind, record: submission.record, submitted: true, bytes: submission.bytes[...]))
        } else {
            // One request per frame: each gets its own answer, and one at a time must stay possible.
            var start = submission.bytes.startIndex
            let end = submission.bytes.endIndex
            while start < end {
                var stop = start
                while stop < end && submission.bytes[stop] != 0x0A { stop += 1 }
                stop = min(stop + 1, end)
                pending.append(
                    Outgoing(
                        kind: submission.kind, record: submission.record, submitted: true,
                        bytes: submission.bytes[start..<stop]))
                start = stop
            }
        }
        pump(into: &actions)
    }

    /// Remembers `room` as one to be in (a join queued now, or on the next connection).
    mutating func want(_ room: String) {
        if roomStates[room] == nil { roomOrder.append(room) }
        if roomStates[room] == nil { roomStates[room] = .wanted }
    }

    /// Sends what the window allows; at end of input with nothing left, sends `quit`.
    mutating func pump(into actions: inout [Action]) {
        guard phase == .identifying || phase == .identified else { return }
        while inFlight.count < window, let next = pending.first {
            // Until the identity is answered, nothing else goes out.
            if phase == .identifying && (next.kind != .identify || !inFlight.isEmpty) { break }
            _ = pending.popFirst()
            outbox.append(contentsOf: next.bytes)
            inFlight.append(InFlight(kind: next.kind, record: next.record, submitted: next.submitted))
        }
        if inputEnded && phase == .identified && pending.isEmpty && inFlight.isEmpty {
            sendQuit(into: &actions)
        }
    }

    /// Appends `quit` to the outbox and finishes.
    mutating func sendQuit(into actions: inout [Action]) {
        outbox.append(contentsOf: Self.quitFrame)
        phase = .finished
        pending.removeAll()
        actions.append(.finished)
    }

    /// Leaves at once: what is unanswered is reported, `quit` goes out if connected.
    mutating func quitNow(into actions: inout [Action]) {
        guard phase != .finished else { return }
        let unanswered = unacknowledgedRecords
        if !unanswered.isEmpty {
            actions.append(.unacknowledged(records: unanswered, reason: "quit before the answer"))
        }
        inFlight.removeAll()
        if phase == .offline {
            phase = .finished
            pending.removeAll()
            actions.append(.finished)
        } else {
            sendQuit(into: &actions)
        }
    }

    /// The connection is gone: what was not answered is reported, and the rooms are to be joined again.
    mutating func disconnected(reason: String, into actions: inout [Action]) {
        guard phase != .offline else { return }
        if phase == .finished {
            inFlight.removeAll()
            return
        }
        let unanswered = unacknowledgedRecords
        if !unanswered.isEmpty { actions.append(.unacknowledged(records: unanswered, reason: reason)) }
        phase = .offline
        window = 1
        inFlight.removeAll()
        pending.removeAll()
        outbox.removeAll(keepingCapacity: true)
        for room in roomOrder { roomStates[room] = .wanted }
    }

    // MARK: - Frames the session writes itself

    static let quitFrame = Array(#"{"action":"quit"}"#.utf8) + [0x0A]

    /// The current time as a JSON number with a fractional part.
    var now: JSONNumber { JSONNumber(configuration.clock()) }

    /// `presence`, or `authenticate` when the identity has a password.
    func identityFrame() -> [UInt8] {
        let identity = configuration.identity
        if let password = identity.password {
            return Frame(.authenticate(Credentials(accountName: identity.name, password: password, time: now)))
                .encoded()
        }
        return presenceFrame()
    }

    /// `presence` with `"type":"status"` and the status.
    func presenceFrame() -> [UInt8] {
        let identity = configuration.identity
        return Frame(
            .presence(Presence(accountName: identity.name, status: identity.presenceStatus, type: "status", time: now))
        ).encoded()
    }

    /// `join` or `leave` of `room`.
    func roomFrame(join: Bool, _ room: String) -> [UInt8] {
        let r = RoomRequest(room: room, time: now)
        return Frame(join ? .join(r) : .leave(r)).encoded()
    }
}
