import JIMCLI
import Testing

@Test func sampleSpecsAreWellFormed() {
    #expect(SampleSpecs.encode.problems() == [])
    #expect(SampleSpecs.send.problems() == [])
    #expect(SampleSpecs.minimal.problems() == [])
}

@Test func findsMistakesInATable() {
    let spec = CommandSpec(
        name: "bad",
        summary: "",
        options: [
            .flag("v", "verbose", help: ""),
            .flag("v", "vv", help: ""),
            .flag("verbose", help: ""),
            .flag("h", "hello", help: ""),
            .flag("version", help: ""),
            .value("x=y", "V", help: ""),
        ],
        positionals: [
            PositionalSpec("A", help: "", optional: true, variadic: true),
            PositionalSpec("B", help: ""),
        ],
        actions: [ActionSpec("go", help: ""), ActionSpec("go", help: ""), ActionSpec("-x", help: "")]
    )
    let problems = spec.problems()
    for expected in [
        "duplicate option -v", "duplicate option --verbose", "duplicate option -h", "duplicate option --version",
        "bad long name: x=y", "bad: variadic A is not last", "bad: required B follows an optional one",
        "duplicate action go", "bad action name: -x",
    ] {
        #expect(problems.contains(expected), "missing problem: \(expected) in \(problems)")
    }
}

@Test func builtinOptionsAreAlwaysThere() {
    let names = SampleSpecs.minimal.allOptions.map(\.long)
    #expect(names == ["help", "version", "generate-completion"])
    #expect(SampleSpecs.minimal.visibleOptions.map(\.long) == ["help", "version"])
}

@Test func exitStatusesFollowSysexits() {
    let expected: [(JIMCLI.ExitStatus, Int32)] = [
        (.ok, 0), (.failure, 1), (.usage, 64), (.dataError, 65), (.noInput, 66), (.unavailable, 69),
        (.software, 70), (.ioError, 74), (.tempFail, 75), (.noPermission, 77),
    ]
    for (status, code) in expected {
        #expect(status.rawValue == code)
        #expect(!status.description.isEmpty)
    }
    #expect(JIMCLI.ExitStatus.allCases.count == expected.count)
    #expect(JIMCLI.ExitStatus.tempFail.description == "timed out")
}

@Test func worstKeepsTheFirstFailure() {
    #expect(JIMCLI.ExitStatus.ok.worst(.ok) == .ok)
    #expect(JIMCLI.ExitStatus.ok.worst(.dataError) == .dataError)
    #expect(JIMCLI.ExitStatus.failure.worst(.dataError) == .failure)
    #expect(JIMCLI.ExitStatus.unavailable.worst(.ok) == .unavailable)
}

@Test func versionComesFromOnePlace() {
    #expect(JIMVersion.string == "0.1.0")
    #expect(SampleSpecs.send.version == JIMVersion.string)
}
