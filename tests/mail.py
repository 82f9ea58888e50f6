"""A real SMTP server on loopback for tests that send e-mail.

Use the ``smtp_server`` fixture (``from tests.mail import smtp_server  # noqa: F401`` in a
conftest.py makes it available): an ``SmtpServer`` already listening on a free port.
``smtp_server.settings`` gives the ``Settings`` fields that send mail to it,
``smtp_server.messages`` holds every message received (``email.message.EmailMessage``, with
``envelope_to``), and ``await smtp_server.wait_for(count)`` waits until that many arrived.
``stop()`` and ``start()`` take it down and bring it up again on the same port.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import free_port


class SmtpServer:
    """An aiosmtpd server in its own thread that keeps what it receives."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.messages: list[EmailMessage] = []
        self._controller: Controller | None = None
        self._arrived = threading.Condition()

    @property
    def settings(self) -> dict[str, Any]:
        return {"smtp_host": "127.0.0.1", "smtp_port": self.port}

    async def handle_DATA(self, server, session, envelope) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        message.envelope_to = list(envelope.rcpt_tos)  # type: ignore[attr-defined]
        with self._arrived:
            self.messages.append(message)  # type: ignore[arg-type]
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def start(self) -> SmtpServer:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def _wait(self, count: int, within: float) -> list[EmailMessage]:
        with self._arrived:
            self._arrived.wait_for(lambda: len(self.messages) >= count, within)
            return list(self.messages)

    async def wait_for(self, count: int, within: float = 30) -> list[EmailMessage]:
        """The messages, once at least ``count`` have arrived (or ``within`` seconds passed)."""
        return await asyncio.to_thread(self._wait, count, within)


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A started SMTP server on loopback; see the module's docstring."""
    server = SmtpServer().start()
    yield server
    server.stop()
