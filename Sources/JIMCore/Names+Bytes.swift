extension Names {
    /// Whether `bytes` (valid UTF-8, no escapes) is a user name, or a `#room` when `room`, that
    /// `userProblem` / `roomProblem` accept: 1 to `limits.name` characters, none of them `:`, white
    /// space (the Unicode White_Space property) or a control character (category Cc), and no leading
    /// `#` but the room's one.
    ///
    /// For the hot paths that have a name's bytes in a frame: no `String` is built, and only characters
    /// past U+07FF are decoded to be looked up. A test holds
    /// it to the `String` checks.
    public static func isValid(utf8 bytes: UnsafeRawBufferPointer, room: Bool, limits: Limits = .standard) -> Bool {
        let n = bytes.count
        guard n > 0, n <= limits.name * 4 else { return false }
        var i = 0
        if room {
            guard bytes[0] == UInt8(ascii: "#"), n > 1, bytes[1] != UInt8(ascii: "#") else { return false }
            i = 1
        } else if bytes[0] == UInt8(ascii: "#") {
            return false
        }
        var scalars = i
        while i < n {
            let b = bytes[i]
            scalars += 1
            if b < 0x80 {
                if b <= 0x20 || b == 0x7F || b == UInt8(ascii: ":") { return false }
                i += 1
                continue
            }
            // Two-byte characters from U+00C0 on (leads C3...DF: Latin, Greek, Cyrillic) are none of
            // the refused ones, and the frame's parser has checked the sequence already.
            if b >= 0xC3 && b <= 0xDF {
                i += 2
                continue
            }
            // Any other multi-byte character: decode it and refuse C1 controls and the White_Space characters.
            let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
            guard i + length <= n else { return false }
            var scalar = UInt32(b) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
            for k in 1..<length { scalar = scalar << 6 | UInt32(bytes[i + k] & 0x3F) }
            switch scalar {
            case 0x80...0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return false
            default: i += length
            }
        }
        return scalars <= limits.name
    }
}
