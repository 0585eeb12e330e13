/* cstd.c — method calls, and the std methods mrsc lowers itself.
 *
 * requires: sema's MethodRes on each call (the user method, or the std
 * method and the receiver's adjustments);
 * produces: user method calls with their receiver adjusted, and the C of
 * each std method of integers, floats, char, str, String, Vec, slices,
 * Option, Result and iterator consumers (sum, collect, fold, ...), inline
 * or as a call into libmrsrt. */
#include "cg_int.h"

/* The receiver as a C place after its auto-derefs. A receiver taken by
 * value (`self`) that is an rvalue is moved into a temporary (not dropped
 * there: the method consumes it). */
char *recv_place(Expr *m, bool by_value)
{
    Expr *r = m->operand;
    Adjust *a = r->adjust;
    char *p;
    Expr *u = unparen(r);
    bool is_place = u->kind == EX_PATH || u->kind == EX_FIELD || u->kind == EX_TUPLE_FIELD || u->kind == EX_INDEX ||
                    (u->kind == EX_UNARY && u->unop == UN_DEREF);
    if (by_value && u->kind == EX_UNARY && u->unop == UN_DEREF && ty_is_std(u->operand->ty, STD_BOX) &&
        !is_place_expr(u->operand))
        is_place = false; /* `(*make_box()).by_value()`: the contents move out, the Box is freed */
    if (by_value && r != u)
        note_move(r); /* `(*b).by_value()`: the move is noted on the parenthesized receiver */
    if (is_place || !by_value) {
        Adjust *ra = r->adjust;
        MethodRes *mr = m->sema;
        const StdMethod *sm = mr && mr->bm ? std_method(mr->bm) : NULL;
        bool mut = (ra && ra->autoref == 2) || (mr && mr->fn && mr->fn->self_kind == SELF_REF_MUT) ||
                   (sm && sm->recv == RECV_REF_MUT);
        p = mut ? cg_place_mut(r) : cg_lvalue(r);
        bool saved = cg->deref_mut;
        cg->deref_mut = mut;
        p = deref_n(p, r->ty, a ? a->derefs : 0);
        cg->deref_mut = saved;
        return p;
    } else {
        char *v = cg_expr(r);
        p = is_ident_text(v) ? v : hoist(r->ty, v, "recv");
        if (a && a->derefs == 1 && ty_is_std(r->ty, STD_BOX) && r->ty->args[0]->kind != TY_DYN) {
            /* `make_box().by_value()`: the contents move out of the temporary Box, which is freed */
            char *c = hoist(r->ty->args[0], deref_text(p), "unboxed");
            emit("mrs_vec_free(%s);", p);
            return c;
        }
    }
    return deref_n(p, r->ty, a ? a->derefs : 0);
}

char *str_of(Type *b, const char *p)
{
    if (ty_is_std(b, STD_STRING))
        return xprintf("mrs_string_as_str(%s)", addr_text(p));
    return xstrdup(p); /* str: the place is the MrsStr itself */
}

/* panic with "<prefix><Debug of place>" */
void panic_with_debug(Span at, const char *prefix, Type *t, const char *place)
{
    emit("MrsString panic_msg = mrs_string_from(MRS_STR(%s));", c_string(prefix, strlen(prefix)));
    emit("MrsFormatter fmt = mrs_fmt_new(&panic_msg);");
    fmt_place("&fmt", t, FT_DEBUG, place);
    if (ty_is_std(t, STD_POISONERROR)) /* `lock().unwrap()` on a poisoned Mutex: its guard unlocks as the panic unwinds */
        emit_drop_place(t, place);
    emit("mrs_panic_string(%s, panic_msg);", loc(at));
}

char *opt_unwrap(Expr *e, Type *ot, const char *p, const char *msg_expr)
{
    emit("if (%s.tag == %s_None)", p, mangle(ot));
    if (msg_expr)
        emit("    mrs_panic(%s, %s);", loc(e->name_span), msg_expr);
    else
        emit("    mrs_panic_cstr(%s, \"called `Option::unwrap()` on a `None` value\");", loc(e->name_span));
    return xprintf("%s.Some._0", p);
}

char *res_unwrap(Expr *e, Type *rt, const char *p, const char *msg_expr, bool want_err)
{
    const char *bad = want_err ? "Ok" : "Err";
    emit("if (%s.tag == %s_%s) {", p, mangle(rt), bad);
    cg->indent++;
    Type *payload = rt->args[want_err ? 0 : 1];
    if (msg_expr) {
        emit("MrsString panic_msg = mrs_string_from(%s);", msg_expr);
        emit("mrs_string_push_str(&panic_msg, MRS_STR(\": \"));");
        emit("MrsFormatter fmt = mrs_fmt_new(&panic_msg);");
        fmt_place("&fmt", payload, FT_DEBUG, xprintf("%s.%s._0", p, bad));
        if (ty_is_std(payload, STD_POISONERROR))
            emit_drop_place(payload, xprintf("%s.%s._0", p, bad));
        emit("mrs_panic_string(%s, panic_msg);", loc(e->name_span));
    } else {
        panic_with_debug(e->name_span,
                         want_err ? "called `Result::unwrap_err()` on an `Ok` value: "
                                  : "called `Result::unwrap()` on an `Err` value: ",
                         payload, xprintf("%s.%s._0", p, bad));
    }
    cg->indent--;
    emit("}");
    return xprintf("%s.%s._0", p, want_err ? "Err" : "Ok");
}

/* A temp holding an Option/Result receiver (evaluated once). */
char *once(Type *t, char *p)
{
    return is_ident_text(p) ? p : hoist(t, p, "v");
}

/* A std method whose row gives its C as a template (std_methods.def):
 * the receiver's value x and the arguments a put in. */
/* How many times a template names `$c`. */
static int template_uses(const char *tpl, char c)
{
    int n = 0;
    for (const char *p = tpl; *p; p++)
        if (p[0] == '$' && p[1] == c)
            n++;
    return n;
}

/* A value a template names more than once is evaluated once, into a temporary
 * (`x.max(f())` calls f once). */
static const char *tpl_once(const char *tpl, char c, const char *v, Type *t)
{
    if (template_uses(tpl, c) < 2 || is_ident_text(v) || isdigit((unsigned char)v[0]) || !impure(v))
        return v;
    return hoist(t, v, "arg");
}

char *std_template(const char *tpl, Expr *e, Type *self, const char *x, char **a)
{
    x = tpl_once(tpl, 's', x, self);
    for (int i = 0; i < e->args.len && i < 10; i++)
        a[i] = (char *)tpl_once(tpl, (char)('0' + i), a[i], ((Expr *)e->args.items[i])->ty);
    StrBuf sb;
    sb_init(&sb);
    for (const char *p = tpl; *p; p++) {
        if (*p != '$' || !p[1]) {
            sb_putc(&sb, *p);
            continue;
        }
        char c = *++p;
        if (c == 's')
            sb_puts(&sb, x);
        else if (c >= '0' && c <= '9')
            sb_puts(&sb, a[c - '0']);
        else if (c == 't')
            sb_puts(&sb, self->kind == TY_F32 ? "f32" : self->kind == TY_F64 ? "f64" : int_name(self));
        else if (c == 'm')
            sb_puts(&sb, self->kind == TY_F32 ? "f" : "");
        else if (c == 'C')
            sb_puts(&sb, prim_c[self->kind]);
        else if (c == 'U') /* the unsigned type of its width */
            sb_puts(&sb, prim_c[self->kind < TY_U8 ? self->kind + (TY_U8 - TY_I8) : self->kind]);
        else if (c == 'L')
            sb_puts(&sb, loc(e->span));
        else
            ICE("std method template `%s`: unknown `$%c`", tpl, c);
    }
    char *r = xstrdup(sb.data ? sb.data : "");
    sb_free(&sb);
    return r;
}

char *int_method(Expr *e, MethodRes *mr, const char *x, char **a)
{
    Type *b = mr->self_ty;
    const char *n = int_name(b);
    switch (mr->bm) {
    case BM_INT_POW:
        return xprintf(cg->opt->release ? "mrs_wrapping_pow_%s(%s, %s)" : "mrs_pow_%s(%s, %s)", n, x, a[0]);
    case BM_INT_ABS:
        return xprintf(cg->opt->release ? "mrs_wrapping_abs_%s(%s)" : "mrs_abs_%s(%s)", n, x);
    case BM_INT_CHECKED_NEXT_POWER_OF_TWO: { /* None past the largest power of two of the type */
        char *v = is_ident_text(x) ? (char *)x : hoist(b, x, "n");
        int bits = ty_int_bits(b);
        return xprintf("(%s <= ((%s)1 << %d) ? %s : %s)", v, prim_c[b->kind], bits - 1,
                       some(e->ty, xprintf("(%s)mrs_next_pow2(%s)", prim_c[b->kind], v)), none(e->ty));
    }
    case BM_INT_CHECKED_ADD: case BM_INT_CHECKED_SUB: case BM_INT_CHECKED_MUL: case BM_INT_CHECKED_DIV:
    case BM_INT_CHECKED_REM: case BM_INT_CHECKED_POW: {
        static const char *ops[] = {"add", "sub", "mul", "div", "rem", "pow"};
        const char *op = ops[mr->bm - BM_INT_CHECKED_ADD];
        char *out = fresh("r");
        char *ok = fresh("ok");
        emit("%s = 0;", decl(b, out));
        emit("bool %s = mrs_checked_%s_%s(%s, %s, &%s);", ok, op, n, x, a[0], out);
        return xprintf("(%s ? %s : %s)", ok, some(e->ty, out), none(e->ty));
    }
    case BM_INT_OVERFLOWING_ADD:
    case BM_INT_OVERFLOWING_SUB:
    case BM_INT_OVERFLOWING_MUL: { /* the wrapped result and whether it wrapped */
        static const char *ops[] = {"add", "sub", "mul"};
        need_type(e->ty);
        char *out = fresh("r");
        emit("%s;", decl(b, out));
        char *o = hoist(ty_prim(TY_BOOL), xprintf("__builtin_%s_overflow(%s, %s, &%s)", ops[mr->bm - BM_INT_OVERFLOWING_ADD], x, a[0], out),
                        "wrapped");
        return xprintf("(%s){%s, %s}", ctype(e->ty), out, o);
    }
    case BM_INT_CLAMP: { /* min > max panics where clamp is called */
        char *xv = hoist(b, x, "v"), *lo = hoist(b, a[0], "lo"), *hi = hoist(b, a[1], "hi");
        emit("if (%s > %s) {", lo, hi);
        cg->indent++;
        emit("MrsString panic_msg = mrs_string_from(MRS_STR(\"min > max. min = \"));");
        emit("MrsFormatter fmt = mrs_fmt_new(&panic_msg);");
        fmt_place("&fmt", b, FT_DISPLAY, lo);
        emit("mrs_fmt_lit(&fmt, \", max = \");");
        fmt_place("&fmt", b, FT_DISPLAY, hi);
        emit("mrs_panic_string(%s, panic_msg);", loc(e->name_span));
        cg->indent--;
        emit("}");
        return xprintf("(%s < %s ? %s : %s > %s ? %s : %s)", xv, lo, lo, xv, hi, hi, xv);
    }
    case BM_INT_CHECKED_NEG: { /* None for MIN (signed) or anything but 0 (unsigned) */
        char *xv = is_ident_text(x) ? (char *)x : hoist(b, x, "v");
        if (!ty_is_signed(b))
            return xprintf("(%s == 0 ? %s : %s)", xv, some(e->ty, "0"), none(e->ty));
        return xprintf("(%s == %s ? %s : %s)", xv, int_min_macro(b), none(e->ty),
                       some(e->ty, xprintf("mrs_wrapping_neg_%s(%s)", n, xv)));
    }
    case BM_INT_CHECKED_ABS: { /* None for MIN, whose absolute value does not fit */
        char *xv = is_ident_text(x) ? (char *)x : hoist(b, x, "v");
        return xprintf("(%s == %s ? %s : %s)", xv, int_min_macro(b), none(e->ty),
                       some(e->ty, xprintf("mrs_wrapping_abs_%s(%s)", n, xv)));
    }
    case BM_INT_ROTATE_LEFT:
    case BM_INT_ROTATE_RIGHT: {
        int bits = ty_int_bits(b);
        const char *u = unsigned_of(b);
        char *xv = hoist(ty_prim(b->kind <= TY_ISIZE ? (TypeKind)(b->kind + TY_U8) : b->kind), xprintf("(%s)%s", u, x), "bits");
        char *k = hoist(ty_prim(TY_U32), xprintf("%s %% %d", a[0], bits), "k");
        bool left = mr->bm == BM_INT_ROTATE_LEFT;
        return xprintf("(%s)(%s == 0 ? %s : (%s)((%s %s %s) | (%s %s (%d - %s))))", prim_c[b->kind], k, xv, u, xv,
                       left ? "<<" : ">>", k, xv, left ? ">>" : "<<", bits, k);
    }
    default:
        return NULL;
    }
}


char *char_method(MethodRes *mr, const char *x, char **a, Expr *e)
{
    if (mr->bm == BM_C_TO_DIGIT) {
        char *out = fresh("digit");
        char *ok = fresh("ok");
        emit("uint32_t %s = 0;", out);
        emit("bool %s = mrs_char_to_digit(%s, %s, &%s);", ok, x, a[0], out);
        return xprintf("(%s ? %s : %s)", ok, some(e->ty, out), none(e->ty));
    }
    return NULL;
}

/* `v.push(x)` on the Vec at place v. */
void emit_vec_push(const char *v, const char *x)
{
    emit("%s", vec_reserve_one(member(v, "ptr"), member(v, "len"), member(v, "cap")));
    emit("%s.ptr[%s.len++] = %s;", v, v, x);
}

void acc_body(const char *item, void *vctx)
{
    Acc *a = vctx;
    Type *item_t = a->mr->elem;
    char *v = xstrdup(item);
    for (Type *x = item_t; x && x->kind == TY_REF && !is_fat_ref(x); x = x->args[0])
        v = deref_text(v);
    switch (a->bm) {
    case BM_IT_SUM:
    case BM_IT_PRODUCT: {
        BinOp op = a->bm == BM_IT_SUM ? BIN_ADD : BIN_MUL;
        if (a->t->kind == TY_ADT) { /* Option<T>, Result<T, E>: the first None or Err stops it */
            bool res = a->t->adt == cg->prog->result;
            emit("if (%s.tag == %s_%s) {", v, mangle(a->t), res ? "Err" : "None");
            emit("    %s = %s;", a->acc, v);
            emit("    break;");
            emit("}");
            const char *f = res ? "Ok" : "Some";
            char *x = xprintf("%s.%s._0", a->acc, f);
            emit("%s = %s;", x, arith(op, a->t->args[0], x, xprintf("%s.%s._0", v, f), a->span));
            break;
        }
        emit("%s = %s;", a->acc, arith(op, a->t, a->acc, v, a->span));
        break;
    }
    case BM_IT_COUNT:
        emit("(void)%s;", item);
        emit("%s++;", a->acc);
        break;
    case BM_IT_FOLD:
        emit("%s = %s;", a->acc, call_callable(a->fty, a->fn, xprintf("%s, %s", a->acc, item)));
        break;
    case BM_IT_TRY_FOLD: { /* the accumulator out of its Some/Ok, into the closure; a None or Err ends it */
        bool res = a->t->adt == cg->prog->result;
        emit("%s = %s;", a->acc, call_callable(a->fty, a->fn, xprintf("%s.%s._0, %s", a->acc, res ? "Ok" : "Some", item)));
        emit("if (%s.tag == %s_%s)", a->acc, mangle(a->t), res ? "Err" : "None");
        emit("    break;");
        break;
    }
    case BM_IT_REDUCE: /* the first item starts it */
        emit("if (%s.tag == %s_None)", a->acc, mangle(a->t));
        emit("    %s = %s;", a->acc, some(a->t, item));
        emit("else");
        emit("    %s.Some._0 = %s;", a->acc, call_callable(a->fty, a->fn, xprintf("%s.Some._0, %s", a->acc, item)));
        break;
    case BM_IT_FIND_MAP:
        emit("%s = %s;", a->acc, call_callable(a->fty, a->fn, item));
        emit("if (%s.tag != %s_None)", a->acc, mangle(a->t));
        emit("    break;");
        break;
    case BM_IT_ANY:
    case BM_IT_ALL:
        emit("if (%s%s) {", a->bm == BM_IT_ALL ? "!" : "", call_callable(a->fty, a->fn, item));
        emit("    %s = %s;", a->acc, a->bm == BM_IT_ANY ? "true" : "false");
        emit("    break;");
        emit("}");
        break;
    case BM_IT_FOR_EACH:
        emit("%s;", call_callable(a->fty, a->fn, item));
        break;
    case BM_IT_FIND:
        emit("if (%s) {", call_callable(a->fty, a->fn, xprintf("&%s", item)));
        emit("    %s = %s;", a->acc, some(a->t, item));
        emit("    break;");
        emit("}");
        if (has_drop(item_t))
            emit_drop_place(item_t, item); /* not the one: dropped */
        break;
    case BM_IT_POSITION:
    case BM_IT_RPOSITION: /* (the count from the back: rposition turns it around after) */
        emit("if (%s) {", call_callable(a->fty, a->fn, item));
        emit("    %s = %s;", a->acc, some(a->t, a->count));
        emit("    break;");
        emit("}");
        emit("%s++;", a->count);
        break;
    case BM_IT_MAX_BY_KEY:
    case BM_IT_MIN_BY_KEY: {
        /* max_by_key keeps the last of equal keys, min_by_key the first */
        Type *kt = a->mr->aux;
        char *k = fresh("key");
        emit("%s = %s;", decl(kt, k), call_callable(a->fty, a->fn, xprintf("&%s", item)));
        emit("if (%s.tag == %s_None || %s %s 0) {", a->acc, mangle(a->t), cmp_places(kt, k, a->flag),
             a->bm == BM_IT_MAX_BY_KEY ? ">=" : "<");
        cg->indent++;
        if (has_drop(item_t)) {
            emit("if (%s.tag != %s_None)", a->acc, mangle(a->t));
            cg->indent++;
            emit_drop_place(item_t, xprintf("%s.Some._0", a->acc));
            cg->indent--;
        }
        if (has_drop(kt)) {
            emit("if (%s.tag != %s_None)", a->acc, mangle(a->t));
            cg->indent++;
            emit_drop_place(kt, a->flag);
            cg->indent--;
        }
        emit("%s = %s;", a->acc, some(a->t, item));
        emit("%s = %s;", a->flag, k);
        cg->indent--;
        emit("} else {");
        cg->indent++;
        if (has_drop(item_t))
            emit_drop_place(item_t, item);
        if (has_drop(kt))
            emit_drop_place(kt, k);
        cg->indent--;
        emit("}");
        break;
    }
    case BM_IT_MAX_BY:
    case BM_IT_MIN_BY: {
        /* max_by replaces the best unless it compares Greater, min_by only when it does */
        Type *ordt = ty_adt(cg->prog->ordering, NULL, 0);
        char *c = call_callable(a->fty, a->fn, xprintf("&%s.Some._0, &%s", a->acc, item));
        emit("if (%s.tag == %s_None || %s.tag %s %s_Greater) {", a->acc, mangle(a->t), c,
             a->bm == BM_IT_MAX_BY ? "!=" : "==", mangle(ordt));
        cg->indent++;
        if (has_drop(item_t)) {
            emit("if (%s.tag != %s_None)", a->acc, mangle(a->t));
            emit_drop_place(item_t, xprintf("    %s.Some._0", a->acc));
        }
        emit("%s = %s;", a->acc, some(a->t, item));
        cg->indent--;
        emit("}%s", has_drop(item_t) ? " else {" : "");
        if (has_drop(item_t)) {
            cg->indent++;
            emit_drop_place(item_t, item);
            cg->indent--;
            emit("}");
        }
        break;
    }
    case BM_IT_PARTITION:
    case BM_IT_UNZIP: {
        /* (a Vec<T> extends with &T by copying) */
        if (a->bm == BM_IT_PARTITION) {
            Type *el = a->t->args[0]->args[0];
            const char *x = el != item_t ? deref_text(item) : item;
            emit("if (%s) {", call_callable(a->fty, a->fn, xprintf("&%s", item)));
            cg->indent++;
            emit_vec_push(xprintf("%s._0", a->acc), x);
            cg->indent--;
            emit("} else {");
            cg->indent++;
            emit_vec_push(xprintf("%s._1", a->acc), x);
            cg->indent--;
            emit("}");
            break;
        }
        for (int i = 0; i < 2; i++) {
            Type *el = a->t->args[i]->args[0];
            const char *half = xprintf("%s._%d", item, i);
            emit_vec_push(xprintf("%s._%d", a->acc, i), el != item_t->args[i] ? deref_text(half) : half);
        }
        break;
    }
    case BM_IT_MAX:
    case BM_IT_MIN: {
        /* max keeps the last of equal elements, min the first (Iterator::max/min) */
        Type *t = item_t;
        char *cmp = cmp_places(t, item, xprintf("%s.Some._0", a->acc));
        emit("if (%s.tag == %s_None || %s %s 0)", a->acc, mangle(a->t), cmp, a->bm == BM_IT_MAX ? ">=" : "<");
        emit("    %s = %s;", a->acc, some(a->t, item));
        break;
    }
    case BM_IT_LAST:
        emit("%s = %s;", a->acc, some(a->t, item));
        break;
    case BM_IT_NTH:
        emit("if (%s++ == %s) {", a->flag, a->count);
        emit("    %s = %s;", a->acc, some(a->t, item));
        emit("    break;");
        emit("}");
        break;
    case BM_IT_COLLECT: {
        Type *t = a->t;
        if (a->flag) { /* into Result<Vec<T>, E> / Option<Vec<T>>: the first Err or None ends it */
            bool res = t->adt == cg->prog->result;
            emit("if (%s.tag == %s_%s) {", item, mangle(item_t), res ? "Err" : "None");
            emit("    %s = %s;", a->flag, item);
            emit("    break;");
            emit("}");
            emit_vec_push(a->acc, xprintf("%s.%s._0", item, res ? "Ok" : "Some"));
            break;
        }
        if (ty_is_map(t) || ty_is_set(t)) {
            map_collect_item(t, a->acc, item);
            break;
        }
        if (ty_is_std(t, STD_STRING)) {
            Type *it = item_t;
            if (it->kind == TY_REF && it->args[0]->kind == TY_CHAR)
                emit("mrs_string_push(&%s, %s);", a->acc, v);
            else if (it->kind == TY_CHAR)
                emit("mrs_string_push(&%s, %s);", a->acc, item);
            else if (ty_is_std(it, STD_STRING)) {
                emit("mrs_string_push_str(&%s, mrs_string_as_str(&%s));", a->acc, item);
                emit("mrs_string_drop(&%s);", item);
            } else
                emit("mrs_string_push_str(&%s, %s);", a->acc, str_value(it, item));
        } else {
            emit_vec_fill(member(a->acc, "ptr"), member(a->acc, "len"), member(a->acc, "cap"), item, &a->room);
        }
        break;
    }
    default:
        break;
    }
}

static void collect_opened(IterGen *g, void *ctx)
{
    Acc *a = ctx;
    if (ty_is_std(a->t, STD_STRING)) { /* chars: std's extend reserves what the iterator promises first */
        char *n = ig_exact_len(g);
        if (!n)
            n = ig_lower(g);
        if (n)
            emit("%s = mrs_vec_reserve(%s, %s, &%s, 1, %s, false);", member(a->acc, "ptr"), member(a->acc, "ptr"),
                 member(a->acc, "len"), member(a->acc, "cap"), n);
        return;
    }
    vec_room_open(&a->room, g, member(a->acc, "ptr"), member(a->acc, "len"), member(a->acc, "cap"), a->t->args[0]);
}

/* `T::try_from(v)` of an integer v of type from: Result<T, TryFromIntError> (rt), Ok when v
 * is in T's range. */
char *int_try_from(Type *rt, Type *from, const char *v)
{
    Type *t = rt->args[0];
    char *x = is_ident_text(v) ? (char *)v : hoist(from, v, "n");
    /* only the bounds the source's range can cross (a comparison that always holds is a warning) */
    int sb = ty_int_bits(from), tb = ty_int_bits(t);
    bool ss = ty_is_signed(from), ts = ty_is_signed(t);
    bool above = ss == ts ? sb > tb : ss ? sb - 1 > tb : sb >= tb; /* can it exceed T's MAX? */
    bool below = ss && (!ts || sb > tb);                            /* can it go under T's MIN? */
    const char *ut = ss ? xprintf("(%s)", ctype(ty_prim(from->kind + (TY_U8 - TY_I8)))) : "";
    char *fits = !above && !below ? "true"
               : !below           ? xprintf("%s%s <= %s", ut, x, int_max_macro(t))
               : !above           ? xprintf("%s >= %s", x, ts ? int_min_macro(t) : "0")
               : ts               ? xprintf("%s >= %s && %s <= %s", x, int_min_macro(t), x, int_max_macro(t))
                                  : xprintf("%s >= 0 && %s%s <= %s", x, ut, x, int_max_macro(t));
    if (!above && !below && impure(x))
        emit("(void)%s;", x);
    return xprintf("(%s ? (%s){.tag = %s_Ok, .Ok = {(%s)%s}} : (%s){.tag = %s_Err, .Err = {{0}}})", fits, ctype(rt), mangle(rt),
                   ctype(t), x, ctype(rt), mangle(rt));
}

static void dbg_item(Type *t, const char *d, const char *x)
{
    fmt_place(xprintf("%s->f", d), t, FT_DEBUG, x);
}

typedef struct DbgEntries {
    Type *b;        /* the helper's type */
    const char *dv; /* a pointer to it */
    Type *item;
} DbgEntries;

/* One item of `d.entries(it)`: an entry, or a map's key and value. */
static void dbg_entries_item(const char *x, void *ctx)
{
    DbgEntries *de = ctx;
    Type *item = de->item;
    if (ty_is_std(de->b, STD_DEBUGMAP) && item->kind == TY_TUPLE && item->nargs == 2) {
        emit("mrs_dbg_key(%s);", de->dv);
        dbg_item(item->args[0], de->dv, xprintf("%s._0", x));
        emit("mrs_dbg_value(%s);", de->dv);
        dbg_item(item->args[1], de->dv, xprintf("%s._1", x));
    } else {
        emit("mrs_dbg_entry(%s);", de->dv);
        dbg_item(item, de->dv, x);
    }
    if (has_drop(item))
        emit_drop_place(item, x);
}

/* Formatter's accessors of the spec being formatted with, and its Debug helpers: the
 * runtime's MrsDbg, written to as each field or entry comes. */
static char *formatter_method(Expr *e, MethodRes *mr)
{
    char *p = recv_place(e, false);
    char *spec = member(p, "spec");
    Type *t = e->ty;
    static const struct { BuiltinMethod bm; const char *kind; } kinds[] = {
        {BM_FMT_DEBUG_STRUCT, "MRS_DBG_STRUCT"}, {BM_FMT_DEBUG_TUPLE, "MRS_DBG_TUPLE"}, {BM_FMT_DEBUG_LIST, "MRS_DBG_LIST"},
        {BM_FMT_DEBUG_SET, "MRS_DBG_SET"}, {BM_FMT_DEBUG_MAP, "MRS_DBG_MAP"},
    };
    /* (read now: a write! that takes them as arguments sets its own spec before it formats them) */
    switch (mr->bm) {
    case BM_FMT_WIDTH:
    case BM_FMT_PRECISION: {
        char *v = member(spec, mr->bm == BM_FMT_WIDTH ? "width" : "precision");
        return hoist(t, xprintf("(%s >= 0 ? %s : %s)", v, some(t, xprintf("(size_t)%s", v)), none(t)), e->name);
    }
    case BM_FMT_ALTERNATE: return hoist(t, member(spec, "alternate"), e->name);
    case BM_FMT_FILL: return hoist(t, member(spec, "fill"), e->name);
    case BM_FMT_SIGN_PLUS: return hoist(t, xprintf("(%s == '+')", member(spec, "sign")), e->name);
    case BM_FMT_SIGN_MINUS: return hoist(t, xprintf("(%s == '-')", member(spec, "sign")), e->name);
    case BM_DBGB_FINISH:
        emit("mrs_dbg_end(%s);", addr_text(p));
        return xprintf("(%s){.tag = %s_Ok}", ctype(t), mangle(t));
    default:
        break;
    }
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (kinds[i].bm != mr->bm)
            continue;
        const char *name = "\"\"";
        if (e->args.len) {
            Expr *n = unparen(e->args.items[0]);
            if (n->kind != EX_STR) {
                not_supported(n->span, "a Debug helper's name that is not a string literal");
                return dummy(t);
            }
            name = c_string(n->str, n->str_len);
        }
        return xprintf("mrs_dbg_begin(%s, %s, %s)", addr_text(p), name, kinds[i].kind);
    }
    /* field, entry, entries: on the helper at p */
    char *d = addr_text(p);
    Type *b = mr->self_ty;
    if (mr->bm == BM_DBGB_ENTRIES) {
        DbgEntries de = {b, hoist(ty_ref(b, true), d, "dbg"), mr->aux};
        iter_consume(e->args.items[0], mr->aux, dbg_entries_item, &de);
        return (char *)de.dv;
    }
    char *dv = hoist(ty_ref(b, true), d, "dbg");
    int k = 0;
    if (ty_is_std(b, STD_DEBUGSTRUCT)) {
        Expr *n = unparen(e->args.items[0]);
        if (n->kind != EX_STR) {
            not_supported(n->span, "a field name that is not a string literal");
            return dummy(t);
        }
        emit("mrs_dbg_field(%s, %s);", dv, c_string(n->str, n->str_len));
        k = 1;
    } else if (ty_is_std(b, STD_DEBUGMAP)) {
        Expr *key = e->args.items[0];
        emit("mrs_dbg_key(%s);", dv);
        dbg_item(key->ty->args[0], dv, deref_text(cg_expr(key)));
        emit("mrs_dbg_value(%s);", dv);
        k = 1;
    } else {
        emit("mrs_dbg_entry(%s);", dv);
    }
    Expr *v = e->args.items[k];
    dbg_item(v->ty->args[0], dv, deref_text(cg_expr(v)));
    return dv;
}

char *iter_method(Expr *e, MethodRes *mr)
{
    Acc a = {.mr = mr, .bm = mr->bm, .t = e->ty, .span = e->span};
    if (mr->self_ty->kind == TY_ITER || mr->self_ty->kind == TY_RANGE)
        mr->elem = mr->self_ty->args[0];
    switch (mr->bm) {
    case BM_IT_SUM:
    case BM_IT_PRODUCT:
        a.acc = fresh(mr->bm == BM_IT_SUM ? "sum" : "product");
        if (e->ty->kind == TY_ADT) { /* Some(0) / Ok(0), unless an item says otherwise */
            Type *n = e->ty->args[0];
            const char *z = mr->bm == BM_IT_SUM ? (ty_is_float(n) ? "-0.0" : "0") : "1"; /* (std's float sum starts at -0.0) */
            emit("%s = (%s){.tag = %s_%s, .%s = {%s}};", decl(e->ty, a.acc), ctype(e->ty), mangle(e->ty),
                 e->ty->adt == cg->prog->result ? "Ok" : "Some", e->ty->adt == cg->prog->result ? "Ok" : "Some", z);
            break;
        }
        emit("%s = %s;", decl(e->ty, a.acc), mr->bm == BM_IT_SUM ? (ty_is_float(e->ty) ? "-0.0" : "0") : "1");
        break;
    case BM_IT_COUNT:
        a.acc = fresh("count");
        emit("size_t %s = 0;", a.acc);
        break;
    case BM_IT_REDUCE:
    case BM_IT_FIND_MAP: {
        a.acc = fresh(mr->bm == BM_IT_REDUCE ? "reduced" : "found");
        emit("%s = %s;", decl(e->ty, a.acc), none(e->ty));
        Expr *fe = e->args.items[0];
        a.fty = fe->ty;
        a.fn = callable_value(fe, cg_expr(fe));
        break;
    }
    case BM_IT_TRY_FOLD: {
        bool res = e->ty->adt == cg->prog->result;
        a.acc = fresh("tried");
        emit("%s = (%s){.tag = %s_%s, .%s = {%s}};", decl(e->ty, a.acc), ctype(e->ty), mangle(e->ty), res ? "Ok" : "Some",
             res ? "Ok" : "Some", cg_expr(e->args.items[0]));
        Expr *fe = e->args.items[1];
        a.fty = fe->ty;
        a.fn = callable_value(fe, cg_expr(fe));
        break;
    }
    case BM_IT_RFOLD: /* fold from the back */
        a.bm = BM_IT_FOLD;
        /* fall through */
    case BM_IT_FOLD: {
        a.acc = fresh("folded");
        emit("%s = %s;", decl(e->ty, a.acc), cg_expr(e->args.items[0]));
        Expr *fe = e->args.items[1];
        a.fty = fe->ty;
        a.fn = callable_value(fe, cg_expr(fe));
        break;
    }
    case BM_IT_FIND:
    case BM_IT_POSITION:
    case BM_IT_RPOSITION:
    case BM_IT_MAX_BY_KEY:
    case BM_IT_MIN_BY_KEY: {
        Expr *fe = e->args.items[0];
        a.acc = fresh("found");
        emit("%s = %s;", decl(e->ty, a.acc), none(e->ty));
        if (mr->bm == BM_IT_POSITION || mr->bm == BM_IT_RPOSITION) {
            a.count = fresh("index");
            emit("size_t %s = 0;", a.count);
        } else if (mr->bm != BM_IT_FIND) {
            a.flag = fresh("best_key");
            emit("%s;", decl(mr->aux, xprintf("%s = {0}", a.flag)));
        }
        a.fty = fe->ty;
        a.fn = callable_value(fe, cg_expr(fe));
        if (mr->bm == BM_IT_RPOSITION) { /* from the back; the index is len - 1 - that count */
            char *len = NULL;
            iter_consume_from(e->operand, mr->elem, true, &len, acc_body, &a);
            if (len)
                emit("if (%s.tag != %s_None)\n%*s    %s.Some._0 = %s - 1 - %s.Some._0;", a.acc, mangle(e->ty),
                     cg->indent * 4, "", a.acc, len, a.acc);
            return (char *)a.acc;
        }
        break;
    }
    case BM_IT_ANY:
    case BM_IT_ALL:
    case BM_IT_FOR_EACH: {
        Expr *fe = e->args.items[0];
        a.acc = mr->bm == BM_IT_FOR_EACH ? NULL : fresh(mr->bm == BM_IT_ANY ? "any" : "all");
        if (a.acc)
            emit("bool %s = %s;", a.acc, mr->bm == BM_IT_ANY ? "false" : "true");
        a.fty = fe->ty;
        a.fn = callable_value(fe, cg_expr(fe));
        break;
    }
    case BM_IT_MAX: case BM_IT_MIN: case BM_IT_LAST:
        a.acc = fresh(mr->bm == BM_IT_MAX ? "max" : mr->bm == BM_IT_MIN ? "min" : "last");
        emit("%s = %s;", decl(e->ty, a.acc), none(e->ty));
        break;
    case BM_IT_MAX_BY:
    case BM_IT_MIN_BY: {
        Expr *fe = e->args.items[0];
        a.acc = fresh(mr->bm == BM_IT_MAX_BY ? "max" : "min");
        emit("%s = %s;", decl(e->ty, a.acc), none(e->ty));
        a.fty = fe->ty;
        a.fn = callable_value(fe, cg_expr(fe));
        break;
    }
    case BM_IT_PARTITION:
    case BM_IT_UNZIP:
        a.acc = fresh(mr->bm == BM_IT_PARTITION ? "parts" : "halves");
        emit("%s = (%s){{0}, {0}};", decl(e->ty, a.acc), ctype(e->ty));
        if (mr->bm == BM_IT_PARTITION) {
            Expr *fe = e->args.items[0];
            a.fty = fe->ty;
            a.fn = callable_value(fe, cg_expr(fe));
        }
        break;
    case BM_IT_NTH:
        a.acc = fresh("nth");
        a.flag = fresh("seen");
        emit("%s = %s;", decl(e->ty, a.acc), none(e->ty));
        emit("size_t %s = 0;", a.flag);
        a.count = hoist(ty_prim(TY_USIZE), cg_expr(e->args.items[0]), "n");
        break;
    case BM_IT_COLLECT:
        a.acc = fresh("collected");
        if (e->ty->kind == TY_ADT) { /* Result<Vec<T>, E> or Option<Vec<T>>: the Vec, and the item that stopped it */
            Type *vt = e->ty->args[0];
            emit("%s = (%s){0};", decl(vt, a.acc), ctype(vt));
            a.flag = fresh("stopped");
            if (opt_niche(mr->elem)) /* (a pointer's bits that are not 0: Some, never read as a pointer) */
                emit("%s = (%s){.tag = 1};", decl(mr->elem, a.flag), ctype(mr->elem));
            else
                emit("%s = (%s){.tag = %s_%s};", decl(mr->elem, a.flag), ctype(mr->elem), mangle(mr->elem),
                     e->ty->adt == cg->prog->result ? "Ok" : "Some");
            iter_consume(e->operand, mr->elem, acc_body, &a);
            bool res = e->ty->adt == cg->prog->result;
            char *r = fresh("collected");
            emit("%s;", decl(e->ty, r));
            emit("if (%s.tag == %s_%s) {", a.flag, mangle(mr->elem), res ? "Err" : "None");
            cg->indent++;
            emit_drop_place(vt, a.acc);
            if (res)
                emit("%s = (%s){.tag = %s_Err, .Err = {%s.Err._0}};", r, ctype(e->ty), mangle(e->ty), a.flag);
            else
                emit("%s = (%s){.tag = %s_None};", r, ctype(e->ty), mangle(e->ty));
            cg->indent--;
            emit("} else {");
            emit("    %s = (%s){.tag = %s_%s, .%s = {%s}};", r, ctype(e->ty), mangle(e->ty), res ? "Ok" : "Some",
                 res ? "Ok" : "Some", a.acc);
            emit("}");
            return r;
        }
        emit("%s = %s;", decl(e->ty, a.acc), ty_is_std(e->ty, STD_STRING) ? "mrs_string_new()" : xprintf("(%s){0}", ctype(e->ty)));
        break;
    case BM_PEEK_PEEK: case BM_PEEK_PEEK_MUT: case BM_PEEK_NEXT_IF: case BM_PEEK_NEXT_IF_EQ:
        return peekable_method(e, mr);
    case BM_IT_EQ:
    case BM_IT_NE:
        return iter_eq(e, mr->aux, mr->bm == BM_IT_NE);
    case BM_IT_BY_REF: /* the iterator itself, borrowed: what is taken through it is gone from it */
        return addr_text(recv_place(e, false));
    case BM_CHARS_AS_STR: { /* what is left of the string */
        char *p = recv_place(e, false);
        return xprintf("((MrsStr){%s, (size_t)(%s - %s)})", member(p, "ptr"), member(p, "end"), member(p, "ptr"));
    }
    case BM_IT_NEXT:
    case BM_IT_NEXT_BACK: {
        /* one step of an iterator variable */
        char *r = fresh("next");
        emit("%s = %s;", decl(e->ty, r), none(e->ty));
        /* (opened outside the block: a temporary iterator, `v.into_iter().next()`, is the
         * statement's, dropped at its end) */
        IterGen *g = iter_open_value(e->operand, mr->bm == BM_IT_NEXT_BACK);
        emit("do {");
        cg->indent++;
        char *x = fresh("x");
        emit("%s;", decl(e->ty->args[0], x));
        if (g)
            iter_next(g, x);
        emit("%s = %s;", r, some(e->ty, x));
        cg->indent--;
        emit("} while (0);");
        return r;
    }
    default:
        not_supported(e->name_span, xprintf("the iterator method `%s` here", e->name));
        return dummy(e->ty);
    }
    Type *ci = mr->elem && mr->elem->kind == TY_REF ? mr->elem->args[0] : mr->elem; /* (&char: the char) */
    if (mr->bm == BM_IT_COLLECT && (ty_is_std(e->ty, STD_VEC) || (ty_is_std(e->ty, STD_STRING) && ci->kind == TY_CHAR)))
        iter_consume_opened(e->operand, mr->elem, false, NULL, collect_opened, acc_body, &a);
    else
        iter_consume_from(e->operand, mr->elem, mr->bm == BM_IT_RFOLD, NULL, acc_body, &a);
    return (char *)a.acc;
}

/* Is a string method's pattern (its type in aux) a predicate on chars: a closure, a fn,
 * or a set of chars? */
static bool char_pred_pattern(Type *aux)
{
    if (!aux)
        return false;
    Type *t = aux;
    while (t->kind == TY_REF)
        t = t->args[0];
    return aux->kind == TY_CLOSURE || aux->kind == TY_FN || t->kind == TY_ARRAY || t->kind == TY_SLICE;
}

/* The MrsCharPred of pattern argument pe (its value v, its type t): a closure or fn is
 * called through a function written for its type (NAME_test), on its value in a variable;
 * a set of chars is tested by mrs_char_in_set on a MrsCharSet of its elements. */
static char *char_pred_value(Expr *pe, Type *t, char *v)
{
    if (t->kind == TY_CLOSURE || t->kind == TY_FN) {
        char *fv = t->kind == TY_CLOSURE ? callable_value(pe, v) : hoist(t, v, "pred");
        const char *name = xprintf("%s_test", mangle(t));
        if (!helper_done(name)) {
            Saved sv;
            StrBuf *b = begin_helper(xprintf("bool %s(void *env, uint32_t c)", name), &sv);
            emit("return %s;", call_callable(t, xprintf("(*(%s *)env)", ctype(t)), "c"));
            end_helper(b, &sv);
        }
        return xprintf("((MrsCharPred){%s, &%s})", name, fv);
    }
    Type *in = t;
    char *p = v;
    while (in->kind == TY_REF) {
        if (is_fat_ref(in))
            break;
        p = deref_text(p);
        in = in->args[0];
    }
    if (in->kind == TY_ARRAY && !is_place_expr(pe) && t->kind == TY_ARRAY)
        p = hoist(in, p, "chars");
    else if (is_fat_ref(in))
        p = is_ident_text(p) ? p : hoist(in, p, "chars");
    char *set = fresh("set");
    emit("MrsCharSet %s = {%s, %s};", set, is_fat_ref(in) ? member(p, "ptr") : slice_ptr(in, p),
         is_fat_ref(in) ? member(p, "len") : slice_len(in, p));
    return xprintf("((MrsCharPred){mrs_char_in_set, &%s})", set);
}

/* The string methods whose pattern is a predicate on chars (see char_pred_pattern). */
static char *str_pred_method(Expr *e, MethodRes *mr, const char *s, char **a)
{
    int k = mr->bm == BM_S_REPLACE ? 0 : e->args.len - 1;
    Expr *pe = e->args.items[k];
    char *pred = char_pred_value(pe, mr->aux, a[k]);
    char *sv = is_ident_text(s) ? xstrdup(s) : hoist(ty_ref(ty_prim(TY_STR), false), (char *)s, "s");
    switch (mr->bm) {
    case BM_S_SPLIT:
        return xprintf("mrs_str_split_pred(%s, %s)", sv, pred);
    case BM_S_MATCHES:
        return xprintf("mrs_split_matches(mrs_str_split_pred(%s, %s))", sv, pred);
    case BM_S_REPLACE: {
        Expr *arg1 = e->args.items[1];
        Type *t1 = arg1->adjust && arg1->adjust->target ? arg1->adjust->target : arg1->ty;
        char *to = arg1->adjust && arg1->adjust->coerce == CO_STRING_TO_STR ? a[1] : str_value(t1, a[1]);
        return xprintf("mrs_str_replace_pred(%s, %s, %s)", sv, pred, to);
    }
    case BM_S_TRIM_MATCHES:
    case BM_S_TRIM_START_MATCHES:
    case BM_S_TRIM_END_MATCHES:
        return xprintf("mrs_str_trim_matches_pred(%s, %s, %s, %s)", sv, pred,
                       mr->bm != BM_S_TRIM_END_MATCHES ? "true" : "false", mr->bm != BM_S_TRIM_START_MATCHES ? "true" : "false");
    default: {
        /* contains, find: the first char it accepts; starts_with / ends_with: whether the
         * first / last char is one (an empty string has none) */
        if (mr->bm == BM_S_STARTS_WITH || mr->bm == BM_S_ENDS_WITH)
            return xprintf("mrs_str_%s_with_pred(%s, %s)", mr->bm == BM_S_STARTS_WITH ? "starts" : "ends", sv, pred);
        char *at = fresh("at"), *n = fresh("n"), *ok = fresh("found");
        emit("size_t %s = 0, %s = 0;", at, n);
        emit("bool %s = mrs_str_%sfind_pred(%s, %s, &%s, &%s);", ok, mr->bm == BM_S_RFIND ? "r" : "", sv, pred, at, n);
        if (mr->bm == BM_S_FIND || mr->bm == BM_S_RFIND)
            return xprintf("(%s ? %s : %s)", ok, some(e->ty, at), none(e->ty));
        return ok;
    }
    }
}

/* The MrsSplit of `s.split(pat)`, `s.splitn(n, pat)` or `s.rsplit(pat)`, its arguments
 * evaluated into a. */
char *split_iter(Expr *e, MethodRes *mr, const char *s, char **a)
{
    int k = mr->bm == BM_S_SPLITN; /* the pattern is after splitn's count */
    Expr *pat = e->args.items[k];
    if (char_pred_pattern(mr->aux))
        return str_pred_method(e, mr, s, a);
    char *it = mr->aux && mr->aux->kind == TY_CHAR ? xprintf("mrs_str_split_char(%s, %s)", s, a[k])
                                                    : xprintf("mrs_str_split(%s, %s)", s, str_value(pat->ty, a[k]));
    if (mr->bm == BM_S_RSPLIT)
        return xprintf("mrs_rsplit(%s)", it);
    if (mr->bm == BM_S_MATCHES)
        return xprintf("mrs_split_matches(%s)", it);
    return k ? xprintf("mrs_splitn(%s, %s)", it, a[0]) : it;
}

char *str_method(Expr *e, MethodRes *mr, const char *s, char **a)
{
    if (char_pred_pattern(mr->aux) && mr->bm != BM_S_SPLIT && mr->bm != BM_S_MATCHES)
        return str_pred_method(e, mr, s, a);
    Expr *arg0 = e->args.len ? e->args.items[0] : NULL;
    bool ch = mr->aux && mr->aux->kind == TY_CHAR;
    /* (a[0] is the argument after its coercion: `&&str` to `&str` derefs once already) */
    Type *pty = arg0 && arg0->adjust && arg0->adjust->target ? arg0->adjust->target : arg0 ? arg0->ty : NULL;
    char *pat = arg0 && !ch ? str_value(pty, a[0]) : (arg0 ? a[0] : NULL);
    if (arg0 && !ch && arg0->adjust && arg0->adjust->coerce == CO_STRING_TO_STR)
        pat = a[0];
    switch (mr->bm) {
    case BM_S_LEN: case BM_STRING_LEN: return xprintf("%s.len", s[0] == 'm' ? hoist(ty_ref(ty_prim(TY_STR), false), s, "s") : s);
    case BM_S_IS_EMPTY: return xprintf("(%s.len == 0)", s[0] == 'm' ? hoist(ty_ref(ty_prim(TY_STR), false), s, "s") : s);
    case BM_S_TRIM: return xprintf("mrs_str_trim(%s)", s);
    case BM_S_STRIP_PREFIX:
    case BM_S_STRIP_SUFFIX: { /* Some(the rest) when the pattern is there */
        bool pre = mr->bm == BM_S_STRIP_PREFIX;
        char *sv = hoist(ty_ref(ty_prim(TY_STR), false), (char *)s, "s");
        char *pv = ch ? hoist(ty_prim(TY_CHAR), pat, "c") : hoist(ty_ref(ty_prim(TY_STR), false), pat, "p");
        char *n = ch ? xprintf("mrs_char_len_utf8(%s)", pv) : xprintf("%s.len", pv);
        char *test = xprintf("mrs_str_%s_with%s(%s, %s)", pre ? "starts" : "ends", ch ? "_char" : "", sv, pv);
        char *rest = pre ? xprintf("mrs_str_slice_from(%s, %s, %s)", sv, n, loc(e->span))
                         : xprintf("mrs_str_slice(%s, 0, %s.len - %s, %s)", sv, sv, n, loc(e->span));
        return xprintf("(%s ? %s : %s)", test, some(e->ty, rest), none(e->ty));
    }
    case BM_S_TRIM_MATCHES:
    case BM_S_TRIM_START_MATCHES:
    case BM_S_TRIM_END_MATCHES: {
        bool st = mr->bm != BM_S_TRIM_END_MATCHES, en = mr->bm != BM_S_TRIM_START_MATCHES;
        if (ch)
            return xprintf("mrs_str_trim_matches_char(%s, %s, %s, %s)", s, a[0], st ? "true" : "false", en ? "true" : "false");
        return xprintf("mrs_str_trim_matches(%s, %s, %s, %s)", s, pat, st ? "true" : "false", en ? "true" : "false");
    }
    case BM_S_TRIM_START: return xprintf("mrs_str_trim_start(%s)", s);
    case BM_S_TRIM_END: return xprintf("mrs_str_trim_end(%s)", s);
    case BM_S_STARTS_WITH: return xprintf("mrs_str_starts_with%s(%s, %s)", ch ? "_char" : "", s, pat);
    case BM_S_ENDS_WITH: return xprintf("mrs_str_ends_with%s(%s, %s)", ch ? "_char" : "", s, pat);
    case BM_S_CONTAINS: return xprintf("mrs_str_contains%s(%s, %s)", ch ? "_char" : "", s, pat);
    case BM_S_FIND:
    case BM_S_RFIND: {
        char *out = fresh("pos");
        char *ok = fresh("found");
        emit("size_t %s = 0;", out);
        emit("bool %s = mrs_str_%sfind%s(%s, %s, &%s);", ok, mr->bm == BM_S_RFIND ? "r" : "", ch ? "_char" : "", s, pat, out);
        return xprintf("(%s ? %s : %s)", ok, some(e->ty, out), none(e->ty));
    }
    case BM_S_REPLACE: {
        Expr *arg1 = e->args.items[1];
        Type *t1 = arg1->adjust && arg1->adjust->target ? arg1->adjust->target : arg1->ty;
        char *to = arg1->adjust && arg1->adjust->coerce == CO_STRING_TO_STR ? a[1] : str_value(t1, a[1]);
        if (ch)
            return xprintf("mrs_str_replace_char(%s, %s, %s)", s, a[0], to);
        return xprintf("mrs_str_replace(%s, %s, %s)", s, pat, to);
    }
    case BM_S_REPEAT: return xprintf("mrs_str_repeat(%s, %s)", s, a[0]);
    case BM_S_IS_CHAR_BOUNDARY: return xprintf("mrs_str_is_char_boundary(%s, %s)", s, a[0]);
    case BM_S_GET: {
        /* Some(&s[a..b]) when both ends are in bounds and on char boundaries */
        Expr *r = unparen(arg0);
        char *sv = is_ident_text(s) ? xstrdup(s) : hoist(ty_ref(ty_prim(TY_STR), false), s, "s");
        char *lo = r->kind == EX_RANGE && r->lhs ? hoist(ty_prim(TY_USIZE), cg_expr(r->lhs), "lo") : "0";
        char *hi = r->kind == EX_RANGE && r->rhs ? hoist(ty_prim(TY_USIZE), cg_expr(r->rhs), "hi") : xprintf("%s.len", sv);
        if (r->kind == EX_RANGE && r->inclusive)
            hi = xprintf("(%s + 1)", hi);
        char *ok = hoist(ty_prim(TY_BOOL),
                         xprintf("%s <= %s && %s <= %s.len && mrs_str_is_char_boundary(%s, %s) && mrs_str_is_char_boundary(%s, %s)",
                                 lo, hi, hi, sv, sv, lo, sv, hi), "in_bounds");
        return xprintf("(%s ? %s : %s)", ok, some(e->ty, xprintf("(MrsStr){%s.ptr + %s, %s - %s}", sv, lo, hi, lo)),
                       none(e->ty));
    }
    case BM_S_SPLIT_AT: {
        char *sv = is_ident_text(s) ? xstrdup(s) : hoist(ty_ref(ty_prim(TY_STR), false), s, "s");
        char *mid = is_ident_text(a[0]) ? a[0] : hoist(ty_prim(TY_USIZE), a[0], "mid");
        return xprintf("(%s){mrs_str_slice(%s, 0, %s, %s), mrs_str_slice_from(%s, %s, %s)}", ctype(e->ty), sv, mid,
                       loc(e->name_span), sv, mid, loc(e->name_span));
    }
    case BM_S_RSPLIT_ONCE:
    case BM_S_SPLIT_ONCE: {
        char *sv = is_ident_text(s) ? xstrdup(s) : hoist(ty_ref(ty_prim(TY_STR), false), s, "s");
        char *pv = ch ? a[0] : hoist(ty_ref(ty_prim(TY_STR), false), pat, "pat");
        char *at = fresh("at");
        char *ok = fresh("found");
        emit("size_t %s = 0;", at);
        emit("bool %s = mrs_str_%sfind%s(%s, %s, &%s);", ok, mr->bm == BM_S_RSPLIT_ONCE ? "r" : "", ch ? "_char" : "", sv, pv,
             at);
        Type *tt = e->ty->args[0];
        const char *after = ch ? xprintf("%s + mrs_char_len_utf8(%s)", at, pv) : xprintf("%s + %s.len", at, pv);
        return xprintf("(%s ? %s : %s)", ok,
                       some(e->ty, xprintf("(%s){(MrsStr){%s.ptr, %s}, (MrsStr){%s.ptr + %s, %s.len - (%s)}}", ctype(tt), sv,
                                           at, sv, after, sv, after)),
                       none(e->ty));
    }
    case BM_S_TO_UPPERCASE: return xprintf("mrs_str_to_uppercase(%s)", s);
    case BM_S_TO_LOWERCASE: return xprintf("mrs_str_to_lowercase(%s)", s);
    case BM_S_TO_ASCII_UPPERCASE: return xprintf("mrs_str_to_ascii_uppercase(%s)", s);
    case BM_S_TO_ASCII_LOWERCASE: return xprintf("mrs_str_to_ascii_lowercase(%s)", s);
    case BM_S_AS_BYTES: {
        char *sv = is_ident_text(s) ? xstrdup(s) : hoist(ty_ref(ty_prim(TY_STR), false), s, "s");
        return xprintf("(%s){%s.ptr, %s.len}", ctype(e->ty), sv, sv);
    }
    case BM_S_EQ_IGNORE_ASCII_CASE: {
        char *x = hoist(ty_string(), xprintf("mrs_str_to_ascii_lowercase(%s)", s), "lower");
        char *y = hoist(ty_string(), xprintf("mrs_str_to_ascii_lowercase(%s)", pat), "lower");
        char *r = hoist(ty_prim(TY_BOOL), xprintf("mrs_str_eq(mrs_string_as_str(&%s), mrs_string_as_str(&%s))", x, y), "eq");
        emit("mrs_string_drop(&%s);", x);
        emit("mrs_string_drop(&%s);", y);
        return r;
    }
    case BM_S_PARSE: {
        Type *t = mr->aux;
        Type *rt = e->ty;
        if (mr->conv) /* impl FromStr */
            return call_result(rt, xprintf("%s(%s)", mr->conv->cname, s));
        char *r = fresh("parsed");
        char *kind = fresh("err");
        emit("%s;", decl(rt, r));
        if (ty_is_int(t)) {
            char *v = fresh("n");
            if (ty_int_bits(t) == 128 && ty_is_signed(t)) {
                emit("__int128 %s = 0;", v);
                emit("int %s = mrs_parse_i128_radix(%s, 10, &%s, %s, %s);", kind, s, v, int_min_macro(t), int_max_macro(t));
            } else if (ty_int_bits(t) == 128) {
                emit("unsigned __int128 %s = 0;", v);
                emit("int %s = mrs_parse_u128_radix(%s, 10, &%s, %s);", kind, s, v, int_max_macro(t));
            } else if (ty_is_signed(t)) {
                emit("int64_t %s = 0;", v);
                emit("int %s = mrs_parse_i64(%s, %s, %s, &%s);", kind, s, int_min_macro(t), int_max_macro(t), v);
            } else {
                emit("uint64_t %s = 0;", v);
                emit("int %s = mrs_parse_u64(%s, %s, &%s);", kind, s, int_max_macro(t), v);
            }
            emit("if (%s == MRS_PARSE_OK)", kind);
            emit("    %s = (%s){.tag = %s_Ok, .Ok = {(%s)%s}};", r, ctype(rt), mangle(rt), prim_c[t->kind], v);
        } else if (ty_is_float(t)) {
            char *v = fresh("x");
            emit("%s = 0;", decl(t, v));
            emit("int %s = mrs_parse_%s(%s, &%s);", kind, prim_mangle[t->kind], s, v);
            emit("if (%s == MRS_PARSE_OK)", kind);
            emit("    %s = (%s){.tag = %s_Ok, .Ok = {%s}};", r, ctype(rt), mangle(rt), v);
        } else if (t->kind == TY_BOOL) {
            char *v = fresh("b");
            emit("bool %s = false;", v);
            emit("int %s = mrs_parse_bool(%s, &%s);", kind, s, v);
            emit("if (%s == MRS_PARSE_OK)", kind);
            emit("    %s = (%s){.tag = %s_Ok, .Ok = {%s}};", r, ctype(rt), mangle(rt), v);
        } else if (t->kind == TY_CHAR) {
            char *sv = is_ident_text(s) ? xstrdup(s) : hoist(ty_ref(ty_prim(TY_STR), false), s, "s");
            char *v = fresh("ch");
            emit("uint32_t %s = 0;", v);
            emit("int %s = %s.len == 0 ? 1 : mrs_str_char_count(%s) != 1 ? 2 : 0; /* EmptyString, TooManyChars */",
                 kind, sv, sv);
            emit("if (%s == 0)", kind);
            emit("    (void)mrs_utf8_decode(%s.ptr, &%s);", sv, v);
            emit("if (%s == MRS_PARSE_OK)", kind);
            emit("    %s = (%s){.tag = %s_Ok, .Ok = {%s}};", r, ctype(rt), mangle(rt), v);
        } else {
            not_supported(e->span, xprintf("parsing into `%s`", ty_str(t)));
            return dummy(e->ty);
        }
        emit("else");
        emit("    %s = (%s){.tag = %s_Err, .Err = {{%s}}};", r, ctype(rt), mangle(rt), kind);
        return r;
    }
    default:
        return NULL;
    }
}

char *string_method(Expr *e, MethodRes *mr, const char *p, char **a)
{
    char *ap = addr_text(p);
    switch (mr->bm) {
    case BM_STRING_PUSH: emit("mrs_string_push(%s, %s);", ap, a[0]); return NULL;
    case BM_STRING_PUSH_STR: emit("mrs_string_push_str(%s, %s);", ap, a[0]); return NULL;
    case BM_STRING_INSERT: emit("mrs_string_insert(%s, %s, %s, %s);", ap, a[0], a[1], loc(e->name_span)); return NULL;
    case BM_STRING_INSERT_STR:
        emit("mrs_string_insert_str(%s, %s, %s, %s);", ap, a[0], a[1], loc(e->name_span));
        return NULL;
    case BM_STRING_CLEAR: emit("mrs_string_clear(%s);", ap); return NULL;
    case BM_STRING_TRUNCATE: emit("mrs_string_truncate(%s, %s, %s);", ap, a[0], loc(e->name_span)); return NULL;
    case BM_STRING_REMOVE: return xprintf("mrs_string_remove(%s, %s, %s)", ap, a[0], loc(e->name_span));
    case BM_STRING_AS_STR: return xprintf("mrs_string_as_str(%s)", ap);
    case BM_STRING_CAPACITY: return member(p, "cap");
    case BM_STRING_MAKE_ASCII_LOWERCASE:
    case BM_STRING_MAKE_ASCII_UPPERCASE: /* in place: ASCII letters change, the other bytes stay */
        emit("for (size_t mrs_i = 0; mrs_i < %s; mrs_i++)", member(p, "len"));
        emit("    %s[mrs_i] = (uint8_t)mrs_char_to_ascii_%s(%s[mrs_i]);", member(p, "ptr"),
             mr->bm == BM_STRING_MAKE_ASCII_LOWERCASE ? "lowercase" : "uppercase", member(p, "ptr"));
        return NULL;
    case BM_STRING_RETAIN: { /* the chars f keeps, closed up in place */
        Expr *fe = e->args.items[0];
        char *fv = callable_value(fe, a[0]);
        char *rd = fresh("read"), *wr = fresh("written");
        emit("size_t %s = 0, %s = 0;", rd, wr);
        emit("while (%s < %s) {", rd, member(p, "len"));
        cg->indent++;
        emit("uint32_t mrs_c;");
        emit("size_t mrs_n = mrs_utf8_decode(%s + %s, &mrs_c);", member(p, "ptr"), rd);
        emit("if (%s) {", call_callable(fe->ty, fv, "mrs_c"));
        emit("    memmove(%s + %s, %s + %s, mrs_n);", member(p, "ptr"), wr, member(p, "ptr"), rd);
        emit("    %s += mrs_n;", wr);
        emit("}");
        emit("%s += mrs_n;", rd);
        cg->indent--;
        emit("}");
        emit("%s = %s;", member(p, "len"), wr);
        return NULL;
    }
    case BM_STRING_RESERVE:
    case BM_STRING_RESERVE_EXACT: /* (a String's bytes are a Vec<u8>'s) */
        emit("%s = mrs_vec_reserve(%s, %s, &%s, 1, %s, %s);", member(p, "ptr"), member(p, "ptr"), member(p, "len"),
             member(p, "cap"), a[0], mr->bm == BM_STRING_RESERVE_EXACT ? "true" : "false");
        return NULL;
    case BM_STRING_SHRINK_TO_FIT:
    case BM_STRING_SHRINK_TO:
        emit("%s = mrs_vec_shrink_to(%s, %s, &%s, 1, %s);", member(p, "ptr"), member(p, "ptr"), member(p, "len"),
             member(p, "cap"), mr->bm == BM_STRING_SHRINK_TO ? a[0] : "0");
        return NULL;
    case BM_STRING_POP: {
        char *c = fresh("ch");
        char *ok = fresh("popped");
        emit("uint32_t %s = 0;", c);
        emit("bool %s = mrs_string_pop(%s, &%s);", ok, ap, c);
        return xprintf("(%s ? %s : %s)", ok, some(e->ty, c), none(e->ty));
    }
    default:
        return NULL;
    }
}

/* One item of v.extend(it): pushed (copied out of a reference when the items are &T). */
typedef struct ExtendCtx {
    const char *ptr, *len, *cap;
    bool by_ref;
    VecRoom room;
} ExtendCtx;

static void extend_body(const char *item, void *ctx)
{
    ExtendCtx *x = ctx;
    emit_vec_fill(x->ptr, x->len, x->cap, xprintf("%s%s", x->by_ref ? "*" : "", item), &x->room);
}

static void extend_opened(IterGen *g, void *ctx)
{
    ExtendCtx *x = ctx;
    vec_room_open(&x->room, g, x->ptr, x->len, x->cap, NULL);
}

/* String::extend's loop: the String's address and the item type. */
typedef struct StrExtend {
    const char *s;
    Type *item;
} StrExtend;

static void str_extend_opened(IterGen *g, void *ctx)
{
    StrExtend *x = ctx;
    Type *it = ty_resolve(x->item);
    if (it->kind != TY_CHAR && !(it->kind == TY_REF && ty_resolve(it->args[0])->kind == TY_CHAR))
        return; /* (std reserves for chars only) */
    char *n = ig_exact_len(g);
    if (!n)
        n = ig_lower(g);
    if (n)
        emit("mrs_string_reserve(%s, %s);", x->s, n);
}

static void str_extend_body(const char *item, void *ctx)
{
    StrExtend *x = ctx;
    Type *it = ty_resolve(x->item);
    if (it->kind == TY_CHAR) {
        emit("mrs_string_push(%s, %s);", x->s, item);
    } else if (it->kind == TY_REF && ty_resolve(it->args[0])->kind == TY_CHAR) {
        emit("mrs_string_push(%s, *%s);", x->s, item);
    } else if (it->kind == TY_REF) {
        emit("mrs_string_push_str(%s, %s);", x->s, item);
    } else { /* a String: its text, then it is dropped */
        char *v = is_ident_text(item) ? (char *)item : hoist(x->item, item, "piece");
        emit("mrs_string_push_str(%s, %s);", x->s, str_of_place(x->item, v));
        emit_drop_place(x->item, v);
    }
}

/* The loop of dedup and dedup_by_key: each element after the first is compared with the
 * last one kept (the statements between open and close set `mrs_same`); a repeat is
 * dropped, the others close up. */
static void dedup_open(const char *len)
{
    emit("if (%s > 1) {", len);
    cg->indent++;
    emit("size_t mrs_kept = 1;");
    emit("for (size_t mrs_i = 1; mrs_i < %s; mrs_i++) {", len);
    cg->indent++;
}

static void dedup_close(Type *el, const char *ptr, const char *len)
{
    emit("if (mrs_same) {");
    if (has_drop(el)) {
        cg->indent++;
        emit_drop_place(el, xprintf("%s[mrs_i]", ptr));
        cg->indent--;
    }
    emit("} else {");
    emit("    %s[mrs_kept++] = %s[mrs_i];", ptr, ptr);
    emit("}");
    cg->indent--;
    emit("}");
    emit("%s = mrs_kept;", len);
    cg->indent--;
    emit("}");
}

/* `v.drain(range)`: the range's elements moved out into a Vec of their own (given as its
 * IntoIter), the rest closed up, as std's Drain leaves v. */
char *vec_drain(Expr *e, MethodRes *mr, const char *p)
{
    Type *vt = ty_vec(mr->self_ty->args[0]); /* (a VecDeque's drained elements are a Vec too) */
    Expr *r = unparen(e->args.items[0]);
    char *lo = r->lhs ? hoist(ty_prim(TY_USIZE), cg_expr(r->lhs), "from") : "0";
    char *hi = r->rhs ? hoist(ty_prim(TY_USIZE), xprintf("%s%s", cg_expr(r->rhs), r->inclusive ? " + 1" : ""), "to")
                      : member(p, "len");
    emit("mrs_range_check_core(%s, %s, %s);", lo, hi, member(p, "len"));
    char *n = hoist(ty_prim(TY_USIZE), xprintf("%s - %s", hi, lo), "n");
    char *out = fresh("drained");
    emit("%s = {mrs_vec_alloc(%s, sizeof *%s), %s, %s};", decl(vt, out), n, member(p, "ptr"), n, n);
    emit("memcpy(%s.ptr, %s + %s, %s * sizeof *%s);", out, member(p, "ptr"), lo, n, member(p, "ptr"));
    emit("memmove(%s + %s, %s + %s + %s, (%s - %s - %s) * sizeof *%s);", member(p, "ptr"), lo, member(p, "ptr"), lo, n,
         member(p, "len"), lo, n, member(p, "ptr"));
    emit("%s -= %s;", member(p, "len"), n);
    return iter_value_of(vt, out, e->span);
}

/* The C that makes room for one more element of the Vec whose fields are ptr, len, cap:
 * only a full Vec calls out to grow (RawVec's doubling), so a push with room left is
 * a store and an increment. */
char *vec_reserve_one(const char *ptr, const char *len, const char *cap)
{
    return xprintf("if (%s == %s) /* full: the buffer grows */\n%*s    %s = mrs_vec_grow(%s, &%s, sizeof *%s, %s + 1);", len, cap,
                   cg->indent * 4, "", ptr, ptr, cap, ptr, len);
}

/* Room in the Vec whose fields are ptr, len, cap for the items of g (just opened), made
 * as std makes it, which `capacity()` shows: collect allocates exactly as many as an
 * iterator of exact length (TrustedLen) has and extend reserves them; an in-place
 * collect keeps the capacity of the Vec the items come from (collect_elem: the new
 * element type, NULL for extend); any other iterator is pushed, a full Vec growing by
 * what the iterator still promises (std's reserve(lower + 1)). */
void vec_room_open(VecRoom *r, IterGen *g, const char *ptr, const char *len, const char *cap, Type *collect_elem)
{
    int64_t num, den;
    IterGen *src = collect_elem ? ig_in_place_source(g, collect_elem, &num, &den) : NULL;
    char *n;
    if (src) {
        n = fresh("room");
        emit("/* std collects these in place, in the buffer of %s: its capacity, counted in the new elements */", src->ptr);
        emit("size_t %s = %s%s;", n, member(src->ptr, "cap"),
             num == den ? "" : xprintf(" * %lld / %lld", (long long)num, (long long)den));
    } else if (!(n = ig_exact_len(g))) {
        r->lower = ig_lower(g);
        return;
    }
    r->made = true;
    if (collect_elem) {
        emit("%s = mrs_vec_alloc(%s, sizeof *%s); /* room for all the items first: their number is known */", ptr, n,
             ptr);
        emit("%s = %s;", cap, n);
    } else {
        emit("%s = mrs_vec_grow(%s, &%s, sizeof *%s, %s + %s); /* reserve(n): their number is known */", ptr, ptr, cap,
             ptr, len, n);
    }
}

/* One item x pushed by collect or extend into the Vec whose fields are ptr, len, cap,
 * after vec_room_open. */
void emit_vec_fill(const char *ptr, const char *len, const char *cap, const char *x, const VecRoom *r)
{
    if (r->made)
        emit("if (%s == %s) /* (never: there is room for all) */\n%*s    mrs_unreachable();", len, cap, cg->indent * 4, "");
    else if (r->lower)
        emit("if (%s == %s) /* full: grows by what the iterator still promises */\n%*s    %s = mrs_vec_grow(%s, &%s, sizeof *%s, %s + 1 + %s);",
             len, cap, cg->indent * 4, "", ptr, ptr, cap, ptr, len, r->lower);
    else
        emit("%s", vec_reserve_one(ptr, len, cap));
    emit("%s[%s++] = %s;", ptr, len, x);
}

char *vec_method(Expr *e, MethodRes *mr, const char *p, char **a)
{
    Type *vt = mr->self_ty;
    Type *el = vt->args[0];
    char *ptr = member(p, "ptr"), *len = member(p, "len"), *cap = member(p, "cap");
    switch (mr->bm) {
    case BM_VEC_PUSH: {
        /* the value first: it may read the Vec (`v.push(v.len())`) */
        char *val = is_ident_text(a[0]) || isdigit((unsigned char)a[0][0]) ? a[0] : hoist(el, a[0], "pushed");
        emit("%s", vec_reserve_one(ptr, len, cap));
        emit("%s[%s++] = %s;", ptr, len, val);
        return NULL;
    }
    case BM_VEC_POP:
        return xprintf("(%s > 0 ? %s : %s)", len, some(e->ty, xprintf("%s[--%s]", ptr, len)), none(e->ty));
    case BM_VEC_INSERT: {
        char *ix = is_ident_text(a[0]) ? a[0] : hoist(ty_prim(TY_USIZE), a[0], "at");
        /* the value before the shift: it may read the Vec (`v.insert(0, v[v.len() - 1])`) */
        char *val = is_ident_text(a[1]) || isdigit((unsigned char)a[1][0]) ? a[1] : hoist(el, a[1], "inserted");
        emit("if (%s > %s)", ix, len);
        emit("    mrs_panic_vec_insert(%s, %s, %s);", loc(e->name_span), ix, len);
        emit("%s", vec_reserve_one(ptr, len, cap));
        emit("memmove(&%s[%s + 1], &%s[%s], (%s - %s) * sizeof *%s);", ptr, ix, ptr, ix, len, ix, ptr);
        emit("%s[%s] = %s;", ptr, ix, val);
        emit("%s++;", len);
        return NULL;
    }
    case BM_VEC_REMOVE:
    case BM_VEC_SWAP_REMOVE: {
        char *ix = is_ident_text(a[0]) ? a[0] : hoist(ty_prim(TY_USIZE), a[0], "at");
        emit("if (%s >= %s)", ix, len);
        if (mr->bm == BM_VEC_REMOVE)
            emit("    mrs_panic_vec_remove(%s, %s, %s);", loc(e->name_span), ix, len);
        else
            emit("    mrs_panic_vec_swap_remove(%s, %s);", ix, len);
        char *r = hoist(el, xprintf("%s[%s]", ptr, ix), "removed");
        if (mr->bm == BM_VEC_REMOVE)
            emit("memmove(&%s[%s], &%s[%s + 1], (%s - %s - 1) * sizeof *%s);", ptr, ix, ptr, ix, len, ix, ptr);
        else
            emit("%s[%s] = %s[%s - 1];", ptr, ix, ptr, len);
        emit("%s--;", len);
        return r;
    }
    case BM_VEC_TRUNCATE:
    case BM_VEC_CLEAR: {
        const char *n = mr->bm == BM_VEC_CLEAR ? "0" : a[0];
        if (has_drop(el)) {
            /* the length first, then the tail's elements in order */
            const char *nv = is_ident_text(n) || !strcmp(n, "0") ? n : hoist(ty_prim(TY_USIZE), n, "new_len");
            emit("if (%s > %s) {", len, nv);
            cg->indent++;
            emit("size_t mrs_old_len = %s;", len);
            emit("%s = %s;", len, nv);
            emit("for (size_t mrs_i = %s; mrs_i < mrs_old_len; mrs_i++)", nv);
            cg->indent++;
            emit_drop_place(el, xprintf("%s[mrs_i]", ptr));
            cg->indent -= 2;
            emit("}");
        } else {
            emit("if (%s > %s)", len, n);
            emit("    %s = %s;", len, n);
        }
        return NULL;
    }
    case BM_VEC_EXTEND: { /* each item of the iterable pushed in turn */
        Type *item = mr->aux;
        if (ty_is_std(vt, STD_VECDEQUE)) /* (pushed as to a Vec: from the buffer's start) */
            deque_shift(p);
        ExtendCtx x = {ptr, len, cap, item->kind == TY_REF, {0}};
        iter_consume_opened(e->args.items[0], item, false, NULL, extend_opened, extend_body, &x);
        return NULL;
    }
    case BM_VEC_EXTEND_FROM_SLICE: {
        char *s = is_ident_text(a[0]) ? a[0] : hoist(((Expr *)e->args.items[0])->adjust
                                                         ? ((Expr *)e->args.items[0])->adjust->target
                                                         : ((Expr *)e->args.items[0])->ty, a[0], "src");
        emit("%s = mrs_vec_grow(%s, &%s, sizeof *%s, %s + %s.len);", ptr, ptr, cap, ptr, len, s);
        emit("for (size_t mrs_i = 0; mrs_i < %s.len; mrs_i++)", s);
        emit("    %s[%s++] = %s;", ptr, len, clone_place(el, xprintf("%s.ptr[mrs_i]", s)));
        return NULL;
    }
    case BM_VEC_DEDUP_BY_KEY: { /* as std: key(current) == key(last kept), each key dropped after */
        Type *kt = mr->aux;
        Expr *fe = e->args.items[0];
        char *fv = callable_value(fe, a[0]);
        dedup_open(len);
        emit("%s = %s;", decl(kt, "mrs_ka"), call_callable(fe->ty, fv, xprintf("&%s[mrs_i]", ptr)));
        emit("%s = %s;", decl(kt, "mrs_kb"), call_callable(fe->ty, fv, xprintf("&%s[mrs_kept - 1]", ptr)));
        emit("bool mrs_same = %s;", eq_places(kt, "mrs_ka", "mrs_kb"));
        if (has_drop(kt)) {
            emit_drop_place(kt, "mrs_ka");
            emit_drop_place(kt, "mrs_kb");
        }
        dedup_close(el, ptr, len);
        return NULL;
    }
    case BM_VEC_DEDUP_BY: { /* as std: same_bucket(current, last kept) */
        Expr *fe = e->args.items[0];
        char *fv = callable_value(fe, a[0]);
        dedup_open(len);
        emit("bool mrs_same = %s;", call_callable(fe->ty, fv, xprintf("&%s[mrs_i], &%s[mrs_kept - 1]", ptr, ptr)));
        dedup_close(el, ptr, len);
        return NULL;
    }
    case BM_VEC_RESIZE: { /* longer: clones of the value, then the value itself; shorter: cut, the value dropped */
        char *n = hoist(ty_prim(TY_USIZE), a[0], "new_len");
        char *x = hoist(el, a[1], "value");
        emit("if (%s > %s) {", n, len);
        cg->indent++;
        emit("%s = mrs_vec_reserve(%s, %s, &%s, sizeof *%s, %s - %s, false);", ptr, ptr, len, cap, ptr, n, len);
        emit("while (%s + 1 < %s)", len, n);
        emit("    %s[%s++] = %s;", ptr, len, clone_place(el, x));
        emit("%s[%s++] = %s;", ptr, len, x);
        cg->indent--;
        emit("} else {");
        cg->indent++;
        if (has_drop(el)) {
            emit("for (size_t mrs_i = %s; mrs_i < %s; mrs_i++)", n, len);
            cg->indent++;
            emit_drop_place(el, xprintf("%s[mrs_i]", ptr));
            cg->indent--;
        }
        emit("%s = %s;", len, n);
        emit_drop_place(el, x);
        cg->indent--;
        emit("}");
        return NULL;
    }
    case BM_VEC_DEDUP:
        dedup_open(len);
        emit("bool mrs_same = %s;", eq_places(el, xprintf("%s[mrs_i]", ptr), xprintf("%s[mrs_kept - 1]", ptr)));
        dedup_close(el, ptr, len);
        return NULL;
    case BM_VEC_RETAIN: {
        /* keep the elements the fn accepts, in order; drop the others */
        Expr *fe = e->args.items[0];
        char *fv = callable_value(fe, a[0]);
        char *keep = fresh("mrs_kept");
        emit("size_t %s = 0;", keep);
        emit("for (size_t mrs_i = 0; mrs_i < %s; mrs_i++) {", len);
        cg->indent++;
        emit("if (%s)", call_callable(fe->ty, fv, xprintf("&%s[mrs_i]", ptr)));
        emit("    %s[%s++] = %s[mrs_i];", ptr, keep, ptr);
        if (has_drop(el)) {
            emit("else");
            cg->indent++;
            emit_drop_place(el, xprintf("%s[mrs_i]", ptr));
            cg->indent--;
        }
        cg->indent--;
        emit("}");
        emit("%s = %s;", len, keep);
        return NULL;
    }
    case BM_VEC_CAPACITY: return cap;
    case BM_VEC_APPEND: { /* other's elements moved over: reserve(other.len), then other is empty */
        char *o = is_ident_text(a[0]) ? a[0] : hoist(ty_ref(vt, true), a[0], "other");
        emit("%s = mrs_vec_reserve(%s, %s, &%s, sizeof *%s, %s->len, false);", ptr, ptr, len, cap, ptr, o);
        emit("memcpy(%s + %s, %s->ptr, %s->len * sizeof *%s);", ptr, len, o, o, ptr);
        emit("%s += %s->len;", len, o);
        emit("%s->len = 0;", o);
        return NULL;
    }
    case BM_VEC_RESERVE:
    case BM_VEC_RESERVE_EXACT:
        emit("%s = mrs_vec_reserve(%s, %s, &%s, sizeof *%s, %s, %s);", ptr, ptr, len, cap, ptr, a[0],
             mr->bm == BM_VEC_RESERVE_EXACT ? "true" : "false");
        return NULL;
    case BM_VEC_SHRINK_TO_FIT:
    case BM_VEC_SHRINK_TO:
        emit("%s = mrs_vec_shrink_to(%s, %s, &%s, sizeof *%s, %s);", ptr, ptr, len, cap, ptr,
             mr->bm == BM_VEC_SHRINK_TO ? a[0] : "0");
        return NULL;
    case BM_VEC_AS_SLICE: return xprintf("(%s){%s, %s}", ctype(e->ty), ptr, len);
    default:
        return NULL;
    }
}

/* Does t hold a Cell, RefCell, Mutex, RwLock or atomic in itself (not behind a pointer)?
 * Rust's Freeze is its absence; std's sorts choose their small sorts by it. */
static bool holds_cell(Type *t, int depth)
{
    t = ty_resolve(t);
    if (depth > 16)
        return false;
    switch (t->kind) {
    case TY_STD:
        return ty_is_std(t, STD_CELL) || ty_is_std(t, STD_REFCELL) || ty_is_std(t, STD_MUTEX) ||
               ty_is_std(t, STD_RWLOCK) || ty_is_std(t, STD_ATOMIC);
    case TY_TUPLE:
        for (int i = 0; i < t->nargs; i++)
            if (holds_cell(t->args[i], depth + 1))
                return true;
        return false;
    case TY_ARRAY:
        return holds_cell(t->args[0], depth + 1);
    case TY_ADT:
        for (int v = 0; v < t->adt->nvariants; v++)
            for (int i = 0; i < t->adt->variants[v].nfields; i++)
                if (holds_cell(ty_subst(t->adt->variants[v].fields[i].type, t->args, t->nargs), depth + 1))
                    return true;
        return false;
    default:
        return false;
    }
}

/* The sorts of slices of el (sort, sort_by, sort_by_key and their unstable kin): std's
 * driftsort and ipnsort, from the runtime's template mrs_sort.h, instantiated as NAME
 * (NAME_stable, NAME_unstable) with the comparison NAME_less: a before b by el's Ord
 * (fty unset), or by the user's fn or closure `callee` (reached through the parameter
 * `f` when by_ptr) as std calls it: `cmp(a, b) == Less`, or with key, `key(a) < key(b)`. */
void typed_sort(const char *name, Type *el, Type *fty, Type *key, const char *callee, bool by_ptr)
{
    if (helper_done(name))
        return;
    const char *ct = ctype(el);
    Type *fref = by_ptr ? ty_ref(fty, fty->kind == TY_CLOSURE && fty->clo->kind != FN_FN) : NULL;
    const char *ctx = fref ? ctype(fref) : "const void *";
    const char *ctp = pointer_to(ct, true); /* "const T *" */
    Saved sv;
    StrBuf *b = begin_helper(xprintf("MRS_FLATTEN bool %s_less(%sa, %sb, %s)", name, ctp, ctp, fref ? decl(fref, "f") : "const void *f"), &sv);
    if (!by_ptr)
        emit("(void)f;");
    if (!fty) {
        emit("return %s < 0;", cmp_places(el, "(*a)", "(*b)"));
    } else if (key) { /* std: `f(a).lt(&f(b))`, the keys dropped last made first */
        emit("%s = %s;", decl(key, "ka"), call_callable(fty, callee, "a"));
        emit("%s = %s;", decl(key, "kb"), call_callable(fty, callee, "b"));
        emit("bool lt = %s < 0;", cmp_places(key, "ka", "kb"));
        emit_drop_place(key, "kb");
        emit_drop_place(key, "ka");
        emit("return lt;");
    } else {
        emit("return %s.tag == %s_Less;", call_callable(fty, callee, "a, b"), mangle(ty_adt(cg->prog->ordering, NULL, 0)));
    }
    end_helper(b, &sv);
    int64_t rsize = rust_size_of(cg->prog, el);
    sb_printf(&cg->protos, "static void %s_stable(%s, size_t n, %s);\n", name, pointer_to(ct, false), ctx);
    sb_printf(&cg->protos, "static void %s_unstable(%s, size_t n, %s);\n", name, pointer_to(ct, false), ctx);
    sb_printf(&cg->helpers,
              "/* the sorts of %s by %s_less: std's driftsort (sort*: %s_stable) and\n"
              " * ipnsort (sort_unstable*: %s_unstable), from the runtime's template */\n"
              "#define MRS_SORT_NAME %s\n#define MRS_SORT_T %s\n#define MRS_SORT_CTX %s\n#define MRS_SORT_LESS %s_less\n"
              "#define MRS_SORT_SIZE %s /* Rust's size_of */\n#define MRS_SORT_FREEZE %d\n#define MRS_SORT_COPY %d\n"
              "#include \"mrs_sort.h\"\n\n",
              ty_str(el), name, name, name, name, ct, ctx, name,
              rsize >= 0 ? xprintf("%lld", (long long)rsize) : xprintf("sizeof(%s)", ct), !holds_cell(el, 0),
              ty_is_copy(el));
}

/* `rows.join(sep)` of rows (arrays, Vecs or slices of T) at ptr[0..len): a Vec<T> of
 * their elements cloned, with sep (a &T, or a &[T] / &Vec<T> / &[T; N] of sep_t) cloned
 * between each two. */
static char *vec_join(Expr *e, Type *el, const char *ptr, const char *len, const char *sep, Type *sep_t)
{
    Type *inner = el->kind == TY_REF ? el->args[0] : el, *u = e->ty->args[0];
    char *ip = xprintf("%s[mrs_i]", ptr);
    if (el->kind == TY_REF && inner->kind != TY_SLICE)
        ip = deref_text(ip);
    Type *view = inner->kind == TY_SLICE ? el : inner; /* (a &[T] is its own view) */
    bool many = sep_t->kind == TY_SLICE || sep_t->kind == TY_ARRAY || ty_is_std(sep_t, STD_VEC);
    Type *sep_view = sep_t->kind == TY_SLICE ? ty_ref(sep_t, false) : sep_t;
    const char *sp = sep_t->kind == TY_SLICE ? sep : deref_text(sep);
    char *r = fresh("joined");
    emit("%s = (%s){0};", decl(e->ty, r), ctype(e->ty));
    emit("for (size_t mrs_i = 0; mrs_i < %s; mrs_i++) {", len);
    cg->indent++;
    emit("if (mrs_i > 0) { /* the separator */");
    cg->indent++;
    if (many) {
        emit("for (size_t mrs_j = 0; mrs_j < %s; mrs_j++) {", slice_len(sep_view, sp));
        cg->indent++;
        emit_vec_push(r, clone_place(u, xprintf("%s[mrs_j]", slice_ptr(sep_view, sp))));
        cg->indent--;
        emit("}");
    } else {
        emit_vec_push(r, clone_place(u, deref_text(sep)));
    }
    cg->indent--;
    emit("}");
    emit("for (size_t mrs_j = 0; mrs_j < %s; mrs_j++) {", slice_len(view, ip));
    cg->indent++;
    emit_vec_push(r, clone_place(u, xprintf("%s[mrs_j]", slice_ptr(view, ip))));
    cg->indent--;
    emit("}");
    cg->indent--;
    emit("}");
    return r;
}

/* One comparison of a binary search: the element at place against what is sought,
 * as x's Ord (x set), a comparator fn or closure (fty: fv called with the element), or
 * the key it gives (key) against x; the -1, 0 or 1 stored by `dst` (a declaration). */
typedef struct Probe {
    Type *el, *fty, *key;
    const char *fv, *x;
    bool pred; /* partition_point's: fty gives a bool, Less when true */
} Probe;

static void emit_probe(const Probe *pr, const char *dst, const char *place)
{
    if (!pr->fty) {
        emit("%s = %s;", dst, cmp_places(pr->el, place, pr->x));
    } else if (pr->pred) {
        emit("%s = %s ? -1 : 1;", dst, call_callable(pr->fty, pr->fv, xprintf("&%s", place)));
    } else if (!pr->key) {
        emit("%s = %s.tag;", dst, call_callable(pr->fty, pr->fv, xprintf("&%s", place)));
    } else {
        emit("%s = %s;", decl(pr->key, "k"), call_callable(pr->fty, pr->fv, xprintf("&%s", place)));
        emit("%s = %s;", dst, cmp_places(pr->key, "k", pr->x));
        if (has_drop(pr->key))
            emit_drop_place(pr->key, "k");
    }
}

/* Is e a key that only reads and computes (fields, arithmetic, casts, literals)? Its
 * calls cannot be told apart: they print nothing, and their only panics (overflow,
 * division by zero) say the same whichever element fails. */
static bool plain_key(Expr *e)
{
    if (!e)
        return true;
    switch (e->kind) {
    case EX_INT: case EX_BOOL: case EX_CHAR: case EX_BYTE: case EX_PATH:
        return true;
    case EX_UNARY: case EX_CAST: case EX_FIELD: case EX_TUPLE_FIELD: case EX_PAREN: case EX_REF:
        return plain_key(e->operand);
    case EX_BINARY:
        return plain_key(e->lhs) && plain_key(e->rhs);
    case EX_BLOCK:
        return e->block && e->block->stmts.len == 0 && plain_key(e->block->tail);
    default:
        return false;
    }
}

char *slice_method(Expr *e, MethodRes *mr, const char *p, char **a)
{
    Type *b = mr->self_ty;
    Type *el = b->args[0];
    /* a fat &[T] receiver: the place is the slice value itself */
    char *ptr = slice_ptr(b, p), *len = slice_len(b, p);
    switch (mr->bm) {
    /* an array's length is a constant: the array is still named, so a local used only here is used in the C too */
    case BM_SL_LEN: return b->kind == TY_ARRAY ? xprintf("((void)%s, %s)", p, len) : len;
    case BM_SL_IS_EMPTY: return b->kind == TY_ARRAY ? xprintf("((void)%s, %s == 0)", p, len) : xprintf("(%s == 0)", len);
    case BM_SL_FIRST:
    case BM_SL_FIRST_MUT: return xprintf("(%s > 0 ? %s : %s)", len, some(e->ty, xprintf("&%s[0]", ptr)), none(e->ty));
    case BM_SL_SPLIT_FIRST:
    case BM_SL_SPLIT_FIRST_MUT:
    case BM_SL_SPLIT_LAST:
    case BM_SL_SPLIT_LAST_MUT: { /* the end element and a view of the rest */
        bool first = mr->bm == BM_SL_SPLIT_FIRST || mr->bm == BM_SL_SPLIT_FIRST_MUT;
        Type *tt = e->ty->args[0];
        need_type(e->ty);
        char *s = is_ident_text(ptr) ? ptr : hoist(ty_ref(el, tt->args[0]->is_mut), ptr, "p");
        char *pair = first ? xprintf("(%s){&%s[0], (%s){%s + 1, %s - 1}}", ctype(tt), s, ctype(tt->args[1]), s, len)
                           : xprintf("(%s){&%s[%s - 1], (%s){%s, %s - 1}}", ctype(tt), s, len, ctype(tt->args[1]), s, len);
        return xprintf("(%s > 0 ? %s : %s)", len, some(e->ty, pair), none(e->ty));
    }
    case BM_SL_LAST:
    case BM_SL_LAST_MUT:
        return xprintf("(%s > 0 ? %s : %s)", len, some(e->ty, xprintf("&%s[%s - 1]", ptr, len)), none(e->ty));
    case BM_SL_GET:
    case BM_SL_GET_MUT: {
        char *ix = is_ident_text(a[0]) ? a[0] : hoist(ty_prim(TY_USIZE), a[0], "at");
        return xprintf("(%s < %s ? %s : %s)", ix, len, some(e->ty, xprintf("&%s[%s]", ptr, ix)), none(e->ty));
    }
    case BM_SL_SPLIT_AT:
    case BM_SL_SPLIT_AT_MUT: {
        char *mid = is_ident_text(a[0]) ? a[0] : hoist(ty_prim(TY_USIZE), a[0], "mid");
        Type *st = e->ty->args[0];
        emit("if (%s > %s)", mid, len);
        emit("    mrs_panic_cstr(%s, \"mid > len\");", loc(e->name_span));
        return xprintf("(%s){(%s){%s, %s}, (%s){%s + %s, %s - %s}}", ctype(e->ty), ctype(st), ptr, mid, ctype(st), ptr,
                       mid, len, mid);
    }
    case BM_SL_FILL: { /* each element dropped and replaced by a clone of the value, which is then dropped */
        char *v = hoist(el, a[0], "fill");
        emit("for (size_t mrs_i = 0; mrs_i < %s; mrs_i++) {", len);
        cg->indent++;
        if (has_drop(el))
            emit_drop_place(el, xprintf("%s[mrs_i]", ptr));
        emit("%s[mrs_i] = %s;", ptr, clone_place(el, v));
        cg->indent--;
        emit("}");
        if (has_drop(el))
            emit_drop_place(el, v);
        return NULL;
    }
    case BM_SL_COPY_FROM_SLICE: { /* the lengths must match (a panic where it is called) */
        Expr *arg = e->args.items[0];
        Type *st = arg->adjust && arg->adjust->target ? arg->adjust->target : arg->ty;
        char *src = is_ident_text(a[0]) ? a[0] : hoist(st, a[0], "src");
        Type *sin = st->kind == TY_REF ? st->args[0] : st;
        const char *sp = is_fat_ref(st) ? member(src, "ptr") : slice_ptr(sin, deref_text(src));
        const char *sl = is_fat_ref(st) ? member(src, "len") : slice_len(sin, deref_text(src));
        emit("if (%s != %s) {", sl, len);
        cg->indent++;
        emit("MrsString panic_msg = mrs_string_from(MRS_STR(\"copy_from_slice: source slice length (\"));");
        emit("MrsFormatter fmt = mrs_fmt_new(&panic_msg);");
        emit("mrs_fmt_u64(&fmt, %s);", sl);
        emit("mrs_fmt_lit(&fmt, \") does not match destination slice length (\");");
        emit("mrs_fmt_u64(&fmt, %s);", len);
        emit("mrs_fmt_lit(&fmt, \")\");");
        emit("mrs_panic_string(%s, panic_msg);", loc(e->name_span));
        cg->indent--;
        emit("}");
        emit("if (%s)", len);
        emit("    memcpy(%s, %s, %s * sizeof *%s);", ptr, sp, len, ptr);
        return NULL;
    }
    case BM_SL_BINARY_SEARCH:
    case BM_SL_BINARY_SEARCH_BY:
    case BM_SL_BINARY_SEARCH_BY_KEY:
    case BM_SL_PARTITION_POINT: { /* std's search: halving from base, then one last compare */
        Probe pr = {el, NULL, NULL, NULL, NULL, mr->bm == BM_SL_PARTITION_POINT};
        if (mr->bm == BM_SL_BINARY_SEARCH) {
            pr.x = deref_text(a[0]);
        } else {
            Expr *fe = e->args.items[mr->bm == BM_SL_BINARY_SEARCH_BY_KEY];
            char *fa = a[mr->bm == BM_SL_BINARY_SEARCH_BY_KEY];
            pr.fty = fe->ty;
            pr.fv = fe->ty->kind == TY_CLOSURE ? callable_value(fe, fa) : is_ident_text(fa) ? fa : hoist(fe->ty, fa, "by");
            if (mr->bm == BM_SL_BINARY_SEARCH_BY_KEY) {
                pr.key = mr->aux;
                pr.x = deref_text(is_ident_text(a[0]) ? a[0] : hoist(((Expr *)e->args.items[0])->ty, a[0], "key"));
            }
        }
        char *size = fresh("size"), *base = fresh("base"), *c = fresh("c");
        char *r = pr.pred ? NULL : hoist(e->ty, xprintf("(%s){.tag = %s_Err, .Err = {0}}", ctype(e->ty), mangle(e->ty)), "searched");
        emit("size_t %s = %s;", size, len);
        emit("size_t %s = 0;", base);
        emit("if (%s > 0) {", size);
        cg->indent++;
        emit("while (%s > 1) {", size);
        cg->indent++;
        emit("size_t half = %s / 2, mid = %s + half;", size, base);
        emit_probe(&pr, "int c", xprintf("%s[mid]", ptr));
        emit("if (c <= 0) /* not Greater */");
        emit("    %s = mid;", base);
        emit("%s -= half;", size);
        cg->indent--;
        emit("}");
        emit_probe(&pr, xprintf("int %s", c), xprintf("%s[%s]", ptr, base));
        if (pr.pred) { /* partition_point: the search by `pred(x) ? Less : Greater`, its Err */
            emit("%s += %s < 0;", base, c);
        } else {
            emit("if (%s == 0)", c);
            emit("    %s = (%s){.tag = %s_Ok, .Ok = {%s}};", r, ctype(e->ty), mangle(e->ty), base);
            emit("else");
            emit("    %s = (%s){.tag = %s_Err, .Err = {%s + (%s < 0)}};", r, ctype(e->ty), mangle(e->ty), base, c);
        }
        cg->indent--;
        emit("}");
        return pr.pred ? base : r;
    }
    case BM_SL_CONTAINS: {
        char *r = fresh("found");
        emit("bool %s = false;", r);
        char *x = deref_text(a[0]);
        emit("for (size_t mrs_i = 0; mrs_i < %s && !%s; mrs_i++)", len, r);
        emit("    %s = %s;", r, eq_places(el, xprintf("%s[mrs_i]", ptr), x));
        return r;
    }
    case BM_SL_SORT:
    case BM_SL_SORT_UNSTABLE: {
        int bits = el->kind <= TY_USIZE ? ty_int_bits(el) : el->kind == TY_CHAR ? 32 : el->kind == TY_BOOL ? 8 : 0;
        if (bits && bits <= 64) { /* integers: equal ones are indistinguishable, so a radix sort gives std's order */
            bool sign = el->kind <= TY_ISIZE;
            const char *ct = xprintf("%sint%d_t", sign ? "" : "u", bits);
            emit("mrs_sort_%c%d((%s *)%s, %s);", sign ? 'i' : 'u', bits, ct, ptr, len);
            return NULL;
        }
        /* std's sorts typed for the element, comparisons inlined */
        const char *name = xprintf("sort_%s", mangle(el));
        typed_sort(name, el, NULL, NULL, NULL, false);
        emit("%s_%s(%s, %s, NULL);", name, mr->bm == BM_SL_SORT ? "stable" : "unstable", ptr, len);
        return NULL;
    }
    case BM_SL_SORT_BY_CACHED_KEY: { /* as std: each key once, in order, beside its index; those
                                       * pairs sorted (sort_unstable: the index breaks ties), then
                                       * the elements put in their order */
        Expr *fe = e->args.items[0];
        Type *kt = mr->aux;
        Type *pair_parts[2] = {kt, ty_prim(TY_USIZE)};
        Type *pair = ty_tuple(pair_parts, 2);
        char *fv = fe->ty->kind == TY_CLOSURE ? callable_value(fe, a[0]) : is_ident_text(a[0]) ? a[0] : hoist(fe->ty, a[0], "key_fn");
        char *n = hoist(ty_prim(TY_USIZE), len, "n");
        char *keyed = fresh("keyed");
        const char *pc = ctype(pair);
        emit("if (%s > 1) {", n);
        cg->indent++;
        emit("%s *%s = mrs_vec_alloc(%s, sizeof *%s);", pc, keyed, n, keyed);
        emit("for (size_t mrs_i = 0; mrs_i < %s; mrs_i++)", n);
        emit("    %s[mrs_i] = (%s){%s, mrs_i};", keyed, pc, call_callable(fe->ty, fv, xprintf("&%s[mrs_i]", ptr)));
        const char *name = xprintf("sort_%s", mangle(pair));
        typed_sort(name, pair, NULL, NULL, NULL, false);
        emit("%s_unstable(%s, %s, NULL);", name, keyed, n);
        emit("%s *mrs_moved = mrs_vec_alloc(%s, sizeof *mrs_moved);", ctype(el), n);
        emit("for (size_t mrs_i = 0; mrs_i < %s; mrs_i++)", n);
        emit("    mrs_moved[mrs_i] = %s[%s[mrs_i]._1];", ptr, keyed);
        emit("memcpy(%s, mrs_moved, %s * sizeof *mrs_moved);", ptr, n);
        emit("mrs_vec_free(mrs_moved);");
        if (has_drop(kt)) {
            emit("for (size_t mrs_i = 0; mrs_i < %s; mrs_i++)", n);
            cg->indent++;
            emit_drop_place(kt, xprintf("%s[mrs_i]._0", keyed));
            cg->indent--;
        }
        emit("mrs_vec_free(%s);", keyed);
        cg->indent--;
        emit("}");
        return NULL;
    }
    case BM_SL_SORT_BY:
    case BM_SL_SORT_BY_KEY:
    case BM_SL_SORT_UNSTABLE_BY:
    case BM_SL_SORT_UNSTABLE_BY_KEY: {
        Expr *fe = e->args.items[0];
        Type *kt = mr->bm == BM_SL_SORT_BY_KEY || mr->bm == BM_SL_SORT_UNSTABLE_BY_KEY ? mr->aux : NULL;
        int kbits = kt && kt->kind <= TY_USIZE && kt->kind != TY_I128 && kt->kind != TY_U128 ? ty_int_bits(kt) : 0;
        if (kbits && mr->bm == BM_SL_SORT_BY_KEY && unparen(fe)->kind == EX_CLOSURE && plain_key(unparen(fe)->body)) {
            /* an integer key computed from the element alone: each element's key once, then
             * a stable radix sort by them (std calls the key fn twice a comparison, but a key
             * that prints nothing and can only fail the same way for all cannot tell) */
            char *fv = fe->ty->kind == TY_CLOSURE ? callable_value(fe, a[0]) : is_ident_text(a[0]) ? a[0] : hoist(fe->ty, a[0], "key_fn");
            char *n = hoist(ty_prim(TY_USIZE), len, "n");
            char *keys = fresh("keys");
            emit("uint64_t *%s = mrs_vec_alloc(%s, sizeof(uint64_t));", keys, n);
            char *kv = xprintf("(uint64_t)%s%s", ty_is_signed(kt) ? "(int64_t)" : "",
                               call_callable(fe->ty, fv, xprintf("&%s[mrs_i]", ptr)));
            emit("for (size_t mrs_i = 0; mrs_i < %s; mrs_i++) /* each key once */", n);
            emit("    %s[mrs_i] = %s%s;", keys, kv, ty_is_signed(kt) ? " ^ ((uint64_t)1 << 63)" : "");
            emit("mrs_sort_keyed(%s, %s, sizeof *%s, %s);", ptr, n, ptr, keys);
            emit("mrs_vec_free(%s);", keys);
            return NULL;
        }
        /* std's sorts typed for the element, comparing through the user's fn or closure */
        const char *name = xprintf("sort_by_%s_%d", mangle(el), ++cg->label_id);
        const char *which = mr->bm == BM_SL_SORT_BY || mr->bm == BM_SL_SORT_BY_KEY ? "stable" : "unstable";
        bool direct = is_ident_text(a[0]) && unparen(fe)->kind == EX_PATH && unparen(fe)->def &&
                      unparen(fe)->def->kind == DEF_FN;
        char *fv = direct ? a[0] : fe->ty->kind == TY_CLOSURE ? callable_value(fe, a[0]) : hoist(fe->ty, a[0], "by");
        typed_sort(name, el, fe->ty, kt, direct ? a[0] : "(*f)", !direct);
        if (direct)
            emit("%s_%s(%s, %s, NULL);", name, which, ptr, len);
        else
            emit("%s_%s(%s, %s, &%s);", name, which, ptr, len, fv);
        return NULL;
    }
    case BM_SL_REVERSE:
        emit("for (size_t mrs_i = 0, mrs_j = %s; mrs_i + 1 < mrs_j; mrs_i++, mrs_j--) {", len);
        emit("    %s = %s[mrs_i];", decl(el, "t"), ptr);
        emit("    %s[mrs_i] = %s[mrs_j - 1];", ptr, ptr);
        emit("    %s[mrs_j - 1] = t;", ptr);
        emit("}");
        return NULL;
    case BM_SL_SWAP: {
        char *i = hoist(ty_prim(TY_USIZE), xprintf("mrs_idx(%s, %s, %s)", a[0], len, loc(e->name_span)), "mrs_i");
        char *j = hoist(ty_prim(TY_USIZE), xprintf("mrs_idx(%s, %s, %s)", a[1], len, loc(e->name_span)), "mrs_j");
        char *t = hoist(el, xprintf("%s[%s]", ptr, i), "t");
        emit("%s[%s] = %s[%s];", ptr, i, ptr, j);
        emit("%s[%s] = %s;", ptr, j, t);
        return NULL;
    }
    case BM_SL_TO_VEC: {
        Type *vt = e->ty;
        char *r = fresh("vec");
        emit("%s = (%s){mrs_vec_alloc(%s, sizeof(%s)), %s, %s};", decl(vt, r), ctype(vt), len, ctype(el), len, len);
        emit("for (size_t mrs_i = 0; mrs_i < %s; mrs_i++)", len);
        emit("    %s.ptr[mrs_i] = %s;", r, clone_place(el, xprintf("%s[mrs_i]", ptr)));
        return r;
    }
    case BM_SL_CONCAT:
        if (ty_is_std(e->ty, STD_VEC)) { /* of arrays, Vecs or slices: their elements, cloned */
            Type *inner = el->kind == TY_REF ? el->args[0] : el, *u = e->ty->args[0];
            char *ip = xprintf("%s[mrs_i]", ptr);
            if (el->kind == TY_REF && inner->kind != TY_SLICE)
                ip = deref_text(ip);
            Type *view = inner->kind == TY_SLICE ? el : inner; /* (a &[T] is its own view) */
            char *r = fresh("concat");
            emit("%s = (%s){0};", decl(e->ty, r), ctype(e->ty));
            emit("for (size_t mrs_i = 0; mrs_i < %s; mrs_i++)", len);
            emit("    %s.cap += %s;", r, slice_len(view, ip));
            emit("%s.ptr = mrs_vec_alloc(%s.cap, sizeof *%s.ptr);", r, r, r);
            emit("for (size_t mrs_i = 0; mrs_i < %s; mrs_i++)", len);
            emit("    for (size_t mrs_j = 0; mrs_j < %s; mrs_j++)", slice_len(view, ip));
            emit("        %s.ptr[%s.len++] = %s;", r, r, clone_place(u, xprintf("%s[mrs_j]", slice_ptr(view, ip))));
            return r;
        }
        /* strings: */
        /* fall through */
    case BM_SL_JOIN: {
        if (ty_is_std(e->ty, STD_VEC)) /* of arrays, Vecs or slices */
            return vec_join(e, el, ptr, len, hoist(((Expr *)e->args.items[0])->ty, a[0], "sep"), mr->aux);
        char *r = fresh("joined");
        char *total = fresh("total"); /* (std allocates exactly the bytes of the result) */
        emit("size_t %s = 0;", total);
        emit("for (size_t mrs_i = 0; mrs_i < %s; mrs_i++)", len);
        emit("    %s += %s.len%s;", total, str_value(el, xprintf("%s[mrs_i]", ptr)),
             mr->bm == BM_SL_JOIN ? xprintf(" + (mrs_i > 0 ? %s.len : 0)", a[0]) : "");
        emit("MrsString %s = mrs_string_with_capacity(%s);", r, total);
        emit("for (size_t mrs_i = 0; mrs_i < %s; mrs_i++) {", len);
        if (mr->bm == BM_SL_JOIN)
            emit("    if (mrs_i > 0)\n%*s        mrs_string_push_str(&%s, %s);", cg->indent * 4, "", r, a[0]);
        emit("    mrs_string_push_str(&%s, %s);", r, str_value(el, xprintf("%s[mrs_i]", ptr)));
        emit("}");
        return r;
    }
    default:
        return NULL;
    }
}

/* An argument that may be dropped unused: kept in a variable. */
char *droppable_arg(Type *t, char *v)
{
    return has_drop(t) && !is_ident_text(v) ? hoist(t, v, "arg") : v;
}

char *option_method(Expr *e, MethodRes *mr, char *p, char **a)
{
    Type *ot = mr->self_ty;
    const char *on = mangle(ot);
    switch (mr->bm) {
    case BM_OPT_IS_SOME: return xprintf("(%s.tag != %s_None)", p, on);
    case BM_OPT_IS_NONE: return xprintf("(%s.tag == %s_None)", p, on);
    case BM_OPT_UNWRAP: return opt_unwrap(e, ot, once(ot, p), NULL);
    case BM_OPT_EXPECT: return opt_unwrap(e, ot, once(ot, p), a[0]);
    case BM_OPT_UNWRAP_OR: {
        char *v = once(ot, p);
        char *d = droppable_arg(e->ty, a[0]);
        return owned_choice(e->ty, xprintf("%s.tag != %s_None", v, on), xprintf("%s.Some._0", v), e->ty, d, d, NULL,
                            NULL);
    }
    case BM_OPT_UNWRAP_OR_DEFAULT: {
        char *v = once(ot, p);
        return xprintf("(%s.tag != %s_None ? %s.Some._0 : %s)", v, on, v, default_expr(e->ty));
    }
    case BM_OPT_OR: {
        char *v = once(ot, p);
        char *d = droppable_arg(ot, a[0]);
        return owned_choice(ot, xprintf("%s.tag != %s_None", v, on), v, ot, d, d, NULL, NULL);
    }
    case BM_OPT_FILTER: {
        char *v = hoist(ot, p, "opt");
        Expr *fe = e->args.items[0];
        char *fv = callable_value(fe, a[0]);
        emit("if (%s.tag != %s_None && !%s) {", v, on, call_callable(fe->ty, fv, xprintf("&%s.Some._0", v)));
        cg->indent++;
        if (has_drop(ot->args[0]))
            emit_drop_place(ot->args[0], xprintf("%s.Some._0", v));
        emit("%s = %s;", v, none(ot));
        cg->indent--;
        emit("}");
        return v;
    }
    case BM_OPT_MAP: {
        char *v = once(ot, p);
        Expr *fe = e->args.items[0];
        char *fv = callable_value(fe, a[0]);
        if (is_unit(e->ty->args[0])) { /* the closure returns (): a C void call, then Some(()) */
            char *r = fresh("mapped");
            emit("%s = %s;", decl(e->ty, r), none(e->ty));
            emit("if (%s.tag != %s_None) {", v, on);
            emit("    %s;", call_callable(fe->ty, fv, xprintf("%s.Some._0", v)));
            emit("    %s = %s;", r, some(e->ty, "(MrsUnit){0}"));
            emit("}");
            return xprintf("(%s)", r); /* (a statement that drops it still reads it) */
        }
        return xprintf("(%s.tag != %s_None ? %s : %s)", v, on,
                       some(e->ty, call_callable(fe->ty, fv, xprintf("%s.Some._0", v))), none(e->ty));
    }
    case BM_OPT_AND_THEN: {
        char *v = once(ot, p);
        Expr *fe = e->args.items[0];
        char *fv = callable_value(fe, a[0]);
        return xprintf("(%s.tag != %s_None ? %s : %s)", v, on, call_callable(fe->ty, fv, xprintf("%s.Some._0", v)),
                       none(e->ty));
    }
    case BM_OPT_UNWRAP_OR_ELSE: {
        char *v = once(ot, p);
        Expr *fe = e->args.items[0];
        char *fv = callable_value(fe, a[0]);
        return xprintf("(%s.tag != %s_None ? %s.Some._0 : %s)", v, on, v, call_callable(fe->ty, fv, ""));
    }
    case BM_OPT_TAKE: {
        char *old = hoist(ot, p, "taken");
        emit("%s = %s;", p, none(ot));
        return old;
    }
    case BM_OPT_REPLACE: { /* the old value out, Some(v) in */
        char *old = hoist(ot, p, "replaced");
        emit("%s = %s;", p, some(ot, a[0]));
        return old;
    }
    case BM_OPT_AS_REF:
    case BM_OPT_AS_MUT:
        return xprintf("(%s.tag != %s_None ? %s : %s)", p, on, some(e->ty, xprintf("&%s.Some._0", p)), none(e->ty));
    case BM_OPT_AS_DEREF: { /* a String's str, a Box's pointer */
        const char *in = xprintf("%s.Some._0", p);
        const char *view = ty_is_std(ot->args[0], STD_STRING) ? xprintf("mrs_string_as_str(&%s)", in) : in;
        return xprintf("(%s.tag != %s_None ? %s : %s)", p, on, some(e->ty, view), none(e->ty));
    }
    case BM_OPT_OK_OR: {
        char *v = once(ot, p);
        Type *rt = e->ty;
        char *d = droppable_arg(rt->args[1], a[0]);
        return owned_choice(rt, xprintf("%s.tag != %s_None", v, on),
                            xprintf("(%s){.tag = %s_Ok, .Ok = {%s.Some._0}}", ctype(rt), mangle(rt), v), rt->args[1], d,
                            xprintf("(%s){.tag = %s_Err, .Err = {%s}}", ctype(rt), mangle(rt), d), NULL, NULL);
    }
    case BM_OPT_MAP_OR: { /* f(x) for Some(x) (the default dropped), else the default */
        char *v = once(ot, p);
        Expr *fe = e->args.items[1];
        char *fv = callable_value(fe, a[1]);
        char *d = droppable_arg(e->ty, a[0]);
        return owned_choice(e->ty, xprintf("%s.tag != %s_None", v, on), call_callable(fe->ty, fv, xprintf("%s.Some._0", v)),
                            e->ty, d, d, NULL, NULL);
    }
    case BM_OPT_MAP_OR_ELSE: {
        char *v = once(ot, p);
        Expr *de = e->args.items[0], *fe = e->args.items[1];
        char *dv = callable_value(de, a[0]), *fv = callable_value(fe, a[1]);
        return xprintf("(%s.tag != %s_None ? %s : %s)", v, on, call_callable(fe->ty, fv, xprintf("%s.Some._0", v)),
                       call_callable(de->ty, dv, ""));
    }
    case BM_OPT_IS_SOME_AND: {
        char *v = once(ot, p);
        Expr *fe = e->args.items[0];
        char *fv = callable_value(fe, a[0]);
        return xprintf("(%s.tag != %s_None && %s)", v, on, call_callable(fe->ty, fv, xprintf("%s.Some._0", v)));
    }
    case BM_OPT_OR_ELSE: {
        char *v = once(ot, p);
        Expr *fe = e->args.items[0];
        char *fv = callable_value(fe, a[0]);
        return xprintf("(%s.tag != %s_None ? %s : %s)", v, on, v, call_callable(fe->ty, fv, ""));
    }
    case BM_OPT_OK_OR_ELSE: {
        char *v = once(ot, p);
        Type *rt = e->ty;
        Expr *fe = e->args.items[0];
        char *fv = callable_value(fe, a[0]);
        return xprintf("(%s.tag != %s_None ? (%s){.tag = %s_Ok, .Ok = {%s.Some._0}} : (%s){.tag = %s_Err, .Err = {%s}})",
                       v, on, ctype(rt), mangle(rt), v, ctype(rt), mangle(rt), call_callable(fe->ty, fv, ""));
    }
    case BM_OPT_GET_OR_INSERT: { /* None: the value goes in (else it is dropped); a pointer to what is there */
        char *nv = hoist(ot->args[0], a[0], "value");
        emit("if (%s.tag == %s_None)", p, on);
        emit("    %s = %s;", p, some(ot, nv));
        if (has_drop(ot->args[0])) {
            emit("else");
            cg->indent++;
            emit_drop_place(ot->args[0], nv);
            cg->indent--;
        }
        return xprintf("&%s.Some._0", p);
    }
    case BM_OPT_GET_OR_INSERT_WITH: { /* None: the closure's value goes in; a pointer to what is there */
        Expr *fe = e->args.items[0];
        char *fv = callable_value(fe, a[0]);
        emit("if (%s.tag == %s_None)", p, on);
        emit("    %s = %s;", p, some(ot, call_callable(fe->ty, fv, "")));
        return xprintf("&%s.Some._0", p);
    }
    case BM_OPT_INSERT: { /* the new value in (the old one dropped), a pointer to it */
        char *nv = hoist(ot->args[0], a[0], "inserted");
        if (has_drop(ot->args[0])) {
            emit("if (%s.tag != %s_None)", p, on);
            cg->indent++;
            emit_drop_place(ot->args[0], xprintf("%s.Some._0", p));
            cg->indent--;
        }
        emit("%s = %s;", p, some(ot, nv));
        return xprintf("&%s.Some._0", p);
    }
    case BM_OPT_ZIP:
    case BM_OPT_XOR: { /* zip: both Some; xor: exactly one; what is not kept is dropped */
        char *v = once(ot, p);
        Type *o2 = e->args.items[0] ? ((Expr *)e->args.items[0])->ty : ot;
        char *w = hoist(o2, a[0], "other");
        const char *wn = mangle(o2);
        char *out = fresh(mr->bm == BM_OPT_ZIP ? "zipped" : "either");
        emit("%s = %s;", decl(e->ty, out), none(e->ty));
        emit("if (%s.tag != %s_None && %s.tag != %s_None) {", v, on, w, wn);
        cg->indent++;
        if (mr->bm == BM_OPT_ZIP) {
            Type *pt = e->ty->args[0];
            need_type(pt);
            emit("%s = %s;", out, some(e->ty, xprintf("(%s){%s.Some._0, %s.Some._0}", ctype(pt), v, w)));
        } else {
            if (has_drop(ot->args[0]))
                emit_drop_place(ot->args[0], xprintf("%s.Some._0", v));
            if (has_drop(o2->args[0]))
                emit_drop_place(o2->args[0], xprintf("%s.Some._0", w));
        }
        cg->indent--;
        const char *opt[2] = {v, w}, *tag[2] = {on, wn};
        Type *payload[2] = {ot->args[0], o2->args[0]};
        for (int k = 0; k < 2; k++) { /* only one is Some: xor keeps it, zip drops it */
            emit("} else if (%s.tag != %s_None) {", opt[k], tag[k]);
            cg->indent++;
            if (mr->bm == BM_OPT_XOR)
                emit("%s = %s;", out, opt[k]);
            else if (has_drop(payload[k]))
                emit_drop_place(payload[k], xprintf("%s.Some._0", opt[k]));
            cg->indent--;
        }
        emit("}");
        return out;
    }
    case BM_OPT_FLATTEN: {
        char *v = once(ot, p);
        return xprintf("(%s.tag != %s_None ? %s.Some._0 : %s)", v, on, v, none(e->ty));
    }
    case BM_OPT_COPIED:
    case BM_OPT_CLONED: {
        char *v = once(ot, p);
        Type *in = ot->args[0]->kind == TY_REF ? ot->args[0]->args[0] : ot->args[0];
        return xprintf("(%s.tag != %s_None ? %s : %s)", v, on, some(e->ty, clone_place(in, deref_text(xprintf("%s.Some._0", v)))),
                       none(e->ty));
    }
    default:
        return NULL;
    }
}

/* Ordering's methods: its tag is -1, 0 or 1 (Less, Equal, Greater). */
static char *ordering_method(Expr *e, MethodRes *mr, char *p, char **a)
{
    Type *ot = mr->self_ty;
    const char *c = ctype(ot), *n = mangle(ot);
    switch (mr->bm) {
    case BM_ORD_REVERSE: return xprintf("(%s){.tag = (%s_Tag)(-%s.tag)}", c, n, p);
    case BM_ORD_THEN: {
        char *v = once(ot, p);
        return xprintf("(%s.tag != 0 ? %s : %s)", v, v, a[0]);
    }
    case BM_ORD_THEN_WITH: { /* the closure only when equal */
        char *v = once(ot, p);
        Expr *fe = e->args.items[0];
        char *fv = callable_value(fe, a[0]);
        return xprintf("(%s.tag != 0 ? %s : %s)", v, v, call_callable(fe->ty, fv, ""));
    }
    case BM_ORD_IS_EQ: return xprintf("(%s.tag == 0)", p);
    case BM_ORD_IS_NE: return xprintf("(%s.tag != 0)", p);
    case BM_ORD_IS_LT: return xprintf("(%s.tag < 0)", p);
    case BM_ORD_IS_GT: return xprintf("(%s.tag > 0)", p);
    case BM_ORD_IS_LE: return xprintf("(%s.tag <= 0)", p);
    case BM_ORD_IS_GE: return xprintf("(%s.tag >= 0)", p);
    default:
        return NULL;
    }
}

char *result_method(Expr *e, MethodRes *mr, char *p, char **a)
{
    Type *rt = mr->self_ty;
    const char *rn = mangle(rt);
    switch (mr->bm) {
    case BM_RES_IS_OK: return xprintf("(%s.tag == %s_Ok)", p, rn);
    case BM_RES_IS_ERR: return xprintf("(%s.tag == %s_Err)", p, rn);
    case BM_RES_UNWRAP: return res_unwrap(e, rt, once(rt, p), NULL, false);
    case BM_RES_EXPECT: return res_unwrap(e, rt, once(rt, p), a[0], false);
    case BM_RES_UNWRAP_ERR: return res_unwrap(e, rt, once(rt, p), NULL, true);
    case BM_RES_EXPECT_ERR: return res_unwrap(e, rt, once(rt, p), a[0], true);
    case BM_RES_AS_REF: {
        Type *nt = e->ty;
        return xprintf("(%s.tag == %s_Ok ? (%s){.tag = %s_Ok, .Ok = {&%s.Ok._0}} : (%s){.tag = %s_Err, .Err = {&%s.Err._0}})", p,
                       rn, ctype(nt), mangle(nt), p, ctype(nt), mangle(nt), p);
    }
    case BM_RES_MAP:
    case BM_RES_MAP_ERR: {
        char *v = once(rt, p);
        Type *nt = e->ty;
        Expr *fe = e->args.items[0];
        char *fv = callable_value(fe, a[0]);
        if (mr->bm == BM_RES_MAP)
            return xprintf("(%s.tag == %s_Ok ? (%s){.tag = %s_Ok, .Ok = {%s}} : (%s){.tag = %s_Err, .Err = {%s.Err._0}})",
                           v, rn, ctype(nt), mangle(nt), call_callable(fe->ty, fv, xprintf("%s.Ok._0", v)), ctype(nt),
                           mangle(nt), v);
        return xprintf("(%s.tag == %s_Ok ? (%s){.tag = %s_Ok, .Ok = {%s.Ok._0}} : (%s){.tag = %s_Err, .Err = {%s}})",
                       v, rn, ctype(nt), mangle(nt), v, ctype(nt), mangle(nt),
                       call_callable(fe->ty, fv, xprintf("%s.Err._0", v)));
    }
    case BM_RES_AND_THEN:
    case BM_RES_OR_ELSE: { /* the closure on Ok (and_then) or Err (or_else); the other case passes through */
        char *v = once(rt, p);
        Type *nt = e->ty;
        Expr *fe = e->args.items[0];
        char *fv = callable_value(fe, a[0]);
        if (mr->bm == BM_RES_AND_THEN)
            return xprintf("(%s.tag == %s_Ok ? %s : (%s){.tag = %s_Err, .Err = {%s.Err._0}})", v, rn,
                           call_callable(fe->ty, fv, xprintf("%s.Ok._0", v)), ctype(nt), mangle(nt), v);
        return xprintf("(%s.tag == %s_Ok ? (%s){.tag = %s_Ok, .Ok = {%s.Ok._0}} : %s)", v, rn, ctype(nt), mangle(nt), v,
                       call_callable(fe->ty, fv, xprintf("%s.Err._0", v)));
    }
    case BM_RES_IS_OK_AND: { /* an Err is dropped; an Ok goes to the predicate */
        char *v = once(rt, p);
        Expr *fe = e->args.items[0];
        char *fv = callable_value(fe, a[0]);
        if (!has_drop(rt->args[1]))
            return xprintf("(%s.tag == %s_Ok && %s)", v, rn, call_callable(fe->ty, fv, xprintf("%s.Ok._0", v)));
        char *out = fresh("holds");
        emit("bool %s = false;", out);
        emit("if (%s.tag == %s_Ok)", v, rn);
        emit("    %s = %s;", out, call_callable(fe->ty, fv, xprintf("%s.Ok._0", v)));
        emit("else");
        cg->indent++;
        emit_drop_place(rt->args[1], xprintf("%s.Err._0", v));
        cg->indent--;
        return out;
    }
    case BM_RES_UNWRAP_OR_ELSE: {
        char *v = once(rt, p);
        Expr *fe = e->args.items[0];
        char *fv = callable_value(fe, a[0]);
        return xprintf("(%s.tag == %s_Ok ? %s.Ok._0 : %s)", v, rn, v, call_callable(fe->ty, fv, xprintf("%s.Err._0", v)));
    }
    case BM_RES_UNWRAP_OR: {
        char *v = once(rt, p);
        char *d = droppable_arg(e->ty, a[0]);
        return owned_choice(e->ty, xprintf("%s.tag == %s_Ok", v, rn), xprintf("%s.Ok._0", v), e->ty, d, d, rt->args[1],
                            xprintf("%s.Err._0", v));
    }
    case BM_RES_MAP_OR: { /* f(x) for Ok(x) (the default dropped), else the default (the error dropped) */
        char *v = once(rt, p);
        Expr *fe = e->args.items[1];
        char *fv = callable_value(fe, a[1]);
        char *d = droppable_arg(e->ty, a[0]);
        return owned_choice(e->ty, xprintf("%s.tag == %s_Ok", v, rn), call_callable(fe->ty, fv, xprintf("%s.Ok._0", v)),
                            e->ty, d, d, rt->args[1], xprintf("%s.Err._0", v));
    }
    case BM_RES_MAP_OR_ELSE: { /* f(x) for Ok(x), else default(e) for Err(e) */
        char *v = once(rt, p);
        Expr *de = e->args.items[0], *fe = e->args.items[1];
        char *dv = callable_value(de, a[0]), *fv = callable_value(fe, a[1]);
        return xprintf("(%s.tag == %s_Ok ? %s : %s)", v, rn, call_callable(fe->ty, fv, xprintf("%s.Ok._0", v)),
                       call_callable(de->ty, dv, xprintf("%s.Err._0", v)));
    }
    case BM_RES_UNWRAP_OR_DEFAULT: { /* (an Err's error is dropped) */
        char *v = once(rt, p);
        return owned_choice(e->ty, xprintf("%s.tag == %s_Ok", v, rn), xprintf("%s.Ok._0", v), NULL, NULL,
                            default_expr(e->ty), rt->args[1], xprintf("%s.Err._0", v));
    }
    case BM_RES_OK: {
        char *v = once(rt, p);
        return owned_choice(e->ty, xprintf("%s.tag == %s_Ok", v, rn), some(e->ty, xprintf("%s.Ok._0", v)), NULL, NULL,
                            none(e->ty), rt->args[1], xprintf("%s.Err._0", v));
    }
    case BM_RES_ERR: {
        char *v = once(rt, p);
        return owned_choice(e->ty, xprintf("%s.tag == %s_Err", v, rn), some(e->ty, xprintf("%s.Err._0", v)), NULL,
                            NULL, none(e->ty), rt->args[0], xprintf("%s.Ok._0", v));
    }
    default:
        return NULL;
    }
}

/* to_string(): Display into a new String. */
char *to_string(Type *t, const char *place)
{
    char *s = fresh("text");
    emit("MrsString %s = mrs_string_new();", s);
    emit("{");
    emit("    MrsFormatter fmt = mrs_fmt_new(&%s);", s);
    cg->indent++;
    fmt_place("&fmt", t, FT_DISPLAY, place);
    cg->indent--;
    emit("}");
    return s;
}

char *cg_method(Expr *e)
{
    MethodRes *mr = e->sema;
    Adjust *adj = e->operand->adjust;
    int autoref = adj ? adj->autoref : 0;
    if (mr->fn && mr->dynamic) {
        /* dynamic dispatch: the call goes through the object's vtable */
        char *p = recv_place(e, false);
        char **a = cg_args(&e->args);
        Type *ft = e->operand->ty;
        while (ft->kind == TY_REF && !is_fat_ref(ft))
            ft = ft->args[0];
        char *obj = is_ident_text(p) ? p : hoist(ft, p, "obj");
        return call_result(e->ty, xprintf("%s.vtable->%s(%s)", obj, mr->fn->name,
                                          join_args(a, e->args.len, xprintf("%s.data", obj))));
    }
    if (mr->fn) {
        FnDef *f = mr->fn;
        char *p = recv_place(e, autoref == 0);
        char *self = autoref ? addr_text(p) : p;
        char **a = cg_args(&e->args);
        const char *fname = f->trait == cg->prog->future && f->is_default && mr->inst && std_future_output(mr->inst->args[0])
                                ? poll_fn_name(mr->inst->args[0]) /* `j.poll(cx)` of a std future */
                            : mr->inst && mr->inst->n ? callee_name(f, mr->inst->args, mr->inst->n) : f->cname;
        return call_result(e->ty, xprintf("%s(%s%s)", fname, join_args(a, e->args.len, self), caller_arg(f, e->span)));
    }
    Type *b = mr->self_ty;
    switch (mr->bm) {
    case BM_CLONE:
    case BM_TO_OWNED: {
        if (mr->bm == BM_CLONE && ty_resolve(e->ty)->kind == TY_REF) { /* a copy of a reference (see clone_type) */
            Type *want = ty_resolve(e->ty), *rt = ty_resolve(e->operand->ty);
            char *v = cg_expr(e->operand);
            for (; rt->kind == TY_REF && rt != want; rt = ty_resolve(rt->args[0]))
                v = deref_text(v);
            return v;
        }
        char *p = recv_place(e, false);
        if (b->kind == TY_STR)
            return xprintf("mrs_string_from(%s)", p);
        if (b->kind == TY_SLICE) {
            MethodRes fake = *mr;
            fake.bm = BM_SL_TO_VEC;
            return slice_method(e, &fake, p, NULL);
        }
        return clone_place(b, p);
    }
    case BM_BOX_AS_REF:
    case BM_BOX_AS_MUT: { /* &**b: a Box<T> is already the pointer; a Box<dyn T> its object and vtable */
        char *p = recv_place(e, false);
        if (b->args[0]->kind == TY_DYN)
            return xprintf("(%s){%s.data, %s.vtable}", ctype(e->ty), p, p);
        return p;
    }
    case BM_TRY_INTO: /* an integer narrowing (a program's impl TryFrom is a user method call) */
        return int_try_from(e->ty, e->operand->ty, cg_expr(e->operand));
    case BM_ERR_SOURCE:
        return error_source(b, recv_place(e, false));
    case BM_INTO: { /* the From conversion sema chose */
        Type *src = e->operand->ty, *t = e->ty;
        char *v = cg_expr(e->operand);
        if (mr->fn)
            return call_result(t, xprintf("%s(%s)", mr->fn->cname, v));
        if (is_box_dyn_error(t))
            return box_dyn_error(t, src, v);
        if (ty_is_std(t, STD_STRING) && src->kind == TY_REF) {
            Type *in = src->args[0];
            return in->kind == TY_STR ? xprintf("mrs_string_from(%s)", v) : xprintf("mrs_string_clone(%s)", v);
        }
        if (ty_is_std(t, STD_STRING) && src->kind == TY_CHAR) {
            char *sv = hoist(t, "mrs_string_new()", "s");
            emit("mrs_string_push(&%s, %s);", sv, v);
            return sv;
        }
        if (t != src && (ty_is_numeric(t) || t->kind == TY_CHAR))
            return xprintf("((%s)%s)", ctype(t), v);
        return v; /* From<T> for T */
    }
    case BM_TO_STRING: {
        char *p = recv_place(e, false);
        if (b->kind == TY_STR)
            return xprintf("mrs_string_from(%s)", p);
        if (ty_is_std(b, STD_STRING))
            return xprintf("mrs_string_clone(%s)", addr_text(p));
        /* integers, chars and bools: std's own to_string, whose capacity() shows */
        static const int digits[] = {[TY_I8] = 3, [TY_I16] = 5, [TY_I32] = 10, [TY_I64] = 19, [TY_ISIZE] = 19};
        Type *rb = ty_resolve(b);
        if (rb->kind >= TY_U8 && rb->kind <= TY_USIZE && rb->kind != TY_U128)
            return xprintf("mrs_u64_to_string(%s)", p);
        if (rb->kind >= TY_I8 && rb->kind <= TY_ISIZE && rb->kind != TY_I128)
            return xprintf("mrs_i64_to_string(%s, %d)", p, digits[rb->kind]);
        if (rb->kind == TY_BOOL || rb->kind == TY_CHAR)
            return xprintf("mrs_%s_to_string(%s)", rb->kind == TY_BOOL ? "bool" : "char", p);
        if (rb->kind == TY_U128) { /* (its digits, as the others: exactly their length) */
            char *r = to_string(b, p);
            emit("%s.ptr = mrs_vec_shrink_to(%s.ptr, %s.len, &%s.cap, 1, 0);", r, r, r, r);
            return r;
        }
        return to_string(b, p);
    }
    case BM_FMT_DISPLAY_FWD:
    case BM_FMT_DEBUG_FWD: {
        /* x.fmt(f): format x through the caller's formatter, its width and fill included */
        char *p = recv_place(e, false);
        char *fv = cg_expr(e->args.items[0]);
        fmt_place(fv, b, mr->bm == BM_FMT_DEBUG_FWD ? FT_DEBUG : FT_DISPLAY, p);
        return xprintf("(%s){.tag = %s_Ok}", ctype(e->ty), mangle(e->ty));
    }
    case BM_FMT_WIDTH: case BM_FMT_PRECISION: case BM_FMT_ALTERNATE: case BM_FMT_FILL: case BM_FMT_SIGN_PLUS:
    case BM_FMT_SIGN_MINUS: case BM_FMT_DEBUG_STRUCT: case BM_FMT_DEBUG_TUPLE: case BM_FMT_DEBUG_LIST:
    case BM_FMT_DEBUG_SET: case BM_FMT_DEBUG_MAP: case BM_DBGB_FIELD: case BM_DBGB_ENTRY: case BM_DBGB_ENTRIES:
    case BM_DBGB_FINISH:
        return formatter_method(e, mr);
    case BM_FMT_WRITE_STR:
    case BM_FMT_PAD: { /* pad: with the caller's width, fill, alignment and precision */
        char *p = recv_place(e, false);
        char *a0 = cg_expr(e->args.items[0]);
        emit("mrs_fmt_%s(%s, %s);", mr->bm == BM_FMT_PAD ? "pad" : "write", addr_text(p), a0);
        return xprintf("(%s){.tag = %s_Ok}", ctype(e->ty), mangle(e->ty));
    }
    case BM_ORD_MAX:
    case BM_ORD_MIN: { /* as std::cmp::max and min */
        char *x = hoist(b, cg_expr(e->operand), "a");
        char *y = hoist(b, cg_expr(e->args.items[0]), "b");
        return ord_choice(b, x, y, mr->bm == BM_ORD_MAX);
    }
    case BM_CMP:
    case BM_PARTIAL_CMP: {
        char *p = recv_place(e, false);
        Expr *arg = e->args.items[0];
        char *o = deref_n(cg_expr(arg), arg->ty, 1);
        Type *ord = mr->bm == BM_CMP ? e->ty : e->ty->args[0];
        Type *rb = ty_resolve(b);
        if (mr->bm == BM_CMP && rb->kind <= TY_CHAR && rb->kind != TY_STR && rb->kind != TY_F32 && rb->kind != TY_F64)
            return xprintf("(%s){.tag = (%s_Tag)(%s)}", ctype(ord), mangle(ord), cmp_places(b, p, o)); /* (-1, 0 or 1) */
        if (mr->bm == BM_PARTIAL_CMP && (rb->kind == TY_F32 || rb->kind == TY_F64)) {
            /* None when either is NaN; else -1, 0 or 1 in a form a `== Less` folds into `<` */
            char *x = is_ident_text(p) ? p : hoist(rb, p, "x"), *y = is_ident_text(o) ? o : hoist(rb, o, "y");
            return xprintf("(%s != %s || %s != %s ? %s : %s)", x, x, y, y, none(e->ty),
                           some(e->ty, xprintf("(%s){.tag = (%s_Tag)((%s > %s) | -(%s < %s))}", ctype(ord), mangle(ord),
                                               x, y, x, y)));
        }
        char *c = hoist(ty_prim(TY_I32), cmp_places(b, p, o), "c");
        char *v = xprintf("(%s){.tag = (%s_Tag)((%s > 0) - (%s < 0))}", ctype(ord), mangle(ord), c, c);
        if (mr->bm == BM_CMP)
            return v;
        return xprintf("(%s == MRS_UNORDERED ? %s : %s)", c, none(e->ty), some(e->ty, v));
    }
    case BM_EQ:
    case BM_NE: {
        char *p = recv_place(e, false);
        Expr *arg = e->args.items[0];
        char *o = deref_n(cg_expr(arg), arg->ty, 1);
        char *r = eq_places(b, p, o);
        return mr->bm == BM_EQ ? xprintf("(%s)", r) : xprintf("!(%s)", r);
    }
    case BM_VEC_EXTEND: { /* (its argument is iterated, not evaluated as a value first) */
        char *p = recv_place(e, false);
        return vec_method(e, mr, p, NULL);
    }
    case BM_STRING_EXTEND: { /* each item pushed: chars after reserve(the iterator's lower bound), as std */
        StrExtend x = {addr_text(recv_place(e, false)), mr->aux};
        iter_consume_opened(e->args.items[0], mr->aux, false, NULL, str_extend_opened, str_extend_body, &x);
        return NULL;
    }
    case BM_MAP_EXTEND:
    case BM_SET_EXTEND:
        map_extend(e, mr, recv_place(e, false));
        return NULL;
    case BM_VEC_DRAIN: /* (its range is read in place) */
        return vec_drain(e, mr, recv_place(e, false));
    case BM_BTREE_RANGE: case BM_BTREE_FIRST_KEY_VALUE: case BM_BTREE_LAST_KEY_VALUE: case BM_BTREE_POP_FIRST:
    case BM_BTREE_POP_LAST:
        return btree_method(e, mr, recv_place(e, false));
    default:
        break;
    }
    if (e->ty->kind == TY_ITER && iter_is_adaptor(e->ty)) /* a chain as a value: its adaptor's struct */
        return iter_adaptor_value(e);
    bool search = mr->bm == BM_IT_FIND || mr->bm == BM_IT_POSITION || mr->bm == BM_IT_RPOSITION || mr->bm == BM_IT_MAX_BY_KEY ||
                  mr->bm == BM_IT_MIN_BY_KEY;
    const StdMethod *row = std_method(mr->bm);
    bool iter_row = row && (row->families & FAM_ITER);
    if (b->kind == TY_ITER || ((b->kind == TY_RANGE || b->kind == TY_ADT) && (iter_row || search)) || mr->bm == BM_IT_NTH) {
        return iter_method(e, mr);
    }
    bool by_value = autoref == 0;
    char *p = recv_place(e, by_value);
    char **a = cg_args(&e->args);
    char *r = NULL;
    const StdMethod *sm = std_method(mr->bm);
    if (sm && (sm->families & (FAM_RC | FAM_WEAK | FAM_CELL | FAM_REFCELL | FAM_GUARD)))
        return shared_method(e, mr, p, a);
    if (sm && (sm->families & (FAM_PIN | FAM_TASK | FAM_WAKER | FAM_POLL | FAM_INSTANT | FAM_PTR)))
        return future_method(e, mr, p, a);
    if (sm && (sm->families & (FAM_ARC | FAM_MUTEX | FAM_POISON | FAM_THREAD | FAM_SENDER | FAM_RECEIVER |
                               FAM_RWLOCK | FAM_ATOMIC | FAM_DURATION | FAM_SCOPE)))
        return thread_method(e, mr, p, a);
    bool prim = b->kind <= TY_USIZE || b->kind == TY_F32 || b->kind == TY_F64 || b->kind == TY_CHAR;
    if (sm && sm->c && prim) { /* (the rows with a C template are the primitives' so far) */
        if (e->ty && ty_resolve(e->ty)->kind == TY_ADT)
            need_type(e->ty); /* (a template's Ordering) */
        r = std_template(sm->c, e, b, p, a);
    }
    else if (b->kind <= TY_USIZE)
        r = int_method(e, mr, p, a);
    else if (b->kind == TY_CHAR)
        r = char_method(mr, p, a, e);
    else if (ty_is_std(b, STD_STRING) && ((mr->bm >= BM_STRING_PUSH && mr->bm <= BM_STRING_IS_EMPTY) ||
                                          mr->bm == BM_STRING_RETAIN || mr->bm == BM_STRING_MAKE_ASCII_LOWERCASE ||
                                          mr->bm == BM_STRING_MAKE_ASCII_UPPERCASE))
        return string_method(e, mr, p, a);
    else if (ty_is_std(b, STD_STRING) || b->kind == TY_STR) {
        if (mr->bm == BM_S_CHARS || mr->bm == BM_S_CHAR_INDICES || mr->bm == BM_S_SPLIT || mr->bm == BM_S_SPLITN ||
            mr->bm == BM_S_RSPLIT || mr->bm == BM_S_MATCHES ||
            mr->bm == BM_S_SPLIT_WHITESPACE || mr->bm == BM_S_LINES || mr->bm == BM_S_BYTES) {
            /* an iterator stored in a variable */
            char *s = str_of(b, p);
            switch (mr->bm) {
            case BM_S_CHARS: return xprintf("mrs_str_chars(%s)", s);
            case BM_S_CHAR_INDICES: return xprintf("mrs_str_char_indices(%s)", s);
            case BM_S_SPLIT_WHITESPACE: return xprintf("mrs_str_split_whitespace(%s)", s);
            case BM_S_LINES: return xprintf("mrs_str_lines(%s)", s);
            case BM_S_SPLIT:
            case BM_S_SPLITN:
            case BM_S_RSPLIT:
            case BM_S_MATCHES:
                return split_iter(e, mr, s, a);
            default: { /* bytes() */
                char *sv = is_ident_text(s) ? s : hoist(ty_ref(ty_prim(TY_STR), false), s, "s");
                need_type(e->ty);
                return xprintf("(%s){%s.ptr, %s.ptr + %s.len}", ctype(e->ty), sv, sv, sv);
            }
            }
        }
        r = str_method(e, mr, str_of(b, p), a);
    } else if (ty_is_std(b, STD_VECDEQUE) && sm && (sm->families & FAM_DEQUE)) {
        return deque_method(e, mr, p, a);
    } else if (ty_is_vec_like(b) &&
               ((mr->bm >= BM_VEC_PUSH && mr->bm <= BM_VEC_AS_SLICE) || mr->bm == BM_VEC_RETAIN || mr->bm == BM_VEC_EXTEND ||
                mr->bm == BM_VEC_DEDUP_BY_KEY || mr->bm == BM_VEC_DEDUP_BY || mr->bm == BM_VEC_RESIZE)) {
        if (mr->bm == BM_VEC_INTO_ITER) /* the Vec moves into its IntoIter */
            return iter_value_of(b, p, e->span);
        return vec_method(e, mr, p, a);
    } else if (ty_is_vec_like(b) || b->kind == TY_ARRAY || b->kind == TY_SLICE) {
        if (mr->bm == BM_SL_WINDOWS || mr->bm == BM_SL_CHUNKS || mr->bm == BM_SL_CHUNKS_EXACT)
            return slice_pieces_value(e, b, p, a[0]);
        if (mr->bm == BM_SL_ITER || mr->bm == BM_SL_ITER_MUT) {
            Type *el = b->args[0];
            return xprintf("(%s){%s, %s}", ctype(e->ty), slice_ptr(b, p), slice_end(b, p));
            (void)el;
        }
        return slice_method(e, mr, p, a);
    } else if (b->kind == TY_ADT && b->adt == cg->prog->option)
        r = option_method(e, mr, p, a);
    else if (b->kind == TY_ADT && b->adt == cg->prog->result)
        r = result_method(e, mr, p, a);
    else if (b->kind == TY_ADT && b->adt == cg->prog->ordering)
        r = ordering_method(e, mr, p, a);
    else if (b->kind == TY_ADT && (b->adt == cg->prog->from_utf8_error || b->adt == cg->prog->utf8_error)) {
        switch (mr->bm) { /* String::from_utf8's error and str::from_utf8's */
        case BM_FUE_INTO_BYTES: r = member(p, "bytes"); break;
        case BM_FUE_AS_BYTES: r = xprintf("(%s){%s, %s}", ctype(e->ty), member(member(p, "bytes"), "ptr"),
                                          member(member(p, "bytes"), "len")); break;
        case BM_FUE_UTF8_ERROR: r = member(p, "error"); break;
        case BM_UE_VALID_UP_TO: r = member(p, "valid_up_to"); break;
        case BM_UE_ERROR_LEN: {
            char *el = member(p, "error_len");
            need_type(e->ty);
            r = xprintf("(%s.tag != %s_None ? %s : %s)", el, mangle(ty_resolve(ty_adt(cg->prog->option, (Type *[]){ty_prim(TY_U8)}, 1))), some(e->ty, xprintf("(size_t)%s.Some._0", el)), none(e->ty));
            break;
        }
        default: break;
        }
    }
    else if (ty_is_map(b)) {
        if (mr->bm >= BM_MAP_ITER && mr->bm <= BM_MAP_INTO_ITER)
            return map_iter_value(e, mr, p);
        r = map_method(e, mr, p, a);
        if (!r && (mr->bm == BM_MAP_CLEAR || mr->bm == BM_MAP_RETAIN))
            return NULL;
    } else if (ty_is_entry(b)) {
        r = entry_method(e, mr, p, a);
    } else if (ty_is_set(b)) {
        if (mr->bm == BM_SET_ITER || mr->bm == BM_SET_INTO_ITER)
            return map_iter_value(e, mr, p);
        r = set_method(e, mr, p, a);
        if (!r && (mr->bm == BM_SET_CLEAR || mr->bm == BM_SET_RETAIN))
            return NULL;
    }
    else if (b->kind == TY_RANGE) {
        if (mr->bm == BM_RANGE_CONTAINS) {
            char *x = deref_text(a[0]);
            r = xprintf("(%s >= %s && %s %s %s)", x, member(p, "start"), x, b->inclusive ? "<=" : "<", member(p, "end"));
        } else if (mr->bm == BM_RANGE_LEN) {
            r = xprintf("(%s > %s ? (size_t)(%s - %s) : 0)", member(p, "end"), member(p, "start"), member(p, "end"),
                        member(p, "start"));
        }
    }
    if (!r) {
        not_supported(e->name_span, xprintf("the method `%s` on `%s`", e->name, ty_str(b)));
        return dummy(e->ty);
    }
    return r;
}
