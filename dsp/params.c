/* params.c — the one declaration of every user-visible parameter.
 *
 * Units: currents in the model's rheobase (drive_mode relative,
 * models/rheobase.h) or its own unit (absolute: µA/cm² for the HH-type
 * models), conductances in mS/cm², time in model milliseconds. Append new parameters
 * at the end of the enum in params.h: indices are port numbers.
 */
#include "params.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MODEL_SYMBOL_(id, symbol) #symbol,
static const char *const model_names[] = {HILLOCK_MODELS(MODEL_SYMBOL_)};
#undef MODEL_SYMBOL_
static const char *const dendrite_names[] = {"linear", "nmda", "dcaap"};
static const char *const input_mode_names[] = {"direct", "rectified", "envelope"};
static const char *const routing_names[] = {"all", "cochlea"};
static const char *const listen_names[] = {"focus", "bank"};
static const char *const spike_sound_names[] = {"click", "pluck"};
static const char *const retrigger_names[] = {"restart", "in_step"};
static const char *const start_names[] = {"settled", "rest"};
static const char *const drive_mode_names[] = {"relative", "absolute"};
static const char *const tempo_sync_names[] = {"off", "on"};
/* straight, dotted (d, 3/2 as long), triplet (t, 2/3 as long) */
static const char *const sync_division_names[] = {
    "1/1",  "1/1d",  "1/1t",  "1/2",  "1/2d",  "1/2t",  "1/4",  "1/4d",  "1/4t",
    "1/8",  "1/8d",  "1/8t",  "1/16", "1/16d", "1/16t", "1/32", "1/32d", "1/32t"};
static const char *const pitch_mode_names[] = {"off", "track"};
static const char *const synapse_model_names[] = {"exponential", "receptors"};
static const char *const source_names[] = {"simulated", "recorded", "both"};
static const char *const stdp_rule_names[] = {"pair_additive", "pair_multiplicative",
                                              "triplet"};
static const char *const scale_names[] = {"chromatic", "major", "minor", "pentatonic",
                                          "whole_tone"};

#define ENUM(list) .kind = PARAM_KIND_ENUMERATION, .values = list, \
                   .n_values = sizeof(list) / sizeof(list[0])

const param_info param_table[PARAM_COUNT] = {
    [P_MODEL] = {"model", "Model", "", NULL,
                 "Neuron model of the whole bank", "bank", ENUM(model_names),
                 .min = 0, .max = MODEL_COUNT - 1, .def = MODEL_HH},
    [P_NEURONS] = {"neurons", "Neurons", "", NULL,
                   "How many neurons the bank runs", "bank", PARAM_KIND_INTEGER,
                   .min = 1, .max = PARAM_NEURONS_MAX, .def = 8, .logarithmic = true},
    [P_DRIVE] = {"drive", "Drive", "rheobase", NULL,
                 "Bias current into each soma. Relative (drive_mode): 1 = the model's "
                 "rheobase, where it starts to fire, 0 = one unit below; absolute: in the "
                 "model's unit (uA/cm2 for hh and pinsky_rinzel, the model's own I for "
                 "izhikevich and hindmarsh_rose)",
                 "bank", PARAM_KIND_FLOAT, .min = -50, .max = 200, .def = 1.6f},
    [P_SPREAD] = {"spread", "Spread", "", "units:coef",
                  "Heterogeneity of drive: neuron i gets drive*(1 + spread*x_i), x_i "
                  "ramping from -1 to +1 across the bank; 0 = identical neurons",
                  "bank", PARAM_KIND_FLOAT, .min = 0, .max = 1, .def = 0},
    [P_NOISE] = {"noise", "Noise", "rheobase", NULL,
                 "Standard deviation of an Ornstein-Uhlenbeck noise current into each "
                 "soma, independent per neuron, in the drive's unit; 0 = none",
                 "bank", PARAM_KIND_FLOAT, .min = 0, .max = 50, .def = 0},
    [P_NOISE_TAU] = {"noise_tau", "Noise time constant", "ms", "units:ms",
                     "Correlation time of the Ornstein-Uhlenbeck noise, model ms",
                     "bank", PARAM_KIND_FLOAT, .min = 0.1f, .max = 100, .def = 5,
                     .logarithmic = true},
    [P_SEED] = {"seed", "Seed", "", NULL,
                "Seeds every random choice: noise, connectivity, cell types",
                "bank", PARAM_KIND_INTEGER, .min = 0, .max = 16777215, .def = 1},
    [P_TEMPERATURE] = {"temperature", "Temperature", "degC", NULL,
                       "Temperature; HH-type rates scale by Q10 = 3 from 6.3 degC",
                       "bank", PARAM_KIND_FLOAT, .min = 0, .max = 50, .def = 6.3f},
    [P_SPEED] = {"speed", "Speed", "", "units:coef",
                 "Model milliseconds per real millisecond; higher speeds raise the "
                 "pitch of the dynamics, the engine sub-steps to keep accuracy",
                 "bank", PARAM_KIND_FLOAT, .min = 0.01f, .max = 200, .def = 1,
                 .logarithmic = true},
    [P_SPIKE_THRESHOLD] = {"spike_threshold", "Spike threshold", "mV", NULL,
                           "Voltage whose upward crossing is a spike (hh, "
                           "pinsky_rinzel); izhikevich spikes at its reset, "
                           "hindmarsh_rose when x crosses 1",
                           "bank", PARAM_KIND_FLOAT, .min = -60, .max = 40, .def = -20},
    [P_FOCUS] = {"focus", "Focus neuron", "", NULL,
                 "The neuron that single-neuron outputs and the trace follow",
                 "bank", PARAM_KIND_INTEGER,
                 .min = 0, .max = PARAM_NEURONS_MAX - 1, .def = 0},

    [P_PR_GC] = {"pr_gc", "PR coupling", "mS/cm2", NULL,
                 "Pinsky-Rinzel soma-dendrite coupling conductance gc",
                 "model", PARAM_KIND_FLOAT, .min = 0.1f, .max = 50, .def = 2.1f,
                 .logarithmic = true},
    [P_PR_P] = {"pr_p", "PR soma fraction", "", "units:coef",
                "Pinsky-Rinzel soma area fraction p", "model", PARAM_KIND_FLOAT,
                .min = 0.05f, .max = 0.95f, .def = 0.5f},
    [P_IZH_A] = {"izh_a", "Izhikevich a", "1/ms", NULL,
                 "Izhikevich recovery time scale a (1/ms)", "model",
                 PARAM_KIND_FLOAT, .min = 0.001f, .max = 0.3f, .def = 0.02f,
                 .logarithmic = true},
    [P_IZH_B] = {"izh_b", "Izhikevich b", "", "units:coef",
                 "Izhikevich recovery sensitivity b", "model", PARAM_KIND_FLOAT,
                 .min = -0.5f, .max = 0.5f, .def = 0.2f},
    [P_IZH_C] = {"izh_c", "Izhikevich c", "mV", NULL,
                 "Izhikevich reset voltage c", "model", PARAM_KIND_FLOAT,
                 .min = -90, .max = -30, .def = -65},
    [P_IZH_D] = {"izh_d", "Izhikevich d", "", NULL,
                 "Izhikevich recovery jump d after a spike", "model",
                 PARAM_KIND_FLOAT, .min = -5, .max = 20, .def = 8},
    [P_HR_R] = {"hr_r", "Hindmarsh-Rose r", "", "units:coef",
                "Hindmarsh-Rose adaptation rate r: smaller = longer bursts", "model",
                PARAM_KIND_FLOAT, .min = 0.0001f, .max = 0.05f, .def = 0.006f,
                .logarithmic = true},

    [P_DENDRITE_MODE] = {"dendrite_mode", "Dendrite mode", "", NULL,
                         "Branch nonlinearity: linear synapse, NMDA (Mg block: "
                         "conducts when input and depolarisation coincide) or dCaAP "
                         "(non-monotonic: largest just above threshold)",
                         "dendrite", ENUM(dendrite_names), .min = 0, .max = 2,
                         .def = DENDRITE_LINEAR},
    [P_BRANCH_A] = {"branch_a", "Branch A input", "mS/cm2", NULL,
                    "Tonic excitatory conductance onto dendritic branch A of every "
                    "neuron", "dendrite", PARAM_KIND_FLOAT, .min = 0, .max = 5, .def = 0},
    [P_BRANCH_B] = {"branch_b", "Branch B input", "mS/cm2", NULL,
                    "Tonic excitatory conductance onto dendritic branch B of every "
                    "neuron", "dendrite", PARAM_KIND_FLOAT, .min = 0, .max = 5, .def = 0},
    [P_NMDA_MG] = {"nmda_mg", "Magnesium", "mM", NULL,
                   "Extracellular Mg2+ of the NMDA block (Jahr & Stevens 1990)",
                   "dendrite", PARAM_KIND_FLOAT, .min = 0, .max = 10, .def = 1},
    [P_DCAAP_THRESHOLD] = {"dcaap_threshold", "dCaAP threshold", "mS/cm2", NULL,
                           "Branch input at which the dCaAP fires at full size",
                           "dendrite", PARAM_KIND_FLOAT,
                           .min = 0.01f, .max = 5, .def = 0.2f,
                           .logarithmic = true},
    [P_DCAAP_WIDTH] = {"dcaap_width", "dCaAP width", "", "units:coef",
                       "How fast the dCaAP shrinks above threshold, as a fraction of "
                       "the threshold (Gidon et al. 2020)",
                       "dendrite", PARAM_KIND_FLOAT, .min = 0.05f, .max = 5, .def = 0.3f,
                       .logarithmic = true},
    [P_DCAAP_AMPLITUDE] = {"dcaap_amplitude", "dCaAP amplitude", "rheobase", NULL,
                           "Largest current a dCaAP branch delivers to the soma, in the "
                           "drive's unit",
                           "dendrite", PARAM_KIND_FLOAT,
                           .min = 0, .max = 100, .def = 2.4f},

    [P_CONNECTIVITY] = {"connectivity", "Connectivity", "", "units:coef",
                        "Probability of a synapse between any two neurons (seeded)",
                        "network", PARAM_KIND_FLOAT, .min = 0, .max = 1, .def = 0},
    [P_INHIBITORY_FRACTION] = {"inhibitory_fraction", "Inhibitory fraction", "",
                               "units:coef",
                               "Fraction of the bank that is inhibitory (seeded)",
                               "network", PARAM_KIND_FLOAT,
                               .min = 0, .max = 1, .def = 0.2f},
    [P_W_EXC] = {"w_exc", "Excitatory weight", "mS/cm2", NULL,
                 "Conductance an excitatory spike adds onto a target's branch",
                 "network", PARAM_KIND_FLOAT, .min = 0, .max = 2, .def = 0},
    [P_W_INH] = {"w_inh", "Inhibitory weight", "mS/cm2", NULL,
                 "Conductance an inhibitory spike adds onto a target's soma",
                 "network", PARAM_KIND_FLOAT, .min = 0, .max = 5, .def = 0},
    [P_TAU_EXC] = {"tau_exc", "Excitatory decay", "ms", "units:ms",
                   "Decay time of excitatory synaptic conductance (AMPA-like)",
                   "network", PARAM_KIND_FLOAT, .min = 0.2f, .max = 100, .def = 2,
                   .logarithmic = true},
    [P_TAU_INH] = {"tau_inh", "Inhibitory decay", "ms", "units:ms",
                   "Decay time of inhibitory synaptic conductance (GABA-A-like)",
                   "network", PARAM_KIND_FLOAT, .min = 0.2f, .max = 200, .def = 8,
                   .logarithmic = true},
    [P_GAP] = {"gap", "Gap junctions", "mS/cm2", NULL,
               "Electrical coupling between ring neighbours i-1, i, i+1",
               "network", PARAM_KIND_FLOAT, .min = 0, .max = 5, .def = 0},

    [P_INPUT_GAIN] = {"input_gain", "Input gain", "rheobase", NULL,
                      "Current a full-scale stimulus sample injects, in the drive's unit",
                      "stimulus", PARAM_KIND_FLOAT, .min = 0, .max = 200, .def = 1.6f},
    [P_INPUT_OFFSET] = {"input_offset", "Input offset", "rheobase", NULL,
                        "Current added to the shaped stimulus while it is enabled, in the "
                        "drive's unit",
                        "stimulus", PARAM_KIND_FLOAT, .min = -50, .max = 50, .def = 0},
    [P_INPUT_MODE] = {"input_mode", "Input mode", "", NULL,
                      "How stimulus audio becomes current: as is, rectified, or its "
                      "envelope", "stimulus", ENUM(input_mode_names), .min = 0,
                      .max = 2, .def = INPUT_DIRECT},
    [P_INPUT_ROUTING] = {"input_routing", "Input routing", "", NULL,
                         "Stimulus to every neuron, or through a band-pass bank so "
                         "each neuron hears its own band (a neural cochlea)",
                         "stimulus", ENUM(routing_names), .min = 0, .max = 1,
                         .def = ROUTING_ALL},
    [P_MIDI_DRIVE] = {"midi_drive", "MIDI drive", "rheobase", NULL,
                      "Current a held MIDI note at full velocity adds to its neurons, in the "
                      "drive's unit",
                      "stimulus", PARAM_KIND_FLOAT, .min = 0, .max = 100, .def = 1.6f},

    [P_LISTEN] = {"listen", "Listen to", "", NULL,
                  "Membrane voice: the focus neuron alone or the whole bank in stereo",
                  "sound", ENUM(listen_names), .min = 0, .max = 1,
                  .def = LISTEN_BANK},
    [P_MEMBRANE_LEVEL] = {"membrane_level", "Membrane level", "dB", "units:db",
                          "Level of the membrane-voltage voice; minimum = off",
                          "sound", PARAM_KIND_FLOAT, .min = -60, .max = 12, .def = -12},
    [P_SPIKE_LEVEL] = {"spike_level", "Spike level", "dB", "units:db",
                       "Level of the spike voice; minimum = off", "sound",
                       PARAM_KIND_FLOAT, .min = -60, .max = 12, .def = -12},
    [P_SPIKE_SOUND] = {"spike_sound", "Spike sound", "", NULL,
                       "Each spike plays a band-limited click or a tuned pluck",
                       "sound", ENUM(spike_sound_names), .min = 0, .max = 1,
                       .def = SPIKE_SOUND_PLUCK},
    [P_SCALE] = {"scale", "Scale", "", NULL,
                 "Scale mapping neuron index to pitch (spike voice and MIDI out)",
                 "sound", ENUM(scale_names), .min = 0, .max = 4,
                 .def = SCALE_PENTATONIC},
    [P_ROOT] = {"root", "Root note", "", "units:midiNote",
                "MIDI note of neuron 0; higher neurons climb the scale", "sound",
                PARAM_KIND_INTEGER, .min = 12, .max = 108, .def = 48},
    [P_VELOCITY] = {"velocity", "Spike velocity", "", NULL,
                    "Velocity of the MIDI notes that spikes send", "sound",
                    PARAM_KIND_INTEGER, .min = 1, .max = 127, .def = 100},
    [P_MASTER_LEVEL] = {"master_level", "Master level", "dB", "units:db",
                        "Output level before the soft limiter", "sound",
                        PARAM_KIND_FLOAT, .min = -60, .max = 12, .def = 0},
    [P_LEVELLING] = {"levelling", "Levelling", "", "units:coef",
                     "0: loudness follows activity (a calibrated level per model and "
                     "bank size; a resting bank is quiet); 1: a slow leveller holds "
                     "every bank near one loudness, as 0.1 did; between: a blend in dB",
                     "sound", PARAM_KIND_FLOAT, .min = 0, .max = 1, .def = 0},
    [P_RETRIGGER] = {"retrigger", "Retrigger", "", NULL,
                     "A spike while its neuron's voice still rings: restart strikes it "
                     "afresh (faster than its pitch, the firing rate takes over the "
                     "tone); in_step strikes in step with the ring, so the pitch holds "
                     "and more spikes ring louder, up to 12 dB",
                     "sound", ENUM(retrigger_names), .min = 0, .max = 1,
                     .def = RETRIGGER_IN_STEP},
    [P_START] = {"start", "Start", "", NULL,
                 "How the bank starts (instantiation, model switch, Reset): settled "
                 "places every neuron on its model's cycle at a random phase after a "
                 "short silent pre-roll, so the sound starts as it goes on; rest starts "
                 "every neuron from its resting state (all fire their first spike "
                 "together: the onset itself)",
                 "bank", ENUM(start_names), .min = 0, .max = 1, .def = START_SETTLED},
    [P_DRIVE_MODE] = {"drive_mode", "Drive unit", "", NULL,
                      "relative: drive, noise, input_gain, input_offset, midi_drive, "
                      "dcaap_amplitude and CV count in the model's rheobase (drive 1 = "
                      "where it starts to fire), so a knob position means the same regime "
                      "in every model; absolute: in the model's own current unit",
                      "bank", ENUM(drive_mode_names), .min = 0, .max = 1,
                      .def = DRIVE_RELATIVE},
    [P_TEMPO_SYNC] = {"tempo_sync", "Tempo sync", "", NULL,
                      "on: the bursts (or, in a coupled network, the population's "
                      "rhythm) lock their period and phase to the host's beat grid, "
                      "one per sync_division, by gliding the model's time scale; off: "
                      "the model runs at speed",
                      "time", ENUM(tempo_sync_names), .min = 0, .max = 1,
                      .def = TEMPO_SYNC_OFF},
    [P_SYNC_DIVISION] = {"sync_division", "Sync division", "", NULL,
                         "The note value each burst lasts under tempo_sync: 1/1 a whole "
                         "note .. 1/32; d dotted (3/2 as long), t triplet (2/3 as long)",
                         "time", ENUM(sync_division_names), .min = 0, .max = 17,
                         .def = SYNC_DIVISION_QUARTER},
    [P_PITCH_MODE] = {"pitch_mode", "Pitch mode", "", NULL,
                      "off: a MIDI note adds midi_drive to the neurons of its scale note; "
                      "track: a note makes its neurons fire at the note's frequency (through "
                      "the tuning), each on its own time scale, so the membrane voice plays "
                      "the note; neurons without a note rest",
                      "stimulus", ENUM(pitch_mode_names), .min = 0, .max = 1,
                      .def = PITCH_OFF},
    [P_GLIDE] = {"glide", "Glide", "ms", "units:ms",
                 "pitch_mode track: time a voice takes from its previous note to a new "
                 "one, in equal steps of pitch; 0 = jump",
                 "stimulus", PARAM_KIND_FLOAT, .min = 0, .max = 5000, .def = 0},
    [P_SYNAPSE_MODEL] = {"synapse_model", "Synapse model", "", NULL,
                         "exponential: one decaying conductance per spike (tau_exc, "
                         "tau_inh); receptors: excitatory cells release glutamate onto "
                         "AMPA and NMDA, inhibitory cells GABA onto GABA-A and the slow, "
                         "delayed GABA-B, each with its published kinetics",
                         "network", ENUM(synapse_model_names), .min = 0, .max = 1,
                         .def = SYNAPSE_EXPONENTIAL},
    [P_NMDA_RATIO] = {"nmda_ratio", "NMDA/AMPA ratio", "", "units:coef",
                      "receptors: peak NMDA conductance of a glutamate spike per unit of "
                      "AMPA (w_exc); NMDA's 100 ms decay and Mg2+ block make it the slow, "
                      "voltage-dependent part",
                      "network", PARAM_KIND_FLOAT, .min = 0, .max = 2, .def = 0.3f},
    [P_AP5] = {"ap5", "AP5", "", "units:coef",
               "Blocked fraction of the NMDA receptors (receptors synapse model)",
               "drugs", PARAM_KIND_FLOAT, .min = 0, .max = 1, .def = 0},
    [P_BICUCULLINE] = {"bicuculline", "Bicuculline", "", "units:coef",
                       "Blocked fraction of the GABA-A receptors (receptors synapse model)",
                       "drugs", PARAM_KIND_FLOAT, .min = 0, .max = 1, .def = 0},
    [P_BENZODIAZEPINE] = {"benzodiazepine", "Benzodiazepine", "", "units:coef",
                          "Factor on the GABA-A conductance, as a benzodiazepine's "
                          "positive modulation (receptors synapse model); 1 = none",
                          "drugs", PARAM_KIND_FLOAT, .min = 1, .max = 3, .def = 1},
    [P_SOURCE] = {"source", "Spike source", "", NULL,
                  "Whose spikes play the voices, MIDI, CV and raster: the simulated bank, "
                  "a recording (the spike file), or both (recorded units numbered after "
                  "the simulated neurons)",
                  "stimulus", ENUM(source_names), .min = 0, .max = 2,
                  .def = SOURCE_SIMULATED},
    [P_PLAYBACK_RATE] = {"playback_rate", "Playback rate", "", "units:coef",
                         "Speed of the recording against the host's time: 0.5 plays a "
                         "burst at half speed, 2 a slow rhythm twice as fast",
                         "stimulus", PARAM_KIND_FLOAT, .min = 0.01f, .max = 100, .def = 1,
                         .logarithmic = true},
    [P_PLASTICITY] = {"plasticity", "Plasticity", "", "units:coef",
                      "Learning rate of spike-timing-dependent plasticity on the excitatory "
                      "synapses: 1 = the published amplitudes of the rule, 0 = weights "
                      "frozen. Nonzero stores the synapses (memory per synapse in hillock "
                      "bench)",
                      "network", PARAM_KIND_FLOAT, .min = 0, .max = 100, .def = 0},
    [P_STDP_RULE] = {"stdp_rule", "STDP rule", "", NULL,
                     "pair_additive: Song, Miller & Abbott 2000, hard bounds 0 and w_max; "
                     "pair_multiplicative: depression proportional to the weight (van "
                     "Rossum et al. 2000); triplet: Pfister & Gerstner 2006",
                     "network", ENUM(stdp_rule_names), .min = 0, .max = 2,
                     .def = 0},
    [P_W_MAX] = {"w_max", "Maximum weight", "", "units:coef",
                 "Upper bound of a learned weight, in units of w_exc; every synapse starts "
                 "at 1",
                 "network", PARAM_KIND_FLOAT, .min = 0, .max = 10, .def = 2},
    [P_DOPAMINE] = {"dopamine", "Dopamine", "", "units:coef",
                    "Reward signal through each synapse's eligibility trace (Izhikevich "
                    "2007): the weight changes of the last second are added again times "
                    "dopamine (1 doubles them, -1 takes them back); 0 = baseline",
                    "network", PARAM_KIND_FLOAT, .min = -1, .max = 1, .def = 0},
    [P_AXON_VELOCITY] = {"axon_velocity", "Axon velocity", "m/s", NULL,
                         "Conduction velocity: a spike reaches each target after the axon's "
                         "length (neurons on a 4 mm ring) over this speed, at its exact "
                         "time; about 10 myelinated, 0.5 unmyelinated; 0 = no delay",
                         "network", PARAM_KIND_FLOAT, .min = 0, .max = 100, .def = 0},
    [P_POISSON_RATE] = {"poisson_rate", "Poisson rate", "Hz", "units:hz",
                        "Rate of a Poisson background of excitatory synaptic events into "
                        "each neuron (independent, seeded); 0 = none",
                        "network", PARAM_KIND_FLOAT, .min = 0, .max = 10000, .def = 0},
    [P_POISSON_WEIGHT] = {"poisson_weight", "Poisson weight", "mS/cm2", NULL,
                          "Excitatory conductance each background event adds, decaying "
                          "with tau_exc",
                          "network", PARAM_KIND_FLOAT, .min = 0, .max = 10, .def = 0.05f},
    [P_TTX] = {"ttx", "TTX", "", "units:coef",
               "Blocked fraction of the sodium channels (hh, pinsky_rinzel): 1 silences "
               "HH's spikes, Pinsky-Rinzel keeps its dendritic Ca2+ spikes; izhikevich "
               "and hindmarsh_rose have no channels and ignore it",
               "drugs", PARAM_KIND_FLOAT, .min = 0, .max = 1, .def = 0},
    [P_TEA] = {"tea", "TEA", "", "units:coef",
               "Blocked fraction of the delayed-rectifier K+ channels (hh, "
               "pinsky_rinzel): partly, the spike broadens; fully, it stays up as a "
               "plateau; izhikevich and hindmarsh_rose have no channels and ignore it",
               "drugs", PARAM_KIND_FLOAT, .min = 0, .max = 1, .def = 0},
    [P_ACETYLCHOLINE] = {"acetylcholine", "Acetylcholine", "", "units:coef",
                         "Suppression of the slow K+ M-current (hh, pinsky_rinzel): 1 "
                         "(default) suppresses it fully, as the models are published; "
                         "lower lets it act, and the neurons adapt (fire fast, then "
                         "slower); izhikevich and hindmarsh_rose have no channels and "
                         "ignore it",
                         "drugs", PARAM_KIND_FLOAT, .min = 0, .max = 1, .def = 1},
    [P_NOREPINEPHRINE] = {"norepinephrine", "Norepinephrine", "", "units:coef",
                          "Blocked fraction of the Ca2+-activated K-AHP current "
                          "(pinsky_rinzel): less after-hyperpolarisation, more spikes per "
                          "burst, a steeper gain; the other models have no such current "
                          "and ignore it",
                          "drugs", PARAM_KIND_FLOAT, .min = 0, .max = 1, .def = 0},
    [P_BRANCH_SUBUNITS] = {"branch_subunits", "Branch subunits", "", NULL,
                           "off: branches A and B feed one dendritic zone (two inputs "
                           "on one branch: the dCaAP XOR); on: each branch has its own "
                           "NMDA or dCaAP nonlinearity before the soma sums them, so "
                           "inputs on the same branch cooperate and on different "
                           "branches do not (Poirazi & Mel 2003)",
                           "dendrite", PARAM_KIND_TOGGLE, .min = 0, .max = 1, .def = 0},
};

int
param_find(const char *symbol)
{
    for (int i = 0; i < PARAM_COUNT; ++i)
        if (strcmp(param_table[i].symbol, symbol) == 0)
            return i;
    return -1;
}

static bool
is_discrete(const param_info *p)
{
    return p->kind != PARAM_KIND_FLOAT;
}

float
param_sanitize(param_id id, float value)
{
    const param_info *p = &param_table[id];
    if (!isfinite(value))
        return p->def;
    /* round before clamping: near 2^24 (seed's max) value + 0.5f rounds up
     * to the next integer, which must not escape the range */
    if (is_discrete(p))
        value = floorf(value + 0.5f);
    if (value < p->min)
        value = p->min;
    if (value > p->max)
        value = p->max;
    return value;
}

const char *
param_value_name(param_id id, float value)
{
    const param_info *p = &param_table[id];
    if (p->kind != PARAM_KIND_ENUMERATION || !isfinite(value))
        return NULL;
    long i = lroundf(value);
    return (i >= 0 && (uint32_t)i < p->n_values) ? p->values[i] : NULL;
}

void
param_defaults(float values[PARAM_COUNT])
{
    for (int i = 0; i < PARAM_COUNT; ++i)
        values[i] = param_table[i].def;
}

void
param_defaults_absolute(float values[PARAM_COUNT])
{
    param_defaults(values);
    values[P_DRIVE_MODE] = DRIVE_ABSOLUTE;
    /* the relative defaults (1.6 and 2.4 rheobases) as HH currents at
     * 6.3 degC, rounded as 0.1 had them */
    values[P_DRIVE] = 10.0f;
    values[P_INPUT_GAIN] = 10.0f;
    values[P_MIDI_DRIVE] = 10.0f;
    values[P_DCAAP_AMPLITUDE] = 15.0f;
}

static bool
fail(char *err, size_t err_len, const char *fmt, const char *a, const char *b)
{
    if (err && err_len)
        snprintf(err, err_len, fmt, a, b);
    return false;
}

bool
param_parse(param_id id, const char *text, float *value, char *err, size_t err_len)
{
    const param_info *p = &param_table[id];
    if (p->kind == PARAM_KIND_ENUMERATION) {
        for (uint32_t i = 0; i < p->n_values; ++i)
            if (strcasecmp(text, p->values[i]) == 0) {
                *value = (float)i;
                return true;
            }
    }
    if (p->kind == PARAM_KIND_TOGGLE) {
        if (!strcasecmp(text, "true") || !strcasecmp(text, "on")) {
            *value = 1;
            return true;
        }
        if (!strcasecmp(text, "false") || !strcasecmp(text, "off")) {
            *value = 0;
            return true;
        }
    }
    char *end = NULL;
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || !isfinite(v)) {
        if (p->kind == PARAM_KIND_ENUMERATION) {
            char names[256] = "";
            for (uint32_t i = 0; i < p->n_values; ++i) {
                strncat(names, i ? ", " : "", sizeof names - strlen(names) - 1);
                strncat(names, p->values[i], sizeof names - strlen(names) - 1);
            }
            return fail(err, err_len, "%s: expected one of %s", p->symbol, names);
        }
        return fail(err, err_len, "%s: '%s' is not a number", p->symbol, text);
    }
    /* The table's bounds are floats and the engine stores floats: compare the
     * float the text becomes, so every bound `hillock params` prints (the
     * shortest text that reads back as that float, e.g. 0.95 for 0.95f, which
     * as a double is above 0.95f) is accepted. */
    const float f = (float)v;
    if (!isfinite(f) || f < p->min || f > p->max) {
        char range[96];
        snprintf(range, sizeof range, "%s is outside [%g, %g]", text, (double)p->min,
                 (double)p->max);
        return fail(err, err_len, "%s: %s", p->symbol, range);
    }
    if (is_discrete(p) && v != floor(v))
        return fail(err, err_len, "%s: '%s' must be a whole number", p->symbol, text);
    *value = f;
    return true;
}
