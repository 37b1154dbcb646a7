import Testing

@testable import JIMNet

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct UnixSocketTests {
    private func fileExists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    @Test func listensConnectsAndExchangesBytes() throws {
        let directory = TestSupport.temporaryDirectory()
        defer { TestSupport.remove(directory: directory, files: ["s"]) }
        let endpoint = try Endpoint(parsing: "unix:\(directory)/s", defaultPort: 0)
        let listener = try Listener(address: #require(try endpoint.resolve().first))
        #expect(listener.address.description == "unix:\(directory)/s")
        let client = try Socket.connect(to: endpoint, timeout: .seconds(5))
        let server = try TestSupport.accept(listener)
        #expect(try server.peerAddress().description == "unix:(unnamed)")
        try TestSupport.writeAll(client, Array("ping".utf8))
        #expect(try TestSupport.read(server, upTo: 4) == Array("ping".utf8))
    }

    @Test func staleSocketFileIsReplaced() throws {
        let directory = TestSupport.temporaryDirectory()
        defer { TestSupport.remove(directory: directory, files: ["s"]) }
        let address = try #require(SocketAddress(unixPath: "\(directory)/s"))
        do {
            // A server that exits without removing its file leaves a socket nobody answers on.
            let dead = try Listener(address: address)
            dead.close()
        }
        #expect(fileExists("\(directory)/s"))
        let listener = try Listener(address: address)
        let client = try Socket.connect(to: address, timeout: .seconds(5))
        _ = try TestSupport.accept(listener)
        #expect(client.isOpen)
    }

    @Test func liveServersSocketIsNotReplaced() throws {
        let directory = TestSupport.temporaryDirectory()
        defer { TestSupport.remove(directory: directory, files: ["s"]) }
        let address = try #require(SocketAddress(unixPath: "\(directory)/s"))
        let live = try Listener(address: address)
        let error = #expect(throws: NetworkError.self) { try Listener(address: address) }
        #expect(error == .failed(address: "unix:\(directory)/s", SystemError("bind", errno: EADDRINUSE)))
        // The live server still answers.
        _ = try Socket.connect(to: address, timeout: .seconds(5))
        _ = try TestSupport.accept(live)
    }

    @Test func aFileThatIsNotASocketIsNotReplaced() throws {
        let directory = TestSupport.temporaryDirectory()
        defer { TestSupport.remove(directory: directory, files: ["s"]) }
        let fd = open("\(directory)/s", O_CREAT | O_WRONLY, 0o600)
        #expect(fd >= 0)
        close(fd)
        let address = try #require(SocketAddress(unixPath: "\(directory)/s"))
        #expect(throws: NetworkError.failed(address: address.description, SystemError("bind", errno: EADDRINUSE))) {
            try Listener(address: address)
        }
        #expect(fileExists("\(directory)/s"))
    }

    @Test func removeSocketFileRemovesOnlyItsOwnFile() throws {
        let directory = TestSupport.temporaryDirectory()
        defer { TestSupport.remove(directory: directory, files: ["s", "t"]) }
        let address = try #require(SocketAddress(unixPath: "\(directory)/s"))
        let first = try Listener(address: address)
        first.removeSocketFile()
        #expect(!fileExists("\(directory)/s"))

        // A listener whose file was replaced by another server's leaves that file alone.
        let second = try Listener(address: address)
        let third = try Listener(address: #require(SocketAddress(unixPath: "\(directory)/t")))
        #expect(rename("\(directory)/t", "\(directory)/s") == 0)
        second.removeSocketFile()
        #expect(fileExists("\(directory)/s"))
        third.removeSocketFile()  // its file moved: nothing at its own path to remove
        #expect(fileExists("\(directory)/s"))
    }

    @Test func connectToAMissingSocketNamesThePath() throws {
        let directory = TestSupport.temporaryDirectory()
        defer { TestSupport.remove(directory: directory, files: []) }
        let endpoint = Endpoint.unix(path: "\(directory)/none")
        let error = #expect(throws: NetworkError.self) { try Socket.connect(to: endpoint, timeout: .seconds(1)) }
        #expect(error?.description == "unix:\(directory)/none: No such file or directory")
    }
}
