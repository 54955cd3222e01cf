/* control.c — see control.h. */
#include "control.h"

#include "jack_spikes.h"
#include "presets.h"
#include "settings.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* The process thread empties the queue every period; if it is full (a burst
 * of presets), wait for a few periods rather than dropping a change. */
static bool
queue_with_patience(jack_rt *s, param_id id, float value)
{
    for (int tries = 0; tries < 100; ++tries) {
        if (jack_rt_queue_param(s, id, value))
            return true;
        struct timespec ts = {0, 2000000L};
        nanosleep(&ts, NULL);
    }
    return false;
}

static const char *
skip_space(const char *p)
{
    while (*p && isspace((unsigned char)*p))
        ++p;
    return p;
}

static bool
word_is(const char *p, const char *word, const char **rest)
{
    size_t n = strlen(word);
    if (strncmp(p, word, n) != 0 || (p[n] && !isspace((unsigned char)p[n])))
        return false;
    *rest = skip_space(p + n);
    return true;
}

static control_result
do_set(jack_rt *s, const char *args, float values[PARAM_COUNT], char *msg, size_t msg_len)
{
    /* Accept "SYMBOL VALUE" and "SYMBOL=VALUE": rewrite the first run of
     * white space as '=' when there is no '='. */
    char assignment[256];
    if (snprintf(assignment, sizeof assignment, "%s", args) >= (int)sizeof assignment) {
        snprintf(msg, msg_len, "set: line too long, ignored");
        return CONTROL_ERROR;
    }
    if (!strchr(assignment, '=')) {
        char *sp = assignment;
        while (*sp && !isspace((unsigned char)*sp))
            ++sp;
        if (*sp)
            *sp = '=';
    }
    float trial[PARAM_COUNT];
    memcpy(trial, values, sizeof trial);
    int id = -1;
    char err[256];
    if (!settings_apply(assignment, trial, &id, err, sizeof err)) {
        snprintf(msg, msg_len, "set: %s", err);
        return CONTROL_ERROR;
    }
    if (!queue_with_patience(s, (param_id)id, trial[id])) {
        snprintf(msg, msg_len, "set: the control queue is full; try again");
        return CONTROL_ERROR;
    }
    values[id] = trial[id];
    const char *name = param_value_name((param_id)id, trial[id]);
    if (name)
        snprintf(msg, msg_len, "%s = %s", param_table[id].symbol, name);
    else
        snprintf(msg, msg_len, "%s = %g", param_table[id].symbol, (double)trial[id]);
    return CONTROL_OK;
}

static control_result
do_preset(jack_rt *s, const char *name, float values[PARAM_COUNT], char *msg, size_t msg_len)
{
    float loaded[PARAM_COUNT];
    char err[512];
    if (!*name) {
        snprintf(msg, msg_len, "preset: which one? (`hillock presets` lists them)");
        return CONTROL_ERROR;
    }
    if (!preset_load(name, loaded, err, sizeof err)) {
        snprintf(msg, msg_len, "preset: %s", err);
        return CONTROL_ERROR;
    }
    for (int i = 0; i < PARAM_COUNT; ++i) {
        if (!queue_with_patience(s, (param_id)i, loaded[i])) {
            snprintf(msg, msg_len, "preset: the control queue is full; try again");
            return CONTROL_ERROR;
        }
        values[i] = loaded[i];
    }
    snprintf(msg, msg_len, "preset %s", name);
    return CONTROL_OK;
}

control_result
control_line(jack_rt *s, const char *line, float values[PARAM_COUNT], char *msg,
             size_t msg_len)
{
    char buf[512];
    msg[0] = '\0';
    /* a cut line could be a different command: refuse it whole */
    if (snprintf(buf, sizeof buf, "%s", skip_space(line)) >= (int)sizeof buf) {
        snprintf(msg, msg_len, "control line too long, ignored");
        return CONTROL_ERROR;
    }
    size_t n = strlen(buf);
    while (n && isspace((unsigned char)buf[n - 1]))
        buf[--n] = '\0';
    const char *rest;
    if (n == 0 || buf[0] == '#')
        return CONTROL_OK;
    if (word_is(buf, "set", &rest))
        return do_set(s, rest, values, msg, msg_len);
    if (word_is(buf, "preset", &rest))
        return do_preset(s, rest, values, msg, msg_len);
    if (word_is(buf, "spikes", &rest)) {
        if (!*rest) {
            snprintf(msg, msg_len, "spikes: which file?");
            return CONTROL_ERROR;
        }
        if (!jack_spikes_offer(s, rest, msg, msg_len))
            return CONTROL_ERROR;
        if ((int)values[P_SOURCE] == SOURCE_SIMULATED && queue_with_patience(s, P_SOURCE,
                                                                            SOURCE_RECORDED))
            values[P_SOURCE] = SOURCE_RECORDED; /* as --play-spikes */
        return CONTROL_OK;
    }
    if (word_is(buf, "reset", &rest)) {
        if (!queue_with_patience(s, (param_id)JACK_RT_RESET, 0.0f)) {
            snprintf(msg, msg_len, "reset: the control queue is full; try again");
            return CONTROL_ERROR;
        }
        snprintf(msg, msg_len, "reset: the bank starts afresh");
        return CONTROL_OK;
    }
    if (word_is(buf, "quit", &rest) || word_is(buf, "exit", &rest))
        return CONTROL_QUIT;
    if (word_is(buf, "help", &rest)) {
        snprintf(msg, msg_len,
                 "commands: set SYMBOL VALUE | preset NAME | spikes FILE | reset | quit");
        return CONTROL_OK;
    }
    snprintf(msg, msg_len,
             "unknown command '%s' (set SYMBOL VALUE, preset NAME, spikes FILE, reset, quit)",
             buf);
    return CONTROL_ERROR;
}
