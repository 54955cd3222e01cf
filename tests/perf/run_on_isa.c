/* run_on_isa ISA PROGRAM [ARGS...]: run PROGRAM with the engine forced onto
 * instruction-set path ISA (HILLOCK_ISA), or exit 77 (meson: skipped) when
 * this CPU cannot run that path. */
#include "simd.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: run_on_isa sse2|avx2|avx512 PROGRAM [ARGS...]\n");
        return 2;
    }
    int isa = simd_parse(argv[1]);
    if (isa < 0 || isa >= SIMD_COUNT) {
        fprintf(stderr, "run_on_isa: unknown path %s\n", argv[1]);
        return 2;
    }
    if (!simd_supported((simd_isa)isa)) {
        printf("this CPU cannot run the %s path: skipped\n", argv[1]);
        return 77;
    }
    setenv("HILLOCK_ISA", argv[1], 1);
    execv(argv[2], argv + 2);
    perror(argv[2]);
    return 1;
}
