/* midi_cc.c — the CC map. Controller numbers follow the General MIDI 2 /
 * MMA "sound controller" conventions where one fits (7 volume, 71 resonance,
 * 74 brightness, 73 attack...), so a generic controller's labelled knobs do
 * something close to their label. Ranges are the musically useful part of
 * each parameter's range, not all of it. */
#include "midi_cc.h"

#include <math.h>

const midi_cc_entry midi_cc_map[] = {
    {7, P_MASTER_LEVEL, -60.0f, 6.0f, false, "volume -> master_level, -60..+6 dB"},
    /* in the drive's unit: rheobases (drive_mode relative), so one sweep
     * spans silence (0), the onset of firing (1) and fast firing in every model */
    {74, P_DRIVE, 0.0f, 4.0f, false, "brightness -> drive, 0..4 (rheobases)"},
    {71, P_NOISE, 0.0f, 2.0f, false, "resonance -> noise, 0..2 (rheobases)"},
    {73, P_SPREAD, 0.0f, 1.0f, false, "attack -> spread, 0..1"},
    {75, P_TEMPERATURE, 0.0f, 40.0f, false, "sound ctl 6 -> temperature, 0..40 degC"},
    {76, P_SPEED, 0.25f, 8.0f, true, "sound ctl 7 -> speed, 0.25..8 (logarithmic)"},
    {70, P_MEMBRANE_LEVEL, -60.0f, 12.0f, false, "sound ctl 1 -> membrane_level, dB"},
    {72, P_SPIKE_LEVEL, -60.0f, 12.0f, false, "release -> spike_level, dB"},
};
const unsigned midi_cc_map_size = sizeof midi_cc_map / sizeof midi_cc_map[0];

bool
midi_cc_lookup(const uint8_t *msg, uint32_t size, param_id *param, float *value)
{
    if (size < 3 || (msg[0] & 0xF0) != 0xB0)
        return false;
    for (unsigned i = 0; i < midi_cc_map_size; ++i) {
        const midi_cc_entry *m = &midi_cc_map[i];
        if (m->cc != msg[1])
            continue;
        float t = (float)(msg[2] & 0x7F) / 127.0f;
        *param = m->param;
        *value = m->logarithmic ? m->lo * powf(m->hi / m->lo, t) : m->lo + t * (m->hi - m->lo);
        return true;
    }
    return false;
}
