import Testing

@testable import JIMNet

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct ConnectionTests {
    @Test func writeQueueRefusesPastItsBound() throws {
        let (a, b) = try Socket.pair()
        let connection = Connection(socket: a, maxQueue: 100)
        #expect(connection.enqueue([UInt8](repeating: 1, count: 60)))
        #expect(!connection.enqueue([UInt8](repeating: 2, count: 50)))
        #expect(connection.pendingBytes == 60)
        #expect(connection.enqueue([UInt8](repeating: 3, count: 40)))
        #expect(!connection.enqueue([4]))
        #expect(connection.pendingBytes == 100)
        #expect(try connection.flush())
        #expect(connection.pendingBytes == 0)
        #expect(!connection.hasPendingWrites)
        #expect(
            try TestSupport.read(b, upTo: 100) == [UInt8](repeating: 1, count: 60) + [UInt8](repeating: 3, count: 40))
        #expect(connection.enqueue([UInt8](repeating: 5, count: 100)))
    }

    @Test func oneFlushSendsEverySmallEnqueue() throws {
        let (a, b) = try Socket.pair()
        let connection = Connection(socket: a, maxQueue: 1 << 20)
        var expected: [UInt8] = []
        for index in 0..<1000 {
            let frame = Array("{\"n\":\(index)}\n".utf8)
            expected += frame
            #expect(connection.enqueue(frame))
        }
        #expect(connection.pendingBytes == expected.count)
        // One flush is one send(2): it drains the whole queue.
        #expect(try connection.flush())
        var buffer = [UInt8](repeating: 0, count: 65536)
        let result = try buffer.withUnsafeMutableBytes { try b.read(into: $0) }
        #expect(result == .bytes(expected.count))
        #expect(Array(buffer[..<expected.count]) == expected)
    }

    @Test func partialFlushesDeliverEverythingInOrder() throws {
        let (a, b) = try Socket.pair()
        try a.setSendBufferSize(4096)
        let connection = Connection(socket: a, maxQueue: 1 << 20)
        let payload = TestSupport.pattern(300_000)
        for start in stride(from: 0, to: payload.count, by: 1000) {
            #expect(connection.enqueue(payload[start..<min(start + 1000, payload.count)]))
        }
        #expect(try !connection.flush())  // the socket cannot take 300 KB at once
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        let deadline = MonotonicTime.now() + .seconds(10)
        while received.count < payload.count && MonotonicTime.now() < deadline {
            if case .bytes(let n) = try buffer.withUnsafeMutableBytes({ try b.read(into: $0) }) {
                received += buffer[..<n]
            }
            if connection.hasPendingWrites {
                _ = try connection.flush()
            } else if received.count < payload.count {
                _ = try b.wait(for: .readable, timeout: .seconds(1))
            }
        }
        #expect(received == payload)
        #expect(!connection.hasPendingWrites)
    }

    @Test func flushToAVanishedPeerThrows() throws {
        let (a, b) = try Socket.pair()
        let connection = Connection(socket: a, maxQueue: 1000)
        #expect(connection.enqueue([1, 2, 3]))
        b.close()
        #expect(throws: SystemError.self) { try connection.flush() }
    }

    @Test func gracefulCloseOfAQuietPeerShutsDownThenWaitsForItsEndOfFile() throws {
        let (a, b) = try Socket.pair()
        let connection = Connection(socket: a, maxQueue: 1000)
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 1)
        defer { scratch.deallocate() }
        #expect(connection.enqueue(Array("bye\n".utf8)))
        connection.beginClose()
        #expect(connection.state == .flushingBeforeClose)
        #expect(connection.enqueue(Array("last\n".utf8)))  // still owed before the shutdown
        #expect(connection.continueClose(scratch: scratch) == .waiting(.readable))
        #expect(connection.state == .draining)
        #expect(!connection.enqueue([1]))
        #expect(try TestSupport.readToEnd(b) == Array("bye\nlast\n".utf8))
        #expect(connection.continueClose(scratch: scratch) == .waiting(.readable))
        try TestSupport.writeAll(b, Array("ignored".utf8))
        b.close()
        #expect(connection.continueClose(scratch: scratch) == .finished)
        connection.close()
        #expect(connection.state == .closed)
        #expect(!connection.socket.isOpen)
    }

    @Test func gracefulCloseFinishesWhenThePeerResets() throws {
        let listener = try TestSupport.listen("127.0.0.1:0")
        let peer = try Socket.connect(to: listener.address, timeout: .seconds(5))
        let connection = Connection(socket: try TestSupport.accept(listener), maxQueue: 8 << 20)
        #expect(connection.enqueue(TestSupport.pattern(8 << 20)))
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 1)
        defer { scratch.deallocate() }
        connection.beginClose()
        var step = connection.continueClose(scratch: scratch)
        #expect(step != .finished)
        // The peer leaves with unread data: its kernel answers with a reset.
        peer.close()
        let started = MonotonicTime.now()
        while case .waiting(let interest) = step, MonotonicTime.now() - started < .seconds(5) {
            _ = try connection.socket.wait(for: interest, timeout: .seconds(1))
            step = connection.continueClose(scratch: scratch)
        }
        #expect(step == .finished)
    }

    /// PROTOCOL.md section 7: closing a socket with unread input sends a reset that destroys
    /// what the peer has not read yet. The peer here never stops sending until it sees our end
    /// of file; a graceful close must still deliver every queued byte.
    @Test(arguments: [false, true])
    func gracefulCloseDeliversEverythingToAPeerThatKeepsSending(usePoll: Bool) throws {
        let listener = try TestSupport.listen("127.0.0.1:0")
        let peer = try Socket.connect(to: listener.address, timeout: .seconds(5))
        let server = try TestSupport.accept(listener)
        let connection = Connection(socket: server, maxQueue: 2 << 20)
        let payload = TestSupport.pattern(2 << 20)
        #expect(connection.enqueue(payload))
        connection.beginClose()

        let loop = try EventLoop(usePoll: usePoll)
        let driver = CloseDriver(connection: connection, peer: peer)
        try loop.register(server.fileDescriptor, token: CloseDriver.serverToken, interest: [.readable, .writable])
        try loop.register(peer.fileDescriptor, token: CloseDriver.peerToken, interest: [.readable, .writable])
        loop.schedule(after: .seconds(20), token: CloseDriver.safetyToken)
        try loop.run(driver)

        #expect(driver.failure == nil)
        #expect(driver.serverFinished)
        #expect(driver.peerSawEndOfFile)
        #expect(driver.peerSent > 0)
        #expect(driver.received.count == payload.count)
        let intact = driver.received == payload
        #expect(intact)
    }
}

/// Drives both ends of a graceful close on one loop: the server's `Connection`, and a peer
/// that reads everything and keeps writing until it reads end of file.
final class CloseDriver: EventHandler {
    static let serverToken = 1
    static let peerToken = 2
    static let safetyToken = 3

    let connection: Connection
    let peer: Socket
    let serverFD: Int32
    let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 1)
    let chunk = [UInt8](repeating: 0x55, count: 16384)
    var received: [UInt8] = []
    var peerSent = 0
    var peerSawEndOfFile = false
    var serverFinished = false
    var failure: String?

    init(connection: Connection, peer: Socket) {
        self.connection = connection
        self.peer = peer
        serverFD = connection.fileDescriptor
    }

    deinit { scratch.deallocate() }

    func ready(token: Int, events: IOEvents, loop: EventLoop) {
        do {
            if token == CloseDriver.serverToken {
                switch connection.continueClose(scratch: scratch) {
                case .waiting(let interest):
                    try loop.modify(serverFD, interest: interest)
                case .finished:
                    loop.unregister(serverFD)
                    connection.close()
                    serverFinished = true
                }
            } else {
                try peerReady(events, loop: loop)
            }
        } catch {
            failure = "\(error)"
            loop.stop()
        }
        if serverFinished && peerSawEndOfFile { loop.stop() }
    }

    private func peerReady(_ events: IOEvents, loop: EventLoop) throws {
        if events.contains(.readable) || events.contains(.hangup) || events.contains(.error) {
            readLoop: while true {
                switch try peer.read(into: scratch) {
                case .bytes(let count): received.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[..<count]))
                case .wouldBlock: break readLoop
                case .endOfFile:
                    peerSawEndOfFile = true
                    loop.unregister(peer.fileDescriptor)
                    peer.close()
                    return
                }
            }
        }
        if events.contains(.writable) {
            if let sent = try chunk.withUnsafeBytes({ try peer.write($0) }) { peerSent += sent }
        }
    }

    func timerFired(token: Int, loop: EventLoop) {
        failure = "timed out: received \(received.count), server finished \(serverFinished)"
        loop.stop()
    }
}
