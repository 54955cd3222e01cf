/* A bank keeps its step inputs while nothing they are made of changes
 * (dsp/bank_input_cache.c), and a noisy two-compartment bank its
 * dendrite's, which the noise does not reach. Keeping them must give the same bits as
 * assembling them every step: here one bank is told before every step that
 * its inputs changed (so it never keeps them) and another is not, through a
 * script that changes each ingredient in turn; their states must stay
 * bit-identical. */
#include "bank.h"
#include "engine_state.h"
#include "ftz.h"
#include "params.h"

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#define N 96u

static bank_config
config_for(int model)
{
    bank_config c = {0};
    c.model = model_get(model);
    c.mp = (model_params){.dt_ms = 1.0f / 48.0f, .phi = 1.0f, .threshold = -20.0f,
                          .pr_gc = 2.1f, .pr_p = 0.5f, .izh_a = 0.02f, .izh_b = 0.2f,
                          .izh_c = -65.0f, .izh_d = 8.0f, .hr_r = 0.006f};
    c.dp.to_mV_a = c.model->to_mV_a;
    c.dp.to_mV_b = c.model->to_mV_b;
    c.drive = c.model == model_get(MODEL_HINDMARSH_ROSE) ? 2.0f : 10.0f;
    c.exc_decay = 0.99f;
    c.inh_decay = 0.98f;
    c.np = (network_params){.seed = 7, .p = 0.0f, .w_exc = 0.05f, .w_inh = 0.1f};
    return c;
}

/* What changes at step k of the script (the same for both banks). */
static void
script(bank *b, bank_config *c, uint32_t k, float *ext_all)
{
    *ext_all = k >= 300 && k < 400 ? 1.5f : 0.0f;  /* a stimulus burst */
    if (k == 100)
        c->drive *= 1.2f;                           /* drive moves */
    if (k == 200)
        bank_set_spread(b, 0.3f);                   /* spread moves */
    if (k == 500)
        c->np.p = 0.2f;                             /* synapses on ... */
    if (k == 1500)
        c->np.p = 0.0f;                             /* ... and off: g decays to 0 */
    if (k == 1200) {                                /* a per-neuron stimulus */
        for (uint32_t i = 0; i < N; ++i)
            b->ext[i] = 0.01f * (float)i;
        bank_ext_changed(b);
    }
    if (k == 1300) {
        memset(b->ext, 0, N * sizeof(float));
        bank_inputs_changed(b);                     /* (as a reset would) */
    }
    if (k == 2000)
        c->dp.tonic_a = 0.01f;                      /* a tonic dendritic input */
    if (k == 2500)
        b->n = N - 16;                              /* fewer neurons ... */
    if (k == 2700) {
        b->n = N;                                   /* ... and back */
        bank_init_neurons(b, c, N - 16, N);
    }
}

/* one_branch: both branches' excitation in one array, as the engine runs
 * every bank without nonlinear dendritic subunits (engine_params.c). A
 * third bank is then told before every step that its stimulus alone
 * changed, as the cochlea tells the engine's bank every frame. */
static void
run_bank(int model, float noise_sigma, int one_branch)
{
    bank *fresh = bank_create(N), *kept = bank_create(N), *told = bank_create(N);
    cr_assert(fresh && kept && told);
    bank_config cf = config_for(model), ck = config_for(model), ct = config_for(model);
    cf.noise_sigma = ck.noise_sigma = ct.noise_sigma = noise_sigma;
    cf.noise_decay = ck.noise_decay = ct.noise_decay = 0.99f;
    /* sigma sqrt(1 - 0.99^2) */
    cf.noise_kick = ck.noise_kick = ct.noise_kick = noise_sigma * 0.141067f;
    cf.rc.one_branch = ck.rc.one_branch = ct.rc.one_branch = one_branch;
    fresh->n = kept->n = told->n = N;
    bank_init_neurons(fresh, &cf, 0, N);
    bank_init_neurons(kept, &ck, 0, N);
    bank_init_neurons(told, &ct, 0, N);
    const model_desc *m = cf.model;
    const char *name = model_info_of(model)->symbol;
    uint32_t spikes = 0, kept_steps = 0;
    /* 60 000 steps (1.25 s at 48 kHz): the conductances of the synapses
     * switched off at step 1500 reach exactly zero within it (FTZ) */
    const uint32_t steps = 60000;
    const uint32_t fp = ftz_enter();
    for (uint32_t k = 0; k < steps; ++k) {
        float ea, eb, et;
        script(fresh, &cf, k, &ea);
        script(kept, &ck, k, &eb);
        script(told, &ct, k, &et);
        bank_inputs_changed(fresh);
        bank_ext_changed(told);
        spikes += bank_step(fresh, &cf, ea, k);
        bank_step(kept, &ck, eb, k);
        bank_step(told, &ct, et, k);
        for (uint32_t v = 0; v < m->n_vars; ++v)
            if (memcmp(fresh->var[v], kept->var[v], N * sizeof(float)) != 0 ||
                memcmp(fresh->var[v], told->var[v], N * sizeof(float)) != 0) {
                ftz_leave(fp);
                cr_assert_fail("%s: variable %u differs at step %u", name, v, k);
                return;
            }
    }
    ftz_leave(fp);
    kept_steps = kept->inputs_kept;
    cr_expect_eq(fresh->inputs_kept, 0, "%s: told of changes every step, yet kept", name);
    cr_expect(spikes > 0, "%s: the script should make spikes", name);
    cr_expect_eq(kept->g_live, 0, "%s: conductances never found back at zero", name);
    /* the point of it: most steps kept their inputs (with noise: a
     * two-compartment bank's dendrite's) */
    if (noise_sigma > 0.0f)
        kept_steps = m->two_compartment ? kept->dend_kept : steps;
    cr_expect(kept_steps > steps / 2, "%s: only %u of %u steps kept their inputs", name,
              kept_steps, steps);
    cr_expect_eq(fresh->dend_kept, 0, "%s: told of changes every step, yet kept", name);
    cr_expect_eq(told->inputs_kept, 0, "%s: told of a new stimulus every step, yet kept", name);
    /* A stimulus written leaves the conductances as they are: the branches
     * are merged (a pass over the whole capacity) once at the start and
     * once after the reset at step 1300, not at every step as a bank told
     * that its conductances may have changed does. */
    if (one_branch) {
        cr_expect_eq(fresh->exc_merges, steps, "%s: merged %u times", name, fresh->exc_merges);
        cr_expect_eq(told->exc_merges, 2, "%s: a new stimulus merged the branches %u times",
                     name, told->exc_merges);
    } else {
        cr_expect_eq(fresh->exc_merges + told->exc_merges, 0, "%s: two branches merged", name);
    }
    bank_destroy(fresh);
    bank_destroy(kept);
    bank_destroy(told);
}

static void
run_model(int model, float noise_sigma)
{
    run_bank(model, noise_sigma, 0);
}

Test(kept_inputs, hh_same_bits_as_assembling_every_step) { run_model(MODEL_HH, 0.0f); }
Test(kept_inputs, pinsky_rinzel_same_bits) { run_model(MODEL_PINSKY_RINZEL, 0.0f); }
Test(kept_inputs, izhikevich_same_bits) { run_model(MODEL_IZHIKEVICH, 0.0f); }
Test(kept_inputs, hindmarsh_rose_same_bits) { run_model(MODEL_HINDMARSH_ROSE, 0.0f); }
Test(kept_inputs, pinsky_rinzel_noisy_keeps_its_dendrite_same_bits)
{
    run_model(MODEL_PINSKY_RINZEL, 0.1f);
}
Test(kept_inputs, hh_noisy_same_bits) { run_model(MODEL_HH, 1.0f); }
Test(kept_inputs, one_branch_hh_same_bits_and_no_merge_at_a_new_stimulus)
{
    run_bank(MODEL_HH, 0.0f, 1);
}
Test(kept_inputs, one_branch_izhikevich_same_bits_and_no_merge_at_a_new_stimulus)
{
    run_bank(MODEL_IZHIKEVICH, 0.0f, 1);
}

/* The engine's bank is told of a new stimulus every frame while the
 * cochlea feeds it, and at every note while MIDI plays it: neither may
 * merge the excitatory branches anew. Each merge is a pass over the whole
 * capacity's conductances (16384 neurons): done every frame, it made the
 * `cochlea` preset render 4 times as slowly (docs/performance-log.md,
 * "A new stimulus merged the synapses' branches"). */
static uint32_t
engine_merges(int routing, int midi)
{
    engine *e = engine_create_offline(48000.0);
    cr_assert(e);
    engine_set_param(e, P_NEURONS, 16.0f);
    engine_set_param(e, P_INPUT_ROUTING, (float)routing);
    enum { BLOCK = 256, BLOCKS = 188 }; /* 1 s */
    static float stim[BLOCK], l[BLOCK], r[BLOCK];
    uint64_t frame = 0;
    const uint32_t before = e->bank->exc_merges;
    for (int k = 0; k < BLOCKS; ++k) {
        for (int i = 0; i < BLOCK; ++i, ++frame)
            stim[i] = 0.5f * sinf(2.0f * 3.14159265f * 440.0f * (float)frame / 48000.0f);
        if (midi && k % 8 == 0) {
            const uint8_t on[3] = {0x90, (uint8_t)(60 + k / 8 % 12), 100};
            engine_midi(e, on, 3);
        }
        engine_io io = {.stimulus = stim, .out_left = l, .out_right = r};
        engine_process(e, &io, BLOCK);
    }
    cr_assert_eq(e->bank->n, 16u);
    cr_assert(e->cfg.rc.one_branch, "a bank without subunits keeps one branch");
    const uint32_t merges = e->bank->exc_merges - before;
    engine_destroy(e);
    return merges;
}

Test(kept_inputs, the_cochlea_and_midi_merge_the_branches_once)
{
    uint32_t cochlea = engine_merges(ROUTING_COCHLEA, 0), midi = engine_merges(ROUTING_ALL, 1);
    /* once: the first step after the settings (the pre-roll's banks are
     * their own); 47688 and 12 before the fix */
    cr_expect_leq(cochlea, 1u, "the cochlea merged the branches %u times in 1 s", cochlea);
    cr_expect_leq(midi, 1u, "note-ons merged the branches %u times in 1 s", midi);
}
