// `todos`: the todo list API on SluiceTransport, served as CGI, FastCGI or HTTP by serve(app).

import SluiceOpenAPI
import SluiceServe
import TodoAPI

let transport = SluiceTransport()
try TodoAPI().register(on: transport)
serve(transport)
