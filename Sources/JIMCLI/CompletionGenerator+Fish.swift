extension CompletionGenerator {
    /// The fish script: `complete` lines for a `vendor_completions.d` directory.
    ///
    /// File completion is off by default (`complete -f`) and comes back only where a hint says
    /// files; positionals come from a helper function that walks the command line.
    func fishScript() -> String {
        let name = spec.name
        let helper = "_\(functionName)_positional"
        var lines: [String] = [
            "# fish completion for \(name)",
            "# Generated from its option table by '\(name) --generate-completion fish'; do not edit.",
            "",
            "complete -c \(name) -f",
        ]
        for option in options {
            var line = "complete -c \(name)"
            if let short = option.short { line += " -s \(Self.fishQuote(String(short)))" }
            line += " -l \(Self.fishQuote(option.long))"
            if option.takesValue {
                switch option.completion {
                case .none: line += " -x"
                case .file: line += " -r -F"
                default: line += " -x -a \(Self.fishQuote("(" + fishCandidates(option.completion) + ")"))"
                }
            }
            line += " -d \(Self.fishQuote(option.help))"
            lines.append(line)
        }
        let plan = plan
        if !plan.actions.isEmpty || !plan.fallback.positionals.isEmpty {
            lines.append("")
            lines += fishPositionalFunction(helper, plan)
            lines.append("")
            lines.append("complete -c \(name) -a '(\(helper))'")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func fishPositionalFunction(_ name: String, _ plan: PositionalPlan) -> [String] {
        let values = valueOptions.flatMap(\.spellings).map(Self.fishQuote).joined(separator: " ")
        let letters = valueLetters.map { Self.fishQuote(String($0)) }.joined(separator: " ")
        var lines = [
            "function \(name)",
            "    set -l tokens (commandline -opc)",
            "    set -e tokens[1]",
            "    set -l npos 0",
            "    set -l first ''",
            "    set -l skip 0",
            "    set -l dashes 0",
            "    for word in $tokens",
            "        if test $skip -eq 1",
            "            set skip 0",
            "            continue",
            "        end",
            "        if test $dashes -eq 1; or test \"$word\" = -; or not string match -q -- '-*' $word",
            "            test $npos -eq 0; and set first $word",
            "            set npos (math $npos + 1)",
            "            continue",
            "        end",
            "        if test \"$word\" = --",
            "            set dashes 1",
            "        else if contains -- $word \(values)",
            "            set skip 1",
            "        else if not string match -q -- '--*' $word",
            "            set -l chars (string split '' -- (string sub -s 2 -- $word))",
            "            for i in (seq (count $chars))",
            "                if contains -- $chars[$i] \(letters)",
            "                    test $i -eq (count $chars); and set skip 1",
            "                    break",
            "                end",
            "            end",
            "        end",
            "    end",
            "    test $skip -eq 1; and return",
            "    if test $dashes -eq 0; and string match -q -- '-*' (commandline -ct)",
            "        return",
            "    end",
            "    if test $npos -eq 0",
        ]
        for action in plan.actions {
            lines.append("        printf '%s\\t%s\\n' \(Self.fishQuote(action.name)) \(Self.fishQuote(action.help))")
        }
        if let first = plan.first, first.completion != .none {
            lines.append("        \(fishCandidates(first.completion))")
        }
        lines += ["        return", "    end", "    switch $first"]
        for branch in plan.branches {
            lines.append("        case \(branch.words.map(Self.fishQuote).joined(separator: " "))")
            lines += fishIndexCase(branch, index: "(math $npos - 1)")
        }
        lines.append("        case '*'")
        lines += fishIndexCase(plan.fallback, index: "$npos")
        lines += ["    end", "end"]
        return lines
    }

    private func fishIndexCase(_ branch: PositionalPlan.Branch, index: String) -> [String] {
        var entries: [String] = []
        for (position, positional) in branch.indexed where positional.completion != .none && positional != branch.tail {
            entries.append("                case \(position)")
            entries.append("                    \(fishCandidates(positional.completion))")
        }
        if let tail = branch.tail, tail.completion != .none {
            entries.append("                case '*'")
            entries.append("                    \(fishCandidates(tail.completion))")
        }
        if entries.isEmpty { return [] }
        return ["            switch \(index)"] + entries + ["            end"]
    }

    private func fishCandidates(_ hint: CompletionHint) -> String {
        switch hint {
        case .none: ""
        case .file: "__fish_complete_path (commandline -ct)"
        case .directory: "__fish_complete_directories (commandline -ct)"
        case .host: "__fish_print_hostnames"
        case .user: "__fish_complete_users"
        case .words(let words): "printf '%s\\n' \(words.map(Self.fishQuote).joined(separator: " "))"
        }
    }

    /// Quotes text for fish: `'...'` with `\` and `'` escaped.
    static func fishQuote(_ text: String) -> String {
        "'" + text.replacing("\\", with: "\\\\").replacing("'", with: "\\'") + "'"
    }
}
