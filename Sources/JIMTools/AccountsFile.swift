#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
public import JIMCore

/// The `--accounts` file of jim-serve: one `name:HASH` line per account, as in `/etc/shadow`.
///
/// - HASH is a crypt(3) hash libcrypt accepts (yescrypt `$y$`, SHA-512 `$6$`, ...); one that
///   starts with `!` marks a blocked account (answered 403, whatever the password).
/// - Fields after the hash (`name:HASH:19000:0:99999:7:::`) are ignored, so shadow lines can be
///   pasted; blank lines and lines starting with `#` are skipped.
/// - Any other line is a problem, reported with its number; a file with problems is not used.
public struct AccountsFile: AccountStore {
    /// One bad line.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// The line number, from 1.
        public var line: Int
        /// What is wrong with it.
        public var reason: String

        public var description: String { "line \(line): \(reason)" }
    }

    /// The file's path, as given.
    public let path: String
    /// Name to hash.
    let hashes: [String: String]

    /// How many accounts, blocked ones included.
    public var count: Int { hashes.count }

    /// Accounts from already-checked name and hash pairs (for tests).
    public init(path: String = "", hashes: [String: String]) {
        self.path = path
        self.hashes = hashes
    }

    /// Reads and checks the file. Throws `AccountsFileError` when it cannot be read or has bad lines.
    public static func load(path: String, limits: Limits = .standard) throws(AccountsFileError) -> AccountsFile {
        let bytes = try contents(of: path)
        let (file, problems) = parse(bytes, path: path, limits: limits)
        if !problems.isEmpty { throw .badLines(path: path, problems) }
        return file
    }

    /// Parses file content: the good lines as accounts, and every bad line as a problem.
    public static func parse(_ bytes: [UInt8], path: String, limits: Limits = .standard) -> (AccountsFile, [Problem]) {
        var hashes: [String: String] = [:]
        var firstLine: [String: Int] = [:]
        var problems: [Problem] = []
        var number = 0
        for rawLine in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            var line = rawLine
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) || line.first == UInt8(ascii: "#") { continue }
            guard let text = String(validating: line, as: UTF8.self) else {
                problems.append(Problem(line: number, reason: "not valid UTF-8"))
                continue
            }
            let fields = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count >= 2 else {
                problems.append(Problem(line: number, reason: "expected name:HASH"))
                continue
            }
            let name = String(fields[0])
            let hash = String(fields[1])
            if let problem = Names.userProblem(name, limits: limits) {
                problems.append(Problem(line: number, reason: "bad name \"\(name)\": \(problem)"))
                continue
            }
            if hash.isEmpty {
                problems.append(Problem(line: number, reason: "\(name): empty hash (use ! to block an account)"))
                continue
            }
            if hash.utf8.first != UInt8(ascii: "!") && !AccountsCrypt.isSupported(hash) {
                problems.append(Problem(line: number, reason: "\(name): not a crypt(3) hash libcrypt supports (yescrypt $y$ or SHA-512 $6$)"))
                continue
            }
            if let first = firstLine[name] {
                problems.append(Problem(line: number, reason: "\(name): already defined on line \(first)"))
                continue
            }
            firstLine[name] = number
            hashes[name] = hash
        }
        return (AccountsFile(path: path, hashes: hashes), problems)
    }

    public func isRegistered(_ name: String) -> Bool { hashes[name] != nil }

    public func verify(_ name: String, password: String) -> AccountCheck {
        guard let hash = hashes[name] else { return .noSuchAccount }
        if hash.utf8.first == UInt8(ascii: "!") { return .blocked }
        return AccountsCrypt.check(password, against: hash) ? .ok : .wrongPassword
    }

    /// The whole file (at most 16 MiB).
    private static func contents(of path: String) throws(AccountsFileError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let got = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: String(cString: strerror(errno)))
            }
            if got == 0 { return bytes }
            bytes += chunk[..<got]
            if bytes.count > 16 << 20 { throw .unreadable(path: path, reason: "larger than 16 MiB") }
        }
    }
}
