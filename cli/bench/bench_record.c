/* bench_record.c — see bench_record.h. The JSON holds one row object per
 * line, so an earlier run is read back line by line; only files this
 * program wrote are meant to be read. */
#include "bench_record.h"

#include "../json_out.h"

#include <stdlib.h>
#include <string.h>

/* The string value of "key": "..." in line, copied to out; 0 if absent. */
static int
string_field(const char *line, const char *key, char *out, size_t len)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\": \"", key);
    const char *at = strstr(line, pat);
    if (!at)
        return 0;
    at += strlen(pat);
    const char *end = strchr(at, '"');
    if (!end || (size_t)(end - at) >= len)
        return 0;
    memcpy(out, at, (size_t)(end - at));
    out[end - at] = '\0';
    return 1;
}

/* The number value of "key": x in line; 0 if absent or not a number. */
static int
number_field(const char *line, const char *key, double *out)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    const char *at = strstr(line, pat);
    if (!at)
        return 0;
    char *end;
    *out = strtod(at + strlen(pat), &end);
    return end != at + strlen(pat);
}

int
bench_record_load(const char *file, bench_record *rec)
{
    FILE *f = fopen(file, "r");
    if (!f)
        return -1;
    rec->n = 0;
    char line[1024];
    while (fgets(line, sizeof line, f) && rec->n < BENCH_RECORD_MAX_ROWS) {
        bench_row *r = &rec->rows[rec->n];
        if (string_field(line, "path", r->path, sizeof r->path) &&
            string_field(line, "bank", r->bank, sizeof r->bank) &&
            number_field(line, "ns_per_neuron_step", &r->ns_per_neuron_step) &&
            number_field(line, "ns_at_max", &r->ns_at_max))
            rec->n++;
    }
    fclose(f);
    return rec->n > 0 ? 0 : -1;
}

const bench_row *
bench_record_find(const bench_record *rec, const char *path, const char *bank)
{
    for (int i = 0; i < rec->n; ++i)
        if (!strcmp(rec->rows[i].path, path) && !strcmp(rec->rows[i].bank, bank))
            return &rec->rows[i];
    return NULL;
}

void
bench_json_begin(FILE *out, double seconds, int repeats, long neurons, long threads,
                 double bytes_per_neuron, double engine_bytes,
                 const bench_synapse_memory *syn)
{
    fprintf(out,
            "{\n\"rate\": 48000, \"block\": 64, \"seconds\": %g, \"repeats\": %d, "
            "\"neurons\": [%ld, %ld], \"threads\": %ld,\n"
            "\"memory\": {\"bytes_per_neuron\": %.1f, \"engine_bytes\": %.0f, "
            "\"bytes_per_synapse\": %.2f, \"synapse_table_bytes\": %.0f, "
            "\"synapses_measured\": %.0f, \"synapse_bank_neurons\": %u, "
            "\"stored_bytes_per_synapse\": %.2f, \"stored_synapses\": %.0f, "
            "\"stored_table_bytes\": %.0f},\n\"rows\": [\n",
            seconds, repeats, neurons / 4, neurons, threads, bytes_per_neuron, engine_bytes,
            syn->bytes_per_synapse, syn->table_bytes, syn->synapses, syn->neurons,
            syn->stored_bytes_per_synapse, syn->stored_synapses, syn->stored_bytes);
}

static void
print_triple(FILE *out, const double v[3])
{
    fprintf(out, "[%.0f, %.0f, %.0f]", v[0], v[1], v[2]);
}

void
bench_json_row(FILE *out, int first, const char *path, const bench_case *c,
               const bench_result *r, const double cap25[3], const double cap100[3])
{
    fputs(first ? "" : ",\n", out);
    fputs("{\"path\": ", out);
    json_print_string(out, path);
    fputs(", \"bank\": ", out);
    json_print_string(out, c->name);
    fprintf(out,
            ", \"model\": %d, \"spread\": %g, \"noise\": %g, \"connectivity\": %g, "
            "\"learning\": %d, "
            "\"ns_per_neuron_step\": %.4f, \"ns_per_frame_fixed\": %.1f, \"ns_at_max\": %.4f, "
            "\"spikes_per_neuron_s\": %.2f, \"capacity_25\": ",
            c->model, c->spread, c->noise, c->connectivity, c->learning, r->ns_per_neuron_step,
            r->ns_per_frame_fixed, r->ns_per_neuron_step_at_max, r->spikes_per_neuron_s);
    print_triple(out, cap25);
    fputs(", \"capacity_100\": ", out);
    print_triple(out, cap100);
    fputc('}', out);
}

void
bench_json_end(FILE *out)
{
    fputs("\n],\n\"capacity_rates\": [44100, 48000, 96000]\n}\n", out);
}
