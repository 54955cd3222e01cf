/* input_file.h — open a file the command reads (a preset, a stimulus) only
 * if it is a regular file: a FIFO would block the open until a writer comes
 * and a device such as /dev/zero never ends, and neither could then be
 * interrupted. */
#ifndef HILLOCK_INPUT_FILE_H
#define HILLOCK_INPUT_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A read-only descriptor on path, or -1 with a message in err naming what
 * (`what`: "preset", "input") could not be read: missing, not a regular
 * file, or larger than max_bytes (0: any size). Never blocks. */
int input_file_open(const char *path, const char *what, uint64_t max_bytes, char *err,
                    size_t err_len);

/* The whole of a file input_file_open() accepts, into a malloc'd buffer
 * (*data, *size; free it). NULL-terminated one byte past the end, for text. */
bool input_file_read_all(const char *path, const char *what, uint64_t max_bytes, char **data,
                         size_t *size, char *err, size_t err_len);

#endif
