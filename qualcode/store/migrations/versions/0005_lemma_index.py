"""lemma index

Revision ID: 0005
Revises: 0004

The tables only: an existing project's index is built, like a new one's, the first
time a query needs the lemmas of a text version (see docs/decisions.md, "Speed at
scale"), so opening a project never runs a lemmatizer.
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
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


def downgrade() -> None:
    op.drop_index('ix_lemmas_lemma_version', table_name='lemmas')
    op.drop_table('lemmas')
    op.drop_table('lemma_indexed')
