// Linux's readiness APIs, which the Swift Glibc module leaves out: epoll (the FastCGI
// responder's workers wait on one set of connections), eventfd (waking a worker) and
// timerfd (closing connections parked too long); and accept4, which the module declares
// only for _GNU_SOURCE.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>

/// accept4(2): accept a connection with flags (SOCK_CLOEXEC) in one call. Declared here by
/// hand: including <sys/socket.h> in this module would take its declarations from the
/// Glibc module that other files import.
extern int accept4(int descriptor, void *address, unsigned int *length, int flags);
