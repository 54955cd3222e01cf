/* tempo_lock.h — the bank's rhythm locked to the host's beat grid
 * (tempo_sync, sync_division).
 *
 * A neuron model's dynamics run in model time; the engine advances it by
 * speed x a time scale per frame. Changing the time scale warps time and
 * nothing else: the trajectory in model time, hence the order and shape of
 * bursts, is unchanged. So the time scale is a control with an exactly
 * known effect, and a phase-locked loop on it locks the bursts' period and
 * phase to a grid:
 *
 *  - events: a spike that follows a silence of at least half the longest
 *    recent inter-spike interval (a peak that decays by half every
 *    PEAK_HALF_EVENTS events), i.e. the first spike of each burst, or every
 *    spike of a tonic neuron; the loop acts from the second interval
 *    between events that each followed a longer interval seen before;
 *  - frequency: between two events the model advanced a known amount of
 *    model time (the running integral of the time scale, in frames at
 *    scale 1), so the scale that makes that interval one grid division is
 *    exact;
 *  - phase: the event's distance to the nearest grid line (in divisions,
 *    positive when late) shortens or lengthens the next interval, removing
 *    LOCK_GAIN of the error per event;
 *  - smoothness: the scale moves to its target exponentially (time constant
 *    the shorter of GLIDE_MS and a tenth of a division), updated every
 *    TEMPO_UPDATE_FRAMES frames counted from the start, so the pitch of the
 *    dynamics never steps and the result does not depend on block sizes.
 *
 * The grid is the host's: a position in quarter notes and a tempo, set
 * when the host reports them and advanced by the engine frame by frame in
 * between. A stopped transport leaves the scale where it is (the bank
 * keeps the last tempo); a tempo change rescales the target at once and
 * the loop takes up the rest. Off, the scale glides back to exactly 1.
 * Plain arithmetic, no allocation: real-time safe. */
#ifndef HILLOCK_TEMPO_LOCK_H
#define HILLOCK_TEMPO_LOCK_H

#include "state_io.h"
#include <stdbool.h>
#include <stdint.h>

#define TEMPO_UPDATE_FRAMES 16u /* frames between moves of the time scale */
#define TEMPO_SCALE_MIN 0.0625  /* the loop's reach: 4 octaves each way */
#define TEMPO_SCALE_MAX 16.0

typedef struct {
    /* the grid */
    double grid_q;        /* position of the next frame, quarter notes from the start */
    double q_per_frame;   /* quarter notes per frame: bpm / 60 x speed / rate */
    double division_q;    /* one division in quarter notes */
    bool known;           /* a position was ever set */
    bool rolling;         /* transport moving (speed > 0) */
    bool on;              /* tempo_sync */

    /* the time scale */
    double scale;         /* now */
    double target;
    double glide_coef;    /* per update */
    double rate;          /* frames per second */

    /* the measured rhythm, in frames at scale 1 (model time) */
    double u;             /* model time of the next frame */
    double last_spike_u;
    double last_event_u;
    double isi_peak;
    double period_u;      /* the last interval between two sure events, else 0 */
    bool any_spike;
    bool sure_event;      /* the last event followed a longer interval seen before it */
    uint64_t events;      /* events seen (for tests and displays) */
    double last_error;    /* the last event's phase error, divisions (positive: late) */
} tempo_lock;

void tempo_lock_init(tempo_lock *t, double rate);
/* Forget the measured rhythm (a reset bank); the grid and the scale stay. */
void tempo_lock_restart(tempo_lock *t);

/* tempo_sync and the division (in quarter notes: 1/4 = 1, 1/8d = 0.75). */
void tempo_lock_configure(tempo_lock *t, bool on, double division_q);

/* The host's grid at the next frame: position in quarter notes from the
 * song's start, tempo in quarter notes per minute, transport speed (0 =
 * stopped, 1 = playing). */
void tempo_lock_set_grid(tempo_lock *t, double quarter, double bpm, double speed);

/* A spike of the tracked neuron (or population) at fraction frac in [0, 1)
 * of the current frame. */
void tempo_lock_spike(tempo_lock *t, float frac);

/* Advance one frame (after its spikes); frame is its index from the start,
 * stepped false when the model's time stood still in it. Returns true when
 * the time scale changed (the engine then re-derives its step). */
bool tempo_lock_frame(tempo_lock *t, uint64_t frame, bool stepped);

/* Division values of the sync_division parameter, in quarter notes. */
double tempo_division_quarters(int division);

/* The grid and the measured rhythm for a saved engine (state_io.h). */
void tempo_lock_state(state_io *s, tempo_lock *t);

#endif
