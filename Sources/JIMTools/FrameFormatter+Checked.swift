public import JIMCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension FrameFormatter {
    /// Checks one frame's JSON text exactly as `Frame(parsing:limits:)` does and, if `keep` accepts its
    /// action (nil for a response), appends its record to `out`; returns whether it was kept.
    ///
    /// The hot path of `jim-decode` and `jim-listen`: a `msg` frame is checked through `FrameView` (the
    /// full JSON grammar, UTF-8 and depth rules) plus the same field checks `Frame` makes, and rendered
    /// from its bytes without building strings. Anything else, and any frame that fails a check, goes
    /// through `Frame(parsing:)`, so the errors thrown are exactly the typed parser's.
    public func render(
        checking bytes: ArraySlice<UInt8>, limits: Limits = .standard, keep: (String?) -> Bool = { _ in true },
        into out: inout [UInt8]
    ) throws(FrameError) -> Bool {
        if tokens.map(Self.viewCanRender) ?? true {
            // Not `try?`: an optional view would be copied through generic code for every frame.
            do throws(FrameError) {
                let view = try FrameView(parsing: bytes, limits: limits)
                if Self.isValidMessage(view, limits: limits) {
                    guard keep("msg") else { return false }
                    render(message: view, into: &out)
                    return true
                }
            } catch {
                // The typed parser below finds the same fault and reports it.
            }
        }
        let frame = try Frame(parsing: bytes, limits: limits)
        guard keep(frame.request?.action) else { return false }
        render(frame, into: &out)
        return true
    }

    /// Whether a format only uses tokens a `msg` view can give without building the typed frame.
    static func viewCanRender(_ tokens: [Token]) -> Bool {
        !tokens.contains { $0 == .json || $0 == .localTime }
    }

    /// Appends the record of a `msg` frame already checked by `isValidMessage`.
    func render(message view: FrameView, into out: inout [UInt8]) {
        view.bytes.withUnsafeBytes { frame in
            for token in tokens ?? Self.msgLine {
                switch token {
                case .literal(let bytes): out += bytes
                case .action: out += Self.msgAction
                case .from: appendString(.from, of: view, frame: frame, into: &out)
                case .to: appendString(.to, of: view, frame: frame, into: &out)
                case .message: appendString(.message, of: view, frame: frame, into: &out)
                case .sentTime:
                    if let f = view[.time] {
                        LineEscaper.appendRaw(
                            UnsafeRawBufferPointer(rebasing: frame[Int(f.start)..<Int(f.end)]), into: &out)
                    }
                case .code, .text, .detail, .json, .localTime: break
                }
            }
        }
        out.append(terminator)
    }

    private static let msgAction = Array("msg".utf8)

    /// Appends string field `key`: its bytes straight from the frame, or decoded if it has escapes.
    private func appendString(
        _ key: FrameView.Key, of view: FrameView, frame: UnsafeRawBufferPointer, into out: inout [UInt8]
    ) {
        guard let f = view[key] else { return }
        let bytes = UnsafeRawBufferPointer(rebasing: frame[Int(f.start)..<Int(f.end)])
        if f.escaped {
            LineEscaper.append(jsonStringBody: bytes, raw: raw, into: &out)
        } else if raw || memchr(bytes.baseAddress!, 0x7F, bytes.count) == nil {
            // A string without escapes holds no control character and no backslash (the parser saw
            // to that), so DEL is all a line could need escaped, and memchr(3) finds it fastest.
            LineEscaper.appendRaw(bytes, into: &out)
        } else {
            LineEscaper.append(escaping: bytes, into: &out)
        }
    }

    /// Whether `view` is a `msg` frame that `Frame(object:limits:)` accepts, judged from its bytes.
    ///
    /// False means "not sure" as well as "no": escaped names are left to the typed parser. The checks mirror `FieldReader.request(action:)` for `msg`: `time` a number;
    /// `to` a user or `#room` name; `from`, if present, a user name; `message` a string within the
    /// message limit; `encoding`, if present, a string.
    static func isValidMessage(_ view: FrameView, limits: Limits) -> Bool {
        guard let action = view[.action], action.kind == .string, !action.escaped, action.end - action.start == 3,
            view[.time]?.kind == .number
        else { return false }
        guard let to = view[.to], to.kind == .string, !to.escaped else { return false }
        guard let message = view[.message], message.kind == .string else { return false }
        if let encoding = view[.encoding], encoding.kind != .string { return false }
        let from = view[.from]
        if let from, from.kind != .string || from.escaped { return false }
        return view.bytes.withUnsafeBytes { frame in
            let a = Int(action.start)
            guard frame[a] == UInt8(ascii: "m"), frame[a + 1] == UInt8(ascii: "s"), frame[a + 2] == UInt8(ascii: "g")
            else {
                return false
            }
            let target = UnsafeRawBufferPointer(rebasing: frame[Int(to.start)..<Int(to.end)])
            guard Names.isValid(utf8: target, room: target.first == UInt8(ascii: "#"), limits: limits) else {
                return false
            }
            if let from {
                let sender = UnsafeRawBufferPointer(rebasing: frame[Int(from.start)..<Int(from.end)])
                guard Names.isValid(utf8: sender, room: false, limits: limits) else { return false }
            }
            // Only a message of more bytes than the limit can have more characters than the limit.
            guard Int(message.end - message.start) > limits.message else { return true }
            if message.escaped {
                guard let n = view.string(.message).map(Names.scalarCount), n <= limits.message else { return false }
                return true
            }
            return Names.scalarCount(
                utf8: UnsafeRawBufferPointer(rebasing: frame[Int(message.start)..<Int(message.end)])) <= limits.message
        }
    }
}
