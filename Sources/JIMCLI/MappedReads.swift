import CJIMSys

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A regular file's bytes from the descriptor's offset on, mapped into memory a window at a time and
/// handed out in place: for the bulk tools, whose input is then never copied by read(2).
///
/// - Each window is mapped read-only and private, after fstat(2) says the file still holds it, and
///   unmapped when the next one is asked for, so memory stays at one window however large the file.
/// - A file that grows is read on to its new end; one that shrinks ends where it now ends, as read(2)
///   would. The descriptor's offset is kept at the end of what was handed out, so whoever reads the
///   descriptor next starts there.
/// - The one thing read(2) does better: a file cut short while a window of it is being read raises
///   SIGBUS. The process then ends with status 74 and a message on standard error
///   (`cjim_exit_on_sigbus`) instead of dumping core. Output already written stays written.
final class MappedReads {
    private let descriptor: Int32
    private let windowSize: Int
    /// The file offset of the next byte to hand out.
    private var offset: Int
    private var window: (base: UnsafeMutableRawPointer, length: Int)?
    private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// Maps `descriptor`, a regular file, from its current offset; nil when it cannot be mapped (the
    /// caller reads it instead).
    init?(descriptor: Int32, windowSize: Int) {
        let start = lseek(descriptor, 0, SEEK_CUR)
        guard start >= 0, Self.pageSize > 0 else { return nil }
        self.descriptor = descriptor
        self.windowSize = max(windowSize, Self.pageSize)
        self.offset = Int(start)
        let tool = CommandLine.arguments.first.map { $0.split(separator: "/").last.map(String.init) ?? $0 } ?? "jim"
        _ = cjim_exit_on_sigbus("\(tool): an input file was cut short while it was being read\n", ExitStatus.ioError.rawValue)
    }

    deinit {
        unmap()
    }

    /// The next window of the file (valid until the next call), empty at its end.
    func next() throws(StreamError) -> UnsafeRawBufferPointer {
        unmap()
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .system(call: "fstat", code: errno) }
        let size = Int(info.st_size)
        guard offset < size else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let aligned = offset - offset % Self.pageSize
        let count = min(windowSize, size - offset)
        let length = offset - aligned + count
        guard let base = mmap(nil, length, PROT_READ, MAP_PRIVATE, descriptor, off_t(aligned)), base != MAP_FAILED else {
            throw .system(call: "mmap", code: errno)
        }
        _ = madvise(base, length, MADV_SEQUENTIAL)
        window = (base, length)
        let piece = UnsafeRawBufferPointer(start: base + (offset - aligned), count: count)
        offset += count
        guard lseek(descriptor, off_t(offset), SEEK_SET) >= 0 else { throw .system(call: "lseek", code: errno) }
        return piece
    }

    private func unmap() {
        if let window { munmap(window.base, window.length) }
        window = nil
    }
}
