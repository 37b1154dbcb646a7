import Foundation
import JIMCore

#if canImport(Glibc)
    import Glibc
#endif

/// A JIM server played by a script on a thread, on 127.0.0.1 and a port the kernel picks, for
/// running `jim-send` and `jim-listen` in-process against exactly the behaviour a test needs: a
/// course server that does not pipeline, a probe at the wrong moment, a refusal, a connection cut.
///
/// The script gets one `Peer` per accepted connection, in order; whatever it throws is kept, and
/// `finish()` waits for the script and returns the failures.
final class ScriptedServer: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let port: UInt16
    private let listener: Int32
    private let finished = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var failures: [String] = []

    /// Listens, then runs `script` on a thread; the script accepts connections as it needs them.
    init(_ script: @escaping @Sendable (Acceptor) throws -> Void) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw Failure(description: "bind/listen: \(reason)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        let accepts = Acceptor(listener: listener)
        Thread.detachNewThread { [self] in
            do {
                try script(accepts)
            } catch {
                lock.lock()
                failures.append("\(error)")
                lock.unlock()
            }
            finished.signal()
        }
    }

    deinit { close(listener) }

    /// Waits for the script (at most `timeout` seconds) and returns what went wrong in it.
    func finish(timeout: Double = 20) -> [String] {
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            return ["the script did not finish in \(timeout) s"]
        }
        lock.lock()
        defer { lock.unlock() }
        return failures
    }

    /// Accepts the connections in turn: `accept[0]()` is the first, `accept[1]()` the next.
    final class Acceptor: @unchecked Sendable {
        let listener: Int32

        init(listener: Int32) {
            self.listener = listener
        }

        /// A function that waits for the next connection (the index only reads well in scripts).
        subscript(_ index: Int) -> () throws -> Peer {
            { [listener] in try Peer(accepting: listener) }
        }
    }

    /// One accepted connection: frames in, JSON text out.
    final class Peer {
        let fd: Int32
        private var decoder = FrameDecoder(limits: Limits(message: 100_000, frame: 400_000))
        /// Every frame received, as its JSON text.
        private(set) var received: [String] = []
        private var lookahead: String?

        init(accepting listener: Int32) throws {
            var entry = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 10_000) == 1 else { throw Failure(description: "no connection within 10 s") }
            fd = accept(listener, nil, nil)
            guard fd >= 0 else { throw Failure(description: "accept: \(String(cString: strerror(errno)))") }
        }

        deinit { close(fd) }

        /// The next frame's JSON text; throws after `timeout` seconds or at end of file.
        func readText(timeout: Double = 10) throws -> String {
            guard let text = try nextText(timeout: timeout) else {
                throw Failure(description: "end of file; received so far: \(received)")
            }
            return text
        }

        /// The next frame, parsed and typed.
        func read(timeout: Double = 10) throws -> Frame {
            try Frame(
                parsing: Array(try readText(timeout: timeout).utf8), limits: Limits(message: 100_000, frame: 400_000))
        }

        /// The next request; throws if it is not `action`.
        @discardableResult
        func expect(_ action: String, timeout: Double = 10) throws -> Frame {
            let frame = try read(timeout: timeout)
            guard frame.request?.action == action else {
                throw Failure(description: "expected \(action), got \(received.last ?? "nothing")")
            }
            return frame
        }

        /// Nil at end of file; throws after `timeout` seconds without a frame.
        func nextText(timeout: Double = 10) throws -> String? {
            if let text = lookahead {
                lookahead = nil
                received.append(text)
                return text
            }
            let deadline = Date(timeIntervalSinceNow: timeout)
            while true {
                if let output = decoder.next() {
                    guard case .frame(let raw) = output else { throw Failure(description: "bad bytes from the client") }
                    let text = String(decoding: raw.bytes, as: UTF8.self)
                    received.append(text)
                    return text
                }
                let ms = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
                var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&entry, 1, ms) == 1 else {
                    throw Failure(description: "no frame within \(timeout) s; received so far: \(received)")
                }
                var chunk = [UInt8](repeating: 0, count: 65536)
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { return nil }
                decoder.feed(chunk[..<n])
            }
        }

        /// Whether the client sends no frame within `seconds` (a bounded look for a frame that must not
        /// come; a frame that does come is kept for the next read).
        func staysQuiet(for seconds: Double) -> Bool {
            guard lookahead == nil else { return false }
            guard let text = try? nextText(timeout: seconds) else { return true }
            received.removeLast()
            lookahead = text
            return false
        }

        /// Whether the client closes (end of file) within `timeout` seconds, after sending only `quit`, if anything.
        func closesAfterQuit(timeout: Double = 10) throws -> Bool {
            while let text = try nextText(timeout: timeout) {
                guard text == #"{"action":"quit"}"# else { throw Failure(description: "expected quit, got \(text)") }
            }
            return true
        }

        /// Sends one frame (an LF is added).
        func send(_ json: String) {
            let bytes = Array((json + "\n").utf8)
            var offset = 0
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBytes {
                    Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                }
                if n <= 0 { return }
                offset += n
            }
        }

        /// Sends a response: `alert` for 1xx and 2xx, `error` otherwise.
        func answer(_ code: Int, _ text: String? = nil, pipelining: Bool = false) {
            let key = code < 400 ? "alert" : "error"
            let body = text ?? (code < 400 ? "OK" : "refused")
            send(
                #"{"response":\#(code),"time":1732460000.5,"\#(key)":"\#(body)"\#(pipelining ? #","pipelining":true"# : "")}"#
            )
        }

        /// Reads the identity and answers 200 (with `pipelining` as asked).
        @discardableResult
        func welcome(pipelining: Bool = true) throws -> Frame {
            let frame = try read()
            guard frame.request?.action == "presence" || frame.request?.action == "authenticate" else {
                throw Failure(description: "expected presence or authenticate, got \(received.last ?? "")")
            }
            answer(200, pipelining: pipelining)
            return frame
        }

        /// Closes the connection at once.
        func hangUp() {
            shutdown(fd, Int32(SHUT_RDWR))
        }
    }
}

/// `message` of each msg frame in `texts`.
func messages(in frames: [Frame]) -> [String] {
    frames.compactMap { if case .msg(let m)? = $0.request { m.message } else { nil } }
}
