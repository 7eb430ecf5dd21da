/*
 * hello.c - the C baseline of Benchmarks/FastCGI/run.sh: the same hello response as
 * Examples/Hello (served with --fastcgi), straight on libfcgi's thread-safe API, N threads each calling
 * FCGX_Accept_r without a lock (libfcgi's threaded example holds an accept mutex, which
 * deadlocks with FCGI_KEEP_CONN).
 *
 * Build: cc -O2 -o hello-c hello.c -lfcgi -lpthread
 * Run:   hello-c ADDRESS THREADS     (ADDRESS: 127.0.0.1:PORT or /path/to.sock)
 */
#include <fcgiapp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int listen_fd;

static void *serve(void *unused) {
    (void)unused;
    FCGX_Request request;
    FCGX_InitRequest(&request, listen_fd, 0);
    while (FCGX_Accept_r(&request) >= 0) {
        const char *uri = FCGX_GetParam("REQUEST_URI", request.envp);
        char path[1024];
        size_t length = strcspn(uri ? uri : "/", "?");
        if (length >= sizeof path) length = sizeof path - 1;
        memcpy(path, uri ? uri : "/", length);
        path[length] = 0;
        char body[1100];
        int size = snprintf(body, sizeof body, "Hello from %s\n", path);
        FCGX_FPrintF(request.out,
            "Status: 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\n\r\n%s",
            size, body);
        FCGX_Finish_r(&request);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: %s ADDRESS THREADS\n", argv[0]); return 2; }
    FCGX_Init();
    signal(SIGTERM, SIG_DFL);
    listen_fd = FCGX_OpenSocket(argv[1], 1024);
    if (listen_fd < 0) { fprintf(stderr, "cannot listen on %s\n", argv[1]); return 1; }
    if (argv[1][0] == '/') chmod(argv[1], 0666);
    int count = atoi(argv[2]);
    if (count < 1) count = 1;
    pthread_t threads[256];
    if (count > 256) count = 256;
    for (int i = 1; i < count; i++) pthread_create(&threads[i], NULL, serve, NULL);
    serve(NULL);
    return 0;
}
