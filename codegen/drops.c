/* drops.c — how codegen writes the drops borrowck planned: scopes, drop
 * flags, partial moves, temporaries, early exits.
 *
 * requires: borrowck's facts on each Local (moved, moved_fields), the drop
 * plan of each drop site on the CFG (bck_drop_plan), the temporaries it
 * chose (Expr.temp) and the moving Expr and Pat;
 * produces: the drop calls, drop flags (`x_live`) and unwind guards of
 * locals and temporaries. At a scope's end and at every exit (`break`,
 * `continue`, `return`, `?`) it prints the graph's plan (emit_plan), each
 * local as it now stands (flags, parts); the scope stack (CgScope) and the
 * temporary scopes (TempFrame) hold what each is in C: its place, its
 * guard, a `for` loop's iterator. */
#include "cg_int.h"

Local *root_local(Expr *e)
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

bool binds_droppable(Pat *p, void *ctx)
{
    (void)ctx;
    return p->local && !p->bind_ref && has_drop(p->local->type);
}

/* Does pattern p move an owned value into a binding? */
bool pat_moves(Pat *p) { return ast_pat_any_ident(p, binds_droppable, NULL); }

void cg_push_scope(void)
{
    CgScope *s = NEW(CgScope);
    cg->scopes[cg->nscopes++] = s;
}

bool splittable_type(Type *t)
{
    return t->kind == TY_TUPLE || (t->kind == TY_ADT && !t->adt->is_enum && !t->adt->drop_impl);
}

/* The type of field `step` of t (a tuple or struct), or NULL. */
Type *step_type(Type *t, const char *step, const char **cfield)
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
bool path_splittable(Type *t, const char *path)
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
bool moved_inside(Local *l, const char *path)
{
    size_t n = strlen(path);
    for (int i = 0; i < l->moved_fields.len; i++) {
        const char *m = l->moved_fields.items[i];
        if (!strncmp(m, path, n) && m[n] == '.')
            return true;
    }
    return false;
}

bool path_moved(Local *l, const char *path)
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
bool split_local(Local *l)
{
    if (!l->moved_fields.len || l->moved_whole || l->moved_deep || l->deferred)
        return false;
    Type *t = l->type;
    if (ty_is_std(t, STD_BOX)) { /* `*b` moved out, or fields of it (`b.name`) */
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
        if (ty_is_std(l->type, STD_BOX)) {
            if (strncmp(m, "*.", 2))
                return false;
            m += 2;
        }
        if (!path_splittable(t, m) || moved_inside(l, l->moved_fields.items[i]))
            return false; /* `x.a` and `x.a.b` both moved: x is dropped by its flag as a whole */
    }
    return true;
}

void collect_parts(Local *l, Type *t, const char *path, const char *place, List *out)
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
List split_parts(Local *l)
{
    List out = {0};
    if (ty_is_std(l->type, STD_BOX) && path_moved(l, "*")) {
        Part *pt = NEW(Part);
        pt->path = "*";
        pt->place = xprintf("(*%s)", l->cname);
        pt->type = l->type->args[0];
        list_push(&out, pt);
        return out;
    }
    if (ty_is_std(l->type, STD_BOX)) { /* the fields of the Box's contents */
        collect_parts(l, l->type->args[0], "*", xprintf("(*%s)", l->cname), &out);
        return out;
    }
    collect_parts(l, l->type, NULL, l->cname, &out);
    return out;
}

/* Part i of a split local: its step ("name", "0", or "*" for a Box's contents),
 * its C place, its type. */
Type *field_of(Local *l, int i, const char **step, const char **place)
{
    Type *t = l->type;
    if (ty_is_std(t, STD_BOX)) {
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
char *part_name(Local *l, const char *path, const char *what)
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
bool field_flagged(Local *l, const char *path, Type *ft)
{
    return has_drop(ft) && path_moved(l, path);
}

/* The path of e when it names a field of local l through fields only
 * (`l.f`, `l.0`, `l.a.b`), or `*` for the contents of Box l; else NULL. */
const char *direct_field(Expr *e, Local *l)
{
    e = unparen(e);
    if (e->kind == EX_UNARY && e->unop == UN_DEREF && ty_is_std(l->type, STD_BOX)) {
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
    if (fr->derefs == 1 && is_l && ty_is_std(l->type, STD_BOX))
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
bool static_moves(Local *l)
{
    return l->moved && l->moved_whole && !l->drop_maybe && !l->moved_deep && !l->moved_fields.len && !l->deferred;
}

/* Is l a field of the async frame being written (held across an `.await`, or a
 * parameter), rather than a C variable of its poll? */
bool in_frame(Local *l) { return cg->frame && !strncmp(l->cname, "self->", 6); }

bool flagged(Local *l)
{
    if (in_frame(l)) /* in an async frame every local that owns something has a flag: its drop glue reads them */
        return has_drop(l->type);
    if (open_split(l))
        return l->moved_whole;
    return has_drop(l->type) && (l->deferred || (l->moved && !split_local(l) && !static_moves(l)));
}

/* The unwind glue of local l: its type's, or for a partly moved enum local
 * a helper of its own that drops what it still holds by its part flags
 * (its guard's object is `l_rest`: the local, then the flags). */
const char *guard_drop_fn(Local *l)
{
    if (!open_split(l))
        return unwind_drop_fn(l->type);
    const char *owner = cg->closure ? cg->closure->cname : cg->inst_cname ? cg->inst_cname : cg->fn->cname;
    const char *name = xprintf("unwind_rest_%s_%s", owner, l->cname);
    if (helper_done(name))
        return name;
    Saved sv;
    StrBuf *b = begin_helper(xprintf("void %s(void *obj)", name), &sv);
    emit("void **rest = obj; /* `%s`, then its part flags */", l->name);
    emit("%s = rest[0];", decl(ty_ref(l->type, true), "v"));
    for (int i = 0; i < l->moved_fields.len; i++)
        emit("const bool %s = *(const bool *)rest[%d];", part_name(l, l->moved_fields.items[i], "live"), i + 1);
    drop_owned(l, l->type, "", "(*v)");
    end_helper(b, &sv);
    return name;
}

/* What partly moved enum local l still holds is dropped: nothing when it
 * was moved whole, else what its variant holds by the part flags. */
void drop_enum_rest(Local *l)
{
    if (flagged(l)) {
        emit("if (%s_live) {", l->cname);
        cg->indent++;
    }
    drop_owned(l, l->type, "", l->cname);
    if (flagged(l)) {
        cg->indent--;
        emit("}");
    }
}

/* A local whose drop prints is linked into the runtime's unwind chain. */
bool guarded(Local *l) { return !in_frame(l) && runs_user_drop(l->type); } /* (a frame's glue drops its fields) */

/* Drop the fields of split local l that it still owns. */
void emit_split_drop(Local *l)
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
    if (ty_is_std(l->type, STD_BOX))
        emit("mrs_vec_free(%s); /* the Box's memory, whether or not its contents were moved out */", l->cname);
}

/* A local of which a pattern moved parts out of an enum's variant
 * (`E::A(d, _)` on `r` moves `r.A.0`; `r.A.1` stays `r`'s): each moved part
 * has a flag, and the local's drop opens the enum by its tag, dropping in
 * the variant what is still there (rustc's open drop). */
/* A local dropped by an open drop (drop_enum_rest): an enum a pattern moves
 * parts of (`E::A(d, _)`), or a struct or tuple some of whose fields are
 * moved out while the whole is moved on another path (`let a = p.a;` here,
 * `drop(p)` there). A flag per moved part, and, when it is also moved
 * whole on some path, a flag for the whole (`x_live`). */
bool open_split(Local *l)
{
    if (!l->moved_fields.len || l->moved_deep || l->deferred || split_local(l))
        return false;
    if (l->type->kind == TY_ADT && l->type->adt->is_enum)
        return !l->type->adt->drop_impl;
    if (ty_is_std(l->type, STD_BOX)) /* `*b` moved here, `b` there */
        return l->type->args[0]->kind != TY_DYN && l->moved_fields.len == 1 && path_moved(l, "*");
    return splittable_type(l->type);
}

/* Part `path` of l in rustc's notation: `(r as A).0` for field 0 of variant A. */
const char *rust_part(Local *l, const char *path)
{
    if (!strcmp(path, "*"))
        return xprintf("*%s", l->name);
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
void drop_owned(Local *l, Type *t, const char *path, const char *place)
{
    if (!*path && ty_is_std(t, STD_BOX) && path_moved(l, "*")) { /* its contents by their flag, then its memory */
        if (has_drop(t->args[0])) {
            emit("if (%s)", part_name(l, "*", "live"));
            cg->indent++;
            emit_drop_place(t->args[0], deref_text(place));
            cg->indent--;
        }
        emit("mrs_vec_free(%s); /* the Box's memory, whether or not its contents were moved out */", place);
        return;
    }
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
    emit("switch (%s) { /* `%s` is partly moved: what its variant still holds */", enum_discr(t, place), l->name);
    for (int i = 0; i < t->adt->nvariants; i++) {
        VariantInfo *v = &t->adt->variants[i];
        emit("case %s:", variant_case(t, i));
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

/* Every part flag of an open-split local, set again (it holds a whole value). */
void set_open_split_flags(Local *l)
{
    if (flagged(l))
        emit("%s_live = true;", l->cname);
    for (int i = 0; i < l->moved_fields.len; i++)
        emit("%s = true;", part_name(l, l->moved_fields.items[i], "live"));
}

/* Set every field flag of split local l (it holds a whole value again). */
void set_split_flags(Local *l)
{
    List parts = split_parts(l);
    for (int i = 0; i < parts.len; i++) {
        Part *pt = parts.items[i];
        if (field_flagged(l, pt->path, pt->type))
            emit("%s = true;", part_name(l, pt->path, "live"));
    }
}

/* The guard that was linked first for split local l: unlinking it unlinks all of l's. */
const char *split_first_guard(Local *l)
{
    List parts = split_parts(l);
    for (int i = parts.len - 1; i >= 0; i--) {
        Part *pt = parts.items[i];
        if (runs_user_drop(pt->type))
            return part_name(l, pt->path, "guard");
    }
    return NULL;
}

/* The drop of local l where the graph's plan says so, in state ds: part by
 * part for a split local, behind its flag for a flagged one, not at all
 * where it was moved on every path. */
static void drop_local(Local *l, DropState ds)
{
    if (split_local(l)) {
        if (guarded(l))
            emit("mrs_unwind_top = %s.prev;", split_first_guard(l));
        emit_split_drop(l);
        return;
    }
    if (open_split(l)) {
        if (guarded(l))
            emit("mrs_unwind_top = %s_guard.prev;", l->cname);
        drop_enum_rest(l);
        return;
    }
    if (guarded(l))
        emit("mrs_unwind_top = %s_guard.prev;", l->cname);
    if (static_moves(l) && ds == DROP_DEAD) {
        emit("/* `%s` was moved on every path to here: not dropped */", l->name);
        return;
    }
    if (flagged(l)) {
        emit("if (%s_live)%s", l->cname, cg->frame ? " {" : "");
        cg->indent++;
        emit_drop_place(l->type, l->cname);
        if (cg->frame)
            emit("%s_live = false;", l->cname);
        cg->indent--;
        if (cg->frame)
            emit("}");
    } else {
        emit_drop_place(l->type, l->cname);
    }
}

/* `flag = false;` unless the line just emitted says so already (a place is
 * seen by both cg_expr and cg_place). */
void clear_flag(const char *flag)
{
    char *line = xprintf("%s = false; /* moved */\n", flag);
    size_t n = strlen(line);
    if (cg->out->len >= n && !memcmp(cg->out->data + cg->out->len - n, line, n))
        return;
    emit("%s = false; /* moved */", flag);
}

void note_move(Expr *e)
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
    if (open_split(l) && (splittable_type(l->type) || ty_is_std(l->type, STD_BOX))) {
        /* a struct: `p.a` moves a part, `p` the whole; a Box: `*b` (or `b.consume()`
         * through auto-deref) its contents, `b` the whole */
        Expr *u = unparen(e);
        step = direct_field(e, l);
        if (!step && u->kind == EX_PATH && ty_is_std(l->type, STD_BOX) && u->adjust && u->adjust->derefs > 0)
            step = "*";
        if (!step && u->kind != EX_PATH)
            return;
    } else if (split_local(l)) {
        step = direct_field(e, l);
        Expr *u = unparen(e);
        if (!step && u->kind == EX_PATH && ty_is_std(l->type, STD_BOX) && path_moved(l, "*"))
            step = "*"; /* `b.consume()`: the receiver's auto-deref moves the contents */
        if (!step)
            return;
    }
    moved_out(l, step);
}

/* Part `step` of local l (NULL: all of it) is moved out here: it is no
 * longer l's to drop, at its scope's end or when a panic unwinds. */
void moved_out(Local *l, const char *step)
{
    if (step && open_split(l)) { /* (its guard drops the rest by the flags) */
        clear_flag(part_name(l, step, "live"));
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
    if (has_drop(l->type) && static_moves(l) && !in_frame(l)) { /* (a frame's glue reads the flag) */
        if (guarded(l))
            emit("%s_guard.drop = NULL; /* `%s` is moved: a panic must not drop it */", l->cname, l->name);
        return;
    }
    if (flagged(l))
        clear_flag(xprintf("%s_live", l->cname));
}

/* Where a pattern's bindings take their parts out of the place it matched
 * (moves.c noted which on the pattern). */
void note_pattern_moves(Pat *p)
{
    for (int i = 0; i < p->bck_moves.len; i++) {
        BckUse *u = p->bck_moves.items[i];
        moved_out(u->place->local, place_is_local(u->place) ? NULL : place_steps(u->place));
    }
}

/* A match guard failed: the arm's bindings were never really bound (the
 * value stays in the scrutinee), so their unwind guards come off the chain. */
void unlink_unbound(CgScope *s)
{
    for (int i = 0; i < s->locals.len; i++) {
        Local *l = s->locals.items[i];
        if (guarded(l) && !split_local(l)) {
            emit("mrs_unwind_top = %s_guard.prev; /* the guard failed: `%s` is not bound */", l->cname, l->name);
            return;
        }
    }
}

/* Leave the innermost scope normally (falling off its end): the graph's
 * plan for it drops its locals. */
void cg_pop_scope(bool emit_drops, const void *key)
{
    if (emit_drops)
        emit_plan(key, SITE_SCOPE_END);
    cg->nscopes--;
}

void add_pending(Type *t, char *place, Local *temp)
{
    Pending *p = NEW(Pending);
    p->type = t;
    p->place = place;
    p->temp = temp;
    if (cg->frame) { /* (no unwind guard in an async frame) */
    } else if (runs_user_drop(t) && cg->operand_floor && cg->nframes == cg->operand_frames) {
        /* made while a call's or an aggregate's operands are on the chain, but it
         * outlives them (the statement's): a panic drops them first, then it */
        p->guard = xprintf("%s_guard", place);
        emit("MrsUnwindGuard %s = { %s.prev, &%s, %s, NULL }; /* a panic drops the temporary, after the operands */",
             p->guard, cg->operand_floor, place, unwind_drop_fn(t));
        emit("%s.prev = &%s;", cg->operand_floor, p->guard);
        cg->operand_floor_used = true;
    } else if (runs_user_drop(t)) {
        p->guard = xprintf("%s_guard", place);
        emit("MrsUnwindGuard %s = { mrs_unwind_top, &%s, %s, NULL }; /* a panic drops the temporary */", p->guard,
             place, unwind_drop_fn(t));
        emit("mrs_unwind_top = &%s;", p->guard);
    }
    list_push(&cg->pending, p);
}

/* The value at place is no longer the scope's to drop (it was given to what consumes it):
 * its entry (one add_pending made, of no borrowck temporary) leaves the pending list. */
void release_pending(const char *place)
{
    for (int i = cg->pending.len - 1; i >= 0; i--) {
        Pending *p = cg->pending.items[i];
        if (p->place && !p->temp && !strcmp(p->place, place)) {
            for (int k = i + 1; k < cg->pending.len; k++)
                cg->pending.items[k - 1] = cg->pending.items[k];
            cg->pending.len--;
            return;
        }
    }
}

/* Drop the temporaries of l, newest first; the list stays as it is (an
 * early exit drops them on its own path only). */
static void drop_pending(Pending *p)
{
    if (p->per_arm) {
        if (p->whole)
            emit_drop_place(p->type, p->place);
        else if (p->arm_pat)
            drop_unbound(p->arm_pat, p->type, p->place);
        else if (p->arm_var && p->arms.len) {
            emit("switch (%s) { /* what the arm that ran left of %s */", p->arm_var, p->place);
            for (int i = 0; i < p->arms.len; i++) {
                emit("case %d:", i + 1);
                cg->indent++;
                if (p->arms.items[i])
                    drop_unbound(p->arms.items[i], p->type, p->place);
                else
                    emit_drop_place(p->type, p->place);
                emit("break;");
                cg->indent--;
            }
            emit("}");
        }
        return;
    }
    if (p->guard)
        emit("mrs_unwind_remove(&%s);", p->guard);
    emit_drop_place(p->type, p->place);
}


static void drop_callables(const List *l);

/* The end of the current temporary scope (named by `key` in the graph):
 * the temporaries the graph planned to drop there, and the closures a std
 * method was given. */
void flush_pending(const void *key)
{
    emit_plan(key, SITE_TEMPS);
    drop_callables(&cg->pending);
    cg->pending = (List){0};
}

/* A temporary scope inside the current one (a condition, the arguments of
 * a `println!`): the current entries wait on the frame stack. (In what
 * order they are dropped is the graph's plan.) */
void temps_push(void)
{
    if (cg->nframes == (int)(sizeof cg->frames / sizeof cg->frames[0]))
        ICE("temporary scopes nested too deeply");
    TempFrame *f = NEW(TempFrame);
    f->temps = cg->pending;
    f->depth = cg->nscopes;
    cg->frames[cg->nframes++] = f;
    cg->pending = (List){0};
}

/* Back to the enclosing temporary scope; what the inner one still holds is
 * the caller's to have dropped (flush_pending) or handed on. */
void temps_pop(void)
{
    TempFrame *f = cg->frames[--cg->nframes];
    cg->pending = f->temps;
}

/* A C block `{ ... }` whose temporaries are dropped inside it. */
void open_block(void)
{
    temps_push();
    emit("{");
    cg->indent++;
}

void close_block(const void *key)
{
    flush_pending(key);
    cg->indent--;
    emit("}");
    temps_pop();
}

/* The captures an FnOnce call owns and drops at its end: linked into the
 * unwind chain at its start, so that a panic in the body drops them too. */
bool env_guarded(Capture *cp)
{
    return cp->mode == CAP_VALUE && runs_user_drop(cp->type);
}

/* A capture the body moves out (on some paths, perhaps): it has a drop flag,
 * `env_x_live`, that its guard and the call's end test. In an async block's frame
 * every capture that owns something has one (`self->x_live`): the frame's drop glue
 * reads it wherever the poll stopped. */
bool env_flagged(Capture *cp)
{
    return cp->mode == CAP_VALUE && (cp->moved_in_body || cg->frame) && has_drop(cp->type);
}

/* Does the body of the closure being written own its by-value captures (an FnOnce call,
 * an async block's poll), so that their end is its end? */
bool env_consumed(Closure *clo) { return clo && (clo->kind == FN_ONCE || clo->async_fn); }

/* A capture's place in the environment, and its drop flag: `env->x` and `env_x_live` in a
 * closure's function, `self->x` and `self->x_live` in an async block's poll. */
char *env_place(Capture *cp) { return xprintf(cg->frame ? "self->%s" : "env->%s", cp->field); }
char *env_flag(Capture *cp) { return xprintf(cg->frame ? "self->%s_live" : "env_%s_live", cp->field); }

const char *env_first_guard(Closure *clo)
{
    for (int i = clo->captures.len - 1; i >= 0; i--) /* the first linked */
        if (env_guarded(clo->captures.items[i]))
            return xprintf("env_%s_guard", ((Capture *)clo->captures.items[i])->field);
    return NULL;
}

/* The temporary t as codegen holds it (its Pending), or NULL. */
static Pending *pending_of(Local *t)
{
    for (int i = 0; i < cg->pending.len; i++)
        if (((Pending *)cg->pending.items[i])->temp == t)
            return cg->pending.items[i];
    for (int f = cg->nframes - 1; f >= 0; f--)
        for (int i = 0; i < cg->frames[f]->temps.len; i++)
            if (((Pending *)cg->frames[f]->temps.items[i])->temp == t)
                return cg->frames[f]->temps.items[i];
    return NULL;
}

/* Print the graph's drop plan at a drop site: the places borrowck decided
 * to drop there, in its order, each as it now stands (flags, parts). */
void emit_plan(const void *key, DropSite site)
{
    List plan = bck_drop_plan(cg->fn ? cg->fn->cfg : NULL, cg->closure, key, site);
    for (int i = 0; i < plan.len; i++) {
        CfgStmt *st = plan.items[i];
        Local *l = st->local;
        if (st->state == DROP_UNREACHED)
            continue; /* no path gets here: nothing to write */
        bool done = false;
        for (int k = cg->nscopes - 1; k >= 0 && !done; k--)
            if (cg->scopes[k]->iter == l) { /* a `for` loop's iterator: what it still owns */
                iter_close(cg->scopes[k]->ig);
                done = true;
            }
        if (done)
            continue;
        if (l->is_temp && !l->extended) {
            Pending *p = pending_of(l);
            if (p) /* (a `let` pattern's value is dropped where it is matched) */
                drop_pending(p);
            continue;
        }
        drop_local(l, st->state);
    }
}

/* The closures a std method was given, still held for its end. */
static void drop_callables(const List *l)
{
    for (int i = l->len - 1; i >= 0; i--)
        if (!((Pending *)l->items[i])->temp)
            drop_pending(l->items[i]);
}

/* An exit (`return`, `break`, `continue`, `?`, the fn's end) that leaves the
 * scopes deeper than depth: the graph's plan for it. */
void drops_to_depth(int depth, const void *key)
{
    drop_callables(&cg->pending);
    for (int f = cg->nframes - 1; f >= 0 && cg->frames[f]->depth > depth; f--)
        drop_callables(&cg->frames[f]->temps);
    emit_plan(key, SITE_EXIT);
    if (depth == 0 && env_consumed(cg->closure)) {
        const char *first = cg->frame ? NULL : env_first_guard(cg->closure);
        if (first)
            emit("mrs_unwind_top = %s.prev;", first);
        for (int i = 0; i < cg->closure->captures.len; i++) {
            Capture *cp = cg->closure->captures.items[i];
            if (env_flagged(cp)) {
                emit("if (%s) {%s", env_flag(cp),
                     cg->frame ? " /* not moved out: the block's end drops it */" : " /* not moved out on this path: the call consumes it */");
                cg->indent++;
                emit_drop_place(cp->type, env_place(cp));
                if (cg->frame)
                    emit("%s = false;", env_flag(cp));
                cg->indent--;
                emit("}");
            } else if (cp->mode == CAP_VALUE && has_drop(cp->type)) {
                emit("/* `%s` was captured by value and not moved out: the call consumes it */", cp->place);
                emit_drop_place(cp->type, env_place(cp));
            }
        }
    }
}

bool is_used(Local *l) { return l->used; }

void register_local(Local *l)
{
    if (!is_used(l))
        emit("(void)%s; /* never used */", l->cname);
    if (in_frame(l) && (split_local(l) || open_split(l))) {
        not_supported(l->span, xprintf("moving a part of `%s` out in an `async fn`", l->name));
        return;
    }
    if (flagged(l) && l->deferred)
        emit("%s = false; /* drop flag: `%s` holds a value once assigned */",
             decl(ty_prim(TY_BOOL), xprintf("%s_live", l->cname)), l->name);
    else if (flagged(l))
        emit("%s = true; /* drop flag: `%s` %s */", decl(ty_prim(TY_BOOL), xprintf("%s_live", l->cname)), l->name,
             cg->frame ? "holds a value" : "is moved on some path");
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
        if (open_split(l))
            for (int i = 0; i < l->moved_fields.len; i++)
                emit("bool %s = true; /* drop flag: `%s` is moved out on some path */",
                     part_name(l, l->moved_fields.items[i], "live"), rust_part(l, l->moved_fields.items[i]));
        if (guarded(l) && open_split(l)) {
            /* a panic drops what it still holds: the guard sees its part flags too */
            StrBuf sb;
            sb_init(&sb);
            sb_printf(&sb, "&%s", l->cname);
            for (int i = 0; i < l->moved_fields.len; i++)
                sb_printf(&sb, ", &%s", part_name(l, l->moved_fields.items[i], "live"));
            emit("void *%s_rest[] = { %s }; /* `%s` and its part flags, for a panic */", l->cname, sb.data, l->name);
            sb_free(&sb);
            emit("MrsUnwindGuard %s_guard = { mrs_unwind_top, %s_rest, %s, %s }; /* a panic drops what `%s` holds */",
                 l->cname, l->cname, guard_drop_fn(l), flagged(l) ? xprintf("&%s_live", l->cname) : "NULL", l->name);
            emit("mrs_unwind_top = &%s_guard;", l->cname);
        } else if (guarded(l)) {
            emit("MrsUnwindGuard %s_guard = { mrs_unwind_top, &%s, %s, %s }; /* a panic drops `%s` */",
                 l->cname, l->cname, unwind_drop_fn(l->type), flagged(l) ? xprintf("&%s_live", l->cname) : "NULL",
                 l->name);
            emit("mrs_unwind_top = &%s_guard;", l->cname);
        }
    }
}
