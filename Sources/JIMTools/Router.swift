public import JIMCore

/// Per-line routing for `jim-encode -R` and `jim-send`: `@bob text` goes to `bob`, `#ops text` to
/// `#ops`, any other line to the default target.
///
/// The target word runs from the `@` or `#` to the first space or the end of the line; that one space is
/// the separator and is not part of the message (`@bob  hi` sends ` hi`, `@bob` alone sends an empty
/// message). The target must be a valid name or room (PROTOCOL.md section 2). A line that does not start
/// with `@` or `#` goes to `defaultTarget`, and is an error when there is none. There is no escape: with
/// routing on, a message cannot start with `@` or `#` unless it is sent with an explicit route, e.g.
/// `#ops #1 priority`.
///
/// Works on the line's bytes; the last target's `String` is kept, so a run of lines to the same target
/// allocates nothing.
public struct Router: Sendable {
    /// Where a line without a route goes, or nil to make such a line an error.
    public var defaultTarget: String?
    /// The limits names are checked against.
    public var limits: Limits

    private var lastRoute: [UInt8] = []
    private var lastTarget = ""

    /// Creates a router; `defaultTarget` must already be a valid name or room.
    public init(defaultTarget: String? = nil, limits: Limits = .standard) {
        self.defaultTarget = defaultTarget
        self.limits = limits
    }

    /// A routed line: the target and the byte range of the message within the line.
    public struct Route: Sendable, Equatable {
        /// The user name or `#room` the line goes to.
        public var target: String
        /// The message: the bytes of the line after the route and its separating space.
        public var message: Range<Int>

        /// Creates a route.
        public init(target: String, message: Range<Int>) {
            self.target = target
            self.message = message
        }
    }

    /// Routes one line given as bytes (without its line end).
    public mutating func route(_ line: UnsafeRawBufferPointer) throws(RouteError) -> Route {
        let first = line.first
        guard first == UInt8(ascii: "@") || first == UInt8(ascii: "#") else {
            guard let defaultTarget else { throw RouteError.noTarget }
            return Route(target: defaultTarget, message: 0..<line.count)
        }
        var end = 1
        while end < line.count && line[end] != UInt8(ascii: " ") { end += 1 }
        let route = UnsafeRawBufferPointer(rebasing: line[0..<end])
        let messageStart = min(end + 1, line.count)
        if !route.elementsEqual(lastRoute) {
            let word = first == UInt8(ascii: "@") ? UnsafeRawBufferPointer(rebasing: route[1...]) : route
            guard let target = String(validating: word, as: UTF8.self) else {
                throw RouteError.badTarget(target: String(decoding: route, as: UTF8.self), reason: "not valid UTF-8")
            }
            let problem =
                first == UInt8(ascii: "@")
                ? Names.userProblem(target, limits: limits) : Names.roomProblem(target, limits: limits)
            if let problem {
                throw RouteError.badTarget(target: String(decoding: route, as: UTF8.self), reason: problem)
            }
            lastRoute = Array(route)
            lastTarget = target
        }
        return Route(target: lastTarget, message: messageStart..<line.count)
    }

    /// Routes one line given as text; returns the target and the message.
    public mutating func route(_ line: String) throws(RouteError) -> (target: String, message: Substring) {
        var line = line
        var result: Result<Route, RouteError> = .failure(.noTarget)
        line.withUTF8 { utf8 in
            do throws(RouteError) {
                result = .success(try self.route(UnsafeRawBufferPointer(utf8)))
            } catch {
                result = .failure(error)
            }
        }
        let route = try result.get()
        let utf8 = line.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: route.message.lowerBound)
        return (route.target, Substring(line[start...]))
    }
}
