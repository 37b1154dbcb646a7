extension CommandSpec {
    /// Parses `argv` (program name first) and handles everything generic about it.
    ///
    /// `--help`, `--version` and `--generate-completion SHELL` print to `streams.output` and
    /// give `.exit(.ok)`; a usage error prints `tool: message` and `Try 'tool --help'.` to
    /// `streams.error` and gives `.exit(.usage)`. Otherwise the tool runs with `.run(parsed)`.
    public func parse(commandLine: [String], streams: Streams) -> ParseOutcome {
        let parsed: ParsedArguments
        do {
            parsed = try OptionParser(spec: self).parse(Array(commandLine.dropFirst()))
        } catch {
            return .exit(Diagnostics(streams: streams.named(name)).usage(error))
        }
        let text: String
        switch parsed.builtin {
        case nil:
            return .run(parsed)
        case .help:
            text = HelpFormatter(spec: self).render()
        case .version:
            text = "\(name) \(version)\n"
        case .completion(let shell):
            text = CompletionGenerator(spec: self).script(for: shell)
        }
        let writer = OutputWriter(descriptor: streams.output)
        do {
            try writer.write(text)
            try writer.flush()
        } catch {
            if error == .closed { return .exit(.ok) }
            Diagnostics(streams: streams.named(name)).report(error)
            return .exit(.ioError)
        }
        return .exit(.ok)
    }
}
