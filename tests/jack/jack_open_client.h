/* jack_open_client.h — a test helper's JACK client, opened as hillock jack
 * opens its own: retried, since a client opening while another test's
 * server starts or stops may be refused ("Cannot notify add client"; see
 * open_client() in cli/jack/jack_cmd.c). */
#ifndef HILLOCK_TEST_JACK_OPEN_CLIENT_H
#define HILLOCK_TEST_JACK_OPEN_CLIENT_H

#include <jack/jack.h>

#include <time.h>

static inline jack_client_t *
test_jack_open_client(const char *name)
{
    for (int attempt = 0; attempt < 3; ++attempt) {
        jack_status_t st;
        jack_client_t *c = jack_client_open(name, JackNoStartServer, &st);
        if (c)
            return c;
        nanosleep(&(struct timespec){0, 150000000L}, NULL);
    }
    return NULL;
}

#endif
