/**
 * The health volunteer's list: residents who consented to health records, the most worrying
 * latest reading first, then those not checked for longest.
 */
import { observeHealthList, observeSession } from '../../data/index.ts';
import { LevelBadge } from '../components/LevelBadge.tsx';
import { addressText } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';
import { useObservable } from '../use-observable.ts';

export default function HealthScreen() {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const list = useObservable(observeHealthList, []);
  const session = useObservable(observeSession, []);
  const coordinator = session?.user?.role === 'coordinator' || session?.user?.role === 'admin';
  return (
    <main class="screen">
      <div class="screen-head">
        <h1>{t('health.title')}</h1>
        {coordinator ? (
          <Link href="/health/thresholds" class="button secondary">
            ⚙ {t('health.thresholdsLink')}
          </Link>
        ) : null}
      </div>
      <p class="hint">{t('health.intro')}</p>
      {list === undefined ? (
        <p aria-busy="true">{t('app.loading')}</p>
      ) : list.length === 0 ? (
        <p class="empty">{t('health.none')}</p>
      ) : (
        <ul class="cards" data-testid="health-list">
          {list.map(({ resident: r, household: h, lastCheckAt, lastLevel }) => (
            <li key={r.id}>
              <Link href={`/residents/${r.id}`} class={`card${lastLevel === 'urgent' ? ' card-warn' : ''}`}>
                <strong class="card-title">{r.name}</strong>
                {h ? <span>{addressText(h, i18n)}</span> : null}
                <span class="card-meta">
                  {lastLevel ? <LevelBadge level={lastLevel} /> : null}
                  <span>
                    {lastCheckAt ? t('health.latest', { time: formatDateTime(Date.parse(lastCheckAt)) }) : t('health.noCheckYet')}
                  </span>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
