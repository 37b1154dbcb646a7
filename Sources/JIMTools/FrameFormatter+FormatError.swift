extension FrameFormatter {
    /// Why a format string does not compile; tools print it after the option (`-F: unknown token %x`).
    public enum FormatError: Error, Sendable, Equatable, CustomStringConvertible {
        /// A `%` or `\` followed by a character that names no token or escape, e.g. `%x`.
        case unknownToken(String)
        /// A `\` followed by a character that names no escape, e.g. `\q`.
        case unknownEscape(String)
        /// The format ends with a lone `%` or `\`.
        case danglingIntroducer(Character)

        /// The reason, without the option name.
        public var description: String {
            switch self {
            case .unknownToken(let token): "unknown token \(token)"
            case .unknownEscape(let escape): "unknown escape \(escape)"
            case .danglingIntroducer(let c): "format ends with a lone \(c)"
            }
        }
    }
}
