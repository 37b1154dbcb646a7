import Testing
@testable import JIMCore

/// PROTOCOL.md section 3, rows `presence` and `authenticate`.
@Suite struct ServerStateNamesTests {
    let accounts = InMemoryAccounts(["carol": "secret", "mallory": nil])

    @Test func presenceAnswers200WithPipeliningTimeAndAlert() throws {
        var h = ServerStateHarness()
        h.open(1)
        let out = h.send(1, h.presence("alice"))
        #expect(out.sent.map(\.1) == [#"{"response":200,"time":1732460000.50,"alert":"OK","pipelining":true}"#])
        #expect(h.state.name(of: ConnectionID(1)) == "alice")
        #expect(h.state.connection(named: "alice") == ConnectionID(1))
        #expect(out.logs.contains("conn 1 is alice (guest)"))
    }

    @Test func presenceWithoutStatusOrTypeIsAccepted() {
        var h = ServerStateHarness()
        h.open(1)
        let out = h.send(1, #"{"action":"presence","time":1,"user":{"account_name":"alice"}}"#)
        #expect(out.codes(to: 1) == [200])
    }

    @Test func presenceForARegisteredNameIs401() {
        var h = ServerStateHarness(accounts: accounts)
        h.open(1)
        let r = h.send(1, h.presence("carol")).response(to: 1)
        #expect(r?.code == .unauthorized)
        #expect(r?.text == "carol is a registered account: authenticate first")
        #expect(h.state.name(of: ConnectionID(1)) == nil)
    }

    @Test func presenceForANameHeldElsewhereIs409() {
        var h = ServerStateHarness()
        h.guest(1, "alice")
        h.open(2)
        let r = h.send(2, h.presence("alice")).response(to: 2)
        #expect(r?.code == .conflict)
        #expect(r?.text == "alice is already in use")
        #expect(h.state.connection(named: "alice") == ConnectionID(1))
    }

    @Test func presenceAgainWithTheSameNameIs200AndAnotherNameIs409() {
        var h = ServerStateHarness()
        h.guest(1, "alice")
        #expect(h.send(1, h.presence("alice")).codes(to: 1) == [200])
        let r = h.send(1, h.presence("bob")).response(to: 1)
        #expect(r?.code == .conflict)
        #expect(r?.text == "this connection is already alice")
        #expect(h.state.connection(named: "bob") == nil)
    }

    @Test func authenticateWithTheRightPasswordIs200WithPipelining() {
        var h = ServerStateHarness(accounts: accounts)
        h.open(1)
        let out = h.send(1, h.authenticate("carol", "secret"))
        #expect(out.actions.contains { if case .verify(ConnectionID(1), let c) = $0 { c.accountName == "carol" } else { false } })
        let r = out.response(to: 1)
        #expect(r?.code == .ok)
        #expect(r?.pipelining == true)
        #expect(h.state.name(of: ConnectionID(1)) == "carol")
        // Authenticated as carol, a presence as carol is fine.
        #expect(h.send(1, h.presence("carol")).codes(to: 1) == [200])
    }

    @Test func authenticateWithAWrongPasswordOrUnknownAccountIs402() {
        var h = ServerStateHarness(accounts: accounts)
        h.open(1)
        let wrong = h.send(1, h.authenticate("carol", "guess")).response(to: 1)
        #expect(wrong?.code == .wrongCredentials)
        #expect(wrong?.text == "wrong name or password")
        let unknown = h.send(1, h.authenticate("nobody", "x")).response(to: 1)
        #expect(unknown?.code == .wrongCredentials)
        #expect(h.state.name(of: ConnectionID(1)) == nil)
    }

    @Test func authenticateAsABlockedAccountIs403() {
        var h = ServerStateHarness(accounts: accounts)
        h.open(1)
        let r = h.send(1, h.authenticate("mallory", "whatever")).response(to: 1)
        #expect(r?.code == .forbidden)
        #expect(r?.text == "account mallory is blocked")
        #expect(h.state.name(of: ConnectionID(1)) == nil)
    }

    @Test func authenticateWhileConnectedElsewhereIs409() {
        var h = ServerStateHarness(accounts: accounts)
        h.open(1)
        #expect(h.send(1, h.authenticate("carol", "secret")).codes(to: 1) == [200])
        h.open(2)
        let r = h.send(2, h.authenticate("carol", "secret")).response(to: 2)
        #expect(r?.code == .conflict)
        #expect(r?.text == "carol is already connected elsewhere")
        #expect(h.state.connection(named: "carol") == ConnectionID(1))
    }

    @Test func authenticateAsAnotherNameThanTheConnectionHasIs409() {
        var h = ServerStateHarness(accounts: accounts)
        h.guest(1, "alice")
        let out = h.send(1, h.authenticate("carol", "secret"))
        #expect(out.codes(to: 1) == [409])
        #expect(!out.actions.contains { if case .verify = $0 { true } else { false } })
    }

    @Test func aVerificationForAClosedConnectionIsIgnored() {
        var h = ServerStateHarness(accounts: accounts)
        h.open(1)
        var actions = h.state.handle(.frame(ConnectionID(1), Array(h.authenticate("carol", "secret").utf8)[...]))
        #expect(actions.count == 1)
        _ = h.state.handle(.closed(ConnectionID(1), reason: "reset"))
        actions = h.state.handle(.verified(ConnectionID(1), accountName: "carol", .ok))
        #expect(actions.isEmpty)
        #expect(h.state.connection(named: "carol") == nil)
    }

    @Test func reloadingAccountsKeepsAGuestWhoseNameBecameRegistered() {
        var h = ServerStateHarness(accounts: accounts)
        h.guest(1, "dave")
        h.state.accounts = InMemoryAccounts(["dave": "pw"])
        // Nobody is dropped; the guest keeps the name and may still use it.
        #expect(h.state.connection(named: "dave") == ConnectionID(1))
        #expect(h.send(1, h.msg(to: "dave")).codes(to: 1) == [200])
        // carol is no longer registered: a guest may take the name.
        h.open(2)
        #expect(h.send(2, h.presence("carol")).codes(to: 2) == [200])
        // The guest can upgrade to the account.
        #expect(h.send(1, h.authenticate("dave", "pw")).codes(to: 1) == [200])
        h.send(1, #"{"action":"quit"}"#)
        h.open(3)
        #expect(h.send(3, h.presence("dave")).codes(to: 3) == [401])
    }

    @Test func aDisconnectFreesTheName() {
        var h = ServerStateHarness()
        h.guest(1, "alice")
        let out = h.step(.closed(ConnectionID(1), reason: "end of file"))
        #expect(out.logs == ["conn 1 (alice) disconnected: end of file"])
        #expect(h.state.connection(named: "alice") == nil)
        h.guest(2, "alice")
    }
}
