#include "kaiser.h"

#include <math.h>

/* Modified Bessel function of the first kind, order 0, by its power series
 * sum (x^2 / 4)^k / k!^2. Once the terms fall (k^2 > x^2 / 4) and a term is
 * below 2^-60 of the sum, every later term is smaller still and below half
 * an ulp of the sum, so adding it would leave the sum's bits as they are:
 * the series stops there (at about k = 25 for the window's centre, beta
 * 8.6, and sooner towards its ends) with the bits of all 40 terms. */
static double
bessel_i0(double x)
{
    double sum = 1.0, term = 1.0, q = 0.25 * x * x;
    for (int k = 1; k < 40; ++k) {
        term *= q / ((double)k * k);
        sum += term;
        if (term < sum * 0x1p-60 && q < (double)(k + 1) * (k + 1))
            break;
    }
    return sum;
}

/* The Kaiser window at t, over [-half, half] */
static double
window_at(double t, double half, double beta, double i0_beta)
{
    const double r = t / half;
    return bessel_i0(beta * sqrt(fmax(0.0, 1.0 - r * r))) / i0_beta;
}

/* The windowed sinc at t with window value w */
static float
kernel_at(double t, double cutoff, double w)
{
    const double a = 2.0 * 3.14159265358979323846 * cutoff * t;
    const double sinc = fabs(t) < 1e-12 ? 1.0 : sin(a) / a;
    return (float)(2.0 * cutoff * sinc * w);
}

void
kaiser_sinc_table(float *out, uint32_t taps, uint32_t res, double cutoff, double beta)
{
    const double half = 0.5 * taps, i0_beta = bessel_i0(beta);
    const uint32_t n = taps * res + 1;
    /* The window is even: point n - 1 - i lies at -t when point i lies at t
     * (exactly so for a power-of-two res; checked, not assumed), and its
     * window value, a function of t^2, is computed once for both. */
    for (uint32_t i = 0, j = n - 1; i <= j; ++i, --j) {
        const double t = (double)i / res - half, tj = (double)j / res - half;
        const double w = window_at(t, half, beta, i0_beta);
        out[i] = kernel_at(t, cutoff, w);
        if (i < j)
            out[j] = kernel_at(tj, cutoff, tj == -t ? w : window_at(tj, half, beta, i0_beta));
    }
    out[n] = 0.0f;
}
