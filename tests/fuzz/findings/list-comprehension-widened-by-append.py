"""difffuzz finding (kcache bug, WRONG ANSWER): a list widened through one reference is read
with the old item type through the others.

`append` of a float to a list of ints widens the list's item type -- but only for the variable
it was called on (infer/list.rs, append_to: `fx.vars[var].ty = List(item)`). Every other
reference to the same (shared) list keeps list(int64) and reads the same buffer with the other
type, and what was stored through it is not converted:

    lst = [x for j in range(2)]; lst.append(1.0)       # the comprehension's hidden variable
    -> [1.5e-323, 1.5e-323, 1.0], sum 1.0              (CPython [3, 3, 1.0], sum 7.0)

    a = [x, x]; b = a; b.append(1.5); a[0] + b[0] + a[2]
    -> 4.6094342186137027e+18                          (CPython 7.5)

    def h(l): l.append(1.5)   ...   a = [x, x]; h(a); a[0] + a[2]
    -> 4.6094342186137027e+18                          (CPython 4.5)

Numba fixes a list's item type when it is made (list(int64)) and converts what is appended
(append(1.5) stores 1). kcache should do the same once a list can be reached from more than one
name (a comprehension's hidden variable, `b = a`, a call argument), or refuse ("a list of int64
cannot hold float64", as `lst[0] = 2.5` already is), but never reinterpret the items.

expected: 7.0 (CPython; Numba 7)      got: 1.0
found by: --seed 101 --case 1180 (minimised, then by hand)
rerun: python tests/fuzz/difffuzz.py --replay tests/fuzz/findings/list-comprehension-widened-by-append.py
"""

# --- kernel ---
def k(x):
    lst = [x for j in range(2)]
    lst.append(1.0)
    return sum(lst)

# --- case ---
SIGNATURE = 'float64(int64)'
OPTIONS = {}
RET = 'f'
INPUTS = [(3, )]
