/// A subcommand-like word that may come first among the positionals, e.g. `jim-encode join`.
public struct ActionSpec: Sendable, Equatable {
    /// The word as typed.
    public var name: String
    /// One line of help.
    public var help: String
    /// The positionals that follow this action, or nil to use the command's own positionals.
    public var positionals: [PositionalSpec]?

    /// Creates an action word.
    public init(_ name: String, help: String, positionals: [PositionalSpec]? = nil) {
        self.name = name
        self.help = help
        self.positionals = positionals
    }
}
