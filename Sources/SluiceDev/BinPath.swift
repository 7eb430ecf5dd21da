// Where swift build puts the products.

/// `swift build --show-bin-path`, asked once at start.
enum BinPath {
    struct Unknown: Error, CustomStringConvertible {
        let output: String
        var description: String { "swift build --show-bin-path failed: \(output)" }
    }

    static func swiftBuild() throws -> String {
        let result = ShellCommand.run("swift build --show-bin-path", echo: false)
        let path = result.output.split(separator: "\n").last.map(String.init) ?? ""
        guard result.succeeded, path.hasPrefix("/") else { throw Unknown(output: result.output) }
        return path
    }
}
