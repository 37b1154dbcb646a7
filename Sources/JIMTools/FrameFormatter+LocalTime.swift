import JIMCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension FrameFormatter {
    /// Writes a `time` as local ISO 8601 for `%T`: `2024-11-24T17:33:20.25+03:00`.
    ///
    /// The date and time come from localtime_r(3) (so `TZ` applies); the fraction is the literal's own
    /// digits, as sent, when the literal is a plain decimal; a literal with an exponent or a sign is
    /// converted through `Double` and gets up to six fractional digits. A time the C library cannot
    /// represent renders as nothing.
    enum LocalTime {
        /// Reads the time zone once (tzset(3)) before rendering starts.
        static func prepare() {
            tzset()
        }

        /// Appends `time` as local ISO 8601.
        static func append(_ time: JSONNumber, into out: inout [UInt8]) {
            guard let (seconds, fraction) = split(time.text) else { return }
            var t = time_t(seconds)
            var parts = tm()
            guard localtime_r(&t, &parts) != nil else { return }
            var buffer = [CChar](repeating: 0, count: 64)
            let n = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S", &parts)
            guard n > 0 else { return }
            buffer.withUnsafeBytes { out.append(contentsOf: $0.prefix(n)) }
            if !fraction.isEmpty {
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: fraction.utf8)
            }
            let offset = Int(parts.tm_gmtoff)
            out.append(offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            let minutes = abs(offset) / 60
            two(minutes / 60, into: &out)
            out.append(UInt8(ascii: ":"))
            two(minutes % 60, into: &out)
        }

        /// Whole seconds and the fraction's digits (without the point), or nil if out of range.
        static func split(_ literal: String) -> (Int, Substring)? {
            let plain = literal.utf8.allSatisfy {
                ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: ".")
            }
            if plain {
                let parts = literal.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
                guard let seconds = Int(parts[0]) else { return nil }
                return (seconds, parts.count > 1 ? parts[1] : "")
            }
            guard let value = Double(literal), value.isFinite, abs(value) < 1e15 else { return nil }
            let seconds = value.rounded(.down)
            let text = JSONNumber(value - seconds).text  // "0.25"
            let fraction = text.split(separator: ".", maxSplits: 1).dropFirst().first ?? ""
            // A fraction that rounds up to a whole second is written as the next second.
            if text.hasPrefix("1") { return (Int(seconds) + 1, "") }
            return (Int(seconds), fraction.allSatisfy { $0 == "0" } ? "" : fraction)
        }

        private static func two(_ v: Int, into out: inout [UInt8]) {
            out.append(UInt8(ascii: "0") + UInt8(v / 10 % 10))
            out.append(UInt8(ascii: "0") + UInt8(v % 10))
        }
    }
}
