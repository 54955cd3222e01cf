/* tempo_lock.c — see tempo_lock.h. */
#include "tempo_lock.h"

#include <math.h>

#define LOCK_GAIN 0.8        /* of the phase error removed per event */
#define GLIDE_MS 30.0        /* the scale's glide, at most */
#define PEAK_HALF_EVENTS 8.0 /* the longest interval's memory, in events */
#define SETTLED 1e-9         /* relative distance at which a glide ends on its target */

static void update_glide(tempo_lock *t);

void
tempo_lock_init(tempo_lock *t, double rate)
{
    *t = (tempo_lock){.rate = rate, .scale = 1.0, .target = 1.0, .division_q = 1.0};
    update_glide(t);
    tempo_lock_restart(t);
}

void
tempo_lock_restart(tempo_lock *t)
{
    t->u = 0.0;
    t->last_spike_u = t->last_event_u = 0.0;
    t->isi_peak = 0.0;
    t->period_u = 0.0;
    t->any_spike = t->sure_event = false;
    t->last_error = 0.0;
}

/* The scale's glide coefficient per update: time constant the shorter of
 * GLIDE_MS and a tenth of a division. */
static void
update_glide(tempo_lock *t)
{
    double tau_frames = GLIDE_MS * 1e-3 * t->rate;
    if (t->rolling && t->q_per_frame > 0.0) {
        double tenth = 0.1 * t->division_q / t->q_per_frame;
        if (tenth < tau_frames)
            tau_frames = tenth;
    }
    t->glide_coef = 1.0 - exp(-(double)TEMPO_UPDATE_FRAMES / tau_frames);
}

void
tempo_lock_configure(tempo_lock *t, bool on, double division_q)
{
    if (on && !t->on)
        tempo_lock_restart(t); /* measure afresh: the rhythm before is not the loop's */
    if (on == t->on && division_q == t->division_q)
        return;
    t->on = on;
    t->division_q = division_q > 0.0 ? division_q : 1.0;
    if (!on)
        t->target = 1.0;
    update_glide(t);
}

void
tempo_lock_set_grid(tempo_lock *t, double quarter, double bpm, double speed)
{
    double qpf = bpm > 0.0 && speed > 0.0 ? bpm / 60.0 * speed / t->rate : 0.0;
    /* a new tempo: the same model period in the new division's frames at
     * once (the loop takes up the rest) */
    if (t->on && t->rolling && qpf > 0.0 && t->q_per_frame > 0.0 && qpf != t->q_per_frame)
        t->target *= qpf / t->q_per_frame;
    t->grid_q = quarter;
    t->q_per_frame = qpf;
    t->rolling = qpf > 0.0;
    t->known = true;
    update_glide(t);
}

static double
clamp_scale(double s)
{
    return s < TEMPO_SCALE_MIN ? TEMPO_SCALE_MIN : s > TEMPO_SCALE_MAX ? TEMPO_SCALE_MAX : s;
}

/* An event at grid position q: the next interval's scale. */
static void
lock_event(tempo_lock *t, double q)
{
    double phase = q / t->division_q;
    double err = phase - floor(phase + 0.5); /* [-0.5, 0.5) divisions, positive: late */
    t->last_error = err;
    if (!t->period_u)
        return; /* no period yet: the scale holds */
    double division_frames = t->division_q / t->q_per_frame;
    /* the next event comes period_u model frames on: at this scale, one
     * division less LOCK_GAIN of the error later */
    double want = t->period_u / ((1.0 - LOCK_GAIN * err) * division_frames);
    t->target = clamp_scale(want);
}

void
tempo_lock_spike(tempo_lock *t, float frac)
{
    if (!t->on)
        return;
    const double u = t->u + (double)frac * t->scale;
    const double isi = u - t->last_spike_u;
    const double peak = t->isi_peak;
    const bool event = !t->any_spike || isi >= 0.5 * peak;
    if (t->any_spike && isi > peak)
        t->isi_peak = isi;
    t->last_spike_u = u;
    t->any_spike = true;
    if (!event)
        return;
    /* an event is sure once a longer interval was seen before it: until
     * then the second spike of the first burst looks like one too */
    const bool sure = peak > 0.0;
    t->period_u = sure && t->sure_event ? u - t->last_event_u : 0.0;
    t->last_event_u = u;
    t->sure_event = sure;
    t->events++;
    t->isi_peak *= exp2(-1.0 / PEAK_HALF_EVENTS);
    /* stopped, or no grid yet: the scale holds (the bank keeps its tempo) */
    if (t->rolling)
        lock_event(t, t->grid_q + (double)frac * t->q_per_frame);
}

bool
tempo_lock_frame(tempo_lock *t, uint64_t frame, bool stepped)
{
    if (stepped)
        t->u += t->scale;
    t->grid_q += t->q_per_frame;
    if ((frame + 1u) % TEMPO_UPDATE_FRAMES != 0 || t->scale == t->target)
        return false;
    double next = t->scale + (t->target - t->scale) * t->glide_coef;
    if (fabs(next - t->target) <= SETTLED * t->target)
        next = t->target;
    t->scale = next;
    return true;
}

double
tempo_division_quarters(int division)
{
    /* sync_division's values in table order: 1/1 1/1d 1/1t 1/2 ... 1/32t */
    int base = division / 3, kind = division % 3;
    double q = 4.0 / (double)(1 << base);
    return kind == 1 ? q * 1.5 : kind == 2 ? q * 2.0 / 3.0 : q;
}

void
tempo_lock_state(state_io *s, tempo_lock *t)
{
    state_f64_finite(s, "beat grid", &t->grid_q, 1);
    state_f64_finite(s, "beat grid", &t->q_per_frame, 1);
    state_f64_finite(s, "beat grid", &t->division_q, 1);
    state_bool(s, "beat grid known", &t->known, 1);
    state_bool(s, "transport rolling", &t->rolling, 1);
    state_bool(s, "tempo lock on", &t->on, 1);
    state_f64_finite(s, "tempo time scale", &t->scale, 1);
    state_f64_finite(s, "tempo time scale", &t->target, 1);
    state_f64_finite(s, "tempo glide", &t->glide_coef, 1);
    double *rhythm[] = {&t->u, &t->last_spike_u, &t->last_event_u, &t->isi_peak, &t->period_u,
                        &t->last_error};
    for (int k = 0; k < 6; ++k)
        state_f64(s, "tempo rhythm", rhythm[k], 1);
    state_bool(s, "tempo rhythm", &t->any_spike, 1);
    state_bool(s, "tempo rhythm", &t->sure_event, 1);
    state_u64(s, "tempo events", &t->events, 1);
}
