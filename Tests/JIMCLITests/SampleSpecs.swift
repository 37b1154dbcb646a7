import JIMCLI

/// Command tables shaped like the real tools', for tests of the generic machinery.
enum SampleSpecs {
    /// Like jim-encode: optional action words, files as positionals, every kind of hint.
    static let encode = CommandSpec(
        name: "jim-encode",
        summary: "Turn text lines into JIM frames.",
        options: [
            .value("t", "to", "TARGET", help: "send messages to TARGET, a name or #room"),
            .value("f", "from", "NAME", help: "the sender's name"),
            .flag("R", "route", help: "route each line by a leading @name or #room"),
            .value("u", "user", "NAME", help: "account name for presence and authenticate", completion: .user),
            .value("s", "status", "TEXT", help: "status text for presence"),
            .value("password-file", "FILE", help: "read the password from FILE", completion: .file),
            .value("time", "SECONDS", help: "use this time instead of the clock"),
            .flag("split", help: "cut long text into several frames instead of failing"),
            .flag("0", "null", help: "records end with NUL instead of a newline"),
            .value(
                "a", "action", "NAME", help: "keep only frames of this action", repeatable: true,
                completion: .words(["msg", "presence", "join"])),
            .value("C", "directory", "DIR", help: "change to DIR first", completion: .directory),
            .flag("v", "verbose", help: "say more on stderr", repeatable: true),
            .flag("q", "quiet", help: "say nothing but errors"),
            .flag("debug-frames", help: "a hidden developer switch", hidden: true),
        ],
        positionals: [
            PositionalSpec("FILE", help: "input files; - is stdin", optional: true, variadic: true, completion: .file)
        ],
        actions: [
            ActionSpec("msg", help: "one msg frame per line (the default)"),
            ActionSpec("presence", help: "one presence frame", positionals: []),
            ActionSpec("join", help: "one join frame", positionals: [PositionalSpec("ROOM", help: "the room, #name")]),
            ActionSpec(
                "leave", help: "one leave frame", positionals: [PositionalSpec("ROOM", help: "the room, #name")]),
            ActionSpec("quit", help: "one quit frame", positionals: []),
            ActionSpec("authenticate", help: "one authenticate frame", positionals: []),
        ],
        epilogue: """
            Environment:
              JIM_PASSWORD  the password for authenticate

            Exit status: 0 ok, 64 usage, 65 bad input.
            """
    )

    /// Like jim-send: `ADDR [PORT]` positionals, a host hint, repeatable options.
    static let send = CommandSpec(
        name: "jim-send",
        summary: "Send lines of text as JIM messages.",
        options: [
            .value("t", "to", "TARGET", help: "send to TARGET, a name or #room"),
            .value("i", "input", "FILE", help: "read lines from FILE", repeatable: true, completion: .file),
            .value("m", "message", "TEXT", help: "send TEXT as one message"),
            .value("u", "user", "NAME", help: "the name to take", completion: .user),
            .value("connect-timeout", "SECONDS", help: "give up connecting after SECONDS"),
            .flag("k", "keep-going", help: "go on after a failed line"),
            .flag("v", "verbose", help: "show frames on stderr", repeatable: true),
        ],
        positionals: [
            PositionalSpec(
                "ADDR", help: "server host, host:port, [v6]:port or unix:/path", optional: true, completion: .host),
            PositionalSpec("PORT", help: "server port (default 7777)", optional: true),
        ]
    )

    /// A minimal command with a required positional and no options of its own.
    static let minimal = CommandSpec(
        name: "jim-min",
        summary: "A minimal command.",
        options: [],
        positionals: [PositionalSpec("NAME", help: "a name")]
    )
}
