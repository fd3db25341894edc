"""Views for analysis, derived from the Table Schemas (which are generated from the models).

Nothing here names a table or a column: labels come from each field's ``x-vocabulary``,
joins from each table's ``foreignKeys``, so a new table, code column or foreign key in the
models shows up in every view without a change here. Like :mod:`jiceng.loading`, this
path imports neither pydantic nor frictionless.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import pandas as pd

from .loading import TABLE_NAMES, load, resource_name, resource_schema
from .stats import tally
from .registry import VOCABULARIES

LABEL_LANGUAGES = ("en", "zh")


def vocabulary_resource(vocabulary: str) -> str:
    return VOCABULARIES[vocabulary].resource_name


def with_labels(frame: pd.DataFrame, name: str, root: Path | None = None) -> pd.DataFrame:
    """Add ``<column>_en`` and ``<column>_zh`` beside every vocabulary-coded column."""
    fields = resource_schema(resource_name(name, root), root)["fields"]
    result = frame.copy()
    for field in fields:
        vocabulary = field.get("x-vocabulary")
        if not vocabulary or field["name"] not in result.columns:
            continue
        terms = load(vocabulary_resource(vocabulary), root).set_index("code")
        at = result.columns.get_loc(field["name"]) + 1
        codes = result[field["name"]].astype("string")
        for offset, language in enumerate(LABEL_LANGUAGES):
            labels = codes.map(terms[f"label_{language}"].astype("string").to_dict()).astype("string")
            result.insert(at + offset, f"{field['name']}_{language}", labels)
    result.attrs = {**frame.attrs, "column_descriptions": label_descriptions(frame.attrs, fields)}
    return result


def label_descriptions(attrs: dict[str, Any], fields: list[dict[str, Any]]) -> dict[str, str]:
    descriptions = dict(attrs.get("column_descriptions", {}))
    for field in fields:
        if field.get("x-vocabulary"):
            for language, label in (("en", "English"), ("zh", "Chinese")):
                descriptions[f"{field['name']}_{language}"] = (
                    f"{label} label of {field['name']} (vocabulary {field['x-vocabulary']})."
                )
    return descriptions


def join_prefix(column: str) -> str:
    """``district_id`` → ``district_``: joined columns are named after the key that joins them."""
    return column.removesuffix("_id") + "_"


def view(name: str, *, labels: bool = True, root: Path | None = None) -> pd.DataFrame:
    """A table joined with every table its foreign keys name, their columns prefixed."""
    resource = resource_name(name, root)
    schema = resource_schema(resource, root)
    frame = load(resource, root)
    if labels:
        frame = with_labels(frame, resource, root)
    descriptions = dict(frame.attrs.get("column_descriptions", {}))
    own_keys = {tuple(key["fields"]): key["reference"]["resource"] for key in schema.get("foreignKeys", [])}
    for key in schema.get("foreignKeys", []):
        (column,), (target,) = key["fields"], key["reference"]["fields"]
        other = load(key["reference"]["resource"], root)
        if labels:
            other = with_labels(other, key["reference"]["resource"], root)
        # The joined table's own keys that this table already carries (an initiative's
        # source and district, beside the metric's) add nothing: leave them out.
        other_keys = resource_schema(resource_name(key["reference"]["resource"], root), root).get("foreignKeys", [])
        repeated = [k["fields"][0] for k in other_keys if own_keys.get(tuple(k["fields"])) == k["reference"]["resource"]]
        prefix = join_prefix(column)
        kept = [c for c in other.columns if c != target and c not in repeated]
        renamed = {c: prefix + c for c in kept}
        other_descriptions = other.attrs.get("column_descriptions", {})
        descriptions.update({renamed[c]: f"{key['reference']['resource']}: {other_descriptions.get(c, '')}" for c in kept})
        joined = other[[target, *kept]].rename(columns={**renamed, target: column})
        frame = frame.merge(joined, on=column, how="left", validate="many_to_one", suffixes=(None, None))
    frame.attrs = {**frame.attrs, "jiceng_view": resource, "column_descriptions": descriptions}
    return frame


class District:
    """Everything the package holds about one district, each part a DataFrame.

    ``row`` is its row of ``districts``; ``sources``, ``initiatives``, ``metrics`` and the
    other tables hold its rows (tables keyed by source through its sources); ``flags``
    lists every row of it that names an annotation (a known defect of the source, or a
    curator note) in ``annotation_ids``.
    """

    def __init__(self, district_id: str, parts: dict[str, pd.DataFrame]) -> None:
        self.district_id = district_id
        self.parts = parts

    def __getattr__(self, name: str) -> pd.DataFrame:
        parts = self.__dict__.get("parts", {})
        if name in parts:
            return parts[name]
        raise AttributeError(f"a district has no part {name!r}; parts: {', '.join(parts)}")

    def __dir__(self) -> list[str]:
        return [*super().__dir__(), *self.parts]

    def __repr__(self) -> str:
        row = self.parts["row"].iloc[0]
        counts = ", ".join(f"{name} {tally(frame['status'] if 'status' in frame.columns else [None] * len(frame))}"
                           for name, frame in self.parts.items() if name != "row")
        return f"District({self.district_id} {row['name_zh']} {row['name_en']}: {counts})"


LEVEL_WORDS = (" district", " county", " city", " banner", "区", "县", "市", "旗")


def district_id_of(wanted: str, districts: pd.DataFrame) -> str:
    """A GB/T 2260 code, or a district's Chinese or English name, with or without its level
    word (Tonghua, 通化), to its code; a short name two districts share is not guessed."""
    wanted = str(wanted).strip()
    spellings: dict[str, set[str]] = {}
    shown: dict[str, str] = {}
    for row in districts.itertuples():
        for spelling in (row.district_id, row.name_zh, row.name_en):
            spelling = str(spelling)
            forms = {spelling} | {spelling[: -len(word)] for word in LEVEL_WORDS
                                  if spelling.casefold().endswith(word) and len(spelling) > len(word) + 1}
            for form in forms:
                spellings.setdefault(form.casefold(), set()).add(row.district_id)
                shown.setdefault(form.casefold(), spelling)
    found = spellings.get(wanted.casefold(), set())
    if len(found) == 1:
        return next(iter(found))
    known = ", ".join(f"{row.district_id} {row.name_zh}" for row in districts.itertuples())
    if found:
        names = dict(zip(districts["district_id"], districts["name_zh"]))
        listed = " and ".join(f"{code} {names[code]}" for code in sorted(found))
        raise LookupError(f"{wanted!r} is the short name of {len(found)} districts, {listed}; give the code")
    close = difflib.get_close_matches(wanted.casefold(), list(spellings), n=1, cutoff=0.6)
    hint = f"did you mean {', '.join(sorted(spellings[close[0]]))} ({shown[close[0]]})? " if close else ""
    raise LookupError(f"no district {wanted!r}; {hint}districts: {known}")


def district(wanted: str, *, labels: bool = True, root: Path | None = None) -> District:
    """One district's row, its sources and the rows of every table that refers to them."""
    districts = load("districts", root)
    code = district_id_of(wanted, districts)
    frames = {name: (with_labels(load(name, root), name, root) if labels else load(name, root)) for name in TABLE_NAMES}
    parts = {"row": frames["districts"][frames["districts"]["district_id"] == code].reset_index(drop=True)}
    source_ids = frames["sources"].loc[frames["sources"]["district_id"] == code, "source_id"]
    for name in TABLE_NAMES:
        if name == "districts":
            continue
        keys: dict[str, str] = {}
        for key in resource_schema(resource_name(name, root), root).get("foreignKeys", []):
            keys.setdefault(key["reference"]["resource"], key["fields"][0])  # the first: source_id, not related_source_id
        frame = frames[name]
        if "districts" in keys:
            parts[name] = frame[frame[keys["districts"]] == code].reset_index(drop=True)
        elif "sources" in keys:
            parts[name] = frame[frame[keys["sources"]].isin(source_ids)].reset_index(drop=True)
    parts["flags"] = flags(parts, frames["annotations"], root)
    return District(code, parts)


def flags(parts: dict[str, pd.DataFrame], annotations: pd.DataFrame, root: Path | None = None) -> pd.DataFrame:
    """One row per (row, annotation) link: which of the district's rows an annotation touches."""
    links = []
    for name, frame in parts.items():
        if "annotation_ids" not in frame.columns:
            continue
        (key,) = resource_schema(resource_name(name, root), root)["primaryKey"]
        linked = frame[[key, "annotation_ids"]].dropna()
        for row_id, ids in zip(linked[key], linked["annotation_ids"]):
            links += [{"table": name, "row_id": row_id, "annotation_id": one} for one in ids.split()]
    frame = pd.DataFrame(links, columns=["table", "row_id", "annotation_id"], dtype="string")
    details = annotations.drop(columns=[c for c in ("source_id",) if c in annotations.columns])
    details = details.rename(columns={c: "annotation_" + c for c in details.columns if c != "annotation_id"})
    return frame.merge(details, on="annotation_id", how="left", validate="many_to_one")
