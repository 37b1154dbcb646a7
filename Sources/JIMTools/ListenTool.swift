public import JIMCLI
import JIMNet

/// `jim-listen`: JIM messages in, one text line (or frame) per message out.
///
/// Runs in-process (tests call `main(arguments:streams:)` with `TestStreams`); the executable only
/// hands off. Messages are decoded in bulk and written through one buffer, flushed whenever the tool
/// is about to wait, so each line is visible at once to a pipe and a bulk run is not slowed down.
public enum ListenTool {
    /// Runs `jim-listen` with `arguments` (program name first) on `streams`.
    public static func main(arguments: [String], streams: Streams) -> ExitStatus {
        let start = spec.start(arguments: arguments, streams: streams) { parsed, _ in try Plan(parsed) }
        guard case .run(let plan, let streams, let diagnostics) = start else { return start.exitStatus }
        do {
            return try ListenRun(plan: plan, streams: streams, diagnostics: diagnostics).run()
        } catch {
            diagnostics.report(error)
            return .software
        }
    }
}
