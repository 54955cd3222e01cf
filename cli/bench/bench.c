/* bench.c — `hillock bench`: ns per neuron-step and real-time capacity of
 * each model, uncoupled and coupled, on every instruction-set path this CPU
 * can run (docs/performance.md, docs/measurements.md). */
#include "bench_measure.h"
#include "bench_record.h"
#include "bench_scale.h"
#include "bench_worst.h"
#include "workers.h"

#include "../commands.h"
#include "../exit_codes.h"
#include "../options.h"
#include "simd.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rows: every model of the registry at its bench drive, then the variants
 * its entry asks for. Spread 0.2: neurons out of step. The "spread 0.5" rows
 * are the realistic banks: drives from 0.5x to 1.5x, some neurons near
 * threshold, alone, with noise (a tenth of the drive: HH 1 uA/cm2) and
 * coupled (every voice at its default in all rows, spikes flowing). HH also
 * has the learning network's row: coupled as its 10 % row, through receptors,
 * axonal delays and STDP. */
#define MAX_CASES (6 * MODEL_COUNT + 1)
#define LEARNING_MAX_NEURONS 1024u
static bench_case cases[MAX_CASES];
static char case_names[MAX_CASES][48];

static unsigned
make_cases(void)
{
    static const struct {
        unsigned row;
        const char *spread_name;
        int noisy;
        float connectivity, spread;
    } rows[] = {{0, "", 0, 0.0f, 0.2f},
                {BENCH_COUPLED, "", 0, 0.1f, 0.2f},
                {BENCH_NOISE, "", 1, 0.0f, 0.2f},
                {BENCH_SPREAD, " spread 0.5", 0, 0.0f, 0.5f},
                {BENCH_SPREAD_NOISE, " spread 0.5", 1, 0.0f, 0.5f},
                {BENCH_SPREAD_COUPLED, " spread 0.5", 0, 0.1f, 0.5f}};
    unsigned n = 0;
    for (int m = 0; m < MODEL_COUNT; ++m) {
        const model_info *info = model_info_of(m);
        for (size_t r = 0; r < sizeof rows / sizeof rows[0]; ++r) {
            if (rows[r].row && !(info->bench_rows & rows[r].row))
                continue;
            const float noise = rows[r].noisy ? 0.1f * info->bench_drive : 0.0f;
            char noise_name[24] = "", coupled_name[24] = "";
            if (noise > 0.0f)
                snprintf(noise_name, sizeof noise_name, " noise %g", noise);
            if (rows[r].connectivity > 0.0f)
                snprintf(coupled_name, sizeof coupled_name, " %g%% coupled",
                         100.0f * rows[r].connectivity);
            snprintf(case_names[n], sizeof case_names[n], "%s%s%s%s", info->symbol,
                     rows[r].spread_name, noise_name, coupled_name);
            cases[n] = (bench_case){case_names[n], m, info->bench_drive, rows[r].connectivity,
                                    noise, rows[r].spread, 0, 0};
            n++;
        }
        if (m == MODEL_HH) {
            /* the learning network's cost: the coupled row's bank with
             * receptors, delays and STDP (bench_measure.h), at most 1024
             * neurons: its synapses grow as the square of the bank, and
             * 1000 neurons is the size its cost is stated for
             * (docs/performance-log.md); --neurons 1024 times every row there */
            snprintf(case_names[n], sizeof case_names[n], "%s 10%% receptors delays stdp",
                     info->symbol);
            cases[n] = (bench_case){case_names[n], m, info->bench_drive, 0.1f, 0.0f, 0.2f, 1,
                                    LEARNING_MAX_NEURONS};
            n++;
        }
    }
    return n;
}

enum { OPT_SECONDS = 256, OPT_REPEATS, OPT_NEURONS, OPT_ISA, OPT_MODEL, OPT_THREADS, OPT_JSON,
       OPT_COMPARE, OPT_WORST, OPT_SCALE };

static const cli_option bench_options_table[] = {
    {OPT_SECONDS, 0, "seconds", "S", "audio per timed run (default 0.05)"},
    {OPT_REPEATS, 0, "repeats", "R", "timed runs per figure; the fastest is kept (default 3)"},
    {OPT_NEURONS, 0, "neurons", "N", "the larger bank (default 4096; the smaller is N/4)"},
    {OPT_ISA, 0, "isa", "LIST",
     "comma-separated paths: sse2,avx2,avx512 (default: all the CPU supports)"},
    {OPT_MODEL, 0, "model", "NAME", "only rows whose name starts with NAME"},
    {OPT_THREADS, 0, "threads", "N",
     "step each bank on N threads (offline renders; the audio path of a plugin is always "
     "one thread). Default 1. Under each row, the CPU time of a step's serial and "
     "parallel parts (independent of the machine's load), the fastest fork and join, and "
     "the speed-up over one thread they project on idle cores"},
    {OPT_JSON, 0, "json", "FILE", "also write the rows as JSON to FILE (scripts/bench_plot.py)"},
    {OPT_COMPARE, 0, "compare", "FILE",
     "add a column: this run's ns per neuron-step over that of the same row in FILE, an "
     "earlier run's --json (same machine: only ratios carry between hosts)"},
    {OPT_WORST, 0, "worst", "BLOCKS",
     "instead of the table: the heaviest in-range banks (16384 neurons, speed 200, top "
     "drive and weights) block by block, without and with the real-time guard "
     "(BLOCKS unguarded 64-frame blocks, four times as many guarded)"},
    {OPT_SCALE, 0, "scale", NULL,
     "instead of the table: the total ns per neuron-step of every uncoupled bank at 1024, "
     "2048, ... 16384 neurons (flat = cost linear in neurons)"},
    {'h', 'h', "help", NULL, "this text"},
};

const cli_command_doc bench_doc = {
    .name = "bench",
    .synopsis = "[OPTIONS]",
    .summary = "measure the engine's speed",
    .description =
        "Times engine_process (inputs, model steps, spikes, synapses, voices with their "
        "defaults, mixing) at 48 kHz, speed 1, 64-frame blocks, for every model and the "
        "coupled network (10 % connectivity), on each instruction-set path this CPU can "
        "run; for HH also the learning network (10 %, receptors, axonal delays at 1 m/s, "
        "STDP, its synapses stored), at most 1024 neurons. Each figure is this thread's CPU time (time spent waiting for a shared core "
        "is not counted) over a whole run, the fastest of the runs. Cost is fitted as "
        "fixed + slope x neurons from two sizes; capacity = neurons that fit in 25 % / "
        "100 % of one core. Memory: the engine's heap (it allocates for the largest "
        "bank at create) per neuron, and per synapse the heap a coupled bank of 2048 "
        "neurons at 10 % holds beyond the same bank uncoupled: on the fly (drawn from "
        "the seed; the rows once drawn are kept in the engine's store of fixed size, "
        "counted in its heap) and stored (plasticity on).",
    .options = bench_options_table,
    .n_options = sizeof bench_options_table / sizeof bench_options_table[0],
    .notes = "A longer, steadier run: hillock bench --seconds 1 --repeats 10",
};

static void
usage(FILE *out)
{
    cli_print_help(out, &bench_doc);
}

typedef struct {
    double seconds;
    long repeats, neurons, threads;
    long worst; /* --worst BLOCKS, 0: the table */
    const char *isa_list, *only, *json_file, *compare_file;
    bool scale;
} bench_options;

/* The long name of option c in the table. */
static const char *
option_name(int c)
{
    for (size_t i = 0; i < sizeof bench_options_table / sizeof bench_options_table[0]; ++i)
        if (bench_options_table[i].id == c)
            return bench_options_table[i].name;
    return "?";
}

/* EXIT_OK to run, -1 after --help, or an exit status after a message. */
static int
parse_options(int argc, char **argv, bench_options *o)
{
    *o = (bench_options){.seconds = 0.05, .repeats = 3, .neurons = 4096, .threads = 1};
    cli_getopt g;
    cli_getopt_begin(&g, &bench_doc);
    int c;
    while ((c = cli_getopt_next(&g, argc, argv)) != -1) {
        char *end = NULL;
        bool ok = true;
        switch (c) {
        case 'h': usage(stdout); return -1;
        case OPT_SECONDS:
            o->seconds = strtod(optarg, &end);
            ok = end != optarg && *end == '\0' && o->seconds > 0.0 && o->seconds <= 600.0;
            break;
        case OPT_REPEATS: ok = cli_parse_long(optarg, 1, 1000, &o->repeats); break;
        case OPT_NEURONS:
            ok = cli_parse_long(optarg, 8, (long)ENGINE_MAX_NEURONS, &o->neurons);
            break;
        case OPT_THREADS: ok = cli_parse_long(optarg, 1, 64, &o->threads); break;
        case OPT_WORST: ok = cli_parse_long(optarg, 1, 10000, &o->worst); break;
        case OPT_ISA: o->isa_list = optarg; break;
        case OPT_MODEL: o->only = optarg; break;
        case OPT_JSON: o->json_file = optarg; break;
        case OPT_COMPARE: o->compare_file = optarg; break;
        case OPT_SCALE: o->scale = true; break;
        default: /* ':' (no value) or '?' (unknown) */
            fprintf(stderr, "hillock bench: unknown option or missing value: %s\n",
                    argv[optind - 1]);
            usage(stderr);
            return EXIT_USAGE;
        }
        if (!ok) {
            fprintf(stderr,
                    "hillock bench: --%s '%s': expected --seconds in (0, 600], --repeats "
                    "1..1000, --neurons 8..%u, --threads 1..64, --worst 1..10000\n",
                    option_name(c), optarg, ENGINE_MAX_NEURONS);
            return EXIT_USAGE;
        }
    }
    return cli_no_operands(&bench_doc, argc, argv) ? EXIT_OK : EXIT_USAGE;
}

/* The paths --isa names (all when it names none) in want[]; false after a
 * message if it names one that does not exist. */
static bool
wanted_paths(const char *isa_list, int want[SIMD_COUNT])
{
    for (int k = 0; k < SIMD_COUNT; ++k)
        want[k] = isa_list == NULL;
    if (!isa_list)
        return true;
    char buf[128];
    snprintf(buf, sizeof buf, "%s", isa_list);
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        int k = simd_parse(tok);
        if (k < 0 || k >= SIMD_COUNT) {
            fprintf(stderr, "hillock bench: unknown path '%s' (sse2, avx2, avx512)\n", tok);
            return false;
        }
        want[k] = 1;
    }
    return true;
}

/* The table's first lines: the run, the engine's memory and creation,
 * the column heads (and the JSON's opening). */
static void
print_head(const bench_options *o, FILE *json)
{
    printf("hillock bench: 48 kHz, speed 1, 64-frame blocks, banks of %ld and %ld neurons, "
           "thread CPU time, fastest of %ld x %g s, %ld thread%s\n",
           o->neurons / 4, o->neurons, o->repeats, o->seconds, o->threads,
           o->threads > 1 ? "s" : "");
    const double engine_bytes = bench_engine_bytes();
    const double per_neuron = engine_bytes / ENGINE_MAX_NEURONS;
    const bench_synapse_memory syn = bench_synapse_bytes(2048, 0.1f);
    printf("memory: %.1f MiB per engine (allocated for %u neurons at create) = %.0f bytes per "
           "neuron; synapses (%u neurons at 10 %%): on the fly %.1f bytes per synapse (%.0f "
           "bytes beyond the uncoupled bank: drawn from the seed, rows kept in the engine's "
           "fixed store), stored "
           "(plasticity on) %.1f bytes per synapse (%.0f synapses, %.1f MiB)\n",
           engine_bytes / 1048576.0, ENGINE_MAX_NEURONS, per_neuron, syn.neurons,
           syn.bytes_per_synapse, syn.table_bytes, syn.stored_bytes_per_synapse,
           syn.stored_synapses, syn.stored_bytes / 1048576.0);
    printf("create: %.1f ms of CPU for a real-time engine (every page written), fastest of 5\n",
           bench_engine_create_ms(5));
    if (json)
        bench_json_begin(json, o->seconds, (int)o->repeats, o->neurons, o->threads, per_neuron,
                         engine_bytes, &syn);
    const bool compare = o->compare_file != NULL;
    printf("%-7s %-36s %9s %9s %7s %8s | %-23s | %-23s%s\n", "path", "bank", "ns/n-step",
           "ns/frame", "spk/s", "ns@max", "neurons in 25 % of core",
           "neurons in 100 % of core", compare ? " | vs earlier" : "");
    printf("%-7s %-36s %9s %9s %7s %8s | %7s %7s %7s | %7s %7s %7s%s\n", "", "", "(slope)",
           "(fixed)", "", "", "44.1k", "48k", "96k", "44.1k", "48k", "96k",
           compare ? " | slope  @max" : "");
}

/* One bank on one path measured and printed as a row (and, with a pool,
 * the line of where its step goes); false if no engine could be made. */
static bool
measure_row(const bench_options *o, const bench_case *bc, simd_isa isa, bool pool,
          const bench_record *earlier, FILE *json, bool first)
{
    bench_result r;
    const uint32_t most = bc->max_neurons && bc->max_neurons < o->neurons
                              ? bc->max_neurons
                              : (uint32_t)o->neurons;
    if (bench_measure(bc, isa, most / 4, most, o->seconds, (int)o->repeats, &r)) {
        fprintf(stderr, "hillock bench: could not create the engine\n");
        return false;
    }
    const double rates[3] = {44100, 48000, 96000};
    double cap[2][3];
    for (int f = 0; f < 2; ++f)
        for (int s = 0; s < 3; ++s)
            cap[f][s] = bench_capacity(bc, &r, rates[s], f ? 1.0 : 0.25);
    const char *path = simd_name(isa);
    printf("%-7s %-36s %9.3f %9.0f %7.1f %8.3f | %7.0f %7.0f %7.0f | %7.0f %7.0f "
           "%7.0f",
           path, bc->name, r.ns_per_neuron_step, r.ns_per_frame_fixed,
           r.spikes_per_neuron_s, r.ns_per_neuron_step_at_max, cap[0][0], cap[0][1],
           cap[0][2], cap[1][0], cap[1][1], cap[1][2]);
    if (earlier) {
        const bench_row *old = bench_record_find(earlier, path, bc->name);
        /* a fitted slope can come out <= 0 on a very short run: no ratio */
        if (!old)
            printf(" |   (no row)");
        else if (old->ns_per_neuron_step > 0.0 && r.ns_per_neuron_step > 0.0)
            printf(" | %5.2fx", r.ns_per_neuron_step / old->ns_per_neuron_step);
        else
            printf(" |    n/a");
        if (old)
            printf(" %5.2fx", r.ns_per_neuron_step_at_max / old->ns_at_max);
    }
    putchar('\n');
    bench_threads split;
    if (pool && !bench_thread_split(bc, isa, (uint32_t)o->neurons, o->seconds, &split))
        printf("        %ld threads, CPU time a parallel job (a step, or a run of steps ahead): "
               "serial %.0f ns, parallel %.0f ns, "
               "beside the serial part %.0f ns (%.1f %% of the work), waiting %.0f ns; "
               "fork+join %.0f ns; projected on idle cores: %.2fx one thread\n",
               o->threads, split.profile.serial_ns, split.profile.parallel_ns,
               split.profile.task_ns, 100.0 * split.parallel_share, split.profile.wait_ns,
               split.fork_join_ns, split.projected);
    fflush(stdout);
    if (json)
        bench_json_row(json, first, path, bc, &r, cap[0], cap[1]);
    return true;
}

/* Every row on every path wanted; EXIT_OK or EXIT_INTERNAL. */
static int
bench_table(const bench_options *o, const int want[SIMD_COUNT], unsigned n_cases, bool pool,
            const bench_record *earlier, FILE *json)
{
    print_head(o, json);
    int rows = 0;
    for (int k = SIMD_COUNT - 1; k >= 0; --k) {
        if (!want[k])
            continue;
        if (!simd_supported((simd_isa)k)) {
            printf("%-7s (not supported by this CPU)\n", simd_name((simd_isa)k));
            continue;
        }
        for (unsigned c = 0; c < n_cases; ++c) {
            if (o->only && strncmp(cases[c].name, o->only, strlen(o->only)))
                continue;
            if (!measure_row(o, &cases[c], (simd_isa)k, pool, earlier, json, rows == 0))
                return EXIT_INTERNAL;
            ++rows;
        }
    }
    if (json)
        bench_json_end(json);
    return EXIT_OK;
}

int
bench_command(int argc, char **argv)
{
    bench_options o;
    int status = parse_options(argc, argv, &o);
    if (status != EXIT_OK)
        return status < 0 ? EXIT_OK : status;
    if (o.worst)
        return bench_worst((int)o.worst) ? EXIT_INTERNAL : EXIT_OK;
    int want[SIMD_COUNT];
    if (!wanted_paths(o.isa_list, want))
        return EXIT_USAGE;
    static bench_record earlier;
    if (o.compare_file && bench_record_load(o.compare_file, &earlier)) {
        fprintf(stderr, "hillock bench: cannot read rows from %s (a file written by --json)\n",
                o.compare_file);
        return EXIT_USAGE;
    }
    FILE *json = NULL;
    if (o.json_file && !(json = fopen(o.json_file, "w"))) {
        fprintf(stderr, "hillock bench: cannot write %s\n", o.json_file);
        return EXIT_USAGE;
    }
    workers *pool = NULL;
    if (o.threads > 1 && !(pool = workers_create((unsigned)o.threads))) {
        fprintf(stderr, "hillock bench: could not start %ld threads\n", o.threads);
        status = EXIT_INTERNAL;
    } else {
        bench_use_workers(pool);
        const unsigned n_cases = make_cases();
        if (o.scale)
            status = bench_scale(cases, n_cases, want, o.only, o.seconds, (int)o.repeats)
                         ? EXIT_INTERNAL
                         : EXIT_OK;
        else
            status = bench_table(&o, want, n_cases, pool != NULL,
                                 o.compare_file ? &earlier : NULL, json);
    }
    workers_destroy(pool);
    if (json && fclose(json) && status == EXIT_OK) {
        fprintf(stderr, "hillock bench: could not finish writing %s\n", o.json_file);
        status = EXIT_INTERNAL;
    }
    return status;
}
