/* beat_grid.c — JACK's transport to the engine's beat grid (tempo_sync).
 *
 * JACK keeps bar, beat and tick (BBT) when a timebase master (a DAW, or
 * `jack_transport`'s `master`) provides them; a transport without BBT has
 * no tempo, and the grid keeps what it had. BBT counts from bar 1, beat 1,
 * beats of beat_type (4: quarter notes); the engine counts quarter notes
 * from 0. jack_transport_query is real-time safe (jack/transport.h). */
#include "beat_grid.h"

/* A master's BBT may advance at another pace than the tempo it states:
 * jack_transport adds a whole number of ticks each period (at 120 BPM, 48
 * kHz and 256 frames, 20 ticks of 1920 for 20.48: its beats are 2.4 %
 * longer). The grid is the BBT, so its tempo is the pace measured between
 * two rolling periods, when the stated tempo held and the position moved
 * within 10 % of what it states (else a locate or a tempo change: the
 * stated one). */
static double
bbt_pace_bpm(const jack_beat_grid *g, jack_nframes_t frame, double beats, double stated,
             double rate)
{
    if (!g->have || g->stated_bpm != stated || !(rate > 0.0))
        return stated;
    const jack_nframes_t frames = frame - g->frame; /* wraps safely */
    if (frames == 0 || frames > (jack_nframes_t)rate)
        return stated;
    const double bpm = (beats - g->beats) / (double)frames * rate * 60.0;
    return bpm > 0.9 * stated && bpm < 1.1 * stated ? bpm : stated;
}

void
jack_transport_to_engine(jack_client_t *client, engine *e, jack_beat_grid *g,
                         double sample_rate)
{
    jack_position_t pos;
    jack_transport_state_t state = jack_transport_query(client, &pos);
    if (!(pos.valid & JackPositionBBT) || !(pos.beat_type > 0.0f) ||
        !(pos.beats_per_minute > 0.0) || !(pos.ticks_per_beat > 0.0)) {
        g->have = false;
        return;
    }
    const double quarters_per_beat = 4.0 / (double)pos.beat_type;
    const double beats = (double)(pos.bar - 1) * (double)pos.beats_per_bar +
                         (double)(pos.beat - 1) + (double)pos.tick / pos.ticks_per_beat;
    const bool rolling = state == JackTransportRolling;
    const double bpm = rolling ? bbt_pace_bpm(g, pos.frame, beats, pos.beats_per_minute,
                                              sample_rate)
                               : pos.beats_per_minute;
    *g = (jack_beat_grid){rolling, pos.frame, beats, pos.beats_per_minute};
    engine_set_transport(e, beats * quarters_per_beat, bpm * quarters_per_beat,
                         rolling ? 1.0 : 0.0);
}
