/*
 * bundle.c — freezing what a run starts from, and reading its manifest.
 *
 * A run is pinned to the instrumented tree it began with: the tree (the
 * OUT root holding currant.graph.json, or the script's own directory for a
 * hand-instrumented script) is hashed file by file (path, size, permission
 * bits, bytes), sorted, and copied once to HOME/bundles/<sha256>.  A later
 * build makes a new bundle; old runs resume on the old one.  The copy is written to a temporary directory and
 * renamed into place, so a bundle directory is complete or absent.
 */
#include "coord.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* dst = a/b; false (and dst truncated) when it does not fit. */
static bool join(char *dst, size_t n, const char *a, const char *b) {
  int w = snprintf(dst, n, "%s/%s", a, b);
  return w >= 0 && (size_t)w < n;
}

typedef struct Files {
  char **rel;
  int n, cap;
  char **links; /* "rel\0target": OUT's node_modules symlinks (currantc links the sources') */
  int nlinks;
  bool has_home;    /* home below was stat'ed */
  struct stat home; /* the journal's home directory, never frozen (a --home inside the tree) */
} Files;

static bool skipped(const char *name) {
  return !strcmp(name, ".") || !strcmp(name, "..") || !strcmp(name, "node_modules") ||
         !strcmp(name, ".currant") || !strcmp(name, ".currant-cache") || !strcmp(name, ".git") ||
         !strcmp(name, "__pycache__");
}

/* A node_modules symlink of OUT (currantc links the sources' there) is
 * kept as a link in the bundle: its packages are not the codebase's and
 * are not copied, but the bundle's JavaScript must find them. */
static void collect_link(const char *full, const char *sub, Files *f) {
  struct stat st;
  char target[PATH_MAX];
  if (lstat(full, &st) != 0 || !S_ISLNK(st.st_mode)) return;
  ssize_t n = readlink(full, target, sizeof target - 1);
  if (n <= 0) return;
  target[n] = '\0';
  size_t a = strlen(sub) + 1, b = (size_t)n + 1;
  char *pair = malloc(a + b);
  if (!pair) return;
  memcpy(pair, sub, a);
  memcpy(pair + a, target, b);
  f->links = realloc(f->links, sizeof(char *) * (size_t)(f->nlinks + 1));
  f->links[f->nlinks++] = pair;
}

static int collect(const char *root, const char *rel, Files *f, int depth) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s%s%s", root, *rel ? "/" : "", rel);
  if (depth > 64) return 0; /* directory loops through symlinks stop here */
  DIR *d = opendir(path);
  if (!d) return -1;
  struct dirent *e;
  int rc = 0;
  while (rc == 0 && (e = readdir(d))) {
    char sub[PATH_MAX], full[PATH_MAX];
    snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
    if (!strcmp(e->d_name, "node_modules") && join(full, sizeof full, root, sub)) collect_link(full, sub, f);
    if (skipped(e->d_name)) continue;
    if (!join(full, sizeof full, root, sub)) continue;
    struct stat st;
    if (stat(full, &st) != 0) continue;
    if (S_ISDIR(st.st_mode) && f->has_home && st.st_dev == f->home.st_dev && st.st_ino == f->home.st_ino)
      continue; /* else each run's bundle would hold the home, its journal and every older bundle */
    if (S_ISDIR(st.st_mode)) {
      rc = collect(root, sub, f, depth + 1);
    } else if (S_ISREG(st.st_mode)) {
      if (f->n == f->cap) {
        f->cap = f->cap ? 2 * f->cap : 64;
        f->rel = realloc(f->rel, sizeof(char *) * (size_t)f->cap);
      }
      f->rel[f->n++] = strdup(sub);
    }
  }
  closedir(d);
  return rc;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *slurp(const char *path, size_t *n) {
  FILE *fp = fopen(path, "rb");
  if (!fp) return NULL;
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap);
  size_t r;
  while (buf && (r = fread(buf + len, 1, cap - len, fp)) > 0) {
    len += r;
    if (len == cap) buf = realloc(buf, cap *= 2);
  }
  fclose(fp);
  *n = len;
  return buf;
}

static int mkdirs(const char *path) {
  char tmp[PATH_MAX];
  snprintf(tmp, sizeof tmp, "%s", path);
  for (char *p = tmp + 1; *p; p++) {
    if (*p != '/') continue;
    *p = 0;
    if (mkdir(tmp, 0777) != 0 && errno != EEXIST) return -1;
    *p = '/';
  }
  return mkdir(tmp, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

/* Writes path with the permission bits mode (a script copied into the
 * bundle stays executable). */
static int write_file(const char *path, const char *data, size_t n, mode_t mode) {
  char dir[PATH_MAX];
  snprintf(dir, sizeof dir, "%s", path);
  if (mkdirs(dirname(dir)) < 0) return -1;
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return -1;
  if (fchmod(fd, mode & 0777) < 0) {
    close(fd);
    return -1;
  }
  size_t put = 0;
  while (put < n) {
    ssize_t w = write(fd, data + put, n - put);
    if (w <= 0) {
      close(fd);
      return -1;
    }
    put += (size_t)w;
  }
  return close(fd);
}

static void remove_tree(const char *path) {
  DIR *d = opendir(path);
  if (d) {
    struct dirent *e;
    while ((e = readdir(d))) {
      if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
      char sub[PATH_MAX];
      snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
      struct stat st;
      if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode)) remove_tree(sub);
      else unlink(sub);
    }
    closedir(d);
  }
  rmdir(path);
}

/* The OUT root: nearest ancestor directory of the script holding the
 * manifest (*found), else the script's own directory. */
static char *find_root(const char *script_abs, bool *found) {
  char dir[PATH_MAX];
  snprintf(dir, sizeof dir, "%s", script_abs);
  char *first = strdup(dirname(dir));
  snprintf(dir, sizeof dir, "%s", first);
  for (;;) {
    char probe[PATH_MAX + 32];
    snprintf(probe, sizeof probe, "%s/currant.graph.json", dir);
    if (access(probe, R_OK) == 0) {
      free(first);
      *found = true;
      return strdup(dir);
    }
    if (!strcmp(dir, "/")) break;
    char *up = dirname(dir);
    memmove(dir, up, strlen(up) + 1);
  }
  *found = false;
  return first;
}

/* A script outside any build is run only if it uses the runtime itself
 * (hand-instrumented: it names `currant`, or its channel, `CURRANT_FD`).
 * Any other would run with nothing journaled, its whole directory frozen
 * into the bundle (a script in $HOME: all of $HOME), never what was meant. */
static bool uses_runtime(const char *script_abs) {
  size_t n;
  char *text = slurp(script_abs, &n);
  bool yes = false;
  for (size_t i = 0; text && !yes && i + 7 <= n; i++) yes = strncasecmp(text + i, "currant", 7) == 0;
  free(text);
  return yes;
}

char *bundle_dir(const char *home, const char *hash) {
  size_t n = strlen(home) + strlen(hash) + 16;
  char *s = malloc(n);
  snprintf(s, n, "%s/bundles/%s", home, hash);
  return s;
}

static int copy_into(const char *root, Files *f, const char *tmp) {
  for (int i = 0; i < f->n; i++) {
    char src[PATH_MAX], dst[PATH_MAX];
    size_t n;
    if (!join(src, sizeof src, root, f->rel[i]) || !join(dst, sizeof dst, tmp, f->rel[i]))
      return -1;
    struct stat st;
    char *data = stat(src, &st) == 0 ? slurp(src, &n) : NULL;
    if (!data || write_file(dst, data, n, st.st_mode) < 0) {
      free(data);
      return -1;
    }
    free(data);
  }
  return 0;
}

/* OUT's node_modules links, made again in the bundle. */
static int make_links(const Files *f, const char *tmp) {
  for (int i = 0; i < f->nlinks; i++) {
    const char *rel = f->links[i], *target = rel + strlen(rel) + 1;
    char dst[PATH_MAX], parent[PATH_MAX];
    if (!join(dst, sizeof dst, tmp, rel)) return -1;
    memcpy(parent, dst, sizeof parent);
    if (mkdirs(dirname(parent)) < 0 || symlink(target, dst) < 0) return -1;
  }
  return 0;
}

bool bundle_rel_ok(const char *p) {
  if (!*p || *p == '/') return false;
  for (;;) {
    size_t n = strcspn(p, "/");
    if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && !strncmp(p, "..", 2))) return false;
    if (!p[n]) return true;
    p += n + 1;
  }
}

/* An npm package name: "name" or "@scope/name", no other '/'. */
static bool package_name_ok(const char *name) {
  const char *slash = strchr(name, '/');
  bool scoped = name[0] == '@';
  if (scoped ? !slash || strchr(slash + 1, '/') : slash != NULL) return false;
  return bundle_rel_ok(scoped ? name + 1 : name) && strcmp(name, "currant") != 0;
}

/* Links each entry of the directory from in the directory to (a scope's
 * entries one level down when scopes is set). */
static int link_entries(const char *from, const char *to, bool scopes) {
  DIR *d = opendir(from);
  if (!d) return 0; /* a dangling link: nothing to see through it */
  struct dirent *e;
  int rc = 0;
  while (rc == 0 && (e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    char src[PATH_MAX], dst[PATH_MAX];
    struct stat st;
    if (!join(src, sizeof src, from, e->d_name) || !join(dst, sizeof dst, to, e->d_name)) continue;
    if (scopes && e->d_name[0] == '@' && stat(src, &st) == 0 && S_ISDIR(st.st_mode))
      rc = mkdir(dst, 0777) < 0 ? -1 : link_entries(src, dst, false);
    else
      rc = symlink(src, dst);
  }
  closedir(d);
  return rc;
}

/* The bundle's node_modules, when it is OUT's link to the project's, becomes
 * a directory of links to the project's entries: the codebase's packages
 * can then be linked in it without writing into the project's node_modules
 * through the link.  True if it was. */
static bool see_through_link(const char *dir, int *rc) {
  char nm[PATH_MAX], target[PATH_MAX];
  struct stat st;
  if (!join(nm, sizeof nm, dir, "node_modules") || lstat(nm, &st) != 0 || !S_ISLNK(st.st_mode)) return false;
  ssize_t n = readlink(nm, target, sizeof target - 1);
  if (n <= 0 || unlink(nm) < 0 || mkdir(nm, 0777) < 0) {
    *rc = -1;
    return false;
  }
  target[n] = '\0';
  if (link_entries(target, nm, true) < 0) *rc = -1;
  return true;
}

/* Links each package of the codebase (the manifest's "packages") by name
 * in the bundle's node_modules: `require("@acme/utils")` from the bundle
 * then loads the bundle's instrumented copy, where Node would otherwise
 * reach the project's node_modules, whose workspace links point at the
 * uninstrumented sources.  The runtime's own name is never taken over. */
static int link_packages(const char *dir) {
  char path[PATH_MAX];
  if (!join(path, sizeof path, dir, "currant.graph.json")) return -1;
  json_t *man = json_load_file(path, 0, NULL);
  json_t *pkgs = json_object_get(man, "packages");
  size_t i;
  json_t *p;
  int rc = 0;
  bool seen_through = json_array_size(pkgs) > 0 && see_through_link(dir, &rc);
  json_array_foreach(pkgs, i, p) {
    const char *name = json_string_value(json_object_get(p, "name"));
    const char *pdir = json_string_value(json_object_get(p, "dir"));
    if (!name || !pdir || !package_name_ok(name) || !bundle_rel_ok(pdir)) continue;
    char rel[PATH_MAX], link[PATH_MAX], parent[PATH_MAX], target[PATH_MAX];
    int tn = snprintf(target, sizeof target, "%s%s", name[0] == '@' ? "../../" : "../", pdir);
    struct stat st;
    if (tn < 0 || (size_t)tn >= sizeof target || !join(rel, sizeof rel, "node_modules", name) ||
        !join(link, sizeof link, dir, rel)) {
      rc = -1;
      continue;
    }
    /* OUT's own node_modules keeps its entry; the project's (seen through
     * OUT's link) gives way to the bundle's copy */
    if (lstat(link, &st) == 0 && (!seen_through || !S_ISLNK(st.st_mode) || unlink(link) < 0)) continue;
    memcpy(parent, link, sizeof parent);
    if (mkdirs(dirname(parent)) < 0 || symlink(target, link) < 0) rc = -1;
  }
  json_decref(man);
  return rc;
}

int bundle_freeze(const char *home, const char *script, char **hash, char **entry, char *err,
                  size_t errlen) {
  char abs[PATH_MAX];
  if (!realpath(script, abs)) {
    snprintf(err, errlen, "%s: %s", script, strerror(errno));
    return -1;
  }
  bool built;
  char *root = find_root(abs, &built);
  if (!built && !uses_runtime(abs)) {
    snprintf(err, errlen,
             "%s is not instrumented (no currant.graph.json in its directory or above): build it first, "
             "`currantc build SRC -o OUT`, then `currant run OUT/...`",
             script);
    free(root);
    return -1;
  }
  Files f = {0};
  f.has_home = stat(home, &f.home) == 0;
  if (collect(root, "", &f, 0) < 0) {
    snprintf(err, errlen, "%s: cannot read: %s", root, strerror(errno));
    free(root);
    return -1;
  }
  qsort(f.rel, (size_t)f.n, sizeof(char *), cmp_str);
  Sha256 s;
  sha256_init(&s);
  int rc = 0;
  for (int i = 0; i < f.n && rc == 0; i++) {
    char path[PATH_MAX];
    size_t n;
    snprintf(path, sizeof path, "%s/%s", root, f.rel[i]);
    struct stat fst;
    char *data = stat(path, &fst) == 0 ? slurp(path, &n) : NULL;
    if (!data) {
      snprintf(err, errlen, "%s: %s", path, strerror(errno));
      rc = -1;
      break;
    }
    /* The permission bits are part of what is frozen (an executable
     * helper stays executable), so they are part of the name too: a
     * chmod alone makes a new bundle. */
    char len[48];
    snprintf(len, sizeof len, "%zu/%o", n, (unsigned)(fst.st_mode & 0777));
    sha256_update(&s, f.rel[i], strlen(f.rel[i]) + 1);
    sha256_update(&s, len, strlen(len) + 1);
    sha256_update(&s, data, n);
    free(data);
  }
  if (f.nlinks) qsort(f.links, (size_t)f.nlinks, sizeof(char *), cmp_str);
  for (int i = 0; i < f.nlinks && rc == 0; i++) {
    const char *rel = f.links[i], *target = rel + strlen(rel) + 1;
    sha256_update(&s, "L", 2); /* no file's name: a rel never starts a record this way */
    sha256_update(&s, rel, strlen(rel) + 1);
    sha256_update(&s, target, strlen(target) + 1);
  }
  char hex[65];
  sha256_hex(&s, hex);
  char *final = bundle_dir(home, hex);
  struct stat st;
  if (rc == 0 && stat(final, &st) != 0) {
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s/bundles/.tmp-%ld-%s", home, (long)getpid(), hex);
    remove_tree(tmp);
    if (mkdirs(tmp) < 0 || copy_into(root, &f, tmp) < 0 || make_links(&f, tmp) < 0 ||
        link_packages(tmp) < 0) {
      snprintf(err, errlen, "cannot freeze the bundle into %s: %s", tmp, strerror(errno));
      rc = -1;
    } else if (rename(tmp, final) != 0) {
      remove_tree(tmp); /* another coordinator froze the same bundle first */
      if (stat(final, &st) != 0) {
        snprintf(err, errlen, "cannot rename %s: %s", tmp, strerror(errno));
        rc = -1;
      }
    }
  }
  if (rc == 0) {
    *hash = strdup(hex);
    *entry = strdup(abs + strlen(root) + (strcmp(root, "/") ? 1 : 0));
  }
  for (int i = 0; i < f.n; i++) free(f.rel[i]);
  for (int i = 0; i < f.nlinks; i++) free(f.links[i]);
  free(f.rel);
  free(f.links);
  free(final);
  free(root);
  return rc;
}

/* ------------------------------------------------------------ manifest */

struct Manifest {
  json_t *root;
  json_t *sites; /* "file\tindex" -> site node */
};

Manifest *manifest_load(const char *dir) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/currant.graph.json", dir);
  Manifest *m = calloc(1, sizeof *m);
  m->sites = json_object();
  m->root = json_load_file(path, 0, NULL);
  json_t *nodes = m->root ? json_object_get(m->root, "nodes") : NULL;
  size_t i;
  json_t *node;
  json_array_foreach(nodes, i, node) {
    json_t *file = json_object_get(node, "file"), *index = json_object_get(node, "index");
    if (!json_is_string(file) || !json_is_integer(index)) continue;
    char key[PATH_MAX + 32];
    snprintf(key, sizeof key, "%s\t%lld", json_string_value(file),
             (long long)json_integer_value(index));
    json_object_set(m->sites, key, node);
  }
  return m;
}

void manifest_free(Manifest *m) {
  if (!m) return;
  json_decref(m->root);
  json_decref(m->sites);
  free(m);
}

json_t *manifest_site(Manifest *m, const char *file, int index) {
  char key[PATH_MAX + 32];
  if (!m || !file) return NULL;
  snprintf(key, sizeof key, "%s\t%d", file, index);
  return json_object_get(m->sites, key);
}

json_t *manifest_python_path(Manifest *m) {
  json_t *config = m && m->root ? json_object_get(m->root, "config") : NULL;
  json_t *roots = json_object_get(config, "python_path");
  return json_is_array(roots) ? roots : NULL;
}

const char *manifest_where(Manifest *m, const char *file, int index, char *buf, size_t n) {
  json_t *s = manifest_site(m, file, index);
  if (!file || !*file || index < 0) {
    snprintf(buf, n, "(runtime)");
  } else if (!s) {
    snprintf(buf, n, "%s site %d", file, index);
  } else {
    const char *fn = json_string_value(json_object_get(s, "function"));
    const char *callee = json_string_value(json_object_get(s, "callee"));
    snprintf(buf, n, "%s:%lld (%s: %s)", file,
             (long long)json_integer_value(json_object_get(s, "line")),
             fn && *fn ? fn : "<module>", callee ? callee : "?");
  }
  return buf;
}
