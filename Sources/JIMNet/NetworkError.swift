/// Why an address could not be parsed, resolved, connected to or listened on.
///
/// Each case's `description` starts with the address as the user wrote it (or as it was
/// resolved), in the `context: reason` form the tools print after their name:
/// `127.0.0.1:7777: Connection refused`.
public enum NetworkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is not an address of any accepted form; `reason` says what is wrong.
    case badAddress(text: String, reason: String)
    /// Name resolution failed (no such host, or no address of a usable family).
    case unresolved(address: String, reason: String)
    /// A system call on the address failed: connect refused, bind in use, and so on.
    case failed(address: String, SystemError)
    /// The connection attempt did not complete within the timeout.
    case timedOut(address: String)

    public var description: String {
        switch self {
        case .badAddress(let text, let reason): "bad address \"\(text)\": \(reason)"
        case .unresolved(let address, let reason): "\(address): \(reason)"
        case .failed(let address, let error): "\(address): \(error.reason)"
        case .timedOut(let address): "\(address): connection timed out"
        }
    }
}
