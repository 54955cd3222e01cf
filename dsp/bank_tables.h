/* bank_tables.h — the tables of the bank's model (model_desc.table_floats). */
#ifndef HILLOCK_BANK_TABLES_H
#define HILLOCK_BANK_TABLES_H

#include "bank.h"

/* Every model's tables as table_init leaves them, in a new bank: computed
 * once a process (HH: 24000 exponentials in double, which an engine's three
 * banks paid three times) and copied. A bank that touches its pages at
 * create (bank_create: the plugin's) gets them all now; an offline one gets
 * a model's when a step or a loaded state first needs it, so that the
 * models and banks a render never steps (a settle bank, another model)
 * fault in none of their 256 KB. Not real-time safe (the first call
 * allocates): at create only. */
void bank_tables_init(bank *b);

/* Model k's table_init part in the bank, if not yet: a copy (real-time
 * safe once bank_tables_init ran) */
void bank_tables_fill(bank *b, int k);

/* c->model's tables, prepared for c->mp's dt and phi (NULL: it has none). */
const float *bank_model_tables(bank *b, const bank_config *c);

#endif
