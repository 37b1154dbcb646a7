/// The byte-level checks of JSON string text that every scanner here shares: one UTF-8 sequence,
/// one escape. They read through a raw pointer with explicit bounds and build nothing, for the hot
/// paths (`FrameView`, the server's `MessageScan`, `jim-encode`); `JSONParser` decodes with the same
/// rules.
public enum StringScan {
    /// The length of the well-formed UTF-8 sequence of two to four bytes at `i` (RFC 3629: no
    /// overlong forms, no surrogates, nothing past U+10FFFF), or 0 when it is not one.
    @inline(__always)
    public static func sequenceLength(_ p: UnsafeRawPointer, at i: Int, count: Int) -> Int {
        let lead = p.load(fromByteOffset: i, as: UInt8.self)
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        let length: Int
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return 0
        }
        guard count - i >= length else { return 0 }
        let second = p.load(fromByteOffset: i + 1, as: UInt8.self)
        guard second >= low && second <= high else { return 0 }
        var k = 2
        while k < length {
            guard p.load(fromByteOffset: i + k, as: UInt8.self) & 0xC0 == 0x80 else { return 0 }
            k += 1
        }
        return length
    }

    /// The length of the valid escape whose backslash is at `i`: 2 (`\n`), 6 (`\u00e9`) or 12 (a
    /// surrogate pair `\ud83d\ude00`); 0 for anything a strict parser refuses (an unknown escape,
    /// short hex, a lone surrogate).
    @inline(__always)
    public static func escapeLength(_ p: UnsafeRawPointer, at i: Int, count: Int) -> Int {
        guard count - i >= 2 else { return 0 }
        switch p.load(fromByteOffset: i + 1, as: UInt8.self) {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return 2
        case UInt8(ascii: "u"):
            guard let scalar = hex4(p, at: i + 2, count: count) else { return 0 }
            switch scalar {
            case 0xD800...0xDBFF:
                guard count - i >= 12, p.load(fromByteOffset: i + 6, as: UInt8.self) == UInt8(ascii: "\\"),
                    p.load(fromByteOffset: i + 7, as: UInt8.self) == UInt8(ascii: "u"),
                    let low = hex4(p, at: i + 8, count: count), (0xDC00...0xDFFF).contains(low)
                else { return 0 }
                return 12
            case 0xDC00...0xDFFF:
                return 0
            default:
                return 6
            }
        default:
            return 0
        }
    }

    /// The value of the four hex digits at `i`, or nil.
    @inline(__always)
    static func hex4(_ p: UnsafeRawPointer, at i: Int, count: Int) -> UInt32? {
        guard count - i >= 4 else { return nil }
        var value: UInt32 = 0
        for k in i..<(i + 4) {
            let b = p.load(fromByteOffset: k, as: UInt8.self)
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b &- UInt8(ascii: "A") &+ 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}
