"""word index: a row per text version replaces the row-per-word lemma index

Revision ID: 0007
Revises: 0006

``word_index`` holds each text version's lower-case word forms and the words' offsets
in one row, ``word_lemmas`` the lemma of each distinct form (see docs/decisions.md,
"The word index"); imports fill the first. The upgrade builds it for every
transcript's current text (a regular expression, about 0.3 s per million words; no
lemmatizer), so an existing project counts words from it at once; the lemmas of its
forms are found, as after an import, by the first query that needs them. The
row-per-word tables of 0005 are dropped: the new index replaces them.
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

BATCH = 200  # text versions read, indexed and written at a time

_versions = sa.table(
    'text_versions',
    sa.column('id', sa.Integer),
    sa.column('transcript_id', sa.Integer),
    sa.column('version', sa.Integer),
    sa.column('text', sa.Text),
)
_transcripts = sa.table(
    'transcripts',
    sa.column('id', sa.Integer),
    sa.column('version', sa.Integer),
)


def upgrade() -> None:
    op.drop_index('ix_lemmas_lemma_version', table_name='lemmas')
    op.drop_table('lemmas')
    op.drop_table('lemma_indexed')
    index = op.create_table(
        'word_index',
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.Column('words', sa.Text(), nullable=False),
        sa.Column('spans', sa.LargeBinary(), nullable=False),
        sa.Column('lemmatizer', sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ['version_id'], ['text_versions.id'],
            name=op.f('fk_word_index_version_id_text_versions'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('version_id', name=op.f('pk_word_index')),
    )
    op.create_table(
        'word_lemmas',
        sa.Column('lemmatizer', sa.String(length=100), nullable=False),
        sa.Column('language', sa.String(length=20), nullable=False),
        sa.Column('form', sa.String(length=200), nullable=False),
        sa.Column('lemma', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('lemmatizer', 'language', 'form', name=op.f('pk_word_lemmas')),
    )
    assert index is not None
    _build(op.get_bind(), index)


def _build(connection: sa.Connection, index: sa.Table) -> None:
    """Index every transcript's current text, ``BATCH`` versions at a time."""
    from qualcode.domain.word_index import index_text

    current = sa.select(_versions.c.id).join(
        _transcripts,
        (_transcripts.c.id == _versions.c.transcript_id)
        & (_transcripts.c.version == _versions.c.version),
    )
    todo = list(connection.scalars(current.order_by(_versions.c.id)))
    for first in range(0, len(todo), BATCH):
        rows = connection.execute(
            sa.select(_versions.c.id, _versions.c.text).where(
                _versions.c.id.in_(todo[first : first + BATCH])
            )
        )
        indexed = [(version_id, *index_text(text)) for version_id, text in rows]
        connection.execute(
            sa.insert(index),
            [
                {'version_id': version_id, 'words': words, 'spans': spans}
                for version_id, words, spans in indexed
            ],
        )


def downgrade() -> None:
    op.drop_table('word_lemmas')
    op.drop_table('word_index')
    op.create_table(
        'lemma_indexed',
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.Column('lemmatizer', sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ['version_id'], ['text_versions.id'],
            name=op.f('fk_lemma_indexed_version_id_text_versions'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('version_id', name=op.f('pk_lemma_indexed')),
    )
    op.create_table(
        'lemmas',
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.Column('start', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('end', sa.Integer(), nullable=False),
        sa.Column('lemma', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ['version_id'], ['lemma_indexed.version_id'],
            name=op.f('fk_lemmas_version_id_lemma_indexed'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('version_id', 'start', name=op.f('pk_lemmas')),
    )
    op.create_index('ix_lemmas_lemma_version', 'lemmas', ['lemma', 'version_id'], unique=False)
