/* uses.c — the classifier of uses: how an expression uses each operand.
 *
 * requires: a typed expression (receiver adjustments, the MethodRes and
 * its std row, closure kinds and the bounds of the fn's type parameters);
 * produces: the operands of the expression, in evaluation order, each with
 * the way the expression uses its value (UseMode). It is the one place that
 * knows that a call takes its arguments by value, that `&mut x` borrows x
 * uniquely, that a `&self` method auto-refs its receiver, that format
 * arguments are borrowed. Capture analysis (captures.c) and the move
 * checker (borrowck/moves.c) walk the tree through it; what each does with
 * a place, and how it goes into blocks, arms and loop bodies, is theirs. */
#include "sema.h"

#include <string.h>

static void add(List *out, Expr *e, UseMode mode, bool borrow)
{
    if (!e)
        return;
    Operand *o = NEW(Operand);
    o->e = e;
    o->mode = mode;
    o->borrow = borrow;
    o->at = e->span;
    list_push(out, o);
}

static void add_all(List *out, List *es, UseMode mode)
{
    for (int i = 0; i < es->len; i++)
        add(out, es->items[i], mode, false);
}

typedef struct CopyCtx {
    FnDef *fn;
} CopyCtx;

static bool binds_by_move(Pat *p, void *ctx)
{
    return p->local && !p->bind_ref && !p->def && !sema_is_copy(((CopyCtx *)ctx)->fn, p->local->type);
}

bool sema_pat_moves(FnDef *fn, Pat *p)
{
    CopyCtx c = {fn};
    return p && ast_pat_any_ident(p, binds_by_move, &c);
}

/* Calling a callable of type t: an FnOnce is consumed, an FnMut borrowed
 * uniquely, anything else (an Fn, a fn pointer, a reference) read. */
UseMode sema_call_use(FnDef *fn, Type *t)
{
    if (!t || t->kind == TY_REF)
        return USE_READ; /* through a reference: the reference is what is used */
    if (t->kind == TY_CLOSURE)
        return t->clo->kind == FN_ONCE ? USE_MOVE : t->clo->kind == FN_MUT ? USE_MUT : USE_READ;
    if (ty_is_std(t, STD_BOX) && t->args[0]->kind == TY_DYN && t->args[0]->trait->fn_kind == FN_ONCE)
        return USE_MOVE; /* Box<dyn FnOnce()>: the call takes the box */
    if (t->kind == TY_PARAM && fn && fn->tparam_bounds && t->param_index < fn->ntparams) {
        List *b = &fn->tparam_bounds[t->param_index];
        for (int i = 0; i < b->len; i++) {
            TraitDef *tr = b->items[i];
            if (tr->fn_kind)
                return tr->fn_kind == FN_ONCE ? USE_MOVE : tr->fn_kind == FN_MUT ? USE_MUT : USE_READ;
        }
    }
    return USE_READ;
}

/* A method call's receiver: by the auto-ref sema chose (`&mut self`,
 * `&self`) or by value; a std method's row says how it takes `self`. */
static UseMode receiver_use(Expr *e)
{
    MethodRes *mr = e->sema;
    Adjust *a = e->operand->adjust;
    if (mr && mr->bm) {
        const StdMethod *sm = std_method(mr->bm);
        if (sm && sm->sig && sm->recv != RECV_VALUE)
            return sm->recv == RECV_REF_MUT ? USE_MUT : USE_READ;
    }
    if (mr && mr->dynamic && mr->fn) /* through a vtable: the receiver is the object the pointer points to */
        return mr->fn->self_kind == SELF_REF_MUT ? USE_MUT : mr->fn->self_kind == SELF_REF ? USE_READ : USE_MOVE;
    if (a && a->autoref == 2)
        return USE_MUT;
    if (a && a->autoref == 1)
        return USE_READ;
    Type *t = e->operand->ty;
    if (t && t->kind == TY_REF && !(a && a->derefs)) /* a method on `&T` itself: the reference is reborrowed */
        return t->is_mut ? USE_MUT : USE_READ;
    return USE_MOVE;
}

static void macro_operands(Expr *e, List *out)
{
    MacroCall *m = e->mac;
    if (!strcmp(m->name, "write") || !strcmp(m->name, "writeln")) {
        add_all(out, &m->args, USE_READ);
        return;
    }
    bool is_vec = !strcmp(m->name, "vec");
    for (int i = 0; i < m->args.len; i++) {
        Expr *a = m->args.items[i];
        /* a format argument is borrowed; `name = value` names the value */
        add(out, a->kind == EX_ASSIGN && !is_vec ? a->rhs : a, is_vec ? USE_MOVE : USE_READ, !is_vec);
    }
    add(out, m->guard, USE_READ, false);
    if (e->sema && !is_vec && strcmp(m->name, "matches")) {
        FmtCall *fc = e->sema; /* the arguments named inside the string: `{x}` */
        for (int i = fc->nexplicit; i < fc->args.len; i++)
            add(out, fc->args.items[i], USE_READ, true);
    }
}

void sema_operands(FnDef *fn, Expr *e, UseMode own, List *out)
{
    *out = (List){0};
    if (!e)
        return;
    switch (e->kind) {
    case EX_PAREN:
        add(out, e->operand, own, false);
        return;
    case EX_FIELD:
    case EX_TUPLE_FIELD: /* of a value that is not a place: the value is read, or mutated in place */
        add(out, e->operand, own == USE_MOVE ? USE_READ : own == USE_ASSIGN ? USE_MUT : own, false);
        return;
    case EX_UNARY:
        if (e->unop == UN_DEREF) {
            Type *ot = e->operand->ty;
            bool out_of_box = own == USE_MOVE && ot && ty_is_std(ot, STD_BOX) && !sema_is_copy(fn, e->ty);
            add(out, e->operand, out_of_box ? USE_MOVE : own == USE_MUT || own == USE_ASSIGN ? USE_MUT : USE_READ,
                false);
            return;
        }
        add(out, e->operand, e->sema ? USE_MOVE : USE_READ, false); /* impl Neg / Not takes it by value */
        return;
    case EX_REF:
        add(out, e->operand, e->is_mut ? USE_MUT : USE_READ, true);
        if (out->len)
            ((Operand *)out->items[out->len - 1])->at = e->span; /* (rustc: the borrow, `&x`) */
        return;
    case EX_CAST: /* (of a Copy value: a copy) */
    case EX_AWAIT:
    case EX_TRY:
    case EX_BREAK:
    case EX_RETURN:
        add(out, e->operand, USE_MOVE, false);
        return;
    case EX_INDEX:
        add(out, e->lhs, own == USE_MUT || own == USE_ASSIGN ? USE_MUT : USE_READ, false);
        add(out, e->rhs, USE_MOVE, false); /* the index, by value (a Copy usize or range) */
        return;
    case EX_ASSIGN:
        if (ast_is_underscore(e->lhs)) {
            add(out, e->rhs, USE_READ, false); /* `_ = x;` binds nothing: a place is not moved */
            return;
        }
        add(out, e->rhs, USE_MOVE, false);
        add(out, e->lhs, USE_ASSIGN, false);
        return;
    case EX_ASSIGN_OP:
        add(out, e->lhs, USE_MUT, false);
        add(out, e->rhs, USE_MOVE, false); /* `AddAssign::add_assign` takes it by value */
        return;
    case EX_BINARY: {
        /* an operator impl takes both by value; String + &str consumes the String */
        bool consume = e->sema || (e->binop == BIN_ADD && e->ty && ty_is_std(e->ty, STD_STRING));
        add(out, e->lhs, consume ? USE_MOVE : USE_READ, false);
        add(out, e->rhs, e->sema ? USE_MOVE : USE_READ, false);
        return;
    }
    case EX_METHOD: {
        UseMode r = receiver_use(e);
        add(out, e->operand, r, r != USE_MOVE || (e->operand->adjust && e->operand->adjust->derefs));
        ((Operand *)out->items[0])->derefs = e->operand->adjust ? e->operand->adjust->derefs : 0;
        add_all(out, &e->args, USE_MOVE);
        return;
    }
    case EX_CALL:
        add(out, e->operand, sema_call_use(fn, e->operand->ty), false);
        add_all(out, &e->args, USE_MOVE);
        return;
    case EX_MACRO:
        macro_operands(e, out);
        return;
    case EX_TUPLE:
    case EX_ARRAY:
        add_all(out, &e->args, USE_MOVE);
        return;
    case EX_ARRAY_REPEAT:
        add(out, e->lhs, USE_MOVE, false);
        add(out, e->rhs, USE_READ, false);
        return;
    case EX_STRUCT:
        for (int i = 0; i < e->fields.len; i++)
            add(out, ((FieldInit *)e->fields.items[i])->value, USE_MOVE, false);
        add(out, e->base, USE_MOVE, false); /* `..base`: the fields it supplies */
        return;
    case EX_RANGE:
        add(out, e->lhs, USE_MOVE, false);
        add(out, e->rhs, USE_MOVE, false);
        return;
    case EX_LET:
        add(out, e->rhs, sema_pat_moves(fn, e->pat) ? USE_MOVE : USE_READ, false);
        return;
    case EX_MATCH: {
        bool mv = false;
        for (int i = 0; i < e->arms.len; i++)
            mv |= sema_pat_moves(fn, ((MatchArm *)e->arms.items[i])->pat);
        add(out, e->operand, mv ? USE_MOVE : USE_READ, false);
        return;
    }
    case EX_IF:
    case EX_WHILE: /* the condition; an `if let`'s is an EX_LET, whose operand is the scrutinee */
        add(out, e->cond, USE_READ, false);
        return;
    case EX_FOR:
        add(out, e->operand, USE_MOVE, false);
        return;
    default: /* literals, paths, blocks, loops, closures: no operands of their own */
        return;
    }
}
