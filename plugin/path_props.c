/* path_props.c — the list of file properties (path_props.h). */
#include "path_props.h"

#include "recording.h"
#include "tuning.h"
#include "uris.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool
parse_scl(const char *path, void *data, char *err, size_t err_size)
{
    return tuning_load_scl(path, data, err, err_size);
}

static bool
parse_kbm(const char *path, void *data, char *err, size_t err_size)
{
    return tuning_load_kbm(path, data, err, err_size);
}

/* Scale and keymap together make the 128 notes' frequencies; neither
 * loaded is the engine's own 12-TET, bit for bit. */
static void
apply_tuning(engine *e, const void *const data[PATH_PROP_COUNT])
{
    const tuning_scale *scale = data[PATH_TUNING];
    const tuning_keymap *keymap = data[PATH_KEYMAP];
    if (!scale && !keymap) {
        engine_set_tuning(e, NULL);
        return;
    }
    double hz[TUNING_KEYS];
    tuning_build(scale, keymap, hz);
    engine_set_tuning(e, hz);
}

const path_property path_props[PATH_PROP_COUNT] = {
    [PATH_TUNING] = {HILLOCK__tuning, "Tuning",
                     "Scala scale file (.scl) giving the pitches of the spike voice's notes; "
                     "empty: 12-tone equal temperament, A4 = 440 Hz",
                     "scl", sizeof(tuning_scale), parse_scl, apply_tuning, NULL},
    [PATH_KEYMAP] = {HILLOCK__keymap, "Keymap",
                     "Scala keyboard mapping file (.kbm) for the tuning: which note plays "
                     "which degree, the reference note and its frequency; empty: note 60 "
                     "plays degree 0 at 261.626 Hz",
                     "kbm", sizeof(tuning_keymap), parse_kbm, apply_tuning, NULL},
    [PATH_SPIKES] = {HILLOCK__spikes, "Recording",
                     "Spikes of recorded neurons played when source is recorded or both: "
                     "CSV/TSV (time_s,neuron), an NWB 2.x file's units table, or a MIDI "
                     "file's notes; streamed from disk, following the host's transport at "
                     "playback_rate; empty: none",
                     "csv,tsv,nwb,mid", sizeof(recording), recording_open,
                     recording_apply, recording_release},
};

path_value *
path_value_load(path_prop_id prop, const char *path, char *err, size_t err_size)
{
    const path_property *p = &path_props[prop];
    size_t len = strlen(path);
    if (len >= PATH_PROP_MAX_PATH) {
        snprintf(err, err_size, "%.64s...: path longer than %u bytes", path,
                 PATH_PROP_MAX_PATH - 1u);
        return NULL;
    }
    path_value *v = calloc(1, sizeof *v);
    if (!v || !(v->path = malloc(len + 1u))) {
        free(v);
        snprintf(err, err_size, "%s: out of memory", path);
        return NULL;
    }
    v->prop = prop;
    memcpy(v->path, path, len + 1u);
    if (len == 0)
        return v; /* cleared */
    v->data = malloc(p->data_size);
    if (!v->data) {
        snprintf(err, err_size, "%s: out of memory", path);
        path_value_free(v);
        return NULL;
    }
    if (!p->parse(path, v->data, err, err_size)) {
        free(v->data); /* parse leaves nothing to release when it fails */
        v->data = NULL;
        path_value_free(v);
        return NULL;
    }
    return v;
}

void
path_value_free(path_value *v)
{
    if (!v)
        return;
    if (v->data && path_props[v->prop].release)
        path_props[v->prop].release(v->data);
    free(v->path);
    free(v->data);
    free(v);
}
