import Glibc
import JIMCLI
import Testing

private func records(_ input: [UInt8], delimiter: UInt8 = 10, readSize: Int = 65536, readAhead: Bool = false) throws -> [[UInt8]] {
    let fd = temporaryInput(input)
    defer { close(fd) }
    let reader = LineReader(descriptor: fd, delimiter: delimiter, readSize: readSize)
    reader.readAhead = readAhead
    var found: [[UInt8]] = []
    while let record = try reader.nextBytes() {
        found.append(record)
    }
    return found
}

private func text(_ records: [[UInt8]]) -> [String] {
    records.map { String(decoding: $0, as: UTF8.self) }
}

@Test func readsLinesWithoutTheirDelimiter() throws {
    #expect(text(try records(Array("a\nbb\n\nccc\n".utf8))) == ["a", "bb", "", "ccc"])
}

@Test func returnsTheLastRecordWithoutADelimiter() throws {
    #expect(text(try records(Array("a\nlast".utf8))) == ["a", "last"])
    #expect(text(try records(Array("only".utf8))) == ["only"])
    #expect(try records([]) == [])
    #expect(text(try records(Array("\n".utf8))) == [""])
}

@Test func keepsCarriageReturnsAndOtherBytesExactly() throws {
    let input: [UInt8] = Array("a\r\n".utf8) + [0, 0xFF, 9] + Array("\nПривет 🙂\n".utf8)
    #expect(try records(input) == [Array("a\r".utf8), [0, 0xFF, 9], Array("Привет 🙂".utf8)])
}

@Test func readsNulTerminatedRecords() throws {
    let input = Array("one\ntwo\0three\0tail".utf8)
    #expect(text(try records(input, delimiter: 0)) == ["one\ntwo", "three", "tail"])
}

@Test(arguments: [1, 2, 3, 5, 7, 64])
func recordsSplitAcrossReadsComeOutWhole(readSize: Int) throws {
    var input = ""
    var expected: [String] = []
    for index in 0..<200 {
        let line = String(repeating: "x", count: index % 37) + "Ж\(index)"
        expected.append(line)
        input += line + "\n"
    }
    #expect(text(try records(Array(input.utf8), readSize: readSize)) == expected)
}

@Test func countsRecords() throws {
    let fd = temporaryInput(Array("a\nb\nc".utf8))
    defer { close(fd) }
    let reader = LineReader(descriptor: fd)
    #expect(reader.recordNumber == 0)
    _ = try reader.next()
    _ = try reader.next()
    #expect(reader.recordNumber == 2)
    _ = try reader.next()
    #expect(reader.recordNumber == 3)
    #expect(try reader.next() == nil)
    #expect(reader.recordNumber == 3)
    #expect(try reader.next() == nil)
}

@Test func readsFromAPipeWrittenInPieces() throws {
    let pipe = TestPipe()
    let pieces = ["hel", "lo\nwor", "ld\n\n", "x", "y\nlast"]
    var next = 0
    let reader = LineReader(descriptor: pipe.readEnd, readSize: 4)
    var waits = 0
    reader.willBlock = { () throws(StreamError) in
        waits += 1
        if next < pieces.count {
            pipe.write(pieces[next])
            next += 1
        } else {
            pipe.closeWriteEnd()
        }
    }
    var found: [String] = []
    while let record = try reader.nextBytes() {
        found.append(String(decoding: record, as: UTF8.self))
    }
    #expect(found == ["hello", "world", "", "xy", "last"])
    #expect(waits == pieces.count + 1)
}

@Test func willBlockFiresOnlyWhenNoInputIsWaiting() throws {
    let pipe = TestPipe()
    pipe.write("a\nb\n")
    let reader = LineReader(descriptor: pipe.readEnd)
    var waits = 0
    reader.willBlock = { () throws(StreamError) in
        waits += 1
        pipe.write("c\n")
        pipe.closeWriteEnd()
    }
    #expect(try reader.nextBytes() == Array("a".utf8))
    #expect(try reader.nextBytes() == Array("b".utf8))
    #expect(waits == 0)
    #expect(try reader.nextBytes() == Array("c".utf8))
    #expect(waits == 1)
    #expect(try reader.nextBytes() == nil)
}

@Test func willBlockErrorsStopTheRead() throws {
    let pipe = TestPipe()
    let reader = LineReader(descriptor: pipe.readEnd)
    reader.willBlock = { () throws(StreamError) in throw .closed }
    #expect(throws: StreamError.closed) { try reader.next() }
}

@Test func rejectsARecordPastTheLimitAndSkipsIt() throws {
    let input = Array("short\n\(String(repeating: "y", count: 100))\nafter\nexactly10!\n".utf8)
    for readSize in [3, 16, 4096] {
        let fd = temporaryInput(input)
        defer { close(fd) }
        let reader = LineReader(descriptor: fd, readSize: readSize, maximumRecordLength: 10)
        #expect(try reader.nextBytes() == Array("short".utf8))
        #expect(throws: StreamError.recordTooLong(record: 2, limit: 10)) { try reader.next() }
        #expect(try reader.nextBytes() == Array("after".utf8))
        #expect(reader.recordNumber == 3)
        #expect(try reader.nextBytes() == Array("exactly10!".utf8))
        #expect(try reader.next() == nil)
    }
}

@Test func rejectsAnOverlongLastRecordWithoutDelimiter() throws {
    let fd = temporaryInput(Array("ok\n\(String(repeating: "z", count: 50))".utf8))
    defer { close(fd) }
    let reader = LineReader(descriptor: fd, readSize: 8, maximumRecordLength: 20)
    #expect(try reader.nextBytes() == Array("ok".utf8))
    #expect(throws: StreamError.recordTooLong(record: 2, limit: 20)) { try reader.next() }
    #expect(try reader.next() == nil)
}

@Test func growsForLongRecordsWithoutALimit() throws {
    let long = String(repeating: "q", count: 300_000)
    #expect(text(try records(Array("\(long)\nend\n".utf8), readSize: 1000)) == [long, "end"])
}

@Test func readChunkReturnsRawBytesInOrder() throws {
    let input = Array((0..<1000).map { UInt8($0 % 251) })
    let fd = temporaryInput(input)
    defer { close(fd) }
    let reader = LineReader(descriptor: fd, readSize: 64)
    var collected: [UInt8] = []
    var chunks = 0
    while let chunk = try reader.readChunk() {
        #expect(chunk.count <= 64)
        collected += chunk
        chunks += 1
    }
    #expect(collected == input)
    #expect(chunks == 16)
}

@Test func readChunkStartsWithBytesLeftByLineMode() throws {
    let fd = temporaryInput(Array("first\n{\"a\":1}{\"b\":2}".utf8))
    defer { close(fd) }
    let reader = LineReader(descriptor: fd)
    #expect(try reader.nextBytes() == Array("first".utf8))
    var rest: [UInt8] = []
    while let chunk = try reader.readChunk() { rest += chunk }
    #expect(String(decoding: rest, as: UTF8.self) == "{\"a\":1}{\"b\":2}")
}

@Test func nextBufferedNeverReads() throws {
    let pipe = TestPipe()
    pipe.write("a\nb")
    let reader = LineReader(descriptor: pipe.readEnd)
    #expect(try reader.nextBuffered() == nil)
    #expect(try reader.fill() == 3)
    #expect(try reader.nextBuffered().map(Array.init) == Array("a".utf8))
    #expect(try reader.nextBuffered() == nil)
    pipe.closeWriteEnd()
    #expect(try reader.fill() == 0)
    #expect(reader.reachedEnd)
    #expect(try reader.nextBuffered().map(Array.init) == Array("b".utf8))
    #expect(try reader.nextBuffered() == nil)
}

@Test func opensFilesByPathAndNamesMissingOnes() throws {
    #expect(throws: StreamError.file(path: "/nonexistent/jim", code: ENOENT)) {
        try LineReader(path: "/nonexistent/jim")
    }
    let error = StreamError.file(path: "/nonexistent/jim", code: ENOENT)
    #expect(error.description == "/nonexistent/jim: No such file or directory")
    #expect(error.exitStatus == .noInput)
}

@Test func reportsReadErrorsNamingTheCall() throws {
    let fd = open("/tmp", O_RDONLY | O_DIRECTORY)
    defer { close(fd) }
    let reader = LineReader(descriptor: fd)
    #expect(throws: StreamError.system(call: "read", code: EISDIR)) { try reader.next() }
    #expect(StreamError.system(call: "read", code: EISDIR).description == "read: Is a directory")
}

@Test func flushBeforeBlockingWritesOutPendingOutput() throws {
    let pipe = TestPipe()
    let streams = TestStreams()
    let writer = OutputWriter(descriptor: streams.streams.output)
    let reader = LineReader(descriptor: pipe.readEnd)
    reader.flushBeforeBlocking(writer)
    pipe.write("ping\n")
    let first = try #require(try reader.nextBytes())
    try writer.write(first)
    #expect(streams.stdout == "")
    pipe.closeWriteEnd()
    #expect(try reader.next() == nil)
    #expect(streams.stdout == "", "input was at hand (end of file), so nothing had to be flushed")
    let live = TestPipe()
    let liveReader = LineReader(descriptor: live.readEnd)
    liveReader.flushBeforeBlocking(writer)
    let done = { () throws(StreamError) in
        #expect(streams.stdout == "ping", "output was flushed before waiting")
        live.closeWriteEnd()
    }
    let flush = liveReader.willBlock
    liveReader.willBlock = { () throws(StreamError) in
        try flush?()
        try done()
    }
    #expect(try liveReader.next() == nil)
}

@Test(arguments: [1, 7, 64, 4096])
func readingAheadGivesTheSameRecordsAndChunks(readSize: Int) throws {
    var input: [UInt8] = []
    for index in 0..<500 { input += Array((String(repeating: "ж", count: index % 41) + "\(index)\n").utf8) }
    input += Array("no delimiter at the end".utf8)
    #expect(try records(input, readSize: readSize, readAhead: true) == records(input, readSize: readSize))
    let fd = temporaryInput(input)
    defer { close(fd) }
    let reader = LineReader(descriptor: fd, readSize: readSize)
    reader.readAhead = true
    var collected: [UInt8] = []
    while let chunk = try reader.readChunk() { collected += chunk }
    #expect(collected == input)
    #expect(try reader.readChunk() == nil)
}

@Test func readingAheadLeavesPipesToOrdinaryReads() throws {
    let pipe = TestPipe()
    let reader = LineReader(descriptor: pipe.readEnd)
    reader.readAhead = true
    var flushes = 0
    // Called only when a read would wait: it then supplies the rest, so nothing waits for long.
    reader.willBlock = { () throws(StreamError) in
        flushes += 1
        pipe.write("two\n")
        pipe.closeWriteEnd()
    }
    pipe.write("one\n")
    #expect(try reader.nextBytes() == Array("one".utf8))
    #expect(flushes == 0)
    #expect(try reader.nextBytes() == Array("two".utf8))
    #expect(try reader.next() == nil)
    // A pipe is still polled, and the tool told before the read that would have waited.
    #expect(flushes == 1)
}

/// Numbered lines of varied length, ASCII and Cyrillic, up to at least `size` bytes; and their count.
private func sampleLines(atLeast size: Int) -> (bytes: [UInt8], lines: Int) {
    var input: [UInt8] = []
    var index = 0
    while input.count < size {
        input += Array("line \(index) \(String(repeating: "ж", count: index % 97))\n".utf8)
        index += 1
    }
    return (input, index)
}

@Test func readingAheadAcrossManyBlocksGivesTheFileInOrder() throws {
    // Over 3 MiB: the read-ahead thread swaps its 1 MiB blocks several times.
    let (input, index) = sampleLines(atLeast: 3_300_000)
    let fd = temporaryInput(input)
    defer { close(fd) }
    let reader = LineReader(descriptor: fd, readSize: 65536)
    reader.readAhead = true
    var count = 0
    var collected: [UInt8] = []
    collected.reserveCapacity(input.count)
    while let record = try reader.next() {
        collected += record
        collected.append(0x0A)
        count += 1
    }
    #expect(count == index)
    #expect(collected == input)
}

@Test func mappedChunksStartAtTheDescriptorsOffsetAndLeaveItAtTheEnd() throws {
    let input = sampleLines(atLeast: 2_500_000).bytes
    let fd = temporaryInput(input)
    defer { close(fd) }
    // Whoever had the descriptor before read 5,000 bytes of it (not a page boundary).
    lseek(fd, 5_000, SEEK_SET)
    let reader = LineReader(descriptor: fd, readSize: 1 << 20)
    reader.readAhead = true
    var collected: [UInt8] = []
    var largest = 0
    while let chunk = try reader.readChunk() {
        collected += chunk
        largest = max(largest, chunk.count)
        // Between chunks the offset is where the next one starts, as after read(2).
        #expect(Int(lseek(fd, 0, SEEK_CUR)) == 5_000 + collected.count)
    }
    #expect(collected == Array(input[5_000...]))
    #expect(largest == 1 << 20)
    #expect(try reader.readChunk() == nil)
}

@Test func mappedChunksFollowAFileThatGrowsOrShrinks() throws {
    let first = [UInt8](repeating: UInt8(ascii: "a"), count: 10_000)
    let fd = temporaryInput(first)
    defer { close(fd) }
    let reader = LineReader(descriptor: fd, readSize: 4096)
    reader.readAhead = true
    var collected: [UInt8] = []
    collected += try #require(try reader.readChunk())
    // Grown by another writer: read on to the new end.
    let more = [UInt8](repeating: UInt8(ascii: "b"), count: 5_000)
    _ = more.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(first.count)) }
    while let chunk = try reader.readChunk() { collected += chunk }
    #expect(collected == first + more)
    // Cut short under a second reader: it ends where the file now ends, as read(2) would.
    lseek(fd, 0, SEEK_SET)
    let second = LineReader(descriptor: fd, readSize: 4096)
    second.readAhead = true
    let head = try #require(try second.readChunk())
    #expect(head.count == 4096)
    ftruncate(fd, 6_000)
    let rest = try #require(try second.readChunk())
    #expect(rest.count == 6_000 - 4096)
    #expect(try second.readChunk() == nil)
}
