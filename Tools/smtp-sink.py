#!/usr/bin/env python3
"""A real SMTP server on loopback for Teamlog's mail tests (aiosmtpd).

Each message received is written to DIR/<n>.eml (the data as received) with DIR/<n>.json beside it
(envelope sender, recipients). Prints "listening PORT" once it accepts connections, then serves until
killed.

  smtp-sink.py --dir DIR [--port N] [--refuse ADDRESS] [--defer ADDRESS] [--delay-data SECONDS]
               [--tls-cert CERT --tls-key KEY]

--refuse answers RCPT TO for ADDRESS with 550 (refused for good); --defer with 451 (try later).
--delay-data waits before answering the end of DATA (the message is written first, so a test can
kill the client while it waits). With --tls-cert/--tls-key the server offers STARTTLS.
"""
import argparse, asyncio, json, os, socket, ssl, sys, time
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, directory, refuse, defer, delay):
        self.directory, self.refuse, self.defer, self.delay = directory, set(refuse), set(defer), delay
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        if address in self.defer:
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.directory, "%04d" % self.count)
        with open(base + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        with open(base + ".json", "w") as f:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos,
                       "tls": session.ssl is not None}, f)
        os.rename(base + ".tmp", base + ".eml")
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--refuse", action="append", default=[])
    parser.add_argument("--defer", action="append", default=[])
    parser.add_argument("--delay-data", type=float, default=0)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    port = args.port or free_port()
    handler = Sink(args.dir, args.refuse, args.defer, args.delay_data)
    kwargs = {}
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        kwargs["tls_context"] = context
        kwargs["require_starttls"] = True
    controller = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    print("listening %d" % port, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        controller.stop()


if __name__ == "__main__":
    main()
