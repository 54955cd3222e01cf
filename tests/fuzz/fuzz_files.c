/* fuzz_files.c — libFuzzer harness for the files a user hands Hillock:
 * Scala scales and keyboard mappings (dsp/tuning.h), saved weights
 * (dsp/synapse_file.h, NumPy .npy), recorded spikes as CSV/TSV or MIDI
 * (spikefile/spikefile.h), automation tables (dsp/automation.h) and saved
 * engine states (dsp/engine_snapshot.h). The first byte picks the reader,
 * the rest is the file. Each must refuse bad bytes with a reason, or keep
 * its promises on what it accepts:
 *  - tunings: at most TUNING_MAX_NOTES pitches, finite cents, a keymap's
 *    keys within 0..127 and a finite reference; every key's frequency from
 *    tuning_build finite and >= 0 (0: silent), for the scale alone, the
 *    keymap alone and both (the rest split at the first NUL byte);
 *  - weights: refused, or read into a table of the wiring they name (when
 *    it is small) with every weight finite in [0, w_limit] and every axon
 *    length finite and >= 0; a refusal leaves the table as it was;
 *  - spikes: units below SPIKEFILE_MAX_UNITS and the count the reader
 *    announced, finite non-negative times in order, as many spikes read as
 *    announced, and the same again after a seek to the start. HDF5 files
 *    (NWB) are left out: their bytes are libhdf5's to parse;
 *  - automation: every lane's value, wherever it is read, finite and
 *    within its parameter's range;
 *  - a state: refused, or loaded into a default engine (as `hillock render
 *    --load-state` does) that then plays on with every output finite and
 *    the audio within +-1, as it must whatever its parameters.
 *
 * Seeds (corpus/files/seed-*, the kind's byte then the file): the Scala
 * files of tests/engine/scala/; weights, spikes and MIDI written by
 * `hillock render -d 0.3 -s neurons=24 -s connectivity=0.5 -s plasticity=1
 * -s axon_velocity=0.5 --save-weights --spikes --midi-out`; a state by
 * `hillock render -d 0.2 --save-state`; a TSV and an automation table by
 * hand. libFuzzer reads at most 4096 bytes of an input (run_fuzz.sh), so
 * the state (113 KB) is explored through its header and first sections.
 */
#include "automation.h"
#include "engine.h"
#include "engine_snapshot.h"
#include "params.h"
#include "spikefile.h"
#include "synapse_file.h"
#include "synapses.h"
#include "tuning.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHECK(cond)                                                                         \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            fprintf(stderr, "fuzz_files: broken promise: %s (line %d)\n", #cond, __LINE__); \
            abort();                                                                        \
        }                                                                                   \
    } while (0)

enum { SCALE, KEYMAP, SCALE_AND_KEYMAP, WEIGHTS, SPIKES, AUTOMATION, STATE, KINDS };

static void
check_hz(const tuning_scale *s, const tuning_keymap *k)
{
    double hz[TUNING_KEYS];
    tuning_build(s, k, hz);
    for (uint32_t key = 0; key < TUNING_KEYS; ++key)
        CHECK(isfinite(hz[key]) && hz[key] >= 0.0);
}

static bool
scale_of(const char *text, size_t len, tuning_scale *s)
{
    char err[256] = "";
    if (!tuning_parse_scl(text, len, s, err, sizeof err)) {
        CHECK(err[0] != '\0');
        return false;
    }
    CHECK(s->count <= TUNING_MAX_NOTES); /* 0: only the implicit 1/1 */
    CHECK(memchr(s->description, '\0', sizeof s->description) != NULL);
    for (uint32_t i = 0; i < s->count; ++i)
        CHECK(isfinite(s->cents[i]));
    return true;
}

static bool
keymap_of(const char *text, size_t len, tuning_keymap *k)
{
    char err[256] = "";
    if (!tuning_parse_kbm(text, len, k, err, sizeof err)) {
        CHECK(err[0] != '\0');
        return false;
    }
    CHECK(k->size <= TUNING_MAX_MAP);
    CHECK(k->first >= 0 && k->last <= 127 && k->reference >= 0 && k->reference <= 127);
    CHECK(k->middle >= 0 && k->middle <= 127);
    CHECK(isfinite(k->reference_hz) && k->reference_hz > 0.0);
    return true;
}

static void
tunings(int kind, const char *text, size_t len)
{
    static tuning_scale s;
    static tuning_keymap k;
    if (kind == SCALE) {
        if (scale_of(text, len, &s))
            check_hz(&s, NULL);
    } else if (kind == KEYMAP) {
        if (keymap_of(text, len, &k))
            check_hz(NULL, &k);
    } else {
        const char *nul = memchr(text, '\0', len);
        size_t first = nul ? (size_t)(nul - text) : len;
        size_t second = nul ? len - first - 1 : 0;
        bool have_s = scale_of(text, first, &s);
        bool have_k = keymap_of(nul ? nul + 1 : text + len, second, &k);
        if (have_s && have_k)
            check_hz(&s, &k);
    }
}

/* Tables up to this size are built for a file that names them: larger
 * ones cost the fuzzer its speed, not new paths. */
#define WEIGHTS_MAX_NEURONS 64u

static void
weights(const uint8_t *data, size_t size)
{
    network_params np;
    uint32_t n = 0;
    char err[512] = "";
    if (!synapse_file_wiring(data, size, &np, &n, err, sizeof err)) {
        CHECK(err[0] != '\0');
        return;
    }
    if (n == 0 || n > WEIGHTS_MAX_NEURONS || !(np.p >= 0.0f && np.p <= 1.0f))
        return;
    np.w_exc = np.w_inh = 1.0f;
    synapse_table *t = synapses_build(&np, n, err, sizeof err);
    if (!t)
        return;
    for (uint32_t s = 0; s < t->count; ++s) {
        t->weight[s].w = 0.5f;
        t->dist_mm[s] = 0.25f;
    }
    const float w_limit = 4.0f;
    if (synapse_file_parse(t, data, size, w_limit, err, sizeof err)) {
        for (uint32_t s = 0; s < t->count; ++s) {
            CHECK(isfinite(t->weight[s].w) && t->weight[s].w >= 0.0f &&
                  t->weight[s].w <= w_limit);
            CHECK(isfinite(t->dist_mm[s]) && t->dist_mm[s] >= 0.0f);
        }
    } else {
        CHECK(err[0] != '\0');
        for (uint32_t s = 0; s < t->count; ++s)
            CHECK(t->weight[s].w == 0.5f && t->dist_mm[s] == 0.25f);
    }
    synapses_free(t);
}

/* Every spike from the current position: checks order and ranges, returns
 * how many. */
static uint64_t
read_all(spikefile *f)
{
    static spikefile_spike buf[256];
    char err[512];
    uint64_t total = 0;
    double last = 0.0;
    long got;
    while ((got = spikefile_read(f, buf, 256, err, sizeof err)) > 0) {
        for (long i = 0; i < got; ++i) {
            CHECK(isfinite(buf[i].time_s) && buf[i].time_s >= last);
            CHECK(buf[i].unit < spikefile_units(f));
            last = buf[i].time_s;
        }
        total += (uint64_t)got;
    }
    CHECK(got == 0 || err[0] != '\0');
    return total;
}

static void
spikes(const uint8_t *data, size_t size)
{
    static const uint8_t hdf5_signature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    if (size >= 8 && memcmp(data, hdf5_signature, 8) == 0)
        return;
    /* the reader opens a path: one temporary file, unlinked at once and
     * reached through /proc, rewritten for each input */
    static int fd = -1;
    if (fd < 0) {
        char name[] = "/tmp/fuzz_files_XXXXXX";
        fd = mkstemp(name);
        CHECK(fd >= 0);
        unlink(name);
    }
    CHECK(ftruncate(fd, 0) == 0);
    CHECK(size == 0 || pwrite(fd, data, size, 0) == (ssize_t)size);
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    char err[512] = "";
    spikefile *f = spikefile_open(path, err, sizeof err);
    if (!f) {
        CHECK(err[0] != '\0');
        return;
    }
    CHECK(spikefile_units(f) <= SPIKEFILE_MAX_UNITS);
    CHECK(isfinite(spikefile_duration(f)) && spikefile_duration(f) >= 0.0);
    const uint64_t announced = spikefile_spikes(f);
    CHECK(read_all(f) == announced);
    CHECK(spikefile_seek(f, 0.0, err, sizeof err));
    CHECK(read_all(f) == announced);
    spikefile_close(f);
}

static void
automation_table(const char *text, size_t len)
{
    automation *a = automation_create();
    CHECK(a);
    char err[512] = "";
    float start[PARAM_COUNT];
    param_defaults(start);
    if (!automation_parse_table(a, text, len, err, sizeof err) ||
        !automation_prepare(a, 48000.0, start, 32, err, sizeof err)) {
        CHECK(err[0] != '\0');
        automation_destroy(a);
        return;
    }
    static const uint64_t frames[] = {0, 1, 31, 32, 47999, 48000, 4800000, 1ull << 40};
    for (uint32_t k = 0; k < automation_lanes(a); ++k) {
        const param_info *p = &param_table[automation_lane_param(a, k)];
        for (size_t f = 0; f < sizeof frames / sizeof frames[0]; ++f) {
            float v = automation_value(a, k, frames[f]);
            CHECK(isfinite(v) && v >= p->min && v <= p->max);
        }
    }
    automation_destroy(a);
}

static void
state(const uint8_t *data, size_t size)
{
    engine *e = engine_create_offline(48000.0);
    CHECK(e);
    char err[512] = "";
    if (!engine_state_load(e, data, size, param_table[P_W_MAX].max, err, sizeof err))
        CHECK(err[0] != '\0');
    static float left[256], right[256];
    static engine_spike spikes[1024];
    engine_io io = {.out_left = left, .out_right = right, .spikes = spikes,
                    .spike_capacity = 1024};
    engine_process(e, &io, 256);
    for (uint32_t i = 0; i < 256; ++i)
        CHECK(isfinite(left[i]) && isfinite(right[i]) && fabsf(left[i]) <= 1.0f &&
              fabsf(right[i]) <= 1.0f);
    engine_destroy(e);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const int kind = data[0] % KINDS;
    const uint8_t *file = data + 1;
    const size_t len = size - 1;
    switch (kind) {
    case WEIGHTS: weights(file, len); break;
    case SPIKES: spikes(file, len); break;
    case AUTOMATION: automation_table((const char *)file, len); break;
    case STATE: state(file, len); break;
    default: tunings(kind, (const char *)file, len); break;
    }
    return 0;
}
