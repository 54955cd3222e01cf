/* atomic_file.c — temporary file beside the target, then rename(). rename()
 * within one folder is atomic on POSIX file systems, which is why the
 * temporary file lives in the target's folder rather than in /tmp. */
#include "atomic_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool
atomic_file_begin(atomic_file *f, const char *target, char *err, size_t err_len)
{
    f->fd = -1;
    f->open = false;
    f->temp[0] = '\0';
    if (snprintf(f->target, sizeof f->target, "%s", target) >= (int)sizeof f->target) {
        snprintf(err, err_len, "'%s': path too long", target);
        return false;
    }
    if (target[0] == '\0' || target[strlen(target) - 1] == '/') {
        snprintf(err, err_len, "'%s' is not a file name", target);
        return false;
    }
    struct stat st;
    if (stat(target, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(err, err_len, "cannot write '%s': it is a directory", target);
        return false;
    }
    /* rename() would replace a device or pipe (think /dev/null as root) with
     * a regular file: only ever replace regular files. */
    if (stat(target, &st) == 0 && !S_ISREG(st.st_mode)) {
        snprintf(err, err_len, "cannot write '%s': not a regular file", target);
        return false;
    }

    const char *slash = strrchr(target, '/');
    int dir_len = slash ? (int)(slash - target + 1) : 0;
    const char *base = slash ? slash + 1 : target;
    if (snprintf(f->temp, sizeof f->temp, "%.*s.%s.XXXXXX", dir_len, target, base) >=
        (int)sizeof f->temp) {
        snprintf(err, err_len, "'%s': path too long", target);
        return false;
    }
    f->fd = mkstemp(f->temp);
    if (f->fd < 0) {
        snprintf(err, err_len, "cannot write '%s': %s", target, strerror(errno));
        f->temp[0] = '\0';
        return false;
    }
    f->open = true;
    /* mkstemp creates 0600; give the result the permissions a plain
     * open(O_CREAT, 0666) would have. */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(f->fd, 0666 & ~mask) != 0) {
        snprintf(err, err_len, "cannot write '%s': %s", target, strerror(errno));
        close(f->fd);
        f->fd = -1;
        atomic_file_discard(f);
        return false;
    }
    return true;
}

bool
atomic_file_commit(atomic_file *f, char *err, size_t err_len)
{
    if (!f->open) {
        snprintf(err, err_len, "cannot write '%s': no temporary file", f->target);
        return false;
    }
    if (rename(f->temp, f->target) != 0) {
        snprintf(err, err_len, "cannot write '%s': %s", f->target, strerror(errno));
        atomic_file_discard(f);
        return false;
    }
    f->open = false;
    return true;
}

void
atomic_file_discard(atomic_file *f)
{
    if (f->fd >= 0) {
        close(f->fd);
        f->fd = -1;
    }
    if (f->open) {
        unlink(f->temp);
        f->open = false;
    }
}
