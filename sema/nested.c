/* nested.c — items declared inside fn bodies.
 *
 * requires: the parsed crate (items not yet collected).
 * produces: every fn, struct, enum, impl, trait, const, static and type alias declared in
 * a block, moved to the crate's item list (its statement becomes empty), with
 * `Item.nested_in` naming the fn it was declared in.
 *
 * An item cannot use the locals or generic parameters of the fn around it, so at the
 * crate level it means what it meant in the block, and the C shows it as what it is: a
 * file-scope struct or function. What the move loses is the block's scope: two fns may
 * each declare an item of the same name, which mrsc reports as not supported, and a
 * name used outside its block resolves where rustc would not find it. A local of the
 * enclosing fn used inside a nested fn is E0434 (report_unresolved asks
 * nested_local_named). `use` items stay where they are: resolve.c reads them in place.
 */
#include "check_int.h"

#include <string.h>

typedef struct Hoist {
    List *items;  /* the crate's items: hoisted ones are appended */
    Item *fn;     /* the fn whose body is walked */
} Hoist;

static void walk_block(Hoist *h, Block *b);

static void walk_expr(Hoist *h, Expr *e)
{
    if (!e)
        return;
    walk_expr(h, e->operand);
    walk_expr(h, e->lhs);
    walk_expr(h, e->rhs);
    walk_expr(h, e->cond);
    walk_expr(h, e->els);
    walk_expr(h, e->base);
    walk_expr(h, e->body);
    if (e->block)
        walk_block(h, e->block);
    for (int i = 0; i < e->args.len; i++)
        walk_expr(h, e->args.items[i]);
    for (int i = 0; i < e->fields.len; i++)
        walk_expr(h, ((FieldInit *)e->fields.items[i])->value);
    for (int i = 0; i < e->arms.len; i++) {
        MatchArm *a = e->arms.items[i];
        walk_expr(h, a->guard);
        walk_expr(h, a->body);
    }
    if (e->kind == EX_MACRO && e->mac) {
        for (int i = 0; i < e->mac->args.len; i++)
            walk_expr(h, e->mac->args.items[i]);
        walk_expr(h, e->mac->guard);
    }
}

static bool named_item(Item *it)
{
    return it->name && it->kind != IT_USE && it->kind != IT_IMPL && it->kind != IT_MOD &&
           it->kind != IT_EXTERN_CRATE && it->kind != IT_MACRO_RULES;
}

/* Another named item of the crate (or already hoisted) with the same name and namespace. */
static Item *same_name(List *items, Item *it)
{
    bool type_ns = it->kind == IT_STRUCT || it->kind == IT_ENUM || it->kind == IT_UNION ||
                   it->kind == IT_TRAIT || it->kind == IT_TYPE;
    for (int i = 0; i < items->len; i++) {
        Item *o = items->items[i];
        if (o == it || !named_item(o) || strcmp(o->name, it->name))
            continue;
        bool o_type = o->kind == IT_STRUCT || o->kind == IT_ENUM || o->kind == IT_UNION ||
                      o->kind == IT_TRAIT || o->kind == IT_TYPE;
        /* a tuple or unit struct names a value too */
        bool clash = o_type == type_ns || (o->kind == IT_STRUCT && o->struct_kind != SK_NAMED) ||
                     (it->kind == IT_STRUCT && it->struct_kind != SK_NAMED);
        if (clash)
            return o;
    }
    return NULL;
}

static void walk_block(Hoist *h, Block *b)
{
    if (!b)
        return;
    for (int i = 0; i < b->stmts.len; i++) {
        Stmt *st = b->stmts.items[i];
        switch (st->kind) {
        case ST_ITEM: {
            Item *it = st->item;
            if (it->kind == IT_USE)
                break;
            if (named_item(it) && same_name(h->items, it)) {
                unsupported(it->name_span.hi ? it->name_span : it->span,
                            "an item inside a fn body with the name of another item of the program");
                st->kind = ST_EMPTY;
                break;
            }
            it->nested_in = h->fn;
            list_push(h->items, it);
            st->kind = ST_EMPTY;
            break;
        }
        case ST_LET:
            walk_expr(h, st->init);
            walk_block(h, st->els);
            break;
        case ST_EXPR:
            walk_expr(h, st->expr);
            break;
        default:
            break;
        }
    }
    walk_expr(h, b->tail);
}

static void walk_fn(List *items, Item *fn)
{
    Hoist h = {.items = items, .fn = fn};
    walk_block(&h, fn->body);
}

void hoist_nested_items(List *items)
{
    /* the list grows while it is walked: hoisted fns and impls are walked in turn */
    for (int i = 0; i < items->len; i++) {
        Item *it = items->items[i];
        if (it->kind == IT_FN)
            walk_fn(items, it);
        else if (it->kind == IT_IMPL || it->kind == IT_TRAIT)
            for (int k = 0; k < it->items.len; k++) {
                Item *m = it->items.items[k];
                if (m->kind == IT_FN)
                    walk_fn(items, m);
            }
    }
}

/* Does pattern p bind `name`? */
static bool pat_binds(Pat *p, const char *name)
{
    if (!p)
        return false;
    if (p->kind == PAT_IDENT && !strcmp(p->name, name))
        return true;
    if (pat_binds(p->sub, name))
        return true;
    for (int i = 0; i < p->elems.len; i++)
        if (pat_binds(p->elems.items[i], name))
            return true;
    for (int i = 0; i < p->fields.len; i++)
        if (pat_binds(((FieldPat *)p->fields.items[i])->pat, name))
            return true;
    return false;
}

static bool block_binds(Block *b, const char *name);

static bool expr_binds(Expr *e, const char *name)
{
    if (!e)
        return false;
    if (pat_binds(e->pat, name))
        return true;
    if (expr_binds(e->operand, name) || expr_binds(e->lhs, name) || expr_binds(e->rhs, name) ||
        expr_binds(e->cond, name) || expr_binds(e->els, name) || expr_binds(e->body, name) ||
        (e->block && block_binds(e->block, name)))
        return true;
    for (int i = 0; i < e->args.len; i++)
        if (expr_binds(e->args.items[i], name))
            return true;
    for (int i = 0; i < e->arms.len; i++) {
        MatchArm *a = e->arms.items[i];
        if (pat_binds(a->pat, name) || expr_binds(a->body, name))
            return true;
    }
    return false;
}

static bool block_binds(Block *b, const char *name)
{
    for (int i = 0; b && i < b->stmts.len; i++) {
        Stmt *st = b->stmts.items[i];
        if (st->kind == ST_LET && (pat_binds(st->pat, name) || expr_binds(st->init, name)))
            return true;
        if (st->kind == ST_EXPR && expr_binds(st->expr, name))
            return true;
    }
    return b && expr_binds(b->tail, name);
}

/* For E0434: the fn `fn` was declared inside binds `name` as a local (or one around it). */
bool nested_local_named(Item *fn, const char *name)
{
    for (Item *out = fn ? fn->nested_in : NULL; out; out = out->nested_in) {
        for (int i = 0; out->sig && i < out->sig->params.len; i++)
            if (pat_binds(((Param *)out->sig->params.items[i])->pat, name))
                return true;
        if (block_binds(out->body, name))
            return true;
    }
    return false;
}
