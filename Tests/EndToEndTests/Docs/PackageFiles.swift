import Foundation

/// The package's committed files that end-to-end documentation tests read: pages, completions, the Makefile.
enum PackageFiles {
    /// The five tools, in the order of the Makefile's TOOLS.
    static let tools = ["jim-serve", "jim-send", "jim-listen", "jim-encode", "jim-decode"]

    /// Every man page, by file name: the tools' pages and `jim.7`.
    static let pages = tools.map { "\($0).1" } + ["jim.7"]

    /// The package's root directory (this file is `Tests/EndToEndTests/Docs/PackageFiles.swift`).
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The absolute path of a file given by its path from the root.
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// The text of a file given by its path from the root.
    static func text(_ relative: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
    }

    /// The path of an installed program, if any.
    static func which(_ program: String) -> String? {
        for directory in ["/usr/bin", "/bin", "/usr/local/bin", "/usr/sbin"] {
            let path = "\(directory)/\(program)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// A new empty directory under the system's temporary directory.
    static func temporaryDirectory(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("jim-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs a program with a clean environment holding only `environment` (and a PATH with the built
    /// tools first), in `directory`; the started process.
    static func start(
        _ arguments: [String], environment: [String: String] = [:], in directory: String? = nil, stdin: Data = Data()
    ) throws -> JIMProcess {
        var variables = ["PATH": "\(JIMProcess.binDirectory.path):/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"]
        variables.merge(environment) { _, new in new }
        let assignments = variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let change = directory.map { ["-C", $0] } ?? []
        return try JIMProcess(executable: "/usr/bin/env", ["-i"] + change + assignments + arguments, stdin: stdin)
    }
}
