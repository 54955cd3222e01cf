/* utf8.h — just enough UTF-8 (RFC 3629) for text the command copies into
 * fixed buffers and prints as JSON: never cut a character in two, and
 * recognise bytes that are not UTF-8 at all (file names may hold any). */
#ifndef HILLOCK_UTF8_H
#define HILLOCK_UTF8_H

#include <stddef.h>

/* Length (1 to 4) of the well-formed UTF-8 character at s, or 0 if the
 * bytes there are not one (RFC 3629, section 4: no overlong forms, no
 * surrogates, nothing above U+10FFFF). s is NUL-terminated. */
size_t utf8_char_length(const char *s);

/* Copy src into out (out_len bytes, NUL included), cutting it, when it
 * does not fit, before the character that would not fit whole. */
void utf8_copy(char *out, size_t out_len, const char *src);

#endif
