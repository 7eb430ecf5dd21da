/* Benchmarks/CGI/run.sh's timer: `interleave RUNS PROGRAM...` runs the programs in turn, one
   exec each, RUNS times, with standard input and output on /dev/null, and prints "program
   seconds" for every exec (fork to wait, as hyperfine -N times a run). Taking turns exec by
   exec, the programs share whatever load the machine has at each moment. The environment is
   passed on as is. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: interleave RUNS PROGRAM...\n"); return 2; }
    int runs = atoi(argv[1]);
    int null = open("/dev/null", O_RDWR);
    for (int run = 0; run < runs; run++) {
        for (int i = 2; i < argc; i++) {
            double start = now();
            pid_t child = fork();
            if (child == 0) {
                dup2(null, 0);
                dup2(null, 1);
                execl(argv[i], argv[i], (char *)NULL);
                _exit(127);
            }
            int status;
            waitpid(child, &status, 0);
            double end = now();
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) { fprintf(stderr, "%s failed\n", argv[i]); return 1; }
            printf("%s %.9f\n", argv[i], end - start);
        }
    }
    return 0;
}
