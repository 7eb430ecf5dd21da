// Debian's libfcgi (libfcgi-dev): the FastCGI reference library's thread-safe API (fcgiapp.h).
#include <fcgiapp.h>
