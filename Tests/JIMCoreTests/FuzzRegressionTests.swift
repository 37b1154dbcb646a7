import Testing
@testable import JIMCore

/// Decodes `stream` fed in chunks of `chunk` bytes (the whole stream when nil), outputs as text.
private func decode(_ stream: [UInt8], chunk: Int? = nil, limits: Limits = .standard, skipLimit: Int? = nil) -> [String] {
    var decoder = FrameDecoder(limits: limits, skipLimit: skipLimit)
    var events: [String] = []
    var i = 0
    while i < stream.count {
        let n = min(chunk ?? stream.count, stream.count - i)
        decoder.feed(stream[i..<(i + n)])
        i += n
        while let out = decoder.next() {
            switch out {
            case .frame(let f): events.append("frame at \(f.position): " + String(decoding: f.bytes, as: UTF8.self))
            case .error(let e): events.append("\(e.kind) at \(e.position.map { "\($0)" } ?? "?")")
            }
        }
    }
    return events
}

/// Inputs on which a fuzz target (fuzz/targets) found an invariant broken, each kept with its input inline.
@Suite struct FuzzRegressionTests {
    // json target: FrameView accepted what JSONParser refused.
    @Test func frameViewRefusesAKeyRepeatedWithAnEscape() {
        for text in [#"{"action":1,"\u0061ction":2}"#, #"{"\u0061ction":1,"action":2}"#, #"{"to":"a","t\u006F":"b"}"#] {
            let bytes = Array(text.utf8)
            #expect(throws: FrameError.self) { try JSONParser.parseObject(bytes) }
            #expect(throws: FrameError.self) { try FrameView(parsing: bytes[...]) }
        }
    }

    // json target: FrameView recorded no field for a JIM key written with an escape.
    @Test func frameViewReadsAnEscapedKeyAsTheKeyItDecodesTo() throws {
        let bytes = Array(#"{"\u0061ction":"msg","t\u0069me":1.5}"#.utf8)
        let view = try FrameView(parsing: bytes[...])
        #expect(view.string(.action) == "msg")
        #expect(view.withRawBytes(.time) { String(decoding: $0, as: UTF8.self) } == "1.5")
        #expect(try JSONParser.parseObject(bytes)["action"] == .string("msg"))
    }

    // make check-sanitizers (a debug build): the last slot of FrameView's field table trapped, so any
    // frame with `type` (every presence our tools send) crashed debug builds.
    @Test func frameViewRecordsEveryKeyIncludingTheLastOfItsTable() throws {
        let bytes = Array(#"{"action":"presence","time":1.0,"type":"status","user":{"account_name":"alice"}}"#.utf8)
        let view = try FrameView(parsing: bytes[...])
        #expect(view.string(.type) == "status")
        for key in FrameView.Key.allCases {
            #expect((view[key] != nil) == ["action", "time", "type", "user"].contains(key.name))
        }
    }

    // decoder target: a frame that never ends was given up on only when it arrived in several reads.
    @Test func decoderGivesUpOnAFrameThatNeverEndsHoweverItArrives() {
        let stream = Array(("{\"a\":\"" + String(repeating: "y", count: 2000)).utf8)
        let limits = Limits(frame: 16)
        let whole = decode(stream, limits: limits, skipLimit: 152)
        #expect(whole == ["tooLong at 1:1", "unrecoverable at 1:1"])
        #expect(decode(stream, chunk: 31, limits: limits, skipLimit: 152) == whole)
        #expect(decode(stream, chunk: 1, limits: limits, skipLimit: 152) == whole)
    }

    // decoder target: a raw LF in an oversized frame's string was a syntax error in one read, tooLong in two.
    @Test func decoderCallsAFrameCutPastTheLimitTooLongHoweverItArrives() {
        let stream = Array(("{\"m\":\"" + String(repeating: "x", count: 700) + "\n{\"ok\":1}").utf8)
        let expected = ["tooLong at 1:1", "frame at 2:1: {\"ok\":1}"]
        #expect(decode(stream) == expected)
        #expect(decode(stream, chunk: 650) == expected)
    }

    // decoder target: a frame opened with '{' and closed with ']' was yielded as a frame.
    @Test func decoderRefusesAFrameClosedWithABracket() {
        let stream = Array("\r\n \t{]action\": 1}{\"a\":[1]}".utf8)
        #expect(decode(stream) == ["syntax at 2:3", "syntax at 2:5", "frame at 2:16: {\"a\":[1]}"])  // the rest is garbage
        #expect(decode(stream, chunk: 1) == decode(stream))
    }

    // decoder target: invalid UTF-8 (continuation bytes count no characters) was buffered without bound.
    @Test func decoderHoldsNoMoreThanAFrameOfInvalidUTF8() {
        let stream: [UInt8] = Array(#"{"message":""#.utf8) + [UInt8](repeating: 0x80, count: 3000) + Array(#""}{"a":1}"#.utf8)
        var decoder = FrameDecoder()
        var events: [String] = []
        var i = 0
        while i < stream.count {
            let n = min(100, stream.count - i)
            decoder.feed(stream[i..<(i + n)])
            i += n
            while let out = decoder.next() {
                if case .error(let e) = out { events.append("\(e.kind)") } else { events.append("frame") }
            }
            #expect(decoder.bufferedCount <= Limits.standard.frameBytes)
        }
        #expect(events == ["tooLong", "frame"])
        #expect(decode(stream) == decode(stream, chunk: 100))
    }

    // decoder target: a raw LF right after a backslash was swallowed as an escape, and lines miscounted.
    @Test func decoderCutsAFrameAtARawNewlineAfterABackslash() {
        let stream = Array("{\"a\":\"\\\n{\"b\":1}".utf8)
        #expect(decode(stream) == ["syntax at 1:1", "frame at 2:1: {\"b\":1}"])
        #expect(decode(stream, chunk: 1) == decode(stream))
    }
}
