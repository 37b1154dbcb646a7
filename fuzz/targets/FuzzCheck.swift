/// Assertions for the fuzz targets: a broken invariant stops the run, and libFuzzer keeps the input.
///
/// `fatalError` keeps its message in optimised builds (a `precondition` message would be dropped), and
/// its trap is what libFuzzer reports as a crash, saving the input under `fuzz/out/crashes/`.
enum FuzzCheck {
    /// Stops with `message` unless `condition` holds.
    @inline(__always)
    static func require(_ condition: Bool, _ message: @autoclosure () -> String, line: UInt = #line) {
        if !condition { fatalError("invariant broken: " + message(), line: line) }
    }

    /// The bytes as a Swift expression of type `[UInt8]`, to paste into a regression test.
    static func literal(_ bytes: some Collection<UInt8>) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return "[" + bytes.map { "0x" + String($0, radix: 16, uppercase: true) }.joined(separator: ", ") + "]"
        }
        var s = "Array(\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": s += "\\\""
            case "\\": s += "\\\\"
            case " "..."~": s.unicodeScalars.append(scalar)
            default:
                if scalar.value >= 0xA0 && scalar.properties.generalCategory != .format {
                    s.unicodeScalars.append(scalar)
                } else {
                    s += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                }
            }
        }
        return s + "\".utf8)"
    }
}
