/* utf8.c — see utf8.h. */
#include "utf8.h"

#include <string.h>

size_t
utf8_char_length(const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t n;
    unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        n = 2;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        n = 3;
        if (s[0] == 0xE0)
            lo = 0xA0; /* overlong */
        if (s[0] == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        n = 4;
        if (s[0] == 0xF0)
            lo = 0x90; /* overlong */
        if (s[0] == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else {
        return 0;
    }
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < n; ++i)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return n;
}

void
utf8_copy(char *out, size_t out_len, const char *src)
{
    if (out_len == 0)
        return;
    size_t used = 0;
    while (src[used]) {
        size_t n = utf8_char_length(src + used);
        if (n == 0)
            n = 1; /* not UTF-8: copied as it is, one byte at a time */
        if (used + n >= out_len)
            break;
        used += n;
    }
    memcpy(out, src, used);
    out[used] = '\0';
}
