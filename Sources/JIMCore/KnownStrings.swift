/// The keys and values that nearly every frame repeats, so the parser hands out a shared literal
/// instead of validating and building the same short string again for every frame.
enum KnownStrings {
    private struct Entry {
        let lo: UInt64
        let hi: UInt64
        let string: String
    }

    private static let table: [[Entry]] = {
        let words = [
            "action", "time", "to", "from", "encoding", "message", "user", "account_name", "status", "type",
            "password", "room", "response", "alert", "error", "pipelining", "msg", "presence", "join", "leave",
            "quit", "probe", "authenticate", "ascii", "utf-8", "OK",
        ]
        var table = [[Entry]](repeating: [], count: 16)
        for w in words {
            let (lo, hi) = Array(w.utf8).withUnsafeBufferPointer { key($0) }
            table[w.utf8.count].append(Entry(lo: lo, hi: hi, string: w))
        }
        return table
    }()

    /// Up to 16 bytes packed into two words, zero-padded.
    @inline(__always) private static func key(_ bytes: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64) {
        var words: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(bytes)) }
        return words
    }

    /// The shared literal equal to `bytes`, if it is one of the known words.
    @inline(__always) static func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        entry(bytes)?.string
    }

    @inline(__always) private static func entry(_ bytes: UnsafeBufferPointer<UInt8>) -> Entry? {
        let n = bytes.count
        guard n > 1 && n < 16 else { return nil }
        let (lo, hi) = key(bytes)
        for e in table[n] where e.lo == lo && e.hi == hi { return e }
        return nil
    }
}
