import JIMCLI
import Testing

/// Loads the generated scripts into real shells; each test is skipped when its shell is missing.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct ShellCompletionTests {
    let harness: ShellHarness
    let sendLongOptions = SampleSpecs.send.visibleOptions.map { "--\($0.long)" }.sorted()
    let actions = SampleSpecs.encode.actions.map(\.name)
    let files = ["alpha.txt", "beta.txt", "subdir"]

    init() throws {
        harness = try ShellHarness(specs: [SampleSpecs.encode, SampleSpecs.send])
    }

    @Test(.enabled(if: ShellHarness.which("bash") != nil), arguments: [false, true])
    func bashCompletesOptionsActionsAndValues(withBashCompletion: Bool) throws {
        if withBashCompletion && ShellHarness.bashCompletionPath == nil { return }
        func offered(_ words: String...) throws -> [String] {
            try harness.bash(words, withBashCompletion: withBashCompletion)
        }
        #expect(try offered("jim-send", "--") == sendLongOptions)
        #expect(try offered("jim-send", "--ke") == ["--keep-going"])
        #expect(try offered("jim-send", "-").contains("-k"))
        #expect(try offered("jim-encode", "") == (actions + files).sorted())
        #expect(try offered("jim-encode", "j") == ["join"])
        #expect(try offered("jim-encode", "--password-file", "") == files.sorted())
        #expect(try offered("jim-encode", "--password-file", "=", "al") == ["alpha.txt"])
        #expect(try offered("jim-encode", "--password-file", "=") == files.sorted())
        #expect(try offered("jim-encode", "--password-file=al") == ["--password-file=alpha.txt"])
        #expect(try offered("jim-encode", "-a", "p") == ["presence"])
        #expect(try offered("jim-encode", "-vt", "") == [])
        #expect(try offered("jim-encode", "-vt", "bob", "j") == ["join"])
        #expect(try offered("jim-encode", "join", "") == [])
        #expect(try offered("jim-encode", "alpha.txt", "b") == ["beta.txt"])
        #expect(try offered("jim-encode", "--", "-") == [])
        #expect(try offered("jim-encode", "-C", "s") == ["subdir"])
        #expect(try offered("jim-send", "-u", "roo") == ["root"])
    }

    @Test(.enabled(if: ShellHarness.which("zsh") != nil))
    func zshCompletesOptionsActionsAndValues() throws {
        let cases: [(line: String, offered: [String])] = [
            ("jim-send --", sendLongOptions),
            ("jim-encode ", (actions + files).sorted()),
            ("jim-encode --password-file ", files.sorted()),
            ("jim-encode --password-file=al", ["alpha.txt"]),
            ("jim-encode -a p", ["presence"]),
            ("jim-encode -vt bob j", ["join"]),
            ("jim-encode join ", []),
            ("jim-encode -C s", ["subdir"]),
            ("jim-encode --ve", ["--verbose", "--version"]),
        ]
        let results = try harness.zsh(cases.map(\.line))
        #expect(results.count == cases.count)
        for (test, result) in zip(cases, results) {
            #expect(result == test.offered, "zsh: \(test.line)")
        }
    }

    @Test(.enabled(if: ShellHarness.which("fish") != nil))
    func fishCompletesOptionsActionsAndValues() throws {
        #expect(try harness.fish("jim-send --") == sendLongOptions)
        #expect(try harness.fish("jim-encode ") == (actions + ["alpha.txt", "beta.txt", "subdir/"]).sorted())
        #expect(try harness.fish("jim-encode --password-file ") == ["alpha.txt", "beta.txt", "subdir/"])
        #expect(try harness.fish("jim-encode --password-file=al") == ["--password-file=alpha.txt"])
        #expect(try harness.fish("jim-encode -a p") == ["presence"])
        #expect(try harness.fish("jim-encode -vt ") == [])
        #expect(try harness.fish("jim-encode -vt bob j") == ["join"])
        #expect(try harness.fish("jim-encode join ") == [])
        #expect(try harness.fish("jim-encode -C s") == ["subdir/"])
    }
}
