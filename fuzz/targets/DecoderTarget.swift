/// The `decoder` fuzz target: `FrameDecoder` fed a stream in arbitrary splits.
///
/// Input layout: byte 0 configures the run (bits 0-1 pick the frame limit: 640, 16, 64 or 200
/// characters; bit 2 a small `skipLimit`; bits 3-7 are the number of chunk sizes minus one), then one
/// byte per chunk size (a size minus one: 1 to 256), then the stream. The stream is fed in chunks of
/// those sizes, cycling through them. Invariants:
/// - nothing crashes, reads out of bounds or leaks (address sanitizer);
/// - `bufferedCount` stays within the frame's byte limit plus the largest chunk fed, and within the
///   frame's byte limit once every output has been drained;
/// - every `.frame` is the bytes of the stream at its position, from a `{` to a `}`, and every
///   position (frames and faults) has the line and column of its offset;
/// - nothing follows an `.unrecoverable` fault;
/// - the same stream in one chunk, in the fuzzed chunks and (up to 300 bytes) a byte at a time gives the
///   same outputs;
/// - a consumer that takes each line `nextLine()` offers when it parses as one JSON object, and one
///   that feeds with `feed(_:lines:drain:)` and takes whole lines with `takeLines` (both as
///   `jim-decode` does), see the same outputs as one that only calls `next()`.
enum DecoderTarget {
    /// One output, with everything that must not depend on how the stream was split.
    struct Event: Equatable {
        var isFrame: Bool
        var kind: FrameError.Kind?
        var reason: String
        var position: StreamPosition
        var length: Int
    }

    static func run(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= 2 else { return }
        let config = bytes[0]
        let chunkCount = Int(config >> 3) + 1
        guard bytes.count > chunkCount else { return }
        let chunks = bytes[1...chunkCount].map { Int($0) + 1 }
        let stream = Array(bytes[(chunkCount + 1)...])
        let frame = [640, 16, 64, 200][Int(config & 3)]
        let limits = Limits(frame: frame)
        let skipLimit: Int? = config & 4 != 0 ? 32 + Int(bytes[1]) * 4 : nil

        var positions: [StreamPosition] = []
        positions.reserveCapacity(stream.count)
        var line = 1
        var lineStart = 0
        for (i, b) in stream.enumerated() {
            positions.append(StreamPosition(offset: i, line: line, column: i - lineStart + 1))
            if b == 0x0A {
                line += 1
                lineStart = i + 1
            }
        }
        let whole = decode(stream, chunks: [max(stream.count, 1)], limits: limits, skipLimit: skipLimit, positions)
        let split = decode(stream, chunks: chunks, limits: limits, skipLimit: skipLimit, positions)
        FuzzCheck.require(
            whole == split,
            "split \(chunks) changes the outputs: \(describe(whole)) vs \(describe(split)) for \(FuzzCheck.literal(stream))")
        let lines = decode(stream, chunks: chunks, limits: limits, skipLimit: skipLimit, positions, takingLines: true)
        FuzzCheck.require(
            whole == lines,
            "taking lines changes the outputs: \(describe(whole)) vs \(describe(lines)) for \(FuzzCheck.literal(stream))")
        let wholeLines = decodeFeedingLines(stream, chunks: chunks, limits: limits, skipLimit: skipLimit, positions)
        FuzzCheck.require(
            whole == wholeLines,
            "taking whole lines changes the outputs: \(describe(whole)) vs \(describe(wholeLines)) for \(FuzzCheck.literal(stream))")
        if stream.count <= 300 {
            let bytewise = decode(stream, chunks: [1], limits: limits, skipLimit: skipLimit, positions)
            FuzzCheck.require(
                whole == bytewise,
                "byte-wise feeding changes the outputs: \(describe(whole)) vs \(describe(bytewise)) for \(FuzzCheck.literal(stream))")
        }
    }

    /// Feeds `stream` in chunks of the given sizes (cycling), checking the invariants as it goes.
    static func decode(
        _ stream: [UInt8], chunks: [Int], limits: Limits, skipLimit: Int?, _ positions: [StreamPosition], takingLines: Bool = false
    ) -> [Event] {
        var decoder = FrameDecoder(limits: limits, skipLimit: skipLimit)
        let largest = chunks.max() ?? 1
        var events: [Event] = []
        var dead = false
        var fed = 0
        var turn = 0
        while fed < stream.count {
            let n = min(chunks[turn % chunks.count], stream.count - fed)
            turn += 1
            decoder.feed(stream[fed..<(fed + n)])
            fed += n
            FuzzCheck.require(
                decoder.bufferedCount <= limits.frameBytes + largest,
                "\(decoder.bufferedCount) bytes buffered after a feed (limit \(limits.frameBytes) + chunk \(largest)) "
                    + "at \(fed) of \(FuzzCheck.literal(stream))")
            while true {
                if takingLines, let line = decoder.nextLine(),
                    (try? JSONParser.parseObject(line.bytes, maxDepth: limits.depth)) != nil
                {
                    FuzzCheck.require(!dead, "a line offered after an unrecoverable fault in \(FuzzCheck.literal(stream))")
                    check(line.position, positions, fed: fed, stream)
                    events.append(Event(isFrame: true, kind: nil, reason: "", position: line.position, length: line.bytes.count))
                    decoder.acceptLine()
                    continue
                }
                guard let output = decoder.next() else { break }
                FuzzCheck.require(!dead, "output after an unrecoverable fault in \(FuzzCheck.literal(stream))")
                let event: Event
                switch output {
                case .frame(let f):
                    let p = f.position
                    FuzzCheck.require(
                        p.offset >= 0 && p.offset + f.bytes.count <= fed
                            && stream[p.offset..<(p.offset + f.bytes.count)].elementsEqual(f.bytes),
                        "frame at \(p.offset) is not the stream's bytes there in \(FuzzCheck.literal(stream))")
                    FuzzCheck.require(
                        f.bytes.first == UInt8(ascii: "{") && f.bytes.last == UInt8(ascii: "}"),
                        "frame at \(p.offset) is not from '{' to '}' in \(FuzzCheck.literal(stream))")
                    check(p, positions, fed: fed, stream)
                    event = Event(isFrame: true, kind: nil, reason: "", position: p, length: f.bytes.count)
                case .error(let e):
                    guard let p = e.position else {
                        FuzzCheck.require(false, "fault without a position: \(e.reason)")
                        return events
                    }
                    check(p, positions, fed: fed, stream)
                    if e.kind == .unrecoverable { dead = true }
                    event = Event(isFrame: false, kind: e.kind, reason: e.reason, position: p, length: 0)
                }
                events.append(event)
            }
            FuzzCheck.require(
                decoder.bufferedCount <= limits.frameBytes,
                "\(decoder.bufferedCount) bytes buffered with every output drained (limit \(limits.frameBytes)) "
                    + "at \(fed) of \(FuzzCheck.literal(stream))")
        }
        return events
    }

    /// Feeds `stream` in chunks through `feed(_:lines:drain:)`, taking every whole line that parses as one
    /// object with `takeLines`; the frames taken are located in the stream from their place in the chunk.
    static func decodeFeedingLines(
        _ stream: [UInt8], chunks: [Int], limits: Limits, skipLimit: Int?, _ positions: [StreamPosition]
    ) -> [Event] {
        var decoder = FrameDecoder(limits: limits, skipLimit: skipLimit)
        var events: [Event] = []
        var fed = 0
        var turn = 0
        while fed < stream.count {
            let n = min(chunks[turn % chunks.count], stream.count - fed)
            turn += 1
            stream[fed..<(fed + n)].withUnsafeBytes { chunk in
                decoder.feed(chunk) { lines in
                    let at = fed + chunk.baseAddress!.distance(to: lines.baseAddress!)
                    return FrameDecoder.takeLines(Array(lines)[...], limits: limits) { frame in
                        guard (try? JSONParser.parseObject(frame, maxDepth: limits.depth)) != nil else { return false }
                        let offset = at + frame.startIndex
                        FuzzCheck.require(
                            stream[offset..<(offset + frame.count)].elementsEqual(frame),
                            "a line taken at \(offset) is not the stream's bytes there in \(FuzzCheck.literal(stream))")
                        events.append(Event(isFrame: true, kind: nil, reason: "", position: positions[offset], length: frame.count))
                        return true
                    }
                } drain: { decoder in
                    while let output = decoder.next() {
                        switch output {
                        case .frame(let f):
                            events.append(Event(isFrame: true, kind: nil, reason: "", position: f.position, length: f.bytes.count))
                        case .error(let e):
                            events.append(Event(isFrame: false, kind: e.kind, reason: e.reason, position: e.position ?? StreamPosition(offset: -1), length: 0))
                        }
                    }
                }
            }
            fed += n
        }
        return events
    }

    /// Checks that `p` is a position within the bytes fed, with the line and column of its offset.
    static func check(_ p: StreamPosition, _ positions: [StreamPosition], fed: Int, _ stream: [UInt8]) {
        FuzzCheck.require(p.offset >= 0 && p.offset < fed, "position \(p.offset) outside the \(fed) bytes fed")
        FuzzCheck.require(
            p == positions[p.offset], "position \(p.offset) says \(p) but is \(positions[p.offset]) in \(FuzzCheck.literal(stream))")
    }

    static func describe(_ events: [Event]) -> String {
        events.map { e in e.isFrame ? "frame@\(e.position.offset)+\(e.length)" : "\(e.kind.map { "\($0)" } ?? "?")@\(e.position.offset)" }
            .joined(separator: " ")
    }
}

/// libFuzzer's entry point.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    DecoderTarget.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
