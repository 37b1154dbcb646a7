public import JIMCLI

extension ServeTool {
    /// The command line of jim-serve, declared once: help, completions and the man-page check derive from it.
    public static let spec = CommandSpec(
        name: "jim-serve",
        summary: "serve JIM (JSON Instant Messaging) to clients over TCP and Unix sockets",
        usage: ["[-qv] [-a ADDR]... [-p PORT] [--unix PATH] [--accounts FILE] [LIMITS]", "--hash-password"],
        options: [
            .value(
                "a", "address", "ADDR",
                help: "listen on ADDR (host, IPv4, IPv6 or unix:/path; repeatable; default: every IPv4 and IPv6 address)",
                repeatable: true, completion: .host),
            .value("p", "port", "PORT", help: "listen on TCP port PORT (default 7777; 0 picks a free one)"),
            .value("unix", "PATH", help: "also listen on the Unix-domain socket PATH (removed at exit)", completion: .file),
            .flag("v", "verbose", help: "log refused frames and other detail"),
            .flag("q", "quiet", help: "log errors only (and the listening lines)"),
            .value(
                "accounts", "FILE",
                help: "registered accounts, name:HASH lines with crypt(3) hashes; SIGHUP reloads it", completion: .file),
            .flag("hash-password", help: "read a password on standard input, print its yescrypt hash and exit"),
            .value("max-clients", "N", help: "the most connections at once (default 10000); past it: 500 and close"),
            .value("max-queue", "BYTES", help: "a client's write queue limit (default 262144); past it: disconnected"),
            .value("max-message", "N", help: "the longest message, in characters (default 500)"),
            .value("max-frame", "N", help: "the longest frame, in characters (default 640)"),
            .value("presence-timeout", "SECONDS", help: "drop a connection with no name after SECONDS (default 30)"),
            .value("probe-interval", "SECONDS", help: "probe a named client silent for SECONDS (default 300; 0: never)"),
            .value("probe-timeout", "SECONDS", help: "drop a probed client that does not answer in SECONDS (default 60)"),
            .value(
                "write-timeout", "SECONDS",
                help: "drop a client whose queued output makes no progress for SECONDS (default 30; 0: never)"),
        ],
        epilogue: """
            Signals: SIGHUP reloads the accounts file; SIGTERM and SIGINT stop accepting, deliver what is
            queued, close every connection and exit 0.

            Exit status: 0 stopped by a signal, 1 failure, 64 usage error or bad address,
            65 bad accounts file, 66 accounts file unreadable, 69 cannot listen (address in use),
            74 --hash-password cannot read the password or write its hash, 77 permission denied (a privileged port).

            """
    )
}
