/* render.c — `hillock render`: the engine offline, block by block, from
 * its inputs (a stimulus file, MIDI, automation, a recording's spikes) to
 * its outputs (render_outputs.h: the WAV, spike and trace CSVs, the spikes'
 * MIDI file; and OSC), with the options render_options.h parsed.
 *
 * A refused or failed render leaves nothing behind, and an interrupted one
 * leaves complete files holding what was rendered (interrupt.h). This file
 * holds no DSP: the engine makes every sample.
 */
#include "render_options.h"
#include "render_outputs.h"

#include "bench/workers.h"
#include "commands.h"
#include "engine.h"
#include "exit_codes.h"
#include "input_file.h"
#include "interrupt.h"
#include "osc_out.h"
#include "progress.h"
#include "start_values.h"
#include "stimulus.h"
#include "state_opts.h"
#include "synapse_opts.h"
#include "tuning_opts.h"
#include "play_spikes.h"
#include "series_map.h"
#include "thread_choice.h"
#include "timeline.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* After a signal the block in progress and the audio still in the engine's
 * latency are rendered if that takes no longer than this; else the engine
 * stops within a model step (engine_set_stop_query) and the outputs end
 * where its audio did. */
#define STOP_GRACE_S 0.25
#define MAX_SPIKE_LIST (1u << 22)
#define MAX_AUTOMATION_BYTES (64u << 20)
#define AUTOMATION_RAMP_FRAMES 32u /* a ramp moves every 32 frames (dsp/automation.h) */

typedef struct {
    render_outputs out;
    midifile midi_in;
    play_spikes *play; /* --play-spikes */
    automation *automation;
    timeline timeline;
    osc_out *osc;
    stimulus *stim;
    engine *eng;
    workers *pool; /* NULL for one thread */
    thread_choice threads; /* with a pool: whether the next block steps on it */
    int on_pool;           /* the mode the engine is set to */
    float *left, *right, *stim_buf, *trace_buf;
    engine_spike *spike_list;
    uint32_t spike_capacity;
} render_state;

/* The bank steps on the pool (1) or on this thread alone (0) from the next
 * block on (thread_choice.h): the same bits either way. */
static void
use_threads(render_state *s, int on_pool)
{
    if (on_pool == s->on_pool)
        return;
    engine_set_parallel(s->eng, workers_run, s->pool, on_pool ? workers_count(s->pool) : 1u);
    s->on_pool = on_pool;
}

static void
release(render_state *s)
{
    render_outputs_release(&s->out);
    timeline_free(&s->timeline);
    osc_out_close(s->osc, "render"); /* says so if spikes were lost */
    if (s->play)
        play_spikes_close(s->play);
    free(s->play);
    automation_destroy(s->automation);
    midifile_free(&s->midi_in);
    stimulus_close(s->stim);
    if (s->eng)
        cli_synapses_release(s->eng);
    engine_destroy(s->eng);
    workers_destroy(s->pool); /* after the engine that uses it */
    free(s->left);
    free(s->right);
    free(s->stim_buf);
    free(s->trace_buf);
    free(s->spike_list);
    memset(s, 0, sizeof *s);
    render_outputs_init(&s->out);
}

static bool
allocate_buffers(render_state *s, const render_options *o)
{
    size_t n = (size_t)o->block;
    s->left = malloc(n * sizeof(float));
    s->right = malloc(n * sizeof(float));
    s->stim_buf = o->input ? malloc(n * sizeof(float)) : NULL;
    s->trace_buf = o->trace_path ? malloc(n * sizeof(float)) : NULL;
    if (o->spikes_path || o->midi_out || o->osc) {
        /* At most one spike per neuron per model step fits in a block. A
         * render whose automation or MIDI may grow the bank or speed it up
         * gets the most the list may hold: its pages are touched only as
         * spikes fill them (a bank automated from 3000 to 5000 neurons lost
         * spikes to a list sized for 3000). */
        engine_stats st;
        engine_get_stats(s->eng, &st);
        uint64_t cap = (uint64_t)engine_active_neurons(s->eng) * n *
                       (st.substeps ? st.substeps : 1);
        if (s->automation || o->midi_in)
            cap = MAX_SPIKE_LIST;
        s->spike_capacity = (uint32_t)(cap < MAX_SPIKE_LIST ? cap : MAX_SPIKE_LIST);
        s->spike_list = malloc(s->spike_capacity * sizeof *s->spike_list);
    }
    return s->left && s->right && (!o->input || s->stim_buf) && (!o->trace_path || s->trace_buf) &&
           (!s->spike_capacity || s->spike_list) &&
           render_outputs_alloc(&s->out, o, engine_latency(s->eng));
}

/* engine_set_stop_query: the engine stops where it is once a signal is
 * older than STOP_GRACE_S. */
static int
stop_now(void *unused)
{
    (void)unused;
    return interrupt_signal() && interrupt_seconds_since() >= STOP_GRACE_S;
}

/* The MIDI file and the automation table, read and checked before anything
 * is written; a problem in either is an input error. */
static int
load_timed_inputs(render_state *s, const render_options *o, const float values[PARAM_COUNT])
{
    char err[1024];
    char *data = NULL;
    size_t size = 0;
    if (o->midi_in) {
        if (!input_file_read_all(o->midi_in, "MIDI file", MIDIFILE_MAX_BYTES, &data, &size, err,
                                 sizeof err)) {
            fprintf(stderr, "hillock render: %s\n", err);
            return EXIT_INPUT;
        }
        bool ok = midifile_parse((const uint8_t *)data, size, &s->midi_in, err, sizeof err);
        free(data);
        if (!ok) {
            fprintf(stderr, "hillock render: --midi-in '%s': %s\n", o->midi_in, err);
            return EXIT_INPUT;
        }
    }
    if (o->automate) {
        if (!input_file_read_all(o->automate, "automation table", MAX_AUTOMATION_BYTES, &data,
                                 &size, err, sizeof err)) {
            fprintf(stderr, "hillock render: %s\n", err);
            return EXIT_INPUT;
        }
        s->automation = automation_create();
        bool ok = s->automation &&
                  automation_parse_table(s->automation, data, size, err, sizeof err);
        free(data);
        if (!ok) {
            fprintf(stderr, "hillock render: --automate '%s': %s\n", o->automate,
                    s->automation ? err : "out of memory");
            return EXIT_INPUT;
        }
    }
    if (o->n_maps && !s->automation && !(s->automation = automation_create())) {
        fputs("hillock render: out of memory\n", stderr);
        return EXIT_INTERNAL;
    }
    for (int i = 0; i < o->n_maps; ++i)
        if (!series_map_add(s->automation, o->maps[i], err, sizeof err)) {
            fprintf(stderr, "hillock render: --map %s\n", err);
            return EXIT_INPUT;
        }
    if (s->automation && !automation_prepare(s->automation, (double)o->rate, values,
                                             AUTOMATION_RAMP_FRAMES, err, sizeof err)) {
        if (o->n_maps)
            fprintf(stderr, "hillock render: --automate/--map: %s\n", err);
        else
            fprintf(stderr, "hillock render: --automate '%s': %s\n", o->automate, err);
        return EXIT_INPUT;
    }
    if (!timeline_init(&s->timeline, o->midi_in ? &s->midi_in : NULL, s->automation,
                       (double)o->rate, o->bpm)) {
        fputs("hillock render: out of memory\n", stderr);
        return EXIT_INTERNAL;
    }
    return EXIT_OK;
}

/* --play-spikes: the recording opened and checked (a bad file is an input
 * error), the source recorded unless a --set chose it, the render as long
 * as the recording at its rate unless --duration. */
static int
open_recording(render_state *s, const render_options *o, float values[PARAM_COUNT],
               double *duration_s)
{
    char err[1024];
    s->play = malloc(sizeof *s->play);
    if (!s->play) {
        fputs("hillock render: out of memory\n", stderr);
        return EXIT_INTERNAL;
    }
    if (!play_spikes_open(s->play, o->play_spikes, err, sizeof err)) {
        free(s->play);
        s->play = NULL;
        fprintf(stderr, "hillock render: --play-spikes %s\n", err);
        return EXIT_INPUT;
    }
    bool source_set = false;
    for (int i = 0; i < o->n_sets; ++i)
        source_set |= strncmp(o->sets[i], "source=", 7) == 0;
    if (!source_set)
        values[P_SOURCE] = SOURCE_RECORDED;
    if (!o->duration_given)
        *duration_s = fmin(spikefile_duration(s->play->file) / values[P_PLAYBACK_RATE] +
                               RENDER_TAIL_S, RENDER_MAX_DURATION_S);
    if (!o->quiet)
        play_spikes_describe(s->play, stderr, o->play_spikes);
    return EXIT_OK;
}

/* The render's span on the engine's clock: a continued render (--load-state)
 * begins where the saved one ended. */
typedef struct {
    double duration_s;     /* asked for, or the inputs' length */
    uint64_t frames;       /* the render's length */
    uint64_t begin, total; /* its first frame and its end */
    engine_stats at_begin; /* the engine's counts before it */
} render_span;

/* Everything before the first output file: the inputs read and checked, the
 * engine created and set, the threads and buffers. EXIT_OK, or an exit
 * status with the reason on stderr. */
static int
prepare(render_state *s, const render_options *o, render_span *sp)
{
    float values[PARAM_COUNT];
    int status = start_values("render", o->preset, o->sets, o->n_sets, values);
    if (status != EXIT_OK)
        return status;

    double tuning_hz[128];
    interrupt_stage("tuning");
    if ((o->tuning || o->keymap) &&
        !cli_tuning_load("render", o->tuning, o->keymap, tuning_hz))
        return EXIT_INPUT;

    char err[1024];
    interrupt_stage("input");
    status = load_timed_inputs(s, o, values);
    if (status != EXIT_OK)
        return status;
    sp->duration_s = o->duration_s;
    if (o->midi_in && !o->duration_given)
        sp->duration_s = fmin(s->midi_in.end_s + RENDER_TAIL_S, RENDER_MAX_DURATION_S);
    if (o->play_spikes) {
        status = open_recording(s, o, values, &sp->duration_s);
        if (status != EXIT_OK)
            return status;
    }

    sp->frames = (uint64_t)llround(sp->duration_s * (double)o->rate);
    if (sp->frames == 0) {
        fprintf(stderr, "hillock render: --duration %g s is shorter than one sample\n",
                sp->duration_s);
        return EXIT_USAGE;
    }

    if (o->input) {
        s->stim = stimulus_open(o->input, (double)o->rate, err, sizeof err);
        if (!s->stim) {
            fprintf(stderr, "hillock render: %s\n", err);
            return EXIT_INPUT;
        }
        if (!o->quiet && stimulus_file_rate(s->stim) != (double)o->rate)
            fprintf(stderr, "hillock render: resampling '%s' from %.0f Hz to %ld Hz (linear)\n",
                    o->input, stimulus_file_rate(s->stim), o->rate);
    }

    if (o->osc && !(s->osc = osc_out_open(o->osc, err, sizeof err))) {
        fprintf(stderr, "hillock render: --osc: %s\n", err);
        return EXIT_OUTPUT;
    }

    interrupt_stage("engine");
    s->eng = engine_create_offline((double)o->rate);
    if (!s->eng) {
        fprintf(stderr, "hillock render: cannot create the engine at %ld Hz\n", o->rate);
        return EXIT_INTERNAL;
    }
    engine_set_all_params(s->eng, values);
    if (s->play)
        engine_set_recorded_units(s->eng, spikefile_units(s->play->file));
    /* offline: a coupled network's settled start pre-rolls at once */
    engine_set_settle_mode(s->eng, ENGINE_SETTLE_AT_ONCE);
    if (o->tuning || o->keymap)
        engine_set_tuning(s->eng, tuning_hz);
    cli_synapses_update("render", s->eng, o->quiet);
    if (o->load_weights && !cli_synapses_load("render", s->eng, o->load_weights))
        return EXIT_INPUT;
    if (o->load_state &&
        !cli_state_load("render", s->eng, o->load_state, values, s->automation, s->play,
                        o->quiet))
        return EXIT_INPUT;
    /* a continued render goes on from the engine's clock: its inputs too */
    engine_get_stats(s->eng, &sp->at_begin);
    sp->begin = sp->at_begin.frames;
    if (sp->begin && (o->midi_in || o->play_spikes) && !o->duration_given) /* to the end, as whole */
        sp->frames = sp->frames > sp->begin ? sp->frames - sp->begin : 1u;
    sp->total = sp->begin + sp->frames;
    timeline_seek(&s->timeline, sp->begin);
    if (s->stim && !stimulus_skip(s->stim, sp->begin, err, sizeof err)) {
        fprintf(stderr, "hillock render: %s\n", err);
        return EXIT_INPUT;
    }
    /* auto: no pool for a bank that cannot use it and whose size no input
     * will change (the default bank of 64 rendered 5 % slower with one) */
    const bool steady_size = !s->automation && !o->midi_in;
    if (o->threads > 1 && (o->threads_given || !steady_size || engine_bank_splits(s->eng))) {
        s->pool = workers_create((unsigned)o->threads);
        if (!s->pool) {
            fprintf(stderr, "hillock render: cannot start %ld threads\n", o->threads);
            return EXIT_INTERNAL;
        }
        engine_set_parallel(s->eng, workers_run, s->pool, workers_count(s->pool));
        engine_set_parallel_tasks(s->eng, workers_post, workers_wait);
        thread_choice_init(&s->threads);
        s->on_pool = 1;
    }
    if (!allocate_buffers(s, o)) {
        fputs("hillock render: out of memory\n", stderr);
        return EXIT_INTERNAL;
    }
    return EXIT_OK;
}

/* The output files under their temporary names, each tracked by the
 * interrupt handler from the moment it exists. */
static int
open_outputs(render_state *s, const render_options *o, const render_span *sp)
{
    char err[1024];
    /* A signal now removes the temporary files: none may exist untracked. */
    interrupt_hold();
    bool opened = render_outputs_open(&s->out, o, sp->frames, o->midi_in ? &s->midi_in : NULL,
                                      err, sizeof err);
    render_outputs_track(&s->out);
    interrupt_release();
    if (!opened) {
        fprintf(stderr, "hillock render: %s\n", err);
        return EXIT_OUTPUT;
    }
    interrupt_stage("outputs");
    return EXIT_OK;
}

/* What the block loop leaves for the end. */
typedef struct {
    uint64_t model_end;   /* the model's last frame written: total, or where it stopped */
    uint64_t spikes_lost; /* spikes the per-block list had no room for */
    uint8_t *state;       /* --save-state: taken where the model ends */
    size_t state_size;
    double wall_s;
    int stopped_by; /* the signal that stopped the render, or 0 */
} render_result;

/* The engine, a block at a time, into every output until the model reaches
 * the span's end (or a signal stops it) and the audio still in its latency
 * has come out. EXIT_OK, or an exit status with the reason on stderr. */
static int
run_blocks(render_state *s, const render_options *o, const render_span *sp, render_result *r)
{
    char err[1024];
    /* From here a signal raises a flag: see STOP_GRACE_S. */
    interrupt_running();
    engine_set_stop_query(s->eng, stop_now, NULL);
    progress bar;
    progress_start(&bar, !o->quiet && isatty(STDERR_FILENO));

    const uint64_t begin = sp->begin, total = sp->total;
    uint64_t done = begin;
    bool state_taken = false;
    int status = EXIT_OK;
    const uint64_t block = (uint64_t)o->block;
    const uint32_t latency = engine_latency(s->eng);
    uint64_t model_end = total, end = total + latency;
    bool stopping = false, cut_short = false;
    while (done < end) {
        if (o->save_state && !state_taken && done == model_end) {
            if (!cli_state_take(s->eng, s->play, &r->state, &r->state_size, err, sizeof err)) {
                status = EXIT_OUTPUT;
                break;
            }
            state_taken = true;
        }
        if (interrupt_signal() && !stopping) {
            /* stop the model here and play out the audio still in the
             * latency, so the WAV and the CSVs end together */
            stopping = true;
            model_end = done < total ? done : total;
            end = model_end + latency;
            if (done >= end)
                break;
            continue; /* the state where the model now ends */
        }
        /* blocks on the whole render's grid, a continued one's first cut
         * short: what is read once a block (playback_rate) is read where
         * it would have been */
        const uint64_t to_grid = block - done % block;
        uint32_t n = (uint32_t)(end - done < to_grid ? end - done : to_grid);
        if (o->save_state && done < model_end && done + n > model_end)
            n = (uint32_t)(model_end - done); /* a block ends where the state is taken */
        if (s->stim && !stimulus_read(s->stim, s->stim_buf, n, err, sizeof err)) {
            status = EXIT_INPUT;
            break;
        }
        engine_io io = {
            .stimulus = s->stim_buf,
            .out_left = s->left,
            .out_right = s->right,
            .trace_soma = s->trace_buf,
            .spikes = s->spike_list,
            .spike_capacity = s->spike_capacity,
        };
        if (s->play && !play_spikes_block(s->play, s->eng, done, n, (double)o->rate,
                                          engine_get_param(s->eng, P_PLAYBACK_RATE), err,
                                          sizeof err)) {
            status = EXIT_INPUT;
            break;
        }
        if (s->pool)
            use_threads(s, thread_choice_mode(&s->threads));
        const double t0 = progress_now();
        timeline_process(&s->timeline, s->eng, &io, n, done);
        if (s->pool)
            thread_choice_played(&s->threads, 1e9 * (progress_now() - t0), io.n_done);
        cli_synapses_update("render", s->eng, o->quiet); /* the wiring automated */
        if (io.n_done < n) { /* stopped inside the block: the engine is spent */
            n = io.n_done;
            cut_short = true;
        }
        r->spikes_lost += io.spikes_lost;
        if (!render_outputs_block(&s->out, o, s->eng, &io, s->left, s->right, s->trace_buf, n,
                                  done, begin, model_end, latency, err, sizeof err)) {
            status = EXIT_OUTPUT;
            break;
        }
        if (s->osc)
            osc_out_block(s->osc, &io, done, model_end, (double)o->rate);
        done += n;
        progress_update(&bar, (double)((done < total ? done : total) - begin) / (double)o->rate,
                        (double)sp->frames / (double)o->rate);
        if (cut_short)
            break;
    }
    if (cut_short && status == EXIT_OK) {
        /* no audio past done - latency came out: the CSVs end there too */
        const uint64_t audio = done > begin + latency ? done - latency : begin;
        const uint64_t rows = done < model_end ? done : model_end;
        if (audio < rows && !render_outputs_cut(&s->out, o, audio, err, sizeof err))
            status = EXIT_OUTPUT;
        if (audio < model_end)
            model_end = audio;
    }
    progress_finish(&bar);
    r->wall_s = progress_now() - bar.start_s;
    r->stopped_by = interrupt_signal();
    r->model_end = model_end;

    if (status == EXIT_OK && o->save_state && !state_taken) {
        snprintf(err, sizeof err, "--save-state '%s': not written: the render stopped inside "
                                  "a model step, where no state continues",
                 o->save_state);
        status = EXIT_OUTPUT;
    }
    if (status != EXIT_OK)
        fprintf(stderr, "hillock render: %s\n", err);
    return status;
}

/* The weights and the state the options ask for, then every output
 * committed. EXIT_OK, or EXIT_OUTPUT with the reason on stderr. */
static int
finish(render_state *s, const render_options *o, const render_result *r)
{
    char err[1024];
    interrupt_stage("finish");
    bool ok = (!o->save_weights || cli_synapses_save(s->eng, o->save_weights, err, sizeof err)) &&
              (!o->save_state ||
               atomic_file_write(o->save_state, r->state, r->state_size, err, sizeof err)) &&
              render_outputs_finish(&s->out, o, err, sizeof err);
    if (!ok) {
        fprintf(stderr, "hillock render: %s\n", err);
        return EXIT_OUTPUT;
    }
    return EXIT_OK;
}

/* The warnings and the summary line on stderr. */
static void
report(const render_state *s, const render_options *o, const render_span *sp,
       const render_result *r)
{
    engine_stats st;
    engine_get_stats(s->eng, &st);
    const double seconds = (double)(r->model_end - sp->begin) / (double)o->rate;
    st.spikes -= sp->at_begin.spikes;
    st.nonfinite_resets -= sp->at_begin.nonfinite_resets;
    if (r->spikes_lost)
        fprintf(stderr,
                "hillock render: warning: %llu spikes did not fit the per-block list and "
                "are missing from '%s'; use a smaller --block\n",
                (unsigned long long)r->spikes_lost,
                o->spikes_path ? o->spikes_path : o->midi_out);
    if (engine_get_param(s->eng, P_PITCH_MODE) == PITCH_TRACK && !o->quiet)
        fprintf(stderr, "hillock render: pitch tracking reaches %.2f - %.1f Hz\n",
                (double)st.pitch_lo_hz, (double)st.pitch_hi_hz);
    if (st.pitch_clamped)
        fprintf(stderr,
                "hillock render: warning: %llu notes were out of the model's pitch range "
                "and played at the nearest pitch it reaches (the last: MIDI note %d; "
                "docs/manual.md, Pitch tracking)\n",
                (unsigned long long)st.pitch_clamped, st.pitch_last_clamped);
    if (r->stopped_by)
        fprintf(stderr,
                "hillock render: interrupted by %s after %.3f of %.3f s (%llu frames); '%s' "
                "holds what was rendered, complete %.3f s after the signal\n",
                interrupt_signal_name(r->stopped_by), seconds, sp->duration_s,
                (unsigned long long)r->model_end, o->output, interrupt_seconds_since());
    else if (!o->quiet)
        fprintf(stderr,
                "hillock render: %.3f s at %ld Hz to '%s': %llu spikes (%.1f/s), %.1fx real "
                "time, %llu non-finite resets, latency %u frames trimmed\n",
                seconds, o->rate, o->output, (unsigned long long)st.spikes,
                (double)st.spikes / seconds, r->wall_s > 0.0 ? seconds / r->wall_s : 0.0,
                (unsigned long long)st.nonfinite_resets, engine_latency(s->eng));
    if (s->pool && o->threads_given && !r->stopped_by && !o->quiet) {
        const double on_pool = (double)s->threads.frames[1],
                     all = on_pool + (double)s->threads.frames[0];
        fprintf(stderr,
                "hillock render: the bank stepped on %ld threads for %.0f %% of the frames, on "
                "one for the rest (timed as it rendered: one thread is faster where the "
                "threads' meetings outweigh the work they share)\n",
                o->threads, all > 0.0 ? 100.0 * on_pool / all : 0.0);
    }
}

static int
render(const render_options *o)
{
    render_state s;
    memset(&s, 0, sizeof s);
    render_outputs_init(&s.out);
    render_span sp;
    memset(&sp, 0, sizeof sp);
    render_result r;
    memset(&r, 0, sizeof r);
    int status = prepare(&s, o, &sp);
    if (status == EXIT_OK)
        status = open_outputs(&s, o, &sp);
    if (status == EXIT_OK)
        status = run_blocks(&s, o, &sp, &r);
    if (status == EXIT_OK)
        status = finish(&s, o, &r);
    if (status == EXIT_OK)
        report(&s, o, &sp, &r);
    free(r.state);
    release(&s);
    return status == EXIT_OK && r.stopped_by ? EXIT_INTERRUPTED : status;
}

int
render_command(int argc, char **argv)
{
    /* first thing: a signal at any stage ends the render cleanly */
    interrupt_install("render", "before rendering began; no file written",
                      "render abandoned, its unfinished files removed");
    render_options o;
    int status = render_options_parse(argc, argv, &o);
    if (status == EXIT_OK)
        status = render(&o);
    else if (status < 0)
        status = EXIT_OK; /* --help */
    interrupt_restore();
    render_options_free(&o);
    return status;
}
