/* presets.h — LV2 presets (presets/NAME.ttl, pset:Preset) read through serd/sord
 * or lilv, shared by `hillock render -p`, `hillock presets` and `hillock jack`.
 *
 * Search order for preset files: $HILLOCK_PRESET_PATH (colon-separated
 * folders), the installed bundle's folder (and its presets/ subfolder), then
 * the source tree's presets/ (compiled in, so the build tree works without
 * installing). manifest.ttl is never a preset. */
#ifndef HILLOCK_PRESETS_H
#define HILLOCK_PRESETS_H

#include "params.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

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

/* As preset_load, also describing the preset in info (if not NULL). */
bool preset_load_info(const char *which, float values[PARAM_COUNT], preset_info *info,
                      char *err, size_t err_len);

/* The folders searched, in order: every folder of $HILLOCK_PRESET_PATH,
 * then the built-in ones. Within them a name found earlier shadows the same
 * name found later. */
typedef struct {
    size_t n;
    char dirs[][1024];
} presets_path;

/* The search path (free() it), or NULL when out of memory. */
presets_path *presets_search_path(void);

/* Load every preset file in the search path (as presets_list finds them),
 * printing one line per broken file to report; returns how many are broken
 * and stores how many were checked. Turtle files typing no pset:Preset are
 * not presets and are skipped. */
int presets_check(FILE *report, int *checked);

#endif
