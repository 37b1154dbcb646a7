import JIMCLI
import Testing

@Test func parsesIntegersAndNamesTheOptionInErrors() throws {
    #expect(try ValueParser.integer("42", for: "--count") == 42)
    #expect(throws: UsageError("--count: not a number: x")) { try ValueParser.integer("x", for: "--count") }
    #expect(throws: UsageError("--count: not a number: 1.5")) { try ValueParser.integer("1.5", for: "--count") }
    #expect(throws: UsageError("--count: not a number: ")) { try ValueParser.integer("", for: "--count") }
    #expect(throws: UsageError("PORT: must be between 1 and 65535: 70000")) {
        try ValueParser.integer("70000", for: "PORT", in: 1...65535)
    }
}

@Test func parsesDurationsWithUnits() throws {
    #expect(try ValueParser.duration("2", for: "--timeout") == 2)
    #expect(try ValueParser.duration("0.5", for: "--timeout") == 0.5)
    #expect(try ValueParser.duration("250ms", for: "--timeout") == 0.25)
    #expect(try ValueParser.duration("30s", for: "--timeout") == 30)
    #expect(try ValueParser.duration("5m", for: "--timeout") == 300)
    #expect(try ValueParser.duration("1h", for: "--timeout") == 3600)
    for bad in ["", "-1", "x", "1x", "ms", "1e3", "nan", "inf"] {
        #expect(throws: UsageError("--timeout: not a duration: \(bad)")) {
            try ValueParser.duration(bad, for: "--timeout")
        }
    }
}

@Test func parsesFiniteNumbers() throws {
    #expect(try ValueParser.number("1732460000.25", for: "--time") == 1_732_460_000.25)
    #expect(try ValueParser.number("-1.5e3", for: "--time") == -1500)
    for bad in ["nan", "inf", "0x10", "", "1,5"] {
        #expect(throws: UsageError("--time: not a number: \(bad)")) { try ValueParser.number(bad, for: "--time") }
    }
}

@Test func parsedArgumentsConvertValues() throws {
    let spec = CommandSpec(
        name: "t", summary: "",
        options: [.value("C", "count", "N", help: "n"), .value("W", "timeout", "SECONDS", help: "w")])
    let parsed = try OptionParser(spec: spec).parse(["-C", "3", "-W", "1.5"])
    #expect(try parsed.integer("count", in: 1...10) == 3)
    #expect(try parsed.duration("timeout") == 1.5)
    let bad = try OptionParser(spec: spec).parse(["-C", "many"])
    #expect(throws: UsageError("--count: not a number: many")) { try bad.integer("count") }
    #expect(try bad.duration("timeout") == nil)
}
