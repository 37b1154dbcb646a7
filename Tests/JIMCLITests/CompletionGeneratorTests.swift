import JIMCLI
import Testing

private let specs = [SampleSpecs.encode, SampleSpecs.send, SampleSpecs.minimal]

@Test(arguments: Shell.allCases)
func completionScriptsContainEveryVisibleOption(_ shell: Shell) {
    for spec in specs {
        let script = CompletionGenerator(spec: spec).script(for: shell)
        for option in spec.visibleOptions {
            switch shell {
            case .fish:
                #expect(script.contains("-l '\(option.long)'"), "\(shell) \(spec.name) lacks --\(option.long)")
                if let short = option.short { #expect(script.contains("-s '\(short)' -l '\(option.long)'")) }
            case .bash, .zsh:
                #expect(script.contains("--\(option.long)"), "\(shell) \(spec.name) lacks --\(option.long)")
                if let short = option.short { #expect(script.contains("-\(short)")) }
            }
        }
    }
}

@Test(arguments: Shell.allCases)
func completionScriptsOfferNoHiddenOption(_ shell: Shell) {
    let script = CompletionGenerator(spec: SampleSpecs.encode).script(for: shell)
    #expect(!script.contains("debug-frames"))
}

@Test(arguments: Shell.allCases)
func completionScriptsOfferActionWords(_ shell: Shell) {
    let script = CompletionGenerator(spec: SampleSpecs.encode).script(for: shell)
    for action in SampleSpecs.encode.actions {
        #expect(script.contains(action.name))
    }
}

@Test(arguments: Shell.allCases)
func completionScriptsAreDeterministic(_ shell: Shell) {
    let first = CompletionGenerator(spec: SampleSpecs.encode).script(for: shell)
    #expect(first == CompletionGenerator(spec: SampleSpecs.encode).script(for: shell))
}

@Test func bashScriptRegistersItsFunction() {
    let script = CompletionGenerator(spec: SampleSpecs.send).script(for: .bash)
    #expect(script.hasSuffix("complete -F _jim_send jim-send\n"))
    #expect(script.contains("--connect-timeout) :"))
    #expect(script.contains("-i | --input) _jim_send_hint file"))
}

@Test func zshScriptIsAnAutoloadableFunctionFile() {
    let script = CompletionGenerator(spec: SampleSpecs.send).script(for: .zsh)
    #expect(script.hasPrefix("#compdef jim-send\n"))
    #expect(script.contains("'*'{-i+,--input=}'[read lines from FILE]:FILE:_files'"))
    #expect(script.contains("'(-t --to)'{-t+,--to=}'[send to TARGET, a name or #room]:TARGET: '"))
    #expect(script.contains("(0) _hosts && ret=0"))
}

@Test func fishScriptTurnsOffFilesExceptWhereHinted() {
    let script = CompletionGenerator(spec: SampleSpecs.send).script(for: .fish)
    #expect(script.contains("complete -c jim-send -f\n"))
    #expect(script.contains("complete -c jim-send -s 'i' -l 'input' -r -F -d 'read lines from FILE'"))
    #expect(script.contains("complete -c jim-send -s 'u' -l 'user' -x -a '(__fish_complete_users)'"))
}

@Test func quotesTextForEachShell() {
    let spec = CommandSpec(
        name: "q", summary: "",
        options: [.value("x", "ex", "V", help: "it's [odd]: a\\b", completion: .words(["a'b"]))])
    let bash = CompletionGenerator(spec: spec).script(for: .bash)
    #expect(bash.contains("words 'a'\\''b'"))
    let zsh = CompletionGenerator(spec: spec).script(for: .zsh)
    #expect(zsh.contains("'[it'\\''s \\[odd\\]\\: a\\\\b]:V:(a'\\''b)'"))
    let fish = CompletionGenerator(spec: spec).script(for: .fish)
    #expect(fish.contains("-d 'it\\'s [odd]: a\\\\b'"))
}
