/* nll.c — the borrow check on the graph: liveness, loans in scope, conflicts (loans.h).
 *
 * requires: a graph built from a tree the loans walk noted (CFG_BCK
 * statements, Local.loans_held);
 * produces: E0499, E0502, E0503, E0505, E0506, E0597, E0716 with rustc's
 * labels; the regions `--explain-borrows` prints.
 *
 * Three passes over the graph, as NLL does them. Liveness, backwards: a
 * local is live where it is used later before being given a new value; a
 * loan is live where a value carrying it is used later (BF_USE) or where a
 * local holding it is live. Loans in scope, forwards: a loan enters at the
 * statement that makes it and stays while it is live; assigning to a
 * reference ends the loans made through it. The check: at each access,
 * every loan in scope, live after the access and conflicting with it. */
#include "loans.h"
#include "cfg.h"

#include <string.h>

/* Sets of vars and of loans are bit sets: 64 to a word. A large fn has thousands of
 * loans and a set of them after each of its statements. */
typedef uint64_t Word;
typedef Word *Bits;

typedef struct Nll {
    Cfg *g;
    int nvars, nloans;
    size_t vw, lw;       /* words in a set of vars, of loans */
    Loan **loans;        /* by id */
    Bits *held;          /* per var: the loans it holds, or NULL */
    Bits escapes;        /* the loans returned from the fn: live to its end */
    /* per block: at entry */
    Bits *live_vars, *live_loans; /* liveness at block entry */
    Bits *in_scope, *active;      /* loans in scope, two-phase loans activated */
    List reported;       /* Span *: primary spans reported */
    List reserve_errs;   /* char *: keys of places a two-phase borrow's reservation conflicted on: as rustc,
                            no activation of a borrow of such a place is checked after that */
} Nll;

/* The per-statement and per-block flag arrays of one fn's check: emptied when the check
 * ends, so that the next fn reuses the memory (a large fn's arrays run to megabytes). The
 * loans, their regions and the diagnostics stay in g_arena. */
static Arena scratch;

static size_t words(int n) { return (size_t)n / 64 + 1; }
static Bits bits_new(size_t w) { return arena_alloc(&scratch, w * sizeof(Word)); }
static bool bit(const Word *b, int i) { return b[i / 64] >> (i % 64) & 1; }
static void bit_set(Word *b, int i) { b[i / 64] |= (Word)1 << (i % 64); }
static void bit_clear(Word *b, int i) { b[i / 64] &= ~((Word)1 << (i % 64)); }
static void bits_or(Word *d, const Word *b, size_t w)
{
    for (size_t i = 0; i < w; i++)
        d[i] |= b[i];
}
static void bits_and(Word *d, const Word *b, size_t w)
{
    for (size_t i = 0; i < w; i++)
        d[i] &= b[i];
}
/* d |= b, telling whether d changed */
static bool bits_join(Word *d, const Word *b, size_t w)
{
    Word grew = 0;
    for (size_t i = 0; i < w; i++) {
        grew |= b[i] & ~d[i];
        d[i] |= b[i];
    }
    return grew != 0;
}
/* The members of set b, in order: for (int i = -1; (i = bits_next(b, w, i)) >= 0;) */
static int bits_next(const Word *b, size_t w, int i)
{
    i++;
    size_t k = (size_t)i / 64;
    if (k >= w)
        return -1;
    Word x = b[k] >> (i % 64);
    if (x)
        return i + __builtin_ctzll(x);
    for (k++; k < w; k++)
        if (b[k])
            return (int)(k * 64) + __builtin_ctzll(b[k]);
    return -1;
}

static int var_of(Nll *n, Local *l)
{
    return l && l->index >= 0 && l->index < n->nvars ? l->index : -1;
}

/* ---- collecting the loans ---- */

static void note_loan(Loan *l, int *max)
{
    if (l->id + 1 > *max)
        *max = l->id + 1;
}

static void max_loan(Cfg *g, int *max)
{
    for (int k = 0; k < g->blocks.len; k++) {
        BasicBlock *b = g->blocks.items[k];
        for (int j = 0; j < b->stmts.len; j++) {
            CfgStmt *s = b->stmts.items[j];
            if (s->op == CFG_BCK && s->fact->loan)
                note_loan(s->fact->loan, max);
            if (s->op == CFG_BCK && s->fact->carry)
                for (int i = 0; i < s->fact->carry->loans.len; i++)
                    note_loan(s->fact->carry->loans.items[i], max);
        }
    }
    for (int i = 0; i < g->closures.len; i++)
        max_loan(g->closures.items[i], max);
}

static void collect(Cfg *g, Loan **by_id)
{
    for (int k = 0; k < g->blocks.len; k++) {
        BasicBlock *b = g->blocks.items[k];
        for (int j = 0; j < b->stmts.len; j++) {
            CfgStmt *s = b->stmts.items[j];
            if (s->op == CFG_BCK && s->fact->loan)
                by_id[s->fact->loan->id] = s->fact->loan;
        }
    }
    for (int i = 0; i < g->closures.len; i++)
        collect(g->closures.items[i], by_id);
}

static Local *var_local(Cfg *g, int v)
{
    int nf = g->fn->locals.len;
    return v < nf ? g->fn->locals.items[v] : g->temps.items[v - nf];
}

/* ---- liveness ---- */

/* Does p go through a reference (`*r`, `r.x` with r: &mut S)? */
static bool through_ref_root(const Place *p)
{
    for (int k = 0; k < p->n; k++)
        if (p->proj[k].kind == PJ_REF)
            return true;
    return false;
}

/* Does dropping a value of type t run code that may use the references it holds:
 * an `impl Drop` (through fields, tuples, Boxes, Vecs, Options), a RefCell guard
 * giving back its borrow? Only then is its drop a use of its loans. */
static bool drop_uses(Type *t, int depth)
{
    t = t ? ty_resolve(t) : NULL;
    if (!t || depth > 8)
        return false;
    if (ty_is_guard(t))
        return true;
    if (t->kind == TY_ADT) {
        if (t->adt->drop_impl)
            return true;
        for (int v = 0; v < t->adt->nvariants; v++)
            for (int i = 0; i < t->adt->variants[v].nfields; i++)
                if (drop_uses(ty_subst(t->adt->variants[v].fields[i].type, t->args, t->nargs), depth + 1))
                    return true;
        return false;
    }
    if (t->kind == TY_TUPLE || t->kind == TY_ARRAY || t->kind == TY_STD)
        for (int i = 0; i < t->nargs; i++)
            if (drop_uses(t->args[i], depth + 1))
                return true;
    return false;
}

/* Backwards through one statement: lv/ll hold what is live after it, then before it. */
static void live_step(Nll *n, CfgStmt *s, Bits lv, Bits ll)
{
    switch (s->op) {
    case CFG_DROP: { /* a drop that runs code uses what the value holds */
        int v = var_of(n, s->local);
        if (v >= 0 && (s->state == DROP_LIVE || s->state == DROP_MAYBE) && place_is_local(s->place) &&
            drop_uses(s->local->type, 0))
            bit_set(lv, v);
        return;
    }
    case CFG_INIT: {
        int v = var_of(n, s->local);
        /* a temporary's value holds its loans from where it is made to here (a RefCell
         * guard until its drop at the end of the temporary's scope) */
        if (v >= 0 && s->local->is_temp && bit(lv, v) && n->held[v])
            bits_or(ll, n->held[v], n->lw);
        if (v >= 0 && place_is_local(s->place))
            bit_clear(lv, v);
        return;
    }
    case CFG_BCK: {
        BFact *f = s->fact;
        if (f->kind == BF_HOLD) {
            int v = var_of(n, f->local);
            if (v >= 0)
                bit_set(lv, v);
        } else if (f->kind == BF_DEF) {
            int v = var_of(n, f->local);
            if (v >= 0)
                bit_clear(lv, v);
        } else if (f->kind == BF_USE) {
            for (int i = 0; i < f->carry->loans.len; i++)
                bit_set(ll, ((Loan *)f->carry->loans.items[i])->id);
            for (int i = 0; i < f->carry->locals.len; i++) {
                int v = var_of(n, f->carry->locals.items[i]);
                if (v >= 0)
                    bit_set(lv, v);
            }
        } else if (f->kind == BF_LOAN) {
            bit_clear(ll, f->loan->id);
        }
        /* an access or a borrow through a reference uses the reference */
        Place *pl = f->kind == BF_ACCESS ? f->place : f->loan ? f->loan->place : NULL;
        if (pl && through_ref_root(pl)) {
            int v = var_of(n, pl->local);
            if (v >= 0)
                bit_set(lv, v);
        }
        return;
    }
    default:
        return;
    }
}

/* What is live at the end of block b: the union of its successors' entries. */
static void live_out(Nll *n, BasicBlock *b, Bits lv, Bits ll)
{
    memset(lv, 0, n->vw * sizeof(Word));
    memset(ll, 0, n->lw * sizeof(Word));
    for (int j = 0; j < b->succs.len; j++) {
        int t = ((BasicBlock *)b->succs.items[j])->id;
        bits_or(lv, n->live_vars[t], n->vw);
        bits_or(ll, n->live_loans[t], n->lw);
    }
}

static void liveness(Nll *n)
{
    int nb = n->g->blocks.len;
    Bits lv = bits_new(n->vw), ll = bits_new(n->lw);
    for (bool changed = true; changed;) {
        changed = false;
        for (int k = nb - 1; k >= 0; k--) {
            BasicBlock *b = n->g->blocks.items[k];
            live_out(n, b, lv, ll);
            for (int j = b->stmts.len - 1; j >= 0; j--)
                live_step(n, b->stmts.items[j], lv, ll);
            if (memcmp(lv, n->live_vars[k], n->vw * sizeof(Word)) ||
                memcmp(ll, n->live_loans[k], n->lw * sizeof(Word))) {
                memcpy(n->live_vars[k], lv, n->vw * sizeof(Word));
                memcpy(n->live_loans[k], ll, n->lw * sizeof(Word));
                changed = true;
            }
        }
    }
}

/* The loans live after each statement of block b (out[j] for statement j). Statements
 * after which the same loans are live share one set. */
static Bits *live_after(Nll *n, BasicBlock *b)
{
    int m = b->stmts.len;
    Bits *out = arena_alloc(&scratch, sizeof(Bits) * (size_t)(m + 1));
    Bits lv = bits_new(n->vw), ll = bits_new(n->lw), o = bits_new(n->lw);
    live_out(n, b, lv, ll);
    for (int j = m - 1; j >= 0; j--) {
        memcpy(o, ll, n->lw * sizeof(Word));
        for (int v = -1; (v = bits_next(lv, n->vw, v)) >= 0;)
            if (v < n->nvars && n->held[v])
                bits_or(o, n->held[v], n->lw);
        bits_or(o, n->escapes, n->lw); /* returned: live to the end of the fn */
        if (j + 1 < m && !memcmp(o, out[j + 1], n->lw * sizeof(Word))) {
            out[j] = out[j + 1];
        } else {
            out[j] = bits_new(n->lw);
            memcpy(out[j], o, n->lw * sizeof(Word));
        }
        live_step(n, b->stmts.items[j], lv, ll);
    }
    return out;
}

/* ---- loans in scope ---- */

/* Does place p reach q's storage without going through a reference? (q inside p, all owned steps) */
static bool extends_through_ref(const Place *p, const Place *q)
{
    for (int i = p->n; i < q->n; i++)
        if (q->proj[i].kind == PJ_REF)
            return true;
    return false;
}

/* Do p and q overlap for certain: one inside the other, no index on the shared steps? */
static bool definitely_overlap(const Place *p, const Place *q)
{
    if (!place_within(p, q) && !place_within(q, p))
        return false;
    int n = p->n < q->n ? p->n : q->n;
    for (int k = 0; k < n; k++)
        if (p->proj[k].kind == PJ_INDEX)
            return false;
    return true;
}

/* Forwards through one statement: sc (in scope) and ac (activated). */
static void scope_step(Nll *n, CfgStmt *s, Bits sc, Bits ac, const Word *after)
{
    Place *written = NULL;
    if (s->op == CFG_BCK) {
        BFact *f = s->fact;
        if (f->kind == BF_LOAN) {
            bit_set(sc, f->loan->id);
            if (f->loan->two_phase)
                bit_clear(ac, f->loan->id);
            else
                bit_set(ac, f->loan->id);
        } else if (f->kind == BF_ACTIVATE) {
            bit_set(ac, f->loan->id);
        } else if (f->kind == BF_ACCESS && (f->ak == AC_WRITE || f->ak == AC_UPDATE)) {
            written = f->place;
        }
    }
    /* a new value: the loans of the old one (or made through it) are over, as
     * rustc kills them; an index may be another element, so loans across one stay */
    if (written)
        for (int i = -1; (i = bits_next(sc, n->lw, i)) >= 0;)
            if (i < n->nloans && n->loans[i] && definitely_overlap(written, n->loans[i]->place))
                bit_clear(sc, i);
    bits_and(sc, after, n->lw);
}

static void in_scope(Nll *n, Bits **after_of)
{
    int nb = n->g->blocks.len;
    Bits sc = bits_new(n->lw), ac = bits_new(n->lw);
    for (bool changed = true; changed;) {
        changed = false;
        for (int k = 0; k < nb; k++) {
            BasicBlock *b = n->g->blocks.items[k];
            if (!b->reached)
                continue;
            memcpy(sc, n->in_scope[k], n->lw * sizeof(Word));
            memcpy(ac, n->active[k], n->lw * sizeof(Word));
            for (int j = 0; j < b->stmts.len; j++)
                scope_step(n, b->stmts.items[j], sc, ac, after_of[k][j]);
            for (int j = 0; j < b->succs.len; j++) {
                int t = ((BasicBlock *)b->succs.items[j])->id;
                if (bits_join(n->in_scope[t], sc, n->lw))
                    changed = true;
                if (bits_join(n->active[t], ac, n->lw))
                    changed = true;
            }
        }
    }
}

/* ---- messages ---- */

/* A place as rustc spells it: `v`, `p.x`, `r.x` (through a reference), `*r`, `a[_]`. */
static const char *shown(const Place *p)
{
    const char *s = p->local->is_temp ? "temporary value" : p->local->name;
    for (int i = 0; i < p->n; i++) {
        const Proj *pj = &p->proj[i];
        bool field_next = i + 1 < p->n && p->proj[i + 1].kind == PJ_FIELD;
        switch (pj->kind) {
        case PJ_DEREF:
        case PJ_REF:
            if (!field_next)
                s = xprintf("*%s", s);
            break;
        case PJ_FIELD:
            s = xprintf("%s.%s", s, pj->name);
            break;
        case PJ_VARIANT:
            s = xprintf("(%s as %s)", s, pj->name);
            break;
        case PJ_INDEX:
            s = xprintf("%s[_]", s);
            break;
        }
    }
    return s;
}

const char *bck_place_shown(const Place *p) { return shown(p); }

static bool already(Nll *n, Span sp)
{
    for (int i = 0; i < n->reported.len; i++) {
        Span *o = n->reported.items[i];
        if (o->lo == sp.lo && o->hi == sp.hi)
            return true;
    }
    Span *c = NEW(Span);
    *c = sp;
    list_push(&n->reported, c);
    return false;
}

typedef struct LaterUse {
    Span span;
    bool found;
    bool by_call;
    bool captured;   /* by a closure made there */
    bool loop_again; /* reached around a loop's back edge, before the access in the source */
} LaterUse;

/* Does statement s use loan l? */
static bool uses_loan(Nll *n, CfgStmt *s, Loan *l, bool *by_call)
{
    if (s->op != CFG_BCK)
        return false;
    BFact *f = s->fact;
    if (f->kind == BF_HOLD) {
        int v = var_of(n, f->local);
        return v >= 0 && n->held[v] && bit(n->held[v], l->id);
    }
    if (f->kind == BF_USE) {
        for (int i = 0; i < f->carry->loans.len; i++)
            if (f->carry->loans.items[i] == l) {
                *by_call = f->by_call;
                return true;
            }
        for (int i = 0; i < f->carry->locals.len; i++) {
            int v = var_of(n, f->carry->locals.items[i]);
            if (v >= 0 && n->held[v] && bit(n->held[v], l->id))
                return true;
        }
    }
    return false;
}

/* The first use of l after statement j of block b, breadth first along the graph. */
static LaterUse later_use(Nll *n, BasicBlock *b, int j, Loan *l, Span access)
{
    LaterUse r = {0};
    int nb = n->g->blocks.len;
    unsigned char *seen = arena_alloc(&scratch, (size_t)nb + 1);
    BasicBlock **queue = arena_alloc(&scratch, sizeof(BasicBlock *) * (size_t)(nb + 1));
    int qh = 0, qt = 0;
    int start = j + 1;
    BasicBlock *cur = b;
    for (;;) {
        for (int k = start; k < cur->stmts.len; k++) {
            bool by_call = false;
            if (uses_loan(n, cur->stmts.items[k], l, &by_call)) {
                CfgStmt *s = cur->stmts.items[k];
                r.span = s->span;
                r.found = true;
                r.by_call = by_call;
                r.captured = s->fact->kind == BF_HOLD && s->fact->captured;
                r.loop_again = s->span.lo < access.lo;
                return r;
            }
        }
        for (int k = 0; k < cur->succs.len; k++) {
            BasicBlock *t = cur->succs.items[k];
            if (!seen[t->id]) {
                seen[t->id] = 1;
                queue[qt++] = t;
            }
        }
        if (qh == qt)
            return r;
        cur = queue[qh++];
        start = 0;
    }
}

static void label_later(Diag *d, LaterUse *u, const char *what)
{
    if (!u->found)
        return;
    if (u->loop_again)
        diag_label(d, u->span, "%s used here, in later iteration of loop", what);
    else if (u->captured)
        diag_label(d, u->span, "%s later captured here by closure", what);
    else if (u->by_call)
        diag_label(d, u->span, "%s later used by call", what);
    else
        diag_label(d, u->span, "%s later used here", what);
}

static Span closing(Span sp)
{
    if (sp.hi > sp.lo) {
        Span c = diag_span_at(sp.hi - 1, sp.hi);
        return c;
    }
    return sp;
}

typedef enum Access { A_SHARED, A_MUT, A_RESERVE, A_READ, A_WRITE, A_UPDATE, A_MOVE, A_DEAD } Access;

static void loan_labels(Diag *d, Loan *l, const char *text)
{
    diag_label(d, l->at, "%s", text);
    if (l->by_closure)
        diag_label(d, l->cap_use, "first borrow occurs due to use of `%s` in closure", shown(l->place));
}

static void report(Nll *n, Access a, Place *pl, Span at, Loan *acc_loan, Loan *l, LaterUse *u, Span dead_at)
{
    Span primary = a == A_DEAD ? l->at : at;
    if (a == A_DEAD && pl->local->is_temp)
        primary = pl->local->span;
    if (already(n, primary))
        return;
    const char *p = shown(pl);
    Diag *d;
    const char *code = NULL, *what = NULL;
    switch (a) {
    case A_SHARED:
    case A_MUT:
    case A_RESERVE: {
        bool mut = a != A_SHARED;
        what = xprintf("borrows `%s` %s", p, mut ? "mutably" : "(shared)");
        bool unique = l->by_closure && l->kind == LOAN_MUT && through_ref_root(l->place);
        if (unique) { /* the closure mutates through a `&mut` it borrows: a unique borrow */
            d = diag_error(code = "E0501", at, "cannot borrow `%s` as %s because previous closure requires unique access",
                           p, mut ? "mutable" : "immutable");
            diag_label(d, l->at, "closure construction occurs here");
            diag_label(d, l->cap_use, "first borrow occurs due to use of `%s` in closure", shown(l->place));
            diag_primary_label(d, "second borrow occurs here");
            label_later(d, u, "first borrow");
        } else if (mut && l->kind == LOAN_MUT) {
            d = diag_error(code = "E0499", at, "cannot borrow `%s` as mutable more than once at a time", p);
            loan_labels(d, l, "first mutable borrow occurs here");
            diag_primary_label(d, "second mutable borrow occurs here");
            if (acc_loan && acc_loan->by_closure)
                diag_label(d, acc_loan->cap_use, "second borrow occurs due to use of `%s` in closure", p);
            label_later(d, u, "first borrow");
        } else {
            d = diag_error(code = "E0502", at, "cannot borrow `%s` as %s because it is also borrowed as %s", p,
                           mut ? "mutable" : "immutable", mut ? "immutable" : "mutable");
            loan_labels(d, l, mut ? "immutable borrow occurs here" : "mutable borrow occurs here");
            diag_primary_label(d, "%s borrow occurs here", mut ? "mutable" : "immutable");
            if (acc_loan && acc_loan->by_closure)
                diag_label(d, acc_loan->cap_use, "second borrow occurs due to use of `%s` in closure", p);
            label_later(d, u, mut ? "immutable borrow" : "mutable borrow");
        }
        break;
    }
    case A_READ:
    case A_UPDATE: /* `x += 1`: a use while mutably borrowed, else an assignment */
        what = xprintf(a == A_READ ? "reads `%s`" : "updates `%s`", p);
        if (a == A_READ || l->kind == LOAN_MUT) {
            d = diag_error(code = "E0503", at, "cannot use `%s` because it was mutably borrowed", p);
            loan_labels(d, l, xprintf("`%s` is borrowed here", shown(l->place)));
            diag_primary_label(d, "use of borrowed `%s`", shown(l->place));
            label_later(d, u, "borrow");
            break;
        }
        /* fallthrough */
    case A_WRITE:
        if (!what)
            what = xprintf("assigns to `%s`", p);
        d = diag_error(code = "E0506", at, "cannot assign to `%s` because it is borrowed", p);
        loan_labels(d, l, xprintf("`%s` is borrowed here", shown(l->place)));
        diag_primary_label(d, "`%s` is assigned to here but it was already borrowed", p);
        label_later(d, u, "borrow");
        break;
    case A_MOVE:
        what = xprintf("moves `%s` out", p);
        d = diag_error(code = "E0505", at, "cannot move out of `%s` because it is borrowed", p);
        if (!pl->local->is_temp)
            diag_label(d, pl->local->span, "binding `%s` declared here", pl->local->name);
        loan_labels(d, l, xprintf("borrow of `%s` occurs here", shown(l->place)));
        diag_primary_label(d, "move out of `%s` occurs here", p);
        label_later(d, u, "borrow");
        break;
    case A_DEAD:
        if (pl->local->is_temp) {
            what = "frees the temporary";
            d = diag_error(code = "E0716", primary, "temporary value dropped while borrowed");
            diag_primary_label(d, "creates a temporary value which is freed while still in use");
            diag_label(d, closing(dead_at), "temporary value is freed at the end of this statement");
            label_later(d, u, "borrow");
            diag_help(d, "consider using a `let` binding to create a longer lived value");
        } else {
            what = xprintf("ends the scope of `%s`", pl->local->name);
            d = diag_error(code = "E0597", primary, "`%s` does not live long enough", pl->local->name);
            diag_label(d, pl->local->span, "binding `%s` declared here", pl->local->name);
            diag_primary_label(d, "borrowed value does not live long enough");
            if (l->by_closure)
                diag_label(d, l->cap_use, "borrow occurs due to use in closure");
            diag_label(d, closing(dead_at), "`%s` dropped here while still borrowed", pl->local->name);
            label_later(d, u, "borrow");
        }
        break;
    }
    BConflict *c = NEW(BConflict);
    c->at = a == A_DEAD ? closing(dead_at) : at;
    c->code = code;
    c->what = what;
    c->loan = l;
    if (u->found)
        c->later = u->span;
    list_push(&n->g->conflicts, c);
}

/* Does an access a of place p conflict with loan l (activated or only reserved)? */
static bool conflicts(Access a, const Place *p, Loan *l, bool active)
{
    if (!place_within(p, l->place) && !place_within(l->place, p))
        return false;
    bool shallow = a == A_WRITE || a == A_DEAD;
    if (shallow && place_within(p, l->place) && extends_through_ref(p, l->place))
        return false; /* storage or a new value of the reference, not what it points to */
    bool mut_loan = l->kind == LOAN_MUT && active;
    switch (a) {
    case A_SHARED:
    case A_READ:
    case A_RESERVE:
        return mut_loan;
    default:
        return true;
    }
}

/* ---- the check ---- */

static void check_stmt(Nll *n, BasicBlock *b, int j, const Word *sc, const Word *ac, const Word *after)
{
    CfgStmt *s = b->stmts.items[j];
    Access a;
    Place *pl;
    Loan *self = NULL;
    Span at = s->span;
    switch (s->op) {
    case CFG_MOVE:
        if (!s->local)
            return;
        a = A_MOVE;
        pl = s->place;
        break;
    case CFG_DEAD:
        a = A_DEAD;
        pl = place_local(s->local);
        break;
    case CFG_BCK: {
        BFact *f = s->fact;
        switch (f->kind) {
        case BF_LOAN:
            self = f->loan;
            pl = self->place;
            a = self->kind == LOAN_SHARED ? A_SHARED : self->two_phase ? A_RESERVE : A_MUT;
            at = self->at;
            break;
        case BF_ACTIVATE:
            for (int i = 0; i < n->reserve_errs.len; i++)
                if (!strcmp(n->reserve_errs.items[i], f->loan->place->key))
                    return;
            self = f->loan;
            pl = self->place;
            a = A_MUT;
            break;
        case BF_ACCESS:
            pl = f->place;
            a = f->ak == AC_READ ? A_READ : f->ak == AC_WRITE ? A_WRITE : A_UPDATE;
            break;
        default:
            return;
        }
        break;
    }
    default:
        return;
    }
    /* an access through a reference uses it: what it holds is live there */
    const Word *through = NULL;
    for (int k = 0; k < pl->n && !through; k++)
        if (pl->proj[k].kind == PJ_REF) {
            int v = var_of(n, pl->local);
            through = v >= 0 ? n->held[v] : NULL;
            break;
        }
    /* `x += 1` reads x first: a mutable loan's conflict (E0503) is the one rustc reports */
    for (int pass = a == A_UPDATE ? 0 : 1; pass < 2; pass++)
    for (int i = -1; (i = bits_next(sc, n->lw, i)) >= 0 && i < n->nloans;) {
        Loan *l = n->loans[i];
        if (!l || l == self || !(bit(after, i) || (through && bit(through, i))))
            continue;
        if ((pass == 0 && l->kind != LOAN_MUT) || !conflicts(a, pl, l, bit(ac, i)))
            continue;
        LaterUse u = later_use(n, b, j, l, at);
        report(n, a, pl, at, self, l, &u, s->span);
        if (a == A_RESERVE)
            list_push(&n->reserve_errs, (char *)self->place->key);
        return;
    }
}

/* Loan l is live on source line `line` (its region, for --explain-borrows). The flags
 * cover the lines from the first to the last marked, not the whole file before them. */
static void mark_line(Loan *l, int line)
{
    if (line <= 0)
        return;
    if (!l->nlines || line < l->line0 || line >= l->line0 + l->nlines) {
        int lo = l->nlines && l->line0 < line ? l->line0 : line;
        int hi = l->nlines && l->line0 + l->nlines > line + 1 ? l->line0 + l->nlines : line + 1;
        int n = (hi - lo) * 2 + 8;
        unsigned char *a = arena_alloc(g_arena, (size_t)n);
        if (l->nlines)
            memcpy(a + (l->line0 - lo), l->lines, (size_t)l->nlines);
        l->lines = a;
        l->line0 = lo;
        l->nlines = n;
    }
    l->lines[line - l->line0] = 1;
}

static void check_graph(Cfg *g, Loan **loans, int nloans)
{
    Nll nn = {.g = g, .nloans = nloans, .loans = loans};
    Nll *n = &nn;
    n->nvars = g->fn->locals.len + g->temps.len;
    n->vw = words(n->nvars);
    n->lw = words(nloans);
    int nb = g->blocks.len;
    n->held = arena_alloc(&scratch, sizeof(Bits) * (size_t)(n->nvars + 1));
    for (int v = 0; v < n->nvars; v++) {
        Local *l = var_local(g, v);
        if (!l->loans_held.len)
            continue;
        n->held[v] = bits_new(n->lw);
        for (int i = 0; i < l->loans_held.len; i++)
            bit_set(n->held[v], ((Loan *)l->loans_held.items[i])->id);
    }
    n->escapes = bits_new(n->lw);
    for (int i = 0; i < nloans; i++)
        if (loans[i] && loans[i]->escapes)
            bit_set(n->escapes, i);
    n->live_vars = arena_alloc(&scratch, sizeof(Bits) * (size_t)(nb + 1));
    n->live_loans = arena_alloc(&scratch, sizeof(Bits) * (size_t)(nb + 1));
    n->in_scope = arena_alloc(&scratch, sizeof(Bits) * (size_t)(nb + 1));
    n->active = arena_alloc(&scratch, sizeof(Bits) * (size_t)(nb + 1));
    for (int k = 0; k < nb; k++) {
        n->live_vars[k] = bits_new(n->vw);
        n->live_loans[k] = bits_new(n->lw);
        n->in_scope[k] = bits_new(n->lw);
        n->active[k] = bits_new(n->lw);
    }
    liveness(n);
    Bits **after_of = arena_alloc(&scratch, sizeof(Bits *) * (size_t)(nb + 1));
    for (int k = 0; k < nb; k++)
        after_of[k] = live_after(n, g->blocks.items[k]);
    in_scope(n, after_of);
    Bits sc = bits_new(n->lw), ac = bits_new(n->lw);
    for (int k = 0; k < nb; k++) {
        BasicBlock *b = g->blocks.items[k];
        if (!b->reached)
            continue;
        memcpy(sc, n->in_scope[k], n->lw * sizeof(Word));
        memcpy(ac, n->active[k], n->lw * sizeof(Word));
        for (int j = 0; j < b->stmts.len; j++) {
            check_stmt(n, b, j, sc, ac, after_of[k][j]);
            CfgStmt *s = b->stmts.items[j];
            scope_step(n, s, sc, ac, after_of[k][j]);
            if (s->op != CFG_DROP && s->op != CFG_DEAD) /* (their spans are their scope's) */
                for (int i = -1; (i = bits_next(sc, n->lw, i)) >= 0 && i < nloans;)
                    if (loans[i])
                        mark_line(loans[i], s->span.line);
        }
    }
    for (int i = 0; i < g->closures.len; i++)
        check_graph(g->closures.items[i], loans, nloans);
}

void bck_check_borrows(Cfg *g)
{
    int max = 0;
    max_loan(g, &max);
    for (int i = 0; i < g->fn->locals.len; i++) {
        Local *l = g->fn->locals.items[i];
        for (int k = 0; k < l->loans_held.len; k++)
            note_loan(l->loans_held.items[k], &max);
    }
    if (!max)
        return;
    Loan **by_id = arena_alloc(g_arena, sizeof(Loan *) * (size_t)(max + 1));
    collect(g, by_id);
    for (int i = 0; i < max; i++)
        if (by_id[i])
            list_push(&g->loans, by_id[i]);
    check_graph(g, by_id, max);
    arena_reset(&scratch);
}

void bck_borrows_done(void) { arena_free(&scratch); }

/* ---- --explain-borrows ---- */

static const char *snippet(Span sp)
{
    const char *t = diag_source_text(sp);
    StrBuf sb;
    sb_init(&sb);
    int n = 0;
    for (const char *c = t; *c && n < 40; c++, n++)
        sb_putc(&sb, *c == '\n' || *c == '\t' ? ' ' : *c);
    if (strlen(t) > 40)
        sb_puts(&sb, "...");
    const char *r = xstrdup(sb.data ? sb.data : "");
    sb_free(&sb);
    return r;
}

/* The lines of l's region, as ranges: "3-5, 8". */
static const char *region(Loan *l)
{
    StrBuf sb;
    sb_init(&sb);
    for (int k = 0; k < l->nlines; k++) {
        if (!l->lines[k])
            continue;
        int e = k;
        while (e + 1 < l->nlines && l->lines[e + 1])
            e++;
        if (sb.len)
            sb_puts(&sb, ", ");
        if (e > k)
            sb_printf(&sb, "%d-%d", l->line0 + k, l->line0 + e);
        else
            sb_printf(&sb, "%d", l->line0 + k);
        k = e;
    }
    const char *r = xstrdup(sb.data ? sb.data : "");
    sb_free(&sb);
    return r;
}

void bck_explain_borrows(FILE *out, Cfg *g)
{
    FnDef *f = g->fn;
    fprintf(out, "fn %s (line %d)\n", f->name, f->item ? f->item->span.line : 0);
    if (!g->loans.len) {
        fprintf(out, "  no borrows\n");
        return;
    }
    for (int i = 0; i < g->loans.len; i++) {
        Loan *l = g->loans.items[i];
        fprintf(out, "  L%d  &%s%s  at %d:%d `%s`", l->id, l->kind == LOAN_MUT ? "mut " : "", shown(l->place), l->at.line,
                l->at.col, snippet(l->at));
        if (l->by_closure)
            fprintf(out, " (a closure's capture)");
        else if (l->two_phase)
            fprintf(out, " (two-phase: shared until the call)");
        else if (l->by_index)
            fprintf(out, " (the index call)");
        fprintf(out, "\n");
        List holders = {0};
        for (int k = 0; k < f->locals.len; k++) {
            Local *v = f->locals.items[k];
            for (int m = 0; m < v->loans_held.len; m++)
                if (v->loans_held.items[m] == l)
                    list_push(&holders, v->name);
        }
        if (holders.len) {
            fprintf(out, "      held by");
            for (int k = 0; k < holders.len; k++)
                fprintf(out, "%s `%s`", k ? "," : "", (char *)holders.items[k]);
            fprintf(out, "\n");
        }
        const char *r = region(l);
        fprintf(out, "      live on %s%s%s\n", *r ? (strchr(r, '-') || strchr(r, ',') ? "lines " : "line ") : "",
                *r ? r : "no line after it is made (used at once)", l->escapes ? ", and returned" : "");
    }
    List all = {0};
    for (int i = 0; i < g->conflicts.len; i++)
        list_push(&all, g->conflicts.items[i]);
    for (int c = 0; c < g->closures.len; c++) {
        Cfg *cg = g->closures.items[c];
        for (int i = 0; i < cg->conflicts.len; i++)
            list_push(&all, cg->conflicts.items[i]);
    }
    for (int i = 0; i < all.len; i++) {
        BConflict *c = all.items[i];
        fprintf(out, "  %d:%d `%s` %s while L%d is live", c->at.line, c->at.col, snippet(c->at), c->what, c->loan->id);
        if (c->later.hi)
            fprintf(out, " (used later at %d:%d)", c->later.line, c->later.col);
        fprintf(out, ": error[%s]\n", c->code);
    }
}

/* ---- --emit=cfg ---- */

void bck_dump_fact(FILE *out, BFact *f)
{
    static const char *acc[] = {"read", "write", "update", "move", "dead"};
    switch (f->kind) {
    case BF_LOAN:
        fprintf(out, "    loan L%d: &%s%s %s%s  @%d:%d\n", f->loan->id, f->loan->kind == LOAN_MUT ? "mut " : "",
                shown(f->loan->place), f->loan->two_phase ? "(two-phase)" : "", f->loan->by_closure ? "(closure)" : "",
                f->span.line, f->span.col);
        break;
    case BF_ACTIVATE:
        fprintf(out, "    activate L%d  @%d:%d\n", f->loan->id, f->span.line, f->span.col);
        break;
    case BF_ACCESS:
        fprintf(out, "    %s %s  @%d:%d\n", acc[f->ak], shown(f->place), f->span.line, f->span.col);
        break;
    case BF_USE:
        fprintf(out, "    use-loans");
        for (int i = 0; i < f->carry->loans.len; i++)
            fprintf(out, " L%d", ((Loan *)f->carry->loans.items[i])->id);
        for (int i = 0; i < f->carry->locals.len; i++)
            fprintf(out, " (%s)", ((Local *)f->carry->locals.items[i])->name);
        fprintf(out, "%s  @%d:%d\n", f->by_call ? " by call" : "", f->span.line, f->span.col);
        break;
    case BF_HOLD:
        fprintf(out, "    hold %s  @%d:%d\n", f->local->name, f->span.line, f->span.col);
        break;
    case BF_DEF:
        fprintf(out, "    def %s  @%d:%d\n", f->local->name, f->span.line, f->span.col);
        break;
    }
}

void bck_dump_held(FILE *out, FnDef *f)
{
    for (int i = 0; i < f->locals.len; i++) {
        Local *l = f->locals.items[i];
        if (!l->loans_held.len)
            continue;
        fprintf(out, "  %s may hold", l->name);
        for (int k = 0; k < l->loans_held.len; k++)
            fprintf(out, " L%d", ((Loan *)l->loans_held.items[k])->id);
        fprintf(out, "\n");
    }
}
