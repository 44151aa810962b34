"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('lms_courses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('audience', sa.String(length=200), nullable=False),
    sa.Column('pass_mark', sa.Integer(), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_courses')),
    sa.UniqueConstraint('slug', name=op.f('uq_lms_courses_slug'))
    )
    op.create_table('lms_org_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('committee', 'general_branch', 'branch', 'group', name='org_unit_kind', native_enum=False, length=20), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('path', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['lms_org_units.id'], name=op.f('fk_lms_org_units_parent_id_lms_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_org_units')),
    sa.UniqueConstraint('path', name=op.f('uq_lms_org_units_path'))
    )
    with op.batch_alter_table('lms_org_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lms_org_units_parent_id'), ['parent_id'], unique=False)

    op.create_table('lms_modules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('pass_mark', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['lms_courses.id'], name=op.f('fk_lms_modules_course_id_lms_courses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_modules')),
    sa.UniqueConstraint('course_id', 'position', name=op.f('uq_lms_modules_course_id_position')),
    sa.UniqueConstraint('course_id', 'slug', name=op.f('uq_lms_modules_course_id_slug'))
    )
    op.create_table('lms_users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('display_name', sa.String(length=100), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('role', sa.Enum('trainee', 'trainer', 'admin', name='user_role', native_enum=False, length=20), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('external_id', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_unit_id'], ['lms_org_units.id'], name=op.f('fk_lms_users_org_unit_id_lms_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_users')),
    sa.UniqueConstraint('external_id', name=op.f('uq_lms_users_external_id')),
    sa.UniqueConstraint('username', name=op.f('uq_lms_users_username'))
    )
    with op.batch_alter_table('lms_users', schema=None) as batch_op:
        batch_op.create_index('ix_lms_users_org_unit_role', ['org_unit_id', 'role'], unique=False)

    op.create_table('lms_enrollments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('enrolled_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['lms_courses.id'], name=op.f('fk_lms_enrollments_course_id_lms_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['lms_users.id'], name=op.f('fk_lms_enrollments_user_id_lms_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_enrollments')),
    sa.UniqueConstraint('user_id', 'course_id', name=op.f('uq_lms_enrollments_user_id_course_id'))
    )
    with op.batch_alter_table('lms_enrollments', schema=None) as batch_op:
        batch_op.create_index('ix_lms_enrollments_course_completed', ['course_id', 'completed_at'], unique=False)

    op.create_table('lms_module_progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('not_started', 'in_progress', 'completed', name='progress_status', native_enum=False, length=20), nullable=False),
    sa.Column('first_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('seconds_active', sa.Integer(), nullable=False),
    sa.Column('best_score', sa.Float(), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['module_id'], ['lms_modules.id'], name=op.f('fk_lms_module_progress_module_id_lms_modules'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['lms_users.id'], name=op.f('fk_lms_module_progress_user_id_lms_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_module_progress')),
    sa.UniqueConstraint('user_id', 'module_id', name=op.f('uq_lms_module_progress_user_id_module_id'))
    )
    with op.batch_alter_table('lms_module_progress', schema=None) as batch_op:
        batch_op.create_index('ix_lms_module_progress_module_status', ['module_id', 'status'], unique=False)

    op.create_table('lms_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=50), nullable=False),
    sa.Column('prompt', sa.Text(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=True),
    sa.Column('answer_key', sa.JSON(), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['module_id'], ['lms_modules.id'], name=op.f('fk_lms_questions_module_id_lms_modules'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_questions')),
    sa.UniqueConstraint('module_id', 'position', name=op.f('uq_lms_questions_module_id_position'))
    )
    op.create_table('lms_quiz_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('client_token', sa.String(length=64), nullable=False),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('results', sa.JSON(), nullable=False),
    sa.Column('earned', sa.Float(), nullable=False),
    sa.Column('possible', sa.Float(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('pass_mark', sa.Integer(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['module_id'], ['lms_modules.id'], name=op.f('fk_lms_quiz_attempts_module_id_lms_modules'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['lms_users.id'], name=op.f('fk_lms_quiz_attempts_user_id_lms_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_quiz_attempts')),
    sa.UniqueConstraint('client_token', name=op.f('uq_lms_quiz_attempts_client_token')),
    sa.UniqueConstraint('user_id', 'module_id', 'number', name=op.f('uq_lms_quiz_attempts_user_id_module_id_number'))
    )
    with op.batch_alter_table('lms_quiz_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_lms_quiz_attempts_module_submitted', ['module_id', 'submitted_at'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('lms_quiz_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_lms_quiz_attempts_module_submitted')

    op.drop_table('lms_quiz_attempts')
    op.drop_table('lms_questions')
    with op.batch_alter_table('lms_module_progress', schema=None) as batch_op:
        batch_op.drop_index('ix_lms_module_progress_module_status')

    op.drop_table('lms_module_progress')
    with op.batch_alter_table('lms_enrollments', schema=None) as batch_op:
        batch_op.drop_index('ix_lms_enrollments_course_completed')

    op.drop_table('lms_enrollments')
    with op.batch_alter_table('lms_users', schema=None) as batch_op:
        batch_op.drop_index('ix_lms_users_org_unit_role')

    op.drop_table('lms_users')
    op.drop_table('lms_modules')
    with op.batch_alter_table('lms_org_units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lms_org_units_parent_id'))

    op.drop_table('lms_org_units')
    op.drop_table('lms_courses')

