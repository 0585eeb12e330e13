/* check.c — name resolution and type checking for Tier 0.
 *
 * requires: a Crate without syntax errors;
 * produces: a Program whose tree is typed (sema.h). One pass collects the
 * items, a second resolves signatures, a third checks each body with
 * bidirectional inference: expected types flow down, inference variables
 * are unified, and a final walk (zonk) replaces every variable by its
 * solution, defaulting {integer} to i32 and {float} to f64 as rustc does.
 * Constructs of later tiers are rejected with "... is not supported by
 * mrsc" at their span. */
#include "sema.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ---- scopes ------------------------------------------------------------ */

typedef struct Scope {
    struct Scope *parent;
    List locals; /* List of Local * in declaration order */
} Scope;

typedef struct LoopCtx {
    struct LoopCtx *parent;
    char *label;     /* "'outer" or NULL */
    Type *break_ty;  /* value type of `break v` (loop / labelled block), or NULL for while/for */
    bool is_loop;    /* `loop` (may break with a value) */
    bool is_block;   /* a labelled block: `continue` may not target it */
    bool has_break;
} LoopCtx;

typedef struct Ctx {
    Program *prog;
    FnDef *fn;        /* the function being checked */
    Scope *scope;
    LoopCtx *loops;
    Type *ret;        /* the fn's return type */
    List vars;        /* List of Type *: every inference variable created (for E0282) */
    List exprs;       /* List of Expr *: every typed expression, to zonk */
    List pats;        /* List of Pat *: every typed pattern, to zonk */
    List matches;     /* List of Expr *: matches to check for exhaustiveness after inference */
    List lets;        /* List of Stmt *: let patterns that must be irrefutable */
    List insts;       /* List of Inst *: generic calls whose bounds are checked after inference */
    List inst_spans;  /* List of Span * (parallel to insts) */
    int shadow_count; /* for unique C names */
    Closure *closure; /* the closure whose body is being checked, or NULL */
    List closures;    /* List of Closure *: every closure of the body, in source order */
    List fn_expect;   /* List of FnExpect *: closure signatures expected by generic calls */
    List closure_calls; /* List of Expr *: calls whose callee is a closure value */
    List mut_uses;    /* List of MutUse *: &mut borrows of locals not declared `mut` (E0596) */
    bool instance;    /* re-checking a generic fn's body for one instance */
} Ctx;

/* A mutable use of a binding that is not `mut`: reported per binding once
 * the body is checked (one use: at the use; several: at the binding). */
typedef struct MutUse {
    Local *root;
    Span span;
    Closure *clo;     /* calling this FnMut closure needs the mutable borrow */
} MutUse;


/* A generic call's type argument that has an Fn bound: a closure passed for
 * it gets its parameter types from the bound (`apply(|x| x + 1)`). */
typedef struct FnExpect {
    Type *var;
    TraitDef *sig;    /* the bound, its types in terms of the call's variables */
} FnExpect;

/* ---- the global namespace ----------------------------------------------- */

typedef struct Global {
    char *name;
    Def *def;
    bool is_type; /* type namespace (structs, enums) vs value namespace */
} Global;

static List globals; /* List of Global * */
static Program *prog;

static Def *new_def(DefKind k, char *name, Span span)
{
    Def *d = NEW(Def);
    d->kind = k;
    d->name = name;
    d->span = span;
    return d;
}

static Def *lookup_global(const char *name, bool type_ns)
{
    for (int i = 0; i < globals.len; i++) {
        Global *g = globals.items[i];
        if (g->is_type == type_ns && strcmp(g->name, name) == 0)
            return g->def;
    }
    return NULL;
}

static void add_global(char *name, Def *def, bool type_ns, Span span)
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
}

static void unsupported(Span span, const char *what)
{
    diag_error(NULL, span, "%s is not supported by mrsc yet", what);
}

/* std types of later tiers, named in a path */
static bool later_tier_std_type(const char *name)
{
    static const char *names[] = {"Rc", "Weak", "RefCell", "Cell", "Arc", "Mutex", "Pin", "HashMap",
                                  "HashSet", "BTreeMap", "BTreeSet", "VecDeque", "Instant", "Duration",
                                  "PhantomPinned", "Context", "Poll", "thread", NULL};
    for (int i = 0; names[i]; i++)
        if (!strcmp(names[i], name))
            return true;
    return false;
}

/* ---- builtin Option and Result ------------------------------------------ */

static AdtDef *make_builtin_enum(const char *name, const char *p0, const char *p1,
                                 const char *v0, int n0, const char *v1, int n1)
{
    AdtDef *a = NEW(AdtDef);
    a->name = xstrdup(name);
    a->is_enum = true;
    a->builtin = true;
    a->nparams = p1 ? 2 : 1;
    a->param_names = arena_alloc(g_arena, sizeof(char *) * 2);
    a->param_names[0] = xstrdup(p0);
    if (p1)
        a->param_names[1] = xstrdup(p1);
    a->nvariants = 2;
    a->variants = arena_alloc(g_arena, sizeof(VariantInfo) * 2);
    const char *vn[2] = {v0, v1};
    int nf[2] = {n0, n1};
    for (int v = 0; v < 2; v++) {
        VariantInfo *vi = &a->variants[v];
        vi->name = xstrdup(vn[v]);
        vi->kind = nf[v] ? SK_TUPLE : SK_UNIT;
        vi->nfields = nf[v];
        vi->discr = v;
        if (nf[v]) {
            vi->fields = NEW(FieldInfo);
            vi->fields[0].name = xstrdup("0");
            /* Option: Some(T); Result: Ok(T), Err(E) */
            vi->fields[0].type = ty_param(p1 && v == 1 ? 1 : 0, NULL);
        }
    }
    a->derives = DERIVE_DEBUG | DERIVE_CLONE | DERIVE_COPY | DERIVE_PARTIAL_EQ | DERIVE_EQ |
                 DERIVE_PARTIAL_ORD | DERIVE_ORD;
    return a;
}

static void add_variant_globals(AdtDef *a)
{
    for (int v = 0; v < a->nvariants; v++) {
        Def *d = new_def(DEF_VARIANT, a->variants[v].name, (Span){0});
        d->adt = a;
        d->variant = v;
        add_global(a->variants[v].name, d, false, (Span){0});
    }
}

/* ---- type expressions ---------------------------------------------------- */

typedef struct TyEnv {
    AdtDef *self_adt;  /* inside an impl: what `Self` names */
    Type *self_ty;
    AdtDef *generic_owner; /* ADT whose params are in scope (struct/enum field types) */
    char **params;     /* generic parameters in scope (a fn's, with its impl's) */
    int nparams;
    Type **subst;      /* when checking an instance: what each parameter is */
    ImplDef *impl;     /* inside a trait impl: its associated types (Self::Item) */
    TraitDef *trait;   /* inside a trait: Self::X names its associated types */
    List *bounds;      /* the bounds of params (T::Output) */
} TyEnv;

static TyEnv tyenv;
static FnDef *cur_fn; /* the fn whose body is being checked (its parameters' bounds) */
static AdtDef *fmt_error; /* std::fmt::Error */

static bool fmt_trait_ok(Type *t, FmtTrait trait, Span span, bool report);

static Type *fmt_result_type(void)
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

static Type *prim_by_name(const char *name)
{
    for (size_t i = 0; i < sizeof prim_table / sizeof prim_table[0]; i++)
        if (strcmp(prim_table[i].name, name) == 0)
            return ty_prim(prim_table[i].kind);
    return NULL;
}

static PathSeg *last_seg(Path *p) { return p->segs.items[p->segs.len - 1]; }

static Type *resolve_type(TypeExpr *te);

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
        /* fmt::Result = Result<(), fmt::Error> */
        Type *args[2] = {ty_unit(), ty_adt(fmt_error, NULL, 0)};
        return ty_adt(prog->result, args, 2);
    }
    const char *m0 = ((PathSeg *)p->segs.items[0])->name;
    bool module_path = !strcmp(m0, "fmt") || !strcmp(m0, "cmp") || !strcmp(m0, "ops") || !strcmp(m0, "iter") ||
                       !strcmp(m0, "string") || !strcmp(m0, "vec") || !strcmp(m0, "num") || !strcmp(m0, "option") ||
                       !strcmp(m0, "result");
    if (p->segs.len == 2 && !strcmp(m0, "Self") && tyenv.trait) {
        for (int i = 0; i < tyenv.trait->assoc_types.len; i++)
            if (!strcmp(tyenv.trait->assoc_types.items[i], name))
                return ty_proj(tyenv.self_ty ? tyenv.self_ty : ty_param(0, "Self"), tyenv.trait, i);
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
                        return ty_proj(base, bt, j);
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
    if ((!d || d->kind != DEF_ADT) && later_tier_std_type(name)) {
        diag_error(NULL, te->span, "`%s` is not supported by mrsc yet", name);
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

static FnDef *trait_method(TraitDef *t, const char *name);
static TraitDef *find_trait(const char *name);

/* E0038: a trait usable as `dyn` has only methods with a self receiver,
 * no type parameters of their own, and no `Self` in their return type. */
static void check_object_safe(TraitDef *t, Span span)
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

static TraitDef *fn_sugar_trait(PathSeg *ls, Span span);

static Type *resolve_type(TypeExpr *te)
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
        }
        if (!tr) {
            unsupported(te->span, "this trait object");
            t = ty_error();
            break;
        }
        if (!tr->builtin)
            check_object_safe(tr, te->span);
        else if (strcmp(tr->name, "Display") && strcmp(tr->name, "Debug"))
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

/* ---- item collection ------------------------------------------------------ */

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
            strcmp(a->name, "expect"))
            diag_error(NULL, a->span, "the attribute `#[%s]` is not supported by mrsc", a->name);
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
static void resolve_fields(FieldInfo **out, int *nout, List *fields)
{
    *nout = fields->len;
    *out = arena_alloc(g_arena, sizeof(FieldInfo) * (size_t)(fields->len + 1));
    for (int i = 0; i < fields->len; i++) {
        FieldDef *f = fields->items[i];
        (*out)[i].name = f->name ? f->name : xprintf("%d", i);
        (*out)[i].type = resolve_type(f->type);
        (*out)[i].span = f->span;
        if (f->attrs.len)
            check_item_attrs(&f->attrs);
    }
}

static void resolve_adt(AdtDef *a)
{
    Item *it = a->item;
    tyenv = (TyEnv){.generic_owner = a->nparams ? a : NULL};
    if (!a->is_enum) {
        a->nvariants = 1;
        a->variants = NEW(VariantInfo);
        a->variants[0].name = a->name;
        a->variants[0].kind = it->struct_kind;
        a->variants[0].span = it->name_span;
        resolve_fields(&a->variants[0].fields, &a->variants[0].nfields, &it->fields);
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
        resolve_fields(&vi->fields, &vi->nfields, &var->fields);
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
    tyenv = (TyEnv){0};
}

static FnDef *new_fn(Item *it, AdtDef *owner)
{
    FnDef *f = NEW(FnDef);
    f->name = it->name;
    f->item = it;
    f->owner = owner;
    f->self_kind = it->sig->self_kind;
    f->self_mut = it->sig->self_mut;
    f->cname = owner ? xprintf("%s_%s", owner->name, it->name) : it->name;
    FnSig *sig = it->sig;
    if (sig->is_async)
        unsupported(sig->span, "`async fn` (Tier 4)");
    if (sig->is_unsafe)
        unsupported(sig->span, "`unsafe fn` (Tier 4)");
    check_item_attrs(&it->attrs);
    return f;
}

/* The closure traits: one TraitDef per (kind, signature), interned, so that
 * `dyn Fn(i32) -> i32` written twice is one type. */
static List fn_traits; /* List of TraitDef * */

static TraitDef *fn_trait(int kind, Type **params, int n, Type *ret)
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

static void add_bounds(List *out, List *bounds)
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
        TraitDef *t = find_trait(ls->name);
        if (!t) {
            static const char *std_traits[] = {"FromStr", "Hash", "Sized", "Send", "Sync", "AsRef", "AsMut",
                                               "Borrow", "Into", "ToString", "Fn", "FnMut", "FnOnce", "Unpin",
                                               "Future", "Deref", "DerefMut", "IntoIterator",
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
        list_push(out, t);
    }
}

/* `impl Trait` anywhere in a parameter type (`&impl T`, `&[impl T]`). */
static void find_impl_traits(TypeExpr *te, List *out)
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
static void set_generics(FnDef *f, char **pre, List *pre_bounds, int npre)
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
    if (g)
        for (int i = 0; i < g->params.len; i++) {
            GenericParam *gp = g->params.items[i];
            if (gp->kind == GP_CONST)
                unsupported(gp->span, "a const generic parameter");
            if (gp->kind != GP_TYPE)
                continue;
            add_bounds(&f->tparam_bounds[k], &gp->bounds);
            k++;
        }
    for (int i = 0; i < impls.len; i++) {
        TypeExpr *te = impls.items[i];
        f->tparam_names[k] = NULL; /* anonymous */
        add_bounds(&f->tparam_bounds[k], &te->bounds);
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
                if (f->tparam_names[j] && !strcmp(f->tparam_names[j], nm))
                    add_bounds(&f->tparam_bounds[j], &w->bounds);
        }
    tyenv = saved_env;
}

static void resolve_sig(FnDef *f)
{
    FnSig *sig = f->item->sig;
    if (f->ntparams) {
        tyenv.params = f->tparam_names;
        tyenv.nparams = f->ntparams;
        tyenv.bounds = f->tparam_bounds;
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
        default:
            unsupported(sig->self_span, "this `self` type");
            f->params[k++] = ty_error();
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
        f->ret_bounds = (List){0};
        for (int i = 0; i < sig->ret->bounds.len; i++) {
            Bound *b = sig->ret->bounds.items[i];
            if (b->kind != BOUND_TRAIT)
                continue;
            TraitDef *t = last_seg(b->path)->is_fn_sugar ? fn_sugar_trait(last_seg(b->path), b->span)
                                                         : find_trait(last_seg(b->path)->name);
            if (t)
                list_push(&f->ret_bounds, t);
        }
        sig->ret->ty = f->ret;
    } else {
        f->ret = sig->ret ? resolve_type(sig->ret) : ty_unit();
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

static void collect_items(List *items);

/* ---- traits (Tier 1a) ---------------------------------------------------------
 * A trait is a TraitDef; `impl Trait for Type` an ImplDef whose methods are
 * ordinary FnDefs (C name Type_method) found by method lookup after the
 * inherent methods. The std traits mrsc knows (Display, Debug, PartialEq,
 * PartialOrd, Ord, Clone, Copy, Default, Iterator) are builtin TraitDefs; a
 * manual impl of PartialEq/PartialOrd/Ord/Clone/Copy marks the type as if it
 * derived the trait, and codegen calls the user's method. */

static TraitDef *find_trait(const char *name)
{
    Def *d = lookup_global(name, true);
    return d && d->kind == DEF_TRAIT ? d->trait : NULL;
}

static TraitDef *builtin_trait(const char *name)
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

static FnDef *trait_method(TraitDef *t, const char *name)
{
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

static void collect_trait(Item *it)
{
    TraitDef *t = NEW(TraitDef);
    t->name = it->name;
    t->item = it;
    t->span = it->name_span;
    if (it->generics && it->generics->params.len)
        for (int i = 0; i < it->generics->params.len; i++)
            if (((GenericParam *)it->generics->params.items[i])->kind != GP_LIFETIME) {
                unsupported(it->generics->span, "a generic trait");
                break;
            }
    Def *d = new_def(DEF_TRAIT, it->name, it->name_span);
    d->trait = t;
    it->def = d;
    add_global(it->name, d, true, it->name_span);
    list_push(&prog->traits, t);
}

/* Signatures of a trait's methods: Self is TY_PARAM 0. */
static void resolve_trait(TraitDef *t)
{
    Item *it = t->item;
    for (int i = 0; i < it->supertraits.len; i++) {
        Bound *b = it->supertraits.items[i];
        if (b->kind != BOUND_TRAIT)
            continue;
        TraitDef *st = find_trait(last_seg(b->path)->name);
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
            List *selfb = arena_alloc(g_arena, sizeof(List));
            list_push(selfb, t);
            char *selfn[1] = {"Self"};
            set_generics(f, selfn, selfb, 1);
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
}

static bool has_method_named(Type *self, const char *name, FnDef *except);
static bool has_error(Type *t);
static bool could_unify(Type *a, Type *b);
static bool unify(Type *a, Type *b);

/* The type parameters of an impl (`impl<T: A, U> .. where T: B`): names and bounds. */
static int impl_generics(Item *it, char ***names_out, List **bounds_out)
{
    *names_out = NULL;
    *bounds_out = NULL;
    if (!it->generics || !it->generics->params.len)
        return 0;
    int np = it->generics->params.len, n = 0;
    char **names = arena_alloc(g_arena, sizeof(char *) * (size_t)np);
    List *bounds = arena_alloc(g_arena, sizeof(List) * (size_t)np);
    for (int i = 0; i < np; i++) {
        GenericParam *gp = it->generics->params.items[i];
        if (gp->kind != GP_TYPE)
            continue;
        names[n] = gp->name;
        add_bounds(&bounds[n], &gp->bounds);
        n++;
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
    *names_out = names;
    *bounds_out = bounds;
    return n;
}

/* An impl's self type, resolved with the impl's own generic parameters in scope. */
static Type *impl_self_type(Item *it, char ***names, List **bounds, int *nimpl)
{
    *nimpl = impl_generics(it, names, bounds);
    tyenv = (TyEnv){.params = *names, .nparams = *nimpl};
    Type *self = resolve_type(it->self_ty);
    tyenv = (TyEnv){0};
    return self;
}

static void collect_trait_impl(Item *it)
{
    const char *tname = last_seg(it->trait_path)->name;
    TraitDef *tr = find_trait(tname);
    if (!tr && (!strcmp(tname, "FromStr") || !strcmp(tname, "Hash") ||
                !strcmp(tname, "Deref") || !strcmp(tname, "DerefMut") || !strcmp(tname, "Future") ||
                !strcmp(tname, "Error") || !strcmp(tname, "AsRef") || !strcmp(tname, "Into") ||
                !strcmp(tname, "IntoIterator"))) {
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
    /* E0119: two impls of one trait that can apply to the same type */
    for (int i = 0; i < prog->impls.len; i++) {
        ImplDef *o = prog->impls.items[i];
        if (o->trait != tr)
            continue;
        bool overlap = o->self_ty == self || (o->nparams && ty_resolve(o->self_ty)->kind == TY_PARAM) ||
                       (nimpl && ty_resolve(self)->kind == TY_PARAM);
        PathSeg *ts = last_seg(it->trait_path);
        if (overlap && (o->trait_arg || ts->generic_args.len)) {
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
            return;
        }
    }
    if (tr->builtin && !nimpl) {
        Type *local = self;
        while (local->kind == TY_REF)
            local = ty_resolve(local->args[0]);
        if (!(local->kind == TY_ADT && !local->adt->builtin) && local->kind != TY_DYN) {
            Diag *d = diag_error("E0117", it->span,
                                 "only traits defined in the current crate can be implemented for types defined outside of the crate");
            diag_label(d, it->self_ty->span, "`%s` is not defined in the current crate", ty_str(self));
            diag_note(d, "impl doesn't have any local type before any uncovered type parameters");
            return;
        }
    }
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
        if (m->kind == IT_TYPE) {
            tyenv = (TyEnv){.params = names, .nparams = nimpl, .self_ty = self};
            list_push(&im->assoc_names, m->name);
            list_push(&im->assoc_types, m->type ? resolve_type(m->type) : ty_error());
            tyenv = (TyEnv){0};
        }
    }
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
            f->trait = tr;
            f->impl = im;
            f->impl_self = self;
            bool clash = has_method_named(self, m->name, NULL);
            f->cname = clash ? xprintf("%s_%s_%s", tyname, tr->name, m->name) : xprintf("%s_%s", tyname, m->name);
            for (char *c = f->cname; *c; c++)
                if (!(isalnum((unsigned char)*c) || *c == '_'))
                    *c = '_';
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
            d->cname = xprintf("%s_%s", tyname, m->name);
            for (char *q = d->cname; *q; q++)
                if (!(isalnum((unsigned char)*q) || *q == '_'))
                    *q = '_';
            list_push(&im->consts, d);
            list_push(&prog->consts, d);
        } else {
            unsupported(m->span, "this item in a trait impl");
        }
    }
    tyenv = (TyEnv){0};
    /* the trait's consts this impl leaves to their defaults */
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
        d->cname = xprintf("%s_%s", tyname, tc->name);
        for (char *q = d->cname; *q; q++)
            if (!(isalnum((unsigned char)*q) || *q == '_'))
                *q = '_';
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
    if (!strcmp(tr->name, "Drop")) {
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
    }
}

static bool satisfies(Type *t, TraitDef *tr);

static ImplDef *find_impl_args(TraitDef *tr, Type *t, Type ***args);

/* <T as Trait>::X once T is known: the impl's type for X. */
static Type *raw_resolve(Type *t)
{
    while (t->kind == TY_VAR && t->link)
        t = t->link;
    return t;
}

static Type *normalize(Type *t)
{
    t = raw_resolve(t);
    if (t->kind != TY_PROJ)
        return t;
    Type *base = raw_resolve(t->args[0]);
    if (base->kind == TY_PARAM || base->kind == TY_VAR)
        return t;
    Type **args = NULL;
    ImplDef *im = find_impl_args(t->trait, base, &args);
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
static bool impl_matches(ImplDef *im, Type *t, Type ***out)
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
    impl_depth++;
    bool ok = true;
    for (int i = 0; i < im->nparams && ok; i++) {
        if (!args[i]) {
            ok = false;
            break;
        }
        for (int k = 0; k < im->param_bounds[i].len && ok; k++)
            ok = satisfies(args[i], im->param_bounds[i].items[k]);
    }
    impl_depth--;
    if (ok && out)
        *out = args;
    return ok;
}

/* The impl of trait tr for type t, or NULL. */
static ImplDef *find_impl_args(TraitDef *tr, Type *t, Type ***args)
{
    t = ty_resolve(t);
    for (int i = 0; i < prog->impls.len; i++) {
        ImplDef *im = prog->impls.items[i];
        if (im->trait == tr && impl_matches(im, t, args))
            return im;
    }
    return NULL;
}

static ImplDef *find_impl(TraitDef *tr, Type *t) { return find_impl_args(tr, t, NULL); }

static bool type_implements(Type *t, TraitDef *tr)
{
    return satisfies(t, tr);
}

static Type **impl_args_found; /* the type arguments of the impl impl_method found */

/* A trait method implemented for t: the impl's own method, or NULL. */
static FnDef *impl_method(Type *t, const char *name, ImplDef **out)
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
static Inst *new_inst(Ctx *c, FnDef *f, PathSeg *turbofish, int first, Span span);
static bool unify(Type *a, Type *b);

static Inst *impl_inst(Ctx *c, FnDef *f, ImplDef *im, Span span)
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
static FnDef *op_impl(const char *trait, Type *lhs, Type *rhs)
{
    TraitDef *tr = find_trait(trait);
    lhs = ty_resolve(lhs);
    for (int i = 0; tr && i < prog->impls.len; i++) {
        ImplDef *im = prog->impls.items[i];
        if (im->trait != tr || im->nparams || im->self_ty != lhs)
            continue;
        Type *want = im->trait_arg ? im->trait_arg : im->self_ty;
        if (rhs && !could_unify(want, rhs))
            continue;
        if (rhs)
            unify(want, rhs);
        return im->methods.len ? im->methods.items[0] : NULL;
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
static void collect_items(List *items)
{
    for (int i = 0; i < items->len; i++) {
        Item *it = items->items[i];
        switch (it->kind) {
        case IT_STRUCT:
        case IT_ENUM:
            collect_adt(it);
            break;
        case IT_FN: {
            FnDef *f = new_fn(it, NULL);
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
        case IT_TYPE:
            unsupported(it->span, "a type alias");
            break;
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

static Def *resolve_value_path(Ctx *c, Path *p, Span span);

/* `use` items: enum variants (`use Dir::*`, `use Op::{Add, Sub}`) and the
 * std functions mrsc knows (`use std::cmp::max`); other std paths are
 * accepted and resolved where they are used. */
static void use_name(char **segs, int n, const char *rename, Span span)
{
    int s0 = n > 0 && (!strcmp(segs[0], "std") || !strcmp(segs[0], "core") || !strcmp(segs[0], "crate") ||
                       !strcmp(segs[0], "self")) ? 1 : 0;
    if (n - s0 == 2) {
        const char *a = segs[s0], *b = segs[s0 + 1];
        const char *as = rename ? rename : b;
        Def *d = NULL;
        if (!strcmp(a, "cmp") && (!strcmp(b, "max") || !strcmp(b, "min"))) {
            d = new_def(DEF_BUILTIN, (char *)b, span);
            d->builtin = !strcmp(b, "max") ? BI_CMP_MAX : BI_CMP_MIN;
        } else if (!strcmp(a, "mem") && (!strcmp(b, "swap") || !strcmp(b, "replace") || !strcmp(b, "take"))) {
            d = new_def(DEF_BUILTIN, (char *)b, span);
            d->builtin = !strcmp(b, "swap") ? BI_MEM_SWAP : !strcmp(b, "replace") ? BI_MEM_REPLACE : BI_MEM_TAKE;
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
    if (n >= 2) {
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

/* Second pass: signatures, fields, impls. */
static void resolve_items(List *items)
{
    for (int i = 0; i < prog->adts.len; i++)
        resolve_adt(prog->adts.items[i]);
    for (int i = 0; i < prog->traits.len; i++)
        if (!((TraitDef *)prog->traits.items[i])->builtin)
            resolve_trait(prog->traits.items[i]);
    for (int i = 0; i < items->len; i++) {
        Item *it = items->items[i];
        if (it->kind == IT_USE && it->use)
            use_tree(it->use, NULL, 0);
        else if (it->kind == IT_FN && it->body)
            collect_uses_in_block(it->body);
    }
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
}

/* ---- unification ---------------------------------------------------------- */

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

static Type *normalize(Type *t);

/* Closure types are one per expression (an instance's re-check makes a new
 * Closure for the same expression: the same type at the same arguments). */
static bool same_closure(Type *a, Type *b)
{
    return a->clo == b->clo || (a->clo && b->clo && a->clo->expr == b->clo->expr);
}

static bool unify(Type *a, Type *b)
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
    if (a->kind != b->kind || a->nargs != b->nargs || a->adt != b->adt || a->trait != b->trait || a->len != b->len ||
        a->is_mut != b->is_mut || a->inclusive != b->inclusive || a->iter_kind != b->iter_kind ||
        a->param_index != b->param_index || !same_closure(a, b)) /* no two closures have the same type */
        return false;
    for (int i = 0; i < a->nargs; i++)
        if (!unify(a->args[i], b->args[i]))
            return false;
    return true;
}

static bool has_error(Type *t)
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
static bool could_unify(Type *a, Type *b)
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
    if (a->kind != b->kind || a->nargs != b->nargs || a->adt != b->adt || a->trait != b->trait || a->len != b->len ||
        a->is_mut != b->is_mut || a->param_index != b->param_index || !same_closure(a, b))
        return false;
    for (int i = 0; i < a->nargs; i++)
        if (!could_unify(a->args[i], b->args[i]))
            return false;
    return true;
}

static Diag *mismatch(Span span, Type *expected, Type *found)
{
    if (has_error(expected) || has_error(found))
        return diag_dummy();
    Diag *d = diag_error("E0308", span, "mismatched types");
    diag_primary_label(d, "expected `%s`, found `%s`", ty_str(expected), ty_str(found));
    return d;
}

static Adjust *new_adjust(int derefs, int autoref, CoerceKind co, Type *target)
{
    Adjust *a = NEW(Adjust);
    a->derefs = derefs;
    a->autoref = autoref;
    a->coerce = co;
    a->target = target;
    return a;
}

static bool satisfies(Type *t, TraitDef *tr);

/* Try the coercions rustc applies at coercion sites (let with a type,
 * arguments, returns, struct fields, array elements). */
static bool try_coerce(Expr *e, Type *found, Type *expected)
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
    if (f->kind == TY_BOX && x->kind == TY_BOX) {
        Type *fi = ty_resolve(f->args[0]), *xi = ty_resolve(x->args[0]);
        if (xi->kind == TY_DYN && fi->kind != TY_DYN && fi->kind != TY_VAR && satisfies(fi, xi->trait)) {
            e->adjust = new_adjust(0, 0, CO_BOX_DYN, x);
            return true;
        }
    }
    if (f->kind == TY_REF && x->kind == TY_REF && (!x->is_mut || f->is_mut)) {
        Type *fi = ty_resolve(f->args[0]), *xi = ty_resolve(x->args[0]);
        if (fi->kind == TY_STRING && xi->kind == TY_STR) {
            e->adjust = new_adjust(0, 0, CO_STRING_TO_STR, x);
            return true;
        }
        if (fi->kind == TY_VEC && xi->kind == TY_SLICE && unify(fi->args[0], xi->args[0])) {
            e->adjust = new_adjust(0, 0, CO_VEC_TO_SLICE, x);
            return true;
        }
        if (xi->kind == TY_DYN && fi->kind == TY_VAR && fi->var_kind != VAR_ANY) {
            unify(fi, ty_prim(fi->var_kind == VAR_INT ? TY_I32 : TY_F64)); /* rustc's literal fallback */
            fi = ty_resolve(fi);
        }
        if (xi->kind == TY_DYN && fi->kind != TY_DYN && fi->kind != TY_VAR && satisfies(fi, xi->trait)) {
            e->adjust = new_adjust(0, 0, CO_DYN, x);
            return true;
        }
        if (fi->kind == TY_ARRAY && xi->kind == TY_SLICE && unify(fi->args[0], xi->args[0])) {
            e->adjust = new_adjust(0, 0, CO_ARRAY_TO_SLICE, x);
            return true;
        }
        if ((fi->kind == TY_REF && unify(fi, x)) || (fi->kind == TY_BOX && unify(fi->args[0], xi))) {
            /* &&T -> &T, &Box<T> -> &T */
            e->adjust = new_adjust(0, 0, CO_DEREF_REF, x);
            return true;
        }
        if (f->is_mut && !x->is_mut && unify(fi, xi)) {
            e->adjust = new_adjust(0, 0, CO_MUT_TO_CONST, x);
            return true;
        }
    }
    return false;
}

/* Check that `e` (already typed `found`) can be used where `expected` is
 * required. Reports E0308 on failure. */
static void check_object_safe(TraitDef *t, Span span);

static bool coerce(Expr *e, Type *found, Type *expected)
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

/* ---- locals and scopes ------------------------------------------------------ */

static void push_scope(Ctx *c)
{
    Scope *s = NEW(Scope);
    s->parent = c->scope;
    c->scope = s;
}

static void pop_scope(Ctx *c) { c->scope = c->scope->parent; }

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

static Local *declare_local(Ctx *c, char *name, Type *t, bool is_mut, Span span)
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
    l->cname = uses ? xprintf("%s_%d", base, uses) : (char *)base;
    l->index = c->fn->locals.len;
    l->closure = c->closure;
    list_push(&c->fn->locals, l);
    list_push(&c->scope->locals, l);
    return l;
}

/* ---- expressions ------------------------------------------------------------- */

static Type *check_expr(Ctx *c, Expr *e, Type *expected);
static Type *check_block(Ctx *c, Block *b, Type *expected);
static void check_pat(Ctx *c, Pat *p, Type *t, bool refutable);
static Type *check_method(Ctx *c, Expr *e, Type *expected);
static Type *check_macro(Ctx *c, Expr *e, Type *expected);

/* check_expr then coerce to `expected` (a coercion site). */
static Type *check_coerce(Ctx *c, Expr *e, Type *expected)
{
    Type *t = check_expr(c, e, expected);
    if (expected)
        coerce(e, t, expected);
    return expected ? expected : t;
}

static Type *set_ty(Ctx *c, Expr *e, Type *t)
{
    e->ty = t;
    list_push(&c->exprs, e);
    return t;
}

static Type **fresh_args(AdtDef *a)
{
    Type **args = arena_alloc(g_arena, sizeof(Type *) * (size_t)(a->nparams + 1));
    for (int i = 0; i < a->nparams; i++)
        args[i] = ty_var(VAR_ANY);
    return args;
}

/* The ADT type args to use for a constructor: from the expected type when
 * it is the same ADT, else fresh variables. */
static Type *adt_instance(AdtDef *a, Type *expected)
{
    Type *x = expected ? ty_resolve(expected) : NULL;
    if (x && x->kind == TY_ADT && x->adt == a)
        return x;
    return ty_adt(a, fresh_args(a), a->nparams);
}

static Type *field_type(Type *adt_ty, VariantInfo *v, int i)
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

static const char *seg_name(Path *p, int i) { return ((PathSeg *)p->segs.items[i])->name; }

/* Resolve a path in value position: locals, items, variants, associated
 * fns and consts, and the std functions/constants mrsc implements. */
static Def *resolve_value_path(Ctx *c, Path *p, Span span)
{
    (void)span;
    if (p->qself) {
        /* <T as Trait>::f */
        Type *qt = resolve_type(p->qself);
        TraitDef *tr = p->segs.len == 2 ? find_trait(seg_name(p, 0)) : NULL;
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
    /* std::string::String::from -> String::from */
    while (s0 && n - s0 >= 3) {
        const char *m = seg_name(p, s0);
        if (strcmp(m, "string") && strcmp(m, "vec") && strcmp(m, "option") && strcmp(m, "result") &&
            strcmp(m, "primitive"))
            break;
        s0++;
    }
    const char *first = seg_name(p, s0);
    int rest = n - s0;
    /* std::process::exit, std::mem::swap, ... */
    if (rest == 2 && strcmp(first, "process") == 0 && strcmp(last, "exit") == 0)
        return builtin_def("exit", BI_PROCESS_EXIT, NULL);
    if (rest == 2 && strcmp(first, "cmp") == 0 && (!strcmp(last, "max") || !strcmp(last, "min")))
        return builtin_def(last, !strcmp(last, "max") ? BI_CMP_MAX : BI_CMP_MIN, NULL);
    if (rest == 2 && strcmp(first, "Default") == 0 && strcmp(last, "default") == 0)
        return builtin_def(last, BI_DEFAULT, NULL);
    if (rest == 2 && strcmp(first, "mem") == 0) {
        if (strcmp(last, "swap") == 0) return builtin_def(last, BI_MEM_SWAP, NULL);
        if (strcmp(last, "replace") == 0) return builtin_def(last, BI_MEM_REPLACE, NULL);
        if (strcmp(last, "take") == 0) return builtin_def(last, BI_MEM_TAKE, NULL);
        if (strcmp(last, "drop") == 0) return builtin_def(last, BI_DROP, NULL);
    }
    /* f64::consts::PI, std::f64::consts::PI */
    if (rest == 3 && strcmp(seg_name(p, s0 + 1), "consts") == 0 && prim_by_name(first) &&
        ty_is_float(prim_by_name(first))) {
        static const struct { const char *n; BuiltinId id; } k[] = {
            {"PI", BI_F64_PI}, {"E", BI_F64_E}, {"SQRT_2", BI_F64_SQRT_2}, {"LN_2", BI_F64_LN_2}, {"TAU", BI_F64_TAU}};
        for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
            if (strcmp(k[i].n, last) == 0)
                return builtin_def(last, k[i].id, prim_by_name(first));
        return NULL;
    }
    if (rest != 2)
        return NULL;
    Type *prim = prim_by_name(first);
    if (prim) {
        static const struct { const char *n; BuiltinId id; bool is_float; } k[] = {
            {"MAX", BI_INT_MAX, false}, {"MIN", BI_INT_MIN, false}, {"BITS", BI_INT_BITS, false},
            {"MAX", BI_FLOAT_MAX, true}, {"MIN", BI_FLOAT_MIN, true}, {"EPSILON", BI_FLOAT_EPSILON, true},
            {"INFINITY", BI_FLOAT_INFINITY, true}, {"NEG_INFINITY", BI_FLOAT_NEG_INFINITY, true},
            {"NAN", BI_FLOAT_NAN, true}, {"MIN_POSITIVE", BI_FLOAT_MIN_POSITIVE, true},
            {"from_str_radix", BI_INT_FROM_STR_RADIX, false}};
        for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
            if (strcmp(k[i].n, last) == 0 && k[i].is_float == ty_is_float(prim))
                return builtin_def(last, k[i].id, prim);
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
        return NULL;
    }
    if (strcmp(first, "Box") == 0 && strcmp(last, "new") == 0 && !lookup_global("Box", true))
        return builtin_def(last, BI_BOX_NEW, NULL);
    if (strcmp(first, "Vec") == 0) {
        Def *d = NULL;
        if (strcmp(last, "new") == 0) d = builtin_def(last, BI_VEC_NEW, NULL);
        if (strcmp(last, "with_capacity") == 0) d = builtin_def(last, BI_VEC_WITH_CAPACITY, NULL);
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

static void report_unresolved(Ctx *c, Path *p, Span span)
{
    (void)c;
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

static Type *def_value_type(Ctx *c, Def *d, Expr *e, Type *expected)
{
    (void)c;
    switch (d->kind) {
    case DEF_LOCAL:
        return d->local->type;
    case DEF_FN: {
        FnDef *f = d->fn;
        return ty_fn(f->params, f->nparams, f->ret);
    }
    case DEF_CONST:
    case DEF_STATIC:
        return d->type ? d->type : ty_error();
    case DEF_VARIANT:
    case DEF_ADT: {
        AdtDef *a = d->adt;
        VariantInfo *v = &a->variants[d->kind == DEF_VARIANT ? d->variant : 0];
        Type *self = adt_instance(a, NULL);
        if (v->kind == SK_UNIT)
            return adt_instance(a, expected);
        if (v->kind == SK_TUPLE) {
            Type *ps[v->nfields + 1];
            for (int i = 0; i < v->nfields; i++)
                ps[i] = field_type(self, v, i);
            return ty_fn(ps, v->nfields, self);
        }
        Diag *dg = diag_error("E0533", e->span, "expected value, found struct variant `%s`", v->name);
        (void)dg;
        return ty_error();
    }
    case DEF_BUILTIN:
        switch (d->builtin) {
        case BI_INT_MAX: case BI_INT_MIN:
        case BI_FLOAT_MAX: case BI_FLOAT_MIN: case BI_FLOAT_EPSILON: case BI_FLOAT_INFINITY:
        case BI_FLOAT_NEG_INFINITY: case BI_FLOAT_NAN: case BI_FLOAT_MIN_POSITIVE:
        case BI_F64_PI: case BI_F64_E: case BI_F64_SQRT_2: case BI_F64_LN_2: case BI_F64_TAU:
            return d->type;
        case BI_INT_BITS:
            return ty_prim(TY_U32);
        default:
            unsupported(e->span, "using this std function as a value");
            return ty_error();
        }
    default:
        return ty_error();
    }
}

static Type *check_path_expr(Ctx *c, Expr *e, Type *expected)
{
    Def *d = resolve_value_path(c, e->path, e->span);
    if (!d) {
        report_unresolved(c, e->path, e->span);
        return ty_error();
    }
    e->def = d;
    e->path->def = d;
    return def_value_type(c, d, e, expected);
}

/* Check call arguments against parameter types; E0061 on a count mismatch. */
static void check_args(Ctx *c, Expr *call, Span callee_span, List *args, Type **params, int nparams,
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
    case BI_MEM_TAKE: {
        Type *t = ty_var(VAR_ANY);
        Type *p[1] = {ty_ref(t, true)};
        check_args(c, e, cs, args, p, 1, "function");
        return t;
    }
    case BI_BOX_NEW: {
        Type *x = expected ? ty_resolve(expected) : NULL;
        Type *inner_exp = x && x->kind == TY_BOX && ty_resolve(x->args[0])->kind != TY_DYN ? x->args[0] : NULL;
        Type *t = inner_exp ? inner_exp : ty_var(VAR_ANY);
        Type *p[1] = {t};
        if (args->len == 1 && !inner_exp) {
            /* Box<dyn Fn(..)> expected: a closure takes its signature from it */
            bool dyn_fn = x && x->kind == TY_BOX && ty_resolve(x->args[0])->kind == TY_DYN &&
                          ty_resolve(x->args[0])->trait->fn_kind;
            t = check_expr(c, args->items[0], dyn_fn ? x->args[0] : NULL);
            return ty_box(t);
        }
        check_args(c, e, cs, args, p, 1, "function");
        return ty_box(t);
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
    default:
        unsupported(e->span, xprintf("calling `%s`", d->name));
        for (int i = 0; i < args->len; i++)
            check_expr(c, args->items[i], NULL);
        return ty_error();
    }
}

/* ---- generic instantiation ---------------------------------------------------- */


static const char *param_name(int i)
{
    if (cur_fn && i < cur_fn->ntparams && cur_fn->tparam_names && cur_fn->tparam_names[i])
        return cur_fn->tparam_names[i];
    return cur_fn && cur_fn->is_default && i == 0 ? "Self" : NULL;
}

static bool trait_has_super(TraitDef *t, TraitDef *want)
{
    if (t == want)
        return true;
    for (int i = 0; i < t->supers.len; i++)
        if (trait_has_super(t->supers.items[i], want))
            return true;
    return false;
}

static bool comparable(Type *t, bool ordering);

static TraitDef *fn_sig_of(Type *t);

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
static bool fn_satisfies(Type *t, TraitDef *tr)
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
    if (t->kind == TY_BOX && ty_resolve(t->args[0])->kind == TY_DYN) /* Box<dyn Fn(..)> is Fn(..) too */
        t = ty_resolve(t->args[0]);
    TraitDef *have = fn_sig_of(t);
    return have && have->fn_kind <= tr->fn_kind && same_sig(have->fn_params, have->fn_nparams, have->fn_ret, tr);
}

/* Does type t implement trait tr? Type parameters answer from their bounds. */
static bool satisfies(Type *t, TraitDef *tr)
{
    t = ty_resolve(t);
    if (t->kind == TY_ERROR || t->kind == TY_VAR)
        return true;
    if (tr->fn_kind)
        return fn_satisfies(t, tr);
    if (t->kind == TY_DYN)
        return trait_has_super(t->trait, tr);
    if (t->kind == TY_PARAM) {
        if (!cur_fn || t->param_index >= cur_fn->ntparams)
            return false;
        List *b = &cur_fn->tparam_bounds[t->param_index];
        for (int i = 0; i < b->len; i++)
            if (trait_has_super(b->items[i], tr))
                return true;
        return false;
    }
    if (find_impl(tr, t))
        return true;
    if (!tr->builtin)
        return false;
    const char *n = tr->name;
    Type *r = t;
    while (r->kind == TY_REF)
        r = ty_resolve(r->args[0]);
    if (!strcmp(n, "Display"))
        return r->kind <= TY_STR || r->kind == TY_STRING || (r != t && find_impl(tr, r));
    if (!strcmp(n, "Debug"))
        return r->kind <= TY_STR || r->kind == TY_STRING || r->kind == TY_VEC || r->kind == TY_TUPLE ||
               r->kind == TY_ARRAY || r->kind == TY_SLICE || (r->kind == TY_ADT && (r->adt->derives & DERIVE_DEBUG));
    if (!strcmp(n, "PartialEq") || !strcmp(n, "Eq"))
        return comparable(t, false);
    if (!strcmp(n, "PartialOrd") || !strcmp(n, "Ord"))
        return comparable(t, true);
    if (!strcmp(n, "Copy"))
        return ty_is_copy(t);
    if (!strcmp(n, "Clone"))
        return ty_is_copy(t) || t->kind == TY_STRING || t->kind == TY_VEC ||
               (t->kind == TY_ADT && (t->adt->derives & DERIVE_CLONE));
    if (!strcmp(n, "Default"))
        return t->kind <= TY_CHAR || t->kind == TY_STRING || t->kind == TY_VEC ||
               (t->kind == TY_ADT && (t->adt->derives & DERIVE_DEFAULT));
    return false;
}

static void bound_error(Span span, Type *t, TraitDef *tr)
{
    Diag *d;
    if (!strcmp(tr->name, "Display"))
        d = diag_error("E0277", span, "`%s` doesn't implement `std::fmt::Display`", ty_str(t));
    else if (!strcmp(tr->name, "Debug"))
        d = diag_error("E0277", span, "`%s` doesn't implement `Debug`", ty_str(t));
    else
        d = diag_error("E0277", span, "the trait bound `%s: %s` is not satisfied", ty_str(t), tr->name);
    diag_primary_label(d, "the trait `%s` is not implemented for `%s`", tr->name, ty_str(t));
}

/* Fresh type arguments for a generic fn (explicit ones from a turbofish
 * fill the fn's own parameters after the `first` implicit ones). */
static Inst *new_inst(Ctx *c, FnDef *f, PathSeg *turbofish, int first, Span span)
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

static Type **inst_params(FnDef *f, Inst *in)
{
    Type **ps = arena_alloc(g_arena, sizeof(Type *) * (size_t)(f->nparams + 1));
    for (int i = 0; i < f->nparams; i++)
        ps[i] = in ? ty_subst(f->params[i], in->args, in->n) : f->params[i];
    return ps;
}

static Type *inst_ret(FnDef *f, Inst *in) { return in ? ty_subst(f->ret, in->args, in->n) : f->ret; }

static void check_inst_bounds(Ctx *c)
{
    for (int i = 0; i < c->insts.len; i++) {
        Inst *in = c->insts.items[i];
        Span sp = *(Span *)c->inst_spans.items[i];
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
                if (!satisfies(in->args[k], tr))
                    bound_error(sp, in->args[k], tr);
            }
        }
    }
}

static bool diverges(Type *t);
static const char *place_str(Expr *e);
static bool coerce_tail(Expr *body, Type *expected);

/* The Fn trait a callable type parameter is bounded by (`F: Fn(i32) -> i32`),
 * or of a `dyn Fn(..)`; NULL when t is neither. */
static TraitDef *fn_sig_of(Type *t)
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

static Type *check_closure(Ctx *c, Expr *e, Type *expected)
{
    if (e->is_async) {
        unsupported(e->span, "an async closure (Tier 4)");
        return ty_error();
    }
    Closure *clo = NEW(Closure);
    clo->expr = e;
    clo->fn = c->fn;
    clo->parent = c->closure;
    clo->index = c->closures.len;
    list_push(&c->closures, clo);
    e->sema = clo;
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
    /* in a generic fn, the closure's type carries the fn's type arguments:
     * `-> impl Fn` of an instance is this closure at that instance */
    int nt = c->fn->ntparams;
    Type **targs = arena_alloc(g_arena, sizeof(Type *) * (size_t)(nt + 1));
    for (int i = 0; i < nt; i++)
        targs[i] = tyenv.subst ? tyenv.subst[i]
                               : ty_param(i, c->fn->tparam_names && c->fn->tparam_names[i] ? c->fn->tparam_names[i]
                                                                                          : "impl");
    return ty_closure(clo, targs, nt);
}

/* A callable argument of a std method (`v.sort_by(|a, b| a.cmp(b))`,
 * `o.map(f)`): a closure takes its parameter types from the method, a fn
 * item or pointer is checked against them. Returns the callable's return
 * type, or NULL after an error. */
static Type *check_callable_arg_ret(Ctx *c, Expr *arg, Type **ps, int n, int kind, Type *ret)
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

static Type *check_callable_arg(Ctx *c, Expr *arg, Type **ps, int n, int kind)
{
    return check_callable_arg_ret(c, arg, ps, n, kind, ty_var(VAR_ANY));
}

static Type *check_call(Ctx *c, Expr *e, Type *expected)
{
    Expr *callee = e->operand;
    if (callee->kind == EX_PATH && callee->path->segs.len == 2 && e->args.len >= 1 && !callee->path->qself) {
        TraitDef *tr = find_trait(seg_name(callee->path, 0));
        if (tr) {
            /* Trait::method(&x, ..): the impl is chosen by the first argument's type */
            const char *mname = seg_name(callee->path, 1);
            Type *a0 = check_expr(c, e->args.items[0], NULL);
            Type *base = a0;
            while (ty_resolve(base)->kind == TY_REF)
                base = ty_resolve(base)->args[0];
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
        if (d->kind == DEF_FN) {
            FnDef *f = d->fn;
            Inst *in = NULL;
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
                e->sema = in;
            }
            Type **ps = inst_params(f, in);
            Type *ret = inst_ret(f, in);
            if (expected && in)
                unify(ret, expected);
            set_ty(c, callee, ty_fn(ps, f->nparams, ret));
            check_args(c, e, callee->span, &e->args, ps, f->nparams,
                       f->self_kind != SELF_NONE ? "method" : "function");
            return ret;
        }
    }
    Type *ft = ty_resolve(check_expr(c, callee, NULL));
    int shared = 0; /* reached through a `&` reference */
    while (ft->kind == TY_REF || (ft->kind == TY_BOX && ty_resolve(ft->args[0])->kind == TY_DYN)) {
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

/* ---- places and mutability (E0384, E0594, E0596) ------------------------------ */

static Expr *strip_parens(Expr *e)
{
    while (e->kind == EX_PAREN)
        e = e->operand;
    return e;
}

/* Describe a place as rustc does in messages: `x`, `p.x`, `*r`, `v[..]`. */
static const char *place_str(Expr *e)
{
    e = strip_parens(e);
    switch (e->kind) {
    case EX_PATH:
        return seg_name(e->path, e->path->segs.len - 1);
    case EX_FIELD:
        return xprintf("%s.%s", place_str(e->operand), e->name);
    case EX_TUPLE_FIELD:
        return xprintf("%s.%u", place_str(e->operand), e->index);
    case EX_UNARY:
        if (e->unop == UN_DEREF)
            return xprintf("*%s", place_str(e->operand));
        break;
    case EX_INDEX:
        return xprintf("%s[_]", place_str(e->lhs));
    default:
        break;
    }
    return "value";
}

/* The local at the root of a place expression, and whether the path from
 * it goes through a shared reference (1) or a mutable reference (2). */
static Local *place_root(Expr *e, int *through_ref)
{
    e = strip_parens(e);
    switch (e->kind) {
    case EX_PATH:
        return e->def && e->def->kind == DEF_LOCAL ? e->def->local : NULL;
    case EX_FIELD:
    case EX_TUPLE_FIELD: {
        Local *l = place_root(e->operand, through_ref);
        FieldRes *fr = e->sema;
        if (fr && fr->derefs > 0 && !*through_ref) {
            Type *bt = ty_resolve(e->operand->ty);
            *through_ref = bt->kind == TY_REF ? (bt->is_mut ? 2 : 1) : 0;
        }
        return l;
    }
    case EX_INDEX: {
        Local *l = place_root(e->lhs, through_ref);
        Type *bt = e->lhs->ty ? ty_resolve(e->lhs->ty) : NULL;
        if (bt && bt->kind == TY_REF && !*through_ref)
            *through_ref = bt->is_mut ? 2 : 1;
        return l;
    }
    case EX_UNARY:
        if (e->unop == UN_DEREF) {
            Local *l = place_root(e->operand, through_ref);
            Type *bt = e->operand->ty ? ty_resolve(e->operand->ty) : NULL;
            if (bt && (bt->kind == TY_REF || bt->kind == TY_PTR) && !*through_ref)
                *through_ref = bt->is_mut ? 2 : 1;
            return l;
        }
        return NULL;
    default:
        return NULL;
    }
}

/* `is_assign`: an assignment (E0384/E0594); else a &mut borrow (E0596). */
static void check_mutable(Ctx *c, Expr *place, bool is_assign, Span span)
{
    (void)c;
    int through = 0;
    Expr *p = strip_parens(place);
    Local *root = place_root(p, &through);
    if (through == 1) {
        if (is_assign) {
            Diag *d = diag_error("E0594", span, "cannot assign to `%s`, which is behind a `&` reference", place_str(p));
            diag_primary_label(d, "`%s` is a `&` reference, so the data it refers to cannot be written", place_str(p));
        } else {
            Diag *d = diag_error("E0596", span, "cannot borrow `%s` as mutable, as it is behind a `&` reference",
                                 place_str(p));
            diag_primary_label(d, "`%s` is a `&` reference, so the data it refers to cannot be borrowed as mutable",
                               place_str(p));
        }
        return;
    }
    if (through == 2 || !root)
        return;
    if (root->is_mut) {
        root->mutated = true;
        return;
    }
    bool whole = p->kind == EX_PATH;
    bool captured = c && c->closure && root->closure != c->closure; /* assigned inside a closure */
    if (is_assign && whole && !captured) {
        if (root->deferred) {
            /* deferred initialization: borrowck decides which assignment is the init */
            root->assigned_later = false;
            return;
        }
        Diag *d = diag_error("E0384", span, "cannot assign twice to immutable variable `%s`", root->name);
        diag_label(d, root->span, "first assignment to `%s`", root->name);
        diag_primary_label(d, "cannot assign twice to immutable variable");
        diag_help(d, "consider making this binding mutable: `mut %s`", root->name);
        return;
    }
    if (is_assign) {
        Diag *d = diag_error("E0594", span, "cannot assign to `%s`, as `%s` is not declared as mutable", place_str(p),
                             root->name);
        diag_primary_label(d, "cannot assign");
        diag_help(d, "consider changing this to be mutable: `mut %s`", root->name);
    } else if (whole && c) {
        MutUse *u = NEW(MutUse);
        u->root = root;
        u->span = span;
        list_push(&c->mut_uses, u);
    } else {
        Diag *d = diag_error("E0596", span, "cannot borrow `%s` as mutable, as it is not declared as mutable",
                             place_str(p));
        diag_primary_label(d, "cannot borrow as mutable");
        diag_help(d, "consider changing this to be mutable: `mut %s`", root->name);
    }
}

/* E0596 for each binding used mutably without `mut`, as rustc groups them. */
static void report_mut_uses(Ctx *c)
{
    for (int i = 0; i < c->mut_uses.len; i++) {
        MutUse *u = c->mut_uses.items[i];
        if (!u->root)
            continue;
        List same = {0};
        for (int j = i; j < c->mut_uses.len; j++) {
            MutUse *v = c->mut_uses.items[j];
            if (v->root == u->root) {
                list_push(&same, v);
                if (j > i)
                    v->root = NULL;
            }
        }
        Local *r = u->root;
        bool one = same.len == 1;
        Diag *d = diag_error("E0596", one ? u->span : r->span,
                             "cannot borrow `%s` as mutable, as it is not declared as mutable", r->name);
        if (one)
            diag_primary_label(d, "cannot borrow as mutable");
        else
            diag_primary_label(d, "not mutable");
        for (int j = 0; j < same.len; j++) {
            MutUse *v = same.items[j];
            if (!one)
                diag_label(d, v->span, "cannot borrow as mutable");
            if (v->clo && v->clo->kind_cap) {
                Capture *k = v->clo->kind_cap;
                diag_label(d, k->at, "calling `%s` requires mutable binding due to %s of `%s`", r->name,
                           k->mode == CAP_VALUE ? "possible mutation" : "mutable borrow", k->place);
                v->clo = NULL;
            }
        }
        diag_help(d, "consider changing this to be mutable: `mut %s`", r->name);
    }
    c->mut_uses = (List){0};
}

static bool is_place(Expr *e)
{
    e = strip_parens(e);
    return (e->kind == EX_PATH && e->def && (e->def->kind == DEF_LOCAL || e->def->kind == DEF_STATIC)) ||
           e->kind == EX_FIELD || e->kind == EX_TUPLE_FIELD || e->kind == EX_INDEX ||
           (e->kind == EX_UNARY && e->unop == UN_DEREF);
}

/* ---- field access and indexing ------------------------------------------------ */

static Type *check_field(Ctx *c, Expr *e)
{
    Type *t = check_expr(c, e->operand, NULL);
    int derefs = 0;
    Type *bt = ty_resolve(t);
    while (bt->kind == TY_REF || bt->kind == TY_BOX) {
        bt = ty_resolve(bt->args[0]);
        derefs++;
    }
    FieldRes *fr = NEW(FieldRes);
    fr->derefs = derefs;
    fr->base_ty = bt;
    e->sema = fr;
    if (bt->kind == TY_ERROR)
        return bt;
    if (e->kind == EX_TUPLE_FIELD) {
        if (bt->kind == TY_TUPLE && e->index < (uint32_t)bt->nargs) {
            fr->index = (int)e->index;
            return bt->args[e->index];
        }
        if (bt->kind == TY_ADT && !bt->adt->is_enum && bt->adt->variants[0].kind == SK_TUPLE &&
            e->index < (uint32_t)bt->adt->variants[0].nfields) {
            fr->index = (int)e->index;
            return field_type(bt, &bt->adt->variants[0], (int)e->index);
        }
        Diag *d = diag_error("E0609", e->name_span, "no field `%u` on type `%s`", e->index, ty_str(t));
        diag_primary_label(d, "unknown field");
        return ty_error();
    }
    if (bt->kind == TY_ADT && !bt->adt->is_enum) {
        VariantInfo *v = &bt->adt->variants[0];
        for (int i = 0; i < v->nfields; i++)
            if (strcmp(v->fields[i].name, e->name) == 0) {
                fr->index = i;
                return field_type(bt, v, i);
            }
    }
    if (bt->kind == TY_VAR) {
        Diag *d = diag_error("E0282", e->operand->span, "type annotations needed");
        (void)d;
        return ty_error();
    }
    if (bt->kind <= TY_CHAR) {
        Diag *d = diag_error("E0610", e->name_span, "`%s` is a primitive type and therefore doesn't have fields",
                             ty_str(bt));
        (void)d;
        return ty_error();
    }
    Diag *d = diag_error("E0609", e->name_span, "no field `%s` on type `%s`", e->name, ty_str(t));
    diag_primary_label(d, "unknown field");
    return ty_error();
}

static Type *check_index(Ctx *c, Expr *e)
{
    Type *t = check_expr(c, e->lhs, NULL);
    Type *bt = ty_resolve(t);
    int derefs = 0;
    while (bt->kind == TY_REF) {
        bt = ty_resolve(bt->args[0]);
        derefs++;
    }
    FieldRes *fr = NEW(FieldRes); /* reuse: derefs of the base */
    fr->derefs = derefs;
    fr->base_ty = bt;
    e->sema = fr;
    Expr *ix = strip_parens(e->rhs);
    bool is_range = ix->kind == EX_RANGE;
    Type *it = check_expr(c, e->rhs, is_range ? NULL : ty_prim(TY_USIZE));
    if (is_range) {
        Type *r = ty_resolve(it);
        if (r->kind == TY_RANGE)
            unify(r->args[0], ty_prim(TY_USIZE));
    } else if (!unify(it, ty_prim(TY_USIZE))) {
        Diag *d = diag_error("E0277", e->rhs->span, "the type `[%s]` cannot be indexed by `%s`",
                             bt->nargs ? ty_str(bt->args[0]) : ty_str(bt), ty_str(it));
        diag_primary_label(d, "slice indices are of type `usize` or ranges of `usize`");
        return ty_error();
    }
    switch (bt->kind) {
    case TY_ARRAY:
    case TY_SLICE:
    case TY_VEC:
        return is_range ? ty_slice(bt->args[0]) : bt->args[0];
    case TY_STRING:
    case TY_STR:
        if (is_range)
            return ty_prim(TY_STR);
        {
            Diag *d = diag_error("E0277", e->span, "the type `str` cannot be indexed by `%s`", ty_str(it));
            diag_primary_label(d, "string indices are ranges of `usize`");
        }
        return ty_error();
    case TY_ERROR:
        return bt;
    default: {
        Diag *d = diag_error("E0608", e->span, "cannot index into a value of type `%s`", ty_str(t));
        (void)d;
        return ty_error();
    }
    }
}

/* ---- operators ------------------------------------------------------------------- */

static Type *deref_num(Type *t)
{
    t = ty_resolve(t);
    if (t->kind == TY_REF && ty_is_numeric(t->args[0]))
        return ty_resolve(t->args[0]);
    if (t->kind == TY_REF && ty_resolve(t->args[0])->kind == TY_BOOL)
        return ty_resolve(t->args[0]);
    return t;
}

static bool adt_has(Type *t, unsigned derive)
{
    t = ty_resolve(t);
    return t->kind == TY_ADT && (t->adt->derives & derive);
}

/* Types comparable with == / < : primitives, strings, and types deriving
 * PartialEq / PartialOrd, recursively for tuples, arrays, Vec, refs. */
static bool comparable(Type *t, bool ordering)
{
    t = ty_resolve(t);
    switch (t->kind) {
    case TY_TUPLE: case TY_ARRAY: case TY_SLICE: case TY_VEC: case TY_REF: case TY_BOX:
        for (int i = 0; i < t->nargs; i++)
            if (!comparable(t->args[i], ordering))
                return false;
        return true;
    case TY_ADT:
        if (!adt_has(t, ordering ? DERIVE_PARTIAL_ORD : DERIVE_PARTIAL_EQ))
            return false;
        for (int i = 0; i < t->nargs; i++)
            if (!comparable(t->args[i], ordering))
                return false;
        return true;
    case TY_FN: case TY_ITER: case TY_RANGE:
        return !ordering && t->kind == TY_RANGE;
    case TY_PARAM:
        return satisfies(t, ordering ? prog->partial_ord : prog->partial_eq);
    default:
        return true;
    }
}

static bool is_stringish(Type *t, int *refs)
{
    t = ty_resolve(t);
    *refs = 0;
    while (t->kind == TY_REF) {
        t = ty_resolve(t->args[0]);
        (*refs)++;
    }
    return t->kind == TY_STRING || t->kind == TY_STR;
}

/* Vec<T> == [T; N], &[T] == Vec<T> ...: sequences of the same element type. */
static bool seq_eq_ok(Type *a, Type *b)
{
    a = ty_resolve(a);
    b = ty_resolve(b);
    while (a->kind == TY_REF && b->kind == TY_REF) {
        a = ty_resolve(a->args[0]);
        b = ty_resolve(b->args[0]);
    }
    bool sa = a->kind == TY_VEC || a->kind == TY_ARRAY || a->kind == TY_SLICE;
    bool sb = b->kind == TY_VEC || b->kind == TY_ARRAY || b->kind == TY_SLICE;
    return sa && sb && a->kind != b->kind && unify(a->args[0], b->args[0]);
}

static void binop_error(Expr *e, Type *l, Type *r)
{
    if (has_error(l) || has_error(r))
        return;
    static const char *verbs[] = {"add", "subtract", "multiply", "divide", "calculate the remainder of"};
    Diag *d;
    if (e->binop <= BIN_REM)
        d = diag_error("E0369", e->span, "cannot %s `%s` to `%s`", verbs[e->binop], ty_str(r), ty_str(l));
    else
        d = diag_error("E0369", e->span, "binary operation `%s` cannot be applied to type `%s`",
                       ast_binop_str(e->binop), ty_str(l));
    diag_label(d, e->lhs->span, "%s", ty_str(l));
    diag_label(d, e->rhs->span, "%s", ty_str(r));
    /* rustc's primary span is the operator; ours is the expression start line */
}

static Type *check_binary(Ctx *c, Expr *e, Type *expected)
{
    BinOp op = e->binop;
    if (op == BIN_AND || op == BIN_OR) {
        check_coerce(c, e->lhs, ty_prim(TY_BOOL));
        check_coerce(c, e->rhs, ty_prim(TY_BOOL));
        return ty_prim(TY_BOOL);
    }
    bool arith = op <= BIN_REM || op == BIN_BITAND || op == BIN_BITOR || op == BIN_BITXOR;
    bool shift = op == BIN_SHL || op == BIN_SHR;
    Type *lt = check_expr(c, e->lhs, arith && expected && ty_is_numeric(expected) ? expected : NULL);
    Type *l = deref_num(lt);
    if (op <= BIN_REM && ty_resolve(l)->kind == TY_ADT) {
        static const char *names[] = {"Add", "Sub", "Mul", "Div", "Rem"};
        Type *rt = check_expr(c, e->rhs, NULL);
        FnDef *f = op_impl(names[op], l, rt);
        if (f) {
            e->sema = f; /* the operator is this method call */
            return f->ret;
        }
        binop_error(e, lt, rt);
        return ty_error();
    }
    if (shift) {
        Type *rt = deref_num(check_expr(c, e->rhs, NULL));
        if (!ty_is_int(l) || !ty_is_int(rt)) {
            if (ty_resolve(l)->kind != TY_ERROR && ty_resolve(rt)->kind != TY_ERROR)
                binop_error(e, lt, rt);
            return ty_error();
        }
        return l;
    }
    Type *rt = check_expr(c, e->rhs, ty_resolve(l)->kind == TY_REF || ty_resolve(l)->kind == TY_VAR
                                         ? NULL : l);
    Type *r = deref_num(rt);
    if (ty_resolve(l)->kind == TY_ERROR || ty_resolve(r)->kind == TY_ERROR)
        return arith ? ty_error() : ty_prim(TY_BOOL);
    if (arith) {
        Type *lr = ty_resolve(l);
        Type *rr0 = ty_resolve(r);
        bool lvar = lr->kind == TY_VAR && lr->var_kind == VAR_ANY, rvar = rr0->kind == TY_VAR && rr0->var_kind == VAR_ANY;
        if ((lvar || rvar) && (lvar || ty_is_numeric(l)) && (rvar || ty_is_numeric(r)) && unify(l, r))
            return l; /* a closure parameter not known yet: `|x| x + 1` is numeric like the other side */
        bool ok = (ty_is_numeric(l) && ty_is_numeric(r)) ||
                  (lr->kind == TY_BOOL && op >= BIN_BITAND && op <= BIN_BITXOR);
        /* String + &str */
        if (op == BIN_ADD && lr->kind == TY_STRING) {
            Type *rr = ty_resolve(rt);
            if (!(rr->kind == TY_REF && ty_resolve(rr->args[0])->kind == TY_STR)) {
                if (!try_coerce(e->rhs, rt, ty_ref(ty_prim(TY_STR), false)))
                    mismatch(e->rhs->span, ty_ref(ty_prim(TY_STR), false), rt);
            }
            return ty_string();
        }
        if (!ok) {
            binop_error(e, lt, rt);
            return ty_error();
        }
        if (!unify(l, r)) {
            mismatch(e->rhs->span, l, r);
            Diag *d = diag_error("E0277", e->span, "cannot %s `%s` to `%s`",
                                 op == BIN_ADD ? "add" : op == BIN_SUB ? "subtract" : op == BIN_MUL ? "multiply" : "divide",
                                 ty_str(r), ty_str(l));
            (void)d;
            return ty_error();
        }
        return l;
    }
    /* comparisons */
    int lrefs, rrefs;
    if (is_stringish(lt, &lrefs) && is_stringish(rt, &rrefs))
        return ty_prim(TY_BOOL);
    bool ordering = op >= BIN_LT;
    if (!ordering && seq_eq_ok(lt, rt))
        return ty_prim(TY_BOOL);
    if (!unify(lt, rt)) {
        if (unify(l, r) && ty_is_numeric(l)) {
            mismatch(e->rhs->span, lt, rt);
            return ty_prim(TY_BOOL);
        }
        mismatch(e->rhs->span, lt, rt);
        return ty_prim(TY_BOOL);
    }
    if (!comparable(lt, ordering)) {
        binop_error(e, lt, rt);
    }
    return ty_prim(TY_BOOL);
}

static Type *check_unary(Ctx *c, Expr *e, Type *expected)
{
    switch (e->unop) {
    case UN_NEG: {
        Type *t = check_expr(c, e->operand, expected && ty_is_numeric(expected) ? expected : NULL);
        Type *r = deref_num(t);
        if (ty_resolve(r)->kind == TY_ADT) {
            FnDef *f = op_impl("Neg", r, NULL);
            if (f) {
                e->sema = f;
                return f->ret;
            }
        }
        if (!ty_is_numeric(r) && ty_resolve(r)->kind != TY_ERROR) {
            diag_error("E0600", e->span, "cannot apply unary operator `-` to type `%s`", ty_str(t));
            return ty_error();
        }
        if (ty_is_int(r) && !ty_is_signed(r)) {
            Diag *d = diag_error("E0600", e->span, "cannot apply unary operator `-` to type `%s`", ty_str(r));
            diag_note(d, "unsigned values cannot be negated");
        }
        return r;
    }
    case UN_NOT: {
        Type *t = deref_num(check_expr(c, e->operand, expected));
        Type *r = ty_resolve(t);
        if (r->kind != TY_BOOL && !ty_is_int(r) && r->kind != TY_ERROR) {
            diag_error("E0600", e->span, "cannot apply unary operator `!` to type `%s`", ty_str(t));
            return ty_error();
        }
        return t;
    }
    case UN_DEREF: {
        Type *t = ty_resolve(check_expr(c, e->operand, NULL));
        if (t->kind == TY_REF || t->kind == TY_PTR) {
            if (t->kind == TY_PTR)
                unsupported(e->span, "dereferencing a raw pointer (Tier 4)");
            return t->args[0];
        }
        if (t->kind == TY_STRING)
            return ty_prim(TY_STR);
        if (t->kind == TY_VEC)
            return ty_slice(t->args[0]);
        if (t->kind == TY_BOX)
            return t->args[0];
        if (t->kind != TY_ERROR) {
            Diag *d = diag_error("E0614", e->span, "type `%s` cannot be dereferenced", ty_str(t));
            (void)d;
        }
        return ty_error();
    }
    }
    return ty_error();
}

static bool cast_ok(Type *from, Type *to)
{
    from = ty_resolve(from);
    to = ty_resolve(to);
    bool fnum = ty_is_numeric(from), tnum = ty_is_numeric(to);
    if (fnum && tnum)
        return true;
    if ((from->kind == TY_BOOL || from->kind == TY_CHAR) && ty_is_int(to))
        return true;
    if (from->kind == TY_U8 && to->kind == TY_CHAR)
        return true;
    if (from->kind == TY_VAR && from->var_kind == VAR_INT && to->kind == TY_CHAR)
        return true;
    if (from->kind == TY_ADT && from->adt->is_enum && !from->adt->builtin && ty_is_int(to)) {
        for (int v = 0; v < from->adt->nvariants; v++)
            if (from->adt->variants[v].kind != SK_UNIT)
                return false;
        return true;
    }
    if (from == to)
        return true;
    return false;
}

/* ---- structs, control flow ------------------------------------------------------ */

static Type *check_struct_lit(Ctx *c, Expr *e, Type *expected)
{
    Path *p = e->path;
    AdtDef *a = NULL;
    int vi = 0;
    const char *last = seg_name(p, p->segs.len - 1);
    if (p->segs.len == 1) {
        if (strcmp(last, "Self") == 0 && c->fn->owner)
            a = c->fn->owner;
        else {
            Def *d = lookup_global(last, true);
            if (d && d->kind == DEF_ADT && !d->adt->is_enum)
                a = d->adt;
        }
    } else {
        Def *d = resolve_value_path(c, p, e->span);
        if (d && d->kind == DEF_VARIANT) {
            a = d->adt;
            vi = d->variant;
        }
    }
    for (int i = 0; i < e->fields.len && !a; i++)
        check_expr(c, ((FieldInit *)e->fields.items[i])->value, NULL);
    if (!a) {
        Diag *d = diag_error("E0422", p->span, "cannot find struct, variant or union type `%s` in this scope", last);
        diag_primary_label(d, "not found in this scope");
        return ty_error();
    }
    Def *d = new_def(a->is_enum ? DEF_VARIANT : DEF_ADT, a->variants[vi].name, a->variants[vi].span);
    d->adt = a;
    d->variant = vi;
    e->def = d;
    p->def = d;
    Type *self = adt_instance(a, expected);
    VariantInfo *v = &a->variants[vi];
    bool seen[v->nfields + 1];
    memset(seen, 0, sizeof seen);
    for (int i = 0; i < e->fields.len; i++) {
        FieldInit *fi = e->fields.items[i];
        int k = -1;
        for (int j = 0; j < v->nfields; j++)
            if (strcmp(v->fields[j].name, fi->name) == 0)
                k = j;
        if (k < 0) {
            Diag *dg = diag_error(a->is_enum ? "E0559" : "E0560", fi->span, "%s `%s` has no field named `%s`",
                                  a->is_enum ? "variant" : "struct",
                                  a->is_enum ? xprintf("%s::%s", a->name, v->name) : a->name, fi->name);
            diag_primary_label(dg, "unknown field");
            check_expr(c, fi->value, NULL);
            continue;
        }
        if (seen[k])
            diag_error("E0062", fi->span, "field `%s` specified more than once", fi->name);
        seen[k] = true;
        check_coerce(c, fi->value, field_type(self, v, k));
    }
    if (e->base) {
        check_coerce(c, e->base, self);
    } else {
        StrBuf missing;
        sb_init(&missing);
        int nmiss = 0;
        for (int j = 0; j < v->nfields; j++)
            if (!seen[j]) {
                if (nmiss++)
                    sb_puts(&missing, ", ");
                sb_printf(&missing, "`%s`", v->fields[j].name);
            }
        if (nmiss) {
            Diag *dg = diag_error("E0063", p->span, "missing field%s %s in initializer of `%s`", nmiss > 1 ? "s" : "",
                                  missing.data, a->is_enum ? xprintf("%s::%s", a->name, v->name) : a->name);
            diag_primary_label(dg, "missing %s", missing.data);
        }
        sb_free(&missing);
    }
    return self;
}

static LoopCtx *find_loop(Ctx *c, const char *label, Span span, bool is_continue)
{
    for (LoopCtx *l = c->loops; l; l = l->parent) {
        if (label ? (l->label && strcmp(l->label, label) == 0) : !l->is_block)
            return l;
    }
    if (label) {
        Diag *d = diag_error("E0426", span, "use of undeclared label `%s`", label);
        diag_primary_label(d, "undeclared label `%s`", label);
    } else {
        Diag *d = diag_error("E0268", span, "`%s` outside of a loop", is_continue ? "continue" : "break");
        diag_primary_label(d, "cannot `%s` outside of a loop", is_continue ? "continue" : "break");
    }
    return NULL;
}

static Type *check_loop_body(Ctx *c, Expr *e, LoopCtx *lc)
{
    lc->parent = c->loops;
    lc->label = e->label;
    c->loops = lc;
    check_block(c, e->block, ty_unit());
    c->loops = lc->parent;
    return NULL;
}

/* The Item of a user type that implements Iterator, or NULL. */
static Type *user_iter_item(Type *t)
{
    t = ty_resolve(t);
    TraitDef *it = find_trait("Iterator");
    ImplDef *im = it ? find_impl(it, t) : NULL;
    if (!im)
        return NULL;
    for (int i = 0; i < im->assoc_names.len; i++)
        if (!strcmp(im->assoc_names.items[i], "Item"))
            return im->assoc_types.items[i];
    return NULL;
}

/* The item type of `for x in <t>` and how codegen iterates it. */
static Type *iter_item(Type *t)
{
    t = ty_resolve(t);
    switch (t->kind) {
    case TY_RANGE:
        return t->args[0];
    case TY_ITER:
        return t->args[0];
    case TY_VEC:
    case TY_ARRAY:
        return t->args[0];
    case TY_ADT:
        return user_iter_item(t);
    case TY_REF: {
        Type *in = ty_resolve(t->args[0]);
        if (in->kind == TY_VEC || in->kind == TY_ARRAY || in->kind == TY_SLICE)
            return ty_ref(in->args[0], t->is_mut);
        if (in->kind == TY_ITER && t->is_mut)
            return in->args[0];
        if (in->kind == TY_ADT && t->is_mut)
            return user_iter_item(in);
        return NULL;
    }
    default:
        return NULL;
    }
}

static Type *check_for(Ctx *c, Expr *e)
{
    Type *t = check_expr(c, e->operand, NULL);
    Type *item = iter_item(t);
    if (!item) {
        if (ty_resolve(t)->kind != TY_ERROR) {
            Diag *d = diag_error("E0277", e->operand->span, "`%s` is not an iterator", ty_str(t));
            diag_primary_label(d, "`%s` is not an iterator", ty_str(t));
        }
        item = ty_error();
    }
    Type *rt = ty_resolve(t);
    if (rt->kind == TY_RANGE && !ty_is_int(rt->args[0]) && ty_resolve(rt->args[0])->kind != TY_CHAR &&
        ty_resolve(rt->args[0])->kind != TY_ERROR) {
        diag_error("E0277", e->operand->span, "the trait bound `%s: Step` is not satisfied", ty_str(rt->args[0]));
    }
    push_scope(c);
    check_pat(c, e->pat, item, false);
    LoopCtx lc = {0};
    check_loop_body(c, e, &lc);
    pop_scope(c);
    return ty_unit();
}

/* `if let` / `while let` conditions bind into the enclosing scope pushed by
 * the caller. */
static void check_cond(Ctx *c, Expr *cond)
{
    if (cond->kind == EX_LET) {
        Type *t = check_expr(c, cond->rhs, NULL);
        check_pat(c, cond->pat, t, true);
        set_ty(c, cond, ty_prim(TY_BOOL));
        return;
    }
    check_coerce(c, cond, ty_prim(TY_BOOL));
}

static bool diverges(Type *t) { return ty_resolve(t)->kind == TY_NEVER; }

static Type *check_if(Ctx *c, Expr *e, Type *expected)
{
    push_scope(c);
    check_cond(c, e->cond);
    Type *then_expected = e->els ? expected : ty_unit();
    Type *tt = check_block(c, e->block, then_expected);
    pop_scope(c);
    if (!e->els) {
        if (!unify(tt, ty_unit()) && !diverges(tt)) {
            Expr *tail = e->block->tail;
            Diag *d = diag_error("E0317", e->span, "`if` may be missing an `else` clause");
            if (tail)
                diag_label(d, tail->span, "found here");
            diag_note(d, "`if` expressions without `else` evaluate to `()`");
        }
        return ty_unit();
    }
    Type *et = check_expr(c, e->els, expected ? expected : (diverges(tt) ? NULL : tt));
    if (diverges(tt) && diverges(et))
        return ty_prim(TY_NEVER);
    Expr *blame = e->els->kind == EX_BLOCK && e->els->block->tail ? e->els->block->tail : e->els;
    Type *xr = expected ? ty_resolve(expected) : NULL;
    if (xr && xr->kind == TY_FN && !diverges(tt) && !diverges(et) &&
        (ty_resolve(tt)->kind == TY_CLOSURE || ty_resolve(et)->kind == TY_CLOSURE)) {
        /* closures in the branches become fn pointers */
        Expr *then_tail = e->block->tail ? e->block->tail : NULL;
        bool ok = (unify(tt, xr) || (then_tail && try_coerce(then_tail, tt, xr))) &&
                  (unify(et, xr) || try_coerce(blame, et, xr));
        if (ok)
            return xr;
    }
    if (xr && xr->kind == TY_REF && !diverges(tt) && !diverges(et) &&
        (ty_resolve(xr->args[0])->kind == TY_DYN || !could_unify(tt, et))) {
        /* each branch coerces to the expected reference type (`&dyn Trait`, `&&str` to `&str`) */
        Expr *then_tail = e->block->tail ? e->block->tail : NULL;
        bool ok = (unify(tt, xr) || (then_tail && try_coerce(then_tail, tt, xr))) &&
                  (unify(et, xr) || try_coerce(blame, et, xr));
        if (ok)
            return xr;
    }
    if (!diverges(tt) && !diverges(et) && !unify(tt, et)) {
        if (!try_coerce(blame, et, tt)) {
            Diag *d = diag_error("E0308", blame->span, "`if` and `else` have incompatible types");
            diag_primary_label(d, "expected `%s`, found `%s`", ty_str(tt), ty_str(et));
        }
        return tt;
    }
    return diverges(tt) ? et : tt;
}

static bool match_exhaustive(Ctx *c, Expr *e, Type *t);

/* A branch whose value needs an unsizing coercion to the expected type
 * (`Box::new(|a, b| a + b)` where `Box<dyn Fn(i32, i32) -> i32>` is wanted):
 * the coercion goes on the expression that makes the value, the innermost
 * tail. True when it applied. */
static bool coerce_tail(Expr *body, Type *expected)
{
    Type *x = ty_resolve(expected);
    if (!((x->kind == TY_BOX || x->kind == TY_REF) && ty_resolve(x->args[0])->kind == TY_DYN))
        return false;
    Expr *t = body;
    while (t->kind == EX_BLOCK && !t->label && t->block->tail)
        t = t->block->tail;
    if (!t->ty || ty_resolve(t->ty) == x || t->adjust)
        return false;
    return try_coerce(t, t->ty, x);
}

static Type *check_match(Ctx *c, Expr *e, Type *expected)
{
    Type *st = check_expr(c, e->operand, NULL);
    Type *acc = NULL;
    for (int i = 0; i < e->arms.len; i++) {
        MatchArm *arm = e->arms.items[i];
        push_scope(c);
        check_pat(c, arm->pat, st, true);
        if (arm->guard)
            check_coerce(c, arm->guard, ty_prim(TY_BOOL));
        Type *bt = check_expr(c, arm->body, expected ? expected : (acc && !diverges(acc) ? acc : NULL));
        pop_scope(c);
        if (expected && !diverges(bt) && coerce_tail(arm->body, expected))
            bt = expected; /* Box<closure> -> Box<dyn Fn(..)> in each arm */
        if (!acc || diverges(acc)) {
            acc = bt;
        } else if (!diverges(bt) && !unify(acc, bt) && !try_coerce(arm->body, bt, acc)) {
            Expr *blame = arm->body->kind == EX_BLOCK && arm->body->block->tail ? arm->body->block->tail : arm->body;
            Diag *d = diag_error("E0308", blame->span, "`match` arms have incompatible types");
            diag_primary_label(d, "expected `%s`, found `%s`", ty_str(acc), ty_str(bt));
        }
    }
    list_push(&c->matches, e);
    return acc ? acc : ty_prim(TY_NEVER);
}

static Type *fn_ret_for_try(Ctx *c) { return ty_resolve(c->ret); }

static Type *check_try(Ctx *c, Expr *e)
{
    Type *t = ty_resolve(check_expr(c, e->operand, NULL));
    Type *ret = fn_ret_for_try(c);
    if (t->kind == TY_ERROR)
        return t;
    if (t->kind != TY_ADT || (t->adt != prog->option && t->adt != prog->result)) {
        Diag *d = diag_error("E0277", e->span, "the `?` operator can only be applied to values that implement `Try`");
        diag_primary_label(d, "the `?` operator cannot be applied to type `%s`", ty_str(t));
        return ty_error();
    }
    if (ret->kind != TY_ADT || ret->adt != t->adt) {
        Diag *d = diag_error("E0277", e->span,
                             "the `?` operator can only be used on `%s`s in a function that returns `%s`",
                             t->adt->name, t->adt->name);
        diag_primary_label(d, "cannot use the `?` operator in a function that returns `%s`", ty_str(ret));
        return t->args[0];
    }
    if (t->adt == prog->result && !could_unify(t->args[1], ret->args[1])) {
        FnDef *conv = op_impl("From", ret->args[1], t->args[1]);
        if (conv) {
            e->sema = conv; /* Err(e) becomes Err(From::from(e)) */
        } else {
            Diag *d = diag_error("E0277", e->span, "`?` couldn't convert the error to `%s`", ty_str(ret->args[1]));
            diag_note(d, "the question mark operation (`?`) implicitly performs a conversion on the error value using the `From` trait");
        }
    } else if (t->adt == prog->result) {
        unify(t->args[1], ret->args[1]);
    }
    return t->args[0];
}

static Type *check_expr_inner(Ctx *c, Expr *e, Type *expected)
{
    switch (e->kind) {
    case EX_INT: {
        if (e->suffix) {
            Type *p = prim_by_name(e->suffix);
            if (!p) {
                diag_error(NULL, e->span, "invalid suffix `%s` for number literal", e->suffix);
                return ty_error();
            }
            return p;
        }
        Type *x = expected ? ty_resolve(expected) : NULL;
        if (x && (ty_is_int(x) || (x->kind == TY_VAR && x->var_kind == VAR_INT)))
            return x;
        if (x && ty_is_float(x) && x->kind != TY_VAR)
            return ty_var(VAR_INT); /* rustc: E0308 expected f64, found integer */
        return ty_var(VAR_INT);
    }
    case EX_FLOAT: {
        if (e->suffix)
            return strcmp(e->suffix, "f32") == 0 ? ty_prim(TY_F32) : ty_prim(TY_F64);
        Type *x = expected ? ty_resolve(expected) : NULL;
        if (x && ty_is_float(x))
            return x;
        return ty_var(VAR_FLOAT);
    }
    case EX_BOOL:
        return ty_prim(TY_BOOL);
    case EX_CHAR:
        return ty_prim(TY_CHAR);
    case EX_BYTE:
        return ty_prim(TY_U8);
    case EX_STR:
        return ty_ref(ty_prim(TY_STR), false);
    case EX_BYTE_STR:
        return ty_ref(ty_array(ty_prim(TY_U8), e->str_len), false);
    case EX_PATH:
        return check_path_expr(c, e, expected);
    case EX_PAREN:
        return check_expr(c, e->operand, expected);
    case EX_UNARY:
        return check_unary(c, e, expected);
    case EX_REF: {
        Type *x = expected ? ty_resolve(expected) : NULL;
        Type *inner_exp = x && x->kind == TY_REF ? x->args[0] : NULL;
        if (inner_exp && (ty_resolve(inner_exp)->kind == TY_STR || ty_resolve(inner_exp)->kind == TY_DYN ||
                          (ty_resolve(inner_exp)->kind == TY_SLICE && strip_parens(e->operand)->kind != EX_ARRAY)))
            inner_exp = NULL; /* &String -> &str etc. are coercions, checked by the caller */
        Type *t = check_expr(c, e->operand, inner_exp);
        if (e->is_mut && is_place(e->operand))
            check_mutable(c, e->operand, false, e->span);
        /* &[1, 2, 3] against &[T] */
        if (x && x->kind == TY_REF && ty_resolve(x->args[0])->kind == TY_SLICE && ty_resolve(t)->kind == TY_ARRAY)
            return ty_ref(t, e->is_mut);
        return ty_ref(t, e->is_mut);
    }
    case EX_BINARY:
        return check_binary(c, e, expected);
    case EX_ASSIGN: {
        Type *lt = check_expr(c, e->lhs, NULL);
        check_coerce(c, e->rhs, lt);
        Expr *lhs = strip_parens(e->lhs);
        if (lhs->kind == EX_PATH && lhs->path->segs.len == 1 && !strcmp(seg_name(lhs->path, 0), "_"))
            return ty_unit();
        if (!is_place(e->lhs)) {
            Diag *d = diag_error("E0070", e->span, "invalid left-hand side of assignment");
            diag_label(d, e->lhs->span, "cannot assign to this expression");
        } else {
            check_mutable(c, e->lhs, true, e->span);
        }
        return ty_unit();
    }
    case EX_ASSIGN_OP: {
        Type *lt = check_expr(c, e->lhs, NULL);
        Type *l = ty_resolve(lt);
        if (l->kind == TY_ADT && e->binop <= BIN_REM) {
            static const char *names[] = {"AddAssign", "SubAssign", "MulAssign", "DivAssign", "RemAssign"};
            Type *rt = check_expr(c, e->rhs, NULL);
            FnDef *f = op_impl(names[e->binop], l, rt);
            if (!f) {
                Diag *d = diag_error("E0368", e->span, "binary assignment operation `%s=` cannot be applied to type `%s`",
                                     ast_binop_str(e->binop), ty_str(lt));
                diag_label(d, e->lhs->span, "cannot use `%s=` on type `%s`", ast_binop_str(e->binop), ty_str(lt));
                return ty_unit();
            }
            e->sema = f;
            if (is_place(e->lhs))
                check_mutable(c, e->lhs, true, e->span);
            return ty_unit();
        }
        if (l->kind == TY_STRING && e->binop == BIN_ADD) {
            check_coerce(c, e->rhs, ty_ref(ty_prim(TY_STR), false));
        } else if (e->binop == BIN_SHL || e->binop == BIN_SHR) {
            Type *rt = deref_num(check_expr(c, e->rhs, NULL));
            if (!ty_is_int(rt) || !ty_is_int(l))
                binop_error(e, lt, rt);
        } else {
            Type *rt = deref_num(check_expr(c, e->rhs, l));
            bool ok = (ty_is_numeric(l) || (l->kind == TY_BOOL && e->binop >= BIN_BITAND && e->binop <= BIN_BITXOR));
            if (!ok && l->kind != TY_ERROR) {
                Diag *d = diag_error("E0368", e->span, "binary assignment operation `%s=` cannot be applied to type `%s`",
                                     ast_binop_str(e->binop), ty_str(lt));
                diag_label(d, e->lhs->span, "cannot use `%s=` on type `%s`", ast_binop_str(e->binop), ty_str(lt));
            } else if (ok && !unify(l, rt)) {
                mismatch(e->rhs->span, l, rt);
            }
        }
        if (is_place(e->lhs))
            check_mutable(c, e->lhs, true, e->span);
        return ty_unit();
    }
    case EX_CAST: {
        Type *to = resolve_type(e->cast_type);
        Type *from = check_expr(c, e->operand, NULL);
        if (!cast_ok(from, to) && ty_resolve(from)->kind != TY_ERROR && ty_resolve(to)->kind != TY_ERROR) {
            Type *rf = ty_resolve(from);
            if (rf->kind <= TY_CHAR || rf->kind == TY_VAR) {
                Diag *d = diag_error("E0604", e->span, "only `u8` can be cast as `char`, not `%s`", ty_str(from));
                (void)d;
            } else {
                diag_error("E0605", e->span, "non-primitive cast: `%s` as `%s`", ty_str(from), ty_str(to));
            }
        }
        return to;
    }
    case EX_CALL:
        return check_call(c, e, expected);
    case EX_METHOD:
        return check_method(c, e, expected);
    case EX_FIELD:
    case EX_TUPLE_FIELD:
        return check_field(c, e);
    case EX_INDEX:
        return check_index(c, e);
    case EX_TUPLE: {
        Type *x = expected ? ty_resolve(expected) : NULL;
        int n = e->args.len;
        Type *elems[n + 1];
        for (int i = 0; i < n; i++) {
            Type *xe = x && x->kind == TY_TUPLE && x->nargs == n ? x->args[i] : NULL;
            elems[i] = xe ? check_coerce(c, e->args.items[i], xe) : check_expr(c, e->args.items[i], NULL);
        }
        return ty_tuple(elems, n);
    }
    case EX_ARRAY: {
        Type *x = expected ? ty_resolve(expected) : NULL;
        Type *elem = x && (x->kind == TY_ARRAY || x->kind == TY_SLICE) ? x->args[0] : NULL;
        if (!elem)
            elem = ty_var(VAR_ANY);
        for (int i = 0; i < e->args.len; i++)
            check_coerce(c, e->args.items[i], elem);
        return ty_array(elem, (uint64_t)e->args.len);
    }
    case EX_ARRAY_REPEAT: {
        Type *x = expected ? ty_resolve(expected) : NULL;
        Type *elem = check_expr(c, e->lhs, x && x->kind == TY_ARRAY ? x->args[0] : NULL);
        check_coerce(c, e->rhs, ty_prim(TY_USIZE));
        Expr *n = strip_parens(e->rhs);
        uint64_t len = 0;
        if (n->kind == EX_INT)
            len = n->int_val;
        else if (n->kind == EX_PATH && n->def && n->def->kind == DEF_CONST && n->def->item->init &&
                 n->def->item->init->kind == EX_INT)
            len = n->def->item->init->int_val;
        else
            unsupported(n->span, "a non-literal array length");
        if (!ty_is_copy(elem) && len > 1) {
            Diag *d = diag_error("E0277", e->lhs->span, "the trait bound `%s: Copy` is not satisfied", ty_str(elem));
            diag_note(d, "the `Copy` trait is required because this value will be copied for each element of the array");
        }
        return ty_array(elem, len);
    }
    case EX_STRUCT:
        return check_struct_lit(c, e, expected);
    case EX_RANGE: {
        Type *x = expected ? ty_resolve(expected) : NULL;
        Type *elem = x && x->kind == TY_RANGE ? x->args[0] : ty_var(VAR_ANY);
        if (e->lhs)
            check_coerce(c, e->lhs, elem);
        if (e->rhs)
            check_coerce(c, e->rhs, elem);
        if (!e->lhs || !e->rhs) {
            /* open ranges only as slice indices */
            if (!e->lhs && !e->rhs)
                unify(elem, ty_prim(TY_USIZE));
        }
        return ty_range(elem, e->inclusive);
    }
    case EX_BLOCK: {
        if (e->is_async) {
            unsupported(e->span, "an `async` block (Tier 4)");
            return ty_error();
        }
        if (e->is_unsafe)
            unsupported(e->span, "an `unsafe` block (Tier 4)");
        if (e->label) {
            LoopCtx lc = {.label = e->label, .is_block = true, .break_ty = expected ? expected : ty_var(VAR_ANY)};
            lc.parent = c->loops;
            c->loops = &lc;
            Type *t = check_block(c, e->block, lc.break_ty);
            c->loops = lc.parent;
            if (!diverges(t))
                unify(lc.break_ty, t);
            return lc.break_ty;
        }
        return check_block(c, e->block, expected);
    }
    case EX_IF:
        return check_if(c, e, expected);
    case EX_LET:
        unsupported(e->span, "`let` in this position");
        return ty_error();
    case EX_WHILE: {
        push_scope(c);
        check_cond(c, e->cond);
        LoopCtx lc = {0};
        check_loop_body(c, e, &lc);
        pop_scope(c);
        return ty_unit();
    }
    case EX_LOOP: {
        LoopCtx lc = {.is_loop = true, .break_ty = expected ? expected : ty_var(VAR_ANY)};
        check_loop_body(c, e, &lc);
        if (!lc.has_break)
            return ty_prim(TY_NEVER);
        return lc.break_ty;
    }
    case EX_FOR:
        return check_for(c, e);
    case EX_MATCH:
        return check_match(c, e, expected);
    case EX_BREAK: {
        LoopCtx *l = find_loop(c, e->label, e->span, false);
        if (l) {
            l->has_break = true;
            if (e->operand) {
                if (!l->is_loop && !l->is_block) {
                    Diag *d = diag_error("E0571", e->span, "`break` with value from a `%s` loop", "while");
                    diag_primary_label(d, "can only break with a value inside `loop` or breakable block");
                    check_expr(c, e->operand, NULL);
                } else {
                    check_coerce(c, e->operand, l->break_ty);
                }
            } else if (l->is_loop || l->is_block) {
                if (!unify(l->break_ty, ty_unit()))
                    mismatch(e->span, l->break_ty, ty_unit());
            }
        } else if (e->operand) {
            check_expr(c, e->operand, NULL);
        }
        return ty_prim(TY_NEVER);
    }
    case EX_CONTINUE:
        find_loop(c, e->label, e->span, true);
        return ty_prim(TY_NEVER);
    case EX_RETURN:
        if (e->operand)
            check_coerce(c, e->operand, c->ret);
        else if (!unify(c->ret, ty_unit()))
            mismatch(e->span, c->ret, ty_unit());
        return ty_prim(TY_NEVER);
    case EX_TRY:
        return check_try(c, e);
    case EX_AWAIT:
        unsupported(e->span, "`.await` (Tier 4)");
        return ty_error();
    case EX_CLOSURE:
        return check_closure(c, e, expected);
    case EX_MACRO:
        return check_macro(c, e, expected);
    }
    return ty_error();
}

static Type *check_expr(Ctx *c, Expr *e, Type *expected)
{
    e->adjust = NULL; /* a generic fn's body is checked once per instance */
    if (e->kind == EX_CALL || e->kind == EX_BINARY || e->kind == EX_UNARY || e->kind == EX_ASSIGN_OP ||
        e->kind == EX_TRY)
        e->sema = NULL;
    Type *t = check_expr_inner(c, e, expected);
    return set_ty(c, e, t);
}

/* ---- blocks and statements --------------------------------------------------------- */

static bool expr_is_blocklike(Expr *e)
{
    return e->kind == EX_IF || e->kind == EX_MATCH || e->kind == EX_BLOCK || e->kind == EX_WHILE ||
           e->kind == EX_LOOP || e->kind == EX_FOR;
}

static Type *check_block(Ctx *c, Block *b, Type *expected)
{
    push_scope(c);
    bool diverged = false;
    for (int i = 0; i < b->stmts.len; i++) {
        Stmt *s = b->stmts.items[i];
        switch (s->kind) {
        case ST_LET: {
            Type *t = s->type ? resolve_type(s->type) : NULL;
            Type *it = NULL;
            if (s->init)
                it = t ? check_coerce(c, s->init, t) : check_expr(c, s->init, NULL);
            if (!t)
                t = it ? it : ty_var(VAR_ANY);
            if (s->init && diverges(it) && !s->type)
                t = ty_var(VAR_ANY);
            if (s->els) {
                Type *et = check_block(c, s->els, NULL);
                if (!diverges(et)) {
                    Diag *d = diag_error("E0308", s->els->span, "`else` clause of `let...else` does not diverge");
                    (void)d;
                }
            }
            check_pat(c, s->pat, t, s->els != NULL);
            if (!s->els)
                list_push(&c->lets, s);
            if (!s->init && s->pat->kind == PAT_IDENT && s->pat->local)
                s->pat->local->assigned_later = s->pat->local->deferred = true;
            if (s->init && diverges(it))
                diverged = true;
            break;
        }
        case ST_EXPR: {
            Type *t;
            if (!s->has_semi && expr_is_blocklike(s->expr)) {
                t = check_expr(c, s->expr, ty_unit());
                if (!diverges(t) && !unify(t, ty_unit())) {
                    Expr *blame = s->expr;
                    if (blame->kind == EX_BLOCK && blame->block->tail)
                        blame = blame->block->tail;
                    mismatch(blame->span, ty_unit(), t);
                }
            } else {
                t = check_expr(c, s->expr, NULL);
            }
            if (diverges(t))
                diverged = true;
            break;
        }
        case ST_ITEM:
            if (s->item->kind != IT_USE)
                unsupported(s->item->span, "an item inside a function body");
            break;
        case ST_EMPTY:
            break;
        }
    }
    Type *t;
    if (b->tail) {
        t = check_expr(c, b->tail, expected);
    } else {
        t = diverged ? ty_prim(TY_NEVER) : ty_unit();
    }
    pop_scope(c);
    b->ty = t;
    return t;
}

/* ---- patterns ------------------------------------------------------------------------ */

/* Match ergonomics (RFC 2005): a non-reference pattern against `&T` peels
 * the reference and makes bindings inside bind by reference. */
typedef enum BindMode { BM_MOVE_MODE, BM_REF_MODE, BM_REF_MUT_MODE } BindMode;

static void check_pat_mode(Ctx *c, Pat *p, Type *t, bool refutable, BindMode mode);

static bool pat_is_binding_or_wild(Pat *p)
{
    if (p->kind == PAT_IDENT && !p->sub && !p->by_ref && !p->is_mut) {
        /* a bare unit variant or const (`Nil`) is a constructor pattern */
        Def *d = lookup_global(p->name, false);
        if (d && ((d->kind == DEF_VARIANT && d->adt->variants[d->variant].kind == SK_UNIT) ||
                  (d->kind == DEF_ADT && d->adt->variants[0].kind == SK_UNIT) || d->kind == DEF_CONST))
            return false;
    }
    return p->kind == PAT_WILD || (p->kind == PAT_IDENT && !p->def) || p->kind == PAT_REF;
}

static Def *resolve_pat_path(Ctx *c, Path *p)
{
    return resolve_value_path(c, p, p->span);
}

static void check_lit_pat(Ctx *c, Pat *p, Expr *lit, Type *t)
{
    Type *lt = check_expr(c, lit, t);
    Type *rt = ty_resolve(t);
    /* a string literal pattern matches &str, and String via deref is not allowed */
    if (!unify(lt, t)) {
        Diag *d = diag_error("E0308", p->span, "mismatched types");
        diag_primary_label(d, "expected `%s`, found `%s`", ty_str(t), ty_str(lt));
        (void)rt;
    }
}

static void check_subpats(Ctx *c, Pat *p, List *pats, Type **types, int ntypes, bool refutable, BindMode mode,
                          const char *what)
{
    int rest = -1;
    for (int i = 0; i < pats->len; i++)
        if (((Pat *)pats->items[i])->kind == PAT_REST)
            rest = i;
    int before = rest < 0 ? pats->len : rest;
    int after = rest < 0 ? 0 : pats->len - rest - 1;
    if ((rest < 0 && pats->len != ntypes) || (rest >= 0 && before + after > ntypes)) {
        Diag *d = diag_error(strcmp(what, "tuple") == 0 ? "E0308" : "E0023", p->span,
                             "this pattern has %d field%s, but the corresponding %s has %d field%s", pats->len,
                             pats->len == 1 ? "" : "s", what, ntypes, ntypes == 1 ? "" : "s");
        (void)d;
        for (int i = 0; i < pats->len; i++)
            check_pat_mode(c, pats->items[i], ty_error(), refutable, mode);
        return;
    }
    for (int i = 0; i < pats->len; i++) {
        Pat *sp = pats->items[i];
        if (i == rest) {
            sp->ty = ty_unit();
            continue;
        }
        int k = i < before ? i : ntypes - (pats->len - i);
        check_pat_mode(c, sp, types[k], refutable, mode);
    }
}

static void check_pat_mode(Ctx *c, Pat *p, Type *t, bool refutable, BindMode mode)
{
    /* a generic fn's body is checked once per instance: start afresh */
    p->derefs = 0;
    p->bind_ref = p->bind_ref_mut = false;
    p->local = NULL;
    p->def = NULL;
    list_push(&c->pats, p);
    /* default binding modes: peel references for constructor patterns */
    Type *rt = ty_resolve(t);
    if (!pat_is_binding_or_wild(p) && p->kind != PAT_LIT && p->kind != PAT_RANGE && p->kind != PAT_OR &&
        rt->kind == TY_REF) {
        while (rt->kind == TY_REF) {
            mode = rt->is_mut && mode != BM_REF_MODE ? BM_REF_MUT_MODE : BM_REF_MODE;
            rt = ty_resolve(rt->args[0]);
            p->derefs++;
        }
        t = rt;
    }
    /* literal patterns against &T: peel too (e.g. matching &i32 with 1) */
    if ((p->kind == PAT_LIT || p->kind == PAT_RANGE) && rt->kind == TY_REF) {
        Expr *lit = p->kind == PAT_LIT ? p->lit : NULL;
        bool str_lit = lit && lit->kind == EX_STR;
        while (rt->kind == TY_REF && !(str_lit && ty_resolve(rt->args[0])->kind == TY_STR)) {
            rt = ty_resolve(rt->args[0]);
            p->derefs++;
        }
        t = rt;
    }
    p->ty = t;
    switch (p->kind) {
    case PAT_WILD:
    case PAT_REST:
        return;
    case PAT_IDENT: {
        /* A single identifier naming a unit variant, unit struct or const is
         * a path pattern (None, Color::Red imported, MAX). */
        if (!p->sub && !p->by_ref && !p->is_mut) {
            Def *d = lookup_global(p->name, false);
            if (d && ((d->kind == DEF_VARIANT && d->adt->variants[d->variant].kind == SK_UNIT) ||
                      (d->kind == DEF_ADT && d->adt->variants[0].kind == SK_UNIT) || d->kind == DEF_CONST)) {
                p->def = d;
                Type *pt = d->kind == DEF_CONST ? d->type : adt_instance(d->adt, t);
                if (!unify(pt, t)) {
                    Diag *dg = diag_error("E0308", p->span, "mismatched types");
                    diag_primary_label(dg, "expected `%s`, found `%s`", ty_str(t), ty_str(pt));
                }
                return;
            }
        }
        Type *bt = t;
        if (p->by_ref)
            bt = ty_ref(t, p->is_mut), p->bind_ref = true, p->bind_ref_mut = p->is_mut;
        else if (mode == BM_REF_MODE)
            bt = ty_ref(t, false), p->bind_ref = true;
        else if (mode == BM_REF_MUT_MODE)
            bt = ty_ref(t, true), p->bind_ref = true, p->bind_ref_mut = true;
        if (p->sub)
            check_pat_mode(c, p->sub, t, refutable, mode);
        p->local = declare_local(c, p->name, bt, p->is_mut && !p->by_ref, p->span);
        return;
    }
    case PAT_LIT:
        check_lit_pat(c, p, p->lit, t);
        return;
    case PAT_RANGE:
        if (p->lo)
            check_lit_pat(c, p, p->lo, t);
        if (p->hi)
            check_lit_pat(c, p, p->hi, t);
        return;
    case PAT_TUPLE: {
        if (rt->kind != TY_TUPLE) {
            if (rt->kind == TY_VAR) {
                /* infer a tuple of fresh variables */
                int n = p->elems.len;
                Type *el[n + 1];
                for (int i = 0; i < n; i++)
                    el[i] = ty_var(VAR_ANY);
                unify(rt, ty_tuple(el, n));
                rt = ty_resolve(rt);
            } else {
                if (rt->kind != TY_ERROR) {
                    Diag *d = diag_error("E0308", p->span, "mismatched types");
                    diag_primary_label(d, "expected `%s`, found tuple", ty_str(t));
                }
                for (int i = 0; i < p->elems.len; i++)
                    check_pat_mode(c, p->elems.items[i], ty_error(), refutable, mode);
                return;
            }
        }
        check_subpats(c, p, &p->elems, rt->args, rt->nargs, refutable, mode, "tuple");
        return;
    }
    case PAT_PATH:
    case PAT_TUPLE_STRUCT:
    case PAT_STRUCT: {
        Def *d = resolve_pat_path(c, p->path);
        if (!d || (d->kind != DEF_VARIANT && d->kind != DEF_ADT && d->kind != DEF_CONST)) {
            if (p->kind == PAT_STRUCT && !d) {
                Def *td = lookup_global(seg_name(p->path, p->path->segs.len - 1), true);
                if (td && td->kind == DEF_ADT && !td->adt->is_enum)
                    d = td;
            }
            if (!d) {
                const char *nm = seg_name(p->path, p->path->segs.len - 1);
                if (p->path->segs.len > 1) {
                    report_unresolved(c, p->path, p->span);
                } else {
                    Diag *dg = diag_error(p->kind == PAT_STRUCT ? "E0422" : "E0531", p->path->span,
                                          "cannot find %s `%s` in this scope",
                                          p->kind == PAT_STRUCT ? "struct, variant or union type" : "tuple struct or tuple variant",
                                          nm);
                    diag_primary_label(dg, "not found in this scope");
                }
                for (int i = 0; i < p->elems.len; i++)
                    check_pat_mode(c, p->elems.items[i], ty_error(), refutable, mode);
                for (int i = 0; i < p->fields.len; i++)
                    check_pat_mode(c, ((FieldPat *)p->fields.items[i])->pat, ty_error(), refutable, mode);
                return;
            }
            if (d->kind != DEF_VARIANT && d->kind != DEF_ADT && d->kind != DEF_CONST) {
                /* a name that is not a struct, variant or constant: a fn, a local, ... */
                if (p->kind == PAT_TUPLE_STRUCT && (d->kind == DEF_FN || d->kind == DEF_BUILTIN)) {
                    Diag *dg = diag_error("E0532", p->path->span, "expected a pattern, found a function call");
                    diag_primary_label(dg, "not a tuple struct or tuple variant");
                    diag_note(dg, "function calls are not allowed in patterns: "
                                  "<https://doc.rust-lang.org/book/ch19-00-patterns.html>");
                } else {
                    const char *what = p->kind == PAT_STRUCT ? "struct, variant or union type"
                                       : p->kind == PAT_TUPLE_STRUCT ? "tuple struct or tuple variant"
                                                                     : "unit struct, unit variant or constant";
                    const char *found = d->kind == DEF_LOCAL ? "local variable" : d->kind == DEF_FN ? "function"
                                        : d->kind == DEF_TRAIT ? "trait" : d->kind == DEF_MODULE ? "module"
                                        : d->kind == DEF_STATIC ? "static" : "item";
                    Diag *dg = diag_error(p->kind == PAT_STRUCT ? "E0574" : "E0532", p->path->span,
                                          "expected %s, found %s `%s`", what, found,
                                          seg_name(p->path, p->path->segs.len - 1));
                    diag_primary_label(dg, "not a %s", what);
                }
                for (int i = 0; i < p->elems.len; i++)
                    check_pat_mode(c, p->elems.items[i], ty_error(), refutable, mode);
                for (int i = 0; i < p->fields.len; i++)
                    check_pat_mode(c, ((FieldPat *)p->fields.items[i])->pat, ty_error(), refutable, mode);
                return;
            }
        }
        p->def = d;
        p->path->def = d;
        if (d->kind == DEF_CONST) {
            if (!unify(d->type, t))
                mismatch(p->span, t, d->type);
            return;
        }
        AdtDef *a = d->adt;
        VariantInfo *v = &a->variants[d->kind == DEF_VARIANT ? d->variant : 0];
        Type *self = adt_instance(a, t);
        if (!unify(self, t)) {
            if (rt->kind != TY_ERROR) {
                Diag *dg = diag_error("E0308", p->span, "mismatched types");
                diag_primary_label(dg, "expected `%s`, found `%s`", ty_str(t), ty_str(self));
            }
        }
        self = ty_resolve(self);
        int nf = v->nfields;
        Type *ft[nf + 1];
        for (int i = 0; i < nf; i++)
            ft[i] = field_type(self, v, i);
        if (p->kind == PAT_PATH) {
            if (v->kind != SK_UNIT) {
                Diag *dg = diag_error("E0532", p->span, "expected unit struct, unit variant or constant, found %s `%s`",
                                      v->kind == SK_TUPLE ? "tuple variant" : "struct variant", v->name);
                (void)dg;
            }
            return;
        }
        if (p->kind == PAT_TUPLE_STRUCT) {
            if (v->kind != SK_TUPLE) {
                Diag *dg = diag_error("E0532", p->span, "expected tuple struct or tuple variant, found %s `%s`",
                                      v->kind == SK_UNIT ? "unit variant" : "struct variant", v->name);
                (void)dg;
                return;
            }
            check_subpats(c, p, &p->elems, ft, nf, refutable, mode, "tuple variant");
            return;
        }
        for (int i = 0; i < p->fields.len; i++) {
            FieldPat *fp = p->fields.items[i];
            int k = -1;
            for (int j = 0; j < nf; j++)
                if (strcmp(v->fields[j].name, fp->name) == 0)
                    k = j;
            if (k < 0) {
                Diag *dg = diag_error("E0026", fp->span, "%s `%s` does not have a field named `%s`",
                                      a->is_enum ? "variant" : "struct",
                                      a->is_enum ? xprintf("%s::%s", a->name, v->name) : a->name, fp->name);
                diag_primary_label(dg, "%s `%s` does not have this field", a->is_enum ? "variant" : "struct",
                                   a->is_enum ? xprintf("%s::%s", a->name, v->name) : a->name);
                check_pat_mode(c, fp->pat, ty_error(), refutable, mode);
                continue;
            }
            check_pat_mode(c, fp->pat, ft[k], refutable, mode);
        }
        if (!p->has_rest) {
            StrBuf m;
            sb_init(&m);
            int nm = 0;
            for (int j = 0; j < nf; j++) {
                bool seen = false;
                for (int i = 0; i < p->fields.len; i++)
                    seen |= strcmp(((FieldPat *)p->fields.items[i])->name, v->fields[j].name) == 0;
                if (!seen) {
                    if (nm++)
                        sb_puts(&m, ", ");
                    sb_printf(&m, "`%s`", v->fields[j].name);
                }
            }
            if (nm) {
                Diag *dg = diag_error("E0027", p->span, "pattern does not mention field%s %s", nm > 1 ? "s" : "", m.data);
                (void)dg;
            }
            sb_free(&m);
        }
        return;
    }
    case PAT_REF: {
        if (rt->kind != TY_REF) {
            if (rt->kind != TY_ERROR) {
                Diag *d = diag_error("E0308", p->span, "mismatched types");
                diag_primary_label(d, "expected `%s`, found `&_`", ty_str(t));
            }
            check_pat_mode(c, p->sub, ty_error(), refutable, BM_MOVE_MODE);
            return;
        }
        check_pat_mode(c, p->sub, rt->args[0], refutable, BM_MOVE_MODE);
        return;
    }
    case PAT_OR: {
        /* Each alternative must bind the same names with the same types:
         * check the first normally, then the others into a scratch scope
         * and unify their bindings with the first's. */
        int start = c->scope->locals.len;
        check_pat_mode(c, p->elems.items[0], t, refutable, mode);
        int nb = c->scope->locals.len - start;
        for (int i = 1; i < p->elems.len; i++) {
            push_scope(c);
            check_pat_mode(c, p->elems.items[i], t, refutable, mode);
            for (int k = 0; k < c->scope->locals.len; k++) {
                Local *l = c->scope->locals.items[k];
                Local *first = NULL;
                for (int j = start; j < start + nb; j++) {
                    Local *f = c->scope->parent->locals.items[j];
                    if (strcmp(f->name, l->name) == 0)
                        first = f;
                }
                if (!first) {
                    Diag *d = diag_error("E0408", l->span, "variable `%s` is not bound in all patterns", l->name);
                    (void)d;
                } else {
                    unify(first->type, l->type);
                    /* alternatives share the first alternative's C variable */
                    l->cname = first->cname;
                }
            }
            pop_scope(c);
        }
        return;
    }
    case PAT_SLICE: {
        Type *elem = NULL;
        if (rt->kind == TY_ARRAY || rt->kind == TY_SLICE)
            elem = rt->args[0];
        if (!elem) {
            if (rt->kind != TY_ERROR) {
                Diag *d = diag_error("E0529", p->span, "expected an array or slice, found `%s`", ty_str(t));
                (void)d;
            }
            elem = ty_error();
        }
        for (int i = 0; i < p->elems.len; i++) {
            Pat *sp = p->elems.items[i];
            if (sp->kind == PAT_REST) {
                sp->ty = ty_unit();
                continue;
            }
            if (sp->kind == PAT_IDENT && sp->sub && sp->sub->kind == PAT_REST) {
                unsupported(sp->span, "`name @ ..` in a slice pattern");
                continue;
            }
            check_pat_mode(c, sp, elem, refutable, mode);
        }
        return;
    }
    }
}

static void check_pat(Ctx *c, Pat *p, Type *t, bool refutable)
{
    check_pat_mode(c, p, t, refutable, BM_MOVE_MODE);
}

/* ---- exhaustiveness (E0004, E0005) --------------------------------------------------
 * The usefulness algorithm of Maranget's "Warnings for pattern matching",
 * specialised to the question "is the all-wildcard row useful?": a match is
 * exhaustive iff a wildcard after all arms would be useless. Rows are
 * arrays of patterns (NULL is a wildcard); guarded arms do not count. */

typedef struct Row {
    Pat **cols;
} Row;

/* Strip bindings: `x` and `x @ p` are wildcard / p for matching purposes. */
static Pat *head(Pat *p)
{
    while (p) {
        if (p->kind == PAT_WILD || p->kind == PAT_REST)
            return NULL;
        if (p->kind == PAT_IDENT && !p->def)
            p = p->sub;
        else
            break;
    }
    return p;
}

static int ctor_count(Type *t)
{
    t = ty_resolve(t);
    switch (t->kind) {
    case TY_BOOL: return 2;
    case TY_ADT: return t->adt->nvariants;
    case TY_TUPLE: case TY_REF: return 1;
    default: return 0; /* infinite */
    }
}

/* Which constructor does the (non-wildcard) head pattern p denote, for type t?
 * -1: a literal/range of an infinite type (never covers). */
static int ctor_of(Pat *p, Type *t)
{
    t = ty_resolve(t);
    switch (t->kind) {
    case TY_BOOL:
        if (p->kind == PAT_LIT && p->lit->kind == EX_BOOL)
            return p->lit->bool_val ? 1 : 0;
        return -1;
    case TY_ADT:
        if (p->def && (p->def->kind == DEF_VARIANT))
            return p->def->variant;
        if (p->def && p->def->kind == DEF_ADT)
            return 0;
        return -1;
    case TY_TUPLE:
    case TY_REF:
        return 0;
    default:
        return -1;
    }
}

static int ctor_arity(Type *t, int ctor, Type ***sub)
{
    t = ty_resolve(t);
    switch (t->kind) {
    case TY_ADT: {
        VariantInfo *v = &t->adt->variants[ctor];
        *sub = arena_alloc(g_arena, sizeof(Type *) * (size_t)(v->nfields + 1));
        for (int i = 0; i < v->nfields; i++)
            (*sub)[i] = field_type(t, v, i);
        return v->nfields;
    }
    case TY_TUPLE:
        *sub = t->args;
        return t->nargs;
    case TY_REF:
        *sub = t->args;
        return 1;
    default:
        *sub = NULL;
        return 0;
    }
}

/* The subpatterns of p as constructor `ctor` of arity k (wildcards for `..`). */
static void sub_pats(Pat *p, Type *t, int k, Pat **out)
{
    for (int i = 0; i < k; i++)
        out[i] = NULL;
    Type *rt = ty_resolve(t);
    if (rt->kind == TY_REF) {
        out[0] = p->kind == PAT_REF ? p->sub : p; /* explicit &p, or match ergonomics */
        return;
    }
    if (p->kind == PAT_TUPLE || p->kind == PAT_TUPLE_STRUCT) {
        List *el = &p->elems;
        int rest = -1;
        for (int i = 0; i < el->len; i++)
            if (((Pat *)el->items[i])->kind == PAT_REST)
                rest = i;
        for (int i = 0; i < el->len; i++) {
            if (i == rest)
                continue;
            int idx = rest < 0 || i < rest ? i : k - (el->len - i);
            if (idx >= 0 && idx < k)
                out[idx] = el->items[i];
        }
    } else if (p->kind == PAT_STRUCT && rt->kind == TY_ADT) {
        VariantInfo *v = &rt->adt->variants[ctor_of(p, t) < 0 ? 0 : ctor_of(p, t)];
        for (int i = 0; i < p->fields.len; i++) {
            FieldPat *fp = p->fields.items[i];
            for (int j = 0; j < v->nfields && j < k; j++)
                if (strcmp(v->fields[j].name, fp->name) == 0)
                    out[j] = fp->pat;
        }
    }
}

/* Expand or-patterns in column 0 into several rows. */
static void expand_or(List *rows, int n)
{
    for (int i = 0; i < rows->len; i++) {
        Row *r = rows->items[i];
        Pat *h = head(r->cols[0]);
        if (h && h->kind == PAT_OR) {
            for (int a = 0; a < h->elems.len; a++) {
                Row *nr = NEW(Row);
                nr->cols = arena_alloc(g_arena, sizeof(Pat *) * (size_t)(n + 1));
                memcpy(nr->cols, r->cols, sizeof(Pat *) * (size_t)n);
                nr->cols[0] = h->elems.items[a];
                if (a == 0)
                    rows->items[i] = nr;
                else
                    list_push(rows, nr);
            }
            i--; /* re-examine the replaced row (nested or) */
        }
    }
}

static bool useful(List *rows, Type **types, int n, int depth)
{
    if (n == 0)
        return rows->len == 0;
    if (depth > 64)
        return false;
    expand_or(rows, n);
    Type *t = ty_resolve(types[0]);
    int nctors = ctor_count(t);
    /* Peel references transparently: a row's head may have derefs from
     * match ergonomics; treat &T as a one-constructor type. */
    bool *present = nctors ? arena_alloc(g_arena, (size_t)nctors) : NULL;
    bool all = nctors > 0;
    for (int i = 0; i < rows->len; i++) {
        Pat *h = head(((Row *)rows->items[i])->cols[0]);
        if (h && nctors) {
            int ct = ctor_of(h, t);
            if (ct >= 0)
                present[ct] = true;
        }
    }
    for (int k = 0; k < nctors; k++)
        all &= present[k];
    if (all) {
        for (int ct = 0; ct < nctors; ct++) {
            Type **sub;
            int ar = ctor_arity(t, ct, &sub);
            List spec = {0};
            for (int i = 0; i < rows->len; i++) {
                Row *r = rows->items[i];
                Pat *h = head(r->cols[0]);
                if (h && ctor_of(h, t) != ct && !(t->kind == TY_REF))
                    continue;
                Row *nr = NEW(Row);
                nr->cols = arena_alloc(g_arena, sizeof(Pat *) * (size_t)(ar + n));
                if (h)
                    sub_pats(h, t, ar, nr->cols);
                for (int j = 1; j < n; j++)
                    nr->cols[ar + j - 1] = r->cols[j];
                list_push(&spec, nr);
            }
            Type **nt = arena_alloc(g_arena, sizeof(Type *) * (size_t)(ar + n));
            for (int j = 0; j < ar; j++)
                nt[j] = sub[j];
            for (int j = 1; j < n; j++)
                nt[ar + j - 1] = types[j];
            if (useful(&spec, nt, ar + n - 1, depth + 1))
                return true;
        }
        return false;
    }
    /* default matrix: rows whose head is a wildcard */
    List def = {0};
    for (int i = 0; i < rows->len; i++) {
        Row *r = rows->items[i];
        if (!head(r->cols[0])) {
            Row *nr = NEW(Row);
            nr->cols = r->cols + 1;
            list_push(&def, nr);
        }
    }
    return useful(&def, types + 1, n - 1, depth + 1);
}

/* A name for an uncovered top-level constructor, as rustc prints it. */
static const char *witness(List *pats, Type *t)
{
    t = ty_resolve(t);
    while (t->kind == TY_REF)
        t = ty_resolve(t->args[0]);
    int n = ctor_count(t);
    if (t->kind == TY_BOOL || t->kind == TY_ADT) {
        for (int ct = 0; ct < n; ct++) {
            bool seen = false;
            for (int i = 0; i < pats->len && !seen; i++) {
                Pat *h = head(pats->items[i]);
                if (!h)
                    return "_";
                if (h->kind == PAT_OR) {
                    for (int a = 0; a < h->elems.len; a++) {
                        Pat *ha = head(h->elems.items[a]);
                        seen |= !ha || ctor_of(ha, t) == ct;
                    }
                } else {
                    seen |= ctor_of(h, t) == ct;
                }
            }
            if (seen)
                continue;
            if (t->kind == TY_BOOL)
                return ct ? "true" : "false";
            VariantInfo *v = &t->adt->variants[ct];
            const char *pre = t->adt->builtin || !t->adt->is_enum ? "" : xprintf("%s::", t->adt->name);
            if (v->kind == SK_UNIT)
                return xprintf("%s%s", pre, v->name);
            if (v->kind == SK_TUPLE) {
                StrBuf sb;
                sb_init(&sb);
                for (int i = 0; i < v->nfields; i++)
                    sb_puts(&sb, i ? ", _" : "_");
                const char *s = xprintf("%s%s(%s)", pre, v->name, sb.data);
                sb_free(&sb);
                return s;
            }
            return xprintf("%s%s { .. }", pre, v->name);
        }
    }
    if (ty_is_int(t) && t->kind != TY_VAR)
        return xprintf("%s::MIN..=%s::MAX", ty_str(t), ty_str(t));
    return "_";
}

static bool pats_exhaustive(List *pats, Type *t)
{
    List rows = {0};
    for (int i = 0; i < pats->len; i++) {
        Row *r = NEW(Row);
        r->cols = arena_alloc(g_arena, sizeof(Pat *));
        r->cols[0] = pats->items[i];
        list_push(&rows, r);
    }
    Type *ts[1] = {t};
    return !useful(&rows, ts, 1, 0);
}

static bool match_exhaustive(Ctx *c, Expr *e, Type *t)
{
    (void)c;
    if (ty_resolve(t)->kind == TY_ERROR)
        return true;
    List pats = {0};
    for (int i = 0; i < e->arms.len; i++) {
        MatchArm *arm = e->arms.items[i];
        if (!arm->guard)
            list_push(&pats, arm->pat);
    }
    if (pats_exhaustive(&pats, t))
        return true;
    const char *w = witness(&pats, t);
    Diag *d = diag_error("E0004", e->operand->span, "non-exhaustive patterns: `%s` not covered", w);
    diag_primary_label(d, "pattern `%s` not covered", w);
    diag_note(d, "the matched value is of type `%s`", ty_str(t));
    return false;
}

/* Does p contain a path pattern that did not resolve (already reported)? */
static bool pat_unresolved(Pat *p)
{
    if (!p)
        return false;
    if ((p->kind == PAT_STRUCT || p->kind == PAT_TUPLE_STRUCT) && !p->def)
        return true;
    if (pat_unresolved(p->sub))
        return true;
    for (int i = 0; i < p->elems.len; i++)
        if (pat_unresolved(p->elems.items[i]))
            return true;
    for (int i = 0; i < p->fields.len; i++)
        if (pat_unresolved(((FieldPat *)p->fields.items[i])->pat))
            return true;
    return false;
}

static void check_irrefutable(Pat *p, Type *t, const char *what)
{
    if (ty_resolve(t)->kind == TY_ERROR || pat_unresolved(p))
        return;
    List pats = {0};
    list_push(&pats, p);
    if (pats_exhaustive(&pats, t))
        return;
    const char *w = witness(&pats, t);
    Diag *d = diag_error("E0005", p->span, "refutable pattern in %s", what);
    diag_primary_label(d, "pattern `%s` not covered", w);
}

/* ---- method calls ----------------------------------------------------------------------
 * Receiver probing as rustc: peel references off the receiver type to its
 * base type B; look for an inherent method of B (user impls), then a std
 * method mrsc implements for B's family (str methods also on String, slice
 * methods also on Vec and arrays). The receiver's Adjust records the
 * derefs, and the auto-ref the method's self mode needs. */

typedef enum Family {
    FAM_ANY, FAM_INT, FAM_FLOAT, FAM_CHAR, FAM_STR, FAM_STRING, FAM_VEC, FAM_SLICE, FAM_OPTION,
    FAM_RESULT, FAM_ITER, FAM_RANGE,
} Family;

typedef struct MethodEntry {
    Family fam;
    const char *name;
    BuiltinMethod bm;
    int self_mode; /* 0 by value, 1 &self, 2 &mut self */
} MethodEntry;

static const MethodEntry method_table[] = {
    {FAM_ANY, "clone", BM_CLONE, 1}, {FAM_ANY, "to_string", BM_TO_STRING, 1}, {FAM_ANY, "to_owned", BM_TO_OWNED, 1},
    {FAM_ANY, "eq", BM_EQ, 1}, {FAM_ANY, "ne", BM_NE, 1}, {FAM_ANY, "cmp", BM_CMP, 1},
    {FAM_ANY, "partial_cmp", BM_PARTIAL_CMP, 1},
    {FAM_INT, "max", BM_MAX, 0}, {FAM_INT, "min", BM_MIN, 0},
    {FAM_INT, "pow", BM_INT_POW, 0}, {FAM_INT, "abs", BM_INT_ABS, 0},
    {FAM_INT, "checked_add", BM_INT_CHECKED_ADD, 0}, {FAM_INT, "checked_sub", BM_INT_CHECKED_SUB, 0},
    {FAM_INT, "checked_mul", BM_INT_CHECKED_MUL, 0}, {FAM_INT, "checked_div", BM_INT_CHECKED_DIV, 0},
    {FAM_INT, "checked_rem", BM_INT_CHECKED_REM, 0}, {FAM_INT, "checked_pow", BM_INT_CHECKED_POW, 0},
    {FAM_INT, "wrapping_add", BM_INT_WRAPPING_ADD, 0}, {FAM_INT, "wrapping_sub", BM_INT_WRAPPING_SUB, 0},
    {FAM_INT, "wrapping_mul", BM_INT_WRAPPING_MUL, 0}, {FAM_INT, "wrapping_neg", BM_INT_WRAPPING_NEG, 0},
    {FAM_INT, "wrapping_pow", BM_INT_WRAPPING_POW, 0}, {FAM_INT, "saturating_add", BM_INT_SATURATING_ADD, 0},
    {FAM_INT, "saturating_sub", BM_INT_SATURATING_SUB, 0}, {FAM_INT, "saturating_mul", BM_INT_SATURATING_MUL, 0},
    {FAM_INT, "saturating_pow", BM_INT_SATURATING_POW, 0}, {FAM_INT, "rem_euclid", BM_INT_REM_EUCLID, 0},
    {FAM_INT, "div_euclid", BM_INT_DIV_EUCLID, 0}, {FAM_INT, "count_ones", BM_INT_COUNT_ONES, 0},
    {FAM_INT, "count_zeros", BM_INT_COUNT_ZEROS, 0}, {FAM_INT, "leading_zeros", BM_INT_LEADING_ZEROS, 0},
    {FAM_INT, "trailing_zeros", BM_INT_TRAILING_ZEROS, 0}, {FAM_INT, "signum", BM_INT_SIGNUM, 0},
    {FAM_INT, "is_power_of_two", BM_INT_IS_POWER_OF_TWO, 0}, {FAM_INT, "is_positive", BM_INT_IS_POSITIVE, 0},
    {FAM_INT, "is_negative", BM_INT_IS_NEGATIVE, 0}, {FAM_INT, "abs_diff", BM_INT_ABS_DIFF, 0},
    {FAM_FLOAT, "sqrt", BM_F_SQRT, 0}, {FAM_FLOAT, "powi", BM_F_POWI, 0}, {FAM_FLOAT, "powf", BM_F_POWF, 0},
    {FAM_FLOAT, "abs", BM_F_ABS, 0}, {FAM_FLOAT, "floor", BM_F_FLOOR, 0}, {FAM_FLOAT, "ceil", BM_F_CEIL, 0},
    {FAM_FLOAT, "round", BM_F_ROUND, 0}, {FAM_FLOAT, "trunc", BM_F_TRUNC, 0}, {FAM_FLOAT, "min", BM_F_MIN, 0},
    {FAM_FLOAT, "max", BM_F_MAX, 0}, {FAM_FLOAT, "is_nan", BM_F_IS_NAN, 0}, {FAM_FLOAT, "sin", BM_F_SIN, 0},
    {FAM_FLOAT, "cos", BM_F_COS, 0}, {FAM_FLOAT, "tan", BM_F_TAN, 0}, {FAM_FLOAT, "exp", BM_F_EXP, 0},
    {FAM_FLOAT, "ln", BM_F_LN, 0}, {FAM_FLOAT, "log10", BM_F_LOG10, 0}, {FAM_FLOAT, "signum", BM_F_SIGNUM, 0},
    {FAM_FLOAT, "fract", BM_F_FRACT, 0}, {FAM_FLOAT, "hypot", BM_F_HYPOT, 0}, {FAM_FLOAT, "atan2", BM_F_ATAN2, 0},
    {FAM_FLOAT, "to_degrees", BM_F_TO_DEGREES, 0}, {FAM_FLOAT, "to_radians", BM_F_TO_RADIANS, 0},
    {FAM_FLOAT, "clamp", BM_F_CLAMP, 0}, {FAM_FLOAT, "mul_add", BM_F_MUL_ADD, 0},
    {FAM_FLOAT, "is_finite", BM_F_IS_FINITE, 0}, {FAM_FLOAT, "is_infinite", BM_F_IS_INFINITE, 0},
    {FAM_CHAR, "is_alphabetic", BM_C_IS_ALPHABETIC, 0}, {FAM_CHAR, "is_numeric", BM_C_IS_NUMERIC, 0},
    {FAM_CHAR, "is_alphanumeric", BM_C_IS_ALPHANUMERIC, 0}, {FAM_CHAR, "is_whitespace", BM_C_IS_WHITESPACE, 0},
    {FAM_CHAR, "is_uppercase", BM_C_IS_UPPERCASE, 0}, {FAM_CHAR, "is_lowercase", BM_C_IS_LOWERCASE, 0},
    {FAM_CHAR, "is_ascii_digit", BM_C_IS_ASCII_DIGIT, 1}, {FAM_CHAR, "is_ascii_alphabetic", BM_C_IS_ASCII_ALPHABETIC, 1},
    {FAM_CHAR, "is_ascii_alphanumeric", BM_C_IS_ASCII_ALPHANUMERIC, 1},
    {FAM_CHAR, "is_ascii_uppercase", BM_C_IS_ASCII_UPPERCASE, 1},
    {FAM_CHAR, "is_ascii_lowercase", BM_C_IS_ASCII_LOWERCASE, 1},
    {FAM_CHAR, "is_ascii_punctuation", BM_C_IS_ASCII_PUNCTUATION, 1},
    {FAM_CHAR, "is_ascii_whitespace", BM_C_IS_ASCII_WHITESPACE, 1}, {FAM_CHAR, "is_ascii", BM_C_IS_ASCII, 1},
    {FAM_CHAR, "to_ascii_uppercase", BM_C_TO_ASCII_UPPERCASE, 1},
    {FAM_CHAR, "to_ascii_lowercase", BM_C_TO_ASCII_LOWERCASE, 1}, {FAM_CHAR, "to_digit", BM_C_TO_DIGIT, 0},
    {FAM_CHAR, "len_utf8", BM_C_LEN_UTF8, 0}, {FAM_CHAR, "is_digit", BM_C_IS_DIGIT, 0},
    {FAM_CHAR, "is_control", BM_C_IS_CONTROL, 0},
    {FAM_STRING, "push", BM_STRING_PUSH, 2}, {FAM_STRING, "push_str", BM_STRING_PUSH_STR, 2},
    {FAM_STRING, "insert", BM_STRING_INSERT, 2}, {FAM_STRING, "insert_str", BM_STRING_INSERT_STR, 2},
    {FAM_STRING, "pop", BM_STRING_POP, 2}, {FAM_STRING, "clear", BM_STRING_CLEAR, 2},
    {FAM_STRING, "as_str", BM_STRING_AS_STR, 1}, {FAM_STRING, "truncate", BM_STRING_TRUNCATE, 2},
    {FAM_STRING, "remove", BM_STRING_REMOVE, 2}, {FAM_STRING, "capacity", BM_STRING_CAPACITY, 1},
    {FAM_STR, "len", BM_S_LEN, 1}, {FAM_STR, "is_empty", BM_S_IS_EMPTY, 1}, {FAM_STR, "chars", BM_S_CHARS, 1},
    {FAM_STR, "bytes", BM_S_BYTES, 1}, {FAM_STR, "as_bytes", BM_S_AS_BYTES, 1}, {FAM_STR, "lines", BM_S_LINES, 1},
    {FAM_STR, "split", BM_S_SPLIT, 1}, {FAM_STR, "split_whitespace", BM_S_SPLIT_WHITESPACE, 1},
    {FAM_STR, "trim", BM_S_TRIM, 1}, {FAM_STR, "trim_start", BM_S_TRIM_START, 1},
    {FAM_STR, "trim_end", BM_S_TRIM_END, 1}, {FAM_STR, "starts_with", BM_S_STARTS_WITH, 1},
    {FAM_STR, "ends_with", BM_S_ENDS_WITH, 1}, {FAM_STR, "contains", BM_S_CONTAINS, 1},
    {FAM_STR, "find", BM_S_FIND, 1}, {FAM_STR, "replace", BM_S_REPLACE, 1}, {FAM_STR, "repeat", BM_S_REPEAT, 1},
    {FAM_STR, "to_uppercase", BM_S_TO_UPPERCASE, 1}, {FAM_STR, "to_lowercase", BM_S_TO_LOWERCASE, 1},
    {FAM_STR, "to_ascii_uppercase", BM_S_TO_ASCII_UPPERCASE, 1},
    {FAM_STR, "to_ascii_lowercase", BM_S_TO_ASCII_LOWERCASE, 1}, {FAM_STR, "parse", BM_S_PARSE, 1},
    {FAM_STR, "char_indices", BM_S_CHAR_INDICES, 1},
    {FAM_STR, "eq_ignore_ascii_case", BM_S_EQ_IGNORE_ASCII_CASE, 1},
    {FAM_VEC, "push", BM_VEC_PUSH, 2}, {FAM_VEC, "pop", BM_VEC_POP, 2}, {FAM_VEC, "insert", BM_VEC_INSERT, 2},
    {FAM_VEC, "remove", BM_VEC_REMOVE, 2}, {FAM_VEC, "truncate", BM_VEC_TRUNCATE, 2},
    {FAM_VEC, "clear", BM_VEC_CLEAR, 2}, {FAM_VEC, "extend_from_slice", BM_VEC_EXTEND_FROM_SLICE, 2},
    {FAM_VEC, "dedup", BM_VEC_DEDUP, 2}, {FAM_VEC, "swap_remove", BM_VEC_SWAP_REMOVE, 2},
    {FAM_VEC, "capacity", BM_VEC_CAPACITY, 1}, {FAM_VEC, "into_iter", BM_VEC_INTO_ITER, 0},
    {FAM_VEC, "as_slice", BM_VEC_AS_SLICE, 1},
    {FAM_SLICE, "len", BM_SL_LEN, 1}, {FAM_SLICE, "is_empty", BM_SL_IS_EMPTY, 1}, {FAM_SLICE, "iter", BM_SL_ITER, 1},
    {FAM_SLICE, "iter_mut", BM_SL_ITER_MUT, 2}, {FAM_SLICE, "contains", BM_SL_CONTAINS, 1},
    {FAM_SLICE, "first", BM_SL_FIRST, 1}, {FAM_SLICE, "last", BM_SL_LAST, 1}, {FAM_SLICE, "get", BM_SL_GET, 1},
    {FAM_SLICE, "sort", BM_SL_SORT, 2}, {FAM_SLICE, "sort_unstable", BM_SL_SORT_UNSTABLE, 2},
    {FAM_SLICE, "reverse", BM_SL_REVERSE, 2}, {FAM_SLICE, "swap", BM_SL_SWAP, 2},
    {FAM_SLICE, "to_vec", BM_SL_TO_VEC, 1}, {FAM_SLICE, "join", BM_SL_JOIN, 1}, {FAM_SLICE, "concat", BM_SL_CONCAT, 1},
    {FAM_OPTION, "unwrap", BM_OPT_UNWRAP, 0}, {FAM_OPTION, "expect", BM_OPT_EXPECT, 0},
    {FAM_OPTION, "is_some", BM_OPT_IS_SOME, 1}, {FAM_OPTION, "is_none", BM_OPT_IS_NONE, 1},
    {FAM_OPTION, "unwrap_or", BM_OPT_UNWRAP_OR, 0}, {FAM_OPTION, "take", BM_OPT_TAKE, 2},
    {FAM_OPTION, "as_ref", BM_OPT_AS_REF, 1}, {FAM_OPTION, "as_mut", BM_OPT_AS_MUT, 2},
    {FAM_OPTION, "ok_or", BM_OPT_OK_OR, 0}, {FAM_OPTION, "unwrap_or_default", BM_OPT_UNWRAP_OR_DEFAULT, 0},
    {FAM_OPTION, "copied", BM_OPT_COPIED, 0}, {FAM_OPTION, "cloned", BM_OPT_CLONED, 0},
    {FAM_RESULT, "unwrap", BM_RES_UNWRAP, 0}, {FAM_RESULT, "expect", BM_RES_EXPECT, 0},
    {FAM_RESULT, "is_ok", BM_RES_IS_OK, 1}, {FAM_RESULT, "is_err", BM_RES_IS_ERR, 1},
    {FAM_RESULT, "unwrap_or", BM_RES_UNWRAP_OR, 0}, {FAM_RESULT, "ok", BM_RES_OK, 0},
    {FAM_RESULT, "err", BM_RES_ERR, 0}, {FAM_RESULT, "unwrap_err", BM_RES_UNWRAP_ERR, 0},
    {FAM_RESULT, "unwrap_or_default", BM_RES_UNWRAP_OR_DEFAULT, 0},
    {FAM_ITER, "next", BM_IT_NEXT, 2}, {FAM_ITER, "enumerate", BM_IT_ENUMERATE, 0}, {FAM_ITER, "rev", BM_IT_REV, 0},
    {FAM_ITER, "sum", BM_IT_SUM, 0}, {FAM_ITER, "product", BM_IT_PRODUCT, 0}, {FAM_ITER, "max", BM_IT_MAX, 0},
    {FAM_ITER, "min", BM_IT_MIN, 0}, {FAM_ITER, "count", BM_IT_COUNT, 0}, {FAM_ITER, "collect", BM_IT_COLLECT, 0},
    {FAM_ITER, "last", BM_IT_LAST, 0},
    {FAM_RANGE, "contains", BM_RANGE_CONTAINS, 1}, {FAM_RANGE, "len", BM_RANGE_LEN, 1},
    {FAM_INT, "rotate_left", BM_INT_ROTATE_LEFT, 0}, {FAM_INT, "rotate_right", BM_INT_ROTATE_RIGHT, 0},
    {FAM_SLICE, "sort_by", BM_SL_SORT_BY, 2}, {FAM_SLICE, "sort_by_key", BM_SL_SORT_BY_KEY, 2},
    {FAM_VEC, "retain", BM_VEC_RETAIN, 2},
    {FAM_OPTION, "or", BM_OPT_OR, 0}, {FAM_OPTION, "map", BM_OPT_MAP, 0}, {FAM_RESULT, "map", BM_RES_MAP, 0},
    {FAM_RESULT, "map_err", BM_RES_MAP_ERR, 0}, {FAM_STR, "is_char_boundary", BM_S_IS_CHAR_BOUNDARY, 1},
    {FAM_OPTION, "unwrap_or_else", BM_OPT_UNWRAP_OR_ELSE, 0}, {FAM_RESULT, "unwrap_or_else", BM_RES_UNWRAP_OR_ELSE, 0},
    {FAM_OPTION, "and_then", BM_OPT_AND_THEN, 0}, {FAM_ITER, "map", BM_IT_MAP, 0},
    {FAM_ITER, "filter", BM_IT_FILTER, 0}, {FAM_ITER, "fold", BM_IT_FOLD, 0}, {FAM_ITER, "any", BM_IT_ANY, 2},
    {FAM_ITER, "all", BM_IT_ALL, 2}, {FAM_ITER, "for_each", BM_IT_FOR_EACH, 0},
    {FAM_STR, "split_at", BM_S_SPLIT_AT, 1}, {FAM_SLICE, "split_at", BM_SL_SPLIT_AT, 1},
    {FAM_STR, "split_once", BM_S_SPLIT_ONCE, 1}, {FAM_STR, "get", BM_S_GET, 1}, {FAM_ITER, "nth", BM_IT_NTH, 2},
    {FAM_CHAR, "max", BM_MAX, 0}, {FAM_CHAR, "min", BM_MIN, 0},
};

static int families_of(Type *b, Family out[4])
{
    int n = 0;
    switch (b->kind) {
    case TY_STRING: out[n++] = FAM_STRING; out[n++] = FAM_STR; break;
    case TY_STR: out[n++] = FAM_STR; break;
    case TY_VEC: out[n++] = FAM_VEC; out[n++] = FAM_SLICE; break;
    case TY_ARRAY: case TY_SLICE: out[n++] = FAM_SLICE; break;
    case TY_CHAR: out[n++] = FAM_CHAR; break;
    case TY_F32: case TY_F64: out[n++] = FAM_FLOAT; break;
    case TY_ADT:
        if (b->adt == prog->option) out[n++] = FAM_OPTION;
        if (b->adt == prog->result) out[n++] = FAM_RESULT;
        break;
    case TY_ITER: out[n++] = FAM_ITER; break;
    case TY_RANGE: out[n++] = FAM_RANGE; out[n++] = FAM_ITER; break;
    default:
        break;
    }
    if (b->kind == TY_ADT && user_iter_item(b))
        out[n++] = FAM_ITER;
    if (b->kind <= TY_USIZE)
        out[n++] = FAM_INT;
    out[n++] = FAM_ANY;
    return n;
}

/* Names of std methods of Option, Result, Ordering, Vec, slices, strings
 * and iterators that mrsc does not implement: "not supported", not E0599. */
static bool std_method_name(const char *name)
{
    static const char *names[] = {
        "filter", "map_or", "map_or_else", "is_some_and", "is_none_or", "is_ok_and", "is_err_and", "then",
        "then_with", "then_some", "zip", "skip", "take", "chain", "flat_map", "filter_map", "take_while",
        "skip_while", "step_by", "peekable", "windows", "chunks", "position", "find", "find_map", "min_by_key",
        "max_by_key", "min_by", "max_by", "dedup", "drain", "extend", "split_off", "sort_unstable_by",
        "binary_search", "flatten", "cloned", "copied", "inspect", "scan", "partition", "reduce", "try_fold",
        "unzip", "cycle", "get_or_insert_with", "xor", "zip_with", "or_else", "ok_or_else", "and", "iter_mut",
        "retain_mut", "dedup_by_key", "rposition", "rfind", "last_mut", "first_mut", "swap_remove", NULL,
    };
    for (int i = 0; names[i]; i++)
        if (!strcmp(names[i], name))
            return true;
    return false;
}

static const MethodEntry *find_builtin_method(Type *b, const char *name)
{
    Family fams[4];
    int nf = families_of(b, fams);
    for (int f = 0; f < nf; f++)
        for (size_t i = 0; i < sizeof method_table / sizeof method_table[0]; i++)
            if (method_table[i].fam == fams[f] && strcmp(method_table[i].name, name) == 0)
                return &method_table[i];
    return NULL;
}

static Type *opt_of(Type *t)
{
    Type *a[1] = {t};
    return ty_adt(prog->option, a, 1);
}

static Type *res_of(Type *t, Type *e)
{
    Type *a[2] = {t, e};
    return ty_adt(prog->result, a, 2);
}

/* str::get's argument: a range of usize. */
static Type *check_args_range(Ctx *c, Expr *e)
{
    if (e->args.len != 1) {
        check_args(c, e, e->name_span, &e->args, NULL, 1, "method");
        return ty_error();
    }
    Expr *a = e->args.items[0];
    Type *t = ty_resolve(check_expr(c, a, ty_range(ty_prim(TY_USIZE), false)));
    if (t->kind != TY_RANGE)
        mismatch(a->span, ty_range(ty_prim(TY_USIZE), false), t);
    else
        unify(t->args[0], ty_prim(TY_USIZE));
    return t;
}

static Type *check_margs(Ctx *c, Expr *e, Type **ps, int n)
{
    check_args(c, e, e->name_span, &e->args, ps, n, "method");
    return NULL;
}

static Type *deref_all(Type *t)
{
    t = ty_resolve(t);
    while (t->kind == TY_REF)
        t = ty_resolve(t->args[0]);
    return t;
}

/* The element type of the slice family receiver (Vec<T>, [T; N], [T]). */
static Type *slice_elem(Type *b) { return b->nargs ? b->args[0] : ty_error(); }

/* A turbofish or expected type for sum/collect/parse targets. */
static Type *target_type(Expr *e, Type *expected)
{
    if (e->generic_args.len == 1)
        return resolve_type(e->generic_args.items[0]);
    return expected;
}

static Type *user_iter_item(Type *t);

static Type *builtin_method_type(Ctx *c, Expr *e, const MethodEntry *me, Type *b, Type *expected, MethodRes *mr)
{
    Type *usize = ty_prim(TY_USIZE), *boolt = ty_prim(TY_BOOL), *u32t = ty_prim(TY_U32);
    /* the Item of an iterator receiver: std iterators carry it, a user's comes from its impl */
    Type *it_item = b->kind == TY_ITER || b->kind == TY_RANGE ? b->args[0] : user_iter_item(b);
    if (!it_item)
        it_item = ty_error();
    Type *str_ref = ty_ref(ty_prim(TY_STR), false);
    Type *p[3];
    switch (me->bm) {
    case BM_CLONE:
    case BM_TO_OWNED:
        check_margs(c, e, NULL, 0);
        if (b->kind == TY_STR)
            return ty_string();
        if (b->kind == TY_SLICE)
            return ty_vec(b->args[0]);
        if (b->kind == TY_ADT && !b->adt->builtin && !(b->adt->derives & DERIVE_CLONE)) {
            Diag *d = diag_error("E0599", e->name_span, "no method named `%s` found for %s `%s` in the current scope",
                                 e->name, b->adt->is_enum ? "enum" : "struct", ty_str(b));
            diag_primary_label(d, "method not found in `%s`", ty_str(b));
            return ty_error();
        }
        return b;
    case BM_TO_STRING:
        check_margs(c, e, NULL, 0);
        if ((b->kind == TY_ADT && !type_implements(b, prog->display)) || b->kind == TY_VEC || b->kind == TY_TUPLE ||
            b->kind == TY_ARRAY || b->kind == TY_SLICE) {
            Diag *d = diag_error("E0599", e->name_span, "the method `to_string` exists for %s `%s`, but its trait bounds were not satisfied",
                                 b->kind == TY_ADT ? (b->adt->is_enum ? "enum" : "struct") : "type", ty_str(b));
            diag_note(d, "`%s` doesn't implement `std::fmt::Display`", ty_str(b));
            return ty_error();
        }
        return ty_string();
    case BM_EQ:
    case BM_NE:
        p[0] = ty_ref(b, false);
        check_margs(c, e, p, 1);
        return boolt;
    case BM_CMP:
    case BM_PARTIAL_CMP: {
        p[0] = ty_ref(b, false);
        check_margs(c, e, p, 1);
        Type *ord = ty_adt(prog->ordering, NULL, 0);
        return me->bm == BM_CMP ? ord : opt_of(ord);
    }
    case BM_INT_ROTATE_LEFT:
    case BM_INT_ROTATE_RIGHT:
        p[0] = u32t;
        check_margs(c, e, p, 1);
        return b;
    case BM_OPT_OR:
        p[0] = b;
        check_margs(c, e, p, 1);
        return b;
    case BM_SL_SORT_BY:
    case BM_SL_SORT_BY_KEY:
    case BM_VEC_RETAIN: {
        if (e->args.len != 1) {
            check_margs(c, e, p, 1);
            return ty_unit();
        }
        Type *el = ty_ref(slice_elem(b), false);
        Type *ps[2] = {el, el};
        Type *r = check_callable_arg(c, e->args.items[0], ps, me->bm == BM_SL_SORT_BY ? 2 : 1, FN_MUT);
        if (!r)
            return ty_unit();
        if (me->bm == BM_SL_SORT_BY && !unify(r, ty_adt(prog->ordering, NULL, 0)))
            mismatch(((Expr *)e->args.items[0])->span, ty_adt(prog->ordering, NULL, 0), r);
        if (me->bm == BM_VEC_RETAIN && !unify(r, boolt))
            mismatch(((Expr *)e->args.items[0])->span, boolt, r);
        if (me->bm == BM_SL_SORT_BY_KEY)
            mr->aux = r;
        return ty_unit();
    }
    case BM_OPT_MAP:
    case BM_RES_MAP:
    case BM_RES_MAP_ERR: {
        if (e->args.len != 1) {
            check_margs(c, e, p, 1);
            return ty_error();
        }
        Type *in = me->bm == BM_RES_MAP_ERR ? b->args[1] : b->args[0];
        Type *r = check_callable_arg(c, e->args.items[0], &in, 1, FN_ONCE);
        if (!r)
            return ty_error();
        if (me->bm == BM_OPT_MAP)
            return opt_of(r);
        return me->bm == BM_RES_MAP ? res_of(r, b->args[1]) : res_of(b->args[0], r);
    }
    case BM_OPT_UNWRAP_OR_ELSE:
    case BM_RES_UNWRAP_OR_ELSE:
    case BM_OPT_AND_THEN: {
        if (e->args.len != 1) {
            check_margs(c, e, p, 1);
            return ty_error();
        }
        bool res = me->bm == BM_RES_UNWRAP_OR_ELSE, opt_in = me->bm == BM_OPT_AND_THEN;
        Type *in = res ? b->args[1] : b->args[0];
        Type *r = check_callable_arg(c, e->args.items[0], &in, res || opt_in ? 1 : 0, FN_ONCE);
        if (!r)
            return ty_error();
        if (opt_in) {
            Type *o = opt_of(ty_var(VAR_ANY));
            if (!unify(r, o))
                mismatch(((Expr *)e->args.items[0])->span, o, r);
            return r;
        }
        if (!unify(r, b->args[0]))
            mismatch(((Expr *)e->args.items[0])->span, b->args[0], r);
        return b->args[0];
    }
    case BM_S_IS_CHAR_BOUNDARY:
        p[0] = usize;
        check_margs(c, e, p, 1);
        return boolt;
    case BM_S_SPLIT_AT: {
        p[0] = usize;
        check_margs(c, e, p, 1);
        Type *el[2] = {str_ref, str_ref};
        return ty_tuple(el, 2);
    }
    case BM_SL_SPLIT_AT: {
        p[0] = usize;
        check_margs(c, e, p, 1);
        Type *sl = ty_ref(ty_slice(slice_elem(b)), false);
        Type *el[2] = {sl, sl};
        return ty_tuple(el, 2);
    }
    case BM_S_SPLIT_ONCE: {
        if (e->args.len != 1) {
            check_margs(c, e, p, 1);
            return ty_error();
        }
        Expr *a = e->args.items[0];
        Type *at = ty_resolve(check_expr(c, a, NULL));
        if (at->kind == TY_CHAR)
            mr->aux = ty_prim(TY_CHAR);
        else
            coerce(a, at, str_ref);
        Type *el[2] = {str_ref, str_ref};
        return opt_of(ty_tuple(el, 2));
    }
    case BM_S_GET: {
        Type *r = check_args_range(c, e);
        (void)r;
        return opt_of(str_ref);
    }
    case BM_IT_NTH:
        p[0] = usize;
        check_margs(c, e, p, 1);
        return opt_of(b->args[0]);
    case BM_MAX:
    case BM_MIN:
        p[0] = b;
        check_margs(c, e, p, 1);
        return b;
    case BM_INT_POW: case BM_INT_WRAPPING_POW: case BM_INT_SATURATING_POW:
        p[0] = u32t;
        check_margs(c, e, p, 1);
        return b;
    case BM_INT_CHECKED_POW:
        p[0] = u32t;
        check_margs(c, e, p, 1);
        return opt_of(b);
    case BM_INT_ABS: case BM_INT_WRAPPING_NEG: case BM_INT_SIGNUM:
        check_margs(c, e, NULL, 0);
        if (!ty_is_signed(b) && me->bm != BM_INT_WRAPPING_NEG) {
            Diag *d = diag_error("E0599", e->name_span, "no method named `%s` found for type `%s` in the current scope",
                                 e->name, ty_str(b));
            (void)d;
        }
        return b;
    case BM_INT_CHECKED_ADD: case BM_INT_CHECKED_SUB: case BM_INT_CHECKED_MUL: case BM_INT_CHECKED_DIV:
    case BM_INT_CHECKED_REM:
        p[0] = b;
        check_margs(c, e, p, 1);
        return opt_of(b);
    case BM_INT_WRAPPING_ADD: case BM_INT_WRAPPING_SUB: case BM_INT_WRAPPING_MUL: case BM_INT_SATURATING_ADD:
    case BM_INT_SATURATING_SUB: case BM_INT_SATURATING_MUL: case BM_INT_REM_EUCLID: case BM_INT_DIV_EUCLID:
        p[0] = b;
        check_margs(c, e, p, 1);
        return b;
    case BM_INT_ABS_DIFF:
        p[0] = b;
        check_margs(c, e, p, 1);
        return b; /* unsigned counterpart for signed types: rare, approximated */
    case BM_INT_COUNT_ONES: case BM_INT_COUNT_ZEROS: case BM_INT_LEADING_ZEROS: case BM_INT_TRAILING_ZEROS:
        check_margs(c, e, NULL, 0);
        return u32t;
    case BM_INT_IS_POWER_OF_TWO: case BM_INT_IS_POSITIVE: case BM_INT_IS_NEGATIVE:
        check_margs(c, e, NULL, 0);
        return boolt;
    case BM_F_POWI:
        p[0] = ty_prim(TY_I32);
        check_margs(c, e, p, 1);
        return b;
    case BM_F_POWF: case BM_F_MIN: case BM_F_MAX: case BM_F_HYPOT: case BM_F_ATAN2:
        p[0] = b;
        check_margs(c, e, p, 1);
        return b;
    case BM_F_CLAMP: case BM_F_MUL_ADD:
        p[0] = b;
        p[1] = b;
        check_margs(c, e, p, 2);
        return b;
    case BM_F_IS_NAN: case BM_F_IS_FINITE: case BM_F_IS_INFINITE:
        check_margs(c, e, NULL, 0);
        return boolt;
    case BM_F_SQRT: case BM_F_ABS: case BM_F_FLOOR: case BM_F_CEIL: case BM_F_ROUND: case BM_F_TRUNC:
    case BM_F_SIN: case BM_F_COS: case BM_F_TAN: case BM_F_EXP: case BM_F_LN: case BM_F_LOG10: case BM_F_SIGNUM:
    case BM_F_FRACT: case BM_F_TO_DEGREES: case BM_F_TO_RADIANS:
        check_margs(c, e, NULL, 0);
        return b;
    case BM_C_TO_DIGIT:
        p[0] = u32t;
        check_margs(c, e, p, 1);
        return opt_of(u32t);
    case BM_C_IS_DIGIT:
        p[0] = u32t;
        check_margs(c, e, p, 1);
        return boolt;
    case BM_C_LEN_UTF8:
        check_margs(c, e, NULL, 0);
        return usize;
    case BM_C_TO_ASCII_UPPERCASE: case BM_C_TO_ASCII_LOWERCASE:
        check_margs(c, e, NULL, 0);
        return ty_prim(TY_CHAR);
    case BM_C_IS_ALPHABETIC: case BM_C_IS_NUMERIC: case BM_C_IS_ALPHANUMERIC: case BM_C_IS_WHITESPACE:
    case BM_C_IS_UPPERCASE: case BM_C_IS_LOWERCASE: case BM_C_IS_ASCII_DIGIT: case BM_C_IS_ASCII_ALPHABETIC:
    case BM_C_IS_ASCII_ALPHANUMERIC: case BM_C_IS_ASCII_UPPERCASE: case BM_C_IS_ASCII_LOWERCASE:
    case BM_C_IS_ASCII_PUNCTUATION: case BM_C_IS_ASCII_WHITESPACE: case BM_C_IS_ASCII: case BM_C_IS_CONTROL:
        check_margs(c, e, NULL, 0);
        return boolt;
    case BM_S_LEN:
        check_margs(c, e, NULL, 0);
        return usize;
    case BM_S_IS_EMPTY:
        check_margs(c, e, NULL, 0);
        return boolt;
    case BM_S_CHARS:
        check_margs(c, e, NULL, 0);
        return ty_iter(ITER_CHARS, ty_prim(TY_CHAR), NULL);
    case BM_S_CHAR_INDICES: {
        check_margs(c, e, NULL, 0);
        Type *el[2] = {usize, ty_prim(TY_CHAR)};
        return ty_iter(ITER_CHAR_INDICES, ty_tuple(el, 2), NULL);
    }
    case BM_S_BYTES:
        check_margs(c, e, NULL, 0);
        return ty_iter(ITER_BYTES, ty_prim(TY_U8), NULL);
    case BM_S_AS_BYTES:
        check_margs(c, e, NULL, 0);
        return ty_ref(ty_slice(ty_prim(TY_U8)), false);
    case BM_S_LINES:
        check_margs(c, e, NULL, 0);
        return ty_iter(ITER_LINES, str_ref, NULL);
    case BM_S_SPLIT_WHITESPACE:
        check_margs(c, e, NULL, 0);
        return ty_iter(ITER_SPLIT_WS, str_ref, NULL);
    case BM_S_SPLIT:
    case BM_S_STARTS_WITH:
    case BM_S_ENDS_WITH:
    case BM_S_CONTAINS:
    case BM_S_FIND: {
        /* the pattern: &str, String via &, or char */
        if (e->args.len != 1) {
            check_margs(c, e, p, 1);
            return ty_error();
        }
        Expr *a = e->args.items[0];
        Type *at = ty_resolve(check_expr(c, a, NULL));
        if (at->kind == TY_CHAR) {
            mr->aux = ty_prim(TY_CHAR);
        } else if (!(at->kind == TY_REF && ty_resolve(at->args[0])->kind == TY_STR) && !try_coerce(a, at, str_ref) &&
                   at->kind != TY_ERROR) {
            Diag *d = diag_error("E0277", a->span, "the trait bound `%s: Pattern` is not satisfied", ty_str(at));
            diag_primary_label(d, "the trait `Pattern` is not implemented for `%s`", ty_str(at));
        }
        if (me->bm == BM_S_SPLIT)
            return ty_iter(ITER_SPLIT, str_ref, NULL);
        if (me->bm == BM_S_FIND)
            return opt_of(usize);
        return boolt;
    }
    case BM_S_TRIM: case BM_S_TRIM_START: case BM_S_TRIM_END:
        check_margs(c, e, NULL, 0);
        return str_ref;
    case BM_S_REPLACE: {
        p[0] = str_ref;
        p[1] = str_ref;
        check_margs(c, e, p, 2);
        return ty_string();
    }
    case BM_S_REPEAT:
        p[0] = usize;
        check_margs(c, e, p, 1);
        return ty_string();
    case BM_S_EQ_IGNORE_ASCII_CASE:
        p[0] = str_ref;
        check_margs(c, e, p, 1);
        return boolt;
    case BM_S_TO_UPPERCASE: case BM_S_TO_LOWERCASE: case BM_S_TO_ASCII_UPPERCASE: case BM_S_TO_ASCII_LOWERCASE:
        check_margs(c, e, NULL, 0);
        return ty_string();
    case BM_S_PARSE: {
        check_margs(c, e, NULL, 0);
        Type *t = target_type(e, NULL);
        Type *x = expected ? ty_resolve(expected) : NULL;
        if (!t && x && x->kind == TY_ADT && x->adt == prog->result)
            t = x->args[0];
        if (!t) {
            t = ty_var(VAR_ANY);
        }
        mr->aux = t;
        /* the error type (ParseIntError / ParseFloatError) follows from T,
         * which may still be unknown: fix_parse_errors() decides it */
        Type *err = ty_var(VAR_ANY);
        return res_of(t, err);
    }
    case BM_STRING_PUSH:
        p[0] = ty_prim(TY_CHAR);
        check_margs(c, e, p, 1);
        return ty_unit();
    case BM_STRING_PUSH_STR:
        p[0] = str_ref;
        check_margs(c, e, p, 1);
        return ty_unit();
    case BM_STRING_INSERT:
        p[0] = usize;
        p[1] = ty_prim(TY_CHAR);
        check_margs(c, e, p, 2);
        return ty_unit();
    case BM_STRING_INSERT_STR:
        p[0] = usize;
        p[1] = str_ref;
        check_margs(c, e, p, 2);
        return ty_unit();
    case BM_STRING_POP:
        check_margs(c, e, NULL, 0);
        return opt_of(ty_prim(TY_CHAR));
    case BM_STRING_CLEAR:
        check_margs(c, e, NULL, 0);
        return ty_unit();
    case BM_STRING_AS_STR:
        check_margs(c, e, NULL, 0);
        return str_ref;
    case BM_STRING_TRUNCATE:
        p[0] = usize;
        check_margs(c, e, p, 1);
        return ty_unit();
    case BM_STRING_REMOVE:
        p[0] = usize;
        check_margs(c, e, p, 1);
        return ty_prim(TY_CHAR);
    case BM_STRING_CAPACITY: case BM_VEC_CAPACITY:
        check_margs(c, e, NULL, 0);
        return usize;
    case BM_VEC_PUSH:
        p[0] = b->args[0];
        check_margs(c, e, p, 1);
        return ty_unit();
    case BM_VEC_POP:
        check_margs(c, e, NULL, 0);
        return opt_of(b->args[0]);
    case BM_VEC_INSERT:
        p[0] = usize;
        p[1] = b->args[0];
        check_margs(c, e, p, 2);
        return ty_unit();
    case BM_VEC_REMOVE: case BM_VEC_SWAP_REMOVE:
        p[0] = usize;
        check_margs(c, e, p, 1);
        return b->args[0];
    case BM_VEC_TRUNCATE:
        p[0] = usize;
        check_margs(c, e, p, 1);
        return ty_unit();
    case BM_VEC_CLEAR: case BM_VEC_DEDUP:
        check_margs(c, e, NULL, 0);
        return ty_unit();
    case BM_VEC_EXTEND_FROM_SLICE:
        p[0] = ty_ref(ty_slice(b->args[0]), false);
        check_margs(c, e, p, 1);
        return ty_unit();
    case BM_VEC_INTO_ITER:
        check_margs(c, e, NULL, 0);
        return ty_iter(ITER_VEC_INTO, b->args[0], b);
    case BM_VEC_AS_SLICE:
        check_margs(c, e, NULL, 0);
        return ty_ref(ty_slice(b->args[0]), false);
    case BM_SL_LEN:
        check_margs(c, e, NULL, 0);
        return usize;
    case BM_SL_IS_EMPTY:
        check_margs(c, e, NULL, 0);
        return boolt;
    case BM_SL_ITER:
        check_margs(c, e, NULL, 0);
        return ty_iter(ITER_SLICE, ty_ref(slice_elem(b), false), NULL);
    case BM_SL_ITER_MUT:
        check_margs(c, e, NULL, 0);
        return ty_iter(ITER_SLICE_MUT, ty_ref(slice_elem(b), true), NULL);
    case BM_SL_CONTAINS:
        p[0] = ty_ref(slice_elem(b), false);
        check_margs(c, e, p, 1);
        return boolt;
    case BM_SL_FIRST: case BM_SL_LAST:
        check_margs(c, e, NULL, 0);
        return opt_of(ty_ref(slice_elem(b), false));
    case BM_SL_GET:
        p[0] = usize;
        check_margs(c, e, p, 1);
        return opt_of(ty_ref(slice_elem(b), false));
    case BM_SL_SORT: case BM_SL_SORT_UNSTABLE: case BM_SL_REVERSE:
        check_margs(c, e, NULL, 0);
        return ty_unit();
    case BM_SL_SWAP:
        p[0] = usize;
        p[1] = usize;
        check_margs(c, e, p, 2);
        return ty_unit();
    case BM_SL_TO_VEC:
        check_margs(c, e, NULL, 0);
        return ty_vec(slice_elem(b));
    case BM_SL_JOIN:
        p[0] = str_ref;
        check_margs(c, e, p, 1);
        return ty_string();
    case BM_SL_CONCAT:
        check_margs(c, e, NULL, 0);
        return ty_string();
    case BM_OPT_UNWRAP: case BM_RES_UNWRAP: case BM_OPT_UNWRAP_OR_DEFAULT: case BM_RES_UNWRAP_OR_DEFAULT:
        check_margs(c, e, NULL, 0);
        return b->args[0];
    case BM_RES_UNWRAP_ERR:
        check_margs(c, e, NULL, 0);
        return b->args[1];
    case BM_OPT_EXPECT: case BM_RES_EXPECT:
        p[0] = str_ref;
        check_margs(c, e, p, 1);
        return b->args[0];
    case BM_OPT_IS_SOME: case BM_OPT_IS_NONE: case BM_RES_IS_OK: case BM_RES_IS_ERR:
        check_margs(c, e, NULL, 0);
        return boolt;
    case BM_OPT_UNWRAP_OR: case BM_RES_UNWRAP_OR:
        p[0] = b->args[0];
        check_margs(c, e, p, 1);
        return b->args[0];
    case BM_OPT_TAKE:
        check_margs(c, e, NULL, 0);
        return b;
    case BM_OPT_AS_REF:
        check_margs(c, e, NULL, 0);
        return opt_of(ty_ref(b->args[0], false));
    case BM_OPT_AS_MUT:
        check_margs(c, e, NULL, 0);
        return opt_of(ty_ref(b->args[0], true));
    case BM_OPT_OK_OR: {
        Type *err = ty_var(VAR_ANY);
        p[0] = err;
        check_margs(c, e, p, 1);
        return res_of(b->args[0], err);
    }
    case BM_OPT_COPIED: case BM_OPT_CLONED: {
        check_margs(c, e, NULL, 0);
        Type *in = ty_resolve(b->args[0]);
        if (in->kind != TY_REF)
            return b;
        return opt_of(in->args[0]);
    }
    case BM_RES_OK:
        check_margs(c, e, NULL, 0);
        return opt_of(b->args[0]);
    case BM_RES_ERR:
        check_margs(c, e, NULL, 0);
        return opt_of(b->args[1]);
    case BM_RES_AS_REF:
        unsupported(e->name_span, "`Result::as_ref`");
        return ty_error();
    case BM_IT_NEXT:
        check_margs(c, e, NULL, 0);
        return opt_of(it_item);
    case BM_IT_ENUMERATE: {
        check_margs(c, e, NULL, 0);
        Type *el[2] = {usize, it_item};
        return ty_iter(ITER_ENUMERATE, ty_tuple(el, 2), b);
    }
    case BM_IT_REV:
        check_margs(c, e, NULL, 0);
        return ty_iter(ITER_REV, it_item, b);
    case BM_IT_FOLD: {
        /* fold(init, |acc, x| ..): the accumulator's type is the init's */
        if (e->args.len != 2) {
            check_margs(c, e, p, 2);
            return ty_error();
        }
        Type *acc = check_expr(c, e->args.items[0], expected);
        Type *ps[2] = {acc, it_item};
        Type *r = check_callable_arg_ret(c, e->args.items[1], ps, 2, FN_MUT, acc);
        if (r && !unify(r, acc))
            mismatch(((Expr *)e->args.items[1])->span, acc, r);
        return acc;
    }
    case BM_IT_ANY:
    case BM_IT_ALL:
    case BM_IT_FOR_EACH: {
        if (e->args.len != 1) {
            check_margs(c, e, p, 1);
            return ty_error();
        }
        Type *r = check_callable_arg(c, e->args.items[0], &it_item, 1, FN_MUT);
        Type *want = me->bm == BM_IT_FOR_EACH ? ty_unit() : ty_prim(TY_BOOL);
        if (r && !unify(r, want))
            mismatch(((Expr *)e->args.items[0])->span, want, r);
        return want;
    }
    case BM_IT_MAP:
    case BM_IT_FILTER: {
        /* adaptors taking a closure: lowered into the loop that consumes them */
        if (e->args.len != 1) {
            check_margs(c, e, p, 1);
            return ty_error();
        }
        Type *in = me->bm == BM_IT_FILTER ? ty_ref(it_item, false) : it_item;
        Type *r = check_callable_arg(c, e->args.items[0], &in, 1, FN_MUT);
        if (!r)
            return ty_error();
        if (me->bm == BM_IT_MAP)
            return ty_iter(ITER_MAP, r, b);
        if (!unify(r, ty_prim(TY_BOOL)))
            mismatch(((Expr *)e->args.items[0])->span, ty_prim(TY_BOOL), r);
        return ty_iter(ITER_FILTER, it_item, b);
    }
    case BM_IT_COUNT:
        check_margs(c, e, NULL, 0);
        return usize;
    case BM_IT_MAX: case BM_IT_MIN: case BM_IT_LAST:
        check_margs(c, e, NULL, 0);
        return opt_of(it_item);
    case BM_IT_SUM: case BM_IT_PRODUCT: {
        check_margs(c, e, NULL, 0);
        Type *t = target_type(e, expected);
        Type *item = deref_all(it_item);
        if (!t) {
            Diag *d = diag_error("E0283", e->name_span, "type annotations needed");
            diag_primary_label(d, "cannot infer type of the type parameter `S` declared on the method `%s`", e->name);
            return ty_error();
        }
        if (!unify(t, item))
            mismatch(e->span, t, item);
        return t;
    }
    case BM_IT_COLLECT: {
        check_margs(c, e, NULL, 0);
        Type *t = target_type(e, expected);
        if (!t) {
            Diag *d = diag_error("E0283", e->name_span, "type annotations needed");
            diag_primary_label(d, "cannot infer type of the type parameter `B` declared on the method `collect`");
            return ty_error();
        }
        Type *rt = ty_resolve(t);
        if (rt->kind == TY_VEC) {
            unify(rt->args[0], it_item);
            return t;
        }
        if (rt->kind == TY_STRING) {
            Type *item = ty_resolve(it_item);
            if (item->kind == TY_CHAR || (item->kind == TY_REF && ty_resolve(item->args[0])->kind == TY_STR) ||
                item->kind == TY_STRING)
                return t;
        }
        unsupported(e->span, xprintf("collecting into `%s`", ty_str(t)));
        return ty_error();
    }
    case BM_RANGE_CONTAINS:
        p[0] = ty_ref(b->args[0], false);
        check_margs(c, e, p, 1);
        return boolt;
    case BM_RANGE_LEN:
        check_margs(c, e, NULL, 0);
        return usize;
    default:
        unsupported(e->name_span, xprintf("the method `%s`", e->name));
        return ty_error();
    }
}

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

static Type *check_method(Ctx *c, Expr *e, Type *expected)
{
    Type *rt = check_expr(c, e->operand, NULL);
    int derefs = 0;
    Type *b = ty_resolve(rt);
    while (b->kind == TY_REF || b->kind == TY_BOX) {
        b = ty_resolve(b->args[0]);
        derefs++;
    }
    MethodRes *mr = NEW(MethodRes);
    {
        /* Box<T> is Clone itself: clone() at the first Box gives a Box */
        Type *lv = ty_resolve(rt);
        int k = 0;
        while (lv->kind == TY_REF) {
            lv = ty_resolve(lv->args[0]);
            k++;
        }
        if (lv->kind == TY_BOX && !strcmp(e->name, "clone")) {
            b = lv;
            derefs = k;
        }
    }
    mr->self_ty = b;
    e->sema = mr;
    if (b->kind == TY_ERROR) {
        for (int i = 0; i < e->args.len; i++)
            check_expr(c, e->args.items[i], NULL);
        return b;
    }
    /* a trait implemented for a reference type (impl Shout for &str): probe each level */
    {
        Type *lv = ty_resolve(rt);
        for (int k = 0; k < derefs; k++) {
            ImplDef *im = NULL;
            FnDef *f = impl_method(lv, e->name, &im);
            if (f && f->self_kind != SELF_NONE) {
                Inst *in = impl_inst(c, f, im, e->span);
                mr->fn = f;
                mr->inst = in;
                mr->self_ty = lv;
                Type **ps = inst_params(f, in);
                int autoref = f->self_kind == SELF_REF ? 1 : f->self_kind == SELF_REF_MUT ? 2 : 0;
                e->operand->adjust = new_adjust(k, autoref, CO_NONE, ps[0]);
                check_args(c, e, e->name_span, &e->args, ps + 1, f->nparams - 1, "method");
                return inst_ret(f, in);
            }
            lv = ty_resolve(lv->args[0]);
        }
    }
    if (b->kind == TY_VAR && b->var_kind != VAR_ANY) {
        /* a literal receiver takes the type of the one impl that has the method (i32/f64 first) */
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
            b = pick;
            mr->self_ty = b;
        }
    }
    if (b->kind == TY_VAR) {
        if (b->var_kind == VAR_FLOAT && find_builtin_method(ty_prim(TY_F64), e->name) &&
            find_builtin_method(ty_prim(TY_F64), e->name)->fam == FAM_ANY) {
            unify(b, ty_prim(TY_F64));
            b = ty_prim(TY_F64);
            goto found_builtin_var;
        }
        if (b->var_kind == VAR_INT && find_builtin_method(ty_prim(TY_I32), e->name)) {
            const MethodEntry *me = find_builtin_method(ty_prim(TY_I32), e->name);
            /* trait methods (Ord::max, ToString...) fall back to i32; inherent ones are E0689 */
            if (me->fam == FAM_ANY || me->bm == BM_MAX || me->bm == BM_MIN) {
                unify(b, ty_prim(TY_I32));
                b = ty_prim(TY_I32);
                goto found_builtin_var;
            }
            Diag *d = diag_error("E0689", e->name_span, "can't call method `%s` on ambiguous numeric type `{integer}`",
                                 e->name);
            (void)d;
        } else if (b->var_kind == VAR_FLOAT && find_builtin_method(ty_prim(TY_F64), e->name)) {
            Diag *d = diag_error("E0689", e->name_span, "can't call method `%s` on ambiguous numeric type `{float}`",
                                 e->name);
            (void)d;
        } else {
            Diag *d = diag_error("E0282", e->operand->span, "type annotations needed");
            (void)d;
        }
        for (int i = 0; i < e->args.len; i++)
            check_expr(c, e->args.items[i], NULL);
        return ty_error();
    }
found_builtin_var:
    /* user methods */
    if (b->kind == TY_ADT && !b->adt->builtin) {
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
            if (f->self_kind != SELF_NONE) {
                mr->fn = f;
                mr->inst = in;
                Type **ps = inst_params(f, in);
                int autoref = f->self_kind == SELF_REF ? 1 : f->self_kind == SELF_REF_MUT ? 2 : 0;
                if (autoref == 2)
                    require_mut_receiver(c, e->operand, rt, derefs, e->operand->span);
                e->operand->adjust = new_adjust(derefs, autoref, CO_NONE, ps[0]);
                check_args(c, e, e->name_span, &e->args, ps + 1, f->nparams - 1, "method");
                return inst_ret(f, in);
            }
            if (f->self_kind == SELF_NONE) {
                Diag *d = diag_error("E0599", e->name_span, "no method named `%s` found for %s `%s` in the current scope",
                                     e->name, b->adt->is_enum ? "enum" : "struct", b->adt->name);
                diag_primary_label(d, "this is an associated function, not a method");
                diag_note(d, "found the following associated functions; to be used as methods, functions must have a `self` parameter");
                for (int k = 0; k < e->args.len; k++)
                    check_expr(c, e->args.items[k], NULL);
                return ty_error();
            }
            mr->fn = f;
            int autoref = f->self_kind == SELF_REF ? 1 : f->self_kind == SELF_REF_MUT ? 2 : 0;
            if (autoref == 2)
                require_mut_receiver(c, e->operand, rt, derefs, e->operand->span);
            e->operand->adjust = new_adjust(derefs, autoref, CO_NONE, f->params[0]);
            check_args(c, e, e->name_span, &e->args, f->params + 1, f->nparams - 1, "method");
            return f->ret;
        }
    }
    {
        ImplDef *im = NULL;
        FnDef *f = impl_method(b, e->name, &im);
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
                e->operand->adjust = new_adjust(derefs, 0, CO_NONE, ps[0]);
                check_args(c, e, e->name_span, &e->args, ps + 1, tm->nparams - 1, "method");
                return inst_ret(tm, in);
            }
        }
        if (!f) {
            /* a default method of a trait b implements, or a bound's method on a type parameter */
            if (b->kind == TY_PARAM) {
                if (cur_fn && b->param_index < cur_fn->ntparams) {
                    List *bl = &cur_fn->tparam_bounds[b->param_index];
                    for (int i = 0; i < bl->len && !decl; i++)
                        decl = trait_method(bl->items[i], e->name);
                }
            } else {
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
            Inst *in = new_inst(c, decl, NULL, 1, e->span);
            unify(in->args[0], b);
            mr->fn = decl;
            mr->inst = in;
            Type **ps = inst_params(decl, in);
            int autoref = decl->self_kind == SELF_REF ? 1 : decl->self_kind == SELF_REF_MUT ? 2 : 0;
            if (autoref == 2)
                require_mut_receiver(c, e->operand, rt, derefs, e->operand->span);
            e->operand->adjust = new_adjust(derefs, autoref, CO_NONE, ps[0]);
            check_args(c, e, e->name_span, &e->args, ps + 1, decl->nparams - 1, "method");
            return inst_ret(decl, in);
        }
        if (f && f->self_kind != SELF_NONE && f->trait && !strcmp(f->trait->name, "Drop")) {
            Diag *d = diag_error("E0040", e->name_span, "explicit use of destructor method");
            diag_primary_label(d, "explicit destructor calls not allowed");
            diag_help(d, "consider using `drop` function: `drop(%s)`", diag_source_text(e->operand->span));
            return ty_unit();
        }
        if (f && f->self_kind != SELF_NONE) {
            Inst *in = impl_inst(c, f, im, e->span);
            mr->fn = f;
            mr->inst = in;
            Type **ps = inst_params(f, in);
            int autoref = f->self_kind == SELF_REF ? 1 : f->self_kind == SELF_REF_MUT ? 2 : 0;
            if (autoref == 2)
                require_mut_receiver(c, e->operand, rt, derefs, e->operand->span);
            e->operand->adjust = new_adjust(derefs, autoref, CO_NONE, ps[0]);
            check_args(c, e, e->name_span, &e->args, ps + 1, f->nparams - 1, "method");
            return inst_ret(f, in);
        }
    }
    if (!strcmp(e->name, "into") && e->args.len == 0 && expected) {
        FnDef *conv = op_impl("From", expected, b);
        if (conv) {
            mr->fn = conv;
            e->operand->adjust = new_adjust(derefs, 0, CO_NONE, b);
            return conv->ret;
        }
    }
    if (!strcmp(e->name, "fmt") && e->args.len == 1 && b->kind != TY_ADT) {
        bool dbg = cur_fn && cur_fn->trait && !strcmp(cur_fn->trait->name, "Debug");
        if (fmt_trait_ok(b, dbg ? FT_DEBUG : FT_DISPLAY, e->operand->span, true)) {
            mr->bm = dbg ? BM_FMT_DEBUG_FWD : BM_FMT_DISPLAY_FWD;
            e->operand->adjust = new_adjust(derefs, 1, CO_NONE, b);
            Type *p1[1] = {ty_ref(ty_adt(prog->formatter, NULL, 0), true)};
            check_margs(c, e, p1, 1);
            return fmt_result_type();
        }
    }
    if (b->kind == TY_ADT && b->adt == prog->formatter && !strcmp(e->name, "write_str")) {
        mr->bm = BM_FMT_WRITE_STR;
        e->operand->adjust = new_adjust(derefs, 2, CO_NONE, b);
        Type *p1[1] = {ty_ref(ty_prim(TY_STR), false)};
        check_margs(c, e, p1, 1);
        return fmt_result_type();
    }
    const MethodEntry *me = find_builtin_method(b, e->name);
    if (!me && !(b->kind == TY_ADT && !b->adt->builtin) && std_method_name(e->name)) {
        /* a std method rustc has and mrsc does not implement yet */
        unsupported(e->name_span, xprintf("the method `%s` on `%s`", e->name, ty_str(b)));
        for (int i = 0; i < e->args.len; i++)
            check_expr(c, e->args.items[i], NULL);
        return ty_error();
    }
    if (!me) {
        const char *what = b->kind == TY_ADT && !b->adt->builtin ? (b->adt->is_enum ? "enum" : "struct") : "type";
        Diag *d = diag_error("E0599", e->name_span, "no method named `%s` found for %s `%s` in the current scope",
                             e->name, what, ty_str(b));
        diag_primary_label(d, "method not found in `%s`", ty_str(b));
        for (int i = 0; i < e->args.len; i++)
            check_expr(c, e->args.items[i], NULL);
        return ty_error();
    }
    mr->bm = me->bm;
    if (me->self_mode == 2)
        require_mut_receiver(c, e->operand, rt, derefs, e->operand->span);
    e->operand->adjust = new_adjust(derefs, me->self_mode, CO_NONE, b);
    if (b->nargs)
        mr->elem = b->args[0];
    if (b->kind == TY_ADT && me->fam == FAM_ITER)
        mr->elem = user_iter_item(b);
    return builtin_method_type(c, e, me, b, expected, mr);
}

/* ---- macros ------------------------------------------------------------------------------ */

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
static bool fmt_trait_ok(Type *t, FmtTrait trait, Span span, bool report)
{
    Type *r = ty_resolve(t);
    while (r->kind == TY_REF || r->kind == TY_BOX)
        r = ty_resolve(r->args[0]);
    if (r->kind == TY_ERROR || r->kind == TY_VAR || r->kind == TY_PROJ)
        return true; /* a projection is checked again in each instance */
    bool ok;
    const char *tname = ty_str(r);
    if (trait == FT_DISPLAY) {
        ok = r->kind <= TY_STR || r->kind == TY_STRING || type_implements(r, prog->display) ||
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
        case TY_TUPLE: case TY_ARRAY: case TY_SLICE: case TY_VEC:
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

static Type *check_macro(Ctx *c, Expr *e, Type *expected)
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
            mismatch(b->span, at, bt);
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
        Type *elem = x && x->kind == TY_VEC ? x->args[0] : ty_var(VAR_ANY);
        if (m->is_repeat) {
            check_coerce(c, args->items[0], elem);
            check_coerce(c, args->items[1], ty_prim(TY_USIZE));
        } else {
            for (int i = 0; i < args->len; i++)
                check_coerce(c, args->items[i], elem);
        }
        return ty_vec(elem);
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
        if (!(db->kind == TY_ADT && db->adt == prog->formatter) && db->kind != TY_ERROR) {
            unsupported(dest->span, xprintf("`%s!` into `%s` (only a `fmt::Formatter`)", n, ty_str(dt)));
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
    diag_error(NULL, e->span, "the macro `%s!` is not supported by mrsc", n);
    return ty_error();
}

/* ---- functions and the phase ---------------------------------------------------------- */

static void zonk_all(Ctx *c)
{
    for (int i = 0; i < c->exprs.len; i++) {
        Expr *e = c->exprs.items[i];
        e->ty = ty_zonk(e->ty);
        if (e->adjust && e->adjust->target)
            e->adjust->target = ty_zonk(e->adjust->target);
        if (e->kind == EX_METHOD && e->sema) {
            MethodRes *mr = e->sema;
            if (mr->self_ty) mr->self_ty = ty_zonk(mr->self_ty);
            if (mr->elem) mr->elem = ty_zonk(mr->elem);
            if (mr->aux) mr->aux = ty_zonk(mr->aux);
            if (mr->inst)
                for (int k = 0; k < mr->inst->n; k++)
                    mr->inst->args[k] = ty_zonk(mr->inst->args[k]);
        }
        if (e->kind == EX_CALL && e->sema) {
            Inst *in = e->sema;
            for (int k = 0; k < in->n; k++)
                in->args[k] = ty_zonk(in->args[k]);
        }
        if ((e->kind == EX_FIELD || e->kind == EX_TUPLE_FIELD || e->kind == EX_INDEX) && e->sema) {
            FieldRes *fr = e->sema;
            fr->base_ty = ty_zonk(fr->base_ty);
        }
    }
    for (int i = 0; i < c->pats.len; i++) {
        Pat *p = c->pats.items[i];
        p->ty = ty_zonk(p->ty);
    }
    for (int i = 0; i < c->fn->locals.len; i++) {
        Local *l = c->fn->locals.items[i];
        l->type = ty_zonk(l->type);
    }
}

/* `s.parse::<T>()`'s error type depends on T: fix it once T is known. */
static AdtDef *parse_int_error, *parse_float_error, *parse_bool_error, *parse_char_error;

static void fix_parse_errors(Ctx *c)
{
    for (int i = 0; i < c->exprs.len; i++) {
        Expr *e = c->exprs.items[i];
        if (e->kind != EX_METHOD || !e->sema || ((MethodRes *)e->sema)->bm != BM_S_PARSE)
            continue;
        MethodRes *mr = e->sema;
        Type *t = ty_resolve(mr->aux);
        Type *res = ty_resolve(e->ty);
        if (t->kind == TY_VAR) {
            Diag *d = diag_error("E0284", e->name_span, "type annotations needed");
            diag_primary_label(d, "cannot infer type of the type parameter `F` declared on the method `parse`");
            continue;
        }
        AdtDef *err = ty_is_float(t) ? parse_float_error : ty_is_int(t) ? parse_int_error
                    : t->kind == TY_BOOL ? parse_bool_error : t->kind == TY_CHAR ? parse_char_error : NULL;
        if (!err) {
            unsupported(e->span, xprintf("parsing into `%s`", ty_str(t)));
            continue;
        }
        if (res->kind == TY_ADT && res->nargs == 2 && !unify(res->args[1], ty_adt(err, NULL, 0)))
            mismatch(e->span, res->args[1], ty_adt(err, NULL, 0));
    }
}

/* Check f's body; with subst, as the instance whose parameters are subst. */
/* A closure's captures, after those of the closures inside it (which it
 * captures in turn); the closures before it in the source are done already,
 * so calling one of them knows its trait. */
static void analyze_closure(Ctx *c, Closure *clo)
{
    for (int i = 0; i < c->closures.len; i++)
        if (((Closure *)c->closures.items[i])->parent == clo)
            analyze_closure(c, c->closures.items[i]);
    sema_closure_captures(clo);
}

/* The closures whose value leaves the fn: in return position (the body's
 * tail, a `return`, through blocks, `if`, `match` and `Box::new`). */
static void escaping_closures(Expr *e, Expr *ret_at, List *out)
{
    if (!e)
        return;
    switch (e->kind) {
    case EX_PAREN:
        escaping_closures(e->operand, ret_at, out);
        return;
    case EX_CLOSURE:
        list_push(out, e);
        list_push(out, ret_at);
        return;
    case EX_BLOCK:
        escaping_closures(e->block->tail, ret_at, out);
        return;
    case EX_IF:
        escaping_closures(e->block->tail, ret_at, out);
        escaping_closures(e->els, ret_at, out);
        return;
    case EX_MATCH:
        for (int i = 0; i < e->arms.len; i++)
            escaping_closures(((MatchArm *)e->arms.items[i])->body, ret_at, out);
        return;
    case EX_CALL:
        if (e->def && e->def->kind == DEF_BUILTIN && e->def->builtin == BI_BOX_NEW && e->args.len == 1)
            escaping_closures(e->args.items[0], ret_at, out);
        return;
    default:
        return;
    }
}

/* E0373: a closure that borrows a local (or parameter) of its fn, returned out of it. */
static void check_escaping(Ctx *c)
{
    Block *body = c->fn->item->body;
    if (!body || !body->tail)
        return;
    List esc = {0};
    escaping_closures(body->tail, body->tail, &esc);
    for (int i = 0; i + 1 < esc.len; i += 2) {
        Expr *e = esc.items[i];
        Closure *clo = e->sema;
        if (!clo || e->is_move)
            continue;
        for (int k = 0; k < clo->captures.len; k++) {
            Capture *cp = clo->captures.items[k];
            bool through_ref = false; /* `(*self).x`: borrowed from the caller, not from this fn */
            for (int j = 0; j < cp->steps.len; j++)
                through_ref |= !strcmp(cp->steps.items[j], "*");
            if (cp->mode == CAP_VALUE || cp->root->closure || through_ref)
                continue;
            Diag *d = diag_error("E0373", sema_closure_head(e),
                                 "closure may outlive the current function, but it borrows `%s`, which is owned by "
                                 "the current function", cp->root->name);
            diag_primary_label(d, "may outlive borrowed value `%s`", cp->root->name);
            diag_label(d, cp->at, "`%s` is borrowed here", cp->root->name);
            diag_help(d, "to force the closure to take ownership of `%s` (and any other referenced variables), use "
                         "the `move` keyword", cp->root->name);
            break;
        }
    }
}

/* After inference: each closure's captures and trait (innermost first, since
 * an outer closure captures what its inner ones do), then the checks that
 * need the trait: E0596 for an FnMut closure called through a binding that is
 * not `mut`, E0525 for a closure weaker than the bound it is passed for. */
static void finish_closures(Ctx *c)
{
    for (int i = 0; i < c->closures.len; i++) {
        Closure *clo = c->closures.items[i];
        for (int k = 0; k < clo->nparams; k++)
            clo->params[k] = ty_zonk(clo->params[k]);
        clo->ret = ty_zonk(clo->ret);
    }
    for (int i = 0; i < c->closures.len; i++)
        if (!((Closure *)c->closures.items[i])->parent)
            analyze_closure(c, c->closures.items[i]);
    if (c->instance)
        return; /* the generic body's check reported what there is to report */
    check_escaping(c);
    /* a closure made a `dyn Fn` / `dyn FnMut` whose body needs more */
    for (int i = 0; i < c->exprs.len; i++) {
        Expr *e = c->exprs.items[i];
        if (!e->adjust || (e->adjust->coerce != CO_DYN && e->adjust->coerce != CO_BOX_DYN) || !e->ty)
            continue;
        Type *src = ty_resolve(e->ty), *dst = ty_resolve(e->adjust->target);
        if ((src->kind != TY_REF && src->kind != TY_BOX) || ty_resolve(src->args[0])->kind != TY_CLOSURE)
            continue;
        Closure *clo = ty_resolve(src->args[0])->clo;
        TraitDef *tr = ty_resolve(dst->args[0])->trait;
        if (!tr->fn_kind || clo->kind <= tr->fn_kind || !clo->kind_cap)
            continue;
        Capture *k = clo->kind_cap;
        Expr *use = strip_parens(k->use);
        Diag *d;
        if (clo->kind == FN_ONCE) {
            d = diag_error("E0507", k->at, "cannot move out of `%s`, a captured variable in an `%s` closure", k->place,
                           tr->name);
            diag_primary_label(d, "move occurs because `%s` has type `%s`, which does not implement the `Copy` trait",
                               k->place, ty_str(k->type));
        } else if (use->kind == EX_ASSIGN || use->kind == EX_ASSIGN_OP) {
            d = diag_error("E0594", use->span, "cannot assign to `%s`, as it is a captured variable in a `Fn` closure",
                           k->place);
            diag_primary_label(d, "cannot assign");
        } else {
            d = diag_error("E0596", k->at, "cannot borrow `%s` as mutable, as it is a captured variable in a `Fn` closure",
                           k->place);
            diag_primary_label(d, "cannot borrow as mutable");
        }
        diag_label(d, sema_closure_head(clo->expr), "in this closure");
    }
    for (int i = 0; i < c->closures.len; i++) {
        Closure *clo = c->closures.items[i];
        if (clo->as_fn && clo->captures.len) {
            Diag *d = diag_error("E0308", clo->as_fn->span, "mismatched types");
            diag_primary_label(d, "expected fn pointer, found closure");
            Capture *cp = clo->captures.items[0];
            diag_note(d, "closures can only be coerced to `fn` types if they do not capture any variables "
                         "(`%s` is captured at %u:%u)", cp->place, cp->at.line, cp->at.col);
        }
    }
    for (int i = 0; i < c->closure_calls.len; i++) {
        Expr *call = c->closure_calls.items[i];
        Expr *callee = strip_parens(call->operand);
        Type *t = callee->ty;
        if (callee->kind != EX_PATH || !callee->def || callee->def->kind != DEF_LOCAL || t->kind != TY_CLOSURE)
            continue;
        Local *l = callee->def->local;
        if (t->clo->kind == FN_MUT && !l->is_mut) {
            MutUse *u = NEW(MutUse);
            u->root = l;
            u->span = callee->span;
            u->clo = t->clo;
            list_push(&c->mut_uses, u);
        }
    }
    for (int i = 0; i < c->insts.len; i++) {
        Inst *in = c->insts.items[i];
        for (int k = 0; k < in->n && in->fn->tparam_bounds; k++) {
            Type *a = ty_resolve(in->args[k]);
            if (a->kind != TY_CLOSURE)
                continue;
            List *b = &in->fn->tparam_bounds[k];
            for (int j = 0; j < b->len; j++) {
                TraitDef *tr = b->items[j];
                Closure *clo = a->clo;
                if (!tr->fn_kind || clo->kind <= tr->fn_kind)
                    continue;
                const char *have = clo->kind == FN_ONCE ? "FnOnce" : "FnMut";
                Diag *d = diag_error("E0525", clo->expr->span,
                                     "expected a closure that implements the `%s` trait, but this closure only "
                                     "implements `%s`", tr->name, have);
                diag_primary_label(d, "this closure implements `%s`, not `%s`", have, tr->name);
                if (clo->kind_cap)
                    diag_label(d, clo->kind_cap->at, "closure is `%s` because it %s the variable `%s`%s", have,
                               clo->kind == FN_ONCE ? "moves" : "mutates", clo->kind_cap->place,
                               clo->kind == FN_ONCE ? " out of its environment" : "");
                diag_label(d, *(Span *)c->inst_spans.items[i], "the requirement to implement `%s` derives from here",
                           tr->name);
            }
        }
    }
}

static void check_fn_with(FnDef *f, Type **subst)
{
    Item *it = f->item;
    if (!it->body)
        return;
    FnDef *saved_fn = cur_fn;
    TyEnv saved_env = tyenv;
    cur_fn = f;
    ty_param_namer = param_name;
    f->locals = (List){0};
    Type **ps = arena_alloc(g_arena, sizeof(Type *) * (size_t)(f->nparams + 1));
    for (int i = 0; i < f->nparams; i++)
        ps[i] = subst ? ty_subst(f->params[i], subst, f->ntparams) : f->params[i];
    Type *ret = subst ? ty_subst(f->ret, subst, f->ntparams) : f->ret;
    tyenv = (TyEnv){.params = f->tparam_names, .nparams = f->ntparams, .subst = subst, .bounds = f->tparam_bounds};
    if (f->is_default)
        tyenv.trait = f->trait;
    if (f->owner)
        tyenv.self_adt = f->owner;
    if (f->impl_self)
        tyenv.self_ty = subst ? ty_subst(f->impl_self, subst, f->ntparams) : f->impl_self;
    if (f->is_default)
        tyenv.self_ty = subst ? subst[0] : ty_param(0, "Self");
    Ctx c = {.prog = prog, .fn = f, .ret = ret, .instance = subst != NULL};
    for (int i = 0; f->opaque_ret && i < f->ret_bounds.len; i++) {
        /* `-> impl Fn(i32) -> i32`: the closure returned takes its signature from the bound */
        TraitDef *b = f->ret_bounds.items[i];
        if (!b->fn_kind)
            continue;
        FnExpect *x = NEW(FnExpect);
        x->var = ret;
        x->sig = b;
        list_push(&c.fn_expect, x);
    }
    push_scope(&c);
    int k = 0;
    if (f->self_kind != SELF_NONE) {
        Local *self = declare_local(&c, "self", ps[k++], f->self_mut, it->sig->self_span);
        self->is_param = true;
    }
    for (int i = 0; i < it->sig->params.len; i++) {
        Param *p = it->sig->params.items[i];
        check_pat(&c, p->pat, ps[k++], false);
        if (p->pat->kind == PAT_IDENT && p->pat->local)
            p->pat->local->is_param = true;
        else
            unsupported(p->pat->span, "a pattern in a fn parameter");
    }
    Type *bt = check_block(&c, it->body, ret);
    if (!diverges(bt)) {
        Expr *tail = it->body->tail;
        if (tail) {
            if (!unify(bt, ret) && !try_coerce(tail, bt, ret))
                mismatch(tail->span, ret, bt);
        } else if (!unify(bt, ret)) {
            Diag *d = diag_error("E0308", it->sig->ret ? it->sig->ret->span : it->name_span, "mismatched types");
            diag_primary_label(d, "expected `%s`, found `()`", ty_str(ret));
            diag_note(d, "implicitly returns `()` as its body has no tail or `return` expression");
        }
    }
    pop_scope(&c);
    for (int i = 0; i < c.matches.len; i++) {
        Expr *m = c.matches.items[i];
        match_exhaustive(&c, m, m->operand->ty);
    }
    for (int i = 0; i < c.lets.len; i++) {
        Stmt *s = c.lets.items[i];
        check_irrefutable(s->pat, s->pat->ty, "local binding");
    }
    fix_parse_errors(&c);
    check_inst_bounds(&c);
    zonk_all(&c);
    finish_closures(&c);
    if (!c.instance)
        report_mut_uses(&c);
    f->closures = c.closures;
    f->checked = true;
    cur_fn = saved_fn;
    tyenv = saved_env;
}

static void check_fn(FnDef *f) { check_fn_with(f, NULL); }

void sema_check_instance(Program *p, FnDef *f, Type **args)
{
    prog = p;
    check_fn_with(f, args);
}

static void check_const(Def *d)
{
    Item *it = d->item;
    if (!it->init)
        return;
    /* a const initializer is checked as the body of a nullary fn */
    FnDef f = {.name = it->name, .cname = it->name, .item = it, .ret = d->type};
    Ctx c = {.prog = prog, .fn = &f, .ret = d->type};
    push_scope(&c);
    check_coerce(&c, it->init, d->type);
    pop_scope(&c);
    zonk_all(&c);
}

static AdtDef *make_error_struct(const char *name)
{
    AdtDef *a = NEW(AdtDef);
    a->name = xstrdup(name);
    a->builtin = true;
    a->nvariants = 1;
    a->variants = NEW(VariantInfo);
    a->variants[0].name = a->name;
    a->variants[0].kind = SK_NAMED;
    a->derives = DERIVE_DEBUG | DERIVE_CLONE | DERIVE_PARTIAL_EQ | DERIVE_EQ;
    return a;
}

Program *sema_check(Crate *crate)
{
    prog = NEW(Program);
    prog->crate = crate;
    globals = (List){0};
    fn_traits = (List){0};
    sema_check_elision(crate);
    types_init();
    prog->option = make_builtin_enum("Option", "T", NULL, "None", 0, "Some", 1);
    prog->result = make_builtin_enum("Result", "T", "E", "Ok", 1, "Err", 1);
    parse_int_error = make_error_struct("ParseIntError");
    parse_float_error = make_error_struct("ParseFloatError");
    parse_bool_error = make_error_struct("ParseBoolError");
    fmt_error = make_error_struct("Error");
    fmt_error->variants[0].kind = SK_UNIT;
    parse_char_error = make_error_struct("ParseCharError");
    Def *od = new_def(DEF_ADT, "Option", (Span){0});
    od->adt = prog->option;
    add_global("Option", od, true, (Span){0});
    Def *rd = new_def(DEF_ADT, "Result", (Span){0});
    rd->adt = prog->result;
    add_global("Result", rd, true, (Span){0});
    add_variant_globals(prog->option);
    add_variant_globals(prog->result);
    ty_normalize_hook = normalize;
    prog->display = builtin_trait("Display");
    builtin_trait("Debug");
    prog->partial_eq = builtin_trait("PartialEq");
    builtin_trait("Eq");
    prog->partial_ord = builtin_trait("PartialOrd");
    builtin_trait("Ord");
    builtin_trait("Clone");
    builtin_trait("Copy");
    builtin_trait("Default");
    builtin_trait("Iterator");
    builtin_trait("Drop");
    {
        static const char *ops[] = {"From", "Add", "Sub", "Mul", "Div", "Rem", "Neg", "Not", "AddAssign",
                                    "SubAssign", "MulAssign", "DivAssign", "RemAssign", NULL};
        for (int i = 0; ops[i]; i++)
            builtin_trait(ops[i]);
    }
    prog->formatter = make_error_struct("Formatter");
    prog->formatter->derives = 0;
    {
        Def *fd = new_def(DEF_ADT, "Formatter", (Span){0});
        fd->adt = prog->formatter;
        add_global("Formatter", fd, true, (Span){0});
    }
    prog->ordering = make_builtin_enum("Ordering", "T", NULL, "Less", 0, "Equal", 0);
    prog->ordering->nparams = 0;
    prog->ordering->nvariants = 3;
    {
        VariantInfo *v = arena_alloc(g_arena, sizeof(VariantInfo) * 3);
        const char *names[3] = {"Less", "Equal", "Greater"};
        for (int k = 0; k < 3; k++) {
            v[k].name = xstrdup(names[k]);
            v[k].kind = SK_UNIT;
            v[k].discr = k - 1;
        }
        prog->ordering->variants = v;
        prog->ordering->derives |= DERIVE_HASH;
        Def *ordd = new_def(DEF_ADT, "Ordering", (Span){0});
        ordd->adt = prog->ordering;
        add_global("Ordering", ordd, true, (Span){0});
    }

    for (int i = 0; i < crate->attrs.len; i++) {
        Attr *a = crate->attrs.items[i];
        if (strcmp(a->name, "allow") && strcmp(a->name, "warn") && strcmp(a->name, "deny"))
            diag_error(NULL, a->span, "the crate attribute `#![%s]` is not supported by mrsc", a->name);
    }
    collect_items(&crate->items);
    resolve_items(&crate->items);
    if (!prog->main && diag_error_count() == 0) {
        Diag *d = diag_error("E0601", (Span){0, 0, 1, 1}, "`main` function not found in crate");
        (void)d;
    }
    for (int i = 0; i < prog->consts.len; i++)
        check_const(prog->consts.items[i]);
    /* fns returning `impl Trait` first: their callers need the type */
    for (int i = 0; i < prog->fns.len; i++) {
        FnDef *f = prog->fns.items[i];
        if (!f->opaque_ret)
            continue;
        check_fn(f);
        f->ret = ty_zonk(f->ret);
        for (int k = 0; k < f->ret_bounds.len; k++)
            if (!satisfies(f->ret, f->ret_bounds.items[k]))
                bound_error(f->item->sig->ret->span, f->ret, f->ret_bounds.items[k]);
    }
    for (int i = 0; i < prog->fns.len; i++)
        if (!((FnDef *)prog->fns.items[i])->opaque_ret)
            check_fn(prog->fns.items[i]);
    for (int i = 0; i < prog->traits.len; i++) {
        TraitDef *t = prog->traits.items[i];
        for (int k = 0; k < t->methods.len; k++) {
            FnDef *f = t->methods.items[k];
            if (f->item->body)
                check_fn(f);
        }
    }
    return prog;
}

FnDef *sema_trait_method(Program *p, Type *t, TraitDef *trait, const char *name, Inst *inst)
{
    prog = p;
    Type **args = NULL;
    ImplDef *im = find_impl_args(trait, t, &args);
    if (inst)
        *inst = (Inst){0};
    if (!im)
        return NULL;
    for (int k = 0; k < im->methods.len; k++) {
        FnDef *f = im->methods.items[k];
        if (strcmp(f->name, name))
            continue;
        if (inst && im->nparams) {
            inst->fn = f;
            inst->args = args;
            inst->n = im->nparams;
        }
        return f;
    }
    return NULL;
}

bool sema_is_copy(FnDef *f, Type *t)
{
    t = ty_resolve(t);
    if (t->kind == TY_PARAM) {
        FnDef *saved = cur_fn;
        cur_fn = f;
        bool r = satisfies(t, find_trait("Copy"));
        cur_fn = saved;
        return r;
    }
    if (t->kind == TY_TUPLE || t->kind == TY_ARRAY) {
        for (int i = 0; i < t->nargs; i++)
            if (!sema_is_copy(f, t->args[i]))
                return false;
        return true;
    }
    return ty_is_copy(t);
}
