#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Conversions between `SocketAddress` and the kernel's `sockaddr` structures.
extension SocketAddress {
    /// The `AF_*` constant of this address.
    var systemFamily: Int32 {
        switch storage {
        case .ipv4: AF_INET
        case .ipv6: AF_INET6
        case .unix: AF_UNIX
        }
    }

    /// Calls `body` with this address as a `sockaddr` pointer and its length.
    func withSockAddr<R, E: Error>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws(E) -> R) throws(E) -> R {
        switch storage {
        case .ipv4(var a):
            return try withUnsafeBytes(of: &a) { (raw) throws(E) -> R in
                try body(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
            }
        case .ipv6(var a):
            return try withUnsafeBytes(of: &a) { (raw) throws(E) -> R in
                try body(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
            }
        case .unix(let path):
            var a = sockaddr_un()
            a.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8.prefix(SocketAddress.maxUnixPathLength))
            withUnsafeMutableBytes(of: &a.sun_path) { dest in
                dest.copyBytes(from: bytes)
            }
            let length = SocketAddress.unixPathOffset + bytes.count + 1
            return try withUnsafeBytes(of: &a) { (raw) throws(E) -> R in
                try body(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(length))
            }
        }
    }

    /// Where `sun_path` starts in `sockaddr_un`.
    static let unixPathOffset: Int = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path) ?? 2

    /// Reads an address the kernel wrote into `storage` (`length` bytes of it); nil for a family
    /// this module does not speak.
    init?(kernel storage: UnsafeRawPointer, length: socklen_t) {
        let family = Int32(storage.load(as: sockaddr.self).sa_family)
        switch family {
        case AF_INET where Int(length) >= MemoryLayout<sockaddr_in>.size:
            self.init(.ipv4(storage.loadUnaligned(as: sockaddr_in.self)))
        case AF_INET6 where Int(length) >= MemoryLayout<sockaddr_in6>.size:
            self.init(.ipv6(storage.loadUnaligned(as: sockaddr_in6.self)))
        case AF_UNIX:
            let count = max(0, min(Int(length) - SocketAddress.unixPathOffset, SocketAddress.maxUnixPathLength + 1))
            let bytes = UnsafeRawBufferPointer(start: storage + SocketAddress.unixPathOffset, count: count)
            if let first = bytes.first, first == 0 {
                // An abstract socket (Linux): a leading NUL, then a name that may contain anything.
                let name = bytes.dropFirst().map { $0 == 0 ? UInt8(ascii: "@") : $0 }
                self.init(.unix(path: "@" + String(decoding: name, as: UTF8.self)))
            } else {
                let end = bytes.firstIndex(of: 0) ?? bytes.count
                self.init(.unix(path: String(decoding: bytes[..<end], as: UTF8.self)))
            }
        default:
            return nil
        }
    }

    /// Asks the kernel for an address with `getter` (getsockname, getpeername).
    static func query(
        _ call: String,
        _ getter: (UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> Int32
    ) throws(SystemError) -> SocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        try withUnsafeMutableBytes(of: &storage) { (raw) throws(SystemError) in
            let pointer = raw.baseAddress!.assumingMemoryBound(to: sockaddr.self)
            _ = try Syscall.call(call) { getter(pointer, &length) }
        }
        return withUnsafeBytes(of: &storage) { raw in
            SocketAddress(kernel: raw.baseAddress!, length: length)
        } ?? SocketAddress(.unix(path: ""))
    }
}
