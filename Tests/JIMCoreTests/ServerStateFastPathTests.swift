import Testing
@testable import JIMCore

/// The `msg` fast path must do exactly what the full parser path does, frame for frame.
@Suite struct ServerStateFastPathTests {
    /// A server with alice (1) and bob (2) online, both in #ops, carol (3) online but in no room, dave seen.
    func world(fast: Bool) -> ServerStateHarness {
        var h = ServerStateHarness(ServerConfiguration(logLevel: .debug))
        h.state.fastPath = fast
        h.guest(1, "alice")
        h.guest(2, "bob")
        h.guest(3, "carol")
        h.guest(4, "dave")
        h.send(4, #"{"action":"quit"}"#)
        h.send(1, h.join("#ops"))
        h.send(2, h.join("#ops"))
        h.send(3, h.join("#dev"))
        return h
    }

    static let long = String(repeating: "x", count: 500)
    static let tooLong = String(repeating: "ж", count: 501)

    static let frames: [String] = [
        #"{"action":"msg","time":1.5,"to":"bob","from":"alice","encoding":"ascii","message":"hi"}"#,
        #"{"action": "msg", "time": 1.5, "to": "bob", "from": "alice", "encoding": "ascii", "message": "hi"}"#,
        #"{ "message" : "hi" , "encoding" : "utf-8" , "from" : "alice" , "to" : "bob" , "time" : 17e2 , "action" : "msg" }"#,
        "{\"action\":\"msg\",\r\n\"time\":1.5,\"to\":\"bob\",\"from\":\"alice\",\"encoding\":\"ascii\",\"message\":\"hi\"}",
        "{\"action\":\"msg\",\t\"time\":1.5,\"to\":\"bob\",\"from\":\"alice\",\"encoding\":\"ascii\",\"message\":\"hi\"}",
        ##"{"action":"msg","time":1.5,"to":"#ops","from":"alice","encoding":"ascii","message":"to the room"}"##,
        ##"{"action":"msg","time":1.5,"to":"#dev","from":"alice","encoding":"ascii","message":"not joined"}"##,
        ##"{"action":"msg","time":1.5,"to":"#nope","from":"alice","encoding":"ascii","message":"no room"}"##,
        ###"{"action":"msg","time":1.5,"to":"##ops","from":"alice","encoding":"ascii","message":"bad room"}"###,
        ##"{"action":"msg","time":1.5,"to":"#","from":"alice","encoding":"ascii","message":"bad room"}"##,
        #"{"action":"msg","time":1.5,"to":"dave","from":"alice","encoding":"ascii","message":"offline"}"#,
        #"{"action":"msg","time":1.5,"to":"zed","from":"alice","encoding":"ascii","message":"unknown"}"#,
        #"{"action":"msg","time":1.5,"to":"bob","from":"bob","encoding":"ascii","message":"spoof"}"#,
        #"{"action":"msg","time":1.5,"to":"bob","from":"alic","encoding":"ascii","message":"spoof"}"#,
        #"{"action":"msg","time":1.5,"to":"bob","encoding":"ascii","message":"no from"}"#,
        #"{"action":"msg","time":1.5,"to":"bob","from":"alice","message":"no encoding"}"#,
        #"{"action":"msg","time":1.5,"to":"bob","from":"alice","encoding":"ascii","message":"\u043f\u0440\u0438 \ud83d\ude00 \"q\" \\ \/ \b\f\n\r\t"}"#,
        #"{"action":"msg","time":1.5,"to":"bob","from":"alice","encoding":"utf-8","message":"привет 😀 ünï"}"#,
        #"{"action":"msg","time":1.5,"to":"bob","from":"alice","encoding":"ascii","message":"lone \ud83d"}"#,
        #"{"action":"msg","time":1.5,"to":"bob","from":"alice","encoding":"ascii","message":"lone \ude00"}"#,
        #"{"action":"msg","time":1.5,"to":"bob","from":"alice","encoding":"ascii","message":"bad \x"}"#,
        #"{"action":"msg","time":1.5,"to":"bob","from":"alice","encoding":"ascii","message":"bad \u12"}"#,
        #"{"action":"msg","time":1.5,"to":"bob","from":"alice","encoding":"ascii","message":"\#(long)"}"#,
        #"{"action":"msg","time":1.5,"to":"bob","from":"alice","encoding":"ascii","message":"\#(long)x"}"#,
        #"{"action":"msg","time":1.5,"to":"bob","from":"alice","encoding":"ascii","message":"\#(tooLong)"}"#,
        "{\"action\":\"msg\",\"time\":1.5,\"to\":\"bob\",\"from\":\"alice\",\"encoding\":\"ascii\",\"message\":\"tab\traw\"}",
        #"{"action":"msg","time":1.5,"to":"bob","from":"alice","encoding":"ascii","message":"hi","extra":[1,{"a":2}]}"#,
        #"{"action":"msg","time":1.5,"to":"bob","from":"alice","encoding":"ascii","message":"hi","message":"twice"}"#,
        #"{"action":"msg","time":1.5,"to":"bob","to":"carol","from":"alice","encoding":"ascii","message":"hi"}"#,
        #"{"action":"msg","time":"1.5","to":"bob","from":"alice","encoding":"ascii","message":"hi"}"#,
        #"{"action":"msg","to":"bob","from":"alice","encoding":"ascii","message":"no time"}"#,
        #"{"action":"msg","time":1.5,"from":"alice","encoding":"ascii","message":"no to"}"#,
        #"{"action":"msg","time":1.5,"to":"bob","from":"alice","encoding":"ascii"}"#,
        #"{"action":"msg","time":01,"to":"bob","from":"alice","encoding":"ascii","message":"hi"}"#,
        #"{"action":"msg","time":1.,"to":"bob","from":"alice","encoding":"ascii","message":"hi"}"#,
        #"{"action":"msg","time":-0.5e-3,"to":"bob","from":"alice","encoding":"ascii","message":"hi"}"#,
        #"{"action":"msg","time":1e,"to":"bob","from":"alice","encoding":"ascii","message":"hi"}"#,
        #"{"action":"msg","time":1.5,"to":"bob","from":"alice","encoding":"ascii","message":"hi",}"#,
        #"{"action":"msg","time":1.5,"to":"bob","from":"alice","encoding":"ascii","message":"hi"} x"#,
        #"{"action":"msg","time":1.5,"to":"bob","from":"alice","encoding":"ascii","message":"hi""#,
        #"{"action":"msg","time":1.5,"to":"bob:x","from":"alice","encoding":"ascii","message":"hi"}"#,
        #"{"action":"msg","time":1.5,"to":"bob x","from":"alice","encoding":"ascii","message":"hi"}"#,
        #"{"action":"msg","time":1.5,"to":"","from":"alice","encoding":"ascii","message":"hi"}"#,
        #"{"action":"msg","time":1.5,"to":"abcdefghijklmnopqrstuvwxyz","from":"alice","encoding":"ascii","message":"hi"}"#,
        ##"{"action":"msg","time":1.5,"to":"bob","from":"#alice","encoding":"ascii","message":"hi"}"##,
        #"{"action":"msg","time":1.5,"to":"b\u006fb","from":"alice","encoding":"ascii","message":"escaped name"}"#,
        #"{"action":"msg","time":1.5,"to":"bob","from":"alice","encoding":5,"message":"hi"}"#,
        #"{"action":"Msg","time":1.5,"to":"bob","from":"alice","encoding":"ascii","message":"hi"}"#,
        #"{"action":"m\u0073g","time":1.5,"to":"bob","from":"alice","encoding":"ascii","message":"hi"}"#,
        #"{"action":"msg","time":1.5,"to":"bob","from":"alice","encoding":"ascii","message":null}"#,
        #"{"action":"msg","time":true,"to":"bob","from":"alice","encoding":"ascii","message":"hi"}"#,
        #"{"action":"msg","time":1.5,"to":"alice","from":"alice","encoding":"ascii","message":"self"}"#,
        "{\"action\":\"msg\",\"time\":1.5,\"to\":\"bob\",\"from\":\"alice\",\"encoding\":\"ascii\",\"message\":\"bad \u{7F} del is fine\"}",
    ]

    static let badBytes: [[UInt8]] = [
        // Invalid UTF-8 in the message: a lone continuation byte, an overlong form, a surrogate, past U+10FFFF, truncated.
        [0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0xF0, 0x9F, 0x98, 0x80],
    ].map { bad in
        Array(#"{"action":"msg","time":1.5,"to":"bob","from":"alice","encoding":"ascii","message":"x"#.utf8) + bad + Array(#"y"}"#.utf8)
    }

    @Test func theFastPathAnswersEveryFrameLikeTheFullParser() {
        var fast = world(fast: true)
        var full = world(fast: false)
        let inputs = Self.frames.map { Array($0.utf8) } + Self.badBytes
        for bytes in inputs {
            let a = fast.step(.frame(ConnectionID(1), bytes[...]))
            let b = full.step(.frame(ConnectionID(1), bytes[...]))
            #expect(a.sent.map(\.0) == b.sent.map(\.0), "\(String(decoding: bytes, as: UTF8.self))")
            #expect(a.sent.map(\.1) == b.sent.map(\.1), "\(String(decoding: bytes, as: UTF8.self))")
            #expect(a.logs == b.logs)
        }
    }

    @Test func theFastPathForwardsTheReceivedBytesWithoutCopying() {
        var h = world(fast: true)
        let bytes = Array(#"{"action":"msg","time":1.5,"to":"bob","from":"alice","encoding":"ascii","message":"hi"}"#.utf8)
        let out = h.step(.frame(ConnectionID(1), bytes[...]))
        guard case .send(ConnectionID(2), let forwarded) = out.actions.first else {
            Issue.record("no forward: \(out.sent)")
            return
        }
        let same = forwarded.withUnsafeBufferPointer { f in bytes.withUnsafeBufferPointer { $0.baseAddress == f.baseAddress } }
        #expect(same)
    }

    @Test(arguments: [
        (#"{"action":"msg","time":1,"to":"bob","from":"alice","encoding":"ascii","message":"hi"}"#, true),
        (##"{"action":"msg","time":1,"to":"#ops","from":"alice","encoding":"ascii","message":"hi"}"##, true),
        (#"{"action":"msg","time":1,"to":"bob","encoding":"ascii","message":"hi"}"#, true),
        (#"{"action":"msg","time":1,"to":"bob","from":"alice","encoding":"ascii","message":"hi","x":1}"#, false),
        (#"{"action":"presence","time":1,"user":{"account_name":"alice"}}"#, false),
        (#"{"action":"msg","time":1,"to":"bob","from":"alice","encoding":"ascii","message":"\ud800"}"#, false),
    ])
    func theScannerAcceptsOnlyTheCommonShape(_ text: String, _ accepted: Bool) {
        let bytes = Array(text.utf8)
        let scan = bytes.withUnsafeBytes { MessageScan.scan($0, limits: .standard) }
        #expect((scan != nil) == accepted)
    }
}
