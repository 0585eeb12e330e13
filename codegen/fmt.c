/* fmt.c — the format macros.
 *
 * requires: the FmtCall sema attached to `println!`, `format!`, `write!`,
 * `panic!`, `assert!` and friends;
 * produces: their C: arguments evaluated once, left to right, then each
 * piece formatted into a String or Formatter with its spec (fill, width,
 * precision, `{:?}`, `{:#?}`), printed or returned; panics with rustc's
 * texts. */
#include "cg_int.h"

char *spec_text(FmtPiece *p, char **vals)
{
    const char *w = p->width_arg >= 0 ? xprintf("(int32_t)%s", vals[p->width_arg]) : xprintf("%d", p->width);
    const char *pr = p->precision_arg >= 0 ? xprintf("(int32_t)%s", vals[p->precision_arg]) : xprintf("%d", p->precision);
    return xprintf("(MrsFmtSpec){%s, %s, %s, %s, %s, %s, %s}", char_lit(p->fill),
                   p->align ? xprintf("'%c'", p->align) : "0", p->sign ? "'+'" : "0", p->alternate ? "true" : "false",
                   p->zero_pad ? "true" : "false", w, pr);
}

bool default_spec(FmtPiece *p)
{
    return p->fill == ' ' && !p->align && !p->sign && !p->alternate && !p->zero_pad && p->width < 0 &&
           p->precision < 0 && p->width_arg < 0 && p->precision_arg < 0;
}

void format_into(FmtCall *fc, const char *buf, bool newline)
{
    emit("MrsFormatter fmt = mrs_fmt_new(&%s);", buf);
    format_pieces(fc, "&fmt", newline);
}

/* The pieces of a format call written through the formatter pointer fptr. */
void format_pieces(FmtCall *fc, const char *fptr, bool newline)
{
    int n = fc->args.len;
    char **vals = arena_alloc(g_arena, sizeof(char *) * (size_t)(n + 1));
    Type **types = arena_alloc(g_arena, sizeof(Type *) * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        Expr *a = fc->args.items[i];
        if (a->kind == EX_ASSIGN)
            a = a->rhs;
        types[i] = a->ty;
        vals[i] = cg_lvalue(a);
    }
    char *spec = member(deref_text(fptr), "spec");
    if (fc->reset_spec) /* write!: the caller's spec, read by the arguments (f.width()), is not the pieces' */
        emit("%s = MRS_SPEC_DEFAULT;", spec);
    for (int i = 0; i < fc->pieces.len; i++) {
        FmtPiece *p = fc->pieces.items[i];
        if (p->lit) {
            bool last = i == fc->pieces.len - 1;
            char *text = last && newline ? xprintf("%.*s\n", (int)p->lit_len, p->lit) : NULL;
            emit("mrs_fmt_lit(%s, %s);", fptr, text ? c_string(text, p->lit_len + 1) : c_string(p->lit, p->lit_len));
            if (text)
                newline = false;
            continue;
        }
        bool dflt = default_spec(p);
        if (!dflt)
            emit("%s = %s;", spec, spec_text(p, vals));
        fmt_place(fptr, types[p->arg], p->trait, vals[p->arg]);
        if (!dflt)
            emit("%s = MRS_SPEC_DEFAULT;", spec);
    }
    if (newline)
        emit("mrs_fmt_lit(%s, \"\\n\");", fptr);
}


/* The literal text of a format call without arguments, or NULL. */
char *plain_text(FmtCall *fc, bool newline)
{
    StrBuf sb;
    sb_init(&sb);
    for (int i = 0; i < fc->pieces.len; i++) {
        FmtPiece *p = fc->pieces.items[i];
        if (!p->lit) {
            sb_free(&sb);
            return NULL;
        }
        sb_putn(&sb, p->lit, p->lit_len);
    }
    if (newline)
        sb_putc(&sb, '\n');
    char *r = c_string(sb.data ? sb.data : "", sb.len);
    sb_free(&sb);
    return r;
}

/* The String a print or format! writes into, held by the arguments' temporary scope: an
 * exit from an argument (`x()?`, a `return` in a match arm) drops it on its way out. */
static void hold_buffer(char *name)
{
    add_pending(ty_string(), name, NULL);
}

/* The text rustc writes into the format string in place of argument a, a literal it
 * inlines there (a string or an integer shown with `{}`), or NULL. */
static char *inlined_literal(Expr *a, FmtPiece *p, size_t *len)
{
    if (a->kind == EX_ASSIGN) /* name = value */
        a = a->rhs;
    if (p->trait != FT_DISPLAY || !default_spec(p))
        return NULL;
    if (a->kind == EX_STR) {
        *len = a->str_len;
        return a->str;
    }
    if (a->kind == EX_INT && a->int_hi == 0) {
        char *t = xprintf("%llu", (unsigned long long)a->int_val);
        *len = strlen(t);
        return t;
    }
    return NULL;
}

/* The capacity format!'s String starts with, as std's: rustc inlines literal arguments
 * into the format string, and a format string left without arguments is copied into a
 * String of its length; otherwise std guesses twice the length of the literal text, or
 * nothing when that is short and the text starts with an argument. */
static size_t format_capacity(FmtCall *fc)
{
    size_t text = 0;
    bool args = false, lead = false; /* an argument is left; there is literal text before the first */
    for (int i = 0; i < fc->pieces.len; i++) {
        FmtPiece *p = fc->pieces.items[i];
        size_t n = p->lit_len;
        if (!p->lit && !inlined_literal(fc->args.items[p->arg], p, &n)) {
            args = true;
            continue;
        }
        text += n;
        if (!args && n)
            lead = true;
    }
    if (!args)
        return text;
    return !lead && text < 16 ? 0 : text * 2;
}

char *cg_format_string(FmtCall *fc)
{
    char *lit = plain_text(fc, false);
    if (lit) /* no arguments: the text, copied (std's as_str().to_owned()) */
        return xprintf("mrs_string_from(MRS_STR(%s))", lit);
    char *s = fresh("formatted");
    size_t cap = format_capacity(fc);
    if (cap)
        emit("MrsString %s = mrs_string_with_capacity(%zu); /* (std's guess at its length) */", s, cap);
    else
        emit("MrsString %s = mrs_string_new();", s);
    emit("{");
    cg->indent++;
    temps_push();
    hold_buffer(s);
    format_into(fc, s, false);
    release_pending(s); /* (the format!'s value now) */
    flush_pending(fc);
    temps_pop();
    cg->indent--;
    emit("}");
    return s;
}

void cg_panic_fmt(Span at, FmtCall *fc, const char *prefix)
{
    if (!fc || fc->pieces.len == 0) {
        emit("mrs_panic_cstr(%s, %s);", loc(at), c_string(prefix ? prefix : "explicit panic",
                                                           strlen(prefix ? prefix : "explicit panic")));
        return;
    }
    char *lit = plain_text(fc, false);
    if (lit && !prefix) {
        emit("mrs_panic_cstr(%s, %s);", loc(at), lit);
        return;
    }
    emit("{");
    cg->indent++;
    emit("MrsString panic_msg = mrs_string_from(MRS_STR(%s));", c_string(prefix ? prefix : "", prefix ? strlen(prefix) : 0));
    emit("{");
    cg->indent++;
    temps_push();
    format_into(fc, "panic_msg", false);
    cg->pending = (List){0}; /* the panic never returns: the unwind guards drop them */
    temps_pop();
    cg->indent--;
    emit("}");
    emit("mrs_panic_string(%s, panic_msg);", loc(at));
    cg->indent--;
    emit("}");
}

char *cg_macro(Expr *e)
{
    MacroCall *m = e->mac;
    const char *n = m->name;
    FmtCall *fc = e->sema;
    Span at = m->path && m->path->segs.len ? ((PathSeg *)m->path->segs.items[0])->span : e->span;
    at = e->span;
    if (!strcmp(n, "file"))
        return xstrdup("MRS_STR(SRC_FILE)");
    if (!strcmp(n, "line") || !strcmp(n, "column"))
        return xprintf("%uu", n[0] == 'l' ? m->span.line : m->span.col);
    if (!strcmp(n, "println") || !strcmp(n, "print") || !strcmp(n, "eprintln") || !strcmp(n, "eprint")) {
        bool err = n[0] == 'e';
        emit("/* %s */", one_line(diag_source_text(e->span)));
        char *lit = fc ? plain_text(fc, fc->newline) : c_string("\n", 1);
        if (!fc && strcmp(n, "println") && strcmp(n, "eprintln"))
            lit = c_string("", 0);
        if (lit) {
            emit("mrs_print_%s(MRS_STR(%s));", err ? "stderr" : "stdout", lit);
            return NULL;
        }
        emit("{");
        cg->indent++;
        emit("MrsString fmt_out = mrs_print_buf(); /* (a buffer the last print gave back) */");
        temps_push();
        hold_buffer("fmt_out");
        format_into(fc, "fmt_out", fc->newline);
        emit("mrs_%sprint_string(&fmt_out);", err ? "e" : "");
        release_pending("fmt_out"); /* (printed and given back) */
        flush_pending(fc); /* the arguments' temporaries live until the text is printed */
        temps_pop();
        cg->indent--;
        emit("}");
        return NULL;
    }
    if ((!strcmp(n, "write") || !strcmp(n, "writeln")) && ty_is_std(peel_refs(fc->dest->ty), STD_STRING)) {
        /* into a String (fmt::Write): appended */
        emit("/* %s */", one_line(diag_source_text(e->span)));
        char *w = fc->dest->ty->kind == TY_REF ? cg_expr(fc->dest) : addr_text(cg_place_mut(fc->dest));
        for (Type *t = fc->dest->ty; t->kind == TY_REF && t->args[0]->kind == TY_REF; t = t->args[0])
            w = deref_text(w);
        open_block();
        emit("MrsFormatter fmt = mrs_fmt_new(%s);", w);
        format_pieces(fc, "&fmt", fc->newline);
        close_block(fc);
        return xprintf("(%s){.tag = %s_Ok}", ctype(e->ty), mangle(e->ty));
    }
    if (!strcmp(n, "write") || !strcmp(n, "writeln")) {
        /* into the caller's Formatter: its width/fill apply to none of these pieces */
        emit("/* %s */", one_line(diag_source_text(e->span)));
        char *w = cg_expr(fc->dest);
        for (Type *t = fc->dest->ty; t->kind == TY_REF && t->args[0]->kind == TY_REF; t = t->args[0])
            w = deref_text(w);
        open_block();
        emit("MrsFormatter *const out = %s;", w);
        emit("const MrsFmtSpec outer = out->spec;");
        fc->reset_spec = true;
        format_pieces(fc, "out", fc->newline);
        emit("out->spec = outer;");
        close_block(fc);
        return xprintf("(%s){.tag = %s_Ok}", ctype(e->ty), mangle(e->ty));
    }
    if (!strcmp(n, "format"))
        return cg_format_string(fc);
    if (!strcmp(n, "panic")) {
        cg_panic_fmt(at, fc, NULL);
        return NULL;
    }
    if (!strcmp(n, "unreachable")) {
        if (fc && fc->pieces.len)
            cg_panic_fmt(at, fc, "internal error: entered unreachable code: ");
        else
            emit("mrs_panic_cstr(%s, \"internal error: entered unreachable code\");", loc(at));
        return NULL;
    }
    if (!strcmp(n, "todo") || !strcmp(n, "unimplemented")) {
        const char *base = n[0] == 't' ? "not yet implemented" : "not implemented";
        if (fc && fc->pieces.len)
            cg_panic_fmt(at, fc, xprintf("%s: ", base));
        else
            emit("mrs_panic_cstr(%s, \"%s\");", loc(at), base);
        return NULL;
    }
    if (!strcmp(n, "assert") || !strcmp(n, "debug_assert")) {
        Expr *c = m->args.items[0];
        char *cv = cg_expr(c);
        emit("if (!(%s)) {", cond(cv));
        cg->indent++;
        if (fc)
            cg_panic_fmt(at, fc, NULL);
        else {
            const char *src = diag_source_text(c->span);
            const char *msg = xprintf("assertion failed: %s", src);
            emit("mrs_panic_cstr(%s, %s);", loc(at), c_string(msg, strlen(msg)));
        }
        cg->indent--;
        emit("}");
        flush_pending(e);
        return NULL;
    }
    if (!strcmp(n, "assert_eq") || !strcmp(n, "assert_ne") || !strcmp(n, "debug_assert_eq") ||
        !strcmp(n, "debug_assert_ne")) {
        bool eq = strstr(n, "_eq") != NULL;
        Expr *l = m->args.items[0], *r = m->args.items[1];
        char *lv = cg_lvalue(l);
        char *rv = cg_lvalue(r);
        char *test = compare(eq ? BIN_EQ : BIN_NE, l, r, lv, rv);
        emit("if (!(%s)) {", test);
        cg->indent++;
        emit("MrsString panic_msg = mrs_string_from(MRS_STR(\"assertion `left %s right` failed\"));", eq ? "==" : "!=");
        emit("MrsFormatter fmt = mrs_fmt_new(&panic_msg);");
        if (fc && fc->pieces.len) {
            emit("mrs_fmt_lit(&fmt, \": \");");
            emit("{");
            cg->indent++;
            StrBuf *saved = cg->out;
            (void)saved;
            /* the message is formatted into the same buffer */
            int n2 = fc->args.len;
            char **vals = arena_alloc(g_arena, sizeof(char *) * (size_t)(n2 + 1));
            for (int i = 0; i < n2; i++) {
                Expr *a = fc->args.items[i];
                vals[i] = cg_lvalue(a->kind == EX_ASSIGN ? a->rhs : a);
            }
            for (int i = 0; i < fc->pieces.len; i++) {
                FmtPiece *p = fc->pieces.items[i];
                if (p->lit) {
                    emit("mrs_fmt_lit(&fmt, %s);", c_string(p->lit, p->lit_len));
                    continue;
                }
                Expr *a = fc->args.items[p->arg];
                if (a->kind == EX_ASSIGN)
                    a = a->rhs;
                if (!default_spec(p))
                    emit("fmt.spec = %s;", spec_text(p, vals));
                fmt_place("&fmt", a->ty, p->trait, vals[p->arg]);
                if (!default_spec(p))
                    emit("fmt.spec = MRS_SPEC_DEFAULT;");
            }
            cg->indent--;
            emit("}");
        }
        emit("mrs_fmt_lit(&fmt, \"\\n  left: \");");
        fmt_place("&fmt", l->ty, FT_DEBUG, lv);
        emit("mrs_fmt_lit(&fmt, \"\\n right: \");");
        fmt_place("&fmt", r->ty, FT_DEBUG, rv);
        emit("mrs_panic_string(%s, panic_msg);", loc(at));
        cg->indent--;
        emit("}");
        flush_pending(e);
        return NULL;
    }
    if (!strcmp(n, "vec")) {
        Type *vt = e->ty;
        Type *el = vt->args[0];
        char *v = fresh("vec");
        if (m->is_repeat) {
            Expr *x = m->args.items[0], *cnt = m->args.items[1];
            Expr *ops[2] = {x, cnt};
            char **ov = cg_operands(ops, 2);
            if (!ov[0])
                ov[0] = xstrdup("(MrsUnit){0}"); /* vec![(); n] */
            char *elem = is_ident_text(ov[0]) ? ov[0] : hoist(el, ov[0], "elem");
            char *count = is_ident_text(ov[1]) || isdigit((unsigned char)ov[1][0]) ? ov[1] : hoist(ty_prim(TY_USIZE), ov[1], "count");
            emit("%s = (%s){mrs_vec_alloc(%s, sizeof(%s)), %s, %s};", decl(vt, v), ctype(vt), count, ctype(el), count, count);
            if (has_drop(el)) {
                /* n - 1 clones, then the element itself moves into the last slot */
                emit("for (size_t mrs_i = 0; mrs_i + 1 < %s; mrs_i++)", count);
                emit("    %s.ptr[mrs_i] = %s;", v, clone_place(el, elem));
                emit("if (%s > 0)", count);
                emit("    %s.ptr[%s - 1] = %s;", v, count, elem);
                emit("else");
                cg->indent++;
                emit_drop_place(el, elem);
                cg->indent--;
            } else {
                emit("for (size_t mrs_i = 0; mrs_i < %s; mrs_i++)", count);
                emit("    %s.ptr[mrs_i] = %s;", v, elem);
            }
            return v;
        }
        int k = m->args.len;
        char **vals = cg_operands((Expr **)m->args.items, k);
        emit("%s = (%s){mrs_vec_alloc(%d, sizeof(%s)), %d, %d};", decl(vt, v), ctype(vt), k, ctype(el), k, k);
        for (int i = 0; i < k; i++)
            emit("%s.ptr[%d] = %s;", v, i, vals[i]);
        return v;
    }
    if (!strcmp(n, "matches"))
        return cg_matches(e);
    not_supported(e->span, xprintf("the macro `%s!`", n));
    return NULL;
}
