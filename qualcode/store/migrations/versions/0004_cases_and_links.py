"""cases and links: transcripts in several cases, speakers in a case, reference values

Revision ID: 0004
Revises: 0003

"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('transcript_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('transcript_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_transcript_cases_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['transcript_id'], ['transcripts.id'], name=op.f('fk_transcript_cases_transcript_id_transcripts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transcript_cases')),
    sa.UniqueConstraint('transcript_id', 'case_id', name=op.f('uq_transcript_cases_transcript_id_case_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_transcript_cases_uuid'))
    )
    with op.batch_alter_table('transcript_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transcript_cases_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_transcript_cases_transcript_id'), ['transcript_id'], unique=False)

    op.create_table('speaker_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('speaker_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_speaker_cases_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['speaker_id'], ['speakers.id'], name=op.f('fk_speaker_cases_speaker_id_speakers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_speaker_cases')),
    sa.UniqueConstraint('speaker_id', name=op.f('uq_speaker_cases_speaker_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_speaker_cases_uuid'))
    )
    with op.batch_alter_table('speaker_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_speaker_cases_case_id'), ['case_id'], unique=False)

    op.create_table('reference_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('attribute', sa.String(length=200), nullable=False),
    sa.Column('group_value', sa.String(length=200), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reference_values')),
    sa.UniqueConstraint('name', 'group_value', 'year', name=op.f('uq_reference_values_name_group_value_year')),
    sa.UniqueConstraint('uuid', name=op.f('uq_reference_values_uuid'))
    )
    with op.batch_alter_table('reference_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reference_values_name'), ['name'], unique=False)

    # every transcript's single case becomes its first link; the old column is left
    # NULL (see TranscriptRow.case_id for why it is not dropped)
    transcripts = sa.table('transcripts', sa.column('id', sa.Integer), sa.column('case_id', sa.Integer))
    links = sa.table(
        'transcript_cases',
        sa.column('transcript_id', sa.Integer),
        sa.column('case_id', sa.Integer),
        sa.column('uuid', sa.String),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(transcripts.c.id, transcripts.c.case_id).where(transcripts.c.case_id.is_not(None))
    ).all()
    if rows:
        from qualcode.store.schema import new_uuid

        connection.execute(
            links.insert(),
            [{'transcript_id': tid, 'case_id': cid, 'uuid': new_uuid()} for tid, cid in rows],
        )
        connection.execute(transcripts.update().values(case_id=None))


def downgrade() -> None:
    transcripts = sa.table('transcripts', sa.column('id', sa.Integer), sa.column('case_id', sa.Integer))
    links = sa.table('transcript_cases', sa.column('transcript_id', sa.Integer), sa.column('case_id', sa.Integer))
    connection = op.get_bind()
    # a transcript keeps one of its cases (the first linked) in the single-case column
    first = (
        sa.select(sa.func.min(links.c.case_id))
        .where(links.c.transcript_id == transcripts.c.id)
        .scalar_subquery()
    )
    connection.execute(transcripts.update().values(case_id=first))
    with op.batch_alter_table('reference_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reference_values_name'))
    op.drop_table('reference_values')
    with op.batch_alter_table('speaker_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_speaker_cases_case_id'))
    op.drop_table('speaker_cases')
    with op.batch_alter_table('transcript_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transcript_cases_transcript_id'))
        batch_op.drop_index(batch_op.f('ix_transcript_cases_case_id'))
    op.drop_table('transcript_cases')
