public import JIMCLI
import JIMCore

/// `jim-decode`: JIM frames in, one text line (or canonical JSON) per frame out.
///
/// Every frame is fully checked (JSON grammar, UTF-8, limits, field types and names) before it is
/// written; a bad one is reported with its input, line and column, and decoding goes on. Output is
/// buffered and flushed when the tool is about to wait for input; a closed output ends the tool quietly
/// with status 0.
public enum DecodeTool {
    /// Runs `jim-decode` with `arguments` (program name first) on `streams`.
    public static func main(arguments: [String], streams: Streams) -> ExitStatus {
        let start = spec.start(arguments: arguments, streams: streams) { parsed, diagnostics in
            (try Run(parsed, diagnostics: diagnostics), parsed)
        }
        guard case .run(let (run, parsed), let streams, let diagnostics) = start else { return start.exitStatus }
        // Bulk output: full buffers are written by a second thread while decoding goes on.
        let writer = OutputWriter(descriptor: streams.output, capacity: 1 << 20, background: true)
        var status = ExitStatus.ok
        do throws(StreamError) {
            for path in ToolSupport.inputs(parsed.positionals) {
                status = status.worst(try run.decode(path, streams: streams, writer: writer))
            }
            try writer.flush()
            return status
        } catch {
            if error == .closed { return .ok }
            diagnostics.report(error)
            return error.exitStatus
        }
    }
}
