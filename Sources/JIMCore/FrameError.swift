/// Where something is in a stream of frames: a byte offset, and the line and column (both from 1,
/// the column counted in bytes) that editors and `jim-decode` diagnostics use.
public struct StreamPosition: Sendable, Equatable, CustomStringConvertible {
    /// Bytes before this point in the stream.
    public var offset: Int
    /// The line, from 1.
    public var line: Int
    /// The column, from 1, in bytes.
    public var column: Int

    public init(offset: Int = 0, line: Int = 1, column: Int = 1) {
        self.offset = offset
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// Why a frame was refused: bad JSON, past a limit, or a field that is missing or wrong.
///
/// The server answers each with 400 and the `description`; the tools print it with a position.
public struct FrameError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of fault.
    public enum Kind: Sendable, Equatable {
        /// Not valid JSON (RFC 8259), including invalid UTF-8 and bytes between frames.
        case syntax
        /// The frame is longer than the frame limit.
        case tooLong
        /// Objects and arrays nest deeper than the depth limit.
        case tooDeep
        /// Valid JSON, but a field is missing, of the wrong type, or breaks a limit or naming rule.
        case field
        /// The stream cannot be resynchronised (an oversized frame that never ends); close it.
        case unrecoverable
    }

    /// What kind of fault.
    public var kind: Kind
    /// A short reason, for example `message: 501 characters, the limit is 500`.
    public var reason: String
    /// Where the fault is, when known: within the stream for the frame decoder, within the frame for the parser.
    public var position: StreamPosition?

    public init(_ kind: Kind, _ reason: String, at position: StreamPosition? = nil) {
        self.kind = kind
        self.reason = reason
        self.position = position
    }

    public var description: String { reason }
}
