/* settings.h — SYMBOL=VALUE assignments (--set on the command line, `set`
 * lines on stdin), validated against the parameter table. */
#ifndef HILLOCK_SETTINGS_H
#define HILLOCK_SETTINGS_H

#include "params.h"

#include <stdbool.h>
#include <stddef.h>

/* Parse "symbol=value" (enumerations by name); on success store into values
 * and, if id is not NULL, the parameter index. */
bool settings_apply(const char *assignment, float values[PARAM_COUNT], int *id, char *err,
                    size_t err_len);

#endif
