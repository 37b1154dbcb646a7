/// Byte tests on eight bytes at once ("SIMD within a register"), for the scanners' long runs.
enum SWAR {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Whether any byte of `w` equals `byte`.
    @inline(__always) static func hasByte(_ w: UInt64, _ byte: UInt8) -> Bool {
        let x = w ^ (ones &* UInt64(byte))
        return (x &- ones) & ~x & highs != 0
    }

    /// Whether any byte of `w` is below 0x20 (a control character).
    @inline(__always) static func hasControl(_ w: UInt64) -> Bool {
        (w &- ones &* 0x20) & ~w & highs != 0
    }

    /// Whether any byte of `w` has its high bit set (not ASCII).
    @inline(__always) static func hasNonASCII(_ w: UInt64) -> Bool { w & highs != 0 }

    /// How many bytes of `w` are UTF-8 continuation bytes (0b10xxxxxx).
    @inline(__always) static func continuationBytes(_ w: UInt64) -> Int {
        // One bit per continuation byte, summed by a multiply (no POPCNT on baseline x86-64).
        Int((((w & ~(w << 1) & highs) >> 7) &* ones) >> 56)
    }
}
