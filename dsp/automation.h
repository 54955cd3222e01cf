/* automation.h — the one automation engine: sample-accurate parameter
 * curves, built once from breakpoints, then evaluated frame by frame.
 *
 * A lane holds one parameter's breakpoints (time, value, curve), in time
 * order. The curve of a breakpoint shapes the segment that arrives at it:
 *   step    the value jumps to the breakpoint's at its time;
 *   linear  a straight line from the previous value;
 *   exp     a geometric glide (equal ratios in equal times; both ends
 *           nonzero and of one sign), as for rates and levels.
 * Before its first breakpoint a lane starts from the parameter's value at
 * frame 0 (the preset and settings), so a first breakpoint with a curve
 * ramps from there; after its last it holds.
 *
 * Times become frames at the sample rate (rounded): a breakpoint takes
 * effect at its exact frame. Along a ramp the value moves on a grid of
 * ramp_frames (automation_prepare): at frame k of a segment from (K0, v0)
 * to (K1, v1) it is the curve at q = max(K0, k - k mod ramp_frames),
 *   linear  v0 + (v1 - v0) (q - K0) / (K1 - K0)
 *   exp     v0 (v1 / v0)^((q - K0) / (K1 - K0)),
 * exactly what a host sends when it gives the plugin one control value per
 * ramp_frames-frame block, taken at the block's first frame. (A value that
 * changes every frame costs more than the step it shapes: the engine
 * rebuilds a model's rate tables when `speed` or `temperature` settles.)
 *
 * The caller hands each value to the engine with engine_set_param() at its
 * frame, exactly as a host's automation arrives through a control port:
 * the engine's own smoothing applies (engine.c: the levels glide, the rest
 * apply at once). Building allocates; automation_value() and
 * automation_steady_frames() are real-time safe (no allocation, no locks,
 * amortised O(1) per call moving forward in time).
 */
#ifndef HILLOCK_AUTOMATION_H
#define HILLOCK_AUTOMATION_H

#include "params.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { AUTOMATION_STEP, AUTOMATION_LINEAR, AUTOMATION_EXP } automation_curve;

/* "step", "linear", "exp" -> curve; false for anything else. */
bool automation_curve_parse(const char *name, automation_curve *curve);

typedef struct automation automation;

automation *automation_create(void);
void automation_destroy(automation *a);

/* Append a breakpoint to the parameter's lane (not real-time safe). Refused
 * with a message: a time before the lane's previous breakpoint or negative,
 * a value outside the parameter's range, a curve other than step for a
 * parameter that is not continuous, an exp segment through or from zero.
 * `line` (0 for none) is the source's line, named in messages. */
bool automation_add(automation *a, param_id id, double time_s, float value,
                    automation_curve curve, uint32_t line, char *err, size_t err_len);

/* Fix the breakpoints' frames at a sample rate, the values lanes start
 * from (every parameter's value at frame 0) and the ramps' grid (frames, 1
 * for every frame). Refuses an exp first segment from a start value of the
 * other sign or zero. Not real-time safe. */
bool automation_prepare(automation *a, double sample_rate, const float start[PARAM_COUNT],
                        uint32_t ramp_frames, char *err, size_t err_len);

/* Parse a table: lines `time_s,symbol,value[,curve]` (curve default step),
 * values as `hillock render --set` takes them (numbers, enumeration names),
 * '#' comments, blank lines and a first line `time_s,symbol,value[,curve]`
 * as a header allowed; spaces around fields ignored. Errors name the line. */
bool automation_parse_table(automation *a, const char *text, size_t len, char *err,
                            size_t err_len);

/* ---- real-time safe ---- */

uint32_t automation_lanes(const automation *a);
param_id automation_lane_param(const automation *a, uint32_t lane);
/* The lane's value at an absolute frame. */
float automation_value(automation *a, uint32_t lane, uint64_t frame);
/* Frames from `frame` on during which no lane's value changes (>= 1;
 * UINT64_MAX when none ever changes again). */
uint64_t automation_steady_frames(automation *a, uint64_t frame);

#endif
