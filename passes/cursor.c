/*
 * cursor.c — the walk over a tree's visible nodes that the names passes
 * make once per file.
 *
 * It moves exactly as tree-sitter's TSTreeCursor does: the same nodes in
 * the same order, hidden nodes looked through, aliases and field ids as
 * ts_tree_cursor_current_node / _current_field_id give them.  What differs
 * is the cost of a step.  TSTreeCursor keeps only the path to the current
 * node and, at every goto_next_sibling, rebuilds the parent's walk over its
 * children (its alias sequence, its visibility) and steps over the current
 * child again, through a function pointer: ~515 instructions a sibling in
 * tree-sitter 0.25, so that a full walk cost 19% of a JavaScript parse.
 * Here each level keeps its walk over its children, and a step is one
 * child's worth of work.
 *
 * This file alone reads tree-sitter's internal headers (subtree, language,
 * tree): grammars/ pins the version, and the unit tests compare every step
 * with TSTreeCursor's on the golden inputs, so that a new tree-sitter that
 * changed them fails there, not in a build.
 */
#include "currant.h"

#include "length.h"
#include "language.h"
#include "subtree.h"
#include "tree.h"

/* One node on the path from the root to the current node. */
struct CursorFrame {
  const Subtree *subtree;    /* the node */
  Length position;           /* where it starts (after its padding) */
  uint32_t structural;       /* its index among its parent's non-extra children */
  TSSymbol alias;            /* its alias in its parent's production, 0 if none */
  bool visible;              /* a node the cursor stops at (named or anonymous) */
  uint32_t count;            /* entered: its children */
  uint32_t next;             /* entered: index of its next child */
  uint32_t next_structural;  /* entered: that child's structural index */
  Length next_position;      /* entered: where that child starts */
  const TSSymbol *aliases;   /* entered: its production's alias sequence, or NULL */
};

static const TSLanguage *language_of(const WalkCursor *c) { return c->tree->language; }

static CursorFrame *top(const WalkCursor *c) { return &c->frames[c->n - 1]; }

/* Room for one more frame, frames[n] (it may move the frames). */
static void reserve(WalkCursor *c) {
  if (c->n < c->cap) return;
  c->cap = c->cap ? 2 * c->cap : 64;
  c->frames = xrealloc(c->frames, (size_t)c->cap * sizeof *c->frames);
}

void cursor_init(WalkCursor *c, const TSTree *tree) {
  *c = (WalkCursor){.tree = tree};
  TSNode root = ts_tree_root_node(tree);
  reserve(c);
  c->frames[c->n++] = (CursorFrame){.subtree = (const Subtree *)root.id,
                                    .position = {ts_node_start_byte(root), ts_node_start_point(root)},
                                    .visible = true};
}

void cursor_free(WalkCursor *c) {
  free(c->frames);
  *c = (WalkCursor){0};
}

/* Starts f's walk over its children. */
static void enter(const TSLanguage *lang, CursorFrame *f) {
  f->next = f->next_structural = 0;
  f->next_position = f->position;
  f->count = ts_subtree_child_count(*f->subtree);
  f->aliases = f->count ? ts_language_alias_sequence(lang, f->subtree->ptr->production_id) : NULL;
}

/* The next child of p into *out; false after the last. */
static inline bool step(CursorFrame *p, CursorFrame *out) {
  uint32_t count = p->count;
  if (p->next >= count) return false;
  const Subtree *children = ts_subtree_children(*p->subtree), *child = &children[p->next];
  TSSymbol alias = 0;
  *out = (CursorFrame){.subtree = child, .position = p->next_position, .structural = p->next_structural};
  if (!ts_subtree_extra(*child)) {
    if (p->aliases) alias = p->aliases[p->next_structural];
    p->next_structural++;
  }
  out->alias = alias;
  out->visible = ts_subtree_visible(*child) || alias != 0;
  p->next_position = length_add(p->next_position, ts_subtree_size(*child));
  if (++p->next < count) p->next_position = length_add(p->next_position, ts_subtree_padding(children[p->next]));
  return true;
}

/* Continues the walk of the top frame's children to the next node that is
 * visible or holds visible nodes, pushed; false if none. */
static bool push_next_child(WalkCursor *c) {
  reserve(c);
  CursorFrame *parent = top(c), *child = parent + 1;
  while (step(parent, child)) {
    if (child->visible || ts_subtree_visible_child_count(*child->subtree) > 0) {
      c->n++;
      return true;
    }
  }
  return false;
}

/* From a hidden node on top (it holds visible nodes), down to the first. */
static void descend_to_visible(WalkCursor *c) {
  while (!top(c)->visible) {
    enter(language_of(c), top(c));
    push_next_child(c);
  }
}

bool cursor_first_child(WalkCursor *c) {
  enter(language_of(c), top(c));
  if (!push_next_child(c)) return false;
  descend_to_visible(c);
  return true;
}

bool cursor_next_sibling(WalkCursor *c) {
  int n = c->n;
  while (c->n > 1) {
    bool was_visible = top(c)->visible;
    c->n--;
    /* Up past a visible node: its siblings are not this node's. */
    if (was_visible && c->n + 1 < n) break;
    if (push_next_child(c)) {
      descend_to_visible(c);
      return true;
    }
  }
  c->n = n; /* nothing was pushed: the frames above are as they were */
  return false;
}

bool cursor_parent(WalkCursor *c) {
  for (int i = c->n - 2; i >= 0; i--)
    if (c->frames[i].visible) {
      c->n = i + 1;
      return true;
    }
  return false;
}

TSNode cursor_node(const WalkCursor *c) {
  const CursorFrame *f = top(c);
  return ts_node_new(c->tree, f->subtree, f->position, f->alias);
}

TSSymbol cursor_symbol(const WalkCursor *c) {
  const CursorFrame *f = top(c);
  return ts_language_public_symbol(language_of(c), f->alias ? f->alias : ts_subtree_symbol(*f->subtree));
}

/* As ts_tree_cursor_current_field_id: the field of the current node, or of
 * the hidden nodes between it and its visible parent. */
TSFieldId cursor_field_id(const WalkCursor *c) {
  for (int i = c->n - 1; i > 0; i--) {
    const CursorFrame *e = &c->frames[i], *p = &c->frames[i - 1];
    if (i != c->n - 1 && e->visible) break;
    if (ts_subtree_extra(*e->subtree)) break;
    const TSFieldMapEntry *map, *end;
    ts_language_field_map(language_of(c), p->subtree->ptr->production_id, &map, &end);
    for (; map < end; map++)
      if (!map->inherited && map->child_index == e->structural) return map->field_id;
  }
  return 0;
}
