/* bounded.c — see bounded.h. */
#include "bounded.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void
bounded_signal(float *buf, uint32_t n, uint64_t at, float amp)
{
    for (uint32_t i = 0; i < n; ++i) {
        uint64_t k = at + i;
        /* a counter hash: the same samples whatever the block split */
        uint64_t h = (k + 1) * 0x9E3779B97F4A7C15ull;
        h ^= h >> 29;
        h *= 0xBF58476D1CE4E5B9ull;
        h ^= h >> 32;
        float noise = (float)(h >> 40) / 8388608.0f - 1.0f;
        float tone = sinf(2.0f * 3.14159265f * 220.0f * (float)(k % 48000u) / 48000.0f);
        buf[i] = amp * (0.5f * noise + 0.5f * tone);
    }
}

static int
broke(bounded_run *r, const char *what, uint32_t i, double v)
{
    if (!r->failure[0])
        snprintf(r->failure, sizeof r->failure, "%s (block %llu, frame %u, value %g)", what,
                 (unsigned long long)r->blocks, i, v);
    return 0;
}

int
bounded_block(engine *e, bounded_run *r, uint32_t n, const float *stim, const float *cv)
{
    engine_io io = {
        .stimulus = stim,
        .cv_in = cv,
        .out_left = r->l,
        .out_right = r->r,
        .cv_focus_v = r->focus,
        .cv_dend_v = r->dend,
        .cv_gate = r->gate,
        .cv_rate = r->rate,
        .trace_soma = r->trace,
        .spikes = r->spikes,
        .spike_capacity = 4096,
        .midi_out = r->midi,
        .midi_capacity = 1024,
    };
    engine_process(e, &io, n);
    r->blocks++;
    r->spikes_seen += io.n_spikes + io.spikes_lost;
    r->guard_load = io.guard_load;
    r->guard_active = io.guard_active;
    for (uint32_t i = 0; i < n; ++i) {
        float a[2] = {r->l[i], r->r[i]};
        for (int c = 0; c < 2; ++c) {
            if (!isfinite(a[c]) || fabsf(a[c]) > 1.0f)
                return broke(r, "audio not finite or beyond +-1", i, a[c]);
            if (fabsf(a[c]) > r->peak)
                r->peak = fabsf(a[c]);
        }
        float cvs[5] = {r->focus[i], r->dend[i], r->gate[i], r->rate[i], r->trace[i]};
        for (int k = 0; k < 5; ++k)
            if (!isfinite(cvs[k]))
                return broke(r, "CV or trace not finite", i, cvs[k]);
    }
    if (io.n_spikes > 4096 || io.n_midi_out > 1024)
        return broke(r, "a list overran its capacity", io.n_spikes, io.n_midi_out);
    for (uint32_t k = 0; k < io.n_spikes; ++k)
        if (io.spikes[k].offset >= n || io.spikes[k].neuron >= ENGINE_MAX_NEURONS)
            return broke(r, "spike outside its block or bank", io.spikes[k].offset,
                         io.spikes[k].neuron);
    for (uint32_t k = 0; k < io.n_midi_out; ++k)
        if (io.midi_out[k].frame >= n)
            return broke(r, "MIDI event outside its block", io.midi_out[k].frame, 0);
    return 1;
}

int
bounded_frames(engine *e, bounded_run *r, uint64_t frames, uint32_t block, float amp)
{
    uint64_t done = 0;
    while (done < frames) {
        uint32_t n = frames - done < block ? (uint32_t)(frames - done) : block;
        if (amp != 0.0f)
            bounded_signal(r->stim, n, done, amp);
        if (!bounded_block(e, r, n, amp != 0.0f ? r->stim : NULL, NULL))
            return 0;
        done += n;
    }
    return 1;
}

double
grid_corner_rate(unsigned k)
{
    static const double rates[] = {8000, 48000, 384000};
    return rates[k % 3];
}

engine *
grid_corner(unsigned k, float neurons, char *what, size_t what_size)
{
    static const float conns[] = {0.0f, 0.1f, 1.0f}, temps[] = {0.0f, 50.0f};
    const unsigned ti = k / 3 % 2, ci = k / 6 % 3;
    const int model = (int)(k / 18);
    const double rate = grid_corner_rate(k);
    engine *e = engine_create(rate);
    if (!e)
        return NULL;
    float v[PARAM_COUNT];
    param_defaults(v);
    v[P_MODEL] = (float)model;
    v[P_NEURONS] = neurons;
    v[P_SPEED] = param_table[P_SPEED].max;
    v[P_DRIVE] = param_table[P_DRIVE].max;
    v[P_TEMPERATURE] = temps[ti];
    v[P_CONNECTIVITY] = conns[ci];
    v[P_W_EXC] = param_table[P_W_EXC].max;
    v[P_W_INH] = param_table[P_W_INH].max;
    v[P_INHIBITORY_FRACTION] = 0.0f;
    v[P_LISTEN] = 1;
    /* from rest: the bank steps from the first frame (a settled start
     * would spend these few frames in its silent pre-roll) */
    v[P_START] = START_REST;
    engine_set_all_params(e, v);
    snprintf(what, what_size, "model %d, %.0f neurons, connectivity %.1f, %.0f degC, %.0f Hz",
             model, (double)neurons, (double)conns[ci], (double)temps[ti], rate);
    return e;
}
