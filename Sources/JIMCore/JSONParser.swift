/// A strict RFC 8259 parser for one JSON object, specialised for JIM frames.
///
/// It works on bytes and rejects what the JSON grammar rejects: invalid UTF-8 (overlong forms, surrogates
/// and truncated sequences included), lone surrogate escapes, raw control characters in strings, trailing
/// commas, leading zeros, `NaN` and friends, and anything after the object but whitespace. Objects and arrays
/// may nest `maxDepth` deep (the frame itself counts as 1). Duplicate keys are an error: a frame that names
/// `from` twice could otherwise say one thing to the server and another to the recipient.
public struct JSONParser {
    let base: UnsafePointer<UInt8>
    let count: Int
    var index = 0
    let maxDepth: Int
    private var scratch: [UInt8] = []

    init(_ base: UnsafePointer<UInt8>, count: Int, maxDepth: Int) {
        self.base = base
        self.count = count
        self.maxDepth = maxDepth
    }

    /// Parses `bytes` as exactly one JSON object surrounded by optional whitespace.
    public static func parseObject(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = Limits.standard.depth) throws(FrameError) -> JSONObject {
        guard let raw = bytes.baseAddress, bytes.count > 0 else {
            throw FrameError(.syntax, "empty input", at: StreamPosition())
        }
        var parser = JSONParser(raw.assumingMemoryBound(to: UInt8.self), count: bytes.count, maxDepth: maxDepth)
        parser.skipWhitespace()
        guard parser.index < parser.count, parser.byte == UInt8(ascii: "{") else {
            throw parser.fail(.syntax, parser.index < parser.count ? "expected an object, found \(parser.describeByte())" : "empty input")
        }
        let object = try parser.parseObject(depth: 1)
        parser.skipWhitespace()
        if parser.index < parser.count {
            throw parser.fail(.syntax, "trailing bytes after the object: \(parser.describeByte())")
        }
        return object
    }

    /// Parses an array of bytes (see `parseObject(_:maxDepth:)`).
    public static func parseObject(_ bytes: some Collection<UInt8>, maxDepth: Int = Limits.standard.depth) throws(FrameError) -> JSONObject {
        let result: Result<JSONObject, FrameError>? = bytes.withContiguousStorageIfAvailable { buffer in
            do throws(FrameError) {
                return .success(try parseObject(UnsafeRawBufferPointer(buffer), maxDepth: maxDepth))
            } catch {
                return .failure(error)
            }
        }
        if let result { return try result.get() }
        return try parseObject(Array(bytes), maxDepth: maxDepth)
    }

    // MARK: - Grammar

    var byte: UInt8 { base[index] }

    @inline(__always) mutating func skipWhitespace() {
        // Frames written by machines have none: one test, then out.
        guard index < count, base[index] <= 0x20 else { return }
        while index < count {
            switch base[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func parseValue(depth: Int) throws(FrameError) -> JSONValue {
        guard index < count else { throw fail(.syntax, "unexpected end of input") }
        switch byte {
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "{"): return .object(try parseObject(depth: depth + 1))
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw fail(.syntax, "unexpected \(describeByte())")
        }
    }

    private mutating func parseObject(depth: Int) throws(FrameError) -> JSONObject {
        if depth > maxDepth { throw fail(.tooDeep, "nested deeper than \(maxDepth) levels") }
        index += 1  // {
        var members: [(key: String, value: JSONValue)] = []
        members.reserveCapacity(8)
        skipWhitespace()
        if index < count && byte == UInt8(ascii: "}") {
            index += 1
            return JSONObject(members)
        }
        while true {
            skipWhitespace()
            guard index < count else { throw fail(.syntax, "unexpected end of input in an object") }
            guard byte == UInt8(ascii: "\"") else {
                throw fail(.syntax, byte == UInt8(ascii: "}") ? "trailing comma in an object" : "expected a key, found \(describeByte())")
            }
            let keyStart = index
            let key = try parseString()
            for m in members where m.key == key {
                index = keyStart
                throw fail(.syntax, "duplicate key: \(key)")
            }
            skipWhitespace()
            guard index < count, byte == UInt8(ascii: ":") else { throw fail(.syntax, "expected ':' after a key") }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            members.append((key, value))
            skipWhitespace()
            guard index < count else { throw fail(.syntax, "unexpected end of input in an object") }
            switch byte {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return JSONObject(members)
            default: throw fail(.syntax, "expected ',' or '}', found \(describeByte())")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(FrameError) -> JSONValue {
        if depth > maxDepth { throw fail(.tooDeep, "nested deeper than \(maxDepth) levels") }
        index += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < count && byte == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            if index < count && byte == UInt8(ascii: "]") { throw fail(.syntax, "trailing comma in an array") }
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard index < count else { throw fail(.syntax, "unexpected end of input in an array") }
            switch byte {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(elements)
            default: throw fail(.syntax, "expected ',' or ']', found \(describeByte())")
            }
        }
    }

    mutating func expectLiteral(_ word: StaticString) throws(FrameError) {
        let n = word.utf8CodeUnitCount
        guard count - index >= n, memcmpEqual(base + index, word.utf8Start, n) else {
            throw fail(.syntax, "unexpected \(describeByte())")
        }
        index += n
    }

    private mutating func parseNumber() throws(FrameError) -> JSONNumber {
        let start = index
        try scanNumber()
        return JSONNumber(literal: String(decoding: UnsafeBufferPointer(start: base + start, count: index - start), as: UTF8.self))
    }

    /// Checks a number's grammar and moves past it.
    mutating func scanNumber() throws(FrameError) {
        if byte == UInt8(ascii: "-") { index += 1 }
        guard index < count, isDigit(byte) else { throw fail(.syntax, "a number needs digits") }
        if byte == UInt8(ascii: "0") {
            index += 1
            if index < count && isDigit(byte) { throw fail(.syntax, "leading zero in a number") }
        } else {
            while index < count && isDigit(byte) { index += 1 }
        }
        if index < count && byte == UInt8(ascii: ".") {
            index += 1
            guard index < count, isDigit(byte) else { throw fail(.syntax, "a fraction needs digits") }
            while index < count && isDigit(byte) { index += 1 }
        }
        if index < count && (byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")) {
            index += 1
            if index < count && (byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")) { index += 1 }
            guard index < count, isDigit(byte) else { throw fail(.syntax, "an exponent needs digits") }
            while index < count && isDigit(byte) { index += 1 }
        }
    }

    /// Parses a string starting at its opening quote, leaving `index` after the closing quote.
    mutating func parseString() throws(FrameError) -> String {
        index += 1
        let start = index
        var nonASCII = false
        // Eight bytes at a time while none is a quote, a backslash or a control character.
        let raw = UnsafeRawPointer(base)
        var high: UInt64 = 0
        while count - index >= 8 {
            let w = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            if SWAR.hasByte(w, 0x22) || SWAR.hasByte(w, 0x5C) || SWAR.hasControl(w) { break }
            high |= w
            index += 8
        }
        nonASCII = SWAR.hasNonASCII(high)
        while index < count {
            let b = base[index]
            if b == UInt8(ascii: "\"") {
                let run = UnsafeBufferPointer(start: base + start, count: index - start)
                index += 1
                if !nonASCII { return KnownStrings.lookup(run) ?? String(decoding: run, as: UTF8.self) }
                guard let s = String(validating: run, as: UTF8.self) else {
                    index = start
                    throw fail(.syntax, "invalid UTF-8 in a string")
                }
                return s
            }
            if b == UInt8(ascii: "\\") { return try parseEscapedString(from: start) }
            if b < 0x20 { throw fail(.syntax, "raw control character U+\(hex4(UInt32(b))) in a string") }
            nonASCII = nonASCII || b >= 0x80
            index += 1
        }
        throw fail(.syntax, "unterminated string")
    }

    /// The slow path: the string has escapes. `start` is the first byte after the opening quote.
    private mutating func parseEscapedString(from start: Int) throws(FrameError) -> String {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(start: base + start, count: index - start))
        while index < count {
            let b = base[index]
            switch b {
            case UInt8(ascii: "\""):
                index += 1
                guard let s = String(validating: scratch, as: UTF8.self) else {
                    index = start
                    throw fail(.syntax, "invalid UTF-8 in a string")
                }
                return s
            case UInt8(ascii: "\\"):
                index += 1
                guard index < count else { throw fail(.syntax, "unterminated string") }
                let e = byte
                index += 1
                switch e {
                case UInt8(ascii: "\""): scratch.append(0x22)
                case UInt8(ascii: "\\"): scratch.append(0x5C)
                case UInt8(ascii: "/"): scratch.append(0x2F)
                case UInt8(ascii: "b"): scratch.append(0x08)
                case UInt8(ascii: "f"): scratch.append(0x0C)
                case UInt8(ascii: "n"): scratch.append(0x0A)
                case UInt8(ascii: "r"): scratch.append(0x0D)
                case UInt8(ascii: "t"): scratch.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try parseHex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard count - index >= 6, base[index] == UInt8(ascii: "\\"), base[index + 1] == UInt8(ascii: "u") else {
                            throw fail(.syntax, "lone surrogate \\u\(hex4(scalar)) in a string")
                        }
                        index += 2
                        let low = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(low) else {
                            throw fail(.syntax, "lone surrogate \\u\(hex4(scalar)) in a string")
                        }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw fail(.syntax, "lone surrogate \\u\(hex4(scalar)) in a string")
                    }
                    appendUTF8(scalar)
                default:
                    index -= 1
                    throw fail(.syntax, "invalid escape \\\(describeByte())")
                }
            default:
                if b < 0x20 { throw fail(.syntax, "raw control character U+\(hex4(UInt32(b))) in a string") }
                scratch.append(b)
                index += 1
            }
        }
        throw fail(.syntax, "unterminated string")
    }

    private mutating func parseHex4() throws(FrameError) -> UInt32 {
        guard count - index >= 4 else { throw fail(.syntax, "\\u needs four hex digits") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = base[index]
            let d: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw fail(.syntax, "\\u needs four hex digits")
            }
            v = v << 4 | d
            index += 1
        }
        return v
    }

    private mutating func appendUTF8(_ v: UInt32) {
        switch v {
        case 0..<0x80:
            scratch.append(UInt8(v))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | v >> 6))
            scratch.append(UInt8(0x80 | v & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | v >> 12))
            scratch.append(UInt8(0x80 | v >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | v & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | v >> 18))
            scratch.append(UInt8(0x80 | v >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | v >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | v & 0x3F))
        }
    }

    // MARK: - Errors

    func describeByte() -> String {
        guard index < count else { return "end of input" }
        let b = byte
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x\(String(b, radix: 16, uppercase: true))"
    }

    /// An error at the current index, with its line and column within the input.
    func fail(_ kind: FrameError.Kind, _ reason: String) -> FrameError {
        var position = StreamPosition(offset: index)
        var i = 0
        while i < index && i < count {
            if base[i] == 0x0A {
                position.line += 1
                position.column = 1
            } else {
                position.column += 1
            }
            i += 1
        }
        return FrameError(kind, reason, at: position)
    }
}

@inline(__always) private func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }

private func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    for i in 0..<n where a[i] != b[i] { return false }
    return true
}

/// Four upper-case hex digits, for messages about code points.
func hex4(_ v: UInt32) -> String {
    let s = String(v, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - s.utf8.count)) + s
}
