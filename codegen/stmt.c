/* stmt.c — statements and blocks.
 *
 * requires: the expression emitters and the scopes of drops.c;
 * produces: `let` (with temporary lifetime extension), expression
 * statements with their temporaries dropped at the `;`, and blocks whose
 * locals are dropped at their end in reverse order. */
#include "cg_int.h"

/* The temporary that `let` lifetime extension keeps for `&op`, or NULL
 * (borrowck's temps.c chose it, Local.extended). */
Local *extended_temp(Expr *op)
{
    op = unparen(op);
    return op->temp && op->temp->extended ? op->temp : NULL;
}

/* The temporary of op becomes a local of the block, named cname. */
static Local *name_extended(Expr *op, const char *cname, bool flagged_)
{
    Local *l = op->temp;
    l->name = one_line(diag_source_text(op->span));
    l->cname = (char *)cname;
    l->type = op->ty;
    l->used = true;
    l->deferred = flagged_;
    l->span = op->span;
    return l;
}

/* Before the `let`: the temporaries it makes in a branch or an inner block
 * (ext_nested) are declared, unset, since that C block ends before they die. */
static void declare_extended(Stmt *s)
{
    for (int i = 0; i < s->bck_extended.len; i++) {
        Expr *op = s->bck_extended.items[i];
        if (!op->temp->ext_nested)
            continue;
        char *name = fresh("extended");
        emit("%s = %s; /* `%s`, made below, lives to the end of the block */", decl(op->ty, name), dummy(op->ty),
             one_line(diag_source_text(op->span)));
        register_local(name_extended(op, name, true));
    }
}

/* The temporary of an extended `&op`, made now: its C name. */
char *extend_temp(Local *l, Expr *op)
{
    char *v = cg_expr(op);
    if (l->ext_nested) {
        emit("%s = %s;", l->cname, v);
        emit("%s_live = true;", l->cname);
        return l->cname;
    }
    char *name = fresh("extended");
    emit("%s = %s; /* borrowed by the `let`: lives to the end of the block */", decl(op->ty, name), v);
    register_local(name_extended(op, name, false));
    return name;
}

/* The bindings of `let PAT;` (no initializer): zero-initialized so that a drop is always safe. */
static void declare_bindings(Pat *p)
{
    if (!p)
        return;
    if (p->kind == PAT_IDENT && p->local) {
        Local *l = p->local;
        emit("%s = %s;", local_decl(l, false), (l->type->kind <= TY_CHAR) ? "0" : dummy(l->type));
        register_local(l);
    }
    declare_bindings(p->sub);
    for (int i = 0; i < p->elems.len; i++)
        declare_bindings(p->elems.items[i]);
    for (int i = 0; i < p->fields.len; i++)
        declare_bindings(((FieldPat *)p->fields.items[i])->pat);
}

/* `v.iter().map(f);`: an iterator chain built and dropped, whose receiver is a place,
 * so that building it has no effect either. */
static bool lazy_unused_iter(Expr *e)
{
    e = unparen(e);
    if (e->kind != EX_METHOD || !e->ty || e->ty->kind != TY_ITER || e->temp)
        return false;
    while (e->kind == EX_METHOD && e->ty && (e->ty->kind == TY_ITER || e->ty->kind == TY_RANGE)) {
        for (int i = 0; i < e->args.len; i++) { /* closures and places build nothing with an effect */
            Expr *a = unparen(e->args.items[i]);
            if (a->kind != EX_CLOSURE && a->kind != EX_INT && !bck_place_expr(a))
                return false;
        }
        e = unparen(e->operand);
    }
    return bck_place_expr(e) || (e->kind == EX_REF && bck_place_expr(unparen(e->operand)));
}

void cg_let(Stmt *s)
{
    declare_extended(s);
    cg_let_inner(s);
}

void cg_let_inner(Stmt *s)
{
    Pat *p = s->pat;
    line_directive(s->span);
    if (p->kind == PAT_IDENT && !p->def && !p->sub && !p->bind_ref) {
        Local *l = p->local;
        if (!s->init) {
            /* declared now, assigned later: zero-initialized so that a drop is always safe */
            emit("%s = %s;", local_decl(l, false), (l->type->kind <= TY_CHAR) ? "0" : dummy(l->type));
            register_local(l);
            return;
        }
        if (is_blocklike(s->init) && !is_void(l->type)) {
            emit("%s = %s;", decl(l->type, l->cname), dummy(l->type));
            cg_into(s->init, assign_to(l->cname));
        } else {
            char *v = cg_expr(s->init);
            v = v ? v : NULL;
            if (is_void(l->type) && !v) {
                emit("MrsUnit %s = {0};", l->cname);
                emit("(void)%s;", l->cname);
            } else {
                emit("%s = %s;", local_decl(l, true), v ? v : dummy(l->type));
            }
        }
        register_local(l);
        flush_pending(s);
        return;
    }
    /* `let _ = x;` (or `x.f`) binds nothing and reads nothing: in a closure it
     * does not even capture x */
    if (p->kind == PAT_WILD && s->init && !s->els) {
        Expr *u = unparen(s->init);
        while (u->kind == EX_FIELD || u->kind == EX_TUPLE_FIELD)
            u = unparen(u->operand);
        if (u->kind == EX_PATH && u->def && u->def->kind == DEF_LOCAL) {
            Local *root = u->def->local;
            if (root->closure == cg->closure) /* a local of this C function: keep C quiet about it */
                emit("(void)%s; /* let _ = %s; binds nothing */", root->cname, diag_source_text(s->init->span));
            else
                emit("/* let _ = %s; binds nothing, so it captures nothing */", diag_source_text(s->init->span));
            return;
        }
    }
    /* a destructuring let: the value goes to a temporary, then the pattern binds */
    if (!s->init) { /* `let (a, b);`: each binding declared now, assigned later */
        declare_bindings(p);
        return;
    }
    char *v = cg_expr(s->init);
    v = v ? v : NULL;
    char *t = v && is_ident_text(v) ? v : hoist(s->init->ty, v ? v : dummy(s->init->ty), "tuple");
    bool temp = !is_place_expr(s->init) && !pat_binds_ref(p);
    if (s->els) {
        char *test = pat_test(p, t);
        emit("if (!(%s)) {", test ? test : "true");
        cg->indent++;
        if (temp && has_drop(s->init->ty)) {
            emit("/* it did not match: the value is dropped before `else` runs */");
            emit_drop_place(s->init->ty, t);
        }
        List saved = cg->pending;
        flush_pending(s->els); /* and the initializer's temporaries */
        cg_block_into(s->els, discard(), true);
        cg->pending = saved; /* (the path that matched still holds them) */
        cg->indent--;
        emit("}");
    }
    pat_bind(p, t);
    note_pattern_moves(p);
    List binds = {0};
    collect_binds(p, &binds);
    if (temp)
        drop_unbound(p, s->init->ty, t);
    if (!binds.len && !(temp && p->kind == PAT_WILD && has_drop(s->init->ty)))
        emit("(void)%s;", t);
    flush_pending(s);
}

void cg_stmt(Stmt *s)
{
    switch (s->kind) {
    case ST_LET:
        cg_let(s);
        break;
    case ST_EXPR:
        line_directive(s->span);
        if (lazy_unused_iter(s->expr)) {
            /* `v.iter().map(f);`: an adaptor nobody consumes is lazy, so nothing runs (rustc warns) */
            emit("/* %s; an iterator never consumed does nothing */", one_line(diag_source_text(s->expr->span)));
            break;
        }
        if (unparen(s->expr)->temp) {
            /* a value computed and discarded (`v.remove(0);`) is dropped at the end of the statement */
            char *v = cg_expr(s->expr);
            if (v) {
                char *tmp = is_ident_text(v) ? v : hoist(s->expr->ty, v, "unused");
                unparen(s->expr)->temp->cname = tmp;
                emit_drop_place(s->expr->ty, tmp);
            }
        } else {
            cg_into(s->expr, discard());
        }
        flush_pending(s);
        break;
    default:
        break;
    }
}

static void block_body(Block *b, Dest d, bool new_scope)
{
    if (new_scope)
        cg_push_scope();
    bool diverged = false;
    for (int i = 0; i < b->stmts.len; i++) {
        Stmt *s = b->stmts.items[i];
        bool saved_decls = cg->frame_decls;
        cg->frame_decls = stmt_in_frame(s);
        cg_stmt(s);
        cg->frame_decls = saved_decls;
        if (s->kind == ST_EXPR && s->expr->ty && is_never(s->expr->ty))
            diverged = true;
        if (s->kind == ST_LET && s->init && s->init->ty && is_never(s->init->ty))
            diverged = true;
    }
    if (b->tail && cg->frame) /* (the tail: a statement of its own) */
        cg->frame_decls = awaits_in(b->tail);
    if (b->tail) {
        line_directive(b->tail->span);
        if (d.kind == D_RETURN) {
            /* the tail's temporaries: the return paths drop them, after
             * the body's locals (Rust 2021; the graph's plan says where) */
            temps_push();
            const void *saved_tail = cg->block_tail;
            if (new_scope)
                cg->block_tail = unparen(b->tail);
            cg_into(b->tail, d);
            cg->block_tail = saved_tail;
            cg->pending = (List){0}; /* every path returned, dropping them */
            temps_pop();
            if (new_scope)
                cg->nscopes--; /* the return path dropped everything */
            return;
        }
        /* the tail's temporaries outlive the block's locals (Rust 2021) */
        temps_push();
        const void *saved_tail = cg->block_tail;
        cg->block_tail = unparen(b->tail);
        cg_into(b->tail, d);
        cg->block_tail = saved_tail;
        diverged |= is_never(b->tail->ty);
        if (new_scope)
            cg_pop_scope(!diverged, b);
        if (b->tail_temps_outer) { /* the enclosing block's tail drops them (the graph's plan) */
            List mine = cg->pending;
            temps_pop();
            for (int i = 0; i < mine.len; i++)
                list_push(&cg->pending, mine.items[i]);
            return;
        }
        flush_pending(b);
        temps_pop();
        if (new_scope)
            return;
    } else if (d.kind == D_RETURN && !diverged) {
        /* falling off the end of the function: only the drops remain */
        drops_to_depth(0, b);
        if (cg->frame)
            frame_return(cg->ret, NULL);
        else if (!is_void(cg->ret) || b != cg->body) /* a nested block must not fall into the outer drops */
            emit("return;");
        if (new_scope)
            cg->nscopes--;
        return;
    }
    if (new_scope)
        cg_pop_scope(!diverged, b);
}

void cg_block_into(Block *b, Dest d, bool new_scope)
{
    bool saved = cg->frame_decls;
    block_body(b, d, new_scope);
    cg->frame_decls = saved;
}
