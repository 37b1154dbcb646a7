#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads secrets (passwords) from a file or the environment, never from the command line.
public enum Secret {
    /// The largest secret file accepted.
    public static let maximumFileSize = 4096

    /// Reads a secret from a file (`--password-file`), without one trailing newline.
    ///
    /// A missing or unreadable file, an empty secret, a file larger than `maximumFileSize`
    /// and text that is not UTF-8 are errors naming the file.
    public static func read(file path: String) throws(StreamError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw .file(path: path, code: errno) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1024)
        while true {
            var failure: StreamError?
            let got = chunk.withUnsafeMutableBytes { raw in
                do throws(StreamError) {
                    return try SystemCall.readSome(fd, raw.baseAddress!, raw.count)
                } catch {
                    failure = error
                    return 0
                }
            }
            if case .system(_, let code) = failure { throw .file(path: path, code: code) }
            if let failure { throw failure }
            if got == 0 { break }
            bytes += chunk[..<got]
            if bytes.count > maximumFileSize {
                throw .badFile(path: path, reason: "larger than \(maximumFileSize) bytes")
            }
        }
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        if bytes.isEmpty { throw .badFile(path: path, reason: "empty password") }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .badFile(path: path, reason: "not valid UTF-8")
        }
        return text
    }

    /// A secret from an environment variable (`JIM_PASSWORD`), nil if unset or empty.
    public static func fromEnvironment(_ name: String) -> String? {
        guard let value = Environment.value(name), !value.isEmpty else { return nil }
        return value
    }
}
