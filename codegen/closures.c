/* closures.c — closures as capture structs and functions.
 *
 * requires: each Closure's captures and kind (sema/captures.c) and the
 * moves inside its body (borrowck);
 * produces: the closure value (a compound literal of its struct, one field
 * per captured place), its body as `NAME_call` / `_call_mut` /
 * `_call_once` taking the environment by pointer, and calls of callables
 * (closures, fn items, fn pointers). */
#include "cg_int.h"

/* A callable argument of a std method, ready to call: a closure value goes
 * to a temporary (its env, called by pointer; dropped at the end of the
 * statement when it owns something), a fn item or pointer stays as it is. */
char *callable_value(Expr *fe, char *v)
{
    Type *t = fe->ty;
    if (t->kind != TY_CLOSURE)
        return v;
    char *tmp = is_ident_text(v) ? v : hoist(t, v, "closure");
    if (has_drop(t) && t->clo->kind != FN_ONCE) /* the std method took it: its end drops it */
        add_pending(t, tmp, NULL);
    return tmp;
}

/* The call of a callable `fv` of type t (see callable_value) with `args`. */
char *call_callable(Type *t, const char *fv, const char *args)
{
    if (t->kind == TY_CLOSURE)
        return xprintf("%s_%s(&%s%s%s)", mangle(t), call_suffix[t->clo->kind], fv, *args ? ", " : "", args);
    return xprintf("%s(%s)", fv, args);
}

/* Inside a closure's function: a captured place is reached through `env`. */
char *capture_text(Expr *e)
{
    if (!cg->closure)
        return NULL;
    Expr *u = unparen(e);
    if (u->kind != EX_PATH && u->kind != EX_FIELD && u->kind != EX_TUPLE_FIELD &&
        !(u->kind == EX_UNARY && u->unop == UN_DEREF))
        return NULL;
    Capture *cp = sema_capture_of(cg->closure, u);
    if (!cp)
        return NULL;
    if (e->moves && env_consumed(cg->closure) && env_flagged(cp))
        clear_flag(env_flag(cp)); /* the body moves it out */
    return cp->mode == CAP_VALUE ? env_place(cp) : xprintf("(*%s)", env_place(cp));
}

/* Inside a closure's function: the place e reaches after `derefs` auto-derefs
 * (`g.bx.name` reads `*g.bx`), when that place is what the closure captured. */
char *capture_text_deref(Expr *e, int derefs)
{
    if (!cg->closure || !derefs)
        return NULL;
    Capture *cp = sema_capture_of_deref(cg->closure, unparen(e), derefs);
    if (!cp)
        return NULL;
    return cp->mode == CAP_VALUE ? env_place(cp) : xprintf("(*%s)", env_place(cp));
}

/* The function of a closure: its body, taking the environment by pointer
 * (`const` for Fn), written to closure_fns ahead of the enclosing fn. */
void emit_closure_fn(Closure *clo)
{
    StrBuf *out = cg->out;
    int indent = cg->indent, nscopes = cg->nscopes;
    List pending = cg->pending;
    int nframes = cg->nframes;
    struct TempFrame *frames[256];
    memcpy(frames, cg->frames, sizeof frames);
    CgLoop *loops = cg->loops;
    Type *ret = cg->ret;
    Closure *outer = cg->closure;
    CgScope *scopes[256];
    memcpy(scopes, cg->scopes, sizeof scopes);

    StrBuf buf, proto;
    sb_init(&buf);
    sb_init(&proto);
    cg->out = &buf;
    cg->indent = 1;
    cg->pending = (List){0};
    cg->nframes = 0;
    cg->nscopes = 0;
    cg->loops = NULL;
    cg->ret = clo->ret;
    cg->closure = clo;
    struct AsyncFrame *frame = cg->frame; /* (a closure in an async fn: a C function of its own) */
    bool frame_decls = cg->frame_decls;
    cg->frame = NULL;
    cg->frame_decls = false;
    sb_printf(&proto, "MRS_LOCAL %s %s_%s(%s%s *env", cret(clo->ret), clo->cname, call_suffix[clo->kind],
              clo->kind == FN_FN ? "const " : "", clo->cname);
    Expr *e = clo->expr;
    for (int i = 0; i < e->params.len; i++) {
        ClosureParam *cp = e->params.items[i];
        Pat *p = cp->pat;
        bool simple = p->kind == PAT_IDENT && p->local && !p->def && !p->sub && !p->bind_ref;
        sb_printf(&proto, ", %s", decl(clo->params[i], simple ? p->local->cname : xprintf("arg_%d", i)));
    }
    sb_puts(&proto, ")");
    sb_printf(&cg->protos, "%s;\n", proto.data);
    Span sp = e->span;
    sb_printf(&buf, "/* the body of the closure at %d:%d (%s): %s */\n%s\n{\n", sp.line, sp.col,
              kind_name[clo->kind],
              clo->kind == FN_ONCE  ? "called once, it consumes its environment"
              : clo->kind == FN_MUT ? "it may change its environment, so the env pointer is not const"
                                    : "it only reads its environment",
              proto.data);
    if (!clo->captures.len)
        emit("(void)env; /* it captures nothing */");
    if (clo->kind == FN_ONCE)
        for (int i = 0; i < clo->captures.len; i++) {
            Capture *cp = clo->captures.items[i];
            if (env_flagged(cp))
                emit("bool env_%s_live = true; /* drop flag: the body moves `%s` out */", cp->field, cp->place);
        }
    if (clo->kind == FN_ONCE) /* last first, so that a panic drops them in capture order */
        for (int i = clo->captures.len - 1; i >= 0; i--) {
            Capture *cp = clo->captures.items[i];
            if (!env_guarded(cp))
                continue;
            emit("MrsUnwindGuard env_%s_guard = { mrs_unwind_top, &env->%s, %s, %s }; /* a panic drops `%s` */",
                 cp->field, cp->field, unwind_drop_fn(cp->type),
                 env_flagged(cp) ? xprintf("&env_%s_live", cp->field) : "NULL", cp->place);
            emit("mrs_unwind_top = &env_%s_guard;", cp->field);
        }
    cg_push_scope();
    for (int i = 0; i < e->params.len; i++) {
        ClosureParam *cp = e->params.items[i];
        Pat *p = cp->pat;
        if (p->kind == PAT_IDENT && p->local && !p->def && !p->sub && !p->bind_ref)
            register_local(p->local);
        else if (p->kind == PAT_WILD)
            emit("(void)arg_%d; /* `_` */", i);
        else
            pat_bind(p, xprintf("arg_%d", i));
    }
    Expr *b = unparen(e->body);
    Block *outer_body = cg->body;
    if (b->kind == EX_BLOCK && !b->label && !b->is_unsafe) {
        cg->body = b->block;
        cg_block_into(b->block, (Dest){D_RETURN, NULL}, true);
        if (!is_void(cg->ret) && b->block->tail && is_blocklike(b->block->tail))
            emit("mrs_unreachable(); /* every path above returns */");
    } else {
        cg_into(e->body, (Dest){D_RETURN, NULL});
        if (!is_void(cg->ret) && is_blocklike(e->body))
            emit("mrs_unreachable(); /* every path above returns */");
    }
    cg->body = outer_body;
    sb_puts(&buf, "}\n\n");
    sb_puts(&cg->closure_fns, buf.data);
    sb_free(&buf);
    sb_free(&proto);

    cg->out = out;
    cg->indent = indent;
    cg->nscopes = nscopes;
    memcpy(cg->scopes, scopes, sizeof scopes);
    cg->pending = pending;
    cg->nframes = nframes;
    memcpy(cg->frames, frames, sizeof frames);
    cg->loops = loops;
    cg->ret = ret;
    cg->closure = outer;
    cg->frame = frame;
    cg->frame_decls = frame_decls;
}

/* What a closure's (or async block's) environment field for capture cp is filled with,
 * where the closure is made: a pointer to the place it borrows, or the value it takes
 * (moving it). */
char *capture_value(Capture *cp)
{
    if (cp->mode != CAP_VALUE)
        return addr_text(cg_place(cp->place_expr));
    Expr *mv = NEW(Expr);
    *mv = *cp->place_expr;
    mv->adjust = NULL;
    mv->moves = !sema_is_copy(cg->fn, cp->type) ? cp->root : NULL;
    return cg_expr(mv);
}

/* A closure expression: its function is emitted, and its value is the
 * environment, built here: a pointer to each place it borrows, the value
 * of each it captures by value (moving it). */
char *cg_closure(Expr *e)
{
    Closure *clo = e->sema;
    if (clo->async_fn)
        return cg_async_block(e);
    const char *ct = ctype(e->ty);
    emit_closure_fn(clo);
    if (!clo->captures.len)
        return xprintf("(%s){0}", ct);
    StrBuf sb;
    sb_init(&sb);
    sb_printf(&sb, "(%s){", ct);
    for (int i = 0; i < clo->captures.len; i++) {
        Capture *cp = clo->captures.items[i];
        sb_printf(&sb, "%s.%s = %s", i ? ", " : "", cp->field, capture_value(cp));
    }
    sb_puts(&sb, "}");
    char *r = xstrdup(sb.data);
    sb_free(&sb);
    return r;
}
