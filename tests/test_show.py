"""`claims show`: a claim with its spans highlighted in their sources."""

from __future__ import annotations

from tests.conftest import PROJECT, Run


def test_show_highlights_spans_in_their_sources(claims: Run) -> None:
    result = claims("show", "--root", PROJECT, "no-political-prisoners-2018")
    assert result.returncode == 0, result.stderr
    assert "verdict:   conflicting" in result.stdout
    assert "[[nu există „deținuți politici” în Kazahstan]]" in result.stdout
    assert "translation: there are no “political prisoners” in Kazakhstan" in result.stdout
    assert "evidence 1: refutes, europarl-2022-08" in result.stdout
    colored = claims(
        "show", "--root", PROJECT, "--color", "always", "venice-commission-positive-on-reforms-2023"
    )
    assert (
        "\x1b[1;7mthe Venice Commission of the Council of Europe positively evaluates the reforms"
        in colored.stdout
    )


def test_show_unknown_claim(claims: Run) -> None:
    result = claims("show", "--root", PROJECT, "no-such-claim")
    assert result.returncode == 2 and "does not exist" in result.stderr
