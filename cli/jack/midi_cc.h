/* midi_cc.h — the MIDI control-change map of `hillock jack`.
 *
 * Incoming CCs listed in midi_cc_map set a parameter (on any channel; the
 * engine glides continuous values, so a knob never clicks). Every other MIDI
 * message (notes, pitch bend, CCs not in the map) goes to engine_midi()
 * unchanged, so note handling stays the engine's, as in the plugin. */
#ifndef HILLOCK_MIDI_CC_H
#define HILLOCK_MIDI_CC_H

#include "params.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    uint8_t cc;
    param_id param;
    float lo, hi;     /* value at CC 0 and at CC 127 */
    bool logarithmic; /* interpolate in log space (lo, hi > 0) */
    const char *why;  /* for the help text and docs/manual.md */
} midi_cc_entry;

extern const midi_cc_entry midi_cc_map[];
extern const unsigned midi_cc_map_size;

/* If msg is a mapped control change, store the parameter and its value and
 * return true. Real-time safe. */
bool midi_cc_lookup(const uint8_t *msg, uint32_t size, param_id *param, float *value);

#endif
