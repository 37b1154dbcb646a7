extension SendTool {
    /// Where each input record came from, for diagnostics: `line 3`, `notes.txt:3`, `-m`.
    ///
    /// Records are numbered from 1 across every input; a run of records from consecutive lines of one
    /// input is one segment, so plain line input costs one segment per input file.
    struct RecordLabels {
        /// A run of records from consecutive lines of one source.
        struct Segment {
            var firstRecord: Int
            var source: Int
            var firstLine: Int
        }

        /// The sources as given: `-` for standard input, `-m` for the one message, else a path.
        let sources: [String]
        private(set) var segments: [Segment] = []

        init(sources: [String]) {
            self.sources = sources
        }

        /// Records that `record` is line `line` of source number `source`.
        mutating func note(record: Int, source: Int, line: Int) {
            if let last = segments.last, last.source == source, last.firstLine + (record - last.firstRecord) == line {
                return
            }
            segments.append(Segment(firstRecord: record, source: source, firstLine: line))
        }

        /// The source number and line of `record`.
        func place(of record: Int) -> (source: Int, line: Int) {
            var low = 0
            var high = segments.count - 1
            guard high >= 0 else { return (0, record) }
            while low < high {
                let mid = (low + high + 1) / 2
                if segments[mid].firstRecord <= record { low = mid } else { high = mid - 1 }
            }
            let s = segments[low]
            return (s.source, s.firstLine + (record - s.firstRecord))
        }

        /// `line 3` for standard input, `notes.txt:3` for a file, `-m` for the one message.
        func label(of record: Int) -> String {
            let (source, line) = place(of: record)
            return label(source: source, line: line)
        }

        /// The label of line `line` of source number `source`.
        func label(source: Int, line: Int) -> String {
            let name = source < sources.count ? sources[source] : "-"
            switch name {
            case "-": return "line \(line)"
            case "-m": return "-m"
            default: return "\(name):\(line)"
            }
        }

        /// Records grouped by source as text: `lines 5-9`, `notes.txt: lines 1-3, 7`, `line 4`, `-m`.
        func describe(_ records: [Int]) -> [String] {
            var bySource: [Int: [Int]] = [:]
            var order: [Int] = []
            for record in records {
                let (source, line) = place(of: record)
                if bySource[source] == nil { order.append(source) }
                bySource[source, default: []].append(line)
            }
            return order.map { source in
                let lines = Array(Set(bySource[source]!)).sorted()
                let name = source < sources.count ? sources[source] : "-"
                if name == "-m" { return "-m" }
                let noun = lines.count == 1 ? "line" : "lines"
                let text = "\(noun) \(ClientStatus.ranges(lines))"
                return name == "-" ? text : "\(name): \(text)"
            }
        }
    }
}
