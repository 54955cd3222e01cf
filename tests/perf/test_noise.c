/* The vectorised noise generator (dsp/bank.c, vmath's log, cos, sqrt) still
 * draws standard normals: with decay 0 and kick 1 the noise current is one
 * draw per neuron and step. Reference values: moments of N(0, 1) and
 * P(|z| > 2) = 0.0455, P(|z| > 3) = 0.0027 (any statistics table). */
#include "bank.h"
#include "ftz.h"
#include "params.h"

#include <criterion/criterion.h>
#include <math.h>

static bank_config
noise_config(float decay, float sigma)
{
    bank_config c = {0};
    c.model = model_get(MODEL_IZHIKEVICH);
    c.mp = (model_params){.dt_ms = 0.02f, .izh_a = 0.02f, .izh_b = 0.2f, .izh_c = -65.0f,
                          .izh_d = 8.0f};
    c.dp.to_mV_a = 1.0f;
    c.np.seed = 11;
    c.noise_sigma = sigma;
    c.noise_decay = decay;
    c.noise_kick = sigma;
    return c;
}

/* A bank of n of its 1024 neurons with config c and the noise's seed. */
static bank *
noisy_bank(bank_config *c, uint32_t n, uint32_t seed)
{
    bank *b = bank_create(1024);
    cr_assert(b);
    b->n = n;
    c->np.seed = seed;
    bank_init_neurons(b, c, 0, 1024);
    return b;
}

Test(noise, draws_are_standard_normal_and_independent_of_neighbours)
{
    bank_config c = noise_config(0.0f, 1.0f);
    bank *b = noisy_bank(&c, 1000, 7);
    double s1 = 0, s2 = 0, s4 = 0, cross = 0;
    size_t n = 0, over2 = 0, over3 = 0;
    for (uint64_t step = 0; step < 200; ++step) {
        bank_step(b, &c, 0.0f, step);
        for (uint32_t i = 0; i < b->n; ++i) {
            double z = b->noise[i];
            cr_assert(isfinite(z));
            s1 += z;
            s2 += z * z;
            s4 += z * z * z * z;
            over2 += fabs(z) > 2.0;
            over3 += fabs(z) > 3.0;
            if (i)
                cross += z * b->noise[i - 1];
            ++n;
        }
    }
    double mean = s1 / n, var = s2 / n - mean * mean;
    cr_expect(fabs(mean) < 0.01, "mean %g", mean);
    cr_expect(fabs(var - 1.0) < 0.01, "variance %g", var);
    cr_expect(fabs(s4 / n - 3.0) < 0.06, "fourth moment %g, want 3", s4 / n);
    cr_expect(fabs((double)over2 / n - 0.0455) < 0.002, "P(|z|>2) = %g", (double)over2 / n);
    cr_expect(fabs((double)over3 / n - 0.0027) < 0.0005, "P(|z|>3) = %g", (double)over3 / n);
    cr_expect(fabs(cross / n) < 0.01, "neighbour correlation %g", cross / n);
    bank_destroy(b);
}

/* Normals come in Box-Muller pairs over two steps (dsp/bank.c): the two
 * halves of a pair must be uncorrelated, and a neuron's draw at a step must
 * not depend on whether the noise (or the neuron) was running the step
 * before: a pure function of seed, neuron and step. */
Test(noise, consecutive_steps_uncorrelated_and_draws_pure)
{
    bank *a = bank_create(256), *late = bank_create(256);
    cr_assert(a && late);
    a->n = 256;
    late->n = 200; /* 56 neurons join at the odd step */
    bank_config c = noise_config(0.0f, 1.0f), off = noise_config(0.0f, 0.0f);
    bank_init_neurons(a, &c, 0, 256);
    bank_init_neurons(late, &c, 0, 256);
    double lag1 = 0, sq = 0;
    float prev[256];
    for (uint64_t step = 0; step < 400; ++step) {
        bank_step(a, &c, 0.0f, step);
        /* the late bank: noise off until step 50, on from the odd step
         * 51 with 200 neurons, the other 56 joining at the odd step 101 */
        if (step == 101)
            late->n = 256;
        bank_step(late, step <= 50 ? &off : &c, 0.0f, step);
        for (uint32_t i = 0; i < 256; ++i) {
            if (step > 0) {
                lag1 += (double)a->noise[i] * prev[i];
                sq += (double)a->noise[i] * a->noise[i];
            }
            prev[i] = a->noise[i];
            if (step >= (i < 200 ? 51u : 101u))
                cr_assert_eq(late->noise[i], a->noise[i],
                             "step %u neuron %u: %g, want %g", (unsigned)step, i,
                             late->noise[i], a->noise[i]);
        }
    }
    cr_expect(fabs(lag1 / sq) < 0.01, "step-to-step correlation %g", lag1 / sq);
    bank_destroy(a);
    bank_destroy(late);
}

/* Noise switched off relaxes to zero with its time constant (as an OU
 * process with sigma = 0 does), rather than staying frozen at its last
 * values as a constant current. */
Test(noise, switched_off_it_relaxes_to_zero)
{
    bank *b = bank_create(64);
    cr_assert(b);
    b->n = 64;
    bank_config on = noise_config(0.9f, 2.0f), off = noise_config(0.9f, 0.0f);
    bank_init_neurons(b, &on, 0, 64);
    const uint32_t fp = ftz_enter();
    for (uint64_t step = 0; step < 100; ++step)
        bank_step(b, &on, 0.0f, step);
    float before = fabsf(b->noise[5]);
    cr_assert(before > 0.0f);
    for (uint64_t step = 100; step < 110; ++step)
        bank_step(b, &off, 0.0f, step);
    /* ten steps of decay 0.9 */
    cr_expect_float_eq(fabsf(b->noise[5]), before * powf(0.9f, 10.0f), 1e-5f * before);
    for (uint64_t step = 110; step < 3000; ++step)
        bank_step(b, &off, 0.0f, step);
    ftz_leave(fp);
    for (uint32_t i = 0; i < 64; ++i)
        cr_expect_eq(b->noise[i], 0.0f, "neuron %u: %g", i, b->noise[i]);
    cr_expect_eq(b->noise_live, 0);
    bank_destroy(b);
}

/* The two halves of a Box-Muller pair (an even step and the odd step after
 * it, decay 0) are two independent standard normals: the angle of the point
 * (even, odd) is uniform (Box & Muller 1958, Ann. Math. Stat. 29:610), so
 * each octant holds 1/8 of the pairs, and E[a^2 b^2] = E[a^2] E[b^2] = 1.
 * 200000 pairs: an octant's share has a standard deviation of 0.6 % of
 * 1/8, the mean of a^2 b^2 one of 0.0063 (its variance is 9 - 1). */
Test(noise, pairs_uniform_in_angle_and_independent)
{
    bank_config c = noise_config(0.0f, 1.0f);
    bank *b = noisy_bank(&c, 1000, 3);
    float even[1000];
    size_t octant[8] = {0}, pairs = 0;
    double prod2 = 0;
    for (uint64_t step = 0; step < 400; ++step) {
        bank_step(b, &c, 0.0f, step);
        for (uint32_t i = 0; i < b->n; ++i) {
            if (!(step & 1u)) {
                even[i] = b->noise[i];
                continue;
            }
            const double a = even[i], o = b->noise[i];
            const double turn = atan2(o, a) / 6.283185307179586;
            octant[(int)floor((turn < 0.0 ? turn + 1.0 : turn) * 8.0) & 7]++;
            prod2 += a * a * o * o;
            ++pairs;
        }
    }
    for (int k = 0; k < 8; ++k)
        cr_expect(fabs((double)octant[k] / pairs / 0.125 - 1.0) < 0.025, "octant %d: %g", k,
                  (double)octant[k] / pairs);
    cr_expect(fabs(prod2 / pairs - 1.0) < 0.03, "E[a^2 b^2] = %g, want 1", prod2 / pairs);
    bank_destroy(b);
}

/* The noise current is an Ornstein-Uhlenbeck process sampled exactly:
 * x' = d x + k z has the stationary mean 0, variance k^2 / (1 - d^2) and
 * autocorrelation d^m at lag m (Uhlenbeck & Ornstein 1930; the AR(1)
 * process). d = 0.95, k = 0.3: variance 0.9231, lag 1 0.95, lag 10 0.5987.
 * 1000 neurons over 1000 steps after a burn-in of 300 (0.95^300 = 2e-7):
 * about 26000 independent samples (the correlation time is 39 steps), so
 * the variance's standard deviation is 0.9 %, the mean's 0.006. */
Test(noise, ou_current_mean_variance_autocorrelation)
{
    enum { N = 1000, BURN = 300, STEPS = 1000, LAG = 10 };
    const float d = 0.95f, k = 0.3f;
    bank_config c = noise_config(d, k);
    bank *b = noisy_bank(&c, N, 5);
    static float hist[LAG + 1][N];
    double s1 = 0, s2 = 0, lag1 = 0, lag10 = 0;
    size_t n = 0, n10 = 0;
    for (uint64_t step = 0; step < BURN + STEPS; ++step) {
        bank_step(b, &c, 0.0f, step);
        float *now = hist[step % (LAG + 1)];
        const float *before1 = hist[(step + LAG) % (LAG + 1)];
        const float *before10 = hist[(step + 1) % (LAG + 1)];
        for (uint32_t i = 0; i < N; ++i) {
            now[i] = b->noise[i];
            if (step < BURN)
                continue;
            s1 += now[i];
            s2 += (double)now[i] * now[i];
            lag1 += (double)now[i] * before1[i];
            ++n;
            if (step >= BURN + LAG) {
                lag10 += (double)now[i] * before10[i];
                ++n10;
            }
        }
    }
    const double var = k * k / (1.0 - (double)d * d), mean = s1 / n;
    cr_expect(fabs(mean) < 0.03, "mean %g", mean);
    cr_expect(fabs(s2 / n / var - 1.0) < 0.04, "variance %g, want %g", s2 / n, var);
    cr_expect(fabs(lag1 / n / var - 0.95) < 0.02, "lag 1 %g, want 0.95", lag1 / n / var);
    cr_expect(fabs(lag10 / n10 / var - pow(0.95, 10)) < 0.03, "lag 10 %g, want %g",
              lag10 / n10 / var, pow(0.95, 10));
    bank_destroy(b);
}
