/* bank_input_cache.h — keeping the step inputs (bank.soma_*, dend_*) that
 * nothing has changed since the last step. */
#ifndef HILLOCK_BANK_INPUT_CACHE_H
#define HILLOCK_BANK_INPUT_CACHE_H

#include "bank.h"

/* What bank_step found unchanged since the last step (inputs_unchanged). */
enum { KEEP_SOMA = 1, KEEP_DEND = 2, KEEP_CURRENT = 4 /* soma_i alone */ };

/* Which inputs (KEEP_*) this step may take unchanged from the last; records
 * what this step's inputs are made of. */
unsigned bank_inputs_unchanged(bank *b, const bank_config *c, float ext_all);

#endif
