/* citer.c — iterators as values: each adaptor a C struct with a next function.
 *
 * requires: TY_ITER types whose args say what an adaptor adapts (sema/stdlib.c:
 * args[1] the inner iterator, args[2] the closure or the other iterator);
 * produces: for a chain held in a variable, passed to a generic fn or returned
 * as `impl Iterator`: one struct per adaptor type, named after the adaptor
 * (`Map_12`, `Filter_14`), holding its inner iterator and its own state;
 * `NAME_next(NAME *self)` (and `NAME_next_back` for `rev`) giving an
 * Option of the item, written with the same statements (iter.c) as the loops
 * that consume a chain on the spot; its drop glue; and the IterGen that drives
 * a value where it lies (ig_place). */
#include "cg_int.h"

static const struct {
    int kind;
    const char *name;
} adaptors[] = {
    {ITER_ENUMERATE, "Enumerate"}, {ITER_REV, "Rev"}, {ITER_MAP, "Map"}, {ITER_FILTER, "Filter"},
    {ITER_COPIED, "Copied"}, {ITER_CLONED, "Cloned"}, {ITER_SKIP, "Skip"}, {ITER_TAKE, "Take"},
    {ITER_STEP_BY, "StepBy"}, {ITER_ZIP, "Zip"}, {ITER_CHAIN, "Chain"}, {ITER_TAKE_WHILE, "TakeWhile"},
    {ITER_SKIP_WHILE, "SkipWhile"}, {ITER_FILTER_MAP, "FilterMap"}, {ITER_INSPECT, "Inspect"},
    {ITER_PEEKABLE, "Peekable"}, {ITER_SCAN, "Scan"}, {ITER_FLAT_MAP, "FlatMap"}, {ITER_FLATTEN, "Flatten"},
    {ITER_CYCLE, "Cycle"},
};

static const char *adaptor_name(Type *t)
{
    if (t->kind != TY_ITER)
        return NULL;
    for (size_t i = 0; i < sizeof adaptors / sizeof adaptors[0]; i++)
        if (adaptors[i].kind == t->iter_kind)
            return adaptors[i].name;
    return NULL;
}

bool iter_is_adaptor(Type *t) { return t->kind == TY_ITER && iter_kind_adapts(t->iter_kind); }

/* std::iter's repeat, once, from_fn, successors: a struct of mrsc's with a next of its own. */
bool iter_is_source(Type *t)
{
    return t->kind == TY_ITER && t->iter_kind >= ITER_REPEAT && t->iter_kind <= ITER_SUCCESSORS;
}

/* Is t an iterator whose C type is the runtime's (MrsChars, MrsSplit ...)? */
bool iter_in_runtime(Type *t)
{
    if (t->kind != TY_ITER)
        return false;
    switch (t->iter_kind) {
    case ITER_CHARS: case ITER_CHAR_INDICES: case ITER_SPLIT: case ITER_SPLIT_WS: case ITER_LINES:
    case ITER_RECV: case ITER_TRY_RECV: case ITER_TO_UPPER: case ITER_TO_LOWER:
        return true;
    default:
        return false;
    }
}

static bool is_map_iter(Type *t)
{
    return t->kind == TY_ITER && t->iter_kind >= ITER_MAP_ITER && t->iter_kind <= ITER_SET_INTO;
}

/* The map (or set) a map iterator walks. */
static Type *map_of(Type *t) { return t->args[1]; }

/* The C name of an iterator type mrsc lays out itself. */
const char *iter_c_name(Type *t)
{
    const char *a = adaptor_name(t);
    if (a)
        return xprintf("%s_%d", a, t->id);
    switch (t->iter_kind) {
    case ITER_SLICE: return xprintf("Iter_%s", mangle(t->args[0]->args[0]));
    case ITER_SLICE_MUT: return xprintf("IterMut_%s", mangle(t->args[0]->args[0]));
    case ITER_VEC_INTO: return xprintf("IntoIter_%s", mangle(t->args[0]));
    case ITER_BYTES: return "Bytes";
    case ITER_WINDOWS: return xprintf("Windows_%s", mangle(t->args[0]->args[0]->args[0]));
    case ITER_CHUNKS: return xprintf("Chunks_%s", mangle(t->args[0]->args[0]->args[0]));
    case ITER_MAP_ITER: return xprintf("%s_iter", mangle(map_of(t)));
    case ITER_MAP_ITER_MUT: return xprintf("%s_iter_mut", mangle(map_of(t)));
    case ITER_MAP_KEYS: return xprintf("%s_keys", mangle(map_of(t)));
    case ITER_MAP_VALUES: return xprintf("%s_values", mangle(map_of(t)));
    case ITER_MAP_VALUES_MUT: return xprintf("%s_values_mut", mangle(map_of(t)));
    case ITER_MAP_INTO: case ITER_SET_INTO: return xprintf("%s_into_iter", mangle(map_of(t)));
    case ITER_REPEAT: return xprintf("Repeat_%s", mangle(t->args[0]));
    case ITER_ONCE: return xprintf("Once_%s", mangle(t->args[0]));
    case ITER_FROM_FN: return xprintf("FromFn_%d", t->id);
    case ITER_SUCCESSORS: return xprintf("Successors_%d", t->id);
    default: return xprintf("Iter%d_%s", t->iter_kind, mangle(t->args[0]));
    }
}

/* The iterator a value of type t gives when iterated (IntoIterator::IntoIter), or NULL
 * when mrsc cannot hold it in a variable: an iterator itself, a borrowed buffer, a Vec. */
static bool is_option(Type *t) { return t->kind == TY_ADT && t->adt == cg->prog->option; }

Type *iter_value_type(Type *t)
{
    if (t->kind == TY_REF && t->is_mut && (t->args[0]->kind == TY_ITER || t->args[0]->kind == TY_RANGE))
        return t; /* by_ref: the iterator is driven through the pointer */
    if (t->kind == TY_ITER || t->kind == TY_RANGE || (t->kind == TY_ADT && user_next(t)))
        return t;
    if (t->kind == TY_REF) {
        Type *in = t->args[0];
        if (in->kind == TY_SLICE || in->kind == TY_ARRAY || ty_is_vec_like(in))
            return ty_iter(t->is_mut ? ITER_SLICE_MUT : ITER_SLICE, ty_ref(in->args[0], t->is_mut), NULL);
        if (is_option(in)) /* option::Iter: a reference to the value, if any, once */
            return ty_iter(ITER_ONCE, ty_ref(in->args[0], t->is_mut), NULL);
        return NULL;
    }
    if (ty_is_vec_like(t))
        return ty_iter(ITER_VEC_INTO, t->args[0], ty_vec(t->args[0]));
    if (is_option(t) || (t->kind == TY_ADT && t->adt == cg->prog->result)) /* option::IntoIter, result::IntoIter: the (Ok) value, if any, once */
        return ty_iter(ITER_ONCE, t->args[0], NULL);
    return NULL;
}

/* The value v of type t as the iterator iter_value_type(t) names. */
char *iter_value_of(Type *t, const char *v, Span at)
{
    Type *it = iter_value_type(t);
    if (!it) {
        not_supported(at, xprintf("holding an iterator over `%s` in a variable", ty_str(t)));
        return dummy(t);
    }
    if (it == t)
        return (char *)v;
    need_type(it);
    if (it->kind == TY_ITER && it->iter_kind == ITER_ONCE) { /* an Option, or a reference to one; a Result */
        if (t->kind == TY_ADT && t->adt == cg->prog->result) { /* the Ok value; an Err's is dropped */
            Type *vt = it->args[0];
            Type *ot = ty_adt(cg->prog->option, &vt, 1);
            need_type(ot);
            char *r = is_ident_text(v) ? (char *)v : hoist(t, v, "res");
            if (has_drop(t->args[1])) {
                emit("if (%s.tag == %s_Err)", r, mangle(t));
                cg->indent++;
                emit_drop_place(t->args[1], xprintf("%s.Err._0", r));
                cg->indent--;
            }
            return xprintf("(%s){%s.tag == %s_Ok ? %s : %s}", ctype(it), r, mangle(t), some(ot, xprintf("%s.Ok._0", r)),
                           none(ot));
        }
        if (t->kind != TY_REF)
            return xprintf("(%s){%s}", ctype(it), v);
        Type *ot = t->args[0], *rt = it->args[0];
        Type *rot = ty_adt(cg->prog->option, &rt, 1);
        need_type(rot);
        const char *p = deref_text(is_ident_text(v) ? v : hoist(t, v, "opt"));
        return xprintf("(%s){%s.tag != %s_None ? %s : %s}", ctype(it), p, mangle(ot),
                       some(rot, xprintf("&%s.Some._0", p)), none(rot));
    }
    if (t->kind == TY_REF) {
        Type *in = t->args[0];
        char *p = is_fat_ref(t) ? (is_ident_text(v) ? (char *)v : hoist(t, v, "s")) : deref_text(v);
        Type *bt = is_fat_ref(t) ? t : in;
        return xprintf("(%s){%s, %s}", ctype(it), slice_ptr(bt, p), slice_end(bt, p));
    }
    if (ty_is_std(t, STD_VECDEQUE)) {
        v = deque_as_vec(t, v);
        t = ty_vec(t->args[0]);
    }
    char *vec = hoist(t, v, "vec");
    return xprintf("(%s){%s, 0, %s.len}", ctype(it), vec, vec);
}

/* ---- layout ------------------------------------------------------------------- */

/* The adaptor call whose value is being built, for its struct's comment. */
static Expr *building;

/* e's source on one line, at most 100 chars, safe inside a C comment. */
static char *source_line(Expr *e)
{
    const char *src = diag_source_text(e->span);
    StrBuf sb;
    sb_init(&sb);
    bool space = false;
    for (const char *p = src; p && *p && sb.len < 100; p++) {
        if (isspace((unsigned char)*p)) {
            space = sb.len > 0;
            continue;
        }
        if (space)
            sb_putc(&sb, ' ');
        space = false;
        if (*p == '/' && (p[1] == '*' || (p > src && p[-1] == '*')))
            sb_putc(&sb, ' ');
        sb_putc(&sb, *p);
    }
    if (src && sb.len >= 100)
        sb_puts(&sb, " ...");
    char *r = xstrdup(sb.data ? sb.data : "");
    sb_free(&sb);
    return r;
}

/* The struct of iterator type t named name, into sb. */
void iter_struct(StrBuf *sb, Type *t, const char *name)
{
    const char *a = adaptor_name(t);
    if (!a) {
        switch (t->iter_kind) {
        case ITER_SLICE:
        case ITER_SLICE_MUT: { /* the elements not yet given, from ptr up to end */
            Type *el = t->args[0]->args[0];
            need_type(el);
            bool m = t->iter_kind == ITER_SLICE_MUT;
            sb_printf(sb, "/* %s */\ntypedef struct %s {\n    %s%s;\n    %s%s;\n} %s;\n\n", ty_str(t), name,
                      m ? "" : "const ", decl(el, "*ptr"), m ? "" : "const ", decl(el, "*end"), name);
            return;
        }
        case ITER_BYTES:
            sb_printf(sb, "/* std::str::Bytes */\ntypedef struct %s {\n    const uint8_t *ptr;\n    const uint8_t *end;\n} %s;\n\n",
                      name, name);
            return;
        case ITER_WINDOWS:
        case ITER_CHUNKS: { /* the part of the slice still to give, and the size of each piece */
            Type *el = t->args[0]->args[0]->args[0];
            need_type(el);
            need_type(t->args[0]);
            sb_printf(sb, "/* %s */\ntypedef struct %s {\n    const %s;\n    size_t len;\n    size_t size;\n} %s;\n\n",
                      ty_str(t), name, decl(el, "*ptr"), name);
            return;
        }
        case ITER_REPEAT: /* the value each item is a clone of */
        case ITER_ONCE:   /* the value, until it is given */
        case ITER_FROM_FN: /* the closure whose Some values are the items */
        case ITER_SUCCESSORS: { /* the next item (None: the end), and the closure that makes the one after */
            Type *el = t->args[0];
            need_type(el);
            Type *ot = ty_adt(cg->prog->option, &el, 1);
            need_type(ot);
            if (t->nargs > 2)
                need_type(t->args[2]);
            sb_printf(sb, "/* %s */\ntypedef struct %s {\n", ty_str(t), name);
            if (t->iter_kind == ITER_REPEAT)
                sb_printf(sb, "    %s;\n", decl(el, "value"));
            else if (t->iter_kind == ITER_ONCE)
                sb_printf(sb, "    %s; /* Some until given */\n", decl(ot, "value"));
            else if (t->iter_kind == ITER_SUCCESSORS)
                sb_printf(sb, "    %s;\n    %s;\n", decl(ot, "next"), decl(t->args[2], "f"));
            else
                sb_printf(sb, "    %s;\n", decl(t->args[2], "f"));
            sb_printf(sb, "} %s;\n\n", name);
            return;
        }
        case ITER_VEC_INTO: /* the Vec, and the part of it not yet given out */
            need_type(t->args[1]);
            sb_printf(sb, "/* std::vec::IntoIter<%s>: the Vec's elements front..back are still owned */\n"
                          "typedef struct %s {\n    %s;\n    size_t front;\n    size_t back;\n} %s;\n\n",
                      ty_str(t->args[0]), name, decl(t->args[1], "vec"), name);
            return;
        default:
            if (is_map_iter(t)) {
                Type *m = map_of(t);
                need_type(m);
                bool owned = t->iter_kind == ITER_MAP_INTO || t->iter_kind == ITER_SET_INTO;
                if (owned)
                    sb_printf(sb, "/* %s: the map, and its entries front..back still owned */\n"
                                  "typedef struct %s {\n    %s;\n    size_t front;\n    size_t back;\n} %s;\n\n",
                              ty_str(t), name, decl(m, "map"), name);
                else
                    sb_printf(sb, "/* %s: the map's entries front..back */\n"
                                  "typedef struct %s {\n    %s *entries;\n    size_t front;\n    size_t back;\n} %s;\n\n",
                              ty_str(t), name, map_entry_c(m), name);
                return;
            }
            ICE("iter_struct: %s", ty_str(t));
        }
    }
    Type *inner = t->args[1];
    need_type(inner);
    StrBuf f;
    sb_init(&f);
    sb_printf(&f, "    %s; /* the iterator it adapts */\n", decl(inner, "inner"));
    switch (t->iter_kind) {
    case ITER_MAP: case ITER_FILTER: case ITER_FILTER_MAP: case ITER_INSPECT:
    case ITER_TAKE_WHILE: case ITER_SKIP_WHILE:
        need_type(t->args[2]);
        sb_printf(&f, "    %s;\n", decl(t->args[2], "f"));
        if (t->iter_kind == ITER_TAKE_WHILE || t->iter_kind == ITER_SKIP_WHILE)
            sb_printf(&f, "    bool done; /* %s */\n",
                      t->iter_kind == ITER_TAKE_WHILE ? "the predicate failed: no more items" : "past the skipped prefix");
        break;
    case ITER_SKIP: case ITER_TAKE:
        sb_printf(&f, "    size_t n;\n    size_t count; /* the items %s so far */\n", t->iter_kind == ITER_SKIP ? "skipped" : "taken");
        break;
    case ITER_STEP_BY:
        sb_printf(&f, "    size_t step;\n    bool started; /* the first item is given */\n");
        break;
    case ITER_ENUMERATE:
        sb_printf(&f, "    size_t count;\n");
        break;
    case ITER_CYCLE:
        sb_printf(&f, "    %s; /* a copy of it as it started: what it starts again from */\n", decl(inner, "orig"));
        break;
    case ITER_PEEKABLE: {
        Type *ot = ty_adt(cg->prog->option, &t->args[0], 1);
        need_type(ot);
        sb_printf(&f, "    bool peeked;\n    %s; /* when peeked: the inner iterator's next */\n", decl(ot, "slot"));
        break;
    }
    case ITER_SCAN:
        need_type(t->args[2]);
        need_type(t->args[3]);
        sb_printf(&f, "    %s;\n    %s;\n", decl(t->args[3], "state"), decl(t->args[2], "f"));
        break;
    case ITER_FLAT_MAP:
    case ITER_FLATTEN: {
        Type *r = t->args[t->iter_kind == ITER_FLAT_MAP ? 3 : 2];
        Type *front = iter_value_type(r);
        if (t->iter_kind == ITER_FLAT_MAP) {
            need_type(t->args[2]);
            sb_printf(&f, "    %s;\n", decl(t->args[2], "f"));
        }
        if (front) {
            need_type(front);
            sb_printf(&f, "    bool has_front;\n    %s; /* the iterator of the item being flattened */\n", decl(front, "front"));
        }
        break;
    }
    case ITER_ZIP:
    case ITER_CHAIN: {
        Type *o = iter_value_type(t->args[2]);
        need_type(o);
        sb_printf(&f, "    %s; /* the other iterator */\n", decl(o, "other"));
        if (t->iter_kind == ITER_CHAIN)
            sb_printf(&f, "    bool first_done;\n");
        break;
    }
    default:
        break;
    }
    Expr *origin = building && building->ty == t ? building : iter_origin(t);
    if (origin)
        sb_printf(sb, "/* `%s`:\n * %s */\n", source_line(origin), ty_str(t));
    else
        sb_printf(sb, "/* %s */\n", ty_str(t));
    sb_printf(sb, "typedef struct %s {\n%s} %s;\n\n", name, f.data, name);
    sb_free(&f);
}

/* drop_T's body for an iterator type (v points at the value). */
void iter_drop_body(Type *t)
{
    if (iter_is_source(t)) {
        Type *el = t->args[0];
        Type *ot = ty_adt(cg->prog->option, &el, 1);
        if (t->iter_kind == ITER_REPEAT)
            emit_drop_place(el, "v->value");
        else if (t->iter_kind == ITER_ONCE)
            emit_drop_place(ot, "v->value");
        if (t->iter_kind == ITER_SUCCESSORS)
            emit_drop_place(ot, "v->next");
        if (t->nargs > 2)
            emit_drop_place(t->args[2], "v->f");
        return;
    }
    if (t->iter_kind == ITER_VEC_INTO) {
        if (has_drop(t->args[0])) {
            emit("while (v->front < v->back)");
            emit_drop_place(t->args[0], "    v->vec.ptr[v->front++]");
        }
        emit("mrs_vec_free(v->vec.ptr);");
        return;
    }
    if (t->iter_kind == ITER_MAP_INTO || t->iter_kind == ITER_SET_INTO) {
        Type *m = map_of(t);
        if (has_drop(m->args[0]) || (m->nargs > 1 && has_drop(m->args[1]))) {
            emit("for (; v->front < v->back; v->front++) {");
            cg->indent++;
            emit_drop_place(m->args[0], "v->map.entries[v->front].key");
            if (m->nargs > 1)
                emit_drop_place(m->args[1], "v->map.entries[v->front].value");
            cg->indent--;
            emit("}");
        }
        emit("mrs_vec_free(v->map.entries);");
        emit("mrs_map_index_free(&v->map.index);");
        return;
    }
    emit_drop_place(t->args[1], "v->inner");
    if (t->iter_kind == ITER_CYCLE) {
        emit_drop_place(t->args[1], "v->orig");
        return;
    }
    if (t->iter_kind == ITER_PEEKABLE || t->iter_kind == ITER_SCAN || t->iter_kind == ITER_FLAT_MAP ||
        t->iter_kind == ITER_FLATTEN) {
        if (t->iter_kind == ITER_PEEKABLE) {
            Type *ot = ty_adt(cg->prog->option, &t->args[0], 1);
            if (has_drop(ot)) {
                emit("if (v->peeked)");
                emit_drop_place(ot, "    v->slot");
            }
        }
        if (t->iter_kind == ITER_SCAN) {
            emit_drop_place(t->args[3], "v->state");
            emit_drop_place(t->args[2], "v->f");
        }
        if (t->iter_kind == ITER_FLAT_MAP)
            emit_drop_place(t->args[2], "v->f");
        if (t->iter_kind == ITER_FLAT_MAP || t->iter_kind == ITER_FLATTEN) {
            Type *front = iter_value_type(t->args[t->iter_kind == ITER_FLAT_MAP ? 3 : 2]);
            if (front && has_drop(front)) {
                emit("if (v->has_front)");
                emit_drop_place(front, "    v->front");
            }
        }
        return;
    }
    if (t->nargs > 2) {
        bool other = t->iter_kind == ITER_ZIP || t->iter_kind == ITER_CHAIN;
        Type *o = other ? iter_value_type(t->args[2]) : t->args[2];
        emit_drop_place(o, other ? "v->other" : "v->f");
    }
}

/* ---- driving a value -------------------------------------------------------------- */

/* The adaptor of type t whose state is at place p, its inner iterator driven in place. */
static IterGen *ig_struct(Type *t, const char *p, bool rev)
{
    static const struct { int it; IgKind ig; } kinds[] = {
        {ITER_ENUMERATE, IG_ENUMERATE}, {ITER_MAP, IG_MAP}, {ITER_FILTER, IG_FILTER}, {ITER_COPIED, IG_COPIED},
        {ITER_CLONED, IG_COPIED}, {ITER_SKIP, IG_SKIP}, {ITER_TAKE, IG_TAKE}, {ITER_STEP_BY, IG_STEP_BY},
        {ITER_ZIP, IG_ZIP}, {ITER_CHAIN, IG_CHAIN}, {ITER_TAKE_WHILE, IG_TAKE_WHILE},
        {ITER_SKIP_WHILE, IG_SKIP_WHILE}, {ITER_FILTER_MAP, IG_FILTER_MAP}, {ITER_INSPECT, IG_INSPECT},
        {ITER_PEEKABLE, IG_PEEKABLE}, {ITER_SCAN, IG_SCAN}, {ITER_FLAT_MAP, IG_FLATTEN}, {ITER_FLATTEN, IG_FLATTEN},
        {ITER_CYCLE, IG_CYCLE},
    };
    if (t->iter_kind == ITER_REV)
        return ig_place(t->args[1], member(p, "inner"), !rev);
    size_t i = 0;
    while (kinds[i].it != t->iter_kind)
        i++;
    IterGen *g = ig_new(kinds[i].ig, t->args[0], rev);
    g->clone = t->iter_kind == ITER_CLONED;
    g->inner = ig_place(t->args[1], member(p, "inner"), rev);
    switch (t->iter_kind) {
    case ITER_MAP: case ITER_FILTER: case ITER_FILTER_MAP: case ITER_INSPECT:
    case ITER_TAKE_WHILE: case ITER_SKIP_WHILE:
        g->fty = t->args[2];
        g->fn = member(p, "f");
        g->flag = member(p, "done");
        break;
    case ITER_SKIP: case ITER_TAKE:
        g->limit = member(p, "n");
        g->count = member(p, "count");
        break;
    case ITER_STEP_BY:
        g->limit = member(p, "step");
        g->flag = member(p, "started");
        break;
    case ITER_ENUMERATE:
        g->count = member(p, "count");
        break;
    case ITER_CYCLE:
        g->end = member(p, "inner");
        g->cur = member(p, "orig");
        g->vty = t->args[1];
        break;
    case ITER_ZIP: case ITER_CHAIN:
        g->inner2 = ig_place(iter_value_type(t->args[2]), member(p, "other"), rev);
        g->flag = member(p, "first_done");
        break;
    case ITER_PEEKABLE:
        g->flag = member(p, "peeked");
        g->cur = member(p, "slot");
        break;
    case ITER_SCAN:
        g->fty = t->args[2];
        g->fn = member(p, "f");
        g->cur = member(p, "state");
        break;
    case ITER_FLAT_MAP:
    case ITER_FLATTEN: {
        bool fm = t->iter_kind == ITER_FLAT_MAP;
        if (fm) {
            g->fty = t->args[2];
            g->fn = member(p, "f");
        }
        g->elem = t->args[fm ? 3 : 2]; /* what each inner item is turned into an iterator from */
        g->vty = iter_value_type(g->elem);
        g->flag = member(p, "has_front");
        g->cur = member(p, "front");
        if (!g->vty)
            not_supported(cg->fn ? cg->fn->item->span : (Span){0}, xprintf("flattening `%s`", ty_str(g->elem)));
        else
            g->inner2 = ig_place(g->vty, g->cur, false);
        break;
    }
    default:
        break;
    }
    return g;
}

/* How many items the iterator of type t at place p has left, as a C expression (read
 * each time it is evaluated); NULL when that is not known without iterating. */
static char *place_len(Type *t, const char *p)
{
    if (t->kind == TY_REF)
        return place_len(t->args[0], deref_text(p));
    if (t->kind == TY_RANGE) {
        TypeKind k = t->args[0]->kind;
        if (t->len || k > TY_USIZE)
            return NULL;
        char *s = member(p, "start"), *e = member(p, "end");
        if (t->inclusive)
            return xprintf("(%s || %s > %s ? (size_t)0 : (size_t)%s - (size_t)%s + 1)", member(p, "exhausted"), s, e, e, s);
        return xprintf("(%s > %s ? (size_t)%s - (size_t)%s : (size_t)0)", e, s, e, s);
    }
    if (t->kind != TY_ITER)
        return NULL;
    switch (t->iter_kind) {
    case ITER_SLICE: case ITER_SLICE_MUT: case ITER_BYTES:
        return xprintf("(size_t)(%s - %s)", member(p, "end"), member(p, "ptr"));
    case ITER_VEC_INTO:
        return xprintf("(%s - %s)", member(p, "back"), member(p, "front"));
    case ITER_MAP: case ITER_COPIED: case ITER_CLONED: case ITER_INSPECT: case ITER_ENUMERATE: case ITER_REV:
        return place_len(t->args[1], member(p, "inner"));
    case ITER_SKIP: case ITER_TAKE: {
        char *in = place_len(t->args[1], member(p, "inner"));
        if (!in)
            return NULL;
        char *n = member(p, "n"), *c = member(p, "count");
        char *rest = xprintf("(%s < %s ? %s - %s : (size_t)0)", c, n, n, c); /* to skip, or to take */
        return t->iter_kind == ITER_SKIP ? xprintf("(%s > %s ? %s - %s : (size_t)0)", in, rest, in, rest)
                                         : xprintf("(%s < %s ? %s : %s)", in, rest, in, rest);
    }
    case ITER_STEP_BY: { /* std's StepBy::len */
        char *in = place_len(t->args[1], member(p, "inner"));
        if (!in)
            return NULL;
        char *st = member(p, "step");
        return xprintf("(%s ? %s / %s : %s == 0 ? (size_t)0 : 1 + (%s - 1) / %s)", member(p, "started"), in, st, in, in, st);
    }
    case ITER_ZIP: {
        char *a = place_len(t->args[1], member(p, "inner"));
        char *b = a ? place_len(iter_value_type(t->args[2]), member(p, "other")) : NULL;
        return b ? xprintf("(%s < %s ? %s : %s)", a, b, a, b) : NULL;
    }
    default:
        if (is_map_iter(t))
            return xprintf("(%s - %s)", member(p, "back"), member(p, "front"));
        return NULL;
    }
}

/* Can an iterator of type t be driven from the back (`rev`, `next_back`)? */
static bool double_ended(Type *t)
{
    if (t->kind == TY_REF)
        return double_ended(t->args[0]);
    if (t->kind == TY_RANGE)
        return !t->len;
    if (t->kind != TY_ITER)
        return false;
    switch (t->iter_kind) {
    case ITER_SLICE: case ITER_SLICE_MUT: case ITER_VEC_INTO: case ITER_CHARS: case ITER_CHAR_INDICES: case ITER_BYTES:
    case ITER_SPLIT_WS: case ITER_LINES: case ITER_TO_UPPER: case ITER_TO_LOWER:
        return true;
    case ITER_MAP: case ITER_FILTER: case ITER_COPIED: case ITER_CLONED: case ITER_INSPECT: case ITER_REV:
    case ITER_FILTER_MAP:
        return double_ended(t->args[1]);
    case ITER_CHAIN:
        return double_ended(t->args[1]) && double_ended(iter_value_type(t->args[2]));
    case ITER_SKIP: case ITER_TAKE: case ITER_STEP_BY: case ITER_ENUMERATE: /* (by the inner's length) */
        return double_ended(t->args[1]) && place_len(t->args[1], "x");
    case ITER_ZIP:
        return double_ended(t->args[1]) && double_ended(iter_value_type(t->args[2])) && place_len(t, "x");
    case ITER_MAP_ITER: case ITER_MAP_ITER_MUT: case ITER_MAP_KEYS: case ITER_MAP_VALUES: case ITER_MAP_VALUES_MUT:
    case ITER_MAP_INTO: case ITER_SET_INTO:
        return ty_is_sorted_map(map_of(t));
    default:
        return false;
    }
}

/* The body of next_back for skip, take, step_by, zip and enumerate at place p, as std's:
 * each reads the inner's length (its next from the front is known from it) and takes
 * from the inner's back: skip has an item while its length is not 0; take first passes
 * over what is beyond its count; step_by goes to the last index that is a multiple of its
 * step; zip trims the longer one; enumerate gives an item the index it has from the front.
 * The item goes into `item`; a `break` means none. */
static void next_back_by_length(Type *t, const char *p)
{
    Type *in = t->args[1];
    char *ip = member(p, "inner");
    IterGen *back = ig_place(in, ip, true);
    switch (t->iter_kind) {
    case ITER_SKIP:
        emit("if (%s == 0)", place_len(t, p));
        emit("    break;");
        iter_next(back, "item");
        return;
    case ITER_TAKE: {
        char *n = member(p, "n"), *c = member(p, "count");
        emit("if (%s >= %s)", c, n);
        emit("    break;");
        emit("size_t rest = %s - %s, len = %s;", n, c, place_len(in, ip));
        emit("%s++;", c);
        iter_next(ig_skip_first(back, "len > rest ? len - rest : 0"), "item");
        return;
    }
    case ITER_STEP_BY: {
        char *st = member(p, "step");
        emit("size_t rem = %s %% %s;", place_len(in, ip), st);
        iter_next(ig_skip_first(back, xprintf("%s ? rem : rem == 0 ? %s - 1 : rem - 1", member(p, "started"), st)), "item");
        return;
    }
    case ITER_ZIP: {
        Type *ot = iter_value_type(t->args[2]);
        char *op = member(p, "other");
        emit("size_t la = %s, lb = %s;", place_len(in, ip), place_len(ot, op));
        IterGen *g = ig_new(IG_ZIP, t->args[0], true);
        g->inner = ig_skip_first(back, "la > lb ? la - lb : 0");
        g->inner2 = ig_skip_first(ig_place(ot, op, true), "lb > la ? lb - la : 0");
        iter_next(g, "item");
        return;
    }
    default: { /* ITER_ENUMERATE */
        emit("%s;", decl(t->args[0]->args[1], "x"));
        iter_next(back, "x");
        emit("item = (%s){%s + %s, x};", ctype(t->args[0]), member(p, "count"), place_len(in, ip));
        return;
    }
    }
}

/* The body of a std::iter source's next (inside next_fn's loop; `item` declared there,
 * ot its Option). */
static void source_next(Type *t, Type *ot)
{
    Type *el = t->args[0];
    switch (t->iter_kind) {
    case ITER_REPEAT: /* a clone, every time */
        emit("item = %s;", clone_place(el, "self->value"));
        break;
    case ITER_ONCE: /* the value, then None */
        emit("%s = self->value;", decl(ot, "once"));
        emit("self->value = %s;", none(ot));
        emit("return once;");
        break;
    case ITER_FROM_FN: /* what the closure returns */
        emit("return %s;", call_callable(t->args[2], "self->f", ""));
        break;
    default: /* ITER_SUCCESSORS: the next one, after the closure made the one after it */
        emit("if (self->next.tag == %s_None)", mangle(ot));
        emit("    break;");
        emit("item = self->next.Some._0;");
        emit("self->next = %s;", call_callable(t->args[2], "self->f", "&item"));
        break;
    }
}

/* NAME_next (or NAME_next_back) of adaptor type t: an Option of its next item. */
static const char *next_fn(Type *t, bool back)
{
    const char *name = xprintf("%s_next%s", ctype(t), back ? "_back" : "");
    if (helper_done(name))
        return name;
    Type *ot = ty_adt(cg->prog->option, &t->args[0], 1);
    need_type(ot);
    Saved sv;
    bool frame = cg->frame_decls;
    cg->frame_decls = false;
    StrBuf *b = begin_helper(xprintf("%s %s(%s *self)", ctype(ot), name, ctype(t)), &sv);
    emit("/* %s::%s */", ty_str(t), back ? "next_back" : "next");
    emit("for (;;) {");
    cg->indent++;
    emit("%s;", decl(t->args[0], "item"));
    if (iter_is_source(t))
        source_next(t, ot);
    else if (back && (t->iter_kind == ITER_SKIP || t->iter_kind == ITER_TAKE || t->iter_kind == ITER_STEP_BY ||
                 t->iter_kind == ITER_ZIP || t->iter_kind == ITER_ENUMERATE))
        next_back_by_length(t, "(*self)");
    else
        iter_next(ig_struct(t, "(*self)", back), "item");
    emit("return %s;", some(ot, "item"));
    cg->indent--;
    emit("}");
    emit("return %s;", none(ot));
    end_helper(b, &sv);
    cg->frame_decls = frame;
    return name;
}

static IterGen *ig_place_at(Type *t, const char *p, bool rev);

/* The iterator of type t at place p, driven where it lies: a `for` over a variable,
 * `it.next()`, a consumer of a variable, an adaptor's inner iterator. */
IterGen *ig_place(Type *t, const char *p, bool rev)
{
    IterGen *g = ig_place_at(t, p, rev);
    g->in_place = true;
    g->state = (char *)p;
    return g;
}

static IterGen *ig_place_at(Type *t, const char *p, bool rev)
{
    if (t->kind == TY_REF) /* `&mut I` (by_ref): I, where it lies */
        return ig_place_at(t->args[0], deref_text(p), rev);
    if (t->kind == TY_RANGE) {
        IterGen *g = ig_new(IG_RANGE, t->args[0], rev);
        g->inclusive = t->inclusive;
        g->cur = member(p, "start"); /* (from the back, `end` counts down to it) */
        g->end = t->len ? NULL : member(p, "end"); /* (`a..`: none) */
        if (t->inclusive)
            g->exhausted = member(p, "exhausted");
        return g;
    }
    if (t->kind == TY_ADT) {
        FnDef *next = user_next(t);
        IterGen *g = ig_new(IG_USER, next->ret->args[0], rev);
        g->state = (char *)p;
        g->ptr = (char *)next->cname;
        g->elem = next->ret;
        if (rev)
            not_supported(next->item->span, "`.rev()` on a user iterator");
        return g;
    }
    if (rev && !double_ended(t)) {
        if (!diag_error_count()) /* (where the Rev was made, the error is reported already) */
            not_supported(rev_span.hi ? rev_span : cg->fn ? cg->fn->item->span : (Span){0},
                          xprintf("`rev` over `%s`", ty_str(t)));
        rev = false;
    }
    if (iter_is_adaptor(t) || iter_is_source(t)) {
        IterGen *g = ig_new(IG_VALUE, t->args[0], rev);
        g->state = (char *)p;
        g->vty = t;
        g->ptr = (char *)next_fn(t, rev);
        return g;
    }
    switch (t->iter_kind) {
    case ITER_WINDOWS:
    case ITER_CHUNKS: {
        IterGen *g = ig_new(IG_WINDOWS, t->args[0], rev);
        g->ptr = member(p, "ptr");
        g->end = member(p, "len");
        g->limit = member(p, "size");
        g->clone = t->iter_kind == ITER_CHUNKS; /* (chunks: the last may be shorter) */
        return g;
    }
    case ITER_SLICE: case ITER_SLICE_MUT: case ITER_BYTES: {
        IterGen *g = ig_new(IG_PTR, t->args[0], rev);
        g->by_ref = t->iter_kind != ITER_BYTES;
        g->ptr = member(p, "ptr");
        g->state = (char *)p;
        return g;
    }
    case ITER_VEC_INTO: {
        IterGen *g = ig_new(IG_VEC_INTO, t->args[0], rev);
        g->ptr = member(p, "vec");
        g->cur = member(p, "front");
        g->end = member(p, "back");
        return g;
    }
    default:
        break;
    }
    if (is_map_iter(t)) {
        IterGen *g = ig_new(IG_MAP_ENTRIES, t->args[0], rev);
        g->rt_kind = t->iter_kind;
        bool owned = t->iter_kind == ITER_MAP_INTO || t->iter_kind == ITER_SET_INTO;
        g->ptr = owned ? member(member(p, "map"), "entries") : member(p, "entries");
        g->cur = member(p, "front");
        g->end = member(p, "back");
        return g;
    }
    IterGen *g = ig_new(IG_RT, t->args[0], rev);
    g->state = (char *)p;
    g->rt_kind = t->iter_kind;
    return g;
}

/* ---- building a value --------------------------------------------------------------- */

/* A clone of the iterator of type t at place p (Cycle's), or NULL when mrsc cannot make
 * one: a copy when it owns nothing, a Vec's IntoIter with its Vec cloned. */
char *iter_clone(Type *t, const char *p)
{
    if (!has_drop(t))
        return (char *)p;
    if (t->kind == TY_ITER && t->iter_kind == ITER_VEC_INTO)
        return xprintf("(%s){%s, %s, %s}", ctype(t), clone_place(t->args[1], member(p, "vec")), member(p, "front"),
                       member(p, "back"));
    return NULL;
}

/* The value of adaptor call e (`v.iter().map(f)` in a `let`, a return, an argument): its
 * struct, with the iterator it adapts and its arguments moved in. */
char *iter_adaptor_value(Expr *e)
{
    Type *t = e->ty;
    char *inner = cg_expr(e->operand);
    Expr *outer = building;
    building = e;
    need_type(t);
    building = outer;
    const char *c = ctype(t);
    switch (t->iter_kind) {
    case ITER_REV:
        if (!double_ended(t->args[1])) {
            not_supported(e->name_span, xprintf("`rev` over `%s`", ty_str(t->args[1])));
            return dummy(t);
        }
        /* fall through */
    case ITER_COPIED: case ITER_CLONED:
        return xprintf("(%s){.inner = %s}", c, inner);
    case ITER_ENUMERATE:
        return xprintf("(%s){.inner = %s, .count = 0}", c, inner);
    case ITER_MAP: case ITER_FILTER: case ITER_FILTER_MAP: case ITER_INSPECT:
    case ITER_TAKE_WHILE: case ITER_SKIP_WHILE: {
        char *in = hoist(t->args[1], inner, "inner"); /* (the receiver first, then the closure) */
        return xprintf("(%s){.inner = %s, .f = %s}", c, in, cg_expr(e->args.items[0]));
    }
    case ITER_SKIP: case ITER_TAKE: case ITER_STEP_BY: {
        char *in = hoist(t->args[1], inner, "inner");
        char *n = cg_expr(e->args.items[0]);
        if (t->iter_kind != ITER_STEP_BY)
            return xprintf("(%s){.inner = %s, .n = %s, .count = 0}", c, in, n);
        char *step = hoist(ty_prim(TY_USIZE), n, "step");
        emit("if (%s == 0) mrs_panic_cstr(%s, \"assertion failed: step != 0\");", step, loc(e->name_span));
        return xprintf("(%s){.inner = %s, .step = %s, .started = false}", c, in, step);
    }
    case ITER_ZIP: case ITER_CHAIN: {
        char *in = hoist(t->args[1], inner, "inner");
        Expr *o = e->args.items[0];
        char *ov = iter_value_of(t->args[2], cg_expr(o), o->span);
        return xprintf("(%s){.inner = %s, .other = %s}", c, in, ov);
    }
    case ITER_PEEKABLE:
        return xprintf("(%s){.inner = %s, .peeked = false}", c, inner);
    case ITER_CYCLE: { /* the inner kept as it started, and a clone of it that runs */
        char *in = hoist(t->args[1], inner, "inner");
        char *copy = iter_clone(t->args[1], in);
        if (!copy) {
            not_supported(e->name_span, xprintf("`cycle` over `%s`", ty_str(t->args[1])));
            return dummy(t);
        }
        return xprintf("(%s){.inner = %s, .orig = %s}", c, copy, in);
    }
    case ITER_SCAN: {
        char *in = hoist(t->args[1], inner, "inner");
        char *st = hoist(t->args[3], cg_expr(e->args.items[0]), "state");
        return xprintf("(%s){.inner = %s, .state = %s, .f = %s}", c, in, st, cg_expr(e->args.items[1]));
    }
    case ITER_FLAT_MAP: {
        char *in = hoist(t->args[1], inner, "inner");
        return xprintf("(%s){.inner = %s, .f = %s, .has_front = false}", c, in, cg_expr(e->args.items[0]));
    }
    case ITER_FLATTEN:
        return xprintf("(%s){.inner = %s, .has_front = false}", c, inner);
    default:
        not_supported(e->name_span, xprintf("the iterator adaptor `%s` held as a value", e->name));
        return dummy(t);
    }
}

/* `map.iter()`, `map.keys()` ... `set.iter()` as a value: the entries to walk; `into_iter()`
 * moves the map in. */
char *map_iter_value(Expr *e, MethodRes *mr, const char *p)
{
    Type *t = e->ty;
    need_type(t);
    if (mr->bm == BM_MAP_INTO_ITER || mr->bm == BM_SET_INTO_ITER) {
        char *m = hoist(mr->self_ty, p, "map");
        return xprintf("(%s){%s, 0, %s.len}", ctype(t), m, m);
    }
    return xprintf("(%s){%s, 0, %s}", ctype(t), member(p, "entries"), member(p, "len"));
}

/* `s.windows(n)`, `s.chunks(n)` of the slice at p (of type b): std panics on a size of 0. */
char *slice_pieces_value(Expr *e, Type *b, const char *p, const char *n)
{
    Type *t = e->ty;
    need_type(t);
    char *size = hoist(ty_prim(TY_USIZE), n, "size");
    emit("if (%s == 0) mrs_panic_cstr(%s, \"%s size must be non-zero\");", size, loc(e->name_span),
         t->iter_kind == ITER_WINDOWS ? "window" : "chunk");
    MethodRes *mr = e->sema;
    if (mr && mr->bm == BM_SL_CHUNKS_EXACT) { /* the whole chunks only: the rest (its remainder) is never given */
        char *len = hoist(ty_prim(TY_USIZE), slice_len(b, p), "len");
        return xprintf("(%s){%s, %s - %s %% %s, %s}", ctype(t), slice_ptr(b, p), len, len, size, size);
    }
    return xprintf("(%s){%s, %s, %s}", ctype(t), slice_ptr(b, p), slice_len(b, p), size);
}

/* Peekable's own methods on the Peekable at the receiver's place: peek (and peek_mut)
 * fill the slot from the inner iterator once; next_if and next_if_eq take the peeked
 * item when it passes. */
char *peekable_method(Expr *e, MethodRes *mr)
{
    Type *t = mr->self_ty;
    char *p = recv_place(e, false);
    Type *item = t->args[0];
    Type *ot = ty_adt(cg->prog->option, &item, 1);
    emit("if (!%s) {", member(p, "peeked"));
    cg->indent++;
    emit("%s = %s;", member(p, "slot"), none(ot));
    emit("do {");
    cg->indent++;
    char *x = fresh("x");
    emit("%s;", decl(item, x));
    iter_next(ig_place(t->args[1], member(p, "inner"), false), x);
    emit("%s = %s;", member(p, "slot"), some(ot, x));
    cg->indent--;
    emit("} while (0);");
    emit("%s = true;", member(p, "peeked"));
    cg->indent--;
    emit("}");
    char *slot = member(p, "slot");
    char *has = xprintf("%s.tag != %s_None", slot, mangle(ot));
    if (mr->bm == BM_PEEK_PEEK || mr->bm == BM_PEEK_PEEK_MUT)
        return xprintf("(%s ? %s : %s)", has, some(e->ty, xprintf("&%s.Some._0", slot)), none(e->ty));
    char *test;
    if (mr->bm == BM_PEEK_NEXT_IF) {
        Expr *fe = e->args.items[0];
        char *f = callable_value(fe, cg_expr(fe));
        test = call_callable(fe->ty, f, xprintf("&%s.Some._0", slot));
    } else {
        Expr *a = e->args.items[0];
        test = eq_places(item, xprintf("%s.Some._0", slot), deref_n(cg_expr(a), a->ty, 1));
    }
    char *r = fresh("taken");
    emit("%s = %s;", decl(e->ty, r), none(e->ty));
    emit("if (%s && %s) {", has, test);
    emit("    %s = %s;", r, slot);
    emit("    %s = false;", member(p, "peeked"));
    emit("}");
    return r;
}
