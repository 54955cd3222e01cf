/* host.h — a small in-process LV2 host (lilv) for the plugin tests.
 *
 * It loads the bundle from the build tree (LV2_PATH set by meson), gives
 * the plugin the features hosts give (urid:map/unmap, options with the
 * block bounds, boundedBlockLength, log, Ardour's idpy:queue_draw, a worker
 * that runs when the test says), connects every port to buffers
 * the test lays out as it likes, and writes MIDI into the atom input.
 */
#ifndef HILLOCK_TEST_HOST_H
#define HILLOCK_TEST_HOST_H

#include "params.h"
#include "ports.h"

#include <lilv/lilv.h>
#include <lv2/urid/urid.h>

#include <stdbool.h>
#include <stdint.h>

#define HB_MAX_BLOCK 8192u
#define HB_ATOM_IN_SIZE 8192u
#define HB_ATOM_OUT_SIZE 65536u
#define HB_MAX_PRESETS 256
#define HB_WORK_MAX 64

/* One message through the host's worker queue. */
typedef struct {
    uint32_t size;
    uint8_t data[4352];
} hb_job;

typedef struct hb_world hb_world;

hb_world *hb_world_new(void);
void hb_world_free(hb_world *w);
/* A Criterion suite (criterion.h included first) whose every test has a
 * world of its own in `world`, made before the test and freed after. */
#define HB_WORLD_SUITE(suite, timeout_s)                                                 \
    static hb_world *world;                                                              \
    static void hb_world_setup(void) { world = hb_world_new(); }                         \
    static void hb_world_teardown(void) { hb_world_free(world); }                        \
    TestSuite(suite, .init = hb_world_setup, .fini = hb_world_teardown, .timeout = timeout_s)
LilvWorld *hb_lilv(hb_world *w);
LV2_URID_Map *hb_map(hb_world *w);
LV2_URID_Unmap *hb_unmap(hb_world *w);
const LV2_Feature *const *hb_features(hb_world *w);
/* The plugin, or NULL when the bundle lacks it. */
const LilvPlugin *hb_plugin(hb_world *w, bool cv);
/* Preset URIs of a plugin (owned by the world); returns how many. */
int hb_presets(hb_world *w, bool cv, const LilvNode **out, int max);
/* How often plugins called the inline display's queue_draw. */
unsigned hb_queue_draw_calls(hb_world *w);
/* Log lines the plugin wrote since the last call (cleared). */
const char *hb_take_log(hb_world *w);

/* How run() sees the buffers. */
typedef enum {
    HB_SEPARATE,     /* every port its own buffer */
    HB_IN_PLACE,     /* stimulus shares out_left's buffer (and cv_stimulus cv_focus_v's) */
    HB_ALIASED,      /* every output on one shared buffer (lv2bench) */
    HB_NULL_CV,      /* CV ports left unconnected (lv2file) */
} hb_layout;

typedef struct {
    hb_world *w;
    bool cv;
    LilvInstance *inst;
    float controls[PARAM_COUNT];
    float late[PORT_LATE_COUNT]; /* control outputs added in 0.2 (latency, guard) */
    /* per-port buffers, HB_MAX_BLOCK frames each */
    float *audio[PORT_CV_FIXED_COUNT];
    float *shared;
    uint64_t *atom_in, *atom_out; /* 8-byte aligned */
    hb_layout layout;
} hb_instance;

/* Instantiates at `rate` with every control at its default and the ports
 * connected for HB_SEPARATE. Returns false on failure. */
bool hb_instantiate(hb_instance *h, hb_world *w, bool cv, double rate);
void hb_free(hb_instance *h);

/* Reconnects every port for a layout. */
void hb_connect(hb_instance *h, hb_layout layout);

/* Applies a preset through lilv (the plugin's state restore, then the
 * port values). Returns the number of port values set, or -1 if a value
 * named a symbol the plugin lacks. */
int hb_apply_preset(hb_instance *h, const LilvNode *preset, float values[PARAM_COUNT]);

/* Prepares the atom ports for one run(): the input holds the given MIDI
 * messages (3 bytes each) at the given frames, the output is empty with
 * its full capacity. */
void hb_prepare_events(hb_instance *h, const uint8_t (*midi)[3], const uint32_t *frames,
                       uint32_t n);

/* As hb_prepare_events, with one body-less atom:Object of the given type
 * (hillock:UiOn, patch:Get...) at frame 0 as the input. */
void hb_send_object(hb_instance *h, const char *type_uri);

/* Worker (work:schedule), as hosts run it: jobs run() scheduled wait
 * until hb_worker_work() calls work() on them (the worker thread's part);
 * hb_worker_respond() then delivers the responses and calls end_run() (the
 * audio thread's part, after a run()). hb_worker_settle() repeats both
 * until nothing is left. Instances instantiated after
 * hb_world_set_worker(w, false) get no work:schedule. The queue is the
 * world's: one instance at a time uses it. */
void hb_world_set_worker(hb_world *w, bool on);
unsigned hb_worker_work(hb_instance *h);
unsigned hb_worker_respond(hb_instance *h);
void hb_worker_settle(hb_instance *h);
unsigned hb_worker_pending(hb_world *w);

/* As hb_send_object, an object of type_uri (patch:Set, patch:Get) with
 * patch:property property_uri and patch:value the atom:Path path when
 * they are not NULL. */
void hb_send_patch(hb_instance *h, const char *type_uri, const char *property_uri,
                   const char *path);

/* As hb_send_object, a patch:Set of property_uri to an atom:String. */
void hb_send_patch_string(hb_instance *h, const char *property_uri, const char *value);

/* As hb_send_object, a patch:Set of property_uri to an atom:Int. */
void hb_send_patch_int(hb_instance *h, const char *property_uri, int32_t value);
/* As hb_send_object, a time:Position (the host's transport) at frame 0:
 * bar, beat in the bar, beat unit, beats per bar, tempo, speed. */
void hb_send_position(hb_instance *h, int64_t bar, float bar_beat, int32_t beat_unit,
                      float beats_per_bar, float bpm, float speed);

/* As hb_send_object, a time:Position with time:frame and time:speed only
 * (the transport's frame: a start, a locate, a loop). */
void hb_send_frame(hb_instance *h, int64_t frame, float speed);

/* The buffers run() reads and writes in the current layout. */
float *hb_port_buffer(hb_instance *h, uint32_t port);

#endif
