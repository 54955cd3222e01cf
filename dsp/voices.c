#include "voices.h"

#include "kaiser.h"
#include "simd.h"
#include "vec.h"
#include "zeroed.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PI 3.14159265358979323846
#define EXC_RES 64u          /* excitation kernel points per frame */
#define EXC_CUTOFF 0.40      /* fraction of the sample rate */
#define EXC_BETA 6.0
#define END_LEVEL 1e-4f      /* a voice ends 80 dB down */
#define NO_VOICE 0xFFFFu
/* A voice re-excited while it rings grows towards this many times one
 * strike's amplitude, and no further (voices.h). */
#define RING_CAP 4.0f

#define EXC_ROWS (2u * VOICES_EXC_TAPS)
/* the excitation's real and imaginary parts per channel, in the order the
 * state lists them */
enum { EXC_L, EXC_R, EXC_LI, EXC_RI };
_Static_assert(VOICES_EXC_TAPS % 4u == 0u, "a strike adds its taps four at a time");

typedef struct {
    /* pending excitation per channel from frame exc_start on; entry
     * EXC_ROWS stays 0, read for a frame outside the window, so that a
     * frame's read takes no branch */
    float exc[4][EXC_ROWS + 1];
    uint64_t exc_start;
    uint32_t neuron;
} voice;

/* A sound's pole and pan gains, kept per neuron: a neuron's sound changes
 * only with the parameters, so most triggers reuse them (cos, sin and exp
 * in double were most of a trigger's cost). */
typedef struct {
    voice_sound sound; /* what they were computed for (amp aside) */
    float p_re, p_im, gl, gr;
    float w; /* radians per frame */
    int valid;
} tone;

/* The voices' resonators, one array per number (structure of arrays), so
 * that a frame updates all of them as vectors. */
typedef struct {
    /* resonator state per channel */
    _Alignas(64) float zl_re[VOICES_MAX];
    float zl_im[VOICES_MAX], zr_re[VOICES_MAX], zr_im[VOICES_MAX];
    float p_re[VOICES_MAX], p_im[VOICES_MAX]; /* pole r e^{iw} */
    /* this frame's excitation per channel, real and imaginary parts */
    float x_l[VOICES_MAX], x_li[VOICES_MAX], x_r[VOICES_MAX], x_ri[VOICES_MAX];
    int32_t live[VOICES_MAX]; /* -1 where end_of != 0 (the voice rings), else 0 */
} resonators;

struct voices {
    resonators z;
    simd_isa isa; /* resonate()'s path */
    double sample_rate;
    voice pool[VOICES_MAX];
    uint16_t *of_neuron; /* neuron -> voice index or NO_VOICE */
    tone *tone_of;       /* neuron -> its last sound's pole and gains */
    /* the frame after which voice k is silent, 0 while it is free (an
     * active voice's end is at least VOICES_EXC_TAPS): the steal search
     * scans these 384 bytes, not the whole pool */
    uint64_t end_of[VOICES_MAX];
    uint64_t active;  /* bit k: end_of[k] != 0 (the render walks these bits) */
    uint64_t pending; /* bit k: voice k's excitation window may lie ahead:
                         the render reads its x_* from its pool entry; a
                         voice's x_* are 0 once its bit is clear */
    uint32_t max_neurons;
    uint32_t n_active;
    uint64_t trigger_frame; /* frame the trigger budget counts for */
    uint64_t rendered;      /* the next frame voices_render will render */
    uint32_t triggers;
    /* The excitation kernel by fraction: row i holds the table's points
     * i + j EXC_RES (j < VOICES_EXC_TAPS), the taps of a strike at
     * fraction i / EXC_RES, and their slopes (the next point less this
     * one), so a strike reads two short rows, not 24 points EXC_RES
     * apart. */
    struct {
        float tap[VOICES_EXC_TAPS], slope[VOICES_EXC_TAPS];
    } kernel[EXC_RES];
};

voices *
voices_create(double sample_rate, uint32_t max_neurons, int touch)
{
    voices *v = zeroed_alloc(sizeof *v, touch);
    if (!v)
        return NULL;
    v->sample_rate = sample_rate;
    v->max_neurons = max_neurons;
    v->isa = simd_default();
    v->of_neuron = zeroed_alloc(max_neurons * sizeof *v->of_neuron, touch);
    /* a neuron's tone is written at its first strike, on the audio thread */
    v->tone_of = zeroed_alloc(max_neurons * sizeof *v->tone_of, touch);
    if (!v->of_neuron || !v->tone_of) {
        voices_destroy(v);
        return NULL;
    }
    /* Unit-area windowed sinc: a band-limited unit impulse. */
    float table[VOICES_EXC_TAPS * EXC_RES + 2];
    kaiser_sinc_table(table, VOICES_EXC_TAPS, EXC_RES, EXC_CUTOFF, EXC_BETA);
    for (uint32_t i = 0; i < EXC_RES; ++i) {
        for (uint32_t j = 0; j < VOICES_EXC_TAPS; ++j) {
            const float *kj = table + i + j * EXC_RES;
            v->kernel[i].tap[j] = kj[0];
            v->kernel[i].slope[j] = kj[1] - kj[0];
        }
    }
    voices_reset(v);
    return v;
}

void
voices_destroy(voices *v)
{
    if (!v)
        return;
    zeroed_free(v->of_neuron);
    zeroed_free(v->tone_of);
    zeroed_free(v);
}

void
voices_set_isa(voices *v, simd_isa isa)
{
    v->isa = isa;
}

void
voices_reset(voices *v)
{
    memset(v->pool, 0, sizeof v->pool);
    memset(v->end_of, 0, sizeof v->end_of);
    memset(&v->z, 0, sizeof v->z);
    v->active = v->pending = 0;
    v->n_active = 0;
    for (uint32_t i = 0; i < v->max_neurons; ++i)
        v->of_neuron[i] = NO_VOICE;
    v->trigger_frame = 0;
    v->triggers = 0;
    v->rendered = 0;
}

static tone
tone_for(const voices *v, const voice_sound *s)
{
    tone t = {.sound = *s, .valid = 1};
    double w = 2.0 * PI * fmin((double)s->freq_hz, 0.45 * v->sample_rate) / v->sample_rate;
    double r = exp(-1.0 / (fmax((double)s->decay_s, 1e-4) * v->sample_rate));
    t.w = (float)w;
    t.p_re = (float)(r * cos(w));
    t.p_im = (float)(r * sin(w));
    float pan = s->pan < 0.0f ? 0.0f : s->pan > 1.0f ? 1.0f : s->pan;
    t.gl = cosf(0.5f * (float)PI * pan);
    t.gr = sinf(0.5f * (float)PI * pan);
    return t;
}

static int
same_sound(const voice_sound *a, const voice_sound *b)
{
    return a->freq_hz == b->freq_hz && a->decay_s == b->decay_s && a->pan == b->pan;
}

/* a voice's end and index */
typedef struct {
    uint64_t end;
    uint32_t at;
} least;

static inline least
least_of(least a, least b) /* a tie goes to a */
{
    return b.end < a.end ? b : a;
}

/* The first index of the least of end[0 .. VOICES_MAX). Four runs over
 * quarters of the pool, each keeping its first least, put four compares in
 * flight instead of one chain of 47; the runs then meet in a final of two
 * semi-finals, the earlier quarter winning a tie, as in one scan. */
#define QUARTER (VOICES_MAX / 4u)
static uint32_t
first_least(const uint64_t *end)
{
    least q0 = {end[0], 0}, q1 = {end[QUARTER], QUARTER}, q2 = {end[2 * QUARTER], 2 * QUARTER},
          q3 = {end[3 * QUARTER], 3 * QUARTER};
    for (uint32_t i = 1; i < QUARTER; ++i) {
        q0 = least_of(q0, (least){end[i], i});
        q1 = least_of(q1, (least){end[QUARTER + i], QUARTER + i});
        q2 = least_of(q2, (least){end[2 * QUARTER + i], 2 * QUARTER + i});
        q3 = least_of(q3, (least){end[3 * QUARTER + i], 3 * QUARTER + i});
    }
    return least_of(least_of(q0, q1), least_of(q2, q3)).at;
}

static uint32_t
pick_voice(voices *v, uint32_t neuron)
{
    if (neuron < v->max_neurons && v->of_neuron[neuron] != NO_VOICE)
        return v->of_neuron[neuron];
    /* the first free voice (end 0, the least), else steal the one nearest
     * its end */
    const uint64_t all = (1ull << VOICES_MAX) - 1u;
    if (v->active != all)
        return (uint32_t)__builtin_ctzll(~v->active & all);
    return first_least(v->end_of);
}

/* Frames a ring of this level takes to decay to END_LEVEL, whole:
 * log r = -1 / (decay * rate). fmax(x, c) for a constant c > 0 is written
 * x > c ? x : c (a NaN gives c, as fmax), without fmax's library call, and
 * fmax(0, life) likewise, up to the sign of a zero, which the conversion
 * drops. */
static uint64_t
ring_frames(const voices *v, double level, float decay_s)
{
    const double decay = (double)decay_s > 1e-4 ? (double)decay_s : 1e-4;
    const double lvl = level > 1e-9 ? level : 1e-9;
    const double life = ceil(-log(END_LEVEL / lvl) * decay * v->sample_rate);
    return (uint64_t)(life > 0.0 ? life : 0.0);
}

/* Voice k rings from now on; its excitation is to be read. */
static void
voice_on(voices *v, uint32_t k)
{
    v->n_active += !v->z.live[k];
    v->z.live[k] = -1;
    v->active |= 1ull << k;
    v->pending |= 1ull << k;
}

void
voices_prefetch(const voices *v, uint32_t neuron)
{
    if (neuron >= v->max_neurons)
        return;
    __builtin_prefetch(&v->tone_of[neuron]);
    __builtin_prefetch(&v->of_neuron[neuron]);
}

int
voices_trigger(voices *v, uint32_t neuron, double t_frames, const voice_sound *s)
{
    uint64_t now = (uint64_t)t_frames;
    if (now != v->trigger_frame) {
        v->trigger_frame = now;
        v->triggers = 0;
    }
    if (v->triggers >= VOICES_MAX)
        return 0;
    v->triggers++;

    uint32_t k = pick_voice(v, neuron);
    voice *vo = &v->pool[k];
    const int active = v->end_of[k] != 0;
    if (active && vo->neuron != neuron && vo->neuron < v->max_neurons)
        v->of_neuron[vo->neuron] = NO_VOICE;

    /* Retune: the state keeps its magnitude, only its rotation changes. */
    tone fresh, *t = &fresh;
    if (neuron < v->max_neurons) {
        t = &v->tone_of[neuron];
        if (!t->valid || !same_sound(&t->sound, s))
            *t = tone_for(v, s);
    } else {
        fresh = tone_for(v, s);
    }
    const int retune = !active || vo->neuron != neuron;
    v->z.p_re[k] = t->p_re;
    v->z.p_im[k] = t->p_im;

    /* Pending excitation over frames ceil(t - half) ...; if the previous
     * one has not finished (very fast firing), the new one adds to it. */
    uint64_t start = (uint64_t)ceil(t_frames - 0.5 * VOICES_EXC_TAPS);
    uint32_t off = 0;
    const int pending = active && start < vo->exc_start + 2 * VOICES_EXC_TAPS;
    if (active && start < vo->exc_start + VOICES_EXC_TAPS && start >= vo->exc_start) {
        off = (uint32_t)(start - vo->exc_start);
    } else {
        vo->exc_start = start;
        memset(vo->exc, 0, sizeof vo->exc); /* the zeros at EXC_ROWS too */
    }
    const float zl_re = v->z.zl_re[k], zl_im = v->z.zl_im[k], zr_re = v->z.zr_re[k],
                zr_im = v->z.zr_im[k];
    /* The strike's phase and size. A fresh voice starts at zero phase with
     * amp. A neuron striking its own ringing voice strikes in step with the
     * ring, so the tone keeps its pitch and phase whatever the firing rate
     * (struck afresh at each spike, a resonator retriggered faster than its
     * pitch would sound the firing rate and pile up an offset), and the
     * ring grows towards RING_CAP times one strike: more spikes sound
     * louder, up to a bound. */
    float e_re = s->amp, e_im = 0.0f;
    if (s->in_step && !retune && !pending) {
        float mag = sqrtf(zl_re * zl_re + zl_im * zl_im + zr_re * zr_re + zr_im * zr_im);
        float a = fabsf(s->amp);
        float size = a * fmaxf(0.0f, 1.0f - mag / (RING_CAP * a));
        if (mag > 1e-12f) {
            /* the ring's phase at the strike: state rendered up to frame
             * v->rendered - 1, turning w per frame */
            int left = t->gl >= t->gr;
            float zr = left ? zl_re : zr_re, zi = left ? zl_im : zr_im;
            float zm = sqrtf(zr * zr + zi * zi);
            float turn = t->w * (float)(t_frames - (double)v->rendered + 1.0);
            float c = cosf(turn), sn = sinf(turn);
            if (zm > 1e-12f) {
                e_re = size * (zr * c - zi * sn) / zm;
                e_im = size * (zr * sn + zi * c) / zm;
            }
        }
    }
    /* The kernel at the taps start + j - t_frames: one fraction for all,
     * points EXC_RES apart (the kernel's half-length is VOICES_EXC_TAPS / 2,
     * and start - t_frames lies in [-half, -half + 1), so every tap is in
     * the table). */
    double u0 = ((double)start - t_frames + 0.5 * VOICES_EXC_TAPS) * EXC_RES;
    u0 = u0 < 0.0 ? 0.0 : u0 >= EXC_RES ? EXC_RES - 1e-9 : u0;
    const uint32_t i0 = (uint32_t)u0;
    const float f = (float)(u0 - (double)i0);
    float h[VOICES_EXC_TAPS]; /* kj[0] + f (kj[1] - kj[0]) */
    for (uint32_t j = 0; j < VOICES_EXC_TAPS; j += 4)
        VEC_STORE(h + j, VEC_LOAD(vf4, v->kernel[i0].tap + j) +
                             f * VEC_LOAD(vf4, v->kernel[i0].slope + j));
    /* each channel's taps += (gain * strike) * h, four taps a vector */
    const float ge[4] = {[EXC_L] = t->gl * e_re, [EXC_R] = t->gr * e_re, [EXC_LI] = t->gl * e_im,
                         [EXC_RI] = t->gr * e_im};
    for (int c = 0; c < 4; ++c) {
        float *e = vo->exc[c] + off;
        for (uint32_t j = 0; j < VOICES_EXC_TAPS; j += 4)
            VEC_STORE(e + j, VEC_LOAD(vf4, e + j) + ge[c] * VEC_LOAD(vf4, h + j));
    }

    /* Silent once the largest excitation plus what still rings has decayed. */
    float level = fabsf(e_re) + fabsf(e_im) + fabsf(zl_re) + fabsf(zl_im) + fabsf(zr_re) +
                  fabsf(zr_im);
    v->end_of[k] = start + VOICES_EXC_TAPS + ring_frames(v, (double)level, s->decay_s);
    vo->neuron = neuron;
    voice_on(v, k);
    if (neuron < v->max_neurons)
        v->of_neuron[neuron] = (uint16_t)k;
    return 1;
}

void
voices_prime(voices *v, uint32_t neuron, const voice_sound *s, float mag, float phase)
{
    if (!(mag > 0.0f) || neuron >= v->max_neurons)
        return;
    uint32_t k = pick_voice(v, neuron);
    voice *vo = &v->pool[k];
    const int active = v->end_of[k] != 0;
    if (active && vo->neuron != neuron && vo->neuron < v->max_neurons)
        v->of_neuron[vo->neuron] = NO_VOICE;
    tone *t = &v->tone_of[neuron];
    if (!t->valid || !same_sound(&t->sound, s))
        *t = tone_for(v, s);
    v->z.p_re[k] = t->p_re;
    v->z.p_im[k] = t->p_im;
    const float c = mag * cosf(phase), sn = mag * sinf(phase);
    v->z.zl_re[k] = t->gl * c;
    v->z.zl_im[k] = t->gl * sn;
    v->z.zr_re[k] = t->gr * c;
    v->z.zr_im[k] = t->gr * sn;
    /* no excitation pending: the window of the last one lies before now */
    memset(vo->exc, 0, sizeof vo->exc);
    const uint64_t now = v->rendered;
    vo->exc_start = now > 2u * VOICES_EXC_TAPS ? now - 2u * VOICES_EXC_TAPS : 0u;
    v->end_of[k] = now + VOICES_EXC_TAPS + ring_frames(v, 2.0 * (double)mag, s->decay_s);
    vo->neuron = neuron;
    voice_on(v, k);
    v->of_neuron[neuron] = (uint16_t)k;
}

/* on (all bits set or clear) ? a : b, by bits: a select GCC vectorises
 * (C has no vector ?:; GCC turns a float ?: into a branch here) */
SIMD_INLINE float
select_bits(uint32_t on, float a, float b)
{
    uint32_t ua, ub;
    memcpy(&ua, &a, sizeof ua);
    memcpy(&ub, &b, sizeof ub);
    const uint32_t u = (on & ua) | (~on & ub);
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* z <- p z + x for every voice at once (a loop GCC vectorises), a free
 * voice's state kept as it is: per value the scalar
 * re' = (a re - b im) + x_re, im' = (a im + b re) + x_im. */
SIMD_INLINE void
resonate_kernel(resonators *restrict z)
{
    for (uint32_t k = 0; k < VOICES_MAX; ++k) {
        const float a = z->p_re[k], b = z->p_im[k];
        const float lre = z->zl_re[k], lim = z->zl_im[k];
        const float rre = z->zr_re[k], rim = z->zr_im[k];
        const uint32_t on = (uint32_t)z->live[k];
        z->zl_re[k] = select_bits(on, a * lre - b * lim + z->x_l[k], lre);
        z->zl_im[k] = select_bits(on, a * lim + b * lre + z->x_li[k], lim);
        z->zr_re[k] = select_bits(on, a * rre - b * rim + z->x_r[k], rre);
        z->zr_im[k] = select_bits(on, a * rim + b * rre + z->x_ri[k], rim);
    }
}

SIMD_MULTIVERSION(resonate, resonate_kernel, (resonators *restrict z), (z))

void
voices_render(voices *v, uint64_t frame, float *left, float *right)
{
    v->rendered = frame + 1;
    if (v->n_active == 0)
        return;
    /* The frame's excitation of each voice that may have some ahead (entry
     * EXC_ROWS, 0, outside the window); a voice past its window reads 0
     * from now on, until it is struck again. */
    uint64_t passed = 0;
    for (uint64_t m = v->pending; m; m &= m - 1u) {
        const uint32_t k = (uint32_t)__builtin_ctzll(m);
        const voice *vo = &v->pool[k];
        const uint64_t s = vo->exc_start;
        const int started = frame >= s, in = started & (frame < s + EXC_ROWS);
        const uint64_t i = in ? frame - s : EXC_ROWS;
        v->z.x_l[k] = vo->exc[EXC_L][i];
        v->z.x_li[k] = vo->exc[EXC_LI][i];
        v->z.x_r[k] = vo->exc[EXC_R][i];
        v->z.x_ri[k] = vo->exc[EXC_RI][i];
        passed |= (uint64_t)(started & !in) << k;
    }
    v->pending &= ~passed;
    resonate(v->isa, &v->z);
    /* The sum one ringing voice at a time in increasing k, free ones
     * skipped: the bits of the output depend on that order (a chain of
     * dependent adds, the floor of a frame's cost). */
    float l = 0.0f, r = 0.0f;
    uint64_t ended = 0;
    for (uint64_t m = v->active; m; m &= m - 1u) {
        const uint32_t k = (uint32_t)__builtin_ctzll(m);
        l += v->z.zl_im[k];
        r += v->z.zr_im[k];
        ended |= (uint64_t)(frame >= v->end_of[k]) << k;
    }
    for (; ended; ended &= ended - 1u) {
        const uint32_t k = (uint32_t)__builtin_ctzll(ended);
        v->end_of[k] = 0;
        v->z.live[k] = 0;
        v->active &= ~(1ull << k);
        v->n_active--;
        v->z.zl_re[k] = v->z.zl_im[k] = v->z.zr_re[k] = v->z.zr_im[k] = 0.0f;
        if (v->pool[k].neuron < v->max_neurons)
            v->of_neuron[v->pool[k].neuron] = NO_VOICE;
    }
    *left += l;
    *right += r;
}

uint32_t
voices_active(const voices *v)
{
    return v->n_active;
}

void
voices_state(state_io *s, voices *v, uint32_t neurons)
{
    const uint32_t n = neurons < v->max_neurons ? neurons : v->max_neurons;
    for (uint32_t k = 0; k < VOICES_MAX; ++k) {
        voice *x = &v->pool[k];
        float *resonator[] = {&v->z.zl_re[k], &v->z.zl_im[k], &v->z.zr_re[k],
                              &v->z.zr_im[k], &v->z.p_re[k],  &v->z.p_im[k]};
        for (int r = 0; r < 6; ++r)
            state_f32(s, "voice resonator", resonator[r], 1);
        for (int c = 0; c < 4; ++c) /* the entries before the zero at EXC_ROWS */
            state_f32(s, "voice excitation", x->exc[c], EXC_ROWS);
        state_u64(s, "voice excitation start", &x->exc_start, 1);
        state_u32(s, "voice neuron", &x->neuron, 1);
    }
    state_u16_index(s, "voice of neuron", v->of_neuron, n, VOICES_MAX, NO_VOICE);
    for (uint32_t i = 0; i < n; ++i) {
        tone *t = &v->tone_of[i];
        float *f[] = {&t->sound.freq_hz, &t->sound.decay_s, &t->sound.amp, &t->sound.pan,
                      &t->p_re, &t->p_im, &t->gl, &t->gr, &t->w};
        for (int k = 0; k < 9; ++k)
            state_f32(s, "neuron tone", f[k], 1);
        state_int(s, "neuron tone step", &t->sound.in_step, 1, 0, 1);
        state_int(s, "neuron tone valid", &t->valid, 1, 0, 1);
    }
    state_u64(s, "voice end", v->end_of, VOICES_MAX);
    if (s->mode == STATE_LOAD) {
        /* what the loaded ends say; every ringing voice rereads its
         * excitation at the next frame */
        v->active = 0;
        for (uint32_t k = 0; k < VOICES_MAX; ++k) {
            v->z.live[k] = v->end_of[k] != 0 ? -1 : 0;
            v->active |= (uint64_t)(v->end_of[k] != 0) << k;
        }
        v->pending = v->active;
    }
    state_u32_max(s, "active voices", &v->n_active, 1, VOICES_MAX);
    state_u64(s, "trigger frame", &v->trigger_frame, 1);
    state_u64(s, "rendered frame", &v->rendered, 1);
    state_u32(s, "triggers", &v->triggers, 1);
}
