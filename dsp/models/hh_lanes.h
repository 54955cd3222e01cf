/* hh_lanes.h — the HH step on HH_LANES neurons at a time, written once and
 * compiled by hh.c for each instruction-set path: it defines
 * hh_step_<HH_ISA>() from
 *   HH_ISA, HH_TARGET   path name and target attribute
 *   HH_LANES            lanes per vector (vec.h's vf<HH_LANES> and kin)
 *   hh_lerp_columns_<HH_ISA>(e, off, f, col)  a vector's table lines (float
 *                       offsets off[], fractions f[]) interpolated, entry +
 *                       f * step, as columns col[0..5]
 *   hh_any_<HH_ISA>(mask)                some lane of a comparison set
 *   HH_TAIL             the step of the neurons after the last whole
 *                       vector: the path of half the lanes (hh_steps_<isa>,
 *                       included before this one), or hh_kernel
 * The operations are hh_loop's in the same order, so every path gives its
 * bits. */
#define HH_CAT_(a, b) a##_##b
#define HH_CAT(a, b) HH_CAT_(a, b)
#define HH_PASTE_(a, b) a##b
#define HH_PASTE(a, b) HH_PASTE_(a, b)
#define VF HH_PASTE(vf, HH_LANES)
#define VI HH_PASTE(vi, HH_LANES)
#define VU HH_PASTE(vu, HH_LANES)

/* quiet: model_input.soma_g_uniform with g = 0 and g E = 0 for the whole
 * bank (an uncoupled bank's usual case): adding those zeros is left out.
 * The sums they join, (g_Na + g_K) + g_L and (g_Na E_Na + g_K E_K) + g_L
 * E_L, are never -0 (each ends by adding a non-zero constant, and round to
 * nearest gives -0 only for -0 + -0), and x + 0 is x for every x but -0
 * (NaN and inf included): the same bits, two loads and two additions less
 * a vector. */
HH_TARGET SIMD_INLINE void
HH_CAT(hh_steps, HH_ISA)(float *const var[], const model_input *in, const model_params *p,
                         float *spike_frac, uint32_t n, const int quiet)
{
    float *vv = var[V], *mm = var[M], *hh = var[H], *nn = var[N];
    /* the inputs' pointers read once: the state's stores might alias *in */
    const float *soma_i = in->soma_i, *soma_g = in->soma_g, *soma_ge = in->soma_ge;
    const float *e = p->table + T_ENTRIES;
    const float c_dt = C_M / p->dt_ms, theta = p->threshold;
    /* TTX and TEA scale the maximal conductances (1: 120 and 36 exactly) */
    const float g_na_max = G_NA * (1.0f - p->na_block), g_k_max = G_K * (1.0f - p->k_block);
    const VI kmax = (VI){0} + ((int32_t)TAB_N - 2);
    const VF zero = {0}, one = zero + 1.0f, minus1 = zero - 1.0f;
    /* Two passes over a block of HH_BLOCK neurons: every neuron's grid
     * index and fraction, kept on the stack (1 KB); then, a vector at a
     * time, the table lines read by those, interpolated and turned into
     * columns, the gates and the voltage. In one pass each vector was a
     * chain of dependent work (index, offsets stored and read back, 16
     * scattered loads, transpose, gates, division) longer than the core's
     * window holds two of; with the indices ready, only the loads start
     * the chain. */
    int32_t offs[HH_BLOCK] __attribute__((aligned(64)));
    float fs[HH_BLOCK] __attribute__((aligned(64)));
    uint32_t i = 0;
    while (i + HH_LANES <= n) {
        const uint32_t len =
            n - i < HH_BLOCK ? (n - i) / HH_LANES * HH_LANES : (uint32_t)HH_BLOCK;
        for (uint32_t b = 0; b < len; b += HH_LANES) {
            VF v = VEC_LOAD(VF, vv + i + b);
            /* grid_index, lane by lane */
            VF x = (v - TAB_V0) * TAB_PER_MV - 0.5f;
            VF t_round = x + TAB_SHIFTER;
            VI k_raw = (VI)((VU)t_round - (uint32_t)vm_float_to_bits(TAB_SHIFTER));
            VF f = x - (t_round - TAB_SHIFTER) + 0.5f;
            VI below = k_raw < 0, above = k_raw > kmax;
            VI k = VEC_SELECT(VI, below, (VI){0}, k_raw);
            k = VEC_SELECT(VI, above, kmax, k);
            f = VEC_SELECT(VI, below, zero, f);
            f = VEC_SELECT(VI, above, one, f);
            VEC_STORE(offs + b, k * (int32_t)LINE);
            VEC_STORE(fs + b, f);
        }
        for (uint32_t b = 0; b < len; b += HH_LANES, i += HH_LANES) {
            VF col[6];
            HH_CAT(hh_lerp_columns, HH_ISA)(e, offs + b, fs + b, col);
            VF v = VEC_LOAD(VF, vv + i);
            VF gate[3];
            float *const old[3] = {mm + i, hh + i, nn + i};
            for (int g = 0; g < 3; ++g) {
                VF inf = col[2 * g], d = col[2 * g + 1];
                VF x0 = VEC_LOAD(VF, old[g]);
                gate[g] = x0 + d * (inf - x0);
            }
            VF m = gate[0], h = gate[1], nk = gate[2];
            VF g_na = g_na_max * m * m * m * h;
            VF n2 = nk * nk;
            VF g_k = g_k_max * n2 * n2;
            VF g = g_na + g_k + G_L;
            VF e_in = g_na * E_NA + g_k * E_K + G_L * E_L;
            if (!quiet) {
                g = g + VEC_LOAD(VF, soma_g + i);
                e_in = e_in + VEC_LOAD(VF, soma_ge + i);
            }
            e_in = e_in + VEC_LOAD(VF, soma_i + i);
            VF v_new = ((c_dt - 0.5f * g) * v + e_in) / (c_dt + 0.5f * g);
            VEC_STORE(mm + i, m);
            VEC_STORE(hh + i, h);
            VEC_STORE(nn + i, nk);
            VEC_STORE(vv + i, v_new);
            /* the crossing's fraction only where there is one: rarely a divide */
            VI up = (v < theta) & (v_new >= theta);
            VF out = minus1;
            if (HH_CAT(hh_any, HH_ISA)(up))
                out = VEC_SELECT(VI, up, (theta - v) / (v_new - v), minus1);
            VEC_STORE(spike_frac + i, out);
        }
    }
    if (i < n) {
        /* fewer neurons than a vector (a small bank: all of it) on the
         * narrower paths, each as fast a neuron as this one: scalar, the
         * HH step of 8 neurons took about 13 ns a neuron, 28 % of a
         * render of 8 neurons (docs/performance-log.md, "Small banks on
         * the narrower vectors") */
        float *rest[4] = {vv + i, mm + i, hh + i, nn + i};
        const model_input tail = model_input_from(in, i);
        HH_TAIL(rest, &tail, p, spike_frac + i, n - i, quiet);
    }
}

HH_TARGET static void
HH_CAT(hh_step, HH_ISA)(float *const var[], const model_input *in, const model_params *p,
                        float *spike_frac, uint32_t n)
{
    if (in->soma_g_uniform && n && in->soma_g[0] == 0.0f && in->soma_ge[0] == 0.0f)
        HH_CAT(hh_steps, HH_ISA)(var, in, p, spike_frac, n, 1);
    else
        HH_CAT(hh_steps, HH_ISA)(var, in, p, spike_frac, n, 0);
}

#undef VF
#undef VI
#undef VU
#undef HH_PASTE
#undef HH_PASTE_
#undef HH_CAT
#undef HH_CAT_
#undef HH_ISA
#undef HH_TARGET
#undef HH_LANES
#undef HH_TAIL
