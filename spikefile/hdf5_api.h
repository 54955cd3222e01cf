#ifndef HILLOCK_HDF5_API_H
#define HILLOCK_HDF5_API_H
/* libhdf5, opened at the first NWB file instead of linked.
 *
 * Debian's libhdf5 brings about thirty more libraries with it (its network
 * drivers' HTTP, TLS, Kerberos and LDAP stacks); loading and relocating them
 * cost 12 ms at every start of `hillock` and of every host process loading
 * the plugin, for a format most runs never read (docs/performance-log.md, "The
 * start of a render"). The calls nwb.c makes go through this table; the
 * header still gives their types, so each pointer has exactly the type of
 * the function it holds. */
#include <hdf5.h>

#include <stddef.h>

/* H5F_ACC_RDONLY's value: the header's macro also calls H5check and
 * H5open, which are not linked (open_library checks the version instead) */
#define HDF5_ACC_RDONLY 0x0000u

typedef struct {
    __typeof__(&H5Eset_auto2) Eset_auto2;
    __typeof__(&H5Fopen) Fopen;
    __typeof__(&H5Fclose) Fclose;
    __typeof__(&H5Dopen2) Dopen2;
    __typeof__(&H5Dclose) Dclose;
    __typeof__(&H5Dget_space) Dget_space;
    __typeof__(&H5Dget_type) Dget_type;
    __typeof__(&H5Dread) Dread;
    __typeof__(&H5Dvlen_reclaim) Dvlen_reclaim;
    __typeof__(&H5Screate_simple) Screate_simple;
    __typeof__(&H5Sselect_hyperslab) Sselect_hyperslab;
    __typeof__(&H5Sget_simple_extent_ndims) Sget_simple_extent_ndims;
    __typeof__(&H5Sget_simple_extent_dims) Sget_simple_extent_dims;
    __typeof__(&H5Sclose) Sclose;
    __typeof__(&H5Lexists) Lexists;
    __typeof__(&H5Tget_class) Tget_class;
    __typeof__(&H5Tis_variable_str) Tis_variable_str;
    __typeof__(&H5Tcopy) Tcopy;
    __typeof__(&H5Tset_size) Tset_size;
    __typeof__(&H5Tget_size) Tget_size;
    __typeof__(&H5Tget_cset) Tget_cset;
    __typeof__(&H5Tset_cset) Tset_cset;
    __typeof__(&H5Tclose) Tclose;
    /* the library's predefined types (H5T_NATIVE_DOUBLE, H5T_NATIVE_INT64,
     * H5T_C_S1), read once the library is open */
    hid_t native_double, native_int64, c_s1;
} hdf5_api;

/* The table, the library opened at the first call (thread-safe; later
 * calls return the same table or the same failure). NULL, with the reason
 * in err, when the library cannot be opened. */
const hdf5_api *hdf5_api_get(char *err, size_t err_len);

#endif
