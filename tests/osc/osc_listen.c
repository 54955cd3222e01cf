/* osc_listen — a test OSC receiver built on liblo's own server: prints the
 * UDP port it listens on (127.0.0.1, any free port), then one line per
 * bundle ("bundle") and per /hillock/spike message ("spike UNIT TIME", time
 * with 9 decimals as `render --spikes` writes it, or "spike UNIT now"
 * without one), until nothing arrived for the given seconds. */
#include <lo/lo.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
on_bundle_start(lo_timetag time, void *user)
{
    (void)time, (void)user;
    printf("bundle\n");
    return 0;
}

static int
on_bundle_end(void *user)
{
    (void)user;
    return 0;
}

/* liblo packs arguments at 4-byte offsets: a float64 is read by copy */
static double
arg_double(const lo_arg *a)
{
    double v;
    memcpy(&v, (const void *)a, sizeof v);
    return v;
}

static int32_t
arg_int(const lo_arg *a)
{
    int32_t v;
    memcpy(&v, (const void *)a, sizeof v);
    return v;
}

static int
on_spike(const char *path, const char *types, lo_arg **argv, int argc, lo_message m,
         void *user)
{
    (void)path, (void)argc, (void)m, (void)user;
    if (!strcmp(types, "id"))
        printf("spike %d %.9f\n", arg_int(argv[0]), arg_double(argv[1]));
    else if (!strcmp(types, "i"))
        printf("spike %d now\n", arg_int(argv[0]));
    else
        printf("other %s\n", types);
    return 0;
}

int
main(int argc, char **argv)
{
    double quiet_s = argc > 1 ? atof(argv[1]) : 2.0;
    lo_server s = lo_server_new_with_proto(NULL, LO_UDP, NULL);
    if (!s)
        return 1;
    lo_server_add_method(s, "/hillock/spike", NULL, on_spike, NULL);
    lo_server_add_bundle_handlers(s, on_bundle_start, on_bundle_end, NULL);
    printf("%d\n", lo_server_get_port(s));
    fflush(stdout);
    while (lo_server_recv_noblock(s, (int)(quiet_s * 1000.0)) > 0)
        fflush(stdout);
    lo_server_free(s);
    return 0;
}
