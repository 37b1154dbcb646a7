public import JIMCLI

extension ListenTool {
    /// The command line of `jim-listen`, declared once: help, completions and the man page check use it.
    public static let spec = CommandSpec(
        name: "jim-listen",
        summary: "Print each JIM message received as one line, in rooms or sent to you.",
        usage: [
            "[-0qv] [--json | -F FORMAT] [--raw] [-r ROOM]... [-C N] [-W SECONDS] [--reconnect] [-u NAME] [ADDR [PORT]]"
        ],
        options: [
            .value(
                "r", "room", "ROOM", help: "join ROOM (with or without its #) and print its messages; repeatable",
                repeatable: true),
            .value("C", "count", "N", help: "exit 0 after N messages"),
            .value("W", "timeout", "SECONDS", help: "exit 75 when SECONDS pass without a message"),
            .value("F", "format", "FORMAT", help: "write each message as FORMAT (tokens below)"),
            .flag("json", help: "write each message frame as received, one JSON object per line"),
            .flag("raw", help: "write text as it is, without escaping newlines, tabs and control characters"),
            .flag("0", "null", help: "end each record with NUL instead of a newline"),
            .flag("reconnect", help: "when the connection drops, connect again (with back-off), identify and rejoin"),
        ] + ClientSettings.options,
        positionals: ClientSettings.positionals,
        epilogue: """
            Every msg the server pushes (to a joined room, or to your name) is written
            to standard output as one record, flushed at once, so that
              jim-listen -r '#ops' | grep --line-buffered deploy
            shows lines as they come. Probes are answered without a word. Notices and
            other pushes are shown on standard error with -v. With -v, the line
              jim-listen: listening as NAME in #ROOM...
            on standard error says that every room is joined: a script can wait for
            it before it sends. --json writes each msg frame's JSON text as the server
            sent it (canonical compact JSON if it spanned lines).

            -C N ends the run after N messages; -W SECONDS ends it with status 75 when
            no message came for SECONDS (counted from joining, and again after each
            message). Without --reconnect a lost connection ends the run with status
            69; with it, jim-listen says so on standard error, connects again after
            0.1 s, doubling up to 5 s, identifies and rejoins its rooms (messages
            sent meanwhile are not seen; the first connection is not retried: a
            server unreachable at start ends the run with 69). A closed standard
            output (| head -1), SIGINT and SIGTERM send quit and end the run with
            status 0.

            Only msg frames are written, so with the default line every record has
            four fields (TIME FROM TO MESSAGE).


            """ + FrameFormatter.help + ClientSettings.environmentHelp + ClientStatus.help
    )
}
