/* status_line.c — see status_line.h. Rates are per second of audio (frames
 * processed / sample rate), so they stay meaningful in freewheel mode. */
#include "status_line.h"

void
status_line_draw(status_line *st, const jack_rt *s, FILE *out)
{
    jack_rt *m = (jack_rt *)s; /* atomics are read, never written */
    uint64_t frames = atomic_load(&m->frames), spikes = atomic_load(&m->spikes);
    double rate = (double)atomic_load(&m->sample_rate);
    if (frames > st->last_frames && rate > 0)
        st->spikes_per_s =
            (double)(spikes - st->last_spikes) / ((double)(frames - st->last_frames) / rate);
    st->last_frames = frames;
    st->last_spikes = spikes;

    double t = rate > 0 ? (double)frames / rate : 0.0;
    fprintf(out, "\r%s DSP %4.1f%%  xruns %llu  spikes/s %7.1f  time %02d:%04.1f",
            atomic_load(&m->freewheeling) ? "[freewheel]" : "[live]",
            (double)jack_cpu_load(s->client), (unsigned long long)atomic_load(&m->xruns),
            st->spikes_per_s, (int)(t / 60), t - 60 * (int)(t / 60));
    /* the real-time guard: its load, the neurons it plays when thinning,
     * and model time's scale when it slows it */
    if (!atomic_load(&m->guard_on))
        fputs("  guard off", out);
    else if (atomic_load(&m->guard_active)) {
        fprintf(out, "  guard %3u%% THINNED to %u", (unsigned)(atomic_load(&m->guard_load_pm) / 10),
                (unsigned)atomic_load(&m->guard_neurons));
        uint32_t time_pm = atomic_load(&m->guard_time_pm);
        if (time_pm < 1000)
            fprintf(out, " SLOWED to x%u.%03u", (unsigned)(time_pm / 1000), (unsigned)(time_pm % 1000));
    } else
        fprintf(out, "  guard %3u%%", (unsigned)(atomic_load(&m->guard_load_pm) / 10));
    /* pitch tracking: notes played at the nearest pitch the model reaches */
    uint32_t clamped = atomic_load(&m->pitch_clamped);
    if (clamped)
        fprintf(out, "  pitch CLAMPED %u (note %d)", (unsigned)clamped,
                (int)atomic_load(&m->pitch_last_clamped));
    if (s->rec) {
        double rec_t = rate > 0 ? (double)recorder_frames_written(s->rec) / rate : 0.0;
        fprintf(out, "  rec %02d:%04.1f", (int)(rec_t / 60), rec_t - 60 * (int)(rec_t / 60));
        uint64_t over = recorder_overruns(s->rec);
        if (over)
            fprintf(out, "  OVERRUNS %llu", (unsigned long long)over);
    }
    fputs("\033[K", out);
    fflush(out);
    st->shown = true;
}

void
status_line_clear(status_line *st, FILE *out)
{
    if (st->shown) {
        fputs("\r\033[K", out);
        fflush(out);
        st->shown = false;
    }
}
