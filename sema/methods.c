/* methods.c — method calls: which method a call names.
 *
 * requires: the receiver typed, and the impls collected;
 * produces: a MethodRes on each EX_METHOD (the user method and its Inst, or
 * the std method mrsc implements, with the types codegen needs) and the
 * receiver's Adjust; E0599 when there is no such method.
 *
 * Receiver probing as rustc: peel references off the receiver type to its
 * base type B; look for an inherent method of B (user impls), then a trait
 * method, then a std method mrsc implements for B's family (str methods
 * also on String, slice methods also on Vec and arrays), whose row and
 * typing are stdlib.c's. The receiver's Adjust records the derefs, and the
 * auto-ref the method's self mode needs. */
#include "check_int.h"

#include <string.h>

static void require_mut_receiver(Ctx *c, Expr *recv, Type *rt, int derefs, Span span)
{
    if (derefs == 0) {
        if (is_place(recv))
            check_mutable(c, recv, false, span);
        return;
    }
    /* through references: the innermost must be &mut; through Boxes only,
     * the binding itself must be mut (inherited mutability) */
    Type *t = ty_resolve(rt), *last_ref = NULL;
    for (int i = 0; i < derefs; i++) {
        if (t->kind == TY_REF)
            last_ref = t;
        if (ty_is_std(t, STD_PIN)) { /* DerefMut to an Unpin target only, through a mutable Pin */
            Type *p = ty_resolve(t->args[0]);
            if ((p->kind == TY_REF && !p->is_mut) || !ty_is_unpin(p->args[0], NULL)) {
                Diag *d = diag_error("E0596", recv->span, "cannot borrow data in dereference of `%s` as mutable", ty_str(t));
                diag_primary_label(d, "cannot borrow as mutable");
                diag_help(d, "trait `DerefMut` is required to modify through a dereference, but it is not implemented for `%s`",
                          ty_str(t));
                return;
            }
            if (!last_ref && is_place(recv) && i == 0)
                check_mutable(c, recv, false, span);
            return;
        }
        if (ty_smart_shared(t)) { /* an Rc, an Arc, a Ref: no DerefMut */
            Diag *d = ty_is_std(t, STD_RC) || ty_is_std(t, STD_ARC)
                          ? diag_error("E0596", recv->span, "cannot borrow data in an `%s` as mutable", t->std->name)
                          : diag_error("E0596", recv->span, "cannot borrow data in dereference of `%s` as mutable",
                                       ty_str(t));
            diag_primary_label(d, "cannot borrow as mutable");
            diag_help(d, "trait `DerefMut` is required to modify through a dereference, but it is not implemented for `%s`",
                      ty_str(t));
            return;
        }
        if (t->kind == TY_ADT) { /* through `impl Deref`: needs `impl DerefMut` */
            Type *tg = NULL;
            if (!user_deref(t, true, NULL, NULL, &tg)) {
                Diag *d = diag_error("E0596", recv->span, "cannot borrow data in dereference of `%s` as mutable",
                                     ty_str(t));
                diag_primary_label(d, "cannot borrow as mutable");
                diag_help(d, "trait `DerefMut` is required to modify through a dereference, but it is not implemented for `%s`",
                          ty_str(t));
                return;
            }
            t = ty_resolve(user_deref_target(t));
            continue;
        }
        t = ty_resolve(t->args[0]);
    }
    if (!last_ref) {
        if (is_place(recv))
            check_mutable(c, recv, false, span);
        return;
    }
    t = last_ref;
    if (t->kind == TY_REF && !t->is_mut) {
        Expr *r = strip_parens(recv);
        const char *name = place_str(r);
        Diag *d = diag_error("E0596", recv->span, "cannot borrow `*%s` as mutable, as it is behind a `&` reference", name);
        diag_primary_label(d, "`%s` is a `&` reference, so the data it refers to cannot be borrowed as mutable", name);
    }
}

/* A `self: Box<Self>` method takes the Box the receiver derefs through last: derefs
 * becomes the level of that Box; false (E0599) when the receiver holds no Box. */
static bool box_receiver(Expr *e, Type *rt, int *derefs)
{
    Type *lv = ty_resolve(rt);
    for (int k = 0; k < *derefs - 1; k++)
        lv = ty_resolve(lv->args[0]);
    if (*derefs > 0 && ty_is_std(lv, STD_BOX)) {
        (*derefs)--;
        return true;
    }
    Diag *d = diag_error("E0599", e->name_span, "no method named `%s` found for `%s` in the current scope", e->name,
                         ty_str(rt));
    diag_primary_label(d, "method not found in `%s`", ty_str(rt));
    return false;
}

/* A `self: Pin<&mut Self>` method takes the Pin the receiver derefs through last (the
 * level two derefs above Self: Pin, then its reference), of the same mutability; false
 * (E0599) when there is none: a method of a pinned value needs the value pinned. */
static bool pin_receiver(Expr *e, FnDef *f, Type *rt, int *derefs)
{
    Type *lv = ty_resolve(rt);
    bool want_mut = ty_resolve(f->params[0]->args[0])->is_mut;
    for (int k = 0; k < *derefs - 2; k++)
        lv = ty_resolve(lv->args[0]);
    if (*derefs >= 2 && ty_is_std(lv, STD_PIN) && ty_resolve(lv->args[0])->kind == TY_REF &&
        ty_resolve(lv->args[0])->is_mut == want_mut) {
        *derefs -= 2;
        return true;
    }
    Diag *d = diag_error("E0599", e->name_span, "no method named `%s` found for %s `%s` in the current scope", e->name,
                         ty_resolve(rt)->kind == TY_ADT && ty_resolve(rt)->adt->is_enum ? "enum" : "struct",
                         ty_str(rt));
    diag_primary_label(d, "method not found in `%s`", ty_str(rt));
    return false;
}

/* The arguments of a method call that could not be resolved: typed for their
 * own errors, against nothing. */
static void check_args_alone(Ctx *c, Expr *e)
{
    for (int i = 0; i < e->args.len; i++)
        check_expr(c, e->args.items[i], NULL);
}

/* A call of user method f, its type arguments in (or NULL): the receiver is
 * auto-ref'd as f's self asks (a `&mut self` one must be mutable when
 * check_mut), then the arguments are checked. */
static Type *user_method_call(Ctx *c, Expr *e, FnDef *f, Inst *in, Type *rt, int derefs, bool check_mut,
                              MethodRes *mr)
{
    mr->fn = f;
    mr->inst = in;
    if (f->is_unsafe)
        require_unsafe_call(c, e->span, f);
    Type **ps = inst_params(f, in);
    if (f->self_kind == SELF_BOX && !box_receiver(e, rt, &derefs))
        return ty_error();
    if (f->self_kind == SELF_PIN && !pin_receiver(e, f, rt, &derefs))
        return ty_error();
    int autoref = f->self_kind == SELF_REF ? 1 : f->self_kind == SELF_REF_MUT ? 2 : 0;
    if (autoref == 2 && check_mut)
        require_mut_receiver(c, e->operand, rt, derefs, e->operand->span);
    e->operand->adjust = new_adjust(derefs, autoref, CO_NONE, ps[0]);
    check_args(c, e, e->name_span, &e->args, ps + 1, f->nparams - 1, "method");
    return inst_ret(f, in);
}

/* Is name a method of smart pointer b itself (`rc.clone()` clones the Rc), rather
 * than of what it points to (`rc.len()`)? */
static bool smart_has_method(Type *b, const char *name)
{
    const StdMethod *m = std_method_find(b, name);
    if (!m)
        return false;
    if (!strcmp(name, "clone") || !strcmp(name, "to_owned")) /* Clone of a Ref is its target's */
        return b->std->clone != SI_NO;
    return !(m->families & FAM_ANY);
}

/* The type the method is looked up on: rt without its references and Boxes
 * (*derefs of them), except that Box<T> is Clone itself: clone() at the first
 * Box gives a Box. */
static Type *receiver_base(Type *rt, const char *name, int *derefs)
{
    Type *b = ty_resolve(rt);
    for (;;) {
        Type *tg;
        if (path_fn_row && b->kind == TY_STD && (b->std->families & path_fn_row->families))
            break; /* `Rc::ptr_eq(&r.borrow(), &b)`: derefs to the path's type */
        if (b->kind == TY_REF || ty_is_std(b, STD_BOX) ||
            (ty_is_smart(b) && (path_fn_row || !smart_has_method(b, name))))
            b = ty_resolve(b->args[0]);
        else if (b->kind == TY_ADT && !type_has_method(b, name) && !std_method_find(b, name) &&
                 (tg = user_deref_target(b))) /* impl Deref: the method is the target's */
            b = ty_resolve(tg);
        else
            break;
        (*derefs)++;
    }
    Type *lv = ty_resolve(rt);
    int k = 0;
    while (lv->kind == TY_REF) {
        lv = ty_resolve(lv->args[0]);
        k++;
    }
    if (ty_is_std(lv, STD_BOX) && (!strcmp(name, "clone") || !strcmp(name, "as_ref") || !strcmp(name, "as_mut"))) {
        b = lv;
        *derefs = k;
    }
    return b;
}

/* A trait implemented for a reference type (impl Shout for &str): probe each
 * level of rt's references; NULL when none has the method. */
static Type *ref_impl_method_call(Ctx *c, Expr *e, Type *rt, int derefs, MethodRes *mr)
{
    Type *lv = ty_resolve(rt);
    for (int k = 0; k < derefs; k++) {
        ImplDef *im = NULL;
        FnDef *f = impl_method(lv, e->name, &im);
        if (f && f->self_kind != SELF_NONE) {
            Inst *in = impl_inst(c, f, im, e->span);
            mr->self_ty = lv;
            return user_method_call(c, e, f, in, rt, k, false, mr);
        }
        lv = ty_resolve(lv->args[0]);
    }
    return NULL;
}

/* A literal receiver (`{integer}`, `{float}`): the type of the one impl that
 * has the method (i32/f64 first), else i32/f64 for the std trait methods (and
 * Ord's max/min); NULL after E0689 or E0282. */
static Type *literal_receiver(Ctx *c, Expr *e, Type *b, MethodRes *mr)
{
    if (b->var_kind != VAR_ANY) {
        Type *pick = ty_prim(b->var_kind == VAR_INT ? TY_I32 : TY_F64);
        if (!impl_method(pick, e->name, NULL))
            for (int i = 0; i < prog->impls.len; i++) {
                ImplDef *im = prog->impls.items[i];
                if (could_unify(b, im->self_ty) && impl_method(im->self_ty, e->name, NULL)) {
                    pick = im->self_ty;
                    break;
                }
            }
        if (impl_method(pick, e->name, NULL)) {
            unify(b, pick);
            mr->self_ty = pick;
            return pick;
        }
    }
    const StdMethod *fm = std_method_find(ty_prim(TY_F64), e->name);
    const StdMethod *im = std_method_find(ty_prim(TY_I32), e->name);
    if (b->var_kind == VAR_FLOAT && fm && (fm->families & FAM_ANY)) {
        unify(b, ty_prim(TY_F64));
        return ty_prim(TY_F64);
    }
    if (b->var_kind == VAR_INT && im) {
        /* a trait method every integer type has (to_string, clone, eq, cmp ...) leaves the
         * type to what comes later (`sq(q)` with `sq(n: i64)`), i32 if nothing says; Ord's
         * max/min pick i32 now; inherent ones are E0689 */
        if (im->families & FAM_ANY || im->id == BM_MAX || im->id == BM_MIN)
            return b; /* (Ord's max and min too: `m.max(v.len())` makes m a usize) */
        if ((im->families & FAM_ANY) || im->id == BM_MAX || im->id == BM_MIN) {
            unify(b, ty_prim(TY_I32));
            return ty_prim(TY_I32);
        }
        Diag *d = diag_error("E0689", e->name_span, "can't call method `%s` on ambiguous numeric type `{integer}`",
                             e->name);
        (void)d;
    } else if (b->var_kind == VAR_FLOAT && fm) {
        Diag *d = diag_error("E0689", e->name_span, "can't call method `%s` on ambiguous numeric type `{float}`",
                             e->name);
        (void)d;
    } else {
        /* the value of a collect whose target is not known yet: rustc asks for it there */
        Span at = e->operand->span;
        for (int i = 0; i < c->exprs.len; i++) {
            Expr *x = c->exprs.items[i];
            MethodRes *xm = x->kind == EX_METHOD ? x->sema : NULL;
            if (xm && xm->bm == BM_IT_COLLECT && xm->aux && x->ty && ty_resolve(x->ty) == b) {
                at = x->name_span;
                xm->aux = NULL; /* (reported: not again at the fn's end) */
                break;
            }
        }
        Diag *d = diag_error("E0282", at, "type annotations needed");
        (void)d;
    }
    check_args_alone(c, e);
    return NULL;
}

/* A method of b's own impl blocks; NULL when none applies to b. */
static Type *inherent_method_call(Ctx *c, Expr *e, Type *b, Type *rt, int derefs, MethodRes *mr)
{
    for (int i = 0; i < b->adt->methods.len; i++) {
        FnDef *f = b->adt->methods.items[i];
        if (strcmp(f->name, e->name) != 0)
            continue;
        Inst *in = NULL;
        if (f->ntparams) {
            in = new_inst(c, f, NULL, 0, e->span);
            if (!unify(ty_subst(f->impl_self, in->args, in->n), b)) {
                c->insts.len--;
                c->inst_spans.len--;
                continue;
            }
        } else if (f->impl_self && f->impl_self != b) {
            if (!could_unify(f->impl_self, b))
                continue; /* impl Pair<f64> does not apply to Pair<i32> */
            unify(f->impl_self, b);
        }
        if (f->self_kind != SELF_NONE)
            return user_method_call(c, e, f, in, rt, derefs, true, mr);
        Diag *d = diag_error("E0599", e->name_span, "no method named `%s` found for %s `%s` in the current scope",
                             e->name, b->adt->is_enum ? "enum" : "struct", b->adt->name);
        diag_primary_label(d, "this is an associated function, not a method");
        diag_note(d, "found the following associated functions; to be used as methods, functions must have a `self` parameter");
        check_args_alone(c, e);
        return ty_error();
    }
    return NULL;
}

/* A trait method: of an impl for b, through the vtable of a `dyn Trait`, a
 * default method of a trait b implements, or a bound's method on a type
 * parameter; NULL when there is none. */
/* A method of a generic trait (`trait Convert<T>`) that b has from several of
 * its instances (impls of Convert<u32> and Convert<String>, or bounds `C:
 * Convert<u32> + Convert<String>`): the trait's own declaration, called at
 * Self = b and trait arguments to be inferred (the expected type usually
 * says); check_inst_bounds then requires the instance, and codegen calls its
 * impl. NULL when b has the method from one instance only. */
static Type *generic_trait_call(Ctx *c, Expr *e, Type *b, Type *rt, int derefs, ImplDef *im, MethodRes *mr)
{
    TraitDef *g = NULL;
    int n = 0;
    if (b->kind == TY_PARAM && cur_fn && b->param_index < cur_fn->ntparams) {
        List *bl = &cur_fn->tparam_bounds[b->param_index];
        for (int i = 0; i < bl->len; i++) {
            TraitDef *tr = bl->items[i];
            if (tr->generic && trait_method(tr, e->name) && (!g || g == tr->generic))
                g = tr->generic, n++;
        }
    } else if (im && im->trait->generic) {
        g = im->trait->generic;
        for (int i = 0; i < prog->impls.len; i++) {
            ImplDef *o = prog->impls.items[i];
            if (o->trait->generic != g || !impl_matches(o, b, NULL))
                continue;
            for (int k = 0; k < o->methods.len; k++)
                n += !strcmp(((FnDef *)o->methods.items[k])->name, e->name);
        }
    }
    FnDef *decl = g && n > 1 ? trait_method(g, e->name) : NULL;
    if (!decl || decl->self_kind == SELF_NONE)
        return NULL;
    Inst *in = new_inst(c, decl, NULL, 1 + g->ntparams, e->span);
    unify(in->args[0], b);
    Type *r = user_method_call(c, e, decl, in, rt, derefs, true, mr);
    select_generic_instance(in); /* the arguments may already say which */
    return r;
}

/* A method of one instance of a generic trait named by a bound (`C: Convert<T>`):
 * its declaration at Self = b and the bound's arguments. */
static Type *bound_instance_call(Ctx *c, Expr *e, FnDef *decl, TraitDef *inst, Type *b, Type *rt, int derefs,
                                 MethodRes *mr)
{
    Inst *in = new_inst(c, decl, NULL, 1 + inst->generic->ntparams, e->span);
    unify(in->args[0], b);
    for (int i = 0; i < inst->generic->ntparams; i++)
        unify(in->args[1 + i], inst->targs[i]);
    return user_method_call(c, e, decl, in, rt, derefs, true, mr);
}

static Type *trait_method_call(Ctx *c, Expr *e, Type *b, Type *rt, int derefs, MethodRes *mr)
{
    ImplDef *im = NULL;
    FnDef *f = impl_method(b, e->name, &im);
    Type *gt = generic_trait_call(c, e, b, rt, derefs, im, mr);
    if (gt)
        return gt;
    if (fmt_forced >= 0 && !strcmp(e->name, "fmt")) { /* `Debug::fmt(&x, f)`: that trait's impl */
        TraitDef *want = find_trait(fmt_forced ? "Debug" : "Display");
        Type **args = NULL;
        ImplDef *fi = want ? find_impl_args(want, b, &args) : NULL;
        f = NULL;
        for (int k = 0; fi && k < fi->methods.len; k++)
            if (!strcmp(((FnDef *)fi->methods.items[k])->name, "fmt"))
                f = fi->methods.items[k], im = fi;
    }
    FnDef *decl = NULL;
    if (!f && b->kind == TY_DYN) {
        FnDef *tm = trait_method(b->trait, e->name);
        if (tm && tm->self_kind != SELF_NONE) {
            Inst *in = new_inst(c, tm, NULL, 1, e->span);
            unify(in->args[0], b);
            mr->fn = tm;
            mr->inst = in;
            mr->dynamic = true;
            Type **ps = inst_params(tm, in);
            if (tm->self_kind == SELF_REF_MUT)
                require_mut_receiver(c, e->operand, rt, derefs, e->operand->span);
            if (tm->self_kind == SELF_BOX && !box_receiver(e, rt, &derefs))
                return ty_error();
            if (tm->self_kind == SELF_PIN && !pin_receiver(e, tm, rt, &derefs))
                return ty_error();
            e->operand->adjust = new_adjust(derefs, 0, CO_NONE, ps[0]);
            check_args(c, e, e->name_span, &e->args, ps + 1, tm->nparams - 1, "method");
            return inst_ret(tm, in);
        }
    }
    if (!f) {
        if (b->kind == TY_PARAM) {
            if (cur_fn && b->param_index < cur_fn->ntparams) {
                List *bl = &cur_fn->tparam_bounds[b->param_index];
                for (int i = 0; i < bl->len && !decl; i++) {
                    decl = trait_method(bl->items[i], e->name);
                    TraitDef *bt = bl->items[i];
                    if (decl && bt->generic && decl->self_kind != SELF_NONE)
                        return bound_instance_call(c, e, decl, bt, b, rt, derefs, mr);
                }
            }
        } else {
            if (!strcmp(e->name, "poll") && std_future_output(b)) /* `j.poll(cx)` of a std future */
                decl = trait_method(prog->future, "poll");
            for (int i = 0; i < prog->impls.len && !decl; i++) {
                ImplDef *ti = prog->impls.items[i];
                if (!ti->trait->builtin && impl_matches(ti, b, NULL)) {
                    FnDef *tm = trait_method(ti->trait, e->name);
                    if (tm && tm->item->body)
                        decl = tm;
                }
            }
        }
    }
    if (decl && decl->self_kind != SELF_NONE) {
        for (int k = 0; decl->trait && b->kind != TY_PARAM && k < decl->trait->supers.len; k++)
            if (!satisfies(b, decl->trait->supers.items[k])) /* the method's `Self: Super` bound */
                bound_error(e->name_span, b, decl->trait->supers.items[k]);
        Inst *in = new_inst(c, decl, NULL, 1, e->span);
        unify(in->args[0], b);
        return user_method_call(c, e, decl, in, rt, derefs, true, mr);
    }
    if (f && f->self_kind != SELF_NONE && f->trait && !strcmp(f->trait->name, "Drop")) {
        Diag *d = diag_error("E0040", e->name_span, "explicit use of destructor method");
        diag_primary_label(d, "explicit destructor calls not allowed");
        diag_help(d, "consider using `drop` function: `drop(%s)`", diag_source_text(e->operand->span));
        return ty_unit();
    }
    if (f && f->self_kind != SELF_NONE)
        return user_method_call(c, e, f, impl_inst(c, f, im, e->span), rt, derefs, true, mr);
    return NULL;
}

/* A formatting method set by its context (fmt forwarded to a std type's
 * Display or Debug, Formatter::write_str), not looked up by name: the
 * receiver is not checked for mutability (it is a Formatter parameter). */
static Type *fmt_method_call(Ctx *c, Expr *e, const StdMethod *m, Type *b, int derefs, MethodRes *mr)
{
    mr->bm = m->id;
    e->operand->adjust = new_adjust(derefs, m->recv, CO_NONE, b);
    return std_method_type(c, e, m, b, NULL, mr);
}

/* `x.into()` through an `impl From`, and the formatting methods of a Display
 * or Debug impl's body: `v.fmt(f)` forwarded to a std type, `f.write_str(s)`;
 * NULL for any other call. */
static Type *conversion_or_fmt_call(Ctx *c, Expr *e, Type *b, int derefs, Type *expected, MethodRes *mr)
{
    if (!strcmp(e->name, "into") && e->args.len == 0 && expected) {
        FnDef *conv = op_impl("From", expected, b);
        if (conv) {
            mr->fn = conv;
            e->operand->adjust = new_adjust(derefs, 0, CO_NONE, b);
            return conv->ret;
        }
    }
    if (!strcmp(e->name, "fmt") && e->args.len == 1 && b->kind != TY_ADT) {
        bool dbg = fmt_forced >= 0 ? fmt_forced : cur_fn && cur_fn->trait && !strcmp(cur_fn->trait->name, "Debug");
        if (fmt_trait_ok(b, dbg ? FT_DEBUG : FT_DISPLAY, e->operand->span, true))
            return fmt_method_call(c, e, std_method(dbg ? BM_FMT_DEBUG_FWD : BM_FMT_DISPLAY_FWD), b, derefs, mr);
    }
    if (b->kind == TY_ADT && b->adt == prog->formatter && !strcmp(e->name, "write_str"))
        return fmt_method_call(c, e, std_method(BM_FMT_WRITE_STR), b, derefs, mr);
    if (b->kind == TY_ADT && b->adt == prog->formatter && !strcmp(e->name, "pad"))
        return fmt_method_call(c, e, std_method(BM_FMT_PAD), b, derefs, mr);
    return NULL;
}

/* A std method mrsc implements for b's family, or E0599 (or "not supported"
 * for a std method mrsc lacks). */
const StdMethod *path_fn_row;

static Type *std_method_call(Ctx *c, Expr *e, Type *b, Type *rt, int derefs, Type *expected, MethodRes *mr,
                             const StdMethod *row)
{
    const StdMethod *m = row ? row : std_method_find(b, e->name);
    bool array_only = b->kind == TY_ARRAY && (!strcmp(e->name, "map") || !strcmp(e->name, "each_ref")); /* ([T; N]'s) */
    if (!m && !(b->kind == TY_ADT && !b->adt->builtin) && (std_method_lacking(e->name) || array_only)) {
        /* a std method rustc has and mrsc does not implement yet */
        unsupported(e->name_span, xprintf("the method `%s` on `%s`", e->name, ty_str(b)));
        check_args_alone(c, e);
        return ty_error();
    }
    if (!m) {
        const char *what = b->kind == TY_ADT ? (b->adt->is_enum ? "enum" : "struct") : b->kind == TY_STD ? "struct" : "type";
        Diag *d = diag_error("E0599", e->name_span, "no method named `%s` found for %s `%s` in the current scope",
                             e->name, what, ty_str(b));
        diag_primary_label(d, "method not found in `%s`", ty_str(b));
        check_args_alone(c, e);
        return ty_error();
    }
    mr->bm = m->id;
    if (m->recv == RECV_REF_MUT)
        require_mut_receiver(c, e->operand, rt, derefs, e->operand->span);
    e->operand->adjust = new_adjust(derefs, m->recv, CO_NONE, b);
    if (b->nargs)
        mr->elem = b->args[0];
    if (b->kind == TY_ADT && (m->families & FAM_ITER))
        mr->elem = user_iter_item(b);
    return std_method_type(c, e, m, b, expected, mr);
}

Type *path_recv_type; /* `i32::pow(n, 2)`: the receiver is an i32 even when n is a bare {integer} */

Type *check_method(Ctx *c, Expr *e, Type *expected)
{
    Type *hint = path_recv_type;
    path_recv_type = NULL;
    const StdMethod *row = path_fn_row; /* (not the receiver's own calls') */
    path_fn_row = NULL;
    Type *rt = check_expr(c, e->operand, NULL);
    if (hint && ty_resolve(rt)->kind == TY_VAR && ty_resolve(rt)->var_kind != VAR_ANY)
        unify(rt, hint);
    int derefs = 0;
    path_fn_row = row;
    Type *b = receiver_base(rt, e->name, &derefs);
    path_fn_row = NULL;
    Type *r0 = ty_resolve(rt);
    if (!row && r0->kind == TY_REF && ty_resolve(r0->args[0])->kind == TY_REF && derefs >= 2 && b->kind != TY_ADT &&
        (!strcmp(e->name, "cmp") || !strcmp(e->name, "partial_cmp") || !strcmp(e->name, "eq") || !strcmp(e->name, "ne"))) {
        /* `a.cmp(b)` with a: &&T: Self is &T, whose `&self` a is (rustc's by-value step) */
        b = ty_resolve(r0->args[0]);
        derefs = 1;
    }
    MethodRes *mr = NEW(MethodRes);
    mr->self_ty = b;
    e->sema = mr;
    if (b->kind == TY_ERROR) {
        check_args_alone(c, e);
        return b;
    }
    Type *t = ref_impl_method_call(c, e, rt, derefs, mr);
    if (t)
        return t;
    Type *outer = ty_resolve(rt);
    while (outer->kind == TY_REF)
        outer = ty_resolve(outer->args[0]);
    if (b->kind == TY_VAR && b->var_kind != VAR_ANY && ty_is_smart(outer) &&
        !std_method_find(ty_prim(b->var_kind == VAR_INT ? TY_I32 : TY_F64), e->name)) {
        /* `Arc::new(5).lock()`: no such method on the Arc nor on a number */
        Diag *d = diag_error("E0599", e->name_span, "no method named `%s` found for struct `%s` in the current scope",
                             e->name, ty_str(outer));
        diag_primary_label(d, "method not found in `%s`", ty_str(outer));
        check_args_alone(c, e);
        return ty_error();
    }
    if (b->kind == TY_VAR) {
        b = literal_receiver(c, e, b, mr);
        if (!b)
            return ty_error();
    }
    if (b->kind == TY_ADT && !b->adt->builtin && (t = inherent_method_call(c, e, b, rt, derefs, mr)))
        return t;
    if ((t = trait_method_call(c, e, b, rt, derefs, mr)))
        return t;
    if ((t = conversion_or_fmt_call(c, e, b, derefs, expected, mr)))
        return t;
    return std_method_call(c, e, b, rt, derefs, expected, mr, row);
}
