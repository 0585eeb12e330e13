/* loans.c — the walk that notes borrow facts on the tree (loans.h).
 *
 * requires: a typed fn body on which moves.c ran (Expr.temp, Pat.bck_moves);
 * produces: Expr.bck_loans and Pat.bck_loans (the graph's CFG_BCK
 * statements, in evaluation order) and Local.loans_held.
 *
 * The walk follows the classifier of uses (sema/uses.c): each operand of
 * an expression is used by value, read, borrowed or mutated; a place
 * operand becomes an access of that place or a loan of it, a value operand
 * is walked for what it carries. The loans a value carries flow into the
 * locals it is stored in; those flows are constraints between locals,
 * solved once the body is walked (loans of `a` flow into `b` with `b = a`). */
#include "loans.h"
#include "borrowck.h"

#include <stdlib.h>
#include <string.h>

typedef struct Flow {
    Local *into;
    Carry *from;
} Flow;

typedef struct LoopCarry {
    struct LoopCarry *parent;
    const char *label;
    Carry *carry;       /* what `break value` carries out */
} LoopCarry;

typedef struct Ret {
    Carry *carry;
    Expr *e;
} Ret;

static struct {
    FnDef *fn;
    bool quiet;         /* finding a place only: no facts, no loans */
    List returns;       /* Ret *: the values the fn returns */
    Closure *clo;
    int nloans;
    List flows;         /* Flow * */
    LoopCarry *loops;
    List statics;       /* Ret *: values that must live for `'static` (E0521 when a parameter's borrow does) */
    Span bind_at;       /* where a pattern's scrutinee is: a binding that copies a part reads it there */
    List own_result;    /* Expr *: closures whose result may hold what their parameters or own locals hold */
    List item_of, item_carry; /* an iterator (Expr *) whose items hold only what the Carry * says */
} W;

static bool static_param(FnSig *sig, int k);
static bool elided_mut_param(FnDef *f, int k);
static bool static_field(Place *p);
static void needs_static(Carry *c, Expr *e);
static Type *proj_type(Type *t, const Proj *p, const char **variant);

/* ---- carried sets ---- */

static Carry *carry_new(void) { return NEW(Carry); }

static void carry_loan(Carry *c, Loan *l)
{
    for (int i = 0; i < c->loans.len; i++)
        if (c->loans.items[i] == l)
            return;
    list_push(&c->loans, l);
}

static void carry_local(Carry *c, Local *l)
{
    for (int i = 0; i < c->locals.len; i++)
        if (c->locals.items[i] == l)
            return;
    list_push(&c->locals, l);
}

static void carry_add(Carry *c, const Carry *o)
{
    if (!o)
        return;
    for (int i = 0; i < o->loans.len; i++)
        carry_loan(c, o->loans.items[i]);
    for (int i = 0; i < o->locals.len; i++)
        carry_local(c, o->locals.items[i]);
}

static bool carry_empty(const Carry *c) { return !c || (!c->loans.len && !c->locals.len); }

/* ---- types that may hold a reference ---- */

static bool adt_has_lifetimes(AdtDef *a)
{
    if (!a->item || !a->item->generics)
        return false;
    for (int i = 0; i < a->item->generics->params.len; i++)
        if (((GenericParam *)a->item->generics->params.items[i])->kind == GP_LIFETIME)
            return true;
    return false;
}

/* May a value of type t hold a reference (and so carry loans)? */
static bool carries(Type *t)
{
    t = t ? ty_resolve(t) : NULL;
    if (!t)
        return false;
    switch (t->kind) {
    case TY_REF:
    case TY_CLOSURE:
    case TY_ITER:
    case TY_PARAM:
    case TY_ERROR:
        return true;
    case TY_PROJ: /* `F::Output` of a type parameter: only what the caller lent F, never this fn's locals */
        return ty_resolve(t->args[0])->kind != TY_PARAM;
    case TY_ASYNC: /* an async fn's future: what its parameters borrow; an async block's: what it captures */
        if (t->async_fn->async_block)
            return true;
        for (int i = 0; i < t->async_fn->nparams; i++)
            if (carries(t->nargs ? ty_subst(t->async_fn->params[i], t->args, t->nargs) : t->async_fn->params[i]))
                return true;
        return false;
    case TY_ADT:
        if (adt_has_lifetimes(t->adt))
            return true;
        break;
    case TY_STD: /* a guard; a thread's handle holds what its closure borrowed */
        if (ty_is_guard(t) || ty_is_std(t, STD_JOINHANDLE) || ty_is_std(t, STD_SCOPEDJOINHANDLE) ||
            ty_is_std(t, STD_SCOPE) || ty_is_std(t, STD_CONTEXT) || /* (a Context borrows its Waker) */
            ty_is_std(t, STD_ENTRY)) /* (an Entry, its map) */
            return true;
        break;
    default:
        break;
    }
    for (int i = 0; i < t->nargs; i++)
        if (carries(t->args[i]))
            return true;
    return false;
}

/* Can a value of type t borrow from where it was made (a reference, an
 * iterator, a struct with lifetime parameters), rather than only hold what
 * that held (an element of type T)? */
static bool borrows(Type *t)
{
    t = t ? ty_resolve(t) : NULL;
    if (!t)
        return false;
    if (t->kind == TY_REF || t->kind == TY_ITER || (t->kind == TY_ADT && adt_has_lifetimes(t->adt)) ||
        ty_is_guard(t)) /* (a guard borrows its RefCell or lock) */
        return true;
    for (int i = 0; i < t->nargs; i++)
        if (borrows(t->args[i]))
            return true;
    return false;
}

/* ---- facts ---- */

static BFact *fact(List *on, BFactKind k, Span sp)
{
    BFact *f = NEW(BFact);
    f->kind = k;
    f->span = sp;
    if (!W.quiet)
        list_push(on, f);
    return f;
}

static Loan *new_loan(Place *pl, LoanKind kind, Span at)
{
    Loan *l = NEW(Loan);
    l->id = W.nloans++;
    l->place = pl;
    l->kind = kind;
    l->at = at;
    return l;
}

static void use_carry(List *on, Carry *c, Span sp, bool by_call)
{
    if (carry_empty(c))
        return;
    BFact *f = fact(on, BF_USE, sp);
    f->carry = c;
    f->by_call = by_call;
}

static void flow_into(Local *l, Carry *c)
{
    if (!l || carry_empty(c) || !carries(l->type))
        return;
    Flow *f = NEW(Flow);
    f->into = l;
    f->from = c;
    list_push(&W.flows, f);
}

/* ---- places, with derefs of references ---- */

static Expr *unparen(Expr *e)
{
    while (e->kind == EX_PAREN)
        e = e->operand;
    return e;
}

static Carry *value(Expr *e);
static Carry *operand(Expr *e, UseMode mode, bool borrow, List *facts_on, Span at);

/* One deref of a value of type t, as a projection: a Box's contents, a
 * reference's referent; false for anything else (a smart pointer's Deref). */
static bool deref_step(Place **pl, Type **t)
{
    Type *r = *t ? ty_resolve(*t) : NULL;
    if (!r)
        return false;
    if (ty_is_std(r, STD_BOX) || (ty_is_smart(r) && !ty_counted_fat(r))) { /* (a fat Rc's target: no place here) */
        /* a Box's contents; what an Rc, an Arc or a guard owns or points at: a loan of it is
         * a loan of the smart pointer, which may not move or drop while it lives */
        if (*pl)
            *pl = place_proj(*pl, PJ_DEREF, NULL);
        *t = r->args[0];
        return true;
    }
    if (r->kind == TY_REF) {
        if (*pl)
            *pl = place_proj(*pl, PJ_REF, NULL);
        *t = r->args[0];
        return true;
    }
    return false;
}

/* Is an index of a value of type t a place projection (an array or a
 * slice), rather than a call of `Index::index` (a Vec, a String, a user type)? */
static bool builtin_index(Type *t)
{
    t = t ? ty_resolve(t) : NULL;
    return t && (t->kind == TY_ARRAY || t->kind == TY_SLICE);
}

static bool is_copy(Type *t) { return !t || sema_is_copy(W.fn, t); }

/* The place a place expression names, walking what it evaluates on the way
 * (an index operand, the index call of a Vec, a value it starts from).
 * NULL when it is reached through a reference that is not rooted in a
 * local (a call's result, a Vec's index); *via gets what such a place carries.
 * `mut`: the place is mutated or borrowed mutably (a Vec index borrows
 * mutably then). Facts go on the expressions where they happen. */
static Place *place_of(Expr *e, bool mut, Carry *via)
{
    e = unparen(e);
    switch (e->kind) {
    case EX_PATH:
        if (e->def && e->def->kind == DEF_LOCAL) {
            Local *l = e->def->local;
            if (carries(l->type)) {
                fact(&e->bck_loans, BF_HOLD, e->span)->local = l;
                carry_local(via, l);
            }
            return place_local(l);
        }
        return NULL;
    case EX_FIELD:
    case EX_TUPLE_FIELD: {
        FieldRes *fr = e->sema;
        Place *base = bck_place_expr(e->operand) ? place_of(e->operand, mut, via) : NULL;
        if (!bck_place_expr(e->operand))
            carry_add(via, value(e->operand));
        if (!fr)
            return NULL;
        Type *t = e->operand->ty;
        for (int i = 0; i < fr->derefs; i++)
            if (!deref_step(&base, &t))
                return NULL;
        return base ? place_proj(base, PJ_FIELD, e->kind == EX_FIELD ? e->name : xprintf("%u", e->index)) : NULL;
    }
    case EX_UNARY:
        if (e->unop == UN_DEREF && !e->sema) {
            Place *base = NULL;
            if (bck_place_expr(e->operand))
                base = place_of(e->operand, mut, via);
            else
                carry_add(via, value(e->operand));
            Type *t = e->operand->ty;
            if (!deref_step(&base, &t))
                return NULL;
            return base;
        }
        carry_add(via, value(e));
        return NULL;
    case EX_INDEX: {
        Place *base = NULL;
        bool base_place = bck_place_expr(e->lhs);
        if (base_place)
            base = place_of(e->lhs, mut, via);
        else
            carry_add(via, value(e->lhs));
        Type *t = e->lhs->ty;
        while (t && !builtin_index(t) && ty_resolve(t)->kind == TY_REF && deref_step(&base, &t))
            ;
        Expr *ul = unparen(e->lhs);
        if (!base_place && !base && t && !builtin_index(t) && ty_resolve(t)->kind != TY_REF && ul->temp && !ul->promoted)
            base = place_local(ul->temp); /* `names()[0]`: Index::index borrows the temporary Vec */
        Carry *ic = operand(e->rhs, USE_MOVE, false, &e->bck_loans, e->rhs->span);
        use_carry(&e->bck_loans, ic, e->rhs->span, false);
        FieldRes *fr = e->sema;
        if (builtin_index(t) && !(fr && fr->index_fn))
            return base ? place_proj(base, PJ_INDEX, "[]") : NULL;
        /* `Index::index(&v, i)`: a borrow of v, made once the index is evaluated */
        if (base) {
            Loan *l = new_loan(base, mut ? LOAN_MUT : LOAN_SHARED, e->lhs->span);
            l->by_index = true;
            fact(&e->bck_loans, BF_LOAN, e->lhs->span)->loan = l;
            carry_loan(via, l);
        }
        return NULL;
    }
    default:
        carry_add(via, value(e));
        return NULL;
    }
}

/* A place expression used as an operand: an access, or a loan of it. */
static Carry *place_operand(Expr *e, UseMode mode, bool borrow, List *facts_on, Span at)
{
    bool mut = mode == USE_MUT || mode == USE_ASSIGN;
    Carry *c = carry_new();
    Place *pl = place_of(e, mut, c);
    if (borrow) {
        if (!pl)
            return c; /* through a reference made by a call: the loans it carries */
        Loan *l = new_loan(pl, mut ? LOAN_MUT : LOAN_SHARED, at);
        fact(facts_on, BF_LOAN, at)->loan = l;
        carry_loan(c, l);
        return c;
    }
    if (pl && (mode == USE_READ || (mode == USE_MOVE && is_copy(e->ty)))) {
        BFact *f = fact(&unparen(e)->bck_loans, BF_ACCESS, e->span);
        f->place = pl;
        f->ak = AC_READ;
    }
    /* a move is the graph's CFG_MOVE; an assignment or update is its expression's */
    if (!carries(e->ty))
        return carry_new();
    if (!pl) { /* a value read through a reference a call made (`words[0]`, `*v.first().unwrap()`):
                * it holds what the value it was read from holds, not that call's borrow */
        c->loans = (List){0};
        return c;
    }
    Expr *u = unparen(e);
    if ((u->kind == EX_FIELD || u->kind == EX_TUPLE_FIELD) && u->sema && !carries(((FieldRes *)u->sema)->base_ty))
        return carry_new(); /* a struct without lifetime parameters holds only `'static` references */
    if (e->ty && ty_resolve(e->ty)->kind == TY_PARAM)
        for (int i = 0; i < pl->n; i++)
            if (pl->proj[i].kind == PJ_REF) /* a T read through a reference: only the caller's borrows */
                return carry_new();
    return c;
}

/* An operand of some expression, used with `mode`; `borrow`: through a
 * reference made here (the loan's facts go on facts_on, spanned `at`). */
static Carry *operand(Expr *e, UseMode mode, bool borrow, List *facts_on, Span at)
{
    if (!e)
        return carry_new();
    if (bck_place_expr(e))
        return place_operand(e, mode, borrow, facts_on, at);
    Carry *c = value(e);
    Local *t = unparen(e)->temp;
    Expr *u = unparen(e);
    bool empty_array = u->kind == EX_ARRAY && !u->args.len; /* `&[]`: rustc promotes it, whatever its type */
    if (borrow && t && !e->promoted && !empty_array) { /* `&String::new()`, `make().len()`: a loan of the temporary */
        Loan *l = new_loan(place_local(t), mode == USE_MUT ? LOAN_MUT : LOAN_SHARED, at);
        fact(facts_on, BF_LOAN, at)->loan = l;
        carry_loan(c, l);
    }
    return c;
}

/* ---- patterns ---- */

/* A pattern's bindings get what the scrutinee carries, and a `ref` binding
 * of a place (or one by the default binding mode) a loan of the part it binds. */
static void bind(Pat *p, Place *pl, Carry *c, List *facts_on)
{
    if (!p)
        return;
    Type *t = p->ty ? ty_resolve(p->ty) : NULL;
    /* match ergonomics: a non-reference pattern matched through references */
    bool peel = p->kind == PAT_TUPLE || p->kind == PAT_TUPLE_STRUCT || p->kind == PAT_STRUCT || p->kind == PAT_SLICE;
    for (int i = 0; i < p->derefs; i++) {
        if (pl)
            pl = place_proj(pl, PJ_REF, NULL);
        if (t && t->kind == TY_REF)
            t = ty_resolve(t->args[0]);
    }
    while (peel && t && t->kind == TY_REF) {
        if (pl)
            pl = place_proj(pl, PJ_REF, NULL);
        t = ty_resolve(t->args[0]);
    }
    switch (p->kind) {
    case PAT_IDENT:
        if (p->local && !p->def) {
            Carry *mine = carry_new();
            carry_add(mine, c);
            if (p->bind_ref && pl) {
                Loan *l = new_loan(pl, p->bind_ref_mut ? LOAN_MUT : LOAN_SHARED, p->span);
                fact(facts_on, BF_LOAN, p->span)->loan = l;
                carry_loan(mine, l);
            } else if (pl && is_copy(p->local->type)) { /* a copy of the part */
                BFact *f = fact(facts_on, BF_ACCESS, W.bind_at);
                f->place = pl;
                f->ak = AC_READ;
            }
            flow_into(p->local, mine);
        }
        bind(p->sub, pl, c, facts_on);
        return;
    case PAT_REF:
        bind(p->sub, pl ? place_proj(pl, PJ_REF, NULL) : NULL, c, facts_on);
        return;
    case PAT_TUPLE:
        for (int k = 0; k < p->elems.len; k++) {
            Pat *s = p->elems.items[k];
            int idx = k;
            if (t && t->kind == TY_TUPLE) { /* after `..`, count from the end */
                int rest = -1;
                for (int j = 0; j < p->elems.len; j++)
                    if (((Pat *)p->elems.items[j])->kind == PAT_REST)
                        rest = j;
                if (rest >= 0 && k > rest)
                    idx = t->nargs - (p->elems.len - k);
            }
            bind(s, pl ? place_proj(pl, PJ_FIELD, xprintf("%d", idx)) : NULL, c, facts_on);
        }
        return;
    case PAT_TUPLE_STRUCT:
    case PAT_STRUCT: {
        Place *vp = pl;
        if (pl && p->def && p->def->kind == DEF_VARIANT && t && t->kind == TY_ADT)
            vp = place_proj(pl, PJ_VARIANT, t->adt->variants[p->def->variant].name);
        if (pl && t && ty_is_std(t, STD_BOX))
            vp = NULL;
        if (p->kind == PAT_TUPLE_STRUCT)
            for (int k = 0; k < p->elems.len; k++)
                bind(p->elems.items[k], vp ? place_proj(vp, PJ_FIELD, xprintf("%d", k)) : NULL, c, facts_on);
        else
            for (int k = 0; k < p->fields.len; k++) {
                FieldPat *fp = p->fields.items[k];
                bind(fp->pat, vp ? place_proj(vp, PJ_FIELD, fp->name) : NULL, c, facts_on);
            }
        return;
    }
    case PAT_SLICE:
        for (int k = 0; k < p->elems.len; k++)
            bind(p->elems.items[k], pl ? place_proj(pl, PJ_INDEX, "[]") : NULL, c, facts_on);
        return;
    case PAT_OR:
        for (int k = 0; k < p->elems.len; k++)
            bind(p->elems.items[k], pl, c, facts_on);
        return;
    default:
        return;
    }
}

/* Does matching p test the value (a literal, a variant, a range), so the scrutinee is read? */
static bool pat_tests(Pat *p)
{
    if (!p)
        return false;
    switch (p->kind) {
    case PAT_LIT:
    case PAT_RANGE:
    case PAT_PATH:
        return true;
    case PAT_IDENT:
        return p->def != NULL || pat_tests(p->sub);
    case PAT_TUPLE_STRUCT:
    case PAT_STRUCT:
        if (p->def && p->def->kind == DEF_VARIANT)
            return true;
        break;
    case PAT_SLICE:
        return true;
    default:
        break;
    }
    for (int k = 0; k < p->elems.len; k++)
        if (pat_tests(p->elems.items[k]))
            return true;
    for (int k = 0; k < p->fields.len; k++)
        if (pat_tests(((FieldPat *)p->fields.items[k])->pat))
            return true;
    return pat_tests(p->sub);
}

/* A scrutinee (`match`, `if let`, `while let`, a destructuring `let`):
 * a place is read where the patterns test it; a value is walked.
 * Returns what it carries; *pl the place, if it is one. */
static Carry *scrutinee(Expr *e, bool tests, Place **pl)
{
    *pl = NULL;
    if (!e)
        return carry_new();
    if (!bck_place_expr(e))
        return value(e);
    Carry *c = carry_new();
    *pl = place_of(e, false, c);
    if (*pl && tests) {
        BFact *f = fact(&unparen(e)->bck_loans, BF_ACCESS, e->span);
        f->place = *pl;
        f->ak = AC_READ;
    }
    if (!carries(e->ty)) {
        c->locals = (List){0};
    }
    if (!*pl) /* read through a reference a call made (`words[0]`): what the value holds, not that borrow */
        c->loans = (List){0};
    return c;
}

/* ---- calls: what the result carries ---- */

/* The lifetimes written in t's source text (`Word<'a>`: 'a); none (`Word`, `Word<'_>`): elided. */
static void source_lifetimes(TypeExpr *t, List *out, bool *elided)
{
    const char *s = diag_source_text(t->span);
    bool named = false;
    for (const char *p = s; *p; p++) {
        if (*p != '\'' || !(p[1] == '_' || (p[1] >= 'a' && p[1] <= 'z') || (p[1] >= 'A' && p[1] <= 'Z')))
            continue;
        const char *e = p + 1;
        while (*e == '_' || (*e >= 'a' && *e <= 'z') || (*e >= 'A' && *e <= 'Z') || (*e >= '0' && *e <= '9'))
            e++;
        char *name = xstrndup(p, (size_t)(e - p));
        if (strcmp(name, "'_")) {
            list_push(out, name);
            named = true;
        }
        p = e - 1;
    }
    if (!named)
        *elided = true;
}

static void te_lifetimes(TypeExpr *t, List *out, bool *elided, bool *hidden)
{
    if (!t)
        return;
    switch (t->kind) {
    case TE_REF:
        if (t->lifetime && strcmp(t->lifetime, "'_"))
            list_push(out, t->lifetime);
        else
            *elided = true;
        te_lifetimes(t->inner, out, elided, hidden);
        return;
    case TE_PATH:
        if (t->ty && ty_resolve(t->ty)->kind == TY_PARAM)
            list_push(out, xprintf("type %d", ty_resolve(t->ty)->param_index)); /* T: whatever the argument of type T holds */
        else if (t->ty && ty_resolve(t->ty)->kind == TY_ADT && adt_has_lifetimes(ty_resolve(t->ty)->adt))
            source_lifetimes(t, out, elided); /* the tree drops lifetime arguments: `Excerpt<'a>` */
        else if (t->ty && (ty_resolve(t->ty)->kind == TY_CLOSURE || ty_resolve(t->ty)->kind == TY_ITER))
            *hidden = true;
        if (t->path)
            for (int s = 0; s < t->path->segs.len; s++) {
                PathSeg *ps = t->path->segs.items[s];
                for (int k = 0; k < ps->generic_args.len; k++)
                    te_lifetimes(ps->generic_args.items[k], out, elided, hidden);
            }
        return;
    default:
        te_lifetimes(t->inner, out, elided, hidden);
        for (int k = 0; k < t->elems.len; k++)
            te_lifetimes(t->elems.items[k], out, elided, hidden);
        if (t->kind == TE_IMPL_TRAIT || t->kind == TE_DYN)
            *hidden = true;
        return;
    }
}

static bool names_any(List *have, List *want)
{
    for (int i = 0; i < have->len; i++)
        for (int k = 0; k < want->len; k++)
            if (!strcmp(have->items[i], want->items[k]))
                return true;
    return false;
}

typedef enum Flow3 {
    FLOW_NONE,  /* the result holds nothing of the argument */
    FLOW_HELD,  /* what the argument's value holds (through a type parameter: `T` of `&[T]`) */
    FLOW_ALL,   /* the argument's loans too (through a lifetime: `&'a str` to `&'a str`) */
} Flow3;

static void split_names(List *all, List *lts, List *tys)
{
    for (int i = 0; i < all->len; i++)
        list_push(((char *)all->items[i])[0] == '\'' ? lts : tys, all->items[i]);
}

/* What the result of calling user fn f takes from its argument k (k = 0 is
 * `self` for a method): by the lifetimes and type parameters its signature
 * names, or by elision: from `self` when there is one, else from the
 * argument with a lifetime. */
static Flow3 ret_from(FnDef *f, int k)
{
    if (f && f->is_async)
        return FLOW_ALL; /* an async fn's future holds its arguments, borrows and all */
    if (f && f->trait && f->is_default && !strcmp(f->trait->name, "Future") && !strcmp(f->name, "poll"))
        return k == 0 ? FLOW_HELD : FLOW_NONE; /* Poll<Self::Output>: what the future holds, never the Context */
    if (!f || !f->item || !f->item->sig)
        return FLOW_ALL;
    FnSig *sig = f->item->sig;
    List r = {0}, rlt = {0}, rty = {0};
    bool r_elided = false, r_hidden = false;
    te_lifetimes(sig->ret, &r, &r_elided, &r_hidden);
    split_names(&r, &rlt, &rty);
    for (int i = 0; i < rlt.len; i++) /* a `'static` in the result borrows from no argument */
        if (!strcmp(rlt.items[i], "'static"))
            rlt.items[i--] = rlt.items[--rlt.len];
    bool has_self = sig->self_kind != SELF_NONE;
    bool ref_self = has_self && sig->self_kind != SELF_VALUE;
    int pk = has_self ? k - 1 : k;
    if (pk >= sig->params.len)
        return FLOW_ALL;
    List p = {0}, plt = {0}, pty = {0};
    bool p_elided = false, p_hidden = false;
    if (has_self && k == 0) {
        if (!ref_self)
            return FLOW_ALL;
        p_elided = !sig->self_lifetime;
        if (sig->self_lifetime)
            list_push(&plt, sig->self_lifetime);
        if (r_elided || r_hidden)
            return FLOW_ALL;
        if (names_any(&rlt, &plt))
            return FLOW_ALL;
        return rty.len ? FLOW_HELD : FLOW_NONE; /* `fn get(&self) -> T`: a T it holds */
    }
    Param *pa = sig->params.items[pk];
    te_lifetimes(pa->type, &p, &p_elided, &p_hidden);
    split_names(&p, &plt, &pty);
    if (p_hidden && (r_elided || r_hidden || rlt.len))
        return FLOW_ALL;
    if ((r_elided || r_hidden) && !ref_self && (p_elided || plt.len))
        return FLOW_ALL; /* elided: from the argument with a lifetime */
    if (names_any(&rlt, &plt))
        return FLOW_ALL;
    if (names_any(&rty, &pty))
        return FLOW_HELD;
    return FLOW_NONE;
}

/* Add to `into` what `c` gives through a flow of kind k. */
static void carry_flow(Carry *into, Carry *c, Flow3 k)
{
    if (k == FLOW_ALL) {
        carry_add(into, c);
    } else if (k == FLOW_HELD) { /* (what a reference holds is its borrow: not that) */
        for (int i = 0; i < c->locals.len; i++) {
            Local *l = c->locals.items[i];
            if (!l->type || ty_resolve(l->type)->kind != TY_REF)
                carry_local(into, l);
        }
    }
}

/* ---- expressions ---- */

static Carry *block_value(Block *b);

static Carry *operands_of(Expr *e, UseMode own, Carry **each)
{
    List ops;
    sema_operands(W.fn, e, own, &ops);
    Carry *all = carry_new();
    for (int i = 0; i < ops.len; i++) {
        Operand *o = ops.items[i];
        Carry *c = operand(o->e, o->mode, o->borrow, &o->e->bck_loans, o->e->span);
        if (each)
            each[i] = c;
        carry_add(all, c);
    }
    return all;
}

static Carry *result_of(Expr *e, Carry *from)
{
    if (!carries(e->ty))
        return carry_new();
    return from;
}

static Carry *walk_closure(Expr *e)
{
    Closure *clo = e->sema;
    Carry *c = carry_new();
    if (!clo)
        return c;
    Span head = sema_closure_head(e);
    for (int i = 0; i < clo->captures.len; i++) {
        Capture *cp = clo->captures.items[i];
        Carry *via = carry_new();
        Place *pl = NULL;
        if (cp->place_expr && bck_place_expr(cp->place_expr)) {
            /* the place, without the facts its walk notes inside the body */
            W.quiet = true;
            pl = place_of(cp->place_expr, false, via);
            W.quiet = false;
        }
        carry_local(c, cp->root);
        if (carries(cp->root->type)) { /* what it holds is used where the closure captures it */
            BFact *h = fact(&e->bck_loans, BF_HOLD, cp->at);
            h->local = cp->root;
            h->captured = true;
        }
        if (!pl)
            continue;
        Type *ct = cp->type ? ty_resolve(cp->type) : NULL;
        bool unique = cp->mode == CAP_VALUE && !e->is_move && ct && ct->kind == TY_REF && ct->is_mut;
        if (unique) /* a `&mut` a non-move closure uses: rustc captures `*r` by a unique borrow */
            pl = place_proj(pl, PJ_REF, NULL);
        if (cp->mode == CAP_REF || cp->mode == CAP_MUT || unique) {
            Loan *l = new_loan(pl, cp->mode == CAP_REF ? LOAN_SHARED : LOAN_MUT, head);
            l->by_closure = true;
            l->cap_use = cp->at;
            fact(&e->bck_loans, BF_LOAN, head)->loan = l;
            carry_loan(c, l);
        } else if (is_copy(cp->type)) {
            BFact *f = fact(&e->bck_loans, BF_ACCESS, head);
            f->place = pl;
            f->ak = AC_READ;
        }
    }
    Closure *saved = W.clo;
    LoopCarry *sl = W.loops;
    W.clo = clo;
    W.loops = NULL;
    Carry *bc = value(e->body);
    W.clo = saved;
    W.loops = sl;
    bool own = false; /* does its result hold what its parameters or its own locals hold? */
    for (int i = 0; i < bc->locals.len && !own; i++)
        own = ((Local *)bc->locals.items[i])->closure == clo;
    for (int i = 0; i < bc->loans.len && !own; i++)
        own = ((Loan *)bc->loans.items[i])->place->local->closure == clo;
    if (own)
        list_push(&W.own_result, e);
    return c;
}

/* What the items of iterator e hold when that is known apart from what the iterator
 * borrows: those of a `map` whose closure makes its result from what it captured
 * alone (not from the item it is given), through adapters that pass items on. */
static Carry *items_of(Expr *e)
{
    e = unparen(e);
    for (int i = 0; i < W.item_of.len; i++)
        if (W.item_of.items[i] == e)
            return W.item_carry.items[i];
    return NULL;
}

static void note_items(Expr *e, Carry *c)
{
    list_push(&W.item_of, e);
    list_push(&W.item_carry, c);
}

static bool result_from_captures(Expr *fe)
{
    fe = unparen(fe);
    if (fe->kind != EX_CLOSURE)
        return false;
    for (int i = 0; i < W.own_result.len; i++)
        if (W.own_result.items[i] == fe)
            return false;
    return true;
}

static Carry *walk_let_pat(Pat *p, Expr *init, Block *els)
{
    Place *pl = NULL;
    Carry *c = init ? scrutinee(init, pat_tests(p) || els, &pl) : carry_new();
    W.bind_at = init ? init->span : p->span;
    if (els)
        block_value(els);
    use_carry(&p->bck_loans, c, init ? init->span : p->span, false);
    bind(p, pl, c, &p->bck_loans);
    return c;
}

/* A `&mut T` place passed on as it is (an argument, a receiver) is
 * reborrowed: `f(r)` is `f(&mut *r)`, so r is usable again after the call
 * but not while what the call returned from it is. The loan goes into c. */
static Loan *reborrow(Expr *e, Carry *c)
{
    Type *t = e->ty ? ty_resolve(e->ty) : NULL;
    if (!t || t->kind != TY_REF || !t->is_mut || !bck_place_expr(e))
        return NULL;
    Carry *via = carry_new();
    W.quiet = true;
    Place *pl = place_of(e, true, via);
    W.quiet = false;
    if (!pl)
        return NULL;
    Loan *l = new_loan(place_proj(pl, PJ_REF, NULL), LOAN_MUT, e->span);
    fact(&unparen(e)->bck_loans, BF_LOAN, e->span)->loan = l;
    carry_loan(c, l);
    return l;
}

/* A slice method called on a Vec (`v.swap(0, v.len() - 1)`) reaches the
 * slice through `DerefMut::deref_mut(&mut v)`, a call of its own: that
 * borrow is mutable at once, not two-phase as an auto-ref is. */
static bool slice_through_vec(Expr *e)
{
    MethodRes *mr = e->sema;
    const StdMethod *sm = mr && mr->bm ? std_method(mr->bm) : NULL;
    if (!sm || !(sm->families & FAM_SLICE))
        return false;
    Type *t = e->operand->ty ? ty_resolve(e->operand->ty) : NULL;
    while (t && t->kind == TY_REF)
        t = ty_resolve(t->args[0]);
    return t && ty_is_std(t, STD_VEC);
}

/* A std method that gives an element out of the receiver by value (`v.pop()`,
 * `d.pop_front()`, `v.remove(i)`): its result holds what the element held, not a
 * borrow of the receiver. */
static bool moves_element_out(const StdMethod *sm)
{
    const char *ret = sm && sm->sig ? strstr(sm->sig, "-> ") : NULL;
    return ret && (!strcmp(ret, "-> T") || !strcmp(ret, "-> Option<T>"));
}

/* Does argument k (0: the first after the receiver) of std method sm flow into its
 * result? Not when the receiver is borrowed (`&self`, `&mut self`) and the argument is a
 * reference: by lifetime elision the result borrows from the receiver only (`m.get(&k)`
 * returns a reference into m, not into k). Other arguments are taken to flow (a generic
 * pattern P is kept by the Split it makes). */
static bool std_arg_flows(const StdMethod *sm, int k)
{
    const char *s = sm && sm->sig ? sm->sig : NULL;
    if (!s || (strncmp(s, "(&self", 6) && strncmp(s, "(&mut self", 10)))
        return true;
    if (sm->id >= BM_SET_UNION && sm->id <= BM_SET_SYMMETRIC_DIFFERENCE)
        return true; /* (`a.union(&b)`: the iterator borrows both sets, one lifetime for both) */
    int depth = 0, arg = -1; /* the receiver is argument -1 */
    for (const char *c = s + 1; *c && depth >= 0; c++) {
        if (*c == '<' || *c == '(' || *c == '[')
            depth++;
        else if (*c == '>' || *c == ')' || *c == ']')
            depth--;
        else if (*c == ',' && depth == 0) {
            arg++;
            while (c[1] == ' ')
                c++;
            if (arg == k)
                return c[1] != '&';
        }
    }
    return true;
}

/* The iterator adapters whose items are known from their receiver's or their closure's:
 * map and filter_map (from the closure), and those that pass items on as they are. */
static bool sm_items(MethodRes *mr)
{
    if (!mr || mr->fn)
        return false;
    switch (mr->bm) {
    case BM_IT_MAP: case BM_IT_FILTER_MAP: case BM_IT_FILTER: case BM_IT_TAKE: case BM_IT_SKIP: case BM_IT_REV:
    case BM_IT_PEEKABLE: case BM_IT_STEP_BY: case BM_IT_TAKE_WHILE: case BM_IT_SKIP_WHILE: case BM_IT_INSPECT:
        return true;
    default:
        return false;
    }
}

static Carry *walk_method(Expr *e)
{
    List ops;
    sema_operands(W.fn, e, USE_MOVE, &ops);
    Operand *r = ops.items[0];
    MethodRes *mr = e->sema;
    Carry *rc;
    Loan *two_phase = NULL, *recv_loan = NULL;
    Adjust *adj = e->operand->adjust;
    bool autoref = adj && adj->autoref;
    if (r->borrow && autoref && bck_place_expr(e->operand)) {
        Carry *via = carry_new();
        Place *pl = place_of(e->operand, r->mode == USE_MUT, via);
        Type *t = e->operand->ty;
        for (int i = 0; i < r->derefs && pl; i++)
            if (!deref_step(&pl, &t))
                pl = NULL;
        rc = via;
        if (pl) {
            Loan *l = new_loan(pl, r->mode == USE_MUT ? LOAN_MUT : LOAN_SHARED, e->operand->span);
            l->two_phase = r->mode == USE_MUT && !slice_through_vec(e);
            fact(&unparen(e->operand)->bck_loans, BF_LOAN, e->operand->span)->loan = l;
            carry_loan(rc, l);
            recv_loan = l;
            if (l->two_phase)
                two_phase = l;
        }
    } else { /* by value, or a reference passed on as it is */
        rc = operand(e->operand, r->mode, r->borrow && autoref, &e->operand->bck_loans, e->operand->span);
        if (r->borrow && autoref && unparen(e->operand)->temp && !e->operand->promoted && rc->loans.len)
            recv_loan = rc->loans.items[rc->loans.len - 1]; /* of the temporary (operand() made it last) */
        if (!autoref && r->borrow && (recv_loan = reborrow(e->operand, rc))) {
            recv_loan->two_phase = true;
            two_phase = recv_loan;
        }
    }
    Carry *all = carry_new(), *res = carry_new();
    carry_add(all, rc);
    if (mr && mr->fn) {
        carry_flow(res, rc, ret_from(mr->fn, 0));
    } else {
        /* a std method: its result borrows the receiver unless it is an owned
         * value of the receiver's own type (`clone`, `take`) or an iterator's item */
        const StdMethod *sm = mr && mr->bm ? std_method(mr->bm) : NULL;
        Type *rt = adj && adj->target ? ty_resolve(adj->target) : NULL;
        if (rt && rt->kind == TY_REF && autoref)
            rt = ty_resolve(rt->args[0]);
        bool reborrow_row = sm && (sm->id == BM_PIN_AS_MUT || sm->id == BM_PIN_AS_REF); /* a Pin of the receiver */
        bool own = ((rt && e->ty && ty_resolve(e->ty) == rt) || (sm && (sm->families & (FAM_ITER | FAM_RANGE))) ||
                    moves_element_out(sm) || !borrows(e->ty)) && !reborrow_row;
        /* `opt.cloned()` on an Option<&T>: a copy of the referent, which holds nothing the
         * reference borrowed */
        Type *el = e->ty && ty_resolve(e->ty)->nargs ? ty_resolve(ty_resolve(e->ty)->args[0]) : NULL;
        bool copy = sm && (sm->id == BM_OPT_CLONED || sm->id == BM_OPT_COPIED || sm->id == BM_SL_TO_VEC) && el &&
                    (el->kind == TY_PARAM || !carries(el)); /* (a T holds only the caller's borrows) */
        bool deref_copy = !own && !copy && sm && (sm->id == BM_OPT_CLONED || sm->id == BM_OPT_COPIED) && el;
        if (own && copy) {
            (void)0; /* the result holds nothing */
        } else if (deref_copy) {
            /* `p.peek().copied()`, `m.get(&k).copied()` on an Option<&&T>: the copy is the inner
             * reference, which borrows what the receiver's places hold, not the borrow made
             * to reach it */
            Carry *held = carry_new();
            carry_add(held, rc);
            held->loans = (List){0};
            carry_add(res, held);
        } else if (own) {
            Carry *held = carry_new();
            carry_add(held, rc);
            held->loans = (List){0};
            /* what an iterator's consumer returns (collect, sum, fold ...) is made of items
             * and of what its closures return, and an FnMut closure cannot give out a borrow
             * of what it captured by unique borrow: those loans stay with the iterator */
            bool consumer = sm && (sm->families & FAM_ITER) && e->ty && ty_resolve(e->ty)->kind != TY_ITER;
            Carry *items = consumer && !bck_place_expr(e->operand) ? items_of(e->operand) : NULL;
            if (items) { /* (the items alone: the iterator's borrows end with it) */
                held = carry_new();
                carry_add(held, items);
                held->loans = (List){0};
            }
            const List *from = items ? &items->loans : &rc->loans;
            for (int i = 0; i < from->len && !bck_place_expr(e->operand); i++) { /* (a place: what it holds) */
                Loan *l = from->items[i];
                if (l != recv_loan && !(consumer && l->by_closure && l->kind == LOAN_MUT))
                    list_push(&held->loans, l);
            }
            carry_add(res, held);
        } else {
            carry_add(res, rc);
        }
    }
    Carry *args = carry_new(), *closures = carry_new();
    for (int i = 1; i < ops.len; i++) {
        Operand *o = ops.items[i];
        Carry *c = operand(o->e, o->mode, o->borrow, &o->e->bck_loans, o->e->span);
        reborrow(o->e, c);
        carry_add(all, c);
        const StdMethod *sm = mr && mr->bm ? std_method(mr->bm) : NULL;
        bool flows = mr && mr->fn ? true : std_arg_flows(sm, i - 1);
        /* (a reference argument of a std method on a borrowed receiver is only looked at:
         * `m.remove(&k)` keeps nothing of k in m; extend_from_slice keeps clones of the
         * elements, and what they borrow) */
        if (!(o->e->ty && ty_resolve(o->e->ty)->kind == TY_CLOSURE)) {
            if (flows) {
                carry_add(args, c);
            } else if (sm && sm->id == BM_VEC_EXTEND_FROM_SLICE) { /* what the elements hold, not the slice's borrow */
                Carry *held = carry_new();
                carry_add(held, c);
                held->loans = (List){0};
                carry_add(args, held);
            }
        } else {
            carry_add(closures, c);
        }
        carry_flow(res, c, mr && mr->fn ? ret_from(mr->fn, i) : flows ? FLOW_ALL : FLOW_NONE);
    }
    if (sm_items(mr)) { /* what the items hold, where it is known */
        BuiltinMethod bm = mr->bm;
        if ((bm == BM_IT_MAP || bm == BM_IT_FILTER_MAP) && e->args.len == 1 && result_from_captures(e->args.items[0]))
            note_items(e, closures);
        else if (bm != BM_IT_MAP && bm != BM_IT_FILTER_MAP && items_of(e->operand))
            note_items(e, items_of(e->operand));
    }
    if (two_phase && static_field(two_phase->place))
        needs_static(args, e); /* `self.names.push(name)` with `names: Vec<&'static str>` */
    Expr *ru = unparen(e->operand);
    if (mr && mr->bm == BM_SCOPE_SPAWN && ru->kind == EX_PATH && ru->def && ru->def->kind == DEF_LOCAL) {
        /* `s.spawn(|| ..)`: what the thread borrows stays borrowed while the scope runs */
        flow_into(ru->def->local, closures);
    }
    if (two_phase) { /* the call: the receiver's borrow is mutable from here, the arguments still live */
        BFact *f = fact(&e->bck_loans, BF_ACTIVATE, e->span);
        f->loan = two_phase;
        /* `v.push(&x)` with v: Vec<&T>: what the arguments carry goes into v (not what
         * `it.next_if_eq(&x)` only compares with) */
        if (!(mr && mr->bm == BM_PEEK_NEXT_IF_EQ))
            flow_into(two_phase->place->local, args);
    }
    use_carry(&e->bck_loans, all, e->span, false);
    return result_of(e, res);
}

static Carry *walk_call(Expr *e)
{
    List ops;
    sema_operands(W.fn, e, USE_MOVE, &ops);
    Carry *callee = operand(e->operand, USE_READ, false, &e->operand->bck_loans, e->operand->span);
    Carry *all = carry_new(), *res = carry_new();
    carry_add(all, callee);
    FnDef *f = e->operand->def && e->operand->def->kind == DEF_FN ? e->operand->def->fn : NULL;
    Carry *args = carry_new();
    Local *mut_into = NULL;
    bool spawn = e->operand->def && e->operand->def->kind == DEF_BUILTIN && e->operand->def->builtin == BI_THREAD_SPAWN;
    for (int i = 1; i < ops.len; i++) {
        Operand *o = ops.items[i];
        Carry *c = operand(o->e, o->mode, o->borrow, &o->e->bck_loans, o->e->span);
        reborrow(o->e, c);
        Expr *a = unparen(o->e);
        if (a->kind == EX_REF && a->is_mut) {
            if (c->loans.len && !mut_into && !elided_mut_param(f, i - 1))
                mut_into = ((Loan *)c->loans.items[0])->place->local;
        } else if (!(o->e->ty && ty_resolve(o->e->ty)->kind == TY_CLOSURE)) {
            carry_add(args, c);
        }
        carry_add(all, c);
        /* a std fn (`mem::replace`, `mem::take`): its result borrows only if its type can; a
         * thread's handle holds what its closure borrowed */
        carry_flow(res, c, f ? ret_from(f, i - 1) : borrows(e->ty) || spawn ? FLOW_ALL : FLOW_HELD);
        if (f && f->item && f->item->sig && static_param(f->item->sig, i - 1))
            needs_static(c, e);
    }
    use_carry(&e->bck_loans, all, e->operand->span, true);
    if (mut_into)
        flow_into(mut_into, args);
    return result_of(e, res);
}

/* Is parameter k of user fn f a `&mut X` whose X names no lifetime and no type parameter
 * (`cx: &mut Context<'_>`, `v: &mut Vec<i32>`)? Then elision gives each of its lifetimes a
 * fresh one, and nothing the other arguments borrow can be stored into it. */
static bool elided_mut_param(FnDef *f, int k)
{
    if (!f || !f->item || !f->item->sig)
        return false;
    FnSig *sig = f->item->sig;
    int pk = sig->self_kind != SELF_NONE ? k - 1 : k;
    if (pk < 0 || pk >= sig->params.len)
        return false;
    TypeExpr *te = ((Param *)sig->params.items[pk])->type;
    if (!te || te->kind != TE_REF)
        return false;
    List names = {0};
    bool elided = false, hidden = false;
    te_lifetimes(te->inner, &names, &elided, &hidden);
    return names.len == 0 && !hidden;
}

/* Must the argument k of a fn with signature sig live for `'static` (`x: &'static str`)? */
static bool static_param(FnSig *sig, int k)
{
    if (sig->self_kind != SELF_NONE)
        k--;
    if (k < 0 || k >= sig->params.len)
        return false;
    TypeExpr *t = ((Param *)sig->params.items[k])->type;
    return t && t->kind == TE_REF && t->lifetime && !strcmp(t->lifetime, "'static");
}

static bool te_names_static(TypeExpr *t)
{
    List l = {0};
    bool elided = false, hidden = false;
    te_lifetimes(t, &l, &elided, &hidden);
    for (int i = 0; i < l.len; i++)
        if (!strcmp(l.items[i], "'static"))
            return true;
    return false;
}

/* Is place p, or a struct field on its way, declared to hold `'static` references? */
static bool static_field(Place *p)
{
    Type *t = p->local->type;
    const char *variant = NULL;
    for (int j = 0; j < p->n && t; j++) {
        Type *r = ty_resolve(t);
        if (p->proj[j].kind == PJ_FIELD && r && r->kind == TY_ADT && r->adt->item && !r->adt->is_enum)
            for (int f = 0; f < r->adt->item->fields.len; f++) {
                FieldDef *fd = r->adt->item->fields.items[f];
                if (fd->name && !strcmp(fd->name, p->proj[j].name) && te_names_static(fd->type))
                    return true;
            }
        t = proj_type(t, &p->proj[j], &variant);
    }
    return false;
}

/* The value c goes where only `'static` borrows may (checked once the locals' sets are solved). */
static void needs_static(Carry *c, Expr *e)
{
    if (carry_empty(c))
        return;
    Ret *r = NEW(Ret);
    r->carry = c;
    r->e = e;
    list_push(&W.statics, r);
}

static void returned(Carry *c, Expr *e)
{
    if (W.clo || !e || carry_empty(c))
        return;
    Ret *r = NEW(Ret);
    r->carry = c;
    r->e = e;
    list_push(&W.returns, r);
}

/* The hidden local that holds the value of an `if` or `match` (a MIR
 * temporary): each branch gives it its value where the branch ends, so the
 * loans of one branch are not live along the other (nor around a loop). */
static Local *branch_holder(Expr *e)
{
    Local *h = NEW(Local);
    h->name = e->kind == EX_IF ? "value of `if`" : "value of `match`";
    h->cname = "";
    h->type = e->ty;
    h->span = e->span;
    h->closure = W.clo;
    h->index = -1;
    return h;
}

/* The expression whose evaluation ends a branch: a block's tail (through plain blocks). */
static Expr *branch_end_expr(Expr *e)
{
    Expr *u = unparen(e);
    if (u->kind == EX_BLOCK && !u->label && !u->is_unsafe && u->block->tail)
        return branch_end_expr(u->block->tail);
    return u->kind == EX_BLOCK ? NULL : u;
}

static Expr *branch_end(Block *b) { return b && b->tail ? branch_end_expr(b->tail) : NULL; }

/* A branch's value c goes into h where the branch ends (after `at` is evaluated). */
static void branch_value(Local *h, Expr *at, Carry *c)
{
    if (carry_empty(c))
        return;
    flow_into(h, c);
    if (!at)
        return;
    fact(&at->bck_loans, BF_DEF, at->span)->local = h; /* (then the use: the loans stay live across) */
    use_carry(&at->bck_loans, c, at->span, false);
}

static Carry *value_of(Expr *e);

/* What the value of e holds; a temporary that holds the value holds it too (a RefCell
 * guard its borrow, used by its drop at the end of the temporary's scope). */
static Carry *value(Expr *e)
{
    Carry *c = value_of(e);
    if (e && e->temp)
        flow_into(e->temp, c);
    return c;
}

static Carry *value_of(Expr *e)
{
    if (!e)
        return carry_new();
    e->bck_loans = (List){0};
    switch (e->kind) {
    case EX_PAREN:
        return value(e->operand);
    case EX_PATH:
    case EX_FIELD:
    case EX_TUPLE_FIELD:
    case EX_INDEX:
        return operand(e, USE_MOVE, false, &e->bck_loans, e->span);
    case EX_UNARY:
        if (e->unop == UN_DEREF && !e->sema)
            return operand(e, USE_MOVE, false, &e->bck_loans, e->span);
        return result_of(e, operands_of(e, USE_MOVE, NULL));
    case EX_REF: {
        if (e->is_raw)
            return operands_of(e, USE_MOVE, NULL);
        return operand(e->operand, e->is_mut ? USE_MUT : USE_READ, true, &e->bck_loans, e->span);
    }
    case EX_METHOD:
        return walk_method(e);
    case EX_CALL:
        return walk_call(e);
    case EX_ASSIGN: {
        if (ast_is_underscore(e->lhs))
            return value(e->rhs), carry_new();
        Carry *rc = operand(e->rhs, USE_MOVE, false, &e->rhs->bck_loans, e->rhs->span);
        Carry *via = carry_new();
        Place *pl = place_of(e->lhs, true, via);
        use_carry(&e->bck_loans, rc, e->span, false);
        if (pl) {
            BFact *f = fact(&e->bck_loans, BF_ACCESS, e->span);
            f->place = pl;
            f->ak = AC_WRITE;
            flow_into(pl->local, rc);
        }
        return carry_new();
    }
    case EX_ASSIGN_OP: {
        Carry *rc = operand(e->rhs, USE_MOVE, false, &e->rhs->bck_loans, e->rhs->span);
        Carry *via = carry_new();
        Place *pl = place_of(e->lhs, true, via);
        use_carry(&e->bck_loans, rc, e->span, false);
        if (pl && !e->sema) {
            BFact *f = fact(&e->bck_loans, BF_ACCESS, e->span);
            f->place = pl;
            f->ak = AC_UPDATE;
        } else if (pl) { /* `AddAssign::add_assign(&mut s, v)` */
            Loan *l = new_loan(pl, LOAN_MUT, e->span);
            fact(&e->bck_loans, BF_LOAN, e->span)->loan = l;
        }
        return carry_new();
    }
    case EX_CLOSURE:
        return walk_closure(e);
    case EX_BLOCK: {
        if (e->label) {
            LoopCarry lc = {.parent = W.loops, .label = e->label, .carry = carry_new()};
            W.loops = &lc;
            Carry *c = block_value(e->block);
            W.loops = lc.parent;
            carry_add(c, lc.carry);
            return c;
        }
        return block_value(e->block);
    }
    case EX_IF: {
        value(e->cond);
        Carry *tc = block_value(e->block), *ec = value(e->els);
        if (!carries(e->ty))
            return carry_new();
        Local *h = branch_holder(e);
        branch_value(h, branch_end(e->block), tc);
        branch_value(h, e->els ? branch_end_expr(e->els) : NULL, ec);
        Carry *c = carry_new();
        carry_local(c, h);
        return c;
    }
    case EX_LET: {
        Place *pl = NULL;
        Carry *c = scrutinee(e->rhs, pat_tests(e->pat), &pl);
        W.bind_at = e->rhs->span;
        use_carry(&e->pat->bck_loans, c, e->rhs->span, false);
        bind(e->pat, pl, c, &e->pat->bck_loans);
        return carry_new();
    }
    case EX_MATCH: {
        bool tests = false;
        for (int i = 0; i < e->arms.len; i++)
            tests |= pat_tests(((MatchArm *)e->arms.items[i])->pat);
        Place *pl = NULL;
        Carry *sc = scrutinee(e->operand, tests, &pl);
        Local *h = carries(e->ty) ? branch_holder(e) : NULL;
        for (int i = 0; i < e->arms.len; i++) {
            MatchArm *a = e->arms.items[i];
            a->pat->bck_loans = (List){0};
            W.bind_at = e->operand->span;
            use_carry(&a->pat->bck_loans, sc, e->operand->span, false);
            bind(a->pat, pl, sc, &a->pat->bck_loans);
            value(a->guard);
            Carry *ac = value(a->body);
            if (h)
                branch_value(h, branch_end_expr(a->body), ac);
        }
        Carry *c = carry_new();
        if (h)
            carry_local(c, h);
        return c;
    }
    case EX_WHILE:
    case EX_LOOP: {
        LoopCarry lc = {.parent = W.loops, .label = e->label, .carry = carry_new()};
        W.loops = &lc;
        if (e->cond)
            value(e->cond);
        block_value(e->block);
        W.loops = lc.parent;
        return result_of(e, lc.carry);
    }
    case EX_FOR: {
        Carry *c = operand(e->operand, USE_MOVE, false, &e->operand->bck_loans, e->operand->span);
        BFact *f = fact(&e->bck_loans, BF_USE, e->operand->span);
        f->carry = c;
        f->at_head = true;
        e->pat->bck_loans = (List){0};
        bind(e->pat, NULL, c, &e->pat->bck_loans);
        LoopCarry lc = {.parent = W.loops, .label = e->label, .carry = carry_new()};
        W.loops = &lc;
        block_value(e->block);
        W.loops = lc.parent;
        return carry_new();
    }
    case EX_BREAK: {
        Carry *c = operand(e->operand, USE_MOVE, false, &e->bck_loans, e->span);
        LoopCarry *l = W.loops;
        while (l && e->label && (!l->label || strcmp(l->label, e->label)))
            l = l->parent;
        if (l)
            carry_add(l->carry, c);
        use_carry(&e->bck_loans, c, e->span, false);
        return carry_new();
    }
    case EX_RETURN: {
        Carry *c = operand(e->operand, USE_MOVE, false, &e->bck_loans, e->span);
        use_carry(&e->bck_loans, c, e->span, false);
        returned(c, e->operand);
        return carry_new();
    }
    case EX_MACRO: {
        Carry *c = operands_of(e, USE_MOVE, NULL);
        use_carry(&e->bck_loans, c, e->span, false);
        return result_of(e, c);
    }
    default: {
        /* operators, casts, `?`, tuples, arrays, structs, ranges: as the classifier says */
        Carry *c = operands_of(e, USE_MOVE, NULL);
        use_carry(&e->bck_loans, c, e->span, false);
        return result_of(e, c);
    }
    }
}

static Carry *block_value(Block *b)
{
    if (!b)
        return carry_new();
    for (int i = 0; i < b->stmts.len; i++) {
        Stmt *st = b->stmts.items[i];
        if (st->kind == ST_LET) {
            st->pat->bck_loans = (List){0};
            walk_let_pat(st->pat, st->init, st->els);
        } else if (st->kind == ST_EXPR) {
            value(st->expr);
        }
    }
    return value(b->tail);
}

/* The loans each local may hold: the flows, to a fixed point. */
static void solve(void)
{
    for (bool changed = true; changed;) {
        changed = false;
        for (int i = 0; i < W.flows.len; i++) {
            Flow *fl = W.flows.items[i];
            Carry *from = fl->from;
            List *into = &fl->into->loans_held;
            int before = into->len;
            for (int k = 0; k < from->loans.len; k++) {
                bool have = false;
                for (int j = 0; j < into->len && !have; j++)
                    have = into->items[j] == from->loans.items[k];
                if (!have)
                    list_push(into, from->loans.items[k]);
            }
            for (int m = 0; m < from->locals.len; m++) {
                Local *src = from->locals.items[m];
                if (src == fl->into)
                    continue;
                for (int k = 0; k < src->loans_held.len; k++) {
                    bool have = false;
                    for (int j = 0; j < into->len && !have; j++)
                        have = into->items[j] == src->loans_held.items[k];
                    if (!have)
                        list_push(into, src->loans_held.items[k]);
                }
            }
            changed |= into->len != before;
        }
    }
}

/* Every loan a value carries, once the locals' sets are solved. */
void bck_carry_loans(const Carry *c, List *out)
{
    *out = (List){0};
    if (!c)
        return;
    for (int i = 0; i < c->loans.len; i++)
        list_push(out, c->loans.items[i]);
    for (int m = 0; m < c->locals.len; m++) {
        Local *l = c->locals.items[m];
        for (int k = 0; k < l->loans_held.len; k++) {
            bool have = false;
            for (int j = 0; j < out->len && !have; j++)
                have = out->items[j] == l->loans_held.items[k];
            if (!have)
                list_push(out, l->loans_held.items[k]);
        }
    }
}

/* The expression a returned value comes from: the tail of a block, each branch. */
static Expr *returned_at(Expr *e, Loan *l)
{
    e = unparen(e);
    if (e->kind == EX_BLOCK && e->block->tail && !e->label)
        return returned_at(e->block->tail, l);
    if (e->kind == EX_IF || e->kind == EX_MATCH) {
        /* the branch the loan was made in */
        List br = {0};
        if (e->kind == EX_IF) {
            if (e->block->tail)
                list_push(&br, e->block->tail);
            if (e->els)
                list_push(&br, e->els);
        } else {
            for (int i = 0; i < e->arms.len; i++)
                list_push(&br, ((MatchArm *)e->arms.items[i])->body);
        }
        for (int i = 0; i < br.len; i++) {
            Expr *b = br.items[i];
            if (l->at.lo >= b->span.lo && l->at.hi <= b->span.hi)
                return returned_at(b, l);
        }
        for (int i = 0; i < br.len; i++) { /* else the branch that gives a binding holding it */
            Expr *b = unparen(branch_end_expr(br.items[i]) ? branch_end_expr(br.items[i]) : br.items[i]);
            if (b->kind != EX_PATH || !b->def || b->def->kind != DEF_LOCAL)
                continue;
            List *held = &b->def->local->loans_held;
            for (int k = 0; k < held->len; k++)
                if (held->items[k] == l)
                    return b;
        }
    }
    return e;
}

/* The first n projections of p. */
static Place *place_prefix(Place *p, int n)
{
    Place *q = place_local(p->local);
    for (int i = 0; i < n; i++)
        q = place_proj(q, p->proj[i].kind, p->proj[i].name);
    return q;
}

/* The type of one projection of a value of type t, or NULL. */
static Type *proj_type(Type *t, const Proj *p, const char **variant)
{
    t = t ? ty_resolve(t) : NULL;
    if (!t)
        return NULL;
    switch (p->kind) {
    case PJ_DEREF:
    case PJ_REF:
    case PJ_INDEX:
        return t->nargs ? t->args[0] : NULL;
    case PJ_VARIANT:
        *variant = p->name;
        return t;
    case PJ_FIELD:
        if (t->kind == TY_TUPLE)
            return atoi(p->name) < t->nargs ? t->args[atoi(p->name)] : NULL;
        if (t->kind == TY_ADT) {
            for (int v = 0; v < t->adt->nvariants; v++) {
                VariantInfo *vi = &t->adt->variants[v];
                if (*variant && strcmp(vi->name, *variant))
                    continue;
                for (int f = 0; f < vi->nfields; f++)
                    if (!strcmp(vi->fields[f].name, p->name))
                        return ty_subst(vi->fields[f].type, t->args, t->nargs);
            }
        }
        return NULL;
    }
    return NULL;
}

/* E0713: a returned `&mut` reborrow through a `&mut` held by a value of this
 * fn whose type implements Drop: its drop needs that borrow at the fn's end. */
static bool drop_needs_borrow(Loan *l, Expr *at)
{
    Local *root = l->place->local;
    Type *t = root->type;
    const char *variant = NULL;
    Type *dropper = NULL;
    for (int j = 0; j < l->place->n && t; j++) {
        Type *r = ty_resolve(t);
        if (l->place->proj[j].kind == PJ_REF) {
            if (!r || r->kind != TY_REF || !r->is_mut || !dropper)
                return false; /* (a shared reborrow of it too: the drop needs the `&mut` exclusively) */
            Diag *d = diag_error("E0713", at->span, "borrow may still be in use when destructor runs");
            Place *through = l->place;
            while (through->n > j + 1) /* up to the `&mut` the drop needs */
                through = place_prefix(through, through->n - 1);
            diag_primary_label(d, "returning this value requires that `%s` is borrowed for the caller's lifetime",
                               bck_place_shown(through));
            Span body = W.fn->item->body->span;
            diag_label(d, diag_span_at(body.hi - 1, body.hi),
                       "here, drop of `%s` needs exclusive access to the borrowed data, because the type `%s` "
                       "implements the `Drop` trait",
                       root->name, adt_has_lifetimes(dropper->adt) && !dropper->nargs ? xprintf("%s<'_>", ty_str(dropper))
                                                                                     : ty_str(dropper));
            return true;
        }
        if (r && r->kind == TY_ADT && r->adt->drop_impl && !dropper)
            dropper = r;
        t = proj_type(t, &l->place->proj[j], &variant);
    }
    return false;
}

/* E0515: a returned value that carries a loan of a local (or a temporary)
 * of this fn: the loan would outlive what it borrows. */
static void check_returns(void)
{
    List seen = {0};
    for (int i = 0; i < W.returns.len; i++) {
        Ret *r = W.returns.items[i];
        List loans;
        bck_carry_loans(r->carry, &loans);
        for (int k = 0; k < loans.len; k++) {
            Loan *l = loans.items[k];
            bool through_ref = false;
            for (int j = 0; j < l->place->n; j++)
                through_ref |= l->place->proj[j].kind == PJ_REF;
            Local *root = l->place->local;
            l->escapes = true;
            if (root->closure || l->by_closure) /* (a closure's: E0373, from sema) */
                continue;
            Expr *at = returned_at(r->e, l);
            if (through_ref) {
                bool dup = false;
                for (int j = 0; j < seen.len && !dup; j++)
                    dup = seen.items[j] == at;
                if (!dup && !root->is_temp && drop_needs_borrow(l, at))
                    list_push(&seen, at);
                continue;
            }
            bool dup = false;
            for (int j = 0; j < seen.len && !dup; j++)
                dup = seen.items[j] == at;
            if (dup)
                continue;
            list_push(&seen, at);
            const char *what = root->is_temp    ? "temporary value"
                               : root->is_param ? xprintf("function parameter `%s`", root->name)
                                                : xprintf("local variable `%s`", root->name);
            bool direct = at->kind == EX_REF && at->span.lo == l->at.lo && at->span.hi == l->at.hi;
            if (direct) {
                Diag *d = diag_error("E0515", at->span, "cannot return reference to %s", what);
                diag_primary_label(d, "returns a reference to data owned by the current function");
            } else {
                Diag *d = diag_error("E0515", at->span, "cannot return value referencing %s", what);
                diag_primary_label(d, "returns a value referencing data owned by the current function");
                if (root->is_temp)
                    diag_label(d, root->span, "temporary value created here");
                else
                    diag_label(d, l->at, "`%s` is borrowed here", root->name);
            }
        }
    }
}

/* E0521: a parameter's borrow (with an elided lifetime) stored where `'static` is needed. */
static void check_statics(void)
{
    for (int i = 0; i < W.statics.len; i++) {
        Ret *r = W.statics.items[i];
        List loans;
        bck_carry_loans(r->carry, &loans);
        for (int k = 0; k < loans.len; k++) {
            Loan *l = loans.items[k];
            if (!l->param)
                continue;
            const char *what = W.fn->item->sig->self_kind != SELF_NONE ? "method" : "function";
            Diag *d = diag_error("E0521", r->e->span, "borrowed data escapes outside of %s", what);
            diag_label(d, l->param->span, "`%s` is a reference that is only valid in the %s body", l->param->name, what);
            diag_label(d, diag_span_at(l->at.lo, l->at.lo + 1), "let's call the lifetime of this reference `'1`");
            diag_primary_label(d, "`%s` escapes the %s body here", l->param->name, what);
            diag_label(d, r->e->span, "argument requires that `'1` must outlive `'static`");
            break;
        }
    }
}

void bck_loans_walk(FnDef *f)
{
    W.fn = f;
    W.clo = NULL;
    W.nloans = 0;
    W.flows = (List){0};
    W.own_result = (List){0};
    W.item_of = (List){0};
    W.item_carry = (List){0};
    W.loops = NULL;
    for (int i = 0; i < f->locals.len; i++)
        ((Local *)f->locals.items[i])->loans_held = (List){0};
    W.returns = (List){0};
    W.statics = (List){0};
    /* the caller's borrows behind reference parameters (for E0521) */
    FnSig *sig = f->item->sig;
    for (int i = 0; i < f->locals.len && sig; i++) {
        Local *pl = f->locals.items[i];
        Type *t = pl->type ? ty_resolve(pl->type) : NULL;
        if (!pl->is_param || !t || t->kind != TY_REF || !strcmp(pl->name, "self"))
            continue;
        TypeExpr *te = NULL;
        for (int k = 0; k < sig->params.len; k++) {
            Param *pa = sig->params.items[k];
            if (pa->pat && pa->pat->local == pl)
                te = pa->type;
        }
        if (!te || te->kind != TE_REF || (te->lifetime && strcmp(te->lifetime, "'_")))
            continue; /* a named lifetime: the signature may say it outlives what it needs */
        Loan *l = new_loan(place_proj(place_local(pl), PJ_REF, NULL), t->is_mut ? LOAN_MUT : LOAN_SHARED, te->span);
        l->param = pl;
        Carry *c = carry_new();
        carry_loan(c, l);
        flow_into(pl, c);
    }
    Block *body = f->item->body;
    Carry *ret = block_value(body);
    if (body->tail)
        returned(ret, body->tail);
    solve();
    check_returns();
    check_statics();
}
