/* control.h — live control lines read from stdin by `hillock jack`:
 *
 *   set SYMBOL VALUE     (or set SYMBOL=VALUE) one parameter, glided
 *   preset NAME          every parameter from a preset
 *   spikes FILE          play a recording (jack_spikes.h) from now, in place of
 *                        the one playing
 *   reset                restart the bank, as the plugin's Reset (settled or
 *                        from rest, per `start`)
 *   quit                 stop (also: exit)
 *   help                 list the commands
 *
 * Parsing and preset loading happen on the main thread; the result reaches
 * the process thread as (parameter, value) pairs, a reset as JACK_RT_RESET,
 * through a lock-free queue. */
#ifndef HILLOCK_CONTROL_H
#define HILLOCK_CONTROL_H

#include "jack_rt.h"

#include <stddef.h>

typedef enum { CONTROL_OK, CONTROL_ERROR, CONTROL_QUIT } control_result;

/* Execute one line; values mirrors what was last sent, for messages.
 * On CONTROL_OK or CONTROL_ERROR, msg says what happened. */
control_result control_line(jack_rt *s, const char *line, float values[PARAM_COUNT], char *msg,
                            size_t msg_len);

#endif
