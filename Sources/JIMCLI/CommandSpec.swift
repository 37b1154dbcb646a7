/// A command's whole command line, declared once as data.
///
/// `OptionParser` parses against it; `HelpFormatter`, `CompletionGenerator` and `ManPageCheck`
/// derive help text, shell completions and a man-page consistency report from it.
/// `--help`/`-h`, `--version` and the hidden `--generate-completion SHELL` are built in
/// (`CommandSpec.builtinOptions`) and must not be declared again.
public struct CommandSpec: Sendable {
    /// The tool's name as installed, e.g. `jim-send`.
    public var name: String
    /// One line saying what the tool does.
    public var summary: String
    /// Usage lines without the tool name, e.g. `[-v] [-t TARGET] [ADDR [PORT]]`.
    ///
    /// When empty, one line is derived from the options and positionals.
    public var usage: [String]
    /// The options, in the order help lists them.
    public var options: [OptionSpec]
    /// The positional arguments, in order.
    public var positionals: [PositionalSpec]
    /// Words that may come first among the positionals, e.g. `msg presence join`.
    public var actions: [ActionSpec]
    /// Whether an action word must be given; if not, a first positional that is no action
    /// word is an ordinary positional and `ParsedArguments.action` is nil.
    public var actionRequired: Bool
    /// Text printed after the option list, verbatim (environment variables, exit statuses).
    public var epilogue: String
    /// The version printed by `--version`.
    public var version: String

    /// Creates a command description.
    public init(
        name: String,
        summary: String,
        usage: [String] = [],
        options: [OptionSpec],
        positionals: [PositionalSpec] = [],
        actions: [ActionSpec] = [],
        actionRequired: Bool = false,
        epilogue: String = "",
        version: String = JIMVersion.string
    ) {
        self.name = name
        self.summary = summary
        self.usage = usage
        self.options = options
        self.positionals = positionals
        self.actions = actions
        self.actionRequired = actionRequired
        self.epilogue = epilogue
        self.version = version
    }

    /// The options every command has: `-h/--help`, `--version`, hidden `--generate-completion`.
    public static let builtinOptions: [OptionSpec] = [
        .flag("h", "help", help: "show this help and exit"),
        .flag("version", help: "show the version and exit"),
        .value(
            "generate-completion", "SHELL", help: "print a completion script for SHELL and exit",
            hidden: true, completion: .words(Shell.allCases.map(\.rawValue))),
    ]

    /// The declared options followed by the built-in ones.
    public var allOptions: [OptionSpec] { options + Self.builtinOptions }

    /// The options shown in help and completions: all but hidden ones.
    public var visibleOptions: [OptionSpec] { allOptions.filter { !$0.hidden } }

    /// The option with this long name, built-ins included.
    public func option(named long: String) -> OptionSpec? {
        allOptions.first { $0.long == long }
    }

    /// The option with this short letter, built-ins included.
    public func option(short: Character) -> OptionSpec? {
        allOptions.first { $0.short == short }
    }

    /// The action with this name.
    public func action(named name: String) -> ActionSpec? {
        actions.first { $0.name == name }
    }

    /// The positionals that follow `action` (the command's own when `action` is nil or has none).
    public func positionals(after action: String?) -> [PositionalSpec] {
        action.flatMap { self.action(named: $0)?.positionals } ?? positionals
    }
}
