/* json_out.c — JSON strings and numbers for the listings. */
#include "json_out.h"

#include "utf8.h"

#include <math.h>
#include <stdlib.h>

void
json_print_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; ++p) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\b': fputs("\\b", out); break;
        case '\f': fputs("\\f", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (*p < 0x20) {
                fprintf(out, "\\u%04x", *p);
            } else {
                /* JSON text is UTF-8 (RFC 8259, section 8.1): a byte that
                 * starts no UTF-8 character (a file name in Latin-1) becomes
                 * U+FFFD, the replacement character */
                size_t n = utf8_char_length((const char *)p);
                if (n == 0) {
                    fputs("\\ufffd", out);
                } else {
                    fwrite(p, 1, n, out);
                    p += n - 1;
                }
            }
        }
    }
    fputc('"', out);
}

void
json_print_float(FILE *out, float v)
{
    if (!isfinite(v)) { /* JSON has no NaN or infinity */
        fputs("null", out);
        return;
    }
    char text[32];
    format_float(text, sizeof text, v);
    fputs(text, out);
}

void
format_float(char *buf, size_t len, float v)
{
    if (isfinite(v) && v == floorf(v) && fabsf(v) < 1e9f) { /* 200, not 2e+02 */
        snprintf(buf, len, "%.0f", (double)v);
        return;
    }
    for (int digits = 1; digits <= 9; ++digits) {
        snprintf(buf, len, "%.*g", digits, (double)v);
        if (!isfinite(v) || strtof(buf, NULL) == v)
            return;
    }
}
