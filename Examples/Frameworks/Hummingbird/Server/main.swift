// `bookshop`: the bookshop's Hummingbird router on Sluice, served as CGI, FastCGI or HTTP by
// serve(app) — the same binary behind Apache, behind nginx, or on its own.

import Bookshop
import SluiceHummingbird
import SluiceServe

serve(HummingbirdApp(buildBookshopRouter(context: SluiceRequestContext.self)))
