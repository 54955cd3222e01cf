/* Pinsky-Rinzel 1994 two-compartment CA3 model (docs/science.md, absolute mV),
 * classic RK4 in double, independent of the engine's code.
 * Usage: pr_rk4 GC IS DT TEND   -> one soma spike time (ms) per line:
 * upward crossing of Vs = -20 mV located on the cubic Hermite interpolant.
 * Build: gcc -O2 -o pr_rk4 pr_rk4.c -lm */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

enum { VS, VD, H, N, S, C, Q, CA, NV };

static const double gL = 0.1, gNa = 30, gKdr = 15, gCa = 10, gKahp = 0.8,
                    gKC = 15, VNa = 60, VCa = 80, VK = -75, VL = -60, Cm = 3,
                    p = 0.5;
static double gc, Is;

/* x / (exp(x/y) - 1), with its limit y(1 - x/2y) near the 0/0 point */
static double vtrap(double x, double y)
{
    if (fabs(x / y) < 1e-6)
        return y * (1.0 - x / y / 2.0);
    return x / (exp(x / y) - 1.0);
}

static void deriv(const double *y, double *dy)
{
    double vs = y[VS], vd = y[VD];
    double am = 0.32 * vtrap(-46.9 - vs, 4.0);
    double bm = 0.28 * vtrap(vs + 19.9, 5.0);
    double minf = am / (am + bm);
    double an = 0.016 * vtrap(-24.9 - vs, 5.0);
    double bn = 0.25 * exp(-1.0 - 0.025 * vs);
    double ah = 0.128 * exp((-43.0 - vs) / 18.0);
    double bh = 4.0 / (1.0 + exp((-20.0 - vs) / 5.0));
    double as = 1.6 / (1.0 + exp(-0.072 * (vd - 5.0)));
    double bs = 0.02 * vtrap(vd + 8.9, 5.0);
    double ac, bc;
    if (vd <= -10.0) {
        ac = exp((vd + 50.0) / 11.0 - (vd + 53.5) / 27.0) / 18.975;
        bc = 2.0 * exp((-53.5 - vd) / 27.0) - ac;
    } else {
        ac = 2.0 * exp((-53.5 - vd) / 27.0);
        bc = 0.0;
    }
    double aq = fmin(2e-5 * y[CA], 0.01), bq = 0.001;
    double chi = fmin(y[CA] / 250.0, 1.0);
    double ica = gCa * y[S] * y[S] * (vd - VCa);

    dy[VS] = (-gL * (vs - VL) - gNa * minf * minf * y[H] * (vs - VNa)
              - gKdr * y[N] * (vs - VK) + gc / p * (vd - vs) + Is / p) / Cm;
    dy[VD] = (-gL * (vd - VL) - ica - gKahp * y[Q] * (vd - VK)
              - gKC * y[C] * chi * (vd - VK) + gc * (vs - vd) / (1.0 - p)) / Cm;
    dy[H] = ah * (1 - y[H]) - bh * y[H];
    dy[N] = an * (1 - y[N]) - bn * y[N];
    dy[S] = as * (1 - y[S]) - bs * y[S];
    dy[C] = ac * (1 - y[C]) - bc * y[C];
    dy[Q] = aq * (1 - y[Q]) - bq * y[Q];
    dy[CA] = -0.13 * ica - 0.075 * y[CA];
}

static double hermite_cross(double t0, double v0, double d0, double v1,
                            double d1, double dt, double vth)
{
    double lo = 0, hi = 1;
    for (int i = 0; i < 60; i++) {
        double s = 0.5 * (lo + hi), s2 = s * s, s3 = s2 * s;
        double v = (2 * s3 - 3 * s2 + 1) * v0 + (s3 - 2 * s2 + s) * dt * d0
                   + (-2 * s3 + 3 * s2) * v1 + (s3 - s2) * dt * d1;
        if (v < vth) lo = s; else hi = s;
    }
    return t0 + 0.5 * (lo + hi) * dt;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: %s GC IS DT TEND\n", argv[0]);
        return 2;
    }
    gc = atof(argv[1]);
    Is = atof(argv[2]);
    double dt = atof(argv[3]), tend = atof(argv[4]);
    double y[NV] = { -60, -60, 0, 0, 0, 0, 0, 0 };
    double k1[NV], k2[NV], k3[NV], k4[NV], tmp[NV];
    long nsteps = lround(tend / dt);
    deriv(y, k1);
    for (long i = 0; i < nsteps; i++) {
        for (int j = 0; j < NV; j++) tmp[j] = y[j] + 0.5 * dt * k1[j];
        deriv(tmp, k2);
        for (int j = 0; j < NV; j++) tmp[j] = y[j] + 0.5 * dt * k2[j];
        deriv(tmp, k3);
        for (int j = 0; j < NV; j++) tmp[j] = y[j] + dt * k3[j];
        deriv(tmp, k4);
        double v0 = y[VS], d0 = k1[VS];
        for (int j = 0; j < NV; j++)
            y[j] += dt / 6.0 * (k1[j] + 2 * k2[j] + 2 * k3[j] + k4[j]);
        deriv(y, k1);
        if (v0 < -20.0 && y[VS] >= -20.0)
            printf("%.9f\n", hermite_cross(i * dt, v0, d0, y[VS], k1[VS], dt, -20.0));
    }
    return 0;
}
