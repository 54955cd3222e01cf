#include "bandlimit.h"

#include "kaiser.h"
#include "vec.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define TABLE_RES 512u  /* kernel points per frame: linear interpolation error
                           stays below -100 dB for a 0.42 fs cutoff */
#define KAISER_BETA 8.6 /* about 85 dB sidelobes (Kaiser & Schafer 1980) */

struct bandlimit {
    /* the group being gathered: pushes that fall in one slot */
    int64_t slot;
    double wt_sum;                   /* sum of w * t */
    float w_sum;
    float x_sum[BANDLIMIT_STREAMS];  /* sum of w * x */

    /* Weights of the last read, reused while the push pattern (the weight
     * 1/substeps, hence every impulse's place in its frame) stays the same:
     * then each frame's impulses sit where the last frame's did, one frame
     * further from the read, and the kernel values repeat. */
    float w_now;        /* weight of the latest push */
    uint32_t steady;    /* reads since it changed */
    int cache_ok;
    float cache_w, cache_pending;
    uint32_t cache_n;
    float *cache;

    uint32_t cap, mask; /* ring of pushed values, power of two */
    uint32_t head;      /* next write position */
    uint32_t count;
    double *t;
    float *x[BANDLIMIT_STREAMS];
    const float *table; /* kernel_table */
};

/* The kernel, the same for every instance: made once per process (or
 * plugin module) by the first bandlimit_create, which others created at
 * the same time wait for. It took 4.8 million instructions, about 1.5 ms
 * of each engine's creation (callgrind), and 64 KiB of each. */
static float kernel_table[BANDLIMIT_LENGTH * TABLE_RES + 2];
static pthread_once_t kernel_once = PTHREAD_ONCE_INIT;

static void
build_table(void)
{
    float *table = kernel_table;
    const uint32_t n = BANDLIMIT_LENGTH * TABLE_RES + 1;
    kaiser_sinc_table(table, BANDLIMIT_LENGTH, TABLE_RES, BANDLIMIT_CUTOFF, KAISER_BETA);
    /* unit gain at DC for one value per frame */
    double norm = 0.0;
    for (uint32_t i = 0; i < n; i += TABLE_RES)
        norm += table[i];
    for (uint32_t i = 0; i < n; ++i)
        table[i] = (float)(table[i] / norm);
}

bandlimit *
bandlimit_create(uint32_t max_substeps)
{
    bandlimit *bl = calloc(1, sizeof *bl);
    if (!bl)
        return NULL;
    uint32_t per_frame = max_substeps < BANDLIMIT_SLOTS ? max_substeps : BANDLIMIT_SLOTS;
    uint32_t need = (BANDLIMIT_LENGTH + 2u) * per_frame, cap = 64;
    while (cap < need)
        cap <<= 1;
    bl->cap = cap;
    bl->mask = cap - 1u;
    int ok = (bl->t = calloc(cap, sizeof(double))) != NULL;
    ok &= (bl->cache = calloc(cap, sizeof(float))) != NULL;
    /* values twice, at k and k + cap, so any window is contiguous */
    for (int s = 0; s < BANDLIMIT_STREAMS; ++s)
        ok &= (bl->x[s] = calloc(2u * cap, sizeof(float))) != NULL;
    if (!ok) {
        bandlimit_destroy(bl);
        return NULL;
    }
    pthread_once(&kernel_once, build_table);
    bl->table = kernel_table;
    bandlimit_reset(bl);
    return bl;
}

void
bandlimit_destroy(bandlimit *bl)
{
    if (!bl)
        return;
    free(bl->t);
    free(bl->cache);
    for (int s = 0; s < BANDLIMIT_STREAMS; ++s)
        free(bl->x[s]);
    free(bl);
}

void
bandlimit_reset(bandlimit *bl)
{
    bl->head = 0;
    bl->count = 0;
    bl->slot = INT64_MIN;
    bl->w_now = 0.0f;
    bl->steady = 0;
    bl->cache_ok = 0;
    bl->w_sum = 0.0f;
    bl->wt_sum = 0.0;
    for (int s = 0; s < BANDLIMIT_STREAMS; ++s)
        bl->x_sum[s] = 0.0f;
}

/* Store the gathered group as one impulse at its mean time. */
static void
close_group(bandlimit *bl)
{
    if (bl->w_sum == 0.0f)
        return;
    uint32_t k = bl->head;
    bl->t[k] = bl->wt_sum / bl->w_sum;
    for (int s = 0; s < BANDLIMIT_STREAMS; ++s) {
        bl->x[s][k] = bl->x[s][k + bl->cap] = bl->x_sum[s];
        bl->x_sum[s] = 0.0f;
    }
    bl->w_sum = 0.0f;
    bl->wt_sum = 0.0;
    bl->head = (k + 1u) & bl->mask;
    if (bl->count < bl->cap)
        bl->count++;
}

void
bandlimit_push(bandlimit *bl, double t_frames, float w, const float x[BANDLIMIT_STREAMS])
{
    /* slot j covers times (j/SLOTS, (j+1)/SLOTS] frames */
    int64_t slot = (int64_t)ceil(t_frames * BANDLIMIT_SLOTS) - 1;
    if (slot != bl->slot) {
        close_group(bl);
        bl->slot = slot;
    }
    if (w != bl->w_now) {
        bl->w_now = w;
        bl->steady = 0;
    }
    bl->w_sum += w;
    bl->wt_sum += (double)w * t_frames;
    for (int s = 0; s < BANDLIMIT_STREAMS; ++s)
        bl->x_sum[s] += w * x[s];
}

static inline float
kernel_at(const bandlimit *bl, double tau)
{
    double u = (tau + 0.5 * BANDLIMIT_LENGTH) * TABLE_RES;
    if (!(u >= 0.0 && u < (double)(BANDLIMIT_LENGTH * TABLE_RES)))
        return 0.0f;
    uint32_t i = (uint32_t)u;
    float f = (float)(u - (double)i);
    return bl->table[i] + f * (bl->table[i + 1] - bl->table[i]);
}

float
bandlimit_kernel(const bandlimit *bl, double t_frames)
{
    return kernel_at(bl, t_frames);
}

void
bandlimit_read(bandlimit *bl, double t_frames, float out[BANDLIMIT_STREAMS])
{
    float acc[BANDLIMIT_STREAMS] = {0};
    const uint32_t steady_after = BANDLIMIT_LENGTH + 2u;
    if (bl->steady < steady_after)
        bl->steady++;

    if (bl->cache_ok && bl->steady >= steady_after && bl->cache_w == bl->w_now &&
        bl->w_sum != 0.0f && bl->count >= bl->cache_n) {
        /* the pattern repeats: a plain dot product with the stored weights,
         * oldest impulse first, over the contiguous mirror of the ring; four
         * sums, lane q over taps q, q + 4, ..., as vectors (GCC left most of
         * the loop over a float[4] scalar: 750 instructions a frame, a
         * tenth of a small bank's) */
        const uint32_t n = bl->cache_n, start = bl->head + bl->cap - n;
        const float *restrict h = bl->cache;
        for (int s = 0; s < BANDLIMIT_STREAMS; ++s) {
            const float *restrict x = bl->x[s] + start;
            vf4 a = {0.0f, 0.0f, 0.0f, 0.0f};
            uint32_t j = 0;
            for (; j + 4 <= n; j += 4)
                a += VEC_LOAD(vf4, h + j) * VEC_LOAD(vf4, x + j);
            float a0 = a[0];
            for (; j < n; ++j)
                a0 += h[j] * x[j];
            out[s] = bl->cache_pending * bl->x_sum[s] + ((a0 + a[1]) + (a[2] + a[3]));
        }
        return;
    }

    const double oldest = t_frames - 0.5 * BANDLIMIT_LENGTH;
    float pending = 0.0f;
    if (bl->w_sum != 0.0f) { /* the group still gathering */
        pending = kernel_at(bl, t_frames - bl->wt_sum / bl->w_sum);
        for (int s = 0; s < BANDLIMIT_STREAMS; ++s)
            acc[s] += pending * bl->x_sum[s];
    }
    uint32_t k = bl->head, m = 0;
    for (; m < bl->count; ++m) {
        k = (k - 1u) & bl->mask;
        double t = bl->t[k];
        if (t <= oldest)
            break;
        float h = kernel_at(bl, t_frames - t);
        bl->cache[m] = h;
        for (int s = 0; s < BANDLIMIT_STREAMS; ++s)
            acc[s] += h * bl->x[s][k];
    }
    for (int s = 0; s < BANDLIMIT_STREAMS; ++s)
        out[s] = acc[s];
    /* once the window holds only impulses of the current pattern, keep
     * these weights for the frames that follow */
    bl->cache_ok = bl->steady >= steady_after && bl->w_sum != 0.0f;
    bl->cache_w = bl->w_now;
    bl->cache_pending = pending;
    bl->cache_n = m;
    for (uint32_t i = 0, j = m ? m - 1 : 0; i < j; ++i, --j) { /* oldest first */
        float tmp = bl->cache[i];
        bl->cache[i] = bl->cache[j];
        bl->cache[j] = tmp;
    }
}

void
bandlimit_state(state_io *s, bandlimit *bl)
{
    uint64_t slot = (uint64_t)bl->slot;
    state_u64(s, "band-limit slot", &slot, 1);
    if (s->mode == STATE_LOAD)
        bl->slot = (int64_t)slot;
    state_f64(s, "band-limit group", &bl->wt_sum, 1);
    state_f32(s, "band-limit group", &bl->w_sum, 1);
    state_f32(s, "band-limit group", bl->x_sum, BANDLIMIT_STREAMS);
    state_f32(s, "band-limit weight", &bl->w_now, 1);
    state_u32(s, "band-limit steady reads", &bl->steady, 1);
    state_int(s, "band-limit cache valid", &bl->cache_ok, 1, 0, 1);
    state_f32(s, "band-limit cache", &bl->cache_w, 1);
    state_f32(s, "band-limit cache", &bl->cache_pending, 1);
    state_u32_max(s, "band-limit cache length", &bl->cache_n, 1, bl->cap);
    state_f32(s, "band-limit cache", bl->cache, bl->cap);
    state_u32_max(s, "band-limit ring head", &bl->head, 1, bl->mask);
    state_u32_max(s, "band-limit ring count", &bl->count, 1, bl->cap);
    state_f64(s, "band-limit ring times", bl->t, bl->cap);
    for (int k = 0; k < BANDLIMIT_STREAMS; ++k)
        state_f32(s, "band-limit ring values", bl->x[k], 2u * bl->cap);
}
