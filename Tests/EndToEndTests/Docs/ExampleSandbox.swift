import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A fresh directory tree for one man-page example, holding the files the examples name.
///
/// - `work/` is the current directory: `notes.txt`, `changes.txt`, `alice.pw` (a password) and
///   `capture.ndjson` (the session of `jim.7`'s EXAMPLES, both directions).
/// - `home/` is `$HOME`: `.jim-password`, mode 600, the password of the registered account `deploy`.
/// - `run/` is `$XDG_RUNTIME_DIR`, mode 700, where the examples put Unix-domain sockets.
/// - `accounts` registers `deploy` for the server of `ExampleWorld`.
final class ExampleSandbox {
    /// The password of the registered account `deploy`.
    static let deployPassword = "hunter2"

    let root: URL
    var work: String { root.appendingPathComponent("work").path }
    var home: String { root.appendingPathComponent("home").path }
    var runtime: String { root.appendingPathComponent("run").path }
    var accounts: String { root.appendingPathComponent("accounts").path }

    /// A failure to set up.
    struct SetupError: Error, CustomStringConvertible {
        var description: String
    }

    init() throws {
        root = try PackageFiles.temporaryDirectory("examples")
        for directory in ["work", "home", "run"] {
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent(directory), withIntermediateDirectories: true)
        }
        chmod(runtime, 0o700)
        try write("work/notes.txt", "deploy started\ndeploy done\n")
        try write("work/changes.txt", "fixed the login page\nfaster start-up\n")
        try write("work/alice.pw", "wonderland\n")
        try write("work/capture.ndjson", try Self.capture())
        try write("home/.jim-password", Self.deployPassword + "\n")
        chmod(root.appendingPathComponent("home/.jim-password").path, 0o600)
        try write("accounts", "deploy:\(try Self.deployHash.get())\n")
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    private func write(_ relative: String, _ text: String) throws {
        try Data(text.utf8).write(to: root.appendingPathComponent(relative))
    }

    /// The environment of an example: a clean one, with the sandbox's directories and `extra`.
    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        ["HOME": home, "XDG_RUNTIME_DIR": runtime].merging(extra) { _, new in new }
    }

    /// Starts `script` in `bash -e -o pipefail` in `work/`.
    func run(_ script: String, environment extra: [String: String] = [:]) throws -> JIMProcess {
        try PackageFiles.start(
            ["/bin/bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", script],
            environment: environment(extra), in: work)
    }

    /// The frames of `jim.7`'s example session, without their `>` and `<` marks.
    static func capture() throws -> String {
        let session = ManExample.examples(page: "jim.7", source: try PackageFiles.text("man/jim.7"))
            .first { $0.kind == .session }
        guard let session else { throw SetupError(description: "jim.7 has no example session") }
        return session.lines.map { String($0.dropFirst(2)) + "\n" }.joined()
    }

    /// A yescrypt hash of `deployPassword`, made once by the built `jim-serve --hash-password`.
    static let deployHash: Result<String, SetupError> = {
        do {
            let process = try JIMProcess("jim-serve", ["--hash-password"], stdin: Data((deployPassword + "\n").utf8))
            guard process.wait(timeout: 30) == 0 else {
                return .failure(SetupError(description: "jim-serve --hash-password: \(process.stderr)"))
            }
            return .success(process.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            return .failure(SetupError(description: "jim-serve --hash-password: \(error)"))
        }
    }()
}
