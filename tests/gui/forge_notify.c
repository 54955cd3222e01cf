/* forge_notify.c — see forge_notify.h. */
#include "forge_notify.h"

#include "uris.h"

#include <lv2/atom/forge.h>

#include <stdlib.h>
#include <string.h>

static char *uris[512];
static uint32_t n_uris;

static LV2_URID
map_uri(LV2_URID_Map_Handle handle, const char *uri)
{
    (void)handle;
    for (uint32_t i = 0; i < n_uris; ++i)
        if (!strcmp(uris[i], uri))
            return i + 1;
    if (n_uris == sizeof uris / sizeof uris[0])
        abort();
    uris[n_uris] = strdup(uri);
    return ++n_uris;
}

LV2_URID_Map *
test_urid_map(void)
{
    static LV2_URID_Map map = {NULL, map_uri};
    return &map;
}

const char *
test_urid_unmap(LV2_URID urid)
{
    return urid >= 1 && urid <= n_uris ? uris[urid - 1] : NULL;
}

#define FRAMES 960u
#define STEP 4u

const LV2_Atom *
forge_notification(void *buf, uint32_t capacity, uint32_t block, uint32_t neurons)
{
    LV2_URID_Map *map = test_urid_map();
#define U(x) map->map(map->handle, x)
    LV2_Atom_Forge forge;
    lv2_atom_forge_init(&forge, map);
    lv2_atom_forge_set_buffer(&forge, buf, capacity);

    const uint64_t frame0 = (uint64_t)block * FRAMES;
    static float soma[FRAMES / STEP], dend[FRAMES / STEP], times[1024];
    static int32_t who[1024];
    uint32_t n_spikes = 0;
    for (uint32_t i = 0; i < neurons && n_spikes < 1024; ++i) {
        uint64_t period = 480u + 48u * i, offset = (3u * i) % FRAMES;
        for (uint64_t f = frame0; f < frame0 + FRAMES; ++f)
            if (f >= offset && (f - offset) % period == 0 && n_spikes < 1024) {
                who[n_spikes] = (int32_t)i;
                times[n_spikes++] = (float)(f - frame0) + 0.25f;
            }
    }
    /* spikeTime must ascend: sort by time (insertion sort, few spikes) */
    for (uint32_t a = 1; a < n_spikes; ++a)
        for (uint32_t b = a; b > 0 && times[b - 1] > times[b]; --b) {
            float t = times[b];
            times[b] = times[b - 1];
            times[b - 1] = t;
            int32_t w = who[b];
            who[b] = who[b - 1];
            who[b - 1] = w;
        }
    for (uint32_t k = 0; k < FRAMES / STEP; ++k) {
        soma[k] = -65.0f;
    }
    for (uint32_t s = 0; s < n_spikes; ++s)
        if (who[s] == 0)
            soma[(uint32_t)times[s] / STEP] = 30.0f;
    for (uint32_t k = 0; k < FRAMES / STEP; ++k)
        dend[k] = soma[k]; /* one compartment: dend = soma (uris.h) */

    LV2_Atom_Forge_Frame obj;
    LV2_Atom_Forge_Ref ref = lv2_atom_forge_object(&forge, &obj, 0, U(HILLOCK__Notification));
    lv2_atom_forge_key(&forge, U(HILLOCK__frame));
    lv2_atom_forge_long(&forge, (int64_t)frame0);
    lv2_atom_forge_key(&forge, U(HILLOCK__frames));
    lv2_atom_forge_int(&forge, FRAMES);
    lv2_atom_forge_key(&forge, U(HILLOCK__sampleRate));
    lv2_atom_forge_float(&forge, 48000.0f);
    lv2_atom_forge_key(&forge, U(HILLOCK__traceStep));
    lv2_atom_forge_int(&forge, STEP);
    lv2_atom_forge_key(&forge, U(HILLOCK__traceSoma));
    lv2_atom_forge_vector(&forge, sizeof(float), forge.Float, FRAMES / STEP, soma);
    lv2_atom_forge_key(&forge, U(HILLOCK__traceDendrite));
    lv2_atom_forge_vector(&forge, sizeof(float), forge.Float, FRAMES / STEP, dend);
    lv2_atom_forge_key(&forge, U(HILLOCK__slow));
    lv2_atom_forge_float(&forge, 0.3f + 0.01f * (float)(block % 20));
    lv2_atom_forge_key(&forge, U(HILLOCK__spikeNeuron));
    lv2_atom_forge_vector(&forge, sizeof(int32_t), forge.Int, n_spikes, who);
    lv2_atom_forge_key(&forge, U(HILLOCK__spikeTime));
    lv2_atom_forge_vector(&forge, sizeof(float), forge.Float, n_spikes, times);
    lv2_atom_forge_key(&forge, U(HILLOCK__spikesLost));
    lv2_atom_forge_int(&forge, 0);
    lv2_atom_forge_key(&forge, U(HILLOCK__rate));
    lv2_atom_forge_float(&forge, 20.0f);
    lv2_atom_forge_key(&forge, U(HILLOCK__neurons));
    lv2_atom_forge_int(&forge, (int32_t)neurons);
    lv2_atom_forge_key(&forge, U(HILLOCK__focus));
    lv2_atom_forge_int(&forge, 0);
    if (block % 50 == 0) {
        int32_t mask[128] = {0};
        for (uint32_t i = 4; i < neurons && i < 4096; i += 5)
            mask[i / 32] |= (int32_t)(1u << (i % 32));
        lv2_atom_forge_key(&forge, U(HILLOCK__inhibitoryMask));
        lv2_atom_forge_vector(&forge, sizeof(int32_t), forge.Int, (neurons + 31) / 32, mask);
    }
    lv2_atom_forge_pop(&forge, &obj);
#undef U
    if (!ref || forge.offset > capacity)
        return NULL;
    return (const LV2_Atom *)buf;
}
