"""The data tables' columns as plain data, generated from the row models by `jiceng schemas`:
do not edit (a test fails when this file and ``jiceng.models`` differ).

``jiceng audit`` and the validate modules it uses read these instead of the models, so that
auditing a sound package never imports pydantic, which costs more than auditing a small one.
"""

# table → its header, in the order of its CSV file
COLUMNS: dict[str, tuple[str, ...]] = {
    'sources': (
        'source_id', 'document_id', 'district_id', 'path', 'sha256', 'document_length',
        'span_start', 'span_end', 'heading_zh', 'title_zh', 'title_en', 'byline_zh', 'author_zh',
        'author_en', 'author_role_zh', 'author_role_en', 'publication_zh', 'publication_en',
        'published', 'published_basis', 'published_note', 'language', 'position_note', 'notes',
        'status'
    ),
    'districts': (
        'district_id', 'name_zh', 'name_en', 'level', 'prefecture_id', 'prefecture_zh',
        'prefecture_en', 'province_id', 'province_zh', 'province_en', 'development_goals_zh',
        'development_goals_en', 'goals_source_id', 'goals_quote', 'goals_quote_start',
        'goals_quote_end', 'notes', 'status'
    ),
    'initiatives': (
        'initiative_id', 'source_id', 'district_id', 'name_zh', 'name_en', 'name_basis', 'kind',
        'category', 'scope', 'description_zh', 'description_en', 'quote', 'quote_prefix',
        'quote_suffix', 'quote_start', 'quote_end', 'annotation_ids', 'notes', 'status'
    ),
    'metrics': (
        'metric_id', 'source_id', 'district_id', 'initiative_id', 'subject_zh', 'subject_en',
        'topic', 'value', 'value_max', 'unit', 'qualifier', 'value_type', 'value_text',
        'value_occurrence', 'period_text', 'quote', 'quote_prefix', 'quote_suffix', 'quote_start',
        'quote_end', 'annotation_ids', 'notes', 'status'
    ),
    'annotations': (
        'annotation_id', 'source_id', 'kind', 'quote', 'quote_prefix', 'quote_suffix',
        'quote_start', 'quote_end', 'description_en', 'description_zh', 'suggested_reading',
        'related_source_id', 'related_start', 'related_end', 'status'
    ),
    'non_metric_numbers': (
        'number_id', 'source_id', 'number_text', 'reason', 'explanation_en', 'related_id', 'quote',
        'quote_prefix', 'quote_suffix', 'quote_start', 'quote_end', 'status'
    ),
    'consistency_checks': (
        'check_id', 'source_id', 'kind', 'metric_ids', 'description_en', 'outcome', 'recomputed',
        'annotation_id', 'status'
    ),
    'glossary': (
        'term_id', 'term_zh', 'term_en', 'definition_en', 'usage_note', 'status'
    ),
}

# table → column → the most characters a cell may hold
MAX_LENGTHS: dict[str, dict[str, int]] = {
    'sources': {
        'heading_zh': 1000, 'title_zh': 1000, 'title_en': 1000, 'byline_zh': 100, 'author_zh': 100,
        'author_en': 100, 'author_role_zh': 100, 'author_role_en': 1000, 'publication_zh': 1000,
        'publication_en': 1000, 'published_note': 10000, 'position_note': 10000, 'notes': 10000
    },
    'districts': {
        'name_zh': 1000, 'name_en': 1000, 'prefecture_zh': 100, 'prefecture_en': 100, 'province_zh':
        100, 'province_en': 100, 'development_goals_zh': 1000, 'development_goals_en': 1000,
        'goals_quote': 1000, 'notes': 10000
    },
    'initiatives': {
        'quote': 10000, 'quote_prefix': 100, 'quote_suffix': 100, 'name_zh': 1000, 'name_en': 1000,
        'description_zh': 1000, 'description_en': 10000, 'notes': 10000
    },
    'metrics': {
        'quote': 10000, 'quote_prefix': 100, 'quote_suffix': 100, 'subject_zh': 1000, 'subject_en':
        1000, 'value_text': 100, 'period_text': 100, 'notes': 10000
    },
    'annotations': {
        'quote': 10000, 'quote_prefix': 100, 'quote_suffix': 100, 'description_en': 10000,
        'description_zh': 1000, 'suggested_reading': 1000
    },
    'non_metric_numbers': {
        'quote': 10000, 'quote_prefix': 100, 'quote_suffix': 100, 'number_text': 100,
        'explanation_en': 10000, 'related_id': 100
    },
    'consistency_checks': {
        'description_en': 10000
    },
    'glossary': {
        'term_zh': 100, 'term_en': 1000, 'definition_en': 10000, 'usage_note': 10000
    },
}

# table → column → (the vocabulary its codes come from, whether a cell is required)
VOCABULARY_COLUMNS: dict[str, dict[str, tuple[str, bool]]] = {
    'sources': {
        'published_basis': ('published_basis', True), 'status': ('row_statuses', True)
    },
    'districts': {
        'level': ('district_levels', True), 'status': ('row_statuses', True)
    },
    'initiatives': {
        'name_basis': ('name_bases', True), 'kind': ('initiative_kinds', True), 'category':
        ('initiative_categories', True), 'scope': ('scopes', True), 'status': ('row_statuses', True)
    },
    'metrics': {
        'topic': ('metric_topics', True), 'unit': ('units', True), 'qualifier': ('qualifiers',
        True), 'value_type': ('value_types', True), 'status': ('row_statuses', True)
    },
    'annotations': {
        'kind': ('annotation_kinds', True), 'status': ('row_statuses', True)
    },
    'non_metric_numbers': {
        'reason': ('non_metric_reasons', True), 'status': ('row_statuses', True)
    },
    'consistency_checks': {
        'kind': ('consistency_kinds', True), 'outcome': ('consistency_outcomes', True), 'status':
        ('row_statuses', True)
    },
    'glossary': {
        'status': ('row_statuses', True)
    },
}
