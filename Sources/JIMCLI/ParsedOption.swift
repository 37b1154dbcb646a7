/// One option as it occurred on the command line, for tools that care about order.
public struct ParsedOption: Sendable, Equatable {
    /// The option's long name, the key in `ParsedArguments`.
    public var name: String
    /// The value given, or nil for a flag.
    public var value: String?

    /// Creates an occurrence.
    public init(name: String, value: String?) {
        self.name = name
        self.value = value
    }
}
