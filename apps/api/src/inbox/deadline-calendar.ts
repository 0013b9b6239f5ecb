import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { type AppConfig, berlinDate, type Clock } from '@pruefpfad/application';
import { type Deadline, type DeadlineStatus, inboxDeadlines, type KindLabel, type Principal } from '@pruefpfad/domain';
import { APP_CONFIG, CLOCK } from '../runtime/tokens.js';
import { DEADLINE_SOURCE, type DeadlineSource } from './deadline-source.js';

export interface InboxEntry {
  readonly kind: string;
  readonly ref: string;
  readonly dueDate: string;
  readonly status: DeadlineStatus;
  readonly path: string;
  /** The team or area the deadline belongs to (null: the whole Jobcenter, e.g. the legal report). */
  readonly unit: string | null;
}

export interface Inbox {
  readonly today: string;
  readonly horizonDays: number;
  readonly deadlines: readonly InboxEntry[];
  readonly counts: readonly {
    readonly kind: string;
    readonly label: KindLabel;
    readonly due: number;
    readonly overdue: number;
  }[];
}

/** The deadline calendar: every discovered source asked on demand, filtered per person by the policy. */
@Injectable()
export class DeadlineCalendar implements OnModuleInit {
  private sources: DeadlineSource[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const found = this.discovery
      .getProviders()
      .filter(
        (wrapper) =>
          typeof wrapper.metatype === 'function' &&
          Reflect.getMetadata(DEADLINE_SOURCE, wrapper.metatype) === true &&
          wrapper.instance !== undefined &&
          wrapper.instance !== null,
      )
      .map((wrapper) => wrapper.instance as DeadlineSource);
    const kinds = new Set<string>();
    for (const source of found) {
      if (kinds.has(source.kind)) throw new Error(`two deadline sources for the kind ${source.kind}`);
      kinds.add(source.kind);
    }
    this.sources = found.sort((a, b) => a.kind.localeCompare(b.kind));
  }

  today(): string {
    return berlinDate(this.clock.now());
  }

  kinds(): readonly string[] {
    return this.sources.map((source) => source.kind);
  }

  labels(): Record<string, KindLabel> {
    return Object.fromEntries(this.sources.map((source) => [source.kind, source.label]));
  }

  /** Every open deadline of the tenant (all sources, unfiltered). */
  async all(tenant: string, today: string): Promise<Deadline[]> {
    const lists = await Promise.all(this.sources.map((source) => source.collect(tenant, today)));
    return lists.flat();
  }

  /** What one person sees: responsible for, overdue or due within the horizon. */
  inboxOf(principal: Principal, deadlines: readonly Deadline[], today: string): Inbox {
    const shown = inboxDeadlines(deadlines, principal, today, this.config.mail.horizonDays);
    const labels = this.labels();
    const counts = this.sources
      .map((source) => ({
        kind: source.kind,
        label: labels[source.kind]!,
        due: shown.filter((d) => d.kind === source.kind && d.status === 'due').length,
        overdue: shown.filter((d) => d.kind === source.kind && d.status === 'overdue').length,
      }))
      .filter((count) => count.due + count.overdue > 0);
    return {
      today,
      horizonDays: this.config.mail.horizonDays,
      deadlines: shown.map((d) => ({
        kind: d.kind,
        ref: d.ref,
        dueDate: d.dueDate,
        status: d.status,
        path: d.path,
        unit: d.resource.unit ?? null,
      })),
      counts,
    };
  }

  async inbox(principal: Principal): Promise<Inbox> {
    const today = this.today();
    return this.inboxOf(principal, await this.all(principal.tenant, today), today);
  }
}
