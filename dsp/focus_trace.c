/* focus_trace.c — see focus_trace.h. */
#include "focus_trace.h"

#include <math.h>

void
focus_trace_restart(focus_trace *t)
{
    t->taken = 0;
    trace_decimator_restart(&t->bucket);
}

void
focus_trace_configure(focus_trace *t, float dt_ms, uint32_t steps_per_frame)
{
    long step = dt_ms > 0.0f ? lroundf(FOCUS_TRACE_MS / dt_ms) : 1;
    t->step = step < 1 ? 1u : (uint32_t)step;
    t->step_ms = (float)t->step * dt_ms;
    t->step_frames = (float)t->step / (float)(steps_per_frame ? steps_per_frame : 1u);
}

void
focus_trace_begin_block(focus_trace *t)
{
    t->taken = 0;
}

uint32_t
focus_trace_count(const focus_trace *t)
{
    return t->taken < FOCUS_TRACE_MAX ? t->taken : FOCUS_TRACE_MAX;
}

uint32_t
focus_trace_skipped(const focus_trace *t)
{
    return t->taken - focus_trace_count(t);
}

uint32_t
focus_trace_index(const focus_trace *t, uint32_t i)
{
    uint32_t first = t->taken > FOCUS_TRACE_MAX ? t->taken % FOCUS_TRACE_MAX : 0u;
    return (first + i) % FOCUS_TRACE_MAX;
}
