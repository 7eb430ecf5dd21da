// The todos, in memory: one list per process, safe to use from concurrent requests.

import Synchronization

/// The todo list the API serves, shared by every request of a process.
///
/// In memory only: a CGI deployment, where each request is a process of its own, starts from
/// an empty list every time (a real deployment keeps it in a database).
final class TodoStore: Sendable {
    private struct State {
        var todos: [Int64: Components.Schemas.Todo] = [:]
        var lastID: Int64 = 0
    }

    private let state = Mutex(State())

    /// The todos, oldest first; only those done or not done when `done` says which.
    func list(done: Bool?) -> [Components.Schemas.Todo] {
        state.withLock { state in
            state.todos.values.filter { done == nil || $0.done == done }.sorted { $0.id < $1.id }
        }
    }

    /// Adds a todo under the next id.
    func add(title: String, done: Bool) -> Components.Schemas.Todo {
        state.withLock { state in
            state.lastID += 1
            let todo = Components.Schemas.Todo(id: state.lastID, title: title, done: done)
            state.todos[todo.id] = todo
            return todo
        }
    }

    /// The todo with `id`, if there is one.
    func todo(_ id: Int64) -> Components.Schemas.Todo? {
        state.withLock { $0.todos[id] }
    }

    /// Changes the todo with `id` and returns it, or returns `nil` when there is none.
    func update(_ id: Int64, title: String?, done: Bool?) -> Components.Schemas.Todo? {
        state.withLock { state in
            guard var todo = state.todos[id] else { return nil }
            todo.title = title ?? todo.title
            todo.done = done ?? todo.done
            state.todos[id] = todo
            return todo
        }
    }

    /// Removes the todo with `id`; `false` when there was none.
    func remove(_ id: Int64) -> Bool {
        state.withLock { $0.todos.removeValue(forKey: id) != nil }
    }
}
