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

void
focus_trace_state(state_io *s, focus_trace *t)
{
    state_f32(s, "focus trace", t->soma, FOCUS_TRACE_MAX);
    state_f32(s, "focus trace", t->dend, FOCUS_TRACE_MAX);
    state_f32(s, "focus trace", t->slow, FOCUS_TRACE_MAX);
    state_u32(s, "focus trace samples", &t->taken, 1);
    trace_decimator *d = &t->bucket;
    state_u32(s, "trace bucket fill", &d->fill, 1);
    float *v[] = {&d->min_s, &d->max_s, &d->min_d, &d->max_d, &d->slow_at_min,
                  &d->slow_at_max, &d->prev_s, &d->prev_d};
    for (int k = 0; k < 8; ++k)
        state_f32(s, "trace bucket", v[k], 1);
}
