/* frame_tempo.c — the tempo lock's stage (tempo_lock.h): the host's beat
 * grid in, the tracked spikes to the loop, the time scale out into the
 * bank's step (engine_configure multiplies the speed by it). */
#include "engine_state.h"

/* The grid the host set since the last block. The host's position is that
 * of the audio it is about to receive; with aligned outputs the model runs
 * engine_sound_latency() frames ahead of its sound, so its grid does too. */
void
engine_tempo_begin(engine *e, const engine_io *io)
{
    if (!e->transport_pending)
        return;
    e->transport_pending = 0;
    double quarter = e->transport_quarter;
    if (io->aligned)
        quarter += (double)engine_sound_latency(e) * e->transport_bpm / 60.0 * e->transport_speed /
                   e->sample_rate;
    tempo_lock_set_grid(&e->tempo, quarter, e->transport_bpm, e->transport_speed);
}

void
engine_tempo_spike(engine *e, const engine_frame *fr, uint32_t who, float at)
{
    if (e->tempo.on && (e->tempo_population || who == fr->focus))
        tempo_lock_spike(&e->tempo, at);
}

void
engine_tempo_frame(engine *e, const engine_frame *fr)
{
    /* the model's time moves only while the bank steps (not while a
     * settled start pre-rolls) */
    if (tempo_lock_frame(&e->tempo, fr->now, fr->n_sub > 0))
        engine_configure(e);
}

void
engine_set_transport(engine *e, double quarter, double bpm, double speed)
{
    e->transport_quarter = quarter;
    e->transport_bpm = bpm;
    e->transport_speed = speed;
    e->transport_pending = 1;
}

double
engine_time_scale(const engine *e)
{
    return e->tempo.scale;
}
