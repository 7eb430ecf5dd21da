// The deviations file format of sluice-conformance --deviations.

import SluiceConformance
import Testing

@Suite("Deviations file")
struct DeviationsFileTests {
    @Test("lines CASE-ID: explanation, with comments and blank lines")
    func readsLines() throws {
        let text = """
            # nginx FastCGI over TCP
            req-header-repeats: nginx passes repeats as one param each: fine; Apache joins them

            limit-header-count-431 :  nginx does not count fields
            """
        let deviations = try DeviationsFile.read(text)
        #expect(
            deviations == [
                "req-header-repeats": "nginx passes repeats as one param each: fine; Apache joins them",
                "limit-header-count-431": "nginx does not count fields",
            ])
    }

    @Test("a line without a colon is an error naming the line")
    func rejectsMalformedLines() {
        #expect(throws: DeviationsFileError.self) { try DeviationsFile.read("ok: yes\njust words\n") }
    }
}
