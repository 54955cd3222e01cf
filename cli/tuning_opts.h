/* tuning_opts.h — `--tuning FILE.scl [--keymap FILE.kbm]`, shared by render
 * and jack: read both files into the frequencies of the 128 MIDI notes. */
#ifndef HILLOCK_TUNING_OPTS_H
#define HILLOCK_TUNING_OPTS_H

#include <stdbool.h>

/* Frequencies (Hz, 0 = unmapped) from the files; scl or kbm may be NULL
 * (12-tone equal / the default keymap). On failure prints
 * "hillock CMD: FILE: reason" on stderr and returns false. */
bool cli_tuning_load(const char *cmd, const char *scl, const char *kbm, double hz[128]);

#endif
