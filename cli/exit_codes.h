/* exit_codes.h — documented exit statuses of `hillock` (docs/manual.md, "Exit status"). */
#ifndef HILLOCK_EXIT_CODES_H
#define HILLOCK_EXIT_CODES_H

enum {
    EXIT_OK = 0,
    EXIT_USAGE = 2,       /* unknown option or symbol, bad value */
    EXIT_INPUT = 3,       /* unreadable or non-audio input, unknown preset */
    EXIT_OUTPUT = 4,      /* output cannot be written (permissions, full disk) */
    EXIT_INTERRUPTED = 5, /* stopped by SIGINT/SIGTERM; the file holds what was rendered */
    EXIT_JACK = 6,        /* no JACK server, or it went away */
    EXIT_INTERNAL = 70,   /* out of memory, engine could not be created */
};

#endif
