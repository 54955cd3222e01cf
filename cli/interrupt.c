/* interrupt.c — see interrupt.h. */
#define _POSIX_C_SOURCE 200809L
#include "interrupt.h"

#include "exit_codes.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TEST_PAUSE_S 10

static volatile sig_atomic_t stop_signal;
static volatile sig_atomic_t running;
static const char *volatile tracked[INTERRUPT_TRACKED_FILES];
static const char *command_name = "", *early_note = "", *abandoned_note = "";
static struct timespec signal_time;
static struct sigaction old_int, old_term;
static bool installed;

const char *
interrupt_signal_name(int sig)
{
    return sig == SIGTERM ? "SIGTERM" : "SIGINT";
}

/* write(2) what it can: nothing better is possible in a handler */
static void
say(const char *text)
{
    ssize_t ignored = write(STDERR_FILENO, text, strlen(text));
    (void)ignored;
}

static void
on_signal(int sig)
{
    if (running && !stop_signal) {
        int saved = errno;
        clock_gettime(CLOCK_MONOTONIC, &signal_time);
        stop_signal = sig;
        errno = saved;
        return;
    }
    for (int i = 0; i < INTERRUPT_TRACKED_FILES; ++i)
        if (tracked[i])
            unlink(tracked[i]);
    say(running ? "\nhillock " : "hillock ");
    say(command_name);
    say(running ? ": interrupted twice; " : ": interrupted by ");
    if (!running) {
        say(interrupt_signal_name(sig));
        say(" ");
    }
    say(running ? abandoned_note : early_note);
    say("\n");
    _exit(EXIT_INTERRUPTED);
}

void
interrupt_install(const char *command, const char *early, const char *abandoned)
{
    command_name = command;
    early_note = early;
    abandoned_note = abandoned;
    stop_signal = 0;
    running = 0;
    for (int i = 0; i < INTERRUPT_TRACKED_FILES; ++i)
        tracked[i] = NULL;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask); /* one handler at a time */
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGTERM);
    sa.sa_flags = SA_RESTART; /* file writes carry on; the command polls the flag */
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    installed = true;
}

void
interrupt_running(void)
{
    running = 1;
}

void
interrupt_track(int slot, const char *path)
{
    if (slot >= 0 && slot < INTERRUPT_TRACKED_FILES)
        tracked[slot] = path;
}

static void
mask_signals(int how)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigprocmask(how, &set, NULL);
}

void
interrupt_hold(void)
{
    mask_signals(SIG_BLOCK);
}

void
interrupt_release(void)
{
    mask_signals(SIG_UNBLOCK);
}

int
interrupt_signal(void)
{
    return stop_signal;
}

int
interrupt_stop_query(void *unused)
{
    (void)unused;
    return stop_signal != 0;
}

double
interrupt_seconds_since(void)
{
    if (!stop_signal)
        return 0.0;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - signal_time.tv_sec) +
           1e-9 * (double)(now.tv_nsec - signal_time.tv_nsec);
}

void
interrupt_stage(const char *stage)
{
    const char *wanted = getenv("HILLOCK_TEST_PAUSE");
    if (!wanted || strcmp(wanted, stage) != 0)
        return;
    say("hillock: test pause at ");
    say(stage);
    say("\n");
    /* as a blocking call would: signals interrupt the sleep, which goes on */
    struct timespec left = {TEST_PAUSE_S, 0};
    while (nanosleep(&left, &left) != 0 && errno == EINTR)
        ;
}

void
interrupt_restore(void)
{
    if (!installed)
        return;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    for (int i = 0; i < INTERRUPT_TRACKED_FILES; ++i)
        tracked[i] = NULL;
    running = 0;
    installed = false;
}
