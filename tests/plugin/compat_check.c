/* compat_check.c — sessions and presets saved by an earlier Hillock load
 * and sound the same (docs/compatibility.md).
 *
 *   compat_check write DIR   save the states and the sound of THIS build
 *   compat_check check DIR   load them with this build and compare
 *
 * DIR holds states as a host saves them (lilv_state_save, as jalv and Ardour
 * do), the preset files of that release (presets/), and
 * sound.txt: for each, the statistics of one second rendered through the
 * plugin's run() with a fixed stimulus and MIDI. `write` ran on the release
 * the fixtures are named after; `check` runs in CI on every later build.
 *
 * What "sounds the same" asserts: every preset and state is accepted with no
 * unknown symbol and no log line; the spike notes sent as MIDI match within
 * 5 % (+-2); the RMS of each channel within 1 dB. Bit identity is reported,
 * not required: a change in float summation order (a different but exact
 * coupling sum) may move single samples of a chaotic network.
 */
#include "host.h"

#include <lv2/atom/atom.h>
#include <lv2/atom/util.h>
#include <lv2/midi/midi.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE 48000.0
#define FRAMES 48000u
#define BLOCK 512u

typedef struct {
    double rms_db[2];
    unsigned notes;
    uint64_t hash; /* FNV-1a of both channels' float bits */
} sound;

static const void *
get_port_value(const char *symbol, void *user, uint32_t *size, uint32_t *type)
{
    hb_instance *h = user;
    int id = param_find(symbol);
    if (id < 0)
        return NULL;
    LV2_URID_Map *map = hb_map(h->w);
    *size = sizeof(float);
    *type = map->map(map->handle, LV2_ATOM__Float);
    return &h->controls[id];
}

typedef struct {
    hb_instance *h;
    int unknown;
} restore_ctx;

static void
set_port_value(const char *symbol, void *user, const void *value, uint32_t size,
               uint32_t type)
{
    restore_ctx *c = user;
    LV2_URID_Map *map = hb_map(c->h->w);
    int id = param_find(symbol);
    if (id < 0 || size != sizeof(float) || type != map->map(map->handle, LV2_ATOM__Float)) {
        fprintf(stderr, "compat_check: unknown port value '%s'\n", symbol);
        c->unknown++;
        return;
    }
    c->h->controls[id] = *(const float *)value;
}

static unsigned
count_notes(hb_instance *h)
{
    LV2_URID_Map *map = hb_map(h->w);
    LV2_URID midi_type = map->map(map->handle, LV2_MIDI__MidiEvent);
    const LV2_Atom_Sequence *seq = (const LV2_Atom_Sequence *)h->atom_out;
    unsigned n = 0;
    LV2_ATOM_SEQUENCE_FOREACH (seq, ev) {
        const uint8_t *m = (const uint8_t *)(ev + 1);
        if (ev->body.type == midi_type && ev->body.size >= 3 && (m[0] & 0xF0) == 0x90 &&
            m[2] > 0)
            ++n;
    }
    return n;
}

/* One second through run(): a 220 Hz stimulus and four notes, as a host
 * playing the plugin would give it. */
static void
render(hb_instance *h, sound *s)
{
    static const uint8_t midi[][3] = {{0x90, 60, 100}, {0x90, 67, 80}, {0x80, 60, 0},
                                      {0x80, 67, 0}};
    static const uint32_t at[] = {4800, 12000, 24000, 36000};
    double sum[2] = {0, 0};
    uint64_t hash = 1469598103934665603ull;
    s->notes = 0;
    lilv_instance_activate(h->inst);
    for (uint32_t f0 = 0; f0 < FRAMES; f0 += BLOCK) {
        uint8_t m[4][3];
        uint32_t t[4], n_m = 0;
        for (uint32_t k = 0; k < 4; ++k)
            if (at[k] >= f0 && at[k] < f0 + BLOCK) {
                memcpy(m[n_m], midi[k], 3);
                t[n_m++] = at[k] - f0;
            }
        hb_prepare_events(h, (const uint8_t(*)[3])m, t, n_m);
        float *stim = hb_port_buffer(h, PORT_STIMULUS);
        for (uint32_t i = 0; i < BLOCK; ++i)
            stim[i] = 0.25f * sinf((float)(f0 + i) * 2.0f * 3.14159265f * 220.0f / (float)RATE);
        lilv_instance_run(h->inst, BLOCK);
        s->notes += count_notes(h);
        const float *out[2] = {hb_port_buffer(h, PORT_OUT_LEFT),
                               hb_port_buffer(h, PORT_OUT_RIGHT)};
        for (int c = 0; c < 2; ++c)
            for (uint32_t i = 0; i < BLOCK; ++i) {
                sum[c] += (double)out[c][i] * out[c][i];
                uint32_t bits;
                memcpy(&bits, &out[c][i], sizeof bits);
                hash = (hash ^ bits) * 1099511628211ull;
            }
    }
    lilv_instance_deactivate(h->inst);
    for (int c = 0; c < 2; ++c)
        s->rms_db[c] = 10.0 * log10(sum[c] / FRAMES + 1e-20);
    s->hash = hash;
}

/* A saved state or preset file restored into a fresh instance and rendered. */
static int
render_file(hb_world *w, const char *path, const char *subject, bool cv, sound *s)
{
    LV2_URID_Map *map = hb_map(w);
    LilvNode *subj = subject ? lilv_new_uri(hb_lilv(w), subject) : NULL;
    LilvState *state = lilv_state_new_from_file(hb_lilv(w), map, subj, path);
    lilv_node_free(subj);
    if (!state) {
        fprintf(stderr, "compat_check: %s: not a state lilv can read\n", path);
        return -1;
    }
    hb_instance h;
    if (!hb_instantiate(&h, w, cv, RATE)) {
        lilv_state_free(state);
        return -1;
    }
    hb_take_log(w);
    restore_ctx c = {&h, 0};
    lilv_state_restore(state, h.inst, set_port_value, &c, 0, hb_features(w));
    lilv_state_free(state);
    const char *log = hb_take_log(w);
    int status = c.unknown ? -1 : 0;
    if (log[0]) {
        fprintf(stderr, "compat_check: %s: restore logged: %s\n", path, log);
        status = -1;
    }
    render(&h, s);
    hb_free(&h);
    return status;
}

/* The states a host saved with the fixtures' release: the same settings
 * on both plugins, chosen to exercise every part a saved session holds
 * (a coupled network with dendrites, MIDI drive, the sound section). */
static const struct {
    const char *name;
    bool cv;
    struct {
        param_id id;
        float v;
    } set[12];
} states[] = {
    {"state-bank-izh-network", false,
     {{P_MODEL, 2}, {P_NEURONS, 48}, {P_DRIVE, 9}, {P_SPREAD, 0.3f}, {P_CONNECTIVITY, 0.3f},
      {P_W_EXC, 0.6f}, {P_W_INH, 0.8f}, {P_LISTEN, 1}, {P_SPIKE_SOUND, 1}, {P_SCALE, 4},
      {P_SEED, 7}, {P_NOISE, 0.5f}}},
    {"state-bank-cv-pr-nmda", true,
     {{P_MODEL, 1}, {P_NEURONS, 12}, {P_DRIVE, 2.5f}, {P_DENDRITE_MODE, 1},
      {P_TEMPERATURE, 30}, {P_GAP, 0.2f}, {P_CONNECTIVITY, 1}, {P_W_EXC, 0.3f},
      {P_MIDI_DRIVE, 1}, {P_MEMBRANE_LEVEL, 0.5f}, {P_ROOT, 50}, {P_SPEED, 2}}},
};
#define N_STATES (sizeof states / sizeof states[0])

static int
write_states(hb_world *w, const char *dir)
{
    for (size_t i = 0; i < N_STATES; ++i) {
        hb_instance h;
        if (!hb_instantiate(&h, w, states[i].cv, RATE))
            return -1;
        for (int k = 0; k < 12; ++k)
            h.controls[states[i].set[k].id] = states[i].set[k].v;
        LilvState *st = lilv_state_new_from_instance(hb_plugin(w, states[i].cv), h.inst,
                                                     hb_map(w), NULL, NULL, NULL, NULL,
                                                     get_port_value, &h, 0, hb_features(w));
        /* lilv_state_save is what jalv and Ardour call to save a session */
        char file[256];
        snprintf(file, sizeof file, "%s.ttl", states[i].name);
        if (!st || lilv_state_save(hb_lilv(w), hb_map(w), hb_unmap(w), st, NULL, dir, file)) {
            fprintf(stderr, "compat_check: cannot save %s in %s\n", file, dir);
            return -1;
        }
        lilv_state_free(st);
        hb_free(&h);
    }
    return 0;
}

/* The subject of a preset file: the one URI typed pset:Preset in it. */
static int
preset_subject(const char *path, char *out, size_t n)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[512];
    int found = -1;
    while (found < 0 && fgets(line, sizeof line, f)) {
        char *a = strstr(line, "<urn:hillock:preset:");
        if (a && line[0] == '<') {
            char *b = strchr(a, '>');
            if (b && (size_t)(b - a - 1) < n) {
                memcpy(out, a + 1, (size_t)(b - a - 1));
                out[b - a - 1] = 0;
                found = 0;
            }
        }
    }
    fclose(f);
    return found;
}

static int
is_ttl(const struct dirent *d)
{
    size_t n = strlen(d->d_name);
    return n > 4 && d->d_name[0] != '.' && !strcmp(d->d_name + n - 4, ".ttl") &&
           strcmp(d->d_name, "manifest.ttl");
}

typedef struct {
    char name[320];
    sound s;
} entry;

/* Every fixture in DIR rendered by this build. */
static int
render_all(hb_world *w, const char *dir, entry *out, int max)
{
    int n = 0, bad = 0;
    for (size_t i = 0; i < N_STATES && n < max; ++i) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s.ttl", dir, states[i].name);
        snprintf(out[n].name, sizeof out[n].name, "%s", states[i].name);
        if (render_file(w, path, NULL, states[i].cv, &out[n].s) < 0)
            bad++;
        n++;
    }
    char pdir[1024];
    snprintf(pdir, sizeof pdir, "%s/presets", dir);
    struct dirent **ents = NULL;
    int k = scandir(pdir, &ents, is_ttl, alphasort);
    if (k <= 0) {
        fprintf(stderr, "compat_check: no preset files in %s\n", pdir);
        return -1;
    }
    for (int i = 0; i < k; ++i) {
        char path[1400], subject[256];
        snprintf(path, sizeof path, "%s/%s", pdir, ents[i]->d_name);
        if (n < max) {
            snprintf(out[n].name, sizeof out[n].name, "preset-%s", ents[i]->d_name);
            if (preset_subject(path, subject, sizeof subject) < 0 ||
                render_file(w, path, subject, false, &out[n].s) < 0) {
                fprintf(stderr, "compat_check: %s: cannot load\n", path);
                bad++;
            }
            n++;
        }
        free(ents[i]);
    }
    free(ents);
    return bad ? -1 : n;
}

int
main(int argc, char **argv)
{
    if (argc != 3 || (strcmp(argv[1], "write") && strcmp(argv[1], "check"))) {
        fprintf(stderr, "usage: compat_check write|check DIR\n");
        return 2;
    }
    const char *dir = argv[2];
    hb_world *w = hb_world_new();
    int status = 0;
    entry got[64];
    char path[1024];
    snprintf(path, sizeof path, "%s/sound.txt", dir);
    if (!strcmp(argv[1], "write")) {
        int n = write_states(w, dir) < 0 ? -1 : render_all(w, dir, got, 64);
        FILE *f = n < 0 ? NULL : fopen(path, "w");
        if (!f) {
            fprintf(stderr, "compat_check: cannot write the fixtures\n");
            hb_world_free(w);
            return 1;
        }
        fprintf(f, "# name rms_left_db rms_right_db midi_notes fnv1a  (compat_check write)\n");
        for (int i = 0; i < n; ++i)
            fprintf(f, "%s %.4f %.4f %u %016llx\n", got[i].name, got[i].s.rms_db[0],
                    got[i].s.rms_db[1], got[i].s.notes, (unsigned long long)got[i].s.hash);
        fclose(f);
        hb_world_free(w);
        return 0;
    }

    int n = render_all(w, dir, got, 64);
    if (n < 0)
        status = 1;
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "compat_check: cannot read %s\n", path);
        hb_world_free(w);
        return 1;
    }
    char line[512];
    int compared = 0, identical = 0;
    while (fgets(line, sizeof line, f)) {
        char name[320];
        double rms[2];
        unsigned notes;
        unsigned long long hash;
        if (line[0] == '#' ||
            sscanf(line, "%319s %lf %lf %u %llx", name, &rms[0], &rms[1], &notes, &hash) != 5)
            continue;
        const entry *e = NULL;
        for (int i = 0; i < n; ++i)
            if (!strcmp(got[i].name, name))
                e = &got[i];
        if (!e) {
            fprintf(stderr, "FAIL %s: not rendered\n", name);
            status = 1;
            continue;
        }
        compared++;
        double tol_notes = 2.0 + 0.05 * notes;
        bool ok = fabs((double)e->s.notes - notes) <= tol_notes &&
                  fabs(e->s.rms_db[0] - rms[0]) <= 1.0 && fabs(e->s.rms_db[1] - rms[1]) <= 1.0;
        bool same = e->s.hash == hash;
        identical += same;
        printf("%s %s: rms %.2f/%.2f dB (saved %.2f/%.2f), notes %u (saved %u)%s\n",
               ok ? "ok  " : "FAIL", name, e->s.rms_db[0], e->s.rms_db[1], rms[0], rms[1],
               e->s.notes, notes, same ? ", bit-identical" : "");
        if (!ok)
            status = 1;
    }
    fclose(f);
    if (compared != n || compared == 0) {
        fprintf(stderr, "FAIL: %d fixtures in sound.txt, %d rendered\n", compared, n);
        status = 1;
    }
    printf("%d of %d bit-identical\n", identical, compared);
    hb_world_free(w);
    return status;
}
