#include "voices.h"

#include "kaiser.h"
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

typedef struct {
    float zl_re, zl_im, zr_re, zr_im; /* resonator state per channel */
    float p_re, p_im;                 /* pole r e^{iw} */
    float exc_l[2 * VOICES_EXC_TAPS]; /* pending excitation per channel, */
    float exc_r[2 * VOICES_EXC_TAPS]; /* from frame exc_start on: real */
    float exc_li[2 * VOICES_EXC_TAPS]; /* and imaginary parts */
    float exc_ri[2 * VOICES_EXC_TAPS];
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

struct voices {
    double sample_rate;
    voice pool[VOICES_MAX];
    uint16_t *of_neuron; /* neuron -> voice index or NO_VOICE */
    tone *tone_of;       /* neuron -> its last sound's pole and gains */
    /* the frame after which voice k is silent, 0 while it is free (an
     * active voice's end is at least VOICES_EXC_TAPS): the steal search and
     * the render loop scan these 384 bytes, not the whole pool */
    uint64_t end_of[VOICES_MAX];
    uint32_t max_neurons;
    uint32_t n_active;
    uint64_t trigger_frame; /* frame the trigger budget counts for */
    uint64_t rendered;      /* the next frame voices_render will render */
    uint32_t triggers;
    float kernel[VOICES_EXC_TAPS * EXC_RES + 2];
};

voices *
voices_create(double sample_rate, uint32_t max_neurons, int touch)
{
    voices *v = zeroed_alloc(sizeof *v, touch);
    if (!v)
        return NULL;
    v->sample_rate = sample_rate;
    v->max_neurons = max_neurons;
    v->of_neuron = zeroed_alloc(max_neurons * sizeof *v->of_neuron, touch);
    /* a neuron's tone is written at its first strike, on the audio thread */
    v->tone_of = zeroed_alloc(max_neurons * sizeof *v->tone_of, touch);
    if (!v->of_neuron || !v->tone_of) {
        voices_destroy(v);
        return NULL;
    }
    /* Unit-area windowed sinc: a band-limited unit impulse. */
    kaiser_sinc_table(v->kernel, VOICES_EXC_TAPS, EXC_RES, EXC_CUTOFF, EXC_BETA);
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
voices_reset(voices *v)
{
    memset(v->pool, 0, sizeof v->pool);
    memset(v->end_of, 0, sizeof v->end_of);
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

static uint32_t
pick_voice(voices *v, uint32_t neuron)
{
    if (neuron < v->max_neurons && v->of_neuron[neuron] != NO_VOICE)
        return v->of_neuron[neuron];
    /* the first free voice (end 0), else steal the one nearest its end */
    uint32_t best = 0;
    for (uint32_t k = 1; k < VOICES_MAX; ++k)
        best = v->end_of[k] < v->end_of[best] ? k : best;
    return best;
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
    vo->p_re = t->p_re;
    vo->p_im = t->p_im;

    /* Pending excitation over frames ceil(t - half) ...; if the previous
     * one has not finished (very fast firing), the new one adds to it. */
    uint64_t start = (uint64_t)ceil(t_frames - 0.5 * VOICES_EXC_TAPS);
    uint32_t off = 0;
    const int pending = active && start < vo->exc_start + 2 * VOICES_EXC_TAPS;
    if (active && start < vo->exc_start + VOICES_EXC_TAPS && start >= vo->exc_start) {
        off = (uint32_t)(start - vo->exc_start);
    } else {
        vo->exc_start = start;
        memset(vo->exc_l, 0, sizeof vo->exc_l);
        memset(vo->exc_r, 0, sizeof vo->exc_r);
        memset(vo->exc_li, 0, sizeof vo->exc_li);
        memset(vo->exc_ri, 0, sizeof vo->exc_ri);
    }
    /* The strike's phase and size. A fresh voice starts at zero phase with
     * amp. A neuron striking its own ringing voice strikes in step with the
     * ring, so the tone keeps its pitch and phase whatever the firing rate
     * (struck afresh at each spike, a resonator retriggered faster than its
     * pitch would sound the firing rate and pile up an offset), and the
     * ring grows towards RING_CAP times one strike: more spikes sound
     * louder, up to a bound. */
    float e_re = s->amp, e_im = 0.0f;
    if (s->in_step && !retune && !pending) {
        float mag = sqrtf(vo->zl_re * vo->zl_re + vo->zl_im * vo->zl_im + vo->zr_re * vo->zr_re +
                          vo->zr_im * vo->zr_im);
        float a = fabsf(s->amp);
        float size = a * fmaxf(0.0f, 1.0f - mag / (RING_CAP * a));
        if (mag > 1e-12f) {
            /* the ring's phase at the strike: state rendered up to frame
             * v->rendered - 1, turning w per frame */
            int left = t->gl >= t->gr;
            float zr = left ? vo->zl_re : vo->zr_re, zi = left ? vo->zl_im : vo->zr_im;
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
    const float *kern = v->kernel + i0;
    for (uint32_t j = 0; j < VOICES_EXC_TAPS; ++j) {
        const float *kj = kern + j * EXC_RES;
        float h = kj[0] + f * (kj[1] - kj[0]);
        vo->exc_l[off + j] += t->gl * e_re * h;
        vo->exc_r[off + j] += t->gr * e_re * h;
        vo->exc_li[off + j] += t->gl * e_im * h;
        vo->exc_ri[off + j] += t->gr * e_im * h;
    }

    /* Silent once the largest excitation plus what still rings has decayed. */
    float level = fabsf(e_re) + fabsf(e_im) + fabsf(vo->zl_re) + fabsf(vo->zl_im) + fabsf(vo->zr_re) +
                  fabsf(vo->zr_im);
    /* log r = -1 / (decay * rate) */
    double life = -log(END_LEVEL / fmax(level, 1e-9)) * fmax((double)s->decay_s, 1e-4) *
                  v->sample_rate;
    v->end_of[k] = start + VOICES_EXC_TAPS + (uint64_t)fmax(0.0, ceil(life));
    vo->neuron = neuron;
    v->n_active += !active;
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
    vo->p_re = t->p_re;
    vo->p_im = t->p_im;
    const float c = mag * cosf(phase), sn = mag * sinf(phase);
    vo->zl_re = t->gl * c;
    vo->zl_im = t->gl * sn;
    vo->zr_re = t->gr * c;
    vo->zr_im = t->gr * sn;
    /* no excitation pending: the window of the last one lies before now */
    memset(vo->exc_l, 0, sizeof vo->exc_l);
    memset(vo->exc_r, 0, sizeof vo->exc_r);
    memset(vo->exc_li, 0, sizeof vo->exc_li);
    memset(vo->exc_ri, 0, sizeof vo->exc_ri);
    const uint64_t now = v->rendered;
    vo->exc_start = now > 2u * VOICES_EXC_TAPS ? now - 2u * VOICES_EXC_TAPS : 0u;
    double life = -log(END_LEVEL / fmax(2.0 * (double)mag, 1e-9)) *
                  fmax((double)s->decay_s, 1e-4) * v->sample_rate;
    v->end_of[k] = now + VOICES_EXC_TAPS + (uint64_t)fmax(0.0, ceil(life));
    vo->neuron = neuron;
    v->n_active += !active;
    v->of_neuron[neuron] = (uint16_t)k;
}

void
voices_render(voices *v, uint64_t frame, float *left, float *right)
{
    v->rendered = frame + 1;
    if (v->n_active == 0)
        return;
    float l = 0.0f, r = 0.0f;
    for (uint32_t k = 0; k < VOICES_MAX; ++k) {
        if (!v->end_of[k]) /* free: skipped without touching its voice */
            continue;
        voice *vo = &v->pool[k];
        float xl = 0.0f, xr = 0.0f, xli = 0.0f, xri = 0.0f;
        if (frame >= vo->exc_start && frame < vo->exc_start + 2 * VOICES_EXC_TAPS) {
            xl = vo->exc_l[frame - vo->exc_start];
            xr = vo->exc_r[frame - vo->exc_start];
            xli = vo->exc_li[frame - vo->exc_start];
            xri = vo->exc_ri[frame - vo->exc_start];
        }
        float a = vo->p_re, b = vo->p_im;
        float lre = a * vo->zl_re - b * vo->zl_im + xl;
        float lim = a * vo->zl_im + b * vo->zl_re + xli;
        float rre = a * vo->zr_re - b * vo->zr_im + xr;
        float rim = a * vo->zr_im + b * vo->zr_re + xri;
        vo->zl_re = lre;
        vo->zl_im = lim;
        vo->zr_re = rre;
        vo->zr_im = rim;
        l += lim;
        r += rim;
        if (frame >= v->end_of[k]) {
            v->end_of[k] = 0;
            v->n_active--;
            vo->zl_re = vo->zl_im = vo->zr_re = vo->zr_im = 0.0f;
            if (vo->neuron < v->max_neurons)
                v->of_neuron[vo->neuron] = NO_VOICE;
        }
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
        float *resonator[] = {&x->zl_re, &x->zl_im, &x->zr_re, &x->zr_im, &x->p_re, &x->p_im};
        for (int r = 0; r < 6; ++r)
            state_f32(s, "voice resonator", resonator[r], 1);
        state_f32(s, "voice excitation", x->exc_l, 2 * VOICES_EXC_TAPS);
        state_f32(s, "voice excitation", x->exc_r, 2 * VOICES_EXC_TAPS);
        state_f32(s, "voice excitation", x->exc_li, 2 * VOICES_EXC_TAPS);
        state_f32(s, "voice excitation", x->exc_ri, 2 * VOICES_EXC_TAPS);
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
    state_u32_max(s, "active voices", &v->n_active, 1, VOICES_MAX);
    state_u64(s, "trigger frame", &v->trigger_frame, 1);
    state_u64(s, "rendered frame", &v->rendered, 1);
    state_u32(s, "triggers", &v->triggers, 1);
}
