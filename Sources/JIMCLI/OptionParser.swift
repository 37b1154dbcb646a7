/// Parses a command line against a `CommandSpec`, the way GNU getopt_long does.
///
/// - `-abc` groups flags; `-tVALUE` and `-t VALUE` give a value; `--long=value` and
///   `--long value` too. A value option takes the next word even if it starts with `-`.
/// - `--` ends the options; `-` alone is a positional (stdin, by convention).
/// - Options may follow positionals. Long names must be spelled in full (no abbreviations).
/// - Flags may be repeated and are counted; a value option given twice is an error unless it
///   is `repeatable`, and then its values collect in order.
/// - If the spec has actions, the first positional is the action when it is one of the action
///   words and came before any `--`.
/// - The number of positionals is checked against the spec (for the action, if any).
/// - `-h`/`--help`, `--version` and `--generate-completion SHELL` stop parsing at once and are
///   reported in `ParsedArguments.builtin`.
public struct OptionParser: Sendable {
    /// The command being parsed.
    public let spec: CommandSpec

    /// Creates a parser for a command.
    public init(spec: CommandSpec) {
        self.spec = spec
    }

    /// Parses the arguments, without the program name (`argv[1...]`).
    public func parse(_ arguments: [String]) throws(UsageError) -> ParsedArguments {
        var parsed = ParsedArguments(spec: spec)
        var positionals: [String] = []
        var firstPositionalAfterDashes = false
        var endOfOptions = false
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if endOfOptions || argument == "-" || !argument.hasPrefix("-") {
                if positionals.isEmpty { firstPositionalAfterDashes = endOfOptions }
                positionals.append(argument)
                continue
            }
            if argument == "--" {
                endOfOptions = true
                continue
            }
            if argument.hasPrefix("--") {
                let body = argument.dropFirst(2)
                let name: Substring
                let inline: String?
                if let equals = body.firstIndex(of: "=") {
                    name = body[..<equals]
                    inline = String(body[body.index(after: equals)...])
                } else {
                    name = body
                    inline = nil
                }
                guard let option = spec.option(named: String(name)) else {
                    throw UsageError("unknown option: --\(name)")
                }
                var value: String?
                if option.takesValue {
                    if let inline {
                        value = inline
                    } else if index < arguments.count {
                        value = arguments[index]
                        index += 1
                    } else {
                        throw UsageError("option --\(name) needs a value")
                    }
                } else if inline != nil {
                    throw UsageError("--\(name) takes no value")
                }
                if let builtin = try record(option, spelled: "--\(name)", value: value, into: &parsed) {
                    parsed.builtin = builtin
                    return parsed
                }
                continue
            }
            let letters = Array(argument.dropFirst())
            var position = 0
            while position < letters.count {
                let letter = letters[position]
                position += 1
                guard let option = spec.option(short: letter) else {
                    throw UsageError("unknown option: -\(letter)")
                }
                var value: String?
                if option.takesValue {
                    if position < letters.count {
                        value = String(letters[position...])
                        position = letters.count
                    } else if index < arguments.count {
                        value = arguments[index]
                        index += 1
                    } else {
                        throw UsageError("option -\(letter) needs a value")
                    }
                }
                if let builtin = try record(option, spelled: "-\(letter)", value: value, into: &parsed) {
                    parsed.builtin = builtin
                    return parsed
                }
            }
        }
        try assign(positionals, firstAfterDashes: firstPositionalAfterDashes, into: &parsed)
        return parsed
    }

    private func record(
        _ option: OptionSpec, spelled: String, value: String?, into parsed: inout ParsedArguments
    ) throws(UsageError) -> BuiltinRequest? {
        switch option.long {
        case "help":
            return .help
        case "version":
            return .version
        case "generate-completion":
            guard let value, let shell = Shell(rawValue: value) else {
                let known = Shell.allCases.map(\.rawValue).joined(separator: ", ")
                throw UsageError("\(spelled): unknown shell: \(value ?? "") (expected \(known))")
            }
            return .completion(shell)
        default:
            break
        }
        if option.takesValue && !option.repeatable && parsed.count(option.long) > 0 {
            throw UsageError("option \(spelled) given more than once")
        }
        parsed.record(option, value: value)
        return nil
    }

    private func assign(
        _ words: [String], firstAfterDashes: Bool, into parsed: inout ParsedArguments
    ) throws(UsageError) {
        var words = words
        if !spec.actions.isEmpty {
            if let first = words.first, !firstAfterDashes, spec.action(named: first) != nil {
                parsed.action = first
                words.removeFirst()
            } else if spec.actionRequired {
                let names = spec.actions.map(\.name).joined(separator: ", ")
                if let first = words.first {
                    throw UsageError("unknown action: \(first) (expected one of: \(names))")
                }
                throw UsageError("missing action (one of: \(names))")
            }
        }
        let expected = spec.positionals(after: parsed.action)
        let required = expected.filter { !$0.optional }.count
        if words.count < required {
            let context = parsed.action.map { " for \($0)" } ?? ""
            throw UsageError("missing \(expected[words.count].name)\(context)")
        }
        if expected.last?.variadic != true && words.count > expected.count {
            throw UsageError("unexpected argument: \(words[expected.count])")
        }
        parsed.positionals = words
    }
}
