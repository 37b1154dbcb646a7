/// The registered accounts a server checks names and passwords against.
///
/// `ServerState` asks `isRegistered` on every `presence` and for 410 decisions, so it should be a
/// hash lookup. `verify` may be slow (crypt(3) hashes are slow on purpose); the state never calls
/// it itself but asks the event loop to, through `ServerAction.verify`.
public protocol AccountStore: Sendable {
    /// Whether `name` is a registered account (blocked accounts included).
    func isRegistered(_ name: String) -> Bool
    /// Checks `password` for the account `name`.
    func verify(_ name: String, password: String) -> AccountCheck
}

/// No accounts at all: everyone is a guest.
public struct NoAccounts: AccountStore {
    public init() {}
    public func isRegistered(_ name: String) -> Bool { false }
    public func verify(_ name: String, password: String) -> AccountCheck { .noSuchAccount }
}
