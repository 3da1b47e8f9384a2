"""Browser actions: one typed model per action, the single source of their names, arguments and docs.

The LLM agent sees ``action_schema()``; playbooks hold lists of these; the browser
activities dispatch on ``action``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

Selector = Annotated[str, Field(min_length=1, max_length=2000, description="A Playwright selector (CSS, text=…, role=…)")]
TIMEOUT_MS = Field(10_000, gt=0, le=300_000, description="How long to wait, in milliseconds")


class _Action(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Navigate(_Action):
    """Load a URL in the current tab."""

    action: Literal["navigate"] = "navigate"
    url: str = Field(min_length=1, max_length=8000)


class Click(_Action):
    """Click the first element matching the selector."""

    action: Literal["click"] = "click"
    selector: Selector
    timeout_ms: int = TIMEOUT_MS


class Fill(_Action):
    """Replace the value of an input or textarea."""

    action: Literal["fill"] = "fill"
    selector: Selector
    text: str = Field(max_length=100_000)
    timeout_ms: int = TIMEOUT_MS


class TypeText(_Action):
    """Type text key by key into the focused or selected element (for fields that react to keystrokes)."""

    action: Literal["type"] = "type"
    selector: Selector
    text: str = Field(max_length=10_000)
    timeout_ms: int = TIMEOUT_MS


class SelectOption(_Action):
    """Choose options of a <select> by value or label."""

    action: Literal["select_option"] = "select_option"
    selector: Selector
    values: list[str] = Field(min_length=1)
    timeout_ms: int = TIMEOUT_MS


class Check(_Action):
    """Tick (checked=true) or untick (checked=false) a checkbox or radio button."""

    action: Literal["check"] = "check"
    selector: Selector
    checked: bool = True
    timeout_ms: int = TIMEOUT_MS


class Press(_Action):
    """Press a key or chord (Enter, Tab, Control+A) on an element, or on the page without a selector."""

    action: Literal["press"] = "press"
    key: str = Field(min_length=1, max_length=100)
    selector: Optional[Selector] = None
    timeout_ms: int = TIMEOUT_MS


class Hover(_Action):
    """Move the mouse over an element."""

    action: Literal["hover"] = "hover"
    selector: Selector
    timeout_ms: int = TIMEOUT_MS


class Scroll(_Action):
    """Scroll the page by pixels, or an element into view."""

    action: Literal["scroll"] = "scroll"
    dy: int = Field(600, description="Pixels down (negative: up)")
    selector: Optional[Selector] = None


class WaitFor(_Action):
    """Wait until a selector is visible, a text appears, or a number of milliseconds passes."""

    action: Literal["wait_for"] = "wait_for"
    selector: Optional[Selector] = None
    text: Optional[str] = None
    timeout_ms: int = TIMEOUT_MS


class Back(_Action):
    """Go back in the tab's history."""

    action: Literal["back"] = "back"


class Forward(_Action):
    """Go forward in the tab's history."""

    action: Literal["forward"] = "forward"


class Extract(_Action):
    """Read the page: visible text, links, tables, or named fields from a CSS map.

    ``fields`` maps a name to a selector; a name ending in ``[]`` collects every match.
    Large text goes to the artifact store and the outcome holds a reference.
    """

    action: Literal["extract"] = "extract"
    what: Literal["text", "links", "tables", "fields", "html"] = "text"
    fields: dict[str, str] = Field(default_factory=dict)
    selector: Optional[Selector] = Field(None, description="Limit text/links/tables to this element")


class Screenshot(_Action):
    """Save a screenshot to the artifact store."""

    action: Literal["screenshot"] = "screenshot"
    full_page: bool = False
    name: str = Field("screenshot", pattern=r"^[\w.-]{1,80}$")


class OpenTab(_Action):
    """Open a new tab, optionally at a URL, and make it current."""

    action: Literal["open_tab"] = "open_tab"
    url: Optional[str] = None


class SwitchTab(_Action):
    """Make the tab with this index (0 = first) current."""

    action: Literal["switch_tab"] = "switch_tab"
    index: int = Field(ge=0)


class CloseTab(_Action):
    """Close the current tab; the previous one becomes current."""

    action: Literal["close_tab"] = "close_tab"


class Upload(_Action):
    """Set a file input to a file named in the task's inputs (``files``)."""

    action: Literal["upload"] = "upload"
    selector: Selector
    file: str = Field(min_length=1, description="A key of the task's inputs.files")
    timeout_ms: int = TIMEOUT_MS


class Download(_Action):
    """Click the element that starts a download and keep the file in the artifact store."""

    action: Literal["download"] = "download"
    selector: Selector
    timeout_ms: int = Field(30_000, gt=0, le=300_000)


Action = Annotated[
    Union[
        Navigate, Click, Fill, TypeText, SelectOption, Check, Press, Hover, Scroll, WaitFor,
        Back, Forward, Extract, Screenshot, OpenTab, SwitchTab, CloseTab, Upload, Download,
    ],
    Field(discriminator="action"),
]
ACTIONS: TypeAdapter[Action] = TypeAdapter(Action)
ACTION_TYPES: dict[str, type[_Action]] = {
    cls.model_fields["action"].default: cls for cls in _Action.__subclasses__()
}


def action_schema() -> dict[str, Any]:
    """The JSON schema of every action (what the LLM agent is offered)."""
    return ACTIONS.json_schema()


def describe(action: _Action) -> str:
    """A short human line for status and the web UI."""
    args = action.model_dump(exclude={"action", "timeout_ms"}, exclude_defaults=True)
    shown = ", ".join(f"{k}={v!r}"[:60] for k, v in args.items() if k != "text")
    return f"{action.action}({shown})"
