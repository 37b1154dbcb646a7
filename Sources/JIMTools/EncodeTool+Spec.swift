public import JIMCLI

extension EncodeTool {
    /// The command line of `jim-encode`, declared once: help, completions and the man page check use it.
    public static let spec = CommandSpec(
        name: "jim-encode",
        summary: "Write one JIM frame per line of text (msg), or one frame for another action.",
        usage: [
            "[-0R] [--split] [-t TARGET] [-f NAME] [--time N] [FILE...]",
            "presence [-u NAME] [-s STATUS] [--time N]",
            "authenticate [-u NAME] [--password-file FILE] [--time N]",
            "join ROOM [--time N]",
            "leave ROOM [--time N]",
            "quit",
        ],
        options: [
            .value("t", "to", "TARGET", help: "send each line to this user or #room"),
            .value("f", "from", "NAME", help: "the sender written in each frame (default: your login name)"),
            .flag("R", "route", help: "route each line: '@bob text' goes to bob, '#ops text' to #ops, others to -t"),
            .flag("split", help: "cut a line that breaks a limit into several frames instead of failing"),
            .flag("0", "null", help: "read NUL-terminated records instead of lines"),
            .value("time", "N", help: "use UNIX time N in every frame instead of the clock"),
            .value(
                "u", "user", "NAME", help: "the account name for presence and authenticate (default: your login name)"),
            .value("s", "status", "STATUS", help: "the status for presence (default: online)"),
            .value(
                "password-file", "FILE", help: "read the password for authenticate from FILE",
                completion: .file),
        ],
        positionals: [
            PositionalSpec(
                "FILE", help: "read text from FILE; - or none for standard input", optional: true, variadic: true,
                completion: .file)
        ],
        actions: [
            ActionSpec("msg", help: "one msg frame per line of text (the default)"),
            ActionSpec("presence", help: "one presence frame with \"type\":\"status\"", positionals: []),
            ActionSpec("authenticate", help: "one authenticate frame", positionals: []),
            ActionSpec(
                "join", help: "one join frame for ROOM",
                positionals: [PositionalSpec("ROOM", help: "a room, with or without its leading #")]),
            ActionSpec(
                "leave", help: "one leave frame for ROOM",
                positionals: [PositionalSpec("ROOM", help: "a room, with or without its leading #")]),
            ActionSpec("quit", help: "one quit frame", positionals: []),
        ],
        epilogue: """
            Each frame is one line of compact JSON. A msg frame is written as
              {"action":"msg","time":T,"to":TARGET,"from":NAME,"encoding":E,"message":TEXT}
            with E "ascii" for plain ASCII text and "utf-8" otherwise, and T the current
            UNIX time with a fractional part (or --time). Limits are counted in characters:
            a message holds at most 500, a frame at most 640, escapes included. A line that
            breaks one is an error naming the input and line (<stdin> for standard input),
            after every earlier line was written; --split cuts it at character boundaries.

            Environment:
              JIM_PASSWORD   the password for authenticate when --password-file is not given

            Exit status:
              0   success (also when the reader of the output goes away)
              64  usage error
              65  bad input: a line past a limit, not UTF-8, or without a route
              66  an input file cannot be opened
              70  an internal error
              74  a read or write error

            """
    )

    /// Which options each action takes (the built-ins are always allowed).
    static let optionsByAction: [String: Set<String>] = [
        "msg": ["to", "from", "route", "split", "null", "time"],
        "presence": ["user", "status", "time"],
        "authenticate": ["user", "password-file", "time"],
        "join": ["time"],
        "leave": ["time"],
        "quit": [],
    ]
}
