/* plugin.h — the instance both Hillock plugins share (one binary, two
 * descriptors) and the pieces its files implement. LV2 glue only: every
 * sample comes from the engine. */
#ifndef HILLOCK_PLUGIN_H
#define HILLOCK_PLUGIN_H

#include "compat.h"
#include "engine.h"
#include "idpy.h"
#include "notify.h"
#include "path_props.h"
#include "ports.h"
#include "recording.h"
#include "spike_queue.h"
#include "uris.h"

#include <lv2/atom/forge.h>
#include <lv2/core/lv2.h>
#include <lv2/log/logger.h>
#include <lv2/state/state.h>
#include <lv2/urid/urid.h>
#include <lv2/worker/worker.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/* The engine runs at most this many frames per call, so scratch buffers
 * have a fixed size whatever block length the host uses. */
#define HILLOCK_CHUNK 1024u

typedef struct {
    LV2_URID midi_MidiEvent, patch_Get, hillock_Reset, hillock_UiOn, hillock_UiOff,
        hillock_stateVersion, hillock_legacyRules;
} plugin_urids;

/* Frees the host's worker queue could not take, retried at end_run(). */
#define PATHS_FREE_QUEUE 16u
/* Longest hillock:fileStatus text (bytes with the NUL). */
#define PATHS_STATUS_MAX 256u

/* The file properties' worker jobs (paths.c): a load, and a free of a
 * value that was current; kinds apart from the other jobs' (worker.c's
 * JOB_SETTLE, WORKER_JOB_RECORDING, JOB_OSC_*, JOB_SYNAPSES_*). */
enum { JOB_LOAD_PATH = 1, JOB_FREE_PATH };

/* The file properties' state (paths.c). */
typedef struct {
    LV2_Worker_Schedule *schedule;            /* NULL: the host has no worker */
    _Atomic(path_value *) now[PATH_PROP_COUNT]; /* current values, set in the audio
                                                 * thread (restore() aside) */
    bool announce[PATH_PROP_COUNT];           /* send patch:Set at the end of run() */
    char status[PATHS_STATUS_MAX];            /* hillock:fileStatus: "" or why the last
                                               * file was refused */
    bool announce_status;
    uint32_t generation;                      /* restore() starts a new one */
    path_value *to_free[PATHS_FREE_QUEUE];
    uint32_t n_to_free;
    pthread_mutex_t lock; /* save() reading a value vs the worker freeing one;
                           * never taken in run() */
    bool lock_ok;
    LV2_URID urid[PATH_PROP_COUNT];
    LV2_URID patch_Set, patch_property, patch_value, atom_Path, atom_URID, atom_String;
    LV2_URID file_status;
} plugin_paths;

/* The host's transport as its last time:Position said (transport.c). */
typedef struct {
    LV2_URID Position, bar, barBeat, beatUnit, beatsPerBar, beatsPerMinute, speed_key, frame_key;
    double bpm, beat_unit, beats_per_bar, speed;
    double last_quarter; /* for a Position that gives no bar and beat */
} plugin_transport;

/* The OSC output (osc.c). */
#define PLUGIN_OSC_URL_MAX 256u
#define PLUGIN_OSC_CHUNK 1024u /* spikes of one block it sends at most */
/* its worker jobs (worker.c hands them over): kinds apart from worker.c's
 * and WORKER_JOB_RECORDING's */
enum { JOB_OSC_URL = 32, JOB_OSC_FLUSH, JOB_OSC_IN };

/* The OSC input (osc_in.c): a liblo receiver thread, opened and closed by
 * the worker, pushes /hillock/spike messages into a lock-free queue that
 * run() drains at each block's start. */
typedef struct {
    LV2_URID prop;         /* hillock:oscInPort */
    int32_t port;          /* as set (0: off): audio thread, save/restore */
    bool port_pending;     /* for the worker at the next run() */
    uint32_t units;        /* one past the highest unit received */
    bool queue_ok;
    spike_queue queue;     /* receiver thread -> run() */
    struct osc_receiver *receiver; /* worker thread only */
    int32_t open_port;     /* worker thread: the port it listens on, 0: none */
} plugin_osc_in;

/* The stored synapse table (synapse_jobs.c): built by the worker when the
 * engine asks for one, swapped in at a block boundary, the old one freed by
 * the worker. */
enum { JOB_SYNAPSES_BUILD = 48, JOB_SYNAPSES_FREE };
typedef struct {
    bool pending;             /* a build is in the worker's hands */
    bool refused;             /* the wiring below was refused (memory cap) */
    uint64_t refused_seed;
    uint32_t refused_n;
    float refused_p;
    pthread_mutex_t lock;     /* save() reading the table vs the worker freeing a
                               * replaced one (synapse_weights.c); never taken in run() */
    bool lock_ok;
    LV2_URID prop, atom_Path, atom_Chunk; /* hillock:synapseWeights */
} plugin_synapses;
typedef struct {
    LV2_URID prop;                   /* hillock:oscUrl */
    char url[PLUGIN_OSC_URL_MAX];    /* as set: audio thread, save/restore */
    bool url_pending;                /* for the worker at the next run() */
    bool pushed;                     /* spikes queued since the last flush job */
    atomic_bool sending;             /* the worker holds an open sender */
    atomic_bool flush_pending;       /* a flush job waits for the worker */
    uint64_t frames;                 /* output frames since activate: the spikes' time */
    bool queue_ok;
    spike_queue queue;               /* run() -> worker */
    spike_event block[HILLOCK_NOTIFY_MAX_SPIKES + 1]; /* run()'s scratch */
    spike_event chunk[PLUGIN_OSC_CHUNK];              /* the worker's */
    struct osc_sender *sender;       /* worker thread only */
    bool warned;                     /* a failed send was logged */
} plugin_osc;

typedef struct hillock_plugin {
    bool cv; /* urn:hillock:bank-cv */
    double sample_rate;
    uint32_t max_block; /* from opts:options, 0 if unknown (informative only) */
    double guard_budget; /* work units per second (engine_set_budget) */

    engine *eng;
    LV2_URID_Map *map;
    LV2_Log_Logger logger;
    plugin_urids u;
    LV2_Atom_Forge forge;
    hillock_notify notify;

    /* ports (NULL until connected; CV ports may stay NULL) */
    float *out_left, *out_right;
    const float *stimulus;
    const LV2_Atom_Sequence *events_in;
    LV2_Atom_Sequence *events_out;
    const float *cv_stimulus;
    float *cv_focus_v, *cv_dend_v, *cv_gate, *cv_rate;
    float *late[PORT_LATE_COUNT]; /* latency, guard_load, guard_active, freewheel (in),
                                     guard_time, pitch_clamped (optional) */
    const float *control[PARAM_COUNT];
    float late_value[PORT_LATE_COUNT]; /* last values, written every run() */

    float applied[PARAM_COUNT]; /* last control values given to the engine */
    compat_state compat;        /* old meanings a restored session keeps */
    bool fresh;                 /* next run() applies every control at once */

    /* scratch, HILLOCK_CHUNK frames each: the engine never sees host
     * buffers, so in-place and aliased host buffers are harmless */
    float *s_stimulus, *s_cv_in, *s_left, *s_right, *s_focus, *s_dend, *s_gate, *s_rate;
    engine_spike *spikes;
    engine_midi_event *midi_out;
    uint32_t midi_dropped;

    plugin_paths paths;
    plugin_transport transport;
    recording_playback playback; /* recorded neurons (recording.c) */
    plugin_osc osc;
    plugin_osc_in osc_in;
    plugin_synapses syn;

    /* inline display (inline_display.c) */
    const LV2_Inline_Display *queue_draw;
    uint32_t frames_since_draw;
    struct inline_display *idisp;
} hillock_plugin;

/* state.c */
LV2_State_Status hillock_state_save(LV2_Handle instance, LV2_State_Store_Function store,
                                    LV2_State_Handle handle, uint32_t flags,
                                    const LV2_Feature *const *features);
LV2_State_Status hillock_state_restore(LV2_Handle instance,
                                       LV2_State_Retrieve_Function retrieve,
                                       LV2_State_Handle handle, uint32_t flags,
                                       const LV2_Feature *const *features);

/* paths.c: file properties on the ports (patch:Set / patch:Get) and in
 * the state */
bool paths_init(hillock_plugin *self, LV2_Worker_Schedule *schedule);
void paths_free(hillock_plugin *self);
/* events_in: true if the patch:Set named one of the file properties */
bool paths_on_set(hillock_plugin *self, const LV2_Atom_Object *obj);
void paths_on_get(hillock_plugin *self, const LV2_Atom_Object *obj);
/* end of run(): the patch:Set answers due, at `frame` */
void paths_announce(hillock_plugin *self, LV2_Atom_Forge *forge, uint32_t frame);
/* property p changed: the engine takes every property's data */
void paths_apply(hillock_plugin *self, path_prop_id p);
/* hillock:fileStatus becomes "label: why" ("" when why is NULL), announced
 * at the end of the next run(). Real-time safe. */
void paths_set_status(hillock_plugin *self, path_prop_id p, const char *why);
/* the worker's side of JOB_LOAD_PATH and JOB_FREE_PATH (worker.c hands
 * them over); a load's response, in the audio thread (worker.c hands over
 * every response that is not the synapses'); end_run()'s retry of the
 * frees the host's queue refused */
LV2_Worker_Status paths_work(hillock_plugin *self, LV2_Worker_Respond_Function respond,
                             LV2_Worker_Respond_Handle handle, uint32_t size, const void *data);
LV2_Worker_Status paths_response(hillock_plugin *self, uint32_t size, const void *body);
void paths_end_run(hillock_plugin *self);
LV2_State_Status paths_save(hillock_plugin *self, LV2_State_Store_Function store,
                            LV2_State_Handle handle, const LV2_Feature *const *features);
void paths_restore(hillock_plugin *self, LV2_State_Retrieve_Function retrieve,
                   LV2_State_Handle handle, const LV2_Feature *const *features);

/* worker.c's job kinds besides its own: recording.c's read-ahead */
#define WORKER_JOB_RECORDING 16u

/* worker.c: the LV2 worker (work:interface) and the run() side of it */
extern const LV2_Worker_Interface hillock_worker_interface;
/* run(): ask the worker to run the engine's settled-start pre-roll
 * (engine_settle_run); if it cannot, the engine starts from rest */
void worker_settle(hillock_plugin *self);

/* transport.c: a time:Position object from the atom input -> the engine's
 * beat grid (engine_set_transport) */
void transport_init(hillock_plugin *self);
void transport_on_position(hillock_plugin *self, const LV2_Atom_Object *obj);

/* osc.c: the OSC output (hillock:oscUrl). osc_on_set: true if obj set it. */
bool osc_init(hillock_plugin *self);
void osc_free(hillock_plugin *self);
bool osc_on_set(hillock_plugin *self, const LV2_Atom_Object *obj);
void osc_collect(hillock_plugin *self, const engine_io *io, uint32_t n); /* run(), per chunk */
void osc_end_run(hillock_plugin *self);                                   /* end of run() */
LV2_Worker_Status osc_work(hillock_plugin *self, uint32_t size, const void *data);

/* synapse_jobs.c: after each block, ask the worker for the synapse table the
 * engine wants (run(), no allocation); the worker's side; its response (true
 * if the message was one); the table freed at cleanup. */
void synapses_end_block(hillock_plugin *self);
LV2_Worker_Status synapses_work(hillock_plugin *self, LV2_Worker_Respond_Function respond,
                                LV2_Worker_Respond_Handle handle, uint32_t size,
                                const void *data);
bool synapses_response(hillock_plugin *self, uint32_t size, const void *body);
void synapses_cleanup(hillock_plugin *self);
/* osc_in.c: the OSC input (hillock:oscInPort); osc_in_on_set: true if obj
 * set it; osc_in_block: run(), before each engine block */
bool osc_in_init(hillock_plugin *self);
void osc_in_free(hillock_plugin *self);
bool osc_in_on_set(hillock_plugin *self, const LV2_Atom_Object *obj);
void osc_in_block(hillock_plugin *self);
void osc_in_end_run(hillock_plugin *self);
LV2_Worker_Status osc_in_work(hillock_plugin *self, uint32_t size, const void *data);
LV2_State_Status osc_in_save(hillock_plugin *self, LV2_State_Store_Function store,
                             LV2_State_Handle handle);
void osc_in_restore(hillock_plugin *self, LV2_State_Retrieve_Function retrieve,
                    LV2_State_Handle handle);
/* synapse_jobs.c: the lock and URIDs (false if the lock cannot be made) */
bool synapses_init(hillock_plugin *self);
/* paths.c: a host feature's data (NULL if not offered); a path the host
 * made freed as it asks (state:freePath, else free()) */
const void *plugin_feature_data(const LV2_Feature *const *features, const char *uri);
void plugin_free_host_path(const LV2_Feature *const *features, char *path);
/* synapse_weights.c: the learned weights in the state */
LV2_State_Status synapses_save(hillock_plugin *self, LV2_State_Store_Function store,
                               LV2_State_Handle handle, const LV2_Feature *const *features);
void synapses_restore(hillock_plugin *self, LV2_State_Retrieve_Function retrieve,
                      LV2_State_Handle handle, const LV2_Feature *const *features);
LV2_State_Status osc_save(hillock_plugin *self, LV2_State_Store_Function store,
                          LV2_State_Handle handle);
void osc_restore(hillock_plugin *self, LV2_State_Retrieve_Function retrieve,
                 LV2_State_Handle handle);

/* inline_display.c: set up at instantiate when the host offers
 * idpy:queue_draw; collect/publish run in run(), render on the GUI thread */
bool hillock_inline_init(hillock_plugin *self);
void hillock_inline_restart(hillock_plugin *self);
void hillock_inline_collect(hillock_plugin *self, const engine_io *io, uint32_t n);
/* Hands the picture's data to render(); false if it could not this time. */
bool hillock_inline_publish(hillock_plugin *self);
LV2_Inline_Display_Image_Surface *hillock_inline_render(LV2_Handle instance, uint32_t w,
                                                        uint32_t max_h);
void hillock_inline_free(hillock_plugin *self);

#endif
