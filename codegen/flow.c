/* flow.c — control flow: if, match, loops, break, continue, return, `?`.
 *
 * requires: the expression and statement emitters;
 * produces: structured C for Rust's expression-oriented control flow: a
 * block-like expression writes its value to a destination (Dest: discard,
 * assign, return); `match` becomes a switch or an if chain; loops become C
 * loops with `goto` for labels; conditions and scrutinees keep Rust's
 * temporary scopes; every exit drops what it leaves (drops.c). */
#include "cg_int.h"

/* Deliver a computed value (NULL for `()`/`!`) to a destination. */
void deliver(Dest d, Type *t, char *val, const void *key)
{
    switch (d.kind) {
    case D_DISCARD:
        if (!val)
            return;
        if (has_drop(t) && !is_ident_text(val)) {
            char *tmp = hoist(t, val, "unused");
            emit_drop_place(t, tmp);
        } else if (impure(val)) {
            emit("%s;", val);
        } else if (!is_ident_text(val) && !isdigit((unsigned char)val[0])) {
            emit("(void)(%s);", cond(val)); /* evaluated for its effects */
        } else if (is_ident_text(val) && !has_drop(t)) {
            emit("(void)%s; /* the value is not used */", val);
        }
        return;
    case D_ASSIGN:
        if (val && d.var)
            emit("%s = %s;", d.var, val);
        return;
    case D_RETURN: {
        bool any_drops = cg->pending.len > 0;
        for (int k = 0; k < cg->nscopes; k++)
            any_drops |= cg->scopes[k]->locals.len > 0;
        for (int f = 0; f < cg->nframes; f++)
            any_drops |= cg->frames[f]->temps.len > 0;
        if (is_never(t))
            return;
        if (!val || is_void(cg->ret)) {
            if (val && impure(val))
                emit("%s;", val);
            drops_to_depth(0, key);
            if (cg->frame)
                frame_return(cg->ret, NULL);
            else
                emit("return;");
            return;
        }
        if ((any_drops || cg->frame) && !is_ident_text(val) && !(cg->frame && !strncmp(val, "self->", 6) && is_ident_text(val + 6)))
            val = hoist(cg->ret, val, "result");
        drops_to_depth(0, key); /* the temporaries of the returned expression too */
        if (cg->frame)
            frame_return(cg->ret, val);
        else
            emit("return %s;", val);
        return;
    }
    }
}

/* An `if` or `while` condition, or a match guard: a temporary scope of its
 * own, so its temporaries are dropped once it is evaluated, before the
 * branch runs (and on the path that leaves a `while`). */
char *cg_condition(Expr *e)
{
    temps_push();
    char *c = cg_expr(e);
    if (cg->pending.len)
        c = hoist(e->ty, c, "cond");
    flush_pending(e);
    temps_pop();
    return c;
}

/* The place of a match / if-let / while-let scrutinee. Its temporaries live
 * to the end of the whole construct (Rust's scrutinee rule): they stay in a
 * temporary scope of their own, below a second one for the arms, until
 * scrutinee_end(). When some arm moves out of a temporary scrutinee, its
 * entry is per-arm: each arm's end drops what that arm leaves of it
 * (drop_unbound), an exit from an arm does the same (scrutinee_arm), a path
 * where nothing matched drops all of it (scrutinee_unmatched). */
char *cg_scrutinee(Expr *e, bool pats_move)
{
    temps_push();
    Expr *u = unparen(e);
    char *pl;
    if (is_place_expr(u)) {
        pl = cg_lvalue(e);
    } else {
        char *v = cg_expr(e);
        pl = v ? hoist(vty(e), v, "tmp") : xstrdup("(MrsUnit){0}");
        Local *tl = v ? u->temp : NULL; /* borrowck gave it a temporary */
        if (tl)
            tl->cname = pl;
        if (tl && !pats_move) {
            add_pending(vty(e), pl, tl);
        } else if (tl) {
            Pending *p = NEW(Pending); /* (no unwind guard: an arm may move parts out) */
            p->type = vty(e);
            p->place = pl;
            p->temp = tl;
            p->per_arm = true;
            list_push(&cg->pending, p);
        }
    }
    temps_push();
    return pl;
}

/* The scrutinee's temporaries, while its construct is being written. */
static List *scrutinee_temps(void) { return &cg->frames[cg->nframes - 1]->temps; }

/* The temporary holding a scrutinee that some arm moves from, or NULL. */
Pending *scrutinee_entry(void)
{
    List *l = scrutinee_temps();
    Pending *p = l->len ? l->items[l->len - 1] : NULL;
    return p && p->per_arm ? p : NULL;
}

/* While an arm (pattern p) is written: an exit from it drops what p leaves. */
void scrutinee_arm(Pat *p)
{
    Pending *s = scrutinee_entry();
    if (s)
        s->arm_pat = p;
}

/* A block tail's construct: each arm's end records the arm in a C variable,
 * and what it left is dropped with the block's tail temporaries, after its
 * locals (leftover_at_end). */
void scrutinee_defer(const char *pl)
{
    Pending *s = scrutinee_entry();
    if (!s)
        return;
    s->arm_var = xprintf("%s_arm", pl);
    emit("int %s = 0; /* which arm ran: what it leaves of %s is dropped after the block's locals */", s->arm_var, pl);
    emit("(void)%s; /* (every arm may leave the block another way) */", s->arm_var);
}

/* The end of an arm (pattern p; NULL where nothing matched): drop what it
 * leaves of the temporary scrutinee at pl now, or record it for later. */
void leftover_at_end(Pat *p, Type *t, const char *pl)
{
    Pending *s = scrutinee_entry();
    if (s && s->arm_var) {
        list_push(&s->arms, p);
        emit("%s = %d;", s->arm_var, s->arms.len);
    } else if (p) {
        drop_unbound(p, t, pl);
    } else {
        emit_drop_place(t, pl);
    }
}

/* While a path where no pattern matched is written: all of it. */
void scrutinee_unmatched(bool on)
{
    Pending *s = scrutinee_entry();
    if (s)
        s->whole = on;
}

void scrutinee_end(const void *arms_key, const void *scrutinee_key)
{
    flush_pending(arms_key);
    temps_pop();
    const Expr *k = arms_key;
    if (k->kind == EX_MATCH || (k->kind == EX_IF && !k->is_else_if)) {
        /* a match's or `if let`'s scrutinee temporaries belong to the temporary scope
         * around it (its statement; a block's tail: after the block's locals); the
         * graph planned them there. An `else if let`'s end where the chain ends, in
         * the else branch's C block. */
        List held = cg->pending;
        temps_pop();
        for (int i = 0; i < held.len; i++)
            list_push(&cg->pending, held.items[i]);
        return;
    }
    flush_pending(scrutinee_key);
    temps_pop();
}

/* The else branch of `ifx`: `else if` when the condition needs no statements.
 * Without one, in return position the fall-through path still returns. */
void cg_else(Expr *ifx, Expr *els, Dest d)
{
    if (!els && d.kind == D_RETURN) {
        emit("} else {");
        cg->indent++;
        deliver(d, ty_unit(), NULL, ifx);
        cg->indent--;
        emit("}");
        return;
    }
    if (!els) {
        emit("}");
        return;
    }
    Expr *u = unparen(els);
    if (u->kind == EX_IF && u->cond->kind != EX_LET) {
        StrBuf buf;
        sb_init(&buf);
        StrBuf *saved = cg->out;
        cg->out = &buf;
        size_t nh = cg->helpers.len, np = cg->protos.len, nc = cg->closure_fns.len;
        int nd = cg->done_helpers.len, nv = done_vtables.len, tmp = cg->tmp;
        temps_push();
        char *c = cg_expr(u->cond);
        bool temps = cg->pending.len > 0;
        cg->pending = (List){0};
        temps_pop();
        cg->out = saved;
        if (buf.len || temps) {
            /* the condition needs statements: undo this trial, it is generated again below */
            cg->helpers.len = nh;
            cg->protos.len = np;
            if (cg->helpers.data)
                cg->helpers.data[nh] = '\0';
            if (cg->protos.data)
                cg->protos.data[np] = '\0';
            cg->closure_fns.len = nc; /* a closure in the condition is written again, and its vtables */
            if (cg->closure_fns.data)
                cg->closure_fns.data[nc] = '\0';
            done_vtables.len = nv;
            cg->done_helpers.len = nd;
            cg->tmp = tmp;
        }
        if (!buf.len && !temps) {
            sb_free(&buf);
            emit("} else if (%s) {", cond(c));
            cg->indent++;
            cg_block_into(u->block, d, true);
            cg->indent--;
            cg_else(u, u->els, d);
            return;
        }
        sb_free(&buf);
    }
    emit("} else {");
    cg->indent++;
    if (u->kind == EX_BLOCK && !u->label)
        cg_block_into(u->block, d, true);
    else
        cg_into(u, d);
    cg->indent--;
    emit("}");
}

void cg_if_into(Expr *e, Dest d)
{
    if (e->cond->kind == EX_LET) {
        Expr *let = e->cond;
        bool tail = (const void *)e == cg->block_tail; /* as in cg_match_into */
        cg_push_scope();
        bool mv = pat_moves(let->pat);
        char *pl = cg_scrutinee(let->rhs, mv);
        char *t = pat_test(let->pat, pl);
        /* a temporary the pattern moves from: what it leaves is dropped after the body */
        bool leftover = mv && !is_place_expr(let->rhs) && !let->pat->derefs && has_drop(let->rhs->ty);
        if (leftover && tail && d.kind != D_RETURN) /* (a return drops it on its way) */
            scrutinee_defer(pl);
        emit("if (%s) {", t ? cond(t) : "true");
        cg->indent++;
        cg_push_scope();
        pat_bind(let->pat, pl);
        note_pattern_moves(let->pat);
        scrutinee_arm(let->pat);
        cg_block_into(e->block, d, true);
        cg_pop_scope(!is_never(e->block->ty), e);
        scrutinee_arm(NULL);
        if (leftover && !is_never(e->block->ty))
            leftover_at_end(let->pat, let->rhs->ty, pl);
        cg->indent--;
        scrutinee_unmatched(true);
        cg_else(e, e->els, d);
        scrutinee_unmatched(false);
        if (leftover && t) {
            emit("if (!(%s)) /* it did not match: %s whole */", t, tail ? "left" : "dropped");
            cg->indent++;
            leftover_at_end(NULL, let->rhs->ty, pl);
            cg->indent--;
        }
        scrutinee_end(e, let->rhs);
        cg_pop_scope(true, let); /* the construct's scope (no locals) */
        return;
    }
    char *c = cg_condition(e->cond);
    emit("if (%s) {", cond(c));
    cg->indent++;
    cg_block_into(e->block, d, true);
    cg->indent--;
    cg_else(e, e->els, d);
}

/* Can this match be a C switch? Enum variants or integer/char literals,
 * no guards, no nested refutable patterns. */
bool switchable(Expr *e, Type *st)
{
    bool is_enum = st->kind == TY_ADT && st->adt->is_enum;
    if (opt_niche(st)) /* (no tag to switch on: the tests compare the pointer with null) */
        return false;
    bool is_int = (st->kind <= TY_USIZE && st->kind != TY_I128 && st->kind != TY_U128) || st->kind == TY_CHAR;
    if (!is_enum && !is_int)
        return false;
    for (int i = 0; i < e->arms.len; i++) {
        MatchArm *a = e->arms.items[i];
        if (a->guard)
            return false;
        Pat *p = a->pat;
        List alts = {0};
        if (p->kind == PAT_OR)
            alts = p->elems;
        else
            list_push(&alts, p);
        for (int k = 0; k < alts.len; k++) {
            Pat *q = alts.items[k];
            if (p->kind == PAT_OR && q->kind == PAT_IDENT && !q->def)
                return false; /* bindings in or-patterns need the general form */
            if (q->kind == PAT_WILD || (q->kind == PAT_IDENT && !q->def && !q->sub))
                continue;
            if (is_int) {
                if (q->kind != PAT_LIT)
                    return false;
                continue;
            }
            if (q->kind == PAT_IDENT && q->def && q->def->kind == DEF_VARIANT)
                continue;
            if (q->kind != PAT_PATH && q->kind != PAT_TUPLE_STRUCT && q->kind != PAT_STRUCT)
                return false;
            if (!q->def || q->def->kind != DEF_VARIANT)
                return false;
            /* subpatterns must be irrefutable */
            List *subs = &q->elems;
            for (int j = 0; j < subs->len; j++)
                if (pat_test(subs->items[j], "x"))
                    return false;
            for (int j = 0; j < q->fields.len; j++)
                if (pat_test(((FieldPat *)q->fields.items[j])->pat, "x"))
                    return false;
            if (p->kind == PAT_OR && (q->elems.len || q->fields.len))
                return false;
        }
    }
    return true;
}

char *case_label(Pat *q, Type *st)
{
    if (q->kind == PAT_LIT)
        return lit_text(q->lit, st);
    Def *d = q->def;
    return xprintf("%s_%s", mangle(st), d->adt->variants[d->variant].name);
}

/* A temporary scrutinee that some arm moves from: the parts an arm does not
 * bind are dropped when that arm's body ends (NULL when not applicable). */
Type *leftover_ty;

/* Arm a once its pattern matched and bound (and its guard passed): the
 * parts its bindings move out, its body, its bindings' drops, then what it
 * leaves of a temporary scrutinee. */
void arm_rest(MatchArm *a, const char *pl, Dest d)
{
    note_pattern_moves(a->pat);
    scrutinee_arm(a->pat);
    Type *lt = leftover_ty;
    leftover_ty = NULL; /* a match nested in the body has its own */
    Expr *b = unparen(a->body);
    if (b->kind == EX_BLOCK && !b->label && !b->is_unsafe)
        cg_block_into(b->block, d, true);
    else
        cg_into(a->body, d);
    if (!is_never(a->body->ty))
        flush_pending(a); /* an arm is a temporary scope */
    cg_pop_scope(!is_never(a->body->ty), a);
    scrutinee_arm(NULL);
    leftover_ty = lt;
    if (lt && !is_never(a->body->ty))
        leftover_at_end(a->pat, lt, pl);
}

void arm_body(MatchArm *a, const char *pl, Dest d)
{
    cg_push_scope();
    pat_bind(a->pat, pl);
    arm_rest(a, pl, d);
}

void cg_match_into(Expr *e, Dest d)
{
    emit("/* match %s */", diag_source_text(e->operand->span));
    /* no C block: the scrutinee's temporaries outlive the match (scrutinee_end) */
    bool tail = (const void *)e == cg->block_tail;
    cg_push_scope();
    bool mv = false;
    for (int i = 0; i < e->arms.len; i++)
        mv |= pat_moves(((MatchArm *)e->arms.items[i])->pat);
    char *pl = cg_scrutinee(e->operand, mv);
    bool all_wild = true;
    for (int i = 0; i < e->arms.len; i++)
        all_wild &= ((MatchArm *)e->arms.items[i])->pat->kind == PAT_WILD;
    if (all_wild && is_ident_text(pl))
        emit("(void)%s; /* every arm is `_` */", pl);
    Type *st = e->operand->ty;
    int derefs = e->arms.len ? ((MatchArm *)e->arms.items[0])->pat->derefs : 0;
    Type *saved_leftover = leftover_ty;
    leftover_ty = mv && !is_place_expr(e->operand) && !derefs && has_drop(st) ? st : NULL;
    if (leftover_ty && tail && d.kind != D_RETURN) /* (a return drops it on its way) */
        scrutinee_defer(pl);
    Type *pt = st;
    char *spl = pl;
    for (int i = 0; i < derefs && pt->kind == TY_REF; i++) {
        pt = pt->args[0];
        spl = deref_text(spl);
    }
    bool consistent = true;
    for (int i = 0; i < e->arms.len; i++) {
        Pat *p = ((MatchArm *)e->arms.items[i])->pat;
        if (p->derefs != derefs && !(p->kind == PAT_WILD || (p->kind == PAT_IDENT && !p->def)))
            consistent = false;
    }
    if (consistent && switchable(e, pt)) {
        bool is_enum = pt->kind == TY_ADT;
        emit("switch (%s) {", is_enum ? member(spl, "tag") : spl);
        for (CgLoop *l = cg->loops; l; l = l->parent) {
            l->switch_depth++;
            break;
        }
        bool has_default = false;
        int ncases = 0;
        for (int i = 0; i < e->arms.len; i++) {
            MatchArm *a = e->arms.items[i];
            Pat *p = a->pat;
            List alts = {0};
            if (p->kind == PAT_OR)
                alts = p->elems;
            else
                list_push(&alts, p);
            bool dflt = false;
            for (int k = 0; k < alts.len; k++) {
                Pat *q = alts.items[k];
                if (q->kind == PAT_WILD || (q->kind == PAT_IDENT && !q->def)) {
                    dflt = true;
                    continue;
                }
                emit("case %s:", case_label(q, pt));
                ncases++;
            }
            if (dflt) {
                emit("default:");
                has_default = true;
            }
            emit("{");
            cg->indent++;
            arm_body(a, pl, d);
            if (!is_never(a->body->ty))
                emit("break;");
            cg->indent--;
            emit("}");
            if (dflt)
                break; /* later arms are unreachable */
        }
        if (!has_default && !is_enum) {
            emit("default:");
            emit("    break;");
        } else if (!has_default) { /* every variant has its arm (one no arm names is uninhabited): C cannot see that */
            emit("default:");
            emit("    mrs_unreachable();");
        }
        emit("}");
        for (CgLoop *l = cg->loops; l; l = l->parent) {
            l->switch_depth--;
            break;
        }
    } else {
        bool any_guard = false;
        for (int i = 0; i < e->arms.len; i++)
            any_guard |= ((MatchArm *)e->arms.items[i])->guard != NULL;
        if (!any_guard) {
            for (int i = 0; i < e->arms.len; i++) {
                MatchArm *a = e->arms.items[i];
                char *t = pat_test(a->pat, pl);
                if (i > 0 && i == e->arms.len - 1)
                    t = NULL; /* the match is exhaustive: what the others leave is this arm's */
                if (i == 0)
                    emit("if (%s) {", t ? cond(t) : "true");
                else if (t)
                    emit("} else if (%s) {", cond(t));
                else
                    emit("} else {");
                cg->indent++;
                arm_body(a, pl, d);
                cg->indent--;
                if (!t)
                    break;
            }
            emit("}");
        } else {
            char *end = xprintf("match_end_%d", ++cg->label_id);
            for (int i = 0; i < e->arms.len; i++) {
                MatchArm *a = e->arms.items[i];
                char *t = pat_test(a->pat, pl);
                emit("if (%s) {", t ? t : "true");
                cg->indent++;
                cg_push_scope();
                CgScope *arm_scope = cg->scopes[cg->nscopes - 1];
                pat_bind(a->pat, pl);
                if (a->guard) {
                    char *g = cg_condition(a->guard);
                    emit("if (%s) {", cond(g));
                    cg->indent++;
                }
                arm_rest(a, pl, d);
                emit("goto %s;", end);
                if (a->guard) {
                    cg->indent--;
                    emit("}");
                    unlink_unbound(arm_scope);
                }
                cg->indent--;
                emit("}");
            }
            emit("mrs_panic_cstr(LOC(0, 0), \"internal error: entered unreachable code\");");
            emit("%s:;", end);
        }
    }
    leftover_ty = saved_leftover;
    scrutinee_end(e, e->operand);
    cg_pop_scope(true, e);

}

CgLoop *push_loop(char *label, char *break_dest)
{
    CgLoop *l = NEW(CgLoop);
    l->parent = cg->loops;
    l->label = label;
    l->id = ++cg->label_id;
    l->break_dest = break_dest;
    l->scope_depth = cg->nscopes;
    cg->loops = l;
    return l;
}

void pop_loop(CgLoop *l, bool at_body_end)
{
    (void)at_body_end;
    cg->loops = l->parent;
}

/* The body of a loop, with the `continue` label when some inner `continue` needed a goto. */
void loop_body(Block *b, CgLoop *l)
{
    cg_block_into(b, discard(), true);
    if (l->used_goto_cont && l->scope_depth == cg->nscopes)
        emit("cont_%d:;", l->id);
}

/* The end of an iteration whose bindings (a `for` item, a `while let`
 * pattern) were dropped after the body: a `continue` from an inner loop
 * dropped them already and lands here. */
void iteration_end(CgLoop *l)
{
    if (l->used_goto_cont)
        emit("cont_%d:;", l->id);
}

void loop_end(CgLoop *l)
{
    if (l->used_goto_break)
        emit("brk_%d:;", l->id);
}

void cg_for(Expr *e)
{
    emit("/* for %s in %s */", diag_source_text(e->pat->span), diag_source_text(e->operand->span));
    Expr *it = unparen(e->operand);
    Pat *p = e->pat;
    bool ident = p->kind == PAT_IDENT && !p->def && !p->sub && !p->bind_ref;
    /* the common shape first: for i in a..b */
    if (it->kind == EX_RANGE && !it->inclusive && ident && it->lhs && it->rhs) {
        Expr *ops[2] = {it->lhs, it->rhs};
        open_block();
        char **v = cg_operands(ops, 2);
        char *end = is_ident_text(v[1]) || isdigit((unsigned char)v[1][0]) ? v[1] : hoist(it->ty->args[0], v[1], "end");
        Local *l = p->local;
        CgLoop *lp = push_loop(e->label, NULL);
        emit("for (%s = %s; %s < %s; %s++) {", decl(l->type, l->cname), v[0], l->cname, end, l->cname);
        cg->indent++;
        loop_body(e->block, lp);
        cg->indent--;
        emit("}");
        pop_loop(lp, true);
        loop_end(lp);
        close_block(e);
        return;
    }
    open_block();
    IterGen *g = iter_open(e->operand, false);
    temps_push(); /* the iterable's temporaries live for the whole loop */
    if (g) {
        /* the iterator's scope: the loop's end, a `return`, `?` or a break to
         * an outer loop drops what the iterator still owns */
        cg_push_scope();
        cg->scopes[cg->nscopes - 1]->iter = e->temp;
        cg->scopes[cg->nscopes - 1]->ig = g;
        CgLoop *lp = push_loop(e->label, NULL);
        emit("for (;;) {");
        cg->indent++;
        cg_push_scope();
        Type *item = p->ty;
        for (int i = 0; i < p->derefs; i++)
            item = ty_ref(item, false);
        char *x;
        if (ident) {
            x = p->local->cname;
            emit("%s;", decl(p->local->type, x));
            iter_next(g, x);
            register_local(p->local);
        } else {
            x = fresh("item");
            emit("%s;", decl(g->item, x));
            iter_next(g, x);
            List binds = {0};
            collect_binds(p, &binds);
            if (binds.len == 0 && !pat_test(p, x))
                emit("(void)%s;", x);
            pat_bind(p, x);
        }
        lp->scope_depth = cg->nscopes - 1; /* break and continue also drop the item */
        loop_body(e->block, lp);
        cg_pop_scope(true, e);
        iteration_end(lp);
        cg->indent--;
        emit("}");
        pop_loop(lp, true);
        loop_end(lp);
        cg_pop_scope(true, e->operand); /* the iterator's scope */
    }
    temps_pop();
    close_block(e);
}

void cg_while(Expr *e)
{
    if (e->cond->kind == EX_LET) {
        Expr *let = e->cond;
        CgLoop *lp = push_loop(e->label, NULL);
        emit("for (;;) {");
        cg->indent++;
        cg_push_scope();
        lp->scope_depth = cg->nscopes - 1;
        char *pl = cg_scrutinee(let->rhs, pat_moves(let->pat));
        char *t = pat_test(let->pat, pl);
        if (t) {
            emit("if (!(%s)) {", t);
            cg->indent++;
            scrutinee_unmatched(true);
            emit_plan(let, SITE_TEMPS); /* no match: the scrutinee's temporaries */
            scrutinee_unmatched(false);
            emit("break;");
            cg->indent--;
            emit("}");
        }
        cg_push_scope(); /* the bindings, dropped before the scrutinee's temporaries */
        pat_bind(let->pat, pl);
        note_pattern_moves(let->pat);
        scrutinee_arm(let->pat); /* the iteration's end drops what the pattern leaves */
        loop_body(e->block, lp);
        cg_pop_scope(true, e);
        scrutinee_end(e, let->rhs);
        cg_pop_scope(true, let); /* the iteration's scope (no locals) */
        iteration_end(lp);
        cg->indent--;
        emit("}");
        pop_loop(lp, true);
        loop_end(lp);
        return;
    }
    StrBuf buf;
    sb_init(&buf);
    StrBuf *saved = cg->out;
    cg->out = &buf;
    cg->indent++;
    char *c = cg_condition(e->cond);
    cg->indent--;
    cg->out = saved;
    CgLoop *lp = push_loop(e->label, NULL);
    if (!buf.len) {
        emit("while (%s) {", cond(c));
    } else {
        emit("for (;;) {");
        sb_puts(cg->out, buf.data);
        emit("    if (!(%s))", c);
        emit("        break;");
    }
    sb_free(&buf);
    cg->indent++;
    loop_body(e->block, lp);
    cg->indent--;
    emit("}");
    pop_loop(lp, true);
    loop_end(lp);
}

CgLoop *target_loop(const char *label)
{
    for (CgLoop *l = cg->loops; l; l = l->parent)
        if (label ? (l->label && strcmp(l->label, label) == 0) : !l->is_block)
            return l;
    return NULL;
}

void cg_break(Expr *e, bool is_continue)
{
    CgLoop *l = target_loop(e->label);
    if (!l)
        return;
    if (!is_continue && e->operand) {
        char *v = cg_expr(e->operand);
        if (l->break_dest && v)
            emit("%s = %s;", l->break_dest, v);
    }
    drops_to_depth(l->scope_depth, e);
    bool innermost = l == cg->loops && l->switch_depth == 0 && !l->is_block;
    if (innermost) {
        emit(is_continue ? "continue;" : "break;");
    } else if (is_continue) {
        l->used_goto_cont = true;
        emit("goto cont_%d;", l->id);
    } else {
        l->used_goto_break = true;
        emit("goto brk_%d;", l->id);
    }
}

char *cg_try(Expr *e)
{
    Type *t = e->operand->ty;
    char *v = cg_expr(e->operand);
    char *x = is_ident_text(v) ? v : hoist(t, v, "tried");
    bool is_opt = t->adt == cg->prog->option;
    const char *bad = is_opt ? "None" : "Err";
    emit("if (%s.tag == %s_%s) {", x, mangle(t), bad);
    cg->indent++;
    Type *rt = cg->ret;
    char *err = xprintf("%s.Err._0", x);
    if (e->sema == &box_dyn_error_from) /* into a Box<dyn Error>: boxed, with its type's vtable */
        err = box_dyn_error(rt->args[1], t->args[1], err);
    else if (e->sema) /* the error converted by the impl From<E> for the fn's error type */
        err = xprintf("%s(%s)", ((FnDef *)e->sema)->cname, err);
    char *ret = is_opt ? none(rt) : xprintf("(%s){.tag = %s_Err, .Err = {%s}}", ctype(rt), mangle(rt), err);
    deliver((Dest){D_RETURN, NULL}, rt, ret, e);
    cg->indent--;
    emit("}");
    return xprintf("%s.%s._0", x, is_opt ? "Some" : "Ok");
}

void cg_loop(Expr *e, Dest d)
{
    CgLoop *lp = push_loop(e->label, d.kind == D_ASSIGN ? (char *)d.var : NULL);
    emit("for (;;) {");
    cg->indent++;
    loop_body(e->block, lp);
    cg->indent--;
    emit("}");
    pop_loop(lp, true);
    loop_end(lp);
    if (d.kind == D_RETURN && !is_never(e->ty))
        deliver(d, e->ty, NULL, e);
}

/* Evaluate a block-like (or any) expression into a destination. */
void cg_into(Expr *e, Dest d)
{
    Expr *u = unparen(e);
    switch (u->kind) {
    case EX_IF:
        cg_if_into(u, d);
        return;
    case EX_MATCH:
        cg_match_into(u, d);
        return;
    case EX_BLOCK:
        if (u->label) {
            CgLoop *lp = push_loop(u->label, d.kind == D_ASSIGN ? (char *)d.var : NULL);
            lp->is_block = true;
            emit("{");
            cg->indent++;
            cg_block_into(u->block, d, true);
            cg->indent--;
            emit("}");
            pop_loop(lp, true);
            loop_end(lp);
            return;
        }
        if (u->block->tail_temps_outer) {
            /* no C block: its tail's temporaries are dropped after the enclosing block's locals,
             * outside it (its locals have names of their own, so nothing clashes) */
            emit("/* block: its tail's temporaries outlive it */");
            cg_block_into(u->block, d, true);
            return;
        }
        emit("{");
        cg->indent++;
        cg_block_into(u->block, d, true);
        cg->indent--;
        emit("}");
        return;
    case EX_LOOP:
        if (d.kind == D_RETURN && is_void(u->ty) && !is_never(u->ty)) { /* a `()` loop: no value to carry */
            cg_loop(u, (Dest){D_DISCARD, NULL});
            deliver(d, u->ty, NULL, u);
            return;
        }
        if (d.kind == D_RETURN && !is_never(u->ty)) {
            char *r = fresh("loop_value");
            emit("%s = %s;", decl(u->ty, r), dummy(u->ty));
            cg_loop(u, assign_to(r));
            deliver(d, u->ty, r, u);
            return;
        }
        cg_loop(u, d);
        return;
    case EX_WHILE:
        cg_while(u);
        if (d.kind == D_RETURN)
            deliver(d, u->ty, NULL, u);
        return;
    case EX_FOR:
        cg_for(u);
        if (d.kind == D_RETURN)
            deliver(d, u->ty, NULL, u);
        return;
    default: {
        char *v = cg_expr(e);
        deliver(d, e->ty, v ? v : NULL, u);
        return;
    }
    }
}

/* A block-like expression used as a value: a temporary receives it. */
char *blocklike_value(Expr *e)
{
    if (is_void(e->ty)) {
        cg_into(e, discard());
        return NULL;
    }
    char *t = fresh("value");
    emit("%s = %s;", decl(e->ty, t), dummy(e->ty));
    cg_into(e, assign_to(t));
    return t;
}
