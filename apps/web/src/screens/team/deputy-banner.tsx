import { KolAlert } from '@public-ui/react-v19';
import { useQuery } from '@tanstack/react-query';
import { get } from '../../api';
import { useTexts } from '../../i18n';
import { hasRole, useSession } from '../../session';

interface ActingRights {
  readonly mayAct: boolean;
  readonly asDeputy: boolean;
  readonly reason: string | null;
}

/**
 * A deputy sees, on every team screen, whether they act for the team lead right now (a recorded absence
 * or an approved delegation, 000:49) and that their work is recorded as deputy work; or why not.
 */
export function DeputyBanner({ teamId }: { readonly teamId: string }) {
  const { t, pick } = useTexts();
  const { session } = useSession();
  const deputy = hasRole(session, 'deputy') && !hasRole(session, 'team_lead');
  const rights = useQuery({
    queryKey: ['acting-rights', teamId],
    queryFn: ({ signal }) =>
      get<ActingRights>(`/api/v1/organisation/teams/${encodeURIComponent(teamId)}/acting-rights`, signal),
    enabled: deputy,
  });
  if (!deputy || !rights.data) return null;
  return rights.data.mayAct ? (
    <KolAlert _type="info" _variant="card" _label={t('Sie handeln als Stellvertretung', 'You are acting as deputy')}>
      <p>
        {t(
          `Sie vertreten die Teamleitung von ${teamId}. Was Sie erfassen, wird als Arbeit der Stellvertretung festgehalten.`,
          `You stand in for the team lead of ${teamId}. What you record is kept as the deputy's work.`,
        )}
      </p>
    </KolAlert>
  ) : (
    <KolAlert _type="warning" _variant="card" _label={t('Keine Vertretung', 'Not acting as deputy')}>
      <p>
        {rights.data.reason
          ? pick(rights.data.reason)
          : t('Zurzeit vertreten Sie die Teamleitung nicht.', 'You are not standing in for the team lead now.')}
      </p>
    </KolAlert>
  );
}
