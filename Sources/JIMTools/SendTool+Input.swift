import JIMCLI
import JIMCore

extension SendTool {
    /// jim-send's input as records ready to submit: lines encoded as msg frames (routed, split), frames
    /// checked, or the one `-m` message; inputs read in turn.
    ///
    /// Built for an event loop: `next()` never reads, it returns what the bytes already read give (nil
    /// when more must be read, or at the end: see `isFinished`); `fill()` does one read(2) from
    /// `descriptor`, which the loop has reported readable.
    final class Input {
        /// One thing the input gave.
        enum Item {
            /// A record to send.
            case submission(ClientSession.Submission)
            /// A record that cannot be sent (status 65); `label` names it (`line 3`).
            case bad(label: String, reason: String)
            /// An input could not be opened or read.
            case failed(StreamError)
        }

        let plan: Plan
        let streams: Streams
        /// Where each record came from.
        private(set) var labels: RecordLabels
        /// Whether every input has been read to its end (or `quit` was read from `--frames` input).
        private(set) var isFinished = false

        private var source = -1
        private var reader: LineReader?
        private var decoder = FrameDecoder()
        private var encoder: EncodeTool.MessageEncoder
        private var router: Router?
        private var time = EncodeTool.TimeText()
        private var scratch: [UInt8] = []
        private var frameSpace = UnsafeMutableRawBufferPointer.allocate(byteCount: 8192, alignment: 16)
        private var record = 0
        private var pendingFailure: StreamError?

        init(plan: Plan, streams: Streams) {
            self.plan = plan
            self.streams = streams
            encoder = EncodeTool.MessageEncoder(from: plan.settings.identity.name, split: plan.split)
            router = plan.route ? Router(defaultTarget: plan.to) : nil
            if case .message = plan.mode {
                labels = RecordLabels(sources: ["-m"])
            } else {
                labels = RecordLabels(sources: plan.inputs)
            }
            scratch.reserveCapacity(4096)
            openNext()
        }

        deinit {
            frameSpace.deallocate()
        }

        /// The descriptor to wait on for more input, or nil when there is none (`-m`, or finished).
        var descriptor: Int32? { isFinished ? nil : reader?.descriptor }

        /// The next item from what was read so far; nil when a read is needed or the input is finished.
        func next() -> Item? {
            if let failure = pendingFailure {
                pendingFailure = nil
                isFinished = true
                return .failed(failure)
            }
            if isFinished { return nil }
            if case .message(let text) = plan.mode {
                isFinished = true
                var bytes = Array(text.utf8)
                return bytes.withUnsafeMutableBytes { encode(UnsafeRawBufferPointer($0), line: 1) }
            }
            while let reader {
                if plan.mode == .frames {
                    if let item = nextFrame() { return item }
                    if isFinished { return nil }
                } else {
                    do {
                        if let line = try reader.nextBuffered() { return encode(line, line: reader.recordNumber) }
                    } catch {
                        isFinished = true
                        return .failed(error)
                    }
                }
                guard reader.reachedEnd else { return nil }
                if plan.mode == .frames && decoder.isInsideFrame {
                    decoder = FrameDecoder()
                    return .bad(
                        label: labels.label(source: source, line: reader.recordNumber),
                        reason: "unexpected end of input inside a frame")
                }
                openNext()
                if let failure = pendingFailure {
                    pendingFailure = nil
                    isFinished = true
                    return .failed(failure)
                }
            }
            isFinished = true
            return nil
        }

        /// One read(2) from the current input.
        func fill() throws(StreamError) {
            guard let reader, !reader.reachedEnd else { return }
            if plan.mode == .frames {
                if let chunk = try reader.readChunk() { decoder.feed(chunk) }
            } else {
                try reader.fill()
            }
        }

        /// Opens the next input (nil reader when there is none left).
        private func openNext() {
            reader = nil
            if case .message = plan.mode { return }
            source += 1
            guard source < plan.inputs.count else { return }
            decoder = FrameDecoder()
            do {
                reader = try ToolSupport.reader(for: plan.inputs[source], streams: streams, delimiter: plan.delimiter)
            } catch {
                pendingFailure = error
            }
        }

        /// Encodes one line (without its delimiter) as one or more msg frames.
        private func encode(_ bytes: UnsafeRawBufferPointer, line number: Int) -> Item {
            var label: String { labels.label(source: max(source, 0), line: number) }
            var text = bytes
            var target = plan.to ?? ""
            if router != nil {
                do {
                    let route = try router!.route(bytes)
                    target = route.target
                    text = UnsafeRawBufferPointer(rebasing: bytes[route.message])
                } catch {
                    return .bad(label: label, reason: error.description)
                }
            }
            time.update(SystemTime.now())
            scratch.removeAll(keepingCapacity: true)
            var frames = 0
            let failure = time.bytes.withUnsafeBytes { t in
                encoder.encode(text, to: target, time: t) {
                    (space: Int, body: (UnsafeMutableRawBufferPointer) -> Int) in
                    // Into one reused buffer, then onto `scratch`: no array per frame.
                    if space > frameSpace.count {
                        frameSpace.deallocate()
                        frameSpace = .allocate(byteCount: max(space, frameSpace.count * 2), alignment: 16)
                    }
                    let written = body(UnsafeMutableRawBufferPointer(rebasing: frameSpace[0..<space]))
                    if written > 0 {
                        frames += 1
                        scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: frameSpace[0..<written]))
                    }
                }
            }
            if var error = failure {
                if case .invalidUTF8(let offset) = error, text.baseAddress != bytes.baseAddress {
                    error = .invalidUTF8(offset: offset + (bytes.count - text.count))
                }
                return .bad(label: label, reason: error.description)
            }
            record += 1
            labels.note(record: record, source: max(source, 0), line: number)
            return .submission(
                ClientSession.Submission(record: record, kind: .message(to: target), bytes: scratch, frames: frames))
        }

        /// The next frame of `--frames` input, checked; nil when more must be read.
        private func nextFrame() -> Item? {
            guard let output = decoder.next() else { return nil }
            switch output {
            case .error(let error):
                return .bad(label: labels.label(source: source, line: error.position?.line ?? 0), reason: error.reason)
            case .frame(let raw):
                let line = raw.position.line
                let label = labels.label(source: source, line: line)
                let frame: Frame
                do {
                    frame = try Frame(parsing: raw.bytes)
                } catch {
                    return .bad(label: label, reason: error.reason)
                }
                let kind: ClientSession.RequestKind
                switch frame.kind {
                case .response:
                    return .bad(label: label, reason: "a response is not a request")
                case .request(let request):
                    switch request {
                    case .msg(let m): kind = .message(to: m.to)
                    case .join(let r): kind = .join(r.room)
                    case .leave(let r): kind = .leave(r.room)
                    case .presence, .authenticate: kind = .other(action: request.action)
                    case .quit:
                        isFinished = true
                        return nil
                    case .probe: return .bad(label: label, reason: "probe: only servers send it")
                    case .unknown(let action): return .bad(label: label, reason: "unknown action: \(action)")
                    }
                }
                record += 1
                labels.note(record: record, source: source, line: line)
                var bytes = Array(raw.bytes)
                bytes.append(0x0A)
                return .submission(ClientSession.Submission(record: record, kind: kind, bytes: bytes))
            }
        }
    }
}
