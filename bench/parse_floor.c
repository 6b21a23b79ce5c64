/* parse_floor — the floor of `make bench`: a bare tree-sitter parse of the
 * same files currantc reads, single-threaded, nothing else.
 *
 *   parse_floor PATH...
 *
 * Each PATH is a file or a directory walked recursively (skipping .git,
 * node_modules and __pycache__, as currantc does).  `.py` files are parsed
 * with tree-sitter-python, `.js` `.mjs` `.cjs` with tree-sitter-javascript.
 * Every file is read into memory and parsed once; the tree is deleted
 * without being walked.  Prints one line:
 *
 *   files N bytes B error_files E seconds S mb_per_s R
 *
 * where S covers reading and parsing (the process's own wall clock, without
 * start-up), and exits 0 unless a path cannot be read at all. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <tree_sitter/api.h>

const TSLanguage *tree_sitter_python(void);
const TSLanguage *tree_sitter_javascript(void);

enum { LANG_NONE = -1, LANG_PY = 0, LANG_JS = 1 };

static TSParser *parsers[2];
static char *buf;
static size_t buf_cap;
static uint64_t n_files, n_bytes, n_error_files, n_unreadable;

static int lang_of(const char *name) {
    const char *dot = strrchr(name, '.');
    if (!dot) return LANG_NONE;
    if (strcmp(dot, ".py") == 0) return LANG_PY;
    if (strcmp(dot, ".js") == 0 || strcmp(dot, ".mjs") == 0 || strcmp(dot, ".cjs") == 0) return LANG_JS;
    return LANG_NONE;
}

static int skipped_dir(const char *name) {
    return strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || strcmp(name, ".git") == 0 ||
           strcmp(name, "node_modules") == 0 || strcmp(name, "__pycache__") == 0;
}

static void parse_file(const char *path, int lang) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) { n_unreadable++; return; }
    struct stat st;
    if (fstat(fd, &st) != 0) { close(fd); n_unreadable++; return; }
    size_t want = (size_t)st.st_size;
    if (want + 1 > buf_cap) {
        buf_cap = want + 1 > 2 * buf_cap ? want + 1 : 2 * buf_cap;
        free(buf);
        buf = malloc(buf_cap);
        if (!buf) { perror("parse_floor: malloc"); exit(2); }
    }
    size_t len = 0;
    while (len < want) {
        ssize_t r = read(fd, buf + len, want - len);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        len += (size_t)r;
    }
    close(fd);
    TSTree *tree = ts_parser_parse_string(parsers[lang], NULL, buf, (uint32_t)len);
    if (!tree) { n_error_files++; ts_parser_reset(parsers[lang]); return; }
    if (ts_node_has_error(ts_tree_root_node(tree))) n_error_files++;
    ts_tree_delete(tree);
    n_files++;
    n_bytes += len;
}

/* Iterative directory walk: an explicit stack of paths, no recursion. */
static void walk(const char *root) {
    size_t cap = 64, top = 0;
    char **stack = malloc(cap * sizeof *stack);
    stack[top++] = strdup(root);
    while (top) {
        char *dir = stack[--top];
        DIR *d = opendir(dir);
        if (!d) { n_unreadable++; free(dir); continue; }
        struct dirent *e;
        while ((e = readdir(d))) {
            if (skipped_dir(e->d_name)) continue;
            size_t n = strlen(dir) + strlen(e->d_name) + 2;
            char *p = malloc(n);
            snprintf(p, n, "%s/%s", dir, e->d_name);
            struct stat st;
            if (lstat(p, &st) != 0) { n_unreadable++; free(p); continue; }
            if (S_ISDIR(st.st_mode)) {
                if (top == cap) stack = realloc(stack, (cap *= 2) * sizeof *stack);
                stack[top++] = p;
                continue;
            }
            int lang = S_ISREG(st.st_mode) ? lang_of(e->d_name) : LANG_NONE;
            if (lang != LANG_NONE) parse_file(p, lang);
            free(p);
        }
        closedir(d);
        free(dir);
    }
    free(stack);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: parse_floor PATH...\n");
        return 2;
    }
    parsers[LANG_PY] = ts_parser_new();
    parsers[LANG_JS] = ts_parser_new();
    ts_parser_set_language(parsers[LANG_PY], tree_sitter_python());
    ts_parser_set_language(parsers[LANG_JS], tree_sitter_javascript());

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "parse_floor: %s: %s\n", argv[i], strerror(errno));
            return 1;
        }
        if (S_ISDIR(st.st_mode)) walk(argv[i]);
        else {
            int lang = lang_of(argv[i]);
            if (lang != LANG_NONE) parse_file(argv[i], lang);
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("files %llu bytes %llu error_files %llu unreadable %llu seconds %.3f mb_per_s %.2f\n",
           (unsigned long long)n_files, (unsigned long long)n_bytes,
           (unsigned long long)n_error_files, (unsigned long long)n_unreadable, s,
           s > 0 ? (double)n_bytes / 1e6 / s : 0.0);
    ts_parser_delete(parsers[LANG_PY]);
    ts_parser_delete(parsers[LANG_JS]);
    free(buf);
    return 0;
}
