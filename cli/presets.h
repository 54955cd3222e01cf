/* presets.h — LV2 presets (presets/*.ttl, pset:Preset) read through serd/sord
 * or lilv, shared by `hillock render -p`, `hillock presets` and `hillock jack`.
 *
 * Search order for preset files: $HILLOCK_PRESET_PATH (colon-separated
 * folders), the installed bundle's folder, then the source tree's presets/
 * (compiled in, so the build tree works without installing). */
#ifndef HILLOCK_PRESETS_H
#define HILLOCK_PRESETS_H

#include "params.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char name[64];     /* short name used with -p: the file name without .ttl */
    char label[128];   /* rdfs:label */
    char uri[256];
    char comment[512]; /* rdfs:comment */
    char path[1024];
} preset_info;

/* Fills up to max presets sorted by name; returns how many, or -1 with err. */
int presets_list(preset_info *out, int max, char *err, size_t err_len);

/* Load a preset by short name, label, URI or file path: start from the
 * defaults and apply every lv2:port value it names. An unknown symbol or
 * out-of-range value is an error naming the file and symbol. */
bool preset_load(const char *which, float values[PARAM_COUNT], char *err, size_t err_len);

#endif
