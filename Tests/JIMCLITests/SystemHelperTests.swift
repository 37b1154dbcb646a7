import Glibc
import JIMCLI
import Testing

private func fileWith(_ text: String) -> String {
    var template = Array("/tmp/jimcli-secret-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    _ = Array(text.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
    return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

@Test func readsASecretWithoutOneTrailingNewline() throws {
    let path = fileWith("s3cret pass\n")
    defer { unlink(path) }
    #expect(try Secret.read(file: path) == "s3cret pass")
    let twoNewlines = fileWith("pw\n\n")
    defer { unlink(twoNewlines) }
    #expect(try Secret.read(file: twoNewlines) == "pw\n")
    let noNewline = fileWith("пароль")
    defer { unlink(noNewline) }
    #expect(try Secret.read(file: noNewline) == "пароль")
}

@Test func refusesMissingEmptyOrHugeSecretFiles() throws {
    #expect(throws: StreamError.file(path: "/nonexistent/pw", code: ENOENT)) {
        try Secret.read(file: "/nonexistent/pw")
    }
    let empty = fileWith("\n")
    defer { unlink(empty) }
    #expect(throws: StreamError.badFile(path: empty, reason: "empty password")) { try Secret.read(file: empty) }
    let huge = fileWith(String(repeating: "x", count: 5000))
    defer { unlink(huge) }
    #expect(throws: StreamError.badFile(path: huge, reason: "larger than 4096 bytes")) { try Secret.read(file: huge) }
    #expect(throws: StreamError.file(path: "/tmp", code: EISDIR)) { try Secret.read(file: "/tmp") }
}

@Test func readsSecretsAndValuesFromTheEnvironment() {
    setenv("JIMCLI_TEST_SECRET", "hunter2", 1)
    setenv("JIMCLI_TEST_EMPTY", "", 1)
    unsetenv("JIMCLI_TEST_UNSET")
    #expect(Secret.fromEnvironment("JIMCLI_TEST_SECRET") == "hunter2")
    #expect(Secret.fromEnvironment("JIMCLI_TEST_EMPTY") == nil)
    #expect(Environment.value("JIMCLI_TEST_EMPTY") == "")
    #expect(Environment.nonEmptyValue("JIMCLI_TEST_EMPTY") == nil)
    #expect(Environment.value("JIMCLI_TEST_UNSET") == nil)
}

@Test func findsALoginName() {
    let name = Environment.loginName()
    #expect(name != nil)
    #expect(name?.isEmpty == false)
}

@Test func clockHasMicrosecondsAndMovesForward() {
    let now = SystemTime.now()
    #expect(now > 1_700_000_000)
    #expect(abs(now * 1_000_000 - (now * 1_000_000).rounded()) < 0.5)
    let first = SystemTime.monotonic()
    let second = SystemTime.monotonic()
    #expect(second >= first)
}

@Test func standardStreamsAreTheProcessDescriptors() {
    let streams = Streams.standard
    #expect(streams.input == 0 && streams.output == 1 && streams.error == 2)
    #expect(!streams.toolName.isEmpty && !streams.toolName.contains("/"))
    #expect(streams.named("jim-send").toolName == "jim-send")
}
