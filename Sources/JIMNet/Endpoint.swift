/// Where to connect or listen, as a user writes it: a host and port, or a Unix socket path.
///
/// Accepted text (`Endpoint(parsing:defaultPort:)`):
/// - `host:port`, `host` (the default port), where host is a name or an IPv4 literal;
/// - `[v6addr]:port`, `[v6addr]`, and a bare IPv6 literal such as `::1` (the default port);
/// - `unix:/path/to.sock`.
///
/// A port is decimal, 0-65535 (0 asks the kernel for a free port when listening).
/// `resolve()` turns an endpoint into concrete `SocketAddress`es.
public enum Endpoint: Sendable, Hashable, CustomStringConvertible {
    /// A host name or IP literal (without brackets), and a port.
    case host(String, port: UInt16)
    /// A Unix-domain stream socket at this path.
    case unix(path: String)

    /// The longest Unix socket path the system accepts, in bytes.
    public static let maxUnixPathLength = SocketAddress.maxUnixPathLength

    /// Parses user text; throws `NetworkError.badAddress` naming the text and the fault.
    public init(parsing text: String, defaultPort: UInt16) throws(NetworkError) {
        func bad(_ reason: String) -> NetworkError { .badAddress(text: text, reason: reason) }
        if text.isEmpty { throw bad("empty address") }
        if text.hasPrefix("unix:") {
            let path = String(text.dropFirst(5))
            if path.isEmpty { throw bad("empty Unix socket path") }
            if path.utf8.count > Endpoint.maxUnixPathLength {
                throw bad("Unix socket path longer than \(Endpoint.maxUnixPathLength) bytes")
            }
            if path.utf8.contains(0) { throw bad("NUL in Unix socket path") }
            self = .unix(path: path)
            return
        }
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw bad("missing ] after IPv6 address") }
            let host = String(text[text.index(after: text.startIndex)..<close])
            if host.isEmpty { throw bad("empty IPv6 address") }
            if !host.contains(":") { throw bad("not an IPv6 address in brackets") }
            let rest = text[text.index(after: close)...]
            if rest.isEmpty {
                self = .host(host, port: defaultPort)
            } else if rest.first == ":" {
                self = .host(host, port: try Endpoint.port(rest.dropFirst(), in: text))
            } else {
                throw bad("expected :port after ]")
            }
            return
        }
        let colons = text.utf8.count(where: { $0 == UInt8(ascii: ":") })
        if colons >= 2 {
            // A bare IPv6 literal: its port, if any, must be written after brackets.
            self = .host(text, port: defaultPort)
            return
        }
        if colons == 1, let colon = text.firstIndex(of: ":") {
            let host = String(text[..<colon])
            if host.isEmpty { throw bad("empty host") }
            self = .host(host, port: try Endpoint.port(text[text.index(after: colon)...], in: text))
            return
        }
        self = .host(text, port: defaultPort)
    }

    /// The port, for a host endpoint.
    public var port: UInt16? {
        if case .host(_, let port) = self { return port }
        return nil
    }

    /// `host:port`, `[v6addr]:port` or `unix:/path`: text that parses back to this endpoint.
    public var description: String {
        switch self {
        case .host(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unix(let path): "unix:\(path)"
        }
    }

    private static func port(_ digits: Substring, in text: String) throws(NetworkError) -> UInt16 {
        if digits.isEmpty { throw .badAddress(text: text, reason: "empty port") }
        var value = 0
        for byte in digits.utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                throw .badAddress(text: text, reason: "port \"\(digits)\" is not a number")
            }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            if value > Int(UInt16.max) {
                throw .badAddress(text: text, reason: "port \(digits) is out of range (0-65535)")
            }
        }
        return UInt16(value)
    }
}
