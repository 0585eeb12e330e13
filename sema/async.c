/* async.c — an async fn's body put in the form its state machine needs: every `.await` is
 * the whole value of a statement of its own (`let x = fut.await;`, `fut.await;`, a block's
 * tail), so that a suspension never falls inside an expression half evaluated.
 *
 * requires: the untyped body of an `async fn`;
 * produces: the same body with each `.await` nested in an expression moved out into a
 * `let __awaitN = fut.await;` just before its statement (its operands evaluated earlier in
 * that statement must be places or literals, which read the same after the await; else
 * "not supported"), a `while` whose condition awaits turned into a `loop` that tests it,
 * and each `.await` numbered (Expr.await_index, FnDef.nawaits). */
#include "check_int.h"

#include <string.h>

typedef struct Norm {
    FnDef *fn;
    int nlets;     /* __awaitN names made */
    bool failed;   /* reported "not supported" once */
} Norm;

static void norm_block(Norm *n, Block *b);

/* Does e read the same before and after an await: a place or a literal? */
static bool simple(Expr *e)
{
    switch (e->kind) {
    case EX_PATH:
    case EX_INT:
    case EX_FLOAT:
    case EX_STR:
    case EX_CHAR:
    case EX_BOOL:
        return true;
    case EX_PAREN:
    case EX_FIELD:
    case EX_TUPLE_FIELD:
    case EX_REF:
        return simple(e->operand);
    case EX_UNARY:
        return e->unop == UN_DEREF && simple(e->operand);
    default:
        return false;
    }
}

static bool has_await(Expr *e);

static bool list_has_await(List *l)
{
    for (int i = 0; i < l->len; i++)
        if (has_await(l->items[i]))
            return true;
    return false;
}

/* Does e await, not counting the bodies of closures and blocks (their statements are
 * their own)? */
static bool has_await(Expr *e)
{
    if (!e)
        return false;
    switch (e->kind) {
    case EX_AWAIT:
        return true;
    case EX_CLOSURE:
    case EX_BLOCK:
    case EX_LOOP:
        return false;
    case EX_IF:
    case EX_WHILE:
        return has_await(e->cond);
    case EX_FOR:
    case EX_MATCH:
        return has_await(e->operand); /* the iterable, the scrutinee */
    case EX_LET:
        return has_await(e->rhs);
    case EX_MACRO:
        return e->mac && list_has_await(&e->mac->args);
    case EX_STRUCT:
        for (int i = 0; i < e->fields.len; i++)
            if (has_await(((FieldInit *)e->fields.items[i])->value))
                return true;
        return has_await(e->base);
    default:
        return has_await(e->operand) || has_await(e->lhs) || has_await(e->rhs) || list_has_await(&e->args);
    }
}

static void not_here(Norm *n, Expr *e, const char *why)
{
    if (!n->failed)
        unsupported(e->span, xprintf("`.await` %s", why));
    n->failed = true;
}

/* `let __awaitN = <a>;` before the statement, and the path `__awaitN` in a's place. */
static void hoist(Norm *n, Expr **slot, List *pre)
{
    Expr *a = *slot;
    char *name = xprintf("__await%d", ++n->nlets);
    Stmt *s = NEW(Stmt);
    s->kind = ST_LET;
    s->span = a->span;
    s->pat = ast_new_pat(PAT_IDENT, a->span);
    s->pat->name = name;
    s->init = a;
    list_push(pre, s);
    Expr *p = ast_new_expr(EX_PATH, a->span);
    p->path = ast_new_path(a->span);
    PathSeg *sg = NEW(PathSeg);
    sg->name = name;
    sg->span = a->span;
    list_push(&p->path->segs, sg);
    *slot = p;
}

static void norm_expr(Norm *n, Expr **slot, bool top, List *pre);

/* The operands of one expression, in evaluation order: an await in one of them leaves
 * after every operand before it, which must then be simple. */
static void norm_list(Norm *n, Expr ***slots, int k, List *pre)
{
    for (int i = 0; i < k; i++) {
        if (!*slots[i] || !has_await(*slots[i]))
            continue;
        for (int j = 0; j < i; j++)
            if (*slots[j] && !simple(*slots[j])) {
                not_here(n, *slots[i], "after an operand that is not a place (bind the awaited value with `let` first)");
                return;
            }
        norm_expr(n, slots[i], false, pre);
    }
}

/* The body of a branch, an arm or a loop: a block of its own (its awaits at its
 * statements), or an expression made the tail of one. */
static void norm_body(Norm *n, Expr **slot)
{
    Expr *e = *slot;
    if (!e)
        return;
    if (e->kind == EX_BLOCK) {
        norm_block(n, e->block);
        return;
    }
    if (!has_await(e)) {
        norm_expr(n, slot, true, NULL);
        return;
    }
    Expr *b = ast_new_expr(EX_BLOCK, e->span);
    b->block = NEW(Block);
    b->block->span = e->span;
    b->block->tail = e;
    *slot = b;
    norm_block(n, b->block);
}

static void norm_expr(Norm *n, Expr **slot, bool top, List *pre)
{
    Expr *e = *slot;
    if (!e)
        return;
    switch (e->kind) {
    case EX_AWAIT:
        norm_expr(n, &e->operand, false, pre);
        e->await_index = ++n->fn->nawaits;
        if (!top && pre)
            hoist(n, slot, pre);
        else if (!top)
            not_here(n, e, "in this position");
        return;
    case EX_CLOSURE:
        return; /* (its own body: an await in a closure is E0728; an async block is normalized when checked) */
    case EX_BLOCK:
        norm_block(n, e->block);
        return;
    case EX_LOOP:
        if (e->block)
            norm_block(n, e->block);
        return;
    case EX_IF:
        if (e->cond && e->cond->kind == EX_LET) {
            if (has_await(e->cond->rhs))
                norm_expr(n, &e->cond->rhs, false, pre);
        } else if (has_await(e->cond)) {
            norm_expr(n, &e->cond, false, pre);
        }
        if (e->block)
            norm_block(n, e->block);
        if (e->els)
            norm_body(n, &e->els);
        return;
    case EX_WHILE:
        if (has_await(e->cond) && e->cond->kind != EX_LET) {
            /* `while c.await { .. }` is `loop { let c = c.await; if !c { break; } .. }` */
            Span sp = e->cond->span;
            Block *nb = NEW(Block);
            nb->span = e->block ? e->block->span : sp;
            List pre = {0};
            Expr *cond = e->cond;
            hoist(n, &cond, &pre); /* cond is now the path of the let */
            Expr *notc = ast_new_expr(EX_UNARY, sp);
            notc->unop = UN_NOT;
            notc->operand = cond;
            Expr *brk = ast_new_expr(EX_BREAK, sp);
            Stmt *bs = NEW(Stmt);
            bs->kind = ST_EXPR;
            bs->span = sp;
            bs->expr = brk;
            bs->has_semi = true;
            Expr *iff = ast_new_expr(EX_IF, sp);
            iff->cond = notc;
            iff->block = NEW(Block);
            iff->block->span = sp;
            list_push(&iff->block->stmts, bs);
            Stmt *is = NEW(Stmt);
            is->kind = ST_EXPR;
            is->span = sp;
            is->expr = iff;
            list_push(&nb->stmts, pre.items[0]);
            list_push(&nb->stmts, is);
            for (int i = 0; e->block && i < e->block->stmts.len; i++)
                list_push(&nb->stmts, e->block->stmts.items[i]);
            nb->tail = e->block ? e->block->tail : NULL;
            e->kind = EX_LOOP;
            e->cond = NULL;
            e->block = nb;
            norm_block(n, nb);
            return;
        }
        if (has_await(e->cond)) {
            /* `while let P = s.await { .. }` is `loop { match s.await { P => { .. } _ => break } }` */
            Span sp = e->cond->span;
            MatchArm *hit = NEW(MatchArm), *miss = NEW(MatchArm);
            hit->span = sp;
            hit->pat = e->cond->pat;
            hit->body = ast_new_expr(EX_BLOCK, e->block ? e->block->span : sp);
            hit->body->block = e->block;
            miss->span = sp;
            miss->pat = ast_new_pat(PAT_WILD, sp);
            miss->body = ast_new_expr(EX_BREAK, sp);
            Expr *m = ast_new_expr(EX_MATCH, sp);
            m->operand = e->cond->rhs;
            list_push(&m->arms, hit);
            list_push(&m->arms, miss);
            Block *nb = NEW(Block);
            nb->span = hit->body->span;
            nb->tail = m;
            e->kind = EX_LOOP;
            e->cond = NULL;
            e->block = nb;
            norm_block(n, nb);
            return;
        }
        if (e->block)
            norm_block(n, e->block);
        return;
    case EX_FOR:
        if (has_await(e->operand))
            norm_expr(n, &e->operand, false, pre);
        if (e->block)
            norm_block(n, e->block);
        return;
    case EX_MATCH:
        if (has_await(e->operand))
            norm_expr(n, &e->operand, false, pre);
        for (int i = 0; i < e->arms.len; i++) {
            MatchArm *arm = e->arms.items[i];
            if (arm->guard && has_await(arm->guard))
                not_here(n, arm->guard, "in a match guard");
            norm_body(n, &arm->body);
        }
        return;
    case EX_BINARY:
        if ((e->binop == BIN_AND || e->binop == BIN_OR) && has_await(e->rhs)) {
            not_here(n, e->rhs, "on the right of `&&` or `||`");
            return;
        }
        {
            Expr **ops[2] = {&e->lhs, &e->rhs};
            norm_list(n, ops, 2, pre);
        }
        return;
    case EX_ASSIGN:
    case EX_ASSIGN_OP: { /* the value first, then the place */
        Expr **ops[2] = {&e->rhs, &e->lhs};
        norm_list(n, ops, 2, pre);
        return;
    }
    case EX_MACRO: {
        if (!e->mac)
            return;
        Expr ***ops = arena_alloc(g_arena, sizeof(Expr **) * (size_t)(e->mac->args.len + 1));
        for (int i = 0; i < e->mac->args.len; i++)
            ops[i] = (Expr **)&e->mac->args.items[i];
        norm_list(n, ops, e->mac->args.len, pre);
        return;
    }
    case EX_STRUCT: {
        Expr ***ops = arena_alloc(g_arena, sizeof(Expr **) * (size_t)(e->fields.len + 2));
        int k = 0;
        for (int i = 0; i < e->fields.len; i++)
            ops[k++] = &((FieldInit *)e->fields.items[i])->value;
        if (e->base)
            ops[k++] = &e->base;
        norm_list(n, ops, k, pre);
        return;
    }
    default: { /* operand(s) first, then the arguments */
        Expr ***ops = arena_alloc(g_arena, sizeof(Expr **) * (size_t)(e->args.len + 4));
        int k = 0;
        if (e->operand)
            ops[k++] = &e->operand;
        if (e->lhs)
            ops[k++] = &e->lhs;
        if (e->rhs)
            ops[k++] = &e->rhs;
        for (int i = 0; i < e->args.len; i++)
            ops[k++] = (Expr **)&e->args.items[i];
        norm_list(n, ops, k, pre);
        return;
    }
    }
}

static void norm_block(Norm *n, Block *b)
{
    List out = {0};
    for (int i = 0; i < b->stmts.len; i++) {
        Stmt *s = b->stmts.items[i];
        List pre = {0};
        if (s->kind == ST_LET && s->init)
            norm_expr(n, &s->init, !s->els, &pre);
        else if (s->kind == ST_EXPR)
            norm_expr(n, &s->expr, true, &pre);
        for (int k = 0; k < pre.len; k++)
            list_push(&out, pre.items[k]);
        list_push(&out, s);
    }
    if (b->tail) {
        List pre = {0};
        norm_expr(n, &b->tail, true, &pre);
        for (int k = 0; k < pre.len; k++)
            list_push(&out, pre.items[k]);
    }
    b->stmts = out;
}

/* The body of async block e (an EX_CLOSURE), for its future af: once, since a generic fn's
 * instances check the same body again (the count is kept on e). */
void async_normalize_block(FnDef *af, Expr *e)
{
    if (!e->await_index) {
        Norm n = {.fn = af};
        norm_body(&n, &e->body);
        e->await_index = af->nawaits ? af->nawaits : -1;
    }
    af->nawaits = e->await_index;
}

void async_normalize(FnDef *f)
{
    if (f->nawaits || !f->item->body)
        return; /* (done: a generic fn's instances share the body) */
    Norm n = {.fn = f};
    norm_block(&n, f->item->body);
    if (!f->nawaits)
        f->nawaits = -1; /* (no await: still done) */
}
