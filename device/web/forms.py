"""The settings form: form text -> typed values, checked by the config's own declarations.

A browser sends every field as text; `parse_form` turns each into the TOML type its kind
takes (a whole number for `Integer`, a number for `Number`, a checkbox for `Boolean`) and
then lets the declared kind (`device.config.schema`) check it, range and choices included.
So the phone and the config file refuse exactly the same values, with the same words.
"""

from __future__ import annotations

from dataclasses import dataclass

from device.config import phone_settings
from device.config.schema import Boolean, Integer, Number, kind_of


@dataclass(frozen=True)
class Field:
    section: str
    key: str

    @property
    def name(self) -> str:
        """The form field's name, e.g. "bedtime.friday"."""
        return f"{self.section}.{self.key}"

    @property
    def kind(self):
        return kind_of(self.section, self.key)


FIELDS = tuple(Field(section, key) for section, key in phone_settings.PHONE_KEYS)


def _typed(kind, text: str | None):
    """The form's text as the TOML value the kind parses; ValueError with the fix if it is none."""
    if isinstance(kind, Boolean):
        return text is not None and text not in ("", "off", "false")
    text = (text or "").strip()
    if isinstance(kind, Integer):
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"must be a whole number from {kind.low} to {kind.high}") from None
    if isinstance(kind, Number):
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"must be a number from {kind.low:g} to {kind.high:g}") from None
    return text


def parse_form(form, fields=FIELDS) -> tuple[dict[tuple[str, str], object], dict[tuple[str, str], str]]:
    """(typed values, problems) by (section, key) for `fields` from a submitted `form` (a mapping)."""
    values, problems = {}, {}
    for field in fields:
        try:
            values[(field.section, field.key)] = field.kind.parse(_typed(field.kind, form.get(field.name)))
        except ValueError as error:
            problems[(field.section, field.key)] = str(error)
    return values, problems


def shown(value) -> str:
    """A typed value as a form field shows it."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
