/* moves.c — move checking: what each expression does to places, and the
 * errors that need no control flow.
 *
 * requires: a typed fn body; produces: on each expression the places it
 * uses, borrows, moves or assigns (Expr.bck_uses, for the CFG), E0507,
 * E0508, E0509 and E0384, and the Local flags `moved`, `moved_fields`,
 * `used` that codegen's drops read. The walk is structured and carries the
 * set of places that may have been moved (`s`, `p.name`, `b.*`): a branch
 * joins by union, a loop body is walked twice. E0382 and E0381 are then
 * found on the control-flow graph by cfg_check_moves (at the end of this
 * file), with the same sets as dataflow facts. A place is in conflict with
 * a moved one when either is a prefix of the other, so using `p.age` after
 * moving `p.name` is fine and using `p` is not — as rustc. */
#include "borrowck.h"
#include "place.h"
#include "loans.h"

#include <string.h>

typedef struct Moved {
    Place *pl;    /* the place moved (or, uninit, declared without a value) */
    Span at;      /* where it was moved */
    bool uninit;  /* not a move: declared without a value (`let x;`), E0381 on use */
    bool maybe;   /* only on some paths */
    Capture *cap; /* moved into a closure by this capture */
} Moved;

typedef struct State {
    List moved;   /* List of Moved * */
    bool dead;    /* unreachable (after break/continue/return) */
} State;

typedef enum Mode {
    M_READ,   /* copied out, or borrowed */
    M_MOVE,   /* moved (unless Copy) */
} Mode;

typedef struct LoopSt {
    struct LoopSt *parent;
    const char *label;
    State *exit;      /* joined from every `break` out of this loop */
} LoopSt;

typedef struct Bck {
    LoopSt *loops;
    Program *prog;
    FnDef *fn;
    bool report;
    int loop_pass;  /* >0 while walking a loop body the second time */
    List reported;  /* List of Span *: uses already reported */
    Closure *closure; /* the closure whose body is walked, or NULL */
} Bck;

static Bck *bk;

static State *st_new(void) { return NEW(State); }

static State *st_copy(State *s)
{
    State *c = NEW(State);
    for (int i = 0; i < s->moved.len; i++)
        list_push(&c->moved, s->moved.items[i]);
    c->dead = s->dead;
    return c;
}

static bool has_path(State *s, const Place *pl)
{
    for (int i = 0; i < s->moved.len; i++)
        if (!strcmp(((Moved *)s->moved.items[i])->pl->key, pl->key))
            return true;
    return false;
}

/* into := into ∪ other (a dead side contributes nothing) */
static void st_join(State *into, State *other)
{
    if (other->dead)
        return;
    if (into->dead) {
        into->moved = (List){0};
        for (int i = 0; i < other->moved.len; i++)
            list_push(&into->moved, other->moved.items[i]);
        into->dead = false;
        return;
    }
    for (int i = 0; i < into->moved.len; i++) {
        Moved *m = into->moved.items[i];
        if (m->uninit && !m->maybe && !has_path(other, m->pl)) {
            Moved *c = NEW(Moved);
            *c = *m;
            c->maybe = true;
            into->moved.items[i] = c;
        }
    }
    for (int i = 0; i < other->moved.len; i++) {
        Moved *m = other->moved.items[i];
        if (has_path(into, m->pl))
            continue;
        if (m->uninit && !m->maybe) {
            Moved *c = NEW(Moved);
            *c = *m;
            c->maybe = true;
            m = c;
        }
        list_push(&into->moved, m);
    }
}

static Moved *conflict(State *s, const Place *pl)
{
    for (int i = 0; i < s->moved.len; i++) {
        Moved *m = s->moved.items[i];
        if (place_overlaps(m->pl, pl))
            return m;
    }
    return NULL;
}

static void reinit(State *s, const Place *pl)
{
    for (int i = 0; i < s->moved.len; i++)
        if (place_within(pl, ((Moved *)s->moved.items[i])->pl)) {
            s->moved.items[i] = s->moved.items[--s->moved.len];
            i--;
        }
}

static Expr *unparen(Expr *e)
{
    while (e->kind == EX_PAREN)
        e = e->operand;
    return e;
}

/* The place e names when it is a local or a field path through owned
 * values (and Box derefs); NULL for anything reached through a reference. */
static Place *place_path(Expr *e)
{
    e = unparen(e);
    switch (e->kind) {
    case EX_PATH:
        if (e->def && e->def->kind == DEF_LOCAL)
            return place_local(e->def->local);
        return NULL;
    case EX_FIELD:
    case EX_TUPLE_FIELD: {
        FieldRes *fr = e->sema;
        if (!fr)
            return NULL;
        Type *t = e->operand->ty;
        for (int i = 0; i < fr->derefs; i++) {
            if (!t || !ty_is_std(t, STD_BOX))
                return NULL; /* through a reference: not an owned place */
            t = t->args[0];
        }
        Place *base = place_path(e->operand);
        if (!base)
            return NULL;
        for (int i = 0; i < fr->derefs; i++)
            base = place_proj(base, PJ_DEREF, NULL);
        return place_proj(base, PJ_FIELD, e->kind == EX_FIELD ? e->name : xprintf("%u", e->index));
    }
    case EX_UNARY:
        if (e->unop == UN_DEREF && e->operand->ty && ty_is_std(e->operand->ty, STD_BOX)) {
            Place *base = place_path(e->operand);
            return base ? place_proj(base, PJ_DEREF, NULL) : NULL;
        }
        return NULL;
    default:
        return NULL;
    }
}

static bool already_reported(Span s)
{
    for (int i = 0; i < bk->reported.len; i++)
        if (((Span *)bk->reported.items[i])->lo == s.lo)
            return true;
    Span *p = NEW(Span);
    *p = s;
    list_push(&bk->reported, p);
    return false;
}

/* Record which part of root a move takes, for codegen's drop flags: the whole
 * value, one direct field (a flag per field), or something deeper. */
static void note_moved_part(Place *pl, Span at)
{
    Local *root = pl->local;
    if (place_is_local(pl)) {
        root->moved_whole = true;
        return;
    }
    const char *steps = place_steps(pl);
    bool deref = pl->n == 1 && pl->proj[0].kind == PJ_DEREF; /* `*b` of a Box: its contents */
    /* fields, or fields of a Box's contents (`b.name` of a Box<S> is `*b.name`) */
    bool deeper = false;
    for (int i = pl->proj[0].kind == PJ_DEREF ? 1 : 0; i < pl->n; i++)
        deeper |= pl->proj[i].kind == PJ_DEREF;
    if (!deref && deeper) {
        /* through a Box further in: codegen could not drop the rest part by part */
        root->moved_deep = true;
        if (bk->report)
            diag_error(NULL, at, "moving a part out of a `Box` inside another value is not supported by mrsc yet");
        return;
    }
    for (int i = 0; i < root->moved_fields.len; i++)
        if (!strcmp(root->moved_fields.items[i], steps))
            return;
    list_push(&root->moved_fields, (char *)steps);
}

/* Note on e what it does to a place, for the CFG (cfg.c turns it into a
 * statement where it meets e); a loop body walked twice notes it once. */
static void record(Expr *e, CfgOp op, Place *pl, bool borrow, Span at)
{
    for (int i = 0; i < e->bck_uses.len; i++) {
        BckUse *u = e->bck_uses.items[i];
        if (u->op == op && !strcmp(u->place->key, pl->key))
            return;
    }
    BckUse *u = NEW(BckUse);
    u->op = op;
    u->place = pl;
    u->borrow = borrow;
    u->at = at;
    list_push(&e->bck_uses, u);
}

/* Is `path` exactly one of the places the closure being walked captures? */
static bool moves_whole_capture(Place *pl)
{
    for (Closure *c = bk->closure; c; c = c->parent)
        for (int i = 0; i < c->captures.len; i++) {
            Capture *cp = c->captures.items[i];
            if (cp->root != pl->local)
                continue;
            Place *p = place_local(cp->root);
            for (int k = 0; k < cp->steps.len; k++) {
                const char *st = cp->steps.items[k];
                p = place_proj(p, strcmp(st, "*") ? PJ_FIELD : PJ_DEREF, st);
            }
            if (!strcmp(p->key, pl->key))
                return true;
        }
    return false;
}

/* path (of root) may be moved from here on. */
static void moved(State *s, Place *pl, Span at)
{
    if (s->dead || has_path(s, pl))
        return;
    Moved *mv = NEW(Moved);
    mv->pl = pl;
    mv->at = at;
    list_push(&s->moved, mv);
    pl->local->moved = true;
    note_moved_part(pl, at);
}

/* e uses place pl (shown at `at`). */
static void use_place_at(State *s, Expr *e, Place *pl, Mode mode, bool borrow, Span at)
{
    Local *root = pl->local;
    root->used = true;
    if (s->dead)
        return;
    if (root->closure != bk->closure) {
        /* a captured place inside a closure body: the closure expression used it;
         * a move out of it is marked for codegen (the env's drop flag) */
        e->moves = mode == M_MOVE ? root : NULL;
        if (mode == M_MOVE && bk->report && !moves_whole_capture(pl) && !already_reported(e->span))
            diag_error(NULL, e->span, "moving out of a part of a captured value in a closure body is not supported "
                                      "by mrsc yet");
        return;
    }
    /* E0382 and E0381 are found on the CFG (cfg_check_moves); this walk
     * keeps what codegen needs: which locals move, and which parts */
    record(e, mode == M_MOVE ? CFG_MOVE : CFG_USE, pl, borrow, at);
    Moved *m = conflict(s, pl);
    if (m && m->uninit)
        return;
    e->moves = mode == M_MOVE ? root : NULL; /* codegen clears the drop flag here */
    if (mode == M_MOVE)
        moved(s, pl, e->span);
}

static void walk(Expr *e, State *s, Mode mode);
static void walk_block(Block *b, State *s, Mode mode);

static void use_place(State *s, Expr *e, Place *pl, Mode mode, bool borrow)
{
    use_place_at(s, e, pl, mode, borrow, e->span);
}

static Mode mode_of(UseMode m) { return m == USE_MOVE ? M_MOVE : M_READ; }
static UseMode use_of(Mode m) { return m == M_MOVE ? USE_MOVE : USE_READ; }

/* One operand as the classifier of uses (sema/uses.c) says e uses it: a
 * borrowed place is noted as a borrow ("borrow of moved value"). */
static void operand(Operand *o, State *s)
{
    Place *pl = o->borrow ? place_path(o->e) : NULL;
    if (pl)
        use_place_at(s, o->e, pl, M_READ, true, o->at);
    else
        walk(o->e, s, mode_of(o->mode));
}

/* Every operand of e, in evaluation order. */
static void operands(Expr *e, State *s, Mode mode)
{
    List ops;
    sema_operands(bk->fn, e, use_of(mode), &ops);
    for (int i = 0; i < ops.len; i++)
        operand(ops.items[i], s);
}


/* &mut T is reborrowed where it is passed (a move of it is not tracked yet) */
static bool is_copy(Type *t) { return !t || t->kind == TY_REF || sema_is_copy(bk->fn, t); }

/* A pattern binding gives its locals fresh values (each loop iteration too). */
static void bind_pat(State *s, Pat *p)
{
    if (!p)
        return;
    if (p->kind == PAT_IDENT && p->local)
        reinit(s, place_local(p->local));
    bind_pat(s, p->sub);
    for (int i = 0; i < p->elems.len; i++)
        bind_pat(s, p->elems.items[i]);
    for (int i = 0; i < p->fields.len; i++)
        bind_pat(s, ((FieldPat *)p->fields.items[i])->pat);
}

static bool binds_by_move(Pat *p, void *ctx)
{
    (void)ctx;
    return p->local && !p->bind_ref && !p->def && !is_copy(p->local->type);
}

static bool pat_moves(Pat *p) { return ast_pat_any_ident(p, binds_by_move, NULL); }

/* What a pattern takes from the place it matches: nothing, some parts, or
 * everything that place owns. */
typedef enum Takes { TAKES_NONE, TAKES_SOME, TAKES_ALL } Takes;

static Takes pat_takes(Pat *p, Type *t, Place *path, List *out);

/* The parts of a struct, tuple or enum variant: each sub-pattern (a missing
 * one, under `..`, takes nothing) on its field's path. */
static Takes fields_take(Pat **subs, Type **types, const char **steps, int n, Place *path, List *out)
{
    List mine = {0};
    bool all = true, any = false;
    Takes *each = arena_alloc(g_arena, sizeof(Takes) * (size_t)(n ? n : 1));
    for (int k = 0; k < n; k++) {
        Place *sub = place_proj(path, PJ_FIELD, steps[k]);
        each[k] = subs[k] ? pat_takes(subs[k], types[k], sub, &mine) : TAKES_NONE;
        if (each[k] != TAKES_NONE)
            any = true;
        if (each[k] != TAKES_ALL && !is_copy(types[k]))
            all = false; /* a part that owns something stays behind */
    }
    Takes r = !any ? TAKES_NONE : all ? TAKES_ALL : TAKES_SOME;
    if (r == TAKES_SOME) {
        for (int k = 0; k < n; k++)
            if (each[k] == TAKES_ALL)
                list_push(out, place_proj(path, PJ_FIELD, steps[k]));
        for (int i = 0; i < mine.len; i++)
            list_push(out, mine.items[i]);
    }
    return r;
}

/* The places pattern p moves out of the place `path` of type t: TAKES_ALL
 * when it takes every part that owns something (the caller moves `path`
 * whole), else the moved parts are appended to out, deepest first. A
 * variant's fields are reached through a step naming the variant
 * (`r.Cons.1`): the pattern has matched it. */
static Takes pat_takes(Pat *p, Type *t, Place *path, List *out)
{
    if (!p || p->derefs || is_copy(t))
        return TAKES_NONE; /* through a reference (match ergonomics binds by reference) */
    switch (p->kind) {
    case PAT_IDENT:
        if (p->def) /* a unit variant or a const */
            return TAKES_NONE;
        if (p->local && !p->bind_ref)
            return TAKES_ALL;
        return p->sub ? pat_takes(p->sub, t, path, out) : TAKES_NONE;
    case PAT_OR:
    case PAT_SLICE:
        return pat_moves(p) ? TAKES_ALL : TAKES_NONE; /* (moved whole: alternatives may differ) */
    case PAT_TUPLE: {
        if (t->kind != TY_TUPLE)
            return TAKES_NONE;
        int n = t->nargs;
        Pat **subs = arena_alloc(g_arena, sizeof(Pat *) * (size_t)(n ? n : 1));
        const char **steps = arena_alloc(g_arena, sizeof(char *) * (size_t)(n ? n : 1));
        for (int k = 0; k < n; k++) {
            subs[k] = ast_pat_elem_for(&p->elems, k, n);
            steps[k] = xprintf("%d", k);
        }
        Takes r = fields_take(subs, t->args, steps, n, path, out);
        return r;
    }
    case PAT_TUPLE_STRUCT:
    case PAT_STRUCT: {
        if (t->kind != TY_ADT || !p->def || (p->def->kind != DEF_VARIANT && p->def->kind != DEF_ADT))
            return pat_moves(p) ? TAKES_ALL : TAKES_NONE;
        bool variant = t->adt->is_enum;
        VariantInfo *v = &t->adt->variants[variant ? p->def->variant : 0];
        Place *base = variant ? place_proj(path, PJ_VARIANT, v->name) : path;
        int n = v->nfields;
        Pat **subs = arena_alloc(g_arena, sizeof(Pat *) * (size_t)(n ? n : 1));
        Type **types = arena_alloc(g_arena, sizeof(Type *) * (size_t)(n ? n : 1));
        const char **steps = arena_alloc(g_arena, sizeof(char *) * (size_t)(n ? n : 1));
        for (int k = 0; k < n; k++) {
            types[k] = ty_subst(v->fields[k].type, t->args, t->nargs);
            steps[k] = v->kind == SK_TUPLE ? xprintf("%d", k) : v->fields[k].name;
            subs[k] = NULL;
            if (p->kind == PAT_TUPLE_STRUCT) {
                subs[k] = ast_pat_elem_for(&p->elems, k, n);
            } else {
                for (int i = 0; i < p->fields.len; i++) {
                    FieldPat *fp = p->fields.items[i];
                    if (!strcmp(fp->name, steps[k]))
                        subs[k] = fp->pat;
                }
            }
        }
        Takes r = fields_take(subs, types, steps, n, base, out);
        if (r == TAKES_SOME && t->adt->drop_impl)
            return TAKES_ALL; /* E0509, reported where the move is checked */
        return r;
    }
    default:
        return TAKES_NONE; /* `_`, `..`, literals, ranges */
    }
}

/* The moves a pattern makes from the place `path` it matches, noted on the
 * pattern (codegen clears the drop flags there, the CFG moves them where
 * the arm is entered) and in the may-moved state. */
static void take_by_pattern(State *s, Pat *p, Place *path)
{
    List parts = {0};
    Takes r = pat_takes(p, p->ty, path, &parts);
    if (r == TAKES_NONE)
        return;
    if (r == TAKES_ALL) {
        parts = (List){0};
        list_push(&parts, path);
    }
    path->local->used = true;
    for (int i = 0; i < parts.len; i++) {
        Place *mp = parts.items[i];
        bool seen = false;
        for (int k = 0; k < p->bck_moves.len; k++)
            seen |= !strcmp(((BckUse *)p->bck_moves.items[k])->place->key, mp->key);
        if (!seen) {
            BckUse *u = NEW(BckUse);
            u->op = CFG_MOVE;
            u->place = mp;
            u->at = p->span;
            list_push(&p->bck_moves, u);
        }
        moved(s, mp, p->span);
    }
}

/* `match`, `if let`, `while let` and a destructuring `let`: a scrutinee
 * that is a place is only read where it is evaluated; each pattern then
 * moves exactly the parts it binds by value (take_by_pattern, once the
 * guard passed). A scrutinee that is a value is moved into its temporary
 * when some pattern moves out of it. Returns the place's path, or NULL. */
static Place *walk_scrutinee(Expr *e, State *s, bool pats_move)
{
    Place *path = place_path(e);
    if (path && pats_move && path->local->closure == bk->closure) { /* (a captured place moves whole) */
        walk(e, s, M_READ);
        return path;
    }
    walk(e, s, pats_move ? M_MOVE : M_READ);
    if (pats_move) /* the arms move out of the temporary */
        bck_note_temp(unparen(e), bk->closure);
    return NULL;
}

/* A loop: the body twice, the second time from the union of the entry and
 * the first pass, so a move in one iteration meets the next. */
static Pat *for_pat; /* the pattern a `for` binds at the top of each iteration */

/* A loop: the body twice, the second time from the union of the entry and
 * the first pass, so a move in one iteration meets the next. The state
 * after the loop joins every `break` and, unless it is a bare `loop`, the
 * states where the condition may fail. */
static void walk_loop(Expr *e, Block *body, State *s, Expr *cond, bool bare)
{
    Pat *pat = for_pat;
    for_pat = NULL;
    LoopSt ls = {.parent = bk->loops, .label = e->label, .exit = st_new()};
    ls.exit->dead = true;
    bk->loops = &ls;
    State *first = st_copy(s);
    if (cond)
        walk(cond, first, M_READ);
    bind_pat(first, pat);
    walk_block(body, first, M_READ);
    State *second = st_copy(s);
    st_join(second, first);
    bk->loop_pass++;
    if (cond)
        walk(cond, second, M_READ);
    bind_pat(second, pat);
    walk_block(body, second, M_READ);
    bk->loop_pass--;
    bk->loops = ls.parent;
    if (!bare) {
        st_join(ls.exit, s);
        st_join(ls.exit, first);
        st_join(ls.exit, second);
    }
    *s = *ls.exit;
}

/* The user's spelling of a place expression, for messages. */
static const char *spell(Expr *e)
{
    e = unparen(e);
    switch (e->kind) {
    case EX_PATH: return e->path->segs.len ? ((PathSeg *)e->path->segs.items[e->path->segs.len - 1])->name : "value";
    case EX_FIELD: return xprintf("%s.%s", spell(e->operand), e->name);
    case EX_TUPLE_FIELD: return xprintf("%s.%u", spell(e->operand), e->index);
    case EX_UNARY: return xprintf("*%s", spell(e->operand));
    default: return "value";
    }
}

/* Is field expression e a field (of a field ...) of a temporary value, reached without a
 * deref, whose type has no Drop of its own? Moving it out is moving out of that temporary. */
static bool owned_temp_field(Expr *e)
{
    Expr *x = unparen(e);
    while (x->kind == EX_FIELD || x->kind == EX_TUPLE_FIELD) {
        FieldRes *fr = x->sema;
        if (!fr || fr->derefs)
            return false;
        Type *bt = x->operand->ty ? ty_resolve(x->operand->ty) : NULL;
        if (!bt || (bt->kind == TY_ADT && bt->adt->drop_impl))
            return false;
        x = unparen(x->operand);
    }
    return x->kind == EX_CALL || x->kind == EX_METHOD || x->kind == EX_STRUCT || x->kind == EX_TUPLE;
}

/* E0507/E0508: a non-Copy value moved out of something borrowed or indexed. */
static void move_out_error(Expr *e)
{
    if (!bk->report || already_reported(e->span))
        return;
    Expr *u = unparen(e);
    if (u->kind == EX_INDEX) {
        FieldRes *fr = u->sema;
        Type *bt = fr ? fr->base_ty : NULL;
        if (bt && bt->kind == TY_ARRAY) {
            Diag *d = diag_error("E0508", e->span, "cannot move out of type `%s`, a non-copy array", ty_str(bt));
            diag_primary_label(d, "cannot move out of here");
        } else {
            Diag *d = diag_error("E0507", e->span, "cannot move out of index of `%s`", bt ? ty_str(bt) : "value");
            diag_primary_label(d, "move occurs because value has type `%s`, which does not implement the `Copy` trait",
                               ty_str(e->ty));
        }
        return;
    }
    /* the reference it goes through: shared or mutable; or a smart pointer */
    bool mut = false;
    for (Expr *x = u; x; ) {
        x = unparen(x);
        Type *t = NULL;
        if (x->kind == EX_UNARY && x->unop == UN_DEREF)
            t = x->operand->ty;
        else if (x->kind == EX_FIELD || x->kind == EX_TUPLE_FIELD)
            t = x->operand->ty;
        else
            break;
        t = t ? ty_resolve(t) : NULL;
        if (t && (ty_is_std(t, STD_RC) || ty_is_std(t, STD_ARC))) { /* out of an Rc */
            Diag *d = diag_error("E0507", e->span, "cannot move out of an `%s`", t->std->name);
            diag_primary_label(d, "move occurs because value has type `%s`, which does not implement the `Copy` trait",
                               ty_str(e->ty));
            return;
        }
        if (t && ty_is_smart(t) && !ty_is_std(t, STD_BOX)) { /* a guard's Deref */
            Diag *d = diag_error("E0507", e->span, "cannot move out of dereference of `%s`", ty_str(t));
            diag_primary_label(d, "move occurs because value has type `%s`, which does not implement the `Copy` trait",
                               ty_str(e->ty));
            return;
        }
        if (t && t->kind == TY_REF) {
            mut = t->is_mut;
            break;
        }
        x = x->operand;
    }
    Diag *d = diag_error("E0507", e->span, "cannot move out of `%s` which is behind a %s reference", spell(u),
                         mut ? "mutable" : "shared");
    diag_primary_label(d, "move occurs because `%s` has type `%s`, which does not implement the `Copy` trait", spell(u),
                       ty_str(e->ty));
}

/* E0509: a field moved out of a value whose type implements Drop (at any
 * level of the field path); reports and returns true. */
static bool move_out_of_drop(Expr *e)
{
    for (Expr *x = unparen(e); x->kind == EX_FIELD || x->kind == EX_TUPLE_FIELD; x = unparen(x->operand)) {
        Type *t = x->operand->ty;
        while (t && ty_is_std(t, STD_BOX))
            t = t->args[0];
        if (t && t->kind == TY_ADT && t->adt->drop_impl) {
            if (bk->report && !already_reported(e->span)) {
                Diag *d = diag_error("E0509", e->span, "cannot move out of type `%s`, which implements the `Drop` trait",
                                     ty_str(t));
                diag_primary_label(d, "cannot move out of here");
                diag_label(d, e->span, "move occurs because `%s` has type `%s`, which does not implement the `Copy` trait",
                           spell(unparen(e)), ty_str(e->ty));
            }
            return true;
        }
    }
    return false;
}

/* A method taking `self` by value called through a reference (`r.take()`
 * with `r: &S`, `ro.unwrap()` with `ro: &Option<String>`): E0507, the
 * receiver cannot be moved out from behind it. Reports and returns true. */
static bool receiver_behind_ref(Expr *e)
{
    Adjust *a = e->operand->adjust;
    Type *t = e->operand->ty;
    bool mut = false, through_ref = false;
    for (int i = 0; i < a->derefs && t; i++) {
        if (t->kind == TY_REF) {
            through_ref = true;
            mut = t->is_mut;
            break;
        }
        if (!ty_is_std(t, STD_BOX))
            return false;
        t = t->args[0];
    }
    if (!through_ref)
        return false;
    MethodRes *mr = e->sema;
    const StdMethod *sm = mr && mr->bm ? std_method(mr->bm) : NULL;
    if (mut && sm && (sm->families & (FAM_ITER | FAM_RANGE)))
        return false; /* `&mut I` is an iterator itself: `r.count()` takes the reference */
    if (!bk->report || already_reported(e->operand->span))
        return true;
    const char *place = xprintf("*%s", spell(e->operand));
    Diag *d = diag_error("E0507", e->operand->span, "cannot move out of `%s` which is behind a %s reference", place,
                         mut ? "mutable" : "shared");
    diag_primary_label(d, "move occurs because `%s` has type `%s`, which does not implement the `Copy` trait", place,
                       ty_str(a->target));
    diag_label(d, span_join(e->name_span, e->span), "`%s` moved due to this method call", place);
    return true;
}

/* Creating a closure uses its captured places (by value: moves them); its
 * body is a function of its own, walked from a fresh state. */
static void walk_closure(Expr *e, State *s)
{
    /* creating the closure uses its captured places: by value moves them */
    Closure *clo = e->sema;
    for (int i = 0; clo && i < clo->captures.len; i++) {
        Capture *cp = clo->captures.items[i];
        Place *path = place_path(cp->place_expr);
        if (!path)
            continue;
        Expr *at = NEW(Expr); /* the closure's head `move |..|` stands for the use */
        *at = *e;
        at->span = sema_closure_head(e);
        bool mv = cp->mode == CAP_VALUE && !is_copy(cp->type);
        at->bck_uses = (List){0};
        use_place(s, at, path, mv ? M_MOVE : M_READ, !mv);
        for (int k = 0; k < at->bck_uses.len; k++) { /* the closure expression uses it */
            BckUse *u = at->bck_uses.items[k];
            u->cap = cp;
            bool dup = false;
            for (int j = 0; j < e->bck_uses.len; j++)
                dup |= ((BckUse *)e->bck_uses.items[j])->cap == cp;
            if (!dup)
                list_push(&e->bck_uses, u);
        }
    }
    /* its body is a function of its own, walked from a fresh state */
    Closure *saved = bk->closure;
    bk->closure = clo;
    State *inner = st_new();
    walk(e->body, inner, M_MOVE);
    bk->closure = saved;
}

/* `place = value`: the value moves in, the place is (re)initialized; a
 * second assignment to an immutable `let x;` is E0384. */
static void walk_assign(Expr *e, State *s)
{
    if (ast_is_underscore(e->lhs)) { /* `_ = x;`: only read (the classifier's USE_READ) */
        walk(e->rhs, s, M_READ);
        return;
    }
    walk(e->rhs, s, M_MOVE);
    Place *path = place_path(e->lhs);
    if (path) {
        Local *root = path->local;
        root->used = true;
        if (root->deferred && !root->is_mut && place_is_local(path) && !s->dead) {
            /* an immutable `let x;` takes one value: a second assignment is E0384 */
            bool first = false;
            for (int i = 0; i < s->moved.len; i++) {
                Moved *m = s->moved.items[i];
                if (m->uninit && m->pl->local == root && !m->maybe)
                    first = true;
            }
            if (!first && bk->report && !already_reported(e->span)) {
                Diag *d = diag_error("E0384", e->span, "cannot assign twice to immutable variable `%s`", root->name);
                diag_label(d, root->span, "help: consider making this binding mutable: `mut %s`", root->name);
                diag_primary_label(d, "cannot assign twice to immutable variable");
            }
        }
        reinit(s, path);
        record(e, CFG_INIT, path, false, e->span);
    } else {
        walk(e->lhs, s, M_READ);
    }
}

static void walk(Expr *e, State *s, Mode mode)
{
    if (!e)
        return;
    e->moves = NULL; /* an instance's walk must not see a previous one's moves */
    e->bck_uses = (List){0};
    e->temp = NULL;
    if (mode == M_READ)
        bck_note_temp(e, bk->closure);
    if (e->kind == EX_FOR)
        bck_note_for_iter(e, bk->closure);
    if (e->kind == EX_REF)
        bck_note_promoted(e);
    switch (e->kind) {
    case EX_PATH:
    case EX_FIELD:
    case EX_TUPLE_FIELD: {
        Place *path = place_path(e);
        if (path) {
            if (mode == M_MOVE && !is_copy(e->ty) && move_out_of_drop(e))
                mode = M_READ;
            use_place(s, e, path, mode == M_MOVE && !is_copy(e->ty) ? M_MOVE : M_READ, false);
            return;
        }
        if (e->kind != EX_PATH && mode == M_MOVE && !is_copy(e->ty) && owned_temp_field(e)) {
            walk(e->operand, s, M_MOVE); /* `self.project().inner`: out of a temporary it owns */
            return;
        }
        if (e->kind != EX_PATH && mode == M_MOVE && !is_copy(e->ty))
            move_out_error(e);
        if (e->kind != EX_PATH)
            walk(e->operand, s, M_READ);
        return;
    }
    case EX_PAREN:
        walk(e->operand, s, mode);
        return;
    case EX_UNARY:
        if (e->unop == UN_DEREF) {
            Place *path = place_path(e);
            if (path) {
                use_place(s, e, path, mode == M_MOVE && !is_copy(e->ty) ? M_MOVE : M_READ, false);
                return;
            }
            Type *ot = e->operand->ty;
            if (mode == M_MOVE && !is_copy(e->ty) && ot && ty_is_std(ot, STD_BOX) && !bck_place_expr(e->operand)) {
                walk(e->operand, s, M_MOVE); /* `*Box::new(v)`: out of a temporary Box */
                return;
            }
            if (mode == M_MOVE && !is_copy(e->ty))
                move_out_error(e);
        }
        operands(e, s, mode);
        return;
    case EX_INDEX:
        if (mode == M_MOVE && !is_copy(e->ty) && e->ty && e->ty->kind != TY_SLICE && e->ty->kind != TY_STR)
            move_out_error(e);
        operands(e, s, mode);
        return;
    case EX_METHOD: {
        List ops;
        sema_operands(bk->fn, e, use_of(mode), &ops);
        Operand *r = ops.items[0];
        MethodRes *mr = e->sema;
        Adjust *a = e->operand->adjust;
        bool by_value = r->mode == USE_MOVE && !r->derefs;
        if (r->mode == USE_MOVE && r->derefs && a && a->target && !is_copy(a->target) && receiver_behind_ref(e))
            return; /* E0507, reported */
        Place *path = place_path(e->operand);
        if (path && r->mode == USE_MOVE && r->derefs && mr && mr->fn && a->target && !is_copy(a->target)) {
            /* `b.consume()` with `self` by value through a Box: the contents move out */
            Place *inner = path;
            Type *t = e->operand->ty;
            for (int i = 0; i < r->derefs && inner; i++, t = t->args[0])
                inner = ty_is_std(t, STD_BOX) ? place_proj(inner, PJ_DEREF, NULL) : NULL;
            if (inner) {
                use_place(s, e->operand, inner, M_MOVE, false);
                for (int i = 1; i < ops.len; i++)
                    operand(ops.items[i], s);
                return;
            }
        }
        if (path)
            use_place(s, e->operand, path, by_value && !is_copy(e->operand->ty) ? M_MOVE : M_READ, !by_value);
        else
            walk(e->operand, s, by_value ? M_MOVE : M_READ);
        for (int i = 1; i < ops.len; i++)
            operand(ops.items[i], s);
        return;
    }
    case EX_CLOSURE:
        walk_closure(e, s);
        return;
    case EX_MACRO: {
        operands(e, s, mode);
        const char *n = e->mac->name;
        if (!strcmp(n, "panic") || !strcmp(n, "unreachable") || !strcmp(n, "todo") || !strcmp(n, "unimplemented"))
            s->dead = true;
        return;
    }
    case EX_ASSIGN:
        walk_assign(e, s);
        return;
    case EX_BINARY:
        if (e->binop == BIN_AND || e->binop == BIN_OR) {
            /* the right operand runs on some paths only */
            List ops;
            sema_operands(bk->fn, e, use_of(mode), &ops);
            operand(ops.items[0], s);
            State *r = st_copy(s);
            operand(ops.items[1], r);
            st_join(s, r);
            return;
        }
        operands(e, s, mode);
        return;
    case EX_STRUCT:
        if (!e->base) {
            operands(e, s, mode);
            return;
        }
        for (int i = 0; i < e->fields.len; i++)
            walk(((FieldInit *)e->fields.items[i])->value, s, M_MOVE);
        {
            /* ..base moves the fields it supplies that are not Copy: a partial move */
            Place *path = place_path(e->base);
            Type *st = e->ty;
            if (!path || !st || st->kind != TY_ADT || !e->def) {
                walk(e->base, s, M_MOVE);
                return;
            }
            VariantInfo *v = &st->adt->variants[e->def->kind == DEF_VARIANT ? e->def->variant : 0];
            /* only the fields it supplies are used (`Pair { a: p.a, ..p }` after p.a moved) */
            for (int k = 0; k < v->nfields; k++) {
                bool given = false;
                for (int i = 0; i < e->fields.len; i++)
                    given |= !strcmp(((FieldInit *)e->fields.items[i])->name, v->fields[k].name);
                Type *ft = ty_subst(v->fields[k].type, st->args, st->nargs);
                Place *fp = place_proj(path, PJ_FIELD, v->fields[k].name);
                if (given)
                    continue;
                if (!is_copy(ft))
                    use_place(s, e->base, fp, M_MOVE, false);
                else if (!s->dead && path->local->closure == bk->closure)
                    record(e->base, CFG_USE, fp, false, e->base->span); /* read, checked on the graph; e->moves stays */
            }
        }
        return;
    case EX_BLOCK: /* a value expression: its tail moves out even when the block is borrowed (`&mut { v }`) */
        walk_block(e->block, s, M_MOVE);
        return;
    case EX_IF: {
        State *t = s;
        if (e->cond->kind == EX_LET) {
            walk(e->cond, s, M_READ);
        } else {
            walk(e->cond, s, M_READ);
        }
        State *then_s = st_copy(t);
        walk_block(e->block, then_s, mode);
        State *else_s = st_copy(t);
        if (e->els)
            walk(e->els, else_s, mode);
        *s = *else_s;
        st_join(s, then_s);
        return;
    }
    case EX_MATCH: {
        bool mv = false;
        for (int i = 0; i < e->arms.len; i++)
            mv |= pat_moves(((MatchArm *)e->arms.items[i])->pat);
        Place *path = walk_scrutinee(e->operand, s, mv);
        State *out = st_new();
        out->dead = true;
        for (int i = 0; i < e->arms.len; i++) {
            MatchArm *a = e->arms.items[i];
            State *as = st_copy(s);
            bind_pat(as, a->pat);
            walk(a->guard, as, M_READ);
            if (path)
                take_by_pattern(as, a->pat, path);
            walk(a->body, as, mode);
            st_join(out, as);
        }
        if (e->arms.len)
            *s = *out;
        return;
    }
    case EX_WHILE:
        if (e->cond->kind == EX_LET) {
            walk_loop(e, e->block, s, e->cond, false);
        } else {
            walk_loop(e, e->block, s, e->cond, false);
        }
        return;
    case EX_LOOP:
        walk_loop(e, e->block, s, NULL, true);
        return;
    case EX_FOR:
        walk(e->operand, s, M_MOVE);
        for_pat = e->pat;
        walk_loop(e, e->block, s, NULL, false);
        return;
    case EX_BREAK: {
        walk(e->operand, s, M_MOVE);
        LoopSt *l = bk->loops;
        while (l && e->label && (!l->label || strcmp(l->label, e->label)))
            l = l->parent;
        if (l && !s->dead)
            st_join(l->exit, s);
        s->dead = true;
        return;
    }
    case EX_RETURN:
        walk(e->operand, s, M_MOVE);
        s->dead = true;
        return;
    case EX_CONTINUE:
        s->dead = true;
        return;
    case EX_LET: {
        Place *path = walk_scrutinee(e->rhs, s, pat_moves(e->pat));
        bind_pat(s, e->pat);
        if (path)
            take_by_pattern(s, e->pat, path);
        return;
    }
    default: /* operators, casts, `?`, calls, tuples, arrays, ranges, `&x`: as the classifier says */
        operands(e, s, mode);
        return;
    }
}

/* `let x;`: x is uninitialized until assigned (E0381 on use); ctx is the let statement's State. */
static Stmt *uninit_let;

static bool mark_uninit(Pat *ident, void *ctx)
{
    if (ident->local) {
        Moved *u = NEW(Moved);
        u->pl = place_local(ident->local);
        u->at = uninit_let->span;
        u->uninit = true;
        list_push(&((State *)ctx)->moved, u);
    }
    return false;
}

/* A destructuring pattern that only binds or skips (`Pair { b, .. }`, `(x, _)`,
 * `Pair { a: ref r, .. }`): matching it reads nothing of the place but the
 * parts it takes or borrows (ref_parts). */
static bool only_binds(Pat *p)
{
    switch (p->kind) {
    case PAT_WILD: case PAT_REST:
        return true;
    case PAT_IDENT:
        return !p->sub && !p->def;
    case PAT_TUPLE:
    case PAT_TUPLE_STRUCT:
        if (p->kind == PAT_TUPLE_STRUCT && (!p->def || p->def->kind != DEF_ADT))
            return false; /* a variant is tested */
        for (int i = 0; i < p->elems.len; i++)
            if (!only_binds(p->elems.items[i]))
                return false;
        return true;
    case PAT_STRUCT:
        if (!p->def || p->def->kind != DEF_ADT)
            return false;
        for (int i = 0; i < p->fields.len; i++)
            if (!only_binds(((FieldPat *)p->fields.items[i])->pat))
                return false;
        return true;
    default:
        return false;
    }
}

/* The parts of `path` that the `ref` bindings of only_binds pattern p borrow. */
static void ref_parts(Pat *p, Type *t, Place *path, List *out)
{
    t = t ? ty_resolve(t) : NULL;
    if (!p || !t)
        return;
    if (p->kind == PAT_IDENT && (p->by_ref || p->bind_ref)) {
        list_push(out, path);
        return;
    }
    if (p->kind == PAT_TUPLE && t->kind == TY_TUPLE) {
        for (int k = 0; k < t->nargs; k++)
            ref_parts(ast_pat_elem_for(&p->elems, k, t->nargs), t->args[k], place_proj(path, PJ_FIELD, xprintf("%d", k)),
                      out);
        return;
    }
    if ((p->kind == PAT_STRUCT || p->kind == PAT_TUPLE_STRUCT) && t->kind == TY_ADT && !t->adt->is_enum) {
        VariantInfo *v = &t->adt->variants[0];
        for (int k = 0; k < v->nfields; k++) {
            const char *step = v->kind == SK_TUPLE ? xprintf("%d", k) : v->fields[k].name;
            Pat *sub = NULL;
            if (p->kind == PAT_TUPLE_STRUCT)
                sub = ast_pat_elem_for(&p->elems, k, v->nfields);
            else
                for (int i = 0; i < p->fields.len; i++)
                    if (!strcmp(((FieldPat *)p->fields.items[i])->name, step))
                        sub = ((FieldPat *)p->fields.items[i])->pat;
            ref_parts(sub, ty_subst(v->fields[k].type, t->args, t->nargs), place_proj(path, PJ_FIELD, step), out);
        }
    }
}

static void walk_block(Block *b, State *s, Mode mode)
{
    for (int i = 0; i < b->stmts.len; i++) {
        Stmt *st = b->stmts.items[i];
        if (st->kind == ST_LET) {
            Place *path = NULL;
            bool simple = st->pat->kind == PAT_IDENT && !st->pat->sub;
            if (st->init && simple) /* `let _ = x;` and `ref` bindings do not move */
                walk(st->init, s, pat_moves(st->pat) ? M_MOVE : M_READ);
            else if (st->init && unparen(st->init)->kind == EX_PATH && only_binds(st->pat) &&
                     (path = place_path(st->init)) && path->local->closure == bk->closure) {
                /* `let Pair { b, .. } = p;`: reads nothing of p but the parts it moves or borrows */
                List refs = {0};
                ref_parts(st->pat, st->init->ty, path, &refs);
                for (int k = 0; k < refs.len; k++)
                    record(st->init, CFG_USE, refs.items[k], true, st->init->span);
                path->local->used = true;
            }
            else if (st->init)
                path = walk_scrutinee(st->init, s, pat_moves(st->pat));
            bck_extend_temps(st);
            bind_pat(s, st->pat);
            if (path)
                take_by_pattern(s, st->pat, path);
            if (!st->init) { /* `let x;`, `let (a, b);`: uninitialized until assigned (E0381) */
                uninit_let = st;
                ast_pat_any_ident(st->pat, mark_uninit, s);
            }
            if (st->els) {
                State *e = st_copy(s);
                walk_block(st->els, e, M_READ);
            }
        } else if (st->kind == ST_EXPR) {
            walk(st->expr, s, M_MOVE);
            bck_note_discarded(st->expr, bk->closure);
        }
    }
    if (b->tail)
        walk(b->tail, s, mode);
}

static void analyze(Program *prog, FnDef *f, bool report)
{
    Bck state = {.prog = prog, .fn = f, .report = report};
    bk = &state;
    for (int i = 0; i < f->locals.len; i++) {
        Local *l = f->locals.items[i];
        l->moved = l->used = l->moved_whole = l->moved_deep = false;
        l->moved_fields = (List){0};
    }
    State *s = st_new();
    walk_block(f->item->body, s, M_MOVE);
    if (report)
        bck_loans_walk(f);
    f->cfg = cfg_build(prog, f);
    if (report) {
        cfg_check_moves(f->cfg);
        bck_check_borrows(f->cfg);
    }
    bk = NULL;
}

void bck_check(Program *prog)
{
    for (int i = 0; i < prog->fns.len; i++) {
        FnDef *f = prog->fns.items[i];
        if (f->item->body)
            analyze(prog, f, true);
    }
    bck_borrows_done();
}

void bck_flags(Program *prog, FnDef *f)
{
    if (f->item->body)
        analyze(prog, f, false);
}

/* ---- E0382 and E0381 on the control-flow graph ------------------------------------------------------
 * The may-moved places at each statement are a forward dataflow over the
 * graph (the State of the walk above, joined at each block entry, iterated
 * to a fixed point); a use or move of a place that conflicts with one of
 * them is the error. A move that reaches a use from later in the source came
 * around a loop: "value moved here, in previous iteration of loop". */

static bool same_state(State *a, State *b)
{
    if (a->moved.len != b->moved.len)
        return false;
    for (int i = 0; i < a->moved.len; i++) {
        Moved *m = a->moved.items[i];
        bool found = false;
        for (int k = 0; k < b->moved.len && !found; k++) {
            Moved *n = b->moved.items[k];
            found = !strcmp(m->pl->key, n->pl->key) && m->uninit == n->uninit && m->maybe == n->maybe;
        }
        if (!found)
            return false;
    }
    return true;
}

static void report_use(Moved *m, CfgStmt *st)
{
    if (already_reported(st->span))
        return;
    if (m->uninit) {
        Local *root = m->pl->local;
        Diag *d = diag_error("E0381", st->span, "used binding `%s` %s", root->name,
                             m->maybe ? "is possibly-uninitialized" : "isn't initialized");
        diag_label(d, root->span, "binding declared here but left uninitialized");
        diag_primary_label(d, "`%s` used here but it %s", root->name,
                           m->maybe ? "is possibly-uninitialized" : "isn't initialized");
        return;
    }
    Place *pl = st->place;
    const char *name = place_shown(m->pl);
    Diag *d = diag_error("E0382", st->span, "%s of %s value: `%s`", st->borrow ? "borrow" : "use",
                         m->pl->n > pl->n && place_within(pl, m->pl) ? "partially moved" : "moved", place_shown(pl));
    diag_label(d, m->pl->local->span, "move occurs because `%s` has type `%s`, which does not implement the `Copy` trait",
               name, ty_str(m->pl->local->type));
    if (m->cap) {
        diag_label(d, m->at, "value moved into closure here");
        diag_label(d, m->cap->at, "variable moved due to use in closure");
    } else {
        bool in_loop = m->at.lo >= st->span.lo; /* it came around a loop */
        diag_label(d, m->at, in_loop ? "value moved here, in previous iteration of loop" : "value moved here");
    }
    diag_primary_label(d, "value %s here after move", st->borrow ? "borrowed" : "used");
}

/* The uses after a move found at the fixed point, reported once all are known:
 * like rustc, one error per move site and variable, and a use after the loop is
 * the one reported rather than the loop's own next iteration. */
typedef struct MoveReport {
    Moved *m;
    CfgStmt *st;
} MoveReport;
static List move_reports;

static void flush_move_reports(void)
{
    for (int i = 0; i < move_reports.len; i++) {
        MoveReport *r = move_reports.items[i];
        bool in_loop = !r->m->uninit && r->m->at.lo >= r->st->span.lo;
        bool later = false; /* the same move, used after the loop */
        for (int k = 0; k < move_reports.len && in_loop && !later; k++) {
            MoveReport *o = move_reports.items[k];
            later = o != r && !o->m->uninit && o->m->at.lo == r->m->at.lo && o->m->pl->local == r->m->pl->local &&
                    o->st->span.lo > r->m->at.lo;
        }
        if (!later)
            report_use(r->m, r->st);
    }
    move_reports = (List){0};
}

static void move_transfer(State *s, CfgStmt *st, bool report)
{
    if (st->op == CFG_BCK || !st->local || st->local->is_temp)
        return; /* nothing names a temporary: it is never moved or used after its drop */
    Place *path = st->place;
    switch (st->op) {
    case CFG_USE:
    case CFG_MOVE: {
        Moved *m = conflict(s, path);
        if (m && report) {
            MoveReport *r = NEW(MoveReport);
            r->m = m;
            r->st = st;
            list_push(&move_reports, r);
        }
        if (st->op == CFG_MOVE && !(m && m->uninit) && !has_path(s, path)) {
            Moved *mv = NEW(Moved);
            mv->pl = path;
            mv->at = st->span;
            mv->cap = st->cap;
            list_push(&s->moved, mv);
        }
        break;
    }
    case CFG_INIT:
        reinit(s, path);
        break;
    case CFG_UNINIT: {
        Moved *u = NEW(Moved);
        u->pl = path;
        u->at = st->span;
        u->uninit = true;
        list_push(&s->moved, u);
        break;
    }
    case CFG_DEAD:
        for (int i = 0; i < s->moved.len; i++)
            if (((Moved *)s->moved.items[i])->pl->local == st->local) {
                s->moved.items[i] = s->moved.items[--s->moved.len];
                i--;
            }
        break;
    default:
        break;
    }
}

/* The state at the end of block b, from the state at its entry. */
static State *through_block(State *entry, BasicBlock *b, bool report)
{
    State *s = st_copy(entry);
    for (int j = 0; j < b->stmts.len; j++)
        move_transfer(s, b->stmts.items[j], report);
    return s;
}

void cfg_check_moves(Cfg *g)
{
    int nb = g->blocks.len;
    State **in = arena_alloc(g_arena, sizeof(State *) * (size_t)(nb + 1));
    in[0] = st_new();
    for (bool changed = true; changed;) {
        changed = false;
        for (int k = 0; k < nb; k++) {
            if (!in[k])
                continue;
            BasicBlock *b = g->blocks.items[k];
            State *s = through_block(in[k], b, false);
            for (int j = 0; j < b->succs.len; j++) {
                int t = ((BasicBlock *)b->succs.items[j])->id;
                if (!in[t]) {
                    in[t] = st_copy(s);
                    changed = true;
                    continue;
                }
                State *joined = st_copy(in[t]);
                st_join(joined, s);
                if (!same_state(joined, in[t])) {
                    in[t] = joined;
                    changed = true;
                }
            }
        }
    }
    for (int k = 0; k < nb; k++) /* at the fixed point: report */
        if (in[k])
            through_block(in[k], g->blocks.items[k], true);
    flush_move_reports();
    for (int i = 0; i < g->closures.len; i++)
        cfg_check_moves(g->closures.items[i]);
}
