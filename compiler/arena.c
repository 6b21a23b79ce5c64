/*
 * arena.c — where tree-sitter's memory goes during a build: a bump arena
 * per thread, emptied whole between files.
 *
 * A build parses a file, runs its names pass and drops the tree at once
 * (driver.c, analyse_for_build): nothing tree-sitter allocates for a file
 * outlives that file.  Freeing a tree node by node walks every node
 * (ts_subtree_release), and millions of small mallocs and frees cost more;
 * a bare parse into an arena that is then simply reset measured 13-16%
 * faster than the same parse on malloc (npm's JavaScript 0.565 -> 0.492 s,
 * the stdlib 2.80 -> 2.46 s, single-threaded).  So while a thread's arena
 * is open (arena_open .. arena_close), tree-sitter's allocations on that
 * thread bump a pointer in a region reserved for it, its frees do nothing,
 * and closing forgets it all.  The parser must live there too (its stacks
 * grow during a parse): parse.c makes a fresh one per file in an open arena.
 *
 * Outside an open arena (currantc check, which keeps its trees; a thread
 * that never opened one) every allocation goes to malloc, and a free of
 * malloc'd memory to free.  A file too big for the region spills: what no
 * longer fits goes to malloc, and arena_spilled() tells the caller to free
 * the tree and the parser the usual way (frees of arena blocks stay no-ops).
 * Under ASan a closed arena is poisoned, so a node read after its tree was
 * dropped is reported as a use after free would be.
 *
 * Invariant: arena memory is used by the thread that allocated it, between
 * its arena_open and arena_close, and nothing allocated in it is kept past
 * arena_close.
 */
#include "currant.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* Reserved (not committed) per thread.  Trees take ~40 bytes per source
 * byte, so files up to ~6 MB fit; larger ones spill. */
#define ARENA_BYTES ((size_t)256 << 20)
/* Pages kept between files: a file that went past this returns the rest
 * to the system when its arena closes, so one big file does not keep a
 * build's memory high to the end. */
#define ARENA_KEEP ((size_t)32 << 20)
/* Each block is preceded by its size (realloc must copy it); 16 keeps
 * the alignment malloc gives. */
#define HEADER 16

typedef struct {
  char *base;   /* the reserved region, NULL until the first open */
  char *top;    /* the next free byte */
  char *high;   /* how far pages are committed (the highest top since the last trim) */
  bool open;    /* between arena_open and arena_close */
  bool spilled; /* some allocation since arena_open went to malloc */
  bool failed;  /* the region could not be reserved: this thread never uses one */
} Arena;

static __thread Arena arena;
static bool installed; /* arena_install was called: tree-sitter allocates here */

static bool owns(const void *p) { return arena.base && (uintptr_t)p - (uintptr_t)arena.base < ARENA_BYTES; }

static size_t rounded(size_t n) { return (n + HEADER - 1) & ~(size_t)(HEADER - 1); }

/* A block of n bytes at the top of the open arena, or NULL (closed, or full). */
static void *bump(size_t n) {
  if (!arena.open) return NULL;
  size_t need = HEADER + rounded(n);
  if ((size_t)(arena.base + ARENA_BYTES - arena.top) < need) {
    arena.spilled = true;
    return NULL;
  }
  char *p = arena.top + HEADER;
  UNPOISON(arena.top, need);
  memcpy(arena.top, &(size_t){rounded(n)}, sizeof(size_t));
  arena.top += need;
  return p;
}

static size_t block_size(const void *p) {
  size_t n;
  memcpy(&n, (const char *)p - HEADER, sizeof n);
  return n;
}

static void *arena_malloc(size_t n) {
  void *p = bump(n);
  return p ? p : xmalloc(n);
}

static void *arena_calloc(size_t k, size_t n) {
  if (n && k > SIZE_MAX / n) return xcalloc(k, n); /* overflows: calloc says so */
  void *p = bump(k * n);
  return p ? memset(p, 0, k * n) : xcalloc(k, n); /* arena memory is reused, not zeroed */
}

static void *arena_realloc(void *p, size_t n) {
  if (!p) return arena_malloc(n);
  if (!owns(p)) return xrealloc(p, n);
  size_t old = block_size(p);
  /* the last block grows in place: a parser's stacks grow this way */
  if (arena.open && (char *)p + old == arena.top &&
      (size_t)(arena.base + ARENA_BYTES - (char *)p) >= rounded(n)) {
    UNPOISON(p, rounded(n));
    memcpy((char *)p - HEADER, &(size_t){rounded(n)}, sizeof(size_t));
    arena.top = (char *)p + rounded(n);
    return p;
  }
  if (n <= old) return p;
  void *q = arena_malloc(n);
  memcpy(q, p, old);
  return q;
}

static void arena_free(void *p) {
  if (!owns(p)) free(p);
}

void arena_install(void) {
  installed = true;
  ts_set_allocator(arena_malloc, arena_calloc, arena_realloc, arena_free);
}

bool arena_open(void) {
  if (!installed || arena.failed) return false;
  if (!arena.base) {
    void *m =
        mmap(NULL, ARENA_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED) {
      arena.failed = true; /* e.g. a tight ulimit -v: malloc serves, as before */
      return false;
    }
    arena.base = arena.top = arena.high = m;
    POISON(arena.base, ARENA_BYTES);
  }
  arena.top = arena.base;
  arena.open = true;
  arena.spilled = false;
  return true;
}

bool arena_is_open(void) { return arena.open; }

bool arena_spilled(void) { return arena.open && arena.spilled; }

void arena_close(void) {
  if (!arena.open) return;
  arena.open = false;
  if (arena.top > arena.high) arena.high = arena.top;
  if (arena.high > arena.base + ARENA_KEEP) {
    madvise(arena.base + ARENA_KEEP, (size_t)(arena.high - arena.base) - ARENA_KEEP, MADV_DONTNEED);
    arena.high = arena.base + ARENA_KEEP;
  }
  POISON(arena.base, (size_t)(arena.top - arena.base));
  arena.top = arena.base;
}

void arena_thread_done(void) {
  if (!arena.base) return;
  arena_close();
  munmap(arena.base, ARENA_BYTES);
  arena.base = arena.top = arena.high = NULL;
}
