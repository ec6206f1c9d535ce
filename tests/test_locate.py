"""`claims locate`: offsets of words in a source, however they were typed."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import CASES, PROJECT, Run

GOOD = CASES / "good" / "death-penalty-removed.yaml"


def test_locate_finds_neukirch_from_latin_letters(claims: Run) -> None:
    result = claims("locate", "--root", PROJECT, "elkz-2023-03-11", "Claus Neukirch")
    assert result.returncode == 0
    assert result.stdout == "585 599\n"
    assert "U+0421 CYRILLIC CAPITAL LETTER ES" in result.stderr
    text = (PROJECT / "claims/sources/elkz-2023-03-11.txt").read_text(encoding="utf-8")
    assert text[585:599] == "\u0421laus Neukirch"


def test_locate_lists_every_occurrence_exact_first(claims: Run) -> None:
    result = claims("locate", "--root", PROJECT, "europarl-2022-08", "January")
    assert result.returncode == 0
    assert result.stdout == "1193 1200\n2525 2532\n2876 2883\n3472 3479\n"


def test_locate_crosses_no_break_spaces(claims: Run) -> None:
    result = claims("locate", "--root", PROJECT, "europarl-2022-08", "Press Releases")
    assert (result.returncode, result.stdout) == (0, "57 71\n")
    result = claims("locate", "--root", PROJECT, "europarl-2022-08", "Releases \n \n \n\nA")
    assert result.returncode == 0


def test_locate_not_found_and_unknown_source(tmp_path: Path, claims: Run) -> None:
    missing = claims("locate", "--root", PROJECT, "elkz-2023-03-11", "political prisoners")
    assert missing.returncode == 1
    assert "does not occur in elkz-2023-03-11" in missing.stderr
    unknown = claims("locate", "--root", PROJECT, "../../etc/passwd", "root")
    assert unknown.returncode == 2
    assert "'../../etc/passwd' is not a source id" in unknown.stderr


def test_locate_that_finds_nothing_shows_the_closest_passages(claims: Run) -> None:
    result = claims(
        "locate", "--root", PROJECT, "europarl-2022-08", "removal of the death penalty was welcome"
    )
    assert result.returncode == 1
    [closest, error] = result.stderr.splitlines()[-2:]
    assert closest == (
        "closest: 2061 2099 'removal of death penalty was a welcome' (92% alike: -'the'; +'a')"
    )
    text = (PROJECT / "claims/sources/europarl-2022-08.txt").read_bytes().decode("utf-8")
    assert text[2061:2099] == "removal of death penalty was a welcome"
    assert error.startswith("claims: error: ") and "does not occur" in error


def test_closest_passages_are_whole_words_and_none_below_the_floor() -> None:
    from builder.anchoring import closest  # noqa: PLC0415

    text = "Kazakhstan abolished the death\u00a0penalty in 2021. Nothing else here."
    [near] = closest(text, "Kazakstan abolished death penalty")
    assert text[near.start : near.end] == "Kazakhstan abolished the death\u00a0penalty"
    assert closest(text, "an entirely different sentence about weather") == []
