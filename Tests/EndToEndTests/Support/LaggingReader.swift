import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A named client with a small receive buffer that reads only when told to: a reader that lags.
///
/// The buffer size is set before `connect`, so the kernel advertises a small window from the
/// start: what the server writes for it then piles up in the server's socket buffer and, past
/// that, in the server's own write queue.
final class LaggingReader {
    private(set) var fd: Int32
    private var buffer: [UInt8] = []

    /// Connects to 127.0.0.1:`port` with `SO_RCVBUF` = `receiveBuffer` and takes `name` (presence answered 200).
    init(port: UInt16, name: String, receiveBuffer: Int32 = 4096) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        guard fd >= 0 else { throw TestClient.Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var size = receiveBuffer
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
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
            closeNow()
            throw TestClient.Failure(description: "connect to port \(port): \(reason)")
        }
        let presence = Array(JIMFrames.presence(name).utf8)
        _ = presence.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        let answer = try readLine(timeout: 5)
        guard answer.hasPrefix(#"{"response":200"#) else {
            closeNow()
            throw TestClient.Failure(description: "presence \(name) answered \(answer)")
        }
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Reads what arrives until `deadline`; false at end of file or a reset.
    private func fill(until deadline: Date) throws -> Bool {
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
    func readLine(timeout: Double = 5) throws -> String {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while true {
            if let i = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[..<i], as: UTF8.self)
                buffer.removeSubrange(...i)
                return line
            }
            guard try fill(until: deadline) else { throw TestClient.Failure(description: "end of file") }
        }
    }

    /// Every whole line until the server's side ends (end of file or reset), within `timeout`
    /// seconds. A last line without its LF (a frame the server had only partly written) is left out.
    func linesToEnd(timeout: Double = 20) throws -> [String] {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while try fill(until: deadline) {}
        defer { buffer.removeAll() }
        let end = (buffer.lastIndex(of: 0x0A) ?? -1) + 1
        return buffer[..<end].split(separator: 0x0A).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Closes the socket now; unread input makes the kernel send a reset.
    func closeNow() {
        close(fd)
        fd = -1
    }
}
