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
    private let lock = ConditionLock()
    // Guarded by `lock`:
    private var jobs: [Job] = []
    private var results: [Result] = []
    private var stopping = false
    private var thread: WorkerThread?

    init() throws(SystemError) {
        (wakeSocket, workerSocket) = try Socket.pair()
    }

    deinit {
        stop()
    }

    /// Queues a job, starting the worker thread on first use.
    func submit(_ job: Job) {
        lock.lock()
        jobs.append(job)
        if thread == nil { startLocked() }
        lock.signalAll()
        lock.unlock()
    }

    /// The answers ready so far, oldest first; drains the wake-up bytes.
    func takeResults() -> [Result] {
        var scratch: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        while true {
            let got = withUnsafeMutableBytes(of: &scratch) { try? wakeSocket.read(into: $0) }
            guard case .bytes = got else { break }
        }
        lock.lock()
        let ready = results
        results.removeAll()
        lock.unlock()
        return ready
    }

    /// Ends the worker thread after the job in hand, and waits for it.
    func stop() {
        lock.lock()
        stopping = true
        let running = thread
        thread = nil
        lock.signalAll()
        lock.unlock()
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
        lock.lock()
        while true {
            while jobs.isEmpty && !stopping { lock.wait() }
            if stopping { break }
            let job = jobs.removeFirst()
            lock.unlock()
            let result = Self.check(job)
            lock.lock()
            results.append(result)
            wake()
        }
        lock.unlock()
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
