/* beat_grid.h — JACK's transport position and tempo (BBT) to the engine's
 * beat grid, once per period from the process callback. */
#ifndef HILLOCK_JACK_BEAT_GRID_H
#define HILLOCK_JACK_BEAT_GRID_H

#include "engine.h"

#include "jack_api.h"
#include <stdbool.h>

/* The last period's position, to measure the pace the BBT advances at. */
typedef struct {
    bool have;
    jack_nframes_t frame;   /* the transport's frame */
    double beats;           /* its BBT position in beats */
    double stated_bpm;      /* the tempo the master stated then */
} jack_beat_grid;

void jack_transport_to_engine(jack_client_t *client, engine *e, jack_beat_grid *g,
                              double sample_rate);

#endif
