#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An incremental, bounded splitter of a byte stream into JIM frames.
///
/// Fed bytes in any split, it yields each top-level JSON object as its raw bytes; NDJSON and objects
/// written back to back with no delimiter both work. It tracks only structure (strings, escapes and
/// nesting), so it never buffers more than one frame: a frame longer than `limits.frame` characters is
/// reported as soon as its 641st character arrives, and the rest of it is skipped without being kept.
/// The strict grammar check happens afterwards, in `Frame(parsing:)`, on a frame already cut out, so a
/// frame with bad JSON inside costs only that frame.
///
/// Resynchronisation after a fault:
/// - bytes between frames that are not whitespace (a BOM, `[`, garbage): one error for the run, which
///   ends at the next LF or `{`;
/// - a raw LF inside a string (no writer produces one): the frame is cut there and the LF ends it;
/// - an oversized frame is skipped to its end; if it has not ended `skipLimit` bytes past the most a
///   frame within the limit can take (`limits.frameBytes`), the decoder reports `.unrecoverable` and the
///   connection should be closed.
///
/// What it yields does not depend on how the stream was split into feeds: every decision is taken at a
/// byte of the stream, never at the end of a feed (the `decoder` fuzz target checks this).
public struct FrameDecoder {
    /// What `next()` yields.
    public enum Output {
        /// A complete top-level object, not yet checked against the JSON grammar.
        case frame(RawFrame)
        /// A fault in the stream; decoding goes on after it unless its kind is `.unrecoverable`.
        case error(FrameError)
    }

    /// The raw bytes of one frame and where it began in the stream.
    public struct RawFrame {
        /// The JSON text, from `{` to `}` inclusive.
        public var bytes: ArraySlice<UInt8>
        /// The position of its `{`.
        public var position: StreamPosition

        /// The stream position of byte `offset` within this frame (for errors the parser reports).
        public func position(at offset: Int) -> StreamPosition {
            var p = position
            p.offset += offset
            var i = bytes.startIndex
            let end = min(bytes.endIndex, bytes.startIndex + offset)
            while i < end {
                if bytes[i] == 0x0A {
                    p.line += 1
                    p.column = 1
                } else {
                    p.column += 1
                }
                i += 1
            }
            return p
        }
    }

    private enum State {
        /// Between frames, skipping whitespace.
        case between
        /// Inside a frame that started at buffer index `start`.
        case frame
        /// Skipping the rest of an oversized frame (nothing kept).
        case oversized
        /// Skipping garbage between frames until LF or `{`.
        case garbage
        /// Past an unrecoverable fault: everything is ignored.
        case dead
    }

    public let limits: Limits
    /// How many bytes past `limits.frameBytes` an oversized frame may run before the decoder gives up on it.
    public let skipLimit: Int
    /// The bytes from a frame's `{` after which it is given up on: `limits.frameBytes + skipLimit`.
    private let giveUpSpan: Int

    private var buffer: [UInt8] = []
    private var scan = 0
    private var state = State.between
    // Within a frame (or an oversized one):
    private var frameStart = 0
    private var framePosition = StreamPosition()
    private var depth = 0
    private var inString = false
    private var escaped = false
    /// Characters of the current frame counted so far, up to buffer index `counted` (counted only once the
    /// frame has more bytes than the limit has characters: until then it cannot be too long).
    private var scalars = 0
    private var counted = 0
    // Stream position of buffer[0] and of the current line start.
    private var bufferOffset = 0
    private var line = 1
    private var lineStart = 0
    /// Where the line `nextLine()` offered ends (just past its LF), or -1.
    private var offeredLineEnd = -1

    public init(limits: Limits = .standard, skipLimit: Int? = nil) {
        self.limits = limits
        self.skipLimit = skipLimit ?? max(65_536, limits.frameBytes * 16)
        self.giveUpSpan = min(limits.frameBytes, Int.max / 4) + min(self.skipLimit, Int.max / 4)
    }

    /// Whether a frame has begun but not ended (for a client that disconnects mid-frame).
    public var isInsideFrame: Bool { state == .frame || state == .oversized }

    /// Bytes held for an incomplete frame and not yet scanned input.
    public var bufferedCount: Int { buffer.count - min(frameStartOrScan, buffer.count) }

    private var frameStartOrScan: Int { state == .frame ? frameStart : scan }

    /// Appends bytes to decode.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        compact()
        // As typed bytes: `Array.append` copies a contiguous buffer of its element type with one memcpy,
        // but walks a raw buffer byte by byte.
        buffer.append(contentsOf: bytes.assumingMemoryBound(to: UInt8.self))
    }

    /// Appends bytes to decode.
    public mutating func feed(_ bytes: some Collection<UInt8>) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Drops the bytes no frame needs any more, so the buffer holds at most one partial frame.
    private mutating func compact() {
        let keep = state == .frame ? frameStart : scan
        guard keep > 0 else { return }
        if keep >= buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20)
        } else {
            buffer.removeSubrange(0..<keep)
        }
        bufferOffset += keep
        scan -= keep
        counted = max(0, counted - keep)
        if state == .frame { frameStart = 0 }
    }

    private func position(of index: Int) -> StreamPosition {
        let offset = bufferOffset + index
        return StreamPosition(offset: offset, line: line, column: offset - lineStart + 1)
    }

    /// The next frame, if it is a whole line of its own, for a caller that checks it in full before taking it.
    ///
    /// When the decoder is between frames and the bytes fed so far hold a whole line that starts with `{`,
    /// ends with `}` (white space aside) and is within the frame limit, this returns that frame's text
    /// without scanning its structure byte by byte. If the caller finds the text to be exactly one valid
    /// JSON object, `next()` would have yielded the same bytes as one frame, so the caller takes it with
    /// `acceptLine()`. Otherwise the caller calls `next()`, which decodes the same bytes the usual way and
    /// reports whatever is wrong with them. NDJSON therefore costs one `memchr(3)` per frame here, and the
    /// caller's strict parse is the only pass over the text.
    public mutating func nextLine() -> RawFrame? {
        offeredLineEnd = -1
        guard state == .between else { return nil }
        let end = buffer.count
        var scan = self.scan
        defer { self.scan = scan }
        let found: (start: Int, last: Int, lineEnd: Int)? = buffer.withUnsafeBufferPointer { p in
            while scan < end {
                let b = p[scan]
                if b == 0x0A {
                    scan += 1
                    newLine(at: scan)
                } else if b == 0x20 || b == 0x09 || b == 0x0D {
                    scan += 1
                } else {
                    break
                }
            }
            guard scan < end, let line = Self.frameLine(p, at: scan, end: end, limits: limits) else { return nil }
            return (scan, line.last, line.lineEnd)
        }
        guard let found else { return nil }
        offeredLineEnd = found.lineEnd
        return RawFrame(bytes: buffer[found.start...found.last], position: position(of: found.start))
    }

    /// Where the frame at `start` (a `{`) ends if it is alone on its line: the index of its `}` and of the
    /// byte after the line's LF. The line must end within `end` and the frame be within the limit; white
    /// space may follow it. `nextLine()` and `takeLines` offer exactly such lines.
    @inline(__always)
    private static func frameLine(
        _ p: UnsafeBufferPointer<UInt8>, at start: Int, end: Int, limits: Limits
    ) -> (last: Int, lineEnd: Int)? {
        guard p[start] == UInt8(ascii: "{") else { return nil }
        // A frame within the limit, and a little white space after it, end within this window.
        let window = min(end - start, limits.frameBytes + 16)
        guard let lf = memchr(p.baseAddress! + start, 0x0A, window) else { return nil }
        let lineEnd = UnsafeRawPointer(p.baseAddress!).distance(to: UnsafeRawPointer(lf))
        var last = lineEnd - 1
        while last > start && (p[last] == 0x20 || p[last] == 0x09 || p[last] == 0x0D) { last -= 1 }
        guard p[last] == UInt8(ascii: "}") else { return nil }
        let bytes = last + 1 - start
        if bytes > limits.frame {
            guard bytes <= limits.frameBytes else { return nil }
            let text = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: p[start...last]))
            guard Names.scalarCount(utf8: text) <= limits.frame else { return nil }
        }
        return (last, lineEnd + 1)
    }

    /// Whether the decoder is between frames with nothing buffered: the next byte fed starts afresh, so
    /// whole lines may be taken without it (`takeLines`, then `skip`).
    public var isIdle: Bool { state == .between && scan >= buffer.count }

    /// Walks `text`, whole lines ending in LF, handing `take` each line that holds one frame on its own
    /// (the frame's bytes, as `nextLine()` would offer it), for as long as `take` accepts; blank lines
    /// are passed over. Returns how far it got, always just past an LF (or `text.startIndex`), and the
    /// lines passed. From an idle decoder, `next()` would have yielded exactly the frames taken; the
    /// caller tells the decoder with `skip(byteCount:lineCount:)` and feeds it the rest.
    ///
    /// Static, and touching nothing but `text`, so that several threads can walk parts of a chunk.
    public static func takeLines(
        _ text: ArraySlice<UInt8>, limits: Limits = .standard, _ take: (ArraySlice<UInt8>) -> Bool
    ) -> (end: Int, lines: Int) {
        text.withUnsafeBufferPointer { part in
            let base = text.startIndex
            let end = part.count
            var i = 0
            var taken = 0
            var lines = 0
            while i < end {
                let b = part[i]
                if b == 0x0A {
                    i += 1
                    taken = i
                    lines += 1
                } else if b == 0x20 || b == 0x09 || b == 0x0D {
                    i += 1
                } else {
                    guard let line = frameLine(part, at: i, end: end, limits: limits),
                        take(text[(base + i)...(base + line.last)])
                    else { break }
                    i = line.lineEnd
                    taken = i
                    lines += 1
                }
            }
            return (base + taken, lines)
        }
    }

    /// Feeds `chunk` to a consumer that takes whole lines itself, so that NDJSON is never copied into
    /// the decoder: whenever the decoder is idle, the chunk's whole lines go to `lines` (which takes
    /// what it can, typically with `takeLines`, and returns how far it got and the lines passed); every
    /// other byte is fed to the decoder, and `drain` is called to decode it (it calls `nextLine()` and
    /// `next()` until `next()` returns nil). The outputs are those of feeding the chunk and draining.
    public mutating func feed<E: Error>(
        _ chunk: UnsafeRawBufferPointer,
        lines: (UnsafeRawBufferPointer) throws(E) -> (end: Int, lines: Int),
        drain: (inout FrameDecoder) throws(E) -> Void
    ) throws(E) {
        var rest = chunk
        if !isIdle, let base = rest.baseAddress {
            // First the line whose start the decoder holds.
            let head = memchr(base, 0x0A, rest.count).map { base.distance(to: UnsafeRawPointer($0)) + 1 } ?? rest.count
            feed(UnsafeRawBufferPointer(rebasing: rest[..<head]))
            try drain(&self)
            rest = UnsafeRawBufferPointer(rebasing: rest[head...])
        }
        if isIdle, let last = rest.lastIndex(of: 0x0A) {
            let taken = try lines(UnsafeRawBufferPointer(rebasing: rest[...last]))
            precondition(taken.end <= last + 1, "FrameDecoder.feed: more lines taken than given")
            skip(byteCount: taken.end, lineCount: taken.lines)
            rest = UnsafeRawBufferPointer(rebasing: rest[taken.end...])
        }
        if !rest.isEmpty {
            feed(rest)
            try drain(&self)
        }
    }

    /// Moves the decoder past `byteCount` bytes of the stream that the caller took itself with
    /// `takeLines` (`lineCount` lines, ending just past an LF); the decoder must be idle.
    public mutating func skip(byteCount: Int, lineCount: Int) {
        precondition(isIdle, "FrameDecoder.skip while bytes are buffered")
        precondition(byteCount >= 0 && lineCount >= 0 && (lineCount > 0 || byteCount == 0), "FrameDecoder.skip: whole lines only")
        compact()
        offeredLineEnd = -1
        bufferOffset += byteCount
        if lineCount > 0 {
            line += lineCount
            lineStart = bufferOffset
        }
    }

    /// Takes the line `nextLine()` just offered as one frame, as `next()` would have yielded it.
    public mutating func acceptLine() {
        precondition(offeredLineEnd >= 0, "acceptLine() without a line from nextLine()")
        scan = offeredLineEnd
        offeredLineEnd = -1
        newLine(at: scan)
    }

    /// The next frame or fault from the bytes fed so far, or nil when more bytes are needed.
    public mutating func next() -> Output? {
        offeredLineEnd = -1
        // The hot loops work on locals and a raw pointer; state is written back before returning.
        var scan = self.scan
        var depth = self.depth
        var inString = self.inString
        var escaped = self.escaped
        var scalars = self.scalars
        let limit = limits.frame
        let end = buffer.count
        defer {
            self.scan = scan
            self.depth = depth
            self.inString = inString
            self.escaped = escaped
            self.scalars = scalars
        }
        return buffer.withUnsafeBufferPointer { (p: UnsafeBufferPointer<UInt8>) -> Output? in
            while scan < end {
                switch state {
                case .dead:
                    scan = end
                    return nil

                case .between:
                    let b = p[scan]
                    switch b {
                    case 0x20, 0x09, 0x0D:
                        scan += 1
                    case 0x0A:
                        scan += 1
                        newLine(at: scan)
                    case UInt8(ascii: "{"):
                        beginFrame(at: scan)
                        scan += 1
                        depth = 1
                        inString = false
                        escaped = false
                        scalars = 1
                        counted = scan
                    default:
                        let reason = b == 0xEF ? "byte-order mark or garbage between frames" : "expected '{' between frames, found \(describe(b))"
                        let error = FrameError(.syntax, reason, at: position(of: scan))
                        state = .garbage
                        scan += 1
                        return .error(error)
                    }

                case .garbage:
                    let b = p[scan]
                    if b == UInt8(ascii: "{") {
                        state = .between
                    } else {
                        scan += 1
                        if b == 0x0A {
                            newLine(at: scan)
                            state = .between
                        }
                    }

                case .frame, .oversized:
                    // A frame that runs to this index without ending is given up on.
                    let stop = min(end, framePosition.offset - bufferOffset + giveUpSpan)
                    if scan >= stop {
                        if state == .frame {
                            state = .oversized
                            return .error(FrameError(.tooLong, "frame longer than \(limit) characters", at: framePosition))
                        }
                        state = .dead
                        return .error(FrameError(.unrecoverable, "oversized frame does not end within \(giveUpSpan) bytes", at: framePosition))
                    }
                    if inString {
                        // The long run: string contents up to a quote, backslash or raw LF.
                        if escaped {
                            escaped = false
                            // A raw LF cuts the frame even after a backslash.
                            if p[scan] != 0x0A { scan += 1 }
                        }
                        // Sixteen bytes at a time while none of them is a quote, backslash or LF.
                        if scan < stop {
                            scan = VectorScan.firstStringBreak(UnsafeRawPointer(p.baseAddress!), from: scan, to: stop)
                        }
                        if scan < stop {
                            let b = p[scan]
                            scan += 1
                            if b == UInt8(ascii: "\"") {
                                inString = false
                            } else if b == UInt8(ascii: "\\") {
                                escaped = true
                            } else {
                                newLine(at: scan)
                                let wasOversized = state == .oversized
                                state = .between
                                if !wasOversized {
                                    if isTooLong(p, upTo: scan - 1, &scalars) {
                                        return .error(FrameError(.tooLong, "frame longer than \(limit) characters", at: framePosition))
                                    }
                                    return .error(FrameError(.syntax, "unterminated string: raw newline in a frame", at: framePosition))
                                }
                                continue
                            }
                        }
                    } else {
                        while scan < stop {
                            let b = p[scan]
                            scan += 1
                            if b == UInt8(ascii: "\"") {
                                inString = true
                                break
                            } else if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") {
                                depth += 1
                            } else if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") {
                                depth -= 1
                                if depth == 0 {
                                    let wasOversized = state == .oversized
                                    state = .between
                                    if wasOversized { break }
                                    if isTooLong(p, upTo: scan, &scalars) {
                                        return .error(FrameError(.tooLong, "frame longer than \(limit) characters", at: framePosition))
                                    }
                                    if b == UInt8(ascii: "]") {
                                        return .error(FrameError(.syntax, "a frame that opens with '{' ends with ']'", at: framePosition))
                                    }
                                    return .frame(RawFrame(bytes: buffer[frameStart..<scan], position: framePosition))
                                }
                            } else if b == 0x0A {
                                newLine(at: scan)
                            }
                        }
                    }
                    if state == .frame && isTooLong(p, upTo: scan, &scalars) {
                        state = .oversized
                        return .error(FrameError(.tooLong, "frame longer than \(limit) characters", at: framePosition))
                    }
                }
            }
            return nil
        }
    }

    /// Whether the frame's bytes up to `end` are past the limit: more characters than it allows, or more
    /// bytes than that many characters can take (invalid UTF-8 is refused as too long, not held).
    @inline(__always)
    private mutating func isTooLong(_ p: UnsafeBufferPointer<UInt8>, upTo end: Int, _ scalars: inout Int) -> Bool {
        let bytes = end - frameStart
        guard bytes > limits.frame else { return false }
        return bytes > limits.frameBytes || countScalars(p, upTo: end, &scalars) > limits.frame
    }

    /// Adds the characters between `counted` and `end` to `scalars`, and returns the total.
    private mutating func countScalars(_ p: UnsafeBufferPointer<UInt8>, upTo end: Int, _ scalars: inout Int) -> Int {
        scalars += Names.scalarCount(utf8: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: p[counted..<end])))
        counted = end
        return scalars
    }

    private mutating func beginFrame(at index: Int) {
        state = .frame
        frameStart = index
        framePosition = position(of: index)
    }

    /// Call after consuming an LF, with `index` just past it.
    private mutating func newLine(at index: Int) {
        line += 1
        lineStart = bufferOffset + index
    }

    private func describe(_ b: UInt8) -> String {
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x\(String(b, radix: 16, uppercase: true))"
    }
}
