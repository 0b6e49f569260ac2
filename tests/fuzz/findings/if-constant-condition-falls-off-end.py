"""difffuzz finding (kcache bug, a valid kernel refused; FIXED in python/kcache/_source.py):

    def k(x):
        if 1:
            return 5
        return 6

was refused with "type error: 'k' returns int64 on some paths and falls off the end (None) on
others; Numba would make this Optional". The same for `if not False:`, `if True or x > 0:`,
`if 1.5:`, `while 1: return 5` followed by more statements. kcached itself is right (`kcache
inspect --types` on the file types it); the Python package sent a truncated function: its quick
path (_quick_function_text) ends the function at the last line the code object's positions
name, and CPython leaves code it proves unreachable (after `if 1: return`) out of the bytecode,
so `return 6` was cut off. When the dropped tail changed the return type (`return 6.5`), a lazy
kernel would have returned an int where Numba returns a float. Fix: a deeper-indented line after
the positions' last line sends gathering to the whole-module parse (test_source.py has the test).

expected: 5      got (before the fix): TypingError
found by: --seed 101 --case 905 and 1755, --seed 303 --case 714 (minimised)
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
