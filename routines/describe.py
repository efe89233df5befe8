"""A routine in words and as plain data, for people: its planned minutes, readable lines
(`psoas routines show`, the phone's routines page) and JSON (`psoas routines show --json`).

Pure: the pauses between holds come from the caller (the config's `[routine]` timings).
"""

from __future__ import annotations

from routines.loading.files import shown
from routines.model import HoldStart, Routine, Sides, Step, StepKind

SIDES_TEXT = {Sides.BOTH: "both sides at once", Sides.EACH: "each side in turn"}


def minutes(routine: Routine, timings) -> float:
    """Planned length in minutes, with the config's pauses (in seconds) between holds."""
    seconds = routine.planned_seconds(float(timings.switch_seconds), float(timings.transition_seconds))
    return seconds / 60


def routine_json(routine: Routine, total_minutes: float) -> dict:
    """The resolved routine as plain data (durations in seconds)."""
    return {
        "name": routine.name,
        "title": routine.title,
        "description": routine.description,
        "source": routine.source,
        "hold_start": routine.hold_start.value,
        "get_ready_seconds": routine.get_ready_seconds,
        "minutes": round(total_minutes, 1),
        "steps": [_step_json(step) for step in routine.steps],
    }


def _step_json(step: Step) -> dict:
    data: dict = {"kind": step.kind.value, "title": step.title}
    if step.kind is StepKind.STRETCH:
        breathing = step.breathing
        data.update(
            stretch_id=step.stretch.id, stretch_name=step.stretch.name, sides=step.sides.value,
            hold_seconds=step.hold_seconds, setup_pages=list(step.pages), cues=list(step.cues),
            caution=step.stretch.caution, note=step.stretch.note, fade_out=step.fade_out,
            breathing=None if breathing is None else {
                "inhale_seconds": breathing.inhale_seconds, "exhale_seconds": breathing.exhale_seconds},
        )
    else:
        data["pages"] = list(step.pages)
        if step.kind is StepKind.REST:
            data["seconds"] = step.seconds
    return data


def describe(routine: Routine, total_minutes: float) -> list[str]:
    """The routine as readable lines."""
    start = ("on a press" if routine.hold_start is HoldStart.PRESS
             else f"after a {routine.get_ready_seconds:g} s get-ready countdown")
    lines = [f"{routine.title} ({shown(routine.name)}), about {total_minutes:.0f} min, from {shown(routine.source)}"]
    if routine.description:
        lines.append(routine.description)
    lines.append(f"Holds start {start}.")
    for number, step in enumerate(routine.steps, start=1):
        lines.append("")
        lines += _describe_step(number, step)
    return lines


def _describe_step(number: int, step: Step) -> list[str]:
    if step.kind is not StepKind.STRETCH:
        timing = f", {step.seconds:g} s" if step.kind is StepKind.REST else ""
        return [f"{number}. {step.title} ({step.kind.value}{timing})"] + [f"   {page}" for page in step.pages]
    stretch = step.stretch
    per_side = " per side" if step.sides is Sides.EACH else ""
    breathing = ("no breathing pacer" if step.breathing is None else
                 f"breathe in {step.breathing.inhale_seconds:g} s, out {step.breathing.exhale_seconds:g} s")
    lines = [f"{number}. {stretch.name} [{stretch.id}]: hold {_clock(step.hold_seconds)}{per_side}, "
             f"{SIDES_TEXT[step.sides]}", f"   {breathing}" + (", screen fades out" if step.fade_out else "")]
    lines += ["   Setup:"] + [f"     - {page}" for page in step.pages]
    lines += ["   During the hold:"] + [f"     - {cue}" for cue in step.cues]
    lines += [f"   {label}: {text}" for label, text in (("Caution", stretch.caution), ("Note", stretch.note)) if text]
    return lines


def _clock(seconds: float) -> str:
    """90 -> "1:30", 25 -> "25 s"."""
    if seconds < 60:
        return f"{seconds:g} s"
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"
