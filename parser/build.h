/* build.h — the node builders of the grammar's actions (build.c); private
 * to parser/. */
#ifndef MRSC_PARSER_BUILD_H
#define MRSC_PARSER_BUILD_H

#include "parser/parser.h"

bool is_comparison(BinOp op);
Expr *mk_bin(BinOp op, Expr *l, Expr *r, Span opspan);
Expr *mk_unary(UnaryOp op, Expr *x, Span s);
Expr *mk_ref(bool is_mut, Expr *x, Span s);
Expr *mk_raw_ref(char *kw, Span kw_span, bool is_mut, Expr *x, Span s);
Expr *mk_cast(Expr *x, TypeExpr *t);
void fn_param_patterns(Item *fn);
Expr *mk_assign(ExprKind k, BinOp op, Expr *l, Expr *r, Span opspan);
Expr *mk_range(Expr *lo, Expr *hi, bool inclusive, Span s);
Expr *mk_jump(ExprKind k, char *label, Expr *value, Span s);
Expr *mk_closure(ClosureHead *h, TypeExpr *ret, Expr *body, Span s);
Expr *mk_async_block(Expr *body, bool is_move, Span s);
Expr *attach_postfix(Expr *recv, Expr *op);
Expr *block_expr(Block *b, Span s);
Expr *path_expr(Path *p);
bool ast_blocklike(const Expr *e);
Block *mk_block(List stmts, Expr *tail, Span s);
Stmt *expr_stmt(Expr *e, bool semi, Span s);
PathSeg *mk_seg(char *name, Span s);
Path *path1(PathSeg *seg, Span s);
void seg_args(PathSeg *seg, PathSeg *args);
void prepend(List *l, void *x);
void fn_sugar(Path *p, List inputs, TypeExpr *out, Span s);
Pat *ref_pat(Pat *sub, Span s);
char *path_last(Path *p);
Pat *pat_from_path(Path *p);
Pat *mk_binding(char *name, bool by_ref, bool is_mut, Pat *sub, Span s);
TypeExpr *type_path(Path *p);
Bound *mk_bound(Path *p, Span s);
Attr *mk_attr(Path *p, Span s);
Item *with_vis(Item *it, bool pub);
Item *with_attrs(Item *it, List attrs);
Generics *gen_where(Generics *g, List where);
Expr *mk_macro(Path *p, char delim, List args, Span s);
void item_macro_unsupported(Path *p, Span s);
bool is_expr_macro(const char *name);
Item *mk_fn(char *name, Span name_span, Generics *g, Generics *where, ParamList pl, TypeExpr *ret, Span s);

#endif
