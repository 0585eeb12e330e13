/* lints.c — rustc's deny-by-default lints that are errors: literals out of
 * range for their type (overflowing_literals) and arithmetic on values
 * known when compiling that overflows (arithmetic_overflow).
 *
 * requires: a checked, zonked fn body (Ctx.exprs, Ctx.lets);
 * produces: the errors, as rustc words them (no error code: lints have
 * none). A value is known when it is an integer literal, an immutable
 * local whose `let` gave it one, or `-`, `+`, `-`, `*` of known values,
 * which is what rustc's constant propagation sees in such programs. */
#include "check_int.h"

#include <string.h>

typedef __int128 I128;

/* The range of integer type t (up to 64 bits); false for others. */
static bool int_range(Type *t, I128 *lo, I128 *hi)
{
    t = ty_resolve(t);
    if (!t || !(t->kind <= TY_USIZE) || ty_int_bits(t) > 64)
        return false;
    int bits = ty_int_bits(t);
    if (ty_is_signed(t)) {
        *lo = -((I128)1 << (bits - 1));
        *hi = ((I128)1 << (bits - 1)) - 1;
    } else {
        *lo = 0;
        *hi = ((I128)1 << bits) - 1;
    }
    return true;
}

static char *i128_text(I128 v)
{
    char buf[48], *p = buf + sizeof buf;
    *--p = 0;
    bool neg = v < 0;
    unsigned __int128 u = neg ? -(unsigned __int128)v : (unsigned __int128)v;
    do {
        *--p = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u);
    if (neg)
        *--p = '-';
    return xstrdup(p);
}

/* An integer literal's value (all 128 bits of it). */
static I128 lit_value(Expr *e)
{
    return (I128)(((unsigned __int128)e->int_hi << 64) | e->int_val);
}

/* The value of e if it is known when compiling, in range for its type. */
static bool known(Ctx *c, Expr *e, I128 *v, int depth)
{
    e = strip_parens(e);
    I128 lo, hi, a, b;
    if (!e || depth > 32 || !int_range(e->ty, &lo, &hi))
        return false;
    switch (e->kind) {
    case EX_INT:
        *v = lit_value(e);
        break;
    case EX_UNARY:
        if (e->unop != UN_NEG || e->sema)
            return false;
        if (strip_parens(e->operand)->kind == EX_INT) /* `-128` of an i8: the literal is 128 */
            a = lit_value(strip_parens(e->operand));
        else if (!known(c, e->operand, &a, depth + 1))
            return false;
        *v = -a;
        break;
    case EX_BINARY:
        if (e->sema || !known(c, e->lhs, &a, depth + 1) || !known(c, e->rhs, &b, depth + 1))
            return false;
        if (e->binop == BIN_ADD)
            *v = a + b;
        else if (e->binop == BIN_SUB)
            *v = a - b;
        else if (e->binop == BIN_MUL)
            *v = a * b;
        else
            return false;
        break;
    case EX_PATH: {
        if (!e->def || e->def->kind != DEF_LOCAL || e->def->local->is_mut)
            return false;
        Local *l = e->def->local;
        for (int i = 0; i < c->lets.len; i++) {
            Stmt *s = c->lets.items[i];
            if (s->pat->kind == PAT_IDENT && s->pat->local == l && !s->pat->sub && s->init)
                return known(c, s->init, v, depth + 1);
        }
        return false;
    }
    default:
        return false;
    }
    return *v >= lo && *v <= hi;
}

/* `-129` as an i8: the smallest signed type that holds v (rustc's help). */
static const char *wider_type(Type *t, I128 v)
{
    static const TypeKind signed_kinds[] = {TY_I8, TY_I16, TY_I32, TY_I64};
    static const char *names[] = {"i8", "i16", "i32", "i64"};
    if (v >= 0 && !ty_is_signed(t))
        return NULL;
    int bits = ty_int_bits(t);
    if (v >= 0 && v <= ((I128)1 << bits) - 1) /* the unsigned type of its width */
        return bits == 8 ? "u8" : bits == 16 ? "u16" : bits == 32 ? "u32" : "u64";
    for (int i = 0; i < 4; i++) {
        I128 lo, hi;
        int_range(ty_prim(signed_kinds[i]), &lo, &hi);
        if (v >= lo && v <= hi && ty_int_bits(ty_prim(signed_kinds[i])) > bits)
            return names[i];
    }
    return NULL;
}

static void literal_out_of_range(Expr *e, I128 v)
{
    I128 lo, hi;
    int_range(e->ty, &lo, &hi);
    if (v >= lo && v <= hi)
        return;
    const char *ty = ty_str(e->ty);
    Diag *d = diag_error(NULL, e->span, "literal out of range for `%s`", ty);
    diag_note(d, "the literal `%s` does not fit into the type `%s` whose range is `%s..=%s`",
              diag_source_text(e->span), ty, i128_text(lo), i128_text(hi));
    static bool said; /* rustc says it at the lint's first error only */
    if (!said)
        diag_note(d, "`#[deny(overflowing_literals)]` on by default");
    said = true;
    const char *w = wider_type(e->ty, v);
    if (w && ty_is_signed(e->ty))
        diag_help(d, "consider using the type `%s` instead", w);
}

/* overflowing_literals and arithmetic_overflow over the fn just checked. */
void lint_fn(Ctx *c)
{
    I128 lo, hi, a, b;
    List negated = {0}, lits = {0}; /* a literal under a `-` is checked with its sign */
    for (int i = 0; i < c->exprs.len; i++) {
        Expr *e = c->exprs.items[i];
        if (e->kind == EX_UNARY && e->unop == UN_NEG && strip_parens(e->operand)->kind == EX_INT && !e->sema &&
            int_range(e->ty, &lo, &hi) && ty_is_signed(e->ty)) { /* (`-1` as a u32 is E0600 already) */
            list_push(&negated, strip_parens(e->operand));
            list_push(&lits, e);
        }
    }
    for (int i = 0; i < c->exprs.len; i++) {
        Expr *e = c->exprs.items[i];
        bool seen = false;
        for (int k = 0; k < negated.len && !seen; k++)
            seen = negated.items[k] == e;
        if (e->kind == EX_INT && !seen && int_range(e->ty, &lo, &hi))
            list_push(&lits, e);
    }
    for (int i = 1; i < lits.len; i++) /* in source order: the first says the lint's note */
        for (int k = i; k > 0 && ((Expr *)lits.items[k - 1])->span.lo > ((Expr *)lits.items[k])->span.lo; k--) {
            void *t = lits.items[k];
            lits.items[k] = lits.items[k - 1];
            lits.items[k - 1] = t;
        }
    for (int i = 0; i < lits.len; i++) {
        Expr *e = lits.items[i];
        literal_out_of_range(e, e->kind == EX_INT ? lit_value(e) : -lit_value(strip_parens(e->operand)));
    }
    for (int i = 0; i < c->exprs.len; i++) {
        Expr *e = c->exprs.items[i];
        if (e->kind != EX_BINARY || e->sema || !int_range(e->ty, &lo, &hi))
            continue;
        if (e->binop != BIN_ADD && e->binop != BIN_SUB && e->binop != BIN_MUL)
            continue;
        if (!known(c, e->lhs, &a, 0) || !known(c, e->rhs, &b, 0))
            continue;
        I128 r = e->binop == BIN_ADD ? a + b : e->binop == BIN_SUB ? a - b : a * b;
        if (r >= lo && r <= hi)
            continue;
        const char *ty = ty_str(e->ty);
        Diag *d = diag_error(NULL, e->span, "this arithmetic operation will overflow");
        diag_primary_label(d, "attempt to compute `%s_%s %s %s_%s`, which would overflow", i128_text(a), ty,
                           ast_binop_str(e->binop), i128_text(b), ty);
        static bool said;
        if (!said)
            diag_note(d, "`#[deny(arithmetic_overflow)]` on by default");
        said = true;
    }
}
