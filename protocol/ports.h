/* ports.h — LV2 port layout of urn:hillock:bank and urn:hillock:bank-cv.
 *
 * Both plugins: the fixed ports first, then (bank-cv only) the CV ports,
 * then one control input per param_table entry in table order. Parameters
 * are appended at the end of param_table (params.h), so appending one only
 * adds a port at the end: no released index changes meaning.
 *
 *   index  symbol        type                 bank   bank-cv
 *   0      out_left      audio out            yes    yes
 *   1      out_right     audio out            yes    yes
 *   2      stimulus      audio in             yes    yes
 *   3      events_in     atom:Sequence in     yes    yes   MIDI + patch
 *   4      events_out    atom:Sequence out    yes    yes   MIDI spikes + UI
 *   5      cv_stimulus   CV in                -      yes   connectionOptional
 *   6      cv_focus_v    CV out               -      yes   connectionOptional
 *   7      cv_dend_v     CV out               -      yes   connectionOptional
 *   8      cv_gate       CV out               -      yes   connectionOptional
 *   9      cv_rate       CV out               -      yes   connectionOptional
 *   5+p    <param p>     control in           yes    -     p = param_id
 *   10+p   <param p>     control in           -      yes
 *
 * A new non-parameter port cannot be inserted without renumbering the
 * controls: it needs a new plugin URI (or lv2:minorVersion bump with a new
 * URI), never a change of these numbers.
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

/* Index of the first control port. */
static inline uint32_t
hillock_param_port_base(bool cv)
{
    return cv ? PORT_CV_FIXED_COUNT : PORT_FIXED_COUNT;
}

/* Total number of ports. */
static inline uint32_t
hillock_port_count(bool cv)
{
    return hillock_param_port_base(cv) + PARAM_COUNT;
}

#endif
