/* ports.h — LV2 port layout of urn:hillock:bank and urn:hillock:bank-cv.
 *
 * Hosts find a port by its symbol (presets, states), but some also store
 * its index (Ardour's automation lanes are "parameter-<index>"), and LV2
 * forbids holes in the numbering. So the layout is a list of segments that
 * only grows at the end; no port once released ever changes index:
 *
 *   index         symbol         type                 bank   bank-cv
 *   0             out_left       audio out            yes    yes
 *   1             out_right      audio out            yes    yes
 *   2             stimulus       audio in             yes    yes
 *   3             events_in      atom:Sequence in     yes    yes   MIDI + patch
 *   4             events_out     atom:Sequence out    yes    yes   MIDI spikes + UI
 *   5             cv_stimulus    CV in                -      yes   connectionOptional
 *   6             cv_focus_v     CV out               -      yes   connectionOptional
 *   7             cv_dend_v      CV out               -      yes   connectionOptional
 *   8             cv_gate        CV out               -      yes   connectionOptional
 *   9             cv_rate        CV out               -      yes   connectionOptional
 *   B+p           <param p>      control in                        p < PARAMS_0_1
 *   B+45          latency        control out          (0.2)        lv2:latency, frames
 *   B+46          guard_load     control out          (0.2)        work / budget, 0..1
 *   B+47          guard_active   control out          (0.2)        1 while thinned or slowed
 *   B+3+p         <param p>      control in                        PARAMS_0_1 <= p < PARAMS_0_2
 *   B+63          freewheel      control in           (0.3)        lv2:freeWheeling: guard off
 *   B+64          guard_time     control out          (0.3)        model time run / set, 0..1
 *   B+5+p         <param p>      control in                        PARAMS_0_2 <= p < PARAMS_0_3
 *   B+77          pitch_clamped  control out          (0.3.x)      last note out of reach, -1: none
 *   B+6+p         <param p>      control in                        p >= PARAMS_0_3
 *
 * with B = 5 (bank) or 10 (bank-cv). The ports added after the first
 * release are lv2:connectionOptional, as the LV2 core spec requires of
 * ports added without a new URI (with a higher lv2:minorVersion).
 * A later non-parameter port is appended after the last port of its day,
 * and the parameters added after it follow it: add a segment, never
 * renumber. docs/compatibility.md states the rule.
 *
 * The ttl generator (ttl/) and the plugin both read this file, so the TTL
 * and the binary cannot disagree; tests/plugin checks it through lilv.
 */
#ifndef HILLOCK_PORTS_H
#define HILLOCK_PORTS_H

#include "params.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    PORT_OUT_LEFT = 0,
    PORT_OUT_RIGHT = 1,
    PORT_STIMULUS = 2,
    PORT_EVENTS_IN = 3,
    PORT_EVENTS_OUT = 4,
    PORT_FIXED_COUNT = 5,

    /* bank-cv only */
    PORT_CV_STIMULUS = 5,
    PORT_CV_FOCUS_V = 6,
    PORT_CV_DEND_V = 7,
    PORT_CV_GATE = 8,
    PORT_CV_RATE = 9,
    PORT_CV_FIXED_COUNT = 10,
};

/* Parameters released with the first layout (0.1): their ports follow the
 * fixed ports directly. */
#define HILLOCK_PARAMS_0_1 45u

/* Parameters added before the ports of 0.3 (up to playback_rate): their
 * ports precede them. */
#define HILLOCK_PARAMS_0_2 60u

/* Parameters before pitch_clamped (up to branch_subunits): its port
 * follows them. */
#define HILLOCK_PARAMS_0_3 72u

/* Non-parameter ports added after the first release (offsets into
 * hillock_late_port_at), in segments: */
enum {
    /* 0.2, after the parameters of 0.1 */
    PORT_LATE_LATENCY,
    PORT_LATE_GUARD_LOAD,
    PORT_LATE_GUARD_ACTIVE,
    PORT_LATE_0_2_COUNT,
    /* 0.3, after the parameters before HILLOCK_PARAMS_0_2 */
    PORT_LATE_FREEWHEEL = PORT_LATE_0_2_COUNT,
    PORT_LATE_GUARD_TIME,
    PORT_LATE_0_3_COUNT,
    /* after the parameters before HILLOCK_PARAMS_0_3 */
    PORT_LATE_PITCH_CLAMPED = PORT_LATE_0_3_COUNT,
    PORT_LATE_COUNT,
};

typedef enum {
    PORT_TYPE_AUDIO,
    PORT_TYPE_CV,
    PORT_TYPE_ATOM,
    PORT_TYPE_CONTROL,
} hillock_port_type;

/* One non-parameter port, as both the plugin and the TTL describe it. */
typedef struct {
    uint32_t index;
    const char *symbol;
    const char *name;
    const char *comment;
    hillock_port_type type;
    bool output;
    bool cv_only;  /* exists only in urn:hillock:bank-cv */
    float min, max; /* CV ranges (lv2:minimum / lv2:maximum), volts-ish */
} hillock_fixed_port;

/* Non-parameter port i, in index order (bank: i < PORT_FIXED_COUNT;
 * bank-cv: i < PORT_CV_FIXED_COUNT). */
static inline const hillock_fixed_port *
hillock_fixed_port_at(uint32_t i)
{
    static const hillock_fixed_port ports[PORT_CV_FIXED_COUNT] = {
    {PORT_OUT_LEFT, "out_left", "Left", "Left audio output", PORT_TYPE_AUDIO, true,
     false, 0, 0},
    {PORT_OUT_RIGHT, "out_right", "Right", "Right audio output", PORT_TYPE_AUDIO,
     true, false, 0, 0},
    {PORT_STIMULUS, "stimulus", "Stimulus",
     "Mono audio injected as current into the bank (scaled by input_gain, shaped by "
     "input_mode)", PORT_TYPE_AUDIO, false, false, 0, 0},
    {PORT_EVENTS_IN, "events_in", "Events in",
     "MIDI notes and controllers that drive the bank, and patch messages from the UI",
     PORT_TYPE_ATOM, false, false, 0, 0},
    {PORT_EVENTS_OUT, "events_out", "Events out",
     "Spikes as MIDI notes, and notifications (traces, spikes) for the UI",
     PORT_TYPE_ATOM, true, false, 0, 0},
    {PORT_CV_STIMULUS, "cv_stimulus", "CV stimulus",
     "Control voltage added to the stimulus: 1 V injects 10 current units",
     PORT_TYPE_CV, false, true, -10, 10},
    {PORT_CV_FOCUS_V, "cv_focus_v", "Focus voltage",
     "The focus neuron's somatic voltage: 1 V per 100 mV", PORT_TYPE_CV, true, true,
     -1.5f, 1.0f},
    {PORT_CV_DEND_V, "cv_dend_v", "Dendritic voltage",
     "The focus neuron's dendritic voltage (soma for one-compartment models): 1 V "
     "per 100 mV", PORT_TYPE_CV, true, true, -1.5f, 1.0f},
    {PORT_CV_GATE, "cv_gate", "Spike gate",
     "1 for 1 ms after each spike of the focus neuron, else 0", PORT_TYPE_CV, true,
     true, 0, 1},
    {PORT_CV_RATE, "cv_rate", "Population rate",
     "Smoothed firing rate per neuron: 1 V per 1000 Hz", PORT_TYPE_CV, true, true, 0,
     1},
    };
    return i < PORT_CV_FIXED_COUNT ? &ports[i] : NULL;
}

/* Non-parameter port added after the first release, k < PORT_LATE_COUNT
 * (its .index is k: hillock_late_port_index gives the port index). */
static inline const hillock_fixed_port *
hillock_late_port_at(uint32_t k)
{
    static const hillock_fixed_port ports[PORT_LATE_COUNT] = {
    {PORT_LATE_LATENCY, "latency", "Latency",
     "Delay of the audio outputs behind the input, in frames, for the host's latency "
     "compensation", PORT_TYPE_CONTROL, true, false, 0, 192000},
    {PORT_LATE_GUARD_LOAD, "guard_load", "CPU guard load",
     "Work of the last block as a share of the real-time budget (1 = the guard "
     "thins the bank)", PORT_TYPE_CONTROL, true, false, 0, 1},
    {PORT_LATE_GUARD_ACTIVE, "guard_active", "CPU guard active",
     "1 while the real-time guard plays fewer neurons than set, or runs model time "
     "slower than set, to keep within the CPU budget", PORT_TYPE_CONTROL, true, false, 0, 1},
    {PORT_LATE_FREEWHEEL, "freewheel", "Freewheel",
     "Set by the host while it renders faster than real time (an export): the "
     "real-time guard is off, every neuron plays at the speed set",
     PORT_TYPE_CONTROL, false, false, 0, 1},
    {PORT_LATE_GUARD_TIME, "guard_time", "CPU guard time scale",
     "Model time run over model time set: 1, or less while the real-time guard "
     "slows the bank because even its fewest neurons exceed the CPU budget",
     PORT_TYPE_CONTROL, true, false, 0, 1},
    {PORT_LATE_PITCH_CLAMPED, "pitch_clamped", "Pitch clamped",
     "With pitch_mode track: the last MIDI note out of the model's reach, played at "
     "the nearest pitch it reaches; -1 while every note has been in reach",
     PORT_TYPE_CONTROL, true, false, -1, 127},
    };
    return k < PORT_LATE_COUNT ? &ports[k] : NULL;
}

/* Index of the first control port. */
static inline uint32_t
hillock_param_port_base(bool cv)
{
    return cv ? PORT_CV_FIXED_COUNT : PORT_FIXED_COUNT;
}

/* Port index of late port k: after the parameters before its segment and
 * the late ports before it. */
static inline uint32_t
hillock_late_port_index(bool cv, uint32_t k)
{
    uint32_t params = k < PORT_LATE_0_2_COUNT   ? HILLOCK_PARAMS_0_1
                      : k < PORT_LATE_0_3_COUNT ? HILLOCK_PARAMS_0_2
                                                : HILLOCK_PARAMS_0_3;
    return hillock_param_port_base(cv) + params + k;
}

/* Late ports before parameter p's port. */
static inline uint32_t
hillock_late_ports_before(uint32_t p)
{
    return p < HILLOCK_PARAMS_0_1   ? 0u
           : p < HILLOCK_PARAMS_0_2 ? PORT_LATE_0_2_COUNT
           : p < HILLOCK_PARAMS_0_3 ? PORT_LATE_0_3_COUNT
                                    : PORT_LATE_COUNT;
}

/* Port index of parameter p. */
static inline uint32_t
hillock_param_port_index(bool cv, uint32_t p)
{
    return hillock_param_port_base(cv) + p + hillock_late_ports_before(p);
}

/* The late port on `index` (PORT_LATE_*), or -1. */
static inline int
hillock_port_late(bool cv, uint32_t index)
{
    for (uint32_t k = 0; k < PORT_LATE_COUNT; ++k)
        if (hillock_late_port_index(cv, k) == index)
            return (int)k;
    return -1;
}

/* The parameter on port `index`, or -1 if it holds none. */
static inline int
hillock_port_param(bool cv, uint32_t index)
{
    uint32_t base = hillock_param_port_base(cv);
    if (index < base || hillock_port_late(cv, index) >= 0)
        return -1;
    uint32_t i = index - base;
    uint32_t p = i < HILLOCK_PARAMS_0_1                         ? i
                 : i < HILLOCK_PARAMS_0_2 + PORT_LATE_0_2_COUNT ? i - PORT_LATE_0_2_COUNT
                 : i < HILLOCK_PARAMS_0_3 + PORT_LATE_0_3_COUNT ? i - PORT_LATE_0_3_COUNT
                                                                : i - PORT_LATE_COUNT;
    return p < PARAM_COUNT ? (int)p : -1;
}

/* Total number of ports. */
static inline uint32_t
hillock_port_count(bool cv)
{
    return hillock_param_port_base(cv) + PARAM_COUNT + PORT_LATE_COUNT;
}

_Static_assert(PARAM_COUNT >= HILLOCK_PARAMS_0_3 && HILLOCK_PARAMS_0_3 >= HILLOCK_PARAMS_0_2 &&
                   HILLOCK_PARAMS_0_2 >= HILLOCK_PARAMS_0_1,
               "a released parameter was removed: parameters are append-only");

#endif
