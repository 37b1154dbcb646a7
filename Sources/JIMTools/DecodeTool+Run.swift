import JIMCLI
import JIMCore

extension DecodeTool {
    /// A checked command line and the work it asks for: decode inputs, filter, render.
    struct Run {
        /// How frames are written, or nil for `--json`.
        let formatter: FrameFormatter?
        /// The byte after each record.
        let terminator: UInt8
        /// The actions to keep (`response` for responses), or empty for all.
        let actions: Set<String>
        /// Where bad frames are reported.
        let diagnostics: Diagnostics

        /// Checks the options; every conflict is found here.
        init(_ parsed: ParsedArguments, diagnostics: Diagnostics) throws(UsageError) {
            self.diagnostics = diagnostics
            terminator = parsed.flag("null") ? 0 : 0x0A
            actions = Set(parsed.values("action"))
            if parsed.flag("json") {
                if parsed.value("format") != nil { throw UsageError("--json and -F cannot be combined") }
                if parsed.flag("raw") { throw UsageError("--json and --raw cannot be combined") }
                formatter = nil
            } else {
                do throws(FrameFormatter.FormatError) {
                    formatter = try FrameFormatter(
                        format: parsed.value("format"), raw: parsed.flag("raw"), terminator: terminator)
                } catch {
                    throw UsageError("-F: \(error)")
                }
            }
        }

        /// Decodes one input; returns 65 if any frame in it was bad, 66 if it cannot be opened.
        func decode(_ path: String, streams: Streams, writer: OutputWriter) throws(StreamError) -> ExitStatus {
            let name = ToolSupport.displayName(path)
            let reader: LineReader
            do {
                reader = try ToolSupport.reader(for: path, streams: streams)
            } catch {
                try writer.flush()
                diagnostics.report(error)
                return error.exitStatus
            }
            reader.flushBeforeBlocking(writer)
            reader.readAhead = true
            var decoder = FrameDecoder()
            var out: [UInt8] = []
            out.reserveCapacity(1 << 17)
            var status = ExitStatus.ok
            // Made once: a closure over `self` would copy the whole run for every frame.
            let keep: (String?) -> Bool
            if actions.isEmpty {
                keep = { _ in true }
            } else {
                keep = { [actions] in actions.contains($0 ?? "response") }
            }
            while let chunk = try reader.readChunk() {
                decoder.feed(chunk)
                while true {
                    // A frame on a line of its own is checked once, in place; anything else, or a line
                    // that does not check, goes through the decoder's byte-wise scan and is reported there.
                    if let line = decoder.nextLine() {
                        let mark = out.count
                        if handle(line, keep: keep, into: &out) == nil {
                            decoder.acceptLine()
                            continue
                        }
                        out.removeSubrange(mark...)
                    }
                    guard let output = decoder.next() else { break }
                    switch output {
                    case .frame(let raw):
                        guard let (error, position) = handle(raw, keep: keep, into: &out) else { continue }
                        try report(error, at: position, name: name, out: &out, writer: writer)
                        status = .dataError
                    case .error(let error):
                        try report(error, at: error.position, name: name, out: &out, writer: writer)
                        status = .dataError
                    }
                }
                try writer.write(out)
                out.removeAll(keepingCapacity: true)
            }
            if decoder.isInsideFrame {
                try writer.flush()
                diagnostics.error(name, "unexpected end of input inside a frame")
                status = .dataError
            }
            return status
        }

        /// Checks and renders one frame; returns the fault and its stream position if it is bad.
        private func handle(
            _ raw: FrameDecoder.RawFrame, keep: (String?) -> Bool, into out: inout [UInt8]
        ) -> (FrameError, StreamPosition)? {
            do throws(FrameError) {
                if let formatter {
                    _ = try formatter.render(checking: raw.bytes, keep: keep, into: &out)
                } else {
                    let frame = try Frame(parsing: raw.bytes)
                    guard keep(frame.request?.action) else { return nil }
                    frame.encode(to: &out)
                    out[out.count - 1] = terminator
                }
                return nil
            } catch {
                return (error, error.position.map { raw.position(at: $0.offset) } ?? raw.position)
            }
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
}
