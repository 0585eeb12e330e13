/* traits.c — traits and impls (Tier 1a), and the closure traits.
 *
 * requires: every type name known (resolve.c's first pass);
 * produces: TraitDefs with their method signatures (Self is TY_PARAM 0),
 * ImplDefs (E0046, E0053, E0117, E0119, E0184, E0407), and the answers the
 * checker asks of them while typing bodies: which impl applies to a type,
 * which method it provides, whether a type satisfies a bound (E0277).
 *
 * `impl Trait for Type` is an ImplDef whose methods are ordinary FnDefs (C
 * name Type_method) found by method lookup after the inherent methods. The
 * std traits mrsc knows (Display, Debug, PartialEq, PartialOrd, Ord, Clone,
 * Copy, Default, Iterator) are builtin TraitDefs; a manual impl of
 * PartialEq/PartialOrd/Ord/Clone/Copy marks the type as if it derived the
 * trait, and codegen calls the user's method. `Fn(A) -> R` is one interned
 * TraitDef per kind and signature. */
#include "check_int.h"

#include <ctype.h>
#include <string.h>

/* ---- traits and impls --------------------------------------------------------- */

TraitDef *find_trait(const char *name)
{
    Def *d = lookup_global(name, true);
    return d && d->kind == DEF_TRAIT ? d->trait : NULL;
}

TraitDef *builtin_trait(const char *name)
{
    TraitDef *t = NEW(TraitDef);
    t->name = xstrdup(name);
    t->builtin = true;
    Def *d = new_def(DEF_TRAIT, t->name, (Span){0});
    d->trait = t;
    add_global(t->name, d, true, (Span){0});
    list_push(&prog->traits, t);
    return t;
}

/* Instance `g<args>` of generic trait g: interned when the arguments hold no
 * inference variable (so that two mentions of `Convert<u32>` are one trait). */
TraitDef *trait_instance(TraitDef *g, Type **args)
{
    Type **za = arena_alloc(g_arena, sizeof(Type *) * (size_t)(g->ntparams + 1));
    bool vars = false;
    for (int i = 0; i < g->ntparams; i++) {
        za[i] = ty_resolve_deep(args[i]);
        vars |= ty_has_vars(za[i]);
    }
    for (int i = 0; !vars && i < g->instances.len; i++) {
        TraitDef *t = g->instances.items[i];
        bool same = true;
        for (int k = 0; k < g->ntparams && same; k++)
            same = t->targs[k] == za[k];
        if (same)
            return t;
    }
    TraitDef *t = NEW(TraitDef);
    *t = *g;
    t->instances = (List){0};
    t->generic = g;
    t->targs = za;
    t->ntparams = 0;
    StrBuf sb;
    sb_init(&sb);
    sb_printf(&sb, "%s<", g->name);
    for (int i = 0; i < g->ntparams; i++)
        sb_printf(&sb, "%s%s", i ? ", " : "", ty_str(za[i]));
    sb_puts(&sb, ">");
    t->name = xstrdup(sb.data);
    sb_free(&sb);
    if (!vars)
        list_push(&g->instances, t);
    return t;
}

/* tr with the type parameters of a generic fn or impl substituted (an instance's
 * arguments may name them: `C: Convert<T>`). */
TraitDef *trait_subst(TraitDef *tr, Type **args, int n)
{
    if (!tr || !tr->generic)
        return tr;
    Type *a[tr->generic->ntparams + 1];
    for (int i = 0; i < tr->generic->ntparams; i++)
        a[i] = ty_subst(tr->targs[i], args, n);
    return trait_instance(tr->generic, a);
}

/* The trait a path names in a bound, an impl header or a qualified path:
 * for a generic trait, its instance at the path's type arguments (E0107
 * when their number is wrong); NULL when there is no such trait. */
TraitDef *trait_ref(PathSeg *seg, Span span)
{
    TraitDef *t = find_trait(seg->name);
    if (!t || !t->ntparams)
        return t;
    if (seg->generic_args.len != t->ntparams) {
        Diag *d = diag_error("E0107", span, "missing generics for trait `%s`", t->name);
        diag_primary_label(d, "expected %d generic argument%s", t->ntparams, t->ntparams == 1 ? "" : "s");
        return NULL;
    }
    Type *a[t->ntparams + 1];
    for (int i = 0; i < t->ntparams; i++)
        a[i] = resolve_type(seg->generic_args.items[i]);
    return trait_instance(t, a);
}

/* When several instances of one generic trait give t a fn named `name`
 * (`impl TryMake<f64> for C` and `impl TryMake<&str> for C`): the trait's
 * declaration, to be called at Self = t with the arguments inferred; else NULL. */
FnDef *generic_trait_decl(Type *t, const char *name)
{
    TraitDef *g = NULL;
    int n = 0;
    for (int i = 0; i < prog->impls.len; i++) {
        ImplDef *o = prog->impls.items[i];
        if (!o->trait->generic || (g && o->trait->generic != g) || !impl_matches(o, t, NULL))
            continue;
        for (int k = 0; k < o->methods.len; k++)
            if (!strcmp(((FnDef *)o->methods.items[k])->name, name))
                g = o->trait->generic, n++;
    }
    return n > 1 ? trait_method(g, name) : NULL;
}

/* How many impls of generic trait g for self have arguments that could be
 * `want`; *only: the arguments of the last of them. */
static int impls_fitting(TraitDef *g, Type *self, Type **want, Type ***only)
{
    int n = 0;
    for (int i = 0; i < prog->impls.len; i++) {
        ImplDef *o = prog->impls.items[i];
        Type **ia = NULL;
        if (o->trait->generic != g || !impl_matches(o, self, &ia))
            continue;
        Type **ta = arena_alloc(g_arena, sizeof(Type *) * (size_t)(g->ntparams + 1));
        bool ok = true;
        for (int k = 0; ok && k < g->ntparams; k++) {
            ta[k] = o->nparams ? ty_subst(o->trait->targs[k], ia, o->nparams) : o->trait->targs[k];
            ok = could_unify(ta[k], want[k]);
        }
        if (ok)
            *only = ta, n++;
    }
    return n;
}

/* A call of generic trait g's method (Inst in: Self, then g's arguments)
 * whose arguments are not all known: when one instance only can apply to
 * Self (one impl, or one bound of a type parameter), its arguments are
 * the call's (`C::try_make(-4.0)` with impls at f64 and &str: f64). */
void select_generic_instance(Inst *in)
{
    FnDef *f = in->fn;
    if (!f->is_default || !f->trait || !f->trait->ntparams || !in->n)
        return;
    TraitDef *g = f->trait;
    Type *self = ty_resolve(in->args[0]);
    bool known = true;
    for (int i = 0; i < g->ntparams; i++)
        known &= !ty_has_vars(in->args[1 + i]);
    if (self->kind == TY_VAR || known)
        return;
    Type **only = NULL;
    int n = 0;
    if (self->kind == TY_PARAM) {
        List *bl = cur_fn && self->param_index < cur_fn->ntparams ? &cur_fn->tparam_bounds[self->param_index] : NULL;
        for (int i = 0; bl && i < bl->len; i++) {
            TraitDef *b = bl->items[i];
            bool ok = b->generic == g;
            for (int k = 0; ok && k < g->ntparams; k++)
                ok = could_unify(b->targs[k], in->args[1 + k]);
            if (ok)
                only = b->targs, n++;
        }
    } else {
        n = impls_fitting(g, self, in->args + 1, &only);
    }
    for (int k = 0; n == 1 && k < g->ntparams; k++)
        unify(in->args[1 + k], only[k]);
}

/* A call of a generic trait's method whose trait arguments nothing fixed. */
bool generic_trait_unknown(Inst *in)
{
    FnDef *f = in->fn;
    if (!f->is_default || !f->trait || !f->trait->ntparams || in->n <= f->trait->ntparams)
        return false;
    for (int i = 0; i < f->trait->ntparams; i++) {
        Type *a = ty_resolve(in->args[1 + i]);
        if (a->kind == TY_VAR && a->var_kind == VAR_ANY)
            return true;
    }
    return false;
}

/* Is tr the generic trait g or one of its instances? */
bool trait_is(TraitDef *tr, TraitDef *g)
{
    return tr == g || (tr && tr->generic && tr->generic == g);
}

FnDef *trait_method(TraitDef *t, const char *name)
{
    if (t->generic) /* an instance: the generic trait's methods (its lists may have grown since) */
        t = t->generic;
    for (int i = 0; i < t->methods.len; i++) {
        FnDef *f = t->methods.items[i];
        if (!strcmp(f->name, name))
            return f;
    }
    for (int i = 0; i < t->supers.len; i++) {
        FnDef *f = trait_method(t->supers.items[i], name);
        if (f)
            return f;
    }
    return NULL;
}

void collect_trait(Item *it)
{
    TraitDef *t = NEW(TraitDef);
    t->name = it->name;
    t->item = it;
    t->span = it->name_span;
    if (it->generics && it->generics->params.len) {
        int np = it->generics->params.len;
        t->tparam_names = arena_alloc(g_arena, sizeof(char *) * (size_t)(np + 1));
        for (int i = 0; i < np; i++) {
            GenericParam *gp = it->generics->params.items[i];
            if (gp->kind == GP_TYPE)
                t->tparam_names[t->ntparams++] = gp->name;
            else if (gp->kind != GP_LIFETIME) {
                unsupported(gp->span, "a const parameter of a trait");
                break;
            }
        }
    }
    Def *d = new_def(DEF_TRAIT, it->name, it->name_span);
    d->trait = t;
    it->def = d;
    add_global(it->name, d, true, it->name_span);
    list_push(&prog->traits, t);
}

/* Signatures of a trait's methods: Self is TY_PARAM 0. */
void resolve_trait(TraitDef *t)
{
    Item *it = t->item;
    for (int i = 0; i < it->supertraits.len; i++) {
        Bound *b = it->supertraits.items[i];
        if (b->kind != BOUND_TRAIT)
            continue;
        if (!strcmp(last_seg(b->path)->name, "Sized"))
            continue; /* every trait mrsc knows is about sized types */
        TraitDef *st = trait_ref(last_seg(b->path), b->span);
        if (!st && find_trait(last_seg(b->path)->name))
            continue; /* (E0107) */
        if (!st) {
            Diag *dg = diag_error("E0405", b->span, "cannot find trait `%s` in this scope", last_seg(b->path)->name);
            diag_primary_label(dg, "not found in this scope");
            continue;
        }
        list_push(&t->supers, st);
    }
    Type *self = ty_param(0, "Self");
    for (int i = 0; i < it->items.len; i++) {
        Item *m = it->items.items[i];
        if (m->kind == IT_TYPE)
            list_push(&t->assoc_types, m->name);
    }
    for (int i = 0; i < it->items.len; i++) {
        Item *m = it->items.items[i];
        tyenv = (TyEnv){.self_ty = self, .trait = t};
        if (m->kind == IT_FN) {
            FnDef *f = new_fn(m, NULL);
            /* Self, then the trait's own type parameters */
            List *selfb = arena_alloc(g_arena, sizeof(List) * (size_t)(1 + t->ntparams));
            if (t->ntparams) { /* Self: Convert<T>, T the trait's own parameter */
                Type *ta[t->ntparams + 1];
                for (int k = 0; k < t->ntparams; k++)
                    ta[k] = ty_param(1 + k, t->tparam_names[k]);
                list_push(selfb, trait_instance(t, ta));
            } else {
                list_push(selfb, t);
            }
            char **selfn = arena_alloc(g_arena, sizeof(char *) * (size_t)(1 + t->ntparams));
            selfn[0] = "Self";
            for (int k = 0; k < t->ntparams; k++)
                selfn[1 + k] = t->tparam_names[k];
            set_generics(f, selfn, selfb, 1 + t->ntparams);
            f->trait = t;
            f->is_default = true;
            f->cname = xprintf("%s_%s", t->name, m->name);
            resolve_sig(f);
            list_push(&t->methods, f);
        } else if (m->kind == IT_TYPE) {
            /* collected before the methods */
        } else if (m->kind == IT_CONST) {
            Def *d = new_def(DEF_CONST, m->name, m->name_span);
            d->item = m;
            d->type = resolve_type(m->type);
            list_push(&t->consts, d);
        } else {
            unsupported(m->span, "this item in a trait");
        }
    }
    tyenv = (TyEnv){0};
    for (int i = 0; i < t->instances.len; i++) { /* instances made before: the full lists */
        TraitDef *in = t->instances.items[i];
        in->methods = t->methods;
        in->supers = t->supers;
        in->assoc_types = t->assoc_types;
        in->consts = t->consts;
    }
}

static bool has_method_named(Type *self, const char *name, FnDef *except);

/* The type parameters of an impl (`impl<T: A, U> .. where T: B`): names and bounds. */
int impl_generics(Item *it, char ***names_out, List **bounds_out)
{
    *names_out = NULL;
    *bounds_out = NULL;
    if (!it->generics || !it->generics->params.len)
        return 0;
    int np = it->generics->params.len, n = 0;
    char **names = arena_alloc(g_arena, sizeof(char *) * (size_t)np);
    List *bounds = arena_alloc(g_arena, sizeof(List) * (size_t)np);
    memset(bounds, 0, sizeof(List) * (size_t)np);
    for (int i = 0; i < np; i++) { /* the names first: a bound may name the others */
        GenericParam *gp = it->generics->params.items[i];
        if (gp->kind == GP_TYPE)
            names[n++] = gp->name;
    }
    TyEnv saved = tyenv;
    tyenv.params = names;
    tyenv.nparams = n;
    tyenv.bounds = bounds; /* (`C: FnOnce(F::Output)` after `F: Future`) */
    for (int i = 0, k = 0; i < np; i++) {
        GenericParam *gp = it->generics->params.items[i];
        if (gp->kind == GP_TYPE)
            add_bounds(&bounds[k++], &gp->bounds);
    }
    for (int i = 0; i < it->generics->where_preds.len; i++) {
        WherePred *w = it->generics->where_preds.items[i];
        if (!w->type || w->type->kind != TE_PATH || w->type->path->segs.len != 1)
            continue;
        const char *nm = ((PathSeg *)w->type->path->segs.items[0])->name;
        for (int j = 0; j < n; j++)
            if (!strcmp(names[j], nm))
                add_bounds(&bounds[j], &w->bounds);
    }
    tyenv = saved;
    *names_out = names;
    *bounds_out = bounds;
    return n;
}

/* An impl's self type, resolved with the impl's own generic parameters in scope. */
Type *impl_self_type(Item *it, char ***names, List **bounds, int *nimpl)
{
    *nimpl = impl_generics(it, names, bounds);
    tyenv = (TyEnv){.params = *names, .nparams = *nimpl};
    Type *self = resolve_type(it->self_ty);
    tyenv = (TyEnv){0};
    return self;
}

/* A C identifier from a Rust type's spelling (`&str` in `impl Shout for &str`). */
static char *c_ident(char *s)
{
    for (char *c = s; *c; c++)
        if (!(isalnum((unsigned char)*c) || *c == '_'))
            *c = '_';
    return s;
}

/* E0119: an impl of tr that can apply to the same type as this one, and
 * E0117: an impl of a std trait for a type that is not the crate's. True
 * after reporting one. */
static bool impl_conflicts(Item *it, TraitDef *tr, Type *self, char **names, int nimpl)
{
    /* E0119: two impls of one trait that can apply to the same type */
    for (int i = 0; i < prog->impls.len; i++) {
        ImplDef *o = prog->impls.items[i];
        if (o->trait != tr)
            continue;
        bool overlap = o->self_ty == self || (o->nparams && ty_resolve(o->self_ty)->kind == TY_PARAM) ||
                       (nimpl && ty_resolve(self)->kind == TY_PARAM);
        PathSeg *ts = last_seg(it->trait_path);
        if (overlap && !tr->generic && (o->trait_arg || ts->generic_args.len)) {
            /* From<A> and From<B> for one type do not overlap */
            tyenv = (TyEnv){.params = names, .nparams = nimpl, .self_ty = self};
            Type *arg = ts->generic_args.len ? resolve_type(ts->generic_args.items[0]) : self;
            tyenv = (TyEnv){0};
            overlap = (o->trait_arg ? o->trait_arg : o->self_ty) == arg;
        }
        if (overlap) {
            Diag *d = diag_error("E0119", it->span, "conflicting implementations of trait `%s` for type `%s`", tr->name,
                                 ty_str(self));
            diag_label(d, o->item->span, "first implementation here");
            return true;
        }
    }
    if (tr->builtin && !nimpl) {
        Type *local = self;
        while (local->kind == TY_REF)
            local = ty_resolve(local->args[0]);
        /* `impl Mul<Vec2> for f64`: a local type as the trait's argument makes it the crate's */
        PathSeg *ts = last_seg(it->trait_path);
        bool local_arg = false;
        for (int i = 0; i < ts->generic_args.len && !local_arg; i++) {
            tyenv = (TyEnv){.self_ty = self};
            Type *a = ty_resolve(resolve_type(ts->generic_args.items[i]));
            tyenv = (TyEnv){0};
            while (a->kind == TY_REF)
                a = ty_resolve(a->args[0]);
            local_arg = a->kind == TY_ADT && !a->adt->builtin;
        }
        if (!(local->kind == TY_ADT && !local->adt->builtin) && local->kind != TY_DYN && !local_arg) {
            Diag *d = diag_error("E0117", it->span,
                                 "only traits defined in the current crate can be implemented for types defined outside of the crate");
            diag_label(d, it->self_ty->span, "`%s` is not defined in the current crate", ty_str(self));
            diag_note(d, "impl doesn't have any local type before any uncovered type parameters");
            return true;
        }
    }
    return false;
}

/* The impl's methods (E0407, E0053) and consts. */
static void collect_impl_items(Item *it, ImplDef *im, char **names, List *bounds, int nimpl, const char *tyname)
{
    TraitDef *tr = im->trait;
    Type *self = im->self_ty;
    for (int i = 0; i < it->items.len; i++) {
        Item *m = it->items.items[i];
        tyenv = (TyEnv){.self_adt = self->kind == TY_ADT ? self->adt : NULL, .self_ty = self, .impl = im};
        if (m->kind == IT_FN) {
            if (!tr->builtin && !trait_method(tr, m->name)) {
                Diag *d = diag_error("E0407", m->name_span, "method `%s` is not a member of trait `%s`", m->name, tr->name);
                diag_primary_label(d, "not a member of trait `%s`", tr->name);
                continue;
            }
            FnDef *f = new_fn(m, self->kind == TY_ADT ? self->adt : NULL);
            set_generics(f, names, bounds, nimpl);
            note_impl_op_outputs(f, it);
            f->trait = tr;
            f->impl = im;
            f->impl_self = self;
            f->track_caller |= tr->builtin && (!strcmp(tr->name, "Index") || !strcmp(tr->name, "IndexMut"));
            bool clash = has_method_named(self, m->name, NULL);
            f->cname = c_ident(clash ? xprintf("%s_%s_%s", tyname, tr->name, m->name)
                                     : xprintf("%s_%s", tyname, m->name));
            resolve_sig(f);
            list_push(&im->methods, f);
            if (m->body)
                list_push(&prog->fns, f);
            else
                diag_error(NULL, m->span, "associated function in `impl` without body");
            FnDef *decl = tr->builtin ? NULL : trait_method(tr, m->name);
            if (decl && decl->nparams == f->nparams && decl->ntparams == 1 && f->ntparams == 0) {
                Type *sa[1] = {self};
                for (int k = 0; k < f->nparams; k++) {
                    Type *want = ty_subst(decl->params[k], sa, 1);
                    if (want != f->params[k] && !has_error(f->params[k]) && !has_error(want)) {
                        Diag *d = diag_error("E0053", m->name_span, "method `%s` has an incompatible type for trait", m->name);
                        diag_primary_label(d, "expected `%s`, found `%s`", ty_str(want), ty_str(f->params[k]));
                        break;
                    }
                }
            }
        } else if (m->kind == IT_TYPE) {
            /* collected above */
        } else if (m->kind == IT_CONST) {
            Def *d = new_def(DEF_CONST, m->name, m->name_span);
            d->item = m;
            d->type = resolve_type(m->type);
            d->owner = self->kind == TY_ADT ? self->adt : NULL;
            d->cname = c_ident(xprintf("%s_%s", tyname, m->name));
            list_push(&im->consts, d);
            list_push(&prog->consts, d);
        } else {
            unsupported(m->span, "this item in a trait impl");
        }
    }
    tyenv = (TyEnv){0};
}

/* The trait's consts this impl leaves to their defaults (E0046 for those
 * without one), and the methods it must provide (E0046). */
static void check_impl_complete(Item *it, ImplDef *im, const char *tyname)
{
    TraitDef *tr = im->trait;
    Type *self = im->self_ty;
    for (int i = 0; i < tr->consts.len; i++) {
        Def *tc = tr->consts.items[i];
        bool given = false;
        for (int k = 0; k < im->consts.len; k++)
            given |= !strcmp(((Def *)im->consts.items[k])->name, tc->name);
        if (given)
            continue;
        if (!tc->item->init) {
            Diag *d = diag_error("E0046", it->span, "not all trait items implemented, missing: `%s`", tc->name);
            diag_primary_label(d, "missing `%s` in implementation", tc->name);
            continue;
        }
        Def *d = new_def(DEF_CONST, tc->name, tc->span);
        d->item = tc->item;
        d->type = tc->type;
        d->owner = self->kind == TY_ADT ? self->adt : NULL;
        d->cname = c_ident(xprintf("%s_%s", tyname, tc->name));
        list_push(&im->consts, d);
        list_push(&prog->consts, d);
    }
    /* required methods */
    if (!tr->builtin) {
        StrBuf miss;
        sb_init(&miss);
        int n = 0;
        for (int i = 0; i < tr->methods.len; i++) {
            FnDef *tm = tr->methods.items[i];
            if (tm->item->body)
                continue;
            bool found = false;
            for (int k = 0; k < im->methods.len; k++)
                found |= !strcmp(((FnDef *)im->methods.items[k])->name, tm->name);
            if (!found) {
                if (n++)
                    sb_puts(&miss, ", ");
                sb_printf(&miss, "`%s`", tm->name);
            }
        }
        if (n) {
            Diag *d = diag_error("E0046", it->span, "not all trait items implemented, missing: %s", miss.data);
            diag_primary_label(d, "missing %s in implementation", miss.data);
        }
        sb_free(&miss);
    }
}

/* An impl of Drop gives the type its destructor (E0184 with Copy); an impl
 * of a std trait codegen knows as a derive marks the type as deriving it. */
static void note_std_impl(Item *it, ImplDef *im, int nimpl)
{
    TraitDef *tr = im->trait;
    Type *self = im->self_ty;
    if (!strcmp(tr->name, "Drop") && self->kind == TY_ADT && self->adt->pin_project) {
        /* the crate forbids it: its own impl of a marker trait for every `T: Drop` conflicts */
        AdtDef *a = self->adt;
        StrBuf sb;
        sb_init(&sb);
        sb_puts(&sb, a->name);
        for (int i = 0; i < a->nparams; i++)
            sb_puts(&sb, i ? ", _" : "<_");
        if (a->nparams)
            sb_putc(&sb, '>');
        Diag *d = diag_error("E0119", a->pin_attr, "conflicting implementations of trait `%sMustNotImplDrop` for type `%s`",
                             a->name, sb.data);
        diag_primary_label(d, "first implementation here");
        diag_primary_label(d, "conflicting implementation for `%s`", sb.data);
        diag_note(d, "this error originates in the derive macro `::pin_project::__private::__PinProjectInternalDerive` (in Nightly builds, run with -Z macro-backtrace for more info)");
        sb_free(&sb);
        return;
    }
    if (!strcmp(tr->name, "PinnedDrop") && self->kind == TY_ADT && !self->adt->pinned_drop) {
        diag_error(NULL, it->span, "`#[pinned_drop]` on `%s`, which is not `#[pin_project(PinnedDrop)]`", ty_str(self));
        return;
    }
    if (!strcmp(tr->name, "Drop") || !strcmp(tr->name, "PinnedDrop")) {
        /* a generic type's Drop impl covers every instance: `impl<T> Drop for Holder<T>` */
        bool generic_ok = true;
        if (self->kind == TY_ADT && nimpl) {
            generic_ok = self->nargs == nimpl;
            for (int k = 0; k < self->nargs && generic_ok; k++)
                generic_ok = self->args[k]->kind == TY_PARAM && self->args[k]->param_index == k;
        }
        if (self->kind != TY_ADT || self->adt->builtin || !generic_ok) {
            diag_error(NULL, it->span, "`impl Drop` for `%s` is not supported by mrsc yet", ty_str(self));
        } else {
            for (int k = 0; k < im->methods.len; k++)
                if (!strcmp(((FnDef *)im->methods.items[k])->name, "drop"))
                    self->adt->drop_impl = im->methods.items[k];
            if (self->adt->derives & DERIVE_COPY) {
                Diag *d = diag_error("E0184", it->span, "the trait `Copy` cannot be implemented for this type; the type has a destructor");
                (void)d;
            }
        }
    }
    /* manual impls of the std traits codegen already knows as derives */
    if (self->kind == TY_ADT) {
        static const struct { const char *t; unsigned bit; } marks[] = {
            {"PartialEq", DERIVE_PARTIAL_EQ}, {"Eq", DERIVE_EQ}, {"PartialOrd", DERIVE_PARTIAL_ORD},
            {"Ord", DERIVE_ORD}, {"Clone", DERIVE_CLONE}, {"Copy", DERIVE_COPY}, {"Default", DERIVE_DEFAULT},
            {"Debug", DERIVE_DEBUG}};
        for (size_t k = 0; k < sizeof marks / sizeof marks[0]; k++)
            if (!strcmp(tr->name, marks[k].t))
                self->adt->derives |= marks[k].bit;
        if (!strcmp(tr->name, "Copy")) { /* a written impl: only its own bounds make T matter */
            bool any = true;
            for (int k = 0; k < nimpl; k++)
                any &= im->param_bounds[k].len == 0;
            self->adt->copy_any_args = any;
        }
    }
}

/* `impl Future for T`: its `type Output` and its `poll`, whose return type must be
 * Poll<Self::Output> (E0046, E0053), as std's declaration says. */
static void check_future_impl(Item *it, ImplDef *im)
{
    Type *out = NULL;
    for (int i = 0; i < im->assoc_names.len; i++)
        if (!strcmp(im->assoc_names.items[i], "Output"))
            out = im->assoc_types.items[i];
    FnDef *poll = NULL;
    for (int i = 0; i < im->methods.len; i++)
        if (!strcmp(((FnDef *)im->methods.items[i])->name, "poll"))
            poll = im->methods.items[i];
    if (!out || !poll) {
        const char *miss = !out && !poll ? "`Output`, `poll`" : !out ? "`Output`" : "`poll`";
        Diag *d = diag_error("E0046", it->span, "not all trait items implemented, missing: %s", miss);
        diag_primary_label(d, "missing %s in implementation", miss);
        return;
    }
    /* the receiver: `self: Pin<&mut Self>` */
    Type *st = poll->nparams ? ty_resolve(poll->params[0]) : NULL;
    Type *sp = st && ty_is_std(st, STD_PIN) ? ty_resolve(st->args[0]) : NULL;
    if (poll->self_kind != SELF_PIN || !sp || !sp->is_mut) {
        FnSig *sig = poll->item->sig;
        Diag *d = diag_error("E0053", sig->self_type ? sig->self_type->span : sig->self_span,
                             "method `poll` has an incompatible type for trait");
        diag_primary_label(d, sp && !sp->is_mut ? "types differ in mutability" : "expected `Pin<&mut %s>`, found `%s`",
                           ty_str(im->self_ty), st ? ty_str(st) : "()");
        return;
    }
    Type *want = ty_adt(prog->poll, &out, 1), *got = ty_resolve(poll->ret);
    if (has_error(got) || has_error(out) || ty_resolve_deep(got) == ty_resolve_deep(want))
        return;
    Type *w = want, *g = got;
    if (g->kind == TY_ADT && g->adt == prog->poll) /* the part that differs */
        w = out, g = ty_resolve(g->args[0]);
    FnSig *sig = poll->item->sig;
    Diag *d = diag_error("E0053", sig->ret ? sig->ret->span : poll->item->name_span,
                         "method `poll` has an incompatible type for trait");
    diag_primary_label(d, "expected `%s`, found `%s`", ty_str(w), ty_str(g));
}

void collect_trait_impl(Item *it)
{
    const char *tname = last_seg(it->trait_path)->name;
    TraitDef *tr = find_trait(tname);
    for (int i = 0; !tr && !strcmp(tname, "PinnedDrop") && i < it->attrs.len; i++)
        if (!strcmp(((Attr *)it->attrs.items[i])->name, "pinned_drop")) /* the crate's attribute names it */
            tr = lookup_global("pin_project::PinnedDrop", true)->trait;
    static const char *std_unsupported[] = {"FromStr", "Hash", "Deref", "DerefMut", "AsRef", "AsMut", "Into",
                                            "IntoIterator", "Sum", "Product", "Extend", "FromIterator", "Borrow",
                                            "DoubleEndedIterator", "ExactSizeIterator", "Error", "Hasher", NULL};
    for (int k = 0; !tr && std_unsupported[k]; k++)
        if (!strcmp(tname, std_unsupported[k])) { /* std's, not mrsc's (an unknown name is E0405) */
            diag_error(NULL, it->trait_path->span, "`impl %s` is not supported by mrsc yet", tname);
            return;
        }
    if (!tr) {
        Diag *d = diag_error("E0405", it->trait_path->span, "cannot find trait `%s` in this scope", tname);
        diag_primary_label(d, "not found in this scope");
        return;
    }
    char **names;
    List *bounds;
    int nimpl;
    Type *self = impl_self_type(it, &names, &bounds, &nimpl);
    if (self->kind == TY_ERROR)
        return;
    if (tr->ntparams) { /* `impl Convert<u32> for Rgb`: an impl of that instance */
        tyenv = (TyEnv){.params = names, .nparams = nimpl, .self_ty = self};
        tr = trait_ref(last_seg(it->trait_path), it->trait_path->span);
        tyenv = (TyEnv){0};
        if (!tr)
            return;
    }
    if (impl_conflicts(it, tr, self, names, nimpl))
        return;
    ImplDef *im = NEW(ImplDef);
    im->trait = tr;
    im->self_ty = self;
    im->item = it;
    {
        PathSeg *ts = last_seg(it->trait_path);
        if (ts->generic_args.len) {
            tyenv = (TyEnv){.params = names, .nparams = nimpl, .self_ty = self};
            im->trait_arg = resolve_type(ts->generic_args.items[0]);
            tyenv = (TyEnv){0};
        }
    }
    im->nparams = nimpl;
    im->param_names = names;
    im->param_bounds = bounds;
    list_push(&prog->impls, im);
    const char *tyname = self->kind == TY_ADT ? self->adt->name : ty_str(self);
    for (int i = 0; i < it->items.len; i++) {
        Item *m = it->items.items[i];
        if (m->kind == IT_TYPE) { /* (`type Output = F::Output;`: F's bounds name it) */
            tyenv = (TyEnv){.params = names, .nparams = nimpl, .self_ty = self, .bounds = bounds};
            list_push(&im->assoc_names, m->name);
            list_push(&im->assoc_types, m->type ? resolve_type(m->type) : ty_error());
            tyenv = (TyEnv){0};
        }
    }
    collect_impl_items(it, im, names, bounds, nimpl, tyname);
    check_impl_complete(it, im, tyname);
    if (tr == prog->future)
        check_future_impl(it, im);
    note_std_impl(it, im, nimpl);
}

/* E0038: a trait usable as `dyn` has only methods with a self receiver,
 * no type parameters of their own, and no `Self` in their return type. */
void check_object_safe(TraitDef *t, Span span)
{
    for (int i = 0; i < t->methods.len; i++) {
        FnDef *f = t->methods.items[i];
        const char *why = NULL;
        if (f->self_kind == SELF_NONE)
            why = xprintf("associated function `%s` has no `self` parameter", f->name);
        else if (f->ntparams > 1)
            why = xprintf("method `%s` has generic type parameters", f->name);
        else if (f->ret && ty_resolve(f->ret)->kind == TY_PARAM && ty_resolve(f->ret)->param_index == 0)
            why = xprintf("method `%s` references the `Self` type in its return type", f->name);
        if (why) {
            Diag *d = diag_error("E0038", span, "the trait `%s` is not dyn compatible", t->name);
            diag_note(d, "%s", why);
            return;
        }
    }
    for (int i = 0; i < t->supers.len; i++)
        check_object_safe(t->supers.items[i], span);
}

/* ---- which impl applies ------------------------------------------------------- */

static Type *raw_resolve(Type *t)
{
    while (t->kind == TY_VAR && t->link)
        t = t->link;
    return t;
}

/* <T as Trait>::X once T is known: the impl's type for X. */
Type *normalize(Type *t)
{
    t = raw_resolve(t);
    if (t->kind != TY_PROJ)
        return t;
    Type *base = raw_resolve(t->args[0]);
    if (base->kind == TY_PARAM && !strcmp(t->trait->assoc_types.items[t->len], "Output")) {
        Type *o = op_output(base, t->trait->name); /* `F: Future<Output = i32>`: F::Output is i32 */
        return o ? o : t;
    }
    if (base->kind == TY_PARAM || base->kind == TY_VAR)
        return t;
    if (t->trait == prog->future && std_future_output(base)) /* Ready<T>::Output, Join<A, B>::Output */
        return std_future_output(base);
    TraitDef *tr = t->trait;
    if (tr->ntparams) { /* a generic trait's: at its arguments, once they are known */
        Type *ta[tr->ntparams + 1];
        for (int i = 0; i < tr->ntparams; i++) {
            ta[i] = ty_resolve_deep(t->args[1 + i]);
            if (ty_has_vars(ta[i]) || ty_has_params(ta[i]))
                return t;
        }
        tr = trait_instance(tr, ta);
    }
    Type **args = NULL;
    ImplDef *im = find_impl_args(tr, base, &args);
    if (!im)
        return t;
    const char *name = t->trait->assoc_types.items[t->len];
    for (int i = 0; i < im->assoc_names.len; i++)
        if (!strcmp(im->assoc_names.items[i], name)) {
            Type *r = im->assoc_types.items[i];
            return im->nparams ? ty_subst(r, args, im->nparams) : r;
        }
    return t;
}

/* Does the pattern type (with the impl's parameters) match t? Binds args. */
static bool match_pat(Type *pat, Type *t, Type **args, int n)
{
    pat = ty_resolve(pat);
    t = ty_resolve(t);
    if (pat->kind == TY_PARAM && pat->param_index < n) {
        if (!args[pat->param_index]) {
            args[pat->param_index] = t;
            return true;
        }
        return args[pat->param_index] == t;
    }
    if (pat == t)
        return true;
    if (pat->kind != t->kind || pat->nargs != t->nargs || pat->adt != t->adt || pat->trait != t->trait ||
        pat->len != t->len || pat->is_mut != t->is_mut)
        return false;
    for (int i = 0; i < pat->nargs; i++)
        if (!match_pat(pat->args[i], t->args[i], args, n))
            return false;
    return true;
}

static int impl_depth;

/* Does impl im apply to t? Its type arguments go to *out (arena). */
bool impl_matches(ImplDef *im, Type *t, Type ***out)
{
    if (!im->nparams) {
        if (out)
            *out = NULL;
        return im->self_ty == t;
    }
    if (impl_depth > 8)
        return false;
    Type **args = arena_alloc(g_arena, sizeof(Type *) * (size_t)(im->nparams + 1));
    if (!match_pat(im->self_ty, t, args, im->nparams))
        return false;
    /* a parameter named only by a closure bound's return type (`C: FnOnce(F::Output) -> T`,
     * `F: FnMut() -> Poll<T>`): the closure's */
    for (int i = 0; i < im->nparams; i++) {
        Type *a = args[i] ? ty_resolve(args[i]) : NULL;
        for (int k = 0; a && a->kind == TY_CLOSURE && k < im->param_bounds[i].len; k++) {
            TraitDef *b = im->param_bounds[i].items[k];
            Type *r = b->fn_kind ? ty_resolve(b->fn_ret) : NULL;
            if (r) /* (`-> T`, or `-> Poll<T>`: the parameters the closure's return fills) */
                (void)match_pat(r, ty_resolve(a->nargs ? ty_subst(a->clo->ret, a->args, a->nargs) : a->clo->ret), args,
                                im->nparams);
        }
    }
    impl_depth++;
    bool ok = true;
    for (int i = 0; i < im->nparams && ok; i++) {
        if (!args[i]) {
            ok = false;
            break;
        }
        for (int k = 0; k < im->param_bounds[i].len && ok; k++) {
            TraitDef *b = im->param_bounds[i].items[k];
            if (b->fn_kind) { /* the bound at these arguments: `FnOnce(Later::Output) -> u32` */
                Type *ps[b->fn_nparams + 1];
                for (int j = 0; j < b->fn_nparams; j++)
                    ps[j] = ty_resolve(ty_subst(b->fn_params[j], args, im->nparams));
                b = fn_trait(b->fn_kind, ps, b->fn_nparams, ty_resolve(ty_subst(b->fn_ret, args, im->nparams)));
            }
            ok = satisfies(args[i], b);
        }
    }
    impl_depth--;
    if (ok && out)
        *out = args;
    return ok;
}

/* The impl of trait tr for type t, or NULL. */
ImplDef *find_impl_args(TraitDef *tr, Type *t, Type ***args)
{
    t = ty_resolve(t);
    for (int i = 0; i < prog->impls.len; i++) {
        ImplDef *im = prog->impls.items[i];
        if (im->trait == tr && impl_matches(im, t, args))
            return im;
    }
    return NULL;
}

ImplDef *find_impl(TraitDef *tr, Type *t) { return find_impl_args(tr, t, NULL); }

static bool tuple_all(Type *t, TraitDef *tr)
{
    for (int i = 0; i < t->nargs; i++)
        if (!type_implements(ty_resolve(t->args[i]), tr))
            return false;
    return true;
}

bool type_implements(Type *t, TraitDef *tr)
{
    return satisfies(t, tr);
}

static Type **impl_args_found; /* the type arguments of the impl impl_method found */

/* A trait method implemented for t: the impl's own method, or NULL. */
FnDef *impl_method(Type *t, const char *name, ImplDef **out)
{
    t = ty_resolve(t);
    for (int pass = 0; pass < 2; pass++) /* concrete impls before generic ones */
        for (int i = 0; i < prog->impls.len; i++) {
            ImplDef *im = prog->impls.items[i];
            if ((im->nparams != 0) != pass)
                continue;
            Type **args = NULL;
            if (!impl_matches(im, t, &args))
                continue;
            for (int k = 0; k < im->methods.len; k++) {
                FnDef *f = im->methods.items[k];
                if (!strcmp(f->name, name)) {
                    if (out)
                        *out = im;
                    impl_args_found = args;
                    return f;
                }
            }
        }
    return NULL;
}

/* An Inst for calling impl method f found by impl_method (NULL when not generic). */
Inst *impl_inst(Ctx *c, FnDef *f, ImplDef *im, Span span)
{
    if (!f->ntparams)
        return NULL;
    Inst *in = new_inst(c, f, NULL, im ? im->nparams : 0, span);
    for (int i = 0; im && i < im->nparams && impl_args_found; i++)
        unify(in->args[i], impl_args_found[i]);
    return in;
}

/* The method of `impl Trait<Rhs> for Lhs` (Rhs defaults to Lhs) for an
 * operator or a conversion, or NULL. */
FnDef *op_impl(const char *trait, Type *lhs, Type *rhs)
{
    TraitDef *tr = find_trait(trait);
    lhs = ty_resolve(lhs);
    for (int i = 0; tr && i < prog->impls.len; i++) {
        ImplDef *im = prog->impls.items[i];
        if (im->trait != tr || im->nparams || !could_unify(im->self_ty, lhs))
            continue;
        Type *want = im->trait_arg ? im->trait_arg : im->self_ty;
        if (rhs && !could_unify(want, rhs))
            continue;
        unify(im->self_ty, lhs);
        if (rhs)
            unify(want, rhs);
        return im->methods.len ? im->methods.items[0] : NULL;
    }
    return NULL;
}

/* op_impl where generic impls count too: the method's type is its instance's (ret). */
FnDef *op_impl_ret(const char *trait, Type *lhs, Type *rhs, Type **ret)
{
    Type **args = NULL;
    int n = 0;
    FnDef *f = op_impl_args(trait, lhs, rhs, &args, &n);
    if (f && ret)
        *ret = n ? ty_subst(f->ret, args, n) : f->ret;
    return f;
}

/* The name codegen calls an impl method by for self type t: its own, or for a generic
 * impl (`impl<U> Add for Length<U>`) its instance's. */
Type **impl_method_args(FnDef *f, Type *t, int *n)
{
    Type **args = NULL;
    *n = 0;
    if (!f->impl || !f->impl->nparams || !impl_matches(f->impl, ty_resolve(t), &args))
        return NULL;
    *n = f->impl->nparams;
    return args;
}

/* op_impl, generic impls too (`impl<T> Index<usize> for Stack<T>`): *args, *nargs are the
 * impl's type arguments for lhs (the method's instance). */
FnDef *op_impl_args(const char *trait, Type *lhs, Type *rhs, Type ***args, int *nargs)
{
    *args = NULL;
    *nargs = 0;
    FnDef *f = op_impl(trait, lhs, rhs);
    if (f)
        return f;
    TraitDef *tr = find_trait(trait);
    lhs = ty_resolve(lhs);
    for (int i = 0; tr && i < prog->impls.len; i++) {
        ImplDef *im = prog->impls.items[i];
        Type **a = NULL;
        if (im->trait != tr || !im->nparams || !impl_matches(im, lhs, &a))
            continue;
        Type *want = ty_subst(im->trait_arg ? im->trait_arg : im->self_ty, a, im->nparams);
        if (rhs && !could_unify(want, rhs))
            continue;
        if (rhs)
            unify(want, rhs);
        *args = a;
        *nargs = im->nparams;
        return im->methods.len ? im->methods.items[0] : NULL;
    }
    return NULL;
}

/* What `a op b` gives for a type parameter bound by `trait<Output = U>` (U), or NULL when
 * the fn has no such bound. */
Type *op_output(Type *param, const char *trait)
{
    param = ty_resolve(param);
    TraitDef *tr = find_trait(trait);
    if (param->kind != TY_PARAM || !cur_fn || !tr)
        return NULL;
    for (int i = 0; i < cur_fn->op_outputs.len; i++) {
        OpOutput *o = cur_fn->op_outputs.items[i];
        if (o->param == param->param_index && o->trait == tr && o->ty)
            return o->ty;
    }
    return NULL;
}

static bool has_method_named(Type *self, const char *name, FnDef *except)
{
    if (self->kind == TY_ADT)
        for (int i = 0; i < self->adt->methods.len; i++) {
            FnDef *f = self->adt->methods.items[i];
            if (f != except && !strcmp(f->name, name))
                return true;
        }
    return impl_method(self, name, NULL) != NULL;
}

/* `impl Deref for T` (or DerefMut, `mut`) on a program's type: the impl's method
 * (`deref`/`deref_mut`) with the impl's type arguments for t, and Target; NULL when t
 * has none. */
FnDef *user_deref(Type *t, bool mut, Type ***args, int *nargs, Type **target)
{
    t = ty_resolve(t);
    if (t->kind != TY_ADT || t->adt->builtin)
        return NULL;
    TraitDef *tr = find_trait("Deref");
    Type **a = NULL;
    ImplDef *im = tr ? find_impl_args(tr, t, &a) : NULL;
    if (!im)
        return NULL;
    Type *tg = NULL;
    for (int i = 0; i < im->assoc_names.len; i++)
        if (!strcmp(im->assoc_names.items[i], "Target"))
            tg = im->assoc_types.items[i];
    if (!tg)
        return NULL;
    if (target)
        *target = im->nparams ? ty_subst(tg, a, im->nparams) : tg;
    if (mut) {
        TraitDef *tm = find_trait("DerefMut");
        Type **b = NULL;
        im = tm ? find_impl_args(tm, t, &b) : NULL;
        if (!im)
            return NULL;
        a = b;
    }
    if (args)
        *args = a;
    if (nargs)
        *nargs = im->nparams;
    for (int k = 0; k < im->methods.len; k++) {
        FnDef *f = im->methods.items[k];
        if (!strcmp(f->name, mut ? "deref_mut" : "deref"))
            return f;
    }
    return NULL;
}

/* What a program's type derefs to (`impl Deref`), or NULL. */
Type *user_deref_target(Type *t)
{
    Type *tg = NULL;
    return user_deref(t, false, NULL, NULL, &tg) ? tg : NULL;
}

bool type_has_method(Type *t, const char *name)
{
    return has_method_named(ty_resolve(t), name, NULL);
}

/* The Item of a user type that implements Iterator, or NULL. */
Type *user_iter_item(Type *t)
{
    t = ty_resolve(t);
    if (t->kind == TY_PARAM) { /* `I: Iterator<Item = T>` */
        if (!cur_fn || t->param_index >= cur_fn->ntparams || !cur_fn->tparam_bounds)
            return NULL;
        List *b = &cur_fn->tparam_bounds[t->param_index];
        for (int i = 0; i < b->len; i++)
            if (((TraitDef *)b->items[i])->iter_item)
                return ((TraitDef *)b->items[i])->iter_item;
        return NULL;
    }
    TraitDef *it = find_trait("Iterator");
    ImplDef *im = it ? find_impl(it, t) : NULL;
    if (!im)
        return NULL;
    for (int i = 0; i < im->assoc_names.len; i++)
        if (!strcmp(im->assoc_names.items[i], "Item"))
            return im->assoc_types.items[i];
    return NULL;
}

/* ---- bounds ------------------------------------------------------------------- */

/* The Item of an iterator type (a std one, a range, a user's, a parameter bounded by
 * `Iterator<Item = T>`), or NULL. */
static Type *iterator_item(Type *t)
{
    t = ty_resolve(t);
    if (t->kind == TY_ITER || t->kind == TY_RANGE)
        return t->args[0];
    return user_iter_item(t);
}

static bool trait_has_super(TraitDef *t, TraitDef *want)
{
    if (t == want)
        return true;
    if (t->builtin && want->builtin) { /* std's: Ord: Eq + PartialOrd, Eq and PartialOrd: PartialEq, Copy: Clone */
        const char *a = t->name, *b = want->name;
        if ((!strcmp(a, "Ord") && (!strcmp(b, "Eq") || !strcmp(b, "PartialOrd") || !strcmp(b, "PartialEq"))) ||
            ((!strcmp(a, "Eq") || !strcmp(a, "PartialOrd")) && !strcmp(b, "PartialEq")) ||
            (!strcmp(a, "Copy") && !strcmp(b, "Clone")))
            return true;
    }
    for (int i = 0; i < t->supers.len; i++)
        if (trait_has_super(t->supers.items[i], want))
            return true;
    return false;
}

/* Does type t implement trait tr? Type parameters answer from their bounds. */
bool satisfies(Type *t, TraitDef *tr)
{
    t = ty_resolve(t);
    if (t->kind == TY_ERROR || t->kind == TY_VAR)
        return true;
    if (tr->fn_kind)
        return fn_satisfies(t, tr);
    if (tr->future_out && !(t->kind == TY_DYN && t->trait == tr)) /* a Future of that Output */
        return satisfies(t, prog->future) && unify(ty_proj(t, prog->future, 0), tr->future_out);
    if (tr->iter_item) { /* an Iterator of that Item */
        Type *item = iterator_item(t);
        return item && unify(item, tr->iter_item);
    }
    if (t->kind == TY_DYN)
        return trait_has_super(t->trait, tr);
    if (t->kind == TY_PARAM) {
        if (!cur_fn || t->param_index >= cur_fn->ntparams)
            return false;
        List *b = &cur_fn->tparam_bounds[t->param_index];
        for (int i = 0; i < b->len; i++)
            if (trait_has_super(b->items[i], tr) || (tr->ntparams && trait_is(b->items[i], tr)))
                return true;
        return false;
    }
    if (find_impl(tr, t))
        return true;
    for (int i = 0; tr->ntparams && i < prog->impls.len; i++) /* a generic trait: at some arguments */
        if (trait_is(((ImplDef *)prog->impls.items[i])->trait, tr) && impl_matches(prog->impls.items[i], t, NULL))
            return true;
    if (tr->generic) { /* an instance with arguments still to infer: the one impl that fits fixes them */
        TraitDef *g = tr->generic;
        Type **only = NULL;
        int n = impls_fitting(g, t, tr->targs, &only);
        for (int k = 0; n == 1 && k < g->ntparams; k++)
            unify(tr->targs[k], only[k]);
        if (n == 1)
            return true;
    }
    if (!tr->builtin)
        return false;
    const char *n = tr->name;
    if (!strcmp(n, "Unpin"))
        return ty_is_unpin(t, NULL);
    if (tr == prog->future)
        return std_future_output(t) != NULL;
    if (!strcmp(n, "Iterator"))
        return t->kind == TY_ITER || t->kind == TY_RANGE;
    if (tr == prog->error) /* std's error types */
        return t->kind == TY_ADT && t->adt->builtin && t->adt != prog->option && t->adt != prog->result &&
               (strstr(t->adt->name, "Error") != NULL);
    if (t->kind == TY_STD) { /* its row says */
        const StdType *st = t->std;
        StdImpl m = !strcmp(n, "Display") ? st->display : !strcmp(n, "Debug") ? st->debug
                  : !strcmp(n, "Clone") ? st->clone : !strcmp(n, "Default") ? st->dflt
                  : !strcmp(n, "PartialEq") || !strcmp(n, "Eq") || !strcmp(n, "PartialOrd") || !strcmp(n, "Ord") ? st->cmp
                  : SI_NO;
        for (int i = 0; m == SI_ARGS && i < t->nargs; i++)
            if (!type_implements(ty_resolve(t->args[i]), tr))
                m = SI_NO;
        return m != SI_NO;
    }
    bool fmt = !strcmp(n, "Display") || !strcmp(n, "Debug");
    if (fmt && t->kind == TY_REF) /* &T formats as T */
        return type_implements(ty_resolve(t->args[0]), tr);
    if (!strcmp(n, "Display")) /* the primitives, a char's case mappings, and the error types of `parse` */
        return t->kind <= TY_STR || (t->kind == TY_ITER && (t->iter_kind == ITER_TO_UPPER || t->iter_kind == ITER_TO_LOWER)) || (t->kind == TY_ADT && t->adt->builtin &&
                                     (!strncmp(t->adt->name, "Parse", 5) || !strncmp(t->adt->name, "Borrow", 6) ||
                                      t->adt == prog->try_from_int_error || t->adt == prog->utf8_error ||
                                      t->adt == prog->from_utf8_error ||
                                      strstr(t->adt->name, "RecvError")));
    if (!strcmp(n, "Debug"))
        return t->kind <= TY_STR || t->kind == TY_TUPLE || t->kind == TY_ARRAY || t->kind == TY_SLICE ||
               (t->kind == TY_ADT && (t->adt->derives & DERIVE_DEBUG));
    if (!strcmp(n, "Eq") || !strcmp(n, "Ord"))
        return compare_traits(t, !strcmp(n, "Ord"), true);
    if (!strcmp(n, "PartialEq"))
        return comparable(t, false);
    if (!strcmp(n, "PartialOrd"))
        return comparable(t, true);
    if (!strcmp(n, "Copy"))
        return ty_is_copy(t);
    if (!strcmp(n, "Clone"))
        return ty_is_copy(t) || (t->kind == TY_ADT && (t->adt->derives & DERIVE_CLONE));
    if (!strcmp(n, "Default"))
        return t->kind <= TY_CHAR || (t->kind == TY_ADT && (t->adt->derives & DERIVE_DEFAULT)) ||
               (t->kind == TY_ADT && t->adt == prog->option) || (t->kind == TY_TUPLE && tuple_all(t, tr));
    /* the operator traits of the numbers (Output = Self) */
    static const char *arith[] = {"Add", "Sub", "Mul", "Div", "Rem", "AddAssign", "SubAssign",
                                  "MulAssign", "DivAssign", "RemAssign", NULL};
    for (int i = 0; arith[i]; i++)
        if (!strcmp(n, arith[i]))
            return ty_is_numeric(t);
    if (!strcmp(n, "Neg"))
        return ty_is_numeric(t) && (ty_is_signed(t) || !ty_is_int(t));
    if (!strcmp(n, "Not"))
        return ty_is_int(t) || t->kind == TY_BOOL;
    return false;
}

void bound_error(Span span, Type *t, TraitDef *tr)
{
    Diag *d;
    if (tr->future_out && satisfies(t, prog->future)) { /* a future of another Output */
        Type *out = ty_resolve(ty_proj(t, prog->future, 0));
        d = diag_error("E0271", span, "expected `%s` to be a future that resolves to `%s`, but it resolves to `%s`",
                       ty_str(t), ty_str(tr->future_out), ty_str(out));
        diag_primary_label(d, "expected `%s`, found `%s`", ty_str(tr->future_out), ty_str(out));
        return;
    }
    Type *item = tr->iter_item ? iterator_item(t) : NULL;
    if (item) { /* an iterator of another Item */
        d = diag_error("E0271", span, "expected `%s` to be an iterator that yields `%s`, but it yields `%s`",
                       ty_str(t), ty_str(tr->iter_item), ty_str(item));
        diag_primary_label(d, "expected `%s`, found `%s`", ty_str(tr->iter_item), ty_str(item));
        return;
    }
    if (tr->iter_item) {
        d = diag_error("E0277", span, "`%s` is not an iterator", ty_str(t));
        diag_primary_label(d, "`%s` is not an iterator", ty_str(t));
        return;
    }
    if (tr->future_out) {
        d = diag_error("E0277", span, "`%s` is not a future", ty_str(t));
        diag_primary_label(d, "`%s` is not a future", ty_str(t));
        return;
    }
    if (!strcmp(tr->name, "Display"))
        d = diag_error("E0277", span, "`%s` doesn't implement `std::fmt::Display`", ty_str(t));
    else if (!strcmp(tr->name, "Debug"))
        d = diag_error("E0277", span, "`%s` doesn't implement `Debug`", ty_str(t));
    else
        d = diag_error("E0277", span, "the trait bound `%s: %s` is not satisfied", ty_str(t), tr->name);
    diag_primary_label(d, "the trait `%s` is not implemented for `%s`", tr->name, ty_str(t));
}

/* ---- the closure traits ------------------------------------------------------- */

/* The closure traits: one TraitDef per (kind, signature), interned, so that
 * `dyn Fn(i32) -> i32` written twice is one type. */
List fn_traits; /* List of TraitDef * */

TraitDef *fn_trait(int kind, Type **params, int n, Type *ret)
{
    for (int i = 0; i < fn_traits.len; i++) {
        TraitDef *t = fn_traits.items[i];
        bool same = t->fn_kind == kind && t->fn_nparams == n && t->fn_ret == ret;
        for (int k = 0; same && k < n; k++)
            same = t->fn_params[k] == params[k];
        if (same)
            return t;
    }
    TraitDef *t = NEW(TraitDef);
    t->name = kind == FN_FN ? "Fn" : kind == FN_MUT ? "FnMut" : "FnOnce";
    t->builtin = true;
    t->fn_kind = kind;
    t->fn_nparams = n;
    t->fn_params = arena_alloc(g_arena, sizeof(Type *) * (size_t)(n + 1));
    for (int k = 0; k < n; k++)
        t->fn_params[k] = params[k];
    t->fn_ret = ret;
    list_push(&fn_traits, t);
    return t;
}

static List future_traits;

/* `dyn Future<Output = T>`: a trait per T, as `dyn Fn(A) -> R` has one per signature;
 * Future is its super, so what needs a Future takes it. */
TraitDef *future_dyn_trait(Type *out)
{
    out = ty_resolve(out);
    for (int i = 0; i < future_traits.len; i++)
        if (((TraitDef *)future_traits.items[i])->future_out == out)
            return future_traits.items[i];
    TraitDef *t = NEW(TraitDef);
    t->name = "Future";
    t->builtin = true;
    t->future_out = out;
    list_push(&t->supers, prog->future);
    list_push(&future_traits, t);
    return t;
}

static List iter_traits;

TraitDef *iter_item_trait(Type *item)
{
    item = ty_resolve(item);
    for (int i = 0; i < iter_traits.len; i++)
        if (((TraitDef *)iter_traits.items[i])->iter_item == item)
            return iter_traits.items[i];
    TraitDef *it = find_trait("Iterator");
    TraitDef *t = NEW(TraitDef);
    t->name = "Iterator";
    t->builtin = true;
    t->iter_item = item;
    list_push(&t->supers, it);
    list_push(&iter_traits, t);
    return t;
}

/* The trait a bound names: `Iterator<Item = T>` is Iterator's instance at that Item. */
TraitDef *bound_trait(TraitDef *t, PathSeg *ls)
{
    if (!t || ls->assoc.len != 1)
        return t;
    AssocBinding *a = ls->assoc.items[0];
    if (t == find_trait("Iterator") && !strcmp(a->name, "Item"))
        return iter_item_trait(resolve_type(a->type));
    return t;
}

/* The Fn trait a callable type parameter is bounded by (`F: Fn(i32) -> i32`),
 * or of a `dyn Fn(..)`; NULL when t is neither. */
TraitDef *fn_sig_of(Type *t)
{
    t = ty_resolve(t);
    if (t->kind == TY_DYN && t->trait->fn_kind)
        return t->trait;
    if (t->kind != TY_PARAM || !cur_fn || t->param_index >= cur_fn->ntparams || !cur_fn->tparam_bounds)
        return NULL;
    List *b = &cur_fn->tparam_bounds[t->param_index];
    for (int i = 0; i < b->len; i++)
        if (((TraitDef *)b->items[i])->fn_kind)
            return b->items[i];
    return NULL;
}

static bool same_sig(Type **ps, int n, Type *ret, TraitDef *tr)
{
    if (n != tr->fn_nparams)
        return false;
    for (int i = 0; i < n; i++)
        if (!unify(ps[i], tr->fn_params[i]))
            return false;
    return unify(ret, tr->fn_ret);
}

/* Does t implement the closure trait tr? A closure's own kind is known only
 * after its captures are (see check_closure_kinds); fn items and pointers
 * implement all three. */
bool fn_satisfies(Type *t, TraitDef *tr)
{
    while (t->kind == TY_REF)
        t = ty_resolve(t->args[0]);
    if (t->kind == TY_CLOSURE)
    {
        Type *ps[t->clo->nparams + 1];
        for (int i = 0; i < t->clo->nparams; i++)
            ps[i] = ty_subst(t->clo->params[i], t->args, t->nargs);
        return same_sig(ps, t->clo->nparams, ty_subst(t->clo->ret, t->args, t->nargs), tr);
    }
    if (t->kind == TY_FN)
        return same_sig(t->args, t->nargs - 1, t->args[t->nargs - 1], tr);
    if (ty_is_std(t, STD_BOX) && ty_resolve(t->args[0])->kind == TY_DYN) /* Box<dyn Fn(..)> is Fn(..) too */
        t = ty_resolve(t->args[0]);
    TraitDef *have = fn_sig_of(t);
    return have && have->fn_kind <= tr->fn_kind && same_sig(have->fn_params, have->fn_nparams, have->fn_ret, tr);
}

/* How many fns have each C name: an open-addressed table, so that a crate of thousands of
 * fns is not compared pairwise. */
typedef struct NameCount {
    const char *name;
    int n;
} NameCount;
static NameCount *cn_tab;
static size_t cn_cap;

static NameCount *cn_slot(const char *name)
{
    size_t h = 5381;
    for (const char *p = name; *p; p++)
        h = h * 33 + (unsigned char)*p;
    size_t i = h & (cn_cap - 1);
    while (cn_tab[i].name && strcmp(cn_tab[i].name, name))
        i = (i + 1) & (cn_cap - 1);
    cn_tab[i].name = name;
    return &cn_tab[i];
}

static void cn_count(bool only_trait_args)
{
    for (cn_cap = 16; cn_cap < (size_t)prog->fns.len * 4; cn_cap *= 2)
        ;
    cn_tab = arena_alloc(g_arena, sizeof(NameCount) * cn_cap);
    for (int k = 0; k < prog->fns.len; k++) {
        FnDef *g = prog->fns.items[k];
        if (!only_trait_args || (g->impl && g->impl->trait_arg))
            cn_slot(g->cname)->n++;
    }
}

static void cn_rename(FnDef *f, char *cname)
{
    cn_slot(f->cname)->n--;
    f->cname = cname;
    cn_slot(f->cname)->n++;
}

/* Two methods of one type named alike (`impl Pilot for Human { fn fly }`,
 * `impl Wizard for Human { fn fly }`, `impl Human { fn fly }`): in C the
 * trait impls' are `Human_Pilot_fly`, `Human_Wizard_fly`. */
void distinct_cnames(void)
{
    cn_count(false);
    for (int i = 0; i < prog->fns.len; i++) {
        FnDef *f = prog->fns.items[i];
        if (!f->trait || !f->impl_self)
            continue;
        bool clash = cn_slot(f->cname)->n > 1;
        size_t n = strlen(f->cname), m = strlen(f->name);
        if (clash && n > m + 1 && !strcmp(f->cname + n - m, f->name))
            cn_rename(f, c_ident(xprintf("%.*s_%s_%s", (int)(n - m - 1), f->cname, f->trait->name, f->name)));
    }
    /* impls of one generic trait at several arguments (`impl From<i64> for V`, `impl From<&str>
     * for V`): each is named after its argument too, `V_From_from_i64`, `V_From_from_str` */
    cn_count(true);
    for (int i = 0; i < prog->fns.len; i++) {
        FnDef *f = prog->fns.items[i];
        if (!f->trait || !f->impl_self || !f->impl || !f->impl->trait_arg)
            continue;
        if (cn_slot(f->cname)->n > 1)
            cn_rename(f, c_ident(xprintf("%s_%s", f->cname, ty_str(f->impl->trait_arg))));
    }
    cn_tab = NULL;
}

/* ---- size_of ------------------------------------------------------------------ */

/* Rust's layout of t on x86_64 as rustc 1.95 lays it out (fields reordered,
 * so a struct is its fields' sizes rounded up to the largest alignment; an
 * Option uses a spare value of its payload when there is one): size,
 * alignment and how many spare values it has. False for what mrsc cannot
 * say (an enum with data, a closure, a type parameter). */
static bool layout(Type *t, uint64_t *size, uint64_t *align, uint64_t *spare)
{
    t = ty_resolve(t);
    *spare = 0;
    switch (t->kind) {
    case TY_I8: case TY_U8: *size = *align = 1; return true;
    case TY_I16: case TY_U16: *size = *align = 2; return true;
    case TY_I32: case TY_U32: case TY_F32: *size = *align = 4; return true;
    case TY_I64: case TY_U64: case TY_F64: case TY_ISIZE: case TY_USIZE: *size = *align = 8; return true;
    case TY_I128: case TY_U128: *size = *align = 16; return true;
    case TY_BOOL: *size = *align = 1; *spare = 254; return true;
    case TY_CHAR: *size = *align = 4; *spare = 0xFFFFFFFFu - 0x10FFFF; return true;
    case TY_NEVER: *size = 0; *align = 1; return true;
    case TY_FN: *size = *align = 8; *spare = 1; return true;
    case TY_REF: case TY_PTR: {
        Type *in = ty_resolve(t->args[0]);
        bool fat = in->kind == TY_STR || in->kind == TY_SLICE || in->kind == TY_DYN;
        *size = fat ? 16 : 8;
        *align = 8;
        *spare = t->kind == TY_REF ? 1 : 0;
        return true;
    }
    case TY_ARRAY: {
        uint64_t s, a, sp;
        if (!layout(t->args[0], &s, &a, &sp))
            return false;
        *size = s * t->len;
        *align = a;
        *spare = t->len ? sp : 0;
        return true;
    }
    case TY_STD:
        if (ty_is_std(t, STD_BOX))
            return layout(ty_ref(t->args[0], false), size, align, spare);
        if (ty_is_std(t, STD_STRING) || ty_is_std(t, STD_VEC)) {
            *size = 24;
            *align = 8;
            *spare = 1; /* (its capacity's) */
            return true;
        }
        return false;
    case TY_TUPLE:
    case TY_ADT: {
        int n;
        Type **ft;
        if (t->kind == TY_ADT && t->adt == prog->option) {
            uint64_t s, a, sp;
            if (!layout(t->args[0], &s, &a, &sp))
                return false;
            if (sp) { /* None is a spare value of the payload */
                *size = s, *align = a, *spare = sp - 1;
                return true;
            }
            *align = a;
            *size = (s + a + a - 1) / a * a; /* a tag before the payload */
            *spare = 254;
            return true;
        }
        if (t->kind == TY_ADT && t->adt->is_enum) {
            AdtDef *ad = t->adt;
            for (int v = 0; v < ad->nvariants; v++)
                if (ad->variants[v].nfields)
                    return false;
            *align = 1;
            *size = ad->nvariants > 1 ? 1 : 0;
            *spare = ad->nvariants > 1 ? (uint64_t)(256 - ad->nvariants) : 0;
            return ad->nvariants <= 256;
        }
        if (t->kind == TY_ADT && (t->adt->builtin && t->adt != prog->phantom))
            return false;
        if (t->kind == TY_TUPLE) {
            n = t->nargs;
            ft = t->args;
        } else {
            VariantInfo *v = &t->adt->variants[0];
            n = v->nfields;
            ft = arena_alloc(g_arena, sizeof(Type *) * (size_t)(n + 1));
            for (int i = 0; i < n; i++)
                ft[i] = ty_subst(v->fields[i].type, t->args, t->nargs);
        }
        uint64_t total = 0, al = 1, sp = 0;
        for (int i = 0; i < n; i++) {
            uint64_t s, a, p;
            if (!layout(ft[i], &s, &a, &p))
                return false;
            total += s;
            al = a > al ? a : al;
            sp = p > sp ? p : sp;
        }
        *size = (total + al - 1) / al * al;
        *align = al;
        *spare = sp;
        return true;
    }
    default:
        return false;
    }
}

/* t's size and alignment in Rust's layout; false when mrsc cannot say. */
bool rust_layout(Program *p, Type *t, int64_t *size, int64_t *align)
{
    prog = p;
    uint64_t s, a, sp;
    if (!layout(t, &s, &a, &sp))
        return false;
    *size = (int64_t)s;
    *align = (int64_t)a;
    return true;
}

/* std::mem::size_of::<T>() as rustc computes it, or -1 when mrsc cannot say. */
int64_t rust_size_of(Program *p, Type *t)
{
    prog = p;
    uint64_t s, a, sp;
    return layout(t, &s, &a, &sp) ? (int64_t)s : -1;
}

/* ---- Send and Sync -------------------------------------------------------------- */

static bool not_safe(Type *t, bool sync, Type **culprit, bool *shared)
{
    *culprit = t;
    *shared = sync;
    return false;
}

static bool frame_safe(Type *t, bool sync, Type **culprit, bool *shared, int depth);

static bool safe_in(Type *t, bool sync, Type **culprit, bool *shared, int depth)
{
    t = ty_resolve(t);
    if (depth > 16)
        return true;
    switch (t->kind) {
    case TY_REF: /* &T: Send when T is Sync; &mut T: Send when T is Send */
        return safe_in(t->args[0], sync || !t->is_mut, culprit, shared, depth + 1);
    case TY_PTR:
        return not_safe(t, sync, culprit, shared);
    case TY_FN:
    case TY_DYN: /* (what `dyn Trait + Send` promises is not tracked: taken on trust) */
        return true;
    case TY_STD:
        switch (t->std->id) {
        case STD_RC:
        case STD_WEAK:
        case STD_REF:
        case STD_REFMUT:
            return not_safe(t, sync, culprit, shared);
        case STD_CELL:
        case STD_REFCELL: /* Send when T is, never Sync */
            if (sync)
                return not_safe(t, true, culprit, shared);
            return safe_in(t->args[0], false, culprit, shared, depth + 1);
        case STD_ARC: /* Arc<T>: both when T is Send and Sync */
            return safe_in(t->args[0], true, culprit, shared, depth + 1) &&
                   safe_in(t->args[0], false, culprit, shared, depth + 1);
        case STD_MUTEX: /* Send and Sync when T is Send */
        case STD_SENDER:
            return safe_in(t->args[0], false, culprit, shared, depth + 1);
        case STD_RECEIVER:
            if (sync)
                return not_safe(t, true, culprit, shared);
            return safe_in(t->args[0], false, culprit, shared, depth + 1);
        case STD_MUTEXGUARD:
            if (!sync)
                return not_safe(t, false, culprit, shared);
            return safe_in(t->args[0], true, culprit, shared, depth + 1);
        default:
            break;
        }
        break;
    case TY_CLOSURE:
        for (int i = 0; i < t->clo->captures.len; i++) {
            Capture *cp = t->clo->captures.items[i];
            Type *ct = ty_capture_type(t, cp);
            if (cp->mode != CAP_VALUE)
                ct = ty_ref(ct, cp->mode == CAP_MUT);
            if (!safe_in(ct, sync, culprit, shared, depth + 1))
                return false;
        }
        return true;
    case TY_ADT:
        for (int v = 0; v < t->adt->nvariants; v++)
            for (int i = 0; i < t->adt->variants[v].nfields; i++)
                if (!safe_in(ty_subst(t->adt->variants[v].fields[i].type, t->args, t->nargs), sync, culprit, shared,
                             depth + 1))
                    return false;
        return true;
    case TY_ASYNC:
        return frame_safe(t, sync, culprit, shared, depth);
    default:
        break;
    }
    for (int i = 0; i < t->nargs; i++)
        if (!safe_in(t->args[i], sync, culprit, shared, depth + 1))
            return false;
    return true;
}

/* The value of an async frame that made it not Send: a local held across `held_at`, or
 * NULL (an argument, a capture, an awaited future). */
static Local *held_local;
static Expr *held_at;
static FnDef *held_fn;
static Capture *held_capture; /* (an async block's capture that is not Send) */

/* An async future is Send when what its frame holds is: an async fn's arguments, an async
 * block's captures, the locals borrowck found held across an await, the futures awaited. */
static bool frame_safe(Type *t, bool sync, Type **culprit, bool *shared, int depth)
{
    FnDef *f = t->async_fn;
    Closure *clo = f->async_block;
    FnDef *owner = clo ? clo->fn : f;
#define AT(x) (t->nargs ? ty_subst((x), t->args, t->nargs) : (x))
    if (clo) {
        Type *ct = ty_closure(clo, t->args, t->nargs);
        for (int i = 0; i < clo->captures.len; i++) {
            Capture *cp = clo->captures.items[i];
            Type *x = ty_capture_type(ct, cp);
            if (cp->mode != CAP_VALUE)
                x = ty_ref(x, cp->mode == CAP_MUT);
            if (!safe_in(x, sync, culprit, shared, depth + 1)) {
                held_capture = cp;
                held_fn = f;
                return false;
            }
        }
    }
    List aws = {0};
    Block *body = clo ? clo->expr->body->block : f->item ? f->item->body : NULL;
    sema_awaits_of(body, &aws);
    for (int i = 0; i < owner->locals.len; i++) {
        Local *l = owner->locals.items[i];
        if (l->closure != clo || !(l->held_send || (!clo && l->is_param)))
            continue;
        if (safe_in(AT(l->type), sync, culprit, shared, depth + 1))
            continue;
        held_local = NULL;
        for (int k = 0; k < aws.len && !held_local && !l->is_param; k++) {
            Expr *a = aws.items[k];
            for (int j = 0; j < a->bck_held.len; j++)
                if (a->bck_held.items[j] == l) {
                    held_local = l;
                    held_at = a;
                    held_fn = f;
                }
        }
        return false;
    }
    for (int k = 0; k < aws.len; k++) {
        Expr *a = aws.items[k];
        if (a->operand->ty && !safe_in(AT(a->operand->ty), sync, culprit, shared, depth + 1))
            return false;
    }
#undef AT
    return true;
}

bool ty_thread_safe(Type *t, bool sync, Type **culprit, bool *shared)
{
    return safe_in(t, sync, culprit, shared, 0);
}

/* Does t hold a future (an async fn's or block's), whose Send-ness borrowck decides? */
bool ty_mentions_future(Type *t)
{
    t = ty_resolve(t);
    if (t->kind == TY_ASYNC)
        return true;
    if (t->kind == TY_CLOSURE) {
        for (int i = 0; i < t->clo->captures.len; i++)
            if (ty_mentions_future(ty_capture_type(t, t->clo->captures.items[i])))
                return true;
        return false;
    }
    if (t->kind == TY_ADT && t->nargs == 0)
        return false;
    for (int i = 0; i < t->nargs; i++)
        if (ty_mentions_future(t->args[i]))
            return true;
    return false;
}

void sema_check_sends(Program *prog)
{
    for (int i = 0; i < prog->send_checks.len; i++) {
        Expr *e = prog->send_checks.items[i];
        Type *culprit = NULL;
        bool shared = false;
        held_local = NULL;
        held_capture = NULL;
        if (ty_thread_safe(e->ty, false, &culprit, &shared))
            continue;
        if (held_capture) { /* rustc: no code */
            Diag *d = diag_error(NULL, e->span, "future cannot be %s between threads safely", shared ? "shared" : "sent");
            diag_primary_label(d, "future created by async block is not `%s`", shared ? "Sync" : "Send");
            diag_help(d, "within `%s`, the trait `std::marker::%s` is not implemented for `%s`", ty_str(e->ty),
                      shared ? "Sync" : "Send", ty_str(culprit));
            diag_label(d, held_capture->at, "has type `%s` which is not `%s`", ty_str(culprit), shared ? "Sync" : "Send");
            diag_note(d, "captured value is not `%s`", shared ? "Sync" : "Send");
            continue;
        }
        if (!held_local) {
            Diag *d = diag_error("E0277", sema_closure_head(e), "`%s` cannot be %s between threads safely",
                                 ty_str(culprit), shared ? "shared" : "sent");
            diag_primary_label(d, "`%s` cannot be %s between threads safely", ty_str(culprit), shared ? "shared" : "sent");
            diag_help(d, "the trait `%s` is not implemented for `%s`", shared ? "Sync" : "Send", ty_str(culprit));
            continue;
        }
        /* rustc: no code, the future named by what made it */
        Diag *d = diag_error(NULL, e->span, "future cannot be %s between threads safely", shared ? "shared" : "sent");
        if (held_fn->async_block)
            diag_primary_label(d, "future created by async block is not `%s`", shared ? "Sync" : "Send");
        else
            diag_primary_label(d, "future returned by `%s` is not `%s`", held_fn->name, shared ? "Sync" : "Send");
        diag_help(d, "within `%s`, the trait `std::marker::%s` is not implemented for `%s`", ty_str(e->ty),
                  shared ? "Sync" : "Send", ty_str(culprit));
        diag_label(d, held_local->span, "has type `%s` which is not `%s`", ty_str(held_local->type),
                   shared ? "Sync" : "Send");
        diag_label(d, held_at->name_span.lo ? held_at->name_span : held_at->span,
                   "await occurs here, with `%s` maybe used later", held_local->name);
        diag_note(d, "future is not `%s` as this value is used across an await", shared ? "Sync" : "Send");
    }
}

/* ---- the std futures ------------------------------------------------------------- */

Type *std_future_output(Type *t)
{
    t = ty_resolve(t);
    if (t->kind == TY_ASYNC) /* an async fn's future: its body's result */
        return t->nargs ? ty_subst(t->async_fn->async_out, t->args, t->nargs) : t->async_fn->async_out;
    if (t->kind == TY_DYN && t->trait->future_out) /* dyn Future<Output = T> */
        return t->trait->future_out;
    if (t->kind != TY_STD)
        return NULL;
    switch (t->std->id) {
    case STD_READY:
    case STD_PENDING:
        return t->args[0];
    case STD_POLLFN: { /* the closure's Poll<T>: T */
        Type *f = ty_resolve(t->args[0]);
        if (f->kind != TY_CLOSURE)
            return ty_error();
        Type *r = ty_resolve(f->nargs ? ty_subst(f->clo->ret, f->args, f->nargs) : f->clo->ret);
        return r->kind == TY_ADT && r->adt == prog->poll ? r->args[0] : ty_error();
    }
    case STD_JOIN:
    case STD_JOIN3: { /* (A::Output, B::Output[, C::Output]) */
        Type *o[3];
        for (int i = 0; i < t->nargs; i++)
            o[i] = ty_resolve(ty_proj(t->args[i], prog->future, 0));
        return ty_tuple(o, t->nargs);
    }
    default:
        return NULL;
    }
}

/* ---- Unpin ---------------------------------------------------------------------- */

/* Is t Unpin: may a value of it move after it was pinned? Every type is, except
 * PhantomPinned, a type parameter without an `Unpin` bound, and what holds one of those
 * in place (a struct or enum field, a tuple or array element; for a #[pin_project] type
 * only its `#[pin]` fields count). Pointers never hold their target in place. When not,
 * *culprit is the part that is not. */
static bool unpin_in(Type *t, Type **culprit, int depth)
{
    t = ty_resolve(t);
    if (depth > 16)
        return true;
    switch (t->kind) {
    case TY_PARAM: {
        if (!cur_fn || t->param_index >= cur_fn->ntparams)
            break;
        List *b = &cur_fn->tparam_bounds[t->param_index];
        for (int i = 0; i < b->len; i++)
            if (!strcmp(((TraitDef *)b->items[i])->name, "Unpin"))
                return true;
        break;
    }
    case TY_ADT:
        if (t->adt == prog->phantom_pinned)
            break;
        for (int v = 0; v < t->adt->nvariants; v++)
            for (int i = 0; i < t->adt->variants[v].nfields; i++) {
                FieldInfo *fi = &t->adt->variants[v].fields[i];
                if (t->adt->pin_project && !fi->pinned)
                    continue;
                if (!unpin_in(ty_subst(fi->type, t->args, t->nargs), culprit, depth + 1))
                    return false;
            }
        return true;
    case TY_TUPLE:
    case TY_ARRAY:
        for (int i = 0; i < t->nargs; i++)
            if (!unpin_in(t->args[i], culprit, depth + 1))
                return false;
        return true;
    case TY_STD: /* a pointer's target is elsewhere; a cell or lock holds its value in place */
        if (ty_is_std(t, STD_CELL) || ty_is_std(t, STD_REFCELL) || ty_is_std(t, STD_MUTEX) ||
            ty_is_std(t, STD_RWLOCK) || ty_is_std(t, STD_POLLFN))
            return unpin_in(t->args[0], culprit, depth + 1);
        if (ty_is_std(t, STD_JOIN) || ty_is_std(t, STD_JOIN3)) {
            for (int i = 0; i < t->nargs; i++)
                if (!unpin_in(t->args[i], culprit, depth + 1))
                    return false;
        }
        return true;
    case TY_CLOSURE:
        for (int i = 0; i < t->clo->captures.len; i++) {
            Capture *cp = t->clo->captures.items[i];
            if (cp->mode == CAP_VALUE && !unpin_in(ty_capture_type(t, cp), culprit, depth + 1))
                return false;
        }
        return true;
    case TY_ASYNC: /* a frame may point into itself */
        break;
    default:
        return true;
    }
    *culprit = t;
    return false;
}

bool ty_is_unpin(Type *t, Type **culprit)
{
    Type *dummy;
    return unpin_in(t, culprit ? culprit : &dummy, 0);
}

/* E0277 for a T that must be Unpin (Pin::new, get_mut, into_inner), at span. */
void unpin_error(Span span, Type *t, Type *culprit, const char *by)
{
    Diag *d = diag_error("E0277", span, "`%s` cannot be unpinned", ty_str(culprit));
    if (culprit != ty_resolve(t))
        diag_primary_label(d, "within `%s`, the trait `Unpin` is not implemented for `%s`", ty_str(t), ty_str(culprit));
    else
        diag_primary_label(d, "the trait `Unpin` is not implemented for `%s`", ty_str(culprit));
    diag_note(d, "consider using the `pin!` macro\nconsider using `Box::pin` if you need to access the pinned value outside of the current scope");
    if (by)
        diag_note(d, "required by a bound in `%s`", by);
}
