import { Module, type Type } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants.js';
import { ChainSealingService } from './chain-sealing.service.js';
import { ChainVerificationController } from './chain-verification.controller.js';

/** Tamper evidence: the chain verification endpoint and the chain-head sealer. */
@Module({
  controllers: [ChainVerificationController],
  providers: [ChainSealingService],
  exports: [ChainSealingService],
})
export class ChainVerificationModule {}

/**
 * Adds this module to the audit module's imports, whatever that module declares itself: the audit
 * context's two owners each keep their registration in a separate statement of `audit.module.ts`.
 */
export function registerChainVerification(auditModule: Type): void {
  const imports = (Reflect.getMetadata(MODULE_METADATA.IMPORTS, auditModule) as unknown[] | undefined) ?? [];
  if (!imports.includes(ChainVerificationModule))
    Reflect.defineMetadata(MODULE_METADATA.IMPORTS, [...imports, ChainVerificationModule], auditModule);
}
