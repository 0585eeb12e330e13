/* ast_clone.c — a fresh copy of a fn's syntax, for one instance of it.
 *
 * requires: a parsed fn item (sema may have annotated it);
 * produces: a deep copy of its signature's parameters and of its body,
 * with every field sema and borrowck fill in left empty, so that checking
 * the copy with an instance's type arguments annotates the copy alone
 * (mono/). Nested items, attributes and the generics are shared: nothing
 * writes into them per instance. */
#include "ast.h"

#include <string.h>

static Expr *clone_expr(const Expr *e);
static Pat *clone_pat(const Pat *p);
static Block *clone_block(const Block *b);
static TypeExpr *clone_type(const TypeExpr *t);

#define COPY(T, x) ((T *)memcpy(arena_alloc(g_arena, sizeof(T)), (x), sizeof(T)))

static List clone_list(const List *l, void *(*f)(const void *))
{
    List out = {0};
    for (int i = 0; i < l->len; i++)
        list_push(&out, f(l->items[i]));
    return out;
}

static void *clone_expr_v(const void *x) { return clone_expr(x); }
static void *clone_pat_v(const void *x) { return clone_pat(x); }
static void *clone_type_v(const void *x) { return clone_type(x); }

static Path *clone_path(const Path *p);

static void *clone_seg_v(const void *x)
{
    PathSeg *s = COPY(PathSeg, x);
    s->generic_args = clone_list(&s->generic_args, clone_type_v);
    s->fn_inputs = clone_list(&s->fn_inputs, clone_type_v);
    s->fn_output = clone_type(s->fn_output);
    List assoc = {0};
    for (int i = 0; i < s->assoc.len; i++) {
        AssocBinding *a = COPY(AssocBinding, s->assoc.items[i]);
        a->type = clone_type(a->type);
        list_push(&assoc, a);
    }
    s->assoc = assoc;
    return s;
}

static Path *clone_path(const Path *p)
{
    if (!p)
        return NULL;
    Path *c = COPY(Path, p);
    c->segs = clone_list(&p->segs, clone_seg_v);
    c->qself = clone_type(p->qself);
    c->def = NULL;
    return c;
}

static void *clone_bound_v(const void *x)
{
    Bound *b = COPY(Bound, x);
    b->path = clone_path(b->path);
    return b;
}

static TypeExpr *clone_type(const TypeExpr *t)
{
    if (!t)
        return NULL;
    TypeExpr *c = COPY(TypeExpr, t);
    c->path = clone_path(t->path);
    c->inner = clone_type(t->inner);
    c->elems = clone_list(&t->elems, clone_type_v);
    c->len = clone_expr(t->len);
    c->ret = clone_type(t->ret);
    c->bounds = clone_list(&t->bounds, clone_bound_v);
    c->ty = NULL;
    return c;
}

static void *clone_field_pat_v(const void *x)
{
    FieldPat *f = COPY(FieldPat, x);
    f->pat = clone_pat(f->pat);
    return f;
}

static Pat *clone_pat(const Pat *p)
{
    if (!p)
        return NULL;
    Pat *c = COPY(Pat, p);
    c->sub = clone_pat(p->sub);
    c->lit = clone_expr(p->lit);
    c->lo = clone_expr(p->lo);
    c->hi = clone_expr(p->hi);
    c->path = clone_path(p->path);
    c->elems = clone_list(&p->elems, clone_pat_v);
    c->fields = clone_list(&p->fields, clone_field_pat_v);
    c->ty = NULL;
    c->local = NULL;
    c->def = NULL;
    c->derefs = 0;
    c->bind_ref = c->bind_ref_mut = false;
    c->bck_moves = (List){0};
    return c;
}

static void *clone_field_init_v(const void *x)
{
    FieldInit *f = COPY(FieldInit, x);
    f->value = clone_expr(f->value);
    return f;
}

static void *clone_arm_v(const void *x)
{
    MatchArm *a = COPY(MatchArm, x);
    a->pat = clone_pat(a->pat);
    a->guard = clone_expr(a->guard);
    a->body = clone_expr(a->body);
    return a;
}

static void *clone_closure_param_v(const void *x)
{
    ClosureParam *p = COPY(ClosureParam, x);
    p->pat = clone_pat(p->pat);
    p->type = clone_type(p->type);
    return p;
}

static Expr *clone_expr(const Expr *e)
{
    if (!e)
        return NULL;
    Expr *c = COPY(Expr, e);
    c->lhs = clone_expr(e->lhs);
    c->rhs = clone_expr(e->rhs);
    c->operand = clone_expr(e->operand);
    c->cast_type = clone_type(e->cast_type);
    c->path = clone_path(e->path);
    c->generic_args = clone_list(&e->generic_args, clone_type_v);
    c->args = clone_list(&e->args, clone_expr_v);
    c->fields = clone_list(&e->fields, clone_field_init_v);
    c->base = clone_expr(e->base);
    c->block = clone_block(e->block);
    c->cond = clone_expr(e->cond);
    c->els = clone_expr(e->els);
    c->pat = clone_pat(e->pat);
    c->arms = clone_list(&e->arms, clone_arm_v);
    c->params = clone_list(&e->params, clone_closure_param_v);
    c->ret_type = clone_type(e->ret_type);
    c->body = clone_expr(e->body);
    if (e->mac) {
        MacroCall *m = COPY(MacroCall, e->mac);
        m->path = clone_path(m->path);
        m->args = clone_list(&m->args, clone_expr_v);
        m->pat = clone_pat(m->pat);
        m->guard = clone_expr(m->guard);
        c->mac = m;
    }
    c->ty = NULL;
    c->def = NULL;
    c->sema = NULL;
    c->adjust = NULL;
    c->moves = NULL;
    c->bck_uses = (List){0};
    c->origin = e->origin ? e->origin : (Expr *)e;
    return c;
}

static void *clone_stmt_v(const void *x)
{
    Stmt *s = COPY(Stmt, x);
    s->pat = clone_pat(s->pat);
    s->type = clone_type(s->type);
    s->init = clone_expr(s->init);
    s->els = clone_block(s->els);
    s->expr = clone_expr(s->expr);
    return s; /* a nested item is shared */
}

static Block *clone_block(const Block *b)
{
    if (!b)
        return NULL;
    Block *c = COPY(Block, b);
    c->stmts = clone_list(&b->stmts, clone_stmt_v);
    c->tail = clone_expr(b->tail);
    c->ty = NULL;
    return c;
}

static void *clone_param_v(const void *x)
{
    Param *p = COPY(Param, x);
    p->pat = clone_pat(p->pat);
    p->type = clone_type(p->type);
    return p;
}

Item *ast_clone_fn(const Item *it)
{
    Item *c = COPY(Item, it);
    c->sig = COPY(FnSig, it->sig);
    c->sig->params = clone_list(&it->sig->params, clone_param_v);
    c->sig->self_type = clone_type(it->sig->self_type);
    c->sig->ret = clone_type(it->sig->ret);
    c->body = clone_block(it->body);
    return c;
}
