/**
 * A resident's consent to keep health data (sensitive personal information): given by whom
 * (the resident, or a named family member), when, recorded by whom — or withdrawn, which
 * stops new checks and keeps those taken. Recording it asks that it was explained.
 */
import { useState } from 'preact/hooks';
import { recordConsent, syncSoon, withdrawConsent, type FieldErrors, type ResidentDetail } from '../../../data/index.ts';
import { CONSENT_GIVERS } from '../../../shared/household.ts';
import { Alert } from '../../components/Alert.tsx';
import { Choice } from '../../components/Choices.tsx';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { TextField } from '../../components/Field.tsx';
import { useI18n } from '../../i18n.tsx';
import { useAction } from '../../use-action.ts';

export function ConsentSection({ resident: r }: { resident: ResidentDetail['resident'] }) {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const { busy, failure, act } = useAction(i18n);
  const [by, setBy] = useState<'self' | 'family' | null>(null);
  const [byName, setByName] = useState('');
  const [explained, setExplained] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});

  function consent(e: Event) {
    e.preventDefault();
    const errs: FieldErrors = {};
    if (!by) errs.consentBy = 'v.choice';
    if (!explained) errs.explained = 'resident.consentExplainedRequired';
    setErrors(errs);
    if (Object.keys(errs).length > 0 || !by) return;
    act(async () => {
      const result = await recordConsent(r.id, by, byName);
      if (!result.ok) return setErrors(result.errors);
      syncSoon();
    });
  }
  const time = (iso: string | null) => (iso ? formatDateTime(Date.parse(iso)) : '');
  return (
    <section aria-labelledby="consent-h" class="no-print">
      <h2 id="consent-h">{t('resident.consentTitle')}</h2>
      {r.consent === 'given' ? (
        <>
          <p class="notice" data-testid="consent-state">
            ✓{' '}
            {t('resident.consentGiven', {
              by: r.consentBy ? t(`consentBy.${r.consentBy}`) : '',
              name: r.consentByName,
              time: time(r.consentAt),
              recorder: r.consentRecordedBy,
            })}
          </p>
          <ConfirmButton
            label={t('resident.withdrawConsent')}
            question={t('resident.withdrawConfirm')}
            onConfirm={async () => act(async () => (await withdrawConsent(r.id), syncSoon()))}
          />
        </>
      ) : (
        <form onSubmit={consent} noValidate class="subform" data-testid="consent-form">
          {r.consent === 'withdrawn' && r.consentWithdrawnAt ? (
            <p class="notice notice-warn">{t('resident.consentWithdrawn', { time: time(r.consentWithdrawnAt) })}</p>
          ) : (
            <p>{t('resident.consentNeeded')}</p>
          )}
          <Choice
            name="consentBy"
            legend={t('resident.consentBy')}
            options={CONSENT_GIVERS}
            label={(g) => t(`consentBy.${g}`)}
            value={by}
            onChange={setBy}
            error={errors.consentBy}
          />
          {by === 'family' ? (
            <TextField
              id="consentByName"
              label={t('resident.consentByName')}
              error={errors.consentByName}
              value={byName}
              onChange={setByName}
              max={60}
            />
          ) : null}
          <label class={`choice${explained ? ' chosen' : ''}${errors.explained ? ' field-invalid' : ''}`}>
            <input
              type="checkbox"
              checked={explained}
              aria-invalid={Boolean(errors.explained)}
              aria-describedby={errors.explained ? 'explained-error' : undefined}
              onChange={() => setExplained(!explained)}
            />
            <span>{t('resident.consentExplained')}</span>
          </label>
          <Alert id="explained-error" text={errors.explained ? t(errors.explained) : undefined} />
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t('app.saving') : t('resident.recordConsent')}
          </button>
        </form>
      )}
      <Alert text={failure} focus />
    </section>
  );
}
