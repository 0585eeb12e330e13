/* check_int.h — the checker's internal contract: the state its files share
 * and the functions one file calls in another. Only the files of sema/
 * include it; codegen and borrowck read the typed tree through sema.h.
 *
 * The checker's files, in the order a crate goes through them:
 *   check.c    the phase: predeclared std items, each fn body, after-inference checks
 *   resolve.c  names: the global namespace, type expressions, items, `use`, locals, value paths
 *   traits.c   traits and impls: which impl applies, which type satisfies a bound
 *   unify.c    inference variables, coercions, generic instantiation
 *   expr.c     expressions: paths, places, fields, operators, control flow, blocks
 *   call.c     calls: std functions, generic fns, closures and callable arguments
 *   pat.c      patterns, binding modes, exhaustiveness
 *   methods.c  method calls: receiver probing, user methods
 *   stdlib.c   the std methods mrsc implements: their table (std_methods.def), typing a call
 *   macros.c   println!/format!/assert!/vec!/matches!/write! */
#ifndef MRSC_SEMA_CHECK_INT_H
#define MRSC_SEMA_CHECK_INT_H

#include "sema.h"

/* ---- the context of one body -------------------------------------------------- */

typedef struct Scope {
    struct Scope *parent;
    List locals; /* List of Local * in declaration order */
} Scope;

typedef struct LoopCtx {
    struct LoopCtx *parent;
    char *label;     /* "'outer" or NULL */
    Type *break_ty;  /* value type of `break v` (loop / labelled block), or NULL for while/for */
    bool is_loop;    /* `loop` (may break with a value) */
    bool is_block;   /* a labelled block: `continue` may not target it */
    bool has_break;
} LoopCtx;

typedef struct Ctx {
    Program *prog;
    FnDef *fn;        /* the function being checked */
    Scope *scope;
    LoopCtx *loops;
    Type *ret;        /* the fn's return type */
    List vars;        /* List of Type *: every inference variable created (for E0282) */
    List exprs;       /* List of Expr *: every typed expression, to zonk */
    List pats;        /* List of Pat *: every typed pattern, to zonk */
    List matches;     /* List of Expr *: matches to check for exhaustiveness after inference */
    List lets;        /* List of Stmt *: let patterns that must be irrefutable */
    List insts;       /* List of Inst *: generic calls whose bounds are checked after inference */
    List inst_spans;  /* List of Span * (parallel to insts) */
    int shadow_count; /* for unique C names */
    Closure *closure; /* the closure whose body is being checked, or NULL */
    List closures;    /* List of Closure *: every closure of the body, in source order */
    List spawned;     /* List of Expr *: the closures passed to thread::spawn (Send, 'static) */
    List fn_expect;   /* List of FnExpect *: closure signatures expected by generic calls */
    List late_tries;  /* Expr *, Type * pairs: `s.parse()?` whose error converts to the Type once parse's target is known */
    List closure_calls; /* List of Expr *: calls whose callee is a closure value */
    List mut_uses;    /* List of MutUse *: &mut borrows of locals not declared `mut` (E0596) */
    bool instance;    /* re-checking a generic fn's body for one instance */
    int unsafe_depth; /* inside this many `unsafe` blocks (E0133 outside any) */
} Ctx;

/* A mutable use of a binding that is not `mut`: reported per binding once
 * the body is checked (one use: at the use; several: at the binding). */
typedef struct MutUse {
    Local *root;
    Span span;
    Closure *clo;     /* calling this FnMut closure needs the mutable borrow */
} MutUse;

/* A generic call's type argument that has an Fn bound: a closure passed for
 * it gets its parameter types from the bound (`apply(|x| x + 1)`). */
typedef struct FnExpect {
    Type *var;
    TraitDef *sig;    /* the bound, its types in terms of the call's variables */
} FnExpect;

/* What the names of a type expression mean where it is resolved. */
typedef struct TyEnv {
    AdtDef *self_adt;  /* inside an impl: what `Self` names */
    Type *self_ty;
    AdtDef *generic_owner; /* ADT whose params are in scope (struct/enum field types) */
    char **params;     /* generic parameters in scope (a fn's, with its impl's) */
    int nparams;
    Type **subst;      /* when checking an instance: what each parameter is */
    ImplDef *impl;     /* inside a trait impl: its associated types (Self::Item) */
    TraitDef *trait;   /* inside a trait: Self::X names its associated types */
    List *bounds;      /* the bounds of params (T::Output) */
} TyEnv;

/* ---- shared state ------------------------------------------------------------- */

extern Program *prog;     /* the crate being checked (check.c) */
extern FnDef *cur_fn;     /* the fn whose body is being checked: its parameters' bounds (check.c) */
extern AdtDef *fmt_error; /* std::fmt::Error (check.c) */
extern TyEnv tyenv;       /* where type expressions are resolved now (resolve.c) */
extern List globals;      /* List of Global *: the crate's names (resolve.c) */
void globals_reset(void);  /* empties it (and its index by name) */
extern List fn_traits;    /* List of TraitDef *: the interned closure traits (traits.c) */

/* ---- resolve.c: names --------------------------------------------------------- */

Def *new_def(DefKind k, char *name, Span span);
Def *lookup_global(const char *name, bool type_ns);
/* A user item may shadow a std name mrsc predeclared (span 0); else E0428. */
void add_global(char *name, Def *def, bool type_ns, Span span);
/* "<what> is not supported by mrsc yet" at span. */
void unsupported(Span span, const char *what);
Type *fmt_result_type(void); /* fmt::Result */
Type *prim_by_name(const char *name);
PathSeg *last_seg(Path *p);
const char *seg_name(Path *p, int i);
Type *resolve_type(TypeExpr *te);
FnDef *new_fn(Item *it, AdtDef *owner);
void add_bounds(List *out, List *bounds);
void hoist_nested_items(List *items);
void note_impl_op_outputs(FnDef *f, Item *impl);
bool nested_local_named(Item *fn, const char *name);
void find_impl_traits(TypeExpr *te, List *out);
void set_generics(FnDef *f, char **pre, List *pre_bounds, int npre);
void resolve_sig(FnDef *f);
void collect_items(List *items);  /* first pass: the names of types and values */
void resolve_items(List *items);  /* second pass: signatures, fields, impls */
void push_scope(Ctx *c);
void pop_scope(Ctx *c);
Local *declare_local(Ctx *c, char *name, Type *t, bool is_mut, Span span);
/* An ADT's type for a constructor: the expected one when it is that ADT, else fresh variables. */
Type *adt_instance(AdtDef *a, Type *expected);
Type *field_type(Type *adt_ty, VariantInfo *v, int i);
Def *resolve_value_path(Ctx *c, Path *p, Span span);
void report_unresolved(Ctx *c, Path *p, Span span); /* E0425, E0433, E0599 or "not supported" */

/* ---- traits.c: traits and impls ----------------------------------------------- */

TraitDef *find_trait(const char *name);
TraitDef *trait_instance(TraitDef *g, Type **args);
TraitDef *trait_subst(TraitDef *tr, Type **args, int n);
TraitDef *trait_ref(PathSeg *seg, Span span);
bool trait_is(TraitDef *tr, TraitDef *g);
FnDef *generic_trait_decl(Type *t, const char *name);
void select_generic_instance(Inst *in);
bool generic_trait_unknown(Inst *in);
TraitDef *builtin_trait(const char *name);
FnDef *trait_method(TraitDef *t, const char *name); /* its own or a supertrait's */
void collect_trait(Item *it);
void resolve_trait(TraitDef *t);
void collect_trait_impl(Item *it);
Type *impl_self_type(Item *it, char ***names, List **bounds, int *nimpl);
void check_object_safe(TraitDef *t, Span span); /* E0038 */
/* The closure trait of one (kind, signature), interned. */
TraitDef *fn_trait(int kind, Type **params, int n, Type *ret);
TraitDef *future_dyn_trait(Type *out); /* the trait of `dyn Future<Output = out>` */
TraitDef *iter_item_trait(Type *item); /* `Iterator<Item = item>` */
void try_convert(Expr *e, Type *from, Type *to); /* `?`'s error conversion (check_try) */
TraitDef *bound_trait(TraitDef *t, PathSeg *ls); /* t, or Iterator's instance at `<Item = T>` */
TraitDef *fn_sig_of(Type *t);
Type *normalize(Type *t); /* <T as Trait>::X once T is known */
bool impl_matches(ImplDef *im, Type *t, Type ***out);
ImplDef *find_impl_args(TraitDef *tr, Type *t, Type ***args);
ImplDef *find_impl(TraitDef *tr, Type *t);
bool type_implements(Type *t, TraitDef *tr);
FnDef *impl_method(Type *t, const char *name, ImplDef **out);
Inst *impl_inst(Ctx *c, FnDef *f, ImplDef *im, Span span);
FnDef *op_impl(const char *trait, Type *lhs, Type *rhs);
FnDef *op_impl_ret(const char *trait, Type *lhs, Type *rhs, Type **ret);
FnDef *op_impl_args(const char *trait, Type *lhs, Type *rhs, Type ***args, int *nargs);
Type *op_output(Type *param, const char *trait);
bool type_has_method(Type *t, const char *name);
bool fn_satisfies(Type *t, TraitDef *tr);
bool satisfies(Type *t, TraitDef *tr);
void bound_error(Span span, Type *t, TraitDef *tr); /* E0277 */
void unpin_error(Span span, Type *t, Type *culprit, const char *by); /* E0277: `X` cannot be unpinned */

Type *into_iter_item(Type *t); /* the item of `for x in <t>`, or NULL */
Type *user_iter_item(Type *t); /* the Item of a user type implementing Iterator, or NULL */

/* ---- unify.c: inference and coercion ------------------------------------------ */

bool unify(Type *a, Type *b);
bool could_unify(Type *a, Type *b); /* binds no variable */
bool has_error(Type *t);
Diag *mismatch(Span span, Type *expected, Type *found); /* E0308, unless an error type is involved */
Adjust *new_adjust(int derefs, int autoref, CoerceKind co, Type *target);
bool try_coerce(Expr *e, Type *found, Type *expected);
bool coerce(Expr *e, Type *found, Type *expected); /* unify, else coerce, else E0308 */
Inst *new_inst(Ctx *c, FnDef *f, PathSeg *turbofish, int first, Span span);
Type **inst_params(FnDef *f, Inst *in);
Type *inst_ret(FnDef *f, Inst *in);
void check_inst_bounds(Ctx *c);

/* ---- expr.c: expressions ------------------------------------------------------ */

Type *check_expr(Ctx *c, Expr *e, Type *expected);
Type *check_coerce(Ctx *c, Expr *e, Type *expected); /* check_expr, then coerce to expected */
bool collect_into(Expr *e, Type *t, Type *item); /* stdlib.c: E0277 when collect cannot build a t */
Type *check_block(Ctx *c, Block *b, Type *expected);
Type *set_ty(Ctx *c, Expr *e, Type *t);
Expr *strip_parens(Expr *e);
const char *place_str(Expr *e);
bool is_place(Expr *e);
/* E0384, E0594, E0596: `is_assign` an assignment, else a &mut borrow. */
void check_mutable(Ctx *c, Expr *place, bool is_assign, Span span);
void report_mut_uses(Ctx *c);
bool comparable(Type *t, bool ordering);
bool compare_traits(Type *t, bool ordering, bool total); /* total: Eq / Ord */
bool is_stringish(Type *t, int *refs);
bool seq_eq_ok(Type *a, Type *b);
bool diverges(Type *t);
bool coerce_tail(Expr *body, Type *expected);

/* ---- call.c: calls and closures ----------------------------------------------- */

Type *check_call(Ctx *c, Expr *e, Type *expected);
/* E0061 on a count mismatch; each argument is a coercion site. */
void check_args(Ctx *c, Expr *call, Span callee_span, List *args, Type **params, int nparams, const char *what);
Type *check_closure(Ctx *c, Expr *e, Type *expected);
Type *check_callable_arg_ret(Ctx *c, Expr *arg, Type **ps, int n, int kind, Type *ret);
Type *check_callable_arg(Ctx *c, Expr *arg, Type **ps, int n, int kind);
Type *future_output(Span span, Type *ft, Span call_span); /* F::Output of a future's type (call.c) */
void require_unsafe_call(Ctx *c, Span span, FnDef *f); /* E0133 for an `unsafe fn` called outside `unsafe` */
void async_normalize(FnDef *f); /* each `.await` of an async fn's body at a statement of its own (async.c) */
void async_normalize_block(FnDef *af, Expr *e); /* the same for async block e */
int impl_generics(Item *it, char ***names_out, List **bounds_out); /* an item's type parameters and bounds (traits.c) */

/* ---- stdlib.c: the std methods ------------------------------------------------ */

#define STD_MAX_ARGS 4 /* arguments of a std method, after self */

/* Read every row's signature once, so that a mistake in std_methods.def is an
 * internal error at the first compile rather than at the first call. */
void std_methods_check(void);
/* The std method `name` of receiver type b (after auto-deref), or NULL. */
const StdMethod *std_method_find(Type *b, const char *name);
const StdMethod *std_fn_find(Type *b, const char *name); /* also the rows only a path names (`Rc::new`) */
/* `Rc::new(x)`: a static row's call e typed, Self the path's type. */
Type *std_static_type(Ctx *c, Expr *e, const StdMethod *m, Type *self, Type *expected);
extern const StdMethod *path_fn_row; /* `Rc::strong_count(&a)` is being checked as a method call of this row */
/* Is `name` a std method rustc has and mrsc does not implement yet? */
bool std_method_lacking(const char *name);
/* The type of a call of std method m on b, its arguments checked. */
Type *std_method_type(Ctx *c, Expr *e, const StdMethod *m, Type *b, Type *expected, MethodRes *mr);

/* ---- pat.c, methods.c, macros.c ----------------------------------------------- */

void check_pat(Ctx *c, Pat *p, Type *t, bool refutable);
bool match_exhaustive(Ctx *c, Expr *e, Type *t);              /* E0004 */
void check_irrefutable(Pat *p, Type *t, const char *what);     /* E0005 */
Type *check_method(Ctx *c, Expr *e, Type *expected);
Type *path_std_self(Path *p);
bool num_from_ok(Type *to, Type *from);
extern int fmt_forced;
void compare_mismatch(Span whole, Span rhs, Type *lt, Type *rt);
extern Type *path_recv_type;
AdtDef *parse_error_adt(Type *t);
extern bool fmt_write_in_scope; /* `use std::fmt::Write;` seen: write! into a String */
Type *check_macro(Ctx *c, Expr *e, Type *expected);
bool fmt_trait_ok(Type *t, FmtTrait trait, Span span, bool report); /* E0277 when report */

void distinct_cnames(void); /* traits.c: C names of same-named methods of one type */

/* lints.c: the deny-by-default lints (overflowing_literals, arithmetic_overflow). */
void lint_fn(Ctx *c);

#endif
