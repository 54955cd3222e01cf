/* path_props.h — the plugin's file properties: one list of the atom:Path
 * properties a host sets with patch:Set, reads back with patch:Get and
 * saves in the state (mapped with state:mapPath).
 *
 * Each entry says what the TTL declares (URI, label, comment, the file
 * extensions it expects) and how a file becomes what the engine uses:
 * parse() runs in the worker thread (it may allocate and read files) into a
 * block of data_size bytes; apply() runs in the audio thread and hands the
 * current data of every property to the engine (it must not allocate).
 *
 * A new file property is one entry here (and its id in the enum); the TTL
 * (ttl/hillock_ttl.c), patch handling, worker jobs and state follow (paths.c).
 */
#ifndef HILLOCK_PATH_PROPS_H
#define HILLOCK_PATH_PROPS_H

#include "engine.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    PATH_TUNING, /* Scala scale (.scl) for the spike voice */
    PATH_KEYMAP, /* Scala keyboard mapping (.kbm) */
    PATH_SPIKES, /* a recording's spikes (recording.h) */
    PATH_PROP_COUNT,
} path_prop_id;

typedef struct {
    const char *uri;        /* the property (HILLOCK_NS ...) */
    const char *label;
    const char *comment;
    const char *extensions; /* expected file extensions, comma-separated */
    size_t data_size;       /* what parse() fills */
    /* Worker thread: read and check the file at `path` into data. False
     * with a one-line reason (naming the file) in err. */
    bool (*parse)(const char *path, void *data, char *err, size_t err_size);
    /* Audio thread: the engine takes the current data of every property
     * (NULL where none is loaded). Real-time safe. */
    void (*apply)(engine *e, const void *const data[PATH_PROP_COUNT]);
    /* Worker thread, optional: what the data holds besides its block (open
     * files, buffers) is released before the block is freed. */
    void (*release)(void *data);
} path_property;

extern const path_property path_props[PATH_PROP_COUNT];

/* Longest path the plugin takes (bytes, with the terminating NUL). */
#define PATH_PROP_MAX_PATH 4096u

/* A loaded value: its absolute path ("" when cleared) and its data (NULL
 * when cleared). Allocated and freed off the audio thread only. */
typedef struct {
    path_prop_id prop;
    char *path;
    void *data;
} path_value;

/* Reads `path` for property prop (an empty path clears it). NULL on
 * failure, with the reason in err. Not real-time safe. */
path_value *path_value_load(path_prop_id prop, const char *path, char *err, size_t err_size);
void path_value_free(path_value *v);

#endif
