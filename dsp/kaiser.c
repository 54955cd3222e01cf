#include "kaiser.h"

#include <math.h>

/* Modified Bessel function of the first kind, order 0, by its power series. */
static double
bessel_i0(double x)
{
    double sum = 1.0, term = 1.0, q = 0.25 * x * x;
    for (int k = 1; k < 40; ++k) {
        term *= q / ((double)k * k);
        sum += term;
    }
    return sum;
}

void
kaiser_sinc_table(float *out, uint32_t taps, uint32_t res, double cutoff, double beta)
{
    const double half = 0.5 * taps, i0_beta = bessel_i0(beta);
    const uint32_t n = taps * res + 1;
    for (uint32_t i = 0; i < n; ++i) {
        double t = (double)i / res - half;
        double a = 2.0 * 3.14159265358979323846 * cutoff * t;
        double sinc = fabs(t) < 1e-12 ? 1.0 : sin(a) / a;
        double r = t / half;
        double w = bessel_i0(beta * sqrt(fmax(0.0, 1.0 - r * r))) / i0_beta;
        out[i] = (float)(2.0 * cutoff * sinc * w);
    }
    out[n] = 0.0f;
}
