// Expect: 100-continue — the test server answers it only when the application reads.

import Sluice
import SluiceTesting
import Testing

@Suite("100-continue")
struct ContinueTests {
    @Test("[BODY-6] 100 Continue goes out when the application first reads the body")
    func sentOnRead() async throws {
        let app = App { request in .text("got \(try await request.body.collect(upTo: 100).count)") }
        let response = try await TestClient(app).put("/file").header("Expect", "100-continue").body("data").send()
        #expect(response.continueSent)
        #expect(response.informational == [InformationalResponse(status: .continue)])
        #expect(response.text == "got 4")
    }

    @Test("[BODY-6] [BODY-5] an application that answers without reading gets no 100")
    func notSentWithoutRead() async throws {
        let app = App { _ in .text("no thanks", status: .contentTooLarge) }
        let response = try await TestClient(app).put("/file").header("Expect", "100-continue").body("data").send()
        #expect(!response.continueSent)
        #expect(response.informational.isEmpty)
        #expect(response.status == .contentTooLarge)
    }

    @Test("[BODY-6] no 100 after the final head, even when the body is read then")
    func notSentAfterHead() async throws {
        let upload = RequestBodyStream()
        let client = TestClient(echo)
        async let response = client.post("/").header("Expect", "100-continue").body(upload).send()
        try await upload.write("late")
        upload.finish()
        #expect(try await !response.continueSent)
        #expect(try await response.text == "late")
    }

    @Test("[BODY-6] no 100 without Expect: 100-continue")
    func notExpected() async throws {
        let app = App { request in .text("\(try await request.body.collect(upTo: 100).count)") }
        let response = try await TestClient(app).put("/").body("data").send()
        #expect(!response.continueSent)
        #expect(response.informational.isEmpty)
    }
}
