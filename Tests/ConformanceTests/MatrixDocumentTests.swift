// MatrixDocumentTests.swift — Docs/conformance.md and the deviations files stay in step with
// the catalog: a case added to the suite must show in the published matrix, and a deviation
// must name a case that exists.

import Foundation
import SluiceConformance
import Testing

@Suite("The conformance matrix and the deviations files follow the catalog")
struct MatrixDocumentTests {
    @Test("Docs/conformance.md has a row for every case of the catalog")
    func everyCaseInTheMatrix() throws {
        let document = try String(
            contentsOf: ResultsDirectory.packageRoot.appendingPathComponent("Docs/conformance.md"), encoding: .utf8
        )
        let missing = ConformanceSuite.catalog.map(\.id).filter { !document.contains("`\($0)`") }
        #expect(missing.isEmpty, "not in Docs/conformance.md (run Scripts/conformance-matrix): \(missing)")
    }

    @Test("every deployment has a deviations file naming only cases of the catalog", arguments: ProbeDeployment.allCases)
    func deviationsNameKnownCases(_ deployment: ProbeDeployment) throws {
        let known = Set(ConformanceSuite.catalog.map(\.id))
        let unknown = try deployment.knownDeviations().keys.filter { !known.contains($0) }.sorted()
        #expect(unknown.isEmpty, "\(deployment.deviationsFile.path) names cases the catalog does not have: \(unknown)")
    }
}
