/* cg_int.h — what the files of codegen/ share: the emitter's state (CG),
 * the IRs they pass each other (Dest, IterGen, temporaries), and every
 * function one of them calls in another. Private to codegen/; the phase's
 * contract is codegen.h. */
#ifndef MRSC_CG_INT_H
#define MRSC_CG_INT_H

#include "codegen.h"
#include "../borrowck/borrowck.h"
#include "../mono/mono.h"
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct CgLoop {
    struct CgLoop *parent;
    char *label;        /* Rust label or NULL */
    int id;             /* for C labels brk_N / cont_N */
    char *break_dest;   /* variable receiving `break value`, or NULL */
    int scope_depth;    /* scope depth at loop entry (for drops on break) */
    bool is_block;      /* labelled block */
    bool used_goto_break, used_goto_cont;
    int switch_depth;   /* C switches opened inside this loop */
} CgLoop;

typedef struct CgScope {
    List locals;        /* List of Local *: droppable locals declared in this scope */
    Local *iter;        /* a `for` loop's scope: its iterator (borrowck's hidden local), or NULL */
    struct IterGen *ig; /* ... and how it is written (iter_close drops what it still owns) */
} CgScope;

typedef struct CG {
    Program *prog;
    const CgOptions *opt;
    StrBuf forward;     /* typedef struct X X; for every struct and enum */
    StrBuf types;       /* typedefs and struct definitions */
    StrBuf protos;      /* prototypes of helpers and functions */
    StrBuf helpers;     /* per-type helper bodies */
    StrBuf fns;         /* user functions */
    List fn_starts;     /* size_t offsets in fns where each fn (with its closures) starts */
    bool whole;         /* the C cannot be cut into parts (async fns) */
    StrBuf *out;        /* where statements go now */
    int indent;
    int tmp;            /* temporaries counter (per function) */
    int label_id;
    bool rebind;        /* pat_bind fills the variables an or-pattern declared */
    bool deref_mut;     /* the place being written is reached through `deref_mut` (impl DerefMut) */
    const void *block_tail; /* the tail expression of the block being written (not a fn body's) */
    /* While operands are evaluated with the first of them on the unwind chain
     * (cg_operands): that guard, and the temporary frame around the operands.
     * A temporary of that frame outlives the operands, so a panic drops it
     * after them: its guard goes below this one (add_pending). */
    const char *operand_floor;
    int operand_frames;
    bool operand_floor_used; /* a temporary was linked below it */
    Closure *closure;   /* the closure whose body is being emitted, or NULL */
    StrBuf closure_fns; /* the closures' functions, written before the fn that holds them */
    FnDef *fn;
    Type *ret;          /* the current fn's return type (of this instance) */
    Type **subst;       /* the current instance's type arguments, or NULL */
    const char *inst_cname; /* the current instance's C name, or NULL */
    bool inst_overflow;     /* the instance limit was hit (reported once) */
    List queue;         /* List of CgInst *: generic instances still to emit */
    List insts;         /* List of CgInst *: every instance requested */
    CgLoop *loops;
    CgScope *scopes[256];
    int nscopes;
    List pending;       /* List of Pending *: temporaries to drop at the end of the statement */
    Block *body;        /* the body of the fn or closure being written */
    struct TempFrame *frames[256]; /* the enclosing temporary scopes, still alive */
    int nframes;
    List done_helpers;  /* List of char *: names of helpers already generated */
    struct AsyncFrame *frame; /* writing an async fn's poll: its locals are this frame's fields */
    bool frame_decls;   /* ... and so are the C variables of the statement being written (it awaits) */
} CG;

/* The frame of an async fn being written (cfuture.c): every C variable its poll declares
 * (`self->x`) becomes a field, so that it outlives a return at an `.await`. */
typedef struct AsyncFrame {
    StrBuf fields;      /* the field declarations */
    List names;         /* char *: the fields' names */
    List types;         /* Type *: ... and their types */
    Type *out;          /* the async fn's Output */
    Type *poll;         /* Poll<Output> */
    List awaits;        /* Type *: the future each `.await` (1..) holds while it waits */
} AsyncFrame;
/* In an async fn's poll, a declaration of `self->name` is a frame field: true. */
bool frame_field(Type *t, const char *name);
void frame_field_raw(const char *ctext, const char *name); /* a field declared with its C type's text */
void cg_async_fn(FnDef *f);
/* cmap.c: HashMap and its Entry */
char *map_method(Expr *e, MethodRes *mr, char *p, char **a);
char *entry_method(Expr *e, MethodRes *mr, char *p, char **a);
char *set_method(Expr *e, MethodRes *mr, char *p, char **a);
void map_struct(StrBuf *sb, Type *t, const char *name);
const char *map_entry_c(Type *m);
const char *hash_fn(Type *t);
void emit_async_block(Type *t);          /* an async block's frame, poll and drop glue, once per type */
char *cg_async_block(Expr *e);
char *capture_value(Capture *cp);        /* (closures.c) a capture's value where the closure is made */           /* an async block's value: its frame, holding its captures */
char *async_base_name(Type *t);          /* (ctypes.c) `fetch`, `main_async_0`: what a future's C names start with */
void cg_restore_context(const CG *saved); /* (cgen.c) */
void emit_async_first(FnDef *f, List *done); /* (cgen.c) */
void emit_async_instance(Type *t);            /* (cgen.c) */
void awaited_futures(Block *b, List *out);    /* (cgen.c) the TY_ASYNC futures b awaits */
char *cg_await(Expr *e);
bool awaits_in(Expr *e);                 /* does e (its blocks too, not its closures) await? */
bool stmt_in_frame(Stmt *s);             /* do statement s's C variables go in the frame? */
void frame_return(Type *t, const char *val);

typedef struct CgInst {
    FnDef *fn;
    Type **args;
    int n;
    char *name;
    bool emitted;       /* written already (an async fn's instance, before the frames that hold it) */
} CgInst;

/* Where statements went before a helper is written into cg->helpers
 * (begin_helper / end_helper). */
typedef struct Saved {
    StrBuf *out;
    int indent;
} Saved;

typedef struct Part {
    const char *path;   /* "left", "inner.name", or "*" for a Box's contents */
    const char *place;  /* its C place */
    Type *type;
} Part;

/* Temporaries. A value computed only to be borrowed or read (`&make()`,
 * `make().len()`) lives in a C temporary; one that owns something is a
 * Pending entry of the innermost temporary scope and is dropped when that
 * scope ends: at the end of its statement (flush_pending), or with the
 * construct that keeps it (a scrutinee's temporaries at the end of the
 * match, an iterable's at the end of the loop). The enclosing scopes' entries
 * wait on a stack of frames, each noting the scope depth it was opened at,
 * so that an early exit (`return`, `break`, `continue`, `?`) drops exactly the
 * temporaries it leaves, interleaved with the locals in reverse order of
 * creation (drops_to_depth). A temporary whose drop prints is linked into
 * the unwind chain while it lives. */
typedef struct Pending {
    Type *type;
    char *place;
    Local *temp; /* borrowck's temporary; NULL: a closure a std method took (its end drops it) */
    char *guard; /* its unwind guard, or NULL */
    /* A scrutinee some arm moves from: what it owns depends on the arm. In
     * an arm, an exit drops what arm_pat leaves of it; where no arm matched,
     * all of it (whole); elsewhere nothing: each arm's end drops its rest. */
    bool per_arm;
    Pat *arm_pat;
    bool whole;
    /* A block tail's (its drop comes after the block's locals): arm_var names
     * the C int saying which arm ran, 1 + an index into arms (a Pat *, or NULL
     * where nothing matched and all of it is left). */
    char *arm_var;
    List arms;
} Pending;

typedef struct TempFrame {
    List temps;  /* List of Pending * */
    int depth;   /* cg->nscopes when it was opened */
} TempFrame;

typedef enum DestKind {
    D_DISCARD, /* evaluate for effects */
    D_ASSIGN,  /* store into `var` */
    D_RETURN,  /* return from the function */
} DestKind;

typedef struct Dest {
    DestKind kind;
    const char *var;
} Dest;


/* An iterator expression (a range, `.iter()`, `.chars()`, `.enumerate()`,
 * `.rev()`, `&v`, `v` ...) is opened into local state variables, then
 * advanced by statements that `break` out of the enclosing `for (;;)` when
 * it is exhausted, or store the next item (iter.c). */
typedef enum IgKind {
    IG_RANGE,      /* integers or chars a..b / a..=b */
    IG_PTR,        /* elements of a contiguous buffer, by reference or by value */
    IG_VEC_INTO,   /* a Vec by value (frees the buffer afterwards) */
    IG_MAP_ENTRIES, /* a HashMap's entries: pairs, keys or values (rt_kind: ITER_MAP_*); by value, the
                      map is owned (elem) and what is not taken is dropped afterwards */
    IG_RT,         /* a runtime iterator: MrsChars, MrsSplit, ... */
    IG_ENUMERATE,
    IG_USER,       /* a user type implementing Iterator: its `next` is called */
    IG_MAP,        /* inner.map(f): each item through the callable */
    IG_FILTER,     /* inner.filter(p): the items the callable accepts */
    IG_COPIED,     /* inner.copied() / .cloned(): *item, or a clone of it */
    IG_SKIP,       /* inner.skip(n): n items dropped first */
    IG_TAKE,       /* inner.take(n): at most n items */
    IG_STEP_BY,    /* inner.step_by(n): the first item, then every n-th */
    IG_ZIP,        /* inner.zip(inner2): pairs, until either runs out */
    IG_CHAIN,      /* inner.chain(inner2): inner's items, then inner2's */
    IG_TAKE_WHILE, /* inner.take_while(p) */
    IG_SKIP_WHILE, /* inner.skip_while(p) */
    IG_FILTER_MAP, /* inner.filter_map(f): the Some values f gives */
    IG_INSPECT,    /* inner.inspect(f): f sees each item on its way */
    IG_VALUE,      /* an adaptor value at `state`: its next function (ptr) is called */
    IG_PEEKABLE,   /* inner.peekable(): the peeked item (cur, when flag) first */
    IG_SCAN,       /* inner.scan(st, f): f(&mut st (cur), item) until it gives None */
    IG_FLATTEN,    /* inner.flat_map(f) / .flatten(): each item's own items (inner2, at cur, while flag) */
    IG_WINDOWS,    /* slice.windows(n) / .chunks(n) (clone): ptr, len (end), size (limit) */
    IG_CYCLE,      /* a Cycle value: its inner (at place end), reset from `orig` (place cur) when it ends */
} IgKind;

typedef struct IterGen {
    IgKind kind;
    Type *item;
    bool rev;
    bool inclusive;      /* IG_RANGE */
    bool by_ref;         /* IG_PTR: items are &elem */
    char *cur, *end;     /* IG_RANGE bounds; IG_PTR/IG_VEC_INTO index and length */
    char *more;          /* IG_RANGE inclusive: not exhausted */
    char *ptr;           /* IG_PTR: base pointer; IG_VEC_INTO: the Vec */
    char *state;         /* IG_RT: the runtime iterator variable */
    int rt_kind;         /* IG_RT: IterKind_ */
    Type *elem;          /* IG_VEC_INTO element type; IG_PTR: set for an owned array of droppable elements */
    struct IterGen *inner; /* IG_ENUMERATE, IG_MAP, IG_FILTER */
    char *fn;            /* IG_MAP, IG_FILTER: the callable (see callable_value) */
    Type *fty;           /* ... and its type */
    char *count;         /* IG_ENUMERATE; IG_SKIP, IG_TAKE, IG_STEP_BY: the items taken so far */
    char *limit;         /* IG_SKIP, IG_TAKE, IG_STEP_BY: n */
    char *flag;          /* IG_CHAIN: the first is done; IG_TAKE/SKIP_WHILE: the predicate has failed;
                            IG_STEP_BY: past the first item */
    struct IterGen *inner2; /* IG_ZIP, IG_CHAIN: the other iterator */
    bool clone;          /* IG_COPIED: cloned() */
    char *exhausted;     /* IG_RANGE inclusive over a RangeInclusive value: its `exhausted` field */
    Type *vty;           /* IG_VALUE: the adaptor's type */
    bool in_place;       /* opened by ig_place: the value's own fields are the state */
    Type *owned;         /* ... and the loop or consumer owns it: closing drops it (at `state`) */
} IterGen;

/* How collect and extend make room in the Vec they fill (see vec_room_open). */
typedef struct VecRoom {
    bool made;   /* room for every item was made before the first */
    char *lower; /* otherwise: what the iterator still promises (C), or NULL for nothing */
} VecRoom;

typedef struct Acc {
    const char *acc;
    Type *t;
    MethodRes *mr;
    BuiltinMethod bm;
    Span span;
    const char *flag;  /* IT_NTH: items seen */
    const char *count; /* IT_NTH: n */
    char *fn;          /* IT_FOLD, IT_ANY, IT_ALL, IT_FOR_EACH: the callable (see callable_value) */
    Type *fty;
    VecRoom room;      /* IT_COLLECT into a Vec */
} Acc;

/* ---- shared state and tables ---- */
extern CG *cg;
extern const char *prim_c[];
extern const char *prim_mangle[];
extern const char *kind_name[];
extern const char *call_suffix[];
extern List done_vtables; /* List of char *: vtable structs and instances emitted */
extern Type *leftover_ty;
extern Span rev_span; /* iter.c: the `.rev()` whose operand is being opened, or {0} */
extern bool cg_mut_slice; /* the slice view being made is borrowed mutably (&mut v[a..b]) */
extern const char *c_reserved[];

/* cgen.c */
char *inst_name(FnDef *f, Type **args, int n);
char *callee_name(FnDef *decl, Type **args, int n);
const char *user_impl_fn(Type *t, TraitDef *tr, const char *name);
TraitDef *trait_named(const char *name);
void emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *fresh(const char *base);
char *loc(Span s);
const char *rust_type_name(Type *t);
const char *caller_arg(FnDef *f, Span s);
void line_directive(Span s);
char *c_string(const char *s, size_t n);
char *rust_sig(FnDef *f);
char *c_proto(FnDef *f);
void name_closures(FnDef *f, const char *fname);
void cg_fn(FnDef *f);
StrBuf c_main_body(FnDef *main_fn);
bool is_c_literal(Expr *e);
bool reserved_name(const char *n);
char *cg_program(Program *prog, const CgOptions *opt);

/* ctypes.c */
bool is_unit(Type *t);
bool is_never(Type *t);
bool is_void(Type *t);
bool is_fat_ref(Type *t);
bool opt_niche(Type *t);
const char *enum_discr(Type *t, const char *place);
const char *variant_case(Type *t, int k);
const char *variant_test(Type *t, const char *place, int k);
const char *trait_c(TraitDef *tr);
const char *mangle(Type *t);
const char *cg_mangle(Type *t);
char *pointer_to(const char *inner, bool is_const);
const char *ctype(Type *t);
const char *cret(Type *t);
char *decl(Type *t, const char *name);
char *local_decl(Local *l, bool initialized);
bool type_done(Type *t);
void def_struct_fields(StrBuf *sb, Type *self, VariantInfo *v, const char *indent);
Type *capture_field_type(Type *t, Capture *cp);
void closure_struct(StrBuf *sb, Type *t);
void need_type(Type *t);
void need_type_now(Type *t);
bool type_done_peek(Type *t);

/* glue.c */
bool helper_done(const char *name);
StrBuf *begin_helper(const char *proto, Saved *sv);
void end_helper(StrBuf *buf, Saved *sv);
bool has_drop(Type *t);
bool runs_user_drop_in(Type *t, AdtDef **seen, int nseen);
bool runs_user_drop(Type *t);
const char *unwind_drop_fn(Type *t);
void emit_drop_place(Type *t, const char *p);
const char *drop_fn(Type *t);
const char *box_new_fn(Type *t);
char *clone_place(Type *t, const char *p);
const char *clone_fn(Type *t);
char *str_of_place(Type *t, const char *p);
char *eq_places(Type *t, const char *a, const char *b);
void fieldwise(Type *t, char *(*compare)(Type *, const char *, const char *), const char *test, const char *exit);
const char *eq_fn(Type *t);
char *cmp_places(Type *t, const char *a, const char *b);
const char *cmp_fn(Type *t);
const char *unsigned_of(Type *t);
void fmt_place(const char *f, Type *t, FmtTrait ft, const char *p);
const char *debug_fn(Type *t);
void vtable_methods(TraitDef *tr, List *out);
bool vtable_done(const char *name);
char *entry_params(FnDef *f, Type *self, bool names);
void need_vtable_struct(TraitDef *tr);
const char *dyn_fmt_entry(TraitDef *tr, FmtTrait ft);
char *box_dyn_error(Type *bt, Type *from, const char *v);
Type *error_source_type(void);
char *error_source(Type *b, const char *p);
void fn_vtable(const char *name, TraitDef *tr, Type *t, StrBuf *init);
const char *vtable_for(TraitDef *tr, Type *t);

/* drops.c */
Local *root_local(Expr *e);
bool binds_droppable(Pat *p, void *ctx);
bool pat_moves(Pat *p);
void cg_push_scope(void);
bool splittable_type(Type *t);
Type *step_type(Type *t, const char *step, const char **cfield);
bool path_splittable(Type *t, const char *path);
bool moved_inside(Local *l, const char *path);
bool path_moved(Local *l, const char *path);
bool split_local(Local *l);
void collect_parts(Local *l, Type *t, const char *path, const char *place, List *out);
List split_parts(Local *l);
Type *field_of(Local *l, int i, const char **step, const char **place);
char *part_name(Local *l, const char *path, const char *what);
bool field_flagged(Local *l, const char *path, Type *ft);
const char *direct_field(Expr *e, Local *l);
bool static_moves(Local *l);
bool flagged(Local *l);
bool in_frame(Local *l); /* a field of the async frame being written */
bool guarded(Local *l);
void emit_split_drop(Local *l);
bool open_split(Local *l);
const char *rust_part(Local *l, const char *path);
void drop_owned(Local *l, Type *t, const char *path, const char *place);
void set_open_split_flags(Local *l);
void drop_enum_rest(Local *l);
const char *guard_drop_fn(Local *l);
void set_split_flags(Local *l);
const char *split_first_guard(Local *l);
void emit_plan(const void *key, DropSite site);
void clear_flag(const char *flag);
void note_move(Expr *e);
void moved_out(Local *l, const char *step);
void note_pattern_moves(Pat *p);
void unlink_unbound(CgScope *s);
void cg_pop_scope(bool emit_drops, const void *key);
void add_pending(Type *t, char *place, Local *temp);
void release_pending(const char *place); /* its add_pending entry off the list */
void flush_pending(const void *key);
void temps_push(void);
void temps_pop(void);
void open_block(void);
void close_block(const void *key);
bool env_guarded(Capture *cp);
bool env_flagged(Capture *cp);
bool env_consumed(Closure *clo);
char *env_place(Capture *cp);
char *env_flag(Capture *cp);
const char *env_first_guard(Closure *clo);
void drops_to_depth(int depth, const void *key);
bool is_used(Local *l);
void register_local(Local *l);

/* cexpr.c */
Dest discard(void);
Dest assign_to(const char *v);
Expr *unparen(Expr *e);
bool is_blocklike(Expr *e);
char *dummy(Type *t);
char *default_expr(Type *t);
char *hoist(Type *t, const char *val, const char *base);
bool is_ident_text(const char *s);
bool impure(const char *s);
Type *vty(Expr *e);
char **cg_operands(Expr **es, int n);
char *cg_lvalue(Expr *e);
char *deref_text(const char *p);
char *deref_n(char *p, Type *t, int n);
char *postfix_text(const char *p);
/* cshared.c: Rc, Weak, Cell, RefCell */
char *shared_static_call(Expr *e, char **a);
char *shared_method(Expr *e, MethodRes *mr, char *p, char **a);
char *thread_method(Expr *e, MethodRes *mr, char *p, char **a); /* Arc, Mutex, JoinHandle, channels */
/* cfuture.c: Pin, the projections, Context/Waker/Poll, Instant, block_on */
char *future_method(Expr *e, MethodRes *mr, char *p, char **a);
char *future_static_call(Expr *e, char **a);
char *block_on_call(Expr *e, char **a);
char *std_future_new(Expr *e, char **a);
Type *std_future_output_c(Type *x);      /* F::Output of a concrete future type */
const char *poll_fn_name(Type *x);       /* the C poll of a concrete future type */
char *thread_spawn(Expr *e, char **a);
char *channel_new(Expr *e);
char *thread_scope(Expr *e, char **a);
void thread_sleep(char **a);
char *smart_deref(Type *t, const char *p); /* `*p` of a Box, Rc, Ref ... */
char *user_deref_call(Type *t, bool mut, const char *p);
char *user_target_place(Type *t, bool mut, const char *p);
char *cg_place_mut(Expr *e);
char *cond(const char *c);
char *addr_text(const char *x);
char *member(const char *base, const char *field);
char *int_lit(Type *t, uint64_t v);
char *int_lit128(Type *t, uint64_t hi, uint64_t lo);
char *char_lit(uint64_t c);
char *float_lit(Expr *e, Type *t);
const char *int_name(Type *t);
const char *int_min_macro(Type *t);
const char *int_max_macro(Type *t);
char *apply_adjust(Expr *e, char *v);
char *slice_ptr(Type *t, const char *p);
char *slice_len(Type *t, const char *p);
char *slice_end(Type *t, const char *p);
Span bracket_span(Expr *e);
char *cg_place(Expr *e);
const char *arith_name(BinOp op);
const char *c_op(BinOp op);
Type *peel_refs(Type *t);
char *num_operand(Expr *e, char *v);
char *arith(BinOp op, Type *t, const char *a, const char *b, Span at);
char *str_value(Type *t, const char *v);
bool is_stringish_ty(Type *t);
char *compare(BinOp op, Expr *l, Expr *r, const char *a, const char *b);
char *cg_binary(Expr *e);
char *cg_unary(Expr *e);
char *cg_cast(Expr *e);
void not_supported(Span s, const char *what);
char *construct(Type *t, int variant, char **vals, int n);
char *some(Type *opt, const char *v);
char *none(Type *opt);
char **cg_args(List *args);
char *join_args(char **v, int n, const char *first);
char *call_result(Type *ret, char *call);
char *cg_builtin_call(Expr *e, Def *d);
char *closure_env_ptr(Expr *callee);
char *cg_call(Expr *e);
char *cg_path(Expr *e);
char *cg_struct_lit(Expr *e);
char *cg_assign(Expr *e);
char *cg_expr_inner(Expr *e);
char *cg_expr(Expr *e);
bool is_place_expr(Expr *e);
char *const_init(Expr *e, Type *t);

/* cstd.c */
char *recv_place(Expr *m, bool by_value);
char *str_of(Type *b, const char *p);
void panic_with_debug(Span at, const char *prefix, Type *t, const char *place);
char *opt_unwrap(Expr *e, Type *ot, const char *p, const char *msg_expr);
char *res_unwrap(Expr *e, Type *rt, const char *p, const char *msg_expr, bool want_err);
char *once(Type *t, char *p);
char *std_template(const char *tpl, Expr *e, Type *self, const char *x, char **a);
char *int_method(Expr *e, MethodRes *mr, const char *x, char **a);
char *char_method(MethodRes *mr, const char *x, char **a, Expr *e);
void acc_body(const char *item, void *vctx);
char *iter_method(Expr *e, MethodRes *mr);
void map_collect_item(Type *m, const char *acc, const char *item);
char *map_index(Type *m, Expr *key, const char *p, Span at);
char *btree_method(Expr *e, MethodRes *mr, const char *p);
char *int_try_from(Type *rt, Type *from, const char *v);
char *split_iter(Expr *e, MethodRes *mr, const char *s, char **a);
char *str_method(Expr *e, MethodRes *mr, const char *s, char **a);
char *string_method(Expr *e, MethodRes *mr, const char *p, char **a);
char *vec_method(Expr *e, MethodRes *mr, const char *p, char **a);
char *vec_reserve_one(const char *ptr, const char *len, const char *cap);
void emit_vec_push(const char *v, const char *x); /* v.push(x) on the Vec at place v */
void vec_room_open(VecRoom *r, IterGen *g, const char *ptr, const char *len, const char *cap, Type *collect_elem);
void emit_vec_fill(const char *ptr, const char *len, const char *cap, const char *x, const VecRoom *r);
void map_extend(Expr *e, MethodRes *mr, const char *p); /* cmap.c */
/* cdeque.c: VecDeque */
void deque_shift(const char *p);
char *deque_as_vec(Type *t, const char *v);
char *deque_static_call(Expr *e, BuiltinMethod bm, char **a);
char *deque_method(Expr *e, MethodRes *mr, const char *p, char **a);
char *vec_drain(Expr *e, MethodRes *mr, const char *p);
void typed_sort(const char *name, Type *el, Type *fty, Type *key, const char *callee, bool by_ptr);
char *slice_method(Expr *e, MethodRes *mr, const char *p, char **a);
char *droppable_arg(Type *t, char *v);
char *option_method(Expr *e, MethodRes *mr, char *p, char **a);
char *result_method(Expr *e, MethodRes *mr, char *p, char **a);
char *to_string(Type *t, const char *place);
char *cg_method(Expr *e);

/* iter.c */
FnDef *user_next(Type *t);
IterGen *ig_new(IgKind k, Type *item, bool rev);
IterGen *ig_buffer(Type *t, const char *p, bool by_ref, bool mut, bool rev, Type *item);
IterGen *iter_open_value(Expr *e, bool rev);
IterGen *iter_open(Expr *e, bool rev);
void iter_next(IterGen *g, const char *item);
void iter_close(IterGen *g);
void iter_consume(Expr *it_expr, Type *item, void (*body)(const char *item, void *ctx), void *ctx);
char *owned_choice(Type *t, const char *cond, const char *yes, Type *yt, const char *ydrop, const char *no, Type *nt, const char *ndrop);
char *ord_choice(Type *t, const char *x, const char *y, bool max);

/* citer.c */
bool iter_is_adaptor(Type *t);
bool iter_in_runtime(Type *t);
const char *iter_c_name(Type *t);
Type *iter_value_type(Type *t);
char *iter_value_of(Type *t, const char *v, Span at);
void iter_struct(StrBuf *sb, Type *t, const char *name);
void iter_drop_body(Type *t);
IterGen *ig_place(Type *t, const char *p, bool rev);
bool iter_is_source(Type *t); /* std::iter::repeat, once, from_fn, successors */
char *iter_clone(Type *t, const char *p); /* a clone of an iterator value, or NULL */
char *iter_eq(Expr *e, Type *t, bool ne);  /* Iterator::eq / ne */
IterGen *ig_skip_first(IterGen *inner, const char *n); /* inner with its first n items skipped */
char *ig_exact_len(IterGen *g); /* its length when TrustedLen (emitted now), else NULL */
char *ig_lower(IterGen *g);     /* the least it still has, as an expression, or NULL */
IterGen *ig_in_place_source(IterGen *g, Type *elem, int64_t *num, int64_t *den);
void iter_consume_opened(Expr *it_expr, Type *item, bool rev, char **len, void (*opened)(IterGen *g, void *ctx),
                         void (*body)(const char *item, void *ctx), void *ctx);
void iter_consume_from(Expr *it_expr, Type *item, bool rev, char **len, void (*body)(const char *item, void *ctx),
                       void *ctx);
char *iter_adaptor_value(Expr *e);
char *map_iter_value(Expr *e, MethodRes *mr, const char *p);
char *slice_pieces_value(Expr *e, Type *b, const char *p, const char *n);
char *peekable_method(Expr *e, MethodRes *mr);

/* closures.c */
char *callable_value(Expr *fe, char *v);
char *call_callable(Type *t, const char *fv, const char *args);
char *capture_text(Expr *e);
char *capture_text_deref(Expr *e, int derefs);
void emit_closure_fn(Closure *clo);
char *cg_closure(Expr *e);

/* fmt.c */
char *spec_text(FmtPiece *p, char **vals);
bool default_spec(FmtPiece *p);
void format_into(FmtCall *fc, const char *buf, bool newline);
void format_pieces(FmtCall *fc, const char *fptr, bool newline);
char *plain_text(FmtCall *fc, bool newline);
char *cg_format_string(FmtCall *fc);
void cg_panic_fmt(Span at, FmtCall *fc, const char *prefix);
char *cg_macro(Expr *e);

/* cpat.c */
char *pat_place(Pat *p, const char *place);
char *lit_text(Expr *lit, Type *t);
char *and_join(char *a, char *b);
const char *field_name(VariantInfo *v, int i);
char *pat_test(Pat *p, const char *place);
void pat_bind(Pat *p, const char *place);
void collect_binds(Pat *p, List *out);
char *cg_matches(Expr *e);
bool binds_ref(Pat *p, void *ctx);
bool pat_binds_ref(Pat *p);
void drop_unbound(Pat *p, Type *t, const char *pl);

/* flow.c */
void deliver(Dest d, Type *t, char *val, const void *key);
char *cg_condition(Expr *e);
char *cg_scrutinee(Expr *e, bool pats_move);
Pending *scrutinee_entry(void);
void scrutinee_arm(Pat *p);
void scrutinee_unmatched(bool on);
void scrutinee_defer(const char *pl);
void leftover_at_end(Pat *p, Type *t, const char *pl);
void scrutinee_end(const void *arms_key, const void *scrutinee_key);
void cg_else(Expr *ifx, Expr *els, Dest d);
void cg_if_into(Expr *e, Dest d);
bool switchable(Expr *e, Type *st);
char *case_label(Pat *q, Type *st);
void arm_rest(MatchArm *a, const char *pl, Dest d);
void arm_body(MatchArm *a, const char *pl, Dest d);
void cg_match_into(Expr *e, Dest d);
CgLoop *push_loop(char *label, char *break_dest);
void pop_loop(CgLoop *l, bool at_body_end);
void loop_body(Block *b, CgLoop *l);
void iteration_end(CgLoop *l);
void loop_end(CgLoop *l);
void cg_for(Expr *e);
void cg_while(Expr *e);
CgLoop *target_loop(const char *label);
void cg_break(Expr *e, bool is_continue);
char *cg_try(Expr *e);
void cg_loop(Expr *e, Dest d);
void cg_into(Expr *e, Dest d);
char *blocklike_value(Expr *e);

/* stmt.c */
Local *extended_temp(Expr *op);
char *extend_temp(Local *l, Expr *op);
void cg_let(Stmt *s);
void cg_let_inner(Stmt *s);
void cg_stmt(Stmt *s);
void cg_block_into(Block *b, Dest d, bool new_scope);

#endif
