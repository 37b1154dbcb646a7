#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import JIMCLI
import JIMCore
import JIMNet

/// Checks passwords on a worker thread, so that a slow crypt(3) hash (yescrypt takes tens of
/// milliseconds on purpose) never holds the event loop.
///
/// The loop `submit`s jobs; the worker answers each in order and writes a byte to `wakeSocket`'s
/// peer, which the loop watches for readability and then calls `takeResults()`. At most one job
/// per connection is pending (the connection reads nothing meanwhile), so the queue is bounded by
/// the number of connections.
final class ServeVerifier: @unchecked Sendable {
    /// One password to check, with the accounts in force when it was asked.
    struct Job {
        var id: ConnectionID
        var credentials: Credentials
        var accounts: any AccountStore
    }

    /// The answer to one job.
    struct Result {
        var id: ConnectionID
        var accountName: String
        var check: AccountCheck
    }

    /// The loop's end: readable when results are waiting.
    let wakeSocket: Socket
    private let workerSocket: Socket
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `mutex`:
    private var jobs: [Job] = []
    private var results: [Result] = []
    private var stopping = false
    private var thread: WorkerThread?

    init() throws(SystemError) {
        (wakeSocket, workerSocket) = try Socket.pair()
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        stop()
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Queues a job, starting the worker thread on first use.
    func submit(_ job: Job) {
        pthread_mutex_lock(mutex)
        jobs.append(job)
        if thread == nil { startLocked() }
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }

    /// The answers ready so far, oldest first; drains the wake-up bytes.
    func takeResults() -> [Result] {
        var scratch: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        while true {
            let got = withUnsafeMutableBytes(of: &scratch) { try? wakeSocket.read(into: $0) }
            guard case .bytes = got else { break }
        }
        pthread_mutex_lock(mutex)
        let ready = results
        results.removeAll()
        pthread_mutex_unlock(mutex)
        return ready
    }

    /// Ends the worker thread after the job in hand, and waits for it.
    func stop() {
        pthread_mutex_lock(mutex)
        stopping = true
        let running = thread
        thread = nil
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
        running?.join()
    }

    private func startLocked() {
        // The thread's closure holds this object until `stop()` ends it.
        thread = WorkerThread.start { [self] in work() }
        if thread == nil {
            // No thread: check the passwords on the loop's thread rather than never.
            for job in jobs { results.append(Self.check(job)) }
            jobs.removeAll()
            wake()
        }
    }

    private func work() {
        pthread_mutex_lock(mutex)
        while true {
            while jobs.isEmpty && !stopping { pthread_cond_wait(condition, mutex) }
            if stopping { break }
            let job = jobs.removeFirst()
            pthread_mutex_unlock(mutex)
            let result = Self.check(job)
            pthread_mutex_lock(mutex)
            results.append(result)
            wake()
        }
        pthread_mutex_unlock(mutex)
    }

    private static func check(_ job: Job) -> Result {
        let c = job.credentials
        return Result(id: job.id, accountName: c.accountName, check: job.accounts.verify(c.accountName, password: c.password))
    }

    /// One byte for the loop; a full socket buffer already means a wake-up is pending.
    private func wake() {
        var byte: UInt8 = 1
        _ = withUnsafeBytes(of: &byte) { try? workerSocket.write($0) }
    }
}
