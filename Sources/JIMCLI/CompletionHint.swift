/// What a shell should offer when completing an option's value or a positional argument.
public enum CompletionHint: Sendable, Equatable {
    /// Nothing: free text (a message, a number).
    case none
    /// File names.
    case file
    /// Directory names.
    case directory
    /// Host names (from the shell's known hosts).
    case host
    /// User names of the local system.
    case user
    /// A fixed list of words, e.g. action names.
    case words([String])
}
