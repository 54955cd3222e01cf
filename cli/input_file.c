/* input_file.c — see input_file.h. */
#define _POSIX_C_SOURCE 200809L
#include "input_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
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
