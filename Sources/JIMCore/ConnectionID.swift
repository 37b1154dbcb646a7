/// Names one client connection for `ServerState`; the network side chooses the numbers.
///
/// The state never reuses an id it has seen, so the network side should not either (a counter is
/// the easy way): a late event for a closed connection is then recognised and ignored.
public struct ConnectionID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The number.
    public var rawValue: Int

    public init(_ rawValue: Int) { self.rawValue = rawValue }

    public static func < (a: ConnectionID, b: ConnectionID) -> Bool { a.rawValue < b.rawValue }

    /// `conn 7`, as log lines write it.
    public var description: String { "conn \(rawValue)" }
}
