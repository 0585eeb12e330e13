/* cdeque.c — VecDeque<T> in C: `{ T *ptr; size_t len; size_t cap; size_t head; }`, a
 * Vec's elements ptr[0..len) with `head` free slots before them (runtime/vec.c). So the
 * front grows down into that room and shrinks by moving ptr up, the back is a Vec's, and
 * indexing, iterating, `{:?}`, `==` are the Vec's C.
 *
 * requires: a typed instance whose VecDeque calls sema resolved to rows (BM_DQ_*, and the
 * Vec and slice rows a deque shares);
 * produces: the C of each VecDeque method, and a deque's elements handed over as a Vec
 * (into_iter, `for x in dq`). */
#include "cg_int.h"

#include <ctype.h>
#include <string.h>

/* The deque's fields, named once per call. */
typedef struct Deque {
    char *ptr, *len, *cap, *head;
} Deque;

static Deque fields(const char *p)
{
    return (Deque){member(p, "ptr"), member(p, "len"), member(p, "cap"), member(p, "head")};
}

/* The elements moved to the start of the buffer: ptr is then what was allocated. */
void deque_shift(const char *p)
{
    Deque d = fields(p);
    emit("%s = mrs_deque_shift(%s, &%s, &%s, %s, sizeof *%s);", d.ptr, d.ptr, d.cap, d.head, d.len, d.ptr);
}

/* The deque value v of type t as the Vec of its elements (its buffer, shifted to the
 * start, changes hands). */
char *deque_as_vec(Type *t, const char *v)
{
    char *d = hoist(t, v, "deque");
    deque_shift(d);
    Type *vt = ty_vec(t->args[0]);
    need_type(vt);
    return xprintf("(%s){%s.ptr, %s.len, %s.cap}", ctype(vt), d, d, d);
}

char *deque_static_call(Expr *e, BuiltinMethod bm, char **a)
{
    Type *t = e->ty;
    need_type(t);
    switch (bm) {
    case BM_DQ_NEW:
        return xprintf("(%s){0}", ctype(t));
    case BM_DQ_WITH_CAPACITY: {
        char *n = hoist(ty_prim(TY_USIZE), a[0], "cap");
        return xprintf("(%s){mrs_vec_alloc(%s, sizeof(%s)), 0, %s, 0}", ctype(t), n, ctype(t->args[0]), n);
    }
    case BM_DQ_FROM: { /* a Vec's buffer is taken as it is; an array's elements are moved into one */
        Expr *arg = e->args.items[0];
        Type *at = arg->ty;
        char *v = hoist(at, a[0], "from");
        if (ty_is_std(at, STD_VEC))
            return xprintf("(%s){%s.ptr, %s.len, %s.cap, 0}", ctype(t), v, v, v);
        unsigned long long n = (unsigned long long)at->len;
        char *r = fresh("deque");
        emit("%s = {mrs_vec_alloc(%llu, sizeof(%s)), %llu, %llu, 0};", decl(t, r), n, ctype(t->args[0]), n, n);
        if (n)
            emit("memcpy(%s.ptr, %s.a, sizeof %s.a);", r, v, v);
        else
            emit("(void)%s; /* empty */", v);
        return r;
    }
    default:
        return NULL;
    }
}

/* value, or a hoisted copy of it when it may read the deque (`d.push_back(d.len())`) */
static char *value_first(Type *el, char *v, const char *base)
{
    return is_ident_text(v) || isdigit((unsigned char)v[0]) ? v : hoist(el, v, base);
}

char *deque_method(Expr *e, MethodRes *mr, const char *p, char **a)
{
    Type *dt = mr->self_ty;
    Type *el = dt->args[0];
    Deque d = fields(p);
    switch (mr->bm) {
    case BM_DQ_PUSH_BACK: {
        char *val = value_first(el, a[0], "pushed");
        emit("if (%s == %s)", d.len, d.cap);
        emit("    %s = mrs_deque_grow_back(%s, &%s, &%s, %s, sizeof *%s);", d.ptr, d.ptr, d.cap, d.head, d.len, d.ptr);
        emit("%s[%s++] = %s;", d.ptr, d.len, val);
        return NULL;
    }
    case BM_DQ_PUSH_FRONT: {
        char *val = value_first(el, a[0], "pushed");
        emit("if (%s == 0) /* no room before the front */", d.head);
        emit("    %s = mrs_deque_grow_front(%s, &%s, &%s, %s, sizeof *%s);", d.ptr, d.ptr, d.cap, d.head, d.len, d.ptr);
        emit("*--%s = %s; /* the front moves down one slot */", d.ptr, val);
        emit("%s--, %s++, %s++;", d.head, d.cap, d.len);
        return NULL;
    }
    case BM_DQ_POP_BACK:
        return xprintf("(%s > 0 ? %s : %s)", d.len, some(e->ty, xprintf("%s[--%s]", d.ptr, d.len)), none(e->ty));
    case BM_DQ_POP_FRONT: {
        char *r = fresh("front");
        emit("%s;", decl(e->ty, r));
        emit("if (%s > 0) {", d.len);
        emit("    %s = %s;", r, some(e->ty, xprintf("%s[0]", d.ptr)));
        emit("    %s++, %s++, %s--, %s--; /* the front moves up one slot */", d.ptr, d.head, d.cap, d.len);
        emit("} else {");
        emit("    %s = %s;", r, none(e->ty));
        emit("}");
        return r;
    }
    case BM_DQ_FRONT:
    case BM_DQ_FRONT_MUT:
        return xprintf("(%s > 0 ? %s : %s)", d.len, some(e->ty, xprintf("&%s[0]", d.ptr)), none(e->ty));
    case BM_DQ_BACK:
    case BM_DQ_BACK_MUT:
        return xprintf("(%s > 0 ? %s : %s)", d.len, some(e->ty, xprintf("&%s[%s - 1]", d.ptr, d.len)), none(e->ty));
    case BM_DQ_INSERT: {
        char *ix = is_ident_text(a[0]) ? a[0] : hoist(ty_prim(TY_USIZE), a[0], "at");
        char *val = value_first(el, a[1], "inserted");
        emit("if (%s > %s)", ix, d.len);
        emit("    mrs_panic_deque_insert();");
        emit("if (%s == %s)", d.len, d.cap);
        emit("    %s = mrs_deque_grow_back(%s, &%s, &%s, %s, sizeof *%s);", d.ptr, d.ptr, d.cap, d.head, d.len, d.ptr);
        emit("memmove(&%s[%s + 1], &%s[%s], (%s - %s) * sizeof *%s);", d.ptr, ix, d.ptr, ix, d.len, ix, d.ptr);
        emit("%s[%s] = %s;", d.ptr, ix, val);
        emit("%s++;", d.len);
        return NULL;
    }
    case BM_DQ_REMOVE: {
        char *ix = is_ident_text(a[0]) ? a[0] : hoist(ty_prim(TY_USIZE), a[0], "at");
        char *r = fresh("removed");
        emit("%s = %s;", decl(e->ty, r), none(e->ty));
        emit("if (%s < %s) {", ix, d.len);
        emit("    %s = %s;", r, some(e->ty, xprintf("%s[%s]", d.ptr, ix)));
        emit("    memmove(&%s[%s], &%s[%s + 1], (%s - %s - 1) * sizeof *%s);", d.ptr, ix, d.ptr, ix, d.len, ix, d.ptr);
        emit("    %s--;", d.len);
        emit("}");
        return r;
    }
    case BM_DQ_SWAP: {
        char *i = is_ident_text(a[0]) ? a[0] : hoist(ty_prim(TY_USIZE), a[0], "i");
        char *j = is_ident_text(a[1]) ? a[1] : hoist(ty_prim(TY_USIZE), a[1], "j");
        emit("if (%s >= %s)", i, d.len);
        emit("    mrs_panic_deque_swap(true);");
        emit("if (%s >= %s)", j, d.len);
        emit("    mrs_panic_deque_swap(false);");
        char *tmp = hoist(el, xprintf("%s[%s]", d.ptr, i), "tmp");
        emit("%s[%s] = %s[%s];", d.ptr, i, d.ptr, j);
        emit("%s[%s] = %s;", d.ptr, j, tmp);
        return NULL;
    }
    case BM_DQ_ROTATE_LEFT:
    case BM_DQ_ROTATE_RIGHT: {
        bool left = mr->bm == BM_DQ_ROTATE_LEFT;
        char *n = is_ident_text(a[0]) ? a[0] : hoist(ty_prim(TY_USIZE), a[0], "n");
        emit("if (%s > %s)", n, d.len);
        emit("    mrs_panic_deque_rotate(%s);", left ? "true" : "false");
        emit("mrs_rotate_left(%s, %s, %s%s, sizeof *%s);", d.ptr, d.len, left ? "" : xprintf("%s - ", d.len), n, d.ptr);
        return NULL;
    }
    case BM_DQ_MAKE_CONTIGUOUS: /* (always is) */
        need_type(e->ty);
        return xprintf("(%s){%s, %s}", ctype(e->ty), d.ptr, d.len);
    case BM_DQ_AS_SLICES: { /* all of it is the first part: mrsc's deque never wraps */
        Type *st = e->ty->args[0];
        need_type(e->ty);
        return xprintf("(%s){(%s){%s, %s}, (%s){%s + %s, 0}}", ctype(e->ty), ctype(st), d.ptr, d.len, ctype(st), d.ptr,
                       d.len);
    }
    case BM_DQ_APPEND: { /* other's elements move to the back; other is left empty */
        char *o = hoist(ty_ref(dt, true), a[0], "other");
        deque_shift(p);
        emit("%s = mrs_vec_grow(%s, &%s, sizeof *%s, %s + %s->len);", d.ptr, d.ptr, d.cap, d.ptr, d.len, o);
        emit("if (%s->len)", o);
        emit("    memcpy(%s + %s, %s->ptr, %s->len * sizeof *%s);", d.ptr, d.len, o, o, d.ptr);
        emit("%s += %s->len;", d.len, o);
        emit("%s->len = 0;", o);
        return NULL;
    }
    default:
        return NULL;
    }
}
