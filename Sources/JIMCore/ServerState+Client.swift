extension ServerState {
    /// What the state knows about one connection.
    struct Client {
        /// The name bound by `presence` or `authenticate`.
        var name: String?
        /// The rooms joined, in the order joined.
        var rooms: [String] = []
        /// When the connection opened (monotonic seconds).
        var openedAt: Double
        /// When the last frame arrived (monotonic seconds).
        var lastHeard: Double
        /// When a probe was sent and not yet answered (monotonic seconds).
        var probedAt: Double?
        /// Whether an `authenticate` is waiting for `ServerEvent.verified`.
        var verifying = false
        /// Whether the name was taken by `authenticate`.
        var authenticated = false

        init(now: Double) {
            self.openedAt = now
            self.lastHeard = now
        }
    }
}
