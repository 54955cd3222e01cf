#include "limiter.h"

#include "zeroed.h"

#include "kaiser.h"
#include "simd.h"
#include "vec.h"

#include <math.h>
#include <stdlib.h>

#define FIR_HALF (LIMITER_TAPS / 2u) /* the interpolator's delay, frames */
#define FIR_BETA 8.0                 /* Kaiser window: stopband about -80 dB */
#define GAIN_FLOOR 1e-9f             /* a peak beyond 1e9 x the ceiling */

#define PHASE_LANES 4u /* phases 1..3 and a lane of zeros */
_Static_assert(LIMITER_OVERSAMPLE == PHASE_LANES, "three interpolated phases in four lanes");

typedef struct {
    uint64_t at;
    float gain;
} min_entry;

/* A running mean over `len` values, with the sum kept in double so that
 * adding and subtracting for hours leaves no drift. */
typedef struct {
    float *ring;
    uint32_t len, pos;
    double sum;
} boxcar;

struct limiter {
    float ceiling;
    uint32_t lookahead, window; /* look-ahead D; the minimum's window D + 2 + hold */
    float release_c;            /* one pole, log2 domain */
    /* phase p = 1..3 of the 4x interpolator, tap m multiplies x[n - m]:
     * tap m of every phase together, phase p at [m][p - 1] (the last lane
     * 0), so that the three phases' sums advance side by side */
    float fir[LIMITER_TAPS][PHASE_LANES];
    /* the input, both channels, long enough for the FIR and the delay */
    float *buf_l, *buf_r;
    uint32_t buf_mask;
    uint64_t n; /* frames pushed */
    /* the needed gains' running minimum: a queue of increasing gains */
    min_entry *q;
    uint32_t q_mask, q_head, q_tail;
    float log_gain; /* released gain, log2 */
    boxcar box1, box2;
    float gain; /* as applied to the last output */
};

static uint32_t
pow2_at_least(uint32_t x)
{
    uint32_t p = 1;
    while (p < x)
        p <<= 1;
    return p;
}

static int
boxcar_init(boxcar *b, uint32_t len)
{
    b->ring = malloc(len * sizeof(float));
    b->len = len;
    return b->ring != NULL;
}

static void
boxcar_fill(boxcar *b, float v)
{
    for (uint32_t i = 0; i < b->len; ++i)
        b->ring[i] = v;
    b->sum = (double)v * b->len;
    b->pos = 0;
}

static float
boxcar_push(boxcar *b, float v)
{
    b->sum += (double)v - (double)b->ring[b->pos];
    b->ring[b->pos] = v;
    b->pos = b->pos + 1u == b->len ? 0u : b->pos + 1u;
    return (float)(b->sum / b->len);
}

limiter *
limiter_create(double sample_rate, float ceiling)
{
    limiter *lim = calloc(1, sizeof *lim);
    if (!lim)
        return NULL;
    lim->ceiling = ceiling;
    /* even, so the two averages are equally long */
    uint32_t half = (uint32_t)lround(0.5e-3 * LIMITER_LOOKAHEAD_MS * sample_rate);
    lim->lookahead = 2u * (half > 1u ? half : 1u);
    uint32_t hold = (uint32_t)lround(1e-3 * LIMITER_HOLD_MS * sample_rate);
    lim->window = lim->lookahead + 2u + hold;
    lim->release_c = (float)exp(-1000.0 / (LIMITER_RELEASE_MS * sample_rate));

    /* The kernel at t = i / 4 - FIR_HALF; the value between samples c and
     * c + 1 at c + p / 4, with c = n - FIR_HALF, is sum_m x[n - m] h(m -
     * FIR_HALF + p / 4): table index 4 m + p. Cutoff at the input's Nyquist
     * frequency (half the sample rate). */
    float table[LIMITER_TAPS * LIMITER_OVERSAMPLE + 2];
    kaiser_sinc_table(table, LIMITER_TAPS, LIMITER_OVERSAMPLE, 0.5, FIR_BETA);
    for (uint32_t p = 1; p < LIMITER_OVERSAMPLE; ++p)
        for (uint32_t m = 0; m < LIMITER_TAPS; ++m)
            lim->fir[m][p - 1u] = table[LIMITER_OVERSAMPLE * m + p];

    lim->buf_mask = pow2_at_least(LIMITER_TAPS + FIR_HALF + lim->lookahead + 1u) - 1u;
    lim->buf_l = calloc(lim->buf_mask + 1u, sizeof(float));
    lim->buf_r = calloc(lim->buf_mask + 1u, sizeof(float));
    lim->q_mask = pow2_at_least(lim->window + 1u) - 1u;
    /* touched (zeroed.h): the window's queue moves through it a frame at a
     * time, and calloc's fresh pages would fault on the audio thread */
    lim->q = zeroed_alloc((lim->q_mask + 1u) * sizeof(min_entry), 1);
    uint32_t a = lim->lookahead / 2u + 1u; /* a + a - 1 = lookahead + 1 taps */
    int ok = boxcar_init(&lim->box1, a) & boxcar_init(&lim->box2, a);
    if (!ok || !lim->buf_l || !lim->buf_r || !lim->q) {
        limiter_destroy(lim);
        return NULL;
    }
    limiter_reset(lim);
    return lim;
}

void
limiter_destroy(limiter *lim)
{
    if (!lim)
        return;
    free(lim->buf_l);
    free(lim->buf_r);
    zeroed_free(lim->q);
    free(lim->box1.ring);
    free(lim->box2.ring);
    free(lim);
}

void
limiter_reset(limiter *lim)
{
    for (uint32_t i = 0; i <= lim->buf_mask; ++i) {
        lim->buf_l[i] = 0.0f;
        lim->buf_r[i] = 0.0f;
    }
    lim->n = 0;
    lim->q_head = lim->q_tail = 0;
    lim->log_gain = 0.0f;
    boxcar_fill(&lim->box1, 1.0f);
    boxcar_fill(&lim->box2, 1.0f);
    lim->gain = 1.0f;
}

uint32_t
limiter_latency(const limiter *lim)
{
    return FIR_HALF + lim->lookahead;
}

float
limiter_gain(const limiter *lim)
{
    return lim->gain;
}

/* fmaxf(a, b) for a and b that are never -0 (magnitudes): the larger, or
 * the one that is a number where the other is NaN. As a comparison rather
 * than glibc's call, eight times a frame. */
static inline float
larger_magnitude(float a, float b)
{
    return (b > a || a != a) ? b : a;
}

/* The largest |x| of the frame FIR_HALF frames back and of its three
 * oversampled points towards the next frame, over one channel. Each
 * point is its own sum over the taps in tap order; the three sums advance
 * together, a tap at a time (one vector operation each), instead of one
 * after the other: the same operations on the same values, so the same
 * bits, in a quarter of the instructions. */
static float
true_peak(const limiter *lim, const float *buf)
{
    const uint32_t mask = lim->buf_mask;
    const uint64_t n = lim->n;
    float y[PHASE_LANES] = {0.0f};
#if SIMD_X86
    vf4 sum = {0.0f, 0.0f, 0.0f, 0.0f};
    for (uint32_t m = 0; m < LIMITER_TAPS; ++m) {
        const float x = buf[(n - m) & mask];
        sum += VEC_LOAD(vf4, lim->fir[m]) * (vf4){x, x, x, x};
    }
    VEC_STORE(y, sum);
#else
    for (uint32_t m = 0; m < LIMITER_TAPS; ++m) {
        const float x = buf[(n - m) & mask];
        for (uint32_t q = 0; q < PHASE_LANES; ++q)
            y[q] += lim->fir[m][q] * x;
    }
#endif
    float peak = fabsf(buf[(n - FIR_HALF) & mask]);
    for (uint32_t p = 1; p < LIMITER_OVERSAMPLE; ++p)
        peak = larger_magnitude(peak, fabsf(y[p - 1u]));
    return peak;
}

void
limiter_frame(limiter *lim, float in_l, float in_r, float *out_l, float *out_r)
{
    const uint32_t mask = lim->buf_mask;
    lim->buf_l[lim->n & mask] = in_l;
    lim->buf_r[lim->n & mask] = in_r;

    float peak = larger_magnitude(true_peak(lim, lim->buf_l), true_peak(lim, lim->buf_r));
    float need = 1.0f;
    if (peak > lim->ceiling) { /* ceiling / peak is a number here, not NaN */
        const float ratio = lim->ceiling / peak;
        need = ratio > GAIN_FLOOR ? ratio : GAIN_FLOOR;
    }

    /* running minimum of the needed gain over the last `window` peaks */
    while (lim->q_tail != lim->q_head && lim->q[(lim->q_tail - 1u) & lim->q_mask].gain >= need)
        lim->q_tail--;
    lim->q[lim->q_tail++ & lim->q_mask] = (min_entry){lim->n, need};
    while (lim->n - lim->q[lim->q_head & lim->q_mask].at >= lim->window)
        lim->q_head++;
    float held = lim->q[lim->q_head & lim->q_mask].gain;

    /* instant down, a glide in dB back up */
    /* at rest the held gain is 1 and the log gain 0: log2f(1) is +0 and
     * exp2f(+-0) is 1, exactly, without the calls */
    float lh = held == 1.0f ? 0.0f : log2f(held);
    lim->log_gain = lh < lim->log_gain ? lh : lh + lim->release_c * (lim->log_gain - lh);
    float g = boxcar_push(&lim->box2,
                          boxcar_push(&lim->box1,
                                      lim->log_gain == 0.0f ? 1.0f : exp2f(lim->log_gain)));

    /* the frame the peak just measured will reach in `lookahead` frames */
    uint64_t out_at = lim->n - FIR_HALF - lim->lookahead;
    lim->gain = g;
    *out_l = g * lim->buf_l[out_at & mask];
    *out_r = g * lim->buf_r[out_at & mask];
    lim->n++;
}

static void
boxcar_state(state_io *s, boxcar *b)
{
    state_f32(s, "limiter average", b->ring, b->len);
    state_u32_max(s, "limiter average position", &b->pos, 1, b->len - 1u);
    state_f64(s, "limiter average sum", &b->sum, 1);
}

void
limiter_state(state_io *s, limiter *lim)
{
    state_f32(s, "limiter input", lim->buf_l, lim->buf_mask + 1u);
    state_f32(s, "limiter input", lim->buf_r, lim->buf_mask + 1u);
    state_u64(s, "limiter frames", &lim->n, 1);
    for (uint32_t k = 0; k <= lim->q_mask; ++k) {
        state_u64(s, "limiter minimum queue", &lim->q[k].at, 1);
        state_f32(s, "limiter minimum queue", &lim->q[k].gain, 1);
    }
    state_u32(s, "limiter queue head", &lim->q_head, 1);
    state_u32(s, "limiter queue tail", &lim->q_tail, 1);
    state_f32(s, "limiter gain", &lim->log_gain, 1);
    boxcar_state(s, &lim->box1);
    boxcar_state(s, &lim->box2);
    state_f32(s, "limiter gain", &lim->gain, 1);
}
