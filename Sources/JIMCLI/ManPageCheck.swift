/// Compares an mdoc(7) man page with a command's option table.
///
/// Options are found as `Fl` macros on macro lines: `.Fl t` is `-t`, `.Fl -to` is `--to`,
/// `.Op Fl 46dv` is the merged flags `-4 -6 -d -v` (as OpenBSD's nc.1 writes them), and
/// `.It Fl t Ar target Ns , Fl -to Ar target` documents both spellings. `Fl` takes words
/// until the next macro name (`Ar`, `Ns`, `Op` ...) or punctuation. `\-` is read as `-`.
/// Hidden options need not be documented; the built-ins (`-h`, `--help`, `--version`) need
/// not be either, but documenting them is fine.
public enum ManPageCheck {
    /// Compares the page with the spec's visible options.
    public static func compare(_ spec: CommandSpec, mdoc page: String) -> ManPageReport {
        let documented = documentedOptions(in: page)
        let required = spec.options.filter { !$0.hidden }.flatMap(\.spellings)
        let known = Set(spec.allOptions.flatMap(\.spellings))
        let undocumented = required.filter { !documented.contains($0) }
        var unknown: [String] = []
        for option in documented.sorted() where !known.contains(option) {
            unknown.append(option)
        }
        return ManPageReport(undocumented: undocumented, unknown: unknown)
    }

    /// Every option spelling the page marks up with `Fl`, e.g. `["-t", "--to", "-v"]`.
    public static func documentedOptions(in page: String) -> Set<String> {
        var found: Set<String> = []
        for rawLine in page.split(separator: "\n", omittingEmptySubsequences: true) {
            guard rawLine.hasPrefix(".") else { continue }
            let line = rawLine.replacing("\\-", with: "-").replacing("\\&", with: "")
            let words = tokens(line.dropFirst())
            var inFlags = false
            for word in words {
                if word == "Fl" {
                    inFlags = true
                    continue
                }
                guard inFlags else { continue }
                if isMacro(word) || isDelimiter(word) {
                    inFlags = false
                    continue
                }
                if word.hasPrefix("-") {
                    let name = word.drop { $0 == "-" }
                    if !name.isEmpty { found.insert("--\(name)") }
                } else {
                    for letter in word { found.insert("-\(letter)") }
                }
            }
        }
        return found
    }

    /// Splits a macro line into words, keeping double-quoted arguments whole.
    static func tokens(_ line: Substring) -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        for character in line {
            if character == "\"" {
                quoted.toggle()
            } else if character == " " && !quoted {
                if !current.isEmpty { words.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// Whether a word is an mdoc macro name such as `Ar`, `Ns`, `Op`, `Oc`, `Xo`.
    static func isMacro(_ word: String) -> Bool {
        let characters = Array(word)
        guard characters.count == 2 || characters.count == 3 else { return false }
        return characters[0].isUppercase && characters.dropFirst().allSatisfy { $0.isLowercase || $0 == "%" }
    }

    /// Whether a word is mdoc punctuation: `,` `.` `;` `:` `(` `)` `[` `]` `|` and the like.
    static func isDelimiter(_ word: String) -> Bool {
        !word.isEmpty && word.allSatisfy { ",.;:()[]|!?".contains($0) }
    }
}
