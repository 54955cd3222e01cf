#include "stimulus.h"

#include "params.h"

#include <math.h>
#include <string.h>

#define PI 3.14159265358979323846
#define ATTACK_MS 1.0
#define RELEASE_MS 30.0

void
stimulus_init(stimulus *s, double sample_rate)
{
    memset(s, 0, sizeof *s);
    s->sample_rate = sample_rate;
    s->env_attack = (float)exp(-1000.0 / (ATTACK_MS * sample_rate));
    s->env_release = (float)exp(-1000.0 / (RELEASE_MS * sample_rate));
}

void
stimulus_reset(stimulus *s)
{
    s->env = 0.0f;
    for (uint32_t b = 0; b < STIMULUS_MAX_BANDS; ++b) {
        stimulus_band *f = &s->band[b];
        f->x1 = f->x2 = f->y1 = f->y2 = f->env = 0.0f;
        s->band_out[b] = 0.0f;
    }
}

uint32_t
stimulus_bands_for(uint32_t n_neurons)
{
    if (n_neurons < 1)
        return 1;
    return n_neurons < STIMULUS_MAX_BANDS ? n_neurons : STIMULUS_MAX_BANDS;
}

static double
high_hz(double sample_rate)
{
    return fmin(STIMULUS_HIGH_HZ, 0.45 * sample_rate);
}

double
stimulus_band_hz(uint32_t band, uint32_t n_bands, double sample_rate)
{
    double lo = STIMULUS_LOW_HZ, hi = high_hz(sample_rate);
    if (n_bands <= 1)
        return sqrt(lo * hi);
    return lo * pow(hi / lo, (double)band / (double)(n_bands - 1));
}

void
stimulus_configure(stimulus *s, uint32_t n_neurons)
{
    uint32_t nb = stimulus_bands_for(n_neurons);
    double lo = STIMULUS_LOW_HZ, hi = high_hz(s->sample_rate);
    /* bandwidth: one band spacing, between a sixth of an octave and two */
    double spacing_oct = nb > 1 ? log2(hi / lo) / (nb - 1) : log2(hi / lo);
    double bw = fmin(2.0, fmax(1.0 / 6.0, spacing_oct));
    for (uint32_t b = 0; b < nb; ++b) {
        double f0 = stimulus_band_hz(b, nb, s->sample_rate);
        double w0 = 2.0 * PI * f0 / s->sample_rate;
        /* RBJ Audio EQ Cookbook, BPF with constant 0 dB peak gain, bandwidth
         * in octaves: alpha = sin(w0) sinh(ln2/2 * BW * w0/sin(w0)) */
        double alpha = sin(w0) * sinh(0.5 * log(2.0) * bw * w0 / sin(w0));
        double a0 = 1.0 + alpha;
        stimulus_band *f = &s->band[b];
        f->b0 = (float)(alpha / a0);
        f->b2 = (float)(-alpha / a0);
        f->a1 = (float)(-2.0 * cos(w0) / a0);
        f->a2 = (float)((1.0 - alpha) / a0);
    }
    s->n_bands = nb;
    s->n_neurons = n_neurons;
}

static inline float
follow(float env, float x, float attack, float release)
{
    float c = x > env ? attack : release;
    return x + c * (env - x);
}

static inline float
shape(float x, float *env, int mode, const stimulus *s)
{
    if (mode == INPUT_RECTIFIED)
        return fabsf(x);
    if (mode == INPUT_ENVELOPE) {
        *env = follow(*env, fabsf(x), s->env_attack, s->env_release);
        return *env;
    }
    return x;
}

float
stimulus_shape_all(stimulus *s, float x, int mode)
{
    return shape(x, &s->env, mode, s);
}

void
stimulus_cochlea(stimulus *s, float x, int mode)
{
    for (uint32_t b = 0; b < s->n_bands; ++b) {
        stimulus_band *f = &s->band[b];
        float y = f->b0 * x + f->b2 * f->x2 - f->a1 * f->y1 - f->a2 * f->y2;
        y = fabsf(y) < 1e-20f ? 0.0f : y; /* no denormals in silence */
        f->x2 = f->x1;
        f->x1 = x;
        f->y2 = f->y1;
        f->y1 = y;
        s->band_out[b] = shape(y, &f->env, mode, s);
    }
}

void
stimulus_state(state_io *s, stimulus *st)
{
    state_f32(s, "stimulus envelope", &st->env, 1);
    for (uint32_t b = 0; b < STIMULUS_MAX_BANDS; ++b) {
        stimulus_band *f = &st->band[b];
        float *v[] = {&f->b0, &f->b2, &f->a1, &f->a2, &f->x1, &f->x2, &f->y1, &f->y2, &f->env};
        for (int k = 0; k < 9; ++k)
            state_f32(s, "cochlea band", v[k], 1);
    }
    state_f32(s, "cochlea output", st->band_out, STIMULUS_MAX_BANDS);
}
