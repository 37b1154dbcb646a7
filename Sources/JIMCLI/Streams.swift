/// The three standard streams of a tool run, as file descriptors, and the tool's name.
///
/// Tools take a `Streams` instead of using fds 0, 1 and 2 directly, so that tests can run them
/// in-process with `TestStreams`.
public struct Streams: Sendable {
    /// The descriptor to read input from.
    public var input: Int32
    /// The descriptor data goes to.
    public var output: Int32
    /// The descriptor diagnostics go to.
    public var error: Int32
    /// The name diagnostics start with, e.g. `jim-send`.
    public var toolName: String

    /// Creates streams over the given descriptors.
    public init(input: Int32 = 0, output: Int32 = 1, error: Int32 = 2, toolName: String) {
        self.input = input
        self.output = output
        self.error = error
        self.toolName = toolName
    }

    /// The process's stdin, stdout and stderr, named after the program (`argv[0]`'s last part).
    public static var standard: Streams {
        let path = CommandLine.arguments.first ?? "jim"
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return Streams(toolName: name)
    }

    /// The same descriptors under another tool name.
    public func named(_ name: String) -> Streams {
        var copy = self
        copy.toolName = name
        return copy
    }
}
