/* ast.h — the abstract syntax tree: the parser's output, every tier's surface
 * syntax (MINI-RUST.md section 2).
 *
 * The parser fills the syntactic fields; the fields marked "sema:" are NULL
 * after parsing and are filled in by name resolution and type checking, so
 * that later phases walk one typed tree. Every node has a Span. All nodes
 * live in g_arena. Lists are `List` of pointers, element type noted. */
#ifndef MRSC_AST_H
#define MRSC_AST_H

#include "../driver/diag.h"
#include "../driver/util.h"

struct Type; /* sema/types.h */
struct Def;  /* sema/sema.h: what a path resolves to */
struct Local;

typedef struct Expr Expr;
typedef struct Pat Pat;
typedef struct TypeExpr TypeExpr;
typedef struct Item Item;
typedef struct Block Block;
typedef struct Stmt Stmt;
typedef struct Path Path;
typedef struct Generics Generics;

/* ---- attributes ---------------------------------------------------- */

/* `#[name]`, `#[name = "lit"]`, `#[name(arg, arg(..), k = "v")]`.
 * Nested meta items use the same struct. */
typedef struct Attr {
    Span span;
    char *name;    /* last path segment: "derive", "allow", "pin" */
    char *value;   /* `= "lit"` value (unescaped) or NULL */
    List args;     /* List of Attr *: `(a, b(c))`; empty when no parens */
    bool has_args; /* parens were present */
    bool inner;    /* `#![...]` */
} Attr;

/* ---- paths ----------------------------------------------------------- */

/* One `name::<A, B>` segment, or the parenthesized sugar of the Fn
 * traits: `Fn(i32, i32) -> i32` (is_fn_sugar, args in fn_inputs). */
typedef struct PathSeg {
    Span span;
    char *name;         /* identifier; also "self", "Self", "super", "crate" */
    List generic_args;  /* List of TypeExpr * (lifetime args are dropped) */
    List assoc;         /* List of AssocBinding *: `Item = T` */
    bool is_fn_sugar;   /* Fn(..) -> R */
    List fn_inputs;     /* List of TypeExpr * */
    TypeExpr *fn_output;/* NULL for `()` */
} PathSeg;

typedef struct AssocBinding {
    Span span;
    char *name;
    TypeExpr *type;
} AssocBinding;

struct Path {
    Span span;
    List segs;          /* List of PathSeg * */
    bool global;        /* leading `::` */
    TypeExpr *qself;    /* `<T as Trait>::x`: T (then segs begins with Trait's segments) */
    int qself_trait_len;/* number of segs that name the trait in a qualified path */
    struct Def *def;    /* sema: what the path names */
};

/* ---- types (syntax) -------------------------------------------------- */

typedef enum TypeExprKind {
    TE_PATH,       /* i32, Vec<T>, std::fmt::Result, Self, T::Output */
    TE_REF,        /* &'a T, &mut T */
    TE_PTR,        /* *const T, *mut T */
    TE_TUPLE,      /* (), (A, B) */
    TE_ARRAY,      /* [T; N] */
    TE_SLICE,      /* [T] */
    TE_FN,         /* fn(A, B) -> R */
    TE_NEVER,      /* ! */
    TE_INFER,      /* _ */
    TE_IMPL_TRAIT, /* impl Trait + 'a */
    TE_DYN,        /* dyn Trait (also bare trait object in Box<dyn ..>) */
} TypeExprKind;

typedef struct Bound Bound;

struct TypeExpr {
    TypeExprKind kind;
    Span span;
    Path *path;        /* TE_PATH */
    TypeExpr *inner;   /* TE_REF, TE_PTR, TE_ARRAY, TE_SLICE: the element */
    bool is_mut;       /* TE_REF, TE_PTR */
    char *lifetime;    /* TE_REF: "'a" or NULL */
    List elems;        /* TE_TUPLE: List of TypeExpr *; TE_FN: parameter types */
    Expr *len;         /* TE_ARRAY */
    TypeExpr *ret;     /* TE_FN: NULL for () */
    List bounds;       /* TE_IMPL_TRAIT, TE_DYN: List of Bound * */
    struct Type *ty;   /* sema: the resolved type */
};

/* ---- generics -------------------------------------------------------- */

typedef enum BoundKind {
    BOUND_TRAIT,    /* Trait, ?Sized, for<'a> Fn(&'a T) */
    BOUND_LIFETIME, /* 'a */
} BoundKind;

struct Bound {
    BoundKind kind;
    Span span;
    Path *path;       /* BOUND_TRAIT */
    bool maybe;       /* ?Sized */
    char *lifetime;   /* BOUND_LIFETIME */
};

typedef enum GenericParamKind {
    GP_LIFETIME, /* 'a: 'b */
    GP_TYPE,     /* T: Bound = Default */
    GP_CONST,    /* const N: usize */
} GenericParamKind;

typedef struct GenericParam {
    GenericParamKind kind;
    Span span;
    char *name;         /* "T" or "'a" */
    List bounds;        /* List of Bound * */
    TypeExpr *deflt;    /* GP_TYPE default, GP_CONST type */
    Attr **attrs_unused;
} GenericParam;

/* where T: A + B, 'a: 'b */
typedef struct WherePred {
    Span span;
    TypeExpr *type;     /* NULL for a lifetime predicate */
    char *lifetime;     /* lifetime predicate's subject */
    List bounds;        /* List of Bound * */
} WherePred;

struct Generics {
    Span span;
    List params;        /* List of GenericParam * */
    List where_preds;   /* List of WherePred * */
};

/* ---- patterns -------------------------------------------------------- */

typedef enum PatKind {
    PAT_WILD,         /* _ */
    PAT_IDENT,        /* [ref] [mut] name [@ sub] — may also name a unit variant/const: sema decides */
    PAT_LIT,          /* 1, -1, 'a', "s", true */
    PAT_RANGE,        /* 1..=5, 'a'..='z', 1..5, 1.. */
    PAT_TUPLE,        /* (a, b, ..) */
    PAT_PATH,         /* Color::Red, None, CONST (a path with more than one segment or that sema resolves) */
    PAT_TUPLE_STRUCT, /* Some(x), Shape::Circle(r, ..) */
    PAT_STRUCT,       /* Point { x, y: 0, .. } */
    PAT_REF,          /* &p, &mut p */
    PAT_OR,           /* a | b */
    PAT_SLICE,        /* [a, b, rest @ ..] */
    PAT_REST,         /* .. (only inside tuple, tuple-struct and slice patterns) */
} PatKind;

typedef struct FieldPat {
    Span span;
    char *name;       /* field name, or "0", "1" for tuple-like fields */
    Pat *pat;         /* the pattern; for shorthand `x` a PAT_IDENT named x */
    bool shorthand;
} FieldPat;

struct Pat {
    PatKind kind;
    Span span;
    char *name;       /* PAT_IDENT */
    bool by_ref;      /* PAT_IDENT: ref */
    bool is_mut;      /* PAT_IDENT: mut; PAT_REF: &mut */
    Pat *sub;         /* PAT_IDENT: name @ sub; PAT_REF: the inner pattern */
    Expr *lit;        /* PAT_LIT: a literal expression (possibly EX_UNARY neg) */
    Expr *lo, *hi;    /* PAT_RANGE: bounds (lo or hi may be NULL) */
    bool inclusive;   /* PAT_RANGE: ..= */
    Path *path;       /* PAT_PATH, PAT_TUPLE_STRUCT, PAT_STRUCT */
    List elems;       /* PAT_TUPLE, PAT_TUPLE_STRUCT, PAT_SLICE, PAT_OR: List of Pat * */
    List fields;      /* PAT_STRUCT: List of FieldPat * */
    bool has_rest;    /* PAT_STRUCT: `..` */
    struct Type *ty;  /* sema: type of the value matched */
    struct Local *local; /* sema: PAT_IDENT binding */
    struct Def *def;  /* sema: PAT_IDENT naming a unit variant or const; variant of struct patterns */
    int derefs;       /* sema: references peeled by match ergonomics before this pattern applies */
    bool bind_ref;    /* sema: PAT_IDENT binds by reference (explicit `ref` or default binding mode) */
    bool bind_ref_mut;/* sema: ... by mutable reference */
    List bck_moves;   /* borrowck, on the top pattern of a match arm, `let`, `if let`, `while let`
                         on a place: BckUse *: the parts of that place its bindings move out */
    List bck_loans;   /* borrowck (loans.c), on a top pattern: BFact *: the loans its bindings make and take */
};

/* ---- expressions ----------------------------------------------------- */

typedef enum ExprKind {
    EX_INT,         /* 42, 0xff_u8 */
    EX_FLOAT,       /* 1.5, 2e10f32 */
    EX_BOOL,        /* true */
    EX_CHAR,        /* 'a' */
    EX_BYTE,        /* b'a' */
    EX_STR,         /* "s", r#"s"# */
    EX_BYTE_STR,    /* b"s" */
    EX_PATH,        /* x, std::f64::consts::PI, Vec::<i32>::new, None */
    EX_UNARY,       /* -x, !x, *x */
    EX_REF,         /* &x, &mut x */
    EX_BINARY,      /* a + b, a && b, a == b */
    EX_ASSIGN,      /* a = b */
    EX_ASSIGN_OP,   /* a += b */
    EX_CAST,        /* x as T */
    EX_CALL,        /* f(a, b) */
    EX_METHOD,      /* x.m::<T>(a) */
    EX_FIELD,       /* x.name */
    EX_TUPLE_FIELD, /* x.0 */
    EX_INDEX,       /* a[i] */
    EX_TUPLE,       /* (a, b), () */
    EX_ARRAY,       /* [a, b] */
    EX_ARRAY_REPEAT,/* [x; n] */
    EX_STRUCT,      /* Point { x, y: 1, ..base } */
    EX_RANGE,       /* a..b, a..=b, .., a.., ..b */
    EX_BLOCK,       /* { .. }, unsafe { .. }, 'label: { .. }, async [move] { .. } */
    EX_IF,          /* if c { } else .. ; cond may be EX_LET (if let) */
    EX_LET,         /* `let PAT = EXPR` in an if/while condition */
    EX_WHILE,       /* [label:] while c { } */
    EX_LOOP,        /* [label:] loop { } */
    EX_FOR,         /* [label:] for p in e { } */
    EX_MATCH,       /* match e { arms } */
    EX_BREAK,       /* break ['label] [value] */
    EX_CONTINUE,    /* continue ['label] */
    EX_RETURN,      /* return [value] */
    EX_TRY,         /* e? */
    EX_AWAIT,       /* e.await */
    EX_CLOSURE,     /* [move] |params| [-> R] body */
    EX_MACRO,       /* name!(args): println!, vec!, format!, ... */
    EX_PAREN,       /* (e): kept so that spans and diagnostics match rustc */
} ExprKind;

typedef enum UnaryOp {
    UN_NEG,   /* - */
    UN_NOT,   /* ! */
    UN_DEREF, /* * */
} UnaryOp;

typedef enum BinOp {
    BIN_ADD, BIN_SUB, BIN_MUL, BIN_DIV, BIN_REM,
    BIN_AND, BIN_OR,                 /* && || */
    BIN_BITAND, BIN_BITOR, BIN_BITXOR, BIN_SHL, BIN_SHR,
    BIN_EQ, BIN_NE, BIN_LT, BIN_LE, BIN_GT, BIN_GE,
} BinOp;

typedef struct FieldInit {
    Span span;
    char *name;       /* field name, or "0" for tuple-struct `S { 0: x }` */
    Expr *value;      /* for shorthand `x`, an EX_PATH to x */
    bool shorthand;
} FieldInit;

typedef struct MatchArm {
    Span span;
    Pat *pat;
    Expr *guard;      /* `if cond` or NULL */
    Expr *body;
    List attrs;       /* List of Attr * */
} MatchArm;

typedef struct ClosureParam {
    Span span;
    Pat *pat;
    TypeExpr *type;   /* NULL when not annotated */
} ClosureParam;

/* Macro invocation. The arguments of every macro mrsc knows are
 * comma-separated expressions, parsed as such: `vec![x; n]` sets is_repeat
 * with args {x, n}. `matches!(e, PAT)` keeps the pattern in pat. */
typedef struct MacroCall {
    Span span;
    char *name;       /* last path segment: "println" */
    Path *path;       /* full path, e.g. std::println */
    List args;        /* List of Expr * */
    bool is_repeat;   /* vec![elem; n] */
    Pat *pat;         /* matches!(e, pat [if guard]) */
    Expr *guard;
    char delim;       /* '(', '[' or '{' */
} MacroCall;

struct Expr {
    ExprKind kind;
    Span span;
    /* literals */
    uint64_t int_val;   /* EX_INT, EX_CHAR, EX_BYTE (code point / byte); EX_INT: the low 64 bits */
    uint64_t int_hi;    /* EX_INT: the high 64 bits of an i128/u128 literal's value */
    double float_val;   /* EX_FLOAT */
    char *lit_text;     /* EX_INT, EX_FLOAT: source text without suffix and `_` */
    char *suffix;       /* EX_INT/EX_FLOAT: "u8", "f32", ... or NULL */
    bool bool_val;      /* EX_BOOL */
    char *str;          /* EX_STR, EX_BYTE_STR: unescaped bytes, NUL-terminated */
    size_t str_len;     /* may contain NULs */
    /* operators */
    UnaryOp unop;       /* EX_UNARY */
    BinOp binop;        /* EX_BINARY, EX_ASSIGN_OP */
    bool is_mut;        /* EX_REF: &mut */
    bool is_raw;        /* EX_REF: `&raw const x` / `&raw mut x`, a raw pointer */
    Expr *lhs, *rhs;    /* EX_BINARY, EX_ASSIGN, EX_ASSIGN_OP; EX_RANGE lo/hi (NULL when absent);
                           EX_INDEX base/index; EX_ARRAY_REPEAT elem/count; EX_LET pat's scrutinee in rhs */
    bool inclusive;     /* EX_RANGE: ..= */
    Expr *operand;      /* EX_UNARY, EX_REF, EX_CAST, EX_FIELD, EX_TUPLE_FIELD, EX_TRY,
                           EX_AWAIT, EX_METHOD (receiver), EX_CALL (callee), EX_PAREN,
                           EX_BREAK/EX_RETURN value (or NULL), EX_MATCH/EX_FOR scrutinee/iterable */
    TypeExpr *cast_type;/* EX_CAST */
    Path *path;         /* EX_PATH, EX_STRUCT */
    char *name;         /* EX_FIELD, EX_METHOD: field/method name */
    uint32_t index;     /* EX_TUPLE_FIELD */
    Span name_span;     /* EX_FIELD, EX_METHOD: span of the name (rustc points there) */
    List generic_args;  /* EX_METHOD turbofish: List of TypeExpr * */
    List args;          /* EX_CALL, EX_METHOD arguments; EX_TUPLE, EX_ARRAY elements: List of Expr * */
    List fields;        /* EX_STRUCT: List of FieldInit * */
    Expr *base;         /* EX_STRUCT: `..base` or NULL */
    /* control flow */
    Block *block;       /* EX_BLOCK, EX_WHILE, EX_LOOP, EX_FOR bodies; EX_IF then-block */
    Expr *cond;         /* EX_IF, EX_WHILE condition (may be EX_LET) */
    Expr *els;          /* EX_IF: else branch (EX_BLOCK or EX_IF) or NULL */
    Pat *pat;           /* EX_LET, EX_FOR */
    List arms;          /* EX_MATCH: List of MatchArm * */
    char *label;        /* loops and labelled blocks: "'outer"; EX_BREAK/EX_CONTINUE target */
    bool is_unsafe;     /* EX_BLOCK: unsafe { } */
    bool is_else_if;    /* EX_IF: the `else if` of another if (its temporaries end with the chain) */
    bool is_async;      /* EX_CLOSURE: an async closure or an async block */
    bool async_block;   /* EX_CLOSURE: `async { }` / `async move { }`, a closure of no parameters
                           whose value is a future (body: the block) */
    bool is_move;       /* EX_CLOSURE, async move block */
    bool pin_macro;     /* EX_REF: `pin!(v)`, rewritten by sema as `&mut { v }` typed Pin<&mut T> */
    int await_index;    /* EX_AWAIT: its number in the async fn or block, 1.. (sema); an async
                           block's EX_CLOSURE: how many awaits its body has (-1 none, 0 not counted) */
    List params;        /* EX_CLOSURE: List of ClosureParam * */
    TypeExpr *ret_type; /* EX_CLOSURE: `-> R` or NULL */
    Expr *body;         /* EX_CLOSURE body */
    MacroCall *mac;     /* EX_MACRO */
    /* sema */
    struct Type *ty;    /* sema: the expression's type */
    struct Def *def;    /* sema: resolved callee/method/variant/field owner */
    void *sema;         /* sema: MethodRes / FieldRes / FmtCall (sema.h) */
    struct Adjust *adjust; /* sema: implicit deref/ref/coercion of this value, or NULL */
    struct Local *moves;  /* borrowck: evaluating this place moves (part of) that local */
    List bck_uses;        /* borrowck: BckUse *: the places this expression uses, moves or assigns, in order */
    List bck_held;        /* borrowck, EX_AWAIT: Local *: what the async body holds across it (cfg.c) */
    List bck_loans;       /* borrowck (loans.c): BFact *: what it does with loans, after bck_uses */
    struct Local *temp;   /* borrowck: the temporary that holds this value (a value in a place context), or NULL */
    bool promoted;        /* borrowck: a constant behind `&`, promoted to a static (rustc's constant promotion) */
    Expr *origin;         /* mono: in an instance's copy of a generic body, the expression copied */
};

/* ---- statements and blocks ------------------------------------------ */

typedef enum StmtKind {
    ST_LET,   /* let pat [: T] [= init] [else { }]; */
    ST_EXPR,  /* expr; or a block-like expr without `;` that is not the tail */
    ST_ITEM,  /* a nested fn/struct/use... */
    ST_EMPTY, /* ; */
} StmtKind;

struct Stmt {
    StmtKind kind;
    Span span;
    Pat *pat;          /* ST_LET */
    TypeExpr *type;    /* ST_LET annotation or NULL */
    Expr *init;        /* ST_LET initializer or NULL */
    Block *els;        /* ST_LET let-else block or NULL */
    Expr *expr;        /* ST_EXPR */
    bool has_semi;     /* ST_EXPR: ended by `;` */
    Item *item;        /* ST_ITEM */
    List attrs;        /* List of Attr * */
    List bck_extended; /* borrowck, ST_LET: Expr *: the temporaries `let` lifetime extension gives the block */
};

struct Block {
    Span span;         /* from `{` to `}` */
    List stmts;        /* List of Stmt * */
    Expr *tail;        /* the trailing expression without `;`, or NULL */
    struct Type *ty;   /* sema */
    bool tail_temps_outer; /* borrowck: a plain block that is another block's tail: its tail's temporaries
                              are that block's tail's, dropped after both blocks' locals */
};

/* ---- items ----------------------------------------------------------- */

typedef enum ItemKind {
    IT_FN,        /* fn */
    IT_STRUCT,    /* struct */
    IT_ENUM,      /* enum */
    IT_UNION,     /* union (rejected by sema) */
    IT_IMPL,      /* impl [Trait for] Type */
    IT_TRAIT,     /* trait */
    IT_CONST,     /* const X: T = e; */
    IT_STATIC,    /* static [mut] X: T = e; */
    IT_USE,       /* use a::b::{c, d as e, *}; */
    IT_TYPE,      /* type X = T; / associated `type Item;` or `type Item: Bound;` */
    IT_MOD,       /* mod m { items } or mod m; */
    IT_EXTERN_CRATE, /* extern crate x; */
    IT_MACRO_RULES,  /* macro_rules! (rejected by sema) */
} ItemKind;

typedef enum SelfKind {
    SELF_NONE,    /* associated function */
    SELF_VALUE,   /* self, mut self */
    SELF_REF,     /* &self */
    SELF_REF_MUT, /* &mut self */
    SELF_TYPED,   /* self: Pin<&mut Self>, self: Box<Self>, ... (self_type) */
    SELF_BOX,     /* sema (FnDef.self_kind): `self: Box<Self>`, the receiver is the Box, moved */
    SELF_PIN,     /* sema: `self: Pin<&mut Self>` / `self: Pin<&Self>`, the receiver is that Pin, moved */
} SelfKind;

typedef struct Param {
    Span span;
    Pat *pat;
    TypeExpr *type;
} Param;

typedef struct FnSig {
    Span span;         /* from `fn` to the end of the return type */
    char *name;
    Generics *generics;
    SelfKind self_kind;
    bool self_mut;     /* `mut self` */
    char *self_lifetime; /* &'a self */
    TypeExpr *self_type; /* SELF_TYPED */
    Span self_span;
    List params;       /* List of Param * (not including self) */
    TypeExpr *ret;     /* NULL for () */
    bool is_async, is_unsafe, is_const, is_extern;
} FnSig;

typedef enum StructKind {
    SK_NAMED, /* { a: T } */
    SK_TUPLE, /* (T, U) */
    SK_UNIT,  /* ; */
} StructKind;

typedef struct FieldDef {
    Span span;
    char *name;        /* NULL for tuple fields */
    TypeExpr *type;
    bool is_pub;
    List attrs;        /* List of Attr *: #[pin] */
} FieldDef;

typedef struct Variant {
    Span span;
    char *name;
    StructKind kind;
    List fields;       /* List of FieldDef * */
    Expr *discriminant;/* `= 5` or NULL */
    List attrs;        /* List of Attr * */
} Variant;

/* use tree: `a::b::{c, d as e, f::*}` */
typedef struct UseTree {
    Span span;
    Path *prefix;      /* may be NULL for `{..}` at the top */
    bool glob;         /* prefix::* */
    char *rename;      /* `as name` (or "_") */
    List children;     /* List of UseTree * for prefix::{...}; has_children set */
    bool has_children;
} UseTree;

struct Item {
    ItemKind kind;
    Span span;         /* whole item */
    Span name_span;
    char *name;        /* NULL for impl and use */
    List attrs;        /* List of Attr * (outer) */
    bool is_pub;
    Generics *generics;/* may be NULL */
    /* IT_FN (also trait/impl methods) */
    FnSig *sig;
    Block *body;       /* NULL for a required trait method `fn f(&self);` */
    /* IT_STRUCT, IT_UNION */
    StructKind struct_kind;
    List fields;       /* List of FieldDef * */
    /* IT_ENUM */
    List variants;     /* List of Variant * */
    /* IT_IMPL */
    Path *trait_path;  /* impl Trait for T: the trait, or NULL */
    bool negative;     /* impl !Trait for T */
    TypeExpr *self_ty; /* the implementing type */
    List items;        /* IT_IMPL, IT_TRAIT, IT_MOD: List of Item * */
    bool is_unsafe;    /* unsafe impl / unsafe trait */
    /* IT_TRAIT */
    List supertraits;  /* List of Bound * */
    /* IT_CONST, IT_STATIC, IT_TYPE */
    TypeExpr *type;    /* the declared type / alias target (NULL for `type Item;`) */
    Expr *init;        /* const/static value (NULL for a trait's `const X: T;`) */
    bool is_mut;       /* static mut */
    List bounds;       /* IT_TYPE in a trait: `type Item: Bound;` List of Bound * */
    /* IT_USE */
    UseTree *use;
    bool mod_inline;   /* IT_MOD with `{ }` */
    /* sema */
    struct Def *def;
    Item *nested_in;   /* sema (nested.c): the fn whose body declared this item, or NULL */
};

/* A whole .mrs file. */
typedef struct Crate {
    List attrs;        /* List of Attr * inner attributes `#![..]` */
    List items;        /* List of Item * */
} Crate;

/* ---- constructors and printing (ast.c) ------------------------------- */

Expr *ast_new_expr(ExprKind kind, Span span);
Pat *ast_new_pat(PatKind kind, Span span);
TypeExpr *ast_new_type(TypeExprKind kind, Span span);
Item *ast_new_item(ItemKind kind, Span span);
Stmt *ast_new_stmt(StmtKind kind, Span span);
Block *ast_new_block(Span span);
Path *ast_new_path(Span span);
/* A path of one plain segment (for shorthand fields and idents). */
Path *ast_path_ident(char *name, Span span);

/* Does some PAT_IDENT binding in p (or p itself) satisfy pred? */
bool ast_pat_any_ident(Pat *p, bool (*pred)(Pat *ident, void *ctx), void *ctx);
/* Does pred hold for e or an expression in it, its blocks and arms included (not in a
 * closure's body, which is a fn of its own)? */
bool ast_expr_any(Expr *e, bool (*pred)(Expr *e));
/* Is e (in parentheses or not) the `_` of `_ = value;`? */
bool ast_is_underscore(Expr *e);
bool ast_pat_is_rest(Pat *p);
/* Tuple-like patterns with `..`: the field that element i of elems matches
 * (-1 for the `..` itself), and the element matching field k (NULL under `..`). */
int ast_pat_elem_field(List *elems, int i, int nfields);
/* A copy of a fn item's parameters and body with no sema annotations (ast_clone.c). */
Item *ast_clone_fn(const Item *it);
static inline Expr *ast_origin(Expr *e) { return e && e->origin ? e->origin : e; }
Pat *ast_pat_elem_for(List *elems, int k, int nfields);

const char *ast_binop_str(BinOp op);     /* "+" */
const char *ast_unop_str(UnaryOp op);    /* "-" */

/* --emit=ast: an indented S-expression-like dump with line:col per node. */
void ast_dump(FILE *out, Crate *crate);

#endif
