import Testing

@testable import JIMNet

/// `Connection`'s monotonic counters (how far a frame has gone) and the storage a drained queue keeps.
@Suite struct ConnectionOffsetsTests {
    @Test func countersTrackEveryByteQueuedAndEveryByteWritten() throws {
        let (a, b) = try Socket.pair()
        let connection = Connection(socket: a, maxQueue: 1000)
        #expect(connection.enqueue([UInt8](repeating: 1, count: 300)))
        let firstEnd = connection.bytesEnqueued
        #expect(connection.enqueue([UInt8](repeating: 2, count: 200)))
        #expect(!connection.enqueue([UInt8](repeating: 3, count: 600)))  // refused: not counted
        #expect(firstEnd == 300)
        #expect(connection.bytesEnqueued == 500)
        #expect(connection.bytesWritten == 0)
        #expect(try connection.flush())
        #expect(connection.bytesWritten == 500)
        #expect(try TestSupport.read(b, upTo: 500).count == 500)
        // The counters never go back, across drained queues.
        #expect(connection.enqueue([4, 5, 6]))
        #expect(connection.bytesEnqueued == 503)
        #expect(try connection.flush())
        #expect(connection.bytesWritten == 503)
    }

    @Test func aPartialFlushCountsExactlyWhatTheKernelTook() throws {
        let (a, b) = try Socket.pair()
        try a.setSendBufferSize(4096)
        let connection = Connection(socket: a, maxQueue: 1 << 20)
        let payload = TestSupport.pattern(200_000)
        #expect(connection.enqueue(payload))
        #expect(try !connection.flush())
        let written = connection.bytesWritten
        #expect(written > 0 && written < payload.count)
        #expect(written + connection.pendingBytes == connection.bytesEnqueued)
        // The peer can read exactly what was counted as written, and no more yet.
        let received = try TestSupport.read(b, upTo: written)
        #expect(received == Array(payload[..<written]))
        var more = [UInt8](repeating: 0, count: 16)
        #expect(try more.withUnsafeMutableBytes { try b.read(into: $0) } == .wouldBlock)
    }

    @Test func aDrainedQueueKeepsBoundedStorageUntilReleased() throws {
        let (a, b) = try Socket.pair()
        let connection = Connection(socket: a, maxQueue: 1 << 20)
        // A burst: the drained queue keeps its storage for the next one.
        for _ in 0..<50 { #expect(connection.enqueue([UInt8](repeating: 7, count: 160))) }
        #expect(try connection.flush())
        #expect(connection.storageCapacity >= 8000 && connection.storageCapacity <= Connection.retainedCapacity)
        #expect(connection.hasSpareStorage)
        // A little storage is not worth releasing.
        let (c, d) = try Socket.pair()
        let small = Connection(socket: c, maxQueue: 1000)
        #expect(small.enqueue([UInt8](repeating: 9, count: 100)))
        #expect(try small.flush())
        #expect(small.storageCapacity > 0)
        #expect(!small.hasSpareStorage)
        #expect(try TestSupport.read(d, upTo: 100).count == 100)
        // Gone quiet: the owner releases it.
        connection.releaseStorage()
        #expect(connection.storageCapacity == 0)
        #expect(!connection.hasSpareStorage)
        // A burst past the retained size: its storage goes as soon as the queue drains.
        for _ in 0..<200 { #expect(connection.enqueue([UInt8](repeating: 8, count: 160))) }
        #expect(connection.storageCapacity >= 32_000)
        // Nothing is released while bytes are pending.
        connection.releaseStorage()
        #expect(connection.pendingBytes == 32_000)
        #expect(try connection.flush())
        #expect(connection.storageCapacity == 0)
        #expect(try TestSupport.read(b, upTo: 40_000).count == 40_000)
    }
}
