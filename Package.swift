// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    // Exclusivity is checked in debug builds and by every test; in release its run-time checks cost
    // the server 15-20% of its CPU on the message path.
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "jim",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "jim-serve", targets: ["jim-serve"]),
        .executable(name: "jim-send", targets: ["jim-send"]),
        .executable(name: "jim-listen", targets: ["jim-listen"]),
        .executable(name: "jim-encode", targets: ["jim-encode"]),
        .executable(name: "jim-decode", targets: ["jim-decode"]),
    ],
    dependencies: [],
    targets: [
        // Pure code: JSON, frames, typed requests and responses, limits, the server's state machine.
        .target(name: "JIMCore", swiftSettings: strict),
        // Linux syscalls Glibc does not expose (epoll, accept4 flags) and the signal handlers: our own C.
        .target(name: "CJIMSys"),
        // The system's libcrypt, for crypt(3) password hashes.
        .systemLibrary(name: "CCrypt"),
        // The only module that makes socket system calls.
        .target(name: "JIMNet", dependencies: ["JIMCore", "CJIMSys"], swiftSettings: strict),
        // Option tables, --help, completions, exit statuses, buffered line I/O.
        .target(name: "JIMCLI", dependencies: ["CJIMSys"], swiftSettings: strict),
        // The five tools as types that tests run in-process.
        .target(name: "JIMTools", dependencies: ["JIMCore", "JIMNet", "JIMCLI", "CCrypt"], swiftSettings: strict),
        .executableTarget(name: "jim-serve", dependencies: ["JIMTools"], swiftSettings: strict),
        .executableTarget(name: "jim-send", dependencies: ["JIMTools"], swiftSettings: strict),
        .executableTarget(name: "jim-listen", dependencies: ["JIMTools"], swiftSettings: strict),
        .executableTarget(name: "jim-encode", dependencies: ["JIMTools"], swiftSettings: strict),
        .executableTarget(name: "jim-decode", dependencies: ["JIMTools"], swiftSettings: strict),
        .testTarget(name: "JIMCoreTests", dependencies: ["JIMCore"]),
        .testTarget(name: "JIMNetTests", dependencies: ["JIMNet", "JIMCore"]),
        .testTarget(name: "JIMCLITests", dependencies: ["JIMCLI"]),
        .testTarget(name: "JIMToolsTests", dependencies: ["JIMTools", "JIMCore", "JIMCLI", "JIMNet"]),
        .testTarget(name: "EndToEndTests", dependencies: ["JIMCore"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
