/* synapse_weights.c — the learned weights in the plugin's state
 * (hillock:synapseWeights): the stored synapse table as the .npy bytes of
 * dsp/synapse_file.h, in a file the host names (state:makePath, mapped with
 * state:mapPath) or, in a host without those, as an atom:Chunk.
 *
 * save() may run while run() does: it holds ps->lock, which the worker
 * takes to free a replaced table (synapse_jobs.c), so the table it reads
 * stays allocated; each weight is read once, as run() may be updating it,
 * so a save during learning holds every weight as it was at one moment of
 * that block. The delays are not taken from the file (their axon lengths
 * come with the wiring), so they are saved as 0 and come back exact.
 *
 * restore() is never called concurrently with run(): it builds the table
 * for the file's wiring, takes the weights (every check of
 * synapse_file_parse first: on any failure the current table stays, with
 * a log line) and hands it to the engine, which plays it once the running
 * wiring is the file's (the ports the host restores with it). A state this
 * plugin saved without learned weights drops the table: a preset is the
 * whole sound, and the worker builds a fresh one if the preset learns. */
#include "plugin.h"
#include "uris.h"

#include "params.h"
#include "synapse_file.h"
#include "synapses.h"

#include <lv2/atom/atom.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool
write_all(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(data, 1, size, f) == size;
    return (fclose(f) == 0) && ok;
}

LV2_State_Status
synapses_save(hillock_plugin *self, LV2_State_Store_Function store, LV2_State_Handle handle,
              const LV2_Feature *const *features)
{
    plugin_synapses *ps = &self->syn;
    if (!ps->lock_ok)
        return LV2_STATE_SUCCESS;
    uint8_t *data = NULL;
    size_t size = 0;
    pthread_mutex_lock(&ps->lock);
    const synapse_table *t = engine_synapses(self->eng);
    bool formatted = t && synapse_file_format(t, 0.0f, &data, &size);
    pthread_mutex_unlock(&ps->lock);
    if (!t)
        return LV2_STATE_SUCCESS; /* nothing stored: restore drops a table */
    if (!formatted) {
        lv2_log_error(&self->logger, "hillock: out of memory saving the learned weights\n");
        return LV2_STATE_ERR_NO_SPACE;
    }
    const LV2_State_Make_Path *make = plugin_feature_data(features, LV2_STATE__makePath);
    const LV2_State_Map_Path *map_path = plugin_feature_data(features, LV2_STATE__mapPath);
    LV2_State_Status st = LV2_STATE_ERR_UNKNOWN;
    char *path = make && map_path ? make->path(make->handle, "synapse-weights.npy") : NULL;
    if (path) {
        char *abstract = write_all(path, data, size)
                             ? map_path->abstract_path(map_path->handle, path)
                             : NULL;
        if (abstract) {
            st = store(handle, ps->prop, abstract, strlen(abstract) + 1u, ps->atom_Path,
                       LV2_STATE_IS_POD);
            plugin_free_host_path(features, abstract);
        } else {
            lv2_log_error(&self->logger, "hillock: cannot write the learned weights to %s\n",
                          path);
        }
        plugin_free_host_path(features, path);
    } else {
        st = store(handle, ps->prop, data, size, ps->atom_Chunk,
                   LV2_STATE_IS_POD | LV2_STATE_IS_PORTABLE);
    }
    free(data);
    return st;
}

/* The bytes of a file the state names, or NULL with the reason in err. */
static uint8_t *
read_file(const char *path, size_t *size, char *err, size_t err_len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_len, "cannot open %s", path);
        return NULL;
    }
    uint8_t *data = NULL;
    long len = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    if (len < 0 || (size_t)len > SYNAPSES_MAX_BYTES) {
        snprintf(err, err_len, "%s: not a readable file within %zu bytes", path,
                 (size_t)SYNAPSES_MAX_BYTES);
    } else if (!(data = malloc(len ? (size_t)len : 1u))) {
        snprintf(err, err_len, "out of memory");
    } else if (fseek(f, 0, SEEK_SET) != 0 || fread(data, 1, (size_t)len, f) != (size_t)len) {
        snprintf(err, err_len, "cannot read %s", path);
        free(data);
        data = NULL;
    }
    fclose(f);
    *size = (size_t)(len > 0 ? len : 0);
    return data;
}

/* A table of the bytes' wiring holding their weights, or NULL with err. */
static synapse_table *
table_of(const uint8_t *data, size_t size, char *err, size_t err_len)
{
    network_params np = {0};
    uint32_t n = 0;
    if (!synapse_file_wiring(data, size, &np, &n, err, err_len))
        return NULL;
    if (n < param_table[P_NEURONS].min || n > param_table[P_NEURONS].max || !(np.p >= 0.0f) ||
        np.p > 1.0f) {
        snprintf(err, err_len, "a wiring no bank has (%u neurons, connectivity %g)", n,
                 (double)np.p);
        return NULL;
    }
    synapse_table *t = synapses_build(&np, n, err, err_len);
    if (t && !synapse_file_parse(t, data, size, param_table[P_W_MAX].max, err, err_len)) {
        synapses_free(t);
        t = NULL;
    }
    return t;
}

void
synapses_restore(hillock_plugin *self, LV2_State_Retrieve_Function retrieve,
                 LV2_State_Handle handle, const LV2_Feature *const *features)
{
    plugin_synapses *ps = &self->syn;
    size_t size = 0;
    uint32_t type = 0, vflags = 0;
    const void *value = retrieve(handle, ps->prop, &size, &type, &vflags);
    synapse_table *t = NULL;
    if (value) {
        char err[512] = "";
        uint8_t *owned = NULL;
        const uint8_t *bytes = NULL;
        if (type == ps->atom_Chunk) {
            bytes = value;
        } else if (type == ps->atom_Path && size > 0 && memchr(value, '\0', size)) {
            const LV2_State_Map_Path *map_path = plugin_feature_data(features, LV2_STATE__mapPath);
            char *abs = map_path ? map_path->absolute_path(map_path->handle, value)
                                 : strdup(value);
            bytes = owned = abs ? read_file(abs, &size, err, sizeof err) : NULL;
            if (abs && map_path)
                plugin_free_host_path(features, abs);
            else
                free(abs);
        } else {
            snprintf(err, sizeof err, "neither an atom:Chunk nor an atom:Path (type %u)", type);
        }
        t = bytes ? table_of(bytes, size, err, sizeof err) : NULL;
        free(owned);
        if (!t) {
            lv2_log_error(&self->logger,
                          "hillock: learned weights not restored, the network stays as it "
                          "was: %s\n", err[0] ? err : "unreadable");
            return;
        }
    }
    /* not concurrent with run(): swap and free here */
    synapse_table *old = engine_set_synapses(self->eng, t);
    ps->refused = false;
    if (ps->lock_ok)
        pthread_mutex_lock(&ps->lock);
    synapses_free(old);
    if (ps->lock_ok)
        pthread_mutex_unlock(&ps->lock);
}
