// A rendezvous channel, or one with a little room: the backpressure between the test and the
// application, both ways.

import Synchronization

/// Hands elements one at a time from senders to one receiver.
///
/// ``send(_:)`` returns only once the receiver took the element — or, with room for `capacity`
/// elements, once the element is among them — so a fast side waits for a slow one and nothing
/// piles up in memory (Spec BODY-2, WS-7). Either side can end the channel:
/// the sending side with ``finish(throwing:)``, the receiving side with ``close(throwing:)``.
/// A task cancelled while it waits is resumed with `CancellationError`.
final class Handoff<Element: Sendable>: Sendable {
    private struct Offer {
        let id: UInt64
        let element: Element
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct Receiver {
        let id: UInt64
        let continuation: CheckedContinuation<Element?, any Error>
    }

    /// How one side ended the channel: normally, or with an error for the other side.
    private enum Ending {
        case normally
        case failing(any Error)
    }

    private struct State {
        /// Elements taken from their senders, waiting for the receiver: at most `capacity`.
        var buffered: [Element] = []
        var offers: [Offer] = []
        var receiver: Receiver?
        var sendersEnded: Ending?
        var receiverEnded: Ending?
        var lastID: UInt64 = 0

        mutating func nextID() -> UInt64 {
            lastID += 1
            return lastID
        }
    }

    private let state = Mutex(State())
    private let capacity: Int

    /// A channel in which senders wait until the receiver takes their element (`capacity` 0),
    /// or until it is among the `capacity` elements waiting for the receiver.
    init(capacity: Int = 0) {
        self.capacity = capacity
    }

    /// Offers an element and waits until the receiver took it.
    ///
    /// Returns at once, dropping the element, when the receiver closed the channel normally;
    /// throws the receiver's error when it closed with one.
    func send(_ element: Element) async throws {
        let id = state.withLock { $0.nextID() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                state.withLock { state in
                    switch state.receiverEnded {
                    case .normally: return continuation.resume()
                    case let .failing(error): return continuation.resume(throwing: error)
                    case nil: break
                    }
                    if Task.isCancelled {
                        continuation.resume(throwing: CancellationError())
                    } else if let receiver = state.receiver {
                        state.receiver = nil
                        receiver.continuation.resume(returning: element)
                        continuation.resume()
                    } else if state.buffered.count < capacity {
                        state.buffered.append(element)
                        continuation.resume()
                    } else {
                        state.offers.append(Offer(id: id, element: element, continuation: continuation))
                    }
                }
            }
        } onCancel: {
            state.withLock { state in
                guard let index = state.offers.firstIndex(where: { $0.id == id }) else { return }
                state.offers.remove(at: index).continuation.resume(throwing: CancellationError())
            }
        }
    }

    /// Waits for the next element; `nil` once the senders finished or the receiver closed.
    func receive() async throws -> Element? {
        let id = state.withLock { $0.nextID() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Element?, any Error>) in
                state.withLock { state in
                    if !state.buffered.isEmpty {
                        continuation.resume(returning: state.buffered.removeFirst())
                        if !state.offers.isEmpty {
                            let offer = state.offers.removeFirst()
                            state.buffered.append(offer.element)
                            offer.continuation.resume()
                        }
                    } else if !state.offers.isEmpty {
                        let offer = state.offers.removeFirst()
                        offer.continuation.resume()
                        continuation.resume(returning: offer.element)
                    } else if case let .failing(error) = state.sendersEnded {
                        continuation.resume(throwing: error)
                    } else if state.sendersEnded != nil || state.receiverEnded != nil {
                        continuation.resume(returning: nil)
                    } else if Task.isCancelled {
                        continuation.resume(throwing: CancellationError())
                    } else {
                        state.receiver = Receiver(id: id, continuation: continuation)
                    }
                }
            }
        } onCancel: {
            state.withLock { state in
                guard let receiver = state.receiver, receiver.id == id else { return }
                state.receiver = nil
                receiver.continuation.resume(throwing: CancellationError())
            }
        }
    }

    /// Ends the channel from the sending side: after the elements already offered, the
    /// receiver gets `nil`, or `error` when one is given. Only the first call counts.
    func finish(throwing error: (any Error)? = nil) {
        state.withLock { state in
            guard state.sendersEnded == nil else { return }
            state.sendersEnded = error.map(Ending.failing) ?? .normally
            guard state.buffered.isEmpty, state.offers.isEmpty, let receiver = state.receiver else { return }
            state.receiver = nil
            if let error {
                receiver.continuation.resume(throwing: error)
            } else {
                receiver.continuation.resume(returning: nil)
            }
        }
    }

    /// Ends the channel from the receiving side: waiting and later senders return at once, or
    /// throw `error` when one is given. Only the first call counts.
    func close(throwing error: (any Error)? = nil) {
        state.withLock { state in
            guard state.receiverEnded == nil else { return }
            state.receiverEnded = error.map(Ending.failing) ?? .normally
            for offer in state.offers {
                if let error {
                    offer.continuation.resume(throwing: error)
                } else {
                    offer.continuation.resume()
                }
            }
            state.offers = []
            state.buffered = []
            state.receiver?.continuation.resume(returning: nil)
            state.receiver = nil
        }
    }
}
