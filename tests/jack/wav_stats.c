/* wav_stats.c — print what the `hillock jack` tests check in a recording, as
 * key=value lines a shell script can read:
 *
 *   wav_stats FILE [--from S] [--to S] [--diff OTHER]
 *
 *   frames, rate, channels   of the whole file
 *   finite                   1 if every sample in the window is finite
 *   rms_C, peak_C, mean_C    per channel C (0-based), over [from, to)
 *   edges_C                  upward crossings of 0.5 on channel C (for the
 *                            spike-gate CV: one per focus-neuron spike)
 *   first_edge_C             time in seconds of the first of them, -1 if none
 *   max_diff                 with --diff: largest |a - b| over the frames and
 *                            channels both files have
 *   gap=START END            with --gaps C MIN_S: each stretch longer than
 *                            MIN_S seconds with no rising edge on channel C
 *                            (between two edges, or from the last to the end)
 *   silence=START END        with --silences MIN_S: each stretch of at least
 *                            MIN_S seconds in [from, to) where every channel
 *                            is exactly 0 (an engine holding its output
 *                            silent), END where the sound comes back
 *   sound_from               the time of the first sample in [from, to) not
 *                            0 on some channel, -1 if none
 */
#include <sndfile.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CH 16

static float *
load(const char *path, SF_INFO *info)
{
    memset(info, 0, sizeof *info);
    SNDFILE *f = sf_open(path, SFM_READ, info);
    if (!f) {
        fprintf(stderr, "wav_stats: %s: %s\n", path, sf_strerror(NULL));
        exit(1);
    }
    float *data = malloc(sizeof(float) * (size_t)(info->frames ? info->frames : 1) *
                         (size_t)info->channels);
    if (!data || sf_readf_float(f, data, info->frames) != info->frames) {
        fprintf(stderr, "wav_stats: %s: short read\n", path);
        exit(1);
    }
    sf_close(f);
    return data;
}

int
main(int argc, char **argv)
{
    const char *path = NULL, *other = NULL;
    double from = 0.0, to = -1.0, gap_min = 0.0, silence_min = -1.0;
    int gap_ch = -1;
    for (int i = 1; i < argc; ++i) {
        if (!strcmp(argv[i], "--from") && i + 1 < argc)
            from = atof(argv[++i]);
        else if (!strcmp(argv[i], "--to") && i + 1 < argc)
            to = atof(argv[++i]);
        else if (!strcmp(argv[i], "--gaps") && i + 2 < argc) {
            gap_ch = atoi(argv[++i]);
            gap_min = atof(argv[++i]);
        } else if (!strcmp(argv[i], "--silences") && i + 1 < argc)
            silence_min = atof(argv[++i]);
        else if (!strcmp(argv[i], "--diff") && i + 1 < argc)
            other = argv[++i];
        else
            path = argv[i];
    }
    if (!path) {
        fprintf(stderr, "usage: wav_stats FILE [--from S] [--to S] [--gaps C MIN_S] [--silences MIN_S] [--diff OTHER]\n");
        return 2;
    }
    SF_INFO info;
    float *x = load(path, &info);
    const int ch = info.channels;
    if (ch > MAX_CH)
        return 1;
    sf_count_t a = (sf_count_t)(from * info.samplerate);
    sf_count_t b = to < 0 ? info.frames : (sf_count_t)(to * info.samplerate);
    if (a < 0)
        a = 0;
    if (b > info.frames)
        b = info.frames;
    printf("frames=%lld\nrate=%d\nchannels=%d\n", (long long)info.frames, info.samplerate, ch);

    int finite = 1;
    for (int c = 0; c < ch; ++c) {
        double sum = 0, sum2 = 0, peak = 0;
        long edges = 0;
        double first_edge = -1.0;
        float prev = 0.0f;
        for (sf_count_t f = a; f < b; ++f) {
            float v = x[f * ch + c];
            if (!isfinite(v)) {
                finite = 0;
                continue;
            }
            sum += v;
            sum2 += (double)v * v;
            if (fabs(v) > peak)
                peak = fabs(v);
            if (prev < 0.5f && v >= 0.5f && edges++ == 0)
                first_edge = (double)f / info.samplerate;
            prev = v;
        }
        double n = b > a ? (double)(b - a) : 1.0;
        printf("rms_%d=%.9g\npeak_%d=%.9g\nmean_%d=%.9g\nedges_%d=%ld\nfirst_edge_%d=%.6f\n", c,
               sqrt(sum2 / n), c, peak, c, sum / n, c, edges, c, first_edge);
    }
    printf("finite=%d\n", finite);

    /* runs of exact zeros on every channel */
    sf_count_t run_start = -1, first_sound = -1;
    for (sf_count_t f = a; f <= b; ++f) {
        int zero = f < b;
        for (int c = 0; zero && c < ch; ++c)
            zero = x[f * ch + c] == 0.0f;
        if (zero && run_start < 0)
            run_start = f;
        if (!zero && f < b && first_sound < 0)
            first_sound = f;
        if (!zero && run_start >= 0) {
            if (silence_min >= 0 && (double)(f - run_start) / info.samplerate >= silence_min)
                printf("silence=%.4f %.4f\n", (double)run_start / info.samplerate,
                       (double)f / info.samplerate);
            run_start = -1;
        }
    }
    printf("sound_from=%.6f\n", first_sound < 0 ? -1.0 : (double)first_sound / info.samplerate);

    if (gap_ch >= 0 && gap_ch < ch) {
        double last = -1.0; /* time of the previous edge; -1: none yet */
        float prev = 0.0f;
        for (sf_count_t f = a; f < b; ++f) {
            float v = x[f * ch + gap_ch];
            if (prev < 0.5f && v >= 0.5f) {
                double t = (double)f / info.samplerate;
                if (last >= 0 && t - last > gap_min)
                    printf("gap=%.4f %.4f\n", last, t);
                last = t;
            }
            prev = v;
        }
        double end = (double)b / info.samplerate;
        if (last >= 0 && end - last > gap_min)
            printf("gap=%.4f %.4f\n", last, end);
    }

    if (other) {
        SF_INFO oi;
        float *y = load(other, &oi);
        sf_count_t n = oi.frames < info.frames ? oi.frames : info.frames;
        int nc = oi.channels < ch ? oi.channels : ch;
        double worst = 0;
        for (sf_count_t f = 0; f < n; ++f)
            for (int c = 0; c < nc; ++c) {
                double d = fabs((double)x[f * ch + c] - (double)y[f * oi.channels + c]);
                if (!(d <= worst)) /* NaN counts as the worst */
                    worst = isfinite(d) ? d : INFINITY;
            }
        printf("max_diff=%.9g\n", worst);
        free(y);
    }
    free(x);
    return 0;
}
