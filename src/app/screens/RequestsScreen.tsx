/**
 * 居民点单 for coordinators, offline like any screen: the team's public request page (its
 * link and QR poster; opened, closed or given a new code) and the requests residents sent —
 * 待受理 first. Each is accepted (linked to a household already at the typed address, or
 * registered as a new one from what was typed) and routed into the need loop, or declined
 * with the reason the resident will read.
 */
import { useState } from 'preact/hooks';
import {
  acceptRequest,
  declineRequest,
  newId,
  observeRequests,
  observeSession,
  observeTeamSettings,
  setAskPage,
  syncSoon,
  type FieldErrors,
  type IncomingRequest,
} from '../../data/index.ts';
import { NEED_ROUTES, type NeedRoute } from '../../shared/need.ts';
import { Alert } from '../components/Alert.tsx';
import { Choice } from '../components/Choices.tsx';
import { TextField } from '../components/Field.tsx';
import { QrCode } from '../components/QrCode.tsx';
import { BackLink, Loading } from '../components/ScreenState.tsx';
import { addressText } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';
import { useAction } from '../use-action.ts';
import { useObservable } from '../use-observable.ts';
import { GridPicker } from './household/GridPicker.tsx';

function AskPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const { busy, failure, act, fail } = useAction(i18n);
  const settings = useObservable(observeTeamSettings, []);
  const session = useObservable(observeSession, []);
  if (settings === undefined) return <Loading />;
  const url = settings.askCode ? `${location.origin}/ask/${settings.askCode}` : '';
  const change = (c: { open: boolean; newCode?: boolean }) =>
    act(async () => {
      const r = await setAskPage(c);
      if (!r.ok) return fail(t(Object.values(r.errors)[0] ?? 'v.invalid'));
      syncSoon();
    });
  return (
    <section aria-labelledby="ask-h" data-testid="ask-page">
      <h2 id="ask-h" class="no-print">
        {t('requests.page')}
      </h2>
      {settings.askOpen && url ? (
        <div class="ask-poster">
          <p class="poster-title">{t('requests.posterTitle', { team: session?.user?.teamName ?? '' })}</p>
          <p class="no-print">
            ✓ {t('requests.pageOpen')}{' '}
            <a href={url} data-testid="ask-url">
              {url}
            </a>
          </p>
          <QrCode text={url} label={t('requests.qr', { url })} size={220} testId="ask-qr" />
          <p class="hint">{t('requests.posterHint')}</p>
        </div>
      ) : (
        <p data-testid="ask-closed">{t('requests.pageClosed')}</p>
      )}
      <p class="form-actions no-print">
        {settings.askOpen ? (
          <>
            <button type="button" class="secondary" disabled={busy} onClick={() => window.print()}>
              🖨 {t('requests.print')}
            </button>
            <button type="button" class="secondary" disabled={busy} onClick={() => change({ open: true, newCode: true })}>
              {t('requests.newCode')}
            </button>
            <button type="button" class="secondary" disabled={busy} onClick={() => change({ open: false })}>
              {t('requests.close')}
            </button>
          </>
        ) : (
          <button type="button" class="primary" disabled={busy} onClick={() => change({ open: true })}>
            {t('requests.open')}
          </button>
        )}
      </p>
      <Alert text={failure} />
    </section>
  );
}

const NEW = 'new';

function Answer({ item }: { item: IncomingRequest }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { busy, failure, act, fail } = useAction(i18n);
  const { request: r, sameDwelling } = item;
  const [needId] = useState(newId);
  const [householdIdNew] = useState(newId);
  const [where, setWhere] = useState<string | null>(
    sameDwelling.length === 1 ? sameDwelling[0]!.id : sameDwelling.length === 0 ? NEW : null,
  );
  const [grid, setGrid] = useState('');
  const [route, setRoute] = useState<NeedRoute>('volunteers');
  const [department, setDepartment] = useState('');
  const [reason, setReason] = useState('');
  const [declining, setDeclining] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const accept = () =>
    act(async () => {
      if (!where) return setErrors({ householdId: 'request.chooseHousehold' });
      const res = await acceptRequest({
        requestId: r.id,
        ...(where === NEW ? { newHousehold: { id: householdIdNew, gridCode: grid } } : { householdId: where }),
        route,
        department,
        needId,
      });
      if (!res.ok) {
        setErrors(res.errors);
        return fail(res.errors.form ? t(res.errors.form) : '');
      }
      syncSoon();
    });
  const decline = () =>
    act(async () => {
      const res = await declineRequest(r.id, reason);
      if (!res.ok) {
        setErrors(res.errors);
        return fail(res.errors.form ? t(res.errors.form) : '');
      }
      syncSoon();
    });
  const options = [...sameDwelling.map((h) => h.id), NEW];
  const label = (id: string) => {
    const h = sameDwelling.find((x) => x.id === id);
    return h ? t('requests.existing', { name: h.headName, address: addressText(h, i18n) }) : t('requests.registerNew');
  };
  return (
    <div class="subform" role="group" aria-label={t('requests.answer', { name: r.callName })}>
      {sameDwelling.length > 0 ? (
        <p class="notice notice-warn" data-testid="request-same-dwelling">
          ⚠ {t('requests.sameDwelling', { count: sameDwelling.length })}
        </p>
      ) : null}
      <Choice
        name={`where-${r.id}`}
        legend={t('requests.household')}
        options={options}
        label={label}
        value={where}
        onChange={setWhere}
        error={errors.householdId}
        required
      />
      {where === NEW ? <GridPicker id={`grid-${r.id}`} value={grid} onChange={setGrid} error={errors.gridCode} isNew /> : null}
      {r.kind === 'wish' ? (
        <p class="hint">{t('requests.wishRoute')}</p>
      ) : (
        <>
          <Choice
            name={`route-${r.id}`}
            legend={t('need.route')}
            options={NEED_ROUTES}
            label={(x) => t(`route.${x}`)}
            value={route}
            onChange={setRoute}
          />
          {route === 'department' ? (
            <TextField
              id={`dept-${r.id}`}
              label={t('need.department')}
              value={department}
              onChange={setDepartment}
              max={100}
              required
              error={errors.department}
            />
          ) : null}
        </>
      )}
      <p class="form-actions">
        <button type="button" class="primary" disabled={busy} onClick={accept}>
          ✓ {t('requests.accept')}
        </button>
        <button type="button" class="secondary" disabled={busy} onClick={() => setDeclining(!declining)}>
          {t('requests.decline')}…
        </button>
      </p>
      {declining ? (
        <>
          <TextField
            id={`reason-${r.id}`}
            label={t('requests.declineReason')}
            rows={3}
            value={reason}
            onChange={setReason}
            max={300}
            required
            error={errors.declineReason}
            hint={t('requests.declineHint')}
          />
          <button type="button" class="secondary" disabled={busy} onClick={decline}>
            {t('requests.declineSave')}
          </button>
        </>
      ) : null}
      <Alert text={failure} />
    </div>
  );
}

export default function RequestsScreen() {
  const { t, formatDateTime } = useI18n();
  const lists = useObservable(observeRequests, []);
  return (
    <main class="screen">
      <div class="no-print">
        <BackLink href="/team" />
        <h1>{t('requests.title')}</h1>
      </div>
      <AskPage />
      {lists === undefined ? (
        <Loading />
      ) : (
        <>
          <section aria-labelledby="incoming-h" class="no-print">
            <h2 id="incoming-h">{t('requests.incoming', { count: lists.incoming.length })}</h2>
            {lists.incoming.length === 0 ? (
              <p class="empty">{t('requests.none')}</p>
            ) : (
              <ul class="cards" data-testid="incoming">
                {lists.incoming.map((item) => {
                  const r = item.request;
                  return (
                    <li key={r.id} class="card" data-testid="request" data-code={r.code}>
                      <strong class="card-title">
                        {t(`requestKind.${r.kind}`)} · {r.callName}
                      </strong>
                      <span>
                        {[r.building && t('requests.building', { b: r.building }), r.unit && t('requests.unit', { u: r.unit }), r.room]
                          .filter(Boolean)
                          .join(' ')}{' '}
                        · <a href={`tel:${r.phone.replace(/[^\d+]/g, '')}`}>☎ {r.phone}</a>
                      </span>
                      <span class="card-problem prewrap">{r.description}</span>
                      {r.goodTime ? <span>{t('requests.goodTime', { time: r.goodTime })}</span> : null}
                      <span class="hint">{t('requests.received', { time: formatDateTime(Date.parse(r.createdAt)), code: r.code })}</span>
                      <Answer item={item} />
                    </li>
                  );
                })}
              </ul>
            )}
          </section>
          <section aria-labelledby="answered-h" class="no-print">
            <h2 id="answered-h">{t('requests.answered')}</h2>
            {lists.answered.length === 0 ? (
              <p class="empty">{t('requests.noneAnswered')}</p>
            ) : (
              <ul class="cards" data-testid="answered">
                {lists.answered.map((r) => (
                  <li key={r.id} class="card" data-status={r.status}>
                    <strong class="card-title">
                      {r.status === 'accepted' ? '✓' : '✗'} {t(`requestKind.${r.kind}`)} · {r.callName} · {t(`requestStatus.${r.status}`)}
                    </strong>
                    {r.status === 'declined' ? <span>{r.declineReason}</span> : null}
                    {r.needId ? (
                      <Link href={`/needs/${r.needId}`} class="button secondary">
                        {t('requests.toNeed')}
                      </Link>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </main>
  );
}
