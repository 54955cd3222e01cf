/* jack_osc.h — OSC for `hillock jack`: --osc (spikes out through a sender
 * thread) and --osc-in (spikes in from a receiver thread), wired to the
 * process callback's queues in jack_rt. */
#ifndef HILLOCK_JACK_OSC_H
#define HILLOCK_JACK_OSC_H

#include "jack_options.h"
#include "jack_rt.h"
#include "osc_out.h"

typedef struct {
    osc_out *out;
    struct osc_receiver *in;
    spike_queue in_q;
    bool in_q_ok;
} jack_osc;

/* Before jack_activate: opens what the options ask for and hands the
 * queues to s. Returns EXIT_OK, or an exit status after a message. */
int jack_osc_open(jack_osc *j, const jack_options *o, jack_rt *s, jack_client_t *client);
/* After the process callback stopped: stops the threads, says what was
 * lost (always) and, unless quiet, what was sent and played. */
void jack_osc_close(jack_osc *j, jack_rt *s, bool quiet);

#endif
