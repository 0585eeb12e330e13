/* sema.h — names, types and the typed tree.
 *
 * requires: a Crate from the parser without syntax errors;
 * produces: the same tree, typed: every Expr and Pat has a resolved Type
 * (no inference variables left), every path its Def, every method call its
 * MethodRes, every field access its FieldRes, every format macro its
 * FmtCall. Codegen reads only these annotations. */
#ifndef MRSC_SEMA_H
#define MRSC_SEMA_H

#include "../parser/ast.h"
#include <stdio.h>

/* ---- types (types.c) ----------------------------------------------------
 * Types are interned: two resolved types are equal iff their pointers are.
 * Inference variables (TY_VAR) are the exception: each is unique and points
 * through `link` at what it was unified with. */

typedef enum TypeKind {
    TY_I8, TY_I16, TY_I32, TY_I64, TY_I128, TY_ISIZE, /* signed, in order */
    TY_U8, TY_U16, TY_U32, TY_U64, TY_U128, TY_USIZE, /* unsigned, in order */
    TY_F32, TY_F64,
    TY_BOOL,
    TY_CHAR,
    TY_STR,     /* str (unsized; behind & only) */
    TY_NEVER,   /* ! */
    TY_TUPLE,   /* (A, B); () is the empty tuple */
    TY_ARRAY,   /* [T; N] */
    TY_SLICE,   /* [T] (behind & only) */
    TY_REF,     /* &T, &mut T */
    TY_PTR,     /* *const T, *mut T */
    TY_FN,      /* fn(A) -> R pointer; args = params then the return type */
    TY_ADT,     /* a struct or enum (user or Option/Result), args = type arguments */
    TY_STD,     /* a std generic type: String, Vec<T>, Box<T> (std_types.def); args = type arguments */
    TY_RANGE,   /* Range<T> / RangeInclusive<T> (inclusive flag), args[0] = T */
    TY_ITER,    /* a std iterator (iter_kind says which), args[0] = Item */
    TY_DYN,     /* dyn Trait (unsized; behind & / &mut only) */
    TY_CLOSURE, /* one closure expression (clo); args: its generic fn's type arguments */
    TY_PROJ,    /* <args[0] as trait>::(trait->assoc_types[len]): T::Output before T is known */
    TY_ASYNC,   /* the future of a call of async fn `async_fn`; args: its type arguments */
    TY_PARAM,   /* a generic parameter (Tier 1) */
    TY_VAR,     /* inference variable */
    TY_ERROR,   /* after an error: unifies with everything, reported once */
} TypeKind;

typedef enum VarKind {
    VAR_ANY,   /* _ */
    VAR_INT,   /* {integer} */
    VAR_FLOAT, /* {float} */
} VarKind;

/* Std iterators mrsc knows natively (for loops, .iter(), .enumerate()...). */
typedef enum IterKind {
    IT_RANGE,        /* a..b as an iterator (TY_RANGE itself) */
    ITER_SLICE,      /* slice.iter(): Item = &T */
    ITER_SLICE_MUT,  /* slice.iter_mut(): Item = &mut T */
    ITER_VEC_INTO,   /* vec.into_iter(): Item = T */
    ITER_ENUMERATE,  /* it.enumerate(): Item = (usize, I) */
    ITER_REV,        /* it.rev() */
    ITER_MAP,        /* it.map(f): Item = f's return type */
    ITER_FILTER,     /* it.filter(p) */
    ITER_CHARS,      /* str.chars() */
    ITER_CHAR_INDICES,
    ITER_BYTES,      /* str.bytes() */
    ITER_SPLIT,      /* str.split(pat) */
    ITER_SPLIT_WS,   /* str.split_whitespace() */
    ITER_LINES,      /* str.lines() */
    ITER_COPIED,     /* it.copied(), it.cloned(): Item = T of &T */
    ITER_CLONED,
    ITER_SKIP,       /* it.skip(n), it.take(n), it.step_by(n) */
    ITER_TAKE,
    ITER_STEP_BY,
    ITER_ZIP,        /* it.zip(other): Item = (A, B) */
    ITER_CHAIN,      /* it.chain(other) */
    ITER_TAKE_WHILE, /* it.take_while(p), it.skip_while(p) */
    ITER_SKIP_WHILE,
    ITER_FILTER_MAP, /* it.filter_map(f): Item = U of f's Option<U> */
    ITER_INSPECT,    /* it.inspect(f) */
    ITER_RECV,       /* rx.iter(), `for x in rx`: blocks for each value until the senders are gone */
    ITER_TRY_RECV,   /* rx.try_iter(): the values already sent */
    ITER_MAP_ITER,   /* map.iter(), `for (k, v) in &map`: Item = (&K, &V) */
    ITER_MAP_ITER_MUT, /* map.iter_mut(), `&mut map`: (&K, &mut V) */
    ITER_MAP_KEYS,   /* map.keys(): &K */
    ITER_MAP_VALUES, /* map.values(): &V */
    ITER_MAP_VALUES_MUT, /* map.values_mut(): &mut V */
    ITER_MAP_INTO,   /* map.into_iter(), `for (k, v) in map`: (K, V) */
    ITER_SET_INTO,   /* `for x in set`: T */
    ITER_PEEKABLE,   /* it.peekable() */
    ITER_SCAN,       /* it.scan(init, f): args[2] f, args[3] the state's type */
    ITER_FLAT_MAP,   /* it.flat_map(f): args[2] f, args[3] what f returns */
    ITER_FLATTEN,    /* it.flatten(): args[2] the inner items' type */
    ITER_WINDOWS,    /* slice.windows(n): Item = &[T] */
    ITER_CHUNKS,     /* slice.chunks(n) */
    /* std::iter's sources: a value repeated, one value, a closure's results, each value
     * from the one before (args[2]: the closure; args[1] is () for them) */
    ITER_REPEAT,     /* iter::repeat(x): Item = T, each a clone of x */
    ITER_ONCE,       /* iter::once(x) */
    ITER_FROM_FN,    /* iter::from_fn(f): f's Some values until its first None */
    ITER_SUCCESSORS, /* iter::successors(first, f): first, then f(&prev) until None */
    ITER_CYCLE,      /* it.cycle(): the inner iterator, started again from a copy when it ends */
    ITER_TO_UPPER,   /* c.to_uppercase(): the 1 to 3 chars of its uppercase (Display too) */
    ITER_TO_LOWER,   /* c.to_lowercase() */
} IterKind_;

/* The std generic types mrsc knows (std_types.def): a type of kind TY_STD
 * points at its row. */
typedef enum StdTypeId {
#define ST(id, ...) STD_##id,
#include "std_types.def"
#undef ST
    STD_COUNT
} StdTypeId;

/* The receiver types a std method is found on (bits of 64, one per family of rows). */
typedef uint64_t StdFamily;
#define FAM_ANY       (UINT64_C(1) << 0)  /* every type: clone, to_string, eq, cmp ... */
#define FAM_INT       (UINT64_C(1) << 1)
#define FAM_FLOAT     (UINT64_C(1) << 2)
#define FAM_CHAR      (UINT64_C(1) << 3)
#define FAM_STR       (UINT64_C(1) << 4)  /* str, and String through deref */
#define FAM_STRING    (UINT64_C(1) << 5)
#define FAM_VEC       (UINT64_C(1) << 6)
#define FAM_SLICE     (UINT64_C(1) << 7)  /* [T], and Vec<T> and [T; N] through deref */
#define FAM_OPTION    (UINT64_C(1) << 8)
#define FAM_RESULT    (UINT64_C(1) << 9)
#define FAM_ITER      (UINT64_C(1) << 10)  /* std iterators, ranges, user types that implement Iterator */
#define FAM_RANGE     (UINT64_C(1) << 11)
#define FAM_U8        (UINT64_C(1) << 12)  /* u8's ASCII methods (`b'a'.is_ascii_digit()`) */
#define FAM_BOX       (UINT64_C(1) << 13)  /* Box<T>'s own (as_ref, as_mut), found before T's */
#define FAM_ARRAY     (UINT64_C(1) << 14)  /* [T; N]'s own (into_iter by value), found before [T]'s */
#define FAM_RC        (UINT64_C(1) << 15)  /* Rc<T>'s associated fns (Rc::new, Rc::strong_count ...) */
#define FAM_WEAK      (UINT64_C(1) << 16)
#define FAM_CELL      (UINT64_C(1) << 17)
#define FAM_REFCELL   (UINT64_C(1) << 18)
#define FAM_GUARD     (UINT64_C(1) << 19)  /* Ref/RefMut's associated fns (Ref::map) */
#define FAM_ARC       (UINT64_C(1) << 20)
#define FAM_MUTEX     (UINT64_C(1) << 21)
#define FAM_POISON    (UINT64_C(1) << 22)
#define FAM_THREAD    (UINT64_C(1) << 23)  /* JoinHandle */
#define FAM_SENDER    (UINT64_C(1) << 24)
#define FAM_RECEIVER  (UINT64_C(1) << 25)
#define FAM_RWLOCK    (UINT64_C(1) << 26)
#define FAM_ATOMIC    (UINT64_C(1) << 27)
#define FAM_DURATION  (UINT64_C(1) << 28)
#define FAM_SCOPE     (UINT64_C(1) << 29)
#define FAM_PIN       (UINT64_C(1) << 30) /* Pin<P>'s own (as_mut, set, get_mut ...) */
#define FAM_TASK      (UINT64_C(1) << 31) /* Context */
#define FAM_WAKER     (UINT64_C(1) << 32)
#define FAM_POLL      (UINT64_C(1) << 33)
#define FAM_INSTANT   (UINT64_C(1) << 34)
#define FAM_PTR       (UINT64_C(1) << 35) /* *const T, *mut T */
#define FAM_ORDERING  (UINT64_C(1) << 36) /* std::cmp::Ordering */
#define FAM_MAP       (UINT64_C(1) << 37) /* HashMap */
#define FAM_ENTRY     (UINT64_C(1) << 38) /* hash_map::Entry */
#define FAM_SET       (UINT64_C(1) << 39) /* HashSet */
#define FAM_PEEKABLE  (UINT64_C(1) << 40) /* Peekable's own (peek, next_if) */
#define FAM_ERROR     (UINT64_C(1) << 41) /* types that implement std::error::Error, dyn Error */
#define FAM_FORMATTER (UINT64_C(1) << 42) /* fmt::Formatter's own (width, alternate, debug_struct ...) */
#define FAM_DBGB      (UINT64_C(1) << 43) /* DebugStruct, DebugTuple, DebugList, DebugSet, DebugMap */
#define FAM_CHARS     (UINT64_C(1) << 44) /* str::Chars's own (as_str) */
#define FAM_DEQUE     (UINT64_C(1) << 45) /* VecDeque's own (push_front, pop_front ...) */
#define FAM_UTF8      (UINT64_C(1) << 46) /* FromUtf8Error's own (into_bytes, utf8_error) */
#define FAM_UTF8E     (UINT64_C(1) << 47) /* Utf8Error's own (valid_up_to, error_len) */

typedef enum StdDeref { SD_NONE, SD_ARG, SD_ARG_SHARED, SD_SLICE, SD_STR } StdDeref;
typedef enum StdImpl { SI_NO, SI_YES, SI_ARGS } StdImpl;

typedef struct StdType {
    StdTypeId id;
    const char *name;   /* as Rust spells it */
    int nparams;
    StdDeref deref;     /* what `*x` and auto-deref reach */
    StdFamily families; /* StdFamily bits of its own methods */
    StdImpl display, debug, clone, dflt, cmp; /* the builtin traits it implements */
    const char *module; /* `std::rc`'s "rc"; "" for the prelude's */
} StdType;

extern const StdType std_types[STD_COUNT];
const StdType *std_type_named(const char *name); /* NULL: not a std type mrsc knows */

typedef struct AdtDef AdtDef;

typedef struct Type {
    TypeKind kind;
    int id;               /* creation order, for stable output */
    struct Type **args;   /* children (see TypeKind) */
    int nargs;
    uint64_t len;         /* TY_ARRAY; TY_RANGE: 1 for RangeFrom (`a..`) */
    bool is_mut;          /* TY_REF, TY_PTR */
    bool inclusive;       /* TY_RANGE */
    int iter_kind;        /* TY_ITER: IterKind_ */
    AdtDef *adt;          /* TY_ADT */
    const struct StdType *std; /* TY_STD: its row of std_types.def */
    struct TraitDef *trait; /* TY_DYN */
    struct Closure *clo;  /* TY_CLOSURE */
    struct FnDef *async_fn; /* TY_ASYNC */
    int param_index;      /* TY_PARAM */
    struct Type *link;    /* TY_VAR: the type unified with, or NULL */
    VarKind var_kind;     /* TY_VAR */
    char *cname;          /* codegen: cached C type name */
    void *cg;             /* codegen: per-type emission state */
} Type;

void types_init(void);
Type *ty_prim(TypeKind k);                     /* i8..f64, bool, char, str, ! */
Type *ty_unit(void);                           /* () */
Type *ty_error(void);
Type *ty_tuple(Type **elems, int n);
Type *ty_array(Type *elem, uint64_t len);
Type *ty_slice(Type *elem);
Type *ty_ref(Type *inner, bool is_mut);
Type *ty_ptr(Type *inner, bool is_mut);
Type *ty_fn(Type **params, int n, Type *ret);
Type *ty_adt(AdtDef *adt, Type **args, int n);
Type *ty_std(StdTypeId id, Type **args, int n);
Type *ty_string(void);                         /* ty_std(STD_STRING, ..) */
Type *ty_vec(Type *elem);                      /* ty_std(STD_VEC, ..) */
Type *ty_box(Type *inner);                     /* ty_std(STD_BOX, ..) */
static inline bool ty_is_std(const Type *t, StdTypeId id) { return t->kind == TY_STD && t->std->id == id; }
/* Vec or VecDeque: elements at ptr[0..len) */
static inline bool ty_is_vec_like(const Type *t) { return ty_is_std(t, STD_VEC) || ty_is_std(t, STD_VECDEQUE); }
/* HashMap or BTreeMap; HashSet or BTreeSet; the sorted ones (BTreeMap, BTreeSet) */
static inline bool ty_is_map(const Type *t) { return ty_is_std(t, STD_HASHMAP) || ty_is_std(t, STD_BTREEMAP); }
static inline bool ty_is_set(const Type *t) { return ty_is_std(t, STD_HASHSET) || ty_is_std(t, STD_BTREESET); }
static inline bool ty_is_sorted_map(const Type *t) { return ty_is_std(t, STD_BTREEMAP) || ty_is_std(t, STD_BTREESET); }
/* the map an Entry (hash_map's or btree_map's) points into */
static inline bool ty_is_entry(const Type *t) { return ty_is_std(t, STD_ENTRY) || ty_is_std(t, STD_BTREEENTRY); }
/* A smart pointer: a std type whose `*` reaches its first type argument (Box, Rc,
 * RefMut ...); shared when that place is read only through it (Rc, Ref). */
static inline bool ty_is_smart(const Type *t)
{
    return t->kind == TY_STD && (t->std->deref == SD_ARG || t->std->deref == SD_ARG_SHARED);
}
static inline bool ty_smart_shared(const Type *t) { return t->kind == TY_STD && t->std->deref == SD_ARG_SHARED; }
/* An Rc, Arc or Weak: a handle on a counted block (its drop changes the block, not the handle). */
static inline bool ty_is_counted(const Type *t)
{
    return t->kind == TY_STD && (t->std->id == STD_RC || t->std->id == STD_ARC || t->std->id == STD_WEAK);
}
/* Rc<dyn Trait>, Rc<str>, Rc<[T]> (Weak, Arc): a counted handle on an unsized value, a fat
 * value `{ data, vtable, counts }` / `{ value, counts }` rather than a pointer to the block. */
static inline bool ty_counted_fat(const Type *t)
{
    if (!ty_is_counted(t))
        return false;
    TypeKind k = t->args[0]->kind;
    return k == TY_DYN || k == TY_STR || k == TY_SLICE;
}
/* What `*t` reaches for a std type t (Box<T>: T, Vec<T>: [T], String: str), or NULL. */
Type *ty_std_deref(Type *t);
/* Is t Send (sync: Sync)? If not, *culprit is the type that is not, and *shared says
 * whether what it lacks is Sync ("cannot be shared between threads safely"). (traits.c) */
bool ty_thread_safe(Type *t, bool sync, Type **culprit, bool *shared);
bool ty_mentions_future(Type *t); /* (traits.c) */
/* The `.await`s of an async body in source order, not those of the closures and async
 * blocks in it. (captures.c) */
void sema_awaits_of(Block *b, List *out);
/* The Output of a std future row (Ready, Pending, PollFn, Join) or of an async fn's future
 * (TY_ASYNC), or NULL for any other type. (traits.c) */
Type *std_future_output(Type *t);
/* Is t Unpin (may it move after being pinned)? If not, *culprit is the part that is not
 * (PhantomPinned, a type parameter, an async frame). (traits.c) */
bool ty_is_unpin(Type *t, Type **culprit);
Type *ty_range(Type *elem, bool inclusive);
Type *ty_range_from(Type *elem);
Type *ty_iter(int kind, Type *item, Type *inner); /* inner: the adapted iterator or NULL */
/* ... with extra: the adaptor's closure (map, filter ...) or other iterator (zip, chain) */
Type *ty_iter_of(int kind, Type *item, Type *inner, Type *extra);
Type *ty_iter_of2(int kind, Type *item, Type *inner, Type *extra, Type *extra2);
extern struct FnDef box_dyn_error_from; /* `?` boxing an error into a Box<dyn Error> (Expr.sema) */
bool is_box_dyn_error(Type *t);
bool iter_kind_adapts(int kind); /* an adaptor (map, zip ...): args[1] is the iterator it adapts */
struct Expr *iter_origin(Type *t); /* the first call that made an adaptor of type t, or NULL */
Type *ty_param(int index, const char *name);
const char *float_const_digits(const char *name); /* f64::consts::PI ...: its digits, or NULL */
Type *ty_dyn(struct TraitDef *trait);
Type *ty_closure(struct Closure *clo, Type **args, int n); /* args: the enclosing fn's type arguments */
Type *ty_async(struct FnDef *f, Type **args, int n);      /* args: f's type arguments */
struct Capture;
/* The type of capture cp of closure type t, with t's type arguments. */
Type *ty_capture_type(Type *t, struct Capture *cp);
Type *ty_proj(Type *base, struct TraitDef *trait, int assoc_index);
/* Resolves projections whose base became concrete (set by the checker). */
extern Type *(*ty_normalize_hook)(Type *t);
Type *ty_var(VarKind k);

Type *ty_resolve(Type *t);         /* follow TY_VAR links (shallow) */
Type *ty_proj_args(Type *base, struct TraitDef *trait, int assoc_index, Type **targs, int n);
Type *ty_resolve_deep(Type *t);    /* bound vars replaced deeply, free ones kept */
bool ty_has_vars(Type *t);
bool ty_has_params(Type *t);         /* does t hold a free inference variable? */
Type *ty_zonk(Type *t);            /* substitute all vars deeply; defaults {integer}=i32, {float}=f64 */
Type *ty_subst(Type *t, Type **args, int n); /* replace TY_PARAM i by args[i] */
bool ty_is_int(Type *t);           /* after resolve; includes {integer} vars */
bool ty_is_signed(Type *t);
bool ty_is_float(Type *t);
bool ty_is_numeric(Type *t);
bool ty_is_unit(Type *t);
bool ty_needs_drop(Type *t);       /* owns something: has drop glue */
bool ty_is_copy(Type *t);          /* rustc's Copy for the types of the tiers */
int ty_int_bits(Type *t);          /* 8..128; isize/usize: 64 */
/* The user-facing spelling, as rustc prints it: `i32`, `&str`, `Vec<String>`,
 * `{integer}`, `Option<&mut i32>`. */
const char *ty_str(Type *t);
/* Names type parameters in ty_str (set by the checker for the fn it checks). */
extern const char *(*ty_param_namer)(int index);

/* ---- definitions ----------------------------------------------------------- */

typedef enum DefKind {
    DEF_LOCAL,     /* a let/param/pattern binding */
    DEF_FN,        /* a free fn or an associated fn/method (FnDef) */
    DEF_ADT,       /* a struct or enum name (as a type, or a tuple/unit struct ctor) */
    DEF_VARIANT,   /* an enum variant (ctor / pattern) */
    DEF_CONST,     /* const or associated const */
    DEF_STATIC,    /* static */
    DEF_BUILTIN,   /* a std function or constant mrsc implements itself */
    DEF_PRIM,      /* a primitive type name used as a path root (i32::MAX) */
    DEF_MODULE,    /* std, std::fmt ... used in paths */
    DEF_TRAIT,     /* a trait name (Trait::method paths, bounds) */
    DEF_TYPE_ALIAS,/* `type Grid<T> = Vec<Vec<T>>;` (item: the IT_TYPE item) */
    DEF_STD_TYPE,  /* a std type a program imports (`use std::rc::Rc;`): std_type */
} DefKind;

typedef struct FieldInfo {
    char *name;       /* "x", or "0", "1" for tuple fields */
    Type *type;       /* may contain TY_PARAM of the ADT */
    Span span;
    bool pinned;      /* `#[pin]` in a `#[pin_project]` type: structurally pinned */
} FieldInfo;

typedef struct VariantInfo {
    char *name;
    StructKind kind;
    FieldInfo *fields;
    int nfields;
    int64_t discr;    /* discriminant value (for `as` casts) */
    Span span;
} VariantInfo;

typedef struct FnDef FnDef;
typedef struct TraitDef TraitDef;
typedef struct ImplDef ImplDef;

/* A trait: its methods (a body is a default), supertraits, associated types. */
struct TraitDef {
    char *name;
    Item *item;
    Span span;
    List methods;         /* List of FnDef *: signatures with Self = TY_PARAM 0 */
    List supers;          /* List of TraitDef * */
    List assoc_types;     /* List of char * */
    List consts;          /* List of struct Def *: associated consts (init = the default, or NULL) */
    bool builtin;         /* Display, Debug, PartialEq, ... known to mrsc */
    Type *future_out;     /* `dyn Future<Output = T>`: one TraitDef per T (Future its super), else NULL */
    Type *iter_item;      /* `Iterator<Item = T>` in a bound: one TraitDef per T (Iterator its super), else NULL */
    int fn_kind;          /* Fn(..) -> R sugar: FN_FN, FN_MUT or FN_ONCE (one TraitDef per signature) */
    Type **fn_params;     /* ... its parameter types */
    int fn_nparams;
    Type *fn_ret;         /* ... and its return type */
    /* A generic trait (`trait Convert<T>`): its type parameters, TY_PARAM 1.. in
     * its methods' signatures (after Self). Each use with arguments
     * (`Convert<u32>` in an impl header or a bound) is an instance: a TraitDef
     * of its own sharing the methods, with `generic` and `targs` set. */
    int ntparams;
    char **tparam_names;
    TraitDef *generic;
    Type **targs;
    List instances;       /* of a generic trait: its interned instances */
};

/* The closure traits, weakest requirement last: an Fn closure is also FnMut
 * and FnOnce. */
enum { FN_NONE, FN_FN, FN_MUT, FN_ONCE };

/* How a closure captures one place. */
typedef enum CapMode {
    CAP_REF,    /* by shared borrow: &T */
    CAP_MUT,    /* by unique (mutable) borrow: &mut T */
    CAP_VALUE,  /* by value: moved (or copied) into the closure */
} CapMode;

/* One captured place: a local, or a path of fields (and derefs) from it. */
typedef struct Capture {
    struct Local *root;
    List steps;           /* char *: field names ("x", "0") and "*" for a deref, after the root */
    char *place;          /* as Rust spells it: `s`, `p.x`, `(*self).count` */
    char *field;          /* the env struct's field name: s, p_x, self_count */
    Type *type;           /* the type of the captured place */
    CapMode mode;
    Expr *use;            /* the use in the body that decided the mode */
    Span at;              /* the captured place within that use */
    Expr *place_expr;     /* the first use's expression for exactly this place */
    char *why;            /* that use, explained: "`s.push_str(..)` borrows it mutably" */
    bool moved_in_body;   /* the body moves the value out (the closure is FnOnce) */
    bool mutated_in_body; /* the body mutates it (FnMut) */
} Capture;

/* A closure expression (Expr.sema of EX_CLOSURE). */
typedef struct Closure {
    struct Expr *expr;
    FnDef *fn;            /* the enclosing fn */
    struct Closure *parent; /* the enclosing closure, or NULL */
    int index;            /* in the enclosing fn, in source order */
    Type **params;
    int nparams;
    Type *ret;
    int kind;             /* FN_FN, FN_MUT or FN_ONCE */
    Capture *kind_cap;    /* the capture that made it FnMut / FnOnce, or NULL */
    List captures;        /* List of Capture *, in order of first use */
    bool analyzed;        /* captures computed */
    char *cname;          /* codegen: the env struct's C name, `main_closure_0` */
    Expr *as_fn;          /* sema: coerced to a `fn` pointer here (it must capture nothing), or NULL */
    FnDef *async_fn;      /* an async block: its future's FnDef (TY_ASYNC), whose async_out is the
                             block's value and nawaits its awaits; NULL for a closure */
} Closure;

/* impl Trait for Type */
struct ImplDef {
    TraitDef *trait;
    Type *self_ty;
    Item *item;
    List methods;         /* List of FnDef * */
    List assoc_names;     /* List of char *: `type Item = u32;` */
    List assoc_types;     /* List of Type * */
    List consts;          /* List of struct Def *: the impl's consts (defaults filled in) */
    Type *trait_arg;      /* From<T>, Add<Rhs>, Mul<f64>: the trait's type argument, or NULL */
    int nparams;          /* impl<T: Bound> Trait for Wrapper<T>: its type parameters */
    char **param_names;
    List *param_bounds;   /* per parameter: List of TraitDef * */
};

/* Derived traits (bit set). */
enum {
    DERIVE_DEBUG = 1 << 0,
    DERIVE_CLONE = 1 << 1,
    DERIVE_COPY = 1 << 2,
    DERIVE_PARTIAL_EQ = 1 << 3,
    DERIVE_EQ = 1 << 4,
    DERIVE_DEFAULT = 1 << 5,
    DERIVE_PARTIAL_ORD = 1 << 6,
    DERIVE_ORD = 1 << 7,
    DERIVE_HASH = 1 << 8,
};

struct AdtDef {
    char *name;           /* "Point", "Option" */
    bool is_enum;
    bool builtin;         /* Option, Result */
    Item *item;           /* NULL for builtins */
    int nparams;          /* generic type parameters */
    char **param_names;
    VariantInfo *variants;/* a struct has exactly one */
    int nvariants;
    unsigned derives;     /* DERIVE_* */
    bool copy_any_args;   /* `impl<T> Copy for X<T>` without a bound on T: Copy whatever T is */
    List methods;         /* List of FnDef *: inherent impl fns */
    List consts;          /* List of struct Def *: associated consts */
    FnDef *drop_impl;     /* impl Drop: its `drop(&mut self)`, run before the fields drop; for a
                             `#[pin_project(PinnedDrop)]` type its `drop(self: Pin<&mut Self>)` */
    Span span;
    /* #[pin_project] (Tier 4): the projections `.project()` and `.project_ref()` give, types
     * of the same parameters whose fields are Pin<&mut F> for a `#[pin]` field and &mut T
     * for the others (Pin<&F> and &T); a projection points back at the type it projects. */
    bool pin_project;
    Span pin_attr;        /* the `#[pin_project]` attribute */
    bool pinned_drop;     /* `#[pin_project(PinnedDrop)]` */
    struct AdtDef *proj, *proj_ref;
    struct AdtDef *projected;
    bool holds_refs;      /* holds references without naming a lifetime (a projection) */
    bool reverse_ord;     /* std::cmp::Reverse: its derived PartialOrd and Ord compare the other way */
};

struct FnDef {
    char *name;           /* Rust name */
    char *cname;          /* C name: "area" or "Point_area" */
    Item *item;           /* the fn item (sig, body) */
    AdtDef *owner;        /* impl target, or NULL for a free fn */
    SelfKind self_kind;
    bool self_mut;
    Type **params;        /* parameter types, self first when present */
    int nparams;
    Type *ret;
    List locals;          /* sema: List of struct Local * (params first) */
    bool checked;
    int ntparams;         /* generic type parameters: the impl's, then the fn's own; a trait's
                             own method has Self as parameter 0 */
    char **tparam_names;
    List *tparam_bounds;  /* per parameter: List of TraitDef * */
    List op_outputs;      /* OpOutput *: the `Output = U` of operator bounds (`T: Add<Output = T>`) */
    int npre;             /* how many of them are the impl's (or Self) */
    bool opaque_ret;      /* `-> impl Trait`: ret is the body's type, found by checking it first */
    Type *opaque_var;     /* ... `-> Pin<Box<impl Trait>>`: the variable ret holds for it, else NULL */
    List ret_bounds;      /* its traits (List of TraitDef *) */
    Type *impl_self;      /* inherent/trait impl methods: the impl's self type (may hold TY_PARAMs) */
    TraitDef *trait;      /* the trait this method declares or implements, or NULL */
    ImplDef *impl;        /* the trait impl it belongs to, or NULL */
    bool is_default;      /* a trait's own method (Self is TY_PARAM 0) */
    bool is_unsafe;       /* `unsafe fn`: calling it needs `unsafe` (E0133); its body is an unsafe context */
    bool is_async;        /* `async fn`: a call gives ret, a TY_ASYNC future; the body returns async_out */
    Type *async_out;      /* ... the return type written (the future's Output) */
    int nawaits;          /* ... its `.await`s (after async_normalize), numbered 1.. in Expr.await_index */
    bool recursion_reported; /* ... E0733 (it awaits itself) said once */
    struct Closure *async_block; /* the FnDef of an async block's future (no item, no parameters:
                             what it holds is its closure's captures), else NULL */
    bool track_caller;    /* its panics report its caller's location (`#[track_caller]`, and
                             every `Index::index`/`IndexMut::index_mut`, as std declares them) */
    struct Cfg *cfg;      /* borrowck: the body's control-flow graph (cfg.h) */
    List closures;        /* sema: List of Closure *: the closures of the body, in source order */
};

/* `T: Add<Output = U>` on a fn's type parameter: what `a + b` gives for a T. */
typedef struct OpOutput {
    int param;            /* index into the fn's type parameters */
    TraitDef *trait;
    TypeExpr *te;         /* U as written */
    Type *ty;             /* U, resolved with the fn's signature */
} OpOutput;

typedef struct Local {
    char *name;           /* Rust name */
    char *cname;          /* unique C name: x, x_1 for a shadowing x */
    Type *type;
    bool is_mut;          /* `mut x` */
    bool by_ref;          /* `ref x`: type is already the reference */
    bool is_param;
    bool assigned_later;  /* declared without initializer (let x;) */
    bool deferred;        /* the same, never cleared: borrowck checks its assignments */
    bool mutated;         /* sema: assigned or &mut-borrowed after init */
    bool moved;           /* borrowck: moved (wholly or partly) somewhere in its fn */
    bool moved_whole;     /* borrowck: the whole value is moved somewhere */
    bool moved_deep;      /* borrowck: a part deeper than a direct field (or through a Box) is moved */
    List moved_fields;    /* borrowck: char *: direct fields moved out ("name", or "0" for a tuple) */
    List drop_points;     /* borrowck (cfg.c): DropPoint *: its state at each place codegen drops it */
    bool drop_maybe;      /* borrowck (cfg.c): moved on some paths to a drop point, not all: needs a flag */
    bool held;            /* borrowck (cfg.c): in an async body, held across some `.await`: its frame keeps it */
    bool held_send;       /* ... and as rustc counts it for Send: its value used later, or borrowed and in scope */
    bool used;            /* borrowck: read, written or borrowed somewhere */
    struct Closure *closure; /* sema: the closure whose body declares it, or NULL */
    bool is_temp;         /* borrowck (temps.c): a temporary (Expr.temp), not a variable */
    bool extended;        /* borrowck: a temporary that `let` lifetime extension gives the `let`'s block */
    bool ext_nested;      /* borrowck: ... made in an inner block or branch of the initializer only */
    List loans_held;      /* borrowck (loans.c): Loan *: the loans a value stored in it may carry */
    Span span;
    int index;
} Local;

/* Builtin functions and constants reachable by path. */
typedef enum BuiltinId {
    BI_NONE,
    BI_STRING_NEW, BI_STRING_FROM, BI_STRING_WITH_CAPACITY,
    BI_STRING_FROM_UTF8,         /* String::from_utf8(v): Result<String, FromUtf8Error> */
    BI_STR_FROM_UTF8,            /* std::str::from_utf8(&bytes): Result<&str, Utf8Error> */
    BI_ITER_REPEAT, BI_ITER_ONCE, BI_ITER_FROM_FN, BI_ITER_SUCCESSORS, /* std::iter::repeat ... */
    BI_VEC_NEW, BI_VEC_WITH_CAPACITY,
    BI_VEC_FROM,                 /* Vec::from([T; N] / &[T] / &str / String) */
    BI_PROCESS_EXIT,
    BI_INT_MAX, BI_INT_MIN, BI_INT_BITS,         /* i32::MAX ... (prim in Def->type) */
    BI_FLOAT_MAX, BI_FLOAT_MIN, BI_FLOAT_EPSILON, BI_FLOAT_INFINITY,
    BI_FLOAT_NEG_INFINITY, BI_FLOAT_NAN, BI_FLOAT_MIN_POSITIVE,
    BI_F64_CONST, /* f64::consts::PI and the rest, f32's too: float_const_digits(name) */
    BI_CHAR_FROM_U32, BI_CHAR_FROM_DIGIT,
    BI_MEM_SWAP, BI_MEM_REPLACE, BI_MEM_TAKE, BI_DROP, BI_MEM_SIZE_OF,
    BI_INT_FROM_STR_RADIX,
    BI_INT_TRY_FROM,             /* u8::try_from(300i32): Result<u8, TryFromIntError> */
    BI_CMP_MAX, BI_CMP_MIN,      /* std::cmp::max / min */
    BI_DEFAULT,                  /* Default::default(), T::default() (Def->type: T or NULL) */
    BI_BOX_NEW,                  /* Box::new */
    BI_STD_FN,                   /* a std associated fn without self (`Rc::new`, `Weak::new`): Def->bm */
    BI_THREAD_SPAWN,             /* thread::spawn(f): JoinHandle<f's return type> */
    BI_THREAD_SLEEP,             /* thread::sleep(Duration) */
    BI_THREAD_SCOPE,             /* thread::scope(|s| ..): s.spawn borrows, every thread joined at its end */
    BI_CHANNEL,                  /* mpsc::channel(): (Sender<T>, Receiver<T>) (Def->type: a turbofish's T) */
    BI_BLOCK_ON,                 /* futures::executor::block_on(f): polls f on this thread until Ready */
    BI_FUTURE_JOIN,              /* futures::future::join(a, b): a future of both outputs */
    BI_FUTURE_JOIN3,             /* futures::future::join3(a, b, c) */
    BI_FUTURE_READY,             /* std::future::ready(v): a future that is Ready(v) at once */
    BI_FUTURE_PENDING,           /* std::future::pending(): a future that never is */
    BI_FUTURE_POLL_FN,           /* std::future::poll_fn(|cx| ..): a future whose poll is the closure */
    BI_PTR_NULL,                 /* std::ptr::null(), null_mut() (Def->type: the mutability as a bool type) */
    BI_PTR_EQ,                   /* std::ptr::eq(a, b): the same address */
    BI_DURATION_ZERO,            /* Duration::ZERO */
} BuiltinId;

/* The std methods mrsc implements (std_methods.def): one per BM_ id. */
typedef enum BuiltinMethod {
    BM_NONE,
#define SM(id, families, name, sig, c) BM_##id,
#define SM_HOOK(id, families, name, sig, c, hook) BM_##id,
#include "std_methods.def"
#undef SM
#undef SM_HOOK
    BM_COUNT,
} BuiltinMethod;

typedef struct Def {
    DefKind kind;
    char *name;
    Span span;
    Local *local;         /* DEF_LOCAL */
    FnDef *fn;            /* DEF_FN */
    AdtDef *adt;          /* DEF_ADT, DEF_VARIANT */
    int variant;          /* DEF_VARIANT index */
    Item *item;           /* DEF_CONST, DEF_STATIC */
    Type *type;           /* DEF_CONST/DEF_STATIC/DEF_PRIM type; DEF_BUILTIN: the prim it hangs off */
    char *cname;          /* DEF_CONST/DEF_STATIC C name */
    BuiltinId builtin;    /* DEF_BUILTIN */
    char *module;         /* DEF_MODULE: "std", "std::fmt" */
    TraitDef *trait;      /* DEF_TRAIT; DEF_FN of `<T as Trait<A>>::f`: that trait instance */
    AdtDef *owner;        /* associated const's type */
    const struct StdType *std_type; /* DEF_STD_TYPE */
    BuiltinMethod bm;     /* DEF_BUILTIN BI_STD_FN: the row of std_methods.def (`Rc::new`) */
} Def;

/* ---- annotations on the tree ------------------------------------------------ */

/* Implicit adjustments applied to an expression's value (Expr.adjust):
 * auto-deref steps then an optional auto-ref, then an unsizing/deref
 * coercion: &String -> &str, &Vec<T> -> &[T], &[T; N] -> &[T]. */
typedef enum CoerceKind {
    CO_NONE,
    CO_STRING_TO_STR,  /* &String -> &str */
    CO_VEC_TO_SLICE,   /* &Vec<T> / &mut Vec<T> -> &[T] / &mut [T] */
    CO_ARRAY_TO_SLICE, /* &[T; N] -> &[T] */
    CO_REF_TO_PTR,     /* &T -> *const T */
    CO_MUT_TO_CONST,   /* &mut T -> &T */
    CO_NEVER,          /* ! -> any */
    CO_DEREF_REF,      /* &&T -> &T (one deref of a reference to a reference) */
    CO_USER_DEREF,     /* &W -> &Target through `impl Deref for W` (then Box, String, Vec derefs) */
    CO_BOX_DYN_REF,    /* &Box<dyn Fn(..)> -> &dyn Fn(..): the object the Box holds, same vtable */
    CO_DYN,            /* &T -> &dyn Trait (a fat pointer with T's vtable) */
    CO_BOX_DYN,        /* Box<T> -> Box<dyn Trait> */
    CO_RC_DYN,         /* Rc<T> -> Rc<dyn Trait> (Weak, Arc too): the block's counts, value and T's vtable */
    CO_CLOSURE_FN,     /* a closure that captures nothing -> fn pointer */
} CoerceKind;

typedef struct Adjust {
    int derefs;           /* number of `*` applied first */
    int autoref;          /* 0, 1 (&) or 2 (&mut) */
    CoerceKind coerce;
    Type *target;         /* the type after adjustment */
} Adjust;



/* A guard: a value that borrows its RefCell or lock and gives it back at its drop (Ref,
 * RefMut, MutexGuard, the RwLock guards: the rows of FAM_GUARD). */
static inline bool ty_is_guard(const Type *t) { return t->kind == TY_STD && (t->std->families & FAM_GUARD); }

/* How a method takes its receiver: the auto-ref sema records (Adjust.autoref). */
typedef enum RecvMode {
    RECV_VALUE,   /* self */
    RECV_REF,     /* &self */
    RECV_REF_MUT, /* &mut self */
} RecvMode;

/* One std method: a row of std_methods.def, whose header describes the
 * signature language. */
typedef struct StdMethod {
    BuiltinMethod id;
    StdFamily families;   /* StdFamily bits; 0: not looked up by name */
    const char *name;
    const char *sig;      /* "(&self, usize) -> Option<&T>", or NULL */
    const char *hook;     /* the sema function that types a call when sig alone cannot, or NULL */
    const char *c;        /* its C lowering as a template ($s, $0.., $t, $m, $C, $L), or NULL: lowered in code */
    /* what sig says, filled in by sema_check: */
    RecvMode recv;
    bool assoc;           /* `(this: &Self, ..)`: called by its path only (`Rc::strong_count(&a)`) */
    bool is_static;       /* no receiver (`(T) -> Self`): `Rc::new(x)` */
    int nargs;            /* arguments after self */
    unsigned moved;       /* bit i: argument i is taken by value (moved); else borrowed (a reference) */
} StdMethod;

/* The row of std method id (NULL for BM_NONE); after sema_check. */
const StdMethod *std_method(BuiltinMethod id);

/* `impl Deref`/`impl DerefMut` (mut) for a program's type t: the method, the impl's type
 * arguments for t, and Target; NULL when there is none (traits.c). */
FnDef *user_deref(Type *t, bool mut, Type ***args, int *nargs, Type **target);
Type *user_deref_target(Type *t);
Type **impl_method_args(FnDef *f, Type *t, int *n); /* a generic impl's type arguments for self type t */

/* The type arguments of a call to a generic fn (Expr.sema of EX_CALL; MethodRes.inst). */
typedef struct Inst {
    FnDef *fn;
    Type **args;
    int n;
} Inst;

/* A resolved method call (Expr.sema of EX_METHOD). The receiver expression
 * has its Adjust (derefs/autoref) in operand->adjust. */
typedef struct MethodRes {
    FnDef *fn;            /* a user method, or NULL */
    BuiltinMethod bm;     /* a builtin method, or BM_NONE */
    Type *self_ty;        /* the type the method is defined on (after derefs): Vec<i32>, str */
    Type *elem;           /* element type for Vec/slice/Option methods; Item for iterators */
    Type *aux;            /* secondary type (Result's E, parse's target, collect's target) */
    Inst *inst;           /* the type arguments when fn is generic, or NULL */
    bool dynamic;         /* called through a vtable (receiver is dyn Trait) */
    FnDef *conv;          /* a std method that calls a program's impl: parse's `from_str` (impl FromStr) */
} MethodRes;

/* A resolved field access (Expr.sema of EX_FIELD/EX_TUPLE_FIELD). */
typedef struct FieldRes {
    int derefs;           /* auto-derefs of the base */
    int index;            /* field index in the struct/tuple */
    Type *base_ty;        /* the struct/tuple type after derefs */
    FnDef *index_fn;      /* EX_INDEX of a user type: its `impl Index` method (`index(&self, i)`) */
    FnDef *index_mut_fn;  /* ... and its `impl IndexMut` one, or NULL */
    Type **index_args;    /* the type arguments of a generic impl's instance (index_nargs of them) */
    Type **index_mut_args;
    int index_nargs, index_mut_nargs;
    bool index_mut;       /* the place is written or borrowed mutably: index_mut is called */
} FieldRes;

/* A parsed format string (Expr.sema of format macros). */
typedef enum FmtTrait {
    FT_DISPLAY,  /* {} */
    FT_DEBUG,    /* {:?} */
    FT_LOWER_HEX,/* {:x} */
    FT_UPPER_HEX,/* {:X} */
    FT_OCTAL,    /* {:o} */
    FT_BINARY,   /* {:b} */
    FT_LOWER_EXP,/* {:e} */
    FT_UPPER_EXP,/* {:E} */
} FmtTrait;

typedef struct FmtPiece {
    char *lit;            /* literal text (unescaped {{ }}), or NULL for an argument */
    size_t lit_len;
    int arg;              /* index into FmtCall.args */
    FmtTrait trait;
    uint32_t fill;
    char align;           /* 0, '<', '>', '^' */
    char sign;            /* 0 or '+' */
    bool alternate, zero_pad;
    int width;            /* -1 none */
    int width_arg;        /* width from an argument (`{:w$}`), -1 none */
    int precision;        /* -1 none */
    int precision_arg;    /* `{:.p$}` / `{:.*}`, -1 none */
} FmtPiece;

typedef struct FmtCall {
    List pieces;          /* List of FmtPiece * */
    List args;            /* List of Expr *: explicit then implicit `{name}` args */
    int nexplicit;        /* how many of args are explicit (the rest are implicit) */
    Expr *dest;           /* write!/writeln!: the destination expression */
    bool newline;         /* println!/eprintln!/writeln! */
    bool reset_spec;      /* codegen: write!'s spec is reset once its arguments are read */
} FmtCall;

/* Parse the format string `lit` (the EX_STR node) of a format macro into
 * pieces, resolving `{name}` through `lookup_name` (which appends an
 * implicit argument and returns its index, or -1 with an error reported). */
typedef int (*FmtNameLookup)(void *ctx, const char *name, Span span);
bool fmt_parse(Expr *lit, int nexplicit, FmtCall *out, FmtNameLookup lookup, void *ctx);

/* ---- the phase ------------------------------------------------------------- */

typedef struct Program {
    Crate *crate;
    List adts;            /* List of AdtDef *: user types in source order */
    List fns;             /* List of FnDef *: every fn and method with a body, source order */
    List send_checks;     /* List of Expr *: spawned closures that capture a future: whether it is
                             Send depends on what its frame holds, known after borrowck */
    List consts;          /* List of Def *: consts and statics */
    FnDef *main;
    bool release;         /* -O: wrapping arithmetic */
    AdtDef *option;       /* the builtin Option<T> */
    AdtDef *result;       /* the builtin Result<T, E> */
    AdtDef *ordering;     /* std::cmp::Ordering */
    AdtDef *formatter;    /* std::fmt::Formatter (MrsFormatter in C) */
    AdtDef *phantom;      /* std::marker::PhantomData<T>: a unit struct that names T */
    AdtDef *reverse;      /* std::cmp::Reverse<T>: a tuple struct ordered the other way round */
    AdtDef *phantom_pinned; /* std::marker::PhantomPinned: a unit struct that is not Unpin */
    AdtDef *poll;         /* std::task::Poll<T>: Ready(T) or Pending */
    TraitDef *future;     /* std::future::Future: `type Output`, `fn poll(self: Pin<&mut Self>, ..)` */
    List traits;          /* List of TraitDef * */
    List impls;           /* List of ImplDef * */
    TraitDef *display;    /* std::fmt::Display */
    TraitDef *error;      /* std::error::Error (Debug + Display) */
    struct AdtDef *try_from_int_error; /* std::num::TryFromIntError */
    struct AdtDef *from_utf8_error, *utf8_error; /* std::string::FromUtf8Error, std::str::Utf8Error */
    TraitDef *partial_eq, *partial_ord;
} Program;

/* The method `name` of the impl of trait `trait` for type t, or NULL. When
 * the impl is generic, *inst (if given) receives its type arguments (fn NULL
 * when it is not). */
FnDef *sema_trait_method(Program *prog, Type *t, TraitDef *trait, const char *name, Inst *inst);
/* A generic trait's method decl called at args (Self, then the trait's
 * arguments, all concrete): the impl's method, or NULL (the trait's default). */
FnDef *sema_generic_trait_method(Program *prog, FnDef *decl, Type **args, Inst *inst);
/* std::mem::size_of::<T>() as rustc lays T out, or -1 when mrsc cannot say. */
int64_t rust_size_of(Program *prog, Type *t);
bool rust_layout(Program *p, Type *t, int64_t *size, int64_t *align);

/* Re-check a generic fn's body with its type parameters bound to args, so
 * that the tree's annotations describe that instance (codegen emits it
 * right after). */
void sema_check_instance(Program *prog, FnDef *f, Type **args);

/* Is t Copy in the body of f (a type parameter is when f bounds it by Copy)? */
bool sema_is_copy(FnDef *f, Type *t);

/* The classifier of uses (uses.c): how an expression uses each operand. */
typedef enum UseMode {
    USE_READ,   /* read or borrowed shared (a Copy value is copied) */
    USE_MUT,    /* borrowed uniquely: `&mut x`, a `&mut self` receiver, `x += 1`, `v[i] = x` */
    USE_MOVE,   /* taken by value: moved unless its type is Copy */
    USE_ASSIGN, /* written whole: the left side of `=` */
} UseMode;

typedef struct Operand {
    Expr *e;
    UseMode mode;
    bool borrow;  /* through a reference made here: `&x`, an auto-ref receiver, a format argument */
    int derefs;   /* a method receiver: the auto-derefs before that use */
    Span at;      /* where rustc shows the use: the `&x` of an explicit borrow, else e's span */
} Operand;

/* The operands of e in evaluation order (List of Operand *), each with how e
 * uses it; `own` is how e itself is used (a field, index or deref passes it
 * on). The bodies of blocks, arms and loops are not operands. */
void sema_operands(FnDef *fn, Expr *e, UseMode own, List *out);
UseMode sema_call_use(FnDef *fn, Type *callee);
bool sema_pat_moves(FnDef *fn, Pat *p); /* does p bind a non-Copy value by value? */

/* Capture analysis of one closure whose body is typed (sema/captures.c):
 * fills clo->captures (places, modes, reasons) and clo->kind. */
void sema_closure_captures(Closure *clo);

/* `mrsc --explain-captures`: for each closure, its captured places with the
 * mode and the use that forced it, its trait, and what calling it needs. */
void sema_explain_captures(FILE *out, Program *prog);

/* The head of closure expression e, `move |a, b|`, as rustc underlines it. */
Span sema_closure_head(Expr *e);

/* The capture of clo whose place is exactly expression e's, or NULL. */
Capture *sema_capture_of(Closure *clo, Expr *e);
Capture *sema_capture_of_deref(Closure *clo, Expr *e, int derefs);

/* Resolve and type-check the crate. Errors go through diag; returns the
 * program (usable by codegen only when no error was reported). */
Program *sema_check(Crate *crate);
void sema_check_elision(Crate *crate); /* E0106 (lifetimes.c) */

/* After borrowck (which knows what each async frame holds across its awaits): the
 * spawned closures that capture a future must be Send ("future cannot be sent between
 * threads safely"). (traits.c) */
void sema_check_sends(Program *prog);

#endif
