/// How a tool's run begins, the same for every tool: a status to stop with at once, or the checked
/// plan to carry out, with the tool's named streams and its diagnostics.
public enum ToolStart<Plan> {
    /// Stop with this status: help, version or a completion script was printed, or the command
    /// line (or what it names) was refused and the reason reported.
    case exit(ExitStatus)
    /// Carry out `plan`.
    case run(Plan, Streams, Diagnostics)

    /// The status to stop with; for `.run` there is none to stop with, and this is `.software`.
    ///
    /// For `guard case .run(let plan, let streams, let diagnostics) = start else { return start.exitStatus }`.
    public var exitStatus: ExitStatus {
        if case .exit(let status) = self { return status }
        return .software
    }
}

extension CommandSpec {
    /// The start all the tools share: `SIGPIPE` ignored (a closed output is an error the tool
    /// handles, not a signal that kills it), the streams named after the tool, the command line
    /// parsed (`--help`, `--version` and completions handled), and the plan made from it.
    ///
    /// `makePlan` checks the arguments: a `UsageError` it throws is reported as a usage error
    /// (64), a `StreamError` (an input that cannot be opened) with its own status, anything else
    /// as an internal error (70).
    public func start<Plan>(
        arguments: [String], streams: Streams, plan makePlan: (ParsedArguments, Diagnostics) throws -> Plan
    ) -> ToolStart<Plan> {
        BrokenPipe.ignore()
        let streams = streams.named(name)
        let parsed: ParsedArguments
        switch parse(commandLine: arguments, streams: streams) {
        case .exit(let status): return .exit(status)
        case .run(let p): parsed = p
        }
        let diagnostics = Diagnostics(streams: streams)
        do {
            return .run(try makePlan(parsed, diagnostics), streams, diagnostics)
        } catch let error as UsageError {
            return .exit(diagnostics.usage(error))
        } catch let error as StreamError {
            diagnostics.report(error)
            return .exit(error.exitStatus)
        } catch {
            diagnostics.report(error)
            return .exit(.software)
        }
    }
}
