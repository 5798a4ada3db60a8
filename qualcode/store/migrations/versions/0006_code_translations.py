"""code translations: definitions, include/exclude rules and examples per language

Revision ID: 0006
Revises: 0005

Existing codes get an empty mapping: their texts stay language-neutral, as they were
(an export in any language uses them unmarked) until a codebook gives them per
language.
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN: a batch operation would rebuild the table on SQLite and drop
    # the AUTOINCREMENT that migration 0003 gave it
    op.add_column(
        'codes',
        sa.Column('translations', sa.JSON(), nullable=False, server_default=sa.text("'{}'")),
    )


def downgrade() -> None:
    with op.batch_alter_table(
        'codes', schema=None, table_kwargs={'sqlite_autoincrement': True}
    ) as batch_op:
        batch_op.drop_column('translations')
