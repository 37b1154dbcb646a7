import Testing

@testable import JIMNet

@Suite struct EndpointTests {
    @Test(arguments: [
        ("localhost:8000", Endpoint.host("localhost", port: 8000)),
        ("localhost", .host("localhost", port: 7777)),
        ("127.0.0.1:1", .host("127.0.0.1", port: 1)),
        ("127.0.0.1", .host("127.0.0.1", port: 7777)),
        ("[::1]:9000", .host("::1", port: 9000)),
        ("[::1]", .host("::1", port: 7777)),
        ("::1", .host("::1", port: 7777)),
        ("fe80::1%lo", .host("fe80::1%lo", port: 7777)),
        ("[2001:db8::5]:0", .host("2001:db8::5", port: 0)),
        ("host:65535", .host("host", port: 65535)),
        ("unix:/tmp/x.sock", .unix(path: "/tmp/x.sock")),
        ("unix:relative.sock", .unix(path: "relative.sock")),
    ])
    func parsesEveryAcceptedForm(text: String, expected: Endpoint) throws {
        #expect(try Endpoint(parsing: text, defaultPort: 7777) == expected)
    }

    @Test(arguments: [
        ("", "empty address"),
        (":7777", "empty host"),
        ("host:", "empty port"),
        ("host:http", "port \"http\" is not a number"),
        ("host:65536", "port 65536 is out of range (0-65535)"),
        ("host:-1", "port \"-1\" is not a number"),
        ("[::1", "missing ] after IPv6 address"),
        ("[]:80", "empty IPv6 address"),
        ("[::1]80", "expected :port after ]"),
        ("[localhost]:80", "not an IPv6 address in brackets"),
        ("unix:", "empty Unix socket path"),
    ])
    func refusesBadTextNamingIt(text: String, reason: String) {
        #expect(throws: NetworkError.badAddress(text: text, reason: reason)) {
            try Endpoint(parsing: text, defaultPort: 7777)
        }
    }

    @Test func refusesUnixPathLongerThanTheSystemTakes() throws {
        let longest = "/" + String(repeating: "a", count: Endpoint.maxUnixPathLength - 1)
        #expect(try Endpoint(parsing: "unix:" + longest, defaultPort: 1) == .unix(path: longest))
        let error = #expect(throws: NetworkError.self) {
            try Endpoint(parsing: "unix:" + longest + "b", defaultPort: 1)
        }
        #expect(error?.description.hasPrefix("bad address \"unix:/aaa") == true)
        #expect(error?.description.hasSuffix("longer than \(Endpoint.maxUnixPathLength) bytes") == true)
    }

    @Test func badAddressDescriptionNamesTheText() {
        let error = NetworkError.badAddress(text: "host:99999", reason: "port 99999 is out of range (0-65535)")
        #expect(error.description == "bad address \"host:99999\": port 99999 is out of range (0-65535)")
    }

    @Test(arguments: ["localhost:7777", "[::1]:80", "unix:/tmp/x.sock", "10.0.0.1:0"])
    func descriptionParsesBackToTheSameEndpoint(text: String) throws {
        let endpoint = try Endpoint(parsing: text, defaultPort: 1)
        #expect(endpoint.description == text)
        #expect(try Endpoint(parsing: endpoint.description, defaultPort: 2) == endpoint)
    }

    @Test func resolvesLiteralsWithoutTheNetwork() throws {
        let v4 = try Endpoint(parsing: "127.0.0.1:7777", defaultPort: 0).resolve()
        #expect(v4.map(\.description) == ["127.0.0.1:7777"])
        #expect(v4.first?.family == .ipv4)
        #expect(v4.first?.port == 7777)
        #expect(v4.first?.host == "127.0.0.1")
        let v6 = try Endpoint(parsing: "::1", defaultPort: 7777).resolve()
        #expect(v6.map(\.description) == ["[::1]:7777"])
        #expect(v6.first?.family == .ipv6)
        let unix = try Endpoint(parsing: "unix:/tmp/x.sock", defaultPort: 0).resolve()
        #expect(unix.map(\.description) == ["unix:/tmp/x.sock"])
        #expect(unix.first?.unixPath == "/tmp/x.sock")
        #expect(unix.first?.port == nil)
    }

    @Test func resolvesLocalhost() throws {
        let addresses = try Endpoint(parsing: "localhost:7", defaultPort: 0).resolve()
        #expect(!addresses.isEmpty)
        #expect(addresses.allSatisfy { $0.port == 7 && $0.family != .unix })
        #expect(Set(addresses).count == addresses.count)
    }

    @Test func unresolvableNameNamesTheEndpoint() {
        let error = #expect(throws: NetworkError.self) {
            try Endpoint(parsing: "no-such-host.invalid:7777", defaultPort: 0).resolve()
        }
        guard case .unresolved(let address, let reason) = error else {
            Issue.record("expected .unresolved, got \(String(describing: error))")
            return
        }
        #expect(address == "no-such-host.invalid:7777")
        #expect(!reason.isEmpty)
        #expect(error?.description.hasPrefix("no-such-host.invalid:7777: ") == true)
    }

    @Test func wildcardsAreBothFamiliesOnThePort() {
        let addresses = SocketAddress.wildcards(port: 7777)
        #expect(addresses.map(\.description) == ["0.0.0.0:7777", "[::]:7777"])
        #expect(addresses.map(\.family) == [.ipv4, .ipv6])
    }

    @Test func addressesCompareByValue() throws {
        let a = try #require(try Endpoint(parsing: "127.0.0.1:80", defaultPort: 0).resolve().first)
        let b = try #require(try Endpoint(parsing: "127.0.0.1:80", defaultPort: 0).resolve().first)
        let c = try #require(try Endpoint(parsing: "127.0.0.1:81", defaultPort: 0).resolve().first)
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a != c)
        #expect(a.withPort(81) == c)
        #expect(SocketAddress(unixPath: "/x") == SocketAddress(unixPath: "/x"))
        #expect(SocketAddress(unixPath: "") == nil)
    }
}
