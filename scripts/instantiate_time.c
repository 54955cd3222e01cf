/* instantiate_time.c — how long a host waits for the plugin to instantiate:
 * urn:hillock:bank at 48 kHz through lilv, a first instance, then N more
 * kept alive together (a host loading a session), each timed, then freed
 * (docs/performance-log.md, "Creating a real-time engine: slabs").
 *   cc -O2 scripts/instantiate_time.c $(pkg-config --cflags --libs lilv-0) -o /tmp/it
 *   LV2_PATH=$PWD/build/lv2 /tmp/it [N] 2>/dev/null   (an absolute path: lilv)
 * (stderr: the plugin's notes to a host without a worker.) */
#include <lilv/lilv.h>
#include <lv2/urid/urid.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_URIS 4096
#define MAX_INSTANCES 256

static char *uris[MAX_URIS];
static int n_uris;

/* the host's URID map: a URI's index in a list, from 1 */
static LV2_URID
map_uri(LV2_URID_Map_Handle handle, const char *uri)
{
    (void)handle;
    for (int i = 0; i < n_uris; ++i)
        if (strcmp(uris[i], uri) == 0)
            return (LV2_URID)(i + 1);
    if (n_uris == MAX_URIS)
        return 0;
    uris[n_uris] = strdup(uri);
    return (LV2_URID)++n_uris;
}

static double
now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int
main(int argc, char **argv)
{
    const int n = argc > 1 ? atoi(argv[1]) : 20;
    if (n < 1 || n > MAX_INSTANCES) {
        fprintf(stderr, "instances: 1 to %d\n", MAX_INSTANCES);
        return 2;
    }
    LilvWorld *world = lilv_world_new();
    lilv_world_load_all(world);
    LilvNode *uri = lilv_new_uri(world, "urn:hillock:bank");
    const LilvPlugin *plugin =
        lilv_plugins_get_by_uri(lilv_world_get_all_plugins(world), uri);
    if (!plugin) {
        fprintf(stderr, "urn:hillock:bank not found (LV2_PATH?)\n");
        return 1;
    }
    LV2_URID_Map map = {NULL, map_uri};
    LV2_Feature map_feature = {LV2_URID__map, &map};
    const LV2_Feature *features[] = {&map_feature, NULL};

    double t0 = now();
    LilvInstance *first = lilv_plugin_instantiate(plugin, 48000.0, features);
    const double first_ms = (now() - t0) * 1e3;
    LilvInstance *all[MAX_INSTANCES];
    double best = 1e9, sum = 0.0;
    printf("each (ms):");
    for (int i = 0; i < n; ++i) {
        t0 = now();
        all[i] = lilv_plugin_instantiate(plugin, 48000.0, features);
        const double ms = (now() - t0) * 1e3;
        printf(" %.1f", ms);
        sum += ms;
        best = ms < best ? ms : best;
    }
    t0 = now();
    for (int i = 0; i < n; ++i)
        if (all[i])
            lilv_instance_free(all[i]);
    const double free_ms = (now() - t0) * 1e3 / n;
    if (first)
        lilv_instance_free(first);
    printf("\nfirst %.1f ms; the next %d alive together: best %.2f ms, mean %.2f ms; "
           "freeing them %.2f ms each\n",
           first_ms, n, best, sum / n, free_ms);
    lilv_node_free(uri);
    lilv_world_free(world);
    for (int i = 0; i < n_uris; ++i)
        free(uris[i]);
    return 0;
}
