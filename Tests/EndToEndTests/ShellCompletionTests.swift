import JIMCore
import Testing

/// The committed completion files in real shells, loaded the way an installed system loads them.
///
/// What they must offer comes from the built tools' `--help` (the options of `jim-send`, the actions
/// of `jim-encode`), not from a list kept here. Each test is skipped when its shell is missing;
/// `.ci/run` installs bash-completion, zsh and fish.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct ShellCompletionTests {
    let shells: CompletionShells
    let sendOptions: [String]
    let encodeActions: [String]
    let decodeActions = (Request.actions + ["response"]).sorted()

    init() throws {
        shells = try CompletionShells()
        sendOptions = try Self.help("jim-send").longOptions
        encodeActions = try Self.help("jim-encode").actions
    }

    /// A tool's `--help`, parsed: its long options and its action words.
    struct Help {
        var longOptions: [String] = []
        var actions: [String] = []
    }

    static func help(_ tool: String) throws -> Help {
        let process = try JIMProcess(tool, ["--help"])
        #expect(process.wait() == 0)
        var help = Help()
        var section = ""
        for line in process.stdout.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") {
                section = String(line)
                continue
            }
            let words = line.split(separator: " ")
            switch section {
            case "Options:":
                if let long = words.first(where: { $0.hasPrefix("--") }),
                    line.hasPrefix("  -") || line.hasPrefix("      --")
                {
                    help.longOptions.append(String(long))
                }
            case "Actions:":
                if line.hasPrefix("  "), !line.hasPrefix("   "), let word = words.first {
                    help.actions.append(String(word))
                }
            default:
                break
            }
        }
        help.longOptions.sort()
        help.actions.sort()
        return help
    }

    @Test func helpGivesSomethingToCompare() {
        #expect(sendOptions.contains("--to") && sendOptions.contains("--frames") && sendOptions.contains("--help"))
        #expect(!sendOptions.contains("--generate-completion"))
        #expect(encodeActions.contains("msg") && encodeActions.contains("join") && encodeActions.contains("quit"))
    }

    @Test(.enabled(if: PackageFiles.which("bash") != nil), arguments: [true, false])
    func bashOffersSendOptionsAndEncodeActions(withBashCompletion: Bool) throws {
        if withBashCompletion {
            try #require(CompletionShells.bashCompletion != nil, "bash-completion is not installed")
        }
        #expect(try shells.bash(["jim-send", "--"], withBashCompletion: withBashCompletion) == sendOptions)
        #expect(try shells.bash(["jim-encode", ""], withBashCompletion: withBashCompletion) == encodeActions)
        #expect(try shells.bash(["jim-decode", "-a", ""], withBashCompletion: withBashCompletion) == decodeActions)
    }

    @Test(.enabled(if: PackageFiles.which("zsh") != nil))
    func zshOffersSendOptionsAndEncodeActions() throws {
        let results = try shells.zsh(["jim-send --", "jim-encode ", "jim-decode -a "])
        #expect(results == [sendOptions, encodeActions, decodeActions])
    }

    @Test(.enabled(if: PackageFiles.which("fish") != nil))
    func fishOffersSendOptionsAndEncodeActions() throws {
        #expect(try shells.fish("jim-send --") == sendOptions)
        #expect(try shells.fish("jim-encode ") == encodeActions)
        #expect(try shells.fish("jim-decode -a ") == decodeActions)
    }
}
