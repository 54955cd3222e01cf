/* beat_grid.h — JACK's transport position and tempo (BBT) to the engine's
 * beat grid, once per period from the process callback. */
#ifndef HILLOCK_JACK_BEAT_GRID_H
#define HILLOCK_JACK_BEAT_GRID_H

#include "engine.h"

#include <jack/jack.h>

void jack_transport_to_engine(jack_client_t *client, engine *e);

#endif
