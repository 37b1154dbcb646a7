/// A frame checked against the full JSON grammar, whose top-level fields are kept as byte ranges.
///
/// It is the hot path's view of a frame: the server routes a `msg` and the tools print one without
/// building a `String` for the message or a `JSONObject` for the frame. Validation is exactly as strict
/// as `JSONParser` (the same grammar, UTF-8 and depth rules, duplicate keys refused); only the building
/// is skipped. Anything not on the hot path calls `frame()` for the typed `Frame`.
public struct FrameView: Sendable {
    /// The top-level keys JIM gives a meaning to.
    public enum Key: Int, CaseIterable, Sendable {
        case action, time, to, from, encoding, message, user, room, response, alert, error, pipelining, type

        /// The key as it appears in JSON.
        public var name: String {
            switch self {
            case .action: "action"
            case .time: "time"
            case .to: "to"
            case .from: "from"
            case .encoding: "encoding"
            case .message: "message"
            case .user: "user"
            case .room: "room"
            case .response: "response"
            case .alert: "alert"
            case .error: "error"
            case .pipelining: "pipelining"
            case .type: "type"
            }
        }
    }

    /// What kind of JSON value a field holds.
    public enum Kind: UInt8, Sendable {
        case string, number, object, array, bool, null
    }

    /// Where a top-level value is: byte offsets into `bytes` (strings without their quotes).
    public struct Field: Sendable {
        public var start: Int32
        public var end: Int32
        public var kind: Kind
        /// A string with backslash escapes (its bytes are not its value).
        public var escaped: Bool
    }

    /// The frame's JSON text.
    public let bytes: ArraySlice<UInt8>
    private var fields: FieldTable

    /// Checks `bytes` as one JIM frame (a JSON object within `limits.depth`) and records its fields.
    public init(parsing bytes: ArraySlice<UInt8>, limits: Limits = .standard) throws(FrameError) {
        self.bytes = bytes
        let result: Result<FieldTable, FrameError> = bytes.withUnsafeBytes { raw in
            do throws(FrameError) {
                guard let base = raw.baseAddress, raw.count > 0 else { throw FrameError(.syntax, "empty input", at: StreamPosition()) }
                var parser = JSONParser(base.assumingMemoryBound(to: UInt8.self), count: raw.count, maxDepth: limits.depth)
                return .success(try parser.scanFrame())
            } catch {
                return .failure(error)
            }
        }
        self.fields = try result.get()
    }

    /// The field for `key`, if present.
    @inline(__always) public subscript(key: Key) -> Field? { fields[key.rawValue] }

    /// Whether `key` is present with a string value equal to `literal` (escaped strings never match).
    public func string(_ key: Key, equals literal: StaticString) -> Bool {
        guard let f = self[key], f.kind == .string, !f.escaped, Int(f.end - f.start) == literal.utf8CodeUnitCount else { return false }
        return bytes.withUnsafeBytes { raw in
            let p = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
            return UnsafeRawBufferPointer(rebasing: raw[Int(f.start)..<Int(f.end)]).elementsEqual(p)
        }
    }

    /// The string value of `key` (decoded), or nil when missing or not a string.
    public func string(_ key: Key) -> String? {
        guard let f = self[key], f.kind == .string else { return nil }
        return bytes.withUnsafeBytes { raw -> String in
            if !f.escaped {
                let run = UnsafeBufferPointer(start: raw.baseAddress!.assumingMemoryBound(to: UInt8.self) + Int(f.start), count: Int(f.end - f.start))
                return KnownStrings.lookup(run) ?? String(decoding: run, as: UTF8.self)
            }
            var parser = JSONParser(raw.baseAddress!.assumingMemoryBound(to: UInt8.self), count: raw.count, maxDepth: 1)
            parser.index = Int(f.start) - 1
            return (try? parser.parseString()) ?? ""
        }
    }

    /// Calls `body` with the decoded UTF-8 bytes of string field `key` (no copy when it has no escapes).
    public func withStringBytes<R>(_ key: Key, _ body: (UnsafeRawBufferPointer) -> R) -> R? {
        guard let f = self[key], f.kind == .string else { return nil }
        if f.escaped {
            var s = string(key) ?? ""
            return s.withUTF8 { body(UnsafeRawBufferPointer($0)) }
        }
        return bytes.withUnsafeBytes { raw in body(UnsafeRawBufferPointer(rebasing: raw[Int(f.start)..<Int(f.end)])) }
    }

    /// Calls `body` with the raw JSON text of field `key` (for numbers: the literal).
    public func withRawBytes<R>(_ key: Key, _ body: (UnsafeRawBufferPointer) -> R) -> R? {
        guard let f = self[key] else { return nil }
        return bytes.withUnsafeBytes { raw in body(UnsafeRawBufferPointer(rebasing: raw[Int(f.start)..<Int(f.end)])) }
    }

    /// The number of characters (Unicode scalars) in string field `key`'s decoded value.
    public func scalarCount(_ key: Key) -> Int? {
        withStringBytes(key) { Names.scalarCount(utf8: $0) }
    }

    /// The typed frame (parses again, building every value).
    public func frame(limits: Limits = .standard) throws(FrameError) -> Frame {
        try Frame(parsing: bytes, limits: limits)
    }
}

extension FrameView {
    /// One slot per `Key`, stored inline so that viewing a frame allocates nothing.
    struct FieldTable: Sendable {
        private var slots: (Field?, Field?, Field?, Field?, Field?, Field?, Field?, Field?, Field?, Field?, Field?, Field?, Field?) =
            (nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil)

        subscript(index: Int) -> Field? {
            get {
                precondition(index >= 0 && index < 13)
                // Through a pointer, not a buffer: the tuple's size is 12 strides plus one `Field?` (10 bytes),
                // so a buffer of `Field?` over it would count 12 slots and trap on the 13th in debug builds.
                return withUnsafeBytes(of: slots) { $0.baseAddress!.assumingMemoryBound(to: Field?.self)[index] }
            }
            set {
                precondition(index >= 0 && index < 13)
                withUnsafeMutableBytes(of: &slots) { $0.baseAddress!.assumingMemoryBound(to: Field?.self)[index] = newValue }
            }
        }
    }
}

extension JSONParser {
    /// Validates one whole frame and records the top-level fields JIM names.
    mutating func scanFrame() throws(FrameError) -> FrameView.FieldTable {
        var fields = FrameView.FieldTable()
        var otherKeys: [Range<Int>] = []
        skipWhitespace()
        guard index < count, byte == UInt8(ascii: "{") else {
            throw fail(.syntax, index < count ? "expected an object, found \(describeByte())" : "empty input")
        }
        index += 1
        skipWhitespace()
        if index < count && byte == UInt8(ascii: "}") {
            index += 1
        } else {
            members: while true {
                skipWhitespace()
                guard index < count else { throw fail(.syntax, "unexpected end of input in an object") }
                guard byte == UInt8(ascii: "\"") else {
                    throw fail(.syntax, byte == UInt8(ascii: "}") ? "trailing comma in an object" : "expected a key, found \(describeByte())")
                }
                let keyQuote = index
                let keyEscaped = try skipString()
                let keyRange = (keyQuote + 1)..<(index - 1)
                let key: FrameView.Key?
                if keyEscaped {
                    // An escaped key means what it decodes to: `"\u0061ction"` is `action`.
                    let afterKey = index
                    index = keyQuote
                    var name = try parseString()
                    index = afterKey
                    key = name.withUTF8 { Self.key($0) }
                } else {
                    key = Self.key(UnsafeBufferPointer(start: base + keyRange.lowerBound, count: keyRange.count))
                }
                if let key, fields[key.rawValue] != nil {
                    index = keyQuote
                    throw fail(.syntax, "duplicate key: \(key.name)")
                }
                if key == nil {
                    // Rare: compare decoded keys exactly, as the full parser does.
                    let saved = index
                    index = keyQuote
                    let name = try parseString()
                    for other in otherKeys {
                        index = other.lowerBound
                        if try parseString() == name {
                            index = keyQuote
                            throw fail(.syntax, "duplicate key: \(name)")
                        }
                    }
                    index = saved
                    otherKeys.append(keyQuote..<index)
                }
                skipWhitespace()
                guard index < count, byte == UInt8(ascii: ":") else { throw fail(.syntax, "expected ':' after a key") }
                index += 1
                skipWhitespace()
                let valueStart = index
                guard index < count else { throw fail(.syntax, "unexpected end of input") }
                let kind: FrameView.Kind
                var escaped = false
                switch byte {
                case UInt8(ascii: "\""): kind = .string; escaped = try skipString()
                case UInt8(ascii: "{"): kind = .object; try skipContainer(depth: 2)
                case UInt8(ascii: "["): kind = .array; try skipContainer(depth: 2)
                case UInt8(ascii: "t"): kind = .bool; try expectLiteral("true")
                case UInt8(ascii: "f"): kind = .bool; try expectLiteral("false")
                case UInt8(ascii: "n"): kind = .null; try expectLiteral("null")
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): kind = .number; try scanNumber()
                default: throw fail(.syntax, "unexpected \(describeByte())")
                }
                if let key {
                    let quoted = kind == .string ? 1 : 0
                    fields[key.rawValue] = FrameView.Field(
                        start: Int32(valueStart + quoted), end: Int32(index - quoted), kind: kind, escaped: escaped)
                }
                skipWhitespace()
                guard index < count else { throw fail(.syntax, "unexpected end of input in an object") }
                switch byte {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "}"): index += 1; break members
                default: throw fail(.syntax, "expected ',' or '}', found \(describeByte())")
                }
            }
        }
        skipWhitespace()
        if index < count { throw fail(.syntax, "trailing bytes after the object: \(describeByte())") }
        return fields
    }

    private static func key(_ bytes: UnsafeBufferPointer<UInt8>) -> FrameView.Key? {
        KnownStrings.frameKey(bytes)
    }

    /// Validates the object or array at `index` (its opening bracket is at nesting `depth`) and moves past it.
    private mutating func skipContainer(depth: Int) throws(FrameError) {
        if depth > maxDepth { throw fail(.tooDeep, "nested deeper than \(maxDepth) levels") }
        let isObject = byte == UInt8(ascii: "{")
        let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        index += 1
        skipWhitespace()
        if index < count && byte == close {
            index += 1
            return
        }
        var keyStarts: [Int] = []
        while true {
            skipWhitespace()
            guard index < count else { throw fail(.syntax, "unexpected end of input") }
            if byte == close { throw fail(.syntax, isObject ? "trailing comma in an object" : "trailing comma in an array") }
            if isObject {
                guard byte == UInt8(ascii: "\"") else { throw fail(.syntax, "expected a key, found \(describeByte())") }
                let keyStart = index
                let name = try parseString()
                let after = index
                for other in keyStarts {
                    index = other
                    if try parseString() == name {
                        index = keyStart
                        throw fail(.syntax, "duplicate key: \(name)")
                    }
                }
                index = after
                keyStarts.append(keyStart)
                skipWhitespace()
                guard index < count, byte == UInt8(ascii: ":") else { throw fail(.syntax, "expected ':' after a key") }
                index += 1
                skipWhitespace()
            }
            guard index < count else { throw fail(.syntax, "unexpected end of input") }
            switch byte {
            case UInt8(ascii: "\""): _ = try skipString()
            case UInt8(ascii: "{"), UInt8(ascii: "["): try skipContainer(depth: depth + 1)
            case UInt8(ascii: "t"): try expectLiteral("true")
            case UInt8(ascii: "f"): try expectLiteral("false")
            case UInt8(ascii: "n"): try expectLiteral("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try scanNumber()
            default: throw fail(.syntax, "unexpected \(describeByte())")
            }
            skipWhitespace()
            guard index < count else { throw fail(.syntax, "unexpected end of input") }
            if byte == UInt8(ascii: ",") {
                index += 1
            } else if byte == close {
                index += 1
                return
            } else {
                throw fail(.syntax, "expected ',' or '\(Character(Unicode.Scalar(close)))', found \(describeByte())")
            }
        }
    }

    /// Validates the string at `index` (its opening quote) without building it; returns whether it has escapes.
    mutating func skipString() throws(FrameError) -> Bool {
        let quote = index
        index += 1
        let raw = UnsafeRawPointer(base)
        while true {
            while count - index >= 8 {
                let w = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                if SWAR.hasByte(w, 0x22) || SWAR.hasByte(w, 0x5C) || SWAR.hasControl(w) { break }
                if SWAR.hasNonASCII(w) && !SWAR.isASCIIOrTwoByteUTF8(w) { break }
                index += 8
            }
            guard index < count else { throw fail(.syntax, "unterminated string") }
            let b = byte
            if b < 0x80 {
                if b == UInt8(ascii: "\"") {
                    index += 1
                    return false
                }
                if b == UInt8(ascii: "\\") {
                    // Escapes are rare: let the full parser check them.
                    index = quote
                    _ = try parseString()
                    return true
                }
                if b < 0x20 { throw fail(.syntax, "raw control character U+\(hex4(UInt32(b))) in a string") }
                index += 1
            } else {
                // Stay byte-wise through a run of non-ASCII text, two-byte sequences (Cyrillic, Greek,
                // accented Latin) inline.
                var lead = b
                repeat {
                    if lead >= 0xC2 && lead <= 0xDF && index + 1 < count && base[index + 1] & 0xC0 == 0x80 {
                        index += 2
                    } else {
                        try skipUTF8Sequence(lead: lead)
                    }
                    guard index < count else { break }
                    lead = base[index]
                    if lead == 0x20 && index + 1 < count && base[index + 1] >= 0x80 {
                        index += 1
                        lead = base[index]
                    }
                } while lead >= 0x80
            }
        }
    }

    /// Checks one multi-byte UTF-8 sequence at `index` (RFC 3629: no overlong forms, no surrogates, at most U+10FFFF).
    @inline(__always) private mutating func skipUTF8Sequence(lead b: UInt8) throws(FrameError) {
        let n: Int
        var lo: UInt8 = 0x80
        var hi: UInt8 = 0xBF
        switch b {
        case 0xC2...0xDF: n = 1
        case 0xE0: n = 2; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: n = 2
        case 0xED: n = 2; hi = 0x9F
        case 0xF0: n = 3; lo = 0x90
        case 0xF1...0xF3: n = 3
        case 0xF4: n = 3; hi = 0x8F
        default: throw fail(.syntax, "invalid UTF-8 in a string")
        }
        guard count - index > n else { throw fail(.syntax, "invalid UTF-8 in a string") }
        let second = base[index + 1]
        guard second >= lo && second <= hi else { throw fail(.syntax, "invalid UTF-8 in a string") }
        var i = 2
        while i <= n {
            guard base[index + i] & 0xC0 == 0x80 else { throw fail(.syntax, "invalid UTF-8 in a string") }
            i += 1
        }
        index += n + 1
    }
}

