/* stdlib.c — the std methods mrsc implements: their table and how a call of
 * one is typed.
 *
 * requires: the rows of std_methods.def; for typing a call, the receiver's
 * type after auto-deref and a Ctx for the body;
 * produces: the StdMethod rows (std_method: receiver mode, argument count,
 * which arguments move, derived from each signature), the row a method
 * name denotes on a receiver type (std_method_find), and the call's type
 * with its arguments checked (std_method_type): from the row's signature,
 * with the receiver's types put in, or from the hook the row names. */
#include "check_int.h"

#include <ctype.h>
#include <string.h>

static StdMethod rows[BM_COUNT] = {
#define SM(id, families, name, sig, c) [BM_##id] = {BM_##id, families, name, sig, NULL, c, 0, 0, 0},
#define SM_HOOK(id, families, name, sig, c, hook) [BM_##id] = {BM_##id, families, name, sig, #hook, c, 0, 0, 0},
#include "std_methods.def"
#undef SM
#undef SM_HOOK
};

/* ---- signatures -------------------------------------------------------------- */

/* What a signature's names stand for in one call. */
typedef struct SigEnv {
    Type *self;       /* Self: the receiver after auto-deref */
    Type *t, *e;      /* T, E: its type arguments */
    Type *item;       /* Item: what iterating it yields */
    Type *target;     /* Target: what a Pin's pointer points at */
    Type *fresh[26];  /* F, U, ...: what the call infers, one variable per letter */
} SigEnv;

typedef struct SigReader {
    const char *s;        /* what is left to read */
    const StdMethod *m;   /* whose signature */
    SigEnv *env;
    Type **iter_args;     /* A, B while an iterator type is spelled (iter_types), else NULL */
} SigReader;

/* The std iterators a signature may name: their Item and the iterator they
 * adapt, spelled over their own arguments A and B. */
static const struct {
    const char *name;
    int nargs;
    IterKind_ kind;
    const char *item;
    const char *inner;    /* NULL: not an adaptor */
} iter_types[] = {
    {"Chars", 0, ITER_CHARS, "char", NULL},
    {"ToUppercase", 0, ITER_TO_UPPER, "char", NULL},
    {"ToLowercase", 0, ITER_TO_LOWER, "char", NULL},
    {"CharIndices", 0, ITER_CHAR_INDICES, "(usize, char)", NULL},
    {"Bytes", 0, ITER_BYTES, "u8", NULL},
    {"Lines", 0, ITER_LINES, "&str", NULL},
    {"Split", 0, ITER_SPLIT, "&str", NULL},
    {"SplitWhitespace", 0, ITER_SPLIT_WS, "&str", NULL},
    {"Iter", 1, ITER_SLICE, "&A", NULL},
    {"IterMut", 1, ITER_SLICE_MUT, "&mut A", NULL},
    {"IntoIter", 1, ITER_VEC_INTO, "A", "Self"},
    {"Enumerate", 1, ITER_ENUMERATE, "(usize, Item)", "A"},
    {"Rev", 1, ITER_REV, "Item", "A"},
    {"Map", 2, ITER_MAP, "B", "A"},
    {"Filter", 1, ITER_FILTER, "Item", "A"},
    {"RecvIter", 1, ITER_RECV, "A", NULL},
    {"TryRecvIter", 1, ITER_TRY_RECV, "A", NULL},
    {"MapIter", 2, ITER_MAP_ITER, "(&A, &B)", "HashMap<A, B>"},
    {"MapIterMut", 2, ITER_MAP_ITER_MUT, "(&A, &mut B)", "HashMap<A, B>"},
    {"Keys", 2, ITER_MAP_KEYS, "&A", "HashMap<A, B>"},
    {"Values", 2, ITER_MAP_VALUES, "&B", "HashMap<A, B>"},
    {"ValuesMut", 2, ITER_MAP_VALUES_MUT, "&mut B", "HashMap<A, B>"},
    {"MapIntoIter", 2, ITER_MAP_INTO, "(A, B)", "HashMap<A, B>"},
    {"SetIter", 1, ITER_MAP_KEYS, "&A", "HashSet<A>"},
    {"SetIntoIter", 1, ITER_SET_INTO, "A", "HashSet<A>"},
    {"Windows", 1, ITER_WINDOWS, "&[A]", NULL},
    {"Chunks", 1, ITER_CHUNKS, "&[A]", NULL},
    {"Cycle", 1, ITER_CYCLE, "Item", "A"},
};

static _Noreturn void sig_error(SigReader *r, const char *what)
{
    ICE("the signature of std method `%s`, \"%s\": %s at \"%s\"", r->m->name, r->m->sig, what, r->s);
}

static void skip_space(SigReader *r)
{
    while (*r->s == ' ')
        r->s++;
}

static bool accept(SigReader *r, const char *tok)
{
    skip_space(r);
    size_t n = strlen(tok);
    if (strncmp(r->s, tok, n) || (isalpha((unsigned char)tok[n - 1]) && isalnum((unsigned char)r->s[n])))
        return false;
    r->s += n;
    return true;
}

static void expect(SigReader *r, const char *tok)
{
    if (!accept(r, tok))
        sig_error(r, xprintf("`%s` expected", tok));
}

static Type *sig_type(SigReader *r);

/* `<A, B>` after a generic name. */
static void sig_args(SigReader *r, Type **args, int n)
{
    expect(r, "<");
    for (int i = 0; i < n; i++) {
        if (i)
            expect(r, ",");
        args[i] = sig_type(r);
    }
    expect(r, ">");
}

/* A spelling of iter_types, with its arguments bound. */
static Type *spell(SigReader *r, const char *text, Type **args)
{
    SigReader sub = {.s = text, .m = r->m, .env = r->env, .iter_args = args};
    Type *t = sig_type(&sub);
    skip_space(&sub);
    if (*sub.s)
        sig_error(&sub, "text after the type");
    return t;
}

/* `FnMut(A, B) -> R`: what a closure argument must be. */
static Type *sig_closure(SigReader *r, int kind)
{
    Type *ps[4];
    int n = 0;
    expect(r, "(");
    while (!accept(r, ")")) {
        if (n == 4)
            sig_error(r, "too many closure parameters");
        if (n)
            expect(r, ",");
        ps[n++] = sig_type(r);
    }
    Type *ret = accept(r, "->") ? sig_type(r) : ty_unit();
    return ty_dyn(fn_trait(kind, ps, n, ret));
}

static Type *sig_named(SigReader *r, const char *name)
{
    SigEnv *v = r->env;
    Type *args[2];
    if (r->iter_args && (!strcmp(name, "A") || !strcmp(name, "B")))
        return r->iter_args[name[0] - 'A'];
    if (!strcmp(name, "Self"))
        return v->self;
    if (!strcmp(name, "T"))
        return v->t;
    if (!strcmp(name, "E"))
        return v->e;
    if (!strcmp(name, "Item"))
        return v->item;
    if (!strcmp(name, "Target"))
        return v->target;
    if (isupper((unsigned char)name[0]) && !name[1]) {
        Type **f = &v->fresh[name[0] - 'A'];
        return *f ? *f : (*f = ty_var(VAR_ANY));
    }
    if (!strcmp(name, "String"))
        return ty_string();
    if (!strcmp(name, "Ordering"))
        return ty_adt(prog->ordering, NULL, 0);
    if (!strcmp(name, "Formatter"))
        return ty_adt(prog->formatter, NULL, 0);
    if (!strcmp(name, "fmt::Result"))
        return fmt_result_type();
    if (!strcmp(name, "Option")) {
        sig_args(r, args, 1);
        return ty_adt(prog->option, args, 1);
    }
    if (!strcmp(name, "Result")) {
        sig_args(r, args, 2);
        return ty_adt(prog->result, args, 2);
    }
    if (!strcmp(name, "Vec")) {
        sig_args(r, args, 1);
        return ty_vec(args[0]);
    }
    if (!strcmp(name, "Poll")) {
        sig_args(r, args, 1);
        return ty_adt(prog->poll, args, 1);
    }
    const StdType *st = std_type_named(name);
    if (st) { /* Rc<T>, Ref<T>, Weak<T> ..., Duration */
        Type *sa[2];
        if (st->nparams)
            sig_args(r, sa, st->nparams);
        return ty_std(st->id, sa, st->nparams);
    }
    if (!strcmp(name, "AtomicOrdering"))
        return ty_adt(lookup_global("atomic::Ordering", true)->adt, NULL, 0);
    static const char *const std_errs[] = {"cell::BorrowError", "cell::BorrowMutError", "mpsc::RecvError",
                                           "mpsc::TryRecvError", "thread::ThreadPanic", NULL};
    for (int i = 0; std_errs[i]; i++) /* the std error types without type parameters */
        if (!strcmp(strstr(std_errs[i], "::") + 2, name))
            return ty_adt(lookup_global(std_errs[i], true)->adt, NULL, 0);
    if (!strcmp(name, "Fn") || !strcmp(name, "FnMut") || !strcmp(name, "FnOnce"))
        return sig_closure(r, name[2] == 'M' ? FN_MUT : name[2] == 'O' ? FN_ONCE : FN_FN);
    for (size_t i = 0; i < sizeof iter_types / sizeof iter_types[0]; i++) {
        if (strcmp(iter_types[i].name, name))
            continue;
        if (iter_types[i].nargs)
            sig_args(r, args, iter_types[i].nargs);
        Type *inner = iter_types[i].inner ? spell(r, iter_types[i].inner, args) : NULL;
        if (inner && ty_is_std(inner, STD_VECDEQUE)) /* (a VecDeque's IntoIter is its elements as a Vec's) */
            inner = ty_vec(inner->args[0]);
        return ty_iter(iter_types[i].kind, spell(r, iter_types[i].item, args), inner);
    }
    Type *prim = prim_by_name(name);
    if (!prim)
        sig_error(r, xprintf("unknown type `%s`", name));
    return prim;
}

static Type *sig_type(SigReader *r)
{
    if (accept(r, "&")) {
        bool mut = accept(r, "mut");
        return ty_ref(sig_type(r), mut);
    }
    if (accept(r, "[")) {
        Type *elem = sig_type(r);
        expect(r, "]");
        return ty_slice(elem);
    }
    if (accept(r, "(")) {
        Type *elems[4];
        int n = 0;
        while (!accept(r, ")")) {
            if (n == 4)
                sig_error(r, "too many tuple elements");
            if (n)
                expect(r, ",");
            elems[n++] = sig_type(r);
        }
        return ty_tuple(elems, n);
    }
    skip_space(r);
    const char *start = r->s;
    while (isalnum((unsigned char)*r->s) || *r->s == '_' || (r->s[0] == ':' && r->s[1] == ':'))
        r->s += *r->s == ':' ? 2 : 1;
    if (r->s == start)
        sig_error(r, "a type expected");
    return sig_named(r, xstrndup(start, (size_t)(r->s - start)));
}

/* Row m's return type, its argument types into params and its receiver
 * mode into recv (when given), with v saying what the signature's names are. */
static Type *sig_read(const StdMethod *m, SigEnv *v, Type **params, RecvMode *recv)
{
    SigReader r = {.s = m->sig, .m = m, .env = v};
    expect(&r, "(");
    RecvMode mode = RECV_VALUE;
    bool first = false; /* a static fn's first parameter is read by the loop */
    if (accept(&r, "this:")) { /* an associated fn taking the receiver's type first */
        mode = accept(&r, "&mut") ? RECV_REF_MUT : accept(&r, "&") ? RECV_REF : RECV_VALUE;
        expect(&r, "Self");
    } else if (accept(&r, "self")) {
        mode = RECV_VALUE;
    } else if (accept(&r, "&self")) {
        mode = RECV_REF;
    } else if (accept(&r, "&mut")) {
        expect(&r, "self");
        mode = RECV_REF_MUT;
    } else {
        first = true;
    }
    if (recv)
        *recv = mode;
    for (int i = 0; (first && i == 0 && !(skip_space(&r), *r.s == ')')) || accept(&r, ","); i++) {
        if (i == STD_MAX_ARGS)
            sig_error(&r, "too many arguments");
        Type *t = sig_type(&r);
        if (params)
            params[i] = t;
    }
    expect(&r, ")");
    Type *ret = accept(&r, "->") ? sig_type(&r) : ty_unit();
    skip_space(&r);
    if (*r.s)
        sig_error(&r, "text after the signature");
    return ret;
}

static bool checked;

void std_methods_check(void)
{
    for (int i = 1; i < BM_COUNT; i++) {
        StdMethod *m = &rows[i];
        if (!m->sig)
            continue;
        SigEnv v = {.self = ty_error(), .t = ty_error(), .e = ty_error(), .item = ty_error(), .target = ty_error()};
        Type *params[STD_MAX_ARGS] = {0};
        sig_read(m, &v, params, &m->recv);
        const char *open = m->sig + 1;
        m->assoc = !strncmp(open, "this:", 5);
        m->is_static = strncmp(open, "self", 4) && strncmp(open, "&self", 5) && strncmp(open, "&mut self", 9) &&
                       !m->assoc;
        m->nargs = 0;
        m->moved = 0;
        for (; m->nargs < STD_MAX_ARGS && params[m->nargs]; m->nargs++)
            if (params[m->nargs]->kind != TY_REF)
                m->moved |= 1u << m->nargs;
    }
    checked = true;
}

const StdMethod *std_method(BuiltinMethod id)
{
    if (!checked)
        ICE("std_method() before sema_check()");
    return id > BM_NONE && id < BM_COUNT ? &rows[id] : NULL;
}

/* ---- which method a name denotes ----------------------------------------------- */

/* The families of receiver type b, the first searched first. */
static int families_of(Type *b, StdFamily out[6])
{
    int n = 0;
    switch (b->kind) {
    case TY_STD: /* its own methods, then its deref target's (String: str's, Vec<T>: [T]'s) */
        if (b->std->families)
            out[n++] = b->std->families;
        if (ty_is_std(b, STD_VECDEQUE))
            out[n++] = FAM_VEC; /* (only the rows deque_shares names) */
        if (b->std->deref == SD_STR)
            out[n++] = FAM_STR;
        else if (b->std->deref == SD_SLICE)
            out[n++] = FAM_SLICE;
        break;
    case TY_STR: out[n++] = FAM_STR; break;
    case TY_ARRAY: out[n++] = FAM_ARRAY; out[n++] = FAM_SLICE; break;
    case TY_SLICE: out[n++] = FAM_SLICE; break;
    case TY_CHAR: out[n++] = FAM_CHAR; break;
    case TY_PTR: out[n++] = FAM_PTR; break;
    case TY_U8: out[n++] = FAM_U8; break;
    case TY_F32: case TY_F64: out[n++] = FAM_FLOAT; break;
    case TY_ADT:
        if (b->adt == prog->option) out[n++] = FAM_OPTION;
        if (b->adt == prog->result) out[n++] = FAM_RESULT;
        if (b->adt == prog->poll) out[n++] = FAM_POLL;
        if (b->adt == prog->ordering) out[n++] = FAM_ORDERING;
        break;
    case TY_ITER:
        out[n++] = FAM_ITER;
        if (b->iter_kind == ITER_PEEKABLE)
            out[n++] = FAM_PEEKABLE;
        if (b->iter_kind == ITER_CHARS)
            out[n++] = FAM_CHARS;
        break;
    case TY_RANGE: out[n++] = FAM_RANGE; out[n++] = FAM_ITER; break;
    default:
        break;
    }
    if ((b->kind == TY_DYN && b->trait == prog->error) || (b->kind == TY_ADT && satisfies(b, prog->error)))
        out[n++] = FAM_ERROR;
    if (b->kind == TY_ADT && b->adt == prog->formatter)
        out[n++] = FAM_FORMATTER;
    if (b->kind == TY_ADT && b->adt == prog->from_utf8_error)
        out[n++] = FAM_UTF8;
    if (b->kind == TY_ADT && b->adt == prog->utf8_error)
        out[n++] = FAM_UTF8E;
    if (b->kind == TY_REF && b->is_mut && (ty_resolve(b->args[0])->kind == TY_ITER || ty_resolve(b->args[0])->kind == TY_RANGE))
        out[n++] = FAM_ITER; /* `&mut I` is an iterator too (it.by_ref().take(2)) */
    if ((b->kind == TY_ADT || b->kind == TY_PARAM) && user_iter_item(b))
        out[n++] = FAM_ITER;
    if (b->kind <= TY_USIZE)
        out[n++] = FAM_INT;
    out[n++] = FAM_ANY;
    return n;
}

/* A VecDeque has these of Vec's and the slice's methods (mrsc's deque is a Vec's
 * elements, so their C is theirs); std has them on VecDeque itself. */
static bool deque_shares(const StdMethod *m)
{
    static const char *names[] = {
        "len", "is_empty", "get", "get_mut", "iter", "iter_mut", "contains", "binary_search", "binary_search_by",
        "binary_search_by_key", "partition_point", "clear", "truncate", "retain", "extend", "drain", "into_iter",
        "capacity", NULL,
    };
    if (m->families & (FAM_DEQUE | FAM_ANY | FAM_ITER))
        return true;
    for (int i = 0; names[i]; i++)
        if (!strcmp(names[i], m->name))
            return true;
    return false;
}

static const StdMethod *find_row(Type *b, const char *name, bool by_path)
{
    StdFamily fams[6];
    int nf = families_of(b, fams);
    for (int f = 0; f < nf; f++)
        for (int i = 1; i < BM_COUNT; i++)
            if ((rows[i].families & fams[f]) && strcmp(rows[i].name, name) == 0 &&
                (by_path || !(rows[i].assoc || rows[i].is_static)) &&
                (!ty_is_std(b, STD_VECDEQUE) || deque_shares(&rows[i])))
                return &rows[i];
    return NULL;
}

const StdMethod *std_method_find(Type *b, const char *name) { return find_row(b, name, false); }

const StdMethod *std_fn_find(Type *b, const char *name) { return find_row(b, name, true); }

bool std_method_lacking(const char *name)
{
    static const char *names[] = {
        "filter", "map_or", "map_or_else", "is_some_and", "is_none_or", "is_ok_and", "is_err_and", "then",
        "then_with", "then_some", "zip", "skip", "take", "chain", "flat_map", "filter_map", "take_while",
        "skip_while", "step_by", "peekable", "windows", "chunks", "position", "find", "find_map", "min_by_key",
        "max_by_key", "min_by", "max_by", "dedup", "drain", "extend", "split_off", "sort_unstable_by",
        "binary_search", "flatten", "cloned", "copied", "inspect", "scan", "partition", "reduce", "try_fold",
        "unzip", "cycle", "get_or_insert_with", "xor", "zip_with", "or_else", "ok_or_else", "and", "iter_mut",
        "retain_mut", "dedup_by_key", "rposition", "rfind", "last_mut", "first_mut", "swap_remove",
        /* seen in learners' programs */
        "replace", "as_ref", "as_mut", "as_deref", "into", "try_into", "splitn", "rsplitn", "rsplit", "split_once",
        "rsplit_once", "rsplit_terminator", "split_terminator", "split_inclusive", "trim_matches", "trim_start_matches", "trim_end_matches", "strip_prefix", "strip_suffix",
        "clamp", "checked_abs", "checked_neg", "wrapping_abs", "wrapping_neg", "is_ascii_lowercase",
        "is_ascii_uppercase", "is_ascii_punctuation", "pad", "by_ref", "rchunks", "fold_while",
        "insert_str", "replace_range", "repeat", "char_indices_rev", "get_mut", "entry", "or_insert", "downcast_ref",
        "downcast_mut", "downcast", "chunks_mut", "resize_with", "extend_from_within", "select_nth_unstable",
        "clone_from_slice", "fill_with", "retain", "dedup_by", "resize", "into_bytes",
        "match_indices", "rmatch_indices", "replacen", "encode_utf8", "from_utf8_lossy", NULL,
    };
    for (int i = 0; names[i]; i++)
        if (!strcmp(names[i], name))
            return true;
    return false;
}

/* ---- typing a call -------------------------------------------------------------- */

/* One call of a std method, for its hook. */
typedef struct StdCall {
    Ctx *c;
    Expr *e;              /* the EX_METHOD */
    const StdMethod *m;
    Type *b;              /* the receiver's type after auto-deref */
    Type *expected;       /* what the context expects of the result, or NULL */
    MethodRes *mr;        /* the hook notes aux types here */
    SigEnv env;           /* what the row's signature names mean for this receiver */
} StdCall;

typedef Type *StdHook(StdCall *k);

static void check_margs(Ctx *c, Expr *e, Type **ps, int n)
{
    check_args(c, e, e->name_span, &e->args, ps, n, "method");
}

/* Does the call pass the row's argument count? Else E0061, with the
 * arguments checked against nothing. */
static bool arity_ok(StdCall *k)
{
    if (k->e->args.len == k->m->nargs)
        return true;
    Type *none[STD_MAX_ARGS] = {0};
    check_margs(k->c, k->e, none, k->m->nargs);
    return false;
}

/* The type of the call's one argument, checked against nothing; NULL when the count is
 * wrong (E0061) or the argument has an error already. */
static Type *only_arg(StdCall *k)
{
    if (!arity_ok(k))
        return NULL;
    Type *at = ty_resolve(check_expr(k->c, k->e->args.items[0], NULL));
    return at->kind == TY_ERROR ? NULL : at;
}

/* A closure argument returns r where the method wants `want` (E0308 at the
 * argument). */
static void closure_returns(Expr *arg, Type *r, Type *want)
{
    if (!unify(r, want))
        mismatch(arg->span, want, r);
}

/* The call typed by the row's signature. */
static Type *sig_call(StdCall *k)
{
    Type *ps[STD_MAX_ARGS];
    Type *ret = sig_read(k->m, &k->env, ps, NULL);
    check_margs(k->c, k->e, ps, k->m->nargs);
    return ret;
}

/* The row's return type alone, for a hook that checks the arguments itself. */
static Type *sig_ret(StdCall *k) { return sig_read(k->m, &k->env, NULL, NULL); }

static Type *opt_of(Type *t)
{
    Type *a[1] = {t};
    return ty_adt(prog->option, a, 1);
}

static Type *res_of(Type *t, Type *e)
{
    Type *a[2] = {t, e};
    return ty_adt(prog->result, a, 2);
}

/* A turbofish or expected type for sum/collect/parse targets. */
static Type *target_type(Expr *e, Type *expected)
{
    if (e->generic_args.len == 1)
        return resolve_type(e->generic_args.items[0]);
    return expected;
}

static Type *deref_all(Type *t)
{
    t = ty_resolve(t);
    while (t->kind == TY_REF)
        t = ty_resolve(t->args[0]);
    return t;
}

/* clone, to_owned: str gives String, [T] a Vec<T>; a user type must derive
 * or implement Clone (E0599). */
static Type *clone_type(StdCall *k)
{
    Type *b = k->b;
    check_margs(k->c, k->e, NULL, 0);
    /* rustc's method probe tries the receiver's own type first: a `&X` whose X is Clone
     * clones the X; a reference to what is not Clone (`&str`, `&[T]`, a type without
     * Clone) is Clone itself, and is copied (`it.clone()` of a `&&str` is a `&str`) */
    Type *rt = k->e->operand->ty ? ty_resolve(k->e->operand->ty) : NULL;
    if (k->m->id == BM_CLONE && rt && rt->kind == TY_REF) {
        Type *x = ty_resolve(rt->args[0]);
        if (x->kind == TY_REF)
            return x;
        if (x->kind == TY_STR || x->kind == TY_SLICE ||
            (x->kind == TY_ADT && !x->adt->builtin && !(x->adt->derives & DERIVE_CLONE)))
            return rt;
    }
    if (b->kind == TY_STR)
        return ty_string();
    if (b->kind == TY_SLICE)
        return ty_vec(b->args[0]);
    if (b->kind == TY_ADT && !b->adt->builtin && !(b->adt->derives & DERIVE_CLONE)) {
        Diag *d = diag_error("E0599", k->e->name_span, "no method named `%s` found for %s `%s` in the current scope",
                             k->e->name, b->adt->is_enum ? "enum" : "struct", ty_str(b));
        diag_primary_label(d, "method not found in `%s`", ty_str(b));
        return ty_error();
    }
    return b;
}

/* to_string: the receiver must implement Display (E0599). */
static Type *to_string_type(StdCall *k)
{
    Type *b = k->b;
    check_margs(k->c, k->e, NULL, 0);
    if ((b->kind == TY_ADT && !type_implements(b, prog->display)) || ty_is_vec_like(b) || b->kind == TY_TUPLE ||
        b->kind == TY_ARRAY || b->kind == TY_SLICE) {
        Diag *d = diag_error("E0599", k->e->name_span, "the method `to_string` exists for %s `%s`, but its trait bounds were not satisfied",
                             b->kind == TY_ADT ? (b->adt->is_enum ? "enum" : "struct") : "type", ty_str(b));
        diag_note(d, "`%s` doesn't implement `std::fmt::Display`", ty_str(b));
        return ty_error();
    }
    return ty_string();
}

/* concat: of strings, a String (the signature's); of arrays, Vecs or
 * slices of T, a Vec<T>. */
static Type *concat_type(StdCall *k)
{
    Type *t = sig_call(k);
    Type *el = ty_resolve(k->b->args[0]);
    Type *inner = el->kind == TY_REF ? ty_resolve(el->args[0]) : el;
    if (inner->kind == TY_ARRAY || inner->kind == TY_SLICE || ty_is_std(inner, STD_VEC))
        return ty_vec(inner->args[0]);
    return t;
}

/* join: of strings with a &str between them, as the row says; of Vecs, arrays or slices
 * of T, a Vec<T> with a &T or a &[T] between them (mr->aux: the separator's type). */
static Type *join_type(StdCall *k)
{
    Type *el = ty_resolve(k->b->args[0]);
    Type *inner = el->kind == TY_REF ? ty_resolve(el->args[0]) : el;
    if (!(inner->kind == TY_ARRAY || inner->kind == TY_SLICE || ty_is_std(inner, STD_VEC)))
        return sig_call(k);
    Type *t = inner->args[0];
    Type *at = only_arg(k);
    if (!at)
        return ty_error();
    Expr *a = k->e->args.items[0];
    Type *sep = at->kind == TY_REF ? ty_resolve(at->args[0]) : NULL;
    if (sep && (sep->kind == TY_SLICE || sep->kind == TY_ARRAY || ty_is_std(sep, STD_VEC)) && unify(sep->args[0], t)) {
        k->mr->aux = sep;
        return ty_vec(t);
    }
    if (sep && unify(sep, t)) {
        k->mr->aux = sep;
        return ty_vec(t);
    }
    mismatch(a->span, ty_ref(t, false), at);
    return ty_error();
}

/* unsigned_abs (of signed integers only), abs_diff: the unsigned type of Self's width. */
static Type *unsigned_result_type(StdCall *k)
{
    Type *t = sig_call(k);
    if (!ty_is_signed(k->b)) {
        if (k->m->id == BM_INT_UNSIGNED_ABS) {
            Diag *d = diag_error("E0599", k->e->name_span, "no method named `%s` found for type `%s` in the current scope",
                                 k->e->name, ty_str(k->b));
            (void)d;
        }
        return t;
    }
    return ty_prim((TypeKind)(ty_resolve(k->b)->kind + (TY_U8 - TY_I8)));
}

/* next_power_of_two: of unsigned integers only (E0599); not of u128 in mrsc. */
static Type *unsigned_only_type(StdCall *k)
{
    Type *t = sig_call(k);
    Type *b = ty_resolve(k->b);
    if (ty_is_signed(b)) {
        Diag *d = diag_error("E0599", k->e->name_span, "no method named `%s` found for type `%s` in the current scope",
                             k->e->name, ty_str(b));
        (void)d;
    } else if (b->kind == TY_U128) {
        unsupported(k->e->name_span, xprintf("`%s` of a u128", k->e->name));
    }
    return t;
}

/* abs, signum: of signed integers only (E0599). */
static Type *signed_type(StdCall *k)
{
    Type *t = sig_call(k);
    if (!ty_is_signed(k->b)) {
        Diag *d = diag_error("E0599", k->e->name_span, "no method named `%s` found for type `%s` in the current scope",
                             k->e->name, ty_str(k->b));
        (void)d;
    }
    return t;
}

/* A set of chars as a pattern: `[' ', ',']`, `&[' ', ','][..]`, `&['a', 'b']`. */
static bool char_set_type(Type *at)
{
    Type *t = at;
    while (t->kind == TY_REF)
        t = ty_resolve(t->args[0]);
    return (t->kind == TY_ARRAY || t->kind == TY_SLICE) && ty_resolve(t->args[0])->kind == TY_CHAR;
}

/* A string pattern std takes and mrsc does not: a closure or fn of a char (`|c| ..`,
 * `char::is_whitespace`), or a set of chars (`[' ', ',']`, `&[' ', ','][..]`). Reported
 * as not supported; true when it was one. */
static bool unsupported_pattern(Expr *a, Type *at)
{
    Type *t = at;
    while (t->kind == TY_REF)
        t = ty_resolve(t->args[0]);
    bool chars = char_set_type(at);
    if (!chars && t->kind != TY_CLOSURE && t->kind != TY_FN)
        return false;
    unsupported(a->span, chars ? "a set of chars as a string pattern" : "a closure or fn as a string pattern");
    return true;
}

/* The methods that take a predicate on chars as their pattern: a closure or fn of a
 * char giving a bool, or a set of chars (the others report it as not supported). */
static bool takes_char_predicate(BuiltinMethod bm)
{
    switch (bm) {
    case BM_S_SPLIT: case BM_S_MATCHES: case BM_S_RFIND: case BM_S_TRIM_MATCHES: case BM_S_TRIM_START_MATCHES: case BM_S_TRIM_END_MATCHES:
    case BM_S_STARTS_WITH: case BM_S_ENDS_WITH: case BM_S_CONTAINS: case BM_S_FIND: case BM_S_REPLACE:
        return true;
    default:
        return false;
    }
}

/* Pattern a of a call that takes a predicate: a closure is typed as an FnMut(char) ->
 * bool (its parameter's type inferred from that); a fn's signature must be that. Its type
 * goes to aux (codegen calls it on each char). False when a is not a closure or fn. */
static bool char_predicate(StdCall *k, Expr *a)
{
    Expr *u = a;
    while (u->kind == EX_PAREN)
        u = u->operand;
    Def *d = u->kind == EX_PATH ? resolve_value_path(k->c, u->path, u->span) : NULL;
    bool fn_path = u->kind == EX_PATH && ((d && d->kind == DEF_FN) || (!d && u->path->segs.len == 2));
    if (u->kind == EX_CLOSURE || fn_path) { /* (`char::is_whitespace`: a closure calling it) */
        Type *ps[1] = {ty_prim(TY_CHAR)};
        Type *r = check_callable_arg(k->c, a, ps, 1, FN_MUT);
        if (r)
            closure_returns(a, r, ty_prim(TY_BOOL));
        k->mr->aux = a->ty ? ty_resolve(a->ty) : ty_error();
        return true;
    }
    return false;
}

/* A closure or fn of a char giving a bool, held in a variable (`let sep = |c: char| ..;`). */
static bool char_fn_type(Type *t)
{
    if (t->kind == TY_FN)
        return t->nargs == 2 && ty_resolve(t->args[0])->kind == TY_CHAR && ty_resolve(t->args[1])->kind == TY_BOOL;
    return t->kind == TY_CLOSURE && t->clo->nparams == 1 && ty_resolve(t->clo->params[0])->kind == TY_CHAR &&
           ty_resolve(t->clo->ret)->kind == TY_BOOL;
}

/* split, starts_with, ends_with, contains, find: the pattern is a &str (a
 * &String coerces) or a char, which codegen learns from mr->aux. */
static Type *pattern_type(StdCall *k)
{
    if (!arity_ok(k))
        return ty_error();
    Expr *a = k->e->args.items[k->m->nargs - 1]; /* the pattern is the last argument (splitn's count first) */
    if (k->m->nargs == 2)
        check_coerce(k->c, k->e->args.items[0], ty_prim(TY_USIZE));
    if (char_predicate(k, a)) {
        if (!takes_char_predicate(k->m->id)) /* (typed as one first, so that the closure's body is) */
            unsupported(a->span, xprintf("a closure or fn as the pattern of `%s`", k->m->name));
        return sig_ret(k);
    }
    Type *str_ref = ty_ref(ty_prim(TY_STR), false);
    Type *at = ty_resolve(check_expr(k->c, a, NULL));
    if (takes_char_predicate(k->m->id) && (char_set_type(at) || char_fn_type(at))) {
        k->mr->aux = at;
    } else if (at->kind == TY_CHAR) {
        k->mr->aux = ty_prim(TY_CHAR);
    } else if (unsupported_pattern(a, at)) {
    } else if (k->m->id == BM_S_TRIM_MATCHES && at->kind != TY_ERROR) {
        /* from both ends: std wants a double-ended searcher, which a &str pattern is not */
        Diag *d = diag_error("E0277", a->span, "the trait bound `for<'a> StrSearcher<'a, '_>: DoubleEndedSearcher<'a>` is not satisfied");
        (void)d;
    } else if (!(at->kind == TY_REF && ty_resolve(at->args[0])->kind == TY_STR) && !try_coerce(a, at, str_ref) &&
               at->kind != TY_ERROR) {
        Diag *d = diag_error("E0277", a->span, "the trait bound `%s: Pattern` is not satisfied", ty_str(at));
        diag_primary_label(d, "the trait `Pattern` is not implemented for `%s`", ty_str(at));
    }
    return sig_ret(k);
}

/* split_once: a char or &str pattern, as above, other types reported by
 * coerce. */
static Type *split_once_type(StdCall *k)
{
    if (!arity_ok(k))
        return ty_error();
    Expr *a = k->e->args.items[0];
    if (char_predicate(k, a)) {
        unsupported(a->span, xprintf("a closure or fn as the pattern of `%s`", k->m->name));
        return sig_ret(k);
    }
    Type *at = ty_resolve(check_expr(k->c, a, NULL));
    if (at->kind == TY_CHAR)
        k->mr->aux = ty_prim(TY_CHAR);
    else if (!unsupported_pattern(a, at))
        coerce(a, at, ty_ref(ty_prim(TY_STR), false));
    return sig_ret(k);
}

/* str::replace: a char or &str pattern, then the &str that takes its place. */
static Type *replace_type(StdCall *k)
{
    if (!arity_ok(k))
        return ty_error();
    Expr *a = k->e->args.items[0], *b = k->e->args.items[1];
    if (char_predicate(k, a)) {
        check_coerce(k->c, b, ty_ref(ty_prim(TY_STR), false));
        return sig_ret(k);
    }
    Type *at = ty_resolve(check_expr(k->c, a, NULL));
    if (at->kind == TY_CHAR)
        k->mr->aux = ty_prim(TY_CHAR);
    else if (char_set_type(at) || char_fn_type(at))
        k->mr->aux = at;
    else if (!unsupported_pattern(a, at))
        coerce(a, at, ty_ref(ty_prim(TY_STR), false));
    check_coerce(k->c, b, ty_ref(ty_prim(TY_STR), false));
    return sig_ret(k);
}

/* str::get: a range of usize, inclusive or not. */
static Type *str_get_type(StdCall *k)
{
    if (!arity_ok(k))
        return sig_ret(k);
    Expr *a = k->e->args.items[0];
    Type *t = ty_resolve(check_expr(k->c, a, ty_range(ty_prim(TY_USIZE), false)));
    if (t->kind != TY_RANGE)
        mismatch(a->span, ty_range(ty_prim(TY_USIZE), false), t);
    else
        unify(t->args[0], ty_prim(TY_USIZE));
    return sig_ret(k);
}

/* parse: the target from a turbofish or the expected Result; the error type
 * (ParseIntError, ParseFloatError ...) follows from it, which may still be
 * unknown: check.c's fix_parse_errors decides it. */
static Type *parse_type(StdCall *k)
{
    check_margs(k->c, k->e, NULL, 0);
    Type *t = target_type(k->e, NULL);
    Type *x = k->expected ? ty_resolve(k->expected) : NULL;
    if (!t && x && x->kind == TY_ADT && x->adt == prog->result)
        t = x->args[0];
    if (!t)
        t = ty_var(VAR_ANY);
    k->mr->aux = t;
    AdtDef *err = parse_error_adt(t); /* known now when the target is: `e.to_string()` in an arm needs it */
    return res_of(t, err ? ty_adt(err, NULL, 0) : ty_var(VAR_ANY));
}

/* copied, cloned: Option<&T> gives Option<T>; another Option stays. */
static Type *copied_type(StdCall *k)
{
    check_margs(k->c, k->e, NULL, 0);
    Type *in = ty_resolve(k->b->args[0]);
    if (in->kind != TY_REF)
        return k->b;
    return opt_of(in->args[0]);
}

/* sum, product: into the turbofish or expected type, which must be the
 * items' (E0283 when nothing says it). */
static Type *sum_type(StdCall *k)
{
    Expr *e = k->e;
    check_margs(k->c, e, NULL, 0);
    Type *t = target_type(e, k->expected);
    Type *item = deref_all(k->env.item);
    if (!t || ty_resolve(t)->kind == TY_VAR) { /* known later (`let v = it.sum(); v` of a fn's return), else E0283 at the fn's end */
        k->mr->aux = item;
        return t ? t : ty_var(VAR_ANY);
    }
    if (!unify(t, item))
        mismatch(e->span, t, item);
    return t;
}

/* collect: into a Vec of the items, or a String of chars or strings. */
bool ty_hashable(Type *t);

static Type *collect_type(StdCall *k)
{
    Expr *e = k->e;
    check_margs(k->c, e, NULL, 0);
    Type *t = target_type(e, k->expected);
    if (!t) /* known later, or E0283 at the fn's end (`let data = it.collect(); Matrix { data }`) */
        t = ty_var(VAR_ANY);
    if (ty_resolve(t)->kind == TY_VAR) { /* known later (`.map(|r| r.bytes().collect()).collect::<Vec<Vec<u8>>>()`) */
        k->mr->aux = k->env.item;
        return t;
    }
    return collect_into(e, t, k->env.item) ? t : ty_error();
}

/* Can collect call e build a t from its items? (E0277 when not) */
bool collect_into(Expr *e, Type *t, Type *item_t)
{
    Type *rt = ty_resolve(t);
    if (ty_is_vec_like(rt)) { /* (a VecDeque is collected as a Vec: from its buffer's start) */
        if (!unify(rt->args[0], item_t)) {
            Diag *d = diag_error("E0277", e->name_span, "a value of type `%s` cannot be built from an iterator over elements of type `%s`",
                                 ty_str(t), ty_str(item_t));
            diag_primary_label(d, "value of type `%s` cannot be built from `std::iter::Iterator<Item=%s>`", ty_str(t),
                               ty_str(item_t));
            return false;
        }
        return true;
    }
    if (ty_is_std(rt, STD_STRING)) {
        Type *item = ty_resolve(item_t);
        if (item->kind == TY_VAR && item->var_kind == VAR_ANY) /* (an operator's output not known yet: `s + t`) */
            unify(item, ty_string());
        item = ty_resolve(item);
        Type *in = item->kind == TY_REF ? ty_resolve(item->args[0]) : NULL;
        if (item->kind == TY_CHAR || (in && (in->kind == TY_STR || in->kind == TY_CHAR)) || ty_is_std(item, STD_STRING))
            return true;
    }
    /* Result<Vec<T>, E> from Result<T, E> items (the first Err stops it), Option<Vec<T>> from Option<T> */
    if (rt->kind == TY_ADT && (rt->adt == prog->result || rt->adt == prog->option) &&
        ty_is_std(ty_resolve(rt->args[0]), STD_VEC)) {
        Type *item = ty_resolve(item_t);
        Type *v = ty_resolve(rt->args[0]);
        if (item->kind == TY_ADT && item->adt == rt->adt && unify(v->args[0], item->args[0]) &&
            (rt->adt == prog->option || unify(rt->args[1], item->args[1])))
            return true;
        if (item->kind == TY_VAR || item->kind == TY_ERROR)
            return true;
        Diag *d = diag_error("E0277", e->name_span, "a value of type `%s` cannot be built from an iterator over elements of type `%s`",
                             ty_str(t), ty_str(item));
        (void)d;
        return false;
    }
    if (ty_is_map(rt) || ty_is_set(rt)) { /* HashMap/BTreeMap from (K, V) pairs, a set from its elements */
        Type *item = ty_resolve(item_t);
        Type *want = ty_is_map(rt) ? ty_tuple(rt->args, 2) : rt->args[0];
        if (!unify(item, want)) {
            Diag *d = diag_error("E0277", e->name_span, "a value of type `%s` cannot be built from an iterator over elements of type `%s`",
                                 ty_str(t), ty_str(item));
            (void)d;
            return false;
        }
        Type *key = ty_resolve(rt->args[0]);
        bool ok = key->kind == TY_VAR || (ty_is_sorted_map(rt) ? satisfies(key, find_trait("Ord")) : ty_hashable(key));
        if (!ok) {
            Diag *d = diag_error("E0277", e->name_span, "the trait bound `%s: %s` is not satisfied", ty_str(key),
                                 ty_is_sorted_map(rt) ? "Ord" : "Hash");
            (void)d;
            return false;
        }
        return true;
    }
    unsupported(e->span, xprintf("collecting into `%s`", ty_str(t)));
    return false;
}

/* Is t (an element, a key) known not to be Ord? A float literal's {float} never is, nor
 * a reference to one. */
static bool not_ord(Type *t)
{
    Type *r = ty_resolve(t);
    while (r->kind == TY_REF)
        r = ty_resolve(r->args[0]);
    if (r->kind == TY_VAR)
        return r->var_kind == VAR_FLOAT;
    return r->kind != TY_ERROR && !ty_has_vars(r) && !satisfies(r, find_trait("Ord"));
}

/* The type rustc names in the error: `&T: Ord` fails for want of `T: Ord`. */
static Type *unref(Type *t)
{
    Type *r = ty_resolve(t);
    while (r->kind == TY_REF)
        r = ty_resolve(r->args[0]);
    return r;
}

/* sort_by, sort_by_key, retain: a closure over references to the elements;
 * sort_by's returns an Ordering, retain's a bool, sort_by_key's the key
 * (mr->aux). */
static Type *sort_by_type(StdCall *k)
{
    Expr *e = k->e;
    BuiltinMethod bm = k->m->id;
    if (!arity_ok(k))
        return ty_unit();
    Type *el = ty_ref(k->env.t, bm == BM_VEC_DEDUP_BY_KEY); /* (dedup_by_key's key takes &mut T) */
    Type *ps[2] = {el, el};
    Type *r = check_callable_arg(k->c, e->args.items[0], ps, bm == BM_SL_SORT_BY || bm == BM_SL_SORT_UNSTABLE_BY ? 2 : 1, FN_MUT);
    if (!r)
        return ty_unit();
    if (bm == BM_SL_SORT_BY || bm == BM_SL_SORT_UNSTABLE_BY)
        closure_returns(e->args.items[0], r, ty_adt(prog->ordering, NULL, 0));
    if (bm == BM_VEC_RETAIN)
        closure_returns(e->args.items[0], r, ty_prim(TY_BOOL));
    if (bm == BM_SL_SORT_BY_KEY || bm == BM_SL_SORT_UNSTABLE_BY_KEY || bm == BM_SL_SORT_BY_CACHED_KEY ||
        bm == BM_VEC_DEDUP_BY_KEY)
        k->mr->aux = r;
    if ((bm == BM_SL_SORT_BY_KEY || bm == BM_SL_SORT_UNSTABLE_BY_KEY || bm == BM_SL_SORT_BY_CACHED_KEY) && not_ord(r))
        bound_error(e->name_span, unref(r), find_trait("Ord")); /* K: Ord */
    if (bm == BM_VEC_DEDUP_BY_KEY && ty_resolve(r)->kind != TY_VAR && !satisfies(r, find_trait("PartialEq")))
        bound_error(((Expr *)e->args.items[0])->span, r, find_trait("PartialEq"));
    return ty_unit();
}

/* binary_search_by (a closure of an element giving an Ordering) and binary_search_by_key
 * (the key sought, then a closure of an element giving its key, mr->aux; K: Ord). */
static Type *search_by_type(StdCall *k)
{
    Expr *e = k->e;
    bool by_key = k->m->id == BM_SL_BINARY_SEARCH_BY_KEY;
    Type *ret = sig_ret(k);
    if (!arity_ok(k))
        return ret;
    Type *key = NULL;
    if (by_key) {
        Expr *ka = e->args.items[0];
        Type *kt = ty_resolve(check_expr(k->c, ka, NULL));
        if (kt->kind == TY_REF)
            key = kt->args[0];
        else if (kt->kind != TY_ERROR)
            mismatch(ka->span, ty_ref(ty_var(VAR_ANY), false), kt);
    }
    Type *el = ty_ref(k->env.t, false);
    Expr *fe = e->args.items[by_key];
    Type *r = check_callable_arg(k->c, fe, &el, 1, FN_MUT);
    if (!r)
        return ret;
    if (!by_key) {
        closure_returns(fe, r, k->m->id == BM_SL_PARTITION_POINT ? ty_prim(TY_BOOL) : ty_adt(prog->ordering, NULL, 0));
        return ret;
    }
    if (key)
        closure_returns(fe, r, key);
    k->mr->aux = r;
    if (ty_resolve(r)->kind != TY_VAR && ty_resolve(r)->kind != TY_ERROR && !satisfies(r, find_trait("Ord")))
        bound_error(fe->span, r, find_trait("Ord"));
    return ret;
}

/* String::retain, HashMap/HashSet/BTreeMap/BTreeSet::retain and Vec::dedup_by: a
 * closure of a char, of an entry's key and value, of an element, or of two elements
 * (the later one first), giving a bool. */
static Type *retain_type(StdCall *k)
{
    if (!arity_ok(k))
        return ty_unit();
    Type *ps[2];
    int n = 1;
    switch (k->m->id) {
    case BM_STRING_RETAIN:
        ps[0] = ty_prim(TY_CHAR);
        break;
    case BM_MAP_RETAIN:
        ps[0] = ty_ref(k->env.t, false);
        ps[1] = ty_ref(k->env.e, true);
        n = 2;
        break;
    case BM_SET_RETAIN:
        ps[0] = ty_ref(k->env.t, false);
        break;
    default: /* dedup_by */
        ps[0] = ps[1] = ty_ref(k->env.t, true);
        n = 2;
        break;
    }
    Type *r = check_callable_arg(k->c, k->e->args.items[0], ps, n, FN_MUT);
    if (r)
        closure_returns(k->e->args.items[0], r, ty_prim(TY_BOOL));
    return ty_unit();
}

/* Vec::resize(n, value): value is a T, which must be Clone. */
static Type *resize_type(StdCall *k)
{
    if (!arity_ok(k))
        return ty_unit();
    check_coerce(k->c, k->e->args.items[0], ty_prim(TY_USIZE));
    check_coerce(k->c, k->e->args.items[1], k->env.t);
    Type *t = ty_resolve(k->env.t);
    if (t->kind != TY_VAR && t->kind != TY_ERROR && !satisfies(t, find_trait("Clone"))) {
        Diag *d = diag_error("E0599", k->e->name_span,
                             "the method `resize` exists for struct `%s`, but its trait bounds were not satisfied",
                             ty_str(k->b));
        diag_note(d, "the following trait bounds were not satisfied: `%s: Clone`", ty_str(t));
    }
    return ty_unit();
}

/* Option::map, Result::map, Result::map_err: the closure maps the T (E). */
static Type *map_type(StdCall *k)
{
    Expr *e = k->e;
    BuiltinMethod bm = k->m->id;
    if (!arity_ok(k))
        return ty_error();
    Type *in = bm == BM_RES_MAP_ERR ? k->env.e : bm == BM_OPT_FILTER ? ty_ref(k->env.t, false) : k->env.t;
    Type *r = check_callable_arg(k->c, e->args.items[0], &in, 1, FN_ONCE);
    if (!r)
        return ty_error();
    if (bm == BM_OPT_FILTER) { /* Some(x) when the predicate holds, else None (x dropped) */
        closure_returns(e->args.items[0], r, ty_prim(TY_BOOL));
        return opt_of(k->env.t);
    }
    if (bm == BM_OPT_MAP)
        return opt_of(r);
    return bm == BM_RES_MAP ? res_of(r, k->env.e) : res_of(k->env.t, r);
}

/* The methods that choose between their receiver's two cases with closures: map_or,
 * map_or_else, is_some_and, or_else, ok_or_else, get_or_insert_with, and_then and or_else
 * of a Result, then_with; and flatten (an Option of an Option). Each closure's parameters
 * and return come from the row's signature. */
static Type *choice_type(StdCall *k)
{
    Expr *e = k->e;
    BuiltinMethod bm = k->m->id;
    if (!arity_ok(k))
        return ty_error();
    if (bm == BM_OPT_FLATTEN) {
        Type *in = ty_resolve(k->env.t);
        if (in->kind == TY_ADT && in->adt == prog->option)
            return in;
        if (in->kind == TY_VAR) {
            Type *u = opt_of(ty_var(VAR_ANY));
            unify(in, u);
            return u;
        }
        Diag *d = diag_error("E0277", e->name_span, "`%s` is not an iterator", ty_str(in));
        diag_primary_label(d, "`%s` is not an iterator", ty_str(in));
        return ty_error();
    }
    Type *ps[STD_MAX_ARGS];
    Type *ret = sig_read(k->m, &k->env, ps, NULL);
    for (int i = 0; i < k->m->nargs; i++) {
        Expr *a = e->args.items[i];
        TraitDef *sig = fn_sig_of(ps[i]);
        if (!sig) { /* a value (map_or's default) */
            check_coerce(k->c, a, ps[i]);
            continue;
        }
        Type *r = check_callable_arg(k->c, a, sig->fn_params, sig->fn_nparams, FN_ONCE);
        if (!r)
            return ty_error();
        closure_returns(a, r, sig->fn_ret);
    }
    return ret;
}

/* Can a value of type t be a HashMap key: Eq and Hash, as mrsc hashes them (integers,
 * chars, bools, String, &str, tuples of keys, types deriving Hash and Eq)? */
bool ty_hashable(Type *t)
{
    t = ty_resolve(t);
    switch (t->kind) {
    case TY_VAR:
    case TY_ERROR:
    case TY_BOOL:
    case TY_CHAR:
    case TY_STR:
        return true;
    case TY_REF:
        return ty_hashable(t->args[0]);
    case TY_TUPLE:
        for (int i = 0; i < t->nargs; i++)
            if (!ty_hashable(t->args[i]))
                return false;
        return true;
    case TY_STD:
        return ty_is_std(t, STD_STRING);
    case TY_ADT:
        if (t->adt == prog->option)
            return ty_hashable(t->args[0]);
        if (!(t->adt->derives & DERIVE_HASH) || !(t->adt->derives & DERIVE_EQ))
            return false;
        for (int v = 0; v < t->adt->nvariants; v++)
            for (int i = 0; i < t->adt->variants[v].nfields; i++)
                if (!ty_hashable(ty_subst(t->adt->variants[v].fields[i].type, t->args, t->nargs)))
                    return false;
        return true;
    default:
        return ty_is_int(t);
    }
}

/* A HashMap method taking a key: `&K`, or a `&str` for a String key (K: Borrow<str>);
 * the key type must be Eq and Hash (E0599, as rustc reports the unmet bound). */
static Type *map_key_type(StdCall *k)
{
    if (!arity_ok(k))
        return ty_error();
    BuiltinMethod bm = k->m->id;
    Type *key = k->env.t;
    Expr *a = k->e->args.items[0];
    if (bm == BM_MAP_INSERT || bm == BM_MAP_ENTRY || bm == BM_SET_INSERT) {
        check_coerce(k->c, a, key);
        if (bm == BM_MAP_INSERT)
            check_coerce(k->c, k->e->args.items[1], k->env.e);
    } else {
        Type *at = ty_resolve(check_expr(k->c, a, ty_ref(key, false)));
        Type *in = at->kind == TY_REF ? ty_resolve(at->args[0]) : NULL;
        if (at->kind == TY_ERROR) {
        } else if (!in) {
            mismatch(a->span, ty_ref(key, false), at);
        } else if (!(ty_is_std(ty_resolve(key), STD_STRING) && in->kind == TY_STR) &&
                   !(ty_resolve(key)->kind == TY_REF && could_unify(at, key) && unify(at, key)) && /* K = &Q, a &Q */
                   !unify(in, key) && !try_coerce(a, at, ty_ref(key, false))) {
            mismatch(a->span, ty_ref(key, false), at);
        }
    }
    Type *kt = ty_resolve(key);
    if (ty_is_sorted_map(k->b)) { /* BTreeMap, BTreeSet: K: Ord */
        if (kt->kind != TY_VAR && !satisfies(kt, find_trait("Ord"))) {
            Diag *d = diag_error("E0277", k->e->span, "the trait bound `%s: Ord` is not satisfied", ty_str(kt));
            diag_primary_label(d, "the trait `Ord` is not implemented for `%s`", ty_str(kt));
            return ty_error();
        }
        if (bm == BM_MAP_ENTRY)
            return ty_std(STD_BTREEENTRY, k->b->args, 2);
        return sig_ret(k);
    }
    if (kt->kind != TY_VAR && !ty_hashable(kt)) {
        Diag *d = diag_error("E0599", k->e->name_span,
                             "the method `%s` exists for struct `%s`, but its trait bounds were not satisfied",
                             k->m->name, ty_str(k->b));
        diag_primary_label(d, "method cannot be called on `%s` due to unsatisfied trait bounds", ty_str(k->b));
        diag_note(d, "the following trait bounds were not satisfied: `%s: Hash`", ty_str(kt));
        return ty_error();
    }
    return sig_ret(k);
}

/* v.extend(it): anything a `for` takes whose items are T (moved in), or &T of a Copy T
 * (copied: Extend<&T>). The items' type goes to mr->aux for codegen. */
static Type *extend_type(StdCall *k)
{
    if (!arity_ok(k))
        return ty_error();
    Expr *a = k->e->args.items[0];
    Type *at = check_expr(k->c, a, NULL);
    Type *item = into_iter_item(at);
    Type *t = k->env.t;
    if (ty_is_map(k->b)) { /* a map's items are (K, V) pairs */
        Type *kv[2] = {k->env.t, k->env.e};
        t = ty_tuple(kv, 2);
    }
    if (ty_resolve(at)->kind == TY_ERROR)
        return ty_unit();
    if (!item) {
        Diag *d = diag_error("E0277", a->span, "`%s` is not an iterator", ty_str(at));
        diag_primary_label(d, "`%s` is not an iterator", ty_str(at));
        return ty_unit();
    }
    Type *ir = ty_resolve(item);
    if (ir->kind == TY_REF && !could_unify(ir, t) && unify(ir->args[0], t) && ty_is_copy(ty_resolve(t))) {
        k->mr->aux = ir; /* copied out of the references */
        return ty_unit();
    }
    if (!unify(item, t)) {
        Diag *d = diag_error("E0271", a->span, "type mismatch resolving `<%s as IntoIterator>::Item == %s`", ty_str(at),
                             ty_str(t));
        diag_primary_label(d, "expected `%s`, found `%s`", ty_str(t), ty_str(item));
        return ty_unit();
    }
    k->mr->aux = item;
    return ty_unit();
}

/* String::extend: of chars, &chars, &strs or Strings, std's Extend impls for String
 * (mr->aux: the item type). */
static Type *string_extend_type(StdCall *k)
{
    if (!arity_ok(k))
        return ty_unit();
    Expr *a = k->e->args.items[0];
    Type *at = check_expr(k->c, a, NULL);
    if (ty_resolve(at)->kind == TY_ERROR)
        return ty_unit();
    Type *item = into_iter_item(at);
    if (!item) {
        Diag *d = diag_error("E0277", a->span, "`%s` is not an iterator", ty_str(at));
        diag_primary_label(d, "`%s` is not an iterator", ty_str(at));
        return ty_unit();
    }
    Type *ir = ty_resolve(item);
    if (ir->kind == TY_VAR && ir->var_kind == VAR_ANY)
        unify(item, ty_prim(TY_CHAR));
    ir = ty_resolve(item);
    Type *in = ir->kind == TY_REF ? ty_resolve(ir->args[0]) : NULL;
    if (!(ir->kind == TY_CHAR || ty_is_std(ir, STD_STRING) || (in && (in->kind == TY_CHAR || in->kind == TY_STR)))) {
        Diag *d = diag_error("E0277", a->span, "the trait bound `String: Extend<%s>` is not satisfied", ty_str(item));
        diag_primary_label(d, "the trait `Extend<%s>` is not implemented for `String`", ty_str(item));
        return ty_unit();
    }
    k->mr->aux = item;
    return ty_unit();
}

/* Option::as_deref: Option<&str> of an Option<String>, Option<&T> of an Option<Box<T>>. */
static Type *as_deref_type(StdCall *k)
{
    if (!arity_ok(k))
        return ty_error();
    Type *t = ty_resolve(k->env.t);
    if (ty_is_std(t, STD_STRING))
        return opt_of(ty_ref(ty_prim(TY_STR), false));
    if (ty_is_std(t, STD_BOX) && ty_resolve(t->args[0])->kind != TY_DYN)
        return opt_of(ty_ref(t->args[0], false));
    if (t->kind != TY_ERROR)
        unsupported(k->e->name_span, xprintf("`as_deref` on `%s`", ty_str(k->b)));
    return ty_error();
}

/* `or_default()`: the value type's Default. */
static Type *entry_default_type(StdCall *k)
{
    Type *r = sig_call(k);
    Type *v = ty_resolve(k->env.e);
    TraitDef *dt = find_trait("Default");
    if (dt && v->kind != TY_VAR && v->kind != TY_ERROR && !satisfies(v, dt)) {
        Diag *d = diag_error("E0277", k->e->name_span, "the trait bound `%s: Default` is not satisfied", ty_str(v));
        diag_primary_label(d, "the trait `Default` is not implemented for `%s`", ty_str(v));
    }
    return r;
}

/* unwrap_or_else (the closure makes the T), and_then (it makes an Option). */
static Type *or_else_type(StdCall *k)
{
    Expr *e = k->e;
    BuiltinMethod bm = k->m->id;
    if (!arity_ok(k))
        return ty_error();
    bool res = bm == BM_RES_UNWRAP_OR_ELSE, opt_in = bm == BM_OPT_AND_THEN;
    Type *in = res ? k->env.e : k->env.t;
    Type *r = check_callable_arg(k->c, e->args.items[0], &in, res || opt_in ? 1 : 0, FN_ONCE);
    if (!r)
        return ty_error();
    if (opt_in) {
        closure_returns(e->args.items[0], r, opt_of(ty_var(VAR_ANY)));
        return r;
    }
    closure_returns(e->args.items[0], r, k->env.t);
    return k->env.t;
}

/* fold(init, |acc, x| ..): the accumulator's type is the init's. */
static Type *fold_type(StdCall *k)
{
    Expr *e = k->e;
    if (!arity_ok(k))
        return ty_error();
    Type *acc = check_expr(k->c, e->args.items[0], k->expected);
    Type *ps[2] = {acc, k->env.item};
    Type *r = check_callable_arg_ret(k->c, e->args.items[1], ps, 2, FN_MUT, acc);
    if (r)
        closure_returns(e->args.items[1], r, acc);
    return acc;
}

/* try_fold: a fold whose closure gives an Option or a Result of the accumulator; the
 * first None or Err ends it and is its value. */
static Type *try_fold_type(StdCall *k)
{
    Expr *e = k->e;
    if (!arity_ok(k))
        return ty_error();
    Type *acc = check_expr(k->c, e->args.items[0], NULL);
    Type *ps[2] = {acc, k->env.item};
    Type *r = check_callable_arg_ret(k->c, e->args.items[1], ps, 2, FN_MUT, k->expected ? k->expected : ty_var(VAR_ANY));
    if (!r)
        return ty_error();
    Type *rr = ty_resolve(r);
    if (rr->kind != TY_ADT || (rr->adt != prog->option && rr->adt != prog->result)) {
        if (rr->kind != TY_ERROR)
            unsupported(e->name_span, xprintf("`try_fold` with a closure that gives `%s`", ty_str(r)));
        return ty_error();
    }
    if (!unify(rr->args[0], acc))
        mismatch(((Expr *)e->args.items[1])->span, acc, rr->args[0]);
    return r;
}

/* reduce: fold from the first item, None without one. */
static Type *reduce_type(StdCall *k)
{
    Expr *e = k->e;
    if (!arity_ok(k))
        return ty_error();
    Type *ps[2] = {k->env.item, k->env.item};
    Type *r = check_callable_arg_ret(k->c, e->args.items[0], ps, 2, FN_MUT, k->env.item);
    if (r)
        closure_returns(e->args.items[0], r, k->env.item);
    return opt_of(k->env.item);
}

/* find_map: the first Some the closure gives. */
static Type *find_map_type(StdCall *k)
{
    Expr *e = k->e;
    if (!arity_ok(k))
        return ty_error();
    Type *r = check_callable_arg(k->c, e->args.items[0], &k->env.item, 1, FN_MUT);
    if (!r)
        return ty_error();
    Type *b = ty_var(VAR_ANY);
    closure_returns(e->args.items[0], r, opt_of(b));
    return opt_of(b);
}

/* any, all (the closure answers a bool), for_each (it returns ()). */
static Type *predicate_type(StdCall *k)
{
    Expr *e = k->e;
    if (!arity_ok(k))
        return ty_error();
    Type *r = check_callable_arg(k->c, e->args.items[0], &k->env.item, 1, FN_MUT);
    Type *want = k->m->id == BM_IT_FOR_EACH ? ty_unit() : ty_prim(TY_BOOL);
    if (r)
        closure_returns(e->args.items[0], r, want);
    return want;
}

/* find, position, max_by_key, min_by_key: a closure over each item (a reference to it but
 * for position); max/min_by_key keep the key type in mr->aux. */
static Type *search_type(StdCall *k)
{
    Expr *e = k->e;
    if (!arity_ok(k))
        return ty_error();
    BuiltinMethod bm = k->m->id == BM_IT_RPOSITION ? BM_IT_POSITION : k->m->id; /* (the same call, from the back) */
    Type *item = k->env.item;
    Type *in = bm == BM_IT_POSITION ? item : ty_ref(item, false);
    Type *r = check_callable_arg(k->c, e->args.items[0], &in, 1, FN_MUT);
    if (!r)
        return ty_error();
    if (bm == BM_IT_FIND || bm == BM_IT_POSITION)
        closure_returns(e->args.items[0], r, ty_prim(TY_BOOL));
    else
        k->mr->aux = r;
    return opt_of(bm == BM_IT_POSITION ? ty_prim(TY_USIZE) : item);
}

/* `x.try_into()`: the TryFrom conversion into the expected Result's Ok type: an integer
 * narrowing (TryFromIntError), or a program's `impl TryFrom<X> for T` (mr->fn). */
static Type *try_into_type(StdCall *k)
{
    Expr *e = k->e;
    check_margs(k->c, e, NULL, 0);
    Type *src = ty_resolve(e->operand->ty);
    e->operand->adjust = new_adjust(0, 0, CO_NONE, src);
    Type *x = k->expected ? ty_resolve(k->expected) : NULL;
    Type *t = x && x->kind == TY_ADT && x->adt == prog->result ? ty_resolve(x->args[0]) : NULL;
    if (!t || t->kind == TY_VAR) { /* the target is inferred later (`.try_into().unwrap_or(u8::MAX)`) */
        Type *a[2] = {t ? t : ty_var(VAR_ANY), ty_var(VAR_ANY)};
        k->mr->aux = a[0];
        return ty_adt(prog->result, a, 2);
    }
    if (t->kind == TY_ADT && !t->adt->builtin) {
        FnDef *f = op_impl("TryFrom", t, src);
        if (f) {
            k->mr->fn = f;
            return f->ret;
        }
    }
    if (ty_is_int(t) && (ty_is_int(src) || (src->kind == TY_VAR && src->var_kind == VAR_INT))) {
        if (src->kind == TY_VAR)
            unify(src, ty_prim(TY_I32));
        Type *a[2] = {t, ty_adt(prog->try_from_int_error, NULL, 0)};
        return ty_adt(prog->result, a, 2);
    }
    Diag *d = diag_error("E0277", e->name_span, "the trait bound `%s: TryFrom<%s>` is not satisfied", ty_str(t), ty_str(src));
    diag_primary_label(d, "the trait `TryFrom<%s>` is not implemented for `%s`", ty_str(src), ty_str(t));
    return ty_error();
}

/* v.drain(range): a range of usize (`..`, `a..`, `..b`, `a..b`, `a..=b`); its items come
 * out as a Vec's IntoIter. */
static Type *drain_type(StdCall *k)
{
    if (!arity_ok(k))
        return ty_error();
    Expr *a = k->e->args.items[0];
    while (a->kind == EX_PAREN)
        a = a->operand;
    if (a->kind == EX_RANGE) {
        if (a->lhs)
            check_coerce(k->c, a->lhs, ty_prim(TY_USIZE));
        if (a->rhs)
            check_coerce(k->c, a->rhs, ty_prim(TY_USIZE));
        a->ty = ty_range(ty_prim(TY_USIZE), a->inclusive);
        ((Expr *)k->e->args.items[0])->ty = a->ty;
    } else {
        unsupported(a->span, "`drain` with a range that is not written in place");
    }
    return ty_iter(ITER_VEC_INTO, k->env.t, ty_vec(k->env.t)); /* (a VecDeque's too) */
}

/* Is iterator t an ExactSizeIterator (its length known without iterating)? Ranges of
 * 64-bit integers and inclusive ranges of 32-bit ones are not: their length may not fit. */
static bool iter_exact(Type *t)
{
    t = ty_resolve(t);
    if (t->kind == TY_RANGE) {
        Type *el = ty_resolve(t->args[0]);
        TypeKind k = el->kind == TY_VAR ? TY_I32 : el->kind; /* (an integer not known yet: i32 by default) */
        if (t->len) /* a..: no end */
            return false;
        if (t->inclusive)
            return k == TY_I8 || k == TY_I16 || k == TY_U8 || k == TY_U16;
        return k == TY_I8 || k == TY_I16 || k == TY_I32 || k == TY_ISIZE || k == TY_U8 || k == TY_U16 || k == TY_U32 ||
               k == TY_USIZE;
    }
    if (t->kind == TY_REF && t->is_mut)
        return iter_exact(t->args[0]);
    if (t->kind != TY_ITER)
        return false;
    switch (t->iter_kind) {
    case ITER_SLICE: case ITER_SLICE_MUT: case ITER_VEC_INTO: case ITER_BYTES: case ITER_MAP_ITER:
    case ITER_MAP_ITER_MUT: case ITER_MAP_KEYS: case ITER_MAP_VALUES: case ITER_MAP_VALUES_MUT: case ITER_MAP_INTO:
    case ITER_SET_INTO: case ITER_WINDOWS: case ITER_CHUNKS:
        return true;
    case ITER_ENUMERATE: case ITER_REV: case ITER_MAP: case ITER_COPIED: case ITER_CLONED: case ITER_SKIP:
    case ITER_TAKE: case ITER_STEP_BY: case ITER_INSPECT: case ITER_PEEKABLE:
        return iter_exact(t->args[1]);
    case ITER_ZIP:
        return iter_exact(t->args[1]) && iter_exact(t->args[2]);
    default:
        return false;
    }
}

/* The iterator in t that keeps t from being a DoubleEndedIterator, and the trait it
 * lacks (`*exact`: ExactSizeIterator, which skip, take, zip, step_by and enumerate
 * need of what they adapt to run from the back); NULL when t is one. */
static Type *not_double_ended(Type *t, bool *exact)
{
    t = ty_resolve(t);
    *exact = false;
    if (t->kind == TY_RANGE)
        return t->len ? t : NULL;
    if (t->kind == TY_REF && t->is_mut)
        return not_double_ended(t->args[0], exact);
    if (t->kind != TY_ITER)
        return t->kind == TY_VAR || t->kind == TY_ERROR ? NULL : t; /* (a user iterator: no next_back) */
    switch (t->iter_kind) {
    case ITER_ENUMERATE: case ITER_SKIP: case ITER_TAKE: case ITER_STEP_BY: case ITER_ZIP: {
        Type *in[2] = {t->args[1], t->iter_kind == ITER_ZIP ? t->args[2] : NULL};
        for (int i = 0; i < 2 && in[i]; i++) {
            Type *bad = not_double_ended(in[i], exact);
            if (bad)
                return bad;
            if (!iter_exact(in[i])) {
                *exact = true;
                return ty_resolve(in[i]);
            }
        }
        return NULL;
    }
    case ITER_REV: case ITER_MAP: case ITER_FILTER: case ITER_COPIED: case ITER_CLONED: case ITER_FILTER_MAP:
    case ITER_INSPECT: case ITER_PEEKABLE: case ITER_FLATTEN: case ITER_FLAT_MAP:
        return not_double_ended(t->args[1], exact);
    case ITER_CHAIN: {
        Type *bad = not_double_ended(t->args[1], exact);
        return bad ? bad : not_double_ended(t->args[2], exact);
    }
    case ITER_TAKE_WHILE: case ITER_SKIP_WHILE: case ITER_SCAN: case ITER_RECV: case ITER_TRY_RECV:
    case ITER_FROM_FN: case ITER_SUCCESSORS:
        return t;
    default:
        return NULL;
    }
}

/* E0277 at the call: iterator `bad` is not a DoubleEndedIterator (or, exact, not an
 * ExactSizeIterator). */
static Type *iter_bound_error(StdCall *k, Type *bad, bool exact)
{
    const char *tr = exact ? "ExactSizeIterator" : "DoubleEndedIterator";
    Diag *d = diag_error("E0277", k->e->name_span, "the trait bound `%s: %s` is not satisfied", ty_str(bad), tr);
    diag_primary_label(d, "the trait `%s` is not implemented for `%s`", tr, ty_str(bad));
    return ty_error();
}

/* rev: of a DoubleEndedIterator (E0277 as rustc, at `rev`). */
static Type *rev_type(StdCall *k)
{
    Type *t = sig_call(k);
    bool exact;
    Type *bad = not_double_ended(k->b, &exact);
    return bad ? iter_bound_error(k, bad, exact) : t;
}

/* rposition: a position from the front, searched from the back (an ExactSizeIterator and
 * DoubleEndedIterator, E0277 otherwise). */
static Type *search_type(StdCall *k);
static Type *rposition_type(StdCall *k)
{
    Type *t = search_type(k);
    bool exact;
    Type *bad = not_double_ended(k->b, &exact);
    if (!bad && !iter_exact(k->b)) {
        bad = ty_resolve(k->b);
        exact = true;
    }
    return bad ? iter_bound_error(k, bad, exact) : t;
}

/* union, intersection, difference, symmetric_difference: an iterator of &T, the items
 * gathered into a Vec when called (the argument is a &Self). */
static Type *set_op_type(StdCall *k)
{
    if (!arity_ok(k))
        return ty_error();
    Type *self = ty_ref(k->b, false);
    check_coerce(k->c, k->e->args.items[0], self);
    Type *r = ty_ref(k->env.t, false);
    return ty_iter(ITER_VEC_INTO, r, ty_vec(r));
}

/* FromUtf8Error::utf8_error: its Utf8Error. */
static Type *utf8_error_type(StdCall *k)
{
    check_margs(k->c, k->e, NULL, 0);
    return ty_adt(prog->utf8_error, NULL, 0);
}

/* Iterator::eq / ne: another iterable whose items compare with these (mr->aux: their
 * type, the same on both sides). */
static Type *iter_eq_type(StdCall *k)
{
    Type *at = only_arg(k);
    if (!at)
        return ty_error();
    Expr *a = k->e->args.items[0];
    Type *item = into_iter_item(at);
    if (!item) {
        Diag *d = diag_error("E0277", a->span, "`%s` is not an iterator", ty_str(at));
        diag_primary_label(d, "`%s` is not an iterator", ty_str(at));
        return ty_error();
    }
    if (!unify(k->env.item, item) || !satisfies(ty_resolve(item), find_trait("PartialEq"))) {
        Diag *d = diag_error("E0277", k->e->name_span, "can't compare `%s` with `%s`", ty_str(k->env.item), ty_str(item));
        diag_primary_label(d, "no implementation for `%s == %s`", ty_str(k->env.item), ty_str(item));
        return ty_error();
    }
    k->mr->aux = item;
    return ty_prim(TY_BOOL);
}

/* VecDeque::from(v): of a Vec<T> or a [T; N], its elements in order. */
static Type *deque_from_type(StdCall *k)
{
    Type *at = only_arg(k);
    if (!at)
        return ty_error();
    Expr *a = k->e->args.items[0];
    if ((ty_is_std(at, STD_VEC) || at->kind == TY_ARRAY) && unify(k->env.t, at->args[0]))
        return sig_ret(k);
    Diag *d = diag_error("E0277", a->span, "the trait bound `%s: From<%s>` is not satisfied", ty_str(k->b), ty_str(at));
    diag_primary_label(d, "the trait `From<%s>` is not implemented for `%s`", ty_str(at), ty_str(k->b));
    return ty_error();
}

/* The Debug helpers' field (a name for a DebugStruct's), entry (a key and a value for a
 * DebugMap's) and entries (anything a `for` takes): each value is a reference to something
 * Debug. mr->aux: the value's type (entries: the items'). */
static Type *dbg_builder_type(StdCall *k)
{
    Expr *e = k->e;
    BuiltinMethod bm = k->m->id;
    bool named = bm == BM_DBGB_FIELD && ty_is_std(k->b, STD_DEBUGSTRUCT);
    bool pair = bm == BM_DBGB_ENTRY && ty_is_std(k->b, STD_DEBUGMAP);
    int want = named || pair ? 2 : 1;
    bool ok = bm == BM_DBGB_FIELD ? ty_is_std(k->b, STD_DEBUGSTRUCT) || ty_is_std(k->b, STD_DEBUGTUPLE)
                                  : !ty_is_std(k->b, STD_DEBUGSTRUCT) && !ty_is_std(k->b, STD_DEBUGTUPLE);
    if (!ok) {
        Diag *d = diag_error("E0599", e->name_span, "no method named `%s` found for struct `%s` in the current scope", e->name,
                             ty_str(k->b));
        (void)d;
        for (int i = 0; i < e->args.len; i++)
            check_expr(k->c, e->args.items[i], NULL);
        return ty_error();
    }
    if (e->args.len != want) {
        Diag *d = diag_error("E0061", e->name_span, "this method takes %d argument%s but %d argument%s supplied", want,
                             want == 1 ? "" : "s", e->args.len, e->args.len == 1 ? " was" : "s were");
        (void)d;
        for (int i = 0; i < e->args.len; i++)
            check_expr(k->c, e->args.items[i], NULL);
        return ty_error();
    }
    for (int i = 0; i < e->args.len; i++) {
        Expr *a = e->args.items[i];
        if (named && i == 0) {
            check_coerce(k->c, a, ty_ref(ty_prim(TY_STR), false));
            continue;
        }
        Type *t = ty_resolve(check_expr(k->c, a, NULL));
        if (bm == BM_DBGB_ENTRIES) {
            Type *item = into_iter_item(t);
            if (!item) {
                Diag *d = diag_error("E0277", a->span, "`%s` is not an iterator", ty_str(t));
                (void)d;
                return ty_error();
            }
            k->mr->aux = item;
            (void)fmt_trait_ok(item, FT_DEBUG, a->span, true);
            continue;
        }
        if (t->kind != TY_REF && t->kind != TY_ERROR)
            mismatch(a->span, ty_ref(t, false), t);
        else if (t->kind == TY_REF)
            (void)fmt_trait_ok(t->args[0], FT_DEBUG, a->span, true);
    }
    return ty_ref(k->b, true);
}

/* BTreeMap's first_key_value, last_key_value, pop_first, pop_last and range(a..b) (the
 * bounds are keys, written in place): not a HashMap's (E0599). */
static Type *sorted_map_type(StdCall *k)
{
    Expr *e = k->e;
    if (!ty_is_sorted_map(k->b) || !ty_is_map(k->b)) {
        Diag *d = diag_error("E0599", e->name_span, "no method named `%s` found for struct `%s` in the current scope",
                             e->name, ty_str(k->b));
        diag_primary_label(d, "method not found in `%s`", ty_str(k->b));
        for (int i = 0; i < e->args.len; i++)
            check_expr(k->c, e->args.items[i], NULL);
        return ty_error();
    }
    if (k->m->id != BM_BTREE_RANGE)
        return sig_call(k);
    if (!arity_ok(k))
        return ty_error();
    Expr *a = e->args.items[0];
    while (a->kind == EX_PAREN)
        a = a->operand;
    if (a->kind != EX_RANGE) {
        unsupported(a->span, "`range` with a range that is not written in place");
        return ty_error();
    }
    if (a->lhs)
        check_coerce(k->c, a->lhs, k->b->args[0]);
    if (a->rhs)
        check_coerce(k->c, a->rhs, k->b->args[0]);
    a->ty = ty_range(k->b->args[0], a->inclusive);
    ((Expr *)e->args.items[0])->ty = a->ty;
    Type *kv[2] = {ty_ref(k->b->args[0], false), ty_ref(k->b->args[1], false)};
    return ty_iter(ITER_MAP_ITER, ty_tuple(kv, 2), k->b);
}

/* source(): the error beneath, as an `Option<&dyn Error>`. */
static Type *source_type(StdCall *k)
{
    check_margs(k->c, k->e, NULL, 0);
    return opt_of(ty_ref(ty_dyn(prog->error), false));
}

/* max_by, min_by: a comparison of two items by reference. */
static Type *max_by_type(StdCall *k)
{
    Expr *e = k->e;
    if (!arity_ok(k))
        return ty_error();
    Type *item = k->env.item;
    Type *ps[2] = {ty_ref(item, false), ty_ref(item, false)};
    Type *r = check_callable_arg(k->c, e->args.items[0], ps, 2, FN_MUT);
    if (r)
        closure_returns(e->args.items[0], r, ty_adt(prog->ordering, NULL, 0));
    return opt_of(item);
}

/* The element of the Vec that half i of an expected `(Vec<X>, Vec<Y>)` extends with items
 * of type item: X itself when item is `&X` of a Copy X (Vec<T>: Extend<&T>), else item. */
static Type *extend_elem(Type *expected, int i, Type *item)
{
    Type *x = expected ? ty_resolve(expected) : NULL;
    Type *it = ty_resolve(item);
    if (!x || x->kind != TY_TUPLE || x->nargs != 2 || !ty_is_std(ty_resolve(x->args[i]), STD_VEC) || it->kind != TY_REF)
        return item;
    Type *el = ty_resolve(ty_resolve(x->args[i])->args[0]);
    if (el->kind != TY_REF && unify(el, it->args[0]) && sema_is_copy(cur_fn, ty_resolve(it->args[0])))
        return el;
    return item;
}

/* partition: the items the predicate accepts and the rest, each into a Vec (mrsc's
 * only Default + Extend collection for it). */
static Type *partition_type(StdCall *k)
{
    Expr *e = k->e;
    if (!arity_ok(k))
        return ty_error();
    Type *item = k->env.item;
    Type *in = ty_ref(item, false);
    Type *r = check_callable_arg(k->c, e->args.items[0], &in, 1, FN_MUT);
    if (r)
        closure_returns(e->args.items[0], r, ty_prim(TY_BOOL));
    Type *v = ty_vec(extend_elem(k->expected, 0, item));
    Type *pair[2] = {v, v};
    return ty_tuple(pair, 2);
}

/* unzip: the pairs' halves into two Vecs. */
static Type *unzip_type(StdCall *k)
{
    if (!arity_ok(k))
        return ty_error();
    Type *item = ty_resolve(k->env.item);
    if (item->kind != TY_TUPLE || item->nargs != 2) {
        if (item->kind != TY_ERROR) {
            Diag *d = diag_error("E0277", k->e->name_span, "the trait bound `%s: Extend<_>` is not satisfied", ty_str(item));
            (void)d;
        }
        return ty_error();
    }
    Type *pair[2] = {ty_vec(extend_elem(k->expected, 0, item->args[0])), ty_vec(extend_elem(k->expected, 1, item->args[1]))};
    return ty_tuple(pair, 2);
}

/* next_if: the peeked item when the closure accepts it. */
static Type *next_if_type(StdCall *k)
{
    Expr *e = k->e;
    if (!arity_ok(k))
        return ty_error();
    Type *item = k->env.item;
    Type *in = ty_ref(item, false);
    Type *r = check_callable_arg(k->c, e->args.items[0], &in, 1, FN_ONCE);
    if (r)
        closure_returns(e->args.items[0], r, ty_prim(TY_BOOL));
    return opt_of(item);
}

/* map, filter on an iterator: adaptors lowered into the loop that consumes
 * them. */
static Type *adaptor_type(StdCall *k)
{
    Expr *e = k->e;
    if (!arity_ok(k))
        return ty_error();
    Type *item = k->env.item;
    Type *in = k->m->id == BM_IT_FILTER ? ty_ref(item, false) : item;
    Type *r = check_callable_arg(k->c, e->args.items[0], &in, 1, FN_MUT);
    if (!r)
        return ty_error();
    Type *f = ((Expr *)e->args.items[0])->ty;
    if (k->m->id == BM_IT_MAP)
        return ty_iter_of(ITER_MAP, r, k->b, f);
    closure_returns(e->args.items[0], r, ty_prim(TY_BOOL));
    return ty_iter_of(ITER_FILTER, item, k->b, f);
}

/* The adaptors beyond map/filter: each call is an iterator type of its own kind over
 * the receiver, with the arguments checked here (a count, another iterator, a
 * closure). */
static Type *more_adaptor_type(StdCall *k)
{
    Expr *e = k->e;
    if (!arity_ok(k))
        return ty_error();
    Type *item = ty_resolve(k->env.item);
    switch (k->m->id) {
    case BM_IT_COPIED:
    case BM_IT_CLONED: {
        bool copied = k->m->id == BM_IT_COPIED;
        if (item->kind != TY_REF) {
            if (item->kind != TY_ERROR) {
                Diag *d = diag_error("E0271", e->name_span, "expected `%s` to be an iterator that yields `&_`, but it yields `%s`",
                                     ty_str(k->b), ty_str(item));
                (void)d;
            }
            return ty_error();
        }
        Type *t = ty_resolve(item->args[0]);
        if (copied && !sema_is_copy(cur_fn, t) && t->kind != TY_VAR) {
            Diag *d = diag_error("E0277", e->name_span, "the trait bound `%s: Copy` is not satisfied", ty_str(t));
            diag_primary_label(d, "the trait `Copy` is not implemented for `%s`", ty_str(t));
            return ty_error();
        }
        return ty_iter(copied ? ITER_COPIED : ITER_CLONED, t, k->b);
    }
    case BM_IT_SKIP:
    case BM_IT_TAKE:
    case BM_IT_STEP_BY: {
        Type *n = ty_prim(TY_USIZE);
        check_margs(k->c, e, &n, 1);
        int kind = k->m->id == BM_IT_SKIP ? ITER_SKIP : k->m->id == BM_IT_TAKE ? ITER_TAKE : ITER_STEP_BY;
        return ty_iter(kind, item, k->b);
    }
    case BM_IT_ZIP:
    case BM_IT_CHAIN: {
        Expr *other = e->args.items[0];
        Type *ot = check_expr(k->c, other, NULL);
        Type *oi = into_iter_item(ot);
        if (!oi) {
            if (ty_resolve(ot)->kind != TY_ERROR) {
                Diag *d = diag_error("E0277", other->span, "`%s` is not an iterator", ty_str(ot));
                diag_primary_label(d, "`%s` is not an iterator", ty_str(ot));
            }
            return ty_error();
        }
        if (k->m->id == BM_IT_CHAIN) {
            if (!unify(oi, item)) {
                Diag *d = diag_error("E0271", other->span, "type mismatch resolving `<%s as IntoIterator>::Item == %s`",
                                     ty_str(ot), ty_str(item));
                (void)d;
                return ty_error();
            }
            return ty_iter_of(ITER_CHAIN, item, k->b, ot);
        }
        Type *pair[2] = {item, oi};
        return ty_iter_of(ITER_ZIP, ty_tuple(pair, 2), k->b, ot);
    }
    case BM_IT_TAKE_WHILE:
    case BM_IT_SKIP_WHILE:
    case BM_IT_INSPECT: {
        Type *in = ty_ref(item, false);
        Type *r = check_callable_arg(k->c, e->args.items[0], &in, 1, FN_MUT);
        if (!r)
            return ty_error();
        Type *f = ((Expr *)e->args.items[0])->ty;
        if (k->m->id == BM_IT_INSPECT) {
            closure_returns(e->args.items[0], r, ty_unit());
            return ty_iter_of(ITER_INSPECT, item, k->b, f);
        }
        closure_returns(e->args.items[0], r, ty_prim(TY_BOOL));
        return ty_iter_of(k->m->id == BM_IT_TAKE_WHILE ? ITER_TAKE_WHILE : ITER_SKIP_WHILE, item, k->b, f);
    }
    case BM_IT_PEEKABLE:
        return ty_iter(ITER_PEEKABLE, item, k->b);
    case BM_IT_SCAN: {
        Type *st = check_expr(k->c, e->args.items[0], NULL);
        Type *ps[2] = {ty_ref(st, true), item};
        Type *r = check_callable_arg(k->c, e->args.items[1], ps, 2, FN_MUT);
        if (!r)
            return ty_error();
        Type *b = ty_var(VAR_ANY);
        closure_returns(e->args.items[1], r, opt_of(b));
        return ty_iter_of2(ITER_SCAN, b, k->b, ((Expr *)e->args.items[1])->ty, st);
    }
    case BM_IT_FLAT_MAP:
    case BM_IT_FLATTEN: {
        Expr *fe = k->m->id == BM_IT_FLAT_MAP ? e->args.items[0] : NULL;
        Type *r = fe ? check_callable_arg(k->c, fe, &item, 1, FN_MUT) : item;
        if (!r)
            return ty_error();
        Type *inner = into_iter_item(r);
        if (!inner) {
            if (ty_resolve(r)->kind != TY_ERROR) {
                Diag *d = diag_error("E0277", fe ? fe->span : e->name_span, "`%s` is not an iterator", ty_str(r));
                diag_primary_label(d, "`%s` is not an iterator", ty_str(r));
            }
            return ty_error();
        }
        if (fe)
            return ty_iter_of2(ITER_FLAT_MAP, inner, k->b, fe->ty, r);
        return ty_iter_of(ITER_FLATTEN, inner, k->b, r);
    }
    case BM_IT_FILTER_MAP: {
        Type *r = check_callable_arg(k->c, e->args.items[0], &item, 1, FN_MUT);
        if (!r)
            return ty_error();
        Type *u = ty_var(VAR_ANY);
        closure_returns(e->args.items[0], r, opt_of(u));
        return ty_iter_of(ITER_FILTER_MAP, u, k->b, ((Expr *)e->args.items[0])->ty);
    }
    default:
        return ty_error();
    }
}

/* `x.into()`: the conversion `From` gives into the expected type (E0282 when nothing
 * says which): &str (or char) into String, a number widening, a program's
 * `impl From<X> for T`, or x itself. The receiver is taken as written (no auto-deref);
 * mr->aux is the target, mr->fn the From impl's method when it is a program's. */
static Type *into_type(StdCall *k)
{
    Expr *e = k->e;
    check_margs(k->c, e, NULL, 0);
    Type *src = ty_resolve(e->operand->ty);
    Type *t = k->expected ? ty_resolve(k->expected) : NULL;
    e->operand->adjust = new_adjust(0, 0, CO_NONE, src);
    if (!t || t->kind == TY_VAR) {
        Diag *d = diag_error("E0283", e->name_span, "type annotations needed");
        diag_note(d, "cannot satisfy `_: From<%s>`", ty_str(src));
        return ty_error();
    }
    k->mr->aux = t;
    if (src->kind == TY_VAR && src->var_kind != VAR_ANY) { /* `7.into()`: the impl decides the literal's type */
        if (ty_is_numeric(t) && src->var_kind == VAR_INT && ty_is_int(t))
            unify(src, t);
    }
    Type *in = src->kind == TY_REF ? ty_resolve(src->args[0]) : NULL;
    if (ty_is_std(t, STD_STRING) &&
        ((in && (in->kind == TY_STR || ty_is_std(in, STD_STRING))) || src->kind == TY_CHAR || ty_is_std(src, STD_STRING)))
        return t;
    if (is_box_dyn_error(t) && !is_box_dyn_error(src) &&
        ((in && in->kind == TY_STR) || ty_is_std(src, STD_STRING) || satisfies(src, prog->error)))
        return t; /* impl From<&str>, From<String>, From<E: Error> for Box<dyn Error> */
    if (t->kind == TY_ADT && !t->adt->builtin) {
        FnDef *f = op_impl("From", t, src);
        if (f) {
            k->mr->fn = f;
            return t;
        }
    }
    if (unify(src, t))
        return t; /* impl<T> From<T> for T */
    if ((ty_is_numeric(t) || t->kind == TY_CHAR) && (ty_is_numeric(src) || src->kind == TY_CHAR || src->kind == TY_BOOL) &&
        num_from_ok(t, src))
        return t;
    if (t->kind == TY_STD || (t->kind == TY_ADT && t->adt->builtin)) {
        /* std has many more (`Vec<u8>: From<String>`, `Option<T>: From<T>`, `Box<str>: From<String>`) */
        unsupported(e->name_span, xprintf("the conversion of `%s` into `%s`", ty_str(src), ty_str(t)));
        return ty_error();
    }
    Diag *d = diag_error("E0277", e->name_span, "the trait bound `%s: From<%s>` is not satisfied", ty_str(t), ty_str(src));
    diag_primary_label(d, "the trait `From<%s>` is not implemented for `%s`", ty_str(src), ty_str(t));
    return ty_error();
}

/* Ord::max and Ord::min of other types than the numbers (Strings, tuples, a derived Ord):
 * Self must be Ord. */
static Type *ord_minmax_type(StdCall *k)
{
    Type *ret = sig_call(k);
    Type *t = ty_resolve(k->b);
    if (t->kind == TY_VAR || t->kind == TY_ERROR || satisfies(t, find_trait("Ord")))
        return ret;
    Diag *d = diag_error("E0599", k->e->name_span, "the method `%s` exists for %s `%s`, but its trait bounds were not satisfied",
                         k->m->name, t->kind == TY_ADT && t->adt->is_enum ? "enum" : "struct", ty_str(t));
    diag_note(d, "the following trait bounds were not satisfied:\n        `%s: Ord`", ty_str(t));
    return ret;
}

/* sort, sort_unstable, binary_search: T: Ord; Iterator::max and min: Item: Ord (E0277 at
 * the method, as rustc). */
static Type *ord_elem_type(StdCall *k)
{
    Type *ret = sig_call(k);
    Type *t = k->m->families & FAM_ITER ? k->env.item : k->env.t;
    if (not_ord(t))
        bound_error(k->e->name_span, unref(t), find_trait("Ord"));
    return ret;
}

/* Cell::get (T: Copy), Cell::take and RefCell::take (T: Default), Rc::make_mut
 * (T: Clone): rows whose impl has a bound on T. */
static Type *bounded_type(StdCall *k)
{
    BuiltinMethod bm = k->m->id;
    const char *tr = bm == BM_CELL_GET ? "Copy" : bm == BM_RC_MAKE_MUT || bm == BM_SL_FILL ? "Clone" : "Default";
    Type *ret = sig_call(k);
    Type *t = ty_resolve(k->env.t);
    if (t->kind == TY_VAR || t->kind == TY_ERROR || satisfies(t, find_trait(tr)))
        return ret;
    if (bm == BM_RC_MAKE_MUT) {
        bound_error(k->e->span, t, find_trait(tr));
        return ret;
    }
    Diag *d = diag_error("E0599", k->e->name_span, "the method `%s` exists for struct `%s`, but its trait bounds were not satisfied",
                         k->m->name, ty_str(k->b));
    diag_note(d, "the following trait bounds were not satisfied:\n        `%s: %s`", ty_str(t), tr);
    return ret;
}

/* fetch_add, fetch_sub: of an integer only (AtomicBool has none). */
static Type *atomic_int_type(StdCall *k)
{
    Type *t = ty_resolve(k->env.t);
    if (t->kind > TY_USIZE) {
        Diag *d = diag_error("E0599", k->e->name_span, "no method named `%s` found for struct `%s` in the current scope",
                             k->m->name, ty_str(k->b));
        diag_primary_label(d, "method not found in `%s`", ty_str(k->b));
    }
    return sig_call(k);
}

/* Rc::from(x) (Arc::from): str from &str or String, [T] from Vec<T>, else T itself. */
static Type *rc_from_type(StdCall *k)
{
    Type *self = k->b;
    if (k->expected)
        unify(self, k->expected);
    if (!arity_ok(k))
        return self;
    Expr *arg = k->e->args.items[0];
    Type *a = ty_resolve(check_expr(k->c, arg, NULL));
    Type *t = ty_resolve(self->args[0]);
    Type *in = a->kind == TY_REF ? ty_resolve(a->args[0]) : a;
    bool str_src = ty_is_std(in, STD_STRING) || in->kind == TY_STR;
    if (t->kind == TY_STR || (t->kind == TY_VAR && str_src && a->kind == TY_REF && in->kind == TY_STR)) {
        unify(t, ty_prim(TY_STR));
        if (!str_src && a->kind != TY_ERROR)
            mismatch(arg->span, ty_ref(ty_prim(TY_STR), false), a);
        return self;
    }
    if (t->kind == TY_SLICE || (t->kind == TY_VAR && ty_is_std(a, STD_VEC))) {
        if (!ty_is_std(a, STD_VEC)) {
            if (a->kind != TY_ERROR)
                mismatch(arg->span, ty_vec(t->kind == TY_SLICE ? t->args[0] : ty_var(VAR_ANY)), a);
            return self;
        }
        unify(t, ty_slice(a->args[0]));
        return self;
    }
    if (!unify(t, a))
        mismatch(arg->span, t, a);
    return self;
}

/* s.spawn(|| ..): a thread of the scope, running the closure. */
static Type *scope_spawn_type(StdCall *k)
{
    if (!arity_ok(k))
        return ty_error();
    Type *r = check_callable_arg(k->c, k->e->args.items[0], NULL, 0, FN_ONCE);
    if (!r)
        r = ty_error();
    return ty_std(STD_SCOPEDJOINHANDLE, &r, 1);
}

/* RefCell::replace_with(|v| ..): the closure takes the value mutably and makes the new one. */
static Type *replace_with_type(StdCall *k)
{
    if (!arity_ok(k))
        return k->env.t;
    Type *in = ty_ref(k->env.t, true);
    Type *r = check_callable_arg(k->c, k->e->args.items[0], &in, 1, FN_ONCE);
    if (r)
        closure_returns(k->e->args.items[0], r, k->env.t);
    return k->env.t;
}

/* Ref::map(r, |v| &v.field), RefMut::map(r, |v| &mut v.field): the guard kept,
 * pointing into what the closure picks. */
/* The closure of a `map` that picks a part: it takes &T (&mut T) and gives &U (&mut U): U. */
static Type *map_part_closure(StdCall *k, Type *t, bool mut)
{
    Type *in = ty_ref(t, mut);
    Type *u = ty_var(VAR_ANY);
    Type *r = check_callable_arg(k->c, k->e->args.items[0], &in, 1, FN_ONCE);
    if (r)
        closure_returns(k->e->args.items[0], r, ty_ref(u, mut));
    return u;
}

static Type *guard_map_type(StdCall *k)
{
    bool mut = ty_is_std(k->b, STD_REFMUT);
    if (!arity_ok(k))
        return ty_error();
    Type *u = map_part_closure(k, k->env.t, mut);
    return ty_std(k->b->std->id, &u, 1);
}


/* ---- Pin (Tier 4) ---- */

/* Is the call outside `unsafe`? Then E0133 for calling unsafe fn `what`. */
static void require_unsafe(StdCall *k, const char *what)
{
    if (k->c->unsafe_depth)
        return;
    Diag *d = diag_error("E0133", k->e->span, "call to unsafe function `%s` is unsafe and requires unsafe function or block", what);
    diag_primary_label(d, "call to unsafe function");
    diag_note(d, "consult the function's documentation for information on how to avoid undefined behavior");
}

/* Pin::new(p) (Target: Unpin), Pin::new_unchecked(p) (unsafe): p a reference or a Box. */
static Type *pin_new_type(StdCall *k)
{
    bool unchecked = k->m->id == BM_PIN_NEW_UNCHECKED;
    if (unchecked)
        require_unsafe(k, "Pin::<Ptr>::new_unchecked");
    Type *self = k->b;
    if (k->expected)
        unify(self, k->expected);
    if (!arity_ok(k))
        return self;
    Expr *arg = k->e->args.items[0];
    Type *a = ty_resolve(check_expr(k->c, arg, self->args[0]));
    if (a->kind == TY_ERROR)
        return self;
    if (a->kind != TY_REF && !ty_is_std(a, STD_BOX)) {
        Diag *d = diag_error("E0277", arg->span, "the trait bound `%s: Deref` is not satisfied", ty_str(a));
        diag_primary_label(d, "the trait `Deref` is not implemented for `%s`", ty_str(a));
        return self;
    }
    if (!unify(self->args[0], a))
        mismatch(arg->span, self->args[0], a);
    Type *culprit;
    if (!unchecked && !ty_is_unpin(a->args[0], &culprit))
        unpin_error(arg->span, a->args[0], culprit, "Pin::<Ptr>::new");
    return self;
}

/* as_mut, as_ref, set, get_mut, get_ref, into_ref, into_inner, get_unchecked_mut: typed
 * by the row, Target being the pointer's target; the bounds and `unsafe` checked here. */
static Type *pin_target_type(StdCall *k)
{
    Type *ret = sig_call(k);
    Type *p = ty_resolve(k->b->args[0]);
    BuiltinMethod bm = k->m->id;
    if (bm == BM_PIN_GET_UNCHECKED_MUT)
        require_unsafe(k, "Pin::<&'a mut T>::get_unchecked_mut");
    if ((bm == BM_PIN_GET_MUT || bm == BM_PIN_GET_UNCHECKED_MUT || bm == BM_PIN_AS_MUT || bm == BM_PIN_SET) &&
        p->kind == TY_REF && !p->is_mut) {
        Diag *d = diag_error("E0599", k->e->name_span, "no method named `%s` found for struct `%s` in the current scope",
                             k->m->name, ty_str(k->b));
        diag_primary_label(d, "method not found in `%s`", ty_str(k->b));
        return ty_error();
    }
    Type *culprit;
    if ((bm == BM_PIN_GET_MUT || bm == BM_PIN_INTO_INNER) && p->kind != TY_VAR && p->kind != TY_ERROR &&
        !ty_is_unpin(k->env.target, &culprit))
        unpin_error(k->e->name_span, k->env.target, culprit,
                    bm == BM_PIN_GET_MUT ? "Pin::<&'a mut T>::get_mut" : "Pin::<Ptr>::into_inner");
    return ret;
}

/* map_unchecked_mut(|s| &mut s.field), map_unchecked(|s| &s.field): unsafe; the closure
 * takes the target and gives a reference into it, which the result pins. */
static Type *pin_map_type(StdCall *k)
{
    bool mut = k->m->id == BM_PIN_MAP_UNCHECKED_MUT;
    require_unsafe(k, mut ? "Pin::<&'a mut T>::map_unchecked_mut" : "Pin::<&'a T>::map_unchecked");
    if (!arity_ok(k))
        return ty_error();
    Type *pr = ty_ref(map_part_closure(k, k->env.target, mut), mut);
    return ty_std(STD_PIN, &pr, 1);
}

/* `.project()` / `.project_ref()` of a pinned #[pin_project] value: its projection type. */
static Type *pin_project_type(StdCall *k)
{
    bool ref = k->m->id == BM_PIN_PROJECT_REF;
    check_margs(k->c, k->e, NULL, 0);
    Type *p = ty_resolve(k->b->args[0]);
    Type *t = p->kind == TY_REF ? ty_resolve(p->args[0]) : NULL;
    if (!t || t->kind != TY_ADT || !t->adt->pin_project || p->is_mut == ref) {
        if (t && t->kind == TY_ERROR)
            return ty_error();
        Diag *d = diag_error("E0599", k->e->name_span, "no method named `%s` found for struct `%s` in the current scope",
                             k->m->name, ty_str(k->b));
        diag_primary_label(d, "method not found in `%s`", ty_str(k->b));
        return ty_error();
    }
    return ty_adt(ref ? t->adt->proj_ref : t->adt->proj, t->args, t->nargs);
}

/* ptr.add(n), ptr.offset(n): unsafe (the result must stay in the same allocation). */
static Type *ptr_offset_type(StdCall *k)
{
    Type *p = k->b;
    require_unsafe(k, xprintf("std::ptr::%s_ptr::<impl %s T>::%s", p->is_mut ? "mut" : "const",
                              p->is_mut ? "*mut" : "*const", k->m->name));
    return sig_call(k);
}

/* poll.map(|v| ..): Ready(f(v)), or Pending. */
static Type *poll_map_type(StdCall *k)
{
    if (!arity_ok(k))
        return ty_error();
    Type *in = k->env.t;
    Type *r = check_callable_arg(k->c, k->e->args.items[0], &in, 1, FN_ONCE);
    if (!r)
        r = ty_error();
    return ty_adt(prog->poll, &r, 1);
}

static StdHook *const hooks[BM_COUNT] = {
#define SM(id, families, name, sig, c)
#define SM_HOOK(id, families, name, sig, c, hook) [BM_##id] = hook,
#include "std_methods.def"
#undef SM
#undef SM_HOOK
};

/* The environment of a row's signature, Self being b. */
static void sig_env(SigEnv *v, Type *b)
{
    v->self = b;
    v->t = b->nargs >= 1 ? b->args[0] : ty_error();
    v->e = b->nargs >= 2 ? b->args[1] : ty_error();
    /* std iterators carry their Item, a user's comes from its impl */
    v->item = b->kind == TY_ITER || b->kind == TY_RANGE ? b->args[0] : user_iter_item(b);
    if (b->kind == TY_REF && b->is_mut && (ty_resolve(b->args[0])->kind == TY_ITER || ty_resolve(b->args[0])->kind == TY_RANGE))
        v->item = ty_resolve(b->args[0])->args[0];
    if (!v->item)
        v->item = ty_error();
    /* a Pin's pointer's target (a fresh variable while the pointer is not known) */
    Type *p = ty_is_std(b, STD_PIN) ? ty_resolve(b->args[0]) : NULL;
    v->target = p && (p->kind == TY_REF || ty_is_std(p, STD_BOX)) ? p->args[0] : ty_var(VAR_ANY);
}

Type *std_static_type(Ctx *c, Expr *e, const StdMethod *m, Type *self, Type *expected)
{
    StdCall k = {.c = c, .e = e, .m = m, .b = self, .expected = expected};
    sig_env(&k.env, self);
    if (hooks[m->id])
        return hooks[m->id](&k);
    Type *ps[STD_MAX_ARGS];
    Type *ret = sig_read(m, &k.env, ps, NULL);
    check_args(c, e, e->operand->span, &e->args, ps, m->nargs, "function");
    return ret;
}

Type *std_method_type(Ctx *c, Expr *e, const StdMethod *m, Type *b, Type *expected, MethodRes *mr)
{
    StdCall k = {.c = c, .e = e, .m = m, .b = b, .expected = expected, .mr = mr};
    sig_env(&k.env, b);
    Type *r = hooks[m->id] ? hooks[m->id](&k) : sig_call(&k);
    Type *rr = ty_resolve(r);
    if (ty_is_sorted_map(b) && rr->kind == TY_ITER && rr->nargs == 2 && rr->iter_kind >= ITER_MAP_ITER &&
        rr->iter_kind <= ITER_SET_INTO) /* (the signatures spell a HashMap's iterators: a BTreeMap's walk it) */
        r = ty_iter(rr->iter_kind, rr->args[0], b);
    return r;
}
