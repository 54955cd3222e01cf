/* state_opts.c — the engine's whole state for the command line. */
#include "state_opts.h"

#include "engine_snapshot.h"
#include "input_file.h"
#include "le_bytes.h"
#include "params.h"
#include "synapse_opts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The largest state file read: the largest synapse table and a bank of the
 * most neurons fit with room to spare. */
#define MAX_STATE_BYTES ((uint64_t)1 << 30)
#define OLD_TITLE "hillock-synapse-state "
/* The render's own section (engine_state_add_host): where --play-spikes
 * was in its recording, "play" then f64 rate, f64 anchor_file, u64
 * anchor_frame, u64 dropped (play_spikes.h) */
#define PLAY_TAG "play"
#define PLAY_BYTES (4u + 8u + 8u + 8u + 8u)

static void
put_play(uint8_t *b, const play_spikes *p)
{
    memcpy(b, PLAY_TAG, 4);
    le_putd(b + 4, p->rate);
    le_putd(b + 12, p->anchor_file);
    le_put64(b + 20, p->anchor_frame);
    le_put64(b + 28, p->dropped);
}

/* The recording's transport where the saved render stopped; a state saved
 * without one leaves p as opened (the recording starts at the
 * continuation). False when the section is damaged. */
static bool
take_play(const uint8_t *data, size_t size, play_spikes *p)
{
    const uint8_t *host = NULL;
    size_t n = 0;
    if (!engine_state_host(data, size, &host, &n))
        return true;
    if (n != PLAY_BYTES || memcmp(host, PLAY_TAG, 4) != 0)
        return false;
    const double rate = le_getd(host + 4), anchor = le_getd(host + 12);
    if (!(rate >= 0.0 && rate < 1e9) || !isfinite(anchor))
        return false;
    p->rate = rate;
    p->anchor_file = anchor;
    p->anchor_frame = le_get64(host + 20);
    p->dropped = le_get64(host + 28);
    return true;
}

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
               automation *a, play_spikes *play, bool quiet)
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
    /* the recording's position checked first, taken with the engine's state */
    play_spikes *probe = play ? malloc(sizeof *probe) : NULL;
    bool ok = !play || probe;
    if (probe) {
        memcpy(probe, play, sizeof *probe);
        ok = take_play((const uint8_t *)data, size, probe);
        if (!ok)
            snprintf(err, sizeof err, "section 'host': the recording's position is damaged");
    } else if (!ok) {
        snprintf(err, sizeof err, "out of memory");
    }
    ok = ok && engine_state_load(e, (const uint8_t *)data, size, param_table[P_W_MAX].max, err,
                                 sizeof err);
    if (ok && probe) {
        play->rate = probe->rate;
        play->anchor_file = probe->anchor_file;
        play->anchor_frame = probe->anchor_frame;
        play->dropped = probe->dropped;
    }
    free(probe);
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
cli_state_take(engine *e, const play_spikes *play, uint8_t **data, size_t *size, char *err,
               size_t err_len)
{
    if (!engine_state_save(e, data, size, err, err_len))
        return false;
    uint8_t host[PLAY_BYTES];
    if (play) {
        put_play(host, play);
        if (!engine_state_add_host(data, size, host, sizeof host)) {
            free(*data);
            snprintf(err, err_len, "out of memory");
            return false;
        }
    }
    return true;
}
