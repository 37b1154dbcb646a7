/// A built-in option that replaces the tool's normal run.
public enum BuiltinRequest: Sendable, Equatable {
    /// `-h` or `--help`: print help to stdout and exit 0.
    case help
    /// `--version`: print `tool version` to stdout and exit 0.
    case version
    /// `--generate-completion SHELL`: print the completion script and exit 0.
    case completion(Shell)
}
