/// One option of a command, declared once as data.
///
/// `--help`, completions and the man-page check all derive from these. An option is a flag
/// when `value` is nil, otherwise it takes one value named by the placeholder (`TARGET`).
public struct OptionSpec: Sendable, Equatable {
    /// The single-letter form, e.g. `t` for `-t`; nil for a long-only option.
    public var short: Character?
    /// The long name without dashes, e.g. `to` for `--to`; also the key for `ParsedArguments`.
    public var long: String
    /// The value placeholder shown in help (`TARGET`), or nil for a flag.
    public var value: String?
    /// One line of help.
    public var help: String
    /// Whether the option is meant to be given more than once.
    ///
    /// For a value option, values then collect in order (otherwise a second use is an error).
    /// Flags may always be repeated and are counted (`-v -v`); marking one repeatable only makes
    /// completions offer it again.
    public var repeatable: Bool
    /// Whether the option is left out of help, completions and the man-page check.
    public var hidden: Bool
    /// What a shell should complete for the value.
    public var completion: CompletionHint

    /// Creates an option; `flag(...)` and `value(...)` read better in a table.
    public init(
        short: Character? = nil,
        long: String,
        value: String? = nil,
        help: String,
        repeatable: Bool = false,
        hidden: Bool = false,
        completion: CompletionHint = .none
    ) {
        self.short = short
        self.long = long
        self.value = value
        self.help = help
        self.repeatable = repeatable
        self.hidden = hidden
        self.completion = completion
    }

    /// Creates a flag with a short and a long name: `.flag("j", "json", help: ...)`.
    public static func flag(
        _ short: Character, _ long: String, help: String, repeatable: Bool = false, hidden: Bool = false
    ) -> OptionSpec {
        OptionSpec(short: short, long: long, help: help, repeatable: repeatable, hidden: hidden)
    }

    /// Creates a flag with only a long name: `.flag("raw", help: ...)`.
    public static func flag(
        _ long: String, help: String, repeatable: Bool = false, hidden: Bool = false
    ) -> OptionSpec {
        OptionSpec(long: long, help: help, repeatable: repeatable, hidden: hidden)
    }

    /// Creates a value option with a short and a long name: `.value("t", "to", "TARGET", help: ...)`.
    public static func value(
        _ short: Character,
        _ long: String,
        _ placeholder: String,
        help: String,
        repeatable: Bool = false,
        hidden: Bool = false,
        completion: CompletionHint = .none
    ) -> OptionSpec {
        OptionSpec(
            short: short, long: long, value: placeholder, help: help, repeatable: repeatable, hidden: hidden,
            completion: completion)
    }

    /// Creates a value option with only a long name: `.value("password-file", "FILE", help: ...)`.
    public static func value(
        _ long: String,
        _ placeholder: String,
        help: String,
        repeatable: Bool = false,
        hidden: Bool = false,
        completion: CompletionHint = .none
    ) -> OptionSpec {
        OptionSpec(
            long: long, value: placeholder, help: help, repeatable: repeatable, hidden: hidden,
            completion: completion)
    }

    /// Whether the option takes a value.
    public var takesValue: Bool { value != nil }

    /// The forms as typed, short first: `["-t", "--to"]`.
    public var spellings: [String] {
        (short.map { ["-\($0)"] } ?? []) + ["--\(long)"]
    }
}
