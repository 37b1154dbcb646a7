import Glibc

/// A pipe for tests; both ends are closed when it goes away.
final class TestPipe {
    /// The read end, -1 once closed.
    private(set) var readEnd: Int32
    /// The write end, -1 once closed.
    private(set) var writeEnd: Int32

    init() {
        var fds: [Int32] = [0, 0]
        precondition(pipe(&fds) == 0, "pipe failed")
        readEnd = fds[0]
        writeEnd = fds[1]
    }

    deinit {
        // Each end is closed once: a second close(2) could close a descriptor another test has
        // opened since under the same number.
        if readEnd >= 0 { close(readEnd) }
        if writeEnd >= 0 { close(writeEnd) }
    }

    /// Closes the read end: writers then meet EPIPE.
    func closeReadEnd() {
        if readEnd >= 0 { close(readEnd) }
        readEnd = -1
    }

    /// Writes all of `text` to the write end.
    func write(_ text: String) {
        write(Array(text.utf8))
    }

    /// Writes all of `bytes` to the write end.
    func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(writeEnd, $0.baseAddress, $0.count) }
            precondition(written > 0, "write to test pipe failed")
            offset += written
        }
    }

    /// Closes the write end: the reader sees end of input.
    func closeWriteEnd() {
        if writeEnd >= 0 { close(writeEnd) }
        writeEnd = -1
    }
}

/// A file holding `bytes`, opened for reading and already unlinked.
func temporaryInput(_ bytes: [UInt8]) -> Int32 {
    var template = Array("/tmp/jimcli-input-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    precondition(fd >= 0)
    template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    lseek(fd, 0, SEEK_SET)
    return fd
}
