/// Writes a command's `--help` text from its `CommandSpec`.
///
/// The layout is fixed so that the output is deterministic and snapshot-testable:
/// usage lines, the summary, then Arguments, Actions and Options sections as two aligned
/// columns wrapped at `width`, then the epilogue verbatim. Hidden options are left out.
public struct HelpFormatter: Sendable {
    /// The command described.
    public let spec: CommandSpec
    /// The line width to wrap at.
    public var width: Int
    /// The widest the left column may grow; longer entries put their help on the next line.
    public var maximumLeftColumn: Int

    /// Creates a formatter for a command.
    public init(spec: CommandSpec, width: Int = 80, maximumLeftColumn: Int = 30) {
        self.spec = spec
        self.width = width
        self.maximumLeftColumn = maximumLeftColumn
    }

    /// The usage lines, without the tool name: the spec's own or one derived from it.
    public var usageLines: [String] {
        if !spec.usage.isEmpty { return spec.usage }
        let options = spec.options.contains { !$0.hidden } ? "[options]" : ""
        func line(_ parts: [String]) -> String {
            ([options] + parts).filter { !$0.isEmpty }.joined(separator: " ")
        }
        if spec.actions.isEmpty {
            return [line([PositionalSpec.usageForm(of: spec.positionals)])]
        }
        var lines: [String] = []
        if !spec.actionRequired {
            lines.append(line([PositionalSpec.usageForm(of: spec.positionals)]))
        }
        for action in spec.actions {
            lines.append(line([action.name, PositionalSpec.usageForm(of: spec.positionals(after: action.name))]))
        }
        return lines
    }

    /// The left column for an option: `-t, --to TARGET` or `    --json`.
    public static func optionColumn(_ option: OptionSpec) -> String {
        let long = "--\(option.long)" + (option.value.map { " \($0)" } ?? "")
        if let short = option.short {
            return "-\(short), \(long)"
        }
        return "    \(long)"
    }

    /// The whole help text, ending in a newline.
    public func render() -> String {
        var text = ""
        for (index, line) in usageLines.enumerated() {
            let lead = index == 0 ? "Usage: " : "   or: "
            text += "\(lead)\(spec.name)\(line.isEmpty ? "" : " ")\(line)\n"
        }
        if !spec.summary.isEmpty {
            text += spec.summary + "\n"
        }
        var positionals: [PositionalSpec] = spec.positionals
        for action in spec.actions {
            for positional in action.positionals ?? []
            where !positionals.contains(where: { $0.name == positional.name }) {
                positionals.append(positional)
            }
        }
        let sections: [(title: String, rows: [(String, String)])] = [
            ("Arguments", positionals.map { ($0.name, $0.help) }),
            ("Actions", spec.actions.map { ($0.name, $0.help) }),
            ("Options", spec.visibleOptions.map { (Self.optionColumn($0), $0.help) }),
        ]
        let widest = sections.flatMap(\.rows).map { $0.0.count }.max() ?? 0
        let column = min(widest + 4, maximumLeftColumn)
        for section in sections where !section.rows.isEmpty {
            text += "\n\(section.title):\n"
            for (left, help) in section.rows {
                text += row(left: "  " + left, help: help, column: column)
            }
        }
        if !spec.epilogue.isEmpty {
            text += "\n" + spec.epilogue
            if !spec.epilogue.hasSuffix("\n") { text += "\n" }
        }
        return text
    }

    private func row(left: String, help: String, column: Int) -> String {
        let pad = String(repeating: " ", count: column)
        var lines = Self.wrap(help, width: max(width - column, 20))
        if lines.isEmpty { lines = [""] }
        var text: String
        if left.count + 2 <= column {
            text = left + String(repeating: " ", count: column - left.count) + lines[0] + "\n"
        } else {
            text = left + "\n" + pad + lines[0] + "\n"
        }
        for line in lines.dropFirst() {
            text += pad + line + "\n"
        }
        return text
    }

    /// Splits text into lines of at most `width` characters at spaces (longer words stay whole).
    public static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if current.isEmpty {
                current = String(word)
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
