"""The config a command runs with, and its routines, each read once: the config file over the
defaults, the state dir it names, the phone page's routine files and settings on top
(`device.config.phone_settings`), and the catalog of routines that config can name.

A phone setting that does not fit (say it names a routine that is gone) is left out and
logged; a bad config file raises `ConfigError`, as `load_config` does.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from device.config import paths, phone_settings
from device.config.load import Config, load_config
from routines.loading.catalog import Catalog, load_catalog


class Effective(NamedTuple):
    config: Config
    state_dir: Path
    catalog: Catalog  # built in, plus the valid files in the config's routine dirs


def load(args) -> Effective:
    """The effective config, state dir and routines for a command's `args` (`--config`, `--state-dir`)."""
    config = load_config(getattr(args, "config", None))
    return layered(config, paths.state_dir(args, config))


def layered(config: Config, state_dir: Path) -> Effective:
    """`config` (the config file's) with the phone's routines and settings from `state_dir` on
    top, and the catalog read once for both: the routine names the settings are checked
    against, and the routines the daemon offers."""
    config = phone_settings.with_own_routines(config, state_dir)
    catalog = load_catalog(config.routine_dirs())
    return Effective(phone_settings.with_settings(config, state_dir, set(catalog.routines)), state_dir, catalog)
