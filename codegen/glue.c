/* glue.c — the helpers each type gets on first use, and trait objects.
 *
 * requires: the C types of ctypes.c;
 * produces: per-type helper functions in CG.helpers: drop glue (drop_T,
 * fields in declaration order, `impl Drop` first), clone_T, eq_T, cmp_T,
 * the derived Debug (debug_T) and Display/Debug of every printable value
 * (fmt_place); the `{ data, vtable }` structs of `dyn Trait` and one
 * constant vtable per (trait, type). */
#include "cg_int.h"

bool helper_done(const char *name)
{
    for (int i = 0; i < cg->done_helpers.len; i++)
        if (strcmp(cg->done_helpers.items[i], name) == 0)
            return true;
    list_push(&cg->done_helpers, (void *)name);
    return false;
}

StrBuf *begin_helper(const char *proto, Saved *sv)
{
    sb_printf(&cg->protos, "static inline %s;\n", proto);
    StrBuf *buf = malloc(sizeof(StrBuf));
    sb_init(buf);
    sv->out = cg->out;
    sv->indent = cg->indent;
    cg->out = buf;
    cg->indent = 1;
    sb_printf(buf, "static inline %s\n{\n", proto);
    return buf;
}

void end_helper(StrBuf *buf, Saved *sv)
{
    sb_puts(buf, "}\n\n");
    sb_puts(&cg->helpers, buf->data);
    sb_free(buf);
    free(buf);
    cg->out = sv->out;
    cg->indent = sv->indent;
}

bool has_drop(Type *t) { return ty_needs_drop(t); }

/* Does dropping a t run an `impl Drop` (directly, through fields, Box, Vec, or a
 * Box<dyn Trait> whose object may have one)? Only such values need an unwind guard:
 * the rest only free memory. `seen` stops the walk at a recursive type. */
/* Does the program implement Drop for any type? Only a drop impl runs the program's own
 * code while a panic unwinds. */
static bool program_has_drop_impl(void)
{
    static Program *for_prog;
    static bool any;
    if (for_prog != cg->prog) {
        for_prog = cg->prog;
        any = false;
        for (int i = 0; i < cg->prog->adts.len && !any; i++)
            any = ((AdtDef *)cg->prog->adts.items[i])->drop_impl != NULL;
    }
    return any;
}

bool runs_user_drop_in(Type *t, AdtDef **seen, int nseen)
{
    switch (t->kind) {
    case TY_ASYNC: /* (its frame may hold anything) */
        return true;
    case TY_STD:
        if (ty_is_std(t, STD_PIN))
            return runs_user_drop_in(t->args[0], seen, nseen);
        /* a RefCell's borrow flag is seen again after a panic only by code running while
         * it unwinds: a drop impl (a RefCell is neither Send nor Sync, and the thread or
         * the program ends with the panic). Without one, no guard for Ref and RefMut. */
        if ((ty_is_std(t, STD_REF) || ty_is_std(t, STD_REFMUT)) && !program_has_drop_impl())
            return false;
        if (ty_is_std(t, STD_BOX) && t->args[0]->kind == TY_DYN)
            return true;
        if (ty_is_guard(t) || ty_is_std(t, STD_SENDER) || ty_is_std(t, STD_RECEIVER) || ty_is_std(t, STD_ARC))
            return true; /* a lock, a borrow flag, a channel's end, a count: others see them go */
        /* a std type drops what its type arguments do: */
        /* fall through */
    case TY_TUPLE:
    case TY_ARRAY:
        for (int i = 0; i < t->nargs; i++)
            if (runs_user_drop_in(t->args[i], seen, nseen))
                return true;
        return false;
    case TY_CLOSURE:
        for (int i = 0; i < t->clo->captures.len; i++) {
            Capture *cp = t->clo->captures.items[i];
            if (cp->mode == CAP_VALUE && runs_user_drop_in(ty_capture_type(t, cp), seen, nseen))
                return true;
        }
        return false;
    case TY_ADT: {
        if (t->adt->drop_impl)
            return true;
        for (int i = 0; i < nseen; i++)
            if (seen[i] == t->adt)
                return false;
        if (nseen == 32)
            return true; /* too deep to tell: guarding is always safe */
        seen[nseen++] = t->adt;
        for (int v = 0; v < t->adt->nvariants; v++)
            for (int i = 0; i < t->adt->variants[v].nfields; i++)
                if (runs_user_drop_in(ty_subst(t->adt->variants[v].fields[i].type, t->args, t->nargs), seen,
                                      nseen))
                    return true;
        return false;
    }
    default:
        return false;
    }
}

bool runs_user_drop(Type *t)
{
    AdtDef *seen[32];
    return runs_user_drop_in(t, seen, 0);
}

/* unwind_drop_T(void *v): drop glue with the signature MrsUnwindGuard calls. */
const char *unwind_drop_fn(Type *t)
{
    const char *glue = drop_fn(t);
    const char *name = xprintf("unwind_%s", glue);
    if (helper_done(name))
        return name;
    Saved sv;
    StrBuf *b = begin_helper(xprintf("void %s(void *v)", name), &sv);
    emit("%s(v);", glue);
    end_helper(b, &sv);
    return name;
}

/* Emit the drop of the object at place `p` (a C lvalue). */
void emit_drop_place(Type *t, const char *p)
{
    if (!has_drop(t))
        return;
    if (ty_is_std(t, STD_PIN)) { /* a Pin<Box<T>> drops as its Box */
        emit_drop_place(t->args[0], p);
        return;
    }
    if (ty_is_std(t, STD_STRING))
        emit("mrs_string_drop(&%s);", p);
    else
        emit("%s(&%s);", drop_fn(t), p);
}

/* The body of drop_T for a std type: what its layout owns. */
static void std_drop_body(Type *t)
{
    if (ty_counted_fat(t) && t->args[0]->kind != TY_DYN) { /* Rc<str>, Rc<[T]>: the elements, then the block */
        Type *el = t->args[0]->kind == TY_SLICE ? t->args[0]->args[0] : NULL;
        if (ty_is_std(t, STD_WEAK)) {
            emit("if (v->counts != NULL && --v->counts->weak == 0)");
            emit("    mrs_vec_free(v->counts);");
            return;
        }
        bool arc = ty_is_std(t, STD_ARC);
        emit(arc ? "if (mrs_arc_dec(&v->counts->strong)) {" : "if (--v->counts->strong == 0) { /* the last owner */");
        cg->indent++;
        if (el && has_drop(el)) {
            emit("for (size_t i = 0; i < v->value.len; i++)");
            emit_drop_place(el, xprintf("((%s)v->value.ptr)[i]", pointer_to(ctype(el), false)));
        }
        if (arc)
            emit("mrs_vec_free(v->counts);");
        else
            emit("if (--v->counts->weak == 0)\n%*s    mrs_vec_free(v->counts);", cg->indent * 4, "");
        cg->indent--;
        emit("}");
        return;
    }
    if (ty_counted_fat(t)) { /* the counts at the block's head; the object's drop through the vtable */
        if (ty_is_std(t, STD_WEAK)) {
            emit("if (v->counts == NULL) /* Weak::new() */");
            emit("    return;");
            emit("v->counts->weak--;");
            emit("if (v->counts->weak == 0)");
            emit("    mrs_vec_free(v->counts);");
        } else if (ty_is_std(t, STD_ARC)) {
            emit("if (mrs_arc_dec(&v->counts->strong)) {");
            emit("    v->vtable->drop(v->data); /* the object's own drop, through the vtable */");
            emit("    mrs_vec_free(v->counts);");
            emit("}");
        } else {
            emit("v->counts->strong--; /* one owner fewer */");
            emit("if (v->counts->strong == 0) {");
            emit("    v->vtable->drop(v->data); /* the object's own drop, through the vtable */");
            emit("    v->counts->weak--;");
            emit("    if (v->counts->weak == 0)");
            emit("        mrs_vec_free(v->counts);");
            emit("}");
        }
        return;
    }
    switch (t->std->id) {
    case STD_HASHMAP: case STD_BTREEMAP: /* each entry's key and value, then the entries and the index */
    case STD_HASHSET: case STD_BTREESET:
        if (has_drop(t->args[0]) || (t->nargs > 1 && has_drop(t->args[1]))) {
            emit("for (size_t i = 0; i < v->len; i++) {");
            cg->indent++;
            emit_drop_place(t->args[0], "v->entries[i].key");
            if (t->nargs > 1)
                emit_drop_place(t->args[1], "v->entries[i].value");
            cg->indent--;
            emit("}");
        }
        emit("mrs_vec_free(v->entries);");
        emit("mrs_map_index_free(&v->index);");
        break;
    case STD_ENTRY: case STD_BTREEENTRY: /* a vacant entry never filled: its key */
        emit("(void)v;");
        if (has_drop(t->args[0])) {
            emit("if (v->index < 0)");
            cg->indent++;
            emit_drop_place(t->args[0], "v->key");
            cg->indent--;
        }
        break;
    case STD_BOX:
        if (t->args[0]->kind == TY_DYN) {
            emit("if (v->data) {");
            emit("    v->vtable->drop(v->data); /* the object's own drop, through the vtable */");
            emit("    mrs_vec_free(v->data);");
            emit("    v->data = NULL;");
            emit("}");
            break;
        }
        emit("if (*v) {");
        cg->indent++;
        emit_drop_place(t->args[0], "(**v)");
        emit("mrs_vec_free(*v);");
        emit("*v = NULL;");
        cg->indent--;
        emit("}");
        break;
    case STD_VEC:
    case STD_VECDEQUE:
        if (has_drop(t->args[0])) {
            emit("for (size_t i = 0; i < v->len; i++)");
            cg->indent++;
            emit_drop_place(t->args[0], "v->ptr[i]");
            cg->indent--;
        }
        if (ty_is_std(t, STD_VECDEQUE)) {
            emit("if (v->ptr)");
            emit("    mrs_vec_free(v->ptr - v->head); /* what was allocated starts head slots before */");
            emit("v->ptr = NULL;");
            emit("v->len = v->cap = v->head = 0;");
            break;
        }
        emit("mrs_vec_free(v->ptr);");
        emit("v->ptr = NULL;");
        emit("v->len = v->cap = 0;");
        break;
    case STD_RC: {
        const char *blk = ctype(t);
        emit("%s = *v;", decl(t, "rc")), (void)blk;
        emit("rc->strong--; /* one owner fewer */");
        emit("if (rc->strong == 0) { /* the last one: the value goes */");
        cg->indent++;
        emit_drop_place(t->args[0], "rc->value");
        emit("rc->weak--; /* and the weak reference the strong owners held together */");
        emit("if (rc->weak == 0)");
        emit("    mrs_vec_free(rc);");
        cg->indent--;
        emit("}");
        break;
    }
    case STD_ARC:
        emit("if (mrs_arc_dec(&(*v)->strong)) { /* the last owner, on whichever thread */");
        cg->indent++;
        emit_drop_place(t->args[0], "(*v)->value");
        emit("mrs_vec_free(*v);");
        cg->indent--;
        emit("}");
        break;
    case STD_MUTEX:
    case STD_RWLOCK:
        emit_drop_place(t->args[0], "v->value");
        break;
    case STD_READGUARD:
        emit("mrs_rwlock_unlock_read(v->lock);");
        break;
    case STD_WRITEGUARD:
        emit("mrs_rwlock_unlock_write(v->lock);");
        break;
    case STD_ATOMIC:
    case STD_DURATION:
    case STD_SCOPE:
    case STD_DEBUGSTRUCT: case STD_DEBUGTUPLE: case STD_DEBUGLIST: case STD_DEBUGSET: case STD_DEBUGMAP:
    case STD_SCOPEDJOINHANDLE:
    case STD_PIN: /* (drop_fn gives P's) */
    case STD_CONTEXT:
    case STD_INSTANT:
        break;
    case STD_WAKER:
        emit("mrs_waker_drop(v); /* one handle on the task's wake flag fewer */");
        break;
    case STD_READY: /* the value, if the poll has not taken it */
        emit_drop_place(ty_adt(cg->prog->option, t->args, 1), "(*v)");
        break;
    case STD_PENDING:
        break;
    case STD_POLLFN:
        emit_drop_place(t->args[0], "(*v)");
        break;
    case STD_JOIN:
    case STD_JOIN3: /* each future not done yet, each output not taken */
        emit("(void)v; /* (when none of them owns anything) */");
        for (int i = 0; i < t->nargs; i++) {
            const char *sub = (const char *[]){"a", "b", "c"}[i];
            if (has_drop(t->args[i]))
                emit("if (!v->%s_done)", sub), cg->indent++, emit_drop_place(t->args[i], xprintf("v->%s", sub)), cg->indent--;
            emit_drop_place(ty_adt(cg->prog->option, (Type *[]){std_future_output_c(t->args[i])}, 1), xprintf("v->%s_out", sub));
        }
        break;
    case STD_MUTEXGUARD:
        emit("mrs_mutex_unlock(v->lock);");
        break;
    case STD_POISONERROR:
    case STD_SENDERROR:
        emit_drop_place(t->args[0], "v->inner");
        break;
    case STD_TRYLOCKERROR: /* (WouldBlock holds no guard) */
        emit("if (v->poisoned) {");
        cg->indent++;
        emit_drop_place(t->args[0], "v->inner");
        cg->indent--;
        emit("}");
        break;
    case STD_JOINHANDLE:
        emit("mrs_thread_detach(v->thread); /* dropped without join: the thread runs on, detached */");
        break;
    case STD_SENDER:
        emit("mrs_channel_drop_sender(v->chan);");
        break;
    case STD_RECEIVER:
        emit("mrs_channel_drop_receiver(v->chan);");
        break;
    case STD_WEAK:
        emit("if (*v == NULL) /* Weak::new(): no block */");
        emit("    return;");
        emit("(*v)->weak--;");
        emit("if ((*v)->weak == 0) /* the value went with the last Rc; now the block goes */");
        emit("    mrs_vec_free(*v);");
        break;
    case STD_CELL:
    case STD_REFCELL:
        emit_drop_place(t->args[0], "v->value");
        break;
    case STD_REF:
        emit("*v->borrow -= 1; /* one reader fewer */");
        break;
    case STD_REFMUT:
        emit("*v->borrow = 0; /* the writer is gone: the RefCell is free */");
        break;
    case STD_STRING: /* emit_drop_place calls the runtime's mrs_string_drop */
    case STD_COUNT:
        emit("mrs_string_drop(v);");
        break;
    }
}

/* drop_T(T *v): drop glue, fields in declaration order. */
const char *drop_fn(Type *t)
{
    if (ty_is_std(t, STD_PIN))
        return drop_fn(t->args[0]);
    if (t->kind == TY_ASYNC) /* (written with the async fn: frame_drop_fn) */
        return xprintf("drop_%s", mangle(t));
    const char *name = xprintf("drop_%s", mangle(t));
    if (helper_done(name))
        return name;
    Saved sv;
    StrBuf *b = begin_helper(xprintf("void %s(%sv)", name, pointer_to(ctype(t), ty_is_counted(t))), &sv); /* (an Rc's handle stays) */
    switch (t->kind) {
    case TY_STD:
        std_drop_body(t);
        break;
    case TY_TUPLE:
        for (int i = 0; i < t->nargs; i++)
            emit_drop_place(t->args[i], xprintf("v->_%d", i));
        break;
    case TY_ITER:
        iter_drop_body(t);
        break;
    case TY_CLOSURE: /* what it captured by value, in capture order */
        for (int i = 0; i < t->clo->captures.len; i++) {
            Capture *cp = t->clo->captures.items[i];
            if (cp->mode == CAP_VALUE)
                emit_drop_place(ty_capture_type(t, cp), xprintf("v->%s", cp->field));
        }
        break;
    case TY_ARRAY:
        emit("for (size_t i = 0; i != %llu; i++)", (unsigned long long)t->len);
        cg->indent++;
        emit_drop_place(t->args[0], "v->a[i]");
        cg->indent--;
        break;
    case TY_ADT: {
        AdtDef *a = t->adt;
        if (a->drop_impl) /* impl Drop: the value's own drop first, then its fields */
            emit("%s(v);%s", t->nargs ? user_impl_fn(t, a->drop_impl->trait, "drop") : a->drop_impl->cname,
                 a->pinned_drop ? " /* PinnedDrop: the value is dropped where it is pinned */" : "");
        if (!a->is_enum) {
            VariantInfo *v = &a->variants[0];
            for (int i = 0; i < v->nfields; i++)
                emit_drop_place(ty_subst(v->fields[i].type, t->args, t->nargs),
                                xprintf("v->%s", v->kind == SK_TUPLE ? xprintf("_%d", i) : v->fields[i].name));
            break;
        }
        emit("switch (%s) {", enum_discr(t, "(*v)"));
        for (int k = 0; k < a->nvariants; k++) {
            VariantInfo *v = &a->variants[k];
            emit("case %s:", variant_case(t, k));
            cg->indent++;
            for (int i = 0; i < v->nfields; i++)
                emit_drop_place(ty_subst(v->fields[i].type, t->args, t->nargs),
                                xprintf("v->%s.%s", v->name, v->kind == SK_TUPLE ? xprintf("_%d", i) : v->fields[i].name));
            emit("break;");
            cg->indent--;
        }
        emit("}");
        break;
    }
    default:
        break;
    }
    end_helper(b, &sv);
    return name;
}

/* box_new_T(T v): Box::new, the value moved to the heap. */
const char *box_new_fn(Type *t)
{
    const char *name = xprintf("box_new_%s", mangle(t));
    if (helper_done(name))
        return name;
    const char *ct = ctype(t);
    Saved sv;
    StrBuf *b = begin_helper(xprintf("%s%s(%s v)", pointer_to(ct, false), name, ct), &sv);
    emit("%sp = mrs_alloc(sizeof *p);", pointer_to(ct, false));
    emit("*p = v;");
    emit("return p;");
    end_helper(b, &sv);
    return name;
}

/* An expression cloning the object at place p (a C lvalue). */
char *clone_place(Type *t, const char *p)
{
    if (ty_is_std(t, STD_PIN))
        return clone_place(t->args[0], p);
    if (t->kind == TY_ADT) {
        const char *user = user_impl_fn(t, trait_named("Clone"), "clone");
        if (user)
            return xprintf("%s(&%s)", user, p);
    }
    if (!has_drop(t) && !ty_is_std(t, STD_REFCELL)) /* (a RefCell's clone starts with its flag free) */
        return xstrdup(p);
    if (ty_is_std(t, STD_STRING))
        return xprintf("mrs_string_clone(&%s)", p);
    return xprintf("%s(&%s)", clone_fn(t), p);
}

const char *clone_fn(Type *t)
{
    const char *name = xprintf("clone_%s", mangle(t));
    if (helper_done(name))
        return name;
    const char *ct = ctype(t);
    Saved sv;
    StrBuf *b = begin_helper(xprintf("%s(%sv)", decl(t, name), pointer_to(ct, true)), &sv);
    if (ty_is_std(t, STD_BOX))
        emit("%s = NULL;", decl(t, "r"));
    else
        emit("%s = *v;", decl(t, "r"));
    switch (t->kind) {
    case TY_STD:
        if (ty_is_std(t, STD_BOX) && t->args[0]->kind != TY_DYN) {
            emit("r = %s(%s);", box_new_fn(t->args[0]), clone_place(t->args[0], "(**v)"));
        } else if (ty_counted_fat(t)) {
            if (ty_is_std(t, STD_ARC))
                emit("mrs_arc_inc(&r.counts->strong); /* one more owner */");
            else if (ty_is_std(t, STD_WEAK))
                emit("if (r.counts != NULL)\n        r.counts->weak++;");
            else
                emit("r.counts->strong++; /* one more owner */");
        } else if (ty_is_std(t, STD_RC)) {
            emit("r->strong++; /* one more owner */");
        } else if (ty_is_std(t, STD_ARC)) {
            emit("mrs_arc_inc(&r->strong); /* one more owner */");
        } else if (ty_is_std(t, STD_SENDER)) {
            emit("mrs_channel_add_sender(r.chan); /* one more sender */");
        } else if (ty_is_std(t, STD_WAKER)) {
            emit("r = mrs_waker_clone(v); /* one more handle on the task's wake flag */");
        } else if (ty_is_std(t, STD_WEAK)) {
            emit("if (r != NULL)");
            emit("    r->weak++; /* one more weak reference */");
        } else if (ty_is_std(t, STD_CELL)) {
            emit("r.value = %s;", clone_place(t->args[0], "v->value"));
        } else if (ty_is_std(t, STD_REFCELL)) { /* RefCell::clone borrows the value to clone it */
            emit("r.borrow = 0;");
            emit("r.value = %s;", clone_place(t->args[0], "v->value"));
        } else if (ty_is_set(t)) { /* the elements one by one, the index as it is */
            emit("r.entries = mrs_vec_alloc(v->len, sizeof *r.entries);");
            emit("r.cap = v->len;");
            emit("for (size_t i = 0; i < v->len; i++) {");
            emit("    r.entries[i].hash = v->entries[i].hash;");
            emit("    r.entries[i].key = %s;", clone_place(t->args[0], "v->entries[i].key"));
            emit("}");
            emit("r.index = mrs_map_index_clone(&v->index);");
        } else if (ty_is_map(t)) { /* the entries one by one, the index as it is */
            emit("r.entries = mrs_vec_alloc(v->len, sizeof *r.entries);");
            emit("r.cap = v->len;");
            emit("for (size_t i = 0; i < v->len; i++) {");
            emit("    r.entries[i].hash = v->entries[i].hash;");
            emit("    r.entries[i].key = %s;", clone_place(t->args[0], "v->entries[i].key"));
            emit("    r.entries[i].value = %s;", clone_place(t->args[1], "v->entries[i].value"));
            emit("}");
            emit("r.index = mrs_map_index_clone(&v->index);");
        } else if (ty_is_vec_like(t)) {
            emit("r.ptr = mrs_vec_alloc(v->len, sizeof *r.ptr);");
            emit("r.cap = v->len;");
            if (ty_is_std(t, STD_VECDEQUE))
                emit("r.head = 0;");
            emit("for (size_t i = 0; i < v->len; i++)");
            emit("    r.ptr[i] = %s;", clone_place(t->args[0], "v->ptr[i]"));
        }
        break;
    case TY_TUPLE:
        for (int i = 0; i < t->nargs; i++)
            if (has_drop(t->args[i]))
                emit("r._%d = %s;", i, clone_place(t->args[i], xprintf("v->_%d", i)));
        break;
    case TY_CLOSURE: /* what it owns is cloned; what it borrows is shared */
        for (int i = 0; i < t->clo->captures.len; i++) {
            Capture *cp = t->clo->captures.items[i];
            Type *ft = ty_capture_type(t, cp);
            if (cp->mode == CAP_VALUE && has_drop(ft))
                emit("r.%s = %s;", cp->field, clone_place(ft, xprintf("v->%s", cp->field)));
        }
        break;
    case TY_ARRAY:
        emit("for (size_t i = 0; i != %llu; i++)", (unsigned long long)t->len);
        emit("    r.a[i] = %s;", clone_place(t->args[0], "v->a[i]"));
        break;
    case TY_ADT: {
        AdtDef *a = t->adt;
        for (int k = 0; k < a->nvariants; k++) {
            VariantInfo *v = &a->variants[k];
            bool any = false;
            for (int i = 0; i < v->nfields; i++)
                any |= has_drop(ty_subst(v->fields[i].type, t->args, t->nargs));
            if (!any)
                continue;
            const char *pre = a->is_enum ? xprintf("%s.", v->name) : "";
            if (a->is_enum)
                emit("if (%s) {", variant_test(t, "(*v)", k));
            for (int i = 0; i < v->nfields; i++) {
                Type *ft = ty_subst(v->fields[i].type, t->args, t->nargs);
                const char *fn = v->kind == SK_TUPLE ? xprintf("_%d", i) : v->fields[i].name;
                if (has_drop(ft))
                    emit("%sr.%s%s = %s;", a->is_enum ? "    " : "", pre, fn, clone_place(ft, xprintf("v->%s%s", pre, fn)));
            }
            if (a->is_enum)
                emit("}");
        }
        break;
    }
    default:
        break;
    }
    emit("return r;");
    end_helper(b, &sv);
    return name;
}

char *str_of_place(Type *t, const char *p)
{
    /* a &str place is an MrsStr; a String place needs as_str */
    if (ty_is_std(t, STD_STRING))
        return xprintf("mrs_string_as_str(&%s)", p);
    return xstrdup(p);
}

char *eq_places(Type *t, const char *a, const char *b)
{
    if (t->kind <= TY_CHAR && t->kind != TY_STR)
        return xprintf("%s == %s", a, b);
    if (t->kind == TY_STR)
        return xprintf("mrs_str_eq(%s, %s)", a, b);
    if (ty_is_std(t, STD_STRING) || (t->kind == TY_REF && t->args[0]->kind == TY_STR))
        return xprintf("mrs_str_eq(%s, %s)", str_of_place(t, a), str_of_place(t, b));
    if (t->kind == TY_PTR) /* raw pointers: their addresses */
        return xprintf("%s == %s", a, b);
    if (ty_is_std(t, STD_DURATION) || ty_is_std(t, STD_INSTANT)) /* { secs, nanos } */
        return xprintf("(%s.secs == %s.secs && %s.nanos == %s.nanos)", postfix_text(a), postfix_text(b),
                       postfix_text(a), postfix_text(b));
    if (is_fat_ref(t))
        return xprintf("%s(&%s, &%s)", eq_fn(t), a, b);
    if (t->kind == TY_REF || ty_is_std(t, STD_BOX))
        return eq_places(t->args[0], xprintf("(*%s)", a), xprintf("(*%s)", b));
    if (ty_is_smart(t))
        return eq_places(t->args[0], smart_deref(t, a), smart_deref(t, b));
    if (is_unit(t))
        return xstrdup("true");
    const char *user = t->kind == TY_ADT ? user_impl_fn(t, cg->prog->partial_eq, "eq") : NULL;
    if (user)
        return xprintf("%s(&%s, &%s)", user, a, b);
    return xprintf("%s(&%s, &%s)", eq_fn(t), a, b);
}

/* For each field of the ADT t (per variant, under a tag test for enums):
 * `test` (a format taking the field comparison of a-> and b->), then `exit`. */
void fieldwise(Type *t, char *(*compare)(Type *, const char *, const char *), const char *test,
                      const char *exit)
{
    AdtDef *a = t->adt;
    const char *in = a->is_enum ? "    " : "";
    for (int k = 0; k < a->nvariants; k++) {
        VariantInfo *v = &a->variants[k];
        if (!v->nfields)
            continue;
        const char *pre = a->is_enum ? xprintf("%s.", v->name) : "";
        if (a->is_enum)
            emit("if (%s) {", variant_test(t, "(*a)", k));
        for (int i = 0; i < v->nfields; i++) {
            Type *ft = ty_subst(v->fields[i].type, t->args, t->nargs);
            const char *fn = v->kind == SK_TUPLE ? xprintf("_%d", i) : v->fields[i].name;
            emit("%s%s", in, xprintf(test, compare(ft, xprintf("a->%s%s", pre, fn), xprintf("b->%s%s", pre, fn))));
            emit("%s    %s", in, exit);
        }
        if (a->is_enum)
            emit("}");
    }
}

const char *eq_fn(Type *t)
{
    const char *name = xprintf("eq_%s", mangle(t));
    if (helper_done(name))
        return name;
    const char *ct = ctype(t);
    Saved sv;
    StrBuf *b = begin_helper(xprintf("bool %s(%sa, %sb)", name, pointer_to(ct, true), pointer_to(ct, true)), &sv);
    switch (t->kind) {
    case TY_STD: /* Vec<T>: eq_places compares String and Box itself */
    case TY_REF: /* slices */
        emit("if (a->len != b->len)");
        emit("    return false;");
        emit("for (size_t i = 0; i < a->len; i++)");
        emit("    if (!(%s))", eq_places(t->args[0]->kind == TY_SLICE ? t->args[0]->args[0] : t->args[0], "a->ptr[i]", "b->ptr[i]"));
        emit("        return false;");
        emit("return true;");
        break;
    case TY_ARRAY:
        emit("for (size_t i = 0; i != %llu; i++)", (unsigned long long)t->len);
        emit("    if (!(%s))", eq_places(t->args[0], "a->a[i]", "b->a[i]"));
        emit("        return false;");
        emit("return true;");
        break;
    case TY_TUPLE:
        for (int i = 0; i < t->nargs; i++)
            emit("if (!(%s))\n        return false;", eq_places(t->args[i], xprintf("a->_%d", i), xprintf("b->_%d", i)));
        emit("return true;");
        break;
    case TY_ADT: {
        AdtDef *a = t->adt;
        if (a == cg->prog->phantom) {
            emit("(void)a;");
            emit("(void)b;");
            emit("return true; /* PhantomData holds nothing */");
            break;
        }
        if (a->builtin && !a->is_enum && a->variants[0].nfields == 0) {
            emit("return a->kind == b->kind;");
            break;
        }
        if (a->is_enum) {
            emit("if (%s != %s)", enum_discr(t, "(*a)"), enum_discr(t, "(*b)"));
            emit("    return false;");
        }
        fieldwise(t, eq_places, "if (!(%s))", "return false;");
        emit("return true;");
        break;
    }
    default:
        emit("return true;");
    }
    end_helper(b, &sv);
    return name;
}

/* cmp: an int expression <0, 0, >0 comparing places a and b (PartialOrd). */
char *cmp_places(Type *t, const char *a, const char *b)
{
    if (t->kind == TY_F64 || t->kind == TY_F32)
        return xprintf("mrs_pcmp_f64(%s, %s)", a, b);
    if (t->kind <= TY_CHAR && t->kind != TY_STR) /* (in this form `c == -1` folds to `a < b`) */
        return xprintf("((%s > %s) | -(%s < %s))", a, b, a, b);
    if (t->kind == TY_STR)
        return xprintf("mrs_str_cmp(%s, %s)", a, b);
    if (ty_is_std(t, STD_STRING) || (t->kind == TY_REF && t->args[0]->kind == TY_STR))
        return xprintf("mrs_str_cmp(%s, %s)", str_of_place(t, a), str_of_place(t, b));
    if (ty_is_std(t, STD_DURATION) || ty_is_std(t, STD_INSTANT))
        return xprintf("mrs_duration_cmp(%s, %s)", a, b);
    if (t->kind == TY_PTR)
        return xprintf("(%s > %s) - (%s < %s)", a, b, a, b);
    if (is_fat_ref(t))
        return xprintf("%s(&%s, &%s)", cmp_fn(t), a, b);
    if (t->kind == TY_REF || ty_is_std(t, STD_BOX))
        return cmp_places(t->args[0], xprintf("(*%s)", a), xprintf("(*%s)", b));
    if (ty_is_smart(t)) /* Rc, Ref: what they point at */
        return cmp_places(t->args[0], smart_deref(t, a), smart_deref(t, b));
    if (t->kind == TY_ADT) {
        const char *user = user_impl_fn(t, trait_named("Ord"), "cmp");
        if (user)
            return xprintf("%s(&%s, &%s).tag", user, a, b);
        user = user_impl_fn(t, cg->prog->partial_ord, "partial_cmp");
        if (user)
            return xprintf("%s(&%s, &%s).Some._0.tag", user, a, b);
    }
    return xprintf("%s(&%s, &%s)", cmp_fn(t), a, b);
}

const char *cmp_fn(Type *t)
{
    const char *name = xprintf("cmp_%s", mangle(t));
    if (helper_done(name))
        return name;
    const char *ct = ctype(t);
    Saved sv;
    StrBuf *b = begin_helper(xprintf("int %s(%sa, %sb)", name, pointer_to(ct, true), pointer_to(ct, true)), &sv);
    emit("int c;");
    switch (t->kind) {
    case TY_STD: /* Vec<T>: cmp_places compares String and Box itself */
    case TY_REF:
    case TY_ARRAY: {
        Type *el = t->kind == TY_REF ? t->args[0]->args[0] : t->args[0];
        const char *pa = t->kind == TY_ARRAY ? "a->a" : "a->ptr", *pb = t->kind == TY_ARRAY ? "b->a" : "b->ptr";
        const char *la = t->kind == TY_ARRAY ? xprintf("%llu", (unsigned long long)t->len) : "a->len";
        const char *lb = t->kind == TY_ARRAY ? la : "b->len";
        emit("for (size_t i = 0; i < %s && i < %s; i++)", la, lb);
        emit("    if ((c = %s) != 0)", cmp_places(el, xprintf("%s[i]", pa), xprintf("%s[i]", pb)));
        emit("        return c;");
        emit("return (%s > %s) - (%s < %s);", la, lb, la, lb);
        break;
    }
    case TY_TUPLE:
        for (int i = 0; i < t->nargs; i++)
            emit("if ((c = %s) != 0)\n        return c;", cmp_places(t->args[i], xprintf("a->_%d", i), xprintf("b->_%d", i)));
        emit("return 0;");
        break;
    case TY_ADT: {
        AdtDef *a = t->adt;
        if (a->reverse_ord) { /* std::cmp::Reverse: b's field against a's */
            emit("(void)c;");
            emit("return %s;", cmp_places(t->args[0], "b->_0", "a->_0"));
            break;
        }
        if (a->is_enum) {
            const char *da = enum_discr(t, "(*a)"), *db = enum_discr(t, "(*b)");
            emit("if (%s != %s)", da, db);
            emit("    return (%s > %s) - (%s < %s);", da, db, da, db);
        }
        fieldwise(t, cmp_places, "if ((c = %s) != 0)", "return c;");
        emit("(void)c;");
        emit("return 0;");
        break;
    }
    default:
        emit("(void)c;");
        emit("return 0;");
    }
    end_helper(b, &sv);
    return name;
}

const char *unsigned_of(Type *t)
{
    static const char *u[] = {"uint8_t", "uint16_t", "uint32_t", "uint64_t", "unsigned __int128", "size_t"};
    return t->kind <= TY_ISIZE ? u[t->kind] : prim_c[t->kind];
}

/* Format the value at C place `p` (type t) through formatter expression `f`
 * (a MrsFormatter *), with trait ft. `p` must be an lvalue for aggregates. */
void fmt_place(const char *f, Type *t, FmtTrait ft, const char *p)
{
    for (;;) { /* through references and smart pointers: what they point at prints */
        if ((t->kind == TY_REF || ty_is_std(t, STD_BOX)) && !is_fat_ref(t))
            p = xprintf("(*%s)", p);
        else if (ty_is_smart(t) && !ty_is_std(t, STD_BOX))
            p = smart_deref(t, p);
        else
            break;
        t = t->args[0];
    }
    if (t->kind == TY_STR || t->kind == TY_SLICE) /* (an Rc<str>'s view: the place of a str is a &str) */
        t = ty_ref(t, false);
    if (ty_is_std(t, STD_WEAK) || ty_is_std(t, STD_POISONERROR) || ty_is_std(t, STD_SENDERROR) ||
        ty_is_std(t, STD_JOINHANDLE) || ty_is_std(t, STD_SENDER) || ty_is_std(t, STD_RECEIVER) ||
        ty_is_std(t, STD_SCOPEDJOINHANDLE)) {
        emit("(void)%s;", p);
        const char *dbg = ty_is_std(t, STD_WEAK) ? "(Weak)" : xprintf("%s { .. }", t->std->name);
        if (ft == FT_DEBUG)
            emit("mrs_fmt_lit(%s, \"%s\");", f, dbg);
        else
            emit("mrs_fmt_pad(%s, MRS_STR(\"%s\"));", f,
                 ty_is_std(t, STD_SENDERROR) ? "sending on a closed channel" : "poisoned lock: another task failed inside");
        return;
    }
    if (ty_is_std(t, STD_ATOMIC)) { /* its value, read atomically */
        char *v = fresh("loaded");
        emit("%s = atomic_load(&%s.value);", decl(t->args[0], v), p);
        fmt_place(f, t->args[0], ft, v);
        return;
    }
    if (ty_is_std(t, STD_DURATION)) {
        emit("mrs_fmt_duration(%s, %s);", f, p);
        return;
    }
    if (t->kind == TY_ITER && (t->iter_kind == ITER_TO_UPPER || t->iter_kind == ITER_TO_LOWER) && ft == FT_DISPLAY) {
        emit("mrs_fmt_case(%s, &%s); /* the chars still to come, without padding (as std) */", f, p);
        return;
    }
    if (ty_is_std(t, STD_TRYLOCKERROR)) {
        if (ft == FT_DEBUG)
            emit("mrs_fmt_lit(%s, %s.poisoned ? \"Poisoned(..)\" : \"\\\"WouldBlock\\\"\"); /* (as std prints it) */", f, p);
        else
            emit("mrs_fmt_pad(%s, %s.poisoned ? MRS_STR(\"poisoned lock: another task failed inside\") : MRS_STR(\"try_lock failed because the operation would block\"));",
                 f, p);
        return;
    }
    if (ty_is_std(t, STD_MUTEX) || ty_is_std(t, STD_RWLOCK)) { /* Mutex { data: 5, poisoned: false, .. } */
        bool rw = ty_is_std(t, STD_RWLOCK);
        emit("mrs_fmt_lit(%s, \"%s { data: \");", f, rw ? "RwLock" : "Mutex");
        emit("if (%s(&%s.lock)) {", rw ? "mrs_rwlock_try_read" : "mrs_mutex_try_lock", p);
        cg->indent++;
        fmt_place(f, t->args[0], FT_DEBUG, xprintf("%s.value", p));
        if (rw)
            emit("mrs_rwlock_unlock_read((MrsRwLock *)&%s.lock);", p);
        else
            emit("mrs_mutex_unlock((MrsMutex *)&%s.lock);", p);
        cg->indent--;
        emit("} else {");
        emit("    mrs_fmt_lit(%s, \"\\\"<locked>\\\"\");", f);
        emit("}");
        emit("mrs_fmt_lit(%s, %s.lock.poisoned ? \", poisoned: true, .. }\" : \", poisoned: false, .. }\");", f, p);
        return;
    }
    if (ty_is_std(t, STD_BOX)) { /* Box<dyn Display> */
        emit("%s.vtable->%s(%s.data, %s);", p, dyn_fmt_entry(t->args[0]->trait, ft), p, f);
        return;
    }
    bool dbg = ft == FT_DEBUG;
    if (ft == FT_LOWER_HEX || ft == FT_UPPER_HEX || ft == FT_OCTAL || ft == FT_BINARY) {
        int radix = ft == FT_OCTAL ? 8 : ft == FT_BINARY ? 2 : 16;
        if (ty_is_int(t) && ty_int_bits(t) == 128) {
            emit("mrs_fmt_radix_u128(%s, (unsigned __int128)%s, %d, %s);", f, p, radix, ft == FT_UPPER_HEX ? "true" : "false");
            return;
        }
        emit("mrs_fmt_radix_u64(%s, (uint64_t)(%s)%s, %d, %s);", f, unsigned_of(t), p, radix,
             ft == FT_UPPER_HEX ? "true" : "false");
        return;
    }
    if (ft == FT_LOWER_EXP || ft == FT_UPPER_EXP) {
        const char *up = ft == FT_UPPER_EXP ? "true" : "false";
        if (t->kind == TY_F64)
            emit("mrs_fmt_exp_f64(%s, %s, %s);", f, p, up);
        else if (t->kind == TY_F32)
            emit("mrs_fmt_exp_f32(%s, %s, %s);", f, p, up);
        else if (ty_is_signed(t))
            emit("mrs_fmt_exp_i64(%s, (int64_t)%s, %s);", f, p, up);
        else
            emit("mrs_fmt_exp_u64(%s, (uint64_t)%s, %s);", f, p, up);
        return;
    }
    switch (t->kind) {
    case TY_I8: case TY_I16: case TY_I32: case TY_I64: case TY_ISIZE:
        emit("mrs_fmt_i64(%s, %s);", f, p);
        return;
    case TY_U8: case TY_U16: case TY_U32: case TY_U64: case TY_USIZE:
        emit("mrs_fmt_u64(%s, %s);", f, p);
        return;
    case TY_I128:
    case TY_U128:
        emit("mrs_fmt_%s128(%s, %s);", t->kind == TY_I128 ? "i" : "u", f, p);
        return;
    case TY_F32:
        emit("mrs_fmt_%sf32(%s, %s);", dbg ? "debug_" : "", f, p);
        return;
    case TY_F64:
        emit("mrs_fmt_%sf64(%s, %s);", dbg ? "debug_" : "", f, p);
        return;
    case TY_BOOL:
        emit("mrs_fmt_bool(%s, %s);", f, p);
        return;
    case TY_CHAR:
        emit("mrs_fmt_%schar(%s, %s);", dbg ? "debug_" : "", f, p);
        return;
    case TY_STD:
        if (ty_is_std(t, STD_STRING)) {
            emit("mrs_fmt_%sstr(%s, mrs_string_as_str(&%s));", dbg ? "debug_" : "", f, p);
            return;
        }
        break;
    case TY_REF: /* &str, &[T], &dyn Display */
        if (t->args[0]->kind == TY_STR) {
            emit("mrs_fmt_%sstr(%s, %s);", dbg ? "debug_" : "", f, p);
            return;
        }
        if (t->args[0]->kind == TY_DYN) {
            emit("%s.vtable->%s(%s.data, %s);", p, dyn_fmt_entry(t->args[0]->trait, ft), p, f);
            return;
        }
        break;
    case TY_ADT:
        if (t->adt == cg->prog->phantom) { /* std prints the type's name, as std::any::type_name */
            emit("(void)%s;", p);
            const char *tn = xprintf("PhantomData<%s>", rust_type_name(t->args[0]));
            emit("mrs_fmt_%s(%s, %s);", dbg ? "lit" : "pad", f, dbg ? c_string(tn, strlen(tn)) : xprintf("MRS_STR(%s)", c_string(tn, strlen(tn))));
            return;
        }
        if (t->adt->builtin && !t->adt->is_enum && !strcmp(t->adt->name, "ParseCharError")) {
            if (dbg)
                emit("mrs_fmt_lit(%s, %s.kind == 1 ? \"ParseCharError { kind: EmptyString }\" : \"ParseCharError { kind: TooManyChars }\");", f, p);
            else
                emit("mrs_fmt_pad(%s, %s.kind == 1 ? MRS_STR(\"cannot parse char from empty string\") : MRS_STR(\"too many characters in string\"));", f, p);
            return;
        }
        if (t->adt->builtin && strchr(t->adt->name, '<')) { /* a thread's panic: Box<dyn Any + Send> */
            emit("(void)%s;", p);
            emit("mrs_fmt_lit(%s, \"Any { .. }\");", f);
            return;
        }
        if (t->adt->builtin && !strcmp(t->adt->name, "RecvError")) {
            emit("(void)%s;", p);
            if (dbg)
                emit("mrs_fmt_lit(%s, \"RecvError\");", f);
            else
                emit("mrs_fmt_pad(%s, MRS_STR(\"receiving on a closed channel\"));", f);
            return;
        }
        if (t->adt->builtin && !strcmp(t->adt->name, "TryRecvError") && !dbg) {
            emit("mrs_fmt_pad(%s, %s.tag == 0 ? MRS_STR(\"receiving on an empty channel\") : MRS_STR(\"receiving on a closed channel\"));",
                 f, p);
            return;
        }
        if (t->adt->builtin && !t->adt->is_enum && !strncmp(t->adt->name, "Borrow", 6)) { /* RefCell's try_borrow */
            bool mut = !strcmp(t->adt->name, "BorrowMutError");
            emit("(void)%s;", p);
            if (dbg)
                emit("mrs_fmt_lit(%s, \"%s\");", f, t->adt->name);
            else
                emit("mrs_fmt_pad(%s, MRS_STR(\"RefCell already %sborrowed\"));", f, mut ? "" : "mutably ");
            return;
        }
        if (t->adt == cg->prog->try_from_int_error) {
            emit("(void)%s; /* it has one message */", p);
            if (dbg)
                emit("mrs_fmt_lit(%s, \"TryFromIntError(())\");", f);
            else
                emit("mrs_fmt_pad(%s, MRS_STR(\"out of range integral type conversion attempted\"));", f);
            return;
        }
        if (t->adt->builtin && !t->adt->is_enum && !strcmp(t->adt->name, "ParseBoolError")) {
            emit("(void)%s; /* it has one message */", p);
            if (dbg)
                emit("mrs_fmt_lit(%s, \"ParseBoolError\");", f);
            else
                emit("mrs_fmt_pad(%s, MRS_STR(\"provided string was not `true` or `false`\"));", f);
            return;
        }
        if ((t->adt == cg->prog->utf8_error || t->adt == cg->prog->from_utf8_error) && !dbg) {
            /* (its Debug is the derived one, over std's fields) */
            const char *ue = t->adt == cg->prog->utf8_error ? p : xprintf("%s.error", p);
            Type *u8t = ty_prim(TY_U8);
            Type *ot = ty_adt(cg->prog->option, &u8t, 1);
            emit("mrs_fmt_utf8_error(%s, %s.valid_up_to, %s.error_len.tag != %s_None ? %s.error_len.Some._0 : 0);", f, ue, ue,
                 mangle(ot), ue);
            return;
        }
        if (t->adt->builtin && !t->adt->is_enum && t->adt->variants[0].nfields == 0) {
            if (dbg)
                emit("mrs_fmt_lit(%s, mrs_parse_error_debug(%s.kind));", f, p);
            else
                emit("mrs_fmt_pad(%s, (MrsStr){(const uint8_t *)mrs_parse_error_text(%s.kind), strlen(mrs_parse_error_text(%s.kind))});",
                     f, p, p);
            return;
        }
        break;
    default:
        break;
    }
    if (is_unit(t)) {
        emit("(void)%s%s%s;", is_ident_text(p) ? "" : "(", p, is_ident_text(p) ? "" : ")");
        emit("mrs_fmt_pad(%s, MRS_STR(\"()\"));", f);
        return;
    }
    if (t->kind == TY_DYN) { /* the place of a dyn value is its fat pointer */
        emit("%s.vtable->%s(%s.data, %s);", p, dyn_fmt_entry(t->trait, ft), p, f);
        return;
    }
    {
        TraitDef *tr = cg->prog->display;
        if (dbg)
            for (int i = 0; i < cg->prog->traits.len; i++)
                if (!strcmp(((TraitDef *)cg->prog->traits.items[i])->name, "Debug"))
                    tr = cg->prog->traits.items[i];
        const char *user = user_impl_fn(t, tr, "fmt");
        if (user) {
            emit("(void)%s(&%s, %s); /* impl fmt::%s for %s */", user, p, f, tr->name, ty_str(t));
            return;
        }
    }
    emit("%s(%s, &%s);", debug_fn(t), f, p);
}

/* What std::any::type_name says for t: the program's types under the crate's name (the
 * file's stem), std's under their paths. */
const char *rust_type_name(Type *t)
{
    t = ty_resolve(t);
    if (t->kind == TY_ADT && !t->adt->builtin) {
        const char *path = cg->opt->src_path, *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        char *crate = xstrdup(base);
        char *dot = strrchr(crate, '.');
        if (dot)
            *dot = 0;
        for (char *q = crate; *q; q++)
            if (*q == '-')
                *q = '_';
        StrBuf sb;
        sb_init(&sb);
        sb_printf(&sb, "%s::%s", crate, t->adt->name);
        for (int i = 0; i < t->nargs; i++)
            sb_printf(&sb, "%s%s", i ? ", " : "<", rust_type_name(t->args[i]));
        if (t->nargs)
            sb_putc(&sb, '>');
        char *r = xstrdup(sb.data);
        sb_free(&sb);
        return r;
    }
    if (ty_is_std(t, STD_STRING))
        return "alloc::string::String";
    if (ty_is_std(t, STD_VEC))
        return xprintf("alloc::vec::Vec<%s>", rust_type_name(t->args[0]));
    if (ty_is_std(t, STD_BOX))
        return xprintf("alloc::boxed::Box<%s>", rust_type_name(t->args[0]));
    if (t->kind == TY_REF)
        return xprintf("&%s%s", t->is_mut ? "mut " : "", rust_type_name(t->args[0]));
    return ty_str(t);
}

/* debug_T(MrsFormatter *f, const T *v): derived Debug. */
const char *debug_fn(Type *t)
{
    const char *name = xprintf("debug_%s", mangle(t));
    if (helper_done(name))
        return name;
    const char *ct = ctype(t);
    Saved sv;
    StrBuf *b = begin_helper(xprintf("void %s(MrsFormatter *f, %sv)", name, pointer_to(ct, true)), &sv);
    if (t->kind == TY_ADT && !t->adt->is_enum && t->adt->variants[0].nfields == 0)
        emit("(void)v;");
    if (t->kind == TY_ADT && t->adt->is_enum && t->adt->nvariants == 0) {
        emit("(void)f;"); /* an enum without variants: there is no value to print */
        emit("(void)v;");
        end_helper(b, &sv);
        return name;
    }
    if (ty_is_std(t, STD_CELL) || ty_is_std(t, STD_REFCELL)) { /* Cell { value: 5 } */
        bool rc = ty_is_std(t, STD_REFCELL);
        emit("MrsDbg d = mrs_dbg_begin(f, \"%s\", MRS_DBG_STRUCT);", rc ? "RefCell" : "Cell");
        emit("mrs_dbg_field(&d, \"value\");");
        if (rc) { /* Debug borrows it, as `try_borrow` does */
            emit("if (v->borrow < 0)");
            emit("    mrs_fmt_lit(f, \"<borrowed>\");");
            emit("else {");
            cg->indent++;
        }
        fmt_place("f", t->args[0], FT_DEBUG, "v->value");
        if (rc) {
            cg->indent--;
            emit("}");
        }
        emit("mrs_dbg_end(&d);");
        end_helper(b, &sv);
        return name;
    }
    if (ty_is_set(t)) { /* {a, b, ...} in the elements' order (Rust's is unspecified) */
        emit("MrsDbg d = mrs_dbg_begin(f, \"\", MRS_DBG_SET);");
        emit("for (size_t i = 0; i < v->len; i++) {");
        cg->indent++;
        emit("mrs_dbg_entry(&d);");
        fmt_place("f", t->args[0], FT_DEBUG, "v->entries[i].key");
        cg->indent--;
        emit("}");
        emit("mrs_dbg_end(&d);");
        end_helper(b, &sv);
        return name;
    }
    if (ty_is_map(t)) { /* {k: v, ...} in the entries' order (Rust's is unspecified) */
        emit("MrsDbg d = mrs_dbg_begin(f, \"\", MRS_DBG_MAP);");
        emit("for (size_t i = 0; i < v->len; i++) {");
        cg->indent++;
        emit("mrs_dbg_key(&d);");
        fmt_place("f", t->args[0], FT_DEBUG, "v->entries[i].key");
        emit("mrs_dbg_value(&d);");
        fmt_place("f", t->args[1], FT_DEBUG, "v->entries[i].value");
        cg->indent--;
        emit("}");
        emit("mrs_dbg_end(&d);");
        end_helper(b, &sv);
        return name;
    }
    switch (t->kind) {
    case TY_STD: /* Vec<T> (fmt_place formats String and Box itself) */
    case TY_ARRAY:
    case TY_REF: { /* Vec, array, slice: [a, b] */
        Type *el = t->kind == TY_REF ? t->args[0]->args[0] : t->args[0];
        emit("MrsDbg d = mrs_dbg_begin(f, \"\", MRS_DBG_LIST);");
        if (t->kind == TY_ARRAY && t->len == 0) {
            emit("(void)v;");
            emit("mrs_dbg_end(&d);");
            break;
        }
        if (t->kind == TY_ARRAY)
            emit("for (size_t i = 0; i != %llu; i++) {", (unsigned long long)t->len);
        else
            emit("for (size_t i = 0; i < v->len; i++) {");
        cg->indent++;
        emit("mrs_dbg_entry(&d);");
        fmt_place("f", el, FT_DEBUG, t->kind == TY_ARRAY ? "v->a[i]" : "v->ptr[i]");
        cg->indent--;
        emit("}");
        emit("mrs_dbg_end(&d);");
        break;
    }
    case TY_TUPLE:
        emit("MrsDbg d = mrs_dbg_begin(f, \"\", MRS_DBG_TUPLE);");
        for (int i = 0; i < t->nargs; i++) {
            emit("mrs_dbg_entry(&d);");
            fmt_place("f", t->args[i], FT_DEBUG, xprintf("v->_%d", i));
        }
        emit("mrs_dbg_end(&d);");
        break;
    case TY_RANGE:
        fmt_place("f", t->args[0], FT_DEBUG, "v->start");
        emit("mrs_fmt_lit(f, \"%s\");", t->inclusive ? "..=" : "..");
        if (!t->len) /* (`a..` has no end) */
            fmt_place("f", t->args[0], FT_DEBUG, "v->end");
        break;
    case TY_ADT: {
        AdtDef *a = t->adt;
        if (a->is_enum)
            emit("switch (%s) {", enum_discr(t, "(*v)"));
        for (int k = 0; k < a->nvariants; k++) {
            VariantInfo *v = &a->variants[k];
            if (a->is_enum) {
                emit("case %s: {", variant_case(t, k));
                cg->indent++;
            }
            const char *pre = a->is_enum ? xprintf("%s.", v->name) : "";
            emit("MrsDbg d = mrs_dbg_begin(f, \"%s\", %s);", v->name,
                 v->kind == SK_NAMED ? "MRS_DBG_STRUCT" : "MRS_DBG_TUPLE");
            for (int i = 0; i < v->nfields; i++) {
                Type *ft = ty_subst(v->fields[i].type, t->args, t->nargs);
                if (v->kind == SK_NAMED)
                    emit("mrs_dbg_field(&d, \"%s\");", v->fields[i].name);
                else
                    emit("mrs_dbg_entry(&d);");
                fmt_place("f", ft, FT_DEBUG,
                          xprintf("v->%s%s", pre, v->kind == SK_TUPLE ? xprintf("_%d", i) : v->fields[i].name));
            }
            emit("mrs_dbg_end(&d);");
            if (a->is_enum) {
                emit("break;");
                cg->indent--;
                emit("}");
            }
        }
        if (a->is_enum)
            emit("}");
        break;
    }
    default:
        emit("(void)f;");
        emit("(void)v;");
    }
    end_helper(b, &sv);
    return name;
}

/* The methods a vtable holds: the supertraits' first, then the trait's own. */
void vtable_methods(TraitDef *tr, List *out)
{
    for (int i = 0; i < tr->supers.len; i++)
        vtable_methods(tr->supers.items[i], out);
    for (int i = 0; i < tr->methods.len; i++) {
        FnDef *f = tr->methods.items[i];
        if (f->self_kind == SELF_REF || f->self_kind == SELF_REF_MUT || f->self_kind == SELF_BOX)
            list_push(out, f);
    }
}

List done_vtables; /* List of char *: vtable structs and instances emitted */

bool vtable_done(const char *name)
{
    for (int i = 0; i < done_vtables.len; i++)
        if (!strcmp(done_vtables.items[i], name))
            return true;
    list_push(&done_vtables, (void *)name);
    return false;
}

/* One entry's C parameter list after `self`. */
char *entry_params(FnDef *f, Type *self, bool names)
{
    StrBuf sb;
    sb_init(&sb);
    sb_printf(&sb, "%svoid *self", f->self_kind == SELF_REF_MUT || f->self_kind == SELF_BOX ? "" : "const ");
    Type *args[1] = {self};
    for (int i = 1; i < f->nparams; i++) {
        Type *pt = ty_subst(f->params[i], args, 1);
        sb_printf(&sb, ", %s", names ? decl(pt, xprintf("a%d", i)) : ctype(pt));
    }
    char *r = xstrdup(sb.data);
    sb_free(&sb);
    return r;
}

/* The Box<dyn Error> (type bt) of error v of type from: an error type boxed with its vtable;
 * a &str or String as a String, whose Display and Debug are the message's. */
char *box_dyn_error(Type *bt, Type *from, const char *v)
{
    if (from == bt)
        return (char *)v;
    if (from->kind == TY_REF) {
        v = xprintf("mrs_string_from(%s)", v);
        from = ty_string();
    }
    return xprintf("(%s){%s(%s), &%s}", ctype(bt), box_new_fn(from), v, vtable_for(cg->prog->error, from));
}

/* Option<&dyn Error>, what Error::source gives. */
Type *error_source_type(void)
{
    Type *r = ty_ref(ty_dyn(cg->prog->error), false);
    return ty_adt(cg->prog->option, &r, 1);
}

/* `e.source()`: through the vtable of a dyn Error, the type's own method, or None. */
char *error_source(Type *b, const char *p)
{
    if (b->kind == TY_DYN)
        return xprintf("%s.vtable->source(%s.data)", p, p);
    const char *own = user_impl_fn(b, cg->prog->error, "source");
    if (own)
        return xprintf("%s(&%s)", own, p);
    emit("(void)%s; /* no source: std's default */", p);
    return none(error_source_type());
}

/* Is tr, or a trait above it, the builtin fmt trait `name` (Display, Debug)? */
static bool fmt_super(TraitDef *tr, const char *name)
{
    if (tr->builtin && !strcmp(tr->name, name))
        return true;
    for (int i = 0; i < tr->supers.len; i++)
        if (fmt_super(tr->supers.items[i], name))
            return true;
    return false;
}

/* The vtable entry that formats a `dyn tr` with ft: `fmt` of a dyn Display or dyn Debug,
 * `fmt_display` / `fmt_debug` of a trait that has them as supertraits (Error's). */
const char *dyn_fmt_entry(TraitDef *tr, FmtTrait ft)
{
    if (tr->builtin && (!strcmp(tr->name, "Display") || !strcmp(tr->name, "Debug")))
        return "fmt";
    return ft == FT_DEBUG ? "fmt_debug" : "fmt_display";
}

void need_vtable_struct(TraitDef *tr)
{
    const char *name = xprintf("%s_VTable", trait_c(tr));
    if (vtable_done(name))
        return;
    Type *self = ty_dyn(tr);
    StrBuf sb;
    sb_init(&sb);
    sb_printf(&cg->forward, "typedef struct %s %s;\n", name, name);
    if (tr->fn_kind) {
        for (int i = 0; i < tr->fn_nparams; i++)
            need_type(tr->fn_params[i]);
        need_type(tr->fn_ret);
        sb_printf(&sb, "/* the vtable of `%s`: the closure's function, and its environment's drop */\nstruct %s {\n",
                  ty_str(self), name);
        sb_printf(&sb, "    %s (*call)(void *env", cret(tr->fn_ret));
        for (int i = 0; i < tr->fn_nparams; i++)
            sb_printf(&sb, ", %s", ctype(tr->fn_params[i]));
        sb_puts(&sb, ");\n    void (*drop)(void *env);\n};\n\n");
        sb_puts(&cg->types, sb.data);
        sb_free(&sb);
        return;
    }
    if (tr->future_out) { /* dyn Future<Output = T>: its poll, and its drop */
        Type *pt = ty_adt(cg->prog->poll, &tr->future_out, 1);
        need_type(pt);
        sb_printf(&sb, "/* the vtable of `%s`: the future's poll, and its drop */\nstruct %s {\n", ty_str(self), name);
        sb_printf(&sb, "    %s (*poll)(void *self, MrsContext *cx);\n    void (*drop)(void *self);\n};\n\n", ctype(pt));
        /* polling one through the pointer that holds it (a Box or an &mut: `data` and `vtable` both) */
        sb_printf(&sb, "#define poll_dyn_%s(p, cx) ((p).vtable->poll((p).data, (cx)))\n\n", trait_c(tr));
        sb_puts(&cg->types, sb.data);
        sb_free(&sb);
        return;
    }
    sb_printf(&sb, "/* the vtable of `dyn %s`: one function pointer per method */\nstruct %s {\n", tr->name, name);
    if (tr->builtin && tr != cg->prog->error) {
        Type *args[2] = {ty_unit(), NULL};
        (void)args;
        sb_puts(&sb, "    void (*fmt)(const void *self, MrsFormatter *f);\n");
        sb_puts(&sb, "    void (*drop)(void *self); /* an Rc<dyn Display> drops the object through this */\n");
    } else {
        List ms = {0};
        vtable_methods(tr, &ms);
        for (int i = 0; i < ms.len; i++) {
            FnDef *f = ms.items[i];
            Type *args[1] = {self};
            sb_printf(&sb, "    %s (*%s)(%s);\n", cret(ty_subst(f->ret, args, 1)), f->name, entry_params(f, self, false));
        }
        if (tr == cg->prog->error) {
            Type *src = error_source_type();
            need_type(src);
            sb_printf(&sb, "    %s (*source)(const void *self); /* Error::source */\n", ctype(src));
        }
        if (fmt_super(tr, "Display"))
            sb_puts(&sb, "    void (*fmt_display)(const void *self, MrsFormatter *f); /* its Display */\n");
        if (fmt_super(tr, "Debug"))
            sb_puts(&sb, "    void (*fmt_debug)(const void *self, MrsFormatter *f); /* its Debug */\n");
        sb_puts(&sb, "    void (*drop)(void *self); /* Box<dyn Trait> drops the object through this */\n");
    }
    sb_puts(&sb, "};\n\n");
    sb_puts(&cg->types, sb.data);
    sb_free(&sb);
}

/* The entries of vtable `name` of closure trait tr for t: `call` and `drop`
 * behind `void *env`. A closure's function gets its env (called as FnOnce,
 * a closure that is only Fn/FnMut is then consumed: its env is dropped after
 * the call, and guarded while it runs); a fn item or pointer is called
 * through the pointer that `env` points to, and owns nothing. */
void fn_vtable(const char *name, TraitDef *tr, Type *t, StrBuf *init)
{
    const char *ct = ctype(t);
    bool is_clo = t->kind == TY_CLOSURE;
    bool consume = is_clo && tr->fn_kind == FN_ONCE && t->clo->kind != FN_ONCE && has_drop(t);
    const char *thunk = xprintf("%s_call", name);
    StrBuf sig, call;
    sb_init(&sig);
    sb_init(&call);
    sb_printf(&sig, "%s %s(void *env", cret(tr->fn_ret), thunk);
    if (is_clo)
        sb_printf(&call, "%s_%s((%s *)env", mangle(t), call_suffix[t->clo->kind], ct);
    else
        sb_printf(&call, "(*(%s *)env)(", ct);
    for (int i = 0; i < tr->fn_nparams; i++) {
        sb_printf(&sig, ", %s", decl(tr->fn_params[i], xprintf("a%d", i)));
        sb_printf(&call, "%sa%d", is_clo || i ? ", " : "", i);
    }
    sb_puts(&sig, ")");
    sb_puts(&call, ")");
    Saved sv;
    StrBuf *b = begin_helper(sig.data, &sv);
    bool guard = consume && runs_user_drop(t);
    if (guard) {
        emit("MrsUnwindGuard env_guard = { mrs_unwind_top, env, %s, NULL }; /* a panic drops the environment */",
             unwind_drop_fn(t));
        emit("mrs_unwind_top = &env_guard;");
    }
    if (consume) {
        if (!is_void(tr->fn_ret))
            emit("%s = %s;", decl(tr->fn_ret, "result"), call.data);
        else
            emit("%s;", call.data);
        if (guard)
            emit("mrs_unwind_top = env_guard.prev;");
        emit("%s((%s *)env); /* FnOnce: the call consumes the environment */", drop_fn(t), ct);
        if (!is_void(tr->fn_ret))
            emit("return result;");
    } else {
        emit("%s%s;", is_void(tr->fn_ret) ? "" : "return ", call.data);
    }
    end_helper(b, &sv);
    sb_free(&sig);
    sb_free(&call);
    sb_printf(init, "    .call = %s,\n", thunk);
    const char *dthunk = xprintf("%s_drop", name);
    Saved dsv;
    StrBuf *db = begin_helper(xprintf("void %s(void *env)", dthunk), &dsv);
    if (is_clo && has_drop(t)) /* a closure never called: what it captured by value */
        emit_drop_place(t, xprintf("(*(%s *)env)", ct));
    else
        emit("(void)env; /* it owns nothing */");
    end_helper(db, &dsv);
    sb_printf(init, "    .drop = %s,\n", dthunk);
}

/* The vtable of trait tr for type t: thunks that turn `const void *self`
 * back into `const T *`, and one constant struct. Returns its name. */
/* The `.drop` entry of vtable `name` for type t (C type ct): a thunk that drops the object. */
static void vtable_drop_entry(const char *name, Type *t, const char *ct, StrBuf *init)
{
    const char *dthunk = xprintf("%s_drop", name);
    Saved dsv;
    StrBuf *db = begin_helper(xprintf("void %s(void *self)", dthunk), &dsv);
    if (has_drop(t))
        emit_drop_place(t, xprintf("(*(%s)self)", pointer_to(ct, false)));
    else
        emit("(void)self;");
    end_helper(db, &dsv);
    sb_printf(init, "    .drop = %s,\n", dthunk);
}

const char *vtable_for(TraitDef *tr, Type *t)
{
    const char *name = xprintf("%s_for_%s", trait_c(tr), mangle(t));
    if (vtable_done(name))
        return name;
    need_vtable_struct(tr);
    const char *ct = ctype(t);
    StrBuf init;
    sb_init(&init);
    if (tr->fn_kind && (t->kind == TY_CLOSURE || t->kind == TY_FN)) {
        fn_vtable(name, tr, t, &init);
    } else if (tr->future_out) { /* the future's own poll behind `void *self` */
        Type *pt = ty_adt(cg->prog->poll, &tr->future_out, 1);
        const char *thunk = xprintf("%s_poll", name);
        Saved sv;
        StrBuf *b = begin_helper(xprintf("%s %s(void *self, MrsContext *cx)", ctype(pt), thunk), &sv);
        emit("return %s((%s)self, cx);", poll_fn_name(t), pointer_to(ct, false));
        end_helper(b, &sv);
        sb_printf(&init, "    .poll = %s,\n", thunk);
        vtable_drop_entry(name, t, ct, &init);
    } else if (tr->builtin && tr != cg->prog->error) { /* dyn Display / dyn Debug */
        Saved sv;
        const char *thunk = xprintf("%s_fmt", name);
        StrBuf *b = begin_helper(xprintf("void %s(const void *self, MrsFormatter *f)", thunk), &sv);
        fmt_place("f", t, !strcmp(tr->name, "Debug") ? FT_DEBUG : FT_DISPLAY, xprintf("(*(%s)self)", pointer_to(ct, true)));
        end_helper(b, &sv);
        sb_printf(&init, "    .fmt = %s,\n", thunk);
        vtable_drop_entry(name, t, ct, &init);
    } else {
        List ms = {0};
        vtable_methods(tr, &ms);
        for (int i = 0; i < ms.len; i++) {
            FnDef *f = ms.items[i];
            /* the impl's method, or the trait's default instantiated at t */
            Type *args[1] = {t};
            const char *target = user_impl_fn(t, f->trait ? f->trait : tr, f->name);
            if (!target)
                target = inst_name(f, args, 1);
            Type *ret = ty_subst(f->ret, args, 1);
            const char *thunk = xprintf("%s_%s", name, f->name);
            Saved sv;
            StrBuf *b = begin_helper(xprintf("%s %s(%s)", cret(ret), thunk, entry_params(f, t, true)), &sv);
            StrBuf call;
            sb_init(&call);
            sb_printf(&call, "%s(self", target);
            for (int k = 1; k < f->nparams; k++)
                sb_printf(&call, ", a%d", k);
            sb_putc(&call, ')');
            emit("%s%s;", is_void(ret) ? "" : "return ", call.data);
            sb_free(&call);
            end_helper(b, &sv);
            sb_printf(&init, "    .%s = %s,\n", f->name, thunk);
        }
        if (tr == cg->prog->error) { /* Error::source: the type's own, or std's default (None) */
            Type *src = error_source_type();
            const char *thunk = xprintf("%s_source", name);
            const char *own = user_impl_fn(t, tr, "source");
            Saved sv;
            StrBuf *b = begin_helper(xprintf("%s %s(const void *self)", ctype(src), thunk), &sv);
            if (own)
                emit("return %s((%s)self);", own, pointer_to(ct, true));
            else
                emit("(void)self;\nreturn %s;", none(src));
            end_helper(b, &sv);
            sb_printf(&init, "    .source = %s,\n", thunk);
        }
        for (int k = 0; k < 2; k++) { /* the Display and Debug of a supertrait */
            if (!fmt_super(tr, k ? "Debug" : "Display"))
                continue;
            const char *thunk = xprintf("%s_fmt_%s", name, k ? "debug" : "display");
            Saved sv;
            StrBuf *b = begin_helper(xprintf("void %s(const void *self, MrsFormatter *f)", thunk), &sv);
            fmt_place("f", t, k ? FT_DEBUG : FT_DISPLAY, xprintf("(*(%s)self)", pointer_to(ct, true)));
            end_helper(b, &sv);
            sb_printf(&init, "    .fmt_%s = %s,\n", k ? "debug" : "display", thunk);
        }
        vtable_drop_entry(name, t, ct, &init);
    }
    sb_printf(&cg->helpers, "/* impl %s for %s: its vtable */\nstatic const %s_VTable %s = {\n%s};\n\n",
              tr->fn_kind ? ty_str(ty_dyn(tr)) + 4 : tr->name, ty_str(t), trait_c(tr), name, init.data);
    sb_free(&init);
    return name;
}
