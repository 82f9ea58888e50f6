"""`accord audit verify` as a process: intact logs pass, every kind of tampering is named."""

from __future__ import annotations

import re
import subprocess
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import JSON, bindparam, select, text

from accord.clock import utcnow
from accord.config import Settings
from accord.db import Database
from accord.events.chain import chain_digest, payload_digest
from accord.events.keys import public_hex
from accord.events.runtime import seal_and_announce
from accord.events.sealer import checkpoint_message
from accord.events.service import record_event, secretariat_only
from accord.models import Checkpoint, Event
from tests.conftest import run_cli
from tests.factories import PASSWORD, add_user


@dataclass
class Log:
    """A database whose event log holds sealed events, and how to run the CLI against it."""

    db: Database
    settings: Settings
    last: int

    @property
    def env(self) -> dict[str, str]:
        return {
            "ACCORD_DATABASE_URL": self.settings.database_url,
            "ACCORD_DATA_DIR": str(self.settings.data_dir),
        }

    def verify(self) -> subprocess.CompletedProcess[str]:
        return run_cli("audit", "verify", env=self.env)

    async def tamper(self, statement: str, **params: object) -> None:
        async with self.db.transaction() as session:
            await session.execute(text(statement), params)

    async def event(self, seq: int) -> Event:
        async with self.db.sessions() as session:
            return (await session.execute(select(Event).where(Event.seq == seq))).scalar_one()


@pytest.fixture
async def log(db: Database, settings: Settings) -> AsyncIterator[Log]:
    """A log with users added through the service, each change sealed on its own."""
    for number in range(5):
        await add_user(db, username=f"analyst-{number}")
        await seal_and_announce(db, settings)
    async with db.sessions() as session:
        last = (await session.execute(select(Event.seq).order_by(Event.seq.desc()))).scalar()
    yield Log(db, settings, last)


def assert_broken_at(result: subprocess.CompletedProcess[str], pattern: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "intact" not in result.stdout
    assert re.search(pattern, result.stderr), result.stderr


async def test_an_untouched_log_is_reported_intact(log):
    added = run_cli(
        "user",
        "add",
        "kaz.duty",
        "--state",
        "KAZ",
        "--role",
        "duty_officer",
        "--clearance",
        "CONFIDENTIAL",
        "--password-stdin",
        env=log.env,
        input=PASSWORD + "\n",
    )
    assert added.returncode == 0, added.stderr

    result = log.verify()

    assert result.returncode == 0, result.stderr
    assert f"intact: {log.last + 1} events sealed" in result.stdout
    assert f"signed checkpoint at event {log.last + 1} matches" in result.stdout
    assert "0 not yet sealed" in result.stdout


async def test_events_not_yet_sealed_are_counted_but_do_not_break_the_log(log):
    async with log.db.transaction() as session:
        record_event(
            session,
            actor="test",
            kind="test.pending",
            subject="x",
            payload={},
            **secretariat_only(),
        )

    result = log.verify()

    assert result.returncode == 0, result.stderr
    assert "1 not yet sealed" in result.stdout


async def test_an_altered_payload_names_the_event(log):
    middle = log.last - 2
    statement = text("UPDATE events SET payload = :payload WHERE seq = :seq").bindparams(
        bindparam("payload", type_=JSON)
    )
    async with log.db.transaction() as session:
        await session.execute(statement, {"payload": {"username": "mallory"}, "seq": middle})

    assert_broken_at(log.verify(), rf"event {middle} \(id .*\) was altered: its payload")


async def test_an_altered_field_names_the_event(log):
    middle = log.last - 1
    await log.tamper("UPDATE events SET actor = 'mallory' WHERE seq = :seq", seq=middle)

    assert_broken_at(log.verify(), rf"event {middle} \(id .*\) was altered: its fields")


async def test_an_altered_classification_names_the_event(log):
    middle = log.last - 3
    await log.tamper("UPDATE events SET classification = 0 WHERE seq = :seq", seq=middle)

    assert_broken_at(log.verify(), rf"event {middle} \(id .*\) was altered")


async def test_an_event_deleted_from_the_middle_is_named_as_missing(log):
    middle = log.last - 2
    await log.tamper("DELETE FROM events WHERE seq = :seq", seq=middle)

    assert_broken_at(log.verify(), rf"event {middle} is missing")


async def test_two_events_swapped_are_named_at_the_first_out_of_place(log):
    first, second = log.last - 3, log.last - 2
    await log.tamper("UPDATE events SET seq = -1 WHERE seq = :seq", seq=first)
    await log.tamper(
        "UPDATE events SET seq = :first WHERE seq = :second", first=first, second=second
    )
    await log.tamper("UPDATE events SET seq = :second WHERE seq = -1", second=second)

    assert_broken_at(log.verify(), rf"event {first} \(id .*\) does not follow event {first - 1}")


async def forge_event(log: Log, seq: int, prev_hash: str) -> Event:
    """A sealed event at ``seq`` whose hashes are computed as the sealer would."""
    existing = await log.event(log.last)
    payload = {"username": "ghost"}
    forged = Event(
        id=uuid.uuid4(),
        sealed=True,
        seq=seq,
        at=existing.at,
        actor="mallory",
        state=existing.state,
        kind=existing.kind,
        subject=str(uuid.uuid4()),
        classification=existing.classification,
        releasable_to=existing.releasable_to,
        payload=payload,
        payload_hash=payload_digest(payload),
        prev_hash=prev_hash,
    )
    forged.hash = chain_digest(forged, seq, prev_hash)
    return forged


async def make_room_at(log: Log, seq: int) -> None:
    """Renumber the events from ``seq`` on one up (through negatives: seq is unique)."""
    await log.tamper("UPDATE events SET seq = -seq - 1 WHERE seq >= :seq", seq=seq)
    await log.tamper("UPDATE events SET seq = -seq WHERE seq < 0")


async def test_an_event_inserted_with_a_forged_hash_is_named(log):
    middle = log.last - 1
    await make_room_at(log, middle)
    forged = await forge_event(log, middle, prev_hash=(await log.event(middle - 1)).hash)
    forged.hash = "f" * 64
    async with log.db.transaction() as session:
        session.add(forged)

    assert_broken_at(log.verify(), rf"event {middle} \(id {forged.id}\) was altered")


async def test_an_event_inserted_with_a_well_computed_hash_breaks_the_next_link(log):
    middle = log.last - 1
    await make_room_at(log, middle)
    forged = await forge_event(log, middle, prev_hash=(await log.event(middle - 1)).hash)
    async with log.db.transaction() as session:
        session.add(forged)

    assert_broken_at(log.verify(), rf"event {middle + 1} \(id .*\) does not follow event {middle}")


async def test_an_inserted_event_with_the_chain_rehashed_after_it_fails_the_checkpoint(log):
    middle = log.last - 1
    await make_room_at(log, middle)
    forged = await forge_event(log, middle, prev_hash=(await log.event(middle - 1)).hash)
    async with log.db.transaction() as session:
        session.add(forged)
        following = (await session.execute(select(Event).where(Event.seq > middle))).scalars()
        prev_hash = forged.hash
        for event in sorted(following, key=lambda event: event.seq):
            event.prev_hash = prev_hash
            event.hash = prev_hash = chain_digest(event, event.seq, prev_hash)

    assert_broken_at(
        log.verify(), rf"event {log.last} was altered: it does not match the signed checkpoint"
    )


async def test_an_event_appended_after_the_last_checkpoint_is_named(log):
    forged = await forge_event(log, log.last + 1, prev_hash=(await log.event(log.last)).hash)
    async with log.db.transaction() as session:
        session.add(forged)

    assert_broken_at(log.verify(), rf"event {log.last + 1}\b.*checkpoint")


async def test_a_truncated_tail_is_detected_by_the_signed_checkpoint(log):
    await log.tamper("DELETE FROM events WHERE seq > :seq", seq=log.last - 2)

    assert_broken_at(
        log.verify(),
        rf"events after {log.last - 2} were removed: the signed checkpoint counts {log.last}",
    )


async def test_a_forged_checkpoint_signature_is_named(log):
    forged = Ed25519PrivateKey.generate().sign(b"something else").hex()
    await log.tamper(
        "UPDATE checkpoints SET signature = :signature WHERE seq = :seq",
        signature=forged,
        seq=log.last,
    )

    assert_broken_at(log.verify(), rf"the checkpoint at event {log.last} has a bad signature")


async def test_a_checkpoint_signed_with_another_key_is_refused_when_the_key_file_is_here(log):
    kept = log.last - 2
    await log.tamper("DELETE FROM events WHERE seq > :seq", seq=kept)
    await log.tamper("DELETE FROM checkpoints WHERE seq > :seq", seq=kept)
    head = await log.event(kept)
    intruder = Ed25519PrivateKey.generate()
    async with log.db.transaction() as session:
        session.add(
            Checkpoint(
                at=utcnow(),
                seq=kept,
                head_hash=head.hash,
                public_key=public_hex(intruder),
                signature=intruder.sign(checkpoint_message(kept, head.hash)).hex(),
            )
        )

    assert_broken_at(log.verify(), rf"the checkpoint at event {kept} has a bad signature")


async def test_removing_every_checkpoint_leaves_the_events_uncovered(log):
    await log.tamper("DELETE FROM checkpoints")

    assert_broken_at(log.verify(), r"event 1 was not sealed by the sealer")


async def test_without_the_key_file_the_recorded_key_is_used_and_the_report_says_so(log):
    log.settings.checkpoint_key_path.unlink()

    result = log.verify()

    assert result.returncode == 0, result.stderr
    assert "note: no checkpoint key file here" in result.stdout
    assert f"intact: {log.last} events sealed" in result.stdout
