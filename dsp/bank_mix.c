/* bank_mix.c — the per-step stereo mix and screen of the bank, in fixed
 * blocks of neurons. */
#include "bank_mix.h"

#include "bank_screen.h"
#include "level_stats.h"
#include "stereo_mix.h"

void
bank_mix_request(bank *b, bank_mix_mode mode, const float *wl, const float *wr, float center)
{
    b->mix_mode = mode == BANK_MIX_STEREO && !(wl && wr) ? BANK_MIX_SCREEN : (int)mode;
    b->mix_wl = wl;
    b->mix_wr = wr;
    b->mix_center = center;
    b->mix_n = UINT32_MAX; /* nothing computed for this request yet */
}

void
bank_mix_stats_request(bank *b, float *mean, float *msq, float k, float a)
{
    b->stat_mean = mean;
    b->stat_msq = msq;
    b->stat_k = k;
    b->stat_a = a;
}

void
bank_mix_stats_total(const bank *b, float *sum_l, float *sum_r)
{
    const uint32_t blocks = (b->stat_n + BANK_MIX_BLOCK - 1u) / BANK_MIX_BLOCK;
    float sl = blocks ? b->sums[0].stat_l : 0.0f, sr = blocks ? b->sums[0].stat_r : 0.0f;
    for (uint32_t k = 1; k < blocks; ++k) {
        sl += b->sums[k].stat_l;
        sr += b->sums[k].stat_r;
    }
    *sum_l = sl;
    *sum_r = sr;
}

void
bank_stats_blocks(simd_isa isa, const float *v, float *mean, float *msq, const float *wl,
                  const float *wr, float c, float k, float a, uint32_t n, float *sum_l,
                  float *sum_r)
{
    float sl = 0.0f, sr = 0.0f;
    for (uint32_t lo = 0; lo < n; lo += BANK_MIX_BLOCK) {
        const uint32_t len = n - lo < BANK_MIX_BLOCK ? n - lo : BANK_MIX_BLOCK;
        float bl, br;
        level_stats_update(isa, v + lo, mean + lo, msq + lo, wl + lo, wr + lo, c, k, a, len, &bl,
                           &br);
        sl = lo ? sl + bl : bl;
        sr = lo ? sr + br : br;
    }
    *sum_l = sl;
    *sum_r = sr;
}

void
bank_mix_blocks(bank *b, const model_desc *m, simd_isa isa, uint32_t begin, uint32_t end)
{
    const bank_mix_stats st = {b->stat_mean, b->stat_msq, b->stat_k, b->stat_a};
    bank_mix_blocks_with(b, m, isa, begin, end, b->stat_mean ? &st : NULL);
}

int
bank_mix_block(const bank *b, const model_desc *m, simd_isa isa, uint32_t lo, uint32_t hi,
               const float *v, const bank_mix_stats *st, float *l, float *r, float *stat_l,
               float *stat_r)
{
    if (st) /* the leveller's statistics on the mix's pass (stereo_mix.h) */
        return stereo_mix_screened_stats(isa, v, b->mix_wl + lo, b->mix_wr + lo, b->mix_center,
                                         hi - lo, m->to_mV_a, m->to_mV_b, l, r, st->mean + lo,
                                         st->msq + lo, st->k, st->a, stat_l, stat_r);
    return stereo_mix_screened(isa, v, b->mix_wl + lo, b->mix_wr + lo, b->mix_center, hi - lo,
                               m->to_mV_a, m->to_mV_b, l, r);
}

void
bank_mix_blocks_with(bank *b, const model_desc *m, simd_isa isa, uint32_t begin, uint32_t end,
                     const bank_mix_stats *st)
{
    if (b->mix_mode == BANK_MIX_OFF)
        return;
    const float *v = b->var[m->soma_var];
    for (uint32_t lo = begin; lo < end; lo += BANK_MIX_BLOCK) {
        const uint32_t hi = end - lo < BANK_MIX_BLOCK ? end : lo + BANK_MIX_BLOCK;
        bank_block_sums *k = &b->sums[lo / BANK_MIX_BLOCK];
        if (b->mix_mode == BANK_MIX_STEREO) {
            k->bad = (uint8_t)bank_mix_block(b, m, isa, lo, hi, v + lo, st, &k->l, &k->r,
                                             &k->stat_l, &k->stat_r);
        } else {
            k->bad = (uint8_t)bank_screen_range(b, m, isa, lo, hi);
            k->l = k->r = 0.0f;
        }
    }
}

int
bank_mix_total(bank *b, const model_desc *m, simd_isa isa, float *l, float *r)
{
    const uint32_t n = b->n;
    if (b->mix_n != n) { /* the step did not mix these neurons (or not all) */
        bank_mix_blocks(b, m, isa, 0, n);
        b->mix_n = n;
    }
    float sl = 0.0f, sr = 0.0f;
    int bad = 0;
    const uint32_t blocks = (n + BANK_MIX_BLOCK - 1u) / BANK_MIX_BLOCK;
    if (blocks) { /* block 0 alone: exactly one stereo_mix_screened call */
        sl = b->sums[0].l;
        sr = b->sums[0].r;
        bad = b->sums[0].bad;
    }
    for (uint32_t k = 1; k < blocks; ++k) {
        sl += b->sums[k].l;
        sr += b->sums[k].r;
        bad |= b->sums[k].bad;
    }
    *l = sl;
    *r = sr;
    return bad;
}
