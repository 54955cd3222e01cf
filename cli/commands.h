/* commands.h — the subcommands of `hillock`, each in its own file.
 * Each takes the arguments after the subcommand name (argv[0] is the
 * subcommand) and returns the process exit status (see cli/exit_codes.h). */
#ifndef HILLOCK_COMMANDS_H
#define HILLOCK_COMMANDS_H

int render_command(int argc, char **argv);  /* render.c */
int params_command(int argc, char **argv);  /* params_cmd.c */
int presets_command(int argc, char **argv); /* presets_cmd.c */
int jack_command(int argc, char **argv);    /* jack.c (built when JACK is found) */
int bench_command(int argc, char **argv);   /* bench.c */

/* Their options and help (options.h), for --help and the man page. */
#include "options.h"
extern const cli_command_doc render_doc;  /* render_options.c */
extern const cli_command_doc params_doc;  /* params_cmd.c */
extern const cli_command_doc presets_doc; /* presets_cmd.c */
extern const cli_command_doc jack_doc;    /* jack/jack_options.c */
extern const cli_command_doc bench_doc;   /* bench/bench.c */

#endif
