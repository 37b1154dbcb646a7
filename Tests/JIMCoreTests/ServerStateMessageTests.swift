import Testing
@testable import JIMCore

/// PROTOCOL.md section 3, row `msg`, and the forwarding rules under it.
@Suite struct ServerStateMessageTests {
    @Test func aMsgWithoutANameIs401() {
        var h = ServerStateHarness()
        h.open(1)
        let r = h.send(1, h.msg(to: "bob")).response(to: 1)
        #expect(r?.code == .unauthorized)
        #expect(r?.text == "no name yet: send presence or authenticate first")
    }

    @Test func aMsgToAUserOnlineIsForwardedAsTheBytesReceived() {
        var h = ServerStateHarness()
        h.guest(1, "alice")
        h.guest(2, "bob")
        // Course-style spacing and escapes: forwarded byte for byte when from and encoding are right.
        let text = #"{"action": "msg", "time": 1.25, "to": "bob", "from": "alice", "encoding": "ascii", "message": "\u043f\u0440\u0438", "x": [1]}"#
        let out = h.send(1, text)
        #expect(out.sent.map(\.0) == [2, 1])
        #expect(out.sent.first?.1 == text)
        #expect(out.codes(to: 1) == [200])
    }

    @Test func aMsgWithoutFromGetsTheSendersNameAndAsciiEncoding() {
        var h = ServerStateHarness()
        h.guest(1, "alice")
        h.guest(2, "bob")
        let out = h.send(1, h.msg(to: "bob", from: nil, "hello", encoding: nil))
        #expect(out.sent.first?.1 == #"{"action":"msg","time":1.5,"to":"bob","message":"hello","from":"alice","encoding":"ascii"}"#)
        #expect(out.codes(to: 1) == [200])
    }

    @Test func aMsgWithFromButNoEncodingGetsAsciiAndKeepsItsOwnEncoding() {
        var h = ServerStateHarness()
        h.guest(1, "alice")
        h.guest(2, "bob")
        let push = h.send(1, h.msg(to: "bob", from: "alice", encoding: nil)).pushes(to: 2)
        #expect(push == [.msg(Message(to: "bob", from: "alice", message: "hi", encoding: "ascii", time: JSONNumber(literal: "1.5")))])
        let utf8 = h.send(1, h.msg(to: "bob", from: nil, "ж", encoding: "utf-8")).pushes(to: 2)
        #expect(utf8 == [.msg(Message(to: "bob", from: "alice", message: "ж", encoding: "utf-8", time: JSONNumber(literal: "1.5")))])
    }

    @Test func aFrameWrittenOverSeveralLinesIsReencodedOnOne() {
        var h = ServerStateHarness()
        h.guest(1, "alice")
        h.guest(2, "bob")
        let out = h.send(1, "{\"action\":\"msg\",\n\"time\":1.5,\"to\":\"bob\",\"from\":\"alice\",\"encoding\":\"ascii\",\"message\":\"hi\"}")
        #expect(out.sent.first?.1 == #"{"action":"msg","time":1.5,"to":"bob","from":"alice","encoding":"ascii","message":"hi"}"#)
    }

    @Test func aMsgWhoseFromIsSomebodyElseIs403() {
        var h = ServerStateHarness()
        h.guest(1, "alice")
        h.guest(2, "bob")
        let out = h.send(1, h.msg(to: "bob", from: "bob"))
        #expect(out.sent.count == 1)
        #expect(out.response(to: 1)?.code == .forbidden)
        #expect(out.response(to: 1)?.text == "from: bob is not this connection's name (alice)")
    }

    @Test func aMsgToANameNeverSeenIs404() {
        var h = ServerStateHarness()
        h.guest(1, "alice")
        let r = h.send(1, h.msg(to: "bob")).response(to: 1)
        #expect(r?.code == .notFound)
        #expect(r?.text == "no such user: bob")
    }

    @Test func aMsgToAUserSeenSinceStartButOfflineIs410() {
        var h = ServerStateHarness()
        h.guest(1, "alice")
        h.guest(2, "bob")
        h.send(2, #"{"action":"quit"}"#)
        let r = h.send(1, h.msg(to: "bob")).response(to: 1)
        #expect(r?.code == .gone)
        #expect(r?.text == "bob is offline")
    }

    @Test func aMsgToARegisteredAccountOfflineIs410() {
        var h = ServerStateHarness(accounts: InMemoryAccounts(["carol": "pw", "mallory": nil]))
        h.guest(1, "alice")
        #expect(h.send(1, h.msg(to: "carol")).codes(to: 1) == [410])
        #expect(h.send(1, h.msg(to: "mallory")).codes(to: 1) == [410])
    }

    @Test func theMemoryOfSeenNamesIsBounded() {
        var h = ServerStateHarness(ServerConfiguration(seenNamesCapacity: 2))
        h.guest(1, "alice")
        for (i, name) in ["b1", "b2", "b3"].enumerated() {
            h.guest(10 + i, name)
            h.send(10 + i, #"{"action":"quit"}"#)
        }
        // alice, b1, b2, b3 were seen; only the last two are remembered.
        #expect(h.send(1, h.msg(to: "b1")).codes(to: 1) == [404])
        #expect(h.send(1, h.msg(to: "b2")).codes(to: 1) == [410])
        #expect(h.send(1, h.msg(to: "b3")).codes(to: 1) == [410])
    }

    @Test func aMsgToYourselfIsDelivered() {
        var h = ServerStateHarness()
        h.guest(1, "alice")
        let out = h.send(1, h.msg(to: "alice", from: "alice"))
        #expect(out.pushes(to: 1).count == 1)
        #expect(out.codes(to: 1) == [200])
    }

    @Test func aMsgThatWouldOutgrowTheFrameLimitOnceFilledInIs400() {
        var h = ServerStateHarness()
        h.guest(1, "alice")
        h.guest(2, "bob")
        // 640 characters as sent; adding "from" and "encoding" would pass the limit.
        let prefix = #"{"action":"msg","time":1.5,"to":"bob","x":""#
        let suffix = #"","message":"hi"}"#
        let padding = String(repeating: "p", count: 640 - prefix.count - suffix.count)
        let out = h.send(1, prefix + padding + suffix)
        #expect(out.sent.count == 1)
        #expect(out.response(to: 1)?.code == .badRequest)
        #expect(out.response(to: 1)?.text?.hasPrefix("msg: 674 characters once from and encoding are filled in") == true)
    }

    @Test func aMsgBreakingALimitIs400WithTheReason() {
        var h = ServerStateHarness()
        h.guest(1, "alice")
        h.guest(2, "bob")
        let out = h.send(1, h.msg(to: "bob", String(repeating: "x", count: 501)))
        #expect(out.sent.count == 1)
        #expect(out.response(to: 1)?.text == "message: 501 characters, the limit is 500")
    }

    @Test func anOperatorMayRaiseTheMessageLimit() {
        var h = ServerStateHarness(ServerConfiguration(limits: Limits(message: 1000, frame: 1200)))
        h.guest(1, "alice")
        h.guest(2, "bob")
        let out = h.send(1, h.msg(to: "bob", String(repeating: "x", count: 900)))
        #expect(out.codes(to: 1) == [200])
        #expect(out.pushes(to: 2).count == 1)
    }
}
