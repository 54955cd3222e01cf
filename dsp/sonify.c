#include "sonify.h"

#include <math.h>
#include <stdlib.h>

/* One-pole DC blocker y[n] = x[n] - x[n-1] + R y[n-1], corner about 10 Hz. */
typedef struct {
    float x1, y1;
} dc_blocker;

struct sonify {
    float r; /* DC blocker pole */
    dc_blocker left, right;
};

sonify *
sonify_create(double sample_rate)
{
    sonify *s = calloc(1, sizeof *s);
    if (s) {
        s->r = (float)exp(-2.0 * 3.14159265358979 * 10.0 / sample_rate);
        sonify_reset(s);
    }
    return s;
}

void
sonify_destroy(sonify *s)
{
    free(s);
}

void
sonify_reset(sonify *s)
{
    s->left = (dc_blocker){0, 0};
    s->right = (dc_blocker){0, 0};
}

static float
dc_block(dc_blocker *d, float r, float x)
{
    float y = x - d->x1 + r * d->y1;
    d->x1 = x;
    d->y1 = y;
    return y;
}

float
sonify_soft_limit(float x)
{
    /* tanh never leaves [-1, 1]; NaN maps to silence */
    return isnan(x) ? 0.0f : tanhf(x);
}

void
sonify_frame(sonify *s, float focus, float bank, float gain, float *left, float *right)
{
    *left = sonify_soft_limit(gain * dc_block(&s->left, s->r, focus));
    *right = sonify_soft_limit(gain * dc_block(&s->right, s->r, bank));
}
