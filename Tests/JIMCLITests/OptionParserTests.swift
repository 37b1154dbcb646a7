import JIMCLI
import Testing

private func parse(_ arguments: [String], _ spec: CommandSpec = SampleSpecs.encode) throws -> ParsedArguments {
    try OptionParser(spec: spec).parse(arguments)
}

private func usageError(_ arguments: [String], _ spec: CommandSpec = SampleSpecs.encode) -> String? {
    do {
        _ = try OptionParser(spec: spec).parse(arguments)
        return nil
    } catch {
        return error.message
    }
}

@Test func groupsShortFlags() throws {
    let parsed = try parse(["-Rq0"])
    #expect(parsed.flag("route"))
    #expect(parsed.flag("quiet"))
    #expect(parsed.flag("null"))
    #expect(!parsed.flag("split"))
}

@Test func takesShortValueAttachedOrSeparate() throws {
    #expect(try parse(["-tbob"]).value("to") == "bob")
    #expect(try parse(["-t", "bob"]).value("to") == "bob")
    #expect(try parse(["-Rtbob"]).value("to") == "bob")
    #expect(try parse(["-Rt", "#ops"]).value("to") == "#ops")
}

@Test func takesLongValueWithEqualsOrSeparate() throws {
    #expect(try parse(["--to=bob"]).value("to") == "bob")
    #expect(try parse(["--to", "bob"]).value("to") == "bob")
    #expect(try parse(["--to="]).value("to") == "")
    #expect(try parse(["--to=a=b"]).value("to") == "a=b")
}

@Test func valueOptionTakesNextWordEvenIfItLooksLikeAnOption() throws {
    let parsed = try parse(["-t", "-v", "--status", "--quiet"])
    #expect(parsed.value("to") == "-v")
    #expect(parsed.value("status") == "--quiet")
    #expect(!parsed.flag("verbose"))
}

@Test func doubleDashEndsOptions() throws {
    let parsed = try parse(["-v", "--", "-q", "--to", "file"])
    #expect(parsed.count("verbose") == 1)
    #expect(!parsed.flag("quiet"))
    #expect(parsed.positionals == ["-q", "--to", "file"])
}

@Test func singleDashIsAPositional() throws {
    #expect(try parse(["-", "-v", "a.txt"]).positionals == ["-", "a.txt"])
}

@Test func optionsMayFollowPositionals() throws {
    let parsed = try parse(["a.txt", "-t", "bob", "b.txt", "--route"])
    #expect(parsed.positionals == ["a.txt", "b.txt"])
    #expect(parsed.value("to") == "bob")
    #expect(parsed.flag("route"))
}

@Test func countsRepeatedFlags() throws {
    #expect(try parse(["-v", "-v"]).count("verbose") == 2)
    #expect(try parse(["-vvv", "--verbose"]).count("verbose") == 4)
    #expect(try parse([]).count("verbose") == 0)
}

@Test func repeatableOptionCollectsValuesInOrder() throws {
    let parsed = try parse(["-a", "msg", "--action=join", "-apresence"])
    #expect(parsed.values("action") == ["msg", "join", "presence"])
    #expect(parsed.value("action") == "presence")
    #expect(parsed.values("to") == [])
}

@Test func keepsOccurrencesInCommandLineOrder() throws {
    let parsed = try parse(["-v", "--to", "a", "-R"])
    #expect(
        parsed.occurrences == [
            ParsedOption(name: "verbose", value: nil), ParsedOption(name: "to", value: "a"),
            ParsedOption(name: "route", value: nil),
        ])
}

@Test func reportsUnknownOptions() {
    #expect(usageError(["--frob"]) == "unknown option: --frob")
    #expect(usageError(["--frob=1"]) == "unknown option: --frob")
    #expect(usageError(["-x"]) == "unknown option: -x")
    #expect(usageError(["-vx"]) == "unknown option: -x")
    #expect(usageError(["--debug"]) == "unknown option: --debug")
}

@Test func reportsMissingValues() {
    #expect(usageError(["--to"]) == "option --to needs a value")
    #expect(usageError(["-t"]) == "option -t needs a value")
    #expect(usageError(["-vt"]) == "option -t needs a value")
}

@Test func reportsValueGivenToFlag() {
    #expect(usageError(["--route=yes"]) == "--route takes no value")
    #expect(usageError(["--route="]) == "--route takes no value")
}

@Test func rejectsNonRepeatableValueGivenTwice() {
    #expect(usageError(["-t", "a", "--to", "b"]) == "option --to given more than once")
    #expect(usageError(["--to=a", "-tb"]) == "option -t given more than once")
}

@Test func hiddenOptionsStillParse() throws {
    #expect(try parse(["--debug-frames"]).flag("debug-frames"))
}

@Test func recognisesActionWordFirst() throws {
    let parsed = try parse(["-v", "join", "#ops"])
    #expect(parsed.action == "join")
    #expect(parsed.positionals == ["#ops"])
}

@Test func firstWordThatIsNoActionIsAPositional() throws {
    let parsed = try parse(["notes.txt", "join"])
    #expect(parsed.action == nil)
    #expect(parsed.positionals == ["notes.txt", "join"])
}

@Test func actionWordAfterDoubleDashIsAFile() throws {
    let parsed = try parse(["--", "join"])
    #expect(parsed.action == nil)
    #expect(parsed.positionals == ["join"])
}

@Test func checksPositionalCountsPerAction() {
    #expect(usageError(["join"]) == "missing ROOM for join")
    #expect(usageError(["join", "#a", "#b"]) == "unexpected argument: #b")
    #expect(usageError(["quit", "now"]) == "unexpected argument: now")
    #expect(usageError(["a", "b", "c"]) == nil)
}

@Test func checksPositionalCountsWithoutActions() {
    #expect(usageError(["host", "7777", "extra"], SampleSpecs.send) == "unexpected argument: extra")
    #expect(usageError([], SampleSpecs.minimal) == "missing NAME")
    #expect(usageError(["x"], SampleSpecs.minimal) == nil)
}

@Test func requiredActionMustBeGiven() {
    var spec = SampleSpecs.encode
    spec.actionRequired = true
    #expect(usageError([], spec) == "missing action (one of: msg, presence, join, leave, quit, authenticate)")
    #expect(
        usageError(["frob"], spec)
            == "unknown action: frob (expected one of: msg, presence, join, leave, quit, authenticate)")
    #expect(usageError(["quit"], spec) == nil)
}

@Test func helpAndVersionStopParsing() throws {
    #expect(try parse(["-h"]).builtin == .help)
    #expect(try parse(["--help", "--frob"]).builtin == .help)
    #expect(try parse(["-vh"]).builtin == .help)
    #expect(try parse(["--version"]).builtin == .version)
    #expect(try parse(["--to", "x"]).builtin == nil)
    #expect(usageError(["--frob", "--help"]) == "unknown option: --frob")
}

@Test func helpOptionAsAValueIsJustAValue() throws {
    let parsed = try parse(["-t", "--help"])
    #expect(parsed.builtin == nil)
    #expect(parsed.value("to") == "--help")
}

@Test func generateCompletionNamesAShell() throws {
    #expect(try parse(["--generate-completion", "zsh"]).builtin == .completion(.zsh))
    #expect(try parse(["--generate-completion=fish"]).builtin == .completion(.fish))
    #expect(
        usageError(["--generate-completion", "tcsh"])
            == "--generate-completion: unknown shell: tcsh (expected bash, zsh, fish)")
}

@Test func parsesUnicodeAndEmptyArguments() throws {
    let parsed = try parse(["-t", "Привет", "", "--status=🙂"])
    #expect(parsed.value("to") == "Привет")
    #expect(parsed.value("status") == "🙂")
    #expect(parsed.positionals == [""])
}
