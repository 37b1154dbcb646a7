/// A shell that `CompletionGenerator` writes scripts for.
public enum Shell: String, Sendable, CaseIterable {
    /// GNU bash, with or without the bash-completion package.
    case bash
    /// zsh with compinit; the script is an autoloadable `_tool` function file.
    case zsh
    /// fish; the script goes in a `vendor_completions.d` directory.
    case fish
}
