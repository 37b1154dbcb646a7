import JIMCLI
import JIMCore

extension DecodeTool {
    /// A checked command line and the work it asks for: decode inputs, filter, render.
    struct Run {
        /// How each frame is written.
        let renderer: Renderer
        /// Where bad frames are reported.
        let diagnostics: Diagnostics

        /// Checks the options; every conflict is found here.
        init(_ parsed: ParsedArguments, diagnostics: Diagnostics) throws(UsageError) {
            self.diagnostics = diagnostics
            let terminator: UInt8 = parsed.flag("null") ? 0 : 0x0A
            let actions = Set(parsed.values("action"))
            let formatter = try FrameFormatter.fromOptions(parsed, terminator: terminator)
            renderer = Renderer(formatter: formatter, terminator: terminator, actions: actions)
        }

        /// Decodes one input; returns 65 if any frame in it was bad, 66 if it cannot be opened.
        ///
        /// Whole NDJSON lines go to `LineParts` (half of each large chunk on a second thread); the
        /// decoder gets what they leave: a line cut by the chunk's end, anything that is not one frame
        /// on its own line, and every fault, which it reports with its position.
        func decode(_ path: String, streams: Streams, writer: OutputWriter) throws(StreamError) -> ExitStatus {
            let name = ToolSupport.displayName(path)
            let reader: LineReader
            do {
                reader = try ToolSupport.reader(for: path, streams: streams, readSize: LineParts.chunkSize)
            } catch {
                try writer.flush()
                diagnostics.report(error)
                return error.exitStatus
            }
            reader.flushBeforeBlocking(writer)
            reader.readAhead = true
            let parts = LineParts(renderer: renderer)
            defer { parts.stop() }
            var decoder = FrameDecoder()
            var out: [UInt8] = []
            var status = ExitStatus.ok
            while let chunk = try reader.readChunk() {
                try decoder.feed(chunk) { lines throws(StreamError) in
                    try parts.take(lines, writer: writer)
                } drain: { decoder throws(StreamError) in
                    status = status.worst(try drain(&decoder, name: name, out: &out, writer: writer))
                }
            }
            if decoder.isInsideFrame {
                try writer.flush()
                diagnostics.error(name, "unexpected end of input inside a frame")
                status = .dataError
            }
            return status
        }

        /// Decodes and writes every frame the bytes fed to `decoder` hold, reporting each fault; returns
        /// 65 if there was one.
        private func drain(
            _ decoder: inout FrameDecoder, name: String, out: inout [UInt8], writer: OutputWriter
        ) throws(StreamError) -> ExitStatus {
            var status = ExitStatus.ok
            while true {
                // A frame on a line of its own is checked once, in place; anything else, or a line
                // that does not check, goes through the decoder's byte-wise scan and is reported there.
                if let line = decoder.nextLine(), renderer.take(line.bytes, into: &out) {
                    decoder.acceptLine()
                    continue
                }
                guard let output = decoder.next() else { break }
                switch output {
                case .frame(let raw):
                    do throws(FrameError) {
                        try renderer.render(raw.bytes, into: &out)
                    } catch {
                        let position = error.position.map { raw.position(at: $0.offset) } ?? raw.position
                        try report(error, at: position, name: name, out: &out, writer: writer)
                        status = .dataError
                    }
                case .error(let error):
                    try report(error, at: error.position, name: name, out: &out, writer: writer)
                    status = .dataError
                }
            }
            try writer.write(out)
            out.removeAll(keepingCapacity: true)
            return status
        }

        /// Reports a bad frame as `FILE:LINE:COL: reason`, after writing out what the frames before it gave.
        private func report(
            _ error: FrameError, at position: StreamPosition?, name: String, out: inout [UInt8], writer: OutputWriter
        ) throws(StreamError) {
            try writer.write(out)
            out.removeAll(keepingCapacity: true)
            try writer.flush()
            let place = position.map { "\(name):\($0.line):\($0.column)" } ?? name
            diagnostics.error(place, error.reason)
        }
    }

    /// How one frame becomes output; shared by the threads that decode parts of a chunk.
    struct Renderer: Sendable {
        /// How frames are written, or nil for `--json`.
        let formatter: FrameFormatter?
        /// The byte after each record.
        let terminator: UInt8
        /// Whether to keep a frame of this action (nil for a response). Made once: a closure over the
        /// run would copy it for every frame.
        let keep: @Sendable (String?) -> Bool

        init(formatter: FrameFormatter?, terminator: UInt8, actions: Set<String>) {
            self.formatter = formatter
            self.terminator = terminator
            if actions.isEmpty {
                keep = { _ in true }
            } else {
                keep = { actions.contains($0 ?? "response") }
            }
        }

        /// Checks one frame and appends its record to `out`, unless the action filter drops it.
        func render(_ bytes: ArraySlice<UInt8>, into out: inout [UInt8]) throws(FrameError) {
            if let formatter {
                _ = try formatter.render(checking: bytes, keep: keep, into: &out)
            } else {
                let frame = try Frame(parsing: bytes)
                guard keep(frame.request?.action) else { return }
                frame.encode(to: &out)
                out[out.count - 1] = terminator
            }
        }

        /// Renders a frame that checks and returns true; for one that does not, leaves `out` as it
        /// was and returns false (the decoder then finds and reports the fault).
        func take(_ bytes: ArraySlice<UInt8>, into out: inout [UInt8]) -> Bool {
            let mark = out.count
            do throws(FrameError) {
                try render(bytes, into: &out)
                return true
            } catch {
                if out.count > mark { out.removeSubrange(mark...) }
                return false
            }
        }
    }
}
