/* frame_recorded.c — recorded neurons: spikes of a recording (a file, a
 * live acquisition) take the place of the bank's, or join them, on the
 * routes a simulated spike takes (the spike list and raster, the CV gate,
 * the spike voices, MIDI notes).
 *
 * The host times each spike ahead of the block that plays it
 * (engine_play_spike); the engine keeps it in a fixed ring and routes it
 * in its frame at its sub-sample fraction, exactly where a simulated spike
 * at that time would go, so a render's own spike list played back sounds
 * at the same samples. With source = recorded, unit u is neuron u and the
 * bank is silent; with both, unit u is neuron (neurons + u), up to
 * ENGINE_MAX_NEURONS in all. */
#include "engine_state.h"

#include "scale.h"

#include <math.h>

bool
engine_play_spike(engine *e, uint32_t unit, double frames_ahead)
{
    if (!(frames_ahead >= 0.0) || e->rec_count == ENGINE_RECORDED_QUEUE)
        return false;
    double whole = floor(frames_ahead);
    recorded_spike s = {.frame = e->stats.frames + (uint64_t)whole,
                        .frac = (float)(frames_ahead - whole),
                        .unit = unit};
    if (s.frac >= 1.0f) /* a fraction that rounds up to 1 in float */
        s.frac = 0.99999994f;
    /* time order: a spike before the last one queued is refused */
    if (e->rec_count) {
        const recorded_spike *last =
            &e->rec[(e->rec_head + e->rec_count - 1u) % ENGINE_RECORDED_QUEUE];
        if (s.frame < last->frame || (s.frame == last->frame && s.frac < last->frac))
            return false;
    }
    e->rec[(e->rec_head + e->rec_count) % ENGINE_RECORDED_QUEUE] = s;
    e->rec_count++;
    return true;
}

uint32_t
engine_recorded_room(const engine *e)
{
    return ENGINE_RECORDED_QUEUE - e->rec_count;
}

void
engine_clear_recorded(engine *e)
{
    e->rec_head = e->rec_count = 0;
}

void
engine_set_recorded_units(engine *e, uint32_t units)
{
    e->rec_units = units < ENGINE_MAX_NEURONS ? units : ENGINE_MAX_NEURONS;
}

/* A recorded unit's place in the stereo field: the units spread over it
 * as the bank's neurons are (engine_params.c, place_neurons). */
static float
recorded_pan(const engine *e, uint32_t unit)
{
    uint32_t n = e->rec_units;
    return n > 1 ? 0.15f + 0.7f * (float)unit / (float)(n - 1u) : 0.5f;
}

void
engine_route_recorded(engine *e, engine_io *io, const engine_frame *fr)
{
    const int source = (int)e->cur[P_SOURCE];
    const uint32_t first = engine_recorded_first(e);
    uint32_t routed = 0;
    while (e->rec_count) {
        const recorded_spike *s = &e->rec[e->rec_head];
        if (s->frame > fr->now)
            break;
        recorded_spike sp = *s;
        e->rec_head = (e->rec_head + 1u) % ENGINE_RECORDED_QUEUE;
        e->rec_count--;
        /* late (queued for a frame already played) or not heard: dropped */
        uint32_t who = first + sp.unit;
        if (sp.frame < fr->now || source == SOURCE_SIMULATED || sp.unit >= ENGINE_MAX_NEURONS ||
            who >= ENGINE_MAX_NEURONS)
            continue;
        e->notes[who] = (uint8_t)scale_note((int)e->cur[P_SCALE], (int)e->cur[P_ROOT], (int)who);
        if (who == fr->focus)
            e->gate_left = e->gate_frames;
        engine_list_spike(e, io, fr, who, sp.frac); /* and its MIDI note */
        /* an excitatory neuron's strike */
        voice_sound vs = engine_spike_sound(e, 0, e->notes[who], recorded_pan(e, sp.unit));
        if (vs.amp != 0.0f)
            engine_voice_strike(e, who, (double)fr->now + sp.frac + (BANDLIMIT_DELAY - 1u), &vs);
        routed++;
    }
    e->stats.spikes += routed;
    /* the rate CV counts the recording's units alone when the bank is silent */
    if (source == SOURCE_RECORDED && routed)
        e->rate_hz += (1.0f - e->rate_coef) * (float)routed * (float)e->sample_rate /
                      (float)(e->rec_units ? e->rec_units : 1u);
}
