/* resolve.c — names: the global namespace, type expressions, items, `use`,
 * locals and value paths.
 *
 * requires: a Crate without syntax errors and the std names check.c
 * predeclares;
 * produces: a Def for every item name (collect_items: E0428), resolved
 * fields, signatures and impls (resolve_items), a Type for every type
 * expression (resolve_type: E0107, E0412, ...), and while a body is checked,
 * its locals with C names unique in their fn and the Def each value path
 * names (E0425, E0433). */
#include "check_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- the global namespace ----------------------------------------------------- */

typedef struct Global {
    char *name;
    Def *def;
    bool is_type; /* type namespace (structs, enums) vs value namespace */
} Global;

List globals; /* List of Global * */

/* An index of globals by name and namespace (open addressing over a power-of-two table of
 * Global *): a large program has thousands of names, and each path looks one up. */
static Global **gindex;
static size_t gindex_cap, gindex_used;

static size_t name_hash(const char *s, bool type_ns)
{
    size_t h = type_ns ? 0x9e3779b97f4a7c15u : 14695981039346656037u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static void gindex_put(Global *g)
{
    if (2 * (gindex_used + 1) > gindex_cap) { /* keep it at most half full */
        size_t cap = gindex_cap ? 2 * gindex_cap : 256;
        Global **old = gindex;
        size_t ocap = gindex_cap;
        gindex = calloc(cap, sizeof *gindex);
        if (!gindex)
            abort();
        gindex_cap = cap;
        gindex_used = 0;
        for (size_t i = 0; i < ocap; i++)
            if (old[i])
                gindex_put(old[i]);
        free(old);
    }
    size_t i = name_hash(g->name, g->is_type) & (gindex_cap - 1);
    while (gindex[i])
        i = (i + 1) & (gindex_cap - 1);
    gindex[i] = g;
    gindex_used++;
}

/* `use std::f64::consts;` (or f32's, or `as` another name): the float type of the
 * constants `consts::FRAC_PI_2` names, and the name the module goes by. */
static Type *consts_float;
static const char *consts_name;

void globals_reset(void)
{
    consts_float = NULL;
    consts_name = NULL;
    globals = (List){0};
    free(gindex);
    gindex = NULL;
    gindex_cap = gindex_used = 0;
}

Def *new_def(DefKind k, char *name, Span span)
{
    Def *d = NEW(Def);
    d->kind = k;
    d->name = name;
    d->span = span;
    return d;
}

Def *lookup_global(const char *name, bool type_ns)
{
    if (!gindex_cap)
        return NULL;
    /* the first one added under the name (the table keeps insertion order along a probe) */
    for (size_t i = name_hash(name, type_ns) & (gindex_cap - 1); gindex[i]; i = (i + 1) & (gindex_cap - 1)) {
        Global *g = gindex[i];
        if (g->is_type == type_ns && strcmp(g->name, name) == 0)
            return g->def;
    }
    return NULL;
}

void add_global(char *name, Def *def, bool type_ns, Span span)
{
    Def *old = lookup_global(name, type_ns);
    if (old && old->span.lo == 0 && span.lo != 0) {
        /* a user item shadows the std name mrsc predeclared */
        for (int i = 0; i < globals.len; i++) {
            Global *g = globals.items[i];
            if (g->is_type == type_ns && g->def == old)
                g->def = def;
        }
        return;
    }
    if (old && old->span.lo != 0) {
        Diag *d = diag_error("E0428", span, "the name `%s` is defined multiple times", name);
        diag_label(d, old->span, "previous definition of the %s `%s` here", type_ns ? "type" : "value", name);
        diag_primary_label(d, "`%s` redefined here", name);
        return;
    }
    Global *g = NEW(Global);
    g->name = name;
    g->def = def;
    g->is_type = type_ns;
    list_push(&globals, g);
    gindex_put(g);
}

/* Make the type name `name` denote def, in place of what mrsc predeclared. */
static void set_global(const char *name, Def *def)
{
    for (int i = 0; i < globals.len; i++) {
        Global *g = globals.items[i];
        if (g->is_type && !strcmp(g->name, name))
            g->def = def;
    }
}

void unsupported(Span span, const char *what)
{
    diag_error(NULL, span, "%s is not supported by mrsc yet", what);
}

/* std types of later tiers, named in a path */
/* The digits of std's f64::consts (and f32's). */
const char *float_const_digits(const char *name)
{
    static const struct { const char *n, *v; } k[] = {
        {"PI", "3.14159265358979323846"},
        {"E", "2.71828182845904523536"},
        {"SQRT_2", "1.41421356237309504880"},
        {"LN_2", "0.693147180559945309417"},
        {"TAU", "6.28318530717958647692"},
        {"FRAC_PI_2", "1.57079632679489661923132169163975144"},
        {"FRAC_PI_3", "1.04719755119659774615421446109316763"},
        {"FRAC_PI_4", "0.785398163397448309615660845819875721"},
        {"FRAC_PI_6", "0.52359877559829887307710723054658381"},
        {"FRAC_PI_8", "0.39269908169872415480783042290993786"},
        {"FRAC_1_PI", "0.318309886183790671537767526745028724"},
        {"FRAC_2_PI", "0.636619772367581343075535053490057448"},
        {"FRAC_2_SQRT_PI", "1.12837916709551257389615890312154517"},
        {"FRAC_1_SQRT_2", "0.707106781186547524400844362104849039"},
        {"LN_10", "2.30258509299404568401799145468436421"},
        {"LOG2_E", "1.44269504088896340735992468100189214"},
        {"LOG10_E", "0.434294481903251827651128918916605082"},
        {"LOG2_10", "3.32192809488736234787031942948939018"},
        {"LOG10_2", "0.301029995663981195213738894724493027"},
    };
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        if (!strcmp(k[i].n, name))
            return k[i].v;
    return NULL;
}

static bool later_tier_std_type(const char *name)
{
    static const char *names[] = {"VecDeque", "Condvar", "Barrier", "BinaryHeap", "LinkedList", "Cow", "OnceCell", NULL};
    for (int i = 0; names[i]; i++)
        if (!strcmp(names[i], name))
            return true;
    return false;
}

/* ---- type expressions --------------------------------------------------------- */

TyEnv tyenv;

Type *fmt_result_type(void)
{
    Type *args[2] = {ty_unit(), ty_adt(fmt_error, NULL, 0)};
    return ty_adt(prog->result, args, 2);
}

static const struct { const char *name; TypeKind kind; } prim_table[] = {
    {"i8", TY_I8}, {"i16", TY_I16}, {"i32", TY_I32}, {"i64", TY_I64}, {"i128", TY_I128},
    {"isize", TY_ISIZE}, {"u8", TY_U8}, {"u16", TY_U16}, {"u32", TY_U32}, {"u64", TY_U64},
    {"u128", TY_U128}, {"usize", TY_USIZE}, {"f32", TY_F32}, {"f64", TY_F64}, {"bool", TY_BOOL},
    {"char", TY_CHAR}, {"str", TY_STR},
};

Type *prim_by_name(const char *name)
{
    for (size_t i = 0; i < sizeof prim_table / sizeof prim_table[0]; i++)
        if (strcmp(prim_table[i].name, name) == 0)
            return ty_prim(prim_table[i].kind);
    return NULL;
}

PathSeg *last_seg(Path *p) { return p->segs.items[p->segs.len - 1]; }

static Type **resolve_generic_args(PathSeg *seg, int *n)
{
    *n = seg->generic_args.len;
    Type **args = arena_alloc(g_arena, sizeof(Type *) * (size_t)(*n + 1));
    for (int i = 0; i < *n; i++)
        args[i] = resolve_type(seg->generic_args.items[i]);
    return args;
}

/* Strip a leading `std::` / `core::` / `alloc::` module path: mrsc's std
 * types are known by their last segment (std::string::String == String). */
static bool is_std_path(Path *p)
{
    if (p->segs.len < 2)
        return false;
    const char *first = ((PathSeg *)p->segs.items[0])->name;
    return strcmp(first, "std") == 0 || strcmp(first, "core") == 0 || strcmp(first, "alloc") == 0;
}

static Type *wrong_arg_count(PathSeg *seg, const char *what, int want, int got)
{
    diag_error("E0107", seg->span, "%s takes %d generic argument%s but %d generic argument%s supplied", what,
               want, want == 1 ? "" : "s", got, got == 1 ? " was" : "s were");
    return ty_error();
}

/* What `Alias<A, B>` names: the alias's type with its parameters replaced by A, B. */
static Type *alias_type(Item *it, PathSeg *seg, Type **args, int n)
{
    static int depth;
    char *names[16];
    int k = 0;
    if (it->generics)
        for (int i = 0; i < it->generics->params.len; i++) {
            GenericParam *gp = it->generics->params.items[i];
            if (gp->kind == GP_TYPE && k < 16)
                names[k++] = gp->name;
            else if (gp->kind == GP_CONST)
                unsupported(gp->span, "a const generic parameter");
        }
    if (n != k)
        return wrong_arg_count(seg, "type alias", k, n);
    if (depth > 32) { /* `type A = B; type B = A;` */
        Diag *d = diag_error("E0391", it->name_span, "cycle detected when expanding type alias `%s`", it->name);
        (void)d;
        return ty_error();
    }
    TyEnv saved = tyenv;
    tyenv = (TyEnv){.params = names, .nparams = k, .subst = args};
    depth++;
    Type *t = resolve_type(it->type);
    depth--;
    tyenv = saved;
    return t;
}

static Type *resolve_path_type(TypeExpr *te)
{
    Path *p = te->path;
    if (p->qself) {
        unsupported(te->span, "a qualified path (`<T as Trait>::X`)");
        return ty_error();
    }
    PathSeg *seg = last_seg(p);
    const char *name = seg->name;
    if (p->segs.len >= 2 && !strcmp(name, "Result") &&
        !strcmp(((PathSeg *)p->segs.items[p->segs.len - 2])->name, "fmt")) {
        return fmt_result_type(); /* Result<(), fmt::Error> */
    }
    const char *m0 = ((PathSeg *)p->segs.items[0])->name;
    bool module_path = !strcmp(m0, "fmt") || !strcmp(m0, "cmp") || !strcmp(m0, "ops") || !strcmp(m0, "iter") ||
                       !strcmp(m0, "string") || !strcmp(m0, "vec") || !strcmp(m0, "num") || !strcmp(m0, "option") ||
                       !strcmp(m0, "result");
    if (p->segs.len == 2 && !strcmp(m0, "Self") && tyenv.trait) {
        for (int i = 0; i < tyenv.trait->assoc_types.len; i++)
            if (!strcmp(tyenv.trait->assoc_types.items[i], name)) {
                TraitDef *tt = tyenv.trait;
                Type *ta[tt->ntparams + 1]; /* a generic trait's own parameters follow Self */
                for (int k = 0; k < tt->ntparams; k++)
                    ta[k] = ty_param(1 + k, tt->tparam_names[k]);
                return ty_proj_args(tyenv.self_ty ? tyenv.self_ty : ty_param(0, "Self"), tt, i, ta, tt->ntparams);
            }
    }
    if (p->segs.len == 2 && tyenv.params) {
        for (int i = 0; i < tyenv.nparams; i++) {
            if (!tyenv.params[i] || strcmp(tyenv.params[i], m0))
                continue;
            Type *base = tyenv.subst ? tyenv.subst[i] : ty_param(i, m0);
            List *bl = tyenv.bounds ? &tyenv.bounds[i] : NULL;
            for (int k = 0; bl && k < bl->len; k++) {
                TraitDef *bt = bl->items[k];
                for (int j = 0; j < bt->assoc_types.len; j++)
                    if (!strcmp(bt->assoc_types.items[j], name))
                        return bt->generic ? ty_proj_args(base, bt->generic, j, bt->targs, bt->generic->ntparams)
                                           : ty_proj(base, bt, j);
            }
        }
    }
    if (p->segs.len == 2 && !strcmp(m0, "Self") && tyenv.impl) {
        for (int i = 0; i < tyenv.impl->assoc_names.len; i++)
            if (!strcmp(tyenv.impl->assoc_names.items[i], name))
                return tyenv.impl->assoc_types.items[i];
    }
    if (p->segs.len > 1 && !is_std_path(p) && !module_path) {
        if (strcmp(((PathSeg *)p->segs.items[0])->name, "Self") == 0 ||
            p->segs.len == 2) {
            unsupported(te->span, "an associated type (Tier 1)");
            return ty_error();
        }
    }
    int n = 0;
    Type **args = resolve_generic_args(seg, &n);
    if (seg->is_fn_sugar) {
        unsupported(te->span, "an `Fn` trait type (closures are Tier 2)");
        return ty_error();
    }
    Type *prim = p->segs.len == 1 ? prim_by_name(name) : NULL;
    if (prim) {
        if (n)
            diag_error("E0109", seg->span, "type arguments are not allowed on builtin type `%s`", name);
        return prim;
    }
    if (strcmp(name, "Self") == 0 && p->segs.len == 1) {
        if (tyenv.self_ty)
            return tyenv.self_ty;
        diag_error("E0411", te->span, "cannot find type `Self` in this scope");
        return ty_error();
    }
    if (tyenv.params && p->segs.len == 1) {
        for (int i = 0; i < tyenv.nparams; i++)
            if (tyenv.params[i] && strcmp(tyenv.params[i], name) == 0)
                return tyenv.subst ? tyenv.subst[i] : ty_param(i, name);
    }
    if (tyenv.generic_owner && p->segs.len == 1) {
        for (int i = 0; i < tyenv.generic_owner->nparams; i++)
            if (strcmp(tyenv.generic_owner->param_names[i], name) == 0)
                return ty_param(i, name);
    }
    if (strcmp(name, "String") == 0) {
        if (n)
            return wrong_arg_count(seg, "struct", 0, n);
        return ty_string();
    }
    if (strcmp(name, "Vec") == 0) {
        if (n != 1)
            return n == 0 ? ty_vec(ty_var(VAR_ANY)) : wrong_arg_count(seg, "struct", 1, n);
        return ty_vec(args[0]);
    }
    if (strcmp(name, "Box") == 0 && !lookup_global("Box", true)) {
        if (n != 1)
            return n == 0 ? ty_box(ty_var(VAR_ANY)) : wrong_arg_count(seg, "struct", 1, n);
        return ty_box(args[0]);
    }

    Def *d = lookup_global(name, true);
    if (p->segs.len >= 2) { /* `std::num::ParseIntError`: the std types known by their module */
        Def *qd = lookup_global(xprintf("%s::%s", seg_name(p, p->segs.len - 2), name), true);
        if (qd)
            d = qd;
    }
    if (d && d->kind == DEF_TYPE_ALIAS)
        return alias_type(d->item, seg, args, n);
    if (d && d->kind == DEF_STD_TYPE && d->type) /* AtomicUsize: Atomic<usize> */
        return n ? wrong_arg_count(seg, "struct", 0, n) : ty_std(d->std_type->id, &d->type, 1);
    if (d && d->kind == DEF_STD_TYPE && n && ty_resolve(args[0])->kind == TY_DYN &&
        d->std_type->id != STD_RC && d->std_type->id != STD_WEAK && d->std_type->id != STD_ARC) {
        /* Rc<dyn Trait>: an unsized value in a counted block (a fat pointer to it) */
        unsupported(te->span, xprintf("a trait object in `%s` (`%s`)", d->std_type->name, diag_source_text(te->span)));
        return ty_error();
    }
    if (d && d->kind == DEF_STD_TYPE) { /* Rc<T>, after `use std::rc::Rc;` */
        const StdType *st = d->std_type;
        if (n != st->nparams) {
            if (n)
                return wrong_arg_count(seg, "struct", st->nparams, n);
            args = arena_alloc(g_arena, sizeof(Type *) * (size_t)st->nparams);
            for (int i = 0; i < st->nparams; i++)
                args[i] = ty_var(VAR_ANY);
        }
        return ty_std(st->id, args, st->nparams);
    }
    if ((!d || d->kind != DEF_ADT) && later_tier_std_type(name)) {
        diag_error(NULL, te->span, "`%s` is not supported by mrsc yet", name);
        return ty_error();
    }
    if ((!d || d->kind != DEF_ADT) && p->segs.len >= 2 && is_std_path(p)) {
        /* `std::vec::IntoIter<T>`: a std type mrsc does not have (yet) */
        diag_error(NULL, te->span, "`%s` is not supported by mrsc yet", diag_source_text(te->span));
        return ty_error();
    }
    if (!d || d->kind != DEF_ADT) {
        Diag *dg = diag_error("E0412", seg->span, "cannot find type `%s` in this scope", name);
        diag_primary_label(dg, "not found in this scope");
        return ty_error();
    }
    AdtDef *a = d->adt;
    if (n != a->nparams) {
        if (n == 0) {
            /* Elided in a `let` annotation is an error in rustc too, but
             * inference variables keep the checker going. */
            for (int i = 0; i < a->nparams; i++)
                args[i] = ty_var(VAR_ANY);
            n = a->nparams;
            if (!a->builtin)
                return wrong_arg_count(seg, a->is_enum ? "enum" : "struct", a->nparams, 0);
        } else {
            return wrong_arg_count(seg, a->is_enum ? "enum" : "struct", a->nparams, n);
        }
    }
    return ty_adt(a, args, n);
}

static TraitDef *fn_sugar_trait(PathSeg *ls, Span span);

/* The fn whose return type is being resolved (an `impl Trait` inside it is its opaque type). */
static FnDef *opaque_fn;

/* The traits of `impl A + B` returned by f; `Future<Output = T>` is the Future of that
 * Output (so that the body's future is checked to give it). */
static void opaque_bounds(FnDef *f, TypeExpr *te)
{
    f->ret_bounds = (List){0};
    for (int i = 0; i < te->bounds.len; i++) {
        Bound *b = te->bounds.items[i];
        if (b->kind != BOUND_TRAIT)
            continue;
        PathSeg *ls = last_seg(b->path);
        TraitDef *t = ls->is_fn_sugar ? fn_sugar_trait(ls, b->span) : bound_trait(trait_ref(ls, b->span), ls);
        if (t && t == prog->future && ls->assoc.len == 1 && !strcmp(((AssocBinding *)ls->assoc.items[0])->name, "Output"))
            t = future_dyn_trait(resolve_type(((AssocBinding *)ls->assoc.items[0])->type));
        if (t)
            list_push(&f->ret_bounds, t);
    }
}

Type *resolve_type(TypeExpr *te)
{
    Type *t;
    switch (te->kind) {
    case TE_PATH:
        t = resolve_path_type(te);
        break;
    case TE_REF:
        t = ty_ref(resolve_type(te->inner), te->is_mut);
        break;
    case TE_PTR:
        t = ty_ptr(resolve_type(te->inner), te->is_mut);
        break;
    case TE_TUPLE: {
        Type *elems[te->elems.len + 1];
        for (int i = 0; i < te->elems.len; i++)
            elems[i] = resolve_type(te->elems.items[i]);
        t = ty_tuple(elems, te->elems.len);
        break;
    }
    case TE_ARRAY: {
        Type *elem = resolve_type(te->inner);
        uint64_t len = 0;
        if (te->len && te->len->kind == EX_INT) {
            len = te->len->int_val;
        } else if (te->len && te->len->kind == EX_PATH && te->len->path->segs.len == 1) {
            Def *d = lookup_global(last_seg(te->len->path)->name, false);
            if (d && d->kind == DEF_CONST && d->item->init && d->item->init->kind == EX_INT)
                len = d->item->init->int_val;
            else {
                unsupported(te->len->span, "this array length expression");
                return te->ty = ty_error();
            }
        } else {
            unsupported(te->span, "this array length expression");
            return te->ty = ty_error();
        }
        t = ty_array(elem, len);
        break;
    }
    case TE_SLICE:
        t = ty_slice(resolve_type(te->inner));
        break;
    case TE_FN: {
        Type *ps[te->elems.len + 1];
        for (int i = 0; i < te->elems.len; i++)
            ps[i] = resolve_type(te->elems.items[i]);
        t = ty_fn(ps, te->elems.len, te->ret ? resolve_type(te->ret) : ty_unit());
        break;
    }
    case TE_NEVER:
        t = ty_prim(TY_NEVER);
        break;
    case TE_INFER:
        t = ty_var(VAR_ANY);
        break;
    case TE_IMPL_TRAIT:
        if (te->ty && ty_resolve(te->ty)->kind == TY_PARAM) {
            int k = ty_resolve(te->ty)->param_index;
            return tyenv.subst ? tyenv.subst[k] : te->ty;
        }
        if (opaque_fn && !opaque_fn->opaque_var) { /* `-> Pin<Box<impl Future<..>>>`: the body decides */
            opaque_fn->opaque_var = ty_var(VAR_ANY);
            opaque_bounds(opaque_fn, te);
            te->ty = opaque_fn->opaque_var;
            return te->ty;
        }
        unsupported(te->span, "an `impl Trait` type in this position");
        t = ty_error();
        break;
    case TE_DYN: {
        TraitDef *tr = NULL;
        for (int i = 0; i < te->bounds.len && !tr; i++) {
            Bound *b = te->bounds.items[i];
            if (b->kind == BOUND_TRAIT && last_seg(b->path)->is_fn_sugar) {
                tr = fn_sugar_trait(last_seg(b->path), b->span);
                if (!tr) {
                    t = ty_error();
                    goto done_dyn;
                }
                t = ty_dyn(tr);
                goto done_dyn;
            }
            if (b->kind == BOUND_TRAIT)
                tr = find_trait(last_seg(b->path)->name);
            if (tr && tr == prog->future) { /* dyn Future<Output = T> */
                PathSeg *ls = last_seg(b->path);
                AssocBinding *out = ls->assoc.len == 1 ? ls->assoc.items[0] : NULL;
                if (!out || strcmp(out->name, "Output")) {
                    Diag *d = diag_error("E0191", te->span,
                                         "the value of the associated type `Output` in `Future` must be specified");
                    diag_primary_label(d, "help: specify the associated type: `Future<Output = /* Type */>`");
                    t = ty_error();
                } else {
                    t = ty_dyn(future_dyn_trait(resolve_type(out->type)));
                }
                goto done_dyn;
            }
        }
        if (tr && tr->ntparams) {
            unsupported(te->span, "a `dyn` of a generic trait");
            t = ty_error();
            break;
        }
        if (!tr) {
            unsupported(te->span, "this trait object");
            t = ty_error();
            break;
        }
        if (!tr->builtin)
            check_object_safe(tr, te->span);
        else if (strcmp(tr->name, "Display") && strcmp(tr->name, "Debug") && tr != prog->error)
            unsupported(te->span, xprintf("`dyn %s`", tr->name));
        t = ty_dyn(tr);
    done_dyn:
        break;
    }
    default:
        t = ty_error();
    }
    te->ty = t;
    return t;
}

/* ---- item collection ---------------------------------------------------------- */

static unsigned derives_of(List *attrs)
{
    static const struct { const char *name; unsigned bit; } table[] = {
        {"Debug", DERIVE_DEBUG}, {"Clone", DERIVE_CLONE}, {"Copy", DERIVE_COPY},
        {"PartialEq", DERIVE_PARTIAL_EQ}, {"Eq", DERIVE_EQ}, {"Default", DERIVE_DEFAULT},
        {"PartialOrd", DERIVE_PARTIAL_ORD}, {"Ord", DERIVE_ORD}, {"Hash", DERIVE_HASH},
    };
    unsigned bits = 0;
    for (int i = 0; i < attrs->len; i++) {
        Attr *a = attrs->items[i];
        if (strcmp(a->name, "derive") != 0)
            continue;
        for (int j = 0; j < a->args.len; j++) {
            Attr *arg = a->args.items[j];
            bool known = false;
            for (size_t k = 0; k < sizeof table / sizeof table[0]; k++)
                if (strcmp(table[k].name, arg->name) == 0)
                    bits |= table[k].bit, known = true;
            if (!known)
                diag_error(NULL, arg->span, "`#[derive(%s)]` is not supported by mrsc", arg->name);
        }
    }
    return bits;
}

static void check_item_attrs(List *attrs)
{
    for (int i = 0; i < attrs->len; i++) {
        Attr *a = attrs->items[i];
        if (strcmp(a->name, "derive") && strcmp(a->name, "allow") && strcmp(a->name, "warn") &&
            strcmp(a->name, "deny") && strcmp(a->name, "inline") && strcmp(a->name, "must_use") &&
            strcmp(a->name, "doc") && strcmp(a->name, "rustfmt") && strcmp(a->name, "cfg_attr") &&
            strcmp(a->name, "expect") && strcmp(a->name, "pin_project") && strcmp(a->name, "pinned_drop"))
            diag_error(NULL, a->span, "the attribute `#[%s]` is not supported by mrsc", a->name);
    }
}

/* A projection type of #[pin_project] type a (its fields are made by resolve_adt). */
static AdtDef *new_projection(AdtDef *a, const char *name, Span span)
{
    AdtDef *p = NEW(AdtDef);
    p->name = xstrdup(name);
    p->is_enum = a->is_enum;
    p->span = span;
    p->nparams = a->nparams;
    p->param_names = a->param_names;
    p->projected = a;
    p->holds_refs = true;
    if (span.lo) { /* named by `project = Name`: the program may name it too */
        Def *d = new_def(DEF_ADT, p->name, span);
        d->adt = p;
        add_global(p->name, d, true, span);
    }
    return p;
}

/* `#[pin_project]`, `#[pin_project(project = P, project_ref = R, PinnedDrop)]`: the crate's
 * attribute, which its `use` brings into scope; it gives a its projection types. */
static void note_pin_project(AdtDef *a, Item *it)
{
    Attr *pa = NULL;
    for (int i = 0; i < it->attrs.len; i++)
        if (!strcmp(((Attr *)it->attrs.items[i])->name, "pin_project"))
            pa = it->attrs.items[i];
    if (!pa)
        return;
    Def *d = lookup_global("pin_project", true);
    if (!d || d->kind != DEF_MODULE) {
        Diag *dg = diag_error(NULL, pa->span, "cannot find attribute `pin_project` in this scope");
        diag_help(dg, "consider importing this attribute macro\n\n    use pin_project::pin_project;");
        return;
    }
    a->pin_project = true;
    a->pin_attr = pa->span;
    const char *pname = NULL, *rname = NULL;
    Span pspan = {0}, rspan = {0};
    for (int i = 0; i < pa->args.len; i++) {
        Attr *g = pa->args.items[i];
        if (!strcmp(g->name, "PinnedDrop") && !g->value && !g->has_args)
            a->pinned_drop = true;
        else if (!strcmp(g->name, "project") && g->value)
            pname = g->value, pspan = g->span;
        else if (!strcmp(g->name, "project_ref") && g->value)
            rname = g->value, rspan = g->span;
        else
            unsupported(g->span, xprintf("the `%s` argument of `#[pin_project]`", g->name));
    }
    a->proj = new_projection(a, pname ? pname : xprintf("%sProjection", a->name), pspan);
    a->proj_ref = new_projection(a, rname ? rname : xprintf("%sProjectionRef", a->name), rspan);
}

/* The fields of a's projections: a `#[pin]` field as Pin<&mut F> (Pin<&F>), another as
 * &mut T (&T). */
static void resolve_projections(AdtDef *a)
{
    for (int r = 0; r < 2; r++) {
        AdtDef *p = r ? a->proj_ref : a->proj;
        p->nvariants = a->nvariants;
        p->variants = arena_alloc(g_arena, sizeof(VariantInfo) * (size_t)(a->nvariants + 1));
        for (int v = 0; v < a->nvariants; v++) {
            VariantInfo *src = &a->variants[v], *dst = &p->variants[v];
            *dst = *src;
            if (!a->is_enum)
                dst->name = p->name;
            dst->fields = arena_alloc(g_arena, sizeof(FieldInfo) * (size_t)(src->nfields + 1));
            for (int i = 0; i < src->nfields; i++) {
                dst->fields[i] = src->fields[i];
                Type *ref = ty_ref(src->fields[i].type, !r);
                dst->fields[i].type = src->fields[i].pinned ? ty_std(STD_PIN, &ref, 1) : ref;
            }
        }
    }
}

static void collect_adt(Item *it)
{
    AdtDef *a = NEW(AdtDef);
    a->name = it->name;
    a->is_enum = it->kind == IT_ENUM;
    a->item = it;
    a->span = it->name_span;
    a->derives = derives_of(&it->attrs);
    check_item_attrs(&it->attrs);
    if (it->generics && it->generics->params.len) {
        a->param_names = arena_alloc(g_arena, sizeof(char *) * (size_t)it->generics->params.len);
        for (int i = 0; i < it->generics->params.len; i++) {
            GenericParam *gp = it->generics->params.items[i];
            if (gp->kind == GP_TYPE)
                a->param_names[a->nparams++] = gp->name;
            else if (gp->kind == GP_CONST)
                unsupported(gp->span, "a const generic parameter");
        }
    }
    Def *d = new_def(DEF_ADT, it->name, it->name_span);
    d->adt = a;
    it->def = d;
    add_global(it->name, d, true, it->name_span);
    /* Tuple and unit structs also name a value (their constructor). */
    if (!a->is_enum && it->struct_kind != SK_NAMED)
        add_global(it->name, d, false, it->name_span);
    list_push(&prog->adts, a);
}

/* Field types are resolved after every type name is known. */
static void resolve_fields(FieldInfo **out, int *nout, List *fields, bool pin_project)
{
    *nout = fields->len;
    *out = arena_alloc(g_arena, sizeof(FieldInfo) * (size_t)(fields->len + 1));
    for (int i = 0; i < fields->len; i++) {
        FieldDef *f = fields->items[i];
        (*out)[i].name = f->name ? f->name : xprintf("%d", i);
        (*out)[i].type = resolve_type(f->type);
        (*out)[i].span = f->span;
        for (int k = 0; k < f->attrs.len; k++) {
            Attr *fa = f->attrs.items[k];
            if (!strcmp(fa->name, "pin") && pin_project && !fa->has_args && !fa->value)
                (*out)[i].pinned = true;
            else if (!strcmp(fa->name, "pin"))
                diag_error(NULL, fa->span, pin_project ? "unexpected token in attribute" : "cannot find attribute `pin` in this scope");
            else
                check_item_attrs(&(List){.items = (void **)&f->attrs.items[k], .len = 1});
        }
    }
}

static void resolve_adt(AdtDef *a)
{
    Item *it = a->item;
    note_pin_project(a, it); /* (after the `use`s: the attribute needs its own) */
    tyenv = (TyEnv){.generic_owner = a->nparams ? a : NULL};
    if (a->nparams) { /* `ra: Option<A::Output>` names a bound's associated type */
        char **names;
        List *bounds;
        tyenv.nparams = impl_generics(it, &names, &bounds);
        tyenv.params = names;
        tyenv.bounds = bounds;
    }
    if (!a->is_enum) {
        a->nvariants = 1;
        a->variants = NEW(VariantInfo);
        a->variants[0].name = a->name;
        a->variants[0].kind = it->struct_kind;
        a->variants[0].span = it->name_span;
        resolve_fields(&a->variants[0].fields, &a->variants[0].nfields, &it->fields, a->pin_project);
        if (a->pin_project)
            resolve_projections(a);
        tyenv = (TyEnv){0};
        return;
    }
    a->nvariants = it->variants.len;
    a->variants = arena_alloc(g_arena, sizeof(VariantInfo) * (size_t)(a->nvariants + 1));
    int64_t next = 0;
    for (int v = 0; v < a->nvariants; v++) {
        Variant *var = it->variants.items[v];
        VariantInfo *vi = &a->variants[v];
        vi->name = var->name;
        vi->kind = var->kind;
        vi->span = var->span;
        resolve_fields(&vi->fields, &vi->nfields, &var->fields, a->pin_project);
        if (var->discriminant) {
            Expr *dx = var->discriminant;
            if (dx->kind == EX_INT)
                next = (int64_t)dx->int_val;
            else if (dx->kind == EX_UNARY && dx->unop == UN_NEG && dx->operand->kind == EX_INT)
                next = -(int64_t)dx->operand->int_val;
            else
                unsupported(dx->span, "this discriminant expression");
        }
        vi->discr = next++;
    }
    if (a->pin_project)
        resolve_projections(a);
    tyenv = (TyEnv){0};
}

FnDef *new_fn(Item *it, AdtDef *owner)
{
    FnDef *f = NEW(FnDef);
    f->name = it->name;
    f->item = it;
    f->owner = owner;
    f->self_kind = it->sig->self_kind;
    f->self_mut = it->sig->self_mut;
    f->cname = owner ? xprintf("%s_%s", owner->name, it->name) : it->name;
    FnSig *sig = it->sig;
    f->is_async = sig->is_async;
    f->is_unsafe = sig->is_unsafe;
    check_item_attrs(&it->attrs);
    return f;
}

/* `Fn(A, B) -> R` written as a bound or a trait object */
static TraitDef *fn_sugar_trait(PathSeg *ls, Span span)
{
    int kind = !strcmp(ls->name, "Fn") ? FN_FN : !strcmp(ls->name, "FnMut") ? FN_MUT : !strcmp(ls->name, "FnOnce") ? FN_ONCE : 0;
    if (!kind) {
        unsupported(span, xprintf("the parenthesized form of `%s`", ls->name));
        return NULL;
    }
    int n = ls->fn_inputs.len;
    Type *ps[n + 1];
    for (int i = 0; i < n; i++)
        ps[i] = resolve_type(ls->fn_inputs.items[i]);
    return fn_trait(kind, ps, n, ls->fn_output ? resolve_type(ls->fn_output) : ty_unit());
}

void add_bounds(List *out, List *bounds)
{
    for (int i = 0; i < bounds->len; i++) {
        Bound *b = bounds->items[i];
        if (b->kind != BOUND_TRAIT || b->maybe)
            continue;
        PathSeg *ls = b->path->segs.items[b->path->segs.len - 1];
        if (ls->is_fn_sugar) {
            TraitDef *t = fn_sugar_trait(ls, b->span);
            if (t)
                list_push(out, t);
            continue;
        }
        if (!strcmp(ls->name, "Sized"))
            continue; /* every type mrsc knows a bound for is sized */
        if (!strcmp(ls->name, "Send") || !strcmp(ls->name, "Sync"))
            continue; /* accepted; Send is checked where a thread starts, on the concrete types */
        TraitDef *t = find_trait(ls->name);
        if (t && t->ntparams) {
            if ((t = trait_ref(ls, b->span)))
                list_push(out, t);
            continue;
        }
        if (!t) {
            static const char *std_traits[] = {"FromStr", "Hash", "Sized", "Send", "Sync", "AsRef", "AsMut",
                                               "Borrow", "Into", "ToString", "Fn", "FnMut", "FnOnce", "Unpin",
                                               "Future", "IntoIterator",
                                               "DoubleEndedIterator", "ExactSizeIterator", "Any", "Error", NULL};
            bool known = false;
            for (int k = 0; std_traits[k]; k++)
                known |= !strcmp(std_traits[k], ls->name);
            if (known) {
                diag_error(NULL, b->span, "a `%s` bound is not supported by mrsc yet", ls->name);
                continue;
            }
            Diag *d = diag_error("E0405", b->span, "cannot find trait `%s` in this scope", ls->name);
            diag_primary_label(d, "not found in this scope");
            continue;
        }
        list_push(out, bound_trait(t, ls));
    }
}

/* The `Output = U` of operator bounds on type parameter `param` (`T: Add<Output = T>`),
 * kept for `a + b` on a T; U is resolved with the signature (resolve_sig). */
static void note_op_outputs(FnDef *f, int param, List *bounds)
{
    for (int i = 0; i < bounds->len; i++) {
        Bound *b = bounds->items[i];
        if (b->kind != BOUND_TRAIT || b->maybe)
            continue;
        PathSeg *ls = b->path->segs.items[b->path->segs.len - 1];
        TraitDef *t = ls->is_fn_sugar ? NULL : find_trait(ls->name);
        for (int k = 0; t && k < ls->assoc.len; k++) {
            AssocBinding *a = ls->assoc.items[k];
            if (strcmp(a->name, "Output"))
                continue;
            OpOutput *o = arena_alloc(g_arena, sizeof *o);
            *o = (OpOutput){.param = param, .trait = t, .te = a->type};
            list_push(&f->op_outputs, o);
        }
    }
}

/* The `Output = U` of the operator bounds of an impl's parameters
 * (`impl<T: Add<Output = T>> Add for V<T>`), for each of its methods f. */
void note_impl_op_outputs(FnDef *f, Item *impl)
{
    Generics *g = impl->generics;
    if (!g)
        return;
    int k = 0;
    for (int i = 0; i < g->params.len; i++) {
        GenericParam *gp = g->params.items[i];
        if (gp->kind != GP_TYPE)
            continue;
        note_op_outputs(f, k, &gp->bounds);
        for (int j = 0; j < g->where_preds.len; j++) {
            WherePred *w = g->where_preds.items[j];
            if (w->type && w->type->kind == TE_PATH && w->type->path->segs.len == 1 &&
                !strcmp(((PathSeg *)w->type->path->segs.items[0])->name, gp->name))
                note_op_outputs(f, k, &w->bounds);
        }
        k++;
    }
}

/* `impl Trait` anywhere in a parameter type (`&impl T`, `&[impl T]`). */
void find_impl_traits(TypeExpr *te, List *out)
{
    if (!te)
        return;
    if (te->kind == TE_IMPL_TRAIT) {
        list_push(out, te);
        return;
    }
    find_impl_traits(te->inner, out);
    for (int i = 0; i < te->elems.len; i++)
        find_impl_traits(te->elems.items[i], out);
    if (te->kind == TE_PATH)
        for (int i = 0; i < te->path->segs.len; i++) {
            PathSeg *sg = te->path->segs.items[i];
            for (int j = 0; j < sg->generic_args.len; j++)
                find_impl_traits(sg->generic_args.items[j], out);
        }
}

/* The generic parameters of f: `prefix` (an impl's, or a trait's Self)
 * followed by the fn's own type parameters, with their bounds from the
 * parameter list and the where clause, and one per `impl Trait` argument. */
void set_generics(FnDef *f, char **pre, List *pre_bounds, int npre)
{
    FnSig *sig = f->item->sig;
    Generics *g = sig->generics;
    int own = 0;
    if (g)
        for (int i = 0; i < g->params.len; i++)
            own += ((GenericParam *)g->params.items[i])->kind == GP_TYPE;
    List impls = {0};
    for (int i = 0; i < sig->params.len; i++)
        find_impl_traits(((Param *)sig->params.items[i])->type, &impls);
    int nimpl = impls.len;
    int n = npre + own + nimpl;
    f->ntparams = n;
    f->npre = npre;
    if (!n)
        return;
    f->tparam_names = arena_alloc(g_arena, sizeof(char *) * (size_t)n);
    f->tparam_bounds = arena_alloc(g_arena, sizeof(List) * (size_t)n);
    int k = 0;
    for (int i = 0; i < npre; i++, k++) {
        f->tparam_names[k] = pre[i];
        if (pre_bounds)
            f->tparam_bounds[k] = pre_bounds[i];
    }
    /* the names first: a bound like `F: Fn(T) -> U` names the others */
    if (g)
        for (int i = 0, j = k; i < g->params.len; i++) {
            GenericParam *gp = g->params.items[i];
            if (gp->kind == GP_TYPE)
                f->tparam_names[j++] = gp->name;
        }
    TyEnv saved_env = tyenv;
    tyenv.params = f->tparam_names;
    tyenv.nparams = n;
    tyenv.bounds = f->tparam_bounds; /* (`C: FnOnce(F::Output)` after `F: Future`) */
    if (g)
        for (int i = 0; i < g->params.len; i++) {
            GenericParam *gp = g->params.items[i];
            if (gp->kind == GP_CONST)
                unsupported(gp->span, "a const generic parameter");
            if (gp->kind != GP_TYPE)
                continue;
            add_bounds(&f->tparam_bounds[k], &gp->bounds);
            note_op_outputs(f, k, &gp->bounds);
            k++;
        }
    for (int i = 0; i < impls.len; i++) {
        TypeExpr *te = impls.items[i];
        f->tparam_names[k] = NULL; /* anonymous */
        add_bounds(&f->tparam_bounds[k], &te->bounds);
        note_op_outputs(f, k, &te->bounds);
        te->ty = ty_param(k, "impl");
        k++;
    }
    if (g)
        for (int i = 0; i < g->where_preds.len; i++) {
            WherePred *w = g->where_preds.items[i];
            if (!w->type || w->type->kind != TE_PATH || w->type->path->segs.len != 1)
                continue;
            const char *nm = ((PathSeg *)w->type->path->segs.items[0])->name;
            for (int j = 0; j < n; j++)
                if (f->tparam_names[j] && !strcmp(f->tparam_names[j], nm)) {
                    add_bounds(&f->tparam_bounds[j], &w->bounds);
                    note_op_outputs(f, j, &w->bounds);
                }
        }
    tyenv = saved_env;
}

void resolve_sig(FnDef *f)
{
    FnSig *sig = f->item->sig;
    if (f->ntparams) {
        tyenv.params = f->tparam_names;
        tyenv.nparams = f->ntparams;
        tyenv.bounds = f->tparam_bounds;
    }
    for (int i = 0; i < f->op_outputs.len; i++) {
        OpOutput *o = f->op_outputs.items[i];
        o->ty = resolve_type(o->te);
    }
    bool opaque = sig->ret && sig->ret->kind == TE_IMPL_TRAIT;
    int n = sig->params.len + (f->self_kind != SELF_NONE);
    f->params = arena_alloc(g_arena, sizeof(Type *) * (size_t)(n + 1));
    int k = 0;
    if (f->self_kind != SELF_NONE) {
        Type *self = tyenv.self_ty ? tyenv.self_ty : ty_error();
        switch (f->self_kind) {
        case SELF_VALUE: f->params[k++] = self; break;
        case SELF_REF: f->params[k++] = ty_ref(self, false); break;
        case SELF_REF_MUT: f->params[k++] = ty_ref(self, true); break;
        default: {
            /* `self: Box<Self>` (and the spelled-out `self: &Self`, `self: &mut Self`, `self: Self`) */
            Type *st = sig->self_type ? ty_resolve(resolve_type(sig->self_type)) : ty_error();
            Type *pin_in = ty_is_std(st, STD_PIN) ? ty_resolve(st->args[0]) : NULL;
            if (ty_is_std(st, STD_BOX) && ty_resolve(st->args[0]) == ty_resolve(self))
                f->self_kind = SELF_BOX;
            else if (pin_in && pin_in->kind == TY_REF && ty_resolve(pin_in->args[0]) == ty_resolve(self))
                f->self_kind = SELF_PIN; /* `self: Pin<&mut Self>`: the receiver is that Pin */
            else if (st->kind == TY_REF && ty_resolve(st->args[0]) == ty_resolve(self))
                f->self_kind = st->is_mut ? SELF_REF_MUT : SELF_REF;
            else if (st == ty_resolve(self))
                f->self_kind = SELF_VALUE;
            else if (st->kind != TY_ERROR)
                unsupported(sig->self_span, "this `self` type");
            f->params[k++] = st;
        }
        }
    }
    for (int i = 0; i < sig->params.len; i++) {
        Param *p = sig->params.items[i];
        f->params[k++] = resolve_type(p->type);
    }
    f->nparams = n;
    if (opaque) {
        /* -> impl Trait: the body decides; it is checked before its callers */
        f->opaque_ret = true;
        f->ret = ty_var(VAR_ANY);
        opaque_bounds(f, sig->ret);
        sig->ret->ty = f->ret;
    } else if (sig->ret) {
        opaque_fn = f; /* (an `impl Trait` inside the type: Pin<Box<impl Future>>) */
        f->opaque_var = NULL;
        f->ret = resolve_type(sig->ret);
        opaque_fn = NULL;
        f->opaque_ret = f->opaque_var != NULL;
    } else {
        f->ret = ty_unit();
    }
    if (f->is_async) { /* a call gives the future; the body returns the Output */
        if (opaque)
            unsupported(sig->ret->span, "`-> impl Trait` on an `async fn`");

        f->async_out = f->ret;
        Type **ta = arena_alloc(g_arena, sizeof(Type *) * (size_t)(f->ntparams + 1));
        for (int i = 0; i < f->ntparams; i++)
            ta[i] = ty_param(i, f->tparam_names ? f->tparam_names[i] : NULL);
        f->ret = ty_async(f, ta, f->ntparams);
    }
    tyenv.params = NULL;
    tyenv.nparams = 0;
}

static Def *find_assoc(AdtDef *a, const char *name)
{
    for (int i = 0; i < a->methods.len; i++) {
        FnDef *f = a->methods.items[i];
        if (strcmp(f->name, name) == 0) {
            Def *d = new_def(DEF_FN, f->name, f->item->name_span);
            d->fn = f;
            return d;
        }
    }
    for (int i = 0; i < a->consts.len; i++) {
        Def *d = a->consts.items[i];
        if (strcmp(d->name, name) == 0)
            return d;
    }
    for (int i = 0; i < prog->impls.len; i++) {
        ImplDef *im = prog->impls.items[i];
        if (im->self_ty->kind != TY_ADT || im->self_ty->adt != a)
            continue;
        for (int k = 0; k < im->consts.len; k++)
            if (!strcmp(((Def *)im->consts.items[k])->name, name))
                return im->consts.items[k];
        for (int k = 0; k < im->methods.len; k++) {
            FnDef *f = im->methods.items[k];
            if (!strcmp(f->name, name)) {
                Def *d = new_def(DEF_FN, f->name, f->item->name_span);
                d->fn = f;
                return d;
            }
        }
    }
    return NULL;
}

static void collect_impl(Item *it)
{
    if (it->trait_path) {
        collect_trait_impl(it);
        return;
    }
    /* impl<T: Bound, ..> Type<..>: the impl's parameters come first in each method's */
    char **names;
    List *bounds;
    int nimpl;
    Type *self = impl_self_type(it, &names, &bounds, &nimpl);
    if (self->kind == TY_ERROR)
        return;
    if (self->kind != TY_ADT || self->adt->builtin) {
        Diag *d = diag_error("E0116", it->self_ty->span,
                             "cannot define inherent `impl` for a type outside of the crate where the type is defined");
        diag_primary_label(d, "impl for type defined outside of crate");
        return;
    }
    AdtDef *a = self->adt;
    for (int i = 0; i < it->items.len; i++) {
        Item *m = it->items.items[i];
        tyenv = (TyEnv){.self_adt = a, .self_ty = self};
        if (m->kind == IT_FN) {
            bool dup = false;
            for (int k = 0; k < a->methods.len; k++) {
                FnDef *o = a->methods.items[k];
                dup |= !strcmp(o->name, m->name) && o->impl_self == self;
            }
            if (dup) {
                diag_error("E0592", m->name_span, "duplicate definitions with name `%s`", m->name);
                continue;
            }
            FnDef *f = new_fn(m, a);
            set_generics(f, names, bounds, nimpl);
            note_impl_op_outputs(f, it);
            f->impl_self = self;
            /* two impls of the same generic type (impl Pair<f64>, impl Pair<i32>) */
            int same = 0;
            for (int k = 0; k < a->methods.len; k++)
                same += !strcmp(((FnDef *)a->methods.items[k])->name, m->name);
            if (same)
                f->cname = xprintf("%s_%s_%d", a->name, m->name, same);
            resolve_sig(f);
            list_push(&a->methods, f);
            if (m->body)
                list_push(&prog->fns, f);
            else
                diag_error(NULL, m->span, "associated function in `impl` without body");
        } else if (m->kind == IT_CONST) {
            Def *d = new_def(DEF_CONST, m->name, m->name_span);
            d->item = m;
            d->owner = a;
            d->type = resolve_type(m->type);
            d->cname = xprintf("%s_%s", a->name, m->name);
            list_push(&a->consts, d);
            list_push(&prog->consts, d);
        } else {
            unsupported(m->span, "this item in an impl block");
        }
    }
    tyenv = (TyEnv){0};
}

/* First pass: names of types and values. */
static void use_tree(UseTree *t, char **segs, int n);
static bool std_uses_only;

void collect_items(List *items)
{
    /* the std traits and types a `use` names come first: a generic fn's bounds are
     * resolved as its item is collected (`F: Future<Output = i32>`) */
    std_uses_only = true;
    for (int i = 0; i < items->len; i++) {
        Item *it = items->items[i];
        if (it->kind == IT_USE && it->use)
            use_tree(it->use, NULL, 0);
    }
    std_uses_only = false;
    for (int i = 0; i < items->len; i++) {
        Item *it = items->items[i];
        switch (it->kind) {
        case IT_STRUCT:
        case IT_ENUM:
            collect_adt(it);
            break;
        case IT_FN: {
            FnDef *f = new_fn(it, NULL);
            if (f->self_kind != SELF_NONE) {
                Diag *d = diag_error(NULL, it->sig->self_span, "`self` parameter is only allowed in associated functions");
                diag_primary_label(d, "not semantically valid as function parameter");
                diag_note(d, "associated functions are those in `impl` or `trait` definitions");
            } /* (`self` is then of the error type: no error cascades from it) */
            set_generics(f, NULL, NULL, 0);
            Def *d = new_def(DEF_FN, it->name, it->name_span);
            d->fn = f;
            it->def = d;
            add_global(it->name, d, false, it->name_span);
            break;
        }
        case IT_CONST:
        case IT_STATIC: {
            Def *d = new_def(it->kind == IT_CONST ? DEF_CONST : DEF_STATIC, it->name, it->name_span);
            d->item = it;
            d->cname = it->name;
            if (it->is_mut)
                unsupported(it->span, "`static mut`");
            it->def = d;
            add_global(it->name, d, false, it->name_span);
            list_push(&prog->consts, d);
            break;
        }
        case IT_USE:
        case IT_IMPL:
            break;
        case IT_TRAIT:
            collect_trait(it);
            break;
        case IT_UNION:
            unsupported(it->span, "a union");
            break;
        case IT_TYPE: {
            Def *d = new_def(DEF_TYPE_ALIAS, it->name, it->name_span);
            d->item = it;
            it->def = d;
            add_global(it->name, d, true, it->name_span);
            break;
        }
        case IT_MOD:
            unsupported(it->span, "a module");
            break;
        case IT_EXTERN_CRATE:
            unsupported(it->span, "`extern crate`");
            break;
        case IT_MACRO_RULES:
            unsupported(it->span, "`macro_rules!`");
            break;
        }
    }
}

/* `use` items: enum variants (`use Dir::*`, `use Op::{Add, Sub}`) and the
 * std functions mrsc knows (`use std::cmp::max`); other std paths are
 * accepted and resolved where they are used. */
static void use_name(char **segs, int n, const char *rename, Span span)
{
    int s0 = n > 0 && (!strcmp(segs[0], "std") || !strcmp(segs[0], "core") || !strcmp(segs[0], "crate") ||
                       !strcmp(segs[0], "self")) ? 1 : 0;
    if (s0 == 1 && n - s0 == 3 && !strcmp(segs[1], "sync")) /* std::sync::atomic::X, std::sync::mpsc::X */
        s0 = 2;
    if (n - s0 == 2) {
        const char *a = segs[s0], *b = segs[s0 + 1];
        const char *as = rename ? rename : b;
        Def *d = NULL;
        if (!strcmp(b, "consts") && prim_by_name(a) && ty_is_float(prim_by_name(a))) {
            consts_float = prim_by_name(a);
            consts_name = as;
            return;
        }
        if (!strcmp(a, "cmp") && (!strcmp(b, "max") || !strcmp(b, "min"))) {
            d = new_def(DEF_BUILTIN, (char *)b, span);
            d->builtin = !strcmp(b, "max") ? BI_CMP_MAX : BI_CMP_MIN;
        } else if (!strcmp(a, "mem") && (!strcmp(b, "swap") || !strcmp(b, "replace") || !strcmp(b, "take") ||
                                          !strcmp(b, "size_of"))) {
            d = new_def(DEF_BUILTIN, (char *)b, span);
            d->builtin = !strcmp(b, "swap") ? BI_MEM_SWAP : !strcmp(b, "replace") ? BI_MEM_REPLACE
                       : !strcmp(b, "take") ? BI_MEM_TAKE : BI_MEM_SIZE_OF;
        } else if (std_uses_only) {
            if (!lookup_global(xprintf("%s::%s", a, b), true))
                return;
            Def *sd = lookup_global(xprintf("%s::%s", a, b), true);
            if (!lookup_global(as, true))
                add_global(xstrdup(as), sd, true, (Span){0});
            return;
        } else if (lookup_global(xprintf("%s::%s", a, b), true)) { /* a std type mrsc knows */
            Def *sd = lookup_global(xprintf("%s::%s", a, b), true);
            Def *old = lookup_global(as, true);
            if (!old)
                add_global(xstrdup(as), sd, true, (Span){0});
            else if (old != sd && old->span.lo == 0 && old->kind == DEF_ADT && old->adt == prog->ordering)
                set_global(as, sd); /* `use std::sync::atomic::Ordering;`: not cmp's */
            Def *vd = lookup_global(xprintf("%s::%s", a, b), false); /* a unit struct's value (PhantomPinned) */
            if (vd && !lookup_global(as, false))
                add_global(xstrdup(as), vd, false, (Span){0});
            return;
        } else {
            Def *td = lookup_global(a, true);
            if (td && td->kind == DEF_ADT && td->adt->is_enum) {
                for (int v = 0; v < td->adt->nvariants; v++)
                    if (!strcmp(td->adt->variants[v].name, b)) {
                        d = new_def(DEF_VARIANT, td->adt->variants[v].name, span);
                        d->adt = td->adt;
                        d->variant = v;
                    }
            }
        }
        if (d && !lookup_global(as, false))
            add_global(xstrdup(as), d, false, (Span){0});
        if (d)
            return;
    }
    /* anything else a value path can name: std::f64::consts::PI, ... */
    if (n >= 2 && !std_uses_only) {
        Path *p = ast_new_path(span);
        for (int i = 0; i < n; i++) {
            PathSeg *sg = NEW(PathSeg);
            sg->name = segs[i];
            sg->span = span;
            list_push(&p->segs, sg);
        }
        FnDef none = {0};
        Ctx c = {.prog = prog, .fn = &none};
        Def *d = resolve_value_path(&c, p, span);
        const char *as = rename ? rename : segs[n - 1];
        if (d && d->kind != DEF_LOCAL && !lookup_global(as, false))
            add_global(xstrdup(as), d, false, (Span){0});
    }
}

bool fmt_write_in_scope;

static void use_tree(UseTree *t, char **segs, int n)
{
    char *all[64];
    int k = 0;
    for (int i = 0; i < n && k < 60; i++)
        all[k++] = segs[i];
    if (t->prefix)
        for (int i = 0; i < t->prefix->segs.len && k < 60; i++)
            all[k++] = ((PathSeg *)t->prefix->segs.items[i])->name;
    if (t->has_children) {
        for (int i = 0; i < t->children.len; i++)
            use_tree(t->children.items[i], all, k);
        return;
    }
    if (k >= 1 && !strcmp(all[k - 1], "fmt") && t->glob)
        fmt_write_in_scope = true; /* use std::fmt::*; */
    if (!t->glob && k >= 2 && !strcmp(all[k - 2], "fmt") && !strcmp(all[k - 1], "Write"))
        fmt_write_in_scope = true; /* use std::fmt::Write; (for write! into a String) */
    if (t->glob) {
        int s0 = k > 0 && (!strcmp(all[0], "crate") || !strcmp(all[0], "self")) ? 1 : 0;
        if (k - s0 == 1) {
            Def *td = lookup_global(all[s0], true);
            if (td && td->kind == DEF_ADT && td->adt->is_enum && !td->adt->builtin)
                for (int v = 0; v < td->adt->nvariants; v++) {
                    Def *d = new_def(DEF_VARIANT, td->adt->variants[v].name, (Span){0});
                    d->adt = td->adt;
                    d->variant = v;
                    if (!lookup_global(d->name, false))
                        add_global(d->name, d, false, (Span){0});
                }
        }
        return;
    }
    use_name(all, k, t->rename, t->span);
}

static void collect_uses_in_block(Block *b);

static void collect_uses_in_expr(Expr *e)
{
    if (!e)
        return;
    if (e->block)
        collect_uses_in_block(e->block);
    if (e->els)
        collect_uses_in_expr(e->els);
    if (e->kind == EX_MATCH)
        for (int i = 0; i < e->arms.len; i++)
            collect_uses_in_expr(((MatchArm *)e->arms.items[i])->body);
}

static void collect_uses_in_block(Block *b)
{
    for (int i = 0; i < b->stmts.len; i++) {
        Stmt *st = b->stmts.items[i];
        if (st->kind == ST_ITEM && st->item->kind == IT_USE && st->item->use)
            use_tree(st->item->use, NULL, 0);
        else if (st->kind == ST_EXPR)
            collect_uses_in_expr(st->expr);
    }
}

/* The `use` declarations in the bodies of an item's fns: a free fn's, or the methods'
 * of an impl or trait (mrsc gives them the whole crate's scope). */
static void collect_item_uses(Item *it)
{
    if (it->kind == IT_FN && it->body)
        collect_uses_in_block(it->body);
    if (it->kind == IT_IMPL || it->kind == IT_TRAIT)
        for (int k = 0; k < it->items.len; k++)
            collect_item_uses(it->items.items[k]);
}

/* Second pass: signatures, fields, impls. */
void resolve_items(List *items)
{
    /* `use` first: a field may name a type it imports (`log: RefCell<Vec<String>>`) */
    for (int i = 0; i < items->len; i++) {
        Item *it = items->items[i];
        if (it->kind == IT_USE && it->use)
            use_tree(it->use, NULL, 0);
        else
            collect_item_uses(it);
    }
    for (int i = 0; i < prog->adts.len; i++)
        resolve_adt(prog->adts.items[i]);
    for (int i = 0; i < items->len; i++) { /* again, for enum variants (`use List::{Cons, Nil}`) */
        Item *it = items->items[i];
        if (it->kind == IT_USE && it->use)
            use_tree(it->use, NULL, 0);
        else
            collect_item_uses(it);
    }
    for (int i = 0; i < prog->traits.len; i++)
        if (!((TraitDef *)prog->traits.items[i])->builtin)
            resolve_trait(prog->traits.items[i]);
    for (int i = 0; i < items->len; i++) {
        Item *it = items->items[i];
        tyenv = (TyEnv){0};
        if (it->kind == IT_FN && it->def) {
            resolve_sig(it->def->fn);
            if (!it->body) {
                Diag *d = diag_error(NULL, it->span, "free function without a body");
                diag_help(d, "provide a definition for the function: `{ <body> }`");
                continue;
            }
            list_push(&prog->fns, it->def->fn);
            if (strcmp(it->name, "main") == 0)
                prog->main = it->def->fn;
        } else if ((it->kind == IT_CONST || it->kind == IT_STATIC) && it->def) {
            it->def->type = resolve_type(it->type);
        } else if (it->kind == IT_IMPL) {
            collect_impl(it);
        }
    }
    /* `impl OutlinePrint for Point` needs Point to implement OutlinePrint's supertraits */
    for (int i = 0; i < prog->impls.len; i++) {
        ImplDef *im = prog->impls.items[i];
        if (im->trait->builtin || im->nparams || !im->item)
            continue;
        for (int k = 0; k < im->trait->supers.len; k++) {
            TraitDef *sup = im->trait->supers.items[k];
            if (!satisfies(im->self_ty, sup))
                bound_error(im->item->self_ty->span, im->self_ty, sup);
        }
    }
}

/* ---- locals and scopes -------------------------------------------------------- */

void push_scope(Ctx *c)
{
    Scope *s = NEW(Scope);
    s->parent = c->scope;
    c->scope = s;
}

void pop_scope(Ctx *c) { c->scope = c->scope->parent; }

static Local *lookup_local(Ctx *c, const char *name)
{
    for (Scope *s = c->scope; s; s = s->parent)
        for (int i = s->locals.len - 1; i >= 0; i--) {
            Local *l = s->locals.items[i];
            if (strcmp(l->name, name) == 0)
                return l;
        }
    return NULL;
}

static const char *c_keywords[] = {
    "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum",
    "extern", "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return",
    "short", "signed", "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void",
    "volatile", "while", "bool", "true", "false", "main", "exit", "free", "malloc", "printf", "abs",
    "errno", "stdin", "stdout", "stderr", "NULL", "assert", "index", "time", "signal", "read", "write",
    "open", "close", "div", "pow", "sqrt", "floor", "ceil", "round", "log", "exp", "sin", "cos", "tan",
    "memcpy", "memset", "strlen", "puts", "putchar", "abort", "y0", "y1", "j0", "j1", "remove", "rename",
    "isalpha", "isdigit", "toupper", "tolower", "LOC", "SRC_FILE", "fmt", "fmt_out", "panic_msg", NULL,
};

static bool is_c_reserved(const char *name)
{
    for (int i = 0; c_keywords[i]; i++)
        if (strcmp(c_keywords[i], name) == 0)
            return true;
    return strncmp(name, "mrs_", 4) == 0 || strncmp(name, "Mrs", 3) == 0 || name[0] == '_';
}

Local *declare_local(Ctx *c, char *name, Type *t, bool is_mut, Span span)
{
    Local *l = NEW(Local);
    l->name = name;
    l->type = t;
    l->is_mut = is_mut;
    l->span = span;
    /* A C name unique in the function: shadowing gets a suffix (x, x_1). */
    int uses = 0;
    for (int i = 0; i < c->fn->locals.len; i++)
        if (strcmp(((Local *)c->fn->locals.items[i])->name, name) == 0)
            uses++;
    const char *base = is_c_reserved(name) ? xprintf("%s_", name) : name;
    if (strcmp(name, "self") == 0)
        base = "self";
    if (strchr(name, ' ')) { /* a name the compiler made ("mrs lhs0"): C's is "mrs_lhs0", which no
                                program's name becomes (a program's `mrs_` names get a `_`) */
        char *cn = xstrdup(name);
        for (char *q = cn; *q; q++)
            if (*q == ' ')
                *q = '_';
        base = cn;
    }
    l->cname = uses ? xprintf("%s_%d", base, uses) : (char *)base;
    l->index = c->fn->locals.len;
    l->closure = c->closure;
    list_push(&c->fn->locals, l);
    list_push(&c->scope->locals, l);
    return l;
}

/* ---- value paths -------------------------------------------------------------- */

static Type **fresh_args(AdtDef *a)
{
    Type **args = arena_alloc(g_arena, sizeof(Type *) * (size_t)(a->nparams + 1));
    for (int i = 0; i < a->nparams; i++)
        args[i] = ty_var(VAR_ANY);
    return args;
}

/* The ADT type args to use for a constructor: from the expected type when
 * it is the same ADT, else fresh variables. */
Type *adt_instance(AdtDef *a, Type *expected)
{
    Type *x = expected ? ty_resolve(expected) : NULL;
    if (x && x->kind == TY_ADT && x->adt == a)
        return x;
    return ty_adt(a, fresh_args(a), a->nparams);
}

Type *field_type(Type *adt_ty, VariantInfo *v, int i)
{
    return ty_subst(v->fields[i].type, adt_ty->args, adt_ty->nargs);
}

static Def *builtin_def(const char *name, BuiltinId id, Type *prim)
{
    Def *d = new_def(DEF_BUILTIN, xstrdup(name), (Span){0});
    d->builtin = id;
    d->type = prim;
    return d;
}

const char *seg_name(Path *p, int i) { return ((PathSeg *)p->segs.items[i])->name; }

/* Resolve a path in value position: locals, items, variants, associated
 * fns and consts, and the std functions/constants mrsc implements. */
Def *resolve_value_path(Ctx *c, Path *p, Span span)
{
    (void)span;
    if (p->qself && p->segs.len == 1) { /* `<Point>::new`: the type's own item */
        Type *qt = ty_resolve(resolve_type(p->qself));
        if (qt->kind == TY_ADT && !qt->adt->builtin)
            return find_assoc(qt->adt, seg_name(p, 0));
        return NULL;
    }
    if (p->qself) {
        /* <T as Trait>::f */
        Type *qt = resolve_type(p->qself);
        TraitDef *tr = p->segs.len == 2 ? find_trait(seg_name(p, 0)) : NULL;
        TraitDef *ti = tr && tr->ntparams ? trait_ref(p->segs.items[0], p->span) : NULL; /* `<T as Convert<u32>>` */
        FnDef *tm = tr ? trait_method(tr, seg_name(p, 1)) : NULL;
        if (!tm && tr && tr->builtin && !strcmp(tr->name, "Default") && !strcmp(seg_name(p, 1), "default"))
            return builtin_def("default", BI_DEFAULT, qt);
        if (!tm && tr) {
            ImplDef *im = find_impl(tr, qt);
            for (int k = 0; im && k < im->consts.len; k++)
                if (!strcmp(((Def *)im->consts.items[k])->name, seg_name(p, 1)))
                    return im->consts.items[k];
            for (int k = 0; k < tr->consts.len; k++)
                if (!strcmp(((Def *)tr->consts.items[k])->name, seg_name(p, 1)))
                    return tr->consts.items[k];
        }
        if (!tm)
            return NULL;
        Def *d = new_def(DEF_FN, tm->name, tm->item->name_span);
        d->fn = tm;
        d->type = qt;
        d->trait = ti;
        return d;
    }
    int n = p->segs.len;
    /* Skip a leading std:: / core:: for std items. */
    int s0 = 0;
    if (is_std_path(p))
        s0 = 1;
    const char *last = seg_name(p, n - 1);
    if (n == 1) {
        Local *l = lookup_local(c, last);
        if (l) {
            Def *d = new_def(DEF_LOCAL, l->name, l->span);
            d->local = l;
            return d;
        }
        Def *d = lookup_global(last, false);
        if (d)
            return d;
        if (strcmp(last, "drop") == 0)
            return builtin_def("drop", BI_DROP, NULL);
        return NULL;
    }
    /* the futures crate's executor, its join and std's futures (`futures::executor::block_on`,
     * `std::future::ready`) */
    if (n == 3 && !strcmp(seg_name(p, 0), "futures") && !strcmp(seg_name(p, 1), "executor") &&
        !strcmp(last, "block_on"))
        return builtin_def(last, BI_BLOCK_ON, NULL);
    bool fut_mod = (n == 3 && !strcmp(seg_name(p, 0), "futures") && !strcmp(seg_name(p, 1), "future")) ||
                   (n == 3 && !strcmp(seg_name(p, 0), "std") && !strcmp(seg_name(p, 1), "future")) ||
                   (n == 2 && !strcmp(seg_name(p, 0), "future")); /* (after `use std::future;`) */
    if (fut_mod) {
        if (!strcmp(last, "join") && !strcmp(seg_name(p, 0), "futures"))
            return builtin_def(last, BI_FUTURE_JOIN, NULL);
        if (!strcmp(last, "join3") && !strcmp(seg_name(p, 0), "futures"))
            return builtin_def(last, BI_FUTURE_JOIN3, NULL);
        if (!strcmp(last, "ready"))
            return builtin_def(last, BI_FUTURE_READY, NULL);
        if (!strcmp(last, "pending")) { /* pending::<T>() */
            PathSeg *ls = p->segs.items[n - 1];
            return builtin_def(last, BI_FUTURE_PENDING, ls->generic_args.len == 1 ? resolve_type(ls->generic_args.items[0]) : NULL);
        }
        if (!strcmp(last, "poll_fn"))
            return builtin_def(last, BI_FUTURE_POLL_FN, NULL);
    }
    /* std::string::String::from -> String::from */
    while (s0 && n - s0 >= 3) {
        const char *m = seg_name(p, s0);
        if (strcmp(m, "string") && strcmp(m, "vec") && strcmp(m, "option") && strcmp(m, "result") &&
            strcmp(m, "primitive") && strcmp(m, "sync"))
            break;
        s0++;
    }
    const char *first = seg_name(p, s0);
    int rest = n - s0;
    /* std::process::exit, std::mem::swap, ... */
    if (rest == 2 && strcmp(first, "process") == 0 && strcmp(last, "exit") == 0)
        return builtin_def("exit", BI_PROCESS_EXIT, NULL);
    if (rest == 2 && !strcmp(first, "ptr") && !strcmp(last, "eq"))
        return builtin_def(last, BI_PTR_EQ, NULL);
    if (rest == 2 && !strcmp(first, "Duration") && !strcmp(last, "ZERO") && lookup_global("Duration", true) &&
        lookup_global("Duration", true)->kind == DEF_STD_TYPE)
        return builtin_def(last, BI_DURATION_ZERO, NULL);
    if (rest == 2 && !strcmp(first, "ptr") && (!strcmp(last, "null") || !strcmp(last, "null_mut")))
        return builtin_def(last, BI_PTR_NULL, !strcmp(last, "null_mut") ? ty_prim(TY_BOOL) : NULL);
    if (rest == 2 && !strcmp(first, "thread") && !strcmp(last, "spawn"))
        return builtin_def(last, BI_THREAD_SPAWN, NULL);
    if (rest == 2 && !strcmp(first, "thread") && !strcmp(last, "sleep"))
        return builtin_def(last, BI_THREAD_SLEEP, NULL);
    if (rest == 2 && !strcmp(first, "thread") && !strcmp(last, "scope"))
        return builtin_def(last, BI_THREAD_SCOPE, NULL);
    if (rest == 2 && !strcmp(first, "mpsc") && !strcmp(last, "channel")) {
        PathSeg *ls = p->segs.items[n - 1];
        return builtin_def(last, BI_CHANNEL, ls->generic_args.len == 1 ? resolve_type(ls->generic_args.items[0]) : NULL);
    }
    if (rest == 2 && strcmp(first, "cmp") == 0 && !strcmp(last, "Reverse")) /* std::cmp::Reverse(x) */
        return lookup_global("cmp::Reverse", false);
    if (rest == 2 && strcmp(first, "cmp") == 0 && (!strcmp(last, "max") || !strcmp(last, "min")))
        return builtin_def(last, !strcmp(last, "max") ? BI_CMP_MAX : BI_CMP_MIN, NULL);
    if (rest == 2 && strcmp(first, "Default") == 0 && strcmp(last, "default") == 0)
        return builtin_def(last, BI_DEFAULT, NULL);
    if (rest == 2 && strcmp(first, "mem") == 0) {
        if (strcmp(last, "swap") == 0) return builtin_def(last, BI_MEM_SWAP, NULL);
        if (strcmp(last, "replace") == 0) return builtin_def(last, BI_MEM_REPLACE, NULL);
        if (strcmp(last, "take") == 0) return builtin_def(last, BI_MEM_TAKE, NULL);
        if (strcmp(last, "drop") == 0) return builtin_def(last, BI_DROP, NULL);
        if (strcmp(last, "size_of") == 0) {
            PathSeg *ls = p->segs.items[n - 1];
            return builtin_def(last, BI_MEM_SIZE_OF, ls->generic_args.len == 1 ? resolve_type(ls->generic_args.items[0])
                                                                             : NULL);
        }
    }
    /* f64::consts::PI, std::f64::consts::PI */
    if (rest == 3 && strcmp(seg_name(p, s0 + 1), "consts") == 0 && prim_by_name(first) &&
        ty_is_float(prim_by_name(first))) {
        return float_const_digits(last) ? builtin_def(last, BI_F64_CONST, prim_by_name(first)) : NULL;
    }
    if (rest != 2)
        return NULL;
    if (consts_float && !s0 && !strcmp(first, consts_name)) /* `consts::PI` after `use std::f64::consts;` */
        return float_const_digits(last) ? builtin_def(last, BI_F64_CONST, consts_float) : NULL;
    if (!strcmp(first, "str") && !strcmp(last, "from_utf8")) /* std::str::from_utf8 (the module, not the type) */
        return builtin_def(last, BI_STR_FROM_UTF8, NULL);
    if (!strcmp(first, "iter")) {
        static const struct { const char *n; BuiltinId id; } srcs[] = {
            {"repeat", BI_ITER_REPEAT}, {"once", BI_ITER_ONCE}, {"from_fn", BI_ITER_FROM_FN},
            {"successors", BI_ITER_SUCCESSORS}};
        for (size_t i = 0; i < sizeof srcs / sizeof srcs[0]; i++)
            if (!strcmp(last, srcs[i].n))
                return builtin_def(last, srcs[i].id, NULL);
    }
    Type *prim = prim_by_name(first);
    if (prim) {
        static const struct { const char *n; BuiltinId id; bool is_float; } k[] = {
            {"MAX", BI_INT_MAX, false}, {"MIN", BI_INT_MIN, false}, {"BITS", BI_INT_BITS, false},
            {"MAX", BI_FLOAT_MAX, true}, {"MIN", BI_FLOAT_MIN, true}, {"EPSILON", BI_FLOAT_EPSILON, true},
            {"INFINITY", BI_FLOAT_INFINITY, true}, {"NEG_INFINITY", BI_FLOAT_NEG_INFINITY, true},
            {"NAN", BI_FLOAT_NAN, true}, {"MIN_POSITIVE", BI_FLOAT_MIN_POSITIVE, true},
            {"from_str_radix", BI_INT_FROM_STR_RADIX, false}, {"try_from", BI_INT_TRY_FROM, false}};
        bool int_like = prim->kind <= TY_USIZE || (prim->kind == TY_CHAR && strcmp(last, "BITS")); /* char::MAX, MIN */
        for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
            if (strcmp(k[i].n, last) == 0 && (k[i].is_float ? ty_is_float(prim) : int_like))
                return builtin_def(last, k[i].id, prim);
        if (strcmp(last, "default") == 0) /* i32::default(), bool::default(): 0, false ... */
            return builtin_def(last, BI_DEFAULT, prim);
        if (prim->kind == TY_CHAR && strcmp(last, "from_u32") == 0)
            return builtin_def(last, BI_CHAR_FROM_U32, prim);
        if (prim->kind == TY_CHAR && strcmp(last, "from_digit") == 0)
            return builtin_def(last, BI_CHAR_FROM_DIGIT, prim);
        return NULL;
    }
    if (strcmp(first, "String") == 0) {
        if (strcmp(last, "default") == 0) return builtin_def(last, BI_DEFAULT, ty_string());
        if (strcmp(last, "new") == 0) return builtin_def(last, BI_STRING_NEW, NULL);
        if (strcmp(last, "from") == 0) return builtin_def(last, BI_STRING_FROM, NULL);
        if (strcmp(last, "with_capacity") == 0) return builtin_def(last, BI_STRING_WITH_CAPACITY, NULL);
        if (strcmp(last, "from_utf8") == 0) return builtin_def(last, BI_STRING_FROM_UTF8, NULL);
        return NULL;
    }
    if (strcmp(first, "Box") == 0 && strcmp(last, "new") == 0 && !lookup_global("Box", true))
        return builtin_def(last, BI_BOX_NEW, NULL);
    if (strcmp(first, "Vec") == 0) {
        Def *d = NULL;
        if (strcmp(last, "new") == 0) d = builtin_def(last, BI_VEC_NEW, NULL);
        if (strcmp(last, "with_capacity") == 0) d = builtin_def(last, BI_VEC_WITH_CAPACITY, NULL);
        if (strcmp(last, "from") == 0) d = builtin_def(last, BI_VEC_FROM, NULL);
        PathSeg *vs = p->segs.items[s0];
        if (d && vs->generic_args.len == 1)
            d->type = resolve_type(vs->generic_args.items[0]);
        return d;
    }
    AdtDef *a = NULL;
    /* a type parameter (T::new(), Self::default_value()) */
    Type *pt = NULL;
    if (!strcmp(first, "Self") && tyenv.self_ty)
        pt = ty_resolve(tyenv.self_ty);
    for (int i = 0; !pt && i < tyenv.nparams; i++)
        if (tyenv.params && tyenv.params[i] && !strcmp(tyenv.params[i], first))
            pt = tyenv.subst ? ty_resolve(tyenv.subst[i]) : ty_param(i, first);
    if (pt && !strcmp(last, "default") && (pt->kind == TY_PARAM || pt->kind <= TY_STR || pt->kind == TY_STD) &&
        satisfies(pt, find_trait("Default")))
        return builtin_def(last, BI_DEFAULT, pt); /* T::default() with `T: Default`; each instance's own */
    if (pt && pt->kind == TY_PARAM && cur_fn && pt->param_index < cur_fn->ntparams) {
        List *bl = &cur_fn->tparam_bounds[pt->param_index];
        for (int i = 0; i < bl->len; i++) {
            TraitDef *bt = bl->items[i];
            for (int k = 0; k < bt->consts.len; k++)
                if (!strcmp(((Def *)bt->consts.items[k])->name, last))
                    return bt->consts.items[k];
        }
        for (int i = 0; i < bl->len; i++) {
            FnDef *tm = trait_method(bl->items[i], last);
            if (tm) {
                Def *d = new_def(DEF_FN, tm->name, tm->item->name_span);
                d->fn = tm;
                d->type = pt;
                if (((TraitDef *)bl->items[i])->generic)
                    d->trait = bl->items[i]; /* `U: TryMake<T>`: U::try_make at that T */
                return d;
            }
        }
        return NULL;
    }
    if (pt && pt->kind != TY_ADT && pt->kind != TY_PARAM) {
        for (int i = 0; i < prog->impls.len; i++) {
            ImplDef *ci = prog->impls.items[i];
            if (!impl_matches(ci, pt, NULL))
                continue;
            for (int k = 0; k < ci->consts.len; k++)
                if (!strcmp(((Def *)ci->consts.items[k])->name, last))
                    return ci->consts.items[k];
        }
        ImplDef *im = NULL;
        FnDef *f = impl_method(pt, last, &im);
        if (f) {
            Def *d = new_def(DEF_FN, f->name, f->item->name_span);
            d->fn = f;
            return d;
        }
    }
    {
        TraitDef *tr = !pt ? find_trait(first) : NULL;
        FnDef *tm = tr ? trait_method(tr, last) : NULL;
        if (tm) {
            Def *d = new_def(DEF_FN, tm->name, tm->item->name_span);
            d->fn = tm;
            return d; /* Self is inferred from the arguments or the expected type */
        }
    }
    if (pt && pt->kind == TY_ADT) {
        a = pt->adt;
        /* a trait's default static fn called as Self::f() on a concrete Self */
    } else if (strcmp(first, "Self") == 0 && c->fn->owner)
        a = c->fn->owner;
    else {
        Def *td = lookup_global(first, true);
        if (td && td->kind == DEF_ADT)
            a = td->adt;
    }
    if (!a)
        return NULL;
    if (!a->nparams) {
        Type *at = pt ? pt : ty_adt(a, NULL, 0);
        FnDef *gd = generic_trait_decl(at, last);
        if (gd) { /* several impls of one generic trait: the arguments choose */
            Def *d = new_def(DEF_FN, gd->name, gd->item->name_span);
            d->fn = gd;
            d->type = at;
            return d;
        }
    }
    if (!strcmp(last, "default") && (a->derives & DERIVE_DEFAULT) && !find_assoc(a, last)) {
        PathSeg *ts = p->segs.items[s0];
        Type **args = arena_alloc(g_arena, sizeof(Type *) * (size_t)(a->nparams + 1));
        for (int i = 0; i < a->nparams; i++)
            args[i] = i < ts->generic_args.len ? resolve_type(ts->generic_args.items[i]) : ty_var(VAR_ANY);
        return builtin_def(last, BI_DEFAULT, ty_adt(a, args, a->nparams));
    }
    if (a->is_enum)
        for (int v = 0; v < a->nvariants; v++)
            if (strcmp(a->variants[v].name, last) == 0) {
                Def *d = new_def(DEF_VARIANT, a->variants[v].name, a->variants[v].span);
                d->adt = a;
                d->variant = v;
                return d;
            }
    return find_assoc(a, last);
}

void report_unresolved(Ctx *c, Path *p, Span span)
{
    (void)c;
    if (p->segs.len == 1 && !strcmp(seg_name(p, 0), "_")) {
        Diag *d = diag_error(NULL, span, "in expressions, `_` can only be used on the left-hand side of an assignment");
        diag_primary_label(d, "`_` not allowed here");
        return;
    }
    if (p->segs.len == 1 && cur_fn && cur_fn->item && nested_local_named(cur_fn->item, seg_name(p, 0))) {
        Diag *d = diag_error("E0434", span, "can't capture dynamic environment in a fn item");
        diag_help(d, "use the `|| { ... }` closure form instead");
        return;
    }
    if (p->segs.len == 1) {
        Diag *d = diag_error("E0425", span, "cannot find value `%s` in this scope", seg_name(p, 0));
        diag_primary_label(d, "not found in this scope");
        return;
    }
    int n = p->segs.len;
    const char *first = seg_name(p, is_std_path(p) ? 1 : 0);
    Def *td = lookup_global(first, true);
    if (td && td->kind == DEF_ADT) {
        Diag *d = diag_error("E0599", ((PathSeg *)p->segs.items[n - 1])->span,
                             "no function or associated item named `%s` found for %s `%s` in the current scope",
                             seg_name(p, n - 1), td->adt->is_enum ? "enum" : "struct", td->adt->name);
        diag_primary_label(d, "%s not found in `%s`", td->adt->is_enum ? "variant or associated item" : "function or associated item", td->adt->name);
        return;
    }
    if (prim_by_name(first) || strcmp(first, "String") == 0 || strcmp(first, "Vec") == 0) {
        diag_error(NULL, span, "`%s::%s` is not supported by mrsc yet", first, seg_name(p, n - 1));
        return;
    }
    if (later_tier_std_type(first)) {
        diag_error(NULL, span, "`%s` is not supported by mrsc yet", first);
        return;
    }
    if (td && td->kind == DEF_STD_TYPE) { /* `Rc::from`: a std fn mrsc does not have */
        diag_error(NULL, span, "`%s::%s` is not supported by mrsc yet", first, seg_name(p, n - 1));
        return;
    }
    if (is_std_path(p)) {
        StrBuf sb;
        sb_init(&sb);
        for (int i = 0; i < n; i++)
            sb_printf(&sb, "%s%s", i ? "::" : "", seg_name(p, i));
        diag_error(NULL, span, "`%s` is not supported by mrsc yet", sb.data);
        sb_free(&sb);
        return;
    }
    Diag *d = diag_error("E0433", ((PathSeg *)p->segs.items[0])->span,
                         "failed to resolve: use of undeclared type `%s`", seg_name(p, 0));
    diag_primary_label(d, "use of undeclared type `%s`", seg_name(p, 0));
}
