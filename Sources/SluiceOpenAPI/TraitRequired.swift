// What SluiceOpenAPI offers when the package trait OpenAPI is off: a clear error instead.

#if !OpenAPI
/// Built only with the package trait `OpenAPI`, which brings swift-openapi-runtime.
///
/// Depend on Sluice with `.package(url: …, from: …, traits: ["OpenAPI"])` (Docs/openapi.md).
@available(*, unavailable, message: "SluiceOpenAPI needs the package trait OpenAPI: .package(url: ..., traits: [\"OpenAPI\"])")
public final class SluiceTransport {}
#endif
