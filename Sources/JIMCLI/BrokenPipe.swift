#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Start-up switch for SIGPIPE, so a closed output shows up as `StreamError.closed`.
public enum BrokenPipe {
    /// Ignores SIGPIPE: write(2) to a closed pipe or socket then fails with `EPIPE` instead of
    /// killing the process. Every tool calls this first.
    public static func ignore() {
        signal(SIGPIPE, SIG_IGN)
    }
}
