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
            return try ListenRun(plan: plan, streams: streams, diagnostics: diagnostics).run()
        } catch {
            diagnostics.report(error)
            return .software
        }
    }
}
