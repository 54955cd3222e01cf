/* beat_grid.c — JACK's transport to the engine's beat grid (tempo_sync).
 *
 * JACK keeps bar, beat and tick (BBT) when a timebase master (a DAW, or
 * `jack_transport`'s `master`) provides them; a transport without BBT has
 * no tempo, and the grid keeps what it had. BBT counts from bar 1, beat 1,
 * beats of beat_type (4: quarter notes); the engine counts quarter notes
 * from 0. jack_transport_query is real-time safe (jack/transport.h). */
#include "beat_grid.h"

#include <jack/transport.h>

void
jack_transport_to_engine(jack_client_t *client, engine *e)
{
    jack_position_t pos;
    jack_transport_state_t state = jack_transport_query(client, &pos);
    if (!(pos.valid & JackPositionBBT) || !(pos.beat_type > 0.0f) ||
        !(pos.beats_per_minute > 0.0) || !(pos.ticks_per_beat > 0.0))
        return;
    const double quarters_per_beat = 4.0 / (double)pos.beat_type;
    const double beats = (double)(pos.bar - 1) * (double)pos.beats_per_bar +
                         (double)(pos.beat - 1) + (double)pos.tick / pos.ticks_per_beat;
    engine_set_transport(e, beats * quarters_per_beat, pos.beats_per_minute * quarters_per_beat,
                         state == JackTransportRolling ? 1.0 : 0.0);
}
