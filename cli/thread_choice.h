/* thread_choice.h — whether a render's bank steps on its pool of threads or
 * on the calling thread alone, chosen by timing both as it renders.
 *
 * A second thread pays only where a step's work outweighs the meeting of
 * the threads: an uncoupled HH bank of 4096 neurons renders about 1.5x as
 * fast on two threads, but a coupled bank (its threads meet at every step)
 * of 1000 renders at half the speed, and any bank slows down while another
 * program holds the second core (docs/performance.md, "Two threads: the
 * render chooses"). The output does not depend on the choice (the bank's
 * bits are the same on any number of threads), so the render may switch
 * between blocks: it times a few blocks each way, keeps the faster, and
 * times both again now and then (the bank, its firing and the machine's
 * load change). Pure bookkeeping: the caller times the blocks and applies
 * the mode. */
#ifndef HILLOCK_THREAD_CHOICE_H
#define HILLOCK_THREAD_CHOICE_H

#include <stdint.h>

/* A trial times pairs of blocks, the pool's then one thread's: at most
 * this many, their medians compared; it ends after the first pair already
 * when each way is faster than the other by more than THREAD_CHOICE_CLEAR
 * in every pair timed (the slower way costs one block a trial). */
#define THREAD_CHOICE_TRIALS 3u
#define THREAD_CHOICE_CLEAR 1.2
/* Without a clear verdict the pool must be this much faster to be chosen:
 * where the two ways are close, one thread leaves the other cores to the
 * machine's other work (and a wrong choice costs less: a coupled HH bank of
 * 4096 neurons took 1.1x as long on two threads). */
#define THREAD_CHOICE_MARGIN 1.05
/* Blocks played after a trial before the next: the first, doubled after
 * each trial that keeps the same choice, up to the last */
#define THREAD_CHOICE_FIRST_RUN 64u
#define THREAD_CHOICE_LONGEST_RUN 1024u
/* ... and ended early by a block of the chosen way this much slower than
 * the other way was timed at in the trial */
#define THREAD_CHOICE_RECHECK 1.2

typedef struct {
    int parallel;       /* the mode of the block to come: 1 the pool, 0 one thread */
    int trialing;       /* timing both modes, block by block in turn */
    uint32_t phase;     /* blocks played into the trial */
    int warm;           /* the render's first block (untimed) has been played */
    int chosen;         /* the last trial's choice, -1 before the first */
    uint32_t run;       /* blocks between the last trial and the next */
    uint32_t run_left;  /* of them, still to play */
    double other_ns;    /* ns per frame the way not chosen took in the trial */
    double ns[2][THREAD_CHOICE_TRIALS]; /* ns per frame, [parallel][trial] */
    uint64_t frames[2]; /* frames played each way, for the summary */
    uint32_t switches;  /* trials that changed the mode */
} thread_choice;

/* Starts with a trial: an untimed block on the pool, then the pairs. */
void thread_choice_init(thread_choice *c);

/* 1: the block to come steps on the pool; 0: on the calling thread. */
int thread_choice_mode(const thread_choice *c);

/* The block just played in the mode thread_choice_mode gave took ns
 * nanoseconds for frames frames; moves on to the next block's mode. */
void thread_choice_played(thread_choice *c, double ns, uint32_t frames);

#endif
