import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AccessLogController } from './access-log.controller.js';
import { AccessLogInterceptor } from './access-log.interceptor.js';
import { AccessLogQueries } from './access-log.queries.js';
import { AccessLog } from './access-log.service.js';

/**
 * The access log (Zugriffsprotokoll) of reads of decrypted personal data. Global: every feature's query
 * code notes what it opens through `AccessLog`; the interceptor records it once per request.
 */
@Global()
@Module({
  controllers: [AccessLogController],
  providers: [AccessLog, AccessLogQueries, { provide: APP_INTERCEPTOR, useClass: AccessLogInterceptor }],
  exports: [AccessLog],
})
export class AccessLogModule {}
