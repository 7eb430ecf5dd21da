// BuiltProduct.swift — finding an executable of this package, built beside the test bundle.
import Foundation

/// Executables this package builds (`probe`, the battery programs), found in the directory
/// the running test bundle was built into: `swift build --build-tests` builds every product
/// there, and `swift test` builds them before it runs the tests.
public enum BuiltProduct {
    /// The absolute path of the executable `name`.
    ///
    /// - Throws: `HarnessError` when it is not there, naming the command that builds it.
    public static func path(_ name: String) throws -> String {
        let directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let path = directory.appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw HarnessError("\(path) is not built: run `swift build --build-tests` first")
        }
        return path
    }
}
