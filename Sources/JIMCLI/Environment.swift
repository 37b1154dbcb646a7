#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Access to the process environment and the user's identity.
public enum Environment {
    /// The value of an environment variable, nil if unset.
    public static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// The value of an environment variable, nil if unset or empty.
    public static func nonEmptyValue(_ name: String) -> String? {
        guard let value = value(name), !value.isEmpty else { return nil }
        return value
    }

    /// The user's login name: getlogin_r(3), else the password entry of the effective user ID.
    public static func loginName() -> String? {
        var name = [CChar](repeating: 0, count: 256)
        if getlogin_r(&name, name.count) == 0, name[0] != 0 {
            return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var storage = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(geteuid(), &entry, &storage, storage.count, &result) == 0,
            result != nil, let pointer = entry.pw_name
        else { return nil }
        let found = String(cString: pointer)
        return found.isEmpty ? nil : found
    }
}
