import { useQuery } from '@tanstack/react-query';
import { get } from '../../api';
import type { MatrixInForce, OrganisationArea } from './types';

/** The matrix in force (management's, or the default). */
export function useMatrix() {
  return useQuery({
    queryKey: ['risks', 'matrix'],
    queryFn: ({ signal }) => get<MatrixInForce>('/api/v1/risk-matrix', signal),
  });
}

/** The areas of the organisation file (names for area ids, choices for forms). */
export function useAreas() {
  return useQuery({
    queryKey: ['risks', 'areas'],
    queryFn: ({ signal }) =>
      get<{ areas: OrganisationArea[] }>('/api/v1/organisation', signal).then((answer) =>
        answer.areas.map(({ id, name }) => ({ id, name })),
      ),
  });
}
