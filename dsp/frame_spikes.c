/* frame_spikes.c — where the spikes of a model step go: the block's spike
 * list, the CV gate, the spike voices and MIDI notes. */
#include "engine_state.h"

/* MIDI out at the model's time: the note offs due at this frame, first, so
 * a retrigger at this frame follows them (aligned: frame_align.c). */
void
engine_release_notes(engine *e, engine_io *io, const engine_frame *fr)
{
    if (!io->aligned)
        engine_release_due(e, io, fr->f, fr->now);
}

/* The count spikes of model step s of the frame (bank.spiked). */
void
engine_route_spikes(engine *e, engine_io *io, const engine_frame *fr, uint32_t s,
                    uint32_t count)
{
    engine_route_spike_list(e, io, fr, s, e->bank->spiked, e->bank->spiked_frac, count);
}

void
engine_route_spike_list(engine *e, engine_io *io, const engine_frame *fr, uint32_t s,
                        const uint32_t *spiked, const float *spiked_frac, uint32_t count)
{
    const uint32_t n_sub = fr->n_sub;
    const uint64_t now = fr->now;
    /* more spikes than voices: voice an even sample across the bank */
    const uint32_t stride = (count + VOICES_MAX - 1u) / VOICES_MAX;
    const uint32_t pick = stride > 1 ? (uint32_t)((now * n_sub + s) % stride) : 0;
    if (!e->defer_voices) /* else the queue prefetches them when it runs */
        for (uint32_t k = pick; k < count; k += stride > 1 ? stride : 1)
            voices_prefetch(e->vo, spiked[k]);
    for (uint32_t k = 0; k < count; ++k) {
        uint32_t who = spiked[k];
        /* the same fraction the engine tests expect, never reaching 1 */
        float at = fminf(((float)s + spiked_frac[k]) / (float)n_sub, 0.99999994f);
        if (who == fr->focus)
            e->gate_left = e->gate_frames;
        engine_list_spike(e, io, fr, who, at); /* and its MIDI note */
        engine_tempo_spike(e, fr, who, at);
        /* the voice sounds where the band-limited membrane shows the spike */
        if (stride <= 1 || k % stride == pick)
            engine_voice_strike_neuron(e, who, (double)now + at + (BANDLIMIT_DELAY - 1u));
    }
}
