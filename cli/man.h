/* man.h — hillock(1), the manual page, in roff (man(7)), written from the
 * same option tables as every --help (options.h). */
#ifndef HILLOCK_MAN_H
#define HILLOCK_MAN_H

#include "options.h"

#include <stdio.h>

void man_page_print(FILE *out, const cli_command_doc *const *docs, size_t n,
                    const char *version, const char *exit_status);

#endif
