"""The conformance figures (objects and events checked, differences) at the end of the run's
output, where ``make test`` shows them even when the check passes."""

import pytest

FIGURES = pytest.StashKey[str]()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    figures = terminalreporter.config.stash.get(FIGURES, None)
    if figures is not None:
        terminalreporter.write_line(figures)
