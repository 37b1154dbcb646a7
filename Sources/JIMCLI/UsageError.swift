/// A mistake on the command line; the tool prints it and exits 64 (`ExitStatus.usage`).
///
/// `description` is the text after `tool: `, e.g. `unknown option: --frob`.
public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message, without the tool name.
    public var message: String

    /// Creates a usage error with this message.
    public init(_ message: String) {
        self.message = message
    }

    /// The message, without the tool name.
    public var description: String { message }
}
