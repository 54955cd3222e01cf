/* jack_api.h — the JACK client library, loaded when `hillock jack` starts
 * rather than with every `hillock` command: linked, libjack and what it
 * pulls in (the C++ runtime, Berkeley DB) took 2.7 ms of each process's
 * start, about a sixth of a short render's (docs/performance-log.md, "Start-up: the
 * JACK library loaded by `hillock jack` alone"). Include this instead of
 * JACK's headers: the functions below become calls through the table
 * jack_api_load fills, with JACK's own prototypes (__typeof__). */
#ifndef HILLOCK_JACK_API_H
#define HILLOCK_JACK_API_H

#include <jack/jack.h>
#include <jack/metadata.h>
#include <jack/midiport.h>
#include <jack/transport.h>

#include <stdbool.h>
#include <stddef.h>

/* Every JACK function the client calls (a call to another fails to link:
 * the binary does not link libjack) */
#define JACK_API_FUNCTIONS(X) \
    X(jack_activate) X(jack_client_close) X(jack_client_open) X(jack_connect)                \
    X(jack_cpu_load) X(jack_deactivate) X(jack_frame_time) X(jack_free)                      \
    X(jack_get_buffer_size) X(jack_get_client_name) X(jack_get_ports)                        \
    X(jack_get_sample_rate) X(jack_last_frame_time) X(jack_midi_clear_buffer)                \
    X(jack_midi_event_get) X(jack_midi_event_write) X(jack_midi_get_event_count)             \
    X(jack_on_info_shutdown) X(jack_port_get_buffer) X(jack_port_get_latency_range)          \
    X(jack_port_register) X(jack_port_set_latency_range) X(jack_port_uuid)                   \
    X(jack_recompute_total_latencies) X(jack_remove_properties)                              \
    X(jack_set_buffer_size_callback) X(jack_set_error_function) X(jack_set_freewheel)        \
    X(jack_set_freewheel_callback) X(jack_set_info_function) X(jack_set_latency_callback)    \
    X(jack_set_process_callback) X(jack_set_property) X(jack_set_sample_rate_callback)       \
    X(jack_set_sync_callback) X(jack_set_xrun_callback) X(jack_transport_query)

/* ... and every variable of the library it reads (metadata keys) */
#define JACK_API_VARIABLES(X) X(JACK_METADATA_PRETTY_NAME) X(JACK_METADATA_SIGNAL_TYPE)

typedef struct {
#define JACK_API_POINTER(f) __typeof__(f) *f;
    JACK_API_FUNCTIONS(JACK_API_POINTER)
    JACK_API_VARIABLES(JACK_API_POINTER)
#undef JACK_API_POINTER
} jack_api_table;

extern jack_api_table jack_api;

/* Loads libjack and finds every function and variable; false with a
 * message in err (the library or one of them missing). Once, before any JACK call. */
bool jack_api_load(char *err, size_t err_size);

/* From here on a call to one of them goes through the table (not in
 * jack_api.c, which fills it). */
#ifndef JACK_API_TABLE_ONLY
#define jack_activate (*jack_api.jack_activate)
#define jack_client_close (*jack_api.jack_client_close)
#define jack_client_open (*jack_api.jack_client_open)
#define jack_connect (*jack_api.jack_connect)
#define jack_cpu_load (*jack_api.jack_cpu_load)
#define jack_deactivate (*jack_api.jack_deactivate)
#define jack_frame_time (*jack_api.jack_frame_time)
#define jack_free (*jack_api.jack_free)
#define jack_get_buffer_size (*jack_api.jack_get_buffer_size)
#define jack_get_client_name (*jack_api.jack_get_client_name)
#define jack_get_ports (*jack_api.jack_get_ports)
#define jack_get_sample_rate (*jack_api.jack_get_sample_rate)
#define jack_last_frame_time (*jack_api.jack_last_frame_time)
#define jack_midi_clear_buffer (*jack_api.jack_midi_clear_buffer)
#define jack_midi_event_get (*jack_api.jack_midi_event_get)
#define jack_midi_event_write (*jack_api.jack_midi_event_write)
#define jack_midi_get_event_count (*jack_api.jack_midi_get_event_count)
#define jack_on_info_shutdown (*jack_api.jack_on_info_shutdown)
#define jack_port_get_buffer (*jack_api.jack_port_get_buffer)
#define jack_port_get_latency_range (*jack_api.jack_port_get_latency_range)
#define jack_port_register (*jack_api.jack_port_register)
#define jack_port_set_latency_range (*jack_api.jack_port_set_latency_range)
#define jack_port_uuid (*jack_api.jack_port_uuid)
#define jack_recompute_total_latencies (*jack_api.jack_recompute_total_latencies)
#define jack_remove_properties (*jack_api.jack_remove_properties)
#define jack_set_buffer_size_callback (*jack_api.jack_set_buffer_size_callback)
#define jack_set_error_function (*jack_api.jack_set_error_function)
#define jack_set_freewheel (*jack_api.jack_set_freewheel)
#define jack_set_freewheel_callback (*jack_api.jack_set_freewheel_callback)
#define jack_set_info_function (*jack_api.jack_set_info_function)
#define jack_set_latency_callback (*jack_api.jack_set_latency_callback)
#define jack_set_process_callback (*jack_api.jack_set_process_callback)
#define jack_set_property (*jack_api.jack_set_property)
#define jack_set_sample_rate_callback (*jack_api.jack_set_sample_rate_callback)
#define jack_set_sync_callback (*jack_api.jack_set_sync_callback)
#define jack_set_xrun_callback (*jack_api.jack_set_xrun_callback)
#define jack_transport_query (*jack_api.jack_transport_query)
#define JACK_METADATA_PRETTY_NAME (*jack_api.JACK_METADATA_PRETTY_NAME)
#define JACK_METADATA_SIGNAL_TYPE (*jack_api.JACK_METADATA_SIGNAL_TYPE)
#endif

#endif
