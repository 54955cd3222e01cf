/* stereo_mix.h — the bank's membrane voltages mixed to stereo. */
#ifndef HILLOCK_STEREO_MIX_H
#define HILLOCK_STEREO_MIX_H

#include "bank.h"

/* The bank's stereo mix of the somatic voltage v: l = sum wl[i] (v[i] - c),
 * r likewise, over the running neurons, in a fixed order (the same bits on
 * every instruction-set path and for any block split), vectorised; v is
 * screened on the way for bank_repair_nonfinite (for steps taken with
 * c->screened_by_mix set). */
void bank_mix_screened(bank *b, const bank_config *c, const float *wl, const float *wr,
                       float center, float *l, float *r);

#endif
