import Testing

/// One example of a man page's EXAMPLES section: a `.Bd -literal` block, run by `ManExamplesTests`.
///
/// In a block, a line starting with `$ ` is a command; the lines after a command up to the next one
/// are the output it shows on standard output. A block of `>` and `<` lines (in `jim.7`) is a protocol
/// session instead: frames a client sends and the answers a server gives. Every block of EXAMPLES is
/// one or the other; nothing in EXAMPLES goes unrun.
struct ManExample: Sendable, CustomTestStringConvertible {
    /// What a block holds.
    enum Kind: Sendable, Equatable {
        /// Shell commands with their shown output.
        case commands
        /// A protocol session: `> frame` sent, `< frame` answered.
        case session
        /// Neither: a block the test cannot run.
        case unknown
    }

    /// The page's file name, e.g. `jim-send.1`.
    var page: String
    /// The source line of the block's `.Bd`.
    var line: Int
    /// The block's lines as a reader sees them (roff escapes resolved).
    var lines: [String]

    var testDescription: String { "\(page):\(line)" }

    /// What the block holds.
    var kind: Kind {
        if lines.contains(where: { $0.hasPrefix("$ ") }) { return .commands }
        if lines.contains(where: { $0.hasPrefix("> ") })
            && lines.allSatisfy({ $0.hasPrefix("> ") || $0.hasPrefix("< ") })
        {
            return .session
        }
        return .unknown
    }

    /// The commands, without their `$ ` prompt.
    var commands: [String] {
        lines.filter { $0.hasPrefix("$ ") }.map { String($0.dropFirst(2)) }
    }

    /// The output shown after the commands, in order, as one text (empty when none is shown).
    var shownOutput: String {
        let output = lines.drop { !$0.hasPrefix("$ ") }.filter { !$0.hasPrefix("$ ") }
        return output.isEmpty ? "" : output.joined(separator: "\n") + "\n"
    }

    /// Whether the last command starts a server that runs until it is stopped.
    var startsServer: Bool {
        guard let last = commands.last else { return false }
        return last.hasPrefix("jim-serve ") && !last.contains("--hash-password")
    }

    /// Whether the commands talk to a server named by `JIM_SERVER`.
    var needsServer: Bool {
        commands.contains { $0.contains("jim-send") || $0.contains("jim-listen") }
    }

    /// The literal blocks of a page's EXAMPLES section.
    static func examples(page: String, source: String) -> [ManExample] {
        var examples: [ManExample] = []
        var inExamples = false
        var block: ManExample?
        for (index, raw) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            if line.hasPrefix(".Sh ") {
                inExamples = line == ".Sh EXAMPLES"
                continue
            }
            guard inExamples else { continue }
            if line.hasPrefix(".Bd -literal") {
                block = ManExample(page: page, line: index + 1, lines: [])
            } else if line == ".Ed", let done = block {
                examples.append(done)
                block = nil
            } else if block != nil {
                block!.lines.append(unescape(line))
            }
        }
        return examples
    }

    /// Every example of every page; empty for a page that cannot be read (a separate test reads each page).
    static let all: [ManExample] = PackageFiles.pages.flatMap { page in
        (try? PackageFiles.text("man/\(page)")).map { examples(page: page, source: $0) } ?? []
    }

    /// A line of a literal block as the reader sees it: `\e` is a backslash, `\&` nothing, `\-` a
    /// minus, `\(aq` and `\(dq` quotes. Any other escape is kept as `<?\x>` so a comparison fails.
    static func unescape(_ line: String) -> String {
        var out = ""
        var rest = Substring(line)
        while let slash = rest.firstIndex(of: "\\") {
            out += rest[..<slash]
            rest = rest[rest.index(after: slash)...]
            let known: [(String, String)] = [("e", "\\"), ("&", ""), ("-", "-"), ("(aq", "'"), ("(dq", "\"")]
            if let (escape, text) = known.first(where: { rest.hasPrefix($0.0) }) {
                out += text
                rest = rest.dropFirst(escape.count)
            } else {
                out += "<?\\\(rest.prefix(1))>"
                rest = rest.dropFirst()
            }
        }
        return out + rest
    }
}
