/*
 * shim_main.c — a stand-in `currantc` that only knows `check`, linked with
 * every compiler object but main.c.  tests/suites/83-check.sh uses it when
 * build/currantc does not (yet) route `check` to check_command().
 */
#include "currant.h"

#include <string.h>

int main(int argc, char **argv) {
  if (argc >= 2 && strcmp(argv[1], "check") == 0) return check_command(argc - 1, argv + 1);
  fprintf(stderr, "currantc (check shim): only 'check' is available\n");
  return EXIT_USAGE;
}
