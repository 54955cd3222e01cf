/* presets.c — LV2 presets (pset:Preset, one per .ttl file) read with sord.
 *
 * A preset file is Turtle holding one subject of type pset:Preset with
 * lv2:port [ lv2:symbol "drive" ; pset:value 12.0 ] entries, its name the
 * file name without ".ttl" (presets/tonic-hh.ttl is "tonic-hh"). The
 * parameter table validates every symbol and value, so a preset can never
 * set something the engine does not have.
 */
/* realpath() is XSI, not in plain POSIX.1-2008 */
#define _XOPEN_SOURCE 700

#include "presets.h"

#include "input_file.h"

#include "utf8.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <serd/serd.h>
#include <sord/sord.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* A preset is a few hundred bytes of Turtle; a file far beyond that is not
 * one, and reading it whole would hold up Ctrl-C. */
#define PRESET_MAX_BYTES (1u << 20)

#define NS_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_RDFS "http://www.w3.org/2000/01/rdf-schema#"
#define NS_LV2 "http://lv2plug.in/ns/lv2core#"
#define NS_PSET "http://lv2plug.in/ns/ext/presets#"

#ifndef HILLOCK_PRESET_SRC_DIR
#define HILLOCK_PRESET_SRC_DIR "presets"
#endif
#ifndef HILLOCK_PRESET_INSTALL_DIR
#define HILLOCK_PRESET_INSTALL_DIR "/usr/local/lib/lv2/hillock.lv2"
#endif

/* ---- reading one file --------------------------------------------------- */

typedef struct {
    char *msg;
    size_t len;
    int count;
} error_sink_ctx;

/* serd reports syntax errors here instead of printing them. */
static SerdStatus
on_serd_error(void *handle, const SerdError *e)
{
    error_sink_ctx *ctx = handle;
    if (ctx->count++ == 0 && ctx->msg && ctx->len) {
        char text[256];
        vsnprintf(text, sizeof text, e->fmt, *e->args);
        size_t n = strlen(text);
        while (n && (text[n - 1] == '\n' || text[n - 1] == ' '))
            text[--n] = '\0';
        snprintf(ctx->msg, ctx->len, "line %u: %s", e->line, text);
    }
    return SERD_SUCCESS;
}

typedef struct {
    SordWorld *world;
    SordModel *model;
    SordNode *rdf_type, *pset_preset, *pset_value, *lv2_port, *lv2_symbol, *rdfs_label,
        *rdfs_comment;
} turtle;

static void
turtle_close(turtle *t)
{
    SordNode **nodes[] = {&t->rdf_type,   &t->pset_preset, &t->pset_value, &t->lv2_port,
                          &t->lv2_symbol, &t->rdfs_label,  &t->rdfs_comment};
    for (size_t i = 0; i < sizeof nodes / sizeof nodes[0]; ++i)
        if (*nodes[i]) {
            sord_node_free(t->world, *nodes[i]);
            *nodes[i] = NULL;
        }
    if (t->model)
        sord_free(t->model);
    if (t->world)
        sord_world_free(t->world);
    t->model = NULL;
    t->world = NULL;
}

static SordNode *
uri(turtle *t, const char *s)
{
    return sord_new_uri(t->world, (const uint8_t *)s);
}

/* Parse path into a fresh model; false with a message on any error. */
static bool
turtle_read(turtle *t, const char *path, char *err, size_t err_len)
{
    memset(t, 0, sizeof *t);
    int fd = input_file_open(path, "preset", PRESET_MAX_BYTES, err, err_len);
    FILE *fp = fd < 0 ? NULL : fdopen(fd, "rb");
    if (!fp) {
        if (fd >= 0) {
            snprintf(err, err_len, "cannot read preset '%s': %s", path, strerror(errno));
            close(fd);
        }
        return false;
    }
    char abs[PATH_MAX];
    if (!realpath(path, abs))
        snprintf(abs, sizeof abs, "%s", path);

    error_sink_ctx ctx = {NULL, 0, 0};
    char msg[300] = "";
    ctx.msg = msg;
    ctx.len = sizeof msg;

    t->world = sord_world_new();
    t->model = t->world ? sord_new(t->world, SORD_SPO | SORD_OPS, false) : NULL;
    if (!t->model) {
        fclose(fp);
        turtle_close(t);
        snprintf(err, err_len, "out of memory reading '%s'", path);
        return false;
    }
    sord_world_set_error_sink(t->world, on_serd_error, &ctx);
    /* The file's own URI is the base, so relative URIs in it resolve. */
    SerdNode base = serd_node_new_file_uri((const uint8_t *)abs, NULL, NULL, true);
    SerdEnv *env = serd_env_new(&base);
    SerdReader *reader = sord_new_reader(t->model, env, SERD_TURTLE, NULL);
    serd_reader_set_error_sink(reader, on_serd_error, &ctx);
    SerdStatus st = serd_reader_read_file_handle(reader, fp, (const uint8_t *)path);
    serd_reader_free(reader);
    serd_env_free(env);
    serd_node_free(&base);
    fclose(fp);

    if (st > SERD_FAILURE || ctx.count > 0) {
        snprintf(err, err_len, "preset '%s': %s", path,
                 msg[0] ? msg : "not valid Turtle");
        turtle_close(t);
        return false;
    }
    t->rdf_type = uri(t, NS_RDF "type");
    t->pset_preset = uri(t, NS_PSET "Preset");
    t->pset_value = uri(t, NS_PSET "value");
    t->lv2_port = uri(t, NS_LV2 "port");
    t->lv2_symbol = uri(t, NS_LV2 "symbol");
    t->rdfs_label = uri(t, NS_RDFS "label");
    t->rdfs_comment = uri(t, NS_RDFS "comment");
    return true;
}

/* The one pset:Preset subject that has lv2:port values (a manifest also
 * types presets but lists no ports). NULL, with a message, if there is none
 * or more than one. The caller frees the node. */
static SordNode *
find_preset(turtle *t, const char *path, char *err, size_t err_len)
{
    SordNode *found = NULL;
    int count = 0;
    SordIter *it = sord_search(t->model, NULL, t->rdf_type, t->pset_preset, NULL);
    for (; it && !sord_iter_end(it); sord_iter_next(it)) {
        const SordNode *s = sord_iter_get_node(it, SORD_SUBJECT);
        if (!sord_ask(t->model, s, t->lv2_port, NULL, NULL))
            continue;
        if (count++ == 0)
            found = sord_node_copy(s);
    }
    sord_iter_free(it);
    if (count == 1)
        return found;
    if (found)
        sord_node_free(t->world, found);
    if (count)
        snprintf(err, err_len, "preset '%s': holds %d presets, expected one per file", path,
                 count);
    else
        snprintf(err, err_len, "preset '%s': no pset:Preset with lv2:port values", path);
    return NULL;
}

static void
copy_literal(turtle *t, const SordNode *subject, const SordNode *predicate, char *out,
             size_t out_len)
{
    out[0] = '\0';
    SordNode *n = sord_get(t->model, subject, predicate, NULL, NULL);
    if (n) {
        utf8_copy(out, out_len, (const char *)sord_node_get_string(n));
        sord_node_free(t->world, n);
    }
}

static void
name_from_path(const char *path, char *name, size_t len)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    utf8_copy(name, len, base);
    size_t n = strlen(base);
    if (n > 4 && strcmp(base + n - 4, ".ttl") == 0 && n - 4 < len)
        name[n - 4] = '\0';
}

/* Read a preset file: its description into info (if not NULL) and, if values
 * is not NULL, the defaults overridden by every port value it names. */
static bool
load_file(const char *path, float values[PARAM_COUNT], preset_info *info, char *err,
          size_t err_len)
{
    turtle t;
    if (!turtle_read(&t, path, err, err_len))
        return false;
    SordNode *preset = find_preset(&t, path, err, err_len);
    if (!preset) {
        turtle_close(&t);
        return false;
    }
    bool ok = true;
    if (info) {
        memset(info, 0, sizeof *info);
        name_from_path(path, info->name, sizeof info->name);
        utf8_copy(info->path, sizeof info->path, path);
        utf8_copy(info->uri, sizeof info->uri, (const char *)sord_node_get_string(preset));
        copy_literal(&t, preset, t.rdfs_label, info->label, sizeof info->label);
        copy_literal(&t, preset, t.rdfs_comment, info->comment, sizeof info->comment);
    }
    if (values) {
        param_defaults(values);
        SordIter *it = sord_search(t.model, preset, t.lv2_port, NULL, NULL);
        for (; ok && it && !sord_iter_end(it); sord_iter_next(it)) {
            const SordNode *port = sord_iter_get_node(it, SORD_OBJECT);
            SordNode *sym = sord_get(t.model, port, t.lv2_symbol, NULL, NULL);
            SordNode *val = sord_get(t.model, port, t.pset_value, NULL, NULL);
            const char *symbol = sym ? (const char *)sord_node_get_string(sym) : NULL;
            int id = symbol ? param_find(symbol) : -1;
            char why[200];
            if (!sym || !val) {
                snprintf(err, err_len, "preset '%s': a port lacks lv2:symbol or pset:value",
                         path);
                ok = false;
            } else if (id < 0) {
                snprintf(err, err_len, "preset '%s': unknown parameter '%s'", path, symbol);
                ok = false;
            } else if (sord_node_get_type(val) != SORD_LITERAL ||
                       !param_parse((param_id)id, (const char *)sord_node_get_string(val),
                                    &values[id], why, sizeof why)) {
                if (sord_node_get_type(val) != SORD_LITERAL)
                    snprintf(why, sizeof why, "%s: value is not a literal", symbol);
                snprintf(err, err_len, "preset '%s': %s", path, why);
                ok = false;
            }
            if (sym)
                sord_node_free(t.world, sym);
            if (val)
                sord_node_free(t.world, val);
        }
        sord_iter_free(it);
    }
    sord_node_free(t.world, preset);
    turtle_close(&t);
    return ok;
}

/* ---- the search path ---------------------------------------------------- */

typedef struct {
    char name[64];
    char path[1024];
} candidate;

typedef struct {
    candidate *items;
    size_t n, cap;
} candidate_list;

static bool
has_name(const candidate_list *l, const char *name)
{
    for (size_t i = 0; i < l->n; ++i)
        if (strcmp(l->items[i].name, name) == 0)
            return true;
    return false;
}

static int
by_path(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Add every NAME.ttl of one folder not already shadowed by an earlier one.
 * manifest.ttl is bundle metadata, never a preset. */
static void
scan_folder(candidate_list *l, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *ent;
    while ((ent = readdir(d))) {
        size_t len = strlen(ent->d_name);
        if (len <= 4 || ent->d_name[0] == '.' || strcmp(ent->d_name + len - 4, ".ttl") ||
            !strcmp(ent->d_name, "manifest.ttl"))
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 32;
            char **grown = realloc(names, cap * sizeof *names);
            if (!grown)
                break;
            names = grown;
        }
        if (!(names[n] = strdup(ent->d_name)))
            break;
        ++n;
    }
    closedir(d);
    if (n) /* an empty folder has no list to sort (qsort wants one) */
        qsort(names, n, sizeof *names, by_path); /* readdir order is arbitrary */
    for (size_t i = 0; i < n; ++i) {
        candidate c;
        name_from_path(names[i], c.name, sizeof c.name);
        int w = snprintf(c.path, sizeof c.path, "%s/%s", dir, names[i]);
        struct stat st;
        if (w > 0 && (size_t)w < sizeof c.path && stat(c.path, &st) == 0 &&
            S_ISREG(st.st_mode) && !has_name(l, c.name)) {
            if (l->n == l->cap) {
                size_t cap2 = l->cap ? 2 * l->cap : 32;
                candidate *grown = realloc(l->items, cap2 * sizeof *grown);
                if (grown) {
                    l->items = grown;
                    l->cap = cap2;
                }
            }
            if (l->n < l->cap)
                l->items[l->n++] = c;
        }
        free(names[i]);
    }
    free(names);
}

presets_path *
presets_search_path(void)
{
    const char *env = getenv("HILLOCK_PRESET_PATH");
    size_t cap = 3 + 1; /* the built-in folders, and one more for an empty $HILLOCK_PRESET_PATH */
    for (const char *c = env; c && *c; ++c)
        cap += *c == ':';
    presets_path *p = malloc(sizeof *p + cap * sizeof p->dirs[0]);
    if (!p)
        return NULL;
    p->n = 0;
    /* Every folder of $HILLOCK_PRESET_PATH, however many, then the built-in
     * ones, which are never crowded out. */
    while (env && *env) {
        const char *colon = strchr(env, ':');
        size_t len = colon ? (size_t)(colon - env) : strlen(env);
        if (len > 0 && len < sizeof p->dirs[0] && p->n < cap - 3) {
            memcpy(p->dirs[p->n], env, len);
            p->dirs[p->n++][len] = '\0';
        }
        env = colon ? colon + 1 : NULL;
    }
    snprintf(p->dirs[p->n++], sizeof p->dirs[0], "%s", HILLOCK_PRESET_INSTALL_DIR);
    snprintf(p->dirs[p->n++], sizeof p->dirs[0], "%s/presets", HILLOCK_PRESET_INSTALL_DIR);
    snprintf(p->dirs[p->n++], sizeof p->dirs[0], "%s", HILLOCK_PRESET_SRC_DIR);
    return p;
}

static candidate_list
scan_all(void)
{
    candidate_list l = {NULL, 0, 0};
    presets_path *path = presets_search_path();
    for (size_t i = 0; path && i < path->n; ++i)
        scan_folder(&l, path->dirs[i]);
    free(path);
    return l;
}

static int
by_name(const void *a, const void *b)
{
    return strcmp(((const preset_info *)a)->name, ((const preset_info *)b)->name);
}

int
presets_list(preset_info *out, int max, char *err, size_t err_len)
{
    candidate_list l = scan_all();
    preset_info *all = calloc(l.n ? l.n : 1, sizeof *all);
    if (!all) {
        free(l.items);
        snprintf(err, err_len, "out of memory listing presets");
        return -1;
    }
    size_t n = 0;
    for (size_t i = 0; i < l.n; ++i) {
        char why[512];
        turtle t;
        /* Files that do not parse are reported and skipped, so one broken
         * file does not hide every other preset; Turtle files that are not
         * presets are skipped quietly. */
        if (!turtle_read(&t, l.items[i].path, why, sizeof why)) {
            fprintf(stderr, "hillock: warning: %s\n", why);
            continue;
        }
        SordNode *p = find_preset(&t, l.items[i].path, why, sizeof why);
        if (p)
            sord_node_free(t.world, p);
        turtle_close(&t);
        if (p && load_file(l.items[i].path, NULL, &all[n], why, sizeof why))
            ++n;
    }
    free(l.items);
    qsort(all, n, sizeof *all, by_name);
    int count = (int)(n < (size_t)max ? n : (size_t)(max > 0 ? max : 0));
    if (count > 0)
        memcpy(out, all, (size_t)count * sizeof *out);
    free(all);
    return count;
}

int
presets_check(FILE *report, int *checked)
{
    candidate_list l = scan_all();
    int bad = 0, good = 0;
    for (size_t i = 0; i < l.n; ++i) {
        char why[512];
        turtle t;
        if (!turtle_read(&t, l.items[i].path, why, sizeof why)) {
            fprintf(report, "%s\n", why);
            ++bad;
            continue;
        }
        /* Turtle that types no preset (a plugin description) is not checked. */
        bool typed = sord_ask(t.model, NULL, t.rdf_type, t.pset_preset, NULL);
        turtle_close(&t);
        if (!typed)
            continue;
        float values[PARAM_COUNT];
        if (load_file(l.items[i].path, values, NULL, why, sizeof why)) {
            ++good;
        } else {
            fprintf(report, "%s\n", why);
            ++bad;
        }
    }
    free(l.items);
    if (checked)
        *checked = good + bad;
    return bad;
}

static bool
looks_like_path(const char *which)
{
    size_t n = strlen(which);
    return strchr(which, '/') || (n > 4 && strcmp(which + n - 4, ".ttl") == 0);
}

bool
preset_load_info(const char *which, float values[PARAM_COUNT], preset_info *info, char *err,
                 size_t err_len)
{
    if (looks_like_path(which))
        return load_file(which, values, info, err, err_len);

    candidate_list l = scan_all();
    const char *path = NULL;
    for (size_t i = 0; i < l.n && !path; ++i)
        if (strcmp(l.items[i].name, which) == 0)
            path = l.items[i].path;
    /* Not a file name: try labels and URIs, which needs reading the files. */
    for (size_t i = 0; i < l.n && !path; ++i) {
        preset_info pi;
        char why[512];
        if (load_file(l.items[i].path, NULL, &pi, why, sizeof why) &&
            (strcasecmp(pi.label, which) == 0 || strcmp(pi.uri, which) == 0))
            path = l.items[i].path;
    }
    bool ok;
    if (path) {
        ok = load_file(path, values, info, err, err_len);
    } else {
        snprintf(err, err_len, "unknown preset '%s' (`hillock presets` lists them)", which);
        ok = false;
    }
    free(l.items);
    return ok;
}

bool
preset_load(const char *which, float values[PARAM_COUNT], char *err, size_t err_len)
{
    return preset_load_info(which, values, NULL, err, err_len);
}
