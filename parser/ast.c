/* ast.c — AST constructors and the `--emit=ast` printer.
 *
 * requires: g_arena; produces: zeroed nodes with their span, and an indented
 * dump, one node per line: `Kind key=value ... @line:col`, children indented
 * two spaces deeper, lists introduced by a `name:` line. */
#include "ast.h"

#include <inttypes.h>
#include <string.h>

Expr *ast_new_expr(ExprKind kind, Span span)
{
    Expr *e = NEW(Expr);
    e->kind = kind;
    e->span = span;
    return e;
}

Pat *ast_new_pat(PatKind kind, Span span)
{
    Pat *p = NEW(Pat);
    p->kind = kind;
    p->span = span;
    return p;
}

TypeExpr *ast_new_type(TypeExprKind kind, Span span)
{
    TypeExpr *t = NEW(TypeExpr);
    t->kind = kind;
    t->span = span;
    return t;
}

Item *ast_new_item(ItemKind kind, Span span)
{
    Item *it = NEW(Item);
    it->kind = kind;
    it->span = span;
    return it;
}

Stmt *ast_new_stmt(StmtKind kind, Span span)
{
    Stmt *s = NEW(Stmt);
    s->kind = kind;
    s->span = span;
    return s;
}

Block *ast_new_block(Span span)
{
    Block *b = NEW(Block);
    b->span = span;
    return b;
}

Path *ast_new_path(Span span)
{
    Path *p = NEW(Path);
    p->span = span;
    return p;
}

Path *ast_path_ident(char *name, Span span)
{
    Path *p = ast_new_path(span);
    PathSeg *seg = NEW(PathSeg);
    seg->span = span;
    seg->name = name;
    list_push(&p->segs, seg);
    return p;
}

const char *ast_binop_str(BinOp op)
{
    static const char *const s[] = {
        [BIN_ADD] = "+",  [BIN_SUB] = "-",   [BIN_MUL] = "*",    [BIN_DIV] = "/",
        [BIN_REM] = "%",  [BIN_AND] = "&&",  [BIN_OR] = "||",    [BIN_BITAND] = "&",
        [BIN_BITOR] = "|", [BIN_BITXOR] = "^", [BIN_SHL] = "<<", [BIN_SHR] = ">>",
        [BIN_EQ] = "==",  [BIN_NE] = "!=",   [BIN_LT] = "<",     [BIN_LE] = "<=",
        [BIN_GT] = ">",   [BIN_GE] = ">=",
    };
    return (unsigned)op < sizeof s / sizeof *s && s[op] ? s[op] : "?";
}

const char *ast_unop_str(UnaryOp op)
{
    switch (op) {
    case UN_NEG: return "-";
    case UN_NOT: return "!";
    case UN_DEREF: return "*";
    }
    return "?";
}

/* ---- printer ------------------------------------------------------------ */

static FILE *out;

static void indent(int d)
{
    for (int i = 0; i < d; i++)
        fputs("  ", out);
}

static void at(Span s)
{
    fprintf(out, " @%u:%u\n", s.line, s.col);
}

/* Print bytes as a Rust-like escaped string literal. */
static void put_quoted(const char *s, size_t n)
{
    fputc('"', out);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", out);
        else if (c == '\t')
            fputs("\\t", out);
        else if (c == '\r')
            fputs("\\r", out);
        else if (c < 0x20 || c == 0x7F)
            fprintf(out, "\\x%02x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

static void dump_expr(Expr *e, int d);
static void dump_pat(Pat *p, int d);
static void dump_type(TypeExpr *t, int d);
static void dump_block(Block *b, int d);
static void dump_item(Item *it, int d);

static void dump_path_text(Path *p);

static void dump_type_text(TypeExpr *t)
{
    if (!t) {
        fputs("()", out);
        return;
    }
    switch (t->kind) {
    case TE_PATH: dump_path_text(t->path); break;
    case TE_REF:
        fputc('&', out);
        if (t->lifetime)
            fprintf(out, "%s ", t->lifetime);
        if (t->is_mut)
            fputs("mut ", out);
        dump_type_text(t->inner);
        break;
    case TE_PTR:
        fputs(t->is_mut ? "*mut " : "*const ", out);
        dump_type_text(t->inner);
        break;
    case TE_TUPLE:
        fputc('(', out);
        for (int i = 0; i < t->elems.len; i++) {
            if (i)
                fputs(", ", out);
            dump_type_text(t->elems.items[i]);
        }
        if (t->elems.len == 1)
            fputc(',', out);
        fputc(')', out);
        break;
    case TE_ARRAY:
        fputc('[', out);
        dump_type_text(t->inner);
        fputs("; _]", out);
        break;
    case TE_SLICE:
        fputc('[', out);
        dump_type_text(t->inner);
        fputc(']', out);
        break;
    case TE_FN:
        fputs("fn(", out);
        for (int i = 0; i < t->elems.len; i++) {
            if (i)
                fputs(", ", out);
            dump_type_text(t->elems.items[i]);
        }
        fputc(')', out);
        if (t->ret) {
            fputs(" -> ", out);
            dump_type_text(t->ret);
        }
        break;
    case TE_NEVER: fputc('!', out); break;
    case TE_INFER: fputc('_', out); break;
    case TE_IMPL_TRAIT:
    case TE_DYN:
        fputs(t->kind == TE_DYN ? "dyn " : "impl ", out);
        for (int i = 0; i < t->bounds.len; i++) {
            Bound *b = t->bounds.items[i];
            if (i)
                fputs(" + ", out);
            if (b->kind == BOUND_LIFETIME)
                fputs(b->lifetime, out);
            else {
                if (b->maybe)
                    fputc('?', out);
                dump_path_text(b->path);
            }
        }
        break;
    }
}

static void dump_path_text(Path *p)
{
    if (!p) {
        fputs("<null>", out);
        return;
    }
    int start = 0;
    if (p->qself) {
        fputc('<', out);
        dump_type_text(p->qself);
        if (p->qself_trait_len) {
            fputs(" as ", out);
            for (int i = 0; i < p->qself_trait_len; i++) {
                PathSeg *s = p->segs.items[i];
                fprintf(out, "%s%s", i ? "::" : "", s->name);
            }
        }
        fputs(">", out);
        start = p->qself_trait_len;
        fputs("::", out);
    } else if (p->global) {
        fputs("::", out);
    }
    for (int i = start; i < p->segs.len; i++) {
        PathSeg *s = p->segs.items[i];
        if (i > start)
            fputs("::", out);
        fputs(s->name, out);
        if (s->generic_args.len || s->assoc.len) {
            fputc('<', out);
            int k = 0;
            for (int j = 0; j < s->generic_args.len; j++, k++) {
                if (k)
                    fputs(", ", out);
                dump_type_text(s->generic_args.items[j]);
            }
            for (int j = 0; j < s->assoc.len; j++, k++) {
                AssocBinding *b = s->assoc.items[j];
                if (k)
                    fputs(", ", out);
                fprintf(out, "%s = ", b->name);
                dump_type_text(b->type);
            }
            fputc('>', out);
        }
        if (s->is_fn_sugar) {
            fputc('(', out);
            for (int j = 0; j < s->fn_inputs.len; j++) {
                if (j)
                    fputs(", ", out);
                dump_type_text(s->fn_inputs.items[j]);
            }
            fputc(')', out);
            if (s->fn_output) {
                fputs(" -> ", out);
                dump_type_text(s->fn_output);
            }
        }
    }
}

static void dump_type(TypeExpr *t, int d)
{
    indent(d);
    fputs("Type ", out);
    dump_type_text(t);
    at(t->span);
    if (t->kind == TE_ARRAY && t->len)
        dump_expr(t->len, d + 1);
}

static void dump_attrs(List *attrs, int d)
{
    for (int i = 0; i < attrs->len; i++) {
        Attr *a = attrs->items[i];
        indent(d);
        fprintf(out, "Attr%s %s", a->inner ? "!" : "", a->name);
        if (a->value)
            fprintf(out, " = \"%s\"", a->value);
        if (a->has_args) {
            fputc('(', out);
            for (int j = 0; j < a->args.len; j++) {
                Attr *x = a->args.items[j];
                fprintf(out, "%s%s", j ? ", " : "", x->name);
                if (x->value)
                    fprintf(out, " = \"%s\"", x->value);
                if (x->has_args)
                    fputs("(..)", out);
            }
            fputc(')', out);
        }
        at(a->span);
    }
}

static const char *const expr_names[] = {
    [EX_INT] = "Int", [EX_FLOAT] = "Float", [EX_BOOL] = "Bool", [EX_CHAR] = "Char",
    [EX_BYTE] = "Byte", [EX_STR] = "Str", [EX_BYTE_STR] = "ByteStr", [EX_PATH] = "Path",
    [EX_UNARY] = "Unary", [EX_REF] = "Ref", [EX_BINARY] = "Binary", [EX_ASSIGN] = "Assign",
    [EX_ASSIGN_OP] = "AssignOp", [EX_CAST] = "Cast", [EX_CALL] = "Call", [EX_METHOD] = "Method",
    [EX_FIELD] = "Field", [EX_TUPLE_FIELD] = "TupleField", [EX_INDEX] = "Index",
    [EX_TUPLE] = "Tuple", [EX_ARRAY] = "Array", [EX_ARRAY_REPEAT] = "ArrayRepeat",
    [EX_STRUCT] = "Struct", [EX_RANGE] = "Range", [EX_BLOCK] = "Block", [EX_IF] = "If",
    [EX_LET] = "Let", [EX_WHILE] = "While", [EX_LOOP] = "Loop", [EX_FOR] = "For",
    [EX_MATCH] = "Match", [EX_BREAK] = "Break", [EX_CONTINUE] = "Continue",
    [EX_RETURN] = "Return", [EX_TRY] = "Try", [EX_AWAIT] = "Await", [EX_CLOSURE] = "Closure",
    [EX_MACRO] = "Macro", [EX_PAREN] = "Paren",
};

static void dump_list(const char *name, List *l, int d)
{
    if (!l->len)
        return;
    indent(d);
    fprintf(out, "%s:\n", name);
    for (int i = 0; i < l->len; i++)
        dump_expr(l->items[i], d + 1);
}

static void dump_expr(Expr *e, int d)
{
    if (!e)
        return;
    indent(d);
    fputs(expr_names[e->kind], out);
    switch (e->kind) {
    case EX_INT:
        fprintf(out, " %" PRIu64, e->int_val);
        if (e->suffix)
            fprintf(out, " %s", e->suffix);
        break;
    case EX_FLOAT:
        fprintf(out, " %s", e->lit_text);
        if (e->suffix)
            fprintf(out, " %s", e->suffix);
        break;
    case EX_BOOL: fputs(e->bool_val ? " true" : " false", out); break;
    case EX_CHAR:
    case EX_BYTE: fprintf(out, " U+%04" PRIX64, e->int_val); break;
    case EX_STR:
    case EX_BYTE_STR:
        fputc(' ', out);
        put_quoted(e->str, e->str_len);
        break;
    case EX_PATH:
    case EX_STRUCT:
        fputc(' ', out);
        dump_path_text(e->path);
        break;
    case EX_UNARY: fprintf(out, " %s", ast_unop_str(e->unop)); break;
    case EX_REF: fputs(e->is_mut ? " &mut" : " &", out); break;
    case EX_BINARY:
    case EX_ASSIGN_OP: fprintf(out, " %s%s", ast_binop_str(e->binop), e->kind == EX_ASSIGN_OP ? "=" : ""); break;
    case EX_CAST:
        fputs(" as ", out);
        dump_type_text(e->cast_type);
        break;
    case EX_METHOD:
    case EX_FIELD: fprintf(out, " .%s", e->name); break;
    case EX_TUPLE_FIELD: fprintf(out, " .%u", e->index); break;
    case EX_RANGE: fputs(e->inclusive ? " ..=" : " ..", out); break;
    case EX_BLOCK:
        if (e->is_unsafe)
            fputs(" unsafe", out);
        if (e->is_async)
            fputs(" async", out);
        if (e->is_move)
            fputs(" move", out);
        break;
    case EX_CLOSURE:
        if (e->async_block)
            fputs(" async-block", out);
        else if (e->is_async)
            fputs(" async", out);
        if (e->is_move)
            fputs(" move", out);
        if (e->ret_type) {
            fputs(" -> ", out);
            dump_type_text(e->ret_type);
        }
        break;
    case EX_MACRO:
        fprintf(out, " %s!%c", e->mac->name, e->mac->delim);
        if (e->mac->is_repeat)
            fputs(" repeat", out);
        break;
    default: break;
    }
    if (e->label)
        fprintf(out, " %s", e->label);
    at(e->span);
    d++;
    switch (e->kind) {
    case EX_BINARY:
    case EX_ASSIGN:
    case EX_ASSIGN_OP:
    case EX_RANGE:
    case EX_INDEX:
    case EX_ARRAY_REPEAT:
        dump_expr(e->lhs, d);
        dump_expr(e->rhs, d);
        break;
    case EX_LET:
        dump_pat(e->pat, d);
        dump_expr(e->rhs, d);
        break;
    case EX_CALL:
    case EX_METHOD:
        dump_expr(e->operand, d);
        for (int i = 0; i < e->generic_args.len; i++)
            dump_type(e->generic_args.items[i], d);
        dump_list("args", &e->args, d);
        break;
    case EX_TUPLE:
    case EX_ARRAY:
        dump_list("elems", &e->args, d);
        break;
    case EX_STRUCT:
        for (int i = 0; i < e->fields.len; i++) {
            FieldInit *f = e->fields.items[i];
            indent(d);
            fprintf(out, "FieldInit %s%s", f->name, f->shorthand ? " shorthand" : "");
            at(f->span);
            dump_expr(f->value, d + 1);
        }
        if (e->base) {
            indent(d);
            fputs("base:\n", out);
            dump_expr(e->base, d + 1);
        }
        break;
    case EX_BLOCK:
    case EX_LOOP:
        dump_block(e->block, d);
        break;
    case EX_IF:
        dump_expr(e->cond, d);
        dump_block(e->block, d);
        if (e->els) {
            indent(d);
            fputs("else:\n", out);
            dump_expr(e->els, d + 1);
        }
        break;
    case EX_WHILE:
        dump_expr(e->cond, d);
        dump_block(e->block, d);
        break;
    case EX_FOR:
        dump_pat(e->pat, d);
        dump_expr(e->operand, d);
        dump_block(e->block, d);
        break;
    case EX_MATCH:
        dump_expr(e->operand, d);
        for (int i = 0; i < e->arms.len; i++) {
            MatchArm *a = e->arms.items[i];
            indent(d);
            fputs("Arm", out);
            at(a->span);
            dump_attrs(&a->attrs, d + 1);
            dump_pat(a->pat, d + 1);
            if (a->guard) {
                indent(d + 1);
                fputs("guard:\n", out);
                dump_expr(a->guard, d + 2);
            }
            dump_expr(a->body, d + 1);
        }
        break;
    case EX_CLOSURE:
        for (int i = 0; i < e->params.len; i++) {
            ClosureParam *c = e->params.items[i];
            dump_pat(c->pat, d);
            if (c->type)
                dump_type(c->type, d + 1);
        }
        dump_expr(e->body, d);
        break;
    case EX_MACRO:
        dump_list("args", &e->mac->args, d);
        if (e->mac->pat)
            dump_pat(e->mac->pat, d);
        if (e->mac->guard) {
            indent(d);
            fputs("guard:\n", out);
            dump_expr(e->mac->guard, d + 1);
        }
        break;
    default:
        dump_expr(e->operand, d);
        if (e->kind == EX_CAST && e->cast_type)
            break;
        break;
    }
}

static const char *const pat_names[] = {
    [PAT_WILD] = "PatWild", [PAT_IDENT] = "PatIdent", [PAT_LIT] = "PatLit",
    [PAT_RANGE] = "PatRange", [PAT_TUPLE] = "PatTuple", [PAT_PATH] = "PatPath",
    [PAT_TUPLE_STRUCT] = "PatTupleStruct", [PAT_STRUCT] = "PatStruct", [PAT_REF] = "PatRef",
    [PAT_OR] = "PatOr", [PAT_SLICE] = "PatSlice", [PAT_REST] = "PatRest",
};

static void dump_pat(Pat *p, int d)
{
    if (!p)
        return;
    indent(d);
    fputs(pat_names[p->kind], out);
    if (p->kind == PAT_IDENT)
        fprintf(out, "%s%s %s", p->by_ref ? " ref" : "", p->is_mut ? " mut" : "", p->name);
    if (p->kind == PAT_REF && p->is_mut)
        fputs(" mut", out);
    if (p->kind == PAT_RANGE)
        fputs(p->inclusive ? " ..=" : " ..", out);
    if (p->path) {
        fputc(' ', out);
        dump_path_text(p->path);
    }
    if (p->has_rest)
        fputs(" ..", out);
    at(p->span);
    d++;
    dump_pat(p->sub, d);
    dump_expr(p->lit, d);
    dump_expr(p->lo, d);
    dump_expr(p->hi, d);
    for (int i = 0; i < p->elems.len; i++)
        dump_pat(p->elems.items[i], d);
    for (int i = 0; i < p->fields.len; i++) {
        FieldPat *f = p->fields.items[i];
        indent(d);
        fprintf(out, "FieldPat %s%s", f->name, f->shorthand ? " shorthand" : "");
        at(f->span);
        dump_pat(f->pat, d + 1);
    }
}

static void dump_stmt(Stmt *s, int d)
{
    indent(d);
    switch (s->kind) {
    case ST_LET:
        fputs("Let", out);
        at(s->span);
        dump_attrs(&s->attrs, d + 1);
        dump_pat(s->pat, d + 1);
        if (s->type)
            dump_type(s->type, d + 1);
        dump_expr(s->init, d + 1);
        if (s->els) {
            indent(d + 1);
            fputs("else:\n", out);
            dump_block(s->els, d + 2);
        }
        break;
    case ST_EXPR:
        fputs(s->has_semi ? "Semi" : "Expr", out);
        at(s->span);
        dump_attrs(&s->attrs, d + 1);
        dump_expr(s->expr, d + 1);
        break;
    case ST_ITEM:
        fputs("ItemStmt", out);
        at(s->span);
        dump_item(s->item, d + 1);
        break;
    case ST_EMPTY:
        fputs("Empty", out);
        at(s->span);
        break;
    }
}

static void dump_block(Block *b, int d)
{
    if (!b)
        return;
    indent(d);
    fputs("Block", out);
    at(b->span);
    for (int i = 0; i < b->stmts.len; i++)
        dump_stmt(b->stmts.items[i], d + 1);
    if (b->tail) {
        indent(d + 1);
        fputs("tail:\n", out);
        dump_expr(b->tail, d + 2);
    }
}

static void dump_bounds(List *bounds)
{
    for (int i = 0; i < bounds->len; i++) {
        Bound *b = bounds->items[i];
        fputs(i ? " + " : "", out);
        if (b->kind == BOUND_LIFETIME) {
            fputs(b->lifetime, out);
        } else {
            if (b->maybe)
                fputc('?', out);
            dump_path_text(b->path);
        }
    }
}

static void dump_generics(Generics *g, int d)
{
    if (!g)
        return;
    for (int i = 0; i < g->params.len; i++) {
        GenericParam *p = g->params.items[i];
        indent(d);
        fprintf(out, "%s %s", p->kind == GP_LIFETIME ? "Lifetime" : p->kind == GP_CONST ? "ConstParam" : "TypeParam",
                p->name);
        if (p->bounds.len) {
            fputs(": ", out);
            dump_bounds(&p->bounds);
        }
        if (p->deflt) {
            fputs(p->kind == GP_CONST ? " type " : " = ", out);
            dump_type_text(p->deflt);
        }
        at(p->span);
    }
    for (int i = 0; i < g->where_preds.len; i++) {
        WherePred *w = g->where_preds.items[i];
        indent(d);
        fputs("Where ", out);
        if (w->type)
            dump_type_text(w->type);
        else
            fputs(w->lifetime, out);
        fputs(": ", out);
        dump_bounds(&w->bounds);
        at(w->span);
    }
}

static void dump_fields(List *fields, int d)
{
    for (int i = 0; i < fields->len; i++) {
        FieldDef *f = fields->items[i];
        indent(d);
        fprintf(out, "Field%s %s: ", f->is_pub ? " pub" : "", f->name ? f->name : "_");
        dump_type_text(f->type);
        at(f->span);
        dump_attrs(&f->attrs, d + 1);
    }
}

static void dump_use(UseTree *u, int d)
{
    indent(d);
    fputs("UseTree ", out);
    if (u->prefix)
        dump_path_text(u->prefix);
    if (u->glob)
        fputs(u->prefix ? "::*" : "*", out);
    if (u->rename)
        fprintf(out, " as %s", u->rename);
    if (u->has_children)
        fputs("::{}", out);
    at(u->span);
    for (int i = 0; i < u->children.len; i++)
        dump_use(u->children.items[i], d + 1);
}

static const char *const item_names[] = {
    [IT_FN] = "Fn", [IT_STRUCT] = "Struct", [IT_ENUM] = "Enum", [IT_UNION] = "Union",
    [IT_IMPL] = "Impl", [IT_TRAIT] = "Trait", [IT_CONST] = "Const", [IT_STATIC] = "Static",
    [IT_USE] = "Use", [IT_TYPE] = "TypeAlias", [IT_MOD] = "Mod", [IT_EXTERN_CRATE] = "ExternCrate",
    [IT_MACRO_RULES] = "MacroRules",
};

static void dump_item(Item *it, int d)
{
    indent(d);
    fputs(item_names[it->kind], out);
    if (it->is_pub)
        fputs(" pub", out);
    if (it->is_unsafe)
        fputs(" unsafe", out);
    if (it->name)
        fprintf(out, " %s", it->name);
    switch (it->kind) {
    case IT_FN: {
        FnSig *s = it->sig;
        if (s->is_const)
            fputs(" const", out);
        if (s->is_async)
            fputs(" async", out);
        if (s->is_unsafe)
            fputs(" unsafe", out);
        if (s->is_extern)
            fputs(" extern", out);
        static const char *const sk[] = {"", " self", " &self", " &mut self", " self:"};
        fputs(sk[s->self_kind], out);
        if (s->self_mut)
            fputs(" (mut)", out);
        if (s->self_kind == SELF_TYPED) {
            fputc(' ', out);
            dump_type_text(s->self_type);
        }
        if (s->ret) {
            fputs(" -> ", out);
            dump_type_text(s->ret);
        }
        break;
    }
    case IT_STRUCT:
    case IT_UNION:
        fputs(it->struct_kind == SK_NAMED ? " {}" : it->struct_kind == SK_TUPLE ? " ()" : " ;", out);
        break;
    case IT_IMPL:
        fputc(' ', out);
        if (it->trait_path) {
            if (it->negative)
                fputc('!', out);
            dump_path_text(it->trait_path);
            fputs(" for ", out);
        }
        dump_type_text(it->self_ty);
        break;
    case IT_TRAIT:
        if (it->supertraits.len) {
            fputs(": ", out);
            dump_bounds(&it->supertraits);
        }
        break;
    case IT_CONST:
    case IT_STATIC:
    case IT_TYPE:
        if (it->is_mut)
            fputs(" mut", out);
        if (it->bounds.len) {
            fputs(": ", out);
            dump_bounds(&it->bounds);
        }
        if (it->type) {
            fputs(it->kind == IT_TYPE ? " = " : ": ", out);
            dump_type_text(it->type);
        }
        break;
    case IT_MOD:
        if (!it->mod_inline)
            fputs(" ;", out);
        break;
    default: break;
    }
    at(it->span);
    d++;
    dump_attrs(&it->attrs, d);
    dump_generics(it->generics, d);
    switch (it->kind) {
    case IT_FN:
        for (int i = 0; i < it->sig->params.len; i++) {
            Param *p = it->sig->params.items[i];
            indent(d);
            fputs("Param: ", out);
            dump_type_text(p->type);
            at(p->span);
            dump_pat(p->pat, d + 1);
        }
        dump_block(it->body, d);
        break;
    case IT_STRUCT:
    case IT_UNION:
        dump_fields(&it->fields, d);
        break;
    case IT_ENUM:
        for (int i = 0; i < it->variants.len; i++) {
            Variant *v = it->variants.items[i];
            indent(d);
            fprintf(out, "Variant %s%s", v->name,
                    v->kind == SK_NAMED ? " {}" : v->kind == SK_TUPLE ? " ()" : "");
            at(v->span);
            dump_attrs(&v->attrs, d + 1);
            dump_fields(&v->fields, d + 1);
            dump_expr(v->discriminant, d + 1);
        }
        break;
    case IT_IMPL:
    case IT_TRAIT:
    case IT_MOD:
        for (int i = 0; i < it->items.len; i++)
            dump_item(it->items.items[i], d);
        break;
    case IT_CONST:
    case IT_STATIC:
        dump_expr(it->init, d);
        break;
    case IT_USE:
        dump_use(it->use, d);
        break;
    default: break;
    }
}

int ast_pat_elem_field(List *elems, int i, int nfields)
{
    int rest = -1, n = elems->len;
    for (int j = 0; j < n; j++)
        if (((Pat *)elems->items[j])->kind == PAT_REST)
            rest = j;
    if (i == rest)
        return -1;
    return rest < 0 || i < rest ? i : nfields - (n - i);
}

Pat *ast_pat_elem_for(List *elems, int k, int nfields)
{
    for (int i = 0; i < elems->len; i++)
        if (ast_pat_elem_field(elems, i, nfields) == k)
            return elems->items[i];
    return NULL;
}

/* `..` or `name @ ..` in a slice pattern. */
bool ast_pat_is_rest(Pat *p)
{
    return p && (p->kind == PAT_REST || (p->kind == PAT_IDENT && p->sub && p->sub->kind == PAT_REST));
}

bool ast_is_underscore(Expr *e)
{
    while (e && e->kind == EX_PAREN)
        e = e->operand;
    return e && e->kind == EX_PATH && e->path->segs.len == 1 && !strcmp(((PathSeg *)e->path->segs.items[0])->name, "_");
}

static bool block_any(Block *b, bool (*pred)(Expr *e))
{
    for (int i = 0; b && i < b->stmts.len; i++) {
        Stmt *st = b->stmts.items[i];
        if (ast_expr_any(st->init, pred) || ast_expr_any(st->expr, pred) || (st->els && block_any(st->els, pred)))
            return true;
    }
    return b && ast_expr_any(b->tail, pred);
}

bool ast_expr_any(Expr *e, bool (*pred)(Expr *e))
{
    if (!e || e->kind == EX_CLOSURE)
        return false;
    if (pred(e))
        return true;
    if (ast_expr_any(e->operand, pred) || ast_expr_any(e->lhs, pred) || ast_expr_any(e->rhs, pred) ||
        ast_expr_any(e->cond, pred) || ast_expr_any(e->els, pred) || ast_expr_any(e->base, pred) ||
        block_any(e->block, pred))
        return true;
    for (int i = 0; i < e->args.len; i++)
        if (ast_expr_any(e->args.items[i], pred))
            return true;
    for (int i = 0; i < e->fields.len; i++)
        if (ast_expr_any(((FieldInit *)e->fields.items[i])->value, pred))
            return true;
    for (int i = 0; i < e->arms.len; i++) {
        MatchArm *a = e->arms.items[i];
        if (ast_expr_any(a->guard, pred) || ast_expr_any(a->body, pred))
            return true;
    }
    for (int i = 0; e->kind == EX_MACRO && e->mac && i < e->mac->args.len; i++)
        if (ast_expr_any(e->mac->args.items[i], pred))
            return true;
    return false;
}

bool ast_pat_any_ident(Pat *p, bool (*pred)(Pat *ident, void *ctx), void *ctx)
{
    if (!p)
        return false;
    if (p->kind == PAT_IDENT && pred(p, ctx))
        return true;
    if (ast_pat_any_ident(p->sub, pred, ctx))
        return true;
    for (int i = 0; i < p->elems.len; i++)
        if (ast_pat_any_ident(p->elems.items[i], pred, ctx))
            return true;
    for (int i = 0; i < p->fields.len; i++)
        if (ast_pat_any_ident(((FieldPat *)p->fields.items[i])->pat, pred, ctx))
            return true;
    return false;
}

void ast_dump(FILE *f, Crate *crate)
{
    out = f;
    fputs("Crate\n", out);
    dump_attrs(&crate->attrs, 1);
    for (int i = 0; i < crate->items.len; i++)
        dump_item(crate->items.items[i], 1);
}
