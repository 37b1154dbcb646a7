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
    private var input = ReceivedLines()

    /// Connects to 127.0.0.1:`port` with `SO_RCVBUF` = `receiveBuffer` and takes `name` (presence answered 200).
    init(port: UInt16, name: String, receiveBuffer: Int32 = 4096) throws {
        let fd = try connectLoopback(port: port, receiveBuffer: receiveBuffer)
        self.fd = fd
        let presence = Array(JIMFrames.presence(name).utf8)
        _ = presence.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        let answer = try readLine(timeout: 5)
        guard answer.hasPrefix(#"{"response":200"#) else {
            closeNow()
            throw TestClient.Failure(description: "presence \(name) answered \(answer)")
        }
    }

    deinit { if fd >= 0 { close(fd) } }

    /// The next LF-terminated line (without the LF); throws on timeout or end of file.
    func readLine(timeout: Double = 5) throws -> String { try input.readLine(fd, timeout: timeout) }

    /// Every whole line until the server's side ends (end of file or reset), within `timeout`
    /// seconds. A last line without its LF (a frame the server had only partly written) is left out.
    func linesToEnd(timeout: Double = 20) throws -> [String] {
        let received = try input.toEnd(fd, timeout: timeout)
        let end = (received.lastIndex(of: 0x0A) ?? -1) + 1
        return received[..<end].split(separator: 0x0A).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Closes the socket now; unread input makes the kernel send a reset.
    func closeNow() {
        close(fd)
        fd = -1
    }
}
