/// The size limits of JIM, counted in characters (Unicode scalars), as PROTOCOL.md section 2 fixes them.
///
/// Field limits apply to decoded values; `frame` applies to the encoded JSON text of one object.
public struct Limits: Sendable, Equatable {
    /// The longest `action` name.
    public var action: Int
    /// The longest account or room name (a room name counts its leading `#`).
    public var name: Int
    /// The longest `message` text.
    public var message: Int
    /// The longest frame, as JSON text (whitespace between frames not counted).
    public var frame: Int
    /// The deepest nesting of objects and arrays in a frame (the frame itself is depth 1).
    public var depth: Int

    public init(action: Int = 15, name: Int = 25, message: Int = 500, frame: Int = 640, depth: Int = 8) {
        self.action = action
        self.name = name
        self.message = message
        self.frame = frame
        self.depth = depth
    }

    /// The limits of the course's lesson.
    public static let standard = Limits()

    /// How many bytes a frame of `frame` characters can take at most (4 bytes a scalar).
    public var frameBytes: Int { frame * 4 }
}
