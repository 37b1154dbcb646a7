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
    @usableFromInline var fields: FieldTable

    /// Checks `bytes` as one JIM frame (a JSON object within `limits.depth`) and records its fields.
    public init(parsing bytes: ArraySlice<UInt8>, limits: Limits = .standard) throws(FrameError) {
        self.bytes = bytes
        self.fields = FieldTable()
        // The table is filled where it lives and the error kept aside: a `Result` of the table, or a
        // table filled elsewhere and assigned, would be copied for every frame.
        var failure: FrameError?
        bytes.withUnsafeBytes { raw in
            do throws(FrameError) {
                guard let base = raw.baseAddress, raw.count > 0 else { throw FrameError(.syntax, "empty input", at: StreamPosition()) }
                var parser = JSONParser(base.assumingMemoryBound(to: UInt8.self), count: raw.count, maxDepth: limits.depth)
                try parser.scanFrame(into: &fields)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    /// The field for `key`, if present.
    @inlinable public subscript(key: Key) -> Field? {
        @inline(__always) get { fields[key.rawValue] }
    }

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
    @usableFromInline struct FieldTable: Sendable {
        @usableFromInline var slots: (Field?, Field?, Field?, Field?, Field?, Field?, Field?, Field?, Field?, Field?, Field?, Field?, Field?) =
            (nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil)

        @usableFromInline init() {}

        @inlinable subscript(index: Int) -> Field? {
            // A switch, not a pointer into the tuple: a getter cannot point into `self` without copying
            // all thirteen slots, and with the key known at the call site the switch folds away.
            @inline(__always) get {
                switch index {
                case 0: slots.0
                case 1: slots.1
                case 2: slots.2
                case 3: slots.3
                case 4: slots.4
                case 5: slots.5
                case 6: slots.6
                case 7: slots.7
                case 8: slots.8
                case 9: slots.9
                case 10: slots.10
                case 11: slots.11
                case 12: slots.12
                default: preconditionFailure("field slot \(index) out of range")
                }
            }
            set {
                switch index {
                case 0: slots.0 = newValue
                case 1: slots.1 = newValue
                case 2: slots.2 = newValue
                case 3: slots.3 = newValue
                case 4: slots.4 = newValue
                case 5: slots.5 = newValue
                case 6: slots.6 = newValue
                case 7: slots.7 = newValue
                case 8: slots.8 = newValue
                case 9: slots.9 = newValue
                case 10: slots.10 = newValue
                case 11: slots.11 = newValue
                case 12: slots.12 = newValue
                default: preconditionFailure("field slot \(index) out of range")
                }
            }
        }
    }
}

extension JSONParser {
    /// Validates one whole frame and records the top-level fields JIM names.
    mutating func scanFrame(into fields: inout FrameView.FieldTable) throws(FrameError) {
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
                    key = name.withUTF8 { $0.isEmpty ? nil : Self.key($0.baseAddress!, count: $0.count, readable: $0.count) }
                } else {
                    key = Self.key(base + keyRange.lowerBound, count: keyRange.count, readable: count - keyRange.lowerBound)
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
                // Machine-written frames have `":` and `,"` with nothing between: tested before white space.
                if index < count && byte == UInt8(ascii: ":") {
                    index += 1
                } else {
                    skipWhitespace()
                    guard index < count, byte == UInt8(ascii: ":") else { throw fail(.syntax, "expected ':' after a key") }
                    index += 1
                }
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
    }

    /// The frame key spelled by `bytes`, if any: the key's bytes as one little-endian word, switched on.
    /// `readable` is how many bytes from `bytes` on may be read (at least `n`).
    @inline(__always)
    private static func key(_ bytes: UnsafePointer<UInt8>, count n: Int, readable: Int) -> FrameView.Key? {
        guard n >= 2 && n <= 10 else { return nil }
        var word: UInt64
        if readable >= 8 {
            word = UnsafeRawPointer(bytes).loadUnaligned(as: UInt64.self)
            if n < 8 { word &= (1 &<< (UInt64(n) &* 8)) &- 1 }
        } else {
            word = 0
            var i = n
            while i > 0 {
                i -= 1
                word = word << 8 | UInt64(bytes[i])
            }
        }
        switch (n, word) {
        case (2, 0x6f74): return .to
        case (4, 0x656d_6974): return .time
        case (4, 0x6d6f_7266): return .from
        case (4, 0x7265_7375): return .user
        case (4, 0x6d6f_6f72): return .room
        case (4, 0x6570_7974): return .type
        case (5, 0x74_7265_6c61): return .alert
        case (5, 0x72_6f72_7265): return .error
        case (6, 0x6e6f_6974_6361): return .action
        case (7, 0x65_6761_7373_656d): return .message
        case (8, 0x676e_6964_6f63_6e65): return .encoding
        case (8, 0x6573_6e6f_7073_6572): return .response
        case (10, 0x696e_696c_6570_6970): return bytes[8] == 0x6E && bytes[9] == 0x67 ? .pipelining : nil
        default: return nil
        }
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
    @inline(__always)
    mutating func skipString() throws(FrameError) -> Bool {
        let quote = index
        index = VectorScan.plainRun(UnsafeRawPointer(base), from: index + 1, count: count, countingContinuations: false).end
        if index < count && base[index] == UInt8(ascii: "\"") {
            index += 1
            return false
        }
        return try skipString(quote: quote)
    }

    /// `skipString()` past its first run of plain text, which ended at anything but the closing quote.
    ///
    /// Each stop of the vector scan is one byte it does not take as plain: an escape, a sequence of
    /// three or four bytes (an emoji, a dash), a control character or a bad byte. That one is dealt
    /// with here and the vector scan resumes right after it, so that the text after an emoji in a
    /// Cyrillic message is still scanned sixteen bytes at a time.
    private mutating func skipString(quote: Int) throws(FrameError) -> Bool {
        let raw = UnsafeRawPointer(base)
        var escaped = false
        while true {
            index = VectorScan.plainRun(raw, from: index, count: count, countingContinuations: false).end
            guard index < count else { throw fail(.syntax, "unterminated string") }
            let b = byte
            if b >= 0x80 {
                try skipUTF8Sequence()
            } else if b == UInt8(ascii: "\"") {
                index += 1
                return escaped
            } else if b == UInt8(ascii: "\\") {
                if !skipEscape() {
                    // A bad escape: the full parser throws the error it would throw for this string.
                    index = quote
                    _ = try parseString()
                    return true
                }
                escaped = true
            } else if b < 0x20 {
                throw fail(.syntax, "raw control character U+\(hex4(UInt32(b))) in a string")
            } else {
                // Plain ASCII where a very short text made the scan stop early.
                index += 1
            }
        }
    }

    /// Moves past the valid escape at `index` (its backslash), as `parseString()` decodes it; returns
    /// false, without moving, for anything `parseString()` refuses (it then reports why).
    @inline(__always)
    private mutating func skipEscape() -> Bool {
        let length = StringScan.escapeLength(UnsafeRawPointer(base), at: index, count: count)
        index += length
        return length != 0
    }

    /// Checks one multi-byte UTF-8 sequence at `index` (RFC 3629: no overlong forms, no surrogates, at most U+10FFFF).
    @inline(__always) private mutating func skipUTF8Sequence() throws(FrameError) {
        let length = StringScan.sequenceLength(UnsafeRawPointer(base), at: index, count: count)
        guard length != 0 else { throw fail(.syntax, "invalid UTF-8 in a string") }
        index += length
    }
}

