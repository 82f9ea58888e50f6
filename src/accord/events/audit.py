"""Verifying the event log: the chain, each payload, redactions and the latest checkpoint."""

from __future__ import annotations

from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import func, select

from accord.db import Database
from accord.events.chain import GENESIS, chain_digest, is_redacted, payload_digest
from accord.events.repository import count_unsealed
from accord.events.sealer import checkpoint_message
from accord.models import Checkpoint, Event

BATCH = 5000


@dataclass
class AuditReport:
    """What the verification found; ``problem`` is None when the log is intact."""

    sealed: int = 0
    unsealed: int = 0
    checkpoint_seq: int | None = None
    problem: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return self.problem is None


def _check_event(event: Event, expected_seq: int, prev_hash: str) -> str | None:
    if event.seq != expected_seq:
        if event.seq > expected_seq:
            return (
                f"event {expected_seq} is missing (removed): the chain jumps from "
                f"{expected_seq - 1} to {event.seq}"
            )
        return f"event {event.seq} appears twice"
    if event.prev_hash != prev_hash:
        return (
            f"event {event.seq} (id {event.id}) does not follow event {event.seq - 1}: "
            "an event was inserted, removed or reordered"
        )
    if not is_redacted(event.payload) and payload_digest(event.payload) != event.payload_hash:
        return f"event {event.seq} (id {event.id}) was altered: its payload does not match its hash"
    if chain_digest(event, event.seq, prev_hash) != event.hash:
        return f"event {event.seq} (id {event.id}) was altered: its fields do not match its hash"
    return None


async def verify_log(db: Database, trusted_public_key: Ed25519PublicKey | None) -> AuditReport:
    """Walk the sealed chain from the start and check it against the latest checkpoint."""
    report = AuditReport()
    redacted: dict[str, int] = {}
    redactions: set[str] = set()
    heads: dict[int, str] = {}
    prev_hash, expected = GENESIS, 1
    async with db.sessions() as session:
        checkpoint = (
            await session.execute(
                select(Checkpoint).order_by(Checkpoint.seq.desc(), Checkpoint.at.desc()).limit(1)
            )
        ).scalar_one_or_none()
        last_seq = 0
        while report.problem is None:
            events = (
                (
                    await session.execute(
                        select(Event)
                        .where(Event.sealed, Event.seq > last_seq)
                        .order_by(Event.seq)
                        .limit(BATCH)
                    )
                )
                .scalars()
                .all()
            )
            if not events:
                break
            for event in events:
                report.problem = _check_event(event, expected, prev_hash)
                if report.problem:
                    break
                if is_redacted(event.payload):
                    redacted[str(event.id)] = event.seq
                if event.kind == "event.redacted":
                    redactions.add(str(event.payload.get("id")))
                if checkpoint is not None and event.seq == checkpoint.seq:
                    heads[event.seq] = event.hash or ""
                prev_hash, expected = event.hash or "", expected + 1
                report.sealed += 1
            last_seq = events[-1].seq or last_seq
            session.expunge_all()
        report.unsealed = await count_unsealed(session)
        # A redaction commits its event unsealed; until the sealer runs, that event vouches for it.
        pending_redactions = await session.execute(
            select(Event.payload).where(Event.sealed.is_(False), Event.kind == "event.redacted")
        )
        redactions.update(str(payload.get("id")) for payload in pending_redactions.scalars())
        # Read after the walk: the sealer commits events with their checkpoint, so whatever it
        # sealed is covered by now; a sealed event beyond every checkpoint was put there by hand.
        covered = (await session.execute(select(func.max(Checkpoint.seq)))).scalar() or 0
    if report.problem is None:
        unlogged = sorted(seq for event_id, seq in redacted.items() if event_id not in redactions)
        if unlogged:
            report.problem = (
                f"event {unlogged[0]} was altered: its payload is marked redacted "
                "but no redaction event records it"
            )
    if report.problem is None and checkpoint is not None:
        report.checkpoint_seq = checkpoint.seq
        report.problem = _check_checkpoint(
            checkpoint, report.sealed, heads, trusted_public_key, report
        )
    if report.problem is None and report.sealed > covered:
        report.problem = (
            f"event {covered + 1} was not sealed by the sealer: no signed checkpoint covers it"
        )
    return report


def _check_checkpoint(
    checkpoint: Checkpoint,
    sealed: int,
    heads: dict[int, str],
    trusted: Ed25519PublicKey | None,
    report: AuditReport,
) -> str | None:
    key = trusted or Ed25519PublicKey.from_public_bytes(bytes.fromhex(checkpoint.public_key))
    if trusted is None:
        report.notes.append(
            "no checkpoint key file here: signatures checked against the key recorded beside them"
        )
    try:
        key.verify(
            bytes.fromhex(checkpoint.signature),
            checkpoint_message(checkpoint.seq, checkpoint.head_hash),
        )
    except (InvalidSignature, ValueError):
        return f"the checkpoint at event {checkpoint.seq} has a bad signature"
    if checkpoint.seq > sealed:
        return (
            f"events after {sealed} were removed: the signed checkpoint counts "
            f"{checkpoint.seq} events"
        )
    if heads.get(checkpoint.seq) != checkpoint.head_hash:
        return f"event {checkpoint.seq} was altered: it does not match the signed checkpoint"
    return None
