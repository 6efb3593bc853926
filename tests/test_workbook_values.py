"""Forgiving parsing of what business owners type into the workbook."""

import datetime

import pytest

from bpmncx.vocabulary import DEFAULT_CHANNELS, EMOTION_SCALE, emotion_choice
from bpmncx.workbook.values import (
    ValueProblem,
    parse_channel,
    parse_emotion,
    parse_yes_no,
    split_list,
    text,
)


@pytest.mark.parametrize("typed", ["Yes", " yes ", "Y", "y", "x", "X", "true", "TRUE", True, 1, "1", "ja", "oui"])
def test_yes_spellings(typed):
    assert parse_yes_no(typed) is True


@pytest.mark.parametrize("typed", ["No", "n", "N ", "false", False, 0, "0", "nein", "non"])
def test_no_spellings(typed):
    assert parse_yes_no(typed) is False


@pytest.mark.parametrize("typed", [None, "", "   "])
def test_blank_yes_no_is_undecided(typed):
    assert parse_yes_no(typed) is None


@pytest.mark.parametrize("typed", ["maybe", 2, "yes please no"])
def test_unclear_yes_no_is_a_problem(typed):
    with pytest.raises(ValueProblem, match="not Yes or No"):
        parse_yes_no(typed)


@pytest.mark.parametrize("e", EMOTION_SCALE, ids=lambda e: e.label)
def test_every_dropdown_choice_reads_back(e):
    assert parse_emotion(emotion_choice(e)) == e.score
    assert parse_emotion(e.label.upper()) == e.score
    assert parse_emotion(e.emoji) == e.score
    assert parse_emotion(e.score) == e.score
    assert parse_emotion(float(e.score)) == e.score


@pytest.mark.parametrize(
    "typed,score",
    [
        ("frustrated", -1), ("Anxious", -1), ("confused", -1), ("annoyed ", -1),
        ("happy", 1), ("relieved", 1), ("delighted", 2), ("furious", -2), ("ok", 0),
        ("+1", 1), ("-2", -2), ("2", 2), ("\u2212" + "1", -1), ("very frustrated", -2),
        ("very happy", 2), ("\U0001F620", -2), ("\u2639\ufe0f", -1), ("happy \U0001F642", 1),
    ],
)
def test_emotion_words_numbers_and_emoji(typed, score):
    assert parse_emotion(typed) == score


@pytest.mark.parametrize("typed", [3, -3, "5", "+3 great", 1.5, "-2.5"])
def test_emotion_out_of_range(typed):
    with pytest.raises(ValueProblem, match="out of range; use -2 .very negative. to \\+2"):
        parse_emotion(typed)


def test_unknown_emotion_word_suggests_the_closest():
    with pytest.raises(ValueProblem) as info:
        parse_emotion("frustratd")
    assert "\u201cfrustratd\u201d is not an emotion (did you mean \u201cfrustrated\u201d?)" in str(info.value)


def test_blank_emotion_is_none():
    assert parse_emotion("  ") is None


@pytest.mark.parametrize(
    "typed,channel",
    [("web", "Web"), ("Website", "Web"), ("e-mail", "Email"), ("E Mail", "Email"),
     ("app", "Mobile app"), ("telephone", "Phone"), ("SMS", "SMS/messaging"),
     ("in-person", "In person"), ("letter", "Post"), ("kiosk", "Self-service kiosk")],
)
def test_channel_spellings(typed, channel):
    assert parse_channel(typed, DEFAULT_CHANNELS) == (channel, True)


def test_unknown_channel_is_kept_as_typed():
    assert parse_channel("Carrier pigeon ", DEFAULT_CHANNELS) == ("Carrier pigeon", False)


def test_split_list_on_comma_semicolon_and_line_break():
    assert split_list("a, b;c\n d\r\n\n,") == ["a", "b", "c", "d"]


def test_text_shows_numbers_and_dates_as_typed():
    assert text(3.0) == "3"
    assert text(2.5) == "2.5"
    assert text(datetime.datetime(2026, 3, 1)) == "2026-03-01"
    assert text("  padded ") == "padded"
