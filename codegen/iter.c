/* iter.c — iterators opened into C state variables.
 *
 * requires: an iterator expression (a range, `.iter()`, `.chars()`,
 * `.enumerate()`, `.rev()`, `&v`, `v`, a user Iterator, map/filter with a
 * closure);
 * produces: an IterGen: the variables it is opened into (iter_open), the
 * statements that advance it or leave the loop (iter_next), and what is
 * dropped when the loop ends (iter_close). `for` loops and the consuming
 * std methods both drive it. */
#include "cg_int.h"

/* The `next` method of a user type's Iterator impl, or NULL. */
FnDef *user_next(Type *t)
{
    for (int i = 0; i < cg->prog->impls.len; i++) {
        ImplDef *im = cg->prog->impls.items[i];
        if (im->self_ty != t || strcmp(im->trait->name, "Iterator"))
            continue;
        for (int k = 0; k < im->methods.len; k++)
            if (!strcmp(((FnDef *)im->methods.items[k])->name, "next"))
                return im->methods.items[k];
    }
    return NULL;
}

Span rev_span; /* the `rev` of the iterator being opened, or {0} */

IterGen *ig_new(IgKind k, Type *item, bool rev)
{
    IterGen *g = NEW(IterGen);
    g->kind = k;
    g->item = item;
    g->rev = rev;
    return g;
}

/* A contiguous buffer (Vec, array, slice) at place p of type t. */
IterGen *ig_buffer(Type *t, const char *p, bool by_ref, bool mut, bool rev, Type *item)
{
    IterGen *g = ig_new(IG_PTR, item, rev);
    Type *el = t->kind == TY_REF ? t->args[0]->args[0] : t->args[0];
    g->by_ref = by_ref;
    g->ptr = fresh("p");
    g->end = fresh("n");
    g->cur = fresh("i");
    emit("%s = %s;", decl(ty_ref(el, mut), g->ptr), slice_ptr(t, p));
    emit("%s = %s;", decl(ty_prim(TY_USIZE), g->end), slice_len(t, p));
    emit("%s = 0;", decl(ty_prim(TY_USIZE), g->cur));
    if (rev)
        emit("(void)%s; /* taken from the back: the front stays at 0 */", g->cur);
    return g;
}

/* The elements of the Vec or VecDeque value v of type t, by value (the loop owns them). */
static IterGen *ig_vec_into(Type *t, char *v, bool rev)
{
    IterGen *g = ig_new(IG_VEC_INTO, t->args[0], rev);
    if (ty_is_std(t, STD_VECDEQUE)) { /* its elements, as a Vec's */
        v = deque_as_vec(t, v);
        t = ty_vec(t->args[0]);
    }
    g->ptr = hoist(t, v, "vec");
    g->cur = fresh("i");
    g->end = fresh("n");
    g->elem = t->args[0];
    emit("size_t %s = 0;", g->cur);
    emit("size_t %s = %s.len;", g->end, g->ptr); /* (one declaration a line: an async frame makes each a field) */
    return g;
}

/* The entries of HashMap type m at place p (a variable of the loop's own when owned). */
static IterGen *ig_map(Type *m, const char *p, int mode, Type *item, bool owned, bool rev)
{
    IterGen *g = ig_new(IG_MAP_ENTRIES, item, rev);
    g->rt_kind = mode;
    g->ptr = fresh("entries");
    g->end = fresh("n");
    g->cur = fresh("i");
    emit("%s *%s = %s;", map_entry_c(m), g->ptr, member(p, "entries"));
    emit("%s = %s;", decl(ty_prim(TY_USIZE), g->end), member(p, "len"));
    emit("%s = 0;", decl(ty_prim(TY_USIZE), g->cur));
    if (owned) {
        g->elem = m;
        g->state = (char *)p;
    }
    return g;
}

/* An iterator value e (a variable, a call's result), or one behind `&mut`, driven where it
 * lies; a consumer or a loop that takes it by value drops what is left of it. */
static IterGen *iter_open_place(Expr *e, bool rev)
{
    Type *t = e->ty;
    if (t->kind == TY_REF)
        return ig_place(t->args[0], deref_text(cg_expr(e)), rev);
    bool borrowed = e->adjust && e->adjust->autoref; /* (`it.next()`, `it.find(..)`) */
    /* (a Copy iterator taken by value is a copy: the variable keeps its place) */
    char *p = borrowed || (is_place_expr(e) && !ty_is_copy(t)) ? cg_lvalue(e) : hoist(t, cg_expr(e), "iter");
    IterGen *g = ig_place(t, p, rev);
    if (!borrowed && has_drop(t))
        g->owned = t;
    return g;
}

IterGen *iter_open_value(Expr *e, bool rev)
{
    Type *t = e->ty;
    Type *item;
    Type *ot = t->kind == TY_REF ? t->args[0] : t;
    if (ot->kind == TY_ADT && (ot->adt == cg->prog->option || (ot == t && ot->adt == cg->prog->result))) {
        /* `for x in opt`, `&opt`, `res`: its (Ok) value, once */
        if (rev) {
            not_supported(e->span, "`.rev()` over an `Option` or a `Result`");
            return NULL;
        }
        Type *it = iter_value_type(t);
        char *p = hoist(it, iter_value_of(t, cg_expr(e), e->span), "once");
        IterGen *g = ig_place(it, p, false);
        if (has_drop(it))
            g->owned = it;
        return g;
    }
    if (t->kind == TY_RANGE && unparen(e)->kind != EX_RANGE && is_place_expr(e)) /* a Range variable: it advances */
        return iter_open_place(e, rev);
    if (t->kind == TY_RANGE) {
        Expr *u = unparen(e);
        IterGen *g = ig_new(IG_RANGE, t->args[0], rev);
        g->inclusive = t->inclusive;
        char *lo, *hi;
        if (u->kind == EX_RANGE && u->lhs && !u->rhs && !rev && g->item->kind <= TY_USIZE) {
            /* `a..`: counts up until the loop ends it; past the type's MAX it panics */
            g->cur = fresh("cur");
            emit("%s = %s;", decl(g->item, g->cur), cg_expr(u->lhs));
            return g;
        }
        if (u->kind == EX_RANGE && (!u->lhs || !u->rhs)) {
            not_supported(u->span, "iterating over a range without both ends");
            return NULL;
        }
        if (u->kind == EX_RANGE) {
            Expr *ops[2] = {u->lhs, u->rhs};
            char **v = cg_operands(ops, 2);
            lo = v[0];
            hi = v[1];
        } else {
            char *p = cg_lvalue(e);
            lo = member(p, "start");
            hi = member(p, "end");
        }
        g->cur = fresh(rev ? "lo" : "cur");
        g->end = fresh(rev ? "hi" : "end");
        emit("%s = %s;", decl(g->item, g->cur), lo);
        emit("%s = %s;", decl(g->item, g->end), hi);
        if (g->inclusive) {
            g->more = fresh("more");
            emit("bool %s = %s <= %s;", g->more, g->cur, g->end);
        }
        return g;
    }
    if (t->kind == TY_REF && (t->args[0]->kind == TY_SLICE || ty_is_vec_like(t->args[0]) ||
                              t->args[0]->kind == TY_ARRAY)) { /* &v, &mut v, &[T], &[T; N] */
        Type *in = t->args[0];
        item = ty_ref(in->kind == TY_SLICE || ty_is_vec_like(in) || in->kind == TY_ARRAY ? in->args[0] : in, t->is_mut);
        char *v = cg_expr(e);
        if (is_fat_ref(t))
            return ig_buffer(t, is_ident_text(v) ? v : hoist(t, v, "s"), true, t->is_mut, rev, item);
        return ig_buffer(in, deref_text(v), true, t->is_mut, rev, item);
    }
    if (t->kind == TY_REF && ty_is_map(t->args[0])) /* &map, &mut map: (&K, &V) */
        return ig_map(t->args[0], deref_text(cg_expr(e)), t->is_mut ? ITER_MAP_ITER_MUT : ITER_MAP_ITER,
                      ty_tuple((Type *[]){ty_ref(t->args[0]->args[0], false), ty_ref(t->args[0]->args[1], t->is_mut)}, 2),
                      false, rev);
    if (t->kind == TY_REF && ty_is_set(t->args[0])) /* &set: &T */
        return ig_map(t->args[0], deref_text(cg_expr(e)), ITER_MAP_KEYS, ty_ref(t->args[0]->args[0], false), false, rev);
    if (ty_is_set(t)) /* a set by value: T, the set's own */
        return ig_map(t, hoist(t, cg_expr(e), "set"), ITER_SET_INTO, t->args[0], true, rev);
    if (ty_is_map(t)) /* a map by value: (K, V), the map's own */
        return ig_map(t, hoist(t, cg_expr(e), "map"), ITER_MAP_INTO, ty_tuple(t->args, 2), true, rev);
    if (ty_is_vec_like(t))
        return ig_vec_into(t, cg_expr(e), rev);
    if (t->kind == TY_ARRAY) {
        /* the loop owns the array: a value is not a temporary of the statement */
        char *p = is_place_expr(e) ? cg_lvalue(e) : hoist(t, cg_expr(e), "array");
        IterGen *g = ig_buffer(t, p, false, has_drop(t->args[0]), rev, t->args[0]);
        if (has_drop(t->args[0]))
            g->elem = t->args[0]; /* owned: the elements not taken are dropped after the loop */
        return g;
    }
    /* a Receiver (by value: the loop owns it), `&rx`, `rx.iter()`: each value as it comes */
    if (ty_is_std(t, STD_RECEIVER) || (t->kind == TY_REF && ty_is_std(t->args[0], STD_RECEIVER)) ||
        (t->kind == TY_ITER && (t->iter_kind == ITER_RECV || t->iter_kind == ITER_TRY_RECV))) {
        Type *item = t->kind == TY_REF ? t->args[0]->args[0] : t->args[0];
        if (rev) { /* (a channel's iterators are not double-ended) */
            not_supported(e->span, "`.rev()` on a channel's iterator");
            return NULL;
        }
        IterGen *g = ig_new(IG_RT, item, rev);
        g->rt_kind = t->kind == TY_ITER ? t->iter_kind : ITER_RECV;
        char *v = cg_expr(e);
        if (ty_is_std(t, STD_RECEIVER)) { /* moved into the loop, dropped after it */
            g->ptr = hoist(t, v, "rx");
            g->elem = t;
            g->state = member(g->ptr, "chan");
        } else {
            g->state = t->kind == TY_REF ? member(deref_text(v), "chan") : member(v, "chan");
        }
        return g;
    }
    /* a user iterator: by value (moved into the loop) or through &mut */
    {
        Type *it = t->kind == TY_REF && t->is_mut ? t->args[0] : t;
        FnDef *next = it->kind == TY_ADT ? user_next(it) : NULL;
        if (next) {
            if (rev) {
                not_supported(e->span, "`.rev()` on a user iterator");
                return NULL;
            }
            return iter_open_place(e, rev);
        }
    }
    /* an iterator value, or one behind `&mut` (`r.count()`: the iterator advances in place) */
    if (t->kind == TY_ITER || (t->kind == TY_REF && t->is_mut && (t->args[0]->kind == TY_ITER || t->args[0]->kind == TY_RANGE)))
        return iter_open_place(e, rev);
    not_supported(e->span, xprintf("iterating over `%s`", ty_str(t)));
    return NULL;
}

/* How many items g has left, as a size_t variable emitted now, while g is as it was
 * opened; NULL when that is not known without iterating (filter, chars: no
 * ExactSizeIterator). From the back, skip, take, zip, step_by and enumerate need it. */
static char *ig_len(IterGen *g)
{
    char *n = NULL;
    switch (g->kind) {
    case IG_PTR:
    case IG_VEC_INTO:
    case IG_MAP_ENTRIES:
    case IG_WINDOWS:
    case IG_PEEKABLE:
        if (!(n = ig_lower(g)))
            return NULL;
        break;
    case IG_RANGE: /* (in size_t: the difference of two signed values fits there) */
        if (g->end && g->item->kind == TY_CHAR) {
            n = ig_lower(g);
            break;
        }
        if (!g->end || g->item->kind > TY_USIZE)
            return NULL;
        n = g->inclusive ? xprintf("%s ? (size_t)%s - (size_t)%s + 1 : 0", g->more, g->end, g->cur)
                         : xprintf("%s > %s ? (size_t)%s - (size_t)%s : 0", g->end, g->cur, g->end, g->cur);
        break;
    case IG_COPIED:
    case IG_MAP:
    case IG_INSPECT:
    case IG_ENUMERATE:
        return ig_len(g->inner);
    case IG_SKIP:
    case IG_TAKE: {
        if (g->kind == IG_TAKE && g->inner->kind == IG_RANGE && !g->inner->end) { /* (a..).take(n): n */
            n = xprintf("%s", g->limit);
            break;
        }
        char *in = ig_len(g->inner);
        if (!in)
            return NULL;
        n = g->kind == IG_SKIP ? xprintf("%s > %s ? %s - %s : 0", in, g->limit, in, g->limit)
                               : xprintf("%s < %s ? %s : %s", in, g->limit, in, g->limit);
        break;
    }
    case IG_STEP_BY: {
        char *in = ig_len(g->inner);
        if (!in)
            return NULL;
        n = xprintf("%s ? (%s - 1) / %s + 1 : 0", in, in, g->limit);
        break;
    }
    case IG_ZIP:
    case IG_CHAIN: {
        char *a = ig_len(g->inner), *b = a ? ig_len(g->inner2) : NULL;
        if (!b)
            return NULL;
        n = g->kind == IG_CHAIN ? xprintf("%s + %s", a, b) : xprintf("%s < %s ? %s : %s", a, b, a, b);
        break;
    }
    default:
        return NULL;
    }
    char *v = fresh("len");
    emit("size_t %s = %s;", v, n);
    return v;
}

/* Whether std's collect and extend take g's length as exact (TrustedLen) and make room
 * for all its items at once: integer ranges, buffers, a Vec by value, and map,
 * enumerate, copied, skip, take, step_by, zip and chain of those. `inspect` and a map's
 * entries know their length too, but promise only it as their lower bound. */
static bool ig_trusted(IterGen *g)
{
    switch (g->kind) {
    case IG_PTR:
    case IG_VEC_INTO:
    case IG_WINDOWS:
        return true;
    case IG_RANGE:
        return g->end && (g->item->kind <= TY_USIZE || g->item->kind == TY_CHAR);
    case IG_TAKE:
        if (g->inner->kind == IG_RANGE && !g->inner->end)
            return true;
        return ig_trusted(g->inner);
    case IG_COPIED:
    case IG_MAP:
    case IG_ENUMERATE:
    case IG_SKIP:
    case IG_STEP_BY:
    case IG_PEEKABLE:
        return ig_trusted(g->inner);
    case IG_ZIP:
    case IG_CHAIN:
        return ig_trusted(g->inner) && ig_trusted(g->inner2);
    default:
        return false;
    }
}

/* g's exact length as it is opened (a size_t variable emitted now) when it is TrustedLen,
 * else NULL. */
char *ig_exact_len(IterGen *g)
{
    return ig_trusted(g) ? ig_len(g) : NULL;
}

/* The least number of items g still has, as its size_hint promises it, in the state it
 * is in when the C runs (an expression); NULL when it promises none. A `chars()` promises
 * a char for every four bytes left. */
char *ig_lower(IterGen *g)
{
    switch (g->kind) {
    case IG_PTR:
        if (g->state) /* a slice iterator variable */
            return xprintf("(size_t)(%s - %s)", member(g->state, "end"), member(g->state, "ptr"));
        /* fall through */
    case IG_VEC_INTO:
    case IG_MAP_ENTRIES:
        return xprintf("(%s - %s)", g->end, g->cur);
    case IG_WINDOWS: /* windows of `limit` in `end` elements; chunks (clone): the last may be shorter */
        return g->clone ? xprintf("(%s + %s - 1) / %s", g->end, g->limit, g->limit)
                        : xprintf("(%s >= %s ? %s - %s + 1 : 0)", g->end, g->limit, g->end, g->limit);
    case IG_RANGE:
        if (g->end && g->item->kind == TY_CHAR) { /* (less the surrogates, when it spans them) */
            char *gap = xprintf("(%s < 0xD800 && %s > 0xDFFF ? 0x800 : 0)", g->cur, g->end);
            return g->inclusive ? xprintf("(%s ? (size_t)(%s - %s + 1 - %s) : 0)", g->more, g->end, g->cur, gap)
                                : xprintf("(%s > %s ? (size_t)(%s - %s - %s) : 0)", g->end, g->cur, g->end, g->cur, gap);
        }
        if (!g->end || g->item->kind > TY_USIZE)
            return NULL;
        return g->inclusive ? xprintf("(%s ? (size_t)%s - (size_t)%s + 1 : 0)", g->more, g->end, g->cur)
                            : xprintf("(%s > %s ? (size_t)%s - (size_t)%s : 0)", g->end, g->cur, g->end, g->cur);
    case IG_RT:
        if (g->rt_kind == ITER_CHARS)
            return xprintf("((size_t)(%s - %s) + 3) / 4", member(g->state, "end"), member(g->state, "ptr"));
        if (g->rt_kind == ITER_CHAR_INDICES)
            return xprintf("((size_t)(%s.end - %s.ptr) + 3) / 4", member(g->state, "chars"), member(g->state, "chars"));
        return NULL;
    case IG_COPIED:
    case IG_MAP:
    case IG_INSPECT:
    case IG_ENUMERATE:
        return ig_lower(g->inner);
    case IG_PEEKABLE: { /* and the item peek() took, if any */
        char *in = ig_lower(g->inner);
        char *peeked = xprintf("(%s && %s.tag != %s_None)", g->flag, g->cur, mangle(ty_adt(cg->prog->option, &g->item, 1)));
        return in ? xprintf("(%s + %s)", in, peeked) : NULL;
    }
    case IG_TAKE: {
        char *in = ig_lower(g->inner);
        char *left = xprintf("(%s - %s)", g->limit, g->count);
        return in ? xprintf("(%s < %s ? %s : %s)", in, left, in, left) : NULL;
    }
    default:
        return NULL;
    }
}

/* The Vec that g takes its items from by value, when std's collect into a Vec of elem
 * reuses that Vec's buffer (in-place collect): g is `v.into_iter()` under adaptors that
 * never give more items than they take, the two element types have the same alignment
 * and elem is no bigger. The collected Vec's capacity is then the bytes of v's: *num
 * and *den scale v's capacity to it. */
IterGen *ig_in_place_source(IterGen *g, Type *elem, int64_t *num, int64_t *den)
{
    for (;; g = g->inner) {
        if (g->rev)
            return NULL;
        switch (g->kind) {
        case IG_MAP: case IG_FILTER: case IG_FILTER_MAP: case IG_ENUMERATE: case IG_ZIP: case IG_SKIP:
        case IG_TAKE: case IG_TAKE_WHILE: case IG_SKIP_WHILE: case IG_SCAN: case IG_INSPECT: case IG_PEEKABLE:
            continue;
        case IG_VEC_INTO: {
            int64_t ss, sa, ds, da;
            if (!rust_layout(cg->prog, g->item, &ss, &sa) || !rust_layout(cg->prog, elem, &ds, &da))
                return NULL;
            if (ss == 0 || ds == 0 || sa != da || ds > ss)
                return NULL;
            *num = ss;
            *den = ds;
            return g;
        }
        default:
            return NULL;
        }
    }
}

/* inner with its first n items skipped (n evaluated now). */
IterGen *ig_skip_first(IterGen *inner, const char *n)
{
    IterGen *g = ig_new(IG_SKIP, inner->item, inner->rev);
    g->inner = inner;
    g->limit = fresh("limit");
    g->count = fresh("skipped");
    emit("size_t %s = %s;", g->limit, n);
    emit("size_t %s = 0;", g->count);
    return g;
}

/* skip, take, zip and step_by from the back, as std's next_back: what they give from the
 * front is known from the inner's length, so each is a skip or a take of the other end
 * (skip(n).rev() takes len - n; take(n).rev() skips len - n first; zip trims the longer
 * one; step_by starts at the last index that is a multiple of the step). */
static IterGen *rev_by_length(Expr *u, IterGen *g)
{
    IterGen *in = g->inner;
    char *len = ig_len(in);
    char *len2 = len && g->kind == IG_ZIP ? ig_len(g->inner2) : NULL;
    if (!len || (g->kind == IG_ZIP && !len2)) {
        not_supported(u->name_span, xprintf("`rev` after `%s` over an iterator whose length is not known", u->name));
        return NULL;
    }
    switch (g->kind) {
    case IG_SKIP: /* the last len - n */
        g->kind = IG_TAKE; /* (its count, still 0, counts what is taken) */
        emit("%s = %s > %s ? %s - %s : 0;", g->limit, len, g->limit, len, g->limit);
        return g;
    case IG_TAKE: /* the first n, from the back: past the others first */
        g->kind = IG_SKIP;
        emit("%s = %s > %s ? %s - %s : 0;", g->limit, len, g->limit, len, g->limit);
        return g;
    case IG_ZIP:
        g->inner = ig_skip_first(in, xprintf("%s > %s ? %s - %s : 0", len, len2, len, len2));
        g->inner2 = ig_skip_first(g->inner2, xprintf("%s > %s ? %s - %s : 0", len2, len, len2, len));
        return g;
    default: /* IG_STEP_BY */
        g->inner = ig_skip_first(in, xprintf("%s ? (%s - 1) %% %s : 0", len, len, g->limit));
        return g;
    }
}

/* The adaptors after map/filter/enumerate: the inner iterator opened first, then
 * their own state (a counter, the other iterator, the callable). */
static IterGen *open_adaptor(Expr *u, MethodRes *mr, bool rev)
{
    static const struct { BuiltinMethod bm; IgKind k; bool double_ended; } kinds[] = {
        {BM_IT_COPIED, IG_COPIED, true}, {BM_IT_CLONED, IG_COPIED, true}, {BM_IT_SKIP, IG_SKIP, true},
        {BM_IT_TAKE, IG_TAKE, true}, {BM_IT_STEP_BY, IG_STEP_BY, true}, {BM_IT_ZIP, IG_ZIP, true},
        {BM_IT_CHAIN, IG_CHAIN, true}, {BM_IT_TAKE_WHILE, IG_TAKE_WHILE, false},
        {BM_IT_SKIP_WHILE, IG_SKIP_WHILE, false}, {BM_IT_FILTER_MAP, IG_FILTER_MAP, true},
        {BM_IT_INSPECT, IG_INSPECT, true},
    };
    size_t i = 0;
    while (kinds[i].bm != mr->bm)
        i++;
    if (rev && !kinds[i].double_ended) {
        not_supported(u->name_span, xprintf("`rev` after `%s`", u->name));
        return NULL;
    }
    IterGen *g = ig_new(kinds[i].k, u->ty->args[0], rev);
    g->clone = mr->bm == BM_IT_CLONED;
    g->inner = iter_open(u->operand, rev);
    if (!g->inner)
        return NULL;
    switch (g->kind) {
    case IG_SKIP:
    case IG_TAKE:
    case IG_STEP_BY: {
        Expr *n = u->args.items[0];
        g->limit = fresh(g->kind == IG_STEP_BY ? "step" : "limit");
        if (g->kind == IG_STEP_BY) {
            emit("size_t %s = %s;", g->limit, cg_expr(n));
        } else {
            g->count = fresh(g->kind == IG_SKIP ? "skipped" : "taken");
            emit("%s = %s;", decl(ty_prim(TY_USIZE), g->limit), cg_expr(n));
            emit("%s = 0;", decl(ty_prim(TY_USIZE), g->count));
        }
        if (g->kind == IG_STEP_BY) {
            emit("if (%s == 0) mrs_panic_cstr(%s, \"assertion failed: step != 0\");", g->limit, loc(u->name_span));
            g->flag = fresh("stepping");
            emit("bool %s = false;", g->flag);
        }
        break;
    }
    case IG_ZIP:
    case IG_CHAIN:
        g->inner2 = iter_open(u->args.items[0], rev);
        if (!g->inner2)
            return NULL;
        if (g->kind == IG_CHAIN) {
            g->flag = fresh("first_done");
            emit("bool %s = false;", g->flag);
        }
        break;
    case IG_TAKE_WHILE:
    case IG_SKIP_WHILE:
        g->flag = fresh(g->kind == IG_TAKE_WHILE ? "taking_done" : "skipping_done");
        emit("bool %s = false;", g->flag);
        /* fall through */
    case IG_FILTER_MAP:
    case IG_INSPECT: {
        Expr *fe = u->args.items[0];
        g->fty = fe->ty;
        g->fn = callable_value(fe, cg_expr(fe));
        break;
    }
    default:
        break;
    }
    if (rev && (g->kind == IG_SKIP || g->kind == IG_TAKE || g->kind == IG_ZIP || g->kind == IG_STEP_BY))
        return rev_by_length(u, g);
    return g;
}

/* `inner`'s next item into x (declared here), with `got` telling whether there was
 * one: the inner's own `break` leaves only the `for (;;)` around it. */
static char *try_next(IterGen *inner, Type *t, const char *x)
{
    char *got = fresh("got");
    emit("%s;", decl(t, x));
    emit("bool %s = false;", got);
    emit("for (;;) {");
    cg->indent++;
    iter_next(inner, x);
    emit("%s = true;", got);
    emit("break;");
    cg->indent--;
    emit("}");
    return got;
}

static void drop_item(Type *t, const char *x)
{
    if (has_drop(t))
        emit_drop_place(t, x);
}

/* Statements dropping n items of inner (`skip`, the gaps of `step_by`); leaves the
 * enclosing loop when inner runs out first. */
static void skip_items(IterGen *g, const char *n)
{
    char *stop = fresh("ran_out");
    emit("bool %s = false;", stop);
    emit("for (size_t mrs_k = 0; mrs_k < %s; mrs_k++) {", n);
    cg->indent++;
    char *x = fresh("skip");
    char *got = try_next(g->inner, g->inner->item, x);
    emit("if (!%s) {", got);
    emit("    %s = true;", stop);
    emit("    break;");
    emit("}");
    if (has_drop(g->inner->item))
        emit_drop_place(g->inner->item, x);
    else
        emit("(void)%s; /* skipped */", x);
    cg->indent--;
    emit("}");
    emit("if (%s)", stop);
    emit("    break;");
}

IterGen *iter_open(Expr *e, bool rev)
{
    Expr *u = unparen(e);
    if (u->kind == EX_METHOD && u->sema) {
        MethodRes *mr = u->sema;
        switch (mr->bm) {
        case BM_IT_REV: { /* (its span, for an iterator that cannot be reversed) */
            Span outer = rev_span;
            rev_span = u->name_span;
            IterGen *g = iter_open(u->operand, !rev);
            rev_span = outer;
            return g;
        }
        case BM_IT_MAP:
        case BM_IT_FILTER: { /* (from the back: the closure sees the items in that order, as std's) */
            IterGen *g = ig_new(mr->bm == BM_IT_MAP ? IG_MAP : IG_FILTER, u->ty->args[0], rev);
            g->inner = iter_open(u->operand, rev);
            if (!g->inner)
                return NULL;
            Expr *fe = u->args.items[0];
            g->fty = fe->ty;
            g->fn = callable_value(fe, cg_expr(fe));
            return g;
        }
        case BM_IT_COPIED:
        case BM_IT_CLONED:
        case BM_IT_SKIP:
        case BM_IT_TAKE:
        case BM_IT_STEP_BY:
        case BM_IT_ZIP:
        case BM_IT_CHAIN:
        case BM_IT_TAKE_WHILE:
        case BM_IT_SKIP_WHILE:
        case BM_IT_FILTER_MAP:
        case BM_IT_INSPECT:
            return open_adaptor(u, mr, rev);
        case BM_IT_ENUMERATE: {
            IterGen *g = ig_new(IG_ENUMERATE, u->ty->args[0], rev);
            g->inner = iter_open(u->operand, rev);
            if (!g->inner)
                return NULL;
            g->count = fresh("idx");
            if (!rev) {
                emit("size_t %s = 0;", g->count);
                return g;
            }
            /* from the back, each item keeps the index it has from the front */
            const char *len = ig_len(g->inner);
            if (!len) {
                not_supported(u->name_span, "`enumerate().rev()` over this iterator");
                return NULL;
            }
            emit("size_t %s = %s;", g->count, len);
            return g;
        }
        case BM_SL_ITER:
        case BM_SL_ITER_MUT: {
            char *p = recv_place(u, false);
            Type *b = mr->self_ty;
            if (b->kind == TY_SLICE) /* the receiver was a fat &[T] */
                b = u->operand->adjust && u->operand->adjust->derefs ? ty_ref(b, mr->bm == BM_SL_ITER_MUT) : b;
            return ig_buffer(b, p, true, mr->bm == BM_SL_ITER_MUT, rev, u->ty->args[0]);
        }
        case BM_ARR_INTO_ITER: /* an array by value: as `for x in arr` */
            return iter_open_value(u->operand, rev);
        case BM_MAP_ITER:
        case BM_MAP_ITER_MUT:
        case BM_MAP_KEYS:
        case BM_MAP_VALUES:
        case BM_MAP_VALUES_MUT: {
            static const int mode[] = {ITER_MAP_ITER, ITER_MAP_ITER_MUT, ITER_MAP_KEYS, ITER_MAP_VALUES, ITER_MAP_VALUES_MUT};
            return ig_map(mr->self_ty, recv_place(u, false), mode[mr->bm - BM_MAP_ITER], u->ty->args[0], false, rev);
        }
        case BM_SET_INTO_ITER:
            return ig_map(mr->self_ty, hoist(mr->self_ty, recv_place(u, true), "set"), ITER_SET_INTO, u->ty->args[0], true, rev);
        case BM_SET_ITER:
            return ig_map(mr->self_ty, recv_place(u, false), ITER_MAP_KEYS, u->ty->args[0], false, rev);
        case BM_MAP_INTO_ITER:
            return ig_map(mr->self_ty, hoist(mr->self_ty, recv_place(u, true), "map"), ITER_MAP_INTO, u->ty->args[0], true, rev);
        case BM_VEC_INTO_ITER:
            return ig_vec_into(mr->self_ty, recv_place(u, true), rev);
        case BM_S_CHARS: case BM_S_CHAR_INDICES: case BM_S_SPLIT: case BM_S_SPLIT_WHITESPACE: case BM_S_LINES:
        case BM_S_BYTES: case BM_S_SPLITN: case BM_S_RSPLIT: case BM_S_MATCHES: {
            char *s = str_of(mr->self_ty, recv_place(u, false));
            if (mr->bm == BM_S_BYTES) {
                IterGen *g = ig_new(IG_PTR, ty_prim(TY_U8), rev);
                g->ptr = fresh("p");
                g->end = fresh("n");
                g->cur = fresh("i");
                char *sv = is_ident_text(s) ? s : hoist(ty_ref(ty_prim(TY_STR), false), s, "s");
                emit("const uint8_t *%s = %s.ptr;", g->ptr, sv);
                emit("%s = %s.len;", decl(ty_prim(TY_USIZE), g->end), sv);
                emit("%s = 0;", decl(ty_prim(TY_USIZE), g->cur));
                return g;
            }
            if (rev && mr->bm == BM_S_SPLITN) { /* (std's SplitN is not double-ended) */
                not_supported(u->name_span, "`rev` after `splitn`");
                return NULL;
            }
            IterGen *g = ig_new(IG_RT, u->ty->args[0], rev);
            g->rt_kind = u->ty->iter_kind;
            g->state = fresh("it");
            const char *init;
            switch (mr->bm) {
            case BM_S_CHARS: init = xprintf("MrsChars %s = mrs_str_chars(%s)", g->state, s); break;
            case BM_S_CHAR_INDICES: init = xprintf("MrsCharIndices %s = mrs_str_char_indices(%s)", g->state, s); break;
            case BM_S_SPLIT_WHITESPACE: init = xprintf("MrsSplitWs %s = mrs_str_split_whitespace(%s)", g->state, s); break;
            case BM_S_LINES: init = xprintf("MrsLines %s = mrs_str_lines(%s)", g->state, s); break;
            default: /* (reversed, a split is an rsplit and an rsplit a split) */
                init = xprintf(rev ? "MrsSplit %s = mrs_split_rev(%s)" : "MrsSplit %s = %s", g->state,
                               split_iter(u, mr, s, cg_args(&u->args)));
            }
            emit("%s;", init);
            return g;
        }
        default:
            break;
        }
    }
    return iter_open_value(e, rev);
}

/* Statements advancing g into `item` (declared by the caller), breaking out
 * of the enclosing loop when exhausted. */
void iter_next(IterGen *g, const char *item)
{
    switch (g->kind) {
    case IG_RANGE:
        if (!g->end) { /* `a..` */
            /* std's RangeFrom::next computes the next start first: past MAX it
             * panics there, inside core (wraps with -O) */
            emit("%s = %s;", item, g->cur);
            emit(cg->opt->release ? "%s = mrs_wadd_%s(%s, 1);" : "%s = mrs_add_%s(%s, 1, MRS_LOC_RANGE_FROM);", g->cur,
                 int_name(g->item), g->cur);
            break;
        }
        if (!g->inclusive) {
            if (g->rev) {
                emit("if (%s <= %s)", g->end, g->cur);
                emit("    break;");
                emit("%s = --%s;", item, g->end);
            } else {
                emit("if (%s >= %s)", g->cur, g->end);
                emit("    break;");
                emit("%s = %s++;", item, g->cur);
            }
        } else if (g->exhausted) { /* a RangeInclusive value: its own flag */
            emit("if (%s || %s > %s)", g->exhausted, g->cur, g->end);
            emit("    break;");
            const char *from = g->rev ? g->end : g->cur;
            emit("%s = %s;", item, from);
            emit("if (%s == %s)\n%*s    %s = true;\n%*selse\n%*s    %s%s;", g->cur, g->end, cg->indent * 4, "",
                 g->exhausted, cg->indent * 4, "", cg->indent * 4, "", from, g->rev ? "--" : "++");
        } else {
            emit("if (!%s)", g->more);
            emit("    break;");
            if (g->rev) {
                emit("%s = %s;", item, g->end);
                emit("if (%s == %s)\n%*s    %s = false;\n%*selse\n%*s    %s--;", g->end, g->cur, cg->indent * 4, "",
                     g->more, cg->indent * 4, "", cg->indent * 4, "", g->end);
            } else {
                emit("%s = %s;", item, g->cur);
                emit("if (%s == %s)\n%*s    %s = false;\n%*selse\n%*s    %s++;", g->cur, g->end, cg->indent * 4, "",
                     g->more, cg->indent * 4, "", cg->indent * 4, "", g->cur);
            }
        }
        break;
    case IG_PTR:
        if (g->state) { /* a slice iterator variable */
            emit("if (%s == %s)", member(g->state, "ptr"), member(g->state, "end"));
            emit("    break;");
            if (g->rev)
                emit("%s = %s--%s;", item, g->by_ref ? "" : "*", member(g->state, "end"));
            else
                emit("%s = %s%s++;", item, g->by_ref ? "" : "*", member(g->state, "ptr"));
            break;
        }
        if (g->rev) {
            emit("if (%s == 0)", g->end);
            emit("    break;");
            emit("%s = %s%s[--%s];", item, g->by_ref ? "&" : "", g->ptr, g->end);
        } else {
            emit("if (%s >= %s)", g->cur, g->end);
            emit("    break;");
            emit("%s = %s%s[%s++];", item, g->by_ref ? "&" : "", g->ptr, g->cur);
        }
        break;
    case IG_MAP_ENTRIES: {
        emit("if (%s >= %s)", g->cur, g->end);
        emit("    break;");
        if (g->rev) /* (a BTreeMap's, from its last key) */
            emit("%s--;", g->end);
        const char *en = xprintf("%s[%s]", g->ptr, g->rev ? g->end : g->cur);
        switch (g->rt_kind) {
        case ITER_MAP_KEYS: emit("%s = &%s.key;", item, en); break;
        case ITER_MAP_VALUES:
        case ITER_MAP_VALUES_MUT: emit("%s = &%s.value;", item, en); break;
        case ITER_MAP_INTO: emit("%s = (%s){%s.key, %s.value};", item, ctype(g->item), en, en); break;
        case ITER_SET_INTO: emit("%s = %s.key;", item, en); break;
        default: emit("%s = (%s){&%s.key, &%s.value};", item, ctype(g->item), en, en); break;
        }
        if (!g->rev)
            emit("%s++;", g->cur);
        break;
    }
    case IG_VEC_INTO:
        if (g->rev) {
            emit("if (%s == %s)", g->end, g->cur);
            emit("    break;");
            emit("%s = %s.ptr[--%s];", item, g->ptr, g->end);
        } else {
            emit("if (%s >= %s)", g->cur, g->end);
            emit("    break;");
            emit("%s = %s.ptr[%s++];", item, g->ptr, g->cur);
        }
        break;
    case IG_RT: {
        const char *st = g->state;
        switch (g->rt_kind) {
        case ITER_CHARS:
            emit("if (!mrs_chars_next%s(&%s, &%s))", g->rev ? "_back" : "", st, item);
            break;
        case ITER_CHAR_INDICES:
            emit("if (!mrs_char_indices_next%s(&%s, &%s._0, &%s._1))", g->rev ? "_back" : "", st, item, item);
            break;
        case ITER_SPLIT:
            emit("if (!mrs_split_next(&%s, &%s))", st, item);
            break;
        case ITER_SPLIT_WS:
            emit("if (!mrs_split_ws_next%s(&%s, &%s))", g->rev ? "_back" : "", st, item);
            break;
        case ITER_TO_UPPER: case ITER_TO_LOWER:
            emit("if (!mrs_case_next%s(&%s, &%s))", g->rev ? "_back" : "", st, item);
            break;
        case ITER_LINES:
            emit("if (!mrs_lines_next%s(&%s, &%s))", g->rev ? "_back" : "", st, item);
            break;
        case ITER_RECV: /* waits for each value; ends when every Sender is gone */
            emit("if (!mrs_channel_recv(%s, &%s))", st, item);
            break;
        case ITER_TRY_RECV:
            emit("if (mrs_channel_try_recv(%s, &%s) != 0)", st, item);
            break;
        default:
            emit("break;");
        }
        emit("    break;");
        break;
    }
    case IG_USER: {
        char *r = fresh("next");
        emit("%s = %s(%s);", decl(g->elem, r), g->ptr, addr_text(g->state));
        emit("if (%s.tag == %s_None)", r, mangle(g->elem));
        emit("    break;");
        emit("%s = %s.Some._0;", item, r);
        break;
    }
    case IG_MAP: {
        Type *inner_item = g->inner->item;
        char *x = fresh("x");
        emit("%s;", decl(inner_item, x));
        iter_next(g->inner, x);
        emit("%s = %s;", item, call_callable(g->fty, g->fn, x));
        break;
    }
    case IG_FILTER: {
        /* advance the inner iterator until the predicate accepts an item */
        char *found = fresh("found");
        emit("bool %s = false;", found);
        emit("for (;;) {");
        cg->indent++;
        iter_next(g->inner, item);
        emit("if (%s) {", call_callable(g->fty, g->fn, xprintf("&%s", item)));
        emit("    %s = true;", found);
        emit("    break;");
        emit("}");
        if (has_drop(g->item))
            emit_drop_place(g->item, item); /* rejected: dropped at once */
        cg->indent--;
        emit("}");
        emit("if (!%s)", found);
        emit("    break;");
        break;
    }
    case IG_COPIED: {
        char *x = fresh("ref");
        emit("%s;", decl(g->inner->item, x));
        iter_next(g->inner, x);
        emit("%s = %s;", item, g->clone ? clone_place(g->item, deref_text(x)) : deref_text(x));
        break;
    }
    case IG_SKIP:
        emit("if (%s < %s) {", g->count, g->limit);
        cg->indent++;
        emit("size_t n_skip = %s - %s;", g->limit, g->count);
        emit("%s = %s;", g->count, g->limit);
        skip_items(g, "n_skip");
        cg->indent--;
        emit("}");
        iter_next(g->inner, item);
        break;
    case IG_TAKE:
        emit("if (%s >= %s)", g->count, g->limit);
        emit("    break;");
        emit("%s++;", g->count);
        iter_next(g->inner, item);
        break;
    case IG_STEP_BY:
        emit("if (%s) {", g->flag);
        cg->indent++;
        emit("size_t n_skip = %s - 1;", g->limit);
        skip_items(g, "n_skip");
        cg->indent--;
        emit("}");
        emit("%s = true;", g->flag);
        iter_next(g->inner, item);
        break;
    case IG_ZIP: {
        char *a = fresh("a");
        emit("%s;", decl(g->inner->item, a));
        iter_next(g->inner, a);
        char *b = fresh("b");
        char *got = try_next(g->inner2, g->inner2->item, b);
        emit("if (!%s) {", got);
        cg->indent++;
        drop_item(g->inner->item, a);
        emit("break;");
        cg->indent--;
        emit("}");
        emit("%s = (%s){%s, %s};", item, ctype(g->item), a, b);
        break;
    }
    case IG_CHAIN: {
        IterGen *first = g->rev ? g->inner2 : g->inner, *second = g->rev ? g->inner : g->inner2;
        char *got = fresh("got");
        emit("bool %s = false;", got);
        emit("if (!%s) {", g->flag);
        cg->indent++;
        emit("for (;;) {");
        cg->indent++;
        iter_next(first, item);
        emit("%s = true;", got);
        emit("break;");
        cg->indent--;
        emit("}");
        emit("if (!%s)", got);
        emit("    %s = true;", g->flag);
        cg->indent--;
        emit("}");
        emit("if (!%s) {", got);
        cg->indent++;
        iter_next(second, item);
        cg->indent--;
        emit("}");
        break;
    }
    case IG_TAKE_WHILE:
        emit("if (%s)", g->flag);
        emit("    break;");
        iter_next(g->inner, item);
        emit("if (!%s) {", call_callable(g->fty, g->fn, xprintf("&%s", item)));
        cg->indent++;
        emit("%s = true;", g->flag);
        drop_item(g->item, item);
        emit("break;");
        cg->indent--;
        emit("}");
        break;
    case IG_SKIP_WHILE: {
        char *found = fresh("found");
        emit("bool %s = false;", found);
        emit("for (;;) {");
        cg->indent++;
        iter_next(g->inner, item);
        emit("if (%s || !%s) {", g->flag, call_callable(g->fty, g->fn, xprintf("&%s", item)));
        emit("    %s = %s = true;", g->flag, found);
        emit("    break;");
        emit("}");
        drop_item(g->item, item);
        cg->indent--;
        emit("}");
        emit("if (!%s)", found);
        emit("    break;");
        break;
    }
    case IG_FILTER_MAP: {
        char *found = fresh("found");
        emit("bool %s = false;", found);
        emit("for (;;) {");
        cg->indent++;
        char *x = fresh("x");
        emit("%s;", decl(g->inner->item, x));
        iter_next(g->inner, x);
        Type *ot = ty_adt(cg->prog->option, &g->item, 1);
        char *r = fresh("mapped");
        emit("%s = %s;", decl(ot, r), call_callable(g->fty, g->fn, x));
        emit("if (%s.tag != %s_None) {", r, mangle(ot));
        emit("    %s = %s.Some._0;", item, r);
        emit("    %s = true;", found);
        emit("    break;");
        emit("}");
        cg->indent--;
        emit("}");
        emit("if (!%s)", found);
        emit("    break;");
        break;
    }
    case IG_VALUE: {
        Type *ot = ty_adt(cg->prog->option, &g->item, 1);
        char *r = fresh("next");
        emit("%s = %s(&%s);", decl(ot, r), g->ptr, g->state);
        emit("if (%s.tag == %s_None)", r, mangle(ot));
        emit("    break;");
        emit("%s = %s.Some._0;", item, r);
        break;
    }
    case IG_PEEKABLE:
        emit("if (%s) { /* the item peek() took */", g->flag);
        cg->indent++;
        emit("%s = false;", g->flag);
        emit("if (%s.tag == %s_None)", g->cur, mangle(ty_adt(cg->prog->option, &g->item, 1)));
        emit("    break;");
        emit("%s = %s.Some._0;", item, g->cur);
        cg->indent--;
        emit("} else {");
        cg->indent++;
        iter_next(g->inner, item);
        cg->indent--;
        emit("}");
        break;
    case IG_SCAN: {
        char *x = fresh("x");
        emit("%s;", decl(g->inner->item, x));
        iter_next(g->inner, x);
        Type *ot = ty_adt(cg->prog->option, &g->item, 1);
        char *r = fresh("scanned");
        emit("%s = %s;", decl(ot, r), call_callable(g->fty, g->fn, xprintf("&%s, %s", g->cur, x)));
        emit("if (%s.tag == %s_None)", r, mangle(ot));
        emit("    break;");
        emit("%s = %s.Some._0;", item, r);
        break;
    }
    case IG_FLATTEN: {
        if (!g->inner2)
            break;
        char *found = fresh("found");
        emit("bool %s = false;", found);
        emit("for (;;) {");
        cg->indent++;
        emit("if (%s) { /* the current item's own items first */", g->flag);
        cg->indent++;
        emit("for (;;) {");
        cg->indent++;
        iter_next(g->inner2, item);
        emit("%s = true;", found);
        emit("break;");
        cg->indent--;
        emit("}");
        emit("if (%s)", found);
        emit("    break;");
        emit_drop_place(g->vty, g->cur);
        emit("%s = false;", g->flag);
        cg->indent--;
        emit("}");
        char *x = fresh("x");
        char *got = try_next(g->inner, g->inner->item, x);
        emit("if (!%s)", got);
        emit("    break;");
        const char *v = g->fn ? call_callable(g->fty, g->fn, x) : x;
        emit("%s = %s;", g->cur, iter_value_of(g->elem, v, (Span){0}));
        emit("%s = true;", g->flag);
        cg->indent--;
        emit("}");
        emit("if (!%s)", found);
        emit("    break;");
        break;
    }
    case IG_CYCLE: { /* the inner's next; at its end, the inner again from the copy */
        char *x = fresh("c");
        char *got = try_next(g->inner, g->item, x);
        emit("if (%s) {", got);
        emit("    %s = %s;", item, x);
        emit("} else {");
        cg->indent++;
        if (has_drop(g->vty))
            emit_drop_place(g->vty, g->end);
        emit("%s = %s; /* started again, from a clone */", g->end, iter_clone(g->vty, g->cur));
        iter_next(g->inner, item);
        cg->indent--;
        emit("}");
        break;
    }
    case IG_WINDOWS:
        if (g->clone) { /* chunks: the last one may be shorter */
            emit("if (%s == 0)", g->end);
            emit("    break;");
            emit("size_t mrs_n = %s < %s ? %s : %s;", g->end, g->limit, g->end, g->limit);
            emit("%s = (%s){%s, mrs_n};", item, ctype(g->item), g->ptr);
            emit("%s += mrs_n;", g->ptr);
            emit("%s -= mrs_n;", g->end);
        } else {
            emit("if (%s < %s)", g->end, g->limit);
            emit("    break;");
            emit("%s = (%s){%s, %s};", item, ctype(g->item), g->ptr, g->limit);
            emit("%s++;", g->ptr);
            emit("%s--;", g->end);
        }
        break;
    case IG_INSPECT:
        iter_next(g->inner, item);
        emit("%s;", call_callable(g->fty, g->fn, xprintf("&%s", item)));
        break;
    case IG_ENUMERATE: {
        Type *inner_item = g->item->args[1];
        char *x = fresh("x");
        emit("%s;", decl(inner_item, x));
        iter_next(g->inner, x);
        emit("%s = (%s){%s%s%s, %s};", item, ctype(g->item), g->rev ? "--" : "", g->count, g->rev ? "" : "++", x);
        break;
    }
    }
}

/* After the loop: a Vec iterated by value frees its buffer, dropping the
 * items not yet taken. */
/* a.eq(b) / a.ne(b) of two iterables with items of type t: item by item, as std's
 * (when a ends, b is asked once more: equal when it has ended too). */
char *iter_eq(Expr *e, Type *t, bool ne)
{
    IterGen *ga = iter_open(e->operand, false);
    IterGen *gb = ga ? iter_open(e->args.items[0], false) : NULL;
    char *r = fresh("same");
    emit("bool %s = true;", r);
    if (!gb)
        return r;
    emit("for (;;) {");
    cg->indent++;
    char *x = fresh("a"), *y = fresh("b");
    char *gx = try_next(ga, t, x);
    char *gy = try_next(gb, t, y);
    emit("if (!%s || !%s) {", gx, gy);
    cg->indent++;
    emit("%s = %s == %s;", r, gx, gy);
    if (has_drop(t)) {
        emit("if (%s)", gx);
        emit_drop_place(t, xprintf("    %s", x));
        emit("if (%s)", gy);
        emit_drop_place(t, xprintf("    %s", y));
    }
    emit("break;");
    cg->indent--;
    emit("}");
    emit("%s = %s;", r, eq_places(t, x, y));
    if (has_drop(t)) {
        emit_drop_place(t, x);
        emit_drop_place(t, y);
    }
    emit("if (!%s)", r);
    emit("    break;");
    cg->indent--;
    emit("}");
    iter_close(gb);
    iter_close(ga);
    return ne ? xprintf("!%s", r) : r;
}

void iter_close(IterGen *g)
{
    if (!g)
        return;
    if (g->in_place) { /* a value: what is left of it, when the loop took it */
        if (g->owned)
            emit_drop_place(g->owned, g->state);
        return;
    }
    if (g->kind == IG_MAP_ENTRIES) {
        if (!g->elem)
            return;
        Type *m = g->elem; /* a map by value: the entries not taken, then its buffers */
        if (has_drop(m->args[0]) || (m->nargs > 1 && has_drop(m->args[1]))) {
            emit("for (; %s < %s; %s++) {", g->cur, g->end, g->cur);
            cg->indent++;
            emit_drop_place(m->args[0], xprintf("%s[%s].key", g->ptr, g->cur));
            if (m->nargs > 1)
                emit_drop_place(m->args[1], xprintf("%s[%s].value", g->ptr, g->cur));
            cg->indent--;
            emit("}");
        }
        emit("mrs_vec_free(%s);", g->ptr);
        emit("mrs_map_index_free(&%s);", member(g->state, "index"));
        return;
    }
    if (g->kind != IG_RANGE && g->kind != IG_PTR && g->kind != IG_VEC_INTO && g->kind != IG_RT && g->kind != IG_USER) {
        iter_close(g->inner);
        iter_close(g->inner2);
        return;
    }
    if (g->kind == IG_VEC_INTO) {
        if (has_drop(g->elem)) {
            emit("while (%s < %s)", g->cur, g->end);
            cg->indent++;
            emit_drop_place(g->elem, xprintf("%s.ptr[%s++]", g->ptr, g->cur));
            cg->indent--;
        }
        emit("mrs_vec_free(%s.ptr);", g->ptr);
    }
    if (g->kind == IG_RT && g->elem) /* a Receiver the loop owned */
        emit_drop_place(g->elem, g->ptr);
    if (g->kind == IG_PTR && g->elem) { /* an array by value */
        emit("while (%s < %s)", g->cur, g->end);
        cg->indent++;
        emit_drop_place(g->elem, xprintf("%s[%s++]", g->ptr, g->cur));
        cg->indent--;
    }
}

/* Run an iterator to the end: `body` formats one statement per item (with
 * %s the item variable); returns nothing. Not in a C block of its own: the
 * temporaries the iterable makes (`make().iter().sum()`) are the enclosing
 * statement's, dropped at its end (after a `println!` printed the sum). */
void iter_consume(Expr *it_expr, Type *item, void (*body)(const char *item, void *ctx), void *ctx)
{
    iter_consume_from(it_expr, item, false, NULL, body, ctx);
}

/* iter_consume, from the back when rev; *len (when given) the iterator's length before it
 * is consumed (rposition's index from the front). */
void iter_consume_from(Expr *it_expr, Type *item, bool rev, char **len, void (*body)(const char *item, void *ctx),
                       void *ctx)
{
    iter_consume_opened(it_expr, item, rev, len, NULL, body, ctx);
}

/* iter_consume_from, with opened(g, ctx) called once g is opened, before its first item
 * (collect and extend make room for the items there). */
void iter_consume_opened(Expr *it_expr, Type *item, bool rev, char **len, void (*opened)(IterGen *g, void *ctx),
                         void (*body)(const char *item, void *ctx), void *ctx)
{
    IterGen *g = iter_open(it_expr, rev);
    if (g && len)
        *len = ig_len(g);
    if (g && opened)
        opened(g, ctx);
    temps_push(); /* (the items' temporaries are each iteration's) */
    if (g) {
        emit("for (;;) {");
        cg->indent++;
        char *x = fresh("item");
        emit("%s;", decl(item, x));
        iter_next(g, x);
        body(x, ctx);
        cg->indent--;
        emit("}");
        iter_close(g);
    }
    temps_pop();
}

/* `cond ? yes : no` for an owned value: each arm drops what it leaves behind
 * (ydrop, of type yt, when cond holds; ndrop, of type nt, when it does not). */
char *owned_choice(Type *t, const char *cond, const char *yes, Type *yt, const char *ydrop, const char *no,
                          Type *nt, const char *ndrop)
{
    if (!(ydrop && has_drop(yt)) && !(ndrop && has_drop(nt)))
        return xprintf("(%s ? %s : %s)", cond, yes, no);
    char *out = fresh("val");
    emit("%s;", decl(t, out));
    emit("if (%s) {", cond);
    cg->indent++;
    emit("%s = %s;", out, yes);
    if (ydrop)
        emit_drop_place(yt, ydrop);
    cg->indent--;
    emit("} else {");
    cg->indent++;
    if (ndrop)
        emit_drop_place(nt, ndrop);
    emit("%s = %s;", out, no);
    cg->indent--;
    emit("}");
    return out;
}
