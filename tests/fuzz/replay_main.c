/*
 * replay_main.c — a main for the fuzz harness without libFuzzer: runs
 * LLVMFuzzerTestOneInput once on each file given (directories: each regular
 * file in them).  `make test` builds it with gcc under ASan+UBSan and runs
 * the seed corpus through it, so the harness can't rot.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static int replay_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return -1;
  }
  size_t cap = 1 << 16, len = 0;
  unsigned char *buf = malloc(cap);
  size_t n;
  while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
    len += n;
    if (len == cap) {
      cap *= 2;
      unsigned char *nb = realloc(buf, cap);
      if (!nb) free(buf);
      buf = nb;
    }
  }
  fclose(f);
  if (!buf) return -1;
  /* An exact-size copy, as libFuzzer gives: reading past it is a bug. */
  unsigned char *exact = malloc(len ? len : 1);
  if (!exact) return -1;
  memcpy(exact, buf, len);
  free(buf);
  LLVMFuzzerTestOneInput(exact, len);
  free(exact);
  return 0;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv) {
  LLVMFuzzerInitialize(&argc, &argv);
  int files = 0, errors = 0;
  for (int i = 1; i < argc; i++) {
    struct stat sb;
    if (stat(argv[i], &sb) != 0) {
      perror(argv[i]);
      errors++;
      continue;
    }
    if (!S_ISDIR(sb.st_mode)) {
      errors += replay_file(argv[i]) != 0;
      files++;
      continue;
    }
    DIR *d = opendir(argv[i]);
    if (!d) {
      perror(argv[i]);
      errors++;
      continue;
    }
    char **names = NULL;
    int nn = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
      if (e->d_name[0] == '.') continue;
      if (nn == cap) {
        cap = cap ? cap * 2 : 64;
        names = realloc(names, (size_t)cap * sizeof *names);
        if (!names) return 2;
      }
      names[nn++] = strdup(e->d_name);
    }
    closedir(d);
    if (nn) qsort(names, (size_t)nn, sizeof *names, cmp_str);
    for (int k = 0; k < nn; k++) {
      size_t pl = strlen(argv[i]) + strlen(names[k]) + 2;
      char *p = malloc(pl);
      if (!p) return 2;
      snprintf(p, pl, "%s/%s", argv[i], names[k]);
      struct stat fb;
      if (stat(p, &fb) == 0 && S_ISREG(fb.st_mode)) {
        errors += replay_file(p) != 0;
        files++;
      }
      free(p);
      free(names[k]);
    }
    free(names);
  }
  printf("fuzz-replay: %d inputs, %d unreadable\n", files, errors);
  return errors ? 1 : 0;
}
