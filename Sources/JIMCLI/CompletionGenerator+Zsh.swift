extension CompletionGenerator {
    /// The zsh script: an autoloadable `_tool` function file for a directory in `fpath`.
    ///
    /// Options go through `_arguments`; positionals through a helper that dispatches on
    /// position and action word. Sourcing the file after `compinit` also works (it then
    /// registers itself with `compdef`).
    func zshScript() -> String {
        let main = "_" + spec.name
        let helper = "_\(main)_positional"
        var lines: [String] = [
            "#compdef \(spec.name)",
            "# zsh completion for \(spec.name)",
            "# Generated from its option table by '\(spec.name) --generate-completion zsh'; do not edit.",
            "",
        ]
        let plan = plan
        let hasPositionals = !plan.actions.isEmpty || !plan.fallback.positionals.isEmpty
        if hasPositionals {
            lines += zshPositionalFunction(helper, plan)
            lines.append("")
        }
        lines.append("\(main)() {")
        lines.append("    _arguments -s -S \\")
        for option in options {
            lines.append("        \(zshOptionSpec(option)) \\")
        }
        if hasPositionals {
            lines.append("        '*:: :\(helper)'")
        } else {
            lines[lines.count - 1].removeLast(2)
        }
        lines += [
            "}",
            "",
            "if [[ $funcstack[1] == \(main) ]]; then",
            "    \(main) \"$@\"",
            "else",
            "    compdef \(main) \(spec.name)",
            "fi",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    private func zshPositionalFunction(_ name: String, _ plan: PositionalPlan) -> [String] {
        var lines = [
            "\(name)() {",
            "    local npos=$((CURRENT - 1)) first=$words[1] ret=1",
            "    if ((npos == 0)); then",
        ]
        if !plan.actions.isEmpty {
            let entries = plan.actions.map { Self.shellQuote(Self.zshEscape($0.name) + ":" + $0.help) }
            lines.append("        local -a actions=(\(entries.joined(separator: " ")))")
            lines.append("        _describe -t actions action actions && ret=0")
        }
        if let first = plan.first {
            lines.append("        \(zshHint(first)) && ret=0")
        }
        lines += ["        return ret", "    fi", "    case $first in"]
        for branch in plan.branches {
            lines.append("    (\(branch.words.joined(separator: "|"))))")
            lines += zshIndexCase(branch, index: "npos - 1")
            lines.append("        ;;")
        }
        lines.append("    (*)")
        lines += zshIndexCase(plan.fallback, index: "npos")
        lines += ["        ;;", "    esac", "    return ret", "}"]
        return lines
    }

    private func zshIndexCase(_ branch: PositionalPlan.Branch, index: String) -> [String] {
        var entries: [String] = []
        for (position, positional) in branch.indexed where positional != branch.tail {
            entries.append("        (\(position)) \(zshHint(positional)) && ret=0 ;;")
        }
        if let tail = branch.tail {
            entries.append("        (*) \(zshHint(tail)) && ret=0 ;;")
        }
        if entries.isEmpty { return ["        :"] }
        return ["        case $((\(index))) in"] + entries + ["        esac"]
    }

    private func zshHint(_ positional: PositionalSpec) -> String {
        switch positional.completion {
        case .none: "_message -e \(Self.shellQuote(positional.name))"
        case .file: "_files"
        case .directory: "_files -/"
        case .host: "_hosts"
        case .user: "_users"
        case .words(let words): "compadd -- \(words.map(Self.shellQuote).joined(separator: " "))"
        }
    }

    private func zshOptionSpec(_ option: OptionSpec) -> String {
        let builtinExit = option.long == "help" || option.long == "version"
        var spec = ""
        if builtinExit {
            spec = "'(- *)'"
        } else if option.repeatable {
            spec = "'*'"
        } else if option.short != nil {
            spec = "'(\(option.spellings.joined(separator: " ")))'"
        }
        let longForm = "--\(option.long)" + (option.takesValue ? "=" : "")
        if let short = option.short {
            spec += "{-\(short)\(option.takesValue ? "+" : ""),\(longForm)}"
        } else {
            spec += longForm
        }
        var tail = "[\(Self.zshEscape(option.help))]"
        if let placeholder = option.value {
            tail += ":\(Self.zshEscape(placeholder)):\(zshValueAction(option.completion))"
        }
        return spec + Self.shellQuote(tail)
    }

    private func zshValueAction(_ hint: CompletionHint) -> String {
        switch hint {
        case .none: " "
        case .file: "_files"
        case .directory: "_files -/"
        case .host: "_hosts"
        case .user: "_users"
        case .words(let words): "(\(words.joined(separator: " ")))"
        }
    }

    /// Escapes text for an `_arguments` description or a `_describe` entry.
    static func zshEscape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if "\\[]:".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
