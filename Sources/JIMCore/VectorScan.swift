/// Sixteen-byte scans (SSE2 on x86-64, NEON on arm64) for the long runs of string text in a frame.
///
/// Written with the standard library's `SIMD16`, so it compiles everywhere; the operations are kept to
/// what lowers to one vector instruction each (compares, and, or, add), and the any-lane test goes
/// through two 64-bit words, which the compiler turns into a mask move.
public enum VectorScan {
    private typealias Bytes = SIMD16<UInt8>

    /// Lane numbers 0...15.
    @inline(__always) private static var lanes: Bytes { Bytes(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) }

    /// Whether any lane of `mask` is set.
    @inline(__always) private static func any(_ mask: SIMDMask<SIMD16<Int8>>) -> Bool {
        let words = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
        return words[0] | words[1] != 0
    }

    /// The first set lane of `mask` (which has one).
    @inline(__always) private static func firstLane(_ mask: SIMDMask<SIMD16<Int8>>) -> Int {
        let words = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
        return words[0] != 0 ? words[0].trailingZeroBitCount &>> 3 : 8 &+ words[1].trailingZeroBitCount &>> 3
    }

    /// How many lanes of `mask` are set.
    @inline(__always) private static func lanesSet(_ mask: SIMDMask<SIMD16<Int8>>) -> Int {
        let words = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
        let ones: UInt64 = 0x0101_0101_0101_0101
        // One bit a lane, summed by a multiply (no POPCNT on baseline x86-64).
        return Int(truncatingIfNeeded: (((words[0] & ones) &+ (words[1] & ones)) &* ones) &>> 56)
    }

    /// `v` moved up one lane (lane k holds lane k-1's byte), with zero in lane 0.
    @inline(__always) private static func shiftedUp(_ v: Bytes) -> Bytes {
        let w = unsafeBitCast(v, to: SIMD2<UInt64>.self)
        return unsafeBitCast(SIMD2<UInt64>(w[0] &<< 8, w[1] &<< 8 | w[0] &>> 56), to: Bytes.self)
    }

    /// `v` moved down one lane (lane k holds lane k+1's byte), with zero in lane 15.
    @inline(__always) private static func shiftedDown(_ v: Bytes) -> Bytes {
        let w = unsafeBitCast(v, to: SIMD2<UInt64>.self)
        return unsafeBitCast(SIMD2<UInt64>(w[0] &>> 8 | w[1] &<< 56, w[1] &>> 8), to: Bytes.self)
    }

    /// The run of plain string text that starts at `start`: where it ends and how many UTF-8
    /// continuation bytes it holds (its characters are its bytes less those).
    ///
    /// Plain text is printable ASCII other than `"` and `\`, and whole, well-formed two-byte UTF-8
    /// sequences (U+0080 to U+07FF: Cyrillic, Greek, accented Latin): what a JSON string holds as it
    /// is and a JSON writer copies as it is. `start` must be a character boundary; the byte before it
    /// is read when `start > 0`.
    ///
    /// Works in blocks of sixteen and stops at the first byte that is anything else (a quote, an
    /// escape, a control character, a longer or broken sequence), or at `count` when there is none;
    /// the caller's byte-wise scan takes over from there. Each block is checked against its neighbours
    /// one byte either side, so a two-byte sequence split across blocks is seen whole. The last bytes
    /// are checked as one block ending at `count`; in a text of fewer than 17 bytes the scan may stop
    /// early, at a character boundary.
    @inline(__always)
    public static func plainRun(
        _ p: UnsafeRawPointer, from start: Int, count: Int, countingContinuations: Bool
    ) -> (end: Int, continuations: Int) {
        let quote = Bytes(repeating: 0x22)
        let backslash = Bytes(repeating: 0x5C)
        let space = Bytes(repeating: 0x20)
        let high = Bytes(repeating: 0x80)
        var continuations = 0
        var i = start
        while count &- i >= 16 {
            let v = p.loadUnaligned(fromByteOffset: i, as: Bytes.self)
            let nonASCII = v .>= high
            let special = (v .== quote) .| (v .== backslash) .| (v .< space) .| nonASCII
            if !any(special) {
                i &+= 16
                continue
            }
            // A short string's closing quote, or an escape, in plain ASCII: found in one step.
            if !any(nonASCII) { return (i &+ firstLane(special), continuations) }
            // Non-ASCII: check two-byte sequences against the bytes either side (one past the block).
            guard count &- i >= 17 else { break }
            let next = p.loadUnaligned(fromByteOffset: i &+ 1, as: Bytes.self)
            let previous = i > 0 ? p.loadUnaligned(fromByteOffset: i &- 1, as: Bytes.self) : shiftedUp(v)
            let (other, tail) = twoByteLanes(v, next: next, previous: previous)
            // Every lane before the first other one is plain, so that lane starts a character.
            if any(other) {
                let k = firstLane(other)
                if countingContinuations { continuations &+= lanesSet(tail, before: k) }
                return (i &+ k, continuations)
            }
            if countingContinuations { continuations &+= lanesSet(tail) }
            i &+= 16
        }
        guard i < count else { return (i, continuations) }
        guard count >= 17 else {
            // Too short for a block: back up to a character boundary for the byte-wise scan.
            if i > start && p.load(fromByteOffset: i, as: UInt8.self) & 0xC0 == 0x80 {
                return (i &- 1, continuations &- 1)
            }
            return (i, continuations)
        }
        // The last few bytes: one block ending at `count`, its lanes before `i` (already checked) masked
        // off. With no byte after the block, `next` is the block shifted down a lane, with a zero (not a
        // continuation) in the last lane: a lead in the very last byte is never plain.
        let j = count &- 16
        let v = p.loadUnaligned(fromByteOffset: j, as: Bytes.self)
        let fresh = lanes .>= Bytes(repeating: UInt8(truncatingIfNeeded: i &- j))
        let nonASCII = (v .>= high) .& fresh
        let special = ((v .== quote) .| (v .== backslash) .| (v .< space) .| nonASCII) .& fresh
        guard any(special) else { return (count, continuations) }
        if !any(nonASCII) { return (j &+ firstLane(special), continuations) }
        let lanesFound = twoByteLanes(v, next: shiftedDown(v), previous: p.loadUnaligned(fromByteOffset: j &- 1, as: Bytes.self))
        let other = lanesFound.other .& fresh
        let tail = lanesFound.tail .& fresh
        if !any(other) {
            if countingContinuations { continuations &+= lanesSet(tail) }
            return (count, continuations)
        }
        let k = firstLane(other)
        if countingContinuations { continuations &+= lanesSet(tail, before: k) }
        return (j &+ k, continuations)
    }

    /// For block `v` with the bytes one lane after (`next`) and before (`previous`) it: the lanes
    /// that are not plain text (`other`), and the continuation bytes of whole two-byte sequences
    /// (`tail`). Plain is printable ASCII but `"` and `\`, a lead C2...DF followed by a
    /// continuation, or a continuation preceded by such a lead.
    @inline(__always)
    private static func twoByteLanes(
        _ v: Bytes, next: Bytes, previous: Bytes
    ) -> (other: SIMDMask<SIMD16<Int8>>, tail: SIMDMask<SIMD16<Int8>>) {
        let high = Bytes(repeating: 0x80)
        let topTwo = Bytes(repeating: 0xC0)
        let leadBase = Bytes(repeating: 0xC2)
        let leadSpan = Bytes(repeating: 0x1E)
        let plainASCII =
            (v .< high) .& (v .>= Bytes(repeating: 0x20)) .& (v .!= Bytes(repeating: 0x22)) .& (v .!= Bytes(repeating: 0x5C))
        let lead = ((v &- leadBase) .< leadSpan) .& ((next & topTwo) .== high)
        let tail = ((v & topTwo) .== high) .& ((previous &- leadBase) .< leadSpan)
        return (.!(plainASCII .| lead .| tail), tail)
    }

    /// How many lanes of `mask` below lane `k` are set.
    @inline(__always) private static func lanesSet(_ mask: SIMDMask<SIMD16<Int8>>, before k: Int) -> Int {
        lanesSet(mask .& (lanes .< Bytes(repeating: UInt8(truncatingIfNeeded: k))))
    }

    /// The index of the first quote, backslash or LF from `start` up to `end`, or `end`: where a
    /// string's contents stop for the frame decoder, which tracks structure but not UTF-8.
    @inline(__always)
    public static func firstStringBreak(_ p: UnsafeRawPointer, from start: Int, to end: Int) -> Int {
        firstMatch(p, from: start, to: end) { v in
            (v .== Bytes(repeating: 0x22)) .| (v .== Bytes(repeating: 0x5C)) .| (v .== Bytes(repeating: 0x0A))
        } byte: { b in
            b == 0x22 || b == 0x5C || b == 0x0A
        }
    }

    /// The index of the first byte from `start` on that a line of text must not hold as it is: a
    /// control character (below 0x20), a backslash or DEL; `count` when there is none.
    public static func firstLineEscape(_ p: UnsafeRawPointer, from start: Int, count: Int) -> Int {
        firstMatch(p, from: start, to: count) { v in
            (v .< Bytes(repeating: 0x20)) .| (v .== Bytes(repeating: 0x5C)) .| (v .== Bytes(repeating: 0x7F))
        } byte: { b in
            b < 0x20 || b == 0x5C || b == 0x7F
        }
    }

    /// The index of the first byte from `start` up to `end` that `byte` picks (`vector` picks the same
    /// lanes of a block), or `end`: blocks of sixteen, then the last bytes as one block ending at
    /// `end` with the lanes already checked masked off, or byte by byte when there are fewer than 16.
    @inline(__always)
    private static func firstMatch(
        _ p: UnsafeRawPointer, from start: Int, to end: Int,
        vector: (Bytes) -> SIMDMask<SIMD16<Int8>>, byte: (UInt8) -> Bool
    ) -> Int {
        var i = start
        while end &- i >= 16 {
            let hit = vector(p.loadUnaligned(fromByteOffset: i, as: Bytes.self))
            if any(hit) { return i &+ firstLane(hit) }
            i &+= 16
        }
        guard i < end else { return end }
        if end &- start >= 16 {
            let j = end &- 16
            let fresh = lanes .>= Bytes(repeating: UInt8(truncatingIfNeeded: i &- j))
            let hit = vector(p.loadUnaligned(fromByteOffset: j, as: Bytes.self)) .& fresh
            return any(hit) ? j &+ firstLane(hit) : end
        }
        while i < end {
            if byte(p.load(fromByteOffset: i, as: UInt8.self)) { return i }
            i &+= 1
        }
        return end
    }
}
