/* automation.c — the automation engine (automation.h): lanes of
 * breakpoints, their frames at the sample rate, and the value of every lane
 * at any frame. */
#include "automation.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    double time_s;
    float value;
    automation_curve curve; /* shapes the segment arriving here */
    uint32_t line;
    uint64_t frame;
} breakpoint;

typedef struct {
    param_id id;
    breakpoint *points;
    uint32_t n, cap;
    float start;          /* the value before the first breakpoint */
    uint32_t seg;         /* cursor: the first breakpoint after the last frame asked */
    uint64_t last_frame;
} lane;

struct automation {
    uint32_t ramp_frames;
    lane lanes[PARAM_COUNT];
    uint32_t n_lanes;
    int lane_of[PARAM_COUNT]; /* -1: not automated */
};

static const char *const curve_names[] = {"step", "linear", "exp"};

bool
automation_curve_parse(const char *name, automation_curve *curve)
{
    for (int c = 0; c < 3; ++c)
        if (strcmp(name, curve_names[c]) == 0) {
            *curve = (automation_curve)c;
            return true;
        }
    return false;
}

static bool
fail(char *err, size_t err_len, uint32_t line, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (line)
        snprintf(err, err_len, "line %u: %s", line, msg);
    else
        snprintf(err, err_len, "%s", msg);
    return false;
}

automation *
automation_create(void)
{
    automation *a = calloc(1, sizeof *a);
    if (a)
        for (int i = 0; i < PARAM_COUNT; ++i)
            a->lane_of[i] = -1;
    return a;
}

void
automation_destroy(automation *a)
{
    if (!a)
        return;
    for (uint32_t k = 0; k < a->n_lanes; ++k)
        free(a->lanes[k].points);
    free(a);
}

/* A geometric glide needs both ends nonzero and of one sign. */
static bool
exp_possible(float from, float to)
{
    return (from > 0.0f && to > 0.0f) || (from < 0.0f && to < 0.0f);
}

bool
automation_add(automation *a, param_id id, double time_s, float value, automation_curve curve,
               uint32_t line, char *err, size_t err_len)
{
    if ((unsigned)id >= PARAM_COUNT)
        return fail(err, err_len, line, "no parameter %d", (int)id);
    const param_info *p = &param_table[id];
    if (!isfinite(time_s) || time_s < 0.0 || time_s > 1e7)
        return fail(err, err_len, line, "time %g s: expected seconds from 0", time_s);
    if (!isfinite(value) || value < p->min || value > p->max || param_sanitize(id, value) != value)
        return fail(err, err_len, line, "%s: %g is outside [%g, %g]%s", p->symbol, (double)value,
                    (double)p->min, (double)p->max,
                    p->kind == PARAM_KIND_FLOAT ? "" : " or not a whole number");
    if ((unsigned)curve > AUTOMATION_EXP)
        return fail(err, err_len, line, "unknown curve");
    if (curve != AUTOMATION_STEP && p->kind != PARAM_KIND_FLOAT)
        return fail(err, err_len, line,
                    "%s: only a step curve (%s moves between whole values, not along a %s)",
                    p->symbol, p->symbol, curve_names[curve]);
    if (a->lane_of[id] < 0) {
        lane *l = &a->lanes[a->n_lanes];
        memset(l, 0, sizeof *l);
        l->id = id;
        a->lane_of[id] = (int)a->n_lanes++;
    }
    lane *l = &a->lanes[a->lane_of[id]];
    if (l->n) {
        const breakpoint *prev = &l->points[l->n - 1];
        if (time_s < prev->time_s)
            return fail(err, err_len, line,
                        "%s: time %g s comes before %g s, its time on line %u (the times of "
                        "one parameter must not go back)",
                        p->symbol, time_s, prev->time_s, prev->line);
        if (curve == AUTOMATION_EXP && !exp_possible(prev->value, value))
            return fail(err, err_len, line,
                        "%s: an exp curve from %g to %g (both ends must be nonzero and of one "
                        "sign)",
                        p->symbol, (double)prev->value, (double)value);
    }
    if (l->n == l->cap) {
        uint32_t cap = l->cap ? 2 * l->cap : 16;
        breakpoint *pts = realloc(l->points, cap * sizeof *pts);
        if (!pts)
            return fail(err, err_len, line, "out of memory");
        l->points = pts;
        l->cap = cap;
    }
    l->points[l->n++] = (breakpoint){.time_s = time_s, .value = value, .curve = curve, .line = line};
    return true;
}

bool
automation_prepare(automation *a, double sample_rate, const float start[PARAM_COUNT],
                   uint32_t ramp_frames, char *err, size_t err_len)
{
    a->ramp_frames = ramp_frames ? ramp_frames : 1;
    for (uint32_t k = 0; k < a->n_lanes; ++k) {
        lane *l = &a->lanes[k];
        l->start = param_sanitize(l->id, start[l->id]);
        const breakpoint *first = &l->points[0];
        if (first->curve == AUTOMATION_EXP && !exp_possible(l->start, first->value))
            return fail(err, err_len, first->line,
                        "%s: an exp curve from its start value %g to %g (both ends must be "
                        "nonzero and of one sign)",
                        param_table[l->id].symbol, (double)l->start, (double)first->value);
        for (uint32_t i = 0; i < l->n; ++i)
            l->points[i].frame = (uint64_t)llround(l->points[i].time_s * sample_rate);
        l->seg = 0;
        l->last_frame = 0;
    }
    return true;
}

uint32_t
automation_lanes(const automation *a)
{
    return a->n_lanes;
}

param_id
automation_lane_param(const automation *a, uint32_t k)
{
    return a->lanes[k].id;
}

/* Move the lane's cursor to the segment holding `frame`. */
static uint32_t
seek(lane *l, uint64_t frame)
{
    if (frame < l->last_frame)
        l->seg = 0;
    l->last_frame = frame;
    while (l->seg < l->n && l->points[l->seg].frame <= frame)
        l->seg++;
    return l->seg;
}

float
automation_value(automation *a, uint32_t k, uint64_t frame)
{
    lane *l = &a->lanes[k];
    uint32_t s = seek(l, frame);
    if (s == l->n)
        return l->points[l->n - 1].value;
    const breakpoint *to = &l->points[s];
    uint64_t k0 = s ? l->points[s - 1].frame : 0;
    double v0 = s ? l->points[s - 1].value : l->start, v1 = to->value;
    /* a ramp holds its value on the ramp_frames grid */
    uint64_t at = frame - frame % a->ramp_frames;
    if (at < k0)
        at = k0;
    /* at <= frame < to->frame and k0 <= at, so the segment has length */
    double x = (double)(at - k0) / (double)(to->frame - k0);
    switch (to->curve) {
    case AUTOMATION_LINEAR: return (float)(v0 + (v1 - v0) * x);
    case AUTOMATION_EXP: return (float)(v0 * pow(v1 / v0, x));
    default: return (float)v0;
    }
}

uint64_t
automation_steady_frames(automation *a, uint64_t frame)
{
    uint64_t steady = UINT64_MAX;
    for (uint32_t k = 0; k < a->n_lanes; ++k) {
        lane *l = &a->lanes[k];
        uint32_t s = seek(l, frame);
        if (s == l->n)
            continue;
        const breakpoint *to = &l->points[s];
        float v0 = s ? l->points[s - 1].value : l->start;
        uint64_t left = to->frame - frame;
        uint64_t grid = a->ramp_frames - frame % a->ramp_frames;
        if (to->curve != AUTOMATION_STEP && v0 != to->value && grid < left)
            left = grid;
        if (left < steady)
            steady = left;
    }
    return steady;
}
