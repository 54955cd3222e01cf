/* jack_ports.h — the ports `hillock jack` registers, in one table used for
 * registration, --record-ports names, metadata and docs/manual.md. */
#ifndef HILLOCK_JACK_PORTS_H
#define HILLOCK_JACK_PORTS_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    PORT_STIMULUS, /* audio in */
    PORT_OUT_L,
    PORT_OUT_R,
    PORT_CV_FOCUS_V, /* CV outs: JACK audio ports tagged signal-type = CV */
    PORT_CV_DEND_V,
    PORT_CV_GATE,
    PORT_CV_RATE,
    PORT_AUDIO_COUNT
} audio_port;

typedef struct {
    const char *jack_name;   /* "out_L": the client's port is NAME:out_L */
    const char *record_name; /* short name for --record-ports */
    bool is_input;
    bool is_cv;
    const char *pretty;      /* JACK_METADATA_PRETTY_NAME */
} audio_port_info;

extern const audio_port_info audio_ports[PORT_AUDIO_COUNT];

#define MIDI_IN_PORT_NAME "midi_in"
#define MIDI_OUT_PORT_NAME "midi_out"

/* Parse "L,R,gate" (short or JACK names, case-insensitive) into port
 * indices; returns the count or -1 with a message naming the bad entry. */
int jack_ports_parse_list(const char *list, int *ports, int max, char *err, size_t err_len);

#endif
