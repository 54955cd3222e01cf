/* The vectorised noise generator (dsp/bank.c, vmath's log, cos, sqrt) still
 * draws standard normals: with decay 0 and kick 1 the noise current is one
 * draw per neuron and step. Reference values: moments of N(0, 1) and
 * P(|z| > 2) = 0.0455, P(|z| > 3) = 0.0027 (any statistics table). */
#include "bank.h"
#include "params.h"

#include <criterion/criterion.h>
#include <math.h>

Test(noise, draws_are_standard_normal_and_independent_of_neighbours)
{
    bank *b = bank_create(1024);
    cr_assert(b);
    b->n = 1000;
    bank_config c = {0};
    c.model = model_get(MODEL_IZHIKEVICH);
    c.mp = (model_params){.dt_ms = 0.02f, .izh_a = 0.02f, .izh_b = 0.2f, .izh_c = -65.0f,
                          .izh_d = 8.0f};
    c.dp.to_mV_a = 1.0f;
    c.np.seed = 7;
    c.noise_sigma = 1.0f;
    c.noise_decay = 0.0f;
    c.noise_kick = 1.0f;
    bank_init_neurons(b, &c, 0, 1024);
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
