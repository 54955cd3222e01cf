/* render_outputs.h — the files `hillock render` writes: the WAV, the spike
 * and trace CSVs and the spikes' MIDI file.
 *
 * Each is written under a temporary name beside its target and renamed
 * into place only when the render commits them all together
 * (atomic_file_commit_all), so a refused or failed render leaves nothing
 * behind; a render stopped inside a block cuts the CSVs back to where its
 * audio ends. The render loop hands every processed block over and reads
 * nothing back. */
#ifndef HILLOCK_RENDER_OUTPUTS_H
#define HILLOCK_RENDER_OUTPUTS_H

#include "atomic_file.h"
#include "engine.h"
#include "interrupt.h"
#include "render_options.h"
#include "spike_midi.h"

#include <sndfile.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct {
    atomic_file wav_file, spikes_file, trace_file, midi_file;
    SNDFILE *wav;
    FILE *spikes_csv, *trace_csv;
    spike_midi midi;
    bool midi_open;
    float *interleaved; /* a block's stereo frames for the WAV */
    /* Bytes each CSV holds, and held at the start of each of the last
     * n_marks model frames (ring by frame), so a render stopped inside a
     * block can cut them back to where its audio ends. */
    uint64_t spikes_bytes, trace_bytes;
    uint64_t *spikes_marks, *trace_marks;
    uint32_t n_marks;
} render_outputs;

/* Nothing open, nothing allocated. */
void render_outputs_init(render_outputs *out);

/* The buffers for blocks of up to o->block frames and an engine latency of
 * `latency` frames; false if memory ran out. Before any file is opened. */
bool render_outputs_alloc(render_outputs *out, const render_options *o, uint32_t latency);

/* Every output the options name, under its temporary name (the MIDI file
 * takes its tempo map from midi_in when there is one); false with the
 * reason in err. `frames`: the render's length, which decides WAV or RF64. */
bool render_outputs_open(render_outputs *out, const render_options *o, uint64_t frames,
                         const midifile *midi_in, char *err, size_t err_len);

/* Each temporary file given to the interrupt handler to remove (its slot
 * cleared where the output is not written). */
void render_outputs_track(const render_outputs *out);

/* One processed block to every output: n frames of audio (left, right)
 * and of the focus neuron's trace, and io's spikes, the block starting at
 * frame frames_before. The engine's audio lags its spikes and trace by
 * `latency` frames: the first `latency` frames of audio are dropped and the
 * model runs that much longer than `total`, whose spikes and trace are not
 * written, so every output starts at `begin` (0, or where a continued
 * render's saved state ended) and ends at `total`. False with the reason in
 * err. */
bool render_outputs_block(render_outputs *out, const render_options *o, const engine *e,
                          engine_io *io, const float *left, const float *right,
                          const float *trace, uint32_t n, uint64_t frames_before,
                          uint64_t begin, uint64_t total, uint32_t latency, char *err,
                          size_t err_len);

/* Cut the CSVs back to the rows of frames before `frame`, written less than
 * n_marks frames ago. */
bool render_outputs_cut(render_outputs *out, const render_options *o, uint64_t frame, char *err,
                        size_t err_len);

/* Close every output and rename them all into place, none unless every
 * one's data is on disk; false with the reason in err. */
bool render_outputs_finish(render_outputs *out, const render_options *o, char *err,
                           size_t err_len);

/* Close what is open and remove the temporary files not committed; free. */
void render_outputs_release(render_outputs *out);

#endif
