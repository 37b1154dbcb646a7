import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A jim-serve started for one test on 127.0.0.1 and a port the kernel picks.
///
/// It reads the port from the `jim-serve: listening on 127.0.0.1:PORT` line, so tests can run in
/// parallel. `stop()` sends SIGTERM and returns the exit status; deinit kills a server still running.
final class ServerUnderTest: @unchecked Sendable {
    let process: JIMProcess
    let port: UInt16

    struct StartFailure: Error, CustomStringConvertible {
        var stderr: String
        var description: String { "jim-serve did not start listening: \(stderr)" }
    }

    /// Starts `jim-serve -a 127.0.0.1 -p 0` with `arguments` added.
    init(_ arguments: [String] = [], stdin: Data = Data()) throws {
        process = try JIMProcess("jim-serve", ["-a", "127.0.0.1", "-p", "0"] + arguments, stdin: stdin)
        guard let line = process.waitForStderr(containing: "listening on 127.0.0.1:"),
            let port = line.split(separator: ":").last.flatMap({ UInt16($0) })
        else { throw StartFailure(stderr: process.stderr) }
        self.port = port
    }

    /// A new client connected to the server.
    func connect() throws -> TestClient { try TestClient(port: port) }

    /// Sends SIGTERM and waits for the exit status.
    @discardableResult
    func stop(timeout: Double = 10) -> Int32? {
        process.signal(SIGTERM)
        return process.wait(timeout: timeout)
    }

    /// The server's log so far.
    var log: String { process.stderr }
}
