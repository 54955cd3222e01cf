/* bandlimit.h — the membrane voice's anti-aliasing: a decimating low-pass
 * from the bank's substep rate down to the sample rate.
 *
 * At speed s the engine takes about s model steps per frame, so a spike a
 * few samples wide is well sampled at the substep rate but would alias if we
 * kept only one value per frame. Each substep value is pushed with its time
 * (in frames, fractional) and weight (1/substeps); each output frame is the
 * convolution of those impulses with a Kaiser-windowed sinc h(t) (cutoff
 * BANDLIMIT_CUTOFF of the sample rate, BANDLIMIT_LENGTH frames long, stopband
 * from half the sample rate on), read from a finely tabulated kernel. Because
 * the kernel is a function of time rather than of the substep count, a speed
 * change mid-stream (1 substep -> 19) filters seamlessly.
 *
 * Above BANDLIMIT_SLOTS substeps per frame, the values falling in each
 * 1/BANDLIMIT_SLOTS of a frame are first averaged into one impulse at their
 * mean time (a boxcar whose nulls sit at multiples of SLOTS x the sample
 * rate: what it lets alias lies beyond 8 fs, where a spike has no energy
 * left at any speed the filter would need), so the cost per frame stays at
 * most BANDLIMIT_LENGTH * BANDLIMIT_SLOTS table look-ups per stream, at any
 * speed and independent of the bank size. While the number of substeps
 * stays the same, every frame's impulses fall where the previous frame's
 * did, so the kernel values of one read are kept and the next reads are
 * plain dot products. Latency: BANDLIMIT_DELAY frames.
 */
#ifndef HILLOCK_BANDLIMIT_H
#define HILLOCK_BANDLIMIT_H

#include "state_io.h"
#include <stdint.h>

#define BANDLIMIT_STREAMS 3
#define BANDLIMIT_LENGTH 32u          /* kernel length, frames */
#define BANDLIMIT_DELAY (BANDLIMIT_LENGTH / 2u)
#define BANDLIMIT_CUTOFF 0.42         /* -6 dB point, fraction of the sample rate */
#define BANDLIMIT_SLOTS 8             /* impulses per frame at most */

typedef struct bandlimit bandlimit;

/* max_substeps: the most values pushed per frame. */
bandlimit *bandlimit_create(uint32_t max_substeps);
void bandlimit_destroy(bandlimit *bl);
void bandlimit_reset(bandlimit *bl);

/* A value of each stream at time t_frames (absolute, fractional), weighted
 * by w (1/substeps of its frame). Times must not decrease. */
void bandlimit_push(bandlimit *bl, double t_frames, float w, const float x[BANDLIMIT_STREAMS]);

/* The band-limited streams at time t_frames, which must be at least
 * BANDLIMIT_DELAY frames before the newest push. */
void bandlimit_read(bandlimit *bl, double t_frames, float out[BANDLIMIT_STREAMS]);

/* The kernel h(t) itself (t in frames), for tests. */
float bandlimit_kernel(const bandlimit *bl, double t_frames);

/* Its state for a saved engine (state_io.h): the group and the ring. */
void bandlimit_state(state_io *s, bandlimit *bl);

#endif
