public import JIMCore

extension EncodeTool {
    /// Encodes lines of text as `msg` frames, straight from the line's bytes into an output buffer.
    ///
    /// One pass over the line validates its UTF-8, counts its characters (Unicode scalars) and writes it
    /// JSON-escaped; the frame is kept only if the message is within `limits.message` characters and
    /// the whole frame, escapes included, within `limits.frame` characters (a message of 500 quotes is
    /// 1000 characters of JSON). Otherwise the line is an error, or, when splitting, it is cut at
    /// character boundaries into the fewest frames that each fit both limits.
    ///
    /// Frames have the members in the order `Frame(_:)` writes them:
    /// `{"action":"msg","time":T,"to":"...","from":"...","encoding":"ascii","message":"..."}` and an LF;
    /// `encoding` is `ascii` for a message of plain ASCII and `utf-8` otherwise (`Message.encoding(of:)`).
    public struct MessageEncoder {
        /// The sender's name, written as `from`.
        public let from: String
        /// The limits frames must keep.
        public let limits: Limits
        /// Whether a line that breaks a limit is cut into several frames instead of being an error.
        public let split: Bool

        private let fromJSON: [UInt8]
        private let fromChars: Int
        private var targetName = ""
        private var targetJSON: [UInt8] = []
        private var targetChars = 0

        /// Creates an encoder; `from` must already be a valid name.
        public init(from: String, limits: Limits = .standard, split: Bool = false) {
            self.from = from
            self.limits = limits
            self.split = split
            var json: [UInt8] = []
            JSONWriter.appendString(from, to: &json)
            self.fromJSON = json
            self.fromChars = json.withUnsafeBytes { Names.scalarCount(utf8: $0) }
        }

        /// Appends the frames for one line of text to `out` and returns how many there are.
        ///
        /// `time` is the literal for the `time` member, for example the bytes of `JSONNumber(Double).text`.
        /// On an error nothing of the line is appended.
        public mutating func encode(
            _ line: UnsafeRawBufferPointer, to target: String, time: UnsafeRawBufferPointer, into out: inout [UInt8]
        ) throws(LineError) -> Int {
            var frames = 0
            let failure = encode(line, to: target, time: time) {
                (space: Int, body: (UnsafeMutableRawBufferPointer) -> Int) in
                let frame = [UInt8](unsafeUninitializedCapacity: space) { buffer, count in
                    count = body(UnsafeMutableRawBufferPointer(buffer))
                }
                if !frame.isEmpty { frames += 1 }
                out += frame
            }
            if let failure { throw failure }
            return frames
        }

        /// Encodes one line through `sink`, called once per frame with the most bytes the frame may need
        /// and a writer that fills them and returns how many it used (0 for a frame that did not fit,
        /// which the sink drops). Returns the line's error, if it breaks a limit or is not UTF-8; frames
        /// are handed to the sink only when the whole line can be encoded.
        ///
        /// `OutputWriter.withUnsafeSpace` is such a sink, so frames go straight into the output buffer. The
        /// space asked for is at most six bytes a byte of a line that can fit, plus the names and time:
        /// about 12 KB with the standard limits.
        public mutating func encode<E: Error>(
            _ line: UnsafeRawBufferPointer, to target: String, time: UnsafeRawBufferPointer,
            sink: (Int, (UnsafeMutableRawBufferPointer) -> Int) throws(E) -> Void
        ) throws(E) -> LineError? {
            setTarget(target)
            let fixedChars = Self.fixedChars + time.count + targetChars + fromChars
            let fixedBytes = Self.fixedBytes + time.count + targetJSON.count + fromJSON.count
            // A line that can fit is encoded in one pass, straight into the sink's space.
            if line.count <= limits.message * 4 {
                var scan = TextScan()
                try sink(fixedBytes + line.count * 6) { space in
                    scan = writeFrame(line, time: time, into: space)
                    guard scan.invalidAt == nil, scan.scalars <= limits.message, fixedChars + scan.chars <= limits.frame
                    else {
                        return 0
                    }
                    return scan.written
                }
                if scan.invalidAt == nil, scan.scalars <= limits.message, fixedChars + scan.chars <= limits.frame {
                    return nil
                }
            }
            let scan = TextScan.count(line)
            if let at = scan.invalidAt { return .invalidUTF8(offset: at) }
            guard split else {
                if scan.scalars > limits.message {
                    return .messageTooLong(characters: scan.scalars, limit: limits.message)
                }
                return .frameTooLong(characters: fixedChars + scan.chars, limit: limits.frame)
            }
            let budget = limits.frame - fixedChars
            if budget < 6 || limits.message < 1 {
                return .frameTooLong(characters: fixedChars + 6, limit: limits.frame)
            }
            var start = 0
            while start < line.count {
                let end = TextScan.pieceEnd(line, from: start, scalars: limits.message, chars: budget)
                let piece = UnsafeRawBufferPointer(rebasing: line[start..<end])
                try sink(fixedBytes + piece.count * 6) { space in writeFrame(piece, time: time, into: space).written }
                start = end
            }
            return nil
        }

        private mutating func setTarget(_ target: String) {
            guard target != targetName || targetJSON.isEmpty else { return }
            targetName = target
            targetJSON.removeAll(keepingCapacity: true)
            JSONWriter.appendString(target, to: &targetJSON)
            targetChars = targetJSON.withUnsafeBytes { Names.scalarCount(utf8: $0) }
        }

        // The frame's fixed text, in pieces around time, to, from, encoding and message.
        // (Static strings, not arrays: no lazy global initialisation on the hot path.)
        private static var part1: StaticString { #"{"action":"msg","time":"# }
        private static var part2: StaticString { #","to":"# }
        private static var part3: StaticString { #","from":"# }
        private static var part4: StaticString { #","encoding":""# }
        private static var part5: StaticString { #"","message":""# }
        private static var part6: StaticString { "\"}\n" }
        /// Bytes of the fixed text with the 5-byte encoding value, and characters without the final LF.
        private static var fixedBytes: Int {
            part1.utf8CodeUnitCount + part2.utf8CodeUnitCount + part3.utf8CodeUnitCount + part4.utf8CodeUnitCount + 5
                + part5.utf8CodeUnitCount + part6.utf8CodeUnitCount
        }
        private static var fixedChars: Int { fixedBytes - 1 }

        /// Writes one frame for `text` into `space` (which holds at least `fixedBytes + 6 * text.count`
        /// more bytes than time, to and from take); the scan says what was written and whether it fits.
        private func writeFrame(
            _ text: UnsafeRawBufferPointer, time: UnsafeRawBufferPointer, into space: UnsafeMutableRawBufferPointer
        ) -> TextScan {
            let base = space.baseAddress!
            var at = 0
            @inline(__always) func put(_ bytes: UnsafeRawBufferPointer) {
                if let p = bytes.baseAddress { (base + at).copyMemory(from: p, byteCount: bytes.count) }
                at += bytes.count
            }
            @inline(__always) func put(_ text: StaticString) {
                (base + at).copyMemory(from: text.utf8Start, byteCount: text.utf8CodeUnitCount)
                at += text.utf8CodeUnitCount
            }
            put(Self.part1)
            put(time)
            put(Self.part2)
            targetJSON.withUnsafeBytes { put($0) }
            put(Self.part3)
            fromJSON.withUnsafeBytes { put($0) }
            put(Self.part4)
            let encodingAt = at
            at += 5
            put(Self.part5)
            var scan = TextScan.escape(text, into: base + at)
            at += scan.written
            put(Self.part6)
            let encoding: StaticString = scan.isASCII ? "ascii" : "utf-8"
            (base + encodingAt).copyMemory(from: encoding.utf8Start, byteCount: 5)
            scan.written = at
            return scan
        }
    }
}
