/* series_map.c — see series_map.h. */
#include "series_map.h"

#include "params.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    double *t;
    double *v;
    size_t n, cap;
} series;

static bool
push(series *s, double t, double v)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 1024;
        double *t2 = realloc(s->t, cap * sizeof *t2);
        if (!t2)
            return false;
        s->t = t2;
        double *v2 = realloc(s->v, cap * sizeof *v2);
        if (!v2)
            return false;
        s->v = v2;
        s->cap = cap;
    }
    s->t[s->n] = t;
    s->v[s->n] = v;
    s->n++;
    return true;
}

/* The first channel, one point per window (its mean, at its middle). */
static bool
read_audio(SNDFILE *f, const SF_INFO *info, series *s, char *err, size_t err_len)
{
    long window = lround(SERIES_MAP_WINDOW_S * info->samplerate);
    if (window < 1)
        window = 1;
    const int ch = info->channels;
    float *buf = malloc((size_t)window * (size_t)ch * sizeof *buf);
    if (!buf) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    bool ok = true;
    for (sf_count_t at = 0;; at += window) {
        sf_count_t got = sf_readf_float(f, buf, window);
        if (got <= 0)
            break;
        double sum = 0.0;
        for (sf_count_t k = 0; k < got; ++k)
            sum += buf[k * ch];
        double mid = (double)at + 0.5 * (double)(got - 1);
        if (!push(s, mid / info->samplerate, sum / (double)got)) {
            snprintf(err, err_len, "out of memory");
            ok = false;
            break;
        }
    }
    free(buf);
    return ok;
}

static bool
read_csv(FILE *f, series *s, char *err, size_t err_len)
{
    char line[1024];
    unsigned long n = 0;
    bool first = true;
    while (fgets(line, sizeof line, f)) {
        n++;
        char *p = line;
        while (isspace((unsigned char)*p))
            p++;
        if (!*p || *p == '#')
            continue;
        char *end;
        double t = strtod(p, &end);
        if (end == p) {
            if (first) { /* a header */
                first = false;
                continue;
            }
            snprintf(err, err_len, "line %lu: '%.40s' is not time_s,value", n, p);
            return false;
        }
        first = false;
        while (isspace((unsigned char)*end))
            end++;
        if (*end != ',' && *end != '\t') {
            snprintf(err, err_len, "line %lu: missing column (a line is time_s,value)", n);
            return false;
        }
        char *q = end + 1, *vend;
        double v = strtod(q, &vend);
        while (isspace((unsigned char)*vend))
            vend++;
        if (vend == q || (*vend && *vend != ',' && *vend != '\t') || !isfinite(v) ||
            !isfinite(t) || t < 0.0) {
            snprintf(err, err_len, "line %lu: expected a time >= 0 s and a finite value", n);
            return false;
        }
        if (s->n && t < s->t[s->n - 1]) {
            snprintf(err, err_len, "line %lu: time %g s is before the previous %g s", n, t,
                     s->t[s->n - 1]);
            return false;
        }
        if (!push(s, t, v)) {
            snprintf(err, err_len, "out of memory");
            return false;
        }
    }
    return true;
}

/* SYMBOL=FILE[,MIN,MAX]: the range is the last two comma fields when both
 * are numbers (a file name may hold commas). */
static bool
parse_spec(const char *spec, int *id, char *path, size_t path_len, double *lo, double *hi,
           bool *ranged, char *err, size_t err_len)
{
    const char *eq = strchr(spec, '=');
    if (!eq || eq == spec || !eq[1]) {
        snprintf(err, err_len, "expected SYMBOL=FILE[,MIN,MAX]");
        return false;
    }
    char symbol[64];
    snprintf(symbol, sizeof symbol, "%.*s", (int)(eq - spec), spec);
    *id = param_find(symbol);
    if (*id < 0) {
        snprintf(err, err_len, "unknown parameter '%s' (hillock params lists them)", symbol);
        return false;
    }
    snprintf(path, path_len, "%s", eq + 1);
    *ranged = false;
    char *c2 = strrchr(path, ',');
    if (c2) {
        *c2 = '\0';
        char *c1 = strrchr(path, ',');
        char *e1, *e2;
        if (c1) {
            double a = strtod(c1 + 1, &e1), b = strtod(c2 + 1, &e2);
            if (e1 != c1 + 1 && !*e1 && e2 != c2 + 1 && !*e2) {
                *c1 = '\0';
                *lo = a;
                *hi = b;
                *ranged = true;
            }
        }
        if (!*ranged)
            *c2 = ',';
    }
    const param_info *p = &param_table[*id];
    if (!*ranged) {
        *lo = p->min;
        *hi = p->max;
    }
    if (!(*lo >= p->min && *lo <= p->max && *hi >= p->min && *hi <= p->max)) {
        snprintf(err, err_len, "%s: %g..%g is outside its range %g..%g", symbol, *lo, *hi,
                 (double)p->min, (double)p->max);
        return false;
    }
    return true;
}

bool
series_map_add(automation *a, const char *spec, char *err, size_t err_len)
{
    int id;
    char path[4096];
    double lo, hi;
    bool ranged;
    if (!parse_spec(spec, &id, path, sizeof path, &lo, &hi, &ranged, err, err_len))
        return false;
    series s = {0};
    char why[512] = "";
    bool ok;
    SF_INFO info = {0};
    SNDFILE *audio = sf_open(path, SFM_READ, &info);
    if (audio) {
        ok = read_audio(audio, &info, &s, why, sizeof why);
        sf_close(audio);
    } else {
        FILE *f = fopen(path, "r");
        if (!f) {
            snprintf(err, err_len, "'%s': %s", path, strerror(errno));
            return false;
        }
        ok = read_csv(f, &s, why, sizeof why);
        fclose(f);
    }
    if (ok && s.n == 0) {
        snprintf(why, sizeof why, "no values");
        ok = false;
    }
    if (ok) {
        double vmin = s.v[0], vmax = s.v[0];
        for (size_t i = 1; i < s.n; ++i) {
            vmin = fmin(vmin, s.v[i]);
            vmax = fmax(vmax, s.v[i]);
        }
        const param_info *p = &param_table[id];
        automation_curve curve =
            p->kind == PARAM_KIND_FLOAT ? AUTOMATION_LINEAR : AUTOMATION_STEP;
        for (size_t i = 0; ok && i < s.n; ++i) {
            /* lowest -> MIN, highest -> MAX; a flat series sits in the middle */
            double x = vmax > vmin ? (s.v[i] - vmin) / (vmax - vmin) : 0.5;
            float v = param_sanitize((param_id)id, (float)(lo + x * (hi - lo)));
            ok = automation_add(a, (param_id)id, s.t[i], v, curve, 0, why, sizeof why);
        }
    }
    free(s.t);
    free(s.v);
    if (!ok)
        snprintf(err, err_len, "'%s': %s", path, why);
    return ok;
}
