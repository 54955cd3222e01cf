#include "sound_util.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <sord/sord.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PI_D 3.14159265358979323846

void
settings_apply(float values[PARAM_COUNT], const char *settings)
{
    /* the tests give currents in the model's own unit */
    param_defaults_absolute(values);
    if (!settings)
        return;
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", settings);
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        char *eq = strchr(tok, '=');
        cr_assert(eq, "setting '%s' lacks '='", tok);
        *eq = '\0';
        int id = param_find(tok);
        cr_assert(id >= 0, "unknown parameter '%s'", tok);
        char err[256];
        cr_assert(param_parse((param_id)id, eq + 1, &values[id], err, sizeof err), "%s", err);
    }
}

engine *
engine_with(double sample_rate, const char *settings)
{
    float v[PARAM_COUNT];
    settings_apply(v, settings);
    engine *e = engine_create(sample_rate);
    cr_assert(e);
    engine_set_all_params(e, v);
    return e;
}

static void *
grow(void *p, size_t n, size_t elem)
{
    void *q = realloc(p, n * elem);
    cr_assert(q || n == 0);
    return q;
}

void
render(engine *e, render_out *out, size_t n, unsigned block, const float *stimulus)
{
    static const unsigned pattern[] = {1, 7, 64, 3, 256, 511, 2, 1000, 33};
    size_t base = out->n;
    out->l = grow(out->l, base + n, sizeof(float));
    out->r = grow(out->r, base + n, sizeof(float));
    engine_spike spikes[8192];
    engine_midi_event midi[1024];
    size_t done = 0, k = 0;
    engine_stats st;
    while (done < n) {
        unsigned b = block ? block : pattern[k++ % 9];
        if (b > n - done)
            b = (unsigned)(n - done);
        engine_get_stats(e, &st);
        engine_io io = {
            .stimulus = stimulus ? stimulus + done : NULL,
            .out_left = out->l + base + done,
            .out_right = out->r + base + done,
            .spikes = spikes,
            .spike_capacity = 8192,
            .midi_out = midi,
            .midi_capacity = 1024,
        };
        engine_process(e, &io, b);
        if (io.n_spikes) {
            out->spike_t = grow(out->spike_t, out->n_spikes + io.n_spikes, sizeof(double));
            out->spike_neuron =
                grow(out->spike_neuron, out->n_spikes + io.n_spikes, sizeof(uint32_t));
            for (uint32_t i = 0; i < io.n_spikes; ++i) {
                out->spike_t[out->n_spikes] =
                    (double)st.frames + spikes[i].offset + (double)spikes[i].frac;
                out->spike_neuron[out->n_spikes++] = spikes[i].neuron;
            }
        }
        if (io.n_midi_out) {
            out->midi = grow(out->midi, out->n_midi + io.n_midi_out, sizeof *out->midi);
            out->midi_at = grow(out->midi_at, out->n_midi + io.n_midi_out, sizeof(uint64_t));
            for (uint32_t i = 0; i < io.n_midi_out; ++i) {
                out->midi[out->n_midi] = midi[i];
                out->midi_at[out->n_midi++] = st.frames + midi[i].frame;
            }
        }
        done += b;
    }
    out->n = base + n;
}

void
render_free(render_out *out)
{
    free(out->l);
    free(out->r);
    free(out->spike_t);
    free(out->spike_neuron);
    free(out->midi);
    free(out->midi_at);
    memset(out, 0, sizeof *out);
}

double
windowed_mean(const float *x, size_t n)
{
    if (n < 2)
        return n ? x[0] : 0.0;
    const double k = 2.0 * PI_D / (double)(n - 1u);
    double sum = 0.0, weights = 0.0;
    for (size_t i = 0; i < n; ++i) {
        const double w = 0.42 - 0.5 * cos(k * (double)i) + 0.08 * cos(2.0 * k * (double)i);
        sum += w * (double)x[i];
        weights += w;
    }
    return sum / weights;
}

double
rms(const float *x, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; ++i)
        s += (double)x[i] * x[i];
    return n ? sqrt(s / (double)n) : 0.0;
}

double
db(double ratio)
{
    return 20.0 * log10(ratio > 1e-30 ? ratio : 1e-30);
}

float
max_abs(const float *x, size_t n)
{
    float m = 0.0f;
    for (size_t i = 0; i < n; ++i)
        m = fabsf(x[i]) > m ? fabsf(x[i]) : m;
    return m;
}

float
max_step(const float *x, size_t begin, size_t end)
{
    float m = 0.0f;
    for (size_t i = begin + 1; i < end; ++i) {
        float d = fabsf(x[i] - x[i - 1]);
        m = d > m ? d : m;
    }
    return m;
}

/* In-place iterative radix-2 FFT (Cooley & Tukey 1965), n a power of two. */
static void
fft(double *re, double *im, size_t n)
{
    for (size_t i = 1, j = 0; i < n; ++i) {
        size_t bit = n >> 1;
        for (; j & bit; bit >>= 1)
            j ^= bit;
        j ^= bit;
        if (i < j) {
            double t = re[i];
            re[i] = re[j];
            re[j] = t;
            t = im[i];
            im[i] = im[j];
            im[j] = t;
        }
    }
    for (size_t len = 2; len <= n; len <<= 1) {
        double a = -2.0 * PI_D / (double)len;
        for (size_t i = 0; i < n; i += len)
            for (size_t k = 0; k < len / 2; ++k) {
                double wr = cos(a * (double)k), wi = sin(a * (double)k);
                double xr = re[i + k + len / 2], xi = im[i + k + len / 2];
                double tr = xr * wr - xi * wi, ti = xr * wi + xi * wr;
                re[i + k + len / 2] = re[i + k] - tr;
                im[i + k + len / 2] = im[i + k] - ti;
                re[i + k] += tr;
                im[i + k] += ti;
            }
    }
}

void
power_spectrum(const float *x, size_t n, double *p)
{
    double *re = calloc(n, sizeof(double)), *im = calloc(n, sizeof(double));
    cr_assert(re && im);
    /* Blackman-Harris 4-term (Harris 1978): sidelobes -92 dB, main lobe +-4 bins */
    for (size_t i = 0; i < n; ++i) {
        double t = 2.0 * PI_D * (double)i / (double)n;
        double w = 0.35875 - 0.48829 * cos(t) + 0.14128 * cos(2 * t) - 0.01168 * cos(3 * t);
        re[i] = w * x[i];
    }
    fft(re, im, n);
    for (size_t k = 0; k <= n / 2; ++k)
        p[k] = re[k] * re[k] + im[k] * im[k];
    free(re);
    free(im);
}

double
inharmonic_db(const float *x, size_t n, double sample_rate, double f0, int guard)
{
    double *p = calloc(n / 2 + 1, sizeof(double));
    cr_assert(p);
    power_spectrum(x, n, p);
    double total = 0.0, off = 0.0, bin_hz = sample_rate / (double)n;
    for (size_t k = 0; k <= n / 2; ++k) {
        double f = (double)k * bin_hz;
        double h = floor(f / f0 + 0.5);
        double dist_bins = fabs(f - h * f0) / bin_hz;
        total += p[k];
        if (dist_bins > guard)
            off += p[k];
    }
    free(p);
    return 10.0 * log10(fmax(off, 1e-300) / total);
}

double
true_peak(const float *x, size_t n)
{
    enum { OS = 8, HALF = 32 };
    double h[OS][2 * HALF];
    for (int p = 0; p < OS; ++p)
        for (int j = 0; j < 2 * HALF; ++j) {
            /* the point p / OS past sample i from x[i - HALF + 1 + j] */
            double t = (double)(HALF - 1 - j) + (double)p / OS;
            double s = fabs(t) < 1e-12 ? 1.0 : sin(PI_D * t) / (PI_D * t);
            double u = (t + HALF) / (2.0 * HALF); /* 0..1 over the window */
            double w = 0.42 - 0.5 * cos(2 * PI_D * u) + 0.08 * cos(4 * PI_D * u);
            h[p][j] = s * w;
        }
    double peak = 0.0;
    for (size_t i = 0; i < n; ++i) {
        peak = fmax(peak, fabs((double)x[i]));
        for (int p = 1; p < OS; ++p) {
            double y = 0.0;
            for (int j = 0; j < 2 * HALF; ++j) {
                long k = (long)i - HALF + 1 + j;
                if (k >= 0 && (size_t)k < n)
                    y += h[p][j] * x[k];
            }
            peak = fmax(peak, fabs(y));
        }
    }
    return peak;
}

int
preset_file_load(const char *path, float values[PARAM_COUNT], char *err, size_t err_len)
{
    param_defaults(values);
    SordWorld *world = sord_world_new();
    SordModel *model = sord_new(world, SORD_SPO, false);
    SerdEnv *env = serd_env_new(NULL);
    SerdReader *reader = sord_new_reader(model, env, SERD_TURTLE, NULL);
    int rc = -1;
    if (serd_reader_read_file(reader, (const uint8_t *)path) != SERD_SUCCESS) {
        snprintf(err, err_len, "%s: not readable Turtle", path);
        goto done;
    }
    SordNode *port = sord_new_uri(world, (const uint8_t *)"http://lv2plug.in/ns/lv2core#port");
    SordNode *symbol =
        sord_new_uri(world, (const uint8_t *)"http://lv2plug.in/ns/lv2core#symbol");
    SordNode *value =
        sord_new_uri(world, (const uint8_t *)"http://lv2plug.in/ns/ext/presets#value");
    SordIter *it = sord_search(model, NULL, port, NULL, NULL);
    rc = 0;
    for (; !sord_iter_end(it); sord_iter_next(it)) {
        const SordNode *blank = sord_iter_get_node(it, SORD_OBJECT);
        SordNode *s = sord_get(model, blank, symbol, NULL, NULL);
        SordNode *v = sord_get(model, blank, value, NULL, NULL);
        if (!s || !v) {
            snprintf(err, err_len, "%s: a port without symbol or value", path);
            rc = -1;
        } else {
            const char *sym = (const char *)sord_node_get_string(s);
            int id = param_find(sym);
            double x = atof((const char *)sord_node_get_string(v));
            if (id < 0) {
                snprintf(err, err_len, "%s: unknown symbol %s", path, sym);
                rc = -1;
            } else if (x < param_table[id].min || x > param_table[id].max) {
                snprintf(err, err_len, "%s: %s = %g out of range", path, sym, x);
                rc = -1;
            } else {
                values[id] = (float)x;
            }
        }
        if (s)
            sord_node_free(world, s);
        if (v)
            sord_node_free(world, v);
    }
    sord_iter_free(it);
    sord_node_free(world, port);
    sord_node_free(world, symbol);
    sord_node_free(world, value);
done:
    serd_reader_free(reader);
    serd_env_free(env);
    sord_free(model);
    sord_world_free(world);
    return rc;
}

int
preset_names(char names[][64], int max)
{
    DIR *d = opendir(PRESET_DIR);
    cr_assert(d, "cannot open %s", PRESET_DIR);
    int n = 0;
    struct dirent *ent;
    while ((ent = readdir(d)) && n < max) {
        size_t len = strlen(ent->d_name);
        if (len > 4 && len < 64 && strcmp(ent->d_name + len - 4, ".ttl") == 0 &&
            strcmp(ent->d_name, "manifest.ttl") != 0) {
            memcpy(names[n], ent->d_name, len - 4);
            names[n][len - 4] = '\0';
            n++;
        }
    }
    closedir(d);
    return n;
}

void
preset_load(const char *name, float values[PARAM_COUNT])
{
    char path[512], err[512];
    snprintf(path, sizeof path, "%s/%s.ttl", PRESET_DIR, name);
    cr_assert_eq(preset_file_load(path, values, err, sizeof err), 0, "%s", err);
}

float *
vowel(size_t n, double sr)
{
    float *x = calloc(n, sizeof(float));
    double phase = 0.0;
    for (size_t i = 0; i < n; ++i) {
        double f0 = 150.0 * (1.0 + 0.2 * sin(2.0 * 3.14159265 * 0.7 * i / sr));
        phase += f0 / sr;
        double s = 0.0;
        for (int h = 1; h <= 20; ++h) {
            double f = h * f0, a = exp(-pow((f - 700) / 200, 2)) + 0.6 * exp(-pow((f - 1200) / 250, 2)) + 0.05;
            s += a * sin(2.0 * 3.14159265 * h * phase);
        }
        x[i] = ((i / 12000) % 2 == 0) ? (float)(0.25 * s) : 0.0f;
    }
    return x;
}
