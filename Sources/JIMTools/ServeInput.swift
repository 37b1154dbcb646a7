import JIMCore

/// The frame decoder of a connection that has input pending between turns (see `ServeConnection.input`).
final class ServeInput {
    /// The decoder, holding the partial frame or the frames not yet handled.
    var decoder: FrameDecoder

    init(_ decoder: FrameDecoder) {
        self.decoder = decoder
    }
}
