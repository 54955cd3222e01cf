/* bank_state.c — the bank's state through state_io (bank_state.h). The
 * scratch of one step (spiked, net_missed, the time-scaled rows) is not
 * state: each step writes it before reading it. */
#include "bank_state.h"

#include "bank_tables.h"

static void
receptors_state(state_io *s, receptors *r, uint32_t span)
{
    float *arrays[RECEPTORS_STATE_ARRAYS];
    const unsigned count = receptors_state_arrays(r, arrays);
    for (unsigned k = 0; k < count; ++k)
        state_f32_finite(s, "receptor kinetics", arrays[k], span);
    state_int(s, "receptors live", &r->live, 1, 0, 1);
    state_u32(s, "receptors quiet steps", &r->quiet, 1);
    /* Loaded, the two branches are as saved (branch 1 all zero if they were
     * kept as one): the next step keeps them as one again where the
     * dendrite sums them, a merge that adds zeros and clears branch 1's
     * conductance, which this engine may have left from before
     * (receptors_set_branches). */
    if (s->mode == STATE_LOAD && !s->failed)
        r->one_branch = 0;
}

static void
tables_state(state_io *s, bank *b, simd_isa isa)
{
    state_f32_finite(s, "model table step", b->table_dt, MODEL_COUNT);
    state_f32_finite(s, "model table temperature factor", b->table_phi, MODEL_COUNT);
    state_f32_finite(s, "model table step seen", b->seen_dt, MODEL_COUNT);
    state_f32_finite(s, "model table temperature factor seen", b->seen_phi, MODEL_COUNT);
    if (s->mode != STATE_LOAD || s->failed)
        return;
    /* the tables as they were: prepared for the dt and phi they held, which
     * during a glide lag the step's (bank_tables.c) */
    for (int k = 0; k < MODEL_COUNT; ++k) {
        const model_desc *m = model_get(k);
        if (!m->table_floats || !(b->table_dt[k] > 0.0f))
            continue;
        model_params mp = {.dt_ms = b->table_dt[k], .phi = b->table_phi[k], .isa = isa};
        bank_tables_fill(b, k);
        m->table_prepare(b->tables[k], &mp);
    }
}

void
bank_state(state_io *s, bank *b, uint32_t span, simd_isa isa)
{
    const uint32_t cap = b->capacity;
    state_u32_max(s, "neurons running", &b->n, 1, span);
    for (int k = 0; k < MODEL_MAX_VARS; ++k)
        state_f32_finite(s, "neuron state", b->var[k], span);
    float *inputs[] = {b->drive_scale, b->ext,    b->noise,  b->g_exc[0], b->g_exc[1],
                       b->g_inh,       b->m_gate, b->branch_v[0], b->branch_v[1],
                       b->soma_i,      b->soma_g, b->soma_ge, b->dend_i,   b->dend_g,
                       b->dend_ge,     b->time_scale};
    for (size_t k = 0; k < sizeof inputs / sizeof inputs[0]; ++k)
        state_f32_finite(s, "neuron inputs", inputs[k], span);
    state_f32(s, "spike fractions", b->spike_frac, span);
    /* the last step's spike list's fractions: scratch like the list. Files
     * saved it as it was (on two threads, whatever each range left there),
     * so two renders of one bank saved different files; written as zeros
     * now, its place kept so that those files still load */
    state_unused_f32(s, "spike fractions", span);
    state_int(s, "time scaled", &b->time_scaled, 1, 0, 1);
    state_u8(s, "neuron types", b->inhibitory, span);
    state_u8(s, "neuron branches", b->branch, span);

    /* the noise: each neuron's key, the second normal of the last pair */
    state_u32(s, "noise keys", b->noise_key, span);
    state_u64(s, "noise key seed", &b->noise_key_seed, 1);
    state_u32_max(s, "noise keys valid", &b->noise_key_n, 1, cap);
    state_f32_finite(s, "noise second normal", b->noise_second, span);
    state_u64(s, "noise pair", &b->noise_pair, 1);
    state_u32_max(s, "noise pair neurons", &b->noise_pair_n, 1, cap);
    state_int(s, "noise pair valid", &b->noise_pair_valid, 1, 0, 1);
    state_int(s, "noise live", &b->noise_live, 1, 0, 1);
    state_u32(s, "noise quiet steps", &b->noise_quiet, 1);

    /* the kept step inputs' key (bank_input_cache.c) */
    state_u32(s, "input generation", &b->input_gen, 1);
    state_int(s, "conductances live", &b->g_live, 1, 0, 1);
    state_u32(s, "quiet steps", &b->quiet_steps, 1);
    if (s->mode == STATE_LOAD)
    {
        b->g_bound = 0.0f; /* the loaded conductances' bound is not known */
        b->exc_one_branch = 0; /* both branches as loaded: the next step merges them */
        b->dend_gen++; /* the loaded dendrite's inputs are assembled anew once */
    }
    state_int(s, "input key valid", &b->inputs_key.valid, 1, 0, 1);
    state_u32(s, "input key", &b->inputs_key.gen, 1);
    state_u32_max(s, "input key", &b->inputs_key.n, 1, cap);
    state_f32(s, "input key", &b->inputs_key.drive, 1);
    state_f32(s, "input key", &b->inputs_key.ext_all, 1);
    state_f32(s, "input key", &b->inputs_key.tonic, 1);
    int model = b->inputs_key.model ? model_index(b->inputs_key.model) : -1;
    state_int(s, "input key model", &model, 1, -1, MODEL_COUNT - 1);
    if (s->mode == STATE_LOAD)
        b->inputs_key.model = model < 0 ? NULL : (const void *)model_get(model);
    state_int(s, "input key mode", &b->inputs_key.mode, 1, -1000, 1000);

    state_u64(s, "synaptic allowance", &b->syn_allow, 1);
    state_u64(s, "synaptic operations", &b->syn_ops, 1);
    receptors_state(s, b->rec, span);

    /* the Poisson background: each neuron's wait and draws so far */
    state_f32(s, "Poisson waits", b->poisson_wait, span);
    state_u32(s, "Poisson draws", b->poisson_count, span);
    state_int(s, "Poisson armed", &b->poisson_armed, 1, 0, 1);

    tables_state(s, b, isa);
}
