import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What a test's socket has received and not yet read: whole lines are taken out, the rest kept.
/// Shared by `TestClient` and `LaggingReader`.
struct ReceivedLines {
    private var buffer: [UInt8] = []

    /// Reads what arrives on `fd` before `deadline` (throws when nothing does); false at end of file
    /// or a reset.
    mutating func fill(_ fd: Int32, until deadline: Date) throws -> Bool {
        let ms = max(0, Int32(deadline.timeIntervalSinceNow * 1000))
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        if poll(&entry, 1, ms) <= 0 { throw TestClient.Failure(description: "timed out waiting for data") }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n < 0 {
            if errno == ECONNRESET { return false }
            throw TestClient.Failure(description: "recv: \(String(cString: strerror(errno)))")
        }
        if n == 0 { return false }
        buffer += chunk[..<n]
        return true
    }

    /// The next LF-terminated line (without the LF); throws on timeout or end of file.
    mutating func readLine(_ fd: Int32, timeout: Double) throws -> String {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while true {
            if let i = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[..<i], as: UTF8.self)
                buffer.removeSubrange(...i)
                return line
            }
            guard try fill(fd, until: deadline) else {
                throw TestClient.Failure(description: "end of file (buffered: \(String(decoding: buffer, as: UTF8.self)))")
            }
        }
    }

    /// Everything until the other side ends (end of file or reset), within `timeout` seconds; the
    /// buffer is empty afterwards.
    mutating func toEnd(_ fd: Int32, timeout: Double) throws -> [UInt8] {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while try fill(fd, until: deadline) {}
        defer { buffer.removeAll() }
        return buffer
    }
}

/// A blocking TCP socket connected to 127.0.0.1:`port`, with `SO_RCVBUF` set first when
/// `receiveBuffer` is given (so the kernel advertises the small window from the start). Shared by
/// `TestClient` and `LaggingReader`.
func connectLoopback(port: UInt16, receiveBuffer: Int32? = nil) throws -> Int32 {
    #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard fd >= 0 else { throw TestClient.Failure(description: "socket: \(String(cString: strerror(errno)))") }
    if var size = receiveBuffer {
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
    }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    let status = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard status == 0 else {
        let reason = String(cString: strerror(errno))
        close(fd)
        throw TestClient.Failure(description: "connect to port \(port): \(reason)")
    }
    return fd
}
