# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""boards/README.md and boards/din_wiring.svg: well-formed, complete, and saying the right values."""

import glob
import os
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BOARDS = os.path.join(ROOT, "boards")
SVG = "{http://www.w3.org/2000/svg}"


def svg_text():
    tree = ET.parse(os.path.join(BOARDS, "din_wiring.svg"))
    root = tree.getroot()
    assert root.tag == SVG + "svg"
    assert root.get("viewBox") == "0 0 %s %s" % (root.get("width"), root.get("height"))
    return " ".join(t.text or "" for t in root.iter(SVG + "text"))


def test_svg_parses_and_labels_every_part():
    text = svg_text()
    for label in (
        "RA 33 Ω",
        "RC 10 Ω",
        "220 Ω",
        "1N4148",
        "1 kΩ",
        "3V3",
        "TX",
        "RX",
        "GND",
        "DIN pin 4",
        "DIN pin 5",
        "DIN pin 2",
        "not connected",
        "optocoupler",
    ):
        assert label in text, label


def test_svg_states_trs_type_a_and_b():
    text = svg_text()
    assert "TRS type A (MMA RP-054): tip = pin 5, ring = pin 4, sleeve = pin 2." in text
    assert "TRS type B: tip = pin 4, ring = pin 5, sleeve = pin 2." in text


def test_svg_stays_inside_its_canvas():
    root = ET.parse(os.path.join(BOARDS, "din_wiring.svg")).getroot()
    width, height = int(root.get("width")), int(root.get("height"))
    for el in root.iter():
        for name, limit in (("x", width), ("y", height), ("cx", width), ("cy", height)):
            if el.get(name) is not None:
                assert 0 <= float(el.get(name)) <= limit, (el.tag, name, el.get(name))


def test_readme_lists_every_board_module_and_the_picture():
    readme = open(os.path.join(BOARDS, "README.md"), encoding="utf-8").read()
    modules = sorted(os.path.basename(p) for p in glob.glob(os.path.join(BOARDS, "*.py")))
    assert len(modules) == 10
    for name in modules:
        assert "`%s`" % name in readme, name
    assert "](din_wiring.svg)" in readme


def test_readme_resistor_table_matches_the_picture():
    readme = open(os.path.join(BOARDS, "README.md"), encoding="utf-8").read()
    assert "| 3V3 | **RA 33 Ω** (220 Ω on a 5 V board) | 4 (current source) | ring | tip |" in readme
    assert "| TX | **RC 10 Ω** (220 Ω on a 5 V board) | 5 (current sink, data) | tip | ring |" in readme
