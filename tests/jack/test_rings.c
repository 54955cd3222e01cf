/* test_rings.c — the lock-free pieces of `hillock jack` without a server:
 * the SPSC ring (order and completeness across two threads, all-or-nothing
 * pushes), the recorder (a file with exactly what was written, overruns
 * counted when the ring is full, never partial blocks), the spike queue
 * (a block's spikes all or none, refusals counted), the CC map, and
 * --record-ports parsing. */
#define _GNU_SOURCE /* mincore, RUSAGE_THREAD (page_faults.h) */
#include "jack_ports.h"
#include "midi_cc.h"
#include "recorder.h"
#include "spike_queue.h"
#include "spsc_ring.h"

#include "../page_faults.h"

#include <criterion/criterion.h>
#include <sndfile.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* A fresh WAV path in its own temporary folder. */
static void
temp_wav(char dir[64], char path[96])
{
    snprintf(dir, 64, "/tmp/hillock_rec_XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, 96, "%s/take.wav", dir);
}

static void
remove_temp(const char *dir, const char *path)
{
    unlink(path);
    rmdir(dir);
}

#define N_ITEMS 2000000u

static void *
produce(void *arg)
{
    spsc_ring *r = arg;
    uint32_t next = 0;
    while (next < N_ITEMS) {
        uint32_t batch[7];
        uint32_t n = 0;
        while (n < 7 && next + n < N_ITEMS) {
            batch[n] = next + n;
            ++n;
        }
        if (spsc_ring_push(r, batch, n))
            next += n;
    }
    return NULL;
}

Test(spsc_ring, two_threads_deliver_every_item_once_in_order)
{
    spsc_ring r;
    cr_assert(spsc_ring_init(&r, sizeof(uint32_t), 1000)); /* rounds up to 1024 */
    cr_assert_eq(r.capacity, 1024);
    pthread_t t;
    pthread_create(&t, NULL, produce, &r);
    uint32_t expect = 0, buf[64];
    while (expect < N_ITEMS) {
        uint64_t n = spsc_ring_pop(&r, buf, 64);
        for (uint64_t i = 0; i < n; ++i, ++expect)
            if (buf[i] != expect)
                cr_assert_fail("item %u arrived as %u", expect, buf[i]);
    }
    pthread_join(t, NULL);
    cr_assert_eq(spsc_ring_read_space(&r), 0);
    spsc_ring_free(&r);
}

/* A ring's slots are resident from init on (mincore): the real-time thread
 * that fills hillock jack's recording ring (4 s of every recorded port)
 * went through calloc's fresh pages a slot at a time, a page fault every
 * 4 KiB on its thread for the ring's first pass (dsp/spsc_ring.c). */
Test(spsc_ring, its_slots_are_resident_from_init)
{
    spsc_ring r;
    cr_assert(spsc_ring_init(&r, sizeof(float), 4u * 48000u * 2u)); /* 4 s of stereo */
    size_t total;
    const size_t resident = page_faults_resident(r.data, r.capacity * sizeof(float), &total);
    cr_expect_eq(resident, total, "%zu of %zu pages of the ring resident at init", resident,
                 total);
    spsc_ring_free(&r);
}

Test(spsc_ring, push_is_all_or_nothing)
{
    spsc_ring r;
    cr_assert(spsc_ring_init(&r, sizeof(float), 8));
    float x[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    cr_assert(spsc_ring_push(&r, x, 6));
    cr_assert_not(spsc_ring_push(&r, x, 3), "3 items do not fit in the 2 free slots");
    cr_assert_eq(spsc_ring_read_space(&r), 6, "a refused push writes nothing");
    cr_assert(spsc_ring_push(&r, x, 2));
    cr_assert_eq(spsc_ring_write_space(&r), 0);
    spsc_ring_free(&r);
}

Test(recorder, writes_exactly_the_frames_given_interleaved)
{
    char dir[64], path[96];
    temp_wav(dir, path);
    char err[256];
    recorder *rec = recorder_open(path, 2, 48000, 1.0, err, sizeof err);
    cr_assert_not_null(rec, "%s", err);
    float a[100], b[100];
    for (uint64_t block = 0; block < 50; ++block) {
        for (int i = 0; i < 100; ++i) {
            a[i] = (float)(block * 100 + (uint64_t)i);
            b[i] = -a[i] - 2.5f; /* beyond +-1: float WAV keeps it */
        }
        const float *chans[2] = {a, b};
        cr_assert(recorder_write(rec, chans, 100),
                  "a 1 s ring overran with 100-frame blocks and a live disk thread");
        nanosleep(&(struct timespec){0, 100000L}, NULL);
    }
    recorder_totals tot;
    cr_assert(recorder_close(rec, &tot, err, sizeof err), "%s", err);
    cr_assert_eq(tot.frames_written, 5000);
    cr_assert_eq(tot.overruns, 0);

    SF_INFO info = {0};
    SNDFILE *f = sf_open(path, SFM_READ, &info);
    cr_assert_not_null(f);
    cr_assert_eq(info.frames, 5000);
    cr_assert_eq(info.channels, 2);
    float frame[2];
    for (int i = 0; i < 5000; ++i) {
        sf_readf_float(f, frame, 1);
        cr_assert_eq(frame[0], (float)i);
        cr_assert_eq(frame[1], -(float)i - 2.5f);
    }
    sf_close(f);
    remove_temp(dir, path);
}

Test(recorder, full_ring_drops_whole_blocks_and_counts_them)
{
    char dir[64], path[96];
    temp_wav(dir, path);
    char err[256];
    /* A 1000 Hz file with a 1 s ring: 1024 frames of room (power of two). */
    recorder *rec = recorder_open(path, 1, 1000, 1.0, err, sizeof err);
    cr_assert_not_null(rec, "%s", err);
    float x[4096] = {0};
    const float *chans[1] = {x};
    /* One block larger than the whole ring can never fit. */
    cr_assert_not(recorder_write(rec, chans, 4096));
    cr_assert_eq(recorder_overruns(rec), 1);
    cr_assert_eq(recorder_frames_dropped(rec), 4096);
    recorder_totals tot;
    cr_assert(recorder_close(rec, &tot, err, sizeof err));
    cr_assert_eq(tot.frames_written, 0, "a dropped block leaves nothing partial");
    cr_assert_eq(tot.overruns, 1);
    remove_temp(dir, path);
}

Test(recorder, refuses_unknown_extensions)
{
    char err[256];
    cr_assert_null(recorder_open("/tmp/x.mp3", 2, 48000, 1.0, err, sizeof err));
    cr_assert(strstr(err, "unknown extension"));
}

Test(midi_cc, map_ends_and_unmapped_controllers)
{
    param_id id;
    float v;
    const uint8_t cc74_max[3] = {0xB3, 74, 127}, cc7_min[3] = {0xB0, 7, 0};
    const uint8_t cc76_mid[3] = {0xB0, 76, 0}, cc1[3] = {0xB0, 1, 64};
    const uint8_t note[3] = {0x90, 74, 127};
    cr_assert(midi_cc_lookup(cc74_max, 3, &id, &v));
    cr_assert_eq(id, P_DRIVE);
    cr_assert_float_eq(v, 4.0f, 1e-5f); /* 4 rheobases */
    cr_assert(midi_cc_lookup(cc7_min, 3, &id, &v));
    cr_assert_eq(id, P_MASTER_LEVEL);
    cr_assert_float_eq(v, -60.0f, 1e-5f);
    cr_assert(midi_cc_lookup(cc76_mid, 3, &id, &v));
    cr_assert_float_eq(v, 0.25f, 1e-6f, "logarithmic entries start at their low end");
    cr_assert_not(midi_cc_lookup(cc1, 3, &id, &v), "the mod wheel is the engine's");
    cr_assert_not(midi_cc_lookup(note, 3, &id, &v), "a note is not a CC");
    /* Every mapped range lies inside its parameter's range. */
    for (unsigned i = 0; i < midi_cc_map_size; ++i) {
        const param_info *p = &param_table[midi_cc_map[i].param];
        cr_assert(midi_cc_map[i].lo >= p->min && midi_cc_map[i].hi <= p->max, "CC%u",
                  midi_cc_map[i].cc);
    }
}

Test(record_ports, names_and_errors)
{
    int ports[8];
    char err[256];
    cr_assert_eq(jack_ports_parse_list("L,R,gate,cv_rate,in", ports, 8, err, sizeof err), 5);
    cr_assert_eq(ports[0], PORT_OUT_L);
    cr_assert_eq(ports[2], PORT_CV_GATE);
    cr_assert_eq(ports[3], PORT_CV_RATE);
    cr_assert_eq(ports[4], PORT_STIMULUS);
    cr_assert_eq(jack_ports_parse_list("L,,R", ports, 8, err, sizeof err), -1);
    cr_assert_eq(jack_ports_parse_list("L,volume", ports, 8, err, sizeof err), -1);
    cr_assert(strstr(err, "volume"));
}

Test(spike_queue, a_block_goes_whole_or_not_at_all_and_refusals_are_counted)
{
    spike_queue q;
    cr_assert(spike_queue_init(&q, 4));
    spike_event block[3] = {{0, 0.5, 0}, {7, 0.25, 0}, {16383, NAN, 0}};
    cr_assert(spike_queue_push(&q, block, 3));
    cr_assert_not(spike_queue_push(&q, block, 2), "2 spikes do not fit in 1 free slot");
    cr_assert_eq(spike_queue_dropped(&q), 2);
    cr_assert_eq(spike_queue_waiting(&q), 3);
    spike_event out[4];
    cr_assert_eq(spike_queue_pop(&q, out, 4), 3);
    cr_assert_eq(out[1].unit, 7);
    cr_assert_eq(out[1].time_s, 0.25);
    cr_assert(isnan(out[2].time_s), "no time: as soon as possible");
    spike_queue_free(&q);
}
