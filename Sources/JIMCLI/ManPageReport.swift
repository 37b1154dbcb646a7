/// How a man page and an option table disagree; both lists empty means they agree.
public struct ManPageReport: Sendable, Equatable {
    /// Options in the table (as `-t` or `--to`) that the page never marks up with `Fl`.
    public var undocumented: [String]
    /// Options the page marks up with `Fl` that the table does not have.
    public var unknown: [String]

    /// Creates a report.
    public init(undocumented: [String], unknown: [String]) {
        self.undocumented = undocumented
        self.unknown = unknown
    }

    /// Whether the page and the table agree.
    public var isConsistent: Bool { undocumented.isEmpty && unknown.isEmpty }
}
