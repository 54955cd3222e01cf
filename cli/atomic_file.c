/* atomic_file.c — temporary file beside the target, then rename(). rename()
 * within one folder is atomic on POSIX file systems, which is why the
 * temporary file lives in the target's folder rather than in /tmp. */
/* realpath() is XSI; sync_file_range() Linux's own */
#define _GNU_SOURCE

#include "atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* How many links a chain may have before it counts as a loop (Linux's
 * MAXSYMLINKS). */
#define MAX_LINKS 40

bool
atomic_file_resolve(const char *path, char *out, size_t out_len)
{
    if (snprintf(out, out_len, "%s", path) >= (int)out_len)
        return false;
    for (int hops = 0; hops < MAX_LINKS; ++hops) {
        struct stat st;
        if (lstat(out, &st) != 0 || !S_ISLNK(st.st_mode))
            return true; /* a file, a folder, or nothing yet: the end */
        char link[PATH_MAX];
        ssize_t n = readlink(out, link, sizeof link - 1);
        if (n < 0)
            return false;
        link[n] = '\0';
        if (link[0] == '/') {
            if (snprintf(out, out_len, "%s", link) >= (int)out_len)
                return false;
        } else { /* relative to the folder holding the link */
            char *slash = strrchr(out, '/');
            size_t dir = slash ? (size_t)(slash - out + 1) : 0;
            if (dir + (size_t)n >= out_len)
                return false;
            memcpy(out + dir, link, (size_t)n + 1);
        }
    }
    errno = ELOOP;
    return false;
}

/* The folder part of path, resolved (realpath), into out; "." for none. */
static bool
real_folder(const char *path, char *out)
{
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    return realpath(dir, out) != NULL;
}

bool
atomic_file_same(const char *a, const char *b)
{
    char ra[PATH_MAX], rb[PATH_MAX];
    if (!atomic_file_resolve(a, ra, sizeof ra) || !atomic_file_resolve(b, rb, sizeof rb))
        return strcmp(a, b) == 0;
    struct stat sa, sb;
    bool ea = stat(ra, &sa) == 0, eb = stat(rb, &sb) == 0;
    if (ea && eb)
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    if (ea != eb)
        return false;
    /* neither exists yet: the same name in the same folder */
    const char *na = strrchr(ra, '/') ? strrchr(ra, '/') + 1 : ra;
    const char *nb = strrchr(rb, '/') ? strrchr(rb, '/') + 1 : rb;
    char da[PATH_MAX], db[PATH_MAX];
    if (strcmp(na, nb) != 0 || !real_folder(ra, da) || !real_folder(rb, db))
        return strcmp(ra, rb) == 0;
    return strcmp(da, db) == 0;
}

bool
atomic_file_begin(atomic_file *f, const char *target, char *err, size_t err_len)
{
    f->fd = -1;
    f->open = false;
    f->temp[0] = '\0';
    if (target[0] == '\0' || target[strlen(target) - 1] == '/') {
        snprintf(err, err_len, "'%s' is not a file name", target);
        return false;
    }
    /* Through symbolic links, as editors do: the link stays, the file it
     * names is replaced. */
    if (!atomic_file_resolve(target, f->target, sizeof f->target)) {
        snprintf(err, err_len, "cannot write '%s': %s", target,
                 errno == ELOOP ? strerror(ELOOP) : "path too long");
        return false;
    }
    target = f->target;
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

/* Ask the kernel to start writing f's data now, without waiting for it
 * (Linux's sync_file_range; elsewhere nothing: fsync writes it all). */
static void
start_writeback(const atomic_file *f)
{
#ifdef SYNC_FILE_RANGE_WRITE
    int fd = open(f->temp, O_RDONLY);
    if (fd >= 0) {
        sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
        close(fd);
    }
#else
    (void)f;
#endif
}

/* Every temporary file from files[from] on removed */
static void
discard_from(atomic_file *const files[], size_t from, size_t n)
{
    for (size_t j = from; j < n; ++j)
        atomic_file_discard(files[j]);
}

bool
atomic_file_commit_all(atomic_file *const files[], size_t n, char *err, size_t err_len)
{
    for (size_t i = 0; i < n; ++i)
        if (!files[i]->open) {
            snprintf(err, err_len, "cannot write '%s': no temporary file", files[i]->target);
            discard_from(files, 0, n);
            return false;
        }
    /* every file's writeback started before the first fsync waits: the
     * disk writes them side by side (a render's spikes and WAV, 1.1 MB and
     * 0.4 MB: 4.3 ms of fsyncs one after the other) */
    if (n > 1)
        for (size_t i = 0; i < n; ++i)
            start_writeback(files[i]);
    /* The data reaches the disk before any name does: after a crash each
     * target holds its old file or the new one, never an empty one. */
    for (size_t i = 0; i < n; ++i) {
        int fd = open(files[i]->temp, O_RDONLY);
        if (fd < 0 || fsync(fd) != 0) {
            snprintf(err, err_len, "cannot write '%s': %s", files[i]->target, strerror(errno));
            if (fd >= 0)
                close(fd);
            discard_from(files, 0, n);
            return false;
        }
        close(fd);
    }
    for (size_t i = 0; i < n; ++i) {
        if (rename(files[i]->temp, files[i]->target) != 0) {
            snprintf(err, err_len, "cannot write '%s': %s", files[i]->target, strerror(errno));
            /* the ones already in place are taken back */
            for (size_t j = 0; j < i; ++j)
                unlink(files[j]->target);
            discard_from(files, i, n);
            return false;
        }
        files[i]->open = false;
    }
    /* and each folder once, so the new names themselves survive a crash */
    char dirs[4][PATH_MAX];
    size_t n_dirs = 0;
    for (size_t i = 0; i < n; ++i) {
        char dir[PATH_MAX];
        if (!real_folder(files[i]->target, dir))
            continue;
        bool seen = false;
        for (size_t k = 0; k < n_dirs && !seen; ++k)
            seen = strcmp(dirs[k], dir) == 0;
        if (seen)
            continue;
        if (n_dirs < sizeof dirs / sizeof dirs[0])
            memcpy(dirs[n_dirs++], dir, sizeof dir);
        int fd = open(dir, O_RDONLY | O_DIRECTORY);
        if (fd >= 0) {
            fsync(fd); /* best effort: some file systems refuse it on folders */
            close(fd);
        }
    }
    return true;
}

bool
atomic_file_commit(atomic_file *f, char *err, size_t err_len)
{
    atomic_file *const one[] = {f};
    return atomic_file_commit_all(one, 1, err, err_len);
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

bool
atomic_file_write(const char *path, const void *bytes, size_t size, char *err, size_t err_len)
{
    const unsigned char *data = bytes;
    atomic_file f = {.fd = -1};
    bool ok = atomic_file_begin(&f, path, err, err_len);
    for (size_t done = 0; ok && done < size;) {
        ssize_t w = write(f.fd, data + done, size - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            snprintf(err, err_len, "cannot write '%s': %s", path, strerror(errno));
            ok = false;
        } else {
            done += (size_t)w;
        }
    }
    if (ok) {
        int closed = close(f.fd);
        f.fd = -1;
        if (closed != 0) {
            snprintf(err, err_len, "cannot write '%s': %s", path, strerror(errno));
            ok = false;
        }
    }
    ok = ok && atomic_file_commit(&f, err, err_len);
    if (!ok)
        atomic_file_discard(&f);
    return ok;
}
