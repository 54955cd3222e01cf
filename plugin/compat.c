/* compat.c — see compat.h. */
#include "compat.h"

/* A change appends {P_X, <new HILLOCK_STATE_VERSION>, <old value>}; the
 * versions are listed at HILLOCK_STATE_VERSION (protocol/uris.h). */
const compat_rule compat_rules[] = {
    /* 0.1 held every bank near one loudness (the leveller, 1); from state
     * version 2 a fresh instance lets loudness follow activity (0) */
    {P_LEVELLING, 2, 1.0f, false},
    /* 0.1 restarted a ringing pluck on every spike; in step, its pitch
     * holds and more spikes ring louder, which activity-following loudness
     * needs (a single fast neuron is then as loud as a bank) */
    {P_RETRIGGER, 2, (float)RETRIGGER_RESTART, false},
    /* 0.1 started every neuron from rest, all firing their first spike
     * together; a fresh instance starts settled, on the attractor */
    {P_START, 2, (float)START_REST, false},
    /* 0.1 read drive, noise, input_gain, input_offset, midi_drive,
     * dcaap_amplitude and CV in the model's own unit; a fresh instance
     * counts them in its rheobase (models/rheobase.h). An old state's
     * values, all of them saved, keep their unit. */
    {P_DRIVE_MODE, 2, (float)DRIVE_ABSOLUTE, false},
    /* ... and their defaults were 10, 10, 10 and 15 in that unit */
    {P_DRIVE, 2, 10.0f, true},
    {P_INPUT_GAIN, 2, 10.0f, true},
    {P_MIDI_DRIVE, 2, 10.0f, true},
    {P_DCAAP_AMPLITUDE, 2, 15.0f, true},
};
const uint32_t compat_rule_count = sizeof compat_rules / sizeof compat_rules[0];

uint32_t
compat_rules_for(const compat_rule *rules, uint32_t n, int32_t version)
{
    uint32_t mask = 0;
    for (uint32_t i = 0; i < n && i < COMPAT_MAX_RULES; ++i)
        if (rules[i].since > version)
            mask |= 1u << i;
    return mask;
}

void
compat_restart(compat_state *s, uint32_t mask)
{
    atomic_store_explicit(&s->mask, mask, memory_order_relaxed);
    s->armed = true;
}

void
compat_apply(compat_state *s, const compat_rule *rules, uint32_t n,
             float values[PARAM_COUNT])
{
    uint32_t mask = atomic_load_explicit(&s->mask, memory_order_relaxed);
    for (uint32_t i = 0; i < n && i < COMPAT_MAX_RULES; ++i) {
        if (!(mask & (1u << i)) || rules[i].id >= PARAM_COUNT)
            continue;
        float *v = &values[rules[i].id];
        if (s->armed)
            s->restored[i] = *v;
        if (s->armed && rules[i].only_at_default && *v != param_table[rules[i].id].def)
            mask &= ~(1u << i); /* the state set it: its value holds */
        else if (*v != s->restored[i])
            mask &= ~(1u << i); /* the user set it: the new meaning from now on */
        else
            *v = rules[i].legacy;
    }
    s->armed = false;
    atomic_store_explicit(&s->mask, mask, memory_order_relaxed);
}
