/* temps.c — temporaries: which values live in one, and for how long.
 *
 * requires: a typed body; moves.c calls in as it walks the body with the
 * classifier of uses (a place context is a use that is not a move);
 * produces: on each value expression the Rust reference puts in a
 * temporary and that owns something, Expr.temp: a Local of its own
 * (is_temp) that the graph (cfg.c) gives a scope, drops and states like any
 * local, and that codegen writes as a C variable. Its scope is the
 * enclosing temporary scope (a statement, a condition, a guard, a
 * scrutinee's construct...), or, by `let` lifetime extension, the block of
 * the `let` (Local.extended; ext_nested when the initializer makes it in a
 * branch or an inner block only, so that it needs a drop flag). */
#include "borrowck.h"

#include <string.h>

static Expr *unparen(Expr *e)
{
    while (e && e->kind == EX_PAREN)
        e = e->operand;
    return e;
}

/* Is e a value expression (it makes a new value), not a place? */
static bool value_expr(Expr *e)
{
    switch (e->kind) {
    case EX_CALL: case EX_METHOD: case EX_MACRO: case EX_STRUCT: case EX_TUPLE: case EX_ARRAY:
    case EX_ARRAY_REPEAT: case EX_BINARY: case EX_BLOCK: case EX_IF: case EX_MATCH: case EX_CLOSURE:
    case EX_TRY: case EX_AWAIT: case EX_LOOP: /* (`v()?.len()`: the Ok value; an await's output; a break's) */
        return true;
    default:
        return false;
    }
}

bool bck_place_expr(Expr *e)
{
    e = unparen(e);
    return e->kind == EX_PATH || e->kind == EX_FIELD || e->kind == EX_TUPLE_FIELD || e->kind == EX_INDEX ||
           (e->kind == EX_UNARY && e->unop == UN_DEREF);
}

static Local *new_temp(Expr *e, Type *t, Closure *clo)
{
    Local *l = NEW(Local);
    l->name = "temporary";
    l->type = t;
    l->span = e->span;
    l->closure = clo;
    l->is_temp = true;
    e->temp = l;
    return l;
}

/* e's value is used where a place is needed (borrowed, auto-ref'd as a
 * receiver, a field or an index taken of it, matched on): if it is a value
 * expression that owns something, it gets its temporary. */
void bck_note_temp(Expr *e, Closure *clo)
{
    Type *t = e->adjust && e->adjust->target && e->adjust->coerce != CO_NONE ? e->adjust->target : e->ty;
    Expr *u = unparen(e); /* (`(make()).len()`: the value inside the parentheses) */
    if (t && value_expr(u) && ty_needs_drop(t))
        new_temp(u, t, clo);
}

/* An expression statement whose value is not a place and owns something
 * (`v.remove(0);`, `make()?;`): the value is dropped at the `;`. A block,
 * `if`, `match` or loop delivers its value to its own parts. */
void bck_note_discarded(Expr *e, Closure *clo)
{
    e = unparen(e);
    switch (e->kind) {
    case EX_IF: case EX_MATCH: case EX_BLOCK: case EX_LOOP: case EX_WHILE: case EX_FOR:
        return;
    default:
        if (!bck_place_expr(e) && e->ty && ty_needs_drop(e->ty))
            new_temp(e, e->ty, clo);
    }
}

/* Does iterating a value of type t by value own what is left of it? */
static bool iter_owns(Type *t)
{
    return ty_needs_drop(t); /* (an iterator: a Vec's or a map's buffer, what its closures own) */
}

/* `for p in e` is `let mut iter = e.into_iter(); loop { .. }`: when the
 * iterator owns the items it has not yet given out (a Vec or an array by
 * value), it is a hidden local of the loop, which Expr.temp of the `for`
 * holds; leaving the loop drops it. */
void bck_note_for_iter(Expr *e, Closure *clo)
{
    if (e->operand->ty && iter_owns(e->operand->ty)) {
        Local *l = new_temp(e, e->operand->ty, clo);
        l->name = "iterator";
    }
}

/* A constant expression rustc promotes to a static when it is borrowed
 * (`&10`, `&[1, 2]`, `&(4, true)`): literals, negated literals, and
 * tuples and arrays of them. */
static bool promotable(Expr *e)
{
    e = unparen(e);
    switch (e->kind) {
    case EX_INT: case EX_FLOAT: case EX_BOOL: case EX_CHAR: case EX_BYTE:
        return true;
    case EX_UNARY:
        return e->unop == UN_NEG && promotable(e->operand);
    case EX_TUPLE:
    case EX_ARRAY:
        for (int i = 0; i < e->args.len; i++)
            if (!promotable(e->args.items[i]))
                return false;
        return e->args.len > 0;
    default:
        return false;
    }
}

void bck_note_promoted(Expr *ref)
{
    Expr *op = unparen(ref->operand);
    op->promoted = !ref->is_mut && promotable(op);
}

/* `let x = &temp;` and its forms: the temporaries that `let` lifetime
 * extension gives the `let`'s block. e is (a part of) the initializer;
 * nested: inside a block or a branch of it. */
static void extend(Stmt *s, Expr *e, bool nested)
{
    e = unparen(e);
    switch (e->kind) {
    case EX_REF: {
        /* `&temp`, and `&temp.field` / `&temp[i]`: the temporary at the base */
        Expr *op = unparen(e->operand);
        Expr *base = op;
        while (base->kind == EX_FIELD || base->kind == EX_TUPLE_FIELD || base->kind == EX_INDEX) {
            FieldRes *fr = base->sema;
            if (base->kind != EX_INDEX && fr && fr->derefs)
                break; /* through a reference or Box: not a part of the temporary */
            base = unparen(base->kind == EX_INDEX ? base->lhs : base->operand);
        }
        if (base->kind == EX_INDEX || (base != op && base->ty && base->ty->kind == TY_REF))
            base = op;
        if (!bck_place_expr(base) && base->temp) {
            base->temp->extended = true;
            base->temp->ext_nested = nested;
            list_push(&s->bck_extended, base);
        }
        extend(s, op, nested);
        return;
    }
    case EX_TUPLE:
    case EX_ARRAY:
        for (int i = 0; i < e->args.len; i++)
            extend(s, e->args.items[i], nested);
        return;
    case EX_STRUCT:
        for (int i = 0; i < e->fields.len; i++)
            extend(s, ((FieldInit *)e->fields.items[i])->value, nested);
        return;
    case EX_CAST:
        extend(s, e->operand, nested);
        return;
    case EX_BLOCK:
        if (e->block->tail && !e->label)
            extend(s, e->block->tail, true);
        return;
    case EX_IF:
        if (e->cond->kind == EX_LET)
            return;
        if (e->block->tail)
            extend(s, e->block->tail, true);
        if (e->els)
            extend(s, e->els, true);
        return;
    case EX_MATCH: /* each arm's value (Rust 1.79) */
        for (int i = 0; i < e->arms.len; i++)
            extend(s, ((MatchArm *)e->arms.items[i])->body, true);
        return;
    default:
        return;
    }
}

void bck_extend_temps(Stmt *s)
{
    s->bck_extended = (List){0};
    if (s->init)
        extend(s, s->init, false);
}
