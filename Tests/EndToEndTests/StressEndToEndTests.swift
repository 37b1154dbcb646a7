import Foundation
import Testing

/// The short run of `stress/run` (issue 6): hostile clients, nothing lost, scale and faults.
///
/// The harness starts its own jim-serve from the tools this test run built, on 127.0.0.1 and a port
/// the kernel picks, and exits 0 only when every scenario held. It bounds itself: `--deadline`
/// ends the run with a failure, and its watchdog kills it 30 s later, before this test gives up.
/// Its report (standard output) and its reasons (standard error) are attached to a failure.
@Suite(.timeLimit(.minutes(5)))
struct StressEndToEndTests {
    /// The package's root (this file is `Tests/EndToEndTests/StressEndToEndTests.swift`).
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Seconds the harness may take before it fails itself (its watchdog fires 30 s later).
    static let deadline = 180

    static var hasPython: Bool {
        ["/usr/bin/python3", "/usr/local/bin/python3", "/bin/python3"].contains {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// Set by `make check-sanitizers`: its time and memory bounds are for the tools as shipped, not
    /// for sanitized builds (several times slower, with quarantined and shadowed memory), so the
    /// harness is left to `make test` and `make stress` there.
    static var sanitized: Bool { ProcessInfo.processInfo.environment["JIM_STRESS_SANITIZED"] != nil }

    @Test(.enabled(if: hasPython && !sanitized))
    func theShortStressRunHoldsInEveryScenario() throws {
        let script = Self.root.appendingPathComponent("stress/run").path
        let run = try JIMProcess(
            executable: "python3",
            [script, "--short", "--bin", JIMProcess.binDirectory.path, "--deadline", String(Self.deadline)])
        let status = run.wait(timeout: Double(Self.deadline + 60))
        #expect(
            status == 0,
            """
            stress/run --short exited \(status.map { String($0) } ?? "not at all (still running)")
            standard output:
            \(run.stdout)
            standard error:
            \(run.stderr)
            """)
        // The summary table is the run's last word: a run that stopped early has none.
        #expect(run.stdout.contains("| scenario | tried | held |"), "no summary table:\n\(run.stdout)")
    }
}
