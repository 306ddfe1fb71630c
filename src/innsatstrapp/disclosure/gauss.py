"""Secondary suppression by Gaussian elimination (after Langsrud 2024, the method of
Statistics Norway's GaussSuppression), written for this project.

Every published figure is a column of a model matrix X: the linear combination of inner
cells (decisions per service and unit, persons per age band and level, …) that it sums.
A withheld figure b is recovered from the published set P exactly when its column lies in
the span of P's columns. Candidates are offered for publication one at a time, most wanted
first; each is used to eliminate an inner cell from every remaining column. A candidate
whose elimination would wipe out a protected column (make it a combination of published
ones) is withheld instead: a secondary suppression. Because the check runs at every step,
no protected figure ends in the span of the published ones, and no secondary one either (it
was withheld because it, with the published, would give a protected one).

Arithmetic is exact: columns are sparse integer vectors, combined fraction-free and divided
by their gcd, so no tolerance is needed and none can be wrong.

Two kinds of protection:
- `protect` (a primary cell): its column must not become a combination of published ones;
- `guard` (cells decided elsewhere, such as a month's withheld levels seen from a pair of
  months): publishing must add no linear information on them at all, i.e. a candidate whose
  remainder lies in the span of the guarded remainders is withheld.
A singleton (an inner cell of one person or decision, `singletons`) is known to that person:
a candidate is also withheld if, with one singleton's cell known, it would give a protected
cell that is not the singleton's own.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from math import gcd

Vector = dict[Hashable, int]  # inner cell -> coefficient (never 0)
_UNITS = frozenset((1, -1))  # a vector of these has gcd 1: already normal
_ONES = frozenset((1,))  # and of these alone, its own key (gcd 1, the sign positive)


def _normal(v: Vector) -> Vector:
    """Divided by the gcd of its coefficients."""
    if _UNITS.issuperset(v.values()):  # most columns: sums of cells, each ±1
        return v
    g = 0
    for x in v.values():
        g = gcd(g, x)
    return {k: x // g for k, x in v.items()} if g > 1 else v


def _key(v: dict[int, int]) -> tuple:
    """A key equal for parallel vectors (v and −v, any multiple), of integer inner cells."""
    items = sorted(v.items())
    g = 0
    for _, x in items:
        g = gcd(g, x)
    if items and items[0][1] < 0:
        g = -g
    return tuple((k, x // g) for k, x in items)


def _combine(a: Vector, b: Vector, pivot: Hashable) -> Vector:
    """b with `pivot` eliminated by a: a[p]·b − b[p]·a, normalised."""
    ap, bp = a[pivot], b[pivot]
    if len(a) == 1:  # most figures are one inner cell: b without it (a normal a is ±1)
        return _normal({k: ap * x for k, x in b.items() if k != pivot})
    out = {k: ap * x for k, x in b.items()}
    for k, x in a.items():
        y = out.get(k, 0) - bp * x
        if y:
            out[k] = y
        else:
            out.pop(k, None)
    return _normal(out)


class _Span:
    """An echelon basis of the span of some vectors (for the guarded cells)."""

    def __init__(self) -> None:
        self.rows: dict[Hashable, Vector] = {}  # pivot -> vector with that pivot

    def reduce(self, v: Vector) -> Vector:
        while v:  # each step takes a pivot out; a combination may bring in another
            hit = next((k for k in v if k in self.rows), None)
            if hit is None:
                return v
            v = _combine(self.rows[hit], v, hit)
        return v

    def add(self, v: Vector) -> None:
        v = self.reduce(v)
        if v:
            self.rows[min(v)] = v

    def contains(self, v: Vector) -> bool:
        return not self.reduce(v)


def suppress(columns: dict[Hashable, Vector], *, candidates: Iterable[Hashable],
             protect: Iterable[Hashable] = (), forced: Iterable[Hashable] = (),
             guard: Iterable[Hashable] = (), given: Iterable[Hashable] = (),
             singletons: Iterable[Hashable] = ()) -> tuple[set, set]:
    """(secondary, unsafe): the candidates to withhold, and the published cells that gave a
    protected or guarded cell away (then the caller must withhold more than cells).

    `columns` maps every figure to its column; `given` are published first, whatever they
    say of the guarded cells (figures decided elsewhere, whose information the guarded
    cells' decision took into account); `forced` are published next whatever they give
    (zeros); `candidates` come in order of preference to be published; a figure in none of
    the lists is neither published nor protected (hidden)."""
    e = _Elimination(columns, protect, guard, singletons)
    return e.run(given, forced, candidates)


class _Elimination:
    """The live (not yet eliminated) columns, kept reduced at every step, with an index
    from inner cell to the columns that hold it, so a step touches only those. Inner cells
    are numbered, so vectors sort and hash quickly."""

    def __init__(self, columns: dict[Hashable, Vector], protect: Iterable[Hashable],
                 guard: Iterable[Hashable], singletons: Iterable[Hashable]) -> None:
        ids: dict[Hashable, int] = {}
        self.live: dict[Hashable, dict[int, int]] = {}
        self.index: dict[int, set] = {}
        for c, v in columns.items():
            self._enter(c, _normal({ids.setdefault(k, len(ids)): x for k, x in v.items()
                                    if x}))
        self.prot = {c for c in protect if self.live.get(c)}
        self.guard = {c for c in guard if self.live.get(c)}
        # a singleton: an inner cell of one person or decision, known to that person
        self.single = {("\x00singleton", ids[k]) for k in singletons if k in ids}
        for s in self.single:
            self._enter(s, {s[1]: 1})
        # a protected cell that is one singleton's own cell is no news to that person
        self.own = {b: ("\x00singleton", next(iter(self.live[b]))) for b in self.prot
                    if len(self.live[b]) == 1}
        self.watched = self.prot | self.single | self.guard
        self.span = _Span()
        self._respan()
        self.keys: dict[str, dict[tuple, set]] = {"single": {}, "prot": {}}
        if self.single:
            for c in self.single | self.prot:
                self._key_in(c, self.live[c])

    def _kind(self, c: Hashable) -> str:
        return "single" if c in self.single else "prot"

    def _key_in(self, c: Hashable, v: dict[int, int]) -> None:
        if v:
            self.keys[self._kind(c)].setdefault(_key(v), set()).add(c)

    def _key_out(self, c: Hashable) -> None:
        v = self.live.get(c)
        if v:
            self.keys[self._kind(c)][_key(v)].discard(c)

    def _enter(self, c: Hashable, v: dict[int, int]) -> None:
        self.live[c] = v
        for k in v:
            self.index.setdefault(k, set()).add(c)

    def _leave(self, c: Hashable) -> None:
        for k in self.live.pop(c):
            self.index[k].discard(c)

    def _respan(self) -> None:
        self.span = _Span()
        for g in self.guard:
            if self.live.get(g):
                self.span.add(self.live[g])

    def _pivot(self, v: dict[int, int]) -> int:
        if len(v) == 1:
            return next(iter(v))
        return min(v, key=lambda k: (len(self.index[k]), k))

    def exposes(self, c: Hashable, guarded: bool = True) -> bool:
        """Would publishing c give a protected cell, or (`guarded`) anything on the guarded
        ones?"""
        v = self.live[c]
        if not v:
            return False
        if guarded and self.span.rows and self.span.contains(v):
            return True
        pivot = self._pivot(v)
        changed = {x: _combine(v, self.live[x], pivot) for x in self.index[pivot]
                   if x != c and x in self.watched}
        if not changed:  # the pivot is in no watched column: nothing can come out
            return False
        if any(not w for x, w in changed.items() if x in self.prot):
            return True
        return bool(self.single) and self._singleton_exposes(changed)

    def _singleton_exposes(self, changed: dict[Hashable, dict[int, int]]) -> bool:
        """Would a protected cell become parallel to a singleton's cell (so that person,
        knowing their own cell, would have it)? Only changed vectors can become so."""
        gone = {c: _key(self.live[c]) for c in changed
                if (c in self.single or c in self.prot) and self.live[c]}
        new = {c: _key(w) for c, w in changed.items()
               if (c in self.single or c in self.prot) and w}

        def holders(kind: str, k: tuple) -> set:
            out = {c for c in self.keys[kind].get(k, ()) if gone.get(c) != k or c in new}
            out = {c for c in out if new.get(c, k) == k}
            return out | {c for c, kc in new.items() if kc == k and self._kind(c) == kind}

        for c, k in new.items():
            if c in self.prot:
                if holders("single", k) - {self.own.get(c)}:
                    return True
            else:
                if any(self.own.get(b) != c for b in holders("prot", k)):
                    return True
        return False

    def publish(self, c: Hashable) -> None:
        v = self.live[c]
        if self.single and (c in self.single or c in self.prot):
            self._key_out(c)
        self._leave(c)
        if not v:
            return
        pivot = self._pivot(v)
        touched = list(self.index[pivot])
        one = len(v) == 1  # the pivot alone leaves the columns it was in
        for x in touched:
            keyed = self.single and (x in self.single or x in self.prot)
            if keyed:
                self._key_out(x)
            w = _combine(v, self.live[x], pivot)
            if one:  # w is x without the pivot: only the pivot's index changes
                self.index[pivot].discard(x)
                self.live[x] = w
            else:
                self._leave(x)
                self._enter(x, w)
            if keyed:
                self._key_in(x, w)
        if self.guard and any(x in self.guard for x in touched):
            self._respan()

    def run(self, given: Iterable[Hashable], forced: Iterable[Hashable],
            candidates: Iterable[Hashable]) -> tuple[set, set]:
        secondary, unsafe = set(), set()
        done = set(self.prot) | set(self.guard)
        for c, guarded in [*((c, False) for c in dict.fromkeys(given)),
                           *((c, True) for c in dict.fromkeys(forced))]:
            if c in done or c not in self.live:
                continue
            done.add(c)
            if self.exposes(c, guarded):
                unsafe.add(c)
            self.publish(c)
        for c in candidates:
            if c in done or c not in self.live:
                continue
            done.add(c)
            if self.exposes(c):
                secondary.add(c)
                self._leave(c)
            else:
                self.publish(c)
        return secondary, unsafe


def key(v: Vector) -> frozenset:
    """Equal for columns that are multiples of each other (the same figure twice, or one
    that gives the other); within one process."""
    if v and _ONES.issuperset(v.values()):  # most columns: a sum of cells
        return frozenset(v.items())
    g = 0
    for x in v.values():
        g = gcd(g, x)
    if v[min(v, key=hash)] < 0:
        g = -g
    return frozenset((k, x // g) for k, x in v.items())


def null_space(relations: list[Vector], cells: list[Hashable]) -> dict[Hashable, Vector]:
    """Columns of a model matrix for figures tied by `relations` (each Σ coef·cell = 0):
    the inner cells are a basis of the relations' null space (exact, integer).

    Reduced row echelon form by fraction-free elimination; each free figure gives one
    basis vector."""
    pivots: dict[Hashable, Vector] = {}  # pivot cell -> row (holds no other pivot)
    for r in relations:
        v = {k: x for k, x in r.items() if x}
        for p in [k for k in v if k in pivots]:
            if p in v:
                v = _combine(pivots[p], v, p)
        if not v:
            continue
        p = min(v, key=repr)  # deterministic
        for q, row in list(pivots.items()):
            if p in row:
                pivots[q] = _combine(v, row, p)
        pivots[p] = v
    free = [c for c in dict.fromkeys(cells) if c not in pivots]
    columns: dict[Hashable, Vector] = {c: {} for c in dict.fromkeys(cells)}
    for f in free:
        # x_f = d (the product of the pivots' coefficients that hold f, to stay integer)
        rows = [(p, row) for p, row in pivots.items() if f in row]
        d = 1
        for p, row in rows:
            d = d * abs(row[p]) // gcd(d, abs(row[p]))
        columns[f][("free", f)] = d
        for p, row in rows:
            columns.setdefault(p, {})[("free", f)] = -row[f] * d // row[p]
    return columns


def rank_after(columns: dict[Hashable, Vector], published: list[Hashable],
               cells: list[Hashable]) -> int:
    """The rank of `cells`' columns once the `published` are known (eliminated)."""
    e = _Elimination({c: columns[c] for c in [*published, *cells] if c in columns},
                     (), (), ())
    for c in published:
        if c in e.live:
            e.publish(c)
    span = _Span()
    for c in cells:
        if e.live.get(c):
            span.add(e.live[c])
    return len(span.rows)
