"""Short words the program uses itself (stretch and card text lives in `data/`), and counted words.

`counted` is the one way a number is written with its word, on screen and in every command's
output, so the two always agree: "1 stretch", "2 stretches".
"""

SWITCH_TITLE = "Switch sides"
SWITCH_TEXT = "Bring the leg back slowly."
PAUSED_TITLE = "Paused"
STOPPED_TITLE = "Stopped"
STOPPED_TEXT = "That's fine. Rest now."
GET_READY_TITLE = "Get ready"
SKIP_TONIGHT = "Skip tonight"

HINT_START = "start"
HINT_CONTINUE = "next"
HINT_PAUSE = "pause"
HINT_RESUME = "resume"
HINT_SKIP = "skip"
HINT_CHANGE = "change"
HINT_CLOSE = "close"
HINT_CHOOSE = "choose"
HINT_TIME = "time"
HINT_ROUTINE = "routine"
HINT_PLUS_ONE = "+1"
HINT_SAVE = "save"
HINT_NOT_TODAY = "not today"


def plural(count: int, word: str, words: str | None = None) -> str:
    """`word` for a count of 1, else `words` (default: `word` + "es" after s, x, z, ch, sh; else + "s")."""
    if count == 1:
        return word
    if words is not None:
        return words
    return word + ("es" if word.endswith(("s", "x", "z", "ch", "sh")) else "s")


def counted(count: int, word: str, words: str | None = None) -> str:
    """The number and its word, e.g. "1 stretch", "2 stretches", "0 holds" (see `plural`)."""
    return f"{count} {plural(count, word, words)}"
