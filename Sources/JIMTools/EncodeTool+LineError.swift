extension EncodeTool {
    /// Why a line of text cannot become a frame; tools print it after the input name and line number.
    public enum LineError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The line is not valid UTF-8; `offset` is the first bad byte, from 0.
        case invalidUTF8(offset: Int)
        /// The message has more characters than the message limit.
        case messageTooLong(characters: Int, limit: Int)
        /// The frame, escapes included, has more characters than the frame limit.
        case frameTooLong(characters: Int, limit: Int)
        /// The line is longer than the longest line the tool reads.
        case lineTooLong(limit: Int)
        /// The line's route (`-R`) is missing or not a valid name.
        case route(Router.RouteError)

        /// The reason, e.g. `message is 501 characters, the limit is 500`.
        public var description: String {
            switch self {
            case .invalidUTF8(let offset): "not valid UTF-8 (byte \(offset + 1))"
            case .messageTooLong(let n, let limit): "message is \(n) characters, the limit is \(limit)"
            case .frameTooLong(let n, let limit): "frame is \(n) characters, the limit is \(limit)"
            case .lineTooLong(let limit): "line longer than \(limit) bytes"
            case .route(let error): error.description
            }
        }
    }
}
