"""The run's callback hears every stage, decision, finding and trial, in order."""

from __future__ import annotations

import pytest

from dlpilot.workflow import RunCallback, RunOptions, run

pytestmark = pytest.mark.slow


class Recorder(RunCallback):
    def __init__(self) -> None:
        self.events: list[tuple] = []

    def on_stage_begin(self, number, title, *, seconds, seconds_left) -> None:
        self.events.append(("begin", number, title))

    def on_decision(self, stage, decision) -> None:
        self.events.append(("decision", stage, decision.what))

    def on_finding(self, stage, finding) -> None:
        self.events.append(("finding", stage, str(finding.code)))

    def on_stage_end(self, record) -> None:
        self.events.append(("end", record.name))

    def on_trial_end(self, report) -> None:
        self.events.append(("trial", report.number, report.state))


def test_the_callback_follows_the_stages(tmp_path):
    recorder = Recorder()
    result = run(
        RunOptions(
            source="iris", budget_seconds=8, trials=1, out=str(tmp_path / "r"), verbose=False
        ),
        callback=recorder,
    )
    begun = [e[1] for e in recorder.events if e[0] == "begin"]
    ended = [e[1] for e in recorder.events if e[0] == "end"]
    assert begun == list(range(9))
    assert ended == [s["name"] for s in result.summary["stages"]]
    for stage in result.summary["stages"]:
        heard = [e[2] for e in recorder.events if e[0] == "decision" and e[1] == stage["name"]]
        assert heard == [d["what"] for d in stage["decisions"]]
    assert (
        len([e for e in recorder.events if e[0] == "trial"]) == result.summary["tuning"]["trials"]
    )
