import Testing
@testable import JIMCore

/// The byte-at-a-time definition `VectorScan.plainRun` must agree with: where the plain run from
/// `start` ends (printable ASCII but `"` and `\`, and whole two-byte sequences C2...DF + 80...BF)
/// and how many continuation bytes it holds.
private func referencePlainRun(_ bytes: [UInt8], from start: Int) -> (end: Int, continuations: Int) {
    var i = start
    var continuations = 0
    while i < bytes.count {
        let b = bytes[i]
        if b >= 0x20 && b < 0x80 && b != 0x22 && b != 0x5C {
            i += 1
        } else if b >= 0xC2 && b <= 0xDF && i + 1 < bytes.count && bytes[i + 1] & 0xC0 == 0x80 {
            i += 2
            continuations += 1
        } else {
            break
        }
    }
    return (i, continuations)
}

private func plainRun(_ bytes: [UInt8], from start: Int) -> (end: Int, continuations: Int) {
    bytes.withUnsafeBytes { VectorScan.plainRun($0.baseAddress!, from: start, count: bytes.count, countingContinuations: true) }
}

private func firstLineEscape(_ bytes: [UInt8], from start: Int) -> Int {
    bytes.withUnsafeBytes { VectorScan.firstLineEscape($0.baseAddress!, from: start, count: bytes.count) }
}

@Suite struct VectorScanTests {
    /// Texts that put every kind of byte at every lane of a block and across block edges.
    static let texts: [String] = [
        "plain ascii text that runs for more than two blocks of sixteen bytes",
        "Привет, как дела? Всё хорошо — спасибо!",
        "ж" + String(repeating: "a", count: 15) + "жжжжжжжжжжжжжжжжжжж",
        String(repeating: "a", count: 15) + "ж" + String(repeating: "b", count: 20),
        "emoji 😀 in the middle of ascii text and more text after it",
        "quote \" and backslash \\ and tab \t and DEL \u{7F} and nothing else here",
        "€ three-byte signs €€ among ascii and Кириллица text 𝄞",
        "\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}",
        "ends with a two-byte letter: ж",
        "short",
        "",
    ]

    /// Bytes that are not valid UTF-8 or sit at a sequence's edge, spliced into plain text.
    static let oddBytes: [[UInt8]] = [[0xC0, 0x80], [0xC1, 0xBF], [0xC2], [0xDF], [0x80], [0xBF], [0xC3, 0xC3, 0xA9], [0xD0, 0xB6, 0xB6], [0xF5], [0xFF], [0x00], [0x1F], [0x0A]]

    @Test func plainRunAgreesWithTheByteWiseDefinitionAtEveryStartAndLength() {
        var cases = Self.texts.map { Array($0.utf8) }
        for odd in Self.oddBytes {
            for at in [0, 1, 7, 14, 15, 16, 17, 30, 31] {
                var bytes = Array(String(repeating: "жa", count: 20).utf8)
                bytes.replaceSubrange(at..<at, with: odd)
                cases.append(bytes)
            }
        }
        for full in cases {
            for length in 0...full.count {
                let bytes = Array(full[..<length])
                var start = 0
                // Every character boundary as a start (the scan's contract).
                while start <= bytes.count {
                    let got = plainRun(bytes, from: start)
                    let want = referencePlainRun(bytes, from: start)
                    // Where the text is too short for a block the scan may stop early, at a boundary;
                    // past that, it must find exactly the run's end.
                    if got.end != want.end {
                        #expect(bytes.count < 17 && got.end >= start && got.end < want.end, "\(bytes) from \(start)")
                        #expect(referencePlainRun(bytes, from: got.end).end == want.end)
                    } else {
                        #expect(got.continuations == want.continuations, "\(bytes) from \(start)")
                    }
                    if start < bytes.count, bytes[start] >= 0xC2, bytes[start] <= 0xDF, start + 1 < bytes.count, bytes[start + 1] & 0xC0 == 0x80 {
                        start += 2
                    } else {
                        start += 1
                    }
                }
            }
        }
    }

    @Test func findsTheClosingQuoteOfAShortStringInOneBlock() {
        let bytes = Array(#""action":"msg","time":1"#.utf8)
        #expect(plainRun(bytes, from: 1).end == 7)
        #expect(plainRun(bytes, from: 10).end == 13)
    }

    @Test func firstLineEscapeFindsControlBackslashAndDeleteAnywhere() {
        for length in 0...40 {
            for at in 0..<max(length, 1) {
                for special: UInt8 in [0x00, 0x09, 0x0A, 0x1F, 0x5C, 0x7F] {
                    var bytes = Array(String(repeating: "жa", count: 20).utf8.prefix(length))
                    if at < length { bytes[at] = special }
                    let want = bytes.firstIndex { $0 < 0x20 || $0 == 0x5C || $0 == 0x7F } ?? bytes.count
                    for start in 0...min(at, bytes.count) {
                        #expect(firstLineEscape(bytes, from: start) == want, "\(bytes) from \(start)")
                    }
                }
            }
        }
    }

    @Test func firstStringBreakFindsQuoteBackslashAndLineFeedAnywhere() {
        for length in 0...40 {
            for at in 0..<max(length, 1) {
                for special: UInt8 in [0x22, 0x5C, 0x0A] {
                    var bytes = Array(String(repeating: "жa\t", count: 20).utf8.prefix(length))
                    if at < length { bytes[at] = special }
                    for end in [bytes.count, max(0, bytes.count - 5)] {
                        let want = bytes[..<end].firstIndex { $0 == 0x22 || $0 == 0x5C || $0 == 0x0A } ?? end
                        for start in 0...min(at, end) {
                            let got = bytes.withUnsafeBytes { VectorScan.firstStringBreak($0.baseAddress!, from: start, to: end) }
                            #expect(got == want, "\(bytes) from \(start) to \(end)")
                        }
                    }
                }
            }
        }
    }
}
