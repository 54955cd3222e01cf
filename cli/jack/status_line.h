/* status_line.h — the one-line live status `hillock jack` redraws on a
 * terminal, and the summary it prints at the end. */
#ifndef HILLOCK_STATUS_LINE_H
#define HILLOCK_STATUS_LINE_H

#include "jack_rt.h"

#include <stdio.h>

typedef struct {
    uint64_t last_frames, last_spikes;
    double spikes_per_s; /* per second of audio, over the last interval */
    bool shown;          /* a status line is on screen (clear before printing) */
} status_line;

/* Redraw the status line on out (a terminal). */
void status_line_draw(status_line *st, const jack_rt *s, FILE *out);
/* Erase it, so an ordinary message can be printed. */
void status_line_clear(status_line *st, FILE *out);

#endif
