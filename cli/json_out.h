/* json_out.h — the little JSON the `params` and `presets` listings print. */
#ifndef HILLOCK_JSON_OUT_H
#define HILLOCK_JSON_OUT_H

#include <stddef.h>
#include <stdio.h>

/* A JSON string literal: quotes, backslashes and control characters escaped
 * (RFC 8259, section 7); UTF-8 characters pass through unchanged, each byte
 * that is not part of one becomes \ufffd, so the output is always UTF-8. */
void json_print_string(FILE *out, const char *s);

/* The shortest decimal that reads back as the same float. */
void json_print_float(FILE *out, float v);

/* The same digits into a buffer, for tables ("nan"/"inf" when not finite). */
void format_float(char *buf, size_t len, float v);

#endif
