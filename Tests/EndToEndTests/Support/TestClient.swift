import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A plain blocking TCP client on loopback for end-to-end tests: raw bytes out, lines in.
final class TestClient {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let fd: Int32
    private var input = ReceivedLines()

    /// Connects to 127.0.0.1:`port`.
    init(port: UInt16) throws {
        fd = try connectLoopback(port: port)
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(fd) }

    /// Writes every byte.
    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(description: "send: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }

    /// Writes a string's UTF-8 bytes as they are (add "\n" yourself for NDJSON).
    func send(_ text: String) throws { try send(Array(text.utf8)) }

    /// Shuts down the sending side (the server reads end of file).
    func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    /// The next LF-terminated line (without the LF); throws on timeout or end of file.
    func readLine(timeout: Double = 5) throws -> String { try input.readLine(fd, timeout: timeout) }

    /// The next frame, parsed as a JSON object.
    func readFrame(timeout: Double = 5) throws -> [String: Any] {
        let line = try readLine(timeout: timeout)
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw Failure(description: "not a JSON object: \(line)")
        }
        return object
    }

    /// The next frame's `response` code (fails on a push).
    func readCode(timeout: Double = 5) throws -> Int {
        let frame = try readFrame(timeout: timeout)
        guard let code = frame["response"] as? Int else { throw Failure(description: "not a response: \(frame)") }
        return code
    }

    /// Sends one NDJSON line and returns the code of the response to it.
    func request(_ text: String) throws -> Int {
        try send(text + "\n")
        return try readCode()
    }

    /// Everything until the server closes the connection; throws on timeout.
    func readToEnd(timeout: Double = 5) throws -> [UInt8] { try input.toEnd(fd, timeout: timeout) }

    /// Whether the server closed the connection within `timeout` seconds (what was still unread is discarded).
    func isClosedByServer(timeout: Double = 5) -> Bool {
        (try? readToEnd(timeout: timeout)) != nil
    }
}
