/* replay_main.c — runs a fuzz harness over files and folders (the corpus and
 * the crash reproducers) without libFuzzer, so every compiler and the
 * sanitizer builds replay the corpus as an ordinary test:
 *     fuzz_engine_replay tests/fuzz/corpus/engine [more files or folders]
 * Exits 0 when every input ran; the harness aborts on a broken promise.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return 1;
    }
    uint8_t *buf = NULL;
    size_t size = 0, cap = 0;
    for (;;) {
        if (size == cap) {
            cap = cap ? cap * 2 : 4096;
            buf = realloc(buf, cap);
            if (!buf) {
                fclose(f);
                return 1;
            }
        }
        size_t got = fread(buf + size, 1, cap - size, f);
        size += got;
        if (got == 0)
            break;
    }
    fclose(f);
    LLVMFuzzerTestOneInput(buf, size);
    free(buf);
    return 0;
}

static int
run_path(const char *path, int *count)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: %s does not exist\n", path);
        return 1;
    }
    if (!S_ISDIR(st.st_mode)) {
        ++*count;
        return run_file(path);
    }
    DIR *d = opendir(path);
    if (!d)
        return 1;
    int bad = 0;
    struct dirent *ent;
    while ((ent = readdir(d))) {
        if (ent->d_name[0] == '.')
            continue;
        char child[4096];
        snprintf(child, sizeof child, "%s/%s", path, ent->d_name);
        bad |= run_path(child, count);
    }
    closedir(d);
    return bad;
}

int
main(int argc, char **argv)
{
    int bad = 0, count = 0;
    for (int i = 1; i < argc; ++i)
        bad |= run_path(argv[i], &count);
    printf("replayed %d inputs\n", count);
    return bad || count == 0;
}
