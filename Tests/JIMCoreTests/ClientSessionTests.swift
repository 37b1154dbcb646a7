import Testing

@testable import JIMCore

/// `ClientSession`: PROTOCOL.md sections 4 to 6 from the client's side.
@Suite struct ClientSessionTests {
    // MARK: - Identity

    @Test func identifiesFirstWithPresenceCarryingTypeStatusAndTime() throws {
        var h = ClientSessionHarness(name: "alice", status: "busy")
        h.send("queued before connecting")
        #expect(h.takeSent().isEmpty)
        h.step(.connected)
        let sent = h.takeSent()
        #expect(sent.count == 1)
        let presence = try #require(sent.first?.request)
        #expect(
            presence
                == .presence(
                    Presence(
                        accountName: "alice", status: "busy", type: "status", time: JSONNumber(literal: "1732460000.25")
                    )))
        #expect(!h.session.wantsInput)
    }

    @Test func aGuestWithoutStatusSaysOnline() {
        var h = ClientSessionHarness(name: "bob")
        h.step(.connected)
        guard case .presence(let p)? = h.takeSent().first?.request else {
            Issue.record("no presence")
            return
        }
        #expect(p.status == "online")
    }

    @Test func aTimeIsWrittenWithAFraction() {
        var h = ClientSessionHarness()
        h.session = ClientSession(configuration: .init(identity: .init(name: "alice"), clock: { 1_732_460_000 }))
        h.step(.connected)
        let frame = h.takeSent().first
        guard case .number(let t)? = frame?.object["time"] else {
            Issue.record("no time")
            return
        }
        #expect(t.text == "1732460000.00")
    }

    @Test func aPasswordMakesItAuthenticateThenSendItsStatus() {
        var h = ClientSessionHarness(name: "carol", status: "away", password: "s3cret")
        h.step(.connected)
        #expect(
            h.takeSent().first?.request
                == .authenticate(
                    Credentials(accountName: "carol", password: "s3cret", time: JSONNumber(literal: "1732460000.25"))))
        h.answer(200)
        let next = h.takeSent()
        #expect(next.map { $0.request?.action } == ["presence"])
        // The status presence's own answer is the session's business, not the tool's.
        #expect(h.answer(200).isEmpty)
    }

    @Test func authenticateWithoutStatusSendsNoPresence() {
        var h = ClientSessionHarness(name: "carol", password: "pw")
        h.step(.connected)
        _ = h.takeSent()
        let actions = h.answer(200)
        #expect(actions.map(\.name) == ["identified", "ready"])
        #expect(h.takeSent().isEmpty)
    }

    @Test func aRefusedIdentityIsReportedAndEndsWithQuit() {
        var h = ClientSessionHarness()
        h.send("never sent")
        h.step(.connected)
        _ = h.takeSent()
        let actions = h.answer(409)
        #expect(actions.map(\.name) == ["answered - 409", "finished"])
        #expect(actions.first?.answer?.request == .identify)
        #expect(h.takeSentActions() == ["quit"])
        #expect(h.session.phase == .finished)
        #expect(h.step(.disconnected(reason: "closed")).isEmpty)
    }

    // MARK: - The window

    @Test func withoutPipeliningOneRequestIsInFlight() {
        var h = ClientSessionHarness(window: 64)
        h.identify(pipelining: false)
        #expect(!h.session.isPipelining)
        _ = h.takeSent()
        #expect(h.session.wantsInput)
        h.send("one")
        #expect(!h.session.wantsInput)
        h.send("two")
        h.send("three")
        #expect(h.takeSent().count == 1)
        #expect(h.session.pendingCount == 2)
        h.answer()
        #expect(h.takeSent().map { $0.request.map { if case .msg(let m) = $0 { m.message } else { "" } } } == ["two"])
        h.answer()
        h.answer()
        #expect(h.takeSent().count == 1)
        #expect(h.session.inFlightCount == 0)
        #expect(h.session.wantsInput)
    }

    @Test func pipeliningOpensTheWindowAndAnswersKeepItFull() {
        var h = ClientSessionHarness(window: 4)
        h.identify(pipelining: true)
        #expect(h.session.isPipelining)
        _ = h.takeSent()
        for i in 1...10 { h.send("m\(i)") }
        #expect(h.takeSent().count == 4)
        #expect(h.session.inFlightCount == 4)
        #expect(!h.session.wantsInput)
        h.answer(count: 3)
        #expect(h.takeSent().count == 3)
        h.answer(count: 7)
        #expect(h.takeSent().count == 3)
        #expect(h.session.inFlightCount == 0)
        #expect(h.session.pendingCount == 0)
        #expect(h.session.wantsInput)
    }

    @Test func nothingButTheIdentityGoesBeforeItsAnswer() {
        var h = ClientSessionHarness(rooms: ["#ops"], window: 8)
        h.step(.connected)
        h.send("early")
        #expect(h.takeSentActions() == ["presence"])
        h.answer(200)
        // Pipelining was not announced: one at a time, the configured room first.
        #expect(h.takeSentActions() == ["join"])
    }

    @Test func answersMatchRecordsInOrder() {
        var h = ClientSessionHarness()
        h.identify()
        h.send("a")
        h.send("b")
        h.send("c")
        let actions = h.answer(200) + h.answer(410) + h.answer(404)
        #expect(
            actions.compactMap(\.answer).map { [$0.record ?? 0, $0.response.code.rawValue] } == [
                [1, 200], [2, 410], [3, 404],
            ])
        #expect(actions.compactMap(\.answer).allSatisfy { $0.request == .message(to: "bob") })
        #expect(actions.compactMap(\.answer)[1].response.text == "no")
    }

    @Test func aResponseWithNoRequestWaitingIsUnexpectedAndChangesNothing() {
        var h = ClientSessionHarness()
        h.identify()
        #expect(h.answer(200).map(\.name) == ["unexpected"])
        h.send("a")
        #expect(h.answer(200).compactMap(\.answer).first?.record == 1)
    }

    @Test func aSplitRecordIsOneRequestPerFrame() {
        var h = ClientSessionHarness()
        h.identify(pipelining: false)
        _ = h.takeSent()
        let one = Frame(.msg(Message(to: "bob", from: "alice", message: "first half", time: JSONNumber(1.5)))).encoded()
        let two = Frame(.msg(Message(to: "bob", from: "alice", message: "second half", time: JSONNumber(1.5))))
            .encoded()
        h.step(.submit(.init(record: 7, kind: .message(to: "bob"), bytes: one + two, frames: 2)))
        #expect(h.takeSent().count == 1)
        let first = h.answer(200)
        #expect(h.takeSent().count == 1)
        let second = h.answer(410)
        #expect((first + second).compactMap(\.answer).map(\.record) == [7, 7])
        #expect(h.session.unacknowledgedRecords.isEmpty)
    }

    @Test func aPlainOKIsRecognisedOnlyWhenItIsExactlyThat() {
        func plain(_ s: String) -> Bool { ClientSession.isPlainOK(Array(s.utf8)[...]) }
        #expect(plain(#"{"response":200,"time":1732460000.5,"alert":"OK"}"#))
        #expect(plain(#"{"response":200,"time":0,"alert":"OK"}"#))
        #expect(!plain(#"{"response":200,"time":1.5,"alert":"OK","pipelining":true}"#))
        #expect(!plain(#"{"response":201,"time":1.5,"alert":"OK"}"#))
        #expect(!plain(#"{"response":200,"time":01.5,"alert":"OK"}"#))
        #expect(!plain(#"{"response":200,"time":1.,"alert":"OK"}"#))
        #expect(!plain(#"{"response":200,"time":1.5.5,"alert":"OK"}"#))
        #expect(!plain(#"{"response":200,"time":,"alert":"OK"}"#))
        #expect(!plain(#"{"response":200,"time":"1","alert":"OK"}"#))
        #expect(!plain(#"{"response":200, "time":1.5,"alert":"OK"}"#))
    }

    @Test func aPlainOKAnswersLikeTheParsedFrame() {
        var h = ClientSessionHarness()
        h.identify()
        h.send("a")
        h.send("b")
        let actions = h.step(.receivedPlainOK) + h.answer(200)
        #expect(
            actions.compactMap(\.answer) == [
                ClientSession.Answer(request: .message(to: "bob"), record: 1, response: Response(.ok, "OK")),
                ClientSession.Answer(request: .message(to: "bob"), record: 2, response: Response(.ok, "OK")),
            ])
        #expect(h.step(.receivedPlainOK).map(\.name) == ["unexpected"])
    }

    // MARK: - Rooms

    @Test func aMessageToARoomIsPrecededByOneJoin() {
        var h = ClientSessionHarness()
        h.identify()
        _ = h.takeSent()
        h.send("hello", to: "#ops")
        h.send("again", to: "#ops")
        h.send("direct", to: "bob")
        #expect(h.takeSentActions() == ["join", "msg", "msg", "msg"])
        let actions = h.answer(201) + h.answer(200, count: 3)
        #expect(actions.map(\.name) == ["joined #ops", "answered 1 200", "answered 2 200", "answered 3 200"])
        #expect(h.session.joinedRooms == ["#ops"])
        h.send("later", to: "#ops")
        #expect(h.takeSentActions() == ["msg"])
    }

    @Test func aRefusedJoinIsReportedForTheRecordThatNeededIt() {
        var h = ClientSessionHarness()
        h.identify()
        h.send("hello", to: "#ops")
        let actions = h.answer(403) + h.answer(403)
        let answers = actions.compactMap(\.answer)
        #expect(answers.map(\.request) == [.join("#ops"), .message(to: "#ops")])
        #expect(answers.map(\.record) == [1, 1])
        #expect(h.session.joinedRooms.isEmpty)
        // The next message to the room tries again.
        _ = h.takeSent()
        h.send("retry", to: "#ops")
        #expect(h.takeSentActions() == ["join", "msg"])
    }

    @Test func configuredRoomsAreJoinedInOrderThenReady() {
        var h = ClientSessionHarness(rooms: ["#a", "#b"])
        h.identify()
        let sent = h.takeSent().dropFirst()
        #expect(sent.map { if case .join(let r)? = $0.request { r.room } else { "" } } == ["#a", "#b"])
        #expect(h.answer(201).map(\.name) == ["joined #a"])
        #expect(h.answer(200).map(\.name) == ["joined #b", "ready"])
    }

    @Test func aRefusedConfiguredRoomIsReportedAndNeverReady() {
        var h = ClientSessionHarness(rooms: ["#a"])
        h.identify()
        let actions = h.answer(403)
        #expect(actions.map(\.name) == ["answered - 403"])
        #expect(actions.first?.answer?.request == .join("#a"))
    }

    @Test func joinAndLeaveFramesFromInputAreAnsweredAsRecords() {
        var h = ClientSessionHarness()
        h.identify()
        _ = h.takeSent()
        let join = Frame(.join(RoomRequest(room: "#x", time: JSONNumber(1.5)))).encoded()
        let leave = Frame(.leave(RoomRequest(room: "#x", time: JSONNumber(1.5)))).encoded()
        h.step(.submit(.init(record: 5, kind: .join("#x"), bytes: join)))
        h.send("in the room", to: "#x")
        h.step(.submit(.init(record: 7, kind: .leave("#x"), bytes: leave)))
        // The explicit join is enough: no second join before the message.
        #expect(h.takeSentActions() == ["join", "msg", "leave"])
        let actions = h.answer(201) + h.answer(200) + h.answer(200)
        #expect(actions.map(\.name) == ["joined #x", "answered 5 201", "answered 1 200", "answered 7 200"])
        #expect(h.session.joinedRooms.isEmpty)
    }

    // MARK: - Pushes and probes

    @Test func aPushedMsgIsHandedOnAndMatchesNoRequest() {
        var h = ClientSessionHarness()
        h.identify()
        h.send("a")
        let actions = h.reply(
            #"{"action":"msg","time":2.5,"to":"alice","from":"bob","encoding":"ascii","message":"hi"}"#)
        guard case .message(let view)? = actions.first, actions.count == 1 else {
            Issue.record("expected one message, got \(actions.map(\.name))")
            return
        }
        #expect(view.string(.message) == "hi")
        #expect(h.session.inFlightCount == 1)
    }

    @Test func noticesArePushesNotAnswers() {
        var h = ClientSessionHarness()
        h.identify()
        h.send("a")
        #expect(h.reply(#"{"response":101,"time":2.5,"alert":"server going down"}"#).map(\.name) == ["push"])
        #expect(h.session.inFlightCount == 1)
        #expect(h.reply(#"{"action":"something","time":2.5}"#).map(\.name) == ["push"])
        #expect(h.answer(410).first?.answer?.record == 1)
    }

    @Test func aProbeIsAnsweredWithPresenceUnseenByTheTool() {
        var h = ClientSessionHarness(status: "here")
        h.identify()
        _ = h.takeSent()
        #expect(h.reply(#"{"action":"probe","time":3.5}"#).isEmpty)
        let sent = h.takeSent()
        #expect(sent.map { $0.request?.action } == ["presence"])
        guard case .presence(let p)? = sent.first?.request else { return }
        #expect(p.accountName == "alice" && p.status == "here" && p.type == "status")
        #expect(h.answer(200).isEmpty)
    }

    @Test func aProbeJumpsTheQueueButNotTheRequestInFlight() {
        var h = ClientSessionHarness()
        h.identify(pipelining: false)
        h.send("a")
        h.send("b")
        _ = h.takeSent()
        h.reply(#"{"action":"probe","time":3.5}"#)
        #expect(h.takeSent().isEmpty)
        h.answer(200)
        #expect(h.takeSentActions() == ["presence"])
        #expect(h.answer(200).isEmpty)
        #expect(h.takeSentActions() == ["msg"])
        #expect(h.answer(200).first?.answer?.record == 2)
    }

    @Test func aProbeDuringAuthenticateIsAnsweredOnceIdentified() {
        var h = ClientSessionHarness(password: "pw")
        h.step(.connected)
        _ = h.takeSent()
        h.reply(#"{"action":"probe","time":3.5}"#)
        #expect(h.takeSent().isEmpty)
        h.answer(200)
        #expect(h.takeSentActions() == ["presence"])
    }

    @Test func aProbeDuringPresenceNeedsNoSecondPresence() {
        var h = ClientSessionHarness()
        h.step(.connected)
        _ = h.takeSent()
        h.reply(#"{"action":"probe","time":3.5}"#)
        h.answer(200)
        #expect(h.takeSent().isEmpty)
    }

    @Test func oddFramesAreUnexpected() {
        var h = ClientSessionHarness()
        h.identify()
        #expect(h.reply(#"{"x":1}"#).map(\.name) == ["unexpected"])
        #expect(h.reply(#"{"response":"200"}"#).map(\.name) == ["unexpected"])
        #expect(h.reply(#"{"response":2000}"#).map(\.name) == ["unexpected"])
        #expect(h.reply(#"{"action":7}"#).map(\.name) == ["unexpected"])
        #expect(h.step(.badFrame(FrameError(.syntax, "junk"))).map(\.name) == ["unexpected"])
    }

    // MARK: - Ending

    @Test func endOfInputWaitsForEveryAnswerThenQuits() {
        var h = ClientSessionHarness()
        h.identify()
        h.send("a")
        h.send("b")
        _ = h.takeSent()
        #expect(h.step(.endOfInput).isEmpty)
        #expect(!h.session.wantsInput)
        #expect(h.answer(200).map(\.name) == ["answered 1 200"])
        #expect(h.takeSent().isEmpty)
        #expect(h.answer(200).map(\.name) == ["answered 2 200", "finished"])
        #expect(h.takeSentActions() == ["quit"])
        #expect(h.session.phase == .finished)
    }

    @Test func endOfInputBeforeConnectingSendsWhatWasQueuedThenQuits() {
        var h = ClientSessionHarness()
        h.send("only")
        h.step(.endOfInput)
        h.identify()
        #expect(h.takeSentActions() == ["presence", "msg"])
        #expect(h.answer(200).map(\.name) == ["answered 1 200", "finished"])
        #expect(h.takeSentActions() == ["quit"])
    }

    @Test func stopDropsWhatIsNotSentAndWaitsForWhatIs() {
        var h = ClientSessionHarness(window: 2)
        h.identify()
        for i in 1...5 { h.send("m\(i)") }
        _ = h.takeSent()
        h.answer(410)
        h.step(.stop)
        // Record 3 went out when record 1's answer freed a slot; 4 and 5 never will.
        #expect(h.session.unacknowledgedRecords == [2, 3])
        #expect(h.answer(200, count: 2).map(\.name) == ["answered 2 200", "answered 3 200", "finished"])
        #expect(h.takeSentActions() == ["msg", "quit"])
    }

    @Test func quitLeavesAtOnceAndReportsWhatWasNotAnswered() {
        var h = ClientSessionHarness(window: 2)
        h.identify()
        for i in 1...3 { h.send("m\(i)") }
        _ = h.takeSent()
        let actions = h.step(.quit)
        #expect(actions.map(\.name) == ["unacknowledged [1, 2, 3]", "finished"])
        #expect(h.takeSentActions() == ["quit"])
        #expect(h.step(.quit).isEmpty)
    }

    @Test func quitWhileOfflineSendsNothing() {
        var h = ClientSessionHarness()
        #expect(h.step(.quit).map(\.name) == ["finished"])
        #expect(h.takeSent().isEmpty)
    }

    // MARK: - Lost connections and reconnecting

    @Test func aLostConnectionReportsEveryRecordNotAnswered() {
        var h = ClientSessionHarness(window: 3)
        h.identify()
        for i in 1...6 { h.send("m\(i)", to: i == 6 ? "#r" : "bob") }
        h.answer(200, count: 2)
        let actions = h.step(.disconnected(reason: "connection lost"))
        guard case .unacknowledged(let records, let reason)? = actions.first else {
            Issue.record("no report: \(actions.map(\.name))")
            return
        }
        #expect(records == [3, 4, 5, 6])
        #expect(reason == "connection lost")
        #expect(h.session.phase == .offline)
        #expect(h.session.unacknowledgedRecords.isEmpty)
    }

    @Test func reconnectingIdentifiesAgainAndRejoinsEveryRoom() {
        var h = ClientSessionHarness(rooms: ["#a"])
        h.identify()
        h.answer(201)
        h.send("x", to: "#b")
        h.answer(201)
        h.answer(200)
        #expect(h.session.joinedRooms == ["#a", "#b"])
        _ = h.takeSent()
        h.step(.disconnected(reason: "reset"))
        #expect(h.session.joinedRooms.isEmpty)
        h.step(.connected)
        #expect(h.takeSentActions() == ["presence"])
        #expect(h.reply(#"{"response":200,"time":1.5,"alert":"OK","pipelining":true}"#).map(\.name) == ["identified"])
        let joins = h.takeSent().map { if case .join(let r)? = $0.request { r.room } else { "?" } }
        #expect(joins == ["#a", "#b"])
        #expect((h.answer(200) + h.answer(200)).map(\.name) == ["joined #a", "ready", "joined #b"])
    }

    @Test func aLeftRoomIsNotRejoined() {
        var h = ClientSessionHarness()
        h.identify()
        h.send("x", to: "#b")
        h.answer(201)
        h.answer(200)
        h.step(
            .submit(
                .init(
                    record: 2, kind: .leave("#b"),
                    bytes: Frame(.leave(RoomRequest(room: "#b", time: JSONNumber(1.5)))).encoded())))
        h.answer(200)
        _ = h.takeSent()
        h.step(.disconnected(reason: "reset"))
        h.identify()
        #expect(h.takeSentActions() == ["presence"])
    }

    @Test func theWindowClosesAgainUntilTheNewConnectionSaysPipelining() {
        var h = ClientSessionHarness(window: 8)
        h.identify(pipelining: true)
        h.step(.disconnected(reason: "reset"))
        h.identify(pipelining: false)
        #expect(h.session.window == 1)
    }
}
