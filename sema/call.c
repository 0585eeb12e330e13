/* call.c — calls: constructors, fns, associated and trait fns, the std
 * functions mrsc implements, closures, and callables passed to generic fns
 * or std methods.
 *
 * requires: resolved items and a Ctx for the body;
 * produces: the call's type and callee Def, an Inst for a generic callee
 * (Expr.sema of EX_CALL), and for each closure expression its Closure
 * (Expr.sema) with parameter and return types; what it captures is decided
 * after inference (check.c, captures.c). E0061, E0593, E0618. */
#include "check_int.h"

#include <string.h>

/* Check call arguments against parameter types; E0061 on a count mismatch. */
void check_args(Ctx *c, Expr *call, Span callee_span, List *args, Type **params, int nparams,
                const char *what)
{
    if (args->len != nparams) {
        Diag *d = diag_error("E0061", callee_span, "this %s takes %d argument%s but %d argument%s supplied", what,
                             nparams, nparams == 1 ? "" : "s", args->len, args->len == 1 ? " was" : "s were");
        (void)d;
        (void)call;
    }
    for (int i = 0; i < args->len; i++)
        check_coerce(c, args->items[i], i < nparams ? params[i] : NULL);
}

/* A call of `unsafe fn` f at span: E0133 outside `unsafe` (or an unsafe fn's body). */
void require_unsafe_call(Ctx *c, Span span, FnDef *f)
{
    if (c->unsafe_depth)
        return;
    const char *name = f->owner ? xprintf("%s::%s", f->owner->name, f->name) : f->name;
    Diag *d = diag_error("E0133", span, "call to unsafe function `%s` is unsafe and requires unsafe function or block", name);
    diag_primary_label(d, "call to unsafe function");
    diag_note(d, "consult the function's documentation for information on how to avoid undefined behavior");
}

/* F::Output of a value of type ft that is a future: a type implementing Future, a
 * Pin<P> whose target does, or a &mut F of an Unpin one; E0277 at span otherwise. */
Type *future_output(Span span, Type *ft, Span call_span)
{
    Type *t = ty_resolve(ft);
    Type *x = t;
    if (ty_is_std(t, STD_PIN)) {
        Type *p = ty_resolve(t->args[0]);
        if (p->kind == TY_REF || ty_is_std(p, STD_BOX))
            x = ty_resolve(p->args[0]);
    } else if (t->kind == TY_REF && t->is_mut) {
        x = ty_resolve(t->args[0]);
    }
    if (x->kind == TY_ERROR || (x->kind == TY_VAR && x->var_kind == VAR_ANY))
        return ty_error();
    if (x->kind == TY_VAR || !satisfies(x, prog->future)) { /* (a literal is no future) */
        for (int k = 0; k < 1 + (call_span.lo != 0); k++) { /* block_on(x): at x, and at the call's result */
            Diag *d = diag_error("E0277", k ? call_span : span, "`%s` is not a future", ty_str(ft));
            diag_primary_label(d, "`%s` is not a future", ty_str(ft));
            diag_help(d, "the trait `Future` is not implemented for `%s`", ty_str(ft));
        }
        return ty_error();
    }
    Type *culprit;
    if (t->kind == TY_REF && !ty_is_unpin(x, &culprit)) {
        unpin_error(span, x, culprit, NULL);
        return ty_error();
    }
    return ty_resolve(ty_proj(x, prog->future, 0));
}

static Type *check_builtin_call(Ctx *c, Expr *e, Def *d, Type *expected)
{
    List *args = &e->args;
    Span cs = e->operand->span;
    Type *str_ref = ty_ref(ty_prim(TY_STR), false);
    switch (d->builtin) {
    case BI_STRING_NEW:
        check_args(c, e, cs, args, NULL, 0, "function");
        return ty_string();
    case BI_STRING_FROM: {
        Type *p[1] = {str_ref};
        check_args(c, e, cs, args, p, 1, "function");
        return ty_string();
    }
    case BI_VEC_FROM: { /* an array's elements moved, a slice's cloned, a str's or a String's bytes */
        if (args->len != 1) {
            Type *none[1] = {0};
            check_args(c, e, cs, args, none, 1, "function");
            return ty_error();
        }
        Expr *a = args->items[0];
        Type *at = ty_resolve(check_expr(c, a, NULL));
        if (at->kind == TY_ERROR)
            return ty_error();
        Type *in = at->kind == TY_REF ? ty_resolve(at->args[0]) : NULL;
        Type *el = NULL;
        if (at->kind == TY_ARRAY)
            el = at->args[0];
        else if (in && (in->kind == TY_SLICE || in->kind == TY_ARRAY || ty_is_std(in, STD_VEC)))
            el = in->args[0];
        else if ((in && in->kind == TY_STR) || ty_is_std(at, STD_STRING))
            el = ty_prim(TY_U8);
        if (el && in && in->kind != TY_STR && !satisfies(ty_resolve(el), find_trait("Clone")))
            el = NULL;
        if (!el) {
            Diag *dg = diag_error("E0277", a->span, "the trait bound `Vec<_>: From<%s>` is not satisfied", ty_str(at));
            diag_primary_label(dg, "the trait `From<%s>` is not implemented for `Vec<_>`", ty_str(at));
            return ty_error();
        }
        if (d->type && !unify(d->type, el))
            mismatch(a->span, d->type, el);
        return ty_vec(el);
    }
    case BI_ITER_REPEAT:
    case BI_ITER_ONCE:
    case BI_ITER_FROM_FN:
    case BI_ITER_SUCCESSORS: { /* std::iter's sources: the item's type, and the closure's */
        int want = d->builtin == BI_ITER_SUCCESSORS ? 2 : 1;
        if (args->len != want) {
            Type *none[2] = {0};
            check_args(c, e, cs, args, none, want, "function");
            return ty_error();
        }
        Type *item = ty_var(VAR_ANY);
        Type *opt_item = ty_adt(prog->option, &item, 1);
        if (d->builtin == BI_ITER_REPEAT || d->builtin == BI_ITER_ONCE) {
            Type *p[1] = {item};
            check_args(c, e, cs, args, p, 1, "function");
            Type *t = ty_resolve(item);
            if (d->builtin == BI_ITER_REPEAT && t->kind != TY_VAR && t->kind != TY_ERROR &&
                !satisfies(t, find_trait("Clone"))) {
                Diag *dg = diag_error("E0277", ((Expr *)args->items[0])->span, "the trait bound `%s: Clone` is not satisfied",
                                      ty_str(t));
                diag_primary_label(dg, "the trait `Clone` is not implemented for `%s`", ty_str(t));
                return ty_error();
            }
            return ty_iter(d->builtin == BI_ITER_REPEAT ? ITER_REPEAT : ITER_ONCE, item, NULL);
        }
        Expr *fe = args->items[want - 1];
        if (d->builtin == BI_ITER_SUCCESSORS)
            check_coerce(c, args->items[0], opt_item);
        Type *ref_item = ty_ref(item, false);
        if (!check_callable_arg_ret(c, fe, d->builtin == BI_ITER_SUCCESSORS ? &ref_item : NULL,
                                    d->builtin == BI_ITER_SUCCESSORS ? 1 : 0, FN_MUT, opt_item))
            return ty_error();
        return ty_iter_of(d->builtin == BI_ITER_FROM_FN ? ITER_FROM_FN : ITER_SUCCESSORS, item, ty_unit(), fe->ty);
    }
    case BI_STRING_FROM_UTF8:
    case BI_STR_FROM_UTF8: { /* (a Vec<u8> by value; a &[u8]) */
        Type *u8t = ty_prim(TY_U8);
        bool owned = d->builtin == BI_STRING_FROM_UTF8;
        Type *p[1] = {owned ? ty_vec(u8t) : ty_ref(ty_slice(u8t), false)};
        check_args(c, e, cs, args, p, 1, "function");
        Type *r[2] = {owned ? ty_string() : str_ref, ty_adt(owned ? prog->from_utf8_error : prog->utf8_error, NULL, 0)};
        return ty_adt(prog->result, r, 2);
    }
    case BI_STRING_WITH_CAPACITY:
    case BI_VEC_WITH_CAPACITY: {
        Type *p[1] = {ty_prim(TY_USIZE)};
        check_args(c, e, cs, args, p, 1, "function");
        if (d->builtin == BI_STRING_WITH_CAPACITY)
            return ty_string();
    }
        /* fallthrough */
    case BI_VEC_NEW: {
        if (d->builtin == BI_VEC_NEW)
            check_args(c, e, cs, args, NULL, 0, "function");
        Type *elem = d->type ? d->type : ty_var(VAR_ANY);
        Type *v = ty_vec(elem);
        if (expected)
            unify(v, expected);
        return v;
    }
    case BI_PROCESS_EXIT: {
        Type *p[1] = {ty_prim(TY_I32)};
        check_args(c, e, cs, args, p, 1, "function");
        return ty_prim(TY_NEVER);
    }
    case BI_DROP: {
        Type *t = ty_var(VAR_ANY);
        Type *p[1] = {t};
        check_args(c, e, cs, args, p, 1, "function");
        return ty_unit();
    }
    case BI_MEM_SWAP: {
        Type *t = ty_var(VAR_ANY);
        Type *p[2] = {ty_ref(t, true), ty_ref(t, true)};
        check_args(c, e, cs, args, p, 2, "function");
        return ty_unit();
    }
    case BI_MEM_REPLACE: {
        Type *t = ty_var(VAR_ANY);
        Type *p[2] = {ty_ref(t, true), t};
        check_args(c, e, cs, args, p, 2, "function");
        return t;
    }
    case BI_MEM_TAKE: { /* T: Default */
        Type *t = ty_var(VAR_ANY);
        Type *p[1] = {ty_ref(t, true)};
        check_args(c, e, cs, args, p, 1, "function");
        Type *r = ty_resolve(t);
        if (args->len == 1 && r->kind != TY_VAR && r->kind != TY_ERROR && !satisfies(r, find_trait("Default"))) {
            Diag *dg = diag_error("E0277", ((Expr *)args->items[0])->span, "the trait bound `%s: Default` is not satisfied",
                                  ty_str(r));
            diag_primary_label(dg, "the trait `Default` is not implemented for `%s`", ty_str(r));
        }
        return t;
    }
    case BI_MEM_SIZE_OF: { /* the type is the call's (e->sema): an imported `size_of` is one Def */
        check_args(c, e, cs, args, NULL, 0, "function");
        PathSeg *ls = e->operand->kind == EX_PATH ? last_seg(e->operand->path) : NULL;
        Type *st = ls && ls->generic_args.len == 1 ? resolve_type(ls->generic_args.items[0]) : d->type;
        e->sema = st;
        if (!st) {
            Diag *dg = diag_error("E0282", cs, "type annotations needed");
            diag_primary_label(dg, "cannot infer type of the type parameter `T` declared on the function `size_of`");
        } else if (!ty_has_params(st) && rust_size_of(prog, st) < 0) {
            unsupported(cs, xprintf("`size_of` of `%s`", ty_str(st)));
        }
        return ty_prim(TY_USIZE);
    }
    case BI_BOX_NEW: {
        Type *x = expected ? ty_resolve(expected) : NULL;
        Type *inner_exp = x && ty_is_std(x, STD_BOX) && ty_resolve(x->args[0])->kind != TY_DYN ? x->args[0] : NULL;
        Type *t = inner_exp ? inner_exp : ty_var(VAR_ANY);
        Type *p[1] = {t};
        if (args->len == 1 && !inner_exp) {
            /* Box<dyn Fn(..)> expected: a closure takes its signature from it */
            bool dyn_fn = x && ty_is_std(x, STD_BOX) && ty_resolve(x->args[0])->kind == TY_DYN &&
                          ty_resolve(x->args[0])->trait->fn_kind;
            t = check_expr(c, args->items[0], dyn_fn ? x->args[0] : NULL);
            return ty_box(t);
        }
        check_args(c, e, cs, args, p, 1, "function");
        return ty_box(t);
    }
    case BI_THREAD_SPAWN: { /* spawn<F: FnOnce() -> T + Send + 'static>(f: F) -> JoinHandle<T> */
        if (args->len != 1) {
            check_args(c, e, cs, args, NULL, 1, "function");
            Type *err = ty_error();
            return ty_std(STD_JOINHANDLE, &err, 1);
        }
        Expr *f = args->items[0];
        Type *r = check_callable_arg(c, f, NULL, 0, FN_ONCE);
        if (!r)
            r = ty_error();
        if (strip_parens(f)->kind == EX_CLOSURE)
            list_push(&c->spawned, strip_parens(f));
        return ty_std(STD_JOINHANDLE, &r, 1);
    }
    case BI_THREAD_SLEEP: {
        Type *p[1] = {ty_std(STD_DURATION, NULL, 0)};
        check_args(c, e, cs, args, p, 1, "function");
        return ty_unit();
    }
    case BI_THREAD_SCOPE: { /* scope<F: FnOnce(&Scope) -> T>(f: F) -> T */
        if (args->len != 1) {
            check_args(c, e, cs, args, NULL, 1, "function");
            return ty_error();
        }
        Type *sc = ty_ref(ty_std(STD_SCOPE, NULL, 0), false);
        Type *r = check_callable_arg(c, args->items[0], &sc, 1, FN_ONCE);
        return r ? r : ty_error();
    }
    case BI_CHANNEL: {
        check_args(c, e, cs, args, NULL, 0, "function");
        Type *t = d->type ? d->type : ty_var(VAR_ANY);
        Type *ends[2] = {ty_std(STD_SENDER, &t, 1), ty_std(STD_RECEIVER, &t, 1)};
        return ty_tuple(ends, 2);
    }
    case BI_PTR_NULL: { /* null::<T>() -> *const T: T from the turbofish or what is expected */
        check_args(c, e, cs, args, NULL, 0, "function");
        Type *x = expected ? ty_resolve(expected) : NULL;
        Type *t = x && x->kind == TY_PTR ? x->args[0] : ty_var(VAR_ANY);
        return ty_ptr(t, d->type != NULL);
    }
    case BI_FUTURE_READY: { /* ready<T>(v: T) -> Ready<T> */
        Type *t = ty_var(VAR_ANY);
        Type *p[1] = {t};
        check_args(c, e, cs, args, p, 1, "function");
        return ty_std(STD_READY, &t, 1);
    }
    case BI_FUTURE_PENDING: { /* pending<T>() -> Pending<T>: T from what is expected */
        check_args(c, e, cs, args, NULL, 0, "function");
        Type *t = d->type ? d->type : ty_var(VAR_ANY);
        Type *r = ty_std(STD_PENDING, &t, 1);
        if (expected)
            unify(r, expected);
        return r;
    }
    case BI_FUTURE_POLL_FN: { /* poll_fn<T, F: FnMut(&mut Context<'_>) -> Poll<T>>(f: F) -> PollFn<F> */
        if (args->len != 1) {
            check_args(c, e, cs, args, NULL, 1, "function");
            return ty_error();
        }
        Expr *f = args->items[0];
        Type *cx = ty_ref(ty_std(STD_CONTEXT, NULL, 0), true);
        Type *r = check_callable_arg(c, f, &cx, 1, FN_MUT);
        Type *t = ty_var(VAR_ANY);
        if (r && !unify(r, ty_adt(prog->poll, &t, 1)))
            mismatch(f->span, ty_adt(prog->poll, &t, 1), r);
        Type *ft = f->ty ? f->ty : ty_error();
        if (ty_resolve(ft)->kind != TY_CLOSURE) {
            unsupported(f->span, "`poll_fn` of anything but a closure");
            return ty_error();
        }
        return ty_std(STD_POLLFN, &ft, 1);
    }
    case BI_FUTURE_JOIN:
    case BI_FUTURE_JOIN3: { /* join(a, b) -> Join<A, B>, join3(a, b, c) -> Join3<A, B, C>: the futures, by value */
        int n = d->builtin == BI_FUTURE_JOIN ? 2 : 3;
        if (args->len != n) {
            check_args(c, e, cs, args, NULL, n, "function");
            return ty_error();
        }
        Type *ts[3];
        for (int i = 0; i < n; i++) {
            Expr *a = args->items[i];
            ts[i] = check_expr(c, a, NULL);
            Type *r = ty_resolve(ts[i]);
            if (has_error(r))
                return ty_error();
            if (r->kind == TY_REF || ty_is_std(r, STD_PIN)) {
                unsupported(a->span, "`join` of a borrowed or pinned future (pass the future itself)");
                return ty_error();
            }
            if (ty_resolve(future_output(a->span, ts[i], (Span){0}))->kind == TY_ERROR)
                return ty_error();
        }
        return ty_std(n == 2 ? STD_JOIN : STD_JOIN3, ts, n);
    }
    case BI_PTR_EQ: { /* eq<T>(a: *const T, b: *const T) -> bool */
        Type *t = ty_var(VAR_ANY);
        Type *p[2] = {ty_ptr(t, false), ty_ptr(t, false)};
        check_args(c, e, cs, args, p, 2, "function");
        return ty_prim(TY_BOOL);
    }
    case BI_BLOCK_ON: { /* block_on<F: Future>(f: F) -> F::Output */
        if (args->len != 1) {
            check_args(c, e, cs, args, NULL, 1, "function");
            return ty_error();
        }
        Expr *f = args->items[0];
        Type *ft = check_expr(c, f, NULL);
        return future_output(f->span, ft, e->span);
    }
    case BI_CMP_MAX:
    case BI_CMP_MIN: {
        Type *t = ty_var(VAR_ANY);
        Type *p[2] = {t, t};
        check_args(c, e, cs, args, p, 2, "function");
        return t;
    }
    case BI_DEFAULT: {
        check_args(c, e, cs, args, NULL, 0, "function");
        Type *t = d->type ? d->type : expected;
        if (!t) {
            Diag *dg = diag_error("E0790", cs, "cannot call associated function on trait without specifying the corresponding `impl` type");
            (void)dg;
            return ty_error();
        }
        if (expected)
            unify(t, expected);
        return t;
    }
    case BI_CHAR_FROM_U32: {
        Type *p[1] = {ty_prim(TY_U32)};
        check_args(c, e, cs, args, p, 1, "function");
        Type *a[1] = {ty_prim(TY_CHAR)};
        return ty_adt(prog->option, a, 1);
    }
    case BI_CHAR_FROM_DIGIT: {
        Type *p[2] = {ty_prim(TY_U32), ty_prim(TY_U32)};
        check_args(c, e, cs, args, p, 2, "function");
        Type *a[1] = {ty_prim(TY_CHAR)};
        return ty_adt(prog->option, a, 1);
    }
    case BI_INT_TRY_FROM: { /* u8::try_from(300i32): Result<u8, TryFromIntError> */
        Type *from = ty_var(VAR_INT);
        check_args(c, e, cs, args, &from, 1, "function");
        Type *a[2] = {d->type, ty_adt(prog->try_from_int_error, NULL, 0)};
        return ty_adt(prog->result, a, 2);
    }
    case BI_INT_FROM_STR_RADIX: { /* i32::from_str_radix("ff", 16): Result<i32, ParseIntError> */
        Type *p[2] = {str_ref, ty_prim(TY_U32)};
        check_args(c, e, cs, args, p, 2, "function");
        Def *err = lookup_global("num::ParseIntError", true);
        Type *a[2] = {d->type, ty_adt(err->adt, NULL, 0)};
        return ty_adt(prog->result, a, 2);
    }
    default:
        unsupported(e->span, xprintf("calling `%s`", d->name));
        for (int i = 0; i < args->len; i++)
            check_expr(c, args->items[i], NULL);
        return ty_error();
    }
}

/* The signature a closure is expected to have: from the Fn bound of the
 * generic parameter it is passed for, a `dyn Fn`, or a fn pointer type. */
static TraitDef *expected_fn_sig(Ctx *c, Type *expected)
{
    if (!expected)
        return NULL;
    Type *x = ty_resolve(expected);
    if (x->kind == TY_VAR)
        for (int i = c->fn_expect.len - 1; i >= 0; i--) {
            FnExpect *fe = c->fn_expect.items[i];
            if (ty_resolve(fe->var) == x)
                return fe->sig;
        }
    if (x->kind == TY_FN)
        return fn_trait(FN_FN, x->args, x->nargs - 1, x->args[x->nargs - 1]);
    return fn_sig_of(x);
}

/* The type arguments a closure or async block of the fn being checked carries: the fn's
 * (an instance's when one is checked), so `-> impl Fn` of an instance is the closure at
 * that instance. */
static Type **fn_targs(Ctx *c)
{
    int nt = c->fn->ntparams;
    Type **targs = arena_alloc(g_arena, sizeof(Type *) * (size_t)(nt + 1));
    for (int i = 0; i < nt; i++)
        targs[i] = tyenv.subst ? tyenv.subst[i]
                               : ty_param(i, c->fn->tparam_names && c->fn->tparam_names[i] ? c->fn->tparam_names[i]
                                                                                          : "impl");
    return targs;
}

static Closure *new_closure(Ctx *c, Expr *e)
{
    Closure *clo = NEW(Closure);
    clo->expr = e;
    clo->fn = c->fn;
    clo->parent = c->closure;
    clo->index = c->closures.len;
    list_push(&c->closures, clo);
    e->sema = clo;
    return clo;
}

/* `async [move] { body }`: a closure of no parameters (what it captures is found as a
 * closure's is) whose value is a future, TY_ASYNC of a FnDef made for it; the body returns
 * its Output, and may await. */
static Type *check_async_block(Ctx *c, Expr *e)
{
    Closure *clo = new_closure(c, e);
    FnDef *af = NEW(FnDef);
    af->name = "{async block}";
    af->is_async = true;
    af->async_block = clo;
    af->async_out = ty_var(VAR_ANY);
    af->ntparams = c->fn->ntparams;
    af->tparam_names = c->fn->tparam_names;
    af->tparam_bounds = c->fn->tparam_bounds;
    clo->async_fn = af;
    clo->params = arena_alloc(g_arena, sizeof(Type *));
    clo->kind = FN_ONCE;
    async_normalize_block(af, e);
    Type *saved_ret = c->ret;
    LoopCtx *saved_loops = c->loops;
    Closure *saved_clo = c->closure;
    c->closure = clo;
    c->loops = NULL;
    c->ret = af->async_out;
    push_scope(c);
    Type *bt = check_expr(c, e->body, af->async_out);
    if (!diverges(bt) && !coerce_tail(e->body, af->async_out))
        coerce(e->body, bt, af->async_out);
    pop_scope(c);
    c->ret = saved_ret;
    c->loops = saved_loops;
    c->closure = saved_clo;
    clo->ret = af->async_out;
    return ty_async(af, fn_targs(c), c->fn->ntparams);
}

Type *check_closure(Ctx *c, Expr *e, Type *expected)
{
    if (e->async_block)
        return check_async_block(c, e);
    if (e->is_async) {
        unsupported(e->span, "an async closure (Tier 4)");
        return ty_error();
    }
    Closure *clo = new_closure(c, e);
    TraitDef *sig = expected_fn_sig(c, expected);
    int n = e->params.len;
    clo->nparams = n;
    clo->params = arena_alloc(g_arena, sizeof(Type *) * (size_t)(n + 1));
    Type *saved_ret = c->ret;
    LoopCtx *saved_loops = c->loops;
    Closure *saved_clo = c->closure;
    c->closure = clo;
    c->loops = NULL;
    push_scope(c);
    for (int i = 0; i < n; i++) {
        ClosureParam *cp = e->params.items[i];
        Type *want = sig && i < sig->fn_nparams ? sig->fn_params[i] : NULL;
        Type *t = cp->type ? resolve_type(cp->type) : want ? want : ty_var(VAR_ANY);
        if (cp->type && want && !unify(t, want))
            mismatch(cp->type->span, want, t);
        clo->params[i] = t;
        check_pat(c, cp->pat, t, false);
    }
    Type *ret = e->ret_type ? resolve_type(e->ret_type) : sig ? sig->fn_ret : ty_var(VAR_ANY);
    if (e->ret_type && sig)
        unify(ret, sig->fn_ret);
    clo->ret = ret;
    c->ret = ret;
    Type *bt = check_expr(c, e->body, ret);
    if (!diverges(bt) && !coerce_tail(e->body, ret))
        coerce(e->body, bt, ret);
    pop_scope(c);
    c->ret = saved_ret;
    c->loops = saved_loops;
    c->closure = saved_clo;
    if (sig && n != sig->fn_nparams) {
        Diag *d = diag_error("E0593", e->span, "closure is expected to take %d argument%s, but it takes %d argument%s",
                             sig->fn_nparams, sig->fn_nparams == 1 ? "" : "s", n, n == 1 ? "" : "s");
        diag_primary_label(d, "takes %d argument%s", n, n == 1 ? "" : "s");
    }
    return ty_closure(clo, fn_targs(c), c->fn->ntparams);
}

/* A callable argument of a std method (`v.sort_by(|a, b| a.cmp(b))`,
 * `o.map(f)`): a closure takes its parameter types from the method, a fn
 * item or pointer is checked against them. Returns the callable's return
 * type, or NULL after an error. */
Type *check_callable_arg_ret(Ctx *c, Expr *arg, Type **ps, int n, int kind, Type *ret)
{
    TraitDef *sig = fn_trait(kind, ps, n, ret);
    Type *v = ty_var(VAR_ANY);
    FnExpect *x = NEW(FnExpect);
    x->var = v;
    x->sig = sig;
    list_push(&c->fn_expect, x);
    Type *ft = ty_resolve(check_expr(c, arg, v));
    if (ft->kind == TY_ERROR)
        return NULL;
    if (!fn_satisfies(ft, sig)) {
        Diag *d = diag_error("E0277", arg->span, "expected a `%s` closure, found `%s`", ty_str(ty_dyn(sig)) + 4,
                             ty_str(ft));
        diag_primary_label(d, "expected an `%s` closure here", sig->name);
        return NULL;
    }
    return ret;
}

Type *check_callable_arg(Ctx *c, Expr *arg, Type **ps, int n, int kind)
{
    return check_callable_arg_ret(c, arg, ps, n, kind, ty_var(VAR_ANY));
}

/* The std type a path's first segment names when it is not a program's item:
 * `i32`, `str`, `char`, `String`, `Vec`, `Option`; NULL otherwise. */
Type *path_std_self(Path *p)
{
    PathSeg *s0 = p->segs.items[0];
    const char *n = s0->name;
    Def *d = lookup_global(n, true);
    if (p->segs.len == 4 && (!strcmp(n, "std") || !strcmp(n, "core") || !strcmp(n, "alloc"))) {
        /* `std::cell::Ref::clone`: the type by its module */
        s0 = p->segs.items[2];
        d = lookup_global(xprintf("%s::%s", seg_name(p, 1), s0->name), true);
        if (!d || d->kind != DEF_STD_TYPE)
            return NULL;
    }
    if (d && d->span.lo)
        return NULL; /* the program's own */
    Type *t = prim_by_name(n);
    if (t)
        return t;
    if (!strcmp(n, "String"))
        return ty_string();
    if (!strcmp(n, "Vec"))
        return ty_vec(s0->generic_args.len == 1 ? resolve_type(s0->generic_args.items[0]) : ty_var(VAR_ANY));
    if (!strcmp(n, "Box") && !strcmp(seg_name(p, p->segs.len - 1), "pin")) /* Box::pin(x) (Box::new is a builtin) */
        return ty_box(s0->generic_args.len == 1 ? resolve_type(s0->generic_args.items[0]) : ty_var(VAR_ANY));
    if (d && d->kind == DEF_STD_TYPE && d->type) /* AtomicUsize::new */
        return ty_std(d->std_type->id, &d->type, 1);
    if (d && d->kind == DEF_STD_TYPE) { /* Rc::new, RefCell::new, Weak::new */
        const StdType *st = d->std_type;
        Type *args[2];
        for (int i = 0; i < st->nparams && i < 2; i++)
            args[i] = i < s0->generic_args.len ? resolve_type(s0->generic_args.items[i]) : ty_var(VAR_ANY);
        return ty_std(st->id, args, st->nparams);
    }
    if (!strcmp(n, "Option") && d && d->kind == DEF_ADT) {
        Type *arg = s0->generic_args.len == 1 ? resolve_type(s0->generic_args.items[0]) : ty_var(VAR_ANY);
        return ty_adt(d->adt, &arg, 1);
    }
    return NULL;
}

/* Does std have `impl From<from> for to` among the numbers, chars and bools (the
 * lossless conversions)? */
bool num_from_ok(Type *to, Type *from)
{
    if (to == from)
        return true;
    bool fu = ty_is_int(from) && !ty_is_signed(from), tu = ty_is_int(to) && !ty_is_signed(to);
    int fb = ty_is_int(from) ? ty_int_bits(from) : 0, tb = ty_is_int(to) ? ty_int_bits(to) : 0;
    bool fsize = from->kind == TY_USIZE || from->kind == TY_ISIZE, tsize = to->kind == TY_USIZE || to->kind == TY_ISIZE;
    if (from->kind == TY_BOOL)
        return ty_is_int(to);
    if (from->kind == TY_CHAR)
        return tu && tb >= 32 && !tsize;
    if (to->kind == TY_CHAR)
        return from->kind == TY_U8;
    if (ty_is_int(from) && ty_is_int(to)) {
        if (fsize)
            return false;
        if (tsize) /* u8, u16 into usize; u8, i8, i16 into isize */
            return to->kind == TY_USIZE ? fu && fb <= 16 : (fu ? fb <= 8 : fb <= 16);
        return fu ? (tu ? tb > fb : tb > fb) : (!tu && tb > fb);
    }
    if (to->kind == TY_F64)
        return from->kind == TY_F32 || (ty_is_int(from) && !fsize && fb <= 32);
    if (to->kind == TY_F32)
        return ty_is_int(from) && !fsize && fb <= 16;
    return false;
}

/* `u64::from(x)`, `f64::from(1u8)`, `char::from(b)`: a lossless conversion, written
 * in the C as the cast it is; E0277 where std has no such From. */
static Type *num_from_call(Ctx *c, Expr *e, Type *self)
{
    Expr *callee = e->operand;
    Expr *arg = e->args.items[0];
    Type *at = ty_resolve(check_expr(c, arg, NULL));
    if (at->kind == TY_VAR && at->var_kind != VAR_ANY) { /* `From<T> for T` first, then the literal fallback */
        if (!unify(at, self))
            unify(at, ty_prim(at->var_kind == VAR_INT ? TY_I32 : TY_F64));
        at = ty_resolve(at);
    }
    if (at->kind != TY_ERROR && !num_from_ok(self, at)) {
        Diag *d = diag_error("E0277", callee->span, "the trait bound `%s: From<%s>` is not satisfied", ty_str(self),
                             ty_str(at));
        diag_primary_label(d, "the trait `From<%s>` is not implemented for `%s`", ty_str(at), ty_str(self));
        return ty_error();
    }
    TypeExpr *te = ast_new_type(TE_PATH, callee->span);
    te->path = ast_new_path(callee->span);
    list_push(&te->path->segs, callee->path->segs.items[0]);
    te->ty = self;
    e->kind = EX_CAST;
    e->operand = arg;
    e->cast_type = te;
    return self;
}

/* `i32::pow(2, 5)`, `str::len("abc")`, `Vec::push(&mut v, 1)`: a std method named by its
 * type's path is the method call on its first argument, which must be what the
 * receiver takes (the type, or a reference to it); NULL when the path is not one. */
int fmt_forced = -1; /* `Display::fmt(&x, f)` (0) or `Debug::fmt` (1) is being checked as `x.fmt(f)` */

static Type *path_method_call(Ctx *c, Expr *e, Type *expected)
{
    Expr *callee = e->operand;
    if (callee->kind != EX_PATH)
        return NULL;
    bool q = callee->path->qself && callee->path->segs.len == 1; /* `<[&str]>::join(..)` */
    int nseg = callee->path->segs.len;
    if (!q && ((nseg != 2 && nseg != 4) || callee->path->qself))
        return NULL;
    Type *self = q ? ty_resolve(resolve_type(callee->path->qself)) : path_std_self(callee->path);
    if (q && self->kind == TY_ADT && !self->adt->builtin)
        return NULL; /* `<Point>::new(..)`: an associated fn of the program's type */
    const char *mname = seg_name(callee->path, q ? 0 : nseg - 1);
    if (self && !strcmp(mname, "from") && e->args.len == 1 && (ty_is_numeric(self) || self->kind == TY_CHAR))
        return num_from_call(c, e, self);
    if (self && !strcmp(mname, "from") && e->args.len == 1 && strip_parens(e->args.items[0])->kind == EX_ARRAY &&
        (ty_is_map(self) || ty_is_set(self) || ty_is_std(self, STD_VECDEQUE))) {
        /* `HashMap::from([(k, v), ..])`: std's From<[T; N]> collects the array's elements; so
         * does the call, rewritten as `[..].into_iter().collect()` */
        Expr *arr = e->args.items[0];
        Expr *it = ast_new_expr(EX_METHOD, arr->span);
        it->operand = arr;
        it->name = xstrdup("into_iter");
        it->name_span = ((PathSeg *)callee->path->segs.items[nseg - 1])->span;
        e->kind = EX_METHOD;
        e->operand = it;
        e->name = xstrdup("collect");
        e->name_span = it->name_span;
        e->args.len = 0;
        (void)expected; /* (the type is the path's: `HashSet<_>`, its element from the array) */
        return check_method(c, e, self);
    }
    const StdMethod *m = self ? std_fn_find(self, mname) : NULL;
    if (!m || !m->sig)
        return NULL;
    if (m->is_static) { /* `Rc::new(x)`: a call of the row, Self the path's type */
        Def *d = new_def(DEF_BUILTIN, (char *)m->name, callee->span);
        d->builtin = BI_STD_FN;
        d->bm = m->id;
        callee->def = d;
        return std_static_type(c, e, m, self, expected);
    }
    if (!e->args.len)
        return NULL;
    Expr *recv = e->args.items[0];
    Type *want = m->recv == RECV_VALUE ? self : ty_ref(self, m->recv == RECV_REF_MUT);
    /* a literal receiver has the path's type (`u64::pow(2, 40)`) */
    Expr *lit = strip_parens(recv);
    if (lit->kind == EX_UNARY && lit->unop == UN_NEG)
        lit = strip_parens(lit->operand);
    if ((lit->kind == EX_INT || lit->kind == EX_FLOAT) && !lit->suffix && m->recv == RECV_VALUE &&
        ty_is_numeric(self))
        lit->suffix = xstrdup(ty_str(self));
    /* `Rc::clone(&a)`: the receiver is `a`, auto-ref'd as the method takes it (a borrow
     * of `a` for the call, not a reference value of its own) */
    Expr *inner = strip_parens(recv);
    bool stripped = self && self->kind == TY_STD && self->std->module[0] && inner->kind == EX_REF && !inner->is_raw &&
                    m->recv != RECV_VALUE && inner->is_mut == (m->recv == RECV_REF_MUT);
    if (stripped)
        recv = inner->operand;
    e->kind = EX_METHOD;
    e->name = xstrdup(mname);
    e->name_span = ((PathSeg *)callee->path->segs.items[q ? 0 : nseg - 1])->span;
    e->operand = recv;
    for (int i = 1; i < e->args.len; i++)
        e->args.items[i - 1] = e->args.items[i];
    e->args.len--;
    path_recv_type = m->recv == RECV_VALUE ? self : NULL;
    path_fn_row = m->assoc ? m : NULL;
    Type *t = check_method(c, e, expected);
    path_fn_row = NULL;
    /* an argument coerces: a reference reaches the receiver through derefs (`str::len(&s)`
     * with s a String), a value must be the type itself */
    Type *got = recv->ty && !stripped ? ty_resolve(recv->ty) : NULL;
    if (got && got->kind != TY_ERROR && ty_resolve(t)->kind != TY_ERROR &&
        (want->kind == TY_REF ? got->kind != TY_REF || (want->is_mut && !got->is_mut) : !unify(got, want)))
        mismatch(recv->span, want, got);
    return t;
}

/* The type of argument a when it is plain without checking it: a literal (with its suffix)
 * or a local already typed; else NULL. */
static Type *plain_arg_type(Ctx *c, Expr *a)
{
    while (a->kind == EX_PAREN)
        a = a->operand;
    switch (a->kind) {
    case EX_STR: return ty_ref(ty_prim(TY_STR), false);
    case EX_BOOL: return ty_prim(TY_BOOL);
    case EX_CHAR: return ty_prim(TY_CHAR);
    case EX_INT: return a->suffix ? prim_by_name(a->suffix) : NULL;
    case EX_FLOAT: return a->suffix ? prim_by_name(a->suffix) : NULL;
    case EX_UNARY: return a->unop == UN_NEG ? plain_arg_type(c, a->operand) : NULL;
    case EX_PATH: { /* (not checked yet: its local looked up) */
        Def *d = a->def ? a->def : a->path && a->path->segs.len == 1 ? resolve_value_path(c, a->path, a->span) : NULL;
        Type *t = d && d->kind == DEF_LOCAL && d->local->type ? ty_resolve(d->local->type) : NULL;
        return t && t->kind != TY_VAR ? t : NULL;
    }
    default:
        return NULL;
    }
}

Type *check_call(Ctx *c, Expr *e, Type *expected)
{
    Expr *callee = e->operand;
    Type *pm = path_method_call(c, e, expected);
    if (pm)
        return pm;
    if (callee->kind == EX_PATH && callee->path->segs.len > 2 && !callee->path->qself) {
        /* `fmt::Display::fmt`, `std::ops::Add::add`: a std trait named with its module */
        Path *p = callee->path;
        int n = p->segs.len;
        bool modules = true;
        for (int i = 0; i < n - 2; i++) {
            const char *m = seg_name(p, i);
            modules &= !strcmp(m, "std") || !strcmp(m, "core") || !strcmp(m, "fmt") || !strcmp(m, "ops") ||
                       !strcmp(m, "cmp") || !strcmp(m, "iter") || !strcmp(m, "convert") || !strcmp(m, "string");
        }
        TraitDef *tr = modules ? find_trait(seg_name(p, n - 2)) : NULL;
        if (tr && tr->builtin) {
            Path *q = ast_new_path(p->span);
            list_push(&q->segs, p->segs.items[n - 2]);
            list_push(&q->segs, p->segs.items[n - 1]);
            callee->path = q;
        }
    }
    if (callee->kind == EX_PATH && callee->path->segs.len == 2 && e->args.len >= 1 && !callee->path->qself) {
        TraitDef *tr = find_trait(seg_name(callee->path, 0));
        if (tr && tr->builtin && (!strcmp(tr->name, "Display") || !strcmp(tr->name, "Debug")) &&
            !strcmp(seg_name(callee->path, 1), "fmt") && e->args.len == 2) {
            /* Display::fmt(&x, f) of a std type: x.fmt(f) through the caller's Formatter */
            Expr *recv = e->args.items[0];
            fmt_forced = !strcmp(tr->name, "Debug");
            e->kind = EX_METHOD;
            e->name = xstrdup("fmt");
            e->name_span = ((PathSeg *)callee->path->segs.items[1])->span;
            e->operand = recv;
            e->args.items[0] = e->args.items[1];
            e->args.len = 1;
            Type *t = check_method(c, e, expected);
            fmt_forced = -1;
            return t;
        }
        static const char *std_method_traits[] = {"ToString", "Clone", "ToOwned", "PartialEq", "PartialOrd", "Ord",
                                                  "Iterator", "Into", NULL};
        bool std_form = false;
        for (int i = 0; std_method_traits[i]; i++)
            std_form |= !strcmp(seg_name(callee->path, 0), std_method_traits[i]);
        if (std_form && (!tr || tr->builtin)) {
            /* `ToString::to_string(&42)`, `Clone::clone(&s)`, `Iterator::sum::<i32>(it)`: the
             * method called on the first argument (a `&self` method takes it as is, and
             * method lookup sees through the reference) */
            PathSeg *ms = callee->path->segs.items[1];
            Expr *recv = e->args.items[0];
            e->kind = EX_METHOD;
            e->name = xstrdup(ms->name);
            e->name_span = ms->span;
            e->generic_args = ms->generic_args;
            e->operand = recv;
            for (int i = 1; i < e->args.len; i++)
                e->args.items[i - 1] = e->args.items[i];
            e->args.len--;
            return check_method(c, e, expected);
        }
        if (tr) {
            /* Trait::method(&x, ..): the impl is chosen by the first argument's type, at the
             * level of its references the trait is implemented for (`impl Speak for &str`) */
            const char *mname = seg_name(callee->path, 1);
            Type *a0 = check_expr(c, e->args.items[0], NULL);
            /* no auto-deref here: the argument is `&Self` for a `&self` method, `Self` for `self` */
            FnDef *tm = tr->builtin ? NULL : trait_method(tr, mname);
            Type *base = ty_resolve(a0);
            if (tm && (tm->self_kind == SELF_REF || tm->self_kind == SELF_REF_MUT) && base->kind == TY_REF)
                base = ty_resolve(base->args[0]);
            else if (!tm)
                while (base->kind == TY_REF)
                    base = ty_resolve(base->args[0]);
            ImplDef *im = NULL;
            FnDef *f = impl_method(base, mname, &im);
            Inst *in = f && im->trait == tr ? impl_inst(c, f, im, e->span) : NULL;
            if (in)
                e->sema = in;
            if ((!f || im->trait != tr) && satisfies(base, tr)) {
                /* a default method, or a bound's method on a type parameter */
                FnDef *decl = trait_method(tr, mname);
                if (decl && (decl->item->body || ty_resolve(base)->kind == TY_PARAM)) {
                    f = decl;
                    in = new_inst(c, decl, NULL, 1, e->span);
                    unify(in->args[0], base);
                    e->sema = in;
                }
            } else if (f && im->trait != tr) {
                f = NULL;
            }
            if (!f) {
                Diag *d = diag_error("E0277", e->span, "the trait bound `%s: %s` is not satisfied", ty_str(base), tr->name);
                diag_primary_label(d, "the trait `%s` is not implemented for `%s`", tr->name, ty_str(base));
                return ty_error();
            }
            Def *d = new_def(DEF_FN, f->name, f->item->name_span);
            d->fn = f;
            callee->def = d;
            callee->path->def = d;
            e->def = d;
            Type **ps = inst_params(f, in);
            Type *ret = inst_ret(f, in);
            set_ty(c, callee, ty_fn(ps, f->nparams, ret));
            if (f->nparams >= 1)
                coerce(e->args.items[0], a0, ps[0]);
            for (int i = 1; i < e->args.len; i++)
                check_coerce(c, e->args.items[i], i < f->nparams ? ps[i] : NULL);
            if (e->args.len != f->nparams)
                diag_error("E0061", callee->span, "this function takes %d argument%s but %d argument%s supplied",
                           f->nparams, f->nparams == 1 ? "" : "s", e->args.len, e->args.len == 1 ? " was" : "s were");
            return ret;
        }
    }
    if (callee->kind == EX_PATH) {
        Def *d = resolve_value_path(c, callee->path, callee->span);
        if (!d) {
            report_unresolved(c, callee->path, callee->span);
            for (int i = 0; i < e->args.len; i++)
                check_expr(c, e->args.items[i], NULL);
            return ty_error();
        }
        callee->def = d;
        callee->path->def = d;
        e->def = d;
        if (d->kind == DEF_BUILTIN) {
            set_ty(c, callee, ty_unit());
            return check_builtin_call(c, e, d, expected);
        }
        if (d->kind == DEF_VARIANT || d->kind == DEF_ADT) {
            AdtDef *a = d->adt;
            VariantInfo *v = &a->variants[d->kind == DEF_VARIANT ? d->variant : 0];
            if (v->kind != SK_TUPLE) {
                Diag *dg = diag_error("E0618", callee->span, "expected function, found %s `%s`",
                                      d->kind == DEF_VARIANT ? "enum variant" : "struct", v->name);
                diag_primary_label(dg, "call expression requires function");
                return ty_error();
            }
            Type *self = adt_instance(a, expected);
            Type *ps[v->nfields + 1];
            for (int i = 0; i < v->nfields; i++)
                ps[i] = field_type(self, v, i);
            set_ty(c, callee, ty_fn(ps, v->nfields, self));
            check_args(c, e, callee->span, &e->args, ps, v->nfields,
                       d->kind == DEF_VARIANT ? "enum variant" : "struct");
            return self;
        }
        if (d->kind == DEF_FN && d->fn->trait && d->fn->trait->builtin && e->args.len == 1 && !d->fn->ntparams &&
            (!strcmp(d->fn->trait->name, "From") || !strcmp(d->fn->trait->name, "TryFrom"))) {
            /* `T::from(x)` where T has several `impl From<X>`: the one for x's type, when it is
             * plain from the argument (a literal, a local) */
            Type *at = plain_arg_type(c, e->args.items[0]);
            FnDef *g = at ? op_impl(d->fn->trait->name, d->fn->impl_self, at) : NULL;
            Expr *lit = e->args.items[0];
            while (lit->kind == EX_PAREN || (lit->kind == EX_UNARY && lit->unop == UN_NEG))
                lit = lit->operand;
            if (!at && (lit->kind == EX_INT || lit->kind == EX_FLOAT) && !lit->suffix) {
                /* an unsuffixed literal: i32 (f64) when there is that impl, as rustc's fallback,
                 * else the one impl for a type of its kind */
                g = op_impl(d->fn->trait->name, d->fn->impl_self, ty_prim(lit->kind == EX_INT ? TY_I32 : TY_F64));
                if (!g)
                    g = op_impl(d->fn->trait->name, d->fn->impl_self, ty_var(lit->kind == EX_INT ? VAR_INT : VAR_FLOAT));
            }
            if (g && g != d->fn) {
                d = new_def(DEF_FN, g->name, g->item->name_span);
                d->fn = g;
                callee->def = d;
            }
        }
        if (d->kind == DEF_FN) {
            FnDef *f = d->fn;
            Inst *in = NULL;
            if (f->is_unsafe)
                require_unsafe_call(c, e->span, f);
            if (f->ntparams) {
                /* implicit parameters: an impl's (inferred), or a trait method's Self */
                int npre = f->ntparams;
                if (f->item->sig->generics)
                    for (int i = 0; i < f->item->sig->generics->params.len; i++)
                        npre -= ((GenericParam *)f->item->sig->generics->params.items[i])->kind == GP_TYPE;
                {
                    List imp = {0};
                    for (int i = 0; i < f->item->sig->params.len; i++)
                        find_impl_traits(((Param *)f->item->sig->params.items[i])->type, &imp);
                    npre -= imp.len;
                }
                in = new_inst(c, f, last_seg(callee->path), npre, e->span);
                if (f->is_default && d->type)
                    unify(in->args[0], d->type);
                for (int i = 0; f->is_default && d->trait && d->trait->generic && i < d->trait->generic->ntparams; i++)
                    unify(in->args[1 + i], d->trait->targs[i]);
                e->sema = in;
            }
            Type **ps = inst_params(f, in);
            Type *ret = inst_ret(f, in);
            if (expected && in)
                unify(ret, expected);
            set_ty(c, callee, ty_fn(ps, f->nparams, ret));
            check_args(c, e, callee->span, &e->args, ps, f->nparams,
                       f->self_kind != SELF_NONE ? "method" : "function");
            if (in)
                select_generic_instance(in);
            return ret;
        }
    }
    Type *ft = ty_resolve(check_expr(c, callee, NULL));
    int shared = 0; /* reached through a `&` reference */
    while (ft->kind == TY_REF || (ty_is_std(ft, STD_BOX) && ty_resolve(ft->args[0])->kind == TY_DYN)) {
        shared |= ft->kind == TY_REF && !ft->is_mut;
        ft = ty_resolve(ft->args[0]);
    }
    if (shared && ft->kind == TY_DYN && ft->trait->fn_kind == FN_MUT) {
        const char *name = place_str(callee);
        Diag *d = diag_error("E0596", callee->span, "cannot borrow `*%s` as mutable, as it is behind a `&` reference",
                             name);
        diag_primary_label(d, "`%s` is a `&` reference, so it cannot be borrowed as mutable", name);
    }
    if (ft->kind == TY_CLOSURE) {
        Closure *clo = ft->clo;
        list_push(&c->closure_calls, e);
        Type *ps[clo->nparams + 1];
        for (int i = 0; i < clo->nparams; i++)
            ps[i] = ty_subst(clo->params[i], ft->args, ft->nargs);
        check_args(c, e, callee->span, &e->args, ps, clo->nparams, "closure");
        return ty_subst(clo->ret, ft->args, ft->nargs);
    }
    TraitDef *sig = fn_sig_of(ft);
    if (sig) {
        check_args(c, e, callee->span, &e->args, sig->fn_params, sig->fn_nparams, "function");
        return sig->fn_ret;
    }
    if (ft->kind != TY_FN) {
        if (ft->kind != TY_ERROR) {
            Diag *dg = diag_error("E0618", callee->span, "expected function, found `%s`", ty_str(ft));
            diag_primary_label(dg, "call expression requires function");
        }
        for (int i = 0; i < e->args.len; i++)
            check_expr(c, e->args.items[i], NULL);
        return ty_error();
    }
    check_args(c, e, callee->span, &e->args, ft->args, ft->nargs - 1, "function");
    return ft->args[ft->nargs - 1];
}
