/// What one nonblocking read returned.
public enum ReadResult: Sendable, Equatable {
    /// This many bytes (more than zero) were read into the buffer.
    case bytes(Int)
    /// Nothing to read now; wait for readability.
    case wouldBlock
    /// The peer closed its sending side: no more bytes will come.
    case endOfFile
}
