// The toolkit's StaticFiles behind a front server, for the tests that check the hand-off
// headers with the real thing: `files/` in the working directory served three ways.
//
//     /accel/…     X-Accel-Redirect under /protected/ (nginx's internal location)
//     /sendfile/…  X-Sendfile with the absolute path (lighttpd, Apache's mod_xsendfile)
//     /plain/…     the bytes, sent by the application

import Foundation
import Sluice
import SluiceServe
import SluiceToolkit

let root = FileManager.default.currentDirectoryPath + "/files"

serve(
    Mount([
        "/accel": StaticFiles(root: root, handoff: .xAccelRedirect(prefix: "/protected/")),
        "/sendfile": StaticFiles(root: root, handoff: .xSendfile),
        "/plain": StaticFiles(root: root),
    ]).answeringErrors())
