/* cgen.c — the typed tree to readable C.
 *
 * requires: a Program checked by sema (every Expr has a resolved Type);
 * produces: C11 text. Expressions are lowered by cg_expr(), which returns
 * a C expression and may first emit statements (temporaries for block-like
 * expressions, hoisted operands that must be evaluated left to right).
 * Block-like expressions go through cg_into() with a destination: discard,
 * assign to a variable, or return. Types are emitted on demand through
 * need_type(), which writes dependencies first; per-type helpers (debug_T,
 * eq_T, clone_T, drop_T) are generated the first time they are used.
 *
 * Ownership: every owning local is dropped at the end of its scope and on
 * the return/break/continue paths that leave it, in reverse declaration
 * order. A local that may or may not hold a value at one of its drop
 * points (the CFG's drop elaboration says which), or declared without a
 * value, has a drop flag (`x_live`) that its drops test; the others need
 * none (static_moves, bck_drop_state). A local
 * whose drop prints is also linked into the runtime's unwind chain so that
 * a panic drops it (see ARCHITECTURE.md, "Unwinding"). */
#include "codegen.h"

#include "../borrowck/borrowck.h"

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
    List cleanup;       /* char *: C lines for leaving it early (a `for` loop's Vec iterator) */
} CgScope;

typedef struct CG {
    Program *prog;
    const CgOptions *opt;
    StrBuf forward;     /* typedef struct X X; for every struct and enum */
    StrBuf types;       /* typedefs and struct definitions */
    StrBuf protos;      /* prototypes of helpers and functions */
    StrBuf helpers;     /* per-type helper bodies */
    StrBuf fns;         /* user functions */
    StrBuf *out;        /* where statements go now */
    int indent;
    int tmp;            /* temporaries counter (per function) */
    int label_id;
    bool rebind;        /* pat_bind fills the variables an or-pattern declared */
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
    bool pending_tail;  /* pending holds the temporaries of a fn body's tail expression */
    Block *body;        /* the body of the fn or closure being written */
    struct TempFrame *frames[256]; /* the enclosing temporary scopes, still alive */
    int nframes;
    List done_helpers;  /* List of char *: names of helpers already generated */
} CG;

static CG *cg;

typedef struct CgInst {
    FnDef *fn;
    Type **args;
    int n;
    char *name;
} CgInst;

/* The C name of an instance of a generic fn; queues it for emission. */
static char *inst_name(FnDef *f, Type **args, int n)
{
    StrBuf sb;
    sb_init(&sb);
    extern const char *cg_mangle(Type *t);
    int first = 0;
    if (f->is_default) {
        /* a trait's default method at Self = T: T_method */
        sb_printf(&sb, "%s_%s", cg_mangle(args[0]), f->name);
        first = 1;
    } else if (f->impl_self && f->npre) {
        /* a method of impl<T> Pair<T> at T = i32: Pair_i32_method */
        sb_printf(&sb, "%s_%s", cg_mangle(ty_subst(f->impl_self, args, n)), f->name);
        first = f->npre;
    } else {
        sb_puts(&sb, f->name); /* instance names never clash with C's */
    }
    for (int i = first; i < n; i++)
        sb_printf(&sb, "_%s", cg_mangle(args[i]));
    char *name = xstrdup(sb.data);
    sb_free(&sb);
    if (strlen(name) > 400 || cg->insts.len > 5000) {
        /* polymorphic recursion: rustc stops at its recursion limit too */
        if (!cg->inst_overflow)
            diag_error(NULL, f->item->name_span, "reached the recursion limit while instantiating `%s`", f->name);
        cg->inst_overflow = true;
        return name;
    }
    for (int i = 0; i < cg->insts.len; i++) {
        CgInst *ci = cg->insts.items[i];
        if (!strcmp(ci->name, name))
            return name;
    }
    if (!f->item->body) {
        /* a trait's required method has no body to instantiate */
        diag_error(NULL, f->item->name_span, "no implementation of `%s` for `%s` was found (mrsc)", f->name,
                   n ? cg_mangle(args[0]) : "?");
        return name;
    }
    CgInst *ci = NEW(CgInst);
    ci->fn = f;
    ci->n = n;
    ci->args = arena_alloc(g_arena, sizeof(Type *) * (size_t)(n + 1));
    memcpy(ci->args, args, sizeof(Type *) * (size_t)n);
    ci->name = name;
    list_push(&cg->insts, ci);
    list_push(&cg->queue, ci);
    return name;
}


/* The C function implementing trait method `name` of tr for type t (an
 * instance name when the impl is generic), or NULL. */
static const char *user_impl_fn(Type *t, TraitDef *tr, const char *name)
{
    if (!tr)
        return NULL;
    Inst in;
    FnDef *f = sema_trait_method(cg->prog, t, tr, name, &in);
    if (!f)
        return NULL;
    if (in.fn && in.n)
        return inst_name(f, in.args, in.n);
    return f->cname;
}

static TraitDef *trait_named(const char *name)
{
    for (int i = 0; i < cg->prog->traits.len; i++)
        if (!strcmp(((TraitDef *)cg->prog->traits.items[i])->name, name))
            return cg->prog->traits.items[i];
    return NULL;
}

/* ---- output ----------------------------------------------------------------------------- */

static void emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void emit(const char *fmt, ...)
{
    for (int i = 0; i < cg->indent; i++)
        sb_puts(cg->out, "    ");
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(cg->out, fmt, ap);
    va_end(ap);
    sb_putc(cg->out, '\n');
}

static char *fresh(const char *base) { return xprintf("%s_%d", base, ++cg->tmp); }

static char *loc(Span s) { return xprintf("LOC(%u, %u)", s.line, s.col); }

static void line_directive(Span s)
{
    if (cg->opt->line_directives && s.line)
        sb_printf(cg->out, "#line %u \"%s\"\n", s.line, cg->opt->src_path);
}

/* A C string literal for bytes s[0..n). */
static char *c_string(const char *s, size_t n)
{
    StrBuf sb;
    sb_init(&sb);
    sb_putc(&sb, '"');
    bool prev_hex = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        bool hex = false;
        switch (ch) {
        case '"': sb_puts(&sb, "\\\""); break;
        case '\\': sb_puts(&sb, "\\\\"); break;
        case '\n': sb_puts(&sb, "\\n"); break;
        case '\t': sb_puts(&sb, "\\t"); break;
        case '\r': sb_puts(&sb, "\\r"); break;
        case '?': sb_puts(&sb, "\\?"); break;
        default:
            if (ch < 0x20 || ch >= 0x7f) {
                sb_printf(&sb, "\\x%02x", ch);
                hex = true;
            } else {
                if (prev_hex && isxdigit(ch))
                    sb_puts(&sb, "\"\"");
                sb_putc(&sb, (char)ch);
            }
        }
        prev_hex = hex;
    }
    sb_putc(&sb, '"');
    char *r = xstrdup(sb.data);
    sb_free(&sb);
    return r;
}

/* ---- type names ----------------------------------------------------------------------------- */

static const char *prim_c[] = {
    "int8_t", "int16_t", "int32_t", "int64_t", "__int128", "intptr_t",
    "uint8_t", "uint16_t", "uint32_t", "uint64_t", "unsigned __int128", "size_t",
    "float", "double", "bool", "uint32_t", "MrsStr", "void",
};
static const char *prim_mangle[] = {
    "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize",
    "f32", "f64", "bool", "char", "str", "never",
};

static bool is_unit(Type *t) { return t->kind == TY_TUPLE && t->nargs == 0; }
static bool is_never(Type *t) { return t->kind == TY_NEVER; }
static bool is_void(Type *t) { return is_unit(t) || is_never(t); }
static bool is_fat_ref(Type *t)
{
    return (t->kind == TY_REF &&
            (t->args[0]->kind == TY_STR || t->args[0]->kind == TY_SLICE || t->args[0]->kind == TY_DYN)) ||
           (t->kind == TY_BOX && t->args[0]->kind == TY_DYN);
}

/* A readable identifier fragment naming a type: Vec_i32, Option_String. */
static const char *mangle(Type *t);
static char *inst_name(FnDef *f, Type **args, int n);
static bool helper_done(const char *name);

/* A trait's name in C: its own, or for a closure trait its signature
 * (`FnMut_i32_to_String`), since `dyn Fn(i32)` and `dyn Fn()` differ. */
static const char *trait_c(TraitDef *tr)
{
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

static const char *mangle(Type *t)
{
    if (t->kind <= TY_NEVER)
        return prim_mangle[t->kind];
    StrBuf sb;
    sb_init(&sb);
    switch (t->kind) {
    case TY_TUPLE:
        if (t->nargs == 0) {
            sb_puts(&sb, "Unit");
            break;
        }
        sb_puts(&sb, "Tuple");
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
        sb_puts(&sb, t->adt->name);
        for (int i = 0; i < t->nargs; i++)
            sb_printf(&sb, "_%s", mangle(t->args[i]));
        break;
    case TY_STRING: sb_puts(&sb, "String"); break;
    case TY_VEC: sb_printf(&sb, "Vec_%s", mangle(t->args[0])); break;
    case TY_BOX:
        if (t->args[0]->kind == TY_DYN)
            sb_printf(&sb, "Box_dyn_%s", trait_c(t->args[0]->trait));
        else
            sb_printf(&sb, "Box_%s", mangle(t->args[0]));
        break;
    case TY_RANGE: sb_printf(&sb, "Range%s_%s", t->inclusive ? "Incl" : "", mangle(t->args[0])); break;
    case TY_ITER: sb_printf(&sb, "Iter%d_%s", t->iter_kind, mangle(t->args[0])); break;
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

static void need_type(Type *t);
const char *cg_mangle(Type *t);
const char *cg_mangle(Type *t) { return mangle(t); }

/* `const T *` / `T *`; when T is itself a pointer the qualifier follows it
 * (`const int32_t *const *` for `&&i32`). */
static char *pointer_to(const char *inner, bool is_const)
{
    size_t n = strlen(inner);
    if (n && inner[n - 1] == '*')
        return xprintf("%s%s*", inner, is_const ? "const " : "");
    return xprintf("%s%s *", is_const ? "const " : "", inner);
}

/* The C type of a Rust type (as an object type). `()` is MrsUnit. */
static const char *ctype(Type *t)
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
            r = pointer_to(ctype(in), !t->is_mut);
    } else if (t->kind == TY_PTR) {
        r = pointer_to(ctype(t->args[0]), !t->is_mut);
    } else if (t->kind == TY_BOX && t->args[0]->kind != TY_DYN) {
        r = pointer_to(ctype(t->args[0]), false); /* an owned T * */
    } else if (t->kind == TY_STRING) {
        r = "MrsString";
    } else if (t->kind == TY_ADT && t->adt == cg->prog->formatter) {
        r = "MrsFormatter";
    } else if (t->kind == TY_ITER) {
        switch (t->iter_kind) {
        case ITER_CHARS: r = "MrsChars"; break;
        case ITER_CHAR_INDICES: r = "MrsCharIndices"; break;
        case ITER_SPLIT: r = "MrsSplit"; break;
        case ITER_SPLIT_WS: r = "MrsSplitWs"; break;
        case ITER_LINES: r = "MrsLines"; break;
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
static const char *cret(Type *t) { return is_void(t) ? "void" : ctype(t); }

/* A declaration `T name` (pointer declarators read naturally: `const int32_t *p`). */
static char *decl(Type *t, const char *name)
{
    const char *ct = ctype(t);
    size_t n = strlen(ct);
    if (n && ct[n - 1] == '*')
        return xprintf("%s%s", ct, name);
    return xprintf("%s %s", ct, name);
}

/* A local's declaration with the seed's const-correctness: an immutable
 * binding of a reference is a const pointer (`const int32_t *const p`), a
 * mutable one a plain pointer; immutable scalars are const. */
static char *local_decl(Local *l, bool initialized)
{
    Type *t = l->type;
    const char *ct = ctype(t);
    size_t n = strlen(ct);
    bool immut = !l->is_mut && initialized && !l->assigned_later && t->kind != TY_BOX;
    if (n && ct[n - 1] == '*')
        return xprintf("%s%s%s", ct, immut ? "const " : "", l->cname);
    bool scalar = t->kind <= TY_CHAR || (is_fat_ref(t) && t->kind == TY_REF);
    return xprintf("%s%s %s", immut && scalar ? "const " : "", ct, l->cname);
}

/* ---- type definitions ------------------------------------------------------------------------ */

static bool has_drop(Type *t);
static const char *drop_fn(Type *t);

static bool type_done(Type *t)
{
    if (t->cg)
        return true;
    t->cg = (void *)1;
    return false;
}

static void def_struct_fields(StrBuf *sb, Type *self, VariantInfo *v, const char *indent)
{
    for (int i = 0; i < v->nfields; i++) {
        Type *ft = ty_subst(v->fields[i].type, self->args, self->nargs);
        const char *fname = v->kind == SK_TUPLE ? xprintf("_%d", i) : v->fields[i].name;
        sb_printf(sb, "%s%s;\n", indent, decl(ft, fname));
    }
}

static void need_vtable_struct(TraitDef *tr);
static bool is_ident_text(const char *s);

static const char *kind_name[] = {"", "Fn", "FnMut", "FnOnce"};
static const char *call_suffix[] = {"", "call", "call_mut", "call_once"};

/* The C type of a capture's field: a pointer for a borrow, the value itself
 * for a move. */
static Type *capture_field_type(Type *t, Capture *cp)
{
    Type *ct = ty_capture_type(t, cp);
    return cp->mode == CAP_VALUE ? ct : ty_ref(ct, cp->mode == CAP_MUT);
}

/* A closure's environment: one field per captured place, in the order the
 * body first uses them, each commented with its mode, type and reason. */
static void closure_struct(StrBuf *sb, Type *t)
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

static void need_type(Type *t)
{
    if (t->kind <= TY_STR || t->kind == TY_STRING || is_unit(t) || t->kind == TY_NEVER)
        return;
    if (t->kind == TY_ADT && t->adt == cg->prog->formatter)
        return;
    if (t->kind == TY_REF && t->args[0]->kind == TY_STR)
        return; /* MrsStr */
    if (t->kind == TY_REF && !is_fat_ref(t)) {
        need_type(t->args[0]);
        return;
    }
    if (t->kind == TY_PTR || (t->kind == TY_BOX && t->args[0]->kind != TY_DYN)) {
        need_type(t->args[0]);
        return;
    }
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
    case TY_BOX: { /* Box<dyn Trait> */
        TraitDef *tr = t->args[0]->trait;
        need_vtable_struct(tr);
        sb_printf(&sb, "/* %s: an owned object and its vtable */\ntypedef struct %s {\n    void *data;\n    const %s_VTable *vtable;\n} %s;\n\n",
                  ty_str(t), name, trait_c(tr), name);
        break;
    }
    case TY_REF: { /* &[T] / &mut [T] / &dyn Trait */
        if (t->args[0]->kind == TY_DYN) {
            TraitDef *tr = t->args[0]->trait;
            need_vtable_struct(tr);
            sb_printf(&sb, "/* %s: a fat pointer, the object and its vtable */\ntypedef struct %s {\n    %svoid *data;\n    const %s_VTable *vtable;\n} %s;\n\n",
                      ty_str(t), name, t->is_mut ? "" : "const ", trait_c(tr), name);
            break;
        }
        Type *el = t->args[0]->args[0];
        need_type(el);
        sb_printf(&sb, "/* %s */\ntypedef struct %s {\n    %s%s;\n    size_t len;\n} %s;\n\n", ty_str(t), name,
                  t->is_mut ? "" : "const ", decl(el, "*ptr"), name);
        break;
    }
    case TY_VEC:
        need_type(t->args[0]);
        sb_printf(&sb, "/* %s */\ntypedef struct %s {\n    %s;\n    size_t len;\n    size_t cap;\n} %s;\n\n",
                  ty_str(t), name, decl(t->args[0], "*ptr"), name);
        break;
    case TY_RANGE:
        need_type(t->args[0]);
        sb_printf(&sb, "/* %s */\ntypedef struct %s {\n    %s;\n    %s;\n} %s;\n\n", ty_str(t), name,
                  decl(t->args[0], "start"), decl(t->args[0], "end"), name);
        break;
    case TY_ITER: { /* a slice iterator held in a variable */
        Type *item = t->args[0];
        Type *el = item->kind == TY_REF ? item->args[0] : item;
        need_type(el);
        bool m = item->kind == TY_REF && item->is_mut;
        sb_printf(&sb, "/* %s */\ntypedef struct %s {\n    %s%s;\n    %s%s;\n} %s;\n\n", ty_str(t), name,
                  m ? "" : "const ", decl(el, "*ptr"), m ? "" : "const ", decl(el, "*end"), name);
        break;
    }
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
            if (a->builtin) {
                sb_printf(&sb, "/* std::num::ParseFloatError */\ntypedef struct %s {\n    int kind; /* MRS_PARSE_* */\n} %s;\n\n",
                          name, name);
                break;
            }
            sb_printf(&cg->forward, "typedef struct %s %s;\n", name, name);
            sb_printf(&sb, "/* struct %s */\nstruct %s {\n", ty_str(t), name);
            def_struct_fields(&sb, t, v, "    ");
            if (v->nfields == 0)
                sb_puts(&sb, "    uint8_t unit; /* C structs cannot be empty */\n");
            sb_puts(&sb, "};\n\n");
            break;
        }
        sb_printf(&sb, "/* enum %s */\ntypedef enum %s_Tag {\n", ty_str(t), name);
        for (int v = 0; v < a->nvariants; v++)
            sb_printf(&sb, "    %s_%s = %lld,\n", name, a->variants[v].name, (long long)a->variants[v].discr);
        sb_printf(&cg->forward, "typedef struct %s %s;\n", name, name);
        sb_printf(&sb, "} %s_Tag;\n\nstruct %s {\n    %s_Tag tag;\n", name, name, name);
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

/* ---- per-type helpers ------------------------------------------------------------------------ */

static bool helper_done(const char *name)
{
    for (int i = 0; i < cg->done_helpers.len; i++)
        if (strcmp(cg->done_helpers.items[i], name) == 0)
            return true;
    list_push(&cg->done_helpers, (void *)name);
    return false;
}

/* Write a helper into cg->helpers (its prototype into cg->protos). */
typedef struct Saved {
    StrBuf *out;
    int indent;
} Saved;

static StrBuf *begin_helper(const char *proto, Saved *sv)
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

static void end_helper(StrBuf *buf, Saved *sv)
{
    sb_puts(buf, "}\n\n");
    sb_puts(&cg->helpers, buf->data);
    sb_free(buf);
    free(buf);
    cg->out = sv->out;
    cg->indent = sv->indent;
}

static bool has_drop(Type *t) { return ty_needs_drop(t); }

/* Does dropping a t run an `impl Drop` (directly, through fields, Box, Vec, or a
 * Box<dyn Trait> whose object may have one)? Only such values need an unwind guard:
 * the rest only free memory. `seen` stops the walk at a recursive type. */
static bool runs_user_drop_in(Type *t, AdtDef **seen, int nseen)
{
    switch (t->kind) {
    case TY_BOX:
        if (t->args[0]->kind == TY_DYN)
            return true;
        /* fall through */
    case TY_VEC:
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

static bool runs_user_drop(Type *t)
{
    AdtDef *seen[32];
    return runs_user_drop_in(t, seen, 0);
}

/* unwind_drop_T(void *v): drop glue with the signature MrsUnwindGuard calls. */
static const char *unwind_drop_fn(Type *t)
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
static void emit_drop_place(Type *t, const char *p)
{
    if (!has_drop(t))
        return;
    if (t->kind == TY_STRING)
        emit("mrs_string_drop(&%s);", p);
    else
        emit("%s(&%s);", drop_fn(t), p);
}

/* drop_T(T *v): drop glue, fields in declaration order. */
static const char *drop_fn(Type *t)
{
    const char *name = xprintf("drop_%s", mangle(t));
    if (helper_done(name))
        return name;
    Saved sv;
    StrBuf *b = begin_helper(xprintf("void %s(%s *v)", name, ctype(t)), &sv);
    switch (t->kind) {
    case TY_BOX:
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
    case TY_VEC: {
        Type *el = t->args[0];
        if (has_drop(el)) {
            emit("for (size_t i = 0; i < v->len; i++)");
            cg->indent++;
            emit_drop_place(el, "v->ptr[i]");
            cg->indent--;
        }
        emit("mrs_vec_free(v->ptr);");
        emit("v->ptr = NULL;");
        emit("v->len = v->cap = 0;");
        break;
    }
    case TY_TUPLE:
        for (int i = 0; i < t->nargs; i++)
            emit_drop_place(t->args[i], xprintf("v->_%d", i));
        break;
    case TY_CLOSURE: /* what it captured by value, in capture order */
        for (int i = 0; i < t->clo->captures.len; i++) {
            Capture *cp = t->clo->captures.items[i];
            if (cp->mode == CAP_VALUE)
                emit_drop_place(ty_capture_type(t, cp), xprintf("v->%s", cp->field));
        }
        break;
    case TY_ARRAY:
        emit("for (size_t i = 0; i < %llu; i++)", (unsigned long long)t->len);
        cg->indent++;
        emit_drop_place(t->args[0], "v->a[i]");
        cg->indent--;
        break;
    case TY_ADT: {
        AdtDef *a = t->adt;
        if (a->drop_impl) /* impl Drop: the value's own drop first, then its fields */
            emit("%s(v);", t->nargs ? user_impl_fn(t, trait_named("Drop"), "drop") : a->drop_impl->cname);
        if (!a->is_enum) {
            VariantInfo *v = &a->variants[0];
            for (int i = 0; i < v->nfields; i++)
                emit_drop_place(ty_subst(v->fields[i].type, t->args, t->nargs),
                                xprintf("v->%s", v->kind == SK_TUPLE ? xprintf("_%d", i) : v->fields[i].name));
            break;
        }
        emit("switch (v->tag) {");
        for (int k = 0; k < a->nvariants; k++) {
            VariantInfo *v = &a->variants[k];
            emit("case %s_%s:", mangle(t), v->name);
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

static const char *clone_fn(Type *t);

/* box_new_T(T v): Box::new, the value moved to the heap. */
static const char *box_new_fn(Type *t)
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
static char *clone_place(Type *t, const char *p)
{
    if (t->kind == TY_ADT) {
        const char *user = user_impl_fn(t, trait_named("Clone"), "clone");
        if (user)
            return xprintf("%s(&%s)", user, p);
    }
    if (!has_drop(t))
        return xstrdup(p);
    if (t->kind == TY_STRING)
        return xprintf("mrs_string_clone(&%s)", p);
    return xprintf("%s(&%s)", clone_fn(t), p);
}

static const char *clone_fn(Type *t)
{
    const char *name = xprintf("clone_%s", mangle(t));
    if (helper_done(name))
        return name;
    const char *ct = ctype(t);
    Saved sv;
    StrBuf *b = begin_helper(xprintf("%s %s(%sv)", ct, name, pointer_to(ct, true)), &sv);
    if (t->kind == TY_BOX)
        emit("%s = NULL;", decl(t, "r"));
    else
        emit("%s r = *v;", ct);
    switch (t->kind) {
    case TY_BOX:
        if (t->args[0]->kind != TY_DYN)
            emit("r = %s(%s);", box_new_fn(t->args[0]), clone_place(t->args[0], "(**v)"));
        break;
    case TY_VEC: {
        Type *el = t->args[0];
        emit("r.ptr = mrs_vec_alloc(v->len, sizeof *r.ptr);");
        emit("r.cap = v->len;");
        emit("for (size_t i = 0; i < v->len; i++)");
        emit("    r.ptr[i] = %s;", clone_place(el, "v->ptr[i]"));
        break;
    }
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
        emit("for (size_t i = 0; i < %llu; i++)", (unsigned long long)t->len);
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
                emit("if (v->tag == %s_%s) {", mangle(t), v->name);
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

/* eq: a C boolean expression comparing the objects at places a and b. */
static const char *eq_fn(Type *t);
static const char *cmp_fn(Type *t);

static char *str_of_place(Type *t, const char *p)
{
    /* a &str place is an MrsStr; a String place needs as_str */
    if (t->kind == TY_STRING)
        return xprintf("mrs_string_as_str(&%s)", p);
    return xstrdup(p);
}

static char *cmp_places(Type *t, const char *a, const char *b);

static char *eq_places(Type *t, const char *a, const char *b)
{
    if (t->kind <= TY_CHAR && t->kind != TY_STR)
        return xprintf("%s == %s", a, b);
    if (t->kind == TY_STR)
        return xprintf("mrs_str_eq(%s, %s)", a, b);
    if (t->kind == TY_STRING || (t->kind == TY_REF && t->args[0]->kind == TY_STR))
        return xprintf("mrs_str_eq(%s, %s)", str_of_place(t, a), str_of_place(t, b));
    if (is_fat_ref(t))
        return xprintf("%s(&%s, &%s)", eq_fn(t), a, b);
    if (t->kind == TY_REF || t->kind == TY_BOX)
        return eq_places(t->args[0], xprintf("(*%s)", a), xprintf("(*%s)", b));
    if (is_unit(t))
        return xstrdup("true");
    const char *user = t->kind == TY_ADT ? user_impl_fn(t, cg->prog->partial_eq, "eq") : NULL;
    if (user)
        return xprintf("%s(&%s, &%s)", user, a, b);
    return xprintf("%s(&%s, &%s)", eq_fn(t), a, b);
}

/* For each field of the ADT t (per variant, under a tag test for enums):
 * `test` (a format taking the field comparison of a-> and b->), then `exit`. */
static void fieldwise(Type *t, char *(*compare)(Type *, const char *, const char *), const char *test,
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
            emit("if (a->tag == %s_%s) {", mangle(t), v->name);
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

static const char *eq_fn(Type *t)
{
    const char *name = xprintf("eq_%s", mangle(t));
    if (helper_done(name))
        return name;
    const char *ct = ctype(t);
    Saved sv;
    StrBuf *b = begin_helper(xprintf("bool %s(%sa, %sb)", name, pointer_to(ct, true), pointer_to(ct, true)), &sv);
    switch (t->kind) {
    case TY_VEC:
    case TY_REF: /* slices */
        emit("if (a->len != b->len)");
        emit("    return false;");
        emit("for (size_t i = 0; i < a->len; i++)");
        emit("    if (!(%s))", eq_places(t->args[0]->kind == TY_SLICE ? t->args[0]->args[0] : t->args[0], "a->ptr[i]", "b->ptr[i]"));
        emit("        return false;");
        emit("return true;");
        break;
    case TY_ARRAY:
        emit("for (size_t i = 0; i < %llu; i++)", (unsigned long long)t->len);
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
        if (a->builtin && !a->is_enum) {
            emit("return a->kind == b->kind;");
            break;
        }
        if (a->is_enum) {
            emit("if (a->tag != b->tag)");
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
static char *cmp_places(Type *t, const char *a, const char *b)
{
    if (t->kind == TY_F64 || t->kind == TY_F32)
        return xprintf("mrs_pcmp_f64(%s, %s)", a, b);
    if (t->kind <= TY_CHAR && t->kind != TY_STR)
        return xprintf("(%s > %s) - (%s < %s)", a, b, a, b);
    if (t->kind == TY_STR)
        return xprintf("mrs_str_cmp(%s, %s)", a, b);
    if (t->kind == TY_STRING || (t->kind == TY_REF && t->args[0]->kind == TY_STR))
        return xprintf("mrs_str_cmp(%s, %s)", str_of_place(t, a), str_of_place(t, b));
    if (is_fat_ref(t))
        return xprintf("%s(&%s, &%s)", cmp_fn(t), a, b);
    if (t->kind == TY_REF || t->kind == TY_BOX)
        return cmp_places(t->args[0], xprintf("(*%s)", a), xprintf("(*%s)", b));
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

static const char *cmp_fn(Type *t)
{
    const char *name = xprintf("cmp_%s", mangle(t));
    if (helper_done(name))
        return name;
    const char *ct = ctype(t);
    Saved sv;
    StrBuf *b = begin_helper(xprintf("int %s(%sa, %sb)", name, pointer_to(ct, true), pointer_to(ct, true)), &sv);
    emit("int c;");
    switch (t->kind) {
    case TY_VEC:
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
        if (a->is_enum) {
            emit("if (a->tag != b->tag)");
            emit("    return (a->tag > b->tag) - (a->tag < b->tag);");
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

/* ---- Debug and Display of values ------------------------------------------------------------- */

static const char *debug_fn(Type *t);

static const char *unsigned_of(Type *t)
{
    static const char *u[] = {"uint8_t", "uint16_t", "uint32_t", "uint64_t", "unsigned __int128", "size_t"};
    return t->kind <= TY_ISIZE ? u[t->kind] : prim_c[t->kind];
}

/* Format the value at C place `p` (type t) through formatter expression `f`
 * (a MrsFormatter *), with trait ft. `p` must be an lvalue for aggregates. */
static void fmt_place(const char *f, Type *t, FmtTrait ft, const char *p)
{
    while ((t->kind == TY_REF || t->kind == TY_BOX) && !is_fat_ref(t)) {
        p = xprintf("(*%s)", p);
        t = t->args[0];
    }
    if (t->kind == TY_BOX) { /* Box<dyn Display> */
        emit("%s.vtable->fmt(%s.data, %s);", p, p, f);
        return;
    }
    bool dbg = ft == FT_DEBUG;
    if (ft == FT_LOWER_HEX || ft == FT_UPPER_HEX || ft == FT_OCTAL || ft == FT_BINARY) {
        int radix = ft == FT_OCTAL ? 8 : ft == FT_BINARY ? 2 : 16;
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
    case TY_STRING:
        emit("mrs_fmt_%sstr(%s, mrs_string_as_str(&%s));", dbg ? "debug_" : "", f, p);
        return;
    case TY_REF: /* &str, &[T], &dyn Display */
        if (t->args[0]->kind == TY_STR) {
            emit("mrs_fmt_%sstr(%s, %s);", dbg ? "debug_" : "", f, p);
            return;
        }
        if (t->args[0]->kind == TY_DYN) {
            emit("%s.vtable->fmt(%s.data, %s);", p, p, f);
            return;
        }
        break;
    case TY_ADT:
        if (t->adt->builtin && !t->adt->is_enum && !strcmp(t->adt->name, "ParseCharError")) {
            if (dbg)
                emit("mrs_fmt_lit(%s, %s.kind == 1 ? \"ParseCharError { kind: EmptyString }\" : \"ParseCharError { kind: TooManyChars }\");", f, p);
            else
                emit("mrs_fmt_pad(%s, %s.kind == 1 ? MRS_STR(\"cannot parse char from empty string\") : MRS_STR(\"too many characters in string\"));", f, p);
            return;
        }
        if (t->adt->builtin && !t->adt->is_enum && !strcmp(t->adt->name, "ParseBoolError")) {
            if (dbg)
                emit("mrs_fmt_lit(%s, \"ParseBoolError\");", f);
            else
                emit("mrs_fmt_pad(%s, MRS_STR(\"provided string was not `true` or `false`\"));", f);
            return;
        }
        if (t->adt->builtin && !t->adt->is_enum) {
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
        if (is_ident_text(p))
            emit("(void)%s;", p);
        emit("mrs_fmt_pad(%s, MRS_STR(\"()\"));", f);
        return;
    }
    if (t->kind == TY_DYN) { /* the place of a dyn value is its fat pointer */
        emit("%s.vtable->fmt(%s.data, %s);", p, p, f);
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

/* debug_T(MrsFormatter *f, const T *v): derived Debug. */
static const char *debug_fn(Type *t)
{
    const char *name = xprintf("debug_%s", mangle(t));
    if (helper_done(name))
        return name;
    const char *ct = ctype(t);
    Saved sv;
    StrBuf *b = begin_helper(xprintf("void %s(MrsFormatter *f, %sv)", name, pointer_to(ct, true)), &sv);
    if (t->kind == TY_ADT && !t->adt->is_enum && t->adt->variants[0].nfields == 0)
        emit("(void)v;");
    switch (t->kind) {
    case TY_VEC:
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
            emit("for (size_t i = 0; i < %llu; i++) {", (unsigned long long)t->len);
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
        fmt_place("f", t->args[0], FT_DEBUG, "v->end");
        break;
    case TY_ADT: {
        AdtDef *a = t->adt;
        if (a->is_enum)
            emit("switch (v->tag) {");
        for (int k = 0; k < a->nvariants; k++) {
            VariantInfo *v = &a->variants[k];
            if (a->is_enum) {
                emit("case %s_%s: {", mangle(t), v->name);
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

/* ---- trait objects ------------------------------------------------------------- */

/* The methods a vtable holds: the supertraits' first, then the trait's own. */
static void vtable_methods(TraitDef *tr, List *out)
{
    for (int i = 0; i < tr->supers.len; i++)
        vtable_methods(tr->supers.items[i], out);
    for (int i = 0; i < tr->methods.len; i++) {
        FnDef *f = tr->methods.items[i];
        if (f->self_kind == SELF_REF || f->self_kind == SELF_REF_MUT)
            list_push(out, f);
    }
}

static List done_vtables; /* List of char *: vtable structs and instances emitted */

static bool vtable_done(const char *name)
{
    for (int i = 0; i < done_vtables.len; i++)
        if (!strcmp(done_vtables.items[i], name))
            return true;
    list_push(&done_vtables, (void *)name);
    return false;
}

/* One entry's C parameter list after `self`. */
static char *entry_params(FnDef *f, Type *self, bool names)
{
    StrBuf sb;
    sb_init(&sb);
    sb_printf(&sb, "%svoid *self", f->self_kind == SELF_REF_MUT ? "" : "const ");
    Type *args[1] = {self};
    for (int i = 1; i < f->nparams; i++) {
        Type *pt = ty_subst(f->params[i], args, 1);
        sb_printf(&sb, ", %s", names ? decl(pt, xprintf("a%d", i)) : ctype(pt));
    }
    char *r = xstrdup(sb.data);
    sb_free(&sb);
    return r;
}

static void need_vtable_struct(TraitDef *tr)
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
    sb_printf(&sb, "/* the vtable of `dyn %s`: one function pointer per method */\nstruct %s {\n", tr->name, name);
    if (tr->builtin) {
        Type *args[2] = {ty_unit(), NULL};
        (void)args;
        sb_puts(&sb, "    void (*fmt)(const void *self, MrsFormatter *f);\n");
    } else {
        List ms = {0};
        vtable_methods(tr, &ms);
        for (int i = 0; i < ms.len; i++) {
            FnDef *f = ms.items[i];
            Type *args[1] = {self};
            sb_printf(&sb, "    %s (*%s)(%s);\n", cret(ty_subst(f->ret, args, 1)), f->name, entry_params(f, self, false));
        }
        sb_puts(&sb, "    void (*drop)(void *self); /* Box<dyn Trait> drops the object through this */\n");
    }
    sb_puts(&sb, "};\n\n");
    sb_puts(&cg->types, sb.data);
    sb_free(&sb);
}

static char *inst_name(FnDef *f, Type **args, int n);

/* The entries of vtable `name` of closure trait tr for t: `call` and `drop`
 * behind `void *env`. A closure's function gets its env (called as FnOnce,
 * a closure that is only Fn/FnMut is then consumed: its env is dropped after
 * the call, and guarded while it runs); a fn item or pointer is called
 * through the pointer that `env` points to, and owns nothing. */
static void fn_vtable(const char *name, TraitDef *tr, Type *t, StrBuf *init)
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
static const char *vtable_for(TraitDef *tr, Type *t)
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
    } else if (tr->builtin) { /* dyn Display / dyn Debug */
        Saved sv;
        const char *thunk = xprintf("%s_fmt", name);
        StrBuf *b = begin_helper(xprintf("void %s(const void *self, MrsFormatter *f)", thunk), &sv);
        fmt_place("f", t, !strcmp(tr->name, "Debug") ? FT_DEBUG : FT_DISPLAY, xprintf("(*(%s)self)", pointer_to(ct, true)));
        end_helper(b, &sv);
        sb_printf(&init, "    .fmt = %s,\n", thunk);
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
        const char *dthunk = xprintf("%s_drop", name);
        Saved dsv;
        StrBuf *db = begin_helper(xprintf("void %s(void *self)", dthunk), &dsv);
        if (has_drop(t))
            emit_drop_place(t, xprintf("(*(%s)self)", pointer_to(ct, false)));
        else
            emit("(void)self;");
        end_helper(db, &dsv);
        sb_printf(&init, "    .drop = %s,\n", dthunk);
    }
    sb_printf(&cg->helpers, "/* impl %s for %s: its vtable */\nstatic const %s_VTable %s = {\n%s};\n\n",
              tr->fn_kind ? ty_str(ty_dyn(tr)) + 4 : tr->name, ty_str(t), trait_c(tr), name, init.data);
    sb_free(&init);
    return name;
}

/* ---- moves ---------------------------------------------------------------------------------------
 * borrowck sets Local.moved (moved wholly or partly somewhere in its fn)
 * and Local.used; the drop rule reads them. */

static Local *root_local(Expr *e)
{
    for (;;) {
        if (e->kind == EX_PAREN)
            e = e->operand;
        else if (e->kind == EX_FIELD || e->kind == EX_TUPLE_FIELD)
            e = e->operand;
        else if (e->kind == EX_PATH)
            return e->def && e->def->kind == DEF_LOCAL ? e->def->local : NULL;
        else
            return NULL;
    }
}


static bool binds_droppable(Pat *p, void *ctx)
{
    (void)ctx;
    return p->local && !p->bind_ref && has_drop(p->local->type);
}

/* Does pattern p move an owned value into a binding? */
static bool pat_moves(Pat *p) { return ast_pat_any_ident(p, binds_droppable, NULL); }

/* ---- scopes and drops --------------------------------------------------------------------------- */

static void push_scope(void)
{
    CgScope *s = NEW(CgScope);
    cg->scopes[cg->nscopes++] = s;
}

static bool splittable_type(Type *t)
{
    return t->kind == TY_TUPLE || (t->kind == TY_ADT && !t->adt->is_enum && !t->adt->drop_impl);
}

/* The type of field `step` of t (a tuple or struct), or NULL. */
static Type *step_type(Type *t, const char *step, const char **cfield)
{
    if (t->kind == TY_TUPLE) {
        int i = atoi(step);
        *cfield = xprintf("_%d", i);
        return i < t->nargs ? t->args[i] : NULL;
    }
    VariantInfo *v = &t->adt->variants[0];
    for (int i = 0; i < v->nfields; i++) {
        const char *name = v->kind == SK_TUPLE ? xprintf("%d", i) : v->fields[i].name;
        if (!strcmp(name, step)) {
            *cfield = v->kind == SK_TUPLE ? xprintf("_%d", i) : v->fields[i].name;
            return ty_subst(v->fields[i].type, t->args, t->nargs);
        }
    }
    return NULL;
}

/* Is `path` (fields "a.b" from l) made of tuple and struct fields without `impl Drop` all the way? */
static bool path_splittable(Type *t, const char *path)
{
    char *buf = xstrdup(path);
    for (char *step = strtok(buf, "."); step; step = strtok(NULL, ".")) {
        const char *cf;
        if (!splittable_type(t) || !(t = step_type(t, step, &cf)))
            return false;
    }
    return true;
}

/* Is a moved path `p` inside part `path` (a strict extension of it)? */
static bool moved_inside(Local *l, const char *path)
{
    size_t n = strlen(path);
    for (int i = 0; i < l->moved_fields.len; i++) {
        const char *m = l->moved_fields.items[i];
        if (!strncmp(m, path, n) && m[n] == '.')
            return true;
    }
    return false;
}

static bool path_moved(Local *l, const char *path)
{
    for (int i = 0; i < l->moved_fields.len; i++)
        if (!strcmp(l->moved_fields.items[i], path))
            return true;
    return false;
}

/* A struct or tuple local of which only fields are ever moved out (never the
 * whole value: `let a = p.left;`, `let b = x.inner.name;`) is split into
 * parts: the moved fields, and around them the fields they leave. Each moved
 * part that owns something has its own drop flag (`x_left_live`,
 * `x_inner_name_live`), and the local is dropped part by part in declaration
 * order (none of the types on the way has `impl Drop`: E0509 forbids the
 * move). A Box whose contents are moved out (`let v = *b;`) is split the
 * same way, into its contents and its memory. */
static bool split_local(Local *l)
{
    if (!l->moved_fields.len || l->moved_whole || l->moved_deep || l->deferred)
        return false;
    Type *t = l->type;
    if (t->kind == TY_BOX) { /* `*b` moved out, or fields of it (`b.name`) */
        if (t->args[0]->kind == TY_DYN)
            return false;
        if (path_moved(l, "*"))
            return l->moved_fields.len == 1;
        t = t->args[0];
        if (!splittable_type(t))
            return false;
    } else if (!splittable_type(t)) {
        return false;
    }
    for (int i = 0; i < l->moved_fields.len; i++) {
        const char *m = l->moved_fields.items[i];
        if (l->type->kind == TY_BOX) {
            if (strncmp(m, "*.", 2))
                return false;
            m += 2;
        }
        if (!path_splittable(t, m) || moved_inside(l, l->moved_fields.items[i]))
            return false; /* `x.a` and `x.a.b` both moved: x is dropped by its flag as a whole */
    }
    return true;
}

typedef struct Part {
    const char *path;   /* "left", "inner.name", or "*" for a Box's contents */
    const char *place;  /* its C place */
    Type *type;
} Part;

static void collect_parts(Local *l, Type *t, const char *path, const char *place, List *out)
{
    int n = t->kind == TY_TUPLE ? t->nargs : t->adt->variants[0].nfields;
    for (int i = 0; i < n; i++) {
        const char *step = t->kind == TY_TUPLE || t->adt->variants[0].kind == SK_TUPLE
                               ? xprintf("%d", i)
                               : t->adt->variants[0].fields[i].name;
        const char *cf;
        Type *ft = step_type(t, step, &cf);
        const char *sub = path ? xprintf("%s.%s", path, step) : step;
        const char *fplace = xprintf("%s.%s", place, cf);
        if (moved_inside(l, sub) && splittable_type(ft)) {
            collect_parts(l, ft, sub, fplace, out);
            continue;
        }
        Part *pt = NEW(Part);
        pt->path = sub;
        pt->place = fplace;
        pt->type = ft;
        list_push(out, pt);
    }
}

/* The parts of split local l, in declaration order. */
static List split_parts(Local *l)
{
    List out = {0};
    if (l->type->kind == TY_BOX && path_moved(l, "*")) {
        Part *pt = NEW(Part);
        pt->path = "*";
        pt->place = xprintf("(*%s)", l->cname);
        pt->type = l->type->args[0];
        list_push(&out, pt);
        return out;
    }
    if (l->type->kind == TY_BOX) { /* the fields of the Box's contents */
        collect_parts(l, l->type->args[0], "*", xprintf("(*%s)", l->cname), &out);
        return out;
    }
    collect_parts(l, l->type, NULL, l->cname, &out);
    return out;
}

/* Part i of a split local: its step ("name", "0", or "*" for a Box's contents),
 * its C place, its type. */
static Type *field_of(Local *l, int i, const char **step, const char **place)
{
    Type *t = l->type;
    if (t->kind == TY_BOX) {
        *step = "*";
        *place = xprintf("(*%s)", l->cname);
        return t->args[0];
    }
    if (t->kind == TY_TUPLE) {
        *step = xprintf("%d", i);
        *place = xprintf("%s._%d", l->cname, i);
        return t->args[i];
    }
    VariantInfo *v = &t->adt->variants[0];
    *step = v->kind == SK_TUPLE ? xprintf("%d", i) : v->fields[i].name;
    *place = xprintf("%s.%s", l->cname, v->kind == SK_TUPLE ? xprintf("_%d", i) : v->fields[i].name);
    return ty_subst(v->fields[i].type, t->args, t->nargs);
}

/* The name of a part's flag or guard: `x_f_live`, `x_inner_name_live`, `b_deref_live`. */
static char *part_name(Local *l, const char *path, const char *what)
{
    StrBuf sb;
    sb_init(&sb);
    for (const char *c = path; *c; c++) {
        if (*c == '*')
            sb_puts(&sb, "deref");
        else
            sb_putc(&sb, *c == '.' ? '_' : *c);
    }
    char *r = xprintf("%s_%s_%s", l->cname, sb.data, what);
    sb_free(&sb);
    return r;
}

/* Does part `path` of split local l have a flag (moved somewhere, owns something)? */
static bool field_flagged(Local *l, const char *path, Type *ft)
{
    return has_drop(ft) && path_moved(l, path);
}

static Expr *unparen(Expr *e);
static bool is_place_expr(Expr *e);
static bool pat_binds_ref(Pat *p);
static void drop_unbound(Pat *p, Type *t, const char *pl);

/* The path of e when it names a field of local l through fields only
 * (`l.f`, `l.0`, `l.a.b`), or `*` for the contents of Box l; else NULL. */
static const char *direct_field(Expr *e, Local *l)
{
    e = unparen(e);
    if (e->kind == EX_UNARY && e->unop == UN_DEREF && l->type->kind == TY_BOX) {
        Expr *base = unparen(e->operand);
        bool is_l = base->kind == EX_PATH && base->def && base->def->kind == DEF_LOCAL && base->def->local == l;
        return is_l ? "*" : NULL;
    }
    if (e->kind != EX_FIELD && e->kind != EX_TUPLE_FIELD)
        return NULL;
    FieldRes *fr = e->sema;
    Expr *base = unparen(e->operand);
    if (!fr)
        return NULL;
    const char *step = e->kind == EX_FIELD ? e->name : xprintf("%u", e->index);
    bool is_l = base->kind == EX_PATH && base->def && base->def->kind == DEF_LOCAL && base->def->local == l;
    if (fr->derefs == 1 && is_l && l->type->kind == TY_BOX)
        return xprintf("*.%s", step); /* `b.name` of a Box<S>: a field of its contents */
    if (fr->derefs)
        return NULL;
    if (base->kind == EX_PATH)
        return is_l ? step : NULL;
    const char *up = direct_field(base, l);
    return up && strcmp(up, "*") ? xprintf("%s.%s", up, step) : NULL;
}

/* A local moved only wholly, whose state is the same on
 * every path to each of its drop points (the CFG's drop elaboration found no
 * DROP_MAYBE), needs no flag: codegen knows at each drop point whether it
 * holds a value (bck_drop_state). */
static bool static_moves(Local *l)
{
    return l->moved && l->moved_whole && !l->drop_maybe && !l->moved_deep && !l->moved_fields.len && !l->deferred;
}

/* A local moved on some path, or declared without a value (`let x;`), carries a
 * drop flag: `x_live` (a split local has flags per field instead). */
static bool enum_split(Local *l);

static bool flagged(Local *l)
{
    return has_drop(l->type) && (l->deferred || (l->moved && !split_local(l) && !enum_split(l) && !static_moves(l)));
}

/* A local whose drop prints is linked into the runtime's unwind chain. */
static bool guarded(Local *l) { return runs_user_drop(l->type); }

/* Drop the fields of split local l that it still owns. */
static void emit_split_drop(Local *l)
{
    List parts = split_parts(l);
    for (int i = 0; i < parts.len; i++) {
        Part *pt = parts.items[i];
        if (field_flagged(l, pt->path, pt->type)) {
            emit("if (%s)", part_name(l, pt->path, "live"));
            cg->indent++;
            emit_drop_place(pt->type, pt->place);
            cg->indent--;
        } else {
            emit_drop_place(pt->type, pt->place);
        }
    }
    if (l->type->kind == TY_BOX)
        emit("mrs_vec_free(%s); /* the Box's memory, whether or not its contents were moved out */", l->cname);
}

static char *member(const char *base, const char *field);
static const char *field_name(VariantInfo *v, int i);

/* A local of which a pattern moved parts out of an enum's variant
 * (`E::A(d, _)` on `r` moves `r.A.0`; `r.A.1` stays `r`'s): each moved part
 * has a flag, and the local's drop opens the enum by its tag, dropping in
 * the variant what is still there (rustc's open drop). */
static bool enum_split(Local *l)
{
    if (!l->moved_fields.len || l->moved_whole || l->moved_deep || l->deferred || split_local(l))
        return false;
    return l->type->kind == TY_ADT && l->type->adt->is_enum && !l->type->adt->drop_impl;
}

/* Part `path` of l in rustc's notation: `(r as A).0` for field 0 of variant A. */
static const char *rust_part(Local *l, const char *path)
{
    const char *r = l->name;
    Type *t = l->type;
    for (const char *p = path; *p;) {
        const char *dot = strchr(p, '.');
        const char *step = dot ? xstrndup(p, (size_t)(dot - p)) : p;
        if (t && t->kind == TY_ADT && t->adt->is_enum) {
            int vi = -1;
            for (int i = 0; i < t->adt->nvariants; i++)
                if (!strcmp(t->adt->variants[i].name, step))
                    vi = i;
            r = xprintf("(%s as %s)", r, step);
            t = vi >= 0 ? t : NULL;
            if (t) { /* the next step is one of its fields */
                VariantInfo *v = &t->adt->variants[vi];
                p = dot ? dot + 1 : p + strlen(p);
                dot = strchr(p, '.');
                step = dot ? xstrndup(p, (size_t)(dot - p)) : p;
                Type *ft = NULL;
                for (int k = 0; k < v->nfields; k++)
                    if (!strcmp(v->kind == SK_TUPLE ? xprintf("%d", k) : v->fields[k].name, step))
                        ft = ty_subst(v->fields[k].type, t->args, t->nargs);
                r = xprintf("%s.%s", r, step);
                t = ft;
            }
        } else {
            const char *cf;
            r = xprintf("%s.%s", r, step);
            t = t && splittable_type(t) ? step_type(t, step, &cf) : NULL;
        }
        p = dot ? dot + 1 : p + strlen(p);
    }
    return r;
}

/* Drop what local l still owns of the value at `place`, part `path` ("" for
 * the whole) of type t. */
static void drop_owned(Local *l, Type *t, const char *path, const char *place)
{
    if (*path && path_moved(l, path)) {
        if (!has_drop(t))
            return;
        emit("if (%s)", part_name(l, path, "live"));
        cg->indent++;
        emit_drop_place(t, place);
        cg->indent--;
        return;
    }
    if (!(*path ? moved_inside(l, path) : true) || !has_drop(t)) {
        emit_drop_place(t, place);
        return;
    }
    if (t->kind == TY_TUPLE) {
        for (int k = 0; k < t->nargs; k++)
            drop_owned(l, t->args[k], *path ? xprintf("%s.%d", path, k) : xprintf("%d", k),
                       member(place, xprintf("_%d", k)));
        return;
    }
    if (t->kind != TY_ADT || t->adt->drop_impl) {
        emit_drop_place(t, place);
        return;
    }
    if (!t->adt->is_enum) {
        VariantInfo *v = &t->adt->variants[0];
        for (int k = 0; k < v->nfields; k++) {
            const char *step = v->kind == SK_TUPLE ? xprintf("%d", k) : v->fields[k].name;
            drop_owned(l, ty_subst(v->fields[k].type, t->args, t->nargs), *path ? xprintf("%s.%s", path, step) : step,
                       member(place, field_name(v, k)));
        }
        return;
    }
    emit("switch (%s) { /* `%s` is partly moved: what its variant still holds */", member(place, "tag"), l->name);
    for (int i = 0; i < t->adt->nvariants; i++) {
        VariantInfo *v = &t->adt->variants[i];
        emit("case %s_%s:", mangle(t), v->name);
        cg->indent++;
        const char *vpath = *path ? xprintf("%s.%s", path, v->name) : v->name;
        for (int k = 0; k < v->nfields; k++) {
            const char *step = v->kind == SK_TUPLE ? xprintf("%d", k) : v->fields[k].name;
            drop_owned(l, ty_subst(v->fields[k].type, t->args, t->nargs), xprintf("%s.%s", vpath, step),
                       member(member(place, v->name), field_name(v, k)));
        }
        emit("break;");
        cg->indent--;
    }
    emit("}");
}

/* Every part flag of an enum-split local, set again (it holds a whole value). */
static void set_enum_split_flags(Local *l)
{
    for (int i = 0; i < l->moved_fields.len; i++)
        emit("%s = true;", part_name(l, l->moved_fields.items[i], "live"));
}

/* Set every field flag of split local l (it holds a whole value again). */
static void set_split_flags(Local *l)
{
    List parts = split_parts(l);
    for (int i = 0; i < parts.len; i++) {
        Part *pt = parts.items[i];
        if (field_flagged(l, pt->path, pt->type))
            emit("%s = true;", part_name(l, pt->path, "live"));
    }
}

/* The guard that was linked first for split local l: unlinking it unlinks all of l's. */
static const char *split_first_guard(Local *l)
{
    List parts = split_parts(l);
    for (int i = parts.len - 1; i >= 0; i--) {
        Part *pt = parts.items[i];
        if (runs_user_drop(pt->type))
            return part_name(l, pt->path, "guard");
    }
    return NULL;
}

static void drop_scope_locals(CgScope *s, const void *key)
{
    for (int i = 0; i < s->cleanup.len; i++)
        emit("%s", (char *)s->cleanup.items[i]);
    for (int i = s->locals.len - 1; i >= 0; i--) {
        Local *l = s->locals.items[i];
        if (split_local(l)) {
            if (guarded(l))
                emit("mrs_unwind_top = %s.prev;", split_first_guard(l));
            emit_split_drop(l);
            continue;
        }
        if (enum_split(l)) {
            if (guarded(l))
                emit("mrs_unwind_top = %s_guard.prev;", l->cname);
            drop_owned(l, l->type, "", l->cname);
            continue;
        }
        if (guarded(l))
            emit("mrs_unwind_top = %s_guard.prev;", l->cname);
        if (has_drop(l->type) && static_moves(l)) {
            DropState ds = bck_drop_state(l, key);
            if (ds == DROP_DEAD) {
                emit("/* `%s` was moved on every path to here: not dropped */", l->name);
                continue;
            }
            if (ds != DROP_LIVE)
                continue; /* no path reaches this point */
        }
        if (flagged(l)) {
            emit("if (%s_live)", l->cname);
            cg->indent++;
            emit_drop_place(l->type, l->cname);
            cg->indent--;
        } else {
            emit_drop_place(l->type, l->cname);
        }
    }
}

/* `flag = false;` unless the line just emitted says so already (a place is
 * seen by both cg_expr and cg_place). */
static void clear_flag(const char *flag)
{
    char *line = xprintf("%s = false; /* moved */\n", flag);
    size_t n = strlen(line);
    if (cg->out->len >= n && !memcmp(cg->out->data + cg->out->len - n, line, n))
        return;
    emit("%s = false; /* moved */", flag);
}

/* At a move of (part of) a flagged local: it is no longer dropped by its scope;
 * a field of a split local: that field is not. Any other partial move leaves the
 * rest of the value undropped (a leak, never a double drop). */
static void not_supported(Span s, const char *what);

static void moved_out(Local *l, const char *step);

static void note_move(Expr *e)
{
    Local *l = e->moves;
    if (!l)
        return;
    if (cg->closure && l->closure != cg->closure) {
        /* a part of a captured place moved inside the closure's body (`*b` of a
         * captured Box): its env slot is not split into parts */
        not_supported(e->span, "moving out of a part of a captured value in a closure body");
        return;
    }
    const char *step = NULL;
    if (split_local(l)) {
        step = direct_field(e, l);
        Expr *u = unparen(e);
        if (!step && u->kind == EX_PATH && l->type->kind == TY_BOX && path_moved(l, "*"))
            step = "*"; /* `b.consume()`: the receiver's auto-deref moves the contents */
        if (!step)
            return;
    }
    moved_out(l, step);
}

/* Part `step` of local l (NULL: all of it) is moved out here: it is no
 * longer l's to drop, at its scope's end or when a panic unwinds. */
static void moved_out(Local *l, const char *step)
{
    if (step && enum_split(l)) {
        clear_flag(part_name(l, step, "live"));
        if (guarded(l))
            emit("%s_guard.drop = NULL; /* `%s` is partly moved: a panic from here does not drop the rest */",
                 l->cname, l->name);
        return;
    }
    if (step && split_local(l)) {
        List parts = split_parts(l);
        for (int k = 0; k < parts.len; k++) {
            Part *pt = parts.items[k];
            if (!strcmp(pt->path, step) && field_flagged(l, step, pt->type))
                clear_flag(part_name(l, step, "live"));
        }
        return;
    }
    if (has_drop(l->type) && static_moves(l)) {
        if (guarded(l))
            emit("%s_guard.drop = NULL; /* `%s` is moved: a panic must not drop it */", l->cname, l->name);
        return;
    }
    if (flagged(l))
        clear_flag(xprintf("%s_live", l->cname));
}

/* Where a pattern's bindings take their parts out of the place it matched
 * (moves.c noted which on the pattern). */
static void note_pattern_moves(Pat *p)
{
    for (int i = 0; i < p->bck_moves.len; i++) {
        BckUse *u = p->bck_moves.items[i];
        const char *rest = u->path + strlen(u->root->cname);
        moved_out(u->root, rest[0] == '.' ? rest + 1 : NULL);
    }
}

/* A match guard failed: the arm's bindings were never really bound (the
 * value stays in the scrutinee), so their unwind guards come off the chain. */
static void unlink_unbound(CgScope *s)
{
    for (int i = 0; i < s->locals.len; i++) {
        Local *l = s->locals.items[i];
        if (guarded(l) && !split_local(l)) {
            emit("mrs_unwind_top = %s_guard.prev; /* the guard failed: `%s` is not bound */", l->cname, l->name);
            return;
        }
    }
}

/* Leave the innermost scope normally (falling off its end). */
static void pop_scope(bool emit_drops, const void *key)
{
    CgScope *s = cg->scopes[--cg->nscopes];
    if (emit_drops)
        drop_scope_locals(s, key);
}

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
    char *guard; /* its unwind guard, or NULL */
} Pending;

typedef struct TempFrame {
    List temps;  /* List of Pending * */
    int depth;   /* cg->nscopes when it was opened */
    bool tail;   /* temporaries of a fn body's tail expression (dropped after its locals) */
} TempFrame;

static void add_pending(Type *t, char *place)
{
    Pending *p = NEW(Pending);
    p->type = t;
    p->place = place;
    if (runs_user_drop(t)) {
        p->guard = xprintf("%s_guard", place);
        emit("MrsUnwindGuard %s = { mrs_unwind_top, &%s, %s, NULL }; /* a panic drops the temporary */", p->guard,
             place, unwind_drop_fn(t));
        emit("mrs_unwind_top = &%s;", p->guard);
    }
    list_push(&cg->pending, p);
}

/* Drop the temporaries of l, newest first; the list stays as it is (an
 * early exit drops them on its own path only). */
static void drop_temps(const List *l)
{
    for (int i = l->len - 1; i >= 0; i--) {
        Pending *p = l->items[i];
        if (p->guard)
            emit("mrs_unwind_remove(&%s);", p->guard);
        emit_drop_place(p->type, p->place);
    }
}

/* The end of the current temporary scope: its temporaries are dropped. */
static void flush_pending(void)
{
    drop_temps(&cg->pending);
    cg->pending = (List){0};
}

/* A temporary scope inside the current one (a condition, the arguments of
 * a `println!`): the current entries wait on the frame stack. With `same`,
 * the new scope is part of the current one for drop order (a scrutinee's
 * or an iterable's temporaries in a fn's tail expression are also dropped
 * after the fn's locals). */
static void temps_push_in(bool same)
{
    if (cg->nframes == (int)(sizeof cg->frames / sizeof cg->frames[0]))
        ICE("temporary scopes nested too deeply");
    TempFrame *f = NEW(TempFrame);
    f->temps = cg->pending;
    f->depth = cg->nscopes;
    f->tail = cg->pending_tail;
    cg->frames[cg->nframes++] = f;
    cg->pending = (List){0};
    cg->pending_tail = same && f->tail;
}

static void temps_push(void) { temps_push_in(false); }

/* Back to the enclosing temporary scope; what the inner one still holds is
 * the caller's to have dropped (flush_pending) or handed on. */
static void temps_pop(void)
{
    TempFrame *f = cg->frames[--cg->nframes];
    cg->pending = f->temps;
    cg->pending_tail = f->tail;
}

/* A C block `{ ... }` whose temporaries are dropped inside it. */
static void open_block(void)
{
    temps_push();
    emit("{");
    cg->indent++;
}

static void close_block(void)
{
    flush_pending();
    cg->indent--;
    emit("}");
    temps_pop();
}

/* Drops for an early exit that leaves every scope deeper than `depth`; `key`
 * names the exit for the CFG's drop states (see bck_drop_state). */
/* The captures an FnOnce call owns and drops at its end: linked into the
 * unwind chain at its start, so that a panic in the body drops them too. */
static bool env_guarded(Capture *cp)
{
    return cp->mode == CAP_VALUE && runs_user_drop(cp->type);
}

/* A capture the body moves out (on some paths, perhaps): it has a drop flag,
 * `env_x_live`, that its guard and the call's end test. */
static bool env_flagged(Capture *cp)
{
    return cp->mode == CAP_VALUE && cp->moved_in_body && has_drop(cp->type);
}

static const char *env_first_guard(Closure *clo)
{
    for (int i = clo->captures.len - 1; i >= 0; i--) /* the first linked */
        if (env_guarded(clo->captures.items[i]))
            return xprintf("env_%s_guard", ((Capture *)clo->captures.items[i])->field);
    return NULL;
}

static void drops_to_depth(int depth, const void *key)
{
    /* temporaries first, newest first, each scope's after those of the
     * scopes inside it; a tail expression's wait for the fn's locals */
    if (!cg->pending_tail)
        drop_temps(&cg->pending);
    int f = cg->nframes - 1;
    for (int k = cg->nscopes - 1; k >= depth; k--) {
        for (; f >= 0 && cg->frames[f]->depth > k; f--)
            if (!cg->frames[f]->tail)
                drop_temps(&cg->frames[f]->temps);
        drop_scope_locals(cg->scopes[k], key);
    }
    if (depth == 0) {
        for (; f >= 0; f--)
            if (!cg->frames[f]->tail)
                drop_temps(&cg->frames[f]->temps);
        if (cg->pending_tail)
            drop_temps(&cg->pending);
        for (f = cg->nframes - 1; f >= 0; f--)
            if (cg->frames[f]->tail)
                drop_temps(&cg->frames[f]->temps);
    }
    if (depth == 0 && cg->closure && cg->closure->kind == FN_ONCE) {
        const char *first = env_first_guard(cg->closure);
        if (first)
            emit("mrs_unwind_top = %s.prev;", first);
        for (int i = 0; i < cg->closure->captures.len; i++) {
            Capture *cp = cg->closure->captures.items[i];
            if (env_flagged(cp)) {
                emit("if (env_%s_live) /* not moved out on this path: the call consumes it */", cp->field);
                cg->indent++;
                emit_drop_place(cp->type, xprintf("env->%s", cp->field));
                cg->indent--;
            } else if (cp->mode == CAP_VALUE && has_drop(cp->type)) {
                emit("/* `%s` was captured by value and not moved out: the call consumes it */", cp->place);
                emit_drop_place(cp->type, xprintf("env->%s", cp->field));
            }
        }
    }
}

static bool is_used(Local *l) { return l->used; }

static void register_local(Local *l)
{
    if (!is_used(l))
        emit("(void)%s; /* never used */", l->cname);
    if (flagged(l) && l->deferred)
        emit("bool %s_live = false; /* drop flag: `%s` holds a value once assigned */", l->cname, l->name);
    else if (flagged(l))
        emit("bool %s_live = true; /* drop flag: `%s` is moved on some path */", l->cname, l->name);
    if (cg->nscopes && split_local(l)) {
        list_push(&cg->scopes[cg->nscopes - 1]->locals, l);
        List parts = split_parts(l);
        for (int i = 0; i < parts.len; i++) {
            Part *pt = parts.items[i];
            if (field_flagged(l, pt->path, pt->type))
                emit("bool %s = true; /* drop flag: `%s` is moved on some path */", part_name(l, pt->path, "live"),
                     strcmp(pt->path, "*") ? xprintf("%s.%s", l->name, pt->path) : xprintf("*%s", l->name));
        }
        /* last part first, so that a panic drops the parts in declaration order */
        for (int i = parts.len - 1; i >= 0; i--) {
            Part *pt = parts.items[i];
            if (!runs_user_drop(pt->type))
                continue;
            emit("MrsUnwindGuard %s = { mrs_unwind_top, &%s, %s, %s };", part_name(l, pt->path, "guard"), pt->place,
                 unwind_drop_fn(pt->type),
                 field_flagged(l, pt->path, pt->type) ? xprintf("&%s", part_name(l, pt->path, "live")) : "NULL");
            emit("mrs_unwind_top = &%s;", part_name(l, pt->path, "guard"));
        }
    } else if (cg->nscopes && has_drop(l->type)) {
        list_push(&cg->scopes[cg->nscopes - 1]->locals, l);
        if (enum_split(l))
            for (int i = 0; i < l->moved_fields.len; i++)
                emit("bool %s = true; /* drop flag: a pattern moves `%s` out */",
                     part_name(l, l->moved_fields.items[i], "live"), rust_part(l, l->moved_fields.items[i]));
        if (guarded(l)) {
            emit("MrsUnwindGuard %s_guard = { mrs_unwind_top, &%s, %s, %s }; /* a panic drops `%s` */",
                 l->cname, l->cname, unwind_drop_fn(l->type), flagged(l) ? xprintf("&%s_live", l->cname) : "NULL",
                 l->name);
            emit("mrs_unwind_top = &%s_guard;", l->cname);
        }
    }
}

/* ---- expressions ---------------------------------------------------------------------------------- */

typedef enum DestKind {
    D_DISCARD, /* evaluate for effects */
    D_ASSIGN,  /* store into `var` */
    D_RETURN,  /* return from the function */
} DestKind;

typedef struct Dest {
    DestKind kind;
    const char *var;
} Dest;

static char *cg_expr(Expr *e);
static char *cg_expr_inner(Expr *e);
static char *cg_condition(Expr *e);
typedef struct Extended Extended;
static Extended *extended_temp(Expr *operand);
static char *extend_temp(Extended *x, Expr *op);
static bool is_c_literal(Expr *e);
static char *capture_text(Expr *e);
static char *cg_closure(Expr *e);
static char *callable_value(Expr *fe, char *v);
static char *call_callable(Type *t, const char *fv, const char *args);
static void cg_into(Expr *e, Dest d);
static void cg_block_into(Block *b, Dest d, bool new_scope);
static char *cg_place(Expr *e);
static void cg_stmt(Stmt *s);
static char *cg_matches(Expr *e);
static void collect_binds(Pat *p, List *out);

static Dest discard(void) { return (Dest){D_DISCARD, NULL}; }
static Dest assign_to(const char *v) { return (Dest){D_ASSIGN, v}; }

static Expr *unparen(Expr *e)
{
    while (e->kind == EX_PAREN)
        e = e->operand;
    return e;
}

static bool is_blocklike(Expr *e)
{
    e = unparen(e);
    return e->kind == EX_IF || e->kind == EX_MATCH || e->kind == EX_BLOCK || e->kind == EX_LOOP ||
           e->kind == EX_WHILE || e->kind == EX_FOR;
}

/* A placeholder value of type t for unreachable code after a diverging expression. */
static char *dummy(Type *t)
{
    if (t->kind <= TY_CHAR && t->kind != TY_STR)
        return xstrdup("0");
    if (t->kind == TY_REF && !is_fat_ref(t))
        return xstrdup("NULL");
    return xprintf("(%s){0}", ctype(t));
}

static const char *user_impl_fn(Type *t, TraitDef *tr, const char *name);
static TraitDef *trait_named(const char *name);
static char *construct(Type *t, int vi, char **vals, int n);

/* Default::default() for t: the user's impl, or the derived one field by field
 * (all-zero bits is the default of numbers, bool, char, String, Vec and None). */
static char *default_expr(Type *t)
{
    const char *user = t->kind == TY_ADT ? user_impl_fn(t, trait_named("Default"), "default") : NULL;
    if (user)
        return xprintf("%s()", user);
    if (t->kind == TY_ADT && t->adt->is_enum && t->adt->item) { /* the `#[default]` unit variant */
        for (int k = 0; k < t->adt->item->variants.len && k < t->adt->nvariants; k++) {
            Variant *v = t->adt->item->variants.items[k];
            for (int i = 0; i < v->attrs.len; i++)
                if (!strcmp(((Attr *)v->attrs.items[i])->name, "default"))
                    return construct(t, k, NULL, 0);
        }
    }
    if (t->kind == TY_BOX && t->args[0]->kind != TY_DYN) /* Box::new(T::default()) */
        return xprintf("%s(%s)", box_new_fn(t->args[0]), default_expr(t->args[0]));
    if (t->kind == TY_TUPLE && t->nargs) {
        StrBuf sb;
        sb_init(&sb);
        sb_printf(&sb, "(%s){", ctype(t));
        for (int i = 0; i < t->nargs; i++)
            sb_printf(&sb, "%s._%d = %s", i ? ", " : "", i, default_expr(t->args[i]));
        sb_puts(&sb, "}");
        char *r = xstrdup(sb.data);
        sb_free(&sb);
        return r;
    }
    if (t->kind == TY_ADT && !t->adt->is_enum && t->adt->variants[0].nfields) {
        VariantInfo *v = &t->adt->variants[0];
        StrBuf sb;
        sb_init(&sb);
        sb_printf(&sb, "(%s){", ctype(t));
        for (int i = 0; i < v->nfields; i++)
            sb_printf(&sb, "%s.%s = %s", i ? ", " : "", v->kind == SK_TUPLE ? xprintf("_%d", i) : v->fields[i].name,
                      default_expr(ty_subst(v->fields[i].type, t->args, t->nargs)));
        sb_puts(&sb, "}");
        char *r = xstrdup(sb.data);
        sb_free(&sb);
        return r;
    }
    return dummy(t);
}

/* Store a value in a fresh temporary; returns its name. */
static char *hoist(Type *t, const char *val, const char *base)
{
    char *name = fresh(base ? base : "tmp");
    emit("%s = %s;", decl(t, name), val);
    return name;
}

static bool is_ident_text(const char *s)
{
    if (!*s || !(isalpha((unsigned char)*s) || *s == '_'))
        return false;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_'))
            return false;
    return true;
}

/* Text with effects the C compiler might reorder: a call of a user function,
 * or of a runtime function that changes its arguments (the arithmetic,
 * string-view and formatting helpers are pure). */
static bool impure(const char *s)
{
    static const char *effects[] = {"mrs_string_push", "mrs_string_pop", "mrs_string_insert", "mrs_string_remove",
                                    "mrs_string_clear", "mrs_string_truncate", "mrs_string_drop", "mrs_vec_",
                                    "mrs_print", "mrs_eprint", "mrs_process", "mrs_panic", "mrs_chars_next",
                                    "mrs_char_indices_next", "mrs_split", "mrs_lines_next", "mrs_sort", NULL};
    for (const char *p = strchr(s, '('); p; p = strchr(p + 1, '(')) {
        const char *q = p;
        while (q > s && (isalnum((unsigned char)q[-1]) || q[-1] == '_'))
            q--;
        if (q == p)
            continue; /* a cast or a parenthesis */
        if (strncmp(q, "mrs_", 4) && strncmp(q, "LOC", 3) && strncmp(q, "MRS_", 4))
            return true;
        for (int i = 0; effects[i]; i++)
            if (!strncmp(q, effects[i], strlen(effects[i])))
                return true;
    }
    return false;
}

/* The type of e's value after its coercion (what cg_expr returns). */
static Type *vty(Expr *e)
{
    return e->adjust && e->adjust->target && e->adjust->coerce != CO_NONE ? e->adjust->target : e->ty;
}

/* Generate several operands left to right. When a later operand needs
 * statements, or two operands have effects, earlier ones are hoisted into
 * temporaries so the C evaluates them in Rust's order. */
static char **cg_operands(Expr **es, int n)
{
    char **texts = arena_alloc(g_arena, sizeof(char *) * (size_t)(n + 1));
    StrBuf *bufs = arena_alloc(g_arena, sizeof(StrBuf) * (size_t)(n + 1));
    StrBuf *saved = cg->out;
    for (int i = 0; i < n; i++) {
        sb_init(&bufs[i]);
        cg->out = &bufs[i];
        texts[i] = cg_expr(es[i]);
    }
    cg->out = saved;
    int nimpure = 0;
    for (int i = 0; i < n; i++)
        nimpure += texts[i] && impure(texts[i]);
    for (int i = 0; i < n; i++) {
        if (bufs[i].len)
            sb_puts(cg->out, bufs[i].data);
        sb_free(&bufs[i]);
        bool later_stmts = false;
        for (int j = i + 1; j < n; j++)
            later_stmts |= bufs[j].len > 0;
        if (texts[i] && !is_ident_text(texts[i]) && (later_stmts || (nimpure > 1 && impure(texts[i]) && i < n - 1)))
            texts[i] = hoist(vty(es[i]), texts[i], "arg");
    }
    return texts;
}

/* A C lvalue for the value of e (hoisting rvalues into temporaries). */
static char *cg_lvalue(Expr *e)
{
    Expr *u = unparen(e);
    if (u->kind == EX_PATH || u->kind == EX_FIELD || u->kind == EX_TUPLE_FIELD || u->kind == EX_INDEX ||
        (u->kind == EX_UNARY && u->unop == UN_DEREF))
        return cg_place(u);
    char *v = cg_expr(e);
    if (!v)
        return xstrdup("(MrsUnit){0}");
    char *t = hoist(vty(e), v, "tmp");
    if (has_drop(vty(e)))
        add_pending(vty(e), t);
    return t;
}

/* `*p` as text, simplifying `*&x` to `x`. */
static char *deref_text(const char *p)
{
    if (p[0] == '&' && is_ident_text(p + 1))
        return xstrdup(p + 1);
    return xprintf("(*%s)", p);
}

static char *addr_text(const char *x);

/* n auto-derefs of the value p of type t; a fat reference (&str, &[T]) is
 * already the view of its target, so its deref is the value itself. */
static char *deref_n(char *p, Type *t, int n)
{
    for (int i = 0; i < n && (t->kind == TY_REF || t->kind == TY_BOX); i++) {
        if (!is_fat_ref(t))
            p = deref_text(p);
        t = t->args[0];
    }
    return p;
}

/* A condition without redundant outer parentheses (`if ((a == b))` warns). */
static char *cond(const char *c)
{
    size_t n = strlen(c);
    if (n < 2 || c[0] != '(' || c[n - 1] != ')')
        return xstrdup(c);
    int depth = 0;
    for (size_t i = 0; i < n; i++) {
        depth += c[i] == '(' ? 1 : c[i] == ')' ? -1 : 0;
        if (depth == 0 && i < n - 1)
            return xstrdup(c);
    }
    return cond(xstrndup(c + 1, n - 2));
}

/* `&x`, simplifying `&*p` / `&(*p)` to `p`. */
static char *addr_text(const char *x)
{
    size_t n = strlen(x);
    if (n > 3 && x[0] == '(' && x[1] == '*' && x[n - 1] == ')') {
        /* (*p) -> p when the parenthesis closes the whole text */
        int depth = 0;
        bool whole = true;
        for (size_t i = 0; i < n; i++) {
            depth += x[i] == '(' ? 1 : x[i] == ')' ? -1 : 0;
            if (depth == 0 && i < n - 1)
                whole = false;
        }
        if (whole)
            return xstrndup(x + 2, n - 3);
    }
    return xprintf("&%s", x);
}

/* Field access on a place text, turning `(*p).x` into `p->x`. */
static char *member(const char *base, const char *field)
{
    size_t n = strlen(base);
    if (n > 3 && base[0] == '(' && base[1] == '*' && base[n - 1] == ')') {
        char *inner = addr_text(base);
        if (inner[0] != '&')
            return xprintf("%s->%s", inner, field);
    }
    return xprintf("%s.%s", base, field);
}

static char *int_lit(Type *t, uint64_t v)
{
    switch (t->kind) {
    case TY_I64: case TY_ISIZE:
        return v > 0x7fffffffu ? xprintf("INT64_C(%llu)", (unsigned long long)v) : xprintf("%llu", (unsigned long long)v);
    case TY_U64: case TY_USIZE:
        return v > 0x7fffffffu ? xprintf("UINT64_C(%llu)", (unsigned long long)v) : xprintf("%llu", (unsigned long long)v);
    case TY_U32:
        return v > 0x7fffffffu ? xprintf("%lluu", (unsigned long long)v) : xprintf("%llu", (unsigned long long)v);
    case TY_F32: return xprintf("%llu.0f", (unsigned long long)v);
    case TY_F64: return xprintf("%llu.0", (unsigned long long)v);
    default: return xprintf("%llu", (unsigned long long)v);
    }
}

static char *char_lit(uint64_t c)
{
    if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\')
        return xprintf("'%c'", (int)c);
    return xprintf("0x%llx", (unsigned long long)c);
}

static char *float_lit(Expr *e, Type *t)
{
    const char *txt = e->lit_text ? e->lit_text : xprintf("%.17g", e->float_val);
    bool has_dot = strchr(txt, '.') || strchr(txt, 'e') || strchr(txt, 'E');
    size_t n = strlen(txt);
    const char *fix = has_dot ? (txt[n - 1] == '.' ? "0" : "") : ".0";
    return xprintf("%s%s%s", txt, fix, t->kind == TY_F32 ? "f" : "");
}

static const char *int_name(Type *t) { return prim_mangle[t->kind]; }

static const char *int_min_macro(Type *t)
{
    static const char *m[] = {"INT8_MIN", "INT16_MIN", "INT32_MIN", "INT64_MIN", "0", "INTPTR_MIN",
                              "0", "0", "0", "0", "0", "0"};
    return m[t->kind];
}

static const char *int_max_macro(Type *t)
{
    static const char *m[] = {"INT8_MAX", "INT16_MAX", "INT32_MAX", "INT64_MAX", "0", "INTPTR_MAX",
                              "UINT8_MAX", "UINT16_MAX", "UINT32_MAX", "UINT64_MAX", "0", "SIZE_MAX"};
    return m[t->kind];
}

/* The value after e's Adjust (coercions at coercion sites). */
static const char *vtable_for(TraitDef *tr, Type *t);

static char *apply_adjust(Expr *e, char *v)
{
    Adjust *a = e->adjust;
    if (!a || !v)
        return v;
    switch (a->coerce) {
    case CO_STRING_TO_STR:
        return xprintf("mrs_string_as_str(%s)", v);
    case CO_VEC_TO_SLICE: {
        const char *st = ctype(a->target);
        if (v[0] == '&' && is_ident_text(v + 1))
            return xprintf("(%s){%s.ptr, %s.len}", st, v + 1, v + 1);
        char *p = hoist(e->ty, v, "vref");
        return xprintf("(%s){%s->ptr, %s->len}", st, p, p);
    }
    case CO_ARRAY_TO_SLICE: {
        const char *st = ctype(a->target);
        Type *arr = e->ty->args[0];
        if (v[0] == '&' && is_ident_text(v + 1))
            return xprintf("(%s){%s.a, %llu}", st, v + 1, (unsigned long long)arr->len);
        return xprintf("(%s){(%s)->a, %llu}", st, v, (unsigned long long)arr->len);
    }
    case CO_DEREF_REF:
        return xprintf("*%s", v);
    case CO_BOX_DYN: {
        Type *from = e->ty->args[0];
        TraitDef *tr = a->target->args[0]->trait;
        return xprintf("(%s){%s, &%s}", ctype(a->target), v, vtable_for(tr, from));
    }
    case CO_DYN: {
        /* &T -> &dyn Trait: the pointer, and T's vtable */
        Type *from = e->ty->args[0];
        TraitDef *tr = a->target->args[0]->trait;
        return xprintf("(%s){%s, &%s}", ctype(a->target), v, vtable_for(tr, from));
    }
    case CO_CLOSURE_FN: {
        /* a closure that captures nothing, as a plain function: a wrapper with an empty env */
        Closure *clo = e->ty->clo;
        Type *ft = a->target;
        const char *name = xprintf("%s_as_fn", mangle(e->ty));
        if (!helper_done(name)) {
            StrBuf sig, call;
            sb_init(&sig);
            sb_init(&call);
            sb_printf(&sig, "%s %s(", cret(ft->args[ft->nargs - 1]), name);
            sb_printf(&call, "%s_%s(&env", mangle(e->ty), call_suffix[clo->kind]);
            for (int i = 0; i + 1 < ft->nargs; i++) {
                sb_printf(&sig, "%s%s", i ? ", " : "", decl(ft->args[i], xprintf("a%d", i)));
                sb_printf(&call, ", a%d", i);
            }
            sb_puts(&sig, ft->nargs == 1 ? "void)" : ")");
            sb_puts(&call, ")");
            Saved sv;
            StrBuf *b = begin_helper(sig.data, &sv);
            emit("%s env = {0}; /* it captures nothing */", ctype(e->ty));
            emit("%s%s;", is_void(ft->args[ft->nargs - 1]) ? "" : "return ", call.data);
            end_helper(b, &sv);
            sb_free(&sig);
            sb_free(&call);
        }
        if (impure(v))
            emit("(void)%s;", v);
        return xstrdup(name);
    }
    case CO_NEVER:
        return dummy(a->target);
    default:
        return v;
    }
}

/* Slice view {ptr, len} of an array/Vec/slice place of type t. */
static char *slice_ptr(Type *t, const char *p)
{
    if (t->kind == TY_ARRAY)
        return member(p, "a");
    return member(p, "ptr");
}

static char *slice_len(Type *t, const char *p)
{
    if (t->kind == TY_ARRAY)
        return xprintf("%llu", (unsigned long long)t->len);
    return member(p, "len");
}

/* The `[` of an index expression (rustc reports Vec and range index
 * panics there). */
static Span bracket_span(Expr *e)
{
    uint32_t off = e->lhs->span.hi;
    const char *text = diag_source_text((Span){off, e->span.hi, 0, 0});
    const char *b = strchr(text, '[');
    if (b)
        off += (uint32_t)(b - text);
    return diag_span_at(off, off + 1);
}

static void note_move(Expr *e);

/* The C place of a place expression. */
static char *cg_place(Expr *e)
{
    e = unparen(e);
    char *cap = capture_text(e);
    if (cap)
        return cap;
    note_move(e);
    switch (e->kind) {
    case EX_PATH: {
        Def *d = e->def;
        if (d && d->kind == DEF_LOCAL)
            return xstrdup(d->local->cname);
        return cg_expr(e);
    }
    case EX_FIELD:
    case EX_TUPLE_FIELD: {
        FieldRes *fr = e->sema;
        char *base = deref_n(cg_lvalue(e->operand), e->operand->ty, fr->derefs);
        Type *bt = fr->base_ty;
        const char *fname;
        if (bt->kind == TY_TUPLE || (bt->kind == TY_ADT && bt->adt->variants[0].kind == SK_TUPLE))
            fname = xprintf("_%d", fr->index);
        else
            fname = bt->adt->variants[0].fields[fr->index].name;
        return member(base, fname);
    }
    case EX_INDEX: {
        if (unparen(e->rhs)->kind == EX_RANGE)
            return cg_expr_inner(e); /* a slice view: a value, not a place */
        FieldRes *fr = e->sema;
        char *base = deref_n(cg_lvalue(e->lhs), e->lhs->ty, fr->derefs);
        Type *bt = fr->base_ty;
        char *ix = cg_expr(e->rhs);
        /* rustc reports the index panic at the index expression for arrays
         * and slices, at the `[` for Vec (its Index impl) */
        Span at = bt->kind == TY_VEC ? bracket_span(e) : e->span;
        return xprintf("%s[mrs_idx(%s, %s, %s)]", slice_ptr(bt, base), ix, slice_len(bt, base), loc(at));
    }
    case EX_UNARY:
        if (e->unop == UN_DEREF) {
            char *p = cg_expr(e->operand);
            Type *ot = e->operand->ty;
            if (ot->kind == TY_STRING)
                return xprintf("mrs_string_as_str(&%s)", p);
            return deref_text(p);
        }
        break;
    default:
        break;
    }
    return cg_lvalue(e);
}

static const char *arith_name(BinOp op)
{
    switch (op) {
    case BIN_ADD: return "add";
    case BIN_SUB: return "sub";
    case BIN_MUL: return "mul";
    case BIN_DIV: return "div";
    case BIN_REM: return "rem";
    case BIN_SHL: return "shl";
    case BIN_SHR: return "shr";
    default: return NULL;
    }
}

static const char *c_op(BinOp op)
{
    switch (op) {
    case BIN_ADD: return "+"; case BIN_SUB: return "-"; case BIN_MUL: return "*"; case BIN_DIV: return "/";
    case BIN_REM: return "%"; case BIN_AND: return "&&"; case BIN_OR: return "||"; case BIN_BITAND: return "&";
    case BIN_BITOR: return "|"; case BIN_BITXOR: return "^"; case BIN_SHL: return "<<"; case BIN_SHR: return ">>";
    case BIN_EQ: return "=="; case BIN_NE: return "!="; case BIN_LT: return "<"; case BIN_LE: return "<=";
    case BIN_GT: return ">"; case BIN_GE: return ">=";
    }
    return "?";
}

static Type *peel_refs(Type *t)
{
    while (t->kind == TY_REF && !is_fat_ref(t))
        t = t->args[0];
    return t;
}

/* Value text of e with references to numbers dereferenced (`&i32 + i32`). */
static char *num_operand(Expr *e, char *v)
{
    Type *t = e->ty;
    while (t->kind == TY_REF && !is_fat_ref(t)) {
        v = deref_text(v);
        t = t->args[0];
    }
    return v;
}

/* An arithmetic operation on integer type t, with Rust's debug checks. */
static char *arith(BinOp op, Type *t, const char *a, const char *b, Span at)
{
    const char *name = arith_name(op);
    if (ty_is_float(t)) {
        if (op == BIN_REM)
            return xprintf("%s(%s, %s)", t->kind == TY_F32 ? "fmodf" : "fmod", a, b);
        return xprintf("(%s %s %s)", a, c_op(op), b);
    }
    if (op == BIN_DIV || op == BIN_REM)
        return xprintf("mrs_%s_%s(%s, %s, %s)", name, int_name(t), a, b, loc(at));
    if (op == BIN_SHL || op == BIN_SHR) {
        if (cg->opt->release)
            return xprintf("mrs_w%s_%s(%s, (uint64_t)%s)", name, int_name(t), a, b);
        return xprintf("mrs_%s_%s(%s, (uint64_t)%s, %s)", name, int_name(t), a, b, loc(at));
    }
    if (name) {
        if (cg->opt->release)
            return xprintf("mrs_w%s_%s(%s, %s)", name, int_name(t), a, b);
        return xprintf("mrs_%s_%s(%s, %s, %s)", name, int_name(t), a, b, loc(at));
    }
    /* bit operations: cast back to the operand type (C promotes to int) */
    if (t->kind == TY_BOOL)
        return xprintf("(%s %s %s)", a, c_op(op), b);
    return xprintf("(%s)(%s %s %s)", prim_c[t->kind], a, c_op(op), b);
}

static char *str_value(Type *t, const char *v)
{
    /* any String / &str / &String / &&str value to an MrsStr */
    int refs = 0;
    while (t->kind == TY_REF && t->args[0]->kind != TY_STR) {
        t = t->args[0];
        refs++;
    }
    const char *p = v;
    if (t->kind == TY_STRING) {
        if (refs == 0)
            return xprintf("mrs_string_as_str(&%s)", v);
        for (int i = 1; i < refs; i++)
            p = deref_text(p);
        return xprintf("mrs_string_as_str(%s)", p);
    }
    for (int i = 0; i < refs; i++)
        p = deref_text(p);
    return xstrdup(p);
}

static bool is_stringish_ty(Type *t)
{
    while (t->kind == TY_REF && t->args[0]->kind != TY_STR)
        t = t->args[0];
    return t->kind == TY_STRING || (t->kind == TY_REF && t->args[0]->kind == TY_STR);
}

static char *compare(BinOp op, Expr *l, Expr *r, const char *a, const char *b)
{
    Type *lt = l->ty, *rt = r->ty;
    if (is_stringish_ty(lt) && is_stringish_ty(rt)) {
        /* the String operands need places */
        char *sa = str_value(lt, a), *sb = str_value(rt, b);
        if (op == BIN_EQ)
            return xprintf("mrs_str_eq(%s, %s)", sa, sb);
        if (op == BIN_NE)
            return xprintf("!mrs_str_eq(%s, %s)", sa, sb);
        return xprintf("mrs_str_cmp(%s, %s) %s 0", sa, sb, c_op(op));
    }
    Type *t = peel_refs(lt);
    Type *u = peel_refs(rt);
    if (t != u && (op == BIN_EQ || op == BIN_NE)) {
        /* Vec<T> == [T; N] and friends: compare as slices */
        const char *pa = a, *pb = b;
        for (Type *x = lt; x->kind == TY_REF && !is_fat_ref(x); x = x->args[0])
            pa = deref_text(pa);
        for (Type *x = rt; x->kind == TY_REF && !is_fat_ref(x); x = x->args[0])
            pb = deref_text(pb);
        Type *el = t->args[0]->kind == TY_SLICE ? t->args[0]->args[0] : t->args[0];
        Type *sl = ty_ref(ty_slice(el), false);
        char *va = hoist(sl, xprintf("(%s){%s, %s}", ctype(sl), slice_ptr(t, pa), slice_len(t, pa)), "lhs");
        char *vb = hoist(sl, xprintf("(%s){%s, %s}", ctype(sl), slice_ptr(u, pb), slice_len(u, pb)), "rhs");
        char *r = eq_places(sl, va, vb);
        return op == BIN_EQ ? r : xprintf("!(%s)", r);
    }
    const char *pa = a, *pb = b;
    for (Type *x = lt; x->kind == TY_REF && !is_fat_ref(x); x = x->args[0])
        pa = deref_text(pa);
    for (Type *x = rt; x->kind == TY_REF && !is_fat_ref(x); x = x->args[0])
        pb = deref_text(pb);
    if ((t->kind <= TY_CHAR && t->kind != TY_STR))
        return xprintf("%s %s %s", pa, c_op(op), pb);
    if (op == BIN_EQ)
        return eq_places(t, pa, pb);
    if (op == BIN_NE)
        return xprintf("!(%s)", eq_places(t, pa, pb));
    /* an unordered (NaN) partial comparison is neither greater nor equal */
    if (op == BIN_GT)
        return xprintf("%s == 1", cmp_places(t, pa, pb));
    if (op == BIN_GE)
        return xprintf("mrs_pcmp_ge(%s)", cmp_places(t, pa, pb));
    return xprintf("%s %s 0", cmp_places(t, pa, pb), c_op(op));
}

static char *cg_binary(Expr *e)
{
    BinOp op = e->binop;
    if (e->sema) {
        /* an operator on a user type: a call of its impl's method (impl Add for T) */
        FnDef *f = e->sema;
        Expr *ops[2] = {e->lhs, e->rhs};
        char **v = cg_operands(ops, 2);
        return xprintf("%s(%s, %s)", f->cname, v[0], v[1]);
    }
    if (op == BIN_AND || op == BIN_OR) {
        /* short circuit: if the right side needs statements, spell it out */
        /* each operand is a temporary scope of its own */
        char *a = cg_condition(e->lhs);
        StrBuf buf;
        sb_init(&buf);
        StrBuf *saved = cg->out;
        cg->out = &buf;
        cg->indent++;
        char *b = cg_condition(e->rhs);
        cg->indent--;
        cg->out = saved;
        if (!buf.len) {
            sb_free(&buf);
            return xprintf("(%s %s %s)", a, c_op(op), b);
        }
        char *t = fresh("cond");
        emit("bool %s = %s;", t, a);
        emit("if (%s%s) {", op == BIN_AND ? "" : "!", t);
        sb_puts(cg->out, buf.data);
        sb_free(&buf);
        emit("    %s = %s;", t, b);
        emit("}");
        return t;
    }
    bool cmp = op >= BIN_EQ;
    if (cmp) {
        /* operands of comparisons are borrowed: aggregates need places */
        Type *pt = peel_refs(e->lhs->ty);
        bool need_place = pt->kind == TY_STRING || (!(pt->kind <= TY_CHAR) && !is_fat_ref(pt) && pt->kind != TY_REF);
        if (need_place && !(is_stringish_ty(e->lhs->ty) && e->lhs->ty->kind == TY_REF)) {
            char *a = cg_lvalue(e->lhs);
            char *b = cg_lvalue(e->rhs);
            return xprintf("(%s)", compare(op, e->lhs, e->rhs, a, b));
        }
        Expr *ops[2] = {e->lhs, e->rhs};
        char **v = cg_operands(ops, 2);
        if (e->rhs->ty->kind == TY_STRING)
            v[1] = cg_lvalue(e->rhs);
        return xprintf("(%s)", compare(op, e->lhs, e->rhs, v[0], v[1]));
    }
    if (op == BIN_ADD && e->ty->kind == TY_STRING) {
        /* String + &str: the left String is moved in, appended to, and is the result */
        char *a = cg_expr(e->lhs);
        char *s = hoist(e->ty, a, "concat");
        char *b = cg_expr(e->rhs);
        emit("mrs_string_push_str(&%s, %s);", s, b);
        return s;
    }
    Expr *ops[2] = {e->lhs, e->rhs};
    char **v = cg_operands(ops, 2);
    Type *t = peel_refs(e->ty);
    return arith(op, t, num_operand(e->lhs, v[0]), num_operand(e->rhs, v[1]), e->span);
}

static char *cg_unary(Expr *e)
{
    if (e->sema) { /* impl Neg for T */
        FnDef *f = e->sema;
        return xprintf("%s(%s)", f->cname, cg_expr(e->operand));
    }
    switch (e->unop) {
    case UN_NEG: {
        Expr *o = unparen(e->operand);
        Type *t = peel_refs(e->ty);
        if (o->kind == EX_INT) {
            uint64_t v = o->int_val;
            if (t->kind <= TY_ISIZE && v == (uint64_t)1 << (ty_int_bits(t) - 1))
                return xstrdup(int_min_macro(t));
            return xprintf("-%s", int_lit(t, v));
        }
        if (o->kind == EX_FLOAT)
            return xprintf("-%s", float_lit(o, t));
        char *v = num_operand(e->operand, cg_expr(e->operand));
        if (ty_is_float(t))
            return xprintf("-%s", v);
        if (cg->opt->release)
            return xprintf("mrs_wneg_%s(%s)", int_name(t), v);
        return xprintf("mrs_neg_%s(%s, %s)", int_name(t), v, loc(e->span));
    }
    case UN_NOT: {
        Type *t = peel_refs(e->ty);
        char *v = num_operand(e->operand, cg_expr(e->operand));
        if (t->kind == TY_BOOL)
            return xprintf("!%s", v);
        return xprintf("(%s)~%s", prim_c[t->kind], v);
    }
    case UN_DEREF:
        if (e->operand->ty->kind == TY_BOX && e->operand->ty->args[0]->kind != TY_DYN &&
            !is_place_expr(e->operand)) {
            /* `*Box::new(v)`: the value moves out of a temporary Box, whose memory is freed */
            char *b = hoist(e->operand->ty, cg_expr(e->operand), "box");
            char *v = hoist(e->ty, deref_text(b), "unboxed");
            emit("mrs_vec_free(%s);", b);
            return v;
        }
        return cg_place(e);
    }
    return xstrdup("0");
}

static char *cg_cast(Expr *e)
{
    Type *to = e->ty, *from = peel_refs(e->operand->ty);
    char *v = num_operand(e->operand, cg_expr(e->operand));
    if (from == to)
        return v;
    if (ty_is_float(from) && ty_is_int(to))
        return xprintf("mrs_%s_to_%s(%s)", prim_mangle[from->kind], prim_mangle[to->kind], v);
    if (from->kind == TY_ADT)
        return xprintf("(%s)%s", prim_c[to->kind], member(v[0] == '(' || is_ident_text(v) ? v : hoist(from, v, "e"), "tag"));
    return xprintf("(%s)%s", prim_c[to->kind], v);
}

/* ---- calls ------------------------------------------------------------------------------------ */

static void not_supported(Span s, const char *what)
{
    diag_error(NULL, s, "%s is not supported by mrsc yet", what);
}

/* The constructor of an enum variant / struct from field values. */
static char *construct(Type *t, int variant, char **vals, int n)
{
    AdtDef *a = t->adt;
    VariantInfo *v = &a->variants[variant];
    StrBuf sb;
    sb_init(&sb);
    sb_printf(&sb, "(%s){", ctype(t));
    if (a->is_enum) {
        sb_printf(&sb, ".tag = %s_%s", mangle(t), v->name);
        if (n) {
            sb_printf(&sb, ", .%s = {", v->name);
            for (int i = 0; i < n; i++)
                sb_printf(&sb, "%s%s", i ? ", " : "", vals[i] ? vals[i] : "{0}");
            sb_puts(&sb, "}");
        }
    } else {
        for (int i = 0; i < n; i++)
            sb_printf(&sb, "%s%s", i ? ", " : "", vals[i] ? vals[i] : "{0}");
        if (n == 0)
            sb_puts(&sb, "0");
    }
    sb_puts(&sb, "}");
    char *r = xstrdup(sb.data);
    sb_free(&sb);
    return r;
}

static char *some(Type *opt, const char *v)
{
    char *vals[1] = {(char *)v};
    return construct(opt, 1, vals, 1);
}

static char *none(Type *opt) { return construct(opt, 0, NULL, 0); }

/* Arguments with their coercions applied. */
static char **cg_args(List *args)
{
    char **v = cg_operands((Expr **)args->items, args->len);
    for (int i = 0; i < args->len; i++)
        if (!v[i] && is_unit(((Expr *)args->items[i])->ty))
            v[i] = "(MrsUnit){0}"; /* `()` passed as a value */
    for (int i = 0; i < args->len; i++)
        v[i] = v[i];
    return v;
}

static char *join_args(char **v, int n, const char *first)
{
    StrBuf sb;
    sb_init(&sb);
    if (first)
        sb_puts(&sb, first);
    for (int i = 0; i < n; i++) {
        if (!v[i])
            continue;
        if (sb.len)
            sb_puts(&sb, ", ");
        sb_puts(&sb, v[i]);
    }
    char *r = xstrdup(sb.data ? sb.data : "");
    sb_free(&sb);
    return r;
}

static char *call_result(Type *ret, char *call)
{
    if (is_void(ret)) {
        emit("%s;", call);
        if (is_never(ret))
            return NULL;
        return NULL;
    }
    return call;
}

static char *cg_builtin_call(Expr *e, Def *d)
{
    char **a = cg_args(&e->args);
    switch (d->builtin) {
    case BI_STRING_NEW: return xstrdup("mrs_string_new()");
    case BI_STRING_FROM: return xprintf("mrs_string_from(%s)", a[0]);
    case BI_STRING_WITH_CAPACITY: return xprintf("mrs_string_with_capacity(%s)", a[0]);
    case BI_VEC_NEW: return xprintf("(%s){0}", ctype(e->ty));
    case BI_VEC_WITH_CAPACITY: {
        const char *ct = ctype(e->ty);
        return xprintf("(%s){mrs_vec_alloc(%s, sizeof(%s)), 0, %s}", ct, a[0], ctype(e->ty->args[0]), a[0]);
    }
    case BI_PROCESS_EXIT:
        emit("mrs_process_exit(%s);", a[0]);
        return NULL;
    case BI_DROP: {
        Expr *x = e->args.items[0];
        if (has_drop(x->ty)) {
            char *t = hoist(x->ty, a[0], "dropped");
            emit_drop_place(x->ty, t);
        }
        return NULL;
    }
    case BI_MEM_SWAP: {
        Type *t = ((Expr *)e->args.items[0])->ty->args[0];
        char *tmp = fresh("swap");
        emit("%s = *%s;", decl(t, tmp), a[0]);
        emit("*%s = *%s;", a[0], a[1]);
        emit("*%s = %s;", a[1], tmp);
        return NULL;
    }
    case BI_MEM_REPLACE: {
        char *old = hoist(e->ty, deref_text(a[0]), "old");
        emit("%s = %s;", deref_text(a[0]), a[1]);
        return old;
    }
    case BI_MEM_TAKE: {
        /* mem::replace(dest, Default::default()): the user's default() runs first */
        char *dflt = hoist(e->ty, default_expr(e->ty), "dflt");
        char *old = hoist(e->ty, deref_text(a[0]), "taken");
        emit("%s = %s;", deref_text(a[0]), dflt);
        return old;
    }
    case BI_BOX_NEW: {
        Type *inner = e->ty->args[0];
        if (!a[0]) /* Box::new(()) */
            a[0] = "(MrsUnit){0}";
        return xprintf("%s(%s)", box_new_fn(inner), a[0]);
    }
    case BI_CMP_MAX:
    case BI_CMP_MIN: {
        /* max returns the second of equals, min the first (std::cmp) */
        Type *t = e->ty;
        char *x = is_ident_text(a[0]) ? a[0] : hoist(t, a[0], "a");
        char *y = is_ident_text(a[1]) ? a[1] : hoist(t, a[1], "b");
        if (d->builtin == BI_CMP_MAX)
            return xprintf("(%s >= 0 ? %s : %s)", cmp_places(t, y, x), y, x);
        return xprintf("(%s <= 0 ? %s : %s)", cmp_places(t, x, y), x, y);
    }
    case BI_DEFAULT: {
        return default_expr(e->ty);
    }
    case BI_CHAR_FROM_U32:
    case BI_CHAR_FROM_DIGIT: {
        char *ok = fresh("ok");
        char *c = fresh("ch");
        emit("uint32_t %s = 0;", c);
        if (d->builtin == BI_CHAR_FROM_U32)
            emit("bool %s = mrs_char_from_u32(%s, &%s);", ok, a[0], c);
        else
            emit("bool %s = mrs_char_from_digit(%s, %s, &%s);", ok, a[0], a[1], c);
        return xprintf("(%s ? %s : %s)", ok, some(e->ty, c), none(e->ty));
    }
    default:
        not_supported(e->span, xprintf("`%s`", d->name));
        return dummy(e->ty);
    }
}

/* A pointer to the environment of the closure value `callee` (a place, a
 * reference to one, or a temporary). */
static char *closure_env_ptr(Expr *callee)
{
    Type *t = callee->ty;
    if (t->kind == TY_REF) {
        char *p = cg_expr(callee);
        while (t->args[0]->kind == TY_REF) {
            p = deref_text(p);
            t = t->args[0];
        }
        return p;
    }
    Expr *u = unparen(callee);
    bool place = u->kind == EX_PATH || u->kind == EX_FIELD || u->kind == EX_TUPLE_FIELD || u->kind == EX_INDEX ||
                 (u->kind == EX_UNARY && u->unop == UN_DEREF);
    if (!place && t->kind == TY_CLOSURE && t->clo->kind == FN_ONCE) {
        /* `(move || a)()`: a temporary env that the call consumes (no drop after it) */
        char *v = cg_expr(callee);
        return addr_text(is_ident_text(v) ? v : hoist(t, v, "closure"));
    }
    return addr_text(cg_lvalue(callee));
}

static char *cg_call(Expr *e)
{
    Expr *callee = unparen(e->operand);
    Def *d = callee->kind == EX_PATH ? callee->def : NULL;
    if (d && d->kind == DEF_BUILTIN)
        return cg_builtin_call(e, d);
    if (d && (d->kind == DEF_VARIANT || d->kind == DEF_ADT)) {
        char **a = cg_args(&e->args);
        return construct(e->ty, d->kind == DEF_VARIANT ? d->variant : 0, a, e->args.len);
    }
    char **a = cg_args(&e->args);
    if (d && d->kind == DEF_FN) {
        Inst *in = e->sema;
        if (d->fn->is_default && in && in->n && in->args[0]->kind != TY_PARAM) {
            /* Trait::f(..) at a concrete Self: the impl's own f, when it has one */
            for (int i = 0; i < cg->prog->impls.len; i++) {
                ImplDef *im = cg->prog->impls.items[i];
                if (im->self_ty != in->args[0] || im->trait != d->fn->trait)
                    continue;
                for (int k = 0; k < im->methods.len; k++) {
                    FnDef *m = im->methods.items[k];
                    if (!strcmp(m->name, d->fn->name))
                        return call_result(e->ty, xprintf("%s(%s)", m->cname, join_args(a, e->args.len, NULL)));
                }
            }
        }
        const char *fname = in && in->n ? inst_name(d->fn, in->args, in->n) : d->fn->cname;
        return call_result(e->ty, xprintf("%s(%s)", fname, join_args(a, e->args.len, NULL)));
    }
    Type *ct = e->operand->ty;
    int outer_refs = 0;
    while (ct->kind == TY_REF && ct->args[0]->kind != TY_DYN) {
        ct = ct->args[0];
        outer_refs++;
    }
    if ((ct->kind == TY_REF || ct->kind == TY_BOX) && ct->args[0]->kind == TY_DYN && ct->args[0]->trait->fn_kind) {
        /* through a vtable: `dyn Fn(..)` behind a reference or a Box */
        TraitDef *tr = ct->args[0]->trait;
        bool boxed = ct->kind == TY_BOX;
        bool once = boxed && tr->fn_kind == FN_ONCE && !outer_refs;
        char *f, *fv;
        if (boxed && !outer_refs && !is_place_expr(e->operand)) {
            /* a Box made for the call (`make()(4)`): evaluated once, dropped after the statement */
            fv = hoist(ct, cg_expr(e->operand), "dynfn");
            if (!once)
                add_pending(ct, fv);
        } else {
            f = once ? cg_lvalue(e->operand) : cg_expr(e->operand);
            for (int i = 0; i < outer_refs; i++)
                f = deref_text(f);
            if (is_ident_text(f))
                fv = f;
            else if (boxed) /* `v[i()](x)`: the place is computed once */
                fv = deref_text(hoist(ty_ref(ct, false), addr_text(f), "dynfn"));
            else
                fv = hoist(ct, f, "dynfn");
        }
        if (outer_refs && !is_ident_text(fv))
            fv = xprintf("(%s)", fv);
        char *call = xprintf("%s->call((void *)%s%s%s)", member(fv, "vtable"), member(fv, "data"), e->args.len ? ", " : "",
                             join_args(a, e->args.len, NULL));
        if (boxed && tr->fn_kind == FN_ONCE && !outer_refs) {
            /* the call consumed the environment; the Box's memory remains */
            char *r = is_void(e->ty) ? (emit("%s;", call), NULL) : hoist(e->ty, call, "result");
            emit("mrs_vec_free(%s.data); /* Box<dyn FnOnce>: called once, its memory freed */", fv);
            return r;
        }
        return call_result(e->ty, call);
    }
    while (ct->kind == TY_REF)
        ct = ct->args[0];
    if (ct->kind == TY_CLOSURE) {
        /* the closure's function, given its environment by pointer */
        Closure *clo = ct->clo;
        char *env = closure_env_ptr(e->operand);
        return call_result(e->ty, xprintf("%s_%s(%s%s%s)", mangle(ct), call_suffix[clo->kind], env,
                                          e->args.len ? ", " : "", join_args(a, e->args.len, NULL)));
    }
    char *f = cg_expr(e->operand);
    if (e->operand->ty->kind == TY_REF)
        f = deref_text(f);
    return call_result(e->ty, xprintf("%s(%s)", f, join_args(a, e->args.len, NULL)));
}

/* ---- method calls -------------------------------------------------------------------------------- */

/* The receiver as a C place after its auto-derefs. A receiver taken by
 * value (`self`) that is an rvalue is moved into a temporary (not dropped
 * there: the method consumes it). */
static char *recv_place(Expr *m, bool by_value)
{
    Expr *r = m->operand;
    Adjust *a = r->adjust;
    char *p;
    Expr *u = unparen(r);
    bool is_place = u->kind == EX_PATH || u->kind == EX_FIELD || u->kind == EX_TUPLE_FIELD || u->kind == EX_INDEX ||
                    (u->kind == EX_UNARY && u->unop == UN_DEREF);
    if (is_place || !by_value) {
        p = cg_lvalue(r);
    } else {
        char *v = cg_expr(r);
        p = is_ident_text(v) ? v : hoist(r->ty, v, "recv");
    }
    return deref_n(p, r->ty, a ? a->derefs : 0);
}

static char *str_of(Type *b, const char *p)
{
    if (b->kind == TY_STRING)
        return xprintf("mrs_string_as_str(%s)", addr_text(p));
    return xstrdup(p); /* str: the place is the MrsStr itself */
}

/* panic with "<prefix><Debug of place>" */
static void panic_with_debug(Span at, const char *prefix, Type *t, const char *place)
{
    emit("MrsString panic_msg = mrs_string_from(MRS_STR(%s));", c_string(prefix, strlen(prefix)));
    emit("MrsFormatter fmt = mrs_fmt_new(&panic_msg);");
    fmt_place("&fmt", t, FT_DEBUG, place);
    emit("mrs_panic_string(%s, panic_msg);", loc(at));
}

static char *opt_unwrap(Expr *e, Type *ot, const char *p, const char *msg_expr)
{
    emit("if (%s.tag == %s_None)", p, mangle(ot));
    if (msg_expr)
        emit("    mrs_panic(%s, %s);", loc(e->name_span), msg_expr);
    else
        emit("    mrs_panic_cstr(%s, \"called `Option::unwrap()` on a `None` value\");", loc(e->name_span));
    return xprintf("%s.Some._0", p);
}

static char *res_unwrap(Expr *e, Type *rt, const char *p, const char *msg_expr, bool want_err)
{
    const char *bad = want_err ? "Ok" : "Err";
    emit("if (%s.tag == %s_%s) {", p, mangle(rt), bad);
    cg->indent++;
    Type *payload = rt->args[want_err ? 0 : 1];
    if (msg_expr) {
        emit("MrsString panic_msg = mrs_string_from(%s);", msg_expr);
        emit("mrs_string_push_str(&panic_msg, MRS_STR(\": \"));");
        emit("MrsFormatter fmt = mrs_fmt_new(&panic_msg);");
        fmt_place("&fmt", payload, FT_DEBUG, xprintf("%s.%s._0", p, bad));
        emit("mrs_panic_string(%s, panic_msg);", loc(e->name_span));
    } else {
        panic_with_debug(e->name_span,
                         want_err ? "called `Result::unwrap_err()` on an `Ok` value: "
                                  : "called `Result::unwrap()` on an `Err` value: ",
                         payload, xprintf("%s.%s._0", p, bad));
    }
    cg->indent--;
    emit("}");
    return xprintf("%s.%s._0", p, want_err ? "Err" : "Ok");
}

/* A temp holding an Option/Result receiver (evaluated once). */
static char *once(Type *t, char *p)
{
    return is_ident_text(p) ? p : hoist(t, p, "v");
}

static char *int_method(Expr *e, MethodRes *mr, const char *x, char **a)
{
    Type *b = mr->self_ty;
    const char *n = int_name(b);
    switch (mr->bm) {
    case BM_MAX: return xprintf("(%s > %s ? %s : %s)", x, a[0], x, a[0]);
    case BM_MIN: return xprintf("(%s < %s ? %s : %s)", x, a[0], x, a[0]);
    case BM_INT_POW:
        return xprintf(cg->opt->release ? "mrs_wrapping_pow_%s(%s, %s)" : "mrs_pow_%s(%s, %s)", n, x, a[0]);
    case BM_INT_ABS:
        return xprintf(cg->opt->release ? "mrs_wrapping_abs_%s(%s)" : "mrs_abs_%s(%s)", n, x);
    case BM_INT_CHECKED_ADD: case BM_INT_CHECKED_SUB: case BM_INT_CHECKED_MUL: case BM_INT_CHECKED_DIV:
    case BM_INT_CHECKED_REM: case BM_INT_CHECKED_POW: {
        static const char *ops[] = {"add", "sub", "mul", "div", "rem", "pow"};
        const char *op = ops[mr->bm - BM_INT_CHECKED_ADD];
        char *out = fresh("r");
        char *ok = fresh("ok");
        emit("%s = 0;", decl(b, out));
        emit("bool %s = mrs_checked_%s_%s(%s, %s, &%s);", ok, op, n, x, a[0], out);
        return xprintf("(%s ? %s : %s)", ok, some(e->ty, out), none(e->ty));
    }
    case BM_INT_WRAPPING_ADD: return xprintf("mrs_wadd_%s(%s, %s)", n, x, a[0]);
    case BM_INT_WRAPPING_SUB: return xprintf("mrs_wsub_%s(%s, %s)", n, x, a[0]);
    case BM_INT_WRAPPING_MUL: return xprintf("mrs_wmul_%s(%s, %s)", n, x, a[0]);
    case BM_INT_WRAPPING_NEG: return xprintf("mrs_wneg_%s(%s)", n, x);
    case BM_INT_WRAPPING_POW: return xprintf("mrs_wrapping_pow_%s(%s, %s)", n, x, a[0]);
    case BM_INT_SATURATING_ADD: return xprintf("mrs_saturating_add_%s(%s, %s)", n, x, a[0]);
    case BM_INT_SATURATING_SUB: return xprintf("mrs_saturating_sub_%s(%s, %s)", n, x, a[0]);
    case BM_INT_SATURATING_MUL: return xprintf("mrs_saturating_mul_%s(%s, %s)", n, x, a[0]);
    case BM_INT_SATURATING_POW: return xprintf("mrs_saturating_pow_%s(%s, %s)", n, x, a[0]);
    case BM_INT_REM_EUCLID: return xprintf("mrs_rem_euclid_%s(%s, %s, %s)", n, x, a[0], loc(e->span));
    case BM_INT_DIV_EUCLID: return xprintf("mrs_div_euclid_%s(%s, %s, %s)", n, x, a[0], loc(e->span));
    case BM_INT_COUNT_ONES: return xprintf("mrs_count_ones_%s(%s)", n, x);
    case BM_INT_COUNT_ZEROS: return xprintf("mrs_count_zeros_%s(%s)", n, x);
    case BM_INT_LEADING_ZEROS: return xprintf("mrs_leading_zeros_%s(%s)", n, x);
    case BM_INT_TRAILING_ZEROS: return xprintf("mrs_trailing_zeros_%s(%s)", n, x);
    case BM_INT_SIGNUM: return xprintf("(%s)((%s > 0) - (%s < 0))", prim_c[b->kind], x, x);
    case BM_INT_IS_POWER_OF_TWO: return xprintf("(%s != 0 && (%s & (%s - 1)) == 0)", x, x, x);
    case BM_INT_IS_POSITIVE: return xprintf("(%s > 0)", x);
    case BM_INT_IS_NEGATIVE: return xprintf("(%s < 0)", x);
    case BM_INT_ABS_DIFF: return xprintf("(%s > %s ? %s - %s : %s - %s)", x, a[0], x, a[0], a[0], x);
    case BM_INT_ROTATE_LEFT:
    case BM_INT_ROTATE_RIGHT: {
        int bits = ty_int_bits(b);
        const char *u = unsigned_of(b);
        char *xv = hoist(ty_prim(b->kind <= TY_ISIZE ? (TypeKind)(b->kind + TY_U8) : b->kind), xprintf("(%s)%s", u, x), "bits");
        char *k = hoist(ty_prim(TY_U32), xprintf("%s %% %d", a[0], bits), "k");
        bool left = mr->bm == BM_INT_ROTATE_LEFT;
        return xprintf("(%s)(%s == 0 ? %s : (%s)((%s %s %s) | (%s %s (%d - %s))))", prim_c[b->kind], k, xv, u, xv,
                       left ? "<<" : ">>", k, xv, left ? ">>" : "<<", bits, k);
    }
    default:
        return NULL;
    }
}

static char *float_method(Expr *e, MethodRes *mr, const char *x, char **a)
{
    (void)e;
    const char *f = mr->self_ty->kind == TY_F32 ? "f32" : "f64";
    const char *lm = mr->self_ty->kind == TY_F32 ? "f" : "";
    switch (mr->bm) {
    case BM_F_SQRT: return xprintf("mrs_%s_sqrt(%s)", f, x);
    case BM_F_POWI: return xprintf("mrs_%s_powi(%s, %s)", f, x, a[0]);
    case BM_F_POWF: return xprintf("mrs_%s_powf(%s, %s)", f, x, a[0]);
    case BM_F_ABS: return xprintf("mrs_%s_abs(%s)", f, x);
    case BM_F_FLOOR: return xprintf("mrs_%s_floor(%s)", f, x);
    case BM_F_CEIL: return xprintf("mrs_%s_ceil(%s)", f, x);
    case BM_F_ROUND: return xprintf("mrs_%s_round(%s)", f, x);
    case BM_F_TRUNC: return xprintf("mrs_%s_trunc(%s)", f, x);
    case BM_F_MIN: return xprintf("mrs_%s_min(%s, %s)", f, x, a[0]);
    case BM_F_MAX: return xprintf("mrs_%s_max(%s, %s)", f, x, a[0]);
    case BM_F_SIGNUM: return xprintf("mrs_%s_signum(%s)", f, x);
    case BM_F_IS_NAN: return xprintf("isnan(%s)", x);
    case BM_F_IS_FINITE: return xprintf("isfinite(%s)", x);
    case BM_F_IS_INFINITE: return xprintf("isinf(%s)", x);
    case BM_F_SIN: return xprintf("sin%s(%s)", lm, x);
    case BM_F_COS: return xprintf("cos%s(%s)", lm, x);
    case BM_F_TAN: return xprintf("tan%s(%s)", lm, x);
    case BM_F_EXP: return xprintf("exp%s(%s)", lm, x);
    case BM_F_LN: return xprintf("log%s(%s)", lm, x);
    case BM_F_LOG10: return xprintf("log10%s(%s)", lm, x);
    case BM_F_FRACT: return xprintf("(%s - mrs_%s_trunc(%s))", x, f, x);
    case BM_F_HYPOT: return xprintf("hypot%s(%s, %s)", lm, x, a[0]);
    case BM_F_ATAN2: return xprintf("atan2%s(%s, %s)", lm, x, a[0]);
    case BM_F_TO_DEGREES: return xprintf("(%s * (180.0%s / 3.14159265358979323846%s))", x, lm, lm);
    case BM_F_TO_RADIANS: return xprintf("(%s * (3.14159265358979323846%s / 180.0%s))", x, lm, lm);
    case BM_F_CLAMP: return xprintf("mrs_%s_min(mrs_%s_max(%s, %s), %s)", f, f, x, a[0], a[1]);
    case BM_F_MUL_ADD: return xprintf("fma%s(%s, %s, %s)", lm, x, a[0], a[1]);
    default: return NULL;
    }
}

static char *char_method(MethodRes *mr, const char *x, char **a, Expr *e)
{
    static const struct { BuiltinMethod bm; const char *fn; } simple[] = {
        {BM_C_IS_ALPHABETIC, "is_alphabetic"}, {BM_C_IS_NUMERIC, "is_numeric"},
        {BM_C_IS_ALPHANUMERIC, "is_alphanumeric"}, {BM_C_IS_WHITESPACE, "is_whitespace"},
        {BM_C_IS_UPPERCASE, "is_uppercase"}, {BM_C_IS_LOWERCASE, "is_lowercase"},
        {BM_C_IS_ASCII_DIGIT, "is_ascii_digit"}, {BM_C_IS_ASCII_ALPHABETIC, "is_ascii_alphabetic"},
        {BM_C_IS_ASCII_ALPHANUMERIC, "is_ascii_alphanumeric"}, {BM_C_IS_ASCII_UPPERCASE, "is_ascii_uppercase"},
        {BM_C_IS_ASCII_LOWERCASE, "is_ascii_lowercase"}, {BM_C_IS_ASCII_PUNCTUATION, "is_ascii_punctuation"},
        {BM_C_IS_ASCII_WHITESPACE, "is_ascii_whitespace"}, {BM_C_IS_ASCII, "is_ascii"},
        {BM_C_TO_ASCII_UPPERCASE, "to_ascii_uppercase"}, {BM_C_TO_ASCII_LOWERCASE, "to_ascii_lowercase"},
        {BM_C_LEN_UTF8, "len_utf8"}, {BM_C_IS_CONTROL, "is_control"},
    };
    for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++)
        if (simple[i].bm == mr->bm)
            return xprintf("mrs_char_%s(%s)", simple[i].fn, x);
    if (mr->bm == BM_C_IS_DIGIT)
        return xprintf("mrs_char_is_digit(%s, %s)", x, a[0]);
    if (mr->bm == BM_C_TO_DIGIT) {
        char *out = fresh("digit");
        char *ok = fresh("ok");
        emit("uint32_t %s = 0;", out);
        emit("bool %s = mrs_char_to_digit(%s, %s, &%s);", ok, x, a[0], out);
        return xprintf("(%s ? %s : %s)", ok, some(e->ty, out), none(e->ty));
    }
    if (mr->bm == BM_MAX || mr->bm == BM_MIN)
        return xprintf("(%s %s %s ? %s : %s)", x, mr->bm == BM_MAX ? ">" : "<", a[0], x, a[0]);
    return NULL;
}

/* ---- iterators ------------------------------------------------------------------------------------
 * An iterator expression (a range, `.iter()`, `.chars()`, `.enumerate()`,
 * `.rev()`, `&v`, `v` ...) is opened into local state variables, then
 * advanced by statements that `break` out of the enclosing `for (;;)` when
 * it is exhausted, or store the next item. */

typedef enum IgKind {
    IG_RANGE,      /* integers or chars a..b / a..=b */
    IG_PTR,        /* elements of a contiguous buffer, by reference or by value */
    IG_VEC_INTO,   /* a Vec by value (frees the buffer afterwards) */
    IG_RT,         /* a runtime iterator: MrsChars, MrsSplit, ... */
    IG_ENUMERATE,
    IG_USER,       /* a user type implementing Iterator: its `next` is called */
    IG_MAP,        /* inner.map(f): each item through the callable */
    IG_FILTER,     /* inner.filter(p): the items the callable accepts */
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
    char *count;         /* IG_ENUMERATE */
} IterGen;

static IterGen *iter_open(Expr *e, bool rev);

/* The `next` method of a user type's Iterator impl, or NULL. */
static FnDef *user_next(Type *t)
{
    for (int i = 0; i < cg->prog->impls.len; i++) {
        ImplDef *im = cg->prog->impls.items[i];
        if (im->self_ty != t || strcmp(im->trait->name, "Iterator"))
            continue;
        for (int k = 0; k < im->methods.len; k++)
            if (!strcmp(((FnDef *)im->methods.items[k])->name, "next"))
                return im->methods.items[k];
    }
    return NULL;
}

static IterGen *ig_new(IgKind k, Type *item, bool rev)
{
    IterGen *g = NEW(IterGen);
    g->kind = k;
    g->item = item;
    g->rev = rev;
    return g;
}

/* A contiguous buffer (Vec, array, slice) at place p of type t. */
static IterGen *ig_buffer(Type *t, const char *p, bool by_ref, bool mut, bool rev, Type *item)
{
    IterGen *g = ig_new(IG_PTR, item, rev);
    Type *el = t->kind == TY_REF ? t->args[0]->args[0] : t->args[0];
    g->by_ref = by_ref;
    g->ptr = fresh("p");
    g->end = fresh("n");
    g->cur = fresh("i");
    emit("%s%s = %s;", mut ? "" : "const ", decl(el, xprintf("*%s", g->ptr)), slice_ptr(t, p));
    emit("size_t %s = %s, %s = 0;", g->end, slice_len(t, p), g->cur);
    if (rev)
        emit("(void)%s; /* taken from the back: the front stays at 0 */", g->cur);
    return g;
}

static IterGen *iter_open_value(Expr *e, bool rev)
{
    Type *t = e->ty;
    Type *item;
    if (t->kind == TY_RANGE) {
        Expr *u = unparen(e);
        IterGen *g = ig_new(IG_RANGE, t->args[0], rev);
        g->inclusive = t->inclusive;
        char *lo, *hi;
        if (u->kind == EX_RANGE) {
            Expr *ops[2] = {u->lhs, u->rhs};
            char **v = cg_operands(ops, 2);
            lo = v[0];
            hi = v[1];
        } else {
            char *p = cg_lvalue(e);
            lo = member(p, "start");
            hi = member(p, "end");
        }
        g->cur = fresh(rev ? "lo" : "cur");
        g->end = fresh(rev ? "hi" : "end");
        emit("%s = %s, %s = %s;", decl(g->item, g->cur), lo, g->end, hi);
        if (g->inclusive) {
            g->more = fresh("more");
            emit("bool %s = %s <= %s;", g->more, g->cur, g->end);
        }
        return g;
    }
    if (t->kind == TY_REF) { /* &v, &mut v, &[T], &[T; N] */
        Type *in = t->args[0];
        item = ty_ref(in->kind == TY_SLICE || in->kind == TY_VEC || in->kind == TY_ARRAY ? in->args[0] : in, t->is_mut);
        char *v = cg_expr(e);
        if (is_fat_ref(t))
            return ig_buffer(t, is_ident_text(v) ? v : hoist(t, v, "s"), true, t->is_mut, rev, item);
        return ig_buffer(in, deref_text(v), true, t->is_mut, rev, item);
    }
    if (t->kind == TY_VEC) {
        IterGen *g = ig_new(IG_VEC_INTO, t->args[0], rev);
        g->ptr = hoist(t, cg_expr(e), "vec");
        g->cur = fresh("i");
        g->end = fresh("n");
        g->elem = t->args[0];
        emit("size_t %s = 0, %s = %s.len;", g->cur, g->end, g->ptr);
        return g;
    }
    if (t->kind == TY_ARRAY) {
        /* the loop owns the array: a value is not a temporary of the statement */
        char *p = is_place_expr(e) ? cg_lvalue(e) : hoist(t, cg_expr(e), "array");
        IterGen *g = ig_buffer(t, p, false, has_drop(t->args[0]), rev, t->args[0]);
        if (has_drop(t->args[0]))
            g->elem = t->args[0]; /* owned: the elements not taken are dropped after the loop */
        return g;
    }
    /* a user iterator: by value (moved into the loop) or through &mut */
    {
        Type *it = t->kind == TY_REF && t->is_mut ? t->args[0] : t;
        FnDef *next = it->kind == TY_ADT ? user_next(it) : NULL;
        if (next) {
            IterGen *g = ig_new(IG_USER, next->ret->args[0], rev);
            char *v = t == it ? cg_expr(e) : deref_text(cg_expr(e));
            g->state = t == it ? hoist(it, v, "iter") : v;
            g->ptr = (char *)next->cname;
            g->elem = next->ret;
            if (rev)
                not_supported(e->span, "`.rev()` on a user iterator");
            return g;
        }
    }
    /* an iterator variable */
    if (t->kind == TY_ITER) {
        char *p = cg_lvalue(e);
        if (t->iter_kind == ITER_SLICE || t->iter_kind == ITER_SLICE_MUT) {
            IterGen *g = ig_new(IG_PTR, t->args[0], rev);
            g->by_ref = true;
            g->ptr = member(p, "ptr");
            g->end = NULL;
            g->state = p;
            return g;
        }
        IterGen *g = ig_new(IG_RT, t->args[0], rev);
        g->state = p;
        g->rt_kind = t->iter_kind;
        return g;
    }
    not_supported(e->span, xprintf("iterating over `%s`", ty_str(t)));
    return NULL;
}

static IterGen *iter_open(Expr *e, bool rev)
{
    Expr *u = unparen(e);
    if (u->kind == EX_METHOD && u->sema) {
        MethodRes *mr = u->sema;
        switch (mr->bm) {
        case BM_IT_REV:
            return iter_open(u->operand, !rev);
        case BM_IT_MAP:
        case BM_IT_FILTER: {
            if (rev) {
                not_supported(u->name_span, "`rev` after a closure adaptor");
                return NULL;
            }
            IterGen *g = ig_new(mr->bm == BM_IT_MAP ? IG_MAP : IG_FILTER, u->ty->args[0], rev);
            g->inner = iter_open(u->operand, rev);
            if (!g->inner)
                return NULL;
            Expr *fe = u->args.items[0];
            g->fty = fe->ty;
            g->fn = callable_value(fe, cg_expr(fe));
            return g;
        }
        case BM_IT_ENUMERATE: {
            IterGen *g = ig_new(IG_ENUMERATE, u->ty->args[0], rev);
            g->inner = iter_open(u->operand, rev);
            if (!g->inner)
                return NULL;
            g->count = fresh("idx");
            if (!rev) {
                emit("size_t %s = 0;", g->count);
                return g;
            }
            /* from the back, each item keeps the index it has from the front */
            const char *len = g->inner->kind == IG_PTR ? g->inner->end
                              : g->inner->kind == IG_VEC_INTO           ? xprintf("%s - %s", g->inner->end, g->inner->cur)
                                                                        : NULL;
            if (!len) {
                not_supported(u->name_span, "`enumerate().rev()` over this iterator");
                return NULL;
            }
            emit("size_t %s = %s;", g->count, len);
            return g;
        }
        case BM_SL_ITER:
        case BM_SL_ITER_MUT: {
            char *p = recv_place(u, false);
            Type *b = mr->self_ty;
            if (b->kind == TY_SLICE) /* the receiver was a fat &[T] */
                b = u->operand->adjust && u->operand->adjust->derefs ? ty_ref(b, mr->bm == BM_SL_ITER_MUT) : b;
            return ig_buffer(b, p, true, mr->bm == BM_SL_ITER_MUT, rev, u->ty->args[0]);
        }
        case BM_VEC_INTO_ITER: {
            IterGen *g = ig_new(IG_VEC_INTO, mr->self_ty->args[0], rev);
            g->ptr = hoist(mr->self_ty, recv_place(u, true), "vec");
            g->cur = fresh("i");
            g->end = fresh("n");
            g->elem = mr->self_ty->args[0];
            emit("size_t %s = 0, %s = %s.len;", g->cur, g->end, g->ptr);
            return g;
        }
        case BM_S_CHARS: case BM_S_CHAR_INDICES: case BM_S_SPLIT: case BM_S_SPLIT_WHITESPACE: case BM_S_LINES:
        case BM_S_BYTES: {
            char *s = str_of(mr->self_ty, recv_place(u, false));
            if (mr->bm == BM_S_BYTES) {
                IterGen *g = ig_new(IG_PTR, ty_prim(TY_U8), rev);
                g->ptr = fresh("p");
                g->end = fresh("n");
                g->cur = fresh("i");
                char *sv = is_ident_text(s) ? s : hoist(ty_ref(ty_prim(TY_STR), false), s, "s");
                emit("const uint8_t *%s = %s.ptr;", g->ptr, sv);
                emit("size_t %s = %s.len, %s = 0;", g->end, sv, g->cur);
                return g;
            }
            IterGen *g = ig_new(IG_RT, u->ty->args[0], rev);
            g->rt_kind = u->ty->iter_kind;
            g->state = fresh("it");
            const char *init;
            switch (mr->bm) {
            case BM_S_CHARS: init = xprintf("MrsChars %s = mrs_str_chars(%s)", g->state, s); break;
            case BM_S_CHAR_INDICES: init = xprintf("MrsCharIndices %s = mrs_str_char_indices(%s)", g->state, s); break;
            case BM_S_SPLIT_WHITESPACE: init = xprintf("MrsSplitWs %s = mrs_str_split_whitespace(%s)", g->state, s); break;
            case BM_S_LINES: init = xprintf("MrsLines %s = mrs_str_lines(%s)", g->state, s); break;
            default: {
                Expr *pat = u->args.items[0];
                char *pv = cg_expr(pat);
                if (mr->aux && mr->aux->kind == TY_CHAR)
                    init = xprintf("MrsSplit %s = mrs_str_split_char(%s, %s)", g->state, s, pv);
                else
                    init = xprintf("MrsSplit %s = mrs_str_split(%s, %s)", g->state, s, str_value(pat->ty, pv));
            }
            }
            emit("%s;", init);
            return g;
        }
        default:
            break;
        }
    }
    return iter_open_value(e, rev);
}

/* Statements advancing g into `item` (declared by the caller), breaking out
 * of the enclosing loop when exhausted. */
static void iter_next(IterGen *g, const char *item)
{
    switch (g->kind) {
    case IG_RANGE:
        if (!g->inclusive) {
            if (g->rev) {
                emit("if (%s <= %s)", g->end, g->cur);
                emit("    break;");
                emit("%s = --%s;", item, g->end);
            } else {
                emit("if (%s >= %s)", g->cur, g->end);
                emit("    break;");
                emit("%s = %s++;", item, g->cur);
            }
        } else {
            emit("if (!%s)", g->more);
            emit("    break;");
            if (g->rev) {
                emit("%s = %s;", item, g->end);
                emit("if (%s == %s)\n%*s    %s = false;\n%*selse\n%*s    %s--;", g->end, g->cur, cg->indent * 4, "",
                     g->more, cg->indent * 4, "", cg->indent * 4, "", g->end);
            } else {
                emit("%s = %s;", item, g->cur);
                emit("if (%s == %s)\n%*s    %s = false;\n%*selse\n%*s    %s++;", g->cur, g->end, cg->indent * 4, "",
                     g->more, cg->indent * 4, "", cg->indent * 4, "", g->cur);
            }
        }
        break;
    case IG_PTR:
        if (g->state) { /* a slice iterator variable */
            emit("if (%s == %s)", member(g->state, "ptr"), member(g->state, "end"));
            emit("    break;");
            if (g->rev)
                emit("%s = --%s;", item, member(g->state, "end"));
            else
                emit("%s = %s++;", item, member(g->state, "ptr"));
            break;
        }
        if (g->rev) {
            emit("if (%s == 0)", g->end);
            emit("    break;");
            emit("%s = %s%s[--%s];", item, g->by_ref ? "&" : "", g->ptr, g->end);
        } else {
            emit("if (%s >= %s)", g->cur, g->end);
            emit("    break;");
            emit("%s = %s%s[%s++];", item, g->by_ref ? "&" : "", g->ptr, g->cur);
        }
        break;
    case IG_VEC_INTO:
        if (g->rev) {
            emit("if (%s == %s)", g->end, g->cur);
            emit("    break;");
            emit("%s = %s.ptr[--%s];", item, g->ptr, g->end);
        } else {
            emit("if (%s >= %s)", g->cur, g->end);
            emit("    break;");
            emit("%s = %s.ptr[%s++];", item, g->ptr, g->cur);
        }
        break;
    case IG_RT: {
        const char *st = g->state;
        switch (g->rt_kind) {
        case ITER_CHARS:
            emit("if (!mrs_chars_next%s(&%s, &%s))", g->rev ? "_back" : "", st, item);
            break;
        case ITER_CHAR_INDICES:
            emit("if (!mrs_char_indices_next%s(&%s, &%s._0, &%s._1))", g->rev ? "_back" : "", st, item, item);
            break;
        case ITER_SPLIT:
            emit("if (!mrs_split_next(&%s, &%s))", st, item);
            break;
        case ITER_SPLIT_WS:
            emit("if (!mrs_split_ws_next(&%s, &%s))", st, item);
            break;
        case ITER_LINES:
            emit("if (!mrs_lines_next(&%s, &%s))", st, item);
            break;
        default:
            emit("break;");
        }
        emit("    break;");
        break;
    }
    case IG_USER: {
        char *r = fresh("next");
        emit("%s = %s(%s);", decl(g->elem, r), g->ptr, addr_text(g->state));
        emit("if (%s.tag == %s_None)", r, mangle(g->elem));
        emit("    break;");
        emit("%s = %s.Some._0;", item, r);
        break;
    }
    case IG_MAP: {
        Type *inner_item = g->inner->item;
        char *x = fresh("x");
        emit("%s;", decl(inner_item, x));
        iter_next(g->inner, x);
        emit("%s = %s;", item, call_callable(g->fty, g->fn, x));
        break;
    }
    case IG_FILTER: {
        /* advance the inner iterator until the predicate accepts an item */
        char *found = fresh("found");
        emit("bool %s = false;", found);
        emit("for (;;) {");
        cg->indent++;
        iter_next(g->inner, item);
        emit("if (%s) {", call_callable(g->fty, g->fn, xprintf("&%s", item)));
        emit("    %s = true;", found);
        emit("    break;");
        emit("}");
        if (has_drop(g->item))
            emit_drop_place(g->item, item); /* rejected: dropped at once */
        cg->indent--;
        emit("}");
        emit("if (!%s)", found);
        emit("    break;");
        break;
    }
    case IG_ENUMERATE: {
        Type *inner_item = g->item->args[1];
        char *x = fresh("x");
        emit("%s;", decl(inner_item, x));
        iter_next(g->inner, x);
        emit("%s = (%s){%s%s%s, %s};", item, ctype(g->item), g->rev ? "--" : "", g->count, g->rev ? "" : "++", x);
        break;
    }
    }
}

/* After the loop: a Vec iterated by value frees its buffer, dropping the
 * items not yet taken. */
static void iter_close(IterGen *g)
{
    if (!g)
        return;
    if (g->kind == IG_ENUMERATE || g->kind == IG_MAP || g->kind == IG_FILTER) {
        iter_close(g->inner);
        return;
    }
    if (g->kind == IG_VEC_INTO) {
        if (has_drop(g->elem)) {
            emit("while (%s < %s)", g->cur, g->end);
            cg->indent++;
            emit_drop_place(g->elem, xprintf("%s.ptr[%s++]", g->ptr, g->cur));
            cg->indent--;
        }
        emit("mrs_vec_free(%s.ptr);", g->ptr);
    }
    if (g->kind == IG_PTR && g->elem) { /* an array by value */
        emit("while (%s < %s)", g->cur, g->end);
        cg->indent++;
        emit_drop_place(g->elem, xprintf("%s[%s++]", g->ptr, g->cur));
        cg->indent--;
    }
}

/* Run an iterator to the end: `body` formats one statement per item (with
 * %s the item variable); returns nothing. */
static void iter_consume(Expr *it_expr, Type *item, void (*body)(const char *item, void *ctx), void *ctx)
{
    open_block();
    IterGen *g = iter_open(it_expr, false);
    temps_push(); /* the iterable's temporaries live for the whole loop */
    if (g) {
        emit("for (;;) {");
        cg->indent++;
        char *x = fresh("item");
        emit("%s;", decl(item, x));
        iter_next(g, x);
        body(x, ctx);
        cg->indent--;
        emit("}");
        iter_close(g);
    }
    temps_pop();
    close_block();
}

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
} Acc;

static void acc_body(const char *item, void *vctx)
{
    Acc *a = vctx;
    Type *item_t = a->mr->elem;
    char *v = xstrdup(item);
    for (Type *x = item_t; x && x->kind == TY_REF && !is_fat_ref(x); x = x->args[0])
        v = deref_text(v);
    switch (a->bm) {
    case BM_IT_SUM:
        emit("%s = %s;", a->acc, arith(BIN_ADD, a->t, a->acc, v, a->span));
        break;
    case BM_IT_PRODUCT:
        emit("%s = %s;", a->acc, arith(BIN_MUL, a->t, a->acc, v, a->span));
        break;
    case BM_IT_COUNT:
        emit("(void)%s;", item);
        emit("%s++;", a->acc);
        break;
    case BM_IT_FOLD:
        emit("%s = %s;", a->acc, call_callable(a->fty, a->fn, xprintf("%s, %s", a->acc, item)));
        break;
    case BM_IT_ANY:
    case BM_IT_ALL:
        emit("if (%s%s) {", a->bm == BM_IT_ALL ? "!" : "", call_callable(a->fty, a->fn, item));
        emit("    %s = %s;", a->acc, a->bm == BM_IT_ANY ? "true" : "false");
        emit("    break;");
        emit("}");
        break;
    case BM_IT_FOR_EACH:
        emit("%s;", call_callable(a->fty, a->fn, item));
        break;
    case BM_IT_MAX:
    case BM_IT_MIN: {
        /* max keeps the last of equal elements, min the first (Iterator::max/min) */
        Type *t = item_t;
        char *cmp = cmp_places(t, item, xprintf("%s.Some._0", a->acc));
        emit("if (%s.tag == %s_None || %s %s 0)", a->acc, mangle(a->t), cmp, a->bm == BM_IT_MAX ? ">=" : "<");
        emit("    %s = %s;", a->acc, some(a->t, item));
        break;
    }
    case BM_IT_LAST:
        emit("%s = %s;", a->acc, some(a->t, item));
        break;
    case BM_IT_NTH:
        emit("if (%s++ == %s) {", a->flag, a->count);
        emit("    %s = %s;", a->acc, some(a->t, item));
        emit("    break;");
        emit("}");
        break;
    case BM_IT_COLLECT: {
        Type *t = a->t;
        if (t->kind == TY_STRING) {
            Type *it = item_t;
            if (it->kind == TY_CHAR)
                emit("mrs_string_push(&%s, %s);", a->acc, item);
            else if (it->kind == TY_STRING) {
                emit("mrs_string_push_str(&%s, mrs_string_as_str(&%s));", a->acc, item);
                emit("mrs_string_drop(&%s);", item);
            } else
                emit("mrs_string_push_str(&%s, %s);", a->acc, str_value(it, item));
        } else {
            emit("%s.ptr = mrs_vec_grow(%s.ptr, &%s.cap, sizeof *%s.ptr, %s.len + 1);", a->acc, a->acc, a->acc, a->acc,
                 a->acc);
            emit("%s.ptr[%s.len++] = %s;", a->acc, a->acc, item);
        }
        break;
    }
    default:
        break;
    }
}

static char *iter_method(Expr *e, MethodRes *mr)
{
    Acc a = {.mr = mr, .bm = mr->bm, .t = e->ty, .span = e->span};
    if (mr->self_ty->kind == TY_ITER || mr->self_ty->kind == TY_RANGE)
        mr->elem = mr->self_ty->args[0];
    switch (mr->bm) {
    case BM_IT_SUM:
    case BM_IT_PRODUCT:
        a.acc = fresh(mr->bm == BM_IT_SUM ? "sum" : "product");
        emit("%s = %s;", decl(e->ty, a.acc), mr->bm == BM_IT_SUM ? (ty_is_float(e->ty) ? "0.0" : "0") : "1");
        break;
    case BM_IT_COUNT:
        a.acc = fresh("count");
        emit("size_t %s = 0;", a.acc);
        break;
    case BM_IT_FOLD: {
        a.acc = fresh("folded");
        emit("%s = %s;", decl(e->ty, a.acc), cg_expr(e->args.items[0]));
        Expr *fe = e->args.items[1];
        a.fty = fe->ty;
        a.fn = callable_value(fe, cg_expr(fe));
        break;
    }
    case BM_IT_ANY:
    case BM_IT_ALL:
    case BM_IT_FOR_EACH: {
        Expr *fe = e->args.items[0];
        a.acc = mr->bm == BM_IT_FOR_EACH ? NULL : fresh(mr->bm == BM_IT_ANY ? "any" : "all");
        if (a.acc)
            emit("bool %s = %s;", a.acc, mr->bm == BM_IT_ANY ? "false" : "true");
        a.fty = fe->ty;
        a.fn = callable_value(fe, cg_expr(fe));
        break;
    }
    case BM_IT_MAX: case BM_IT_MIN: case BM_IT_LAST:
        a.acc = fresh(mr->bm == BM_IT_MAX ? "max" : mr->bm == BM_IT_MIN ? "min" : "last");
        emit("%s = %s;", decl(e->ty, a.acc), none(e->ty));
        break;
    case BM_IT_NTH:
        a.acc = fresh("nth");
        a.flag = fresh("seen");
        emit("%s = %s;", decl(e->ty, a.acc), none(e->ty));
        emit("size_t %s = 0;", a.flag);
        a.count = hoist(ty_prim(TY_USIZE), cg_expr(e->args.items[0]), "n");
        break;
    case BM_IT_COLLECT:
        a.acc = fresh("collected");
        emit("%s = %s;", decl(e->ty, a.acc), e->ty->kind == TY_STRING ? "mrs_string_new()" : xprintf("(%s){0}", ctype(e->ty)));
        break;
    case BM_IT_NEXT: {
        /* one step of an iterator variable */
        char *r = fresh("next");
        emit("%s = %s;", decl(e->ty, r), none(e->ty));
        emit("do {");
        cg->indent++;
        IterGen *g = iter_open_value(e->operand, false);
        if (g && e->operand->adjust && e->operand->adjust->derefs) {
            /* it.next() through &mut: the state lives behind the pointer */
        }
        char *x = fresh("x");
        emit("%s;", decl(e->ty->args[0], x));
        if (g)
            iter_next(g, x);
        emit("%s = %s;", r, some(e->ty, x));
        cg->indent--;
        emit("} while (0);");
        return r;
    }
    default:
        not_supported(e->name_span, xprintf("the iterator method `%s` here", e->name));
        return dummy(e->ty);
    }
    iter_consume(e->operand, mr->elem, acc_body, &a);
    return (char *)a.acc;
}

static char *str_method(Expr *e, MethodRes *mr, const char *s, char **a)
{
    Expr *arg0 = e->args.len ? e->args.items[0] : NULL;
    bool ch = mr->aux && mr->aux->kind == TY_CHAR;
    char *pat = arg0 && !ch ? str_value(arg0->ty, a[0]) : (arg0 ? a[0] : NULL);
    if (arg0 && !ch && arg0->adjust && arg0->adjust->coerce == CO_STRING_TO_STR)
        pat = a[0];
    switch (mr->bm) {
    case BM_S_LEN: case BM_STRING_LEN: return xprintf("%s.len", s[0] == 'm' ? hoist(ty_ref(ty_prim(TY_STR), false), s, "s") : s);
    case BM_S_IS_EMPTY: return xprintf("(%s.len == 0)", s[0] == 'm' ? hoist(ty_ref(ty_prim(TY_STR), false), s, "s") : s);
    case BM_S_TRIM: return xprintf("mrs_str_trim(%s)", s);
    case BM_S_TRIM_START: return xprintf("mrs_str_trim_start(%s)", s);
    case BM_S_TRIM_END: return xprintf("mrs_str_trim_end(%s)", s);
    case BM_S_STARTS_WITH: return xprintf("mrs_str_starts_with%s(%s, %s)", ch ? "_char" : "", s, pat);
    case BM_S_ENDS_WITH: return xprintf("mrs_str_ends_with%s(%s, %s)", ch ? "_char" : "", s, pat);
    case BM_S_CONTAINS: return xprintf("mrs_str_contains%s(%s, %s)", ch ? "_char" : "", s, pat);
    case BM_S_FIND: {
        char *out = fresh("pos");
        char *ok = fresh("found");
        emit("size_t %s = 0;", out);
        emit("bool %s = mrs_str_find%s(%s, %s, &%s);", ok, ch ? "_char" : "", s, pat, out);
        return xprintf("(%s ? %s : %s)", ok, some(e->ty, out), none(e->ty));
    }
    case BM_S_REPLACE: {
        Expr *arg1 = e->args.items[1];
        return xprintf("mrs_str_replace(%s, %s, %s)", s, str_value(arg0->ty, a[0]), str_value(arg1->ty, a[1]));
    }
    case BM_S_REPEAT: return xprintf("mrs_str_repeat(%s, %s)", s, a[0]);
    case BM_S_IS_CHAR_BOUNDARY: return xprintf("mrs_str_is_char_boundary(%s, %s)", s, a[0]);
    case BM_S_GET: {
        /* Some(&s[a..b]) when both ends are in bounds and on char boundaries */
        Expr *r = unparen(arg0);
        char *sv = is_ident_text(s) ? xstrdup(s) : hoist(ty_ref(ty_prim(TY_STR), false), s, "s");
        char *lo = r->kind == EX_RANGE && r->lhs ? hoist(ty_prim(TY_USIZE), cg_expr(r->lhs), "lo") : "0";
        char *hi = r->kind == EX_RANGE && r->rhs ? hoist(ty_prim(TY_USIZE), cg_expr(r->rhs), "hi") : xprintf("%s.len", sv);
        if (r->kind == EX_RANGE && r->inclusive)
            hi = xprintf("(%s + 1)", hi);
        char *ok = hoist(ty_prim(TY_BOOL),
                         xprintf("%s <= %s && %s <= %s.len && mrs_str_is_char_boundary(%s, %s) && mrs_str_is_char_boundary(%s, %s)",
                                 lo, hi, hi, sv, sv, lo, sv, hi), "in_bounds");
        return xprintf("(%s ? %s : %s)", ok, some(e->ty, xprintf("(MrsStr){%s.ptr + %s, %s - %s}", sv, lo, hi, lo)),
                       none(e->ty));
    }
    case BM_S_SPLIT_AT: {
        char *sv = is_ident_text(s) ? xstrdup(s) : hoist(ty_ref(ty_prim(TY_STR), false), s, "s");
        char *mid = is_ident_text(a[0]) ? a[0] : hoist(ty_prim(TY_USIZE), a[0], "mid");
        return xprintf("(%s){mrs_str_slice(%s, 0, %s, %s), mrs_str_slice_from(%s, %s, %s)}", ctype(e->ty), sv, mid,
                       loc(e->name_span), sv, mid, loc(e->name_span));
    }
    case BM_S_SPLIT_ONCE: {
        char *sv = is_ident_text(s) ? xstrdup(s) : hoist(ty_ref(ty_prim(TY_STR), false), s, "s");
        char *pv = ch ? a[0] : hoist(ty_ref(ty_prim(TY_STR), false), pat, "pat");
        char *at = fresh("at");
        char *ok = fresh("found");
        emit("size_t %s = 0;", at);
        emit("bool %s = mrs_str_find%s(%s, %s, &%s);", ok, ch ? "_char" : "", sv, pv, at);
        Type *tt = e->ty->args[0];
        const char *after = ch ? xprintf("%s + mrs_char_len_utf8(%s)", at, pv) : xprintf("%s + %s.len", at, pv);
        return xprintf("(%s ? %s : %s)", ok,
                       some(e->ty, xprintf("(%s){(MrsStr){%s.ptr, %s}, (MrsStr){%s.ptr + %s, %s.len - (%s)}}", ctype(tt), sv,
                                           at, sv, after, sv, after)),
                       none(e->ty));
    }
    case BM_S_TO_UPPERCASE: return xprintf("mrs_str_to_uppercase(%s)", s);
    case BM_S_TO_LOWERCASE: return xprintf("mrs_str_to_lowercase(%s)", s);
    case BM_S_TO_ASCII_UPPERCASE: return xprintf("mrs_str_to_ascii_uppercase(%s)", s);
    case BM_S_TO_ASCII_LOWERCASE: return xprintf("mrs_str_to_ascii_lowercase(%s)", s);
    case BM_S_AS_BYTES: {
        char *sv = is_ident_text(s) ? xstrdup(s) : hoist(ty_ref(ty_prim(TY_STR), false), s, "s");
        return xprintf("(%s){%s.ptr, %s.len}", ctype(e->ty), sv, sv);
    }
    case BM_S_EQ_IGNORE_ASCII_CASE: {
        char *x = hoist(ty_string(), xprintf("mrs_str_to_ascii_lowercase(%s)", s), "lower");
        char *y = hoist(ty_string(), xprintf("mrs_str_to_ascii_lowercase(%s)", pat), "lower");
        char *r = hoist(ty_prim(TY_BOOL), xprintf("mrs_str_eq(mrs_string_as_str(&%s), mrs_string_as_str(&%s))", x, y), "eq");
        emit("mrs_string_drop(&%s);", x);
        emit("mrs_string_drop(&%s);", y);
        return r;
    }
    case BM_S_PARSE: {
        Type *t = mr->aux;
        Type *rt = e->ty;
        char *r = fresh("parsed");
        char *kind = fresh("err");
        emit("%s;", decl(rt, r));
        if (ty_is_int(t)) {
            char *v = fresh("n");
            if (ty_is_signed(t)) {
                emit("int64_t %s = 0;", v);
                emit("int %s = mrs_parse_i64(%s, %s, %s, &%s);", kind, s, int_min_macro(t), int_max_macro(t), v);
            } else {
                emit("uint64_t %s = 0;", v);
                emit("int %s = mrs_parse_u64(%s, %s, &%s);", kind, s, int_max_macro(t), v);
            }
            emit("if (%s == MRS_PARSE_OK)", kind);
            emit("    %s = (%s){.tag = %s_Ok, .Ok = {(%s)%s}};", r, ctype(rt), mangle(rt), prim_c[t->kind], v);
        } else if (ty_is_float(t)) {
            char *v = fresh("x");
            emit("%s = 0;", decl(t, v));
            emit("int %s = mrs_parse_%s(%s, &%s);", kind, prim_mangle[t->kind], s, v);
            emit("if (%s == MRS_PARSE_OK)", kind);
            emit("    %s = (%s){.tag = %s_Ok, .Ok = {%s}};", r, ctype(rt), mangle(rt), v);
        } else if (t->kind == TY_BOOL) {
            char *v = fresh("b");
            emit("bool %s = false;", v);
            emit("int %s = mrs_parse_bool(%s, &%s);", kind, s, v);
            emit("if (%s == MRS_PARSE_OK)", kind);
            emit("    %s = (%s){.tag = %s_Ok, .Ok = {%s}};", r, ctype(rt), mangle(rt), v);
        } else if (t->kind == TY_CHAR) {
            char *sv = is_ident_text(s) ? xstrdup(s) : hoist(ty_ref(ty_prim(TY_STR), false), s, "s");
            char *v = fresh("ch");
            emit("uint32_t %s = 0;", v);
            emit("int %s = %s.len == 0 ? 1 : mrs_str_char_count(%s) != 1 ? 2 : 0; /* EmptyString, TooManyChars */",
                 kind, sv, sv);
            emit("if (%s == 0)", kind);
            emit("    (void)mrs_utf8_decode(%s.ptr, &%s);", sv, v);
            emit("if (%s == MRS_PARSE_OK)", kind);
            emit("    %s = (%s){.tag = %s_Ok, .Ok = {%s}};", r, ctype(rt), mangle(rt), v);
        } else {
            not_supported(e->span, xprintf("parsing into `%s`", ty_str(t)));
            return dummy(e->ty);
        }
        emit("else");
        emit("    %s = (%s){.tag = %s_Err, .Err = {{%s}}};", r, ctype(rt), mangle(rt), kind);
        return r;
    }
    default:
        return NULL;
    }
}

static char *string_method(Expr *e, MethodRes *mr, const char *p, char **a)
{
    char *ap = addr_text(p);
    switch (mr->bm) {
    case BM_STRING_PUSH: emit("mrs_string_push(%s, %s);", ap, a[0]); return NULL;
    case BM_STRING_PUSH_STR: emit("mrs_string_push_str(%s, %s);", ap, a[0]); return NULL;
    case BM_STRING_INSERT: emit("mrs_string_insert(%s, %s, %s, %s);", ap, a[0], a[1], loc(e->name_span)); return NULL;
    case BM_STRING_INSERT_STR:
        emit("mrs_string_insert_str(%s, %s, %s, %s);", ap, a[0], a[1], loc(e->name_span));
        return NULL;
    case BM_STRING_CLEAR: emit("mrs_string_clear(%s);", ap); return NULL;
    case BM_STRING_TRUNCATE: emit("mrs_string_truncate(%s, %s, %s);", ap, a[0], loc(e->name_span)); return NULL;
    case BM_STRING_REMOVE: return xprintf("mrs_string_remove(%s, %s, %s)", ap, a[0], loc(e->name_span));
    case BM_STRING_AS_STR: return xprintf("mrs_string_as_str(%s)", ap);
    case BM_STRING_CAPACITY: return member(p, "cap");
    case BM_STRING_POP: {
        char *c = fresh("ch");
        char *ok = fresh("popped");
        emit("uint32_t %s = 0;", c);
        emit("bool %s = mrs_string_pop(%s, &%s);", ok, ap, c);
        return xprintf("(%s ? %s : %s)", ok, some(e->ty, c), none(e->ty));
    }
    default:
        return NULL;
    }
}

static char *vec_method(Expr *e, MethodRes *mr, const char *p, char **a)
{
    Type *vt = mr->self_ty;
    Type *el = vt->args[0];
    char *ptr = member(p, "ptr"), *len = member(p, "len"), *cap = member(p, "cap");
    switch (mr->bm) {
    case BM_VEC_PUSH: {
        /* the value first: it may read the Vec (`v.push(v.len())`) */
        char *val = is_ident_text(a[0]) || isdigit((unsigned char)a[0][0]) ? a[0] : hoist(el, a[0], "pushed");
        emit("%s = mrs_vec_grow(%s, &%s, sizeof *%s, %s + 1);", ptr, ptr, cap, ptr, len);
        emit("%s[%s++] = %s;", ptr, len, val);
        return NULL;
    }
    case BM_VEC_POP:
        return xprintf("(%s > 0 ? %s : %s)", len, some(e->ty, xprintf("%s[--%s]", ptr, len)), none(e->ty));
    case BM_VEC_INSERT: {
        char *ix = is_ident_text(a[0]) ? a[0] : hoist(ty_prim(TY_USIZE), a[0], "at");
        emit("if (%s > %s)", ix, len);
        emit("    mrs_panic_vec_insert(%s, %s, %s);", loc(e->name_span), ix, len);
        emit("%s = mrs_vec_grow(%s, &%s, sizeof *%s, %s + 1);", ptr, ptr, cap, ptr, len);
        emit("memmove(&%s[%s + 1], &%s[%s], (%s - %s) * sizeof *%s);", ptr, ix, ptr, ix, len, ix, ptr);
        emit("%s[%s] = %s;", ptr, ix, a[1]);
        emit("%s++;", len);
        return NULL;
    }
    case BM_VEC_REMOVE:
    case BM_VEC_SWAP_REMOVE: {
        char *ix = is_ident_text(a[0]) ? a[0] : hoist(ty_prim(TY_USIZE), a[0], "at");
        emit("if (%s >= %s)", ix, len);
        if (mr->bm == BM_VEC_REMOVE)
            emit("    mrs_panic_vec_remove(%s, %s, %s);", loc(e->name_span), ix, len);
        else
            emit("    mrs_panic_vec_swap_remove(%s, %s);", ix, len);
        char *r = hoist(el, xprintf("%s[%s]", ptr, ix), "removed");
        if (mr->bm == BM_VEC_REMOVE)
            emit("memmove(&%s[%s], &%s[%s + 1], (%s - %s - 1) * sizeof *%s);", ptr, ix, ptr, ix, len, ix, ptr);
        else
            emit("%s[%s] = %s[%s - 1];", ptr, ix, ptr, len);
        emit("%s--;", len);
        return r;
    }
    case BM_VEC_TRUNCATE:
    case BM_VEC_CLEAR: {
        const char *n = mr->bm == BM_VEC_CLEAR ? "0" : a[0];
        if (has_drop(el)) {
            /* the length first, then the tail's elements in order */
            const char *nv = is_ident_text(n) || !strcmp(n, "0") ? n : hoist(ty_prim(TY_USIZE), n, "new_len");
            emit("if (%s > %s) {", len, nv);
            cg->indent++;
            emit("size_t old_len = %s;", len);
            emit("%s = %s;", len, nv);
            emit("for (size_t i = %s; i < old_len; i++)", nv);
            cg->indent++;
            emit_drop_place(el, xprintf("%s[i]", ptr));
            cg->indent -= 2;
            emit("}");
        } else {
            emit("if (%s > %s)", len, n);
            emit("    %s = %s;", len, n);
        }
        return NULL;
    }
    case BM_VEC_EXTEND_FROM_SLICE: {
        char *s = is_ident_text(a[0]) ? a[0] : hoist(((Expr *)e->args.items[0])->adjust
                                                         ? ((Expr *)e->args.items[0])->adjust->target
                                                         : ((Expr *)e->args.items[0])->ty, a[0], "src");
        emit("%s = mrs_vec_grow(%s, &%s, sizeof *%s, %s + %s.len);", ptr, ptr, cap, ptr, len, s);
        emit("for (size_t i = 0; i < %s.len; i++)", s);
        emit("    %s[%s++] = %s;", ptr, len, clone_place(el, xprintf("%s.ptr[i]", s)));
        return NULL;
    }
    case BM_VEC_DEDUP: {
        emit("if (%s > 1) {", len);
        cg->indent++;
        emit("size_t kept = 1;");
        emit("for (size_t i = 1; i < %s; i++) {", len);
        cg->indent++;
        emit("if (%s)", eq_places(el, xprintf("%s[i]", ptr), xprintf("%s[kept - 1]", ptr)));
        cg->indent++;
        if (has_drop(el))
            emit_drop_place(el, xprintf("%s[i]", ptr));
        else
            emit("continue;");
        cg->indent--;
        if (has_drop(el)) {
            emit("else");
            emit("    %s[kept++] = %s[i];", ptr, ptr);
        } else {
            emit("%s[kept++] = %s[i];", ptr, ptr);
        }
        cg->indent--;
        emit("}");
        emit("%s = kept;", len);
        cg->indent--;
        emit("}");
        return NULL;
    }
    case BM_VEC_RETAIN: {
        /* keep the elements the fn accepts, in order; drop the others */
        Expr *fe = e->args.items[0];
        char *fv = callable_value(fe, a[0]);
        char *keep = fresh("kept");
        emit("size_t %s = 0;", keep);
        emit("for (size_t i = 0; i < %s; i++) {", len);
        cg->indent++;
        emit("if (%s)", call_callable(fe->ty, fv, xprintf("&%s[i]", ptr)));
        emit("    %s[%s++] = %s[i];", ptr, keep, ptr);
        if (has_drop(el)) {
            emit("else");
            cg->indent++;
            emit_drop_place(el, xprintf("%s[i]", ptr));
            cg->indent--;
        }
        cg->indent--;
        emit("}");
        emit("%s = %s;", len, keep);
        return NULL;
    }
    case BM_VEC_CAPACITY: return cap;
    case BM_VEC_AS_SLICE: return xprintf("(%s){%s, %s}", ctype(e->ty), ptr, len);
    default:
        return NULL;
    }
}


/* A callable argument of a std method, ready to call: a closure value goes
 * to a temporary (its env, called by pointer; dropped at the end of the
 * statement when it owns something), a fn item or pointer stays as it is. */
static char *callable_value(Expr *fe, char *v)
{
    Type *t = fe->ty;
    if (t->kind != TY_CLOSURE)
        return v;
    char *tmp = is_ident_text(v) ? v : hoist(t, v, "closure");
    if (has_drop(t) && t->clo->kind != FN_ONCE)
        add_pending(t, tmp);
    return tmp;
}

/* The call of a callable `fv` of type t (see callable_value) with `args`. */
static char *call_callable(Type *t, const char *fv, const char *args)
{
    if (t->kind == TY_CLOSURE)
        return xprintf("%s_%s(&%s%s%s)", mangle(t), call_suffix[t->clo->kind], fv, *args ? ", " : "", args);
    return xprintf("%s(%s)", fv, args);
}

/* A stable merge sort typed for element type el: insertion sort on runs of
 * 16, then bottom-up merges through a buffer. Plain `sort` compares by the
 * element's Ord, inline; `sort_by`/`sort_by_key` (fty set) compare through a
 * helper `NAME_le` that calls `callee`, the user's fn or closure (reached
 * through the parameter `f` when by_ptr), with the keys it returns if key. */
static void typed_sort(const char *name, Type *el, Type *fty, Type *key, const char *callee, bool by_ptr)
{
    if (helper_done(name))
        return;
    const char *ct = ctype(el);
    const char *fparam = by_ptr ? decl(ty_ref(fty, fty->kind == TY_CLOSURE && fty->clo->kind != FN_FN), "f")
                                : "const void *f";
    if (fty) {
        Saved lsv;
        StrBuf *lb = begin_helper(xprintf("bool %s_le(%sa, %sb, %s)", name, pointer_to(ct, true),
                                          pointer_to(ct, true), fparam), &lsv);
        if (!by_ptr)
            emit("(void)f;");
        if (key) {
            emit("%s = %s;", decl(key, "ka"), call_callable(fty, callee, "a"));
            emit("%s = %s;", decl(key, "kb"), call_callable(fty, callee, "b"));
            emit("bool le = %s <= 0;", cmp_places(key, "ka", "kb"));
            emit_drop_place(key, "ka");
            emit_drop_place(key, "kb");
            emit("return le;");
        } else {
            emit("return %s.tag != %s_Greater;", call_callable(fty, callee, "a, b"),
                 mangle(ty_adt(cg->prog->ordering, NULL, 0)));
        }
        end_helper(lb, &lsv);
    }
    Saved sv;
    StrBuf *hb = begin_helper(fty ? xprintf("void %s(%sv, size_t n, %s)", name, pointer_to(ct, false), fparam)
                                  : xprintf("void %s(%sv, size_t n)", name, pointer_to(ct, false)),
                              &sv);
#define LESS_EQ(A, B) (fty ? xprintf("%s_le(&%s, &%s, f)", name, A, B) : xprintf("%s <= 0", cmp_places(el, A, B)))
    emit("for (size_t lo = 0; lo < n; lo += 16) {");
    emit("    size_t hi = lo + 16 < n ? lo + 16 : n;");
    emit("    for (size_t i = lo + 1; i < hi; i++) {");
    emit("        %s = v[i];", decl(el, "x"));
    emit("        size_t j = i;");
    emit("        while (j > lo && !(%s)) {", LESS_EQ("v[j - 1]", "x"));
    emit("            v[j] = v[j - 1];");
    emit("            j--;");
    emit("        }");
    emit("        v[j] = x;");
    emit("    }");
    emit("}");
    emit("if (n <= 16)");
    emit("    return;");
    emit("%stmp = mrs_vec_alloc(n, sizeof *v);", pointer_to(ct, false));
    emit("%ssrc = v, *dst = tmp;", pointer_to(ct, false));
    emit("for (size_t w = 16; w < n; w *= 2) {");
    emit("    for (size_t lo = 0; lo < n; lo += 2 * w) {");
    emit("        size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;");
    emit("        size_t i = lo, j = mid, k = lo;");
    emit("        while (i < mid && j < hi)");
    emit("            dst[k++] = %s ? src[i++] : src[j++];", LESS_EQ("src[i]", "src[j]"));
    emit("        while (i < mid)");
    emit("            dst[k++] = src[i++];");
    emit("        while (j < hi)");
    emit("            dst[k++] = src[j++];");
    emit("    }");
    emit("    %st = src;", pointer_to(ct, false));
    emit("    src = dst;");
    emit("    dst = t;");
    emit("}");
    emit("if (src != v)");
    emit("    memcpy(v, src, n * sizeof *v);");
    emit("mrs_vec_free(tmp);");
#undef LESS_EQ
    end_helper(hb, &sv);
}

static char *slice_method(Expr *e, MethodRes *mr, const char *p, char **a)
{
    Type *b = mr->self_ty;
    Type *el = b->args[0];
    /* a fat &[T] receiver: the place is the slice value itself */
    char *ptr = slice_ptr(b, p), *len = slice_len(b, p);
    switch (mr->bm) {
    case BM_SL_LEN: return len;
    case BM_SL_IS_EMPTY: return xprintf("(%s == 0)", len);
    case BM_SL_FIRST: return xprintf("(%s > 0 ? %s : %s)", len, some(e->ty, xprintf("&%s[0]", ptr)), none(e->ty));
    case BM_SL_LAST:
        return xprintf("(%s > 0 ? %s : %s)", len, some(e->ty, xprintf("&%s[%s - 1]", ptr, len)), none(e->ty));
    case BM_SL_GET: {
        char *ix = is_ident_text(a[0]) ? a[0] : hoist(ty_prim(TY_USIZE), a[0], "at");
        return xprintf("(%s < %s ? %s : %s)", ix, len, some(e->ty, xprintf("&%s[%s]", ptr, ix)), none(e->ty));
    }
    case BM_SL_SPLIT_AT: {
        char *mid = is_ident_text(a[0]) ? a[0] : hoist(ty_prim(TY_USIZE), a[0], "mid");
        Type *st = e->ty->args[0];
        emit("if (%s > %s)", mid, len);
        emit("    mrs_panic_cstr(%s, \"mid > len\");", loc(e->name_span));
        return xprintf("(%s){(%s){%s, %s}, (%s){%s + %s, %s - %s}}", ctype(e->ty), ctype(st), ptr, mid, ctype(st), ptr,
                       mid, len, mid);
    }
    case BM_SL_CONTAINS: {
        char *r = fresh("found");
        emit("bool %s = false;", r);
        char *x = deref_text(a[0]);
        emit("for (size_t i = 0; i < %s && !%s; i++)", len, r);
        emit("    %s = %s;", r, eq_places(el, xprintf("%s[i]", ptr), x));
        return r;
    }
    case BM_SL_SORT:
    case BM_SL_SORT_UNSTABLE: {
        /* a stable merge sort typed for the element, comparisons inlined */
        const char *name = xprintf("sort_%s", mangle(el));
        typed_sort(name, el, NULL, NULL, NULL, false);
        emit("%s(%s, %s);", name, ptr, len);
        return NULL;
    }
    case BM_SL_SORT_BY:
    case BM_SL_SORT_BY_KEY: {
        /* the same typed merge sort, comparing through the user's fn or closure */
        Expr *fe = e->args.items[0];
        const char *name = xprintf("sort_by_%s_%d", mangle(el), ++cg->label_id);
        bool direct = is_ident_text(a[0]) && unparen(fe)->kind == EX_PATH && unparen(fe)->def &&
                      unparen(fe)->def->kind == DEF_FN;
        char *fv = direct ? a[0] : fe->ty->kind == TY_CLOSURE ? callable_value(fe, a[0]) : hoist(fe->ty, a[0], "by");
        typed_sort(name, el, fe->ty, mr->bm == BM_SL_SORT_BY_KEY ? mr->aux : NULL, direct ? a[0] : "(*f)", !direct);
        if (direct)
            emit("%s(%s, %s, NULL);", name, ptr, len);
        else
            emit("%s(%s, %s, &%s);", name, ptr, len, fv);
        return NULL;
    }
    case BM_SL_REVERSE:
        emit("for (size_t i = 0, j = %s; i + 1 < j; i++, j--) {", len);
        emit("    %s = %s[i];", decl(el, "t"), ptr);
        emit("    %s[i] = %s[j - 1];", ptr, ptr);
        emit("    %s[j - 1] = t;", ptr);
        emit("}");
        return NULL;
    case BM_SL_SWAP: {
        char *i = hoist(ty_prim(TY_USIZE), xprintf("mrs_idx(%s, %s, %s)", a[0], len, loc(e->name_span)), "i");
        char *j = hoist(ty_prim(TY_USIZE), xprintf("mrs_idx(%s, %s, %s)", a[1], len, loc(e->name_span)), "j");
        char *t = hoist(el, xprintf("%s[%s]", ptr, i), "t");
        emit("%s[%s] = %s[%s];", ptr, i, ptr, j);
        emit("%s[%s] = %s;", ptr, j, t);
        return NULL;
    }
    case BM_SL_TO_VEC: {
        Type *vt = e->ty;
        char *r = fresh("vec");
        emit("%s = {mrs_vec_alloc(%s, sizeof(%s)), %s, %s};", decl(vt, r), len, ctype(el), len, len);
        emit("for (size_t i = 0; i < %s; i++)", len);
        emit("    %s.ptr[i] = %s;", r, clone_place(el, xprintf("%s[i]", ptr)));
        return r;
    }
    case BM_SL_JOIN:
    case BM_SL_CONCAT: {
        char *r = fresh("joined");
        emit("MrsString %s = mrs_string_new();", r);
        emit("for (size_t i = 0; i < %s; i++) {", len);
        if (mr->bm == BM_SL_JOIN)
            emit("    if (i > 0)\n%*s        mrs_string_push_str(&%s, %s);", cg->indent * 4, "", r, a[0]);
        emit("    mrs_string_push_str(&%s, %s);", r, str_value(el, xprintf("%s[i]", ptr)));
        emit("}");
        return r;
    }
    default:
        return NULL;
    }
}

/* `cond ? yes : no` for an owned value: each arm drops what it leaves behind
 * (ydrop, of type yt, when cond holds; ndrop, of type nt, when it does not). */
static char *owned_choice(Type *t, const char *cond, const char *yes, Type *yt, const char *ydrop, const char *no,
                          Type *nt, const char *ndrop)
{
    if (!(ydrop && has_drop(yt)) && !(ndrop && has_drop(nt)))
        return xprintf("(%s ? %s : %s)", cond, yes, no);
    char *out = fresh("val");
    emit("%s;", decl(t, out));
    emit("if (%s) {", cond);
    cg->indent++;
    emit("%s = %s;", out, yes);
    if (ydrop)
        emit_drop_place(yt, ydrop);
    cg->indent--;
    emit("} else {");
    cg->indent++;
    if (ndrop)
        emit_drop_place(nt, ndrop);
    emit("%s = %s;", out, no);
    cg->indent--;
    emit("}");
    return out;
}

/* An argument that may be dropped unused: kept in a variable. */
static char *droppable_arg(Type *t, char *v)
{
    return has_drop(t) && !is_ident_text(v) ? hoist(t, v, "arg") : v;
}

static char *option_method(Expr *e, MethodRes *mr, char *p, char **a)
{
    Type *ot = mr->self_ty;
    const char *on = mangle(ot);
    switch (mr->bm) {
    case BM_OPT_IS_SOME: return xprintf("(%s.tag == %s_Some)", p, on);
    case BM_OPT_IS_NONE: return xprintf("(%s.tag == %s_None)", p, on);
    case BM_OPT_UNWRAP: return opt_unwrap(e, ot, once(ot, p), NULL);
    case BM_OPT_EXPECT: return opt_unwrap(e, ot, once(ot, p), a[0]);
    case BM_OPT_UNWRAP_OR: {
        char *v = once(ot, p);
        char *d = droppable_arg(e->ty, a[0]);
        return owned_choice(e->ty, xprintf("%s.tag == %s_Some", v, on), xprintf("%s.Some._0", v), e->ty, d, d, NULL,
                            NULL);
    }
    case BM_OPT_UNWRAP_OR_DEFAULT: {
        char *v = once(ot, p);
        return xprintf("(%s.tag == %s_Some ? %s.Some._0 : %s)", v, on, v, default_expr(e->ty));
    }
    case BM_OPT_OR: {
        char *v = once(ot, p);
        char *d = droppable_arg(ot, a[0]);
        return owned_choice(ot, xprintf("%s.tag == %s_Some", v, on), v, ot, d, d, NULL, NULL);
    }
    case BM_OPT_MAP: {
        char *v = once(ot, p);
        Expr *fe = e->args.items[0];
        char *fv = callable_value(fe, a[0]);
        return xprintf("(%s.tag == %s_Some ? %s : %s)", v, on,
                       some(e->ty, call_callable(fe->ty, fv, xprintf("%s.Some._0", v))), none(e->ty));
    }
    case BM_OPT_AND_THEN: {
        char *v = once(ot, p);
        Expr *fe = e->args.items[0];
        char *fv = callable_value(fe, a[0]);
        return xprintf("(%s.tag == %s_Some ? %s : %s)", v, on, call_callable(fe->ty, fv, xprintf("%s.Some._0", v)),
                       none(e->ty));
    }
    case BM_OPT_UNWRAP_OR_ELSE: {
        char *v = once(ot, p);
        Expr *fe = e->args.items[0];
        char *fv = callable_value(fe, a[0]);
        return xprintf("(%s.tag == %s_Some ? %s.Some._0 : %s)", v, on, v, call_callable(fe->ty, fv, ""));
    }
    case BM_OPT_TAKE: {
        char *old = hoist(ot, p, "taken");
        emit("%s = %s;", p, none(ot));
        return old;
    }
    case BM_OPT_AS_REF:
    case BM_OPT_AS_MUT:
        return xprintf("(%s.tag == %s_Some ? %s : %s)", p, on, some(e->ty, xprintf("&%s.Some._0", p)), none(e->ty));
    case BM_OPT_OK_OR: {
        char *v = once(ot, p);
        Type *rt = e->ty;
        char *d = droppable_arg(rt->args[1], a[0]);
        return owned_choice(rt, xprintf("%s.tag == %s_Some", v, on),
                            xprintf("(%s){.tag = %s_Ok, .Ok = {%s.Some._0}}", ctype(rt), mangle(rt), v), rt->args[1], d,
                            xprintf("(%s){.tag = %s_Err, .Err = {%s}}", ctype(rt), mangle(rt), d), NULL, NULL);
    }
    case BM_OPT_COPIED:
    case BM_OPT_CLONED: {
        char *v = once(ot, p);
        Type *in = ot->args[0]->kind == TY_REF ? ot->args[0]->args[0] : ot->args[0];
        return xprintf("(%s.tag == %s_Some ? %s : %s)", v, on, some(e->ty, clone_place(in, deref_text(xprintf("%s.Some._0", v)))),
                       none(e->ty));
    }
    default:
        return NULL;
    }
}

static char *result_method(Expr *e, MethodRes *mr, char *p, char **a)
{
    Type *rt = mr->self_ty;
    const char *rn = mangle(rt);
    switch (mr->bm) {
    case BM_RES_IS_OK: return xprintf("(%s.tag == %s_Ok)", p, rn);
    case BM_RES_IS_ERR: return xprintf("(%s.tag == %s_Err)", p, rn);
    case BM_RES_UNWRAP: return res_unwrap(e, rt, once(rt, p), NULL, false);
    case BM_RES_EXPECT: return res_unwrap(e, rt, once(rt, p), a[0], false);
    case BM_RES_UNWRAP_ERR: return res_unwrap(e, rt, once(rt, p), NULL, true);
    case BM_RES_MAP:
    case BM_RES_MAP_ERR: {
        char *v = once(rt, p);
        Type *nt = e->ty;
        Expr *fe = e->args.items[0];
        char *fv = callable_value(fe, a[0]);
        if (mr->bm == BM_RES_MAP)
            return xprintf("(%s.tag == %s_Ok ? (%s){.tag = %s_Ok, .Ok = {%s}} : (%s){.tag = %s_Err, .Err = {%s.Err._0}})",
                           v, rn, ctype(nt), mangle(nt), call_callable(fe->ty, fv, xprintf("%s.Ok._0", v)), ctype(nt),
                           mangle(nt), v);
        return xprintf("(%s.tag == %s_Ok ? (%s){.tag = %s_Ok, .Ok = {%s.Ok._0}} : (%s){.tag = %s_Err, .Err = {%s}})",
                       v, rn, ctype(nt), mangle(nt), v, ctype(nt), mangle(nt),
                       call_callable(fe->ty, fv, xprintf("%s.Err._0", v)));
    }
    case BM_RES_UNWRAP_OR_ELSE: {
        char *v = once(rt, p);
        Expr *fe = e->args.items[0];
        char *fv = callable_value(fe, a[0]);
        return xprintf("(%s.tag == %s_Ok ? %s.Ok._0 : %s)", v, rn, v, call_callable(fe->ty, fv, xprintf("%s.Err._0", v)));
    }
    case BM_RES_UNWRAP_OR: {
        char *v = once(rt, p);
        char *d = droppable_arg(e->ty, a[0]);
        return owned_choice(e->ty, xprintf("%s.tag == %s_Ok", v, rn), xprintf("%s.Ok._0", v), e->ty, d, d, rt->args[1],
                            xprintf("%s.Err._0", v));
    }
    case BM_RES_UNWRAP_OR_DEFAULT: {
        char *v = once(rt, p);
        return xprintf("(%s.tag == %s_Ok ? %s.Ok._0 : %s)", v, rn, v, default_expr(e->ty));
    }
    case BM_RES_OK: {
        char *v = once(rt, p);
        return owned_choice(e->ty, xprintf("%s.tag == %s_Ok", v, rn), some(e->ty, xprintf("%s.Ok._0", v)), NULL, NULL,
                            none(e->ty), rt->args[1], xprintf("%s.Err._0", v));
    }
    case BM_RES_ERR: {
        char *v = once(rt, p);
        return owned_choice(e->ty, xprintf("%s.tag == %s_Err", v, rn), some(e->ty, xprintf("%s.Err._0", v)), NULL,
                            NULL, none(e->ty), rt->args[0], xprintf("%s.Ok._0", v));
    }
    default:
        return NULL;
    }
}

/* to_string(): Display into a new String. */
static char *to_string(Type *t, const char *place)
{
    char *s = fresh("text");
    emit("MrsString %s = mrs_string_new();", s);
    emit("{");
    emit("    MrsFormatter fmt = mrs_fmt_new(&%s);", s);
    cg->indent++;
    fmt_place("&fmt", t, FT_DISPLAY, place);
    cg->indent--;
    emit("}");
    return s;
}

static char *cg_method(Expr *e)
{
    MethodRes *mr = e->sema;
    Adjust *adj = e->operand->adjust;
    int autoref = adj ? adj->autoref : 0;
    if (mr->fn && mr->dynamic) {
        /* dynamic dispatch: the call goes through the object's vtable */
        char *p = recv_place(e, false);
        char **a = cg_args(&e->args);
        Type *ft = e->operand->ty;
        while (ft->kind == TY_REF && !is_fat_ref(ft))
            ft = ft->args[0];
        char *obj = is_ident_text(p) ? p : hoist(ft, p, "obj");
        return call_result(e->ty, xprintf("%s.vtable->%s(%s)", obj, mr->fn->name,
                                          join_args(a, e->args.len, xprintf("%s.data", obj))));
    }
    if (mr->fn) {
        FnDef *f = mr->fn;
        char *p = recv_place(e, autoref == 0);
        char *self = autoref ? addr_text(p) : p;
        char **a = cg_args(&e->args);
        const char *fname = mr->inst && mr->inst->n ? inst_name(f, mr->inst->args, mr->inst->n) : f->cname;
        return call_result(e->ty, xprintf("%s(%s)", fname, join_args(a, e->args.len, self)));
    }
    Type *b = mr->self_ty;
    switch (mr->bm) {
    case BM_CLONE:
    case BM_TO_OWNED: {
        char *p = recv_place(e, false);
        if (b->kind == TY_STR)
            return xprintf("mrs_string_from(%s)", p);
        if (b->kind == TY_SLICE) {
            MethodRes fake = *mr;
            fake.bm = BM_SL_TO_VEC;
            return slice_method(e, &fake, p, NULL);
        }
        return clone_place(b, p);
    }
    case BM_TO_STRING: {
        char *p = recv_place(e, false);
        if (b->kind == TY_STR)
            return xprintf("mrs_string_from(%s)", p);
        if (b->kind == TY_STRING)
            return xprintf("mrs_string_clone(%s)", addr_text(p));
        return to_string(b, p);
    }
    case BM_FMT_DISPLAY_FWD:
    case BM_FMT_DEBUG_FWD: {
        /* x.fmt(f): format x through the caller's formatter, its width and fill included */
        char *p = recv_place(e, false);
        char *fv = cg_expr(e->args.items[0]);
        fmt_place(fv, b, mr->bm == BM_FMT_DEBUG_FWD ? FT_DEBUG : FT_DISPLAY, p);
        return xprintf("(%s){.tag = %s_Ok}", ctype(e->ty), mangle(e->ty));
    }
    case BM_FMT_WRITE_STR: {
        char *p = recv_place(e, false);
        char *a0 = cg_expr(e->args.items[0]);
        emit("mrs_fmt_write(%s, %s);", addr_text(p), a0);
        return xprintf("(%s){.tag = %s_Ok}", ctype(e->ty), mangle(e->ty));
    }
    case BM_CMP:
    case BM_PARTIAL_CMP: {
        char *p = recv_place(e, false);
        Expr *arg = e->args.items[0];
        char *o = deref_n(cg_expr(arg), arg->ty, 1);
        char *c = hoist(ty_prim(TY_I32), cmp_places(b, p, o), "c");
        Type *ord = mr->bm == BM_CMP ? e->ty : e->ty->args[0];
        char *v = xprintf("(%s){.tag = (%s_Tag)((%s > 0) - (%s < 0))}", ctype(ord), mangle(ord), c, c);
        if (mr->bm == BM_CMP)
            return v;
        return xprintf("(%s == MRS_UNORDERED ? %s : %s)", c, none(e->ty), some(e->ty, v));
    }
    case BM_EQ:
    case BM_NE: {
        char *p = recv_place(e, false);
        Expr *arg = e->args.items[0];
        char *o = deref_n(cg_expr(arg), arg->ty, 1);
        char *r = eq_places(b, p, o);
        return mr->bm == BM_EQ ? xprintf("(%s)", r) : xprintf("!(%s)", r);
    }
    default:
        break;
    }
    if (b->kind == TY_ITER || (b->kind == TY_RANGE && mr->bm >= BM_IT_NEXT && mr->bm <= BM_IT_LAST) ||
        (b->kind == TY_ADT && mr->bm >= BM_IT_NEXT && mr->bm <= BM_IT_LAST) || mr->bm == BM_IT_NTH) {
        if (mr->bm == BM_IT_ENUMERATE || mr->bm == BM_IT_REV) {
            not_supported(e->span, "an iterator adapter outside a `for` loop or a consuming call");
            return dummy(e->ty);
        }
        return iter_method(e, mr);
    }
    bool by_value = autoref == 0;
    char *p = recv_place(e, by_value);
    char **a = cg_args(&e->args);
    char *r = NULL;
    if (b->kind <= TY_USIZE)
        r = int_method(e, mr, p, a);
    else if (b->kind == TY_F32 || b->kind == TY_F64)
        r = float_method(e, mr, p, a);
    else if (b->kind == TY_CHAR)
        r = char_method(mr, p, a, e);
    else if (b->kind == TY_STRING && mr->bm >= BM_STRING_PUSH && mr->bm <= BM_STRING_IS_EMPTY)
        return string_method(e, mr, p, a);
    else if (b->kind == TY_STRING || b->kind == TY_STR) {
        if (mr->bm == BM_S_CHARS || mr->bm == BM_S_CHAR_INDICES || mr->bm == BM_S_SPLIT ||
            mr->bm == BM_S_SPLIT_WHITESPACE || mr->bm == BM_S_LINES || mr->bm == BM_S_BYTES) {
            /* an iterator stored in a variable */
            char *s = str_of(b, p);
            switch (mr->bm) {
            case BM_S_CHARS: return xprintf("mrs_str_chars(%s)", s);
            case BM_S_CHAR_INDICES: return xprintf("mrs_str_char_indices(%s)", s);
            case BM_S_SPLIT_WHITESPACE: return xprintf("mrs_str_split_whitespace(%s)", s);
            case BM_S_LINES: return xprintf("mrs_str_lines(%s)", s);
            case BM_S_SPLIT: {
                Expr *pat = e->args.items[0];
                if (mr->aux && mr->aux->kind == TY_CHAR)
                    return xprintf("mrs_str_split_char(%s, %s)", s, a[0]);
                return xprintf("mrs_str_split(%s, %s)", s, str_value(pat->ty, a[0]));
            }
            default:
                not_supported(e->span, "`bytes()` outside a `for` loop");
                return dummy(e->ty);
            }
        }
        r = str_method(e, mr, str_of(b, p), a);
    } else if (b->kind == TY_VEC && ((mr->bm >= BM_VEC_PUSH && mr->bm <= BM_VEC_AS_SLICE) || mr->bm == BM_VEC_RETAIN)) {
        if (mr->bm == BM_VEC_INTO_ITER) {
            not_supported(e->span, "`into_iter()` outside a `for` loop or a consuming call");
            return dummy(e->ty);
        }
        return vec_method(e, mr, p, a);
    } else if (b->kind == TY_VEC || b->kind == TY_ARRAY || b->kind == TY_SLICE) {
        if (mr->bm == BM_SL_ITER || mr->bm == BM_SL_ITER_MUT) {
            Type *el = b->args[0];
            return xprintf("(%s){%s, %s + %s}", ctype(e->ty), slice_ptr(b, p), slice_ptr(b, p), slice_len(b, p));
            (void)el;
        }
        return slice_method(e, mr, p, a);
    } else if (b->kind == TY_ADT && b->adt == cg->prog->option)
        r = option_method(e, mr, p, a);
    else if (b->kind == TY_ADT && b->adt == cg->prog->result)
        r = result_method(e, mr, p, a);
    else if (b->kind == TY_RANGE) {
        if (mr->bm == BM_RANGE_CONTAINS) {
            char *x = deref_text(a[0]);
            r = xprintf("(%s >= %s && %s %s %s)", x, member(p, "start"), x, b->inclusive ? "<=" : "<", member(p, "end"));
        } else if (mr->bm == BM_RANGE_LEN) {
            r = xprintf("(%s > %s ? (size_t)(%s - %s) : 0)", member(p, "end"), member(p, "start"), member(p, "end"),
                        member(p, "start"));
        }
    }
    if (!r) {
        not_supported(e->name_span, xprintf("the method `%s` on `%s`", e->name, ty_str(b)));
        return dummy(e->ty);
    }
    return r;
}

/* ---- format macros ---------------------------------------------------------------------------------- */

static char *spec_text(FmtPiece *p, char **vals)
{
    const char *w = p->width_arg >= 0 ? xprintf("(int32_t)%s", vals[p->width_arg]) : xprintf("%d", p->width);
    const char *pr = p->precision_arg >= 0 ? xprintf("(int32_t)%s", vals[p->precision_arg]) : xprintf("%d", p->precision);
    return xprintf("(MrsFmtSpec){%s, %s, %s, %s, %s, %s, %s}", char_lit(p->fill),
                   p->align ? xprintf("'%c'", p->align) : "0", p->sign ? "'+'" : "0", p->alternate ? "true" : "false",
                   p->zero_pad ? "true" : "false", w, pr);
}

static bool default_spec(FmtPiece *p)
{
    return p->fill == ' ' && !p->align && !p->sign && !p->alternate && !p->zero_pad && p->width < 0 &&
           p->precision < 0 && p->width_arg < 0 && p->precision_arg < 0;
}

/* Format `fc` into the String variable `buf` (already initialized). The
 * arguments are evaluated first, left to right, as format_args! does. */
static void format_pieces(FmtCall *fc, const char *fptr, bool newline);

static void format_into(FmtCall *fc, const char *buf, bool newline)
{
    emit("MrsFormatter fmt = mrs_fmt_new(&%s);", buf);
    format_pieces(fc, "&fmt", newline);
}

/* The pieces of a format call written through the formatter pointer fptr. */
static void format_pieces(FmtCall *fc, const char *fptr, bool newline)
{
    int n = fc->args.len;
    char **vals = arena_alloc(g_arena, sizeof(char *) * (size_t)(n + 1));
    Type **types = arena_alloc(g_arena, sizeof(Type *) * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        Expr *a = fc->args.items[i];
        if (a->kind == EX_ASSIGN)
            a = a->rhs;
        types[i] = a->ty;
        vals[i] = cg_lvalue(a);
    }
    char *spec = member(deref_text(fptr), "spec");
    for (int i = 0; i < fc->pieces.len; i++) {
        FmtPiece *p = fc->pieces.items[i];
        if (p->lit) {
            bool last = i == fc->pieces.len - 1;
            char *text = last && newline ? xprintf("%.*s\n", (int)p->lit_len, p->lit) : NULL;
            emit("mrs_fmt_lit(%s, %s);", fptr, text ? c_string(text, p->lit_len + 1) : c_string(p->lit, p->lit_len));
            if (text)
                newline = false;
            continue;
        }
        bool dflt = default_spec(p);
        if (!dflt)
            emit("%s = %s;", spec, spec_text(p, vals));
        fmt_place(fptr, types[p->arg], p->trait, vals[p->arg]);
        if (!dflt)
            emit("%s = MRS_SPEC_DEFAULT;", spec);
    }
    if (newline)
        emit("mrs_fmt_lit(%s, \"\\n\");", fptr);
}

/* Source text on one line, safe inside a C comment. */
static char *one_line(const char *src)
{
    StrBuf sb;
    sb_init(&sb);
    bool space = false;
    for (const char *p = src; *p; p++) {
        if (isspace((unsigned char)*p)) {
            space = true;
            continue;
        }
        if (space && sb.len)
            sb_putc(&sb, ' ');
        space = false;
        if (*p == '*' && p[1] == '/')
            sb_puts(&sb, "* ");
        else if (*p == '/' && p[1] == '*')
            sb_puts(&sb, "/ ");
        else
            sb_putc(&sb, *p);
    }
    char *r = xstrdup(sb.data ? sb.data : "");
    sb_free(&sb);
    if (strlen(r) > 100)
        r = xprintf("%.96s ...", r);
    return r;
}

/* The literal text of a format call without arguments, or NULL. */
static char *plain_text(FmtCall *fc, bool newline)
{
    StrBuf sb;
    sb_init(&sb);
    for (int i = 0; i < fc->pieces.len; i++) {
        FmtPiece *p = fc->pieces.items[i];
        if (!p->lit) {
            sb_free(&sb);
            return NULL;
        }
        sb_putn(&sb, p->lit, p->lit_len);
    }
    if (newline)
        sb_putc(&sb, '\n');
    char *r = c_string(sb.data ? sb.data : "", sb.len);
    sb_free(&sb);
    return r;
}

static char *cg_format_string(FmtCall *fc)
{
    char *s = fresh("formatted");
    emit("MrsString %s = mrs_string_new();", s);
    emit("{");
    cg->indent++;
    temps_push();
    format_into(fc, s, false);
    flush_pending();
    temps_pop();
    cg->indent--;
    emit("}");
    return s;
}

static void cg_panic_fmt(Span at, FmtCall *fc, const char *prefix)
{
    if (!fc || fc->pieces.len == 0) {
        emit("mrs_panic_cstr(%s, %s);", loc(at), c_string(prefix ? prefix : "explicit panic",
                                                           strlen(prefix ? prefix : "explicit panic")));
        return;
    }
    char *lit = plain_text(fc, false);
    if (lit && !prefix) {
        emit("mrs_panic_cstr(%s, %s);", loc(at), lit);
        return;
    }
    emit("{");
    cg->indent++;
    emit("MrsString panic_msg = mrs_string_from(MRS_STR(%s));", c_string(prefix ? prefix : "", prefix ? strlen(prefix) : 0));
    emit("{");
    cg->indent++;
    temps_push();
    format_into(fc, "panic_msg", false);
    cg->pending = (List){0}; /* the panic never returns: the unwind guards drop them */
    temps_pop();
    cg->indent--;
    emit("}");
    emit("mrs_panic_string(%s, panic_msg);", loc(at));
    cg->indent--;
    emit("}");
}

static char *cg_macro(Expr *e)
{
    MacroCall *m = e->mac;
    const char *n = m->name;
    FmtCall *fc = e->sema;
    Span at = m->path && m->path->segs.len ? ((PathSeg *)m->path->segs.items[0])->span : e->span;
    at = e->span;
    if (!strcmp(n, "println") || !strcmp(n, "print") || !strcmp(n, "eprintln") || !strcmp(n, "eprint")) {
        bool err = n[0] == 'e';
        emit("/* %s */", one_line(diag_source_text(e->span)));
        char *lit = fc ? plain_text(fc, fc->newline) : c_string("\n", 1);
        if (!fc && strcmp(n, "println") && strcmp(n, "eprintln"))
            lit = c_string("", 0);
        if (lit) {
            emit("mrs_print_%s(MRS_STR(%s));", err ? "stderr" : "stdout", lit);
            return NULL;
        }
        emit("{");
        cg->indent++;
        emit("MrsString fmt_out = mrs_string_new();");
        temps_push();
        format_into(fc, "fmt_out", fc->newline);
        emit("mrs_%sprint_string(&fmt_out);", err ? "e" : "");
        flush_pending(); /* the arguments' temporaries live until the text is printed */
        temps_pop();
        cg->indent--;
        emit("}");
        return NULL;
    }
    if (!strcmp(n, "write") || !strcmp(n, "writeln")) {
        /* into the caller's Formatter: its width/fill apply to none of these pieces */
        emit("/* %s */", one_line(diag_source_text(e->span)));
        char *w = cg_expr(fc->dest);
        for (Type *t = fc->dest->ty; t->kind == TY_REF && t->args[0]->kind == TY_REF; t = t->args[0])
            w = deref_text(w);
        open_block();
        emit("MrsFormatter *const out = %s;", w);
        emit("const MrsFmtSpec outer = out->spec;");
        emit("out->spec = MRS_SPEC_DEFAULT;");
        format_pieces(fc, "out", fc->newline);
        emit("out->spec = outer;");
        close_block();
        return xprintf("(%s){.tag = %s_Ok}", ctype(e->ty), mangle(e->ty));
    }
    if (!strcmp(n, "format"))
        return cg_format_string(fc);
    if (!strcmp(n, "panic")) {
        cg_panic_fmt(at, fc, NULL);
        return NULL;
    }
    if (!strcmp(n, "unreachable")) {
        if (fc && fc->pieces.len)
            cg_panic_fmt(at, fc, "internal error: entered unreachable code: ");
        else
            emit("mrs_panic_cstr(%s, \"internal error: entered unreachable code\");", loc(at));
        return NULL;
    }
    if (!strcmp(n, "todo") || !strcmp(n, "unimplemented")) {
        const char *base = n[0] == 't' ? "not yet implemented" : "not implemented";
        if (fc && fc->pieces.len)
            cg_panic_fmt(at, fc, xprintf("%s: ", base));
        else
            emit("mrs_panic_cstr(%s, \"%s\");", loc(at), base);
        return NULL;
    }
    if (!strcmp(n, "assert") || !strcmp(n, "debug_assert")) {
        Expr *c = m->args.items[0];
        char *cv = cg_expr(c);
        emit("if (!(%s)) {", cond(cv));
        cg->indent++;
        if (fc)
            cg_panic_fmt(at, fc, NULL);
        else {
            const char *src = diag_source_text(c->span);
            const char *msg = xprintf("assertion failed: %s", src);
            emit("mrs_panic_cstr(%s, %s);", loc(at), c_string(msg, strlen(msg)));
        }
        cg->indent--;
        emit("}");
        flush_pending();
        return NULL;
    }
    if (!strcmp(n, "assert_eq") || !strcmp(n, "assert_ne") || !strcmp(n, "debug_assert_eq") ||
        !strcmp(n, "debug_assert_ne")) {
        bool eq = strstr(n, "_eq") != NULL;
        Expr *l = m->args.items[0], *r = m->args.items[1];
        char *lv = cg_lvalue(l);
        char *rv = cg_lvalue(r);
        char *test = compare(eq ? BIN_EQ : BIN_NE, l, r, lv, rv);
        emit("if (!(%s)) {", test);
        cg->indent++;
        emit("MrsString panic_msg = mrs_string_from(MRS_STR(\"assertion `left %s right` failed\"));", eq ? "==" : "!=");
        emit("MrsFormatter fmt = mrs_fmt_new(&panic_msg);");
        if (fc && fc->pieces.len) {
            emit("mrs_fmt_lit(&fmt, \": \");");
            emit("{");
            cg->indent++;
            StrBuf *saved = cg->out;
            (void)saved;
            /* the message is formatted into the same buffer */
            int n2 = fc->args.len;
            char **vals = arena_alloc(g_arena, sizeof(char *) * (size_t)(n2 + 1));
            for (int i = 0; i < n2; i++) {
                Expr *a = fc->args.items[i];
                vals[i] = cg_lvalue(a->kind == EX_ASSIGN ? a->rhs : a);
            }
            for (int i = 0; i < fc->pieces.len; i++) {
                FmtPiece *p = fc->pieces.items[i];
                if (p->lit) {
                    emit("mrs_fmt_lit(&fmt, %s);", c_string(p->lit, p->lit_len));
                    continue;
                }
                Expr *a = fc->args.items[p->arg];
                if (a->kind == EX_ASSIGN)
                    a = a->rhs;
                if (!default_spec(p))
                    emit("fmt.spec = %s;", spec_text(p, vals));
                fmt_place("&fmt", a->ty, p->trait, vals[p->arg]);
                if (!default_spec(p))
                    emit("fmt.spec = MRS_SPEC_DEFAULT;");
            }
            cg->indent--;
            emit("}");
        }
        emit("mrs_fmt_lit(&fmt, \"\\n  left: \");");
        fmt_place("&fmt", l->ty, FT_DEBUG, lv);
        emit("mrs_fmt_lit(&fmt, \"\\n right: \");");
        fmt_place("&fmt", r->ty, FT_DEBUG, rv);
        emit("mrs_panic_string(%s, panic_msg);", loc(at));
        cg->indent--;
        emit("}");
        flush_pending();
        return NULL;
    }
    if (!strcmp(n, "vec")) {
        Type *vt = e->ty;
        Type *el = vt->args[0];
        char *v = fresh("vec");
        if (m->is_repeat) {
            Expr *x = m->args.items[0], *cnt = m->args.items[1];
            Expr *ops[2] = {x, cnt};
            char **ov = cg_operands(ops, 2);
            char *elem = is_ident_text(ov[0]) ? ov[0] : hoist(el, ov[0], "elem");
            char *count = is_ident_text(ov[1]) || isdigit((unsigned char)ov[1][0]) ? ov[1] : hoist(ty_prim(TY_USIZE), ov[1], "count");
            emit("%s = {mrs_vec_alloc(%s, sizeof(%s)), %s, %s};", decl(vt, v), count, ctype(el), count, count);
            if (has_drop(el)) {
                /* n - 1 clones, then the element itself moves into the last slot */
                emit("for (size_t i = 0; i + 1 < %s; i++)", count);
                emit("    %s.ptr[i] = %s;", v, clone_place(el, elem));
                emit("if (%s > 0)", count);
                emit("    %s.ptr[%s - 1] = %s;", v, count, elem);
                emit("else");
                cg->indent++;
                emit_drop_place(el, elem);
                cg->indent--;
            } else {
                emit("for (size_t i = 0; i < %s; i++)", count);
                emit("    %s.ptr[i] = %s;", v, elem);
            }
            return v;
        }
        int k = m->args.len;
        char **vals = cg_operands((Expr **)m->args.items, k);
        emit("%s = {mrs_vec_alloc(%d, sizeof(%s)), %d, %d};", decl(vt, v), k, ctype(el), k, k);
        for (int i = 0; i < k; i++)
            emit("%s.ptr[%d] = %s;", v, i, vals[i]);
        return v;
    }
    if (!strcmp(n, "matches"))
        return cg_matches(e);
    not_supported(e->span, xprintf("the macro `%s!`", n));
    return NULL;
}

/* ---- patterns ----------------------------------------------------------------------------------------- */

static char *pat_place(Pat *p, const char *place)
{
    char *pl = xstrdup(place);
    Type *t = NULL;
    (void)t;
    for (int i = 0; i < p->derefs; i++)
        pl = deref_text(pl);
    return pl;
}

static char *lit_text(Expr *lit, Type *t)
{
    lit = unparen(lit);
    switch (lit->kind) {
    case EX_INT: return int_lit(t, lit->int_val);
    case EX_FLOAT: return float_lit(lit, t);
    case EX_BOOL: return xstrdup(lit->bool_val ? "true" : "false");
    case EX_CHAR: return char_lit(lit->int_val);
    case EX_BYTE: return xprintf("%llu", (unsigned long long)lit->int_val);
    case EX_UNARY:
        if (lit->unop == UN_NEG) {
            Expr *o = unparen(lit->operand);
            if (o->kind == EX_INT && t->kind <= TY_ISIZE && o->int_val == (uint64_t)1 << (ty_int_bits(t) - 1))
                return xstrdup(int_min_macro(t));
            return xprintf("-%s", lit_text(o, t));
        }
        break;
    case EX_PATH:
        if (lit->def && lit->def->kind == DEF_CONST)
            return xstrdup(lit->def->cname);
        break;
    default:
        break;
    }
    return cg_expr(lit);
}

static char *and_join(char *a, char *b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    return xprintf("%s && %s", a, b);
}

static const char *field_name(VariantInfo *v, int i)
{
    return v->kind == SK_TUPLE ? xprintf("_%d", i) : v->fields[i].name;
}

/* The field that element i of a tuple-like pattern's elems matches in a value
 * of nfields fields (elements after `..` count from the end); -1 for `..`. */

/* A C condition that is true when p matches the value at `place`; NULL when always. */
static char *pat_test(Pat *p, const char *place)
{
    char *pl = pat_place(p, place);
    Type *t = p->ty;
    switch (p->kind) {
    case PAT_WILD:
    case PAT_REST:
        return NULL;
    case PAT_IDENT:
        if (p->def) { /* a unit variant, unit struct or const */
            Def *d = p->def;
            if (d->kind == DEF_CONST)
                return xprintf("%s == %s", pl, d->cname);
            if (d->kind == DEF_VARIANT)
                return xprintf("%s.tag == %s_%s", pl, mangle(t), d->adt->variants[d->variant].name);
            return NULL;
        }
        return p->sub ? pat_test(p->sub, pl) : NULL;
    case PAT_LIT: {
        Expr *lit = unparen(p->lit);
        if (lit->kind == EX_STR) {
            const char *sv = t->kind == TY_STRING ? xprintf("mrs_string_as_str(&%s)", pl) : pl;
            return xprintf("mrs_str_eq(%s, MRS_STR(%s))", sv, c_string(lit->str, lit->str_len));
        }
        return xprintf("%s == %s", pl, lit_text(lit, t));
    }
    case PAT_RANGE: {
        char *r = NULL;
        char *lo = p->lo ? lit_text(p->lo, t) : NULL;
        bool trivial_lo = lo && ((t->kind >= TY_U8 && t->kind <= TY_USIZE && !strcmp(lo, "0")) ||
                                 (t->kind == TY_CHAR && !strcmp(lo, "0x0")));
        if (p->lo && !trivial_lo)
            r = xprintf("%s >= %s", pl, lo);
        if (p->hi)
            r = and_join(r, xprintf("%s %s %s", pl, p->inclusive ? "<=" : "<", lit_text(p->hi, t)));
        return r ? xprintf("(%s)", r) : NULL;
    }
    case PAT_TUPLE: {
        char *r = NULL;
        for (int i = 0; i < p->elems.len; i++) {
            int k = ast_pat_elem_field(&p->elems, i, t->nargs);
            if (k < 0)
                continue;
            r = and_join(r, pat_test(p->elems.items[i], member(pl, xprintf("_%d", k))));
        }
        return r;
    }
    case PAT_PATH:
    case PAT_TUPLE_STRUCT:
    case PAT_STRUCT: {
        Def *d = p->def;
        if (!d)
            return NULL;
        if (d->kind == DEF_CONST)
            return xprintf("%s == %s", pl, d->cname);
        AdtDef *a = d->adt;
        int vi = d->kind == DEF_VARIANT ? d->variant : 0;
        VariantInfo *v = &a->variants[vi];
        char *r = a->is_enum ? xprintf("%s.tag == %s_%s", pl, mangle(t), v->name) : NULL;
        const char *base = a->is_enum ? member(pl, v->name) : pl;
        if (p->kind == PAT_TUPLE_STRUCT) {
            for (int i = 0; i < p->elems.len; i++) {
                int k = ast_pat_elem_field(&p->elems, i, v->nfields);
                if (k < 0)
                    continue;
                r = and_join(r, pat_test(p->elems.items[i], member(base, field_name(v, k))));
            }
        } else if (p->kind == PAT_STRUCT) {
            for (int i = 0; i < p->fields.len; i++) {
                FieldPat *fp = p->fields.items[i];
                r = and_join(r, pat_test(fp->pat, member(base, fp->name[0] >= '0' && fp->name[0] <= '9'
                                                                 ? xprintf("_%s", fp->name) : fp->name)));
            }
        }
        return r;
    }
    case PAT_REF:
        return pat_test(p->sub, deref_text(pl));
    case PAT_OR: {
        StrBuf sb;
        sb_init(&sb);
        bool always = false;
        for (int i = 0; i < p->elems.len; i++) {
            char *c = pat_test(p->elems.items[i], pl);
            if (!c) {
                always = true;
                break;
            }
            sb_printf(&sb, "%s(%s)", i ? " || " : "", c);
        }
        char *r = always ? NULL : xprintf("(%s)", sb.data);
        sb_free(&sb);
        return r;
    }
    case PAT_SLICE: {
        bool has_rest = false;
        int n = p->elems.len;
        for (int i = 0; i < n; i++)
            has_rest |= ((Pat *)p->elems.items[i])->kind == PAT_REST;
        int fixed = has_rest ? n - 1 : n;
        char *len = slice_len(t, pl), *ptr = slice_ptr(t, pl);
        char *r = t->kind == TY_ARRAY ? NULL : xprintf("%s %s %d", len, has_rest ? ">=" : "==", fixed);
        int seen_rest = 0;
        for (int i = 0; i < n; i++) {
            Pat *sp = p->elems.items[i];
            if (sp->kind == PAT_REST) {
                seen_rest = 1;
                continue;
            }
            char *ix = seen_rest ? xprintf("%s - %d", len, n - i) : xprintf("%d", i);
            r = and_join(r, pat_test(sp, xprintf("%s[%s]", ptr, ix)));
        }
        return r;
    }
    }
    return NULL;
}

/* Declare the bindings of p (matched against `place`). */
static void pat_bind(Pat *p, const char *place)
{
    char *pl = pat_place(p, place);
    Type *t = p->ty;
    switch (p->kind) {
    case PAT_IDENT:
        if (p->def)
            return;
        if (p->sub)
            pat_bind(p->sub, pl);
        if (p->local) {
            Local *l = p->local;
            const char *v = p->bind_ref && !is_fat_ref(l->type) ? addr_text(pl) : pl;
            if (cg->rebind) { /* an or-pattern's alternative: the variable is declared */
                emit("%s = %s;", l->cname, v);
                return;
            }
            emit("%s = %s;", local_decl(l, true), v);
            register_local(l);
        }
        return;
    case PAT_TUPLE: {
        for (int i = 0; i < p->elems.len; i++) {
            int k = ast_pat_elem_field(&p->elems, i, t->nargs);
            if (k < 0)
                continue;
            pat_bind(p->elems.items[i], member(pl, xprintf("_%d", k)));
        }
        return;
    }
    case PAT_TUPLE_STRUCT:
    case PAT_STRUCT: {
        Def *d = p->def;
        if (!d || d->kind == DEF_CONST)
            return;
        AdtDef *a = d->adt;
        VariantInfo *v = &a->variants[d->kind == DEF_VARIANT ? d->variant : 0];
        const char *base = a->is_enum ? member(pl, v->name) : pl;
        if (p->kind == PAT_TUPLE_STRUCT) {
            for (int i = 0; i < p->elems.len; i++) {
                int k = ast_pat_elem_field(&p->elems, i, v->nfields);
                if (k < 0)
                    continue;
                pat_bind(p->elems.items[i], member(base, field_name(v, k)));
            }
        } else {
            for (int i = 0; i < p->fields.len; i++) {
                FieldPat *fp = p->fields.items[i];
                pat_bind(fp->pat, member(base, fp->name[0] >= '0' && fp->name[0] <= '9' ? xprintf("_%s", fp->name)
                                                                                        : fp->name));
            }
        }
        return;
    }
    case PAT_REF:
        pat_bind(p->sub, deref_text(pl));
        return;
    case PAT_OR: {
        /* all alternatives bind the same names: declare them once, then
         * fill them from whichever alternative matched */
        Pat *first = p->elems.items[0];
        if (!pat_test(first, pl) || p->elems.len == 1) {
            pat_bind(first, pl);
            return;
        }
        List binds = {0};
        collect_binds(first, &binds);
        if (binds.len == 0)
            return;
        for (int i = 0; i < binds.len && !cg->rebind; i++) {
            Local *l = binds.items[i];
            emit("%s = %s;", decl(l->type, l->cname), dummy(l->type));
        }
        for (int i = 0; i < p->elems.len; i++) {
            Pat *alt = p->elems.items[i];
            char *c = pat_test(alt, pl);
            emit("%sif (%s) {", i ? "} else " : "", c ? c : "true");
            cg->indent++;
            bool saved = cg->rebind;
            cg->rebind = true;
            pat_bind(alt, pl);
            cg->rebind = saved;
            cg->indent--;
        }
        emit("}");
        if (!cg->rebind)
            for (int i = 0; i < binds.len; i++)
                register_local(binds.items[i]);
        return;
    }
    case PAT_SLICE: {
        int n = p->elems.len, seen_rest = 0;
        char *len = slice_len(t, pl), *ptr = slice_ptr(t, pl);
        for (int i = 0; i < n; i++) {
            Pat *sp = p->elems.items[i];
            if (sp->kind == PAT_REST) {
                seen_rest = 1;
                continue;
            }
            char *ix = seen_rest ? xprintf("%s - %d", len, n - i) : xprintf("%d", i);
            pat_bind(sp, xprintf("%s[%s]", ptr, ix));
        }
        return;
    }
    default:
        return;
    }
}

static void collect_binds(Pat *p, List *out)
{
    if (!p)
        return;
    if (p->kind == PAT_IDENT && p->local && !p->def)
        list_push(out, p->local);
    collect_binds(p->sub, out);
    for (int i = 0; i < p->elems.len && p->kind != PAT_OR; i++)
        collect_binds(p->elems.items[i], out);
    if (p->kind == PAT_OR && p->elems.len)
        collect_binds(p->elems.items[0], out);
    for (int i = 0; i < p->fields.len; i++)
        collect_binds(((FieldPat *)p->fields.items[i])->pat, out);
}

static char *cg_matches(Expr *e)
{
    MacroCall *m = e->mac;
    char *pl = cg_lvalue(m->args.items[0]);
    char *t = pat_test(m->pat, pl);
    if (!m->guard)
        return xprintf("(%s)", t ? t : "true");
    char *r = fresh("matched");
    emit("bool %s = false;", r);
    emit("if (%s) {", t ? t : "true");
    cg->indent++;
    pat_bind(m->pat, pl);
    emit("%s = %s;", r, cg_expr(m->guard));
    cg->indent--;
    emit("}");
    return r;
}

/* ---- control flow ------------------------------------------------------------------------------------- */

/* Deliver a computed value (NULL for `()`/`!`) to a destination. */
static void deliver(Dest d, Type *t, char *val, const void *key)
{
    switch (d.kind) {
    case D_DISCARD:
        if (!val)
            return;
        if (has_drop(t) && !is_ident_text(val)) {
            char *tmp = hoist(t, val, "unused");
            emit_drop_place(t, tmp);
        } else if (impure(val)) {
            emit("%s;", val);
        } else if (!is_ident_text(val) && !isdigit((unsigned char)val[0])) {
            emit("(void)(%s);", cond(val)); /* evaluated for its effects */
        }
        return;
    case D_ASSIGN:
        if (val && d.var)
            emit("%s = %s;", d.var, val);
        return;
    case D_RETURN: {
        bool any_drops = cg->pending.len > 0;
        for (int k = 0; k < cg->nscopes; k++)
            any_drops |= cg->scopes[k]->locals.len > 0;
        for (int f = 0; f < cg->nframes; f++)
            any_drops |= cg->frames[f]->temps.len > 0;
        if (is_never(t))
            return;
        if (!val || is_void(cg->ret)) {
            if (val && impure(val))
                emit("%s;", val);
            drops_to_depth(0, key);
            emit("return;");
            return;
        }
        if (any_drops && !is_ident_text(val))
            val = hoist(cg->ret, val, "result");
        drops_to_depth(0, key); /* the temporaries of the returned expression too */
        emit("return %s;", val);
        return;
    }
    }
}

static void cg_if_into(Expr *e, Dest d);

/* An `if` or `while` condition, or a match guard: a temporary scope of its
 * own, so its temporaries are dropped once it is evaluated, before the
 * branch runs (and on the path that leaves a `while`). */
static char *cg_condition(Expr *e)
{
    temps_push();
    char *c = cg_expr(e);
    if (cg->pending.len)
        c = hoist(e->ty, c, "cond");
    flush_pending();
    temps_pop();
    return c;
}

/* The place of a match / if-let / while-let scrutinee. Its temporaries live
 * to the end of the whole construct (Rust's scrutinee rule): they stay in a
 * temporary scope of their own, below a second one for the arms, until
 * scrutinee_end(). A temporary holding the scrutinee itself is not among
 * them when a pattern moves out of it: what the pattern leaves is dropped
 * part by part (drop_unbound). */
static char *cg_scrutinee(Expr *e, bool pats_move)
{
    temps_push_in(true);
    Expr *u = unparen(e);
    char *pl;
    if (is_place_expr(u)) {
        pl = cg_lvalue(e);
    } else {
        char *v = cg_expr(e);
        pl = v ? hoist(vty(e), v, "tmp") : xstrdup("(MrsUnit){0}");
        if (v && has_drop(vty(e)) && !pats_move)
            add_pending(vty(e), pl);
    }
    temps_push_in(true);
    return pl;
}

/* The scrutinee's temporaries, while its construct is being written. */
static List *scrutinee_temps(void) { return &cg->frames[cg->nframes - 1]->temps; }

static void scrutinee_end(void)
{
    flush_pending();
    temps_pop();
    flush_pending();
    temps_pop();
}

/* The else branch of `ifx`: `else if` when the condition needs no statements.
 * Without one, in return position the fall-through path still returns. */
static void cg_else(Expr *ifx, Expr *els, Dest d)
{
    if (!els && d.kind == D_RETURN) {
        emit("} else {");
        cg->indent++;
        deliver(d, ty_unit(), NULL, ifx);
        cg->indent--;
        emit("}");
        return;
    }
    if (!els) {
        emit("}");
        return;
    }
    Expr *u = unparen(els);
    if (u->kind == EX_IF && u->cond->kind != EX_LET) {
        StrBuf buf;
        sb_init(&buf);
        StrBuf *saved = cg->out;
        cg->out = &buf;
        size_t nh = cg->helpers.len, np = cg->protos.len;
        int nd = cg->done_helpers.len, tmp = cg->tmp;
        temps_push();
        char *c = cg_expr(u->cond);
        bool temps = cg->pending.len > 0;
        cg->pending = (List){0};
        temps_pop();
        cg->out = saved;
        if (buf.len || temps) {
            /* the condition needs statements: undo this trial, it is generated again below */
            cg->helpers.len = nh;
            cg->protos.len = np;
            if (cg->helpers.data)
                cg->helpers.data[nh] = '\0';
            if (cg->protos.data)
                cg->protos.data[np] = '\0';
            cg->done_helpers.len = nd;
            cg->tmp = tmp;
        }
        if (!buf.len && !temps) {
            sb_free(&buf);
            emit("} else if (%s) {", cond(c));
            cg->indent++;
            cg_block_into(u->block, d, true);
            cg->indent--;
            cg_else(u, u->els, d);
            return;
        }
        sb_free(&buf);
    }
    emit("} else {");
    cg->indent++;
    if (u->kind == EX_BLOCK && !u->label)
        cg_block_into(u->block, d, true);
    else
        cg_into(u, d);
    cg->indent--;
    emit("}");
}

static void cg_if_into(Expr *e, Dest d)
{
    if (e->cond->kind == EX_LET) {
        Expr *let = e->cond;
        emit("{");
        cg->indent++;
        push_scope();
        bool mv = pat_moves(let->pat);
        char *pl = cg_scrutinee(let->rhs, mv);
        char *t = pat_test(let->pat, pl);
        /* a temporary the pattern moves from: what it leaves is dropped after the body */
        bool leftover = mv && !is_place_expr(let->rhs) && !let->pat->derefs && has_drop(let->rhs->ty) &&
                        !pat_binds_ref(let->pat);
        emit("if (%s) {", t ? cond(t) : "true");
        cg->indent++;
        push_scope();
        pat_bind(let->pat, pl);
        note_pattern_moves(let->pat);
        cg_block_into(e->block, d, true);
        pop_scope(!is_never(e->block->ty), e);
        if (leftover && !is_never(e->block->ty))
            drop_unbound(let->pat, let->rhs->ty, pl);
        cg->indent--;
        cg_else(e, e->els, d);
        if (leftover && t) {
            emit("if (!(%s)) /* it did not match: dropped whole */", t);
            cg->indent++;
            emit_drop_place(let->rhs->ty, pl);
            cg->indent--;
        }
        scrutinee_end();
        pop_scope(true, e);
        cg->indent--;
        emit("}");
        return;
    }
    char *c = cg_condition(e->cond);
    emit("if (%s) {", cond(c));
    cg->indent++;
    cg_block_into(e->block, d, true);
    cg->indent--;
    cg_else(e, e->els, d);
}

/* Can this match be a C switch? Enum variants or integer/char literals,
 * no guards, no nested refutable patterns. */
static bool switchable(Expr *e, Type *st)
{
    bool is_enum = st->kind == TY_ADT && st->adt->is_enum;
    bool is_int = (st->kind <= TY_USIZE && st->kind != TY_I128 && st->kind != TY_U128) || st->kind == TY_CHAR;
    if (!is_enum && !is_int)
        return false;
    for (int i = 0; i < e->arms.len; i++) {
        MatchArm *a = e->arms.items[i];
        if (a->guard)
            return false;
        Pat *p = a->pat;
        List alts = {0};
        if (p->kind == PAT_OR)
            alts = p->elems;
        else
            list_push(&alts, p);
        for (int k = 0; k < alts.len; k++) {
            Pat *q = alts.items[k];
            if (p->kind == PAT_OR && q->kind == PAT_IDENT && !q->def)
                return false; /* bindings in or-patterns need the general form */
            if (q->kind == PAT_WILD || (q->kind == PAT_IDENT && !q->def && !q->sub))
                continue;
            if (is_int) {
                if (q->kind != PAT_LIT)
                    return false;
                continue;
            }
            if (q->kind == PAT_IDENT && q->def && q->def->kind == DEF_VARIANT)
                continue;
            if (q->kind != PAT_PATH && q->kind != PAT_TUPLE_STRUCT && q->kind != PAT_STRUCT)
                return false;
            if (!q->def || q->def->kind != DEF_VARIANT)
                return false;
            /* subpatterns must be irrefutable */
            List *subs = &q->elems;
            for (int j = 0; j < subs->len; j++)
                if (pat_test(subs->items[j], "x"))
                    return false;
            for (int j = 0; j < q->fields.len; j++)
                if (pat_test(((FieldPat *)q->fields.items[j])->pat, "x"))
                    return false;
            if (p->kind == PAT_OR && (q->elems.len || q->fields.len))
                return false;
        }
    }
    return true;
}

static char *case_label(Pat *q, Type *st)
{
    if (q->kind == PAT_LIT)
        return lit_text(q->lit, st);
    Def *d = q->def;
    return xprintf("%s_%s", mangle(st), d->adt->variants[d->variant].name);
}

/* A temporary scrutinee that some arm moves from: the parts an arm does not
 * bind are dropped when that arm's body ends (NULL when not applicable). */
static Type *leftover_ty;

static void arm_body(MatchArm *a, const char *pl, Dest d)
{
    Type *lt = leftover_ty;
    leftover_ty = NULL; /* a match nested in the body has its own */
    push_scope();
    pat_bind(a->pat, pl);
    note_pattern_moves(a->pat);
    Expr *b = unparen(a->body);
    if (b->kind == EX_BLOCK && !b->label && !b->is_unsafe)
        cg_block_into(b->block, d, true);
    else
        cg_into(a->body, d);
    if (!is_never(a->body->ty))
        flush_pending(); /* an arm is a temporary scope */
    pop_scope(!is_never(a->body->ty), a);
    if (lt && !is_never(a->body->ty) && !pat_binds_ref(a->pat))
        drop_unbound(a->pat, lt, pl);
    leftover_ty = lt;
}

static void cg_match_into(Expr *e, Dest d)
{
    emit("/* match %s */", diag_source_text(e->operand->span));
    emit("{");
    cg->indent++;
    push_scope();
    bool mv = false;
    for (int i = 0; i < e->arms.len; i++)
        mv |= pat_moves(((MatchArm *)e->arms.items[i])->pat);
    char *pl = cg_scrutinee(e->operand, mv);
    Type *st = e->operand->ty;
    int derefs = e->arms.len ? ((MatchArm *)e->arms.items[0])->pat->derefs : 0;
    Type *saved_leftover = leftover_ty;
    leftover_ty = mv && !is_place_expr(e->operand) && !derefs && has_drop(st) ? st : NULL;
    Type *pt = st;
    char *spl = pl;
    for (int i = 0; i < derefs && pt->kind == TY_REF; i++) {
        pt = pt->args[0];
        spl = deref_text(spl);
    }
    bool consistent = true;
    for (int i = 0; i < e->arms.len; i++) {
        Pat *p = ((MatchArm *)e->arms.items[i])->pat;
        if (p->derefs != derefs && !(p->kind == PAT_WILD || (p->kind == PAT_IDENT && !p->def)))
            consistent = false;
    }
    if (consistent && switchable(e, pt)) {
        bool is_enum = pt->kind == TY_ADT;
        emit("switch (%s) {", is_enum ? member(spl, "tag") : spl);
        for (CgLoop *l = cg->loops; l; l = l->parent) {
            l->switch_depth++;
            break;
        }
        bool has_default = false;
        for (int i = 0; i < e->arms.len; i++) {
            MatchArm *a = e->arms.items[i];
            Pat *p = a->pat;
            List alts = {0};
            if (p->kind == PAT_OR)
                alts = p->elems;
            else
                list_push(&alts, p);
            bool dflt = false;
            for (int k = 0; k < alts.len; k++) {
                Pat *q = alts.items[k];
                if (q->kind == PAT_WILD || (q->kind == PAT_IDENT && !q->def)) {
                    dflt = true;
                    continue;
                }
                emit("case %s:", case_label(q, pt));
            }
            if (dflt) {
                emit("default:");
                has_default = true;
            }
            emit("{");
            cg->indent++;
            arm_body(a, pl, d);
            if (!is_never(a->body->ty))
                emit("break;");
            cg->indent--;
            emit("}");
            if (dflt)
                break; /* later arms are unreachable */
        }
        if (!has_default && !is_enum) {
            emit("default:");
            emit("    break;");
        }
        emit("}");
        for (CgLoop *l = cg->loops; l; l = l->parent) {
            l->switch_depth--;
            break;
        }
    } else {
        bool any_guard = false;
        for (int i = 0; i < e->arms.len; i++)
            any_guard |= ((MatchArm *)e->arms.items[i])->guard != NULL;
        if (!any_guard) {
            for (int i = 0; i < e->arms.len; i++) {
                MatchArm *a = e->arms.items[i];
                char *t = pat_test(a->pat, pl);
                if (i == 0)
                    emit("if (%s) {", t ? cond(t) : "true");
                else if (t)
                    emit("} else if (%s) {", cond(t));
                else
                    emit("} else {");
                cg->indent++;
                arm_body(a, pl, d);
                cg->indent--;
                if (!t)
                    break;
            }
            emit("}");
        } else {
            char *end = xprintf("match_end_%d", ++cg->label_id);
            for (int i = 0; i < e->arms.len; i++) {
                MatchArm *a = e->arms.items[i];
                char *t = pat_test(a->pat, pl);
                emit("if (%s) {", t ? t : "true");
                cg->indent++;
                push_scope();
                CgScope *arm_scope = cg->scopes[cg->nscopes - 1];
                pat_bind(a->pat, pl);
                if (a->guard) {
                    char *g = cg_condition(a->guard);
                    emit("if (%s) {", cond(g));
                    cg->indent++;
                }
                note_pattern_moves(a->pat);
                Expr *b = unparen(a->body);
                if (b->kind == EX_BLOCK && !b->label)
                    cg_block_into(b->block, d, true);
                else
                    cg_into(a->body, d);
                pop_scope(!is_never(a->body->ty), a);
                if (leftover_ty && !is_never(a->body->ty) && !pat_binds_ref(a->pat))
                    drop_unbound(a->pat, leftover_ty, pl);
                emit("goto %s;", end);
                if (a->guard) {
                    cg->indent--;
                    emit("}");
                    unlink_unbound(arm_scope);
                }
                cg->indent--;
                emit("}");
            }
            emit("mrs_panic_cstr(LOC(0, 0), \"internal error: entered unreachable code\");");
            emit("%s:;", end);
        }
    }
    leftover_ty = saved_leftover;
    scrutinee_end();
    pop_scope(true, e);
    cg->indent--;
    emit("}");
}

static CgLoop *push_loop(char *label, char *break_dest)
{
    CgLoop *l = NEW(CgLoop);
    l->parent = cg->loops;
    l->label = label;
    l->id = ++cg->label_id;
    l->break_dest = break_dest;
    l->scope_depth = cg->nscopes;
    cg->loops = l;
    return l;
}

static void pop_loop(CgLoop *l, bool at_body_end)
{
    (void)at_body_end;
    cg->loops = l->parent;
}

/* The body of a loop, with the `continue` label when some inner `continue` needed a goto. */
static void loop_body(Block *b, CgLoop *l)
{
    cg_block_into(b, discard(), true);
    if (l->used_goto_cont && l->scope_depth == cg->nscopes)
        emit("cont_%d:;", l->id);
}

/* The end of an iteration whose bindings (a `for` item, a `while let`
 * pattern) were dropped after the body: a `continue` from an inner loop
 * dropped them already and lands here. */
static void iteration_end(CgLoop *l)
{
    if (l->used_goto_cont)
        emit("cont_%d:;", l->id);
}

static void loop_end(CgLoop *l)
{
    if (l->used_goto_break)
        emit("brk_%d:;", l->id);
}

static void cg_for(Expr *e)
{
    emit("/* for %s in %s */", diag_source_text(e->pat->span), diag_source_text(e->operand->span));
    Expr *it = unparen(e->operand);
    Pat *p = e->pat;
    bool ident = p->kind == PAT_IDENT && !p->def && !p->sub && !p->bind_ref;
    /* the common shape first: for i in a..b */
    if (it->kind == EX_RANGE && !it->inclusive && ident && it->lhs && it->rhs) {
        Expr *ops[2] = {it->lhs, it->rhs};
        open_block();
        char **v = cg_operands(ops, 2);
        char *end = is_ident_text(v[1]) || isdigit((unsigned char)v[1][0]) ? v[1] : hoist(it->ty->args[0], v[1], "end");
        Local *l = p->local;
        CgLoop *lp = push_loop(e->label, NULL);
        emit("for (%s = %s; %s < %s; %s++) {", decl(l->type, l->cname), v[0], l->cname, end, l->cname);
        cg->indent++;
        loop_body(e->block, lp);
        cg->indent--;
        emit("}");
        pop_loop(lp, true);
        loop_end(lp);
        close_block();
        return;
    }
    open_block();
    IterGen *g = iter_open(e->operand, false);
    temps_push(); /* the iterable's temporaries live for the whole loop */
    if (g) {
        /* a `return` (or `?`, or a break to an outer loop) out of the loop
         * drops what the iterator still owns, as the loop's end does */
        StrBuf cl;
        sb_init(&cl);
        StrBuf *saved_out = cg->out;
        int saved_indent = cg->indent;
        cg->out = &cl;
        cg->indent = 0;
        iter_close(g);
        cg->out = saved_out;
        cg->indent = saved_indent;
        push_scope();
        for (char *line = cl.data ? strtok(cl.data, "\n") : NULL; line; line = strtok(NULL, "\n"))
            list_push(&cg->scopes[cg->nscopes - 1]->cleanup, xstrdup(line));
        sb_free(&cl);
        CgLoop *lp = push_loop(e->label, NULL);
        emit("for (;;) {");
        cg->indent++;
        push_scope();
        Type *item = p->ty;
        for (int i = 0; i < p->derefs; i++)
            item = ty_ref(item, false);
        char *x;
        if (ident) {
            x = p->local->cname;
            emit("%s;", decl(p->local->type, x));
            iter_next(g, x);
            register_local(p->local);
        } else {
            x = fresh("item");
            emit("%s;", decl(g->item, x));
            iter_next(g, x);
            List binds = {0};
            collect_binds(p, &binds);
            if (binds.len == 0 && !pat_test(p, x))
                emit("(void)%s;", x);
            pat_bind(p, x);
        }
        lp->scope_depth = cg->nscopes - 1; /* break and continue also drop the item */
        loop_body(e->block, lp);
        pop_scope(true, e);
        iteration_end(lp);
        cg->indent--;
        emit("}");
        pop_loop(lp, true);
        loop_end(lp);
        cg->nscopes--; /* the iterator's scope: its cleanup follows */
        iter_close(g);
    }
    temps_pop();
    close_block();
}

static void cg_while(Expr *e)
{
    if (e->cond->kind == EX_LET) {
        Expr *let = e->cond;
        CgLoop *lp = push_loop(e->label, NULL);
        emit("for (;;) {");
        cg->indent++;
        push_scope();
        lp->scope_depth = cg->nscopes - 1;
        char *pl = cg_scrutinee(let->rhs, pat_moves(let->pat));
        char *t = pat_test(let->pat, pl);
        if (t) {
            emit("if (!(%s)) {", t);
            cg->indent++;
            drop_temps(scrutinee_temps());
            emit("break;");
            cg->indent--;
            emit("}");
        }
        push_scope(); /* the bindings, dropped before the scrutinee's temporaries */
        pat_bind(let->pat, pl);
        note_pattern_moves(let->pat);
        loop_body(e->block, lp);
        pop_scope(true, e);
        scrutinee_end();
        pop_scope(true, e);
        iteration_end(lp);
        cg->indent--;
        emit("}");
        pop_loop(lp, true);
        loop_end(lp);
        return;
    }
    StrBuf buf;
    sb_init(&buf);
    StrBuf *saved = cg->out;
    cg->out = &buf;
    cg->indent++;
    char *c = cg_condition(e->cond);
    cg->indent--;
    cg->out = saved;
    CgLoop *lp = push_loop(e->label, NULL);
    if (!buf.len) {
        emit("while (%s) {", cond(c));
    } else {
        emit("for (;;) {");
        sb_puts(cg->out, buf.data);
        emit("    if (!(%s))", c);
        emit("        break;");
    }
    sb_free(&buf);
    cg->indent++;
    loop_body(e->block, lp);
    cg->indent--;
    emit("}");
    pop_loop(lp, true);
    loop_end(lp);
}

static CgLoop *target_loop(const char *label)
{
    for (CgLoop *l = cg->loops; l; l = l->parent)
        if (label ? (l->label && strcmp(l->label, label) == 0) : !l->is_block)
            return l;
    return NULL;
}

static void cg_break(Expr *e, bool is_continue)
{
    CgLoop *l = target_loop(e->label);
    if (!l)
        return;
    if (!is_continue && e->operand) {
        char *v = cg_expr(e->operand);
        if (l->break_dest && v)
            emit("%s = %s;", l->break_dest, v);
    }
    drops_to_depth(l->scope_depth, e);
    bool innermost = l == cg->loops && l->switch_depth == 0 && !l->is_block;
    if (innermost) {
        emit(is_continue ? "continue;" : "break;");
    } else if (is_continue) {
        l->used_goto_cont = true;
        emit("goto cont_%d;", l->id);
    } else {
        l->used_goto_break = true;
        emit("goto brk_%d;", l->id);
    }
}

static char *cg_try(Expr *e)
{
    Type *t = e->operand->ty;
    char *v = cg_expr(e->operand);
    char *x = is_ident_text(v) ? v : hoist(t, v, "tried");
    bool is_opt = t->adt == cg->prog->option;
    const char *bad = is_opt ? "None" : "Err";
    emit("if (%s.tag == %s_%s) {", x, mangle(t), bad);
    cg->indent++;
    Type *rt = cg->ret;
    char *err = xprintf("%s.Err._0", x);
    if (e->sema) /* the error converted by the impl From<E> for the fn's error type */
        err = xprintf("%s(%s)", ((FnDef *)e->sema)->cname, err);
    char *ret = is_opt ? none(rt) : xprintf("(%s){.tag = %s_Err, .Err = {%s}}", ctype(rt), mangle(rt), err);
    deliver((Dest){D_RETURN, NULL}, rt, ret, e);
    cg->indent--;
    emit("}");
    return xprintf("%s.%s._0", x, is_opt ? "Some" : "Ok");
}

static void cg_loop(Expr *e, Dest d)
{
    CgLoop *lp = push_loop(e->label, d.kind == D_ASSIGN ? (char *)d.var : NULL);
    emit("for (;;) {");
    cg->indent++;
    loop_body(e->block, lp);
    cg->indent--;
    emit("}");
    pop_loop(lp, true);
    loop_end(lp);
    if (d.kind == D_RETURN && !is_never(e->ty))
        deliver(d, e->ty, NULL, e);
}

/* Evaluate a block-like (or any) expression into a destination. */
static void cg_into(Expr *e, Dest d)
{
    Expr *u = unparen(e);
    switch (u->kind) {
    case EX_IF:
        cg_if_into(u, d);
        return;
    case EX_MATCH:
        cg_match_into(u, d);
        return;
    case EX_BLOCK:
        if (u->label) {
            CgLoop *lp = push_loop(u->label, d.kind == D_ASSIGN ? (char *)d.var : NULL);
            lp->is_block = true;
            emit("{");
            cg->indent++;
            cg_block_into(u->block, d, true);
            cg->indent--;
            emit("}");
            pop_loop(lp, true);
            loop_end(lp);
            return;
        }
        emit("{");
        cg->indent++;
        cg_block_into(u->block, d, true);
        cg->indent--;
        emit("}");
        return;
    case EX_LOOP:
        if (d.kind == D_RETURN && !is_never(u->ty)) {
            char *r = fresh("loop_value");
            emit("%s = %s;", decl(u->ty, r), dummy(u->ty));
            cg_loop(u, assign_to(r));
            deliver(d, u->ty, r, u);
            return;
        }
        cg_loop(u, d);
        return;
    case EX_WHILE:
        cg_while(u);
        if (d.kind == D_RETURN)
            deliver(d, u->ty, NULL, u);
        return;
    case EX_FOR:
        cg_for(u);
        if (d.kind == D_RETURN)
            deliver(d, u->ty, NULL, u);
        return;
    default: {
        char *v = cg_expr(e);
        deliver(d, e->ty, v ? v : NULL, u);
        return;
    }
    }
}

/* A block-like expression used as a value: a temporary receives it. */
static char *blocklike_value(Expr *e)
{
    if (is_void(e->ty)) {
        cg_into(e, discard());
        return NULL;
    }
    char *t = fresh("value");
    emit("%s = %s;", decl(e->ty, t), dummy(e->ty));
    cg_into(e, assign_to(t));
    return t;
}

/* ---- the expression switch ----------------------------------------------------------------------------- */

static char *cg_path(Expr *e)
{
    Def *d = e->def;
    switch (d->kind) {
    case DEF_LOCAL:
        return xstrdup(d->local->cname);
    case DEF_FN:
        return xstrdup(d->fn->cname);
    case DEF_CONST:
    case DEF_STATIC:
        if (!d->cname) {
            not_supported(e->span, "this associated const here");
            return dummy(e->ty);
        }
        return xstrdup(d->cname);
    case DEF_VARIANT:
    case DEF_ADT:
        if (e->ty->kind == TY_FN) {
            not_supported(e->span, "a constructor used as a function value");
            return dummy(e->ty);
        }
        return construct(e->ty, d->kind == DEF_VARIANT ? d->variant : 0, NULL, 0);
    case DEF_BUILTIN: {
        Type *t = d->type;
        switch (d->builtin) {
        case BI_INT_MAX: return xprintf("(%s)%s", prim_c[t->kind], int_max_macro(t));
        case BI_INT_MIN:
            return t->kind <= TY_ISIZE ? xprintf("(%s)%s", prim_c[t->kind], int_min_macro(t)) : xstrdup("0");
        case BI_INT_BITS: return xprintf("%du", ty_int_bits(t));
        case BI_FLOAT_MAX: return xstrdup(t->kind == TY_F32 ? "FLT_MAX" : "DBL_MAX");
        case BI_FLOAT_MIN: return xstrdup(t->kind == TY_F32 ? "-FLT_MAX" : "-DBL_MAX");
        case BI_FLOAT_MIN_POSITIVE: return xstrdup(t->kind == TY_F32 ? "FLT_MIN" : "DBL_MIN");
        case BI_FLOAT_EPSILON: return xstrdup(t->kind == TY_F32 ? "FLT_EPSILON" : "DBL_EPSILON");
        case BI_FLOAT_INFINITY: return xstrdup(t->kind == TY_F32 ? "INFINITY" : "(double)INFINITY");
        case BI_FLOAT_NEG_INFINITY: return xstrdup(t->kind == TY_F32 ? "-INFINITY" : "-(double)INFINITY");
        case BI_FLOAT_NAN: return xstrdup(t->kind == TY_F32 ? "NAN" : "(double)NAN");
        case BI_F64_PI: return xstrdup(t->kind == TY_F32 ? "3.14159265358979323846f" : "3.14159265358979323846");
        case BI_F64_E: return xstrdup(t->kind == TY_F32 ? "2.71828182845904523536f" : "2.71828182845904523536");
        case BI_F64_SQRT_2: return xstrdup(t->kind == TY_F32 ? "1.41421356237309504880f" : "1.41421356237309504880");
        case BI_F64_LN_2: return xstrdup(t->kind == TY_F32 ? "0.693147180559945309417f" : "0.693147180559945309417");
        case BI_F64_TAU: return xstrdup(t->kind == TY_F32 ? "6.28318530717958647692f" : "6.28318530717958647692");
        default: break;
        }
        break;
    }
    default:
        break;
    }
    not_supported(e->span, "this path");
    return dummy(e->ty);
}

static char *cg_struct_lit(Expr *e)
{
    Def *d = e->def;
    AdtDef *a = d->adt;
    int vi = d->kind == DEF_VARIANT ? d->variant : 0;
    VariantInfo *v = &a->variants[vi];
    int n = v->nfields;
    char **vals = arena_alloc(g_arena, sizeof(char *) * (size_t)(n + 1));
    /* field initializers in source order, then placed by field index */
    Expr **order = arena_alloc(g_arena, sizeof(Expr *) * (size_t)(e->fields.len + 1));
    for (int i = 0; i < e->fields.len; i++)
        order[i] = ((FieldInit *)e->fields.items[i])->value;
    char **texts = cg_operands(order, e->fields.len);
    for (int i = 0; i < e->fields.len; i++) {
        FieldInit *fi = e->fields.items[i];
        for (int k = 0; k < n; k++)
            if (strcmp(v->fields[k].name, fi->name) == 0)
                vals[k] = texts[i];
    }
    if (e->base) {
        Expr *bu = unparen(e->base);
        bool place = bu->kind == EX_PATH || bu->kind == EX_FIELD || bu->kind == EX_TUPLE_FIELD ||
                     bu->kind == EX_INDEX || (bu->kind == EX_UNARY && bu->unop == UN_DEREF);
        char *b;
        if (place) {
            b = cg_lvalue(e->base);
            Local *l = bu->kind == EX_PATH && bu->def && bu->def->kind == DEF_LOCAL ? bu->def->local : NULL;
            if (l && split_local(l) && !a->is_enum)
                for (int k = 0; k < n; k++) {
                    const char *step, *fpl;
                    Type *ft = field_of(l, k, &step, &fpl);
                    if (!vals[k] && field_flagged(l, step, ft))
                        clear_flag(part_name(l, step, "live")); /* this field moves into the new value */
                }
        } else {
            /* a temporary base: its remaining fields move into the result,
             * the ones given explicitly are dropped */
            b = hoist(e->base->ty, cg_expr(e->base), "base");
            const char *pre = a->is_enum ? xprintf("%s.", v->name) : "";
            for (int k = 0; k < n; k++)
                if (vals[k])
                    emit_drop_place(ty_subst(v->fields[k].type, e->ty->args, e->ty->nargs),
                                    member(b, xprintf("%s%s", pre, field_name(v, k))));
        }
        const char *pre = a->is_enum ? xprintf("%s.", v->name) : "";
        for (int k = 0; k < n; k++)
            if (!vals[k])
                vals[k] = member(b, xprintf("%s%s", pre, field_name(v, k)));
    }
    if (!a->is_enum) {
        StrBuf sb;
        sb_init(&sb);
        sb_printf(&sb, "(%s){", ctype(e->ty));
        for (int k = 0; k < n; k++)
            sb_printf(&sb, "%s.%s = %s", k ? ", " : "", field_name(v, k), vals[k] ? vals[k] : "{0}");
        if (n == 0)
            sb_puts(&sb, "0");
        sb_puts(&sb, "}");
        char *r = xstrdup(sb.data);
        sb_free(&sb);
        return r;
    }
    return construct(e->ty, vi, vals, n);
}

static bool cg_mut_slice; /* the slice view being made is borrowed mutably (&mut v[a..b]) */

static char *cg_expr_inner(Expr *e)
{
    switch (e->kind) {
    case EX_INT:
        if (ty_is_float(e->ty))
            return int_lit(e->ty, e->int_val);
        return int_lit(e->ty, e->int_val);
    case EX_FLOAT:
        return float_lit(e, e->ty);
    case EX_BOOL:
        return xstrdup(e->bool_val ? "true" : "false");
    case EX_CHAR:
        return char_lit(e->int_val);
    case EX_BYTE:
        return xprintf("%llu", (unsigned long long)e->int_val);
    case EX_STR:
        return xprintf("MRS_STR(%s)", c_string(e->str, e->str_len));
    case EX_BYTE_STR: {
        Type *arr = e->ty->args[0];
        char *t = fresh("bytes");
        StrBuf sb;
        sb_init(&sb);
        for (size_t i = 0; i < e->str_len; i++)
            sb_printf(&sb, "%s%u", i ? ", " : "", (unsigned char)e->str[i]);
        emit("static const %s %s = {{%s}};", ctype(arr), t, sb.data ? sb.data : "0");
        sb_free(&sb);
        return xprintf("&%s", t);
    }
    case EX_PATH:
        return cg_path(e);
    case EX_PAREN:
        return cg_expr(e->operand);
    case EX_UNARY:
        return cg_unary(e);
    case EX_REF: {
        Type *ot = e->operand->ty;
        Extended *x = extended_temp(e->operand);
        if (x)
            return addr_text(extend_temp(x, e->operand));
        if (!e->is_mut && is_c_literal(e->operand) && unparen(e->operand)->kind != EX_STR) {
            /* rustc promotes a constant behind `&` to a static: it outlives the frame */
            char *name = fresh("promoted");
            emit("static const %s = %s;", decl(ot, name), cg_expr(e->operand));
            return xprintf("&%s", name);
        }
        if (ot->kind == TY_STR || ot->kind == TY_SLICE) { /* &s[..], &*s: already a fat value */
            bool saved = cg_mut_slice;
            cg_mut_slice = e->is_mut;
            char *v = cg_expr(e->operand);
            cg_mut_slice = saved;
            return v;
        }
        Expr *op = unparen(e->operand);
        if (ot->kind == TY_FN && op->kind == EX_PATH && op->def && op->def->kind == DEF_FN)
            /* `&f` of a fn item: a pointer to a fn-pointer value, not C's `&f` */
            return xprintf("&(%s){%s}", ctype(ot), cg_expr(op));
        char *p = cg_lvalue(e->operand);
        return addr_text(p);
    }
    case EX_BINARY:
        return cg_binary(e);
    case EX_ASSIGN: {
        Expr *lhs = unparen(e->lhs);
        if (lhs->kind == EX_PATH && lhs->path->segs.len == 1 && !lhs->def) {
            deliver(discard(), e->rhs->ty, cg_expr(e->rhs), NULL); /* _ = expr */
            return NULL;
        }
        char *v = cg_expr(e->rhs);
        char *p = cg_place(e->lhs);
        Local *root = root_local(e->lhs);
        bool whole = root && unparen(e->lhs)->kind == EX_PATH;
        if (root && split_local(root) && whole) {
            /* the fields still owned are dropped, then every field is there again */
            char *nv = is_ident_text(v) ? v : hoist(e->lhs->ty, v, "new");
            emit_split_drop(root);
            emit("%s = %s;", p, nv);
            set_split_flags(root);
            return NULL;
        }
        if (root && enum_split(root) && whole) {
            char *nv = is_ident_text(v) ? v : hoist(e->lhs->ty, v, "new");
            drop_owned(root, root->type, "", root->cname);
            emit("%s = %s;", p, nv);
            set_enum_split_flags(root);
            if (guarded(root))
                emit("%s_guard.drop = %s;", root->cname, unwind_drop_fn(root->type));
            return NULL;
        }
        if (!root && lhs->kind == EX_UNARY && lhs->unop == UN_DEREF) { /* `*b = v` on a Box */
            Local *b = root_local(lhs->operand);
            root = b && split_local(b) ? b : NULL;
        }
        const char *step = root && split_local(root) ? direct_field(e->lhs, root) : NULL;
        if (step && moved_inside(root, step)) {
            /* `x.a = v` where a part of x.a was moved on some path: its parts go by their flags */
            char *nv = is_ident_text(v) ? v : hoist(e->lhs->ty, v, "new");
            List parts = split_parts(root);
            size_t n = strlen(step);
            for (int k = 0; k < parts.len; k++) {
                Part *pt = parts.items[k];
                if (strncmp(pt->path, step, n) || pt->path[n] != '.')
                    continue;
                if (field_flagged(root, pt->path, pt->type)) {
                    emit("if (%s)", part_name(root, pt->path, "live"));
                    cg->indent++;
                    emit_drop_place(pt->type, pt->place);
                    cg->indent--;
                } else {
                    emit_drop_place(pt->type, pt->place);
                }
            }
            emit("%s = %s;", p, nv);
            for (int k = 0; k < parts.len; k++) {
                Part *pt = parts.items[k];
                if (!strncmp(pt->path, step, n) && pt->path[n] == '.' && field_flagged(root, pt->path, pt->type))
                    emit("%s = true;", part_name(root, pt->path, "live"));
            }
            return NULL;
        }
        if (step && field_flagged(root, step, e->lhs->ty)) {
            /* a field moved on some path: its old value is dropped only if it is still there */
            char *nv = is_ident_text(v) ? v : hoist(e->lhs->ty, v, "new");
            emit("if (%s)", part_name(root, step, "live"));
            cg->indent++;
            emit_drop_place(e->lhs->ty, p);
            cg->indent--;
            emit("%s = %s;", p, nv);
            emit("%s = true;", part_name(root, step, "live"));
            return NULL;
        }
        if (root && flagged(root) && whole) {
            /* the old value is dropped only if it is still there */
            char *nv = is_ident_text(v) ? v : hoist(e->lhs->ty, v, "new");
            emit("if (%s_live)", root->cname);
            cg->indent++;
            emit_drop_place(e->lhs->ty, p);
            cg->indent--;
            emit("%s = %s;", p, nv);
            emit("%s_live = true;", root->cname);
            return NULL;
        }
        if (root && whole && has_drop(e->lhs->ty) && static_moves(root)) {
            /* moved on every path here, or on none (the CFG says which) */
            char *nv = is_ident_text(v) ? v : hoist(e->lhs->ty, v, "new");
            if (bck_drop_state(root, e) == DROP_LIVE)
                emit_drop_place(e->lhs->ty, p);
            else
                emit("/* `%s` was moved out: no old value to drop */", root->name);
            emit("%s = %s;", p, nv);
            if (guarded(root))
                emit("%s_guard.drop = %s; /* `%s` holds a value again */", root->cname, unwind_drop_fn(root->type),
                     root->name);
            return NULL;
        }
        /* the old value is dropped; a field of a partly moved local is left alone */
        if (has_drop(e->lhs->ty) && !(root && flagged(root))) {
            /* the old value is dropped when the new one is stored */
            char *nv = is_ident_text(v) ? v : hoist(e->lhs->ty, v, "new");
            emit_drop_place(e->lhs->ty, p);
            v = nv;
        }
        if (v)
            emit("%s = %s;", p, v);
        return NULL;
    }
    case EX_ASSIGN_OP: {
        Type *lt = e->lhs->ty;
        if (e->sema) { /* impl AddAssign for T */
            FnDef *f = e->sema;
            char *v = cg_expr(e->rhs);
            char *p = cg_place(e->lhs);
            emit("%s(%s, %s);", f->cname, addr_text(p), v);
            return NULL;
        }
        if (lt->kind == TY_STRING) {
            char *v = cg_expr(e->rhs);
            char *p = cg_place(e->lhs);
            emit("mrs_string_push_str(%s, %s);", addr_text(p), str_value(e->rhs->adjust ? e->rhs->adjust->target : e->rhs->ty, v));
            return NULL;
        }
        char *v = num_operand(e->rhs, cg_expr(e->rhs));
        char *p = cg_place(e->lhs);
        if (!is_ident_text(p) && strchr(p, '(')) {
            /* evaluate the place once */
            char *ptr = hoist(ty_ref(lt, true), addr_text(p), "place");
            p = deref_text(ptr);
        }
        Type *t = peel_refs(lt);
        emit("%s = %s;", p, arith(e->binop, t, p, v, e->span));
        return NULL;
    }
    case EX_CAST:
        return cg_cast(e);
    case EX_CALL:
        return cg_call(e);
    case EX_METHOD:
        return cg_method(e);
    case EX_FIELD:
    case EX_TUPLE_FIELD:
    case EX_INDEX: {
        if (e->kind == EX_INDEX && unparen(e->rhs)->kind == EX_RANGE) {
            /* &v[a..b], &s[a..] : a slice view after Rust's checks */
            FieldRes *fr = e->sema;
            Type *bt = fr->base_ty;
            char *base = deref_n(cg_lvalue(e->lhs), e->lhs->ty, fr->derefs);
            Expr *r = unparen(e->rhs);
            Expr *ops[2] = {r->lhs, r->rhs};
            int nops = 0;
            Expr *present[2];
            for (int i = 0; i < 2; i++)
                if (ops[i])
                    present[nops++] = ops[i];
            char **v = cg_operands(present, nops);
            char *lo = r->lhs ? v[0] : "0";
            char *hi = r->rhs ? v[r->lhs ? 1 : 0] : NULL;
            Span at = bracket_span(e);
            if (bt->kind == TY_STRING || bt->kind == TY_STR) {
                char *s = bt->kind == TY_STRING ? xprintf("mrs_string_as_str(%s)", addr_text(base)) : base;
                if (!hi)
                    return xprintf("mrs_str_slice_from(%s, %s, %s)", s, lo, loc(at));
                return xprintf("mrs_str_slice%s(%s, %s, %s, %s)", r->inclusive ? "_inclusive" : "", s, lo, hi, loc(at));
            }
            char *len = slice_len(bt, base);
            char *lov = is_ident_text(lo) || isdigit((unsigned char)lo[0]) ? lo : hoist(ty_prim(TY_USIZE), lo, "lo");
            char *hiv = hi ? (is_ident_text(hi) || isdigit((unsigned char)hi[0]) ? hi : hoist(ty_prim(TY_USIZE), hi, "hi")) : len;
            emit("mrs_slice_check%s(%s, %s, %s, %s);", r->inclusive ? "_inclusive" : "", loc(at), lov, hiv, len);
            bool mut = (e->adjust && e->adjust->autoref == 2) || cg_mut_slice;
            Type *st = ty_ref(ty_slice(bt->args[0]), mut);
            return xprintf("(%s){%s + %s, %s - %s%s}", ctype(st), slice_ptr(bt, base), lov, hiv, lov,
                           r->inclusive ? " + 1" : "");
        }
        return cg_place(e);
    }
    case EX_TUPLE: {
        if (e->args.len == 0)
            return NULL;
        char **v = cg_args(&e->args);
        return xprintf("(%s){%s}", ctype(e->ty), join_args(v, e->args.len, NULL));
    }
    case EX_ARRAY: {
        char **v = cg_args(&e->args);
        return xprintf("(%s){{%s}}", ctype(e->ty), e->args.len ? join_args(v, e->args.len, NULL) : "0");
    }
    case EX_ARRAY_REPEAT: {
        char *x = cg_expr(e->lhs);
        char *t = fresh("array");
        emit("%s;", decl(e->ty, t));
        char *xv = is_ident_text(x) || isdigit((unsigned char)x[0]) ? x : hoist(e->lhs->ty, x, "elem");
        emit("for (size_t i = 0; i < %llu; i++)", (unsigned long long)e->ty->len);
        emit("    %s.a[i] = %s;", t, xv);
        return t;
    }
    case EX_STRUCT:
        return cg_struct_lit(e);
    case EX_RANGE: {
        Expr *ops[2] = {e->lhs, e->rhs};
        if (!e->lhs || !e->rhs) {
            not_supported(e->span, "an open range outside an index");
            return dummy(e->ty);
        }
        char **v = cg_operands(ops, 2);
        return xprintf("(%s){%s, %s}", ctype(e->ty), v[0], v[1]);
    }
    case EX_BLOCK:
    case EX_IF:
    case EX_MATCH:
    case EX_LOOP:
    case EX_WHILE:
    case EX_FOR:
        return blocklike_value(e);
    case EX_BREAK:
        cg_break(e, false);
        return NULL;
    case EX_CONTINUE:
        cg_break(e, true);
        return NULL;
    case EX_RETURN: {
        char *v = e->operand ? cg_expr(e->operand) : NULL;
        deliver((Dest){D_RETURN, NULL}, e->operand ? e->operand->ty : ty_unit(), v, e);
        return NULL;
    }
    case EX_TRY:
        return cg_try(e);
    case EX_CLOSURE:
        return cg_closure(e);
    case EX_MACRO:
        return cg_macro(e);
    default:
        not_supported(e->span, "this expression");
        return dummy(e->ty);
    }
}

/* Inside a closure's function: a captured place is reached through `env`. */
static char *capture_text(Expr *e)
{
    if (!cg->closure)
        return NULL;
    Expr *u = unparen(e);
    if (u->kind != EX_PATH && u->kind != EX_FIELD && u->kind != EX_TUPLE_FIELD &&
        !(u->kind == EX_UNARY && u->unop == UN_DEREF))
        return NULL;
    Capture *cp = sema_capture_of(cg->closure, u);
    if (!cp)
        return NULL;
    if (e->moves && cg->closure->kind == FN_ONCE && env_flagged(cp))
        clear_flag(xprintf("env_%s_live", cp->field)); /* the body moves it out */
    return cp->mode == CAP_VALUE ? xprintf("env->%s", cp->field) : xprintf("(*env->%s)", cp->field);
}

/* The function of a closure: its body, taking the environment by pointer
 * (`const` for Fn), written to closure_fns ahead of the enclosing fn. */
static void emit_closure_fn(Closure *clo)
{
    StrBuf *out = cg->out;
    int indent = cg->indent, nscopes = cg->nscopes;
    List pending = cg->pending;
    bool pending_tail = cg->pending_tail;
    int nframes = cg->nframes;
    struct TempFrame *frames[256];
    memcpy(frames, cg->frames, sizeof frames);
    CgLoop *loops = cg->loops;
    Type *ret = cg->ret;
    Closure *outer = cg->closure;
    CgScope *scopes[256];
    memcpy(scopes, cg->scopes, sizeof scopes);

    StrBuf buf, proto;
    sb_init(&buf);
    sb_init(&proto);
    cg->out = &buf;
    cg->indent = 1;
    cg->pending = (List){0};
    cg->pending_tail = false;
    cg->nframes = 0;
    cg->nscopes = 0;
    cg->loops = NULL;
    cg->ret = clo->ret;
    cg->closure = clo;
    sb_printf(&proto, "MRS_UNUSED static %s %s_%s(%s%s *env", cret(clo->ret), clo->cname, call_suffix[clo->kind],
              clo->kind == FN_FN ? "const " : "", clo->cname);
    Expr *e = clo->expr;
    for (int i = 0; i < e->params.len; i++) {
        ClosureParam *cp = e->params.items[i];
        Pat *p = cp->pat;
        bool simple = p->kind == PAT_IDENT && p->local && !p->def && !p->sub && !p->bind_ref;
        sb_printf(&proto, ", %s", decl(clo->params[i], simple ? p->local->cname : xprintf("arg_%d", i)));
    }
    sb_puts(&proto, ")");
    sb_printf(&cg->protos, "%s;\n", proto.data);
    Span sp = e->span;
    sb_printf(&buf, "/* the body of the closure at %d:%d (%s): %s */\n%s\n{\n", sp.line, sp.col,
              kind_name[clo->kind],
              clo->kind == FN_ONCE  ? "called once, it consumes its environment"
              : clo->kind == FN_MUT ? "it may change its environment, so the env pointer is not const"
                                    : "it only reads its environment",
              proto.data);
    if (!clo->captures.len)
        emit("(void)env; /* it captures nothing */");
    if (clo->kind == FN_ONCE)
        for (int i = 0; i < clo->captures.len; i++) {
            Capture *cp = clo->captures.items[i];
            if (env_flagged(cp))
                emit("bool env_%s_live = true; /* drop flag: the body moves `%s` out */", cp->field, cp->place);
        }
    if (clo->kind == FN_ONCE) /* last first, so that a panic drops them in capture order */
        for (int i = clo->captures.len - 1; i >= 0; i--) {
            Capture *cp = clo->captures.items[i];
            if (!env_guarded(cp))
                continue;
            emit("MrsUnwindGuard env_%s_guard = { mrs_unwind_top, &env->%s, %s, %s }; /* a panic drops `%s` */",
                 cp->field, cp->field, unwind_drop_fn(cp->type),
                 env_flagged(cp) ? xprintf("&env_%s_live", cp->field) : "NULL", cp->place);
            emit("mrs_unwind_top = &env_%s_guard;", cp->field);
        }
    push_scope();
    for (int i = 0; i < e->params.len; i++) {
        ClosureParam *cp = e->params.items[i];
        Pat *p = cp->pat;
        if (p->kind == PAT_IDENT && p->local && !p->def && !p->sub && !p->bind_ref)
            register_local(p->local);
        else if (p->kind == PAT_WILD)
            emit("(void)arg_%d; /* `_` */", i);
        else
            pat_bind(p, xprintf("arg_%d", i));
    }
    Expr *b = unparen(e->body);
    Block *outer_body = cg->body;
    if (b->kind == EX_BLOCK && !b->label && !b->is_unsafe) {
        cg->body = b->block;
        cg_block_into(b->block, (Dest){D_RETURN, NULL}, false);
        if (!is_void(cg->ret) && b->block->tail && is_blocklike(b->block->tail))
            emit("mrs_unreachable(); /* every path above returns */");
    } else {
        cg_into(e->body, (Dest){D_RETURN, NULL});
        if (!is_void(cg->ret) && is_blocklike(e->body))
            emit("mrs_unreachable(); /* every path above returns */");
    }
    cg->body = outer_body;
    sb_puts(&buf, "}\n\n");
    sb_puts(&cg->closure_fns, buf.data);
    sb_free(&buf);
    sb_free(&proto);

    cg->out = out;
    cg->indent = indent;
    cg->nscopes = nscopes;
    memcpy(cg->scopes, scopes, sizeof scopes);
    cg->pending = pending;
    cg->pending_tail = pending_tail;
    cg->nframes = nframes;
    memcpy(cg->frames, frames, sizeof frames);
    cg->loops = loops;
    cg->ret = ret;
    cg->closure = outer;
}

/* A closure expression: its function is emitted, and its value is the
 * environment, built here: a pointer to each place it borrows, the value
 * of each it captures by value (moving it). */
static char *cg_closure(Expr *e)
{
    Closure *clo = e->sema;
    const char *ct = ctype(e->ty);
    emit_closure_fn(clo);
    if (!clo->captures.len)
        return xprintf("(%s){0}", ct);
    StrBuf sb;
    sb_init(&sb);
    sb_printf(&sb, "(%s){", ct);
    for (int i = 0; i < clo->captures.len; i++) {
        Capture *cp = clo->captures.items[i];
        char *v;
        if (cp->mode == CAP_VALUE) {
            Expr *mv = NEW(Expr);
            *mv = *cp->place_expr;
            mv->adjust = NULL;
            mv->moves = !sema_is_copy(cg->fn, cp->type) ? cp->root : NULL;
            v = cg_expr(mv);
        } else {
            v = addr_text(cg_place(cp->place_expr));
        }
        sb_printf(&sb, "%s.%s = %s", i ? ", " : "", cp->field, v);
    }
    sb_puts(&sb, "}");
    char *r = xstrdup(sb.data);
    sb_free(&sb);
    return r;
}

static char *cg_expr(Expr *e)
{
    char *cap = capture_text(e);
    if (cap)
        return apply_adjust(e, cap);
    note_move(e);
    char *v = cg_expr_inner(e);
    if (is_never(e->ty))
        return e->adjust && e->adjust->coerce == CO_NEVER ? dummy(e->adjust->target) : NULL;
    if (is_unit(e->ty) && v && !e->adjust) {
        /* `()` as a value: evaluate for effects */
        if (impure(v))
            emit("%s;", v);
        return NULL;
    }
    return apply_adjust(e, v);
}

/* ---- statements and blocks -------------------------------------------------------------------------------- */

static bool binds_ref(Pat *p, void *ctx)
{
    (void)ctx;
    return p->local && p->bind_ref;
}

/* Does pattern p bind anything by reference (which would borrow the value)? */
static bool pat_binds_ref(Pat *p) { return ast_pat_any_ident(p, binds_ref, NULL); }


/* After an irrefutable pattern has taken what it binds by value out of the
 * temporary at `pl`, drop the parts it did not bind (`_`, `..`), in field order:
 * rustc drops them at the end of the `let`. */
static void drop_unbound(Pat *p, Type *t, const char *pl)
{
    if (!p || !has_drop(t) || p->derefs)
        return;
    switch (p->kind) {
    case PAT_WILD:
        emit_drop_place(t, pl);
        return;
    case PAT_TUPLE:
        if (t->kind != TY_TUPLE)
            return;
        for (int k = 0; k < t->nargs; k++) {
            Pat *sub = ast_pat_elem_for(&p->elems, k, t->nargs);
            char *fpl = member(pl, xprintf("_%d", k));
            if (sub)
                drop_unbound(sub, t->args[k], fpl);
            else
                emit_drop_place(t->args[k], fpl);
        }
        return;
    case PAT_TUPLE_STRUCT:
    case PAT_STRUCT: {
        if (t->kind != TY_ADT || t->adt->drop_impl || !p->def)
            return;
        bool variant = t->adt->is_enum;
        if (variant && p->def->kind != DEF_VARIANT)
            return;
        VariantInfo *v = &t->adt->variants[variant ? p->def->variant : 0];
        if (variant) /* the pattern matched: the value is this variant */
            pl = member(pl, v->name);
        for (int k = 0; k < v->nfields; k++) {
            Pat *sub = NULL;
            if (p->kind == PAT_TUPLE_STRUCT) {
                sub = ast_pat_elem_for(&p->elems, k, v->nfields);
            } else {
                for (int i = 0; i < p->fields.len; i++) {
                    FieldPat *fp = p->fields.items[i];
                    if (!strcmp(fp->name, v->kind == SK_TUPLE ? xprintf("%d", k) : v->fields[k].name))
                        sub = fp->pat;
                }
            }
            Type *ft = ty_subst(v->fields[k].type, t->args, t->nargs);
            char *fpl = member(pl, field_name(v, k));
            if (sub)
                drop_unbound(sub, ft, fpl);
            else
                emit_drop_place(ft, fpl);
        }
        return;
    }
    case PAT_OR:
        /* the alternative that matched says what is left */
        for (int i = 0; i < p->elems.len; i++) {
            Pat *alt = p->elems.items[i];
            char *c = pat_test(alt, pl);
            emit("%sif (%s) {", i ? "} else " : "", c ? c : "true");
            cg->indent++;
            drop_unbound(alt, t, pl);
            cg->indent--;
            if (!c)
                break;
        }
        emit("}");
        return;
    default:
        return; /* bindings move their part out; literals and ranges own nothing */
    }
}

static bool is_place_expr(Expr *e)
{
    e = unparen(e);
    return e->kind == EX_PATH || e->kind == EX_FIELD || e->kind == EX_TUPLE_FIELD || e->kind == EX_INDEX ||
           (e->kind == EX_UNARY && e->unop == UN_DEREF);
}

/* Temporary lifetime extension. In `let x = &temp;`, and where the `&temp`
 * is an operand of a braced struct, tuple, array or cast in that position,
 * or the tail of a block or of an `if`/`else` branch there, the temporary
 * lives to the end of the enclosing block instead of the statement: it is
 * dropped like a local declared just before `x`. One in a branch or block
 * is declared ahead of the `let` with a drop flag, since the C block it is
 * made in ends before it dies. */
struct Extended {
    Expr *operand;  /* the borrowed value expression */
    Local *temp;    /* its stand-in local, once made */
    bool nested;    /* made inside a block or branch of the initializer */
};

static List extended; /* List of Extended *: those of the `let` being written */

static void mark_extended(Expr *e, bool nested)
{
    e = unparen(e);
    switch (e->kind) {
    case EX_REF: {
        Expr *op = unparen(e->operand);
        if (!is_place_expr(op) && has_drop(op->ty) && !is_c_literal(op)) {
            Extended *x = NEW(Extended);
            x->operand = op;
            x->nested = nested;
            list_push(&extended, x);
        }
        mark_extended(op, nested);
        return;
    }
    case EX_TUPLE:
    case EX_ARRAY:
        for (int i = 0; i < e->args.len; i++)
            mark_extended(e->args.items[i], nested);
        return;
    case EX_STRUCT:
        for (int i = 0; i < e->fields.len; i++)
            mark_extended(((FieldInit *)e->fields.items[i])->value, nested);
        return;
    case EX_CAST:
        mark_extended(e->operand, nested);
        return;
    case EX_BLOCK:
        if (e->block->tail && !e->label)
            mark_extended(e->block->tail, true);
        return;
    case EX_IF:
        if (e->cond->kind == EX_LET)
            return;
        if (e->block->tail)
            mark_extended(e->block->tail, true);
        if (e->els)
            mark_extended(e->els, true);
        return;
    default:
        return;
    }
}

static Extended *extended_temp(Expr *operand)
{
    operand = unparen(operand);
    for (int i = 0; i < extended.len; i++) {
        Extended *x = extended.items[i];
        if (x->operand == operand)
            return x;
    }
    return NULL;
}

static Local *extended_local(Expr *op, const char *cname, bool flagged_)
{
    Local *l = NEW(Local);
    l->name = one_line(diag_source_text(op->span));
    l->cname = (char *)cname;
    l->type = op->ty;
    l->used = true;
    l->deferred = flagged_;
    l->span = op->span;
    return l;
}

/* Before the `let`: the nested ones are declared, unset. */
static void declare_extended(void)
{
    for (int i = 0; i < extended.len; i++) {
        Extended *x = extended.items[i];
        if (!x->nested)
            continue;
        char *name = fresh("extended");
        emit("%s = %s; /* `%s`, made below, lives to the end of the block */", decl(x->operand->ty, name),
             dummy(x->operand->ty), one_line(diag_source_text(x->operand->span)));
        x->temp = extended_local(x->operand, name, true);
        register_local(x->temp);
    }
}

/* The temporary of an extended `&temp`: its C name. */
static char *extend_temp(Extended *x, Expr *op)
{
    char *v = cg_expr(op);
    if (x->nested) {
        emit("%s = %s;", x->temp->cname, v);
        emit("%s_live = true;", x->temp->cname);
        return x->temp->cname;
    }
    char *name = fresh("extended");
    emit("%s = %s; /* borrowed by the `let`: lives to the end of the block */", decl(op->ty, name), v);
    x->temp = extended_local(op, name, false);
    register_local(x->temp);
    return name;
}

static void cg_let_inner(Stmt *s);

static void cg_let(Stmt *s)
{
    List outer = extended;
    extended = (List){0};
    if (s->init)
        mark_extended(s->init, false);
    declare_extended();
    cg_let_inner(s);
    extended = outer;
}

static void cg_let_inner(Stmt *s)
{
    Pat *p = s->pat;
    line_directive(s->span);
    if (p->kind == PAT_IDENT && !p->def && !p->sub && !p->bind_ref) {
        Local *l = p->local;
        if (!s->init) {
            /* declared now, assigned later: zero-initialized so that a drop is always safe */
            emit("%s = %s;", local_decl(l, false), (l->type->kind <= TY_CHAR) ? "0" : dummy(l->type));
            register_local(l);
            return;
        }
        if (is_blocklike(s->init) && !is_void(l->type)) {
            emit("%s = %s;", decl(l->type, l->cname), dummy(l->type));
            cg_into(s->init, assign_to(l->cname));
        } else {
            char *v = cg_expr(s->init);
            v = v ? v : NULL;
            if (is_void(l->type) && !v) {
                emit("MrsUnit %s = {0};", l->cname);
                emit("(void)%s;", l->cname);
            } else {
                emit("%s = %s;", local_decl(l, true), v ? v : dummy(l->type));
            }
        }
        register_local(l);
        flush_pending();
        return;
    }
    /* `let _ = x;` (or `x.f`) binds nothing and reads nothing: in a closure it
     * does not even capture x */
    if (p->kind == PAT_WILD && s->init && !s->els) {
        Expr *u = unparen(s->init);
        while (u->kind == EX_FIELD || u->kind == EX_TUPLE_FIELD)
            u = unparen(u->operand);
        if (u->kind == EX_PATH && u->def && u->def->kind == DEF_LOCAL) {
            Local *root = u->def->local;
            if (root->closure == cg->closure) /* a local of this C function: keep C quiet about it */
                emit("(void)%s; /* let _ = %s; binds nothing */", root->cname, diag_source_text(s->init->span));
            else
                emit("/* let _ = %s; binds nothing, so it captures nothing */", diag_source_text(s->init->span));
            return;
        }
    }
    /* a destructuring let: the value goes to a temporary, then the pattern binds */
    if (!s->init) {
        not_supported(s->span, "a pattern `let` without initializer");
        return;
    }
    char *v = cg_expr(s->init);
    v = v ? v : NULL;
    char *t = v && is_ident_text(v) ? v : hoist(s->init->ty, v ? v : dummy(s->init->ty), "tuple");
    bool temp = !is_place_expr(s->init) && !pat_binds_ref(p);
    if (s->els) {
        char *test = pat_test(p, t);
        emit("if (!(%s)) {", test ? test : "true");
        cg->indent++;
        if (temp && has_drop(s->init->ty)) {
            emit("/* it did not match: the value is dropped before `else` runs */");
            emit_drop_place(s->init->ty, t);
        }
        cg_block_into(s->els, discard(), true);
        cg->indent--;
        emit("}");
    }
    pat_bind(p, t);
    note_pattern_moves(p);
    List binds = {0};
    collect_binds(p, &binds);
    if (temp)
        drop_unbound(p, s->init->ty, t);
    if (!binds.len && !(temp && p->kind == PAT_WILD && has_drop(s->init->ty)))
        emit("(void)%s;", t);
    flush_pending();
}

static void cg_stmt(Stmt *s)
{
    switch (s->kind) {
    case ST_LET:
        cg_let(s);
        break;
    case ST_EXPR:
        line_directive(s->span);
        if (!is_blocklike(s->expr) && !is_place_expr(s->expr) && s->expr->ty && has_drop(s->expr->ty)) {
            /* a value computed and discarded (`v.remove(0);`) is dropped at the end of the statement */
            char *v = cg_expr(s->expr);
            if (v) {
                char *tmp = is_ident_text(v) ? v : hoist(s->expr->ty, v, "unused");
                emit_drop_place(s->expr->ty, tmp);
            }
        } else {
            cg_into(s->expr, discard());
        }
        flush_pending();
        break;
    default:
        break;
    }
}

static void cg_block_into(Block *b, Dest d, bool new_scope)
{
    if (new_scope)
        push_scope();
    bool diverged = false;
    for (int i = 0; i < b->stmts.len; i++) {
        Stmt *s = b->stmts.items[i];
        cg_stmt(s);
        if (s->kind == ST_EXPR && s->expr->ty && is_never(s->expr->ty))
            diverged = true;
        if (s->kind == ST_LET && s->init && s->init->ty && is_never(s->init->ty))
            diverged = true;
    }
    if (b->tail) {
        line_directive(b->tail->span);
        if (d.kind == D_RETURN) {
            /* the temporaries of a fn body's tail expression are dropped
             * after its locals (Rust 2021) */
            temps_push();
            cg->pending_tail = b == cg->body;
            cg_into(b->tail, d);
            cg->pending = (List){0}; /* every path returned, dropping them */
            temps_pop();
            if (new_scope)
                cg->nscopes--; /* the return path dropped everything */
            return;
        }
        /* the tail's temporaries outlive the block's locals (Rust 2021) */
        temps_push();
        cg_into(b->tail, d);
        diverged |= is_never(b->tail->ty);
        if (new_scope)
            pop_scope(!diverged, b);
        flush_pending();
        temps_pop();
        if (new_scope)
            return;
    } else if (d.kind == D_RETURN && !diverged) {
        /* falling off the end of the function: only the drops remain */
        drops_to_depth(0, b);
        if (!is_void(cg->ret) || b != cg->body) /* a nested block must not fall into the outer drops */
            emit("return;");
        if (new_scope)
            cg->nscopes--;
        return;
    }
    if (new_scope)
        pop_scope(!diverged, b);
}

/* ---- functions and the program ---------------------------------------------------------------------------- */

/* The Rust signature as written, on one line, for the comment above the C function. */
static char *rust_sig(FnDef *f)
{
    const char *src = diag_source_text(f->item->sig->span);
    StrBuf sb;
    sb_init(&sb);
    bool space = false;
    for (const char *p = src; *p; p++) {
        if (isspace((unsigned char)*p)) {
            space = true;
            continue;
        }
        if (space && sb.len && sb.data[sb.len - 1] != '(' && *p != ')' && *p != ',')
            sb_putc(&sb, ' ');
        space = false;
        if (*p == '*' && p[1] == '/')
            sb_puts(&sb, "* ");
        else
            sb_putc(&sb, *p);
    }
    char *r = xstrdup(sb.data ? sb.data : "");
    sb_free(&sb);
    if (f->impl && f->impl->item && f->impl->item->trait_path)
        return xprintf("impl %s for %s: %s", diag_source_text(f->impl->item->trait_path->span),
                       ty_str(f->impl->self_ty), r);
    if (f->is_default && cg->subst)
        return xprintf("impl %s for %s: %s (default from trait %s)", f->trait->name, ty_str(cg->subst[0]), r,
                       f->trait->name);
    if (f->owner)
        return xprintf("impl %s: %s", f->owner->name, r);
    return r;
}

static char *c_proto(FnDef *f)
{
    StrBuf sb;
    sb_init(&sb);
    sb_printf(&sb, "%s %s(", cret(cg->ret), cg->inst_cname ? cg->inst_cname : f->cname);
    int n = 0;
    for (int i = 0; i < f->locals.len && n < f->nparams; i++) {
        Local *l = f->locals.items[i];
        if (!l->is_param)
            continue;
        sb_printf(&sb, "%s%s", n ? ", " : "", local_decl(l, true));
        n++;
    }
    if (n == 0)
        sb_puts(&sb, "void");
    sb_putc(&sb, ')');
    char *r = xstrdup(sb.data);
    sb_free(&sb);
    return r;
}

/* The C names of f's closures: `main_closure_0`, `adder_closure_0`, or after
 * an instance's name. Done for every fn before any is emitted, since a closure
 * type can leave its fn (`-> impl Fn(i32) -> i32`). */
static void name_closures(FnDef *f, const char *fname)
{
    for (int i = 0; i < f->closures.len; i++) {
        Closure *clo = f->closures.items[i];
        clo->cname = xprintf("%s_closure_%d", fname, clo->index);
    }
}

static void cg_fn(FnDef *f)
{
    cg->fn = f;
    if (cg->inst_cname)
        name_closures(f, cg->inst_cname);
    cg->ret = cg->subst ? ty_subst(f->ret, cg->subst, f->ntparams) : f->ret;
    cg->tmp = 0;
    cg->pending = (List){0};
    cg->pending_tail = false;
    cg->nframes = 0;
    cg->nscopes = 0;
    cg->loops = NULL;
    Block *body = f->item->body;
    bool is_main = f == cg->prog->main;
    char *proto = c_proto(f);
    if (!is_main)
        sb_printf(&cg->protos, "%s;\n", proto);
    StrBuf buf;
    sb_init(&buf);
    cg->out = &buf;
    if (cg->subst && !(f->is_default && f->ntparams == 1)) {
        StrBuf with;
        sb_init(&with);
        for (int i = 0; i < f->ntparams; i++)
            sb_printf(&with, "%s%s = %s", i ? ", " : "", f->tparam_names[i] ? f->tparam_names[i] : "impl Trait",
                      ty_str(cg->subst[i]));
        sb_printf(&buf, "/* %s\n * instance: %s */\n", rust_sig(f), with.data);
        sb_free(&with);
    } else {
        sb_printf(&buf, "/* %s */\n", rust_sig(f));
    }
    line_directive(f->item->span);
    sb_printf(&buf, "%s%s\n{\n", is_main ? "static " : "", proto);
    cg->indent = 1;
    push_scope();
    for (int i = 0; i < f->locals.len; i++) {
        Local *l = f->locals.items[i];
        if (l->is_param)
            register_local(l);
    }
    cg->body = body;
    cg_block_into(body, (Dest){D_RETURN, NULL}, false);
    if (!is_void(cg->ret) && body->tail && is_blocklike(body->tail))
        emit("mrs_unreachable(); /* every path above returns */");
    cg->nscopes = 0;
    sb_puts(&buf, "}\n\n");
    if (cg->closure_fns.len) {
        sb_puts(&cg->fns, cg->closure_fns.data);
        sb_free(&cg->closure_fns);
        sb_init(&cg->closure_fns);
    }
    sb_puts(&cg->fns, buf.data);
    sb_free(&buf);
}

/* The body of C's main: rust_main, then what Rust's runtime does with its
 * result. A `Result` main that returns `Err(e)` prints `Error: {e:?}` on
 * stderr and exits with status 1 (std's `Termination` for `Result`). */
static StrBuf c_main_body(FnDef *main_fn)
{
    StrBuf b;
    sb_init(&b);
    Type *rt = main_fn ? main_fn->ret : NULL;
    if (!rt || rt->kind != TY_ADT || rt->adt != cg->prog->result) {
        sb_puts(&b, "    rust_main();\n    mrs_flush_stdout();\n    return 0;\n");
        return b;
    }
    StrBuf *saved = cg->out;
    int indent = cg->indent;
    cg->out = &b;
    cg->indent = 1;
    Type *et = rt->args[1];
    emit("%s result = rust_main();", ctype(rt));
    emit("mrs_flush_stdout();");
    emit("if (result.tag == %s_Err) {", mangle(rt));
    cg->indent++;
    emit("/* main returned `Err`: Rust prints it with `{:?}` and exits with status 1 */");
    emit("MrsString msg = mrs_string_from(MRS_STR(\"Error: \"));");
    emit("{");
    cg->indent++;
    emit("MrsFormatter fmt = mrs_fmt_new(&msg);");
    fmt_place("&fmt", et, FT_DEBUG, "result.Err._0");
    emit("mrs_fmt_lit(&fmt, \"\\n\");");
    cg->indent--;
    emit("}");
    emit("mrs_eprint_string(&msg);");
    emit_drop_place(et, "result.Err._0");
    emit("return 1;");
    cg->indent--;
    emit("}");
    emit("return 0;");
    cg->out = saved;
    cg->indent = indent;
    return b;
}

static bool is_c_literal(Expr *e)
{
    e = unparen(e);
    if (e->kind == EX_INT || e->kind == EX_FLOAT || e->kind == EX_BOOL || e->kind == EX_CHAR || e->kind == EX_BYTE ||
        e->kind == EX_STR)
        return true;
    return e->kind == EX_UNARY && e->unop == UN_NEG && is_c_literal(e->operand);
}

static const char *c_reserved[] = {
    "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern",
    "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return", "short", "signed",
    "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while", "bool",
    "exit", "free", "malloc", "printf", "abs", "pow", "sqrt", "floor", "ceil", "round", "log", "exp", "sin", "cos",
    "tan", "div", "time", "index", "remove", "rename", "abort", "puts", "putchar", "signal", "read", "write",
    "open", "close", "fmod", "fma", "hypot", "atan2", "isnan", "isinf", "memcpy", "memmove", "memset", "strlen",
    "assert", "errno", "y0", "y1", "j0", "j1", "gamma", "rand", "srand", "qsort", "atoi", "labs", "max", "min",
    NULL,
};

static bool reserved_name(const char *n)
{
    for (int i = 0; c_reserved[i]; i++)
        if (strcmp(c_reserved[i], n) == 0)
            return true;
    return strncmp(n, "mrs_", 4) == 0 || strncmp(n, "debug_", 6) == 0 || strncmp(n, "drop_", 5) == 0 ||
           strncmp(n, "clone_", 6) == 0 || strncmp(n, "eq_", 3) == 0 || strncmp(n, "cmp_", 4) == 0;
}

char *cg_program(Program *prog, const CgOptions *opt)
{
    CG state = {0};
    cg = &state;
    cg->prog = prog;
    cg->opt = opt;
    sb_init(&cg->forward);
    sb_init(&cg->types);
    sb_init(&cg->protos);
    sb_init(&cg->helpers);
    sb_init(&cg->fns);
    sb_init(&cg->closure_fns);
    for (int i = 0; i < prog->fns.len; i++) {
        FnDef *f = prog->fns.items[i];
        if (f == prog->main)
            f->cname = "rust_main";
        else if (!f->owner && reserved_name(f->cname))
            f->cname = xprintf("%s_", f->cname);
    }
    /* consts and statics: literals as static consts, the rest initialized first thing in main */
    StrBuf globals, init;
    sb_init(&globals);
    sb_init(&init);
    for (int i = 0; i < prog->consts.len; i++) {
        Def *d = prog->consts.items[i];
        if (reserved_name(d->cname))
            d->cname = xprintf("%s_", d->cname);
    }
    FnDef init_fn = {.name = "init_globals", .cname = "init_globals", .ret = ty_unit()};
    cg->fn = &init_fn;
    for (int i = 0; i < prog->consts.len; i++) {
        Def *d = prog->consts.items[i];
        Item *it = d->item;
        if (!it->init)
            continue;
        const char *what = d->kind == DEF_CONST ? "const" : "static";
        if (is_c_literal(it->init)) {
            cg->out = &globals;
            cg->indent = 0;
            char *v = cg_expr(it->init);
            sb_printf(&globals, "/* %s %s: %s */\nstatic const %s = %s;\n", what, d->name, ty_str(d->type),
                      decl(d->type, d->cname), v);
        } else {
            sb_printf(&globals, "/* %s %s: %s (initialized by init_globals) */\nstatic %s;\n", what, d->name,
                      ty_str(d->type), decl(d->type, d->cname));
            cg->out = &init;
            cg->indent = 1;
            char *v = cg_expr(it->init);
            emit("%s = %s;", d->cname, v ? v : dummy(d->type));
        }
    }
    for (int i = 0; i < prog->fns.len; i++) {
        FnDef *f = prog->fns.items[i];
        if (!f->ntparams)
            name_closures(f, f == prog->main ? "main" : f->cname);
    }
    StrBuf main_buf;
    sb_init(&main_buf);
    for (int i = 0; i < prog->fns.len; i++) {
        FnDef *f = prog->fns.items[i];
        if (f->ntparams)
            continue;
        if (f == prog->main) {
            /* main goes last, after the instances it asks for */
            StrBuf saved = cg->fns;
            cg->fns = main_buf;
            cg_fn(f);
            main_buf = cg->fns;
            cg->fns = saved;
            continue;
        }
        cg_fn(f);
    }
    StrBuf c_main = c_main_body(prog->main);
    /* generic fns: each instance is re-checked with its type arguments, then emitted */
    for (int qi = 0; qi < cg->queue.len; qi++) {
        CgInst *ci = cg->queue.items[qi];
        FnDef *f = ci->fn;
        sema_check_instance(prog, f, ci->args);
        bck_flags(prog, f); /* moves depend on the instance (T = i32 copies, T = String moves) */
        cg->inst_cname = ci->name;
        cg->subst = ci->args;
        cg_fn(f);
        cg->subst = NULL;
        cg->inst_cname = NULL;
    }
    if (main_buf.len)
        sb_puts(&cg->fns, main_buf.data);
    sb_free(&main_buf);

    StrBuf out;
    sb_init(&out);
    sb_printf(&out, "/* Generated by mrsc from %s: Rust's semantics, written out in C.\n", opt->src_path);
    sb_printf(&out, " * Build: cc -std=c11 $(pkg-config --cflags mrsrt) FILE.c $(pkg-config --libs mrsrt) */\n");
    sb_puts(&out, "#include \"mrs_rt.h\"\n\n#include <float.h>\n#include <math.h>\n#include <stdbool.h>\n#include <stdint.h>\n#include <string.h>\n\n");
    sb_puts(&out, "#if defined(__GNUC__) && !defined(__clang__)\n"
                  "/* A Rust recursion may end only by panicking; gcc counts that as infinite. */\n"
                  "#pragma GCC diagnostic ignored \"-Winfinite-recursion\"\n"
                  "#endif\n\n");
    sb_printf(&out, "#define SRC_FILE %s\n", c_string(opt->src_path, strlen(opt->src_path)));
    sb_puts(&out, "#define LOC(line, col) MRS_LOC(SRC_FILE, (line), (col))\n\n");
    if (cg->forward.len)
        sb_printf(&out, "/* ---- types ---- */\n\n%s\n", cg->forward.data);
    if (cg->types.len)
        sb_printf(&out, "%s%s", cg->forward.len ? "" : "/* ---- types ---- */\n\n", cg->types.data);
    if (globals.len)
        sb_printf(&out, "/* ---- consts and statics ---- */\n\n%s\n", globals.data);
    if (cg->protos.len)
        sb_printf(&out, "/* ---- prototypes ---- */\n\n%s\n", cg->protos.data);
    if (cg->helpers.len)
        sb_printf(&out, "/* ---- derived and std helpers ---- */\n\n%s", cg->helpers.data);
    if (init.len)
        sb_printf(&out, "static void init_globals(void)\n{\n%s}\n\n", init.data);
    sb_printf(&out, "/* ---- functions ---- */\n\n%s", cg->fns.data ? cg->fns.data : "");
    if (prog->main) {
        sb_puts(&out, "int main(void)\n{\n");
        if (init.len)
            sb_puts(&out, "    init_globals();\n");
        sb_puts(&out, c_main.data);
        sb_puts(&out, "}\n");
    }
    sb_free(&c_main);
    sb_free(&globals);
    sb_free(&init);
    sb_free(&cg->forward);
    sb_free(&cg->types);
    sb_free(&cg->protos);
    sb_free(&cg->helpers);
    sb_free(&cg->fns);
    sb_free(&cg->closure_fns);
    return sb_steal(&out);
}
