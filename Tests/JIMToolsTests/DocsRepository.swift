import Foundation
import JIMCLI
import JIMTools

/// The committed documentation of the tools: man pages and completion files, read from the package.
///
/// Paths are found from this file's location (`Tests/JIMToolsTests/`), so the tests read what is in
/// the working tree, the same files `make install` copies.
enum DocsRepository {
    /// One tool with its option table.
    struct Tool: Sendable, CustomStringConvertible {
        /// The installed name, e.g. `jim-send`.
        var name: String
        /// The tool's option table.
        var spec: CommandSpec
        /// Runs the tool in-process.
        var main: @Sendable ([String], Streams) -> ExitStatus

        var description: String { name }
    }

    /// Every tool, in the order of the Makefile's TOOLS.
    static let tools: [Tool] = [
        Tool(name: "jim-serve", spec: ServeTool.spec, main: { ServeTool.main(arguments: $0, streams: $1) }),
        Tool(name: "jim-send", spec: SendTool.spec, main: { SendTool.main(arguments: $0, streams: $1) }),
        Tool(name: "jim-listen", spec: ListenTool.spec, main: { ListenTool.main(arguments: $0, streams: $1) }),
        Tool(name: "jim-encode", spec: EncodeTool.spec, main: { EncodeTool.main(arguments: $0, streams: $1) }),
        Tool(name: "jim-decode", spec: DecodeTool.spec, main: { DecodeTool.main(arguments: $0, streams: $1) }),
    ]

    /// The package's root directory.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The text of a file, by its path from the package root.
    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// The names of the files in a directory of the package, sorted.
    static func files(in directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(directory).path).sorted()
    }

    /// The committed completion file of a tool for a shell, by the path `make completions` writes.
    static func completionPath(_ tool: String, _ shell: Shell) -> String {
        switch shell {
        case .bash: "completions/bash/\(tool)"
        case .zsh: "completions/zsh/_\(tool)"
        case .fish: "completions/fish/\(tool).fish"
        }
    }

    /// A tool's man page source.
    static func manPage(_ tool: String) throws -> String {
        try text("man/\(tool).1")
    }

    /// The source lines of one `.Sh` section of an mdoc page (without the `.Sh` line).
    static func section(_ name: String, of page: String) -> [Substring] {
        var lines: [Substring] = []
        var inside = false
        for line in page.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(".Sh ") {
                inside = line.dropFirst(4) == name
                continue
            }
            if inside { lines.append(line) }
        }
        return lines
    }

    /// The exit statuses a page's EXIT STATUS section lists as `.It N`.
    static func documentedStatuses(in page: String) -> Set<Int> {
        Set(
            section("EXIT STATUS", of: page).compactMap { line in
                line.hasPrefix(".It ") ? Int(line.dropFirst(4)) : nil
            })
    }

    /// The environment variables a page's ENVIRONMENT section lists as `.It Ev NAME`.
    static func documentedVariables(in page: String) -> Set<String> {
        Set(
            section("ENVIRONMENT", of: page).compactMap { line in
                line.hasPrefix(".It Ev ") ? String(line.dropFirst(7)) : nil
            })
    }

    /// The exit statuses the help epilogue lists after `Exit status:`.
    static func helpStatuses(in epilogue: String) -> Set<Int> {
        guard let start = epilogue.range(of: "Exit status:") else { return [] }
        let text = epilogue[start.upperBound...]
        let numbers = text.matches(of: /(?:^|\s)(\d{1,3})(?=\s)/).compactMap { Int($0.1) }
        return Set(numbers.filter { $0 == 0 || $0 == 1 || (64...78).contains($0) })
    }

    /// The `JIM_*` environment variables the help epilogue names.
    static func helpVariables(in epilogue: String) -> Set<String> {
        Set(epilogue.matches(of: /JIM_[A-Z]+/).map { String($0.0) })
    }

    /// The words a page marks up with `Cm`, e.g. action names.
    static func commandWords(in page: String) -> Set<String> {
        var words: Set<String> = []
        for line in page.split(separator: "\n") where line.hasPrefix(".") {
            let parts = line.split(separator: " ")
            for (index, part) in parts.enumerated() where part == "Cm" || part == ".Cm" {
                if index + 1 < parts.count { words.insert(String(parts[index + 1])) }
            }
        }
        return words
    }
}
