# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""The docs' inputs hold (make docs builds them with Sphinx, warnings as errors; this runs
in make test without Sphinx): the README sections the module pages quote exist, every
module gets a page, and the generated pictures say what the data says."""

import os
import re
import sys
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "docs"))
import conf  # noqa: E402  (writes docs/_generated, as a docs build does)
import figures  # noqa: E402


def test_every_quoted_readme_section_exists_and_has_its_code():
    for module, headings in conf.QUICK_STARTS.items():
        sections = [conf.readme_section(heading) for heading in headings]
        assert "```" in sections[0], (module, headings[0])


def test_one_page_per_module_with_its_autodoc_and_quick_start():
    pages = os.listdir(os.path.join(conf.GENERATED, "api"))
    for name in conf.build_dist.product_modules() + conf.host_modules():
        assert name + ".rst" in pages, name
        with open(os.path.join(conf.GENERATED, "api", name + ".rst"), encoding="utf-8") as f:
            text = f.read()
        assert ".. automodule:: %s\n" % name in text
    with open(os.path.join(conf.GENERATED, "api", "smolmidi.rst"), encoding="utf-8") as f:
        assert "midi_in = smolmidi.MidiIn(usb_midi.ports[0])" in f.read()


def test_markdown_to_rest_keeps_code_and_links():
    rst = conf.md_to_rst(
        "## Title `x`\n\nSee [the doc](https://e.org) and [local](boards/).\n\n"
        "```python\nprint(1)\n\nprint(2)\n```\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    assert "Title x\n-------" in rst
    assert "`the doc <https://e.org>`__ and local." in rst
    assert ".. code-block:: python\n\n   print(1)\n\n   print(2)" in rst
    assert "::\n\n   | a | b |\n   | 1 | 2 |" in rst


def test_the_bench_chart_has_every_headline_row_of_results_md():
    rows = figures.headline(os.path.join(ROOT, "bench", "RESULTS.md"))
    with open(os.path.join(ROOT, "bench", "RESULTS.md"), encoding="utf-8") as f:
        table = f.read().split("## Headline", 1)[1].split("\n## ", 1)[0]
    assert len(rows) == len([line for line in table.splitlines() if "µs/" in line]) >= 5
    svg = ET.fromstring(figures.bench_svg(rows).split("\n", 1)[1])
    texts = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    for name, peer, ours, theirs, unit in rows:
        assert name in texts and "%.2f µs/%s" % (ours, unit) in texts and "%.2f µs/%s" % (theirs, unit) in texts


def test_the_player_plot_is_what_the_player_does_on_the_virtual_clock():
    errors = figures.player_errors(os.path.join(ROOT, "examples", "tune.mid"), max_step_us=2000)
    assert len(errors) > 100
    # never early, never later than one gap between update() calls, at the end as at the start
    assert all(-1 < e <= 2000 for _, e in errors), max(e for _, e in errors)
    assert max(t for t, _ in errors) > 19
    late = [e for t, e in errors if t > 15]
    assert late and max(late) <= 2000
    svg = ET.fromstring(figures.timing_svg(errors, 2000).split("\n", 1)[1])
    dots = list(svg.iter("{http://www.w3.org/2000/svg}circle"))
    assert len(dots) == len(errors)


def test_the_built_pictures_are_svg():
    for path in figures.build(conf.GENERATED):
        root = ET.parse(path).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg", path
        assert re.match(r"\d+", root.get("width")), path


def test_the_clock_plot_is_what_the_follower_reads():
    track = figures.follower_track(jitter_us=1000)
    for start, bpm in ((5, 120), (15, 150), (25, 90)):  # settled: a few seconds after each change
        near = [est for t, sent, est in track if start <= t < start + 4]
        assert near and all(abs(est - bpm) < 1 for est in near), (bpm, min(near), max(near))
    svg = ET.fromstring(figures.follower_svg(track, 1000).split("\n", 1)[1])
    assert len(list(svg.iter("{http://www.w3.org/2000/svg}polyline"))) == 2


def test_the_docs_build_without_a_warning(tmp_path):
    # what make docs runs; a docstring or README section Sphinx cannot read fails here
    import subprocess

    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "--keep-going",
            "-q",
            "-b",
            "html",
            "-d",
            str(tmp_path / "doctrees"),
            os.path.join(ROOT, "docs"),
            str(tmp_path / "html"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert os.path.isfile(tmp_path / "html" / "_generated" / "api" / "smolmidi.html")
