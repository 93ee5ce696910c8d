"""Pages read as a browser reads them: their links, their forms, and what submitting a form
untouched sends.

The test client posts whatever a test hands it; a browser posts what the page shows. A date
input whose value is not an ISO date shows nothing and sends "", a number input sends "" for
"1,5", a textarea drops the newline that opens it and sends its lines joined by CRLF. These
helpers apply those rules (HTML's value sanitization and form-submission algorithm), so a test
that re-posts a page untouched sends what a person's browser would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

# HTML's "valid floating-point number" and "valid date string".
VALID_NUMBER = re.compile(r"-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?")
VALID_DATE = re.compile(r"\d{4,}-\d{2}-\d{2}")
BUTTON_TYPES = {"submit", "image", "button", "reset"}


@dataclass
class Control:
    tag: str  # input, select, textarea, button
    type: str
    name: str
    value: str = ""
    checked: bool = False
    disabled: bool = False
    required: bool = False
    multiple: bool = False
    options: list[tuple[str, bool]] = field(default_factory=list)  # (value, selected)


@dataclass
class Form:
    action: str  # absolute path
    method: str
    controls: list[Control] = field(default_factory=list)

    @property
    def fields(self) -> list[Control]:
        return [c for c in self.controls if c.tag != "button" and c.type not in BUTTON_TYPES]

    @property
    def buttons(self) -> list[Control]:
        return [c for c in self.controls if c.tag == "button" or c.type in BUTTON_TYPES]

    def data_fields(self) -> list[Control]:
        """The fields a person fills in (not the CSRF token or a redirect target)."""
        return [
            c
            for c in self.fields
            if c.name and c.name not in ("csrfmiddlewaretoken", "next") and c.type != "hidden"
        ]

    def submission(self, button: Control | None = None) -> dict[str, list[str]]:
        """What a browser sends when `button` submits the form untouched."""
        data: dict[str, list[str]] = {}
        for control in self.fields:
            if not control.name or control.disabled:
                continue
            for value in _values(control):
                data.setdefault(control.name, []).append(value)
        if button is not None and button.name:
            data.setdefault(button.name, []).append(button.value)
        return data

    def required_fields_filled(self) -> bool:
        """Whether every field marked required has something to send."""
        sent = self.submission()
        return all(sent.get(c.name, [""])[0] != "" for c in self.fields if c.required)


def _values(control: Control) -> list[str]:
    if control.tag == "select":
        chosen = [value for value, selected in control.options if selected]
        if not chosen and not control.multiple and control.options:
            chosen = [control.options[0][0]]  # a single select always sends its first option
        return chosen if control.multiple else chosen[-1:]
    if control.tag == "textarea":
        text = control.value
        if text.startswith("\r\n"):
            text = text[2:]
        elif text.startswith("\n"):
            text = text[1:]
        return [re.sub(r"\r\n|\r|\n", "\r\n", text)]
    kind = control.type
    if kind in ("checkbox", "radio"):
        return [control.value or "on"] if control.checked else []
    value = control.value
    if kind == "date":
        return [value if VALID_DATE.fullmatch(value) else ""]
    if kind in ("number", "range"):
        return [value if VALID_NUMBER.fullmatch(value) else ""]
    if kind in ("text", "search", "tel", "url", "email", "password", "hidden", ""):
        value = value.replace("\r", "").replace("\n", "")
        return [value.strip() if kind in ("email", "url") else value]
    return [value]


class _PageParser(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Control | None = None
        self._option: list | None = None
        self._textarea: Control | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "a" and "href" in a:
            self.links.append(urljoin(self.base, a["href"]))
        elif tag == "form":
            action = urljoin(self.base, a.get("action") or self.base)
            self._form = Form(action=action, method=(a.get("method") or "get").lower())
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag in ("input", "button"):
            default = "submit" if tag == "button" else "text"
            self._form.controls.append(
                Control(
                    tag=tag,
                    type=(a.get("type") or default).lower(),
                    name=a.get("name", ""),
                    value=a.get("value", ""),
                    checked="checked" in a,
                    disabled="disabled" in a,
                    required="required" in a,
                )
            )
        elif tag == "select":
            self._select = Control(
                tag="select",
                type="select",
                name=a.get("name", ""),
                disabled="disabled" in a,
                required="required" in a,
                multiple="multiple" in a,
            )
            self._form.controls.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, ""]
            self._select.options.append(("", False))
        elif tag == "textarea":
            self._textarea = Control(
                tag="textarea",
                type="textarea",
                name=a.get("name", ""),
                disabled="disabled" in a,
                required="required" in a,
            )
            self._form.controls.append(self._textarea)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data
        elif self._option is not None:
            self._option[2] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._close_option()
            self._select = None
        elif tag == "option":
            self._close_option()
        elif tag == "textarea":
            self._textarea = None

    def _close_option(self) -> None:
        if self._option is not None and self._select is not None:
            value, selected, text = self._option
            self._select.options[-1] = (text.strip() if value is None else value, selected)
        self._option = None


@dataclass
class Page:
    path: str
    links: list[str]
    forms: list[Form]

    def local_links(self) -> list[str]:
        """Paths of the links to this site, without their query or fragment."""
        parts = [urlsplit(link) for link in self.links]
        return [part.path for part in parts if not part.scheme and not part.netloc and part.path]

    def post_forms(self) -> list[Form]:
        return [form for form in self.forms if form.method == "post"]


def read_page(path: str, html: str) -> Page:
    parser = _PageParser(path)
    parser.feed(html)
    parser.close()
    for form in parser.forms:
        form.action = urlsplit(form.action).path
    return Page(path=path, links=parser.links, forms=parser.forms)
