/* parser.y — the grammar of every tier's surface syntax (MINI-RUST.md
 * section 2) and the construction of the AST (ast.h).
 *
 * requires: the source text (diag_init already called); produces: a Crate
 * with spans on every node, or syntax errors in rustc's wording.
 *
 * Shape of the grammar (STYLE.md "Parser and lexer"):
 *  - Binary operators are flat rules resolved by the precedence table below,
 *    which is Rust's (reference, "Expression precedence").
 *  - Expressions come in three families that differ only at their top level:
 *      expr     anywhere;
 *      expr_ns  in `if`/`while`/`match`/`for` heads: no struct literal and no
 *               bare block at the top level, so `if x == y {` ends at `{`;
 *      expr_st  at the start of a statement or match-arm body: a block-like
 *               expression (`if`, `match`, `loop`, blocks, ...) ends the
 *               statement there unless `.` or `?` follows, so
 *               `match x {} - 1` is two statements.
 *  - `>>`, `>=`, `>>=`, `<<`, `&&`, `||` are split by the token feed when the
 *    parser's state accepts only their first character (generics, `&&x`,
 *    `|| body`), see "token feed" at the end of the file.
 *  - Error rules at closing brackets (`'{' ... error '}'`), after `;` and at
 *    item boundaries, so that one run reports several independent errors. */

%require "3.8"
%define api.pure full
%define api.token.prefix {TK_}
%define api.location.type {Span}
%define parse.error custom
%define parse.lac full
%locations
%param {yyscan_t scanner}
%parse-param {Parser *P}

/* Pinned conflicts, both resolved by bison's default (shift) the way rustc
 * resolves them:
 *   - `impl <` : generics, not a qualified-path self type `impl <T>::X`;
 *   - `pub (`  in a tuple-struct field: a restricted visibility `pub(crate)`,
 *     not `pub` before a tuple type. */
%expect 2

%code top {
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
}

%code requires {
#include "driver/diag.h"
#include "driver/util.h"
#include "lexer/lexer.h"
#include "parser/ast.h"

typedef struct Parser Parser;

/* `self` parameter as written, before it is folded into FnSig. */
typedef struct SelfParam {
    Span span;
    SelfKind kind;
    bool is_mut;        /* `mut self` */
    char *lifetime;     /* `&'a self` */
    TypeExpr *type;     /* `self: T` */
} SelfParam;

typedef struct ParamList {
    List params;        /* List of Param * */
    SelfParam *self;
} ParamList;

typedef struct ClosureHead {
    Span span;
    List params;        /* List of ClosureParam * */
    bool is_move, is_async;
} ClosureHead;

typedef struct PatList {
    List pats;          /* List of Pat * (or FieldPat * for struct patterns) */
    bool trailing;      /* ended by `,` */
    bool rest;          /* struct pattern `..` */
} PatList;

/* One generic argument: a type, an `Item = T` binding or a lifetime. */
typedef struct GArg {
    TypeExpr *type;
    AssocBinding *assoc;
} GArg;

/* Field initializers of a struct literal and the optional `..base`. */
typedef struct FieldInits {
    List fields;        /* List of FieldInit * */
    Expr *base;
} FieldInits;
}

%union {
    char *str;
    Expr *expr;
    Pat *pat;
    TypeExpr *type;
    Item *item;
    Block *block;
    Stmt *stmt;
    Path *path;
    PathSeg *seg;
    List list;
    Attr *attr;
    Generics *gen;
    GenericParam *gparam;
    WherePred *wpred;
    Bound *bound;
    FieldDef *field;
    Variant *variant;
    UseTree *use;
    MatchArm *arm;
    FieldInit *finit;
    FieldPat *fpat;
    Param *param;
    SelfParam *selfp;
    ParamList plist;
    ClosureHead *chead;
    PatList patlist;
    GArg garg;
    FieldInits finits;
    MacroCall *mac;
    ClosureParam *cparam;
    bool flag;
}

%code {
#include "parser/build.h"

int lex_scan(YYSTYPE *lval, YYLTYPE *lloc, yyscan_t scanner);
static int feed(YYSTYPE *lval, YYLTYPE *lloc, yyscan_t scanner, Parser *P,
                const void *ss, const void *ssp, int errstatus);
/* The parser's stack is passed to the feed so that it can decide whether to
 * split a composite token (see "token feed"). */
#define yylex(lval, lloc, sc) feed((lval), (lloc), (sc), P, yyss, yyssp, yyerrstatus)

#define YYLLOC_DEFAULT(Cur, Rhs, N)                                  \
    do {                                                             \
        if (N) {                                                     \
            (Cur) = YYRHSLOC(Rhs, 1);                                \
            (Cur).hi = YYRHSLOC(Rhs, N).hi;                          \
        } else {                                                     \
            (Cur) = YYRHSLOC(Rhs, 0);                                \
            (Cur).lo = (Cur).hi;                                     \
        }                                                            \
    } while (0)

struct Parser {
    const char *src;
    size_t len;
    struct Tok *toks;   /* the whole token stream, lexed up front */
    int *closer;        /* for an opening delimiter: the index of its closer */
    int ntoks;
    int pos;
    bool has_pending;   /* the second half of a split token */
    struct Tok *pending;
    Span prev, cur;     /* the last two tokens handed to the parser */
    int cur_kind;
    int last_index;     /* index of the token last handed out */
    const void *ss, *ssp; /* the parser's state stack when it was handed out */
    Span eof;
    Crate *crate;
};

static void yyerror(YYLTYPE *loc, yyscan_t scanner, Parser *P, const char *msg);
}

/* ---- tokens ------------------------------------------------------------ */
%token END 0 "end of file"
%token <str> IDENT "identifier"
%token <str> LIFETIME "lifetime"
%token <expr> INT_LIT "integer literal" FLOAT_LIT "float literal"
%token <expr> CHAR_LIT "char literal" BYTE_LIT "byte literal"
%token <expr> STR_LIT "string literal" BYTE_STR_LIT "byte string literal"
%token <str> AS "as" ASYNC "async" AWAIT "await" BREAK "break" CONST "const"
%token <str> CONTINUE "continue" CRATE "crate" DYN "dyn" ELSE "else" ENUM "enum"
%token <str> EXTERN "extern" FALSE "false" FN "fn" FOR "for" IF "if" IMPL "impl"
%token <str> IN "in" LET "let" LOOP "loop" MATCH "match" MOD "mod" MOVE "move"
%token <str> MUT "mut" PUB "pub" REF "ref" RETURN "return" SELF_VALUE "self"
%token <str> SELF_TYPE "Self" STATIC "static" STRUCT "struct" SUPER "super"
%token <str> TRAIT "trait" TRUE "true" TYPE "type" UNSAFE "unsafe" USE "use"
%token <str> WHERE "where" WHILE "while" UNDERSCORE "_"
%token <str> RESERVED "reserved keyword"
%token <str> UNION "union" MACRO_RULES "macro_rules"
%token COLONCOLON "::" ARROW "->" FATARROW "=>" DOTDOTDOT "..." DOTDOTEQ "..="
%token DOTDOT ".." EQEQ "==" NE "!=" LE "<=" GE ">=" ANDAND "&&" OROR "||"
%token SHLEQ "<<=" SHREQ ">>=" SHL "<<" SHR ">>" PLUSEQ "+=" MINUSEQ "-="
%token STAREQ "*=" SLASHEQ "/=" PERCENTEQ "%=" CARETEQ "^=" ANDEQ "&=" OREQ "|="
/* Opening delimiters of macro invocations whose arguments are not parsed:
 * the feed turns `(`/`[`/`{` after `name!` into these for macros that mrsc
 * does not know as expression macros, and `(` after `matches!` into
 * MATCHES_LP. */
%token TT_LPAREN "(" TT_LBRACKET "[" TT_LBRACE "{" MATCHES_LP "( "

/* ---- precedence, lowest first (Rust reference) ------------------------- */
%precedence TSEG        /* a type path before `<` takes generics, before `(` Fn sugar */
%precedence NO_SEMI
%precedence ';'
%precedence NO_ELSE
%precedence ELSE
%precedence RETURN      /* return/break values and closure bodies extend right */
%right '=' PLUSEQ MINUSEQ STAREQ SLASHEQ PERCENTEQ CARETEQ ANDEQ OREQ SHLEQ SHREQ
%nonassoc DOTDOT DOTDOTEQ
%left OROR
%left ANDAND
%left EQEQ NE '<' '>' LE GE    /* chained comparisons are reported in mk_bin */
%left '|'
%left '^'
%left '&'
%left SHL SHR
%left '+' '-'
%left '*' '/' '%'
%precedence AS
%precedence UNARY
%precedence FIELD       /* `x.f` before `(` is a method call */
%precedence '('

%type <expr> expr expr_ns expr_st postfix postfix_ns postfix_st primary primary_ns primary_st
%type <expr> primary_common literal blocklike blocklike_ns if_expr match_expr loop_core
%type <expr> postfix_op dot_or_try cond struct_lit macro_call brace_macro lit_pat
%type <expr> guard_opt
%type <list> exprs margs args field_inits_list stmts module_body outer_attrs meta_list
%type <list> gparams_list where_list bounds lt_bounds fields fields_opt tfields tfields_opt
%type <list> variants variants_opt use_list use_trees arm_list arms cparams cparam_list
%type <list> types_list
%type <finits> field_inits
%type <finit> finit
%type <attr> outer_attr inner_attr meta meta_item
%type <path> path_expr path_segs tpath tpath_segs qpath_type qpath_expr ppath meta_path use_path
%type <seg> pseg tseg ppseg gargs gargs_opt meta_seg
%type <garg> garg
%type <type> type type_no_plus ret_opt let_type_opt fn_ptr_ret
%type <bound> bound
%type <gen> generics_opt where_opt
%type <gparam> gparam
%type <wpred> wpred
%type <item> item item_vis item_full fn_item struct_item enum_item impl_item trait_item
%type <item> const_item static_item use_item type_item mod_item extern_crate_item macro_rules_item
%type <item> union_item mod_entry impl_core
%type <flag> vis
%type <item> fn_sig
%type <cparam> cparam
%type <list> fnp_list_opt fnp_list fn_sugar_args
%type <type> fnp
%type <plist> fn_params param_list
%type <param> param
%type <selfp> self_param
%type <field> field tfield
%type <variant> variant
%type <use> use_tree
%type <arm> arm last_arm arm_head
%type <block> block fn_body
%type <stmt> stmt stmt_body let_stmt
%type <pat> pat pat_top pat_alt range_end pat_nonbind
%type <patlist> pat_list pats field_pats fpats
%type <fpat> fpat
%type <chead> closure_head
%type <str> label_colon pseg_name
%type <list> fn_quals
%type <str> fn_qual

%start crate

%%
/* ---- crate, modules, attributes ----------------------------------------- */

crate
    : module_body                       { P->crate->items = $1; }
    ;

/* Items and inner attributes of a file, `mod { }`, `impl { }` or
 * `trait { }`; inner attributes are collected into P->crate (only the
 * crate's are meaningful). */
module_body
    : %empty                            { $$ = (List){0}; }
    | module_body mod_entry             { $$ = $1; if ($2) list_push(&$$, $2); }
    | module_body inner_attr            { $$ = $1; list_push(&P->crate->attrs, $2); }
    ;

mod_entry
    : item_full                         { $$ = $1; }
    | path_expr '!' tt_group            { $$ = NULL; item_macro_unsupported($1, @$); }
    | outer_attrs path_expr '!' tt_group { $$ = NULL; item_macro_unsupported($2, @2); }
    | ';'                               { $$ = NULL; }
    | error                             { $$ = NULL; }
    ;

outer_attrs
    : outer_attr                        { $$ = (List){0}; list_push(&$$, $1); }
    | outer_attrs outer_attr            { $$ = $1; list_push(&$$, $2); }
    ;

outer_attr
    : '#' '[' meta ']'                  { $$ = $3; $$->span = @$; }
    | '#' '[' error ']'                 { $$ = mk_attr(NULL, @$); }
    ;

inner_attr
    : '#' '!' '[' meta ']'              { $$ = $4; $$->span = @$; $$->inner = true; }
    ;

/* #[name], #[name = "lit"], #[name(meta, ...)] */
meta
    : meta_path                         { $$ = mk_attr($1, @$); }
    | meta_path '=' literal             { $$ = mk_attr($1, @$);
                                          $$->value = $3->str ? $3->str : $3->lit_text; }
    | meta_path '=' meta_path           { $$ = mk_attr($1, @$); $$->value = path_last($3); }
    | meta_path '(' ')'                 { $$ = mk_attr($1, @$); $$->has_args = true; }
    | meta_path '(' meta_list opt_comma ')' { $$ = mk_attr($1, @$); $$->has_args = true; $$->args = $3; }
    ;

meta_list
    : meta_item                         { $$ = (List){0}; list_push(&$$, $1); }
    | meta_list ',' meta_item           { $$ = $1; list_push(&$$, $3); }
    ;

meta_item
    : meta                              { $$ = $1; }
    | literal                           { $$ = mk_attr(NULL, @$);
                                          $$->value = $1->str ? $1->str : $1->lit_text; }
    ;

meta_path
    : meta_seg                          { $$ = path1($1, @$); }
    | meta_path COLONCOLON meta_seg     { $$ = $1; list_push(&$$->segs, $3); $$->span = @$; }
    ;

meta_seg
    : IDENT                             { $$ = mk_seg($1, @$); }
    | UNSAFE                            { $$ = mk_seg($1, @$); }
    | CRATE                             { $$ = mk_seg($1, @$); }
    | SELF_VALUE                        { $$ = mk_seg($1, @$); }
    | SUPER                             { $$ = mk_seg($1, @$); }
    ;

opt_comma
    : %empty
    | ','
    ;

/* ---- items ---------------------------------------------------------------- */

item_full
    : item_vis                          { $$ = $1; }
    | outer_attrs item_vis              { $$ = with_attrs($2, $1); $$->span = @$; }
    ;

item_vis
    : item                              { $$ = $1; }
    | vis item                          { $$ = with_vis($2, $1); $$->span = @$; }
    ;

/* pub, pub(crate), pub(super), pub(self), pub(in path) */
vis
    : PUB                               { $$ = true; }
    | PUB '(' CRATE ')'                 { $$ = true; }
    | PUB '(' SUPER ')'                 { $$ = true; }
    | PUB '(' SELF_VALUE ')'            { $$ = false; }
    | PUB '(' IN tpath_segs ')'         { $$ = true; }
    ;

item
    : fn_item | struct_item | enum_item | union_item | impl_item | trait_item
    | const_item | static_item | use_item | type_item | mod_item
    | extern_crate_item | macro_rules_item
    ;

/* [const] [async] [unsafe] [extern "abi"] fn name<G>(params) -> R where .. */
fn_item
    : fn_sig fn_body                    { $$ = $1; $$->body = $2; $$->span = @$; fn_param_patterns($$); }
    ;

/* An IT_FN item without its body. */
fn_sig
    : FN IDENT generics_opt '(' fn_params ')' ret_opt where_opt
                                        { $$ = mk_fn($2, @2, $3, $8, $5, $7, @$); }
    | fn_quals FN IDENT generics_opt '(' fn_params ')' ret_opt where_opt
                                        { $$ = mk_fn($3, @3, $4, $9, $6, $8, @$);
                                          for (int i = 0; i < $1.len; i++) {
                                              const char *q = $1.items[i];
                                              if (!strcmp(q, "const")) $$->sig->is_const = true;
                                              else if (!strcmp(q, "async")) $$->sig->is_async = true;
                                              else if (!strcmp(q, "unsafe")) $$->sig->is_unsafe = true;
                                              else $$->sig->is_extern = true;
                                          } }
    ;

fn_quals
    : fn_qual                           { $$ = (List){0}; list_push(&$$, $1); }
    | fn_quals fn_qual                  { $$ = $1; list_push(&$$, $2); }
    ;

fn_qual
    : CONST                             { $$ = $1; }
    | ASYNC                             { $$ = $1; }
    | UNSAFE                            { $$ = $1; }
    | EXTERN                            { $$ = $1; }
    | EXTERN STR_LIT                    { $$ = $1; }
    ;

fn_body
    : block                             { $$ = $1; }
    | ';'                               { $$ = NULL; }
    ;

fn_params
    : %empty                            { $$ = (ParamList){0}; }
    | param_list opt_comma              { $$ = $1; }
    | error                             { $$ = (ParamList){0}; }
    ;

param_list
    : param                             { $$ = (ParamList){0};
                                          if ($1->pat) list_push(&$$.params, $1);
                                          else $$.self = (SelfParam *)$1->type; }
    | param_list ',' param              { $$ = $1;
                                          if ($3->pat) list_push(&$$.params, $3);
                                          else $$.self = (SelfParam *)$3->type; }
    ;

/* A self parameter travels as a Param without pattern whose `type` slot
 * carries the SelfParam (unpacked in param_list). */
param
    : pat ':' type                      { $$ = NEW(Param); $$->span = @$; $$->pat = $1; $$->type = $3; }
    | outer_attrs pat ':' type          { $$ = NEW(Param); $$->span = @2; $$->span.hi = @$.hi;
                                          $$->pat = $2; $$->type = $4; }
    | self_param                        { $$ = NEW(Param); $$->span = @$; $$->type = (TypeExpr *)$1; }
    ;

self_param
    : SELF_VALUE                        { $$ = NEW(SelfParam); $$->span = @$; $$->kind = SELF_VALUE; }
    | MUT SELF_VALUE                    { $$ = NEW(SelfParam); $$->span = @$; $$->kind = SELF_VALUE; $$->is_mut = true; }
    | '&' SELF_VALUE                    { $$ = NEW(SelfParam); $$->span = @$; $$->kind = SELF_REF; }
    | '&' MUT SELF_VALUE                { $$ = NEW(SelfParam); $$->span = @$; $$->kind = SELF_REF_MUT; }
    | '&' LIFETIME SELF_VALUE           { $$ = NEW(SelfParam); $$->span = @$; $$->kind = SELF_REF; $$->lifetime = $2; }
    | '&' LIFETIME MUT SELF_VALUE       { $$ = NEW(SelfParam); $$->span = @$; $$->kind = SELF_REF_MUT; $$->lifetime = $2; }
    | SELF_VALUE ':' type               { $$ = NEW(SelfParam); $$->span = @$; $$->kind = SELF_TYPED; $$->type = $3; }
    | MUT SELF_VALUE ':' type           { $$ = NEW(SelfParam); $$->span = @$; $$->kind = SELF_TYPED; $$->type = $4; $$->is_mut = true; }
    ;

ret_opt
    : %empty                            { $$ = NULL; }
    | ARROW type                        { $$ = $2; }
    ;

/* struct S<T> { a: T }  |  struct S<T>(T);  |  struct S; */
struct_item
    : STRUCT IDENT generics_opt where_opt '{' fields_opt '}'
                                        { $$ = ast_new_item(IT_STRUCT, @$); $$->name = $2; $$->name_span = @2;
                                          $$->generics = gen_where($3, $4 ? $4->where_preds : (List){0});
                                          $$->struct_kind = SK_NAMED; $$->fields = $6; }
    | STRUCT IDENT generics_opt where_opt '{' error '}'
                                        { $$ = ast_new_item(IT_STRUCT, @$); $$->name = $2; $$->name_span = @2;
                                          $$->generics = $3; $$->struct_kind = SK_NAMED; }
    | STRUCT IDENT generics_opt '(' tfields_opt ')' where_opt ';'
                                        { $$ = ast_new_item(IT_STRUCT, @$); $$->name = $2; $$->name_span = @2;
                                          $$->generics = gen_where($3, $7 ? $7->where_preds : (List){0});
                                          $$->struct_kind = SK_TUPLE; $$->fields = $5; }
    | STRUCT IDENT generics_opt where_opt ';'
                                        { $$ = ast_new_item(IT_STRUCT, @$); $$->name = $2; $$->name_span = @2;
                                          $$->generics = gen_where($3, $4 ? $4->where_preds : (List){0});
                                          $$->struct_kind = SK_UNIT; }
    ;

union_item
    : UNION IDENT generics_opt where_opt '{' fields_opt '}'
                                        { $$ = ast_new_item(IT_UNION, @$); $$->name = $2; $$->name_span = @2;
                                          $$->generics = gen_where($3, $4 ? $4->where_preds : (List){0});
                                          $$->struct_kind = SK_NAMED; $$->fields = $6; }
    ;

fields_opt
    : %empty                            { $$ = (List){0}; }
    | fields opt_comma                  { $$ = $1; }
    ;

fields
    : field                             { $$ = (List){0}; list_push(&$$, $1); }
    | fields ',' field                  { $$ = $1; list_push(&$$, $3); }
    ;

field
    : IDENT ':' type                    { $$ = NEW(FieldDef); $$->span = @$; $$->name = $1; $$->type = $3; }
    | vis IDENT ':' type                { $$ = NEW(FieldDef); $$->span = @$; $$->name = $2; $$->type = $4; $$->is_pub = $1; }
    | outer_attr field                  { $$ = $2; prepend(&$$->attrs, $1); }
    ;

tfields_opt
    : %empty                            { $$ = (List){0}; }
    | tfields opt_comma                 { $$ = $1; }
    ;

tfields
    : tfield                            { $$ = (List){0}; list_push(&$$, $1); }
    | tfields ',' tfield                { $$ = $1; list_push(&$$, $3); }
    ;

tfield
    : type                              { $$ = NEW(FieldDef); $$->span = @$; $$->type = $1; }
    | vis type                          { $$ = NEW(FieldDef); $$->span = @$; $$->type = $2; $$->is_pub = $1; }
    | outer_attr tfield                 { $$ = $2; prepend(&$$->attrs, $1); }
    ;

enum_item
    : ENUM IDENT generics_opt where_opt '{' variants_opt '}'
                                        { $$ = ast_new_item(IT_ENUM, @$); $$->name = $2; $$->name_span = @2;
                                          $$->generics = gen_where($3, $4 ? $4->where_preds : (List){0});
                                          $$->variants = $6; }
    | ENUM IDENT generics_opt where_opt '{' error '}'
                                        { $$ = ast_new_item(IT_ENUM, @$); $$->name = $2; $$->name_span = @2;
                                          $$->generics = $3; }
    ;

variants_opt
    : %empty                            { $$ = (List){0}; }
    | variants opt_comma                { $$ = $1; }
    ;

variants
    : variant                           { $$ = (List){0}; list_push(&$$, $1); }
    | variants ',' variant              { $$ = $1; list_push(&$$, $3); }
    ;

variant
    : IDENT                             { $$ = NEW(Variant); $$->span = @$; $$->name = $1; $$->kind = SK_UNIT; }
    | IDENT '=' expr                    { $$ = NEW(Variant); $$->span = @$; $$->name = $1; $$->kind = SK_UNIT;
                                          $$->discriminant = $3; }
    | IDENT '(' tfields_opt ')'         { $$ = NEW(Variant); $$->span = @$; $$->name = $1; $$->kind = SK_TUPLE;
                                          $$->fields = $3; }
    | IDENT '{' fields_opt '}'          { $$ = NEW(Variant); $$->span = @$; $$->name = $1; $$->kind = SK_NAMED;
                                          $$->fields = $3; }
    | outer_attr variant                { $$ = $2; prepend(&$$->attrs, $1); }
    ;

/* impl<G> [!]Trait for Type where .. { items }  |  impl<G> Type { items } */
impl_item
    : impl_core                         { $$ = $1; }
    | UNSAFE impl_core                  { $$ = $2; $$->is_unsafe = true; $$->span = @$; }
    ;

impl_core
    : IMPL generics_opt type_no_plus where_opt '{' module_body '}'
                                        { $$ = ast_new_item(IT_IMPL, @$); $$->self_ty = $3;
                                          $$->generics = gen_where($2, $4 ? $4->where_preds : (List){0});
                                          $$->items = $6; }
    | IMPL generics_opt type_no_plus FOR type where_opt '{' module_body '}'
                                        { $$ = ast_new_item(IT_IMPL, @$); $$->self_ty = $5;
                                          $$->trait_path = $3->path;
                                          $$->generics = gen_where($2, $6 ? $6->where_preds : (List){0});
                                          $$->items = $8; }
    | IMPL generics_opt '!' tpath FOR type where_opt '{' module_body '}'
                                        { $$ = ast_new_item(IT_IMPL, @$); $$->self_ty = $6;
                                          $$->trait_path = $4; $$->negative = true;
                                          $$->generics = gen_where($2, $7 ? $7->where_preds : (List){0});
                                          $$->items = $9; }
    ;

trait_item
    : TRAIT IDENT generics_opt where_opt '{' module_body '}'
                                        { $$ = ast_new_item(IT_TRAIT, @$); $$->name = $2; $$->name_span = @2;
                                          $$->generics = gen_where($3, $4 ? $4->where_preds : (List){0});
                                          $$->items = $6; }
    | TRAIT IDENT generics_opt ':' bounds where_opt '{' module_body '}'
                                        { $$ = ast_new_item(IT_TRAIT, @$); $$->name = $2; $$->name_span = @2;
                                          $$->generics = gen_where($3, $6 ? $6->where_preds : (List){0});
                                          $$->supertraits = $5; $$->items = $8; }
    | UNSAFE TRAIT IDENT generics_opt where_opt '{' module_body '}'
                                        { $$ = ast_new_item(IT_TRAIT, @$); $$->name = $3; $$->name_span = @3;
                                          $$->generics = gen_where($4, $5 ? $5->where_preds : (List){0});
                                          $$->items = $7; $$->is_unsafe = true; }
    ;

const_item
    : CONST IDENT ':' type '=' expr ';' { $$ = ast_new_item(IT_CONST, @$); $$->name = $2; $$->name_span = @2;
                                          $$->type = $4; $$->init = $6; }
    | CONST IDENT ':' type ';'          { $$ = ast_new_item(IT_CONST, @$); $$->name = $2; $$->name_span = @2;
                                          $$->type = $4; }
    | CONST UNDERSCORE ':' type '=' expr ';'
                                        { $$ = ast_new_item(IT_CONST, @$); $$->name = $2; $$->name_span = @2;
                                          $$->type = $4; $$->init = $6; }
    ;

static_item
    : STATIC IDENT ':' type '=' expr ';' { $$ = ast_new_item(IT_STATIC, @$); $$->name = $2; $$->name_span = @2;
                                          $$->type = $4; $$->init = $6; }
    | STATIC MUT IDENT ':' type '=' expr ';'
                                        { $$ = ast_new_item(IT_STATIC, @$); $$->name = $3; $$->name_span = @3;
                                          $$->type = $5; $$->init = $7; $$->is_mut = true; }
    ;

use_item
    : USE use_tree ';'                  { $$ = ast_new_item(IT_USE, @$); $$->use = $2; }
    ;

use_tree
    : use_path                          { $$ = NEW(UseTree); $$->span = @$; $$->prefix = $1; }
    | use_path AS IDENT                 { $$ = NEW(UseTree); $$->span = @$; $$->prefix = $1; $$->rename = $3; }
    | use_path AS UNDERSCORE            { $$ = NEW(UseTree); $$->span = @$; $$->prefix = $1; $$->rename = $3; }
    | use_path COLONCOLON '*'           { $$ = NEW(UseTree); $$->span = @$; $$->prefix = $1; $$->glob = true; }
    | use_path COLONCOLON '{' use_list '}'
                                        { $$ = NEW(UseTree); $$->span = @$; $$->prefix = $1;
                                          $$->children = $4; $$->has_children = true; }
    | '{' use_list '}'                  { $$ = NEW(UseTree); $$->span = @$; $$->children = $2; $$->has_children = true; }
    | COLONCOLON '{' use_list '}'       { $$ = NEW(UseTree); $$->span = @$; $$->children = $3; $$->has_children = true; }
    | '*'                               { $$ = NEW(UseTree); $$->span = @$; $$->glob = true; }
    ;

use_path
    : pseg                              { $$ = path1($1, @$); }
    | COLONCOLON pseg                   { $$ = path1($2, @$); $$->global = true; }
    | use_path COLONCOLON pseg          { $$ = $1; list_push(&$$->segs, $3); $$->span = @$; }
    ;

use_list
    : %empty                            { $$ = (List){0}; }
    | use_trees opt_comma               { $$ = $1; }
    ;

use_trees
    : use_tree                          { $$ = (List){0}; list_push(&$$, $1); }
    | use_trees ',' use_tree            { $$ = $1; list_push(&$$, $3); }
    ;

/* type X<G> = T;  and in traits  type Item: Bound;  */
type_item
    : TYPE IDENT generics_opt where_opt '=' type ';'
                                        { $$ = ast_new_item(IT_TYPE, @$); $$->name = $2; $$->name_span = @2;
                                          $$->generics = $3; $$->type = $6; }
    | TYPE IDENT generics_opt where_opt ';'
                                        { $$ = ast_new_item(IT_TYPE, @$); $$->name = $2; $$->name_span = @2;
                                          $$->generics = $3; }
    | TYPE IDENT generics_opt ':' bounds where_opt ';'
                                        { $$ = ast_new_item(IT_TYPE, @$); $$->name = $2; $$->name_span = @2;
                                          $$->generics = $3; $$->bounds = $5; }
    | TYPE IDENT generics_opt ':' bounds where_opt '=' type ';'
                                        { $$ = ast_new_item(IT_TYPE, @$); $$->name = $2; $$->name_span = @2;
                                          $$->generics = $3; $$->bounds = $5; $$->type = $8; }
    ;

mod_item
    : MOD IDENT ';'                     { $$ = ast_new_item(IT_MOD, @$); $$->name = $2; $$->name_span = @2; }
    | MOD IDENT '{' module_body '}'     { $$ = ast_new_item(IT_MOD, @$); $$->name = $2; $$->name_span = @2;
                                          $$->items = $4; $$->mod_inline = true; }
    ;

extern_crate_item
    : EXTERN CRATE IDENT ';'            { $$ = ast_new_item(IT_EXTERN_CRATE, @$); $$->name = $3; $$->name_span = @3; }
    | EXTERN CRATE IDENT AS IDENT ';'   { $$ = ast_new_item(IT_EXTERN_CRATE, @$); $$->name = $3; $$->name_span = @3; }
    ;

/* macro_rules! name { ... }: the body is skipped as a token tree. */
macro_rules_item
    : MACRO_RULES '!' IDENT tt_group    { $$ = ast_new_item(IT_MACRO_RULES, @$); $$->name = $3; $$->name_span = @3; }
    ;

/* ---- token trees (unparsed macro input) ---------------------------------- */

tt_group
    : TT_LPAREN tts ')'
    | TT_LBRACKET tts ']'
    | TT_LBRACE tts '}'
    ;

tts
    : %empty
    | tts tt
    ;

tt
    : '(' tts ')' | '[' tts ']' | '{' tts '}' | tt_group | MATCHES_LP tts ')'
    | IDENT | LIFETIME | INT_LIT | FLOAT_LIT | CHAR_LIT | BYTE_LIT | STR_LIT | BYTE_STR_LIT
    | AS | ASYNC | AWAIT | BREAK | CONST | CONTINUE | CRATE | DYN | ELSE | ENUM | EXTERN
    | FALSE | FN | FOR | IF | IMPL | IN | LET | LOOP | MATCH | MOD | MOVE | MUT | PUB | REF
    | RETURN | SELF_VALUE | SELF_TYPE | STATIC | STRUCT | SUPER | TRAIT | TRUE | TYPE
    | UNSAFE | USE | WHERE | WHILE | UNDERSCORE | RESERVED | UNION | MACRO_RULES
    | COLONCOLON | ARROW | FATARROW | DOTDOTDOT | DOTDOTEQ | DOTDOT | EQEQ | NE | LE | GE
    | ANDAND | OROR | SHLEQ | SHREQ | SHL | SHR | PLUSEQ | MINUSEQ | STAREQ | SLASHEQ
    | PERCENTEQ | CARETEQ | ANDEQ | OREQ
    | '-' | '+' | '*' | '/' | '%' | '^' | '!' | '&' | '|' | '=' | '<' | '>' | '@' | ','
    | ';' | ':' | '#' | '$' | '?' | '~' | '.'
    ;

/* ---- generics, bounds, where clauses ------------------------------------ */

generics_opt
    : %empty                            { $$ = NULL; }
    | '<' '>'                           { $$ = NEW(Generics); $$->span = @$; }
    | '<' gparams_list opt_comma '>'    { $$ = NEW(Generics); $$->span = @$; $$->params = $2; }
    ;

gparams_list
    : gparam                            { $$ = (List){0}; list_push(&$$, $1); }
    | gparams_list ',' gparam           { $$ = $1; list_push(&$$, $3); }
    ;

gparam
    : LIFETIME                          { $$ = NEW(GenericParam); $$->span = @$; $$->kind = GP_LIFETIME; $$->name = $1; }
    | LIFETIME ':' lt_bounds            { $$ = NEW(GenericParam); $$->span = @$; $$->kind = GP_LIFETIME; $$->name = $1;
                                          $$->bounds = $3; }
    | IDENT                             { $$ = NEW(GenericParam); $$->span = @$; $$->kind = GP_TYPE; $$->name = $1; }
    | IDENT ':'                         { $$ = NEW(GenericParam); $$->span = @$; $$->kind = GP_TYPE; $$->name = $1; }
    | IDENT ':' bounds                  { $$ = NEW(GenericParam); $$->span = @$; $$->kind = GP_TYPE; $$->name = $1;
                                          $$->bounds = $3; }
    | IDENT '=' type                    { $$ = NEW(GenericParam); $$->span = @$; $$->kind = GP_TYPE; $$->name = $1;
                                          $$->deflt = $3; }
    | IDENT ':' bounds '=' type         { $$ = NEW(GenericParam); $$->span = @$; $$->kind = GP_TYPE; $$->name = $1;
                                          $$->bounds = $3; $$->deflt = $5; }
    | CONST IDENT ':' type              { $$ = NEW(GenericParam); $$->span = @$; $$->kind = GP_CONST; $$->name = $2;
                                          $$->deflt = $4; }
    | CONST IDENT ':' type '=' garg     { $$ = NEW(GenericParam); $$->span = @$; $$->kind = GP_CONST; $$->name = $2;
                                          $$->deflt = $4; }
    | outer_attr gparam                 { $$ = $2; }
    ;

lt_bounds
    : LIFETIME                          { $$ = (List){0}; Bound *b = NEW(Bound); b->kind = BOUND_LIFETIME;
                                          b->span = @1; b->lifetime = $1; list_push(&$$, b); }
    | lt_bounds '+' LIFETIME            { $$ = $1; Bound *b = NEW(Bound); b->kind = BOUND_LIFETIME;
                                          b->span = @3; b->lifetime = $3; list_push(&$$, b); }
    ;

bounds
    : bound                             { $$ = (List){0}; list_push(&$$, $1); }
    | bounds '+' bound                  { $$ = $1; list_push(&$$, $3); }
    ;

bound
    : tpath                             { $$ = mk_bound($1, @$); }
    | '?' tpath                         { $$ = mk_bound($2, @$); $$->maybe = true; }
    | LIFETIME                          { $$ = NEW(Bound); $$->kind = BOUND_LIFETIME; $$->span = @$; $$->lifetime = $1; }
    | FOR '<' gparams_list opt_comma '>' tpath { $$ = mk_bound($6, @$); }
    | '(' bound ')'                     { $$ = $2; }
    ;

where_opt
    : %empty                            { $$ = NULL; }
    | WHERE                             { $$ = NEW(Generics); $$->span = @$; }
    | WHERE where_list opt_comma        { $$ = NEW(Generics); $$->span = @$; $$->where_preds = $2; }
    ;

where_list
    : wpred                             { $$ = (List){0}; list_push(&$$, $1); }
    | where_list ',' wpred              { $$ = $1; list_push(&$$, $3); }
    ;

wpred
    : type ':' bounds                   { $$ = NEW(WherePred); $$->span = @$; $$->type = $1; $$->bounds = $3; }
    | type ':'                          { $$ = NEW(WherePred); $$->span = @$; $$->type = $1; }
    | LIFETIME ':' lt_bounds            { $$ = NEW(WherePred); $$->span = @$; $$->lifetime = $1; $$->bounds = $3; }
    | FOR '<' gparams_list opt_comma '>' type ':' bounds
                                        { $$ = NEW(WherePred); $$->span = @$; $$->type = $6; $$->bounds = $8; }
    ;

/* ---- types ------------------------------------------------------------------ */

/* A type where `+` may join bounds: `impl A + B`, `dyn A + Send`. */
type
    : type_no_plus                      { $$ = $1; }
    | IMPL bound '+' bounds             { $$ = ast_new_type(TE_IMPL_TRAIT, @$); list_push(&$$->bounds, $2);
                                          for (int i = 0; i < $4.len; i++) list_push(&$$->bounds, $4.items[i]); }
    | DYN bound '+' bounds              { $$ = ast_new_type(TE_DYN, @$); list_push(&$$->bounds, $2);
                                          for (int i = 0; i < $4.len; i++) list_push(&$$->bounds, $4.items[i]); }
    ;

/* A type without a top-level `+` (after `&`, `as`, `->` of Fn sugar). */
type_no_plus
    : tpath                             { $$ = type_path($1); }
    | '&' type_no_plus                  { $$ = ast_new_type(TE_REF, @$); $$->inner = $2; }
    | '&' MUT type_no_plus              { $$ = ast_new_type(TE_REF, @$); $$->inner = $3; $$->is_mut = true; }
    | '&' LIFETIME type_no_plus         { $$ = ast_new_type(TE_REF, @$); $$->inner = $3; $$->lifetime = $2; }
    | '&' LIFETIME MUT type_no_plus     { $$ = ast_new_type(TE_REF, @$); $$->inner = $4; $$->lifetime = $2;
                                          $$->is_mut = true; }
    | '*' CONST type_no_plus            { $$ = ast_new_type(TE_PTR, @$); $$->inner = $3; }
    | '*' MUT type_no_plus              { $$ = ast_new_type(TE_PTR, @$); $$->inner = $3; $$->is_mut = true; }
    | '(' ')'                           { $$ = ast_new_type(TE_TUPLE, @$); }
    | '(' type ')'                      { $$ = $2; }
    | '(' type ',' ')'                  { $$ = ast_new_type(TE_TUPLE, @$); list_push(&$$->elems, $2); }
    | '(' type ',' types_list opt_comma ')'
                                        { $$ = ast_new_type(TE_TUPLE, @$); list_push(&$$->elems, $2);
                                          for (int i = 0; i < $4.len; i++) list_push(&$$->elems, $4.items[i]); }
    | '[' type ']'                      { $$ = ast_new_type(TE_SLICE, @$); $$->inner = $2; }
    | '[' type ';' expr ']'             { $$ = ast_new_type(TE_ARRAY, @$); $$->inner = $2; $$->len = $4; }
    | '!'                               { $$ = ast_new_type(TE_NEVER, @$); }
    | UNDERSCORE                        { $$ = ast_new_type(TE_INFER, @$); }
    | IMPL bound                        { $$ = ast_new_type(TE_IMPL_TRAIT, @$); list_push(&$$->bounds, $2); }
    | DYN bound                         { $$ = ast_new_type(TE_DYN, @$); list_push(&$$->bounds, $2); }
    | fn_ptr_head '(' fnp_list_opt ')' fn_ptr_ret
                                        { $$ = ast_new_type(TE_FN, @$); $$->elems = $3; $$->ret = $5; }
    ;

types_list
    : type                              { $$ = (List){0}; list_push(&$$, $1); }
    | types_list ',' type               { $$ = $1; list_push(&$$, $3); }
    ;

fn_ptr_head
    : FN
    | UNSAFE FN
    | EXTERN STR_LIT FN
    | UNSAFE EXTERN STR_LIT FN
    ;

/* fn pointer parameters, optionally named: fn(i32, x: &str) */
fnp_list_opt
    : %empty                            { $$ = (List){0}; }
    | fnp_list opt_comma                { $$ = $1; }
    ;

fnp_list
    : fnp                               { $$ = (List){0}; list_push(&$$, $1); }
    | fnp_list ',' fnp                  { $$ = $1; list_push(&$$, $3); }
    ;

fnp
    : type                              { $$ = $1; }
    | IDENT ':' type                    { $$ = $3; }
    | UNDERSCORE ':' type               { $$ = $3; }
    ;

fn_ptr_ret
    : %empty                            { $$ = NULL; }
    | ARROW type_no_plus                { $$ = $2; }
    ;

/* Fn(A, B) -> R sugar applies to the last segment. */
tpath
    : tpath_segs %prec TSEG             { $$ = $1; }
    | tpath_segs '(' fn_sugar_args ')'  { $$ = $1; fn_sugar($$, $3, NULL, @$); }
    | tpath_segs '(' fn_sugar_args ')' ARROW type_no_plus
                                        { $$ = $1; fn_sugar($$, $3, $6, @$); }
    | COLONCOLON tpath_segs             { $$ = $2; $$->global = true; $$->span = @$; }
    | qpath_type                        { $$ = $1; }
    ;

tpath_segs
    : tseg                              { $$ = path1($1, @$); }
    | tpath_segs COLONCOLON tseg        { $$ = $1; list_push(&$$->segs, $3); $$->span = @$; }
    | tpath_segs COLONCOLON '<' gargs_opt '>'
                                        { $$ = $1; seg_args($$->segs.items[$$->segs.len - 1], $4); $$->span = @$; }
    ;

tseg
    : pseg %prec TSEG                   { $$ = $1; }
    | pseg '<' gargs_opt '>'            { $$ = $1; seg_args($$, $3); $$->span = @$; }
    ;

fn_sugar_args
    : %empty                            { $$ = (List){0}; }
    | types_list opt_comma              { $$ = $1; }
    ;

/* <T as Trait>::Name, <T>::Name */
qpath_type
    : '<' type AS tpath_segs '>' COLONCOLON tpath_segs
                                        { $$ = $4; $$->qself = $2; $$->qself_trait_len = $4->segs.len;
                                          for (int i = 0; i < $7->segs.len; i++) list_push(&$$->segs, $7->segs.items[i]);
                                          $$->span = @$; }
    | '<' type '>' COLONCOLON tpath_segs
                                        { $$ = $5; $$->qself = $2; $$->qself_trait_len = 0; $$->span = @$; }
    ;

gargs_opt
    : %empty                            { $$ = NEW(PathSeg); }
    | gargs opt_comma                   { $$ = $1; }
    ;

gargs
    : garg                              { $$ = NEW(PathSeg);
                                          if ($1.type) list_push(&$$->generic_args, $1.type);
                                          if ($1.assoc) list_push(&$$->assoc, $1.assoc); }
    | gargs ',' garg                    { $$ = $1;
                                          if ($3.type) list_push(&$$->generic_args, $3.type);
                                          if ($3.assoc) list_push(&$$->assoc, $3.assoc); }
    ;

/* A generic argument. Lifetimes are dropped; a const argument becomes a
 * TE_INFER type whose `len` holds the expression. */
garg
    : type                              { $$ = (GArg){$1, NULL}; }
    | LIFETIME                          { $$ = (GArg){NULL, NULL}; }
    | IDENT '=' type                    { AssocBinding *b = NEW(AssocBinding); b->span = @$; b->name = $1;
                                          b->type = $3; $$ = (GArg){NULL, b}; }
    | IDENT ':' bounds                  { $$ = (GArg){NULL, NULL}; }
    | literal                           { TypeExpr *t = ast_new_type(TE_INFER, @$); t->len = $1; $$ = (GArg){t, NULL}; }
    | '-' literal                       { TypeExpr *t = ast_new_type(TE_INFER, @$);
                                          t->len = mk_unary(UN_NEG, $2, @$); $$ = (GArg){t, NULL}; }
    | block                             { TypeExpr *t = ast_new_type(TE_INFER, @$); t->len = block_expr($1, @1);
                                          $$ = (GArg){t, NULL}; }
    ;

pseg
    : pseg_name                         { $$ = mk_seg($1, @$); }
    ;

pseg_name
    : IDENT | SELF_VALUE | SELF_TYPE | SUPER | CRATE
    ;

/* ---- expressions ------------------------------------------------------------ */

/* expr: every operand may be a struct literal or a block. */
expr
    : expr OROR expr                           { $$ = mk_bin(BIN_OR, $1, $3, @2); }
    | expr ANDAND expr                         { $$ = mk_bin(BIN_AND, $1, $3, @2); }
    | expr EQEQ expr                           { $$ = mk_bin(BIN_EQ, $1, $3, @2); }
    | expr NE expr                             { $$ = mk_bin(BIN_NE, $1, $3, @2); }
    | expr '<' expr                            { $$ = mk_bin(BIN_LT, $1, $3, @2); }
    | expr '>' expr                            { $$ = mk_bin(BIN_GT, $1, $3, @2); }
    | expr LE expr                             { $$ = mk_bin(BIN_LE, $1, $3, @2); }
    | expr GE expr                             { $$ = mk_bin(BIN_GE, $1, $3, @2); }
    | expr '|' expr                            { $$ = mk_bin(BIN_BITOR, $1, $3, @2); }
    | expr '^' expr                            { $$ = mk_bin(BIN_BITXOR, $1, $3, @2); }
    | expr '&' expr                            { $$ = mk_bin(BIN_BITAND, $1, $3, @2); }
    | expr SHL expr                            { $$ = mk_bin(BIN_SHL, $1, $3, @2); }
    | expr SHR expr                            { $$ = mk_bin(BIN_SHR, $1, $3, @2); }
    | expr '+' expr                            { $$ = mk_bin(BIN_ADD, $1, $3, @2); }
    | expr '-' expr                            { $$ = mk_bin(BIN_SUB, $1, $3, @2); }
    | expr '*' expr                            { $$ = mk_bin(BIN_MUL, $1, $3, @2); }
    | expr '/' expr                            { $$ = mk_bin(BIN_DIV, $1, $3, @2); }
    | expr '%' expr                            { $$ = mk_bin(BIN_REM, $1, $3, @2); }
    | expr AS type_no_plus                     { $$ = mk_cast($1, $3); }
    | expr '=' expr                            { $$ = mk_assign(EX_ASSIGN, 0, $1, $3, @2); }
    | expr PLUSEQ expr                         { $$ = mk_assign(EX_ASSIGN_OP, BIN_ADD, $1, $3, @2); }
    | expr MINUSEQ expr                        { $$ = mk_assign(EX_ASSIGN_OP, BIN_SUB, $1, $3, @2); }
    | expr STAREQ expr                         { $$ = mk_assign(EX_ASSIGN_OP, BIN_MUL, $1, $3, @2); }
    | expr SLASHEQ expr                        { $$ = mk_assign(EX_ASSIGN_OP, BIN_DIV, $1, $3, @2); }
    | expr PERCENTEQ expr                      { $$ = mk_assign(EX_ASSIGN_OP, BIN_REM, $1, $3, @2); }
    | expr CARETEQ expr                        { $$ = mk_assign(EX_ASSIGN_OP, BIN_BITXOR, $1, $3, @2); }
    | expr ANDEQ expr                          { $$ = mk_assign(EX_ASSIGN_OP, BIN_BITAND, $1, $3, @2); }
    | expr OREQ expr                           { $$ = mk_assign(EX_ASSIGN_OP, BIN_BITOR, $1, $3, @2); }
    | expr SHLEQ expr                          { $$ = mk_assign(EX_ASSIGN_OP, BIN_SHL, $1, $3, @2); }
    | expr SHREQ expr                          { $$ = mk_assign(EX_ASSIGN_OP, BIN_SHR, $1, $3, @2); }
    | expr DOTDOT expr                         { $$ = mk_range($1, $3, false, @$); }
    | expr DOTDOT %prec DOTDOT                 { $$ = mk_range($1, NULL, false, @$); }
    | expr DOTDOTEQ expr                       { $$ = mk_range($1, $3, true, @$); }
    | DOTDOT expr                              { $$ = mk_range(NULL, $2, false, @$); }
    | DOTDOT %prec DOTDOT                      { $$ = mk_range(NULL, NULL, false, @$); }
    | DOTDOTEQ expr                            { $$ = mk_range(NULL, $2, true, @$); }
    | '-' expr %prec UNARY                     { $$ = mk_unary(UN_NEG, $2, @$); }
    | '!' expr %prec UNARY                     { $$ = mk_unary(UN_NOT, $2, @$); }
    | '*' expr %prec UNARY                     { $$ = mk_unary(UN_DEREF, $2, @$); }
    | '&' expr %prec UNARY                     { $$ = mk_ref(false, $2, @$); }
    | '&' MUT expr %prec UNARY                 { $$ = mk_ref(true, $3, @$); }
    | '&' IDENT CONST expr %prec UNARY          { $$ = mk_raw_ref($2, @2, false, $4, @$); }
    | '&' IDENT MUT expr %prec UNARY            { $$ = mk_raw_ref($2, @2, true, $4, @$); }
    | RETURN %prec RETURN                      { $$ = mk_jump(EX_RETURN, NULL, NULL, @$); }
    | RETURN expr %prec RETURN                 { $$ = mk_jump(EX_RETURN, NULL, $2, @$); }
    | BREAK %prec RETURN                       { $$ = mk_jump(EX_BREAK, NULL, NULL, @$); }
    | BREAK LIFETIME %prec RETURN              { $$ = mk_jump(EX_BREAK, $2, NULL, @$); }
    | BREAK expr %prec RETURN                  { $$ = mk_jump(EX_BREAK, NULL, $2, @$); }
    | BREAK LIFETIME expr %prec RETURN         { $$ = mk_jump(EX_BREAK, $2, $3, @$); }
    | CONTINUE                                 { $$ = mk_jump(EX_CONTINUE, NULL, NULL, @$); }
    | CONTINUE LIFETIME                        { $$ = mk_jump(EX_CONTINUE, $2, NULL, @$); }
    | closure_head expr %prec RETURN           { $$ = mk_closure($1, NULL, $2, @$); }
    | closure_head ARROW type_no_plus block    { $$ = mk_closure($1, $3, block_expr($4, @4), @$); }
    | postfix                                  { $$ = $1; }
    ;

postfix
    : primary                              { $$ = $1; }
    | postfix postfix_op                   { $$ = attach_postfix($1, $2); }
    ;

/* expr_ns: no struct literal or bare block at the top level: `if`/`while`/`match`/`for` heads. */
expr_ns
    : expr_ns OROR expr_ns                     { $$ = mk_bin(BIN_OR, $1, $3, @2); }
    | expr_ns ANDAND expr_ns                   { $$ = mk_bin(BIN_AND, $1, $3, @2); }
    | expr_ns EQEQ expr_ns                     { $$ = mk_bin(BIN_EQ, $1, $3, @2); }
    | expr_ns NE expr_ns                       { $$ = mk_bin(BIN_NE, $1, $3, @2); }
    | expr_ns '<' expr_ns                      { $$ = mk_bin(BIN_LT, $1, $3, @2); }
    | expr_ns '>' expr_ns                      { $$ = mk_bin(BIN_GT, $1, $3, @2); }
    | expr_ns LE expr_ns                       { $$ = mk_bin(BIN_LE, $1, $3, @2); }
    | expr_ns GE expr_ns                       { $$ = mk_bin(BIN_GE, $1, $3, @2); }
    | expr_ns '|' expr_ns                      { $$ = mk_bin(BIN_BITOR, $1, $3, @2); }
    | expr_ns '^' expr_ns                      { $$ = mk_bin(BIN_BITXOR, $1, $3, @2); }
    | expr_ns '&' expr_ns                      { $$ = mk_bin(BIN_BITAND, $1, $3, @2); }
    | expr_ns SHL expr_ns                      { $$ = mk_bin(BIN_SHL, $1, $3, @2); }
    | expr_ns SHR expr_ns                      { $$ = mk_bin(BIN_SHR, $1, $3, @2); }
    | expr_ns '+' expr_ns                      { $$ = mk_bin(BIN_ADD, $1, $3, @2); }
    | expr_ns '-' expr_ns                      { $$ = mk_bin(BIN_SUB, $1, $3, @2); }
    | expr_ns '*' expr_ns                      { $$ = mk_bin(BIN_MUL, $1, $3, @2); }
    | expr_ns '/' expr_ns                      { $$ = mk_bin(BIN_DIV, $1, $3, @2); }
    | expr_ns '%' expr_ns                      { $$ = mk_bin(BIN_REM, $1, $3, @2); }
    | expr_ns AS type_no_plus                  { $$ = mk_cast($1, $3); }
    | expr_ns '=' expr_ns                      { $$ = mk_assign(EX_ASSIGN, 0, $1, $3, @2); }
    | expr_ns PLUSEQ expr_ns                   { $$ = mk_assign(EX_ASSIGN_OP, BIN_ADD, $1, $3, @2); }
    | expr_ns MINUSEQ expr_ns                  { $$ = mk_assign(EX_ASSIGN_OP, BIN_SUB, $1, $3, @2); }
    | expr_ns STAREQ expr_ns                   { $$ = mk_assign(EX_ASSIGN_OP, BIN_MUL, $1, $3, @2); }
    | expr_ns SLASHEQ expr_ns                  { $$ = mk_assign(EX_ASSIGN_OP, BIN_DIV, $1, $3, @2); }
    | expr_ns PERCENTEQ expr_ns                { $$ = mk_assign(EX_ASSIGN_OP, BIN_REM, $1, $3, @2); }
    | expr_ns CARETEQ expr_ns                  { $$ = mk_assign(EX_ASSIGN_OP, BIN_BITXOR, $1, $3, @2); }
    | expr_ns ANDEQ expr_ns                    { $$ = mk_assign(EX_ASSIGN_OP, BIN_BITAND, $1, $3, @2); }
    | expr_ns OREQ expr_ns                     { $$ = mk_assign(EX_ASSIGN_OP, BIN_BITOR, $1, $3, @2); }
    | expr_ns SHLEQ expr_ns                    { $$ = mk_assign(EX_ASSIGN_OP, BIN_SHL, $1, $3, @2); }
    | expr_ns SHREQ expr_ns                    { $$ = mk_assign(EX_ASSIGN_OP, BIN_SHR, $1, $3, @2); }
    | expr_ns DOTDOT expr_ns                   { $$ = mk_range($1, $3, false, @$); }
    | expr_ns DOTDOT %prec DOTDOT              { $$ = mk_range($1, NULL, false, @$); }
    | expr_ns DOTDOTEQ expr_ns                 { $$ = mk_range($1, $3, true, @$); }
    | DOTDOT expr_ns                           { $$ = mk_range(NULL, $2, false, @$); }
    | DOTDOT %prec DOTDOT                      { $$ = mk_range(NULL, NULL, false, @$); }
    | DOTDOTEQ expr_ns                         { $$ = mk_range(NULL, $2, true, @$); }
    | '-' expr_ns %prec UNARY                  { $$ = mk_unary(UN_NEG, $2, @$); }
    | '!' expr_ns %prec UNARY                  { $$ = mk_unary(UN_NOT, $2, @$); }
    | '*' expr_ns %prec UNARY                  { $$ = mk_unary(UN_DEREF, $2, @$); }
    | '&' expr_ns %prec UNARY                  { $$ = mk_ref(false, $2, @$); }
    | '&' MUT expr_ns %prec UNARY              { $$ = mk_ref(true, $3, @$); }
    | '&' IDENT CONST expr_ns %prec UNARY          { $$ = mk_raw_ref($2, @2, false, $4, @$); }
    | '&' IDENT MUT expr_ns %prec UNARY            { $$ = mk_raw_ref($2, @2, true, $4, @$); }
    | RETURN %prec RETURN                      { $$ = mk_jump(EX_RETURN, NULL, NULL, @$); }
    | RETURN expr_ns %prec RETURN              { $$ = mk_jump(EX_RETURN, NULL, $2, @$); }
    | BREAK %prec RETURN                       { $$ = mk_jump(EX_BREAK, NULL, NULL, @$); }
    | BREAK LIFETIME %prec RETURN              { $$ = mk_jump(EX_BREAK, $2, NULL, @$); }
    | BREAK expr_ns %prec RETURN               { $$ = mk_jump(EX_BREAK, NULL, $2, @$); }
    | BREAK LIFETIME expr_ns %prec RETURN      { $$ = mk_jump(EX_BREAK, $2, $3, @$); }
    | CONTINUE                                 { $$ = mk_jump(EX_CONTINUE, NULL, NULL, @$); }
    | CONTINUE LIFETIME                        { $$ = mk_jump(EX_CONTINUE, $2, NULL, @$); }
    | closure_head expr_ns %prec RETURN        { $$ = mk_closure($1, NULL, $2, @$); }
    | closure_head ARROW type_no_plus block    { $$ = mk_closure($1, $3, block_expr($4, @4), @$); }
    | postfix_ns                               { $$ = $1; }
    ;

postfix_ns
    : primary_ns                              { $$ = $1; }
    | postfix_ns postfix_op                   { $$ = attach_postfix($1, $2); }
    ;

/* expr_st: statement start: a block-like expression ends the statement unless `.`/`?` follows. */
expr_st
    : expr_st OROR expr                        { $$ = mk_bin(BIN_OR, $1, $3, @2); }
    | expr_st ANDAND expr                      { $$ = mk_bin(BIN_AND, $1, $3, @2); }
    | expr_st EQEQ expr                        { $$ = mk_bin(BIN_EQ, $1, $3, @2); }
    | expr_st NE expr                          { $$ = mk_bin(BIN_NE, $1, $3, @2); }
    | expr_st '<' expr                         { $$ = mk_bin(BIN_LT, $1, $3, @2); }
    | expr_st '>' expr                         { $$ = mk_bin(BIN_GT, $1, $3, @2); }
    | expr_st LE expr                          { $$ = mk_bin(BIN_LE, $1, $3, @2); }
    | expr_st GE expr                          { $$ = mk_bin(BIN_GE, $1, $3, @2); }
    | expr_st '|' expr                         { $$ = mk_bin(BIN_BITOR, $1, $3, @2); }
    | expr_st '^' expr                         { $$ = mk_bin(BIN_BITXOR, $1, $3, @2); }
    | expr_st '&' expr                         { $$ = mk_bin(BIN_BITAND, $1, $3, @2); }
    | expr_st SHL expr                         { $$ = mk_bin(BIN_SHL, $1, $3, @2); }
    | expr_st SHR expr                         { $$ = mk_bin(BIN_SHR, $1, $3, @2); }
    | expr_st '+' expr                         { $$ = mk_bin(BIN_ADD, $1, $3, @2); }
    | expr_st '-' expr                         { $$ = mk_bin(BIN_SUB, $1, $3, @2); }
    | expr_st '*' expr                         { $$ = mk_bin(BIN_MUL, $1, $3, @2); }
    | expr_st '/' expr                         { $$ = mk_bin(BIN_DIV, $1, $3, @2); }
    | expr_st '%' expr                         { $$ = mk_bin(BIN_REM, $1, $3, @2); }
    | expr_st AS type_no_plus                  { $$ = mk_cast($1, $3); }
    | expr_st '=' expr                         { $$ = mk_assign(EX_ASSIGN, 0, $1, $3, @2); }
    | expr_st PLUSEQ expr                      { $$ = mk_assign(EX_ASSIGN_OP, BIN_ADD, $1, $3, @2); }
    | expr_st MINUSEQ expr                     { $$ = mk_assign(EX_ASSIGN_OP, BIN_SUB, $1, $3, @2); }
    | expr_st STAREQ expr                      { $$ = mk_assign(EX_ASSIGN_OP, BIN_MUL, $1, $3, @2); }
    | expr_st SLASHEQ expr                     { $$ = mk_assign(EX_ASSIGN_OP, BIN_DIV, $1, $3, @2); }
    | expr_st PERCENTEQ expr                   { $$ = mk_assign(EX_ASSIGN_OP, BIN_REM, $1, $3, @2); }
    | expr_st CARETEQ expr                     { $$ = mk_assign(EX_ASSIGN_OP, BIN_BITXOR, $1, $3, @2); }
    | expr_st ANDEQ expr                       { $$ = mk_assign(EX_ASSIGN_OP, BIN_BITAND, $1, $3, @2); }
    | expr_st OREQ expr                        { $$ = mk_assign(EX_ASSIGN_OP, BIN_BITOR, $1, $3, @2); }
    | expr_st SHLEQ expr                       { $$ = mk_assign(EX_ASSIGN_OP, BIN_SHL, $1, $3, @2); }
    | expr_st SHREQ expr                       { $$ = mk_assign(EX_ASSIGN_OP, BIN_SHR, $1, $3, @2); }
    | expr_st DOTDOT expr                      { $$ = mk_range($1, $3, false, @$); }
    | expr_st DOTDOT %prec DOTDOT              { $$ = mk_range($1, NULL, false, @$); }
    | expr_st DOTDOTEQ expr                    { $$ = mk_range($1, $3, true, @$); }
    | DOTDOT expr                              { $$ = mk_range(NULL, $2, false, @$); }
    | DOTDOT %prec DOTDOT                      { $$ = mk_range(NULL, NULL, false, @$); }
    | DOTDOTEQ expr                            { $$ = mk_range(NULL, $2, true, @$); }
    | '-' expr %prec UNARY                     { $$ = mk_unary(UN_NEG, $2, @$); }
    | '!' expr %prec UNARY                     { $$ = mk_unary(UN_NOT, $2, @$); }
    | '*' expr %prec UNARY                     { $$ = mk_unary(UN_DEREF, $2, @$); }
    | '&' expr %prec UNARY                     { $$ = mk_ref(false, $2, @$); }
    | '&' MUT expr %prec UNARY                 { $$ = mk_ref(true, $3, @$); }
    | '&' IDENT CONST expr %prec UNARY          { $$ = mk_raw_ref($2, @2, false, $4, @$); }
    | '&' IDENT MUT expr %prec UNARY            { $$ = mk_raw_ref($2, @2, true, $4, @$); }
    | RETURN %prec RETURN                      { $$ = mk_jump(EX_RETURN, NULL, NULL, @$); }
    | RETURN expr %prec RETURN                 { $$ = mk_jump(EX_RETURN, NULL, $2, @$); }
    | BREAK %prec RETURN                       { $$ = mk_jump(EX_BREAK, NULL, NULL, @$); }
    | BREAK LIFETIME %prec RETURN              { $$ = mk_jump(EX_BREAK, $2, NULL, @$); }
    | BREAK expr %prec RETURN                  { $$ = mk_jump(EX_BREAK, NULL, $2, @$); }
    | BREAK LIFETIME expr %prec RETURN         { $$ = mk_jump(EX_BREAK, $2, $3, @$); }
    | CONTINUE                                 { $$ = mk_jump(EX_CONTINUE, NULL, NULL, @$); }
    | CONTINUE LIFETIME                        { $$ = mk_jump(EX_CONTINUE, $2, NULL, @$); }
    | closure_head expr %prec RETURN           { $$ = mk_closure($1, NULL, $2, @$); }
    | closure_head ARROW type_no_plus block    { $$ = mk_closure($1, $3, block_expr($4, @4), @$); }
    | postfix_st                               { $$ = $1; }
    ;

postfix_st
    : primary_st                              { $$ = $1; }
    | postfix_st postfix_op                   { $$ = attach_postfix($1, $2); }
    | blocklike dot_or_try                    { $$ = attach_postfix($1, $2); }
    ;


/* The suffixes of a postfix expression; attach_postfix links the receiver. */
postfix_op
    : dot_or_try                        { $$ = $1; }
    | '(' args ')'                      { $$ = ast_new_expr(EX_CALL, @$); $$->args = $2; }
    | '[' expr ']'                      { $$ = ast_new_expr(EX_INDEX, @$); $$->rhs = $2; }
    ;

dot_or_try
    : '.' IDENT %prec FIELD             { $$ = ast_new_expr(EX_FIELD, @$); $$->name = $2; $$->name_span = @2; }
    | '.' IDENT '(' args ')'            { $$ = ast_new_expr(EX_METHOD, @$); $$->name = $2; $$->name_span = @2;
                                          $$->args = $4; }
    | '.' IDENT COLONCOLON '<' gargs_opt '>' '(' args ')'
                                        { $$ = ast_new_expr(EX_METHOD, @$); $$->name = $2; $$->name_span = @2;
                                          $$->generic_args = $5->generic_args; $$->args = $8; }
    | '.' INT_LIT                       { $$ = ast_new_expr(EX_TUPLE_FIELD, @$); $$->index = (uint32_t)$2->int_val;
                                          $$->name_span = @2; }
    | '.' AWAIT                         { $$ = ast_new_expr(EX_AWAIT, @$); $$->name_span = @2; }
    | '?'                               { $$ = ast_new_expr(EX_TRY, @$); }
    ;

args
    : %empty                            { $$ = (List){0}; }
    | exprs opt_comma                   { $$ = $1; }
    ;

exprs
    : expr                              { $$ = (List){0}; list_push(&$$, $1); }
    | exprs ',' expr                    { $$ = $1; list_push(&$$, $3); }
    ;

primary
    : primary_common                    { $$ = $1; }
    | struct_lit                        { $$ = $1; }
    | blocklike                         { $$ = $1; }
    ;

primary_ns
    : primary_common                    { $$ = $1; }
    | blocklike_ns                      { $$ = $1; }
    ;

primary_st
    : primary_common                    { $$ = $1; }
    | struct_lit                        { $$ = $1; }
    ;

primary_common
    : literal                           { $$ = $1; }
    | path_expr                         { $$ = path_expr($1); }
    | qpath_expr                        { $$ = path_expr($1); }
    | UNDERSCORE                        { PathSeg *s = NEW(PathSeg); s->name = "_"; s->span = @$;
                                          $$ = path_expr(path1(s, @$)); } /* `_ = f();` */
    | '(' ')'                           { $$ = ast_new_expr(EX_TUPLE, @$); }
    | '(' expr ')'                      { $$ = ast_new_expr(EX_PAREN, @$); $$->operand = $2;
                                          /* rustc's lowering gives the expression the span of its
                                             parentheses (a panic in `(a + 1)` is at the `(`); a path
                                             keeps its own, as name resolution reports it */
                                          if ($2->kind != EX_PATH) $2->span = @$; }
    | '(' expr ',' ')'                  { $$ = ast_new_expr(EX_TUPLE, @$); list_push(&$$->args, $2); }
    | '(' expr ',' exprs opt_comma ')'  { $$ = ast_new_expr(EX_TUPLE, @$); list_push(&$$->args, $2);
                                          for (int i = 0; i < $4.len; i++) list_push(&$$->args, $4.items[i]); }
    | '[' ']'                           { $$ = ast_new_expr(EX_ARRAY, @$); }
    | '[' exprs opt_comma ']'           { $$ = ast_new_expr(EX_ARRAY, @$); $$->args = $2; }
    | '[' expr ';' expr ']'             { $$ = ast_new_expr(EX_ARRAY_REPEAT, @$); $$->lhs = $2; $$->rhs = $4; }
    | macro_call                        { $$ = $1; }
    | '(' error ')'                     { $$ = ast_new_expr(EX_TUPLE, @$); }
    ;

literal
    : INT_LIT                           { $$ = $1; }
    | FLOAT_LIT                         { $$ = $1; }
    | STR_LIT                           { $$ = $1; }
    | BYTE_STR_LIT                      { $$ = $1; }
    | CHAR_LIT                          { $$ = $1; }
    | BYTE_LIT                          { $$ = $1; }
    | TRUE                              { $$ = ast_new_expr(EX_BOOL, @$); $$->bool_val = true; }
    | FALSE                             { $$ = ast_new_expr(EX_BOOL, @$); $$->bool_val = false; }
    ;

/* Expression paths need `::<` for generic arguments (turbofish). */
path_expr
    : path_segs                         { $$ = $1; }
    | COLONCOLON path_segs              { $$ = $2; $$->global = true; $$->span = @$; }
    ;

path_segs
    : pseg                              { $$ = path1($1, @$); }
    | path_segs COLONCOLON pseg         { $$ = $1; list_push(&$$->segs, $3); $$->span = @$; }
    | path_segs COLONCOLON '<' gargs_opt '>'
                                        { $$ = $1; seg_args($$->segs.items[$$->segs.len - 1], $4); $$->span = @$; }
    ;

qpath_expr
    : '<' type AS tpath_segs '>' COLONCOLON path_segs
                                        { $$ = $4; $$->qself = $2; $$->qself_trait_len = $4->segs.len;
                                          for (int i = 0; i < $7->segs.len; i++) list_push(&$$->segs, $7->segs.items[i]);
                                          $$->span = @$; }
    | '<' type '>' COLONCOLON path_segs { $$ = $5; $$->qself = $2; $$->span = @$; }
    ;

/* Point { x, y: 1, ..base } */
struct_lit
    : path_expr '{' field_inits '}'     { $$ = ast_new_expr(EX_STRUCT, @$); $$->path = $1;
                                          $$->fields = $3.fields; $$->base = $3.base; }
    ;

field_inits
    : %empty                            { $$ = (FieldInits){{0}, NULL}; }
    | field_inits_list opt_comma        { $$ = (FieldInits){$1, NULL}; }
    | field_inits_list ',' DOTDOT expr  { $$ = (FieldInits){$1, $4}; }
    | DOTDOT expr                       { $$ = (FieldInits){{0}, $2}; }
    ;

field_inits_list
    : finit                             { $$ = (List){0}; list_push(&$$, $1); }
    | field_inits_list ',' finit        { $$ = $1; list_push(&$$, $3); }
    ;

finit
    : IDENT ':' expr                    { $$ = NEW(FieldInit); $$->span = @$; $$->name = $1; $$->value = $3; }
    | INT_LIT ':' expr                  { $$ = NEW(FieldInit); $$->span = @$; $$->name = $1->lit_text; $$->value = $3; }
    | IDENT                             { $$ = NEW(FieldInit); $$->span = @$; $$->name = $1; $$->shorthand = true;
                                          $$->value = path_expr(ast_path_ident($1, @1)); }
    ;

/* name!(args), name![args], name![x; n], matches!(e, PAT [if g]), and
 * name!(tokens) for macros whose input is not parsed. */
macro_call
    : path_expr '!' '(' margs ')'       { $$ = mk_macro($1, '(', $4, @$); }
    | path_expr '!' '[' margs ']'       { $$ = mk_macro($1, '[', $4, @$); }
    | path_expr '!' '[' expr ';' expr ']'
                                        { List a = {0}; list_push(&a, $4); list_push(&a, $6);
                                          $$ = mk_macro($1, '[', a, @$); $$->mac->is_repeat = true; }
    | path_expr '!' MATCHES_LP expr ',' pat_top guard_opt opt_comma ')'
                                        { List a = {0}; list_push(&a, $4);
                                          $$ = mk_macro($1, '(', a, @$); $$->mac->pat = $6; $$->mac->guard = $7; }
    | path_expr '!' TT_LPAREN tts ')'   { $$ = mk_macro($1, '(', (List){0}, @$); }
    | path_expr '!' TT_LBRACKET tts ']' { $$ = mk_macro($1, '[', (List){0}, @$); }
    ;

brace_macro
    : path_expr '!' '{' margs '}'       { $$ = mk_macro($1, '{', $4, @$); }
    | path_expr '!' TT_LBRACE tts '}'   { $$ = mk_macro($1, '{', (List){0}, @$); }
    ;

margs
    : %empty                            { $$ = (List){0}; }
    | exprs opt_comma                   { $$ = $1; }
    ;

/* [move] |params| body, [move] |params| -> R { body }, async closures */
closure_head
    : '|' cparams '|'                   { $$ = NEW(ClosureHead); $$->span = @$; $$->params = $2; }
    | MOVE '|' cparams '|'              { $$ = NEW(ClosureHead); $$->span = @$; $$->params = $3; $$->is_move = true; }
    | ASYNC '|' cparams '|'             { $$ = NEW(ClosureHead); $$->span = @$; $$->params = $3; $$->is_async = true; }
    | ASYNC MOVE '|' cparams '|'        { $$ = NEW(ClosureHead); $$->span = @$; $$->params = $4;
                                          $$->is_async = true; $$->is_move = true; }
    ;

cparams
    : %empty                            { $$ = (List){0}; }
    | cparam_list opt_comma             { $$ = $1; }
    ;

cparam_list
    : cparam                            { $$ = (List){0}; list_push(&$$, $1); }
    | cparam_list ',' cparam            { $$ = $1; list_push(&$$, $3); }
    ;

cparam
    : pat                               { ClosureParam *c = NEW(ClosureParam); c->span = @$; c->pat = $1;
                                          $$ = c; }
    | pat ':' type                      { ClosureParam *c = NEW(ClosureParam); c->span = @$; c->pat = $1;
                                          c->type = $3; $$ = c; }
    ;

/* ---- block-like expressions ---------------------------------------------- */

blocklike
    : blocklike_ns                      { $$ = $1; }
    | block                             { $$ = block_expr($1, @$); }
    | label_colon block                 { $$ = block_expr($2, @$); $$->label = $1; }
    ;

/* Block-like expressions allowed in `if`/`while`/`match`/`for` heads. */
blocklike_ns
    : UNSAFE block                      { $$ = block_expr($2, @$); $$->is_unsafe = true; }
    | ASYNC block                       { $$ = mk_async_block(block_expr($2, @2), false, @$); }
    | ASYNC MOVE block                  { $$ = mk_async_block(block_expr($3, @3), true, @$); }
    | if_expr                           { $$ = $1; }
    | match_expr                        { $$ = $1; }
    | loop_core                         { $$ = $1; }
    | label_colon loop_core             { $$ = $2; $$->label = $1; $$->span = @$; }
    | brace_macro                       { $$ = $1; }
    ;

label_colon
    : LIFETIME ':'                      { $$ = $1; }
    ;

if_expr
    : IF cond block %prec NO_ELSE       { $$ = ast_new_expr(EX_IF, @$); $$->cond = $2; $$->block = $3; }
    | IF cond block ELSE block          { $$ = ast_new_expr(EX_IF, @$); $$->cond = $2; $$->block = $3;
                                          $$->els = block_expr($5, @5); }
    | IF cond block ELSE if_expr        { $$ = ast_new_expr(EX_IF, @$); $$->cond = $2; $$->block = $3;
                                          $$->els = $5; $5->is_else_if = true; }
    ;

/* `if`/`while` condition: an expression or `let PAT = EXPR` (EX_LET). */
cond
    : expr_ns                           { $$ = $1; }
    | LET pat_top '=' expr_ns           { $$ = ast_new_expr(EX_LET, @$); $$->pat = $2; $$->rhs = $4; }
    ;

loop_core
    : LOOP block                        { $$ = ast_new_expr(EX_LOOP, @$); $$->block = $2; }
    | WHILE cond block                  { $$ = ast_new_expr(EX_WHILE, @$); $$->cond = $2; $$->block = $3; }
    | FOR pat_top IN expr_ns block      { $$ = ast_new_expr(EX_FOR, @$); $$->pat = $2; $$->operand = $4;
                                          $$->block = $5; }
    ;

match_expr
    : MATCH expr_ns '{' arms '}'        { $$ = ast_new_expr(EX_MATCH, @$); $$->operand = $2; $$->arms = $4; }
    | MATCH expr_ns '{' arm_list error '}'
                                        { $$ = ast_new_expr(EX_MATCH, @$); $$->operand = $2; $$->arms = $4; }
    ;

/* An arm whose body is block-like needs no comma; the last needs none. */
arms
    : arm_list                          { $$ = $1; }
    | arm_list last_arm                 { $$ = $1; list_push(&$$, $2); }
    ;

arm_list
    : %empty                            { $$ = (List){0}; }
    | arm_list arm                      { $$ = $1; list_push(&$$, $2); }
    ;

arm
    : arm_head blocklike                { $$ = $1; $$->body = $2; $$->span.hi = @$.hi; }
    | arm_head blocklike ','            { $$ = $1; $$->body = $2; $$->span.hi = @2.hi; }
    | arm_head expr_st ','              { $$ = $1; $$->body = $2; $$->span.hi = @2.hi; }
    ;

last_arm
    : arm_head expr_st                  { $$ = $1; $$->body = $2; $$->span.hi = @$.hi; }
    ;

arm_head
    : pat_top guard_opt FATARROW        { $$ = NEW(MatchArm); $$->span = @$; $$->pat = $1; $$->guard = $2; }
    | outer_attrs pat_top guard_opt FATARROW
                                        { $$ = NEW(MatchArm); $$->span = @2; $$->pat = $2; $$->guard = $3;
                                          $$->attrs = $1; }
    ;

guard_opt
    : %empty                            { $$ = NULL; }
    | IF expr                           { $$ = $2; }
    ;

/* ---- blocks and statements ------------------------------------------------ */

block
    : '{' stmts '}'                     { $$ = mk_block($2, NULL, @$); }
    | '{' stmts expr_st '}'             { $$ = mk_block($2, $3, @$); }
    | '{' stmts error '}'               { $$ = mk_block($2, NULL, @$); }
    ;

stmts
    : %empty                            { $$ = (List){0}; }
    | stmts stmt                        { $$ = $1; list_push(&$$, $2); }
    | stmts inner_attr                  { $$ = $1; }
    ;

stmt
    : stmt_body                         { $$ = $1; }
    | outer_attrs stmt_body             { $$ = $2; $$->attrs = $1; if ($$->item) with_attrs($$->item, $1); }
    ;

stmt_body
    : ';'                               { $$ = ast_new_stmt(ST_EMPTY, @$); }
    | let_stmt                          { $$ = $1; }
    | item_vis                          { $$ = ast_new_stmt(ST_ITEM, @$); $$->item = $1; }
    | expr_st ';'                       { $$ = expr_stmt($1, true, @$); }
    | blocklike %prec NO_SEMI           { $$ = expr_stmt($1, false, @$); }
    | blocklike ';'                     { $$ = expr_stmt($1, true, @$); }
    ;

/* let PAT [: T] [= e [else { }]]; */
let_stmt
    : LET pat_top let_type_opt ';'      { $$ = ast_new_stmt(ST_LET, @$); $$->pat = $2; $$->type = $3; }
    | LET pat_top let_type_opt '=' expr ';'
                                        { $$ = ast_new_stmt(ST_LET, @$); $$->pat = $2; $$->type = $3; $$->init = $5; }
    | LET pat_top let_type_opt '=' expr ELSE block ';'
                                        { $$ = ast_new_stmt(ST_LET, @$); $$->pat = $2; $$->type = $3; $$->init = $5;
                                          $$->els = $7; }
    ;

let_type_opt
    : %empty                            { $$ = NULL; }
    | ':' type                          { $$ = $2; }
    ;

/* ---- patterns --------------------------------------------------------------- */

/* Top level: alternatives with an optional leading `|`. */
pat_top
    : pat_alt                           { $$ = $1; }
    | '|' pat_alt                       { $$ = $2; }
    ;

pat_alt
    : pat                               { $$ = $1; }
    | pat_alt '|' pat                   { if ($1->kind == PAT_OR) { $$ = $1; }
                                          else { $$ = ast_new_pat(PAT_OR, @$); list_push(&$$->elems, $1); }
                                          list_push(&$$->elems, $3); $$->span = @$; }
    ;

pat
    : pat_nonbind                       { $$ = $1; }
    | ppath                             { $$ = pat_from_path($1); }
    | IDENT '@' pat                     { $$ = mk_binding($1, false, false, $3, @$); }
    | MUT IDENT                         { $$ = mk_binding($2, false, true, NULL, @$); }
    | MUT IDENT '@' pat                 { $$ = mk_binding($2, false, true, $4, @$); }
    | REF IDENT                         { $$ = mk_binding($2, true, false, NULL, @$); }
    | REF MUT IDENT                     { $$ = mk_binding($3, true, true, NULL, @$); }
    | REF IDENT '@' pat                 { $$ = mk_binding($2, true, false, $4, @$); }
    | REF MUT IDENT '@' pat             { $$ = mk_binding($3, true, true, $5, @$); }
    ;

/* Every pattern but a binding or a bare path (what may follow `&mut`). */
pat_nonbind
    : UNDERSCORE                        { $$ = ast_new_pat(PAT_WILD, @$); }
    | lit_pat                           { $$ = ast_new_pat(PAT_LIT, @$); $$->lit = $1; }
    | lit_pat DOTDOTEQ range_end        { $$ = ast_new_pat(PAT_RANGE, @$); $$->lo = $1; $$->hi = $3->lit;
                                          $$->inclusive = true; }
    | lit_pat DOTDOTDOT range_end       { $$ = ast_new_pat(PAT_RANGE, @$); $$->lo = $1; $$->hi = $3->lit;
                                          $$->inclusive = true; }
    | lit_pat DOTDOT range_end          { $$ = ast_new_pat(PAT_RANGE, @$); $$->lo = $1; $$->hi = $3->lit; }
    | lit_pat DOTDOT                    { $$ = ast_new_pat(PAT_RANGE, @$); $$->lo = $1; }
    | DOTDOTEQ range_end                { $$ = ast_new_pat(PAT_RANGE, @$); $$->hi = $2->lit; $$->inclusive = true; }
    | ppath DOTDOTEQ range_end          { $$ = ast_new_pat(PAT_RANGE, @$); $$->lo = path_expr($1); $$->hi = $3->lit;
                                          $$->inclusive = true; }
    | ppath DOTDOT range_end            { $$ = ast_new_pat(PAT_RANGE, @$); $$->lo = path_expr($1); $$->hi = $3->lit; }
    | ppath '(' pat_list ')'            { $$ = ast_new_pat(PAT_TUPLE_STRUCT, @$); $$->path = $1; $$->elems = $3.pats; }
    | ppath '{' field_pats '}'          { $$ = ast_new_pat(PAT_STRUCT, @$); $$->path = $1; $$->fields = $3.pats;
                                          $$->has_rest = $3.rest; }
    | '(' pat_list ')'                  { if ($2.pats.len == 1 && !$2.trailing
                                              && ((Pat *)$2.pats.items[0])->kind != PAT_REST) {
                                              $$ = $2.pats.items[0]; /* parenthesized */
                                          } else {
                                              $$ = ast_new_pat(PAT_TUPLE, @$); $$->elems = $2.pats;
                                          } }
    | '[' pat_list ']'                  { $$ = ast_new_pat(PAT_SLICE, @$); $$->elems = $2.pats; }
    | '&' pat                           { $$ = ref_pat($2, @$); }
    | '&' MUT pat_nonbind               { $$ = ast_new_pat(PAT_REF, @$); $$->sub = $3; $$->is_mut = true; }
    | DOTDOT                            { $$ = ast_new_pat(PAT_REST, @$); }
    ;

lit_pat
    : literal                           { $$ = $1; }
    | '-' INT_LIT                       { $$ = mk_unary(UN_NEG, $2, @$); }
    | '-' FLOAT_LIT                     { $$ = mk_unary(UN_NEG, $2, @$); }
    ;

/* The upper end of a range pattern; the bound is in ->lit. */
range_end
    : lit_pat                           { $$ = ast_new_pat(PAT_LIT, @$); $$->lit = $1; }
    | ppath                             { $$ = ast_new_pat(PAT_PATH, @$); $$->lit = path_expr($1); }
    ;

ppath
    : ppseg                             { $$ = path1($1, @$); }
    | COLONCOLON ppseg                  { $$ = path1($2, @$); $$->global = true; }
    | ppath COLONCOLON ppseg            { $$ = $1; list_push(&$$->segs, $3); $$->span = @$; }
    | ppath COLONCOLON '<' gargs_opt '>' { $$ = $1; seg_args($$->segs.items[$$->segs.len - 1], $4); $$->span = @$; }
    ;

/* No `self` here: `self` as a parameter is a self parameter. */
ppseg
    : IDENT                             { $$ = mk_seg($1, @$); }
    | SELF_TYPE                         { $$ = mk_seg($1, @$); }
    | SUPER                             { $$ = mk_seg($1, @$); }
    | CRATE                             { $$ = mk_seg($1, @$); }
    ;

pat_list
    : %empty                            { $$ = (PatList){{0}, false, false}; }
    | pats                              { $$ = $1; }
    | pats ','                          { $$ = $1; $$.trailing = true; }
    ;

pats
    : pat_top                           { $$ = (PatList){{0}, false, false}; list_push(&$$.pats, $1); }
    | pats ',' pat_top                  { $$ = $1; list_push(&$$.pats, $3); }
    ;

field_pats
    : %empty                            { $$ = (PatList){{0}, false, false}; }
    | fpats                             { $$ = $1; }
    | fpats ','                         { $$ = $1; }
    | fpats ',' DOTDOT                  { $$ = $1; $$.rest = true; }
    | DOTDOT                            { $$ = (PatList){{0}, false, true}; }
    ;

fpats
    : fpat                              { $$ = (PatList){{0}, false, false}; list_push(&$$.pats, $1); }
    | fpats ',' fpat                    { $$ = $1; list_push(&$$.pats, $3); }
    ;

fpat
    : IDENT ':' pat_top                 { $$ = NEW(FieldPat); $$->span = @$; $$->name = $1; $$->pat = $3; }
    | INT_LIT ':' pat_top               { $$ = NEW(FieldPat); $$->span = @$; $$->name = $1->lit_text; $$->pat = $3; }
    | IDENT                             { $$ = NEW(FieldPat); $$->span = @$; $$->name = $1; $$->shorthand = true;
                                          $$->pat = mk_binding($1, false, false, NULL, @$); }
    | MUT IDENT                         { $$ = NEW(FieldPat); $$->span = @$; $$->name = $2; $$->shorthand = true;
                                          $$->pat = mk_binding($2, false, true, NULL, @$); }
    | REF IDENT                         { $$ = NEW(FieldPat); $$->span = @$; $$->name = $2; $$->shorthand = true;
                                          $$->pat = mk_binding($2, true, false, NULL, @$); }
    | REF MUT IDENT                     { $$ = NEW(FieldPat); $$->span = @$; $$->name = $3; $$->shorthand = true;
                                          $$->pat = mk_binding($3, true, true, NULL, @$); }
    | outer_attr fpat                   { $$ = $2; }
    ;

%%

/* ---- token feed ------------------------------------------------------------
 *
 * The scanner runs over the whole file first. The feed then
 *  - checks that delimiters balance, with rustc's messages; like rustc it
 *    does not parse a file whose delimiters do not balance;
 *  - turns contextual keywords into tokens (`union U`, `macro_rules!`) and
 *    marks the opening delimiter of unparsed macro input (TT_*);
 *  - splits a composite token (`>>`, `>=`, `>>=`, `<<`, `&&`, `||`) when the
 *    parser's current state accepts its first character but not the whole
 *    token. The test simulates the LALR automaton on a copy of the state
 *    stack (as bison's LAC does), so `Vec<Vec<i32>>` closes two generic
 *    lists while `a >> b` stays a shift. */

typedef struct Tok {
    int kind;
    YYSTYPE val;
    Span span;
} Tok;

static bool is_open(int k) { return k == '(' || k == '[' || k == '{'; }
static bool is_close(int k) { return k == ')' || k == ']' || k == '}'; }
static int closer_of(int k) { return k == '(' ? ')' : k == '[' ? ']' : '}'; }

/* rustc's token-tree pass: mismatched, unexpected and unclosed delimiters.
 * Returns false when the file must not be parsed. */
static bool check_delims(Parser *P)
{
    int *stack = malloc(sizeof(int) * (size_t)(P->ntoks + 1));
    int depth = 0;
    bool ok = true;
    for (int i = 0; i < P->ntoks && ok; i++) {
        int k = P->toks[i].kind;
        if (is_open(k)) {
            stack[depth++] = i;
            P->closer[i] = i;
        } else if (is_close(k)) {
            if (depth > 0 && closer_of(P->toks[stack[depth - 1]].kind) == k) {
                P->closer[stack[depth - 1]] = i;
                depth--;
                continue;
            }
            if (depth == 0) {
                Diag *d = diag_error(NULL, P->toks[i].span, "unexpected closing delimiter: `%c`", k);
                diag_primary_label(d, "unexpected closing delimiter");
                ok = false;
                break;
            }
            Tok *open = &P->toks[stack[depth - 1]];
            Diag *d = diag_error(NULL, open->span, "mismatched closing delimiter: `%c`", k);
            diag_primary_label(d, "unclosed delimiter");
            diag_label(d, P->toks[i].span, "mismatched closing delimiter");
            for (int j = depth - 2; j >= 0; j--)
                if (closer_of(P->toks[stack[j]].kind) == k) {
                    diag_label(d, P->toks[stack[j]].span, "closing delimiter possibly meant for this");
                    break;
                }
            ok = false;
        }
    }
    if (ok && depth > 0) {
        Diag *d = diag_error(NULL, P->eof, "this file contains an unclosed delimiter");
        for (int j = 0; j < depth; j++)
            diag_label(d, P->toks[stack[j]].span, "unclosed delimiter");
        ok = false;
    }
    free(stack);
    return ok;
}

static void contextual_tokens(Parser *P)
{
    Tok *t = P->toks;
    for (int i = 0; i + 1 < P->ntoks; i++) {
        if (t[i].kind != TK_IDENT)
            continue;
        const char *name = t[i].val.str;
        if (!strcmp(name, "union") && t[i + 1].kind == TK_IDENT) {
            t[i].kind = TK_UNION;
        } else if (!strcmp(name, "macro_rules") && t[i + 1].kind == '!') {
            t[i].kind = TK_MACRO_RULES;
            if (i + 3 < P->ntoks && t[i + 2].kind == TK_IDENT && is_open(t[i + 3].kind))
                t[i + 3].kind = t[i + 3].kind == '(' ? TK_TT_LPAREN
                              : t[i + 3].kind == '[' ? TK_TT_LBRACKET : TK_TT_LBRACE;
        } else if (t[i + 1].kind == '!' && i + 2 < P->ntoks && is_open(t[i + 2].kind)
                   && !(i > 0 && t[i - 1].kind == TK_MACRO_RULES)) {
            int *k = &t[i + 2].kind;
            if (!strcmp(name, "matches") && *k == '(')
                *k = TK_MATCHES_LP;
            else if (!is_expr_macro(name))
                *k = *k == '(' ? TK_TT_LPAREN : *k == '[' ? TK_TT_LBRACKET : TK_TT_LBRACE;
        }
    }
}

/* Would the parser, in the state stack ss..ssp, shift the tokens
 * toks[0..n) one after the other? (bison's LAC, on a copy of the stack) */
static bool accepts_seq(const yy_state_t *ss, const yy_state_t *ssp, const int *toks, int n)
{
    ptrdiff_t depth = ssp - ss + 1;
    yy_state_t *stk = malloc(sizeof *stk * (size_t)(depth + n + 1));
    memcpy(stk, ss, sizeof *stk * (size_t)depth);
    ptrdiff_t top = depth - 1;
    bool result = false;
    int ti = 0;
    int sym = YYTRANSLATE(toks[0]);
    for (int steps = 0; steps < 100000; steps++) {
        int state = stk[top];
        int yyn = yypact[state];
        int rule;
        if (!yypact_value_is_default(yyn) && 0 <= yyn + sym && yyn + sym <= YYLAST
            && yycheck[yyn + sym] == sym) {
            int act = yytable[yyn + sym];
            if (act > 0) {
                if (++ti == n) {
                    result = true;
                    break;
                }
                stk[++top] = (yy_state_t)act;
                sym = YYTRANSLATE(toks[ti]);
                continue;
            }
            if (act == 0 || yytable_value_is_error(act))
                break;
            rule = -act;
        } else {
            rule = yydefact[state];
            if (rule == 0)
                break;
        }
        int len = yyr2[rule];
        top -= len;
        if (top < 0)
            break;
        int lhs = yyr1[rule] - YYNTOKENS;
        int gi = yypgoto[lhs] + stk[top];
        int next = (0 <= gi && gi <= YYLAST && yycheck[gi] == stk[top]) ? yytable[gi] : yydefgoto[lhs];
        stk[++top] = (yy_state_t)next;
        if (next == YYFINAL) {
            result = sym == YYSYMBOL_YYEOF;
            break;
        }
    }
    free(stk);
    return result;
}

static bool accepts(const yy_state_t *ss, const yy_state_t *ssp, int token)
{
    return accepts_seq(ss, ssp, &token, 1);
}

/* The first character of a composite token and what remains of it. */
static bool split_of(int kind, int *first, int *rest)
{
    switch (kind) {
    case TK_SHR: *first = '>'; *rest = '>'; return true;
    case TK_GE: *first = '>'; *rest = '='; return true;
    case TK_SHREQ: *first = '>'; *rest = TK_GE; return true;
    case TK_SHL: *first = '<'; *rest = '<'; return true;
    case TK_LE: *first = '<'; *rest = '='; return true;
    case TK_SHLEQ: *first = '<'; *rest = TK_LE; return true;
    case TK_ANDAND: *first = '&'; *rest = '&'; return true;
    case TK_OROR: *first = '|'; *rest = '|'; return true;
    default: return false;
    }
}

static bool is_open_kind(int k)
{
    return is_open(k) || k == TK_TT_LPAREN || k == TK_TT_LBRACKET || k == TK_TT_LBRACE || k == TK_MATCHES_LP;
}

/* While bison discards tokens after an error (errstatus 3), whole
 * delimited groups are skipped, so that the first closing delimiter the
 * parser sees is the one of the construct it recovers in: like rustc, the
 * rest of a block after an error is skipped and its `}` ends it. */
static int feed(YYSTYPE *lval, YYLTYPE *lloc, yyscan_t scanner, Parser *P,
                const void *ssv, const void *sspv, int errstatus)
{
    (void)scanner;
    Tok t;
    if (P->has_pending) {
        t = *P->pending;
        P->has_pending = false;
    } else {
        if (errstatus == 3)
            while (P->pos < P->ntoks && is_open_kind(P->toks[P->pos].kind))
                P->pos = P->closer[P->pos] + 1;
        P->last_index = P->pos < P->ntoks ? P->pos : P->ntoks - 1;
        t = P->toks[P->pos < P->ntoks ? P->pos++ : P->ntoks - 1];
    }
    int first, rest;
    if (split_of(t.kind, &first, &rest)) {
        const yy_state_t *ss = ssv, *ssp = sspv;
        if (!accepts(ss, ssp, t.kind) && accepts(ss, ssp, first)) {
            static Tok pend;
            pend = t;
            pend.kind = rest;
            pend.span.lo += 1;
            pend.span.col += 1;
            P->pending = &pend;
            P->has_pending = true;
            t.kind = first;
            t.span.hi = t.span.lo + 1;
        }
    }
    P->ss = ssv;
    P->ssp = sspv;
    P->prev = P->cur;
    P->cur = t.span;
    P->cur_kind = t.kind;
    *lval = t.val;
    *lloc = t.span;
    return t.kind;
}

/* ---- syntax errors in rustc's words ------------------------------------------ */

static bool is_keyword_tok(int sym)
{
    return sym >= YYSYMBOL_AS && sym <= YYSYMBOL_MACRO_RULES && sym != YYSYMBOL_UNDERSCORE
           && sym != YYSYMBOL_RESERVED;
}

static bool is_operator_sym(int sym)
{
    switch (sym) {
    case YYSYMBOL_OROR: case YYSYMBOL_ANDAND: case YYSYMBOL_EQEQ: case YYSYMBOL_NE:
    case YYSYMBOL_LE: case YYSYMBOL_GE: case YYSYMBOL_SHL: case YYSYMBOL_SHR:
    case YYSYMBOL_PLUSEQ: case YYSYMBOL_MINUSEQ: case YYSYMBOL_STAREQ: case YYSYMBOL_SLASHEQ:
    case YYSYMBOL_PERCENTEQ: case YYSYMBOL_CARETEQ: case YYSYMBOL_ANDEQ: case YYSYMBOL_OREQ:
    case YYSYMBOL_SHLEQ: case YYSYMBOL_SHREQ: case YYSYMBOL_DOTDOT: case YYSYMBOL_DOTDOTEQ:
    case YYSYMBOL_AS:
        return true;
    default: {
        const char *n = yysymbol_name(sym);
        return n[0] == '\'' && n[2] == '\'' && strchr("+-*/%^&|<>=", n[1]);
    }
    }
}

/* `x` spelling of an expected symbol, or a description. */
static const char *sym_spelling(int sym)
{
    switch (sym) {
    case YYSYMBOL_IDENT: return "identifier";
    case YYSYMBOL_LIFETIME: return "lifetime";
    case YYSYMBOL_INT_LIT: case YYSYMBOL_FLOAT_LIT: case YYSYMBOL_CHAR_LIT:
    case YYSYMBOL_BYTE_LIT: case YYSYMBOL_STR_LIT: case YYSYMBOL_BYTE_STR_LIT:
        return "literal";
    case YYSYMBOL_TT_LPAREN: case YYSYMBOL_MATCHES_LP: return "`(`";
    case YYSYMBOL_TT_LBRACKET: return "`[`";
    case YYSYMBOL_TT_LBRACE: return "`{`";
    case YYSYMBOL_YYEOF: return "<eof>";
    default: break;
    }
    const char *n = yysymbol_name(sym);
    if (n[0] == '\'' && n[2] == '\'')
        return xprintf("`%c`", n[1]);
    return xprintf("`%s`", n);
}

/* rustc's "found ..." part for the offending token. */
static const char *found_desc(Parser *P, int sym)
{
    Span s = P->cur;
    const char *text = P->src + s.lo;
    int n = (int)(s.hi - s.lo);
    if (sym == YYSYMBOL_YYEOF)
        return "`<eof>`";
    if (sym == YYSYMBOL_RESERVED)
        return xprintf("reserved keyword `%.*s`", n, text);
    if (is_keyword_tok(sym))
        return xprintf("keyword `%.*s`", n, text);
    return xprintf("`%.*s`", n, text);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int yyreport_syntax_error(const yypcontext_t *ctx, yyscan_t scanner, Parser *P)
{
    (void)scanner;
    enum { MAXEXP = YYNTOKENS };
    yysymbol_kind_t exp[MAXEXP];
    int n = yypcontext_expected_tokens(ctx, exp, MAXEXP);
    if (n < 0)
        n = 0;
    int la = yypcontext_token(ctx);
    bool has[YYNTOKENS] = {0};
    for (int i = 0; i < n; i++)
        has[exp[i]] = true;
    const char *found = found_desc(P, la);

    Span at = *yypcontext_location(ctx);
    bool later_line = P->prev.hi > 0 && at.line > diag_span_at(P->prev.hi, P->prev.hi).line;
    /* an expression could continue: rustc folds the operators into "an
     * operator" and does not list `(` and `[` */
    bool any_op = has[YYSYMBOL_EQEQ] || has[YYSYMBOL_ANDAND] || has[YYTRANSLATE('/')];

    /* after an opening delimiter that caused the error, bison discards it:
     * skip its whole group as well */
    if (is_open_kind(P->cur_kind) && P->toks[P->last_index].kind == P->cur_kind)
        P->pos = P->closer[P->last_index] + 1;

    /* rustc: "expected `,` following `match` arm", just past the body */
    if (has[YYTRANSLATE(',')] && la != YYTRANSLATE(',')) {
        int seq[3] = {',', TK_UNDERSCORE, TK_FATARROW}; /* (`, _` alone may be an argument: `_ = x`) */
        if (accepts_seq(P->ss, P->ssp, seq, 3)) {
            Span end = diag_span_at(P->prev.hi, P->prev.hi);
            Diag *d = diag_error(NULL, end, "expected `,` following `match` arm");
            diag_primary_label(d, "expected `,` following `match` arm");
            return 0;
        }
    }
    if (la == YYSYMBOL_YYEOF || (later_line && (has[YYTRANSLATE(';')] || (has[YYTRANSLATE(',')] && !any_op)))) {
        /* rustc points just past the previous token when the next one is on
         * a later line (a forgotten `;` or `,`) or at the end of the file */
        at = diag_span_at(P->prev.hi, P->prev.hi);
        at.hi = at.lo;
    }

    const char *what = NULL;
    if (has[YYSYMBOL_DYN] && has[YYSYMBOL_IMPL])
        what = "type";
    else if (has[YYSYMBOL_REF] && has[YYSYMBOL_UNDERSCORE])
        what = "pattern";
    else if (has[YYSYMBOL_FN] && has[YYSYMBOL_STRUCT] && !has[YYSYMBOL_LET] && !has[YYSYMBOL_INT_LIT])
        what = "item";
    else if (has[YYSYMBOL_INT_LIT] && has[YYSYMBOL_IDENT] && has[YYTRANSLATE('(')] && !has[YYTRANSLATE(';')]
             && !has[YYSYMBOL_FATARROW])
        what = "expression";
    else if (n == 1 && exp[0] == YYSYMBOL_IDENT)
        what = "identifier";
    if (la == YYSYMBOL_RESERVED && has[YYSYMBOL_IDENT])
        what = "identifier";

    Diag *d;
    if (what) {
        d = diag_error(NULL, at, "expected %s, found %s", what, found);
        diag_primary_label(d, "expected %s", what);
    } else if (later_line && has[YYTRANSLATE(';')] && at.lo != P->cur.lo) {
        d = diag_error(NULL, at, "expected `;`, found %s", found);
        diag_primary_label(d, "expected `;`");
    } else {
        const char **names = malloc(sizeof(char *) * (size_t)(n + 1));
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (any_op && (is_operator_sym(exp[i]) || exp[i] == YYTRANSLATE('(')
                           || exp[i] == YYTRANSLATE('[')))
                continue;
            const char *sp = sym_spelling(exp[i]);
            bool dup = false;
            for (int j = 0; j < m; j++)
                dup |= !strcmp(names[j], sp);
            if (!dup)
                names[m++] = sp;
        }
        qsort(names, (size_t)m, sizeof *names, cmp_str);
        if (any_op)
            names[m++] = "an operator";
        StrBuf sb;
        sb_init(&sb);
        if (m == 0) {
            sb_printf(&sb, "unexpected token: %s", found);
        } else if (m == 1) {
            sb_printf(&sb, "expected %s, found %s", names[0], found);
        } else {
            sb_puts(&sb, "expected one of ");
            for (int i = 0; i < m; i++) {
                if (i)
                    sb_puts(&sb, m == 2 ? " " : ", ");
                if (i == m - 1)
                    sb_puts(&sb, "or ");
                sb_puts(&sb, names[i]);
            }
            sb_printf(&sb, ", found %s", found);
        }
        d = diag_error(NULL, at, "%s", sb.data);
        if (m == 1)
            diag_primary_label(d, "expected %s", names[0]);
        else if (m > 1)
            diag_primary_label(d, "expected one of %d possible tokens", m);
        sb_free(&sb);
        free(names);
    }
    if (at.lo != P->cur.lo)
        diag_label(d, P->cur, "unexpected token");
    return 0;
}

/* Only reached for "memory exhausted" (syntax errors go through
 * yyreport_syntax_error). */
static void yyerror(YYLTYPE *loc, yyscan_t scanner, Parser *P, const char *msg)
{
    (void)scanner;
    (void)P;
    diag_error(NULL, *loc, "%s", msg);
}

/* ---- entry point ------------------------------------------------------------- */

Crate *parse_crate(const char *src, size_t len)
{
    static Arena default_arena;
    if (!g_arena)
        g_arena = &default_arena;
    Parser P = {0};
    P.src = src;
    P.len = len;
    P.crate = NEW(Crate);

    yyscan_t sc = lex_open(src, len);
    lex_eof_span(sc, &P.eof);
    int cap = 256;
    P.toks = malloc(sizeof(Tok) * (size_t)cap);
    for (;;) {
        if (P.ntoks == cap) {
            cap *= 2;
            P.toks = realloc(P.toks, sizeof(Tok) * (size_t)cap);
        }
        Tok *t = &P.toks[P.ntoks++];
        memset(t, 0, sizeof *t);
        t->kind = lex_scan(&t->val, &t->span, sc);
        if (t->kind == TK_END) {
            t->span = P.eof;
            break;
        }
    }
    P.closer = calloc((size_t)P.ntoks, sizeof(int));
    if (check_delims(&P)) {
        contextual_tokens(&P);
        yyparse(sc, &P);
    }
    lex_close(sc);
    free(P.toks);
    free(P.closer);
    return P.crate;
}
