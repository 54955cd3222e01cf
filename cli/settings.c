/* settings.c — "symbol=value" against the parameter table. Whitespace around
 * the symbol and the value is ignored so that `set` lines typed on stdin work
 * as well as --set arguments. */
#include "settings.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Copy [begin, end) without surrounding white space into out. */
static bool
copy_trimmed(const char *begin, const char *end, char *out, size_t out_len)
{
    while (begin < end && isspace((unsigned char)*begin))
        ++begin;
    while (end > begin && isspace((unsigned char)end[-1]))
        --end;
    size_t n = (size_t)(end - begin);
    if (n >= out_len)
        return false;
    memcpy(out, begin, n);
    out[n] = '\0';
    return true;
}

bool
settings_apply(const char *assignment, float values[PARAM_COUNT], int *id, char *err,
               size_t err_len)
{
    const char *eq = strchr(assignment, '=');
    char symbol[64], text[128];
    if (!eq) {
        snprintf(err, err_len, "expected SYMBOL=VALUE, got '%s'", assignment);
        return false;
    }
    if (!copy_trimmed(assignment, eq, symbol, sizeof symbol) || symbol[0] == '\0') {
        snprintf(err, err_len, "expected SYMBOL=VALUE, got '%s'", assignment);
        return false;
    }
    if (!copy_trimmed(eq + 1, eq + strlen(eq), text, sizeof text) || text[0] == '\0') {
        snprintf(err, err_len, "%s: missing or overlong value in '%s'", symbol, assignment);
        return false;
    }
    int index = param_find(symbol);
    if (index < 0) {
        snprintf(err, err_len, "unknown parameter '%s' (`hillock params` lists them)", symbol);
        return false;
    }
    float value;
    if (!param_parse((param_id)index, text, &value, err, err_len))
        return false;
    values[index] = value;
    if (id)
        *id = index;
    return true;
}
