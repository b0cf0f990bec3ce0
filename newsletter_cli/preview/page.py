"""The preview page: one self-contained HTML document (no external files, no framework).

The email is shown twice in ``srcdoc`` iframes exactly 600 px and 375 px wide;
above them the inbox line, below them the checks and the plain-text part. The sticky
header counts the checks' errors and warnings, each count a link to the first such
finding. On a screen narrower than a frame (a 390 px phone), the frame is scaled down
to fit, so the page never scrolls sideways; the email inside keeps its width. A few
lines of script poll ``/version`` and reload the page when a watched file changes.
"""

from __future__ import annotations

import json
from html import escape

from newsletter_cli.preview.content import PreviewContent

DESKTOP_WIDTH = 600
PHONE_WIDTH = 375
FRAMES = (("desktop", "Desktop", DESKTOP_WIDTH), ("phone", "Phone", PHONE_WIDTH))
#: How often the page asks whether a file changed (milliseconds).
POLL_MS = 400

STYLE = """
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;
 background:#eef0f3;color:#1d2430}
header{position:sticky;top:0;z-index:2;display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;
 align-items:center;padding:.6rem 1.25rem;background:#1d2430;color:#fff}
header h1{font-size:1rem;margin:0;font-weight:600}
header .file{color:#aab4c3;font:13px ui-monospace,Menlo,Consolas,monospace}
header .file{overflow-wrap:anywhere;min-width:0}
header .tools{margin-left:auto;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;
 font-size:.9rem;min-width:0}
header select{font:inherit;margin-left:.4rem;padding:.15rem .3rem;max-width:min(22rem,60vw)}
.counts{display:flex;gap:.5rem;align-items:center}
.count{display:inline-block;padding:.15rem .55rem;border-radius:999px;font-size:.85rem;
 font-weight:600;color:#1d2430;background:#d5dae1;text-decoration:none;white-space:nowrap}
a.count:hover,a.count:focus{text-decoration:underline}
.count.error{background:#ffb4a8}.count.warning{background:#ffd97a}.count.ok{background:#a7e3b5}
[id]{scroll-margin-top:6rem}
.checks li:target{outline:3px solid #1d2430;outline-offset:2px}
#live{font-size:.8rem;color:#8fd19e}#live.down{color:#ffb4a8}
main{padding:1rem 1.25rem 3rem;max-width:1120px}
section{margin:0 0 1.25rem}
h2{font-size:.8rem;text-transform:uppercase;letter-spacing:.06em;color:#5a6678;margin:0 0 .5rem}
.banner{background:#fdecea;border:1px solid #e0867a;border-left:6px solid #c0392b;
 padding:.75rem 1rem;border-radius:4px}
.banner h2{color:#a12a1e}
.banner code{font:14px/1.4 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;
 word-break:break-word;display:block}
.banner .hint{margin:.25rem 0 0;color:#6b2a22}
.note{background:#fff7e0;border:1px solid #e8c766;padding:.5rem .8rem;border-radius:4px}
.inbox{background:#fff;border:1px solid #d5dae1;border-radius:6px;padding:.7rem 1rem}
.inbox .row{display:flex;gap:.75rem;align-items:baseline;overflow:hidden;white-space:nowrap}
.inbox .from{font-weight:700;min-width:0;overflow:hidden;text-overflow:ellipsis}
.inbox .subject{font-weight:600}
.inbox .preheader{color:#6a7585;overflow:hidden;text-overflow:ellipsis}
.inbox dl{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .8rem;margin:.6rem 0 0;
 font-size:.88rem}
.inbox dt{color:#6a7585}.inbox dd{margin:0;word-break:break-word}
.frames{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}
figure{margin:0;max-width:100%;min-width:0}
.screen{max-width:100%;overflow:hidden}
iframe.email{transform-origin:0 0}
figcaption{font-size:.85rem;color:#5a6678;margin:0 0 .35rem}
figcaption .overflow{color:#c0392b;font-weight:600}
iframe{display:block;box-sizing:content-box;border:1px solid #c9d0d9;background:#fff;height:900px;
 box-shadow:0 1px 4px rgba(0,0,0,.08)}
.lower{max-width:calc(84ch + 2.5rem)}
.checks ul{list-style:none;margin:0;padding:0}
.checks li{background:#fff;border:1px solid #d5dae1;border-left:5px solid #e0a800;
 padding:.45rem .7rem;margin:0 0 .4rem;border-radius:3px}
.checks li.error{border-left-color:#c0392b}
.checks .sev{font-weight:700;text-transform:uppercase;font-size:.75rem;margin-right:.4rem}
.checks .error .sev{color:#c0392b}.checks .warning .sev{color:#9a6d00}
.checks .where{color:#6a7585;font-size:.85rem;display:block}
.checks .pass{color:#1e7b34;font-weight:600}
@media (max-width:40rem){header{padding:.4rem .6rem;gap:.3rem .75rem}header h1{font-size:.9rem}
 header .file{display:none}main{padding:.75rem .5rem 2rem}.frames{gap:1rem}}
pre{background:#fff;border:1px solid #d5dae1;border-radius:4px;padding:.8rem 1rem;margin:0;
 font:13px/1.5 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;
 word-break:break-word;max-height:48rem;overflow:auto}
"""

SCRIPT = """
(function () {
  var version = document.body.dataset.version, key = "newsletter-preview-scroll";
  var live = document.getElementById("live"), failures = 0;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    addEventListener("load", function () { scrollTo(0, +saved); });
  }
  var picker = document.getElementById("audience");
  if (picker) picker.addEventListener("change", function () {
    location.search = "?list=" + encodeURIComponent(picker.value);
  });
  document.querySelectorAll("iframe.email").forEach(function (frame) {
    var screen = frame.parentNode, width = frame.offsetWidth;
    function scale() {  /* on a screen narrower than the frame: shrink it to fit */
      var room = frame.closest(".frames").clientWidth, factor = Math.min(1, room / width);
      frame.style.transform = factor < 1 ? "scale(" + factor + ")" : "";
      screen.style.width = width * factor + "px";
      screen.style.height = frame.offsetHeight * factor + "px";
      var shown = document.getElementById(frame.id + "-scale");
      if (shown) shown.textContent = factor < 1 ? "shown at " + Math.round(factor * 100) + "%" : "";
    }
    function fit() {
      var doc = frame.contentDocument;
      if (!doc || !doc.documentElement) return;
      frame.style.height = doc.documentElement.scrollHeight + 2 + "px";
      var root = doc.scrollingElement || doc.documentElement;
      var note = document.getElementById(frame.id + "-overflow");
      if (note) note.hidden = root.scrollWidth <= root.clientWidth;
      scale();
    }
    frame.addEventListener("load", fit);
    addEventListener("resize", scale);
    scale();
    if (frame.contentDocument && frame.contentDocument.readyState === "complete") fit();
  });
  function poll() {
    fetch("/version", {cache: "no-store"}).then(function (r) { return r.json(); })
      .then(function (data) {
        failures = 0; live.textContent = "\\u25CF live"; live.className = "";
        if (String(data.version) !== version) {
          sessionStorage.setItem(key, String(scrollY));
          location.reload();
          return;
        }
        setTimeout(poll, POLL_MS);
      }).catch(function () {
        failures += 1;
        live.textContent = "preview server stopped"; live.className = "down";
        setTimeout(poll, 2000);
      });
  }
  setTimeout(poll, POLL_MS);
})();
""".replace("POLL_MS", str(POLL_MS))


def _with_base_target(email_html: str) -> str:
    """Links in the email open a new tab instead of replacing the preview frame."""
    base = '<base target="_blank">'
    for head in ("<head>", "<HEAD>"):
        if head in email_html:
            return email_html.replace(head, head + base, 1)
    return base + email_html


def _picker(content: PreviewContent) -> str:
    if not content.list_names and not content.list_name:
        return ""
    options = ['<option value="">Everyone (every block, no name)</option>']
    names = list(content.list_names)
    if content.list_name and content.list_name not in names:
        names.append(content.list_name)
    for name in names:
        chosen = " selected" if name == content.list_name else ""
        options.append(f'<option value="{escape(name)}"{chosen}>{escape(name)}</option>')
    return (
        '<label>Audience<select id="audience" name="list">'
        + "".join(options)
        + "</select></label>"
    )


def _problems(content: PreviewContent) -> str:
    if not content.problems:
        return ""
    heading = "This issue cannot be shown" if content.email is None else "Something is wrong"
    items = []
    for problem in content.problems:
        hint = f'<p class="hint">hint: {escape(problem.hint)}</p>' if problem.hint else ""
        items.append(f'<code class="problem">{escape(problem.text)}</code>{hint}')
    return (
        f'<section class="banner" id="problems" role="alert"><h2>{heading}</h2>'
        + "".join(items)
        + '<p class="hint">Fix the file and save it: this page reloads by itself.</p></section>'
    )


NO_PREHEADER = "<em>(none: inboxes show the email's first words)</em>"


def _inbox(content: PreviewContent) -> str:
    email = content.email
    if email is None:
        return ""
    audience = content.list_name or "everyone (every block)"
    reader = f" (personalised for {escape(content.reader)})" if content.reader else ""
    return f"""<section class="inbox" id="inbox" aria-label="Inbox line">
<div class="row"><span class="from" id="from">{escape(content.sender)}</span>
<span class="subject" id="subject">{escape(email.subject)}</span>
<span class="preheader" id="preheader">{escape(email.preheader)}</span></div>
<dl><dt>From</dt><dd>{escape(content.sender)}</dd>
<dt>Subject</dt><dd>{escape(email.subject)}</dd>
<dt>Preheader</dt><dd>{escape(email.preheader) or NO_PREHEADER}</dd>
<dt>Audience</dt><dd id="reader">{escape(audience)}{reader}</dd></dl></section>"""


def _frames(content: PreviewContent) -> str:
    if content.email is None:
        return ""
    doc = escape(_with_base_target(content.email.html), quote=True)
    figures = []
    for ident, label, width in FRAMES:
        figures.append(
            f'<figure><figcaption>{label} · {width} px <span class="scale" id="{ident}-scale">'
            f'</span> <span class="overflow" id="{ident}-overflow" hidden>'
            "wider than the screen: readers must scroll sideways</span></figcaption>"
            f'<div class="screen"><iframe class="email" id="{ident}" title="{label} view" '
            f'width="{width}" style="width:{width}px" sandbox="allow-same-origin allow-popups '
            f'allow-popups-to-escape-sandbox" srcdoc="{doc}"></iframe></div></figure>'
        )
    return '<section class="frames">' + "".join(figures) + "</section>"


def _ordered(content: PreviewContent) -> list:
    """The findings as the page lists them: errors first, then by line."""
    return sorted(content.findings or [], key=lambda f: (f.severity != "error", f.line or 0))


def _counts(content: PreviewContent) -> str:
    """The header's check counts, each a link to the first finding of its kind."""
    if content.findings is None:
        target = "#problems" if content.problems else "#checks"
        return (f'<span class="counts" id="counts"><a class="count error" id="count-errors" '
                f'href="{target}">checks could not run</a></span>')  # fmt: skip
    if not content.findings:
        return ('<span class="counts" id="counts"><a class="count ok" id="count-ok" '
                'href="#checks">&#10003; no problems</a></span>')  # fmt: skip
    ordered = _ordered(content)
    badges = []
    for severity in ("error", "warning"):
        number = sum(f.severity == severity for f in ordered)
        words = f"{number} {severity}{'' if number == 1 else 's'}"
        if number:
            first = next(i for i, f in enumerate(ordered, 1) if f.severity == severity)
            badges.append(f'<a class="count {severity}" id="count-{severity}s" '
                          f'href="#finding-{first}">{words}</a>')  # fmt: skip
        else:
            badges.append(f'<span class="count" id="count-{severity}s">{words}</span>')
    return f'<span class="counts" id="counts" aria-label="Checks">{"".join(badges)}</span>'


def _checks(content: PreviewContent) -> str:
    if content.findings is None:
        body = "<p>The checks could not run (see the message above).</p>"
    elif not content.findings:
        body = '<p class="pass">&#10003; No problems found.</p>'
    else:
        ordered = _ordered(content)
        items = []
        for number, finding in enumerate(ordered, 1):
            where = [f"{content.issue_path.name}:{finding.line}" if finding.line else ""]
            if finding.block:
                where.append(finding.block)
            place = " · ".join(w for w in where if w)
            items.append(
                f'<li class="{escape(finding.severity)}" id="finding-{number}"><span class="sev">'
                f"{escape(finding.severity)}</span>{escape(finding.message)}"
                + (f'<span class="where">{escape(place)}</span>' if place else "")
                + "</li>"
            )
        errors = sum(f.severity == "error" for f in content.findings)
        warnings = len(content.findings) - errors
        body = f"<p>{errors} error(s), {warnings} warning(s).</p><ul>{''.join(items)}</ul>"
    return f'<section class="checks" id="checks"><h2>Checks</h2>{body}</section>'


def _text(content: PreviewContent) -> str:
    if content.email is None:
        return ""
    return (
        '<section class="text"><h2>Plain-text part</h2>'
        f'<pre id="text-part">{escape(content.email.text)}</pre></section>'
    )


def render_page(content: PreviewContent, version: str) -> str:
    """The whole preview page for ``content``; ``version`` is what /version must still say."""
    flag = "" if content.ok else "\u26a0 "
    notes = "".join(f'<section class="note">{escape(n)}</section>' for n in content.notes)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{flag}Preview: {escape(content.title)}</title>
<style>{STYLE}</style></head>
<body data-version="{escape(version)}">
<header><h1>Preview: <span id="title">{escape(content.title)}</span></h1>
<span class="file">{escape(str(content.issue_path))}</span>
<div class="tools">{_counts(content)}{_picker(content)}<span id="live">&#9679; live</span></div>
</header>
<main>
{_problems(content)}{notes}{_inbox(content)}{_frames(content)}
<div class="lower">{_checks(content)}{_text(content)}</div>
</main>
<script>{SCRIPT}</script>
</body></html>
"""


def version_json(version: str) -> str:
    return json.dumps({"version": version})
