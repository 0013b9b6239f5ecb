import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { AppConfig, Clock } from '@pruefpfad/application';
import { countByKind } from '@pruefpfad/domain';
import { ORGANISATION_UNITS, type OrganisationUnitDoc } from '@pruefpfad/projections';
import type { DocumentStore } from '@pruefpfad/read-store';
import { DigestOutbox } from '../mail/digest-outbox.js';
import { MailAddressBook } from '../mail/mail-address-book.js';
import { msUntilBerlinHour } from '../retention/retention-scheduler.js';
import { APP_CONFIG, CLOCK, DOCUMENT_STORE } from '../runtime/tokens.js';
import { DeadlineCalendar } from './deadline-calendar.js';

export interface DigestRun {
  readonly date: string;
  /** Recipients with at least one deadline. */
  readonly recipients: number;
  /** Newly queued now (0 for those queued earlier the same day). */
  readonly queued: number;
  readonly mailEnabled: boolean;
}

/**
 * Queues today's digest for every person in the address book who has deadlines: counts per kind only.
 * Daily at `PRUEFPFAD_DIGEST_HOUR` (Europe/Berlin) when a mail server is configured, or on request.
 */
@Injectable()
export class DeadlineDigest implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('DeadlineDigest');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly calendar: DeadlineCalendar,
    private readonly addresses: MailAddressBook,
    private readonly outbox: DigestOutbox,
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async queueFor(tenant: string): Promise<DigestRun> {
    const today = this.calendar.today();
    if (!this.outbox.enabled) return { date: today, recipients: 0, queued: 0, mailEnabled: false };
    const [deadlines, recipients] = await Promise.all([
      this.calendar.all(tenant, today),
      this.addresses.recipients(tenant),
    ]);
    let withDeadlines = 0;
    let queued = 0;
    for (const recipient of recipients) {
      const inbox = this.calendar.inboxOf(recipient.principal, deadlines, today);
      const counts = countByKind(inbox.deadlines);
      if (counts.length === 0) continue;
      withDeadlines += 1;
      const labels = Object.fromEntries(inbox.counts.map((count) => [count.kind, count.label]));
      if (await this.outbox.queue(tenant, recipient.principal.subject, today, counts, labels)) queued += 1;
    }
    return { date: today, recipients: withDeadlines, queued, mailEnabled: true };
  }

  onApplicationBootstrap(): void {
    if (this.outbox.enabled && this.config.mail.digestHour !== null) this.schedule(this.config.mail.digestHour);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(hour: number): void {
    this.timer = setTimeout(
      () => {
        this.running = this.runDaily().finally(() => {
          this.running = null;
          if (this.timer !== null) this.schedule(hour);
        });
      },
      msUntilBerlinHour(this.clock.now(), hour),
    );
    this.timer.unref();
  }

  private async runDaily(): Promise<void> {
    try {
      const units = (await this.documents.find(ORGANISATION_UNITS, { kind: 'team' })) as OrganisationUnitDoc[];
      for (const tenant of new Set(units.map((unit) => unit.tenant))) {
        const run = await this.queueFor(tenant);
        this.log.log({ message: 'Fristen-Übersicht eingereiht / deadline digest queued', ...run });
      }
    } catch (error) {
      // Nothing is lost: the next run derives the deadlines again; queued digests stay in the outbox.
      this.log.error({ message: 'deadline digest failed; next attempt tomorrow', error: String(error) });
    }
  }
}
