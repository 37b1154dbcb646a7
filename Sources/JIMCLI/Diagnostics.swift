#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes diagnostics to stderr as `tool: context: reason`, one write(2) per line.
///
/// Unbuffered on purpose: a diagnostic must be visible even if the tool dies next. Failures to
/// write a diagnostic are ignored; there is nowhere left to report them.
public struct Diagnostics: Sendable {
    /// The name each line starts with.
    public let toolName: String
    /// The descriptor written to.
    public let descriptor: Int32

    /// Creates diagnostics for these streams (their `error` descriptor and `toolName`).
    public init(streams: Streams) {
        self.toolName = streams.toolName
        self.descriptor = streams.error
    }

    /// Writes `tool: part1: part2...` and a newline.
    public func error(_ parts: String...) {
        emit(([toolName] + parts).joined(separator: ": ") + "\n")
    }

    /// Writes `tool: context: error` (or `tool: error` without context).
    public func report(_ error: any Error, context: String? = nil) {
        emit(([toolName] + (context.map { [$0] } ?? []) + ["\(error)"]).joined(separator: ": ") + "\n")
    }

    /// Writes a usage error and the hint to run `--help`; returns `ExitStatus.usage`.
    @discardableResult
    public func usage(_ error: UsageError) -> ExitStatus {
        emit("\(toolName): \(error.message)\nTry '\(toolName) --help'.\n")
        return .usage
    }

    /// Writes text as it is.
    public func emit(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            try? SystemCall.writeAll(descriptor, base, bytes.count)
        }
    }
}
