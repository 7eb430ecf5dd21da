// NIO's response status for a Sluice one, keeping Sluice's reason phrase.

import NIOHTTP1
import Sluice

extension HTTPResponseStatus {
    /// The status `status` is, with its reason phrase: NIO's own `init(statusCode:reasonPhrase:)`
    /// keeps NIO's phrase for a code it knows ("Payload Too Large" for 413, where RFC 9110 and
    /// Sluice say "Content Too Large"), so a phrase that differs from NIO's goes out as a custom
    /// status — also an application's own phrase.
    init(_ status: Response.Status) {
        let known = HTTPResponseStatus(statusCode: status.code)
        self = known.reasonPhrase == status.reasonPhrase ? known : .custom(code: UInt(status.code), reasonPhrase: status.reasonPhrase)
    }
}
