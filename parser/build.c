/* build.c — the AST nodes the grammar's actions make (parser.y).
 *
 * requires: the parser's values (parser.h: ParamList, ClosureHead ...);
 * produces: AST nodes with their spans, and the checks that belong to
 * building them (chained comparisons, macros mrsc does not know, item
 * macros). */
#include "parser/build.h"

#include <string.h>

/* ---- AST construction helpers --------------------------------------------- */

bool is_comparison(BinOp op)
{
    return op == BIN_EQ || op == BIN_NE || op == BIN_LT || op == BIN_LE || op == BIN_GT || op == BIN_GE;
}

/* EX_BINARY; name_span records the operator (rustc points there for chained
 * comparisons and E0369). */
Expr *mk_bin(BinOp op, Expr *l, Expr *r, Span opspan)
{
    Expr *e = ast_new_expr(EX_BINARY, span_join(l->span, r->span));
    e->binop = op;
    e->lhs = l;
    e->rhs = r;
    e->name_span = opspan;
    if (is_comparison(op) && l->kind == EX_BINARY && is_comparison(l->binop)) {
        Diag *d = diag_error(NULL, l->name_span, "comparison operators cannot be chained");
        diag_label(d, opspan, " ");
        diag_help(d, "split the comparison into two");
    }
    return e;
}

Expr *mk_unary(UnaryOp op, Expr *x, Span s)
{
    Expr *e = ast_new_expr(EX_UNARY, s);
    e->unop = op;
    e->operand = x;
    return e;
}

Expr *mk_ref(bool is_mut, Expr *x, Span s)
{
    Expr *e = ast_new_expr(EX_REF, s);
    e->is_mut = is_mut;
    e->operand = x;
    return e;
}

/* `&raw const x` / `&raw mut x`: a raw pointer to the place, no borrow. */
Expr *mk_raw_ref(char *kw, Span kw_span, bool is_mut, Expr *x, Span s)
{
    if (strcmp(kw, "raw")) {
        Diag *d = diag_error(NULL, kw_span, "expected one of `!`, `.`, `::`, `;`, `?`, `else`, `{`, or an operator, found `%s`", kw);
        (void)d;
    }
    Expr *e = mk_ref(is_mut, x, s);
    e->is_raw = true;
    return e;
}

Expr *mk_cast(Expr *x, TypeExpr *t)
{
    Expr *e = ast_new_expr(EX_CAST, span_join(x->span, t->span));
    e->operand = x;
    e->cast_type = t;
    return e;
}

/* The pattern a destructuring assignment's left side stands for; each place in it
 * becomes a binding with a name no program can write ("mrs lhs0"), and an
 * assignment of that binding to the place is added to assigns. */
static Pat *assignee_pat(Expr *l, List *assigns, int *n)
{
    Pat *p = NULL;
    switch (l->kind) {
    case EX_PAREN:
        return assignee_pat(l->operand, assigns, n);
    case EX_TUPLE:
    case EX_ARRAY:
        p = ast_new_pat(l->kind == EX_TUPLE ? PAT_TUPLE : PAT_SLICE, l->span);
        break;
    case EX_CALL:
        if (l->operand->kind != EX_PATH)
            break;
        p = ast_new_pat(PAT_TUPLE_STRUCT, l->span);
        p->path = l->operand->path;
        break;
    case EX_STRUCT:
        if (l->base)
            break;
        p = ast_new_pat(PAT_STRUCT, l->span);
        p->path = l->path;
        for (int i = 0; i < l->fields.len; i++) {
            FieldInit *fi = l->fields.items[i];
            FieldPat *fp = NEW(FieldPat);
            fp->span = fi->span;
            fp->name = fi->name;
            fp->pat = assignee_pat(fi->value, assigns, n);
            list_push(&p->fields, fp);
        }
        return p;
    case EX_RANGE:
        if (!l->lhs && !l->rhs && !l->inclusive)
            return ast_new_pat(PAT_REST, l->span);
        break;
    default:
        if (ast_is_underscore(l))
            return ast_new_pat(PAT_WILD, l->span);
        break;
    }
    if (p) {
        for (int i = 0; i < l->args.len; i++)
            list_push(&p->elems, assignee_pat(l->args.items[i], assigns, n));
        return p;
    }
    char *name = xprintf("mrs lhs%d", (*n)++);
    Expr *v = ast_new_expr(EX_PATH, l->span);
    v->path = path1(mk_seg(name, l->span), l->span);
    Expr *a = ast_new_expr(EX_ASSIGN, l->span);
    a->lhs = l;
    a->rhs = v;
    a->name_span = l->span;
    list_push(assigns, expr_stmt(a, true, l->span));
    return mk_binding(name, false, false, NULL, l->span);
}

static bool destructures(Expr *l)
{
    while (l->kind == EX_PAREN)
        l = l->operand;
    return l->kind == EX_TUPLE || l->kind == EX_ARRAY || (l->kind == EX_STRUCT && !l->base) ||
           (l->kind == EX_CALL && l->operand->kind == EX_PATH);
}

Expr *mk_assign(ExprKind k, BinOp op, Expr *l, Expr *r, Span opspan)
{
    if (k == EX_ASSIGN && destructures(l)) {
        /* `(a, b) = (b, a + b)` is `{ let (t0, t1) = (b, a + b); a = t0; b = t1; }` */
        List assigns = {0};
        int n = 0;
        Stmt *let = ast_new_stmt(ST_LET, span_join(l->span, r->span));
        let->pat = assignee_pat(l, &assigns, &n);
        let->init = r;
        List stmts = {0};
        list_push(&stmts, let);
        for (int i = 0; i < assigns.len; i++)
            list_push(&stmts, assigns.items[i]);
        Expr *e = ast_new_expr(EX_BLOCK, span_join(l->span, r->span));
        e->block = mk_block(stmts, NULL, e->span);
        return e;
    }
    Expr *e = ast_new_expr(k, span_join(l->span, r->span));
    e->binop = op;
    e->lhs = l;
    e->rhs = r;
    e->name_span = opspan;
    return e;
}

Expr *mk_range(Expr *lo, Expr *hi, bool inclusive, Span s)
{
    Expr *e = ast_new_expr(EX_RANGE, s);
    e->lhs = lo;
    e->rhs = hi;
    e->inclusive = inclusive;
    return e;
}

Expr *mk_jump(ExprKind k, char *label, Expr *value, Span s)
{
    Expr *e = ast_new_expr(k, s);
    e->label = label;
    e->operand = value;
    return e;
}

Expr *mk_closure(ClosureHead *h, TypeExpr *ret, Expr *body, Span s)
{
    Expr *e = ast_new_expr(EX_CLOSURE, s);
    e->params = h->params;
    e->is_move = h->is_move;
    e->is_async = h->is_async;
    e->ret_type = ret;
    e->body = body;
    return e;
}

/* `async [move] { .. }`: a closure of no parameters, whose value is the block's future. */
Expr *mk_async_block(Expr *body, bool is_move, Span s)
{
    Expr *e = ast_new_expr(EX_CLOSURE, s);
    e->is_async = true;
    e->async_block = true;
    e->is_move = is_move;
    e->body = body;
    return e;
}

Expr *attach_postfix(Expr *recv, Expr *op)
{
    op->span = span_join(recv->span, op->span);
    if (op->kind == EX_INDEX)
        op->lhs = recv;
    else
        op->operand = recv;
    return op;
}

Expr *block_expr(Block *b, Span s)
{
    Expr *e = ast_new_expr(EX_BLOCK, s);
    e->block = b;
    return e;
}

Expr *path_expr(Path *p)
{
    Expr *e = ast_new_expr(EX_PATH, p->span);
    e->path = p;
    return e;
}

bool ast_blocklike(const Expr *e)
{
    switch (e->kind) {
    case EX_BLOCK: case EX_IF: case EX_WHILE: case EX_LOOP: case EX_FOR: case EX_MATCH:
        return true;
    case EX_MACRO:
        return e->mac->delim == '{';
    case EX_CLOSURE:
        return e->async_block;
    default:
        return false;
    }
}

/* A block-like expression statement without `;` at the end of a block is
 * the block's value (rustc: `fn f() -> i32 { if c { 1 } else { 2 } }`). */
Block *mk_block(List stmts, Expr *tail, Span s)
{
    Block *b = ast_new_block(s);
    if (!tail && stmts.len > 0) {
        Stmt *last = stmts.items[stmts.len - 1];
        if (last->kind == ST_EXPR && !last->has_semi && ast_blocklike(last->expr) && last->attrs.len == 0) {
            tail = last->expr;
            stmts.len--;
        }
    }
    b->stmts = stmts;
    b->tail = tail;
    return b;
}

Stmt *expr_stmt(Expr *e, bool semi, Span s)
{
    Stmt *st = ast_new_stmt(ST_EXPR, s);
    st->expr = e;
    st->has_semi = semi;
    return st;
}

PathSeg *mk_seg(char *name, Span s)
{
    PathSeg *seg = NEW(PathSeg);
    seg->span = s;
    seg->name = name;
    return seg;
}

Path *path1(PathSeg *seg, Span s)
{
    Path *p = ast_new_path(s);
    list_push(&p->segs, seg);
    return p;
}

void seg_args(PathSeg *seg, PathSeg *args)
{
    for (int i = 0; i < args->generic_args.len; i++)
        list_push(&seg->generic_args, args->generic_args.items[i]);
    for (int i = 0; i < args->assoc.len; i++)
        list_push(&seg->assoc, args->assoc.items[i]);
}

void prepend(List *l, void *x)
{
    list_push(l, x);
    for (int i = l->len - 1; i > 0; i--)
        l->items[i] = l->items[i - 1];
    l->items[0] = x;
}

void fn_sugar(Path *p, List inputs, TypeExpr *out, Span s)
{
    PathSeg *seg = p->segs.items[p->segs.len - 1];
    seg->is_fn_sugar = true;
    seg->fn_inputs = inputs;
    seg->fn_output = out;
    seg->span.hi = s.hi;
    p->span = s;
}

/* `&p`; `&mut x` arrives here as `&` around the binding `mut x` and is
 * rebuilt as the `&mut` pattern rustc reads. */
Pat *ref_pat(Pat *sub, Span s)
{
    Pat *p = ast_new_pat(PAT_REF, s);
    if (sub->kind == PAT_IDENT && sub->is_mut && !sub->by_ref) {
        p->is_mut = true;
        Pat *inner = mk_binding(sub->name, false, false, sub->sub, sub->span);
        if (!sub->sub) { /* the span of the name alone: it ends the binding */
            uint32_t n = (uint32_t)strlen(sub->name);
            inner->span = diag_span_at(sub->span.hi - n, sub->span.hi);
        }
        p->sub = inner;
        return p;
    }
    p->sub = sub;
    return p;
}

char *path_last(Path *p)
{
    return p && p->segs.len ? ((PathSeg *)p->segs.items[p->segs.len - 1])->name : NULL;
}

/* A one-segment plain path is a binding (or a unit variant/const: sema
 * decides); anything longer is a PAT_PATH. */
Pat *pat_from_path(Path *p)
{
    PathSeg *s0 = p->segs.items[0];
    if (p->segs.len == 1 && !p->global && !p->qself && s0->generic_args.len == 0
        && strcmp(s0->name, "Self") && strcmp(s0->name, "super") && strcmp(s0->name, "crate"))
        return mk_binding(s0->name, false, false, NULL, p->span);
    Pat *pat = ast_new_pat(PAT_PATH, p->span);
    pat->path = p;
    return pat;
}

Pat *mk_binding(char *name, bool by_ref, bool is_mut, Pat *sub, Span s)
{
    Pat *p = ast_new_pat(PAT_IDENT, s);
    p->name = name;
    p->by_ref = by_ref;
    p->is_mut = is_mut;
    p->sub = sub;
    return p;
}

TypeExpr *type_path(Path *p)
{
    TypeExpr *t = ast_new_type(TE_PATH, p->span);
    t->path = p;
    return t;
}

Bound *mk_bound(Path *p, Span s)
{
    Bound *b = NEW(Bound);
    b->kind = BOUND_TRAIT;
    b->span = s;
    b->path = p;
    return b;
}

Attr *mk_attr(Path *p, Span s)
{
    Attr *a = NEW(Attr);
    a->span = s;
    a->name = p ? path_last(p) : xstrdup("");
    return a;
}

Item *with_vis(Item *it, bool pub)
{
    it->is_pub = pub;
    return it;
}

Item *with_attrs(Item *it, List attrs)
{
    for (int i = 0; i < attrs.len; i++)
        list_push(&it->attrs, attrs.items[i]);
    return it;
}

/* `fn f((a, b): (S, S), c: S) { body }` is
 *     fn f(arg0: (S, S), arg1: S) { let (a, b) = arg0; let c = arg1; { body } }
 * once one parameter has a pattern other than a plain name: every parameter gets a
 * hidden name ("mrs arg0", as C `mrs_arg0`) and a `let` in a block around the body,
 * so that, as in rustc, the parameters drop after the body's locals, in reverse order,
 * each one's bindings before what its pattern left unbound. (`_` binds a hidden
 * name too: the value drops in its parameter's turn, not at the very end.) */
void fn_param_patterns(Item *fn)
{
    if (!fn->body)
        return;
    bool any = false;
    for (int i = 0; i < fn->sig->params.len; i++) {
        Pat *pat = ((Param *)fn->sig->params.items[i])->pat;
        any |= !(pat->kind == PAT_IDENT && !pat->sub && !pat->by_ref);
    }
    if (!any)
        return;
    List lets = {0};
    for (int i = 0; i < fn->sig->params.len; i++) {
        Param *p = fn->sig->params.items[i];
        Pat *pat = p->pat;
        char *name = xprintf("mrs arg%d", i);
        p->pat = mk_binding(name, false, false, NULL, pat->span);
        Stmt *let = ast_new_stmt(ST_LET, pat->span);
        let->pat = pat->kind == PAT_WILD ? mk_binding(xprintf("mrs arg%d_", i), false, false, NULL, pat->span) : pat;
        let->init = ast_new_expr(EX_PATH, pat->span);
        let->init->path = path1(mk_seg(name, pat->span), pat->span);
        list_push(&lets, let);
    }
    Expr *body = ast_new_expr(EX_BLOCK, fn->body->span);
    body->block = fn->body;
    fn->body = mk_block(lets, body, fn->body->span);
}

Item *mk_fn(char *name, Span name_span, Generics *g, Generics *where, ParamList pl,
                   TypeExpr *ret, Span s)
{
    Item *it = ast_new_item(IT_FN, s);
    FnSig *sig = NEW(FnSig);
    sig->span = s;
    sig->name = name;
    sig->generics = gen_where(g, where ? where->where_preds : (List){0});
    sig->params = pl.params;
    sig->ret = ret;
    if (pl.self) {
        sig->self_kind = pl.self->kind;
        sig->self_mut = pl.self->is_mut;
        sig->self_lifetime = pl.self->lifetime;
        sig->self_type = pl.self->type;
        sig->self_span = pl.self->span;
    }
    it->sig = sig;
    it->name = name;
    it->name_span = name_span;
    it->generics = sig->generics;
    return it;
}

Generics *gen_where(Generics *g, List where)
{
    if (where.len == 0)
        return g;
    if (!g)
        g = NEW(Generics);
    g->where_preds = where;
    return g;
}

static Expr *macro_expr(const char *name, List args, Span s)
{
    Expr *e = ast_new_expr(EX_MACRO, s);
    MacroCall *m = NEW(MacroCall);
    m->span = s;
    m->path = path1(mk_seg(xstrdup(name), s), s);
    m->name = xstrdup(name);
    m->args = args;
    m->delim = '(';
    e->mac = m;
    return e;
}

static Expr *str_expr(const char *text, Span s)
{
    Expr *e = ast_new_expr(EX_STR, s);
    e->str = xstrdup(text);
    e->str_len = strlen(text);
    return e;
}

static Expr *u32_expr(uint32_t v, Span s)
{
    Expr *e = ast_new_expr(EX_INT, s);
    e->int_val = v;
    e->lit_text = xprintf("%u", v);
    e->suffix = xstrdup("u32");
    return e;
}

/* The `eprintln!` of dbg!: `[file:line:col]`, then ` text = {:#?}` of value when given. */
static Expr *dbg_print(Span at, const char *text, Expr *value)
{
    List a = {0};
    list_push(&a, str_expr(text ? "[{}:{}:{}] {} = {:#?}" : "[{}:{}:{}]", at));
    list_push(&a, macro_expr("file", (List){0}, at));
    list_push(&a, u32_expr(at.line, at));
    list_push(&a, u32_expr(at.col, at));
    if (text) {
        list_push(&a, str_expr(text, at));
        list_push(&a, value);
    }
    return macro_expr("eprintln", a, at);
}

/* dbg!(e) is what std's macro expands to:
 *     match e { tmp => { eprintln!("[{}:{}:{}] {} = {:#?}", file!(), LINE, COL, "e", &tmp); tmp } }
 * (the binding's name, "mrs dbg", is one no program can write); dbg!(a, b) is the
 * tuple of each one's, dbg!() prints the place alone. */
static Expr *mk_dbg(List args, Span s)
{
    if (!args.len)
        return dbg_print(s, NULL, NULL);
    if (args.len > 1) {
        Expr *t = ast_new_expr(EX_TUPLE, s);
        for (int i = 0; i < args.len; i++) {
            List one = {0};
            list_push(&one, args.items[i]);
            list_push(&t->args, mk_dbg(one, s));
        }
        return t;
    }
    Expr *v = args.items[0];
    Span vs = v->span;
    Expr *use = ast_new_expr(EX_PATH, vs);
    use->path = path1(mk_seg(xstrdup("mrs dbg"), vs), vs);
    Expr *tail = ast_new_expr(EX_PATH, vs);
    tail->path = path1(mk_seg(xstrdup("mrs dbg"), vs), vs);
    List stmts = {0};
    list_push(&stmts, expr_stmt(dbg_print(s, diag_source_text(vs), mk_ref(false, use, vs)), true, s));
    Expr *body = ast_new_expr(EX_BLOCK, s);
    body->block = mk_block(stmts, tail, s);
    MatchArm *arm = NEW(MatchArm);
    arm->span = s;
    arm->pat = mk_binding(xstrdup("mrs dbg"), false, false, NULL, vs);
    arm->body = body;
    Expr *m = ast_new_expr(EX_MATCH, s);
    m->operand = v;
    list_push(&m->arms, arm);
    return m;
}

Expr *mk_macro(Path *p, char delim, List args, Span s)
{
    if (!strcmp(path_last(p), "dbg") && p->segs.len == 1)
        return mk_dbg(args, s);
    Expr *e = ast_new_expr(EX_MACRO, s);
    MacroCall *m = NEW(MacroCall);
    m->span = s;
    m->path = p;
    m->name = path_last(p);
    m->args = args;
    m->delim = delim;
    e->mac = m;
    return e;
}

void item_macro_unsupported(Path *p, Span s)
{
    diag_error(NULL, s, "macro invocation `%s!` at item level is not supported by mrsc", path_last(p));
}


/* Macros whose arguments mrsc parses as expressions. Others keep their
 * input as an unparsed token tree (sema reports them). */
static const char *const expr_macros[] = {
    "println", "print", "eprintln", "eprint", "format", "panic", "assert", "assert_eq",
    "assert_ne", "debug_assert", "debug_assert_eq", "debug_assert_ne", "vec", "unreachable",
    "todo", "unimplemented", "write", "writeln", "matches", "pin", "dbg", "format_args",
    "concat", "line", "column", "file", "env", "option_env", "include_str", "include_bytes",
    "compile_error", "join", "ready", "cfg", "stringify_expr", NULL,
};

bool is_expr_macro(const char *name)
{
    for (int i = 0; expr_macros[i]; i++)
        if (!strcmp(name, expr_macros[i]))
            return true;
    return false;
}

