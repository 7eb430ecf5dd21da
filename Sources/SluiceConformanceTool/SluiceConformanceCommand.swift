// sluice-conformance URL: runs the conformance suite against a server hosting the probe and
// prints the table (or JSON); exit status 1 when a case failed (Docs/conformance-suite.md).

import ArgumentParser
import Foundation
import SluiceConformance

@main
struct SluiceConformanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice-conformance",
        abstract: "Checks a server hosting the Sluice probe against the Spec's server rules.",
        discussion: "Exit status: 0 when no case failed (deviations and not-applicable cases are not failures), 1 otherwise."
    )

    @Argument(help: "Where the probe is served, with the path it is mounted at: http://127.0.0.1:8080/probe")
    var url: String?

    @Option(name: .long, help: ArgumentHelp("The server's name in the report.", valueName: "name"))
    var server = "server"

    @Option(name: .long, help: ArgumentHelp("Known deviations: lines `CASE-ID: explanation`, # comments.", valueName: "file"))
    var deviations: String?

    @Option(name: .customLong("case"), help: ArgumentHelp("Run only this case, or the cases citing this rule (repeatable).", valueName: "id"))
    var cases: [String] = []

    @Option(name: .long, help: ArgumentHelp("The server's request body limit; `none` for unlimited.", valueName: "bytes"))
    var maxBodyBytes = "16777216"

    @Flag(name: .long, help: "Print the report as JSON instead of the table.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Also write the report as JUnit XML to this file.", valueName: "file"))
    var junit: String?

    @Flag(name: .long, help: "List the catalog (id, rules, summary) and exit.")
    var list = false

    func validate() throws {
        if !list, url == nil { throw ValidationError("Missing the server's URL.") }
        if maxBodyBytes != "none", Int(maxBodyBytes) == nil { throw ValidationError("--max-body-bytes takes a number or none.") }
    }

    func run() async throws {
        if list {
            for entry in ConformanceSuite.catalog {
                print("\(entry.id)\t\(entry.rules.joined(separator: ","))\t\(entry.summary)")
            }
            return
        }
        var target = try ConformanceTarget(url: url ?? "", serverName: server)
        target.maxBodyBytes = Int(maxBodyBytes)
        if let deviations {
            target.knownDeviations = try DeviationsFile.read(try String(contentsOfFile: deviations, encoding: .utf8))
        }
        // A typo in an ID would silently turn a deviation back into a failure, or run nothing.
        let caseIDs = Set(ConformanceSuite.catalog.map(\.id) + ConformanceSuite.unobservableRules.map(\.rule))
        let ruleIDs = Set(ConformanceSuite.catalog.flatMap(\.rules))
        let unknown = target.knownDeviations.keys.filter { !caseIDs.contains($0) } + cases.filter { !caseIDs.union(ruleIDs).contains($0) }
        if !unknown.isEmpty {
            throw ValidationError("Unknown case IDs: \(unknown.sorted().joined(separator: ", ")) (see --list).")
        }
        let report = await ConformanceSuite(target: target, selecting: cases.isEmpty ? nil : Set(cases)).run()
        print(json ? report.json() : report.table(), terminator: "")
        if let junit {
            try report.junit().write(toFile: junit, atomically: true, encoding: .utf8)
        }
        if report.hasFailures { throw ExitCode(1) }
    }
}
