import Testing
@testable import JIMCore

@Suite struct JSONParserTests {
    func parse(_ s: String) throws(FrameError) -> JSONObject { try JSONParser.parseObject(Array(s.utf8)) }
    func parse(bytes: [UInt8]) throws(FrameError) -> JSONObject { try JSONParser.parseObject(bytes) }

    @Test func parsesAllValueKinds() throws {
        let o = try parse(#"{"a":1,"b":-0.5e+3,"c":"x","d":[true,false,null],"e":{"f":{}},"g":[]}"#)
        #expect(o["a"] == .number(JSONNumber(literal: "1")))
        #expect(o["b"]?.number?.double == -500)
        #expect(o["c"] == .string("x"))
        #expect(o["d"] == .array([.bool(true), .bool(false), .null]))
        #expect(o["e"]?.object?["f"] == .object(JSONObject()))
        #expect(o.members.map(\.key) == ["a", "b", "c", "d", "e", "g"])
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let o = try parse(#"{"s":"q\"b\\s\/n\nt\tu\u0041\u0436\ud83d\ude00"}"#)
        #expect(o["s"] == .string("q\"b\\s/n\nt\tuAж😀"))
    }

    @Test func acceptsRawUTF8AndWhitespace() throws {
        let o = try parse(" \t\r\n{ \"m\" : \"Привет 😀\" } \n")
        #expect(o["m"] == .string("Привет 😀"))
    }

    @Test(arguments: [
        #"{"a":1,}"#, #"{"a":[1,]}"#, #"{"a":01}"#, #"{"a":NaN}"#, #"{"a":Infinity}"#, #"{"a":-}"#,
        #"{"a":1.}"#, #"{"a":.5}"#, #"{"a":1e}"#, #"{"a":"\ud800"}"#, #"{"a":"\udc00x"}"#,
        #"{"a":"\ud800\u0041"}"#, #"{"a":"\x"}"#, #"{"a":"\u12"}"#, "{\"a\":\"\u{01}\"}", "{\"a\":\"tab\there\"}",
        #"{"a":1}x"#, #"{"a":1}{"#, #"[1]"#, #""s""#, "", #"{"a" 1}"#, #"{a:1}"#, #"{"a":tru}"#, #"{"a":1 "b":2}"#,
        #"{"a":1,"a":2}"#, #"{'a':1}"#, #"{"a":+1}"#, #"{"a":"unterminated}"#,
    ])
    func rejectsInvalidJSON(_ text: String) {
        #expect(throws: FrameError.self) { try parse(text) }
        #expect(throws: FrameError.self) { try FrameView(parsing: Array(text.utf8)[...]) }
    }

    @Test(arguments: [
        [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC0, 0xAF, 0x22, 0x7D],  // overlong '/'
        [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x7D],  // UTF-8 surrogate
        [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xD0, 0x22, 0x7D],  // truncated sequence
        [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D],  // never valid
        [0xEF, 0xBB, 0xBF, 0x7B, 0x7D],  // byte-order mark
        [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0x5C, 0x6E, 0xF4, 0x90, 0x80, 0x80, 0x22, 0x7D],  // past U+10FFFF, after an escape
    ] as [[UInt8]])
    func rejectsInvalidUTF8(_ bytes: [UInt8]) {
        #expect(throws: FrameError.self) { try parse(bytes: bytes) }
        #expect(throws: FrameError.self) { try FrameView(parsing: bytes[...]) }
    }

    @Test func enforcesDepthLimit() throws {
        let ok = #"{"a":[[[[[[{}]]]]]]}"#  // depth 8
        #expect(throws: Never.self) { try parse(ok) }
        let deep = #"{"a":[[[[[[[{}]]]]]]]}"#  // depth 9
        let error = #expect(throws: FrameError.self) { try parse(deep) }
        #expect(error?.kind == .tooDeep)
        #expect(throws: Never.self) { try FrameView(parsing: Array(ok.utf8)[...]) }
        let viewError = #expect(throws: FrameError.self) { try FrameView(parsing: Array(deep.utf8)[...]) }
        #expect(viewError?.kind == .tooDeep)
    }

    @Test func reportsLineAndColumnOfFault() {
        let error = #expect(throws: FrameError.self) { try parse("{\n  \"a\": 1,\n  }") }
        #expect(error?.position?.line == 3)
        #expect(error?.position?.column == 3)
        #expect(error?.reason == "trailing comma in an object")
    }

    @Test func keepsNumberLiteralsExactly() throws {
        let o = try parse(#"{"time":1732460000.250,"n":-0,"e":1E-7}"#)
        var out: [UInt8] = []
        JSONWriter.append(o, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == #"{"time":1732460000.250,"n":-0,"e":1E-7}"#)
    }
}

@Suite struct JSONWriterTests {
    func written(_ s: String) -> String {
        var out: [UInt8] = []
        JSONWriter.appendString(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func escapesOnlyWhatJSONRequires() {
        #expect(written("a\"b\\c") == #""a\"b\\c""#)
        #expect(written("line\nnext\ttab\r\u{08}\u{0C}\u{01}\u{1F}") == #""line\nnext\ttab\r\b\f\u0001\u001f""#)
        #expect(written("Привет 😀 /") == "\"Привет 😀 /\"")
    }

    @Test func roundTripsEveryControlCharacter() throws {
        let s = String(decoding: (0..<128).map { UInt8($0) }, as: UTF8.self) + "ж😀"
        var out: [UInt8] = Array(#"{"s":"#.utf8)
        JSONWriter.appendString(s, to: &out)
        out.append(UInt8(ascii: "}"))
        #expect(!out.contains(0x0A))
        #expect(try JSONParser.parseObject(out)["s"] == .string(s))
    }
}
