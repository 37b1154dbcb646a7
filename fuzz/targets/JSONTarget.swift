#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `json` fuzz target: `JSONParser`, `FrameView` and `JSONWriter` must agree on every input.
///
/// Invariants, on arbitrary bytes:
/// - nothing crashes, reads out of bounds or leaks (address sanitizer);
/// - `FrameView(parsing:)` accepts exactly when `JSONParser.parseObject` does, and when both refuse they
///   name the same kind of fault (not always at the same offset: the parser points at the start of a
///   string with invalid UTF-8, `FrameView` at the bad byte);
/// - when both accept, every field `FrameView` records matches the parsed object (kind, decoded string,
///   number literal, scalar count), also on a slice that does not start at index 0, and `Frame(object:)`
///   types the parsed object exactly as `FrameView.frame()` does;
/// - what `JSONWriter` writes for an accepted object has no raw LF, parses back to an equal object, and is
///   written again byte for byte.
///
/// With `JIM_FUZZ_VERDICTS=FILE` in the environment, each input also appends `accept HEX` or
/// `reject KIND HEX` to FILE: `fuzz/json-vs-python` replays a corpus that way against Python's `json`.
enum JSONTarget {
    nonisolated(unsafe) static let verdicts: UnsafeMutablePointer<FILE>? = getenv("JIM_FUZZ_VERDICTS").flatMap { fopen($0, "a") }

    static func run(_ bytes: UnsafeRawBufferPointer) {
        let input = Array(bytes)
        let parsed = Result { () throws(FrameError) in try JSONParser.parseObject(bytes) }
        let view = Result { () throws(FrameError) in try FrameView(parsing: input[...]) }
        record(parsed, input)

        switch (parsed, view) {
        case (.failure(let p), .failure(let v)):
            FuzzCheck.require(
                p.kind == v.kind,
                "parser and FrameView refuse differently: \(p.kind) at \(p.position?.offset ?? -1) (\(p.reason)) "
                    + "vs \(v.kind) at \(v.position?.offset ?? -1) (\(v.reason)) for \(FuzzCheck.literal(input))")
        case (.success, .failure(let v)):
            FuzzCheck.require(false, "FrameView refuses (\(v.reason)) what the parser accepts: \(FuzzCheck.literal(input))")
        case (.failure(let p), .success):
            FuzzCheck.require(false, "FrameView accepts what the parser refuses (\(p.reason)): \(FuzzCheck.literal(input))")
        case (.success(let object), .success(let view)):
            compare(view, object, input)
            let shifted = [UInt8(ascii: " ")] + input
            if let moved = try? FrameView(parsing: shifted[1...]) {
                compare(moved, object, input)
            } else {
                FuzzCheck.require(false, "FrameView refuses a slice starting at 1: \(FuzzCheck.literal(input))")
            }
            let typed = Result { () throws(FrameError) in try Frame(object: object) }
            let viewTyped = Result { () throws(FrameError) in try view.frame() }
            FuzzCheck.require(typed == viewTyped, "Frame(object:) and FrameView.frame() differ for \(FuzzCheck.literal(input))")
            roundTrip(object, input)
        }
    }

    /// Checks every field `view` recorded against the parsed object.
    static func compare(_ view: FrameView, _ object: JSONObject, _ input: [UInt8]) {
        for key in FrameView.Key.allCases {
            let value = object[key.name]
            guard let field = view[key] else {
                FuzzCheck.require(value == nil, "FrameView misses key \(key.name) in \(FuzzCheck.literal(input))")
                continue
            }
            guard let value else {
                FuzzCheck.require(false, "FrameView invents key \(key.name) in \(FuzzCheck.literal(input))")
                return
            }
            switch value {
            case .string(let s):
                FuzzCheck.require(field.kind == .string, "\(key.name): kind \(field.kind), not string")
                FuzzCheck.require(view.string(key) == s, "\(key.name): decoded string differs in \(FuzzCheck.literal(input))")
                let bytes = view.withStringBytes(key) { Array($0) }
                FuzzCheck.require(bytes == Array(s.utf8), "\(key.name): string bytes differ in \(FuzzCheck.literal(input))")
                FuzzCheck.require(view.scalarCount(key) == s.unicodeScalars.count, "\(key.name): scalar count differs")
                FuzzCheck.require(!view.string(key, equals: "msg") || s == "msg", "\(key.name): equals(msg) is wrong")
            case .number(let n):
                FuzzCheck.require(field.kind == .number, "\(key.name): kind \(field.kind), not number")
                let raw = view.withRawBytes(key) { Array($0) }
                FuzzCheck.require(raw == Array(n.text.utf8), "\(key.name): number literal differs in \(FuzzCheck.literal(input))")
            case .object: FuzzCheck.require(field.kind == .object, "\(key.name): kind \(field.kind), not object")
            case .array: FuzzCheck.require(field.kind == .array, "\(key.name): kind \(field.kind), not array")
            case .bool: FuzzCheck.require(field.kind == .bool, "\(key.name): kind \(field.kind), not bool")
            case .null: FuzzCheck.require(field.kind == .null, "\(key.name): kind \(field.kind), not null")
            }
        }
    }

    /// Writes `object`, parses it back and writes it again.
    static func roundTrip(_ object: JSONObject, _ input: [UInt8]) {
        var out: [UInt8] = []
        JSONWriter.append(object, to: &out)
        FuzzCheck.require(!out.contains(0x0A), "JSONWriter wrote a raw LF for \(FuzzCheck.literal(input))")
        guard let again = try? JSONParser.parseObject(out) else {
            FuzzCheck.require(false, "JSONWriter output does not parse: \(FuzzCheck.literal(out)) from \(FuzzCheck.literal(input))")
            return
        }
        FuzzCheck.require(again == object, "round trip changes the object: \(FuzzCheck.literal(input))")
        FuzzCheck.require((try? FrameView(parsing: out[...])) != nil, "FrameView refuses JSONWriter output for \(FuzzCheck.literal(input))")
        var second: [UInt8] = []
        JSONWriter.append(again, to: &second)
        FuzzCheck.require(second == out, "JSONWriter is not stable for \(FuzzCheck.literal(input))")
    }

    /// Appends the parser's verdict on `input` to the verdict file, when one is set.
    static func record(_ parsed: Result<JSONObject, FrameError>, _ input: [UInt8]) {
        guard let file = verdicts else { return }
        var line: String
        switch parsed {
        case .success: line = "accept "
        case .failure(let e): line = "reject \(e.kind) "
        }
        let digits = Array("0123456789abcdef".utf8)
        for b in input {
            line.unicodeScalars.append(Unicode.Scalar(digits[Int(b >> 4)]))
            line.unicodeScalars.append(Unicode.Scalar(digits[Int(b & 15)]))
        }
        line += "\n"
        fputs(line, file)
        fflush(file)
    }
}

/// libFuzzer's entry point.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    JSONTarget.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
