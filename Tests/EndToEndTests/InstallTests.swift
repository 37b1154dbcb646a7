import Foundation
import Testing

/// `make install` and `make uninstall` into scratch trees.
///
/// The tests pass `JIM_BIN` (the directory of the tools this test run built) so that install copies
/// those instead of building a release, which would take minutes; everything else is the real target.
@Suite(.timeLimit(.minutes(2)))
struct InstallTests {
    /// Every file install puts under PREFIX, with its source in the package (nil: a built tool) and mode.
    static func expectedFiles() -> [(path: String, source: String?, mode: Int)] {
        var files: [(String, String?, Int)] = []
        for tool in PackageFiles.tools {
            files.append(("bin/\(tool)", nil, 0o755))
            files.append(("share/man/man1/\(tool).1", "man/\(tool).1", 0o644))
            files.append(("share/bash-completion/completions/\(tool)", "completions/bash/\(tool)", 0o644))
            files.append(("share/zsh/site-functions/_\(tool)", "completions/zsh/_\(tool)", 0o644))
            files.append(("share/fish/vendor_completions.d/\(tool).fish", "completions/fish/\(tool).fish", 0o644))
        }
        files.append(("share/man/man7/jim.7", "man/jim.7", 0o644))
        return files
    }

    /// Every regular file under `directory`, as paths relative to it.
    static func files(under directory: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        var found: [String] = []
        while let path = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(
                atPath: directory.appendingPathComponent(path).path, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                found.append(path)
            }
        }
        return found.sorted()
    }

    /// Runs `make TARGET` in the package with `variables`, expecting success; the finished process.
    @discardableResult
    static func make(_ target: String, _ variables: [String: String]) throws -> JIMProcess {
        let assignments = variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let make = try PackageFiles.start(["make", "-s", "-C", PackageFiles.root.path, target] + assignments)
        #expect(make.wait(timeout: 90) == 0, "make \(target): \(make.stderr)")
        return make
    }

    @Test(.enabled(if: PackageFiles.which("make") != nil))
    func installPutsEveryFileInPlaceAndUninstallRemovesExactlyThose() throws {
        let destdir = try PackageFiles.temporaryDirectory("destdir")
        defer { try? FileManager.default.removeItem(at: destdir) }
        let prefix = "/usr/local"
        let tree = destdir.appendingPathComponent(String(prefix.dropFirst()))
        // Something that was there before and is not ours: uninstall must leave it.
        let other = tree.appendingPathComponent("bin/other-tool")
        try FileManager.default.createDirectory(
            at: other.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("#!/bin/sh\n".utf8).write(to: other)

        let variables = ["DESTDIR": destdir.path, "PREFIX": prefix, "JIM_BIN": JIMProcess.binDirectory.path]
        try Self.make("install", variables)

        let expected = Self.expectedFiles()
        #expect(Self.files(under: tree) == (expected.map(\.path) + ["bin/other-tool"]).sorted())
        for file in expected {
            let path = tree.appendingPathComponent(file.path).path
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
            #expect(mode == file.mode, "\(file.path) has mode \(String(mode, radix: 8))")
            let source = file.source.map(PackageFiles.path) ?? JIMProcess.path(of: String(file.path.dropFirst(4)))
            #expect(
                FileManager.default.contentsEqual(atPath: path, andPath: source), "\(file.path) differs from \(source)")
        }

        // The installed tools run, and man finds the installed pages by name.
        for tool in PackageFiles.tools {
            let run = try JIMProcess(executable: tree.appendingPathComponent("bin/\(tool)").path, ["--version"])
            #expect(run.wait() == 0)
            #expect(run.stdout.hasPrefix("\(tool) "), "\(tool) --version said \(run.stdout)")
        }
        if PackageFiles.which("man") != nil {
            for page in ["jim-send", "jim"] {
                let man = try PackageFiles.start(
                    ["man", "-w", page], environment: ["MANPATH": tree.appendingPathComponent("share/man").path])
                #expect(man.wait() == 0, "man -w \(page): \(man.stderr)")
                #expect(man.stdout.hasPrefix(tree.path), "man -w \(page) found \(man.stdout)")
            }
        }

        try Self.make("uninstall", variables)
        #expect(Self.files(under: tree) == ["bin/other-tool"])
    }

    @Test(.enabled(if: PackageFiles.which("make") != nil))
    func userInstallUnderHomeNeedsNoDestdir() throws {
        let home = try PackageFiles.temporaryDirectory("home")
        defer { try? FileManager.default.removeItem(at: home) }
        let prefix = home.appendingPathComponent(".local")
        let variables = ["PREFIX": prefix.path, "JIM_BIN": JIMProcess.binDirectory.path]
        try Self.make("install", variables)
        #expect(Self.files(under: prefix) == Self.expectedFiles().map(\.path).sorted())
        let encode = try PackageFiles.start(
            ["jim-encode", "-t", "bob", "-f", "alice", "--time", "1"], environment: ["PATH": prefix.path + "/bin"],
            stdin: Data("hi\n".utf8))
        #expect(encode.wait() == 0)
        #expect(encode.stdout.contains(#""message":"hi""#))
        try Self.make("uninstall", variables)
        #expect(Self.files(under: prefix) == [])
    }
}
