#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A buffered writer over a file descriptor, for a tool's data output.
///
/// Bytes collect in a 64 KiB buffer and go out in one write(2) when it fills or on `flush()`;
/// a write larger than the buffer goes straight through. There is no flush on deinit: a tool
/// flushes before it returns, and whenever it is about to wait for input
/// (`LineReader.willBlock`). When the reader of the output has gone (`EPIPE`) every call throws
/// `StreamError.closed`, and the tool should stop with status 0; other errors throw
/// `StreamError.system(call: "write", ...)`.
///
/// With `background`, a full buffer is written by a second thread while the tool fills another
/// (`BackgroundWrites`): a bulk run's computing then overlaps the kernel's copying. `flush()` still
/// returns only once everything is written, so output and diagnostics keep their order, and a
/// write error surfaces at the next call.
public final class OutputWriter {
    /// The descriptor written to.
    public let descriptor: Int32
    /// The buffer size.
    public let capacity: Int
    /// Whether `EPIPE` was seen; all later writes throw `.closed`.
    public private(set) var isClosed = false

    private var buffer: UnsafeMutableRawPointer
    private var count = 0
    private let background: BackgroundWrites?

    /// Creates a writer; the descriptor is not closed by the writer.
    public init(descriptor: Int32, capacity: Int = 65536, background: Bool = false) {
        precondition(capacity > 0, "capacity must be positive")
        self.descriptor = descriptor
        self.capacity = capacity
        self.buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        self.background =
            background
            ? BackgroundWrites(
                descriptor: descriptor, spare: UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16))
            : nil
    }

    deinit {
        background?.stop()
        buffer.deallocate()
    }

    /// The number of bytes waiting in the buffer.
    public var bufferedCount: Int { count }

    /// Appends bytes.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(StreamError) {
        if isClosed { throw .closed }
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        if bytes.count <= capacity - count {
            (buffer + count).copyMemory(from: base, byteCount: bytes.count)
            count += bytes.count
            return
        }
        try spill()
        if bytes.count >= capacity {
            try flush()
            try send(base, bytes.count)
        } else {
            buffer.copyMemory(from: base, byteCount: bytes.count)
            count = bytes.count
        }
    }

    /// Appends bytes.
    public func write(_ bytes: [UInt8]) throws(StreamError) {
        var failure: StreamError?
        bytes.withUnsafeBytes { raw in
            do throws(StreamError) { try write(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Appends a string's UTF-8 bytes.
    public func write(_ string: String) throws(StreamError) {
        var string = string
        var failure: StreamError?
        string.withUTF8 { utf8 in
            do throws(StreamError) { try write(UnsafeRawBufferPointer(utf8)) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Appends one byte.
    public func write(byte: UInt8) throws(StreamError) {
        if count == capacity { try spill() }
        if isClosed { throw .closed }
        buffer.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    /// Lets `body` write up to `maximum` bytes straight into the buffer, returning how many it
    /// wrote; for encoders that would otherwise build a temporary array.
    ///
    /// `maximum` must not exceed `capacity`.
    public func withUnsafeSpace(
        _ maximum: Int, _ body: (UnsafeMutableRawBufferPointer) -> Int
    ) throws(StreamError) {
        precondition(maximum <= capacity, "withUnsafeSpace: \(maximum) exceeds the buffer capacity")
        if isClosed { throw .closed }
        if capacity - count < maximum { try spill() }
        let written = body(UnsafeMutableRawBufferPointer(start: buffer + count, count: maximum))
        precondition(written >= 0 && written <= maximum, "withUnsafeSpace: body wrote \(written) bytes")
        count += written
    }

    /// Writes out everything buffered, and returns once it is written.
    public func flush() throws(StreamError) {
        try spill()
        guard let background else { return }
        do {
            try background.wait()
        } catch {
            if error == .closed { isClosed = true }
            throw error
        }
    }

    /// Empties the buffer: writes it out, or hands it to the background thread.
    private func spill() throws(StreamError) {
        if isClosed { throw .closed }
        guard count > 0 else { return }
        let pending = count
        count = 0
        guard let background else { return try send(buffer, pending) }
        do {
            buffer = try background.handOff(buffer, count: pending)
        } catch {
            if error == .closed { isClosed = true }
            throw error
        }
    }

    private func send(_ base: UnsafeRawPointer, _ length: Int) throws(StreamError) {
        do {
            try SystemCall.writeAll(descriptor, base, length)
        } catch {
            if error == .closed { isClosed = true }
            throw error
        }
    }
}
