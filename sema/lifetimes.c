/* lifetimes.c — E0106: a reference type with no lifetime where elision cannot supply one.
 *
 * requires: the parsed crate; produces: diagnostics only. Two places need a lifetime:
 * a reference in a struct or enum field (`name: &str`), and a reference in a fn's return
 * type when the inputs do not give exactly one lifetime to elide to (no `&self`, and not
 * exactly one lifetime among the parameters). The check is syntactic and errs on the side
 * of accepting: a parameter whose type may hide a lifetime (a struct with lifetime
 * parameters, `impl Trait`, `dyn Trait`, `self` by value) switches it off for that fn. */
#include "sema.h"

#include <string.h>

static List lifetime_types; /* char *: the structs and enums declaring lifetime parameters */

static bool elided(TypeExpr *t) { return !t->lifetime || !strcmp(t->lifetime, "'_"); }

/* Collect the names of the structs and enums (in modules too) that declare lifetime parameters. */
static void collect_lifetime_types(List *items)
{
    for (int i = 0; i < items->len; i++) {
        Item *it = items->items[i];
        if (it->kind == IT_MOD)
            collect_lifetime_types(&it->items);
        if ((it->kind != IT_STRUCT && it->kind != IT_ENUM) || !it->name || !it->generics)
            continue;
        for (int k = 0; k < it->generics->params.len; k++)
            if (((GenericParam *)it->generics->params.items[k])->kind == GP_LIFETIME) {
                list_push(&lifetime_types, (char *)it->name);
                break;
            }
    }
}

/* Does a struct or enum named `name` declare lifetime parameters? */
static bool has_lifetime_params(const char *name)
{
    for (int i = 0; i < lifetime_types.len; i++)
        if (!strcmp(lifetime_types.items[i], name))
            return true;
    return false;
}

typedef struct Walk {
    TypeExpr *first_elided; /* the first reference without a lifetime */
    int elided;             /* how many */
    List named;             /* char *: distinct named lifetimes */
    bool hidden;            /* a type that may carry a lifetime we cannot see */
} Walk;

static void walk_type(TypeExpr *t, Walk *w)
{
    if (!t)
        return;
    switch (t->kind) {
    case TE_REF:
        if (elided(t)) {
            if (!w->first_elided)
                w->first_elided = t;
            w->elided++;
        } else {
            bool seen = false;
            for (int i = 0; i < w->named.len && !seen; i++)
                seen = !strcmp(w->named.items[i], t->lifetime);
            if (!seen)
                list_push(&w->named, t->lifetime);
        }
        walk_type(t->inner, w);
        return;
    case TE_PTR:
    case TE_ARRAY:
    case TE_SLICE:
        walk_type(t->inner, w);
        return;
    case TE_TUPLE:
        for (int i = 0; i < t->elems.len; i++)
            walk_type(t->elems.items[i], w);
        return;
    case TE_PATH:
        if (t->path && t->path->segs.len) {
            PathSeg *last = t->path->segs.items[t->path->segs.len - 1];
            if (has_lifetime_params(last->name))
                w->hidden = true;
            for (int s = 0; s < t->path->segs.len; s++) {
                PathSeg *seg = t->path->segs.items[s];
                for (int i = 0; i < seg->generic_args.len; i++)
                    walk_type(seg->generic_args.items[i], w);
            }
        }
        return;
    case TE_IMPL_TRAIT:
    case TE_DYN:
        w->hidden = true;
        return;
    default: /* fn pointers elide on their own; the rest hold no reference */
        return;
    }
}

static Diag *missing_lifetime(TypeExpr *ref)
{
    Diag *d = diag_error("E0106", (Span){ref->span.lo, ref->span.lo + 1, ref->span.line, ref->span.col},
                         "missing lifetime specifier");
    diag_primary_label(d, "expected named lifetime parameter");
    return d;
}

static void check_fields(List *fields)
{
    for (int i = 0; i < fields->len; i++) {
        Walk w = {0};
        walk_type(((FieldDef *)fields->items[i])->type, &w);
        if (w.first_elided)
            diag_help(missing_lifetime(w.first_elided), "consider introducing a named lifetime parameter");
    }
}

/* Does parameter p's type hold a reference (with or without a lifetime)? */
static bool param_has_ref(Param *p)
{
    Walk one = {0};
    walk_type(p->type, &one);
    return one.elided || one.named.len;
}

static void check_fn(Item *it, bool in_impl)
{
    FnSig *sig = it->sig;
    Walk out = {0};
    walk_type(sig->ret, &out);
    if (!out.first_elided)
        return;
    if (sig->self_kind == SELF_REF || sig->self_kind == SELF_REF_MUT || sig->self_kind == SELF_TYPED ||
        (sig->self_kind == SELF_VALUE && in_impl))
        return; /* elided to self's lifetime (or a lifetime of Self we do not see) */
    Walk in = {0};
    for (int i = 0; i < sig->params.len; i++)
        walk_type(((Param *)sig->params.items[i])->type, &in);
    int inputs = in.elided + in.named.len;
    if (in.hidden || inputs == 1)
        return;
    Diag *d = missing_lifetime(out.first_elided);
    for (int i = 0; i < sig->params.len; i++) {
        Param *p = sig->params.items[i];
        if (param_has_ref(p))
            diag_label(d, p->type->span, "%s", "");
    }
    if (inputs == 0) {
        diag_help(d, "this function's return type contains a borrowed value, but there is no value for it to be "
                     "borrowed from");
        diag_help(d, "consider using the `'static` lifetime, but this is likely not what you want");
        return;
    }
    StrBuf sb;
    sb_init(&sb);
    int named = 0, total = 0;
    for (int i = 0; i < sig->params.len; i++) {
        Param *p = sig->params.items[i];
        total += param_has_ref(p) && p->pat && p->pat->kind == PAT_IDENT;
    }
    for (int i = 0; i < sig->params.len; i++) {
        Param *p = sig->params.items[i];
        if (!param_has_ref(p) || !p->pat || p->pat->kind != PAT_IDENT)
            continue;
        named++;
        sb_printf(&sb, "%s`%s`", named == 1 ? "" : named == total ? (total == 2 ? " or " : ", or ") : ", ",
                  p->pat->name);
    }
    diag_help(d, "this function's return type contains a borrowed value, but the signature does not say whether it "
                 "is borrowed from %s", sb.data ? sb.data : "its arguments");
    sb_free(&sb);
}

static void check_items(List *items, bool in_impl)
{
    for (int i = 0; i < items->len; i++) {
        Item *it = items->items[i];
        switch (it->kind) {
        case IT_STRUCT:
            check_fields(&it->fields);
            break;
        case IT_ENUM:
            for (int v = 0; v < it->variants.len; v++)
                check_fields(&((Variant *)it->variants.items[v])->fields);
            break;
        case IT_FN:
            if (it->sig)
                check_fn(it, in_impl);
            break;
        case IT_IMPL:
        case IT_TRAIT:
            check_items(&it->items, true);
            break;
        case IT_MOD:
            check_items(&it->items, false);
            break;
        default:
            break;
        }
    }
}

void sema_check_elision(Crate *crate)
{
    lifetime_types = (List){0};
    collect_lifetime_types(&crate->items);
    check_items(&crate->items, false);
    lifetime_types = (List){0};
}
