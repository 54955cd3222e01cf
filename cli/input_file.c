/* input_file.c — see input_file.h. */
#define _POSIX_C_SOURCE 200809L
#include "input_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
input_file_open(const char *path, const char *what, uint64_t max_bytes, char *err,
                size_t err_len)
{
    /* O_NONBLOCK: opening a FIFO with no writer returns at once; the check
     * below refuses it before anything reads */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, err_len, "cannot read %s '%s': %s", what, path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, err_len,
                 "cannot read %s '%s': not a regular file (a pipe or device could block "
                 "or never end; copy it to a file first)",
                 what, path);
        close(fd);
        return -1;
    }
    if (max_bytes && (uint64_t)st.st_size > max_bytes) {
        snprintf(err, err_len, "cannot read %s '%s': %lld bytes, more than the %llu a %s may have",
                 what, path, (long long)st.st_size, (unsigned long long)max_bytes, what);
        close(fd);
        return -1;
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0)
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    return fd;
}

bool
input_file_read_all(const char *path, const char *what, uint64_t max_bytes, char **data,
                    size_t *size, char *err, size_t err_len)
{
    *data = NULL;
    *size = 0;
    int fd = input_file_open(path, what, max_bytes, err, err_len);
    if (fd < 0)
        return false;
    struct stat st;
    char *buf = NULL;
    if (fstat(fd, &st) == 0)
        buf = malloc((size_t)st.st_size + 1);
    if (!buf) {
        snprintf(err, err_len, "cannot read %s '%s': out of memory", what, path);
        close(fd);
        return false;
    }
    size_t got = 0, want = (size_t)st.st_size;
    while (got < want) {
        ssize_t n = read(fd, buf + got, want - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            snprintf(err, err_len, "cannot read %s '%s': %s", what, path,
                     n < 0 ? strerror(errno) : "it shrank while being read");
            free(buf);
            close(fd);
            return false;
        }
        got += (size_t)n;
    }
    close(fd);
    buf[got] = '\0';
    *data = buf;
    *size = got;
    return true;
}
