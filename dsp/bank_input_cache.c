/* bank_input_cache.c — when the bank's step inputs can be kept from the
 * step before. */
#include "bank_input_cache.h"

#include "params.h"

/* Skipping work on inputs that did not change. With constant drive, no
 * noise, no per-neuron stimulus and no synaptic conductance (a plain bank,
 * the default), the step inputs are the same every step: assembling them
 * again would cost as much as a cheap model's step. So the inputs are kept
 * while everything they are made of is unchanged: the scalars compared here,
 * the arrays through input_gen, and the conductances through g_live. Only
 * inputs that do not depend on the voltage are kept: not the one-compartment
 * nonlinear dendrites, not the gap junctions. While conductances are live
 * the somatic current alone is kept (KEEP_CURRENT): a coupled bank of a
 * cheap model would otherwise spend as much on the drive it already had as
 * on its step. The result is the same bits as assembling anew. */
unsigned
bank_inputs_unchanged(bank *b, const bank_config *c, float ext_all)
{
    const model_desc *m = c->model;
    const int linear = c->dp.mode == DENDRITE_LINEAR;
    const int gap = c->gap > 0.0f && b->n > 1;
    const float tonic = c->dp.tonic_a + c->dp.tonic_b;
    const int soma_only = m->two_compartment || linear; /* no voltage in soma_* */
    unsigned keep = 0;
    const int same_bank = b->inputs_key.valid && !gap && soma_only && b->inputs_key.n == b->n &&
                          b->inputs_key.model == (const void *)m &&
                          b->inputs_key.mode == c->dp.mode && b->inputs_key.tonic == tonic;
    if (same_bank && b->inputs_key.gen == b->input_gen && b->inputs_key.drive == c->drive &&
        b->inputs_key.ext_all == ext_all)
        /* a coupled bank's conductances change every step, its current
         * (drive, stimulus, noise) may not */
        keep = b->g_live ? KEEP_CURRENT
                         : KEEP_SOMA | (m->two_compartment && linear ? KEEP_DEND : 0u);
    else if (same_bank && b->inputs_key.dend_gen == b->dend_gen && !b->g_live &&
             m->two_compartment && linear)
        /* the noise, the drive and the stimulus reach the soma alone: a
         * two-compartment dendrite's linear inputs are the tonic
         * conductance's, the same every step while no synapse is live */
        keep = KEEP_DEND;
    b->inputs_key.valid = !gap && soma_only;
    b->inputs_key.gen = b->input_gen;
    b->inputs_key.dend_gen = b->dend_gen;
    b->inputs_key.n = b->n;
    b->inputs_key.model = m;
    b->inputs_key.mode = c->dp.mode;
    b->inputs_key.drive = c->drive;
    b->inputs_key.ext_all = ext_all;
    b->inputs_key.tonic = tonic;
    return keep;
}
