import JIMCLI
import JIMCore

/// jim-serve's log: one line per event on stderr, `jim-serve: conn 3 is alice (guest)`.
struct ServeLog {
    /// Where lines go.
    let diagnostics: Diagnostics
    /// The most detailed level written.
    let level: ServerLogLevel

    /// Writes `text` when `level` is shown.
    func write(_ level: ServerLogLevel, _ text: String) {
        if level <= self.level { diagnostics.error(text) }
    }

    /// Writes `text` whatever the level (the listening lines, which scripts wait for).
    func always(_ text: String) {
        diagnostics.error(text)
    }
}
