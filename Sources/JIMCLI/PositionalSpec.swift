/// One positional argument of a command, e.g. `ADDR` or `FILE...`.
public struct PositionalSpec: Sendable, Equatable {
    /// The name shown in usage and help, e.g. `ADDR`.
    public var name: String
    /// One line of help.
    public var help: String
    /// Whether the argument may be left out.
    public var optional: Bool
    /// Whether the argument takes every remaining word (only the last positional may be).
    public var variadic: Bool
    /// What a shell should complete for it.
    public var completion: CompletionHint

    /// Creates a positional argument.
    public init(
        _ name: String,
        help: String,
        optional: Bool = false,
        variadic: Bool = false,
        completion: CompletionHint = .none
    ) {
        self.name = name
        self.help = help
        self.optional = optional
        self.variadic = variadic
        self.completion = completion
    }

    /// The form shown in a derived usage line: `NAME`, `[NAME]`, `NAME...` or `[NAME...]`.
    public var usageForm: String {
        optional ? "[\(bareForm)]" : bareForm
    }

    /// The name, with `...` if variadic.
    var bareForm: String { variadic ? "\(name)..." : name }

    /// The usage form of a list, trailing optional ones nested: `ADDR [PORT]` or `[ADDR [PORT]]`.
    public static func usageForm(of list: [PositionalSpec]) -> String {
        let required = list.prefix { !$0.optional }
        let optional = list.dropFirst(required.count)
        let nested = optional.reversed().reduce("") { inner, positional in
            "[" + positional.bareForm + (inner.isEmpty ? "" : " " + inner) + "]"
        }
        return (required.map(\.bareForm) + (nested.isEmpty ? [] : [nested])).joined(separator: " ")
    }
}
