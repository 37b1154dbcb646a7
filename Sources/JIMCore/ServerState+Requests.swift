extension ServerState {
    /// Parses one frame and answers it (PROTOCOL.md section 3).
    mutating func received(_ bytes: ArraySlice<UInt8>, from id: ConnectionID, into actions: inout [ServerAction]) {
        guard let index = clients.index(forKey: id) else { return }
        // Any frame proves the peer is there: it answers a probe and restarts the silence clock.
        clients.values[index].lastHeard = now.monotonic
        clients.values[index].probedAt = nil
        if fastPath && forwardFast(bytes, from: id, client: index, into: &actions) { return }
        let frame: Frame
        do {
            frame = try Frame(parsing: bytes, limits: configuration.limits)
        } catch {
            refuse(id, error.reason, into: &actions)
            return
        }
        guard case .request(let request) = frame.kind else {
            refuse(id, "a client sends requests, not responses", into: &actions)
            return
        }
        switch request {
        case .presence(let presence):
            self.presence(presence, from: id, into: &actions)
        case .authenticate(let credentials):
            authenticate(credentials, from: id, into: &actions)
        case .msg(let message):
            self.message(message, frame: frame, bytes: bytes, from: id, into: &actions)
        case .join(let request):
            join(request.room, from: id, into: &actions)
        case .leave(let request):
            leave(request.room, from: id, into: &actions)
        case .quit:
            close(id, reason: "quit", level: .info, into: &actions)
        case .probe:
            refuse(id, "probe: only servers send it; answer a probe with presence", into: &actions)
        case .unknown(let action):
            refuse(id, "unknown action: \(action)", into: &actions)
        }
    }

    /// A 400 for a bad frame or request, logged at debug.
    mutating func refuse(_ id: ConnectionID, _ reason: String, into actions: inout [ServerAction]) {
        respond(id, .badRequest, reason, into: &actions)
        log(.debug, into: &actions) { "\(id) refused frame: \(reason)" }
    }

    // MARK: - Names

    private mutating func presence(_ presence: Presence, from id: ConnectionID, into actions: inout [ServerAction]) {
        guard let client = clients[id] else { return }
        let name = presence.accountName
        if let current = client.name {
            if current == name {
                respond(id, .ok, "OK", pipelining: true, into: &actions)
            } else {
                respond(id, .conflict, "this connection is already \(current)", into: &actions)
            }
            return
        }
        if accounts.isRegistered(name) {
            respond(id, .unauthorized, "\(name) is a registered account: authenticate first", into: &actions)
        } else if online[name] != nil {
            respond(id, .conflict, "\(name) is already in use", into: &actions)
        } else {
            bind(name, to: id, authenticated: false, into: &actions)
        }
    }

    private mutating func authenticate(_ credentials: Credentials, from id: ConnectionID, into actions: inout [ServerAction]) {
        guard let client = clients[id] else { return }
        if let current = client.name, current != credentials.accountName {
            respond(id, .conflict, "this connection is already \(current)", into: &actions)
            return
        }
        clients[id]!.verifying = true
        actions.append(.verify(id, credentials))
    }

    mutating func verified(_ id: ConnectionID, name: String, check: AccountCheck, into actions: inout [ServerAction]) {
        guard let client = clients[id], client.verifying else { return }
        clients[id]!.verifying = false
        switch check {
        case .ok:
            if let holder = online[name], holder != id {
                respond(id, .conflict, "\(name) is already connected elsewhere", into: &actions)
            } else if let current = client.name, current != name {
                respond(id, .conflict, "this connection is already \(current)", into: &actions)
            } else {
                bind(name, to: id, authenticated: true, into: &actions)
            }
        case .wrongPassword, .noSuchAccount:
            respond(id, .wrongCredentials, "wrong name or password", into: &actions)
            log(.info, into: &actions) { "\(id) failed to authenticate as \(name)" }
        case .blocked:
            respond(id, .forbidden, "account \(name) is blocked", into: &actions)
            log(.info, into: &actions) { "\(id) refused: account \(name) is blocked" }
        }
    }

    private mutating func bind(_ name: String, to id: ConnectionID, authenticated: Bool, into actions: inout [ServerAction]) {
        let already = clients[id]?.name == name
        clients[id]!.name = name
        clients[id]!.authenticated = clients[id]!.authenticated || authenticated
        online[name] = id
        respond(id, .ok, "OK", pipelining: true, into: &actions)
        if !already {
            log(.info, into: &actions) { "\(id) is \(name)\(authenticated ? "" : " (guest)")" }
        } else if authenticated {
            log(.info, into: &actions) { "\(id) authenticated as \(name)" }
        }
    }

    // MARK: - Messages

    private mutating func message(
        _ message: Message, frame: Frame, bytes: ArraySlice<UInt8>, from id: ConnectionID,
        into actions: inout [ServerAction]
    ) {
        guard let client = clients[id], let name = client.name else {
            respond(id, .unauthorized, "no name yet: send presence or authenticate first", into: &actions)
            return
        }
        if let from = message.from, from != name {
            respond(id, .forbidden, "from: \(from) is not this connection's name (\(name))", into: &actions)
            return
        }
        if message.isToRoom {
            guard let room = rooms[message.to] else {
                respond(id, .notFound, "no such room: \(message.to)", into: &actions)
                return
            }
            guard client.rooms.contains(message.to) else {
                respond(id, .forbidden, "not a member of \(message.to): join it first", into: &actions)
                return
            }
            guard let out = forwarded(message, frame: frame, bytes: bytes, sender: name, into: &actions, id) else { return }
            for member in room.members where member != id { actions.append(.send(member, out)) }
        } else if let recipient = online[message.to] {
            guard let out = forwarded(message, frame: frame, bytes: bytes, sender: name, into: &actions, id) else { return }
            actions.append(.send(recipient, out))
        } else if isKnown(message.to) {
            respond(id, .gone, "\(message.to) is offline", into: &actions)
            return
        } else {
            respond(id, .notFound, "no such user: \(message.to)", into: &actions)
            return
        }
        respond(id, .ok, "OK", into: &actions)
    }

    /// The bytes to forward: those received when `from` and `encoding` are there and the text is on
    /// one line, otherwise the frame re-encoded with them filled in. Nil (after a 400) when the
    /// re-encoded frame would break the frame limit.
    private mutating func forwarded(
        _ message: Message, frame: Frame, bytes: ArraySlice<UInt8>, sender: String,
        into actions: inout [ServerAction], _ id: ConnectionID
    ) -> ArraySlice<UInt8>? {
        if message.from != nil && message.encoding != nil && !bytes.contains(0x0A) { return bytes }
        var object = frame.object
        if message.from == nil { object["from"] = .string(sender) }
        if message.encoding == nil { object["encoding"] = .string("ascii") }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 48)
        JSONWriter.append(object, to: &out)
        let characters = out.count(where: { $0 & 0xC0 != 0x80 })
        if characters > configuration.limits.frame {
            refuse(
                id, "msg: \(characters) characters once from and encoding are filled in, the frame limit is \(configuration.limits.frame)",
                into: &actions)
            return nil
        }
        return out[...]
    }

    // MARK: - Rooms

    private mutating func join(_ room: String, from id: ConnectionID, into actions: inout [ServerAction]) {
        guard let client = clients[id], client.name != nil else {
            respond(id, .unauthorized, "no name yet: send presence or authenticate first", into: &actions)
            return
        }
        if client.rooms.contains(room) {
            respond(id, .ok, "already in \(room)", into: &actions)
            return
        }
        if client.rooms.count >= configuration.maxRoomsPerClient {
            respond(id, .forbidden, "too many rooms: the limit is \(configuration.maxRoomsPerClient)", into: &actions)
            return
        }
        clients[id]!.rooms.append(room)
        if rooms[room] != nil {
            rooms[room]!.members.append(id)
            respond(id, .ok, "joined \(room)", into: &actions)
        } else {
            rooms[room] = Room(members: [id])
            respond(id, .created, "created \(room)", into: &actions)
        }
    }

    private mutating func leave(_ room: String, from id: ConnectionID, into actions: inout [ServerAction]) {
        guard let client = clients[id], client.name != nil else {
            respond(id, .unauthorized, "no name yet: send presence or authenticate first", into: &actions)
            return
        }
        guard let i = client.rooms.firstIndex(of: room) else {
            respond(id, .notFound, rooms[room] == nil ? "no such room: \(room)" : "not a member of \(room)", into: &actions)
            return
        }
        clients[id]!.rooms.remove(at: i)
        removeMember(id, from: room)
        respond(id, .ok, "left \(room)", into: &actions)
    }
}
