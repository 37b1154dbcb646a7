public import JIMCLI
import JIMCore

extension DecodeTool {
    /// The command line of `jim-decode`, declared once: help, completions and the man page check use it.
    public static let spec = CommandSpec(
        name: "jim-decode",
        summary: "Read JIM frames (NDJSON or back to back) and write one text line per frame.",
        options: [
            .value("F", "format", "FORMAT", help: "write each frame as FORMAT (tokens below)"),
            .flag("json", help: "write each valid frame as canonical compact JSON (a validating filter)"),
            .value(
                "a", "action", "NAME", help: "keep only frames of action NAME ('response' for responses); repeatable",
                repeatable: true, completion: .words(Request.actions + ["response"])),
            .flag("raw", help: "write text as it is, without escaping newlines, tabs and control characters"),
            .flag("0", "null", help: "end each record with NUL instead of a newline"),
        ],
        positionals: [
            PositionalSpec(
                "FILE", help: "read frames from FILE; - or none for standard input", optional: true, variadic: true,
                completion: .file)
        ],
        epilogue: FrameFormatter.help + """

            An invalid frame is reported on standard error as
              jim-decode: FILE:LINE:COLUMN: reason
            (<stdin> for standard input); decoding goes on with the next frame.

            Exit status:
              0   success (also when the reader of the output goes away)
              64  usage error, such as an unknown -F token
              65  at least one frame was invalid
              66  an input file cannot be opened
              74  a read or write error

            """
    )
}
