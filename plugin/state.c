/* state.c — LV2 state for what is not a port.
 *
 * Every parameter is a control port, which hosts save themselves; what the
 * plugin adds is the format version (hillock:stateVersion), so a later
 * Hillock can tell what it is restoring. save() may run while run() does:
 * it reads only constants, so the snapshot is consistent by construction.
 * restore() never fails hard: a missing, mistyped or unknown version falls
 * back to the defaults of the non-port state, with a log message.
 */
#include "plugin.h"
#include "uris.h"

#include <lv2/atom/atom.h>

LV2_State_Status
hillock_state_save(LV2_Handle instance, LV2_State_Store_Function store,
                   LV2_State_Handle handle, uint32_t flags,
                   const LV2_Feature *const *features)
{
    (void)flags;
    (void)features;
    hillock_plugin *self = instance;
    static const int32_t version = HILLOCK_STATE_VERSION;
    return store(handle, self->u.hillock_stateVersion, &version, sizeof version,
                 self->forge.Int, LV2_STATE_IS_POD | LV2_STATE_IS_PORTABLE);
}

LV2_State_Status
hillock_state_restore(LV2_Handle instance, LV2_State_Retrieve_Function retrieve,
                      LV2_State_Handle handle, uint32_t flags,
                      const LV2_Feature *const *features)
{
    (void)flags;
    (void)features;
    hillock_plugin *self = instance;
    size_t size = 0;
    uint32_t type = 0, vflags = 0;
    const void *value =
        retrieve(handle, self->u.hillock_stateVersion, &size, &type, &vflags);
    if (!value) {
        /* presets and sessions saved by hosts that skip the state
         * extension hold only port values: nothing to restore, not an error */
        return LV2_STATE_SUCCESS;
    }
    if (type != self->forge.Int || size != sizeof(int32_t)) {
        lv2_log_warning(&self->logger,
                        "hillock: state version is corrupted (type %u, %zu bytes); "
                        "using defaults\n",
                        type, size);
        return LV2_STATE_ERR_BAD_TYPE;
    }
    int32_t version = *(const int32_t *)value;
    if (version < 1 || version > HILLOCK_STATE_VERSION) {
        lv2_log_warning(&self->logger,
                        "hillock: state version %d is unknown to this version (%d); "
                        "using defaults\n",
                        (int)version, HILLOCK_STATE_VERSION);
        return LV2_STATE_ERR_UNKNOWN;
    }
    return LV2_STATE_SUCCESS;
}
