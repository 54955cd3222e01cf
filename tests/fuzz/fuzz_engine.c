/* fuzz_engine.c — libFuzzer harness for the engine (dsp/engine.h).
 *
 * An input is a program: a sample rate, then operations drawn from its
 * bytes — set a parameter to a hostile value (NaN, +-inf, denormals, out of
 * range, out-of-table ids), send a MIDI byte string of any length, process
 * a block of 1..8192 frames with hostile stimulus/CV audio and random
 * output capacities, reset, set every parameter at once, query the display
 * views. After each block it asserts the engine contract (engine.h): every
 * output finite, audio within [-1, 1], spike and MIDI lists within their
 * capacity and their block. After the program the input turns sane (every
 * parameter back to its default through engine_set_param, except a drive
 * of 20 uA/cm2: see RECOVERY_DRIVE; MIDI System Reset; silence) and the
 * bank must fire again between 40 and 400 ms later, with finite, bounded
 * output: whatever the input did, the engine recovers.
 *
 * Cost is bounded per input (neuron-steps), so a slow corner (4096 neurons
 * at speed 200) is visited briefly rather than timing out.
 */
#include "engine.h"
#include "fuzz_input.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_BLOCK 8192u
#define STEP_BUDGET 400000.0 /* neuron-steps per input, estimated */
#define RECOVERY_MS 400.0 /* the default bank spikes every ~15 ms */
#define SETTLE_MS 40.0    /* the crossfade back to the default model, and then some */
/* Twice the default drive. At the default (10 uA/cm2, just above HH's
 * subcritical Hopf point) the resting equilibrium is barely unstable: a bank
 * parked there (e.g. by heat block at 50 degC) may rest for seconds, which
 * is the model's physics, not a fault. At 20 uA/cm2 HH fires from any state. */
#define RECOVERY_DRIVE 20.0f
#define RECOVERY_NOISE 0.5f /* uA/cm2 */

static void
fail(const char *what, double rate, uint32_t frame, float value)
{
    fprintf(stderr, "fuzz_engine: %s (rate %.0f, frame %u, value %g)\n", what, rate, frame,
            (double)value);
    abort();
}

static double
steps_per_frame(const engine *e, double rate)
{
    double n = engine_get_param(e, P_NEURONS);
    double active = engine_active_neurons(e);
    return fuzz_steps_per_frame(n > active ? n : active, engine_get_param(e, P_SPEED), rate);
}

typedef struct {
    float stim[MAX_BLOCK], cv[MAX_BLOCK];
    float l[MAX_BLOCK], r[MAX_BLOCK], focus[MAX_BLOCK], dend[MAX_BLOCK], gate[MAX_BLOCK],
        rate[MAX_BLOCK], trace[MAX_BLOCK];
    engine_spike spikes[2048];
    engine_midi_event midi[1024];
} buffers;

static void
check_block(const engine_io *io, uint32_t n, double rate, uint32_t spike_cap, uint32_t midi_cap,
            uint32_t bank_n)
{
    for (uint32_t i = 0; i < n; ++i) {
        if (!isfinite(io->out_left[i]) || fabsf(io->out_left[i]) > 1.0f)
            fail("left audio not finite or beyond +-1", rate, i, io->out_left[i]);
        if (!isfinite(io->out_right[i]) || fabsf(io->out_right[i]) > 1.0f)
            fail("right audio not finite or beyond +-1", rate, i, io->out_right[i]);
        const float *cvs[] = {io->cv_focus_v, io->cv_dend_v, io->cv_gate, io->cv_rate,
                              io->trace_soma};
        for (int k = 0; k < 5; ++k)
            if (cvs[k] && !isfinite(cvs[k][i]))
                fail("CV/trace output not finite", rate, i, cvs[k][i]);
    }
    /* what displays read of the block: the rows they show (the bank's
     * neurons, or the units of a recording heard instead), and the focus,
     * a neuron of the bank whatever is heard (engine.h, engine_display) */
    const engine_display *d = &io->display;
    if (d->neurons < 1 || d->neurons > ENGINE_MAX_NEURONS)
        fail("display: rows out of range", rate, d->focus, (float)d->neurons);
    if (d->focus >= bank_n)
        fail("display: focus outside the bank", rate, d->focus, (float)bank_n);
    if (!isfinite(d->focus_slow))
        fail("display: focus slow variable not finite", rate, d->focus, d->focus_slow);
    if (io->n_spikes > spike_cap)
        fail("more spikes than the list holds", rate, io->n_spikes, (float)spike_cap);
    for (uint32_t k = 0; k < io->n_spikes && io->spikes; ++k) {
        const engine_spike *s = &io->spikes[k];
        if (s->neuron >= ENGINE_MAX_NEURONS || !(s->frame >= 0.0f && s->frame < (float)n) ||
            s->offset >= n || !(s->frac >= 0.0f && s->frac < 1.0f))
            fail("spike outside its block or bank", rate, s->offset, s->frame);
    }
    if (io->n_midi_out > midi_cap)
        fail("more MIDI events than the buffer holds", rate, io->n_midi_out, (float)midi_cap);
    for (uint32_t k = 0; k < io->n_midi_out; ++k)
        if (io->midi_out[k].frame >= n || io->midi_out[k].size == 0 ||
            io->midi_out[k].size > 3 || !(io->midi_out[k].data[0] & 0x80))
            fail("malformed MIDI out event", rate, io->midi_out[k].frame,
                 io->midi_out[k].size);
}

/* One block with every output connected, silence in; returns spikes. */
static uint32_t
sane_block(engine *e, buffers *b, uint32_t n, double rate)
{
    engine_io io = {.out_left = b->l, .out_right = b->r, .cv_focus_v = b->focus,
                    .cv_dend_v = b->dend, .cv_gate = b->gate, .cv_rate = b->rate,
                    .trace_soma = b->trace, .spikes = b->spikes, .spike_capacity = 2048,
                    .midi_out = b->midi, .midi_capacity = 1024};
    engine_process(e, &io, n);
    check_block(&io, n, rate, 2048, 1024, engine_active_neurons(e));
    return io.n_spikes + io.spikes_lost;
}

static void
fuzz_process(engine *e, buffers *b, fuzz_input *in, double rate, double *budget)
{
    uint32_t n = fuzz_block(in);
    double per_frame = steps_per_frame(e, rate);
    if (n * per_frame > *budget)
        n = (uint32_t)(*budget / per_frame);
    if (n == 0) {
        *budget = 0;
        return;
    }
    *budget -= n * per_frame;

    uint8_t wiring = fuzz_u8(in);
    if (wiring & 1)
        fuzz_audio(in, b->stim, n);
    if (wiring & 2)
        fuzz_audio(in, b->cv, n);
    uint32_t spike_cap = fuzz_u8(in) % 9u == 0 ? 0 : 1u + fuzz_u16(in) % 2048u;
    uint32_t midi_cap = fuzz_u8(in) % 5u == 0 ? 0 : 1u + fuzz_u16(in) % 1024u;
    engine_io io = {
        .stimulus = wiring & 1 ? b->stim : NULL,
        .cv_in = wiring & 2 ? b->cv : NULL,
        .out_left = b->l,
        .out_right = b->r,
        .cv_focus_v = wiring & 4 ? b->focus : NULL,
        .cv_dend_v = wiring & 8 ? b->dend : NULL,
        .cv_gate = wiring & 16 ? b->gate : NULL,
        .cv_rate = wiring & 32 ? b->rate : NULL,
        .trace_soma = wiring & 64 ? b->trace : NULL,
        .spikes = wiring & 128 ? b->spikes : NULL,
        .spike_capacity = spike_cap,
        .midi_out = midi_cap ? b->midi : NULL,
        .midi_capacity = midi_cap,
    };
    engine_process(e, &io, n);
    check_block(&io, n, rate, io.spikes ? spike_cap : 0, midi_cap, engine_active_neurons(e));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static buffers *b;
    if (!b)
        b = calloc(1, sizeof *b);
    fuzz_input in = {data, size, 0};
    double rate = fuzz_rate(&in);
    engine *e = engine_create(rate);
    if (!e)
        fail("engine_create failed", rate, 0, 0);

    double budget = STEP_BUDGET;
    while (fuzz_more(&in) && budget > 0) {
        switch (fuzz_u8(&in) % 8) {
        case 0:
        case 1: { /* mostly real ids, sometimes beyond the table */
            uint8_t r = fuzz_u8(&in);
            param_id id = (param_id)(r < 250 ? r % PARAM_COUNT : PARAM_COUNT + r);
            float v = id < PARAM_COUNT ? fuzz_param_value(&in, id)
                                       : fuzz_hostile_float(&in, 0, 1, 0);
            engine_set_param(e, id, v);
            break;
        }
        case 2: { /* any bytes, any length, including 0 */
            uint8_t msg[16];
            uint32_t len = fuzz_u8(&in) % 17u;
            fuzz_bytes(&in, msg, len);
            engine_midi(e, msg, len);
            break;
        }
        case 3:
        case 4:
        case 5: fuzz_process(e, b, &in, rate, &budget); break;
        case 6:
            if (fuzz_u8(&in) & 1) {
                engine_reset(e);
            } else {
                float values[PARAM_COUNT];
                for (int p = 0; p < PARAM_COUNT; ++p)
                    values[p] = fuzz_param_value(&in, (param_id)p);
                engine_set_all_params(e, values);
            }
            break;
        default: { /* display views must be safe to call any time */
            uint32_t i = fuzz_u16(&in);
            (void)engine_neuron_is_inhibitory(e, i);
            (void)engine_neuron_note(e, i);
            engine_stats st;
            engine_get_stats(e, &st);
            if (engine_active_neurons(e) < 1 || engine_active_neurons(e) > ENGINE_MAX_NEURONS)
                fail("active neurons outside 1..4096", rate, 0,
                     (float)engine_active_neurons(e));
            for (int p = 0; p < PARAM_COUNT; ++p) {
                float v = engine_get_param(e, (param_id)p);
                if (!(v >= param_table[p].min && v <= param_table[p].max))
                    fail("a stored parameter is outside its range", rate, (uint32_t)p, v);
            }
            break;
        }
        }
    }

    /* The input turns sane: defaults through the live path, notes and
     * controllers released, silence. The bank must fire again. */
    for (int p = 0; p < PARAM_COUNT; ++p)
        engine_set_param(e, (param_id)p, param_table[p].def);
    engine_set_param(e, P_DRIVE_MODE, DRIVE_ABSOLUTE); /* the recovery currents in uA/cm2 */
    engine_set_param(e, P_DRIVE, RECOVERY_DRIVE);
    /* A whisper of noise: heat block at 50 degC with drive 20 parks HH on the
     * voltage where, at 6.3 degC, its only equilibrium sits (equilibria do
     * not depend on temperature). That equilibrium is unstable, but a
     * noiseless deterministic step keeps an exact fixed point forever
     * (corpus/engine/heat-block-equilibrium); any noise, as in a real cell,
     * sets it firing. */
    engine_set_param(e, P_NOISE, RECOVERY_NOISE);
    static const uint8_t system_reset[1] = {0xFF};
    engine_midi(e, system_reset, 1);
    const uint32_t settle = (uint32_t)(SETTLE_MS * 1e-3 * rate);
    const uint32_t frames = (uint32_t)(RECOVERY_MS * 1e-3 * rate);
    const uint32_t chunk = (uint32_t)(rate / 1000.0); /* 1 ms */
    uint32_t done = 0, spikes_late = 0;
    while (done < frames && !spikes_late) {
        uint32_t s = sane_block(e, b, chunk, rate);
        if (done >= settle)
            spikes_late += s;
        done += chunk;
    }
    if (spikes_late == 0)
        fail("the bank stays silent after the input turned sane", rate, done, 0);
    engine_destroy(e);
    return 0;
}
