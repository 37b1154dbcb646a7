extension ParsedArguments {
    /// The option's value as an integer, nil if not given; errors name the option.
    public func integer(_ long: String, in range: ClosedRange<Int>? = nil) throws(UsageError) -> Int? {
        guard let text = value(long) else { return nil }
        return try ValueParser.integer(text, for: "--\(long)", in: range)
    }

    /// The option's value as a finite number, nil if not given; errors name the option.
    public func number(_ long: String) throws(UsageError) -> Double? {
        guard let text = value(long) else { return nil }
        return try ValueParser.number(text, for: "--\(long)")
    }

    /// The option's value as a duration in seconds (`2`, `250ms`, `5m`), nil if not given.
    public func duration(_ long: String) throws(UsageError) -> Double? {
        guard let text = value(long) else { return nil }
        return try ValueParser.duration(text, for: "--\(long)")
    }
}
