/* jack_api.c — libjack loaded by `hillock jack` alone (jack_api.h). */
#define JACK_API_TABLE_ONLY /* the table's own names, not calls */
#include "jack_api.h"

#include <dlfcn.h>
#include <stdio.h>

jack_api_table jack_api;

/* JACK's library as Debian's libjack-jackd2-0 installs it (the soname the
 * headers' ABI is for) */
#define JACK_LIBRARY "libjack.so.0"

bool
jack_api_load(char *err, size_t err_size)
{
    void *lib = dlopen(JACK_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        snprintf(err, err_size, "cannot load the JACK library (%s): %s; install JACK (jackd2)",
                 JACK_LIBRARY, dlerror());
        return false;
    }
    /* kept loaded until the process ends: its threads run to the end */
#define JACK_API_FIND(f)                                                                     \
    *(void **)&jack_api.f = dlsym(lib, #f);                                                  \
    if (!jack_api.f) {                                                                       \
        snprintf(err, err_size, "the JACK library (%s) has no %s", JACK_LIBRARY, #f);        \
        return false;                                                                        \
    }
    JACK_API_FUNCTIONS(JACK_API_FIND)
    JACK_API_VARIABLES(JACK_API_FIND)
#undef JACK_API_FIND
    return true;
}
