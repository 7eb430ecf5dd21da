// The requests the bookshop's tests send, in-process and to every deployment, and what of
// each answer is compared.

import Foundation
import IntegrationSupport
import Sluice
import SluiceTesting

/// One request to the bookshop.
struct BookshopRequest: Sendable, CustomStringConvertible {
    var method: String
    var path: String
    var json: String?

    var description: String { "\(method) \(path)" }

    /// Every route and every way it answers: text, JSON out, JSON in, parameters, the
    /// middleware's header, 404s, 400, 422, a streamed body.
    static let all: [BookshopRequest] = [
        .init(method: "GET", path: "/"),
        .init(method: "GET", path: "/books"),
        .init(method: "GET", path: "/books?author=Donald%20Knuth"),
        .init(method: "GET", path: "/books/2"),
        .init(method: "GET", path: "/books/99"),
        .init(method: "GET", path: "/books/two"),
        .init(method: "GET", path: "/nowhere"),
        .init(method: "POST", path: "/orders", json: #"{"items":[{"bookID":1,"quantity":2},{"bookID":4,"quantity":1}]}"#),
        .init(method: "POST", path: "/orders", json: #"{"items":[{"bookID":9,"quantity":1}]}"#),
        .init(method: "POST", path: "/orders", json: #"{"items":"#),
        .init(method: "GET", path: "/catalog.csv"),
    ]
}

/// What must be the same wherever the bookshop runs: status, the header fields that matter,
/// and the body bytes. (Date, Server and framing fields are the front server's.)
struct BookshopAnswer: Equatable, CustomStringConvertible {
    static let comparedFields = ["Content-Type", "API-Version", "Location"]

    var status: Int
    var fields: [String: String]
    var body: [UInt8]

    var description: String { "\(status) \(fields.sorted { $0.key < $1.key }) \(String(decoding: body, as: UTF8.self))" }

    init(status: Int, field: (String) -> String?, body: [UInt8]) {
        self.status = status
        fields = Dictionary(uniqueKeysWithValues: Self.comparedFields.compactMap { name in field(name).map { (name, $0) } })
        self.body = body
    }

    init(_ response: TestResponse) {
        self.init(status: response.status.code, field: { response.headers[$0] }, body: response.body)
    }

    init(_ response: IntegrationSupport.HTTPResponse) {
        self.init(status: response.status, field: response.value(of:), body: Array(response.body))
    }
}

extension BookshopRequest {
    /// Sends this request in-process.
    func send(with client: TestClient) async throws -> TestResponse {
        var request = client.request(Request.Method(rawValue: method), path)
        if let json {
            request = request.header("Content-Type", "application/json").body(json)
        }
        return try await request.send()
    }

    /// Sends this request with curl to the bookshop at `baseURL`.
    func send(to baseURL: String) async throws -> IntegrationSupport.HTTPResponse {
        let body = json.map { CurlRequest.Body.bytes(Data($0.utf8)) }
        let headers = json == nil ? [] : [HTTPHeaderField(name: "Content-Type", value: "application/json")]
        return try await Curl.fetch(CurlRequest(baseURL + path, method: method, headers: headers, body: body))
    }
}
