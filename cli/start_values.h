/* start_values.h — the parameters a command starts with: the defaults,
 * then the preset (-p), then every --set (-s) in order. */
#ifndef HILLOCK_START_VALUES_H
#define HILLOCK_START_VALUES_H

#include "params.h"

/* EXIT_OK, or with a message "hillock COMMAND: ..." on stderr EXIT_INPUT
 * (the preset cannot be read) or EXIT_USAGE (a bad --set). */
int start_values(const char *command, const char *preset, const char *const *sets, int n_sets,
                 float values[PARAM_COUNT]);

#endif
