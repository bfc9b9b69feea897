"""What investigators see in Neo4j Browser: a guide (HTML slides) whose runnable queries are the
saved investigations in cypher/investigations/, and a GRASS style. The API serves both; the local
Neo4j and docker-compose tell Browser to load them on connect (see README, "Neo4j Browser").
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from cypher.library import load_library

STYLE_FILE = Path(__file__).resolve().parent.parent / "browser" / "trustnet.grass"
EXAMPLE = "browser/example_firm"  # its statement in the Cypher library
NEIGHBOURHOOD = "investigations/2_firm_neighbourhood_with_scores"  # a firm page's link into Browser opens it
_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True)
class Investigation:
    name: str  # file name without the suffix, e.g. 1_riskiest_thin_file_firms
    title: str  # its first line: "Riskiest thin-file firms: ..."
    text: str  # the whole file, title comment included (as Browser favourites keep it)
    parameters: tuple[str, ...]  # the $parameters it needs


def _body(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("//")]


def investigations(cypher_dir: Path) -> list[Investigation]:
    """The saved queries, in file-name order."""
    library = load_library(cypher_dir)
    found = []
    for name in sorted(library.names("investigations")):
        text = library.text(name)
        parameters = tuple(dict.fromkeys(_PARAMETER.findall("\n".join(_body(text)))))
        found.append(Investigation(name.rpartition("/")[2], library.title(name), text, parameters))
    return found


def example_parameter(cypher_dir: Path) -> tuple[str, str]:
    """(name, Cypher expression) of the parameter the examples use, from cypher/browser/example_firm.cypher
    (`RETURN <expression> AS <name>`). Browser evaluates it in the investigator's own session, so the
    guide, served without a key, names no firm."""
    statement = " ".join(_body(load_library(cypher_dir).text(EXAMPLE)))
    match = re.fullmatch(r"RETURN (.+) AS ([A-Za-z_][A-Za-z0-9_]*)", statement)
    if match is None:
        raise ValueError(f"{EXAMPLE}.cypher must be `RETURN <expression> AS <name>`")
    return match.group(2), match.group(1)


def firm_neighbourhood_statements(cypher_dir: Path, firm_id: str) -> str:
    """What Browser's editor opens with for one firm: its id as the `firm_id` parameter, then the
    saved neighbourhood query (two statements; Browser's editor runs them one after the other)."""
    literal = "'" + firm_id.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return f":param firm_id => {literal};\n" + load_library(cypher_dir).text(NEIGHBOURHOOD).strip()


def style_text() -> str:
    return STYLE_FILE.read_text(encoding="utf-8")


def render_guide(queries: list[Investigation], parameter: tuple[str, str], api_url: str) -> str:
    """The guide as Browser's slide format: one slide to start, one per saved query."""
    esc = html.escape
    params = f":param {parameter[0]} => {parameter[1]}"
    first = next((q for q in queries if "firm_id" in q.parameters), None)
    start = (f"<p>Then look at it and its network, coloured by kind, captioned with scores:</p>"
             f'<pre mode="cypher" class="pre-scrollable code runnable">{esc(first.text)}</pre>') if first else ""
    slides = [f"""
  <slide class="row-fluid">
    <div class="col-sm-3">
      <h3>TrustNet</h3>
      <p class="lead">The trust network of small firms</p>
    </div>
    <div class="col-sm-9">
      <p>Firms (blue), with their <b>score and grade</b> on the caption once scored; banks, guarantee
      companies, chambers and markets; trades, recommendations, guarantees and loans. Each slide is a
      question investigators ask every day: click a query to put it in the editor, then run it
      (Ctrl+Enter). The same queries are in <code>cypher/investigations/</code>: drag the files onto
      the Favorites drawer to keep them.</p>
      <p>First set the firm the examples look at (the riskiest firm with a stored score; set another id
      with <code>:param firm_id =&gt; 'F00042'</code>):</p>
      <pre mode="cypher" class="pre-scrollable code runnable">{esc(params)}</pre>
      {start}
      <p>Scores, exposure and stress tests for applications: the API at
      <a href="{esc(api_url)}/docs" target="_blank">{esc(api_url)}/docs</a>.</p>
    </div>
  </slide>"""]
    for number, query in enumerate(queries, start=1):
        heading, _, explanation = query.title.partition(":")
        needs = (f"<p>Uses <code>{', '.join('$' + p for p in query.parameters)}</code> (first slide).</p>"
                 if query.parameters else "")
        slides.append(f"""
  <slide class="row-fluid">
    <div class="col-sm-3">
      <h3>{number}. {esc(heading.strip())}</h3>
    </div>
    <div class="col-sm-9">
      <p>{esc(explanation.strip().capitalize())}.</p>
      {needs}
      <pre mode="cypher" class="pre-scrollable code runnable">{esc(query.text)}</pre>
      <p><small>cypher/investigations/{esc(query.name)}.cypher</small></p>
    </div>
  </slide>""")
    return ('<article class="guide">\n<carousel class="deck container-fluid">'
            + "".join(slides) + "\n</carousel>\n</article>\n")
