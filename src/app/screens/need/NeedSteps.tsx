/**
 * The steps a need can take now (派单, 接单, 办结, close unresolved, reopen, withdraw), each
 * asking for what it needs first — whom to, how it was resolved, why — and, once it is
 * finished, the resident's evaluation (评单).
 */
import { useState } from 'preact/hooks';
import { evaluateNeed, takeNeedStep, type NeedDetail } from '../../../data/index.ts';
import { allowedSteps, NEED_EVALUATIONS, type NeedEvaluation, type NeedStep } from '../../../shared/need.ts';
import { Alert, Done } from '../../components/Alert.tsx';
import { Choice } from '../../components/Choices.tsx';
import { TextField } from '../../components/Field.tsx';
import { useI18n } from '../../i18n.tsx';
import { useNeedStep } from './use-need-step.ts';

/** What each step asks for before it is taken. */
const ASKS: Partial<Record<NeedStep, 'assignee' | 'resolution' | 'closeReason' | 'reopenReason'>> = {
  assigned: 'assignee',
  resolved: 'resolution',
  closed: 'closeReason',
  reopened: 'reopenReason',
};

export function NeedSteps({ need: n }: { need: NeedDetail['need'] }) {
  const { t } = useI18n();
  const { busy, error, setError, failure, saved, run } = useNeedStep(n.id);
  const [open, setOpen] = useState<NeedStep | null>(null);
  const [input, setInput] = useState('');
  const [evaluation, setEvaluation] = useState<NeedEvaluation | null>(null);
  const close = () => (setOpen(null), setInput(''));

  const step = (s: NeedStep) => {
    if (!ASKS[s]) return run({ step: s }, (logId) => takeNeedStep(n.id, { step: s, logId }));
    setOpen(s);
    setError(undefined);
    setInput(s === 'assigned' && n.route === 'department' ? n.department : '');
  };
  const submitAsked = (e: Event) => {
    e.preventDefault();
    if (!open) return;
    const asked = open === 'assigned' ? { step: open, assignee: input } : { step: open, note: input };
    run(asked, (logId) => takeNeedStep(n.id, { ...asked, logId }), close);
  };
  const asks = open ? ASKS[open] : undefined;
  return (
    <>
      <Done text={saved} />
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
      {open && asks ? (
        <form class="subform" noValidate onSubmit={submitAsked}>
          <TextField
            id="step-input"
            label={t(`need.${asks}`)}
            error={error}
            value={input}
            onChange={setInput}
            max={asks === 'assignee' ? 100 : 1000}
            rows={asks === 'assignee' ? undefined : 3}
          />
          <div class="form-actions">
            <button type="submit" class="primary" disabled={busy}>
              {t(`need.step.${open}`)}
            </button>
            <button type="button" class="secondary" onClick={close}>
              {t('app.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <Alert text={error ? t(error) : undefined} />
      )}
      {n.status === 'resolved' || n.status === 'closed' ? (
        <form
          class="subform"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (evaluation) run({ evaluation }, (logId) => evaluateNeed(n.id, { evaluation, logId }));
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
      <Alert text={failure} focus />
    </>
  );
}
