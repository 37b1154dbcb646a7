extension CommandSpec {
    /// Mistakes in the table itself: duplicate names, bad names, misplaced variadics.
    ///
    /// Empty for a well-formed spec; every tool has a test asserting that.
    public func problems() -> [String] {
        var found: [String] = []
        var longs: Set<String> = []
        var shorts: Set<Character> = []
        for option in allOptions {
            if !longs.insert(option.long).inserted {
                found.append("duplicate option --\(option.long)")
            }
            if let short = option.short, !shorts.insert(short).inserted {
                found.append("duplicate option -\(short)")
            }
            if option.long.count < 2 || option.long.first == "-" || option.long.contains("=")
                || option.long.contains(where: { $0 == " " })
            {
                found.append("bad long name: \(option.long)")
            }
            if let short = option.short, short == "-" || !short.isASCII || short.isWhitespace {
                found.append("bad short name: \(short)")
            }
            if let value = option.value, value.isEmpty {
                found.append("empty value placeholder for --\(option.long)")
            }
        }
        found += Self.positionalProblems(positionals, context: name)
        var actionNames: Set<String> = []
        for action in actions {
            if !actionNames.insert(action.name).inserted {
                found.append("duplicate action \(action.name)")
            }
            if action.name.hasPrefix("-") || action.name.isEmpty {
                found.append("bad action name: \(action.name)")
            }
            if let own = action.positionals {
                found += Self.positionalProblems(own, context: "\(name) \(action.name)")
            }
        }
        if actionRequired && actions.isEmpty {
            found.append("action required but no actions declared")
        }
        return found
    }

    private static func positionalProblems(_ list: [PositionalSpec], context: String) -> [String] {
        var found: [String] = []
        for (index, positional) in list.enumerated() {
            if positional.variadic && index != list.count - 1 {
                found.append("\(context): variadic \(positional.name) is not last")
            }
            if !positional.optional && index > 0 && list[index - 1].optional {
                found.append("\(context): required \(positional.name) follows an optional one")
            }
        }
        return found
    }
}
