/* fsync_trace.c — LD_PRELOAD shim for the output tests: logs every fsync()
 * (with the name of the file behind the descriptor) and rename() to the
 * file named by $HILLOCK_FSYNC_LOG, in call order, then does the call; an
 * fsync of a file whose name contains $HILLOCK_FSYNC_FAIL fails with EIO
 * instead (a disk that cannot take the data). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
log_line(const char *what, const char *a, const char *b)
{
    const char *path = getenv("HILLOCK_FSYNC_LOG");
    if (!path)
        return;
    FILE *f = fopen(path, "a");
    if (!f)
        return;
    fprintf(f, "%s %s%s%s\n", what, a, b ? " " : "", b ? b : "");
    fclose(f);
}

int
fsync(int fd)
{
    static int (*real)(int);
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, "fsync");
    char link[64], name[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, name, sizeof name - 1);
    name[n > 0 ? n : 0] = '\0';
    log_line("fsync", name, NULL);
    const char *fail = getenv("HILLOCK_FSYNC_FAIL");
    if (fail && *fail && strstr(name, fail)) {
        errno = EIO;
        return -1;
    }
    return real(fd);
}

int
rename(const char *from, const char *to)
{
    static int (*real)(const char *, const char *);
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, "rename");
    log_line("rename", from, to);
    return real(from, to);
}
