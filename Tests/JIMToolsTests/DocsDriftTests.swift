import JIMCLI
import JIMCore
import JIMTools
import Testing

/// The committed man pages and completion files against the tools' option tables: a test fails as
/// soon as one of them says something the code does not do.
@Suite struct DocsDriftTests {
    static let shells = Shell.allCases

    @Test func everyToolHasOnePageAndOneCompletionFilePerShellAndNoOthers() throws {
        let names = DocsRepository.tools.map(\.name).sorted()
        #expect(try DocsRepository.files(in: "man") == (names.map { "\($0).1" } + ["jim.7"]).sorted())
        #expect(try DocsRepository.files(in: "completions/bash") == names)
        #expect(try DocsRepository.files(in: "completions/zsh") == names.map { "_\($0)" })
        #expect(try DocsRepository.files(in: "completions/fish") == names.map { "\($0).fish" })
    }

    @Test(arguments: DocsRepository.tools, Shell.allCases)
    func committedCompletionFileIsWhatTheTableGenerates(tool: DocsRepository.Tool, shell: Shell) throws {
        let committed = try DocsRepository.text(DocsRepository.completionPath(tool.name, shell))
        let generated = CompletionGenerator(spec: tool.spec).script(for: shell)
        #expect(
            committed == generated,
            "\(DocsRepository.completionPath(tool.name, shell)) is stale: run 'make completions'")
    }

    @Test(arguments: DocsRepository.tools)
    func generatedCompletionIsWhatTheToolPrints(tool: DocsRepository.Tool) {
        for shell in Shell.allCases {
            let streams = TestStreams()
            let status = tool.main([tool.name, "--generate-completion", shell.rawValue], streams.streams)
            #expect(status == .ok)
            #expect(streams.stdout == CompletionGenerator(spec: tool.spec).script(for: shell))
        }
    }

    @Test(arguments: DocsRepository.tools)
    func manPageDocumentsExactlyTheTableOptions(tool: DocsRepository.Tool) throws {
        let report = ManPageCheck.compare(tool.spec, mdoc: try DocsRepository.manPage(tool.name))
        #expect(report.undocumented == [], "\(tool.name).1 does not document these options")
        #expect(report.unknown == [], "\(tool.name).1 documents options the tool does not have")
    }

    @Test(arguments: DocsRepository.tools)
    func synopsisShowsEveryOption(tool: DocsRepository.Tool) throws {
        let page = try DocsRepository.manPage(tool.name)
        let synopsis = DocsRepository.section("SYNOPSIS", of: page).joined(separator: "\n")
        let shown = ManPageCheck.documentedOptions(in: synopsis)
        let missing = tool.spec.options.filter { !$0.hidden }.filter { option in
            !option.spellings.contains { shown.contains($0) }
        }
        #expect(missing.map(\.long) == [], "\(tool.name).1: SYNOPSIS leaves out these options")
    }

    @Test(arguments: DocsRepository.tools)
    func optionEntriesGiveBothSpellings(tool: DocsRepository.Tool) throws {
        // Each `.It Fl` entry of a short-and-long option names both, as `--help` does.
        let page = try DocsRepository.manPage(tool.name)
        let entries = page.split(separator: "\n").filter { $0.hasPrefix(".It Fl ") }.map { String($0) }
        for option in tool.spec.options where !option.hidden {
            let entry = entries.first { ManPageCheck.documentedOptions(in: $0).contains("--\(option.long)") }
            #expect(entry != nil, "\(tool.name).1 has no .It entry for --\(option.long)")
            guard let entry, let short = option.short else { continue }
            #expect(ManPageCheck.documentedOptions(in: entry).contains("-\(short)"), "\(tool.name).1: \(entry)")
        }
    }

    @Test(arguments: DocsRepository.tools)
    func helpListsEveryOptionOfTheTable(tool: DocsRepository.Tool) {
        let streams = TestStreams()
        #expect(tool.main([tool.name, "--help"], streams.streams) == .ok)
        let help = streams.stdout
        #expect(help == HelpFormatter(spec: tool.spec).render())
        for option in tool.spec.visibleOptions {
            let column = String(HelpFormatter.optionColumn(option).drop { $0 == " " })
            #expect(help.contains(column), "--help lacks \(column)")
        }
        for option in tool.spec.allOptions where option.hidden {
            #expect(!help.contains("--\(option.long)"), "--help shows the hidden --\(option.long)")
        }
    }

    @Test(arguments: DocsRepository.tools)
    func manPageAndHelpListTheSameExitStatuses(tool: DocsRepository.Tool) throws {
        let documented = DocsRepository.documentedStatuses(in: try DocsRepository.manPage(tool.name))
        let named = DocsRepository.helpStatuses(in: tool.spec.epilogue)
        #expect(!named.isEmpty, "\(tool.name) --help names no exit status")
        #expect(named.subtracting(documented).sorted() == [], "\(tool.name).1: EXIT STATUS lacks these")
        #expect(documented.subtracting(named).sorted() == [], "\(tool.name) --help: Exit status lacks these")
        #expect(documented.contains(0) && documented.contains(64), "\(tool.name).1: EXIT STATUS lacks 0 or 64")
        let known = Set(ExitStatus.allCases.map { Int($0.rawValue) })
        #expect(documented.subtracting(known).sorted() == [], "\(tool.name).1 lists statuses no tool returns")
    }

    @Test(arguments: DocsRepository.tools)
    func manPageDescribesEveryEnvironmentVariableTheHelpNames(tool: DocsRepository.Tool) throws {
        let page = try DocsRepository.manPage(tool.name)
        #expect(!DocsRepository.section("ENVIRONMENT", of: page).isEmpty, "\(tool.name).1 has no ENVIRONMENT")
        let documented = DocsRepository.documentedVariables(in: page)
        let named = DocsRepository.helpVariables(in: tool.spec.epilogue)
        #expect(named.subtracting(documented).sorted() == [], "\(tool.name).1: ENVIRONMENT lacks these")
        #expect(documented.filter { $0.hasPrefix("JIM_") }.subtracting(named).sorted() == [], "not in --help")
    }

    @Test(arguments: DocsRepository.tools)
    func manPageHasTheSectionsOfAToolPage(tool: DocsRepository.Tool) throws {
        let page = try DocsRepository.manPage(tool.name)
        let sections = page.split(separator: "\n").filter { $0.hasPrefix(".Sh ") }.map { String($0.dropFirst(4)) }
        let required = ["NAME", "SYNOPSIS", "DESCRIPTION", "ENVIRONMENT", "EXIT STATUS", "EXAMPLES", "SEE ALSO"]
        #expect(required.filter { !sections.contains($0) } == [], "\(tool.name).1 lacks these sections")
        let order = sections.filter { required.contains($0) }
        #expect(order == required, "\(tool.name).1: sections out of order")
        #expect(page.contains(".Nm \(tool.name)\n"), "\(tool.name).1: NAME is not \(tool.name)")
        #expect(page.contains(".Dt \(tool.name.uppercased()) 1\n"))
    }

    @Test func encodePageDocumentsEveryAction() throws {
        let words = DocsRepository.commandWords(in: try DocsRepository.manPage("jim-encode"))
        let actions = EncodeTool.spec.actions.map(\.name)
        #expect(actions.filter { !words.contains($0) } == [], "jim-encode.1 does not mark up these actions")
    }

    @Test func decodePageNamesEveryActionThatDashACompletes() throws {
        let words = DocsRepository.commandWords(in: try DocsRepository.manPage("jim-decode"))
        guard case .words(let offered) = DecodeTool.spec.option(named: "action")?.completion else {
            Issue.record("jim-decode -a completes no words")
            return
        }
        #expect(offered.filter { !words.contains($0) } == [], "jim-decode.1 does not name these -a values")
        #expect(Set(offered) == Set(Request.actions + ["response"]))
    }

    @Test func pagesWithAFormatOptionListEveryFormatToken() throws {
        // The tokens --help lists for -F: %a %f ... %%.
        let tokens = Set(FrameFormatter.help.matches(of: /%[A-Za-z%]/).map { String($0.0) })
        #expect(tokens.count >= 10)
        for tool in ["jim-decode", "jim-listen"] {
            let page = try DocsRepository.manPage(tool)
            let marked = Set(page.matches(of: /Cm (?:\\&)?(%[A-Za-z%])/).map { String($0.1) })
            #expect(tokens.subtracting(marked).sorted() == [], "\(tool).1 does not list these -F tokens")
        }
    }
}
