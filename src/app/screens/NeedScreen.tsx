/**
 * One need and its loop: only the steps it can take now are offered (派单, 接单, 办结, close
 * unresolved, reopen), each asking for what it needs — whom to, how it was resolved, why —
 * then the resident's evaluation (评单), and the history of who did what, when. A repair need
 * becomes a home repair ticket in one tap.
 */
import { useRef, useState } from 'preact/hooks';
import { evaluateNeed, needToRepairTicket, newId, observeNeed, syncSoon, takeNeedStep, type StepOutcome } from '../../data/index.ts';
import type { MessageKey } from '../../shared/i18n/format.ts';
import { allowedSteps, NEED_EVALUATIONS, type NeedEvaluation, type NeedStep } from '../../shared/need.ts';
import { Choice } from '../components/Choices.tsx';
import { Field } from '../components/Field.tsx';
import { SyncBadge } from '../components/SyncBadge.tsx';
import { addressText, failureMessage } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { Link, navigate } from '../router.tsx';
import { useObservable } from '../use-observable.ts';
import { Fact } from '../components/Fact.tsx';
import { Alert } from '../components/Alert.tsx';

/** What each step asks for before it is taken. */
const ASKS: Partial<Record<NeedStep, 'assignee' | 'resolution' | 'reason' | 'optionalReason'>> = {
  assigned: 'assignee',
  resolved: 'resolution',
  closed: 'reason',
  reopened: 'optionalReason',
};

export default function NeedScreen({ id }: { id: string }) {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const detail = useObservable(() => observeNeed(id), [id]);
  const [open, setOpen] = useState<NeedStep | null>(null);
  const [input, setInput] = useState('');
  const [error, setError] = useState<MessageKey | undefined>();
  const [failure, setFailure] = useState('');
  const [saved, setSaved] = useState('');
  const [evaluation, setEvaluation] = useState<NeedEvaluation | null>(null);
  const [busy, setBusy] = useState(false);
  // A step whose save failed in a way that may have committed it (the writer lost mid-save),
  // by what it asked: tapping again with the same gives its history line the same id, so the
  // step is found already taken instead of being taken twice.
  const maybeSaved = useRef<{ asks: string; logId: string } | null>(null);

  if (detail === undefined)
    return (
      <main class="screen" aria-busy="true">
        {t('app.loading')}
      </main>
    );
  if (detail === null)
    return (
      <main class="screen">
        <p>{t('need.notFound')}</p>
      </main>
    );
  const { need: n, household, history, ticket } = detail;

  async function run(asked: object, work: (logId: string) => Promise<StepOutcome>) {
    if (busy) return;
    setBusy(true);
    setFailure('');
    setError(undefined);
    const asks = JSON.stringify([id, asked]);
    const logId = maybeSaved.current?.asks === asks ? maybeSaved.current.logId : newId();
    try {
      const r = await work(logId);
      maybeSaved.current = null;
      if (!r.ok) {
        setError(r.error);
        return;
      }
      setSaved(t('need.stepSaved', { status: t(`needStatus.${r.need.status}`) }));
      setOpen(null);
      setInput('');
      syncSoon();
    } catch (err) {
      maybeSaved.current = { asks, logId };
      setFailure(failureMessage(err, i18n));
    } finally {
      setBusy(false);
    }
  }

  const step = (s: NeedStep) => {
    const asks = ASKS[s];
    if (!asks) return void run({ step: s }, (logId) => takeNeedStep(id, { step: s, logId }));
    setOpen(s);
    setError(undefined);
    setInput(s === 'assigned' && n.route === 'department' ? n.department : '');
  };

  const askLabel = (s: NeedStep): string => {
    const asks = ASKS[s];
    if (asks === 'assignee') return t('need.assignee');
    if (asks === 'resolution') return t('need.resolution');
    if (asks === 'reason') return t('need.closeReason');
    return t('need.reopenReason');
  };

  return (
    <main class="screen">
      <Link href={household ? `/households/${household.id}` : '/visits'} class="back">
        ‹ {t('app.back')}
      </Link>
      <h1>
        {n.urgency === 'urgent' ? `⚠ ${t('urgency.urgent')} · ` : ''}
        {t(`needCat.${n.category}`)}
      </h1>
      {household ? (
        <p>
          <Link href={`/households/${household.id}`}>{household.headName}</Link> · {household.gridCode} · {addressText(household, i18n)}
        </p>
      ) : null}
      <p class="prewrap">{n.description}</p>
      <dl class="facts">
        <div>
          <dt>{t('need.status')}</dt>
          <dd class="status" data-testid="need-status">
            {t(`needStatus.${n.status}`)} <SyncBadge sync={detail.sync} />
          </dd>
        </div>
        <Fact label={t('need.route')}>
          {n.route === 'department' ? `${t('route.department')}：${n.department}` : t('route.volunteers')}
        </Fact>
        {n.assignee ? <Fact label={t('need.assignee')}>{n.assignee}</Fact> : null}
        {n.resolution ? (
          <Fact label={t('need.resolution')} prewrap>
            {n.resolution}
          </Fact>
        ) : null}
        {n.evaluation ? <Fact label={t('need.evaluation')}>{t(`evaluation.${n.evaluation}`)}</Fact> : null}
        {n.healthCheckId ? (
          <div>
            <dt>{t('need.fromCheck')}</dt>
            <dd>
              <Link href={`/checks/${n.healthCheckId}`}>{t('check.resultTitle')}</Link>
            </dd>
          </div>
        ) : null}
      </dl>

      {saved ? (
        <p class="notice" role="status">
          ✓ {saved}
        </p>
      ) : null}
      <div class="form-actions" role="group" aria-label={t('ticket.actions')}>
        {allowedSteps(n.status).map((s) => (
          <button
            key={s}
            type="button"
            class={s === 'unassigned' || s === 'closed' || s === 'reopened' ? 'secondary' : 'primary'}
            disabled={busy}
            aria-expanded={ASKS[s] ? open === s : undefined}
            onClick={() => step(s)}
          >
            {t(`need.step.${s}`)}
          </button>
        ))}
      </div>
      {open ? (
        <form
          class="subform"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const asked = open === 'assigned' ? { step: open, assignee: input } : { step: open, note: input };
            void run(asked, (logId) => takeNeedStep(id, { ...asked, logId }));
          }}
        >
          <Field id="step-input" label={askLabel(open)} error={error}>
            {(a) =>
              open === 'assigned' ? (
                <input {...a} value={input} onInput={(e) => setInput((e.target as HTMLInputElement).value)} maxLength={100} />
              ) : (
                <textarea
                  {...a}
                  value={input}
                  onInput={(e) => setInput((e.target as HTMLTextAreaElement).value)}
                  rows={3}
                  maxLength={1000}
                />
              )
            }
          </Field>
          <div class="form-actions">
            <button type="submit" class="primary" disabled={busy}>
              {t(`need.step.${open}`)}
            </button>
            <button type="button" class="secondary" onClick={() => setOpen(null)}>
              {t('app.cancel')}
            </button>
          </div>
        </form>
      ) : error ? (
        <p class="error" role="alert">
          ⚠ {t(error)}
        </p>
      ) : null}

      {n.status === 'resolved' || n.status === 'closed' ? (
        <form
          class="subform"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (evaluation) void run({ evaluation }, (logId) => evaluateNeed(id, { evaluation, logId }));
          }}
        >
          <Choice
            name="evaluation"
            legend={t('need.evaluation')}
            options={NEED_EVALUATIONS}
            label={(v) => t(`evaluation.${v}`)}
            value={evaluation ?? n.evaluation}
            onChange={setEvaluation}
          />
          <button type="submit" class="secondary" disabled={busy || !evaluation}>
            {t('need.evaluate')}
          </button>
        </form>
      ) : null}

      {n.category === 'repair' ? (
        ticket ? (
          <p>
            🔧 <Link href={`/tickets/${ticket.id}`}>{t('need.repairTicket', { number: ticket.number })}</Link>
          </p>
        ) : (
          <p>
            <button
              type="button"
              class="primary"
              disabled={busy}
              onClick={() =>
                void needToRepairTicket(id).then((r) => {
                  if (r.ok) {
                    syncSoon();
                    navigate(`/tickets/${r.ticketId}`);
                  } else setError(r.error);
                })
              }
            >
              🔧 {t('need.toRepair')}
            </button>
          </p>
        )
      ) : null}
      <Alert text={failure} />

      <section aria-labelledby="history-h">
        <h2 id="history-h">{t('need.history')}</h2>
        <ol class="history" data-testid="need-history">
          {history.map((h) => (
            <li key={h.id}>
              <strong>{t(`needAction.${h.action}`)}</strong> · {h.byName} · {formatDateTime(Date.parse(h.at))}
              {h.note ? (
                <span class="prewrap">
                  {' '}
                  —{' '}
                  {h.action === 'evaluated' && (NEED_EVALUATIONS as readonly string[]).includes(h.note)
                    ? t(`evaluation.${h.note as NeedEvaluation}`)
                    : h.note}
                </span>
              ) : null}
            </li>
          ))}
        </ol>
      </section>
    </main>
  );
}
