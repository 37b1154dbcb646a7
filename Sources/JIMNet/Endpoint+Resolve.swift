#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Endpoint {
    /// The concrete addresses of this endpoint, in the resolver's order of preference, without
    /// duplicates: getaddrinfo(3) for a host (names and literals alike), the path for Unix.
    ///
    /// Blocks while a name is looked up. Throws `NetworkError.unresolved` naming the endpoint.
    public func resolve() throws(NetworkError) -> [SocketAddress] {
        switch self {
        case .unix(let path):
            guard let address = SocketAddress(unixPath: path) else {
                throw .badAddress(text: description, reason: "bad Unix socket path")
            }
            return [address]
        case .host(let host, let port):
            return try Endpoint.lookUp(host: host, port: port, display: description)
        }
    }

    private static func lookUp(host: String, port: UInt16, display: String) throws(NetworkError) -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        // No AI_ADDRCONFIG: on a host with only loopback addresses it would hide localhost.
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        var status: Int32
        repeat {
            status = getaddrinfo(host, String(port), &hints, &list)
        } while status == EAI_SYSTEM && errno == EINTR
        if status != 0 {
            let reason =
                status == EAI_SYSTEM
                ? SystemError("getaddrinfo", errno: errno).reason
                : String(cString: gai_strerror(status))
            throw .unresolved(address: display, reason: reason)
        }
        defer { freeaddrinfo(list) }
        var addresses: [SocketAddress] = []
        var node = list
        while let info = node {
            if let sockaddr = info.pointee.ai_addr,
                let address = SocketAddress(kernel: UnsafeRawPointer(sockaddr), length: info.pointee.ai_addrlen),
                address.family != .unix, !addresses.contains(address)
            {
                addresses.append(address)
            }
            node = info.pointee.ai_next
        }
        if addresses.isEmpty { throw .unresolved(address: display, reason: "no IPv4 or IPv6 address") }
        return addresses
    }
}
