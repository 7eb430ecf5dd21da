// The request id in every line swift-log writes during a request.

public import Logging

extension RequestID {
    /// Adds `request_id` to the metadata of each line logged while a request runs, from any
    /// logger: pass it to `LoggingSystem.bootstrap(_:metadataProvider:)` (``SluiceServe`` does).
    public static let metadataProvider = Logger.MetadataProvider {
        guard let id = current else { return [:] }
        return ["request_id": .string(id)]
    }
}
