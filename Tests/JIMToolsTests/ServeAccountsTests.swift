import JIMCore
import Testing

@testable import JIMTools

/// The `--accounts` file and crypt(3) checks.
@Suite struct ServeAccountsTests {
    /// `openssl passwd -6 -salt abcdefgh pw`.
    static let sha512 = "$6$abcdefgh$KQeXafAQAaOoKTevphVU215RvJdgzyfASRasIOuh12hO8u0r1bGW92ZnTmC9IjsiQ8VPiTXBiZF49dFL1U4wX/"

    @Test func aSHA512HashChecksTheRightPasswordOnly() {
        #expect(AccountsCrypt.check("pw", against: Self.sha512))
        #expect(!AccountsCrypt.check("pw ", against: Self.sha512))
        #expect(!AccountsCrypt.check("", against: Self.sha512))
    }

    @Test func onlyModernHashesAreSupported() {
        #expect(AccountsCrypt.isSupported(Self.sha512))
        #expect(AccountsCrypt.isSupported(AccountsCrypt.yescrypt("x")!))
        #expect(!AccountsCrypt.isSupported("abcdefghijklm"))  // DES
        #expect(!AccountsCrypt.isSupported("$zz$abc"))
        #expect(!AccountsCrypt.isSupported(""))
    }

    @Test func parsesAccountsBlockedAccountsCommentsAndShadowLines() {
        let text = """
            # name:HASH
            alice:\(Self.sha512)

            bob:!\(Self.sha512)
            carol:\(Self.sha512):19000:0:99999:7:::\r
            """
        let (file, problems) = AccountsFile.parse(Array(text.utf8), path: "accounts")
        #expect(problems.isEmpty)
        #expect(file.count == 3)
        #expect(file.isRegistered("alice") && file.isRegistered("bob") && file.isRegistered("carol"))
        #expect(!file.isRegistered("dave"))
        #expect(file.verify("alice", password: "pw") == .ok)
        #expect(file.verify("alice", password: "nope") == .wrongPassword)
        #expect(file.verify("bob", password: "pw") == .blocked)
        #expect(file.verify("carol", password: "pw") == .ok)
        #expect(file.verify("dave", password: "pw") == .noSuchAccount)
    }

    @Test func reportsEveryBadLineWithItsNumber() {
        let text = "alice:\(Self.sha512)\nno colon\n#x:y\nbad name:!\n:!\nbob:\ncarol:plaintext\nalice:!\n"
        let (file, problems) = AccountsFile.parse(Array(text.utf8), path: "accounts")
        #expect(problems.map(\.line) == [2, 4, 5, 6, 7, 8])
        #expect(problems[0].reason == "expected name:HASH")
        #expect(problems[1].reason == "bad name \"bad name\": whitespace is not allowed in a name")
        #expect(problems[2].reason == "bad name \"\": empty name")
        #expect(problems[3].reason == "bob: empty hash (use ! to block an account)")
        #expect(problems[4].reason.hasPrefix("carol: not a crypt(3) hash"))
        #expect(problems[5].reason == "alice: already defined on line 1")
        #expect(file.count == 1)
        let error = AccountsFileError.badLines(path: "accounts", problems)
        #expect(error.lines.first == "accounts: line 2: expected name:HASH")
    }

    @Test func loadThrowsForBadLinesAndUnreadableFiles() {
        #expect(throws: AccountsFileError.unreadable(path: "/nonexistent", reason: "No such file or directory")) {
            try AccountsFile.load(path: "/nonexistent")
        }
    }
}
