/* Hindmarsh-Rose 1984, classic RK4 in double; independent check of the
 * Brian2 run. Spike = x crossing 1.0 upward, cubic Hermite in the step.
 * Usage: hr_rk4 R I DT TEND -> spike times, one per line.
 * Build: gcc -O2 -o hr_rk4 hr_rk4.c -lm */
#include <stdio.h>
#include <stdlib.h>

static double r, I;

static void f(const double *s, double *ds)
{
    double x = s[0];
    ds[0] = s[1] - x * x * x + 3 * x * x - s[2] + I;
    ds[1] = 1 - 5 * x * x - s[1];
    ds[2] = r * (4 * (x + 1.6) - s[2]);
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: %s R I DT TEND\n", argv[0]);
        return 2;
    }
    r = atof(argv[1]); I = atof(argv[2]);
    double dt = atof(argv[3]), tend = atof(argv[4]);
    double s[3] = { -1.6, 1 - 5 * 1.6 * 1.6, 0 }, k1[3], k2[3], k3[3], k4[3], tmp[3];
    long n = (long)(tend / dt + 0.5);
    f(s, k1);
    for (long i = 0; i < n; i++) {
        for (int j = 0; j < 3; j++) tmp[j] = s[j] + 0.5 * dt * k1[j];
        f(tmp, k2);
        for (int j = 0; j < 3; j++) tmp[j] = s[j] + 0.5 * dt * k2[j];
        f(tmp, k3);
        for (int j = 0; j < 3; j++) tmp[j] = s[j] + dt * k3[j];
        f(tmp, k4);
        double x0 = s[0], d0 = k1[0];
        for (int j = 0; j < 3; j++)
            s[j] += dt / 6 * (k1[j] + 2 * k2[j] + 2 * k3[j] + k4[j]);
        f(s, k1);
        if (x0 < 1.0 && s[0] >= 1.0) {
            double lo = 0, hi = 1, x1 = s[0], d1 = k1[0];
            for (int k = 0; k < 60; k++) {
                double m = 0.5 * (lo + hi), m2 = m * m, m3 = m2 * m;
                double x = (2 * m3 - 3 * m2 + 1) * x0 + (m3 - 2 * m2 + m) * dt * d0
                           + (-2 * m3 + 3 * m2) * x1 + (m3 - m2) * dt * d1;
                if (x < 1.0) lo = m; else hi = m;
            }
            printf("%.9f\n", (i + 0.5 * (lo + hi)) * dt);
        }
    }
    return 0;
}
