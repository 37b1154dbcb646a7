#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import CCrypt

/// crypt(3) through the system's libcrypt: checking passwords against `/etc/shadow`-style hashes,
/// and making new yescrypt hashes for `jim-serve --hash-password`.
public enum AccountsCrypt {
    /// Whether libcrypt accepts `hash` as a modern hash setting (yescrypt `$y$`, SHA-512 `$6$`, ...).
    ///
    /// Legacy forms (DES and friends, anything not starting with `$`) are refused: libcrypt would
    /// take almost any text as a DES salt.
    public static func isSupported(_ hash: String) -> Bool {
        guard hash.utf8.first == UInt8(ascii: "$") else { return false }
        return crypt_checksalt(hash) == CRYPT_SALT_OK
    }

    /// Whether `password` matches `hash`, compared in constant time; false when libcrypt fails.
    public static func check(_ password: String, against hash: String) -> Bool {
        withCryptData { data, size in
            guard let result = crypt_rn(password, hash, data, size) else { return false }
            let computed = UnsafeRawPointer(result).assumingMemoryBound(to: UInt8.self)
            let expected = Array(hash.utf8)
            if strlen(result) != expected.count { return false }
            var difference: UInt8 = 0
            for i in 0..<expected.count { difference |= computed[i] ^ expected[i] }
            return difference == 0
        }
    }

    /// A new yescrypt hash of `password` with a random salt, or nil when libcrypt fails.
    public static func yescrypt(_ password: String) -> String? {
        var setting = [CChar](repeating: 0, count: Int(CRYPT_GENSALT_OUTPUT_SIZE))
        guard crypt_gensalt_rn("$y$", 0, nil, 0, &setting, Int32(setting.count)) != nil else { return nil }
        return withCryptData { data, size in
            guard let result = crypt_rn(password, setting, data, size), result.pointee != UInt8(ascii: "*") else {
                return nil
            }
            return String(cString: result)
        }
    }

    /// Runs `body` with a zeroed `struct crypt_data` (32 KiB: too big for the stack of a thread).
    private static func withCryptData<T>(_ body: (UnsafeMutableRawPointer, Int32) -> T) -> T {
        let size = MemoryLayout<crypt_data>.size
        let data = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: MemoryLayout<crypt_data>.alignment)
        memset(data, 0, size)
        defer {
            memset(data, 0, size)
            data.deallocate()
        }
        return body(data, Int32(size))
    }
}
