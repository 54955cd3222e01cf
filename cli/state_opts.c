/* state_opts.c — the engine's whole state for the command line. */
#include "state_opts.h"

#include "engine_snapshot.h"
#include "input_file.h"
#include "params.h"
#include "synapse_opts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The largest state file read: the largest synapse table and a bank of the
 * most neurons fit with room to spare. */
#define MAX_STATE_BYTES ((uint64_t)1 << 30)
#define OLD_TITLE "hillock-synapse-state "

static bool
automated(const automation *a, int id)
{
    for (uint32_t k = 0; a && k < automation_lanes(a); ++k)
        if ((int)automation_lane_param(a, k) == id)
            return true;
    return false;
}

bool
cli_state_load(const char *cmd, engine *e, const char *path, const float values[PARAM_COUNT],
               automation *a, bool quiet)
{
    char err[1024];
    char *data = NULL;
    size_t size = 0;
    if (!input_file_read_all(path, "state", MAX_STATE_BYTES, &data, &size, err, sizeof err)) {
        fprintf(stderr, "hillock %s: %s\n", cmd, err);
        return false;
    }
    if (size >= strlen(OLD_TITLE) && memcmp(data, OLD_TITLE, strlen(OLD_TITLE)) == 0) {
        free(data);
        if (!cli_synapses_load_state(cmd, e, path))
            return false;
        if (!quiet)
            fprintf(stderr,
                    "hillock %s: '%s' is the synapse state of an earlier Hillock: the stored "
                    "synapses continue from it, the neurons and the sound start afresh\n",
                    cmd, path);
        return true;
    }
    /* the settings as the saved render ran them when it stopped: its
     * automation's (the header is checked against them) */
    const uint64_t clock = engine_state_clock((const uint8_t *)data, size);
    if (a && clock > 0) {
        float at_save[PARAM_COUNT];
        memcpy(at_save, values, sizeof at_save);
        for (uint32_t k = 0; k < automation_lanes(a); ++k)
            at_save[automation_lane_param(a, k)] = automation_value(a, k, clock - 1u);
        if (memcmp(at_save, values, sizeof at_save) != 0) {
            engine_set_all_params(e, at_save);
            cli_synapses_update(cmd, e, true);
        }
    }
    bool ok = engine_state_load(e, (const uint8_t *)data, size, param_table[P_W_MAX].max, err,
                                sizeof err);
    free(data);
    if (!ok) {
        fprintf(stderr, "hillock %s: %s: %s\n", cmd, path, err);
        return false;
    }
    /* the command line's other settings change at the continuation */
    char changed[512] = "";
    size_t used = 0;
    for (int id = 0; id < PARAM_COUNT; ++id) {
        if (values[id] == engine_get_param(e, (param_id)id) || automated(a, id))
            continue;
        engine_set_param(e, (param_id)id, values[id]);
        int w = snprintf(changed + used, sizeof changed - used, "%s%s", used ? ", " : "",
                         param_table[id].symbol);
        if (w > 0 && (size_t)w < sizeof changed - used)
            used += (size_t)w;
    }
    if (used && !quiet)
        fprintf(stderr,
                "hillock %s: settings other than the saved state's change as the render "
                "continues: %s\n",
                cmd, changed);
    return true;
}

bool
cli_state_take(engine *e, uint8_t **data, size_t *size, char *err, size_t err_len)
{
    return engine_state_save(e, data, size, err, err_len);
}
