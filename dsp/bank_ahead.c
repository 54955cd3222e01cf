/* bank_ahead.c — runs of steps taken ahead of their frames (bank_ahead.h). */
#include "bank_ahead.h"

#include "bank_input_cache.h"
#include "bank_own.h"
#include "bank_range.h"
#include "bank_screen.h"
#include "bank_split.h"
#include "bank_tables.h"
#include "params.h"
#include "zeroed.h"

#include <stdlib.h>
#include <string.h>

/* A range's piece of a block another range has a piece of too */
typedef struct {
    uint32_t lo, hi; /* neurons, or lo == hi: none */
    uint32_t slot;   /* its block's copies of the voltages */
} ahead_piece;

typedef struct {
    uint32_t steps, n, n_sub, focus;
    unsigned parts;
    uint32_t cut[BANK_MAX_PARTS + 1]; /* range p: [cut[p], cut[p + 1]) */
    /* the blocks a cut lies inside (shared): each range keeps its piece's
     * voltages after each step in the block's copy, which the frames mix
     * whole (bank_ahead_mix) */
    uint32_t shared, shared_block[BANK_AHEAD_SHARED];
    int shared_mixed; /* ... already, for every step (bank_ahead_step) */
    ahead_piece piece[BANK_MAX_PARTS][2]; /* per range: below and above its whole blocks */
    float ext_all;
    int noise;
    model_params mp;
    /* The bank's configuration as the run was prepared, which the ranges
     * read from here. The engine's own copy shares cache lines with what
     * the frames played beside the run write at every step (the step
     * index, next to it), so each range's reads of it crossed between the
     * cores: HH 2048 on two threads went 1.50x -> 1.61x one thread with
     * this copy (docs/performance-log.md). Nothing writes it during a run. */
    _Alignas(64) bank_config cfg;
    _Alignas(64) bank_mix_stats st;
    unsigned keep[BANK_AHEAD_STEPS];
    bank_noise_draw draw[BANK_AHEAD_STEPS];
    uint8_t stats[BANK_AHEAD_STEPS];
    /* results: range p's spikes of every step, one step's after the
     * other's, from slot cut[p] x steps on (step s's from first[p][s]): the
     * thread that plays a frame reads another range's spikes of a run from
     * a few lines in a row, not from a line of its own each step, a
     * transfer between the cores each (rows of n slots, as they were, cost
     * a miss a step: memmove 3 % of a two-thread render's samples) */
    uint32_t *spiked;
    float *spiked_frac;
    /* step j's spikes of every range, in index order, when more than one
     * range has some (bank_ahead_spikes): n slots */
    uint32_t *merged;
    float *merged_frac;
    /* per range, per step: each range's on cache lines of its own (two
     * threads writing one line step after step slow both) */
    _Alignas(64) uint32_t count[BANK_MAX_PARTS][BANK_AHEAD_STEPS];
    _Alignas(64) uint32_t first[BANK_MAX_PARTS][BANK_AHEAD_STEPS];
    _Alignas(64) uint32_t repaired[BANK_MAX_PARTS][BANK_AHEAD_STEPS];
    _Alignas(64) uint8_t piece_bad[BANK_MAX_PARTS][BANK_AHEAD_STEPS][2]; /* the pieces' screens */
    /* per mix block, per step (block_step): a block's steps together, on
     * lines of their own, as one range steps the block */
    float *mix_l, *mix_r, *stat_l, *stat_r;
    uint8_t *mix_bad;
    float *copy; /* BANK_AHEAD_SHARED x BANK_AHEAD_STEPS x BANK_MIX_BLOCK voltages */
    float focus_v[BANK_AHEAD_STEPS][3];   /* after the step */
    float focus_end[BANK_AHEAD_STEPS][3]; /* ... and after a frame's repair */
    /* bank_split_clock: each range's steps from start to stepped; the
     * rest of the frames, played after its range by the first or the last
     * range's thread, took moved */
    double start[BANK_MAX_PARTS], stepped[BANK_MAX_PARTS], moved;
} ahead_run;

struct bank_ahead {
    uint32_t blocks_max;
    /* the cuts, moved after each run towards the range that ended first
     * (the calling thread's range has the frames to play as well) */
    unsigned parts;
    uint32_t n;
    uint32_t grain; /* neurons a cut moves by */
    uint32_t cut[BANK_MAX_PARTS + 1];
    double lean[BANK_MAX_PARTS], per_step; /* smoothed: end difference, a neuron-step */
    ahead_run run[2];
    /* every range but the first in a block of its own during a call's
     * runs (bank_own.h); NULL: in place */
    bank_own *own;
    float *rows_block; /* both runs' spiked and spiked_frac (zeroed.h) */
};

/* Mix block q's step j in a run's per-block rows */
static size_t
block_step(uint32_t q, uint32_t j)
{
    return (size_t)q * BANK_AHEAD_STEPS + j;
}

/* zeroed, each block's row on whole cache lines */
static void *
rows_alloc(size_t bytes)
{
    bytes = (bytes + 63u) & ~(size_t)63u;
    void *p = aligned_alloc(64, bytes);
    if (p)
        memset(p, 0, bytes);
    return p;
}

bank_ahead *
bank_ahead_create(uint32_t capacity)
{
    bank_ahead *a = aligned_alloc(64, (sizeof *a + 63u) & ~(size_t)63u); /* the runs' lines */
    if (!a)
        return NULL;
    memset(a, 0, sizeof *a);
    a->blocks_max = capacity / BANK_MIX_BLOCK + 1u;
    const size_t rows = (size_t)BANK_AHEAD_STEPS * a->blocks_max;
    /* Both runs' spike rows in one block, its pages written now: a step's
     * spikes land at their ranges' offsets in rows spread over 2 MiB, whose
     * 512 first faults fell in a render's first blocks with spikes (an
     * Izhikevich bank of 4096: 1352 page faults against 809 on one thread,
     * and its second and third blocks on the pool at 2.5 to 3.5x their
     * steady time, which the render's choice of threads then timed); as
     * one 2 MiB page where the system gives them (zeroed.h), one fault. */
    const size_t row_floats = BANK_AHEAD_NEURON_STEPS;
    _Static_assert(sizeof(uint32_t) == sizeof(float), "rows of spikes and fractions alike");
    float *rows_block = zeroed_alloc(4u * row_floats * sizeof(float), 1);
    if (!rows_block) {
        free(a);
        return NULL;
    }
    a->rows_block = rows_block;
    int ok = 1;
    for (int w = 0; w < 2; ++w) {
        ahead_run *r = &a->run[w];
        r->spiked = (uint32_t *)(void *)(rows_block + (2u * w) * row_floats);
        r->spiked_frac = rows_block + (2u * w + 1u) * row_floats;
        ok &= (r->mix_l = rows_alloc(rows * sizeof(float))) != NULL;
        ok &= (r->mix_r = rows_alloc(rows * sizeof(float))) != NULL;
        ok &= (r->stat_l = rows_alloc(rows * sizeof(float))) != NULL;
        ok &= (r->stat_r = rows_alloc(rows * sizeof(float))) != NULL;
        ok &= (r->mix_bad = rows_alloc(rows)) != NULL;
        ok &= (r->merged = rows_alloc(capacity * sizeof(uint32_t))) != NULL;
        ok &= (r->merged_frac = rows_alloc(capacity * sizeof(float))) != NULL;
        ok &= (r->copy = malloc((size_t)BANK_AHEAD_SHARED * BANK_AHEAD_STEPS * BANK_MIX_BLOCK *
                                sizeof(float))) != NULL;
    }
    a->own = bank_own_create(capacity); /* NULL: the ranges step in place */
    if (!ok) {
        bank_ahead_destroy(a);
        return NULL;
    }
    return a;
}

void
bank_ahead_destroy(bank_ahead *a)
{
    if (!a)
        return;
    for (int w = 0; w < 2; ++w) {
        ahead_run *r = &a->run[w];
        free(r->mix_l);
        free(r->mix_r);
        free(r->stat_l);
        free(r->stat_r);
        free(r->mix_bad);
        free(r->merged);
        free(r->merged_frac);
        free(r->copy);
    }
    zeroed_free(a->rows_block);
    bank_own_destroy(a->own);
    free(a);
}

static uint32_t
blocks_of(uint32_t n)
{
    return (n + BANK_MIX_BLOCK - 1u) / BANK_MIX_BLOCK;
}

uint32_t
bank_ahead_room(const bank_ahead *a, const bank *b, const bank_config *c)
{
    const uint32_t n = b->n;
    if (!b->par_run || !a || b->par_parts < 2 || b->par_parts > BANK_AHEAD_PARTS ||
        blocks_of(n) < 2)
        return 0;
    /* a neuron's step reads only its own state and fixed inputs: no
     * synapse delivers (on the fly, stored, receptors, background), no
     * gap junction, no M current (its conductance makes the inputs live),
     * no conductance left from before, no noise relaxing on the caller, one
     * time scale, the synapses' branches as the step would set them, and
     * the model's tables built for this dt (a step would rebuild them) */
    if (c->gap > 0.0f || network_delivers(&c->np) || b->syn ||
        c->synapse_model == SYNAPSE_RECEPTORS || c->poisson_rate_hz > 0.0f || c->mc.g > 0.0f ||
        b->g_live || b->time_scaled ||
        (!(c->noise_sigma > 0.0f) && b->noise_live) || b->exc_one_branch != c->rc.one_branch ||
        b->syn_allow != UINT64_MAX)
        return 0;
    const model_desc *m = c->model;
    if (m->table_floats) {
        const int k = model_index(m);
        if (b->table_dt[k] != c->mp.dt_ms || b->table_phi[k] != c->mp.phi)
            return 0;
    }
    const uint32_t steps = BANK_AHEAD_NEURON_STEPS / n;
    return steps < BANK_AHEAD_STEPS ? steps : BANK_AHEAD_STEPS;
}

/* The highest a cut may lie: on a whole block (the screen of a partial
 * last block looks at more than the voltages, bank_screen.c) */
static uint32_t
cut_limit(uint32_t n)
{
    return n / BANK_MIX_BLOCK * BANK_MIX_BLOCK;
}

/* This run's ranges from the kept cuts (even ones for a new bank or
 * number of threads), their pieces of shared blocks and the blocks' copies. */
static void
set_cuts(bank_ahead *a, ahead_run *r, uint32_t n, unsigned parts)
{
    if (a->parts != parts || a->n != n) {
        /* whole blocks where a bank has two a thread at least: a piece
         * costs its range a step call of its own, its copy and screen, and
         * the frames its block's mix (2048 HH neurons, two threads: the
         * cut held at 1024 beat the cut moving by 32 neurons, which
         * settled at 928; docs/performance-log.md) */
        a->grain = blocks_of(n) >= 2u * parts ? BANK_MIX_BLOCK : SPLIT_GRAIN;
        const uint32_t grains = cut_limit(n) / a->grain;
        for (unsigned p = 0; p < parts; ++p) {
            a->cut[p] = (uint32_t)((uint64_t)grains * p / parts) * a->grain;
            a->lean[p] = 0.0;
        }
        a->cut[parts] = n;
        a->parts = parts;
        a->n = n;
        a->per_step = 0.0;
    }
    r->parts = parts;
    memcpy(r->cut, a->cut, (parts + 1u) * sizeof r->cut[0]);
    r->shared = 0;
    for (unsigned i = 1; i < parts; ++i) {
        const uint32_t k = r->cut[i] / BANK_MIX_BLOCK;
        if (r->cut[i] % BANK_MIX_BLOCK && !(r->shared && r->shared_block[r->shared - 1] == k))
            r->shared_block[r->shared++] = k;
    }
    for (unsigned p = 0; p < parts; ++p) {
        const uint32_t begin = r->cut[p], end = r->cut[p + 1];
        const uint32_t lo = (begin + BANK_MIX_BLOCK - 1u) / BANK_MIX_BLOCK * BANK_MIX_BLOCK;
        const uint32_t hi = end == n ? end : end / BANK_MIX_BLOCK * BANK_MIX_BLOCK;
        ahead_piece *below = &r->piece[p][0], *above = &r->piece[p][1];
        *below = *above = (ahead_piece){0};
        if (lo > end || hi < lo) { /* inside one block */
            *below = (ahead_piece){begin, end, 0};
        } else {
            if (begin < lo)
                *below = (ahead_piece){begin, lo, 0};
            if (hi < end)
                *above = (ahead_piece){hi, end, 0};
        }
        for (int side = 0; side < 2; ++side) {
            ahead_piece *q = &r->piece[p][side];
            for (uint32_t k = 0; k < r->shared; ++k)
                if (q->lo < q->hi && r->shared_block[k] == q->lo / BANK_MIX_BLOCK)
                    q->slot = k;
        }
    }
}

/* After a run: each inner cut one grain (32 neurons, or a block)
 * towards the range that ended first, once the smoothed difference of their ends is worth more than a
 * grain (bank_split.c, by run instead of by step: a run's ends average
 * its steps' jitter, so they are smoothed less). */
static void
move_cuts(bank_ahead *a, const ahead_run *r)
{
    const unsigned parts = r->parts;
    double busy = 0.0, longest = 0.0;
    for (unsigned p = 0; p < parts; ++p) {
        const double d = r->stepped[p] - r->start[p];
        busy += d;
        longest = d > longest ? d : longest;
    }
    const double per_step = busy / ((double)r->n * r->steps);
    if (!(per_step > 0.0))
        return;
    a->per_step = a->per_step > 0.0 ? a->per_step + 0.25 * (per_step - a->per_step) : per_step;
    const uint32_t grain = a->grain, keep = grain == SPLIT_GRAIN ? 2u * grain : grain;
    const double grain_t = 2.0 * grain * a->per_step;
    const uint32_t top = cut_limit(r->n);
    for (unsigned i = 1; i < parts; ++i) {
        /* as if the calling thread had played every frame before its
         * range: the frames moved after the last range balance what a
         * grain cannot, and the cuts are left to balance the rest */
        const double before = r->stepped[i - 1] + (i == 1u ? r->moved : 0.0);
        double d = r->stepped[i] - before;
        const double bound = 0.5 * longest; /* a thread away from its core */
        d = d > bound ? bound : d < -bound ? -bound : d;
        a->lean[i] += 0.25 * (d / r->steps - a->lean[i]);
        /* every range keeps `keep` neurons at least */
        const uint32_t up = a->cut[i] + grain;
        if (a->lean[i] > grain_t && up + keep <= a->cut[i + 1] && up <= top) {
            a->cut[i] = up;
            a->lean[i] -= grain_t;
        } else if (a->lean[i] < -grain_t && a->cut[i] >= a->cut[i - 1] + keep + grain) {
            a->cut[i] -= grain;
            a->lean[i] += grain_t;
        }
    }
}

void
bank_ahead_prepare(bank_ahead *a, bank *b, const bank_config *c, unsigned which, uint32_t steps,
                   float ext_all, uint64_t step_index, const uint8_t *stats,
                   const bank_mix_stats *st, uint32_t n_sub, uint32_t focus)
{
    ahead_run *r = &a->run[which];
    const uint32_t n = b->n, blocks = blocks_of(n);
    r->steps = steps;
    r->n = n;
    r->n_sub = n_sub;
    r->focus = focus;
    r->ext_all = ext_all;
    r->noise = c->noise_sigma > 0.0f;
    r->cfg = *c;
    r->shared_mixed = 0;
    r->st = st ? *st : (bank_mix_stats){0};
    set_cuts(a, r, n, b->par_parts < blocks ? b->par_parts : blocks);
    /* each step's bookkeeping, in bank_step's order */
    r->mp = c->mp;
    for (uint32_t j = 0; j < steps; ++j) {
        r->mp.table = bank_model_tables(b, c);
        if (r->noise)
            r->draw[j] = bank_noise_begin(b, c, step_index + j);
        r->keep[j] = bank_inputs_unchanged(b, c, ext_all);
        b->inputs_kept += (r->keep[j] & KEEP_SOMA) != 0;
        b->dend_kept += (r->keep[j] & KEEP_DEND) != 0;
        r->stats[j] = st && stats[j];
    }
}

typedef struct {
    bank *b;
    bank_own *own; /* the ranges' blocks after the first (bank_ahead.own) */
    ahead_run *r;
    void (*first)(void *arg);
    int (*after)(void *arg, int last_range);
    void *arg;
    int last; /* the call's last run: the ranges' blocks go back to the bank */
} ahead_job;

static void
keep_focus(const bank *b, const model_desc *m, uint32_t i, float v[3])
{
    v[0] = b->var[m->soma_var][i];
    v[1] = b->var[m->dend_var][i];
    v[2] = b->var[m->slow_var][i];
}

/* A piece of a shared block through step s: its voltages into the
 * block's copy, its screen returned (the repair's, and the block's). */
static int
step_piece(ahead_job *j, bank *b, const ahead_piece *q, uint32_t s, uint32_t *count)
{
    ahead_run *r = j->r;
    const model_desc *m = r->cfg.model;
    *count = bank_step_range(b, &r->cfg, &r->mp, r->ext_all, r->keep[s],
                             r->noise ? &r->draw[s] : NULL, q->lo, q->hi, *count,
                             BANK_RANGE_NO_MIX, NULL);
    const uint32_t at = q->lo % BANK_MIX_BLOCK;
    float *copy = r->copy + ((size_t)q->slot * BANK_AHEAD_STEPS + s) * BANK_MIX_BLOCK;
    memcpy(copy + at, b->var[m->soma_var] + q->lo, (q->hi - q->lo) * sizeof(float));
    return bank_screen_range(b, m, r->mp.isa, q->lo, q->hi);
}

/* Range p through every step of the run, keeping each step's results. */
static void
ahead_part(void *arg, unsigned p)
{
    /* the job on this thread's stack: the caller's frame around it is
     * written while the ranges step */
    ahead_job job = *(const ahead_job *)arg, *j = &job;
    ahead_run *r = j->r;
    if (p == 0 && j->first)
        j->first(j->arg);
    r->start[p] = bank_split_clock();
    const model_desc *m = r->cfg.model;
    const uint32_t begin = r->cut[p], end = r->cut[p + 1];
    /* the ranges after the first step their neurons in a block of their
     * own (bank_own.h): filled here, by this range's thread, at a call's
     * first run */
    bank *b = j->b, view;
    bank_own *own = p > 0 ? j->own : NULL;
    if (own) {
        bank_own_view(own, p, j->b, m, begin, end, &view);
        b = &view;
    }
    const ahead_piece *below = &r->piece[p][0], *above = &r->piece[p][1];
    /* its whole blocks: [lo, hi) */
    const uint32_t lo = below->hi > below->lo ? below->hi : begin;
    const uint32_t hi = above->hi > above->lo ? above->lo : end;
    const int whole = hi > lo;
    const uint32_t kb = lo / BANK_MIX_BLOCK, ke = blocks_of(hi);
    const int has_focus = r->focus >= begin && r->focus < end;
    /* at most end - begin spikes a step: room for the run's steps */
    uint32_t *list = r->spiked + (size_t)begin * r->steps;
    float *list_frac = r->spiked_frac + (size_t)begin * r->steps;
    uint32_t listed = 0;
    int bad = 0;
    for (uint32_t s = 0; s < r->steps; ++s) {
        const bank_mix_stats *st = r->stats[s] ? &r->st : NULL;
        uint32_t count = begin;
        r->piece_bad[p][s][0] = r->piece_bad[p][s][1] = 0;
        if (below->hi > below->lo)
            bad |= r->piece_bad[p][s][0] = (uint8_t)step_piece(j, b, below, s, &count);
        if (whole) {
            count = bank_step_range(b, &r->cfg, &r->mp, r->ext_all, r->keep[s],
                                    r->noise ? &r->draw[s] : NULL, lo, hi, count,
                                    BANK_RANGE_MIX_WITH, st);
            for (uint32_t q = kb; q < ke; ++q) {
                const size_t at = block_step(q, s);
                const bank_block_sums *k = &b->sums[q];
                r->mix_l[at] = k->l;
                r->mix_r[at] = k->r;
                r->mix_bad[at] = k->bad;
                bad |= k->bad;
                if (st) {
                    r->stat_l[at] = k->stat_l;
                    r->stat_r[at] = k->stat_r;
                }
            }
        }
        if (above->hi > above->lo)
            bad |= r->piece_bad[p][s][1] = (uint8_t)step_piece(j, b, above, s, &count);
        const uint32_t k = count - begin;
        memcpy(list + listed, b->spiked + begin, k * sizeof(uint32_t));
        memcpy(list_frac + listed, b->spiked_frac + begin, k * sizeof(float));
        r->first[p][s] = listed;
        r->count[p][s] = k;
        listed += k;
        if (has_focus)
            keep_focus(b, m, r->focus, r->focus_v[s]);
        r->repaired[p][s] = 0;
        if ((s + 1u) % r->n_sub == 0) {
            /* the frame's end: its broken neurons reset, as the engine
             * resets the bank's when a frame's screen was suspect; a
             * range looks at its own blocks' and pieces' screens */
            if (bad)
                r->repaired[p][s] = bank_repair_range(b, &r->cfg, begin, end);
            bad = 0;
            if (has_focus) /* after the repair, as the frame's outputs read it */
                keep_focus(b, m, r->focus, r->focus_end[s]);
        }
    }
    if (own && j->last)
        bank_own_return(own, p, j->b);
    r->stepped[p] = bank_split_clock();
    /* the first and the last range's threads, whichever ends first plays
     * the rest (one of them does): its time, as if the calling thread had
     * played it before its range, is what move_cuts weighs */
    if (j->after && r->parts > 1 && (p == 0 || p + 1u == r->parts) &&
        j->after(j->arg, p > 0))
        r->moved = bank_split_clock() - r->stepped[p];
}

static void mix_shared(const bank *b, ahead_run *r, uint32_t j);

void
bank_ahead_step(bank_ahead *a, bank *b, unsigned which, void (*first)(void *arg),
                int (*after)(void *arg, int last_range), void *arg, int last)
{
    ahead_run *r = &a->run[which];
    bank_own *own = a->own;
    if (own) /* a range that moved gives its neurons back before any range takes them */
        for (unsigned p = 1; p < BANK_MAX_PARTS; ++p)
            if (!(p < r->parts && bank_own_holds(own, p, r->cut[p], r->cut[p + 1])))
                bank_own_return(own, p, b);
    if (first) {
        /* A block the run to play shares and this run steps whole: this
         * run's range would update its neurons' statistics before the
         * frames to play update them for their earlier steps. Those are
         * mixed now, first (a cut that moved: rare once they settle). */
        ahead_run *before = &a->run[which ^ 1u];
        int moved = 0;
        for (uint32_t k = 0; k < before->shared; ++k) {
            int still = 0;
            for (uint32_t q = 0; q < r->shared; ++q)
                still |= r->shared_block[q] == before->shared_block[k];
            moved |= !still;
        }
        if (moved && !before->shared_mixed) {
            for (uint32_t s = 0; s < before->steps; ++s)
                mix_shared(b, before, s);
            before->shared_mixed = 1;
        }
    }
    r->moved = 0.0;
    ahead_job j = {.b = b, .own = own, .r = r, .first = first, .after = after, .arg = arg,
                   .last = last};
    b->par_run(b->par_pool, ahead_part, &j, r->parts);
    uint32_t repaired = 0;
    for (uint32_t s = 0; s < r->steps; ++s)
        for (unsigned p = 0; p < r->parts; ++p)
            repaired += r->repaired[p][s];
    if (repaired) {
        b->input_gen++; /* as bank_init_neurons would have */
        b->dend_gen++;
    }
    move_cuts(a, r);
}

void
bank_ahead_range_times(const bank_ahead *a, unsigned which, double *first, double *last)
{
    const ahead_run *r = &a->run[which];
    const unsigned p = r->parts - 1u;
    *first = r->stepped[0] - r->start[0];
    *last = r->stepped[p] - r->start[p];
}

void
bank_ahead_release(bank_ahead *a, bank *b)
{
    if (a && a->own)
        bank_own_return_all(a->own, b);
}

uint32_t
bank_ahead_spikes(bank_ahead *a, unsigned which, uint32_t j, const uint32_t **spiked,
                  const float **frac)
{
    ahead_run *r = &a->run[which];
    uint32_t count = 0, with = 0;
    unsigned only = 0;
    for (unsigned p = 0; p < r->parts; ++p)
        if (r->count[p][j]) {
            count += r->count[p][j];
            only = p;
            with++;
        }
    if (with <= 1) { /* one range's list (or none): read where it lies */
        const size_t at = (size_t)r->cut[only] * r->steps + r->first[only][j];
        *spiked = r->spiked + at;
        *frac = r->spiked_frac + at;
        return count;
    }
    count = 0;
    for (unsigned p = 0; p < r->parts; ++p) { /* the ranges' lists in index order */
        const size_t at = (size_t)r->cut[p] * r->steps + r->first[p][j];
        const uint32_t k = r->count[p][j];
        memcpy(r->merged + count, r->spiked + at, k * sizeof(uint32_t));
        memcpy(r->merged_frac + count, r->spiked_frac + at, k * sizeof(float));
        count += k;
    }
    *spiked = r->merged;
    *frac = r->merged_frac;
    return count;
}

/* Step j's shared blocks, whole, from their copies: the mix, the screen
 * (the pieces') and the leveller's statistics of their neurons. */
static void
mix_shared(const bank *b, ahead_run *r, uint32_t j)
{
    for (uint32_t k = 0; k < r->shared; ++k) {
        const uint32_t q = r->shared_block[k], lo = q * BANK_MIX_BLOCK;
        const size_t at = block_step(q, j);
        int bad = 0;
        for (unsigned p = 0; p < r->parts; ++p)
            for (int side = 0; side < 2; ++side) {
                const ahead_piece *pc = &r->piece[p][side];
                if (pc->hi > pc->lo && pc->lo / BANK_MIX_BLOCK == q)
                    bad |= r->piece_bad[p][j][side];
            }
        if (b->mix_mode == BANK_MIX_STEREO) {
            const float *v = r->copy + ((size_t)k * BANK_AHEAD_STEPS + j) * BANK_MIX_BLOCK;
            bad |= bank_mix_block(b, r->cfg.model, r->mp.isa, lo, lo + BANK_MIX_BLOCK, v,
                                  r->stats[j] ? &r->st : NULL, &r->mix_l[at],
                                  &r->mix_r[at], &r->stat_l[at], &r->stat_r[at]);
        } else {
            r->mix_l[at] = r->mix_r[at] = 0.0f;
        }
        r->mix_bad[at] = (uint8_t)bad;
    }
}

int
bank_ahead_mix(bank_ahead *a, const bank *b, unsigned which, uint32_t j, float *l, float *r_out)
{
    ahead_run *r = &a->run[which];
    const uint32_t blocks = blocks_of(r->n);
    if (!r->shared_mixed)
        mix_shared(b, r, j);
    /* as bank_mix_total: block 0, then the others added in order */
    float sl = r->mix_l[block_step(0, j)], sr = r->mix_r[block_step(0, j)];
    int bad = r->mix_bad[block_step(0, j)];
    for (uint32_t k = 1; k < blocks; ++k) {
        sl += r->mix_l[block_step(k, j)];
        sr += r->mix_r[block_step(k, j)];
        bad |= r->mix_bad[block_step(k, j)];
    }
    *l = sl;
    *r_out = sr;
    return bad;
}

void
bank_ahead_stats(const bank_ahead *a, unsigned which, uint32_t j, float *l, float *r_out)
{
    const ahead_run *r = &a->run[which];
    const uint32_t blocks = blocks_of(r->n);
    float sl = r->stat_l[block_step(0, j)], sr = r->stat_r[block_step(0, j)];
    for (uint32_t k = 1; k < blocks; ++k) {
        sl += r->stat_l[block_step(k, j)];
        sr += r->stat_r[block_step(k, j)];
    }
    *l = sl;
    *r_out = sr;
}

void
bank_ahead_focus(const bank_ahead *a, unsigned which, uint32_t j, int frame_end, float v[3])
{
    const ahead_run *r = &a->run[which];
    for (int k = 0; k < 3; ++k)
        v[k] = frame_end ? r->focus_end[j][k] : r->focus_v[j][k];
}

uint32_t
bank_ahead_repaired(const bank_ahead *a, unsigned which, uint32_t j)
{
    const ahead_run *r = &a->run[which];
    uint32_t sum = 0;
    for (unsigned p = 0; p < r->parts; ++p)
        sum += r->repaired[p][j];
    return sum;
}
