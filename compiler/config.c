/*
 * config.c — the optional currant.json at the build root, and the glob
 * matcher its include/exclude patterns (and .gitignore) use.
 *
 *   { "include":    ["app"],
 *     "exclude":    ["app/vendor", "tests"],
 *     "boundaries": { "python": ["billing.charge", "requests.*"],
 *                     "javascript": ["axios.*"] },
 *     "python_path": ["src"] }
 *
 * Unknown keys are warnings, not errors: a newer config should still build
 * with an older compiler.  Wrong types are errors with the file position.
 */
#include "currant.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *lang_keys[LANG_COUNT] = {"python", "javascript"};

static int load_strings(const char *path, json_t *arr, const char *what, Vec *out) {
  if (!json_is_array(arr)) {
    diag_report(DIAG_ERROR, path, 0, 0, "\"%s\" must be an array of strings", what);
    return -1;
  }
  size_t i;
  json_t *v;
  json_array_foreach(arr, i, v) {
    if (!json_is_string(v)) {
      diag_report(DIAG_ERROR, path, 0, 0, "\"%s\"[%zu] must be a string", what, i);
      return -1;
    }
    vec_push(out, xstrdup(json_string_value(v)));
  }
  return 0;
}

static int load_boundaries(const char *path, json_t *obj, Config *cfg) {
  if (!json_is_object(obj)) {
    diag_report(DIAG_ERROR, path, 0, 0, "\"boundaries\" must be an object keyed by language");
    return -1;
  }
  const char *key;
  json_t *v;
  json_object_foreach(obj, key, v) {
    int lang = -1;
    for (int l = 0; l < LANG_COUNT; l++)
      if (strcmp(key, lang_keys[l]) == 0) lang = l;
    if (lang < 0) {
      diag_report(DIAG_WARNING, path, 0, 0, "unknown language \"%s\" in \"boundaries\" (python, javascript)",
                  key);
      continue;
    }
    char *what = xasprintf("boundaries.%s", key);
    int rc = load_strings(path, v, what, &cfg->boundaries[lang]);
    free(what);
    if (rc < 0) return -1;
  }
  return 0;
}

/* "python_path": directories under the root, each as sys.path would hold
 * it (a src layout's "src").  A path leaving the root is an error; "./a/"
 * is stored as "a". */
static int load_python_path(const char *path, json_t *arr, Config *cfg) {
  cfg->python_path_set = true;
  if (load_strings(path, arr, "python_path", &cfg->python_path) < 0) return -1;
  for (int i = 0; i < cfg->python_path.len; i++) {
    char *dir = cfg->python_path.items[i];
    while (dir[0] == '.' && dir[1] == '/') memmove(dir, dir + 2, strlen(dir + 2) + 1);
    size_t n = strlen(dir);
    while (n > 0 && dir[n - 1] == '/') dir[--n] = '\0';
    if (!path_is_plain(dir)) {
      diag_report(
          DIAG_ERROR, path, 0, 0,
          "\"python_path\"[%d] must name a directory below the root (the root itself is always searched)", i);
      return -1;
    }
  }
  return 0;
}

static int load_object(const char *path, json_t *root, Config *cfg) {
  if (!json_is_object(root)) {
    diag_report(DIAG_ERROR, path, 1, 1, "currant.json must hold a JSON object");
    return -1;
  }
  const char *key;
  json_t *v;
  json_object_foreach(root, key, v) {
    int rc = 0;
    if (strcmp(key, "include") == 0)
      rc = load_strings(path, v, key, &cfg->include);
    else if (strcmp(key, "exclude") == 0)
      rc = load_strings(path, v, key, &cfg->exclude);
    else if (strcmp(key, "boundaries") == 0)
      rc = load_boundaries(path, v, cfg);
    else if (strcmp(key, "python_path") == 0)
      rc = load_python_path(path, v, cfg);
    else if (strcmp(key, "$schema") != 0)
      diag_report(DIAG_WARNING, path, 0, 0, "unknown key \"%s\" ignored", key);
    if (rc < 0) return -1;
  }
  return 0;
}

int config_load(const char *root, Config *cfg) {
  *cfg = (Config){0};
  char *path = xasprintf("%s/currant.json", root);
  size_t len;
  char *text = read_file(path, &len);
  if (!text) {
    int missing = errno == ENOENT || errno == ENOTDIR;
    if (!missing) diag_report(DIAG_ERROR, path, 0, 0, "cannot read: %s", strerror(errno));
    free(path);
    cfg->hash = xstrdup("");
    return missing ? 0 : -1;
  }
  char hash[65];
  sha256_hex(text, len, hash);
  cfg->hash = xstrdup(hash);
  cfg->path = path;
  json_error_t err;
  json_t *root_json = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
  free(text);
  if (!root_json) {
    diag_report(DIAG_ERROR, path, (uint32_t)(err.line > 0 ? err.line : 1),
                (uint32_t)(err.column > 0 ? err.column : 1), "invalid JSON: %s", err.text);
    return -1;
  }
  int rc = load_object(path, root_json, cfg);
  json_decref(root_json);
  return rc;
}

static void free_strings(Vec *v) {
  for (int i = 0; i < v->len; i++) free(v->items[i]);
  vec_free(v);
}

void config_free(Config *cfg) {
  free_strings(&cfg->include);
  free_strings(&cfg->exclude);
  for (int l = 0; l < LANG_COUNT; l++) free_strings(&cfg->boundaries[l]);
  free_strings(&cfg->python_path);
  free(cfg->path);
  free(cfg->hash);
  *cfg = (Config){0};
}

/* Glob matching with `*` (within a segment), `**` (any number of segments,
 * including none when written `**` + `/`) and `?`.  Patterns come from
 * config files, so the backtracking depth is bounded by the pattern. */
static bool glob_at(const char *p, const char *s) {
  for (; *p; p++, s++) {
    if (p[0] == '*' && p[1] == '*') {
      const char *rest = p + 2;
      if (*rest == '/') {
        if (glob_at(rest + 1, s)) return true; /* zero directories */
      }
      for (const char *t = s;; t++) {
        if (glob_at(rest, t)) return true;
        if (!*t) return false;
      }
    }
    if (*p == '*') {
      for (const char *t = s;; t++) {
        if (glob_at(p + 1, t)) return true;
        if (!*t || *t == '/') return false;
      }
    }
    if (!*s) return false;
    if (*p != '?' && *p != *s) return false;
    if (*p == '?' && *s == '/') return false;
  }
  return *s == '\0';
}

bool glob_match(const char *pattern, const char *rel) {
  if (glob_at(pattern, rel)) return true;
  /* A pattern naming a directory matches everything below it. */
  size_t n = strlen(rel);
  char *prefix = xstrndup(rel, n);
  bool hit = false;
  for (char *s = strrchr(prefix, '/'); s && !hit; s = strrchr(prefix, '/')) {
    *s = '\0';
    hit = glob_at(pattern, prefix);
  }
  free(prefix);
  return hit;
}
