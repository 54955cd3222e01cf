/* settler.c — see settler.h. */
#include "settler.h"

#include <errno.h>

bool
settler_init(settler *t)
{
    atomic_init(&t->job, NULL);
    atomic_init(&t->quit, false);
    atomic_init(&t->runs, 0);
    t->started = false;
    t->ready = false;
    if (sem_init(&t->wake, 0, 0) != 0)
        return false;
    if (pthread_mutex_init(&t->busy, NULL) != 0) {
        sem_destroy(&t->wake);
        return false;
    }
    t->ready = true;
    return true;
}

static void *
settler_main(void *arg)
{
    settler *t = arg;
    for (;;) {
        while (sem_wait(&t->wake) != 0 && errno == EINTR)
            ;
        if (atomic_load_explicit(&t->quit, memory_order_acquire))
            return NULL;
        pthread_mutex_lock(&t->busy);
        engine *e = atomic_exchange_explicit(&t->job, NULL, memory_order_acq_rel);
        /* 0: the engine began another start since, or gave up waiting (it
         * then started from rest); its own signal brings that one here */
        if (e && engine_settle_run(e))
            atomic_fetch_add_explicit(&t->runs, 1, memory_order_relaxed);
        pthread_mutex_unlock(&t->busy);
    }
}

bool
settler_start(settler *t)
{
    if (!t->ready || t->started)
        return t->started;
    /* the default attributes: normal scheduling, below JACK's real-time
     * thread, which it must never hold up */
    t->started = pthread_create(&t->thread, NULL, settler_main, t) == 0;
    return t->started;
}

void
settler_request(settler *t, engine *e)
{
    atomic_store_explicit(&t->job, e, memory_order_release);
    sem_post(&t->wake); /* an atomic increment, and a futex wake if it sleeps */
}

void
settler_forget(settler *t, engine *e)
{
    if (!t->ready)
        return;
    pthread_mutex_lock(&t->busy);
    engine *want = e;
    atomic_compare_exchange_strong_explicit(&t->job, &want, NULL, memory_order_acq_rel,
                                            memory_order_acquire);
    pthread_mutex_unlock(&t->busy);
}

void
settler_stop(settler *t)
{
    if (!t->ready)
        return;
    if (t->started) {
        atomic_store_explicit(&t->quit, true, memory_order_release);
        sem_post(&t->wake);
        pthread_join(t->thread, NULL); /* after the pre-roll it runs, if any */
        t->started = false;
    }
    pthread_mutex_destroy(&t->busy);
    sem_destroy(&t->wake);
    t->ready = false;
}
