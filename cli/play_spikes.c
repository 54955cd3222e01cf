/* play_spikes.c — see play_spikes.h. */
#include "play_spikes.h"

#include <math.h>
#include <string.h>

bool
play_spikes_open(play_spikes *p, const char *path, char *err, size_t err_len)
{
    memset(p, 0, sizeof *p);
    p->file = spikefile_open(path, err, err_len);
    return p->file != NULL;
}

void
play_spikes_close(play_spikes *p)
{
    spikefile_close(p->file);
    p->file = NULL;
}

bool
play_spikes_block(play_spikes *p, engine *e, uint64_t frame0, uint32_t n, double sample_rate,
                  double rate, char *err, size_t err_len)
{
    if (rate != p->rate) { /* the file's position here stays; its pace changes */
        if (p->rate > 0.0)
            p->anchor_file += (double)(frame0 - p->anchor_frame) * p->rate / sample_rate;
        p->anchor_frame = frame0;
        p->rate = rate;
    }
    const double frames_per_s = sample_rate / rate; /* output frames per second of the file */
    const double end = (double)(frame0 - p->anchor_frame) + (double)n;
    for (;;) {
        if (p->next == p->n) {
            if (p->at_end)
                return true;
            long got = spikefile_read(p->file, p->chunk, PLAY_SPIKES_CHUNK, err, err_len);
            if (got < 0)
                return false;
            p->n = (size_t)got;
            p->next = 0;
            p->at_end = got == 0;
            continue;
        }
        const spikefile_spike *s = &p->chunk[p->next];
        /* the spike's frame from the anchor, fractional */
        double at = (s->time_s - p->anchor_file) * frames_per_s;
        if (at >= end)
            return true;
        double ahead = at - (double)(frame0 - p->anchor_frame);
        if (ahead >= 0.0 && !engine_play_spike(e, s->unit, ahead))
            p->dropped++;
        p->next++;
    }
}

void
play_spikes_describe(const play_spikes *p, FILE *out, const char *path)
{
    const spikefile *f = p->file;
    static const char *const formats[] = {"CSV", "NWB", "MIDI"};
    fprintf(out, "hillock render: playing '%s' (%s): %u units, %llu spikes over %.3f s", path,
            formats[spikefile_format_of(f)], spikefile_units(f),
            (unsigned long long)spikefile_spikes(f), spikefile_duration(f));
    /* the groups: runs of units with one label */
    const char *sep = "; groups ";
    for (uint32_t u = 0; u < spikefile_units(f);) {
        const char *label = spikefile_label(f, u);
        uint32_t v = u + 1u;
        while (v < spikefile_units(f) && label && spikefile_label(f, v) &&
               strcmp(spikefile_label(f, v), label) == 0)
            v++;
        if (label) {
            fprintf(out, "%s%s %u-%u", sep, label, u, v - 1u);
            sep = ", ";
        }
        u = v;
    }
    fputc('\n', out);
}
