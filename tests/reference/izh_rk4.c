/* Izhikevich 2003 ODE, classic RK4 in double with the reset placed at the
 * exact threshold crossing (cubic Hermite in the step, then the rest of the
 * step integrated from the reset state). Independent of Brian2, whose
 * threshold is tested at step ends (reset up to one dt late).
 * Usage: izh_rk4 A B C D I DT TEND MODE   (MODE 0 = exact reset,
 * 1 = reset at step end like Brian2) -> spike times (ms), one per line.
 * Build: gcc -O2 -o izh_rk4 izh_rk4.c -lm */
#include <stdio.h>
#include <stdlib.h>

static double a, b, c, d, I;

static void f(double v, double u, double *dv, double *du)
{
    *dv = 0.04 * v * v + 5 * v + 140 - u + I;
    *du = a * (b * v - u);
}

static void rk4(double *v, double *u, double h)
{
    double v1, u1, v2, u2, v3, u3, v4, u4;
    f(*v, *u, &v1, &u1);
    f(*v + 0.5 * h * v1, *u + 0.5 * h * u1, &v2, &u2);
    f(*v + 0.5 * h * v2, *u + 0.5 * h * u2, &v3, &u3);
    f(*v + h * v3, *u + h * u3, &v4, &u4);
    *v += h / 6 * (v1 + 2 * v2 + 2 * v3 + v4);
    *u += h / 6 * (u1 + 2 * u2 + 2 * u3 + u4);
}

int main(int argc, char **argv)
{
    if (argc != 9) {
        fprintf(stderr, "usage: %s A B C D I DT TEND MODE\n", argv[0]);
        return 2;
    }
    a = atof(argv[1]); b = atof(argv[2]); c = atof(argv[3]);
    d = atof(argv[4]); I = atof(argv[5]);
    double dt = atof(argv[6]), tend = atof(argv[7]);
    int mode = atoi(argv[8]);
    double v = -65, u = b * v;
    long n = (long)(tend / dt + 0.5);
    for (long i = 0; i < n; i++) {
        double t0 = i * dt, v0 = v, u0 = u;
        rk4(&v, &u, dt);
        if (v < 30)
            continue;
        if (mode == 1) {
            printf("%.9f\n", t0 + dt);
            v = c;
            u += d;
            continue;
        }
        /* bisect on the sub-step length: re-integrate from the step start */
        double lo = 0, hi = dt;
        for (int k = 0; k < 60; k++) {
            double mid = 0.5 * (lo + hi), vv = v0, uu = u0;
            rk4(&vv, &uu, mid);
            if (vv < 30) lo = mid; else hi = mid;
        }
        double ts = 0.5 * (lo + hi), vv = v0, uu = u0;
        rk4(&vv, &uu, ts);
        printf("%.9f\n", t0 + ts);
        v = c;
        u = uu + d;
        rk4(&v, &u, dt - ts);
    }
    return 0;
}
