/* jack_ports.c — the port table and --record-ports parsing. */
#include "jack_ports.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

const audio_port_info audio_ports[PORT_AUDIO_COUNT] = {
    [PORT_STIMULUS] = {"stimulus", "in", true, false, "Stimulus in"},
    [PORT_OUT_L] = {"out_L", "L", false, false, "Out left"},
    [PORT_OUT_R] = {"out_R", "R", false, false, "Out right"},
    [PORT_CV_FOCUS_V] = {"cv_focus_v", "focus_v", false, true, "Focus voltage (mV/100)"},
    [PORT_CV_DEND_V] = {"cv_dend_v", "dend_v", false, true, "Dendritic voltage (mV/100)"},
    [PORT_CV_GATE] = {"cv_gate", "gate", false, true, "Spike gate"},
    [PORT_CV_RATE] = {"cv_rate", "rate", false, true, "Population rate (Hz/1000)"},
};

static int
find_port(const char *name)
{
    for (int i = 0; i < PORT_AUDIO_COUNT; ++i)
        if (!strcasecmp(name, audio_ports[i].record_name) ||
            !strcasecmp(name, audio_ports[i].jack_name))
            return i;
    return -1;
}

int
jack_ports_parse_list(const char *list, int *ports, int max, char *err, size_t err_len)
{
    int n = 0;
    const char *p = list;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char name[32];
        if (len == 0 || len >= sizeof name) {
            snprintf(err, err_len, "--record-ports: empty or overlong name in '%s'", list);
            return -1;
        }
        memcpy(name, p, len);
        name[len] = '\0';
        int id = find_port(name);
        if (id < 0) {
            snprintf(err, err_len,
                     "--record-ports: unknown port '%s' (choose from in, L, R, focus_v, "
                     "dend_v, gate, rate)",
                     name);
            return -1;
        }
        if (n == max) {
            snprintf(err, err_len, "--record-ports: at most %d ports", max);
            return -1;
        }
        ports[n++] = id;
        p += len;
        if (*p == ',')
            ++p;
    }
    if (n == 0)
        snprintf(err, err_len, "--record-ports: no port named");
    return n ? n : -1;
}
