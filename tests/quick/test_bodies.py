import pytest

from beslutsgraf.extract.bodies import find_bodies


def names(text, **kw):
    return [(b.text, b.name) for b in find_bodies(text, **kw)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Kommunstyrelsen beslutar", [("Kommunstyrelsen", "Kommunstyrelsen")]),
        ("enligt kommunstyrelsens beslut", [("kommunstyrelsens", "Kommunstyrelsen")]),
        ("till grundskolenämnden", [("grundskolenämnden", "Grundskolenämnden")]),
        ("Barn- och utbildningsnämndens yttrande", [("Barn- och utbildningsnämndens", "Barn- och utbildningsnämnden")]),
        ("i Hälsa-, vård- och omsorgsnämnden", [("Hälsa-, vård- och omsorgsnämnden", "Hälsa-, vård- och omsorgsnämnden")]),
        ("kommunfullmäktiges budget", [("kommunfullmäktiges", "Kommunfullmäktige")]),
        ("fullmäktige antog", [("fullmäktige", "Kommunfullmäktige")]),
        ("Tekniska nämnden i Göteborg", [("Tekniska nämnden i Göteborg", "Tekniska nämnden")]),
        ("tekniska nämnden i huvudsak", [("tekniska nämnden", "Tekniska nämnden")]),
        ("Malmö stadsrevision granskade", [("Malmö stadsrevision", "Stadsrevisionen")]),
        ("Revisorskollegiet har behandlat", [("Revisorskollegiet", "Revisorskollegiet")]),
    ],
)
def test_inflections_to_canonical(text, expected):
    assert names(text) == expected


def test_generic_plurals_and_bare_nouns_are_not_bodies():
    text = "styrelser och nämnder, facknämnder, nämnderna, nämnden, förvaltningen, stadens socialtjänstkontor, nämndinitiativet"
    assert find_bodies(text) == []


def test_sub_bodies_with_parent():
    (b,) = find_bodies("Kommunstyrelsens arbetsutskott 2018-10-22")
    assert (b.name, b.kind, b.parent, b.start, b.end) == ("Kommunstyrelsens arbetsutskott", "utskott", "Kommunstyrelsen", 0, 30)
    (s,) = find_bodies("ASN beredning 2023-08-09", municipality="Malmö")
    assert (s.name, s.parent, s.derived) == ("Arbetsmarknads- och socialnämndens beredning", "Arbetsmarknads- och socialnämnden", True)


def test_abbreviations_are_derived_mentions():
    found = find_bodies("KSAU och KF samt KS", municipality="Kramfors")
    assert [(b.text, b.name, b.derived) for b in found] == [
        ("KSAU", "Kommunstyrelsens arbetsutskott", True),
        ("KF", "Kommunfullmäktige", True),
        ("KS", "Kommunstyrelsen", True),
    ]
    # municipality-specific abbreviations only in that municipality
    assert find_bodies("ASN", municipality="Uppsala") == []


def test_coordinated_district_list_is_two_bodies():
    text = "socialnämnden och stadsdelsnämnderna i Enskede-Årsta-Vantör och Spånga-Tensta."
    assert names(text, municipality="Stockholm") == [
        ("socialnämnden", "Socialnämnden"),
        ("stadsdelsnämnderna i Enskede-Årsta-Vantör och Spånga-Tensta", "Enskede-Årsta-Vantörs stadsdelsnämnd"),
        ("stadsdelsnämnderna i Enskede-Årsta-Vantör och Spånga-Tensta", "Spånga-Tensta stadsdelsnämnd"),
    ]


def test_anaphoric_class_noun_resolves_to_own_body():
    text = "Till Skärholmens stadsdelsnämnd. Stadsdelsnämnden godkänner."
    found = find_bodies(text, municipality="Stockholm", own_body="Skärholmens stadsdelsnämnd")
    assert [(b.text, b.name, b.derived) for b in found] == [
        ("Skärholmens stadsdelsnämnd", "Skärholmens stadsdelsnämnd", False),
        ("Stadsdelsnämnden", "Skärholmens stadsdelsnämnd", True),
    ]


def test_administrations_serve_their_body():
    found = find_bodies("stadskontoret, arbetsmarknads- och socialförvaltningen och Skärholmens stadsdelsförvaltning")
    assert [(b.name, b.kind, b.serves) for b in found] == [
        ("Stadskontoret", "förvaltning", "Kommunstyrelsen"),
        ("Arbetsmarknads- och socialförvaltningen", "förvaltning", "Arbetsmarknads- och socialnämnden"),
        ("Skärholmens stadsdelsförvaltning", "förvaltning", "Skärholmens stadsdelsnämnd"),
    ]


def test_spans_are_exact():
    text = "Ärendet bereds av miljö- och byggnadsnämndens arbetsutskott i Tyresö."
    for b in find_bodies(text):
        assert text[b.start : b.end] == b.text


def test_local_names_and_audit_behind_revisorerna():
    text = "Stadsrevisionen har granskat. Revisorerna rekommenderar. Medarbetare vid socialförvaltningen."
    found = find_bodies(text, municipality="Malmö")
    assert [(b.text, b.name) for b in found] == [
        ("Stadsrevisionen", "Stadsrevisionen"),
        ("Revisorerna", "Stadsrevisionen"),
        ("socialförvaltningen", "Arbetsmarknads- och socialförvaltningen"),
    ]
    # elsewhere "socialförvaltningen" is what it says
    assert find_bodies("socialförvaltningen", municipality="Linköping")[0].name == "Socialförvaltningen"


def test_abbreviation_defined_in_the_text_wins_over_generic():
    found = find_bodies("Barn- och ungdomsnämnden (BUN) beslutade. BUN ska återkomma.", municipality="Linköping")
    assert [(b.text, b.name) for b in found] == [
        ("Barn- och ungdomsnämnden", "Barn- och ungdomsnämnden"),
        ("BUN", "Barn- och ungdomsnämnden"),
        ("BUN", "Barn- och ungdomsnämnden"),
    ]


def test_head_matches_are_the_head_patterns_matches():
    from beslutsgraf.extract.bodies import _head_matches, vocab

    text = (
        "Barn- och utbildningsnämnden, kultur-, fritids- och\n  idrottsnämnden samt Nämnden "
        "och nämndstyrelsen eller miljö- samt byggnämndens kontor, stadskontoret, "
        "Överförmyndarnämnden; KOMMUNSTYRELSEN och kommunstyrelsens förvaltning."
    )
    got = [m.group() for m in _head_matches(text)]
    assert got == [m.group() for m in vocab().head_re.finditer(text)]
    assert got[:2] == ["Barn- och utbildningsnämnden", "kultur-, fritids- och\n  idrottsnämnden"]
