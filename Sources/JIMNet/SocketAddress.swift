#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A concrete socket address: IPv4, IPv6 or a Unix-domain path.
///
/// Made by resolving an `Endpoint`, by `wildcards(port:)`, or read back from the kernel
/// (a listener's bound address, a peer). `description` prints `127.0.0.1:7777`, `[::1]:7777`
/// or `unix:/tmp/x.sock`.
public struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address family.
    public enum Family: Sendable, Hashable {
        /// IPv4 (`AF_INET`).
        case ipv4
        /// IPv6 (`AF_INET6`).
        case ipv6
        /// Unix-domain (`AF_UNIX`).
        case unix
    }

    enum Storage: Sendable {
        case ipv4(sockaddr_in)
        case ipv6(sockaddr_in6)
        case unix(path: String)
    }

    let storage: Storage

    init(_ storage: Storage) {
        self.storage = storage
    }

    /// The longest Unix socket path, in bytes (`sun_path` less its terminating NUL).
    public static let maxUnixPathLength: Int = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1

    /// A Unix-domain address; nil when the path is empty, too long, or contains NUL.
    public init?(unixPath path: String) {
        guard !path.isEmpty, path.utf8.count <= SocketAddress.maxUnixPathLength, !path.utf8.contains(0) else {
            return nil
        }
        storage = .unix(path: path)
    }

    /// The IPv4 and IPv6 wildcard addresses (`0.0.0.0` and `::`) on a port: where a server
    /// listens when told no address. Listen on each separately; IPv6 listeners are IPv6-only.
    public static func wildcards(port: UInt16) -> [SocketAddress] {
        var v4 = sockaddr_in()
        v4.sin_family = sa_family_t(AF_INET)
        v4.sin_port = port.bigEndian
        v4.sin_addr.s_addr = INADDR_ANY
        var v6 = sockaddr_in6()
        v6.sin6_family = sa_family_t(AF_INET6)
        v6.sin6_port = port.bigEndian
        v6.sin6_addr = in6addr_any
        return [SocketAddress(.ipv4(v4)), SocketAddress(.ipv6(v6))]
    }

    /// The address family.
    public var family: Family {
        switch storage {
        case .ipv4: .ipv4
        case .ipv6: .ipv6
        case .unix: .unix
        }
    }

    /// The port of an IP address; nil for a Unix address.
    public var port: UInt16? {
        switch storage {
        case .ipv4(let a): UInt16(bigEndian: a.sin_port)
        case .ipv6(let a): UInt16(bigEndian: a.sin6_port)
        case .unix: nil
        }
    }

    /// The path of a Unix address (empty for an unnamed one); nil for an IP address.
    public var unixPath: String? {
        if case .unix(let path) = storage { return path }
        return nil
    }

    /// The same address with another port (a Unix address is returned unchanged).
    public func withPort(_ port: UInt16) -> SocketAddress {
        switch storage {
        case .ipv4(var a):
            a.sin_port = port.bigEndian
            return SocketAddress(.ipv4(a))
        case .ipv6(var a):
            a.sin6_port = port.bigEndian
            return SocketAddress(.ipv6(a))
        case .unix:
            return self
        }
    }

    /// The address without the port: `127.0.0.1`, `::1` (no brackets), or the Unix path.
    public var host: String {
        switch storage {
        case .ipv4(var a):
            return withUnsafeBytes(of: &a.sin_addr) {
                SocketAddress.presentation(AF_INET, $0.baseAddress!, capacity: Int(INET_ADDRSTRLEN))
            }
        case .ipv6(var a):
            let text = withUnsafeBytes(of: &a.sin6_addr) {
                SocketAddress.presentation(AF_INET6, $0.baseAddress!, capacity: Int(INET6_ADDRSTRLEN))
            }
            return a.sin6_scope_id == 0 ? text : "\(text)%\(a.sin6_scope_id)"
        case .unix(let path):
            return path
        }
    }

    public var description: String {
        switch storage {
        case .ipv4(let a): "\(host):\(UInt16(bigEndian: a.sin_port))"
        case .ipv6(let a): "[\(host)]:\(UInt16(bigEndian: a.sin6_port))"
        case .unix(let path): path.isEmpty ? "unix:(unnamed)" : "unix:\(path)"
        }
    }

    private static func presentation(_ family: Int32, _ address: UnsafeRawPointer, capacity: Int) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: capacity) { buffer in
            guard inet_ntop(family, address, buffer.baseAddress, socklen_t(capacity)) != nil else { return "?" }
            return String(cString: buffer.baseAddress!)
        }
    }

    public static func == (lhs: SocketAddress, rhs: SocketAddress) -> Bool {
        switch (lhs.storage, rhs.storage) {
        case (.ipv4(let a), .ipv4(let b)):
            return a.sin_port == b.sin_port && a.sin_addr.s_addr == b.sin_addr.s_addr
        case (.ipv6(var a), .ipv6(var b)):
            return a.sin6_port == b.sin6_port && a.sin6_scope_id == b.sin6_scope_id
                && withUnsafeBytes(of: &a.sin6_addr) { x in
                    withUnsafeBytes(of: &b.sin6_addr) { y in x.elementsEqual(y) }
                }
        case (.unix(let a), .unix(let b)):
            return a == b
        default:
            return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch storage {
        case .ipv4(let a):
            hasher.combine(4)
            hasher.combine(a.sin_port)
            hasher.combine(a.sin_addr.s_addr)
        case .ipv6(var a):
            hasher.combine(6)
            hasher.combine(a.sin6_port)
            hasher.combine(a.sin6_scope_id)
            withUnsafeBytes(of: &a.sin6_addr) { hasher.combine(bytes: $0) }
        case .unix(let path):
            hasher.combine(path)
        }
    }
}
