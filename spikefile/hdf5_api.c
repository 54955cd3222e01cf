#define _POSIX_C_SOURCE 200809L
#include "hdf5_api.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* HDF5_SONAME: the library the build linked against (spikefile/meson.build
 * reads it from a test link), so the version opened is the one whose
 * header gave the types above. */
#ifndef HDF5_SONAME
#error "HDF5_SONAME is set by spikefile/meson.build"
#endif

static hdf5_api api;
static const hdf5_api *api_ok;
static char api_why[256];
static pthread_once_t api_once = PTHREAD_ONCE_INIT;

static void *
symbol(void *lib, const char *name, int *ok)
{
    void *p = dlsym(lib, name);
    if (!p && *ok) {
        snprintf(api_why, sizeof api_why, "libhdf5 (%s) lacks %s", HDF5_SONAME, name);
        *ok = 0;
    }
    return p;
}

/* a function pointer from dlsym's object pointer (POSIX guarantees the
 * round trip; memcpy keeps ISO C quiet about the conversion) */
#define LOAD(field, name)                                                                  \
    do {                                                                                   \
        void *p_ = symbol(lib, name, &ok);                                                 \
        memcpy(&api.field, &p_, sizeof api.field);                                         \
    } while (0)

static void
open_library(void)
{
    /* RTLD_LOCAL: its symbols stay out of the process's namespace */
    void *lib = dlopen(HDF5_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char *e = dlerror();
        snprintf(api_why, sizeof api_why,
                 "NWB files need libhdf5 (%s), which could not be opened: %s "
                 "(Debian: apt install libhdf5-103-1)",
                 HDF5_SONAME, e ? e : "not found");
        return;
    }
    int ok = 1;
    LOAD(Eset_auto2, "H5Eset_auto2");
    LOAD(Fopen, "H5Fopen");
    LOAD(Fclose, "H5Fclose");
    LOAD(Dopen2, "H5Dopen2");
    LOAD(Dclose, "H5Dclose");
    LOAD(Dget_space, "H5Dget_space");
    LOAD(Dget_type, "H5Dget_type");
    LOAD(Dread, "H5Dread");
    LOAD(Dvlen_reclaim, "H5Dvlen_reclaim");
    LOAD(Screate_simple, "H5Screate_simple");
    LOAD(Sselect_hyperslab, "H5Sselect_hyperslab");
    LOAD(Sget_simple_extent_ndims, "H5Sget_simple_extent_ndims");
    LOAD(Sget_simple_extent_dims, "H5Sget_simple_extent_dims");
    LOAD(Sclose, "H5Sclose");
    LOAD(Lexists, "H5Lexists");
    LOAD(Tget_class, "H5Tget_class");
    LOAD(Tis_variable_str, "H5Tis_variable_str");
    LOAD(Tcopy, "H5Tcopy");
    LOAD(Tset_size, "H5Tset_size");
    LOAD(Tget_size, "H5Tget_size");
    LOAD(Tget_cset, "H5Tget_cset");
    LOAD(Tset_cset, "H5Tset_cset");
    LOAD(Tclose, "H5Tclose");
    __typeof__(&H5open) h5open = NULL;
    void *p = symbol(lib, "H5open", &ok);
    memcpy(&h5open, &p, sizeof h5open);
    /* the predefined types are variables the library sets in H5open (what
     * the header's H5T_NATIVE_DOUBLE etc. expand to) */
    const hid_t *dbl = symbol(lib, "H5T_NATIVE_DOUBLE_g", &ok);
    const hid_t *i64 = symbol(lib, "H5T_NATIVE_INT64_g", &ok);
    const hid_t *s1 = symbol(lib, "H5T_C_S1_g", &ok);
    __typeof__(&H5get_libversion) libversion = NULL;
    p = symbol(lib, "H5get_libversion", &ok);
    memcpy(&libversion, &p, sizeof libversion);
    unsigned major = 0, minor = 0, release = 0;
    /* the types above are the header's: the library must be of its series */
    if (ok && (libversion(&major, &minor, &release) < 0 || major != H5_VERS_MAJOR ||
               minor != H5_VERS_MINOR)) {
        snprintf(api_why, sizeof api_why, "libhdf5 (%s) is version %u.%u.%u, built for %d.%d",
                 HDF5_SONAME, major, minor, release, H5_VERS_MAJOR, H5_VERS_MINOR);
        ok = 0;
    }
    if (ok && h5open() < 0) {
        snprintf(api_why, sizeof api_why, "libhdf5 (%s) failed to start", HDF5_SONAME);
        ok = 0;
    }
    if (!ok) {
        dlclose(lib);
        return;
    }
    api.native_double = *dbl;
    api.native_int64 = *i64;
    api.c_s1 = *s1;
    api_ok = &api; /* the library stays open for the process's life */
}

const hdf5_api *
hdf5_api_get(char *err, size_t err_len)
{
    pthread_once(&api_once, open_library);
    if (!api_ok && err && err_len)
        snprintf(err, err_len, "%s", api_why);
    return api_ok;
}
