/// A zero-allocation check of a `msg` frame for the server's forwarding fast path.
///
/// `scan` walks the frame once and accepts only the common shape: a top-level object whose
/// members are exactly some of `action` ("msg"), `time`, `to`, `from`, `encoding` and
/// `message`, with plain ASCII names, no duplicate keys and no nested values. It validates
/// what it accepts as strictly as `JSONParser` and `Frame` would (JSON grammar, UTF-8, escapes
/// and surrogates in `message`, the naming rules, the message limit), so an accepted frame is
/// one the full parser would accept with the same meaning. Anything else returns nil and the
/// server takes the full parser, which also produces the right error for bad frames.
struct MessageScan {
    /// `to`'s bytes within the frame (no escapes, so the bytes are the name).
    var to: Range<Int>
    /// `from`'s bytes within the frame, when present.
    var from: Range<Int>?
    /// Whether `encoding` is present.
    var hasEncoding: Bool
    /// Whether the frame has a raw LF between tokens (then it is not forwarded as received).
    var hasNewline: Bool

    private struct Cursor {
        /// The frame's bytes, read without bounds checks (every read is guarded by `i < count`).
        let p: UnsafePointer<UInt8>
        let count: Int
        var i: Int
        var newline = false

        init(_ frame: UnsafeRawBufferPointer) {
            p = frame.baseAddress!.assumingMemoryBound(to: UInt8.self)
            count = frame.count
            i = 0
        }

        @inline(__always) var atEnd: Bool { i >= count }
        @inline(__always) var byte: UInt8 { p[i] }

        @inline(__always) mutating func skipWhitespace() {
            while i < count {
                let b = p[i]
                if b == 0x20 || b == 0x09 || b == 0x0D {
                    i += 1
                } else if b == 0x0A {
                    newline = true
                    i += 1
                } else {
                    return
                }
            }
        }

        /// A string with no escapes and only printable ASCII; the cursor is on its opening quote.
        /// Returns the content's range.
        @inline(__always) mutating func plainString() -> Range<Int>? {
            guard i < count, p[i] == UInt8(ascii: "\"") else { return nil }
            i += 1
            let start = i
            while i < count {
                let b = p[i]
                if b == UInt8(ascii: "\"") {
                    i += 1
                    return start..<(i - 1)
                }
                if b < 0x20 || b >= 0x7F || b == UInt8(ascii: "\\") { return nil }
                i += 1
            }
            return nil
        }

        /// A JSON number (RFC 8259 grammar).
        mutating func number() -> Bool {
            if i < count && p[i] == UInt8(ascii: "-") { i += 1 }
            guard i < count else { return false }
            if p[i] == UInt8(ascii: "0") {
                i += 1
            } else if p[i] >= UInt8(ascii: "1") && p[i] <= UInt8(ascii: "9") {
                while i < count && isDigit(p[i]) { i += 1 }
            } else {
                return false
            }
            if i < count && p[i] == UInt8(ascii: ".") {
                i += 1
                guard i < count, isDigit(p[i]) else { return false }
                while i < count && isDigit(p[i]) { i += 1 }
            }
            if i < count && (p[i] | 0x20) == UInt8(ascii: "e") {
                i += 1
                if i < count && (p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-")) { i += 1 }
                guard i < count, isDigit(p[i]) else { return false }
                while i < count && isDigit(p[i]) { i += 1 }
            }
            return true
        }

        @inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

        /// Any valid JSON string (escapes, UTF-8 checked); returns its length in Unicode scalars.
        mutating func string() -> Int? {
            guard i < count, p[i] == UInt8(ascii: "\"") else { return nil }
            i += 1
            var scalars = 0
            let base = UnsafeRawPointer(p)
            while true {
                // Plain text (ASCII and two-byte letters) sixteen bytes at a time.
                let run = VectorScan.plainRun(base, from: i, count: count, countingContinuations: true)
                scalars += run.end - i - run.continuations
                i = run.end
                guard i < count else { return nil }
                let b = p[i]
                if b == UInt8(ascii: "\"") {
                    i += 1
                    return scalars
                } else if b == UInt8(ascii: "\\") {
                    let length = StringScan.escapeLength(base, at: i, count: count)
                    guard length != 0 else { return nil }
                    i += length
                } else if b < 0x20 {
                    return nil
                } else if b < 0x80 {
                    i += 1
                } else {
                    let length = StringScan.sequenceLength(base, at: i, count: count)
                    guard length != 0 else { return nil }
                    i += length
                }
                scalars += 1
            }
        }
    }

    /// Checks `frame` (the JSON text from `{` to `}`); nil when the full parser must decide.
    static func scan(_ frame: UnsafeRawBufferPointer, limits: Limits) -> MessageScan? {
        guard frame.count > 0 else { return nil }
        var c = Cursor(frame)
        c.skipWhitespace()
        guard !c.atEnd, c.byte == UInt8(ascii: "{") else { return nil }
        c.i += 1
        var seen: UInt8 = 0
        var to: Range<Int>?
        var from: Range<Int>?
        while true {
            c.skipWhitespace()
            guard let key = c.plainString() else { return nil }
            c.skipWhitespace()
            guard !c.atEnd, c.byte == UInt8(ascii: ":") else { return nil }
            c.i += 1
            c.skipWhitespace()
            let bit: UInt8
            switch key.count {
            case 2 where equals(frame, key, "to"):
                bit = 1
                guard let r = c.plainString(), isTarget(frame, r, limits: limits) else { return nil }
                to = r
            case 4 where equals(frame, key, "time"):
                bit = 2
                guard c.number() else { return nil }
            case 4 where equals(frame, key, "from"):
                bit = 4
                guard let r = c.plainString(), isUser(frame, r, limits: limits) else { return nil }
                from = r
            case 6 where equals(frame, key, "action"):
                bit = 8
                guard let r = c.plainString(), r.count == 3, equals(frame, r, "msg") else { return nil }
            case 7 where equals(frame, key, "message"):
                bit = 16
                guard let n = c.string(), n <= limits.message else { return nil }
            case 8 where equals(frame, key, "encoding"):
                bit = 32
                guard c.plainString() != nil else { return nil }
            default:
                return nil
            }
            guard seen & bit == 0 else { return nil }
            seen |= bit
            c.skipWhitespace()
            guard !c.atEnd else { return nil }
            if c.byte == UInt8(ascii: ",") {
                c.i += 1
                continue
            }
            guard c.byte == UInt8(ascii: "}") else { return nil }
            c.i += 1
            break
        }
        c.skipWhitespace()
        guard c.atEnd, seen & (1 | 2 | 8 | 16) == (1 | 2 | 8 | 16), let to else { return nil }
        return MessageScan(to: to, from: from, hasEncoding: seen & 32 != 0, hasNewline: c.newline)
    }

    @inline(__always)
    private static func equals(_ p: UnsafeRawBufferPointer, _ r: Range<Int>, _ literal: StaticString) -> Bool {
        guard r.count == literal.utf8CodeUnitCount else { return false }
        let s = literal.utf8Start
        for k in 0..<r.count where p[r.lowerBound + k] != s[k] { return false }
        return true
    }

    /// A user name in printable ASCII (the caller checked): 1 to `limits.name` bytes, no `:`, no leading `#`.
    private static func isUser(_ p: UnsafeRawBufferPointer, _ r: Range<Int>, limits: Limits) -> Bool {
        guard !r.isEmpty, r.count <= limits.name, p[r.lowerBound] != UInt8(ascii: "#") else { return false }
        return !hasSpaceOrColon(p, r)
    }

    /// A user name or a `#room` (one `#`, then a name), in printable ASCII.
    private static func isTarget(_ p: UnsafeRawBufferPointer, _ r: Range<Int>, limits: Limits) -> Bool {
        guard !r.isEmpty, r.count <= limits.name else { return false }
        if p[r.lowerBound] == UInt8(ascii: "#") {
            guard r.count >= 2, p[r.lowerBound + 1] != UInt8(ascii: "#") else { return false }
        }
        return !hasSpaceOrColon(p, r)
    }

    @inline(__always)
    private static func hasSpaceOrColon(_ p: UnsafeRawBufferPointer, _ r: Range<Int>) -> Bool {
        for k in r where p[k] == 0x20 || p[k] == UInt8(ascii: ":") { return true }
        return false
    }
}
