import { Module } from '@nestjs/common';

/** The access log (Zugriffsprotokoll) of reads of decrypted personal data. */
@Module({})
export class AccessLogModule {}
