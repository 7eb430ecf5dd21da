// Per-application configuration: typed values an application factory sets once.

/// Typed configuration values of one application, reachable from every request it handles.
///
/// An application factory builds an app and its configuration together; two apps built with
/// different configurations run side by side in one process without sharing it (Spec APP-5).
/// ``Application/configured(_:)`` attaches it; code reads it from ``Request/configuration``
/// or, deep in a call stack, from ``Configuration/current``.
public struct Configuration: Sendable {
    private var storage = TypedStorage()

    /// Creates an empty configuration.
    public init() {}

    /// The value stored for a key, or `nil`.
    public subscript<Key: StorageKey>(key: Key.Type) -> Key.Value? {
        get { storage[key] }
        set { storage[key] = newValue }
    }

    /// Returns a copy with one more value set.
    public func setting<Key: StorageKey>(_ key: Key.Type, to value: Key.Value) -> Configuration {
        var copy = self
        copy[key] = value
        return copy
    }

    /// The configuration of the application handling the current task's request, or `nil`
    /// outside one configured with ``Application/configured(_:)``.
    @TaskLocal public static var current: Configuration?
}
