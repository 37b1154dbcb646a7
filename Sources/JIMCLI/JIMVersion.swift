/// The suite's version, defined in one place.
///
/// Every tool passes `JIMVersion.string` to its `CommandSpec`, so `--version` prints the same
/// number for all five tools.
public enum JIMVersion {
    /// The version string printed by `--version`.
    public static let string = "0.1.0"
}
