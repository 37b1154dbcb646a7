import JIMCore
import Testing

@testable import JIMTools

@Suite struct RouterTests {
    func route(_ line: String, default target: String? = nil) throws(Router.RouteError) -> (String, String) {
        var router = Router(defaultTarget: target)
        let (to, message) = try router.route(line)
        return (to, String(message))
    }

    @Test func routesUsersAndRooms() throws {
        #expect(try route("@bob hello there") == ("bob", "hello there"))
        #expect(try route("#ops deploy done") == ("#ops", "deploy done"))
        #expect(try route("@жора привет") == ("жора", "привет"))
    }

    @Test func separatorIsOneSpace() throws {
        #expect(try route("@bob  two spaces") == ("bob", " two spaces"))
        #expect(try route("@bob ") == ("bob", ""))
        #expect(try route("@bob") == ("bob", ""))
    }

    @Test func otherLinesGoToTheDefaultTarget() throws {
        #expect(try route("hello @bob", default: "#ops") == ("#ops", "hello @bob"))
        #expect(try route("", default: "carol") == ("carol", ""))
        #expect(try route(" @bob", default: "carol") == ("carol", " @bob"))
    }

    @Test func lineWithoutRouteOrDefaultIsAnError() {
        #expect(throws: Router.RouteError.noTarget) { try route("hello") }
    }

    @Test(arguments: [
        ("@ hi", "bad target @: empty name"),
        ("# hi", "bad target #: empty room name"),
        ("@a:b hi", "bad target @a:b: ':' is not allowed in a name"),
        ("@#ops hi", "bad target @#ops: a user name cannot start with '#'"),
        ("##ops hi", "bad target ##ops: a room name has one leading '#'"),
        ("@abcdefghijklmnopqrstuvwxyz hi", "bad target @abcdefghijklmnopqrstuvwxyz: 26 characters, the limit is 25"),
        ("@bob\tx hi", "bad target @bob\tx: whitespace is not allowed in a name"),
    ])
    func badTargetIsAnError(_ line: String, _ reason: String) {
        let error = #expect(throws: Router.RouteError.self) { try route(line, default: "carol") }
        #expect(error?.description == reason)
    }

    @Test func reusedTargetIsStillCheckedPerPrefix() throws {
        var router = Router()
        #expect(try router.route("#x one").target == "#x")
        #expect(try router.route("#x two").target == "#x")
        #expect(throws: Router.RouteError.self) { try router.route("@#x three") }
        #expect(try router.route("@x four").target == "x")
    }

    @Test func byteRouteGivesTheMessageRange() throws {
        var router = Router()
        let line = Array("@bob hi there".utf8)
        let route = line.withUnsafeBytes { raw in Result { () throws(Router.RouteError) in try router.route(raw) } }
        #expect(try route.get() == Router.Route(target: "bob", message: 5..<13))
    }

    @Test func invalidUTF8TargetIsAnError() {
        var router = Router()
        let line: [UInt8] = [UInt8(ascii: "@"), 0xFF, 0x20, 0x41]
        let route = line.withUnsafeBytes { raw in Result { () throws(Router.RouteError) in try router.route(raw) } }
        #expect(throws: Router.RouteError.self) { try route.get() }
    }
}
