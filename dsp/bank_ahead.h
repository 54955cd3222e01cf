/* bank_ahead.h — an uncoupled bank stepped a run of steps ahead of its
 * frames on a thread pool, each step's results kept for the frames.
 *
 * A parallel step (bank_set_parallel) joins its threads at every model
 * step, 48000 times a second: at 2048 HH neurons a step is about 6 us of
 * neurons' work, and its synchronisation and the caller's serial part
 * held two threads near 1.5x (docs/performance-log.md). When nothing the
 * frames do between two steps reaches the neurons (no synapses, no
 * per-frame input: the engine decides, frame_ahead.c), each thread steps
 * its range of neurons a whole run of steps without meeting the others,
 * keeping per step what the frames read of it: the spikes, the mix
 * blocks' sums and verdicts, the leveller's statistics' sums, the focus
 * neuron's values, and the neurons repaired at a frame's end. The frames
 * then play from those while the threads step the next run: before the
 * first range and after the last, on their threads (frame_ahead.c).
 *
 * Every mix block is mixed whole by one thread, exactly as one thread
 * mixes it, and the blocks' sums are added in block order when read: the
 * bits are those of one thread. A block a cut lies in is stepped by its
 * ranges in pieces, each keeping its piece's voltages after every step in
 * the block's copy, which the frames mix whole. The cuts move from run to
 * run towards the range that ends first (the calling thread also plays
 * the previous run's frames). A range's step is bank_step's for its
 * neurons with the inputs bank_step would have assembled
 * (bank_ahead_prepare does the steps' bookkeeping, step after step, as
 * bank_step does it). Offline only, never the
 * plugin's audio path. Memory: two runs' results and the ranges' own
 * blocks (bank_own.h), allocated when the engine is given a thread pool
 * (engine_set_parallel), never in a step. */
#ifndef HILLOCK_BANK_AHEAD_H
#define HILLOCK_BANK_AHEAD_H

#include "bank.h"
#include "bank_mix.h"

/* Steps a run holds at most, and neuron-steps of its spike rows (a step's
 * row has room for every neuron's spike): 4096 neurons run 64 steps at
 * most, 8192 neurons 32, 16384 neurons 16 (2 MiB of rows a run) */
#define BANK_AHEAD_STEPS 64u
#define BANK_AHEAD_NEURON_STEPS (1u << 18)
/* Threads a bank steps ahead on at most, and blocks their cuts may share */
#define BANK_AHEAD_PARTS 8u
#define BANK_AHEAD_SHARED (BANK_AHEAD_PARTS - 1u)

typedef struct bank_ahead bank_ahead;

/* For a bank of up to capacity neurons; its owner (the engine) creates it
 * with the bank's thread pool and keeps it beside the bank (NULL: out of
 * memory, every step then joins its threads). */
bank_ahead *bank_ahead_create(uint32_t capacity);
void bank_ahead_destroy(bank_ahead *a);

/* Steps a run may hold for this bank, configuration and mix; 0: the bank
 * cannot step ahead (no pool, a single block, a synapse, noise relaxing,
 * conductances live, tables not settled for dt, ...): each neuron's step
 * must depend on its own state and on inputs fixed for the run. */
uint32_t bank_ahead_room(const bank_ahead *a, const bank *b, const bank_config *c);

/* Run `which` (0 or 1): `steps` steps numbered from step_index, with
 * ext_all; step j updates the leveller's statistics st where stats[j] is
 * nonzero; a frame ends every n_sub steps (the neurons a frame breaks are
 * repaired at its end); focus: the neuron whose values are kept. On the
 * calling thread, between runs: it does each step's bookkeeping (noise
 * draw, kept inputs) in order as bank_step does. */
void bank_ahead_prepare(bank_ahead *a, bank *b, const bank_config *c, unsigned which,
                        uint32_t steps, float ext_all, uint64_t step_index, const uint8_t *stats,
                        const bank_mix_stats *st, uint32_t n_sub, uint32_t focus);

/* Step run `which` on the pool, with the configuration bank_ahead_prepare
 * was given (a copy of it); the thread that steps the first range
 * runs first(arg) before it, and with more than one range the threads of
 * the first and the last range each run after(arg, last_range) after
 * theirs (the previous run's frames: the first part, then the rest, by
 * whichever thread asks first), each if given; after returns 1 if it
 * played. last: the call's last run, after which the ranges' own blocks go
 * back to the bank (bank_own.h). */
void bank_ahead_step(bank_ahead *a, bank *b, unsigned which, void (*first)(void *arg),
                     int (*after)(void *arg, int last_range), void *arg, int last);

/* Run which's first and last ranges: the time each took to step its
 * neurons (bank_split_clock's units; without first and after) */
void bank_ahead_range_times(const bank_ahead *a, unsigned which, double *first, double *last);

/* Every range's own block back in the bank's arrays: after a call's runs,
 * before anything else reads the neurons (a run that did not end the
 * call, when the stop query ended it) */
void bank_ahead_release(bank_ahead *a, bank *b);

/* Run which's step j: its spikes in index order (the range's own list when
 * only one has spikes, else gathered into a list of the run's that the next
 * call overwrites), count returned; */
uint32_t bank_ahead_spikes(bank_ahead *a, unsigned which, uint32_t j, const uint32_t **spiked,
                           const float **frac);
/* ... the mix's sums (as bank_mix_total: 1 if a block was suspect; call
 * once per step, before bank_ahead_stats: the blocks the cuts share are
 * mixed here, with their statistics); */
int bank_ahead_mix(bank_ahead *a, const bank *b, unsigned which, uint32_t j, float *l, float *r);
/* ... the statistics' sums (as bank_mix_stats_total); */
void bank_ahead_stats(const bank_ahead *a, unsigned which, uint32_t j, float *l, float *r);
/* ... the focus neuron's soma, dendrite and slow variables after it (with
 * frame_end, a frame's last step: after the frame's repair too); */
void bank_ahead_focus(const bank_ahead *a, unsigned which, uint32_t j, int frame_end, float v[3]);
/* ... the neurons reset after it (a frame's last step). */
uint32_t bank_ahead_repaired(const bank_ahead *a, unsigned which, uint32_t j);

#endif
