import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { type ChainHeadsSealedData, ChainSealer } from '@pruefpfad/composition';
import type { Runtime } from '../runtime/runtime.js';
import { RUNTIME } from '../runtime/tokens.js';

/**
 * Seals chain heads where the reactors run: in embedded mode this process (at start, every interval,
 * once more at shutdown so the tail written since the last seal is covered). In server mode the
 * projector owns it, so this service stays idle there.
 */
@Injectable()
export class ChainSealingService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ChainSealing');
  private readonly sealer: ChainSealer | null;

  constructor(@Inject(RUNTIME) runtime: Runtime) {
    this.sealer =
      runtime.config.stores.kind === 'embedded'
        ? new ChainSealer({
            eventStore: runtime.infrastructure.eventStore,
            clock: runtime.clock,
            ids: runtime.ids,
            rulesVersion: runtime.config.rulesVersion,
            // The seal hash in the log is a copy outside the store: cutting off the newest seals shows there.
            onSealed: (seal, position) =>
              this.logger.log({
                message: 'chain heads sealed',
                sealNumber: seal.sealNumber,
                streams: seal.heads.length,
                throughPosition: seal.throughPosition,
                sealHash: seal.sealHash,
                position,
              }),
            onError: (error) => this.logger.error({ message: 'chain sealing failed', error: String(error) }),
          })
        : null;
  }

  onApplicationBootstrap(): void {
    this.sealer?.start();
  }

  /** Before the stores close (`RuntimeLifecycle` closes them in `onApplicationShutdown`). */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.sealer === null) return;
    await this.sealer.stop();
    await this.sealer.sealNow().catch((error: unknown) => {
      this.logger.error({ message: 'final chain seal failed', error: String(error) });
    });
  }

  /** On demand (tests, operators): seals what changed since the last seal. */
  sealNow(): Promise<readonly ChainHeadsSealedData[]> {
    if (this.sealer === null) return Promise.resolve([]);
    return this.sealer.sealNow();
  }
}
