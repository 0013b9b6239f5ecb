import { createHash } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  Optional,
} from '@nestjs/common';
import type { AppConfig, Clock, IdGenerator } from '@pruefpfad/application';
import {
  type DeadlineCount,
  DIGEST_EVENT_SCHEMAS,
  type DigestEvent,
  type DigestQueued,
  type DigestSent,
  digestStreamId,
  type KindLabel,
  renderDigest,
} from '@pruefpfad/domain';
import { type EventStore, type RecordedEvent, WrongExpectedRevisionError } from '@pruefpfad/event-store';
import {
  appendOnce,
  DocumentLease,
  LeasedWork,
  leaseOwner,
  type ReactorDefinition,
  ReactorRunner,
} from '@pruefpfad/projections';
import type { CheckpointStore, DocumentStore } from '@pruefpfad/read-store';
import nodemailer, { type Transporter } from 'nodemailer';
import { APP_CONFIG, CHECKPOINT_STORE, CLOCK, DOCUMENT_STORE, EVENT_STORE, ID_GENERATOR } from '../runtime/tokens.js';
import { MailAddressBook } from './mail-address-book.js';

/** The digest's actor: no person, the reminder rule itself. */
const DIGEST_ACTOR = { userId: 'system:deadline-digest', role: 'system' } as const;
const MAX_RETRY_MS = 10 * 60 * 1000;
/** The web application's inbox route (German routes); the digest's only link. */
export const INBOX_ROUTE = '/posteingang';
/** Lease key of the digest sender in server mode: one API replica sends at a time. */
export const DIGEST_SENDER_LEASE = 'api:deadline-digest-mail';

/** Token of optional `DigestOutboxOptions` (not provided in the service: the defaults apply). */
export const DIGEST_OUTBOX_OPTIONS = Symbol('DigestOutboxOptions');

/** Options a test may set (two outboxes in one process standing for two replicas). */
export interface DigestOutboxOptions {
  /** Guard the sender with a lease; default: in server mode only (embedded mode has one process). */
  readonly leased?: boolean;
  /** Lease lifetime without renewal (default 30 s; renewed and tried every third of it). */
  readonly leaseTtlMs?: number;
}

/** One digest per person and day: the id is derived, so queuing it again (a restart, "send now" twice) is a no-op. */
export function digestIdOf(tenant: string, subject: string, date: string): string {
  return createHash('sha256')
    .update(`pruefpfad/digest/v1\u0000${tenant}\u0000${subject}\u0000${date}`)
    .digest('hex')
    .slice(0, 32);
}

/**
 * The durable outbox of the e-mail digest. Queuing appends `DigestQueued` to `digest-<id>` (no stream yet:
 * at most one per id). A reactor (`libs/projections/src/reactor.ts`, checkpointed, at least once) sends
 * each queued digest and records `DigestSent`; a redelivery finds it and sends nothing. A refused or
 * unreachable mail server makes the handler throw: the reactor retries the same digest with backoff
 * (without limit: mail is delayed, never dropped) and, after a restart, resumes from its checkpoint.
 * The one window left: the server accepted the mail and the process died before `DigestSent` was stored;
 * then it is sent again with the same Message-ID, which receiving servers may use to drop the duplicate.
 *
 * Server mode runs several API replicas, each with this outbox: the sender runs under a lease
 * (`DIGEST_SENDER_LEASE`, `LeasedWork` as the projector's reactors), so one replica sends and another takes
 * over when it stops renewing. Queuing needs no lease (the derived digest id makes it idempotent).
 */
@Injectable()
export class DigestOutbox implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('DigestOutbox');
  private runner: ReactorRunner | null = null;
  private leased: LeasedWork | null = null;
  private transport: Transporter | null = null;
  private readonly options: DigestOutboxOptions;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(CHECKPOINT_STORE) private readonly checkpoints: CheckpointStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    private readonly addresses: MailAddressBook,
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Optional() @Inject(DIGEST_OUTBOX_OPTIONS) options?: DigestOutboxOptions,
  ) {
    this.options = options ?? {};
  }

  get enabled(): boolean {
    return this.config.mail.smtp !== null;
  }

  /** Whether this process sends digests now (in server mode: holds the sender's lease). */
  get sending(): boolean {
    return this.runner !== null;
  }

  onApplicationBootstrap(): void {
    const smtp = this.config.mail.smtp;
    if (smtp === null) return;
    this.transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.security === 'tls',
      requireTLS: smtp.security === 'starttls',
      ignoreTLS: smtp.security === 'none',
      auth: smtp.user === undefined ? undefined : { user: smtp.user, pass: smtp.password ?? '' },
    });
    if (this.options.leased ?? this.config.stores.kind === 'server') {
      this.leased = new LeasedWork({
        lease: new DocumentLease({
          documentStore: this.documents,
          key: DIGEST_SENDER_LEASE,
          owner: leaseOwner('api-digest-mail'),
          ...(this.options.leaseTtlMs === undefined ? {} : { ttlMs: this.options.leaseTtlMs }),
        }),
        start: () => {
          this.startSender();
          // After a lost lease another replica sends; the reactor stops between events (at least once).
          return { stop: () => this.stopSender() };
        },
        onChange: ({ holding, reason }) => {
          this.log.log({ message: holding ? 'digest sender started' : 'digest sender stopped', reason });
        },
      });
      this.leased.start();
    } else {
      this.startSender();
    }
  }

  private startSender(): void {
    this.runner = new ReactorRunner({
      reactor: this.reactor(),
      eventStore: this.events,
      checkpointStore: this.checkpoints,
      handlerRetry: {
        initialMs: this.config.mail.retryInitialMs,
        maxMs: Math.max(this.config.mail.retryInitialMs, MAX_RETRY_MS),
        maxAttempts: Number.POSITIVE_INFINITY,
      },
      onPoison: (report) => this.log.error({ message: 'digest poison event', ...report }),
    });
    this.runner.start();
  }

  private async stopSender(): Promise<void> {
    const runner = this.runner;
    this.runner = null;
    await runner?.stop();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.leased !== null) await this.leased.stop();
    else await this.stopSender();
    this.transport?.close();
  }

  /** Queues a digest; false when it was queued before (same person, same day). */
  async queue(
    tenant: string,
    subject: string,
    date: string,
    counts: readonly DeadlineCount[],
    labels: Readonly<Record<string, KindLabel>>,
  ): Promise<boolean> {
    const digestId = digestIdOf(tenant, subject, date);
    const data: DigestQueued['data'] = { digestId, subject, date, counts, labels };
    const outcome = await appendOnce(this.events, digestStreamId(digestId), [
      {
        id: this.ids.next(),
        type: 'DigestQueued',
        schemaVersion: DIGEST_EVENT_SCHEMAS.DigestQueued,
        data,
        metadata: this.metadata(tenant, digestId),
      },
    ]);
    return outcome.outcome === 'appended';
  }

  private metadata(tenant: string, digestId: string) {
    return {
      occurredAt: this.clock.now().toISOString(),
      actor: DIGEST_ACTOR,
      tenant,
      correlationId: digestId,
      causationId: null,
      rulesVersion: this.config.rulesVersion,
    };
  }

  private reactor(): ReactorDefinition {
    return {
      name: 'deadline-digest-mail',
      filter: { eventTypes: ['DigestQueued'], streamPrefixes: ['digest-'] },
      handle: (event) => this.send(event),
    };
  }

  private async send(event: RecordedEvent): Promise<void> {
    const queued = (event as unknown as DigestQueued).data;
    const stream = await this.events.readStream(event.streamId);
    if (stream.some((recorded) => (recorded as unknown as DigestEvent).type === 'DigestSent')) return;
    const tenant = event.metadata.tenant;
    const recipient = (await this.addresses.recipients(tenant)).find((r) => r.principal.subject === queued.subject);
    // The address was removed since queuing: there is nobody to send to (the inbox still shows everything).
    if (recipient === undefined) return;
    const publicUrl = this.config.web.publicUrl ?? `http://127.0.0.1:${this.config.port}`;
    const mail = renderDigest(queued.counts, `${publicUrl}${INBOX_ROUTE}`, queued.date, queued.labels);
    const messageId = `<${queued.digestId}@pruefpfad>`;
    await this.transport!.sendMail({
      from: this.config.mail.from,
      to: recipient.address,
      subject: mail.subject,
      text: mail.text,
      messageId,
    });
    const sent: DigestSent['data'] = { digestId: queued.digestId, messageId, sentAt: this.clock.now().toISOString() };
    try {
      await this.events.append(
        event.streamId,
        [
          {
            id: this.ids.next(),
            type: 'DigestSent',
            schemaVersion: DIGEST_EVENT_SCHEMAS.DigestSent,
            data: sent,
            metadata: { ...this.metadata(tenant, queued.digestId), causationId: event.id },
          },
        ],
        { expectedRevision: stream.at(-1)!.revision },
      );
    } catch (error) {
      // Another sender recorded it first: it is sent.
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
    }
  }
}
