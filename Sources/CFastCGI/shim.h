// Debian's libfcgi (libfcgi-dev): the FastCGI reference library's thread-safe API (fcgiapp.h)
// and the protocol's constants (fastcgi.h).
#include <fcgiapp.h>
#include <fastcgi.h>
