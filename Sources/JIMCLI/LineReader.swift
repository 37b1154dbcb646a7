#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A fast buffered reader of delimited records (lines, or NUL-terminated records) from an fd.
///
/// - Each record comes without its delimiter; a last record with no delimiter still counts.
///   Bytes are kept exactly: a CR before the LF stays part of the record.
/// - Records are handed out zero-copy as an `UnsafeRawBufferPointer` into the reader's own
///   buffer, valid only until the next call on the reader. Nothing is allocated per record;
///   the delimiter is found with memchr(3); reads are `readSize` bytes (64 KiB) at a time.
/// - `recordNumber` is the 1-based number of the record last returned (for `line 3:` errors).
/// - Long records: with `maximumRecordLength` nil (the default), the buffer grows to hold any
///   record. With a limit, a longer record throws `StreamError.recordTooLong` as soon as the
///   limit is passed (without buffering the rest); the rest of that record is skipped, and the
///   next call returns the record after it.
/// - `willBlock` is called just before a read(2) that would block (nothing is available on the
///   descriptor), so the tool can flush its output while it waits for more input.
/// - `readChunk()` gives raw chunks instead, for tools that feed a frame decoder.
/// - For event loops: `fill()` does one read(2); `nextBuffered()` returns records already in
///   the buffer and never reads.
public final class LineReader {
    /// The descriptor read from.
    public let descriptor: Int32
    /// The byte that ends a record: LF (10) or NUL (0).
    public let delimiter: UInt8
    /// The most bytes one read(2) asks for.
    public let readSize: Int
    /// The longest record accepted, or nil for no limit.
    public let maximumRecordLength: Int?
    /// Called before a read(2) that would block; typically flushes the tool's output.
    ///
    /// Swift does not infer a closure's typed throws, so write
    /// `reader.willBlock = { () throws(StreamError) in ... }`, or use `flushBeforeBlocking(_:)`.
    public var willBlock: (() throws(StreamError) -> Void)?
    /// The 1-based number of the record last returned (or found too long).
    public private(set) var recordNumber = 0
    /// Whether read(2) has reported end of input.
    public private(set) var reachedEnd = false

    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    private var start = 0
    private var end = 0
    private var scanned = 0
    private var skipping = false
    private let ownsDescriptor: Bool
    /// For the bulk tools: whether a regular file is read without waiting on read(2). Records are read
    /// one block ahead by a second thread (`BackgroundReads`), so that the kernel's copying overlaps
    /// the tool's work; `readChunk` hands out windows of the mapped file (`MappedReads`), which are
    /// not copied at all. Other inputs are read as they come either way.
    public var readAhead = false
    private var ahead: BackgroundReads?
    /// The file mapped for `readChunk`, or whether it could not be.
    private var mapped: MappedReads?
    private var unmappable = false
    /// A regular file never makes read(2) wait, so it is not polled before each read.
    private lazy var isRegularFile: Bool = {
        var info = stat()
        return fstat(descriptor, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
    }()

    /// Creates a reader over an open descriptor, which the reader does not close.
    public init(
        descriptor: Int32,
        delimiter: UInt8 = UInt8(ascii: "\n"),
        readSize: Int = 65536,
        maximumRecordLength: Int? = nil
    ) {
        precondition(readSize > 0, "readSize must be positive")
        self.descriptor = descriptor
        self.delimiter = delimiter
        self.readSize = readSize
        self.maximumRecordLength = maximumRecordLength
        self.capacity = readSize * 2
        self.buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        self.ownsDescriptor = false
    }

    /// Opens a file for reading; the reader closes it when it goes away.
    public init(
        path: String,
        delimiter: UInt8 = UInt8(ascii: "\n"),
        readSize: Int = 65536,
        maximumRecordLength: Int? = nil
    ) throws(StreamError) {
        precondition(readSize > 0, "readSize must be positive")
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw .file(path: path, code: errno) }
        self.descriptor = fd
        self.delimiter = delimiter
        self.readSize = readSize
        self.maximumRecordLength = maximumRecordLength
        self.capacity = readSize * 2
        self.buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        self.ownsDescriptor = true
    }

    deinit {
        // The read-ahead thread first: it may be reading the descriptor.
        ahead?.stop()
        buffer.deallocate()
        if ownsDescriptor { close(descriptor) }
    }

    /// Makes the reader flush `writer` whenever it is about to wait for input.
    ///
    /// A live pipeline then never stalls, and a bulk run still writes in large blocks.
    public func flushBeforeBlocking(_ writer: OutputWriter) {
        willBlock = { () throws(StreamError) in try writer.flush() }
    }

    /// The number of bytes read but not yet returned.
    public var bufferedCount: Int { end - start }

    /// The next record without its delimiter, or nil at end of input; reads as needed.
    ///
    /// The buffer is valid until the next call on this reader.
    public func next() throws(StreamError) -> UnsafeRawBufferPointer? {
        while true {
            if let record = try nextBuffered() { return record }
            if reachedEnd { return nil }
            _ = try fill()
        }
    }

    /// The next record as a new array, or nil at end of input (allocates; for tests and tools
    /// that keep records).
    public func nextBytes() throws(StreamError) -> [UInt8]? {
        try next().map { Array($0) }
    }

    /// The next record already in the buffer, without reading; nil if none is complete yet.
    ///
    /// After end of input it also returns the last record if it had no delimiter.
    public func nextBuffered() throws(StreamError) -> UnsafeRawBufferPointer? {
        if skipping {
            guard let found = memchr(buffer + scanned, Int32(delimiter), end - scanned) else {
                start = 0
                end = 0
                scanned = 0
                if reachedEnd { skipping = false }
                return nil
            }
            skipping = false
            start = buffer.distance(to: found) + 1
            scanned = start
        }
        if let found = memchr(buffer + scanned, Int32(delimiter), end - scanned) {
            let stop = buffer.distance(to: found)
            let record = UnsafeRawBufferPointer(start: buffer + start, count: stop - start)
            start = stop + 1
            scanned = start
            recordNumber += 1
            if let limit = maximumRecordLength, record.count > limit {
                throw .recordTooLong(record: recordNumber, limit: limit)
            }
            return record
        }
        scanned = end
        if let limit = maximumRecordLength, end - start > limit {
            recordNumber += 1
            skipping = true
            start = 0
            end = 0
            scanned = 0
            throw .recordTooLong(record: recordNumber, limit: limit)
        }
        if reachedEnd && start < end {
            let record = UnsafeRawBufferPointer(start: buffer + start, count: end - start)
            start = end
            recordNumber += 1
            return record
        }
        return nil
    }

    /// Does one read(2) into the buffer (calling `willBlock` first if it would block);
    /// returns the number of bytes read, 0 at end of input.
    @discardableResult
    public func fill() throws(StreamError) -> Int {
        if reachedEnd { return 0 }
        if start == end {
            start = 0
            end = 0
            scanned = 0
        }
        if capacity - end < readSize {
            if start > 0 {
                memmove(buffer, buffer + start, end - start)
                end -= start
                scanned -= start
                start = 0
            }
            if capacity - end < readSize {
                grow(to: max(capacity * 2, end + readSize))
            }
        }
        let count: Int
        if readAhead && isRegularFile {
            count = try aheadReads().take(into: buffer + end, maximum: capacity - end)
        } else {
            if let willBlock, !isRegularFile, !SystemCall.isReadable(descriptor) {
                try willBlock()
            }
            count = try SystemCall.readSome(descriptor, buffer + end, min(readSize, capacity - end))
        }
        if count == 0 {
            reachedEnd = true
        }
        end += count
        return count
    }

    /// The next raw chunk of input (buffered bytes first), or nil at end of input.
    ///
    /// For tools that feed bytes to a decoder. Valid until the next call on this reader. With
    /// `readAhead` on a regular file, chunks are windows of the file mapped into memory (`MappedReads`),
    /// `readSize` bytes each, handed out in place.
    public func readChunk() throws(StreamError) -> UnsafeRawBufferPointer? {
        if start == end && readAhead && isRegularFile && ahead == nil {
            // Straight from the file's pages: nothing copied, no read-ahead thread needed.
            if reachedEnd { return nil }
            if mapped == nil && !unmappable {
                mapped = MappedReads(descriptor: descriptor, windowSize: readSize)
                unmappable = mapped == nil
            }
            if let mapped {
                let piece = try mapped.next()
                if piece.isEmpty {
                    reachedEnd = true
                    return nil
                }
                return piece
            }
        }
        if start == end {
            if try fill() == 0 { return nil }
        }
        let chunk = UnsafeRawBufferPointer(start: buffer + start, count: end - start)
        start = 0
        end = 0
        scanned = 0
        return chunk
    }

    /// The read-ahead thread, started on first use.
    private func aheadReads() -> BackgroundReads {
        if let ahead { return ahead }
        let started = BackgroundReads(descriptor: descriptor, size: readSize)
        ahead = started
        return started
    }

    private func grow(to newCapacity: Int) {
        let larger = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        larger.copyMemory(from: buffer, byteCount: end)
        buffer.deallocate()
        buffer = larger
        capacity = newCapacity
    }
}
