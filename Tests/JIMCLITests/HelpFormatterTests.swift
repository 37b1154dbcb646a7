import JIMCLI
import Testing

@Test func helpListsEveryVisibleOption() {
    for spec in [SampleSpecs.encode, SampleSpecs.send, SampleSpecs.minimal] {
        let help = HelpFormatter(spec: spec).render()
        for option in spec.visibleOptions {
            #expect(help.contains("--\(option.long)"), "\(spec.name) help lacks --\(option.long)")
            if let short = option.short {
                #expect(help.contains("-\(short), --\(option.long)"), "\(spec.name) help lacks -\(short)")
            }
            #expect(help.contains(option.help.prefix(20)), "\(spec.name) help lacks the help of --\(option.long)")
        }
        for positional in spec.positionals {
            #expect(help.contains(positional.name))
        }
    }
}

@Test func helpLeavesOutHiddenOptions() {
    let help = HelpFormatter(spec: SampleSpecs.encode).render()
    #expect(!help.contains("--debug-frames"))
    #expect(!help.contains("--generate-completion"))
}

@Test func helpFitsEightyColumns() {
    for spec in [SampleSpecs.encode, SampleSpecs.send] {
        for line in HelpFormatter(spec: spec).render().split(separator: "\n") {
            #expect(line.count <= 80, "too long: \(line)")
        }
    }
}

@Test func helpOfASmallCommandIsExactlyThis() {
    let spec = CommandSpec(
        name: "jim-x",
        summary: "Do one thing.",
        options: [
            .value("t", "to", "TARGET", help: "send to TARGET"),
            .flag("json", help: "write JSON frames instead of text lines, which is what a script wants to read"),
            .value("very-long-option-name", "PLACEHOLDER", help: "long"),
        ],
        positionals: [PositionalSpec("ADDR", help: "the server", optional: true)],
        epilogue: "Exit status: 0 ok, 64 usage."
    )
    let expected = """
        Usage: jim-x [options] [ADDR]
        Do one thing.

        Arguments:
          ADDR                        the server

        Options:
          -t, --to TARGET             send to TARGET
              --json                  write JSON frames instead of text lines, which is
                                      what a script wants to read
              --very-long-option-name PLACEHOLDER
                                      long
          -h, --help                  show this help and exit
              --version               show the version and exit

        Exit status: 0 ok, 64 usage.

        """
    #expect(HelpFormatter(spec: spec).render() == expected)
}

@Test func derivesUsageLinesWithNestedOptionals() {
    #expect(HelpFormatter(spec: SampleSpecs.send).usageLines == ["[options] [ADDR [PORT]]"])
    #expect(HelpFormatter(spec: SampleSpecs.minimal).usageLines == ["NAME"])
    let lines = HelpFormatter(spec: SampleSpecs.encode).usageLines
    #expect(lines.first == "[options] [FILE...]")
    #expect(lines.contains("[options] join ROOM"))
    #expect(lines.contains("[options] quit"))
}

@Test func usesDeclaredUsageLines() {
    var spec = SampleSpecs.send
    spec.usage = ["[-t TARGET] [ADDR [PORT]]", "--frames [ADDR [PORT]]"]
    let help = HelpFormatter(spec: spec).render()
    #expect(help.hasPrefix("Usage: jim-send [-t TARGET] [ADDR [PORT]]\n   or: jim-send --frames [ADDR [PORT]]\n"))
}

@Test func listsActionsWithTheirHelp() {
    let help = HelpFormatter(spec: SampleSpecs.encode).render()
    #expect(help.contains("Actions:\n"))
    for action in SampleSpecs.encode.actions {
        #expect(help.contains("  \(action.name) "))
        #expect(help.contains(action.help))
    }
    #expect(help.hasSuffix("Exit status: 0 ok, 64 usage, 65 bad input.\n"))
}

@Test func wrapsAtWordBoundaries() {
    #expect(HelpFormatter.wrap("a bb ccc dddd", width: 6) == ["a bb", "ccc", "dddd"])
    #expect(HelpFormatter.wrap("unbreakableword x", width: 5) == ["unbreakableword", "x"])
    #expect(HelpFormatter.wrap("", width: 5) == [])
}

@Test func helpIsDeterministic() {
    #expect(HelpFormatter(spec: SampleSpecs.encode).render() == HelpFormatter(spec: SampleSpecs.encode).render())
}
