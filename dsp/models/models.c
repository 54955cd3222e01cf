/* models.c — the kernels of each model in the registry's order. */
#include "model.h"

const model_desc *
model_get(int model)
{
#define HILLOCK_MODEL_DESC_(id, symbol) [MODEL_##id] = &model_##symbol,
    static const model_desc *const models[MODEL_COUNT] = {
        HILLOCK_MODELS(HILLOCK_MODEL_DESC_)};
#undef HILLOCK_MODEL_DESC_
    return models[model >= 0 && model < MODEL_COUNT ? model : 0];
}

int
model_index(const model_desc *m)
{
    for (int k = 0; k < MODEL_COUNT; ++k)
        if (model_get(k) == m)
            return k;
    return MODEL_HH;
}
