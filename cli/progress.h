/* progress.h — a one-line progress bar on stderr for long renders. */
#ifndef HILLOCK_PROGRESS_H
#define HILLOCK_PROGRESS_H

#include <stdbool.h>

typedef struct {
    bool enabled;     /* stderr is a terminal and the user did not ask for quiet */
    bool drawn;       /* something is on the line that must be cleared */
    double start_s;   /* monotonic clock at start */
    double last_draw_s;
} progress;

/* Seconds on a monotonic clock. */
double progress_now(void);

/* The bar appears only when enabled and once the work has taken a second. */
void progress_start(progress *p, bool enabled);
void progress_update(progress *p, double done, double total);
/* Clear the bar's line, so the summary starts on a clean line. */
void progress_finish(progress *p);

#endif
