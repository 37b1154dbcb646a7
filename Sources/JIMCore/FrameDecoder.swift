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
/// - an oversized frame is skipped to its end; if it has not ended after `skipLimit` more bytes, the
///   decoder reports `.unrecoverable` and the connection should be closed.
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
    /// How many bytes of an oversized frame are skipped before giving up on finding its end.
    public let skipLimit: Int

    private var buffer: [UInt8] = []
    private var scan = 0
    private var state = State.between
    // Within a frame (or an oversized one):
    private var frameStart = 0
    private var framePosition = StreamPosition()
    private var depth = 0
    private var inString = false
    private var escaped = false
    private var scalars = 0
    private var skipped = 0
    // Stream position of buffer[0] and of the current line start.
    private var bufferOffset = 0
    private var line = 1
    private var lineStart = 0

    public init(limits: Limits = .standard, skipLimit: Int? = nil) {
        self.limits = limits
        self.skipLimit = skipLimit ?? max(65_536, limits.frameBytes * 16)
    }

    /// Whether a frame has begun but not ended (for a client that disconnects mid-frame).
    public var isInsideFrame: Bool { state == .frame || state == .oversized }

    /// Bytes held for an incomplete frame and not yet scanned input.
    public var bufferedCount: Int { buffer.count - min(frameStartOrScan, buffer.count) }

    private var frameStartOrScan: Int { state == .frame ? frameStart : scan }

    /// Appends bytes to decode.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        compact()
        buffer.append(contentsOf: bytes)
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
        if state == .frame { frameStart = 0 }
    }

    private func position(of index: Int) -> StreamPosition {
        let offset = bufferOffset + index
        return StreamPosition(offset: offset, line: line, column: offset - lineStart + 1)
    }

    /// The next frame or fault from the bytes fed so far, or nil when more bytes are needed.
    public mutating func next() -> Output? {
        let end = buffer.count
        while scan < end {
            let b = buffer[scan]
            switch state {
            case .dead:
                scan = end
                return nil

            case .between:
                switch b {
                case 0x20, 0x09, 0x0D:
                    scan += 1
                case 0x0A:
                    scan += 1
                    newLine()
                case UInt8(ascii: "{"):
                    beginFrame()
                default:
                    let error = FrameError(.syntax, b == 0xEF ? "byte-order mark or garbage between frames" : "expected '{' between frames, found \(describe(b))", at: position(of: scan))
                    state = .garbage
                    scan += 1
                    return .error(error)
                }

            case .garbage:
                if b == UInt8(ascii: "{") {
                    beginFrame()
                } else {
                    scan += 1
                    if b == 0x0A {
                        newLine()
                        state = .between
                    }
                }

            case .frame, .oversized:
                scan += 1
                if b & 0xC0 != 0x80 { scalars += 1 }
                if inString {
                    if escaped {
                        escaped = false
                    } else if b == UInt8(ascii: "\\") {
                        escaped = true
                    } else if b == UInt8(ascii: "\"") {
                        inString = false
                    } else if b == 0x0A {
                        newLine()
                        let wasOversized = state == .oversized
                        state = .between
                        if !wasOversized {
                            return .error(FrameError(.syntax, "unterminated string: raw newline in a frame", at: framePosition))
                        }
                        continue
                    }
                } else {
                    switch b {
                    case UInt8(ascii: "\""): inString = true
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 {
                            if state == .oversized {
                                state = .between
                                continue
                            }
                            state = .between
                            return .frame(RawFrame(bytes: buffer[frameStart..<scan], position: framePosition))
                        }
                    case 0x0A: newLine()
                    default: break
                    }
                }
                if state == .frame && scalars > limits.frame {
                    state = .oversized
                    skipped = 0
                    return .error(FrameError(.tooLong, "frame longer than \(limits.frame) characters", at: framePosition))
                }
                if state == .oversized {
                    skipped += 1
                    if skipped > skipLimit {
                        state = .dead
                        return .error(FrameError(.unrecoverable, "oversized frame does not end after \(skipLimit) bytes", at: framePosition))
                    }
                }
            }
        }
        return nil
    }

    private mutating func beginFrame() {
        state = .frame
        frameStart = scan
        framePosition = position(of: scan)
        depth = 1
        inString = false
        escaped = false
        scalars = 1
        scan += 1
    }

    /// Call after consuming an LF at `scan - 1`.
    private mutating func newLine() {
        line += 1
        lineStart = bufferOffset + scan
    }

    private func describe(_ b: UInt8) -> String {
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x\(String(b, radix: 16, uppercase: true))"
    }
}
