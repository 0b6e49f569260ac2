"""difffuzz finding (kcache bug, a valid kernel refused): `if <constant>: return x` + return.

    def k(x):
        if 1:
            return 5
        return 6

is refused with "type error: 'k' returns int64 on some paths and falls off the end (None) on
others; Numba would make this Optional". The same for `if not False:`, `if True or x > 0:`,
`if 1.5:`, `while 1: return 5`; `if True:` and `if 2 > 1:` compile. The function returns on every
path (CPython gives 5). Likely the constant-condition pruning: the return-path analysis and the
pruning disagree on which branch is dead (parse/ or infer/stmt.rs, the lead's files).

expected: 5      got: TypingError
found by: --seed 101 --case 905 (minimised), --seed 101 --case 1755 (float32 return)
rerun: python tests/fuzz/difffuzz.py --replay tests/fuzz/findings/if-constant-condition-falls-off-end.py
"""

# --- kernel ---
def k(x):
    if 1:
        return 5
    return 6

# --- case ---
SIGNATURE = 'int64(float64)'
OPTIONS = {}
RET = 'i'
INPUTS = [(1.0, )]
