/* captures.c — what a closure captures, how, and why (Rust 2021 rules).
 *
 * requires: a closure whose body is typed and zonked, and whose inner
 * closures were analyzed first;
 * produces: Closure.captures (each captured place, its mode, the use that
 * decided it and that use explained) and Closure.kind.
 *
 * The body is walked once, noting each use of a place rooted at a local
 * declared outside the closure, with how the use needs it: read (a shared
 * borrow), mutated (a unique borrow), or moved (by value). A place is a
 * local followed by field steps and derefs (`p.x`, `(*self).count`), never
 * an index. Then, as rustc does:
 *   - a `move` closure captures every place by value, cut at its first
 *     deref (it owns the reference, not what it points to: `r`, not `*r`);
 *   - otherwise a place is captured by the weakest mode its uses need; a
 *     Copy value used by value is only read; a move is cut at the first
 *     deref too;
 *   - a place and one inside it (`p` and `p.x`) become one capture of the
 *     outer place with the stronger mode, at the first use's position.
 * The closure is FnOnce if its body moves a captured value out, else FnMut
 * if it mutates one, else Fn. `let _ = x;` is not a use. */
#include "sema.h"

#include <string.h>

typedef enum Need { N_READ, N_MUT, N_MOVE } Need;

typedef struct Use {
    Local *root;
    List steps;       /* char * */
    List exprs;       /* Expr * per step prefix (index 0: the root's path); NULL for an auto-deref */
    Need need;
    bool copy;        /* the used place's type is Copy */
    Expr *why_expr;   /* the expression that uses it (a call, an assignment, a `let`'s initializer ...) */
    Span place_span;  /* the place itself */
    Span why_span;
} Use;

static Closure *clo;
static List uses; /* List of Use * */

static bool outer(Local *l) { return l && l->closure != clo; }

/* Build the place of e: root local, steps, and the expression of each prefix. */
static bool place_of(Expr *e, Use *u)
{
    switch (e->kind) {
    case EX_PAREN:
        return place_of(e->operand, u);
    case EX_PATH:
        if (!e->def || e->def->kind != DEF_LOCAL)
            return false;
        u->root = e->def->local;
        list_push(&u->exprs, e);
        return true;
    case EX_FIELD:
    case EX_TUPLE_FIELD: {
        if (!place_of(e->operand, u))
            return false;
        FieldRes *fr = e->sema;
        for (int i = 0; fr && i < fr->derefs; i++) {
            list_push(&u->steps, "*");
            list_push(&u->exprs, NULL);
        }
        list_push(&u->steps, e->kind == EX_FIELD ? e->name : xprintf("%u", e->index));
        list_push(&u->exprs, e);
        return true;
    }
    case EX_UNARY:
        if (e->unop != UN_DEREF || !place_of(e->operand, u))
            return false;
        list_push(&u->steps, "*");
        list_push(&u->exprs, e);
        return true;
    default:
        return false;
    }
}

static void walk(Expr *e, Need need, Expr *why);

/* A use of e with `need`; returns false when e is not a place of an outer local. */
static bool use_place(Expr *e, Need need, Expr *why, int extra_derefs)
{
    Use *u = NEW(Use);
    if (!place_of(e, u) || !outer(u->root))
        return false;
    for (int i = 0; i < extra_derefs; i++) {
        list_push(&u->steps, "*");
        list_push(&u->exprs, NULL);
    }
    u->need = need;
    u->place_span = e->span;
    u->copy = e->ty && sema_is_copy(clo->fn, e->ty);
    u->why_expr = why ? why : e;
    u->why_span = u->why_expr->span;
    list_push(&uses, u);
    return true;
}

/* A place expression used with `need`, or any other expression walked. */
static void operand(Expr *e, Need need, Expr *why)
{
    if (!e)
        return;
    if (!use_place(e, need, why, 0)) {
        Expr *u = e;
        while (u->kind == EX_PAREN)
            u = u->operand;
        if (u->kind == EX_PATH)
            return; /* a fn, const or static: nothing captured */
        if (u->kind == EX_FIELD || u->kind == EX_TUPLE_FIELD)
            operand(u->operand, need == N_MOVE ? N_READ : need, why);
        else if (u->kind == EX_UNARY && u->unop == UN_DEREF)
            operand(u->operand, need == N_MUT ? N_MUT : N_READ, why);
        else
            walk(u, need, why);
    }
}


static void block(Block *b, Need need, Expr *why);



static Need need_of(UseMode m) { return m == USE_MOVE ? N_MOVE : m == USE_READ ? N_READ : N_MUT; }
static UseMode use_of(Need n) { return n == N_MOVE ? USE_MOVE : n == N_MUT ? USE_MUT : USE_READ; }

/* The uses of e's operands, as the classifier of uses (uses.c) says. */
static void operands(Expr *e, Need need)
{
    List ops;
    sema_operands(clo->fn, e, use_of(need), &ops);
    for (int i = 0; i < ops.len; i++) {
        Operand *o = ops.items[i];
        operand(o->e, need_of(o->mode), e);
    }
}

static void walk(Expr *e, Need need, Expr *why)
{
    if (!e)
        return;
    switch (e->kind) {
    case EX_PATH:
    case EX_FIELD:
    case EX_TUPLE_FIELD:
    case EX_PAREN:
        operand(e, need, why);
        return;
    case EX_UNARY:
        if (e->unop == UN_DEREF) {
            operand(e, need, why);
            return;
        }
        break;
    case EX_METHOD: {
        /* the receiver is the place after its auto-derefs (`(*self).count`) */
        List ops;
        sema_operands(clo->fn, e, use_of(need), &ops);
        Operand *r = ops.items[0];
        if (!use_place(e->operand, need_of(r->mode), e, r->derefs))
            operand(e->operand, need_of(r->mode), e);
        for (int i = 1; i < ops.len; i++)
            operand(((Operand *)ops.items[i])->e, need_of(((Operand *)ops.items[i])->mode), e);
        return;
    }
    case EX_BLOCK:
        block(e->block, need, why);
        return;
    case EX_IF:
        walk(e->cond, N_READ, e);
        block(e->block, need, why);
        walk(e->els, need, why);
        return;
    case EX_MATCH:
        operands(e, need);
        for (int i = 0; i < e->arms.len; i++) {
            MatchArm *a = e->arms.items[i];
            walk(a->guard, N_READ, a->guard);
            operand(a->body, need, why);
        }
        return;
    case EX_WHILE:
        walk(e->cond, N_READ, e);
        block(e->block, N_READ, NULL);
        return;
    case EX_LOOP:
        block(e->block, N_READ, NULL);
        return;
    case EX_FOR:
        operands(e, need);
        block(e->block, N_READ, NULL);
        return;
    case EX_CLOSURE: {
        /* an inner closure: what it captures from outside this one, this one uses */
        Closure *in = e->sema;
        for (int i = 0; in && i < in->captures.len; i++) {
            Capture *cp = in->captures.items[i];
            if (!outer(cp->root))
                continue;
            Need n = cp->mode == CAP_VALUE ? N_MOVE : cp->mode == CAP_MUT ? N_MUT : N_READ;
            Type *pt = cp->place_expr->ty;
            bool shared = cp->mode == CAP_VALUE && cp->type && cp->type->kind == TY_REF && !cp->type->is_mut &&
                          pt && pt->kind == TY_REF && pt->is_mut; /* it holds a `&` from a `&mut`: a read through it */
            if (!use_place(cp->place_expr, shared ? N_READ : n, e, shared ? 1 : 0))
                continue;
            Use *u = uses.items[uses.len - 1];
            u->why_expr = cp->use;
            u->why_span = cp->use->span;
            u->place_span = cp->at;
        }
        return;
    }
    default:
        break;
    }
    operands(e, need);
}

static void block(Block *b, Need need, Expr *why)
{
    for (int i = 0; i < b->stmts.len; i++) {
        Stmt *s = b->stmts.items[i];
        if (s->kind == ST_LET && s->init) {
            Expr *u = s->init;
            while (u->kind == EX_PAREN)
                u = u->operand;
            bool place = u->kind == EX_PATH || u->kind == EX_FIELD || u->kind == EX_TUPLE_FIELD ||
                         (u->kind == EX_UNARY && u->unop == UN_DEREF) || u->kind == EX_INDEX;
            if (s->pat->kind == PAT_WILD && place)
                ; /* `let _ = x;` neither reads nor moves x */
            else if (s->pat->kind == PAT_WILD)
                walk(s->init, N_READ, s->init);
            else {
                /* the reason names the whole `let`: "`let _internal_move = to_move` moves it" */
                Expr *w = NEW(Expr);
                *w = *s->init;
                w->span = s->span;
                operand(s->init, sema_pat_moves(clo->fn, s->pat) ? N_MOVE : N_READ, w);
            }
            if (s->els)
                block(s->els, N_READ, NULL);
        } else if (s->kind == ST_EXPR) {
            operand(s->expr, N_READ, s->expr);
        }
    }
    if (b->tail)
        operand(b->tail, need, why);
}

/* ---- from uses to captures ----------------------------------------------------------------------- */

static bool is_prefix(List *a, List *b) /* a's steps start b's */
{
    if (a->len > b->len)
        return false;
    for (int i = 0; i < a->len; i++)
        if (strcmp(a->items[i], b->items[i]))
            return false;
    return true;
}

static char *place_text(Local *root, List *steps)
{
    char *s = root->name;
    for (int i = 0; i < steps->len; i++) {
        const char *st = steps->items[i];
        if (!strcmp(st, "*"))
            s = i + 1 < steps->len ? xprintf("(*%s)", s) : xprintf("*%s", s);
        else
            s = xprintf("%s.%s", s, st);
    }
    return s;
}

static char *field_text(Local *root, List *steps)
{
    char *s = root->cname;
    for (int i = 0; i < steps->len; i++)
        if (strcmp(steps->items[i], "*"))
            s = xprintf("%s_%s", s, (char *)steps->items[i]);
    return s;
}

static const char *short_src(Span sp)
{
    const char *t = diag_source_text(sp);
    if (!t)
        return "this use";
    const char *nl = strchr(t, '\n');
    size_t n = nl ? (size_t)(nl - t) : strlen(t);
    while (n && (t[n - 1] == ';' || t[n - 1] == ' '))
        n--;
    if (n > 40)
        return xprintf("`%.37s...`", t);
    return xprintf("`%.*s`", (int)n, t);
}

static const char *explain(Use *u, CapMode mode)
{
    const char *src = short_src(u->why_span);
    const char *mv = clo->expr->async_block ? "`async move` block" : "`move` closure";
    if (clo->expr->is_move)
        return u->need == N_MOVE && !u->copy ? xprintf("%s; %s moves it out", mv, src)
               : u->need == N_MUT            ? xprintf("%s; %s mutates it", mv, src)
                                             : xprintf("%s; %s uses it", mv, src);
    switch (mode) {
    case CAP_VALUE:
        if (u->need != N_MOVE) /* a reference the closure keeps a copy of */
            return u->need == N_MUT ? xprintf("%s mutates through it", src) : xprintf("%s reads through it", src);
        return xprintf("%s moves it", src);
    case CAP_MUT:
        return xprintf("%s mutates it", src);
    default:
        return u->need == N_MOVE ? xprintf("%s copies it", src) : xprintf("%s reads it", src);
    }
}

void sema_closure_captures(Closure *c)
{
    Closure *saved = clo;
    List saved_uses = uses;
    clo = c;
    uses = (List){0};
    c->captures = (List){0};
    c->kind = FN_FN;
    c->kind_cap = NULL;
    operand(c->expr->body, N_MOVE, c->expr->body);
    bool is_move = c->expr->is_move;
    for (int i = 0; i < uses.len; i++) {
        Use *u = uses.items[i];
        /* cut at the first deref for a by-value capture */
        CapMode mode = is_move || (u->need == N_MOVE && !u->copy) ? CAP_VALUE
                       : u->need == N_MUT                         ? CAP_MUT
                                                                  : CAP_REF;
        int keep = u->steps.len;
        for (int k = 0; k < u->steps.len; k++)
            if (!strcmp(u->steps.items[k], "*") && (mode == CAP_VALUE)) {
                keep = k;
                break;
            }
        /* a value cannot be moved out of a field of a type with `impl Drop`:
         * a by-value capture of a non-Copy part of one takes the whole value */
        if (mode == CAP_VALUE && !u->copy)
            for (int k = 1; k <= keep; k++) {
                Expr *pre = u->exprs.items[k - 1];
                if (pre && pre->ty && pre->ty->kind == TY_ADT && pre->ty->adt->drop_impl &&
                    strcmp(u->steps.items[k - 1], "*")) {
                    keep = k - 1;
                    break;
                }
            }
        /* a place reached through an auto-deref has no expression of its own: cut before it */
        bool cut_deref = false;
        while (keep > 0 && !u->exprs.items[keep]) {
            keep--;
            cut_deref = true;
        }
        /* `v.push(x)` with `v: &mut Vec`: rustc borrows `*v` uniquely; the closure
         * holds the same pointer, so it takes a copy of the reference itself */
        Type *shared = NULL; /* a read through a `&mut`: the closure holds a `&`, and is Copy */
        if (cut_deref && mode != CAP_VALUE) {
            Expr *base = u->exprs.items[keep];
            if (base->ty && base->ty->kind == TY_REF) {
                if (mode == CAP_REF && base->ty->is_mut)
                    shared = ty_ref(base->ty->args[0], false);
                mode = CAP_VALUE;
            }
        }
        List steps = {0};
        for (int k = 0; k < keep; k++)
            list_push(&steps, u->steps.items[k]);
        Expr *pe = u->exprs.items[keep];
        bool moved = u->need == N_MOVE && !u->copy;
        bool mutated = u->need == N_MUT;
        /* an existing capture of this place or an outer one takes the use */
        Capture *into = NULL;
        for (int k = 0; k < c->captures.len && !into; k++) {
            Capture *cp = c->captures.items[k];
            if (cp->root == u->root && is_prefix(&cp->steps, &steps))
                into = cp;
        }
        if (!into) {
            into = NEW(Capture);
            into->root = u->root;
            into->steps = steps;
            into->place_expr = pe;
            into->type = shared ? shared : pe->ty;
            into->mode = mode;
            into->use = u->why_expr;
            into->at = u->place_span;
            into->why = (char *)explain(u, mode);
            /* captures inside this new one merge into it, keeping the first position */
            int pos = -1;
            for (int k = 0; k < c->captures.len; k++) {
                Capture *cp = c->captures.items[k];
                if (cp->root != u->root || !is_prefix(&steps, &cp->steps))
                    continue;
                if (pos < 0)
                    pos = k;
                if (cp->mode > into->mode) {
                    into->mode = cp->mode;
                    into->use = cp->use;
                    into->at = cp->at;
                    into->why = cp->why;
                }
                into->moved_in_body |= cp->moved_in_body;
                into->mutated_in_body |= cp->mutated_in_body;
                if (shared && (cp->mode == CAP_MUT || cp->mutated_in_body || cp->moved_in_body))
                    into->type = pe->ty; /* written through too: the `&mut` itself */
                c->captures.items[k] = NULL;
            }
            List kept = {0};
            for (int k = 0; k < c->captures.len; k++) {
                if (k == pos)
                    list_push(&kept, into);
                if (c->captures.items[k])
                    list_push(&kept, c->captures.items[k]);
            }
            if (pos < 0)
                list_push(&kept, into);
            c->captures = kept;
        } else {
            if (!shared && (mutated || moved || mode == CAP_MUT) && into->place_expr)
                into->type = into->place_expr->ty; /* written through a reference held as `&`: the `&mut` */
            int rank = moved ? 2 : mutated ? 1 : 0;
            int old = into->moved_in_body ? 2 : into->mutated_in_body ? 1 : 0;
            if (mode > into->mode || rank > old) {
                if (mode > into->mode)
                    into->mode = mode;
                into->use = u->why_expr;
                into->at = u->place_span;
                into->why = (char *)explain(u, into->mode);
            }
        }
        into->moved_in_body |= moved;
        into->mutated_in_body |= mutated;
    }
    for (int k = 0; k < c->captures.len; k++) {
        Capture *cp = c->captures.items[k];
        cp->place = place_text(cp->root, &cp->steps);
        cp->field = field_text(cp->root, &cp->steps);
        if (cp->moved_in_body && c->kind != FN_ONCE) {
            c->kind = FN_ONCE;
            c->kind_cap = cp;
        } else if (cp->mutated_in_body && c->kind == FN_FN) {
            c->kind = FN_MUT;
            c->kind_cap = cp;
        }
    }
    c->analyzed = true;
    clo = saved;
    uses = saved_uses;
}

Capture *sema_capture_of(Closure *c, Expr *e)
{
    return sema_capture_of_deref(c, e, 0);
}

/* The capture that is place e after `derefs` auto-derefs (`g.bx` of `g.bx.name`,
 * with `*g.bx` captured), or NULL. */
Capture *sema_capture_of_deref(Closure *c, Expr *e, int derefs)
{
    Closure *saved = clo;
    clo = c;
    Use u = {0};
    bool ok = place_of(e, &u) && outer(u.root);
    clo = saved;
    if (!ok)
        return NULL;
    for (int i = 0; i < derefs; i++)
        list_push(&u.steps, "*");
    for (int i = 0; i < c->captures.len; i++) {
        Capture *cp = c->captures.items[i];
        if (cp->root == u.root && cp->steps.len == u.steps.len && is_prefix(&cp->steps, &u.steps))
            return cp;
    }
    return NULL;
}

/* ---- --explain-captures ---------------------------------------------------------------------------- */

/* The name a `let` gives the closure expression e, found in block b. */
static const char *bound_name(Block *b, Expr *e);

static const char *bound_in_expr(Expr *x, Expr *e)
{
    if (!x)
        return NULL;
    switch (x->kind) {
    case EX_BLOCK:
    case EX_LOOP:
    case EX_WHILE:
    case EX_FOR:
        return bound_name(x->block, e);
    case EX_IF: {
        const char *n = bound_name(x->block, e);
        return n ? n : bound_in_expr(x->els, e);
    }
    case EX_MATCH:
        for (int i = 0; i < x->arms.len; i++) {
            const char *n = bound_in_expr(((MatchArm *)x->arms.items[i])->body, e);
            if (n)
                return n;
        }
        return NULL;
    case EX_CLOSURE:
        return bound_in_expr(x->body, e);
    default:
        return NULL;
    }
}

static const char *bound_name(Block *b, Expr *e)
{
    for (int i = 0; i < b->stmts.len; i++) {
        Stmt *s = b->stmts.items[i];
        if (s->kind == ST_LET && s->init) {
            Expr *u = s->init;
            while (u->kind == EX_PAREN)
                u = u->operand;
            if (u == e && s->pat->kind == PAT_IDENT)
                return s->pat->name;
            const char *n = bound_in_expr(s->init, e);
            if (n)
                return n;
        } else if (s->kind == ST_EXPR) {
            const char *n = bound_in_expr(s->expr, e);
            if (n)
                return n;
        }
    }
    return bound_in_expr(b->tail, e);
}

static const char *mode_text(Capture *cp, const char *who)
{
    Type *t = cp->type;
    switch (cp->mode) {
    case CAP_REF:
        return xprintf("by shared borrow: the %s holds a `&%s`", who, ty_str(t));
    case CAP_MUT:
        return xprintf("by unique borrow: the %s holds a `&mut %s`", who, ty_str(t));
    default:
        return xprintf("by value: the %s owns the `%s`%s", who, ty_str(t), ty_is_copy(t) ? " (a copy)" : "");
    }
}

static void awaits_in_block(Block *b, List *out);

/* The `.await`s of an async body in source order (not those of the closures and async
 * blocks inside it: they have frames of their own). */
static void awaits_in(Expr *e, List *out)
{
    if (!e || e->kind == EX_CLOSURE)
        return;
    awaits_in(e->operand, out);
    if (e->kind == EX_AWAIT)
        list_push(out, e);
    awaits_in(e->lhs, out);
    awaits_in(e->rhs, out);
    awaits_in(e->cond, out);
    awaits_in_block(e->block, out);
    awaits_in(e->els, out);
    awaits_in(e->base, out);
    for (int i = 0; i < e->args.len; i++)
        awaits_in(e->args.items[i], out);
    for (int i = 0; i < e->fields.len; i++)
        awaits_in(((FieldInit *)e->fields.items[i])->value, out);
    for (int i = 0; i < e->arms.len; i++) {
        MatchArm *a = e->arms.items[i];
        awaits_in(a->guard, out);
        awaits_in(a->body, out);
    }
    if (e->kind == EX_MACRO && e->mac)
        for (int i = 0; i < e->mac->args.len; i++)
            awaits_in(e->mac->args.items[i], out);
}

void sema_awaits_of(Block *b, List *out) { awaits_in_block(b, out); }

static void awaits_in_block(Block *b, List *out)
{
    for (int i = 0; b && i < b->stmts.len; i++) {
        Stmt *s = b->stmts.items[i];
        awaits_in(s->init, out);
        awaits_in(s->expr, out);
        awaits_in_block(s->els ? s->els : NULL, out);
    }
    if (b)
        awaits_in(b->tail, out);
}

/* What an async frame holds across each of its `.await`s (borrowck's liveness query). */
static void explain_frame(FILE *out, FnDef *f, Closure *clo, Block *body, const char *c_name)
{
    List aws = {0};
    awaits_in_block(body, &aws);
    if (!aws.len) {
        fprintf(out, "  it never awaits: one poll runs it to the end\n");
    } else {
        fprintf(out, "  what its frame holds across each `.await` (the poll returns there while the future waits):\n");
        for (int i = 0; i < aws.len; i++) {
            Expr *a = aws.items[i];
            fprintf(out, "  await %d at %u:%u, %s: ", a->await_index, a->span.line, a->span.col, short_src(a->span));
            if (!a->bck_held.len)
                fprintf(out, "no local, only the awaited future\n");
            for (int k = 0; k < a->bck_held.len; k++) {
                Local *l = a->bck_held.items[k];
                fprintf(out, "%s`%s`%s", k ? ", " : "", l->name, k + 1 == a->bck_held.len ? "\n" : "");
            }
        }
        int nc = 0;
        for (int k = 0; k < f->locals.len; k++) {
            Local *l = f->locals.items[k];
            if (l->closure == clo && !l->held && !l->is_param && !l->is_temp && strncmp(l->name, "__await", 7))
                fprintf(out, "%s`%s`", nc++ ? ", " : "  C variables of its poll (nothing reads them across an await): ",
                        l->name);
        }
        if (nc)
            fputc('\n', out);
    }
    fprintf(out, "  in C: struct %s_future, polled by %s_poll(%s_future *self, MrsContext *cx)\n", c_name, c_name, c_name);
}

void sema_explain_captures(FILE *out, Program *prog)
{
    int n = 0;
    for (int i = 0; i < prog->fns.len; i++) {
        FnDef *f = prog->fns.items[i];
        if (f->is_async && f->item->body) {
            if (n++)
                fputc('\n', out);
            fprintf(out, "async fn %s at %s:%u:%u\n", f->name, diag_file_name(), f->item->name_span.line,
                    f->item->name_span.col);
            int np = 0;
            for (int k = 0; k < f->locals.len; k++) {
                Local *l = f->locals.items[k];
                if (l->is_param && !l->closure)
                    fprintf(out, "%s`%s`", np++ ? ", " : "  calling it stores its arguments in the frame: ", l->name);
            }
            fprintf(out, "%s", np ? "\n" : "  it takes no arguments: calling it makes a frame that holds only its state\n");
            explain_frame(out, f, NULL, f->item->body, f->cname);
        }
        for (int k = 0; k < f->closures.len; k++) {
            Closure *c = f->closures.items[k];
            Expr *e = c->expr;
            const char *name = f->item->body ? bound_name(f->item->body, e) : NULL;
            if (n++)
                fputc('\n', out);
            fprintf(out, "%s at %s:%u:%u in fn %s%s%s%s\n", e->async_block ? "async block" : "closure", diag_file_name(),
                    e->span.line, e->span.col, f->name, name ? ", bound to `" : "", name ? name : "", name ? "`" : "");
            if (c->async_fn) { /* its captures are the first fields of its frame */
                if (!c->captures.len)
                    fprintf(out, "  captures nothing%s\n", e->is_move ? " (`move` has nothing to move)" : "");
                else
                    fprintf(out, "  captures, in the order its body first uses them (the first fields of its frame):\n");
                for (int j = 0; j < c->captures.len; j++) {
                    Capture *cp = c->captures.items[j];
                    fprintf(out, "  %d. `%s`: %s\n       -> captured %s\n", j + 1, cp->place, cp->why,
                            mode_text(cp, "block"));
                }
                explain_frame(out, f, c, e->body->block, xprintf("%s_async_%d", f == prog->main ? "main" : f->cname, c->index));
                continue;
            }
            if (!c->captures.len)
                fprintf(out, "  captures nothing%s\n", e->is_move ? " (`move` has nothing to move)" : "");
            else
                fprintf(out, "  captures, in the order its body first uses them (the fields of its C struct):\n");
            for (int j = 0; j < c->captures.len; j++) {
                Capture *cp = c->captures.items[j];
                fprintf(out, "  %d. `%s`: %s\n       -> captured %s\n", j + 1, cp->place, cp->why,
                        mode_text(cp, "closure"));
            }
            const char *kind = c->kind == FN_ONCE ? "FnOnce" : c->kind == FN_MUT ? "FnMut" : "Fn";
            if (c->kind == FN_ONCE)
                fprintf(out, "  trait: FnOnce, because it moves `%s` out of its environment: it can be called once\n",
                        c->kind_cap->place);
            else if (c->kind == FN_MUT && c->kind_cap->mode == CAP_VALUE && c->kind_cap->type->kind == TY_REF)
                fprintf(out, "  trait: FnMut, because calling it mutates through `%s`, the `&mut` reference it owns\n",
                        c->kind_cap->place);
            else if (c->kind == FN_MUT)
                fprintf(out, "  trait: FnMut, because calling it mutates `%s`%s\n", c->kind_cap->place,
                        c->kind_cap->mode == CAP_VALUE ? ", which it owns" : " through its unique borrow");
            else
                fprintf(out, "  trait: Fn: its body only reads what it captured\n");
            if (c->kind == FN_MUT)
                fprintf(out, "  calling it needs a mutable binding%s%s%s: FnMut's call_mut takes `&mut self`\n",
                        name ? " (`let mut " : "", name ? name : "", name ? "`)" : "");
            else if (c->kind == FN_ONCE)
                fprintf(out, "  calling it consumes it (FnOnce's call_once takes `self`): a second call is E0382\n");
            else
                fprintf(out, "  calling it needs only a shared borrow of it (Fn's call takes `&self`)\n");
            fprintf(out, "  in C: struct %s_closure_%d, body %s_closure_%d_%s(%s%s_closure_%d *env)\n",
                    f == prog->main ? "main" : f->cname, c->index, f == prog->main ? "main" : f->cname, c->index,
                    c->kind == FN_ONCE ? "call_once" : c->kind == FN_MUT ? "call_mut" : "call",
                    c->kind == FN_FN ? "const " : "", f == prog->main ? "main" : f->cname, c->index);
            (void)kind;
        }
    }
    if (!n)
        fprintf(out, "no closures in %s\n", diag_file_name());
}

Span sema_closure_head(Expr *e)
{
    const char *t = diag_source_text(e->span);
    Span h = e->span;
    if (!t)
        return h;
    if (e->async_block) { /* `async` (rustc points at the keyword) */
        h.hi = h.lo + 5;
        return h;
    }
    const char *bar = strchr(t, '|');
    const char *end = bar ? strchr(bar + 1, '|') : NULL;
    if (end && (uint32_t)(end + 1 - t) <= e->span.hi - e->span.lo)
        h.hi = h.lo + (uint32_t)(end + 1 - t);
    return h;
}
