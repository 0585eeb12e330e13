/* macros.c — the std macros: print!/println!/eprint!/eprintln!, format!,
 * panic!/unreachable!/todo!/unimplemented!, assert!/assert_eq!/assert_ne!
 * (and their debug_ forms), vec!, matches!, write!/writeln!.
 *
 * requires: a Ctx for the body;
 * produces: a FmtCall on each formatting macro (Expr.sema): the pieces
 * fmtstr.c parses and the arguments typed, each checked against the trait
 * its placeholder asks for (E0277). Other macros are rejected as not
 * supported. */
#include "check_int.h"

#include <string.h>

typedef struct FmtCtx {
    Ctx *c;
    FmtCall *call;
    int nexplicit;
    List named; /* List of Expr * (EX_ASSIGN name = value) among the explicit args */
} FmtCtx;

static int fmt_lookup(void *vctx, const char *name, Span span)
{
    FmtCtx *fc = vctx;
    for (int i = 0; i < fc->call->args.len && i < fc->nexplicit; i++) {
        Expr *a = fc->call->args.items[i];
        if (a->kind == EX_ASSIGN && strip_parens(a->lhs)->kind == EX_PATH &&
            strcmp(seg_name(strip_parens(a->lhs)->path, 0), name) == 0)
            return i;
    }
    for (int i = fc->nexplicit; i < fc->call->args.len; i++) {
        Expr *a = fc->call->args.items[i];
        if (strcmp(seg_name(a->path, 0), name) == 0)
            return i;
    }
    Expr *e = ast_new_expr(EX_PATH, span);
    e->span.hi = e->span.lo + (uint32_t)strlen(name);
    e->path = ast_path_ident(xstrdup(name), e->span);
    list_push(&fc->call->args, e);
    check_expr(fc->c, e, NULL);
    return fc->call->args.len - 1;
}

/* Can a value of type t be formatted with `trait`? Reports E0277. */
bool fmt_trait_ok(Type *t, FmtTrait trait, Span span, bool report)
{
    Type *r = ty_resolve(t);
    while (r->kind == TY_REF || ty_is_std(r, STD_BOX))
        r = ty_resolve(r->args[0]);
    if (r->kind == TY_ERROR || r->kind == TY_VAR || r->kind == TY_PROJ)
        return true; /* a projection is checked again in each instance */
    bool ok;
    const char *tname = ty_str(r);
    if (trait == FT_DISPLAY) {
        ok = r->kind <= TY_STR || ty_is_std(r, STD_STRING) || type_implements(r, prog->display) ||
             (r->kind == TY_DYN && r->trait == prog->display);
        if (!ok && report) {
            Diag *d = diag_error("E0277", span, "`%s` doesn't implement `std::fmt::Display`", tname);
            diag_primary_label(d, "`%s` cannot be formatted with the default formatter", tname);
        }
        return ok;
    }
    if (trait == FT_DEBUG) {
        switch (r->kind) {
        case TY_ADT:
            ok = (r->adt->derives & DERIVE_DEBUG) != 0 || r->adt == prog->ordering;
            for (int i = 0; ok && i < r->nargs; i++)
                ok = fmt_trait_ok(r->args[i], trait, span, false);
            break;
        case TY_STD:
            if (r->std->debug != SI_ARGS) {
                ok = r->std->debug == SI_YES;
                break;
            }
            /* Debug when its type arguments are: */
            /* fall through */
        case TY_TUPLE: case TY_ARRAY: case TY_SLICE:
            ok = true;
            for (int i = 0; ok && i < r->nargs; i++)
                ok = fmt_trait_ok(r->args[i], trait, span, false);
            break;
        case TY_FN: case TY_ITER:
            ok = false;
            break;
        case TY_PARAM:
            ok = satisfies(r, find_trait("Debug"));
            break;
        default:
            ok = true;
        }
        if (!ok && report) {
            Diag *d = diag_error("E0277", span, "`%s` doesn't implement `Debug`", tname);
            diag_primary_label(d, "`%s` cannot be formatted using `{:?}`", tname);
        }
        return ok;
    }
    if (trait == FT_LOWER_EXP || trait == FT_UPPER_EXP)
        ok = ty_is_numeric(r);
    else
        ok = ty_is_int(r);
    if (!ok && report)
        diag_error("E0277", span, "the trait bound `%s: std::fmt::%s` is not satisfied", tname,
                   trait == FT_LOWER_HEX ? "LowerHex" : trait == FT_UPPER_HEX ? "UpperHex" : trait == FT_OCTAL ? "Octal"
                   : trait == FT_BINARY ? "Binary" : "LowerExp");
    return ok;
}

/* Check a format string and its arguments: args[first] is the literal. */
static FmtCall *check_format(Ctx *c, Expr *mac_expr, List *args, int first)
{
    MacroCall *m = mac_expr->mac;
    FmtCall *call = NEW(FmtCall);
    if (args->len <= first) {
        return call; /* no format string: empty message */
    }
    Expr *lit = args->items[first];
    if (lit->kind != EX_STR) {
        diag_error(NULL, lit->span, "format argument must be a string literal");
        for (int i = first; i < args->len; i++)
            check_expr(c, args->items[i], NULL);
        return NULL;
    }
    set_ty(c, lit, ty_ref(ty_prim(TY_STR), false));
    FmtCtx fc = {.c = c, .call = call, .nexplicit = args->len - first - 1};
    call->nexplicit = fc.nexplicit;
    for (int i = first + 1; i < args->len; i++) {
        Expr *a = args->items[i];
        list_push(&call->args, a);
        if (a->kind == EX_ASSIGN) {
            /* named argument `name = value`: the value is what is formatted */
            check_expr(c, a->rhs, NULL);
            a->ty = a->rhs->ty;
            continue;
        }
        check_expr(c, a, NULL);
    }
    if (!fmt_parse(lit, fc.nexplicit, call, fmt_lookup, &fc))
        return NULL;
    for (int i = 0; i < call->pieces.len; i++) {
        FmtPiece *p = call->pieces.items[i];
        if (p->lit)
            continue;
        Expr *a = call->args.items[p->arg];
        Expr *val = a->kind == EX_ASSIGN ? a->rhs : a;
        fmt_trait_ok(val->ty, p->trait, val->span, true);
        if (p->width_arg >= 0)
            unify(((Expr *)call->args.items[p->width_arg])->ty, ty_prim(TY_USIZE));
        if (p->precision_arg >= 0)
            unify(((Expr *)call->args.items[p->precision_arg])->ty, ty_prim(TY_USIZE));
    }
    (void)m;
    return call;
}

Type *check_macro(Ctx *c, Expr *e, Type *expected)
{
    MacroCall *m = e->mac;
    const char *n = m->name;
    List *args = &m->args;
    if (!strcmp(n, "println") || !strcmp(n, "print") || !strcmp(n, "eprintln") || !strcmp(n, "eprint")) {
        FmtCall *fc = check_format(c, e, args, 0);
        if (fc)
            fc->newline = n[strlen(n) - 1] == 'n';
        e->sema = fc;
        return ty_unit();
    }
    if (!strcmp(n, "format")) {
        if (args->len == 0)
            diag_error(NULL, e->span, "requires at least a format string argument");
        e->sema = check_format(c, e, args, 0);
        return ty_string();
    }
    if (!strcmp(n, "panic") || !strcmp(n, "unreachable") || !strcmp(n, "todo") || !strcmp(n, "unimplemented")) {
        e->sema = check_format(c, e, args, 0);
        return ty_prim(TY_NEVER);
    }
    if (!strcmp(n, "assert") || !strcmp(n, "debug_assert")) {
        if (args->len == 0) {
            diag_error(NULL, e->span, "macro requires a boolean expression as an argument");
            return ty_unit();
        }
        check_coerce(c, args->items[0], ty_prim(TY_BOOL));
        e->sema = args->len > 1 ? check_format(c, e, args, 1) : NULL;
        return ty_unit();
    }
    if (!strcmp(n, "assert_eq") || !strcmp(n, "assert_ne") || !strcmp(n, "debug_assert_eq") ||
        !strcmp(n, "debug_assert_ne")) {
        if (args->len < 2) {
            diag_error(NULL, e->span, "expected 2 arguments to `%s!`", n);
            return ty_unit();
        }
        Expr *a = args->items[0], *b = args->items[1];
        Type *at = check_expr(c, a, NULL);
        Type *bt = check_expr(c, b, at);
        int r1, r2;
        if (!(is_stringish(at, &r1) && is_stringish(bt, &r2)) && !seq_eq_ok(at, bt) && !unify(at, bt))
            compare_mismatch(e->span, b->span, at, bt);
        else if (!comparable(at, false)) {
            Diag *d = diag_error("E0369", e->span, "binary operation `==` cannot be applied to type `%s`", ty_str(at));
            (void)d;
        }
        fmt_trait_ok(at, FT_DEBUG, a->span, true);
        e->sema = args->len > 2 ? check_format(c, e, args, 2) : NULL;
        return ty_unit();
    }
    if (!strcmp(n, "vec")) {
        Type *x = expected ? ty_resolve(expected) : NULL;
        Type *elem = x && ty_is_std(x, STD_VEC) ? x->args[0] : ty_var(VAR_ANY);
        if (m->is_repeat) {
            check_coerce(c, args->items[0], elem);
            check_coerce(c, args->items[1], ty_prim(TY_USIZE));
        } else {
            for (int i = 0; i < args->len; i++)
                check_coerce(c, args->items[i], elem);
        }
        return ty_vec(elem);
    }
    if (!strcmp(n, "pin") && args->len == 1) {
        /* pin!(v): v moves into a temporary that the `let` extends to its block (`&mut { v }`),
         * reached only through the Pin<&mut T> the macro gives */
        Expr *v = args->items[0];
        Expr *blk = ast_new_expr(EX_BLOCK, v->span);
        blk->block = NEW(Block);
        blk->block->span = v->span;
        blk->block->tail = v;
        e->kind = EX_REF;
        e->is_mut = true;
        e->pin_macro = true;
        e->operand = blk;
        return check_expr(c, e, expected);
    }
    if (!strcmp(n, "matches")) {
        if (!m->pat || args->len < 1) {
            diag_error(NULL, e->span, "`matches!` needs an expression and a pattern");
            return ty_prim(TY_BOOL);
        }
        Type *t = check_expr(c, args->items[0], NULL);
        push_scope(c);
        check_pat(c, m->pat, t, true);
        if (m->guard)
            check_coerce(c, m->guard, ty_prim(TY_BOOL));
        pop_scope(c);
        return ty_prim(TY_BOOL);
    }
    if (!strcmp(n, "write") || !strcmp(n, "writeln")) {
        if (args->len < 1) {
            diag_error(NULL, e->span, "`%s!` needs a destination", n);
            return ty_error();
        }
        Expr *dest = args->items[0];
        Type *dt = ty_resolve(check_expr(c, dest, NULL));
        Type *db = dt;
        while (db->kind == TY_REF)
            db = ty_resolve(db->args[0]);
        if (ty_is_std(db, STD_STRING)) { /* fmt::Write for String: appends */
            if (!fmt_write_in_scope) {
                Diag *d = diag_error("E0599", dest->span, "cannot write into `%s`", ty_str(dt));
                diag_help(d, "trait `Write` which provides `write_fmt` is implemented but not in scope; perhaps you want to import it: `use std::fmt::Write;`");
            } else if (dt->kind == TY_REF && !dt->is_mut) {
                Diag *d = diag_error("E0596", dest->span, "cannot borrow `*%s` as mutable, as it is behind a `&` reference",
                                     place_str(dest));
                (void)d;
            } else if (dt->kind != TY_REF && is_place(dest)) {
                check_mutable(c, dest, false, dest->span);
            }
        } else if (!(db->kind == TY_ADT && db->adt == prog->formatter) && db->kind != TY_ERROR) {
            unsupported(dest->span, xprintf("`%s!` into `%s` (only a `fmt::Formatter` or a `String`)", n, ty_str(dt)));
            return ty_error();
        }
        FmtCall *fc = args->len > 1 ? check_format(c, e, args, 1) : NEW(FmtCall);
        if (fc) {
            fc->dest = dest;
            fc->newline = !strcmp(n, "writeln");
        }
        e->sema = fc;
        return fmt_result_type();
    }
    if (!strcmp(n, "file") && !args->len) /* the path given on the command line, as rustc's */
        return ty_ref(ty_prim(TY_STR), false);
    if ((!strcmp(n, "line") || !strcmp(n, "column")) && !args->len)
        return ty_prim(TY_U32);
    diag_error(NULL, e->span, "the macro `%s!` is not supported by mrsc", n);
    return ty_error();
}
