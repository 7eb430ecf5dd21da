/* The baseline for Benchmarks/CGI/run.sh: the hello CGI program in C, doing what
   Examples/CGIHello does — read the path from the environment, answer with a
   Status line, Content-Type, Content-Length and "Hello from <path>". */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void) {
    const char *script = getenv("SCRIPT_NAME");
    const char *path = getenv("PATH_INFO");
    char body[4096];
    int length = snprintf(body, sizeof body, "Hello from %s%s\n", script ? script : "", path ? path : "");
    if (length < 0 || length >= (int)sizeof body) return 1;
    char response[8192];
    int total = snprintf(response, sizeof response,
                         "Status: 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\n\r\n%s",
                         length, body);
    if (total < 0 || total >= (int)sizeof response) return 1;
    return write(1, response, (size_t)total) == total ? 0 : 1;
}
