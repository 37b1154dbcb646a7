/// Accounts with plain-text passwords held in memory: the test double for `AccountStore`.
///
/// Not for production: real servers keep crypt(3) hashes (see jim-serve's `--accounts`).
public struct InMemoryAccounts: AccountStore {
    /// Name to password; nil marks a blocked account.
    public var passwords: [String: String?]

    public init(_ passwords: [String: String?] = [:]) { self.passwords = passwords }

    public func isRegistered(_ name: String) -> Bool { passwords[name] != nil }

    public func verify(_ name: String, password: String) -> AccountCheck {
        guard let entry = passwords[name] else { return .noSuchAccount }
        guard let expected = entry else { return .blocked }
        return expected == password ? .ok : .wrongPassword
    }
}
