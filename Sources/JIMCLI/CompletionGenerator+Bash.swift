extension CompletionGenerator {
    /// The bash script: a function registered with `complete -F`.
    ///
    /// It works in plain bash and uses bash-completion's `_filedir` and `_known_hosts_real`
    /// when they are loaded. `--opt=value` is handled whether or not `=` is in
    /// `COMP_WORDBREAKS`.
    func bashScript() -> String {
        let function = functionName
        let flags = options.flatMap(\.spellings).sorted { lhs, rhs in
            (lhs.hasPrefix("--") ? 1 : 0, lhs) < (rhs.hasPrefix("--") ? 1 : 0, rhs)
        }
        var lines: [String] = [
            "# bash completion for \(spec.name)",
            "# Generated from its option table by '\(spec.name) --generate-completion bash'; do not edit.",
            "",
            "\(function)_hint() {",
            "    case $1 in",
            "    file)",
            "        if declare -F _filedir >/dev/null; then _filedir; else",
            "            compopt -o filenames 2>/dev/null",
            "            local IFS=$'\\n'",
            "            COMPREPLY+=($(compgen -f -- \"$cur\"))",
            "        fi ;;",
            "    directory)",
            "        if declare -F _filedir >/dev/null; then _filedir -d; else",
            "            compopt -o filenames 2>/dev/null",
            "            local IFS=$'\\n'",
            "            COMPREPLY+=($(compgen -d -- \"$cur\"))",
            "        fi ;;",
            "    host)",
            "        if declare -F _known_hosts_real >/dev/null; then _known_hosts_real -- \"$cur\"; else",
            "            COMPREPLY+=($(compgen -A hostname -- \"$cur\"))",
            "        fi ;;",
            "    user) COMPREPLY+=($(compgen -u -- \"$cur\")) ;;",
            "    words) COMPREPLY+=($(compgen -W \"$2\" -- \"$cur\")) ;;",
            "    esac",
            "}",
            "",
            "\(function)() {",
            "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}",
            "    local word option='' prefix='' first='' letters i j npos=0 skip=0 dashes=0",
            "    COMPREPLY=()",
            "    for ((i = 1; i < COMP_CWORD; i++)); do",
            "        word=${COMP_WORDS[i]}",
            "        if ((skip)); then",
            "            skip=0",
            "            [[ $word == = ]] && skip=1",
            "            continue",
            "        fi",
            "        if ((dashes)) || [[ $word == - || $word != -* ]]; then",
            "            ((npos == 0)) && first=$word",
            "            npos=$((npos + 1))",
            "            continue",
            "        fi",
            "        case $word in",
            "        --) dashes=1 ;;",
        ]
        let valueSpellings = valueOptions.flatMap(\.spellings)
        if !valueSpellings.isEmpty {
            lines.append("        \(valueSpellings.joined(separator: " | "))) skip=1 ;;")
        }
        lines += [
            "        --*) ;;",
            "        *)",
            "            letters=${word#-}",
            "            for ((j = 0; j < ${#letters}; j++)); do",
            "                if [[ \(Self.shellQuote(String(valueLetters))) == *\"${letters:j:1}\"* ]]; then",
            "                    ((j == ${#letters} - 1)) && skip=1",
            "                    break",
            "                fi",
            "            done ;;",
            "        esac",
            "    done",
            "    if ((skip)); then",
            "        option=$prev",
            "        [[ $option == = ]] && option=${COMP_WORDS[COMP_CWORD - 2]}",
            "        [[ $cur == = ]] && cur=''",
            "    elif ((!dashes)) && [[ $cur == --*=* ]]; then",
            "        option=${cur%%=*}",
            "        prefix=$option=",
            "        cur=${cur#*=}",
            "    fi",
            "    if [[ -n $option ]]; then",
            "        case $option in",
        ]
        for option in valueOptions {
            lines.append("        \(option.spellings.joined(separator: " | "))) \(bashHint(option.completion)) ;;")
        }
        lines += [
            "        esac",
            "        [[ -n $prefix ]] && COMPREPLY=(\"${COMPREPLY[@]/#/$prefix}\")",
            "        return 0",
            "    fi",
            "    if ((!dashes)) && [[ $cur == -* ]]; then",
            "        COMPREPLY=($(compgen -W \(Self.shellQuote(flags.joined(separator: " "))) -- \"$cur\"))",
            "        return 0",
            "    fi",
        ]
        lines += bashPositionals()
        lines += [
            "    return 0",
            "}",
            "",
            "complete -F \(function) \(spec.name)",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    private func bashPositionals() -> [String] {
        let plan = plan
        var lines: [String] = []
        var first: [String] = []
        if !plan.actions.isEmpty {
            first.append(bashHint(.words(plan.actions.map(\.name))))
        }
        if let hint = plan.first?.completion, hint != .none {
            first.append(bashHint(hint))
        }
        lines.append("    if ((npos == 0)); then")
        lines.append("        " + (first.isEmpty ? ":" : first.joined(separator: "; ")))
        lines.append("        return 0")
        lines.append("    fi")
        lines.append("    case $first in")
        for branch in plan.branches {
            lines.append("    \(branch.words.map(Self.shellQuote).joined(separator: " | ")))")
            lines += bashIndexCase(branch, index: "npos - 1", indent: "        ")
            lines.append("        ;;")
        }
        lines.append("    *)")
        lines += bashIndexCase(plan.fallback, index: "npos", indent: "        ")
        lines.append("        ;;")
        lines.append("    esac")
        return lines
    }

    private func bashIndexCase(_ branch: PositionalPlan.Branch, index: String, indent: String) -> [String] {
        var entries: [String] = []
        for (position, positional) in branch.indexed where positional.completion != .none && positional != branch.tail {
            entries.append("\(indent)\(position)) \(bashHint(positional.completion)) ;;")
        }
        if let tail = branch.tail, tail.completion != .none {
            entries.append("\(indent)*) \(bashHint(tail.completion)) ;;")
        }
        if entries.isEmpty { return ["\(indent):"] }
        return ["\(indent)case $((\(index))) in"] + entries + ["\(indent)esac"]
    }

    private func bashHint(_ hint: CompletionHint) -> String {
        let function = functionName + "_hint"
        switch hint {
        case .none: return ":"
        case .file: return "\(function) file"
        case .directory: return "\(function) directory"
        case .host: return "\(function) host"
        case .user: return "\(function) user"
        case .words(let words): return "\(function) words \(Self.shellQuote(words.joined(separator: " ")))"
        }
    }

    /// Quotes text for POSIX shells: `'...'`, with `'` written as `'\''`.
    static func shellQuote(_ text: String) -> String {
        "'" + text.replacing("'", with: "'\\''") + "'"
    }
}
