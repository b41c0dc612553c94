"""A WARC capture as ``broadsheet show ID --capture`` prints it: the WARC record's type and
date, the HTTP status line and headers as received, then the start of the body."""

from __future__ import annotations

from archive.warc.reader import Capture

BODY_EXCERPT = 2000
"""Characters of the body printed."""


def render_capture(capture: Capture) -> str:
    kind = capture.record_type
    if capture.profile:
        kind += f" ({capture.profile.rsplit('/', 1)[-1]})"
    lines = [f"WARC {kind} of {capture.url} at {capture.date}"]
    if capture.refers_to is not None:
        lines.append(f"body from the earlier capture in {capture.refers_to[0]} at offset "
                     f"{capture.refers_to[1]}")
    lines += ["", capture.status_line]
    lines += [f"{name}: {value}" for name, value in capture.headers]
    text = capture.body.decode(_charset(capture), errors="replace")
    lines += ["", text[:BODY_EXCERPT] + ("\n[…]" if len(text) > BODY_EXCERPT else "")]
    return "\n".join(lines)


def _charset(capture: Capture) -> str:
    for name, value in capture.headers:
        if name.lower() == "content-type" and "charset=" in value.lower():
            charset = value.lower().split("charset=", 1)[1].split(";")[0].strip("\"' ")
            try:
                "".encode(charset)
            except LookupError:
                break
            return charset
    return "utf-8"
