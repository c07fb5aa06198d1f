"""Story lineage measures on small hand-made stories.

The running example is "the loan": Ayşe asks the bank for a loan, is refused, sells her (red)
car, the cooperative lends her the rest, and the shop opens. Tellings are built with
:func:`telling`, whose ``order`` string reads like the telling itself.
"""

import json
import random
import time

import pytest

from qualcode.core.lineage import (
    MAX_CYCLES,
    Discrepancy,
    Element,
    Realization,
    Telling,
    Transmission,
    analyse_story,
    choose_reference,
    discrepancies,
    drift,
    generations,
    kendall_tau,
    normalise_text,
    shared_innovations,
    told_sequence,
)

ASK, REFUSED, CAR, COOP, SHOP = "ask", "refused", "car", "coop", "shop"

LOAN = (
    Element(ASK, 1, "asks the bank for a loan", "core"),
    Element(REFUSED, 2, "the bank refuses", "core"),
    Element(CAR, 3, "sells her car", "detail"),
    Element(COOP, 4, "the cooperative lends", "core"),
    Element(SHOP, 5, "the shop opens", "core"),
)


def telling(tid, role, order, *, variants=None, status=None, teller=None):
    """A telling that tells the elements in ``order`` (space separated), positions 1, 2, ...

    Elements left out of ``order`` are absent; ``status`` overrides "present" per element.
    """
    variants, status = variants or {}, status or {}
    realizations = tuple(
        Realization(eid, status.get(eid, "present"), pos, variants.get(eid))
        for pos, eid in enumerate(order.split(), 1)
    )
    return Telling(tid, teller or f"teller {tid}", role, realizations)


def stated(source, target):
    return Transmission(source, target, "stated")


def inferred(source, target):
    return Transmission(source, target, "inferred")


# The protagonist's own version: the reference.
AYSE = telling("P", "protagonist", "ask refused car coop shop", variants={CAR: "her red car"})


def types(found):
    return [(d.type, d.elements) for d in found]


# ---------------------------------------------------------------------------------- sequence


def test_told_sequence_orders_by_position_and_skips_untold():
    t = Telling(
        "T",
        "Mehmet",
        "hearsay",
        (
            Realization(SHOP, "present", 1),
            Realization(COOP, "implied", 2),
            Realization(ASK, "contradicted", 2),  # tie with coop: canonical order decides
            Realization(REFUSED, "absent", 3),  # absent: not told, whatever its position
            Realization(CAR, "present", None),  # order unknown: left out
        ),
    )
    assert told_sequence(t, LOAN) == [SHOP, ASK, COOP]


def test_tau_is_one_for_the_same_order():
    assert kendall_tau("abcd", "abcd") == (1.0, [])


def test_tau_is_minus_one_for_the_reverse_order():
    tau, swapped = kendall_tau("dcba", "abcd")
    assert tau == -1.0
    assert swapped == [("a", "b"), ("a", "c"), ("a", "d"), ("b", "c"), ("b", "d"), ("c", "d")]


def test_a_single_swap_of_neighbours():
    tau, swapped = kendall_tau("acbd", "abcd")
    assert tau == pytest.approx(4 / 6)  # 5 concordant, 1 discordant of 6 pairs
    assert swapped == [("b", "c")]


def test_tau_uses_only_common_elements():
    # x and y are not in the reference, d is not in the sequence: b, a, c remain.
    tau, swapped = kendall_tau("xbyac", "abcd")
    assert swapped == [("a", "b")]
    assert tau == pytest.approx(1 / 3)


@pytest.mark.parametrize("seq, ref", [("", "abc"), ("a", "abc"), ("ab", "cd")])
def test_tau_needs_two_common_elements(seq, ref):
    assert kendall_tau(seq, ref) == (None, [])


def test_tau_rejects_repeated_elements():
    with pytest.raises(ValueError, match="repeats"):
        kendall_tau("aba", "ab")


# ----------------------------------------------------------------------------- discrepancies


def test_same_telling_has_no_discrepancies():
    assert discrepancies(AYSE, AYSE, LOAN) == []


def test_omission():
    t = telling("T", "eyewitness", "ask refused coop shop")
    (d,) = discrepancies(t, AYSE, LOAN)
    assert (d.type, d.elements) == ("omission", (CAR,))
    assert "sells her car" in d.detail and "telling P" in d.detail


def test_addition():
    ref = telling("R", "protagonist", "ask refused coop shop")
    t = telling("T", "eyewitness", "ask refused car coop shop")
    assert types(discrepancies(t, ref, LOAN)) == [("addition", (CAR,))]


def test_substitution_compares_normalised_text():
    same = telling("T", "hearsay", "ask refused car coop shop", variants={CAR: "  Her RED car."})
    assert discrepancies(same, AYSE, LOAN) == []
    other = telling("U", "hearsay", "ask refused car coop shop", variants={CAR: "her blue car"})
    (d,) = discrepancies(other, AYSE, LOAN)
    assert (d.type, d.elements) == ("substitution", (CAR,))
    assert "her blue car" in d.detail and "her red car" in d.detail


def test_missing_variant_text_is_not_a_substitution():
    t = telling("T", "hearsay", "ask refused car coop shop")
    assert discrepancies(t, AYSE, LOAN) == []


def test_normalise_text_keeps_letters_beyond_ascii():
    assert normalise_text("  Ayşe’s  ÇAY! ") == normalise_text("ayşe s çay")
    assert normalise_text("çay") != normalise_text("cay")


def test_contradiction_either_way():
    # "The bank did not refuse; she never asked it" — told, but contradicting the reference.
    t = telling("T", "hearsay", "ask refused car coop shop", status={REFUSED: "contradicted"})
    assert types(discrepancies(t, AYSE, LOAN)) == [("contradiction", (REFUSED,))]
    # ... and the reverse: the reference contradicts what this telling keeps.
    assert types(discrepancies(AYSE, t, LOAN)) == [("contradiction", (REFUSED,))]


def test_implied_counts_as_kept():
    t = telling("T", "eyewitness", "ask refused car coop shop", status={REFUSED: "implied"})
    assert discrepancies(t, AYSE, LOAN) == []


def test_one_transposition_per_swapped_pair():
    # The car is sold first, before she even asks the bank.
    t = telling("T", "hearsay", "car ask refused coop shop", variants={CAR: "her red car"})
    assert types(discrepancies(t, AYSE, LOAN)) == [
        ("transposition", (ASK, CAR)),
        ("transposition", (REFUSED, CAR)),
    ]


def test_discrepancies_come_in_canonical_order_then_transpositions():
    t = telling("T", "hearsay", "ask coop refused shop", variants={}, status={SHOP: "contradicted"})
    assert types(discrepancies(t, AYSE, LOAN)) == [
        ("omission", (CAR,)),
        ("contradiction", (SHOP,)),
        ("transposition", (REFUSED, COOP)),
    ]


def test_without_reference_compare_with_the_canonical_story():
    # Canonical story: every element in ordinal order, the core ones present.
    t = telling("T", "hearsay", "refused ask car shop", variants={CAR: "a blue car"})
    assert types(discrepancies(t, None, LOAN)) == [
        ("addition", (CAR,)),  # a detail beyond the core: an embellishment
        ("omission", (COOP,)),
        ("transposition", (ASK, REFUSED)),
    ]
    assert "canonical" in discrepancies(t, None, LOAN)[0].detail


def test_discrepancy_type_is_checked():
    with pytest.raises(ValueError):
        Discrepancy("typo", (ASK,), "")


# -------------------------------------------------------------------------------- reference


def test_choose_reference_prefers_protagonist_with_smallest_id():
    tellings = [
        telling(3, "hearsay", "ask"),
        telling(7, "protagonist", "ask"),
        telling(5, "protagonist", "ask"),
    ]
    assert choose_reference(tellings).id == 5
    assert choose_reference([telling(1, "eyewitness", "ask")]) is None


# ------------------------------------------------------------------------------ generations


def test_generations_along_a_chain_of_three_steps():
    tellings = [AYSE] + [telling(t, "hearsay", "ask") for t in "ABC"]
    graph = generations(tellings, [stated("P", "A"), inferred("A", "B"), stated("B", "C")])
    assert graph.generation == {"P": 0, "A": 1, "B": 2, "C": 3}
    assert graph.cycles == []


def test_generation_takes_the_shortest_path():
    tellings = [AYSE] + [telling(t, "hearsay", "ask") for t in "ABC"]
    graph = generations(
        tellings, [stated("P", "A"), stated("A", "B"), stated("B", "C"), inferred("P", "C")]
    )
    assert graph.generation["C"] == 1


def test_a_cycle_is_reported_and_the_search_terminates():
    # A says she heard it from C, C from B, B from A; no one links it to the protagonist.
    tellings = [AYSE] + [telling(t, "hearsay", "ask") for t in "ABC"]
    graph = generations(tellings, [stated("C", "A"), stated("A", "B"), stated("B", "C")])
    assert graph.cycles == [["A", "B", "C"]]
    assert graph.generation == {"P": 0, "A": None, "B": None, "C": None}


def test_a_cycle_reached_from_the_protagonist_gets_generations():
    tellings = [AYSE] + [telling(t, "hearsay", "ask") for t in "AB"]
    graph = generations(tellings, [stated("P", "A"), stated("A", "B"), stated("B", "A")])
    assert graph.generation == {"P": 0, "A": 1, "B": 2}
    assert graph.cycles == [["A", "B"]]


def test_every_elementary_cycle_and_self_loops_are_reported():
    tellings = [telling(t, "hearsay", "ask") for t in "ABCD"]
    transmissions = [
        stated("A", "B"), stated("B", "A"),  # A <-> B
        stated("A", "C"), stated("C", "A"),  # A <-> C
        stated("B", "C"),  # and so A -> B -> C -> A
        stated("D", "D"),  # D claims to have heard it from herself
    ]
    graph = generations(tellings, transmissions)
    assert graph.cycles == [["D"], ["A", "B"], ["A", "C"], ["A", "B", "C"]]


def test_cycle_count_is_capped_on_a_complete_graph():
    tellings = [telling(i, "hearsay", "ask") for i in range(9)]
    transmissions = [stated(a, b) for a in range(9) for b in range(9) if a != b]
    graph = generations(tellings, transmissions)
    assert len(graph.cycles) == MAX_CYCLES


def test_hearsay_without_known_source_has_no_generation():
    tellings = [AYSE, telling("H", "hearsay", "ask shop")]
    # The teller names "a neighbour", who is not among the tellings.
    graph = generations(tellings, [Transmission(None, "H", "stated")])
    assert graph.generation == {"P": 0, "H": None}


def test_transmission_to_unknown_telling_is_a_bug():
    with pytest.raises(ValueError, match="unknown telling"):
        generations([AYSE], [stated("P", "X")])


# ------------------------------------------------------------------------------------ drift


def test_drift_per_telling_and_per_generation():
    tellings = [
        AYSE,  # 4 of 4 core elements
        telling("A", "eyewitness", "ask refused coop shop"),  # 4/4
        telling("B", "hearsay", "ask coop shop", status={COOP: "implied"}),  # 3/4, implied kept
        telling("C", "hearsay", "ask car shop"),  # 2/4, the detail does not count
        telling("D", "hearsay", "shop", status={SHOP: "contradicted"}),  # 0/4, unknown source
    ]
    gens = {"P": 0, "A": 1, "B": 1, "C": 2, "D": None}
    result = drift(tellings, LOAN, gens)
    assert result.core_kept == {"P": 1.0, "A": 1.0, "B": 0.75, "C": 0.5, "D": 0.0}
    assert result.by_generation == {0: 1.0, 1: 0.875, 2: 0.5, None: 0.0}
    assert list(result.by_generation) == [0, 1, 2, None]
    assert result.tellings_by_generation == {0: 1, 1: 2, 2: 1, None: 1}


def test_drift_without_core_elements_has_no_shares():
    details = [Element("x", 1, "a detail", "detail")]
    result = drift([telling("T", "hearsay", "x")], details, {"T": 0})
    assert result.core_kept == {"T": None}
    assert result.by_generation == {}


# ------------------------------------------------------------------------ shared innovations

# Two hearsay tellings that both make the car blue and drop the refusal, which Ayşe never did.
BLUE_1 = telling("H1", "hearsay", "ask car coop shop", variants={CAR: "a blue car"})
BLUE_2 = telling("H2", "hearsay", "ask car coop shop", variants={CAR: "A blue car!"})
OTHER = telling("H3", "hearsay", "ask refused car coop shop", variants={CAR: "a green car"})


def test_shared_innovation_suggests_unrelated_tellings():
    found = shared_innovations([AYSE, BLUE_1, BLUE_2, OTHER], AYSE, LOAN, [stated("P", "H3")])
    assert len(found) == 1
    a, b, shared = found[0]
    assert (a, b) == ("H1", "H2")
    assert shared == (
        "omission of 'the bank refuses'",
        "substitution of 'sells her car' by 'a blue car'",
    )


def test_different_variants_are_not_shared():
    found = shared_innovations([AYSE, BLUE_1, OTHER], AYSE, LOAN, [])
    assert found == []


@pytest.mark.parametrize(
    "path",
    [
        [stated("H1", "H2")],
        [stated("H2", "H1")],
        [inferred("H1", "X"), stated("X", "H2")],  # via an intermediate telling
    ],
)
def test_no_suggestion_when_a_transmission_path_connects_them(path):
    middle = telling("X", "hearsay", "ask")
    found = shared_innovations([AYSE, BLUE_1, BLUE_2, middle], AYSE, LOAN, path)
    assert all({"H1", "H2"} != {s.telling_a, s.telling_b} for s in found)


def test_innovation_of_a_common_source_is_not_suggested():
    # S told both; S already has the blue car, so H1 and H2 sharing it says nothing new.
    source = telling("S", "eyewitness", "ask car coop shop", variants={CAR: "a blue car"})
    told_both = [stated("S", "H1"), stated("S", "H2")]
    assert shared_innovations([AYSE, source, BLUE_1, BLUE_2], AYSE, LOAN, told_both) == []
    # If S kept the refusal, H1 and H2 dropping it is still unexplained.
    source = telling("S", "eyewitness", "ask refused car coop shop", variants={CAR: "a blue car"})
    found = shared_innovations([AYSE, source, BLUE_1, BLUE_2], AYSE, LOAN, told_both)
    assert found == [("H1", "H2", ("omission of 'the bank refuses'",))]


def test_suggestions_ranked_by_number_shared():
    one = telling("Q1", "hearsay", "ask refused coop shop")  # omits the car
    two = telling("Q2", "hearsay", "ask refused coop shop")
    found = shared_innovations([AYSE, one, BLUE_1, two, BLUE_2], AYSE, LOAN, [])
    assert [(s.telling_a, s.telling_b, len(s.shared)) for s in found] == [
        ("H1", "H2", 2),
        ("Q1", "Q2", 1),
    ]


# ---------------------------------------------------------------------------- whole story


def test_analyse_story_shape_and_values():
    tellings = [
        AYSE,
        telling("A", "eyewitness", "ask refused car coop shop", variants={CAR: "her red car"}),
        BLUE_1,
        BLUE_2,
        telling("B", "hearsay", "refused ask coop shop"),
    ]
    transmissions = [stated("P", "A"), inferred("A", "B"), Transmission(None, "H1", "stated")]
    result = analyse_story(LOAN, tellings, transmissions)
    json.dumps(result)  # JSON-ready as it stands

    assert set(result) == {
        "tellings", "reference_telling", "cycles", "drift_by_generation", "suggested_relations",
    }
    assert result["reference_telling"] == "P"
    assert result["cycles"] == []
    rows = {row["id"]: row for row in result["tellings"]}
    assert list(rows) == ["P", "A", "H1", "H2", "B"]
    assert set(rows["P"]) == {
        "id", "teller", "role", "generation", "sequence", "kendall_tau", "swapped_pairs",
        "discrepancies", "core_kept",
    }
    assert rows["P"]["kendall_tau"] == 1.0 and rows["P"]["discrepancies"] == []
    assert [rows[t]["generation"] for t in rows] == [0, 0, None, None, 1]  # eyewitness A is first-hand

    b = rows["B"]
    assert b["teller"] == "teller B" and b["role"] == "hearsay"
    assert b["sequence"] == [REFUSED, ASK, COOP, SHOP]
    assert b["kendall_tau"] == pytest.approx(4 / 6)
    assert b["swapped_pairs"] == [[ASK, REFUSED]]
    assert [(d["type"], d["elements"]) for d in b["discrepancies"]] == [
        ("omission", [CAR]),
        ("transposition", [ASK, REFUSED]),
    ]
    assert b["core_kept"] == 1.0
    assert rows["H1"]["core_kept"] == 0.75

    assert result["drift_by_generation"] == [
        {"generation": 0, "tellings": 2, "core_kept": 1.0},  # P and the eyewitness A
        {"generation": 1, "tellings": 1, "core_kept": 1.0},
        {"generation": None, "tellings": 2, "core_kept": 0.75},
    ]
    assert result["suggested_relations"] == [
        {
            "tellings": ["H1", "H2"],
            "shared": [
                "omission of 'the bank refuses'",
                "substitution of 'sells her car' by 'a blue car'",
            ],
        }
    ]


def test_analyse_story_without_protagonist_uses_canonical_story():
    tellings = [
        telling("E", "eyewitness", "ask refused coop shop"),
        telling("H", "hearsay", "shop ask"),
    ]
    result = analyse_story(LOAN, tellings, [stated("E", "H")])
    assert result["reference_telling"] is None
    rows = {row["id"]: row for row in result["tellings"]}
    assert rows["E"]["discrepancies"] == [] and rows["E"]["kendall_tau"] == 1.0
    assert rows["H"]["kendall_tau"] == -1.0
    assert [d["type"] for d in rows["H"]["discrepancies"]] == [
        "omission", "omission", "transposition",
    ]
    assert [row["generation"] for row in result["tellings"]] == [0, 1]  # eyewitness E first-hand, H heard from E


def test_analyse_story_with_chosen_reference():
    eyewitness = telling("E", "eyewitness", "ask refused coop shop")
    result = analyse_story(LOAN, [AYSE, eyewitness], [], reference_id="E")
    assert result["reference_telling"] == "E"
    rows = {row["id"]: row for row in result["tellings"]}
    assert [d["type"] for d in rows["P"]["discrepancies"]] == ["addition"]
    with pytest.raises(ValueError, match="not a telling"):
        analyse_story(LOAN, [AYSE], [], reference_id="nope")


def test_analyse_story_reports_cycles():
    tellings = [AYSE] + [telling(t, "hearsay", "ask shop") for t in "AB"]
    result = analyse_story(LOAN, tellings, [stated("A", "B"), stated("B", "A")])
    assert result["cycles"] == [["A", "B"]]
    assert [row["generation"] for row in result["tellings"]] == [0, None, None]


def test_fifty_tellings_of_thirty_elements_is_fast():
    rng = random.Random(7)
    elements = [Element(e, e, f"beat {e}", "core" if e % 3 else "detail") for e in range(30)]
    statuses = ["present"] * 6 + ["implied", "absent", "contradicted"]
    tellings = []
    for t in range(50):
        order = list(range(30))
        for _ in range(3):  # a few local transpositions per telling
            i = rng.randrange(29)
            order[i], order[i + 1] = order[i + 1], order[i]
        realizations = tuple(
            Realization(e, rng.choice(statuses), pos, rng.choice(["red", "blue", None]))
            for pos, e in enumerate(order)
        )
        role = "protagonist" if t == 0 else "hearsay"
        tellings.append(Telling(t, f"teller {t}", role, realizations))
    transmissions = [stated(rng.randrange(t), t) for t in range(1, 50) if rng.random() < 0.6]
    transmissions += [stated(48, 49), stated(49, 48)]  # and one circular claim

    started = time.perf_counter()
    result = analyse_story(elements, tellings, transmissions)
    elapsed = time.perf_counter() - started

    assert len(result["tellings"]) == 50
    assert [48, 49] in result["cycles"]
    assert elapsed < 2.0


# ------------------------------------------------------------------------------ validation


TWICE = (Realization(ASK, "present"), Realization(ASK, "absent"))


@pytest.mark.parametrize(
    "build",
    [
        lambda: Element("x", 1, "x", "central"),
        lambda: Realization("x", "missing"),
        lambda: Telling("T", "t", "narrator"),
        lambda: Transmission("A", "B", "rumoured"),
        lambda: Telling("T", "t", "hearsay", TWICE),
    ],
)
def test_bad_values_are_rejected(build):
    with pytest.raises(ValueError):
        build()


def test_realization_of_an_element_outside_the_story_is_a_bug():
    stray = Telling("T", "t", "hearsay", (Realization("ghost", "present", 1),))
    with pytest.raises(ValueError, match="not an element"):
        told_sequence(stray, LOAN)
    with pytest.raises(ValueError, match="not an element"):
        analyse_story(LOAN, [stray], [])
