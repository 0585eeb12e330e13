/* ctypes.c — Rust types as C types.
 *
 * requires: resolved, interned Types (sema/types.c);
 * produces: a readable C name per type instance (`Vec_i32`, `Option_String`,
 * `Tuple2_i32_bool`), its C spelling (ctype, decl, const-correct pointers for
 * `&T` / `&mut T`), and its typedef, written into CG.types after the types
 * it contains (need_type). */
#include "cg_int.h"

const char *prim_c[] = {
    "int8_t", "int16_t", "int32_t", "int64_t", "__int128", "intptr_t",
    "uint8_t", "uint16_t", "uint32_t", "uint64_t", "unsigned __int128", "size_t",
    "float", "double", "bool", "uint32_t", "MrsStr", "void",
};

const char *prim_mangle[] = {
    "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize",
    "f32", "f64", "bool", "char", "str", "never",
};

bool is_unit(Type *t) { return t->kind == TY_TUPLE && t->nargs == 0; }

bool is_never(Type *t) { return t->kind == TY_NEVER; }

bool is_void(Type *t) { return is_unit(t) || is_never(t); }

/* Option<Box<T>> (T sized): Rust keeps None in the pointer, since a Box is never null
 * (the niche), so the value is one pointer. In C it is a struct of an anonymous union:
 * the pointer as `.Some._0`, and its bits as `.tag`, where 0 is None. There is no
 * `_Some` constant: code that tests for Some tests `.tag != ..._None`. */
bool opt_niche(Type *t)
{
    t = ty_resolve(t);
    if (t->kind != TY_ADT || t->adt != cg->prog->option || t->nargs != 1)
        return false;
    Type *b = ty_resolve(t->args[0]);
    if (!ty_is_std(b, STD_BOX) && b->kind != TY_REF)
        return false;
    Type *in = ty_resolve(b->args[0]);
    return in->kind != TY_DYN && in->kind != TY_STR && in->kind != TY_SLICE;
}

/* The discriminant of enum value `place` of type t as a switch reads it, and the label of
 * variant k: `v.tag` and `T_V`, or for a niche Option `(v.tag != T_None ? 1 : 0)` and 0/1. */
const char *enum_discr(Type *t, const char *place)
{
    if (opt_niche(t))
        return xprintf("(%s != %s_None ? 1 : 0)", member(place, "tag"), mangle(t));
    return member(place, "tag");
}

const char *variant_case(Type *t, int k)
{
    if (opt_niche(t))
        return k ? "1 /* Some */" : "0 /* None */";
    return xprintf("%s_%s", mangle(t), t->adt->variants[k].name);
}

/* A test that enum value `place` of type t is variant k. */
const char *variant_test(Type *t, const char *place, int k)
{
    if (opt_niche(t))
        return xprintf("%s %s %s_None", member(place, "tag"), k ? "!=" : "==", mangle(t));
    return xprintf("%s == %s_%s", member(place, "tag"), mangle(t), t->adt->variants[k].name);
}

bool is_fat_ref(Type *t)
{
    return (t->kind == TY_REF &&
            (t->args[0]->kind == TY_STR || t->args[0]->kind == TY_SLICE || t->args[0]->kind == TY_DYN)) ||
           (ty_is_std(t, STD_BOX) && t->args[0]->kind == TY_DYN) || ty_counted_fat(t);
}



/* A trait's name in C: its own, or for a closure trait its signature
 * (`FnMut_i32_to_String`), since `dyn Fn(i32)` and `dyn Fn()` differ. */
const char *trait_c(TraitDef *tr)
{
    if (tr->future_out)
        return xprintf("Future_%s", mangle(tr->future_out));
    if (!tr->fn_kind)
        return tr->name;
    StrBuf sb;
    sb_init(&sb);
    sb_puts(&sb, tr->name);
    for (int i = 0; i < tr->fn_nparams; i++)
        sb_printf(&sb, "_%s", mangle(tr->fn_params[i]));
    if (!is_unit(tr->fn_ret))
        sb_printf(&sb, "_to_%s", mangle(tr->fn_ret));
    char *r = xstrdup(sb.data);
    sb_free(&sb);
    return r;
}

const char *mangle(Type *t)
{
    if (t->kind <= TY_NEVER)
        return prim_mangle[t->kind];
    StrBuf sb;
    sb_init(&sb);
    switch (t->kind) {
    case TY_TUPLE:
        /* `()` is lowercase like the other primitives, so a user's `struct Unit`
         * keeps its name; a tuple says its arity, so that (i32, (i32, i32), i32)
         * and (i32, (i32, i32, i32)) get two names */
        if (t->nargs == 0) {
            sb_puts(&sb, "unit");
            break;
        }
        sb_printf(&sb, "Tuple%d", t->nargs);
        for (int i = 0; i < t->nargs; i++)
            sb_printf(&sb, "_%s", mangle(t->args[i]));
        break;
    case TY_ARRAY: sb_printf(&sb, "Array_%s_%llu", mangle(t->args[0]), (unsigned long long)t->len); break;
    case TY_SLICE: sb_printf(&sb, "Slice_%s", mangle(t->args[0])); break;
    case TY_REF:
        if (t->args[0]->kind == TY_STR)
            sb_puts(&sb, t->is_mut ? "mut_str" : "str");
        else if (t->args[0]->kind == TY_SLICE)
            sb_printf(&sb, "%sSlice_%s", t->is_mut ? "Mut" : "", mangle(t->args[0]->args[0]));
        else if (t->args[0]->kind == TY_DYN)
            sb_printf(&sb, "dyn%s_%s", t->is_mut ? "mut" : "", trait_c(t->args[0]->trait));
        else
            sb_printf(&sb, "%s_%s", t->is_mut ? "mut" : "ref", mangle(t->args[0]));
        break;
    case TY_PTR: sb_printf(&sb, "%s_%s", t->is_mut ? "ptrmut" : "ptr", mangle(t->args[0])); break;
    case TY_FN:
        sb_puts(&sb, "Fn");
        for (int i = 0; i < t->nargs; i++)
            sb_printf(&sb, "_%s", mangle(t->args[i]));
        break;
    case TY_ADT:
        sb_puts(&sb, t->adt->builtin && strchr(t->adt->name, '<') ? "ThreadPanic"
                     : t->adt->builtin && t->adt->nvariants == 5 && !strcmp(t->adt->name, "Ordering") ? "AtomicOrdering"
                     : t->adt->name);
        for (int i = 0; i < t->nargs; i++)
            sb_printf(&sb, "_%s", mangle(t->args[i]));
        break;
    case TY_STD: /* its name and its type arguments': Vec_i32, Box_Node */
        if (ty_is_std(t, STD_ATOMIC)) { /* AtomicUsize, as Rust names it */
            sb_puts(&sb, ty_str(t));
            break;
        }
        sb_puts(&sb, t->std->name);
        if (t->nargs && t->args[0]->kind == TY_DYN)
            sb_printf(&sb, "_dyn_%s", trait_c(t->args[0]->trait));
        else
            for (int i = 0; i < t->nargs; i++)
                sb_printf(&sb, "_%s", mangle(t->args[i]));
        break;
    case TY_RANGE: sb_printf(&sb, "Range%s_%s", t->len ? "From" : t->inclusive ? "Incl" : "", mangle(t->args[0])); break;
    case TY_ASYNC: /* an async fn's future: its frame, after the fn (an instance's name) */
        sb_printf(&sb, "%s_future", async_base_name(t));
        break;
    case TY_ITER: sb_puts(&sb, iter_c_name(t)); break;
    case TY_CLOSURE:
        /* in a generic fn, after the instance: what that instance names its closures */
        if (t->nargs)
            sb_printf(&sb, "%s_closure_%d", inst_name(t->clo->fn, t->args, t->nargs), t->clo->index);
        else
            sb_puts(&sb, t->clo->cname ? t->clo->cname : "closure");
        break;
    default: sb_puts(&sb, "Error"); break;
    }
    char *r = xstrdup(sb.data);
    sb_free(&sb);
    return r;
}

const char *cg_mangle(Type *t) { return mangle(t); }

/* `const T *` / `T *`; when T is itself a pointer the qualifier follows it
 * (`const int32_t *const *` for `&&i32`). */
char *pointer_to(const char *inner, bool is_const)
{
    size_t n = strlen(inner);
    if (n && inner[n - 1] == '*')
        return xprintf("%s%s*", inner, is_const ? "const " : "");
    return xprintf("%s%s *", is_const ? "const " : "", inner);
}

/* The C type of a Rust type (as an object type). `()` is MrsUnit. */
/* The pointee of a pointer (`&T`, `Box<T>`): a struct or enum needs only
 * its forward typedef here; its definition is written once the type being
 * defined now is complete, so that a type holding `Option<Box<Self>>` by
 * value comes after that Option, whichever of the two is asked for first. */
static List deferred;   /* List of Type *: pointees to define */
static int need_depth;

static void need_pointee(Type *t)
{
    if (need_depth > 0 && t->kind == TY_ADT && !t->adt->builtin && !type_done_peek(t))
        list_push(&deferred, t);
    else
        need_type(t);
}

/* The C type a pointer points to (see need_pointee). */
static const char *pointee_ctype(Type *t)
{
    if (t->kind == TY_ADT && !t->adt->builtin && t->adt != cg->prog->formatter) {
        need_pointee(t);
        return mangle(t);
    }
    return ctype(t);
}

const char *ctype(Type *t)
{
    if (t->cname)
        return t->cname;
    const char *r;
    if (t->kind == TY_NEVER || is_unit(t)) {
        r = "MrsUnit";
    } else if (t->kind <= TY_STR) {
        r = prim_c[t->kind];
    } else if (t->kind == TY_REF) {
        Type *in = t->args[0];
        if (in->kind == TY_STR)
            r = "MrsStr";
        else if (in->kind == TY_SLICE || in->kind == TY_DYN) {
            need_type(t);
            r = mangle(t);
        } else
            r = pointer_to(pointee_ctype(in), !t->is_mut);
    } else if (t->kind == TY_PTR) {
        r = pointer_to(pointee_ctype(t->args[0]), !t->is_mut);
    } else if (ty_is_std(t, STD_BOX) && t->args[0]->kind != TY_DYN) {
        r = pointer_to(pointee_ctype(t->args[0]), false); /* an owned T * */
    } else if (ty_counted_fat(t)) { /* a fat pointer: Weak<dyn T> shares Rc<dyn T>'s struct */
        Type *ft = ty_is_std(t, STD_WEAK) ? ty_std(STD_RC, t->args, 1) : t;
        need_type(ft);
        r = mangle(ft);
    } else if (ty_is_std(t, STD_ARC)) {
        need_type(t);
        r = pointer_to(mangle(t), false);
    } else if (ty_is_std(t, STD_RC) || ty_is_std(t, STD_WEAK)) {
        Type *block = ty_std(STD_RC, t->args, 1); /* both point at the counted block */
        need_type(block);
        r = pointer_to(mangle(block), false);
    } else if (ty_is_std(t, STD_STRING)) {
        r = "MrsString";
    } else if (ty_is_std(t, STD_PIN)) {
        r = ctype(t->args[0]); /* Pin<P> is P: what it adds is a promise the checker kept */
    } else if (ty_is_std(t, STD_READY)) { /* its value until the poll takes it */
        r = ctype(ty_adt(cg->prog->option, t->args, 1));
    } else if (ty_is_std(t, STD_PENDING)) {
        r = "MrsUnit";
    } else if (ty_is_std(t, STD_POLLFN)) { /* the closure */
        r = ctype(t->args[0]);
    } else if (ty_is_std(t, STD_CONTEXT)) {
        r = "MrsContext";
    } else if (ty_is_std(t, STD_WAKER)) {
        r = "MrsWaker";
    } else if (t->kind == TY_STD && (t->std->families & FAM_DBGB)) {
        r = "MrsDbg";
    } else if (ty_is_std(t, STD_INSTANT)) {
        r = "MrsInstant";
    } else if (ty_is_std(t, STD_DURATION)) {
        r = "MrsDuration";
    } else if (ty_is_std(t, STD_SCOPE)) {
        r = "MrsScope";
    } else if (t->kind == TY_ADT && t->adt == cg->prog->formatter) {
        r = "MrsFormatter";
    } else if (t->kind == TY_ITER) {
        switch (t->iter_kind) {
        case ITER_CHARS: r = "MrsChars"; break;
        case ITER_CHAR_INDICES: r = "MrsCharIndices"; break;
        case ITER_TO_UPPER: case ITER_TO_LOWER: r = "MrsCaseIter"; break;
        case ITER_SPLIT: r = "MrsSplit"; break;
        case ITER_SPLIT_WS: r = "MrsSplitWs"; break;
        case ITER_LINES: r = "MrsLines"; break;
        case ITER_RECV:
        case ITER_TRY_RECV: r = "MrsRecvIter"; break;
        default:
            need_type(t);
            r = mangle(t);
        }
    } else {
        need_type(t);
        r = mangle(t);
    }
    t->cname = (char *)r;
    return r;
}

/* Return type of a C function for a Rust return type. */
const char *cret(Type *t) { return is_void(t) ? "void" : ctype(t); }

/* A declaration `T name` (pointer declarators read naturally: `const int32_t *p`). */
char *decl(Type *t, const char *name)
{
    if (frame_field(t, name)) /* in an async fn's frame: assigned, not declared */
        return xstrdup(name);
    const char *ct = ctype(t);
    size_t n = strlen(ct);
    if (n && ct[n - 1] == '*')
        return xprintf("%s%s", ct, name);
    return xprintf("%s %s", ct, name);
}

/* A local's declaration with the seed's const-correctness: an immutable
 * binding of a reference is a const pointer (`const int32_t *const p`), a
 * mutable one a plain pointer; immutable scalars are const. */
char *local_decl(Local *l, bool initialized)
{
    Type *t = l->type;
    if (frame_field(t, l->cname))
        return xstrdup(l->cname);
    const char *ct = ctype(t);
    size_t n = strlen(ct);
    /* (drop glue writes a Box, a String, a Vec; an Rc's is only read: the block changes, not the pointer) */
    bool immut = !l->is_mut && initialized && !l->assigned_later && (t->kind != TY_STD || ty_is_counted(t));
    if (n && ct[n - 1] == '*')
        return xprintf("%s%s%s", ct, immut ? "const " : "", l->cname);
    bool scalar = t->kind <= TY_CHAR || (is_fat_ref(t) && t->kind == TY_REF);
    return xprintf("%s%s %s", immut && scalar ? "const " : "", ct, l->cname);
}

bool type_done_peek(Type *t) { return t->cg != NULL; }

bool type_done(Type *t)
{
    if (t->cg)
        return true;
    t->cg = (void *)1;
    return false;
}

void def_struct_fields(StrBuf *sb, Type *self, VariantInfo *v, const char *indent)
{
    for (int i = 0; i < v->nfields; i++) {
        Type *ft = ty_subst(v->fields[i].type, self->args, self->nargs);
        const char *fname = v->kind == SK_TUPLE ? xprintf("_%d", i) : v->fields[i].name;
        if (ty_is_std(ft, STD_PIN)) /* a plain pointer; the comment says what the type promised */
            sb_printf(sb, "%s%s; /* pinned: %s, what it points at is never moved */\n", indent, decl(ft, fname),
                      ty_str(ft));
        else if (self->kind == TY_ADT && self->adt->projected)
            sb_printf(sb, "%s%s; /* not pinned: %s */\n", indent, decl(ft, fname), ty_str(ft));
        else if (v->fields[i].pinned)
            sb_printf(sb, "%s%s; /* #[pin]: projected as Pin<&mut %s> */\n", indent, decl(ft, fname), ty_str(ft));
        else
            sb_printf(sb, "%s%s;\n", indent, decl(ft, fname));
    }
}

const char *kind_name[] = {"", "Fn", "FnMut", "FnOnce"};

const char *call_suffix[] = {"", "call", "call_mut", "call_once"};

/* The C type of a capture's field: a pointer for a borrow, the value itself
 * for a move. */
Type *capture_field_type(Type *t, Capture *cp)
{
    Type *ct = ty_capture_type(t, cp);
    return cp->mode == CAP_VALUE ? ct : ty_ref(ct, cp->mode == CAP_MUT);
}

/* A closure's environment: one field per captured place, in the order the
 * body first uses them, each commented with its mode, type and reason. */
void closure_struct(StrBuf *sb, Type *t)
{
    Closure *clo = t->clo;
    const char *name = mangle(t);
    if (helper_done(xprintf("struct %s", name)))
        return; /* the same closure at the same instance, met through another Type */
    for (int i = 0; i < clo->captures.len; i++)
        need_type(capture_field_type(t, clo->captures.items[i]));
    Span sp = clo->expr->span;
    sb_printf(sb, "/* the closure at %d:%d, `%s`", sp.line, sp.col, kind_name[clo->kind]);
    if (clo->kind_cap)
        sb_printf(sb, " because %s", clo->kind_cap->why);
    sb_printf(sb, ":\n * its captured environment */\ntypedef struct %s {\n", name);
    for (int i = 0; i < clo->captures.len; i++) {
        Capture *cp = clo->captures.items[i];
        Type *ft = capture_field_type(t, cp);
        const char *mode = cp->mode == CAP_VALUE ? "by value" : cp->mode == CAP_MUT ? "by unique borrow" : "by shared borrow";
        sb_printf(sb, "    %s; /* %s `%s`, %s: %s%s%s */\n", decl(ft, cp->field), mode, cp->place, ty_str(ft), cp->why,
                  cp == clo->kind_cap ? " => " : "", cp == clo->kind_cap ? kind_name[clo->kind] : "");
    }
    if (!clo->captures.len)
        sb_puts(sb, "    uint8_t unit; /* captures nothing (C structs cannot be empty) */\n");
    sb_printf(sb, "} %s;\n\n", name);
}

/* The structs of the std types of shared ownership and interior mutability. */
static void std_struct(StrBuf *sb, Type *t, const char *name)
{
    Type *v = t->args[0];
    need_type(v);
    switch (t->std->id) {
    case STD_HASHMAP: case STD_BTREEMAP:
    case STD_HASHSET: case STD_BTREESET:
    case STD_ENTRY: case STD_BTREEENTRY:
        map_struct(sb, t, name);
        break;
    case STD_JOIN:
    case STD_JOIN3: { /* the futures, each replaced by its output once it is done */
        static const char *const sub[3] = {"a", "b", "c"};
        int n = t->nargs;
        Type *o[3];
        for (int i = 0; i < n; i++) {
            need_type(t->args[i]);
            o[i] = ty_adt(cg->prog->option, (Type *[]){std_future_output_c(t->args[i])}, 1);
            need_type(o[i]);
        }
        sb_printf(sb, "/* %s: %s futures polled in turn; a finished one is dropped and its output\n"
                      " * kept until all are done */\ntypedef struct %s {\n", ty_str(t), n == 2 ? "two" : "three", name);
        for (int i = 0; i < n; i++)
            sb_printf(sb, "    %s;\n", decl(t->args[i], sub[i]));
        for (int i = 0; i < n; i++)
            sb_printf(sb, "    bool %s_done;\n", sub[i]);
        for (int i = 0; i < n; i++)
            sb_printf(sb, "    %s;\n", decl(o[i], xprintf("%s_out", sub[i])));
        sb_printf(sb, "} %s;\n\n", name);
        break;
    }
    case STD_RC:
        sb_printf(sb, "/* %s: the counted block an Rc points at. strong: the Rc handles; weak: the Weak\n"
                      " * handles, plus one that all the strong ones hold together. The value is dropped\n"
                      " * when strong reaches 0, the block freed when weak does. */\n"
                      "struct %s {\n    size_t strong;\n    size_t weak;\n    %s;\n};\n\n",
                  ty_str(t), name, decl(v, "value"));
        break;
    case STD_CELL:
        sb_printf(sb, "/* %s: only the value. It is written through `const` pointers too: a Cell is\n"
                      " * an UnsafeCell, whose contents a shared reference may change */\n"
                      "typedef struct %s {\n    %s;\n} %s;\n\n",
                  ty_str(t), name, decl(v, "value"), name);
        break;
    case STD_REFCELL:
        sb_printf(sb, "/* %s: the value and its borrow flag, checked at run time:\n"
                      " * 0 free, n > 0 that many Ref guards, -1 one RefMut */\n"
                      "typedef struct %s {\n    intptr_t borrow;\n    %s;\n} %s;\n\n",
                  ty_str(t), name, decl(v, "value"), name);
        break;
    case STD_REF:
    case STD_REFMUT: {
        bool mut = ty_is_std(t, STD_REFMUT);
        sb_printf(sb, "/* %s: a %s borrow of a RefCell, released at its drop */\n"
                      "typedef struct %s {\n    %s;\n    intptr_t *borrow; /* the RefCell's flag */\n} %s;\n\n",
                  ty_str(t), mut ? "mutable" : "shared", name, decl(ty_ref(v, mut), "value"), name);
        break;
    }
    case STD_ARC:
        sb_printf(sb, "/* %s: the counted block an Arc points at; its count changes atomically, since\n"
                      " * owners on several threads clone and drop it */\n"
                      "struct %s {\n    atomic_size_t strong;\n    %s;\n};\n\n",
                  ty_str(t), name, decl(v, "value"));
        break;
    case STD_MUTEX:
    case STD_RWLOCK: {
        bool rw = ty_is_std(t, STD_RWLOCK);
        sb_printf(sb, "/* %s: the value behind a %slock, and the lock's poison flag */\n"
                      "typedef struct %s {\n    %s lock;\n    %s;\n} %s;\n\n",
                  ty_str(t), rw ? "readers-writer " : "", name, rw ? "MrsRwLock" : "MrsMutex", decl(v, "value"), name);
        break;
    }
    case STD_MUTEXGUARD:
    case STD_READGUARD:
    case STD_WRITEGUARD: {
        bool w = !ty_is_std(t, STD_READGUARD);
        sb_printf(sb, "/* %s: the %s value; its drop unlocks */\n"
                      "typedef struct %s {\n    %s;\n    %s *lock;\n} %s;\n\n",
                  ty_str(t), ty_is_std(t, STD_MUTEXGUARD) ? "locked" : w ? "written" : "read", name,
                  decl(ty_ref(v, w), "value"), ty_is_std(t, STD_MUTEXGUARD) ? "MrsMutex" : "MrsRwLock", name);
        break;
    }
    case STD_TRYLOCKERROR:
        sb_printf(sb, "/* %s: WouldBlock, or Poisoned with the guard */\n"
                      "typedef struct %s {\n    bool poisoned;\n    %s;\n} %s;\n\n",
                  ty_str(t), name, decl(v, "inner"), name);
        break;
    case STD_POISONERROR:
    case STD_SENDERROR:
        sb_printf(sb, "/* %s: what %s gives back */\ntypedef struct %s {\n    %s;\n} %s;\n\n", ty_str(t),
                  ty_is_std(t, STD_SENDERROR) ? "a failed send" : "a poisoned lock", name, decl(v, "inner"), name);
        break;
    case STD_ATOMIC:
        sb_printf(sb, "/* %s: a value every access of which is atomic */\n"
                      "typedef struct %s {\n    _Atomic(%s) value;\n} %s;\n\n",
                  ty_str(t), name, ctype(v), name);
        break;
    case STD_SCOPEDJOINHANDLE:
    case STD_JOINHANDLE:
        sb_printf(sb, "/* %s: the thread, whose result join() takes */\n"
                      "typedef struct %s {\n    MrsThread *thread;\n} %s;\n\n",
                  ty_str(t), name, name);
        break;
    case STD_SENDER:
    case STD_RECEIVER:
        sb_printf(sb, "/* %s: one end of a channel of %s */\ntypedef struct %s {\n    MrsChannel *chan;\n} %s;\n\n",
                  ty_str(t), ty_str(v), name, name);
        break;
    default:
        ICE("std_struct: %s", ty_str(t));
    }
}

void need_type(Type *t)
{
    need_depth++;
    need_type_now(t);
    if (--need_depth == 0)
        for (int i = 0; i < deferred.len; i++) {
            Type *d = deferred.items[i];
            deferred.items[i] = NULL;
            if (d) {
                need_depth++;
                need_type_now(d);
                need_depth--;
            }
        }
    if (need_depth == 0)
        deferred.len = 0;
}

/* The C name an async future type's frame and poll are named after: the async fn's
 * (`fetch`, an instance's), or the async block's (`main_async_0`, after an instance's name). */
char *async_base_name(Type *t)
{
    Closure *clo = t->async_fn->async_block;
    if (clo)
        return t->nargs ? xprintf("%s_async_%d", inst_name(clo->fn, t->args, t->nargs), clo->index) : clo->cname;
    return t->nargs ? inst_name(t->async_fn, t->args, t->nargs) : t->async_fn->cname;
}

void need_type_now(Type *t)
{
    if (t->kind == TY_ASYNC) { /* (an async fn's frame is written with the fn: cg_async_fn) */
        if (t->async_fn->async_block)
            emit_async_block(t);
        return;
    }
    if (t->kind <= TY_STR || ty_is_std(t, STD_STRING) || is_unit(t) || t->kind == TY_NEVER ||
        ty_is_std(t, STD_DURATION) || ty_is_std(t, STD_SCOPE) || ty_is_std(t, STD_CONTEXT) ||
        ty_is_std(t, STD_WAKER) || ty_is_std(t, STD_INSTANT) ||
        (t->kind == TY_STD && (t->std->families & FAM_DBGB))) /* (the runtime's types) */
        return;
    if (ty_is_std(t, STD_PIN) || ty_is_std(t, STD_POLLFN)) { /* (P's, the closure's) */
        need_type_now(t->args[0]);
        return;
    }
    if (ty_is_std(t, STD_READY)) {
        need_type_now(ty_adt(cg->prog->option, t->args, 1));
        return;
    }
    if (ty_is_std(t, STD_PENDING))
        return;
    if (iter_in_runtime(t)) /* MrsChars, MrsSplit ... */
        return;
    if (t->kind == TY_ADT && t->adt == cg->prog->formatter)
        return;
    if (t->kind == TY_REF && t->args[0]->kind == TY_STR)
        return; /* MrsStr */
    if ((t->kind == TY_REF && !is_fat_ref(t)) || t->kind == TY_PTR ||
        (ty_is_std(t, STD_BOX) && t->args[0]->kind != TY_DYN)) {
        need_pointee(t->args[0]);
        return;
    }
    if ((ty_is_std(t, STD_RC) || ty_is_std(t, STD_ARC)) && !ty_counted_fat(t)) { /* the counted block, once what it holds is complete */
        if (!helper_done(xprintf("typedef %s", mangle(t))))
            sb_printf(&cg->forward, "typedef struct %s %s;\n", mangle(t), mangle(t));
        if (need_depth > 1) {
            list_push(&deferred, t);
            return;
        }
    }
    if (ty_is_std(t, STD_WEAK))
        return; /* an Rc's block */
    if (type_done(t))
        return;
    const char *name = mangle(t);
    StrBuf sb;
    sb_init(&sb);
    switch (t->kind) {
    case TY_TUPLE:
        for (int i = 0; i < t->nargs; i++)
            need_type(t->args[i]);
        sb_printf(&sb, "/* %s */\ntypedef struct %s {\n", ty_str(t), name);
        for (int i = 0; i < t->nargs; i++)
            sb_printf(&sb, "    %s;\n", decl(t->args[i], xprintf("_%d", i)));
        sb_printf(&sb, "} %s;\n\n", name);
        break;
    case TY_ARRAY:
        need_type(t->args[0]);
        sb_printf(&sb, "/* %s */\ntypedef struct %s {\n    %s;\n} %s;\n\n", ty_str(t), name,
                  decl(t->args[0], xprintf("a[%llu]", (unsigned long long)(t->len ? t->len : 1))), name);
        break;
    case TY_STD:
        if (ty_counted_fat(t) && t->args[0]->kind != TY_DYN) { /* Rc<str>, Rc<[T]> */
            Type *view = ty_ref(t->args[0], false);
            need_type(view);
            sb_printf(&sb, "/* %s: a view of what follows the counts in the block, and the counts */\n"
                           "typedef struct %s {\n    %s;\n    %s *counts;\n} %s;\n\n",
                      ty_str(t), name, decl(view, "value"), ty_is_std(t, STD_ARC) ? "MrsArcCounts" : "MrsRcCounts", name);
        } else if (ty_counted_fat(t)) { /* Rc<dyn Trait> */
            TraitDef *tr = t->args[0]->trait;
            sb_printf(&cg->forward, "typedef struct %s %s;\n", name, name);
            need_vtable_struct(tr);
            sb_printf(&sb, "/* %s: the object in a counted block, its vtable, and the block's counts */\n"
                           "typedef struct %s {\n    void *data;\n    const %s_VTable *vtable;\n    %s *counts;\n} %s;\n\n",
                      ty_str(t), name, trait_c(tr), ty_is_std(t, STD_ARC) ? "MrsArcCounts" : "MrsRcCounts", name);
        } else if (ty_is_std(t, STD_BOX)) { /* Box<dyn Trait> */
            TraitDef *tr = t->args[0]->trait;
            /* named first: the vtable's methods may take or return one (`self: Box<Self>`) */
            sb_printf(&cg->forward, "typedef struct %s %s;\n", name, name);
            need_vtable_struct(tr);
            sb_printf(&sb, "/* %s: an owned object and its vtable */\ntypedef struct %s {\n    void *data;\n    const %s_VTable *vtable;\n} %s;\n\n",
                      ty_str(t), name, trait_c(tr), name);
        } else if (!ty_is_vec_like(t)) {
            std_struct(&sb, t, name);
        } else { /* Vec<T>; a VecDeque<T> has room before ptr too */
            need_type(t->args[0]);
            sb_printf(&sb, "/* %s */\ntypedef struct %s {\n    %s;\n    size_t len;\n    size_t cap;\n%s} %s;\n\n",
                      ty_str(t), name, decl(t->args[0], "*ptr"),
                      ty_is_std(t, STD_VECDEQUE) ? "    size_t head; /* free slots before ptr: the room push_front uses */\n"
                                                 : "", name);
        }
        break;
    case TY_REF: { /* &[T] / &mut [T] / &dyn Trait */
        if (t->args[0]->kind == TY_DYN) {
            TraitDef *tr = t->args[0]->trait;
            sb_printf(&cg->forward, "typedef struct %s %s;\n", name, name);
            need_vtable_struct(tr);
            sb_printf(&sb, "/* %s: a fat pointer, the object and its vtable */\ntypedef struct %s {\n    %svoid *data;\n    const %s_VTable *vtable;\n} %s;\n\n",
                      ty_str(t), name, t->is_mut ? "" : "const ", trait_c(tr), name);
            break;
        }
        Type *el = t->args[0]->args[0];
        need_type(el);
        sb_printf(&sb, "/* %s */\ntypedef struct %s {\n    %s;\n    size_t len;\n} %s;\n\n", ty_str(t), name,
                  decl(ty_ref(el, t->is_mut), "ptr"), name); /* (`Rc_T *const *ptr` for &[Rc<T>]) */
        break;
    }
    case TY_RANGE:
        need_type(t->args[0]);
        sb_printf(&sb, "/* %s */\ntypedef struct %s {\n    %s;\n    %s;\n%s} %s;\n\n", ty_str(t), name,
                  decl(t->args[0], "start"), decl(t->args[0], "end"),
                  t->inclusive ? "    bool exhausted; /* iterated past end */\n" : "", name);
        break;
    case TY_ITER: /* an iterator held in a variable (citer.c) */
        iter_struct(&sb, t, name);
        break;
    case TY_CLOSURE:
        closure_struct(&sb, t);
        break;
    case TY_FN: {
        for (int i = 0; i < t->nargs; i++)
            need_type(t->args[i]);
        sb_printf(&sb, "/* %s */\ntypedef %s (*%s)(", ty_str(t), cret(t->args[t->nargs - 1]), name);
        for (int i = 0; i + 1 < t->nargs; i++)
            sb_printf(&sb, "%s%s", i ? ", " : "", ctype(t->args[i]));
        sb_printf(&sb, "%s);\n\n", t->nargs == 1 ? "void" : "");
        break;
    }
    case TY_ADT: {
        AdtDef *a = t->adt;
        for (int v = 0; v < a->nvariants; v++)
            for (int i = 0; i < a->variants[v].nfields; i++)
                need_type(ty_subst(a->variants[v].fields[i].type, t->args, t->nargs));
        if (!a->is_enum) {
            VariantInfo *v = &a->variants[0];
            if (a->builtin && strcmp(a->name, "ParseIntError") == 0) {
                sb_printf(&sb, "/* std::num::ParseIntError */\ntypedef struct %s {\n    int kind; /* MRS_PARSE_* */\n} %s;\n\n",
                          name, name);
                break;
            }
            if (a == cg->prog->phantom) {
                sb_printf(&sb, "/* %s: no data, it only names its type */\ntypedef struct %s {\n    uint8_t unit; /* C structs cannot be empty */\n} %s;\n\n",
                          ty_str(t), name, name);
                break;
            }
            if (a->builtin && v->nfields == 0) { /* ParseFloatError, BorrowError, RecvError, a thread's panic ... */
                sb_printf(&sb, "/* %s */\ntypedef struct %s {\n    int kind; /* MRS_PARSE_* for the parse errors */\n} %s;\n\n",
                          a->name, name, name);
                break;
            }
            sb_printf(&cg->forward, "typedef struct %s %s;\n", name, name);
            if (a->projected)
                sb_printf(&sb, "/* %s: what `.%s()` gives for a pinned %s (#[pin_project]) */\nstruct %s {\n",
                          ty_str(t), a == a->projected->proj ? "project" : "project_ref", a->projected->name, name);
            else
                sb_printf(&sb, "/* struct %s%s */\nstruct %s {\n", ty_str(t), a->pin_project ? " (#[pin_project])" : "",
                          name);
            def_struct_fields(&sb, t, v, "    ");
            if (v->nfields == 0)
                sb_puts(&sb, "    uint8_t unit; /* C structs cannot be empty */\n");
            sb_puts(&sb, "};\n\n");
            break;
        }
        if (a->nvariants == 0) { /* C has no empty enum; no value of this type exists */
            sb_printf(&cg->forward, "typedef struct %s %s;\n", name, name);
            sb_printf(&sb, "/* enum %s: no variants, so no value */\ntypedef int %s_Tag;\n\nstruct %s {\n    %s_Tag tag;\n};\n\n",
                      ty_str(t), name, name, name);
            break;
        }
        if (opt_niche(t)) {
            sb_printf(&cg->forward, "typedef struct %s %s;\n", name, name);
            sb_printf(&sb,
                      "/* enum %s: a Box is never null, so None is the null pointer (Rust's niche)\n"
                      " * and the value is the pointer alone; `tag` reads its bits */\n"
                      "enum { %s_None = 0 };\n\n"
                      "struct %s {\n    union {\n        uintptr_t tag;\n        struct {\n",
                      ty_str(t), name, name);
            def_struct_fields(&sb, t, &a->variants[1], "            ");
            sb_puts(&sb, "        } Some;\n    };\n};\n\n");
            break;
        }
        /* the tag's type is NAME_Tag, and NAME_Tag_ when a variant's constant is NAME_Tag */
        const char *tag = xprintf("%s_Tag", name);
        for (int v = 0; v < a->nvariants; v++)
            if (!strcmp(a->variants[v].name, "Tag"))
                tag = xprintf("%s_Tag_", name);
        sb_printf(&sb, "/* enum %s */\ntypedef enum %s {\n", ty_str(t), tag);
        for (int v = 0; v < a->nvariants; v++)
            sb_printf(&sb, "    %s_%s = %lld,\n", name, a->variants[v].name, (long long)a->variants[v].discr);
        sb_printf(&cg->forward, "typedef struct %s %s;\n", name, name);
        sb_printf(&sb, "} %s;\n\nstruct %s {\n    %s tag;\n", tag, name, tag);
        bool any = false;
        for (int v = 0; v < a->nvariants; v++)
            any |= a->variants[v].nfields > 0;
        if (any) {
            sb_puts(&sb, "    union {\n");
            for (int v = 0; v < a->nvariants; v++) {
                VariantInfo *vi = &a->variants[v];
                if (!vi->nfields)
                    continue;
                sb_puts(&sb, "        struct {\n");
                def_struct_fields(&sb, t, vi, "            ");
                sb_printf(&sb, "        } %s;\n", vi->name);
            }
            sb_puts(&sb, "    };\n");
        }
        sb_puts(&sb, "};\n\n");
        break;
    }
    default:
        break;
    }
    sb_puts(&cg->types, sb.data ? sb.data : "");
    sb_free(&sb);
}
