import Testing
@testable import JIMCore

@Suite struct FrameTests {
    func frame(_ s: String) throws(FrameError) -> Frame { try Frame(parsing: Array(s.utf8)) }

    @Test func typesEveryAction() throws {
        #expect(try frame(#"{"action":"presence","time":1.5,"type":"status","user":{"account_name":"alice","status":"hi"}}"#).request
            == .presence(Presence(accountName: "alice", status: "hi", type: "status", time: JSONNumber(literal: "1.5"))))
        #expect(try frame(#"{"action":"authenticate","time":1,"user":{"account_name":"alice","password":"pw"}}"#).request
            == .authenticate(Credentials(accountName: "alice", password: "pw", time: JSONNumber(literal: "1"))))
        #expect(try frame(##"{"action":"msg","time":1,"to":"#ops","message":"hi"}"##).request
            == .msg(Message(to: "#ops", from: nil, message: "hi", time: JSONNumber(literal: "1"))))
        #expect(try frame(##"{"action":"join","time":1,"room":"#ops"}"##).request == .join(RoomRequest(room: "#ops", time: JSONNumber(literal: "1"))))
        #expect(try frame(##"{"action":"leave","time":1,"room":"#ops"}"##).request == .leave(RoomRequest(room: "#ops", time: JSONNumber(literal: "1"))))
        #expect(try frame(#"{"action":"quit"}"#).request == .quit)
        #expect(try frame(#"{"action":"probe","time":3}"#).request == .probe(time: JSONNumber(literal: "3")))
        #expect(try frame(#"{"action":"message","time":3,"mess_text":"x"}"#).request == .unknown(action: "message"))
        #expect(try frame(#"{"response":404,"time":3,"error":"no such user: bob"}"#).response
            == Response(.notFound, "no such user: bob", time: JSONNumber(literal: "3")))
        #expect(try frame(#"{"response":200,"alert":"OK","pipelining":true}"#).response?.pipelining == true)
    }

    @Test(arguments: [
        (#"{"time":1}"#, "action: missing"),
        (#"{"action":5,"time":1}"#, "action: not a string"),
        (#"{"action":"authenticateplease","time":1}"#, "action: 18 characters, the limit is 15"),
        (#"{"action":"msg","to":"bob","message":"x"}"#, "time: missing"),
        (#"{"action":"msg","time":"now","to":"bob","message":"x"}"#, "time: not a number"),
        (#"{"action":"msg","time":1,"message":"x"}"#, "to: missing"),
        (#"{"action":"msg","time":1,"to":"bob"}"#, "message: missing"),
        (#"{"action":"msg","time":1,"to":"bob bob","message":"x"}"#, "to: whitespace is not allowed in a name"),
        (#"{"action":"msg","time":1,"to":"bob","from":"a:b","message":"x"}"#, "from: ':' is not allowed in a name"),
        (#"{"action":"presence","time":1}"#, "user: missing"),
        (#"{"action":"presence","time":1,"user":"alice"}"#, "user: not an object"),
        (##"{"action":"presence","time":1,"user":{"account_name":"#alice"}}"##, "user.account_name: a user name cannot start with '#'"),
        (#"{"action":"presence","time":1,"user":{"account_name":""}}"#, "user.account_name: empty name"),
        (#"{"action":"join","time":1,"room":"ops"}"#, "room: a room name starts with '#'"),
        (##"{"action":"join","time":1,"room":"#"}"##, "room: empty room name"),
        (#"{"response":"200"}"#, "response: not a 3-digit integer"),
        (#"{"response":2000}"#, "response: not a 3-digit integer"),
    ])
    func namesTheFieldAtFault(_ text: String, _ reason: String) {
        let error = #expect(throws: FrameError.self) { try frame(text) }
        #expect(error?.reason == reason)
    }

    @Test(arguments: ["x", "ж", "😀"])
    func enforcesMessageLimitInCharacters(_ unit: String) throws {
        func msg(_ n: Int) -> String { #"{"action":"msg","time":1,"to":"b","message":""# + String(repeating: unit, count: n) + "\"}" }
        #expect(throws: Never.self) { try frame(msg(500)) }
        let error = #expect(throws: FrameError.self) { try frame(msg(501)) }
        #expect(error?.reason == "message: 501 characters, the limit is 500")
    }

    @Test(arguments: ["x", "ж", "😀"])
    func enforcesNameLimitInCharacters(_ unit: String) throws {
        let ok = String(repeating: unit, count: 25)
        let long = String(repeating: unit, count: 26)
        #expect(Names.userProblem(ok) == nil)
        #expect(Names.userProblem(long) == "26 characters, the limit is 25")
        #expect(Names.roomProblem("#" + String(repeating: unit, count: 24)) == nil)
        #expect(Names.roomProblem("#" + ok) == "26 characters, the limit is 25")
        #expect(throws: FrameError.self) { try frame(##"{"action":"join","time":1,"room":"#"## + ok + "\"}") }
    }

    @Test func roundTripsEveryFieldExactly() throws {
        let text = ##"{"action":"msg","time":1732460000.250,"to":"#ops","from":"alice","encoding":"utf-8","message":"tab\t\"q\" ж😀","x-extra":[1,{"k":null}]}"##
        let f = try frame(text)
        #expect(String(decoding: f.encoded(), as: UTF8.self) == text + "\n")
    }

    @Test func buildsCanonicalFramesOurPeersAccept() {
        let presence = Frame(.presence(Presence(accountName: "alice", status: "here", time: JSONNumber(1732460000.1))))
        #expect(String(decoding: presence.encoded(), as: UTF8.self)
            == #"{"action":"presence","time":1732460000.10,"type":"status","user":{"account_name":"alice","status":"here"}}"# + "\n")
        let msg = Frame(.msg(Message(to: "bob", from: "alice", message: "hi", encoding: "ascii", time: JSONNumber(1.0))))
        #expect(String(decoding: msg.encoded(), as: UTF8.self)
            == #"{"action":"msg","time":1.00,"to":"bob","from":"alice","encoding":"ascii","message":"hi"}"# + "\n")
        let r = Frame(Response(.gone, "bob is offline", time: JSONNumber(2.5)))
        #expect(String(decoding: r.encoded(), as: UTF8.self) == #"{"response":410,"time":2.50,"error":"bob is offline"}"# + "\n")
    }

    @Test func formatsTimesWithAFraction() {
        #expect(JSONNumber(0.0).text == "0.00")
        #expect(JSONNumber(1732460000.123456).text == "1732460000.123456")
        #expect(JSONNumber(-1.5).text == "-1.50")
        #expect(JSONNumber(1.0).isInteger == false)
        #expect(JSONNumber(200).isInteger)
    }
}
