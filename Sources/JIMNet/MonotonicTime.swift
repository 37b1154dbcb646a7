#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A point on the monotonic clock, in nanoseconds: what timers and deadlines are measured on.
public struct MonotonicTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Nanoseconds since an arbitrary fixed point (usually boot).
    public var nanoseconds: UInt64

    public init(nanoseconds: UInt64) {
        self.nanoseconds = nanoseconds
    }

    /// The current time. (clock_gettime on the monotonic clock cannot fail, and is not a real
    /// system call on Linux, so it does not go through the syscall wrapper.)
    public static func now() -> MonotonicTime {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return MonotonicTime(nanoseconds: UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec))
    }

    /// `duration` later; a negative duration counts as zero, and the sum saturates.
    public static func + (lhs: MonotonicTime, rhs: Duration) -> MonotonicTime {
        let (sum, overflow) = lhs.nanoseconds.addingReportingOverflow(rhs.nanosecondsClamped)
        return MonotonicTime(nanoseconds: overflow ? .max : sum)
    }

    /// The time from `rhs` to `lhs` (negative when `lhs` is earlier).
    public static func - (lhs: MonotonicTime, rhs: MonotonicTime) -> Duration {
        lhs >= rhs
            ? .nanoseconds(Int64(clamping: lhs.nanoseconds - rhs.nanoseconds))
            : .zero - .nanoseconds(Int64(clamping: rhs.nanoseconds - lhs.nanoseconds))
    }

    public static func < (lhs: MonotonicTime, rhs: MonotonicTime) -> Bool {
        lhs.nanoseconds < rhs.nanoseconds
    }

    /// Whole milliseconds from `self` until `deadline`, rounded up so that a wait never ends
    /// early; 0 when the deadline has passed; at most Int32.max.
    func milliseconds(until deadline: MonotonicTime) -> Int32 {
        guard deadline.nanoseconds > nanoseconds else { return 0 }
        let ms = (deadline.nanoseconds - nanoseconds + 999_999) / 1_000_000
        return Int32(clamping: ms)
    }

    public var description: String { "\(nanoseconds)ns" }
}

extension Duration {
    /// This duration in nanoseconds, negative durations as 0, saturating at UInt64.max.
    var nanosecondsClamped: UInt64 {
        let (seconds, attoseconds) = components
        if seconds < 0 || (seconds == 0 && attoseconds <= 0) { return 0 }
        let (whole, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return .max }
        let (sum, overflow2) = whole.addingReportingOverflow(UInt64(max(0, attoseconds) / 1_000_000_000))
        return overflow2 ? .max : sum
    }
}
