"""The words a sentence or line must hold for the recommendation and proposal patterns
to be tried (``facts.yml``: ``recommendations.sentence_words``, ``proposals.intro_words``):
every pattern needs one, or the shortcut would lose facts."""

from __future__ import annotations

import pytest

from beslutsgraf.extract import proposals, references
from beslutsgraf.extract.recommendations import _patterns, find_recommendations
from beslutsgraf.text.regex import top_level_alternatives


@pytest.mark.parametrize("key", ["passive", "active", "nominal", "list_intro", "should"])
def test_every_pattern_needs_a_sentence_word(key: str) -> None:
    pats = _patterns()
    words = pats["sentence_words"]
    for alternative in top_level_alternatives(pats[key].pattern):
        assert any(w in alternative.lower() for w in words), (key, alternative)


def test_a_recommendation_is_still_found() -> None:
    text = "Revisionskontoret rekommenderar kommunstyrelsen att se över rutinerna. Inget mer."
    found = find_recommendations(text, [(0, 70), (71, 81)], [], [])
    assert [r.text for r in found] == ["Revisionskontoret rekommenderar kommunstyrelsen att se över rutinerna."]


@pytest.mark.parametrize("key", ["proposes_to", "motion_intro", "deciding_body", "decision", "own_proposal_intro"])
def test_every_intro_pattern_needs_an_intro_word(key: str) -> None:
    words = proposals._intro_words()
    for alternative in top_level_alternatives(proposals._patterns()[key].pattern):
        assert any(w in alternative.lower() for w in words), (key, alternative)


def test_every_decision_verb_needs_a_sentence_word() -> None:
    words = references.decision_words()
    for alternative in top_level_alternatives(references._patterns()["dec_verbs"].pattern):
        assert any(w in alternative.lower() for w in words), alternative


def test_every_audited_list_pattern_needs_an_audited_word() -> None:
    pats = _patterns()
    for alternative in top_level_alternatives(pats["audited_list"].pattern):
        assert any(w in alternative.lower() for w in pats["audited_words"]), alternative
