/* cfuture.c — Tier 4 in C: Pin (erased to its pointer), the #[pin_project] projections,
 * Context/Waker/Poll, Instant, and futures::executor::block_on.
 *
 * requires: a typed instance (sema) whose Pin<P> values are P's C values;
 * produces: the calls and helpers of the Pin, task and Instant rows, a
 * `T_project(T *self)` per projected type, and a `block_on_F` per future type
 * that polls it until Ready, parking while it is Pending. */
#include "cg_int.h"

#include <string.h>

/* What the Pin's pointer points at: Pin<&mut X>, Pin<Box<X>> -> X. */
static Type *pin_target(Type *pin) { return pin->args[0]->args[0]; }

/* `x.project()` / `x.project_ref()` of a #[pin_project] type t: a function that makes the
 * projection struct, one pointer per field (the pinned ones stay pinned: the struct's
 * field types say Pin, the C pointer is the same). */
static const char *project_fn(Type *t, Type *proj, bool ref)
{
    const char *name = xprintf("%s_%s", mangle(t), ref ? "project_ref" : "project");
    if (helper_done(name))
        return name;
    need_type(proj);
    Saved sv;
    StrBuf *b = begin_helper(xprintf("%s %s(%sself)", ctype(proj), name, pointer_to(ctype(t), ref)), &sv);
    AdtDef *a = t->adt;
    emit("/* Pin<%s%s> -> %s: each #[pin] field as a pinned pointer, the others as plain ones */",
         ref ? "&" : "&mut ", ty_str(t), ty_str(proj));
    if (!a->is_enum) {
        VariantInfo *v = &a->variants[0];
        StrBuf sb;
        sb_init(&sb);
        for (int i = 0; i < v->nfields; i++)
            sb_printf(&sb, "%s&self->%s", i ? ", " : "", field_name(v, i));
        emit("return (%s){%s};", ctype(proj), v->nfields ? sb.data : "0");
        sb_free(&sb);
    } else {
        emit("switch (self->tag) {");
        for (int k = 0; k < a->nvariants; k++) {
            VariantInfo *v = &a->variants[k];
            char **vals = arena_alloc(g_arena, sizeof(char *) * (size_t)(v->nfields + 1));
            for (int i = 0; i < v->nfields; i++)
                vals[i] = xprintf("&self->%s.%s", v->name, field_name(v, i));
            emit("case %s_%s:", mangle(t), v->name);
            emit("    return %s;", construct(proj, k, vals, v->nfields));
        }
        emit("default:");
        emit("    mrs_unreachable();");
        emit("}");
    }
    end_helper(b, &sv);
    return name;
}

/* F::Output of concrete future type x. */
Type *std_future_output_c(Type *x) { return ty_resolve(ty_proj(x, cg->prog->future, 0)); }

/* ready_poll_T / pending_poll_T / poll_fn_poll_F / join_poll_A_B: the poll of a std future,
 * taking it by pointer as a user future's poll does. */
static const char *std_poll_fn(Type *x)
{
    const char *name = xprintf("poll_%s", mangle(x));
    if (helper_done(name))
        return name;
    Type *out = std_future_output_c(x);
    Type *pt = ty_adt(cg->prog->poll, &out, 1);
    need_type(pt);
    Saved sv;
    StrBuf *b = begin_helper(xprintf("%s %s(%sself, MrsContext *cx)", ctype(pt), name, pointer_to(ctype(x), false)), &sv);
    switch (x->std->id) {
    case STD_READY: {
        Type *opt = ty_adt(cg->prog->option, x->args, 1);
        emit("(void)cx;");
        emit("if (self->tag == %s_None)", mangle(opt));
        emit("    mrs_panic_cstr(MRS_LOC(MRS_RUSTC_SRC \"core/src/future/ready.rs\", 27, 40), \"`Ready` polled after completion\");");
        emit("%s v = self->Some._0; /* taken: the value leaves with Ready */", ctype(out));
        emit("self->tag = %s_None;", mangle(opt));
        emit("return %s;", construct(pt, 0, (char *[]){"v"}, 1));
        break;
    }
    case STD_PENDING:
        emit("(void)self;");
        emit("(void)cx;");
        emit("return %s; /* never ready, never wakes */", construct(pt, 1, NULL, 0));
        break;
    case STD_POLLFN:
        emit("return %s;", call_callable(x->args[0], "(*self)", "cx"));
        break;
    case STD_JOIN:
    case STD_JOIN3: {
        const char *sub[3] = {"a", "b", "c"};
        int n = x->nargs;
        for (int i = 0; i < n; i++) {
            Type *f = x->args[i], *o = std_future_output_c(f);
            Type *fp = ty_adt(cg->prog->poll, &o, 1);
            Type *oo = ty_adt(cg->prog->option, &o, 1);
            need_type(fp);
            emit("if (!self->%s_done) {", sub[i]);
            cg->indent++;
            emit("%s r = %s(&self->%s, cx);", ctype(fp), poll_fn_name(f), sub[i]);
            emit("if (r.tag == %s_Ready) { /* done: the future goes, its output stays */", mangle(fp));
            cg->indent++;
            emit_drop_place(f, xprintf("self->%s", sub[i]));
            emit("self->%s_done = true;", sub[i]);
            emit("self->%s_out = %s;", sub[i], construct(oo, 1, (char *[]){"r.Ready._0"}, 1));
            cg->indent--;
            emit("}");
            cg->indent--;
            emit("}");
        }
        emit("if (!self->a_done || !self->b_done%s)", n == 3 ? " || !self->c_done" : "");
        emit("    return %s;", construct(pt, 1, NULL, 0));
        emit("%s all = {self->a_out.Some._0, self->b_out.Some._0%s};", ctype(out), n == 3 ? ", self->c_out.Some._0" : "");
        for (int i = 0; i < n; i++) {
            Type *o = std_future_output_c(x->args[i]);
            emit("self->%s_out.tag = %s_None;%s", sub[i], mangle(ty_adt(cg->prog->option, &o, 1)), i ? "" : " /* (moved out) */");
        }
        emit("return %s;", construct(pt, 0, (char *[]){"all"}, 1));
        break;
    }
    default:
        ICE("no poll for std type %s", ty_str(x));
    }
    end_helper(b, &sv);
    return name;
}

/* The C function that polls a future of concrete type x: `(X *self, MrsContext *cx)`. */
const char *poll_fn_name(Type *x)
{
    if (x->kind == TY_ASYNC)
        return xprintf("%s_poll", async_base_name(x));
    if (x->kind == TY_DYN) { /* through the vtable (a macro: the pointer is a Box or an &mut) */
        need_vtable_struct(x->trait);
        return xprintf("poll_dyn_%s", trait_c(x->trait));
    }
    if (x->kind == TY_STD && std_future_output(x))
        return std_poll_fn(x);
    return user_impl_fn(x, cg->prog->future, "poll");
}

/* block_on_F: poll a future of type ft (an F by value, a Pin<&mut F>, a Pin<Box<F>> or an
 * &mut F) until it is Ready, and give its output. A future taken by value is dropped
 * inside, once Ready (or by a panic in its poll). */
static const char *block_on_fn(Type *ft, Type *out)
{
    const char *name = xprintf("block_on_%s", mangle(ft));
    if (helper_done(name))
        return name;
    bool pinned_ref = ty_is_std(ft, STD_PIN) && ft->args[0]->kind == TY_REF;
    bool boxed = ty_is_std(ft, STD_PIN) && ty_is_std(ft->args[0], STD_BOX);
    Type *x = ty_is_std(ft, STD_PIN) ? pin_target(ft) : ft->kind == TY_REF ? ft->args[0] : ft;
    const char *poll = poll_fn_name(x);
    Type *pt = ty_adt(cg->prog->poll, &out, 1);
    need_type(pt);
    Saved sv;
    StrBuf *b = begin_helper(xprintf("%s %s(%s)", ctype(out), name, decl(ft, "fut")), &sv);
    bool owned = !pinned_ref && ft->kind != TY_REF && has_drop(ft);
    const char *self = pinned_ref || boxed || ft->kind == TY_REF ? "fut" : "&fut";
    emit("MrsExecutor ex; /* this thread's task: its Waker, and the Context polls get */");
    emit("mrs_executor_init(&ex);");
    if (owned && runs_user_drop(ft)) {
        emit("MrsUnwindGuard fut_guard = { mrs_unwind_top, &fut, %s, NULL }; /* a panic in poll drops the future */",
             unwind_drop_fn(ft));
        emit("mrs_unwind_top = &fut_guard;");
    }
    emit("for (;;) {");
    cg->indent++;
    emit("%s r = %s(%s, &ex.cx);", ctype(pt), poll, self);
    emit("if (r.tag == %s_Ready) {", mangle(pt));
    cg->indent++;
    if (owned && runs_user_drop(ft))
        emit("mrs_unwind_top = fut_guard.prev;");
    if (owned)
        emit_drop_place(ft, "fut");
    emit("mrs_executor_done(&ex);");
    emit("return r.Ready._0;");
    cg->indent--;
    emit("}");
    emit("mrs_executor_park(&ex); /* Pending: wait for a wake (at once if poll woke it) */");
    cg->indent--;
    emit("}");
    end_helper(b, &sv);
    return name;
}

char *block_on_call(Expr *e, char **a)
{
    Expr *arg = e->args.items[0];
    return xprintf("%s(%s)", block_on_fn(arg->ty, e->ty), a[0]);
}

/* std::future::ready(v), pending(), poll_fn(f), futures::future::join(a, b) */
char *std_future_new(Expr *e, char **a)
{
    Type *t = e->ty;
    switch (e->operand->def->builtin) {
    case BI_FUTURE_READY:
        return construct(ty_adt(cg->prog->option, t->args, 1), 1, a, 1);
    case BI_FUTURE_PENDING:
        return xstrdup("(MrsUnit){0} /* pending(): nothing to hold */");
    case BI_FUTURE_POLL_FN:
        return a[0];
    case BI_FUTURE_JOIN:
        need_type(t);
        return xprintf("(%s){.a = %s, .b = %s} /* join: neither polled yet */", ctype(t), a[0], a[1]);
    case BI_FUTURE_JOIN3:
        need_type(t);
        return xprintf("(%s){.a = %s, .b = %s, .c = %s} /* join3: none polled yet */", ctype(t), a[0], a[1], a[2]);
    default:
        return dummy(t);
    }
}

/* Pin::new(p), Pin::new_unchecked(p), Box::pin(x), Instant::now() */
char *future_static_call(Expr *e, char **a)
{
    Type *t = e->ty;
    switch (e->operand->def->bm) {
    case BM_PIN_NEW:
    case BM_PIN_NEW_UNCHECKED:
        return xprintf("%s /* pinned: its target stays where it is */", a[0]);
    case BM_BOX_PIN:
        return xprintf("%s(%s) /* Box::pin: the box's contents never move */", box_new_fn(t->args[0]->args[0]), a[0]);
    case BM_INSTANT_NOW:
        return xstrdup("mrs_instant_now()");
    case BM_WAKER_NOOP:
        return xstrdup("mrs_waker_noop()");
    case BM_CONTEXT_FROM_WAKER:
        return xprintf("(MrsContext){%s}", a[0]);
    default:
        not_supported(e->span, xprintf("`%s`", diag_source_text(e->operand->span)));
        return dummy(t);
    }
}

/* The rows of Pin, Context, Waker, Poll and Instant; p is the receiver's place (after its
 * derefs), a the arguments. */
char *future_method(Expr *e, MethodRes *mr, char *p, char **a)
{
    Type *b = mr->self_ty;
    switch (mr->bm) {
    case BM_PIN_AS_MUT:
    case BM_PIN_AS_REF:
    case BM_PIN_GET_MUT:
    case BM_PIN_GET_REF:
    case BM_PIN_INTO_REF:
    case BM_PIN_GET_UNCHECKED_MUT:
        if (e->ty && strcmp(ctype(e->ty), ctype(b)) && ty_is_std(b, STD_PIN) &&
            ty_resolve(pin_target(b))->kind == TY_DYN) /* a Box<dyn ..> as an &dyn: the same two pointers */
            return xprintf("(%s){%s.data, %s.vtable}", ctype(e->ty), p, p);
        return xstrdup(p); /* (the same pointer, its promise changed) */
    case BM_PIN_INTO_INNER:
        return xstrdup(p);
    case BM_PIN_SET: { /* the old target is dropped in place, the new one written there */
        char *at = deref_text(p);
        emit_drop_place(pin_target(b), at);
        emit("%s = %s; /* Pin::set */", at, a[0]);
        return NULL;
    }
    case BM_PIN_MAP_UNCHECKED_MUT:
    case BM_PIN_MAP_UNCHECKED: {
        Expr *fe = e->args.items[0];
        return call_callable(fe->ty, callable_value(fe, a[0]), p);
    }
    case BM_PIN_PROJECT:
    case BM_PIN_PROJECT_REF: {
        Type *t = pin_target(b);
        return xprintf("%s(%s)", project_fn(t, e->ty, mr->bm == BM_PIN_PROJECT_REF), p);
    }
    case BM_CONTEXT_WAKER:
        return xprintf("%s->waker", postfix_text(addr_text(p)));
    case BM_WAKER_WAKE_BY_REF:
        emit("mrs_waker_wake_by_ref(%s);", addr_text(p));
        return NULL;
    case BM_WAKER_WAKE:
        emit("mrs_waker_wake(%s);", p);
        return NULL;
    case BM_WAKER_WILL_WAKE:
        return xprintf("mrs_waker_will_wake(%s, %s)", addr_text(p), a[0]);
    case BM_POLL_IS_READY:
    case BM_POLL_IS_PENDING:
        return xprintf("(%s.tag == %s_%s)", postfix_text(p), mangle(b), mr->bm == BM_POLL_IS_READY ? "Ready" : "Pending");
    case BM_POLL_MAP: {
        Expr *fe = e->args.items[0];
        char *v = once(b, p);
        char *fv = callable_value(fe, a[0]);
        char *mapped = call_callable(fe->ty, fv, xprintf("%s.Ready._0", v));
        return xprintf("(%s.tag == %s_Ready ? %s : %s)", v, mangle(b), construct(e->ty, 0, &mapped, 1),
                       construct(e->ty, 1, NULL, 0));
    }
    case BM_PTR_IS_NULL:
        return xprintf("(%s == NULL)", p);
    case BM_PTR_ADD:
    case BM_PTR_OFFSET:
        return xprintf("(%s + %s)", p, a[0]);
    case BM_INSTANT_ELAPSED:
        return xprintf("mrs_instant_elapsed(%s)", p);
    case BM_INSTANT_DURATION_SINCE:
        return xprintf("mrs_instant_since(%s, %s)", p, a[0]);
    default:
        return NULL;
    }
}

/* ---- async fn: a frame struct and a poll that switches on its state ---------------------- */

static bool is_await(Expr *e) { return e->kind == EX_AWAIT; }

bool awaits_in(Expr *e)
{
    return ast_expr_any(e, is_await);
}

static bool block_awaits(Block *b)
{
    for (int i = 0; b && i < b->stmts.len; i++) {
        Stmt *s = b->stmts.items[i];
        if (awaits_in(s->init) || awaits_in(s->expr))
            return true;
    }
    return b && awaits_in(b->tail);
}

/* A statement that awaits keeps its C variables in the frame (a suspension falls inside
 * it), and so does a `let` whose temporaries live on in its block; the others use C's. */
bool stmt_in_frame(Stmt *s)
{
    if (!cg->frame)
        return false;
    if (s->kind == ST_LET)
        return awaits_in(s->init) || s->bck_extended.len > 0 || (s->els && block_awaits(s->els));
    return s->kind == ST_EXPR && awaits_in(s->expr);
}

void frame_field_raw(const char *ctext, const char *name)
{
    AsyncFrame *fr = cg->frame;
    for (int i = 0; i < fr->names.len; i++)
        if (!strcmp(fr->names.items[i], name))
            return;
    list_push(&fr->names, xstrdup(name));
    list_push(&fr->types, NULL); /* (written with its C type: owns nothing the glue drops) */
    size_t n = strlen(ctext);
    sb_printf(&fr->fields, "    %s%s%s;\n", ctext, n && ctext[n - 1] == '*' ? "" : " ", name);
}

bool frame_field(Type *t, const char *name)
{
    AsyncFrame *fr = cg->frame;
    if (!fr || strncmp(name, "self->", 6))
        return false;
    const char *f = name + 6;
    for (int i = 0; i < fr->names.len; i++)
        if (!strcmp(fr->names.items[i], f)) {
            if (fr->types.items[i] && fr->types.items[i] != t)
                ICE("frame field %s of two types", f);
            return true;
        }
    list_push(&fr->names, xstrdup(f));
    list_push(&fr->types, t);
    cg->frame = NULL; /* (a plain declaration of the field) */
    sb_printf(&fr->fields, "    %s;\n", decl(t, f));
    cg->frame = fr;
    return true;
}

/* The C names of async fn future type t: its frame struct, its poll. */

/* `fut.await`: the future moves into the frame, the state says where to come back, and
 * the poll returns Pending until the future is Ready; its output is the value. */
char *cg_await(Expr *e)
{
    AsyncFrame *fr = cg->frame;
    int k = e->await_index;
    Type *ft = e->operand->ty;
    char *v = cg_expr(e->operand);
    char *aw = xprintf("self->awaiting_%d", k);
    emit("/* `%s` */", one_line(diag_source_text(e->span)));
    emit("%s = %s; /* the future it waits for lives in the frame */", decl(ft, aw), v);
    if (has_drop(ft))
        emit("%s = true;", decl(ty_prim(TY_BOOL), xprintf("%s_live", aw)));
    Type *out = e->ty;
    Type *pt = ty_adt(cg->prog->poll, &out, 1);
    need_type(pt);
    char *r = xprintf("polled_%d", k); /* (a C variable: it is read only right after the poll) */
    AsyncFrame *saved = cg->frame;
    cg->frame = NULL;
    emit("%s;", decl(pt, r));
    cg->frame = saved;
    emit("self->state = %d; /* where a poll comes back to */", k);
    cg->indent--;
    emit("resume_%d:", k);
    cg->indent++;
    /* a Pin<&mut F>, a Pin<Box<F>> or an &mut F: the pointer is the future's address */
    bool ptr = ty_is_std(ft, STD_PIN) || ft->kind == TY_REF;
    Type *target = ty_is_std(ft, STD_PIN) ? ft->args[0]->args[0] : ft->kind == TY_REF ? ft->args[0] : ft;
    emit("%s = %s(%s%s, cx);", r, poll_fn_name(target), ptr ? "" : "&", aw);
    emit("if (%s.tag == %s_Pending)", r, mangle(pt));
    emit("    return %s; /* not yet: the caller polls again after a wake */", construct(fr->poll, 1, NULL, 0));
    if (has_drop(ft)) {
        emit("%s_live = false;", aw);
        emit_drop_place(ft, aw);
    }
    return xprintf("%s.Ready._0", r);
}

void frame_return(Type *t, const char *val)
{
    AsyncFrame *fr = cg->frame;
    emit("self->state = -1; /* done: polling it again panics */");
    char *v = val ? (char *)val : (char *)"(MrsUnit){0}";
    (void)t;
    emit("return %s;", construct(fr->poll, 0, &v, 1));
}

/* The frame's drop glue: what it holds, by the flags of its locals and of the future
 * it waits for, then (an async block's) what it captured by value, in capture order. */
static void frame_drop_fn(Type *fut, AsyncFrame *fr, Closure *clo)
{
    const char *name = xprintf("drop_%s", mangle(fut));
    helper_done(name);
    Saved sv;
    StrBuf *b = begin_helper(xprintf("void %s(%s *v)", name, mangle(fut)), &sv);
    emit("if (v->state == -1)");
    emit("    return; /* it finished: what it owned was dropped or given away */");
    emit("/* dropped before it finished (or by a panic): each owned local still live, and the awaited future */");
    bool any = false;
    for (int i = fr->names.len - 1; i >= 0; i--) { /* the awaited future first, then the locals, newest first */
        const char *n = fr->names.items[i];
        size_t len = strlen(n);
        if (len > 5 && !strcmp(n + len - 5, "_live")) {
            char *base = xstrndup(n, len - 5);
            Type *bt = NULL;
            for (int k = 0; k < fr->names.len; k++)
                if (!strcmp(fr->names.items[k], base))
                    bt = fr->types.items[k];
            if (bt && has_drop(bt)) {
                emit("if (v->%s) {", n);
                cg->indent++;
                emit_drop_place(bt, xprintf("v->%s", base));
                emit("v->%s = false;", n);
                cg->indent--;
                emit("}");
                any = true;
            }
        }
    }
    for (int i = 0; clo && i < clo->captures.len; i++) {
        Capture *cp = clo->captures.items[i];
        if (cp->mode != CAP_VALUE || !has_drop(cp->type))
            continue;
        if (i == 0 || !any)
            emit("/* what the block captured by value and still owns, in capture order */");
        emit("if (v->%s_live)", cp->field);
        cg->indent++;
        emit_drop_place(cp->type, xprintf("v->%s", cp->field));
        cg->indent--;
        any = true;
    }
    if (!any)
        emit("(void)v;");
    end_helper(b, &sv);
}

/* A frame field name that is not one of the frame's own (`state`, `awaiting_k`). */
static char *frame_name(const char *cname)
{
    if (!strcmp(cname, "state") || !strncmp(cname, "awaiting_", 9))
        return xprintf("%s_", cname);
    return (char *)cname;
}

/* The poll of an async fn's or an async block's frame, written to a buffer: the body, its
 * own locals (those of closure `clo`, NULL for a fn's) in the frame. Returns the body. */
static char *poll_body(AsyncFrame *fr, FnDef *owner, Closure *clo, int nawaits, Block *body, Span at,
                       const char *what)
{
    cg->ret = fr->out;
    cg->pending = (List){0};
    cg->nframes = 0;
    cg->nscopes = 0;
    cg->loops = NULL;
    cg->closure = clo;
    char **saved = arena_alloc(g_arena, sizeof(char *) * (size_t)(owner->locals.len + 1));
    for (int i = 0; i < owner->locals.len; i++) { /* (an inner closure's locals stay its C function's) */
        Local *l = owner->locals.items[i];
        saved[i] = l->cname;
        if (l->closure == clo && (l->held || (!clo && l->is_param))) /* (the others: C variables of the poll) */
            l->cname = xprintf("self->%s", frame_name(l->cname));
    }
    cg->frame = fr;
    cg->frame_decls = false;
    StrBuf b;
    sb_init(&b);
    cg->out = &b;
    cg->indent = 1;
    emit("(void)cx;");
    emit("switch (self->state) { /* where the last poll stopped */");
    emit("case 0: /* not started */");
    emit("    break;");
    for (int k = 1; k <= nawaits; k++)
        emit("case %d:\n        goto resume_%d;", k, k);
    emit("default: /* returned already */");
    emit("    mrs_panic_cstr(%s, \"`%s` resumed after completion\");", loc(at), what);
    emit("}");
    cg_push_scope();
    for (int i = 0; !clo && i < owner->locals.len; i++) {
        Local *l = owner->locals.items[i];
        if (l->is_param && !l->closure)
            register_local(l);
    }
    cg->body = body;
    cg_block_into(body, (Dest){D_RETURN, NULL}, true);
    cg->nscopes = 0;
    cg->frame = NULL;
    for (int i = 0; i < owner->locals.len; i++)
        ((Local *)owner->locals.items[i])->cname = saved[i];
    return b.data ? b.data : xstrdup("");
}

static void frame_struct(const char *frame_t, const char *what, AsyncFrame *fr)
{
    sb_printf(&cg->forward, "typedef struct %s %s;\n", frame_t, frame_t);
    sb_printf(&cg->types,
              "/* the future of %s: the state of its poll (0 not started, k suspended at\n"
              " * the k-th `.await`, -1 done) and the variables its poll keeps across them */\n"
              "struct %s {\n    int state;\n%s};\n\n",
              what, frame_t, fr->fields.data ? fr->fields.data : "");
}

static void frame_init(AsyncFrame *fr, Type *out)
{
    *fr = (AsyncFrame){0};
    sb_init(&fr->fields);
    fr->out = out;
    fr->poll = ty_adt(cg->prog->poll, &out, 1);
    need_type(fr->poll);
}

void cg_async_fn(FnDef *f)
{
    { /* the generic async fns' instances it awaits: their frames come first */
        List deps = {0};
        awaited_futures(f->item->body, &deps);
        for (int i = 0; i < deps.len; i++)
            if (((Type *)deps.items[i])->nargs)
                emit_async_instance(deps.items[i]);
    }
    Type *fut = cg->subst ? ty_subst(f->ret, cg->subst, f->ntparams) : f->ret;
    Type *out = cg->subst ? ty_subst(f->async_out, cg->subst, f->ntparams) : f->async_out;
    const char *fname = async_base_name(fut);
    const char *frame_t = mangle(fut);
    AsyncFrame fr;
    frame_init(&fr, out);
    cg->fn = f;
    cg->tmp = 0;
    if (cg->inst_cname)
        name_closures(f, cg->inst_cname);
    cg->frame = &fr;
    for (int i = 0; i < f->locals.len; i++) { /* the parameters: fields the call fills */
        Local *l = f->locals.items[i];
        if (l->is_param && !l->closure)
            frame_field(l->type, xprintf("self->%s", frame_name(l->cname)));
    }
    char *body = poll_body(&fr, f, NULL, f->nawaits, f->item->body, f->item->name_span, "async fn");
    frame_struct(frame_t, xprintf("`%s`", one_line(rust_sig(f))), &fr);
    /* the call: a frame holding the arguments, not started */
    StrBuf ps, init;
    sb_init(&ps);
    sb_init(&init);
    int n = 0;
    for (int i = 0; i < f->locals.len; i++) {
        Local *l = f->locals.items[i];
        if (!l->is_param || l->closure)
            continue;
        sb_printf(&ps, "%s%s", n++ ? ", " : "", decl(l->type, l->cname));
        sb_printf(&init, ", .%s = %s", frame_name(l->cname), l->cname);
        if (has_drop(l->type)) /* (dropped unstarted, the frame drops it) */
            sb_printf(&init, ", .%s_live = true", frame_name(l->cname));
    }
    sb_printf(&cg->protos, "%s %s(%s);\n", frame_t, fname, n ? ps.data : "void");
    sb_printf(&cg->protos, "%s %s_poll(%s *self, MrsContext *cx);\n", ctype(fr.poll), fname, frame_t);
    cg->whole = true; /* (an async fn's frame and polls stay in one C file) */
    sb_printf(&cg->fns, "/* %s: calling it runs nothing; the frame it returns holds the arguments */\n", rust_sig(f));
    sb_printf(&cg->fns, "%s %s(%s)\n{\n    return (%s){.state = 0%s};\n}\n\n", frame_t, fname, n ? ps.data : "void", frame_t,
              init.data ? init.data : "");
    sb_printf(&cg->fns, "/* its poll: runs the body from where the last poll stopped to the next `.await` that\n"
                        " * is not ready (Pending) or to the end (Ready) */\n%s %s_poll(%s *self, MrsContext *cx)\n{\n%s}\n\n",
              ctype(fr.poll), fname, frame_t, body);
    frame_drop_fn(fut, &fr, NULL);
    sb_free(&ps);
    sb_free(&init);
}

/* The frame and poll of async block future type t (`main_async_0_future`), written once
 * per type: where the block is, or where its type is first needed (a block returned by
 * another fn), in the context of the fn that holds it. */
void emit_async_block(Type *t)
{
    Closure *clo = t->async_fn->async_block;
    const char *frame_t = mangle(t);
    if (helper_done(xprintf("struct %s", frame_t)))
        return;
    CG saved = *cg;
    cg->fn = clo->fn;
    if (t->nargs) {
        cg->subst = t->args;
        cg->inst_cname = inst_name(clo->fn, t->args, t->nargs);
        name_closures(clo->fn, cg->inst_cname);
    }
    cg->block_tail = NULL;
    cg->operand_floor = NULL;
    Type *out = t->nargs ? ty_subst(t->async_fn->async_out, t->args, t->nargs) : t->async_fn->async_out;
    AsyncFrame fr;
    frame_init(&fr, out);
    Type *ct = ty_closure(clo, t->args, t->nargs);
    cg->frame = &fr;
    for (int i = 0; i < clo->captures.len; i++) { /* what it captured: fields the block's value fills */
        Capture *cp = clo->captures.items[i];
        Type *ft = capture_field_type(ct, cp);
        need_type(ft);
        cg->frame = NULL;
        sb_printf(&fr.fields, "    %s; /* captured %s: `%s`, %s */\n", decl(ft, cp->field),
                  cp->mode == CAP_VALUE ? "by value" : cp->mode == CAP_MUT ? "by unique borrow" : "by shared borrow",
                  cp->place, cp->why);
        cg->frame = &fr;
        list_push(&fr.names, xstrdup(cp->field));
        list_push(&fr.types, NULL); /* (the glue drops captures in capture order, after the locals) */
        if (env_flagged(cp)) {
            sb_printf(&fr.fields, "    bool %s_live; /* ... still owned by the block */\n", cp->field);
            list_push(&fr.names, xprintf("%s_live", cp->field));
            list_push(&fr.types, NULL);
        }
    }
    Span sp = clo->expr->span;
    char *body = poll_body(&fr, clo->fn, clo, t->async_fn->nawaits, clo->expr->body->block, sp, "async block");
    frame_struct(frame_t, xprintf("the `async%s` block at %d:%d", clo->expr->is_move ? " move" : "", sp.line, sp.col),
                 &fr);
    const char *fname = xprintf("%s_poll", async_base_name(t));
    sb_printf(&cg->protos, "%s %s(%s *self, MrsContext *cx);\n", ctype(fr.poll), fname, frame_t);
    cg->whole = true;
    sb_printf(&cg->fns, "/* the poll of the async block at %d:%d: runs its body from where the last poll\n"
                        " * stopped to the next `.await` that is not ready (Pending) or to the end (Ready) */\n"
                        "%s %s(%s *self, MrsContext *cx)\n{\n%s}\n\n",
              sp.line, sp.col, ctype(fr.poll), fname, frame_t, body);
    frame_drop_fn(t, &fr, clo);
    cg_restore_context(&saved);
}

/* An async block's value: its frame, not started, holding what it captured (a pointer to
 * each place it borrows, the value of each it takes, moving it). */
char *cg_async_block(Expr *e)
{
    Closure *clo = e->sema;
    Type *t = e->ty;
    emit_async_block(t);
    StrBuf sb;
    sb_init(&sb);
    sb_printf(&sb, "(%s){.state = 0", ctype(t));
    for (int i = 0; i < clo->captures.len; i++) {
        Capture *cp = clo->captures.items[i];
        sb_printf(&sb, ", .%s = %s", cp->field, capture_value(cp));
        if (cp->mode == CAP_VALUE && has_drop(cp->type))
            sb_printf(&sb, ", .%s_live = true", cp->field);
    }
    sb_puts(&sb, "}");
    char *r = xstrdup(sb.data);
    sb_free(&sb);
    return r;
}
