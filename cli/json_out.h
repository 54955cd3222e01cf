/* json_out.h — the little JSON the `params` and `presets` listings print. */
#ifndef HILLOCK_JSON_OUT_H
#define HILLOCK_JSON_OUT_H

#include <stddef.h>
#include <stdio.h>

/* A JSON string literal: quotes, backslashes and control characters escaped
 * (RFC 8259, section 7); other UTF-8 bytes pass through unchanged. */
void json_print_string(FILE *out, const char *s);

/* The shortest decimal that reads back as the same float. */
void json_print_float(FILE *out, float v);

/* The same digits into a buffer, for tables ("nan"/"inf" when not finite). */
void format_float(char *buf, size_t len, float v);

#endif
