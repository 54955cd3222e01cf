/* fi_curve.h — a model's f-I curve, measured by probe neurons, for pitch
 * tracking (pitch_track.h) to choose the current a note's neurons fire at.
 *
 * FI_POINTS probe neurons, one per current from FI_DRIVE_LO to FI_DRIVE_HI
 * rheobases (geometric), run from rest beside the bank, a few steps per
 * frame (fi_curve_advance: FI_WORK_PER_FRAME neuron-steps, no allocation),
 * for FI_SETTLE_MS of model time and then FI_MEASURE_MS in which each
 * probe's cycle rate is counted (cycles told as pitch_track.h tells them).
 * A bursting model plays at its drive: one probe there measures its burst
 * period (and its longest interval, which tells its bursts apart) over
 * FI_BURST_SETTLE_MS and FI_BURST_MEASURE_MS. The curve is then
 * ready until the model or what shapes its f-I curve (temperature, the
 * model's parameters, the spike threshold) changes: then it is measured
 * again. It is in model time: the step (speed, tempo) does not change it.
 *
 * The part of the curve a note uses is the first run of rising rates from
 * the lowest current that fires: the tonic branch, below a depolarisation
 * block or a change of regime. It starts at 1.6 rheobases (the default
 * drive): HH at 6.3 degC is bistable from its rheobase up to about 1.56
 * rheobases (9.8 uA/cm2, where rest loses its stability; Rinzel & Miller
 * 1980), and a note's current stepping down into that range could leave
 * the firing cycle for rest. */
#ifndef HILLOCK_FI_CURVE_H
#define HILLOCK_FI_CURVE_H

#include "state_io.h"
#include "models/model.h"

#include <stdint.h>

#define FI_POINTS 32u
#define FI_DRIVE_LO 1.6f
#define FI_DRIVE_HI 40.0f
#define FI_SETTLE_MS 150.0
#define FI_MEASURE_MS 350.0
/* the bursting model's one probe: its bursts are slower */
#define FI_BURST_SETTLE_MS 1000.0
#define FI_BURST_MEASURE_MS 3000.0
#define FI_WORK_PER_FRAME 128u /* probe neuron-steps per frame */

typedef struct {
    float *var[MODEL_MAX_VARS]; /* FI_POINTS each, 64-byte aligned */
    float *current, *zeros, *frac;
    uint32_t n;                 /* probes: FI_POINTS, or 1 at a drive */
    double settle_ms, measure_ms;
    const model_desc *model;
    model_params key;           /* what the curve was measured for */
    float key_a, key_b;         /* rheobase and unit, or the drive (and NAN) */
    double t;                   /* model ms run */
    double last_spike[FI_POINTS], last_onset[FI_POINTS], first_onset[FI_POINTS];
    float max_isi[FI_POINTS];
    float longest[FI_POINTS];   /* the longest interval while measuring, model ms */
    uint32_t cycles[FI_POINTS];
    int ready;
    /* the tonic branch: points [lo, hi] of current (model unit) and rate
     * (cycles per model second) */
    uint32_t lo, hi;
    float rate[FI_POINTS];
    uint32_t builds;            /* curves measured so far (tests) */
} fi_curve;

int fi_curve_init(fi_curve *fc);
void fi_curve_free(fi_curve *fc);

/* Measure anew if model m with parameters mp is not what the curve holds
 * or is measuring: a tonic model's curve over FI_POINTS currents from its
 * rheobase and relative unit (rheobase.h), or a bursting model's cycle at
 * one current, its drive. */
void fi_curve_configure_tonic(fi_curve *fc, const model_desc *m, const model_params *mp,
                              float rheobase, float unit);
void fi_curve_configure_at(fi_curve *fc, const model_desc *m, const model_params *mp,
                           float drive);
/* Some steps of the probes with mp (its dt and tables: the bank's). */
void fi_curve_advance(fi_curve *fc, const model_params *mp);

/* The current (model unit) whose rate is rate_hz (cycles per model second),
 * clamped to the tonic branch; *rate_out gets the curve's rate there.
 * Returns 0 (and nothing) while the curve is not ready or fires nowhere. */
int fi_curve_current_for(const fi_curve *fc, float rate_hz, float *current, float *rate_out);

/* The probes and the curve for a saved engine (state_io.h). */
void fi_curve_state(state_io *s, fi_curve *fc);

#endif
