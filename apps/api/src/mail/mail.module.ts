import { Module } from '@nestjs/common';
import { DigestOutbox } from './digest-outbox.js';
import { MailAddressBook } from './mail-address-book.js';

/** The e-mail side of deadlines: the address book and the digest's durable outbox (SMTP, nodemailer). */
@Module({
  providers: [MailAddressBook, DigestOutbox],
  exports: [MailAddressBook, DigestOutbox],
})
export class MailModule {}
