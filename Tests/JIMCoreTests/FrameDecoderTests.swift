import Testing
@testable import JIMCore

/// Drains `decoder`, collecting frames as text and faults as their kinds.
private func drain(_ decoder: inout FrameDecoder, into events: inout [String]) {
    while let out = decoder.next() {
        switch out {
        case .frame(let f): events.append(String(decoding: f.bytes, as: UTF8.self))
        case .error(let e): events.append("error(\(e.kind)) at \(e.position.map(String.init(describing:)) ?? "?")")
        }
    }
}

private func decodeAll(_ chunks: [[UInt8]], limits: Limits = .standard) -> [String] {
    var decoder = FrameDecoder(limits: limits)
    var events: [String] = []
    for c in chunks {
        decoder.feed(c)
        drain(&decoder, into: &events)
    }
    return events
}

@Suite struct FrameDecoderTests {
    static let frames = [
        #"{"action":"presence","time":1732460000.1,"type":"status","user":{"account_name":"alice","status":"here"}}"#,
        ##"{"action": "msg", "time": 1.5, "to": "#ops", "from": "alice", "message": "\u043f\u0440\u0438 {\"}\\"}"##,
        "{\"action\":\"msg\",\"time\":2.0,\"to\":\"bob\",\"from\":\"alice\",\"encoding\":\"utf-8\",\"message\":\"Привет 😀 }]\"}",
        #"{"response":200,"time":1.0,"alert":"OK","pipelining":true}"#,
        #"{"action":"quit"}"#,
    ]

    @Test func splitsEveryFrameAtEveryByteOffset() {
        for frame in Self.frames {
            let bytes = Array((frame + "\n").utf8)
            for cut in 0...bytes.count {
                let events = decodeAll([Array(bytes[..<cut]), Array(bytes[cut...])])
                #expect(events == [frame], "cut at \(cut)")
            }
        }
    }

    @Test func feedsOneByteAtATime() {
        let stream = Self.frames.joined(separator: "\n")
        let events = decodeAll(Array(stream.utf8).map { [$0] })
        #expect(events == Self.frames)
    }

    @Test func findsSeveralFramesInOneBufferWithOrWithoutDelimiters() {
        #expect(decodeAll([Array(Self.frames.joined().utf8)]) == Self.frames)
        #expect(decodeAll([Array(Self.frames.joined(separator: " \r\n\t").utf8)]) == Self.frames)
    }

    @Test func splitsBackToBackFramesAtEveryOffset() {
        let stream = Array(Self.frames.joined().utf8)
        for cut in stride(from: 0, through: stream.count, by: 7) {
            #expect(decodeAll([Array(stream[..<cut]), Array(stream[cut...])]) == Self.frames)
        }
    }

    @Test func reportsGarbageOnceAndResynchronises() {
        let events = decodeAll([Array("hello\n{\"a\":1}\n\u{FEFF}{\"b\":2}[1,2]\n{\"c\":3}".utf8)])
        #expect(events == ["error(syntax) at 1:1", #"{"a":1}"#, "error(syntax) at 3:1", #"{"b":2}"#, "error(syntax) at 3:11", #"{"c":3}"#])  // columns count bytes: the BOM is three
    }

    @Test func cutsAFrameAtARawNewlineInAString() {
        let events = decodeAll([Array("{\"a\":\"broken\n{\"b\":2}\n".utf8)])
        #expect(events == ["error(syntax) at 1:1", #"{"b":2}"#])
    }

    @Test func rejectsOversizedFrameAsBytesArriveAndSkipsIt() {
        let big = "{\"m\":\"" + String(repeating: "x", count: 700) + "\"}"
        var decoder = FrameDecoder()
        var events: [String] = []
        let bytes = Array(big.utf8)
        decoder.feed(bytes[..<641])
        drain(&decoder, into: &events)
        #expect(events == ["error(tooLong) at 1:1"])
        decoder.feed(bytes[641...])
        decoder.feed(Array("\n{\"ok\":1}".utf8))
        drain(&decoder, into: &events)
        #expect(events == ["error(tooLong) at 1:1", #"{"ok":1}"#])
        #expect(decoder.bufferedCount == 0)
    }

    @Test func countsTheFrameLimitInCharacters() {
        for unit in ["x", "ж", "😀"] {
            let overhead = #"{"m":""}"#.count
            let fits = "{\"m\":\"" + String(repeating: unit, count: 640 - overhead) + "\"}"
            let over = "{\"m\":\"" + String(repeating: unit, count: 641 - overhead) + "\"}"
            #expect(decodeAll([Array(fits.utf8)]) == [fits])
            #expect(decodeAll([Array(over.utf8)]) == ["error(tooLong) at 1:1"])
        }
    }

    @Test func givesUpOnAnOversizedFrameThatNeverEnds() {
        var decoder = FrameDecoder(skipLimit: 10_000)
        var events: [String] = []
        decoder.feed(Array("{\"m\":\"".utf8))
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 4096)
        for _ in 0..<256 {  // a megabyte with no closing brace
            decoder.feed(chunk)
            drain(&decoder, into: &events)
            #expect(decoder.bufferedCount <= 4096 + 2560)
        }
        #expect(events.count == 2)
        #expect(events.first == "error(tooLong) at 1:1")
        #expect(events.last?.hasPrefix("error(unrecoverable)") == true)
    }

    @Test func holdsAtMostOnePartialFrame() {
        var decoder = FrameDecoder()
        var events: [String] = []
        let stream = Array(String(repeating: Self.frames[0], count: 1000).utf8)
        var i = 0
        while i < stream.count {
            let n = min(1000, stream.count - i)
            decoder.feed(stream[i..<(i + n)])
            drain(&decoder, into: &events)
            #expect(decoder.bufferedCount < Self.frames[0].utf8.count)
            i += n
        }
        #expect(events.count == 1000)
    }

    @Test func tracksLinesAndColumnsAcrossFeeds() {
        var decoder = FrameDecoder()
        decoder.feed(Array("{\"a\":1}\n\n  ".utf8))
        var events: [String] = []
        drain(&decoder, into: &events)
        decoder.feed(Array("{\"b\":2} x".utf8))
        drain(&decoder, into: &events)
        #expect(events == [#"{"a":1}"#, #"{"b":2}"#, "error(syntax) at 3:11"])
    }

    @Test func knowsWhenAClientStoppedMidFrame() {
        var decoder = FrameDecoder()
        decoder.feed(Array(#"{"action":"msg","#.utf8))
        #expect(decoder.next() == nil)
        #expect(decoder.isInsideFrame)
    }
}

/// Decodes as `jim-decode` does: a whole line is offered with `nextLine()` and taken when it parses
/// as exactly one frame; anything else goes through `next()`.
private func decodeWithLines(_ chunks: [[UInt8]], limits: Limits = .standard) -> [String] {
    var decoder = FrameDecoder(limits: limits)
    var events: [String] = []
    for c in chunks {
        decoder.feed(c)
        while true {
            if let line = decoder.nextLine() {
                if (try? JSONParser.parseObject(line.bytes, maxDepth: limits.depth)) != nil {
                    events.append(String(decoding: line.bytes, as: UTF8.self))
                    decoder.acceptLine()
                    continue
                }
            }
            guard let out = decoder.next() else { break }
            switch out {
            case .frame(let f): events.append(String(decoding: f.bytes, as: UTF8.self))
            case .error(let e): events.append("error(\(e.kind)) at \(e.position.map(String.init(describing:)) ?? "?")")
            }
        }
    }
    return events
}

/// Decodes as `jim-decode` does with large chunks: `feed(_:lines:drain:)` hands whole lines to
/// `takeLines`, which takes each one that parses as exactly one frame; the rest goes through the decoder.
private func decodeFeedingLines(_ chunks: [[UInt8]], limits: Limits = .standard) -> [String] {
    var decoder = FrameDecoder(limits: limits)
    var events: [String] = []
    for c in chunks {
        c.withUnsafeBytes { chunk in
            decoder.feed(chunk) { lines in
                FrameDecoder.takeLines(Array(lines)[...], limits: limits) { frame in
                    guard (try? JSONParser.parseObject(frame, maxDepth: limits.depth)) != nil else { return false }
                    events.append(String(decoding: frame, as: UTF8.self))
                    return true
                }
            } drain: { decoder in
                while true {
                    guard let out = decoder.next() else { break }
                    switch out {
                    case .frame(let f): events.append(String(decoding: f.bytes, as: UTF8.self))
                    case .error(let e): events.append("error(\(e.kind)) at \(e.position.map(String.init(describing:)) ?? "?")")
                    }
                }
            }
        }
    }
    return events
}

@Suite struct FrameDecoderLineTests {
    static let stream =
        FrameDecoderTests.frames.joined(separator: "\n") + "\n"
        + "  {\"a\":1}{\"b\":2}\n" + "{\"a\":\"}\"}  \r\n" + "\n\n{\"a\":1} x\n" + "{\"a\":[1,2}\n"
        + "{\"m\":\"" + String(repeating: "ж", count: 700) + "\"}\n" + "garbage\n" + "{\"a\":\"no end\n"
        + "{\"x\":1}\n" + "{\"last\":true}"

    @Test func offersOnlyLinesThatNextWouldYieldTheSameWay() {
        let bytes = Array(Self.stream.utf8)
        let expected = decodeAll([bytes])
        #expect(decodeWithLines([bytes]) == expected)
        // Whatever the split, including cuts inside a line, which the decoder then scans byte-wise.
        for cut in stride(from: 1, to: bytes.count, by: 3) {
            #expect(decodeWithLines([Array(bytes[..<cut]), Array(bytes[cut...])]) == expected, "cut at \(cut)")
        }
    }

    @Test func feedingWholeLinesGivesWhatNextWouldYield() {
        let bytes = Array(Self.stream.utf8)
        let expected = decodeAll([bytes])
        #expect(decodeFeedingLines([bytes]) == expected)
        // Every cut: the decoder then holds a line's start, finishes it, and the whole lines after it
        // are taken again; a bad line in the middle hands the rest of its chunk to the decoder.
        for cut in 1..<bytes.count {
            #expect(decodeFeedingLines([Array(bytes[..<cut]), Array(bytes[cut...])]) == expected, "cut at \(cut)")
        }
        for size in [1, 2, 7, 64] {
            let chunks = stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min($0 + size, bytes.count)]) }
            #expect(decodeFeedingLines(chunks) == expected, "chunks of \(size)")
        }
    }

    @Test func takeLinesStopsAtALineEndAndCountsLines() {
        let text = Array("\n {\"a\":1} \r\n\n{\"b\":2}\n  {\"c\":3\n{\"d\":4}\n".utf8)
        var seen: [String] = []
        let taken = FrameDecoder.takeLines(text[...]) { seen.append(String(decoding: $0, as: UTF8.self)); return true }
        // The third frame is cut by an LF: the walk stops at the start of its line, white space included.
        #expect(seen == ["{\"a\":1}", "{\"b\":2}"])
        #expect(taken.lines == 4)
        #expect(taken.end == text.firstIndex(of: UInt8(ascii: "c"))! - 4)
        // A frame the consumer refuses also stops it, before its line.
        var count = 0
        let refused = FrameDecoder.takeLines(text[...]) { _ in count += 1; return count < 2 }
        #expect(refused.lines == 3)
        #expect(text[refused.end] == UInt8(ascii: "{"))
        // A slice keeps its own indices.
        let tail = FrameDecoder.takeLines(text[taken.end...]) { _ in true }
        #expect(tail.end == taken.end && tail.lines == 0)
    }

    @Test func skipKeepsPositionsOfLaterFaults() {
        var decoder = FrameDecoder()
        decoder.skip(byteCount: 10, lineCount: 3)
        decoder.feed(Array("  x\n".utf8))
        guard case .error(let e)? = decoder.next() else {
            Issue.record("no fault")
            return
        }
        #expect(e.position == StreamPosition(offset: 12, line: 4, column: 3))
    }

    @Test func takesAWholeLineAndMovesPastIt() {
        var decoder = FrameDecoder()
        decoder.feed(Array("\n {\"a\":1} \r\n{\"b\":2}\n".utf8))
        let line = decoder.nextLine()
        #expect(line.map { String(decoding: $0.bytes, as: UTF8.self) } == "{\"a\":1}")
        #expect(line?.position.line == 2)
        #expect(line?.position.column == 2)
        decoder.acceptLine()
        #expect(decoder.nextLine().map { String(decoding: $0.bytes, as: UTF8.self) } == "{\"b\":2}")
        #expect(decoder.nextLine()?.position.line == 3)
        decoder.acceptLine()
        #expect(decoder.nextLine() == nil)
        #expect(decoder.next() == nil)
        #expect(!decoder.isInsideFrame)
    }

    @Test func offersNothingPastTheFrameLimitOrWithoutALineEnd() {
        var decoder = FrameDecoder()
        decoder.feed(Array(("{\"m\":\"" + String(repeating: "ж", count: 640) + "\"}\n").utf8))
        #expect(decoder.nextLine() == nil)
        var open = FrameDecoder()
        open.feed(Array("{\"a\":1}".utf8))
        #expect(open.nextLine() == nil)
    }
}
