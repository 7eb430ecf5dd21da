// What SluiceHummingbird offers when the package trait Hummingbird is off: a clear error instead.

#if !Hummingbird
/// Built only with the package trait `Hummingbird`, which brings Hummingbird 2.
///
/// Depend on Sluice with `.package(url: …, from: …, traits: ["Hummingbird"])` (Docs/hummingbird.md).
@available(*, unavailable, message: "SluiceHummingbird needs the package trait Hummingbird: .package(url: ..., traits: [\"Hummingbird\"])")
public struct HummingbirdApp {}
#endif
