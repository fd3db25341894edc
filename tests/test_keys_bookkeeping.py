"""The key bookkeeping of keys.py on hand-made rows: which references dangle at once,
which wait for their table, and what a second pass must look for."""

from __future__ import annotations

from array import array

from jiceng.validate.checks.keys import Keys, Recheck, Reference, duplicate_hashes, references
from jiceng.validate.streams import primary_key

ORDER = ("sources", "districts", "consistency_checks", "non_metric_numbers", "metrics", "initiatives",
         "annotations", "glossary")


def test_primary_keys_are_the_id_columns_and_vocabularies_are_keyed_by_code():
    assert primary_key("metrics") == "metric_id"
    assert primary_key("non_metric_numbers") == "number_id"
    assert primary_key("vocabulary:units") == "code"


def test_references_are_the_foreign_keys_the_models_declare():
    assert references("metrics") == [
        Reference("metrics", "source_id", "sources", "source_id"),
        Reference("metrics", "district_id", "districts", "district_id"),
        Reference("metrics", "initiative_id", "initiatives", "initiative_id"),
    ]
    assert references("glossary") == []
    assert references("vocabulary:units") == []


def test_reference_message_names_the_column_value_and_target():
    reference = Reference("metrics", "source_id", "sources", "source_id")
    assert reference.message("x-1") == ("source_id 'x-1' is not a source_id of sources.csv; "
                                        "add the referenced row or correct the ID")


def test_reference_to_a_table_already_read_dangles_at_once():
    keys = Keys(ORDER)
    assert keys.row("sources", {"source_id": "s-1", "district_id": "110101"}) == []
    keys.finish("sources")
    keys.row("districts", {"district_id": "110101", "goals_source_id": None})
    keys.finish("districts")
    dangling = keys.row("non_metric_numbers", {"number_id": "n-1", "source_id": "s-2"})
    assert dangling == [(Reference("non_metric_numbers", "source_id", "sources", "source_id"), "s-2")]
    assert keys.row("non_metric_numbers", {"number_id": "n-2", "source_id": "s-1"}) == []


def test_reference_to_a_table_not_read_yet_waits_and_is_struck_off():
    keys = Keys(ORDER)
    keys.row("sources", {"source_id": "s-1", "district_id": "110101"})
    keys.row("sources", {"source_id": "s-2", "district_id": "220202"})
    keys.finish("sources")
    keys.row("districts", {"district_id": "110101", "goals_source_id": None})
    keys.finish("districts")
    assert dict(keys.rechecks) == {"sources": Recheck(dangling={
        Reference("sources", "district_id", "districts", "district_id"): {"220202"}})}


def test_empty_reference_is_not_checked():
    keys = Keys(ORDER)
    keys.finish("sources")
    assert keys.row("metrics", {"metric_id": "m-1", "source_id": None, "district_id": None,
                                "initiative_id": None}) == []
    assert not keys.pending.get("initiatives")


def test_repeated_keys_ask_for_a_second_pass():
    keys = Keys(ORDER)
    for key in ("g-a", "g-b", "g-a"):
        keys.row("glossary", {"term_id": key})
    keys.finish("glossary")
    assert keys.rechecks["glossary"].duplicate_hashes == {hash("g-a")}
    assert bool(keys.rechecks["glossary"]) and not Recheck()


def test_only_tables_referred_to_later_keep_their_keys():
    keys = Keys(ORDER)
    keys.row("sources", {"source_id": "s-1", "district_id": None})
    keys.row("glossary", {"term_id": "g-a"})
    assert keys.known == {"sources": {"s-1"}, "districts": set()}


def test_duplicate_hashes_of_a_table_without_repeats_is_empty():
    assert duplicate_hashes(array("q", [1, 2, 3])) == set()
    assert duplicate_hashes(array("q", [1, 2, 3]), small=0) == set()
    assert duplicate_hashes(array("q", [5, 5, 5, 2, 2]), small=0) == {5, 2}
