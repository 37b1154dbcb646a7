/// A request from a client, typed. The frame it came from stays available as `Frame.object`.
public enum Request: Sendable, Equatable {
    /// `presence`: take a guest name (or refresh presence, or answer a probe).
    case presence(Presence)
    /// `authenticate`: take a registered name with its password.
    case authenticate(Credentials)
    /// `msg`: a message to a user or a `#room`.
    case msg(Message)
    /// `join`: enter a room, creating it if needed.
    case join(RoomRequest)
    /// `leave`: leave a room.
    case leave(RoomRequest)
    /// `quit`: the client is leaving; no answer.
    case quit
    /// `probe`: only servers send it; a client that does gets 400.
    case probe(time: JSONNumber?)
    /// Any other action, kept by name (answered 400 by the server).
    case unknown(action: String)

    /// The action name as it goes on the wire.
    public var action: String {
        switch self {
        case .presence: "presence"
        case .authenticate: "authenticate"
        case .msg: "msg"
        case .join: "join"
        case .leave: "leave"
        case .quit: "quit"
        case .probe: "probe"
        case .unknown(let action): action
        }
    }

    /// The known action names, in the order documentation lists them.
    public static let actions = ["presence", "authenticate", "msg", "join", "leave", "quit", "probe"]
}

/// The fields of `presence`.
public struct Presence: Sendable, Equatable {
    public var accountName: String
    public var status: String?
    public var type: String?
    public var time: JSONNumber?

    public init(accountName: String, status: String? = nil, type: String? = "status", time: JSONNumber? = nil) {
        self.accountName = accountName
        self.status = status
        self.type = type
        self.time = time
    }
}

/// The fields of `authenticate`.
public struct Credentials: Sendable, Equatable {
    public var accountName: String
    public var password: String
    public var time: JSONNumber?

    public init(accountName: String, password: String, time: JSONNumber? = nil) {
        self.accountName = accountName
        self.password = password
        self.time = time
    }
}

/// The fields of `msg`.
public struct Message: Sendable, Equatable {
    /// A user name or a `#room`.
    public var to: String
    /// The sender; the server fills it in when missing.
    public var from: String?
    /// The text.
    public var message: String
    /// The original charset of the text; `ascii` when missing.
    public var encoding: String?
    public var time: JSONNumber?

    public init(to: String, from: String?, message: String, encoding: String? = nil, time: JSONNumber? = nil) {
        self.to = to
        self.from = from
        self.message = message
        self.encoding = encoding
        self.time = time
    }

    /// Whether the message goes to a room.
    public var isToRoom: Bool { to.utf8.first == UInt8(ascii: "#") }

    /// `ascii` for plain ASCII text, `utf-8` otherwise: what our tools put in `encoding`.
    public static func encoding(of text: String) -> String {
        text.utf8.allSatisfy { $0 < 0x80 } ? "ascii" : "utf-8"
    }
}

/// The field of `join` and `leave`.
public struct RoomRequest: Sendable, Equatable {
    public var room: String
    public var time: JSONNumber?

    public init(room: String, time: JSONNumber? = nil) {
        self.room = room
        self.time = time
    }
}

/// The server's answer to a request, or a pushed notice (100, 101).
public struct Response: Sendable, Equatable {
    public var code: ResponseCode
    /// `alert` for 1xx/2xx, `error` for 4xx/5xx.
    public var text: String?
    public var time: JSONNumber?
    /// Our servers add `"pipelining": true` to a 200 for presence and authenticate.
    public var pipelining: Bool

    public init(_ code: ResponseCode, _ text: String? = nil, time: JSONNumber? = nil, pipelining: Bool = false) {
        self.code = code
        self.text = text
        self.time = time
        self.pipelining = pipelining
    }
}
