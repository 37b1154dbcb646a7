/// A JIM response code: HTTP-like, three digits.
public struct ResponseCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public init(_ rawValue: Int) { self.rawValue = rawValue }

    /// 100: a notice pushed by the server.
    public static let notice = ResponseCode(100)
    /// 101: an important notice pushed by the server.
    public static let importantNotice = ResponseCode(101)
    /// 200: OK.
    public static let ok = ResponseCode(200)
    /// 201: created (a room was created and joined).
    public static let created = ResponseCode(201)
    /// 202: accepted.
    public static let accepted = ResponseCode(202)
    /// 400: bad request or bad JSON.
    public static let badRequest = ResponseCode(400)
    /// 401: not authorised (no name yet, or a registered name without authentication).
    public static let unauthorized = ResponseCode(401)
    /// 402: wrong login or password.
    public static let wrongCredentials = ResponseCode(402)
    /// 403: forbidden (blocked account, `from` mismatch, not a room member).
    public static let forbidden = ResponseCode(403)
    /// 404: no such user or room.
    public static let notFound = ResponseCode(404)
    /// 409: conflict, the name is held by another connection.
    public static let conflict = ResponseCode(409)
    /// 410: gone, the user exists but is offline.
    public static let gone = ResponseCode(410)
    /// 500: server error.
    public static let serverError = ResponseCode(500)

    /// 1xx and 2xx carry `alert`; 4xx and 5xx carry `error`.
    public var isSuccess: Bool { rawValue < 400 }

    /// A short English phrase for the code.
    public var phrase: String {
        switch rawValue {
        case 100: "notice"
        case 101: "important notice"
        case 200: "OK"
        case 201: "created"
        case 202: "accepted"
        case 400: "bad request"
        case 401: "not authorised"
        case 402: "wrong login or password"
        case 403: "forbidden"
        case 404: "not found"
        case 409: "conflict"
        case 410: "gone"
        case 500: "server error"
        default: "code \(rawValue)"
        }
    }

    public var description: String { String(rawValue) }
}
