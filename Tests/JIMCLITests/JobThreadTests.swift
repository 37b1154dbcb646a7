import Glibc
import JIMCLI
import Synchronization
import Testing

/// Flags shared between a test and its job.
private final class Flags: Sendable {
    let started = Atomic<Bool>(false)
    let release = Atomic<Bool>(false)
    let done = Atomic<Bool>(false)
    let elsewhere = Atomic<Bool>(false)
    let total = Atomic<Int>(0)

}

@Suite struct JobThreadTests {
    /// A job runs on another thread, at the same time as the caller's own work, and `finish` returns
    /// only once it has returned.
    @Test func runsTheJobBesideTheCallerAndFinishWaitsForIt() {
        let thread = JobThread()
        defer { thread.stop() }
        let flags = Flags()
        let caller = pthread_self()
        thread.begin {
            flags.elsewhere.store(pthread_equal(pthread_self(), caller) == 0, ordering: .sequentiallyConsistent)
            flags.started.store(true, ordering: .sequentiallyConsistent)
            // Held until the caller has seen it start: the job and the caller overlap.
            while !flags.release.load(ordering: .sequentiallyConsistent) { sched_yield() }
            flags.done.store(true, ordering: .sequentiallyConsistent)
        }
        while !flags.started.load(ordering: .sequentiallyConsistent) { sched_yield() }
        let doneBeforeRelease = flags.done.load(ordering: .sequentiallyConsistent)
        #expect(!doneBeforeRelease)
        flags.release.store(true, ordering: .sequentiallyConsistent)
        thread.finish()
        let done = flags.done.load(ordering: .sequentiallyConsistent)
        let elsewhere = flags.elsewhere.load(ordering: .sequentiallyConsistent)
        #expect(done)
        #expect(elsewhere)
    }

    @Test func runsJobsOneAfterAnother() {
        let thread = JobThread()
        defer { thread.stop() }
        let flags = Flags()
        for i in 1...200 {
            thread.begin { flags.total.add(i, ordering: .sequentiallyConsistent) }
            thread.finish()
            let total = flags.total.load(ordering: .sequentiallyConsistent)
            #expect(total == i * (i + 1) / 2)
        }
    }

    /// After `stop`, the thread is gone and a job runs on the caller's thread before `begin` returns.
    @Test func afterStopJobsRunOnTheCallersThread() {
        let thread = JobThread()
        thread.begin {}
        thread.finish()
        thread.stop()
        let caller = pthread_self()
        let flags = Flags()
        thread.begin { flags.elsewhere.store(pthread_equal(pthread_self(), caller) == 0, ordering: .sequentiallyConsistent) }
        let elsewhere = flags.elsewhere.load(ordering: .sequentiallyConsistent)
        #expect(!elsewhere)
        thread.finish()
    }
}
