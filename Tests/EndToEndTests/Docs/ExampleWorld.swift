import Foundation

/// The chat that the client examples of the man pages run in: a jim-serve on loopback and a Unix
/// socket, with the account `deploy`, and two other users online.
///
/// - `bob` is online and a member of `#ops`, and never says anything;
/// - `carol` is a member of `#ops` and `#alerts`, and every 50 ms says `deploy done` in `#ops`,
///   `disk full on db1` in `#alerts` and `status?` to `deploy`, each with the time 1732460000.25,
///   so that a listener always has something to print, and prints the same thing every time.
///
/// Call `stop()` when done: carol's thread keeps the world alive until then.
final class ExampleWorld: @unchecked Sendable {
    let server: ServerUnderTest
    private let bob: TestClient
    private let carol: TestClient
    private let lock = NSCondition()
    private var stopping = false
    private var running = true

    /// The value of `JIM_SERVER` for the examples.
    var address: String { "127.0.0.1:\(server.port)" }

    /// A failure to set the world up.
    struct SetupError: Error, CustomStringConvertible {
        var description: String
    }

    init(_ sandbox: ExampleSandbox) throws {
        server = try ServerUnderTest(["-q", "--unix", sandbox.runtime + "/jim.sock", "--accounts", sandbox.accounts])
        bob = try server.connect()
        carol = try server.connect()
        try Self.expect(bob, JIMFrames.presence("bob"), [200])
        try Self.expect(bob, JIMFrames.join("#ops"), [200, 201])
        try Self.expect(carol, JIMFrames.presence("carol"), [200])
        try Self.expect(carol, JIMFrames.join("#ops"), [200, 201])
        try Self.expect(carol, JIMFrames.join("#alerts"), [200, 201])
        Thread.detachNewThread { [self] in feed() }
    }

    /// Stops carol's loop and the server; the world is unusable afterwards.
    func stop() {
        lock.lock()
        stopping = true
        while running { lock.wait() }
        lock.unlock()
        // Quit and shut down first: a server that closes waits a while for the client's end of file.
        for client in [bob, carol] {
            try? client.send(JIMFrames.quit)
            client.shutdownWrite()
            _ = client.isClosedByServer(timeout: 5)
        }
        server.stop()
    }

    private static func expect(_ client: TestClient, _ frame: String, _ codes: [Int]) throws {
        let code = try client.request(frame.trimmingCharacters(in: .newlines))
        guard codes.contains(code) else { throw SetupError(description: "\(frame) answered \(code)") }
    }

    /// carol's loop: three messages, then read whatever comes for 50 ms, until the world ends.
    private func feed() {
        let tick =
            JIMFrames.msg(to: "#ops", from: "carol", "deploy done")
            + JIMFrames.msg(to: "#alerts", from: "carol", "disk full on db1")
            + JIMFrames.msg(to: "deploy", from: "carol", "status?")
        while true {
            lock.lock()
            let stop = stopping
            lock.unlock()
            if stop { break }
            do {
                try carol.send(tick)
            } catch {
                break
            }
            let until = Date(timeIntervalSinceNow: 0.05)
            while until.timeIntervalSinceNow > 0, (try? carol.readLine(timeout: until.timeIntervalSinceNow)) != nil {}
        }
        lock.lock()
        running = false
        lock.broadcast()
        lock.unlock()
    }
}
