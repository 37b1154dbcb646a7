public import JIMCLI
import JIMCore

/// `jim-encode`: text lines in, JIM frames out; or one frame for another action.
///
/// Runs in-process (tests call `main(arguments:streams:)` with `TestStreams`); the executable only
/// hands off. Output is buffered and flushed when the tool is about to wait for input, so a live
/// pipeline never stalls; a closed output ends the tool quietly with status 0.
public enum EncodeTool {
    /// Runs `jim-encode` with `arguments` (program name first) on `streams`.
    public static func main(arguments: [String], streams: Streams) -> ExitStatus {
        let start = spec.start(arguments: arguments, streams: streams) { parsed, _ in try Plan(parsed) }
        guard case .run(let plan, let streams, let diagnostics) = start else { return start.exitStatus }
        // Bulk output: full buffers are written by a second thread while encoding goes on.
        let writer = OutputWriter(descriptor: streams.output, capacity: 1 << 20, background: true)
        do {
            let status: ExitStatus
            switch plan.work {
            case .frame(let frame):
                try writer.write(frame)
                status = .ok
            case .messages(let messages):
                status = try encodeMessages(messages, streams: streams, writer: writer, diagnostics: diagnostics)
            }
            try writer.flush()
            return status
        } catch {
            if error == .closed { return .ok }
            diagnostics.report(error)
            return error.exitStatus
        }
    }

    /// The longest line read, in bytes, so that input with no line ends cannot take all memory
    /// (with `--split` such a line would make tens of thousands of frames).
    static let maximumLineLength = 1 << 24

    /// Encodes every input's lines as msg frames; stops at the first bad line.
    static func encodeMessages(
        _ plan: MessagePlan, streams: Streams, writer: OutputWriter, diagnostics: Diagnostics
    ) throws(StreamError) -> ExitStatus {
        var encoder = MessageEncoder(from: plan.from, split: plan.split)
        var router = Router(defaultTarget: plan.to)
        var time = plan.time.map { TimeText(fixed: $0) } ?? TimeText()
        for path in ToolSupport.inputs(plan.files) {
            let reader: LineReader
            do {
                reader = try ToolSupport.reader(
                    for: path, streams: streams, delimiter: plan.delimiter, maximumRecordLength: maximumLineLength)
            } catch {
                try writer.flush()
                diagnostics.report(error)
                return error.exitStatus
            }
            reader.flushBeforeBlocking(writer)
            reader.readAhead = true
            while true {
                let next: UnsafeRawBufferPointer?
                do {
                    next = try reader.next()
                } catch {
                    guard case .recordTooLong(_, let limit) = error else { throw error }
                    return try fail(
                        .lineTooLong(limit: limit), path: path, reader: reader, writer: writer, diagnostics: diagnostics
                    )
                }
                guard let line = next else { break }
                var text = line
                var target = plan.to ?? ""
                if plan.route {
                    do {
                        let route = try router.route(line)
                        target = route.target
                        text = UnsafeRawBufferPointer(rebasing: line[route.message])
                    } catch {
                        return try fail(
                            .route(error), path: path, reader: reader, writer: writer, diagnostics: diagnostics)
                    }
                }
                if plan.time == nil { time.update(SystemTime.now()) }
                var outcome: Result<LineError?, StreamError> = .success(nil)
                time.bytes.withUnsafeBytes { timeBytes in
                    do throws(StreamError) {
                        outcome = .success(
                            try encoder.encode(text, to: target, time: timeBytes) { (space, body) throws(StreamError) in
                                try writer.withUnsafeSpace(space, body)
                            })
                    } catch {
                        outcome = .failure(error)
                    }
                }
                let failure = try outcome.get()
                if var failure {
                    if case .invalidUTF8(let offset) = failure, text.baseAddress != line.baseAddress {
                        failure = .invalidUTF8(offset: offset + (line.count - text.count))
                    }
                    return try fail(failure, path: path, reader: reader, writer: writer, diagnostics: diagnostics)
                }
            }
        }
        return .ok
    }

    /// Flushes what the earlier lines gave, reports `error` for the current line, and returns 65.
    private static func fail(
        _ error: LineError, path: String, reader: LineReader, writer: OutputWriter, diagnostics: Diagnostics
    ) throws(StreamError) -> ExitStatus {
        try writer.flush()
        diagnostics.error("\(ToolSupport.displayName(path)):\(reader.recordNumber)", error.description)
        return .dataError
    }
}
