"""A longer fuzz run: the CI fuzz tests' cases, many more of them, counting instead of stopping.

Runs the bodies of `tests/test_cli_fuzz.py` (generated configs, routine dirs, damaged
journals, argument lists, each through the real `psoas` entry point in-process) for
`--examples` inputs of each kind, and prints how many ran, how many failed, and one example
of each kind of failure. Exit status 1 when any input failed.

    python bench/fuzz.py                       # 2000 of each kind
    python bench/fuzz.py --examples 200 --only journals
"""

from __future__ import annotations

import argparse
import collections
import sys
import time

import _common
from _common import header, note, result

sys.path.insert(0, str(_common.REPO / "tests"))

import fuzz_cli  # noqa: E402 - after the path is set
import test_cli_fuzz as suite  # noqa: E402
from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402

KINDS = {  # kind -> (strategy, the CI test it runs)
    "configs": (fuzz_cli.config_texts(quiet=True),
                suite.test_generated_configs_are_one_line_each_and_the_check_agrees_with_run),
    "routine_dirs": (fuzz_cli.routine_dir_cases(), suite.test_generated_routine_dirs_check_exactly_what_list_skips),
    "journals": (fuzz_cli.journal_cases(), suite.test_a_damaged_journal_is_one_line_and_never_stops_run),
    "journal_demo": (fuzz_cli.journal_cases(), suite.test_a_damaged_journal_never_keeps_a_routine_from_running),
    "argv": (fuzz_cli.argv_cases(), suite.test_generated_argument_lists_end_as_documented),
}
DEMO_SHARE = 0.02  # demos run a whole routine (0.2 s each): this share of --examples


def run_kind(kind: str, examples: int, fixed_seed: int | None) -> tuple[int, collections.Counter, dict]:
    """Run `examples` inputs of one kind; (inputs run, failures by first line, an example of each)."""
    strategy, test = KINDS[kind]
    body = test.hypothesis.inner_test
    failures: collections.Counter = collections.Counter()
    examples_of: dict[str, str] = {}
    ran = [0]

    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck),
              phases=[Phase.generate])
    @given(strategy)
    def one(case):
        ran[0] += 1
        try:
            body(case)
        except Exception as error:  # noqa: BLE001 - counted, not raised
            text = str(error).strip() or type(error).__name__
            first = text.splitlines()[0][:160]
            failures[first] += 1
            examples_of.setdefault(first, text[:1500])

    if fixed_seed is not None:
        one = seed(fixed_seed)(one)
    one()
    return ran[0], failures, examples_of


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=2000, help="inputs of each kind (default: %(default)s)")
    parser.add_argument("--only", action="append", choices=sorted(KINDS), default=[],
                        help="run only this kind; repeatable")
    parser.add_argument("--seed", type=int, help="a fixed random seed, to repeat a run")
    args = parser.parse_args()
    header(f"fuzz: generated input through the real `psoas` entry point, {args.examples} of each kind")
    total_ran = total_failed = 0
    started = time.monotonic()
    for kind in args.only or list(KINDS):
        count = max(1, round(args.examples * DEMO_SHARE)) if kind == "journal_demo" else args.examples
        began = time.monotonic()
        ran, failures, examples_of = run_kind(kind, count, args.seed)
        failed = sum(failures.values())
        total_ran, total_failed = total_ran + ran, total_failed + failed
        result(f"{kind}", f"{ran} inputs ran, {failed} failed, {time.monotonic() - began:.1f} s",
               "0 failed", failed == 0)
        for first, count_ in failures.most_common():
            note(f"{count_}×  {first}")
            for line in examples_of[first].splitlines()[1:12]:
                note(f"      {line}")
    result("all kinds", f"{total_ran} inputs ran, {total_failed} failed, {time.monotonic() - started:.1f} s",
           "0 failed", total_failed == 0)
    return 1 if total_failed else 0


if __name__ == "__main__":
    sys.exit(main())
