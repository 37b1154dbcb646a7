import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A built jim-* executable (or any program) run as a child process, with stdin fed and
/// stdout/stderr captured.
///
/// Executables are found in `$JIM_BIN` if set, else next to the running test bundle
/// (`.build/<triple>/<config>/`), where `swift build` puts them. Output is collected by
/// background readers, so a chatty child never blocks; `waitForStderr(containing:)` waits on a
/// condition, not a sleep. Dropping the object kills a child still running, so a test that
/// fails early leaves no process behind.
final class JIMProcess: @unchecked Sendable {
    /// The directory holding jim-serve, jim-send and friends.
    static var binDirectory: URL {
        if let dir = ProcessInfo.processInfo.environment["JIM_BIN"], !dir.isEmpty {
            return URL(fileURLWithPath: dir)
        }
        // The test runner is .build/<triple>/<config>/<package>PackageTests.xctest (a file on Linux,
        // a bundle directory on macOS); the executables sit in the same <config> directory.
        var url = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("jim-serve").path) { return url }
        }
        return URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
    }

    /// The path of a tool such as `jim-serve`.
    static func path(of tool: String) -> String { binDirectory.appendingPathComponent(tool).path }

    /// What the readers and the termination handler share; they hold this, never the JIMProcess.
    private final class Output: @unchecked Sendable {
        let lock = NSCondition()
        var out = Data()
        var err = Data()
        var openStreams = 2
        var exited = false
    }

    let process = Process()
    private let stdinPipe = Pipe()
    private let output = Output()

    /// Starts the jim tool `tool` with `arguments`; `stdin` is written and closed unless `keepStdinOpen`.
    convenience init(_ tool: String, _ arguments: [String], stdin: Data = Data(), keepStdinOpen: Bool = false) throws {
        try self.init(executable: Self.path(of: tool), arguments, stdin: stdin, keepStdinOpen: keepStdinOpen)
    }

    /// Starts any program (a name without `/`, such as `python3`, is looked up in PATH) with `arguments`.
    init(executable: String, _ arguments: [String], stdin: Data = Data(), keepStdinOpen: Bool = false) throws {
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        let outPipe = Pipe()
        let errPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = outPipe
        process.standardError = errPipe
        let output = self.output
        process.terminationHandler = { _ in
            output.lock.lock()
            output.exited = true
            output.lock.broadcast()
            output.lock.unlock()
        }
        try process.run()
        Self.collect(outPipe.fileHandleForReading, into: output, stdout: true)
        Self.collect(errPipe.fileHandleForReading, into: output, stdout: false)
        if !stdin.isEmpty { stdinPipe.fileHandleForWriting.write(stdin) }
        if !keepStdinOpen { try? stdinPipe.fileHandleForWriting.close() }
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    private static func collect(_ handle: FileHandle, into output: Output, stdout: Bool) {
        let fd = handle.fileDescriptor
        Thread.detachNewThread {
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                output.lock.lock()
                if n > 0 {
                    if stdout { output.out.append(contentsOf: chunk[..<n]) } else { output.err.append(contentsOf: chunk[..<n]) }
                } else {
                    output.openStreams -= 1
                }
                output.lock.broadcast()
                output.lock.unlock()
                if n <= 0 { break }
            }
            try? handle.close()
        }
    }

    /// Everything written to stdout so far.
    var stdout: String {
        output.lock.lock()
        defer { output.lock.unlock() }
        return String(decoding: output.out, as: UTF8.self)
    }

    /// Everything written to stderr so far.
    var stderr: String {
        output.lock.lock()
        defer { output.lock.unlock() }
        return String(decoding: output.err, as: UTF8.self)
    }

    /// Waits until a line of stdout contains `text`; returns that line, or nil after `timeout` seconds.
    func waitForStdout(containing text: String, timeout: Double = 10) -> String? {
        waitForLine(stdout: true, containing: text, timeout: timeout)
    }

    /// Waits until a line of stderr contains `text`; returns that line, or nil after `timeout` seconds.
    func waitForStderr(containing text: String, timeout: Double = 10) -> String? {
        waitForLine(stdout: false, containing: text, timeout: timeout)
    }

    private func waitForLine(stdout: Bool, containing text: String, timeout: Double) -> String? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        output.lock.lock()
        defer { output.lock.unlock() }
        while true {
            let lines = String(decoding: stdout ? output.out : output.err, as: UTF8.self).split(separator: "\n")
            if let line = lines.first(where: { $0.contains(text) }) { return String(line) }
            if output.openStreams == 0 || !output.lock.wait(until: deadline) { return nil }
        }
    }

    /// Writes more to stdin (for `keepStdinOpen`).
    func write(_ data: Data) { stdinPipe.fileHandleForWriting.write(data) }

    /// Closes stdin.
    func closeStdin() { try? stdinPipe.fileHandleForWriting.close() }

    /// Sends a signal.
    func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for the process to exit and its output to be collected; its exit status (128 + N
    /// for signal N), or nil on timeout.
    @discardableResult
    func wait(timeout: Double = 10) -> Int32? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        output.lock.lock()
        while !(output.exited && output.openStreams == 0) {
            if !output.lock.wait(until: deadline) {
                output.lock.unlock()
                return nil
            }
        }
        output.lock.unlock()
        process.waitUntilExit()
        let status = process.terminationStatus
        return process.terminationReason == .uncaughtSignal ? 128 + status : status
    }
}
