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

    /// Invalid UTF-8 inside runs of eight bytes that the word-at-a-time check takes whole.
    @Test(arguments: [
        [0xD0, 0xB6, 0xD0, 0xB6, 0xD0, 0xD0, 0xB6, 0xD0, 0xB6, 0xD0, 0xB6],  // a lead followed by a lead
        [0xBF, 0xD0, 0xB6, 0xD0, 0xB6, 0xD0, 0xB6, 0xD0, 0xB6, 0x20],  // a continuation with no lead
        [0xD0, 0xB6, 0xD0, 0xB6, 0xC0, 0x80, 0xD0, 0xB6, 0xD0, 0xB6],  // overlong two-byte form
        [0xD0, 0xB6, 0x20, 0xC1, 0xBF, 0x20, 0xD0, 0xB6, 0xD0, 0xB6],  // overlong, C1 lead
        [0xD0, 0xB6, 0xD0, 0xB6, 0xD0, 0xB6, 0x20, 0xD0, 0x20, 0x20],  // lead before ASCII, across words
        [0xD0, 0xB6, 0x20, 0xB6, 0xB6, 0x20, 0x20, 0x20, 0x20, 0x20],  // continuation after ASCII
        [0xE0, 0x80, 0x80, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20],  // overlong three-byte form
        [0xED, 0xA0, 0x80, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20],  // surrogate
        [0xF8, 0x88, 0x80, 0x80, 0x80, 0x20, 0x20, 0x20, 0x20, 0x20],  // five-byte form
    ] as [[UInt8]])
    func refusesInvalidUTF8InWholeWords(_ text: [UInt8]) {
        for pad in 0..<8 {
            let bytes = Array(#"{"m":""#.utf8) + [UInt8](repeating: 0x61, count: pad) + text + Array(#""}"#.utf8)
            #expect(throws: FrameError.self) { try JSONParser.parseObject(bytes) }
            #expect(throws: FrameError.self) { try FrameView(parsing: bytes[...]) }
        }
    }

    @Test func acceptsTwoByteTextAtEveryAlignment() throws {
        for pad in 0..<8 {
            let text = String(repeating: "a", count: pad) + "Привет мир, ελληνικά, ñandú é ж ߿ \u{80}"
            var bytes = Array(#"{"message":"#.utf8)
            JSONWriter.appendString(text, to: &bytes)
            bytes.append(UInt8(ascii: "}"))
            let v = try FrameView(parsing: bytes[...])
            #expect(v.string(.message) == text)
            #expect(v.scalarCount(.message) == text.unicodeScalars.count)
        }
    }

    @Test func checksEscapesInPlaceExactlyAsTheFullParserDoes() {
        let bodies = [
            #"a\"b"#, #"\\"#, #"\/"#, #"\b\f\n\r\t"#, #"\u0041\u00e9\u0416"#, #"\uD83D\uDE00 x"#, #"\u0000"#,
            #"\uD83D"#, #"\uDE00"#, #"\uD83D\u0041"#, #"\uD83Dx"#, #"\u12"#, #"\u12G4"#, #"\x"#, #"\"#, #"\'"#,
            "ж\\n" + String(repeating: "ж", count: 20) + "\\t", "\\u00e9" + String(repeating: "ab", count: 20),
        ]
        for body in bodies {
            let text = #"{"action":"msg","message":""# + body + #"","to":"b"}"#
            let full = try? JSONParser.parseObject(Array(text.utf8))
            let fast = try? view(text)
            #expect((full == nil) == (fast == nil), "\(text)")
            if let fast, case .string(let s)? = full?["message"] {
                #expect(fast.string(.message) == s)
                #expect(fast[.message]?.escaped == body.contains("\\"))
                #expect(fast[.to] != nil)
            }
        }
    }

    @Test func knowsEveryKeyByNameAndNoOther() throws {
        for key in FrameView.Key.allCases {
            let v = try view("{\"\(key.name)\":1,\"\(key.name)x\":2,\"x\(key.name)\":3}")
            #expect(v[key]?.kind == .number, "\(key.name)")
            for other in FrameView.Key.allCases where other != key { #expect(v[other] == nil) }
        }
        // Near the end of the frame, where fewer than eight bytes follow the key.
        #expect(try view(#"{"to":1}"#)[.to] != nil)
        #expect(try view(#"{"t":1}"#)[.to] == nil)
        #expect(try view(#"{"pipelinin":true,"pipelininG":1}"#)[.pipelining] == nil)
    }
}
