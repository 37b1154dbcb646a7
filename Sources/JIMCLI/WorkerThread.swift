#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One POSIX thread running a closure: the plumbing the background helpers share (the read-ahead
/// and write-behind threads, jim-serve's password checks).
///
/// The closure holds what it captures until it returns, so an owner that a thread's closure
/// captures ends the thread (makes the closure return) and `join`s it before it goes.
public final class WorkerThread: @unchecked Sendable {
    private let handle: pthread_t

    private init(handle: pthread_t) {
        self.handle = handle
    }

    /// Runs `body` on a new thread; nil when the system cannot start one (the caller then does the
    /// work itself).
    public static func start(_ body: @escaping @Sendable () -> Void) -> WorkerThread? {
        final class Job {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        let context = Unmanaged.passRetained(Job(body)).toOpaque()
        var handle = pthread_t()
        let status = pthread_create(
            &handle, nil,
            { context in
                Unmanaged<Job>.fromOpaque(context!).takeRetainedValue().body()
                return nil
            }, context)
        guard status == 0 else {
            Unmanaged<Job>.fromOpaque(context).release()
            return nil
        }
        return WorkerThread(handle: handle)
    }

    /// Waits for the thread to end.
    public func join() {
        pthread_join(handle, nil)
    }
}
