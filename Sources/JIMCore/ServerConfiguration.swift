/// The knobs of `ServerState`, from jim-serve's options.
public struct ServerConfiguration: Sendable {
    /// Field and frame limits (`--max-message`, `--max-frame`).
    public var limits: Limits
    /// The most connections at once (`--max-clients`); past it a client gets 500 and is closed.
    public var maxClients: Int
    /// Seconds a connection may stay without a name before it is dropped (`--presence-timeout`).
    public var presenceTimeout: Double
    /// Seconds of silence from a named client before it is probed; 0 never probes (`--probe-interval`).
    public var probeInterval: Double
    /// Seconds a probed client has to send anything (normally a `presence`) before it is dropped (`--probe-timeout`).
    public var probeTimeout: Double
    /// How many rooms one connection may be in at once; a `join` past it is answered 403.
    public var maxRoomsPerClient: Int
    /// How many names of departed guests are remembered for 410 answers; the oldest are forgotten first.
    public var seenNamesCapacity: Int
    /// The most detailed log lines produced; lines below it are never even formatted.
    public var logLevel: ServerLogLevel

    public init(
        limits: Limits = .standard, maxClients: Int = 10_000, presenceTimeout: Double = 30,
        probeInterval: Double = 300, probeTimeout: Double = 60, maxRoomsPerClient: Int = 100,
        seenNamesCapacity: Int = 100_000, logLevel: ServerLogLevel = .info
    ) {
        self.limits = limits
        self.maxClients = maxClients
        self.presenceTimeout = presenceTimeout
        self.probeInterval = probeInterval
        self.probeTimeout = probeTimeout
        self.maxRoomsPerClient = maxRoomsPerClient
        self.seenNamesCapacity = seenNamesCapacity
        self.logLevel = logLevel
    }
}
