import Testing
@testable import JIMCore

/// PROTOCOL.md section 3, rows `join`, `leave`, and `msg` to a `#room`.
@Suite struct ServerStateRoomTests {
    @Test func joinCreatesARoomWith201AndJoinsAnExistingOneWith200() {
        var h = ServerStateHarness()
        h.guest(1, "alice")
        h.guest(2, "bob")
        let created = h.send(1, h.join("#ops")).response(to: 1)
        #expect(created?.code == .created)
        #expect(created?.text == "created #ops")
        let joined = h.send(2, h.join("#ops")).response(to: 2)
        #expect(joined?.code == .ok)
        #expect(joined?.text == "joined #ops")
        #expect(h.state.members(of: "#ops") == [ConnectionID(1), ConnectionID(2)])
        // Joining again changes nothing.
        #expect(h.send(2, h.join("#ops")).codes(to: 2) == [200])
        #expect(h.state.members(of: "#ops") == [ConnectionID(1), ConnectionID(2)])
    }

    @Test func joinWithABadRoomNameIs400() {
        var h = ServerStateHarness()
        h.guest(1, "alice")
        let r = h.send(1, h.join("ops")).response(to: 1)
        #expect(r?.code == .badRequest)
        #expect(r?.text == "room: a room name starts with '#'")
        #expect(h.state.roomCount == 0)
    }

    @Test func joinAndLeaveWithoutANameAre401() {
        var h = ServerStateHarness()
        h.open(1)
        #expect(h.send(1, h.join("#ops")).codes(to: 1) == [401])
        #expect(h.send(1, h.leave("#ops")).codes(to: 1) == [401])
        #expect(h.state.roomCount == 0)
    }

    @Test func joinPastTheRoomLimitIs403() {
        var h = ServerStateHarness(ServerConfiguration(maxRoomsPerClient: 2))
        h.guest(1, "alice")
        #expect(h.send(1, h.join("#a")).codes(to: 1) == [201])
        #expect(h.send(1, h.join("#b")).codes(to: 1) == [201])
        let r = h.send(1, h.join("#c")).response(to: 1)
        #expect(r?.code == .forbidden)
        #expect(r?.text == "too many rooms: the limit is 2")
    }

    @Test func leaveIs200AndTheLastLeaverDeletesTheRoom() {
        var h = ServerStateHarness()
        h.guest(1, "alice")
        h.guest(2, "bob")
        h.send(1, h.join("#ops"))
        h.send(2, h.join("#ops"))
        let r = h.send(1, h.leave("#ops")).response(to: 1)
        #expect(r?.code == .ok)
        #expect(r?.text == "left #ops")
        #expect(h.state.members(of: "#ops") == [ConnectionID(2)])
        h.send(2, h.leave("#ops"))
        #expect(h.state.members(of: "#ops") == nil)
        // The next join creates it afresh.
        #expect(h.send(1, h.join("#ops")).codes(to: 1) == [201])
    }

    @Test func leaveARoomYouAreNotInIs404() {
        var h = ServerStateHarness()
        h.guest(1, "alice")
        h.guest(2, "bob")
        let none = h.send(1, h.leave("#ops")).response(to: 1)
        #expect(none?.code == .notFound)
        #expect(none?.text == "no such room: #ops")
        h.send(2, h.join("#ops"))
        let notMember = h.send(1, h.leave("#ops")).response(to: 1)
        #expect(notMember?.code == .notFound)
        #expect(notMember?.text == "not a member of #ops")
    }

    @Test func aRoomMessageGoesToEveryMemberButTheSenderAsTheSameBytes() throws {
        var h = ServerStateHarness()
        for (i, name) in ["alice", "bob", "carol", "dave"].enumerated() {
            h.guest(i + 1, name)
            if name != "dave" { h.send(i + 1, h.join("#ops")) }
        }
        let out = h.send(1, h.msg(to: "#ops", from: nil, "deploy done", encoding: nil))
        let forwarded: [(ConnectionID, ArraySlice<UInt8>)] = out.actions.compactMap {
            if case .send(let id, let b) = $0, id != ConnectionID(1) { (id, b) } else { nil }
        }
        #expect(forwarded.map(\.0) == [ConnectionID(2), ConnectionID(3)])
        // Encoded once: both slices share one buffer.
        let bases = forwarded.map { $0.1.withUnsafeBufferPointer { $0.baseAddress } }
        #expect(bases[0] == bases[1])
        #expect(
            out.pushes(to: 2) == [.msg(Message(to: "#ops", from: "alice", message: "deploy done", encoding: "ascii", time: JSONNumber(literal: "1.5")))])
        #expect(out.codes(to: 1) == [200])
        #expect(out.pushes(to: 4).isEmpty)
    }

    @Test func aRoomMessageFromANonMemberIs403AndToNoRoom404() {
        var h = ServerStateHarness()
        h.guest(1, "alice")
        h.guest(2, "bob")
        h.send(2, h.join("#ops"))
        let notMember = h.send(1, h.msg(to: "#ops"))
        #expect(notMember.sent.count == 1)
        #expect(notMember.response(to: 1)?.code == .forbidden)
        #expect(notMember.response(to: 1)?.text == "not a member of #ops: join it first")
        let none = h.send(1, h.msg(to: "#dev")).response(to: 1)
        #expect(none?.code == .notFound)
        #expect(none?.text == "no such room: #dev")
    }

    @Test func aRoomMessageWithNobodyElseInTheRoomIsStill200() {
        var h = ServerStateHarness()
        h.guest(1, "alice")
        h.send(1, h.join("#ops"))
        let out = h.send(1, h.msg(to: "#ops"))
        #expect(out.sent.count == 1)
        #expect(out.codes(to: 1) == [200])
    }

    @Test func aDisconnectLeavesEveryRoom() {
        var h = ServerStateHarness()
        h.guest(1, "alice")
        h.guest(2, "bob")
        h.send(1, h.join("#a"))
        h.send(1, h.join("#b"))
        h.send(2, h.join("#b"))
        h.step(.closed(ConnectionID(1), reason: "reset"))
        #expect(h.state.members(of: "#a") == nil)
        #expect(h.state.members(of: "#b") == [ConnectionID(2)])
        #expect(h.state.roomCount == 1)
    }
}
