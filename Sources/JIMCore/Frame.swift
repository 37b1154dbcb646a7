/// One JIM frame: a typed request or response, and the JSON object it is made of.
///
/// `object` keeps every member as it came, unknown ones included, so that re-emitting a frame loses
/// nothing; `kind` is the typed view the server and the tools act on.
public struct Frame: Sendable, Equatable {
    /// The typed view.
    public enum Kind: Sendable, Equatable {
        /// A frame with `action`: a request, or a push such as a forwarded `msg` or a `probe`.
        case request(Request)
        /// A frame with `response`: an answer, or a 100/101 notice.
        case response(Response)
    }

    public var kind: Kind
    public var object: JSONObject

    /// Parses, types and validates the JSON text of one frame.
    public init(parsing bytes: UnsafeRawBufferPointer, limits: Limits = .standard) throws(FrameError) {
        try self.init(object: JSONParser.parseObject(bytes, maxDepth: limits.depth), limits: limits)
    }

    /// Parses, types and validates the JSON text of one frame.
    public init(parsing bytes: some Collection<UInt8>, limits: Limits = .standard) throws(FrameError) {
        try self.init(object: JSONParser.parseObject(bytes, maxDepth: limits.depth), limits: limits)
    }

    /// Types and validates a parsed object against `limits` and PROTOCOL.md's naming rules.
    public init(object: JSONObject, limits: Limits = .standard) throws(FrameError) {
        self.object = object
        let fields = FieldReader(object: object, limits: limits)
        if let actionValue = object["action"] {
            guard let action = actionValue.string else { throw FrameError(.field, "action: not a string") }
            try fields.checkLength(action, limit: limits.action, field: "action")
            self.kind = .request(try fields.request(action: action))
        } else if let code = object["response"] {
            guard let n = code.number, n.isInteger, let v = n.int, (100...999).contains(v) else {
                throw FrameError(.field, "response: not a 3-digit integer")
            }
            let code = ResponseCode(v)
            var text = try fields.optionalString(code.isSuccess ? "alert" : "error")
            if text == nil { text = try fields.optionalString(code.isSuccess ? "error" : "alert") }
            let pipelining: Bool
            if case .bool(true) = object["pipelining"] { pipelining = true } else { pipelining = false }
            self.kind = .response(Response(code, text, time: try fields.time(required: false), pipelining: pipelining))
        } else {
            throw FrameError(.field, "action: missing")
        }
    }

    /// A frame for `request`, members in the canonical order our tools write.
    public init(_ request: Request) {
        self.kind = .request(request)
        var o: [(key: String, value: JSONValue)] = [("action", .string(request.action))]
        func time(_ t: JSONNumber?) { if let t { o.append(("time", .number(t))) } }
        switch request {
        case .presence(let p):
            time(p.time)
            if let type = p.type { o.append(("type", .string(type))) }
            var user: [(key: String, value: JSONValue)] = [("account_name", .string(p.accountName))]
            if let status = p.status { user.append(("status", .string(status))) }
            o.append(("user", .object(JSONObject(user))))
        case .authenticate(let c):
            time(c.time)
            o.append(("user", .object(JSONObject([("account_name", .string(c.accountName)), ("password", .string(c.password))]))))
        case .msg(let m):
            time(m.time)
            o.append(("to", .string(m.to)))
            if let from = m.from { o.append(("from", .string(from))) }
            if let encoding = m.encoding { o.append(("encoding", .string(encoding))) }
            o.append(("message", .string(m.message)))
        case .join(let r), .leave(let r):
            time(r.time)
            o.append(("room", .string(r.room)))
        case .probe(let t):
            time(t)
        case .quit, .unknown:
            break
        }
        self.object = JSONObject(o)
    }

    /// A frame for `response`: `response`, `time`, then `alert` or `error`, then `pipelining` when set.
    public init(_ response: Response) {
        self.kind = .response(response)
        var o: [(key: String, value: JSONValue)] = [("response", .number(JSONNumber(response.code.rawValue)))]
        if let t = response.time { o.append(("time", .number(t))) }
        if let text = response.text { o.append((response.code.isSuccess ? "alert" : "error", .string(text))) }
        if response.pipelining { o.append(("pipelining", .bool(true))) }
        self.object = JSONObject(o)
    }

    /// The frame as compact JSON followed by one LF.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128)
        encode(to: &out)
        return out
    }

    /// Appends the frame as compact JSON followed by one LF.
    public func encode(to out: inout [UInt8]) {
        JSONWriter.append(object, to: &out)
        out.append(0x0A)
    }

    /// The request, if this frame is one.
    public var request: Request? {
        if case .request(let r) = kind { return r }
        return nil
    }

    /// The response, if this frame is one.
    public var response: Response? {
        if case .response(let r) = kind { return r }
        return nil
    }
}

/// Reads typed fields out of a frame's object, with errors that name the field.
struct FieldReader {
    let object: JSONObject
    let limits: Limits

    func request(action: String) throws(FrameError) -> Request {
        switch action {
        case "presence":
            let user = try userObject()
            let name = try Names.checkUser(try string("account_name", in: user, path: "user.account_name"), field: "user.account_name", limits: limits)
            let status = try optionalString("status", in: user, path: "user.status")
            return .presence(Presence(accountName: name, status: status, type: try optionalString("type"), time: try time(required: true)))
        case "authenticate":
            let user = try userObject()
            let name = try Names.checkUser(try string("account_name", in: user, path: "user.account_name"), field: "user.account_name", limits: limits)
            let password = try string("password", in: user, path: "user.password")
            return .authenticate(Credentials(accountName: name, password: password, time: try time(required: true)))
        case "msg":
            let to = try Names.checkTarget(try string("to"), field: "to", limits: limits)
            let from = try optionalString("from").map { (s) throws(FrameError) in try Names.checkUser(s, field: "from", limits: limits) }
            let message = try string("message")
            try checkLength(message, limit: limits.message, field: "message")
            let encoding = try optionalString("encoding")
            return .msg(Message(to: to, from: from, message: message, encoding: encoding, time: try time(required: true)))
        case "join", "leave":
            let room = try Names.checkRoom(try string("room"), field: "room", limits: limits)
            let r = RoomRequest(room: room, time: try time(required: true))
            return action == "join" ? .join(r) : .leave(r)
        case "quit":
            _ = try time(required: false)
            return .quit
        case "probe":
            return .probe(time: try time(required: false))
        default:
            return .unknown(action: action)
        }
    }

    func time(required: Bool) throws(FrameError) -> JSONNumber? {
        guard let v = object["time"] else {
            if required { throw FrameError(.field, "time: missing") }
            return nil
        }
        guard let n = v.number else { throw FrameError(.field, "time: not a number") }
        return n
    }

    private func userObject() throws(FrameError) -> JSONObject {
        guard let v = object["user"] else { throw FrameError(.field, "user: missing") }
        guard let o = v.object else { throw FrameError(.field, "user: not an object") }
        return o
    }

    func string(_ key: String) throws(FrameError) -> String {
        try string(key, in: object, path: key)
    }

    func optionalString(_ key: String) throws(FrameError) -> String? {
        try optionalString(key, in: object, path: key)
    }

    private func string(_ key: String, in o: JSONObject, path: String) throws(FrameError) -> String {
        guard let s = try optionalString(key, in: o, path: path) else { throw FrameError(.field, "\(path): missing") }
        return s
    }

    private func optionalString(_ key: String, in o: JSONObject, path: String) throws(FrameError) -> String? {
        guard let v = o[key] else { return nil }
        guard let s = v.string else { throw FrameError(.field, "\(path): not a string") }
        return s
    }

    func checkLength(_ s: String, limit: Int, field: String) throws(FrameError) {
        if s.utf8.count > limit {
            let n = Names.scalarCount(s)
            if n > limit { throw FrameError(.field, "\(field): \(n) characters, the limit is \(limit)") }
        }
    }
}
