extension Router {
    /// Why a line could not be routed; tools print it after the input name and line number.
    public enum RouteError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The line names no target and there is no default (`-t`).
        case noTarget
        /// The `@name` or `#room` at the start of the line is not a valid name.
        case badTarget(target: String, reason: String)

        /// The reason, without input name or line number.
        public var description: String {
            switch self {
            case .noTarget: "no target: the line starts with neither @NAME nor #ROOM, and no -t was given"
            case .badTarget(let target, let reason): "bad target \(target): \(reason)"
            }
        }
    }
}
