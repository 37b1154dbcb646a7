/// The `request` fuzz target: `Frame(parsing:)`, the naming rules and the server's `msg` fast check.
///
/// Invariants, on arbitrary bytes:
/// - nothing crashes, reads out of bounds or leaks (address sanitizer);
/// - an accepted request obeys PROTOCOL.md section 2: its action, names, rooms and message are within
///   their limits and naming rules, checked here again by an independent reading of the rules;
/// - an accepted request or response, re-encoded with `Frame(_:).encoded()`, is one line ending in LF
///   and parses back to an equal request or response;
/// - `Names.userProblem` and `Names.roomProblem` give the same verdict as that independent reading on any
///   string (their ASCII fast path included);
/// - a frame `MessageScan` lets through the server's fast path is a `msg` the full parser accepts, with the
///   same `to` and `from` and the same presence of `encoding`.
enum RequestTarget {
    static func run(_ bytes: UnsafeRawBufferPointer) {
        let input = Array(bytes)
        let text = String(decoding: input, as: UTF8.self)
        checkNames(text)

        let limits = Limits.standard
        let parsed = Result { () throws(FrameError) in try Frame(parsing: bytes, limits: limits) }
        let scan = MessageScan.scan(bytes, limits: limits)
        if let scan {
            guard case .success(let frame) = parsed, case .msg(let m)? = frame.request else {
                FuzzCheck.require(false, "MessageScan accepts what Frame(parsing:) refuses or does not type as msg: \(FuzzCheck.literal(input))")
                return
            }
            FuzzCheck.require(Array(m.to.utf8) == Array(input[scan.to]), "MessageScan's to differs in \(FuzzCheck.literal(input))")
            FuzzCheck.require(
                m.from.map { Array($0.utf8) } == scan.from.map { Array(input[$0]) }, "MessageScan's from differs in \(FuzzCheck.literal(input))")
            FuzzCheck.require((m.encoding != nil) == scan.hasEncoding, "MessageScan's encoding differs in \(FuzzCheck.literal(input))")
            FuzzCheck.require(scan.hasNewline == input.contains(0x0A), "MessageScan's newline flag is wrong in \(FuzzCheck.literal(input))")
        }
        guard case .success(let frame) = parsed else { return }
        switch frame.kind {
        case .request(let request):
            checkLimits(request, limits: limits, input)
            let encoded = Frame(request).encoded()
            checkLine(encoded, input)
            let back = try? Frame(parsing: encoded, limits: limits)
            FuzzCheck.require(
                back?.request == request,
                "request changes on a round trip: \(FuzzCheck.literal(encoded)) from \(FuzzCheck.literal(input))")
        case .response(let response):
            FuzzCheck.require((100...999).contains(response.code.rawValue), "response code \(response.code) accepted")
            let encoded = Frame(response).encoded()
            checkLine(encoded, input)
            let back = try? Frame(parsing: encoded, limits: limits)
            FuzzCheck.require(
                back?.response == response,
                "response changes on a round trip: \(FuzzCheck.literal(encoded)) from \(FuzzCheck.literal(input))")
        }
    }

    /// Checks an accepted request's fields against the limits and naming rules.
    static func checkLimits(_ request: Request, limits: Limits, _ input: [UInt8]) {
        let action = request.action
        FuzzCheck.require(action.unicodeScalars.count <= limits.action, "action past its limit in \(FuzzCheck.literal(input))")
        switch request {
        case .presence(let p):
            FuzzCheck.require(userProblem(p.accountName) == nil, "bad account name accepted in \(FuzzCheck.literal(input))")
            FuzzCheck.require(p.time != nil, "presence without time accepted in \(FuzzCheck.literal(input))")
        case .authenticate(let c):
            FuzzCheck.require(userProblem(c.accountName) == nil, "bad account name accepted in \(FuzzCheck.literal(input))")
            FuzzCheck.require(c.time != nil, "authenticate without time accepted in \(FuzzCheck.literal(input))")
        case .msg(let m):
            // By scalar, not `hasPrefix`: "#" and a combining mark after it are one Character.
            let toProblem = m.to.unicodeScalars.first == "#" ? roomProblem(m.to) : userProblem(m.to)
            FuzzCheck.require(toProblem == nil, "bad to accepted in \(FuzzCheck.literal(input))")
            FuzzCheck.require(m.from.flatMap(userProblem) == nil, "bad from accepted in \(FuzzCheck.literal(input))")
            FuzzCheck.require(m.message.unicodeScalars.count <= limits.message, "message past its limit in \(FuzzCheck.literal(input))")
            FuzzCheck.require(m.time != nil, "msg without time accepted in \(FuzzCheck.literal(input))")
        case .join(let r), .leave(let r):
            FuzzCheck.require(roomProblem(r.room) == nil, "bad room accepted in \(FuzzCheck.literal(input))")
            FuzzCheck.require(r.time != nil, "\(action) without time accepted in \(FuzzCheck.literal(input))")
        case .quit, .probe:
            break
        case .unknown(let name):
            FuzzCheck.require(!Request.actions.contains(name), "known action \(name) typed as unknown")
        }
    }

    /// Checks that an encoded frame is one line: no LF but the last byte.
    static func checkLine(_ encoded: [UInt8], _ input: [UInt8]) {
        FuzzCheck.require(
            encoded.last == 0x0A && !encoded.dropLast().contains(0x0A),
            "encoded frame is not one line: \(FuzzCheck.literal(encoded)) from \(FuzzCheck.literal(input))")
    }

    /// Compares `Names` with the independent reading on `s`, as a user name and as a room.
    static func checkNames(_ s: String) {
        FuzzCheck.require(
            (Names.userProblem(s) == nil) == (userProblem(s) == nil),
            "Names.userProblem says \(Names.userProblem(s) ?? "ok"), the rules say \(userProblem(s) ?? "ok") for \(FuzzCheck.literal(Array(s.utf8)))")
        FuzzCheck.require(
            (Names.roomProblem(s) == nil) == (roomProblem(s) == nil),
            "Names.roomProblem says \(Names.roomProblem(s) ?? "ok"), the rules say \(roomProblem(s) ?? "ok") for \(FuzzCheck.literal(Array(s.utf8)))")
        FuzzCheck.require(Names.scalarCount(s) == s.unicodeScalars.count, "Names.scalarCount is wrong for \(FuzzCheck.literal(Array(s.utf8)))")
    }

    /// PROTOCOL.md section 2, read scalar by scalar: 1-25 characters, no whitespace, no control
    /// characters, no `:`, no leading `#`.
    static func userProblem(_ s: String) -> String? {
        let scalars = Array(s.unicodeScalars)
        if scalars.isEmpty { return "empty" }
        if scalars[0] == "#" { return "leading #" }
        return bodyProblem(scalars)
    }

    /// A room: `#` followed by a user name, 25 characters in all.
    static func roomProblem(_ s: String) -> String? {
        let scalars = Array(s.unicodeScalars)
        guard scalars.first == "#" else { return "no #" }
        guard scalars.count >= 2 else { return "empty" }
        if scalars[1] == "#" { return "two #" }
        return bodyProblem(scalars)
    }

    static func bodyProblem(_ scalars: [Unicode.Scalar]) -> String? {
        for c in scalars {
            if c == ":" { return "colon" }
            if c.properties.isWhitespace { return "whitespace" }
            if c.properties.generalCategory == .control { return "control" }
        }
        return scalars.count > 25 ? "too long" : nil
    }
}

/// libFuzzer's entry point.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    RequestTarget.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
