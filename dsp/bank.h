/* bank.h — the neuron bank: state as structure-of-arrays, one model step for
 * every neuron, spike detection and delivery.
 *
 * Arrays are 64-byte aligned floats sized for the largest bank at create, so
 * stepping never allocates. The inner loops run over neurons without
 * branches on neuron data.
 */
#ifndef HILLOCK_BANK_H
#define HILLOCK_BANK_H

#include "dendrite.h"
#include "m_current.h"
#include "models/model.h"
#include "network.h"
#include "network_rows.h"
#include "receptors.h"
#include "synapses.h"

#include <stdint.h>

typedef struct {
    const model_desc *model;
    model_params mp;
    dendrite_params dp;
    network_params np;
    float drive;        /* model units */
    float gap;          /* mS/cm² between ring neighbours */
    float exc_decay;    /* per step: exp(-dt/tau_exc) */
    float inh_decay;
    float noise_sigma;  /* OU standard deviation */
    float noise_decay;  /* exp(-dt/tau) */
    float noise_kick;   /* sigma * sqrt(1 - decay^2) */
    int synapse_model;  /* SYNAPSE_* (params.h) */
    receptors_config rc; /* synapse_model receptors */
    synapse_params sp;  /* the stored synapses' plasticity and delays (bank.syn) */
    float poisson_rate_hz; /* Poisson background per neuron (bank_poisson.h); 0: none */
    float poisson_weight;  /* mS/cm² per event */
    m_current_config mc; /* the M-current (acetylcholine < 1, HH-type models) */
} bank_config;

/* Parallel stepping for offline renders: a pool owned by the caller (never
 * the plugin's audio path) runs job(arg, p) for p = 0 .. parts-1, on any
 * threads, and returns when all are done. */
typedef void (*bank_job)(void *arg, unsigned part);
typedef void (*bank_parallel_for)(void *pool, bank_job job, void *arg, unsigned parts);
#define BANK_MAX_PARTS 64u
/* Neurons per block of the per-step stereo mix and screen (bank_mix.h),
 * and the grain of a parallel step's parts: at least the largest preset
 * bank, so that every bank of one block mixes as it always has. */
#define BANK_MIX_BLOCK 512u

/* A mix block's results of a step: its stereo mix, its part of the
 * leveller's statistics (sums of w^2 var) and its screen's verdict, on a
 * cache line of its own. The ranges of a parallel step each write their
 * blocks' as they end them: side by side in five arrays of a float a
 * block, the two threads took lines from each other several times a step
 * (about 300 ns a line between the 2-vCPU guest's cores), and the pool
 * thread's range of a 10 % coupled HH bank of 4096 took 10 time-stamp
 * ticks a neuron-step against 4 laid out so (docs/performance-log.md). The
 * runs stepped ahead no longer need copies of their own of these. */
typedef struct {
    _Alignas(64) float l, r;
    float stat_l, stat_r;
    uint8_t bad;
} bank_block_sums;
/* scratch rows per neuron for time-scaled steps: vars, inputs, fractions */
#define BANK_SCALED_ROWS (MODEL_MAX_VARS + 8u)

typedef struct {
    uint32_t capacity; /* neurons allocated */
    uint32_t n;        /* neurons running */
    float *var[MODEL_MAX_VARS];
    float *drive_scale; /* 1 + spread * x_i */
    float *ext;         /* per-neuron extra current this frame (MIDI, cochlea) */
    float *noise;       /* OU current */
    float *g_exc[2];    /* excitatory synaptic conductance per branch */
    float *g_inh;       /* inhibitory synaptic conductance at the soma */
    receptors *rec;     /* synapse_model receptors: the receptors' state */
    float *m_gate;      /* the M-current's gate p (m_current.h) */
    float *branch_v[2]; /* the subunit branches' voltages, mV (dendrite.h) */
    float *soma_i, *soma_g, *soma_ge, *dend_i, *dend_g, *dend_ge; /* step inputs */
    float *spike_frac;
    /* Each neuron's own time scale (pitch tracking): neuron i advances
     * time_scale[i] * dt of model time per step, so its whole dynamics runs
     * that much faster; 1 for every neuron unless time_scaled. A separate
     * factor from the bank's dt (speed, tempo), which it multiplies. The
     * synapses and noise keep the bank's time. */
    float *time_scale;
    int time_scaled;    /* some time_scale[i] != 1: the step looks at them */
    float *scaled_scratch;  /* BANK_SCALED_ROWS x capacity (bank_scaled.c) */
    uint32_t *scaled_index;
    uint8_t *inhibitory;
    uint8_t *branch;
    uint32_t *spiked;   /* scratch: neurons that spiked this step */
    float *net_missed;  /* scratch: 3 capacity, network_deliver_step */
    float *spiked_frac;
    /* per model (MODEL_* index): its tables, and the dt and phi they were
     * prepared for (model_desc.table_prepare) */
    float *tables[MODEL_COUNT];
    float table_dt[MODEL_COUNT], table_phi[MODEL_COUNT];
    float seen_dt[MODEL_COUNT], seen_phi[MODEL_COUNT]; /* dt and phi of the previous step */
    uint32_t table_builds;         /* table_prepare calls so far (tests) */
    uint8_t table_filled[MODEL_COUNT]; /* table_init's part copied in (bank_tables_init) */
    uint32_t *noise_key;     /* per neuron: the seed's part of its noise hash */
    uint64_t noise_key_seed; /* ... for this seed */
    uint32_t noise_key_n;    /* ... valid for neurons [0, noise_key_n) */
    float *noise_second;     /* per neuron: the second normal of the last pair */
    uint64_t noise_pair;     /* ... drawn for pair number noise_pair */
    uint32_t noise_pair_n;   /* ... for neurons [0, noise_pair_n) */
    int noise_pair_valid;    /* ... for this seed and all running neurons */
    int noise_live;          /* the noise current may be nonzero */
    uint32_t noise_quiet;    /* steps since the noise was switched off */
    /* Skipping unchanged step inputs (bank_step): input_gen counts writes to
     * drive_scale, ext and noise; g_live is 0 only while every synaptic
     * conductance is exactly zero; the key is what the inputs were last
     * assembled from. */
    uint32_t input_gen;
    /* ... and dend_gen every such write but the noise's (which reaches the
     * soma alone): a noisy two-compartment bank keeps its dendrite's inputs
     * (bank_input_cache.c). Derived, not saved: moved on at a load. */
    uint32_t dend_gen;
    int g_live;
    /* > 0: every synaptic conductance is at most this, the saturation bound
     * last applied to the whole bank (bank_step); 0: not known (after a
     * state load or a write from outside the step, bank_inputs_changed) */
    float g_bound;
    /* 1: the excitatory conductance of both branches is kept in g_exc[0]
     * alone, g_exc[1] staying zero (bank_step, where the dendrite sums its
     * branches before any nonlinearity); derived, not saved: 0 after a load
     * or a write from outside the step */
    int exc_one_branch;
    uint32_t quiet_steps; /* steps since the last synaptic delivery */
    uint32_t inputs_kept; /* steps that kept their inputs so far (tests) */
    uint32_t dend_kept;   /* ... that kept their dendrite's inputs (tests) */
    uint32_t exc_merges;  /* ... that merged the excitatory branches (tests) */
    struct {
        int valid;
        uint32_t gen, dend_gen, n;
        float drive, ext_all, tonic;
        const void *model;
        int mode;
    } inputs_key;
    /* The real-time guard (guard.h): synaptic operations this step's
     * delivery may spend (UINT64_MAX: no limit; beyond it the bank stops
     * its highest neurons at this step, guard_fit_delivery), and what it
     * spent (network_step_cost). */
    uint64_t syn_allow;
    uint64_t syn_ops;
    /* The stored synapse table (synapses.h), owned by the host; NULL: the
     * on-the-fly network (network.h). */
    synapse_table *syn;
    /* The on-the-fly network's rows kept once drawn (network_rows.h), or
     * NULL: drawn at every spike (bank_keep_rows). */
    network_rows *net_rows;
    float *poisson_wait;     /* per neuron: ms to its next background event */
    uint32_t *poisson_count; /* ... events drawn so far */
    int poisson_armed;       /* the waits are drawn */
    /* The per-step stereo mix and screen (bank_mix.h): what to compute, and
     * per block of BANK_MIX_BLOCK neurons its sums and verdict, for the
     * first mix_n neurons. */
    int mix_mode;
    const float *mix_wl, *mix_wr;
    float mix_center;
    bank_block_sums *sums;
    uint32_t mix_n;
    /* ... and the leveller's statistics (bank_mix_stats_request), next
     * step only: each neuron's running mean and mean square (the sums of
     * w^2 var in each block's sums) */
    float *stat_mean, *stat_msq, stat_k, stat_a;
    uint32_t stat_n; /* the neurons the last update covered */
    bank_parallel_for par_run; /* NULL: single-threaded */
    void *par_pool;
    unsigned par_parts; /* threads */
    void (*par_side)(void *arg); /* the extra part of each parallel step, or NULL */
    void *par_side_arg;
    int par_side_after; /* ... run after the job instead */
    struct bank_split *par_split; /* the cuts between the threads (bank_split.h) */
    void *arrays; /* the one block every per-neuron array above lies in (bank.c) */
    int touch_pages; /* bank_create (1) or bank_create_offline (0): how memory
                      * allocated later for the bank maps its pages */
} bank;

/* bank_create: every array's pages written at create, for real-time use
 * (the audio thread never faults a page in). bank_create_offline: the same
 * bank, its pages mapped at first use (renders and tests that use a few
 * of the neurons the capacity allows; zeroed.h). */
bank *bank_create(uint32_t capacity);
bank *bank_create_offline(uint32_t capacity);
void bank_destroy(bank *b);
/* Keep the on-the-fly network's rows once drawn (network_rows.h: 4 MiB,
 * allocated here, not on the audio thread): later spikes read their
 * neuron's targets instead of drawing them, the same bits. 0 without
 * memory (the bank then draws every row, as before). */
int bank_keep_rows(bank *b);

/* Neurons [begin, end) to the model's start state, synapses and noise cleared. */
void bank_init_neurons(bank *b, const bank_config *c, uint32_t begin, uint32_t end);

/* Call after writing b->ext alone: the step inputs are assembled anew.
 * The conductances are left as they are known to be (their bound, one
 * excitatory branch), so a bank whose stimulus changes every frame (the
 * cochlea, held MIDI notes) pays for its n neurons, not for a pass over the
 * whole capacity's conductances each step. */
void bank_ext_changed(bank *b);

/* Call after writing b->ext and perhaps the conductances (settle.c, a
 * reset): the step inputs are assembled anew, and the conductances are
 * bounded and their branches merged again by the next step. */
void bank_inputs_changed(bank *b);

/* drive_scale[i] = 1 + spread * x_i, x_i ramping -1..+1 over the n neurons. */
void bank_set_spread(bank *b, float spread);

/* One model step for every running neuron. ext_all is a current added to
 * every soma (stimulus). step_index numbers the step for the noise stream.
 * Returns how many neurons spiked; their indices and step fractions are in
 * b->spiked / b->spiked_frac, in index order. Spikes are delivered to the
 * network, taking effect from the next step. */
uint32_t bank_step(bank *b, const bank_config *c, float ext_all, uint64_t step_index);

/* Step the bank's neurons on `parts` threads through run(pool, ...) (NULL or
 * parts <= 1: one thread), one range of neurons per thread, the cuts
 * between the ranges moved from step to step so that the threads end
 * together (bank_split.h: a thread may also have the frame's serial part,
 * its sound, or a shared core). Each range does all of its neurons' work
 * of the step: noise, inputs, model step, spike scan, the broken-spike
 * check and the stereo mix and screen of its blocks (bank_mix.h; a block a
 * cut lies in is mixed whole by whichever of its ranges ends last). The
 * result is bit-identical to one thread: within a step each neuron depends
 * only on its own state (inputs from synapses are those delivered after
 * the previous step, as parallel simulators exchange spikes once per
 * step), the mix is summed per fixed block, and spikes are gathered in
 * index order and delivered by the calling thread. Gap junctions
 * (neighbour voltages) and banks of one block run on the calling thread. */
void bank_set_parallel(bank *b, bank_parallel_for run, void *pool, unsigned parts);
/* 1 if a bank of n neurons steps on two threads when given them (larger
 * than one mix block); 0: always on the calling thread. */
int bank_splits(uint32_t n);

/* Work of the caller's that may run beside the neurons of a parallel step:
 * each parallel step runs side(arg) once, as one more part of its job (on
 * any one thread, while the others step the neurons), or with `after`,
 * on the calling thread right after the job (to hand work to the pool
 * beside the caller's serial part). NULL: none. */
void bank_set_side_part(bank *b, void (*side)(void *arg), void *arg, int after);

/* Reset every neuron whose state is broken (bank_neuron_broken); returns
 * how many. Costs a look at every neuron: call it when a screen
 * (bank_screen.h) found something. */
uint32_t bank_repair_nonfinite(bank *b, const bank_config *c);

#endif
