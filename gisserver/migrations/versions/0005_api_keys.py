"""API keys (only a SHA-256 hash of each secret is stored) and the security log (failed and
refused authentications).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

ROLES = "('viewer', 'operator', 'logistics', 'analyst', 'admin')"


def upgrade() -> None:
    op.execute(
        f"""
        CREATE TABLE api_keys (
            id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            name text NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9_.@-]{{0,63}}$'),
            role text NOT NULL CHECK (role IN {ROLES}),
            secret_sha256 bytea NOT NULL UNIQUE CHECK (length(secret_sha256) = 32),
            created_at timestamptz NOT NULL DEFAULT now(),
            expires_at timestamptz,
            revoked_at timestamptz,
            last_used_at timestamptz
        );
        COMMENT ON TABLE api_keys IS
            'API keys: a name, a role, the SHA-256 of the secret (never the secret itself)';
        CREATE TABLE security_events (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at timestamptz NOT NULL DEFAULT now(),
            event text NOT NULL CHECK (event IN ('unauthenticated', 'forbidden', 'rate_limited')),
            key_name text,
            client_address inet,
            method text NOT NULL,
            path text NOT NULL,
            detail text NOT NULL
        );
        CREATE INDEX security_events_at_idx ON security_events (at);
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE security_events; DROP TABLE api_keys;")
