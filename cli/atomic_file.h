/* atomic_file.h — write a file under a temporary name in the target's folder
 * and rename() it into place only when it is complete, so a failed or
 * refused run never leaves a half-written file under the target's name. */
#ifndef HILLOCK_ATOMIC_FILE_H
#define HILLOCK_ATOMIC_FILE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char target[4096]; /* the name the finished file gets */
    char temp[4096];   /* ".NAME.XXXXXX" beside it while it is written */
    int fd;            /* open descriptor of temp, -1 once handed over or closed */
    bool open;         /* temp exists on disk */
} atomic_file;

/* Create the temporary file (mode 0666 & ~umask, like an ordinary create).
 * Refuses a target that exists and is not a regular file (a directory, a
 * device such as /dev/null, a pipe). On failure writes a message naming
 * the target into err and returns false. */
bool atomic_file_begin(atomic_file *f, const char *target, char *err, size_t err_len);

/* Rename the (already closed) temporary file onto the target. */
bool atomic_file_commit(atomic_file *f, char *err, size_t err_len);

/* Remove the temporary file, if any; safe to call more than once. */
void atomic_file_discard(atomic_file *f);

#endif
