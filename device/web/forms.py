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
            number = float(text)
        except ValueError:
            raise ValueError(f"must be a number from {kind.low:g} to {kind.high:g}") from None
        return int(number) if number.is_integer() else number  # so a refusal says "999", not "999.0"
    return text


def parse_form(form, fields=FIELDS) -> tuple[dict[tuple[str, str], object], dict[tuple[str, str], str]]:
    """(typed values, problems) by (section, key) for `fields` from a submitted `form` (a mapping)."""
    values, problems = {}, {}
    for field in fields:
        try:
            value = field.kind.parse(_typed(field.kind, form.get(field.name)))
            if isinstance(field.kind, Number) and not field.kind.whole:
                value = float(value)  # the type the config declares
            values[(field.section, field.key)] = value
        except ValueError as error:
            problems[(field.section, field.key)] = str(error)
    return values, problems


def shown(value) -> str:
    """A typed value as a form field shows it."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def attributes(kind) -> list[tuple[str, str]]:
    """The HTML attributes that let a browser check a number field as the config's kind does:
    min and max, any step for a number (whole numbers step by 1), and the keyboard to show."""
    if not isinstance(kind, Number):
        return []
    return [("min", f"{kind.low:g}"), ("max", f"{kind.high:g}"), ("step", "1" if kind.whole else "any"),
            ("inputmode", "numeric" if kind.whole else "decimal")]
