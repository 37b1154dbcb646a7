/// The naming rules of PROTOCOL.md section 2: user names and `#room` names.
///
/// A name is 1 to 25 characters with no whitespace, no control characters, no `:` and no leading `#`;
/// a room is `#` followed by such a name, 25 characters in all.
public enum Names {
    /// Why `name` is not a valid user name, or nil when it is.
    public static func userProblem(_ name: String, limits: Limits = .standard) -> String? {
        if name.isEmpty { return "empty name" }
        if name.utf8.first == UInt8(ascii: "#") { return "a user name cannot start with '#'" }
        return bodyProblem(name, limit: limits.name)
    }

    /// Why `room` is not a valid room name, or nil when it is.
    public static func roomProblem(_ room: String, limits: Limits = .standard) -> String? {
        guard room.utf8.first == UInt8(ascii: "#") else { return "a room name starts with '#'" }
        if room.utf8.count == 1 { return "empty room name" }
        if room.utf8.dropFirst().first == UInt8(ascii: "#") { return "a room name has one leading '#'" }
        return bodyProblem(room, limit: limits.name)
    }

    /// The number of Unicode scalars in `s`, counted eight bytes at a time.
    public static func scalarCount(_ s: String) -> Int {
        var s = s
        return s.withUTF8 { scalarCount(utf8: UnsafeRawBufferPointer($0)) }
    }

    /// The number of Unicode scalars in valid UTF-8 `bytes`: the bytes that are not continuation bytes.
    public static func scalarCount(utf8 bytes: UnsafeRawBufferPointer) -> Int {
        var continuations = 0
        var i = 0
        let n = bytes.count
        while n - i >= 8 {
            continuations += SWAR.continuationBytes(bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        while i < n {
            if bytes[i] & 0xC0 == 0x80 { continuations += 1 }
            i += 1
        }
        return n - continuations
    }

    private static func bodyProblem(_ s: String, limit: Int) -> String? {
        // Plain ASCII names, nearly all of them, are checked byte by byte.
        if s.utf8.allSatisfy({ $0 < 0x80 }) {
            for b in s.utf8 {
                if b == UInt8(ascii: ":") { return "':' is not allowed in a name" }
                if b == 0x20 || (0x09...0x0D).contains(b) { return "whitespace is not allowed in a name" }
                if b < 0x20 || b == 0x7F { return "control characters are not allowed in a name" }
            }
            let n = s.utf8.count
            return n > limit ? "\(n) characters, the limit is \(limit)" : nil
        }
        var n = 0
        for scalar in s.unicodeScalars {
            n += 1
            if scalar == ":" { return "':' is not allowed in a name" }
            if scalar.properties.isWhitespace { return "whitespace is not allowed in a name" }
            if scalar.properties.generalCategory == .control { return "control characters are not allowed in a name" }
        }
        if n > limit { return "\(n) characters, the limit is \(limit)" }
        return nil
    }

    static func checkUser(_ name: String, field: String, limits: Limits) throws(FrameError) -> String {
        if let p = userProblem(name, limits: limits) { throw FrameError(.field, "\(field): \(p)") }
        return name
    }

    static func checkRoom(_ room: String, field: String, limits: Limits) throws(FrameError) -> String {
        if let p = roomProblem(room, limits: limits) { throw FrameError(.field, "\(field): \(p)") }
        return room
    }

    static func checkTarget(_ target: String, field: String, limits: Limits) throws(FrameError) -> String {
        target.utf8.first == UInt8(ascii: "#")
            ? try checkRoom(target, field: field, limits: limits) : try checkUser(target, field: field, limits: limits)
    }
}
