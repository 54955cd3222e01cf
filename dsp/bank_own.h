/* bank_own.h — a range of the bank's neurons in a block of memory of its
 * own while the bank steps ahead on threads (bank_ahead.h).
 *
 * The bank keeps one array per variable, and two threads stepping two
 * ranges of it work on neighbouring halves of the same arrays. On the
 * 2-vCPU machines this project is measured on, that costs the upper
 * range about 1.4x its time beside the lower one, although no cache line
 * is shared, and arrays of each thread's own do not
 * (scripts/two_ranges.c; docs/performance-log.md, "Two threads: neighbouring
 * halves of one array"). So while a call's runs step, every range but the
 * first keeps its neurons' part of each per-neuron array the step reads
 * or writes one after another in a block of its own, and steps a view of
 * the bank whose arrays point there. The block is filled by the thread
 * that steps the range, at its first run, and written back at the last
 * run of the call (or when the cuts move): a copy in and out per
 * engine_process call, not per run. The bits are the bank's: the same
 * values, the same operations. Offline only (the pool); allocated with
 * it, never in a step. */
#ifndef HILLOCK_BANK_OWN_H
#define HILLOCK_BANK_OWN_H

#include "bank.h"

typedef struct bank_own bank_own;

bank_own *bank_own_create(uint32_t capacity);
void bank_own_destroy(bank_own *o);

/* Range p's view of b for neurons [lo, hi) (model m): *view is b with
 * each array the step touches pointing into p's block, filled from b
 * first unless p's block already holds exactly [lo, hi). The caller has
 * returned whatever p held before if its range changed
 * (bank_own_holds). */
void bank_own_view(bank_own *o, unsigned p, const bank *b, const model_desc *m, uint32_t lo,
                   uint32_t hi, bank *view);

/* 1: range p's block holds neurons [lo, hi); 0: something else, or none */
int bank_own_holds(const bank_own *o, unsigned p, uint32_t lo, uint32_t hi);

/* Range p's block written back into b (the arrays a step writes); it
 * holds none after. Nothing if it holds none. */
void bank_own_return(bank_own *o, unsigned p, bank *b);

/* Every range's block written back */
void bank_own_return_all(bank_own *o, bank *b);

#endif
