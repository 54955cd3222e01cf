/* bank_tables.h — the tables of the bank's model (model_desc.table_floats). */
#ifndef HILLOCK_BANK_TABLES_H
#define HILLOCK_BANK_TABLES_H

#include "bank.h"

/* c->model's tables, prepared for c->mp's dt and phi (NULL: it has none). */
const float *bank_model_tables(bank *b, const bank_config *c);

#endif
