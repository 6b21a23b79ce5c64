/*
 * packages.c — what a package.json tells Node about the files of its
 * package, for link.c to resolve specifiers that are not relative paths:
 * "#internal/db" through the importer's package "imports", and a bare
 * "@acme/utils/clock" through the "exports" (or "main") of the codebase's
 * package of that name (a workspace of a monorepo, or the importer's own
 * package referring to itself).
 *
 * This is Node's resolution (the "Packages" page of its documentation)
 * narrowed to what a build can know: targets must be "./" paths inside
 * the package (a bare target names a package outside the codebase), one
 * `*` per pattern, conditions "node", "import" (an ES module importer) or
 * "require" (CommonJS), and "default", tried in the order the document
 * lists them, arrays as fallbacks.  Every answer is a path relative to the
 * SRC root, or NULL: link.c then treats the specifier as external.
 */
#include "currant.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Conditions and fallbacks nest; a document nesting deeper is hostile. */
#define MAX_TARGET_DEPTH 32

static bool condition_applies(const char *key, bool esm) {
  return strcmp(key, "default") == 0 || strcmp(key, "node") == 0 || strcmp(key, esm ? "import" : "require") == 0;
}

/* Node refuses targets that climb out of the package or into its
 * node_modules: after the "./", a segment "..", "." or "node_modules". */
static bool target_stays_inside(const char *t) {
  const char *rest = t + 2;
  for (const char *s = rest; (s = strstr(s, "node_modules")); s++)
    if ((s == rest || s[-1] == '/') && (s[12] == '/' || !s[12])) return false;
  return path_is_plain(rest);
}

/* A target with every '*' replaced by star (NULL: taken as written). */
static char *expand(const char *t, const char *star) {
  if (!star) return xstrdup(t);
  StrBuf b = {0};
  for (const char *p = t; *p; p++) {
    if (*p == '*')
      str_puts(&b, star);
    else
      str_append(&b, p, 1);
  }
  return str_take(&b);
}

/* A target value: a "./" string, an array of fallbacks, or an object of
 * conditions; the first that applies and resolves, or NULL. */
static char *resolve_target(json_t *t, const char *star, bool esm, int depth) {
  if (depth > MAX_TARGET_DEPTH) return NULL;
  if (json_is_string(t)) {
    const char *s = json_string_value(t);
    if (strncmp(s, "./", 2) != 0) return NULL;
    char *path = expand(s, star);
    if (target_stays_inside(path)) return path;
    free(path);
    return NULL;
  }
  size_t i;
  const char *key;
  json_t *v;
  char *found = NULL;
  if (json_is_array(t)) {
    json_array_foreach(t, i, v) {
      if ((found = resolve_target(v, star, esm, depth + 1))) return found;
    }
  } else if (json_is_object(t)) {
    json_object_foreach(t, key, v) {
      if (condition_applies(key, esm) && (found = resolve_target(v, star, esm, depth + 1))) return found;
    }
  }
  return NULL;
}

/* The entry of map for key: an exact key, else the pattern (a key with
 * one '*', standing for any text) whose text before the star is the
 * longest match; resolved as resolve_target does. */
static char *map_lookup(json_t *map, const char *key, bool esm) {
  json_t *exact = json_object_get(map, key);
  if (exact && !strchr(key, '*')) return resolve_target(exact, NULL, esm, 0);
  const char *k, *best_key = NULL;
  json_t *v, *best = NULL;
  size_t best_len = 0, klen = strlen(key);
  json_object_foreach(map, k, v) {
    const char *star = strchr(k, '*');
    if (!star || strchr(star + 1, '*')) continue;
    size_t pre = (size_t)(star - k), post = strlen(star + 1);
    bool fits = klen >= pre + post && !strncmp(key, k, pre) && !strcmp(key + klen - post, star + 1);
    if (fits && (!best || pre > best_len)) best = v, best_key = k, best_len = pre;
  }
  if (!best) return NULL;
  size_t post = strlen(strchr(best_key, '*') + 1);
  char *star = xstrndup(key + best_len, klen - best_len - post);
  char *out = resolve_target(best, star, esm, 0);
  free(star);
  return out;
}

/* path ("./lib/x.js") joined to the package's directory. */
static char *in_package(const JsPackage *p, char *path) {
  if (!path) return NULL;
  char *out = *p->dir ? xasprintf("%s/%s", p->dir, path + 2) : xstrdup(path + 2);
  free(path);
  return out;
}

/* "exports" is a subpath map when its keys start with '.'; else (a
 * string, an array, an object of conditions) it is the "." entry. */
static bool is_subpath_map(json_t *e) {
  const char *k;
  json_t *v;
  json_object_foreach(e, k, v) return k[0] == '.';
  return false;
}

bool pkg_has_exports(const JsPackage *p) { return json_object_get(p->json, "exports") != NULL; }

char *pkg_exports_path(const JsPackage *p, const char *subpath, bool esm) {
  json_t *e = json_object_get(p->json, "exports");
  if (!e) return NULL;
  if (json_is_object(e) && is_subpath_map(e)) return in_package(p, map_lookup(e, subpath, esm));
  return strcmp(subpath, ".") == 0 ? in_package(p, resolve_target(e, NULL, esm, 0)) : NULL;
}

char *pkg_imports_path(const JsPackage *p, const char *spec, bool esm) {
  json_t *imports = json_object_get(p->json, "imports");
  return json_is_object(imports) ? in_package(p, map_lookup(imports, spec, esm)) : NULL;
}

char *pkg_main_path(const JsPackage *p) {
  const char *main = json_string_value(json_object_get(p->json, "main"));
  if (!main || !*main) main = "index";
  while (main[0] == '.' && main[1] == '/') main += 2;
  return *p->dir ? xasprintf("%s/%s", p->dir, main) : xstrdup(main);
}
