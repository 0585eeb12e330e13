/* unify.c — inference variables, coercions and generic instantiation.
 *
 * requires: resolved types;
 * produces: each inference variable linked to what it was unified with,
 * the coercions rustc applies at coercion sites recorded on the expression
 * (Expr.adjust: deref, unsizing, `dyn`, closure to fn pointer), and for each
 * call of a generic fn an Inst whose bounds are checked once the body's
 * inference is done (E0277, E0283). */
#include "check_int.h"

#include <string.h>

/* ---- unification and coercion ------------------------------------------------- */

static bool occurs(Type *var, Type *t)
{
    t = ty_resolve(t);
    if (t == var)
        return true;
    for (int i = 0; i < t->nargs; i++)
        if (t->args[i] && occurs(var, t->args[i]))
            return true;
    return false;
}

/* Closure types are one per expression (an instance's re-check makes a new
 * Closure for the same expression: the same type at the same arguments). */
static bool same_closure(Type *a, Type *b)
{
    /* one closure expression, in the generic body or an instance's copy of it */
    if (a->async_fn != b->async_fn) { /* futures: of one async fn, or of one async block */
        Closure *x = a->async_fn ? a->async_fn->async_block : NULL, *y = b->async_fn ? b->async_fn->async_block : NULL;
        if (!x || !y || ast_origin(x->expr) != ast_origin(y->expr))
            return false;
    }
    return a->clo == b->clo || (a->clo && b->clo && ast_origin(a->clo->expr) == ast_origin(b->clo->expr));
}

bool unify(Type *a, Type *b)
{
    a = ty_resolve(a);
    b = ty_resolve(b);
    if (a->kind == TY_PROJ)
        a = normalize(a);
    if (b->kind == TY_PROJ)
        b = normalize(b);
    if (a == b)
        return true;
    if (a->kind == TY_ERROR || b->kind == TY_ERROR)
        return true;
    if (a->kind == TY_VAR || b->kind == TY_VAR) {
        if (a->kind != TY_VAR) {
            Type *t = a;
            a = b;
            b = t;
        }
        /* a is a variable */
        if (b->kind == TY_VAR) {
            if (a->var_kind != VAR_ANY && b->var_kind != VAR_ANY && a->var_kind != b->var_kind)
                return false;
            if (a->var_kind != VAR_ANY && b->var_kind == VAR_ANY) {
                b->link = a;
                return true;
            }
            a->link = b;
            return true;
        }
        if (a->var_kind == VAR_INT && !(b->kind <= TY_USIZE))
            return false;
        if (a->var_kind == VAR_FLOAT && !(b->kind == TY_F32 || b->kind == TY_F64))
            return false;
        if (occurs(a, b))
            return false;
        a->link = b;
        return true;
    }
    if (a->kind != b->kind || a->nargs != b->nargs || a->adt != b->adt || a->std != b->std || a->trait != b->trait ||
        a->len != b->len ||
        a->is_mut != b->is_mut || a->inclusive != b->inclusive || a->iter_kind != b->iter_kind ||
        a->param_index != b->param_index || !same_closure(a, b)) /* no two closures have the same type */
        return false;
    for (int i = 0; i < a->nargs; i++)
        if (!unify(a->args[i], b->args[i]))
            return false;
    return true;
}

bool has_error(Type *t)
{
    t = ty_resolve(t);
    if (t->kind == TY_ERROR)
        return true;
    for (int i = 0; i < t->nargs; i++)
        if (t->args[i] && has_error(t->args[i]))
            return true;
    return false;
}

/* Would unify(a, b) succeed? (no variable is bound) */
bool could_unify(Type *a, Type *b)
{
    a = ty_resolve(a);
    b = ty_resolve(b);
    if (a == b || a->kind == TY_ERROR || b->kind == TY_ERROR)
        return true;
    if (a->kind == TY_VAR || b->kind == TY_VAR) {
        Type *v = a->kind == TY_VAR ? a : b, *o = a->kind == TY_VAR ? b : a;
        if (o->kind == TY_VAR || v->var_kind == VAR_ANY)
            return true;
        return v->var_kind == VAR_INT ? o->kind <= TY_USIZE : (o->kind == TY_F32 || o->kind == TY_F64);
    }
    if (a->kind != b->kind || a->nargs != b->nargs || a->adt != b->adt || a->std != b->std || a->trait != b->trait ||
        a->len != b->len ||
        a->is_mut != b->is_mut || a->param_index != b->param_index || !same_closure(a, b))
        return false;
    for (int i = 0; i < a->nargs; i++)
        if (!could_unify(a->args[i], b->args[i]))
            return false;
    return true;
}

Diag *mismatch(Span span, Type *expected, Type *found)
{
    if (has_error(expected) || has_error(found))
        return diag_dummy();
    Diag *d = diag_error("E0308", span, "mismatched types");
    diag_primary_label(d, "expected `%s`, found `%s`", ty_str(expected), ty_str(found));
    return d;
}

Adjust *new_adjust(int derefs, int autoref, CoerceKind co, Type *target)
{
    Adjust *a = NEW(Adjust);
    a->derefs = derefs;
    a->autoref = autoref;
    a->coerce = co;
    a->target = target;
    return a;
}

/* Try the coercions rustc applies at coercion sites (let with a type,
 * arguments, returns, struct fields, array elements). */
bool try_coerce(Expr *e, Type *found, Type *expected)
{
    Type *f = ty_resolve(found), *x = ty_resolve(expected);
    if (f->kind == TY_NEVER) {
        e->adjust = new_adjust(0, 0, CO_NEVER, x);
        return true;
    }
    if (f->kind == TY_CLOSURE && x->kind == TY_FN && x->nargs - 1 == f->clo->nparams) {
        /* a closure as a fn pointer: it may capture nothing (checked once captures are known) */
        for (int i = 0; i < f->clo->nparams; i++)
            if (!unify(ty_subst(f->clo->params[i], f->args, f->nargs), x->args[i]))
                return false;
        if (!unify(ty_subst(f->clo->ret, f->args, f->nargs), x->args[x->nargs - 1]))
            return false;
        f->clo->as_fn = e;
        e->adjust = new_adjust(0, 0, CO_CLOSURE_FN, x);
        return true;
    }
    if (f->kind == TY_STD && x->kind == TY_STD && f->std == x->std &&
        (ty_is_std(f, STD_RC) || ty_is_std(f, STD_WEAK) || ty_is_std(f, STD_ARC))) {
        Type *fi = ty_resolve(f->args[0]), *xi = ty_resolve(x->args[0]);
        if (xi->kind == TY_DYN && fi->kind != TY_DYN && fi->kind != TY_VAR && satisfies(fi, xi->trait)) {
            e->adjust = new_adjust(0, 0, CO_RC_DYN, x);
            return true;
        }
    }
    if (ty_is_std(f, STD_PIN) && ty_is_std(x, STD_PIN) && ty_is_std(ty_resolve(f->args[0]), STD_BOX) &&
        ty_is_std(ty_resolve(x->args[0]), STD_BOX)) { /* Pin<Box<F>> -> Pin<Box<dyn Future<Output = T>>> */
        Type *fi = ty_resolve(ty_resolve(f->args[0])->args[0]), *xi = ty_resolve(ty_resolve(x->args[0])->args[0]);
        if (xi->kind == TY_DYN && fi->kind != TY_DYN && fi->kind != TY_VAR && satisfies(fi, xi->trait)) {
            e->adjust = new_adjust(0, 0, CO_BOX_DYN, x);
            return true;
        }
        if (xi->kind == TY_DYN && xi->trait->future_out && fi->kind != TY_DYN && fi->kind != TY_VAR &&
            satisfies(fi, prog->future)) { /* a future of another Output */
            Type *out = ty_resolve(ty_proj(fi, prog->future, 0));
            Diag *d = diag_error("E0271", e->span, "expected `%s` to be a future that resolves to `%s`, but it resolves to `%s`",
                                 ty_str(fi), ty_str(xi->trait->future_out), ty_str(out));
            diag_primary_label(d, "expected `%s`, found `%s`", ty_str(xi->trait->future_out), ty_str(out));
            diag_note(d, "required for the cast from `%s` to `%s`", ty_str(f), ty_str(x));
            e->adjust = new_adjust(0, 0, CO_BOX_DYN, x);
            return true;
        }
    }
    if (ty_is_std(f, STD_BOX) && ty_is_std(x, STD_BOX)) {
        Type *fi = ty_resolve(f->args[0]), *xi = ty_resolve(x->args[0]);
        if (xi->kind == TY_DYN && fi->kind == TY_VAR && fi->var_kind != VAR_ANY) {
            unify(fi, ty_prim(fi->var_kind == VAR_INT ? TY_I32 : TY_F64)); /* rustc's literal fallback */
            fi = ty_resolve(fi);
        }
        if (xi->kind == TY_DYN && fi->kind != TY_DYN && fi->kind != TY_VAR && satisfies(fi, xi->trait)) {
            e->adjust = new_adjust(0, 0, CO_BOX_DYN, x);
            return true;
        }
    }
    if (f->kind == TY_REF && x->kind == TY_REF && (!x->is_mut || f->is_mut) &&
        (ty_resolve(f->args[0])->kind == TY_ADT ||
         (ty_is_smart(ty_resolve(f->args[0])) && !ty_is_std(ty_resolve(f->args[0]), STD_BOX))) &&
        ty_resolve(x->args[0])->kind != TY_VAR && !could_unify(f->args[0], x->args[0])) {
        /* deref coercion through `impl Deref`, an Rc, a Ref: &MyBox<String> -> &String -> &str */
        Type *t = ty_resolve(f->args[0]);
        Type *xi = ty_resolve(x->args[0]);
        for (int k = 0; k < 8; k++) {
            Type *tg = t->kind == TY_ADT ? user_deref_target(t) : ty_is_smart(t) ? t->args[0]
                     : t->kind == TY_REF && k > 0 ? t->args[0] /* (the pointer a Pin holds) */ : NULL;
            if (tg && x->is_mut && t->kind == TY_REF && !t->is_mut)
                break;
            if (tg && x->is_mut && t->kind == TY_ADT && !user_deref(t, true, NULL, NULL, NULL))
                break;
            if (tg && x->is_mut && ty_smart_shared(t))
                break;
            if (!tg)
                break;
            t = ty_resolve(tg);
            if (could_unify(t, xi) || (ty_is_std(t, STD_STRING) && xi->kind == TY_STR) ||
                (ty_is_std(t, STD_VEC) && xi->kind == TY_SLICE && unify(t->args[0], xi->args[0]))) {
                unify(t, xi);
                e->adjust = new_adjust(0, 0, CO_USER_DEREF, x);
                return true;
            }
        }
    }
    if (f->kind == TY_REF && x->kind == TY_REF && (!x->is_mut || f->is_mut)) {
        Type *fi = ty_resolve(f->args[0]), *xi = ty_resolve(x->args[0]);
        if (ty_is_std(fi, STD_STRING) && xi->kind == TY_STR) {
            e->adjust = new_adjust(0, 0, CO_STRING_TO_STR, x);
            return true;
        }
        if (ty_is_std(fi, STD_VEC) && xi->kind == TY_SLICE && unify(fi->args[0], xi->args[0])) {
            e->adjust = new_adjust(0, 0, CO_VEC_TO_SLICE, x);
            return true;
        }
        if (xi->kind == TY_DYN && fi->kind == TY_VAR && fi->var_kind != VAR_ANY) {
            unify(fi, ty_prim(fi->var_kind == VAR_INT ? TY_I32 : TY_F64)); /* rustc's literal fallback */
            fi = ty_resolve(fi);
        }
        if (xi->kind == TY_DYN && (ty_is_std(fi, STD_RC) || ty_is_std(fi, STD_ARC)) &&
            ty_resolve(fi->args[0])->kind == TY_DYN && satisfies(ty_resolve(fi->args[0]), xi->trait)) {
            /* &Rc<dyn T> -> &dyn T: the object in the block, same vtable */
            e->adjust = new_adjust(0, 0, CO_BOX_DYN_REF, x);
            return true;
        }
        if (xi->kind == TY_DYN && xi->trait->fn_kind && ty_is_std(fi, STD_BOX) &&
            ty_resolve(fi->args[0])->kind == TY_DYN && satisfies(fi, xi->trait)) {
            /* a Box<dyn Fn> is itself Fn: calling through it calls the closure it holds */
            e->adjust = new_adjust(0, 0, CO_BOX_DYN_REF, x);
            return true;
        }
        if (xi->kind == TY_DYN && fi->kind != TY_DYN && fi->kind != TY_VAR && satisfies(fi, xi->trait)) {
            e->adjust = new_adjust(0, 0, CO_DYN, x);
            return true;
        }
        if (xi->kind == TY_DYN && ty_is_std(fi, STD_BOX) && ty_resolve(fi->args[0])->kind == TY_DYN) {
            /* `&Box<dyn T>` to `&dyn T` is an unsizing cast, tried before any deref:
             * it needs `Box<dyn T>: T` (rustc's E0277), whatever the box holds */
            Diag *d = diag_error("E0277", e->span, "the trait bound `%s: %s` is not satisfied", ty_str(fi),
                                 xi->trait->name);
            diag_primary_label(d, "the trait `%s` is not implemented for `%s`", xi->trait->name, ty_str(fi));
            diag_note(d, "required for the cast from `%s` to `%s`", ty_str(f), ty_str(x));
            e->adjust = new_adjust(0, 0, CO_DEREF_REF, x);
            return true;
        }
        if (fi->kind == TY_ARRAY && xi->kind == TY_SLICE && unify(fi->args[0], xi->args[0])) {
            e->adjust = new_adjust(0, 0, CO_ARRAY_TO_SLICE, x);
            return true;
        }
        if ((fi->kind == TY_REF && unify(fi, x)) || (ty_is_std(fi, STD_BOX) && unify(fi->args[0], xi))) {
            /* &&T -> &T, &Box<T> -> &T */
            e->adjust = new_adjust(0, 0, CO_DEREF_REF, x);
            return true;
        }
        if (f->is_mut && !x->is_mut && unify(fi, xi)) {
            e->adjust = new_adjust(0, 0, CO_MUT_TO_CONST, x);
            return true;
        }
    }
    if (f->kind == TY_REF && x->kind == TY_PTR && (!x->is_mut || f->is_mut) && unify(f->args[0], x->args[0])) {
        e->adjust = new_adjust(0, 0, CO_REF_TO_PTR, x); /* `let p: *const T = &x;`: the address */
        return true;
    }
    if (f->kind == TY_PTR && x->kind == TY_PTR && f->is_mut && !x->is_mut && unify(f->args[0], x->args[0])) {
        e->adjust = new_adjust(0, 0, CO_MUT_TO_CONST, x); /* *mut T -> *const T */
        return true;
    }
    return false;
}

bool coerce(Expr *e, Type *found, Type *expected)
{
    if (unify(found, expected))
        return true;
    if (try_coerce(e, found, expected)) {
        if (e->adjust && e->adjust->coerce == CO_DYN && !e->adjust->target->args[0]->trait->builtin)
            check_object_safe(e->adjust->target->args[0]->trait, e->span);
        return true;
    }
    Type *f = ty_resolve(found), *x = ty_resolve(expected);
    if (f->kind == TY_REF && x->kind == TY_REF && ty_resolve(x->args[0])->kind == TY_DYN) {
        Type *inner = ty_resolve(f->args[0]);
        TraitDef *tr = ty_resolve(x->args[0])->trait;
        if (!has_error(inner)) {
            if (!strcmp(tr->name, "Display"))
                diag_error("E0277", e->span, "`%s` doesn't implement `std::fmt::Display`", ty_str(inner));
            else
                diag_error("E0277", e->span, "the trait bound `%s: %s` is not satisfied", ty_str(inner), tr->name);
        }
        return false;
    }
    mismatch(e->span, expected, found);
    return false;
}

/* ---- generic instantiation ---------------------------------------------------- */

/* Fresh type arguments for a generic fn (explicit ones from a turbofish
 * fill the fn's own parameters after the `first` implicit ones). */
Inst *new_inst(Ctx *c, FnDef *f, PathSeg *turbofish, int first, Span span)
{
    Inst *in = NEW(Inst);
    in->fn = f;
    in->n = f->ntparams;
    in->args = arena_alloc(g_arena, sizeof(Type *) * (size_t)(f->ntparams + 1));
    for (int i = 0; i < f->ntparams; i++)
        in->args[i] = ty_var(VAR_ANY);
    if (turbofish && turbofish->generic_args.len) {
        for (int i = 0; i < turbofish->generic_args.len && first + i < f->ntparams; i++)
            unify(in->args[first + i], resolve_type(turbofish->generic_args.items[i]));
        if (turbofish->generic_args.len > f->ntparams - first)
            diag_error("E0107", turbofish->span, "function takes %d generic argument%s but %d generic argument%s supplied",
                       f->ntparams - first, f->ntparams - first == 1 ? "" : "s", turbofish->generic_args.len,
                       turbofish->generic_args.len == 1 ? " was" : "s were");
    }
    list_push(&c->insts, in);
    Span *sp = NEW(Span);
    *sp = span;
    list_push(&c->inst_spans, sp);
    for (int k = 0; k < f->ntparams && f->tparam_bounds; k++)
        for (int j = 0; j < f->tparam_bounds[k].len; j++) {
            TraitDef *b = f->tparam_bounds[k].items[j];
            if (!b->fn_kind)
                continue;
            Type *ps[b->fn_nparams + 1];
            for (int i = 0; i < b->fn_nparams; i++)
                ps[i] = ty_subst(b->fn_params[i], in->args, in->n);
            FnExpect *x = NEW(FnExpect);
            x->var = in->args[k];
            x->sig = fn_trait(b->fn_kind, ps, b->fn_nparams, ty_subst(b->fn_ret, in->args, in->n));
            list_push(&c->fn_expect, x);
        }
    return in;
}

Type **inst_params(FnDef *f, Inst *in)
{
    Type **ps = arena_alloc(g_arena, sizeof(Type *) * (size_t)(f->nparams + 1));
    for (int i = 0; i < f->nparams; i++)
        ps[i] = in ? ty_subst(f->params[i], in->args, in->n) : f->params[i];
    return ps;
}

Type *inst_ret(FnDef *f, Inst *in) { return in ? ty_subst(f->ret, in->args, in->n) : f->ret; }

/* `F: Fn(i32) -> B` with F a closure typed before the call (`let inc =
 * |x: i32| x + 1; apply(inc, 5)`): the closure's signature fixes B, before
 * B is defaulted. */
static void infer_from_fn_bounds(Inst *in)
{
    for (int k = 0; k < in->n && in->fn->tparam_bounds; k++) {
        Type *r = ty_resolve(in->args[k]);
        if (r->kind != TY_CLOSURE && r->kind != TY_FN)
            continue;
        List *b = &in->fn->tparam_bounds[k];
        for (int j = 0; j < b->len; j++) {
            TraitDef *tr = b->items[j];
            if (!tr->fn_kind)
                continue;
            Type *ps[tr->fn_nparams + 1];
            for (int i = 0; i < tr->fn_nparams; i++)
                ps[i] = ty_subst(tr->fn_params[i], in->args, in->n);
            (void)satisfies(r, fn_trait(tr->fn_kind, ps, tr->fn_nparams, ty_subst(tr->fn_ret, in->args, in->n)));
        }
    }
    /* `I: Iterator<Item = T>` with I an iterator already typed: its Item fixes T */
    for (int k = 0; k < in->n && in->fn->tparam_bounds; k++) {
        List *b = &in->fn->tparam_bounds[k];
        for (int j = 0; j < b->len; j++) {
            TraitDef *tr = b->items[j];
            Type *r = ty_resolve(in->args[k]);
            if (tr->iter_item && r->kind != TY_VAR && satisfies(r, find_trait("Iterator")))
                (void)satisfies(r, iter_item_trait(ty_subst(tr->iter_item, in->args, in->n)));
        }
    }
    /* `F: Future<Output = T>` with F a future already typed: its Output fixes T */
    for (int i = 0; i < in->fn->op_outputs.len; i++) {
        OpOutput *o = in->fn->op_outputs.items[i];
        if (o->trait != prog->future || !o->ty || o->param >= in->n)
            continue;
        Type *f = ty_resolve(in->args[o->param]);
        Type *out = f->kind == TY_VAR ? NULL : std_future_output(f);
        if (out)
            unify(ty_subst(o->ty, in->args, in->n), out);
    }
}

void check_inst_bounds(Ctx *c)
{
    List ambiguous = {0}; /* Inst *, Span * pairs: reported after the rest */
    for (int i = 0; i < c->insts.len; i++) {
        infer_from_fn_bounds(c->insts.items[i]);
        select_generic_instance(c->insts.items[i]);
    }
    for (int i = 0; i < c->insts.len; i++) {
        Inst *in = c->insts.items[i];
        Span sp = *(Span *)c->inst_spans.items[i];
        if (generic_trait_unknown(in)) {
            list_push(&ambiguous, in);
            list_push(&ambiguous, c->inst_spans.items[i]);
            continue;
        }
        for (int k = 0; k < in->n; k++) {
            Type *r = ty_resolve(in->args[k]);
            if (r->kind == TY_VAR && r->var_kind == VAR_ANY && in->fn->tparam_bounds && in->fn->tparam_bounds[k].len) {
                Diag *d = diag_error("E0283", sp, "type annotations needed");
                diag_primary_label(d, "cannot infer type of the type parameter `%s` declared on the function `%s`",
                                   in->fn->tparam_names && in->fn->tparam_names[k] ? in->fn->tparam_names[k] : "T",
                                   in->fn->name);
                in->args[k] = ty_zonk(in->args[k]);
                break;
            }
            in->args[k] = ty_zonk(in->args[k]);
            if (!in->fn->tparam_bounds)
                continue;
            List *b = &in->fn->tparam_bounds[k];
            for (int j = 0; j < b->len; j++) {
                TraitDef *tr = b->items[j];
                if (tr->fn_kind) { /* `F: FnOnce() -> T`: with this call's T */
                    Type *ps[tr->fn_nparams + 1];
                    for (int i = 0; i < tr->fn_nparams; i++)
                        ps[i] = ty_subst(tr->fn_params[i], in->args, in->n);
                    tr = fn_trait(tr->fn_kind, ps, tr->fn_nparams, ty_subst(tr->fn_ret, in->args, in->n));
                }
                if (tr->iter_item) /* `I: Iterator<Item = T>`: with this call's T */
                    tr = iter_item_trait(ty_subst(tr->iter_item, in->args, in->n));
                if (tr->generic) /* `C: Convert<T>`: with this call's T */
                    tr = trait_subst(tr, in->args, in->n);
                else if (tr->ntparams && k == 0 && in->fn->trait == tr) /* a generic trait's method: its instance */
                    tr = trait_instance(tr, in->args + 1);
                if (!satisfies(in->args[k], tr))
                    bound_error(sp, in->args[k], tr);
            }
        }
    }
    for (int i = 0; i < ambiguous.len; i += 2) {
        /* `let x = m.convert();` with impls of Convert<f64> and Convert<String> (rustc
         * reports it only when nothing else went wrong) */
        Inst *in = ambiguous.items[i];
        if (!diag_error_count()) {
            Diag *d = diag_error("E0283", *(Span *)ambiguous.items[i + 1], "type annotations needed");
            diag_primary_label(d, "cannot infer the type of the parameter of trait `%s`", in->fn->trait->name);
            diag_note(d, "multiple `impl`s satisfying `%s: %s<_>` found", ty_str(in->args[0]), in->fn->trait->name);
        }
        for (int k = 0; k < in->n; k++)
            in->args[k] = ty_zonk(in->args[k]);
    }
}
