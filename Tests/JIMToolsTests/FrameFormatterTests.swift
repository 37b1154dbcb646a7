import Glibc
import JIMCore
import Testing

@testable import JIMTools

@Suite struct FrameFormatterTests {
    func frame(_ json: String) throws -> Frame { try Frame(parsing: Array(json.utf8)) }

    func line(_ json: String, format: String? = nil, raw: Bool = false, terminator: UInt8 = 0x0A) throws -> String {
        let formatter = try FrameFormatter(format: format, raw: raw, terminator: terminator)
        return String(decoding: formatter.render(try frame(json)), as: UTF8.self)
    }

    static let msg =
        ##"{"action":"msg","time":1732460002.50,"to":"#ops","from":"alice","encoding":"ascii","message":"deploy done"}"##

    @Test func defaultLineOfMsgIsTimeFromToMessage() throws {
        #expect(try line(Self.msg) == "1732460002.50\talice\t#ops\tdeploy done\n")
    }

    @Test func defaultLineOfResponseIsCodeAndText() throws {
        #expect(try line(#"{"response":404,"time":3.5,"error":"no such user: bob"}"#) == "404\tno such user: bob\n")
        #expect(try line(#"{"response":200,"time":3.5,"alert":"OK","pipelining":true}"#) == "200\tOK\n")
        #expect(try line(#"{"response":200}"#) == "200\t\n")
    }

    @Test func defaultLineOfOtherActionsIsTimeActionDetail() throws {
        #expect(
            try line(
                #"{"action":"presence","time":1.5,"type":"status","user":{"account_name":"alice","status":"at lunch"}}"#
            )
                == "1.5\tpresence\talice at lunch\n")
        #expect(
            try line(#"{"action":"presence","time":1.5,"user":{"account_name":"alice"}}"#) == "1.5\tpresence\talice\n")
        #expect(
            try line(#"{"action":"authenticate","time":2,"user":{"account_name":"alice","password":"s3cret"}}"#)
                == "2\tauthenticate\talice\n")
        #expect(try line(##"{"action":"join","time":3,"room":"#ops"}"##) == "3\tjoin\t#ops\n")
        #expect(try line(##"{"action":"leave","time":3,"room":"#ops"}"##) == "3\tleave\t#ops\n")
        #expect(try line(#"{"action":"quit"}"#) == "\tquit\t\n")
        #expect(try line(#"{"action":"probe","time":9}"#) == "9\tprobe\t\n")
        #expect(try line(#"{"action":"message","time":4,"mess_text":"x"}"#) == "4\tmessage\t\n")
    }

    @Test func fieldCountTellsTheKindsApart() throws {
        let lines = [
            try line(##"{"action":"msg","time":1,"to":"bob","message":"a\tb\nc"}"##),
            try line(#"{"response":200,"alert":"O\tK"}"#),
            try line(#"{"action":"presence","time":1,"user":{"account_name":"al","status":"a\tb"}}"#),
        ]
        #expect(
            lines.map { $0.dropLast().split(separator: "\t", omittingEmptySubsequences: false).count } == [4, 2, 3])
    }

    @Test func escapesTextSoOneFrameIsOneLine() throws {
        let json = #"{"action":"msg","time":1,"to":"bob","message":"a\nb\tc\\d\r\u0001\u007f\u001b[31m ж😀"}"#
        #expect(try line(json, format: "%m") == #"a\nb\tc\\d\x0D\x01\x7F\x1B[31m ж😀"# + "\n")
    }

    @Test func rawWritesTextAsItIs() throws {
        let json = #"{"action":"msg","time":1,"to":"bob","message":"a\nb\tc\\d\u0001"}"#
        #expect(try line(json, format: "%m", raw: true) == "a\nb\tc\\d\u{1}\n")
    }

    @Test func escapesEveryByteOfALongRun() throws {
        // Long runs go eight bytes at a time: a byte to escape at every offset must still be caught.
        for offset in 0..<20 {
            var text = Array(repeating: "x", count: 20)
            text[offset] = "\\t"
            let json = #"{"action":"msg","time":1,"to":"bob","message":""# + text.joined() + "\"}"
            var expected = Array(repeating: "x", count: 20)
            expected[offset] = "\\t"
            #expect(try line(json, format: "%m") == expected.joined() + "\n")
        }
    }

    @Test func rendersEveryToken() throws {
        let format = #"%a|%f|%t|%m|%s|%c|%e|%%|\t|\\|\n"#
        #expect(try line(Self.msg, format: format) == "msg|alice|#ops|deploy done|1732460002.50|||%|\t|\\|\n\n")
        #expect(
            try line(#"{"response":410,"time":7.25,"error":"bob is offline"}"#, format: format)
                == "||||7.25|410|bob is offline|%|\t|\\|\n\n")
        #expect(try line(##"{"action":"join","time":3,"room":"#ops"}"##, format: "%a %f %t") == "join  #ops\n")
        #expect(try line(#"{"action":"presence","time":3,"user":{"account_name":"al"}}"#, format: "%f") == "al\n")
    }

    @Test func jsonTokenWritesCanonicalCompactJSON() throws {
        let spaced = #"{"action": "msg", "time": 1.50, "to": "bob", "from": "al", "message": "\u0436 \"q\""}"#
        #expect(
            try line(spaced, format: "%j")
                == #"{"action":"msg","time":1.50,"to":"bob","from":"al","message":"ж \"q\""}"# + "\n")
    }

    @Test func nulEscapeAndTerminator() throws {
        #expect(try line(Self.msg, format: #"%f\0%t"#, terminator: 0) == "alice\u{0}#ops\u{0}")
    }

    @Test func missingFieldRendersEmpty() throws {
        #expect(
            try line(##"{"action":"msg","time":1,"to":"#ops","message":"hi"}"##, format: "[%f][%e][%c]") == "[][][]\n")
        #expect(try line(#"{"action":"quit"}"#, format: "[%s][%T]") == "[][]\n")
    }

    @Test(arguments: [
        ("%x", FrameFormatter.FormatError.unknownToken("%x")),
        ("ok %Q", .unknownToken("%Q")),
        ("%ж", .unknownToken("%ж")),
        (#"\q"#, .unknownEscape(#"\q"#)),
        ("100%", .danglingIntroducer("%")),
        (#"a\"#, .danglingIntroducer("\\")),
    ])
    func unknownTokenIsAnError(_ format: String, _ expected: FrameFormatter.FormatError) {
        let error = #expect(throws: FrameFormatter.FormatError.self) { try FrameFormatter(format: format) }
        #expect(error == expected)
    }

    @Test func formatErrorsReadAsTheToolPrintsThem() {
        #expect(FrameFormatter.FormatError.unknownToken("%x").description == "unknown token %x")
        #expect(FrameFormatter.FormatError.danglingIntroducer("%").description == "format ends with a lone %")
    }

    @Test func compilesLiteralTextIntoOneToken() throws {
        let formatter = try FrameFormatter(format: #"<%m>\tend%%"#)
        #expect(formatter.tokens == [.literal(Array("<".utf8)), .message, .literal(Array(">\tend%".utf8))])
    }

    @Test func localTimeIsISO8601WithTheFractionAsSent() throws {
        let text = try line(#"{"response":200,"time":1732460000.250,"alert":"OK"}"#, format: "%T")
        // 2024-11-24T14:53:20.250+00:00 in UTC; check it names the same instant in whatever zone this is.
        let bytes = Array(text.utf8)
        #expect(bytes.count == "2024-11-24T14:53:20.250+00:00\n".utf8.count)
        let body = String(text.dropLast())
        let fraction = body.split(separator: ".")[1].prefix(3)
        #expect(fraction == "250")
        let b = Array(body.utf8)
        func number(_ range: Range<Int>) -> Int32 { Int32(String(decoding: b[range], as: UTF8.self))! }
        var parts = tm()
        parts.tm_year = number(0..<4) - 1900
        parts.tm_mon = number(5..<7) - 1
        parts.tm_mday = number(8..<10)
        parts.tm_hour = number(11..<13)
        parts.tm_min = number(14..<16)
        parts.tm_sec = number(17..<19)
        #expect(b[4] == UInt8(ascii: "-") && b[10] == UInt8(ascii: "T") && b[19] == UInt8(ascii: "."))
        let sign = b[b.count - 6] == UInt8(ascii: "+") ? 1 : -1
        #expect(b[b.count - 6] == UInt8(ascii: "+") || b[b.count - 6] == UInt8(ascii: "-"))
        let offset =
            sign * (Int(number((b.count - 5)..<(b.count - 3))) * 3600 + Int(number((b.count - 2)..<b.count)) * 60)
        #expect(timegm(&parts) - offset == 1_732_460_000)
    }

    static let checkedFrames = [
        Self.msg,
        #"{"action":"msg","time":1,"to":"bob","message":"plain"}"#,
        ##"{"action":"msg","time":-1.5e3,"to":"#ops","from":"al","encoding":"utf-8","message":"жж 😀 \u0436\ud83d\ude00"}"##,
        #"{"action":"msg","time":1,"to":"bob","from":"al","message":"a\nb\tc\\d\"e\/f\u0001\b\f\r\u007f"}"#,
        #"{ "action" : "msg" , "time" : 1 , "to" : "bob" , "message" : "spaced" , "extra" : [1, {"x": null}] }"#,
        #"{"action":"msg","time":1,"to":"жора","from":"al","message":"non-ASCII target"}"#,
        #"{"action":"msg","time":1,"to":"b\u006fb","message":"escaped target"}"#,
        #"{"action":"msg","time":1,"to":"bob","message":""# + String(repeating: "ж", count: 500) + "\"}",
        #"{"action":"msg","time":1,"to":"bob","message":""# + String(repeating: "\\n", count: 500) + "\"}",
        #"{"response":200,"time":2,"alert":"OK"}"#,
        ##"{"action":"join","time":3,"room":"#ops"}"##,
    ]

    @Test(arguments: [nil, "%m", "%a|%f|%t|%s|%m|%c|%e", "%j", "%T %m"] as [String?])
    func checkedRenderingMatchesTheTypedFrame(_ format: String?) throws {
        for raw in [false, true] {
            let formatter = try FrameFormatter(format: format, raw: raw)
            for json in Self.checkedFrames {
                var fast: [UInt8] = []
                let kept = try formatter.render(checking: ArraySlice(json.utf8), into: &fast)
                #expect(kept)
                #expect(
                    String(decoding: fast, as: UTF8.self)
                        == String(decoding: formatter.render(try frame(json)), as: UTF8.self), "\(json)")
            }
        }
    }

    @Test(arguments: [
        #"{"action":"msg","time":1,"to":"bob","message":""# + String(repeating: "ж", count: 501) + "\"}",
        #"{"action":"msg","time":1,"to":"bob","message":""# + String(repeating: "\\n", count: 501) + "\"}",
        #"{"\u0061ction":"join","action":"msg","time":1,"to":"bob","message":"hi"}"#,
        #"{"action":"msg","time":1,"to":"bob","message":"hi","\u006dessage":"x"}"#,
        #"{"action":"msg","time":"1","to":"bob","message":"hi"}"#,
        #"{"action":"msg","time":1,"to":"bob bob","message":"hi"}"#,
        ##"{"action":"msg","time":1,"to":"bob","from":"#al","message":"hi"}"##,
        #"{"action":"msg","time":1,"to":"bob","message":"hi","encoding":5}"#,
        ###"{"action":"msg","time":1,"to":"##ops","message":"hi"}"###,
        #"{"action":"msg","time":1,"to":"bob","message":"a\u0000\ud800"}"#,
        #"{"action":"msg","time":1,"to":"bob","message":"hi",}"#,
    ])
    func checkedRenderingRejectsWhatTheTypedParserRejects(_ json: String) {
        let typed = #expect(throws: FrameError.self) { try frame(json) }
        var out: [UInt8] = []
        let checked = #expect(throws: FrameError.self) {
            try FrameFormatter().render(checking: ArraySlice(json.utf8), into: &out)
        }
        #expect(checked == typed)
        #expect(out.isEmpty)
    }

    @Test func checkedRenderingAsksWhetherToKeepTheAction() throws {
        let formatter = try FrameFormatter(format: "%m")
        var out: [UInt8] = []
        var asked: [String?] = []
        for json in [Self.msg, #"{"response":200}"#] {
            #expect(
                try !formatter.render(
                    checking: ArraySlice(json.utf8),
                    keep: {
                        asked.append($0)
                        return false
                    }, into: &out))
        }
        #expect(asked == ["msg", nil])
        #expect(out.isEmpty)
    }

    @Test func byteNameCheckAgreesWithNames() {
        var names = [
            "alice", "#ops", "жора", "#боты", "ёжик", "日本", "😀", "a😀b", "", "#", "##x", "#a#b", "a#b", "a:b", "a b",
        ]
        names += [
            String(repeating: "ж", count: 25), String(repeating: "ж", count: 26),
            "#" + String(repeating: "😀", count: 24),
        ]
        names += ["#" + String(repeating: "😀", count: 25), String(repeating: "x", count: 26)]
        names += [String(repeating: "x", count: 25), "#" + String(repeating: "x", count: 24), "#" + String(repeating: "x", count: 25)]
        // Every White_Space and control character, and their neighbours, inside a name and a room.
        var scalars: [UInt32] = Array(0x00...0x21) + Array(0x7E...0xA1) + [0x1680, 0x167F, 0x1681, 0x180E, 0x200B]
        scalars +=
            Array(0x1FFF...0x200B) + [
                0x2027, 0x2028, 0x2029, 0x202A, 0x202E, 0x202F, 0x2030, 0x205F, 0x2060, 0x3000, 0xFEFF,
            ]
        for v in scalars {
            let c = String(UnicodeScalar(v)!)
            names += ["a" + c + "b", "#x" + c, c, "abcdefg" + c + "hijklmnop", "#abcdefghijklm" + c, c + "abcdefghijkl"]
        }
        for name in names {
            for room in [false, true] {
                let expected = (room ? Names.roomProblem(name) : Names.userProblem(name)) == nil
                var copy = name
                let got = copy.withUTF8 {
                    Names.isValid(utf8: UnsafeRawBufferPointer($0), room: room, limits: .standard)
                }
                #expect(got == expected, "\(name.unicodeScalars.map { String($0.value, radix: 16) }) room: \(room)")
            }
        }
    }

    @Test func localTimeSplitsLiterals() {
        #expect(FrameFormatter.LocalTime.split("1732460000.250")! == (1_732_460_000, "250"))
        #expect(FrameFormatter.LocalTime.split("1732460000")! == (1_732_460_000, ""))
        #expect(FrameFormatter.LocalTime.split("1.5e9")! == (1_500_000_000, ""))
        #expect(FrameFormatter.LocalTime.split("-1.25")! == (-2, "75"))
        #expect(FrameFormatter.LocalTime.split("1e300") == nil)
    }
}

private func == (a: (Int, Substring), b: (Int, Substring)) -> Bool { a.0 == b.0 && a.1 == b.1 }
