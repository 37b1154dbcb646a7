extension ServerState {
    /// Queues a response with the current time: `alert` for 1xx/2xx, `error` for 4xx/5xx.
    mutating func respond(
        _ id: ConnectionID, _ code: ResponseCode, _ text: String, pipelining: Bool = false,
        into actions: inout [ServerAction]
    ) {
        if code == .ok && !pipelining && text == "OK" {
            respondOK(id, into: &actions)
        } else {
            actions.append(.send(id, encodeResponse(code, text, pipelining: pipelining)[...]))
        }
    }

    /// Queues the plain `200 OK`, encoded once per clock tick and shared by every answer.
    @inline(__always)
    mutating func respondOK(_ id: ConnectionID, into actions: inout [ServerAction]) {
        if okResponse == nil { okResponse = encodeResponse(.ok, "OK", pipelining: false) }
        actions.append(.send(id, okResponse![...]))
    }

    /// `{"response":CODE,"time":NOW,"alert"|"error":TEXT[,"pipelining":true]}`, without the LF.
    func encodeResponse(_ code: ResponseCode, _ text: String, pipelining: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(48 + timeText.count + text.utf8.count)
        append("{\"response\":", to: &out)
        out.append(contentsOf: String(code.rawValue).utf8)
        append(",\"time\":", to: &out)
        out.append(contentsOf: timeText)
        append(code.isSuccess ? ",\"alert\":" : ",\"error\":", to: &out)
        JSONWriter.appendString(text, to: &out)
        if pipelining { append(",\"pipelining\":true", to: &out) }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// `{"action":"probe","time":NOW}`, without the LF.
    func encodedProbe() -> [UInt8] {
        var out: [UInt8] = []
        append("{\"action\":\"probe\",\"time\":", to: &out)
        out.append(contentsOf: timeText)
        out.append(UInt8(ascii: "}"))
        return out
    }

    private func append(_ literal: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }
}
