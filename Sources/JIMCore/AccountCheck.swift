/// The outcome of checking a name and password against the server's accounts.
public enum AccountCheck: Sendable, Equatable {
    /// The password is right and the account may log in.
    case ok
    /// The account exists but the password is wrong (answered 402).
    case wrongPassword
    /// The account is blocked: its hash starts with `!` (answered 403).
    case blocked
    /// No account has this name (answered 402, like a wrong password, so names cannot be probed).
    case noSuchAccount
}
