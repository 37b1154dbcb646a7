import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The man pages as their readers meet them: every EXAMPLES block runs and shows what the page
/// says, every page is clean under `mandoc -Tlint` and renders with `man -l`.
///
/// Command examples run with the built tools first in PATH, in an `ExampleSandbox` (the files they
/// name), with `JIM_SERVER` naming an `ExampleWorld` when they talk to a server. An example whose last
/// command is a `jim-serve` server runs until the server says `listening on`, delivers a message sent
/// to that address, and stops with status 0 on SIGTERM. The session of `jim.7` is replayed against a jim-serve.
@Suite(.timeLimit(.minutes(3)))
struct ManExamplesTests {
    static let commandExamples = ManExample.all.filter { $0.kind == .commands }

    @Test(arguments: PackageFiles.pages)
    func everyExamplesBlockOfThePageIsRunnable(page: String) throws {
        let examples = ManExample.examples(page: page, source: try PackageFiles.text("man/\(page)"))
        #expect(!examples.isEmpty, "\(page) has no EXAMPLES block")
        for example in examples {
            #expect(example.kind != .unknown, "\(example.testDescription): neither commands nor a session")
            if example.kind == .commands {
                #expect(
                    example.lines.first?.hasPrefix("$ ") == true, "\(example.testDescription): output before a command")
                #expect(!example.lines.joined().contains("<?"), "\(example.testDescription): an unknown roff escape")
            }
        }
    }

    @Test(arguments: commandExamples)
    func example(_ example: ManExample) throws {
        let sandbox = try ExampleSandbox()
        let world = example.needsServer ? try ExampleWorld(sandbox) : nil
        defer { world?.stop() }
        let environment = world.map { ["JIM_SERVER": $0.address] } ?? [:]
        if example.startsServer {
            try runServer(example, in: sandbox, environment: environment)
            return
        }
        let run = try sandbox.run(example.commands.joined(separator: "\n"), environment: environment)
        let status = run.wait(timeout: 60)
        #expect(status == 0, "\(example.testDescription) exited \(status.map(String.init) ?? "late"): \(run.stderr)")
        if !example.shownOutput.isEmpty {
            #expect(run.stdout == example.shownOutput, "\(example.testDescription): stderr: \(run.stderr)")
        }
    }

    /// Runs the commands before the server, then the server until it listens, then stops it.
    private func runServer(_ example: ManExample, in sandbox: ExampleSandbox, environment: [String: String]) throws {
        let script = (example.commands.dropLast() + ["exec " + example.commands.last!]).joined(separator: "\n")
        let server = try sandbox.run(script, environment: environment)
        let line = server.waitForStderr(containing: "listening on", timeout: 20)
        try #require(line != nil, "\(example.testDescription): never listened: \(server.stderr)")
        // The server serves: a message to oneself at the address it names is delivered.
        let address = String(line!.split(separator: "listening on ").last!)
        let check = try JIMProcess("jim-send", ["-q", "-u", "check", "-t", "check", "-m", "ready?", address])
        #expect(check.wait(timeout: 20) == 0, "\(example.testDescription): jim-send to \(address): \(check.stderr)")
        server.signal(SIGTERM)
        #expect(server.wait(timeout: 20) == 0, "\(example.testDescription): \(server.stderr)")
        #expect(example.shownOutput.isEmpty, "\(example.testDescription): a server example shows no output")
    }

    @Test func protocolPageSessionIsWhatJimServeAnswers() throws {
        let examples = ManExample.examples(page: "jim.7", source: try PackageFiles.text("man/jim.7"))
        let session = try #require(examples.first { $0.kind == .session })
        let server = try ServerUnderTest()
        defer { server.stop() }
        // bob has been seen on this server, and is offline now: the session's last msg gets 410.
        let bob = try server.connect()
        #expect(try bob.request(JIMFrames.presence("bob").trimmingCharacters(in: .newlines)) == 200)
        try bob.send(JIMFrames.quit)
        #expect(bob.isClosedByServer())
        let client = try server.connect()
        for line in session.lines {
            let frame = String(line.dropFirst(2))
            if line.hasPrefix("> ") {
                try client.send(frame + "\n")
            } else {
                let answer = try client.readLine()
                #expect(
                    try Self.withoutTime(answer) == Self.withoutTime(frame),
                    "jim.7 shows \(frame), jim-serve said \(answer)")
            }
        }
        #expect(session.lines.last == #"> {"action":"quit"}"#)
        #expect(client.isClosedByServer(), "jim-serve did not close after quit")
    }

    /// A frame as a dictionary without its `time`, whose value differs from run to run.
    static func withoutTime(_ frame: String) throws -> NSDictionary {
        guard var object = try JSONSerialization.jsonObject(with: Data(frame.utf8)) as? [String: Any] else {
            throw TestClient.Failure(description: "not an object: \(frame)")
        }
        object["time"] = nil
        return object as NSDictionary
    }

    @Test(.enabled(if: PackageFiles.which("man") != nil), arguments: PackageFiles.pages)
    func commandsReadTheSameInThePageManShows(page: String) throws {
        // Tabs of shown output become spaces on a terminal: compare with runs of blanks as one space.
        func squeezed(_ line: some StringProtocol) -> String {
            line.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
        }
        let rendered = try Self.man(page)
        let shown = Set(rendered.split(separator: "\n").map(squeezed))
        let examples = ManExample.examples(page: page, source: try PackageFiles.text("man/\(page)"))
        for line in examples.flatMap(\.lines) {
            #expect(shown.contains(squeezed(line)), "man -l \(page) does not show: \(line)")
        }
    }

    @Test(.enabled(if: PackageFiles.which("mandoc") != nil), arguments: PackageFiles.pages)
    func pageIsCleanUnderMandocLint(page: String) throws {
        let lint = try PackageFiles.start(["mandoc", "-Tlint", "-W", "warning", PackageFiles.path("man/\(page)")])
        #expect(lint.wait(timeout: 30) == 0)
        #expect(lint.stdout + lint.stderr == "")
    }

    @Test(.enabled(if: PackageFiles.which("man") != nil), arguments: PackageFiles.pages)
    func pageRendersWithManWithoutWarnings(page: String) throws {
        let rendered = try Self.man(page)
        let name = page.split(separator: ".")[0]
        #expect(rendered.contains("NAME"))
        #expect(rendered.contains("\(name) —") || rendered.contains("\(name) -"), "no NAME line for \(name)")
        #expect(rendered.contains("SEE ALSO"))
    }

    @Test(.enabled(if: PackageFiles.which("mandoc") != nil && PackageFiles.which("make") != nil))
    func makeManLintPasses() throws {
        let make = try PackageFiles.start(["make", "-s", "-C", PackageFiles.root.path, "man-lint"])
        #expect(make.wait(timeout: 60) == 0, "\(make.stderr)")
    }

    /// The page as `man -l` shows it on a wide terminal; fails on any warning.
    static func man(_ page: String) throws -> String {
        let man = try PackageFiles.start(
            ["man", "-l", PackageFiles.path("man/\(page)")], environment: ["MANWIDTH": "200", "MANPAGER": "cat"])
        #expect(man.wait(timeout: 30) == 0)
        #expect(man.stderr == "", "man -l \(page) warns: \(man.stderr)")
        return man.stdout
    }
}
