import Foundation

/// A file with given content in a fresh temporary directory, removed when dropped.
final class TemporaryFile {
    let directory: URL
    let path: String

    init(_ content: String, name: String = "file") throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("jim-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent(name).path
        try Data(content.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// Replaces the content.
    func write(_ content: String) throws { try Data(content.utf8).write(to: URL(fileURLWithPath: path)) }

    deinit { try? FileManager.default.removeItem(at: directory) }
}
