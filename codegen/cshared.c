/* cshared.c — shared ownership and interior mutability: Rc, Weak, Cell, RefCell.
 *
 * requires: the C types of ctypes.c (an Rc<T> is a pointer to the counted
 * block `Rc_T { strong, weak, value }`, a Weak<T> a pointer to the same block
 * or NULL, a Cell<T> `{ value }`, a RefCell<T> `{ borrow, value }`, a Ref<T>
 * / RefMut<T> `{ value, borrow }`) and their drop and clone glue (glue.c);
 * produces: the C of `Rc::new` and the other rows of std_methods.def on these
 * types. Each count change is a statement a reader sees; each run-time
 * borrow check is a call of the runtime carrying the source location. */
#include "cg_int.h"

/* The block type of Rc<T> / Weak<T>, and its C pointer type. */
static Type *block_of(Type *t) { return ty_std(STD_RC, t->args, 1); }

/* rc_new_T(T value): Rc::new. */
static const char *rc_new_fn(Type *rc)
{
    const char *name = xprintf("rc_new_%s", mangle(rc->args[0]));
    if (helper_done(name))
        return name;
    Saved sv;
    StrBuf *b = begin_helper(xprintf("%s%s(%s)", pointer_to(mangle(rc), false), name, decl(rc->args[0], "value")), &sv);
    emit("%s = mrs_alloc(sizeof *rc);", decl(rc, "rc"));
    emit("rc->strong = 1; /* this Rc */");
    emit("rc->weak = 1;   /* the weak reference all the strong ones hold together */");
    emit("rc->value = value;");
    emit("return rc;");
    end_helper(b, &sv);
    return name;
}

/* The value out of a block whose last strong owner this is: the strong count
 * drops to 0 without dropping the value, which moves to the caller; the block is
 * freed unless a Weak still points at it. */
static void emit_take_value(Type *rc, const char *p, const char *into)
{
    emit("%s = %s->value; /* moved out: the block no longer owns it */", decl(rc->args[0], into), p);
    emit("%s->strong = 0;", p);
    emit("%s->weak--; /* the strong owners' weak reference */", p);
    emit("if (%s->weak == 0)", p);
    emit("    mrs_vec_free(%s);", p);
}

/* rc_try_unwrap_T(Rc<T> rc) -> Result<T, Rc<T>>: the value when rc is its only
 * strong owner, else rc back. */
static const char *rc_try_unwrap_fn(Type *rc, Type *res)
{
    const char *name = xprintf("rc_try_unwrap_%s", mangle(rc->args[0]));
    if (helper_done(name))
        return name;
    Saved sv;
    StrBuf *b = begin_helper(xprintf("%s %s(%s)", ctype(res), name, decl(rc, "rc")), &sv);
    emit("if (rc->strong != 1)");
    emit("    return %s;", construct(res, 1, (char *[]){"rc"}, 1));
    emit_take_value(rc, "rc", "value");
    emit("return %s;", construct(res, 0, (char *[]){"value"}, 1));
    end_helper(b, &sv);
    return name;
}

/* rc_into_inner_T(Rc<T> rc) -> Option<T>: the value when rc is the last strong
 * owner, else None (and rc is dropped). */
static const char *rc_into_inner_fn(Type *rc, Type *opt)
{
    const char *name = xprintf("rc_into_inner_%s", mangle(rc->args[0]));
    if (helper_done(name))
        return name;
    Saved sv;
    StrBuf *b = begin_helper(xprintf("%s %s(%s)", ctype(opt), name, decl(rc, "rc")), &sv);
    emit("if (rc->strong != 1) {");
    emit("    rc->strong--; /* one owner fewer, not the last */");
    emit("    return %s;", none(opt));
    emit("}");
    emit_take_value(rc, "rc", "value");
    emit("return %s;", some(opt, "value"));
    end_helper(b, &sv);
    return name;
}

/* rc_make_mut_T(Rc<T> *rc) -> T *: the value, made unique first: cloned into a
 * new block when other Rc share it, moved into one when only Weaks do. */
static const char *rc_make_mut_fn(Type *rc)
{
    Type *t = rc->args[0];
    const char *name = xprintf("rc_make_mut_%s", mangle(t));
    if (helper_done(name))
        return name;
    Saved sv;
    StrBuf *b = begin_helper(xprintf("%s%s(%sp)", pointer_to(ctype(t), false), name, pointer_to(ctype(rc), false)),
                             &sv);
    emit("%s = *p;", decl(rc, "rc"));
    emit("if (rc->strong != 1) { /* shared: this Rc gets a clone of its own */");
    emit("    *p = %s(%s);", rc_new_fn(rc), clone_place(t, "rc->value"));
    emit("    rc->strong--;");
    emit("} else if (rc->weak != 1) { /* only Weaks share it: they lose it, the value moves */");
    emit("    *p = %s(rc->value);", rc_new_fn(rc));
    emit("    rc->strong = 0;");
    emit("    rc->weak--;");
    emit("}");
    emit("return &(*p)->value;");
    end_helper(b, &sv);
    return name;
}

/* weak_upgrade_T(Weak<T> w) -> Option<Rc<T>>: one more strong owner, while there is one. */
static const char *weak_upgrade_fn(Type *weak, Type *opt)
{
    const char *name = xprintf("weak_upgrade_%s", mangle(weak->args[0]));
    if (helper_done(name))
        return name;
    Saved sv;
    StrBuf *b = begin_helper(xprintf("%s %s(%s)", ctype(opt), name, decl(weak, "w")), &sv);
    emit("if (w == NULL || w->strong == 0) /* Weak::new(), or the value is gone */");
    emit("    return %s;", none(opt));
    emit("w->strong++; /* one more owner */");
    emit("return %s;", some(opt, "w"));
    end_helper(b, &sv);
    return name;
}

/* A helper writing a Cell through a shared reference: `cell_<op>_T`. */
static StrBuf *begin_cell_helper(const char *proto, Type *cell, Saved *sv)
{
    StrBuf *b = begin_helper(proto, sv);
    emit("%s = (%s)cell; /* UnsafeCell: written through a shared reference */", decl(ty_ref(cell, true), "c"),
         pointer_to(ctype(cell), false));
    return b;
}

/* cell_replace_T(const Cell<T> *cell, T v) -> T: Cell::replace (set is replace, then the old value dropped). */
static const char *cell_replace_fn(Type *cell)
{
    Type *t = cell->args[0];
    const char *name = xprintf("cell_replace_%s", mangle(t));
    if (helper_done(name))
        return name;
    Saved sv;
    StrBuf *b = begin_cell_helper(xprintf("%s %s(%scell, %s)", ctype(t), name, pointer_to(ctype(cell), true),
                                          decl(t, "v")), cell, &sv);
    emit("%s = c->value;", decl(t, "old"));
    emit("c->value = v;");
    emit("return old;");
    end_helper(b, &sv);
    return name;
}

/* cell_set_T(const Cell<T> *cell, T v): Cell::set, the old value dropped. */
static const char *cell_set_fn(Type *cell)
{
    Type *t = cell->args[0];
    const char *name = xprintf("cell_set_%s", mangle(t));
    if (helper_done(name))
        return name;
    Saved sv;
    StrBuf *b = begin_cell_helper(xprintf("void %s(%scell, %s)", name, pointer_to(ctype(cell), true), decl(t, "v")),
                                  cell, &sv);
    if (has_drop(t)) {
        emit("%s = c->value;", decl(t, "old"));
        emit("c->value = v;");
        emit_drop_place(t, "old");
    } else {
        emit("c->value = v;");
    }
    end_helper(b, &sv);
    return name;
}

/* cell_swap_T(const Cell<T> *a, const Cell<T> *b): Cell::swap. */
static const char *cell_swap_fn(Type *cell)
{
    Type *t = cell->args[0];
    const char *name = xprintf("cell_swap_%s", mangle(t));
    if (helper_done(name))
        return name;
    Saved sv;
    StrBuf *b = begin_cell_helper(xprintf("void %s(%scell, %sother)", name, pointer_to(ctype(cell), true),
                                          pointer_to(ctype(cell), true)), cell, &sv);
    emit("%s = (%s)other;", decl(ty_ref(cell, true), "d"), pointer_to(ctype(cell), false));
    emit("%s = c->value;", decl(t, "tmp"));
    emit("c->value = d->value;");
    emit("d->value = tmp;");
    end_helper(b, &sv);
    return name;
}

/* refcell_replace_T(const RefCell<T> *cell, T v, MrsLoc loc) -> T: RefCell::replace,
 * which borrows mutably for the swap (so panics while any guard is alive). */
static const char *refcell_replace_fn(Type *cell)
{
    Type *t = cell->args[0];
    const char *name = xprintf("refcell_replace_%s", mangle(t));
    if (helper_done(name))
        return name;
    Saved sv;
    StrBuf *b = begin_cell_helper(xprintf("%s %s(%scell, %s, MrsLoc loc)", ctype(t), name,
                                          pointer_to(ctype(cell), true), decl(t, "v")), cell, &sv);
    emit("mrs_refcell_borrow_mut(&c->borrow, loc);");
    emit("%s = c->value;", decl(t, "old"));
    emit("c->value = v;");
    emit("c->borrow = 0;");
    emit("return old;");
    end_helper(b, &sv);
    return name;
}

/* refcell_swap_T(const RefCell<T> *a, const RefCell<T> *b, MrsLoc loc): both borrowed mutably. */
static const char *refcell_swap_fn(Type *cell)
{
    Type *t = cell->args[0];
    const char *name = xprintf("refcell_swap_%s", mangle(t));
    if (helper_done(name))
        return name;
    Saved sv;
    StrBuf *b = begin_cell_helper(xprintf("void %s(%scell, %sother, MrsLoc loc)", name,
                                          pointer_to(ctype(cell), true), pointer_to(ctype(cell), true)), cell, &sv);
    emit("%s = (%s)other;", decl(ty_ref(cell, true), "d"), pointer_to(ctype(cell), false));
    emit("mrs_refcell_borrow_mut(&c->borrow, loc);");
    emit("mrs_refcell_borrow_mut(&d->borrow, loc);");
    emit("%s = c->value;", decl(t, "tmp"));
    emit("c->value = d->value;");
    emit("d->value = tmp;");
    emit("c->borrow = d->borrow = 0;");
    end_helper(b, &sv);
    return name;
}

/* A guard on the RefCell at place p: `(Ref_T){&p.value, flag}`. */
static char *guard(Type *g, const char *p, const char *flag)
{
    bool mut = ty_is_std(g, STD_REFMUT);
    const char *val = mut ? xprintf("(%s)&%s", pointer_to(ctype(g->args[0]), false), member(p, "value"))
                          : addr_text(member(p, "value"));
    return xprintf("(%s){%s, %s}", ctype(g), val, flag);
}

/* refcell_try_borrow(_mut)_T(const RefCell<T> *cell) -> Result<Ref<T>, BorrowError>. */
static const char *refcell_try_fn(Type *cell, Type *res, bool mut)
{
    const char *name = xprintf("refcell_try_borrow%s_%s", mut ? "_mut" : "", mangle(cell->args[0]));
    if (helper_done(name))
        return name;
    Saved sv;
    StrBuf *b = begin_helper(xprintf("%s %s(%scell)", ctype(res), name, pointer_to(ctype(cell), true)), &sv);
    emit("intptr_t *flag = mrs_refcell_try_borrow%s(&cell->borrow);", mut ? "_mut" : "");
    emit("if (flag == NULL)");
    emit("    return %s;", construct(res, 1, (char *[]){xprintf("(%s){0}", ctype(res->args[1]))}, 1));
    emit("return %s;", construct(res, 0, (char *[]){guard(res->args[0], "(*cell)", "flag")}, 1));
    end_helper(b, &sv);
    return name;
}

char *thread_static_call(Expr *e, char **a);

/* rc_from_str / rc_from_vec_T: Rc<str> and Rc<[T]> (Arc: arc_from_..): one block, the counts
 * then the bytes or the elements, and the view of them next to the counts. */
static const char *rc_from_fn(Type *rc)
{
    bool arc = ty_is_std(rc, STD_ARC);
    Type *in = rc->args[0];
    Type *el = in->kind == TY_SLICE ? in->args[0] : ty_prim(TY_U8);
    const char *name = xprintf("%s_from_%s", arc ? "arc" : "rc", in->kind == TY_STR ? "str" : mangle(ty_vec(el)));
    if (helper_done(name))
        return name;
    const char *counts = arc ? "MrsArcCounts" : "MrsRcCounts";
    Saved sv;
    StrBuf *b = begin_helper(xprintf("%s %s(%s)", ctype(rc), name,
                                     in->kind == TY_STR ? "MrsStr s" : decl(ty_vec(el), "v")), &sv);
    const char *len = in->kind == TY_STR ? "s.len" : "v.len";
    emit("size_t head = (sizeof(%s) + _Alignof(%s) - 1) / _Alignof(%s) * _Alignof(%s); /* the counts, aligned for what follows */",
         counts, ctype(el), ctype(el), ctype(el));
    emit("%s *counts = mrs_alloc(head + %s * sizeof(%s));", counts, len, ctype(el));
    if (arc) {
        emit("atomic_init(&counts->strong, 1);");
    } else {
        emit("counts->strong = 1;");
        emit("counts->weak = 1;");
    }
    emit("%s = (%s)((char *)counts + head);", decl(ty_ref(el, true), "items"), pointer_to(ctype(el), false));
    if (in->kind == TY_STR) {
        emit("if (s.len)");
        emit("    memcpy(items, s.ptr, s.len);");
        emit("return (%s){{items, s.len}, counts};", ctype(rc));
    } else {
        emit("if (v.len) /* the elements move in; the Vec's buffer goes */");
        emit("    memcpy(items, v.ptr, v.len * sizeof *items);");
        emit("mrs_vec_free(v.ptr);");
        emit("return (%s){{items, v.len}, counts};", ctype(rc));
    }
    end_helper(b, &sv);
    return name;
}

/* Rc::from(x): by the argument's type. */
static char *rc_from(Expr *e, char **a)
{
    Type *rc = e->ty, *in = rc->args[0];
    Type *at = ((Expr *)e->args.items[0])->ty;
    if (in->kind != TY_STR && in->kind != TY_SLICE) /* Rc::from(T): Rc::new */
        return ty_is_std(rc, STD_ARC) ? thread_static_call(e, a) : xprintf("%s(%s)", rc_new_fn(block_of(rc)), a[0]);
    if (ty_is_std(at, STD_STRING)) { /* the bytes are copied, the String dropped */
        char *s = hoist(at, a[0], "from");
        char *r = hoist(rc, xprintf("%s(mrs_string_as_str(&%s))", rc_from_fn(rc), s), "rc");
        emit("mrs_string_drop(&%s);", s);
        return r;
    }
    return xprintf("%s(%s)", rc_from_fn(rc), a[0]);
}

/* `Rc::new(x)`, `Weak::new()`, `Cell::new(x)`, `RefCell::new(x)`: e is the EX_CALL. */
char *shared_static_call(Expr *e, char **a)
{
    Type *t = e->ty;
    switch (e->operand->def->bm) {
    case BM_RC_NEW:
        return xprintf("%s(%s)", rc_new_fn(block_of(t)), a[0]);
    case BM_RC_FROM:
        return rc_from(e, a);
    case BM_WEAK_NEW:
        if (ty_counted_fat(t))
            return xprintf("(%s){NULL, NULL, NULL} /* Weak::new(): no block */", ctype(t));
        need_type(block_of(t));
        return xprintf("(%s)NULL /* Weak::new(): no block */", ctype(t));
    case BM_CELL_NEW:
        return xprintf("(%s){%s}", ctype(t), a[0]);
    case BM_REFCELL_NEW:
        return xprintf("(%s){0, %s}", ctype(t), a[0]);
    case BM_ARC_NEW:
    case BM_MUTEX_NEW:
    case BM_RWLOCK_NEW:
    case BM_ATOMIC_NEW:
    case BM_DURATION_FROM_SECS:
    case BM_DURATION_FROM_MILLIS:
    case BM_DURATION_FROM_MICROS:
    case BM_DURATION_FROM_NANOS:
        return thread_static_call(e, a);
    case BM_DQ_NEW:
    case BM_DQ_WITH_CAPACITY:
    case BM_DQ_FROM:
        return deque_static_call(e, e->operand->def->bm, a);
    case BM_MAP_NEW:
    case BM_MAP_WITH_CAPACITY: /* (an empty map allocates nothing) */
    case BM_SET_NEW:
    case BM_SET_WITH_CAPACITY:
        if (e->args.len)
            emit("(void)(%s);", a[0]);
        return xprintf("(%s){0}", ctype(t));
    case BM_PIN_NEW:
    case BM_PIN_NEW_UNCHECKED:
    case BM_BOX_PIN:
    case BM_INSTANT_NOW:
    case BM_WAKER_NOOP:
    case BM_CONTEXT_FROM_WAKER:
        return future_static_call(e, a);
    default:
        not_supported(e->span, xprintf("`%s`", diag_source_text(e->operand->span)));
        return dummy(t);
    }
}

/* The other rows on Rc, Weak, Cell, RefCell and their guards; p is the
 * receiver's place (after its derefs), a the arguments; NULL when the row is
 * not one of these. */
/* The rows on an Rc<dyn T> / Weak<dyn T>: the same counts, reached through `counts`. */
static char *dyn_counted_method(Expr *e, MethodRes *mr, char *p, char **a)
{
    Type *b = mr->self_ty;
    char *c = member(p, "counts");
    switch (mr->bm) {
    case BM_RC_STRONG_COUNT:
        return xprintf("%s->strong", c);
    case BM_RC_WEAK_COUNT:
        return xprintf("(%s->weak - 1)", c);
    case BM_RC_DOWNGRADE:
        emit("%s->weak++; /* Rc::downgrade: one more weak reference */", c);
        return xstrdup(p);
    case BM_RC_PTR_EQ:
    case BM_WEAK_PTR_EQ:
        return xprintf("(%s == %s)", c, member(deref_text(a[0]), "counts"));
    case BM_WEAK_STRONG_COUNT:
        return xprintf("(%s ? %s->strong : 0)", c, c);
    case BM_WEAK_WEAK_COUNT:
        return xprintf("(%s && %s->strong ? %s->weak - 1 : 0)", c, c, c);
    case BM_WEAK_UPGRADE: {
        char *w = hoist(b, p, "weak");
        char *r = fresh("upgraded");
        emit("%s = %s;", decl(e->ty, r), none(e->ty));
        emit("if (%s.counts != NULL && %s.counts->strong > 0) { /* the object is still there */", w, w);
        emit("    %s.counts->strong++; /* one more owner */", w);
        emit("    %s = %s;", r, some(e->ty, w));
        emit("}");
        return r;
    }
    default:
        not_supported(e->name_span, xprintf("`%s` on `%s`", e->name, ty_str(b)));
        return dummy(e->ty);
    }
}

char *shared_method(Expr *e, MethodRes *mr, char *p, char **a)
{
    Type *b = mr->self_ty;
    Type *t = b->nargs ? b->args[0] : NULL;
    Span at = e->name_span;
    if (ty_counted_fat(b))
        return dyn_counted_method(e, mr, p, a);
    switch (mr->bm) {
    /* Rc */
    case BM_RC_STRONG_COUNT:
        return xprintf("%s->strong", postfix_text(p));
    case BM_RC_WEAK_COUNT:
        return xprintf("(%s->weak - 1)", postfix_text(p)); /* less the strong owners' one */
    case BM_RC_DOWNGRADE:
        emit("%s->weak++; /* Rc::downgrade: one more weak reference */", postfix_text(p));
        return xprintf("%s", p);
    case BM_RC_PTR_EQ:
    case BM_WEAK_PTR_EQ:
        return xprintf("(%s == %s)", p, deref_text(a[0]));
    case BM_RC_TRY_UNWRAP:
        return xprintf("%s(%s)", rc_try_unwrap_fn(b, e->ty), p);
    case BM_RC_INTO_INNER:
        return xprintf("%s(%s)", rc_into_inner_fn(b, e->ty), p);
    case BM_RC_GET_MUT: { /* the value, when no other Rc or Weak can see it */
        char *rc = once(b, p);
        return xprintf("(%s->strong == 1 && %s->weak == 1 ? %s : %s)", rc, rc, some(e->ty, xprintf("&%s->value", rc)),
                       none(e->ty));
    }
    case BM_RC_MAKE_MUT:
        return xprintf("%s(%s)", rc_make_mut_fn(b), addr_text(p));
    /* Weak */
    case BM_WEAK_UPGRADE:
        return xprintf("%s(%s)", weak_upgrade_fn(b, e->ty), p);
    case BM_WEAK_STRONG_COUNT: {
        char *w = once(b, p);
        return xprintf("(%s ? %s->strong : 0)", w, w);
    }
    case BM_WEAK_WEAK_COUNT: { /* 0 once no strong owner is left, as std counts */
        char *w = once(b, p);
        return xprintf("(%s && %s->strong ? %s->weak - 1 : 0)", w, w, w);
    }
    /* Cell */
    case BM_CELL_GET:
        return member(p, "value");
    case BM_CELL_SET:
        emit("%s(%s, %s);", cell_set_fn(b), addr_text(p), a[0]);
        return NULL;
    case BM_CELL_REPLACE:
        return xprintf("%s(%s, %s)", cell_replace_fn(b), addr_text(p), a[0]);
    case BM_CELL_TAKE:
        return xprintf("%s(%s, %s)", cell_replace_fn(b), addr_text(p), default_expr(t));
    case BM_CELL_SWAP:
        emit("%s(%s, %s);", cell_swap_fn(b), addr_text(p), a[0]);
        return NULL;
    case BM_CELL_INTO_INNER:
    case BM_REFCELL_INTO_INNER:
        return member(p, "value");
    case BM_CELL_GET_MUT:
    case BM_REFCELL_GET_MUT:
        return addr_text(member(p, "value"));
    /* RefCell */
    case BM_REFCELL_BORROW:
        return guard(e->ty, p, xprintf("mrs_refcell_borrow(&%s, %s)", member(p, "borrow"), loc(at)));
    case BM_REFCELL_BORROW_MUT:
        return guard(e->ty, p, xprintf("mrs_refcell_borrow_mut(&%s, %s)", member(p, "borrow"), loc(at)));
    case BM_REFCELL_TRY_BORROW:
    case BM_REFCELL_TRY_BORROW_MUT:
        return xprintf("%s(%s)", refcell_try_fn(b, e->ty, mr->bm == BM_REFCELL_TRY_BORROW_MUT), addr_text(p));
    case BM_REFCELL_REPLACE:
        return xprintf("%s(%s, %s, %s)", refcell_replace_fn(b), addr_text(p), a[0], loc(at));
    case BM_REFCELL_TAKE:
        return xprintf("%s(%s, %s, %s)", refcell_replace_fn(b), addr_text(p), default_expr(t), loc(at));
    case BM_REFCELL_SWAP:
        emit("%s(%s, %s, %s);", refcell_swap_fn(b), addr_text(p), a[0], loc(at));
        return NULL;
    case BM_REFCELL_REPLACE_WITH: { /* borrowed mutably while the closure makes the new value */
        Expr *fe = e->args.items[0];
        char *fv = callable_value(fe, a[0]);
        char *c = hoist(ty_ref(b, false), addr_text(p), "cell");
        char *flag = hoist(ty_ref(ty_prim(TY_ISIZE), true),
                           xprintf("mrs_refcell_borrow_mut(&%s->borrow, %s)", c, loc(at)), "flag");
        char *v = xprintf("(%s)&%s->value", pointer_to(ctype(t), false), c);
        char *nv = hoist(t, call_callable(fe->ty, fv, v), "new_value");
        char *old = hoist(t, xprintf("*%s", v), "old");
        emit("*%s = %s;", v, nv);
        emit("*%s = 0;", flag);
        return old;
    }
    case BM_GUARD_CLONE: /* Ref::clone: one more reader of the same RefCell */
        emit("*%s += 1;", member(p, "borrow"));
        return xstrdup(p);
    case BM_GUARD_MAP: { /* the guard moves into one pointing at what the closure picks */
        Expr *fe = e->args.items[0];
        char *fv = callable_value(fe, a[0]);
        char *g = once(b, p);
        return xprintf("(%s){%s, %s.borrow}", ctype(e->ty), call_callable(fe->ty, fv, member(g, "value")), g);
    }
    default:
        return NULL;
    }
}

/* ---- threads: Arc, Mutex, JoinHandle, channels ---- */

/* arc_new_T(T value): Arc::new. */
static const char *arc_new_fn(Type *arc)
{
    const char *name = xprintf("arc_new_%s", mangle(arc->args[0]));
    if (helper_done(name))
        return name;
    Saved sv;
    StrBuf *b = begin_helper(xprintf("%s(%s)", decl(arc, name), decl(arc->args[0], "value")), &sv);
    emit("%s = mrs_alloc(sizeof *rc);", decl(arc, "rc"));
    emit("atomic_init(&rc->strong, 1); /* this Arc */");
    emit("rc->value = value;");
    emit("return rc;");
    end_helper(b, &sv);
    return name;
}

/* arc_try_unwrap_T / arc_into_inner_T: the value when this is the last owner. */
static const char *arc_unwrap_fn(Type *arc, Type *ret, bool opt)
{
    const char *name = xprintf("arc_%s_%s", opt ? "into_inner" : "try_unwrap", mangle(arc->args[0]));
    if (helper_done(name))
        return name;
    Saved sv;
    StrBuf *b = begin_helper(xprintf("%s %s(%s)", ctype(ret), name, decl(arc, "rc")), &sv);
    if (opt) { /* into_inner: the owner goes either way */
        emit("if (!mrs_arc_dec(&rc->strong))");
        emit("    return %s;", none(ret));
    } else { /* try_unwrap: only the last owner may take the value, else the Arc comes back */
        emit("size_t one = 1;");
        emit("if (!atomic_compare_exchange_strong(&rc->strong, &one, 0))");
        emit("    return %s;", construct(ret, 1, (char *[]){"rc"}, 1));
    }
    emit("%s = rc->value;", decl(arc->args[0], "value"));
    emit("mrs_vec_free(rc);");
    emit("return %s;", opt ? some(ret, "value") : construct(ret, 0, (char *[]){"value"}, 1));
    end_helper(b, &sv);
    return name;
}

/* mutex_lock_T(const Mutex<T> *m) -> LockResult<MutexGuard<T>>: waits for the lock
 * (mutex_try_lock_T: WouldBlock rather than wait). */
static const char *mutex_lock_fn(Type *mutex, Type *res, bool try)
{
    Type *t = mutex->args[0];
    const char *name = xprintf("mutex_%slock_%s", try ? "try_" : "", mangle(t));
    if (helper_done(name))
        return name;
    Type *g = res->args[0];
    Saved sv;
    StrBuf *b = begin_helper(xprintf("%s %s(%sm)", ctype(res), name, pointer_to(ctype(mutex), true)), &sv);
    if (try) {
        emit("if (!mrs_mutex_try_lock(&m->lock)) /* held by someone: WouldBlock */");
        emit("    return %s;", construct(res, 1, (char *[]){xprintf("(%s){0}", ctype(res->args[1]))}, 1));
        emit("MrsMutex *lock = (MrsMutex *)&m->lock;");
    } else {
        emit("MrsMutex *lock = mrs_mutex_lock(&m->lock); /* waits while another thread holds it */");
    }
    emit("%s = {(%s)&m->value, lock};", decl(g, "guard"), pointer_to(ctype(t), false));
    emit("if (lock->poisoned) /* a thread panicked holding it: the guard comes in the error */");
    emit("    return %s;", construct(res, 1, (char *[]){xprintf(try ? "(%s){true, guard}" : "(%s){guard}", ctype(res->args[1]))}, 1));
    emit("return %s;", construct(res, 0, (char *[]){"guard"}, 1));
    end_helper(b, &sv);
    return name;
}

/* rwlock_read_T / rwlock_write_T(const RwLock<T> *l) -> LockResult<guard>. */
static const char *rwlock_lock_fn(Type *rw, Type *res, bool write, bool try)
{
    Type *t = rw->args[0];
    const char *name = xprintf("rwlock_%s%s_%s", try ? "try_" : "", write ? "write" : "read", mangle(t));
    if (helper_done(name))
        return name;
    Type *g = res->args[0];
    Saved sv;
    StrBuf *b = begin_helper(xprintf("%s %s(%sl)", ctype(res), name, pointer_to(ctype(rw), true)), &sv);
    if (try) {
        emit("if (!mrs_rwlock_try_%s(&l->lock)) /* WouldBlock */", write ? "write" : "read");
        emit("    return %s;", construct(res, 1, (char *[]){xprintf("(%s){0}", ctype(res->args[1]))}, 1));
        emit("MrsRwLock *lock = (MrsRwLock *)&l->lock;");
    } else {
        emit("MrsRwLock *lock = mrs_rwlock_%s(&l->lock); /* waits for %s */", write ? "write" : "read",
             write ? "every reader and writer" : "a writer");
    }
    emit("%s = {%s&l->value, lock};", decl(g, "guard"), write ? xprintf("(%s)", pointer_to(ctype(t), false)) : "");
    emit("if (lock->poisoned)");
    emit("    return %s;", construct(res, 1, (char *[]){xprintf(try ? "(%s){true, guard}" : "(%s){guard}", ctype(res->args[1]))}, 1));
    emit("return %s;", construct(res, 0, (char *[]){"guard"}, 1));
    end_helper(b, &sv);
    return name;
}

/* atomic_compare_exchange_T: Ok(the old value) when it was `current`, else Err(what it was). */
static const char *atomic_cas_fn(Type *at, Type *res)
{
    Type *t = at->args[0];
    const char *name = xprintf("atomic_compare_exchange_%s", mangle(t));
    if (helper_done(name))
        return name;
    Saved sv;
    StrBuf *b = begin_helper(xprintf("%s %s(%sa, %s, %s, int success, int failure)", ctype(res), name,
                                     pointer_to(ctype(at), true), decl(t, "current"), decl(t, "new_value")), &sv);
    emit("%s = current;", decl(t, "seen"));
    emit("if (atomic_compare_exchange_strong_explicit((_Atomic(%s) *)&a->value, &seen, new_value, mrs_order(success), mrs_order(failure)))",
         ctype(t));
    emit("    return %s;", construct(res, 0, (char *[]){"seen"}, 1));
    emit("return %s;", construct(res, 1, (char *[]){"seen"}, 1));
    end_helper(b, &sv);
    return name;
}

/* thread_main_F(void *env, void *result): what a spawned thread runs, for callable type f. */
static const char *thread_main_fn(Type *f, const char *fname, Type *ret)
{
    const char *name = xprintf("thread_main_%s", f->kind == TY_CLOSURE ? mangle(f) : fname);
    if (helper_done(name))
        return name;
    Saved sv;
    StrBuf *b = begin_helper(xprintf("void %s(void *env, void *result)", name), &sv);
    char *call = f->kind == TY_CLOSURE ? call_callable(f, xprintf("(*(%s *)env)", ctype(f)), "")
                                       : xprintf("%s()", fname);
    if (f->kind != TY_CLOSURE)
        emit("(void)env;");
    bool guard = f->kind == TY_CLOSURE && f->clo->kind != FN_ONCE && has_drop(f);
    if (guard) { /* a panic on the thread drops what the closure holds */
        emit("MrsUnwindGuard env_guard = { mrs_unwind_top, env, %s, NULL };", unwind_drop_fn(f));
        emit("mrs_unwind_top = &env_guard;");
    }
    if (is_void(ret)) {
        emit("%s;", call);
        emit("(void)result;");
    } else {
        emit("*(%s)result = %s;", pointer_to(ctype(ret), false), call);
    }
    if (guard)
        emit("mrs_unwind_top = env_guard.prev;");
    if (f->kind == TY_CLOSURE && f->clo->kind != FN_ONCE && has_drop(f)) /* (call_once would have consumed it) */
        emit("%s((%s)env); /* the thread owned the closure: what it captured goes with it */", drop_fn(f),
             pointer_to(ctype(f), false));
    end_helper(b, &sv);
    return name;
}

/* thread::spawn(f), or s.spawn(f) in the scope s: the closure's bytes move to the new
 * thread, which runs it. */
static char *spawn_in(Expr *e, char **a, const char *scope)
{
    Expr *fe = e->args.items[0];
    Type *ft = fe->ty, *ret = e->ty->args[0];
    if (ft->kind != TY_CLOSURE && !(ft->kind == TY_FN && unparen(fe)->kind == EX_PATH)) {
        not_supported(fe->span, "spawning a thread from this callable");
        return dummy(e->ty);
    }
    const char *main = thread_main_fn(ft, a[0], ret);
    const char *rsize = is_void(ret) ? "0" : xprintf("sizeof(%s)", ctype(ret));
    const char *spawn = scope ? xprintf("mrs_scope_spawn(%s, ", scope) : "mrs_thread_spawn(";
    if (ft->kind != TY_CLOSURE)
        return xprintf("(%s){%s%s, NULL, 0, %s)}", ctype(e->ty), spawn, main, rsize);
    char *env = hoist(ft, a[0], "moved"); /* moved into the thread: not dropped here */
    return xprintf("(%s){%s%s, &%s, sizeof %s, %s)}", ctype(e->ty), spawn, main, env, env, rsize);
}

char *thread_spawn(Expr *e, char **a) { return spawn_in(e, a, NULL); }

/* join_T(JoinHandle<T> h) -> Result<T, Box<dyn Any + Send>> (a ScopedJoinHandle's: scoped_join_T). */
static const char *join_fn(Type *h, Type *res)
{
    Type *t = h->args[0];
    bool scoped = ty_is_std(h, STD_SCOPEDJOINHANDLE);
    const char *name = xprintf("%sjoin_%s", scoped ? "scoped_" : "", mangle(t));
    if (helper_done(name))
        return name;
    Saved sv;
    StrBuf *b = begin_helper(xprintf("%s %s(%s)", ctype(res), name, decl(h, "h")), &sv);
    emit("%s = {0};", decl(t, "value"));
    emit("if (!%s(h.thread, %s)) /* it panicked */", scoped ? "mrs_scope_join" : "mrs_thread_join",
         is_void(t) ? "NULL" : "&value");
    emit("    return %s;", construct(res, 1, (char *[]){xprintf("(%s){0}", ctype(res->args[1]))}, 1));
    if (is_void(t))
        emit("(void)value;");
    emit("return %s;", construct(res, 0, (char *[]){"value"}, 1));
    end_helper(b, &sv);
    return name;
}

/* mpsc::channel(): one queue, a Sender and a Receiver sharing it. */
char *channel_new(Expr *e)
{
    Type *t = e->ty->args[0]->args[0];
    char *drop = has_drop(t) ? xprintf("(void (*)(void *))%s", drop_fn(t)) : xstrdup("NULL");
    char *ch = fresh("chan");
    emit("MrsChannel *%s = mrs_channel_new(sizeof(%s), %s);", ch, ctype(t), drop);
    return xprintf("(%s){(%s){%s}, (%s){%s}}", ctype(e->ty), ctype(e->ty->args[0]), ch, ctype(e->ty->args[1]), ch);
}

/* send_T(const Sender<T> *s, T v) -> Result<(), SendError<T>>. */
static const char *send_fn(Type *s, Type *res)
{
    Type *t = s->args[0];
    const char *name = xprintf("send_%s", mangle(t));
    if (helper_done(name))
        return name;
    Saved sv;
    StrBuf *b = begin_helper(xprintf("%s %s(%ss, %s)", ctype(res), name, pointer_to(ctype(s), true), decl(t, "v")), &sv);
    emit("if (!mrs_channel_send(s->chan, &v)) /* the Receiver is gone: v comes back */");
    emit("    return %s;", construct(res, 1, (char *[]){xprintf("(%s){v}", ctype(res->args[1]))}, 1));
    emit("return %s;", construct(res, 0, (char *[]){"(MrsUnit){0}"}, 1));
    end_helper(b, &sv);
    return name;
}

/* recv_T / try_recv_T(const Receiver<T> *r) -> Result<T, RecvError / TryRecvError>. */
static const char *recv_fn(Type *r, Type *res, bool try)
{
    Type *t = r->args[0];
    const char *name = xprintf("%srecv_%s", try ? "try_" : "", mangle(t));
    if (helper_done(name))
        return name;
    Saved sv;
    StrBuf *b = begin_helper(xprintf("%s %s(%sr)", ctype(res), name, pointer_to(ctype(r), true)), &sv);
    emit("%s;", decl(t, "v"));
    if (try) {
        emit("int got = mrs_channel_try_recv(r->chan, &v); /* 0 a value, 1 empty, 2 every Sender gone */");
        emit("if (got != 0)");
        emit("    return %s;", construct(res, 1, (char *[]){xprintf("(%s){.tag = got - 1}", ctype(res->args[1]))}, 1));
    } else {
        emit("if (!mrs_channel_recv(r->chan, &v)) /* waits; empty with every Sender gone */");
        emit("    return %s;", construct(res, 1, (char *[]){xprintf("(%s){0}", ctype(res->args[1]))}, 1));
    }
    emit("return %s;", construct(res, 0, (char *[]){"v"}, 1));
    end_helper(b, &sv);
    return name;
}

char *thread_method(Expr *e, MethodRes *mr, char *p, char **a)
{
    Type *b = mr->self_ty;
    switch (mr->bm) {
    case BM_ARC_STRONG_COUNT:
        if (ty_counted_fat(b))
            return xprintf("atomic_load(&%s->strong)", member(p, "counts"));
        return xprintf("atomic_load(&%s->strong)", postfix_text(p));
    case BM_ARC_PTR_EQ:
        return xprintf("(%s == %s)", p, deref_text(a[0]));
    case BM_ARC_TRY_UNWRAP:
    case BM_ARC_INTO_INNER:
        return xprintf("%s(%s)", arc_unwrap_fn(b, e->ty, mr->bm == BM_ARC_INTO_INNER), p);
    case BM_MUTEX_LOCK:
    case BM_MUTEX_TRY_LOCK:
        return xprintf("%s(%s)", mutex_lock_fn(b, e->ty, mr->bm == BM_MUTEX_TRY_LOCK), addr_text(p));
    case BM_MUTEX_IS_POISONED:
        return xprintf("%s.lock.poisoned", postfix_text(p));
    case BM_MUTEX_INTO_INNER:
    case BM_MUTEX_GET_MUT: {
        char *m = once(b, p);
        bool into = mr->bm == BM_MUTEX_INTO_INNER;
        char *v = into ? member(m, "value") : addr_text(member(m, "value"));
        return xprintf("(%s.lock.poisoned ? %s : %s)", m,
                       construct(e->ty, 1, (char *[]){xprintf("(%s){%s}", ctype(e->ty->args[1]), v)}, 1),
                       construct(e->ty, 0, (char *[]){v}, 1));
    }
    case BM_POISON_INTO_INNER:
        return member(p, "inner");
    case BM_POISON_GET_REF:
        return addr_text(member(p, "inner"));
    case BM_JOIN:
        return xprintf("%s(%s)", join_fn(b, e->ty), p);
    case BM_JOIN_IS_FINISHED:
        return xprintf("mrs_thread_is_finished(%s.thread)", postfix_text(p));
    case BM_SENDER_SEND:
        return xprintf("%s(%s, %s)", send_fn(b, e->ty), addr_text(p), a[0]);
    case BM_RECEIVER_RECV:
    case BM_RECEIVER_TRY_RECV:
        return xprintf("%s(%s)", recv_fn(b, e->ty, mr->bm == BM_RECEIVER_TRY_RECV), addr_text(p));
    case BM_RECEIVER_ITER:
    case BM_RECEIVER_TRY_ITER: /* the iterator is the channel itself */
        return xprintf("(%s){%s.chan}", ctype(e->ty), postfix_text(p));
    case BM_RWLOCK_READ:
    case BM_RWLOCK_WRITE:
    case BM_RWLOCK_TRY_READ:
    case BM_RWLOCK_TRY_WRITE:
        return xprintf("%s(%s)", rwlock_lock_fn(b, e->ty, mr->bm == BM_RWLOCK_WRITE || mr->bm == BM_RWLOCK_TRY_WRITE,
                                                  mr->bm == BM_RWLOCK_TRY_READ || mr->bm == BM_RWLOCK_TRY_WRITE),
                       addr_text(p));
    case BM_RWLOCK_IS_POISONED:
        return xprintf("%s.lock.poisoned", postfix_text(p));
    case BM_RWLOCK_INTO_INNER: {
        char *m = once(b, p);
        return xprintf("(%s.lock.poisoned ? %s : %s)", m,
                       construct(e->ty, 1, (char *[]){xprintf("(%s){%s.value}", ctype(e->ty->args[1]), m)}, 1),
                       construct(e->ty, 0, (char *[]){member(m, "value")}, 1));
    }
    /* atomics: the C11 operation, with the ordering the call names */
    case BM_ATOMIC_LOAD:
        return xprintf("atomic_load_explicit(&%s.value, mrs_order(%s.tag))", postfix_text(p), a[0]);
    case BM_ATOMIC_STORE:
        emit("atomic_store_explicit((_Atomic(%s) *)&%s.value, %s, mrs_order(%s.tag));", ctype(b->args[0]),
             postfix_text(p), a[0], a[1]);
        return NULL;
    case BM_ATOMIC_SWAP:
    case BM_ATOMIC_FETCH_ADD:
    case BM_ATOMIC_FETCH_SUB: {
        const char *op = mr->bm == BM_ATOMIC_SWAP ? "exchange" : mr->bm == BM_ATOMIC_FETCH_ADD ? "fetch_add" : "fetch_sub";
        return xprintf("atomic_%s_explicit((_Atomic(%s) *)&%s.value, %s, mrs_order(%s.tag))", op, ctype(b->args[0]),
                       postfix_text(p), a[0], a[1]);
    }
    case BM_ATOMIC_COMPARE_EXCHANGE:
        return xprintf("%s(%s, %s, %s, %s.tag, %s.tag)", atomic_cas_fn(b, e->ty), addr_text(p), a[0], a[1], a[2], a[3]);
    case BM_ATOMIC_INTO_INNER:
        return xprintf("atomic_load(&%s.value)", postfix_text(p));
    case BM_ATOMIC_GET_MUT:
        return xprintf("(%s)&%s.value", pointer_to(ctype(b->args[0]), false), postfix_text(p));
    /* Duration */
    case BM_DURATION_AS_SECS:
        return member(p, "secs");
    case BM_DURATION_AS_MILLIS:
        return xprintf("(mrs_duration_as_nanos(%s) / 1000000u)", p);
    case BM_DURATION_AS_MICROS:
        return xprintf("(mrs_duration_as_nanos(%s) / 1000u)", p);
    case BM_DURATION_AS_SECS_F64:
        return xprintf("((double)%s + (double)%s / 1e9)", member(p, "secs"), member(p, "nanos"));
    case BM_DURATION_SUBSEC_MILLIS:
        return xprintf("(%s / 1000000u)", member(p, "nanos"));
    case BM_SCOPE_SPAWN: /* a thread the scope joins at its end, if no one did before */
        return spawn_in(e, a, addr_text(p));
    default:
        return NULL;
    }
}

/* `Arc::new(x)`, `Mutex::new(x)` */
char *thread_static_call(Expr *e, char **a)
{
    Type *t = e->ty;
    switch (e->operand->def->bm) {
    case BM_ARC_NEW:
    case BM_RC_FROM: /* Arc::from(T) */
        return xprintf("%s(%s)", arc_new_fn(t), a[0]);
    case BM_MUTEX_NEW:
        return xprintf("(%s){MRS_MUTEX_INIT, %s}", ctype(t), a[0]);
    case BM_RWLOCK_NEW:
        return xprintf("(%s){MRS_RWLOCK_INIT, %s}", ctype(t), a[0]);
    case BM_ATOMIC_NEW:
        return xprintf("(%s){%s}", ctype(t), a[0]);
    case BM_DURATION_FROM_SECS:
        return xprintf("mrs_duration_from_secs(%s)", a[0]);
    case BM_DURATION_FROM_MILLIS:
        return xprintf("mrs_duration_from_millis(%s)", a[0]);
    case BM_DURATION_FROM_MICROS:
        return xprintf("mrs_duration_from_micros(%s)", a[0]);
    case BM_DURATION_FROM_NANOS:
        return xprintf("mrs_duration_from_nanos(%s)", a[0]);
    default:
        return NULL;
    }
}

/* thread::scope(|s| ..): the scope's threads, joined at its end (a panic among them
 * nobody joined panics here). */
char *thread_scope(Expr *e, char **a)
{
    Expr *fe = e->args.items[0];
    char *sc = fresh("scope");
    emit("MrsScope %s;", sc);
    emit("mrs_scope_begin(&%s);", sc);
    char *fv = callable_value(fe, a[0]);
    char *call = call_callable(fe->ty, fv, xprintf("&%s", sc));
    char *r = NULL;
    if (is_void(e->ty))
        emit("%s;", call);
    else
        r = hoist(e->ty, call, "scoped");
    emit("mrs_scope_end(&%s, %s); /* every thread of the scope joined */", sc, loc(e->span));
    return r;
}

void thread_sleep(char **a)
{
    emit("mrs_thread_sleep(%s);", a[0]);
}
