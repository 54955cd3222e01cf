/* compat.h — the old meaning of a parameter, kept for the sessions that
 * were saved with it.
 *
 * When a release changes what a parameter does, or adds one whose default
 * sounds different from how the plugin sounded before it existed, a session
 * saved earlier must still sound as it did. The host restores port values by
 * symbol and a plugin cannot write its own control inputs, so the plugin
 * keeps the old meaning itself: a rule says "a state older than version
 * `since` plays parameter `id` at `legacy`", and holds until the user moves
 * that control. The rules in force are saved with the state
 * (hillock:legacyRules), so saving an old session again keeps its sound.
 * docs/compatibility.md gives the procedure.
 */
#ifndef HILLOCK_COMPAT_H
#define HILLOCK_COMPAT_H

#include "params.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define COMPAT_MAX_RULES 32u

typedef struct {
    param_id id;
    int32_t since;  /* the state version that gave `id` its present meaning */
    float legacy;   /* the value that plays as a state older than `since` did */
    /* only when the state left the control at this release's default: a
     * default that changed with a unit (drive_mode) is the new unit's, so
     * a port-only preset that did not list the control meant the old
     * default; a value the state did list is already in the old unit */
    bool only_at_default;
} compat_rule;

/* This release's rules, oldest first (at most COMPAT_MAX_RULES). */
extern const compat_rule compat_rules[];
extern const uint32_t compat_rule_count;

typedef struct {
    atomic_uint mask;  /* bit i: rule i in force (read by save() while run() runs) */
    bool armed;        /* the next compat_apply records the restored values */
    float restored[COMPAT_MAX_RULES]; /* each rule's control as restored */
} compat_state;

/* The rules a state of `version` needs: those with since > version. */
uint32_t compat_rules_for(const compat_rule *rules, uint32_t n, int32_t version);

/* After a restore: put `mask` in force from the next compat_apply on. */
void compat_restart(compat_state *s, uint32_t mask);

/* Real-time safe. values[] holds the controls as the host set them; a rule
 * in force replaces its control's value by its legacy value, unless the
 * control moved since the restore, which ends the rule. */
void compat_apply(compat_state *s, const compat_rule *rules, uint32_t n,
                  float values[PARAM_COUNT]);

#endif
