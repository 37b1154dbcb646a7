#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Real file descriptors standing in for a tool's stdin, stdout and stderr in tests.
///
/// Each stream is an unlinked temporary file (mkstemp(3)): stdin holds the given content,
/// rewound; stdout and stderr capture what the tool writes, read back after it returns. No
/// pipes, so a tool that writes a lot never blocks waiting for the test to read.
public final class TestStreams: Sendable {
    /// The descriptors to hand to the tool.
    public let streams: Streams

    /// Creates streams whose stdin holds `stdin`'s UTF-8 bytes.
    public convenience init(stdin: String = "", toolName: String = "test") {
        self.init(stdinBytes: Array(stdin.utf8), toolName: toolName)
    }

    /// Creates streams whose stdin holds these bytes.
    public init(stdinBytes: [UInt8], toolName: String = "test") {
        let input = Self.temporaryFile()
        stdinBytes.withUnsafeBytes { bytes in
            if let base = bytes.baseAddress {
                try? SystemCall.writeAll(input, base, bytes.count)
            }
        }
        lseek(input, 0, SEEK_SET)
        streams = Streams(
            input: input, output: Self.temporaryFile(), error: Self.temporaryFile(), toolName: toolName)
    }

    deinit {
        close(streams.input)
        close(streams.output)
        close(streams.error)
    }

    /// Everything written to stdout so far.
    public var stdoutBytes: [UInt8] { Self.contents(streams.output) }
    /// Everything written to stdout so far, as UTF-8 text.
    public var stdout: String { String(decoding: stdoutBytes, as: UTF8.self) }
    /// Everything written to stderr so far.
    public var stderrBytes: [UInt8] { Self.contents(streams.error) }
    /// Everything written to stderr so far, as UTF-8 text.
    public var stderr: String { String(decoding: stderrBytes, as: UTF8.self) }

    private static func temporaryFile() -> Int32 {
        let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array("\(directory)/jim-test-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        precondition(fd >= 0, "TestStreams: mkstemp: \(SystemCall.message(errno))")
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return fd
    }

    private static func contents(_ fd: Int32) -> [UInt8] {
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        let got = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        return Array(bytes.prefix(max(got, 0)))
    }
}
