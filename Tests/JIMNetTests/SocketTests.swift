import Testing

@testable import JIMNet

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct SocketTests {
    @Test func listenerOnPortZeroReportsTheRealPort() throws {
        let listener = try TestSupport.listen("127.0.0.1:0")
        let port = try #require(listener.address.port)
        #expect(port != 0)
        #expect(listener.address.description == "127.0.0.1:\(port)")
        #expect(try listener.socket.localAddress() == listener.address)
    }

    @Test func exchangesBytesOverIPv4() throws {
        try exchange(over: "127.0.0.1:0")
    }

    @Test(.enabled(if: TestSupport.ipv6Available, "IPv6 loopback is not available"))
    func exchangesBytesOverIPv6() throws {
        try exchange(over: "[::1]:0")
    }

    private func exchange(over text: String) throws {
        let listener = try TestSupport.listen(text)
        let client = try Socket.connect(to: listener.address, timeout: .seconds(5))
        let server = try TestSupport.accept(listener)
        #expect(try client.peerAddress() == listener.address)
        #expect(try server.peerAddress() == client.localAddress())
        try client.setNoDelay()
        try server.setNoDelay()
        let request = TestSupport.pattern(100_000)
        try TestSupport.writeAll(client, request)
        #expect(try TestSupport.read(server, upTo: request.count) == request)
        let reply = TestSupport.pattern(5_000, seed: 7)
        try TestSupport.writeAll(server, reply)
        try server.shutdownWrite()
        #expect(try TestSupport.readToEnd(client) == reply)
    }

    @Test func acceptReturnsNilWhenNothingIsPendingAndNamesThePeer() throws {
        let listener = try TestSupport.listen("127.0.0.1:0")
        #expect(try listener.accept() == nil)
        let client = try Socket.connect(to: listener.address, timeout: .seconds(5))
        _ = try listener.socket.wait(for: .readable, timeout: .seconds(5))
        let (_, peer) = try #require(try listener.accept())
        #expect(peer == (try client.localAddress()))
        #expect(peer.description.hasPrefix("127.0.0.1:"))
    }

    @Test func connectsToAHostName() throws {
        let listener = try TestSupport.listen("127.0.0.1:0")
        let port = try #require(listener.address.port)
        // localhost may resolve to ::1 first, where nothing listens on this port.
        let client = try Socket.connect(to: .host("localhost", port: port), timeout: .seconds(5))
        #expect(try client.peerAddress() == listener.address)
    }

    @Test func refusedConnectionNamesTheAddress() throws {
        let port = try #require(try TestSupport.listen("127.0.0.1:0").address.port)  // closed at once
        let endpoint = Endpoint.host("127.0.0.1", port: port)
        let error = #expect(throws: NetworkError.self) {
            try Socket.connect(to: endpoint, timeout: .seconds(5))
        }
        #expect(error == .failed(address: "127.0.0.1:\(port)", SystemError("connect", errno: ECONNREFUSED)))
        #expect(error?.description == "127.0.0.1:\(port): Connection refused")
    }

    /// A listener whose accept queue is full drops new SYNs (Linux, and gVisor here), so the
    /// connect neither succeeds nor is refused: the only loopback way to make one time out.
    @Test func connectTimesOutDistinctlyFromRefusal() throws {
        let listener = try Listener(
            address: #require(try Endpoint(parsing: "127.0.0.1:0", defaultPort: 0).resolve().first), backlog: 0)
        // The queue holds backlog + 1 (a few more on some kernels): fill it until one hangs.
        var fillers = [try Socket.connect(to: listener.address, timeout: .seconds(5))]
        var timedOut: NetworkError?
        for _ in 0..<8 {
            do {
                fillers.append(try Socket.connect(to: listener.address, timeout: .milliseconds(300)))
            } catch {
                timedOut = error
                break
            }
        }
        withExtendedLifetime(fillers) {
            #expect(timedOut == .timedOut(address: listener.address.description))
            #expect(timedOut?.description == "\(listener.address): connection timed out")
        }
    }

    @Test func socketPairCarriesBytesAndEndOfFile() throws {
        let (a, b) = try Socket.pair()
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(try buffer.withUnsafeMutableBytes { try a.read(into: $0) } == .wouldBlock)
        try TestSupport.writeAll(b, Array("hello".utf8))
        #expect(try buffer.withUnsafeMutableBytes { try a.read(into: $0) } == .bytes(5))
        #expect(Array(buffer[..<5]) == Array("hello".utf8))
        b.close()
        b.close()  // a second close does nothing
        #expect(!b.isOpen)
        #expect(try buffer.withUnsafeMutableBytes { try a.read(into: $0) } == .endOfFile)
    }

    @Test func writingToAClosedPeerThrowsInsteadOfRaisingSIGPIPE() throws {
        let (a, b) = try Socket.pair()
        b.close()
        let error = #expect(throws: SystemError.self) {
            _ = try [UInt8](repeating: 1, count: 10).withUnsafeBytes { try a.write($0) }
        }
        #expect(error?.errno == EPIPE || error?.errno == ECONNRESET)
        #expect(error?.description.hasPrefix("send: ") == true)
    }

    @Test func gatheringWriteSendsEveryBufferInOrder() throws {
        let (a, b) = try Socket.pair()
        let parts: [[UInt8]] = [Array("one ".utf8), Array("two ".utf8), [], Array("three".utf8)]
        let written = try parts[0].withUnsafeBytes { p0 in
            try parts[1].withUnsafeBytes { p1 in
                try parts[2].withUnsafeBytes { p2 in
                    try parts[3].withUnsafeBytes { p3 in try a.write(gathering: [p0, p1, p2, p3]) }
                }
            }
        }
        #expect(written == 13)
        #expect(try TestSupport.read(b, upTo: 13) == Array("one two three".utf8))
    }

    @Test func waitReportsReadinessAndTimesOut() throws {
        let (a, b) = try Socket.pair()
        #expect(try a.wait(for: .readable, timeout: .milliseconds(20)) == [])
        #expect(try a.wait(for: .writable, timeout: .milliseconds(20)).contains(.writable))
        try TestSupport.writeAll(b, [1])
        #expect(try a.wait(for: .readable, timeout: .seconds(5)).contains(.readable))
    }

    @Test func bufferSizesAndOptionsCanBeSet() throws {
        let listener = try TestSupport.listen("127.0.0.1:0")
        let client = try Socket.connect(to: listener.address, timeout: .seconds(5))
        try client.setSendBufferSize(8192)
        try client.setReceiveBufferSize(8192)
        try client.setNoDelay(false)
        client.close()
        let error = #expect(throws: SystemError.self) { try client.setNoDelay() }
        #expect(error?.errno == EBADF)
        #expect(error?.call == "setsockopt(TCP_NODELAY)")
    }

    @Test func secondListenerOnTheSamePortIsInUse() throws {
        let first = try TestSupport.listen("127.0.0.1:0")
        let error = #expect(throws: NetworkError.self) { try Listener(address: first.address) }
        #expect(error == .failed(address: first.address.description, SystemError("bind", errno: EADDRINUSE)))
        #expect(error?.description == "\(first.address): Address already in use")
    }

    @Test(.enabled(if: TestSupport.ipv6Available, "IPv6 loopback is not available"))
    func ipv4AndIPv6WildcardsListenSideBySide() throws {
        let v4 = try Listener(address: SocketAddress.wildcards(port: 0)[0])
        let port = try #require(v4.address.port)
        let v6 = try Listener(address: SocketAddress.wildcards(port: port)[1])
        #expect(v6.address.port == port)
        #expect(v6.address.family == .ipv6)
    }
}
