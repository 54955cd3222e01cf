/* zeroed.h: the arrays read as zero and are aligned to 64 bytes; with touch
 * every page is resident when the call returns (the promise real-time
 * engines rely on: no page fault of a first use on the audio thread), and
 * without it no page is resident until used (offline renders of a few of
 * ENGINE_MAX_NEURONS do not pay for the rest). Residency is read with
 * POSIX mincore(2). */
#define _GNU_SOURCE /* RUSAGE_THREAD */
#include "bank.h"
#include "bank_tables.h"
#include "engine_state.h"
#include "network_rows.h"
#include "zeroed.h"

#include "../page_faults.h"

#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

Test(zeroed, every_size_is_zero_and_aligned)
{
    static const size_t sizes[] = {0, 1, 63, 64, 65, 4095, 4096, 16383, 16384, 65536, 65600,
                                   1u << 20, 2u << 20, (2u << 20) + 1u, (4u << 20) + 100u};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; ++s)
        for (int touch = 0; touch < 2; ++touch) {
            unsigned char *p = zeroed_alloc(sizes[s], touch);
            cr_assert(p, "%zu bytes", sizes[s]);
            cr_expect_eq((uintptr_t)p % 64u, 0u, "%zu bytes not aligned", sizes[s]);
            size_t nonzero = 0;
            for (size_t k = 0; k < sizes[s]; ++k)
                nonzero += p[k] != 0;
            cr_expect_eq(nonzero, 0u, "%zu bytes: %zu not zero", sizes[s], nonzero);
            for (size_t k = 0; k < sizes[s]; ++k) /* the whole block is ours */
                p[k] = 0xA5;
            zeroed_free(p);
        }
    zeroed_free(NULL);
}

Test(zeroed, touch_maps_every_page_and_untouched_maps_none)
{
    const size_t bytes = 1u << 20; /* 256 pages of 4 KiB */
    size_t total;
    unsigned char *now = zeroed_alloc(bytes, 1);
    unsigned char *later = zeroed_alloc(bytes, 0);
    cr_assert(now && later);
    size_t in_now = page_faults_resident(now, bytes, &total);
    cr_expect_eq(in_now, total, "touched: %zu of %zu pages resident", in_now, total);
    size_t in_later = page_faults_resident(later, bytes, &total);
    /* the first page holds the bookkeeping below the aligned start */
    cr_expect_leq(in_later, 1u, "untouched: %zu of %zu pages resident", in_later, total);
    later[bytes / 2] = 1; /* one use maps one page */
    in_later = page_faults_resident(later, bytes, &total);
    cr_expect_leq(in_later, 2u, "after one write: %zu of %zu pages resident", in_later, total);
    cr_expect_geq(in_later, 1u);
    zeroed_free(now);
    zeroed_free(later);
}

/* From 2 MiB up a touched block starts on a 2 MiB boundary, so that the
 * system can back it with 2 MiB pages (a fault each instead of one per
 * 4 KiB: a real-time engine's creation 47 -> 14 ms of CPU, hillock bench's
 * create line, docs/performance-log.md). Whether it does is the system's
 * choice; the block is resident either way. */
Test(zeroed, a_large_touched_block_starts_on_a_2_MiB_boundary)
{
    static const size_t sizes[] = {2u << 20, (3u << 20) + 12345u, 4u << 20};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; ++s) {
        unsigned char *p = zeroed_alloc(sizes[s], 1);
        cr_assert(p);
        cr_expect_eq((uintptr_t)p % (2u << 20), 0u, "%zu bytes at %p", sizes[s], (void *)p);
        size_t total, in = page_faults_resident(p, sizes[s], &total);
        cr_expect_eq(in, total, "%zu bytes: %zu of %zu pages resident", sizes[s], in, total);
        zeroed_free(p);
    }
}

Test(zeroed, a_real_time_bank_is_resident_and_an_offline_one_is_not)
{
    const uint32_t cap = 16384; /* ENGINE_MAX_NEURONS: 64 KiB a float array */
    bank *rt = bank_create(cap), *off = bank_create_offline(cap);
    cr_assert(rt && off);
    size_t total;
    for (int k = 0; k < MODEL_MAX_VARS; ++k) {
        size_t in = page_faults_resident(rt->var[k], cap * sizeof(float), &total);
        cr_expect_eq(in, total, "real-time var[%d]: %zu of %zu resident", k, in, total);
        in = page_faults_resident(off->var[k], cap * sizeof(float), &total);
        cr_expect_leq(in, 1u, "offline var[%d]: %zu of %zu resident", k, in, total);
    }
    size_t in = page_faults_resident(rt->g_inh, cap * sizeof(float), &total);
    cr_expect_eq(in, total, "real-time g_inh: %zu of %zu resident", in, total);
    /* the on-the-fly network's kept rows (4 MiB real-time), allocated after the bank:
     * a memset of zeros after calloc left them unmapped (the compiler drops
     * it), and the audio thread took their faults at the first spikes */
    cr_assert(bank_keep_rows(rt) && bank_keep_rows(off));
    cr_expect_eq(rt->net_rows->entries, NETWORK_ROWS_ENTRIES);
    cr_expect_geq(off->net_rows->entries, (size_t)cap * (cap / 16u), "offline: every row fits");
    in = page_faults_resident(rt->net_rows->pos, NETWORK_ROWS_ENTRIES * sizeof(uint16_t), &total);
    cr_expect_eq(in, total, "real-time kept rows: %zu of %zu resident", in, total);
    in = page_faults_resident(rt->net_rows->gen, cap * sizeof(uint32_t), &total);
    cr_expect_eq(in, total, "real-time rows' generations: %zu of %zu resident", in, total);
    in = page_faults_resident(off->net_rows->pos, off->net_rows->entries * sizeof(uint16_t),
                              &total);
    cr_expect_leq(in, 1u, "offline kept rows: %zu of %zu resident", in, total);
    bank_destroy(rt);
    bank_destroy(off);
}

/* A model's table (HH: 344 KiB) in an offline bank is made when first
 * needed, not at create: a render faults in no table of the banks and
 * models it never steps (an engine has three banks; docs/performance-log.md,
 * "Start-up"). What it holds is table_init's result, as a real-time bank
 * holds it from create on. */
Test(zeroed, an_offline_bank_takes_a_models_table_at_its_first_use)
{
    const uint32_t cap = 1024;
    bank *rt = bank_create(cap), *off = bank_create_offline(cap);
    cr_assert(rt && off);
    const model_desc *m = model_get(MODEL_HH);
    cr_assert(m->table_floats > 0);
    const size_t bytes = m->table_floats * sizeof(float);
    size_t total;
    size_t in = page_faults_resident(rt->tables[MODEL_HH], bytes, &total);
    cr_expect_eq(in, total, "real-time table: %zu of %zu pages resident", in, total);
    in = page_faults_resident(off->tables[MODEL_HH], bytes, &total);
    cr_expect_leq(in, 1u, "offline table before use: %zu of %zu pages resident", in, total);
    /* made in place: the pages table_init writes become resident (76 of
     * HH's 87; the rows table_prepare fills stay zero pages until then), and
     * the comparison below reads every one of them */
    bank_tables_fill(off, MODEL_HH);
    float *fresh = calloc(m->table_floats, sizeof(float));
    cr_assert(fresh);
    m->table_init(fresh);
    cr_expect(memcmp(off->tables[MODEL_HH], fresh, bytes) == 0, "offline table differs from table_init");
    cr_expect(memcmp(rt->tables[MODEL_HH], fresh, bytes) == 0, "real-time copy differs from table_init");
    free(fresh);
    bank_destroy(rt);
    bank_destroy(off);
}

/* The engine's per-neuron arrays beside the bank's (pans, the leveller's
 * statistics, MIDI amounts, notes, bands; the settling pre-roll's pans and
 * sums): resident at create for a real-time engine, as the bank's are, and
 * mapped as used for an offline one, where a render of 1000 neurons uses a
 * sixteenth of each (they were calloc'd, which wrote most of their pages:
 * 63 fewer page faults at the start of a render, docs/performance-log.md). */
Test(zeroed, a_real_time_engines_own_arrays_are_resident_and_an_offline_ones_are_not)
{
    engine *rt = engine_create(48000.0), *off = engine_create_offline(48000.0);
    cr_assert(rt && off);
    const uint32_t cap = rt->bank->capacity;
    cr_assert_eq(cap, off->bank->capacity);
    const struct {
        const char *name;
        const void *rt, *off;
        size_t bytes;
    } arrays[] = {
        {"pan_l", rt->pan_l, off->pan_l, cap * sizeof(float)},
        {"pan_r", rt->pan_r, off->pan_r, cap * sizeof(float)},
        {"pan_pos", rt->pan_pos, off->pan_pos, cap * sizeof(float)},
        {"stat_mean", rt->stat_mean, off->stat_mean, cap * sizeof(float)},
        {"stat_msq", rt->stat_msq, off->stat_msq, cap * sizeof(float)},
        {"midi_amount", rt->midi_amount, off->midi_amount, cap * sizeof(float)},
        {"notes", rt->notes, off->notes, cap},
        {"band_of", rt->band_of, off->band_of, cap},
    };
    for (size_t a = 0; a < sizeof arrays / sizeof arrays[0]; ++a) {
        size_t total, in = page_faults_resident(arrays[a].rt, arrays[a].bytes, &total);
        cr_expect_eq(in, total, "real-time %s: %zu of %zu resident", arrays[a].name, in, total);
        /* reset writes the first neurons' pans (the default bank's) */
        in = page_faults_resident(arrays[a].off, arrays[a].bytes, &total);
        cr_expect_leq(in, total / 4, "offline %s: %zu of %zu resident", arrays[a].name, in, total);
    }
    engine_destroy(rt);
    engine_destroy(off);
}

/* Touched blocks under 2 MiB are cut from shared 2 MiB slabs (zeroed.c).
 * Each is its own: blocks cut side by side, written with their own byte,
 * keep it; a block cut after others were freed and their slab unmapped
 * reads as zero; and every block stays resident. */
Test(zeroed, touched_blocks_cut_from_slabs_are_separate_zero_and_resident)
{
    enum { BLOCKS = 80 }; /* 80 x 64 KiB: three slabs */
    static const size_t sizes[] = {16384, 65536, 65600, 200000, 1u << 20};
    unsigned char *p[BLOCKS];
    size_t bytes[BLOCKS];
    for (int round = 0; round < 2; ++round) {
        for (int k = 0; k < BLOCKS; ++k) {
            bytes[k] = k < 60 ? 65536u : sizes[k % 5];
            p[k] = zeroed_alloc(bytes[k], 1);
            cr_assert(p[k]);
            cr_expect_eq((uintptr_t)p[k] % 64u, 0u);
            size_t nonzero = 0;
            for (size_t i = 0; i < bytes[k]; ++i)
                nonzero += p[k][i] != 0;
            cr_expect_eq(nonzero, 0u, "round %d block %d (%zu bytes): %zu not zero", round, k,
                         bytes[k], nonzero);
            size_t total, in = page_faults_resident(p[k], bytes[k], &total);
            cr_expect_eq(in, total, "block %d: %zu of %zu pages resident", k, in, total);
            memset(p[k], k + 1, bytes[k]);
        }
        for (int k = 0; k < BLOCKS; ++k) {
            size_t other = 0;
            for (size_t i = 0; i < bytes[k]; ++i)
                other += p[k][i] != (unsigned char)(k + 1);
            cr_expect_eq(other, 0u, "block %d: %zu bytes written by another", k, other);
        }
        for (int k = 0; k < BLOCKS; ++k) /* out of order: slabs empty at different times */
            zeroed_free(p[(k * 7) % BLOCKS]);
    }
}

/* The page faults of creating a real-time engine (getrusage's minor
 * faults) where the system backs its blocks with 2 MiB pages: 1003 when
 * each touched array of 16 KiB to 2 MiB was a mapping of its own (fifty of
 * them, every 4 KiB page a fault) and the pitch tracker's arrays came from
 * calloc, 83 with both cut from slabs (measured before and after that
 * change on the 2-vCPU EPYC KVM guest, 2026-12-04; each fault there an exit
 * to the hypervisor, 5-20 us). The 2 MiB pages are the system's to give
 * (a busy machine may have none free): a creation counts only if its
 * first, a middle and its last slab block and its bank's arrays have them.
 * Not under AddressSanitizer: its shadow memory takes faults of its own. */

#ifndef PAGE_FAULTS_UNDER_ASAN
/* 1 if the mapping holding p is backed by 2 MiB pages (its AnonHugePages
 * in /proc/self/smaps above 0), 0 if not or unknown */
static int
on_2_mib_pages(const void *p)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    if (!f)
        return 0;
    char line[512];
    int inside = 0, huge = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        long kib;
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)
            inside = (uintptr_t)p >= lo && (uintptr_t)p < hi;
        else if (inside && sscanf(line, "AnonHugePages: %ld kB", &kib) == 1) {
            huge = kib > 0;
            break;
        }
    }
    fclose(f);
    return huge;
}
#endif

Test(zeroed, a_real_time_engine_is_created_with_a_few_hundred_page_faults_at_most)
{
#ifdef PAGE_FAULTS_UNDER_ASAN
    cr_skip_test("AddressSanitizer's shadow memory faults on its own");
#else
    if (page_faults_malloc_perturbed())
        cr_skip_test("MALLOC_PERTURB_ set: run by zeroed_page_faults, without it");
    engine_destroy(engine_create(48000.0)); /* the first: the process's own tables */
    int counted = 0;
    for (int k = 0; k < 5; ++k) {
        struct rusage before, after;
        getrusage(RUSAGE_SELF, &before);
        engine *e = engine_create(48000.0);
        getrusage(RUSAGE_SELF, &after);
        cr_assert(e);
        const long faults = after.ru_minflt - before.ru_minflt;
        /* its first slab block, one in the middle, its last, and its bank's arrays */
        const int huge = on_2_mib_pages(e->pan_l) && on_2_mib_pages(e->bank->rec->gaba_x) &&
                         on_2_mib_pages(e->pt.cycles) && on_2_mib_pages(e->bank->var[0]);
        printf("zeroed: a real-time engine: %ld page faults, %s\n", faults,
               huge ? "on 2 MiB pages" : "not all on 2 MiB pages");
        if (huge) {
            counted++;
            cr_expect_leq(faults, 300, "%ld page faults an engine (1003 with a mapping an array)",
                          faults);
        }
        engine_destroy(e);
    }
    if (!counted)
        cr_skip_test("the system gave no engine its 2 MiB pages");
#endif
}

/* What a real-time engine's audio thread writes is resident from create
 * on: a bank of 256 neurons played for 0.25 s (its thread's stack pages
 * fault in at the start), then grown to 4096 (automation of the neuron
 * count), every spike struck by a voice, the sound's alignment ring
 * turning: no page fault after the start, with the process's code and the
 * thread's stack mapped first (page_faults.h). Before the voices' tones,
 * the alignment ring and the recorded spikes' queue were touched at
 * create, the grown bank's first strikes took 44 (d9e034f).
 * getrusage(RUSAGE_THREAD)'s minor faults; run without glibc's
 * MALLOC_PERTURB_ (zeroed_page_faults in tests/perf/meson.build), which
 * would write calloc's blocks at create and hide their faults. Not under
 * AddressSanitizer. */
Test(zeroed, a_real_time_engines_audio_thread_takes_no_page_fault_after_its_start)
{
#ifdef PAGE_FAULTS_UNDER_ASAN
    cr_skip_test("AddressSanitizer's shadow memory faults on its own");
#else
    if (page_faults_malloc_perturbed())
        cr_skip_test("MALLOC_PERTURB_ set: run by zeroed_page_faults, without it");
    cr_assert(page_faults_map_code());
    page_faults_map_stack();
    engine *e = engine_create(48000.0);
    cr_assert(e);
    float v[PARAM_COUNT];
    param_defaults(v);
    v[P_NEURONS] = 256.0f;
    v[P_SPREAD] = 0.5f;
    engine_set_all_params(e, v);
    enum { BLOCK = 256, SECONDS = 2, START = 12000 }; /* 0.25 s */
    static float left[BLOCK], right[BLOCK];
    static engine_spike spikes[4096];
    memset(spikes, 0, sizeof spikes); /* the host's buffer, its pages its own */
    long first = 0, later = 0;
    uint32_t n_spikes = 0;
    for (uint32_t done = 0; done < SECONDS * 48000u; done += BLOCK) {
        engine_io io = {.out_left = left, .out_right = right, .spikes = spikes,
                        .spike_capacity = 4096};
        const long before = page_faults_now();
        engine_process(e, &io, BLOCK);
        const long faults = page_faults_now() - before;
        if (done < START)
            first += faults;
        else
            later += faults;
        if (done < START && done + BLOCK >= START) /* the start's last block */
            engine_set_param(e, P_NEURONS, 4096.0f);
        n_spikes += io.n_spikes;
    }
    printf("zeroed: playing: %ld page faults in the first 0.25 s, %ld after; %u spikes\n", first,
           later, n_spikes);
    cr_expect_gt(n_spikes, 4096u, "the bank should fire (%u spikes)", n_spikes);
    cr_expect_eq(later, 0, "%ld page faults on the audio thread after its start", later);
    engine_destroy(e);
#endif
}
