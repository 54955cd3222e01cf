/* thread_choice.h — whether a render's bank steps on its pool of threads or
 * on the calling thread alone, chosen by timing both as it renders.
 *
 * A second thread pays only where a step's work outweighs the meeting of
 * the threads: an uncoupled HH bank of 4096 neurons renders about 1.5x as
 * fast on two threads, but a coupled bank (its threads meet at every step)
 * of 1000 renders at half the speed, and any bank slows down while another
 * program holds the second core (docs/performance-log.md, "Two threads: the
 * render chooses"). The output does not depend on the choice (the bank's
 * bits are the same on any number of threads), so the render may switch
 * between blocks: it times a few blocks each way, keeps the faster, and
 * times both again now and then (the bank, its firing and the machine's
 * load change). Pure bookkeeping: the caller times the blocks and applies
 * the mode. */
#ifndef HILLOCK_THREAD_CHOICE_H
#define HILLOCK_THREAD_CHOICE_H

#include <stdint.h>

/* A trial times THREAD_CHOICE_TRIALS blocks of the way the render is on
 * (the pool at its start), then as many of the other way, and compares
 * their medians; it stops after the other way's first timed block when that
 * is slower than the first way's median by more than THREAD_CHOICE_CLEAR
 * (the slower way then costs one block a trial). */
#define THREAD_CHOICE_TRIALS 3u
#define THREAD_CHOICE_CLEAR 1.2
/* The pool is timed only once it has settled: this many blocks after a
 * switch to it play untimed, in a trial or after one. On an Izhikevich
 * bank of 4096 (2.0 to 2.2 us a frame on one thread) the pool's first
 * block after one thread's took 4.0 to 5.6 us a frame, its second 2.2 to
 * 2.5, the next 1.4 to 1.6, its steady time: timed in pairs, one block
 * each way in turn (the render's first block alone untimed), the pool lost
 * to one thread on a bank it renders 1.3x as fast. One thread's blocks
 * need no settling. */
#define THREAD_CHOICE_SETTLE 2u
/* ... and after the render's start, where its first blocks on the pool
 * (1.7, then 5.6, 4.0, 2.3 us a frame on that bank) pay for the threads'
 * first work, the ranges' first touches and the bank's first volley */
#define THREAD_CHOICE_START_SETTLE 4u
/* A trial's block of the pool still settling after a switch that is this
 * much slower than one thread's median ends the trial at once: on a coupled
 * bank the pool takes 1.8x (HH 1000) to 2.7x (Izhikevich 2048) as long,
 * settled or not, while a pool that pays took at most 1.3x there
 * (Izhikevich 4096; up to 2.8x at the render's start, not judged so) */
#define THREAD_CHOICE_CLEAR_SETTLING 1.8
/* Without a clear verdict the pool must be this much faster to be chosen:
 * where the two ways are close, one thread leaves the other cores to the
 * machine's other work (and a wrong choice costs less: a coupled HH bank of
 * 4096 neurons took 1.1x as long on two threads). */
#define THREAD_CHOICE_MARGIN 1.05
/* Blocks played after a trial before the next: the first, doubled after
 * each trial that keeps the same choice, up to the last */
#define THREAD_CHOICE_FIRST_RUN 64u
#define THREAD_CHOICE_LONGEST_RUN 1024u
/* A verdict this wide (the way not chosen took this many times as long
 * as the chosen one) starts the run after it at THREAD_CHOICE_WIDE_RUN
 * blocks at least: each trial plays a block of the slower way and lets the
 * pool settle, about 1 % of the render's time where trials come every 64
 * blocks, and a wide verdict seldom turns (docs/performance-log.md,
 * "Trials spaced by their verdict"). The check below still catches a
 * chosen way that got slower, at its first settled block. */
#define THREAD_CHOICE_WIDE 1.5
#define THREAD_CHOICE_WIDE_RUN 256u
/* ... and ended early by a block of the chosen way this much slower than
 * the other way was timed at in the trial */
#define THREAD_CHOICE_RECHECK 1.2

typedef struct {
    int parallel;        /* the mode of the block to come: 1 the pool, 0 one thread */
    int trialing;        /* timing both modes, the one it started on first */
    int first;           /* the trial's first way */
    uint32_t timed[2];   /* blocks timed each way in the trial */
    uint32_t settle_left; /* blocks of the pool still to play untimed */
    int chosen;          /* the last trial's choice, -1 before the first */
    uint32_t run;        /* blocks between the last trial and the next */
    uint32_t run_left;   /* of them, still to play */
    double other_ns;     /* ns per frame the way not chosen took in the trial */
    double ns[2][THREAD_CHOICE_TRIALS]; /* ns per frame, [parallel][block] */
    uint64_t frames[2];  /* frames played each way, for the summary */
    uint32_t switches;   /* trials that changed the mode */
} thread_choice;

/* Starts with a trial. */
void thread_choice_init(thread_choice *c);

/* 1: the block to come steps on the pool; 0: on the calling thread. */
int thread_choice_mode(const thread_choice *c);

/* The block just played in the mode thread_choice_mode gave took ns
 * nanoseconds for frames frames; moves on to the next block's mode. */
void thread_choice_played(thread_choice *c, double ns, uint32_t frames);

#endif
