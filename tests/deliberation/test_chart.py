"""The results chart: an SVG whose text does not wrap by itself, so long option
labels are cut into lines that fit, and rows never overlap."""

import re

from django.template.loader import render_to_string

import pytest

from deliberation import selectors
from deliberation.templatetags.deliberation_tags import (
    FONT,
    WIDTH,
    _em,
    label_lines,
    vote_chart,
)
from tests.deliberation.factories import make_vote

pytestmark = pytest.mark.django_db

LONG = "同意按每户五百元的标准集资修建村东道路，并由村委会统一组织施工和验收"


def fits(line: str) -> bool:
    return sum(map(_em, line)) * FONT <= WIDTH


@pytest.mark.parametrize(
    "label",
    [
        LONG,
        "Repair the road to the east of the village before the rainy season",
        "修路 Road A " * 6,
        "x" * 120,
        "短",
    ],
)
def test_every_line_fits_and_nothing_is_lost(label):
    lines = label_lines(label)
    assert all(fits(line) for line in lines), lines
    assert "".join(lines).replace(" ", "") == label.replace(" ", "")


def test_a_latin_word_is_not_cut_in_two():
    assert label_lines("Repair the road to the east of the village") == [
        "Repair the road to the east of",
        "the village",
    ]


def test_long_options_get_their_own_lines_and_rows_do_not_overlap(topic, committee):
    vote = make_vote(
        topic, committee, kind="single", options=[LONG, "不同意"], is_secret=False
    )
    chart = vote_chart(selectors.vote_outcome(vote), vote.question)
    first, second = chart["rows"]

    assert [x["text"] for x in first["lines"]] == label_lines(LONG)
    assert len(first["lines"]) == 2
    assert first["bar_y"] > first["lines"][-1]["y"]
    assert second["lines"][0]["y"] - FONT > first["value_y"]
    assert chart["height"] >= second["value_y"]

    svg = render_to_string("deliberation/_chart.html", chart)
    texts = re.findall(r"<text [^>]*>([^<]*)</text>", svg)
    assert texts[:2] == label_lines(LONG)
    assert LONG not in svg  # not one line running off the chart
