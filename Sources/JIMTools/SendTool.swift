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
        BrokenPipe.ignore()
        let streams = streams.named(spec.name)
        let parsed: ParsedArguments
        switch spec.parse(commandLine: arguments, streams: streams) {
        case .exit(let status): return status
        case .run(let p): parsed = p
        }
        let diagnostics = Diagnostics(streams: streams)
        let plan: Plan
        do {
            plan = try Plan(parsed)
        } catch let error as UsageError {
            return diagnostics.usage(error)
        } catch let error as StreamError {
            diagnostics.report(error)
            return error.exitStatus
        } catch {
            diagnostics.report(error)
            return .software
        }
        do {
            return try SendRun(plan: plan, streams: streams, diagnostics: diagnostics).run()
        } catch {
            diagnostics.report(error)
            return .software
        }
    }
}
