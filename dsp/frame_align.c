/* frame_align.c — the outputs beside the audio: the spike list, MIDI notes
 * and CV values, at the model's time or, with io->aligned, through the
 * aligner (align.h) as late as the audio. */
#include "engine_state.h"

#include "rng.h"

/* Into the block's spike list; a full list keeps an even sample of the
 * block (reservoir sampling). */
static void
list_spike(engine_io *io, engine_spike sp, uint64_t now)
{
    if (io->n_spikes < io->spike_capacity) {
        io->spikes[io->n_spikes++] = sp;
    } else {
        uint64_t seen = (uint64_t)io->n_spikes + io->spikes_lost + 1u;
        int64_t slot = rng_reservoir_slot(seen, io->spike_capacity, (uint32_t)now);
        if (slot >= 0)
            io->spikes[slot] = sp;
        io->spikes_lost++;
    }
}

/* A spike's MIDI note at frame f of the block (absolute frame now). */
void
engine_note_spike(engine *e, engine_io *io, uint32_t f, uint64_t now, uint32_t who)
{
    if (io->midi_out)
        midi_out_spike(&e->mout, engine_is_recorded(e, who) ? 0 : e->bank->inhibitory[who],
                       e->notes[who],
                       (uint8_t)e->cur[P_VELOCITY], now + e->note_frames, f, io->midi_out,
                       io->midi_capacity, &io->n_midi_out);
}

/* The note offs due at absolute frame now, first, so a retrigger at this
 * frame follows them. */
void
engine_release_due(engine *e, engine_io *io, uint32_t f, uint64_t now)
{
    if (!io->midi_out)
        return;
    if (e->midi_all_off) {
        midi_out_release_all(&e->mout, f, io->midi_out, io->midi_capacity, &io->n_midi_out);
        e->midi_all_off = 0;
    }
    midi_out_release_due(&e->mout, now, f, io->midi_out, io->midi_capacity, &io->n_midi_out);
}

void
engine_list_spike(engine *e, engine_io *io, const engine_frame *fr, uint32_t who, float at)
{
    if (io->aligned) {
        if (io->spikes || io->midi_out)
            e->align_lost += (uint32_t)!align_push_spike(e->al, fr->now, at, who);
        return;
    }
    if (io->spikes)
        list_spike(io, (engine_spike){who, (float)fr->f + at, fr->f, at}, fr->now);
    engine_note_spike(e, io, fr->f, fr->now, who);
}

/* io->aligned: this frame's CV values into the aligner, and what is due now
 * (from engine_latency() frames ago) out: values, spikes and their notes,
 * whose note offs count in output frames. */
void
engine_align_frame(engine *e, engine_io *io, const engine_frame *fr, float cv[ALIGN_VALUES])
{
    if (!io->aligned)
        return;
    align *al = e->al;
    const uint32_t f = fr->f;
    const uint64_t now = fr->now;
    align_values(al, now, cv, cv);
    engine_release_due(e, io, f, now);
    float frac;
    uint32_t who;
    while (align_pop_spike(al, now, &frac, &who)) {
        if (io->spikes)
            list_spike(io, (engine_spike){who, (float)f + frac, f, frac}, now);
        if (who < engine_units_heard(e))
            engine_note_spike(e, io, f, now, who);
    }
    io->spikes_lost += e->align_lost;
    e->align_lost = 0;
}
