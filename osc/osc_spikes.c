/* osc_spikes.c — see osc_spikes.h. */
#include "osc_spikes.h"

#include <lo/lo.h>

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ---- sending -------------------------------------------------------------- */

struct osc_sender {
    lo_address to;
};

osc_sender *
osc_sender_open(const char *url, char *err, size_t err_len)
{
    /* liblo itself would print to stderr about another protocol */
    bool osc_url = !strncmp(url, "osc.udp://", 10) || !strncmp(url, "osc.tcp://", 10);
    lo_address to = osc_url ? lo_address_new_from_url(url) : NULL;
    int proto = to ? lo_address_get_protocol(to) : -1;
    if (!to || (proto != LO_UDP && proto != LO_TCP)) {
        snprintf(err, err_len,
                 "'%s' is not an OSC URL: expected osc.udp://HOST:PORT/ or osc.tcp://HOST:PORT/",
                 url);
        if (to)
            lo_address_free(to);
        return NULL;
    }
    const char *host = lo_address_get_hostname(to), *port = lo_address_get_port(to);
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = proto == LO_TCP ? SOCK_STREAM : SOCK_DGRAM};
    struct addrinfo *found = NULL;
    int r = getaddrinfo(host, port, &hints, &found);
    if (r != 0) {
        snprintf(err, err_len, "cannot reach OSC host '%s' port '%s' (%s): %s", host ? host : "",
                 port ? port : "", url, gai_strerror(r));
        lo_address_free(to);
        return NULL;
    }
    freeaddrinfo(found);
    osc_sender *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, err_len, "out of memory");
        lo_address_free(to);
        return NULL;
    }
    s->to = to;
    if (proto == LO_TCP) {
        /* an empty bundle connects (an OSC receiver takes it as nothing) */
        lo_bundle b = lo_bundle_new(LO_TT_IMMEDIATE);
        int sent = b ? lo_send_bundle(to, b) : -1;
        if (b)
            lo_bundle_free(b);
        if (sent < 0) {
            snprintf(err, err_len, "cannot connect to OSC receiver %s: %s", url,
                     lo_address_errstr(to) ? lo_address_errstr(to) : "refused");
            osc_sender_close(s);
            return NULL;
        }
    }
    return s;
}

void
osc_sender_close(osc_sender *s)
{
    if (!s)
        return;
    lo_address_free(s->to);
    free(s);
}

/* One bundle of up to OSC_BUNDLE_MAX spikes. */
static bool
send_bundle(osc_sender *s, const spike_event *spikes, uint32_t n, char *err, size_t err_len)
{
    lo_bundle b = lo_bundle_new(LO_TT_IMMEDIATE);
    bool ok = b != NULL;
    for (uint32_t i = 0; ok && i < n; ++i) {
        lo_message m = lo_message_new();
        ok = m && lo_message_add_int32(m, (int32_t)spikes[i].unit) == 0 &&
             lo_message_add_double(m, spikes[i].time_s) == 0 &&
             lo_bundle_add_message(b, OSC_SPIKE_PATH, m) == 0;
        if (!ok && m)
            lo_message_free(m);
    }
    if (!ok) {
        snprintf(err, err_len, "out of memory for an OSC bundle");
    } else if (lo_send_bundle(s->to, b) < 0) {
        const char *why = lo_address_errstr(s->to);
        snprintf(err, err_len, "sending OSC: %s", why ? why : strerror(errno));
        ok = false;
    }
    if (b)
        lo_bundle_free_recursive(b);
    return ok;
}

bool
osc_sender_send(osc_sender *s, const spike_event *spikes, uint32_t n, char *err,
                size_t err_len)
{
    bool ok = true;
    for (uint32_t at = 0; at < n; at += OSC_BUNDLE_MAX) {
        uint32_t k = n - at < OSC_BUNDLE_MAX ? n - at : OSC_BUNDLE_MAX;
        ok &= send_bundle(s, spikes + at, k, err, err_len);
    }
    return ok;
}

/* ---- receiving ------------------------------------------------------------ */

/* The receiver owns its UDP socket (liblo 0.31 cannot bind a server to the
 * loopback interface alone) and parses with liblo: lo_message_deserialise
 * for each message, bundles (OSC 1.0: "#bundle", a time tag, then elements
 * each prefixed by its int32 size) unpacked here.
 *
 * A bundle's time tag (NTP: seconds since 1900 and a 32-bit fraction) that
 * lies ahead holds its messages until then, by the wall clock, as OSC 1.0
 * asks of a bundle's time tag; then they are queued like any other. The
 * immediate tag (1) and a time past queue at once; a nested bundle is never
 * earlier than the one holding it. */
#define OSC_HELD_MAX 4096u  /* spikes held for their time tag; beyond: queued at once */
#define NTP_UNIX_OFFSET 2208988800ull /* seconds from 1900 to 1970 */

typedef struct {
    spike_event spike;
    int64_t due_ns; /* CLOCK_REALTIME */
} held_spike;

struct osc_receiver {
    held_spike *held;
    uint32_t n_held;
    int fd;
    int port;
    spike_queue *q;
    osc_stamp_fn stamp;
    void *stamp_arg;
    pthread_t thread;
    bool started;
    atomic_bool stop;
    _Atomic uint64_t ignored;
};

#define DATAGRAM_MAX 65536
#define STOP_POLL_MS 50 /* how soon close() is noticed */

/* liblo packs a message's arguments at 4-byte offsets, so a float64 (and the
 * union lo_arg, aligned for one) may sit misaligned: read them by copy
 * (UBSan: "misaligned address for type 'union lo_arg'"). */
static int32_t
arg_int(const lo_arg *a)
{
    int32_t v;
    memcpy(&v, (const void *)a, sizeof v);
    return v;
}

static double
arg_double(const lo_arg *a)
{
    double v;
    memcpy(&v, (const void *)a, sizeof v);
    return v;
}

static int64_t
wall_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* An OSC time tag as CLOCK_REALTIME nanoseconds; 0 for "immediately". */
static int64_t
time_tag_ns(uint32_t sec, uint32_t frac)
{
    if (sec == 0 && frac <= 1)
        return 0;
    return ((int64_t)sec - (int64_t)NTP_UNIX_OFFSET) * 1000000000 +
           (int64_t)(((uint64_t)frac * 1000000000u) >> 32);
}

static void
queue_spike(osc_receiver *r, spike_event s)
{
    s.stamp = r->stamp ? r->stamp(r->stamp_arg) : 0;
    spike_queue_push(r->q, &s, 1); /* a full queue counts what it refuses */
}

/* Queue the held spikes that are due; returns the time until the next, in
 * ms (capped at cap). */
static int
release_due(osc_receiver *r, int cap)
{
    const int64_t now = wall_ns();
    int64_t next = INT64_MAX;
    for (uint32_t i = 0; i < r->n_held;) {
        if (r->held[i].due_ns <= now) {
            queue_spike(r, r->held[i].spike);
            r->held[i] = r->held[--r->n_held];
        } else {
            next = r->held[i].due_ns < next ? r->held[i].due_ns : next;
            ++i;
        }
    }
    if (next == INT64_MAX)
        return cap;
    const int64_t ms = (next - now + 999999) / 1000000;
    return ms < cap ? (int)ms : cap;
}

static void
take_message(osc_receiver *r, const uint8_t *data, size_t size, int64_t due_ns)
{
    int result = 0;
    lo_message m = lo_message_deserialise((void *)data, size, &result);
    const char *path = (const char *)data;
    const char *types = m ? lo_message_get_types(m) : NULL;
    if (!m || strncmp(path, OSC_SPIKE_PATH, size) != 0 || !types ||
        (strcmp(types, "i") != 0 && strcmp(types, "id") != 0) ||
        arg_int(lo_message_get_argv(m)[0]) < 0) {
        atomic_fetch_add_explicit(&r->ignored, 1, memory_order_relaxed);
    } else {
        lo_arg **argv = lo_message_get_argv(m);
        spike_event s = {.unit = (uint32_t)arg_int(argv[0]),
                         .time_s = types[1] ? arg_double(argv[1]) : NAN};
        if (due_ns > wall_ns() && r->n_held < OSC_HELD_MAX)
            r->held[r->n_held++] = (held_spike){s, due_ns};
        else
            queue_spike(r, s);
    }
    if (m)
        lo_message_free(m);
}

static uint32_t
read_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void
take_packet(osc_receiver *r, const uint8_t *data, size_t size, int depth, int64_t due_ns)
{
    static const char bundle_tag[8] = "#bundle";
    if (size >= 16 && memcmp(data, bundle_tag, 8) == 0) {
        if (depth > 8) { /* nested deeper than any sender would */
            atomic_fetch_add_explicit(&r->ignored, 1, memory_order_relaxed);
            return;
        }
        const int64_t tag = time_tag_ns(read_be32(data + 8), read_be32(data + 12));
        if (tag > due_ns)
            due_ns = tag;
        size_t at = 16;
        while (at + 4 <= size) {
            uint32_t len = read_be32(data + at);
            at += 4;
            if (len > size - at || len % 4) {
                atomic_fetch_add_explicit(&r->ignored, 1, memory_order_relaxed);
                return;
            }
            take_packet(r, data + at, len, depth + 1, due_ns);
            at += len;
        }
    } else if (size >= 4 && data[0] == '/') {
        take_message(r, data, size, due_ns);
    } else {
        atomic_fetch_add_explicit(&r->ignored, 1, memory_order_relaxed);
    }
}

static void *
receive_loop(void *arg)
{
    osc_receiver *r = arg;
    uint8_t *buf = malloc(DATAGRAM_MAX);
    if (!buf)
        return NULL;
    while (!atomic_load_explicit(&r->stop, memory_order_relaxed)) {
        struct pollfd p = {.fd = r->fd, .events = POLLIN};
        const int wait_ms = release_due(r, STOP_POLL_MS);
        if (poll(&p, 1, wait_ms) <= 0)
            continue;
        ssize_t n = recv(r->fd, buf, DATAGRAM_MAX, 0);
        if (n > 0)
            take_packet(r, buf, (size_t)n, 0, 0);
    }
    free(buf);
    return NULL;
}

osc_receiver *
osc_receiver_open(const char *port, bool any, spike_queue *q, osc_stamp_fn stamp, void *stamp_arg,
                  char *err, size_t err_len)
{
    struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_DGRAM,
                             .ai_flags = any ? AI_PASSIVE : 0};
    struct addrinfo *found = NULL;
    int r = getaddrinfo(any ? NULL : "127.0.0.1", port, &hints, &found);
    if (r != 0) {
        snprintf(err, err_len, "OSC input port '%s': %s", port, gai_strerror(r));
        return NULL;
    }
    int fd = socket(found->ai_family, found->ai_socktype, 0);
    if (fd < 0 || bind(fd, found->ai_addr, found->ai_addrlen) != 0) {
        snprintf(err, err_len, "cannot listen for OSC on %s port %s: %s",
                 any ? "every interface" : "127.0.0.1", port, strerror(errno));
        if (fd >= 0)
            close(fd);
        freeaddrinfo(found);
        return NULL;
    }
    freeaddrinfo(found);
    osc_receiver *rc = calloc(1, sizeof *rc);
    held_spike *held = malloc(OSC_HELD_MAX * sizeof *held);
    struct sockaddr_in bound;
    socklen_t len = sizeof bound;
    if (!rc || !held || getsockname(fd, (struct sockaddr *)&bound, &len) != 0) {
        snprintf(err, err_len, "cannot listen for OSC: %s",
                 rc && held ? strerror(errno) : "out of memory");
        free(held);
        free(rc);
        close(fd);
        return NULL;
    }
    rc->held = held;
    rc->fd = fd;
    rc->port = ntohs(bound.sin_port);
    rc->q = q;
    rc->stamp = stamp;
    rc->stamp_arg = stamp_arg;
    atomic_init(&rc->stop, false);
    atomic_init(&rc->ignored, 0);
    if (pthread_create(&rc->thread, NULL, receive_loop, rc) != 0) {
        snprintf(err, err_len, "cannot start the OSC input thread");
        close(fd);
        free(held);
        free(rc);
        return NULL;
    }
    rc->started = true;
    return rc;
}

void
osc_receiver_close(osc_receiver *r)
{
    if (!r)
        return;
    atomic_store(&r->stop, true);
    if (r->started)
        pthread_join(r->thread, NULL);
    close(r->fd);
    free(r->held);
    free(r);
}

int
osc_receiver_port(const osc_receiver *r)
{
    return r->port;
}

uint64_t
osc_receiver_ignored(const osc_receiver *r)
{
    return atomic_load_explicit(&r->ignored, memory_order_relaxed);
}
