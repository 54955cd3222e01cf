/* automation_ramp.c — the plugin under a host's automation, for
 * test_automation.py: a ramp of one parameter sent as the host sends
 * automation, one control-port value per run() call, taken at the block's
 * first frame.
 *
 *   automation_ramp SYMBOL FROM TO SECONDS linear|exp BLOCK DURATION RATE OUT [SYMBOL=VALUE...]
 *
 * Runs urn:hillock:bank-cv with silent inputs and the other controls at
 * their defaults or the given values; the ramp runs from FROM at 0 s to TO
 * at SECONDS (then holds), the curve computed here from its definition
 * (docs/manual.md, "Automation"): at frame k < K = round(SECONDS * RATE),
 * FROM + (TO - FROM) k / K, or FROM (TO / FROM)^(k / K). OUT receives per
 * frame the left and right outputs and the spike gate, as 32-bit floats;
 * stdout the latency the plugin reports (frames the audio lags the gate).
 */
#include "host.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double
ramp(double from, double to, uint64_t k, uint64_t end, int exp_curve)
{
    if (k >= end)
        return to;
    double x = (double)k / (double)end;
    return exp_curve ? from * pow(to / from, x) : from + (to - from) * x;
}

int
main(int argc, char **argv)
{
    if (argc < 10) {
        fprintf(stderr, "usage: automation_ramp SYMBOL FROM TO SECONDS linear|exp BLOCK "
                        "DURATION RATE OUT [SYMBOL=VALUE...]\n");
        return 2;
    }
    int id = param_find(argv[1]);
    double from = atof(argv[2]), to = atof(argv[3]), seconds = atof(argv[4]);
    int exp_curve = strcmp(argv[5], "exp") == 0;
    uint32_t block = (uint32_t)atoi(argv[6]);
    double rate = atof(argv[8]);
    uint64_t frames = (uint64_t)llround(atof(argv[7]) * rate);
    uint64_t end = (uint64_t)llround(seconds * rate);
    if (id < 0 || block < 1 || block > HB_MAX_BLOCK) {
        fprintf(stderr, "automation_ramp: bad parameter or block\n");
        return 2;
    }
    hb_world *w = hb_world_new();
    hb_instance h;
    if (!w || !hb_instantiate(&h, w, true, rate)) {
        fprintf(stderr, "automation_ramp: cannot instantiate the plugin\n");
        return 1;
    }
    for (int i = 10; i < argc; ++i) {
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
            fprintf(stderr, "automation_ramp: bad setting '%s'\n", argv[i]);
            return 2;
        }
        h.controls[p] = v;
    }
    FILE *out = fopen(argv[9], "wb");
    if (!out) {
        perror(argv[9]);
        return 1;
    }
    lilv_instance_activate(h.inst);
    float *frame3 = malloc(3 * HB_MAX_BLOCK * sizeof(float));
    for (uint64_t pos = 0; pos < frames;) {
        uint32_t n = frames - pos < block ? (uint32_t)(frames - pos) : block;
        h.controls[id] = (float)ramp(from, to, pos, end, exp_curve);
        memset(h.audio[PORT_STIMULUS], 0, n * sizeof(float));
        memset(h.audio[PORT_CV_STIMULUS], 0, n * sizeof(float));
        hb_prepare_events(&h, NULL, NULL, 0);
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
