import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { AppConfig, Clock } from '@pruefpfad/application';
import { APP_CONFIG, CLOCK } from '../runtime/tokens.js';
import { RetentionService } from './retention.service.js';

const HOUR_MS = 60 * 60 * 1000;

/** Milliseconds from `now` to the next full hour `hour` in Europe/Berlin (DST-safe: checked hour by hour). */
export function msUntilBerlinHour(now: Date, hour: number): number {
  const format = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', hourCycle: 'h23' });
  const nextFullHour = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS;
  for (let candidate = nextFullHour; candidate <= nextFullHour + 48 * HOUR_MS; candidate += HOUR_MS) {
    if (Number(format.format(new Date(candidate))) === hour) return candidate - now.getTime();
  }
  return 24 * HOUR_MS;
}

/**
 * The daily retention purge (000:92): at `PRUEFPFAD_PURGE_HOUR` Berlin time, every day, it starts the
 * purges that are due; the purge reactor carries them out. Off with `PRUEFPFAD_DAILY_PURGE=off` (then
 * operators run `npm run cli -- purge`). A failed run is logged and tried again the next day; nothing is
 * lost, because the next run plans from the read models again.
 */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('RetentionPurge');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly retention: RetentionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.retention.dailyPurge) this.schedule();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(): void {
    const delay = msUntilBerlinHour(this.clock.now(), this.config.retention.purgeHour);
    this.timer = setTimeout(() => {
      this.running = this.runOnce().finally(() => {
        this.running = null;
        if (this.timer !== null) this.schedule();
      });
    }, delay);
    this.timer.unref();
  }

  private async runOnce(): Promise<void> {
    try {
      const run = await this.retention.run({ dryRun: false, trigger: 'daily-job' });
      this.log.log({
        message: 'Aufbewahrungsfristen geprüft / retention purge started',
        today: run.today,
        started: run.started,
        kept: run.kept.length,
        legalHolds: run.kept.filter((entry) => !entry.verdict.due && entry.verdict.reason === 'legal-hold').length,
      });
    } catch (error) {
      this.log.error({ message: 'retention purge failed; next attempt tomorrow', error: String(error) });
    }
  }
}
