import JIMCore

extension EncodeTool {
    /// What one pass over a line of text found: its characters, its length as JSON, and its UTF-8 validity.
    struct TextScan {
        /// Unicode scalars in the text.
        var scalars = 0
        /// Characters of the text as a JSON string body, escapes included (`"` is 2, U+0001 is 6).
        var chars = 0
        /// Bytes written (by `escape`), or of the whole frame after `writeFrame`.
        var written = 0
        /// Whether the text is plain ASCII.
        var isASCII = true
        /// The byte offset of the first invalid UTF-8 sequence, if any.
        var invalidAt: Int?

        private static let ones: UInt64 = 0x0101_0101_0101_0101
        private static let highs: UInt64 = 0x8080_8080_8080_8080

        /// How many of eight bytes can be copied as they are: plain ASCII that JSON keeps (no control,
        /// `"` or `\`) and complete, valid two-byte UTF-8 sequences (U+0080-U+07FF: Latin, Greek,
        /// Cyrillic, Hebrew, Arabic...); 7 when the last byte starts a sequence, 0 when the bytes need the
        /// careful path (an escape, a longer sequence, or invalid UTF-8). `continuations` is set to the
        /// number of continuation bytes among those taken.
        @inline(__always) static func plainPrefix(_ w: UInt64, continuations: inout Int) -> Int {
            let quote = w ^ (ones &* 0x22)
            let backslash = w ^ (ones &* 0x5C)
            let special = ((w &- ones &* 0x20) & ~w) | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
            if special & highs != 0 { return 0 }
            let high = w & highs
            if high == 0 {
                continuations = 0
                return 8
            }
            let shifted = w << 1
            let cont = w & ~shifted & highs
            let lead = w & shifted & highs
            // Three- and four-byte leads (111xxxxx) and the overlong leads C0 and C1 take the careful path.
            if lead & (w << 2) != 0 { return 0 }
            let overlong = (w & (ones &* 0xFE)) ^ (ones &* 0xC0)
            if (overlong &- ones) & ~overlong & highs != 0 { return 0 }
            // Every lead is followed by exactly one continuation byte, and every continuation follows a lead.
            guard cont == lead << 8 else { return 0 }
            // Count the continuation bytes by summing one bit a byte with a multiply (no popcnt on baseline x86-64).
            continuations = Int(truncatingIfNeeded: ((cont >> 7) &* ones) >> 56)
            return lead >> 56 != 0 ? 7 : 8
        }

        /// The JSON characters an ASCII byte takes in a string: 1, 2 for a short escape, 6 for `\u00XX`.
        @inline(__always) static func escapedLength(_ b: UInt8) -> Int {
            if b >= 0x20 { return b == 0x22 || b == 0x5C ? 2 : 1 }
            switch b {
            case 0x0A, 0x09, 0x0D, 0x08, 0x0C: return 2
            default: return 6
            }
        }

        /// Writes `text` JSON-escaped (as `JSONWriter` would) to `dst`, which has room for 6 bytes a
        /// byte; stops at invalid UTF-8.
        static func escape(_ text: UnsafeRawBufferPointer, into dst: UnsafeMutableRawPointer) -> TextScan {
            var scan = TextScan()
            guard let src = text.baseAddress else { return scan }
            let n = text.count
            var i = 0
            var o = 0
            var scalars = 0
            var extra = 0
            var ascii = true
            while i < n {
                // Sixteen bytes at a time through the plain text, then eight, then one character.
                let run = VectorScan.plainRun(src, from: i, count: n, countingContinuations: true)
                if run.end > i {
                    (dst + o).copyMemory(from: src + i, byteCount: run.end &- i)
                    scalars &+= run.end &- i &- run.continuations
                    if run.continuations != 0 { ascii = false }
                    o &+= run.end &- i
                    i = run.end
                }
                var continuations = 0
                while n - i >= 8 {
                    let w = src.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    let taken = plainPrefix(w, continuations: &continuations)
                    if taken == 0 { break }
                    dst.storeBytes(of: w, toByteOffset: o, as: UInt64.self)
                    i &+= taken
                    o &+= taken
                    scalars &+= taken &- continuations
                    if continuations != 0 { ascii = false }
                }
                guard i < n else { break }
                let b = src.load(fromByteOffset: i, as: UInt8.self)
                if b < 0x80 {
                    scalars += 1
                    if b >= 0x20 && b != 0x22 && b != 0x5C {
                        dst.storeBytes(of: b, toByteOffset: o, as: UInt8.self)
                        o += 1
                        i += 1
                        continue
                    }
                    dst.storeBytes(of: 0x5C, toByteOffset: o, as: UInt8.self)
                    let short: UInt8
                    switch b {
                    case 0x22: short = 0x22
                    case 0x5C: short = 0x5C
                    case 0x0A: short = UInt8(ascii: "n")
                    case 0x09: short = UInt8(ascii: "t")
                    case 0x0D: short = UInt8(ascii: "r")
                    case 0x08: short = UInt8(ascii: "b")
                    case 0x0C: short = UInt8(ascii: "f")
                    default: short = 0
                    }
                    if short != 0 {
                        dst.storeBytes(of: short, toByteOffset: o + 1, as: UInt8.self)
                        o += 2
                        extra += 1
                    } else {
                        dst.storeBytes(of: UInt8(ascii: "u"), toByteOffset: o + 1, as: UInt8.self)
                        dst.storeBytes(of: UInt8(ascii: "0"), toByteOffset: o + 2, as: UInt8.self)
                        dst.storeBytes(of: UInt8(ascii: "0"), toByteOffset: o + 3, as: UInt8.self)
                        dst.storeBytes(of: hexDigit(b >> 4), toByteOffset: o + 4, as: UInt8.self)
                        dst.storeBytes(of: hexDigit(b & 0xF), toByteOffset: o + 5, as: UInt8.self)
                        o += 6
                        extra += 5
                    }
                    i += 1
                    continue
                }
                ascii = false
                // One multi-byte character, validated and copied.
                let length = StringScan.sequenceLength(src, at: i, count: n)
                if length == 0 {
                    scan.invalidAt = i
                    scan.written = o
                    return scan
                }
                (dst + o).copyMemory(from: src + i, byteCount: length)
                i += length
                o += length
                scalars += 1
            }
            scan.scalars = scalars
            scan.chars = scalars + extra
            scan.written = o
            scan.isASCII = ascii
            return scan
        }

        /// Scans `text` without writing: its characters, JSON length and validity.
        static func count(_ text: UnsafeRawBufferPointer) -> TextScan {
            var scan = TextScan()
            guard let src = text.baseAddress else { return scan }
            let n = text.count
            var i = 0
            while i < n {
                let b = src.load(fromByteOffset: i, as: UInt8.self)
                if b < 0x80 {
                    scan.scalars += 1
                    scan.chars += escapedLength(b)
                    i += 1
                    continue
                }
                let length = StringScan.sequenceLength(src, at: i, count: n)
                if length == 0 {
                    scan.invalidAt = i
                    return scan
                }
                scan.isASCII = false
                scan.scalars += 1
                scan.chars += 1
                i += length
            }
            return scan
        }

        /// Where the piece of valid UTF-8 `text` that starts at `start` ends, taking as many characters
        /// as fit in `scalars` characters and `chars` JSON characters (at least one).
        static func pieceEnd(_ text: UnsafeRawBufferPointer, from start: Int, scalars: Int, chars: Int) -> Int {
            let src = text.baseAddress!
            let n = text.count
            var i = start
            var usedScalars = 0
            var usedChars = 0
            while i < n && usedScalars < scalars {
                let b = src.load(fromByteOffset: i, as: UInt8.self)
                let length = b < 0x80 ? 1 : StringScan.sequenceLength(src, at: i, count: n)
                let cost = b < 0x80 ? escapedLength(b) : 1
                if usedChars + cost > chars && i > start { break }
                usedScalars += 1
                usedChars += cost
                i += max(length, 1)
            }
            return i
        }

        @inline(__always) private static func hexDigit(_ v: UInt8) -> UInt8 {
            v < 10 ? UInt8(ascii: "0") + v : UInt8(ascii: "a") + v - 10
        }
    }
}
