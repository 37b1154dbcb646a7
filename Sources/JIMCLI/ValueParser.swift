/// Converts option and argument text into numbers, with errors that name the option.
///
/// `name` is how the user typed it, e.g. `--count` or `PORT`: errors read
/// `--count: not a number: x`.
public enum ValueParser {
    /// Parses a decimal integer, optionally checking that it lies in `range`.
    public static func integer(
        _ text: String, for name: String, in range: ClosedRange<Int>? = nil
    ) throws(UsageError) -> Int {
        guard let number = Int(text, radix: 10) else {
            throw UsageError("\(name): not a number: \(text)")
        }
        if let range, !range.contains(number) {
            throw UsageError("\(name): must be between \(range.lowerBound) and \(range.upperBound): \(text)")
        }
        return number
    }

    /// Parses a finite decimal number such as `1732460000.25` or `-1.5e3`.
    public static func number(_ text: String, for name: String) throws(UsageError) -> Double {
        let allowed = text.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: "-")
        }
        guard allowed, let number = Double(text), number.isFinite else {
            throw UsageError("\(name): not a number: \(text)")
        }
        return number
    }

    /// Parses a non-negative duration in seconds: `2`, `0.5`, `250ms`, `30s`, `5m`, `1h`.
    public static func duration(_ text: String, for name: String) throws(UsageError) -> Double {
        let units: [(suffix: String, scale: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        var digits = Substring(text)
        var scale = 1.0
        for unit in units where text.hasSuffix(unit.suffix) {
            digits = text.dropLast(unit.suffix.count)
            scale = unit.scale
            break
        }
        let plain = !digits.isEmpty && digits.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || $0 == 46 }
        guard plain, let number = Double(digits), number.isFinite else {
            throw UsageError("\(name): not a duration: \(text)")
        }
        return number * scale
    }
}
