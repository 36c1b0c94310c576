/** Per record: saved on this phone only, received by the server, or refused — icon and words. */
import type { RowSync } from '../../data/index.ts';
import { useI18n } from '../i18n.tsx';

export function SyncBadge({ sync }: { sync: RowSync }) {
  const { t } = useI18n();
  if (sync === 'synced')
    return (
      <span class="badge badge-synced" data-sync="synced">
        ✓ {t('sync.onServer')}
      </span>
    );
  if (sync === 'failed')
    return (
      <span class="badge badge-failed" data-sync="failed">
        ✕ {t('sync.rejected')}
      </span>
    );
  return (
    <span class="badge badge-pending" data-sync="pending">
      ⏳ {t('sync.savedOnPhone')}
    </span>
  );
}
