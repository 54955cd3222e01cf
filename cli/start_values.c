/* start_values.c — see start_values.h. */
#include "start_values.h"

#include "exit_codes.h"
#include "interrupt.h"
#include "presets.h"
#include "settings.h"

#include <stdio.h>

int
start_values(const char *command, const char *preset, const char *const *sets, int n_sets,
             float values[PARAM_COUNT])
{
    char err[1024];
    param_defaults(values);
    interrupt_stage("preset");
    if (preset && !preset_load(preset, values, err, sizeof err)) {
        fprintf(stderr, "hillock %s: %s\n", command, err);
        return EXIT_INPUT;
    }
    for (int i = 0; i < n_sets; ++i)
        if (!settings_apply(sets[i], values, NULL, err, sizeof err)) {
            fprintf(stderr, "hillock %s: --set '%s': %s\n", command, sets[i], err);
            return EXIT_USAGE;
        }
    return EXIT_OK;
}
