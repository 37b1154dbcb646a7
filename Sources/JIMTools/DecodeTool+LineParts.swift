import JIMCLI
import JIMCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension DecodeTool {
    /// Takes the whole NDJSON lines of a chunk, frame by frame, as `FrameDecoder.takeLines` does,
    /// splitting a large chunk in two at a line end: the second half goes to a second thread while the
    /// caller takes the first, and their records are written in input order. A half stops at its first
    /// line that is not one good frame; from there, `decode` hands the rest to the decoder.
    final class LineParts {
        /// Bytes read at a time: large enough that a wake-up of the second thread is rare.
        static let chunkSize = 1 << 20
        /// Chunks with fewer bytes of whole lines than this are taken on one thread.
        static let splitSize = 1 << 18

        private let renderer: Renderer
        private let first = Part()
        private let second = Part()
        private var helper: JobThread?

        init(renderer: Renderer) {
            self.renderer = renderer
        }

        /// Ends the second thread, if one was started.
        func stop() {
            helper?.stop()
            helper = nil
        }

        /// Takes frames from `lines` (whole lines) and writes their records; returns how far it got
        /// (just past an LF) and the lines passed.
        func take(_ lines: UnsafeRawBufferPointer, writer: OutputWriter) throws(StreamError) -> (end: Int, lines: Int) {
            guard lines.count >= Self.splitSize, let base = lines.baseAddress else {
                first.source = lines
                first.run(renderer)
                try writer.write(first.out)
                return first.taken
            }
            let half = lines.count / 2
            // `lines` ends with an LF, so one is found.
            let lf = memchr(base + half, 0x0A, lines.count - half)!
            let middle = base.distance(to: lf) + 1
            let helper = self.helper ?? JobThread()
            self.helper = helper
            first.source = UnsafeRawBufferPointer(rebasing: lines[..<middle])
            second.source = UnsafeRawBufferPointer(rebasing: lines[middle...])
            helper.begin { [second, renderer] in second.run(renderer) }
            first.run(renderer)
            // The first half's records are written while the second thread may still be working.
            try writer.write(first.out)
            helper.finish()
            guard first.taken.end == middle else { return first.taken }
            try writer.write(second.out)
            return (middle + second.taken.end, first.taken.lines + second.taken.lines)
        }

        /// One thread's share of a chunk: its own copy of the lines (so the two threads share no array),
        /// the records they gave, and how far it got.
        final class Part: @unchecked Sendable {
            /// The lines to take (set before `run`; a raw buffer cannot be captured by the job).
            var source = UnsafeRawBufferPointer(start: nil, count: 0)
            private(set) var out: [UInt8] = []
            private(set) var taken = (end: 0, lines: 0)
            private var text: [UInt8] = []

            func run(_ renderer: Renderer) {
                var text = self.text
                var out = self.out
                self.text = []
                self.out = []
                text.removeAll(keepingCapacity: true)
                text.append(contentsOf: source.assumingMemoryBound(to: UInt8.self))
                out.removeAll(keepingCapacity: true)
                taken = FrameDecoder.takeLines(text[...]) { renderer.take($0, into: &out) }
                self.text = text
                self.out = out
            }
        }
    }
}
