// A one-way signal between a handler and the test waiting on it.

/// Values a handler sends and a test waits for, one at a time, in order.
public final class Signal<Value: Sendable>: Sendable {
    private let stream: AsyncStream<Value>
    private let continuation: AsyncStream<Value>.Continuation

    /// Creates a signal with nothing sent yet.
    public init() {
        (stream, continuation) = AsyncStream.makeStream()
    }

    /// Sends a value; never waits.
    public func send(_ value: Value) {
        continuation.yield(value)
    }

    /// Waits for the next value sent; `nil` only if the test's task is cancelled.
    public func next() async -> Value? {
        var iterator = stream.makeAsyncIterator()
        return await iterator.next()
    }
}

extension Signal where Value == Void {
    /// Sends the signal.
    public func send() {
        send(())
    }
}
