public import JIMCLI

/// Small pieces of glue the tools share: naming inputs and opening them as readers.
public enum ToolSupport {
    /// How diagnostics name standard input (given as `-` or by default): `<stdin>:3: ...`.
    public static let standardInputName = "<stdin>"

    /// The input files to read: the positionals, or standard input when there are none.
    public static func inputs(_ positionals: [String]) -> [String] {
        positionals.isEmpty ? ["-"] : positionals
    }

    /// The name diagnostics use for an input path: `<stdin>` for `-`, else the path as given.
    public static func displayName(_ path: String) -> String {
        path == "-" ? standardInputName : path
    }

    /// A reader over `path` (`-` is the streams' input), split at `delimiter`, refusing records longer
    /// than `maximumRecordLength` bytes (nil for no limit), reading at most `readSize` bytes at a time.
    public static func reader(
        for path: String, streams: Streams, delimiter: UInt8 = UInt8(ascii: "\n"), maximumRecordLength: Int? = nil,
        readSize: Int = 65536
    ) throws(StreamError) -> LineReader {
        if path == "-" {
            return LineReader(
                descriptor: streams.input, delimiter: delimiter, readSize: readSize, maximumRecordLength: maximumRecordLength)
        }
        return try LineReader(path: path, delimiter: delimiter, readSize: readSize, maximumRecordLength: maximumRecordLength)
    }
}
