"""The app: the daemon that drives the OLED and the button, its parts, and the `psoas` command.

See the README's "How it is built" for the map of this package.
"""
