/* expr.c — expressions: literals, paths, places and mutability, fields and
 * indexing, operators, struct literals, control flow and blocks.
 *
 * requires: resolved items and a Ctx for the body;
 * produces: Expr.ty on every expression (inference variables included, until
 * check.c zonks them), a FieldRes on field accesses and indexing, the impl's
 * method on overloaded operators and `?` conversions (Expr.sema), and
 * E0384/E0594/E0596 for writes through what is not mutable. Calls, method
 * calls, macros and patterns have files of their own. */
#include "check_int.h"

#include <string.h>

/* check_expr then coerce to `expected` (a coercion site). */
Type *check_coerce(Ctx *c, Expr *e, Type *expected)
{
    Type *t = check_expr(c, e, expected);
    if (expected)
        coerce(e, t, expected);
    return expected ? expected : t;
}

Type *set_ty(Ctx *c, Expr *e, Type *t)
{
    e->ty = t;
    list_push(&c->exprs, e);
    return t;
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
        /* `None::<i32>`, `Option::<i32>::None`: the type arguments written on the path */
        for (int i = 0; e->kind == EX_PATH && a->nparams && i < e->path->segs.len; i++) {
            PathSeg *sg = e->path->segs.items[i];
            if (sg->generic_args.len != a->nparams)
                continue;
            Type *args[a->nparams + 1];
            for (int k = 0; k < a->nparams; k++)
                args[k] = resolve_type(sg->generic_args.items[k]);
            self = ty_adt(a, args, a->nparams);
            if (v->kind == SK_UNIT)
                return self;
            break;
        }
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
        case BI_F64_CONST:
            return d->type;
        case BI_INT_BITS:
            return ty_prim(TY_U32);
        case BI_DURATION_ZERO:
            return ty_std(STD_DURATION, NULL, 0);
        case BI_CMP_MAX:
        case BI_CMP_MIN: { /* `std::cmp::max` where a `fn(T, T) -> T` is wanted, T a primitive */
            Type *x = expected ? ty_resolve(expected) : NULL;
            Type *t = x && x->kind == TY_FN && x->nargs == 3 ? ty_resolve(x->args[0]) : NULL;
            if (t && t->kind <= TY_CHAR && t->kind != TY_F32 && t->kind != TY_F64 && t->kind != TY_STR &&
                ty_resolve(x->args[1]) == t && ty_resolve(x->args[2]) == t)
                return x;
            unsupported(e->span, "using this std function as a value");
            return ty_error();
        }
        default:
            unsupported(e->span, "using this std function as a value");
            return ty_error();
        }
    default:
        return ty_error();
    }
}

/* How many arguments a std fn or method named by its path takes when it is used as a
 * value (`map(String::from)`, `filter(u8::is_ascii_digit)`, `or_insert_with(Vec::new)`),
 * or -1 when mrsc cannot
 * tell. */
static int std_fn_value_arity(Path *p, Def *d)
{
    if (!d && p->segs.len == 2 && !strcmp(seg_name(p, 0), "ToString") && !strcmp(seg_name(p, 1), "to_string"))
        return 1; /* `map(ToString::to_string)` */
    if (d && d->kind == DEF_BUILTIN) /* `String::from`; `or_insert_with(Vec::new)` */
        return d->builtin == BI_STRING_FROM ? 1 : d->builtin == BI_VEC_NEW || d->builtin == BI_STRING_NEW ? 0 : -1;
    if (d && d->kind == DEF_FN && d->fn->ntparams > 0 && d->fn->nparams > 0 && !d->fn->trait)
        return d->fn->nparams; /* a generic fn as a value: each call infers its instance */
    if (d || p->segs.len != 2 || p->qself)
        return -1;
    Type *self = path_std_self(p);
    if (self && !strcmp(seg_name(p, 1), "from") && (ty_is_numeric(self) || self->kind == TY_CHAR))
        return 1; /* `map(u64::from)` */
    const StdMethod *m = self ? std_method_find(self, seg_name(p, 1)) : NULL;
    if (!m || !m->sig)
        return -1;
    bool takes_self = !strncmp(m->sig, "(self", 5) || !strncmp(m->sig, "(&self", 6) || !strncmp(m->sig, "(&mut self", 10);
    return takes_self ? 1 + m->nargs : m->nargs; /* (`HashMap::new`: none) */
}

/* The path becomes the closure `|a0, ..| path(a0, ..)`, which is what rustc's fn item
 * does when called. */
static void path_to_closure(Expr *e, int n)
{
    Expr *call = ast_new_expr(EX_CALL, e->span);
    call->operand = ast_new_expr(EX_PATH, e->span);
    call->operand->path = e->path;
    List params = {0};
    for (int i = 0; i < n; i++) {
        char *name = xprintf("mrs a%d", i);
        ClosureParam *cp = NEW(ClosureParam);
        cp->span = e->span;
        cp->pat = ast_new_pat(PAT_IDENT, e->span);
        cp->pat->name = name;
        list_push(&params, cp);
        Expr *a = ast_new_expr(EX_PATH, e->span);
        a->path = ast_new_path(e->span);
        PathSeg *seg = NEW(PathSeg);
        seg->span = e->span;
        seg->name = name;
        list_push(&a->path->segs, seg);
        list_push(&call->args, a);
    }
    if (n == 1 && !strcmp(seg_name(e->path, 0), "ToString")) { /* the body is `a0.to_string()` */
        call->kind = EX_METHOD;
        call->operand = call->args.items[0];
        call->args.len = 0;
        call->name = xstrdup("to_string");
        call->name_span = e->span;
    }
    e->kind = EX_CLOSURE;
    e->params = params;
    e->body = call;
    e->path = NULL;
}

static Type *check_path_expr(Ctx *c, Expr *e, Type *expected)
{
    {
        Def *d0 = resolve_value_path(c, e->path, e->span);
        int n = std_fn_value_arity(e->path, d0);
        if (n >= 0) {
            path_to_closure(e, n);
            return check_expr(c, e, expected);
        }
    }
    Def *d = resolve_value_path(c, e->path, e->span);
    if (!d) {
        report_unresolved(c, e->path, e->span);
        return ty_error();
    }
    e->def = d;
    e->path->def = d;
    return def_value_type(c, d, e, expected);
}

/* ---- places and mutability (E0384, E0594, E0596) ------------------------------ */

static bool mark_deferred(Pat *ident, void *ctx)
{
    (void)ctx;
    if (ident->local)
        ident->local->assigned_later = ident->local->deferred = true;
    return false;
}

Expr *strip_parens(Expr *e)
{
    while (e->kind == EX_PAREN)
        e = e->operand;
    return e;
}

/* Describe a place as rustc does in messages: `x`, `p.x`, `*r`, `v[..]`. */
const char *place_str(Expr *e)
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

/* Where a place reached through smart pointers goes wrong for a write (place_root):
 * the Rc or Ref it goes through, or the RefMut whose binding must be mutable. */
static Type *through_smart;
static Expr *through_guard;

/* What n derefs of a value of type t go through, for a write: 1 a shared
 * reference, 2 a mutable one, 3 a shared smart pointer (through_smart: Rc, Ref),
 * 4 a RefMut (whose binding must then be mutable), 0 only Boxes. */
static int deref_chain(Expr *operand, Type *t, int n)
{
    int kind = 0;
    for (int i = 0; i < n && t; i++) {
        t = ty_resolve(t);
        if (t->kind == TY_REF || t->kind == TY_PTR) {
            if (!t->is_mut)
                return 1;
            kind = 2;
        } else if (ty_is_std(t, STD_PIN)) { /* DerefMut only to an Unpin target, through a mut Pin */
            Type *p = ty_resolve(t->args[0]);
            if ((p->kind == TY_REF && !p->is_mut) || !ty_is_unpin(p->args[0], NULL)) {
                through_smart = t;
                return 3;
            }
            if (kind == 0)
                through_guard = operand;
            return kind ? kind : 4;
        } else if (ty_smart_shared(t)) {
            through_smart = t;
            return 3;
        } else if (ty_is_smart(t) && !ty_is_std(t, STD_BOX) && kind == 0) {
            through_guard = operand;
            kind = 4;
        } else if (!ty_is_smart(t)) {
            break;
        }
        t = t->args[0];
    }
    return kind;
}

/* The local at the root of a place expression, and whether the path from
 * it goes through a shared reference (1) or a mutable reference (2) (or a smart
 * pointer: deref_chain). */
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
        if (fr && fr->derefs > 0 && (!*through_ref || *through_ref == 4)) {
            int k = deref_chain(e->operand, e->operand->ty, fr->derefs);
            if (k)
                *through_ref = k;
        }
        return l;
    }
    case EX_INDEX: {
        Local *l = place_root(e->lhs, through_ref);
        FieldRes *fr = e->sema;
        if (fr && fr->index_fn) /* through the pointer `index` returns: checked by check_mutable */
            return l;
        Type *bt = e->lhs->ty ? ty_resolve(e->lhs->ty) : NULL;
        if (bt && bt->kind == TY_REF && !*through_ref)
            *through_ref = bt->is_mut ? 2 : 1;
        else if (bt && fr && fr->derefs && (!*through_ref || *through_ref == 4))
            *through_ref = deref_chain(e->lhs, bt, fr->derefs) ?: *through_ref;
        return l;
    }
    case EX_UNARY:
        if (e->unop == UN_DEREF) {
            Local *l = place_root(e->operand, through_ref);
            Type *bt = e->operand->ty ? ty_resolve(e->operand->ty) : NULL;
            if (bt && (bt->kind == TY_REF || bt->kind == TY_PTR) && !*through_ref)
                *through_ref = bt->is_mut ? 2 : 1;
            else if (bt && ty_is_smart(bt) && (!*through_ref || *through_ref == 4))
                *through_ref = deref_chain(e->operand, bt, 1) ?: *through_ref;
            return l;
        }
        return NULL;
    default:
        return NULL;
    }
}

/* `is_assign`: an assignment (E0384/E0594); else a &mut borrow (E0596). */
void check_mutable(Ctx *c, Expr *place, bool is_assign, Span span)
{
    (void)c;
    int through = 0;
    Expr *p = strip_parens(place);
    /* a user type's index: written through `index_mut`, which needs `impl IndexMut` and a
     * mutable base */
    for (Expr *q = p; q; ) {
        q = strip_parens(q);
        if (q->kind == EX_INDEX && q->sema && ty_is_map(ty_resolve(((FieldRes *)q->sema)->base_ty))) {
            FieldRes *fr = q->sema; /* a map's Index has no IndexMut */
            Diag *d = is_assign ? diag_error("E0594", span, "cannot assign to data in an index of `%s`", ty_str(fr->base_ty))
                                : diag_error("E0596", span, "cannot borrow data in an index of `%s` as mutable", ty_str(fr->base_ty));
            diag_primary_label(d, "cannot %s", is_assign ? "assign" : "borrow as mutable");
            diag_help(d, "trait `IndexMut` is required to modify indexed content, but it is not implemented for `%s`",
                      ty_str(fr->base_ty));
            return;
        }
        if (q->kind == EX_INDEX && q->sema && ((FieldRes *)q->sema)->index_fn) {
            FieldRes *fr = q->sema;
            if (!fr->index_mut_fn) {
                Diag *d = is_assign ? diag_error("E0594", span, "cannot assign to data in an index of `%s`", ty_str(fr->base_ty))
                                    : diag_error("E0596", span, "cannot borrow data in an index of `%s` as mutable",
                                                 ty_str(fr->base_ty));
                diag_primary_label(d, "cannot %s", is_assign ? "assign" : "borrow as mutable");
                diag_help(d, "trait `IndexMut` is required to modify indexed content, but it is not implemented for `%s`",
                          ty_str(fr->base_ty));
                return;
            }
            fr->index_mut = true;
            Type *lt = q->lhs->ty ? ty_resolve(q->lhs->ty) : NULL;
            if (fr->derefs && lt && lt->kind == TY_REF) { /* through a reference: it must be `&mut` */
                if (!lt->is_mut) {
                    Diag *d = diag_error("E0596", span, "cannot borrow `*%s` as mutable, as it is behind a `&` reference",
                                         place_str(q->lhs));
                    diag_primary_label(d, "`%s` is a `&` reference, so the data it refers to cannot be borrowed as mutable",
                                       place_str(q->lhs));
                }
                return;
            }
            check_mutable(c, q->lhs, false, span);
            return;
        }
        if (q->kind == EX_FIELD || q->kind == EX_TUPLE_FIELD)
            q = q->operand;
        else if (q->kind == EX_INDEX)
            q = q->lhs;
        else
            break;
    }
    Local *root = place_root(p, &through);
    if (through == 3) { /* through an Rc or a Ref: no DerefMut */
        Type *st = through_smart;
        bool rc = ty_is_std(st, STD_RC) || ty_is_std(st, STD_ARC);
        const char *in = rc ? xprintf("in an `%s`", st->std->name) : xprintf("in dereference of `%s`", ty_str(st));
        Diag *d = is_assign ? diag_error("E0594", span, "cannot assign to data %s", in)
                            : diag_error("E0596", span, "cannot borrow data %s as mutable", in);
        diag_primary_label(d, "cannot %s", is_assign ? "assign" : "borrow as mutable");
        diag_help(d, "trait `DerefMut` is required to modify through a dereference, but it is not implemented for `%s`",
                  ty_str(st));
        return;
    }
    if (through == 4) { /* through a RefMut: `deref_mut` borrows the guard itself mutably */
        Expr *g = through_guard;
        if (is_place(g))
            check_mutable(c, g, false, g->span);
        return;
    }
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
void report_mut_uses(Ctx *c)
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

bool is_place(Expr *e)
{
    e = strip_parens(e);
    return (e->kind == EX_PATH && e->def && (e->def->kind == DEF_LOCAL || e->def->kind == DEF_STATIC)) ||
           e->kind == EX_FIELD || e->kind == EX_TUPLE_FIELD || e->kind == EX_INDEX ||
           (e->kind == EX_UNARY && e->unop == UN_DEREF);
}

/* ---- field access and indexing ------------------------------------------------ */

/* Does the struct t have the field e names (`.name` or `.0`)? */
static bool adt_has_field(Type *t, Expr *e)
{
    if (t->adt->is_enum)
        return false;
    VariantInfo *v = &t->adt->variants[0];
    if (e->kind == EX_TUPLE_FIELD)
        return v->kind == SK_TUPLE && e->index < (uint32_t)v->nfields;
    for (int i = 0; i < v->nfields; i++)
        if (v->fields[i].name && !strcmp(v->fields[i].name, e->name))
            return true;
    return false;
}

static Type *check_field(Ctx *c, Expr *e)
{
    Type *t = check_expr(c, e->operand, NULL);
    int derefs = 0;
    Type *bt = ty_resolve(t);
    for (;;) {
        Type *tg;
        if (bt->kind == TY_REF || ty_is_smart(bt))
            bt = ty_resolve(bt->args[0]);
        else if (bt->kind == TY_ADT && !adt_has_field(bt, e) && (tg = user_deref_target(bt)))
            bt = ty_resolve(tg); /* impl Deref: the field is the target's */
        else
            break;
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
    for (;;) {
        Type *tg;
        if (bt->kind == TY_REF || (ty_is_smart(bt) && !ty_is_std(bt, STD_BOX)))
            bt = ty_resolve(bt->args[0]);
        else if (bt->kind == TY_ADT && !bt->adt->builtin && !find_impl(find_trait("Index"), bt) &&
                 (tg = user_deref_target(bt)))
            bt = ty_resolve(tg); /* impl Deref: the target is indexed */
        else
            break;
        derefs++;
    }
    FieldRes *fr = NEW(FieldRes); /* reuse: derefs of the base */
    fr->derefs = derefs;
    fr->base_ty = bt;
    e->sema = fr;
    if (bt->kind == TY_ADT && !bt->adt->builtin) {
        /* impl Index<I> for T: `t[i]` is `*t.index(i)` (or `*t.index_mut(i)` where it is written) */
        Type *it = check_expr(c, e->rhs, NULL);
        fr->index_fn = op_impl_args("Index", bt, it, &fr->index_args, &fr->index_nargs);
        fr->index_mut_fn = op_impl_args("IndexMut", bt, it, &fr->index_mut_args, &fr->index_mut_nargs);
        if (!fr->index_fn) {
            Diag *d = diag_error("E0608", e->span, "cannot index into a value of type `%s`", ty_str(t));
            (void)d;
            return ty_error();
        }
        Type *r = ty_resolve(fr->index_nargs ? ty_subst(fr->index_fn->ret, fr->index_args, fr->index_nargs)
                                             : fr->index_fn->ret);
        return r->kind == TY_REF ? r->args[0] : ty_error();
    }
    if (ty_is_map(bt)) { /* `map[&k]`: the value, or a panic; a String key takes a &str too */
        Type *key = bt->args[0];
        Type *at = ty_resolve(check_expr(c, e->rhs, ty_ref(key, false)));
        Type *in = at->kind == TY_REF ? ty_resolve(at->args[0]) : NULL;
        bool by_ref_key = ty_resolve(key)->kind == TY_REF && could_unify(at, key) && unify(at, key); /* K = &Q, a &Q */
        if (at->kind != TY_ERROR && !by_ref_key &&
            !(in && ((ty_is_std(ty_resolve(key), STD_STRING) && in->kind == TY_STR) || unify(in, key)))) {
            Diag *d = diag_error("E0277", e->rhs->span, "the trait bound `%s: Borrow<%s>` is not satisfied", ty_str(key),
                                 ty_str(in ? in : at));
            (void)d;
            return ty_error();
        }
        return bt->args[1];
    }
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
    if (bt->kind == TY_STD && bt->std->deref != SD_ARG) /* Vec<T> as [T], String as str */
        bt = ty_std_deref(bt);
    switch (bt->kind) {
    case TY_ARRAY:
    case TY_SLICE:
        return is_range ? ty_slice(bt->args[0]) : bt->args[0];
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

/* ---- operators ---------------------------------------------------------------- */

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

/* Types comparable with == / < (PartialEq / PartialOrd): primitives, strings, and types
 * deriving or implementing them, recursively for tuples, arrays, Vec, refs. With total,
 * Eq / Ord: the same less the floats (NaN is unequal to itself) and what holds one. */
bool compare_traits(Type *t, bool ordering, bool total)
{
    t = ty_resolve(t);
    const char *trait = total ? (ordering ? "Ord" : "Eq") : NULL;
    switch (t->kind) {
    case TY_F32: case TY_F64:
        return !total;
    case TY_STD:
        if (t->std->cmp != SI_ARGS)
            return t->std->cmp == SI_YES;
        /* comparable when its type arguments are: */
        /* fall through */
    case TY_TUPLE: case TY_ARRAY: case TY_SLICE: case TY_REF:
        for (int i = 0; i < t->nargs; i++)
            if (!compare_traits(t->args[i], ordering, total))
                return false;
        return true;
    case TY_ADT:
        if (find_impl(trait ? find_trait(trait) : ordering ? prog->partial_ord : prog->partial_eq, t))
            return true; /* a written impl (`impl<T> PartialEq for Id<T>`): its own bounds say */
        if (!adt_has(t, total ? (ordering ? DERIVE_ORD : DERIVE_EQ) : ordering ? DERIVE_PARTIAL_ORD : DERIVE_PARTIAL_EQ))
            return false;
        for (int i = 0; i < t->nargs; i++)
            if (!compare_traits(t->args[i], ordering, total))
                return false;
        return true;
    case TY_FN: case TY_ITER: case TY_RANGE:
        return !ordering && t->kind == TY_RANGE;
    case TY_PARAM:
        return satisfies(t, trait ? find_trait(trait) : ordering ? prog->partial_ord : prog->partial_eq);
    default:
        return true;
    }
}

bool comparable(Type *t, bool ordering) { return compare_traits(t, ordering, false); }

bool is_stringish(Type *t, int *refs)
{
    t = ty_resolve(t);
    *refs = 0;
    while (t->kind == TY_REF) {
        t = ty_resolve(t->args[0]);
        (*refs)++;
    }
    return ty_is_std(t, STD_STRING) || t->kind == TY_STR;
}

/* Vec<T> == [T; N], &[T] == Vec<T> ...: sequences of the same element type. */
bool seq_eq_ok(Type *a, Type *b)
{
    a = ty_resolve(a);
    b = ty_resolve(b);
    while (a->kind == TY_REF && b->kind == TY_REF) {
        a = ty_resolve(a->args[0]);
        b = ty_resolve(b->args[0]);
    }
    bool sa = ty_is_std(a, STD_VEC) || a->kind == TY_ARRAY || a->kind == TY_SLICE;
    bool sb = ty_is_std(b, STD_VEC) || b->kind == TY_ARRAY || b->kind == TY_SLICE;
    return sa && sb && a->kind != b->kind && unify(a->args[0], b->args[0]);
}

/* Two sides of `==`/`<` (or assert_eq!) of different types, as rustc reports them: two
 * different numbers are E0308 (and E0277 between an integer and a float); anything
 * else has no PartialEq/PartialOrd between them (E0277). */
void compare_mismatch(Span whole, Span rhs, Type *lt, Type *rt)
{
    Type *a = ty_resolve(lt), *b = ty_resolve(rt);
    if (a->kind == TY_ERROR || b->kind == TY_ERROR)
        return;
    bool an = ty_is_numeric(a) || (a->kind == TY_VAR && a->var_kind != VAR_ANY);
    bool bn = ty_is_numeric(b) || (b->kind == TY_VAR && b->var_kind != VAR_ANY);
    if (a->kind != TY_VAR && ((ty_is_numeric(a) && !bn) || a->kind == TY_BOOL || a->kind == TY_CHAR)) {
        mismatch(rhs, lt, rt); /* a known scalar on the left: the right is checked against it */
        return;
    }
    if (an && bn) {
        bool af = ty_is_float(a) || (a->kind == TY_VAR && a->var_kind == VAR_FLOAT);
        bool bf = ty_is_float(b) || (b->kind == TY_VAR && b->var_kind == VAR_FLOAT);
        mismatch(rhs, lt, rt);
        if (af != bf)
            diag_error("E0277", whole, "can't compare `%s` with `%s`", ty_str(lt), ty_str(rt));
        return;
    }
    Diag *d = diag_error("E0277", whole, "can't compare `%s` with `%s`", ty_str(lt), ty_str(rt));
    diag_primary_label(d, "no implementation for `%s == %s`", ty_str(lt), ty_str(rt));
}

/* The span of binary expression e's operator: the first text after its left operand. */
static Span operator_span(Expr *e)
{
    uint32_t lo = e->lhs->span.hi, hi = e->rhs->span.lo;
    const char *t = hi > lo ? diag_source_text((Span){lo, hi, 0, 0}) : NULL;
    if (!t)
        return e->span;
    uint32_t k = 0;
    while (t[k] == ' ' || t[k] == '\t' || t[k] == '\n' || t[k] == '\r')
        k++;
    uint32_t n = (uint32_t)strlen(ast_binop_str(e->binop));
    if (lo + k + n > hi)
        return e->span;
    return diag_span_at(lo + k, lo + k + n);
}

/* E0277 for an arithmetic operator of a number with a right side it has no impl for, in
 * the words of std's #[rustc_on_unimplemented], at the operator. */
static void arith_rhs_error(Expr *e, Type *l, Type *r)
{
    const char *ls = ty_str(l), *rs = ty_str(r);
    const char *msg = e->binop == BIN_ADD   ? xprintf("cannot add `%s` to `%s`", rs, ls)
                      : e->binop == BIN_SUB ? xprintf("cannot subtract `%s` from `%s`", rs, ls)
                      : e->binop == BIN_MUL ? xprintf("cannot multiply `%s` by `%s`", ls, rs)
                      : e->binop == BIN_DIV ? xprintf("cannot divide `%s` by `%s`", ls, rs)
                      : e->binop == BIN_REM ? xprintf("cannot calculate the remainder of `%s` divided by `%s`", ls, rs)
                                            : xprintf("no implementation for `%s %s %s`", ls, ast_binop_str(e->binop), rs);
    Diag *d = diag_error("E0277", operator_span(e), "%s", msg);
    diag_primary_label(d, "no implementation for `%s %s %s`", ls, ast_binop_str(e->binop), rs);
}

static void binop_error(Expr *e, Type *l, Type *r)
{
    if (has_error(l) || has_error(r))
        return;
    static const char *verbs[] = {"add", "subtract", "multiply", "divide", "calculate the remainder of"};
    Diag *d;
    Type *lr = ty_resolve(l);
    bool num = ty_is_numeric(lr) || (lr->kind == TY_VAR && lr->var_kind != VAR_ANY);
    if (e->binop <= BIN_REM && num) { /* a number has Add, but not with this right side: E0277 */
        arith_rhs_error(e, l, r);
        return;
    }
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
    static const char *op_traits[] = {"Add", "Sub", "Mul", "Div", "Rem"};
    Type *lr0 = ty_resolve(lt);
    if (op <= BIN_REM && (lr0->kind == TY_ADT || (lr0->kind == TY_REF && ty_resolve(lr0->args[0])->kind == TY_ADT))) {
        /* impl Add for T, or impl Add for &T */
        Type *rt = check_expr(c, e->rhs, NULL);
        Type *ret = NULL;
        FnDef *f = op_impl_ret(op_traits[op], lr0, rt, &ret);
        if (f) {
            e->sema = f; /* the operator is this method call */
            return ret;
        }
        Type **ia = NULL;
        int ni = 0;
        FnDef *g = op_impl_args(op_traits[op], lr0, NULL, &ia, &ni);
        if (g && g->nparams == 2 && !has_error(rt)) {
            /* `impl<U> Add for Length<U>`, Length<Metres> + Length<Feet>: the right side is the
             * impl's, E0308 */
            mismatch(e->rhs->span, ni ? ty_subst(g->params[1], ia, ni) : g->params[1], rt);
            return ni ? ty_subst(g->ret, ia, ni) : g->ret;
        }
        binop_error(e, lt, rt);
        return ty_error();
    }
    if (op <= BIN_REM && lr0->kind == TY_PARAM && satisfies(lr0, find_trait(op_traits[op]))) {
        /* `a + b` on a T: Add<Output = U> (the right side is a T, Rhs's default); each
         * instance checks it again with its own types */
        check_coerce(c, e->rhs, lr0);
        Type *out = op_output(lr0, op_traits[op]);
        if (!out) {
            unsupported(e->span, "an operator on a type parameter whose bound does not name its `Output`");
            return ty_error();
        }
        return out;
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
    Type *rr1 = ty_resolve(rt);
    if (op <= BIN_REM && (ty_is_numeric(l) || ty_resolve(l)->kind == TY_VAR) && rr1->kind == TY_ADT && !rr1->adt->builtin) {
        /* `2.0 * v`: impl Mul<V> for f64 */
        Type *ret = NULL;
        FnDef *f = op_impl_ret(op_traits[op], l, rt, &ret);
        if (f) {
            e->sema = f;
            return ret;
        }
    }
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
        /* Duration ± Duration, Instant ± Duration, Instant - Instant */
        Type *rr1 = ty_resolve(rt);
        bool time_l = ty_is_std(lr, STD_DURATION) || ty_is_std(lr, STD_INSTANT);
        if (time_l && (op == BIN_ADD || op == BIN_SUB)) {
            if (ty_is_std(rr1, STD_DURATION))
                return lr;
            if (op == BIN_SUB && ty_is_std(lr, STD_INSTANT) && ty_is_std(rr1, STD_INSTANT))
                return ty_std(STD_DURATION, NULL, 0);
        }
        /* String + &str */
        if (op == BIN_ADD && ty_is_std(lr, STD_STRING)) {
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
        if (!unify(l, r)) { /* rustc: the right side is expected to be the left's type, the
                                 operation has none for it, and the result is the left's type
                                 (a literal's {integer} or {float} is no mismatch, only that) */
            if (lr->kind != TY_VAR && rr0->kind != TY_VAR)
                mismatch(e->rhs->span, l, r);
            arith_rhs_error(e, l, r);
            return l;
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
        compare_mismatch(e->span, e->rhs->span, lt, rt);
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
        Type *rr = ty_resolve(t);
        if (rr->kind == TY_ADT || (rr->kind == TY_REF && ty_resolve(rr->args[0])->kind == TY_ADT)) {
            Type *ret = NULL;
            FnDef *f = op_impl_ret("Neg", rr, NULL, &ret); /* impl Neg for T, or for &T */
            if (f) {
                e->sema = f;
                return ret;
            }
        }
        if (rr->kind == TY_PARAM && satisfies(rr, find_trait("Neg"))) {
            Type *out = op_output(rr, "Neg");
            if (!out) {
                unsupported(e->span, "an operator on a type parameter whose bound does not name its `Output`");
                return ty_error();
            }
            return out;
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
            if (t->kind == TY_PTR && !c->unsafe_depth) {
                Diag *d = diag_error("E0133", e->span, "dereference of raw pointer is unsafe and requires unsafe function or block");
                diag_primary_label(d, "dereference of raw pointer");
                diag_note(d, "raw pointers may be null, dangling or unaligned; they can violate aliasing rules and cause data races: all of these are undefined behavior");
            }
            return t->args[0];
        }
        if (ty_is_std(t, STD_PIN)) { /* Pin<P> derefs to P's target */
            Type *p = ty_resolve(t->args[0]);
            if (p->kind == TY_REF || ty_is_std(p, STD_BOX))
                return p->args[0];
            if (p->kind != TY_VAR && p->kind != TY_ERROR) {
                diag_error("E0614", e->span, "type `%s` cannot be dereferenced", ty_str(t));
                return ty_error();
            }
        }
        if (t->kind == TY_STD && ty_std_deref(t)) /* its row's Deref: Box<T> -> T, Vec<T> -> [T] */
            return ty_std_deref(t);
        Type *tg = user_deref_target(t); /* impl Deref: `*x` is `*x.deref()` */
        if (tg)
            return tg;
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
    if (from->kind == TY_REF && to->kind == TY_PTR && (from->is_mut || !to->is_mut) &&
        could_unify(from->args[0], to->args[0])) { /* `&x as *const T` */
        unify(from->args[0], to->args[0]);
        return true;
    }
    if (from->kind == TY_PTR && to->kind == TY_PTR) /* `p as *const T`: a pointer of another type or mutability */
        return true;
    if (from->kind == TY_PTR && ty_is_int(to) && (to->kind == TY_USIZE || to->kind == TY_ISIZE))
        return true; /* its address */
    if ((from->kind == TY_BOOL || from->kind == TY_CHAR) && ty_is_int(to))
        return true;
    if (from->kind == TY_U8 && to->kind == TY_CHAR)
        return true;
    if (from->kind == TY_VAR && from->var_kind == VAR_INT && to->kind == TY_CHAR)
        return true;
    if (from->kind == TY_ADT && from->adt == prog->ordering && ty_is_int(to))
        return true; /* Ordering::Less as i32 == -1 */
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

/* `e as T` between the types `as` converts (E0604, E0605). */
static Type *check_cast(Ctx *c, Expr *e)
{
    Type *to = resolve_type(e->cast_type);
    Type *from = check_expr(c, e->operand, NULL);
    Type *rt = ty_resolve(to);
    if ((ty_is_std(rt, STD_BOX) || ty_is_std(rt, STD_RC) || ty_is_std(rt, STD_ARC) || rt->kind == TY_REF) &&
        ty_resolve(rt->args[0])->kind == TY_DYN &&
        try_coerce(e->operand, from, to))
        return to; /* `Box::new(s) as Box<dyn T>`: the unsizing coercion, written as a cast */
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

/* `place = value` (E0070 for what is not a place); `_ = value` discards. */
static Type *check_assign(Ctx *c, Expr *e)
{
    if (ast_is_underscore(e->lhs)) {
        strip_parens(e->lhs)->ty = check_expr(c, e->rhs, NULL); /* `_ = value;`: evaluated, then dropped */
        return ty_unit();
    }
    Type *lt = check_expr(c, e->lhs, NULL);
    check_coerce(c, e->rhs, lt);
    if (!is_place(e->lhs)) {
        Diag *d = diag_error("E0070", e->span, "invalid left-hand side of assignment");
        diag_label(d, e->lhs->span, "cannot assign to this expression");
    } else {
        check_mutable(c, e->lhs, true, e->span);
    }
    return ty_unit();
}

/* `place op= value`: numbers, bools for the bit operators, `String += &str`,
 * or a user type's `impl AddAssign`... (E0368). */
static Type *check_assign_op(Ctx *c, Expr *e)
{
    Type *lt = check_expr(c, e->lhs, NULL);
    Type *l = ty_resolve(lt);
    if (l->kind == TY_ADT && e->binop <= BIN_REM) {
        static const char *names[] = {"AddAssign", "SubAssign", "MulAssign", "DivAssign", "RemAssign"};
        Type *rt = check_expr(c, e->rhs, NULL);
        FnDef *f = op_impl_ret(names[e->binop], l, rt, NULL);
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
    if (l->kind == TY_PARAM && e->binop <= BIN_REM) {
        static const char *names[] = {"AddAssign", "SubAssign", "MulAssign", "DivAssign", "RemAssign"};
        if (satisfies(l, find_trait(names[e->binop]))) { /* `T: AddAssign`: each instance checks it again */
            check_coerce(c, e->rhs, l);
            if (is_place(e->lhs))
                check_mutable(c, e->lhs, true, e->span);
            return ty_unit();
        }
    }
    if (ty_is_std(l, STD_STRING) && e->binop == BIN_ADD) {
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
            return ty_unit(); /* (rustc says no more of the place) */
        } else if (ok && !unify(l, rt)) {
            mismatch(e->rhs->span, l, rt);
        }
    }
    if (is_place(e->lhs))
        check_mutable(c, e->lhs, true, e->span);
    return ty_unit();
}

/* ---- structs, control flow ---------------------------------------------------- */

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

/* The item type of `for x in <t>` and how codegen iterates it. */
Type *into_iter_item(Type *t)
{
    t = ty_resolve(t);
    switch (t->kind) {
    case TY_RANGE:
        return t->args[0];
    case TY_ITER:
        return t->args[0];
    case TY_STD: /* a Vec by value, a Receiver (each value until the senders are gone), a HashMap's (K, V) */
        if (ty_is_map(t))
            return ty_tuple(t->args, 2);
        if (ty_is_set(t))
            return t->args[0];
        return ty_is_vec_like(t) || ty_is_std(t, STD_RECEIVER) ? t->args[0] : NULL;
    case TY_ARRAY:
        return t->args[0];
    case TY_ADT:
        if (t->adt == prog->option || t->adt == prog->result) /* its (Ok) value, if there is one */
            return t->args[0];
        return user_iter_item(t);
    case TY_PARAM: /* `I: Iterator<Item = T>` */
        return user_iter_item(t);
    case TY_REF: {
        Type *in = ty_resolve(t->args[0]);
        if (in->kind == TY_ADT && in->adt == prog->option)
            return ty_ref(in->args[0], t->is_mut);
        if (ty_is_vec_like(in) || in->kind == TY_ARRAY || in->kind == TY_SLICE)
            return ty_ref(in->args[0], t->is_mut);
        if (ty_is_set(in))
            return ty_ref(in->args[0], false);
        if (ty_is_map(in)) { /* (&K, &V), (&K, &mut V) */
            Type *kv[2] = {ty_ref(in->args[0], false), ty_ref(in->args[1], t->is_mut)};
            return ty_tuple(kv, 2);
        }
        if (ty_is_std(in, STD_RECEIVER))
            return in->args[0];
        if ((in->kind == TY_ITER || in->kind == TY_RANGE) && t->is_mut)
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
    Type *item = into_iter_item(t);
    TraitDef *iter_tr = find_trait("Iterator");
    if (!item && ty_resolve(t)->kind == TY_PARAM && iter_tr && satisfies(ty_resolve(t), iter_tr)) {
        unsupported(e->operand->span, "a `for` loop over a value of a generic iterator type");
        item = ty_error();
    } else if (!item) {
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

static Type *check_while(Ctx *c, Expr *e)
{
    push_scope(c);
    check_cond(c, e->cond);
    LoopCtx lc = {0};
    check_loop_body(c, e, &lc);
    pop_scope(c);
    return ty_unit();
}

/* `loop`: its type is what its `break`s carry, or `!` when none leaves it. */
static Type *check_loop(Ctx *c, Expr *e, Type *expected)
{
    LoopCtx lc = {.is_loop = true, .break_ty = expected ? expected : ty_var(VAR_ANY)};
    check_loop_body(c, e, &lc);
    if (!lc.has_break)
        return ty_prim(TY_NEVER);
    return lc.break_ty;
}

static Type *check_break(Ctx *c, Expr *e)
{
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

/* A block expression; a labelled one is left by `break 'label value`. */
static Type *check_block_expr(Ctx *c, Expr *e, Type *expected)
{
    if (e->is_unsafe) { /* unsafe { .. }: its calls of unsafe fns and raw pointer derefs are allowed */
        c->unsafe_depth++;
        Type *t = check_block(c, e->block, expected);
        c->unsafe_depth--;
        if (expected && !diverges(t) && e->block->tail && coerce_tail(e->block->tail, expected))
            return expected;
        return t;
    }
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
    Type *t = check_block(c, e->block, expected);
    /* `{ ..; Box::new(s) }` where a Box<dyn Trait> is wanted: the tail coerces */
    if (expected && !diverges(t) && e->block->tail && coerce_tail(e->block->tail, expected))
        return expected;
    return t;
}

bool diverges(Type *t) { return ty_resolve(t)->kind == TY_NEVER; }

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
    /* Box<closure> -> Box<dyn Fn(..)> in each branch, as in each match arm */
    if (expected && !diverges(tt) && e->block->tail && coerce_tail(e->block->tail, expected))
        tt = expected;
    if (expected && !diverges(et) && coerce_tail(e->els, expected))
        et = expected;
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
    if (xr && xr->kind != TY_VAR && !ty_has_vars(xr) && !diverges(tt) && !diverges(et) &&
        (!could_unify(tt, et) || !could_unify(tt, xr))) {
        /* a known expected type (a return type, an annotation): each branch is coerced
         * to it, and a branch that cannot be is the mismatch, as rustc reports it */
        Expr *then_tail = e->block->tail;
        if (!unify(tt, xr) && !(then_tail && try_coerce(then_tail, tt, xr)))
            mismatch(then_tail ? then_tail->span : e->block->span, xr, tt);
        if (!unify(et, xr) && !try_coerce(blame, et, xr))
            mismatch(blame->span, xr, et);
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

/* A branch whose value needs an unsizing coercion to the expected type
 * (`Box::new(|a, b| a + b)` where `Box<dyn Fn(i32, i32) -> i32>` is wanted):
 * the coercion goes on the expression that makes the value, the innermost
 * tail. True when it applied. */
bool coerce_tail(Expr *body, Type *expected)
{
    Type *x = ty_resolve(expected);
    Type *p = ty_is_std(x, STD_PIN) ? ty_resolve(x->args[0]) : x; /* (a Pin<Box<dyn Future>>) */
    if (!((ty_is_std(p, STD_BOX) || p->kind == TY_REF) && ty_resolve(p->args[0])->kind == TY_DYN))
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
    bool failed = false; /* an arm did not coerce to the expected type */
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
        Type *xr = expected ? ty_resolve(expected) : NULL;
        if (xr && xr->kind != TY_VAR && xr->kind != TY_ERROR && !diverges(bt) && ty_resolve(bt)->kind != TY_ERROR &&
            !could_unify(xr, bt) && !try_coerce(arm->body, bt, xr)) {
            /* each arm is coerced to what the match must be (a fn's tail, a typed let); after
             * one fails, rustc's match has an error type and the later arms pass */
            Expr *blame = arm->body->kind == EX_BLOCK && arm->body->block->tail ? arm->body->block->tail : arm->body;
            if (!failed)
                mismatch(blame->span, xr, bt);
            failed = true;
            bt = xr;
        }
        if (!acc || diverges(acc)) {
            acc = bt;
        } else if (!failed && !diverges(bt) && !unify(acc, bt) && !try_coerce(arm->body, bt, acc)) {
            Expr *blame = arm->body->kind == EX_BLOCK && arm->body->block->tail ? arm->body->block->tail : arm->body;
            Diag *d = diag_error("E0308", blame->span, "`match` arms have incompatible types");
            diag_primary_label(d, "expected `%s`, found `%s`", ty_str(acc), ty_str(bt));
        }
    }
    list_push(&c->matches, e);
    return acc ? acc : ty_prim(TY_NEVER);
}

static Type *fn_ret_for_try(Ctx *c) { return ty_resolve(c->ret); }

/* The conversion `?` records (Expr.sema) when it boxes an error into a Box<dyn Error>. */
FnDef box_dyn_error_from = {.name = "from"};

/* Is t `Box<dyn Error>` (with any of Send, Sync, 'static)? */
bool is_box_dyn_error(Type *t)
{
    t = ty_resolve(t);
    return ty_is_std(t, STD_BOX) && ty_resolve(t->args[0])->kind == TY_DYN && ty_resolve(t->args[0])->trait == prog->error;
}

/* The conversion of error type from into the fn's error type to at `?` e: none (the same
 * type), the program's `impl From`, String's from &str, or a Box<dyn Error>'s; else E0277. */
void try_convert(Expr *e, Type *from, Type *to)
{
    from = ty_resolve(from);
    if (is_box_dyn_error(to) && !is_box_dyn_error(from)) {
        /* impl<E: Error> From<E> for Box<dyn Error>, and From<&str>, From<String>: boxed with E's
         * vtable (an error type not known yet is boxed once it is: codegen asks) */
        bool str = (from->kind == TY_REF && ty_resolve(from->args[0])->kind == TY_STR) || ty_is_std(from, STD_STRING);
        if (from->kind == TY_VAR || str || satisfies(from, prog->error)) {
            e->sema = &box_dyn_error_from;
            return;
        }
    } else if (could_unify(from, to)) {
        unify(from, to);
        return;
    }
    FnDef *conv = op_impl("From", to, from);
    if (!conv && ty_is_std(ty_resolve(to), STD_STRING) && from->kind == TY_REF && ty_resolve(from->args[0])->kind == TY_STR) {
        static FnDef str_to_string = {.name = "from", .cname = "mrs_string_from"};
        conv = &str_to_string; /* impl From<&str> for String: the message is copied into a String */
    }
    if (conv) {
        e->sema = conv; /* Err(e) becomes Err(From::from(e)) */
        return;
    }
    Diag *d = diag_error("E0277", e->span, "`?` couldn't convert the error to `%s`", ty_str(to));
    diag_note(d, "the question mark operation (`?`) implicitly performs a conversion on the error value using the `From` trait");
}

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
    if (ret->kind == TY_VAR && ret->var_kind == VAR_ANY && c->closure) {
        /* a closure's or async block's value not known yet: `?` makes it an Option, or a
         * Result of the same error (until the context says more) */
        Type *args[2] = {ty_var(VAR_ANY), t->adt == prog->result ? t->args[1] : NULL};
        unify(ret, ty_adt(t->adt, args, t->adt == prog->result ? 2 : 1));
        ret = ty_resolve(ret);
    }
    if (ret->kind != TY_ADT || ret->adt != t->adt) {
        Diag *d = diag_error("E0277", e->span,
                             "the `?` operator can only be used on `%s`s in a function that returns `%s`",
                             t->adt->name, t->adt->name);
        diag_primary_label(d, "cannot use the `?` operator in a function that returns `%s`", ty_str(ret));
        return t->args[0];
    }
    Expr *op = e->operand;
    while (op->kind == EX_PAREN)
        op = op->operand;
    if (t->adt == prog->result && ty_resolve(t->args[1])->kind == TY_VAR && ty_resolve(ret->args[1])->kind != TY_VAR &&
        op->kind == EX_METHOD && op->sema && ((MethodRes *)op->sema)->bm == BM_S_PARSE) {
        list_push(&c->late_tries, e); /* parse's error type is its target's: converted once that is known */
        list_push(&c->late_tries, ret->args[1]);
        return t->args[0];
    }
    if (t->adt == prog->result)
        try_convert(e, t->args[1], ret->args[1]);
    return t->args[0];
}

/* ---- literals, references, tuples, arrays, ranges ----------------------------- */

/* An integer literal takes its suffix's type, else the expected integer type,
 * else a fresh {integer}. */
static Type *check_int_lit(Expr *e, Type *expected)
{
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

/* A float literal: the suffix's type, the expected float type, or {float}. */
static Type *check_float_lit(Expr *e, Type *expected)
{
    if (e->suffix)
        return strcmp(e->suffix, "f32") == 0 ? ty_prim(TY_F32) : ty_prim(TY_F64);
    Type *x = expected ? ty_resolve(expected) : NULL;
    if (x && ty_is_float(x))
        return x;
    return ty_var(VAR_FLOAT);
}

/* `&e` / `&mut e`; the unsizing coercions (&String -> &str) are the caller's. */
static Type *check_ref(Ctx *c, Expr *e, Type *expected)
{
    if (e->is_raw) { /* `&raw const x`: *const T, to a place; only reading through it needs `unsafe` */
        Type *t = check_expr(c, e->operand, NULL);
        if (!is_place(e->operand))
            unsupported(e->span, "a raw pointer to a value that is not a place");
        else if (e->is_mut)
            check_mutable(c, e->operand, false, e->span);
        return ty_ptr(t, e->is_mut);
    }
    if (e->pin_macro) { /* pin!(v) */
        Type *r = ty_ref(check_expr(c, e->operand, NULL), true);
        return ty_std(STD_PIN, &r, 1);
    }
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

static Type *check_tuple(Ctx *c, Expr *e, Type *expected)
{
    Type *x = expected ? ty_resolve(expected) : NULL;
    int n = e->args.len;
    Type *elems[n + 1];
    for (int i = 0; i < n; i++) {
        Type *xe = x && x->kind == TY_TUPLE && x->nargs == n ? x->args[i] : NULL;
        elems[i] = xe ? check_coerce(c, e->args.items[i], xe) : check_expr(c, e->args.items[i], NULL);
    }
    return ty_tuple(elems, n);
}

static Type *check_array(Ctx *c, Expr *e, Type *expected)
{
    Type *x = expected ? ty_resolve(expected) : NULL;
    Type *elem = x && (x->kind == TY_ARRAY || x->kind == TY_SLICE) ? x->args[0] : NULL;
    if (!elem)
        elem = ty_var(VAR_ANY);
    for (int i = 0; i < e->args.len; i++)
        check_coerce(c, e->args.items[i], elem);
    return ty_array(elem, (uint64_t)e->args.len);
}

/* `[e; N]`: N a literal or a const; e is copied N times, so it must be Copy. */
static Type *check_array_repeat(Ctx *c, Expr *e, Type *expected)
{
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

static Type *check_range(Ctx *c, Expr *e, Type *expected)
{
    Type *x = expected ? ty_resolve(expected) : NULL;
    Type *elem = x && x->kind == TY_RANGE ? x->args[0] : ty_var(VAR_ANY);
    if (e->lhs)
        check_coerce(c, e->lhs, elem);
    if (e->rhs)
        check_coerce(c, e->rhs, elem);
    if (!e->lhs || !e->rhs) {
        /* open ranges only as slice indices, but `a..` (RangeFrom) */
        if (!e->lhs && !e->rhs)
            unify(elem, ty_prim(TY_USIZE));
        if (e->lhs && !e->rhs && !e->inclusive)
            return ty_range_from(elem);
    }
    return ty_range(elem, e->inclusive);
}

static Type *check_expr_inner(Ctx *c, Expr *e, Type *expected)
{
    switch (e->kind) {
    case EX_INT:
        return check_int_lit(e, expected);
    case EX_FLOAT:
        return check_float_lit(e, expected);
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
    case EX_REF:
        return check_ref(c, e, expected);
    case EX_BINARY:
        return check_binary(c, e, expected);
    case EX_ASSIGN:
        return check_assign(c, e);
    case EX_ASSIGN_OP:
        return check_assign_op(c, e);
    case EX_CAST:
        return check_cast(c, e);
    case EX_CALL:
        return check_call(c, e, expected);
    case EX_METHOD:
        return check_method(c, e, expected);
    case EX_FIELD:
    case EX_TUPLE_FIELD:
        return check_field(c, e);
    case EX_INDEX:
        return check_index(c, e);
    case EX_TUPLE:
        return check_tuple(c, e, expected);
    case EX_ARRAY:
        return check_array(c, e, expected);
    case EX_ARRAY_REPEAT:
        return check_array_repeat(c, e, expected);
    case EX_STRUCT:
        return check_struct_lit(c, e, expected);
    case EX_RANGE:
        return check_range(c, e, expected);
    case EX_BLOCK:
        return check_block_expr(c, e, expected);
    case EX_IF:
        return check_if(c, e, expected);
    case EX_LET:
        unsupported(e->span, "`let` in this position");
        return ty_error();
    case EX_WHILE:
        return check_while(c, e);
    case EX_LOOP:
        return check_loop(c, e, expected);
    case EX_FOR:
        return check_for(c, e);
    case EX_MATCH:
        return check_match(c, e, expected);
    case EX_BREAK:
        return check_break(c, e);
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
    case EX_AWAIT: { /* `fut.await`: F::Output, in an async fn only (E0728) */
        Type *ft = check_expr(c, e->operand, NULL);
        if (c->closure ? !c->closure->async_fn : !c->fn->is_async) { /* (the innermost fn, closure or block) */
            Diag *d = diag_error("E0728", e->name_span.lo ? e->name_span : e->span,
                                 "`await` is only allowed inside `async` functions and blocks");
            diag_primary_label(d, "only allowed inside `async` functions and blocks");
            return ty_error();
        }
        Type *rt = ty_resolve(ft);
        if (rt->kind == TY_ASYNC && rt->async_fn == c->fn && !c->fn->recursion_reported) {
            /* its future would hold itself */
            c->fn->recursion_reported = true;
            Diag *d = diag_error("E0733", span_join(c->fn->item->span, c->fn->item->sig->span),
                                 "recursion in an async fn requires boxing");
            diag_label(d, e->span, "recursive call here");
            diag_note(d, "a recursive `async fn` call must introduce indirection such as `Box::pin` to avoid an infinitely sized future");
            return ty_error();
        }
        return future_output(e->operand->span, ft, (Span){0}); /* (a Pin<&mut F>, a Pin<Box<F>>, an &mut F too) */
    }
    case EX_CLOSURE:
        return check_closure(c, e, expected);
    case EX_MACRO:
        return check_macro(c, e, expected);
    }
    return ty_error();
}

Type *check_expr(Ctx *c, Expr *e, Type *expected)
{
    e->adjust = NULL; /* a generic fn's body is checked once per instance */
    if (e->kind == EX_CALL || e->kind == EX_BINARY || e->kind == EX_UNARY || e->kind == EX_ASSIGN_OP ||
        e->kind == EX_TRY)
        e->sema = NULL;
    Type *t = check_expr_inner(c, e, expected);
    return set_ty(c, e, t);
}

/* ---- blocks and statements ---------------------------------------------------- */

static bool expr_is_blocklike(Expr *e)
{
    return e->kind == EX_IF || e->kind == EX_MATCH || e->kind == EX_BLOCK || e->kind == EX_WHILE ||
           e->kind == EX_LOOP || e->kind == EX_FOR;
}

Type *check_block(Ctx *c, Block *b, Type *expected)
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
            if (!s->init) /* `let x;`, `let (a, b);`: each binding is assigned later */
                ast_pat_any_ident(s->pat, mark_deferred, NULL);
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
