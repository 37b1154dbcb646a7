#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A POSIX mutex with one condition variable: the lock the background threads wait on.
///
/// Heap-allocated, so the pthread objects never move. `wait()` and `signalAll()` are called with the
/// lock held.
public final class ConditionLock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    public init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    public func lock() { pthread_mutex_lock(mutex) }

    public func unlock() { pthread_mutex_unlock(mutex) }

    /// Releases the lock until another thread calls `signalAll()`, then takes it again (a wake-up may
    /// also come for nothing: callers wait in a loop on their own condition).
    public func wait() { pthread_cond_wait(condition, mutex) }

    /// Wakes every thread in `wait()`.
    public func signalAll() { pthread_cond_broadcast(condition) }

    /// Runs `body` with the lock held.
    public func withLock<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        lock()
        defer { unlock() }
        return try body()
    }
}
