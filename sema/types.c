/* types.c — interned types.
 *
 * requires: nothing; produces: canonical Type objects (pointer equality is
 * type equality for types without inference variables), the zonk that
 * removes inference variables, and rustc's spelling of types for messages. */
#include "sema.h"

#include <ctype.h>
#include <string.h>

/* Interning: a linear-probing hash table keyed by the structural fields. */
const char *(*ty_param_namer)(int index);
Type *(*ty_normalize_hook)(Type *t);

static Type **table;
static size_t table_cap, table_len;
static int next_id;
static Type *prims[TY_NEVER + 1];
static Type *unit_ty, *error_ty, *string_ty;

static uint64_t hash_type(const Type *t)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)t->kind;
    h = (h ^ t->len) * 1099511628211ull;
    h = (h ^ (uint64_t)(t->is_mut | t->inclusive << 1)) * 1099511628211ull;
    h = (h ^ (uint64_t)t->iter_kind) * 1099511628211ull;
    h = (h ^ (uint64_t)(uintptr_t)t->adt) * 1099511628211ull;
    h = (h ^ (uint64_t)(uintptr_t)t->std) * 1099511628211ull;
    h = (h ^ (uint64_t)(uintptr_t)t->trait) * 1099511628211ull;
    h = (h ^ (uint64_t)(uintptr_t)t->clo) * 1099511628211ull;
    h = (h ^ (uint64_t)(uintptr_t)t->async_fn) * 1099511628211ull;
    h = (h ^ (uint64_t)t->param_index) * 1099511628211ull;
    for (int i = 0; i < t->nargs; i++)
        h = (h ^ (uint64_t)(uintptr_t)t->args[i]) * 1099511628211ull;
    return h;
}

static bool same_type(const Type *a, const Type *b)
{
    if (a->kind != b->kind || a->nargs != b->nargs || a->len != b->len || a->is_mut != b->is_mut ||
        a->inclusive != b->inclusive || a->iter_kind != b->iter_kind || a->adt != b->adt || a->std != b->std || a->trait != b->trait || a->clo != b->clo || a->async_fn != b->async_fn ||
        a->param_index != b->param_index)
        return false;
    for (int i = 0; i < a->nargs; i++)
        if (a->args[i] != b->args[i])
            return false;
    return true;
}

static void grow_table(void)
{
    size_t cap = table_cap ? table_cap * 2 : 1024;
    Type **t = arena_alloc(g_arena, cap * sizeof(Type *));
    for (size_t i = 0; i < table_cap; i++) {
        if (!table[i])
            continue;
        size_t j = hash_type(table[i]) & (cap - 1);
        while (t[j])
            j = (j + 1) & (cap - 1);
        t[j] = table[i];
    }
    table = t;
    table_cap = cap;
}

/* Return the canonical copy of `proto` (whose args are copied if new). */
static Type *intern(Type proto)
{
    if ((table_len + 1) * 2 > table_cap)
        grow_table();
    size_t j = hash_type(&proto) & (table_cap - 1);
    while (table[j]) {
        if (same_type(table[j], &proto))
            return table[j];
        j = (j + 1) & (table_cap - 1);
    }
    Type *t = NEW(Type);
    *t = proto;
    if (proto.nargs) {
        t->args = arena_alloc(g_arena, sizeof(Type *) * (size_t)proto.nargs);
        memcpy(t->args, proto.args, sizeof(Type *) * (size_t)proto.nargs);
    }
    t->id = next_id++;
    table[j] = t;
    table_len++;
    return t;
}

void types_init(void)
{
    table = NULL;
    table_cap = table_len = 0;
    next_id = 0;
    for (int k = 0; k <= TY_NEVER; k++)
        prims[k] = intern((Type){.kind = (TypeKind)k});
    unit_ty = intern((Type){.kind = TY_TUPLE});
    error_ty = intern((Type){.kind = TY_ERROR});
    string_ty = ty_std(STD_STRING, NULL, 0);
}

Type *ty_prim(TypeKind k) { return prims[k]; }
Type *ty_unit(void) { return unit_ty; }
Type *ty_error(void) { return error_ty; }
Type *ty_string(void) { return string_ty; }

Type *ty_tuple(Type **elems, int n)
{
    return intern((Type){.kind = TY_TUPLE, .args = elems, .nargs = n});
}

Type *ty_array(Type *elem, uint64_t len)
{
    return intern((Type){.kind = TY_ARRAY, .args = &elem, .nargs = 1, .len = len});
}

Type *ty_slice(Type *elem) { return intern((Type){.kind = TY_SLICE, .args = &elem, .nargs = 1}); }

Type *ty_ref(Type *inner, bool is_mut)
{
    return intern((Type){.kind = TY_REF, .args = &inner, .nargs = 1, .is_mut = is_mut});
}

Type *ty_ptr(Type *inner, bool is_mut)
{
    return intern((Type){.kind = TY_PTR, .args = &inner, .nargs = 1, .is_mut = is_mut});
}

Type *ty_fn(Type **params, int n, Type *ret)
{
    Type *args[n + 1];
    for (int i = 0; i < n; i++)
        args[i] = params[i];
    args[n] = ret;
    return intern((Type){.kind = TY_FN, .args = args, .nargs = n + 1});
}

Type *ty_adt(AdtDef *adt, Type **args, int n)
{
    return intern((Type){.kind = TY_ADT, .adt = adt, .args = args, .nargs = n});
}

const StdType std_types[STD_COUNT] = {
#define ST(id, name, np, deref, fam, disp, dbg, cl, df, cmp, mod) {STD_##id, name, np, deref, fam, disp, dbg, cl, df, cmp, mod},
#include "std_types.def"
#undef ST
};

const StdType *std_type_named(const char *name)
{
    for (int i = 0; i < STD_COUNT; i++)
        if (!strcmp(std_types[i].name, name))
            return &std_types[i];
    return NULL;
}

Type *ty_std(StdTypeId id, Type **args, int n)
{
    return intern((Type){.kind = TY_STD, .std = &std_types[id], .args = args, .nargs = n});
}

Type *ty_vec(Type *elem) { return ty_std(STD_VEC, &elem, 1); }
Type *ty_box(Type *inner) { return ty_std(STD_BOX, &inner, 1); }

Type *ty_std_deref(Type *t)
{
    if (t->kind != TY_STD)
        return NULL;
    switch (t->std->deref) {
    case SD_ARG:
    case SD_ARG_SHARED: return t->args[0];
    case SD_SLICE: return ty_slice(t->args[0]);
    case SD_STR: return ty_prim(TY_STR);
    case SD_NONE: break;
    }
    return NULL;
}

Type *ty_range(Type *elem, bool inclusive)
{
    return intern((Type){.kind = TY_RANGE, .args = &elem, .nargs = 1, .inclusive = inclusive});
}

Type *ty_range_from(Type *elem)
{
    return intern((Type){.kind = TY_RANGE, .args = &elem, .nargs = 1, .len = 1});
}

bool iter_kind_adapts(int kind)
{
    switch (kind) {
    case ITER_ENUMERATE: case ITER_REV: case ITER_MAP: case ITER_FILTER: case ITER_COPIED: case ITER_CLONED:
    case ITER_SKIP: case ITER_TAKE: case ITER_STEP_BY: case ITER_ZIP: case ITER_CHAIN: case ITER_TAKE_WHILE:
    case ITER_SKIP_WHILE: case ITER_FILTER_MAP: case ITER_INSPECT: case ITER_PEEKABLE: case ITER_SCAN:
    case ITER_FLAT_MAP: case ITER_FLATTEN: case ITER_CYCLE:
        return true;
    default:
        return false;
    }
}

Type *ty_iter(int kind, Type *item, Type *inner)
{
    return ty_iter_of(kind, item, inner, NULL);
}

Type *ty_iter_of(int kind, Type *item, Type *inner, Type *extra)
{
    return ty_iter_of2(kind, item, inner, extra, NULL);
}

Type *ty_iter_of2(int kind, Type *item, Type *inner, Type *extra, Type *extra2)
{
    Type *args[4] = {item, inner, extra, extra2};
    int n = extra2 ? 4 : extra ? 3 : inner ? 2 : 1;
    return intern((Type){.kind = TY_ITER, .iter_kind = kind, .args = args, .nargs = n});
}

Type *ty_param(int index, const char *name)
{
    (void)name;
    return intern((Type){.kind = TY_PARAM, .param_index = index});
}

Type *ty_dyn(struct TraitDef *trait) { return intern((Type){.kind = TY_DYN, .trait = trait}); }
Type *ty_closure(struct Closure *clo, Type **args, int n)
{
    return intern((Type){.kind = TY_CLOSURE, .clo = clo, .args = args, .nargs = n});
}

Type *ty_async(FnDef *f, Type **args, int n)
{
    return intern((Type){.kind = TY_ASYNC, .async_fn = f, .args = args, .nargs = n});
}

Type *ty_capture_type(Type *t, struct Capture *cp) { return ty_subst(cp->type, t->args, t->nargs); }

Type *ty_proj(Type *base, struct TraitDef *trait, int assoc_index)
{
    return ty_proj_args(base, trait, assoc_index, NULL, 0);
}

/* <base as Trait<targs..>>::X: of a generic trait, its arguments follow the base. */
Type *ty_proj_args(Type *base, struct TraitDef *trait, int assoc_index, Type **targs, int n)
{
    Type *args[n + 1];
    args[0] = base;
    for (int i = 0; i < n; i++)
        args[1 + i] = targs[i];
    Type *t = intern((Type){.kind = TY_PROJ, .args = args, .nargs = 1 + n, .trait = trait, .len = (uint64_t)assoc_index});
    return ty_normalize_hook ? ty_normalize_hook(t) : t;
}

/* Inference variables are never interned: each is its own object. */
Type *ty_var(VarKind k)
{
    Type *t = NEW(Type);
    t->kind = TY_VAR;
    t->var_kind = k;
    t->id = next_id++;
    return t;
}

Type *ty_resolve(Type *t)
{
    while (t && t->kind == TY_VAR && t->link)
        t = t->link;
    if (t && t->kind == TY_PROJ && ty_normalize_hook) {
        Type *n = ty_normalize_hook(t);
        if (n != t)
            return ty_resolve(n);
    }
    return t;
}

static bool has_vars(Type *t)
{
    if (t->kind == TY_VAR)
        return true;
    for (int i = 0; i < t->nargs; i++)
        if (t->args[i] && has_vars(t->args[i]))
            return true;
    return false;
}

static void spell(StrBuf *sb, Type *t);

/* A std iterator as rustc names it: `Map<Iter<'_, i32>, {closure@a.rs:3:27: 3:30}>`. */
static void spell_iter(StrBuf *sb, Type *t)
{
    static const struct { int kind; const char *name; int n; } names[] = {
        /* n: what follows the name: 1 the inner iterator, 2 and the closure or other iterator,
         * 0 the item's referent (Iter<'_, T>), -1 nothing but a lifetime, -2 the item */
        {ITER_ENUMERATE, "Enumerate", 1}, {ITER_REV, "Rev", 1}, {ITER_MAP, "Map", 2}, {ITER_FILTER, "Filter", 2},
        {ITER_COPIED, "Copied", 1}, {ITER_CLONED, "Cloned", 1}, {ITER_SKIP, "Skip", 1}, {ITER_TAKE, "Take", 1},
        {ITER_STEP_BY, "StepBy", 1}, {ITER_ZIP, "Zip", 2}, {ITER_CHAIN, "Chain", 2}, {ITER_TAKE_WHILE, "TakeWhile", 2},
        {ITER_SKIP_WHILE, "SkipWhile", 2}, {ITER_FILTER_MAP, "FilterMap", 2}, {ITER_INSPECT, "Inspect", 2},
        {ITER_PEEKABLE, "Peekable", 1}, {ITER_SCAN, "Scan", 3}, {ITER_FLAT_MAP, "FlatMap", 3},
        {ITER_FLATTEN, "Flatten", 1}, {ITER_WINDOWS, "Windows", 0}, {ITER_CHUNKS, "Chunks", 0},
        {ITER_SLICE, "std::slice::Iter", 0}, {ITER_SLICE_MUT, "std::slice::IterMut", 0},
        {ITER_VEC_INTO, "std::vec::IntoIter", -2}, {ITER_CHARS, "Chars", -1}, {ITER_CHAR_INDICES, "CharIndices", -1},
        {ITER_BYTES, "Bytes", -1}, {ITER_SPLIT_WS, "SplitWhitespace", -1}, {ITER_LINES, "Lines", -1},
        {ITER_REPEAT, "std::iter::Repeat", -2}, {ITER_ONCE, "std::iter::Once", -2},
        {ITER_FROM_FN, "std::iter::FromFn", -3}, {ITER_SUCCESSORS, "std::iter::Successors", -4},
        {ITER_CYCLE, "Cycle", 1}, {ITER_TO_UPPER, "ToUppercase", -5}, {ITER_TO_LOWER, "ToLowercase", -5},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (names[i].kind != t->iter_kind || (names[i].n > 0 && t->nargs < names[i].n + 1))
            continue;
        sb_puts(sb, names[i].name);
        switch (names[i].n) {
        case -1: sb_puts(sb, "<'_>"); return;
        case -5: return; /* (no parameters) */
        case -2: sb_putc(sb, '<'); spell(sb, t->args[0]); sb_putc(sb, '>'); return;
        case -3: sb_putc(sb, '<'); spell(sb, t->args[2]); sb_putc(sb, '>'); return; /* the closure */
        case -4: /* the item and the closure */
            sb_putc(sb, '<');
            spell(sb, t->args[0]);
            sb_puts(sb, ", ");
            spell(sb, t->args[2]);
            sb_putc(sb, '>');
            return;
        case 0:
            sb_puts(sb, "<'_, ");
            spell(sb, ty_resolve(t->args[0])->kind == TY_REF ? ty_resolve(t->args[0])->args[0] : t->args[0]);
            sb_putc(sb, '>');
            return;
        default:
            sb_putc(sb, '<');
            for (int k = 1; k <= names[i].n; k++) {
                if (k > 1)
                    sb_puts(sb, ", ");
                spell(sb, t->args[k]);
            }
            sb_putc(sb, '>');
            return;
        }
    }
    sb_puts(sb, "impl Iterator<Item = ");
    spell(sb, t->args[0]);
    sb_putc(sb, '>');
}

/* Rebuild t with each child mapped through f. */
static Type *rebuild(Type *t, Type *(*f)(Type *, void *), void *ctx)
{
    Type *args[t->nargs > 0 ? t->nargs : 1];
    bool changed = false;
    for (int i = 0; i < t->nargs; i++) {
        args[i] = t->args[i] ? f(t->args[i], ctx) : NULL;
        changed |= args[i] != t->args[i];
    }
    if (!changed)
        return t;
    Type proto = *t;
    proto.args = args;
    proto.cname = NULL;
    proto.cg = NULL;
    return intern(proto);
}

static Type *zonk_f(Type *t, void *ctx)
{
    (void)ctx;
    return ty_zonk(t);
}

Type *ty_zonk(Type *t)
{
    t = ty_resolve(t);
    if (t->kind == TY_VAR) {
        /* Unconstrained: rustc's fallback. */
        if (t->var_kind == VAR_INT)
            return t->link = prims[TY_I32];
        if (t->var_kind == VAR_FLOAT)
            return t->link = prims[TY_F64];
        return t->link = unit_ty; /* `!`-fallback / unconstrained: () */
    }
    if (!has_vars(t))
        return t;
    Type *r = rebuild(t, zonk_f, NULL);
    if (r->kind == TY_PROJ && ty_normalize_hook)
        r = ty_normalize_hook(r);
    return r;
}

static Type *deep_f(Type *t, void *ctx)
{
    (void)ctx;
    return ty_resolve_deep(t);
}

/* t with every bound variable replaced by its value, the free ones kept. */
Type *ty_resolve_deep(Type *t)
{
    t = ty_resolve(t);
    if (t->kind == TY_VAR || !has_vars(t))
        return t;
    return rebuild(t, deep_f, NULL);
}

/* Does t (its bound variables followed) hold a type of kind k? */
static bool holds_kind(Type *t, TypeKind k)
{
    t = ty_resolve(t);
    if (t->kind == k)
        return true;
    for (int i = 0; i < t->nargs; i++)
        if (t->args[i] && holds_kind(t->args[i], k))
            return true;
    return false;
}

/* Does t name a type parameter? */
bool ty_has_params(Type *t) { return holds_kind(t, TY_PARAM); }

/* Does t still hold an unbound inference variable? */
bool ty_has_vars(Type *t) { return holds_kind(t, TY_VAR); }

typedef struct SubstCtx {
    Type **args;
    int n;
} SubstCtx;

static Type *subst_f(Type *t, void *ctx)
{
    SubstCtx *s = ctx;
    t = ty_resolve(t);
    if (t->kind == TY_PARAM)
        return t->param_index < s->n ? s->args[t->param_index] : t;
    if (t->nargs == 0)
        return t;
    Type *r = rebuild(t, subst_f, ctx);
    if (r->kind == TY_PROJ && ty_normalize_hook)
        r = ty_normalize_hook(r);
    return r;
}

Type *ty_subst(Type *t, Type **args, int n)
{
    SubstCtx s = {args, n};
    return subst_f(t, &s);
}

bool ty_is_int(Type *t)
{
    t = ty_resolve(t);
    return t->kind <= TY_USIZE || (t->kind == TY_VAR && t->var_kind == VAR_INT);
}

bool ty_is_signed(Type *t)
{
    t = ty_resolve(t);
    return t->kind <= TY_ISIZE || (t->kind == TY_VAR && t->var_kind == VAR_INT);
}

bool ty_is_float(Type *t)
{
    t = ty_resolve(t);
    return t->kind == TY_F32 || t->kind == TY_F64 || (t->kind == TY_VAR && t->var_kind == VAR_FLOAT);
}

bool ty_is_numeric(Type *t) { return ty_is_int(t) || ty_is_float(t); }

bool ty_is_unit(Type *t)
{
    t = ty_resolve(t);
    return t->kind == TY_TUPLE && t->nargs == 0;
}

bool ty_is_copy(Type *t)
{
    t = ty_resolve(t);
    switch (t->kind) {
    case TY_TUPLE:
    case TY_ARRAY:
        for (int i = 0; i < t->nargs; i++)
            if (!ty_is_copy(t->args[i]))
                return false;
        return true;
    case TY_REF:
        return !t->is_mut;
    case TY_ADT:
        if (!(t->adt->derives & DERIVE_COPY))
            return false;
        if (t->adt->copy_any_args)
            return true;
        for (int i = 0; i < t->nargs; i++)
            if (!ty_is_copy(t->args[i]))
                return false;
        return true;
    case TY_STD:
        if (ty_is_std(t, STD_PIN)) /* Pin<&T> is Copy, Pin<&mut T> and Pin<Box<T>> are not */
            return ty_is_copy(t->args[0]);
        return ty_is_std(t, STD_DURATION) || ty_is_std(t, STD_INSTANT);
    case TY_SLICE:
    case TY_STR:
    case TY_ITER:
    case TY_RANGE:
    case TY_PARAM:
    case TY_DYN:
    case TY_ASYNC: /* a future is never Copy */
        return false;
    case TY_VAR:
        return t->var_kind != VAR_ANY;
    case TY_CLOSURE:
        /* Copy when every capture is: shared borrows, and Copy values */
        for (int i = 0; i < t->clo->captures.len; i++) {
            Capture *c = t->clo->captures.items[i];
            if (c->mode == CAP_MUT || (c->mode == CAP_VALUE && !ty_is_copy(ty_capture_type(t, c))))
                return false;
        }
        return t->clo->analyzed;
    default:
        return true;
    }
}

/* Does a value of type t own something that must be released: a String, Vec
 * or Box, a type with `impl Drop`, or an aggregate holding one? (Drop glue
 * exists exactly for these; a Box stops the walk at a recursive type.) */
bool ty_needs_drop(Type *t)
{
    switch (t->kind) {
    case TY_STD: /* each owns memory, or (a RefCell guard) gives back a borrow */
        if (ty_is_std(t, STD_CELL) || ty_is_std(t, STD_REFCELL) || ty_is_std(t, STD_MUTEX) ||
            ty_is_std(t, STD_POISONERROR) || ty_is_std(t, STD_SENDERROR) || ty_is_std(t, STD_RWLOCK) ||
            ty_is_std(t, STD_TRYLOCKERROR))
            return ty_needs_drop(t->args[0]); /* (what they hold) */
        if (ty_is_std(t, STD_PIN)) /* what the pointer owns: a Pin<Box<T>> frees its box */
            return ty_needs_drop(t->args[0]);
        if (ty_is_std(t, STD_CONTEXT) || ty_is_std(t, STD_INSTANT) || ty_is_std(t, STD_PENDING) ||
            (t->std->families & FAM_DBGB))
            return false;
        if (ty_is_std(t, STD_READY) || ty_is_std(t, STD_POLLFN))
            return ty_needs_drop(t->args[0]);
        if (ty_is_std(t, STD_ATOMIC) || ty_is_std(t, STD_DURATION) || ty_is_std(t, STD_SCOPE) ||
            ty_is_std(t, STD_SCOPEDJOINHANDLE))
            return false; /* (a scoped thread is joined by its scope) */
        return true;
    case TY_TUPLE:
    case TY_ARRAY:
        for (int i = 0; i < t->nargs; i++)
            if (ty_needs_drop(t->args[i]))
                return true;
        return false;
    case TY_ADT:
        if (t->adt->drop_impl)
            return true;
        for (int v = 0; v < t->adt->nvariants; v++)
            for (int i = 0; i < t->adt->variants[v].nfields; i++)
                if (ty_needs_drop(ty_subst(t->adt->variants[v].fields[i].type, t->args, t->nargs)))
                    return true;
        return false;
    case TY_CLOSURE:
        for (int i = 0; i < t->clo->captures.len; i++) {
            Capture *c = t->clo->captures.items[i];
            if (c->mode == CAP_VALUE && ty_needs_drop(ty_capture_type(t, c)))
                return true;
        }
        return false;
    case TY_ASYNC: /* its frame: what it holds depends on where it stopped (its drop glue asks) */
        return true;
    case TY_ITER: /* what it owns: a Vec's or a map's buffer, or what its adapted iterators and closures own */
        if (t->iter_kind == ITER_VEC_INTO || t->iter_kind == ITER_MAP_INTO || t->iter_kind == ITER_SET_INTO)
            return true;
        if (t->iter_kind >= ITER_REPEAT && t->iter_kind <= ITER_SUCCESSORS) /* its value, or its closure */
            return ty_needs_drop(t->args[0]) || (t->nargs > 2 && ty_needs_drop(t->args[2]));
        for (int i = 1; iter_kind_adapts(t->iter_kind) && i < t->nargs; i++)
            if (t->args[i] && ty_needs_drop(t->args[i]))
                return true;
        return false;
    default:
        return false;
    }
}

int ty_int_bits(Type *t)
{
    static const int bits[] = {8, 16, 32, 64, 128, 64, 8, 16, 32, 64, 128, 64};
    t = ty_resolve(t);
    return t->kind <= TY_USIZE ? bits[t->kind] : 32;
}

static const char *prim_names[] = {
    "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize",
    "f32", "f64", "bool", "char", "str", "!",
};

static void spell(StrBuf *sb, Type *t)
{
    t = ty_resolve(t);
    if (t->kind <= TY_NEVER) {
        sb_puts(sb, prim_names[t->kind]);
        return;
    }
    switch (t->kind) {
    case TY_TUPLE:
        sb_putc(sb, '(');
        for (int i = 0; i < t->nargs; i++) {
            if (i)
                sb_puts(sb, ", ");
            spell(sb, t->args[i]);
        }
        if (t->nargs == 1)
            sb_putc(sb, ',');
        sb_putc(sb, ')');
        break;
    case TY_ARRAY:
        sb_putc(sb, '[');
        spell(sb, t->args[0]);
        sb_printf(sb, "; %llu]", (unsigned long long)t->len);
        break;
    case TY_SLICE:
        sb_putc(sb, '[');
        spell(sb, t->args[0]);
        sb_putc(sb, ']');
        break;
    case TY_REF:
        sb_puts(sb, t->is_mut ? "&mut " : "&");
        spell(sb, t->args[0]);
        break;
    case TY_PTR:
        sb_puts(sb, t->is_mut ? "*mut " : "*const ");
        spell(sb, t->args[0]);
        break;
    case TY_FN:
        sb_puts(sb, "fn(");
        for (int i = 0; i + 1 < t->nargs; i++) {
            if (i)
                sb_puts(sb, ", ");
            spell(sb, t->args[i]);
        }
        sb_putc(sb, ')');
        if (!ty_is_unit(t->args[t->nargs - 1])) {
            sb_puts(sb, " -> ");
            spell(sb, t->args[t->nargs - 1]);
        }
        break;
    case TY_ADT:
        sb_puts(sb, t->adt->name);
        if (t->nargs) {
            sb_putc(sb, '<');
            for (int i = 0; i < t->nargs; i++) {
                if (i)
                    sb_puts(sb, ", ");
                spell(sb, t->args[i]);
            }
            sb_putc(sb, '>');
        }
        break;
    case TY_STD:
        if (ty_is_std(t, STD_ATOMIC)) { /* AtomicUsize */
            StrBuf in;
            sb_init(&in);
            spell(&in, t->args[0]);
            sb_printf(sb, "Atomic%c%s", toupper((unsigned char)in.data[0]), in.data + 1);
            sb_free(&in);
            break;
        }
        sb_puts(sb, t->std->name);
        bool guard = ty_is_guard(t) || ty_is_std(t, STD_CONTEXT); /* Ref<'_, T>, Context<'_> */
        if (guard)
            sb_puts(sb, "<'_");
        for (int i = 0; i < t->nargs; i++) {
            sb_puts(sb, i || guard ? ", " : "<");
            spell(sb, t->args[i]);
        }
        if (t->nargs || guard)
            sb_putc(sb, '>');
        break;
    case TY_RANGE:
        sb_puts(sb, t->len ? "RangeFrom<" : t->inclusive ? "RangeInclusive<" : "std::ops::Range<");
        spell(sb, t->args[0]);
        sb_putc(sb, '>');
        break;
    case TY_ITER:
        spell_iter(sb, t);
        break;
    case TY_PARAM: {
        const char *n = ty_param_namer ? ty_param_namer(t->param_index) : NULL;
        if (n)
            sb_puts(sb, n);
        else
            sb_printf(sb, "T%d", t->param_index);
        break;
    }
    case TY_DYN:
        if (t->trait->future_out) {
            sb_puts(sb, "dyn Future<Output = ");
            spell(sb, t->trait->future_out);
            sb_putc(sb, '>');
            break;
        }
        if (t->trait->fn_kind) {
            sb_printf(sb, "dyn %s(", t->trait->name);
            for (int i = 0; i < t->trait->fn_nparams; i++) {
                if (i)
                    sb_puts(sb, ", ");
                spell(sb, t->trait->fn_params[i]);
            }
            sb_puts(sb, ")");
            if (!ty_is_unit(t->trait->fn_ret)) {
                sb_puts(sb, " -> ");
                spell(sb, t->trait->fn_ret);
            }
            break;
        }
        sb_printf(sb, "dyn %s", t->trait->name);
        break;
    case TY_CLOSURE: {
        Span sp = t->clo->expr->span;
        sb_printf(sb, "{closure@%s:%d:%d}", diag_file_name(), sp.line, sp.col);
        break;
    }
    case TY_ASYNC: /* as rustc names an async fn's future and an async block */
        if (t->async_fn->async_block) {
            Span sp = t->async_fn->async_block->expr->span;
            sb_printf(sb, "{async block@%s:%d:%d}", diag_file_name(), sp.line, sp.col);
            break;
        }
        sb_puts(sb, "impl Future<Output = ");
        spell(sb, t->nargs ? ty_subst(t->async_fn->async_out, t->args, t->nargs) : t->async_fn->async_out);
        sb_putc(sb, '>');
        break;
    case TY_PROJ:
        spell(sb, t->args[0]);
        sb_printf(sb, "::%s", (const char *)t->trait->assoc_types.items[t->len]);
        break;
    case TY_VAR:
        sb_puts(sb, t->var_kind == VAR_INT ? "{integer}" : t->var_kind == VAR_FLOAT ? "{float}" : "_");
        break;
    case TY_ERROR:
        sb_puts(sb, "{type error}");
        break;
    default:
        sb_puts(sb, "?");
    }
}

const char *ty_str(Type *t)
{
    StrBuf sb;
    sb_init(&sb);
    spell(&sb, t);
    char *s = xstrdup(sb.data ? sb.data : "");
    sb_free(&sb);
    return s;
}
