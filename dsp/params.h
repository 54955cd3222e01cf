/* params.h — THE parameter table.
 *
 * Every user-visible parameter of Hillock is declared once, in params.c.
 * LV2 control-port indices, the generated TTL, the CLI's --set names, preset
 * validation and GUI labels all derive from this table.
 *
 * Rule: the enum below is append-only. A parameter, once released, keeps its
 * index forever (the LV2 port index is a fixed offset plus this index).
 */
#ifndef HILLOCK_PARAMS_H
#define HILLOCK_PARAMS_H

#include "models/registry.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest bank: the neurons parameter's maximum, and one past the focus
 * parameter's (focus indexes a neuron of the bank). */
#define PARAM_NEURONS_MAX 16384

typedef enum {
    PARAM_KIND_FLOAT,
    PARAM_KIND_INTEGER,
    PARAM_KIND_ENUMERATION,
    PARAM_KIND_TOGGLE,
} param_kind;

typedef enum {
    /* the bank */
    P_MODEL,
    P_NEURONS,
    P_DRIVE,
    P_SPREAD,
    P_NOISE,
    P_NOISE_TAU,
    P_SEED,
    P_TEMPERATURE,
    P_SPEED,
    P_SPIKE_THRESHOLD,
    P_FOCUS,
    /* model-specific */
    P_PR_GC,
    P_PR_P,
    P_IZH_A,
    P_IZH_B,
    P_IZH_C,
    P_IZH_D,
    P_HR_R,
    /* dendritic branches */
    P_DENDRITE_MODE,
    P_BRANCH_A,
    P_BRANCH_B,
    P_NMDA_MG,
    P_DCAAP_THRESHOLD,
    P_DCAAP_WIDTH,
    P_DCAAP_AMPLITUDE,
    /* network */
    P_CONNECTIVITY,
    P_INHIBITORY_FRACTION,
    P_W_EXC,
    P_W_INH,
    P_TAU_EXC,
    P_TAU_INH,
    P_GAP,
    /* stimulus */
    P_INPUT_GAIN,
    P_INPUT_OFFSET,
    P_INPUT_MODE,
    P_INPUT_ROUTING,
    P_MIDI_DRIVE,
    /* sound */
    P_LISTEN,
    P_MEMBRANE_LEVEL,
    P_SPIKE_LEVEL,
    P_SPIKE_SOUND,
    P_SCALE,
    P_ROOT,
    P_VELOCITY,
    P_MASTER_LEVEL,
    P_LEVELLING,
    P_RETRIGGER,
    /* the bank, appended after 0.1 */
    P_START,
    P_DRIVE_MODE,
    /* time */
    P_TEMPO_SYNC,
    P_SYNC_DIVISION,
    /* MIDI, appended after 0.1 */
    P_PITCH_MODE,
    P_GLIDE,
    /* receptors and drugs */
    P_SYNAPSE_MODEL,
    P_NMDA_RATIO,
    P_AP5,
    P_BICUCULLINE,
    P_BENZODIAZEPINE,
    /* recorded neurons */
    P_SOURCE,
    P_PLAYBACK_RATE,
    /* stored synapses: plasticity, delays, background */
    P_PLASTICITY,
    P_STDP_RULE,
    P_W_MAX,
    P_DOPAMINE,
    P_AXON_VELOCITY,
    P_POISSON_RATE,
    P_POISSON_WEIGHT,
    P_TTX,
    P_TEA,
    P_ACETYLCHOLINE,
    P_NOREPINEPHRINE,
    P_BRANCH_SUBUNITS,
    PARAM_COUNT
} param_id;

/* Enumeration values, in table order, for the enumerations the DSP switches on. */
/* MODEL_*: models/registry.h, the one list of models */
enum { DENDRITE_LINEAR, DENDRITE_NMDA, DENDRITE_DCAAP };
enum { INPUT_DIRECT, INPUT_RECTIFIED, INPUT_ENVELOPE };
enum { ROUTING_ALL, ROUTING_COCHLEA };
enum { LISTEN_FOCUS, LISTEN_BANK };
enum { SPIKE_SOUND_CLICK, SPIKE_SOUND_PLUCK };
enum { RETRIGGER_RESTART, RETRIGGER_IN_STEP };
enum { START_SETTLED, START_REST };
enum { DRIVE_RELATIVE, DRIVE_ABSOLUTE };
enum { TEMPO_SYNC_OFF, TEMPO_SYNC_ON };
/* sync_division: 1/1, 1/1d, 1/1t, 1/2, ... 1/32t (tempo_division_quarters) */
enum { SYNC_DIVISION_QUARTER = 6 };
enum { PITCH_OFF, PITCH_TRACK };
enum { SYNAPSE_EXPONENTIAL, SYNAPSE_RECEPTORS };
enum { SOURCE_SIMULATED, SOURCE_RECORDED, SOURCE_BOTH };
/* STDP_*: synapses.h */
enum { SCALE_CHROMATIC, SCALE_MAJOR, SCALE_MINOR, SCALE_PENTATONIC, SCALE_WHOLE_TONE };

typedef struct {
    const char *symbol;    /* LV2 symbol, CLI --set name: [a-z_][a-z0-9_]* */
    const char *name;      /* human label */
    const char *unit;      /* display unit ("mV", "ms", "dB"), "" if none */
    const char *lv2_unit;  /* "units:ms" etc. when LV2 has one, else NULL */
    const char *comment;   /* one sentence for rdfs:comment and --help */
    const char *group;     /* port group: bank, model, dendrite, network, stimulus, sound, time */
    param_kind kind;
    float min, max, def;
    bool logarithmic;      /* only with min > 0 */
    const char *const *values; /* enumeration names, in order (kind ENUMERATION) */
    uint32_t n_values;
} param_info;

extern const param_info param_table[PARAM_COUNT];

/* Index of the parameter with this symbol, or -1. */
int param_find(const char *symbol);

/* Parse a value given as text: a number, or an enumeration's name, or
 * true/false/on/off for toggles. Returns false and writes a message naming the
 * problem into err (if not NULL) for unparsable or out-of-range values. */
bool param_parse(param_id id, const char *text, float *value, char *err, size_t err_len);

/* Clamp to [min, max], round integers/enumerations/toggles, and map a
 * non-finite value to the default. Real-time safe. */
float param_sanitize(param_id id, float value);

/* Enumeration name for a value, or NULL. */
const char *param_value_name(param_id id, float value);

/* Fill values[] with every default. */
void param_defaults(float values[PARAM_COUNT]);
/* The defaults with drive_mode absolute: currents in the model's own unit,
 * drive 10, input_gain 10, midi_drive 10, dcaap_amplitude 15 (what the
 * relative defaults give an HH neuron at 6.3 degC, to 0.3 %). Tests that
 * specify currents in uA/cm2 start here. */
void param_defaults_absolute(float values[PARAM_COUNT]);

#endif
