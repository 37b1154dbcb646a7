#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension ClientSession {
    /// Tells a push (`action`) from an answer (`response`) and handles it.
    mutating func received(_ view: FrameView, into actions: inout [Action]) {
        if let action = view[.action] {
            guard action.kind == .string else {
                actions.append(.unexpected("a frame whose action is not a string"))
                return
            }
            if view.string(.action, equals: "msg") {
                actions.append(.message(view))
            } else if view.string(.action, equals: "probe") {
                probed(into: &actions)
            } else {
                actions.append(.push(view))
            }
            return
        }
        guard view[.response] != nil else {
            actions.append(.unexpected("a frame with neither action nor response"))
            return
        }
        guard let code = Self.code(of: view) else {
            actions.append(.unexpected("a response that is not a 3-digit integer"))
            return
        }
        if code < 200 {
            actions.append(.push(view))
            return
        }
        guard let entry = inFlight.popFirst() else {
            actions.append(.unexpected("a response \(code) with no request waiting"))
            return
        }
        let isSuccess = code < 300
        let text =
            isSuccess ? (view.string(.alert) ?? view.string(.error)) : (view.string(.error) ?? view.string(.alert))
        var pipelining = false
        if let f = view[.pipelining], f.kind == .bool {
            pipelining = view.withRawBytes(.pipelining) { $0.count == 4 } ?? false
        }
        let response = Response(ResponseCode(code), text, pipelining: pipelining)
        answered(entry, response, isSuccess: isSuccess, into: &actions)
        pump(into: &actions)
    }

    /// The answer `{"response":200,"time":T,"alert":"OK"}`, recognised by `isPlainOK`.
    mutating func receivedPlainOK(into actions: inout [Action]) {
        guard let entry = inFlight.popFirst() else {
            actions.append(.unexpected("a response 200 with no request waiting"))
            return
        }
        answered(entry, Self.plainOK, isSuccess: true, into: &actions)
        pump(into: &actions)
    }

    static let plainOK = Response(.ok, "OK")

    /// Whether `bytes` are exactly `{"response":200,"time":T,"alert":"OK"}` with T digits and an optional
    /// fraction: valid JSON by construction, so it needs no parsing (and has no `pipelining`).
    public static func isPlainOK(_ bytes: ArraySlice<UInt8>) -> Bool {
        let head = plainOKHead.count
        let tail = plainOKTail.count
        guard bytes.count > head + tail else { return false }
        let start = bytes.startIndex
        let same = bytes.withUnsafeBytes { raw in
            plainOKHead.withUnsafeBytes { memcmp(raw.baseAddress!, $0.baseAddress!, head) == 0 }
                && plainOKTail.withUnsafeBytes {
                    memcmp(raw.baseAddress! + (raw.count - tail), $0.baseAddress!, tail) == 0
                }
        }
        guard same else { return false }
        var i = start + head
        let end = bytes.endIndex - tail
        func digits() -> Bool {
            let first = i
            while i < end && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9") { i += 1 }
            return i > first
        }
        // A JSON number: no leading zero unless alone.
        if bytes[i] == UInt8(ascii: "0") && i + 1 < end && bytes[i + 1] != UInt8(ascii: ".") { return false }
        guard digits() else { return false }
        if i < end && bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() else { return false }
        }
        return i == end
    }

    private static let plainOKHead = Array(#"{"response":200,"time":"#.utf8)
    private static let plainOKTail = Array(#","alert":"OK"}"#.utf8)

    /// Handles the answer to the oldest request in flight.
    private mutating func answered(
        _ entry: InFlight, _ response: Response, isSuccess: Bool, into actions: inout [Action]
    ) {
        let answer = Answer(request: entry.kind, record: entry.record, response: response)
        switch entry.kind {
        case .identify:
            guard isSuccess else {
                actions.append(.answered(answer))
                refused(into: &actions)
                return
            }
            phase = .identified
            window = response.pipelining ? configuration.window : 1
            actions.append(.identified(response))
            let identity = configuration.identity
            if identity.password != nil && (identity.status != nil || probeOwed) {
                pending.pushFront(Outgoing(kind: .presence, record: nil, submitted: false, bytes: presenceFrame()[...]))
            }
            probeOwed = false
            sayReadyIfJoined(into: &actions)
        case .presence:
            if !isSuccess { actions.append(.answered(answer)) }
        case .join(let room):
            if isSuccess {
                roomStates[room] = .joined
                actions.append(.joined(room: room, response))
                if entry.submitted { actions.append(.answered(answer)) }
                sayReadyIfJoined(into: &actions)
            } else {
                forget(room)
                actions.append(.answered(answer))
            }
        case .leave(let room):
            if isSuccess { forget(room) }
            actions.append(.answered(answer))
        case .message, .other:
            actions.append(.answered(answer))
        }
    }

    /// A probe: answered with `presence` (after the identity, if that is still in flight).
    private mutating func probed(into actions: inout [Action]) {
        switch phase {
        case .identifying:
            // A presence in flight answers it already; an authenticate does not.
            if configuration.identity.password != nil { probeOwed = true }
        case .identified:
            pending.pushFront(Outgoing(kind: .presence, record: nil, submitted: false, bytes: presenceFrame()[...]))
            pump(into: &actions)
        case .offline, .finished:
            break
        }
    }

    /// The identity was refused: nothing else is sent; quit.
    private mutating func refused(into actions: inout [Action]) {
        inFlight.removeAll()
        pending.removeAll()
        sendQuit(into: &actions)
    }

    /// Says `ready` once per connection, when identified and in every configured room.
    private mutating func sayReadyIfJoined(into actions: inout [Action]) {
        guard !readySaid, phase == .identified else { return }
        for room in configuration.rooms where roomStates[room] != .joined { return }
        readySaid = true
        actions.append(.ready)
    }

    /// Stops wanting `room` (left, or its join was refused).
    private mutating func forget(_ room: String) {
        roomStates[room] = nil
        roomOrder.removeAll { $0 == room }
    }

    /// The `response` code, when it is a 3-digit integer.
    static func code(of view: FrameView) -> Int? {
        guard let f = view[.response], f.kind == .number else { return nil }
        return view.withRawBytes(.response) { raw -> Int? in
            guard raw.count == 3 else { return nil }
            var v = 0
            for b in raw {
                guard b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") else { return nil }
                v = v * 10 + Int(b - UInt8(ascii: "0"))
            }
            return v >= 100 ? v : nil
        } ?? nil
    }
}
