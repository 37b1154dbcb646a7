public import JIMCLI

extension SendTool {
    /// The command line of `jim-send`, declared once: help, completions and the man page check use it.
    public static let spec = CommandSpec(
        name: "jim-send",
        summary: "Send each line of input as a JIM message, and check that the server took it.",
        usage: [
            "[-0Rkqv] [--split] [-t TARGET] [-i FILE]... [-u NAME] [-s TEXT] [ADDR [PORT]]",
            "-m TEXT -t TARGET [-qv] [-u NAME] [ADDR [PORT]]",
            "--frames [-kqv] [-i FILE]... [-u NAME] [ADDR [PORT]]",
        ],
        options: [
            .value("t", "to", "TARGET", help: "send to this user or #room (a room is joined first)"),
            .value("m", "message", "TEXT", help: "send TEXT as one message instead of reading input"),
            .value(
                "i", "input", "FILE", help: "read FILE instead of standard input (- for standard input); repeatable",
                repeatable: true, completion: .file),
            .flag("R", "route", help: "route each line: '@bob text' goes to bob, '#ops text' to #ops, others to -t"),
            .flag("frames", help: "the input is JIM frames (as jim-encode writes them), sent as they are"),
            .flag("split", help: "cut a line that breaks a limit into several messages instead of failing"),
            .flag("0", "null", help: "read NUL-terminated records instead of lines"),
            .flag("k", "keep-going", help: "go on after a line that fails; the exit status is the worst seen"),
            .value("W", "timeout", "SECONDS", help: "exit 75 when the server leaves a request unanswered for SECONDS"),
            .value("window", "N", help: "the most requests in flight when the server takes pipelining (default 256)"),
        ] + ClientSettings.options,
        positionals: ClientSettings.positionals,
        epilogue: """
            Each line (or NUL-terminated record with -0) becomes one msg frame from
            your name to TARGET, with "encoding":"utf-8" when it is not plain ASCII.
            A line past the limits (500 characters of message, 640 of frame) is an
            error naming the line, unless --split. With -R a line starting with
            @NAME or #ROOM and one space goes there; rooms are joined as they first
            appear. With --frames the input is frames (msg, join, leave, presence,
            authenticate; quit ends the input), checked and sent as they are.

            The server's answers are matched to the lines in order. With a server
            that announces "pipelining":true (jim-serve does) up to --window requests
            are in flight; with any other server, one at a time. A refused line is
            reported as
              jim-send: line 3: 410 bob is offline
            and stops the run (lines already sent are still answered and reported),
            unless -k. At the end of input jim-send waits for every answer, sends
            quit and closes. If the connection is lost, the lines that were sent or
            read but not answered are named:
              jim-send: lines 5-9 not acknowledged: connection closed by the server
            Probes from the server are answered without a word.

            """ + ClientSettings.environmentHelp + ClientStatus.help
    )
}
