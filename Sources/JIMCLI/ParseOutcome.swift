/// What a tool should do after `CommandSpec.parse(commandLine:streams:)`.
public enum ParseOutcome: Sendable {
    /// Run with these arguments.
    case run(ParsedArguments)
    /// Stop at once with this status: help, version or a completion script was printed
    /// (`ok`), or a usage error was reported (`usage`).
    case exit(ExitStatus)
}
