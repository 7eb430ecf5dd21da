// Typed keys for request-scoped storage and application configuration.

/// A key for ``RequestContext`` storage or ``Configuration``: the type itself is the key,
/// and its `Value` is what it stores, so lookups need no casts.
///
/// ```swift
/// enum CurrentUser: StorageKey { typealias Value = User }
/// request.context[CurrentUser.self] = user
/// ```
public protocol StorageKey {
    /// The type of value stored under this key.
    associatedtype Value: Sendable
}

/// A heterogeneous map from ``StorageKey`` types to their values.
struct TypedStorage: Sendable {
    private var values: [ObjectIdentifier: any Sendable] = [:]

    subscript<Key: StorageKey>(key: Key.Type) -> Key.Value? {
        get { values[ObjectIdentifier(key)] as? Key.Value }
        set { values[ObjectIdentifier(key)] = newValue }
    }
}
