/// Writes bash, zsh and fish completion scripts from a `CommandSpec`.
///
/// Every script offers the visible options (long and short) when the word starts with `-`,
/// completes option values by their `CompletionHint`, and completes positionals by position:
/// the action words first (with the first positional's hint as well when the action is
/// optional), then the positionals of the action typed, or of the command. The bash and fish
/// scripts walk the words before the cursor themselves, skipping option values (`-t x`,
/// `--to=x`, `-vt x`, and everything after `--` is positional), so options may come anywhere;
/// the zsh script leaves that walk to `_arguments`.
/// The output is deterministic: `make completions` writes it and a test compares.
public struct CompletionGenerator: Sendable {
    /// The command described.
    public let spec: CommandSpec

    /// Creates a generator for a command.
    public init(spec: CommandSpec) {
        self.spec = spec
    }

    /// The script for one shell.
    public func script(for shell: Shell) -> String {
        switch shell {
        case .bash: bashScript()
        case .zsh: zshScript()
        case .fish: fishScript()
        }
    }

    /// The name a shell function gets: `_jim_send` for `jim-send`.
    var functionName: String {
        "_" + String(spec.name.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    /// The options a script offers.
    var options: [OptionSpec] { spec.visibleOptions }

    /// Every option that takes a value, hidden ones included (the walker must skip their values).
    var valueOptions: [OptionSpec] { spec.allOptions.filter(\.takesValue) }

    /// The short letters of value options, for scanning grouped flags like `-vt`.
    var valueLetters: [Character] { valueOptions.compactMap(\.short) }

    /// How positionals complete: the first word, then by the first word typed.
    var plan: PositionalPlan { PositionalPlan(spec: spec) }
}

/// How a command's positionals complete, by position and first word; shared by all shells.
struct PositionalPlan {
    /// A group of first words (actions) whose following positionals complete alike.
    struct Branch {
        /// The action words that select this branch.
        var words: [String]
        /// The positionals after the action word (or from the first word, for the fallback).
        var positionals: [PositionalSpec]

        /// The positionals by index, each with its name and hint.
        var indexed: [(index: Int, positional: PositionalSpec)] {
            positionals.enumerated().map { ($0.offset, $0.element) }
        }

        /// The positional for every index past the list: a variadic last one, if any.
        var tail: PositionalSpec? {
            positionals.last?.variadic == true ? positionals.last : nil
        }
    }

    /// The action words with their help.
    var actions: [(name: String, help: String)]
    /// Whether the hint of the command's first positional is offered along with the actions.
    var firstAlsoPositional: Bool
    /// Branches for action words, in declaration order.
    var branches: [Branch]
    /// The command's own positionals, when the first word is no action (index 0 = first word).
    var fallback: Branch

    init(spec: CommandSpec) {
        actions = spec.actions.map { ($0.name, $0.help) }
        firstAlsoPositional = spec.actions.isEmpty || !spec.actionRequired
        var branches: [Branch] = []
        for action in spec.actions {
            let list = spec.positionals(after: action.name)
            if let index = branches.firstIndex(where: { $0.positionals == list }) {
                branches[index].words.append(action.name)
            } else {
                branches.append(Branch(words: [action.name], positionals: list))
            }
        }
        self.branches = branches
        fallback = Branch(words: [], positionals: spec.positionals)
    }

    /// The command's first positional, offered along with the action words (if any).
    var first: PositionalSpec? {
        guard firstAlsoPositional else { return nil }
        return fallback.positionals.first
    }
}
