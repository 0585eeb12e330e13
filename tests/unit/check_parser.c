/* check_parser.c — the grammar: precedence, generics and `>>`, the
 * struct-literal restriction in `if` heads, block tails, closures,
 * patterns, every item kind, syntax errors (several per run, rustc's lines)
 * and every conformance program of the seed.
 *
 * requires: parser/parse.h, driver/diag.h; produces: parser_suite(). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driver/diag.h"
#include "driver/util.h"
#include "parser/ast.h"
#include "parser/parse.h"

static Arena arena;

static void setup(void)
{
    g_arena = &arena;
}

static void teardown(void)
{
    arena_free(&arena);
}

static Crate *parse(const char *src, int *nerr)
{
    diag_init("t.mrs", src, strlen(src));
    Crate *c = parse_crate(src, strlen(src));
    *nerr = diag_error_count();
    return c;
}

/* The --emit=ast dump of the first item (malloc'd). */
static char *dump_of(Crate *c)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ast_dump(f, c);
    fclose(f);
    return buf;
}

/* Diagnostics printed by diag_flush (malloc'd). */
static char *flushed(void)
{
    fflush(stderr);
    FILE *tmp = tmpfile();
    int saved = dup(2);
    dup2(fileno(tmp), 2);
    diag_flush();
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    long n = ftell(tmp);
    rewind(tmp);
    char *s = calloc(1, (size_t)n + 1);
    if (n > 0 && fread(s, 1, (size_t)n, tmp) != (size_t)n)
        s[0] = 0;
    fclose(tmp);
    return s;
}

/* The initializer of the n-th `let` in `fn main() { BODY }`. */
static Expr *let_init(const char *body, int n)
{
    char *prog = xprintf("fn main() { %s }", body);
    int ne;
    Crate *c = parse(prog, &ne);
    ck_assert_msg(ne == 0, "errors in: %s", body);
    Item *f = c->items.items[0];
    Stmt *s = f->body->stmts.items[n];
    ck_assert_int_eq(s->kind, ST_LET);
    return s->init;
}

static Block *main_body(const char *body, int *ne)
{
    char *prog = xprintf("fn main() { %s }", body);
    Crate *c = parse(prog, ne);
    Item *f = c->items.items[0];
    return f->body;
}

/* Fully parenthesized rendering of an expression. */
static void show(StrBuf *sb, Expr *e)
{
    switch (e->kind) {
    case EX_INT: sb_printf(sb, "%llu", (unsigned long long)e->int_val); break;
    case EX_PATH: sb_puts(sb, ((PathSeg *)e->path->segs.items[e->path->segs.len - 1])->name); break;
    case EX_BINARY:
    case EX_ASSIGN_OP:
        sb_putc(sb, '(');
        show(sb, e->lhs);
        sb_printf(sb, " %s%s ", ast_binop_str(e->binop), e->kind == EX_ASSIGN_OP ? "=" : "");
        show(sb, e->rhs);
        sb_putc(sb, ')');
        break;
    case EX_ASSIGN:
        sb_putc(sb, '(');
        show(sb, e->lhs);
        sb_puts(sb, " = ");
        show(sb, e->rhs);
        sb_putc(sb, ')');
        break;
    case EX_UNARY:
        sb_printf(sb, "(%s", ast_unop_str(e->unop));
        show(sb, e->operand);
        sb_putc(sb, ')');
        break;
    case EX_REF:
        sb_puts(sb, e->is_mut ? "(&mut " : "(&");
        show(sb, e->operand);
        sb_putc(sb, ')');
        break;
    case EX_CAST:
        sb_putc(sb, '(');
        show(sb, e->operand);
        sb_puts(sb, " as T)");
        break;
    case EX_RANGE:
        sb_putc(sb, '(');
        if (e->lhs)
            show(sb, e->lhs);
        sb_puts(sb, e->inclusive ? "..=" : "..");
        if (e->rhs)
            show(sb, e->rhs);
        sb_putc(sb, ')');
        break;
    case EX_METHOD:
        show(sb, e->operand);
        sb_printf(sb, ".%s()", e->name);
        break;
    case EX_FIELD:
        show(sb, e->operand);
        sb_printf(sb, ".%s", e->name);
        break;
    case EX_TUPLE_FIELD:
        show(sb, e->operand);
        sb_printf(sb, ".%u", e->index);
        break;
    case EX_TRY:
        show(sb, e->operand);
        sb_putc(sb, '?');
        break;
    case EX_CALL:
        show(sb, e->operand);
        sb_puts(sb, "()");
        break;
    case EX_INDEX:
        show(sb, e->lhs);
        sb_putc(sb, '[');
        show(sb, e->rhs);
        sb_putc(sb, ']');
        break;
    case EX_PAREN:
        show(sb, e->operand);
        break;
    case EX_CLOSURE:
        sb_puts(sb, "(|| ");
        show(sb, e->body);
        sb_putc(sb, ')');
        break;
    case EX_RETURN:
        sb_puts(sb, "(return ");
        if (e->operand)
            show(sb, e->operand);
        sb_putc(sb, ')');
        break;
    default: sb_printf(sb, "<%d>", e->kind); break;
    }
}

static void check_prec(const char *src, const char *want)
{
    Expr *e = let_init(xprintf("let _x = %s;", src), 0);
    StrBuf sb;
    sb_init(&sb);
    show(&sb, e);
    ck_assert_msg(!strcmp(sb.data, want), "%s: got %s, want %s", src, sb.data, want);
    sb_free(&sb);
}

START_TEST(precedence)
{
    check_prec("1 + 2 * 3 - 4", "((1 + (2 * 3)) - 4)");
    check_prec("a || b && c", "(a || (b && c))");
    check_prec("a == b && c != d", "((a == b) && (c != d))");
    check_prec("a | b ^ c & d", "(a | (b ^ (c & d)))");
    check_prec("a << 1 + 2", "(a << (1 + 2))");
    check_prec("a & b == c", "((a & b) == c)");
    check_prec("-a * b", "((-a) * b)");
    check_prec("-x as i64 as u8", "(((-x) as T) as T)");
    check_prec("a as u8 + 1", "((a as T) + 1)");
    check_prec("!a.b().c?", "(!a.b().c?)");
    check_prec("*a[i].f", "(*a[i].f)");
    check_prec("&mut a.b", "(&mut a.b)");
    check_prec("&&a", "(&(&a))");
    check_prec("a..b + 1", "(a..(b + 1))");
    check_prec("..=n", "(..=n)");
    check_prec("x.0.1", "x.0.1");
    check_prec("1.max(2)", "1.max()");
    check_prec("|x| x + 1", "(|| (x + 1))");
    check_prec("a >> 2 >= b", "((a >> 2) >= b)");
    check_prec("f(a)(b)", "f()()");
    check_prec("a - b - c", "((a - b) - c)");
    Block *b;
    int ne;
    b = main_body("x = y = 3; a += b * 2; return a + 1", &ne);
    ck_assert_int_eq(ne, 0);
    StrBuf sb;
    sb_init(&sb);
    show(&sb, ((Stmt *)b->stmts.items[0])->expr);
    show(&sb, ((Stmt *)b->stmts.items[1])->expr);
    show(&sb, b->tail);
    ck_assert_str_eq(sb.data, "(x = (y = 3))(a += (b * 2))(return (a + 1))");
    sb_free(&sb);
}
END_TEST

START_TEST(chained_comparison)
{
    int ne;
    parse("fn main() { let a = 1 < 2 < 3; }", &ne);
    ck_assert_int_eq(ne, 1);
    char *m = flushed();
    ck_assert_ptr_nonnull(strstr(m, "comparison operators cannot be chained"));
    ck_assert_ptr_nonnull(strstr(m, "t.mrs:1:23"));
    free(m);
    parse("fn main() { let a = (1 < 2) == true; }", &ne);
    ck_assert_int_eq(ne, 0);
}
END_TEST

START_TEST(generics_shift_split)
{
    int ne;
    Crate *c = parse("fn f(v: Vec<Vec<Option<Box<i32>>>>, m: HashMap<String, Vec<u8>>) -> Vec<Vec<i32>> {\n"
                     "    let w = v.iter().collect::<Vec<Vec<_>>>();\n"
                     "    let x: Option<Option<u8>>= None;\n"
                     "    let y = 1 >> 2; let z = a >= b; let mut q = 8; q >>= 1;\n"
                     "    let r = Vec::<Vec<i32>>::new();\n"
                     "    let t = <Vec<i32> as Default>::default();\n"
                     "    let o = <<T as A>::B as C>::D;\n"
                     "    let c = || 1; let d = a || b; let e = &&x;\n"
                     "    w\n}",
                     &ne);
    ck_assert_int_eq(ne, 0);
    Item *f = c->items.items[0];
    Param *p = f->sig->params.items[0];
    TypeExpr *t = p->type;
    int depth = 0;
    while (t->kind == TE_PATH && ((PathSeg *)t->path->segs.items[0])->generic_args.len) {
        t = ((PathSeg *)t->path->segs.items[0])->generic_args.items[0];
        depth++;
    }
    ck_assert_int_eq(depth, 4);
    ck_assert_int_eq(f->body->stmts.len, 12);
    ck_assert_ptr_nonnull(f->body->tail);
}
END_TEST

START_TEST(struct_literal_restriction)
{
    int ne;
    Block *b = main_body("if x == y { a } else { b }\n match s { S { x } => 1 }\n"
                         "while i < n { i += 1; }\n for p in v { }\n let s = S { x: 1 };\n"
                         "if s == (S { x: 1 }) {}",
                         &ne);
    ck_assert_int_eq(ne, 0);
    Stmt *s0 = b->stmts.items[0];
    ck_assert_int_eq(s0->expr->kind, EX_IF);
    ck_assert_int_eq(s0->expr->cond->kind, EX_BINARY);
    ck_assert_int_eq(s0->expr->cond->rhs->kind, EX_PATH);
    Stmt *s1 = b->stmts.items[1];
    ck_assert_int_eq(s1->expr->kind, EX_MATCH);
    ck_assert_int_eq(s1->expr->operand->kind, EX_PATH);
    MatchArm *arm = s1->expr->arms.items[0];
    ck_assert_int_eq(arm->pat->kind, PAT_STRUCT);
    Stmt *s4 = b->stmts.items[4];
    ck_assert_int_eq(s4->init->kind, EX_STRUCT);
    ck_assert_int_eq(b->tail->kind, EX_IF);

    /* rustc: struct literals are not allowed here */
    parse("fn main() {\n    if s == S { a: 1 } {\n    }\n}\n", &ne);
    ck_assert_int_eq(ne, 1);
    char *m = flushed();
    ck_assert_ptr_nonnull(strstr(m, "t.mrs:2:"));
    free(m);
}
END_TEST

START_TEST(tail_and_statements)
{
    int ne;
    Block *b = main_body("match x {} - 1", &ne);
    ck_assert_int_eq(ne, 0);
    ck_assert_int_eq(b->stmts.len, 1);
    ck_assert_int_eq(((Stmt *)b->stmts.items[0])->expr->kind, EX_MATCH);
    ck_assert_int_eq(b->tail->kind, EX_UNARY);

    b = main_body("let a = 1; a", &ne);
    ck_assert_int_eq(b->stmts.len, 1);
    ck_assert_int_eq(b->tail->kind, EX_PATH);

    b = main_body("let a = 1; a;", &ne);
    ck_assert_int_eq(b->stmts.len, 2);
    ck_assert_ptr_null(b->tail);
    ck_assert(((Stmt *)b->stmts.items[1])->has_semi);

    b = main_body("if c { 1 } else { 2 }", &ne);
    ck_assert_int_eq(b->stmts.len, 0);
    ck_assert_int_eq(b->tail->kind, EX_IF);

    b = main_body("loop { break; } let x = 1; unsafe { f() }.g(); { 1 } ; x", &ne);
    ck_assert_int_eq(ne, 0);
    ck_assert_int_eq(((Stmt *)b->stmts.items[0])->expr->kind, EX_LOOP);
    ck_assert(!((Stmt *)b->stmts.items[0])->has_semi);
    ck_assert_int_eq(((Stmt *)b->stmts.items[2])->expr->kind, EX_METHOD);
    ck_assert_int_eq(b->tail->kind, EX_PATH);

    b = main_body("let Some(x) = opt else { return; }; 'a: { break 'a 1; } #[allow(unused)] let y = 2;", &ne);
    ck_assert_int_eq(ne, 0);
    Stmt *s = b->stmts.items[0];
    ck_assert_ptr_nonnull(s->els);
    ck_assert_str_eq(((Stmt *)b->stmts.items[1])->expr->label, "'a");
    ck_assert_int_eq(((Stmt *)b->stmts.items[2])->attrs.len, 1);
}
END_TEST

START_TEST(closures)
{
    Expr *e = let_init("let f = move |a: i32, (b, c)| -> i32 { a + b };", 0);
    ck_assert_int_eq(e->kind, EX_CLOSURE);
    ck_assert(e->is_move);
    ck_assert_int_eq(e->params.len, 2);
    ck_assert_ptr_nonnull(((ClosureParam *)e->params.items[0])->type);
    ck_assert_ptr_nonnull(e->ret_type);
    ck_assert_int_eq(e->body->kind, EX_BLOCK);
    e = let_init("let f = || 1;", 0);
    ck_assert_int_eq(e->params.len, 0);
    e = let_init("let f = async move { 1 };", 0); /* a closure of no parameters, its body the block */
    ck_assert_int_eq(e->kind, EX_CLOSURE);
    ck_assert(e->async_block && e->is_move && e->params.len == 0);
    ck_assert_int_eq(e->body->kind, EX_BLOCK);
    e = let_init("let f = async { 1 };", 0);
    ck_assert(e->async_block && !e->is_move);
    e = let_init("let f = |&x| x;", 0);
    ck_assert_int_eq(((ClosureParam *)e->params.items[0])->pat->kind, PAT_REF);
}
END_TEST

static Pat *arm_pat(Expr *m, int i)
{
    return ((MatchArm *)m->arms.items[i])->pat;
}

START_TEST(patterns)
{
    int ne;
    Block *b = main_body(
        "match x {\n"
        "  ref mut y => {}\n"
        "  n @ 1..=5 => {}\n"
        "  Some(ref y) => {}\n"
        "  &(a, b) => {}\n"
        "  [first, .., last] => {}\n"
        "  Point { x, y: 0, .. } => {}\n"
        "  -1 => {}\n"
        "  'a'..='z' => {}\n"
        "  Some(1) | Some(2) => {}\n"
        "  | None => {}\n"
        "  Color::Red => {}\n"
        "  &mut v => {}\n"
        "  [x, rest @ ..] => {}\n"
        "  (a, ..) => {}\n"
        "  _ if c => {}\n"
        "}",
        &ne);
    ck_assert_int_eq(ne, 0);
    Expr *m = b->tail;
    Pat *p = arm_pat(m, 0);
    ck_assert(p->kind == PAT_IDENT && p->by_ref && p->is_mut);
    p = arm_pat(m, 1);
    ck_assert(p->kind == PAT_IDENT && p->sub && p->sub->kind == PAT_RANGE && p->sub->inclusive);
    p = arm_pat(m, 2);
    ck_assert(p->kind == PAT_TUPLE_STRUCT && ((Pat *)p->elems.items[0])->by_ref);
    p = arm_pat(m, 3);
    ck_assert(p->kind == PAT_REF && p->sub->kind == PAT_TUPLE);
    p = arm_pat(m, 4);
    ck_assert(p->kind == PAT_SLICE && ((Pat *)p->elems.items[1])->kind == PAT_REST);
    p = arm_pat(m, 5);
    ck_assert(p->kind == PAT_STRUCT && p->has_rest && p->fields.len == 2);
    ck_assert(((FieldPat *)p->fields.items[0])->shorthand);
    p = arm_pat(m, 6);
    ck_assert(p->kind == PAT_LIT && p->lit->kind == EX_UNARY);
    p = arm_pat(m, 7);
    ck_assert(p->kind == PAT_RANGE && p->lo->kind == EX_CHAR);
    p = arm_pat(m, 8);
    ck_assert(p->kind == PAT_OR && p->elems.len == 2);
    p = arm_pat(m, 9);
    ck_assert(p->kind == PAT_IDENT);
    p = arm_pat(m, 10);
    ck_assert(p->kind == PAT_PATH);
    p = arm_pat(m, 11);
    ck_assert(p->kind == PAT_REF && p->is_mut && p->sub->kind == PAT_IDENT && !p->sub->is_mut);
    p = arm_pat(m, 12);
    ck_assert(((Pat *)p->elems.items[1])->sub->kind == PAT_REST);
    ck_assert_ptr_nonnull(((MatchArm *)m->arms.items[14])->guard);
}
END_TEST

START_TEST(items)
{
    int ne;
    Crate *c = parse(
        "#![allow(unused)]\n"
        "extern crate core;\n"
        "use std::collections::{HashMap, hash_map::Entry as E, *};\n"
        "pub(crate) mod m { pub fn f() {} }\n"
        "mod other;\n"
        "type Pair<T = i32> = (T, T);\n"
        "const N: usize = 3;\n"
        "static mut C: u32 = 0;\n"
        "#[derive(Debug)] pub struct P { pub x: i32, #[pin] y: i32 }\n"
        "struct T(pub i32, f64);\n"
        "struct U;\n"
        "enum E { A, B(i32), C { x: i32 }, D = 5 }\n"
        "union W { a: u32 }\n"
        "trait Tr<X>: Clone + Sized where X: Copy { type Item: Clone; const K: u32; fn f(&self); fn g(&self) {} }\n"
        "unsafe impl<T: ?Sized> Send for P where T: for<'a> Fn(&'a T) {}\n"
        "impl<T> !Unpin for P {}\n"
        "impl<'a, T: Clone + 'a, const M: usize> Tr<T> for Vec<T> { type Item = T; }\n"
        "impl P { async fn a(self: Pin<&mut Self>) {} const unsafe fn b(mut self) {} extern \"C\" fn c(&'a mut self) {} }\n"
        "macro_rules! sq { ($x:expr) => { $x * $x }; }\n"
        "fn main() {}\n",
        &ne);
    ck_assert_int_eq(ne, 0);
    static const ItemKind kinds[] = {IT_EXTERN_CRATE, IT_USE, IT_MOD, IT_MOD, IT_TYPE, IT_CONST, IT_STATIC,
                                     IT_STRUCT, IT_STRUCT, IT_STRUCT, IT_ENUM, IT_UNION, IT_TRAIT, IT_IMPL,
                                     IT_IMPL, IT_IMPL, IT_IMPL, IT_MACRO_RULES, IT_FN};
    ck_assert_int_eq(c->items.len, (int)(sizeof kinds / sizeof *kinds));
    for (int i = 0; i < c->items.len; i++)
        ck_assert_int_eq(((Item *)c->items.items[i])->kind, kinds[i]);
    ck_assert_int_eq(c->attrs.len, 1);
    Item *use = c->items.items[1];
    ck_assert_int_eq(use->use->children.len, 3);
    Item *p = c->items.items[7];
    ck_assert(p->is_pub && p->attrs.len == 1 && p->fields.len == 2);
    ck_assert_int_eq(((FieldDef *)p->fields.items[1])->attrs.len, 1);
    Item *e = c->items.items[10];
    ck_assert_int_eq(((Variant *)e->variants.items[2])->kind, SK_NAMED);
    ck_assert_ptr_nonnull(((Variant *)e->variants.items[3])->discriminant);
    Item *tr = c->items.items[12];
    ck_assert_int_eq(tr->supertraits.len, 2);
    ck_assert_int_eq(tr->items.len, 4);
    ck_assert_ptr_null(((Item *)tr->items.items[2])->body);
    Item *neg = c->items.items[14];
    ck_assert(neg->negative);
    Item *im = c->items.items[16];
    Item *a = im->items.items[0];
    ck_assert(a->sig->is_async && a->sig->self_kind == SELF_TYPED);
    Item *b = im->items.items[1];
    ck_assert(b->sig->is_const && b->sig->is_unsafe && b->sig->self_mut);
    Item *cc = im->items.items[2];
    ck_assert(cc->sig->is_extern && cc->sig->self_kind == SELF_REF_MUT);
    ck_assert_str_eq(cc->sig->self_lifetime, "'a");
}
END_TEST

START_TEST(types)
{
    int ne;
    parse("fn f(a: impl Fn(i32) -> i32 + 'static, b: &dyn Trait, c: Box<dyn Fn(&str) -> String + Send>,\n"
          "     d: &'a mut [T], e: fn(i32) -> i32, g: <T as Trait>::Output, h: Self::Item, i: F::Output,\n"
          "     j: [u8; 4], k: (), l: (i32,), m: *const u8, n: *mut T, o: !, p: impl Iterator<Item = u8>) {}",
          &ne);
    ck_assert_int_eq(ne, 0);
}
END_TEST

START_TEST(macros)
{
    int ne;
    Block *b = main_body("println!(\"{} {}\", a, b,); let v = vec![0; n]; let w = vec![1, 2];"
                         "assert!(matches!(x, Some(n) if n > 1)); write!(f, \"x\")?; thread_local!{ static X: u8 = 1; }",
                         &ne);
    ck_assert_int_eq(ne, 0);
    Expr *p = ((Stmt *)b->stmts.items[0])->expr;
    ck_assert_int_eq(p->kind, EX_MACRO);
    ck_assert_str_eq(p->mac->name, "println");
    ck_assert_int_eq(p->mac->args.len, 3);
    ck_assert_int_eq(((Expr *)p->mac->args.items[0])->kind, EX_STR);
    Expr *v = ((Stmt *)b->stmts.items[1])->init;
    ck_assert(v->mac->is_repeat && v->mac->delim == '[');
    Expr *as = ((Stmt *)b->stmts.items[3])->expr;
    Expr *m = as->mac->args.items[0];
    ck_assert_ptr_nonnull(m->mac->pat);
    ck_assert_ptr_nonnull(m->mac->guard);
    ck_assert_int_eq(((Stmt *)b->stmts.items[4])->expr->kind, EX_TRY);
    /* item-level macro invocations are not supported */
    parse("thread_local! { static X: u8 = 1; }\nfn main() {}", &ne);
    ck_assert_int_eq(ne, 1);
    char *msg = flushed();
    ck_assert_ptr_nonnull(strstr(msg, "not supported by mrsc"));
    free(msg);
}
END_TEST

START_TEST(spans)
{
    int ne;
    Block *b = main_body("let v = a.len() + foo(1, 2) * x[3];", &ne);
    Expr *e = ((Stmt *)b->stmts.items[0])->init; /* offsets are after "fn main() { " (12) */
    ck_assert_int_eq(e->kind, EX_BINARY);
    ck_assert_uint_eq(e->span.lo, 20);
    ck_assert_uint_eq(e->span.hi, 46);
    Expr *m = e->lhs;
    ck_assert_uint_eq(m->name_span.lo, 22);
    ck_assert_uint_eq(m->name_span.col, 23);
    Expr *call = e->rhs->lhs;
    ck_assert_uint_eq(call->span.lo, 30);
    ck_assert_uint_eq(call->span.hi, 39);
    Expr *idx = e->rhs->rhs;
    ck_assert_uint_eq(idx->span.lo, 42);
    ck_assert_uint_eq(idx->span.hi, 46);
    b = main_body("std::println!(\"x\");", &ne);
    Expr *mac = ((Stmt *)b->stmts.items[0])->expr;
    ck_assert_uint_eq(mac->span.lo, 12);
    ck_assert_uint_eq(mac->span.hi, 30);
    ck_assert_uint_eq(mac->mac->path->span.hi, 24);
}
END_TEST

/* The line of each syntax error, as rustc reports them (rustc-oracle). */
static void check_error_lines(const char *src, const char *want)
{
    int ne;
    parse(src, &ne);
    char *m = flushed();
    StrBuf got;
    sb_init(&got);
    for (char *p = m; (p = strstr(p, "--> t.mrs:")); p++)
        sb_printf(&got, "%d ", atoi(p + 10));
    ck_assert_msg(!strcmp(got.data ? got.data : "", want), "%s\ngot lines [%s], want [%s]\n%s", src,
                  got.data ? got.data : "", want, m);
    sb_free(&got);
    free(m);
}

START_TEST(syntax_errors)
{
    check_error_lines("fn main() {\n    let x = 5\n    let y = 6;\n}\n", "2 ");
    check_error_lines("fn main() {\n    let x = 5 let y = 6;\n}\n", "2 ");
    check_error_lines("fn main() {\n    let x = 1 + ;\n}\n", "2 ");
    check_error_lines("fn main() {\n    let = 5;\n}\n", "2 ");
    check_error_lines("let x = 5;\nfn main() {}\n", "1 ");
    check_error_lines("fn main() {\n    let x = foo(1, 2;\n    let y = 3;\n}\n", "2 ");
    check_error_lines("fn main() {\n    if x {\n        a();\n\n}\n", "5 ");
    check_error_lines("fn main() {\n    let x = 1;\n    }\n}\n", "4 ");
    check_error_lines("fn main() {\n    if true { } else\n}\n", "3 ");
    check_error_lines("fn main() {\n    match 1 {\n        1 => a()\n        _ => b(),\n    };\n}\n", "3 ");
    check_error_lines("struct S {\n    a: i32\n    b: i32,\n}\nfn main() {}\n", "2 ");
    check_error_lines("fn main() {\n    foo(\n        1\n        2);\n}\n", "4 ");
    check_error_lines("fn main() {\n    let box = 5;\n}\n", "2 ");
    /* several independent errors in one run, one per block */
    check_error_lines("fn main() {\n    let x = 5\n}\nfn f() -> i32 {\n    let y = 2\n    y\n}\n", "2 5 ");
    check_error_lines("fn main() {\n    let a = 1;\n    let b = 2 a;\n    let c = 3;\n    let d = c c;\n}\n"
                      "fn g(a: i32 b: i32) {}\nstruct S { x: i32 y: i32 }\n",
                      "3 7 8 ");
}
END_TEST

static const char conf_box_reborrow[] =
    "// seed: \"Fixed Address, Mutable Content\"\n"
    "#![allow(unused)]\n"
    "fn modify_value(ptr: &mut i32) {\n"
    "    *ptr += 100; // Change the data\n"
    "}\n"
    "\n"
    "fn main() {\n"
    "    let mut x = Box::new(5);\n"
    "    let mut y = Box::new(-1);\n"
    "    *x = 10;            // Change data\n"
    "\n"
    "    let x = &mut *x;    // 'x' cannot be reassigned to a new address\n"
    "\n"
    "    modify_value(x);\n"
    "\n"
    "    println!(\"{}\", x); // Output: 110\n"
    "}\n";

static const char conf_closure_borrow_mut[] =
    "// seed: \"Closure-as-a-Container\" — the closure captures `s` by unique borrow (FnMut)\n"
    "fn main() {\n"
    "    let mut s = String::from(\"hello\");\n"
    "    let mut closure = || {\n"
    "        s.push_str(\" world\"); // Modifies s\n"
    "    };\n"
    "    closure();\n"
    "    closure();\n"
    "    println!(\"{}\", s);\n"
    "}\n";

static const char conf_closure_move[] =
    "// seed: \"Adding move\" — the closure owns the String; calling it still needs `let mut`\n"
    "fn main() {\n"
    "    let mut s = String::from(\"hello\");\n"
    "    let mut closure = move || {\n"
    "        s.push_str(\" world\"); // Modifies s\n"
    "        println!(\"inside: {}\", s);\n"
    "    };\n"
    "    closure();\n"
    "    closure();\n"
    "}\n";

static const char conf_dummy_move[] =
    "// seed: \"The Alternative\" — a dummy move inside a non-move closure makes it FnOnce\n"
    "fn main() {\n"
    "    let to_move = String::from(\"Move me\");\n"
    "    let to_borrow = String::from(\"Borrow me\");\n"
    "\n"
    "    let closure = || {\n"
    "        let _internal_move = to_move; // This forces 'to_move' to be captured by value\n"
    "        println!(\"Borrowed: {}\", to_borrow);\n"
    "    };\n"
    "    closure();\n"
    "    println!(\"still here: {}\", to_borrow);\n"
    "}\n";

static const char conf_fail_box_rebind_immutable[] =
    "// seed #1: re-binding as immutable locks both the address and the data\n"
    "fn main() {\n"
    "    let mut x = Box::new(5);\n"
    "    let y = Box::new(-1);\n"
    "    *x = 10;\n"
    "    let x = x;\n"
    "    x = y;\n"
    "    *x = 20;\n"
    "    println!(\"{}\", x);\n"
    "}\n";

static const char conf_fail_closure_needs_mut[] =
    "// seed: the closure mutates `s`, so both `s` and `closure` must be `let mut`\n"
    "fn main() {\n"
    "    let s = String::from(\"hello\");\n"
    "    let closure = || {\n"
    "        s.push_str(\" world\");\n"
    "    };\n"
    "    closure();\n"
    "}\n";

static const char conf_fail_moved_into_closure[] =
    "// seed: \"ERROR: This would fail, it's gone.\"\n"
    "fn main() {\n"
    "    let data_to_move = String::from(\"I am being moved\");\n"
    "    let mut data_to_share = String::from(\"I am being borrowed\");\n"
    "    let shared_ref = &mut data_to_share;\n"
    "    let mut closure = move || {\n"
    "        println!(\"Moved: {}\", data_to_move);\n"
    "        shared_ref.push_str(\"... and modified!\");\n"
    "    };\n"
    "    closure();\n"
    "    println!(\"{}\", data_to_move);\n"
    "}\n";

static const char conf_fail_nll_closure_used_again[] =
    "// seed: \"If you called 'closure()' again below, this line would trigger a compile error.\"\n"
    "fn main() {\n"
    "    let data_to_move = String::from(\"I am being moved\");\n"
    "    let mut data_to_share = String::from(\"I am being borrowed\");\n"
    "    let shared_ref = &mut data_to_share;\n"
    "    let mut closure = move || {\n"
    "        println!(\"Moved: {}\", data_to_move);\n"
    "        shared_ref.push_str(\"... and modified!\");\n"
    "    };\n"
    "    closure();\n"
    "    println!(\"Shared: {}\", data_to_share);\n"
    "    closure();\n"
    "}\n";

static const char conf_fail_reborrow_address_locked[] =
    "// seed #2: `let x = &mut *x;` fixes the address, the data stays changeable\n"
    "fn main() {\n"
    "    let mut x = Box::new(5);\n"
    "    let mut y = Box::new(-1);\n"
    "    let x = &mut *x;\n"
    "    x = &mut *y;\n"
    "    *x = 20;\n"
    "    println!(\"{}\", x);\n"
    "}\n";

static const char conf_manual_pin_projection[] =
    "// seed: \"Manual pin projection\" without the crate\n"
    "use std::future::Future;\n"
    "use std::pin::Pin;\n"
    "use std::task::{Context, Poll};\n"
    "\n"
    "struct MyFuture<F> {\n"
    "    inner: F,        // structurally pinned\n"
    "    completed: bool, // not pinned\n"
    "}\n"
    "\n"
    "impl<F> MyFuture<F> {\n"
    "    fn project_inner(self: Pin<&mut Self>) -> Pin<&mut F> {\n"
    "        // SAFETY: 'inner' is only ever accessed through a Pin while the parent is pinned.\n"
    "        unsafe { self.map_unchecked_mut(|s| &mut s.inner) }\n"
    "    }\n"
    "\n"
    "    fn project_completed(self: Pin<&mut Self>) -> &mut bool {\n"
    "        // SAFETY: 'completed' is not structurally pinned.\n"
    "        unsafe { &mut Pin::get_unchecked_mut(self).completed }\n"
    "    }\n"
    "}\n"
    "\n"
    "impl<F: Future> Future for MyFuture<F> {\n"
    "    type Output = F::Output;\n"
    "    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {\n"
    "        match self.as_mut().project_inner().poll(cx) {\n"
    "            Poll::Ready(v) => {\n"
    "                *self.as_mut().project_completed() = true;\n"
    "                Poll::Ready(v)\n"
    "            }\n"
    "            Poll::Pending => Poll::Pending,\n"
    "        }\n"
    "    }\n"
    "}\n"
    "\n"
    "struct Ready(i32);\n"
    "impl Future for Ready {\n"
    "    type Output = i32;\n"
    "    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<i32> {\n"
    "        Poll::Ready(self.0)\n"
    "    }\n"
    "}\n"
    "\n"
    "fn main() {\n"
    "    let mut fut = Box::pin(MyFuture { inner: Ready(42), completed: false });\n"
    "    let v = futures::executor::block_on(fut.as_mut());\n"
    "    println!(\"value {} completed {}\", v, fut.completed);\n"
    "}\n";

static const char conf_pin_project_timed_future[] =
    "// seed: \"Custom Future Implementation\" with the pin-project crate\n"
    "use pin_project::pin_project;\n"
    "use std::future::Future;\n"
    "use std::pin::Pin;\n"
    "use std::task::{Context, Poll};\n"
    "use std::time::Instant;\n"
    "\n"
    "#[pin_project]\n"
    "pub struct TimedFuture<F> {\n"
    "    #[pin]\n"
    "    inner: F,            // Structural: we need Pin<&mut F> to call .poll()\n"
    "    start_time: Instant, // Non-structural: we only need &mut Instant\n"
    "}\n"
    "\n"
    "impl<F: Future> Future for TimedFuture<F> {\n"
    "    type Output = (F::Output, std::time::Duration);\n"
    "\n"
    "    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {\n"
    "        let this = self.project();\n"
    "        match this.inner.poll(cx) {\n"
    "            Poll::Ready(output) => {\n"
    "                let duration = this.start_time.elapsed();\n"
    "                Poll::Ready((output, duration))\n"
    "            }\n"
    "            Poll::Pending => Poll::Pending,\n"
    "        }\n"
    "    }\n"
    "}\n"
    "\n"
    "// A future that is pending a given number of times before it is ready.\n"
    "struct CountDown {\n"
    "    left: u32,\n"
    "}\n"
    "\n"
    "impl Future for CountDown {\n"
    "    type Output = &'static str;\n"
    "    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {\n"
    "        if self.left == 0 {\n"
    "            Poll::Ready(\"Done!\")\n"
    "        } else {\n"
    "            println!(\"pending, {} to go\", self.left);\n"
    "            self.left -= 1;\n"
    "            cx.waker().wake_by_ref();\n"
    "            Poll::Pending\n"
    "        }\n"
    "    }\n"
    "}\n"
    "\n"
    "fn main() {\n"
    "    let timed = TimedFuture {\n"
    "        inner: CountDown { left: 3 },\n"
    "        start_time: Instant::now(),\n"
    "    };\n"
    "    let (result, duration) = futures::executor::block_on(timed);\n"
    "    println!(\"Result: {} (took less than a minute: {})\", result, duration.as_secs() < 60);\n"
    "}\n";

static const char conf_rc_refcell_shared[] =
    "// seed master table: Rc<RefCell<T>> — shared, mutable at run time, counted\n"
    "use std::cell::{Cell, RefCell};\n"
    "use std::rc::Rc;\n"
    "\n"
    "struct Counter {\n"
    "    hits: Cell<u32>,\n"
    "    log: RefCell<Vec<String>>,\n"
    "}\n"
    "\n"
    "impl Counter {\n"
    "    // &self, yet it mutates: interior mutability\n"
    "    fn hit(&self, who: &str) {\n"
    "        self.hits.set(self.hits.get() + 1);\n"
    "        self.log.borrow_mut().push(who.to_string());\n"
    "    }\n"
    "}\n"
    "\n"
    "fn main() {\n"
    "    let shared = Rc::new(RefCell::new(vec![1, 2, 3]));\n"
    "    let a = Rc::clone(&shared);\n"
    "    let b = Rc::clone(&shared);\n"
    "    a.borrow_mut().push(4);\n"
    "    b.borrow_mut().push(5);\n"
    "    println!(\"{:?} strong={}\", shared.borrow(), Rc::strong_count(&shared));\n"
    "    drop(a);\n"
    "    println!(\"strong={}\", Rc::strong_count(&shared));\n"
    "\n"
    "    let c = Counter { hits: Cell::new(0), log: RefCell::new(Vec::new()) };\n"
    "    c.hit(\"x\");\n"
    "    c.hit(\"y\");\n"
    "    println!(\"{} {:?}\", c.hits.get(), c.log.borrow());\n"
    "}\n";

static const char conf_refcell_double_borrow[] =
    "// seed: RefCell moves borrow checking to run time — a conflict panics\n"
    "use std::cell::RefCell;\n"
    "fn main() {\n"
    "    let cell = RefCell::new(String::from(\"data\"));\n"
    "    let reader = cell.borrow();\n"
    "    println!(\"reading {}\", reader);\n"
    "    let mut writer = cell.borrow_mut();\n"
    "    writer.push('!');\n"
    "}\n";

static const char conf_selective_move[] =
    "// seed: \"Selective move\" — move one value, borrow another through a moved reference\n"
    "fn main() {\n"
    "    let data_to_move = String::from(\"I am being moved\");\n"
    "    let mut data_to_share = String::from(\"I am being borrowed\");\n"
    "\n"
    "    let shared_ref = &mut data_to_share;\n"
    "\n"
    "    let mut closure = move || {\n"
    "        println!(\"Moved: {}\", data_to_move);\n"
    "        shared_ref.push_str(\"... and modified!\");\n"
    "    };\n"
    "\n"
    "    closure();\n"
    "\n"
    "    println!(\"Shared: {}\", data_to_share);\n"
    "}\n";

static const struct { const char *name, *src; } conformance[] = {
    {"box_reborrow", conf_box_reborrow},
    {"closure_borrow_mut", conf_closure_borrow_mut},
    {"closure_move", conf_closure_move},
    {"dummy_move", conf_dummy_move},
    {"fail_box_rebind_immutable", conf_fail_box_rebind_immutable},
    {"fail_closure_needs_mut", conf_fail_closure_needs_mut},
    {"fail_moved_into_closure", conf_fail_moved_into_closure},
    {"fail_nll_closure_used_again", conf_fail_nll_closure_used_again},
    {"fail_reborrow_address_locked", conf_fail_reborrow_address_locked},
    {"manual_pin_projection", conf_manual_pin_projection},
    {"pin_project_timed_future", conf_pin_project_timed_future},
    {"rc_refcell_shared", conf_rc_refcell_shared},
    {"refcell_double_borrow", conf_refcell_double_borrow},
    {"selective_move", conf_selective_move},
};

START_TEST(conformance_programs)
{
    for (size_t i = 0; i < sizeof conformance / sizeof *conformance; i++) {
        int ne;
        Crate *c = parse(conformance[i].src, &ne);
        ck_assert_msg(ne == 0, "%s: %d syntax errors", conformance[i].name, ne);
        ck_assert_msg(c->items.len > 0, "%s: no items", conformance[i].name);
        char *d = dump_of(c);
        ck_assert_ptr_nonnull(strstr(d, "Fn main"));
        free(d);
    }
}
END_TEST

START_TEST(seed_snippets)
{
    int ne;
    parse("fn main() {\n"
          "    let mut s = String::from(\"hello\");\n"
          "    let mut closure = || { s.push_str(\" world\"); };\n"
          "    let mut closure = MyClosure { s: &mut s };\n"
          "    let shared_ref = &mut data_to_share;\n"
          "    let closure = || { let _internal_move = to_move; println!(\"Borrowed: {}\", to_borrow); };\n"
          "}\n"
          "struct MyClosure<'a> { s: &'a mut String }\n"
          "impl<'a> FnMut<()> for MyClosure<'a> { fn call_mut(&mut self) { self.s.push_str(\" world\"); } }\n"
          "impl MyGenerator { fn work(self: Pin<&mut Self>) { let val: &mut i32 = self.data.get_mut(); *val += 1; } }\n"
          "struct MyFuture<Fut> { #[pin] timer: Fut, completed: bool }\n"
          "async fn example_usage() {\n"
          "    let inner_future = async { tokio::time::sleep(std::time::Duration::from_millis(100)).await; \"Done!\" };\n"
          "    let (result, duration) = timed.await;\n"
          "    println!(\"Result: {} took {:?}\", result, duration);\n"
          "}\n",
          &ne);
    ck_assert_int_eq(ne, 0);
}
END_TEST

Suite *parser_suite(void)
{
    Suite *s = suite_create("parser");
    TCase *tc = tcase_create("grammar");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, precedence);
    tcase_add_test(tc, chained_comparison);
    tcase_add_test(tc, generics_shift_split);
    tcase_add_test(tc, struct_literal_restriction);
    tcase_add_test(tc, tail_and_statements);
    tcase_add_test(tc, closures);
    tcase_add_test(tc, patterns);
    tcase_add_test(tc, items);
    tcase_add_test(tc, types);
    tcase_add_test(tc, macros);
    tcase_add_test(tc, spans);
    tcase_add_test(tc, syntax_errors);
    tcase_add_test(tc, conformance_programs);
    tcase_add_test(tc, seed_snippets);
    suite_add_tcase(s, tc);
    return s;
}
