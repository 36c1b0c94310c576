/**
 * The health volunteer's start: find a resident by name or address and start a check (consent
 * is asked where the check begins, if it is not recorded yet); below, the residents who
 * consented, the most worrying latest reading first, then those not checked for longest.
 * With nobody yet, the way to register a household (its head can be its first resident).
 */
import { useState } from 'preact/hooks';
import { observeHealthList, observeResidentSearch, observeSession } from '../../data/index.ts';
import { TextField } from '../components/Field.tsx';
import { LevelBadge } from '../components/LevelBadge.tsx';
import { addressText } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';
import { useObservable } from '../use-observable.ts';

function ResidentSearch() {
  const i18n = useI18n();
  const { t } = i18n;
  const [text, setText] = useState('');
  const hits = useObservable(() => observeResidentSearch(text), [text]);
  return (
    <section aria-labelledby="find-h">
      <h2 id="find-h" class="visually-hidden">
        {t('health.findTitle')}
      </h2>
      <TextField id="resident-search" type="search" label={t('health.find')} value={text} onChange={setText} max={60} autocomplete="off" />
      {text.trim() && hits ? (
        hits.length === 0 ? (
          <p class="empty">{t('health.findNone')}</p>
        ) : (
          <ul class="cards" data-testid="resident-hits">
            {hits.map(({ resident: r, household: h, consentActive }) => (
              <li key={r.id} class="card card-row">
                <Link href={`/residents/${r.id}`} class="card-title">
                  {r.name}
                </Link>
                {h ? <span>{addressText(h, i18n)}</span> : null}
                <Link href={`/residents/${r.id}/checks/new`} class="button primary">
                  {consentActive ? t('health.startCheck') : t('health.consentAndCheck')}
                </Link>
              </li>
            ))}
          </ul>
        )
      ) : null}
    </section>
  );
}

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
      <ResidentSearch />
      <h2>{t('health.consentedTitle')}</h2>
      <p class="hint">{t('health.intro')}</p>
      {list === undefined ? (
        <p aria-busy="true">{t('app.loading')}</p>
      ) : list.length === 0 ? (
        <>
          <p class="empty">{t('health.none')}</p>
          <p>
            <Link href="/households/new" class="button secondary">
              ＋ {t('health.registerHousehold')}
            </Link>
          </p>
        </>
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
