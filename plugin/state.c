/* state.c — LV2 state for what is not a port.
 *
 * Every parameter is a control port, which hosts save themselves; what the
 * plugin adds is the meaning those values have: the format version
 * (hillock:stateVersion) and the old meanings still in force
 * (hillock:legacyRules, compat.h). save() may run while run() does: it reads
 * a constant and one atomic word, so the snapshot is consistent.
 * restore() never fails hard: a mistyped or unknown version falls back to
 * the present meanings, with a log message; a missing one is a state of
 * 0.1 (port values only), played in its meanings.
 *
 * The file properties (paths.c) are saved as abstract paths (state:mapPath)
 * and restored from a state that carries hillock:stateVersion (every save and
 * every preset since 0.1): one without them clears them, as LV2 state asks
 * (fall back to the default for what a state lacks), so a preset is the
 * whole sound. A state of 0.1 (no version) leaves them as they are.
 */
#include "plugin.h"
#include "uris.h"

#include <lv2/atom/atom.h>

#include <string.h>

/* An atom:Int the host hands back: it may sit at any address (a byte
 * offset in the host's own session buffer), so it is copied, never read
 * through an int32_t pointer. */
static bool
read_int(const hillock_plugin *self, const void *value, size_t size, uint32_t type,
         int32_t *out)
{
    if (!value || type != self->forge.Int || size != sizeof *out)
        return false;
    memcpy(out, value, sizeof *out);
    return true;
}

LV2_State_Status
hillock_state_save(LV2_Handle instance, LV2_State_Store_Function store,
                   LV2_State_Handle handle, uint32_t flags,
                   const LV2_Feature *const *features)
{
    (void)flags;
    hillock_plugin *self = instance;
    static const int32_t version = HILLOCK_STATE_VERSION;
    const int32_t legacy =
        (int32_t)atomic_load_explicit(&self->compat.mask, memory_order_relaxed);
    LV2_State_Status st =
        store(handle, self->u.hillock_stateVersion, &version, sizeof version, self->forge.Int,
              LV2_STATE_IS_POD | LV2_STATE_IS_PORTABLE);
    if (st == LV2_STATE_SUCCESS && legacy)
        st = store(handle, self->u.hillock_legacyRules, &legacy, sizeof legacy,
                   self->forge.Int, LV2_STATE_IS_POD | LV2_STATE_IS_PORTABLE);
    if (st == LV2_STATE_SUCCESS)
        st = paths_save(self, store, handle, features);
    if (st == LV2_STATE_SUCCESS)
        st = osc_save(self, store, handle);
    if (st == LV2_STATE_SUCCESS)
        st = osc_in_save(self, store, handle);
    if (st == LV2_STATE_SUCCESS)
        st = synapses_save(self, store, handle, features);
    return st;
}

/* The old meanings a state of `version` keeps: a state of this version
 * says which it saved; an older one needs every rule made since. False,
 * with none kept, when the saved rules are unreadable. */
static bool
legacy_rules(hillock_plugin *self, LV2_State_Retrieve_Function retrieve,
             LV2_State_Handle handle, int32_t version, uint32_t *rules)
{
    *rules = 0;
    if (version < HILLOCK_STATE_VERSION) {
        *rules = compat_rules_for(compat_rules, compat_rule_count, version);
        return true;
    }
    size_t size = 0;
    uint32_t type = 0, vflags = 0;
    const void *value = retrieve(handle, self->u.hillock_legacyRules, &size, &type, &vflags);
    if (!value)
        return true; /* none saved: the present meanings */
    int32_t saved;
    if (!read_int(self, value, size, type, &saved))
        return false;
    uint32_t valid = compat_rules_for(compat_rules, compat_rule_count, INT32_MIN);
    *rules = (uint32_t)saved & valid;
    return true;
}

LV2_State_Status
hillock_state_restore(LV2_Handle instance, LV2_State_Retrieve_Function retrieve,
                      LV2_State_Handle handle, uint32_t flags,
                      const LV2_Feature *const *features)
{
    (void)flags;
    hillock_plugin *self = instance;
    /* whatever happens below, the values the host restores next are read
     * in the present meaning unless the state says otherwise */
    compat_restart(&self->compat, 0);
    size_t size = 0;
    uint32_t type = 0, vflags = 0;
    const void *value =
        retrieve(handle, self->u.hillock_stateVersion, &size, &type, &vflags);
    if (!value) {
        /* Only port values: the presets of 0.1 (which carried no state)
         * and sessions of hosts that skip the state extension. Every
         * preset and state written since carries its version, so a state
         * without one plays in the meanings of 0.1, the first version. */
        compat_restart(&self->compat,
                       compat_rules_for(compat_rules, compat_rule_count, HILLOCK_STATE_FIRST));
        return LV2_STATE_SUCCESS;
    }
    int32_t version;
    if (!read_int(self, value, size, type, &version)) {
        lv2_log_warning(&self->logger,
                        "hillock: state version is corrupted (type %u, %zu bytes); "
                        "using defaults\n",
                        type, size);
        return LV2_STATE_ERR_BAD_TYPE;
    }
    if (version < HILLOCK_STATE_FIRST || version > HILLOCK_STATE_VERSION) {
        lv2_log_warning(&self->logger,
                        "hillock: state version %d is unknown to this version (%d); "
                        "using defaults\n",
                        (int)version, HILLOCK_STATE_VERSION);
        return LV2_STATE_ERR_UNKNOWN;
    }
    uint32_t rules;
    if (!legacy_rules(self, retrieve, handle, version, &rules)) {
        lv2_log_warning(&self->logger,
                        "hillock: the state's legacy rules are corrupted; the parameters "
                        "keep their present meanings\n");
        return LV2_STATE_ERR_BAD_TYPE;
    }
    compat_restart(&self->compat, rules);
    /* a state this plugin saved: its file properties (absent ones clear) */
    paths_restore(self, retrieve, handle, features);
    osc_restore(self, retrieve, handle);
    osc_in_restore(self, retrieve, handle);
    synapses_restore(self, retrieve, handle, features);
    return LV2_STATE_SUCCESS;
}
