extension ClientSession {
    /// Who the client is: the name it takes, its status, and a password when it authenticates.
    public struct Identity: Sendable, Equatable {
        /// The account name (already checked with `Names.userProblem`).
        public var name: String
        /// The status sent in presence; nil means `online` for a guest, and no presence after
        /// `authenticate`.
        public var status: String?
        /// With a password the session sends `authenticate` instead of `presence`.
        public var password: String?

        /// Creates an identity.
        public init(name: String, status: String? = nil, password: String? = nil) {
            self.name = name
            self.status = status
            self.password = password
        }

        /// The status presence frames carry.
        public var presenceStatus: String { status ?? "online" }
    }

    /// What a session needs to know before it starts.
    public struct Configuration: Sendable {
        /// Who the client is.
        public var identity: Identity
        /// Rooms to join after every (re)connection, in this order (a listener's `-r`).
        public var rooms: [String]
        /// The most requests in flight once the server has said it takes pipelined requests.
        public var window: Int
        /// The clock for the `time` of the frames the session writes itself (UNIX seconds).
        public var clock: @Sendable () -> Double

        /// Creates a configuration.
        public init(
            identity: Identity, rooms: [String] = [], window: Int = 256, clock: @escaping @Sendable () -> Double
        ) {
            precondition(window >= 1, "window must be at least 1")
            self.identity = identity
            self.rooms = rooms
            self.window = window
            self.clock = clock
        }
    }

    /// What a request was, so that its answer can be told apart and reported.
    public enum RequestKind: Sendable, Equatable {
        /// The `presence` or `authenticate` that gives the connection its name.
        case identify
        /// A `presence` the session sends on its own: a probe's answer, or the status after `authenticate`.
        case presence
        /// A `join` of this room.
        case join(String)
        /// A `leave` of this room.
        case leave(String)
        /// A `msg` to this user or room.
        case message(to: String)
        /// Any other request, by action name (from `--frames` input).
        case other(action: String)
    }

    /// One input record to send: one or more frames (a line cut by `--split` gives several).
    public struct Submission: Sendable {
        /// The record's number, from 1 (the line number for diagnostics).
        public var record: Int
        /// What the frames are; a `.message` to a room not yet joined is preceded by a `join`.
        public var kind: RequestKind
        /// The frames' JSON text, each ending with LF.
        public var bytes: [UInt8]
        /// How many frames `bytes` holds.
        public var frames: Int

        /// Creates a submission of `frames` LF-terminated frames.
        public init(record: Int, kind: RequestKind, bytes: [UInt8], frames: Int = 1) {
            self.record = record
            self.kind = kind
            self.bytes = bytes
            self.frames = frames
        }
    }

    /// The answer to one request.
    public struct Answer: Sendable, Equatable {
        /// What the request was.
        public var request: RequestKind
        /// The input record it was sent for (also for a `join` sent ahead of a record's message);
        /// nil for the session's own requests.
        public var record: Int?
        /// The response (`time` is not kept).
        public var response: Response

        /// Creates an answer.
        public init(request: RequestKind, record: Int?, response: Response) {
            self.request = request
            self.record = record
            self.response = response
        }

        /// Whether the code is 2xx.
        public var isSuccess: Bool { (200..<300).contains(response.code.rawValue) }
    }

    /// Where the session is in its connection's life.
    public enum Phase: Sendable, Equatable {
        /// Not connected (before the first connection, or after one was lost).
        case offline
        /// Connected; the identity request is waiting for its answer.
        case identifying
        /// The server took the identity; requests flow.
        case identified
        /// `quit` was sent (or the identity refused): nothing more goes out.
        case finished
    }

    /// Something that happened, told to `handle(_:into:)`.
    public enum Event: Sendable {
        /// The transport connected (the first time or again): identify, then join the rooms.
        case connected
        /// A frame arrived, checked against the JSON grammar.
        case received(FrameView)
        /// A frame `isPlainOK` recognised: `{"response":200,"time":T,"alert":"OK"}`, the answer to nearly
        /// every request, taken without building a view.
        case receivedPlainOK
        /// The server's stream held something that is not a frame.
        case badFrame(FrameError)
        /// Send an input record (queued until the window has room).
        case submit(Submission)
        /// No more input: send what is queued, wait for every answer, then quit.
        case endOfInput
        /// Stop early: drop what is not sent yet, wait for answers to what is, then quit.
        case stop
        /// Leave now (a signal, a closed output): send quit without waiting for answers.
        case quit
        /// The connection is gone (closed by the server, reset, timed out).
        case disconnected(reason: String)
    }

    /// Something the session wants done or known, in order.
    public enum Action: Sendable {
        /// The server took the identity; `pipelining` in the response says whether it takes pipelined requests.
        case identified(Response)
        /// Identified and in every configured room (once per connection): a listener is now listening.
        case ready
        /// The session is in `room` (a configured room, a rejoin, or a join sent ahead of a message).
        case joined(room: String, Response)
        /// A submitted record's request was answered (success or not), or one of the session's own
        /// requests failed (an identity refused, a room that could not be joined).
        case answered(Answer)
        /// A `msg` pushed by the server.
        case message(FrameView)
        /// Another push: a 1xx notice or an action other than `msg` and `probe`.
        case push(FrameView)
        /// The server broke the protocol (an answer with no request waiting, a bad frame); the session goes on.
        case unexpected(String)
        /// These records were sent or queued but never answered (sorted, each once).
        case unacknowledged(records: [Int], reason: String)
        /// Nothing more will be sent: write out the outbox, shut down the sending side, drain, close.
        case finished
    }
}
