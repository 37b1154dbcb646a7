import JIMCore

extension EncodeTool {
    /// The `time` literal for each frame: fixed (`--time`), or the clock read per line.
    ///
    /// The clock's value is written exactly as `JSONNumber(Double)` writes it (two to six fractional
    /// digits, never an exponent), but straight into reused bytes, since it changes on every line.
    struct TimeText {
        /// The literal's bytes.
        private(set) var bytes: [UInt8]
        private let fixed: Bool
        private var lastMicros = -1
        private var wholeCount = 0

        /// A time that never changes.
        init(fixed value: JSONNumber) {
            bytes = Array(value.text.utf8)
            fixed = true
        }

        /// A time read from `SystemTime.now()` by `update(_:)`.
        init() {
            bytes = []
            bytes.reserveCapacity(32)
            fixed = false
        }

        /// Sets the literal to `now` (nothing happens for a fixed time).
        mutating func update(_ now: Double) {
            guard !fixed else { return }
            guard now.isFinite, now >= 0, now * 1_000_000 + 0.5 < 9.0e18 else {
                bytes = Array(JSONNumber(now).text.utf8)
                lastMicros = -1
                return
            }
            let micros = Int(now * 1_000_000 + 0.5)
            if micros == lastMicros { return }
            let whole = micros / 1_000_000
            if lastMicros < 0 || whole != lastMicros / 1_000_000 {
                bytes.removeAll(keepingCapacity: true)
                Self.appendDecimal(whole, into: &bytes)
                bytes.append(UInt8(ascii: "."))
                wholeCount = bytes.count
            } else {
                bytes.removeSubrange(wholeCount...)
            }
            lastMicros = micros
            // Six digits, less the trailing zeros, but at least two.
            var fraction = micros % 1_000_000
            var digits = 6
            while digits > 2 && fraction % 10 == 0 {
                fraction /= 10
                digits -= 1
            }
            var divisor = 1
            for _ in 1..<digits { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(fraction / divisor % 10))
                divisor /= 10
            }
        }

        private static func appendDecimal(_ value: Int, into out: inout [UInt8]) {
            if value >= 10 { appendDecimal(value / 10, into: &out) }
            out.append(UInt8(ascii: "0") + UInt8(value % 10))
        }
    }
}
