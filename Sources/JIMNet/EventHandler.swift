/// The owner of an `EventLoop`'s descriptors and timers: one object receives every event.
///
/// The loop dispatches with the integer token given at registration (descriptors) or at
/// scheduling (timers), so the owner finds its connection by index, without a closure or an
/// allocation per event. `timerFired` and `signalReceived` default to doing nothing.
public protocol EventHandler: AnyObject {
    /// The descriptor registered with `token` is ready. `events` may include `hangup` or
    /// `error` (see `IOEvents`), which the owner must act on by closing or unregistering.
    func ready(token: Int, events: IOEvents, loop: EventLoop)
    /// The timer scheduled with `token` is due.
    func timerFired(token: Int, loop: EventLoop)
    /// A watched signal arrived (`SIGTERM`, `SIGINT`, `SIGHUP`...).
    func signalReceived(_ signal: Int32, loop: EventLoop)
}

extension EventHandler {
    public func timerFired(token: Int, loop: EventLoop) {}
    public func signalReceived(_ signal: Int32, loop: EventLoop) {}
}
