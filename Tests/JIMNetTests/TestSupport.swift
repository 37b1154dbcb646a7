import Testing

@testable import JIMNet

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Shared helpers for the JIMNet tests: blocking-with-deadline reads and writes on nonblocking
/// sockets, temporary directories, and a recording event handler.
enum TestSupport {
    /// Whether the machine can listen on IPv6 loopback.
    static let ipv6Available: Bool = {
        guard let address = try? Endpoint(parsing: "[::1]:0", defaultPort: 0).resolve().first else { return false }
        return (try? Listener(address: address)) != nil
    }()

    /// A fresh empty directory under /tmp, short enough for Unix socket paths.
    static func temporaryDirectory() -> String {
        var template = Array("/tmp/jimnet-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Removes a directory made by `temporaryDirectory` and the files in it.
    static func remove(directory: String, files: [String]) {
        for file in files { unlink(directory + "/" + file) }
        rmdir(directory)
    }

    /// A listener on `text` (port 0 unless given).
    static func listen(_ text: String) throws -> Listener {
        let address = try #require(try Endpoint(parsing: text, defaultPort: 0).resolve().first)
        return try Listener(address: address)
    }

    /// Accepts one connection, waiting up to `timeout` for it.
    static func accept(_ listener: Listener, timeout: Duration = .seconds(5)) throws -> Socket {
        let deadline = MonotonicTime.now() + timeout
        while MonotonicTime.now() < deadline {
            if let (socket, _) = try listener.accept() { return socket }
            _ = try listener.socket.wait(for: .readable, timeout: deadline - MonotonicTime.now())
        }
        throw TestFailure("no connection to accept within \(timeout)")
    }

    /// Writes all of `bytes`, waiting for writability as needed.
    static func writeAll(_ socket: Socket, _ bytes: [UInt8], timeout: Duration = .seconds(5)) throws {
        let deadline = MonotonicTime.now() + timeout
        var offset = 0
        while offset < bytes.count {
            let written = try bytes.withUnsafeBytes { raw in
                try socket.write(UnsafeRawBufferPointer(rebasing: raw[offset...]))
            }
            if let written {
                offset += written
            } else {
                guard MonotonicTime.now() < deadline else { throw TestFailure("write timed out") }
                _ = try socket.wait(for: .writable, timeout: deadline - MonotonicTime.now())
            }
        }
    }

    /// Reads until `count` bytes or end of file, waiting up to `timeout` in all.
    static func read(_ socket: Socket, upTo count: Int, timeout: Duration = .seconds(5)) throws -> [UInt8] {
        let deadline = MonotonicTime.now() + timeout
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while result.count < count {
            let outcome = try chunk.withUnsafeMutableBytes { raw in
                try socket.read(
                    into: UnsafeMutableRawBufferPointer(rebasing: raw[..<min(raw.count, count - result.count)]))
            }
            switch outcome {
            case .bytes(let n): result += chunk[..<n]
            case .endOfFile: return result
            case .wouldBlock:
                guard MonotonicTime.now() < deadline else {
                    throw TestFailure("read timed out after \(result.count) bytes")
                }
                _ = try socket.wait(for: .readable, timeout: deadline - MonotonicTime.now())
            }
        }
        return result
    }

    /// Reads until end of file.
    static func readToEnd(_ socket: Socket, timeout: Duration = .seconds(5)) throws -> [UInt8] {
        try read(socket, upTo: .max, timeout: timeout)
    }

    /// A pattern of `count` bytes that shows misplaced or lost bytes.
    static func pattern(_ count: Int, seed: Int = 0) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            for index in 0..<count {
                buffer[index] = UInt8(truncatingIfNeeded: (index &* 31) &+ (index >> 8) &+ seed)
            }
            initialized = count
        }
    }
}

/// A test failure with a message, for helpers that cannot use #expect.
struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Records every event the loop dispatches, and runs an optional reaction.
final class RecordingHandler: EventHandler {
    enum Event: Equatable {
        case ready(Int, IOEvents)
        case timer(Int)
        case signal(Int32)
    }

    var events: [Event] = []
    var onReady: ((Int, IOEvents, EventLoop) -> Void)?
    var onTimer: ((Int, EventLoop) -> Void)?

    func ready(token: Int, events: IOEvents, loop: EventLoop) {
        self.events.append(.ready(token, events))
        onReady?(token, events, loop)
    }

    func timerFired(token: Int, loop: EventLoop) {
        events.append(.timer(token))
        onTimer?(token, loop)
    }

    func signalReceived(_ signal: Int32, loop: EventLoop) {
        events.append(.signal(signal))
    }

    var timerTokens: [Int] {
        events.compactMap { if case .timer(let token) = $0 { token } else { nil } }
    }
}
