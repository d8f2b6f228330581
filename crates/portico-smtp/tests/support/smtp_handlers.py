"""aiosmtpd handlers for Portico's mail tests: a mailbox that refuses its first messages
with a temporary error, and a server that refuses every recipient for good."""

from aiosmtpd.handlers import Mailbox


class FlakyMailbox(Mailbox):
    """Answers 451 to the first `failures` messages, then stores them like Mailbox."""

    def __init__(self, mail_dir, failures="1"):
        super().__init__(mail_dir)
        self.failures = int(failures)

    @classmethod
    def from_cli(cls, parser, *args):
        return cls(*args)

    async def handle_DATA(self, server, session, envelope):
        if self.failures > 0:
            self.failures -= 1
            return "451 4.3.0 Mailbox busy, try again later"
        return await super().handle_DATA(server, session, envelope)


class Refusing:
    """Refuses every recipient: 550, no such user."""

    @classmethod
    def from_cli(cls, parser, *args):
        return cls()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return "550 5.1.1 No such user here"
