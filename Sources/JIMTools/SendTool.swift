public import JIMCLI
import JIMNet

/// `jim-send`: lines (or frames) in, JIM messages out, every answer checked.
///
/// Runs in-process (tests call `main(arguments:streams:)` with `TestStreams`); the executable only
/// hands off. One event loop serves the input and the socket, so reading input never keeps a probe
/// waiting; `ClientSession` keeps the protocol (identity first, the window, rooms, answers in order).
public enum SendTool {
    /// Runs `jim-send` with `arguments` (program name first) on `streams`.
    public static func main(arguments: [String], streams: Streams) -> ExitStatus {
        let start = spec.start(arguments: arguments, streams: streams) { parsed, _ in try Plan(parsed) }
        guard case .run(let plan, let streams, let diagnostics) = start else { return start.exitStatus }
        do {
            return try SendRun(plan: plan, streams: streams, diagnostics: diagnostics).run()
        } catch {
            diagnostics.report(error)
            return .software
        }
    }
}
