/* atomic_file.h — write a file under a temporary name in the target's folder
 * and rename() it into place only when it is complete, so a failed or
 * refused run never leaves a half-written file under the target's name. */
#ifndef HILLOCK_ATOMIC_FILE_H
#define HILLOCK_ATOMIC_FILE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char target[4096]; /* the name the finished file gets (symbolic links followed) */
    char temp[4096];   /* ".NAME.XXXXXX" beside it while it is written */
    int fd;            /* open descriptor of temp, -1 once handed over or closed */
    bool open;         /* temp exists on disk */
} atomic_file;

/* Follow the symbolic links of path (its last component, link after link)
 * to the name the data really goes to, into out; a name that does not exist
 * yet resolves to itself. False on a loop or a path too long. */
bool atomic_file_resolve(const char *path, char *out, size_t out_len);

/* Whether two output names reach the same file: the same device and inode
 * when both exist, else the same name in the same folder (./a.wav is
 * a.wav), symbolic links followed. */
bool atomic_file_same(const char *a, const char *b);

/* Create the temporary file (mode 0666 & ~umask, like an ordinary create).
 * Refuses a target that exists and is not a regular file (a directory, a
 * device such as /dev/null, a pipe). On failure writes a message naming
 * the target into err and returns false. */
bool atomic_file_begin(atomic_file *f, const char *target, char *err, size_t err_len);

/* Flush the (already closed) temporary file to disk (fsync) and rename it
 * onto the target. */
bool atomic_file_commit(atomic_file *f, char *err, size_t err_len);

/* Commit n files together (n > 0): their data written back side by side,
 * then every one fsynced before any is renamed, each folder fsynced once.
 * On failure err names the file: if its data could not be flushed none is
 * renamed and every temporary file is removed; if a rename fails the
 * targets renamed before it are removed. */
bool atomic_file_commit_all(atomic_file *const files[], size_t n, char *err, size_t err_len);

/* Remove the temporary file, if any; safe to call more than once. */
void atomic_file_discard(atomic_file *f);

/* The bytes to path whole: begin, write, close, commit; on failure the
 * temporary file is removed and err says why. */
bool atomic_file_write(const char *path, const void *bytes, size_t size, char *err,
                       size_t err_len);

#endif
