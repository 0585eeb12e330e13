/* cexpr.c — expressions to C expressions.
 *
 * requires: the typed tree; the drops, types and glue of the other files;
 * produces: cg_expr(e), the C text of e's value, after emitting the
 * statements it needs first (temporaries, operands hoisted to keep Rust's
 * left-to-right evaluation, run-time checks); places (cg_place), operators
 * with their overflow checks, adjustments (auto-ref, deref, unsizing,
 * `dyn` coercion), calls of fns, closures and `dyn Fn`. */
#include "cg_int.h"

Dest discard(void) { return (Dest){D_DISCARD, NULL}; }

Dest assign_to(const char *v) { return (Dest){D_ASSIGN, v}; }

Expr *unparen(Expr *e)
{
    while (e->kind == EX_PAREN)
        e = e->operand;
    return e;
}

bool is_blocklike(Expr *e)
{
    e = unparen(e);
    return e->kind == EX_IF || e->kind == EX_MATCH || e->kind == EX_BLOCK || e->kind == EX_LOOP ||
           e->kind == EX_WHILE || e->kind == EX_FOR;
}

/* A placeholder value of type t for unreachable code after a diverging expression. */
char *dummy(Type *t)
{
    if (t->kind <= TY_CHAR && t->kind != TY_STR)
        return xstrdup("0");
    if (t->kind == TY_REF && !is_fat_ref(t))
        return xstrdup("NULL");
    return xprintf("(%s){0}", ctype(t));
}

/* Default::default() for t: the user's impl, or the derived one field by field
 * (all-zero bits is the default of numbers, bool, char, String, Vec and None). */
char *default_expr(Type *t)
{
    const char *user = t->kind == TY_ADT ? user_impl_fn(t, trait_named("Default"), "default") : NULL;
    if (user)
        return xprintf("%s()", user);
    if (t->kind == TY_ADT && t->adt->is_enum && t->adt->item) { /* the `#[default]` unit variant */
        for (int k = 0; k < t->adt->item->variants.len && k < t->adt->nvariants; k++) {
            Variant *v = t->adt->item->variants.items[k];
            for (int i = 0; i < v->attrs.len; i++)
                if (!strcmp(((Attr *)v->attrs.items[i])->name, "default"))
                    return construct(t, k, NULL, 0);
        }
    }
    if (t->kind == TY_ADT && t->adt == cg->prog->option)
        return none(t);
    if (ty_is_std(t, STD_RC) || ty_is_std(t, STD_CELL) || ty_is_std(t, STD_REFCELL) || ty_is_std(t, STD_WEAK)) {
        Expr fake = {.kind = EX_CALL, .ty = t}; /* as `Rc::new(T::default())` */
        Def d = {.kind = DEF_BUILTIN, .builtin = BI_STD_FN};
        d.bm = ty_is_std(t, STD_RC) ? BM_RC_NEW : ty_is_std(t, STD_CELL) ? BM_CELL_NEW
             : ty_is_std(t, STD_REFCELL) ? BM_REFCELL_NEW : BM_WEAK_NEW;
        Expr callee = {.kind = EX_PATH, .def = &d};
        fake.operand = &callee;
        char *a[1] = {ty_is_std(t, STD_WEAK) ? NULL : default_expr(t->args[0])};
        return shared_static_call(&fake, a);
    }
    if (ty_is_std(t, STD_BOX) && t->args[0]->kind != TY_DYN) /* Box::new(T::default()) */
        return xprintf("%s(%s)", box_new_fn(t->args[0]), default_expr(t->args[0]));
    if (t->kind == TY_TUPLE && t->nargs) {
        StrBuf sb;
        sb_init(&sb);
        sb_printf(&sb, "(%s){", ctype(t));
        for (int i = 0; i < t->nargs; i++)
            sb_printf(&sb, "%s._%d = %s", i ? ", " : "", i, default_expr(t->args[i]));
        sb_puts(&sb, "}");
        char *r = xstrdup(sb.data);
        sb_free(&sb);
        return r;
    }
    if (t->kind == TY_ADT && !t->adt->is_enum && t->adt->variants[0].nfields) {
        VariantInfo *v = &t->adt->variants[0];
        StrBuf sb;
        sb_init(&sb);
        sb_printf(&sb, "(%s){", ctype(t));
        for (int i = 0; i < v->nfields; i++)
            sb_printf(&sb, "%s.%s = %s", i ? ", " : "", v->kind == SK_TUPLE ? xprintf("_%d", i) : v->fields[i].name,
                      default_expr(ty_subst(v->fields[i].type, t->args, t->nargs)));
        sb_puts(&sb, "}");
        char *r = xstrdup(sb.data);
        sb_free(&sb);
        return r;
    }
    return dummy(t);
}

/* Store a value in a fresh temporary; returns its name. */
char *hoist(Type *t, const char *val, const char *base)
{
    char *name = fresh(base ? base : "tmp");
    emit("%s = %s;", decl(t, name), val);
    return name;
}

bool is_ident_text(const char *s)
{
    if (!*s || !(isalpha((unsigned char)*s) || *s == '_'))
        return false;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_'))
            return false;
    return true;
}

/* Text with effects the C compiler might reorder: a call of a user function,
 * or of a runtime function that changes its arguments (the arithmetic,
 * string-view and formatting helpers are pure). */
bool impure(const char *s)
{
    static const char *effects[] = {"mrs_string_push", "mrs_string_pop", "mrs_string_insert", "mrs_string_remove",
                                    "mrs_string_clear", "mrs_string_truncate", "mrs_string_drop", "mrs_vec_",
                                    "mrs_print", "mrs_eprint", "mrs_process", "mrs_panic", "mrs_chars_next",
                                    "mrs_char_indices_next", "mrs_split", "mrs_lines_next", "mrs_sort", NULL};
    for (const char *p = strchr(s, '('); p; p = strchr(p + 1, '(')) {
        const char *q = p;
        while (q > s && (isalnum((unsigned char)q[-1]) || q[-1] == '_'))
            q--;
        if (q == p)
            continue; /* a cast or a parenthesis */
        if (strncmp(q, "mrs_", 4) && strncmp(q, "LOC", 3) && strncmp(q, "MRS_", 4))
            return true;
        for (int i = 0; effects[i]; i++)
            if (!strncmp(q, effects[i], strlen(effects[i])))
                return true;
    }
    return false;
}

/* The type of e's value after its coercion (what cg_expr returns). */
Type *vty(Expr *e)
{
    return e->adjust && e->adjust->target && e->adjust->coerce != CO_NONE ? e->adjust->target : e->ty;
}

/* Could C text s change variable v: does it assign v (`v = `) or take its
 * address (`&v`, `&v.f`) for a call to write through? */
static bool may_change(const char *s, const char *v)
{
    size_t n = strlen(v);
    for (const char *p = s ? strstr(s, v) : NULL; p; p = strstr(p + 1, v)) {
        bool start = p == s || !(isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '.' || p[-1] == '>');
        if (!start || isalnum((unsigned char)p[n]) || p[n] == '_')
            continue;
        const char *b = p;
        while (b > s && b[-1] == '(')
            b--;
        if (b > s && b[-1] == '&' && !(b - 1 > s && b[-2] == '&'))
            return true;
        const char *q = p + n;
        while (*q == ' ')
            q++;
        if (q[0] == '=' && q[1] != '=')
            return true;
    }
    return false;
}

/* Could evaluating this C text panic (or call user code that does)? */
static bool may_panic(const char *text)
{
    return text && !is_ident_text(text) && strchr(text, '(');
}

/* Does C text t do something whose order shows: an effect, or a panic it may report
 * (a bounds check, an overflow check: whatever is given a source location)? Of two
 * operands that both do, Rust's left one happens first, so its panic is the one seen. */
static bool ordered_effect(const char *t)
{
    return t && !is_ident_text(t) && (impure(t) || strstr(t, "LOC("));
}

/* An early exit from the enclosing statement: `?`, `return`, `break`, `continue`. */
static bool exits(Expr *e)
{
    return e->kind == EX_TRY || e->kind == EX_RETURN || e->kind == EX_BREAK || e->kind == EX_CONTINUE;
}

/* Generate several operands left to right. When a later operand needs
 * statements, or two operands have effects, earlier ones are hoisted into
 * temporaries so the C evaluates them in Rust's order. An operand whose drop
 * prints is linked into the unwind chain while the later ones are evaluated
 * (a panic there drops it, as Rust's unwinding does); then every operand is
 * in a temporary and the guards come off, before the value is consumed. */
char **cg_operands(Expr **es, int n)
{
    char **texts = arena_alloc(g_arena, sizeof(char *) * (size_t)(n + 1));
    StrBuf *bufs = arena_alloc(g_arena, sizeof(StrBuf) * (size_t)(n + 1));
    StrBuf *saved = cg->out;
    /* The first operand that may go on the unwind chain (a value whose drop prints,
     * with more operands after it): its guard is the floor below which the later
     * operands' statement temporaries are linked (add_pending), since a panic drops
     * the operands first. Its name is chosen now, the guard is written below. */
    int i0 = -1;
    char *floor_name = NULL;
    for (int i = 0; i < n - 1 && i0 < 0 && !cg->operand_floor; i++)
        if (!cg->frame && es[i] && !is_place_expr(es[i]) && vty(es[i]) && runs_user_drop(vty(es[i])))
            i0 = i;
    if (i0 >= 0)
        floor_name = fresh("arg");
    /* An owned value made before a later operand that may leave early (`S { a: f(), b: g()? }`)
     * is held in a variable the exit drops, until the operands are all made. */
    List held = {0};
    for (int i = 0; i < n; i++) {
        if (i0 >= 0 && i == i0 + 1) {
            cg->operand_floor = xprintf("%s_guard", floor_name);
            cg->operand_frames = cg->nframes;
            cg->operand_floor_used = false;
        }
        sb_init(&bufs[i]);
        cg->out = &bufs[i];
        texts[i] = es[i] ? cg_expr(es[i]) : NULL;
        if (!texts[i] && es[i] && es[i]->ty && is_unit(es[i]->ty))
            texts[i] = xstrdup("(MrsUnit){0}"); /* `()` used as a value */
        bool exits_later = false;
        for (int j = i + 1; j < n && !exits_later; j++)
            exits_later = ast_expr_any(es[j], exits);
        if (exits_later && texts[i] && !is_place_expr(es[i]) && !cg->frame && has_drop(vty(es[i])) &&
            !runs_user_drop(vty(es[i])) && i != i0) { /* (a value made here: the text may name its variable) */
            if (!is_ident_text(texts[i]))
                texts[i] = hoist(vty(es[i]), texts[i], "arg");
            add_pending(vty(es[i]), texts[i], NULL);
            list_push(&held, texts[i]);
        }
    }
    for (int k = 0; k < held.len; k++) /* (made: what takes the operands owns them now) */
        release_pending(held.items[k]);
    bool floor_used = i0 >= 0 && cg->operand_floor_used;
    if (i0 >= 0)
        cg->operand_floor = NULL;
    cg->out = saved;
    int neffects = 0;
    for (int i = 0; i < n; i++)
        neffects += ordered_effect(texts[i]);
    int guards = -1; /* the first operand linked into the unwind chain */
    List linked = {0};
    for (int i = 0; i < n; i++) {
        if (bufs[i].len)
            sb_puts(cg->out, bufs[i].data);
        sb_free(&bufs[i]);
        bool later_stmts = false;
        for (int j = i + 1; j < n; j++)
            later_stmts |= bufs[j].len > 0;
        bool rvalue = texts[i] && !is_ident_text(texts[i]); /* a value made here, not a local's */
        bool hoist_it = rvalue && (later_stmts || (neffects > 1 && ordered_effect(texts[i]) && i < n - 1));
        if (ordered_effect(texts[i]))
            neffects--; /* (the ones after it are what its order is kept against) */
        if (i == i0 && texts[i] && (hoist_it || floor_used)) { /* into the name the floor has */
            emit("%s = %s;", decl(vty(es[i]), floor_name), texts[i]);
            texts[i] = floor_name;
            rvalue = true;
        } else if (hoist_it) {
            texts[i] = hoist(vty(es[i]), texts[i], "arg");
        }
        bool changed_later = false; /* `n + f(&mut n)`, `n + apply(|| n += 1)`: n is read first */
        for (int j = i + 1; j < n && texts[i] && !rvalue && es[i]; j++)
            changed_later |= may_change(bufs[j].data, texts[i]) || may_change(texts[j], texts[i]);
        if (changed_later)
            texts[i] = hoist(vty(es[i]), texts[i], "read");
        bool later_panics = false;
        for (int j = i + 1; j < n; j++)
            later_panics |= bufs[j].len > 0 || may_panic(texts[j]);
        if (!cg->frame && ((rvalue && later_panics && runs_user_drop(vty(es[i]))) || (i == i0 && floor_used))) {
            if (!is_ident_text(texts[i]))
                texts[i] = hoist(vty(es[i]), texts[i], "arg");
            emit("MrsUnwindGuard %s_guard = { mrs_unwind_top, &%s, %s, NULL }; /* a panic in a later operand drops it */",
                 texts[i], texts[i], unwind_drop_fn(vty(es[i])));
            emit("mrs_unwind_top = &%s_guard;", texts[i]);
            if (guards < 0)
                guards = i;
            list_push(&linked, texts[i]);
        }
    }
    if (linked.len) {
        for (int j = guards + 1; j < n; j++)
            if (may_panic(texts[j]))
                texts[j] = hoist(vty(es[j]), texts[j], "arg");
        for (int k = linked.len - 1; k >= 0; k--)
            emit("mrs_unwind_top = %s_guard.prev;", (char *)linked.items[k]);
    }
    return texts;
}

/* A C lvalue for the value of e (hoisting rvalues into temporaries). */
char *cg_lvalue(Expr *e)
{
    Expr *u = unparen(e);
    Local *x = extended_temp(u);
    if (x) /* the temporary under `&temp.field` in a `let`: it lives to the end of the block */
        return extend_temp(x, u);
    if (u->kind == EX_PATH || u->kind == EX_FIELD || u->kind == EX_TUPLE_FIELD || u->kind == EX_INDEX ||
        (u->kind == EX_UNARY && u->unop == UN_DEREF))
        return cg_place(u);
    char *v = cg_expr(e);
    if (!v)
        return xstrdup("(MrsUnit){0}");
    char *t = hoist(vty(e), v, "tmp");
    if (u->temp) { /* borrowck gave it a temporary */
        u->temp->cname = t;
        add_pending(vty(e), t, u->temp);
    } else if (has_drop(vty(e))) {
        ICE("a value that owns something is borrowed without a temporary (%d:%d)", u->span.line, u->span.col);
    }
    return t;
}

/* `*p` as text, simplifying `*&x` to `x`. */
char *deref_text(const char *p)
{
    if (p[0] == '&' && is_ident_text(p + 1))
        return xstrdup(p + 1);
    return xprintf("(*%s)", p);
}

/* p, parenthesized unless a postfix operator can follow it as it is. */
char *postfix_text(const char *p)
{
    bool plain = true;
    for (const char *q = p; *q && plain; q++)
        plain = isalnum((unsigned char)*q) || *q == '_' || *q == '.' || (*q == '-' && q[1] == '>') ||
                (*q == '>' && q > p && q[-1] == '-');
    if (plain)
        return xstrdup(p);
    if (p[0] == '(') { /* `(*x)`: one group around the whole */
        int depth = 0;
        size_t n = strlen(p);
        for (size_t i = 0; i < n; i++) {
            depth += p[i] == '(' ? 1 : p[i] == ')' ? -1 : 0;
            if (depth == 0)
                return i == n - 1 ? xstrdup(p) : xprintf("(%s)", p);
        }
    }
    return xprintf("(%s)", p);
}

/* The place `*p` of a smart pointer p of type t: a Box's `*p`, the value in an
 * Rc's counted block, what a RefCell guard points at. */
char *smart_deref(Type *t, const char *p)
{
    if (ty_counted_fat(t)) /* the place of a dyn object is its fat pointer; a str's, the view */
        return t->args[0]->kind == TY_DYN ? xstrdup(p) : member(p, "value");
    switch (t->std->id) {
    case STD_PIN: /* Pin<P> is P: its deref is P's, the next step */
        return xstrdup(p);
    case STD_RC:
    case STD_ARC:
        return xprintf("%s->value", postfix_text(p));
    case STD_REF:
    case STD_REFMUT:
    case STD_MUTEXGUARD:
    case STD_READGUARD:
    case STD_WRITEGUARD:
        return xprintf("(*%s.value)", postfix_text(p));
    default:
        return deref_text(p);
    }
}

/* n auto-derefs of the value p of type t; a fat reference (&str, &[T]) is
 * already the view of its target, so its deref is the value itself. */
/* A call of `impl Deref for t` (`deref_mut` when mut) on the pointer p: the pointer to
 * its Target it returns. */
char *user_deref_call(Type *t, bool mut, const char *p)
{
    Type **args = NULL;
    int n = 0;
    FnDef *f = user_deref(t, mut, &args, &n, NULL);
    if (!f && mut) /* sema required DerefMut where it writes; a read goes through Deref */
        f = user_deref(t, false, &args, &n, NULL);
    if (!f)
        return xstrdup(p);
    const char *name = n ? inst_name(f, args, n) : f->cname;
    return xprintf("%s(%s)", name, p);
}

/* The place `*x.deref()` of x at pointer p (deref_mut when mut): the pointer the call
 * returns is kept in a temporary, so that the call runs once; an unsized Target's place
 * is the fat pointer itself. */
char *user_target_place(Type *t, bool mut, const char *p)
{
    Type *tg = ty_resolve(user_deref_target(t));
    Type *rt = ty_ref(tg, mut && user_deref(t, true, NULL, NULL, NULL));
    char *v = hoist(rt, user_deref_call(t, mut, p), "target");
    return tg->kind == TY_SLICE || tg->kind == TY_STR ? v : deref_text(v);
}

/* p after n auto-derefs of its type t: through references and Boxes, and through
 * `impl Deref` (`deref_mut` where cg->deref_mut says the place is written). */
char *deref_n(char *p, Type *t, int n)
{
    for (int i = 0; i < n; i++) {
        t = ty_resolve(t);
        if (t->kind == TY_REF || ty_is_std(t, STD_BOX)) {
            if (!is_fat_ref(t))
                p = deref_text(p);
            t = t->args[0];
        } else if (ty_is_smart(t)) {
            p = smart_deref(t, p);
            t = t->args[0];
        } else if (t->kind == TY_ADT && user_deref_target(t)) {
            p = user_target_place(t, cg->deref_mut, addr_text(p));
            t = user_deref_target(t);
        } else {
            break;
        }
    }
    return p;
}

/* A condition without redundant outer parentheses (`if ((a == b))` warns). */
char *cond(const char *c)
{
    size_t n = strlen(c);
    if (n < 2 || c[0] != '(' || c[n - 1] != ')')
        return xstrdup(c);
    int depth = 0;
    for (size_t i = 0; i < n; i++) {
        depth += c[i] == '(' ? 1 : c[i] == ')' ? -1 : 0;
        if (depth == 0 && i < n - 1)
            return xstrdup(c);
    }
    return cond(xstrndup(c + 1, n - 2));
}

/* `&x`, simplifying `&*p` / `&(*p)` to `p`. */
char *addr_text(const char *x)
{
    size_t n = strlen(x);
    if (n > 3 && x[0] == '(' && x[1] == '*' && x[n - 1] == ')') {
        /* (*p) -> p when the parenthesis closes the whole text */
        int depth = 0;
        bool whole = true;
        for (size_t i = 0; i < n; i++) {
            depth += x[i] == '(' ? 1 : x[i] == ')' ? -1 : 0;
            if (depth == 0 && i < n - 1)
                whole = false;
        }
        if (whole)
            return xstrndup(x + 2, n - 3);
    }
    return xprintf("&%s", x);
}

/* Field access on a place text, turning `(*p).x` into `p->x`. */
char *member(const char *base, const char *field)
{
    size_t n = strlen(base);
    if (n > 3 && base[0] == '(' && base[1] == '*' && base[n - 1] == ')') {
        char *inner = addr_text(base);
        if (inner[0] != '&')
            return xprintf("%s->%s", inner, field);
    }
    return xprintf("%s.%s", base, field);
}

/* An i128/u128 literal of more than 64 bits, as C has none: its two halves. */
char *int_lit128(Type *t, uint64_t hi, uint64_t lo)
{
    if (!hi)
        return int_lit(t, lo);
    return xprintf("((%s)(((unsigned __int128)0x%llxu << 64) | 0x%llxu))", prim_c[t->kind], (unsigned long long)hi,
                   (unsigned long long)lo);
}

char *int_lit(Type *t, uint64_t v)
{
    switch (t->kind) {
    case TY_I128:
        return v > 0x7fffffffu ? xprintf("((__int128)%lluu)", (unsigned long long)v) : xprintf("%llu", (unsigned long long)v);
    case TY_U128:
        return v > 0x7fffffffu ? xprintf("((unsigned __int128)%lluu)", (unsigned long long)v) : xprintf("%llu", (unsigned long long)v);
    case TY_I64: case TY_ISIZE:
        return v > 0x7fffffffu ? xprintf("INT64_C(%llu)", (unsigned long long)v) : xprintf("%llu", (unsigned long long)v);
    case TY_U64: case TY_USIZE:
        return v > 0x7fffffffu ? xprintf("UINT64_C(%llu)", (unsigned long long)v) : xprintf("%llu", (unsigned long long)v);
    case TY_U32:
        return v > 0x7fffffffu ? xprintf("%lluu", (unsigned long long)v) : xprintf("%llu", (unsigned long long)v);
    case TY_F32: return xprintf("%llu.0f", (unsigned long long)v);
    case TY_F64: return xprintf("%llu.0", (unsigned long long)v);
    default: return xprintf("%llu", (unsigned long long)v);
    }
}

char *char_lit(uint64_t c)
{
    if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\')
        return xprintf("'%c'", (int)c);
    return xprintf("0x%llx", (unsigned long long)c);
}

char *float_lit(Expr *e, Type *t)
{
    const char *txt = e->lit_text ? e->lit_text : xprintf("%.17g", e->float_val);
    bool has_dot = strchr(txt, '.') || strchr(txt, 'e') || strchr(txt, 'E');
    size_t n = strlen(txt);
    const char *fix = has_dot ? (txt[n - 1] == '.' ? "0" : "") : ".0";
    return xprintf("%s%s%s", txt, fix, t->kind == TY_F32 ? "f" : "");
}

const char *int_name(Type *t) { return prim_mangle[t->kind]; }

const char *int_min_macro(Type *t)
{
    static const char *m[] = {"INT8_MIN", "INT16_MIN", "INT32_MIN", "INT64_MIN", "MRS_I128_MIN", "INTPTR_MIN",
                              "0", "0", "0", "0", "0", "0"};
    return m[t->kind];
}

const char *int_max_macro(Type *t)
{
    static const char *m[] = {"INT8_MAX", "INT16_MAX", "INT32_MAX", "INT64_MAX", "MRS_I128_MAX", "INTPTR_MAX",
                              "UINT8_MAX", "UINT16_MAX", "UINT32_MAX", "UINT64_MAX", "MRS_U128_MAX", "SIZE_MAX"};
    return m[t->kind];
}

char *apply_adjust(Expr *e, char *v)
{
    Adjust *a = e->adjust;
    if (!a || !v)
        return v;
    switch (a->coerce) {
    case CO_STRING_TO_STR:
        return xprintf("mrs_string_as_str(%s)", v);
    case CO_VEC_TO_SLICE: {
        const char *st = ctype(a->target);
        if (v[0] == '&' && is_ident_text(v + 1))
            return xprintf("(%s){%s.ptr, %s.len}", st, v + 1, v + 1);
        char *p = hoist(e->ty, v, "vref");
        return xprintf("(%s){%s->ptr, %s->len}", st, p, p);
    }
    case CO_ARRAY_TO_SLICE: {
        const char *st = ctype(a->target);
        Type *arr = e->ty->args[0];
        if (v[0] == '&' && is_ident_text(v + 1))
            return xprintf("(%s){%s.a, %llu}", st, v + 1, (unsigned long long)arr->len);
        return xprintf("(%s){(%s)->a, %llu}", st, v, (unsigned long long)arr->len);
    }
    case CO_DEREF_REF:
        return xprintf("*%s", v);
    case CO_BOX_DYN_REF: {
        char *b = hoist(e->ty, v, "boxref");
        return xprintf("(%s){%s->data, (const void *)%s->vtable}", ctype(a->target), b, b);
    }
    case CO_USER_DEREF: { /* each `deref` (or `deref_mut`) call, then the std derefs */
        Type *t = e->ty->args[0], *x = a->target->args[0];
        bool mut = a->target->is_mut;
        char *cur = v;
        for (int k = 0; k < 8 && t != x; k++) {
            if (t->kind == TY_ADT) {
                cur = user_deref_call(t, mut, cur);
                t = user_deref_target(t);
            } else if (ty_counted_fat(t) && t->args[0]->kind != TY_DYN) { /* &Rc<str> -> &str: its view */
                return member(deref_text(cur), "value");
            } else if (ty_is_smart(t)) { /* cur points at t: the pointer to its target */
                cur = addr_text(smart_deref(t, deref_text(cur)));
                t = t->args[0];
            } else if (t->kind == TY_REF && k > 0) { /* a Pin's pointer */
                cur = deref_text(cur);
                t = t->args[0];
            } else if (ty_is_std(t, STD_STRING) && x->kind == TY_STR) {
                return xprintf("mrs_string_as_str(%s)", cur);
            } else if (ty_is_std(t, STD_VEC) && x->kind == TY_SLICE) {
                char *p = hoist(ty_ref(t, mut), cur, "vref");
                return xprintf("(%s){%s->ptr, %s->len}", ctype(a->target), p, p);
            } else {
                break;
            }
        }
        return cur;
    }
    case CO_BOX_DYN: { /* (a Pin<Box<T>> -> Pin<Box<dyn Future>> too: the Pin is its Box in C) */
        Type *src = ty_is_std(e->ty, STD_PIN) ? e->ty->args[0] : e->ty;
        Type *dst = ty_is_std(a->target, STD_PIN) ? a->target->args[0] : a->target;
        Type *from = src->args[0];
        TraitDef *tr = dst->args[0]->trait;
        return xprintf("(%s){%s, &%s}", ctype(a->target), v, vtable_for(tr, from));
    }
    case CO_RC_DYN: { /* the block's object, T's vtable, the block's counts at its head */
        Type *from = e->ty->args[0];
        TraitDef *tr = a->target->args[0]->trait;
        char *b = is_ident_text(v) ? v : hoist(e->ty, v, "rc");
        const char *counts = ty_is_std(e->ty, STD_ARC) ? "MrsArcCounts" : "MrsRcCounts";
        if (ty_is_std(e->ty, STD_WEAK))
            return xprintf("(%s){%s ? &%s->value : NULL, &%s, (%s *)%s}", ctype(a->target), b, b, vtable_for(tr, from),
                           counts, b);
        return xprintf("(%s){&%s->value, &%s, (%s *)%s}", ctype(a->target), b, vtable_for(tr, from), counts, b);
    }
    case CO_DYN: {
        /* &T -> &dyn Trait: the pointer, and T's vtable */
        Type *from = e->ty->args[0];
        TraitDef *tr = a->target->args[0]->trait;
        return xprintf("(%s){%s, &%s}", ctype(a->target), v, vtable_for(tr, from));
    }
    case CO_CLOSURE_FN: {
        /* a closure that captures nothing, as a plain function: a wrapper with an empty env */
        Closure *clo = e->ty->clo;
        Type *ft = a->target;
        const char *name = xprintf("%s_as_fn", mangle(e->ty));
        if (!helper_done(name)) {
            StrBuf sig, call;
            sb_init(&sig);
            sb_init(&call);
            sb_printf(&sig, "%s %s(", cret(ft->args[ft->nargs - 1]), name);
            sb_printf(&call, "%s_%s(&env", mangle(e->ty), call_suffix[clo->kind]);
            for (int i = 0; i + 1 < ft->nargs; i++) {
                sb_printf(&sig, "%s%s", i ? ", " : "", decl(ft->args[i], xprintf("a%d", i)));
                sb_printf(&call, ", a%d", i);
            }
            sb_puts(&sig, ft->nargs == 1 ? "void)" : ")");
            sb_puts(&call, ")");
            Saved sv;
            StrBuf *b = begin_helper(sig.data, &sv);
            emit("%s env = {0}; /* it captures nothing */", ctype(e->ty));
            emit("%s%s;", is_void(ft->args[ft->nargs - 1]) ? "" : "return ", call.data);
            end_helper(b, &sv);
            sb_free(&sig);
            sb_free(&call);
        }
        if (impure(v))
            emit("(void)%s;", v);
        return xstrdup(name);
    }
    case CO_NEVER:
        return dummy(a->target);
    case CO_REF_TO_PTR:
        return xprintf("(%s)%s", ctype(a->target), v);
    default:
        return v;
    }
}

/* String::from_utf8(v) (the Vec's buffer becomes the String's, or is kept in the error)
 * and str::from_utf8(&bytes) (a view of the same bytes): Ok when they are UTF-8. */
static char *from_utf8(Expr *e, char *arg)
{
    Type *rt = e->ty, *at = ((Expr *)e->args.items[0])->ty;
    bool owned = e->operand->def->builtin == BI_STRING_FROM_UTF8;
    Type *u8t = ty_prim(TY_U8);
    Type *ot = ty_adt(cg->prog->option, &u8t, 1);
    need_type(rt);
    need_type(ot);
    Expr *a0 = e->args.items[0];
    if (a0->adjust && a0->adjust->target)
        at = a0->adjust->target;
    char *v = hoist(at, arg, "bytes");
    char *valid = fresh("valid_up_to"), *elen = fresh("error_len"), *r = fresh("utf8");
    emit("size_t %s = 0;", valid);
    emit("uint8_t %s = 0;", elen);
    emit("%s;", decl(rt, r));
    emit("if (mrs_utf8_check(%s.ptr, %s.len, &%s, &%s))", v, v, valid, elen);
    if (owned)
        emit("    %s = (%s){.tag = %s_Ok, .Ok = {(MrsString){%s.ptr, %s.len, %s.cap}}};", r, ctype(rt), mangle(rt), v, v, v);
    else
        emit("    %s = (%s){.tag = %s_Ok, .Ok = {(MrsStr){%s.ptr, %s.len}}};", r, ctype(rt), mangle(rt), v, v);
    char *ue = xprintf("(%s){%s, %s ? %s : %s}", ctype(ty_adt(cg->prog->utf8_error, NULL, 0)), valid, elen,
                       some(ot, elen), none(ot));
    if (owned)
        emit("else\n%*s    %s = (%s){.tag = %s_Err, .Err = {(%s){%s, %s}}};", cg->indent * 4, "", r, ctype(rt), mangle(rt),
             ctype(rt->args[1]), v, ue);
    else
        emit("else\n%*s    %s = (%s){.tag = %s_Err, .Err = {%s}};", cg->indent * 4, "", r, ctype(rt), mangle(rt), ue);
    return r;
}

/* Slice view {ptr, len} of an array/Vec/slice place of type t. */
char *slice_ptr(Type *t, const char *p)
{
    if (t->kind == TY_ARRAY)
        return member(p, "a");
    return member(p, "ptr");
}

/* One past the last element (an empty Vec's ptr may be NULL, and NULL + 0 is not C). */
char *slice_end(Type *t, const char *p)
{
    char *ptr = slice_ptr(t, p), *len = slice_len(t, p);
    if (t->kind == TY_ARRAY)
        return xprintf("%s + %s", ptr, len);
    return xprintf("(%s ? %s + %s : %s)", len, ptr, len, ptr);
}

char *slice_len(Type *t, const char *p)
{
    if (t->kind == TY_ARRAY)
        return xprintf("%llu", (unsigned long long)t->len);
    return member(p, "len");
}

/* The `[` of an index expression (rustc reports Vec and range index
 * panics there). */
Span bracket_span(Expr *e)
{
    uint32_t off = e->lhs->span.hi;
    const char *text = diag_source_text((Span){off, e->span.hi, 0, 0});
    const char *b = strchr(text, '[');
    if (b)
        off += (uint32_t)(b - text);
    return diag_span_at(off, off + 1);
}

/* The C place of a place expression. */
char *cg_place(Expr *e)
{
    e = unparen(e);
    char *cap = capture_text(e);
    if (cap)
        return cap;
    note_move(e);
    switch (e->kind) {
    case EX_PATH: {
        Def *d = e->def;
        if (d && d->kind == DEF_LOCAL)
            return xstrdup(d->local->cname);
        return cg_expr(e);
    }
    case EX_FIELD:
    case EX_TUPLE_FIELD: {
        FieldRes *fr = e->sema;
        char *base = capture_text_deref(e->operand, fr->derefs); /* `g.bx.name` with `*g.bx` captured */
        if (!base)
            base = deref_n(cg_lvalue(e->operand), e->operand->ty, fr->derefs);
        Type *bt = fr->base_ty;
        const char *fname;
        if (bt->kind == TY_TUPLE || (bt->kind == TY_ADT && bt->adt->variants[0].kind == SK_TUPLE))
            fname = xprintf("_%d", fr->index);
        else
            fname = bt->adt->variants[0].fields[fr->index].name;
        return member(base, fname);
    }
    case EX_INDEX: {
        FieldRes *fr = e->sema;
        if (fr->index_fn) { /* impl Index for a user type: the place `index` points to */
            FnDef *f = fr->index_mut ? fr->index_mut_fn : fr->index_fn;
            int na = fr->index_mut ? fr->index_mut_nargs : fr->index_nargs;
            const char *fname = na ? inst_name(f, fr->index_mut ? fr->index_mut_args : fr->index_args, na) : f->cname;
            char *base = deref_n(cg_lvalue(e->lhs), e->lhs->ty, fr->derefs);
            char *ix = cg_expr(e->rhs);
            Type *out = ty_resolve(e->ty);
            const char *at = caller_arg(f, bracket_span(e)); /* rustc: the `[` */
            if (out->kind == TY_SLICE || out->kind == TY_STR) /* an unsized place is its fat pointer */
                return xprintf("%s(%s, %s%s)", fname, addr_text(base), ix, at);
            return xprintf("(*%s(%s, %s%s))", fname, addr_text(base), ix, at);
        }
        if (unparen(e->rhs)->kind == EX_RANGE)
            return cg_expr_inner(e); /* a slice view: a value, not a place */
        char *base = deref_n(cg_lvalue(e->lhs), e->lhs->ty, fr->derefs);
        Type *bt = fr->base_ty;
        if (ty_is_map(bt)) /* Index for a map: its value, or "no entry found for key" */
            return map_index(bt, e->rhs, base, bracket_span(e));
        char *ix = cg_expr(e->rhs);
        /* rustc reports the index panic at the index expression for arrays
         * and slices, at the `[` for Vec (its Index impl) */
        Span at = ty_is_vec_like(bt) ? bracket_span(e) : e->span;
        return xprintf("%s[mrs_%sidx(%s, %s, %s)]", slice_ptr(bt, base), ty_is_std(bt, STD_VECDEQUE) ? "deque_" : "", ix,
                       slice_len(bt, base), loc(at));
    }
    case EX_UNARY:
        if (e->unop == UN_DEREF) {
            Type *ot = e->operand->ty;
            if (ty_resolve(ot)->kind == TY_ADT && user_deref_target(ot)) /* `*x` is `*x.deref()` */
                return user_target_place(ot, cg->deref_mut, addr_text(cg_lvalue(e->operand)));
            if (ty_is_std(ty_resolve(ot), STD_PIN)) /* `*pin`: the target of its pointer */
                return deref_text(cg_expr(e->operand));
            if (ty_is_smart(ty_resolve(ot)) && !ty_is_std(ty_resolve(ot), STD_BOX)) /* (a guard: in its temporary) */
                return smart_deref(ty_resolve(ot), cg_lvalue(e->operand));
            char *p = cg_expr(e->operand);
            if (ty_is_std(ot, STD_STRING))
                return xprintf("mrs_string_as_str(&%s)", p);
            return deref_text(p);
        }
        break;
    default:
        break;
    }
    return cg_lvalue(e);
}

const char *arith_name(BinOp op)
{
    switch (op) {
    case BIN_ADD: return "add";
    case BIN_SUB: return "sub";
    case BIN_MUL: return "mul";
    case BIN_DIV: return "div";
    case BIN_REM: return "rem";
    case BIN_SHL: return "shl";
    case BIN_SHR: return "shr";
    default: return NULL;
    }
}

const char *c_op(BinOp op)
{
    switch (op) {
    case BIN_ADD: return "+"; case BIN_SUB: return "-"; case BIN_MUL: return "*"; case BIN_DIV: return "/";
    case BIN_REM: return "%"; case BIN_AND: return "&&"; case BIN_OR: return "||"; case BIN_BITAND: return "&";
    case BIN_BITOR: return "|"; case BIN_BITXOR: return "^"; case BIN_SHL: return "<<"; case BIN_SHR: return ">>";
    case BIN_EQ: return "=="; case BIN_NE: return "!="; case BIN_LT: return "<"; case BIN_LE: return "<=";
    case BIN_GT: return ">"; case BIN_GE: return ">=";
    }
    return "?";
}

Type *peel_refs(Type *t)
{
    while (t->kind == TY_REF && !is_fat_ref(t))
        t = t->args[0];
    return t;
}

/* Value text of e with references to numbers dereferenced (`&i32 + i32`). */
char *num_operand(Expr *e, char *v)
{
    Type *t = e->ty;
    while (t->kind == TY_REF && !is_fat_ref(t)) {
        v = deref_text(v);
        t = t->args[0];
    }
    return v;
}

/* An arithmetic operation on integer type t, with Rust's debug checks. */
char *arith(BinOp op, Type *t, const char *a, const char *b, Span at)
{
    const char *name = arith_name(op);
    if (ty_is_float(t)) {
        if (op == BIN_REM)
            return xprintf("%s(%s, %s)", t->kind == TY_F32 ? "fmodf" : "fmod", a, b);
        return xprintf("(%s %s %s)", a, c_op(op), b);
    }
    if (op == BIN_DIV || op == BIN_REM)
        return xprintf("mrs_%s_%s(%s, %s, %s)", name, int_name(t), a, b, loc(at));
    if (op == BIN_SHL || op == BIN_SHR) {
        if (cg->opt->release)
            return xprintf("mrs_w%s_%s(%s, (uint64_t)%s)", name, int_name(t), a, b);
        return xprintf("mrs_%s_%s(%s, (uint64_t)%s, %s)", name, int_name(t), a, b, loc(at));
    }
    if (name) {
        if (cg->opt->release)
            return xprintf("mrs_w%s_%s(%s, %s)", name, int_name(t), a, b);
        return xprintf("mrs_%s_%s(%s, %s, %s)", name, int_name(t), a, b, loc(at));
    }
    /* bit operations: cast back to the operand type (C promotes to int) */
    if (t->kind == TY_BOOL)
        return xprintf("(%s %s %s)", a, c_op(op), b);
    return xprintf("(%s)(%s %s %s)", prim_c[t->kind], a, c_op(op), b);
}

char *str_value(Type *t, const char *v)
{
    /* any String / &str / &String / &&str value to an MrsStr */
    int refs = 0;
    while (t->kind == TY_REF && t->args[0]->kind != TY_STR) {
        t = t->args[0];
        refs++;
    }
    const char *p = v;
    if (ty_is_std(t, STD_STRING)) {
        if (refs == 0)
            return xprintf("mrs_string_as_str(&%s)", v);
        for (int i = 1; i < refs; i++)
            p = deref_text(p);
        return xprintf("mrs_string_as_str(%s)", p);
    }
    for (int i = 0; i < refs; i++)
        p = deref_text(p);
    return xstrdup(p);
}

bool is_stringish_ty(Type *t)
{
    while (t->kind == TY_REF && t->args[0]->kind != TY_STR)
        t = t->args[0];
    return ty_is_std(t, STD_STRING) || (t->kind == TY_REF && t->args[0]->kind == TY_STR);
}

char *compare(BinOp op, Expr *l, Expr *r, const char *a, const char *b)
{
    Type *lt = l->ty, *rt = r->ty;
    if (is_stringish_ty(lt) && is_stringish_ty(rt)) {
        /* the String operands need places */
        char *sa = str_value(lt, a), *sb = str_value(rt, b);
        if (op == BIN_EQ)
            return xprintf("mrs_str_eq(%s, %s)", sa, sb);
        if (op == BIN_NE)
            return xprintf("!mrs_str_eq(%s, %s)", sa, sb);
        return xprintf("mrs_str_cmp(%s, %s) %s 0", sa, sb, c_op(op));
    }
    Type *t = peel_refs(lt);
    Type *u = peel_refs(rt);
    if (t != u && (op == BIN_EQ || op == BIN_NE)) {
        /* Vec<T> == [T; N] and friends: compare as slices */
        const char *pa = a, *pb = b;
        for (Type *x = lt; x->kind == TY_REF && !is_fat_ref(x); x = x->args[0])
            pa = deref_text(pa);
        for (Type *x = rt; x->kind == TY_REF && !is_fat_ref(x); x = x->args[0])
            pb = deref_text(pb);
        Type *el = t->args[0]->kind == TY_SLICE ? t->args[0]->args[0] : t->args[0];
        Type *sl = ty_ref(ty_slice(el), false);
        char *va = hoist(sl, xprintf("(%s){%s, %s}", ctype(sl), slice_ptr(t, pa), slice_len(t, pa)), "lhs");
        char *vb = hoist(sl, xprintf("(%s){%s, %s}", ctype(sl), slice_ptr(u, pb), slice_len(u, pb)), "rhs");
        char *r = eq_places(sl, va, vb);
        return op == BIN_EQ ? r : xprintf("!(%s)", r);
    }
    const char *pa = a, *pb = b;
    for (Type *x = lt; x->kind == TY_REF && !is_fat_ref(x); x = x->args[0])
        pa = deref_text(pa);
    for (Type *x = rt; x->kind == TY_REF && !is_fat_ref(x); x = x->args[0])
        pb = deref_text(pb);
    if ((t->kind <= TY_CHAR && t->kind != TY_STR))
        return xprintf("%s %s %s", pa, c_op(op), pb);
    if (op == BIN_EQ)
        return eq_places(t, pa, pb);
    if (op == BIN_NE)
        return xprintf("!(%s)", eq_places(t, pa, pb));
    /* an unordered (NaN) partial comparison is neither greater nor equal */
    if (op == BIN_GT)
        return xprintf("%s == 1", cmp_places(t, pa, pb));
    if (op == BIN_GE)
        return xprintf("mrs_pcmp_ge(%s)", cmp_places(t, pa, pb));
    return xprintf("%s %s 0", cmp_places(t, pa, pb), c_op(op));
}

/* The C function of an operator impl's method for the left operand's type (a generic
 * impl's instance). */
const char *op_fn_name(FnDef *f, Type *self_ty)
{
    int n = 0;
    Type **args = impl_method_args(f, self_ty, &n);
    return n ? inst_name(f, args, n) : f->cname;
}

char *cg_binary(Expr *e)
{
    BinOp op = e->binop;
    if (e->sema) {
        /* an operator on a user type: a call of its impl's method (impl Add for T) */
        FnDef *f = e->sema;
        Expr *ops[2] = {e->lhs, e->rhs};
        char **v = cg_operands(ops, 2);
        return xprintf("%s(%s, %s)", op_fn_name(f, e->lhs->ty), v[0], v[1]);
    }
    if (op == BIN_AND || op == BIN_OR) {
        /* short circuit: if the right side needs statements, spell it out */
        /* each operand is a temporary scope of its own */
        char *a = cg_condition(e->lhs);
        StrBuf buf;
        sb_init(&buf);
        StrBuf *saved = cg->out;
        cg->out = &buf;
        cg->indent++;
        char *b = cg_condition(e->rhs);
        cg->indent--;
        cg->out = saved;
        if (!buf.len) {
            sb_free(&buf);
            return xprintf("(%s %s %s)", a, c_op(op), b);
        }
        char *t = fresh("cond");
        emit("bool %s = %s;", t, a);
        emit("if (%s%s) {", op == BIN_AND ? "" : "!", t);
        sb_puts(cg->out, buf.data);
        sb_free(&buf);
        emit("    %s = %s;", t, b);
        emit("}");
        return t;
    }
    bool cmp = op >= BIN_EQ;
    if (cmp) {
        /* operands of comparisons are borrowed: aggregates need places */
        Type *pt = peel_refs(e->lhs->ty);
        bool need_place = ty_is_std(pt, STD_STRING) || (!(pt->kind <= TY_CHAR) && !is_fat_ref(pt) && pt->kind != TY_REF);
        if (need_place && !(is_stringish_ty(e->lhs->ty) && e->lhs->ty->kind == TY_REF)) {
            char *a = cg_lvalue(e->lhs);
            char *b = cg_lvalue(e->rhs);
            return xprintf("(%s)", compare(op, e->lhs, e->rhs, a, b));
        }
        Expr *ops[2] = {e->lhs, e->rhs};
        char **v = cg_operands(ops, 2);
        if (ty_is_std(e->rhs->ty, STD_STRING))
            v[1] = cg_lvalue(e->rhs);
        return xprintf("(%s)", compare(op, e->lhs, e->rhs, v[0], v[1]));
    }
    if (ty_is_std(peel_refs(e->lhs->ty), STD_DURATION) || ty_is_std(peel_refs(e->lhs->ty), STD_INSTANT)) {
        Expr *ops[2] = {e->lhs, e->rhs};
        char **v = cg_operands(ops, 2);
        bool inst = ty_is_std(peel_refs(e->lhs->ty), STD_INSTANT);
        if (inst && ty_is_std(peel_refs(e->rhs->ty), STD_INSTANT)) /* later - earlier */
            return xprintf("mrs_instant_since(%s, %s)", v[0], v[1]);
        return xprintf("mrs_%s_%s(%s, %s, %s)", inst ? "instant" : "duration", op == BIN_ADD ? "add" : "sub", v[0],
                       v[1], loc(e->span));
    }
    if (op == BIN_ADD && ty_is_std(e->ty, STD_STRING)) {
        /* String + &str: the left String is moved in, appended to, and is the result */
        char *a = cg_expr(e->lhs);
        char *s = hoist(e->ty, a, "concat");
        char *b = cg_expr(e->rhs);
        emit("mrs_string_push_str(&%s, %s);", s, b);
        return s;
    }
    Expr *ops[2] = {e->lhs, e->rhs};
    char **v = cg_operands(ops, 2);
    Type *t = peel_refs(e->ty);
    return arith(op, t, num_operand(e->lhs, v[0]), num_operand(e->rhs, v[1]), e->span);
}

char *cg_unary(Expr *e)
{
    if (e->sema) { /* impl Neg for T */
        FnDef *f = e->sema;
        return xprintf("%s(%s)", op_fn_name(f, e->operand->ty), cg_expr(e->operand));
    }
    switch (e->unop) {
    case UN_NEG: {
        Expr *o = unparen(e->operand);
        Type *t = peel_refs(e->ty);
        if (o->kind == EX_INT) {
            uint64_t v = o->int_val;
            if (t->kind == TY_I128 && o->int_hi == (uint64_t)1 << 63 && !v)
                return xstrdup(int_min_macro(t));
            if (t->kind <= TY_ISIZE && t->kind != TY_I128 && !o->int_hi && v == (uint64_t)1 << (ty_int_bits(t) - 1))
                return xstrdup(int_min_macro(t));
            return xprintf("-%s", int_lit128(t, o->int_hi, v));
        }
        if (o->kind == EX_FLOAT)
            return xprintf("-%s", float_lit(o, t));
        char *v = num_operand(e->operand, cg_expr(e->operand));
        if (ty_is_float(t))
            return xprintf("-%s", v);
        if (cg->opt->release)
            return xprintf("mrs_wneg_%s(%s)", int_name(t), v);
        return xprintf("mrs_neg_%s(%s, %s)", int_name(t), v, loc(e->span));
    }
    case UN_NOT: {
        Type *t = peel_refs(e->ty);
        char *v = num_operand(e->operand, cg_expr(e->operand));
        if (t->kind == TY_BOOL)
            return xprintf("!%s", v);
        return xprintf("(%s)~%s", prim_c[t->kind], v);
    }
    case UN_DEREF:
        if (ty_is_std(e->operand->ty, STD_BOX) && e->operand->ty->args[0]->kind != TY_DYN &&
            !is_place_expr(e->operand)) {
            /* `*Box::new(v)`: the value moves out of a temporary Box, whose memory is freed */
            char *b = hoist(e->operand->ty, cg_expr(e->operand), "box");
            char *v = hoist(e->ty, deref_text(b), "unboxed");
            emit("mrs_vec_free(%s);", b);
            return v;
        }
        return cg_place(e);
    }
    return xstrdup("0");
}

char *cg_cast(Expr *e)
{
    Adjust *a = e->operand->adjust;
    if (a && a->coerce != CO_NONE && a->target == e->ty) /* an unsizing cast: the coercion is all of it */
        return cg_expr(e->operand);
    Type *to = e->ty, *from = peel_refs(e->operand->ty);
    if (to->kind == TY_PTR) /* &x as *const T, *mut T as *const T: the address itself */
        return xprintf("(%s)%s", ctype(to), cg_expr(e->operand));
    char *v = num_operand(e->operand, cg_expr(e->operand));
    if (from == to)
        return v;
    if (ty_is_float(from) && ty_is_int(to))
        return xprintf("mrs_%s_to_%s(%s)", prim_mangle[from->kind], prim_mangle[to->kind], v);
    if (from->kind == TY_ADT)
        return xprintf("(%s)%s", prim_c[to->kind], member(v[0] == '(' || is_ident_text(v) ? v : hoist(from, v, "e"), "tag"));
    return xprintf("(%s)%s", prim_c[to->kind], v);
}

/* max(x, y) or min(x, y) of the places x and y of type t, both moved in: max returns the
 * second of equals, min the first (std::cmp); the one not returned is dropped. */
char *ord_choice(Type *t, const char *x, const char *y, bool max)
{
    if (max)
        return owned_choice(t, xprintf("%s >= 0", cmp_places(t, y, x)), y, t, x, x, t, y);
    return owned_choice(t, xprintf("%s <= 0", cmp_places(t, x, y)), x, t, y, y, t, x);
}

void not_supported(Span s, const char *what)
{
    diag_error(NULL, s, "%s is not supported by mrsc yet", what);
}

/* The constructor of an enum variant / struct from field values. */
char *construct(Type *t, int variant, char **vals, int n)
{
    AdtDef *a = t->adt;
    VariantInfo *v = &a->variants[variant];
    StrBuf sb;
    sb_init(&sb);
    sb_printf(&sb, "(%s){", ctype(t));
    if (a->is_enum) {
        bool niche = opt_niche(t) && n; /* (Some: the pointer; None: tag 0) */
        if (!niche)
            sb_printf(&sb, ".tag = %s_%s", mangle(t), v->name);
        if (n) {
            sb_printf(&sb, "%s.%s = {", niche ? "" : ", ", v->name);
            for (int i = 0; i < n; i++)
                sb_printf(&sb, "%s%s", i ? ", " : "", vals[i] ? vals[i] : "{0}");
            sb_puts(&sb, "}");
        }
    } else {
        for (int i = 0; i < n; i++)
            sb_printf(&sb, "%s%s", i ? ", " : "", vals[i] ? vals[i] : "{0}");
        if (n == 0)
            sb_puts(&sb, "0");
    }
    sb_puts(&sb, "}");
    char *r = xstrdup(sb.data);
    sb_free(&sb);
    return r;
}

char *some(Type *opt, const char *v)
{
    char *vals[1] = {(char *)v};
    return construct(opt, 1, vals, 1);
}

char *none(Type *opt) { return construct(opt, 0, NULL, 0); }

/* Arguments with their coercions applied. */
char **cg_args(List *args)
{
    return cg_operands((Expr **)args->items, args->len);
}

char *join_args(char **v, int n, const char *first)
{
    StrBuf sb;
    sb_init(&sb);
    if (first)
        sb_puts(&sb, first);
    for (int i = 0; i < n; i++) {
        if (!v[i])
            continue;
        if (sb.len)
            sb_puts(&sb, ", ");
        sb_puts(&sb, v[i]);
    }
    char *r = xstrdup(sb.data ? sb.data : "");
    sb_free(&sb);
    return r;
}

char *call_result(Type *ret, char *call)
{
    if (is_void(ret)) {
        emit("%s;", call);
        if (is_never(ret))
            return NULL;
        return NULL;
    }
    return call;
}

char *cg_builtin_call(Expr *e, Def *d)
{
    char **a = cg_args(&e->args);
    switch (d->builtin) {
    case BI_STRING_NEW: return xstrdup("mrs_string_new()");
    case BI_STRING_FROM: return xprintf("mrs_string_from(%s)", a[0]);
    case BI_STRING_FROM_UTF8:
    case BI_STR_FROM_UTF8:
        return from_utf8(e, a[0]);
    case BI_VEC_FROM: {
        Type *vt = e->ty, *el = vt->args[0];
        Expr *a0 = e->args.items[0];
        Type *at = a0->ty, *in = at->kind == TY_REF ? at->args[0] : NULL;
        need_type(vt);
        char *src = hoist(at, a[0], "from");
        if (ty_is_std(at, STD_STRING)) /* its buffer, as into_bytes */
            return xprintf("(%s){%s.ptr, %s.len, %s.cap}", ctype(vt), src, src, src);
        char *r = fresh("vec");
        if (at->kind == TY_ARRAY) { /* moved in */
            unsigned long long n = (unsigned long long)at->len;
            emit("%s = {mrs_vec_alloc(%llu, sizeof(%s)), %llu, %llu};", decl(vt, r), n, ctype(el), n, n);
            if (n)
                emit("memcpy(%s.ptr, %s.a, sizeof %s.a);", r, src, src);
            else
                emit("(void)%s; /* empty */", src);
            return r;
        }
        Type *view = in->kind == TY_STR || in->kind == TY_SLICE ? at : in;
        const char *vp = in->kind == TY_STR || in->kind == TY_SLICE ? src : deref_text(src);
        char *n = hoist(ty_prim(TY_USIZE), slice_len(view, vp), "n");
        emit("%s = {mrs_vec_alloc(%s, sizeof(%s)), %s, %s};", decl(vt, r), n, ctype(el), n, n);
        emit("for (size_t mrs_i = 0; mrs_i < %s; mrs_i++)", n);
        emit("    %s.ptr[mrs_i] = %s;", r, clone_place(el, xprintf("%s[mrs_i]", slice_ptr(view, vp))));
        return r;
    }
    case BI_ITER_REPEAT:
    case BI_ITER_ONCE:
    case BI_ITER_FROM_FN:
    case BI_ITER_SUCCESSORS: { /* the source's struct, its value or closure moved in */
        Type *t = e->ty;
        need_type(t);
        if (d->builtin == BI_ITER_ONCE) {
            Type *el = t->args[0];
            return xprintf("(%s){%s}", ctype(t), some(ty_adt(cg->prog->option, &el, 1), a[0]));
        }
        if (d->builtin == BI_ITER_SUCCESSORS) {
            char *first = hoist(((Expr *)e->args.items[0])->ty, a[0], "first"); /* (in order) */
            return xprintf("(%s){%s, %s}", ctype(t), first, a[1]);
        }
        return xprintf("(%s){%s}", ctype(t), a[0]);
    }
    case BI_STRING_WITH_CAPACITY: return xprintf("mrs_string_with_capacity(%s)", a[0]);
    case BI_VEC_NEW: return xprintf("(%s){0}", ctype(e->ty));
    case BI_VEC_WITH_CAPACITY: {
        const char *ct = ctype(e->ty);
        return xprintf("(%s){mrs_vec_alloc(%s, sizeof(%s)), 0, %s}", ct, a[0], ctype(e->ty->args[0]), a[0]);
    }
    case BI_PROCESS_EXIT:
        emit("mrs_process_exit(%s);", a[0]);
        return NULL;
    case BI_DROP: {
        Expr *x = e->args.items[0];
        if (has_drop(x->ty)) {
            char *t = hoist(x->ty, a[0], "dropped");
            emit_drop_place(x->ty, t);
        }
        return NULL;
    }
    case BI_MEM_SWAP: {
        Type *t = ((Expr *)e->args.items[0])->ty->args[0];
        char *tmp = fresh("swap");
        emit("%s = *%s;", decl(t, tmp), a[0]);
        emit("*%s = *%s;", a[0], a[1]);
        emit("*%s = %s;", a[1], tmp);
        return NULL;
    }
    case BI_MEM_REPLACE: {
        char *old = hoist(e->ty, deref_text(a[0]), "old");
        emit("%s = %s;", deref_text(a[0]), a[1]);
        return old;
    }
    case BI_MEM_SIZE_OF: { /* Rust's layout, not C's: fields reordered, Option in a spare value */
        Type *st = e->sema;
        int64_t n = rust_size_of(cg->prog, st);
        if (n < 0)
            diag_error(NULL, e->span, "`size_of` of `%s` is not supported by mrsc yet", ty_str(st));
        return xprintf("((size_t)%lld /* size_of::<%s>() in Rust's layout */)", (long long)n, ty_str(st));
    }
    case BI_MEM_TAKE: {
        /* mem::replace(dest, Default::default()): the user's default() runs first */
        char *dflt = hoist(e->ty, default_expr(e->ty), "dflt");
        char *old = hoist(e->ty, deref_text(a[0]), "taken");
        emit("%s = %s;", deref_text(a[0]), dflt);
        return old;
    }
    case BI_STD_FN:
        return shared_static_call(e, a);
    case BI_THREAD_SPAWN:
        return thread_spawn(e, a);
    case BI_CHANNEL:
        return channel_new(e);
    case BI_THREAD_SCOPE:
        return thread_scope(e, a);
    case BI_THREAD_SLEEP:
        thread_sleep(a);
        return NULL;
    case BI_BLOCK_ON:
        return block_on_call(e, a);
    case BI_FUTURE_READY:
    case BI_FUTURE_PENDING:
    case BI_FUTURE_POLL_FN:
    case BI_FUTURE_JOIN:
    case BI_FUTURE_JOIN3:
        return std_future_new(e, a);
    case BI_PTR_NULL:
        return xprintf("(%s)NULL", ctype(e->ty));
    case BI_PTR_EQ:
        return xprintf("(%s == %s)", a[0], a[1]);
    case BI_BOX_NEW: {
        Type *inner = e->ty->args[0];
        if (!a[0]) /* Box::new(()) */
            a[0] = "(MrsUnit){0}";
        return xprintf("%s(%s)", box_new_fn(inner), a[0]);
    }
    case BI_CMP_MAX:
    case BI_CMP_MIN: {
        Type *t = e->ty;
        char *x = is_ident_text(a[0]) ? a[0] : hoist(t, a[0], "a");
        char *y = is_ident_text(a[1]) ? a[1] : hoist(t, a[1], "b");
        return ord_choice(t, x, y, d->builtin == BI_CMP_MAX);
    }
    case BI_DEFAULT: {
        return default_expr(e->ty);
    }
    case BI_CHAR_FROM_U32:
    case BI_CHAR_FROM_DIGIT: {
        char *ok = fresh("ok");
        char *c = fresh("ch");
        emit("uint32_t %s = 0;", c);
        if (d->builtin == BI_CHAR_FROM_U32)
            emit("bool %s = mrs_char_from_u32(%s, &%s);", ok, a[0], c);
        else
            emit("bool %s = mrs_char_from_digit(%s, %s, &%s);", ok, a[0], a[1], c);
        return xprintf("(%s ? %s : %s)", ok, some(e->ty, c), none(e->ty));
    }
    case BI_INT_TRY_FROM: {
        Expr *x = e->args.items[0];
        return int_try_from(e->ty, x->ty, a[0]);
    }
    case BI_INT_FROM_STR_RADIX: { /* through the 128-bit parser, within the type's bounds */
        Type *t = e->ty->args[0];
        char *v = fresh("n"), *kind = fresh("err"), *r = fresh("parsed");
        bool sgn = ty_is_signed(t);
        emit("%s v_%s = 0;", sgn ? "__int128" : "unsigned __int128", v);
        if (sgn)
            emit("int %s = mrs_parse_i128_radix(%s, %s, &v_%s, %s, %s);", kind, a[0], a[1], v, int_min_macro(t), int_max_macro(t));
        else
            emit("int %s = mrs_parse_u128_radix(%s, %s, &v_%s, %s);", kind, a[0], a[1], v, int_max_macro(t));
        emit("%s = %s == MRS_PARSE_OK ? (%s){.tag = %s_Ok, .Ok = {(%s)v_%s}} : (%s){.tag = %s_Err, .Err = {{%s}}};",
             decl(e->ty, r), kind, ctype(e->ty), mangle(e->ty), prim_c[t->kind], v, ctype(e->ty), mangle(e->ty), kind);
        return r;
    }
    default:
        not_supported(e->span, xprintf("`%s`", d->name));
        return dummy(e->ty);
    }
}

/* A pointer to the environment of the closure value `callee` (a place, a
 * reference to one, or a temporary). */
char *closure_env_ptr(Expr *callee)
{
    Type *t = callee->ty;
    if (t->kind == TY_REF) {
        char *p = cg_expr(callee);
        while (t->args[0]->kind == TY_REF) {
            p = deref_text(p);
            t = t->args[0];
        }
        return p;
    }
    Expr *u = unparen(callee);
    bool place = u->kind == EX_PATH || u->kind == EX_FIELD || u->kind == EX_TUPLE_FIELD || u->kind == EX_INDEX ||
                 (u->kind == EX_UNARY && u->unop == UN_DEREF);
    if (!place && t->kind == TY_CLOSURE && t->clo->kind == FN_ONCE) {
        /* `(move || a)()`: a temporary env that the call consumes (no drop after it) */
        char *v = cg_expr(callee);
        return addr_text(is_ident_text(v) ? v : hoist(t, v, "closure"));
    }
    return addr_text(cg_lvalue(callee));
}

char *cg_call(Expr *e)
{
    Expr *callee = unparen(e->operand);
    Def *d = callee->kind == EX_PATH ? callee->def : NULL;
    if (d && d->kind == DEF_BUILTIN)
        return cg_builtin_call(e, d);
    if (d && (d->kind == DEF_VARIANT || d->kind == DEF_ADT)) {
        char **a = cg_args(&e->args);
        return construct(e->ty, d->kind == DEF_VARIANT ? d->variant : 0, a, e->args.len);
    }
    char **a = cg_args(&e->args);
    if (d && d->kind == DEF_FN) {
        Inst *in = e->sema;
        if (d->fn->is_default && in && in->n && in->args[0]->kind != TY_PARAM) {
            /* Trait::f(..) at a concrete Self: the impl's own f, when it has one */
            for (int i = 0; i < cg->prog->impls.len; i++) {
                ImplDef *im = cg->prog->impls.items[i];
                if (im->self_ty != in->args[0] || im->trait != d->fn->trait)
                    continue;
                for (int k = 0; k < im->methods.len; k++) {
                    FnDef *m = im->methods.items[k];
                    if (!strcmp(m->name, d->fn->name))
                        return call_result(e->ty, xprintf("%s(%s%s)", m->cname, join_args(a, e->args.len, NULL),
                                                          caller_arg(m, e->span)));
                }
            }
        }
        const char *fname = in && in->n ? callee_name(d->fn, in->args, in->n) : d->fn->cname;
        return call_result(e->ty, xprintf("%s(%s%s)", fname, join_args(a, e->args.len, NULL), caller_arg(d->fn, e->span)));
    }
    Type *ct = e->operand->ty;
    int outer_refs = 0;
    while (ct->kind == TY_REF && ct->args[0]->kind != TY_DYN) {
        ct = ct->args[0];
        outer_refs++;
    }
    if ((ct->kind == TY_REF || ty_is_std(ct, STD_BOX)) && ct->args[0]->kind == TY_DYN && ct->args[0]->trait->fn_kind) {
        /* through a vtable: `dyn Fn(..)` behind a reference or a Box */
        TraitDef *tr = ct->args[0]->trait;
        bool boxed = ty_is_std(ct, STD_BOX);
        bool once = boxed && tr->fn_kind == FN_ONCE && !outer_refs;
        char *f, *fv;
        if (boxed && !outer_refs && !is_place_expr(e->operand)) {
            /* a Box made for the call (`make()(4)`): evaluated once, dropped after the statement */
            fv = hoist(ct, cg_expr(e->operand), "dynfn");
            Local *tl = unparen(e->operand)->temp;
            if (tl) {
                tl->cname = fv;
                add_pending(ct, fv, tl);
            }
        } else {
            f = once ? cg_lvalue(e->operand) : cg_expr(e->operand);
            for (int i = 0; i < outer_refs; i++)
                f = deref_text(f);
            if (is_ident_text(f))
                fv = f;
            else if (boxed) /* `v[i()](x)`: the place is computed once */
                fv = deref_text(hoist(ty_ref(ct, false), addr_text(f), "dynfn"));
            else
                fv = hoist(ct, f, "dynfn");
        }
        if (outer_refs && !is_ident_text(fv))
            fv = xprintf("(%s)", fv);
        char *call = xprintf("%s->call((void *)%s%s%s)", member(fv, "vtable"), member(fv, "data"), e->args.len ? ", " : "",
                             join_args(a, e->args.len, NULL));
        if (boxed && tr->fn_kind == FN_ONCE && !outer_refs) {
            /* the call consumed the environment; the Box's memory remains */
            char *r = is_void(e->ty) ? (emit("%s;", call), NULL) : hoist(e->ty, call, "result");
            emit("mrs_vec_free(%s.data); /* Box<dyn FnOnce>: called once, its memory freed */", fv);
            return r;
        }
        return call_result(e->ty, call);
    }
    while (ct->kind == TY_REF)
        ct = ct->args[0];
    if (ct->kind == TY_CLOSURE) {
        /* the closure's function, given its environment by pointer */
        Closure *clo = ct->clo;
        char *env = closure_env_ptr(e->operand);
        return call_result(e->ty, xprintf("%s_%s(%s%s%s)", mangle(ct), call_suffix[clo->kind], env,
                                          e->args.len ? ", " : "", join_args(a, e->args.len, NULL)));
    }
    char *f = cg_expr(e->operand);
    if (e->operand->ty->kind == TY_REF)
        f = deref_text(f);
    return call_result(e->ty, xprintf("%s(%s)", f, join_args(a, e->args.len, NULL)));
}

char *cg_path(Expr *e)
{
    Def *d = e->def;
    switch (d->kind) {
    case DEF_LOCAL:
        return xstrdup(d->local->cname);
    case DEF_FN:
        return xstrdup(d->fn->cname);
    case DEF_CONST:
    case DEF_STATIC:
        if (!d->cname) {
            not_supported(e->span, "this associated const here");
            return dummy(e->ty);
        }
        return xstrdup(d->cname);
    case DEF_VARIANT:
    case DEF_ADT:
        if (e->ty->kind == TY_FN) {
            not_supported(e->span, "a constructor used as a function value");
            return dummy(e->ty);
        }
        return construct(e->ty, d->kind == DEF_VARIANT ? d->variant : 0, NULL, 0);
    case DEF_BUILTIN: {
        Type *t = d->type;
        switch (d->builtin) {
        case BI_INT_MAX:
            if (t->kind == TY_CHAR)
                return xstrdup("(uint32_t)0x10FFFF /* char::MAX */");
            return xprintf("(%s)%s", prim_c[t->kind], int_max_macro(t));
        case BI_INT_MIN:
            if (t->kind == TY_CHAR)
                return xstrdup("(uint32_t)0 /* char::MIN */");
            return t->kind <= TY_ISIZE ? xprintf("(%s)%s", prim_c[t->kind], int_min_macro(t)) : xstrdup("0");
        case BI_INT_BITS: return xprintf("%du", ty_int_bits(t));
        case BI_DURATION_ZERO: return xstrdup("(MrsDuration){0, 0}");
        case BI_FLOAT_MAX: return xstrdup(t->kind == TY_F32 ? "FLT_MAX" : "DBL_MAX");
        case BI_FLOAT_MIN: return xstrdup(t->kind == TY_F32 ? "-FLT_MAX" : "-DBL_MAX");
        case BI_FLOAT_MIN_POSITIVE: return xstrdup(t->kind == TY_F32 ? "FLT_MIN" : "DBL_MIN");
        case BI_FLOAT_EPSILON: return xstrdup(t->kind == TY_F32 ? "FLT_EPSILON" : "DBL_EPSILON");
        case BI_FLOAT_INFINITY: return xstrdup(t->kind == TY_F32 ? "INFINITY" : "(double)INFINITY");
        case BI_FLOAT_NEG_INFINITY: return xstrdup(t->kind == TY_F32 ? "-INFINITY" : "-(double)INFINITY");
        case BI_FLOAT_NAN: return xstrdup(t->kind == TY_F32 ? "NAN" : "(double)NAN");
        case BI_F64_CONST: return xprintf("%s%s", float_const_digits(d->name), t->kind == TY_F32 ? "f" : "");
        case BI_CMP_MAX:
        case BI_CMP_MIN: { /* as a fn value: a function of the primitive type (max: the second of equals) */
            Type *pt = e->ty->args[0];
            bool max = d->builtin == BI_CMP_MAX;
            const char *name = xprintf("std_cmp_%s_%s", max ? "max" : "min", mangle(pt));
            if (!helper_done(name)) {
                Saved sv;
                const char *ct = ctype(pt);
                StrBuf *b = begin_helper(xprintf("%s %s(%s a, %s b)", ct, name, ct, ct), &sv);
                emit(max ? "return b >= a ? b : a;" : "return b < a ? b : a;");
                end_helper(b, &sv);
            }
            return xstrdup(name);
        }
        default: break;
        }
        break;
    }
    default:
        break;
    }
    not_supported(e->span, "this path");
    return dummy(e->ty);
}

char *cg_struct_lit(Expr *e)
{
    Def *d = e->def;
    AdtDef *a = d->adt;
    int vi = d->kind == DEF_VARIANT ? d->variant : 0;
    VariantInfo *v = &a->variants[vi];
    int n = v->nfields;
    char **vals = arena_alloc(g_arena, sizeof(char *) * (size_t)(n + 1));
    /* field initializers in source order, then placed by field index */
    Expr **order = arena_alloc(g_arena, sizeof(Expr *) * (size_t)(e->fields.len + 1));
    for (int i = 0; i < e->fields.len; i++)
        order[i] = ((FieldInit *)e->fields.items[i])->value;
    char **texts = cg_operands(order, e->fields.len);
    for (int i = 0; i < e->fields.len; i++) {
        FieldInit *fi = e->fields.items[i];
        for (int k = 0; k < n; k++)
            if (strcmp(v->fields[k].name, fi->name) == 0)
                vals[k] = texts[i];
    }
    if (e->base) {
        Expr *bu = unparen(e->base);
        bool place = bu->kind == EX_PATH || bu->kind == EX_FIELD || bu->kind == EX_TUPLE_FIELD ||
                     bu->kind == EX_INDEX || (bu->kind == EX_UNARY && bu->unop == UN_DEREF);
        char *b;
        if (place) {
            Local *l = bu->kind == EX_PATH && bu->def && bu->def->kind == DEF_LOCAL ? bu->def->local : NULL;
            bool open = l && open_split(l) && splittable_type(l->type) && !a->is_enum;
            Local *saved_moves = bu->moves;
            if (open)
                bu->moves = NULL; /* `..p` moves the fields it fills, not p */
            b = cg_lvalue(e->base);
            bu->moves = saved_moves;
            if (open)
                for (int k = 0; k < n; k++) {
                    const char *step = v->kind == SK_TUPLE ? xprintf("%d", k) : v->fields[k].name;
                    size_t sn = strlen(step);
                    for (int m = 0; !vals[k] && m < l->moved_fields.len; m++) {
                        const char *mp = l->moved_fields.items[m];
                        if (!strncmp(mp, step, sn) && (!mp[sn] || mp[sn] == '.')) /* it moves into the new value */
                            clear_flag(part_name(l, mp, "live"));
                    }
                }
            if (l && split_local(l) && !a->is_enum)
                for (int k = 0; k < n; k++) {
                    const char *step, *fpl;
                    Type *ft = field_of(l, k, &step, &fpl);
                    if (!vals[k] && field_flagged(l, step, ft))
                        clear_flag(part_name(l, step, "live")); /* this field moves into the new value */
                }
        } else {
            /* a temporary base: its remaining fields move into the result,
             * the ones given explicitly are dropped */
            b = hoist(e->base->ty, cg_expr(e->base), "base");
            const char *pre = a->is_enum ? xprintf("%s.", v->name) : "";
            for (int k = 0; k < n; k++)
                if (vals[k])
                    emit_drop_place(ty_subst(v->fields[k].type, e->ty->args, e->ty->nargs),
                                    member(b, xprintf("%s%s", pre, field_name(v, k))));
        }
        const char *pre = a->is_enum ? xprintf("%s.", v->name) : "";
        for (int k = 0; k < n; k++)
            if (!vals[k])
                vals[k] = member(b, xprintf("%s%s", pre, field_name(v, k)));
    }
    if (!a->is_enum) {
        StrBuf sb;
        sb_init(&sb);
        sb_printf(&sb, "(%s){", ctype(e->ty));
        for (int k = 0; k < n; k++)
            sb_printf(&sb, "%s.%s = %s", k ? ", " : "", field_name(v, k), vals[k] ? vals[k] : "{0}");
        if (n == 0)
            sb_puts(&sb, "0");
        sb_puts(&sb, "}");
        char *r = xstrdup(sb.data);
        sb_free(&sb);
        return r;
    }
    return construct(e->ty, vi, vals, n);
}

bool cg_mut_slice; /* the slice view being made is borrowed mutably (&mut v[a..b]) */

/* `place = value`: the old value is dropped first, what a split or
 * partly moved local still owns part by part; `_ = value` evaluates. */
char *cg_assign(Expr *e)
{
    Expr *lhs = unparen(e->lhs);
    if (ast_is_underscore(lhs)) {
        deliver(discard(), e->rhs->ty, cg_expr(e->rhs), NULL); /* _ = expr */
        return NULL;
    }
    char *v = cg_expr(e->rhs);
    char *p = cg_place_mut(e->lhs);
    if (v && !strcmp(v, p)) /* `p = p`: moved out, then back in (C warns of a self-assignment) */
        v = hoist(e->rhs->ty, v, "moved");
    Local *root = root_local(e->lhs);
    bool whole = root && unparen(e->lhs)->kind == EX_PATH;
    if (root && split_local(root) && whole) {
        /* the fields still owned are dropped, then every field is there again */
        char *nv = is_ident_text(v) ? v : hoist(e->lhs->ty, v, "new");
        emit_split_drop(root);
        emit("%s = %s;", p, nv);
        set_split_flags(root);
        return NULL;
    }
    if (root && open_split(root) && whole) {
        char *nv = is_ident_text(v) ? v : hoist(e->lhs->ty, v, "new");
        drop_enum_rest(root);
        emit("%s = %s;", p, nv);
        set_open_split_flags(root);
        return NULL;
    }
    if (!root && lhs->kind == EX_UNARY && lhs->unop == UN_DEREF) { /* `*b = v` on a Box */
        Local *b = root_local(lhs->operand);
        root = b && split_local(b) ? b : NULL;
    }
    if (root && open_split(root) && splittable_type(root->type)) {
        const char *fs = direct_field(e->lhs, root);
        if (fs && (path_moved(root, fs) || moved_inside(root, fs))) {
            /* `p.a = v` where p.a (or a part of it) was moved on some path: what is
             * still there is dropped by its flags, then all of it is there again */
            char *nv = is_ident_text(v) ? v : hoist(e->lhs->ty, v, "new");
            drop_owned(root, e->lhs->ty, fs, p);
            emit("%s = %s;", p, nv);
            size_t n = strlen(fs);
            for (int k = 0; k < root->moved_fields.len; k++) {
                const char *m = root->moved_fields.items[k];
                if (!strncmp(m, fs, n) && (m[n] == '.' || !m[n]))
                    emit("%s = true;", part_name(root, m, "live"));
            }
            return NULL;
        }
    }
    const char *step = root && split_local(root) ? direct_field(e->lhs, root) : NULL;
    if (step && moved_inside(root, step)) {
        /* `x.a = v` where a part of x.a was moved on some path: its parts go by their flags */
        char *nv = is_ident_text(v) ? v : hoist(e->lhs->ty, v, "new");
        List parts = split_parts(root);
        size_t n = strlen(step);
        for (int k = 0; k < parts.len; k++) {
            Part *pt = parts.items[k];
            if (strncmp(pt->path, step, n) || pt->path[n] != '.')
                continue;
            if (field_flagged(root, pt->path, pt->type)) {
                emit("if (%s)", part_name(root, pt->path, "live"));
                cg->indent++;
                emit_drop_place(pt->type, pt->place);
                cg->indent--;
            } else {
                emit_drop_place(pt->type, pt->place);
            }
        }
        emit("%s = %s;", p, nv);
        for (int k = 0; k < parts.len; k++) {
            Part *pt = parts.items[k];
            if (!strncmp(pt->path, step, n) && pt->path[n] == '.' && field_flagged(root, pt->path, pt->type))
                emit("%s = true;", part_name(root, pt->path, "live"));
        }
        return NULL;
    }
    if (step && field_flagged(root, step, e->lhs->ty)) {
        /* a field moved on some path: its old value is dropped only if it is still there */
        char *nv = is_ident_text(v) ? v : hoist(e->lhs->ty, v, "new");
        emit("if (%s)", part_name(root, step, "live"));
        cg->indent++;
        emit_drop_place(e->lhs->ty, p);
        cg->indent--;
        emit("%s = %s;", p, nv);
        emit("%s = true;", part_name(root, step, "live"));
        return NULL;
    }
    if (root && flagged(root) && whole) {
        /* the old value is dropped only if it is still there */
        char *nv = is_ident_text(v) ? v : hoist(e->lhs->ty, v, "new");
        emit("if (%s_live)", root->cname);
        cg->indent++;
        emit_drop_place(e->lhs->ty, p);
        cg->indent--;
        emit("%s = %s;", p, nv);
        emit("%s_live = true;", root->cname);
        return NULL;
    }
    if (root && whole && has_drop(e->lhs->ty) && static_moves(root)) {
        /* moved on every path here, or on none (the CFG says which) */
        char *nv = is_ident_text(v) ? v : hoist(e->lhs->ty, v, "new");
        if (bck_drop_state(root, e) == DROP_LIVE)
            emit_drop_place(e->lhs->ty, p);
        else
            emit("/* `%s` was moved out: no old value to drop */", root->name);
        emit("%s = %s;", p, nv);
        if (guarded(root))
            emit("%s_guard.drop = %s; /* `%s` holds a value again */", root->cname, unwind_drop_fn(root->type),
                 root->name);
        return NULL;
    }
    /* the old value is dropped; a field of a partly moved local is left alone (a
     * local only ever moved whole holds its fields here: rustc rejects assigning
     * into a moved value) */
    bool old_there = !(root && flagged(root));
    if (!old_there && !whole) {
        const char *fs = direct_field(e->lhs, root);
        if (!root->moved_deep && (!root->moved_fields.len || (fs && !path_moved(root, fs) && !moved_inside(root, fs))))
            old_there = true; /* a field nothing moved out of */
    }
    if (has_drop(e->lhs->ty) && old_there) {
        /* the old value is dropped when the new one is stored */
        char *nv = is_ident_text(v) ? v : hoist(e->lhs->ty, v, "new");
        emit_drop_place(e->lhs->ty, p);
        v = nv;
    }
    if (v)
        emit("%s = %s;", p, v);
    return NULL;
}

char *cg_expr_inner(Expr *e)
{
    switch (e->kind) {
    case EX_INT:
        if (ty_is_float(e->ty))
            return int_lit(e->ty, e->int_val);
        return int_lit128(e->ty, e->int_hi, e->int_val);
    case EX_FLOAT:
        return float_lit(e, e->ty);
    case EX_BOOL:
        return xstrdup(e->bool_val ? "true" : "false");
    case EX_CHAR:
        return char_lit(e->int_val);
    case EX_BYTE:
        return xprintf("%llu", (unsigned long long)e->int_val);
    case EX_STR:
        return xprintf("MRS_STR(%s)", c_string(e->str, e->str_len));
    case EX_BYTE_STR: {
        Type *arr = e->ty->args[0];
        char *t = fresh("bytes");
        StrBuf sb;
        sb_init(&sb);
        for (size_t i = 0; i < e->str_len; i++)
            sb_printf(&sb, "%s%u", i ? ", " : "", (unsigned char)e->str[i]);
        emit("static const %s %s = {{%s}};", ctype(arr), t, sb.data ? sb.data : "0");
        sb_free(&sb);
        return xprintf("&%s", t);
    }
    case EX_PATH:
        return cg_path(e);
    case EX_PAREN:
        return cg_expr(e->operand);
    case EX_UNARY:
        return cg_unary(e);
    case EX_REF: {
        Type *ot = e->operand->ty;
        Expr *in = unparen(e->operand);
        if (ot->kind == TY_DYN && in->kind == EX_UNARY && in->unop == UN_DEREF) {
            /* `&*b` of a Box<dyn T> (or `&*r` of a &dyn T): the same object and vtable, borrowed */
            char *b = cg_lvalue(in->operand);
            if (!is_ident_text(b))
                b = deref_text(hoist(ty_ref(in->operand->ty, false), addr_text(b), "dynref"));
            return xprintf("(%s){%s, %s}", ctype(e->ty), member(b, "data"), member(b, "vtable"));
        }
        Local *x = extended_temp(e->operand);
        if (x)
            return addr_text(extend_temp(x, e->operand));
        Expr *uo = unparen(e->operand);
        bool std_const = uo->kind == EX_PATH && uo->def && uo->def->kind == DEF_BUILTIN; /* `&f64::NAN`, `&i32::MAX` */
        if (uo->promoted || std_const) {
            /* rustc promotes a constant behind `&` to a static: it outlives the frame */
            char *name = fresh("promoted");
            emit("static const %s = %s;", decl(ot, name), std_const ? cg_expr(uo) : const_init(e->operand, ot));
            return xprintf("&%s", name);
        }
        if (ot->kind == TY_STR || ot->kind == TY_SLICE) { /* &s[..], &*s: already a fat value */
            bool saved = cg_mut_slice;
            cg_mut_slice = e->is_mut;
            char *v = cg_expr(e->operand);
            cg_mut_slice = saved;
            return v;
        }
        Expr *op = unparen(e->operand);
        if (ot->kind == TY_FN && op->kind == EX_PATH && op->def && op->def->kind == DEF_FN)
            /* `&f` of a fn item: a pointer to a fn-pointer value, not C's `&f` */
            return xprintf("&(%s){%s}", ctype(ot), cg_expr(op));
        if (op->kind == EX_UNARY && op->unop == UN_DEREF && op->operand->ty && op->operand->ty->kind == TY_REF)
            emit("/* `%s`: a reborrow, the same address under a new borrow (borrows cost nothing at run time) */",
                 one_line(diag_source_text(e->span)));
        char *p = e->is_mut ? cg_place_mut(e->operand) : cg_lvalue(e->operand);
        return addr_text(p);
    }
    case EX_BINARY:
        return cg_binary(e);
    case EX_ASSIGN:
        return cg_assign(e);
    case EX_ASSIGN_OP: {
        Type *lt = e->lhs->ty;
        if (e->sema) { /* impl AddAssign for T */
            FnDef *f = e->sema;
            char *v = cg_expr(e->rhs);
            char *p = cg_place_mut(e->lhs);
            emit("%s(%s, %s);", op_fn_name(f, e->lhs->ty), addr_text(p), v);
            return NULL;
        }
        if (ty_is_std(lt, STD_STRING)) {
            char *v = cg_expr(e->rhs);
            char *p = cg_place_mut(e->lhs);
            emit("mrs_string_push_str(%s, %s);", addr_text(p), str_value(e->rhs->adjust ? e->rhs->adjust->target : e->rhs->ty, v));
            return NULL;
        }
        char *v = num_operand(e->rhs, cg_expr(e->rhs));
        char *p = cg_place_mut(e->lhs);
        if (!is_ident_text(p) && strchr(p, '(')) {
            /* evaluate the place once */
            char *ptr = hoist(ty_ref(lt, true), addr_text(p), "place");
            p = deref_text(ptr);
        }
        Type *t = peel_refs(lt);
        emit("%s = %s;", p, arith(e->binop, t, p, v, e->span));
        return NULL;
    }
    case EX_CAST:
        return cg_cast(e);
    case EX_CALL:
        return cg_call(e);
    case EX_METHOD:
        return cg_method(e);
    case EX_FIELD:
    case EX_TUPLE_FIELD:
    case EX_INDEX: {
        if (e->kind == EX_INDEX && unparen(e->rhs)->kind == EX_RANGE) {
            /* &v[a..b], &s[a..] : a slice view after Rust's checks */
            FieldRes *fr = e->sema;
            Type *bt = fr->base_ty;
            char *base = deref_n(cg_lvalue(e->lhs), e->lhs->ty, fr->derefs);
            Expr *r = unparen(e->rhs);
            Expr *ops[2] = {r->lhs, r->rhs};
            int nops = 0;
            Expr *present[2];
            for (int i = 0; i < 2; i++)
                if (ops[i])
                    present[nops++] = ops[i];
            char **v = cg_operands(present, nops);
            char *lo = r->lhs ? v[0] : "0";
            char *hi = r->rhs ? v[r->lhs ? 1 : 0] : NULL;
            Span at = bracket_span(e);
            if (ty_is_std(bt, STD_STRING) || bt->kind == TY_STR) {
                char *s = ty_is_std(bt, STD_STRING) ? xprintf("mrs_string_as_str(%s)", addr_text(base)) : base;
                if (!hi)
                    return xprintf("mrs_str_slice_from(%s, %s, %s)", s, lo, loc(at));
                return xprintf("mrs_str_slice%s(%s, %s, %s, %s)", r->inclusive ? "_inclusive" : "", s, lo, hi, loc(at));
            }
            char *len = slice_len(bt, base);
            char *lov = is_ident_text(lo) || isdigit((unsigned char)lo[0]) ? lo : hoist(ty_prim(TY_USIZE), lo, "lo");
            char *hiv = hi ? (is_ident_text(hi) || isdigit((unsigned char)hi[0]) ? hi : hoist(ty_prim(TY_USIZE), hi, "hi")) : len;
            emit("mrs_slice_check%s(%s, %s, %s, %s);", r->inclusive ? "_inclusive" : "", loc(at), lov, hiv, len);
            bool mut = (e->adjust && e->adjust->autoref == 2) || cg_mut_slice;
            Type *st = ty_ref(ty_slice(bt->args[0]), mut);
            return xprintf("(%s){%s + %s, %s - %s%s}", ctype(st), slice_ptr(bt, base), lov, hiv, lov,
                           r->inclusive ? " + 1" : "");
        }
        return cg_place(e);
    }
    case EX_TUPLE: {
        if (e->args.len == 0)
            return NULL;
        char **v = cg_args(&e->args);
        return xprintf("(%s){%s}", ctype(e->ty), join_args(v, e->args.len, NULL));
    }
    case EX_ARRAY: {
        char **v = cg_args(&e->args);
        if (!e->args.len) /* `[]`: the zero initializer (its one C element is a placeholder) */
            return xprintf("(%s){0}", ctype(e->ty));
        return xprintf("(%s){{%s}}", ctype(e->ty), join_args(v, e->args.len, NULL));
    }
    case EX_ARRAY_REPEAT: {
        char *x = cg_expr(e->lhs);
        if (!x)
            x = xstrdup("(MrsUnit){0}"); /* [(); n] */
        char *t = fresh("array");
        emit("%s;", decl(e->ty, t));
        char *xv = is_ident_text(x) || isdigit((unsigned char)x[0]) ? x : hoist(e->lhs->ty, x, "elem");
        emit("for (size_t mrs_i = 0; mrs_i != %llu; mrs_i++)", (unsigned long long)e->ty->len);
        emit("    %s.a[mrs_i] = %s;", t, xv);
        return t;
    }
    case EX_STRUCT:
        return cg_struct_lit(e);
    case EX_RANGE: {
        Expr *ops[2] = {e->lhs, e->rhs};
        if (e->ty->len) /* `a..`: counts up from start (no end) */
            return xprintf("(%s){%s, 0}", ctype(e->ty), cg_expr(e->lhs));
        if (!e->lhs || !e->rhs) {
            not_supported(e->span, "an open range outside an index");
            return dummy(e->ty);
        }
        char **v = cg_operands(ops, 2);
        return xprintf("(%s){%s, %s%s}", ctype(e->ty), v[0], v[1], e->ty->inclusive ? ", false" : "");
    }
    case EX_BLOCK:
    case EX_IF:
    case EX_MATCH:
    case EX_LOOP:
    case EX_WHILE:
    case EX_FOR:
        return blocklike_value(e);
    case EX_BREAK:
        cg_break(e, false);
        return NULL;
    case EX_CONTINUE:
        cg_break(e, true);
        return NULL;
    case EX_RETURN: {
        char *v = e->operand ? cg_expr(e->operand) : NULL;
        deliver((Dest){D_RETURN, NULL}, e->operand ? e->operand->ty : ty_unit(), v, e);
        return NULL;
    }
    case EX_AWAIT:
        return cg_await(e);
    case EX_TRY:
        return cg_try(e);
    case EX_CLOSURE:
        return cg_closure(e);
    case EX_MACRO:
        return cg_macro(e);
    default:
        not_supported(e->span, "this expression");
        return dummy(e->ty);
    }
}

/* A place that is written or borrowed mutably: `impl DerefMut` on the way is called. */
char *cg_place_mut(Expr *e)
{
    bool saved = cg->deref_mut;
    cg->deref_mut = true;
    char *p = cg_lvalue(e);
    cg->deref_mut = saved;
    return p;
}

char *cg_expr(Expr *e)
{
    char *cap = capture_text(e);
    if (cap)
        return apply_adjust(e, cap);
    note_move(e);
    bool saved_mut = cg->deref_mut; /* a value inside a place (an index) is read */
    cg->deref_mut = false;
    char *v = cg_expr_inner(e);
    cg->deref_mut = saved_mut;
    if (is_never(e->ty))
        return e->adjust && e->adjust->coerce == CO_NEVER ? dummy(e->adjust->target) : NULL;
    if (is_unit(e->ty) && v && !e->adjust) {
        /* `()` as a value: evaluate for effects */
        if (impure(v))
            emit("%s;", v);
        return NULL;
    }
    return apply_adjust(e, v);
}

/* The initializer of a static for promoted constant e of type t (a C
 * constant expression: braces, not compound literals). */
char *const_init(Expr *e, Type *t)
{
    e = unparen(e);
    if (e->kind != EX_TUPLE && e->kind != EX_ARRAY)
        return lit_text(e, t);
    StrBuf sb;
    sb_init(&sb);
    sb_puts(&sb, e->kind == EX_ARRAY ? "{{" : "{");
    for (int i = 0; i < e->args.len; i++)
        sb_printf(&sb, "%s%s", i ? ", " : "", const_init(e->args.items[i], e->kind == EX_ARRAY ? t->args[0] : t->args[i]));
    sb_puts(&sb, e->kind == EX_ARRAY ? "}}" : "}");
    char *r = xstrdup(sb.data);
    sb_free(&sb);
    return r;
}

bool is_place_expr(Expr *e)
{
    e = unparen(e);
    return e->kind == EX_PATH || e->kind == EX_FIELD || e->kind == EX_TUPLE_FIELD || e->kind == EX_INDEX ||
           (e->kind == EX_UNARY && e->unop == UN_DEREF);
}
