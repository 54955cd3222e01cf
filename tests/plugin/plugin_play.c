/* plugin_play.c — the plugin driven as a host drives it, for the tests that
 * compare it with `hillock render` (test_automation.py, test_midi_in.py):
 * control values once per run() call, MIDI events at their frames.
 *
 *   plugin_play BLOCK DURATION RATE OUT [--ramp SYMBOL FROM TO SECONDS linear|exp]
 *               [--events FILE] [SYMBOL=VALUE...]
 *
 * Runs urn:hillock:bank-cv in blocks of BLOCK frames with silent inputs and
 * the controls at their defaults or the given values.
 *  --ramp   the parameter follows a ramp from FROM at 0 s to TO at SECONDS
 *           (then holds), taken at each block's first frame, as a host
 *           sends automation; the curve is computed here from its
 *           definition (docs/manual.md, "Automation"): at frame
 *           k < K = round(SECONDS * RATE), FROM + (TO - FROM) k / K, or
 *           FROM (TO / FROM)^(k / K).
 *  --events lines "FRAME STATUS DATA1 DATA2" (decimal): MIDI messages put
 *           into the block that holds their frame, at their offset.
 * OUT receives per frame the left and right outputs and the spike gate, as
 * 32-bit floats; stdout the latency the plugin reports (frames the audio
 * lags the gate).
 */
#include "host.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_EVENTS 4096

typedef struct {
    int id; /* -1: no ramp */
    double from, to, seconds;
    int exp_curve;
} ramp;

static double
ramp_at(const ramp *r, uint64_t k, double rate)
{
    uint64_t end = (uint64_t)llround(r->seconds * rate);
    if (k >= end)
        return r->to;
    double x = (double)k / (double)end;
    return r->exp_curve ? r->from * pow(r->to / r->from, x) : r->from + (r->to - r->from) * x;
}

static int
read_events(const char *path, uint64_t *at, uint8_t (*msg)[3])
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    int n = 0;
    unsigned long long frame;
    unsigned a, b, c;
    while (n < MAX_EVENTS && fscanf(f, "%llu %u %u %u", &frame, &a, &b, &c) == 4) {
        at[n] = frame;
        msg[n][0] = (uint8_t)a;
        msg[n][1] = (uint8_t)b;
        msg[n][2] = (uint8_t)c;
        ++n;
    }
    fclose(f);
    return n;
}

static int
usage(void)
{
    fprintf(stderr, "usage: plugin_play BLOCK DURATION RATE OUT [--ramp SYMBOL FROM TO SECONDS "
                    "linear|exp] [--events FILE] [SYMBOL=VALUE...]\n");
    return 2;
}

int
main(int argc, char **argv)
{
    if (argc < 5)
        return usage();
    uint32_t block = (uint32_t)atoi(argv[1]);
    double rate = atof(argv[3]);
    uint64_t frames = (uint64_t)llround(atof(argv[2]) * rate);
    if (block < 1 || block > HB_MAX_BLOCK)
        return usage();
    hb_world *w = hb_world_new();
    hb_instance h;
    if (!w || !hb_plugin(w, true) || !hb_instantiate(&h, w, true, rate)) {
        fprintf(stderr, "plugin_play: cannot instantiate the plugin (LV2_PATH?)\n");
        return 1;
    }
    ramp r = {.id = -1};
    static uint64_t ev_at[MAX_EVENTS];
    static uint8_t ev[MAX_EVENTS][3];
    int n_ev = 0;
    for (int i = 5; i < argc; ++i) {
        if (strcmp(argv[i], "--ramp") == 0 && i + 5 < argc) {
            r = (ramp){param_find(argv[i + 1]), atof(argv[i + 2]), atof(argv[i + 3]),
                       atof(argv[i + 4]), strcmp(argv[i + 5], "exp") == 0};
            if (r.id < 0)
                return usage();
            i += 5;
            continue;
        }
        if (strcmp(argv[i], "--events") == 0 && i + 1 < argc) {
            n_ev = read_events(argv[++i], ev_at, ev);
            if (n_ev < 0)
                return usage();
            continue;
        }
        char sym[64];
        const char *eq = strchr(argv[i], '=');
        int p = -1;
        if (eq && (size_t)(eq - argv[i]) < sizeof sym) {
            memcpy(sym, argv[i], (size_t)(eq - argv[i]));
            sym[eq - argv[i]] = '\0';
            p = param_find(sym);
        }
        float v;
        if (p < 0 || !param_parse((param_id)p, eq + 1, &v, NULL, 0)) {
            fprintf(stderr, "plugin_play: bad setting '%s'\n", argv[i]);
            return 2;
        }
        h.controls[p] = v;
    }
    FILE *out = fopen(argv[4], "wb");
    if (!out) {
        perror(argv[4]);
        return 1;
    }
    lilv_instance_activate(h.inst);
    float *frame3 = malloc(3 * HB_MAX_BLOCK * sizeof(float));
    int next = 0;
    for (uint64_t pos = 0; pos < frames;) {
        uint32_t n = frames - pos < block ? (uint32_t)(frames - pos) : block;
        if (r.id >= 0)
            h.controls[r.id] = (float)ramp_at(&r, pos, rate);
        memset(h.audio[PORT_STIMULUS], 0, n * sizeof(float));
        memset(h.audio[PORT_CV_STIMULUS], 0, n * sizeof(float));
        uint32_t offsets[MAX_EVENTS];
        int first = next;
        while (next < n_ev && ev_at[next] < pos + n) {
            offsets[next - first] = (uint32_t)(ev_at[next] - pos);
            ++next;
        }
        hb_prepare_events(&h, (const uint8_t(*)[3])ev[first], offsets, (uint32_t)(next - first));
        lilv_instance_run(h.inst, n);
        for (uint32_t f = 0; f < n; ++f) {
            frame3[3 * f] = h.audio[PORT_OUT_LEFT][f];
            frame3[3 * f + 1] = h.audio[PORT_OUT_RIGHT][f];
            frame3[3 * f + 2] = h.audio[PORT_CV_GATE][f];
        }
        fwrite(frame3, sizeof(float), 3u * n, out);
        pos += n;
    }
    free(frame3);
    printf("%u\n", (unsigned)h.late[PORT_LATE_LATENCY]);
    int failed = fclose(out) != 0;
    hb_free(&h);
    hb_world_free(w);
    return failed;
}
