import { Module } from '@nestjs/common';
import { DigestOutbox } from './digest-outbox.js';
import { LoginAddresses } from './login-addresses.js';
import { MailAddressBook } from './mail-address-book.js';

/**
 * The e-mail side of deadlines: the address book (organisation file and sign-in claims) and the digest's
 * durable outbox (SMTP, nodemailer).
 */
@Module({
  providers: [MailAddressBook, DigestOutbox, LoginAddresses],
  exports: [MailAddressBook, DigestOutbox],
})
export class MailModule {}
