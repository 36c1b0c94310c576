/**
 * The coordinator's volunteer service screen (志愿服务), from the phone's data, offline: who is
 * still checked in today (a reminder to check them out), hours awaiting confirmation (one
 * tap each), hours and star levels by volunteer for a period with their points balances,
 * certificates for a group (a school's students) in one go, the points rule and its
 * versions, and a redemption at the charity shop.
 */
import { useState } from 'preact/hooks';
import {
  confirmHours,
  issueCertificates,
  newId,
  observeDayAttendance,
  observeHoursByVolunteer,
  observePointsRules,
  observeSession,
  redeemPoints,
  savePointsRule,
  syncSoon,
  type FieldErrors,
  type VolunteerHours,
} from '../../data/index.ts';
import { maskPhone } from '../../shared/address.ts';
import { localDay } from '../../shared/due.ts';
import { Alert } from '../components/Alert.tsx';
import { SelectField, TextField } from '../components/Field.tsx';
import { BackLink, Loading } from '../components/ScreenState.tsx';
import { TableScroll } from '../components/TableScroll.tsx';
import { activityText, optionalNumber } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { Link, navigate } from '../router.tsx';
import { useAction } from '../use-action.ts';
import { useObservable } from '../use-observable.ts';

function Today({ today }: { today: string }) {
  const i18n = useI18n();
  const { t, formatDay, formatNumber, formatTime } = i18n;
  const { busy, failure, act, fail } = useAction(i18n);
  const day = useObservable(() => observeDayAttendance(today), [today]);
  if (!day) return <Loading />;
  return (
    <>
      <section aria-labelledby="still-h">
        <h2 id="still-h">{t('service.stillIn', { count: day.stillIn.length })}</h2>
        {day.stillIn.length === 0 ? (
          <p class="empty">{t('service.noneStillIn')}</p>
        ) : (
          <ul class="cards" data-testid="still-in">
            {day.stillIn.map((r) => (
              <li key={r.attendance.id} class="card">
                <strong>● {r.volunteer.name}</strong>
                <span>
                  {formatDay(r.attendance.date)} · {activityText(r.activity, i18n).title} ·{' '}
                  {t('hours.inAt', { time: formatTime(Date.parse(r.attendance.checkInAt!)) })}
                </span>
                <Link href={`/events/${r.attendance.eventId}/attendance`} class="button secondary">
                  {t('service.toSheet')}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="awaiting-h">
        <h2 id="awaiting-h">{t('service.awaiting', { count: day.awaiting.length })}</h2>
        {day.awaiting.length === 0 ? (
          <p class="empty">{t('service.noneAwaiting')}</p>
        ) : (
          <ul class="cards" data-testid="awaiting-list">
            {day.awaiting.map((r) => (
              <li key={r.attendance.id} class="card">
                <strong>{r.volunteer.name}</strong>
                <span>
                  {formatDay(r.attendance.date)} · {activityText(r.activity, i18n).title}
                  {r.attendance.adjustedHours !== null ? ` · ✎ ${r.attendance.adjustReason}` : ''}
                </span>
                <button
                  type="button"
                  class="primary"
                  disabled={busy}
                  onClick={() =>
                    act(async () => {
                      const res = await confirmHours(r.attendance.id);
                      if (!res.ok) return fail(t(Object.values(res.errors)[0] ?? 'v.invalid'));
                      syncSoon();
                    })
                  }
                >
                  {t('hours.confirm', { hours: formatNumber(r.hours, 2), name: r.volunteer.name })}
                </button>
                <Link href={`/events/${r.attendance.eventId}/attendance`} class="button secondary">
                  {t('service.adjustOnSheet')}
                </Link>
              </li>
            ))}
          </ul>
        )}
        <Alert text={failure} />
      </section>
    </>
  );
}

function ByVolunteer({ from, to }: { from: string; to: string }) {
  const i18n = useI18n();
  const { t, formatNumber } = i18n;
  const { busy, failure, act, fail } = useAction(i18n);
  const rows = useObservable(() => observeHoursByVolunteer(from, to), [from, to]);
  const [org, setOrg] = useState<string | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  if (!rows) return <Loading />;
  const orgs = [...new Set(rows.map((r) => r.volunteer.org).filter(Boolean))];
  const shown = rows.filter((r) => org === null || r.volunteer.org === org);
  const eligible = shown.filter((r) => r.periodHours > 0);
  const toggle = (id: string) => setChosen((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set([...s, id])));
  const selected = eligible.filter((r) => chosen.has(r.volunteer.id));
  return (
    <section aria-labelledby="by-h">
      <h2 id="by-h">{t('service.byVolunteer')}</h2>
      {orgs.length > 0 ? (
        <SelectField
          id="org-filter"
          label={t('service.org')}
          value={org}
          options={orgs}
          optionLabel={(o) => o}
          onChange={(o) => (setOrg(o), setChosen(new Set()))}
          none={t('service.allOrgs')}
        />
      ) : null}
      <TableScroll>
        <table data-testid="hours-table">
          <thead>
            <tr>
              <th scope="col">{t('service.pick')}</th>
              <th scope="col">{t('hours.name')}</th>
              <th scope="col">{t('service.periodHours')}</th>
              <th scope="col">{t('service.totalHours')}</th>
              <th scope="col">{t('me.stars')}</th>
              <th scope="col">{t('points.title')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r: VolunteerHours) => (
              <tr key={r.volunteer.id} data-testid="hours-row" data-name={r.volunteer.name}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={t('service.pickOne', { name: r.volunteer.name })}
                    disabled={r.periodHours <= 0}
                    checked={chosen.has(r.volunteer.id)}
                    onChange={() => toggle(r.volunteer.id)}
                  />
                </td>
                <th scope="row">
                  {r.volunteer.name}
                  {r.volunteer.org ? ` · ${r.volunteer.org}` : ''}
                  {r.volunteer.phone ? ` · ☎ ${maskPhone(r.volunteer.phone)}` : ''}
                  {r.awaiting > 0 ? ` · ${t('service.awaitingN', { count: r.awaiting })}` : ''}
                </th>
                <td>{formatNumber(r.periodHours, 2)}</td>
                <td>{formatNumber(r.totalHours, 2)}</td>
                <td>{r.stars > 0 ? `${'★'.repeat(r.stars)} ${t('me.starN', { n: r.stars })}` : t('me.noStar')}</td>
                <td data-testid="balance">{formatNumber(r.balance, 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <p class="form-actions">
        <button type="button" class="secondary" onClick={() => setChosen(new Set(eligible.map((r) => r.volunteer.id)))}>
          {t('service.pickAll', { count: eligible.length })}
        </button>
        <button
          type="button"
          class="primary"
          disabled={busy || selected.length === 0}
          onClick={() =>
            act(async () => {
              const r = await issueCertificates(
                selected.map((x) => x.volunteer.id),
                { from, to },
              );
              if (!r.ok) return fail(t(Object.values(r.errors)[0] ?? 'v.invalid'));
              syncSoon();
              navigate(`/certificates?ids=${r.record.map((c) => c.id).join(',')}`);
            })
          }
        >
          📄 {t('service.issue', { count: selected.length })}
        </button>
      </p>
      <Alert text={failure} />
    </section>
  );
}

function PointsRuleSection({ today }: { today: string }) {
  const i18n = useI18n();
  const { t, formatDay, formatNumber } = i18n;
  const { busy, failure, done, act, fail } = useAction(i18n);
  const rules = useObservable(observePointsRules, []);
  const [id, setId] = useState(newId);
  const [perHour, setPerHour] = useState('');
  const [fromDay, setFromDay] = useState(today);
  const [errors, setErrors] = useState<FieldErrors>({});
  if (!rules) return <Loading />;
  return (
    <section aria-labelledby="rule-h">
      <h2 id="rule-h">{t('points.rule')}</h2>
      <p data-testid="points-rule">
        {rules.current
          ? t('points.ruleNow', { points: formatNumber(rules.current.pointsPerHour, 0), from: formatDay(rules.current.effectiveFrom) })
          : t('points.noRule')}
      </p>
      <details class="group">
        <summary>{t('points.newRule')}</summary>
        <TextField
          id="rule-per-hour"
          label={t('points.perHour')}
          inputMode="numeric"
          value={perHour}
          onChange={setPerHour}
          max={4}
          required
          error={errors.pointsPerHour}
        />
        <TextField
          id="rule-from"
          type="date"
          label={t('points.from')}
          value={fromDay}
          onChange={setFromDay}
          max={10}
          required
          error={errors.effectiveFrom}
        />
        <p class="hint">{t('points.ruleHint')}</p>
        <button
          type="button"
          class="primary"
          disabled={busy}
          onClick={() =>
            act(async () => {
              const r = await savePointsRule({ id, pointsPerHour: optionalNumber(perHour) ?? Number.NaN, effectiveFrom: fromDay });
              if (!r.ok) {
                setErrors(r.errors);
                return fail(r.errors.form ? t(r.errors.form) : '');
              }
              setErrors({});
              setId(newId());
              setPerHour('');
              syncSoon();
              return t('points.ruleSaved');
            })
          }
        >
          {t('points.saveRule')}
        </button>
        {rules.rules.length > 0 ? (
          <ul class="plain" data-testid="rule-versions">
            {rules.rules.map((r) => (
              <li key={r.id}>{t('points.ruleNow', { points: formatNumber(r.pointsPerHour, 0), from: formatDay(r.effectiveFrom) })}</li>
            ))}
          </ul>
        ) : null}
      </details>
      {done ? <p role="status">{done}</p> : null}
      <Alert text={failure} />
    </section>
  );
}

function Redemption({ from, to }: { from: string; to: string }) {
  const i18n = useI18n();
  const { t, formatNumber } = i18n;
  const { busy, failure, done, act, fail } = useAction(i18n);
  const rows = useObservable(() => observeHoursByVolunteer(from, to), [from, to]);
  const [id, setId] = useState(newId);
  const [who, setWho] = useState<string | null>(null);
  const [points, setPoints] = useState('');
  const [item, setItem] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  if (!rows) return null;
  const withPoints = rows.filter((r) => r.balance > 0);
  const byId = new Map(rows.map((r) => [r.volunteer.id, r]));
  return (
    <section aria-labelledby="redeem-h">
      <h2 id="redeem-h">{t('points.redeem')}</h2>
      {withPoints.length === 0 ? (
        <p class="empty">{t('points.noBalances')}</p>
      ) : (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            act(async () => {
              if (!who) return setErrors({ volunteerId: 'v.required' });
              const r = await redeemPoints({ id, volunteerId: who, points: optionalNumber(points) ?? Number.NaN, item });
              if (!r.ok) {
                setErrors(r.errors);
                return fail(r.errors.form ? t(r.errors.form) : '');
              }
              setErrors({});
              setId(newId());
              setPoints('');
              setItem('');
              syncSoon();
              return t('points.redeemed', { name: byId.get(who)?.volunteer.name ?? '', points: formatNumber(r.record.points, 0) });
            });
          }}
        >
          <SelectField
            id="redeem-who"
            label={t('points.who')}
            value={who}
            options={withPoints.map((r) => r.volunteer.id)}
            optionLabel={(v) =>
              `${byId.get(v)?.volunteer.name ?? ''} · ${t('points.balanceShort', { points: formatNumber(byId.get(v)?.balance ?? 0, 0) })}`
            }
            onChange={setWho}
            none={t('points.choose')}
            required
            error={errors.volunteerId}
          />
          <TextField
            id="redeem-points"
            label={t('points.howMany')}
            inputMode="numeric"
            value={points}
            onChange={setPoints}
            max={6}
            required
            error={errors.points}
          />
          <TextField id="redeem-item" label={t('points.item')} value={item} onChange={setItem} max={100} required error={errors.item} />
          <p class="hint">{t('points.redeemHint')}</p>
          <button type="submit" class="primary" disabled={busy}>
            {t('points.saveRedeem')}
          </button>
        </form>
      )}
      {done ? (
        <p class="notice notice-ok" role="status">
          ✓ {done}
        </p>
      ) : null}
      <Alert text={failure} />
    </section>
  );
}

export default function ServiceHoursScreen() {
  const { t } = useI18n();
  const session = useObservable(observeSession, []);
  const today = localDay(new Date().toISOString(), session?.user?.timeZone);
  const [from, setFrom] = useState(`${today.slice(0, 4)}-01-01`);
  const [to, setTo] = useState(today);
  return (
    <main class="screen">
      <BackLink href="/team" />
      <h1>{t('service.title')}</h1>
      <Today today={today} />
      <div class="period" role="group" aria-label={t('service.period')}>
        <TextField id="period-from" type="date" label={t('cert.from')} value={from} onChange={setFrom} max={10} />
        <TextField id="period-to" type="date" label={t('cert.to')} value={to} onChange={setTo} max={10} />
      </div>
      <ByVolunteer from={from} to={to} />
      <PointsRuleSection today={today} />
      <Redemption from={from} to={to} />
      <p>
        <Link href="/team/roster" class="button secondary">
          {t('roster.title')}
        </Link>{' '}
        <Link href="/exports" class="button secondary">
          ⬇ {t('exports.hours')}
        </Link>
      </p>
    </main>
  );
}
