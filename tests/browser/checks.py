"""The browser tests' TAP-like checks: one line per check, a summary, and
the exit status (failure also when nothing was checked)."""

import sys

passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok   " + name, flush=True)
    else:
        failed += 1
        print("FAIL " + name + (": " + str(detail) if detail else ""), flush=True)


def finish():
    print(f"{passed} passed, {failed} failed")
    sys.exit(0 if failed == 0 and passed > 0 else 1)
