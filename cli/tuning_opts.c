/* tuning_opts.c — see tuning_opts.h. */
#include "tuning_opts.h"

#include "input_file.h"
#include "tuning.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* A FIFO or device would block or never end in the reader's fopen: refuse
 * what is not a regular file first, as for presets and inputs. */
static bool
regular_file(const char *cmd, const char *option, const char *path)
{
    char err[1024];
    int fd = input_file_open(path, option + 2, 0, err, sizeof err);
    if (fd < 0) {
        fprintf(stderr, "hillock %s: %s: %s\n", cmd, option, err);
        return false;
    }
    close(fd);
    return true;
}

bool
cli_tuning_load(const char *cmd, const char *scl, const char *kbm, double hz[128])
{
    /* a scale is 8 KiB and a keymap 4 KiB: off the stack */
    tuning_scale *scale = scl ? malloc(sizeof *scale) : NULL;
    tuning_keymap *keymap = kbm ? malloc(sizeof *keymap) : NULL;
    char err[1024];
    bool ok = (!scl || scale) && (!kbm || keymap);
    if (!ok)
        fprintf(stderr, "hillock %s: out of memory\n", cmd);
    if (ok && scl && !regular_file(cmd, "--tuning", scl))
        ok = false;
    if (ok && scl && !tuning_load_scl(scl, scale, err, sizeof err)) {
        fprintf(stderr, "hillock %s: --tuning %s\n", cmd, err);
        ok = false;
    }
    if (ok && kbm && !regular_file(cmd, "--keymap", kbm))
        ok = false;
    if (ok && kbm && !tuning_load_kbm(kbm, keymap, err, sizeof err)) {
        fprintf(stderr, "hillock %s: --keymap %s\n", cmd, err);
        ok = false;
    }
    if (ok)
        tuning_build(scale, keymap, hz);
    free(scale);
    free(keymap);
    return ok;
}
