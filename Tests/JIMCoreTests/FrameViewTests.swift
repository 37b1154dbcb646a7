import Testing
@testable import JIMCore

@Suite struct FrameViewTests {
    func view(_ s: String) throws(FrameError) -> FrameView { try FrameView(parsing: Array(s.utf8)[...]) }

    @Test func recordsTopLevelFieldsWithoutBuildingThem() throws {
        let v = try view(##"{"action":"msg","time":1.25,"to":"#ops","from":"alice","encoding":"utf-8","message":"Привет \"q\"","x":[1,{"y":2}]}"##)
        #expect(v.string(.action, equals: "msg"))
        #expect(!v.string(.action, equals: "msgs"))
        #expect(v.string(.to) == "#ops")
        #expect(v.string(.message) == "Привет \"q\"")
        #expect(v[.message]?.escaped == true)
        #expect(v[.time]?.kind == .number)
        #expect(v.withRawBytes(.time) { String(decoding: $0, as: UTF8.self) } == "1.25")
        #expect(v.scalarCount(.message) == 10)
        #expect(v[.room] == nil)
        #expect(v.withStringBytes(.from) { String(decoding: $0, as: UTF8.self) } == "alice")
    }

    @Test func refusesDuplicateKeysKnownOrNot() {
        #expect(throws: FrameError.self) { try view(#"{"to":"a","to":"b"}"#) }
        #expect(throws: FrameError.self) { try view(#"{"x":1,"x":2}"#) }
        #expect(throws: FrameError.self) { try view(#"{"x":1,"\u0078":2}"#) }
        #expect(throws: FrameError.self) { try view(#"{"u":{"k":1,"k":2}}"#) }
        #expect(throws: Never.self) { try view(#"{"x":1,"y":{"x":2}}"#) }
    }

    @Test func agreesWithTheFullParserOnEveryFrameOfAStream() throws {
        var frames: [String] = []
        for (i, text) in ["plain", "Привет", "😀 mixed ж", "tab\there \"q\" \\ /", "\u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}"].enumerated() {
            var out: [UInt8] = Array(#"{"action":"msg","time":"#.utf8) + Array("\(i).5,\"to\":\"b\",\"message\":".utf8)
            JSONWriter.appendString(text, to: &out)
            out.append(UInt8(ascii: "}"))
            frames.append(String(decoding: out, as: UTF8.self))
        }
        for f in frames {
            let v = try view(f)
            let full = try Frame(parsing: Array(f.utf8))
            guard case .msg(let m)? = full.request else { Issue.record("not a msg"); continue }
            #expect(v.string(.message) == m.message)
            #expect(v.scalarCount(.message) == m.message.unicodeScalars.count)
            #expect(try v.frame() == full)
        }
    }
}
