/// The result of parsing a command line against a `CommandSpec`, with typed access by long name.
///
/// Asking for a name the spec does not declare is a programming error and traps, so a typo in
/// a tool fails its first test instead of silently reading "not given".
public struct ParsedArguments: Sendable {
    /// The spec this was parsed against.
    public let spec: CommandSpec
    /// Every option in command-line order.
    public internal(set) var occurrences: [ParsedOption] = []
    /// The action word, if the spec has actions and one was given first.
    public internal(set) var action: String?
    /// The positional arguments in order, without the action word.
    public internal(set) var positionals: [String] = []
    /// A built-in option that replaces the normal run (`--help`, `--version`, completions).
    public internal(set) var builtin: BuiltinRequest?

    private var counts: [String: Int] = [:]
    private var valueLists: [String: [String]] = [:]

    init(spec: CommandSpec) {
        self.spec = spec
    }

    mutating func record(_ option: OptionSpec, value: String?) {
        occurrences.append(ParsedOption(name: option.long, value: value))
        counts[option.long, default: 0] += 1
        if let value {
            valueLists[option.long, default: []].append(value)
        }
    }

    private func checked(_ long: String) -> String {
        precondition(spec.option(named: long) != nil, "\(spec.name): no option --\(long) in the spec")
        return long
    }

    /// Whether the option was given at least once.
    public func flag(_ long: String) -> Bool {
        counts[checked(long), default: 0] > 0
    }

    /// How many times the option was given (`-vv` counts 2).
    public func count(_ long: String) -> Int {
        counts[checked(long), default: 0]
    }

    /// The option's value, the last one if it was given more than once; nil if not given.
    public func value(_ long: String) -> String? {
        valueLists[checked(long)]?.last
    }

    /// Every value given for the option, in command-line order.
    public func values(_ long: String) -> [String] {
        valueLists[checked(long)] ?? []
    }
}
