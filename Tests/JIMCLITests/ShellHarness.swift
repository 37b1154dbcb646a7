import Foundation
import JIMCLI

/// Runs generated completion scripts in real shells and returns what they offer.
///
/// Each run is a fresh non-interactive shell under `timeout`, in a scratch directory holding
/// `alpha.txt`, `beta.txt` and `subdir/`. zsh needs a terminal for its completion widgets, so
/// its run drives an interactive `zsh -f -i` through zpty and captures what `compadd` adds.
final class ShellHarness {
    /// The scratch directory: scripts live under `scripts/`, completion runs in `work/`.
    let root: URL

    /// Writes every shell's script for each spec.
    init(specs: [CommandSpec]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("jimcli-shells-\(UUID().uuidString)")
        let manager = FileManager.default
        for directory in ["scripts/bash", "scripts/zsh", "scripts/fish", "work/subdir"] {
            try manager.createDirectory(at: root.appendingPathComponent(directory), withIntermediateDirectories: true)
        }
        for name in ["alpha.txt", "beta.txt"] {
            try Data().write(to: root.appendingPathComponent("work/\(name)"))
        }
        for spec in specs {
            let generator = CompletionGenerator(spec: spec)
            try generator.script(for: .bash).write(
                to: root.appendingPathComponent("scripts/bash/\(spec.name)"), atomically: true, encoding: .utf8)
            try generator.script(for: .zsh).write(
                to: root.appendingPathComponent("scripts/zsh/_\(spec.name)"), atomically: true, encoding: .utf8)
            try generator.script(for: .fish).write(
                to: root.appendingPathComponent("scripts/fish/\(spec.name).fish"), atomically: true, encoding: .utf8)
        }
        try Self.zshInit.write(to: root.appendingPathComponent("zinit.zsh"), atomically: true, encoding: .utf8)
        try Self.zshDriver.write(to: root.appendingPathComponent("zdriver.zsh"), atomically: true, encoding: .utf8)
        try Self.bashDriver.write(to: root.appendingPathComponent("bdriver.bash"), atomically: true, encoding: .utf8)
    }

    deinit {
        try? FileManager.default.removeItem(at: root)
    }

    /// The path of an installed program, if any.
    static func which(_ program: String) -> String? {
        for directory in ["/usr/bin", "/bin", "/usr/local/bin"] {
            let path = "\(directory)/\(program)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Whether bash-completion's main script is installed.
    static var bashCompletionPath: String? {
        let path = "/usr/share/bash-completion/bash_completion"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// What bash offers for `words` (the last one is the word being completed).
    func bash(_ words: [String], withBashCompletion: Bool) throws -> [String] {
        let library = withBashCompletion ? (Self.bashCompletionPath ?? "") : ""
        let script = root.appendingPathComponent("scripts/bash/\(words[0])").path
        return try run(
            ["bash", "--norc", "--noprofile", root.appendingPathComponent("bdriver.bash").path, library, script] + words
        )
    }

    /// What zsh offers when Tab is pressed after each line, in one interactive session.
    func zsh(_ lines: [String]) throws -> [[String]] {
        let output = try run(
            [
                "zsh", "-f", root.appendingPathComponent("zdriver.zsh").path,
                root.appendingPathComponent("scripts/zsh").path,
            ]
                + lines, sorted: false)
        var results: [[String]] = []
        var found: Set<String> = []
        for text in output {
            if text.hasPrefix("<<NEXT>>") {
                results.append(found.sorted())
                found = []
                continue
            }
            for match in text.matches(of: /<<(.*?)>>/) where match.1 != "END" {
                found.insert(String(match.1))
            }
        }
        return results
    }

    /// What fish offers for `line` (`complete -C`), without descriptions.
    func fish(_ line: String) throws -> [String] {
        let script = root.appendingPathComponent("scripts/fish/\(line.split(separator: " ")[0]).fish").path
        let quoted = "'" + line.replacingOccurrences(of: "'", with: "\\'") + "'"
        return try run(["fish", "--no-config", "-c", "source \(script); complete -C \(quoted)"])
            .map { String($0.split(separator: "\t", omittingEmptySubsequences: false)[0]) }
    }

    private func run(_ arguments: [String], sorted: Bool = true) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["20"] + arguments
        process.currentDirectoryURL = root.appendingPathComponent("work")
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = root.path
        environment["TERM"] = "dumb"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw HarnessError(message: "\(arguments[0]) exited \(process.terminationStatus)")
        }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        return sorted ? lines.sorted() : lines
    }

    /// A failed shell run.
    struct HarnessError: Error {
        /// What went wrong.
        var message: String
    }

    private static let bashDriver = #"""
        # bdriver.bash LIBRARY SCRIPT WORD... : completes the last WORD, prints COMPREPLY.
        library=$1 script=$2
        shift 2
        [[ -n $library ]] && source "$library"
        source "$script"
        COMP_WORDS=("$@")
        COMP_CWORD=$(($# - 1))
        COMP_LINE="$*"
        COMP_POINT=${#COMP_LINE}
        function=$(complete -p "$1" | sed 's/.*-F \([^ ]*\) .*/\1/')
        "$function" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
        ((${#COMPREPLY[@]})) && printf '%s\n' "${COMPREPLY[@]}"
        exit 0
        """#

    private static let zshInit = #"""
        PS1='' PROMPT='' RPROMPT=''
        bindkey -e
        fpath=($ZT_DIR $fpath)
        autoload -Uz compinit && compinit -u -D
        zstyle ':completion:*' list-grouped false
        zstyle ':completion:*' menu no
        compadd() {
            if (( ${@[(I)-[OAD]]} )); then builtin compadd "$@"; return; fi
            local -a __hits
            builtin compadd -A __hits "$@"
            local h
            for h in $__hits; do print -r -- "<<$h>>"; done
            builtin compadd "$@"
        }
        _zt_end() { print -r -- '<<END>>'; }
        _zt_complete() { comppostfuncs=(_zt_end); zle complete-word; }
        zle -N _zt_complete
        bindkey '^I' _zt_complete
        print -r -- '<<READY>>'
        """#

    private static let zshDriver = #"""
        # zdriver.zsh FPATH_DIR LINE... : presses Tab after each LINE in one interactive zsh and
        # prints what compadd was given, then <<NEXT>>, for each line.
        zmodload zsh/zpty || exit 1
        export ZT_DIR=$1
        shift
        zpty z 'zsh -f -i'
        zpty -w z "source ${0:A:h}/zinit.zsh"
        local line request
        while zpty -r z line; do [[ $line == *'<<READY>>'* ]] && break; done
        for request in "$@"; do
            zpty -w -n z "$request"$'\t'
            while zpty -r z line; do
                [[ $line == *'<<END>>'* ]] && break
                print -r -- $line
            done
            zpty -w -n z $'\C-u'
            print -r -- '<<NEXT>>'
        done
        zpty -d z
        exit 0
        """#
}
