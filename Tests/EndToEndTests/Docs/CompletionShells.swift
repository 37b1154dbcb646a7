import Foundation

/// Real bash, zsh and fish finding the committed completion files where `make install` puts them,
/// and saying what they offer.
///
/// The files are copied into `share/bash-completion/completions`, `share/zsh/site-functions` and
/// `share/fish/vendor_completions.d` of a scratch prefix named by `XDG_DATA_DIRS` (bash-completion and
/// fish look there) or added to zsh's `fpath`, so each shell loads them by itself on the first Tab,
/// as on an installed system. Completion runs in an empty directory, so no file names are offered.
final class CompletionShells {
    let root: URL
    var share: String { root.appendingPathComponent("share").path }
    var work: String { root.appendingPathComponent("work").path }

    /// A shell run that failed.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    init() throws {
        root = try PackageFiles.temporaryDirectory("shells")
        let manager = FileManager.default
        for directory in [
            "work", "home", "share/bash-completion/completions", "share/zsh/site-functions",
            "share/fish/vendor_completions.d",
        ] {
            try manager.createDirectory(at: root.appendingPathComponent(directory), withIntermediateDirectories: true)
        }
        for tool in PackageFiles.tools {
            for (from, to) in [
                ("completions/bash/\(tool)", "share/bash-completion/completions/\(tool)"),
                ("completions/zsh/_\(tool)", "share/zsh/site-functions/_\(tool)"),
                ("completions/fish/\(tool).fish", "share/fish/vendor_completions.d/\(tool).fish"),
            ] {
                try manager.copyItem(atPath: PackageFiles.path(from), toPath: root.appendingPathComponent(to).path)
            }
        }
        try Self.bashDriver.write(to: root.appendingPathComponent("driver.bash"), atomically: true, encoding: .utf8)
        try Self.zshInit.write(to: root.appendingPathComponent("zinit.zsh"), atomically: true, encoding: .utf8)
        try Self.zshDriver.write(to: root.appendingPathComponent("zdriver.zsh"), atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// bash-completion's main script, if installed.
    static var bashCompletion: String? {
        let path = "/usr/share/bash-completion/bash_completion"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// The environment every shell gets: a scratch home and the scratch prefix.
    private var environment: [String: String] {
        let home = root.appendingPathComponent("home").path
        return [
            "HOME": home, "XDG_CONFIG_HOME": home + "/.config", "XDG_DATA_HOME": home + "/.local/share",
            "XDG_DATA_DIRS": share, "TERM": "dumb",
        ]
    }

    /// What bash offers for the last of `words`: with bash-completion, which finds the file by the
    /// command's name; without it, after sourcing the file.
    func bash(_ words: [String], withBashCompletion: Bool) throws -> [String] {
        let library = withBashCompletion ? (Self.bashCompletion ?? "") : ""
        let file = "\(share)/bash-completion/completions/\(words[0])"
        return try run(
            [
                "/bin/bash", "--norc", "--noprofile", root.appendingPathComponent("driver.bash").path,
                library, file,
            ] + words
        ).sorted()
    }

    /// What zsh offers when Tab is pressed after each line, in one interactive session.
    func zsh(_ lines: [String]) throws -> [[String]] {
        let output = try run(
            ["zsh", "-f", root.appendingPathComponent("zdriver.zsh").path, "\(share)/zsh/site-functions"] + lines)
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
        try run(["fish", "-c", "complete -C '\(line)'"]).map {
            String($0.split(separator: "\t", omittingEmptySubsequences: false)[0])
        }.sorted()
    }

    private func run(_ arguments: [String]) throws -> [String] {
        let process = try PackageFiles.start(["timeout", "30"] + arguments, environment: environment, in: work)
        guard process.wait(timeout: 40) == 0 else {
            throw Failure(description: "\(arguments[0]) failed: \(process.stderr)")
        }
        return process.stdout.split(separator: "\n").map(String.init)
    }

    /// driver.bash LIBRARY FILE WORD...: completes the last WORD as bash does on Tab, prints COMPREPLY.
    private static let bashDriver = #"""
        library=$1 file=$2
        shift 2
        if [[ -n $library ]]; then
            source "$library"
            _completion_loader "$1"
        else
            source "$file"
        fi
        spec=$(complete -p "$1") || exit 3
        function=${spec##*-F }
        function=${function%% *}
        COMP_WORDS=("$@")
        COMP_CWORD=$(($# - 1))
        COMP_LINE="$*"
        COMP_POINT=${#COMP_LINE}
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

    /// zdriver.zsh FPATH_DIR LINE...: presses Tab after each LINE in an interactive zsh (on a
    /// pseudo-terminal) and prints what compadd was given, then <<NEXT>>.
    private static let zshDriver = #"""
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
