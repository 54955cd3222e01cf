/* The Song-Abbott result (Song, Miller & Abbott 2000, "Competitive Hebbian
 * learning through spike-timing-dependent synaptic plasticity", Nat
 * Neurosci 3:919, Fig. 2): additive pair STDP with hard bounds, depression
 * slightly stronger than potentiation (A- = 1.05 A+, tau 20 ms), on many
 * independent Poisson inputs to one integrate-and-fire neuron, drives the
 * weights apart: they end piled up at the two bounds, a bimodal
 * distribution, whatever their uniform start.
 *
 * The setup is Brian2's version of the experiment (its example
 * synapses/STDP.py): 1000 inputs at 15 Hz, a conductance-based LIF
 * (tau_m 10 ms, E_L -74 mV, threshold -54 mV, reset -60 mV, E_e 0 mV,
 * tau_e 5 ms, g_max 0.01), Euler at 0.1 ms, weights uniform in [0, w_max]
 * at the start. The learning rate is 4 times the paper's (plasticity 4) so
 * that 40 s of model time suffice. The inputs' spikes and the neuron's go
 * through Hillock's stored synapses (synapses_step: delivery, then STDP in
 * time order, stdp.c); the neuron is the paper's, written here.
 *
 * Criterion (bimodal, modes at both bounds): of ten equal bins over
 * [0, w_max], which held 10 % each at the start, the two at the bounds end
 * as the two largest, each with at least 13 %. Reference: Brian2 2.5.1 on
 * the same setup (scripts/stdp_reference.py song: its own random draws,
 * seed 1): 0.175 of the weights below 0.1 w_max, 0.162 above 0.9 w_max,
 * mean 0.475 w_max (seed 2: 0.195, 0.156, 0.475). Hillock's are expected
 * within 0.05 of each. At this
 * learning rate the distribution is U-shaped rather than split in two: a
 * higher rate adds more noise per step than drift, a lower one takes longer
 * than a test may (Hillock at plasticity 2 for 200 s: 0.263 and 0.211). */
#define BRIAN2_LOW 0.175
#define BRIAN2_HIGH 0.162
#define BRIAN2_MEAN 0.475

#include "synapses.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { N_IN = 1000 };

/* A table of N_IN synapses, input i -> neuron N_IN: the fan-in of the
 * experiment, which the network's seeded graph does not draw. */
static synapse_table *
fan_in(void)
{
    synapse_table *t = calloc(1, sizeof *t);
    const uint32_t n = N_IN + 1, c = N_IN;
    t->n = n;
    t->count = c;
    t->ev_capacity = c * SYNAPSES_EVENTS_PER_SYNAPSE;
    t->row = malloc((n + 1) * sizeof(uint32_t));
    t->in_row = malloc((n + 1) * sizeof(uint32_t));
    t->post = malloc(c * sizeof(uint32_t));
    t->in_syn = malloc(c * sizeof(uint32_t));
    t->in_pre = malloc(c * sizeof(uint32_t));
    t->weight = calloc(c, sizeof(synapse_weight));
    t->dist_mm = calloc(c, sizeof(float));
    float **traces[] = {&t->r1, &t->r2, &t->o1, &t->o2, &t->r1_frame, &t->o1_frame};
    for (int k = 0; k < 6; ++k)
        *traces[k] = malloc(n * sizeof(float));
    t->t_pre = malloc(n * sizeof(double));
    t->t_post = malloc(n * sizeof(double));
    t->order = malloc(n * sizeof(uint32_t));
    t->trace_scratch = malloc(n * sizeof(float));
    t->syn_scratch = malloc(n * sizeof(uint32_t));
    t->chunks = t->ev_capacity; /* room for every event in a chunk of its own */
    t->slot_chunk = malloc(SYNAPSES_SLOTS * sizeof(uint32_t));
    t->chunk_next = malloc(t->chunks * sizeof(uint32_t));
    t->chunk_fill = malloc(t->chunks);
    t->ev = malloc((size_t)t->chunks * SYNAPSES_CHUNK * sizeof(synapse_event));
    cr_assert(t->row && t->in_row && t->post && t->in_syn && t->in_pre && t->weight && t->dist_mm &&
              t->r1 && t->r2 && t->o1 && t->o2 && t->r1_frame && t->o1_frame &&
              t->t_pre && t->t_post &&
              t->order && t->trace_scratch && t->syn_scratch && t->slot_chunk && t->chunk_next &&
              t->chunk_fill && t->ev);
    for (uint32_t j = 0; j <= n; ++j)
        t->row[j] = j < N_IN ? j : N_IN;
    for (uint32_t s = 0; s < c; ++s) {
        t->post[s] = N_IN;
        t->in_syn[s] = s;
        t->in_pre[s] = s;
    }
    for (uint32_t i = 0; i <= n; ++i)
        t->in_row[i] = i <= N_IN ? 0 : N_IN;
    synapses_clear_activity(t);
    return t;
}

/* xorshift64*: the test's own random numbers */
static uint64_t rng_state = 0x2545F4914F6CDD1Dull;

static double
uniform(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (double)((rng_state * 0x2545F4914F6CDD1Dull) >> 11) * 0x1.0p-53;
}

/* Poisson-distributed count of mean m (Knuth's product of uniforms) */
static uint32_t
poisson(double m)
{
    const double limit = exp(-m);
    uint32_t k = 0;
    for (double prod = uniform(); prod > limit; prod *= uniform())
        ++k;
    return k;
}

Test(song_abbott, additive_stdp_on_poisson_inputs_makes_the_weights_bimodal)
{
    const double dt = 0.1, seconds = 40.0, rate_hz = 15.0;
    const double taum = 10.0, El = -74.0, vt = -54.0, vr = -60.0, Ee = 0.0, taue = 5.0;
    synapse_table *t = fan_in();
    for (uint32_t s = 0; s < N_IN; ++s)
        t->weight[s].w = (float)uniform();
    network_params np = {.p = 1.0f, .w_exc = 0.01f, .w_inh = 0.0f};
    synapse_params sp = {.rate = 4.0f, .rule = STDP_PAIR_ADDITIVE, .w_max = 1.0f,
                         .dt_ms = (float)dt, .tau_exc_ms = (float)taue, .tau_inh_ms = 10.0f};
    static uint8_t inhibitory[N_IN + 1], branch[N_IN + 1];
    static float g0[N_IN + 1], g1[N_IN + 1], g2[N_IN + 1];
    float *g[3] = {g0, g1, g2};
    static uint32_t spiked[N_IN + 1];
    static float frac[N_IN + 1];
    double v = vr, ge = 0.0;
    uint64_t post_spikes = 0;
    const uint64_t steps = (uint64_t)(seconds * 1000.0 / dt);
    const double mean_inputs = N_IN * rate_hz * dt * 1e-3;
    for (uint64_t k = 0; k < steps; ++k) {
        /* the neuron (Euler, as Brian2's method="euler") */
        const double dv = (ge * (Ee - v) + El - v) / taum;
        ge -= dt * ge / taue;
        v += dt * dv;
        uint32_t count = 0;
        /* N independent Poisson trains are one train of N times the rate
         * whose spikes fall on inputs drawn uniformly */
        for (uint32_t q = poisson(mean_inputs); q > 0; --q)
            spiked[count++] = (uint32_t)(uniform() * N_IN) % N_IN;
        /* an input twice in one step spikes once (its train's next spike
         * is at least a step later) */
        for (uint32_t a = 0; a < count; ++a)
            for (uint32_t b = a + 1; b < count; ++b)
                if (spiked[b] == spiked[a])
                    spiked[b--] = spiked[--count];
        if (v > vt) {
            v = vr;
            spiked[count++] = N_IN;
            post_spikes++;
        }
        for (uint32_t a = 0; a < count; ++a)
            frac[a] = 0.0f; /* on the step's grid, as Brian2's spikes are */
        g0[N_IN] = 0.0f;
        synapses_step(t, &sp, &np, spiked, frac, count, inhibitory, branch, g);
        ge += g0[N_IN];
    }
    int bins[10] = {0};
    double mean = 0.0;
    for (uint32_t s = 0; s < N_IN; ++s) {
        bins[t->weight[s].w >= 1.0f ? 9 : (int)(t->weight[s].w * 10.0f)]++;
        mean += t->weight[s].w / N_IN;
    }
    const double f_low = (double)bins[0] / N_IN, f_high = (double)bins[9] / N_IN;
    cr_log_info("Song-Abbott: %.3f of the weights < 0.1 w_max, %.3f > 0.9 w_max, mean %.3f, "
                "output %.1f Hz", f_low, f_high, mean, (double)post_spikes / seconds);
    for (int b = 1; b < 9; ++b)
        cr_expect(bins[b] < bins[0] && bins[b] < bins[9],
                  "bin %d (%d) is not below both ends (%d, %d): not bimodal", b, bins[b],
                  bins[0], bins[9]);
    cr_expect_geq(f_low, 0.13, "no mode at 0: %.3f", f_low);
    cr_expect_geq(f_high, 0.13, "no mode at w_max: %.3f", f_high);
    cr_expect(fabs(f_low - BRIAN2_LOW) < 0.05, "below 0.1 w_max: %.3f, Brian2 %.3f", f_low,
              BRIAN2_LOW);
    cr_expect(fabs(f_high - BRIAN2_HIGH) < 0.05, "above 0.9 w_max: %.3f, Brian2 %.3f", f_high,
              BRIAN2_HIGH);
    cr_expect(fabs(mean - BRIAN2_MEAN) < 0.05, "mean %.3f w_max, Brian2 %.3f", mean,
              BRIAN2_MEAN);
    synapses_free(t);
}
