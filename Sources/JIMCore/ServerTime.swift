/// A moment as `ServerState` sees it: the wall clock for `time` fields, a monotonic clock for timeouts.
///
/// The state reads no clock: the event loop passes one of these in every `ServerEvent.tick`.
public struct ServerTime: Sendable, Equatable {
    /// UNIX time in seconds, written into responses and probes.
    public var wall: Double
    /// Seconds on a clock that never jumps (any origin), used for every timeout.
    public var monotonic: Double

    public init(wall: Double, monotonic: Double) {
        self.wall = wall
        self.monotonic = monotonic
    }
}
