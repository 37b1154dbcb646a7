import JIMCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension FrameFormatter {
    /// Appends text to a line so that it stays on one line: the escaping of `jim-decode` and `jim-listen`.
    ///
    /// Newline becomes `\n`, tab `\t`, backslash `\\`, any other control character (U+0000-U+001F and
    /// DEL) `\xHH`; everything else, non-ASCII included, is copied as it is.
    public enum LineEscaper {
        /// Appends `text`, escaped unless `raw`.
        public static func append(_ text: String, raw: Bool, into out: inout [UInt8]) {
            var text = text
            text.withUTF8 { utf8 in
                if raw {
                    out.append(contentsOf: utf8)
                } else {
                    append(escaping: UnsafeRawBufferPointer(utf8), into: &out)
                }
            }
        }

        /// Appends bytes as they are (through the contiguous fast path of `Array.append`).
        @inline(__always) static func appendRaw(_ bytes: UnsafeRawBufferPointer, into out: inout [UInt8]) {
            out.append(contentsOf: bytes.assumingMemoryBound(to: UInt8.self))
        }

        /// Appends the body of a JSON string that the strict parser has already accepted (so every
        /// escape in it is valid), decoding its escapes and then escaping the text for a line unless
        /// `raw`; no `String` is built.
        static func append(jsonStringBody bytes: UnsafeRawBufferPointer, raw: Bool, into out: inout [UInt8]) {
            let n = bytes.count
            var runStart = 0
            var i = 0
            func flush(_ end: Int) {
                guard end > runStart else { return }
                let run = UnsafeRawBufferPointer(rebasing: bytes[runStart..<end])
                if raw { appendRaw(run, into: &out) } else { append(escaping: run, into: &out) }
            }
            func emit(_ byte: UInt8) {
                if raw {
                    out.append(byte)
                } else {
                    withUnsafeBytes(of: byte) { append(escaping: $0, into: &out) }
                }
            }
            func hex(_ at: Int) -> UInt32 {
                var v: UInt32 = 0
                for k in at..<(at + 4) {
                    let c = bytes[k]
                    let d: UInt8 =
                        c <= UInt8(ascii: "9") ? c &- UInt8(ascii: "0") : (c | 0x20) &- UInt8(ascii: "a") &+ 10
                    v = v << 4 | UInt32(d)
                }
                return v
            }
            while i < n {
                // The next backslash, found with memchr(3); the text up to it is copied as a run.
                guard let found = memchr(bytes.baseAddress! + i, 0x5C, n - i) else { break }
                i = bytes.baseAddress!.distance(to: UnsafeRawPointer(found))
                guard i + 1 < n else { break }
                flush(i)
                let e = bytes[i + 1]
                i += 2
                switch e {
                case UInt8(ascii: "n"): emit(0x0A)
                case UInt8(ascii: "t"): emit(0x09)
                case UInt8(ascii: "r"): emit(0x0D)
                case UInt8(ascii: "b"): emit(0x08)
                case UInt8(ascii: "f"): emit(0x0C)
                case UInt8(ascii: "u"):
                    guard i + 4 <= n else { break }
                    var scalar = hex(i)
                    i += 4
                    if (0xD800...0xDBFF).contains(scalar), i + 6 <= n, bytes[i] == UInt8(ascii: "\\") {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (hex(i + 2) - 0xDC00)
                        i += 6
                    }
                    if scalar < 0x80 {
                        emit(UInt8(scalar))
                    } else if let s = Unicode.Scalar(scalar) {
                        out.append(contentsOf: String(s).utf8)
                    }
                default: emit(e)  // \" \\ \/
                }
                runStart = i
            }
            flush(n)
        }

        /// Appends bytes, escaping newline, tab, backslash and control characters.
        public static func append(escaping bytes: UnsafeRawBufferPointer, into out: inout [UInt8]) {
            guard let base = bytes.baseAddress else { return }
            let n = bytes.count
            var runStart = 0
            while runStart < n {
                let i = VectorScan.firstLineEscape(base, from: runStart, count: n)
                if i > runStart { appendRaw(UnsafeRawBufferPointer(rebasing: bytes[runStart..<i]), into: &out) }
                guard i < n else { break }
                let b = bytes[i]
                out.append(UInt8(ascii: "\\"))
                switch b {
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x09: out.append(UInt8(ascii: "t"))
                case 0x5C: out.append(UInt8(ascii: "\\"))
                default:
                    out.append(UInt8(ascii: "x"))
                    out.append(hexDigit(b >> 4))
                    out.append(hexDigit(b & 0xF))
                }
                runStart = i + 1
            }
        }

        /// Appends a non-negative integer in decimal.
        static func appendDecimal(_ value: Int, into out: inout [UInt8]) {
            if value >= 10 { appendDecimal(value / 10, into: &out) }
            out.append(UInt8(ascii: "0") + UInt8(value % 10))
        }

        @inline(__always) private static func hexDigit(_ v: UInt8) -> UInt8 {
            v < 10 ? UInt8(ascii: "0") + v : UInt8(ascii: "A") + v - 10
        }
    }
}
