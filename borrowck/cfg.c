/* cfg.c — the control-flow graph of a fn body, and drop elaboration on it.
 *
 * requires: a typed body that moves.c walked (Expr.moves marks each move,
 * Expr.temp each temporary, temps.c);
 * produces: a Cfg (cfg.h): the drop plan of every drop site, each drop with
 * its DropState (bck_drop_plan), which codegen prints. A block, an `if let`,
 * a match arm, a `for` or `while let` binding each open a scope whose
 * owning locals are dropped, last declared first, where it ends and on
 * every `break`, `continue`, `return` or `?` that leaves it; an expression
 * in return position drops every scope after its value. Temporaries are
 * locals of the graph too, in temporary scopes: dropped where theirs ends,
 * and by an exit interleaved with the locals, newest first.
 *
 * The analysis is the classic pair of forward "may" problems of MIR's drop
 * elaboration: for each local, may it hold a value (init) and may it not
 * (uninit), joined by union at each block entry and iterated to a fixed
 * point. A drop point where a local is init and not uninit drops it; uninit
 * and not init, skips it; both, needs a run-time flag (DROP_MAYBE). */
#include "cfg.h"

#include "borrowck.h"
#include "loans.h"

#include <string.h>

typedef struct BScope {
    List locals;        /* List of Local *: bound in this scope, in order */
} BScope;

typedef struct BLoop {
    struct BLoop *parent;
    const char *label;
    bool is_block;      /* a labelled block: `break 'a` only */
    BasicBlock *brk, *cont;
    int depth;          /* scopes open at the loop: break/continue drop the deeper ones */
} BLoop;

/* An enclosing temporary scope whose temporaries wait while an inner one
 * (a condition, a scrutinee, a format macro's arguments) is open. */
typedef struct TFrame {
    List temps;         /* List of Local *: made in it, in order */
    int depth;          /* nscopes when the inner one was opened */
    bool tail;          /* the temporaries of a fn body's tail expression */
    int after;          /* >= 0: they are a block tail's, dropped by an exit after that scope */
} TFrame;

typedef struct Builder {
    Cfg *g;
    BasicBlock *cur;    /* NULL after a diverging expression */
    BScope *scopes[256];
    int nscopes;
    BLoop *loops;
    List pending;       /* List of Local *: the temporaries of the innermost temporary scope */
    bool pending_tail;  /* they are a fn body's tail expression's: dropped after its locals */
    const void *block_tail; /* the tail expression of the block being built (not a fn body's) */
    TFrame frames[256];
    int nframes;
    Block *body;        /* the fn's (or closure's) body */
    int nawaits;        /* the `.await`s met so far */
} Builder;

static Builder *bd;

/* ---- construction ---------------------------------------------------------------------------- */

static BasicBlock *new_bb(void)
{
    BasicBlock *b = NEW(BasicBlock);
    b->id = bd->g->blocks.len;
    b->term = "goto";
    list_push(&bd->g->blocks, b);
    return b;
}

static void edge(BasicBlock *from, BasicBlock *to)
{
    if (from)
        list_push(&from->succs, to);
}

/* End the current block with an edge to `to`; nothing follows on this path. */
static void jump(BasicBlock *to)
{
    edge(bd->cur, to);
    bd->cur = NULL;
}

/* Start a block that `from` branches to (NULL: unreachable from here). */
static BasicBlock *branch_from(BasicBlock *from, const char *note)
{
    BasicBlock *b = new_bb();
    if (from) {
        from->term = "branch";
        from->note = note;
        edge(from, b);
    }
    return b;
}

static CfgStmt *add(CfgOp op, Local *l, Span sp)
{
    if (!bd->cur)
        return NULL;
    CfgStmt *s = NEW(CfgStmt);
    s->op = op;
    s->local = l;
    s->place = l ? place_local(l) : NULL;
    s->span = sp;
    list_push(&bd->cur->stmts, s);
    return s;
}

static void push_scope(void)
{
    if (bd->nscopes < (int)(sizeof bd->scopes / sizeof bd->scopes[0]))
        bd->scopes[bd->nscopes] = NEW(BScope);
    bd->nscopes++;
}

static BScope *top_scope(void)
{
    int n = bd->nscopes < 256 ? bd->nscopes : 256;
    return n ? bd->scopes[n - 1] : NULL;
}

static void declare(Local *l, bool with_value, Span sp)
{
    BScope *s = top_scope();
    if (s)
        list_push(&s->locals, l);
    if (with_value)
        add(CFG_INIT, l, sp);
}

/* A drop of l at drop site `key` (the tree node codegen writes it at) of kind `site`. */
static void add_drop(Local *l, const void *key, DropSite site, const char *why, Span sp)
{
    CfgStmt *st = add(CFG_DROP, l, sp);
    if (st) {
        st->key = key;
        st->site = site;
        st->why = why;
    }
}

/* Drops of the owning locals of scope k, last declared first. */
static void drop_scope(int k, const void *key, DropSite site, const char *why, Span sp)
{
    if (k >= 256)
        return;
    BScope *s = bd->scopes[k];
    for (int i = s->locals.len - 1; i >= 0; i--) {
        Local *l = s->locals.items[i];
        if (!l->is_temp && !ty_needs_drop(l->type)) /* (temps.c made only temporaries that own something) */
            continue;
        add_drop(l, key, site, why, sp);
    }
}

/* ---- temporaries ---- */

/* A temporary's place among the graph's locals: after the fn's own. */
static void index_temp(Local *l)
{
    for (int i = 0; i < bd->g->temps.len; i++)
        if (bd->g->temps.items[i] == l)
            return;
    l->index = bd->g->fn->locals.len + bd->g->temps.len;
    l->drop_points = (List){0};
    l->drop_maybe = false;
    list_push(&bd->g->temps, l);
}

/* e was just evaluated: if temps.c gave it a temporary, the value is in it now. */
static void temp_made(Expr *e)
{
    Local *l = e->temp;
    if (!l || !bd->cur || e->kind == EX_FOR) /* (a `for`'s is its iterator: for_expr) */
        return;
    index_temp(l);
    if (l->extended && !l->ext_nested) { /* a local of the `let`'s block from here */
        declare(l, true, e->span);
        return;
    }
    add(CFG_INIT, l, e->span);
    if (!l->extended)
        list_push(&bd->pending, l);
}

/* Drops of temporaries, newest first. */
static void drop_temps(List *l, const void *key, DropSite site, const char *why, Span sp)
{
    for (int i = l->len - 1; i >= 0; i--)
        add_drop(l->items[i], key, site, why, sp);
}

/* The end of the innermost temporary scope: its temporaries are dropped. */
static void flush_temps(const void *key, Span sp)
{
    drop_temps(&bd->pending, key, SITE_TEMPS, "end of its temporary scope", sp);
    for (int i = bd->pending.len - 1; i >= 0; i--)
        add(CFG_DEAD, bd->pending.items[i], sp);
    bd->pending = (List){0};
}

/* Open a temporary scope inside the current one; with `same`, a part of it
 * for drop order (a scrutinee's in a fn body's tail expression). */
static void temps_push_in(bool same)
{
    if (bd->nframes == 256)
        ICE("temporary scopes nested too deeply");
    TFrame *f = &bd->frames[bd->nframes++];
    f->temps = bd->pending;
    f->depth = bd->nscopes;
    f->tail = bd->pending_tail;
    f->after = -1;
    bd->pending = (List){0};
    bd->pending_tail = same && f->tail;
}

static void temps_pop(void)
{
    TFrame *f = &bd->frames[--bd->nframes];
    bd->pending = f->temps;
    bd->pending_tail = f->tail;
}

/* A temporary scope of its own around e: a condition, a guard, an operand of && or ||. */
static void expr(Expr *e);
static void condition(Expr *e)
{
    temps_push_in(false);
    expr(e);
    flush_temps(e, e->span);
    temps_pop();
}

/* An exit that leaves every scope deeper than `depth`: the temporaries
 * first, newest first, each temporary scope's after those of the scopes
 * inside it; with `last` (the body is left), a fn body's tail expression's
 * temporaries after the body's locals. */
static void drops_through(int depth, bool last, const void *key, const char *why, Span sp)
{
    if (!bd->pending_tail)
        drop_temps(&bd->pending, key, SITE_EXIT, why, sp);
    bool done[256] = {0};
    int f = bd->nframes - 1;
    for (int k = bd->nscopes - 1; k >= depth; k--) {
        for (; f >= 0 && bd->frames[f].depth > k; f--)
            if (!bd->frames[f].tail && bd->frames[f].after < 0)
                drop_temps(&bd->frames[f].temps, key, SITE_EXIT, why, sp), done[f] = true;
        drop_scope(k, key, SITE_EXIT, why, sp);
        for (int g = bd->nframes - 1; g >= 0; g--) /* a block tail's: after the block's locals */
            if (bd->frames[g].after == k && !done[g])
                drop_temps(&bd->frames[g].temps, key, SITE_EXIT, why, sp), done[g] = true;
    }
    if (last) {
        for (; f >= 0; f--)
            if (!bd->frames[f].tail && !done[f])
                drop_temps(&bd->frames[f].temps, key, SITE_EXIT, why, sp);
        bool tail_temps = bd->pending_tail && bd->pending.len;
        for (int g = 0; g < bd->nframes; g++)
            tail_temps |= bd->frames[g].tail && bd->frames[g].temps.len;
        for (int k = bd->nscopes - 1; tail_temps && k >= depth && k < 256; k--) /* the locals are gone before them */
            for (int i = bd->scopes[k]->locals.len - 1; i >= 0; i--)
                add(CFG_DEAD, bd->scopes[k]->locals.items[i], sp);
        if (bd->pending_tail)
            drop_temps(&bd->pending, key, SITE_EXIT, why, sp);
        for (f = bd->nframes - 1; f >= 0; f--)
            if (bd->frames[f].tail)
                drop_temps(&bd->frames[f].temps, key, SITE_EXIT, why, sp);
    }
}

/* An exit that leaves every scope deeper than `depth`; a `return` (depth
 * 0) leaves the body, then the parameters' scope: a tail expression's
 * temporaries are dropped after the body's locals and before the
 * parameters. */
static void drops_to(int depth, const void *key, const char *why, Span sp)
{
    if (depth > 0 || bd->nscopes < 2) {
        drops_through(depth, depth == 0, key, why, sp);
        return;
    }
    drops_through(1, true, key, why, sp);
    drop_scope(0, key, SITE_EXIT, why, sp);
}

/* Leave the innermost scope by its end: drop, then the locals are gone. */
static void pop_scope(const void *key, Span sp)
{
    int k = bd->nscopes - 1;
    drop_scope(k, key, SITE_SCOPE_END, "scope end", sp);
    if (k < 256) {
        BScope *s = bd->scopes[k];
        for (int i = s->locals.len - 1; i >= 0; i--)
            add(CFG_DEAD, s->locals.items[i], sp);
    }
    bd->nscopes--;
}

/* Every local a pattern binds (an or-pattern's alternatives bind the same ones). */
/* The bindings of p, holding a value; or, for `let (a, b);` (uninit_let), none yet. */
static void bind_pat_as(Pat *p, Stmt *uninit_let)
{
    if (!p)
        return;
    if (p->kind == PAT_IDENT && p->local && !p->def) {
        declare(p->local, !uninit_let, p->span);
        if (uninit_let)
            add(CFG_UNINIT, p->local, uninit_let->span);
    }
    bind_pat_as(p->sub, uninit_let);
    for (int i = 0; i < p->elems.len && (p->kind != PAT_OR || i == 0); i++)
        bind_pat_as(p->elems.items[i], uninit_let);
    for (int i = 0; i < p->fields.len; i++)
        bind_pat_as(((FieldPat *)p->fields.items[i])->pat, uninit_let);
}

/* The borrow checker's facts (loans.h) as statements; `head`: those at a `for`'s loop head. */
static void bck_facts_only(List *facts, bool head, int uses)
{
    for (int i = 0; i < facts->len; i++) {
        BFact *f = facts->items[i];
        if (f->at_head != head || (uses >= 0 && (f->kind == BF_USE) != uses))
            continue;
        CfgStmt *s = add(CFG_BCK, NULL, f->span);
        if (s)
            s->fact = f;
        if (s && f->kind == BF_DEF)
            index_temp(f->local); /* the hidden local of an `if`/`match` value */
    }
}

static void bck_facts(List *facts, bool head) { bck_facts_only(facts, head, -1); }

/* A pattern's bindings get their values; the loans the value carries are
 * theirs from there (used after the bindings, so they stay live across). */
static void bind_pat(Pat *p)
{
    bck_facts_only(&p->bck_loans, false, 0);
    bind_pat_as(p, NULL);
    bck_facts_only(&p->bck_loans, false, 1);
}

/* The parts of its scrutinee place a pattern moves out (moves.c noted them
 * on the pattern): moved where the arm is entered, after its guard. */
static void pat_moves_out(Pat *p)
{
    for (int i = 0; i < p->bck_moves.len; i++) {
        BckUse *u = p->bck_moves.items[i];
        CfgStmt *s = add(CFG_MOVE, u->place->local, u->at);
        if (s)
            s->place = u->place;
    }
}

/* A guard that failed: the arm's bindings are gone without being dropped
 * (a guard sees them by reference; the value is still the scrutinee's). */
static void unbind_pat(Pat *p)
{
    if (!p)
        return;
    if (p->kind == PAT_IDENT && p->local && !p->def)
        add(CFG_DEAD, p->local, p->span);
    unbind_pat(p->sub);
    for (int i = 0; i < p->elems.len && (p->kind != PAT_OR || i == 0); i++)
        unbind_pat(p->elems.items[i]);
    for (int i = 0; i < p->fields.len; i++)
        unbind_pat(((FieldPat *)p->fields.items[i])->pat);
}

static Expr *unparen(Expr *e)
{
    while (e && e->kind == EX_PAREN)
        e = e->operand;
    return e;
}

static void expr(Expr *e);
static void block(Block *b, bool ret, bool new_scope);
/* A plain block (not an `if`, `else` or arm body) in return position: it is no
 * temporary scope of its own, so its tail's temporaries are the fn tail's,
 * dropped after the fn's locals (rust 2021's temporary scopes). */
static Block *plain_ret_block;
static Block *tail_block; /* the block of a plain block expression that is the tail of another block */
static void ret_expr(Expr *e);
static void closure_graph(Closure *clo);
static void scrutinee_end(const void *key, Expr *scrutinee);

static bool is_never(Type *t) { return t && t->kind == TY_NEVER; }

/* `return` from here: every scope is dropped, then the exit. */
static void do_return(const void *key, const char *why, Span sp)
{
    drops_to(0, key, why, sp);
    jump(bd->g->exit);
}

static void join_into(BasicBlock *end)
{
    jump(end);
}

/* The path of an `if` whose condition failed: its `else`, or nothing (in
 * return position: the fn's end). */
static void else_branch(Expr *e, BasicBlock *split, BasicBlock *end, const char *note, bool ret)
{
    bd->cur = branch_from(split, note);
    if (e->els && ret && e->els->kind == EX_BLOCK && !e->els->label)
        block(e->els->block, true, true); /* an `else` block is a temporary scope (not a plain block) */
    else if (e->els)
        ret ? ret_expr(e->els) : expr(e->els);
    else if (ret)
        do_return(e, "fn end", e->span);
    join_into(end);
}

static void tail_scrutinee(Expr *e);

/* if / if let, in value position or (ret) in return position */
static void if_expr(Expr *e, bool ret)
{
    BasicBlock *end = new_bb();
    if (e->cond->kind == EX_LET) {
        Expr *let = e->cond;
        push_scope(); /* the construct's own scope (codegen's: it holds no locals) */
        temps_push_in(true); /* the scrutinee's temporaries live to the end of the construct */
        tail_scrutinee(e);
        expr(let->rhs);
        temps_push_in(true);
        tail_scrutinee(e);
        BasicBlock *split = bd->cur;
        bd->cur = branch_from(split, "if let");
        push_scope();
        bind_pat(let->pat);
        pat_moves_out(let->pat);
        block(e->block, ret, true);
        pop_scope(e, e->span);
        join_into(end);
        else_branch(e, split, end, "if let", ret);
        bd->cur = end;
        scrutinee_end(e, let->rhs);
        bd->nscopes--;
    } else {
        condition(e->cond);
        BasicBlock *split = bd->cur;
        bd->cur = branch_from(split, "if");
        block(e->block, ret, true);
        join_into(end);
        else_branch(e, split, end, "if", ret);
    }
    bd->cur = end;
}

/* A match or `if let` that is a block's tail: its scrutinee's temporaries are the tail's,
 * so an exit from an arm drops them after the block's locals, as the tail's own (each
 * frame holds what the scope around it had pending). */
static void tail_scrutinee(Expr *e)
{
    if (e == bd->block_tail && bd->nframes >= 2)
        bd->frames[bd->nframes - 1].after = bd->frames[bd->nframes - 2].after;
}

/* The end of a match, `if let` or `while let`: the temporaries made in its
 * arms' scope, then the scrutinee's. */
static void scrutinee_end(const void *key, Expr *scrutinee)
{
    flush_temps(key, ((Expr *)key)->span);
    temps_pop();
    const Expr *k = key;
    if (k->kind == EX_MATCH || (k->kind == EX_IF && !k->is_else_if)) {
        /* a match's or `if let`'s scrutinee temporaries belong to the temporary scope
         * around it: its statement's, or a block tail's, dropped after the block's
         * locals (Rust 2021); a `while let`'s are dropped at each iteration's end, an
         * `else if let`'s at the chain's end (before those of the ifs around it) */
        List held = bd->pending;
        temps_pop();
        for (int i = 0; i < held.len; i++)
            list_push(&bd->pending, held.items[i]);
        return;
    }
    flush_temps(scrutinee, scrutinee->span);
    temps_pop();
}

static void arm_body(MatchArm *a, bool ret)
{
    Expr *b = unparen(a->body);
    if (b->kind == EX_BLOCK && !b->label)
        block(b->block, ret, true);
    else if (ret)
        ret_expr(a->body);
    else
        expr(a->body);
    flush_temps(a, a->span); /* an arm is a temporary scope */
}

static void match_expr(Expr *e, bool ret)
{
    push_scope(); /* the match's own scope (no locals) */
    temps_push_in(true); /* the scrutinee's temporaries live to the end of the match */
    tail_scrutinee(e);
    expr(e->operand);
    temps_push_in(false); /* each arm is a temporary scope, even in a fn's tail */
    tail_scrutinee(e);
    BasicBlock *test = bd->cur, *end = new_bb();
    for (int i = 0; i < e->arms.len; i++) {
        MatchArm *a = e->arms.items[i];
        bd->cur = branch_from(test, "match");
        push_scope();
        bind_pat(a->pat);
        if (a->guard) {
            condition(a->guard);
            BasicBlock *g = bd->cur;
            bd->cur = branch_from(g, "guard");
            pat_moves_out(a->pat);
            arm_body(a, ret);
            pop_scope(a, a->span);
            join_into(end);
            /* the guard failed: on to the next arm's test */
            bd->cur = branch_from(g, "guard"); /* (the arm's scope is closed already) */
            unbind_pat(a->pat);
            BasicBlock *next = new_bb();
            jump(next);
            edge(test, next);
            test = next;
            continue;
        }
        pat_moves_out(a->pat);
        arm_body(a, ret);
        pop_scope(a, a->span);
        join_into(end);
    }
    bd->cur = end;
    scrutinee_end(e, e->operand);
    bd->nscopes--;
}

static BLoop *push_loop(const char *label, bool is_block, BasicBlock *cont)
{
    BLoop *l = NEW(BLoop);
    l->parent = bd->loops;
    l->label = label;
    l->is_block = is_block;
    l->brk = new_bb();
    l->cont = cont;
    l->depth = bd->nscopes;
    bd->loops = l;
    return l;
}

static BLoop *target(const char *label)
{
    for (BLoop *l = bd->loops; l; l = l->parent)
        if (label ? (l->label && !strcmp(l->label, label)) : !l->is_block)
            return l;
    return NULL;
}

static BasicBlock *loop_head(const char *note)
{
    BasicBlock *h = new_bb();
    if (bd->cur)
        bd->cur->note = note;
    jump(h);
    bd->cur = h;
    return h;
}

static void loop_expr(Expr *e)
{
    BasicBlock *head = loop_head("loop");
    BLoop *l = push_loop(e->label, false, head);
    block(e->block, false, true);
    jump(head);
    bd->loops = l->parent;
    bd->cur = l->brk;
}

static void while_expr(Expr *e)
{
    BasicBlock *head = loop_head("while");
    if (e->cond->kind == EX_LET) {
        BLoop *l = push_loop(e->label, false, head);
        push_scope(); /* the iteration's */
        l->depth = bd->nscopes - 1; /* break and continue also drop the bindings and the scrutinee's temporaries */
        temps_push_in(true);
        expr(e->cond->rhs);
        temps_push_in(true);
        BasicBlock *test = bd->cur;
        bd->cur = branch_from(test, "while let");
        TFrame *sf = &bd->frames[bd->nframes - 1]; /* no match: the scrutinee's temporaries go */
        drop_temps(&sf->temps, e->cond, SITE_TEMPS, "no match", e->cond->span);
        jump(l->brk);
        bd->cur = branch_from(test, "while let");
        push_scope(); /* the bindings, dropped before the scrutinee's temporaries */
        bind_pat(e->cond->pat);
        pat_moves_out(e->cond->pat);
        block(e->block, false, true);
        pop_scope(e, e->span);
        scrutinee_end(e, e->cond->rhs);
        pop_scope(e->cond, e->span);
        jump(head);
        bd->loops = l->parent;
        bd->cur = l->brk;
        return;
    }
    BLoop *l = push_loop(e->label, false, head);
    condition(e->cond);
    BasicBlock *test = bd->cur;
    bd->cur = branch_from(test, "while");
    jump(l->brk);
    bd->cur = branch_from(test, "while");
    block(e->block, false, true);
    jump(head);
    bd->loops = l->parent;
    bd->cur = l->brk;
}

static void for_expr(Expr *e)
{
    temps_push_in(false); /* the iterable's temporaries live for the whole loop */
    expr(e->operand);
    temps_push_in(false);
    push_scope(); /* the iterator's */
    if (e->temp) {
        index_temp(e->temp);
        declare(e->temp, true, e->operand->span);
    }
    BasicBlock *head = loop_head("for");
    bck_facts(&e->bck_loans, true); /* each iteration uses what the iterator borrows */
    BLoop *l = push_loop(e->label, false, head);
    push_scope();
    l->depth = bd->nscopes - 1; /* break and continue also drop the item */
    BasicBlock *test = bd->cur;
    bd->cur = branch_from(test, "for");
    jump(l->brk);
    bd->cur = branch_from(test, "for");
    bind_pat(e->pat);
    int nawaits = bd->nawaits;
    block(e->block, false, true);
    if (bd->nawaits > nawaits && e->pat->kind == PAT_IDENT && e->pat->local)
        e->pat->local->held = true; /* (over a range, the C loop counts in the variable itself) */
    pop_scope(e, e->span);
    jump(head);
    bd->loops = l->parent;
    bd->cur = l->brk;
    pop_scope(e->operand, e->span);
    temps_pop();
    flush_temps(e, e->span);
    temps_pop();
}

static void list(List *l)
{
    for (int i = 0; i < l->len; i++)
        expr(l->items[i]);
}

static bool diverging_macro(const char *name)
{
    return !strcmp(name, "panic") || !strcmp(name, "unreachable") || !strcmp(name, "todo") ||
           !strcmp(name, "unimplemented");
}

/* A macro's arguments; the format macros' are a temporary scope of their
 * own (their temporaries live until the text is made), a panic's are never
 * dropped (it unwinds), an assertion's message is made only if it fails. */
/* Is e an assertion or a format macro, whose borrow facts macro() places itself? */
static bool macro_places_facts(Expr *e)
{
    const char *n = e->mac->name;
    FmtCall *fc = strcmp(n, "vec") && strcmp(n, "matches") ? e->sema : NULL;
    return fc || !strncmp(n, "assert", 6) || !strncmp(n, "debug_assert", 12);
}

static void macro(Expr *e)
{
    const char *n = e->mac->name;
    FmtCall *fc = strcmp(n, "vec") && strcmp(n, "matches") ? e->sema : NULL;
    bool is_assert = !strncmp(n, "assert", 6) || !strncmp(n, "debug_assert", 12);
    bool own_scope = fc && !is_assert;
    int nops = is_assert ? (strstr(n, "_eq") || strstr(n, "_ne") ? 2 : 1) : e->mac->args.len;
    for (int i = 0; i < nops && i < e->mac->args.len; i++) /* an assertion's operands */
        if (!own_scope)
            expr(e->mac->args.items[i]);
    BasicBlock *split = NULL;
    if (is_assert) /* the loans of its operands are used by the test */
        bck_facts(&e->bck_loans, false);
    if (is_assert) { /* the rest is the message, made on the failing path */
        split = bd->cur;
        bd->cur = branch_from(split, "assert");
    }
    if (own_scope || is_assert)
        temps_push_in(false);
    for (int i = own_scope ? 0 : nops; i < e->mac->args.len; i++)
        expr(e->mac->args.items[i]);
    expr(e->mac->guard);
    if (fc) { /* implicit arguments: `{x}` in the format string */
        for (int i = fc->nexplicit; i < fc->args.len; i++)
            expr(fc->args.items[i]);
    }
    if (own_scope && !is_assert) /* the arguments are used, then their temporaries go */
        bck_facts(&e->bck_loans, false);
    if (is_assert || diverging_macro(n)) {
        if (own_scope || is_assert) { /* a panic: its unwinding drops them */
            bd->pending = (List){0};
            temps_pop();
        }
        bd->cur = NULL;
        if (is_assert) {
            bd->cur = branch_from(split, "assert");
            flush_temps(e, e->span);
        }
        return;
    }
    if (own_scope) {
        flush_temps(fc, e->span);
        temps_pop();
    }
}

/* Evaluate e for its value. */
static void expr(Expr *e)
{
    if (!e)
        return;
    switch (e->kind) {
    case EX_PAREN:
    case EX_UNARY:
    case EX_REF:
    case EX_CAST:
    case EX_FIELD:
    case EX_TUPLE_FIELD:
        expr(e->operand);
        break;
    case EX_AWAIT: { /* the future is evaluated, then the body may stop here */
        expr(e->operand);
        CfgStmt *s = add(CFG_AWAIT, NULL, e->span);
        if (s)
            s->key = e;
        bd->nawaits++;
        break;
    }
    case EX_BINARY:
        if ((e->binop == BIN_AND || e->binop == BIN_OR) && !e->sema) { /* each operand a temporary scope */
            condition(e->lhs);
            BasicBlock *split = bd->cur, *end = new_bb();
            bd->cur = branch_from(split, e->binop == BIN_AND ? "&&" : "||");
            condition(e->rhs);
            join_into(end);
            bd->cur = branch_from(split, e->binop == BIN_AND ? "&&" : "||");
            join_into(end);
            bd->cur = end;
            break;
        }
        expr(e->lhs);
        expr(e->rhs);
        break;
    case EX_ASSIGN: {
        expr(e->rhs);
        Expr *lhs = unparen(e->lhs);
        if (lhs->kind == EX_PATH && lhs->def && lhs->def->kind == DEF_LOCAL) {
            Local *l = lhs->def->local;
            if (ty_needs_drop(l->type)) /* the old value, if there is one */
                add_drop(l, e, SITE_OTHER, "assignment", e->span);
            add(CFG_INIT, l, e->span);
            break;
        }
        expr(e->lhs);
        break;
    }
    case EX_ASSIGN_OP:
    case EX_INDEX:
    case EX_ARRAY_REPEAT:
    case EX_RANGE:
        if (e->kind == EX_ASSIGN_OP) {
            expr(e->rhs);
            expr(e->lhs);
        } else {
            expr(e->lhs);
            expr(e->rhs);
        }
        break;
    case EX_CALL:
    case EX_METHOD:
        expr(e->operand);
        list(&e->args);
        break;
    case EX_TUPLE:
    case EX_ARRAY:
        list(&e->args);
        break;
    case EX_STRUCT:
        for (int i = 0; i < e->fields.len; i++)
            expr(((FieldInit *)e->fields.items[i])->value);
        expr(e->base);
        break;
    case EX_BLOCK:
        if (e->label) {
            BLoop *l = push_loop(e->label, true, NULL);
            block(e->block, false, true);
            jump(l->brk);
            bd->loops = l->parent;
            bd->cur = l->brk;
        } else {
            if (bd->block_tail == e && !e->is_unsafe)
                tail_block = e->block; /* the tail of another block */
            block(e->block, false, true);
        }
        break;
    case EX_IF:
        if_expr(e, false);
        break;
    case EX_MATCH:
        match_expr(e, false);
        break;
    case EX_LOOP:
        loop_expr(e);
        break;
    case EX_WHILE:
        while_expr(e);
        break;
    case EX_FOR:
        for_expr(e);
        break;
    case EX_BREAK:
    case EX_CONTINUE: {
        expr(e->operand);
        BLoop *l = target(e->label);
        if (!l)
            break;
        if (e->kind == EX_CONTINUE && !l->cont)
            break;
        drops_to(l->depth, e, e->kind == EX_BREAK ? "break" : "continue", e->span);
        jump(e->kind == EX_BREAK ? l->brk : l->cont);
        break;
    }
    case EX_RETURN:
        expr(e->operand);
        do_return(e, "return", e->span);
        break;
    case EX_TRY: {
        expr(e->operand);
        BasicBlock *split = bd->cur;
        bd->cur = branch_from(split, "?");
        do_return(e, "`?` error path", e->span);
        bd->cur = branch_from(split, "?");
        break;
    }
    case EX_MACRO:
        macro(e);
        break;
    case EX_LET:
        expr(e->rhs);
        break;
    case EX_CLOSURE: {
        /* creating it moves what it captures by value; its body is a graph of its own */
        Closure *clo = e->sema; /* the captured places' uses are on e (bck_uses) */
        if (clo)
            closure_graph(clo);
        break;
    }
    default: /* literals, paths */
        break;
    }
    /* what move checking noted on e: uses, moves and assignments of places */
    for (int i = 0; i < e->bck_uses.len; i++) {
        BckUse *u = e->bck_uses.items[i];
        if (u->op == CFG_INIT && place_is_local(u->place))
            continue; /* `x = v`: the assignment above gave x its value */
        CfgStmt *s = add(u->op, u->place->local, u->at);
        if (!s)
            continue;
        s->place = u->place;
        s->borrow = u->borrow;
        s->cap = u->cap;
    }
    if (e->kind != EX_MACRO || !macro_places_facts(e))
        bck_facts(&e->bck_loans, false);
    temp_made(e);
    if (is_never(e->ty) && bd->cur) {
        bd->cur->term = "diverge";
        bd->cur = NULL;
    }
}

/* e in return position: its value leaves the fn, after every scope's drops. */
static void ret_expr(Expr *e)
{
    Expr *u = unparen(e);
    switch (u->kind) {
    case EX_IF:
        if_expr(u, true);
        bd->cur = NULL;
        return;
    case EX_MATCH:
        match_expr(u, true);
        bd->cur = NULL;
        return;
    case EX_BLOCK:
        if (!u->label) {
            plain_ret_block = u->block;
            block(u->block, true, true);
            return;
        }
        break;
    default:
        break;
    }
    expr(e);
    if (bd->cur)
        do_return(u, "return", e->span);
}

static void stmt_in(Stmt *s);

/* A statement is a temporary scope of its own: inside a fn's tail expression
 * (a block in return position) its temporaries are its own, not the tail's,
 * so an exit from inside it drops them first. */
static void stmt(Stmt *s)
{
    bool own = bd->pending_tail;
    if (own)
        temps_push_in(false);
    stmt_in(s);
    if (own)
        temps_pop();
}

static void stmt_in(Stmt *s)
{
    switch (s->kind) {
    case ST_LET:
        for (int i = 0; i < s->bck_extended.len; i++) { /* made in a branch: declared without a value */
            Local *l = ((Expr *)s->bck_extended.items[i])->temp;
            if (l->ext_nested) {
                index_temp(l);
                declare(l, false, s->span);
                add(CFG_UNINIT, l, s->span);
            }
        }
        expr(s->init);
        if (s->els) {
            BasicBlock *split = bd->cur;
            List saved = bd->pending;
            bd->cur = branch_from(split, "let else");
            flush_temps(s->els, s->els->span); /* the initializer's temporaries go before `else` runs */
            block(s->els, false, true);
            bd->pending = saved; /* the path that matched still holds them */
            bd->cur = branch_from(split, "let else");
        }
        if (s->init) {
            bind_pat(s->pat);
            pat_moves_out(s->pat);
        } else {
            bind_pat_as(s->pat, s); /* `let x;`: no value yet */
        }
        flush_temps(s, s->span);
        break;
    case ST_EXPR:
        expr(s->expr);
        flush_temps(s, s->span);
        break;
    default:
        break;
    }
}

/* A block; `ret`: its value is the fn's result. new_scope: its own scope (the
 * fn body shares the parameters' scope). */
static void block(Block *b, bool ret, bool new_scope)
{
    if (new_scope)
        push_scope();
    for (int i = 0; i < b->stmts.len; i++)
        stmt(b->stmts.items[i]);
    if (ret) {
        if (b->tail) {
            /* the temporaries of a fn body's tail expression are dropped after its locals */
            bool plain = b == plain_ret_block;
            plain_ret_block = NULL;
            temps_push_in(false);
            bd->pending_tail = b == bd->body || (plain && bd->frames[bd->nframes - 1].tail);
            if (new_scope && b != bd->body && !bd->pending_tail) { /* an inner block's: after its locals */
                bd->frames[bd->nframes - 1].after = bd->nscopes - 1;
                /* a plain block that is the tail of a block in return position: after that block's locals too */
                if (plain && bd->nframes >= 2 && bd->frames[bd->nframes - 2].after >= 0)
                    bd->frames[bd->nframes - 1].after = bd->frames[bd->nframes - 2].after;
            }
            const void *saved_tail = bd->block_tail;
            if (b != bd->body)
                bd->block_tail = unparen(b->tail);
            ret_expr(b->tail);
            bd->block_tail = saved_tail;
            bd->pending = (List){0}; /* every path returned, dropping them */
            temps_pop();
        } else if (bd->cur) {
            do_return(b, "fn end", b->span);
        }
        if (new_scope)
            bd->nscopes--; /* the return path dropped everything */
        return;
    }
    if (!b->tail) {
        if (new_scope && bd->cur)
            pop_scope(b, b->span);
        else if (new_scope)
            bd->nscopes--;
        return;
    }
    /* a plain block that is the tail of another block is no temporary scope:
     * its tail's temporaries are that block's tail's (after both blocks' locals) */
    bool hand_on = b == tail_block && bd->nframes > 0 && bd->frames[bd->nframes - 1].after >= 0;
    tail_block = NULL;
    b->tail_temps_outer = hand_on;
    temps_push_in(false); /* the tail's temporaries outlive the block's locals */
    if (new_scope) /* an exit from inside the tail drops them after the block's locals too */
        bd->frames[bd->nframes - 1].after = hand_on ? bd->frames[bd->nframes - 2].after : bd->nscopes - 1;
    const void *saved_tail = bd->block_tail;
    bd->block_tail = unparen(b->tail);
    expr(b->tail);
    bd->block_tail = saved_tail;
    if (new_scope) {
        if (bd->cur)
            pop_scope(b, b->span);
        else
            bd->nscopes--;
    }
    if (hand_on) {
        List mine = bd->pending;
        temps_pop();
        for (int i = 0; i < mine.len; i++)
            list_push(&bd->pending, mine.items[i]);
        return;
    }
    flush_temps(b, b->span);
    temps_pop();
}

/* ---- analysis ------------------------------------------------------------------------------------ */

/* The transfer of one statement on the (init, uninit) sets. */
static void transfer(CfgStmt *s, unsigned char *init, unsigned char *uninit)
{
    if (!s->local)
        return; /* a borrow checker's fact */
    int i = s->local->index;
    switch (s->op) {
    case CFG_INIT:
        if (!place_is_local(s->place))
            break; /* `p.f = v` after a partial move: the local is split or flagged */
        init[i] = 1;
        uninit[i] = 0;
        break;
    case CFG_MOVE:
    case CFG_DEAD:
    case CFG_UNINIT:
        init[i] = 0;
        uninit[i] = 1;
        break;
    case CFG_USE:
    case CFG_DROP:
    case CFG_BCK:
    case CFG_AWAIT:
        break;
    }
}

/* ---- what an async body holds across each `.await` ---------------------------- */

/* Backwards through one statement, for held_across: `val` is what a later statement
 * reads (the value is live), `scope` what is still in scope and so dropped or pointed
 * into later. */
static void held_step(CfgStmt *s, unsigned char *val, unsigned char *scope)
{
    if (!s->local)
        return;
    int i = s->local->index;
    switch (s->op) {
    case CFG_INIT:
    case CFG_UNINIT:
        if (place_is_local(s->place))
            val[i] = scope[i] = 0;
        break;
    case CFG_USE:
    case CFG_MOVE:
        val[i] = 1;
        break;
    case CFG_DROP:
        if (s->state == DROP_LIVE || s->state == DROP_MAYBE)
            val[i] = 1;
        scope[i] = 1;
        break;
    case CFG_DEAD:
        scope[i] = 1;
        break;
    default:
        break;
    }
}

/* What is live at the end of block b (of n locals): the union of its successors' entries. */
static void held_out(BasicBlock *b, int n, unsigned char **val, unsigned char **scope, unsigned char *v,
                     unsigned char *sc)
{
    memset(v, 0, (size_t)n);
    memset(sc, 0, (size_t)n);
    for (int j = 0; j < b->succs.len; j++) {
        int t = ((BasicBlock *)b->succs.items[j])->id;
        for (int i = 0; i < n; i++) {
            v[i] |= val[t][i];
            sc[i] |= scope[t][i];
        }
    }
}

/* The liveness query of an async body (an async fn's, an async block's): at each
 * `.await`, the locals of the body its frame must keep because the poll may return
 * there and come back. A local is held when its value is read later (or dropped
 * holding one), or when it is still in scope and either owns something to drop or
 * was borrowed (a reference, perhaps inside the awaited future, may point at it).
 * Sets Local.held and the await's Expr.bck_held. */
static void held_across(Cfg *g)
{
    int n = g->fn->locals.len + g->temps.len, nb = g->blocks.len;
    bool any = false;
    unsigned char *borrowed = arena_alloc(g_arena, (size_t)n + 1);
    for (int k = 0; k < nb; k++) {
        BasicBlock *b = g->blocks.items[k];
        for (int j = 0; j < b->stmts.len; j++) {
            CfgStmt *s = b->stmts.items[j];
            any |= s->op == CFG_AWAIT;
            if (s->op == CFG_USE && s->borrow && s->local)
                borrowed[s->local->index] = 1;
        }
    }
    if (!any)
        return;
    unsigned char **val = arena_alloc(g_arena, sizeof(char *) * (size_t)nb);
    unsigned char **scope = arena_alloc(g_arena, sizeof(char *) * (size_t)nb);
    for (int k = 0; k < nb; k++) {
        val[k] = arena_alloc(g_arena, (size_t)n + 1);
        scope[k] = arena_alloc(g_arena, (size_t)n + 1);
    }
    unsigned char *v = arena_alloc(g_arena, (size_t)n + 1), *sc = arena_alloc(g_arena, (size_t)n + 1);
    for (bool changed = true; changed;) { /* what is live at each block's entry */
        changed = false;
        for (int k = nb - 1; k >= 0; k--) {
            BasicBlock *b = g->blocks.items[k];
            held_out(b, n, val, scope, v, sc);
            for (int j = b->stmts.len - 1; j >= 0; j--)
                held_step(b->stmts.items[j], v, sc);
            if (memcmp(v, val[k], (size_t)n) || memcmp(sc, scope[k], (size_t)n)) {
                memcpy(val[k], v, (size_t)n);
                memcpy(scope[k], sc, (size_t)n);
                changed = true;
            }
        }
    }
    for (int k = 0; k < nb; k++) { /* at each await: what is live after it */
        BasicBlock *b = g->blocks.items[k];
        if (!b->reached)
            continue;
        held_out(b, n, val, scope, v, sc);
        for (int j = b->stmts.len - 1; j >= 0; j--) {
            CfgStmt *s = b->stmts.items[j];
            if (s->op == CFG_AWAIT) {
                Expr *aw = (Expr *)s->key;
                aw->bck_held = (List){0};
                for (int i = 0; i < g->fn->locals.len; i++) {
                    Local *l = g->fn->locals.items[i];
                    if (l->closure != g->clo || l->is_temp)
                        continue;
                    if (v[i] || (sc[i] && (borrowed[i] || ty_needs_drop(l->type)))) {
                        l->held = true;
                        list_push(&aw->bck_held, l);
                    }
                    if (v[i] || (sc[i] && borrowed[i]))
                        l->held_send = true;
                }
            }
            held_step(s, v, sc);
        }
    }
}

/* d[i] |= b[i] over n 0/1 flags, eight at a time (a large fn has thousands of locals and
 * temporaries), telling whether any flag of d was raised. */
static bool join_flags(unsigned char *d, const unsigned char *b, size_t n)
{
    uint64_t grew = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x, y;
        memcpy(&x, d + i, 8);
        memcpy(&y, b + i, 8);
        grew |= y & ~x;
        x |= y;
        memcpy(d + i, &x, 8);
    }
    for (; i < n; i++) {
        grew |= b[i] & ~d[i] & 1;
        d[i] |= b[i];
    }
    return grew != 0;
}

static void analyze(Cfg *g)
{
    int n = g->fn->locals.len + g->temps.len, nb = g->blocks.len;
    for (int k = 0; k < nb; k++) {
        BasicBlock *b = g->blocks.items[k];
        b->init = arena_alloc(g_arena, n ? n : 1);
        b->uninit = arena_alloc(g_arena, n ? n : 1);
    }
    BasicBlock *entry = g->blocks.items[0];
    entry->reached = true;
    for (int i = 0; i < n; i++)
        entry->uninit[i] = 1; /* parameters get their CFG_INIT first thing */
    unsigned char *init = arena_alloc(g_arena, n ? n : 1), *uninit = arena_alloc(g_arena, n ? n : 1);
    for (bool changed = true; changed;) {
        changed = false;
        for (int k = 0; k < nb; k++) {
            BasicBlock *b = g->blocks.items[k];
            if (!b->reached)
                continue;
            memcpy(init, b->init, n);
            memcpy(uninit, b->uninit, n);
            for (int j = 0; j < b->stmts.len; j++)
                transfer(b->stmts.items[j], init, uninit);
            for (int j = 0; j < b->succs.len; j++) {
                BasicBlock *t = b->succs.items[j];
                if (!t->reached) {
                    t->reached = true;
                    changed = true;
                }
                changed |= join_flags(t->init, init, (size_t)n);
                changed |= join_flags(t->uninit, uninit, (size_t)n);
            }
        }
    }
    /* the state at each drop */
    for (int k = 0; k < nb; k++) {
        BasicBlock *b = g->blocks.items[k];
        memcpy(init, b->init, n);
        memcpy(uninit, b->uninit, n);
        for (int j = 0; j < b->stmts.len; j++) {
            CfgStmt *s = b->stmts.items[j];
            if (s->op == CFG_DROP && s->local) {
                int i = s->local->index;
                s->state = !b->reached                ? DROP_UNREACHED
                           : init[i] && uninit[i]     ? DROP_MAYBE
                           : init[i]                  ? DROP_LIVE
                                                      : DROP_DEAD;
                DropPoint *p = NEW(DropPoint);
                p->key = s->key;
                p->state = s->state;
                list_push(&s->local->drop_points, p);
                s->local->drop_maybe |= s->state == DROP_MAYBE;
            }
            transfer(s, init, uninit);
        }
    }
}

/* A closure's body, as the function codegen makes of it: its parameters,
 * then the body in return position. */
static void closure_graph(Closure *clo)
{
    Builder *outer = bd;
    Cfg *g = NEW(Cfg);
    g->fn = outer->g->fn;
    g->clo = clo;
    Builder b = {.g = g};
    bd = &b;
    bd->cur = new_bb();
    g->exit = new_bb();
    g->exit->term = "return";
    push_scope();
    Expr *e = clo->expr;
    for (int i = 0; i < e->params.len; i++)
        bind_pat(((ClosureParam *)e->params.items[i])->pat);
    Expr *body = unparen(e->body);
    if (body->kind == EX_BLOCK && !body->label && !body->is_unsafe) {
        bd->body = body->block;
        block(body->block, true, true);
    } else {
        ret_expr(e->body);
    }
    analyze(g);
    if (clo->async_fn)
        held_across(g);
    bd = outer;
    list_push(&outer->g->closures, g);
}

Cfg *cfg_build(Program *prog, FnDef *f)
{
    (void)prog;
    Cfg *g = NEW(Cfg);
    g->fn = f;
    Builder b = {.g = g};
    bd = &b;
    for (int i = 0; i < f->locals.len; i++) {
        Local *l = f->locals.items[i];
        l->index = i;
        l->drop_points = (List){0};
        l->drop_maybe = false;
    }
    bd->cur = new_bb();
    g->exit = new_bb();
    g->exit->term = "return";
    push_scope();
    for (int i = 0; i < f->locals.len; i++) {
        Local *l = f->locals.items[i];
        if (l->is_param && !l->closure)
            declare(l, true, l->span);
    }
    bd->body = f->item->body;
    block(f->item->body, true, true); /* a scope of its own, inside the parameters' */
    analyze(g);
    if (f->is_async)
        held_across(g);
    bd = NULL;
    return g;
}

static Cfg *graph_of(Cfg *g, Closure *clo)
{
    if (g->clo == clo)
        return g;
    for (int i = 0; i < g->closures.len; i++) {
        Cfg *c = graph_of(g->closures.items[i], clo);
        if (c)
            return c;
    }
    return NULL;
}

List bck_drop_plan(Cfg *g, Closure *clo, const void *key, DropSite site)
{
    List out = {0};
    g = g ? graph_of(g, clo) : NULL;
    for (int k = 0; g && k < g->blocks.len; k++) {
        BasicBlock *b = g->blocks.items[k];
        for (int j = 0; j < b->stmts.len; j++) {
            CfgStmt *s = b->stmts.items[j];
            if (s->op == CFG_DROP && s->key == key && s->site == site)
                list_push(&out, s);
        }
    }
    return out;
}

DropState bck_drop_state(Local *l, const void *key)
{
    for (int i = 0; i < l->drop_points.len; i++) {
        DropPoint *p = l->drop_points.items[i];
        if (p->key == key)
            return p->state;
    }
    return DROP_UNREACHED;
}

/* ---- the dump ------------------------------------------------------------------------------------ */

/* A local as the dump names it; a temporary by the expression that made it. */
static const char *shown(Local *l)
{
    if (!l->is_temp)
        return l->name;
    const char *src = one_line(diag_source_text(l->span));
    return xprintf("temp(%.40s%s @%d:%d)", src, strlen(src) > 40 ? "..." : "", l->span.line, l->span.col);
}

static const char *state_str[] = {"unreachable", "live: dropped", "moved out: not dropped", "maybe moved: flag"};

void cfg_dump(FILE *out, Cfg *g)
{
    if (g->clo)
        fprintf(out, "closure %d of fn %s (at %d:%d)\n", g->clo->index, g->fn->cname, g->clo->expr->span.line,
                g->clo->expr->span.col);
    else
        fprintf(out, "fn %s\n", g->fn->cname);
    if (!g->clo)
        bck_dump_held(out, g->fn);
    for (int k = 0; k < g->blocks.len; k++) {
        BasicBlock *b = g->blocks.items[k];
        if (!b->reached && !b->stmts.len)
            continue;
        fprintf(out, "  bb%d:%s%s\n", b->id, b == g->blocks.items[0] ? " (entry)" : "",
                b->reached ? "" : " (unreachable)");
        for (int j = 0; j < b->stmts.len; j++) {
            CfgStmt *s = b->stmts.items[j];
            if (s->op == CFG_BCK) {
                bck_dump_fact(out, s->fact);
                continue;
            }
            const char *name = s->local ? shown(s->local) : "";
            switch (s->op) {
            case CFG_INIT:
                fprintf(out, "    init %s  @%d:%d\n", !place_is_local(s->place) ? place_shown(s->place) : name, s->span.line,
                        s->span.col);
                break;
            case CFG_MOVE:
                fprintf(out, "    move %s%s  @%d:%d\n", !place_is_local(s->place) ? place_shown(s->place) : name,
                        s->cap ? " (into a closure)" : "", s->span.line, s->span.col);
                break;
            case CFG_USE:
                fprintf(out, "    %s %s  @%d:%d\n", s->borrow ? "borrow" : "use",
                        !place_is_local(s->place) ? place_shown(s->place) : name, s->span.line, s->span.col);
                break;
            case CFG_UNINIT:
                fprintf(out, "    uninit %s  @%d:%d\n", name, s->span.line, s->span.col);
                break;
            case CFG_DROP:
                fprintf(out, "    drop %s  (%s @%d:%d) -> %s\n", name, s->why, s->span.line, s->span.col,
                        state_str[s->state]);
                break;
            case CFG_DEAD:
                fprintf(out, "    dead %s\n", name);
                break;
            case CFG_BCK:
                break;
            case CFG_AWAIT: {
                fprintf(out, "    await  @%d:%d, holding:", s->span.line, s->span.col);
                List *h = &((Expr *)s->key)->bck_held;
                for (int i = 0; i < h->len; i++)
                    fprintf(out, " %s", ((Local *)h->items[i])->name);
                fprintf(out, "%s\n", h->len ? "" : " nothing");
                break;
            }
            }
        }
        if (b == g->exit) {
            fprintf(out, "    return\n");
            continue;
        }
        if (!b->succs.len) {
            fprintf(out, "    %s\n", strcmp(b->term, "diverge") ? "unreachable" : "diverge");
            continue;
        }
        fprintf(out, "    %s", b->succs.len > 1 ? "branch" : "goto");
        if (b->succs.len > 1 && b->note)
            fprintf(out, " (%s)", b->note);
        fprintf(out, " ->");
        for (int j = 0; j < b->succs.len; j++)
            fprintf(out, " bb%d", ((BasicBlock *)b->succs.items[j])->id);
        fprintf(out, "\n");
    }
    for (int i = 0; i < g->closures.len; i++)
        cfg_dump(out, g->closures.items[i]);
}
