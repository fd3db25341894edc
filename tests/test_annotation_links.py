"""Metrics and initiatives link the annotations near them, checked both ways by validate."""

from __future__ import annotations

from conftest import assert_reported


def overlapping_pair(copy):
    """An annotation and an initiative whose quote overlaps its span (found by offsets here)."""
    annotations = [row for row in copy.rows("annotations") if row["status"] == "active"]
    rows = copy.rows("initiatives")
    for index, row in enumerate(rows):
        for annotation in annotations:
            same_source = annotation["source_id"] == row["source_id"]
            if same_source and int(annotation["quote_start"]) < int(row["quote_end"]) \
                    and int(row["quote_start"]) < int(annotation["quote_end"]):
                return index, row, annotation["annotation_id"]
    raise AssertionError("the bundled data has no initiative next to an annotation")


def test_missing_link_to_an_overlapping_annotation_names_the_annotation_to_add(run_cli, package_copy):
    index, row, annotation_id = overlapping_pair(package_copy)
    kept = " ".join(link for link in row["annotation_ids"].split() if link != annotation_id)
    cell = package_copy.set_cell("initiatives", index, "annotation_ids", kept)
    line = assert_reported(run_cli, package_copy, cell, "annotation-link")
    assert f"add {annotation_id} to annotation_ids (its span overlaps the quote)" in line


def test_link_to_an_annotation_far_from_the_quote_is_an_error(run_cli, package_copy):
    rows = package_copy.rows("metrics")
    index = next(i for i, row in enumerate(rows) if not row["annotation_ids"])
    far = next(a for a in package_copy.rows("annotations")
               if a["source_id"] != rows[index]["source_id"] and a["status"] == "active")
    cell = package_copy.set_cell("metrics", index, "annotation_ids", far["annotation_id"])
    line = assert_reported(run_cli, package_copy, cell, "annotation-link")
    assert (f"remove {far['annotation_id']} from annotation_ids: no annotation with that ID overlaps the quote "
            "or is named by a consistency check of this row") in line


def test_link_to_a_withdrawn_annotation_is_an_error(run_cli, package_copy):
    index, _, annotation_id = overlapping_pair(package_copy)
    annotations = package_copy.rows("annotations")
    position = next(i for i, a in enumerate(annotations) if a["annotation_id"] == annotation_id)
    package_copy.set_cell("annotations", position, "status", "withdrawn")
    line = assert_reported(run_cli, package_copy, package_copy.find("initiatives", index, "annotation_ids"),
                           "annotation-link")
    assert f"remove {annotation_id}" in line and "withdrawn" in line


def test_metric_of_a_consistency_check_must_link_the_check_s_annotation(run_cli, package_copy):
    check = next(row for row in package_copy.rows("consistency_checks") if row["annotation_id"])
    metric_id = check["metric_ids"].split()[0]
    rows = package_copy.rows("metrics")
    index = next(i for i, row in enumerate(rows) if row["metric_id"] == metric_id)
    assert check["annotation_id"] in rows[index]["annotation_ids"].split()
    kept = " ".join(link for link in rows[index]["annotation_ids"].split() if link != check["annotation_id"])
    cell = package_copy.set_cell("metrics", index, "annotation_ids", kept)
    line = assert_reported(run_cli, package_copy, cell, "annotation-link")
    assert f"add {check['annotation_id']}" in line


def test_every_annotation_near_a_fact_row_is_linked_in_the_bundled_data():
    import jiceng

    annotations = jiceng.annotations()
    annotations = annotations[annotations["status"] == "active"]
    linked = set()
    for table in ("metrics", "initiatives"):
        for links in jiceng.load(table)["annotation_ids"].dropna():
            linked.update(links.split())
    for table in ("metrics", "initiatives"):
        frame = jiceng.load(table)
        for row in frame.itertuples():
            near = annotations[(annotations["source_id"] == row.source_id)
                               & (annotations["quote_start"] < row.quote_end)
                               & (annotations["quote_end"] > row.quote_start)]
            assert set(near["annotation_id"]) <= linked
