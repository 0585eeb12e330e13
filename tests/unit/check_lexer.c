/* check_lexer.c — the scanner: token kinds, literal values and escapes,
 * spans (columns count chars, not bytes), comments and lexical errors.
 *
 * requires: lexer/lexer.h, driver/diag.h; produces: lexer_suite(). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driver/diag.h"
#include "driver/util.h"
#include "lexer/lexer.h"
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

/* The --emit=tokens dump of src (malloc'd), with diagnostics counted. */
static char *dump(const char *src, int *nerr)
{
    diag_init("t.mrs", src, strlen(src));
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    lex_dump_tokens(f, src, strlen(src));
    fclose(f);
    if (nerr)
        *nerr = diag_error_count();
    return buf;
}

/* The diagnostics printed by diag_flush (malloc'd). */
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

#define ASSERT_DUMP(src, want)                                     \
    do {                                                           \
        int ne_;                                                   \
        char *got_ = dump(src, &ne_);                              \
        ck_assert_str_eq(got_, want);                              \
        ck_assert_int_eq(ne_, 0);                                  \
        free(got_);                                                \
    } while (0)

/* The first expression of `fn main() { let _x = SRC; }`. */
static Expr *lit_of(const char *src, int *nerr)
{
    char *prog = xprintf("fn main() { let _x = %s; }", src);
    diag_init("t.mrs", prog, strlen(prog));
    Crate *c = parse_crate(prog, strlen(prog));
    *nerr = diag_error_count();
    Item *f = c->items.items[0];
    Stmt *s = f->body->stmts.items[0];
    return s->init;
}

START_TEST(keywords_and_idents)
{
    ASSERT_DUMP("fn main r#match gen union Self self _ yield",
                "1:1 KEYWORD fn\n1:4 IDENT main\n1:9 IDENT r#match\n1:17 IDENT gen\n"
                "1:21 IDENT union\n1:27 KEYWORD Self\n1:32 KEYWORD self\n1:37 PUNCT _\n"
                "1:39 KEYWORD yield\n");
}
END_TEST

START_TEST(punctuation)
{
    ASSERT_DUMP(":: -> => .. ..= ... <<= >>= && || += != == <= >= >> <<",
                "1:1 PUNCT ::\n1:4 PUNCT ->\n1:7 PUNCT =>\n1:10 PUNCT ..\n1:13 PUNCT ..=\n"
                "1:17 PUNCT ...\n1:21 PUNCT <<=\n1:25 PUNCT >>=\n1:29 PUNCT &&\n1:32 PUNCT ||\n"
                "1:35 PUNCT +=\n1:38 PUNCT !=\n1:41 PUNCT ==\n1:44 PUNCT <=\n1:47 PUNCT >=\n"
                "1:50 PUNCT >>\n1:53 PUNCT <<\n");
    ASSERT_DUMP("#![a] $x?~@", "1:1 PUNCT #\n1:2 PUNCT !\n1:3 PUNCT [\n1:4 IDENT a\n1:5 PUNCT ]\n"
                               "1:7 PUNCT $\n1:8 IDENT x\n1:9 PUNCT ?\n1:10 PUNCT ~\n1:11 PUNCT @\n");
}
END_TEST

START_TEST(numbers)
{
    ASSERT_DUMP("1..2 1.max x.0.1 1.5 1e10 2.5E-3 1f64 0xff_u8 0o17 0b1010 1_000i64",
                "1:1 INT 1\n1:2 PUNCT ..\n1:4 INT 2\n1:6 INT 1\n1:7 PUNCT .\n1:8 IDENT max\n"
                "1:12 IDENT x\n1:13 PUNCT .\n1:14 INT 0\n1:15 PUNCT .\n1:16 INT 1\n"
                "1:18 FLOAT 1.5\n1:22 FLOAT 1e10\n1:27 FLOAT 2.5E-3\n1:34 FLOAT 1f64\n"
                "1:39 INT 0xff_u8\n1:47 INT 0o17\n1:52 INT 0b1010\n1:59 INT 1_000i64\n");
    int ne;
    Expr *e = lit_of("0xff_u8", &ne);
    ck_assert_int_eq(e->kind, EX_INT);
    ck_assert_uint_eq(e->int_val, 255);
    ck_assert_str_eq(e->suffix, "u8");
    ck_assert_str_eq(e->lit_text, "0xff");
    e = lit_of("1_000_000i64", &ne);
    ck_assert_uint_eq(e->int_val, 1000000);
    ck_assert_str_eq(e->lit_text, "1000000");
    e = lit_of("2.5E-3", &ne);
    ck_assert_int_eq(e->kind, EX_FLOAT);
    ck_assert(e->float_val > 0.0024 && e->float_val < 0.0026);
    e = lit_of("1f32", &ne);
    ck_assert_int_eq(e->kind, EX_FLOAT);
    ck_assert_str_eq(e->suffix, "f32");
    e = lit_of("0b1010", &ne);
    ck_assert_uint_eq(e->int_val, 10);
    e = lit_of("0o17", &ne);
    ck_assert_uint_eq(e->int_val, 15);
    ck_assert_int_eq(ne, 0);
}
END_TEST

START_TEST(chars_and_lifetimes)
{
    ASSERT_DUMP("'a' 'a '\\n' b'x' 'static '\\u{1F600}' 'é'",
                "1:1 CHAR 'a'\n1:5 LIFETIME 'a\n1:8 CHAR '\\n'\n1:13 BYTE b'x'\n"
                "1:18 LIFETIME 'static\n1:26 CHAR '\\u{1F600}'\n1:38 CHAR 'é'\n");
    int ne;
    static const struct { const char *src; uint64_t v; } cases[] = {
        {"'a'", 'a'}, {"'\\n'", '\n'}, {"'\\r'", '\r'}, {"'\\t'", '\t'}, {"'\\\\'", '\\'},
        {"'\\0'", 0}, {"'\\''", '\''}, {"'\\\"'", '"'}, {"'\\x7f'", 0x7f},
        {"'\\u{1F600}'", 0x1F600}, {"'é'", 0xE9}, {"b'\\xff'", 0xff},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        Expr *e = lit_of(cases[i].src, &ne);
        ck_assert_msg(e->int_val == cases[i].v, "%s", cases[i].src);
        ck_assert_int_eq(ne, 0);
    }
}
END_TEST

START_TEST(strings)
{
    int ne;
    Expr *e = lit_of("\"a\\tb\\n\\\"q\\\" \\u{e9}\\x41\\0z\"", &ne);
    ck_assert_int_eq(e->kind, EX_STR);
    ck_assert_uint_eq(e->str_len, 13);
    ck_assert(memcmp(e->str, "a\tb\n\"q\" \xc3\xa9" "A\0z", 13) == 0);
    e = lit_of("\"one \\\n        two\"", &ne);
    ck_assert_str_eq(e->str, "one two");
    e = lit_of("r\"no \\n escape\"", &ne);
    ck_assert_str_eq(e->str, "no \\n escape");
    e = lit_of("r#\"has \"quotes\"\"#", &ne);
    ck_assert_str_eq(e->str, "has \"quotes\"");
    e = lit_of("b\"by\\xfftes\"", &ne);
    ck_assert_int_eq(e->kind, EX_BYTE_STR);
    ck_assert_uint_eq(e->str_len, 6);
    e = lit_of("br\"raw\"", &ne);
    ck_assert_int_eq(e->kind, EX_BYTE_STR);
    ck_assert_str_eq(e->str, "raw");
    e = lit_of("\"line1\nline2\"", &ne);
    ck_assert_str_eq(e->str, "line1\nline2");
    ck_assert_int_eq(ne, 0);
}
END_TEST

START_TEST(spans_count_chars)
{
    /* é and 😀 are several bytes but one column each */
    ASSERT_DUMP("let s = \"é😀\"; x\n  y", "1:1 KEYWORD let\n1:5 IDENT s\n1:7 PUNCT =\n"
                                          "1:9 STR \"é😀\"\n1:13 PUNCT ;\n1:15 IDENT x\n2:3 IDENT y\n");
    int ne;
    Expr *e = lit_of("\"é\"", &ne);
    ck_assert_uint_eq(e->span.hi - e->span.lo, 4); /* bytes */
}
END_TEST

START_TEST(comments)
{
    ASSERT_DUMP("a /* x /* nested */ y */ b // line\n/// doc\n//! inner\n/** block doc */ c",
                "1:1 IDENT a\n1:26 IDENT b\n4:18 IDENT c\n");
}
END_TEST

START_TEST(errors_continue)
{
    int ne;
    char *d = dump("let s = \"abc;", &ne);
    ck_assert_int_eq(ne, 1);
    char *msg = flushed();
    ck_assert_ptr_nonnull(strstr(msg, "error[E0765]: unterminated double quote string"));
    ck_assert_ptr_nonnull(strstr(msg, "t.mrs:1:9"));
    free(msg);
    free(d);

    d = dump("a $ b ` c", &ne);
    ck_assert_str_eq(d, "1:1 IDENT a\n1:3 PUNCT $\n1:5 IDENT b\n1:9 IDENT c\n");
    ck_assert_int_eq(ne, 1);
    msg = flushed();
    ck_assert_ptr_nonnull(strstr(msg, "unknown start of token: `"));
    free(msg);
    free(d);

    d = dump("'\\q' \"\\q\" 0b102 0o9 /* open", &ne);
    ck_assert_int_eq(ne, 5);
    msg = flushed();
    ck_assert_ptr_nonnull(strstr(msg, "unknown character escape: `q`"));
    ck_assert_ptr_nonnull(strstr(msg, "invalid digit for a base 2 literal"));
    ck_assert_ptr_nonnull(strstr(msg, "invalid digit for a base 8 literal"));
    ck_assert_ptr_nonnull(strstr(msg, "error[E0758]: unterminated block comment"));
    free(msg);
    free(d);

    d = dump("1u7 r\"open", &ne);
    ck_assert_int_eq(ne, 2);
    msg = flushed();
    ck_assert_ptr_nonnull(strstr(msg, "invalid suffix `u7` for number literal"));
    ck_assert_ptr_nonnull(strstr(msg, "error[E0748]: unterminated raw string"));
    free(msg);
    free(d);
}
END_TEST

Suite *lexer_suite(void)
{
    Suite *s = suite_create("lexer");
    TCase *tc = tcase_create("tokens");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, keywords_and_idents);
    tcase_add_test(tc, punctuation);
    tcase_add_test(tc, numbers);
    tcase_add_test(tc, chars_and_lifetimes);
    tcase_add_test(tc, strings);
    tcase_add_test(tc, spans_count_chars);
    tcase_add_test(tc, comments);
    tcase_add_test(tc, errors_continue);
    suite_add_tcase(s, tc);
    return s;
}
