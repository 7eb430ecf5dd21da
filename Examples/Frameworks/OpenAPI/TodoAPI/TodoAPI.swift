// The todo list's handlers: the APIProtocol that swift-openapi-generator derived from openapi.yaml.

public import OpenAPIRuntime

/// The todo list API. Register it on any `ServerTransport` — `SluiceTransport` here:
///
/// ```swift
/// let transport = SluiceTransport()
/// try TodoAPI().register(on: transport)
/// ```
public struct TodoAPI: APIProtocol {
    private let store = TodoStore()

    /// Creates the API with an empty list.
    public init() {}

    /// Registers every operation of openapi.yaml on `transport`: the generated
    /// `registerHandlers(on:)`, which is internal to this module.
    public func register(on transport: any ServerTransport) throws {
        try registerHandlers(on: transport)
    }

    /// The most characters (Unicode scalars, as JSON Schema counts them) a title may have.
    static let titleLengths = 1...200

    func listTodos(_ input: Operations.ListTodos.Input) async throws -> Operations.ListTodos.Output {
        .ok(.init(body: .json(store.list(done: input.query.done))))
    }

    func createTodo(_ input: Operations.CreateTodo.Input) async throws -> Operations.CreateTodo.Output {
        guard case let .json(new) = input.body, Self.isValid(title: new.title) else { return .badRequest(.init()) }
        let todo = store.add(title: new.title, done: new.done ?? false)
        return .created(.init(body: .json(todo)))
    }

    func getTodo(_ input: Operations.GetTodo.Input) async throws -> Operations.GetTodo.Output {
        guard let todo = store.todo(input.path.id) else { return .notFound(.init(body: .json(Self.noSuchTodo(input.path.id)))) }
        return .ok(.init(body: .json(todo)))
    }

    func updateTodo(_ input: Operations.UpdateTodo.Input) async throws -> Operations.UpdateTodo.Output {
        guard case let .json(changes) = input.body, changes.title.map(Self.isValid(title:)) ?? true else { return .badRequest(.init()) }
        guard let todo = store.update(input.path.id, title: changes.title, done: changes.done) else {
            return .notFound(.init(body: .json(Self.noSuchTodo(input.path.id))))
        }
        return .ok(.init(body: .json(todo)))
    }

    func deleteTodo(_ input: Operations.DeleteTodo.Input) async throws -> Operations.DeleteTodo.Output {
        store.remove(input.path.id) ? .noContent(.init()) : .notFound(.init(body: .json(Self.noSuchTodo(input.path.id))))
    }

    /// Whether a title has as many characters as openapi.yaml allows.
    private static func isValid(title: String) -> Bool {
        titleLengths.contains(title.unicodeScalars.count)
    }

    /// The body of a 404.
    private static func noSuchTodo(_ id: Int64) -> Components.Schemas.Problem {
        .init(message: "no todo has the id \(id)")
    }
}
