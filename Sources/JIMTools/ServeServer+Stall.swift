import JIMCore
import JIMNet

/// The write-stall timeout (`--write-timeout`): a reader that stops reading is dropped.
///
/// Since a `msg` is answered only once its forwards are in the kernel, a recipient that stops
/// reading holds its senders' answers; senders that keep a window then stall with it, and never
/// push its queue past its bound. So a live connection whose output is pending (its write queue,
/// which holds every forward that answers wait on) and has not had a byte written for the timeout
/// is dropped, like one past its queue bound: the answers held on it go out.
///
/// Cheap by design: no timer per write. A connection is listed when a flush leaves output pending
/// (`updateInterest`), and one timer, pending while the list is not empty, looks at the listed
/// connections a few times per timeout (at least once a second). Progress is a byte written
/// (`bytesWritten` moved) or, while the kernel has no room for more, the kernel's own queue for
/// the peer shrinking (`kernelQueuedBytes`, one system call per look at a connection that wrote
/// nothing): a reader that drains a kernel buffer of megabytes slowly is reading, even though
/// the socket stays unwritable for longer than the timeout. Progress is noticed at the look that
/// sees it, so a drop comes at most one look late. Closing connections are left to their linger timer.
extension ServeServer {
    /// How often the listed connections are looked at: a quarter of the timeout, at most a second.
    var stallCheckInterval: Duration {
        .nanoseconds(Int64(max(10_000_000, min(1_000_000_000, writeTimeoutNanoseconds / 4))))
    }

    /// Lists `c`, whose output is pending, for the write-stall check (when `--write-timeout` is not 0).
    func watchStall(_ c: ServeConnection) {
        guard writeTimeoutNanoseconds > 0, !c.closing else { return }
        c.inStallWatch = true
        c.stallMark = c.connection.bytesWritten
        c.stallKernelMark = Int.max
        c.stallSince = loop.now
        stallWatch.append(c)
        if !stallScheduled {
            stallScheduled = true
            loop.schedule(after: stallCheckInterval, token: Self.stallToken)
        }
    }

    /// Looks at the listed connections: those with no output pending leave the list, those that
    /// made progress since the last look start a new period, and those that made none for the
    /// whole timeout are dropped.
    func checkWriteStalls() {
        stallScheduled = false
        let now = loop.now
        swap(&stallWatch, &stallWatchSpare)
        for c in stallWatchSpare {
            c.inStallWatch = false
            guard !c.closing, c.connection.hasPendingWrites else { continue }
            let written = c.connection.bytesWritten
            if written != c.stallMark {
                c.stallMark = written
                c.stallKernelMark = Int.max
                c.stallSince = now
            } else if let inKernel = c.connection.kernelQueuedBytes, inKernel < c.stallKernelMark {
                // The peer read (or this is the first look since a write): a new period starts
                // only for a read.
                if c.stallKernelMark != Int.max { c.stallSince = now }
                c.stallKernelMark = inKernel
            } else if now.nanoseconds &- c.stallSince.nanoseconds >= writeTimeoutNanoseconds {
                drop(c, reason: "write queue stalled: did not read for \(Self.secondsText(options.writeTimeout)) s")
                continue
            }
            c.inStallWatch = true
            stallWatch.append(c)
        }
        stallWatchSpare.removeAll(keepingCapacity: true)
        if !stallWatch.isEmpty && !stallScheduled {
            stallScheduled = true
            loop.schedule(after: stallCheckInterval, token: Self.stallToken)
        }
    }

    /// `seconds` as the log shows it: whole numbers without a fraction.
    static func secondsText(_ seconds: Double) -> String {
        seconds == seconds.rounded() && seconds < 1e15 ? String(Int64(seconds)) : String(seconds)
    }
}
