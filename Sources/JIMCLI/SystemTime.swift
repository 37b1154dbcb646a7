#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The current time from clock_gettime(2), as seconds in a Double.
public enum SystemTime {
    /// UNIX time (`CLOCK_REALTIME`) in seconds, to the microsecond, for a frame's `time`.
    public static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec / 1000) / 1_000_000
    }

    /// Seconds on the monotonic clock (`CLOCK_MONOTONIC`), for timeouts and durations.
    public static func monotonic() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1_000_000_000
    }
}
