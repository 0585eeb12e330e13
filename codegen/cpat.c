/* cpat.c — patterns.
 *
 * requires: typed patterns (binding modes, `derefs` of match ergonomics);
 * produces: the C condition that a value matches (pat_test), the bindings
 * taken from it (pat_bind), and the drop of the parts a pattern leaves in
 * a temporary (drop_unbound). */
#include "cg_int.h"

char *pat_place(Pat *p, const char *place)
{
    char *pl = xstrdup(place);
    bool fat = p->ty && (p->ty->kind == TY_SLICE || p->ty->kind == TY_STR);
    for (int i = 0; i < p->derefs; i++)
        if (!(fat && i == p->derefs - 1)) /* a `&[T]` or `&str` is already the view of its target */
            pl = deref_text(pl);
    return pl;
}

char *lit_text(Expr *lit, Type *t)
{
    lit = unparen(lit);
    switch (lit->kind) {
    case EX_INT: return int_lit128(t, lit->int_hi, lit->int_val);
    case EX_FLOAT: return float_lit(lit, t);
    case EX_BOOL: return xstrdup(lit->bool_val ? "true" : "false");
    case EX_CHAR: return char_lit(lit->int_val);
    case EX_BYTE: return xprintf("%llu", (unsigned long long)lit->int_val);
    case EX_UNARY:
        if (lit->unop == UN_NEG) {
            Expr *o = unparen(lit->operand);
            if (o->kind == EX_INT && t->kind <= TY_ISIZE && o->int_val == (uint64_t)1 << (ty_int_bits(t) - 1))
                return xstrdup(int_min_macro(t));
            return xprintf("-%s", lit_text(o, t));
        }
        break;
    case EX_PATH:
        if (lit->def && lit->def->kind == DEF_CONST)
            return xstrdup(lit->def->cname);
        break;
    default:
        break;
    }
    return cg_expr(lit);
}

char *and_join(char *a, char *b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    return xprintf("%s && %s", a, b);
}

const char *field_name(VariantInfo *v, int i)
{
    return v->kind == SK_TUPLE ? xprintf("_%d", i) : v->fields[i].name;
}

/* A C condition that is true when p matches the value at `place`; NULL when always. */
char *pat_test(Pat *p, const char *place)
{
    char *pl = pat_place(p, place);
    Type *t = p->ty;
    switch (p->kind) {
    case PAT_WILD:
    case PAT_REST:
        return NULL;
    case PAT_IDENT:
        if (p->def) { /* a unit variant, unit struct or const */
            Def *d = p->def;
            if (d->kind == DEF_CONST)
                return xprintf("%s == %s", pl, d->cname);
            if (d->kind == DEF_VARIANT)
                return (char *)variant_test(t, pl, d->variant);
            return NULL;
        }
        return p->sub ? pat_test(p->sub, pl) : NULL;
    case PAT_LIT: {
        Expr *lit = unparen(p->lit);
        if (lit->kind == EX_STR) {
            const char *sv = ty_is_std(t, STD_STRING) ? xprintf("mrs_string_as_str(&%s)", pl) : pl;
            return xprintf("mrs_str_eq(%s, MRS_STR(%s))", sv, c_string(lit->str, lit->str_len));
        }
        return xprintf("%s == %s", pl, lit_text(lit, t));
    }
    case PAT_RANGE: {
        char *r = NULL;
        char *lo = p->lo ? lit_text(p->lo, t) : NULL;
        bool trivial_lo = lo && ((t->kind >= TY_U8 && t->kind <= TY_USIZE && !strcmp(lo, "0")) ||
                                 (t->kind == TY_CHAR && !strcmp(lo, "0x0")));
        if (p->lo && !trivial_lo)
            r = xprintf("%s >= %s", pl, lo);
        if (p->hi)
            r = and_join(r, xprintf("%s %s %s", pl, p->inclusive ? "<=" : "<", lit_text(p->hi, t)));
        return r ? xprintf("(%s)", r) : NULL;
    }
    case PAT_TUPLE: {
        char *r = NULL;
        for (int i = 0; i < p->elems.len; i++) {
            int k = ast_pat_elem_field(&p->elems, i, t->nargs);
            if (k < 0)
                continue;
            r = and_join(r, pat_test(p->elems.items[i], member(pl, xprintf("_%d", k))));
        }
        return r;
    }
    case PAT_PATH:
    case PAT_TUPLE_STRUCT:
    case PAT_STRUCT: {
        Def *d = p->def;
        if (!d)
            return NULL;
        if (d->kind == DEF_CONST)
            return xprintf("%s == %s", pl, d->cname);
        AdtDef *a = d->adt;
        int vi = d->kind == DEF_VARIANT ? d->variant : 0;
        VariantInfo *v = &a->variants[vi];
        char *r = a->is_enum ? (char *)variant_test(t, pl, vi) : NULL;
        const char *base = a->is_enum ? member(pl, v->name) : pl;
        if (p->kind == PAT_TUPLE_STRUCT) {
            for (int i = 0; i < p->elems.len; i++) {
                int k = ast_pat_elem_field(&p->elems, i, v->nfields);
                if (k < 0)
                    continue;
                r = and_join(r, pat_test(p->elems.items[i], member(base, field_name(v, k))));
            }
        } else if (p->kind == PAT_STRUCT) {
            for (int i = 0; i < p->fields.len; i++) {
                FieldPat *fp = p->fields.items[i];
                r = and_join(r, pat_test(fp->pat, member(base, fp->name[0] >= '0' && fp->name[0] <= '9'
                                                                 ? xprintf("_%s", fp->name) : fp->name)));
            }
        }
        return r;
    }
    case PAT_REF:
        return pat_test(p->sub, deref_text(pl));
    case PAT_OR: {
        StrBuf sb;
        sb_init(&sb);
        bool always = false;
        for (int i = 0; i < p->elems.len; i++) {
            char *c = pat_test(p->elems.items[i], pl);
            if (!c) {
                always = true;
                break;
            }
            sb_printf(&sb, "%s(%s)", i ? " || " : "", c);
        }
        char *r = always ? NULL : xprintf("(%s)", sb.data);
        sb_free(&sb);
        return r;
    }
    case PAT_SLICE: {
        bool has_rest = false;
        int n = p->elems.len;
        for (int i = 0; i < n; i++)
            has_rest |= ast_pat_is_rest(p->elems.items[i]);
        int fixed = has_rest ? n - 1 : n;
        char *len = slice_len(t, pl), *ptr = slice_ptr(t, pl);
        char *r = t->kind == TY_ARRAY ? NULL : xprintf("%s %s %d", len, has_rest ? ">=" : "==", fixed);
        int seen_rest = 0;
        for (int i = 0; i < n; i++) {
            Pat *sp = p->elems.items[i];
            if (ast_pat_is_rest(sp)) {
                seen_rest = 1;
                continue;
            }
            char *ix = seen_rest ? xprintf("%s - %d", len, n - i) : xprintf("%d", i);
            r = and_join(r, pat_test(sp, xprintf("%s[%s]", ptr, ix)));
        }
        return r;
    }
    }
    return NULL;
}

/* `rest @ ..` in a slice pattern: the elements from ptr[at], count of them, as a
 * subslice view, a pointer to an array of what is left, or a copy of it. */
static void bind_rest(Pat *sp, const char *ptr, int at, const char *count)
{
    Local *l = sp->local;
    Type *lt = ty_resolve(l->type);
    Type *in = lt->kind == TY_REF ? ty_resolve(lt->args[0]) : lt;
    char *v;
    if (lt->kind == TY_REF && in->kind == TY_SLICE)
        v = xprintf("(%s){%s + %d, %s}", ctype(lt), ptr, at, count);
    else if (lt->kind == TY_REF && in->kind == TY_ARRAY) /* the array type's only member is its elements */
        v = xprintf("(%s)(void *)(%s + %d)", ctype(lt), ptr, at);
    else if (lt->kind == TY_ARRAY && ty_is_copy(lt->args[0])) {
        emit("%s;", local_decl(l, false));
        emit("memcpy(%s.a, %s + %d, sizeof %s.a);", l->cname, ptr, at, l->cname);
        register_local(l);
        return;
    } else {
        not_supported(sp->span, "moving the rest of an array out by a `rest @ ..` pattern");
        return;
    }
    if (cg->rebind) {
        emit("%s = %s;", l->cname, v);
        return;
    }
    emit("%s = %s;", local_decl(l, true), v);
    register_local(l);
}

/* Declare the bindings of p (matched against `place`). */
void pat_bind(Pat *p, const char *place)
{
    char *pl = pat_place(p, place);
    Type *t = p->ty;
    switch (p->kind) {
    case PAT_IDENT:
        if (p->def)
            return;
        if (p->sub)
            pat_bind(p->sub, pl);
        if (p->local) {
            Local *l = p->local;
            const char *v = p->bind_ref && !is_fat_ref(l->type) ? addr_text(pl) : pl;
            if (cg->rebind) { /* an or-pattern's alternative: the variable is declared */
                emit("%s = %s;", l->cname, v);
                return;
            }
            emit("%s = %s;", local_decl(l, true), v);
            if (is_unit(l->type) && l->used)
                emit("(void)%s; /* a `()`: its uses are `(MrsUnit){0}` */", l->cname);
            register_local(l);
        }
        return;
    case PAT_TUPLE: {
        for (int i = 0; i < p->elems.len; i++) {
            int k = ast_pat_elem_field(&p->elems, i, t->nargs);
            if (k < 0)
                continue;
            pat_bind(p->elems.items[i], member(pl, xprintf("_%d", k)));
        }
        return;
    }
    case PAT_TUPLE_STRUCT:
    case PAT_STRUCT: {
        Def *d = p->def;
        if (!d || d->kind == DEF_CONST)
            return;
        AdtDef *a = d->adt;
        VariantInfo *v = &a->variants[d->kind == DEF_VARIANT ? d->variant : 0];
        const char *base = a->is_enum ? member(pl, v->name) : pl;
        if (p->kind == PAT_TUPLE_STRUCT) {
            for (int i = 0; i < p->elems.len; i++) {
                int k = ast_pat_elem_field(&p->elems, i, v->nfields);
                if (k < 0)
                    continue;
                pat_bind(p->elems.items[i], member(base, field_name(v, k)));
            }
        } else {
            for (int i = 0; i < p->fields.len; i++) {
                FieldPat *fp = p->fields.items[i];
                pat_bind(fp->pat, member(base, fp->name[0] >= '0' && fp->name[0] <= '9' ? xprintf("_%s", fp->name)
                                                                                        : fp->name));
            }
        }
        return;
    }
    case PAT_REF:
        pat_bind(p->sub, deref_text(pl));
        return;
    case PAT_OR: {
        /* all alternatives bind the same names: declare them once, then
         * fill them from whichever alternative matched */
        Pat *first = p->elems.items[0];
        if (!pat_test(first, pl) || p->elems.len == 1) {
            pat_bind(first, pl);
            return;
        }
        List binds = {0};
        collect_binds(first, &binds);
        if (binds.len == 0)
            return;
        for (int i = 0; i < binds.len && !cg->rebind; i++) {
            Local *l = binds.items[i];
            emit("%s = %s;", decl(l->type, l->cname), dummy(l->type));
        }
        for (int i = 0; i < p->elems.len; i++) {
            Pat *alt = p->elems.items[i];
            char *c = pat_test(alt, pl);
            emit("%sif (%s) {", i ? "} else " : "", c ? c : "true");
            cg->indent++;
            bool saved = cg->rebind;
            cg->rebind = true;
            pat_bind(alt, pl);
            cg->rebind = saved;
            cg->indent--;
        }
        emit("}");
        if (!cg->rebind)
            for (int i = 0; i < binds.len; i++)
                register_local(binds.items[i]);
        return;
    }
    case PAT_SLICE: {
        int n = p->elems.len, seen_rest = 0;
        char *len = slice_len(t, pl), *ptr = slice_ptr(t, pl);
        for (int i = 0; i < n; i++) {
            Pat *sp = p->elems.items[i];
            if (sp->kind == PAT_IDENT && sp->local && ast_pat_is_rest(sp))
                bind_rest(sp, ptr, i, xprintf("%s - %d", len, n - 1));
            if (ast_pat_is_rest(sp)) {
                seen_rest = 1;
                continue;
            }
            char *ix = seen_rest ? xprintf("%s - %d", len, n - i) : xprintf("%d", i);
            pat_bind(sp, xprintf("%s[%s]", ptr, ix));
        }
        return;
    }
    default:
        return;
    }
}

void collect_binds(Pat *p, List *out)
{
    if (!p)
        return;
    if (p->kind == PAT_IDENT && p->local && !p->def)
        list_push(out, p->local);
    collect_binds(p->sub, out);
    for (int i = 0; i < p->elems.len && p->kind != PAT_OR; i++)
        collect_binds(p->elems.items[i], out);
    if (p->kind == PAT_OR && p->elems.len)
        collect_binds(p->elems.items[0], out);
    for (int i = 0; i < p->fields.len; i++)
        collect_binds(((FieldPat *)p->fields.items[i])->pat, out);
}

char *cg_matches(Expr *e)
{
    MacroCall *m = e->mac;
    char *pl = cg_lvalue(m->args.items[0]);
    char *t = pat_test(m->pat, pl);
    if (!m->guard)
        return xprintf("(%s)", t ? t : "true");
    char *r = fresh("matched");
    emit("bool %s = false;", r);
    emit("if (%s) {", t ? t : "true");
    cg->indent++;
    pat_bind(m->pat, pl);
    emit("%s = %s;", r, cg_expr(m->guard));
    cg->indent--;
    emit("}");
    return r;
}

bool binds_ref(Pat *p, void *ctx)
{
    (void)ctx;
    return p->local && p->bind_ref;
}

/* Does pattern p bind anything by reference (which would borrow the value)? */
bool pat_binds_ref(Pat *p) { return ast_pat_any_ident(p, binds_ref, NULL); }

/* After an irrefutable pattern has taken what it binds by value out of the
 * temporary at `pl`, drop the parts it did not bind (`_`, `..`), in field order:
 * rustc drops them at the end of the `let`. */
void drop_unbound(Pat *p, Type *t, const char *pl)
{
    if (!p || !has_drop(t) || p->derefs)
        return;
    switch (p->kind) {
    case PAT_WILD:
        emit_drop_place(t, pl);
        return;
    case PAT_IDENT:
        if (p->bind_ref && !p->def) /* `ref x` only borrowed it: it stays, and goes with the rest */
            emit_drop_place(t, pl);
        return;
    case PAT_TUPLE:
        if (t->kind != TY_TUPLE)
            return;
        for (int k = 0; k < t->nargs; k++) {
            Pat *sub = ast_pat_elem_for(&p->elems, k, t->nargs);
            char *fpl = member(pl, xprintf("_%d", k));
            if (sub)
                drop_unbound(sub, t->args[k], fpl);
            else
                emit_drop_place(t->args[k], fpl);
        }
        return;
    case PAT_TUPLE_STRUCT:
    case PAT_STRUCT: {
        if (t->kind != TY_ADT || t->adt->drop_impl || !p->def)
            return;
        bool variant = t->adt->is_enum;
        if (variant && p->def->kind != DEF_VARIANT)
            return;
        VariantInfo *v = &t->adt->variants[variant ? p->def->variant : 0];
        if (variant) /* the pattern matched: the value is this variant */
            pl = member(pl, v->name);
        for (int k = 0; k < v->nfields; k++) {
            Pat *sub = NULL;
            if (p->kind == PAT_TUPLE_STRUCT) {
                sub = ast_pat_elem_for(&p->elems, k, v->nfields);
            } else {
                for (int i = 0; i < p->fields.len; i++) {
                    FieldPat *fp = p->fields.items[i];
                    if (!strcmp(fp->name, v->kind == SK_TUPLE ? xprintf("%d", k) : v->fields[k].name))
                        sub = fp->pat;
                }
            }
            Type *ft = ty_subst(v->fields[k].type, t->args, t->nargs);
            char *fpl = member(pl, field_name(v, k));
            if (sub)
                drop_unbound(sub, ft, fpl);
            else
                emit_drop_place(ft, fpl);
        }
        return;
    }
    case PAT_OR:
        /* the alternative that matched says what is left */
        for (int i = 0; i < p->elems.len; i++) {
            Pat *alt = p->elems.items[i];
            char *c = pat_test(alt, pl);
            emit("%sif (%s) {", i ? "} else " : "", c ? c : "true");
            cg->indent++;
            drop_unbound(alt, t, pl);
            cg->indent--;
            if (!c)
                break;
        }
        emit("}");
        return;
    default:
        return; /* bindings move their part out; literals and ranges own nothing */
    }
}
