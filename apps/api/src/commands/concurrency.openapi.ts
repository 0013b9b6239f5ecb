import type { OpenAPIObject, OperationObject, ParameterObject, ReferenceObject } from '@nestjs/swagger';
import { FRESH_READ_ATTEMPTS } from '@pruefpfad/application';

/**
 * What two writes to the same stream at the same moment get, said once for the whole OpenAPI document (the
 * command pipeline's behaviour, libs/application/src/command-pipeline.ts; shown by
 * test/write-races.e2e.spec.ts). README "HTTP conventions" says the same.
 */
export const IF_MATCH_DESCRIPTION =
  'ETag der gelesenen Revision. Der Befehl wird nur auf genau dieser Revision entschieden; hat sich der Datenstrom ' +
  'seitdem geändert (auch gleichzeitig), antwortet er 412 PRECONDITION_FAILED und schreibt nichts. Ohne If-Match ' +
  'wird er auf dem neuesten Stand entschieden: schreibt ein anderer Befehl dazwischen, wird er neu gelesen und auf ' +
  `dessen Ergebnis neu entschieden (höchstens ${FRESH_READ_ATTEMPTS} Lesevorgänge des Datenstroms), also ausgeführt, ` +
  'wenn er nicht kollidiert, sonst mit der fachlichen Antwort abgelehnt (meist 422 RULE_VIOLATION); ändert sich ' +
  'der Datenstrom jedes Mal, 409 CONCURRENCY_CONFLICT. / ' +
  'ETag of the revision you read. The command is decided on exactly that revision; if the stream has changed since ' +
  '(also at the same moment), it answers 412 PRECONDITION_FAILED and writes nothing. Without If-Match it is decided ' +
  'on the newest state: if another command writes in between, it is read again and decided anew on that result ' +
  `(at most ${FRESH_READ_ATTEMPTS} reads of the stream), so it succeeds when it does not conflict and otherwise gets ` +
  'the domain’s refusal (mostly 422 RULE_VIOLATION); if the stream changes every time, 409 CONCURRENCY_CONFLICT.';

const RESPONSES = {
  '409':
    'CONCURRENCY_CONFLICT: ohne If-Match änderte sich der Datenstrom bei jedem Versuch; nichts geschrieben, ' +
    'erneut senden (mit demselben Idempotency-Key) ist sicher. Auch fachliche Konflikte wie ALREADY_EXISTS. / ' +
    'CONCURRENCY_CONFLICT: without If-Match the stream changed on every attempt; nothing written, sending again ' +
    '(with the same Idempotency-Key) is safe. Also domain conflicts such as ALREADY_EXISTS.',
  '412':
    'PRECONDITION_FAILED: If-Match nennt nicht die aktuelle Revision; nichts geschrieben. / ' +
    'PRECONDITION_FAILED: If-Match does not name the current revision; nothing written.',
  '422':
    'Fachlich abgelehnt, auch wenn der Befehl nach einem gleichzeitigen Schreibvorgang neu entschieden wurde. / ' +
    'Refused by the domain, also when the command was decided anew after a concurrent write.',
} as const;

const WRITE_METHODS = ['post', 'put', 'patch', 'delete'] as const;

const isIfMatch = (parameter: ParameterObject | ReferenceObject): parameter is ParameterObject =>
  'name' in parameter && parameter.in === 'header' && parameter.name.toLowerCase() === 'if-match';

/**
 * Every write that takes `If-Match` (an ETag-guarded stream) gets the description above on the header and
 * its 409 / 412 / 422 answers, unless the route documents its own; the document's description says it once.
 */
export function documentConcurrency(document: OpenAPIObject): OpenAPIObject {
  for (const path of Object.values(document.paths))
    for (const method of WRITE_METHODS) {
      const operation: OperationObject | undefined = path[method];
      const ifMatch = operation?.parameters?.find(isIfMatch);
      if (operation === undefined || ifMatch === undefined) continue;
      ifMatch.description = IF_MATCH_DESCRIPTION;
      for (const [status, description] of Object.entries(RESPONSES)) operation.responses[status] ??= { description };
    }
  document.info.description = `${document.info.description ?? ''}\n\n**Gleichzeitige Schreibvorgänge / concurrent writes.** ${IF_MATCH_DESCRIPTION}`;
  return document;
}
