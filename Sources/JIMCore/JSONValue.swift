/// A JSON value as JIM frames use it, with object members kept in their order.
///
/// Numbers keep their literal text so that a frame re-emitted by `jim-decode --json` or forwarded
/// by the server says exactly what its sender said (`1732460000.250` stays as written).
public enum JSONValue: Sendable, Equatable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, as its literal text.
    case number(JSONNumber)
    /// A string, decoded.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object, members in the order they came.
    case object(JSONObject)

    /// The string, if this is one.
    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The number, if this is one.
    public var number: JSONNumber? {
        if case .number(let n) = self { return n }
        return nil
    }

    /// The object, if this is one.
    public var object: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }
}

/// A JSON number kept as its literal text (already checked against RFC 8259's grammar).
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The literal, for example `1732460000.25` or `-3e2`.
    public var text: String

    /// Wraps a literal the parser has validated.
    public init(literal text: String) { self.text = text }

    /// A number written from a `Double` with its fractional part always present (`1.0`, never `1`).
    public init(_ value: Double) { self.text = JSONNumber.format(value) }

    /// A number written from an integer (`200`).
    public init(_ value: Int) { self.text = String(value) }

    /// The value as a `Double` (an approximation for huge literals).
    public var double: Double { Double(text) ?? .nan }

    /// The value as an `Int`, when the literal is an integer that fits.
    public var int: Int? { Int(text) }

    /// Whether the literal has no fraction and no exponent.
    public var isInteger: Bool { !text.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") }) }

    public var description: String { text }

    /// Formats a time stamp with two to six fractional digits and no exponent.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "0.0" }
        let negative = value < 0
        let micros = abs(value) * 1_000_000 + 0.5
        guard micros < 9.0e18 else { return String(value) }
        let m = Int(micros)
        var whole = String(m / 1_000_000)
        var frac = m % 1_000_000
        var digits = 6
        while digits > 2 && frac % 10 == 0 {
            frac /= 10
            digits -= 1
        }
        var fracText = String(frac)
        while fracText.utf8.count < digits { fracText = "0" + fracText }
        if negative && m != 0 { whole = "-" + whole }
        return whole + "." + fracText
    }
}

/// A JSON object: members in the order they came. Keys are unique (the parser rejects duplicates).
public struct JSONObject: Sendable, Equatable {
    /// The members, in order.
    public var members: [(key: String, value: JSONValue)]

    public init(_ members: [(key: String, value: JSONValue)] = []) { self.members = members }

    /// The value of `key`, or nil.
    public subscript(key: String) -> JSONValue? {
        get {
            for m in members where m.key == key { return m.value }
            return nil
        }
        set {
            if let i = members.firstIndex(where: { $0.key == key }) {
                if let newValue { members[i].value = newValue } else { members.remove(at: i) }
            } else if let newValue {
                members.append((key, newValue))
            }
        }
    }

    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        a.members.count == b.members.count
            && zip(a.members, b.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}
