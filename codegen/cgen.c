/* cgen.c — the entry of C emission: the program, its functions and the
 * instances of generic ones.
 *
 * requires: a Program checked by sema and borrowck (every Expr typed, every
 * Local's moves and drop states known);
 * produces: the C11 text (cg_program): the types in dependency order, the
 * per-type helpers, the prototypes, each fn under a comment holding its
 * Rust signature, the generic instances it asked for, and C's main. The
 * shared state of the emitters (CG) and the output primitives (emit,
 * fresh names, source locations) are here too. */
#include "cg_int.h"

CG *cg;

/* The C name of an instance of a generic fn; queues it for emission. */
char *inst_name(FnDef *f, Type **args, int n)
{
    StrBuf sb;
    sb_init(&sb);
    extern const char *cg_mangle(Type *t);
    int first = 0;
    if (f->is_default) {
        /* a trait's default method at Self = T: T_method */
        sb_printf(&sb, "%s_%s", cg_mangle(args[0]), f->name);
        first = 1;
    } else if (f->impl_self && f->npre) {
        /* a method of impl<T> Pair<T> at T = i32: Pair_i32_method; of impl<T>
         * Render<usize> for Wrapper<T>: Wrapper_i32_Render_usize_render */
        sb_printf(&sb, "%s_", cg_mangle(ty_subst(f->impl_self, args, n)));
        TraitDef *tr = f->impl ? f->impl->trait : NULL;
        if (tr && tr->generic) {
            sb_printf(&sb, "%s_", tr->generic->name);
            for (int i = 0; i < tr->generic->ntparams; i++)
                sb_printf(&sb, "%s_", cg_mangle(ty_subst(tr->targs[i], args, n)));
        }
        sb_puts(&sb, f->name);
        first = f->npre;
    } else {
        sb_puts(&sb, f->name); /* instance names never clash with C's */
    }
    for (int i = first; i < n; i++)
        sb_printf(&sb, "_%s", cg_mangle(args[i]));
    char *name = xstrdup(sb.data);
    sb_free(&sb);
    if (strlen(name) > 400 || cg->insts.len > 5000) {
        /* polymorphic recursion: rustc stops at its recursion limit too */
        if (!cg->inst_overflow)
            diag_error(NULL, f->item->name_span, "reached the recursion limit while instantiating `%s`", f->name);
        cg->inst_overflow = true;
        return name;
    }
    for (int i = 0; i < cg->insts.len; i++) {
        CgInst *ci = cg->insts.items[i];
        if (!strcmp(ci->name, name))
            return name;
    }
    if (!f->item->body) {
        /* a trait's required method has no body to instantiate */
        diag_error(NULL, f->item->name_span, "no implementation of `%s` for `%s` was found (mrsc)", f->name,
                   n ? cg_mangle(args[0]) : "?");
        return name;
    }
    CgInst *ci = NEW(CgInst);
    ci->fn = f;
    ci->n = n;
    ci->args = arena_alloc(g_arena, sizeof(Type *) * (size_t)(n + 1));
    memcpy(ci->args, args, sizeof(Type *) * (size_t)n);
    ci->name = name;
    list_push(&cg->insts, ci);
    list_push(&cg->queue, ci);
    return name;
}

/* The C function implementing trait method `name` of tr for type t (an
 * instance name when the impl is generic), or NULL. */
const char *user_impl_fn(Type *t, TraitDef *tr, const char *name)
{
    if (!tr)
        return NULL;
    Inst in;
    FnDef *f = sema_trait_method(cg->prog, t, tr, name, &in);
    if (!f)
        return NULL;
    if (in.fn && in.n)
        return inst_name(f, in.args, in.n);
    return f->cname;
}

/* The C function a call of method decl at instance args runs: for a generic
 * trait's method at a concrete Self, the impl of the instance the arguments
 * name (`Convert<u32>` for Rgb); else the instance of decl itself. */
char *callee_name(FnDef *decl, Type **args, int n)
{
    if (decl->is_default && decl->trait && decl->trait->ntparams && n > decl->trait->ntparams &&
        args[0]->kind != TY_PARAM) {
        Inst in;
        FnDef *m = sema_generic_trait_method(cg->prog, decl, args, &in);
        if (m)
            return in.fn && in.n ? inst_name(m, in.args, in.n) : m->cname;
    }
    return inst_name(decl, args, n);
}

TraitDef *trait_named(const char *name)
{
    for (int i = 0; i < cg->prog->traits.len; i++)
        if (!strcmp(((TraitDef *)cg->prog->traits.items[i])->name, name))
            return cg->prog->traits.items[i];
    return NULL;
}

/* In an async frame, a declaration without initializer (`T x;`) is a field already: the
 * line `self->x;` it became says nothing. */
static bool frame_bare_decl(const char *line)
{
    if (!cg->frame || strncmp(line, "self->", 6))
        return false;
    const char *p = line + 6;
    while (isalnum((unsigned char)*p) || *p == '_')
        p++;
    return *p == ';' && (!p[1] || !strncmp(p + 1, " /*", 3));
}

/* In an async frame, a declaration written with its C type (`bool self->more_3 = ..;`):
 * the field, and the line without its type. */
static char *frame_typed_decl(const char *line)
{
    const char *at = cg->frame ? strstr(line, "self->") : NULL;
    if (!at || at == line)
        return NULL;
    for (const char *p = line; p < at; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_' || *p == ' ' || *p == '*'))
            return NULL;
    static const char *const stmts[] = {"return ", "if ", "else ", "case ", "goto ", "while ", "for ", "do ", NULL};
    for (int i = 0; stmts[i]; i++)
        if (!strncmp(line, stmts[i], strlen(stmts[i])))
            return NULL;
    const char *n = at + 6, *e = n;
    while (isalnum((unsigned char)*e) || *e == '_')
        e++;
    if (*e != ';' && strncmp(e, " = ", 3))
        return NULL;
    char *ct = xstrndup(line, (size_t)(at - line));
    size_t k = strlen(ct);
    while (k && ct[k - 1] == ' ')
        ct[--k] = 0;
    frame_field_raw(ct, xstrndup(n, (size_t)(e - n)));
    return xstrdup(at);
}

void emit(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    StrBuf line;
    sb_init(&line);
    sb_vprintf(&line, fmt, ap);
    va_end(ap);
    char *untyped = line.data ? frame_typed_decl(line.data) : NULL;
    if (untyped) {
        sb_free(&line);
        sb_init(&line);
        sb_puts(&line, untyped);
    }
    if (frame_bare_decl(line.data ? line.data : "")) {
        sb_free(&line);
        return;
    }
    for (int i = 0; i < cg->indent; i++)
        sb_puts(cg->out, "    ");
    sb_puts(cg->out, line.data ? line.data : "");
    sb_free(&line);
    sb_putc(cg->out, '\n');
}

char *fresh(const char *base) { return xprintf("%s%s_%d", cg->frame_decls ? "self->" : "", base, ++cg->tmp); }

/* The location a panic at s reports: s, or in a `#[track_caller]` fn (outside its
 * closures) the caller's, which it receives as its last parameter. */
char *loc(Span s)
{
    if (cg->fn && cg->fn->track_caller && !cg->closure)
        return xstrdup("caller");
    return xprintf("LOC(%u, %u)", s.line, s.col);
}

/* The extra argument of a call of f at s: its location when f is `#[track_caller]`. */
const char *caller_arg(FnDef *f, Span s)
{
    return f->track_caller ? xprintf(", %s", loc(s)) : "";
}

void line_directive(Span s)
{
    if (cg->opt->line_directives && s.line)
        sb_printf(cg->out, "#line %u \"%s\"\n", s.line, cg->opt->src_path);
}

/* A C string literal for bytes s[0..n). */
char *c_string(const char *s, size_t n)
{
    StrBuf sb;
    sb_init(&sb);
    sb_putc(&sb, '"');
    bool prev_hex = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        bool hex = false;
        switch (ch) {
        case '"': sb_puts(&sb, "\\\""); break;
        case '\\': sb_puts(&sb, "\\\\"); break;
        case '\n': sb_puts(&sb, "\\n"); break;
        case '\t': sb_puts(&sb, "\\t"); break;
        case '\r': sb_puts(&sb, "\\r"); break;
        case '?': sb_puts(&sb, "\\?"); break;
        default:
            if (ch < 0x20 || ch >= 0x7f) {
                sb_printf(&sb, "\\x%02x", ch);
                hex = true;
            } else {
                if (prev_hex && isxdigit(ch))
                    sb_puts(&sb, "\"\"");
                sb_putc(&sb, (char)ch);
            }
        }
        prev_hex = hex;
    }
    sb_putc(&sb, '"');
    char *r = xstrdup(sb.data);
    sb_free(&sb);
    return r;
}

/* The Rust signature as written, on one line, for the comment above the C function. */
char *rust_sig(FnDef *f)
{
    const char *src = diag_source_text(f->item->sig->span);
    StrBuf sb;
    sb_init(&sb);
    bool space = false;
    for (const char *p = src; *p; p++) {
        if (isspace((unsigned char)*p)) {
            space = true;
            continue;
        }
        if (space && sb.len && sb.data[sb.len - 1] != '(' && *p != ')' && *p != ',')
            sb_putc(&sb, ' ');
        space = false;
        if (*p == '*' && p[1] == '/')
            sb_puts(&sb, "* ");
        else
            sb_putc(&sb, *p);
    }
    char *r = xstrdup(sb.data ? sb.data : "");
    sb_free(&sb);
    if (f->impl && f->impl->item && f->impl->item->trait_path)
        return xprintf("impl %s for %s: %s", diag_source_text(f->impl->item->trait_path->span),
                       ty_str(f->impl->self_ty), r);
    if (f->is_default && cg->subst)
        return xprintf("impl %s for %s: %s (default from trait %s)", f->trait->name, ty_str(cg->subst[0]), r,
                       f->trait->name);
    if (f->owner)
        return xprintf("impl %s: %s", f->owner->name, r);
    return r;
}

char *c_proto(FnDef *f)
{
    StrBuf sb;
    sb_init(&sb);
    sb_printf(&sb, "%s %s(", cret(cg->ret), cg->inst_cname ? cg->inst_cname : f->cname);
    int n = 0;
    for (int i = 0; i < f->locals.len && n < f->nparams; i++) {
        Local *l = f->locals.items[i];
        if (!l->is_param)
            continue;
        sb_printf(&sb, "%s%s", n ? ", " : "", local_decl(l, true));
        n++;
    }
    if (f->track_caller)
        sb_printf(&sb, "%sMrsLoc caller", n ? ", " : "");
    else if (n == 0)
        sb_puts(&sb, "void");
    sb_putc(&sb, ')');
    char *r = xstrdup(sb.data);
    sb_free(&sb);
    return r;
}

/* The C names of f's closures: `main_closure_0`, `adder_closure_0`, or after
 * an instance's name. Done for every fn before any is emitted, since a closure
 * type can leave its fn (`-> impl Fn(i32) -> i32`). */
void name_closures(FnDef *f, const char *fname)
{
    for (int i = 0; i < f->closures.len; i++) {
        Closure *clo = f->closures.items[i];
        clo->cname = xprintf(clo->async_fn ? "%s_async_%d" : "%s_closure_%d", fname, clo->index);
    }
}

/* Back to the fn being written after writing another body (an async block's poll) from
 * a copy of cg taken before: its context comes back, what was written stays. */
void cg_restore_context(const CG *saved)
{
    CG now = *cg;
    *cg = *saved;
    cg->forward = now.forward;
    cg->types = now.types;
    cg->protos = now.protos;
    cg->helpers = now.helpers;
    cg->fns = now.fns;
    cg->closure_fns = now.closure_fns;
    cg->label_id = now.label_id;
    cg->inst_overflow = now.inst_overflow;
    cg->queue = now.queue;
    cg->insts = now.insts;
    cg->done_helpers = now.done_helpers;
}

/* The async fns whose futures e awaits (directly, in its own body). */
static void awaited_fns(Expr *e, List *out);

void awaited_futures(Block *b, List *out);
static void awaited_in_block(Block *b, List *out) { awaited_futures(b, out); }

void awaited_futures(Block *b, List *out)
{
    for (int i = 0; b && i < b->stmts.len; i++) {
        Stmt *s = b->stmts.items[i];
        awaited_fns(s->init, out);
        awaited_fns(s->expr, out);
    }
    if (b)
        awaited_fns(b->tail, out);
}

static bool all_futures; /* awaited_fns: every future of a generic async fn made, not only those awaited */

static void awaited_fns(Expr *e, List *out)
{
    if (!e)
        return;
    if (e->kind == EX_AWAIT && e->operand->ty && e->operand->ty->kind == TY_ASYNC && !e->operand->ty->async_fn->async_block)
        list_push(out, e->operand->ty); /* (the future's type: an instance's arguments too) */
    else if (all_futures && e->ty && e->ty->kind == TY_ASYNC && e->ty->nargs && !e->ty->async_fn->async_block)
        list_push(out, e->ty);
    if (e->kind == EX_CLOSURE && e->async_block) /* (its frame is written where it is needed; what it awaits, first) */
        awaited_fns(e->body, out);
    awaited_fns(e->operand, out);
    awaited_fns(e->lhs, out);
    awaited_fns(e->rhs, out);
    awaited_fns(e->cond, out);
    awaited_fns(e->els, out);
    awaited_in_block(e->block, out);
    for (int i = 0; i < e->args.len; i++)
        awaited_fns(e->args.items[i], out);
    for (int i = 0; i < e->arms.len; i++)
        awaited_fns(((MatchArm *)e->arms.items[i])->body, out);
}

/* The instance of async fn future type t, written now (its frame before the frames that
 * hold it) unless it was. */
void emit_async_instance(Type *t)
{
    char *name = inst_name(t->async_fn, t->args, t->nargs); /* (queues it) */
    for (int i = 0; i < cg->queue.len; i++) {
        CgInst *ci = cg->queue.items[i];
        if (strcmp(ci->name, name) || ci->emitted)
            continue;
        ci->emitted = true;
        Type **saved_subst = cg->subst;
        const char *saved_name = cg->inst_cname;
        FnDef *f = mono_instance(cg->prog, ci->fn, ci->args, ci->n);
        cg->inst_cname = ci->name;
        cg->subst = ci->args;
        cg_fn(f);
        cg->subst = saved_subst;
        cg->inst_cname = saved_name;
        return;
    }
}

void emit_async_first(FnDef *f, List *done)
{
    if (!f->is_async || f->ntparams)
        return;
    for (int i = 0; i < done->len; i++)
        if (done->items[i] == f)
            return;
    list_push(done, f);
    List deps = {0};
    awaited_in_block(f->item->body, &deps);
    for (int i = 0; i < deps.len; i++) {
        Type *t = deps.items[i];
        if (t->nargs)
            emit_async_instance(t);
        else
            emit_async_first(t->async_fn, done);
    }
    cg_fn(f);
}

void cg_fn(FnDef *f)
{
    if (f->is_async) {
        cg_async_fn(f);
        return;
    }
    cg->fn = f;
    if (cg->inst_cname)
        name_closures(f, cg->inst_cname);
    cg->ret = cg->subst ? ty_subst(f->ret, cg->subst, f->ntparams) : f->ret;
    cg->tmp = 0;
    cg->pending = (List){0};
    cg->nframes = 0;
    cg->nscopes = 0;
    cg->loops = NULL;
    Block *body = f->item->body;
    bool is_main = f == cg->prog->main;
    char *proto = c_proto(f);
    if (!is_main)
        sb_printf(&cg->protos, "%s;\n", proto);
    StrBuf buf;
    sb_init(&buf);
    cg->out = &buf;
    if (cg->subst && !(f->is_default && f->ntparams == 1)) {
        StrBuf with;
        sb_init(&with);
        for (int i = 0; i < f->ntparams; i++)
            sb_printf(&with, "%s%s = %s", i ? ", " : "", f->tparam_names[i] ? f->tparam_names[i] : "impl Trait",
                      ty_str(cg->subst[i]));
        sb_printf(&buf, "/* %s\n * instance: %s */\n", rust_sig(f), with.data);
        sb_free(&with);
    } else {
        sb_printf(&buf, "/* %s */\n", rust_sig(f));
    }
    line_directive(f->item->span);
    sb_printf(&buf, "%s%s\n{\n", is_main ? "static " : "", proto);
    cg->indent = 1;
    cg_push_scope();
    for (int i = 0; i < f->locals.len; i++) {
        Local *l = f->locals.items[i];
        if (l->is_param)
            register_local(l);
    }
    cg->body = body;
    cg_block_into(body, (Dest){D_RETURN, NULL}, true); /* a scope of its own, inside the parameters' */
    if (!is_void(cg->ret) && body->tail && is_blocklike(body->tail))
        emit("mrs_unreachable(); /* every path above returns */");
    cg->nscopes = 0;
    sb_puts(&buf, "}\n\n");
    if (!is_main)
        list_push(&cg->fn_starts, (void *)(uintptr_t)cg->fns.len);
    if (cg->closure_fns.len) {
        sb_puts(&cg->fns, cg->closure_fns.data);
        sb_free(&cg->closure_fns);
        sb_init(&cg->closure_fns);
    }
    sb_puts(&cg->fns, buf.data);
    sb_free(&buf);
}

/* The body of C's main: rust_main, then what Rust's runtime does with its
 * result. A `Result` main that returns `Err(e)` prints `Error: {e:?}` on
 * stderr and exits with status 1 (std's `Termination` for `Result`). */
StrBuf c_main_body(FnDef *main_fn)
{
    StrBuf b;
    sb_init(&b);
    Type *rt = main_fn ? main_fn->ret : NULL;
    if (!rt || rt->kind != TY_ADT || rt->adt != cg->prog->result) {
        sb_puts(&b, "    rust_main();\n    mrs_flush_stdout();\n    return 0;\n");
        return b;
    }
    StrBuf *saved = cg->out;
    int indent = cg->indent;
    cg->out = &b;
    cg->indent = 1;
    Type *et = rt->args[1];
    emit("%s result = rust_main();", ctype(rt));
    emit("mrs_flush_stdout();");
    emit("if (result.tag == %s_Err) {", mangle(rt));
    cg->indent++;
    emit("/* main returned `Err`: Rust prints it with `{:?}` and exits with status 1 */");
    emit("MrsString msg = mrs_string_from(MRS_STR(\"Error: \"));");
    emit("{");
    cg->indent++;
    emit("MrsFormatter fmt = mrs_fmt_new(&msg);");
    fmt_place("&fmt", et, FT_DEBUG, "result.Err._0");
    emit("mrs_fmt_lit(&fmt, \"\\n\");");
    cg->indent--;
    emit("}");
    emit("mrs_eprint_string(&msg);");
    emit_drop_place(et, "result.Err._0");
    emit("return 1;");
    cg->indent--;
    emit("}");
    emit("return 0;");
    cg->out = saved;
    cg->indent = indent;
    return b;
}

bool is_c_literal(Expr *e)
{
    e = unparen(e);
    if (e->kind == EX_INT || e->kind == EX_FLOAT || e->kind == EX_BOOL || e->kind == EX_CHAR || e->kind == EX_BYTE ||
        e->kind == EX_STR)
        return true;
    return e->kind == EX_UNARY && e->unop == UN_NEG && is_c_literal(e->operand);
}

const char *c_reserved[] = {
    "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern",
    "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return", "short", "signed",
    "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while", "bool",
    "exit", "free", "malloc", "printf", "abs", "pow", "sqrt", "floor", "ceil", "round", "log", "exp", "sin", "cos",
    "tan", "div", "time", "index", "remove", "rename", "abort", "puts", "putchar", "signal", "read", "write",
    "open", "close", "fmod", "fma", "hypot", "atan2", "isnan", "isinf", "memcpy", "memmove", "memset", "strlen",
    "assert", "errno", "y0", "y1", "j0", "j1", "gamma", "rand", "srand", "qsort", "atoi", "labs", "max", "min",
    NULL,
};

bool reserved_name(const char *n)
{
    for (int i = 0; c_reserved[i]; i++)
        if (strcmp(c_reserved[i], n) == 0)
            return true;
    return strncmp(n, "mrs_", 4) == 0 || strncmp(n, "debug_", 6) == 0 || strncmp(n, "drop_", 5) == 0 ||
           strncmp(n, "clone_", 6) == 0 || strncmp(n, "eq_", 3) == 0 || strncmp(n, "cmp_", 4) == 0;
}

char *cg_program(Program *prog, const CgOptions *opt)
{

    CG state = {0};
    cg = &state;
    cg->prog = prog;
    cg->opt = opt;
    sb_init(&cg->forward);
    sb_init(&cg->types);
    sb_init(&cg->protos);
    sb_init(&cg->helpers);
    sb_init(&cg->fns);
    sb_init(&cg->closure_fns);
    for (int i = 0; i < prog->fns.len; i++) {
        FnDef *f = prog->fns.items[i];
        if (f == prog->main)
            f->cname = "rust_main";
        else if (!f->owner && reserved_name(f->cname))
            f->cname = xprintf("%s_", f->cname);
    }
    /* consts and statics: literals as static consts, the rest initialized first thing in main */
    StrBuf globals, init;
    sb_init(&globals);
    sb_init(&init);
    for (int i = 0; i < prog->consts.len; i++) {
        Def *d = prog->consts.items[i];
        if (reserved_name(d->cname))
            d->cname = xprintf("%s_", d->cname);
    }
    FnDef init_fn = {.name = "init_globals", .cname = "init_globals", .ret = ty_unit()};
    cg->fn = &init_fn;
    for (int i = 0; i < prog->consts.len; i++) {
        Def *d = prog->consts.items[i];
        Item *it = d->item;
        if (!it->init)
            continue;
        const char *what = d->kind == DEF_CONST ? "const" : "static";
        if (is_c_literal(it->init)) {
            cg->out = &globals;
            cg->indent = 0;
            char *v = cg_expr(it->init);
            /* (MRS_UNUSED: a const only an array length reads is folded there, and not read in C) */
            sb_printf(&globals, "/* %s %s: %s */\nMRS_UNUSED static const %s = %s;\n", what, d->name, ty_str(d->type),
                      decl(d->type, d->cname), v);
        } else {
            sb_printf(&globals, "/* %s %s: %s (initialized by init_globals) */\nstatic %s;\n", what, d->name,
                      ty_str(d->type), decl(d->type, d->cname));
            cg->out = &init;
            cg->indent = 1;
            char *v = cg_expr(it->init);
            emit("%s = %s;", d->cname, v ? v : dummy(d->type));
        }
    }
    for (int i = 0; i < prog->fns.len; i++) {
        FnDef *f = prog->fns.items[i];
        if (!f->ntparams)
            name_closures(f, f == prog->main ? "main" : f->cname);
    }
    StrBuf main_buf;
    sb_init(&main_buf);
    /* async fns first, each after the ones it awaits: a frame holds the futures it waits
     * for, so their structs come before it */
    List async_done = {0};
    for (int i = 0; i < prog->fns.len; i++) { /* (and the instances of generic ones the others make) */
        FnDef *f = prog->fns.items[i];
        List made = {0};
        all_futures = true;
        if (!f->ntparams && !f->is_async)
            awaited_futures(f->item->body, &made);
        all_futures = false;
        for (int k = 0; k < made.len; k++) { /* (an async block's awaits in a plain fn too) */
            Type *t = made.items[k];
            if (t->nargs)
                emit_async_instance(t);
            else
                emit_async_first(t->async_fn, &async_done);
        }
        emit_async_first(f, &async_done);
    }
    for (int i = 0; i < prog->fns.len; i++) {
        FnDef *f = prog->fns.items[i];
        if (f->ntparams || f->is_async)
            continue;
        if (f == prog->main) {
            /* main goes last, after the instances it asks for */
            StrBuf saved = cg->fns;
            cg->fns = main_buf;
            cg_fn(f);
            main_buf = cg->fns;
            cg->fns = saved;
            continue;
        }
        cg_fn(f);
    }
    StrBuf c_main = c_main_body(prog->main);
    /* generic fns: each instance is re-checked with its type arguments, then emitted */
    for (int qi = 0; qi < cg->queue.len; qi++) {
        CgInst *ci = cg->queue.items[qi];
        if (ci->emitted)
            continue;
        ci->emitted = true;
        FnDef *f = mono_instance(prog, ci->fn, ci->args, ci->n);
        cg->inst_cname = ci->name;
        cg->subst = ci->args;
        cg_fn(f);
        cg->subst = NULL;
        cg->inst_cname = NULL;
    }
    if (main_buf.len) {
        list_push(&cg->fn_starts, (void *)(uintptr_t)cg->fns.len);
        sb_puts(&cg->fns, main_buf.data);
    }
    sb_free(&main_buf);

    StrBuf out;
    sb_init(&out);
    sb_printf(&out, "/* Generated by mrsc from %s: Rust's semantics, written out in C.\n", opt->src_path);
    sb_printf(&out, " * Build: cc -std=c11 $(pkg-config --cflags mrsrt) FILE.c $(pkg-config --libs mrsrt) */\n");
    sb_puts(&out, "#include \"mrs_rt.h\"\n\n#include <float.h>\n#include <math.h>\n#include <stdbool.h>\n#include <stdint.h>\n#include <string.h>\n\n");
    sb_puts(&out, "#if defined(__GNUC__) && !defined(__clang__)\n"
                  "/* A Rust recursion may end only by panicking; gcc counts that as infinite. */\n"
                  "#pragma GCC diagnostic ignored \"-Winfinite-recursion\"\n"
                  "#endif\n\n");
    sb_printf(&out, "#define SRC_FILE %s\n", c_string(opt->src_path, strlen(opt->src_path)));
    sb_puts(&out, "#define LOC(line, col) MRS_LOC(SRC_FILE, (line), (col))\n\n");
    if (cg->forward.len)
        sb_printf(&out, "/* ---- types ---- */\n\n%s\n", cg->forward.data);
    if (cg->types.len)
        sb_printf(&out, "%s%s", cg->forward.len ? "" : "/* ---- types ---- */\n\n", cg->types.data);
    if (globals.len)
        sb_printf(&out, "/* ---- consts and statics ---- */\n\n%s\n", globals.data);
    if (cg->protos.len)
        sb_printf(&out, "/* ---- prototypes ---- */\n\n%s\n", cg->protos.data);
    if (cg->helpers.len)
        sb_printf(&out, "/* ---- derived and std helpers ---- */\n\n%s", cg->helpers.data);
    if (init.len)
        sb_printf(&out, "static void init_globals(void)\n{\n%s}\n\n", init.data);
    size_t shared = out.len;
    sb_printf(&out, "/* ---- functions ---- */\n\n");
    size_t fns_at = out.len;
    sb_puts(&out, cg->fns.data ? cg->fns.data : "");
    if (opt->parts) {
        CgParts *parts = opt->parts;
        *parts = (CgParts){shared, NULL, 0};
        if (!globals.len && !init.len && !cg->whole) {
            parts->cuts = arena_alloc(g_arena, sizeof(size_t) * (size_t)(cg->fn_starts.len + 1));
            parts->cuts[parts->ncuts++] = shared;
            for (int i = 1; i < cg->fn_starts.len; i++) /* (the first fn follows the heading) */
                parts->cuts[parts->ncuts++] = fns_at + (size_t)(uintptr_t)cg->fn_starts.items[i];
        }
    }
    if (prog->main) {
        sb_puts(&out, "int main(void)\n{\n");
        if (init.len)
            sb_puts(&out, "    init_globals();\n");
        sb_puts(&out, c_main.data);
        sb_puts(&out, "}\n");
    }
    sb_free(&c_main);
    sb_free(&globals);
    sb_free(&init);
    sb_free(&cg->forward);
    sb_free(&cg->types);
    sb_free(&cg->protos);
    sb_free(&cg->helpers);
    sb_free(&cg->fns);
    sb_free(&cg->closure_fns);
    return sb_steal(&out);
}
