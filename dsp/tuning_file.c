/* tuning_file.c — reads a .scl or .kbm file into memory and parses it
 * (tuning.h). For the command line and the plugin's worker thread, never
 * the audio thread: it allocates and reads a file. */
#include "tuning.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef bool (*parse_fn)(const char *text, size_t len, void *out, char *err, size_t err_size);

static bool
parse_scl(const char *text, size_t len, void *out, char *err, size_t err_size)
{
    return tuning_parse_scl(text, len, out, err, err_size);
}

static bool
parse_kbm(const char *text, size_t len, void *out, char *err, size_t err_size)
{
    return tuning_parse_kbm(text, len, out, err, err_size);
}

static bool
load(const char *path, parse_fn parse, void *out, char *err, size_t err_size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_size, "%s: %s", path, strerror(errno));
        return false;
    }
    char *text = malloc(TUNING_MAX_FILE_BYTES + 1u);
    if (!text) {
        fclose(f);
        snprintf(err, err_size, "%s: out of memory", path);
        return false;
    }
    size_t len = fread(text, 1, TUNING_MAX_FILE_BYTES + 1u, f);
    bool read_error = ferror(f) != 0;
    fclose(f);
    bool ok = false;
    char why[256] = "";
    if (read_error)
        snprintf(why, sizeof why, "cannot read it");
    else if (len > TUNING_MAX_FILE_BYTES)
        snprintf(why, sizeof why, "larger than %u bytes", TUNING_MAX_FILE_BYTES);
    else if (memchr(text, '\0', len))
        snprintf(why, sizeof why, "not a text file");
    else
        ok = parse(text, len, out, why, sizeof why);
    free(text);
    if (!ok)
        snprintf(err, err_size, "%s: %s", path, why);
    return ok;
}

bool
tuning_load_scl(const char *path, tuning_scale *out, char *err, size_t err_size)
{
    return load(path, parse_scl, out, err, err_size);
}

bool
tuning_load_kbm(const char *path, tuning_keymap *out, char *err, size_t err_size)
{
    return load(path, parse_kbm, out, err, err_size);
}
