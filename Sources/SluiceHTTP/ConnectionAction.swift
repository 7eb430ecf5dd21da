// What the connection's state machine asks its channel handler to do: the machine decides, the
// handler only performs (writes, timers, closing, starting and cancelling applications).

import NIOCore
import NIOHTTP1
import Sluice

extension ConnectionStateMachine {
    /// What to do after an event. Every case is complete for its event: the handler performs it
    /// and then resumes reading if the machine allows it again.
    enum Action {
        /// Nothing.
        case none
        /// Run the application for the exchange that just began.
        case startApplication(id: Int, head: HTTPRequestHead, accepted: AcceptedHead)
        /// Answer with the server's own response, then close after lingering; the exchange it
        /// replaces, if any, is abandoned.
        case respondAndClose(ServerResponse, abandoning: Abandoned?)
        /// Close at once — nothing more can be said on the connection — abandoning the exchange
        /// in progress, if any.
        case close(CloseReason, abandoning: Abandoned?)
        /// Hand a waiting reader its result (the body timer, if armed, stops).
        case resumeReader(Reader, BodyRead)
        /// A reader waits for body bytes: first send `100 Continue` in the version given, if one
        /// is, then start the body timer and read on (Spec BODY-2, BODY-6, SEC-3).
        case awaitBody(sendingContinueIn: HTTPVersion?)
        /// An unread body's bytes were dropped: start the body timer again.
        case restartBodyTimer
        /// What follows the end of a request or a response.
        case followUp(FollowUp)
        /// Wait a moment for a request a stopping connection may still receive.
        case awaitLastRequest
        /// The request timeout of the exchange in progress passed (Spec LIFE-6, HTTP-12): its
        /// request completes as timed out, its application's task is cancelled, and the
        /// connection ends as `ending` says.
        case requestTimedOut(TimeoutEnding, abandoning: Abandoned)
    }

    /// How a connection ends whose exchange ran past the request timeout.
    enum TimeoutEnding: Equatable {
        /// No final head had gone out: the server answers with its own 503 and `Connection:
        /// close`, then closes after lingering.
        case answer(ServerResponse)
        /// The application's final head with `sentStatus` had gone out: the response is cut
        /// off by closing at once, so that it does not look complete (Spec ERR-2).
        case cutOff(sentStatus: Response.Status)
    }

    /// What a read of the body gets.
    enum BodyRead {
        case bytes(ByteBuffer)
        case end
        case failure(any Error)
    }

    /// What the connection does once an exchange's request or response has ended.
    enum FollowUp {
        /// Nothing yet: the other side of the exchange is still under way.
        case nothing
        /// The exchange is complete and the connection is kept: wait for the next request, and
        /// take the ones already received ( ``ConnectionStateMachine/hasPipelinedRequests``).
        case becomeIdle
        /// The exchange is complete and the server is stopping: wait a moment for a request that
        /// may be on its way (``Action/awaitLastRequest``), taking the ones already received.
        case awaitLastRequest
        /// The response ended before the body: drop the rest as it arrives (start the body
        /// timer, read on); a reader still waiting fails.
        case discardBody(failing: Reader?)
        /// The connection closes: stop writing, read and drop what still arrives for a moment
        /// (so the kernel does not reset the connection under the response), then close. A
        /// reader still waiting fails.
        case closeAfterLingering(failing: Reader?)
    }

    /// An exchange given up before its end: its reader fails with ``ClientDisconnected`` and its
    /// application's task is cancelled while the response is unfinished (Spec LIFE-4).
    struct Abandoned {
        var id: Int
        var reader: Reader?
        var cancelsApplication: Bool
    }
}

/// A response the server makes itself, without the application: an error status with a short
/// plain-text body and `Connection: close` (Spec ERR-3).
struct ServerResponse: Equatable {
    var status: HTTPResponseStatus
    var version: HTTPVersion
    /// No body: the request was HEAD.
    var isHead: Bool
    /// Why, for the log.
    var reason: String
    /// The request's method and target, for the log, when known.
    var request: String?
}

/// Why the server closes a connection without a final word.
enum CloseReason: Equatable, CustomStringConvertible {
    /// The client closed or reset the connection, or a write to it failed.
    case clientWentAway
    /// The response failed after its head went out: it must not look complete (Spec ERR-2).
    case responseAborted
    /// Request bytes that cannot be parsed arrived after the response had gone out.
    case malformedAfterResponse
    /// No request body bytes arrived for the body timeout.
    case bodyTimedOut
    /// The client read nothing for the write timeout (Spec SEC-5).
    case writeTimedOut
    /// The unread body was longer than the server drops to keep the connection (Spec BODY-5).
    case unreadBodyTooLong
    /// A graceful stop found the connection idle (Spec LIFE-5).
    case stopping
    /// A closing connection read and dropped what the client sent for as long as it waits.
    case lingerEnded
    /// The application ran past the request timeout after its head went out (Spec LIFE-6).
    case requestTimedOut
    /// The connection failed (an I/O error).
    case failed(String)

    var description: String {
        switch self {
        case .clientWentAway: "the client went away"
        case .responseAborted: "the response failed after its head"
        case .malformedAfterResponse: "malformed request bytes after the response"
        case .bodyTimedOut: "no request body bytes within the body timeout"
        case .writeTimedOut: "the client read nothing within the write timeout"
        case .unreadBodyTooLong: "unread request body longer than the discard limit"
        case .stopping: "graceful stop"
        case .lingerEnded: "the lingering close ran its course"
        case .requestTimedOut: "no response within the request timeout"
        case let .failed(error): "connection error: \(error)"
        }
    }
}
