/* pat.c — patterns: binding modes and exhaustiveness.
 *
 * requires: the type of the value matched, and a Ctx with a scope for the
 * bindings;
 * produces: Pat.ty, the derefs match ergonomics peels (Pat.derefs), the
 * locals a pattern binds, by value or by reference, the Def of each path
 * pattern, and after inference E0004 for a `match` and E0005 for a `let`
 * that some value escapes. */
#include "check_int.h"

#include <string.h>

/* ---- patterns ----------------------------------------------------------------- */

/* Match ergonomics (RFC 2005): a non-reference pattern against `&T` peels
 * the reference and makes bindings inside bind by reference. */
typedef enum BindMode { BM_MOVE_MODE, BM_REF_MODE, BM_REF_MUT_MODE } BindMode;

static void check_pat_mode(Ctx *c, Pat *p, Type *t, bool refutable, BindMode mode);

/* The unit variant, unit struct or const a lone identifier pattern names
 * (`None`, `Red` imported, `MAX`): then it is a path pattern, not a binding. */
static Def *ident_ctor(Pat *p)
{
    if (p->kind != PAT_IDENT || p->sub || p->by_ref || p->is_mut)
        return NULL;
    Def *d = lookup_global(p->name, false);
    if (d && ((d->kind == DEF_VARIANT && d->adt->variants[d->variant].kind == SK_UNIT) ||
              (d->kind == DEF_ADT && d->adt->variants[0].kind == SK_UNIT) || d->kind == DEF_CONST))
        return d;
    return NULL;
}

static bool pat_is_binding_or_wild(Pat *p)
{
    if (ident_ctor(p))
        return false; /* a bare unit variant or const (`Nil`) is a constructor pattern */
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

static void check_ident_pat(Ctx *c, Pat *p, Type *t, bool refutable, BindMode mode)
{
    Def *d = ident_ctor(p);
    if (d) {
        p->def = d;
        Type *pt = d->kind == DEF_CONST ? d->type : adt_instance(d->adt, t);
        if (!unify(pt, t)) {
            Diag *dg = diag_error("E0308", p->span, "mismatched types");
            diag_primary_label(dg, "expected `%s`, found `%s`", ty_str(t), ty_str(pt));
        }
        return;
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
}

static void check_tuple_pat(Ctx *c, Pat *p, Type *t, Type *rt, bool refutable, BindMode mode)
{
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
}

/* The subpatterns of a path pattern that did not resolve, for their bindings. */
static void check_subpats_error(Ctx *c, Pat *p, bool refutable, BindMode mode)
{
    for (int i = 0; i < p->elems.len; i++)
        check_pat_mode(c, p->elems.items[i], ty_error(), refutable, mode);
    for (int i = 0; i < p->fields.len; i++)
        check_pat_mode(c, ((FieldPat *)p->fields.items[i])->pat, ty_error(), refutable, mode);
}

/* The struct, variant or const a path pattern names; NULL after E0422,
 * E0531, E0532 or E0574. */
static Def *ctor_pat_def(Ctx *c, Pat *p)
{
    Def *d = resolve_pat_path(c, p->path);
    if (d && (d->kind == DEF_VARIANT || d->kind == DEF_ADT || d->kind == DEF_CONST))
        return d;
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
        return NULL;
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
        return NULL;
    }
    return d;
}

/* `S { x, y: p, .. }`: each field named once and known (E0026), all of them
 * unless `..` (E0027). */
static void check_struct_pat_fields(Ctx *c, Pat *p, AdtDef *a, VariantInfo *v, Type **ft, bool refutable,
                                    BindMode mode)
{
    int nf = v->nfields;
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
    if (p->has_rest)
        return;
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

/* A path, tuple-struct or struct pattern: `Color::Red`, `Some(x)`, `P { x, .. }`. */
static void check_ctor_pat(Ctx *c, Pat *p, Type *t, Type *rt, bool refutable, BindMode mode)
{
    Def *d = ctor_pat_def(c, p);
    if (!d) {
        check_subpats_error(c, p, refutable, mode);
        return;
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
    check_struct_pat_fields(c, p, a, v, ft, refutable, mode);
}

/* Each alternative must bind the same names with the same types: check the
 * first normally, then the others into a scratch scope and unify their
 * bindings with the first's (E0408). */
static void check_or_pat(Ctx *c, Pat *p, Type *t, bool refutable, BindMode mode)
{
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
}

static void check_slice_pat(Ctx *c, Pat *p, Type *t, Type *rt, bool refutable, BindMode mode)
{
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
    int n = p->elems.len, rest = -1;
    for (int i = 0; i < n; i++)
        if (ast_pat_is_rest(p->elems.items[i]))
            rest = i;
    int fixed = rest < 0 ? n : n - 1;
    if (rt->kind == TY_ARRAY && (rest < 0 ? (uint64_t)n != rt->len : (uint64_t)fixed > rt->len)) {
        Diag *d = rest < 0 ? diag_error("E0527", p->span, "pattern requires %d element%s but array has %llu", n,
                                        n == 1 ? "" : "s", (unsigned long long)rt->len)
                           : diag_error("E0528", p->span, "pattern requires at least %d element%s but array has %llu",
                                        fixed, fixed == 1 ? "" : "s", (unsigned long long)rt->len);
        diag_primary_label(d, "expected %llu element%s", (unsigned long long)rt->len, rt->len == 1 ? "" : "s");
        elem = ty_error();
    }
    for (int i = 0; i < n; i++) {
        Pat *sp = p->elems.items[i];
        if (sp->kind == PAT_REST) {
            sp->ty = ty_unit();
            continue;
        }
        if (i == rest) { /* `rest @ ..`: the middle, an array of what is left or a subslice */
            Type *mid = elem->kind == TY_ERROR ? elem
                        : rt->kind == TY_ARRAY   ? ty_array(elem, rt->len - (uint64_t)fixed)
                                                 : ty_slice(elem);
            if (rt->kind == TY_SLICE && mode == BM_MOVE_MODE && !sp->by_ref) {
                unsupported(sp->span, "binding the rest of a slice by value");
                continue;
            }
            Pat *sub = sp->sub;
            sp->sub = NULL;
            check_pat_mode(c, sp, mid, refutable, mode);
            sp->sub = sub;
            continue;
        }
        check_pat_mode(c, sp, elem, refutable, mode);
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
    case PAT_IDENT:
        check_ident_pat(c, p, t, refutable, mode);
        return;
    case PAT_LIT:
        check_lit_pat(c, p, p->lit, t);
        return;
    case PAT_RANGE:
        if (p->lo)
            check_lit_pat(c, p, p->lo, t);
        if (p->hi)
            check_lit_pat(c, p, p->hi, t);
        return;
    case PAT_TUPLE:
        check_tuple_pat(c, p, t, rt, refutable, mode);
        return;
    case PAT_PATH:
    case PAT_TUPLE_STRUCT:
    case PAT_STRUCT:
        check_ctor_pat(c, p, t, rt, refutable, mode);
        return;
    case PAT_REF:
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
    case PAT_OR:
        check_or_pat(c, p, t, refutable, mode);
        return;
    case PAT_SLICE:
        check_slice_pat(c, p, t, rt, refutable, mode);
        return;
    }
}

void check_pat(Ctx *c, Pat *p, Type *t, bool refutable)
{
    check_pat_mode(c, p, t, refutable, BM_MOVE_MODE);
}

/* ---- exhaustiveness (E0004, E0005) --------------------------------------------
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
    case TY_ARRAY: return t->len <= 64 ? 1 : 0; /* `[a, b]`: one constructor, like a tuple's */
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
    case TY_ARRAY:
        return p->kind == PAT_SLICE && t->len <= 64 ? 0 : -1;
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
    case TY_ARRAY: {
        int n = (int)t->len;
        *sub = arena_alloc(g_arena, sizeof(Type *) * (size_t)(n + 1));
        for (int i = 0; i < n; i++)
            (*sub)[i] = t->args[0];
        return n;
    }
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
    if (p->kind == PAT_TUPLE || p->kind == PAT_TUPLE_STRUCT || p->kind == PAT_SLICE) {
        List *el = &p->elems;
        int rest = -1;
        for (int i = 0; i < el->len; i++)
            if (ast_pat_is_rest(el->items[i]))
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

static bool useful(List *rows, Type **types, int n, int depth);

/* Does no value of t exist (an empty enum, `!`, or a struct or tuple holding one)? Since
 * Rust 1.82 a pattern need not cover such a variant (`let Ok(x) = r;` with an
 * uninhabited error type). Behind a reference a value may still be claimed, so
 * references count as inhabited. */
static bool uninhabited(Type *t, int depth)
{
    t = ty_resolve(t);
    if (depth > 16)
        return false;
    if (t->kind == TY_NEVER)
        return true;
    if (t->kind == TY_TUPLE) {
        for (int i = 0; i < t->nargs; i++)
            if (uninhabited(t->args[i], depth + 1))
                return true;
        return false;
    }
    if (t->kind != TY_ADT)
        return false;
    if (t->adt->is_enum) {
        for (int v = 0; v < t->adt->nvariants; v++) {
            VariantInfo *vi = &t->adt->variants[v];
            bool empty = false;
            for (int i = 0; i < vi->nfields && !empty; i++)
                empty = uninhabited(field_type(t, vi, i), depth + 1);
            if (!empty)
                return false;
        }
        return true;
    }
    VariantInfo *vi = &t->adt->variants[0];
    for (int i = 0; i < vi->nfields; i++)
        if (uninhabited(field_type(t, vi, i), depth + 1))
            return true;
    return false;
}

/* Variant ct of enum t cannot be built (a field of it is uninhabited). */
static bool variant_uninhabited(Type *t, int ct)
{
    if (t->kind != TY_ADT || !t->adt->is_enum)
        return false;
    VariantInfo *vi = &t->adt->variants[ct];
    for (int i = 0; i < vi->nfields; i++)
        if (uninhabited(field_type(t, vi, i), 0))
            return true;
    return false;
}

/* A slice's constructors are its lengths. With L = max(longest fixed pattern + 1,
 * longest prefix + longest suffix of the `..` patterns), the lengths 0..L-1 are each
 * one constructor and L stands for every length from L on: past it, each `..`
 * pattern sees only wildcards in the middle. */
static bool useful_slice(List *rows, Type **types, int n, int depth)
{
    Type *t = ty_resolve(types[0]);
    int maxfix = -1, maxpre = 0, maxsuf = 0;
    for (int i = 0; i < rows->len; i++) {
        Pat *h = head(((Row *)rows->items[i])->cols[0]);
        if (!h || h->kind != PAT_SLICE)
            continue;
        int rest = -1;
        for (int k = 0; k < h->elems.len; k++)
            if (ast_pat_is_rest(h->elems.items[k]))
                rest = k;
        if (rest < 0) {
            maxfix = h->elems.len > maxfix ? h->elems.len : maxfix;
        } else {
            maxpre = rest > maxpre ? rest : maxpre;
            maxsuf = h->elems.len - rest - 1 > maxsuf ? h->elems.len - rest - 1 : maxsuf;
        }
    }
    int L = maxfix + 1 > maxpre + maxsuf ? maxfix + 1 : maxpre + maxsuf;
    for (int len = 0; len <= L; len++) {
        List spec = {0};
        for (int i = 0; i < rows->len; i++) {
            Row *r = rows->items[i];
            Pat *h = head(r->cols[0]);
            if (h && h->kind == PAT_SLICE) {
                bool has_rest = false;
                for (int k = 0; k < h->elems.len; k++)
                    has_rest |= ast_pat_is_rest(h->elems.items[k]);
                if (has_rest ? h->elems.len - 1 > len : h->elems.len != len)
                    continue;
            } else if (h) {
                continue;
            }
            Row *nr = NEW(Row);
            nr->cols = arena_alloc(g_arena, sizeof(Pat *) * (size_t)(len + n));
            if (h)
                sub_pats(h, t, len, nr->cols);
            else
                for (int j = 0; j < len; j++)
                    nr->cols[j] = NULL;
            for (int j = 1; j < n; j++)
                nr->cols[len + j - 1] = r->cols[j];
            list_push(&spec, nr);
        }
        Type **nt = arena_alloc(g_arena, sizeof(Type *) * (size_t)(len + n));
        for (int j = 0; j < len; j++)
            nt[j] = t->args[0];
        for (int j = 1; j < n; j++)
            nt[len + j - 1] = types[j];
        if (useful(&spec, nt, len + n - 1, depth + 1))
            return true;
    }
    return false;
}

static bool useful(List *rows, Type **types, int n, int depth)
{
    if (n == 0)
        return rows->len == 0;
    if (depth > 64)
        return false;
    expand_or(rows, n);
    Type *t = ty_resolve(types[0]);
    if (t->kind == TY_SLICE) {
        for (int i = 0; i < rows->len; i++) {
            Pat *h = head(((Row *)rows->items[i])->cols[0]);
            if (h && h->kind == PAT_SLICE)
                return useful_slice(rows, types, n, depth);
        }
    }
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
        all &= present[k] || variant_uninhabited(t, k);
    if (all) {
        for (int ct = 0; ct < nctors; ct++) {
            if (!present[ct])
                continue; /* uninhabited: nothing to cover */
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

static bool witness_plural; /* the last witness names several patterns */

/* The value of an integer literal pattern bound (`5`, `-1`, `i32::MIN`, `u8::MAX`), or false. */
static bool int_bound(Expr *e, __int128 min, __int128 max, __int128 *out)
{
    while (e && e->kind == EX_PAREN)
        e = e->operand;
    if (e && e->kind == EX_PATH && e->path && e->path->segs.len == 2) {
        const char *last = ((PathSeg *)e->path->segs.items[1])->name;
        if (!strcmp(last, "MIN") || !strcmp(last, "MAX")) {
            *out = last[1] == 'I' ? min : max;
            return true;
        }
    }
    bool neg = e && e->kind == EX_UNARY && e->unop == UN_NEG;
    if (neg)
        e = e->operand;
    if (!e || e->kind != EX_INT || e->int_hi)
        return false;
    *out = neg ? -(__int128)e->int_val : (__int128)e->int_val;
    return true;
}

/* Add the values head pattern h covers to the intervals lo[]/hi[] (at most cap); false when
 * h is not a literal or a range of literals. */
static bool int_cover(Pat *h, __int128 min, __int128 max, __int128 *lo, __int128 *hi, int *n, int cap)
{
    if (h->kind == PAT_OR) {
        for (int i = 0; i < h->elems.len; i++) {
            Pat *a = head(h->elems.items[i]);
            if (!a || !int_cover(a, min, max, lo, hi, n, cap))
                return false;
        }
        return true;
    }
    __int128 a, b;
    if (h->kind == PAT_LIT) {
        if (!int_bound(h->lit, min, max, &a))
            return false;
        b = a;
    } else if (h->kind == PAT_RANGE) {
        if (h->lo ? !int_bound(h->lo, min, max, &a) : false)
            return false;
        if (h->hi ? !int_bound(h->hi, min, max, &b) : false)
            return false;
        if (!h->lo)
            a = min;
        if (!h->hi)
            b = max;
        else if (!h->inclusive)
            b--;
    } else {
        return false;
    }
    if (*n == cap)
        return false;
    lo[*n] = a, hi[*n] = b, (*n)++;
    return true;
}

/* A value of integer type t as rustc names it in a witness: `5_u8`, `-1_i32`, `i8::MIN`, `u8::MAX`. */
static const char *int_name(Type *t, __int128 v, __int128 min, __int128 max)
{
    if (v == max)
        return xprintf("%s::MAX", ty_str(t));
    if (v == min && min < 0)
        return xprintf("%s::MIN", ty_str(t));
    return xprintf("%lld_%s", (long long)v, ty_str(t));
}

/* The integers no pattern covers, as rustc lists them (`0_u8`, `10_u8..=u8::MAX`, `a`, `b`
 * and `c`, `a`, `b`, `c` and 2 more), or NULL when a pattern is not a literal or a range. */
static const char *int_witness(List *pats, Type *t)
{
    int bits = t->kind == TY_I8 || t->kind == TY_U8 ? 8 : t->kind == TY_I16 || t->kind == TY_U16 ? 16
             : t->kind == TY_I32 || t->kind == TY_U32 ? 32 : t->kind == TY_I64 || t->kind == TY_U64 ||
               t->kind == TY_ISIZE || t->kind == TY_USIZE ? 64 : 0;
    if (!bits)
        return NULL;
    bool sign = t->kind <= TY_ISIZE;
    __int128 min = sign ? -((__int128)1 << (bits - 1)) : 0;
    __int128 max = sign ? ((__int128)1 << (bits - 1)) - 1 : ((__int128)1 << bits) - 1;
    enum { CAP = 256 };
    __int128 lo[CAP], hi[CAP];
    int n = 0;
    for (int i = 0; i < pats->len; i++) {
        Pat *h = head(pats->items[i]);
        if (!h || !int_cover(h, min, max, lo, hi, &n, CAP))
            return NULL;
    }
    for (int i = 1; i < n; i++) /* by their start */
        for (int j = i; j > 0 && lo[j - 1] > lo[j]; j--) {
            __int128 a = lo[j], b = hi[j];
            lo[j] = lo[j - 1], hi[j] = hi[j - 1];
            lo[j - 1] = a, hi[j - 1] = b;
        }
    const char *gap[3];
    int ngaps = 0;
    __int128 next = min;
    bool done = false;
    for (int i = 0; i <= n && !done; i++) {
        __int128 end = i < n ? lo[i] - 1 : max;
        if (end >= next) {
            if (ngaps < 3)
                gap[ngaps] = end == next ? int_name(t, next, min, max)
                                         : xprintf("%s..=%s", int_name(t, next, min, max), int_name(t, end, min, max));
            ngaps++;
        }
        if (i < n && hi[i] >= next) {
            if (hi[i] == max)
                done = true;
            next = hi[i] + 1;
        }
    }
    if (!ngaps)
        return NULL;
    witness_plural = ngaps > 1;
    if (ngaps == 1)
        return xprintf("`%s`", gap[0]);
    if (ngaps == 2)
        return xprintf("`%s` and `%s`", gap[0], gap[1]);
    if (ngaps == 3)
        return xprintf("`%s`, `%s` and `%s`", gap[0], gap[1], gap[2]);
    return xprintf("`%s`, `%s`, `%s` and %d more", gap[0], gap[1], gap[2], ngaps - 3);
}

/* A name for an uncovered top-level constructor, as rustc prints it, in backticks (several
 * for integers: `a` and `b`). */
static const char *witness(List *pats, Type *t)
{
    witness_plural = false;
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
                    return "`_`";
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
                return ct ? "`true`" : "`false`";
            VariantInfo *v = &t->adt->variants[ct];
            const char *pre = t->adt->builtin || !t->adt->is_enum ? "" : xprintf("%s::", t->adt->name);
            if (v->kind == SK_UNIT)
                return xprintf("`%s%s`", pre, v->name);
            if (v->kind == SK_TUPLE) {
                StrBuf sb;
                sb_init(&sb);
                for (int i = 0; i < v->nfields; i++)
                    sb_puts(&sb, i ? ", _" : "_");
                const char *s = xprintf("`%s%s(%s)`", pre, v->name, sb.data);
                sb_free(&sb);
                return s;
            }
            return xprintf("`%s%s { .. }`", pre, v->name);
        }
    }
    if (ty_is_int(t) && t->kind != TY_VAR) {
        const char *w = int_witness(pats, t);
        return w ? w : xprintf("`%s::MIN..=%s::MAX`", ty_str(t), ty_str(t));
    }
    return "`_`";
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

bool match_exhaustive(Ctx *c, Expr *e, Type *t)
{
    (void)c;
    Type *r = ty_resolve(t);
    if (r->kind == TY_ERROR)
        return true;
    if (r->kind == TY_ADT && r->adt->is_enum && r->adt->nvariants == 0)
        return true; /* an enum without variants has no value: `match e {}` covers it */
    List pats = {0};
    for (int i = 0; i < e->arms.len; i++) {
        MatchArm *arm = e->arms.items[i];
        if (!arm->guard)
            list_push(&pats, arm->pat);
    }
    if (pats_exhaustive(&pats, t))
        return true;
    const char *w = witness(&pats, t);
    Diag *d = diag_error("E0004", e->operand->span, "non-exhaustive patterns: %s not covered", w);
    diag_primary_label(d, "pattern%s %s not covered", witness_plural ? "s" : "", w);
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

void check_irrefutable(Pat *p, Type *t, const char *what)
{
    if (ty_resolve(t)->kind == TY_ERROR || pat_unresolved(p))
        return;
    List pats = {0};
    list_push(&pats, p);
    if (pats_exhaustive(&pats, t))
        return;
    const char *w = witness(&pats, t);
    Diag *d = diag_error("E0005", p->span, "refutable pattern in %s", what);
    diag_primary_label(d, "pattern%s %s not covered", witness_plural ? "s" : "", w);
}
