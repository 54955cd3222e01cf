/* bench_measure.h — time engine_process on one configuration. */
#ifndef HILLOCK_BENCH_MEASURE_H
#define HILLOCK_BENCH_MEASURE_H

#include "params.h"
#include "simd.h"
#include "workers.h"

#include <stdint.h>

typedef struct {
    const char *name;  /* row label */
    int model;         /* MODEL_* */
    float drive;       /* a drive that fires repetitively */
    float connectivity;/* 0 = uncoupled */
    float noise;       /* OU noise, model units; 0 = none */
    float spread;      /* drive heterogeneity (the `spread` parameter) */
    int learning;      /* coupled through the learning network's synapses: receptors
                        * (AMPA + NMDA, GABA-A + GABA-B), axonal delays (1 m/s) and
                        * STDP (plasticity 1), the table stored as render stores it */
    uint32_t max_neurons; /* the larger bank at most this (0: --neurons) */
} bench_case;

typedef struct {
    double ns_per_frame_fixed; /* per-frame cost that does not grow with neurons */
    double ns_per_neuron_step; /* slope: cost of one more neuron for one model step */
    double ns_per_neuron_step_at_max; /* total time / (neurons x steps) at n_max */
    uint32_t substeps;         /* at the measured rate */
    double spikes_per_neuron_s;/* firing rate during the run, Hz */
} bench_result;

/* Time engine_process (everything in the audio path, default voices) at
 * 48 kHz in blocks of 64 frames with n_small and n_max neurons: this
 * thread's CPU time over runs of `seconds` of audio, the fastest of
 * `repeats` (robust on a shared machine, and every block counts, spiking or
 * not), and fit cost per frame = fixed + slope * neurons * steps. With
 * threads (bench_use_workers) it is wall time instead. */
/* With threads (bench_use_workers): where a step's CPU time goes on a bank
 * of n neurons (workers_profile, per step), the fastest fork and join of a
 * step's parts, the parallel share of the work, p / (s + p), and
 * the speed-up over one thread this projects for idle cores:
 * (s + p) / (s + p / threads + fork_join). */
typedef struct {
    workers_profile profile;
    double fork_join_ns, parallel_share, projected;
} bench_threads;
int bench_thread_split(const bench_case *c, simd_isa isa, uint32_t n, double seconds,
                       bench_threads *out);

int bench_measure(const bench_case *c, simd_isa isa, uint32_t n_small, uint32_t n_max, double seconds,
                  int repeats, bench_result *out);

/* Total cost per neuron-step (ns: block time over neurons x steps) of one
 * bank of n neurons, timed as bench_measure times each of its two sizes;
 * *spikes_hz: the firing rate per neuron during the last run. */
int bench_measure_at(const bench_case *c, simd_isa isa, uint32_t n, double seconds, int repeats,
                     double *ns_per_neuron_step, double *spikes_hz);

/* Step the benchmarked banks on this pool (workers.h), NULL: one thread. */
struct workers;
void bench_use_workers(struct workers *w);

/* This thread's CPU time in ms (time waiting for a shared core is not
 * counted). */
double bench_cpu_ms(void);

/* Heap bytes of one engine (it allocates for ENGINE_MAX_NEURONS at create:
 * every array, voices and tables), from glibc's allocator statistics. */
double bench_engine_bytes(void);
/* CPU milliseconds to create and destroy a real-time engine (every page
 * written at create), fastest of `repeats`. */
double bench_engine_create_ms(int repeats);

/* Memory of the synapses: the heap an engine holds with a coupled bank
 * (HH, `neurons`, `connectivity`, one block processed) beyond the same bank
 * uncoupled. On the fly (the default) synapses are drawn from the seed at
 * each spike and nothing is stored: bytes_per_synapse is over the expected
 * count n (n - 1) p. Stored (plasticity 1: the table, dsp/synapses.h, built
 * as `hillock render` builds it): over the table's own count. glibc's
 * statistics cover the main arena and mmapped blocks, where the calling
 * thread allocates. */
typedef struct {
    uint32_t neurons;
    double synapses;          /* expected count, n (n - 1) p */
    double table_bytes;       /* heap held on the fly */
    double bytes_per_synapse; /* table_bytes / synapses */
    double stored_synapses;   /* the stored table's count (0: none was built) */
    double stored_bytes;      /* heap held with the table */
    double stored_bytes_per_synapse;
} bench_synapse_memory;

bench_synapse_memory bench_synapse_bytes(uint32_t neurons, float connectivity);

/* Neurons that fit in `fraction` of one core at sample rate fs. */
double bench_capacity(const bench_case *c, const bench_result *r, double fs, double fraction);

#endif
