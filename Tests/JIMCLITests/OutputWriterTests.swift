import Glibc
import JIMCLI
import Testing

@Test func buffersUntilFlush() throws {
    let streams = TestStreams()
    let writer = OutputWriter(descriptor: streams.streams.output)
    try writer.write("hello ")
    try writer.write(Array("wörld".utf8))
    try writer.write(byte: 10)
    #expect(streams.stdout == "")
    #expect(writer.bufferedCount == 13)
    try writer.flush()
    #expect(streams.stdout == "hello wörld\n")
    #expect(writer.bufferedCount == 0)
}

@Test func writesOutWhenTheBufferFills() throws {
    let streams = TestStreams()
    let writer = OutputWriter(descriptor: streams.streams.output, capacity: 8)
    try writer.write("12345")
    try writer.write("678")
    #expect(streams.stdout == "")
    try writer.write("9")
    #expect(streams.stdout == "12345678")
    try writer.write("a much longer text than the buffer")
    #expect(streams.stdout == "123456789a much longer text than the buffer")
    for _ in 0..<20 { try writer.write(byte: UInt8(ascii: "z")) }
    try writer.flush()
    #expect(streams.stdout == "123456789a much longer text than the buffer" + String(repeating: "z", count: 20))
}

@Test func keepsOrderAcrossManySmallAndLargeWrites() throws {
    let streams = TestStreams()
    let writer = OutputWriter(descriptor: streams.streams.output, capacity: 100)
    var expected: [UInt8] = []
    for index in 0..<2000 {
        let chunk = [UInt8](repeating: UInt8(index % 256), count: index % 157)
        expected += chunk
        try writer.write(chunk)
    }
    try writer.flush()
    #expect(streams.stdoutBytes == expected)
}

@Test func writesStraightIntoTheBuffer() throws {
    let streams = TestStreams()
    let writer = OutputWriter(descriptor: streams.streams.output, capacity: 16)
    try writer.write("ab")
    try writer.withUnsafeSpace(16) { space in
        space.copyBytes(from: "cdef".utf8)
        return 4
    }
    #expect(streams.stdout == "ab")
    try writer.flush()
    #expect(streams.stdout == "abcdef")
}

@Test func closedReaderGivesClosedError() throws {
    BrokenPipe.ignore()
    let pipe = TestPipe()
    let writer = OutputWriter(descriptor: pipe.writeEnd)
    pipe.closeReadEnd()
    try writer.write("lost\n")
    #expect(throws: StreamError.closed) { try writer.flush() }
    #expect(writer.isClosed)
    #expect(throws: StreamError.closed) { try writer.write("more") }
    #expect(throws: StreamError.closed) { try writer.flush() }
    #expect(StreamError.closed.exitStatus == .ok)
}

@Test func otherWriteErrorsNameTheCall() throws {
    let fd = open("/dev/null", O_RDONLY)
    defer { close(fd) }
    let writer = OutputWriter(descriptor: fd)
    try writer.write("x")
    #expect(throws: StreamError.system(call: "write", code: EBADF)) { try writer.flush() }
    #expect(StreamError.system(call: "write", code: EBADF).description == "write: Bad file descriptor")
    #expect(StreamError.system(call: "write", code: EBADF).exitStatus == .ioError)
}

@Test func backgroundWritesKeepOrderAndFlushWaitsForThem() throws {
    let streams = TestStreams()
    let writer = OutputWriter(descriptor: streams.streams.output, capacity: 64, background: true)
    var expected: [UInt8] = []
    for index in 0..<3000 {
        let chunk = [UInt8](repeating: UInt8(index % 256), count: index % 97)
        expected += chunk
        try writer.write(chunk)
        if index % 7 == 0 {
            try writer.write(byte: 0x0A)
            expected.append(0x0A)
        }
        if index % 500 == 0 {
            // flush() returns only once everything handed to the thread is written.
            try writer.flush()
            #expect(streams.stdoutBytes == expected)
        }
    }
    try writer.withUnsafeSpace(16) { space in
        space.copyBytes(from: "tail".utf8)
        return 4
    }
    expected += Array("tail".utf8)
    try writer.flush()
    #expect(streams.stdoutBytes == expected)
}

@Test func backgroundWritesReportAClosedReader() throws {
    BrokenPipe.ignore()
    let pipe = TestPipe()
    let writer = OutputWriter(descriptor: pipe.writeEnd, capacity: 64, background: true)
    pipe.closeReadEnd()
    // The thread meets EPIPE; a later call reports it, and every call after that.
    #expect(throws: StreamError.closed) {
        for _ in 0..<100 { try writer.write(String(repeating: "x", count: 50)) }
        try writer.flush()
    }
    #expect(writer.isClosed)
    #expect(throws: StreamError.closed) { try writer.write("more") }
    #expect(throws: StreamError.closed) { try writer.flush() }
}
